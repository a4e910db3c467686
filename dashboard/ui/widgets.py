"""The one Streamlit module of dashboard/: cached loaders, shared sidebar filters, URL notices, page helpers.

Everything else in dashboard/ is plain Python. The loaders here are cached on plain arguments
(data folder, snapshot id, filter values), so a filter change reruns the cheap queries and never
reads the Parquet files again.

Filters live in widgets bound to the URL (``bind="query-params"``, the widget key is the
parameter name), so a copied link reopens the same view. Streamlit silently drops a URL value
that is not one of a widget's options; this module checks each value first and shows
``notice.bad_url_param`` for it, so the user knows the link was not followed exactly.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import (
    charts,
    coverage,
    export,
    maps,
    memo,
    query,
    reform,
    structure,
    tables,
    theme,
    views,
)
from dashboard.access import Access, SmallCounts, scope_geography, suppress_small_counts
from dashboard.catalog import CATALOG, REPORTED_COUNTS
from dashboard.formatting import fmt_change_pct, fmt_date, fmt_number, fmt_pct, md_text, period_label
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.i18n import LANGUAGES, t
from dashboard.snapshot import Catalogue, Snapshot, load_snapshot, snapshot_dirs, structure_rows, survey
from dashboard.ui import auth as ui_auth

DATA_DIR_ENV = "DASHBOARD_DATA_DIR"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"

# URL parameter names of the shared filters; each is also the widget's key in session state.
P_LANG, P_SNAPSHOT, P_STRUCTURE, P_PROVINCE, P_DISTRICT, P_COMMUNE, P_YEARS, P_GRAIN = (
    "lang",
    "snapshot",
    "structure",
    "province",
    "district",
    "communes_2025",
    "years",
    "grain",
)
SHARED_PARAMS: tuple[str, ...] = (
    P_LANG,
    P_SNAPSHOT,
    P_STRUCTURE,
    P_PROVINCE,
    P_DISTRICT,
    P_COMMUNE,
    P_YEARS,
    P_GRAIN,
)
# A view of a snapshot in the 2025 units is loaded under "<snapshot id>@2025"; the old units
# under the snapshot id itself. Every cached loader is keyed by it, so switching structure
# never serves the other structure's figures.
VIEW_SEPARATOR = "@"
LEGACY, NEW = structure.LEGACY, structure.NEW
FIRST_NEW_YEAR = reform.FIRST_NEW_YEAR
# Streamlit's own parameters, never ours to judge.
_STREAMLIT_PARAMS = frozenset({"embed", "embed_options"})

DEFAULT_PROVINCE = "01"  # Thành phố Hà Nội, when the snapshot has it
DEFAULT_GRAIN = "year"

_NOTICES = "_ui_notices"  # session state: notices shown until the user changes a filter
_NOTICE_BOX = "_ui_notice_box"
_FILTERS = "_ui_filters"
_ROUTED = "_ui_routed_page"
_SWITCHED = "_ui_structure_switched"  # the structure changed in this run's callback
# Page-level URL parameters seen in this process (names only): a link to another page's view
# carries them, and they should not be called unknown there.
_PAGE_PARAMS: set[str] = set()


# --------------------------------------------------------------------------- loaders


def data_dir() -> str:
    """The data folder: ``$DASHBOARD_DATA_DIR`` or ``data/`` at the repository root."""
    return os.environ.get(DATA_DIR_ENV) or str(DEFAULT_DATA_DIR)


@st.cache_resource(show_spinner=False)
def reference_geography() -> Geography:
    """The pre-2025 structure, read once per process: validation, sign-in scopes and imports use it."""
    return Geography.from_reference()


@st.cache_resource(show_spinner=False)
def geography_2025() -> Geography:
    """The structure in force from 1 July 2025 (province → commune), read once per process."""
    return reform.geography_2025()


def view_id(snapshot_id: str, structure_id: str) -> str:
    """The key a snapshot seen in a structure is loaded and cached under."""
    return snapshot_id if structure_id == structure.LEGACY else f"{snapshot_id}{VIEW_SEPARATOR}{structure_id}"


def parse_view(view: str) -> tuple[str, str]:
    """(snapshot id, structure) of a ``view_id``."""
    snapshot_id, _, structure_id = view.partition(VIEW_SEPARATOR)
    return snapshot_id, structure_id or structure.LEGACY


def geography_of(view: str) -> Geography:
    """The unit tree of the structure a view is in."""
    return geography_2025() if parse_view(view)[1] == structure.NEW else reference_geography()


def geography() -> Geography:
    """The unit tree of the structure the user is viewing (the old one before the sidebar is drawn)."""
    found = st.session_state.get(_FILTERS)
    if isinstance(found, Filters):
        return geography_of(found.snapshot_id)
    return reference_geography()


def _folder_stamp(folder: str) -> tuple[tuple[str, int], ...]:
    """Names and modification times of the snapshot folders: a new or changed one re-surveys."""
    return tuple((p.name, p.stat().st_mtime_ns) for p in snapshot_dirs(Path(folder)))


@st.cache_resource(show_spinner=False, max_entries=4)
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
def _load_whole(folder: str, view: str) -> Snapshot:
    # The snapshot in the structure of ``view`` (converting one takes about a second), shared by sessions.
    snapshot_id, structure_id = parse_view(view)
    return structure.view(_load_raw(folder, snapshot_id), structure_id)


@st.cache_resource(show_spinner=False, max_entries=16)
def _load_scoped(folder: str, snapshot_id: str, scope: Access):
    return _load_whole(folder, snapshot_id).restricted(scope, geography_of(snapshot_id))


def access() -> Access:
    """The signed-in user's role and units (the whole country when sign-in is off)."""
    return ui_auth.current(reference_geography())


def load(folder: str, snapshot_id: str, scope: Access | None = None):
    """A snapshot as this user may see it: every read returns in-scope rows only.

    A cached function that calls this must take the user's ``scope`` (``ui.access()``) as an
    argument and pass it on, so that its cache is keyed by it (tests/test_access.py checks).
    """
    return _load_scoped(folder, snapshot_id, scope if scope is not None else access())


