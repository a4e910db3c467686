"""Goals across the reform on the version 2 demo: targets of 2025 and later judged on new-unit
data, with the year before re-aggregated where the rule needs it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from dashboard import goals, query, reform, schema, structure
from dashboard.geography import Geography
from dashboard.snapshot import load_snapshot

DA_NANG, QUANG_NAM, DIEN_BIEN = "48", "49", "11"


@pytest.fixture(scope="module")
def raw(reform_snapshot: Path):
    return load_snapshot(reform_snapshot, Geography.from_reference())


@pytest.fixture(scope="module")
def new_view(raw):
    return structure.restructure(raw, structure.NEW)


@pytest.fixture(scope="module")
def new_geo():
    return reform.geography_2025()


def _complex_in(status: pl.DataFrame, geo: Geography, province: str, year: int) -> int:
    communes = geo.descendants(province, "commune")
    return status.filter(
        (pl.col("year") == year) & pl.col("commune_code").is_in(communes) & pl.col("complex")
    ).height


def test_a_2026_reduction_is_judged_against_the_2025_list_of_new_communes(raw, new_view, new_geo):
    results = goals.evaluate(new_view.in_geography(new_geo), unit=DA_NANG, year=2026)
    found = [r for r in results if r.metric == "complex_communes" and r.rule == "reduce_more_than_pct"]
    assert len(found) == 1
    result = found[0]
    # Counted straight from the snapshot's lists, which from 2025 name new communes.
    previous = _complex_in(raw.status, new_geo, DA_NANG, 2025)
    actual = _complex_in(raw.status, new_geo, DA_NANG, 2026)
    assert (result.previous, result.actual) == (previous, actual)
    assert result.met == ((previous - actual) / previous * 100 > result.target)


def test_a_2025_commune_rule_compares_with_the_2024_list_converted_to_new_communes(raw, new_view, new_geo):
    results = goals.evaluate(new_view.in_geography(new_geo), unit=DA_NANG, year=2025)
    healthy = [r for r in results if r.metric == "healthy_communes"]
    assert healthy, "the demo sets healthy-commune rules for Đà Nẵng in 2025"
    converted = reform.status_to_new_structure(raw.status.filter(pl.col("year") == 2024))
    communes = new_geo.descendants(DA_NANG, "commune")
    previous = converted.filter(pl.col("commune_code").is_in(communes) & pl.col("healthy")).height
    old_count = raw.status.filter(
        (pl.col("year") == 2024)
        & pl.col("commune_code").is_in(
            Geography.from_reference().descendants(DA_NANG, "commune")
            + Geography.from_reference().descendants(QUANG_NAM, "commune")
        )
        & pl.col("healthy")
    ).height
    for result in healthy:
        # New communes compared with new communes, never with the 2024 count of old communes.
        assert result.previous == previous
        assert old_count >= previous


def test_a_2025_quota_counts_january_to_june_in_old_units_and_july_on_in_new(raw, new_view, new_geo):
    results = goals.evaluate(new_view.in_geography(new_geo), unit=DA_NANG, year=2025)
    quotas = [r for r in results if r.rule == "at_least" and r.metric == "compulsory_rehab"]
    assert len(quotas) == 1
    legacy = Geography.from_reference()
    first_half = raw.monthly(legacy, [DA_NANG, QUANG_NAM], ["compulsory_rehab"]).filter(
        pl.col("period").dt.year() == 2025
    )
    second_half = raw.monthly(new_geo, new_geo.descendants(DA_NANG, "commune"), ["compulsory_rehab"]).filter(
        pl.col("period").is_between(reform.REFORM_DATE, dt.date(2025, 12, 1))
    )
    assert first_half["period"].max() == dt.date(2025, 6, 1)
    assert quotas[0].actual == first_half["value"].sum() + second_half["value"].sum()


def test_the_old_units_keep_the_targets_set_for_them(raw):
    legacy = Geography.from_reference()
    old_view = structure.restructure(raw, structure.LEGACY)
    results = goals.evaluate(
        old_view.in_geography(legacy), unit=DIEN_BIEN, year=2017
    )  # its 2017 plan (seed report)
    assert results and all(r.year == 2017 for r in results)
    # Targets of 2025 on are for the new units: none is judged in the old ones.
    assert not goals.evaluate(old_view.in_geography(legacy), year=2026)
    monthly = query.rollup_months(old_view.facts, legacy, [QUANG_NAM], ["addicts_managed"])
    assert monthly["period"].max() == raw.last_period  # shown by former district after the reform


def test_the_demo_opens_the_new_units_on_derived_files_equal_to_converting_in_memory(raw, new_view, new_geo):
    assert new_view.rolled is not None  # read from rollups_2025.parquet
    moved = reform.to_new_structure(raw.scan(), structure_from=raw.structure_from)
    assert new_view.facts.equals(moved.facts.sort(schema.FACTS_SORT))
    key = list(schema.FACTS_SORT)
    recomputed = structure.compute_rollups(moved.facts, new_geo).sort(key)
    assert new_view.rollups(new_geo).sort(key).equals(recomputed)


def _count_in(status: pl.DataFrame, geo: Geography, province: str, year: int, which: pl.Expr) -> int:
    communes = geo.descendants(province, "commune")
    return status.filter((pl.col("year") == year) & pl.col("commune_code").is_in(communes) & which).height


@pytest.mark.parametrize("province", ["01", DA_NANG, DIEN_BIEN])
def test_the_engine_judges_the_healthy_and_drug_free_communes_of_the_new_lists(
    raw, new_view, new_geo, province
):
    # The 2030 goal (at least 50% drug-free) is followed on the 2025 and 2026 lists of new communes.
    projections = goals.project_goals(new_view.in_geography(new_geo), unit=province, metric="drug_free_share")
    assert len(projections) == 1 and projections[0].verdict is not None
    actual = dict(projections[0].actual)
    for year in (2025, 2026):
        free = _count_in(raw.status, new_geo, province, year, pl.col("drug_class") == "khong_ma_tuy")
        listed = _count_in(raw.status, new_geo, province, year, pl.lit(True))
        assert free > 0 and actual[year] == pytest.approx(free / listed * 100)
        # Healthy-commune rules, where the plan sets them, are judged on a list that holds some.
        healthy = [r for r in goals.evaluate(new_view.in_geography(new_geo), unit=province, year=year)
                   if r.metric == "healthy_communes"]  # fmt: skip
        for result in healthy:
            assert result.actual == _count_in(raw.status, new_geo, province, year, pl.col("healthy")) > 0
            assert result.met is not None
        assert bool(healthy) == (province != "01")  # Hà Nội sets no healthy-commune rule of its own
