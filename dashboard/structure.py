"""A snapshot seen in one administrative structure: the old units or the 2025 units.

A version 1 snapshot is in the old structure throughout; a version 2 snapshot holds the old
units before 1 July 2025 and the 2025 units from then on (docs/REFORM.md). The app shows one
structure at a time: ``restructure`` gives a ``Restructured`` snapshot, the snapshot's facts
moved into the chosen structure (``reform.to_new_structure`` / ``reform.to_old_structure``),
the commune lists and targets of that structure, and the roll-ups over its tree. It has the
interface of ``Snapshot``; pages read it as a view (``view.open_view``) with that structure's
unit tree.

Pure polars; no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import polars as pl

from dashboard import reform, schema
from dashboard.geography import Geography
from dashboard.snapshot import Snapshot, compute_rollups

# The structures a user can choose (URL values of the ``structure`` parameter).
LEGACY = reform.LEGACY
NEW = reform.NEW
STRUCTURES: tuple[str, ...] = (NEW, LEGACY)


def default_structure(snap: Snapshot) -> str:
    """A version 2 snapshot opens in the 2025 units (how the committees report now); version 1 in the old."""
    return NEW if snap.structure_from is not None else LEGACY


@dataclass(frozen=True, eq=False)
class Restructured(Snapshot):
    """A snapshot's data moved into one structure; read like the ``Snapshot`` it comes from.

    ``lazy_facts``: the facts in this structure, lazily (derived files on disk, the snapshot's own
    file, or frames converted in memory). ``rolled``: their roll-ups when they were derived
    ahead (else computed on first use). ``unplaced``: fact rows that could not be placed at unit
    level, by reason (``reform.Reaggregated.unplaced``). ``flagged``: units whose figures are
    approximate (old structure: new communes that straddle former districts, with data).
    """

    structure: str = LEGACY
    lazy_facts: pl.LazyFrame = field(default_factory=lambda: pl.LazyFrame(schema=schema.FACTS_SCHEMA))
    rolled: pl.LazyFrame | None = None
    unplaced: tuple[tuple[str, int], ...] = ()
    flagged: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"unit_code": pl.String}))

    @property
    def structure_from(self) -> dt.date | None:
        # The facts are all in one structure: nothing to split by period any more.
        return None

    def scan(self) -> pl.LazyFrame:
        return self.lazy_facts

    @cached_property
    def facts(self) -> pl.DataFrame:
        return self.lazy_facts.collect()

    def rollups(self, geography: Geography) -> pl.DataFrame:
        key = ("rollups", id(geography))
        if key not in self._memo:
            if self.rolled is not None:
                self._memo[key] = self.rolled.collect()
            else:
                self._memo[key] = compute_rollups(self.facts, geography)
        return self._memo[key]


def _stats(source: pl.LazyFrame) -> schema.FactStats:
    row = (
        source.select(pl.len(), pl.col("period").min().alias("first"), pl.col("period").max().alias("last"))
        .collect()
        .row(0)
    )
    return schema.FactStats(row[0], row[1], row[2])


def _derived(snap: Snapshot, name: str) -> pl.LazyFrame | None:
    path = snap.path / name
    if name in snap.manifest.get("files", {}) and path.is_file():
        return pl.scan_parquet(path)
    return None


def restructure(
    snap: Snapshot,
    structure: str,
    crosswalk: pl.DataFrame | None = None,
    legacy: Geography | None = None,
) -> Snapshot:
    """``snap`` in ``structure`` (``NEW`` or ``LEGACY``).

    - ``LEGACY`` of a version 1 snapshot is the snapshot itself.
    - ``LEGACY`` of a version 2 snapshot: its own months before July 2025, and the later months
      by former district (``reform.to_old_structure``, ``STRADDLE_RULE``); the commune lists and
      targets of years before 2025 (later ones are in the new units and have no old-unit
      equivalent).
    - ``NEW``: months before the reform re-aggregated into the 2025 units
      (``reform.to_new_structure``, ``SPLIT_RULE``) and later months as reported — read from the
      snapshot's derived ``facts_2025.parquet`` when it has one, else converted in memory; the
      lists of years before 2025 converted (``STATUS_RULE``); the targets of 2025 and later (a
      version 1 snapshot has none in the new units).

    ``crosswalk`` and ``legacy`` (the old structure) default to the reference data.
    """
    if structure not in STRUCTURES:
        raise ValueError(f"cơ cấu đơn vị hành chính không hợp lệ: {structure!r}")
    sf = snap.structure_from
    if structure == LEGACY and sf is None:
        return snap
    crosswalk = reform.load_crosswalk() if crosswalk is None else crosswalk
    rolled = None
    flagged = pl.DataFrame(schema={"unit_code": pl.String})
    if structure == NEW:
        status = reform.status_to_new_structure(snap.status, crosswalk, structure_from=sf)
        targets = (
            snap.targets.filter(pl.col("year") >= reform.FIRST_NEW_YEAR)
            if sf is not None
            else snap.targets.clear()
        )
        source = _derived(snap, schema.FACTS_2025)
        if source is not None:
            rolled = _derived(snap, schema.ROLLUPS_2025)
            counts = snap.manifest.get(schema.DERIVED_2025, {}).get("unplaced", {})
            unplaced = tuple(sorted((str(k), int(v)) for k, v in counts.items()))
        else:
            moved = reform.to_new_structure(snap.scan(), crosswalk, legacy, structure_from=sf)
            source = moved.facts.sort(schema.FACTS_SORT).lazy()
            unplaced = _counts(moved.unplaced)
    else:
        status = snap.status.filter(pl.col("year") < reform.FIRST_NEW_YEAR)
        targets = snap.targets.filter(pl.col("year") < reform.FIRST_NEW_YEAR)
        # Only the months from the reform are moved; the earlier ones are read from the file.
        moved = reform.to_old_structure(
            snap.scan().filter(pl.col("period") >= sf), crosswalk, structure_from=sf
        )
        after = moved.facts.sort(schema.FACTS_SORT)
        source = pl.concat(
            [snap.scan().filter(pl.col("period") < sf).select(list(schema.FACTS_SCHEMA)), after.lazy()]
        )
        unplaced, flagged = _counts(moved.unplaced), moved.flagged
        old_rollups = _derived(snap, schema.ROLLUPS)
        if old_rollups is not None:
            geo = legacy if legacy is not None else reform.legacy_geography()
            rolled = pl.concat(
                [old_rollups.filter(pl.col("period") < sf), compute_rollups(after, geo).lazy()]
            )
    return Restructured(
        snapshot_id=snap.snapshot_id,
        path=snap.path,
        manifest=snap.manifest,
        status=status,
        targets=targets,
        stats=_stats(source),
        warnings=snap.warnings,
        structure=structure,
        lazy_facts=source,
        rolled=rolled,
        unplaced=unplaced,
        flagged=flagged,
    )


def _counts(unplaced: pl.DataFrame) -> tuple[tuple[str, int], ...]:
    if unplaced.is_empty():
        return ()
    counts = unplaced.group_by("reason").len().sort("reason")
    return tuple(zip(counts["reason"].to_list(), counts["len"].to_list(), strict=True))


def structure_of(snap: Snapshot) -> str:
    """The structure a snapshot or restructured snapshot is read in."""
    if isinstance(snap, Restructured):
        return snap.structure
    return LEGACY


def unplaced_summary(snap: Snapshot) -> dict[str, int]:
    """How many fact rows of a restructured snapshot could not be placed at unit level, by reason."""
    return dict(snap.unplaced) if isinstance(snap, Restructured) else {}