def whole_snapshot(folder: str, snapshot_id: str, scope: Access) -> Snapshot:
    """The unrestricted snapshot, for an import's base only (the new snapshot is base + file).

    Data managers only; ``access.changes_outside`` then refuses a file that changes other units.
    """
    if not scope.can_import:
        raise PermissionError("Chỉ người quản lý dữ liệu được nhập báo cáo")
    return _load_raw(folder, parse_view(snapshot_id)[0])


def small_counts() -> SmallCounts:
    """The small-count suppression setting (threshold 5, on for downloads and exports by default)."""
    cfg = ui_auth.config(reference_geography())
    return cfg.small_counts if cfg is not None else SmallCounts()


def protect(
    frame: pl.DataFrame, indicator: str | None = None, columns: Sequence[str] = ("value", "previous")
) -> pl.DataFrame:
    """A table (or a chart's data) to show or download, small commune counts of people hidden.

    ``access.suppress_small_counts`` decides: "<5", and "×" where the district's total would
    otherwise give a small count away.
    """
    setting = small_counts()
    if not setting.exports:
        return frame
    # Remembered by content: the same view's table is suppressed once, not once per session and run.
    return memo.remembered(
        suppress_small_counts,
        frame,
        geography(),
        setting.threshold,
        columns=tuple(columns),
        indicator=indicator,
    )


def protect_chart(frame: pl.DataFrame) -> pl.DataFrame:
    """A chart's data with what ``protect`` hides taken out: a gap, so no axis, bar or hover reads it."""
    shown = protect(frame)
    companions = [c for c in shown.columns if c.endswith("_shown")]
    if not companions:
        return frame
    hidden = pl.any_horizontal(pl.col(c).is_not_null() for c in companions)
    blanked = [c for c in ("value", "previous", "change", "change_pct") if c in shown.columns]
    return shown.with_columns(pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in blanked).drop(
        companions
    )


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


@st.cache_data(show_spinner=False, max_entries=8)
def snapshot_info(folder: str, snapshot_id: str) -> SnapshotInfo:
    """Provinces and years that have data in the snapshot (view), its date, source and demo flag."""
    snap = _load_whole(folder, snapshot_id)  # no counts: the sidebar narrows the provinces per user
    # From the roll-ups and the validation's statistics: the facts file is never read whole.
    provinces = snap.units_with_data(geography_of(snapshot_id), "province")
    years = snap.years
    raw = _load_raw(folder, parse_view(snapshot_id)[0])
    flagged = getattr(snap, "flagged", None)
    return SnapshotInfo(
        snapshot_id=snap.snapshot_id,
        as_of=dt.date.fromisoformat(snap.as_of),
        demo=snap.demo,
        source=snap.source,
        last_period=snap.last_period,
        provinces=tuple(sorted(provinces)),
        years=tuple(int(y) for y in years),
        structure=structure.structure_of(snap),
        versioned=raw.structure_from is not None,
        unplaced=tuple(structure.unplaced_summary(snap).items()),
        flagged=tuple(flagged.select("unit_code", "old_district_code").iter_rows())
        if flagged is not None and "old_district_code" in flagged.columns
        else (),
    )


def coverage_notes(
    folder: str,
    snapshot_id: str,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    first: dt.date,
    last: dt.date,
) -> dict[str, dict | None]:
    """The selection's coverage row (``coverage.combined``) per indicator over months first..last,
    counted on the rows this user may see (cached on the arguments and the scope)."""
    return _coverage_notes(folder, snapshot_id, access(), codes, indicators, first, last)


@st.cache_resource(show_spinner=False, max_entries=16)
def _reporting_index(folder: str, snapshot_id: str, scope: Access, counts: bool = False) -> pl.DataFrame:
    # One scan per snapshot view and scope (the scoped snapshot's own rows), then filters only.
    snap = load(folder, snapshot_id, scope)
    rows = structure_rows(snap.scan(), snap.structure_from, geography_of(snapshot_id))
    return (
        coverage.reporting_index(rows, REPORTED_COUNTS.values()) if counts else coverage.reporting_index(rows)
    )


@st.cache_data(show_spinner=False, max_entries=256)
def _coverage_notes(
    folder: str,
    snapshot_id: str,
    scope: Access,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    first: dt.date,
    last: dt.date,
) -> dict[str, dict | None]:
    snap = load(folder, snapshot_id, scope)
    geo = geography_of(snapshot_id)
    mine = [c for c in codes if snap.allows(c)]
    units = coverage.units_reporting(_reporting_index(folder, snapshot_id, scope), None, first, last)
    row = coverage.combined(coverage.coverage(geo, mine, units))
    return {ind: row if query.needed_fact_indicators([ind]) else None for ind in indicators}


def coverage_table(
    folder: str,
    snapshot_id: str,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    grain: str,
    years: tuple[int, int],
    combined: bool = False,
) -> pl.DataFrame:
    """``coverage.by_period`` on the rows this user may see (combined under ``views.SELECTION``)."""
    return _coverage_table(folder, snapshot_id, access(), codes, indicators, grain, years, combined)


@st.cache_data(show_spinner=False, max_entries=64)
def _coverage_table(
    folder: str,
    snapshot_id: str,
    scope: Access,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    grain: str,
    years: tuple[int, int],
    combined: bool,
) -> pl.DataFrame:
    snap = load(folder, snapshot_id, scope)
    geo = geography_of(snapshot_id)
    mine = [c for c in codes if snap.allows(c)]
    return coverage.by_period(
        _reporting_index(folder, snapshot_id, scope),
        geo,
        mine,
        indicators,
        grain,
        years,
        combine_as=views.SELECTION if combined else None,
    )


def status_source(
    folder: str, snapshot_id: str, codes: tuple[str, ...], year: int
) -> tuple[str | None, dict | None]:
    """Where the selection's commune counts of ``year`` come from ("list", "report", "mixed" or
    None), and how many of its units gave counts in their reports (a coverage row)."""
    return _status_source(folder, snapshot_id, access(), codes, year)


