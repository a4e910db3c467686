"""Xu hướng: chosen indicators over time at the chosen grain, change year on year, breakdown by area."""

import streamlit as st

from dashboard import charts, coverage, memo, page_figures, tables, theme
from dashboard.catalog import CATALOG, DOMAINS
from dashboard.i18n import t
from dashboard.ui import filters, loaders, widgets

f = filters.current()
lang = f.lang
st.title(t("heading.trends", lang, area=filters.area_name(f), years=filters.years_label(f)))

domains = [d for d in DOMAINS if page_figures.chartable(d)]
left, middle, right = st.columns([1, 3, 1])
with left:
    domain = widgets.page_select(
        t("filter.domain", lang),
        domains,
        key="domain",
        lang=lang,
        format_func=lambda d: DOMAINS[d][lang != "vi"],
    )
choices = [i.id for i in page_figures.chartable(domain)]
with middle:
    indicators = widgets.page_select(
        t("filter.indicators", lang),
        choices,
        key="indicators",
        lang=lang,
        multi=True,
        default=page_figures.default_indicators(domain),
        format_func=lambda i: CATALOG[i].label(lang),
    )
with right:
    kind = widgets.page_select(
        t("filter.chart_kind", lang),
        ["line", "bar"],
        key="chart",
        lang=lang,
        horizontal=True,
        format_func=lambda k: t(f"chart.{k}", lang),
    )
breakdown_units = page_figures.compare_units(
    filters.geography(), f.province, f.districts, loaders.snapshot_info(f.data_dir, f.view_id).provinces
)
breakdown = widgets.page_select(
    t("filter.breakdown", lang),
    ["none", "stacked", "small_multiples"],
    key="breakdown",
    lang=lang,
    horizontal=True,
    format_func=lambda b: t(f"breakdown.{b}", lang),
)
if not indicators:
    st.info(t("notice.no_data", lang))
    st.stop()

area = filters.area_name(f)
note = filters.source_note(f)
frame = loaders.summary(f.data_dir, f.view_id, f.codes, tuple(indicators), f.grain, f.years, combined=True)
last_period = loaders.snapshot_info(f.data_dir, f.view_id).last_period
# Remembered (by the query's arguments and scope): a chart keyed on these frames needs no digest.
frame = memo.remembered(page_figures.trend_frame, frame, f.grain, lang, last_period, area)
covered = loaders.coverage_table(
    f.data_dir, f.view_id, f.codes, tuple(indicators), f.grain, f.years, combined=True
)
frame = memo.remembered(coverage.with_text, frame, covered, lang)
parts = None
if breakdown != "none":
    parts = loaders.summary(
        f.data_dir, f.view_id, tuple(breakdown_units), tuple(indicators), f.grain, f.years
    )
    covered = loaders.coverage_table(
        f.data_dir, f.view_id, tuple(breakdown_units), tuple(indicators), f.grain, f.years
    )
    parts = memo.remembered(coverage.with_text, parts, covered, lang)
    parts = page_figures.label_units(
        page_figures.label_periods(parts, f.grain, lang, last_period),
        filters.unit_names(breakdown_units, lang),
    )

for indicator in indicators:
    label = widgets.indicator_label(indicator, lang)
    percent = CATALOG[indicator].percent
    st.header(label, divider=theme.STREAMLIT_DIVIDER)
    series = memo.remembered(page_figures.indicator_rows, frame, indicator)
    if series.is_empty():
        st.info(t("notice.no_data", lang))
        continue
    title = t(
        "chart.title", lang, what=CATALOG[indicator].label(lang), where=area, when=filters.years_label(f)
    )
    widgets.plot(
        widgets.chart(
            charts.time_series, series, kind=kind, lang=lang, title=title, note=note, percent=percent
        ),
        key=f"series_{indicator}",
    )
    if gaps := page_figures.gap_note(series, lang):
        st.caption(gaps)
    widgets.plot(
        widgets.chart(
            charts.yoy_change,
            series,
            lang=lang,
            title=t(
                "chart.title",
                lang,
                what=f"{label} – {t('chart.yoy', lang)}",
                where=area,
                when=filters.years_label(f),
            ),
            note=note,
        ),
        key=f"yoy_{indicator}",
    )
    table = series
    if parts is not None:
        all_rows = parts.filter(parts["indicator"] == indicator)
        # The chart draws a commune's small count as a gap (the table below says "<5").
        drawn = widgets.protect_chart(all_rows)
        unit_rows, left_out = page_figures.top_units(drawn)
        if left_out:
            st.caption(t("notice.breakdown_limit", lang, n=page_figures.BREAKDOWN_LIMIT, left=left_out))
        if breakdown == "stacked" and page_figures.is_additive(indicator):
            stacked = page_figures.fold_others(unit_rows, drawn, t("breakdown.others", lang, n=left_out))
            fig = widgets.chart(
                charts.time_series,
                stacked,
                kind="bar",
                stacked=True,
                lang=lang,
                title=title,
                note=note,
                percent=percent,
            )
        else:
            if breakdown == "stacked":
                st.caption(t("notice.not_additive", lang))
            fig = widgets.chart(
                charts.small_multiples,
                unit_rows,
                kind=kind,
                lang=lang,
                title=title,
                note=note,
                percent=percent,
            )
        widgets.plot(fig, key=f"parts_{indicator}")
        table = page_figures.stack_tables(series, all_rows)

    def data_table(table=table, indicator=indicator, percent=percent) -> None:
        shown = tables.localize(
            widgets.protect(memo.remembered(page_figures.label_indicators, table, lang)),
            [
                "unit_name",
                "indicator_label",
                "period_label",
                "value",
                "previous",
                "change_pct",
                "complete",
                "coverage",
            ]
            + (["gap"] if "gap" in table.columns else []),
            lang,
        )
        value_header = t("column.value", lang)
        pct = (value_header, t("column.previous", lang)) if percent else ()
        widgets.table(tables.display(shown, lang, pct, 2 if percent else 0), hide_index=True)
        widgets.downloads(
            shown, f"xu_huong_{indicator}_{f.years[0]}_{f.years[1]}", lang, key=f"dl_{indicator}"
        )

    widgets.folded(t("heading.data", lang), f"table_{indicator}", data_table)
# The source once for the page (each chart also carries it under its title).
widgets.caption(f)
