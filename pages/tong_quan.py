"""Tổng quan: the headline figures of the selected area and period, against a year earlier and the quotas."""

import streamlit as st

from dashboard import cards, charts, memo, page_figures
from dashboard.i18n import t
from dashboard.ui import filters, loaders, widgets
from dashboard.ui import goals as ui_goals

f = filters.current()
lang = f.lang

period = widgets.period_picker(f)
if period is None:
    st.warning(t("notice.no_data", lang))
    st.stop()
when = filters.period_label_for(period, f)
st.title(t("heading.overview", lang, area=filters.area_name(f), period=when))

history_years = (min(f.years[0], f.year - 1), f.year)
frame = loaders.summary(
    f.data_dir, f.view_id, f.codes, page_figures.HEADLINE, f.grain, history_years, combined=True
)
quota_map = loaders.quotas(f.data_dir, f.view_id, f.codes, page_figures.QUOTA_METRICS, f.year)
kpis = memo.remembered(page_figures.kpis, frame, period, page_figures.HEADLINE, quota_map)
if all(card.value is None for card in kpis):
    st.warning(t("notice.no_data", lang))
    st.stop()

st.caption(t("kpi.legend", lang))
ui_goals.structure_notice(f, loaders.snapshot_info(f.data_dir, f.view_id))  # quotas of the other units
covered = loaders.coverage_notes(
    f.data_dir,
    f.view_id,
    f.codes,
    page_figures.HEADLINE,
    period,
    page_figures.period_end_month(period, f.grain),
)
source = loaders.status_source(f.data_dir, f.view_id, f.codes, period.year)
notes = [cards.figure_note(card, covered.get(card.indicator), source, lang) for card in kpis]
widgets.kpi_cards(kpis, lang, notes)
widgets.caption(f)

# Commune classification by year over the chosen range.
communes = loaders.summary(
    f.data_dir, f.view_id, f.codes, page_figures.COMMUNE_CATEGORIES, "year", f.years, combined=True
)
counts = memo.remembered(page_figures.commune_count_series, communes, lang)
if counts.is_empty():
    st.info(t("notice.no_data", lang))
else:
    widgets.plot(
        widgets.chart(
            charts.time_series,
            counts,
            color="indicator_label",
            kind="bar",
            colors=page_figures.commune_count_colors(lang),
            lang=lang,
            title=t(
                "chart.title",
                lang,
                what=t("chart.communes", lang),
                where=filters.area_name(f),
                when=filters.years_label(f),
            ),
            note=filters.source_note(f),
        ),
        key="communes",
    )
