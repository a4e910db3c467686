"""Meetings and conclusions on screen: beside the targets on Mục tiêu, the meeting page, the pack's follow-up.

Part of the Streamlit layer. The rules and the storage are ``conclusions.py`` and ``store.py``;
this module draws them and hands them the signed-in user's Access and name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl
import streamlit as st
from sqlalchemy.engine import Engine

from dashboard import conclusions as cl
from dashboard import frozen, goals, minutes, store
from dashboard.catalog import CATALOG
from dashboard.formatting import fmt_date, md_text, period_in_sentence
from dashboard.goals import TargetResult
from dashboard.i18n import t
from dashboard.ui import auth as ui_auth
from dashboard.ui import filters, loaders
from dashboard.ui import goals as ui_goals
from dashboard.view import parse_view_id

MEETING = "meeting"  # URL parameter of the meeting page
DEFAULT_DAYS = 30  # a new conclusion's deadline, counted from the meeting day
_FLASH = "_cl_flash"  # session state: a message to show after the rerun that follows a save


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return store.connect(url)


def engine(folder: str) -> Engine | None:
    """The meetings database of the data folder (migrated on first use); None, with a notice, if it fails."""
    try:
        return _engine(store.database_url(folder))
    except Exception as exc:  # a database down or a bad URL must not take the figures with it
        st.warning(t("cl.db_error", filters.current().lang, error=type(exc).__name__))
        return None


def user(lang: str) -> str:
    """Who writes: the signed-in user's name (set by ui_auth.sign_in), else a word saying sign-in is off."""
    return st.session_state.get(ui_auth._USER) or t("cl.anonymous", lang)


def status_label(status: str, lang: str) -> str:
    return t(f"cl.status.{status}", lang)


def flash() -> None:
    """The message a save left for this run."""
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def _line(c: cl.Conclusion, lang: str, on: dt.date) -> str:
    parts = [f"**{md_text(c.text)}**", md_text(c.responsible)]
    if c.deadline:
        parts.append(t("cl.due", lang, date=fmt_date(c.deadline)))
    status = status_label(c.status, lang)
    if c.overdue(on):
        status += f" ({t('cl.overdue', lang)})"
    parts.append(f"*{status}*")
    if c.missing_since:
        parts.append(t("cl.missing", lang, snapshot=c.missing_since))
    return " — ".join(parts)


# --------------------------------------------------------------------------- Mục tiêu


def goals_panel(f: filters.Filters, results: Sequence[TargetResult], period: dt.date, as_of: dt.date) -> None:
    """Each missed or at-risk target (and each with a conclusion) with its conclusions and a record button.

    One click opens the form with the target filled in; the meeting is the page's unit and
    period, opened on saving if it is not yet.
    """
    db = engine(f.data_dir)
    if db is None:
        return
    lang, geo, access = f.lang, filters.geography(), loaders.access()
    found = cl.list_conclusions(db, access, geo, units={r.unit_code for r in results})
    shown = [r for r in results if r.status in (goals.NOT_MET, goals.AT_RISK) or cl.for_target(found, r)]
    if not shown:
        return
    st.header(t("cl.section", lang))
    st.caption(t("cl.section_help", lang))
    flash()
    today = dt.date.today()
    for i, r in enumerate(shown):
        with st.container(border=True, key=f"cl_target_{i}"):
            # A quarter of the row holds the button's label whole in English ("Record a conclusion").
            left, right = st.columns([3, 1])
            left.markdown(
                f"**{md_text(CATALOG[r.metric].label(lang))}** — {md_text(r.unit_name)} · "
                f"{minutes.figures_text(r, r.metric, r.rule, lang)}"
            )
            lines = [_line(c, lang, today) for c in cl.for_target(found, r)]
            left.markdown(
                "\n".join(f"- {line}" for line in lines) if lines else t("cl.none_for_target", lang)
            )
            writer = cl.can_write(access) and access.allows(r.unit_code, geo)
            if writer and right.button(
                t("cl.record", lang), key=f"cl_record_{i}", icon=":material/edit_note:"
            ):
                record_dialog(f, r, period, as_of)


