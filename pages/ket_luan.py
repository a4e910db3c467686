"""Kết luận giao ban: a meeting's follow-up, its conclusions, their progress and history, its frozen pack."""

import streamlit as st

from dashboard import conclusions
from dashboard.i18n import t
from dashboard.ui import conclusions as ui_conclusions
from dashboard.ui import filters, loaders, widgets

f = filters.current()
lang = f.lang
st.title(t("page.meetings", lang))
db = ui_conclusions.engine(f.data_dir)
if db is None:
    st.stop()
meetings = ui_conclusions.meetings(db)
if not meetings:
    st.info(t("mt.none", lang))
    st.stop()
titles = {m.id: f"{m.id}. {m.title}" for m in meetings}
chosen = widgets.page_select(t("mt.choose", lang), list(titles), key=ui_conclusions.MEETING, lang=lang,
                        format_func=titles.get)  # fmt: skip
meeting = next(m for m in meetings if m.id == chosen)
geo = ui_conclusions.meeting_geography(meeting)  # the units of the structure it was held in
st.subheader(meeting.title)
st.caption(t("mt.facts", lang, snapshot=meeting.snapshot_id, held=meeting.held_on.strftime("%d/%m/%Y"),
             user=meeting.created_by))  # fmt: skip
st.link_button(t("mt.reopen", lang), ui_conclusions.view_link(meeting), icon=":material/flag:")
ui_conclusions.flash()

st.header(t("mt.follow_up", lang))
items = ui_conclusions.follow_up_for_meeting(f, meeting)
if items:
    st.table(ui_conclusions.follow_up_table(items, lang), hide_index=True)
else:
    st.caption(t("mt.no_follow_up", lang))

st.header(t("mt.conclusions", lang))
found = conclusions.list_conclusions(db, loaders.access(), geo, meeting_id=meeting.id)
if found:
    widgets.table(ui_conclusions.conclusions_table(found, lang, meeting.held_on, geo), hide_index=True)
else:
    st.caption(t("mt.no_conclusions", lang))
ui_conclusions.add_form(db, meeting, lang, geo)
ui_conclusions.progress_form(db, found, lang, meeting.held_on, geo)
if found:
    st.subheader(t("mt.history", lang))
    for c in found:
        with st.expander(f"{c.id}. {c.text}"):
            st.table(ui_conclusions.history_table(conclusions.history(db, loaders.access(), geo, c.id), lang),
                     hide_index=True)  # fmt: skip

ui_conclusions.edition_panel(db, f, meeting)
