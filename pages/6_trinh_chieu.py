"""Trình chiếu: the meeting pack one slide at a time, full width, large type, in deck order."""

import streamlit as st

from dashboard import deck, meeting, report, ui, ui_conclusions, ui_export
from dashboard.formatting import fmt_date
from dashboard.i18n import t

f = ui.filters()
lang = f.lang

# Unit and period from the shared sidebar, sections as on the export page (same key): the deck
# and the screen show one pack.
unit = f.unit
with st.expander(t("present.choose", lang)):
    sections = ui.page_select(
        t("export.sections", lang), list(meeting.SECTIONS), key="xb_sections", lang=lang, multi=True,
        default=meeting.SECTIONS, format_func=lambda s: t(f"section.{s}", lang),
    )  # fmt: skip

try:
    pack = ui_export.pack(
        f.data_dir, f.snapshot_id, ui.access(), unit, f.year, f.grain, tuple(sections or meeting.SECTIONS)
    )
except ValueError as exc:
    st.warning(str(exc))
    st.stop()

# Projector type: big metric values and labels.
st.html(
    "<style>[data-testid='stMetricValue']{font-size:3.4rem}"
    "[data-testid='stMetricLabel'] p{font-size:1.3rem}"
    "[data-testid='stMetricDelta']{font-size:1.2rem}"
    "h1{font-size:2.6rem !important}"
    ".slide-sub{font-size:1.6rem;color:#444}</style>"
)

follow_up = ui_conclusions.follow_up_for(f, pack)
order = ui_conclusions.with_follow_up(meeting.slide_order(pack), follow_up)
position = st.session_state.get("slide", 0)
position = min(max(position, 0), len(order) - 1)
back, where, forward = st.columns([1, 4, 1])
if back.button(
    t("present.previous", lang), icon=":material/arrow_back:", disabled=position == 0, width="stretch"
):
    position -= 1
if forward.button(
    t("present.next", lang),
    icon=":material/arrow_forward:",
    disabled=position == len(order) - 1,
    width="stretch",
):
    position += 1
st.session_state["slide"] = position
counter = t("present.position", lang, i=position + 1, n=len(order))
where.markdown(f"<div style='text-align:center'>{counter}</div>", unsafe_allow_html=True)

kind, key = order[position]
if kind == "title":
    st.title(pack.committee)
    st.markdown(
        f"<div class='slide-sub'>Giao ban {pack.period_label} — {pack.unit_name}<br>"
        f"Số liệu tính đến ngày {fmt_date(pack.period_end)}</div>",
        unsafe_allow_html=True,
    )
    st.caption(pack.caption.source_line())
elif kind == "follow_up":
    ui_conclusions.follow_up_slide(pack, follow_up, lang)
elif kind == "kpis":
    st.title(f"{t('present.kpis', lang)}: {pack.unit_name}, {pack.period_label}")
    for start in range(0, len(pack.kpis), deck.KPI_COLUMNS):
        row = pack.kpis[start : start + deck.KPI_COLUMNS]
        for column, indicator in zip(st.columns(deck.KPI_COLUMNS), row, strict=False):
            label, value, change = deck.kpi_texts(pack, indicator)
            tone = pack.figures[indicator].tone
            column.metric(label, value, change, delta_color={"good": "green", "bad": "red"}.get(tone, "gray"),
                          border=True)  # fmt: skip
    st.caption(pack.caption.source_line())
elif kind == "goals":
    st.title(f"{t('present.goals', lang)}: {pack.unit_name}, {pack.period_label}")
    rows = report.goal_rows(pack)
    table = "| " + " | ".join(report.GOAL_COLUMNS) + " |\n|" + "---|" * len(report.GOAL_COLUMNS) + "\n"
    table += "\n".join("| " + " | ".join(row) + " |" for row in rows)
    st.markdown(f"<div style='font-size:1.5rem'>\n\n{table}\n\n</div>", unsafe_allow_html=True)
else:
    figure = meeting.projector_figure(pack.chart(key).figure)
    st.plotly_chart(figure, theme=None, key=f"slide_{key}", config={"displaylogo": False})
