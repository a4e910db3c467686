"""The written report: Vietnamese narrative from templates, numbers equal to the query core's, Word file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import docx
import pytest
from PIL import Image

from dashboard import meeting, query, report
from dashboard.catalog import CATALOG
from dashboard.formatting import fmt_number, fmt_pct

NAM_TU_LIEM = "019"


@pytest.fixture(scope="module")
def snapshot(demo_snapshots):
    return demo_snapshots["2025-12-31"]


@pytest.fixture(scope="module")
def pack(snapshot, geography):
    return meeting.build_pack(snapshot.in_geography(geography), NAM_TU_LIEM, 2022, "9m")


@pytest.fixture(scope="module")
def core(snapshot, geography) -> dict[tuple[str, int], float]:
    """The query core's own 9-month values for Nam Từ Liêm, 2021 and 2022, by (indicator, year)."""
    frame = query.summarize(
        query.from_facts(snapshot.facts, geography),
        snapshot.status,
        geography,
        [NAM_TU_LIEM],
        None,
        "9m",
        (2021, 2022),
    )
    return {(r["indicator"], r["period"].year): r["value"] for r in frame.iter_rows(named=True)}


@pytest.fixture(scope="module")
def text(pack) -> str:
    return report.report_text(pack)


def test_the_seed_sentences_come_out_of_the_data(text):
    assert "Tính đến ngày 30/09/2022, toàn quận có 445 người nghiện có hồ sơ quản lý" in text
    assert "toàn quận đã đưa 22/32 người đi cai nghiện bắt buộc, đạt 68,75% chỉ tiêu" in text
    assert (
        "vận động 64/60 người nghiện ma túy tham gia cai nghiện tự nguyện tại cơ sở cai nghiện,"
        " đạt 106,67% chỉ tiêu" in text
    )
    assert "Đưa đi cai nghiện bắt buộc: 22/32 (68,75%)" in text
    assert "Cai nghiện tự nguyện tại cơ sở cai nghiện: 64/60 (106,67%)" in text
    assert "trong đó ở cộng đồng 232 người; vắng mặt 51 người; ở cơ sở cai nghiện 123 người" in text


@pytest.mark.parametrize(
    "words,indicator",
    [
        ("toàn quận có {} người nghiện có hồ sơ quản lý", "addicts_managed"),
        ("ở cộng đồng {} người", "addicts_in_community"),
        ("vắng mặt {} người", "addicts_absent"),
        ("xác định nghiện {} người", "addicts_confirmed"),
        ("có {} người sử dụng trái phép chất ma túy", "drug_users"),
        ("{} người đang điều trị thay thế bằng Methadone", "methadone_patients"),
        ("có {} cơ sở kinh doanh dịch vụ, trong đó", "service_businesses"),
        ("{} cơ sở kinh doanh dịch vụ dễ phát sinh mại dâm", "prostitution_prone_businesses"),
        ("tiếp nhận {} nạn nhân bị mua bán trở về", "trafficking_victims_returned"),
        ("có {} người nhiễm HIV còn sống", "hiv_cases"),
        ("{} bệnh nhân điều trị ARV", "arv_patients"),
        ("lập hồ sơ {} trường hợp", "commune_education_cases"),
    ],
)
def test_each_count_equals_the_query_core(text, core, words, indicator):
    assert words.format(fmt_number(core[(indicator, 2022)])) in text


def test_rates_equal_the_query_core(text, core):
    assert f"tỷ lệ nhiễm HIV trong cộng đồng {fmt_pct(core[('hiv_prevalence', 2022)])}" in text
    assert f"được quản lý sau cai nghiện ({fmt_pct(core[('post_rehab_managed_share', 2022)])})" in text


def test_change_against_the_same_period_last_year(text, core):
    now, before = core[("addicts_managed", 2022)], core[("addicts_managed", 2021)]
    word = "giảm" if now < before else "tăng"
    pct = fmt_pct(abs(now - before) / before * 100)
    expected = f"({word} {fmt_number(abs(now - before))} người so với cùng kỳ năm 2021, tương ứng {pct})"
    assert "445 người nghiện có hồ sơ quản lý " + expected in text
    assert f"(cùng kỳ năm 2021: {fmt_number(core[('compulsory_rehab', 2021)])} người)" in text