@st.cache_data(show_spinner=False, max_entries=256)
def _status_source(
    folder: str, snapshot_id: str, scope: Access, codes: tuple[str, ...], year: int
) -> tuple[str | None, dict | None]:
    snap = load(folder, snapshot_id, scope)
    geo = geography_of(snapshot_id)
    mine = [c for c in codes if snap.allows(c)]
    reported = snap.monthly(geo, mine, sorted(REPORTED_COUNTS.values()), (year, year))
    counts = query.status_counts(snap.status, geo, mine, (year, year), query.reported_by_year(reported))
    sources = set(counts["source"].to_list())
    if not sources:
        return None, None
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 1)
    units = coverage.units_reporting(
        _reporting_index(folder, snapshot_id, scope, counts=True), None, first, last
    )
    cover = coverage.combined(coverage.coverage(geo, mine, units))
    return (sources.pop() if len(sources) == 1 else "mixed"), cover


def figure_note(
    card: views.Kpi, cover: dict | None, source: tuple[str | None, dict | None], lang: str
) -> str:
    """The line under a headline figure: units reporting (marked when partial), or the source of a
    commune count ("theo danh sách xã" / "theo số báo cáo", marked when the reported counts are
    summed from part of the units); nothing under a figure that is not there."""
    indicator = card.indicator
    if card.value is None:
        return ""
    if CATALOG[indicator].kind == "status":
        origin, counted = source
        if origin is None:
            return ""
        keys = ("list", "report") if origin == "mixed" else (origin,)
        words = ", ".join(t(f"status.source.{k}", lang) for k in keys)
        mark = coverage.partial_mark(counted, lang) if origin == "report" else ""
        return f"{words} · {mark}" if mark else words
    mark = coverage.partial_mark(cover, lang)
    return mark or coverage.coverage_text(cover, lang)


def summary(
    folder: str,
    snapshot_id: str,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    grain: str,
    years: tuple[int, int],
    combined: bool = False,
) -> pl.DataFrame:
    """``query.summarize`` + ``query.with_previous_year``, cached on the arguments and the user's scope.

    With ``combined`` the units are added up under ``views.SELECTION``. Units outside the scope
    give no rows, and a notice says so.
    """
    scope = access()
    _notice_denied(scope.denied(codes, geography_of(snapshot_id)), geography_of(snapshot_id))
    frame = _summary(folder, snapshot_id, scope, codes, indicators, grain, years, combined)
    # Known by its arguments: figures and cards drawn from it are remembered without a digest.
    return memo.know(
        frame, ("summary", folder, snapshot_id, scope, codes, indicators, grain, years, combined)
    )


def _notice_denied(codes: Sequence[str], geo: Geography) -> None:
    lang = st.session_state.get(P_LANG, "vi")
    for code in codes:
        name = t("scope.country", lang) if code == COUNTRY_CODE else geo.name(code)
        notice(t("notice.out_of_scope", lang if lang in LANGUAGES else "vi", name=name))


@st.cache_data(show_spinner=False, max_entries=256)
def _summary(
    folder: str,
    snapshot_id: str,
    scope: Access,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    grain: str,
    years: tuple[int, int],
    combined: bool,
) -> pl.DataFrame:
    snap = load(folder, snapshot_id, scope)
    frame = snap.summarize(
        geography_of(snapshot_id),
        list(codes),
        list(indicators),
        grain,
        years,
        combine_as=views.SELECTION if combined else None,
    )
    return query.with_previous_year(frame)


def per_population(
    folder: str,
    snapshot_id: str,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    grain: str,
    years: tuple[int, int],
) -> pl.DataFrame:
    """Like ``summary`` per unit, with ``population`` and ``per_population`` (per 10.000) added."""
    frame = summary(folder, snapshot_id, codes, indicators, grain, years)
    pop = summary(folder, snapshot_id, codes, ("population",), grain, years)
    out = query.per_population(frame, pop)
    return out.join(
        pop.select("unit_code", "period", pl.col("value").alias("population")),
        on=["unit_code", "period"],
        how="left",
    )


def quotas(
    folder: str, snapshot_id: str, codes: tuple[str, ...], metrics: tuple[str, ...], year: int
) -> dict[str, views.Quota | None]:
    """The summed yearly quota of the selected units for each metric (None: none assigned)."""
    return _quotas(folder, snapshot_id, access(), codes, metrics, year)


@st.cache_data(show_spinner=False, max_entries=64)
def _quotas(
    folder: str, snapshot_id: str, scope: Access, codes: tuple[str, ...], metrics: tuple[str, ...], year: int
) -> dict[str, views.Quota | None]:
    snap = load(folder, snapshot_id, scope)
    geo = geography_of(snapshot_id)
    return {m: views.selection_quota(snap.targets, geo, codes, m, year) for m in metrics}


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    """The shared filters of every page, as chosen in the sidebar (and mirrored in the URL).

    Attributes:
        data_dir: the data folder the snapshot comes from.
        snapshot_id: the snapshot shown (default: the newest valid one), in the chosen structure:
            the key every loader takes (``view_id``); ``snapshot`` is the snapshot's own id.
        province: a province code, or ``"VN"`` for the whole country.
        districts: selected units of ``province`` one level down — districts in the old
            structure, communes in the 2025 one; empty means all of them.
        years: first and last year (inclusive); pages that show one year use ``year``.
        grain: ``month``, ``quarter``, ``6m``, ``9m`` or ``year``.
        lang: ``vi`` or ``en``.
        units: the user's own units inside the selection, when they may not see all of it (a
            commune viewer who picked their district); empty otherwise.
        structure: ``legacy`` (the units before 1 July 2025) or ``2025``.
    """

    data_dir: str
    snapshot_id: str
    province: str
    districts: tuple[str, ...]
    years: tuple[int, int]
    grain: str
    lang: str
    units: tuple[str, ...] = ()
    structure: str = structure.LEGACY

    @property
    def snapshot(self) -> str:
        """The snapshot's own id (without the structure)."""
        return parse_view(self.snapshot_id)[0]

    @property
    def year(self) -> int:
        """The year a single-year view (overview, ranking) shows: the end of the range."""
        return self.years[1]

    @property
    def codes(self) -> tuple[str, ...]:
        """The units that make up the selected area: the districts, else the province (or VN)."""
        return self.units or self.districts or (self.province,)

    @property
    def unit(self) -> str:
        """The one unit single-unit pages (export, presentation) show: one district, else the province."""
        if len(self.units) == 1:
            return self.units[0]
        return self.districts[0] if len(self.districts) == 1 else self.province


