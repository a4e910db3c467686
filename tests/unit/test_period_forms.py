"""Report periods as committees write them: every accepted form, every refusal and its message."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import importing
from dashboard.importing import PERIOD_FORMS, Period, read_period
from tests.support.data import workbook

THAI_NGUYEN = "19"


def m(month: int, year: int) -> dt.date:
    return dt.date(year, month, 1)


CUT_OFF_NOTE = (
    "kỳ báo cáo 'từ ngày 15/12/2021 đến ngày 14/6/2022' cắt theo ngày (15/12/2021–14/06/2022) được tính là "
    "các tháng 01/2022–06/2022 (tháng chứa phần lớn số ngày của kỳ; báo cáo định kỳ theo Nghị định "
    "09/2019/NĐ-CP chốt số liệu ngày 14, tính từ ngày 15 tháng trước)"
)

ACCEPTED = [
    # months
    ("09/2022", Period(m(9, 2022), m(9, 2022))),
    ("9/2022", Period(m(9, 2022), m(9, 2022))),
    ("tháng 8/2019", Period(m(8, 2019), m(8, 2019))),
    ("Tháng 8 năm 2019", Period(m(8, 2019), m(8, 2019))),
    ("T8/2019", Period(m(8, 2019), m(8, 2019))),
    ("riêng tháng 11/2022", Period(m(11, 2022), m(11, 2022))),
    ("2022-09", Period(m(9, 2022), m(9, 2022))),
    ("2022-09-01", Period(m(9, 2022), m(9, 2022))),
    ("44805", Period(m(9, 2022), m(9, 2022))),  # an Excel date serial (01/09/2022)
    # a day: the stock stands at that day's month
    ("15/8/2019", Period(m(8, 2019), m(8, 2019), date=dt.date(2019, 8, 15))),
    ("tính đến ngày 15/9/2022", Period(m(9, 2022), m(9, 2022), date=dt.date(2022, 9, 15))),
    ("2019-08-15 00:00:00", Period(m(8, 2019), m(8, 2019), date=dt.date(2019, 8, 15))),  # a date cell
    # totals from January
    ("11 tháng 2022", Period(m(1, 2022), m(11, 2022))),
    ("11 tháng đầu năm 2022", Period(m(1, 2022), m(11, 2022))),
    ("4 tháng đầu năm 2016", Period(m(1, 2016), m(4, 2016))),
    ("6 tháng đầu năm 2022", Period(m(1, 2022), m(6, 2022))),
    ("9 tháng 2021", Period(m(1, 2021), m(9, 2021))),
    ("9 tháng năm 2021", Period(m(1, 2021), m(9, 2021))),
    ("Lũy kế 11 tháng năm 2022", Period(m(1, 2022), m(11, 2022))),
    ("từ đầu năm đến hết tháng 11/2022", Period(m(1, 2022), m(11, 2022))),
    ("01/2022-11/2022", Period(m(1, 2022), m(11, 2022))),
    ("1-11/2022", Period(m(1, 2022), m(11, 2022))),
    ("01/2022 – 11/2022", Period(m(1, 2022), m(11, 2022))),
    ("năm 2018", Period(m(1, 2018), m(12, 2018))),
    ("cả năm 2018", Period(m(1, 2018), m(12, 2018))),
    ("Năm 2021", Period(m(1, 2021), m(12, 2021))),
    # other spans
    ("quý III/2019", Period(m(7, 2019), m(9, 2019))),
    ("Quý 3/2019", Period(m(7, 2019), m(9, 2019))),
    ("quý IV năm 2019", Period(m(10, 2019), m(12, 2019))),
    ("Q3/2019", Period(m(7, 2019), m(9, 2019))),
    ("6 tháng cuối năm 2022", Period(m(7, 2022), m(12, 2022))),
    ("từ tháng 3 đến tháng 5/2022", Period(m(3, 2022), m(5, 2022))),
    ("10/2021-03/2022", Period(m(10, 2021), m(3, 2022))),
    ("T1-T11/2022", Period(m(1, 2022), m(11, 2022))),
    ("tháng 1-11/2022", Period(m(1, 2022), m(11, 2022))),
    ("từ tháng 01/2022 đến tháng 11/2022", Period(m(1, 2022), m(11, 2022))),
    ("từ 01/2022 đến hết 11/2022", Period(m(1, 2022), m(11, 2022))),
    ("quý 1 năm 2022", Period(m(1, 2022), m(3, 2022))),
    ("6 tháng năm 2022", Period(m(1, 2022), m(6, 2022))),
    # periods cut on days
    ("từ ngày 15/12/2021 đến ngày 14/6/2022", Period(m(1, 2022), m(6, 2022), note=CUT_OFF_NOTE)),
    ("từ ngày 1/1/2022 đến ngày 30/6/2022", Period(m(1, 2022), m(6, 2022))),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_period_forms(text, expected):
    assert read_period(text) == (expected, None)
    assert importing.parse_period(text) == (expected.first, expected.last)


def forms(text: str, reason: str) -> str:
    return f"kỳ báo cáo '{text}' {reason}; cách ghi được nhận: {PERIOD_FORMS}"


REFUSED = [
    ("13/2022", forms("13/2022", "không hợp lệ")),
    ("quý 5", forms("quý 5", "không hợp lệ")),
    ("quý 5/2022", forms("quý 5/2022", "có quý không có thật (quý I đến IV)")),
    ("31/2/2022", forms("31/2/2022", "có ngày không có thật")),
    ("13 tháng 2022", forms("13 tháng 2022", "có tháng hoặc năm không có thật")),
    ("tháng 9/1990", forms("tháng 9/1990", "có tháng hoặc năm không có thật")),
    ("6 tháng đầu năm", "kỳ báo cáo '6 tháng đầu năm' thiếu năm (ví dụ: 6 tháng đầu năm 2022)"),
    ("9 tháng", "kỳ báo cáo '9 tháng' thiếu năm (ví dụ: 9 tháng 2022)"),
    ("09/2022-01/2022", "kỳ báo cáo '09/2022-01/2022' có tháng đầu (09/2022) sau tháng cuối (01/2022)"),
    (
        "từ ngày 14/6/2022 đến ngày 15/12/2021",
        "kỳ báo cáo 'từ ngày 14/6/2022 đến ngày 15/12/2021' có ngày đầu (14/06/2022) sau ngày cuối "
        "(15/12/2021)",
    ),
    (
        "từ ngày 32/1/2022 đến ngày 5/2/2022",
        forms("từ ngày 32/1/2022 đến ngày 5/2/2022", "có ngày không có thật"),
    ),
    ("", "thiếu kỳ báo cáo"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED, ids=[r[0] or "empty" for r in REFUSED])
def test_refused_period_forms_quote_the_cell_and_list_the_forms(text, message):
    assert read_period(text) == (None, message)
    assert importing.parse_period(text) is None


def test_a_day_is_refused_for_a_flow_with_the_forms_to_use(tmp_path, geography):
    data = workbook(facts=[(THAI_NGUYEN, "15/8/2019", "compulsory_rehab", "5")])
    report = importing.check_import(data, "x.xlsx", None, geography)
    assert [(p.column, p.where, p.message) for p in report.errors] == [
        (
            "Kỳ báo cáo",
            "dòng 2",
            "kỳ báo cáo '15/8/2019' là một ngày (15/08/2019): chỉ dùng cho số tồn (số liệu tính đến ngày); "
            "số phát sinh ghi tháng hoặc kỳ cộng dồn (ví dụ: tháng 8/2019, 8 tháng 2019)",
        )
    ]


def test_a_refused_period_is_reported_with_its_row_and_column(geography):
    report = importing.check_import(
        workbook(facts=[(THAI_NGUYEN, "quý 5/2022", "drug_users", "1")]), "x.xlsx", None, geography
    )
    assert [(p.column, p.where, p.message) for p in report.errors] == [
        ("Kỳ báo cáo", "dòng 2", forms("quý 5/2022", "có quý không có thật (quý I đến IV)"))
    ]


def test_the_cut_off_is_a_warning_naming_it(geography):
    data = workbook(facts=[(THAI_NGUYEN, "từ ngày 15/12/2021 đến ngày 14/6/2022", "compulsory_rehab", "12")])
    report = importing.check_import(data, "x.xlsx", None, geography)
    assert report.ok, report.lines()
    assert [p.message for p in report.warnings] == [CUT_OFF_NOTE]


def test_a_stock_at_a_typed_date_and_at_a_real_date_cell_stands_in_that_month(geography):
    """The template's period column is text, so a typed date is text; a date cell comes as a date."""
    book = openpyxl.load_workbook(io.BytesIO(importing.template_bytes()))
    sheet = book[importing.SHEET_FACTS]
    sheet.append([THAI_NGUYEN, "15/8/2019", "addicts_managed", "539"])
    sheet.append([THAI_NGUYEN, dt.datetime(2019, 9, 15), "drug_users", "1.661"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = importing.check_import(buffer.getvalue(), "x.xlsx", None, geography)
    assert report.ok, report.lines()
    assert sorted(report.facts.select("period", "indicator", "value").rows()) == [
        (m(8, 2019), "addicts_managed", 539.0),
        (m(9, 2019), "drug_users", 1661.0),
    ]


# ---------------------------------------------------------------- fuzzing


def _written(first: int, last: int, year: int) -> st.SearchStrategy[str]:
    """The ways a clerk may write the months first..last of ``year`` (spaces and case varied)."""
    options = [
        f"{first:02d}/{year}-{last:02d}/{year}",
        f"{first}-{last}/{year}",
        f"từ tháng {first} đến tháng {last}/{year}",
    ]
    if first == 1:
        options += [f"{last} tháng {year}", f"{last} tháng đầu năm {year}", f"Lũy kế {last} tháng năm {year}"]
    if first == last:
        options += [
            f"tháng {last}/{year}",
            f"T{last}/{year}",
            f"{last:02d}/{year}",
            f"riêng tháng {last}/{year}",
        ]
    if (first, last) in ((1, 3), (4, 6), (7, 9), (10, 12)):
        quarter = last // 3
        options += [
            f"quý {('I', 'II', 'III', 'IV')[quarter - 1]}/{year}",
            f"Q{quarter}/{year}",
            f"quý {quarter}/{year}",
        ]
    if (first, last) == (1, 12):
        options += [f"năm {year}", f"cả năm {year}"]
    return st.sampled_from(options).map(lambda s: s.upper() if len(s) % 3 == 0 else s)


@st.composite
def written_periods(draw) -> tuple[str, dt.date, dt.date]:
    year = draw(st.integers(2000, 2100))
    first = draw(st.integers(1, 12))
    last = draw(st.integers(first, 12))
    return draw(_written(first, last, year)), m(first, year), m(last, year)


@settings(max_examples=300, deadline=None)
@given(written=written_periods())
def test_every_written_form_reads_back_its_months(written):
    text, first, last = written
    period, reason = read_period(text)
    assert reason is None, reason
    assert (period.first, period.last) == (first, last)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=40),
        st.from_regex(
            r"(từ ngày |quý |Q|T|tháng )?\d{1,2}[/ -]\d{1,4}([/ -]\d{1,4})?"
            r"( đến ngày \d{1,2}/\d{1,2}/\d{4})?",
            fullmatch=True,
        ),
        st.from_regex(r"\d{1,2} tháng( đầu năm| cuối năm)?( \d{1,4})?", fullmatch=True),
    )
)
def test_any_text_is_a_period_or_a_message_quoting_it(text):
    period, reason = read_period(text)
    if period is None:
        assert (
            reason == "thiếu kỳ báo cáo"
            if not text.strip()
            else reason.startswith(f"kỳ báo cáo '{text.strip()}'")
        )
    else:
        assert period.first <= period.last and 2000 <= period.first.year <= period.last.year <= 2100


