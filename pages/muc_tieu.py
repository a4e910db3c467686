"""Mục tiêu: the targets of the chosen unit and year judged (đạt, chưa đạt, có nguy cơ), quotas, paths."""

import functools

import streamlit as st

from dashboard import goal_charts
from dashboard.formatting import fmt_pct
from dashboard.geography import COUNTRY_CODE
from dashboard.i18n import t
from dashboard.ui import conclusions as ui_conclusions
from dashboard.ui import filters, loaders, widgets
from dashboard.ui import goals as ui_goals

COMMUNE = "commune"  # page-level URL parameter of the commune drill-down

f = filters.current()
lang = f.lang
geo = filters.geography()
info = loaders.snapshot_info(f.data_dir, f.view_id)


def drill(codes: list[str], table_key: str) -> None:
    # Runs as a widget callback, before the sidebar's district filter is drawn again.
    rows = st.session_state[table_key].selection.rows
    if not rows:
        return
    code = codes[rows[0]]
    if geo.level(code) == "commune":
        st.session_state[filters.P_DISTRICT] = [geo.parent(code)]
        st.session_state[COMMUNE] = code
    else:
        st.session_state[filters.P_DISTRICT] = [code]
        st.session_state[COMMUNE] = ""


controls = st.columns([1, 2])
with controls[0]:
    period = widgets.period_picker(f)
commune = None
if len(f.districts) == 1 and geo.level(f.districts[0]) == "district":
    options = ["", *geo.descendants(f.districts[0], "commune")]
    ui_goals.forget_stale_choice(COMMUNE, options, "")  # a commune of the district chosen before
    with controls[1]:
        commune = widgets.page_select(
            t("goals.commune", lang),
            options,
            key=COMMUNE,
            lang=lang,
            format_func=lambda c: geo.name(c) if c else t("goals.whole_district", lang),
        )

if period is None:
    st.warning(t("notice.no_data", lang))
    st.stop()
as_of = ui_goals.judgement_month(f.grain, period, info.last_period)
when = filters.period_label_for(period, f)
area = f"{geo.name(commune)} ({geo.name(f.districts[0])})" if commune else filters.area_name(f)
st.title(t("goals.heading", lang, area=area, period=when))
if f.province == COUNTRY_CODE:
    st.info(t("goals.choose_province", lang))
    st.stop()

ui_goals.structure_notice(f, info)
units = ui_goals.judged_units(f.province, f.districts, commune)
results = ui_goals.protect(
    [r for u in units for r in ui_goals.evaluate(f.data_dir, f.view_id, u, f.year, as_of)]
)
partial = next((r for r in results if r.partial), None)
note = t("goals.as_of", lang, month=f"{as_of:%m/%Y}")
if partial:
    note += " " + t(
        "goals.in_progress",
        lang,
        year=f.year,
        months=partial.months_elapsed,
        share=fmt_pct(partial.elapsed_share, lang, 0),
    )
st.caption(note)
if len(f.districts) > 1:
    st.caption(t("goals.one_district_hint", lang))

# The targets of the unit(s), judged.
st.header(t("goals.section.table", lang))
if results:
    st.markdown(ui_goals.summary_html(results, lang), unsafe_allow_html=True)
    table = ui_goals.goal_table(results, lang)
    # A static table wraps its text: every column, the status and the note, reads on a projector.
    st.table(ui_goals.styled(ui_goals.for_screen(table, lang, units), lang), hide_index=True)
    widgets.caption(f)
    widgets.downloads(table, f"muc_tieu_{'_'.join(units)}_{f.year}", lang, key="dl_goals")
    ui_conclusions.goals_panel(f, results, period, as_of)
else:
    st.info(t("goals.no_targets", lang, area=area, year=f.year))

quotas = goal_charts.quota_results(results)
if quotas:
    st.header(t("goals.section.quotas", lang))
    title = t("goals.chart.quotas", lang, area=area, period=when)
    widgets.plot(ui_goals.quota_figure(quotas, lang, title), key="quotas")
    widgets.caption(f)

# Multi-year goals: required path, actual values, projection.
st.header(t("goals.section.trajectories", lang))
projections = ui_goals.trajectory_order(
    [g for u in units for g in ui_goals.project(f.data_dir, f.view_id, u, as_of)]
)
if not projections:
    st.info(t("goals.no_trajectories", lang, area=area))
for goal in projections:
    # Full width: the title, the verdict and the note on the projection method stay on one line each.
    widgets.plot(ui_goals.trajectory_figure(goal, lang, f.year), key=f"goal_{goal.unit_code}_{goal.metric}")

# Communes whose change made or broke a commune-count target.
changes = ui_goals.commune_table(results, lang)
if ui_goals.has_commune_targets(results):
    st.header(t("goals.section.communes", lang))
    if changes.is_empty():
        st.info(t("goals.no_commune_changes", lang, year=f.year))
    for line in ui_goals.commune_lines(results, lang):
        st.markdown(line)
    if not changes.is_empty():
        st.dataframe(changes, hide_index=True, key="commune_changes")
        widgets.downloads(changes, f"xa_thay_doi_{'_'.join(units)}_{f.year}", lang, key="dl_changes")

# Drill down: the units below a province or a single district, by status; a click opens one.
if not commune and len(units) == 1:
    below = ui_goals.protect(
        [
            r
            for r in ui_goals.evaluate(f.data_dir, f.view_id, units[0], f.year, as_of, below=True)
            if r.unit_code != units[0]
        ]
    )
    if below:
        st.header(t("goals.section.districts", lang))
        summary = ui_goals.unit_summary(below, lang)
        title = t("goals.chart.by_district", lang, area=area, period=when)
        widgets.plot(ui_goals.unit_status_chart(summary, lang, title), key="by_unit")
        st.caption(t("goals.drill_hint", lang))
        codes = summary["unit_code"].to_list()
        st.dataframe(
            summary.drop("unit_code"),
            hide_index=True,
            on_select=functools.partial(drill, codes, "below_table"),
            selection_mode="single-row",
            key="below_table",
        )
        with st.expander(t("goals.section.below", lang)):
            detail = ui_goals.goal_table(below, lang)
            st.dataframe(ui_goals.styled(detail, lang), hide_index=True)
            widgets.downloads(detail, f"muc_tieu_cap_duoi_{units[0]}_{f.year}", lang, key="dl_below")
