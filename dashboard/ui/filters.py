"""The shared sidebar filters of every page, drawn in parts, and what pages read of them.

``sidebar_filters`` draws the sidebar once per run (called by the entry script, dashboard/ui/app.py);
pages read the chosen ``Filters`` with ``current()`` and name the selected area with ``area_name``,
``years_label`` and ``source_note``. Each filter is a widget bound to the URL parameter of its
key, checked first by ``notices.check_url``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from dashboard import maps, page_figures, query, reform, structure
from dashboard.access import Access, scope_geography
from dashboard.formatting import fmt_date, fmt_number, md_text, period_label
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.i18n import LANGUAGES, t
from dashboard.snapshot import Catalogue
from dashboard.ui import auth as ui_auth
from dashboard.ui.loaders import (
    SnapshotInfo,
    access,
    catalogue,
    data_dir,
    default_structure,
    geography_2025,
    geography_of,
    reference_geography,
    snapshot_info,
)
from dashboard.ui.notices import (
    NOTICE_BOX,
    P_LANG,
    PAGE_PARAMS,
    STREAMLIT_PARAMS,
    check_url,
    clear_notices,
    label_in,
    notice,
    render_notices,
    session_lang,
)
from dashboard.view import parse_view_id, view_id

# URL parameter names of the shared filters; each is also the widget's key in session state (``P_LANG``
# is in notices.py: notices are worded in the language).
P_SNAPSHOT, P_STRUCTURE, P_PROVINCE, P_DISTRICT, P_COMMUNE, P_YEARS, P_GRAIN = (
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
LEGACY, NEW = structure.LEGACY, structure.NEW
FIRST_NEW_YEAR = reform.FIRST_NEW_YEAR

DEFAULT_PROVINCE = "01"  # Thành phố Hà Nội, when the snapshot has it
DEFAULT_GRAIN = "year"

_FILTERS = "_ui_filters"
_ROUTED = "_ui_routed_page"
_SWITCHED = "_ui_structure_switched"  # the structure changed in this run's callback
# The key prefix of the banners above every page (demo data, which units are shown).
BANNER = "banner"


@dataclass(frozen=True)
class Filters:
    """The shared filters of every page, as chosen in the sidebar (and mirrored in the URL).

    Attributes:
        data_dir: the data folder the snapshot comes from.
        view_id: the view shown: the snapshot (default: the newest valid one) in the chosen
            structure, the key every loader takes (``view.view_id``; the URL keeps the snapshot
            and the structure as two parameters); ``snapshot`` is the snapshot's own id.
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
    view_id: str
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
        return parse_view_id(self.view_id)[0]

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


def current() -> Filters:
    """The filters the entry file drew in this run; draws the sidebar itself when run alone."""
    found = st.session_state.get(_FILTERS)
    return found if isinstance(found, Filters) else sidebar_filters()


def geography() -> Geography:
    """The unit tree of the structure the user is viewing (the old one before the sidebar is drawn)."""
    found = st.session_state.get(_FILTERS)
    if isinstance(found, Filters):
        return geography_of(found.view_id)
    return reference_geography()


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
    names[page_figures.SELECTION] = t("area.selection", lang, n=len(codes))
    return names


def source_note(f: Filters) -> str:
    """ "Nguồn: … Số liệu tính đến ngày 31/12/2025." for captions and chart notes."""
    info = snapshot_info(f.data_dir, f.view_id)
    note = t("caption.source", f.lang, source=info.source, date=fmt_date(info.as_of, f.lang))
    if info.demo:
        note = t("notice.demo_data", f.lang) + ". " + note
    return note


def years_label(f: Filters) -> str:
    """ "2015–2025", or "2021" for a single year."""
    first, last = f.years
    return str(first) if first == last else f"{first}–{last}"


def period_label_for(start: dt.date, f: Filters) -> str:
    """The period's name at the filters' grain and language: "Quý 3/2021"."""
    return period_label(start, f.grain, f.lang)


