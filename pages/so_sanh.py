"""So sánh địa bàn: ranking of districts (or communes) for one indicator and period, and units × years."""

import streamlit as st

from dashboard import charts, page_figures, tables
from dashboard.catalog import CATALOG
from dashboard.formatting import in_sentence
from dashboard.i18n import t
from dashboard.ui import filters, loaders, widgets

f = filters.current()
lang = f.lang
info = loaders.snapshot_info(f.data_dir, f.view_id)
units = page_figures.compare_units(filters.geography(), f.province, f.districts, info.provinces)

left, middle, right = st.columns([3, 1, 1])
with left:
    choices = [i.id for i in page_figures.chartable()]
    indicator = widgets.page_select(
        t("filter.indicator", lang),
        choices,
        key="indicator",
        lang=lang,
        index=choices.index("addicts_managed"),
        format_func=lambda i: CATALOG[i].label(lang),
    )
with middle:
    period = widgets.period_picker(f)
with right:
    can_scale = page_figures.is_per_population_meaningful(indicator)
    per_pop = can_scale and st.toggle(t("filter.per_population", lang), value=True, key="per_pop")

if period is None or not units:
    st.warning(t("notice.no_data", lang))
    st.stop()
when = filters.period_label_for(period, f)
area = filters.area_name(f)
st.title(t("heading.districts", lang, area=area, period=when))

names = filters.unit_names(units, lang)
frame = loaders.per_population(f.data_dir, f.view_id, tuple(units), (indicator,), f.grain, f.years)
frame = page_figures.label_units(page_figures.label_periods(frame, f.grain, lang), names)
by = "per_population" if per_pop else "value"
# Small commune counts of people hidden in the chart, its images and the table alike.
ranked = widgets.protect(page_figures.ranking(frame, period, indicator, by=by))
percent = CATALOG[indicator].percent
decimals = 2 if (percent or per_pop) else 0
what = CATALOG[indicator].label(lang)
what_scaled = t("chart.per_population", lang, what=what) if per_pop else what
note = filters.source_note(f)

if ranked.is_empty():
    st.warning(t("notice.no_data", lang))
else:
    widgets.plot(
        widgets.chart(
            charts.ranking_bars,
            ranked,
            value=by,
            lang=lang,
            title=t(
                "chart.title",
                lang,
                what=t("chart.ranking", lang, what=in_sentence(what_scaled)),
                where=area,
                when=when,
            ),
            note=note,
            percent=percent,
            decimals=decimals,
        ),
        key="ranking",
        phone_scroll=False,
    )
    widgets.caption(f)
    with st.expander(t("heading.data", lang)):
        columns = ["rank", "unit_code", "unit_name", "period_label", "value", "population", "per_population"]
        shown = tables.localize(ranked, columns, lang)
        pct = (t("column.value", lang),) if percent else ()
        widgets.table(tables.display(shown, lang, pct, 2 if percent else 0), hide_index=True)
        widgets.downloads(shown, f"xep_hang_{indicator}_{period:%Y_%m}", lang, key="dl_ranking")

yearly = widgets.protect(
    loaders.per_population(f.data_dir, f.view_id, tuple(units), (indicator,), "year", f.years)
)
matrix = page_figures.heatmap_matrix(yearly, indicator, by=by)
if matrix.height:
    widgets.plot(
        widgets.chart(
            charts.heatmap,
            matrix,
            row_labels=[names[c] for c in matrix["unit_code"].to_list()],
            lang=lang,
            title=t(
                "chart.title",
                lang,
                what=t("chart.heatmap", lang, what=what_scaled),
                where=area,
                when=filters.years_label(f),
            ),
            note=note,
            percent=percent,
            decimals=decimals,
            hidden=page_figures.heatmap_hidden(yearly, indicator),
        ),
        key="heatmap",
    )
    widgets.caption(f)