def area_name(f: Filters) -> str:
    """The selected area in words: "Quận Nam Từ Liêm", "Thành phố Hà Nội", "3 quận, huyện đã chọn"."""
    geo = geography()
    if f.province == COUNTRY_CODE:
        return t("scope.country", f.lang)
    if f.units:
        return ", ".join(geo.name(u) for u in f.units)
    if len(f.districts) == 1:
        return geo.name(f.districts[0])
    if f.districts:
        return t("area.selection", f.lang, n=len(f.districts)) + f" ({geo.name(f.province)})"
    return geo.name(f.province)


def unit_names(codes: Sequence[str], lang: str) -> dict[str, str]:
    """Code → name for units (the country and the combined selection included)."""
    geo = geography()
    names = {c: (t("scope.country", lang) if c == COUNTRY_CODE else geo.name(c)) for c in codes}
    names[views.SELECTION] = t("area.selection", lang, n=len(codes))
    return names


def source_note(f: Filters) -> str:
    """ "Nguồn: … Số liệu tính đến ngày 31/12/2025." for captions and chart notes."""
    info = snapshot_info(f.data_dir, f.snapshot_id)
    note = t("caption.source", f.lang, source=info.source, date=fmt_date(info.as_of, f.lang))
    if info.demo:
        note = t("notice.demo_data", f.lang) + ". " + note
    return note


def notice(text: str) -> None:
    """Queue a warning shown above the page until the user next changes a filter."""
    queued = st.session_state.setdefault(_NOTICES, [])
    if text not in queued:
        queued.append(text)


def _clear_notices() -> None:
    st.session_state[_NOTICES] = []


def _check_url(
    key: str,
    labels: Sequence[str],
    lang: str,
    *,
    max_values: int | None = 1,
    out_of_scope: Collection[str] = (),
    options: Sequence[Any] = (),
) -> None:
    """Queue ``notice.bad_url_param`` when the URL holds a value for ``key`` that is not a label.

    A value in ``out_of_scope`` (a unit that exists but the user may not see) gets
    ``notice.out_of_scope`` instead. Runs before the widget: the widget then drops the value
    itself and uses its default.

    ``options`` are the widget's values, in the order of ``labels``. A link may name them by
    their code (``lang=en``, ``province=01``, ``district=019``, ``grain=9m``), as people type
    and share them, not only by the label the widget writes. Streamlit seeds a bound widget
    from labels only, so on a session's first sight of the key a typed code is put in session
    state, which the widget then takes.
    """
    values = st.query_params.get_all(key)
    if not values:
        return
    if options:
        by_text = {str(o): o for o in options} | dict(zip(labels, options, strict=True))
        typed = [v for v in values if v not in labels and v in by_text]
        if typed and key not in st.session_state and all(v in by_text for v in values):
            chosen = [by_text[v] for v in values]
            st.session_state[key] = chosen if max_values is None else chosen[0]
        labels = [*labels, *by_text]
    for value in values:
        if value not in labels and value in out_of_scope:
            notice(t("notice.out_of_scope", lang, name=md_text(value)))
    bad = [v for v in values if v not in labels and v not in out_of_scope]
    if max_values is not None and len(values) > max_values:
        bad = bad or values
    if bad:
        notice(t("notice.bad_url_param", lang, name=md_text(key), value=md_text(", ".join(bad))))


def _label_in(lang: str, key: str) -> Callable[[str], str]:
    return lambda option: t(f"{key}.{option}", lang)


