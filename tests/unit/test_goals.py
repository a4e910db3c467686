"""The goal engine: each rule at and around its boundary, partial years, rates, commune lists, projections."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import polars as pl
import pytest

from dashboard import goals, query
from dashboard.goals import (
    AT_RISK,
    MET,
    NO_DATA,
    NOT_MET,
    OFF_TRACK,
    ON_TRACK,
    decide_status,
    evaluate_frames,
    judge_trajectory,
    linear_trend,
    project,
    required_path,
    round_half_up,
    rule_met,
    to_fraction,
)
from tests.support.data import EMPTY_STATUS, facts_frame, status_frame, targets_frame

F = Fraction


# --- the rules, exactly ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "target", "actual", "previous", "expected"),
    [
        # Quotas: exactly the quota is met, one short is not.
        ("at_least", 32, 32, None, True),
        ("at_least", 32, 31, None, False),
        ("at_least", 32, 38, None, True),
        ("at_least", 32, None, None, None),
        # Ceilings on rates: exactly the ceiling is met. 3 / 1000 × 100 as floats is
        # 0.30000000000000004 and would fail a float comparison with 0.3.
        ("at_most", 0.3, F(3, 1000) * 100, None, True),
        ("at_most", 0.3, F(3001, 1000000) * 100, None, False),
        ("at_most", 0.3, F(299, 100000) * 100, None, True),
        # "trên 3%": exactly 3% is not enough.
        ("reduce_more_than_pct", 3, 97, 100, False),
        ("reduce_more_than_pct", 3, 96, 100, True),
        ("reduce_more_than_pct", 3, F(9699, 100), 100, True),
        ("reduce_more_than_pct", 3, 98, 100, False),
        ("reduce_more_than_pct", 3, 19, 20, True),  # 5%
        ("reduce_more_than_pct", 3, 20, 20, False),
        ("reduce_more_than_pct", 3, 24, 20, False),  # an increase
        # "2% trở lên": exactly 2% is enough.
        ("reduce_at_least_pct", 2, 49, 50, True),
        ("reduce_at_least_pct", 2, 98, 100, True),
        ("reduce_at_least_pct", 2, 99, 100, False),
        ("reduce_at_least_pct", 2, F(9801, 100), 100, False),
        # Zero baselines: nothing left stays achieved; a rise from zero is not.
        ("reduce_more_than_pct", 3, 0, 0, True),
        ("reduce_at_least_pct", 2, 0, 0, True),
        ("reduce_more_than_pct", 3, 1, 0, False),
        ("reduce_at_least_pct", 2, 2, 0, False),
        ("reduce_at_least_pct", 2, 0, 5, True),
        # Missing years.
        ("reduce_at_least_pct", 2, 49, None, None),
        ("reduce_more_than_pct", 3, None, 100, None),
    ],
)
def test_rule_met_at_the_boundaries(rule, target, actual, previous, expected):
    got = rule_met(rule, to_fraction(target), to_fraction(actual), to_fraction(previous))
    assert got is expected


@pytest.mark.parametrize(
    ("rule", "new_count", "left_count", "expected"),
    [
        ("new_at_least", 2, None, True),  # exactly the number asked for
        ("new_at_least", 1, None, False),
        ("new_at_least", 3, None, True),
        ("new_at_least", None, None, None),
        ("keep_all", None, 0, True),
        ("keep_all", None, 1, False),  # one commune relapsed
        ("keep_all", None, None, None),
    ],
)
def test_commune_list_rules(rule, new_count, left_count, expected):
    assert rule_met(rule, F(2), new_count=new_count, left_count=left_count) is expected


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="không hợp lệ"):
        rule_met("at_least_ish", F(1), F(1))


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (38, 32, 118.75),  # Nam Từ Liêm 2021, compulsory rehab
        (54, 30, 180.00),  # the article prints 184%
        (22, 32, 68.75),  # after 9 months of 2022
        (64, 60, 106.67),  # 106,666… rounded half up
        (1, 3, 33.33),
        (2, 3, 66.67),
        (32, 32, 100.00),
        (0, 32, 0.0),
        (5, 0, None),  # no division by zero
        (None, 32, None),
    ],
)
def test_achievement_pct_rounds_half_up_from_the_exact_ratio(actual, target, expected):
    got = round_half_up(goals.achievement_pct(to_fraction(actual), to_fraction(target)))
    assert got == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (38.0, F(38)),
        (0.3, F(3, 10)),
        (0.1 + 0.2, F(3, 10)),  # the float noise is dropped at 10 decimals
        (118.75, F(475, 4)),
        (7, F(7)),
        (float("nan"), None),
        (None, None),
    ],
)
def test_to_fraction(value, expected):
    assert to_fraction(value) == expected


@pytest.mark.parametrize(
    ("previous", "actual", "expected"),
    [(100, 97, F(3)), (50, 49, F(2)), (20, 24, F(-20)), (0, 0, None), (None, 3, None)],
)
def test_reduction_pct(previous, actual, expected):
    assert goals.reduction_pct(to_fraction(previous), to_fraction(actual)) == expected


@pytest.mark.parametrize(
    ("target", "months", "expected"),
    [(32, 9, F(24)), (60, 9, F(45)), (30, 6, F(15)), (45, 12, F(45)), (10, 1, F(10, 12))],
)
def test_pro_rata(target, months, expected):
    assert goals.pro_rata(F(target), months) == expected


@pytest.mark.parametrize(
    ("met", "rule", "partial", "flow", "on_pace", "verdict", "expected"),
    [
        (True, "at_least", False, True, None, None, MET),
        (False, "at_least", False, True, None, None, NOT_MET),
        (None, "at_least", False, True, None, None, NO_DATA),
        (None, "at_least", False, False, None, OFF_TRACK, AT_RISK),  # a future year, projected off track
        (None, "at_least", False, False, None, ON_TRACK, NO_DATA),
        # A year in progress: quotas judged on the pace.
        (True, "at_least", True, True, True, None, MET),
        (False, "at_least", True, True, True, None, MET),
        (False, "at_least", True, True, False, None, AT_RISK),
        # Flow ceilings: passed already is final; above the pace is a risk.
        (False, "at_most", True, True, False, None, NOT_MET),
        (True, "at_most", True, True, False, None, AT_RISK),
        (True, "at_most", True, True, True, None, MET),
        # Anything else in progress: not met yet is a risk, not a failure.
        (False, "reduce_more_than_pct", True, False, None, None, AT_RISK),
        (False, "keep_all", True, False, None, None, AT_RISK),
        (True, "new_at_least", True, False, None, None, MET),
    ],
)
def test_decide_status(met, rule, partial, flow, on_pace, verdict, expected):
    got = decide_status(met, rule=rule, partial=partial, flow=flow, on_pace=on_pace, verdict=verdict)
    assert got == expected


@pytest.mark.parametrize(("year", "months"), [(2021, 12), (2022, 9), (2023, 0)])
def test_months_elapsed(year, months):
    assert goals.months_elapsed(year, dt.date(2022, 9, 1)) == months


# --- judging crafted data ---------------------------------------------------------------------


def _monthly(unit: str, indicator: str, year: int, per_month: list[int]) -> list[tuple[str, str, str, float]]:
    return [(f"{year}-{m:02d}", unit, indicator, v) for m, v in enumerate(per_month, start=1)]


def _only(results, metric, rule=None):
    found = [r for r in results if r.metric == metric and (rule is None or r.rule == rule)]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("as_of", "target", "actual", "months", "partial", "expected", "on_pace", "met", "pct", "status"),
    [
        # 9 months: 22 against 32 is 68,75%, behind the 75% pace (24): at risk.
        (dt.date(2022, 9, 1), 32, 22, 9, True, 24, False, False, 68.75, AT_RISK),
        # The same 22 against 24 is ahead of the pace (18): not reached yet, but on track.
        (dt.date(2022, 9, 1), 24, 22, 9, True, 18, True, False, 91.67, MET),
        # Exactly the pro-rata part is on pace: 22 against 88 after 3 months.
        (dt.date(2022, 3, 1), 88, 4, 3, True, 22, False, False, 4.55, AT_RISK),
        (dt.date(2022, 3, 1), 16, 4, 3, True, 4, True, False, 25.0, MET),
        # Any day of the month means the whole month: 6 months.
        (dt.date(2022, 6, 15), 32, 12, 6, True, 16, False, False, 37.5, AT_RISK),
        # Already past the annual quota after 9 months.
        (dt.date(2022, 9, 1), 22, 22, 9, True, F(33, 2), True, True, 100.0, MET),
        # The whole year.
        (dt.date(2022, 12, 1), 32, 30, 12, False, None, None, False, 93.75, NOT_MET),
        (dt.date(2022, 12, 1), 30, 30, 12, False, None, None, True, 100.0, MET),  # exactly the quota
    ],
)
def test_partial_year_quota_is_judged_on_the_months_so_far(
    small_geo, as_of, target, actual, months, partial, expected, on_pace, met, pct, status
):
    # Commune 90001 sends 2 people a month from April, commune 90002 sends 2 in odd months.
    facts = facts_frame(
        _monthly("90001", "compulsory_rehab", 2022, [0, 0, 0] + [2] * 9)
        + _monthly("90002", "compulsory_rehab", 2022, [2, 0] * 6)
        + _monthly("90001", "compulsory_rehab", 2021, [1] * 12)
    )
    targets = targets_frame([(2022, "901", "compulsory_rehab", "at_least", float(target))])
    (result,) = evaluate_frames(facts, EMPTY_STATUS, targets, small_geo, as_of=as_of)
    assert result.actual == actual
    assert result.months_elapsed == months
    assert result.partial is partial
    assert result.elapsed_share == months * 100 / 12
    assert result.expected_so_far == (None if expected is None else goals.as_number(F(expected)))
    assert result.on_pace is on_pace
    assert result.met is met
    assert result.achievement_pct == pct
    assert result.status == status
    # The year before is taken over the same months (cùng kỳ): 1 a month in one commune.
    assert result.previous == months


def test_rates_come_from_summed_numerators_and_denominators(small_geo):
    # 90001: 2 people with HIV in 1.000 (0,2%); 90002: 8 in 2.000 (0,4%). The district's
    # prevalence is 10 / 3.000 = 0,333…%, not the mean of the two rates (0,3%).
    facts = facts_frame(
        [
            ("2020-12", "90001", "hiv_cases", 2),
            ("2020-12", "90001", "population", 1000),
            ("2020-12", "90002", "hiv_cases", 8),
            ("2020-12", "90002", "population", 2000),
        ]
    )
    targets = targets_frame(
        [
            (2020, "901", "hiv_prevalence", "at_most", 0.3),
            (2020, "90001", "hiv_prevalence", "at_most", 0.2),  # exactly at the ceiling
        ]
    )
    results = {r.unit_code: r for r in evaluate_frames(facts, EMPTY_STATUS, targets, small_geo)}
    assert results["901"].actual == pytest.approx(float(F(10, 3000) * 100))
    assert results["901"].met is False and results["901"].status == NOT_MET
    assert results["90001"].actual == pytest.approx(0.2)
    assert results["90001"].met is True and results["90001"].status == MET
    # The same number the query core shows for the district.
    shown = query.summarize(
        query.from_facts(facts, small_geo), EMPTY_STATUS, small_geo, ["901"], ["hiv_prevalence"]
    )
    assert results["901"].actual == pytest.approx(shown["value"].item())


@pytest.mark.parametrize(
    ("before", "after", "rule", "value", "met", "change"),
    [
        (100, 97, "reduce_more_than_pct", 3.0, False, 3.0),  # exactly 3%: not "more than 3%"
        (100, 96, "reduce_more_than_pct", 3.0, True, 4.0),
        (50, 49, "reduce_at_least_pct", 2.0, True, 2.0),  # exactly 2%: "2% or more"
        (50, 50, "reduce_at_least_pct", 2.0, False, 0.0),
        (0, 0, "reduce_at_least_pct", 2.0, True, None),  # zero baseline, still zero
        (0, 3, "reduce_more_than_pct", 3.0, False, None),
    ],
)
def test_reductions_of_a_stock_against_the_year_before(small_geo, before, after, rule, value, met, change):
    # A stock: the value at the last month with data counts, not the sum of the months.
    facts = facts_frame(
        [
            ("2019-06", "90001", "drug_users", before + 40),
            ("2019-12", "90001", "drug_users", before),
            ("2020-06", "90001", "drug_users", after + 40),
            ("2020-12", "90001", "drug_users", after),
        ]
    )
    targets = targets_frame([(2020, "901", "drug_users", rule, value)])
    (result,) = evaluate_frames(facts, EMPTY_STATUS, targets, small_geo, with_verdicts=False)
    assert (result.previous, result.actual) == (before, after)
    assert result.met is met
    assert result.change_pct == change
    assert result.achievement_pct is None


def _statuses() -> pl.DataFrame:
    """Three communes over 2020–2022: 90002 relapses in 2021, 90003 becomes healthy in 2022."""
    rows = []
    healthy = {2020: {"90001", "90002"}, 2021: {"90001"}, 2022: {"90001", "90003"}}
    key = {2020: {"90003"}, 2021: {"90002", "90003"}, 2022: {"90002"}}
    for year in (2020, 2021, 2022):
        for code in ("90001", "90002", "90003"):
            is_key = code in key[year]
            drug_class = (
                "trong_diem_2" if is_key else "khong_ma_tuy" if code in healthy[year] else "co_te_nan"
            )
            rows.append((year, code, drug_class, is_key, code in healthy[year]))
    return status_frame(rows)


@pytest.mark.parametrize(
    ("year", "metric", "rule", "value", "met", "new", "left"),
    [
        (2021, "healthy_communes", "keep_all", 0.0, False, [], ["Xã Hai"]),  # a commune relapses
        (2022, "healthy_communes", "keep_all", 0.0, True, ["Xã Ba"], []),
        (2022, "healthy_communes", "new_at_least", 1.0, True, ["Xã Ba"], []),  # exactly one new
        (2022, "healthy_communes", "new_at_least", 2.0, False, ["Xã Ba"], []),
        (2021, "key_communes", "reduce_at_least_pct", 2.0, False, ["Xã Hai"], []),
        (2022, "key_communes", "reduce_at_least_pct", 2.0, True, [], ["Xã Ba"]),  # 2 → 1: 50%
        (2021, "complex_communes", "reduce_more_than_pct", 3.0, False, ["Xã Hai"], []),
    ],
)
def test_commune_categories_and_their_lists(small_geo, year, metric, rule, value, met, new, left):
    targets = targets_frame([(year, "90", metric, rule, value)])
    facts = facts_frame([("2022-12", "90001", "population", 1000)])
    (result,) = evaluate_frames(facts, _statuses(), targets, small_geo)
    assert result.met is met
    assert [c.name for c in result.new_communes] == new
    assert [c.name for c in result.left_communes] == left
    counts = query.status_counts(_statuses(), small_geo, ["90"])
    by_year = {r["year"]: r for r in counts.iter_rows(named=True)}
    assert result.actual == by_year[year][metric]
    assert result.previous == by_year[year - 1][metric]
    # The sentence names the communes that decide a list rule.
    named = {"keep_all": result.left_communes, "new_at_least": result.new_communes}.get(rule, ())
    for commune in named:
        assert commune.name in result.explanation


def test_zero_complex_communes_stay_achieved(small_geo):
    status = _statuses().with_columns(pl.lit(False).alias("complex"))
    targets = targets_frame([(2022, "90", "complex_communes", "reduce_more_than_pct", 3.0)])
    facts = facts_frame([("2022-12", "90001", "population", 1000)])
    (result,) = evaluate_frames(facts, status, targets, small_geo)
    assert (result.previous, result.actual, result.met, result.status) == (0, 0, True, MET)
    assert result.change_pct is None


def test_missing_data_is_said_not_guessed(small_geo):
    facts = facts_frame([("2022-12", "90001", "compulsory_rehab", 3)])
    targets = targets_frame(
        [
            (2022, "902", "compulsory_rehab", "at_least", 5.0),  # 902 reported nothing
            (2022, "90", "healthy_communes", "new_at_least", 2.0),  # no statuses at all
            (2030, "901", "compulsory_rehab", "at_least", 5.0),  # a year not reached
        ]
    )
    results = evaluate_frames(facts, EMPTY_STATUS, targets, small_geo)
    assert [(r.met, r.status) for r in results] == [(None, NO_DATA)] * 3
    assert [r.months_elapsed for r in results if r.year == 2030] == [0]


def test_filters_by_unit_year_and_descendants(small_geo):
    facts = facts_frame(
        [("2022-12", "90001", "compulsory_rehab", 3), ("2022-12", "90003", "compulsory_rehab", 1)]
    )
    targets = targets_frame(
        [
            (2022, "90", "compulsory_rehab", "at_least", 4.0),
            (2022, "901", "compulsory_rehab", "at_least", 4.0),
            (2021, "901", "compulsory_rehab", "at_least", 4.0),
            (2022, "902", "compulsory_rehab", "at_least", 1.0),
        ]
    )
    got = evaluate_frames(facts, EMPTY_STATUS, targets, small_geo, unit="90", year=2022, descendants=True)
    assert [(r.unit_code, r.actual, r.met) for r in got] == [
        ("90", 4, True),
        ("901", 3, False),
        ("902", 1, True),
    ]
    only = evaluate_frames(facts, EMPTY_STATUS, targets, small_geo, unit="901")
    assert [r.year for r in only] == [2021, 2022]


# --- projections -----------------------------------------------------------------------------


def test_linear_trend_on_a_known_series():
    slope, intercept = linear_trend(
        [(2019, F(10)), (2020, F(12)), (2021, F(14)), (2022, F(16)), (2023, F(18))]
    )
    assert (slope, intercept + slope * 2023) == (F(2), F(18))
    # A noisy series: the least-squares slope of (0, 1, 1, 3) over four years is 0,9.
    slope, _ = linear_trend([(2020, F(0)), (2021, F(1)), (2022, F(1)), (2023, F(3))])
    assert slope == F(9, 10)


@pytest.mark.parametrize(
    ("points", "method", "used", "at_deadline"),
    [
        # A straight line extends exactly.
        ([(2019, 10), (2020, 12), (2021, 14), (2022, 16), (2023, 18)], "linear", "linear", F(24)),
        # Only the last five years count: the early jump of 2016 is ignored.
        ([(2016, 90), (2019, 10), (2020, 12), (2021, 14), (2022, 16), (2023, 18)], "linear", "linear", F(24)),
        # 100 → 81 over two years is −10% a year, compounded: 81 × 0,9³ = 59,049.
        ([(2021, 100), (2022, 90), (2023, 81)], "compound", "compound", F(59049, 1000)),
        # Compound from a zero start falls back to the linear trend.
        ([(2022, 0), (2023, 2)], "compound", "linear", F(8)),
        # A single year is held flat.
        ([(2023, 7)], "linear", "flat", F(7)),
        # A falling line stops at zero.
        ([(2022, 4), (2023, 2)], "linear", "linear", F(0)),
    ],
)
def test_projection_on_known_series(points, method, used, at_deadline):
    got_method, path = project([(y, F(v)) for y, v in points], 2026, method)
    assert got_method == used
    assert path[0] == (points[-1][0], F(points[-1][1]))
    assert path[-1][0] == 2026
    assert abs(path[-1][1] - at_deadline) < F(1, 10**6)


@pytest.mark.parametrize(
    ("rows", "baseline", "direction", "expected"),
    [
        # Điện Biên's healthy communes: 47, at least 49 in 2017, then 2 new a year.
        (
            [(2017, "at_least", 49), (2018, "new_at_least", 2), (2019, "new_at_least", 2)],
            (2016, 47),
            "up",
            [(2016, 47), (2017, 49), (2018, 51), (2019, 53)],
        ),
        # Reduce by 10% a year from 200.
        (
            [(2017, "reduce_at_least_pct", 10), (2018, "reduce_at_least_pct", 10)],
            (2016, 200),
            "down",
            [(2016, 200), (2017, 180), (2018, 162)],
        ),
        # 50% drug-free by 2030 from 40% in 2025: a straight line.
        (
            [(2030, "at_least", 50)],
            (2025, 40),
            "up",
            [(2025, 40), (2026, 42), (2027, 44), (2028, 46), (2029, 48), (2030, 50)],
        ),
        # Already past the level: the path is the level itself.
        ([(2027, "at_least", 50)], (2025, 60), "up", [(2025, 60), (2026, 50), (2027, 50)]),
        # A ceiling in the year of the target.
        ([(2020, "at_most", 0.3)], (2019, 0.5), "down", [(2019, 0.5), (2020, F(3, 10))]),
    ],
)  # fmt: skip
def test_required_path(rows, baseline, direction, expected):
    targets = [{"year": y, "rule": rule, "value": float(v)} for y, rule, v in rows]
    got = required_path(targets, baseline[0], to_fraction(baseline[1]), direction)
    assert got == [(y, to_fraction(v)) for y, v in expected]


@pytest.mark.parametrize(
    ("actual", "projected", "direction", "reached", "expected"),
    [
        # Required: 40 in 2025 rising to 50 in 2030 (2 a year); the span is 10, the tolerance 1.
        ([(2025, 40), (2026, 43)], [(2026, 43), (2030, 51)], "up", False, ON_TRACK),
        ([(2025, 40), (2026, 41)], [(2026, 41), (2030, 50)], "up", False, AT_RISK),  # behind now
        ([(2025, 40), (2026, 42)], [(2026, 42), (2030, 49)], "up", False, AT_RISK),  # short by 1 = 10%
        ([(2025, 40), (2026, 42)], [(2026, 42), (2030, F(4899, 100))], "up", False, OFF_TRACK),
        ([(2025, 40), (2030, 50)], [], "up", True, ON_TRACK),  # deadline reached and met
        ([(2025, 40), (2030, 49)], [], "up", True, OFF_TRACK),
        ([(2025, 40)], [], "up", True, None),  # deadline passed without a value
        ([], [], "up", False, None),
    ],
)
def test_judge_trajectory(actual, projected, direction, reached, expected):
    required = [(2025 + k, F(40 + 2 * k)) for k in range(6)]
    got = judge_trajectory(
        required,
        [(y, F(v)) for y, v in actual],
        [(y, F(v)) for y, v in projected],
        2030,
        direction,
        reached=reached,
    )
    assert got == expected


def test_projection_of_a_crafted_goal(small_geo):
    # Healthy communes of province 90: 1 in 2020, 1 in 2021, 2 in 2022; goal: 3 by 2024.
    targets = targets_frame([(2024, "90", "healthy_communes", "at_least", 3.0)])
    facts = facts_frame([("2022-12", "90001", "population", 1000)])
    (goal,) = goals.project_goals_frames(facts, _statuses(), targets, small_geo)
    assert goal.actual == ((2020, 2.0), (2021, 1.0), (2022, 2.0))
    assert (goal.baseline_year, goal.baseline_value, goal.deadline, goal.deadline_value) == (
        2022,
        2,
        2024,
        3.0,
    )
    assert goal.required == ((2022, 2.0), (2023, 2.5), (2024, 3.0))
    assert goal.method == "linear"
    # Slope 0 over 2020–2022: stays at 2, one short of 3 with a span of 1 → off track.
    assert goal.projected[-1] == (2024, 2.0)
    assert goal.verdict == OFF_TRACK
    assert "bình phương nhỏ nhất" in goal.method_text and "2020–2022" in goal.method_text
    # The 2024 target itself is not reached yet; its status follows the projection.
    (result,) = evaluate_frames(facts, _statuses(), targets, small_geo)
    assert (result.met, result.verdict, result.status) == (None, OFF_TRACK, AT_RISK)


# --- the demo data and the seed reports --------------------------------------------------------


@pytest.fixture(scope="module")
def newest(demo_snapshots):
    return demo_snapshots[max(demo_snapshots)]


@pytest.mark.parametrize(
    ("year", "as_of", "metric", "actual", "target", "pct", "status"),
    [
        (2021, None, "compulsory_rehab", 38, 32, 118.75, MET),
        (2021, None, "home_community_rehab", 54, 30, 180.00, MET),
        (2022, dt.date(2022, 9, 1), "compulsory_rehab", 22, 32, 68.75, AT_RISK),
        (2022, dt.date(2022, 9, 1), "voluntary_rehab_center", 64, 60, 106.67, MET),
    ],
)
def test_nam_tu_liem_quotas_from_the_seed_report(
    newest, geography, year, as_of, metric, actual, target, pct, status
):
    results = goals.evaluate(newest.in_geography(geography), unit="019", year=year, as_of=as_of)
    result = _only(results, metric)
    assert (result.actual, result.target, result.achievement_pct, result.status) == (
        actual,
        target,
        pct,
        status,
    )
    assert result.partial is (as_of is not None)
    assert result.unit_name == "Quận Nam Từ Liêm"


def test_dien_bien_goals_are_judged_every_year(newest, geography):
    results = goals.evaluate(newest.in_geography(geography), unit="11")
    counts = query.status_counts(newest.status, geography, ["11"])
    by_year = {r["year"]: r for r in counts.iter_rows(named=True)}
    expected_rules = {
        ("complex_communes", "reduce_more_than_pct"),
        ("key_communes", "reduce_at_least_pct"),
        ("healthy_communes", "keep_all"),
        ("post_rehab_supported_share", "at_least"),
    }
    for year in range(2017, 2026):
        judged = {(r.metric, r.rule): r for r in results if r.year == year}
        assert expected_rules <= set(judged)
        assert ("healthy_communes", "new_at_least" if year > 2017 else "at_least") in judged
        for result in judged.values():
            assert result.met is not None, result
            assert result.status in (MET, NOT_MET)
        for metric in ("complex_communes", "key_communes", "healthy_communes"):
            for result in (r for (m, _), r in judged.items() if m == metric):
                assert (result.previous, result.actual) == (by_year[year - 1][metric], by_year[year][metric])
    # 47 healthy communes at the start of the plan (seed report 003).
    assert _only([r for r in results if r.year == 2017], "healthy_communes", "keep_all").previous == 47


def test_dien_bien_relapses_match_the_status_table(newest, geography):
    results = goals.evaluate(newest.in_geography(geography), unit="11")
    communes = geography.descendants("11", "commune")
    status = newest.status.filter(pl.col("commune_code").is_in(communes) & pl.col("healthy"))
    healthy = {y: set(g["commune_code"]) for (y,), g in status.group_by("year")}
    for result in (r for r in results if r.rule == "keep_all"):
        relapsed = healthy[result.year - 1] - healthy[result.year]
        assert {c.code for c in result.left_communes} == relapsed
        assert result.met is (not relapsed)


def test_the_2030_goal_is_projected(newest, geography):
    (goal,) = goals.project_goals(newest.in_geography(geography), unit="11", metric="drug_free_share")
    assert goal.deadline == 2030 and goal.method == "linear"
    assert goal.projected[-1][0] == 2030
    assert goal.verdict in goals.VERDICTS
    assert goal.actual[-1] == (2025, pytest.approx(goal.baseline_value))
    (target,) = goals.evaluate(newest.in_geography(geography), unit="11", year=2030)
    assert target.verdict == goal.verdict
    assert target.status == (AT_RISK if goal.verdict != ON_TRACK else NO_DATA)
