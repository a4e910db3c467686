"""Formatting of numbers, percentages, dates and period labels in Vietnamese and English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from dashboard.catalog import CATALOG, COUNT, PERCENT, Display
from dashboard.formatting import (
    MISSING,
    fmt_change_pct,
    fmt_date,
    fmt_number,
    fmt_pct,
    fmt_value,
    in_sentence,
    period_in_sentence,
    period_label,
    plotly_separators,
    tick_format,
)


@pytest.mark.parametrize(
    "value,lang,decimals,expected",
    [
        (1456, "vi", 0, "1.456"),
        (1456, "en", 0, "1,456"),
        (1234567, "vi", 0, "1.234.567"),
        (1234567, "en", 0, "1,234,567"),
        (999, "vi", 0, "999"),
        (0, "vi", 0, "0"),
        (-1456, "vi", 0, "-1.456"),
        (-1456, "en", 0, "-1,456"),
        (1456.5, "vi", 0, "1.457"),
        (2.5, "vi", 0, "3"),  # half up, not to even
        (0.5, "en", 0, "1"),
        (-2.5, "vi", 0, "-3"),  # half away from zero, as reports do
        (-0.001, "vi", 2, "0,00"),  # no "-0"
        (1234567.891, "vi", 2, "1.234.567,89"),
        (1234567.891, "en", 2, "1,234,567.89"),
        (118.745, "vi", 2, "118,75"),  # the float is 118.74499…; reports print 118,75
        (1.005, "en", 2, "1.01"),
        (3, "vi", 1, "3,0"),
        (Decimal("12.345"), "vi", 2, "12,35"),
        (None, "vi", 0, "–"),
        (None, "en", 2, "–"),
        (float("nan"), "vi", 0, "–"),
        (float("inf"), "en", 0, "–"),
    ],
)
def test_fmt_number(value, lang, decimals, expected):
    assert fmt_number(value, lang, decimals) == expected


def test_fmt_number_defaults_to_vietnamese_integers():
    assert fmt_number(1456.4) == "1.456"


@pytest.mark.parametrize(
    "value,lang,expected",
    [
        (38 / 32 * 100, "vi", "118,75%"),
        (38 / 32 * 100, "en", "118.75%"),
        (54 / 30 * 100, "vi", "180,00%"),
        (22 / 32 * 100, "vi", "68,75%"),
        (64 / 60 * 100, "vi", "106,67%"),
        (64 / 60 * 100, "en", "106.67%"),
        (118.745, "vi", "118,75%"),
        (0.3, "vi", "0,30%"),
        (100, "vi", "100,00%"),
        (12345.678, "vi", "12.345,68%"),
        (None, "vi", "–"),
        (float("nan"), "en", "–"),
    ],
)
def test_fmt_pct(value, lang, expected):
    assert fmt_pct(value, lang) == expected


@pytest.mark.parametrize(
    "value,decimals,expected",
    [(40, 0, "40%"), (68.75, 1, "68,8%"), (2, 3, "2,000%")],
)
def test_fmt_pct_decimals(value, decimals, expected):
    assert fmt_pct(value, "vi", decimals) == expected


@pytest.mark.parametrize(
    "value,lang,expected",
    [
        (3.5, "vi", "+3,50%"),
        (3.5, "en", "+3.50%"),
        (-3.5, "vi", "-3,50%"),
        (-3.5, "en", "-3.50%"),
        (0, "vi", "0,00%"),
        (0.001, "vi", "0,00%"),  # rounds to zero: no sign
        (-0.004, "en", "0.00%"),
        (0.005, "vi", "+0,01%"),
        (1234.5, "vi", "+1.234,50%"),
        (None, "vi", "–"),
    ],
)
def test_fmt_change_pct(value, lang, expected):
    assert fmt_change_pct(value, lang) == expected


@pytest.mark.parametrize(
    "value,lang,expected",
    [
        (dt.date(2022, 9, 30), "vi", "30/09/2022"),
        (dt.date(2022, 9, 30), "en", "30/09/2022"),
        (dt.date(2022, 9, 15), "vi", "15/09/2022"),
        (dt.datetime(2017, 1, 5, 13, 45), "vi", "05/01/2017"),
        (None, "vi", "–"),
    ],
)
def test_fmt_date(value, lang, expected):
    assert fmt_date(value, lang) == expected


@pytest.mark.parametrize(
    "label,inside",
    [
        ("Người nghiện có hồ sơ quản lý trên 10.000 dân", "người nghiện có hồ sơ quản lý trên 10.000 dân"),
        ("Addicts with management records", "addicts with management records"),
        ("HIV prevalence", "HIV prevalence"),
        ("ARV patients", "ARV patients"),
        ("B93 clubs", "B93 clubs"),
        ("Tỷ lệ nhiễm HIV trong cộng đồng", "tỷ lệ nhiễm HIV trong cộng đồng"),
        ("9 tháng 2022", "9 tháng 2022"),
    ],
)
def test_a_label_inside_a_sentence_keeps_its_acronyms(label, inside):
    assert in_sentence(label) == inside


@pytest.mark.parametrize(
    "start,grain,vi,en",
    [
        (dt.date(2017, 1, 1), "month", "Tháng 01/2017", "Jan 2017"),
        (dt.date(2017, 9, 1), "month", "Tháng 09/2017", "Sep 2017"),
        (dt.date(2017, 12, 1), "month", "Tháng 12/2017", "Dec 2017"),
        (dt.date(2017, 1, 1), "quarter", "Quý 1/2017", "Q1 2017"),
        (dt.date(2017, 4, 1), "quarter", "Quý 2/2017", "Q2 2017"),
        (dt.date(2017, 7, 1), "quarter", "Quý 3/2017", "Q3 2017"),
        (dt.date(2017, 10, 1), "quarter", "Quý 4/2017", "Q4 2017"),
        (dt.date(2017, 1, 1), "6m", "6 tháng đầu năm 2017", "H1 2017"),
        (dt.date(2017, 7, 1), "6m", "6 tháng cuối năm 2017", "H2 2017"),
        (dt.date(2022, 1, 1), "9m", "9 tháng 2022", "9 months 2022"),
        (dt.date(2017, 1, 1), "year", "Năm 2017", "2017"),
    ],
)
def test_period_label(start, grain, vi, en):
    assert period_label(start, grain, "vi") == vi
    assert period_label(start, grain, "en") == en


@pytest.mark.parametrize(
    "start,grain,vi,en",
    [
        (dt.date(2026, 1, 1), "year", "Giao ban năm 2026", "Meeting 2026"),
        (dt.date(2025, 10, 1), "month", "Giao ban tháng 10/2025", "Meeting Oct 2025"),
        (dt.date(2017, 4, 1), "quarter", "Giao ban quý 2/2017", "Meeting Q2 2017"),
        (dt.date(2022, 1, 1), "9m", "Giao ban 9 tháng 2022", "Meeting 9 months 2022"),
        (dt.date(2026, 7, 1), "6m", "Giao ban 6 tháng cuối năm 2026", "Meeting H2 2026"),
    ],
)
def test_a_period_inside_a_sentence_is_not_capitalised(start, grain, vi, en):
    assert "Giao ban " + period_in_sentence(period_label(start, grain, "vi"), "vi") == vi
    assert "Meeting " + period_in_sentence(period_label(start, grain, "en"), "en") == en


@pytest.mark.parametrize(
    "start,grain",
    [
        (dt.date(2017, 2, 1), "quarter"),
        (dt.date(2017, 4, 1), "6m"),
        (dt.date(2017, 7, 1), "9m"),
        (dt.date(2017, 7, 1), "year"),
        (dt.date(2017, 1, 1), "week"),
    ],
)
def test_period_label_rejects_a_start_that_begins_no_period(start, grain):
    with pytest.raises(ValueError):
        period_label(start, grain)


@pytest.mark.parametrize("lang,expected", [("vi", ",."), ("en", ".,")])
def test_plotly_separators(lang, expected):
    assert plotly_separators(lang) == expected


@pytest.mark.parametrize("decimals,expected", [(0, ",.0f"), (2, ",.2f")])
def test_tick_format_groups_thousands(decimals, expected):
    assert tick_format(decimals) == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda: fmt_number(1, "fr"),
        lambda: fmt_pct(1, "VI"),
        lambda: fmt_change_pct(1, ""),
        lambda: fmt_date(dt.date(2022, 1, 1), "de"),
        lambda: period_label(dt.date(2022, 1, 1), "year", "ru"),
        lambda: plotly_separators("fr"),
        lambda: fmt_number(1, "vi", -1),
        lambda: tick_format(-1),
    ],
)
def test_bad_language_or_decimals_is_an_error(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize(
    ("value", "indicator", "lang", "expected"),
    [
        (1456, "addicts_managed", "vi", "1.456"),
        (1456, "addicts_managed", "en", "1,456"),
        (56.25, "home_community_rehab", "vi", "56,25"),  # a count that is not whole keeps 2 places
        (0.3, "hiv_prevalence", "vi", "0,30%"),
        (118.745, "pmtct_coverage", "vi", "118,75%"),  # half up, as reports round
        (118.745, "pmtct_coverage", "en", "118.75%"),
        (Fraction(2375, 20), "drug_free_share", "vi", "118,75%"),  # the goals' exact values
        (Fraction(1, 3), "healthy_communes", "vi", "0,33"),
        (Fraction(112), "healthy_communes", "vi", "112"),
        (None, "addicts_managed", "vi", MISSING),
        (None, "hiv_prevalence", "en", MISSING),
        (1456, CATALOG["addicts_managed"], "vi", "1.456"),  # an indicator, or its display facts
        (45, PERCENT, "vi", "45,00%"),
        (45, COUNT, "en", "45"),
        (45.5, Display(percent=True, decimals=1), "en", "45.5%"),
    ],
)
def test_fmt_value_follows_the_catalogs_display_facts(value, indicator, lang, expected):
    assert fmt_value(value, indicator, lang) == expected


def test_every_indicator_has_display_facts():
    for indicator in CATALOG.values():
        assert indicator.display in (PERCENT, COUNT)
        assert indicator.percent is (indicator.unit_vi == "%" == indicator.unit_en)
