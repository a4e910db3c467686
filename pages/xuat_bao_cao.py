"""Xuất báo cáo: choose unit, period and sections; download slides, chart images and the Word report."""

import streamlit as st

from dashboard import export, meeting, report, slides
from dashboard.formatting import md_text
from dashboard.i18n import t
from dashboard.ui import conclusions as ui_conclusions
from dashboard.ui import export as ui_export
from dashboard.ui import filters, loaders, widgets

f = filters.current()
lang = f.lang
geo = filters.geography()

head = st.container()  # the heading goes above the choices once the pack is known
# Unit and period come from the shared sidebar: one selected district, else the province.
unit = f.unit
if len(f.districts) > 1:
    st.info(t("export.one_unit", lang, name=geo.name(unit)))
year, grain = f.year, f.grain
sections = widgets.page_select(
    t("export.sections", lang),
    list(meeting.SECTIONS),
    key="xb_sections",
    lang=lang,
    multi=True,
    default=meeting.SECTIONS,
    format_func=lambda s: t(f"section.{s}", lang),
)
if not sections:
    st.info(t("notice.no_data", lang))
    st.stop()

key = (f.data_dir, f.view_id, loaders.access(), unit, int(year), grain, tuple(sections))
try:
    pack = ui_export.pack(*key, lang)
    # The Word report and the written report are Vietnamese whatever the screen's language.
    pack_vi = pack if lang == "vi" else ui_export.pack(*key)
except ValueError as exc:
    st.warning(str(exc))
    st.stop()

head.title(t("export.heading", lang, area=pack.unit_name, period=pack.period_label))
head.caption(md_text(slides.committee(pack) + " · " + pack.caption.source_line()))
if not pack.complete:
    st.warning(
        t("notice.incomplete_period", lang, period=pack.period_label, month=f"{pack.period_end:%m/%Y}")
    )
follow_up, notice = ui_conclusions.meeting_panel(f, pack, sections)

probe = export.probe_browser()
fonts = export.probe_fonts()
if not probe.ok:
    st.warning(probe.message + " " + t("export.in_browser", lang), icon=":material/warning:")
if fonts:
    st.warning(fonts, icon=":material/font_download_off:")

stem = export.file_name(pack.unit_name, pack.period_label, ext="x")[:-2]
c1, c2, c3 = st.columns(3)
c1.download_button(
    t("export.slides", lang),
    lambda: slides.build_slides(pack, ui_export.images(*key, lang), follow_up=follow_up),
    file_name=slides.slides_file_name(pack),
    mime=slides.PPTX_MIME,
    key="xb_deck",
    icon=":material/slideshow:",
    disabled=not probe.ok,
    on_click="ignore",
)
c2.download_button(
    t("export.zip", lang),
    lambda: slides.images_zip(pack, ui_export.images(*key, lang)),
    file_name=f"anh_{stem}.zip",
    mime="application/zip",
    key="xb_zip",
    icon=":material/photo_library:",
    disabled=not probe.ok,
    on_click="ignore",
)
c3.download_button(
    t("export.word", lang),
    lambda: report.report_docx(
        pack_vi, ui_export.images(*key) if probe.ok else None, follow_up=follow_up, notice=notice
    ),
    file_name=f"bao-cao_{stem}.docx",
    mime=report.DOCX_MIME,
    key="xb_word",
    icon=":material/description:",
    on_click="ignore",
)
if not probe.ok:
    c3.caption(t("export.word_no_charts", lang))
if lang != "vi":
    c3.caption(t("export.word_vietnamese", lang))

st.subheader(t("export.narrative", lang))
st.code(report.report_text(pack_vi), language=None, wrap_lines=True)

st.subheader(t("export.charts", lang))
for chart in pack.charts:
    name = export.file_name(chart.key.replace(".", "-"), pack.unit_name, pack.period_label, ext="png")[:-4]
    with st.expander(chart.title):
        st.plotly_chart(
            chart.figure, theme=None, key=f"xb_fig_{chart.key}", config=export.plotly_config(name)
        )
        b1, b2, _ = st.columns([1, 1, 3])
        for column, fmt in ((b1, "png"), (b2, "svg")):
            column.download_button(
                t(f"export.{fmt}", lang),
                lambda chart=chart, fmt=fmt: export.export_image(chart.figure, pack.caption, fmt),
                file_name=f"{name}.{fmt}",
                mime=export.FORMATS[fmt],
                key=f"xb_{fmt}_{chart.key}",
                disabled=not probe.ok,
                on_click="ignore",
            )
