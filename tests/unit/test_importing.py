"""Importing committee reports: every error and warning, round trip, idempotence, atomicity."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import textwrap
import time

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import importing, query, schema
from dashboard.snapshot import load_snapshot, next_snapshot_id, survey
from tests.support.data import BASE_ID, CAU_DIEN, NAM_TU_LIEM, XUAN_PHUONG, tree_digest, workbook


def test_template_has_the_three_sheets_with_vietnamese_headers():
    book = openpyxl.load_workbook(io.BytesIO(importing.template_bytes()))
    assert book.sheetnames[:3] == [importing.SHEET_FACTS, importing.SHEET_STATUS, importing.SHEET_TARGETS]
    assert [c.value for c in book[importing.SHEET_FACTS][1]] == importing.TEMPLATE_HEADERS[
        importing.SHEET_FACTS
    ]


def test_round_trip_nine_month_report(data_dir, base, geography):
    data = workbook(
        facts=[
            ("Quận Nam Từ Liêm", "9 tháng 2022", "Đưa đi cai nghiện bắt buộc", "22"),
            ("phuong cau dien, nam tu liem", "09/2022", "addicts_managed", "45"),
            (XUAN_PHUONG, "09/2022", "Người nghiện có hồ sơ quản lý", "1.234"),
            (XUAN_PHUONG, "09/2022", "drug_users", "1.300"),
        ]
    )
    report = importing.import_file(data, "ntl.xlsx", data_dir, "2022-09-30", base, geography)
    assert report.ok, report.lines()
    # The id is the day the snapshot is made; the date its figures stand at is in the manifest.
    assert report.written == data_dir / "snapshots" / dt.date.today().isoformat()
    snap = load_snapshot(report.written, geography)
    assert snap.as_of == "2022-09-30" and snap.manifest["import_as_of"] == "2022-09-30"
    out = query.summarize(
        query.from_facts(snap.facts, geography),
        snap.status,
        geography,
        [NAM_TU_LIEM, CAU_DIEN, XUAN_PHUONG],
        ["compulsory_rehab", "addicts_managed"],
        grain="9m",
        years=(2022, 2022),
    )
    values = {(u, i): v for u, i, v in out.select("unit_code", "indicator", "value").iter_rows()}
    assert values[(NAM_TU_LIEM, "compulsory_rehab")] == 22
    assert values[(CAU_DIEN, "addicts_managed")] == 45
    assert values[(XUAN_PHUONG, "addicts_managed")] == 1234
    # The base snapshot is untouched and still valid.
    assert load_snapshot(data_dir / "snapshots" / BASE_ID, geography).facts.equals(base.facts)
    assert snap.manifest["import_file"] == "ntl.xlsx" and snap.manifest["base_snapshot"] == BASE_ID


def test_csv_with_semicolons_and_vietnamese_headers(data_dir, base, geography):
    text = "Mã đơn vị;Kỳ báo cáo;Chỉ tiêu;Giá trị\n00592;09/2022;addicts_managed;41\n"
    report = importing.import_file(
        text.encode("utf-8"), "so-lieu.csv", data_dir, "2022-09-30", base, geography
    )
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, geography)
    assert (
        snap.facts.filter(
            (pl.col("unit_code") == CAU_DIEN)
            & (pl.col("period") == dt.date(2022, 9, 1))
            & (pl.col("indicator") == "addicts_managed")
        )["value"].item()
        == 41
    )


ERROR_CASES = [
    (
        "unknown unit",
        dict(facts=[("Phường Không Có", "09/2022", "drug_users", "1")]),
        "không tìm thấy đơn vị",
    ),
    ("unknown code", dict(facts=[("99999", "09/2022", "drug_users", "1")]), "không có trong danh mục"),
    (
        "ambiguous name",
        dict(facts=[("Hoàng Mai", "09/2022", "drug_users", "1")]),
        "Thị xã Hoàng Mai, Tỉnh Nghệ An",
    ),
    ("unknown indicator", dict(facts=[(CAU_DIEN, "09/2022", "so_meo", "1")]), "không có trong danh mục"),
    ("bad period", dict(facts=[(CAU_DIEN, "13/2022", "drug_users", "1")]), "kỳ báo cáo"),
    ("non-numeric", dict(facts=[(CAU_DIEN, "09/2022", "drug_users", "nhiều")]), "không phải là số"),
    ("negative", dict(facts=[(CAU_DIEN, "09/2022", "drug_users", "-3")]), "giá trị âm"),
    (
        "duplicate",
        dict(facts=[(CAU_DIEN, "09/2022", "drug_users", "3"), ("00592", "9/2022", "drug_users", "4")]),
        "trùng khóa",
    ),
    (
        "parts exceed whole",
        dict(
            facts=[
                (CAU_DIEN, "09/2022", "addicts_in_community", "50"),
                (CAU_DIEN, "09/2022", "addicts_managed", "45"),
            ]
        ),
        "lớn hơn",
    ),
    (
        "healthy and key",
        dict(status=[("2022", CAU_DIEN, "Trọng điểm loại II", "Không", "Có")]),
        "xã lành mạnh",
    ),
    ("bad classification", dict(status=[("2022", CAU_DIEN, "nặng", "Không", "Không")]), "phân loại"),
    (
        "status on a district",
        dict(status=[("2022", NAM_TU_LIEM, "Không ma túy", "Không", "Không")]),
        "không phải cấp xã",
    ),
    ("bad rule", dict(targets=[("2022", NAM_TU_LIEM, "compulsory_rehab", "khoảng", "30")]), "quy tắc"),
    (
        "cumulative below months already reported",
        dict(facts=[(NAM_TU_LIEM, "9 tháng 2022", "compulsory_rehab", "5")]),
        "nhỏ hơn số đã báo cáo",
    ),
]


@pytest.mark.parametrize(("what", "rows", "words"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors_are_refused_with_row_and_column_and_nothing_changes(
    what, rows, words, data_dir, base, geography
):
    before = tree_digest(data_dir)
    report = importing.import_file(workbook(**rows), "bad.xlsx", data_dir, "2022-09-30", base, geography)
    assert not report.ok
    assert any(words in p.message for p in report.errors), report.lines()
    assert all(p.where and p.where.startswith(("dòng", "các dòng")) for p in report.errors), report.lines()
    assert report.written is None
    assert tree_digest(data_dir) == before


def test_missing_column_is_named(data_dir, base, geography):
    text = "Mã đơn vị,Kỳ báo cáo,Giá trị\n00592,09/2022,4\n"
    report = importing.import_file(text.encode(), "thieu.csv", data_dir, "2022-09-30", base, geography)
    assert not report.ok
    assert "không nhận ra loại bảng" in report.errors[0].message


WARNING_CASES = [
    (
        "jump",
        dict(
            facts=[
                (CAU_DIEN, "09/2022", "addicts_managed", "400"),
                (CAU_DIEN, "09/2022", "drug_users", "400"),
            ]
        ),
        "thay đổi bất thường",
    ),
    (
        "achievement over 150%",
        dict(
            facts=[(NAM_TU_LIEM, "năm 2022", "compulsory_rehab", "54")],
            targets=[("2022", NAM_TU_LIEM, "compulsory_rehab", "Tối thiểu", "30")],
        ),
        "180,00%",
    ),
    (
        "typed percentage mismatch",
        dict(
            facts=[(NAM_TU_LIEM, "năm 2022", "compulsory_rehab", "54")],
            targets=[("2022", NAM_TU_LIEM, "compulsory_rehab", "at_least", "30", "", "184")],
        ),
        "báo cáo ghi đạt 184%",
    ),
    (
        "parent differs from children",
        dict(facts=[(NAM_TU_LIEM, "08/2022", "addicts_managed", "100")]),
        "khác tổng của các đơn vị trực thuộc",
    ),
]


@pytest.mark.parametrize(("what", "rows", "words"), WARNING_CASES, ids=[c[0] for c in WARNING_CASES])
def test_warnings_are_written_and_shown(what, rows, words, data_dir, base, geography):
    report = importing.import_file(workbook(**rows), "warn.xlsx", data_dir, "2022-09-30", base, geography)
    assert report.ok, report.lines()
    assert any(words in p.message for p in report.warnings), report.lines()
    assert report.written is not None


def test_importing_the_same_file_twice_creates_nothing_new(data_dir, base, geography):
    data = workbook(facts=[(CAU_DIEN, "09/2022", "addicts_managed", "41")])
    first = importing.import_file(data, "a.xlsx", data_dir, "2022-09-30", base, geography)
    assert first.written is not None
    before = tree_digest(data_dir)
    second = importing.import_file(data, "a.xlsx", data_dir, "2022-09-30", base, geography)
    assert second.written is None and "đã được nhập" in second.message
    assert tree_digest(data_dir) == before


def test_a_file_that_changes_nothing_creates_nothing(data_dir, base, geography):
    data = workbook(facts=[(CAU_DIEN, "08/2022", "addicts_managed", "40")])
    report = importing.import_file(data, "same.xlsx", data_dir, "2022-09-30", base, geography)
    assert report.ok and report.written is None and "không làm thay đổi" in report.message


def test_second_import_on_the_same_day_gets_a_suffix_and_builds_on_the_first(data_dir, base, geography):
    written = []
    for value, unit in (("41", CAU_DIEN), ("42", XUAN_PHUONG)):
        data = workbook(facts=[(unit, "09/2022", "addicts_managed", value)])
        # No base named: the newest snapshot, so the second import holds the first one's row.
        written.append(importing.import_file(data, f"{value}.xlsx", data_dir, "2022-09-30").written)
    today = dt.date.today().isoformat()
    assert [p.name for p in written] == [today, f"{today}-2"]
    assert survey(data_dir, geography).valid[0] == f"{today}-2"
    facts = load_snapshot(written[1], geography).facts.filter(pl.col("period") == dt.date(2022, 9, 1))
    assert sorted(facts["value"].to_list()) == [41, 42]


@pytest.mark.parametrize(
    ("names", "today", "expected"),
    [
        ((), dt.date(2026, 12, 4), "2026-12-04"),
        (("2026-10-31",), dt.date(2026, 12, 4), "2026-12-04"),
        (("2026-12-04", "2026-12-04-2"), dt.date(2026, 12, 4), "2026-12-04-3"),
        # An id dated later than today (ids once were the figures' dates): still sorts after it.
        (("2026-12-08",), dt.date(2026, 12, 4), "2026-12-08-2"),
        (("2026-12-04-9", "2026-12-04-10"), dt.date(2026, 12, 4), "2026-12-04-11"),
    ],
)
def test_snapshot_ids_sort_after_every_existing_one(tmp_path, names, today, expected):
    for name in names:
        (tmp_path / name).mkdir()
    assert next_snapshot_id(tmp_path, today) == expected


def test_back_filling_an_earlier_period_keeps_every_newer_figure(data_dir, base, geography):
    data = workbook(facts=[(CAU_DIEN, "03/2019", "addicts_managed", "17")])
    report = importing.import_file(data, "2019.xlsx", data_dir, "2019-03-31", base, geography)
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, geography)
    # The new snapshot is the newest (the one the app opens) and keeps everything of its base.
    assert survey(data_dir, geography).valid[0] == snap.snapshot_id
    assert snap.facts.join(base.facts, on=list(schema.FACTS_KEY), how="anti").rows() == [
        (dt.date(2019, 3, 1), CAU_DIEN, "addicts_managed", 17.0)
    ]
    assert base.facts.join(snap.facts, on=[*schema.FACTS_KEY, "value"], how="anti").is_empty()
    # Its figures stand at the later of the two dates; the file's own date is kept beside it.
    assert snap.as_of == BASE_ID and snap.manifest["import_as_of"] == "2019-03-31"


def test_upload_size_limit(data_dir, base, geography):
    data = workbook(facts=[(CAU_DIEN, "09/2022", "addicts_managed", "41")])
    report = importing.import_file(data, "a.xlsx", data_dir, "2022-09-30", base, geography, max_bytes=1000)
    assert not report.ok and "vượt giới hạn" in report.errors[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.456", 1456.0),
        ("1456", 1456.0),
        ("12,5", 12.5),
        ("118,75%", 118.75),
        ("1.234.567", 1234567.0),
        ("abc", None),
        ("", None),
        ("1e400", None),
        ("=1+1", None),
    ],
)
def test_parse_number(text, expected):
    assert importing.parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09/2022", (dt.date(2022, 9, 1),) * 2),
        ("tháng 9/2022", (dt.date(2022, 9, 1),) * 2),
        ("2022-09", (dt.date(2022, 9, 1),) * 2),
        ("44805", (dt.date(2022, 9, 1),) * 2),
        ("9 tháng 2022", (dt.date(2022, 1, 1), dt.date(2022, 9, 1))),
        ("6 tháng đầu năm 2022", (dt.date(2022, 1, 1), dt.date(2022, 6, 1))),
        ("Năm 2021", (dt.date(2021, 1, 1), dt.date(2021, 12, 1))),
        ("01/2022-09/2022", (dt.date(2022, 1, 1), dt.date(2022, 9, 1))),
        ("13/2022", None),
        ("quý 5", None),
        ("09/2022-01/2022", None),
    ],
)
def test_parse_period(text, expected):
    assert importing.parse_period(text) == expected


def test_compare_lists_revised_added_removed(demo_snapshots):
    from dashboard import demo

    old, new = (demo_snapshots[sid] for sid, _ in demo.SNAPSHOTS)
    diff = importing.compare(old, new)
    kinds = set(diff["change"].unique().to_list())
    assert kinds == {"revised", "added"}
    revised = diff.filter(pl.col("change") == "revised")
    assert (revised["new_value"] - revised["old_value"]).to_list() == [1.0] * revised.height
    assert diff.filter(pl.col("change") == "added")["period"].min() == dt.date(2025, 1, 1)


# ---------------------------------------------------------------- malformed input never crashes


def _xlsx_variants() -> st.SearchStrategy[bytes]:
    # Text a spreadsheet can hold (no control characters), plus the awkward values committees type.
    cells = st.one_of(
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
        st.sampled_from(["=1+1", "<b>x</b>", "1e308", "-0", "١٢", "NaN"]),
        st.integers(-(10**20), 10**20).map(str),
        st.floats(allow_nan=True).map(str),
    )
    row = st.tuples(cells, cells, cells, cells)
    return st.lists(row, max_size=4).map(lambda rows: workbook(facts=rows))


MALFORMED = st.one_of(
    st.binary(max_size=300),
    _xlsx_variants(),
    # A workbook cut short; the cut is a fraction, so the draws do not depend on the file's length
    # (which varies: the workbook records the time it was saved).
    st.tuples(_xlsx_variants(), st.floats(0.01, 0.99)).map(lambda p: p[0][: max(1, int(len(p[0]) * p[1]))]),
    st.text(max_size=300).map(lambda t: ("Mã đơn vị,Kỳ báo cáo,Chỉ tiêu,Giá trị\n" + t).encode("utf-8")),
    st.text(max_size=100).map(lambda t: ("Mã đơn vị,Kỳ báo cáo,Chỉ tiêu,Giá trị\n" + t).encode("utf-16")),
    st.text(max_size=100).map(
        lambda t: ("Mã đơn vị;Kỳ báo cáo;Chỉ tiêu;Giá trị\n" + t).encode("cp1258", "replace")
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=MALFORMED, name=st.sampled_from(["bao-cao.xlsx", "bao-cao.csv", "bao-cao.pdf"]))
def test_malformed_files_end_in_a_clear_error_or_a_correct_import(
    data, name, base, geography, tmp_path_factory
):
    root = tmp_path_factory.mktemp("fuzz")
    report = importing.check_import(data, name, base, geography)
    if report.ok:
        assert report.facts is not None and report.facts["value"].min() >= 0
    else:
        assert all(p.message for p in report.errors)
    del root


def test_html_and_formulas_in_names_are_refused_as_unknown_units(data_dir, base, geography):
    data = workbook(
        facts=[
            ("<script>alert(1)</script>", "09/2022", "drug_users", "1"),
            ('=HYPERLINK("x")', "09/2022", "drug_users", "1"),
        ]
    )
    report = importing.check_import(data, "x.xlsx", base, geography)
    # The tag is an unknown name; the formula cell (no cached value) arrives empty.
    assert [(p.where, p.message.split(" '")[0]) for p in report.errors] == [
        ("dòng 2", "kỳ 09/2022: không tìm thấy đơn vị"),
        ("dòng 3", "thiếu mã hoặc tên đơn vị"),
    ]


# ---------------------------------------------------------------- a killed import leaves nothing


KILLER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import polars as pl
    from dashboard import importing
    from dashboard.geography import Geography
    from dashboard.snapshot import load_snapshot

    original = pl.DataFrame.write_parquet
    def slow_write(self, path, *a, **k):
        original(self, path, *a, **k)
        print("WRITING", flush=True)
        time.sleep(60)
    pl.DataFrame.write_parquet = slow_write
    data_dir = Path(sys.argv[1])
    geo = Geography.from_reference()
    base = load_snapshot(data_dir / "snapshots" / sys.argv[2], geo)
    importing.import_file(Path(sys.argv[3]).read_bytes(), "x.xlsx", data_dir, "2022-09-30", base, geo)
""")