def sidebar_filters(route: Callable[[str], Any] | None = None) -> Filters:
    """Draw the shared sidebar and return the chosen filters. Called once per run, by ``app.py``.

    Contract: call it before ``st.navigation`` (the page titles need the language) and before
    ``pg.run()``; pages then read the same object with ``ui.filters()``. It places the notice
    area at the top of the main column, shows the demo-data banner and any rejected-snapshot
    warnings, and stops the script with a message when there is no valid snapshot.
    Each widget is bound to the URL parameter of the same name (``lang``, ``snapshot``,
    ``province``, ``district``, ``years``, ``grain``) and persists across pages.

    ``route(lang)`` (the entry file's ``st.navigation``) is called right after the language is
    known and before sign-in, which may stop the run behind its form: a link to a page then
    survives signing in. Its result is ``routed_page()``.
    """
    st.session_state[_NOTICE_BOX] = st.container()
    folder = data_dir()
    side = st.sidebar
    filters_box = side.container()

    lang_labels = {code: t(f"language.{code}", code) for code in LANGUAGES}
    _check_url(P_LANG, list(lang_labels.values()), "vi", options=list(lang_labels))
    lang = side.radio(
        t("filter.language", "vi") + " / " + t("filter.language", "en"),
        list(LANGUAGES),
        format_func=lang_labels.__getitem__,
        key=P_LANG,
        horizontal=True,
        bind="query-params",
        persist_state="session",
        on_change=_clear_notices,
    )

    if route is not None:
        st.session_state[_ROUTED] = route(lang)
    scope = ui_auth.sign_in(reference_geography(), lang)
    cat = catalogue(folder)
    for snapshot_id, problems in cat.skipped:
        if not scope.whole_country:
            # The findings name units and figures anywhere in the country: for country-wide eyes only.
            notice(t("notice.rejected_snapshot_scoped", lang, snapshot=md_text(snapshot_id)))
            continue
        listed = "; ".join(str(p) for p in problems[:3]) + (" …" if len(problems) > 3 else "")
        notice(t("notice.rejected_snapshot", lang, snapshot=md_text(snapshot_id), problems=md_text(listed)))
    if not cat.valid:
        _render_notices()
        st.error(t("notice.no_snapshot", lang, folder=str(Path(folder) / "snapshots")))
        st.stop()

    with filters_box:
        _check_url(P_SNAPSHOT, list(cat.valid), lang, options=list(cat.valid))
        raw_id = st.selectbox(
            t("filter.snapshot", lang),
            list(cat.valid),
            key=P_SNAPSHOT,
            bind="query-params",
            persist_state="session",
            on_change=_clear_notices,
        )
        structure_id = _structure_choice(folder, raw_id, scope, lang)
        snapshot_id = view_id(raw_id, structure_id)
        info = snapshot_info(folder, snapshot_id)
        geo = geography_of(snapshot_id)
        switched = bool(st.session_state.pop(_SWITCHED, False))

        # Only provinces the user may see, or that hold one of their units.
        if scope.whole_country:
            provinces = [COUNTRY_CODE, *info.provinces]
        else:
            own = [u if geo.level(u) == "province" else geo.ancestors(u)[-2] for u in scope.units]
            provinces = sorted(set(own))

        def province_label(code: str) -> str:
            return t("scope.country", lang) if code == COUNTRY_CODE else geo.name(code)

        default_province = DEFAULT_PROVINCE if DEFAULT_PROVINCE in provinces else provinces[-1]
        if st.session_state.get(P_PROVINCE, default_province) not in provinces:
            # A province of the other structure (or one without data in this snapshot).
            st.session_state.pop(P_PROVINCE, None)
        hidden = () if scope.whole_country else _hidden_names(geo, "province", provinces, lang)
        if not switched:
            labels = [province_label(c) for c in provinces]
            _check_url(P_PROVINCE, labels, lang, out_of_scope=hidden, options=provinces)
        province = st.selectbox(
            t("filter.province", lang),
            provinces,
            # Given only when the session holds no choice yet (a switch of structure sets one).
            index=(provinces.index(default_province) if len(provinces) > 1 else 0)
            if P_PROVINCE not in st.session_state
            else None,
            format_func=province_label,
            key=P_PROVINCE,
            bind="query-params",
            persist_state="session",
            on_change=_province_changed,
        )

        districts: tuple[str, ...] = ()
        units: tuple[str, ...] = ()
        if province != COUNTRY_CODE:
            # One level below the province: districts in the old structure, communes in the new one.
            sub_level = geo.levels[1]
            sub_key = P_DISTRICT if sub_level == "district" else P_COMMUNE
            other_key = P_COMMUNE if sub_key == P_DISTRICT else P_DISTRICT
            if not switched and st.query_params.get_all(other_key):
                # A link naming units of the other structure (districts in the new one).
                values = ", ".join(st.query_params.get_all(other_key))
                notice(t("notice.bad_url_param", lang, name=other_key, value=md_text(values)))
            options = [d for d in geo.descendants(province, sub_level) if scope.touches(d, geo)]
            hidden = () if scope.whole_country else _hidden_names(geo, sub_level, options, lang)
            if not switched:
                _check_url(
                    sub_key,
                    [geo.name(c) for c in options],
                    lang,
                    max_values=None,
                    out_of_scope=hidden,
                    options=options,
                )
            districts = tuple(
                st.multiselect(
                    t(f"filter.{sub_level}", lang),
                    options,
                    format_func=geo.name,
                    # A user who may not see the whole province sees their own districts, not "all".
                    placeholder=t(f"scope.all_{sub_level}s", lang)
                    if scope.allows(province, geo)
                    else ", ".join(geo.name(d) for d in options),
                    key=sub_key,
                    bind="query-params",
                    persist_state="session",
                    on_change=_clear_notices,
                )
            )
            forced = [d for d in districts if d not in options]  # a widget state sent by hand
            if forced:
                districts = tuple(d for d in districts if d in options)
                for code in forced:
                    notice(
                        t(
                            "notice.out_of_scope",
                            lang,
                            name=geo.name(code) if geo.has(code) else md_text(code),
                        )
                    )
            if not scope.allows(province, geo):
                # The user may not see the whole province: their own districts stand for it, and
                # in a district they may not see whole, their own communes.
                districts = districts or tuple(options)
                if not all(scope.allows(d, geo) for d in districts):
                    units = tuple(u for d in districts for u in scope.units_within(d, geo) or [d])

        years = list(info.years)
        _check_url(P_YEARS, [str(y) for y in years], lang, max_values=2)
        chosen = st.select_slider(
            t("filter.year_range", lang),
            years,
            value=(years[0], years[-1]),
            key=P_YEARS,
            bind="query-params",
            persist_state="session",
            on_change=_clear_notices,
        )
        year_range = (int(chosen[0]), int(chosen[1])) if isinstance(chosen, tuple) else (chosen, chosen)

        grain_label = _label_in(lang, "grain")
        _check_url(P_GRAIN, [grain_label(g) for g in query.GRAINS], lang, options=query.GRAINS)
        grain = st.selectbox(
            t("filter.grain", lang),
            list(query.GRAINS),
            index=query.GRAINS.index(DEFAULT_GRAIN),
            format_func=grain_label,
            key=P_GRAIN,
            bind="query-params",
            persist_state="session",
            on_change=_clear_notices,
        )

    if info.demo:
        # Keyed (as the structure note is) so presentation mode can fold it into its footer line.
        st.container(key=f"{BANNER}_demo").info(t("notice.demo_data", lang), icon=":material/science:")
    filters = Filters(
        data_dir=folder,
        snapshot_id=snapshot_id,
        province=province,
        districts=districts,
        years=year_range,
        grain=grain,
        lang=lang,
        units=units,
        structure=structure_id,
    )
    st.session_state[_FILTERS] = filters
    if info.versioned or structure_id == structure.NEW:
        with st.container(key=f"{BANNER}_structure"):
            _structure_note(info, filters)
    return filters