@st.dialog(t("cl.record"), width="large")
def record_dialog(f: filters.Filters, target: TargetResult, period: dt.date, as_of: dt.date) -> None:
    """The form of one conclusion about ``target``: text, responsible body, deadline; saved in one click."""
    lang, geo, access = f.lang, filters.geography(), loaders.access()
    db = engine(f.data_dir)
    if db is None:
        return
    unit = f.unit
    meeting = cl.find_meeting(db, unit, f.grain, period)
    period_label = filters.period_label_for(period, f)
    st.markdown(t("cl.target", lang, target=f"{md_text(target.metric_label)} — {md_text(target.unit_name)}"))
    st.caption(minutes.figures_text(target, target.metric, target.rule, lang))
    if meeting is not None:
        st.caption(t("cl.meeting", lang, title=meeting.title))
        held = meeting.held_on
    else:
        st.caption(
            t("cl.new_meeting", lang, period=period_in_sentence(period_label, lang), unit=geo.name(unit))
        )
        held = st.date_input(t("cl.held_on", lang), value=dt.date.today(), format="DD/MM/YYYY", key="cl_held")
    words = st.text_area(t("cl.text", lang), placeholder=t("cl.text_help", lang), key="cl_text")
    c1, c2 = st.columns([2, 1])
    responsible = c1.text_input(t("cl.responsible", lang), key="cl_responsible")
    deadline = c2.date_input(
        t("cl.deadline", lang),
        value=held + dt.timedelta(days=DEFAULT_DAYS),
        format="DD/MM/YYYY",
        key="cl_deadline",
    )
    named = [c for c in (*target.new_communes, *target.left_communes)]
    communes = []
    if named:
        communes = st.multiselect(
            t("cl.communes", lang), [c.code for c in named], format_func={c.code: c.name for c in named}.get
        )
    if st.button(t("cl.save", lang), type="primary", key="cl_save", icon=":material/save:"):
        try:
            if meeting is None:
                meeting = cl.open_meeting(
                    db, access, geo, unit_code=unit, year=f.year, grain=f.grain, period=period,
                    period_label=period_label, snapshot_id=f.snapshot, held_on=held, user=user(lang),
                    filters=view_filters(f),
                )  # fmt: skip
            made = cl.record(
                db, access, geo, meeting, text=words, responsible=responsible, deadline=deadline,
                target=target, target_as_of=as_of, communes=communes, user=user(lang),
            )  # fmt: skip
        except cl.ConclusionError as exc:
            st.error(str(exc), icon=":material/error:")  # the form keeps what was typed
            return
        st.session_state[_FLASH] = t("cl.saved", lang, id=made.id, meeting=meeting.title)
        for key in ("cl_text", "cl_responsible", "cl_deadline", "cl_held"):
            st.session_state.pop(key, None)
        st.rerun()


def view_filters(f: filters.Filters, sections: Sequence[str] | None = None) -> dict:
    """What reopens the meeting's view and remakes its pack: the sidebar's choices and the sections."""
    from dashboard import meeting as pack_module

    setting = loaders.small_counts()
    return {
        "view": f.view_id,  # the view id (key name kept: meetings stored with it reopen)
        "structure": f.structure,
        "province": f.province,
        "districts": list(f.districts),
        "years": list(f.years),
        "grain": f.grain,
        "sections": list(sections or pack_module.SECTIONS),
        "small_counts": setting.threshold if setting.exports else None,
    }


def view_link(m: cl.Meeting) -> str:
    """A link to Mục tiêu as the meeting saw it: its snapshot, units, area, years, grain and period."""
    from urllib.parse import urlencode

    saved = m.filters
    structure = saved.get("structure", filters.LEGACY)
    params: list[tuple[str, str]] = [
        (filters.P_SNAPSHOT, parse_view_id(saved.get("view", m.snapshot_id))[0]),
        (filters.P_STRUCTURE, t(f"structure.{structure}")),
        (filters.P_GRAIN, t(f"grain.{m.grain}")),
        ("period", m.period_label),
    ]
    geo = loaders.geography_of(saved.get("view", m.snapshot_id))
    if "province" in saved:
        params.append((filters.P_PROVINCE, geo.name(saved["province"])))
    district_key = filters.P_DISTRICT if structure == filters.LEGACY else filters.P_COMMUNE
    params += [(district_key, geo.name(d)) for d in saved.get("districts", [])]
    params += [(filters.P_YEARS, str(y)) for y in saved.get("years", [])]
    return "./muc-tieu?" + urlencode(params)