def sidebar_filters(route: Callable[[str], Any] | None = None) -> Filters:
    """Draw the shared sidebar and return the chosen filters. Called once per run, by the entry script.

    Contract: call it before ``st.navigation`` (the page titles need the language) and before
    ``pg.run()``; pages then read the same object with ``filters.current()``. It places the notice
    area at the top of the main column, shows the demo-data banner and any rejected-snapshot
    warnings, and stops the script with a message when there is no valid snapshot.
    Each widget is bound to the URL parameter of the same name (``lang``, ``snapshot``,
    ``province``, ``district``, ``years``, ``grain``) and persists across pages.

    ``route(lang)`` (the entry file's ``st.navigation``) is called right after the language is
    known and before sign-in, which may stop the run behind its form: a link to a page then
    survives signing in. Its result is ``routed_page()``.
    """
    st.session_state[NOTICE_BOX] = st.container()
    folder = data_dir()
    side = st.sidebar
    filters_box = side.container()

    lang = _language_choice(side)
    if route is not None:
        st.session_state[_ROUTED] = route(lang)
    scope = ui_auth.sign_in(reference_geography(), lang)
    cat = _valid_snapshots(folder, scope, lang)

    with filters_box:
        check_url(P_SNAPSHOT, list(cat.valid), lang, options=list(cat.valid))
        raw_id = st.selectbox(
            t("filter.snapshot", lang),
            list(cat.valid),
            key=P_SNAPSHOT,
            bind="query-params",
            persist_state="session",
            on_change=clear_notices,
        )
        structure_id = _structure_choice(folder, raw_id, scope, lang)
        shown = view_id(raw_id, structure_id)
        info = snapshot_info(folder, shown)
        geo = geography_of(shown)
        switched = bool(st.session_state.pop(_SWITCHED, False))
        province = _province_choice(info, geo, scope, lang, switched)
        districts, units = _unit_choice(province, geo, scope, lang, switched)
        year_range = _year_range(info, lang)
        grain = _grain_choice(lang)

    if info.demo:
        # Keyed (as the structure note is) so presentation mode can fold it into its footer line.
        st.container(key=f"{BANNER}_demo").info(t("notice.demo_data", lang), icon=":material/science:")
    filters = Filters(
        data_dir=folder,
        view_id=shown,
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


def _language_choice(side: Any) -> str:
    """The language radio, at the top of the sidebar (its label in both languages)."""
    lang_labels = {code: t(f"language.{code}", code) for code in LANGUAGES}
    check_url(P_LANG, list(lang_labels.values()), "vi", options=list(lang_labels))
    return side.radio(
        t("filter.language", "vi") + " / " + t("filter.language", "en"),
        list(LANGUAGES),
        format_func=lang_labels.__getitem__,
        key=P_LANG,
        horizontal=True,
        bind="query-params",
        persist_state="session",
        on_change=clear_notices,
    )


def _valid_snapshots(folder: str, scope: Access, lang: str) -> Catalogue:
    """The snapshots of the data folder; a notice per rejected one, and a stop when none is valid."""
    cat = catalogue(folder)
    for snapshot_id, problems in cat.skipped:
        if not scope.whole_country:
            # The findings name units and figures anywhere in the country: for country-wide eyes only.
            notice(t("notice.rejected_snapshot_scoped", lang, snapshot=md_text(snapshot_id)))
            continue
        listed = "; ".join(str(p) for p in problems[:3]) + (" …" if len(problems) > 3 else "")
        notice(t("notice.rejected_snapshot", lang, snapshot=md_text(snapshot_id), problems=md_text(listed)))
    if not cat.valid:
        render_notices()
        st.error(t("notice.no_snapshot", lang, folder=str(Path(folder) / "snapshots")))
        st.stop()
    return cat


def _province_choice(info: SnapshotInfo, geo: Geography, scope: Access, lang: str, switched: bool) -> str:
    """The province select: only provinces the user may see, or that hold one of their units."""
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
        check_url(P_PROVINCE, labels, lang, out_of_scope=hidden, options=provinces)
    return st.selectbox(
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


def _unit_choice(
    province: str, geo: Geography, scope: Access, lang: str, switched: bool
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(districts, units): the units chosen one level below the province — districts in the old
    structure, communes in the new one — and the user's own units inside them when they may not
    see them whole (``Filters.units``)."""
    districts: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    if province == COUNTRY_CODE:
        return districts, units
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
        check_url(
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
            on_change=clear_notices,
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
    return districts, units


def _year_range(info: SnapshotInfo, lang: str) -> tuple[int, int]:
    """The year-range slider over the snapshot's years (first and last, inclusive)."""
    years = list(info.years)
    check_url(P_YEARS, [str(y) for y in years], lang, max_values=2)
    chosen = st.select_slider(
        t("filter.year_range", lang),
        years,
        value=(years[0], years[-1]),
        key=P_YEARS,
        bind="query-params",
        persist_state="session",
        on_change=clear_notices,
    )
    return (int(chosen[0]), int(chosen[1])) if isinstance(chosen, tuple) else (chosen, chosen)


def _grain_choice(lang: str) -> str:
    """The period grain: month, quarter, 6 or 9 months, year."""
    grain_label = label_in(lang, "grain")
    check_url(P_GRAIN, [grain_label(g) for g in query.GRAINS], lang, options=query.GRAINS)
    return st.selectbox(
        t("filter.grain", lang),
        list(query.GRAINS),
        index=query.GRAINS.index(DEFAULT_GRAIN),
        format_func=grain_label,
        key=P_GRAIN,
        bind="query-params",
        persist_state="session",
        on_change=clear_notices,
    )


def _structure_choice(folder: str, snapshot_id: str, scope: Access, lang: str) -> str:
    """The structure radio (bound to ``structure``): the 2025 units or the old ones.

    A user who may not see the whole country is served in the structure their scope is set in
    (``Access.structure``), with a caption saying why: a scope of old units has no equivalent
    in the new ones (a new commune can straddle districts), and a scope of new units none in
    the old ones. The switch is then shown fixed, and a link naming the other structure is
    not followed.
    """
    default = default_structure(folder, snapshot_id)
    label = label_in(lang, "structure")
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
    check_url(P_STRUCTURE, [label(s) for s in structure.STRUCTURES], lang, options=structure.STRUCTURES)
    if P_STRUCTURE not in st.query_params and st.query_params.get_all(P_DISTRICT):
        # A link naming districts without a structure (typed, or copied before the reform)
        # means the old units: districts exist only there.
        default = structure.LEGACY
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
    clear_notices()


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
    clear_notices()


def routed_page():
    """The page ``st.navigation`` chose in this run (see ``sidebar_filters``'s ``route``)."""
    return st.session_state.pop(_ROUTED)


def finish_run() -> None:
    """Flag URL parameters nobody uses, then show the queued notices. Called by the entry script last."""
    known = set(SHARED_PARAMS) | PAGE_PARAMS | STREAMLIT_PARAMS
    lang = session_lang()
    for name in list(st.query_params.keys()):
        if name not in known:
            notice(t("notice.unknown_url_param", lang, name=md_text(name)))
            del st.query_params[name]
    render_notices()