def _structure_choice(folder: str, snapshot_id: str, scope: Access, lang: str) -> str:
    """The structure radio (bound to ``structure``): the 2025 units or the old ones.

    A user who may not see the whole country is served in the structure their scope is set in
    (``Access.structure``), with a caption saying why: a scope of old units has no equivalent
    in the new ones (a new commune can straddle districts), and a scope of new units none in
    the old ones. The switch is then shown fixed, and a link naming the other structure is
    not followed.
    """
    raw = _load_raw(folder, snapshot_id)
    default = structure.default_structure(raw)
    label = _label_in(lang, "structure")
    if not scope.whole_country:
        # A link naming the other structure is not followed (the switch is not drawn to bind it).
        asked = st.query_params.get(P_STRUCTURE)
        if asked is not None:
            if asked != label(scope.structure):
                notice(t("notice.structure_fixed", lang, name=asked, own=label(scope.structure)))
            del st.query_params[P_STRUCTURE]
        geo = scope_geography(scope, reference_geography(), geography_2025())
        units = ", ".join(geo.name(u) for u in scope.units)
        if scope.structure == structure.NEW:
            st.radio(t("filter.structure", lang), [structure.NEW], format_func=label, disabled=True)
            st.caption(t("structure.fixed_new", lang, units=units))
        else:
            st.caption(t("structure.restricted", lang, units=units))
        return scope.structure
    _check_url(P_STRUCTURE, [label(s) for s in structure.STRUCTURES], lang, options=structure.STRUCTURES)
    return st.radio(
        t("filter.structure", lang),
        list(structure.STRUCTURES),
        index=structure.STRUCTURES.index(default),
        format_func=label,
        key=P_STRUCTURE,
        help=t("structure.help", lang),
        horizontal=True,
        bind="query-params",
        persist_state="session",
        on_change=_structure_changed,
    )


def _structure_changed() -> None:
    # A province keeps its place where it can (Quảng Nam is part of Thành phố Đà Nẵng from
    # 1 July 2025; Hà Nội is Hà Nội in both); districts and communes belong to one structure only.
    chosen = st.session_state.get(P_STRUCTURE)
    province = st.session_state.get(P_PROVINCE)
    if isinstance(province, str) and province != COUNTRY_CODE:
        st.session_state[P_PROVINCE] = _province_in(province, chosen)
    st.session_state[P_DISTRICT] = []
    st.session_state[P_COMMUNE] = []
    # The address still names the other structure's units until the widgets write theirs: in
    # this run they are no bad link.
    st.session_state[_SWITCHED] = True
    _clear_notices()


def _province_in(province: str, structure_id: str | None) -> str:
    """The province of the other structure that holds (or held) ``province``; the country if none."""
    pairs = reform.province_map(reform.load_crosswalk())
    if structure_id == structure.NEW:
        found = pairs.filter(pl.col("old_province_code") == province)["new_province_code"]
    else:
        found = pairs.filter(pl.col("new_province_code") == province)["old_province_code"]
        found = found.filter(found == province) if province in found.to_list() else found
    return found[0] if len(found) else COUNTRY_CODE


def _structure_note(info: SnapshotInfo, f: Filters) -> None:
    """Under the banner: which units are shown, and the conversion rules behind the figures.

    In the old units, the straddling new communes counted for a district of the selected area.
    """
    lang = f.lang
    note = "structure.new_note" if info.structure == structure.NEW else "structure.legacy_note"
    with st.expander(t(note, lang) + " " + t("structure.rules", lang), icon=":material/swap_horiz:"):
        if info.structure == structure.NEW:
            st.markdown(reform.SPLIT_RULE[lang])
            st.markdown(reform.DISTRICT_RULE[lang])
            st.markdown(reform.STATUS_RULE[lang])
            unplaced = sum(n for _, n in info.unplaced)
            # A count over the whole snapshot: only for a user who may see all of it.
            if unplaced and access().whole_country:
                st.caption(t("structure.unplaced", lang, n=fmt_number(unplaced, lang)))
        else:
            st.markdown(reform.STRADDLE_RULE[lang])
            legacy = reference_geography()
            area = set(maps.area_districts(legacy, f.codes))
            flagged = [(c, d) for c, d in info.flagged if d in area]
            if flagged:
                st.caption(t("structure.flagged", lang, n=fmt_number(len(flagged), lang)))
                new = geography_2025()
                st.dataframe(
                    pl.DataFrame(
                        {
                            t("filter.commune", lang): [new.name(c) for c, _ in flagged],
                            t("filter.district", lang): [legacy.name(d) for _, d in flagged],
                        }
                    ),
                    hide_index=True,
                    height=200,
                )


def _hidden_names(geo: Geography, level: str, shown: Sequence[str], lang: str) -> frozenset[str]:
    """Names of the units of ``level`` that exist but are not offered (for the out-of-scope notice)."""
    names = geo.units.filter(pl.col("level") == level)["unit_name"].to_list()
    offered = {geo.name(c) for c in shown}
    return frozenset(n for n in names if n not in offered) | {t("scope.country", lang)}


def _province_changed() -> None:
    # The districts belong to the old province; keep none rather than a stale list.
    st.session_state[P_DISTRICT] = []
    st.session_state[P_COMMUNE] = []
    _clear_notices()


def routed_page():
    """The page ``st.navigation`` chose in this run (see ``sidebar_filters``'s ``route``)."""
    return st.session_state.pop(_ROUTED)


def filters() -> Filters:
    """The filters the entry file drew in this run; draws the sidebar itself when run alone."""
    found = st.session_state.get(_FILTERS)
    return found if isinstance(found, Filters) else sidebar_filters()


def finish_run() -> None:
    """Flag URL parameters nobody uses, then show the queued notices. Called by ``app.py`` last."""
    known = set(SHARED_PARAMS) | _PAGE_PARAMS | _STREAMLIT_PARAMS
    lang = st.session_state.get(P_LANG, "vi")
    lang = lang if lang in LANGUAGES else "vi"
    for name in list(st.query_params.keys()):
        if name not in known:
            notice(t("notice.unknown_url_param", lang, name=md_text(name)))
            del st.query_params[name]
    _render_notices()


def _render_notices() -> None:
    box = st.session_state.get(_NOTICE_BOX)
    target = box if box is not None else st
    for text in st.session_state.get(_NOTICES, []):
        target.warning(text, icon=":material/warning:")


# --------------------------------------------------------------------------- page helpers