# --------------------------------------------------------------------------- the pack


def follow_up_for(f: filters.Filters, pack) -> list[cl.FollowUpItem]:
    """The follow-up that opens ``pack``'s meeting (held today if not opened yet)."""
    db = engine(f.data_dir)
    if db is None:
        return []
    geo, access = filters.geography(), loaders.access()
    held = cl.find_meeting(db, pack.unit_code, pack.grain, pack.period)
    results = ui_goals.evaluate(
        f.data_dir, f.view_id, pack.unit_code, pack.year, pack.period_end.replace(day=1), below=True
    )
    return cl.follow_up(
        db, access, geo, unit_code=pack.unit_code, period=pack.period,
        on=held.held_on if held else dt.date.today(), results=results,
    )  # fmt: skip


def follow_up_for_meeting(f: filters.Filters, m: cl.Meeting) -> list[cl.FollowUpItem]:
    """The follow-up of a meeting on its page: the targets now as the meeting's snapshot judges them."""
    db = engine(f.data_dir)
    if db is None:
        return []
    view_id = m.filters.get("view", m.snapshot_id)
    if parse_view_id(view_id)[0] not in loaders.catalogue(f.data_dir).valid:
        view_id = f.view_id  # the meeting's snapshot is gone: the one shown now
    last = loaders.snapshot_info(f.data_dir, view_id).last_period
    as_of = min(last, ui_goals.judgement_month(m.grain, m.period, last))
    results = ui_goals.evaluate(f.data_dir, view_id, m.unit_code, m.year, as_of, below=True)
    return cl.follow_up(
        db,
        loaders.access(),
        meeting_geography(m),
        unit_code=m.unit_code,
        period=m.period,
        on=m.held_on,
        results=results,
    )


def notice_for(f: filters.Filters, pack) -> tuple[cl.Meeting, list[cl.Conclusion]] | None:
    """The pack's meeting and its conclusions (the report's notice), if the meeting is open."""
    db = engine(f.data_dir)
    if db is None:
        return None
    held = cl.find_meeting(db, pack.unit_code, pack.grain, pack.period)
    if held is None:
        return None
    return held, cl.list_conclusions(db, loaders.access(), filters.geography(), meeting_id=held.id)


def meeting_panel(f: filters.Filters, pack, sections: Sequence[str]):
    """On the export page: the pack's meeting (or a button that opens it, for writers) and the
    follow-up the slides and report open with; returns (follow-up, notice) for them."""
    db = engine(f.data_dir)
    if db is None:
        return [], None
    lang, access = f.lang, loaders.access()
    held = cl.find_meeting(db, pack.unit_code, pack.grain, pack.period)
    if held is not None:
        st.info(t("mt.opened", lang, title=held.title), icon=":material/groups:")
    elif cl.can_write(access) and access.allows(pack.unit_code, filters.geography()):
        left, right = st.columns([1, 2])
        day = left.date_input(
            t("cl.held_on", lang), value=dt.date.today(), format="DD/MM/YYYY", key="mt_held"
        )
        if right.button(
            t("mt.open", lang, period=period_in_sentence(pack.period_label, lang)),
            key="mt_open",
            icon=":material/groups:",
        ):
            try:
                cl.open_meeting(
                    db, access, filters.geography(),
                    unit_code=pack.unit_code, year=pack.year, grain=pack.grain,
                    period=pack.period, period_label=pack.period_label, snapshot_id=pack.snapshot_id,
                    held_on=day, user=user(lang), filters=view_filters(f, sections),
                )  # fmt: skip
            except cl.ConclusionError as exc:
                st.error(str(exc))
            else:
                st.rerun()
    items = follow_up_for(f, pack)
    if items:
        with st.expander(f"{t('mt.follow_up', lang)} ({len(items)})"):
            st.markdown(md_text(minutes.follow_up_summary(items)))
            st.table(follow_up_table(items, lang), hide_index=True)
    return items, notice_for(f, pack)


def with_follow_up(order: list[tuple[str, str | None]], items: Sequence[cl.FollowUpItem]) -> list:
    """Presentation order with the follow-up right after the title slide, as in the slides."""
    return [order[0], ("follow_up", None), *order[1:]] if items else order


