"""Trình chiếu: the meeting pack one slide at a time, the slide alone on the screen, in slide order.

The sidebar starts collapsed; the banners, the slide counter, the buttons and the content picker
fold into one footer line; the arrow keys move between slides.
"""

import streamlit as st

from dashboard import meeting, report, slides
from dashboard.formatting import fmt_date, md_text, period_in_sentence
from dashboard.i18n import t
from dashboard.ui import conclusions as ui_conclusions
from dashboard.ui import export as ui_export
from dashboard.ui import filters, loaders, widgets

st.set_page_config(layout="wide", initial_sidebar_state="collapsed")
st.html(widgets.PRESENTATION_CSS)
f = filters.current()
lang = f.lang

# The slide is drawn above the footer, but after it: the footer's buttons and picker decide it.
slide = st.container(key="slide")
footer = st.container(key="slide_footer")
back, where, forward, choose, about = footer.columns([1.4, 1.2, 1.4, 2.4, 6], vertical_alignment="center")

# Unit and period from the shared sidebar, sections as on the export page (same key): the slides
# and the screen show one pack.
unit = f.unit
with choose.popover(t("present.choose", lang), icon=":material/tune:", width="stretch"):
    sections = widgets.page_select(
        t("export.sections", lang), list(meeting.SECTIONS), key="xb_sections", lang=lang, multi=True,
        default=meeting.SECTIONS, format_func=lambda s: t(f"section.{s}", lang),
    )  # fmt: skip

try:
    pack = ui_export.pack(
        f.data_dir,
        f.view_id,
        loaders.access(),
        unit,
        f.year,
        f.grain,
        tuple(sections or meeting.SECTIONS),
        lang,
    )
except ValueError as exc:
    slide.warning(str(exc))
    st.stop()

follow_up = ui_conclusions.follow_up_for(f, pack)
order = ui_conclusions.with_follow_up(meeting.slide_order(pack), follow_up)
position = st.session_state.get("slide", 0)
position = min(max(position, 0), len(order) - 1)
if back.button(
    t("present.previous", lang), icon=":material/arrow_back:", disabled=position == 0, width="stretch",
    shortcut="Left", key="slide_back",
):  # fmt: skip
    position -= 1
if forward.button(
    t("present.next", lang), icon=":material/arrow_forward:", disabled=position == len(order) - 1,
    width="stretch", shortcut="Right", key="slide_next",
):  # fmt: skip
    position += 1
st.session_state["slide"] = position
where.markdown(
    f"<div style='text-align:center'>{t('present.position', lang, i=position + 1, n=len(order))}</div>",
    unsafe_allow_html=True,
)
about.caption(md_text(widgets.presentation_footer(f, pack.caption.source_line())))

kind, key = order[position]
with slide:
    if kind == "title":
        st.title(slides.committee(pack))
        sub = t(
            "slides.meeting", lang, period=period_in_sentence(pack.period_label, lang), unit=pack.unit_name
        )
        as_of = t(
            "slides.as_of", lang, date=fmt_date(pack.period_end, lang), snapshot=fmt_date(pack.as_of, lang)
        )
        st.markdown(f"<div class='slide-sub'>{sub}<br>{as_of}</div>", unsafe_allow_html=True)
    elif kind == "follow_up":
        ui_conclusions.follow_up_slide(pack, follow_up, lang)
    elif kind == "kpis":
        st.title(f"{t('present.kpis', lang)}: {pack.unit_name}, {pack.period_label}")
        for start in range(0, len(pack.kpis), slides.KPI_COLUMNS):
            row = pack.kpis[start : start + slides.KPI_COLUMNS]
            for column, indicator in zip(st.columns(slides.KPI_COLUMNS), row, strict=False):
                label, value, change = slides.kpi_texts(pack, indicator, lang)
                tone = pack.figures[indicator].tone
                column.metric(label, value, change, delta_color=widgets.tone_color(tone), border=True)
    elif kind == "goals":
        st.title(f"{t('present.goals', lang)}: {pack.unit_name}, {pack.period_label}")
        st.markdown(
            f"<div style='font-size:1.5rem'>\n\n{report.goals_markdown(pack, lang)}\n\n</div>",
            unsafe_allow_html=True,
        )
    else:
        figure = meeting.projector_figure(pack.chart(key).figure)
        st.plotly_chart(figure, theme=None, key=f"slide_{key}", config={"displaylogo": False})
