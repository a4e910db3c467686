"""Every cached loader of the dashboard: snapshots, views, summaries, coverage, quotas, the map's data.

The loaders are cached on plain arguments (data folder, snapshot view id, filter values, the
user's scope), so a filter change reruns the cheap queries and never reads the Parquet files
again. A loader that reads a snapshot takes the user's ``scope`` and passes it on to ``load``,
so one user's rows are never served from another's cache entry (tests/test_access.py checks).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from dashboard import coverage, export, maps, memo, page_figures, query, reform, structure
from dashboard.access import Access, SmallCounts
from dashboard.catalog import REPORTED_COUNTS
from dashboard.geography import Geography
from dashboard.snapshot import Catalogue, Snapshot, load_snapshot, snapshot_dirs, survey
from dashboard.ui import auth as ui_auth
from dashboard.ui.notices import notice_denied
from dashboard.view import View, load_view, parse_view_id

DATA_DIR_ENV = "DASHBOARD_DATA_DIR"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"


_FRONTS: list = []  # the lru_cache fronts of ``shared``, for ``clear``


def shared(max_entries: int = 1, known: bool = False) -> Callable:
    """``st.cache_resource`` with a ``functools.lru_cache`` of the same size in front of it.

    A hit costs one dictionary lookup on the plain arguments (strings, tuples, dates, the
    user's frozen ``Access``). Streamlit's own cache names and hashes every argument on every
    call (``inspect.signature`` per positional argument): under 32 sessions at once that was
    about a seventh of the server's time, since a run makes dozens of loader calls
    (docs/BENCHMARK.md, *Sức chứa*). Streamlit's cache stays behind it for a miss, so that
    sessions asking for the same missing value at once compute it once (its lock per key).
    The value is shared by every session and must not be changed by the caller. With ``known``
    a frame returned is known to ``memo`` by the function and its arguments (``memo.know``), so
    what is remembered from it needs no digest of its content.
    """

    def wrap(fn: Callable) -> Callable:
        front = functools.lru_cache(maxsize=max_entries)(
            st.cache_resource(show_spinner=False, max_entries=max_entries)(fn)
        )
        _FRONTS.append(front)
        if not known:
            return front

        @functools.wraps(fn)
        def knowing(*args: Any) -> Any:
            return memo.know(front(*args), (fn, *args))

        return knowing

    return wrap


def clear() -> None:
    """Forget every cached loader value and remembered result (the benchmark's cold runs)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    for front in _FRONTS:
        front.cache_clear()
    memo.clear()


def data_dir() -> str:
    """The data folder: ``$DASHBOARD_DATA_DIR`` or ``data/`` at the repository root."""
    return os.environ.get(DATA_DIR_ENV) or str(DEFAULT_DATA_DIR)


@shared()
def reference_geography() -> Geography:
    """The pre-2025 structure, read once per process: validation, sign-in scopes and imports use it."""
    return Geography.from_reference()


@shared()
def geography_2025() -> Geography:
    """The structure in force from 1 July 2025 (province → commune), read once per process."""
    return reform.geography_2025()


def geography_of(view_id: str) -> Geography:
    """The unit tree of the structure a view is in (a loaded view carries it: ``View.geography``)."""
    return geography_2025() if parse_view_id(view_id)[1] == structure.NEW else reference_geography()


def _folder_stamp(folder: str) -> tuple[tuple[str, int], ...]:
    """Names and modification times of the snapshot folders: a new or changed one re-surveys."""
    return tuple((p.name, p.stat().st_mtime_ns) for p in snapshot_dirs(Path(folder)))


@shared(max_entries=4)
def _survey(folder: str, stamp: tuple[tuple[str, int], ...]) -> Catalogue:
    return survey(Path(folder), reference_geography())


def catalogue(folder: str) -> Catalogue:
    """Valid snapshots (newest first) and rejected ones with their problems, cached per folder state."""
    return _survey(folder, _folder_stamp(folder))


@st.cache_resource(show_spinner=False, max_entries=2)
def _load_raw(folder: str, snapshot_id: str) -> Snapshot:
    # One snapshot, read and validated once per process (about 1,5 s), then shared by sessions.
    return load_snapshot(Path(folder) / "snapshots" / snapshot_id, reference_geography())


@st.cache_resource(show_spinner=False, max_entries=4)
def _load_whole(folder: str, view_id: str) -> View:
    # The snapshot in the structure of ``view_id`` (converting one takes about a second), shared by sessions.
    snapshot_id, structure_id = parse_view_id(view_id)
    return load_view(_load_raw(folder, snapshot_id), structure_id, geography_of(view_id))


@shared(max_entries=16)
def _load_scoped(folder: str, view_id: str, scope: Access) -> View:
    return _load_whole(folder, view_id).restricted(scope)


def access() -> Access:
    """The signed-in user's role and units (the whole country when sign-in is off)."""
    return ui_auth.current(reference_geography())


def load(folder: str, view_id: str, scope: Access | None = None) -> View:
    """The view ``view_id`` as this user may see it: every read returns in-scope rows only, in its own units.

    A cached function that calls this must take the user's ``scope`` (``access()``) as an
    argument and pass it on, so that its cache is keyed by it (tests/unit/test_access.py checks).
    """
    return _load_scoped(folder, view_id, scope if scope is not None else access())


def whole_snapshot(folder: str, view_id: str, scope: Access) -> Snapshot:
    """The unrestricted snapshot, for an import's base only (the new snapshot is base + file).

    Data managers only; ``access.changes_outside`` then refuses a file that changes other units.
    """
    if not scope.can_import:
        raise PermissionError("Chỉ người quản lý dữ liệu được nhập báo cáo")
    return _load_raw(folder, parse_view_id(view_id)[0])


@shared(max_entries=4)
def default_structure(folder: str, snapshot_id: str) -> str:
    """The structure a snapshot opens in (``structure.default_structure``)."""
    return structure.default_structure(_load_raw(folder, snapshot_id))


def small_counts() -> SmallCounts:
    """The small-count suppression setting (threshold 5, on for downloads and exports by default)."""
    cfg = ui_auth.config(reference_geography())
    return cfg.small_counts if cfg is not None else SmallCounts()


@dataclass(frozen=True)
class SnapshotInfo:
    """What the sidebar and captions need to know about a snapshot, without its tables."""

    snapshot_id: str
    as_of: dt.date
    demo: bool
    source: str
    last_period: dt.date
    provinces: tuple[str, ...]
    years: tuple[int, ...]
    structure: str = structure.LEGACY  # the structure of the view
    versioned: bool = False  # contract version 2: the snapshot holds both structures
    unplaced: tuple[tuple[str, int], ...] = ()  # rows the view could not place at unit level, by reason
    flagged: tuple[tuple[str, str], ...] = ()  # (new commune, former district it is counted for)


# Frozen values, polars frames and dictionaries never changed by their callers are ``shared``: a
# read hands back the same object, where ``st.cache_data`` would unpickle a copy on every call,
# and a run calls these many times (docs/BENCHMARK.md, *Sức chứa*).
@shared(max_entries=8)
def snapshot_info(folder: str, view_id: str) -> SnapshotInfo:
    """Provinces and years that have data in the view, its snapshot's date, source and demo flag."""
    snap = _load_whole(folder, view_id)  # no counts: the sidebar narrows the provinces per user
    # From the roll-ups and the validation's statistics: the facts file is never read whole.
    provinces = snap.units_with_data("province")
    years = snap.years
    raw = _load_raw(folder, parse_view_id(view_id)[0])
    flagged = getattr(snap.snapshot, "flagged", None)
    return SnapshotInfo(
        snapshot_id=snap.snapshot_id,
        as_of=dt.date.fromisoformat(snap.as_of),
        demo=snap.demo,
        source=snap.source,
        last_period=snap.last_period,
        provinces=tuple(sorted(provinces)),
        years=tuple(int(y) for y in years),
        structure=snap.structure,
        versioned=raw.structure_from is not None,
        unplaced=tuple(structure.unplaced_summary(snap.snapshot).items()),
        flagged=tuple(flagged.select("unit_code", "old_district_code").iter_rows())
        if flagged is not None and "old_district_code" in flagged.columns
        else (),
    )


def coverage_notes(
    folder: str,
    view_id: str,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    first: dt.date,
    last: dt.date,
) -> dict[str, dict | None]:
    """The selection's coverage row (``coverage.combined``) per indicator over months first..last,
    counted on the rows this user may see (cached on the arguments and the scope)."""
    return _coverage_notes(folder, view_id, access(), codes, indicators, first, last)


@st.cache_resource(show_spinner=False, max_entries=16)
def _reporting_index(folder: str, view_id: str, scope: Access, counts: bool = False) -> pl.DataFrame:
    # One scan per snapshot view and scope (the scoped snapshot's own rows), then filters only.
    snap = load(folder, view_id, scope)
    rows = snap.scan()  # the view's rows: its structure, its scope
    return (
        coverage.reporting_index(rows, REPORTED_COUNTS.values()) if counts else coverage.reporting_index(rows)
    )


@shared(max_entries=256)
def _coverage_notes(
    folder: str,
    view_id: str,
    scope: Access,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    first: dt.date,
    last: dt.date,
) -> dict[str, dict | None]:
    snap = load(folder, view_id, scope)
    geo = snap.geography
    mine = [c for c in codes if snap.allows(c)]
    units = coverage.units_reporting(_reporting_index(folder, view_id, scope), None, first, last)
    row = coverage.combined(coverage.coverage(geo, mine, units))
    return {ind: row if query.needed_fact_indicators([ind]) else None for ind in indicators}


def coverage_table(
    folder: str,
    view_id: str,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    grain: str,
    years: tuple[int, int],
    combined: bool = False,
) -> pl.DataFrame:
    """``coverage.by_period`` on the rows this user may see (combined under ``page_figures.SELECTION``)."""
    return _coverage_table(folder, view_id, access(), codes, indicators, grain, years, combined)


# Known by its arguments: what is remembered from it needs no digest.
@shared(max_entries=64, known=True)
def _coverage_table(
    folder: str,
    view_id: str,
    scope: Access,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    grain: str,
    years: tuple[int, int],
    combined: bool,
) -> pl.DataFrame:
    snap = load(folder, view_id, scope)
    geo = snap.geography
    mine = [c for c in codes if snap.allows(c)]
    return coverage.by_period(
        _reporting_index(folder, view_id, scope),
        geo,
        mine,
        indicators,
        grain,
        years,
        combine_as=page_figures.SELECTION if combined else None,
    )


def status_source(
    folder: str, view_id: str, codes: tuple[str, ...], year: int
) -> tuple[str | None, dict | None]:
    """Where the selection's commune counts of ``year`` come from ("list", "report", "mixed" or
    None), and how many of its units gave them (a coverage row): for "list", the units whose
    communes the year's list classifies (a country of whose provinces three have lists is marked
    partial: its counts are theirs alone); otherwise the units that gave counts in their reports."""
    return _status_source(folder, view_id, access(), codes, year)


@shared(max_entries=256)
def _status_source(
    folder: str, view_id: str, scope: Access, codes: tuple[str, ...], year: int
) -> tuple[str | None, dict | None]:
    snap = load(folder, view_id, scope)
    geo = snap.geography
    mine = [c for c in codes if snap.allows(c)]
    reported = snap.monthly(mine, sorted(REPORTED_COUNTS.values()), (year, year))
    counts = query.status_counts(snap.status, geo, mine, (year, year), query.reported_by_year(reported))
    sources = set(counts["source"].to_list())
    if not sources:
        return None, None
    source = sources.pop() if len(sources) == 1 else "mixed"
    if source == "list":
        listed = set(snap.status.filter(pl.col("year") == year)["commune_code"].to_list())
        return source, coverage.combined(coverage.coverage(geo, mine, listed))
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 1)
    units = coverage.units_reporting(_reporting_index(folder, view_id, scope, counts=True), None, first, last)
    return source, coverage.combined(coverage.coverage(geo, mine, units))


def summary(
    folder: str,
    view_id: str,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    grain: str,
    years: tuple[int, int],
    combined: bool = False,
) -> pl.DataFrame:
    """``query.summarize`` + ``query.with_previous_year``, cached on the arguments and the user's scope.

    With ``combined`` the units are added up under ``page_figures.SELECTION``. Units outside the scope
    give no rows, and a notice says so.
    """
    scope = access()
    notice_denied(scope.denied(codes, geography_of(view_id)), geography_of(view_id))
    return _summary(folder, view_id, scope, codes, indicators, grain, years, combined)


# Known by its arguments: figures and cards drawn from it are remembered without a digest.
@shared(max_entries=256, known=True)
def _summary(
    folder: str,
    view_id: str,
    scope: Access,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    grain: str,
    years: tuple[int, int],
    combined: bool,
) -> pl.DataFrame:
    snap = load(folder, view_id, scope)
    frame = snap.summarize(
        list(codes),
        list(indicators),
        grain,
        years,
        combine_as=page_figures.SELECTION if combined else None,
    )
    return query.with_previous_year(frame)


def per_population(
    folder: str,
    view_id: str,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    grain: str,
    years: tuple[int, int],
) -> pl.DataFrame:
    """Like ``summary`` per unit, with ``population`` and ``per_population`` (per 10.000) added."""
    frame = summary(folder, view_id, codes, indicators, grain, years)
    pop = summary(folder, view_id, codes, ("population",), grain, years)
    out = query.per_population(frame, pop)
    return out.join(
        pop.select("unit_code", "period", pl.col("value").alias("population")),
        on=["unit_code", "period"],
        how="left",
    )


def quotas(
    folder: str, view_id: str, codes: tuple[str, ...], metrics: tuple[str, ...], year: int
) -> dict[str, page_figures.Quota | None]:
    """The summed yearly quota of the selected units for each metric (None: none assigned)."""
    return _quotas(folder, view_id, access(), codes, metrics, year)


@shared(max_entries=64)
def _quotas(
    folder: str, view_id: str, scope: Access, codes: tuple[str, ...], metrics: tuple[str, ...], year: int
) -> dict[str, page_figures.Quota | None]:
    snap = load(folder, view_id, scope)
    geo = snap.geography
    return {m: page_figures.selection_quota(snap.targets, geo, codes, m, year) for m in metrics}


@st.cache_resource(show_spinner=False)
def browser_probe() -> export.BrowserProbe:
    """Whether a Chrome/Chromium is there for server-side image export (checked once per process)."""
    return export.probe_browser()


@shared(max_entries=32, known=True)
def map_frame(
    folder: str,
    view_id: str,
    scope: Access,
    area: tuple[str, ...],
    year: int,
    indicator: str | None,
    per_1000: bool,
) -> pl.DataFrame:
    """The map's communes of ``area`` in ``year`` (``maps.map_frame``), on the rows this user may see;
    known by its arguments, so the drawing and deck remembered from it need no digest."""
    seen = load(folder, view_id, scope)
    return maps.map_frame(
        seen.monthly,
        seen.status,
        seen.geography,
        area,
        year,
        last_period=seen.last_period,
        indicator=indicator,
        per_1000=per_1000,
        spans=seen.spans,
    )


@shared(max_entries=32, known=True)
def map_districts(folder: str, view_id: str, scope: Access, area: tuple[str, ...], year: int) -> pl.DataFrame:
    """The map's list of districts (provinces in the 2025 units) with their communes' classes."""
    seen = load(folder, view_id, scope)
    return maps.district_summary(seen.status, seen.geography, area, year)


@shared(max_entries=16, known=True)
def status_frame(folder: str, view_id: str, scope: Access) -> pl.DataFrame:
    """The view's commune lists (``View.status``) as this user may see them, known to ``memo`` by
    these arguments: the map's change view is remembered from it with no digest of every row."""
    return load(folder, view_id, scope).status


@shared(max_entries=2)
def boundaries(path: str, stamp: int) -> dict[str, dict] | str:
    """The boundary file's shapes, read once per file version (``stamp``), or the error in words."""
    try:
        return maps.load_boundaries(path)
    except maps.BoundaryError as exc:
        return str(exc)
