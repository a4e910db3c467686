"""Aggregation semantics of the query core, table-driven on a small crafted tree.

Tree: province 90 → district 901 (communes 90001, 90002) and district 902 (commune 90003).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dashboard import query
from tests.support.data import EMPTY_STATUS, facts_frame

D = dt.date


def _months(unit: str, indicator: str, year: int, values: list[float]) -> list[tuple]:
    return [(f"{year}-{m:02d}", unit, indicator, v) for m, v in enumerate(values, start=1)]


# Commune 90001: stock 10, 11, ..., 21 over 2020; flow 1..12. Commune 90002: stock 100 flat, flow 2.
FACTS = facts_frame(
    _months("90001", "addicts_managed", 2020, [10 + i for i in range(12)])
    + _months("90002", "addicts_managed", 2020, [100.0] * 12)
    + _months("90001", "compulsory_rehab", 2020, [float(i) for i in range(1, 13)])
    + _months("90002", "compulsory_rehab", 2020, [2.0] * 12)
    + _months("90003", "compulsory_rehab", 2020, [5.0] * 12)
)


def _values(frame: pl.DataFrame) -> dict[tuple[str, str, dt.date], float]:
    return {
        (u, i, p): v for u, i, p, v in frame.select("unit_code", "indicator", "period", "value").iter_rows()
    }


@pytest.mark.parametrize(
    ("unit", "indicator", "grain", "period", "expected"),
    [
        # stock: value at the last month of the period
        ("90001", "addicts_managed", "month", D(2020, 3, 1), 12),
        ("90001", "addicts_managed", "quarter", D(2020, 1, 1), 12),
        ("90001", "addicts_managed", "quarter", D(2020, 4, 1), 15),
        ("90001", "addicts_managed", "6m", D(2020, 1, 1), 15),
        ("90001", "addicts_managed", "6m", D(2020, 7, 1), 21),
        ("90001", "addicts_managed", "9m", D(2020, 1, 1), 18),
        ("90001", "addicts_managed", "year", D(2020, 1, 1), 21),
        # flow: sum of the months
        ("90001", "compulsory_rehab", "month", D(2020, 3, 1), 3),
        ("90001", "compulsory_rehab", "quarter", D(2020, 1, 1), 6),
        ("90001", "compulsory_rehab", "quarter", D(2020, 10, 1), 33),
        ("90001", "compulsory_rehab", "6m", D(2020, 7, 1), 57),
        ("90001", "compulsory_rehab", "9m", D(2020, 1, 1), 45),
        ("90001", "compulsory_rehab", "year", D(2020, 1, 1), 78),
        # roll-up: district = sum of its communes; province = sum of districts
        ("901", "addicts_managed", "year", D(2020, 1, 1), 121),
        ("901", "compulsory_rehab", "9m", D(2020, 1, 1), 63),
        ("90", "compulsory_rehab", "year", D(2020, 1, 1), 78 + 24 + 60),
        ("90", "addicts_managed", "9m", D(2020, 1, 1), 118),
        ("VN", "compulsory_rehab", "year", D(2020, 1, 1), 162),
    ],
)
def test_stock_and_flow_at_every_grain(small_geo, unit, indicator, grain, period, expected):
    out = query.summarize(
        query.from_facts(FACTS, small_geo), EMPTY_STATUS, small_geo, [unit], [indicator], grain=grain
    )
    assert _values(out)[(unit, indicator, period)] == expected


def test_nine_months_leave_out_the_last_quarter(small_geo):
    out = query.summarize(
        query.from_facts(FACTS, small_geo),
        EMPTY_STATUS,
        small_geo,
        ["90001"],
        ["compulsory_rehab"],
        grain="9m",
    )
    assert out["period"].to_list() == [D(2020, 1, 1)]
    assert out["period_end"].to_list() == [D(2020, 9, 1)]


@pytest.mark.parametrize(
    ("own_rows", "unit", "expected"),
    [
        # no own value: sum of children
        ([], "901", 121),
        # the district reported its own figure for December: it wins over the communes' sum
        ([("2020-12", "901", "addicts_managed", 130.0)], "901", 130),
        # the province's own value wins over everything below it
        ([("2020-12", "90", "addicts_managed", 500.0)], "90", 500),
        # a district's own value feeds the province's sum
        ([("2020-12", "901", "addicts_managed", 130.0)], "90", 130),
        # an own value in another month does not mask December's children sum
        ([("2020-11", "901", "addicts_managed", 999.0)], "901", 121),
    ],
)
def test_parent_own_value_wins(small_geo, own_rows, unit, expected):
    facts = pl.concat([FACTS, facts_frame(own_rows)]) if own_rows else FACTS
    out = query.summarize(
        query.from_facts(facts, small_geo), EMPTY_STATUS, small_geo, [unit], ["addicts_managed"], grain="year"
    )
    assert _values(out)[(unit, "addicts_managed", D(2020, 1, 1))] == expected


def test_rates_come_from_summed_parts_not_averaged_percentages(small_geo):
    facts = facts_frame(
        [
            ("2020-12", "90001", "hiv_cases", 1.0),
            ("2020-12", "90001", "population", 100.0),
            ("2020-12", "90002", "hiv_cases", 9.0),
            ("2020-12", "90002", "population", 900.0 * 10),
        ]
    )
    out = query.summarize(
        query.from_facts(facts, small_geo), EMPTY_STATUS, small_geo, ["901"], ["hiv_prevalence"], grain="year"
    )
    # (1 + 9) / (100 + 9000) × 100, not the mean of 1% and 0,1%
    assert _values(out)[("901", "hiv_prevalence", D(2020, 1, 1))] == pytest.approx(10 / 9100 * 100)


def test_rate_mixing_a_flow_and_a_stock_uses_each_parts_own_kind(small_geo):
    facts = facts_frame(
        _months("90001", "home_community_rehab", 2020, [1.0] * 12)
        + _months("90001", "addicts_managed", 2020, [40.0] * 11 + [30.0])
    )
    out = query.summarize(
        query.from_facts(facts, small_geo),
        EMPTY_STATUS,
        small_geo,
        ["90001"],
        ["home_rehab_share"],
        grain="year",
    )
    # 12 home-rehab events in the year over 30 addicts at the year's end
    assert _values(out)[("90001", "home_rehab_share", D(2020, 1, 1))] == pytest.approx(40.0)


def test_rate_with_zero_denominator_gives_no_row(small_geo):
    facts = facts_frame([("2020-12", "90001", "hiv_cases", 0.0), ("2020-12", "90001", "population", 0.0)])
    out = query.summarize(
        query.from_facts(facts, small_geo),
        EMPTY_STATUS,
        small_geo,
        ["90001"],
        ["hiv_prevalence"],
        grain="year",
    )
    assert out.is_empty()


def test_combined_units_add_up_and_rates_are_recomputed(small_geo):
    facts = facts_frame(
        [
            ("2020-12", "90001", "hiv_cases", 1.0),
            ("2020-12", "90001", "population", 100.0),
            ("2020-12", "90003", "hiv_cases", 3.0),
            ("2020-12", "90003", "population", 300.0 * 3),
        ]
    )
    out = query.summarize(
        query.from_facts(facts, small_geo),
        EMPTY_STATUS,
        small_geo,
        ["901", "902"],
        ["hiv_cases", "hiv_prevalence"],
        grain="year",
        combine_as="sel",
    )
    values = _values(out)
    assert values[("sel", "hiv_cases", D(2020, 1, 1))] == 4
    assert values[("sel", "hiv_prevalence", D(2020, 1, 1))] == pytest.approx(4 / 1000 * 100)


STATUS = pl.DataFrame(
    {
        "year": [2020, 2020, 2020, 2021, 2021, 2021],
        "commune_code": ["90001", "90002", "90003"] * 2,
        "drug_class": [
            "trong_diem_1",
            "khong_ma_tuy",
            "co_te_nan",
            "trong_diem_3",
            "khong_ma_tuy",
            "khong_ma_tuy",
        ],
        "complex": [True, False, True, False, False, False],
        "healthy": [False, True, False, False, True, True],
    },
    schema=EMPTY_STATUS.schema,
)


def test_status_counts_per_unit_and_year(small_geo):
    out = query.status_counts(STATUS, small_geo, ["90", "901"], None)
    expected = pl.DataFrame(
        {
            "unit_code": ["90", "90", "901", "901"],
            "year": [2020, 2021, 2020, 2021],
            "key_communes": [1, 1, 1, 1],
            "complex_communes": [2, 0, 1, 0],
            "healthy_communes": [1, 2, 1, 1],
            "drug_free_communes": [1, 2, 1, 1],
            "drug_problem_communes": [2, 1, 1, 1],
            "classified_communes": [3, 3, 2, 2],
            "commune_total": [3, 3, 2, 2],
            "drug_free_share": [100 / 3, 200 / 3, 50.0, 50.0],
            "source": ["list"] * 4,
        },
        schema_overrides={"year": pl.Int32},
    )
    assert_frame_equal(out, expected, check_dtypes=False)


@pytest.mark.parametrize(
    ("drug_class", "complex_", "healthy", "category"),
    [
        ("trong_diem_2", True, False, "key"),
        ("co_te_nan", True, False, "complex"),
        ("khong_ma_tuy", False, True, "healthy"),
        ("co_te_nan", False, False, "other"),
        ("khong_ma_tuy", False, False, "other"),
    ],
)
def test_commune_category_precedence(drug_class, complex_, healthy, category):
    frame = pl.DataFrame({"drug_class": [drug_class], "complex": [complex_], "healthy": [healthy]})
    assert query.commune_category(frame)["category"].item() == category


def test_status_counts_appear_as_indicators_for_each_period(small_geo):
    out = query.summarize(
        query.from_facts(FACTS, small_geo), STATUS, small_geo, ["90"], ["healthy_communes"], grain="6m"
    )
    assert _values(out) == {
        ("90", "healthy_communes", D(2020, 1, 1)): 1,
        ("90", "healthy_communes", D(2020, 7, 1)): 1,
        ("90", "healthy_communes", D(2021, 1, 1)): 2,
        ("90", "healthy_communes", D(2021, 7, 1)): 2,
    }


def test_change_against_same_period_last_year(small_geo):
    facts = facts_frame(
        _months("90001", "compulsory_rehab", 2020, [1.0] * 12)
        + _months("90001", "compulsory_rehab", 2021, [2.0] * 9)
    )
    out = query.with_previous_year(
        query.summarize(
            query.from_facts(facts, small_geo),
            EMPTY_STATUS,
            small_geo,
            ["90001"],
            ["compulsory_rehab"],
            grain="9m",
        )
    )
    row = out.filter(pl.col("period") == D(2021, 1, 1)).row(0, named=True)
    assert (row["previous"], row["value"], row["change"], row["change_pct"]) == (9, 18, 9, 100.0)
    first = out.filter(pl.col("period") == D(2020, 1, 1)).row(0, named=True)
    assert first["previous"] is None and first["change_pct"] is None


def test_incomplete_period_is_flagged(small_geo):
    facts = facts_frame(_months("90001", "compulsory_rehab", 2021, [1.0] * 9))
    out = query.summarize(
        query.from_facts(facts, small_geo),
        EMPTY_STATUS,
        small_geo,
        ["90001"],
        ["compulsory_rehab"],
        grain="quarter",
    )
    assert dict(zip(out["period"].to_list(), out["complete"].to_list(), strict=True)) == {
        D(2021, 1, 1): True,
        D(2021, 4, 1): True,
        D(2021, 7, 1): True,
    }
    year = query.summarize(
        query.from_facts(facts, small_geo),
        EMPTY_STATUS,
        small_geo,
        ["90001"],
        ["compulsory_rehab"],
        grain="year",
    )
    assert year["complete"].to_list() == [False]


def test_per_population(small_geo):
    facts = facts_frame(
        [("2020-12", "90001", "addicts_managed", 25.0), ("2020-12", "90001", "population", 5000.0)]
    )
    frame = query.summarize(
        query.from_facts(facts, small_geo),
        EMPTY_STATUS,
        small_geo,
        ["90001"],
        ["addicts_managed", "population"],
    )
    out = query.per_population(frame.filter(pl.col("indicator") == "addicts_managed"), frame)
    assert out["per_population"].item() == pytest.approx(50.0)


def test_unknown_grain_and_indicator_are_worded_errors(small_geo):
    with pytest.raises(ValueError, match="Kỳ báo cáo không hợp lệ"):
        query.summarize(
            query.from_facts(FACTS, small_geo),
            EMPTY_STATUS,
            small_geo,
            ["90001"],
            ["compulsory_rehab"],
            grain="week",
        )
    with pytest.raises(KeyError, match="không có trong danh mục"):
        query.summarize(query.from_facts(FACTS, small_geo), EMPTY_STATUS, small_geo, ["90001"], ["bogus"])


def test_year_filter(small_geo):
    facts = pl.concat([FACTS, facts_frame(_months("90001", "compulsory_rehab", 2021, [1.0] * 12))])
    out = query.summarize(
        query.from_facts(facts, small_geo),
        EMPTY_STATUS,
        small_geo,
        ["90001"],
        ["compulsory_rehab"],
        years=(2021, 2021),
    )
    assert _values(out) == {("90001", "compulsory_rehab", D(2021, 1, 1)): 12}


@pytest.mark.parametrize("grain", query.GRAINS)
@pytest.mark.parametrize("codes", [["90"], ["901", "902"], ["90001"], ["VN"]])
def test_precomputed_rollup_gives_the_same_numbers(small_geo, grain, codes):
    facts = pl.concat([FACTS, facts_frame([("2020-12", "901", "addicts_managed", 130.0)])])
    rolled = query.rollup_all(facts, small_geo)
    direct = query.summarize(query.from_facts(facts, small_geo), STATUS, small_geo, codes, grain=grain)
    fast = query.summarize(
        query.from_rollups(rolled), STATUS, small_geo, codes, grain=grain, last_period=facts["period"].max()
    )
    assert_frame_equal(direct, fast, check_row_order=False)
    assert not direct.is_empty()