def test_killing_an_import_mid_write_leaves_no_partial_snapshot(data_dir, geography, tmp_path):
    upload = tmp_path / "x.xlsx"
    upload.write_bytes(workbook(facts=[(CAU_DIEN, "09/2022", "addicts_managed", "41")]))
    before = tree_digest(data_dir / "snapshots" / BASE_ID)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLER, str(data_dir), BASE_ID, str(upload)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 60
        line = ""
        while "WRITING" not in line and time.monotonic() < deadline:
            line = proc.stdout.readline()
        assert "WRITING" in line
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
        proc.stdout.close()
    catalogue = survey(data_dir, geography)
    assert catalogue.valid == (BASE_ID,) and catalogue.skipped == ()
    assert [p.name for p in (data_dir / "snapshots").iterdir() if p.name != BASE_ID] != []  # its leftover
    assert tree_digest(data_dir / "snapshots" / BASE_ID) == before
    # The killed writer held the write lock: the kernel released it, and the next import runs,
    # removes the leftover folder and lands.
    started = time.monotonic()
    report = importing.import_file(upload.read_bytes(), "x.xlsx", data_dir, "2022-09-30")
    assert report.written is not None and time.monotonic() - started < 30
    assert sorted(p.name for p in (data_dir / "snapshots").iterdir()) == sorted(
        [BASE_ID, report.written.name, ".validated"]
    )


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([(CAU_DIEN, "09/2022", "addicts_managed", "41")], dt.date(2022, 9, 30)),
        ([(NAM_TU_LIEM, "năm 2022", "compulsory_rehab", "30")], dt.date(2022, 12, 31)),
        ([(CAU_DIEN, "02/2024", "addicts_managed", "41")], dt.date(2024, 2, 29)),
    ],
)
def test_suggested_as_of_is_the_end_of_the_newest_month(rows, expected, base, geography):
    report = importing.check_import(workbook(facts=rows), "a.xlsx", base, geography)
    assert report.ok and importing.suggested_as_of(report) == expected


def test_suggested_as_of_without_figures_is_today(base, geography):
    report = importing.check_import(
        workbook(status=[("2022", CAU_DIEN, "Không ma túy", "Không", "Có")]), "a.xlsx", base, geography
    )
    assert importing.suggested_as_of(report, today=dt.date(2026, 11, 25)) == dt.date(2026, 11, 25)
