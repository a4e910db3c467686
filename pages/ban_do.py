"""Bản đồ: key, complex and healthy communes of the area in a year, changes, indicators, districts."""

import functools
import time
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import coverage, maps, memo
from dashboard.catalog import CATALOG
from dashboard.formatting import fmt_number, md_text
from dashboard.i18n import t
from dashboard.ui import filters, loaders, widgets

started = time.perf_counter()
f = filters.current()
lang = f.lang
geo = filters.geography()
info = loaders.snapshot_info(f.data_dir, f.view_id)
area = f.codes


def pick_district(district: str | None) -> None:
    # Runs as a widget callback, before the sidebar's district filter is drawn again.
    if district is not None:
        st.session_state[filters.P_DISTRICT] = [district]


def on_map_select(ids: dict[str, list[str]]) -> None:
    pick_district(maps.selected_district(st.session_state.get("map_deck"), ids, filters.geography()))


def on_list_select(codes: list[str]) -> None:
    rows = st.session_state["map_districts"].selection.rows
    pick_district(codes[rows[0]] if rows else None)


group = maps.group_level(geo)  # districts; provinces in the 2025 structure
years = list(info.years)
if info.versioned and f.structure == filters.LEGACY:
    # Lists from 2025 are kept for the 2025 communes only.
    years = [y for y in years if y < filters.FIRST_NEW_YEAR] or years
    st.caption(t("structure.no_lists", lang, year=filters.FIRST_NEW_YEAR))
controls = st.columns([3, 2, 3])
# Keyed by the sidebar's end year: moving the shared year range moves the map's year too.
year = controls[0].select_slider(
    t("filter.year", lang), years, value=f.year if f.year in years else years[-1], key=f"map_year_{f.year}"
)
view_kind = controls[1].radio(
    t("map.view", lang), maps.VIEWS, format_func=lambda v: t(f"map.view.{v}", lang), key="map_view"
)
indicator, per_1000, encoding, base_year = None, False, "color", None
with controls[2]:
    if view_kind == "change":
        earlier = [y for y in years if y < year] or [year]
        base_year = st.selectbox(t("map.base_year", lang), earlier, index=len(earlier) - 1, key="map_base")
    elif view_kind == "indicator":
        indicator = st.selectbox(
            t("filter.indicator", lang),
            maps.MAP_INDICATORS,
            format_func=lambda i: CATALOG[i].label(lang),
            key="map_indicator",
        )
        per_1000 = st.toggle(t("map.per_1000", lang), value=True, key="map_per_1000")
        encoding = st.radio(
            t("map.encoding", lang),
            maps.ENCODINGS,
            format_func=lambda e: t(f"map.encoding.{e}", lang),
            horizontal=True,
            key="map_encoding",
        )

st.title(t("map.heading", lang, area=filters.area_name(f), year=year))

frame = loaders.map_frame(f.data_dir, f.view_id, loaders.access(), area, year, indicator, per_1000)
if view_kind == "change":
    status = loaders.status_frame(f.data_dir, f.view_id, loaders.access())
    drawing = memo.remembered(maps.change_drawing, frame, status, year, base_year, lang)
elif view_kind == "indicator":
    label = maps.indicator_label(indicator, per_1000, lang)
    drawing = memo.remembered(maps.indicator_drawing, frame, label, lang, encoding)
else:
    drawing = memo.remembered(maps.category_drawing, frame, lang)

shapes = None
found = maps.find_boundaries(Path(f.data_dir) / "reference")
if found is not None:
    loaded = loaders.boundaries(str(found), found.stat().st_mtime_ns)
    if isinstance(loaded, str):
        st.warning(t("map.boundaries_error", lang, file=md_text(found.name), error=md_text(loaded)))
    else:
        shapes = loaded

deck, ids, payload = widgets.map_shown(
    drawing,
    shapes,
    lang=lang,
    labels=memo.remembered(maps.label_units, geo, area),
    basemap=maps.basemap_from_env(),
    whole=filters.COUNTRY_CODE in area,  # the country with its islands; a province without far outliers
)
summary = loaders.map_districts(f.data_dir, f.view_id, loaders.access(), area, year)
map_column, legend_column = st.columns([3, 1])
with map_column:
    st.pydeck_chart(
        deck,
        height=560,
        on_select=functools.partial(on_map_select, ids),
        selection_mode="single-object",
        key="map_deck",
        alt=t("map.heading", lang, area=filters.area_name(f), year=year),
    )
    st.caption(t("map.pick_hint" if group == "district" else "map.pick_hint_2025", lang))
with legend_column:
    # One element (maps.panel_html): notes and headings escaped, the legends made by maps.
    reach = memo.remembered(maps.reporting_row, frame, indicator if view_kind == "indicator" else None)
    panel = [(maps.NOTE, coverage.coverage_text(reach, lang))]
    if view_kind == "indicator":
        panel.append((maps.HEADING, t("map.scale", lang, what=drawing.value_label)))
    else:
        panel.append((maps.HEADING, t("map.counts" if view_kind == "category" else "map.view.change", lang)))
    panel.append((maps.MARKUP, maps.legend_html(drawing.legend, lang, t("map.total", lang))))
    if view_kind == "category":
        counts = memo.remembered(maps.category_counts, frame)
        panel.append((maps.MARKUP, maps.key_total_html(t("map.key_total", lang), counts["key"], lang)))
        listed = {
            f"{k}_n": fmt_number(v, lang) if v is not None else t("status.unknown", lang)
            for k, v in memo.remembered(maps.listed_totals, summary).items()
        }
        panel.append((maps.NOTE, t("map.listed", lang, **listed)))
    if drawing.size_legend:
        panel.append((maps.HEADING, t("map.size_scale", lang, what=drawing.value_label)))
        panel.append((maps.MARKUP, maps.size_legend_html(drawing.size_legend, lang)))
    if shapes is not None:
        panel.append((maps.NOTE, t("map.boundaries_used", lang, file=Path(found).name)))
    st.markdown(maps.panel_html(panel), unsafe_allow_html=True)

if view_kind == "change":
    st.subheader(t("map.change_counts", lang, base=base_year, year=year))
    counted = maps.change_counts(drawing.frame)
    widgets.table(
        pl.DataFrame(
            {
                t("column.change", lang): [t(f"change.{c}", lang) for c in maps.CHANGES],
                t("column.count", lang): [counted[c] for c in maps.CHANGES],
            }
        ),
        hide_index=True,
    )
    changed = maps.change_table(drawing.frame, base_year, year, lang)
    st.subheader(t("map.change_list", lang))
    if changed.is_empty():
        st.info(t("map.no_changes", lang))
    else:
        widgets.table(changed, hide_index=True)
        widgets.downloads(changed, f"xa_thay_doi_{base_year}_{year}", lang, key="dl_map_changes")

st.subheader(t(f"map.{group}_summary", lang))
shown = memo.remembered(maps.district_table, summary, lang, group)
widgets.table(
    shown,
    hide_index=True,
    on_select=functools.partial(on_list_select, summary["district_code"].to_list()),
    selection_mode="single-row",
    key="map_districts",
)
st.caption(t("map.district_summary_note", lang))
widgets.downloads(shown, f"tong_hop_xa_{year}", lang, key="dl_map_districts")

widgets.caption(
    f,
    t(
        "map.note",
        lang,
        bytes=fmt_number(payload, lang),
        points=fmt_number(drawing.frame.height, lang),
        seconds=fmt_number(time.perf_counter() - started, lang, 2),
    ),
)