def page_select(
    label: str,
    options: Sequence[Any],
    *,
    key: str,
    lang: str,
    format_func: Callable[[Any], str] = str,
    index: int = 0,
    multi: bool = False,
    default: Sequence[Any] | None = None,
    horizontal: bool = False,
) -> Any:
    """A page-level choice bound to the URL parameter ``key``, with the bad-value notice.

    ``multi`` gives a multiselect (returns a list; ``default`` preselects), ``horizontal`` a
    horizontal radio, otherwise a selectbox. The value persists when the user leaves the page
    and comes back.
    """
    _PAGE_PARAMS.add(key)
    options = list(options)
    labels = [format_func(o) for o in options]
    _check_url(key, labels, lang, max_values=None if multi else 1)
    common = dict(key=key, bind="query-params", persist_state="session", on_change=_clear_notices)
    if multi:
        return st.multiselect(label, options, default=list(default or []), format_func=format_func, **common)
    if horizontal:
        return st.radio(label, options, index=index, format_func=format_func, horizontal=True, **common)
    return st.selectbox(label, options, index=index, format_func=format_func, **common)


def period_picker(f: Filters, key: str = "period") -> dt.date | None:
    """The period of ``f.grain`` within ``f.year`` to show (default: the newest complete one)."""
    info = snapshot_info(f.data_dir, f.snapshot_id)
    starts = views.periods_in_year(f.grain, f.year, info.last_period)
    if not starts:
        return None
    chosen_default = views.default_period(f.grain, f.year, info.last_period)
    if len(starts) == 1:
        return starts[0]
    return page_select(
        t("filter.period", f.lang),
        starts,
        key=key,
        lang=f.lang,
        index=starts.index(chosen_default),
        format_func=lambda s: period_label_for(s, f),
    )


def period_label_for(start: dt.date, f: Filters) -> str:
    """The period's name at the filters' grain and language: "Quý 3/2021"."""
    return period_label(start, f.grain, f.lang)


def caption(f: Filters) -> None:
    """The source and date line under a chart."""
    st.caption(md_text(source_note(f)))  # the source may be an uploaded file's name


@st.cache_resource(show_spinner=False)
def browser_probe() -> export.BrowserProbe:
    """Whether a Chrome/Chromium is there for server-side image export (checked once per process)."""
    return export.probe_browser()


class Drawn(NamedTuple):
    """A figure as built (for the image downloads) and its screen copy (``charts.for_screen``)."""

    figure: go.Figure
    screen: go.Figure


def _drawn(builder: Callable[..., go.Figure], scope: Access, *args: Any, **kwargs: Any) -> Drawn:
    figure = builder(*args, **kwargs)
    return Drawn(figure, charts.for_screen(figure))


