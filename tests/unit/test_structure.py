"""Contract version 2 and structure views, on the crafted structures of test_reform.

Old: province 01 (district 001: communes 00001, 00002; 002: 00003, 00004), province 02 (003:
00005, 00006; island district 004). New: province 01 with communes 00001 (old 00001 + 00002),
00003 (old 00003, split: its default piece), 00004 (the rest of 00003, 00004 and 00006 — it
straddles districts 002 and 003), 00005, 00007 (the island). New codes reuse old codes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from dashboard import charts, query, reform, schema, structure
from dashboard.snapshot import Snapshot, load_snapshot, validate_snapshot, write_snapshot
from tests.support.data import EMPTY_STATUS, crafted_crosswalk, crafted_legacy, crafted_new

JUNE, JULY = dt.date(2025, 6, 1), dt.date(2025, 7, 1)
MONTHS = [dt.date(2025, m, 1) for m in range(1, 13)]
EMPTY_TARGETS = pl.DataFrame(schema=schema.TARGETS_SCHEMA)


@pytest.fixture(scope="module")
def legacy():
    return crafted_legacy()


@pytest.fixture(scope="module")
def new():
    return crafted_new()


def facts(rows) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema.FACTS_SCHEMA, orient="row")


def status(rows) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema.STATUS_SCHEMA, orient="row")


def targets(rows) -> pl.DataFrame:
    return pl.DataFrame([(*r, None) for r in rows], schema=schema.TARGETS_SCHEMA, orient="row")


# Every month the area holds 21 drug users: old communes report them through June, new from July.
OLD_SHARE = {"00001": 3.0, "00002": 4.0, "00003": 5.0, "00004": 2.0, "00005": 6.0, "00006": 1.0}
NEW_SHARE = {"00001": 7.0, "00003": 5.0, "00004": 3.0, "00005": 6.0}


def v2_facts() -> pl.DataFrame:
    rows = [(m, c, "drug_users", v) for m in MONTHS if m < JULY for c, v in OLD_SHARE.items()]
    rows += [(m, c, "drug_users", v) for m in MONTHS if m >= JULY for c, v in NEW_SHARE.items()]
    return facts(rows)


def write_v2(root: Path, legacy, new, **tables) -> Path:
    derived = {k: tables.pop(k) for k in ("derive_2025", "crosswalk") if k in tables}
    return write_snapshot(
        root,
        tables.pop("snapshot_id", "2025-12-31"),
        tables.pop("facts", v2_facts()),
        tables.pop("status", EMPTY_STATUS),
        tables.pop("targets", EMPTY_TARGETS),
        as_of="2025-12-31",
        created_at="2025-12-31T17:00:00+07:00",
        source="thử",
        demo=True,
        geography=legacy,
        structure_from=reform.REFORM_DATE,
        geography_2025=new,
        **derived,
    )


def write_v1(root: Path, legacy) -> Path:
    """A version 1 snapshot of the months before the reform."""
    return write_snapshot(
        root,
        "2025-06-30",
        v2_facts().filter(pl.col("period") < JULY),
        EMPTY_STATUS,
        EMPTY_TARGETS,
        as_of="2025-06-30",
        created_at="2025-06-30T17:00:00+07:00",
        source="thử",
        demo=True,
        geography=legacy,
    )


@pytest.fixture
def v2(tmp_path, legacy, new) -> Snapshot:
    return load_snapshot(write_v2(tmp_path, legacy, new), legacy, new)


# --- contract version 2 -----------------------------------------------------------------------


def test_a_version_2_manifest_states_where_the_new_structure_starts(v2):
    assert v2.manifest["schema_version"] == 2
    assert v2.manifest["structure_from"] == "2025-07-01"
    assert v2.structure_from == reform.REFORM_DATE


def test_a_version_1_snapshot_is_written_as_before(tmp_path, legacy):
    path = write_v1(tmp_path, legacy)
    manifest = json.loads((path / schema.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["schema_version"] == 1 and "structure_from" not in manifest
    assert load_snapshot(path, legacy).structure_from is None


def test_codes_are_checked_against_the_structure_of_their_period(tmp_path, legacy, new):
    # 00002 and district 001 exist only in the old structure; 00007 only in the new one.
    bad = v2_facts().vstack(facts([(JULY, "00002", "drug_users", 1.0), (JUNE, "00007", "drug_users", 1.0)]))
    snap, problems = validate_snapshot(write_v2(tmp_path, legacy, new, facts=bad), legacy, new)
    assert snap is None
    unit = [p for p in problems if p.column == "unit_code"]
    assert len(unit) == 1 and unit[0].severity == "error"
    assert "(2 dòng)" in unit[0].message and "01/7/2025" in unit[0].message
    assert "period=2025-07-01, unit_code=00002" in unit[0].where
    assert "period=2025-06-01, unit_code=00007" in unit[0].where


def test_lists_and_targets_from_2025_are_keyed_in_the_new_units(tmp_path, legacy, new):
    good_status = status(
        [(2024, "00002", "khong_ma_tuy", False, True), (2025, "00007", "khong_ma_tuy", False, True)]
    )
    good_targets = targets(
        [(2024, "001", "drug_users", "at_most", 5.0), (2026, "00007", "drug_users", "at_most", 5.0)]
    )
    snap, problems = validate_snapshot(
        write_v2(tmp_path, legacy, new, status=good_status, targets=good_targets), legacy, new
    )
    assert snap is not None, problems

    # The same codes a year off: 00002 is no commune in 2025, 00007 none in 2024, 001 no unit in 2026.
    bad_status = status(
        [(2025, "00002", "khong_ma_tuy", False, True), (2024, "00007", "khong_ma_tuy", False, True)]
    )
    bad_targets = targets([(2026, "001", "drug_users", "at_most", 5.0)])
    snap, problems = validate_snapshot(
        write_v2(tmp_path, legacy, new, snapshot_id="2025-12-31-2", status=bad_status, targets=bad_targets),
        legacy,
        new,
    )
    assert snap is None
    files = {p.file for p in problems if p.column in ("commune_code", "unit_code")}
    assert files == {schema.STATUS, schema.TARGETS}


@pytest.mark.parametrize("value", [None, "2025-01-01", 20250701])
def test_a_version_2_manifest_without_the_reform_month_is_refused(tmp_path, legacy, new, value):
    path = write_v2(tmp_path, legacy, new)
    manifest_path = path / schema.MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if value is None:
        del manifest["structure_from"]
    else:
        manifest["structure_from"] = value
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    snap, problems = validate_snapshot(path, legacy, new)
    assert snap is None
    assert any(p.column == "structure_from" and "structure_from" in p.message for p in problems)


def test_an_unknown_schema_version_is_named(tmp_path, legacy, new):
    path = write_v2(tmp_path, legacy, new)
    manifest = json.loads((path / schema.MANIFEST).read_text(encoding="utf-8"))
    unknown = max(schema.SUPPORTED_VERSIONS) + 1  # version 3 (spans) is known since issue 17
    manifest["schema_version"] = unknown
    (path / schema.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    snap, problems = validate_snapshot(path, legacy, new)
    assert snap is None
    assert any(p.column == "schema_version" and str(unknown) in p.message for p in problems)


def test_a_code_in_both_structures_is_read_by_its_period(v2, legacy, new):
    # 00001 was Xã A until June; from July it is the new commune that also holds Xã B.
    old_rows = v2.monthly(legacy, ["00001"], ["drug_users"])
    new_rows = v2.monthly(new, ["00001"], ["drug_users"])
    assert old_rows["period"].max() == JUNE and set(old_rows["value"]) == {OLD_SHARE["00001"]}
    assert new_rows["period"].min() == JULY and set(new_rows["value"]) == {NEW_SHARE["00001"]}
    # Province 01 of the old structure ends in June; the new province 01 starts in July.
    assert v2.rollups(legacy)["period"].max() == JUNE
    assert v2.rollups(new)["period"].min() == JULY


def test_roll_ups_are_written_per_structure(v2, legacy, new):
    rolled = pl.read_parquet(v2.path / schema.ROLLUPS)
    before = rolled.filter(pl.col("period") < JULY)
    after = rolled.filter(pl.col("period") >= JULY)
    assert set(before["unit_code"]) == {"01", "02", "001", "002", "003", "VN"}
    assert set(after["unit_code"]) == {"01", "VN"}  # no districts after the reform


# --- structure views --------------------------------------------------------------------------


def test_the_new_view_runs_one_trend_across_july_2025(v2, legacy, new):
    seen = structure.restructure(v2, structure.NEW, crafted_crosswalk(), legacy)
    monthly = query.rollup_months(seen.facts, new, ["01"], ["drug_users"]).sort("period")
    # 21 people every month: nothing counted twice at the merge, nothing dropped at the split.
    assert monthly["period"].to_list() == MONTHS
    assert monthly["value"].to_list() == [sum(OLD_SHARE.values())] * 12
    year = seen.summarize(new, ["01"], ["drug_users"], "year")
    assert year["value"].to_list() == [sum(NEW_SHARE.values())]


def test_the_new_view_puts_old_history_on_the_new_communes(v2, legacy):
    seen = structure.restructure(v2, structure.NEW, crafted_crosswalk(), legacy)
    june = {u: v for _, u, _, v in seen.facts.filter(pl.col("period") == JUNE).iter_rows()}
    # new 00001 = old 00001 + 00002; split 00003 whole to its default; new 00004 = old 00004 + 00006
    assert june == {"00001": 7.0, "00003": 5.0, "00004": 3.0, "00005": 6.0}


def test_the_old_view_shows_later_months_by_former_district(v2, legacy):
    seen = structure.restructure(v2, structure.LEGACY, crafted_crosswalk())
    july = {u: v for _, u, _, v in seen.facts.filter(pl.col("period") == JULY).iter_rows()}
    # new 00001 → district 001; 00003 → 002; 00004 straddles 002 and 003, counted for 002
    # (two old communes merged into it by default: 00004 of 002, 00006 of 003 — tie, then its
    # code 00004 was a commune of 002); 00005 → 003.
    assert july == {"001": 7.0, "002": 8.0, "003": 6.0}
    assert seen.flagged["unit_code"].to_list() == ["00004"]
    monthly = query.rollup_months(seen.facts, legacy, ["01", "02"], ["drug_users"]).sort(
        "period", "unit_code"
    )
    totals = monthly.group_by("period").agg(pl.col("value").sum()).sort("period")
    assert totals["value"].to_list() == [21.0] * 12


def test_the_old_view_of_a_version_1_snapshot_is_the_snapshot(tmp_path, legacy):
    path = write_v1(tmp_path, legacy)
    snap = load_snapshot(path, legacy)
    assert structure.restructure(snap, structure.LEGACY) is snap
    with pytest.raises(ValueError, match="cơ cấu"):
        structure.restructure(snap, "1975")


def test_lists_and_targets_follow_the_view(tmp_path, legacy, new):
    lists = status(
        [
            (2024, "00001", "trong_diem_3", True, False),
            (2024, "00002", "khong_ma_tuy", False, True),
            (2025, "00001", "co_te_nan", False, False),
        ]
    )
    goals = targets(
        [
            (2024, "001", "drug_users", "at_most", 5.0),
            (2026, "01", "complex_communes", "reduce_more_than_pct", 3.0),
        ]
    )
    snap = load_snapshot(write_v2(tmp_path, legacy, new, status=lists, targets=goals), legacy, new)
    seen_new = structure.restructure(snap, structure.NEW, crafted_crosswalk(), legacy)
    # 2024 in new communes: new 00001 takes the most serious class of old 00001 and 00002.
    assert seen_new.status.rows() == [
        (2024, "00001", "trong_diem_3", True, False),
        (2025, "00001", "co_te_nan", False, False),
    ]
    assert seen_new.targets["year"].to_list() == [2026]
    seen_old = structure.restructure(snap, structure.LEGACY, crafted_crosswalk())
    assert seen_old.status["year"].unique().to_list() == [2024]
    assert seen_old.targets["year"].to_list() == [2024]


def test_a_view_counts_what_it_could_not_place(tmp_path, legacy, new):
    rows = v2_facts().vstack(facts([(JUNE, "002", "compulsory_rehab", 4.0)]))
    snap = load_snapshot(write_v2(tmp_path, legacy, new, facts=rows), legacy, new)
    seen = structure.restructure(snap, structure.NEW, crafted_crosswalk(), legacy)
    assert structure.unplaced_summary(seen) == {reform.REASON_DISTRICT: 1}
    # ... and it still counts in the province total.
    june = query.rollup_months(seen.facts, new, ["01"], ["compulsory_rehab"])
    assert june["value"].to_list() == [4.0]


def test_a_version_2_snapshot_opens_in_the_new_units(v2):
    assert structure.default_structure(v2) == structure.NEW


# --- the reform month on charts ---------------------------------------------------------------


def _series(starts, ends=None) -> pl.DataFrame:
    ends = ends or starts
    return pl.DataFrame(
        {
            "period": starts,
            "period_end": ends,
            "period_label": [f"{s:%m/%Y}" for s in starts],
            "value": [1.0] * len(starts),
            "unit_name": ["A"] * len(starts),
        }
    )


@pytest.mark.parametrize(
    ("starts", "ends", "expected"),
    [
        # months: between June and July
        ([JUNE, JULY, dt.date(2025, 8, 1)], None, 0.5),
        # quarters: between Q2 and Q3
        ([dt.date(2025, 4, 1), JULY], [JUNE, dt.date(2025, 9, 1)], 0.5),
        # years: on 2025, which holds July
        ([dt.date(2024, 1, 1), dt.date(2025, 1, 1)], [dt.date(2024, 12, 1), dt.date(2025, 12, 1)], 1.0),
        # all before, or all after: no mark
        ([dt.date(2024, 1, 1), JUNE], None, None),
        ([JULY, dt.date(2025, 8, 1)], None, None),
    ],
)
def test_charts_mark_the_reform_month_where_the_periods_cross_it(starts, ends, expected):
    assert charts.reform_position(_series(starts, ends)) == expected
    fig = charts.time_series(_series(starts, ends), lang="vi", title="t", note="n")
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    if expected is None:
        assert not lines
    else:
        assert len(lines) == 1 and lines[0].x0 == expected
        assert any("01/7/2025" in (a.text or "") for a in fig.layout.annotations)


def test_the_derived_2025_files_give_the_same_view_as_converting_in_memory(tmp_path, legacy, new):
    rows = v2_facts().vstack(
        facts([(JUNE, "002", "compulsory_rehab", 4.0), (JUNE, "02", "drug_users", 99.0)])
    )
    plain = write_v2(tmp_path, legacy, new, facts=rows)
    derived = write_v2(
        tmp_path,
        legacy,
        new,
        snapshot_id="2025-12-31-2",
        facts=rows,
        derive_2025=True,
        crosswalk=crafted_crosswalk(),
    )
    manifest = json.loads((derived / schema.MANIFEST).read_text(encoding="utf-8"))
    assert {schema.FACTS_2025, schema.ROLLUPS_2025} <= set(manifest["files"])
    assert manifest[schema.DERIVED_2025]["unplaced"] == {reform.REASON_DISTRICT: 1}
    in_memory = structure.restructure(
        load_snapshot(plain, legacy, new), structure.NEW, crafted_crosswalk(), legacy
    )
    from_files = structure.restructure(
        load_snapshot(derived, legacy, new), structure.NEW, crafted_crosswalk(), legacy
    )
    assert from_files.rolled is not None and in_memory.rolled is None
    assert from_files.facts.equals(in_memory.facts)
    key = list(schema.FACTS_SORT)
    assert from_files.rollups(new).sort(key).equals(in_memory.rollups(new).sort(key))
    assert structure.unplaced_summary(from_files) == structure.unplaced_summary(in_memory)
    assert from_files.stats == in_memory.stats


def test_a_changed_derived_file_is_refused_like_any_other(tmp_path, legacy, new):
    path = write_v2(tmp_path, legacy, new, derive_2025=True, crosswalk=crafted_crosswalk())
    (path / schema.FACTS_2025).write_bytes(b"not parquet")
    snap, problems = validate_snapshot(path, legacy, new)
    assert snap is None
    assert any(p.file == schema.FACTS_2025 and "SHA-256" in p.message for p in problems)


def test_change_bars_and_small_multiples_mark_the_reform_too():
    months = [JUNE, JULY, dt.date(2025, 8, 1)]
    frame = _series(months).with_columns(pl.lit(1.5).alias("change_pct"), pl.lit("good").alias("tone"))
    bars = charts.yoy_change(frame, lang="vi", title="t", note="n")
    assert [s.x0 for s in bars.layout.shapes if s.type == "line"] == [0.5]
    two_units = pl.concat([frame, frame.with_columns(pl.lit("B").alias("unit_name"))])
    facets = charts.small_multiples(two_units, lang="vi", title="t", note="n")
    lines = [s for s in facets.layout.shapes if s.type == "line"]
    assert len(lines) == 2 and {s.x0 for s in lines} == {0.5}  # one per facet
    assert "01/7/2025" in facets.layout.title.subtitle.text
    before = charts.small_multiples(two_units.filter(pl.col("period") < JULY), lang="vi", title="t", note="n")
    assert not before.layout.shapes and "01/7/2025" not in before.layout.title.subtitle.text
