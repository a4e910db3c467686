"""Page-level computations: tones, quotas, achievement, periods, KPI cards, ranking, heatmap."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard import page_figures, query
from dashboard.catalog import CATALOG
from dashboard.goals import quota_achievement
from tests.support.data import EMPTY_STATUS, facts_frame


@pytest.mark.parametrize(
    "indicator,change,tone",
    [
        ("addicts_managed", -5, "good"),  # fewer addicts is good
        ("addicts_managed", 5, "bad"),
        ("methadone_patients", 5, "good"),  # more people in methadone treatment is good
        ("methadone_patients", -5, "bad"),
        ("sex_workers_managed", 5, "neutral"),
        ("addicts_managed", 0, "neutral"),
        ("hiv_prevalence", -0.001, "neutral"),  # shows as 0,00 on the card
        ("hiv_prevalence", -0.01, "good"),
        ("addicts_managed", None, "neutral"),
    ],
)
def test_change_tone(indicator, change, tone):
    assert page_figures.change_tone(indicator, change) == tone


def targets_frame(rows: list[tuple[int, str, str, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(y, u, m, "at_least", v, "") for y, u, m, v in rows],
        schema={
            "year": pl.Int32,
            "unit_code": pl.String,
            "metric": pl.String,
            "rule": pl.String,
            "value": pl.Float64,
            "note": pl.String,
        },
        orient="row",
    )


TARGETS = targets_frame(
    [
        (2021, "901", "compulsory_rehab", 32),
        (2021, "902", "compulsory_rehab", 30),
        (2022, "901", "compulsory_rehab", 10),
        (2021, "90003", "home_community_rehab", 4),
    ]
)


@pytest.mark.parametrize(
    "codes,metric,year,expected",
    [
        (["901"], "compulsory_rehab", 2021, page_figures.Quota(32, 1, 1)),
        (["901", "902"], "compulsory_rehab", 2021, page_figures.Quota(62, 2, 2)),
        (["90"], "compulsory_rehab", 2021, page_figures.Quota(62, 1, 1)),  # province: sum of its districts
        (["901", "902"], "compulsory_rehab", 2022, page_figures.Quota(10, 1, 2)),  # only one has a quota
        (["90"], "home_community_rehab", 2021, page_figures.Quota(4, 1, 1)),  # from a commune up
        (["901"], "voluntary_rehab_center", 2021, None),  # none assigned
    ],
)
def test_selection_quota(small_geo, codes, metric, year, expected):
    assert page_figures.selection_quota(TARGETS, small_geo, codes, metric, year) == expected


@pytest.mark.parametrize(
    "actual,quota,expected",
    [
        (38, 32, 118.75),
        (54, 30, 180.0),
        (22, 32, 68.75),
        (64, 60, 106.66666666666667),
        (5, 0, None),
        (None, 3, None),
    ],
)
def test_quota_achievement(actual, quota, expected):
    """The cards' achievement is the goals' exact one (the goals page judges the same quota)."""
    assert quota_achievement(actual, quota) == expected


@pytest.mark.parametrize(
    "grain,year,last,expected_starts,default",
    [
        ("year", 2021, dt.date(2025, 12, 1), [(2021, 1)], (2021, 1)),
        ("quarter", 2025, dt.date(2025, 11, 1), [(2025, 1), (2025, 4), (2025, 7), (2025, 10)], (2025, 7)),
        ("9m", 2022, dt.date(2022, 9, 1), [(2022, 1)], (2022, 1)),
        ("6m", 2025, dt.date(2025, 3, 1), [(2025, 1)], (2025, 1)),  # begun but incomplete
        ("month", 2026, dt.date(2025, 12, 1), [], None),
    ],
)
def test_periods_in_year_and_default(grain, year, last, expected_starts, default):
    starts = page_figures.periods_in_year(grain, year, last)
    assert starts == [dt.date(y, m, 1) for y, m in expected_starts]
    found = page_figures.default_period(grain, year, last)
    assert found == (dt.date(*default, 1) if default else None)


def test_kpis_from_query_results(small_geo):
    facts = facts_frame(
        [
            ("2020-12", "90001", "addicts_managed", 10),
            ("2021-12", "90001", "addicts_managed", 8),
            ("2020-06", "90001", "compulsory_rehab", 3),
            ("2021-03", "90001", "compulsory_rehab", 2),
            ("2021-11", "90002", "compulsory_rehab", 4),
        ]
    )
    frame = query.with_previous_year(
        query.summarize(
            query.from_facts(facts, small_geo),
            EMPTY_STATUS,
            small_geo,
            ["901"],
            ["addicts_managed", "compulsory_rehab", "methadone_patients"],
            "year",
            (2020, 2021),
            combine_as=page_figures.SELECTION,
        )
    )
    quota = page_figures.Quota(4, 1, 1)
    cards = {
        c.indicator: c
        for c in page_figures.kpis(
            frame,
            dt.date(2021, 1, 1),
            ["addicts_managed", "compulsory_rehab", "methadone_patients"],
            {"compulsory_rehab": quota},
        )
    }
    addicts, rehab, methadone = (
        cards["addicts_managed"],
        cards["compulsory_rehab"],
        cards["methadone_patients"],
    )
    assert (addicts.value, addicts.previous, addicts.change, addicts.tone) == (8, 10, -2, "good")
    assert addicts.change_pct == pytest.approx(-20)
    assert addicts.history == (10, 8)
    assert (rehab.value, rehab.previous, rehab.tone) == (6, 3, "good")
    assert rehab.achievement == pytest.approx(150)
    assert methadone.value is None and methadone.tone == "neutral"


def test_ranking_and_heatmap():
    frame = pl.DataFrame(
        {
            "unit_code": ["a", "b", "c", "a", "b", "c"],
            "indicator": ["x"] * 6,
            "period": [dt.date(2020, 1, 1)] * 3 + [dt.date(2021, 1, 1)] * 3,
            "value": [1.0, 3.0, 2.0, 5.0, 4.0, None],
        }
    )
    ranked = page_figures.ranking(frame, dt.date(2021, 1, 1), "x")
    assert ranked.select("unit_code", "rank").rows() == [("a", 1), ("b", 2)]
    matrix = page_figures.heatmap_matrix(frame, "x")
    assert matrix.columns == ["unit_code", "2020", "2021"]
    assert matrix.rows() == [("a", 1.0, 5.0), ("b", 3.0, 4.0), ("c", 2.0, None)]


def test_compare_units(small_geo):
    assert page_figures.compare_units(small_geo, "90", (), ("90",)) == ["901", "902"]
    assert page_figures.compare_units(small_geo, "90", ("901",), ("90",)) == ["90001", "90002"]
    assert page_figures.compare_units(small_geo, "90", ("901", "902"), ("90",)) == ["901", "902"]
    assert page_figures.compare_units(small_geo, "VN", (), ("90",)) == ["90"]


def test_headline_cards_cover_the_issue_list():
    assert set(page_figures.HEADLINE) == {
        "addicts_managed",
        "drug_users",
        "methadone_patients",
        "compulsory_rehab",
        "home_community_rehab",
        "voluntary_rehab_center",
        "key_communes",
        "complex_communes",
        "healthy_communes",
        "prostitution_prone_businesses",
        "sex_workers_managed",
        "trafficking_victims_returned",
        "hiv_prevalence",
        "drug_free_share",
    }
    assert set(page_figures.QUOTA_METRICS) <= set(page_figures.HEADLINE)


@pytest.mark.parametrize("indicator", sorted(CATALOG))
def test_every_catalog_indicator_has_both_labels_and_units(indicator):
    entry = CATALOG[indicator]
    assert entry.label("vi").strip() and entry.label("en").strip()
    assert entry.unit("vi").strip() and entry.unit("en").strip()


def _breakdown(n_units: int) -> pl.DataFrame:
    rows = []
    for i in range(n_units):
        for year in (2025, 2026):
            # Unit i has i people in 2026 and 1 in 2025.
            rows.append((f"{i:05d}", "drug_users", dt.date(year, 1, 1), float(i if year == 2026 else 1)))
    return pl.DataFrame(
        rows, schema=["unit_code", "indicator", "period", "value"], orient="row"
    ).with_columns(
        pl.col("period").dt.year().cast(pl.String).alias("period_label"),
        pl.col("unit_code").alias("unit_name"),
    )


def test_a_breakdown_keeps_the_units_highest_in_the_newest_period():
    frame = _breakdown(40)
    shown, left_out = page_figures.top_units(frame, limit=30)
    assert left_out == 10
    assert sorted(shown["unit_code"].unique().to_list()) == [f"{i:05d}" for i in range(10, 40)]
    everything, none_left = page_figures.top_units(frame, limit=40)
    assert none_left == 0 and everything.equals(frame)


def test_a_stacked_breakdown_folds_the_rest_so_the_stack_adds_up():
    frame = _breakdown(40)
    shown, _ = page_figures.top_units(frame, limit=30)
    stacked = page_figures.fold_others(shown, frame, "10 địa bàn khác")
    totals = stacked.group_by("period").agg(pl.col("value").sum()).sort("period")
    expected = frame.group_by("period").agg(pl.col("value").sum()).sort("period")
    assert totals.equals(expected)
    others = stacked.filter(pl.col("unit_code") == page_figures.OTHERS)
    assert others["unit_name"].unique().to_list() == ["10 địa bàn khác"]
    assert others.sort("period")["value"].to_list() == [10.0, float(sum(range(10)))]