@st.composite
def cumulative_reports(draw):
    """Cumulative totals of one year at random months, rising, with some months given alone."""
    ends = sorted(draw(st.sets(st.integers(2, 12), min_size=1, max_size=4)))
    totals, running = [], 0
    for end in ends:
        running += draw(st.integers(0, 500))
        totals.append((end, running))
    singles = draw(st.sets(st.sampled_from(ends), max_size=2))
    rows, single_values = [], {}
    for end, total in totals:
        rows.append((THAI_NGUYEN, draw(_written(1, end, 2022)), "compulsory_rehab", str(total)))
    for end in singles:
        before_end, before = max([(e, t) for e, t in totals if e < end], default=(0, 0))
        # A month right after the total before it is that difference; otherwise any share of it.
        low = dict(totals)[end] - before if end == before_end + 1 else 0
        own = draw(st.integers(low, dict(totals)[end] - before))
        single_values[end] = own
        rows.append((THAI_NGUYEN, f"tháng {end}/2022", "compulsory_rehab", str(own)))
    return rows, totals, single_values


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cumulative_reports())
def test_settled_totals_give_back_every_reported_total_and_invent_no_month(case, geography):
    rows, totals, singles = case
    report = importing.check_import(workbook(facts=rows), "x.xlsx", None, geography)
    assert report.ok, report.lines()
    facts, spans = report.facts, report.spans
    for end, total in totals:
        months = facts.filter(pl.col("period") <= m(end, 2022))["value"].sum()
        inside = spans.filter(pl.col("last_period") <= m(end, 2022))
        assert spans.filter(
            (pl.col("first_period") <= m(end, 2022)) & (pl.col("last_period") > m(end, 2022))
        ).is_empty()
        assert months + inside["value"].sum() == total
    # A month is stored only where it was given alone, or is the only month between two reported
    # totals (or before the first) that was not given alone.
    ends = [0] + [e for e, _t in totals]
    for period, value in facts.select("period", "value").iter_rows():
        if period.month in singles and singles[period.month] == value:
            continue
        before = max(e for e in ends if e < period.month)
        after = min(e for e in ends[1:] if e >= period.month)
        unknown = [mo for mo in range(before + 1, after + 1) if mo not in singles]
        assert unknown == [period.month], (period, value, rows)
    assert spans.filter(pl.col("first_period") >= pl.col("last_period")).is_empty()