def chart(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> Drawn:
    """``builder(*args, **kwargs)`` and its screen copy, built once per distinct data and arguments.

    Remembered process-wide (``memo.remembered``): everyone opening the same view shares the
    figure. The key is the content of the frames and arguments, and the user's scope as well,
    so a figure drawn from one user's scoped data is never handed to another scope. The figures
    are shared: show them with ``plot``, never change them.
    """
    return memo.remembered(_drawn, builder, access(), *args, **kwargs)


def plot(fig: go.Figure | Drawn, key: str | None = None, period: str | None = None) -> None:
    """Show a figure with our template, and PNG/SVG download buttons rendered on the server.

    ``fig`` is a figure, or a ``Drawn`` pair from ``chart`` (its screen copy is then reused).
    The exported image carries the chart's title, the area and period (``period``, default the
    year range), the snapshot date and the source. The camera button of the chart itself saves
    a slide-ready PNG in the browser, also without a browser on the server.
    """
    fig, screen = fig if isinstance(fig, Drawn) else (fig, charts.for_screen(fig))
    f = filters()
    info = snapshot_info(f.data_dir, f.snapshot_id)
    area, when = area_name(f), period or years_label(f)
    title = (fig.layout.title.text or key or "bieu-do").split("<")[0]
    name = export.file_name(title, area, when, ext="png")[:-4][:120]
    st.plotly_chart(screen, theme=None, key=key, config=export.plotly_config(name))
    ctx = export.CaptionContext(area, when, info.as_of, info.source, info.demo, f.lang)
    probe = browser_probe()
    columns = st.columns([1, 1, 4])
    for column, fmt in zip(columns, ("png", "svg"), strict=False):
        column.download_button(
            t(f"export.{fmt}", f.lang),
            lambda fmt=fmt: export.export_image(fig, ctx, fmt),
            file_name=f"{name}.{fmt}",
            mime=export.FORMATS[fmt],
            key=f"{key or name}_{fmt}",
            disabled=not probe.ok,
            help=None if probe.ok else probe.message,
            on_click="ignore",
            icon=":material/image:",
        )


def downloads(frame: pl.DataFrame, name: str, lang: str, key: str) -> None:
    """CSV and Excel download buttons for a localized table; text cells escaped against formulas.

    The files are built only when a button is clicked: a large table (a comparison of two
    snapshots can have hundreds of thousands of rows) must not slow every run of the page.
    """
    left, right = st.columns(2)
    left.download_button(
        t("download.csv", lang),
        lambda: tables.to_csv_bytes(frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        t("download.excel", lang),
        lambda: tables.to_excel_bytes(frame),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
        on_click="ignore",
    )


def indicator_label(indicator: str, lang: str) -> str:
    """The indicator's label with its unit: "Người nghiện có hồ sơ quản lý (người)"."""
    entry = CATALOG[indicator]
    return f"{entry.label(lang)} ({entry.unit(lang)})"


_TONE_COLOR = theme.STREAMLIT_TONE_COLORS


def kpi_texts(card: views.Kpi, lang: str) -> dict[str, str | None]:
    """The strings of a card: value, delta ("+12 (+3,50%)"), quota line; None where there is none."""
    percent = views.is_percent(card.indicator)
    decimals = 2 if percent else 0
    if card.value is not None:
        value = (fmt_pct if percent else fmt_number)(card.value, lang, decimals)
    else:
        # An unknown commune count (no list, no report, or a list silent on it) is not 0.
        value = t("status.unknown", lang) if CATALOG[card.indicator].kind == "status" else "–"
    delta = None
    if card.change is not None:
        sign = "+" if card.change > 0 else ""
        if percent:
            delta = t("kpi.points", lang, value=sign + fmt_number(card.change, lang, 2))
        else:
            delta = sign + fmt_number(card.change, lang)
            if card.change_pct is not None:
                delta += f" ({fmt_change_pct(card.change_pct, lang)})"
    quota = None
    if card.indicator in views.QUOTA_METRICS:
        if card.quota is None:
            quota = t("kpi.no_quota", lang)
        else:
            quota = t(
                "kpi.quota",
                lang,
                quota=fmt_number(card.quota.value, lang),
                pct=fmt_pct(card.achievement, lang),
            )
            if card.quota.covered < card.quota.total:
                quota += " " + t("kpi.quota_partial", lang, n=card.quota.covered, total=card.quota.total)
    return {"value": value, "delta": delta, "quota": quota}


# On a phone (≤ 480 px) Streamlit stacks columns into one long column, a card and its sparkline
# per screen. The headline cards instead stay three to a row, in small type, without sparklines:
# a unit's figures fit on one screen.
KPI_GRID = "kpi_grid"
# The key prefix of the banners above every page (demo data, which units are shown).
BANNER = "banner"
# Presentation mode: the slide alone. The sidebar starts collapsed (the page says so), the
# banners are hidden (their words ride in the footer line), the page's top padding goes.
PRESENTATION_CSS = (
    "<style>"
    f"[class*=st-key-{BANNER}_] {{ display: none !important; }}"
    "[data-testid=stMainBlockContainer] { padding-top: 2.5rem !important; padding-bottom: 0 !important; }"
    ".st-key-slide h1 { font-size: 2.4rem !important; white-space: normal !important;"
    " overflow-wrap: anywhere; padding-top: 0 !important; }"
    ".st-key-slide_footer { border-top: 1px solid #DDDDDD; padding-top: .3rem; }"
    ".st-key-slide_footer [data-testid=stCaptionContainer] { font-size: .8rem; }"
    # Type sized by the screen's height: the same slide fits 1366×768 and fills 1920×1080.
    "[data-testid=stMetricValue] { font-size: clamp(2rem, 5.5vh, 3.4rem); }"
    "[data-testid=stMetricLabel] p { font-size: clamp(1rem, 2.3vh, 1.4rem); }"
    "[data-testid=stMetricLabel] *, [data-testid=stMetricDelta] * {"
    " white-space: normal !important; text-overflow: clip !important; }"
    "[data-testid=stMetricDelta] { font-size: clamp(.9rem, 2vh, 1.25rem); height: auto; }"
    ".slide-sub { font-size: 1.6rem; color: #444444; }"
    "</style>"
)
_PHONE_RULES = {
    "[data-testid=stHorizontalBlock]": "flex-wrap: nowrap; gap: .3rem",
    "[data-testid=stColumn]": "min-width: 0; width: auto; flex: 1 1 0",
    "[data-testid=stMetricChart]": "display: none",
    "[data-testid=stMetricValue]": "font-size: 1.4rem",
    "[data-testid=stMetricLabel] p": "font-size: .7rem; line-height: 1.15; white-space: normal",
    "[data-testid=stMetricLabel] *": "white-space: normal; text-overflow: clip; overflow: visible",
    "[data-testid=stMetricLabel]": "height: auto; min-height: 0",
    "[data-testid=stMetricDelta]": "font-size: .68rem",
    "[data-testid=stMetricDelta] svg": "width: .8rem; height: .8rem",
    "[data-testid=stVerticalBlock]": "gap: .2rem",
    "[data-testid=stMarkdownContainer] p": "font-size: .68rem",
    "[data-testid=stCaptionContainer]": "font-size: .68rem",
    ".stVerticalBlock[class*=st-key-card]": "padding: .35rem",
}
_PHONE_KPI_CSS = (
    "<style>@media (max-width: 480px) {"
    + "".join(
        f".st-key-{KPI_GRID} {selector} {{"
        + "".join(f"{rule.strip()} !important;" for rule in rules.split(";"))
        + "}"
        for selector, rules in _PHONE_RULES.items()
    )
    # The page heading too, so the heading and the first row of figures share the first screen.
    + "[data-testid=stMain] h1 { font-size: 1.6rem !important; }"
    + "}</style>"
)


def kpi_grid() -> Any:
    """The container of the headline cards: a grid of three even on a phone (see ``_PHONE_KPI_CSS``)."""
    st.html(_PHONE_KPI_CSS)
    return st.container(key=KPI_GRID)


def tone_color(tone: str) -> str:
    """Streamlit's named colour for the tone of a change (``theme.STREAMLIT_TONE_COLORS``)."""
    return _TONE_COLOR[tone]


def presentation_footer(f: Filters, source_line: str) -> str:
    """The one footer line of presentation mode: which units are shown and the source (with demo)."""
    info = snapshot_info(f.data_dir, f.snapshot_id)
    parts = []
    if info.versioned or f.structure == structure.NEW:
        note = "structure.new_note" if info.structure == structure.NEW else "structure.legacy_note"
        parts.append(t(note, f.lang))
    parts.append(source_line)
    return " ".join(parts)


def kpi_card(card: views.Kpi, lang: str, note: str = "") -> None:
    """One bordered card: label, value, change against a year earlier coloured by whether it is
    good for this indicator, a sparkline of the complete periods, the quota line if any, and
    ``note`` (``figure_note``: how many units reported, or where a commune count comes from)."""
    texts = kpi_texts(card, lang)
    with st.container(border=True, key=f"card_{card.indicator}"):
        st.metric(
            CATALOG[card.indicator].label(lang),
            texts["value"],
            delta=texts["delta"],
            delta_color=_TONE_COLOR[card.tone],
            delta_arrow="off" if card.change is None or views.is_negligible(card.change) else "auto",
            help=indicator_label(card.indicator, lang) + ", " + t("change.vs_same_period_last_year", lang),
            chart_data=list(card.history) if len(card.history) > 1 else None,
            chart_type="bar" if CATALOG[card.indicator].kind == "flow" else "line",
        )
        if texts["delta"] is None:
            st.caption(t("kpi.no_previous", lang))
        if texts["quota"] is not None:
            st.markdown(f"**{texts['quota']}**")
        if note:
            st.caption(note)


def years_label(f: Filters) -> str:
    """ "2015–2025", or "2021" for a single year."""
    first, last = f.years
    return str(first) if first == last else f"{first}–{last}"
