"""A view: one snapshot loaded in one administrative structure, carrying that structure's unit tree.

"View" means this and nothing else. A snapshot on disk may hold both structures (contract
version 2: the old units before 1 July 2025, the 2025 units after), and most codes name a unit
in both (commune 00004 is Phường Phúc Xá in the old tree, Phường Ba Đình in the new). So a
snapshot is never read on its own: it is opened as a view in one structure (``open_view``), and
every read of the view (``monthly``, ``summarize``, ``rollups``, ``units_with_data``) answers in
the view's own ``geography`` — a read cannot be given another tree. A view restricted to a
user's scope (``restricted``, ``access.ScopedView``) has the same interface and answers with
in-scope rows only. Pages, goals, maps, exports and the CLI all read through ``View``.

A view is loaded and cached under its ``view_id``: the snapshot id, with ``@2025`` for the
2025 units (``view_id``, ``parse_view_id``).

Pure polars; no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol, runtime_checkable

import polars as pl

from dashboard import query, reform, schema
from dashboard.geography import Geography
from dashboard.snapshot import Snapshot, is_2025, structure_rows
from dashboard.structure import Restructured, restructure

LEGACY, NEW = reform.LEGACY, reform.NEW
# "<snapshot id>@2025" is the snapshot in the 2025 units; the snapshot id alone, in the old units.
VIEW_SEPARATOR = "@"


def view_id(snapshot_id: str, structure_id: str) -> str:
    """The id a snapshot seen in a structure is loaded and cached under (and a meeting records)."""
    return snapshot_id if structure_id == LEGACY else f"{snapshot_id}{VIEW_SEPARATOR}{structure_id}"


def parse_view_id(view: str) -> tuple[str, str]:
    """(snapshot id, structure) of a ``view_id``."""
    snapshot_id, _, structure_id = view.partition(VIEW_SEPARATOR)
    return snapshot_id, structure_id or LEGACY


def structure_of(geography: Geography) -> str:
    """The structure a unit tree is of: ``NEW`` for the two-level tree of 2025, else ``LEGACY``."""
    return NEW if is_2025(geography) else LEGACY


@runtime_checkable
class View(Protocol):
    """What every reader of figures reads: a snapshot in one structure, scoped or not.

    The reads take no unit tree: they answer in ``geography``, the view's own.
    """

    @property
    def view_id(self) -> str: ...
    @property
    def snapshot_id(self) -> str: ...
    @property
    def structure(self) -> str: ...
    @property
    def geography(self) -> Geography: ...
    @property
    def path(self) -> Path: ...
    @property
    def manifest(self) -> dict: ...
    @property
    def as_of(self) -> str: ...
    @property
    def demo(self) -> bool: ...
    @property
    def source(self) -> str: ...
    @property
    def last_period(self) -> dt.date | None: ...
    @property
    def years(self) -> list[int]: ...
    @property
    def structure_from(self) -> dt.date | None: ...
    @property
    def status(self) -> pl.DataFrame: ...
    @property
    def targets(self) -> pl.DataFrame: ...
    @property
    def spans(self) -> pl.DataFrame: ...

    def monthly(
        self, codes: Sequence[str], indicators: Sequence[str], years: tuple[int, int] | None = None
    ) -> pl.DataFrame: ...

    def summarize(
        self,
        codes: Sequence[str],
        indicators: Sequence[str] | None = None,
        grain: str = "year",
        years: tuple[int, int] | None = None,
        *,
        combine_as: str | None = None,
    ) -> pl.DataFrame: ...

    @property
    def facts(self) -> pl.DataFrame: ...

    def rollups(self) -> pl.DataFrame: ...
    def units_with_data(self, level: str) -> list[str]: ...
    def scan(self) -> pl.LazyFrame: ...
    def allows(self, code: str) -> bool: ...
    def restricted(self, access) -> View: ...


@dataclass(frozen=True, eq=False)
class SnapshotView:
    """A snapshot read in ``geography``'s structure: the whole of it, for a reader who may see all.

    ``snapshot`` holds the rows (a ``Snapshot``, or ``structure.Restructured`` for data moved
    into the other structure); build it with ``open_view``, which refuses a tree of the wrong
    structure.
    """

    snapshot: Snapshot
    geography: Geography

    @property
    def structure(self) -> str:
        return structure_of(self.geography)

    @property
    def view_id(self) -> str:
        return view_id(self.snapshot.snapshot_id, self.structure)

    # Metadata of the snapshot, the same in every structure.
    @property
    def snapshot_id(self) -> str:
        return self.snapshot.snapshot_id

    @property
    def path(self) -> Path:
        return self.snapshot.path

    @property
    def manifest(self) -> dict:
        return self.snapshot.manifest

    @property
    def stats(self) -> schema.FactStats:
        return self.snapshot.stats

    @property
    def warnings(self):
        return self.snapshot.warnings

    @property
    def as_of(self) -> str:
        return self.snapshot.as_of

    @property
    def demo(self) -> bool:
        return self.snapshot.demo

    @property
    def source(self) -> str:
        return self.snapshot.source

    @property
    def last_period(self) -> dt.date | None:
        return self.snapshot.last_period

    @property
    def first_period(self) -> dt.date | None:
        return self.snapshot.first_period

    @property
    def years(self) -> list[int]:
        return self.snapshot.years

    @property
    def structure_from(self) -> dt.date | None:
        return self.snapshot.structure_from

    # The data, in this view's structure.
    @property
    def status(self) -> pl.DataFrame:
        return self.snapshot.status

    @property
    def targets(self) -> pl.DataFrame:
        return self.snapshot.targets

    @property
    def spans(self) -> pl.DataFrame:
        """Totals over several months (contract version 3) keyed in this structure."""
        return self.snapshot.spans_in(self.geography)

    def scan(self) -> pl.LazyFrame:
        """The facts keyed in this structure, as a lazy scan."""
        return structure_rows(self.snapshot.scan(), self.snapshot.structure_from, self.geography)

    @cached_property
    def facts(self) -> pl.DataFrame:
        """Every fact row keyed in this structure, read on first use."""
        if self.snapshot.structure_from is None:
            return self.snapshot.facts  # all of it: shared with the snapshot's own read
        return self.scan().collect()

    def monthly(
        self, codes: Sequence[str], indicators: Sequence[str], years: tuple[int, int] | None = None
    ) -> pl.DataFrame:
        """Monthly values of ``indicators`` for ``codes`` (a ``query.MonthlySource``)."""
        return self.snapshot.monthly(self.geography, codes, indicators, years)

    def summarize(
        self,
        codes: Sequence[str],
        indicators: Sequence[str] | None = None,
        grain: str = "year",
        years: tuple[int, int] | None = None,
        *,
        combine_as: str | None = None,
    ) -> pl.DataFrame:
        """``query.summarize`` read through ``monthly`` (never the whole facts file)."""
        return query.summarize(
            self.monthly,
            self.status,
            self.geography,
            codes,
            indicators,
            grain,
            years,
            combine_as=combine_as,
            last_period=self.last_period,
            spans=self.spans,
        )

    def rollups(self) -> pl.DataFrame:
        """Monthly values of every unit above the communes (own values win)."""
        return self.snapshot.rollups(self.geography)

    def units_with_data(self, level: str) -> list[str]:
        return self.snapshot.units_with_data(self.geography, level)

    def allows(self, code: str) -> bool:
        """Every unit is in an unrestricted view (``access.ScopedView`` says otherwise)."""
        return True

    def restricted(self, access) -> View:
        """This view through an ``access.Access``: in-scope rows only (itself for the whole country)."""
        from dashboard.access import restrict  # access.py builds on snapshots, not on views

        return restrict(self, access)


def open_view(snapshot: Snapshot, geography: Geography) -> SnapshotView:
    """``snapshot`` read in ``geography``'s structure.

    A snapshot of both structures (contract version 2) opens in either; one whose rows are all
    in one structure (version 1: the old units; ``structure.Restructured``: the structure it was
    moved into) only in that one — reading it with the other tree would name other units.
    """
    held = _structure_held(snapshot)
    if held is not None and held != structure_of(geography):
        raise ValueError(
            f"Bản chụp {snapshot.snapshot_id} ở cơ cấu đơn vị {held!r}, không đọc được bằng cây đơn vị "
            f"của cơ cấu {structure_of(geography)!r}"
        )
    return SnapshotView(snapshot, geography)


def _structure_held(snapshot: Snapshot) -> str | None:
    """The one structure ``snapshot``'s rows are keyed in (None: both, by month)."""
    if isinstance(snapshot, Restructured):
        return snapshot.structure
    return LEGACY if snapshot.structure_from is None else None


def load_view(
    snapshot: Snapshot,
    structure_id: str,
    geography: Geography,
    crosswalk: pl.DataFrame | None = None,
    legacy: Geography | None = None,
) -> SnapshotView:
    """``snapshot`` moved into ``structure_id`` (``structure.restructure``) and read with ``geography``,
    that structure's unit tree (refused when it is the other one's)."""
    return open_view(restructure(snapshot, structure_id, crosswalk, legacy), geography)