def test_goals_met_and_missed(pack, text):
    assert "quận Nam Từ Liêm được giao 3 chỉ tiêu; sau 9 tháng năm 2022 đã đạt 1/3 chỉ tiêu." in text
    met = text.split("Các chỉ tiêu đã đạt: ")[1].split("\n")[0]
    missed = text.split("Các chỉ tiêu chưa đạt: ")[1].split("\n")[0]
    assert "Cai nghiện tự nguyện tại cơ sở cai nghiện" in met and "bắt buộc" not in met
    assert "Đưa đi cai nghiện bắt buộc: 22/32 (68,75%), theo tiến độ 9 tháng cần 24" in missed
    assert "có nguy cơ không hoàn thành" in missed


@pytest.mark.parametrize(
    "grain,year,expected",
    [("9m", 2022, "9 tháng năm 2022"), ("year", 2021, "năm 2021"), ("6m", 2022, "6 tháng đầu năm 2022")],
)
def test_period_phrase(pack, grain, year, expected):
    changed = dataclasses.replace(pack, grain=grain, year=year, period=dt.date(year, 1, 1))
    assert report.period_phrase(changed) == expected


def test_a_missing_figure_drops_its_clause_rather_than_printing_a_dash(pack):
    figures = {k: v for k, v in pack.figures.items() if k != "addicts_absent"}
    text = report.report_text(dataclasses.replace(pack, figures=figures))
    assert "vắng mặt" not in text and "–" not in text.split("1. ")[1].split("6. ")[0]


def test_a_unit_without_targets_says_so(snapshot, geography):
    province = meeting.build_pack(snapshot.in_geography(geography), "01", 2024, "year", ["goals"])
    assert "chưa có chỉ tiêu được giao" in report.report_text(province)


def test_word_report_opens_and_its_numbers_equal_the_query_core(pack, core, tmp_path):
    png = io.BytesIO()
    Image.new("RGB", (32, 18), "white").save(png, format="PNG")
    images = {c.key: png.getvalue() for c in pack.charts}
    path = report.write_report(pack, tmp_path / "bao-cao.docx", images)
    document = docx.Document(str(path))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Tính đến ngày 30/09/2022, toàn quận có 445 người nghiện có hồ sơ quản lý" in body
    assert f"đưa {fmt_number(core[('compulsory_rehab', 2022)])}/32 người đi cai nghiện bắt buộc" in body
    assert "đạt 68,75% chỉ tiêu" in body and "64/60" in body and "106,67%" in body
    assert len(document.inline_shapes) == len(pack.charts)
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == list(report.GOAL_COLUMNS)
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows[CATALOG["compulsory_rehab"].label_vi][2:4] == ["22", "68,75%"]
    assert rows[CATALOG["voluntary_rehab_center"].label_vi][2:4] == ["64", "106,67%"]


def test_numbers_in_the_text_use_vietnamese_marks(snapshot, geography):
    province = meeting.build_pack(snapshot.in_geography(geography), "01", 2024, "year", ["drugs"])
    text = report.report_text(province)
    managed = province.value("addicts_managed")
    assert managed >= 1000 and f"có {fmt_number(managed)} người nghiện" in text
    assert "." in fmt_number(managed)  # 15.907, not 15,907


def test_the_word_report_stays_vietnamese_for_an_english_screen(demo_snapshots, geography):
    """An administrative document is written in Vietnamese (report.py says why); the screen says so."""
    from dashboard.i18n import t

    pack = meeting.build_pack(
        demo_snapshots["2025-12-31"].in_geography(geography), "019", 2022, "9m", lang="en"
    )
    doc = docx.Document(io.BytesIO(report.report_docx(pack)))
    table = doc.tables[0]
    assert (
        [c.text for c in table.rows[0].cells] == list(report.GOAL_COLUMNS) == list(report.goal_columns("vi"))
    )
    assert "Tính đến ngày" in report.report_text(pack)
    assert "Vietnamese" in t("export.word_vietnamese", "en")


@pytest.mark.parametrize("grain,words", [("year", "Kỳ năm 2022 "), ("9m", "Kỳ 9 tháng năm 2022 ")])
def test_an_incomplete_period_is_named_in_lower_case_inside_the_sentence(pack, grain, words):
    text = report.preamble(dataclasses.replace(pack, grain=grain, complete=False))
    assert words + "chưa đủ số liệu: bộ số liệu mới đến ngày 30/09/2022." in text