def follow_up_slide(pack, items: Sequence[cl.FollowUpItem], lang: str) -> None:
    st.title(f"{t('mt.follow_up', lang)}: {pack.unit_name}")
    st.markdown(md_text(minutes.follow_up_summary(items)))
    st.table(follow_up_table(items, lang), hide_index=True)


def follow_up_table(items: Sequence[cl.FollowUpItem], lang: str) -> pl.DataFrame:
    """The follow-up rows as a table for the screen (same words as the slides)."""
    headers = list(minutes.FOLLOW_UP_COLUMNS)
    return pl.DataFrame(minutes.follow_up_rows(items), schema=dict.fromkeys(headers, pl.String), orient="row")


# --------------------------------------------------------------------------- the meeting page


def meeting_geography(m: cl.Meeting):
    """The unit tree of the structure the meeting was held in."""
    return loaders.geography_of(m.filters.get("view", m.snapshot_id))


def meetings(db: Engine) -> list[cl.Meeting]:
    """The meetings this user may see, each judged in its own structure's units."""
    return cl.list_meetings(db, loaders.access(), filters.geography(), geography_of=meeting_geography)


def conclusions_table(found: Sequence[cl.Conclusion], lang: str, on: dt.date, geo) -> pl.DataFrame:
    rows = [
        [
            str(c.id),
            c.text,
            minutes.target_words(c),
            geo.name(c.unit_code) if geo.has(c.unit_code) else c.unit_code,
            c.responsible,
            fmt_date(c.deadline),
            status_label(c.status, lang) + (f" ({t('cl.overdue', lang)})" if c.overdue(on) else ""),
            minutes.figures_text(c.then, c.metric, c.rule, lang),
            f"{c.updated_at:%d/%m/%Y %H:%M} · {c.updated_by}",
        ]
        for c in found
    ]
    cols = ("id", "text", "target", "unit", "responsible", "deadline", "status", "then", "updated")
    return pl.DataFrame(rows, schema={t(f"cl.col.{c}", lang): pl.String for c in cols}, orient="row")


def history_table(events: Sequence[cl.Event], lang: str) -> pl.DataFrame:
    rows = [
        [
            f"{e.changed_at:%d/%m/%Y %H:%M}",
            e.author,
            t(f"cl.kind.{e.kind}", lang),
            e.note or "",
            status_label(e.status, lang) if e.status else "",
            fmt_date(e.note_date),
        ]
        for e in events
    ]
    cols = ("when", "who", "what", "text", "status", "date")
    return pl.DataFrame(rows, schema={t(f"cl.col.{c}", lang): pl.String for c in cols}, orient="row")


def progress_form(db: Engine, found: Sequence[cl.Conclusion], lang: str, held: dt.date, geo) -> None:
    """Writers: a dated note and/or a new status for one conclusion of the meeting."""
    access = loaders.access()
    if not found or not cl.can_write(access):
        return
    st.subheader(t("mt.progress", lang))
    with st.form("mt_progress", clear_on_submit=True):
        which = st.selectbox(
            t("mt.which", lang), [c.id for c in found],
            format_func={c.id: f"{c.id}. {c.text[:80]}" for c in found}.get,
        )  # fmt: skip
        c1, c2 = st.columns(2)
        status = c1.selectbox(
            t("cl.col.status", lang), cl.STATUSES, format_func=lambda s: status_label(s, lang)
        )
        on = c2.date_input(t("mt.on", lang), value=max(dt.date.today(), held), format="DD/MM/YYYY")
        note = st.text_input(t("mt.note", lang))
        if st.form_submit_button(t("mt.update", lang), type="primary"):
            chosen = next(c for c in found if c.id == which)
            try:
                cl.progress(
                    db, access, geo, which, user=user(lang), on=on, note=note,
                    status=None if status == chosen.status else status,
                )  # fmt: skip
            except cl.ConclusionError as exc:
                st.error(str(exc))
                return
            st.session_state[_FLASH] = t("mt.updated", lang, id=which)
            st.rerun()


