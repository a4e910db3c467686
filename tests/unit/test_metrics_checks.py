"""Total rehab and its plan, whole counts, typed percentages as typed, and who counts as a drug user."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from dashboard import catalog, goals, importing, query
from dashboard.catalog import CATALOG
from dashboard.snapshot import load_snapshot
from tests.support.data import BASE_ID, CAU_DIEN, NAM_TU_LIEM, XUAN_PHUONG, workbook


def test_total_rehab_round_trip_template_import_summary_and_its_plan_judged(data_dir, geography):
    # "Tổng số người cai nghiện năm 2021: 883 người, đạt 88,3% kế hoạch năm (1.000 người)."
    data = workbook(
        facts=[
            (NAM_TU_LIEM, "năm 2021", "Tổng số người cai nghiện (mọi hình thức)", "883"),
            (CAU_DIEN, "năm 2021", "rehab_total", "500"),
        ],
        targets=[("2021", "Quận Nam Từ Liêm", "rehab_total", "Tối thiểu", "1.000", "KH năm", "88,3%")],
    )
    report = importing.import_file(data, "bao-cao.xlsx", data_dir, None, BASE_ID, geography)
    assert report.ok and report.written is not None, report.lines()
    # 883/1.000 is 88,3% as the report typed it: no warning about it. The year's totals are kept as
    # totals over January–December (contract version 3), which the monthly parent-sum check does
    # not read, so nothing else is warned either.
    assert [p.message for p in report.warnings] == []
    snap = load_snapshot(report.written, geography)
    out = snap.summarize(geography, [NAM_TU_LIEM, CAU_DIEN], ["rehab_total"], "year", (2021, 2021))
    assert dict(out.select("unit_code", "value").iter_rows()) == {NAM_TU_LIEM: 883.0, CAU_DIEN: 500.0}
    (result,) = goals.evaluate(
        snap.in_geography(geography), unit=NAM_TU_LIEM, year=2021, as_of=dt.date(2021, 12, 1)
    )
    assert (result.actual, result.target, result.achievement_pct) == (883, 1000, 88.3)
    assert (result.met, result.status) == (False, goals.NOT_MET)
    assert "đạt 88,30%" in result.explanation


def test_the_guide_sheet_lists_total_rehab_and_the_drug_user_definition():
    book = openpyxl.load_workbook(io.BytesIO(importing.template_bytes()))
    guide = "\n".join(str(c.value) for c in book[importing.SHEET_HELP]["A"] if c.value)
    assert "rehab_total — Tổng số người cai nghiện (mọi hình thức) (người; số phát sinh)" in guide
    assert "drug_users — Người sử dụng trái phép chất ma túy (người; số tồn): Tổng số người sử dụng" in guide
    assert "KỂ CẢ người nghiện" in guide and "ghi 1.661" in guide
    assert "Trên (%)" in guide and "điểm phần trăm" in guide


def test_the_catalog_states_who_drug_users_are():
    entry = CATALOG["drug_users"]
    assert "KỂ CẢ người nghiện" in entry.note("vi") and "Luật Phòng, chống ma túy 2021" in entry.note("vi")
    assert "addicts included" in entry.note("en")
    assert CATALOG["rehab_total"].kind == "flow" and CATALOG["rehab_total"].note_vi
    assert set(catalog.REHAB_FORMS) <= catalog.FLOW_INDICATORS


# Count cells that are not whole: the cell's text quoted, '1,292' read the Vietnamese way.
NOT_WHOLE = [
    (
        "1,292",
        "drug_users",
        "giá trị '1,292' của 'Người sử dụng trái phép chất ma túy' không phải số nguyên (theo cách viết "
        "Việt Nam, dấu phẩy là dấu thập phân): số người phải là số đếm, không có phần thập phân — nếu là "
        "1.292 người, viết 1.292 (dấu chấm ngăn cách hàng nghìn)",
    ),
    (
        "12,5",
        "compulsory_rehab",
        "giá trị '12,5' của 'Đưa đi cai nghiện bắt buộc' không phải số nguyên (theo cách viết Việt Nam, "
        "dấu phẩy là dấu thập phân): số người phải là số đếm, không có phần thập phân",
    ),
    (
        "2.5",
        "prostitution_prone_businesses",
        "giá trị '2.5' của 'Cơ sở kinh doanh dịch vụ dễ phát sinh mại dâm' không phải số nguyên: số cơ sở "
        "phải là số đếm, không có phần thập phân",
    ),
    (
        "1,292,000",
        "drug_users",
        "giá trị '1,292,000' không phải là số (viết 1.292.000: dấu chấm ngăn cách hàng nghìn)",
    ),
]


@pytest.mark.parametrize(("cell", "indicator", "message"), NOT_WHOLE)
def test_counts_must_be_whole_quoting_the_cell(base, geography, cell, indicator, message):
    data = workbook(facts=[(CAU_DIEN, "09/2022", indicator, cell)])
    report = importing.check_import(data, "bao-cao.xlsx", base, geography)
    assert [(p.where, p.message) for p in report.errors] == [("dòng 2", message)]


def test_whole_counts_and_decimal_rates_still_import(base, geography):
    data = workbook(
        facts=[
            (CAU_DIEN, "09/2022", "drug_users", "1.292"),
            (CAU_DIEN, "09/2022", "addicts_managed", "1292"),
            (CAU_DIEN, "09/2022", "hiv_prevalence", "0,35"),  # a typed rate: checked, not stored
        ]
    )
    report = importing.check_import(data, "bao-cao.xlsx", base, geography)
    assert report.ok, report.lines()


def test_a_typed_achievement_is_quoted_with_its_decimals(base, geography):
    # The base has 16 people sent to compulsory rehab by August 2022 against a quota of 32 (50%);
    # the report typed 68,75%, and the warning quotes 68,75% — not "69%".
    data = workbook(targets=[("2022", NAM_TU_LIEM, "compulsory_rehab", "Tối thiểu", "32", "KH", "68,75%")])
    report = importing.check_import(data, "bao-cao.xlsx", base, geography)
    assert report.ok
    assert [p.message for p in report.warnings] == [
        "Đưa đi cai nghiện bắt buộc năm 2022: báo cáo ghi đạt 68,75% nhưng 16/32 = 50,00%"
    ]


@pytest.mark.parametrize(
    ("value", "shown"), [(68.75, "68,75%"), (184.0, "184%"), (0.3, "0,3%"), (12.5, "12,5%")]
)
def test_typed_percentages_keep_their_decimals(value, shown):
    assert importing.typed_pct(value) == shown


def test_a_report_counting_addicts_and_other_users_apart_imports(base, geography):
    # The police's way: 539 addicts and 1.122 other users, 1.661 in all — typed as the total.
    data = workbook(
        facts=[
            (CAU_DIEN, "12/2021", "addicts_managed", "539"),
            (CAU_DIEN, "12/2021", "drug_users", "1.661"),
        ]
    )
    report = importing.check_import(data, "bao-cao.xlsx", base, geography)
    assert report.ok and report.warnings == [], report.lines()
    # Typed with its second group as the "users" figure: more addicts than users still imports,
    # with a warning that quotes the definition — never a refusal.
    data = workbook(
        facts=[
            (XUAN_PHUONG, "12/2021", "addicts_managed", "1.456"),
            (XUAN_PHUONG, "12/2021", "drug_users", "337"),
        ]
    )
    report = importing.check_import(data, "bao-cao.xlsx", base, geography)
    assert report.ok, report.lines()
    (warning,) = report.warnings
    assert warning.message.startswith(
        "Người nghiện có hồ sơ quản lý = 1.456 lớn hơn Người sử dụng trái phép chất ma túy = 337 "
        f"(đơn vị {XUAN_PHUONG}, tháng 12/2021); vẫn nhập — lưu ý: 'Người sử dụng trái phép chất ma túy' là "
        "tổng số người sử dụng trái phép chất ma túy, KỂ CẢ người nghiện"
    )
    stored = report.facts.filter(report.facts["unit_code"] == XUAN_PHUONG)
    assert sorted(stored.filter(stored["period"] == dt.date(2021, 12, 1))["value"].to_list()) == [
        337.0,
        1456.0,
    ]


def test_parts_of_addicts_above_their_whole_are_still_refused(base, geography):
    data = workbook(
        facts=[
            (CAU_DIEN, "12/2021", "addicts_managed", "10"),
            (CAU_DIEN, "12/2021", "addicts_in_community", "11"),
        ]
    )
    report = importing.check_import(data, "bao-cao.xlsx", base, geography)
    assert not report.ok
    assert (
        "Người nghiện ở cộng đồng = 11 lớn hơn Người nghiện có hồ sơ quản lý = 10" in report.errors[0].message
    )


def test_the_demo_total_rehab_is_the_sum_of_its_forms(demo_snapshots, geography):
    snap = next(iter(demo_snapshots.values()))
    ids = ["rehab_total", *catalog.REHAB_FORMS]
    out = snap.summarize(geography, ["01"], ids, "year", (2021, 2021))
    values = dict(out.select("indicator", "value").iter_rows())
    assert values["rehab_total"] == sum(values[f] for f in catalog.REHAB_FORMS) > 0
    # The overview's query core answers the new metric like any flow.
    assert query.needed_fact_indicators(["rehab_total"]) == ["rehab_total"]
