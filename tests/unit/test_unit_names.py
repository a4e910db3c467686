"""Unit names as reports write them: abbreviations, former names, the country, related hints only."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import importing, reform, unit_names
from dashboard.access import Access
from dashboard.geography import COUNTRY_CODE
from tests.support.data import workbook


@pytest.fixture(scope="module")
def resolver() -> importing.PeriodResolver:
    return importing.PeriodResolver.of(reform.legacy_geography(), reform.geography_2025())


# Every form accepted: (as written, the year it is read in, the unit's code).
ACCEPTED = [
    ("TP. Thái Nguyên", 2022, "164"),  # Thành phố Thái Nguyên (district level)
    ("Tp Thái Nguyên", 2022, "164"),
    ("TP Thái Nguyên", 2022, "164"),
    ("tp. thái nguyên", 2022, "164"),
    ("T.P. Thái Nguyên", 2022, "164"),
    ("Q. 1", 2022, "760"),
    ("Q.1", 2022, "760"),
    ("Q1", 2022, "760"),
    ("H. Đồng Hỷ", 2022, "169"),
    ("TX. Phổ Yên", 2022, "172"),  # a thị xã until 2022, a city in the list: same unit
    ("Thị xã Phổ Yên", 2022, "172"),
    ("TT. Hùng Sơn, H. Đại Từ", 2022, "05761"),
    ("P. Hoàng Văn Thụ, TP. Thái Nguyên", 2022, "05440"),
    ("P. Hoàng Văn Thụ, Thái Nguyên", 2022, "05440"),
    ("P12, Q10", 2022, "27172"),
    ("Phường 12, Q.10", 2022, "27172"),
    ("X. Tân Ước", 2022, "10165"),
    ("Tỉnh Thừa Thiên Huế", 2022, "46"),  # renamed Thành phố Huế (Nghị quyết 1314/NQ-UBTVQH15)
    ("Thừa Thiên Huế", 2022, "46"),
    ("Tỉnh Thừa Thiên Huế", 2026, "46"),  # the same code in the 2025 structure
    ("TP. Huế", 2026, "46"),
    ("Phường Đức Giang, Long Biên", 2022, "00124"),  # the forms that worked before still do
    ("phuong duc giang, long bien", 2022, "00124"),
]


@pytest.mark.parametrize(("text", "when", "code"), ACCEPTED)
def test_name_forms_as_reports_write_them_are_accepted(resolver, text, when, code):
    assert resolver.resolve(text, when) == (code, None)


# Refused inputs and the exact message each gets.
REFUSED = [
    (
        "Toàn quốc",
        2022,
        "'Toàn quốc' là số liệu cả nước: không nhập số liệu, danh sách xã cho toàn quốc — số cả nước là tổng "
        "các tỉnh, thành phố (dashboard tự cộng); ghi theo tỉnh, thành phố, huyện hoặc xã. "
        "Chỉ tiêu toàn quốc "
        "(ví dụ 50% xã không ma túy năm 2030) ghi được ở trang 'Chỉ tiêu' với mã VN hoặc 'Toàn quốc'",
    ),
    (
        "Phường Nguyễn Trung Trực",
        2022,
        "'Phường Nguyễn Trung Trực' là tên đơn vị cũ, đã sáp nhập vào (hoặc đổi tên thành) Phường Trúc Bạch, "
        "Quận Ba Đình, Thành phố Hà Nội (mã 00004) — danh mục đơn vị hành chính cũ (đến "
        "30/6/2025) chỉ có đơn "
        "vị sau sáp nhập: ghi số liệu cho đơn vị đó, gộp cả phần của đơn vị cũ",
    ),
    (
        "Huyện Mỹ Lộc",
        2022,
        "'Huyện Mỹ Lộc' là tên đơn vị cũ, đã sáp nhập vào (hoặc đổi tên thành) Thành phố Nam Định, Tỉnh Nam "
        "Định (mã 356) — danh mục đơn vị hành chính cũ (đến 30/6/2025) chỉ có đơn vị sau sáp nhập: ghi số "
        "liệu cho đơn vị đó, gộp cả phần của đơn vị cũ",
    ),
    (
        "TT. Hùng Sơn",
        2022,
        "tên 'TT. Hùng Sơn' khớp nhiều đơn vị: Thị trấn Hùng Sơn, Huyện Đại Từ, Tỉnh Thái Nguyên (mã 05761); "
        "Thị trấn Hùng Sơn, Huyện Lâm Thao, Tỉnh Phú Thọ (mã 08498) — ghi thêm tên cấp trên hoặc dùng mã",
    ),
    (
        # "T." is not read as Tỉnh (reports do not write it): refused, with the units named Thái Nguyên.
        "T. Thái Nguyên",
        2022,
        "năm 2022: không tìm thấy đơn vị 'T. Thái Nguyên' trong danh mục đơn vị hành chính cũ "
        "(đến 30/6/2025); "
        "gần giống: Xã Thái Nguyên, Huyện Thái Thụy, Tỉnh Thái Bình; Thành phố Thái Nguyên, "
        "Tỉnh Thái Nguyên; "
        "Tỉnh Thái Nguyên; Xã Thiệu Nguyên, Huyện Thiệu Hóa, Tỉnh Thanh Hóa",
    ),
    (
        "Xã Không Tồn Tại",
        2022,
        "năm 2022: không tìm thấy đơn vị 'Xã Không Tồn Tại' trong danh mục đơn vị hành chính "
        "cũ (đến 30/6/2025)",
    ),
    (
        "49",
        2026,
        "'49' là Tỉnh Quảng Nam, đơn vị hành chính cũ (đến 30/6/2025); năm 2026 ghi theo đơn "
        "vị hành chính mới "
        "(từ 01/7/2025) — Tỉnh Quảng Nam nay thuộc Thành phố Đà Nẵng (mã 48)",
    ),
    (
        "Huyện Đại Lộc",
        2030,
        "'Huyện Đại Lộc' là Huyện Đại Lộc, Tỉnh Quảng Nam — cấp huyện đã bỏ từ 01/7/2025; năm "
        "2030 ghi theo xã, "
        "phường, đặc khu hoặc tỉnh, thành phố mới — Huyện Đại Lộc nay thuộc Thành phố Đà Nẵng (mã 48)",
    ),
]


@pytest.mark.parametrize(("text", "when", "message"), REFUSED)
def test_refused_names_get_their_message(resolver, text, when, message):
    assert resolver.resolve(text, when) == (None, message)


def test_the_country_is_a_target_unit_only(resolver):
    for text in ("Toàn quốc", "Cả nước", "VN", "toan quoc"):
        assert resolver.resolve(text, 2030, country=True) == (COUNTRY_CODE, None)
        code, reason = resolver.resolve(text, 2022)
        assert code is None and "không nhập số liệu, danh sách xã cho toàn quốc" in reason
    # A commune list cannot name the country even where targets can.
    code, reason = resolver.resolve("Toàn quốc", 2022, level="commune", country=True)
    assert code is None and "số liệu cả nước" in reason


def test_hints_are_related_names_only(resolver):
    # A typo gets the commune it was meant to be, with its parents.
    _, reason = resolver.resolve("Phường Đức Giag", 2022)
    assert "gần giống: Phường Đức Giang, Quận Long Biên, Thành phố Hà Nội" in reason
    # Within the parents written: only the Long Biên one.
    _, reason = resolver.resolve("Phường Đức Giag, Long Biên", 2022)
    assert reason.endswith("gần giống: Phường Đức Giang, Quận Long Biên, Thành phố Hà Nội")
    # A province's type word: provinces only (no commune "Xã Thái Nguyên" of Thái Bình).
    _, reason = resolver.resolve("Tỉnh Thái Nguyem", 2022)
    assert reason.endswith("gần giống: Tỉnh Thái Nguyên")
    # Nothing unrelated: the old message offered Xã Tân Ước for the country.
    for text in ("Toàn quốc", "Toàn quoc xyz", "Ban chỉ đạo"):
        assert "Tân Ước" not in (resolver.resolve(text, 2022)[1] or "")


def test_an_old_commune_after_the_reform_names_its_new_commune(resolver):
    _, reason = resolver.resolve("Phường Cầu Diễn", 2025)
    assert reason.endswith("— Phường Cầu Diễn nay thuộc Phường Từ Liêm, Thành phố Hà Nội (mã 00592)")


def test_expand_abbreviation_only_at_the_start_and_only_known_ones():
    assert unit_names.expand_abbreviation("TX. Phổ Yên") == "Thị xã Phổ Yên"
    assert unit_names.expand_abbreviation("Q.1") == "Quận 1"
    assert unit_names.expand_abbreviation("P12") == "Phường 12"
    # A single letter without its dot is a name ("H'Neng", "A Lưới"), not an abbreviation.
    for text in ("H'Neng", "A Lưới", "Phú Lương", "Huyện Đồng Hỷ", "TP.", "Quận 1"):
        assert unit_names.expand_abbreviation(text) is None


def test_import_reads_abbreviated_and_former_names_and_refuses_with_the_message(geography):
    data = workbook(
        facts=[
            ("P. Hoàng Văn Thụ, TP. Thái Nguyên", "09/2022", "drug_users", "12"),
            ("Tỉnh Thừa Thiên Huế", "09/2022", "drug_users", "1.300"),
            ("Toàn quốc", "09/2022", "drug_users", "200.000"),
        ],
        targets=[("2030", "Toàn quốc", "drug_free_share", "Trên (%)", "50")],
    )
    report = importing.check_import(data, "bao-cao.xlsx", None, geography)
    assert [(p.where, p.message.split(":")[0]) for p in report.errors] == [
        ("dòng 4", "'Toàn quốc' là số liệu cả nước")
    ]
    fixed = workbook(
        facts=[
            ("P. Hoàng Văn Thụ, TP. Thái Nguyên", "09/2022", "drug_users", "12"),
            ("Tỉnh Thừa Thiên Huế", "09/2022", "drug_users", "1.300"),
        ],
        targets=[("2030", "Toàn quốc", "drug_free_share", "Trên (%)", "50")],
    )
    report = importing.check_import(fixed, "bao-cao.xlsx", None, geography)
    assert report.ok, report.lines()
    assert sorted(report.facts.select("unit_code", "value").iter_rows()) == [("05440", 12.0), ("46", 1300.0)]
    assert report.targets.select("year", "unit_code", "metric", "rule", "value").rows() == [
        (2030, COUNTRY_CODE, "drug_free_share", "more_than", 50.0)
    ]


def test_a_scoped_manager_cannot_file_a_national_target(geography):
    data = workbook(targets=[("2030", "Toàn quốc", "drug_free_share", "Trên (%)", "50")])
    scope = Access(units=("01",))
    report = importing.check_import(data, "bao-cao.xlsx", None, geography, scope=scope)
    assert [p.message for p in report.errors] == [
        "Toàn quốc (mã VN) ngoài phạm vi được phân quyền: không nhập số liệu của đơn vị này"
    ]


def test_targets_from_2025_on_abolished_units_are_refused_naming_the_new_unit(geography):
    data = workbook(
        targets=[
            ("2026", "49", "compulsory_rehab", "Tối thiểu", "300"),
            ("2030", "Tỉnh Quảng Nam", "drug_free_share", "Tối thiểu", "50"),
            ("2026", "Quận Nam Từ Liêm", "compulsory_rehab", "Tối thiểu", "30"),
            ("2026", "48", "compulsory_rehab", "Tối thiểu", "300"),  # the new Đà Nẵng: fine
        ]
    )
    report = importing.check_import(data, "bao-cao.xlsx", None, geography)
    assert [(p.where, p.message.split(" — ")[-1]) for p in report.errors] == [
        ("dòng 2", "Tỉnh Quảng Nam nay thuộc Thành phố Đà Nẵng (mã 48)"),
        ("dòng 3", "Tỉnh Quảng Nam nay thuộc Thành phố Đà Nẵng (mã 48)"),
        ("dòng 4", "Quận Nam Từ Liêm nay thuộc Thành phố Hà Nội (mã 01)"),
    ]


def test_former_names_table_is_the_packages_own(geography):
    table = unit_names.former_names()
    # Keys are the package's folded names; every unit they point to is in the old list.
    assert table["phuongnguyentrungtruc"] == ("00004",)
    assert all(geography.has(code) for codes in table.values() for code in codes)
    frame = pl.read_parquet(unit_names.DEFAULT_FORMER_NAMES_PATH)
    assert set(frame["level"].unique()) == {"commune", "district"}


# --- fuzzing: every unit's name abbreviated resolves to that unit ------------------------------

ABBREVIATED = {
    "Thành phố ": ("TP. ", "Tp ", "TP "),
    "Thị xã ": ("TX. ", "TX "),
    "Thị trấn ": ("TT. ", "TT "),
    "Quận ": ("Q. ", "Q."),
    "Phường ": ("P. ", "P."),
    "Huyện ": ("H. ",),
    "Xã ": ("X. ",),
}


def _unique_units() -> list[tuple[str, str]]:
    geo = reform.legacy_geography()
    names = geo.units.select("unit_code", "unit_name")
    folded = pl.col("unit_name").map_elements(importing.fold, return_dtype=pl.String)
    unique = names.filter(folded.is_unique())
    return [r for r in unique.iter_rows() if any(r[1].startswith(t) for t in ABBREVIATED)]


UNITS = _unique_units()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(unit=st.sampled_from(UNITS), pick=st.integers(0, 2), case=st.sampled_from([str, str.upper, str.lower]))
def test_abbreviated_names_of_every_kind_resolve_to_their_unit(resolver, unit, pick, case):
    code, name = unit
    full = next(t for t in ABBREVIATED if name.startswith(t))
    forms = ABBREVIATED[full]
    written = case(forms[pick % len(forms)]) + name[len(full) :]
    found, reason = resolver.legacy.resolve(written)
    if found is None:
        # Only "Q.1"-style numbers of two districts or wards sharing a number stay ambiguous.
        assert importing.AMBIGUOUS in reason, (written, reason)
    else:
        assert found == code, (written, found)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=30))
def test_any_text_is_a_unit_or_a_message(text):
    resolver = importing.PeriodResolver.of(reform.legacy_geography(), reform.geography_2025())
    code, reason = resolver.resolve(text, 2022)
    assert (code is None) != (reason is None)
    if code is not None:
        assert reform.legacy_geography().has(code)