def add_form(db: Engine, m: cl.Meeting, lang: str, geo) -> None:
    """Writers: a conclusion about no target: a unit of the meeting's area, a responsible body, a deadline."""
    access = loaders.access()
    units = [u for u in (m.unit_code, *geo.children(m.unit_code)) if access.allows(u, geo)]
    if not units or not cl.can_write(access):
        return
    with st.expander(t("mt.add", lang), icon=":material/add_task:"), st.form("mt_add", clear_on_submit=True):
        words = st.text_area(t("cl.text", lang), placeholder=t("cl.text_help", lang))
        c1, c2, c3 = st.columns([2, 2, 1])
        unit = c1.selectbox(t("cl.col.unit", lang), units, format_func=geo.name)
        responsible = c2.text_input(t("cl.responsible", lang))
        deadline = c3.date_input(
            t("cl.deadline", lang), value=m.held_on + dt.timedelta(days=DEFAULT_DAYS), format="DD/MM/YYYY"
        )
        if st.form_submit_button(t("cl.save", lang), type="primary"):
            try:
                made = cl.record(
                    db, access, geo, m, text=words, responsible=responsible, deadline=deadline,
                    unit_code=unit, user=user(lang),
                )  # fmt: skip
            except cl.ConclusionError as exc:
                st.error(str(exc))
                return
            st.session_state[_FLASH] = t("cl.saved", lang, id=made.id, meeting=m.title)
            st.rerun()


def edition_panel(db: Engine, f: filters.Filters, m: cl.Meeting) -> None:
    """The meeting's pack: freeze it (writers), make it again and compare byte for byte, download it."""
    lang, access = f.lang, loaders.access()
    st.subheader(t("mt.files", lang))
    saved = m.filters
    view_id = saved.get("view", m.snapshot_id)
    if parse_view_id(view_id)[0] not in loaders.catalogue(f.data_dir).valid:
        st.warning(t("mt.snapshot_gone", lang, snapshot=m.snapshot_id))
        return
    from dashboard import meeting as pack_module

    sections = tuple(saved.get("sections") or pack_module.SECTIONS)
    key = (
        f.data_dir,
        view_id,
        access,
        m.unit_code,
        m.year,
        m.grain,
        sections,
        m.period,
        saved.get("small_counts"),
    )
    if m.frozen_at is None:
        st.caption(t("mt.not_frozen", lang))
        if cl.can_write(access) and st.button(t("mt.freeze", lang), key="mt_freeze", icon=":material/lock:"):
            files = _files(db, m, key)
            cl.freeze(db, m.id, {n: frozen.sha256(d) for n, d in files.items()}, store.utcnow())
            st.rerun()
        return
    st.caption(t("mt.frozen_at", lang, at=f"{m.frozen_at:%d/%m/%Y %H:%M:%S}"))
    st.table(pl.DataFrame({"Tệp": list(m.digests), "SHA-256": list(m.digests.values())}))
    if st.button(t("mt.regenerate", lang), key="mt_regenerate", icon=":material/restart_alt:"):
        edition = frozen.Edition(_files(db, m, key), m.digests)
        if edition.identical:
            st.success(t("mt.identical", lang), icon=":material/verified:")
        else:
            st.error(t("mt.differs", lang, files=", ".join(edition.differing())))
        for i, (name, data) in enumerate(edition.files.items()):
            st.download_button(name, data, file_name=name, key=f"mt_dl_{i}", on_click="ignore")


@st.cache_resource(show_spinner=False, max_entries=4)
def _pack(folder, view_id, scope, unit, year, grain, sections, period, small_counts):
    """The pack of a meeting's own period (not the newest), cached like ``export.pack``."""
    from dashboard import meeting as pack_module

    return pack_module.build_pack(
        loaders.load(folder, view_id, scope), unit, year, grain, sections, lang="vi",
        small_counts=small_counts, period=period,
    )  # fmt: skip


@st.cache_resource(show_spinner=False, max_entries=2)
def _images(*key) -> dict:
    from dashboard import slides

    return slides.chart_images(_pack(*key))


def _files(db: Engine, m: cl.Meeting, key: tuple) -> dict[str, bytes]:
    pack = _pack(*key)
    images = _images(*key) if loaders.browser_probe().ok else None
    view = loaders.load(key[0], key[1], key[2])
    return frozen.meeting_files(db, loaders.access(), m, pack, view, images)
