"""The demo snapshots: valid, deterministic, revised, and faithful to every real report figure."""

from __future__ import annotations

import json

import polars as pl
import pytest

from dashboard import demo, query
from dashboard.catalog import CATALOG
from dashboard.snapshot import survey
from tests.support.data import (
    ACTUAL_ROWS,
    RULE_ROWS,
    assert_seed_target,
    seed_grain,
    status_year,
    unit_code,
)


@pytest.mark.parametrize("row", ACTUAL_ROWS, ids=[f"{r['indicator']}@{r['period']}" for r in ACTUAL_ROWS])
def test_demo_reproduces_every_reported_figure(row, demo_snapshots, geography):
    code = unit_code(geography, row)
    for sid, snap in demo_snapshots.items():
        indicator = row["indicator"]
        if CATALOG[indicator].kind == "status":
            year = status_year(row["period"])
            out = query.summarize(
                query.from_facts(snap.facts, geography),
                snap.status,
                geography,
                [code],
                [indicator],
                grain="year",
                years=(year, year),
            )
        else:
            grain, year = seed_grain(row["period"])
            out = query.summarize(
                query.from_facts(snap.facts, geography),
                snap.status,
                geography,
                [code],
                [indicator],
                grain=grain,
                years=(year, year),
            )
        assert out["value"].to_list() == [float(row["value"])], sid


def test_every_actual_seed_row_is_a_stored_or_counted_indicator():
    kinds = {CATALOG[r["indicator"]].kind for r in ACTUAL_ROWS}
    assert kinds <= {"stock", "flow", "status"}


@pytest.mark.parametrize("row", RULE_ROWS, ids=[f"{r['indicator']}@{r['period']}" for r in RULE_ROWS])
def test_every_seed_target_is_in_the_targets(row, demo_snapshots, geography):
    snap = demo_snapshots[demo.SNAPSHOTS[-1][0]]
    code = unit_code(geography, row)
    first = int(row["period"][:4])
    years = range(first, demo.LAST_YEAR + 1) if row["period"].endswith("+") else [first]
    for year in years:
        assert_seed_target(snap.targets, row, code, year)


def test_every_demo_district_has_yearly_quotas(demo_snapshots, geography):
    snap = demo_snapshots[demo.SNAPSHOTS[-1][0]]
    for province in (demo.HANOI, demo.QUANG_NAM, demo.DIEN_BIEN):
        districts = set(geography.units_at("district", province)["unit_code"].to_list())
        with_quota = snap.targets.filter(
            (pl.col("metric") == "compulsory_rehab")
            & (pl.col("year") == 2023)
            & (pl.col("rule") == "at_least")
        )["unit_code"]
        assert districts <= set(with_quota.to_list())


def test_demo_snapshots_validate_and_are_marked_demo(demo_dir, geography):
    catalogue = survey(demo_dir, geography)
    assert catalogue.valid == tuple(sid for sid, _ in reversed(demo.SNAPSHOTS))
    assert catalogue.skipped == ()
    for sid in catalogue.valid:
        manifest = json.loads((demo_dir / "snapshots" / sid / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["demo"] is True


def test_demo_covers_every_commune_and_indicator_of_the_demo_provinces(demo_snapshots, geography):
    snap = demo_snapshots[demo.SNAPSHOTS[-1][0]]
    communes = set()
    for province in (demo.HANOI, demo.QUANG_NAM, demo.DIEN_BIEN):
        communes |= set(geography.descendants(province, "commune"))
    assert set(snap.facts["unit_code"].unique().to_list()) == communes
    # Every indicator measured month by month; reported commune counts come from reports only.
    stored = {i.id for i in CATALOG.values() if i.is_fact and i.reported_for is None}
    assert set(snap.facts["indicator"].unique().to_list()) == stored
    per_year = snap.status.group_by("year").len()
    assert per_year["len"].to_list() == [len(communes)] * per_year.height
    assert snap.facts["period"].min().year == demo.FIRST_YEAR


def test_classification_mix_drifts_over_time(demo_snapshots, geography):
    snap = demo_snapshots[demo.SNAPSHOTS[-1][0]]
    counts = query.status_counts(snap.status, geography, [demo.DIEN_BIEN], None)
    for column in ("key_communes", "complex_communes", "healthy_communes", "drug_free_communes"):
        assert counts[column].min() > 0, column
        assert counts[column].n_unique() > 1, column


def test_later_snapshot_revises_some_earlier_values(demo_snapshots):
    old, new = (demo_snapshots[sid] for sid, _ in demo.SNAPSHOTS)
    joined = old.facts.join(new.facts, on=["period", "unit_code", "indicator"], suffix="_new")
    revised = joined.filter(pl.col("value") != pl.col("value_new"))
    assert revised.height > 0
    assert new.facts.height > old.facts.height
    assert joined.height == old.facts.height


def test_parts_never_exceed_their_whole(demo_snapshots, geography):
    snap = demo_snapshots[demo.SNAPSHOTS[-1][0]]
    wide = snap.facts.pivot(on="indicator", index=["period", "unit_code"], values="value")
    parts = (
        pl.col("addicts_in_community")
        + pl.col("addicts_absent")
        + pl.col("addicts_in_rehab_center")
        + pl.col("addicts_in_prison_or_school")
    )
    assert wide.filter(parts > pl.col("addicts_managed")).is_empty()
    assert wide.filter(pl.col("addicts_managed") > pl.col("drug_users")).is_empty()
    assert wide.filter(pl.col("prostitution_prone_businesses") > pl.col("service_businesses")).is_empty()


def test_same_seed_same_bytes(tmp_path, geography):
    first, second = tmp_path / "a", tmp_path / "b"
    demo.write_demo(first, geography)
    demo.write_demo(second, geography)
    for sid, _ in demo.SNAPSHOTS:
        for path in sorted((first / sid).iterdir()):
            assert path.read_bytes() == (second / sid / path.name).read_bytes(), path.name
