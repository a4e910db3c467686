"""A snapshot seen in one administrative structure: the old units or the 2025 units.

A version 1 snapshot is in the old structure throughout; a version 2 snapshot holds the old
units before 1 July 2025 and the 2025 units from then on (docs/REFORM.md). The app shows one
structure at a time, so every page reads a ``StructureView``: the snapshot's facts moved into
the chosen structure (``reform.to_new_structure`` / ``reform.to_old_structure``), the commune
lists and targets of that structure, and the roll-ups over its tree. A view has the interface
of ``Snapshot``, so queries, maps and goals run on it unchanged with the view's geography.

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
class StructureView(Snapshot):
    """A snapshot's data moved into one structure; read like the ``Snapshot`` it comes from.

    ``converted``: the facts in this structure (in memory). ``unplaced``: rows that could not be
    placed at unit level (``reform.Reaggregated.unplaced``). ``flagged``: units whose figures are
    approximate (old structure: new communes that straddle former districts, with data).
    """

    structure: str = LEGACY
    source_structure_from: dt.date | None = None
    converted: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=schema.FACTS_SCHEMA))
    unplaced: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=reform.UNPLACED_SCHEMA))
    flagged: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"unit_code": pl.String}))

    @property
    def structure_from(self) -> dt.date | None:
        # The view's facts are all in one structure: nothing to split by period any more.
        return None

    @property
    def reform_month(self) -> dt.date | None:
        """The month the structure changed, when the view's period reaches across it."""
        first, last = self.stats.first_period, self.stats.last_period
        if first is None or last is None or not first < reform.REFORM_DATE <= last:
            return None
        return reform.REFORM_DATE

    @property
    def converted_history(self) -> bool:
        """Whether some of the view's months were moved from the other structure."""
        if self.structure == NEW:
            return self.stats.first_period is not None and (
                self.source_structure_from is None or self.stats.first_period < self.source_structure_from
            )
        return self.source_structure_from is not None and (
            self.stats.last_period is not None and self.stats.last_period >= self.source_structure_from
        )

    def scan(self) -> pl.LazyFrame:
        return self.converted.lazy()

    @cached_property
    def facts(self) -> pl.DataFrame:
        return self.converted

    def rollups(self, geography: Geography) -> pl.DataFrame:
        key = ("rollups", id(geography))
        if key not in self._memo:
            self._memo[key] = compute_rollups(self.converted, geography)
        return self._memo[key]


def _stats(facts: pl.DataFrame) -> schema.FactStats:
    if facts.is_empty():
        return schema.FactStats(0, None, None)
    return schema.FactStats(facts.height, facts["period"].min(), facts["period"].max())


def view(
    snap: Snapshot,
    structure: str,
    crosswalk: pl.DataFrame | None = None,
    legacy: Geography | None = None,
) -> Snapshot:
    """``snap`` in ``structure`` (``NEW`` or ``LEGACY``).

    - ``LEGACY`` of a version 1 snapshot is the snapshot itself.
    - ``LEGACY`` of a version 2 snapshot: months from July 2025 by former district
      (``reform.to_old_structure``, ``STRADDLE_RULE``); the commune lists and targets of years
      before 2025 (later ones are in the new units and have no old-unit equivalent).
    - ``NEW``: months before the reform re-aggregated into the 2025 units
      (``reform.to_new_structure``, ``SPLIT_RULE``) and later months as reported; the lists of
      years before 2025 converted (``STATUS_RULE``); the targets of 2025 and later (a version 1
      snapshot has none in the new units).

    ``crosswalk`` and ``legacy`` (the old structure) default to the reference data.
    """
    if structure not in STRUCTURES:
        raise ValueError(f"cơ cấu đơn vị hành chính không hợp lệ: {structure!r}")
    sf = snap.structure_from
    if structure == LEGACY and sf is None:
        return snap
    crosswalk = reform.load_crosswalk() if crosswalk is None else crosswalk
    if structure == NEW:
        moved = reform.to_new_structure(snap.scan(), crosswalk, legacy, structure_from=sf)
        status = reform.status_to_new_structure(snap.status, crosswalk, structure_from=sf)
        targets = (
            snap.targets.filter(pl.col("year") >= reform.FIRST_NEW_YEAR)
            if sf is not None
            else snap.targets.clear()
        )
    else:
        moved = reform.to_old_structure(snap.scan(), crosswalk, structure_from=sf)
        status = snap.status.filter(pl.col("year") < reform.FIRST_NEW_YEAR)
        targets = snap.targets.filter(pl.col("year") < reform.FIRST_NEW_YEAR)
    facts = moved.facts.sort(schema.FACTS_SORT)
    return StructureView(
        snapshot_id=snap.snapshot_id,
        path=snap.path,
        manifest=snap.manifest,
        status=status,
        targets=targets,
        stats=_stats(facts),
        warnings=snap.warnings,
        structure=structure,
        source_structure_from=sf,
        converted=facts,
        unplaced=moved.unplaced,
        flagged=moved.flagged,
    )


def structure_of(snap: Snapshot) -> str:
    """The structure a snapshot or view is read in."""
    if isinstance(snap, StructureView):
        return snap.structure
    return LEGACY


def unplaced_summary(snap: Snapshot) -> dict[str, int]:
    """How many fact rows of a view could not be placed at unit level, by reason."""
    if not isinstance(snap, StructureView) or snap.unplaced.is_empty():
        return {}
    counts = snap.unplaced.group_by("reason").len().sort("reason")
    return dict(zip(counts["reason"].to_list(), counts["len"].to_list(), strict=True))
