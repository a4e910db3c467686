"""Meetings and their conclusions: who may record what, the checks, the history, and the follow-up.

A meeting is one unit's *giao ban* for one period (the meeting pack's unit, grain and period, and
the snapshot it showed). Its conclusions are the tasks the chair assigned: the text, the target
(or indicator, unit and communes) it answers, the responsible body, a deadline and a status with
dated progress notes. Every change is a row of history (who, when, what).

Scope follows the figures: a user sees the conclusions about units they may see; only the roles
in ``WRITER_ROLES`` write, and only about their units. Every check runs before the write
transaction starts, so bad input is refused with a Vietnamese message and nothing is changed.
Plain Python (no Streamlit); storage is ``store.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from dashboard import store
from dashboard.access import DATA_MANAGER, SECRETARY, Access
from dashboard.formatting import fmt_date, period_in_sentence
from dashboard.geography import Geography
from dashboard.goals import TargetResult

# Status ids, in the order a task goes through them; the words are the committees' own.
TODO, DOING, DONE, CANCELLED = "todo", "doing", "done", "cancelled"
STATUSES: tuple[str, ...] = (TODO, DOING, DONE, CANCELLED)
STATUS_VI: dict[str, str] = {
    TODO: "chưa thực hiện",
    DOING: "đang thực hiện",
    DONE: "đã hoàn thành",
    CANCELLED: "hủy",
}
OPEN: frozenset[str] = frozenset({TODO, DOING})
WRITER_ROLES: frozenset[str] = frozenset({DATA_MANAGER, SECRETARY})

# Kinds of history rows.
CREATED, PROGRESS, MARKED_MISSING = "created", "progress", "missing"

# Figures kept with a conclusion, as the target stood when it was recorded.
THEN_FIELDS: tuple[str, ...] = (
    "unit_name",
    "year",
    "metric_label",
    "rule_label",
    "target",
    "previous",
    "actual",
    "achievement_pct",
    "change_pct",
    "status",
    "partial",
    "months_elapsed",
)


class ConclusionError(ValueError):
    """Input refused; the message says what and where, in Vietnamese. Nothing was written."""


@dataclass(frozen=True)
class Meeting:
    id: int
    unit_code: str
    unit_name: str
    year: int
    grain: str
    period: dt.date
    period_label: str
    snapshot_id: str
    filters: dict
    held_on: dt.date
    created_by: str
    created_at: dt.datetime
    files: dict = field(default_factory=dict)  # {"at": ISO time, "sha256": {file name: digest}}

    @property
    def frozen_at(self) -> dt.datetime | None:
        """When the meeting's pack was frozen (its files' digests kept), else None."""
        at = self.files.get("at")
        return dt.datetime.fromisoformat(at) if at else None

    @property
    def digests(self) -> dict[str, str]:
        return dict(self.files.get("sha256", {}))

    @property
    def title(self) -> str:
        """ "Giao ban 9 tháng 2022 — Quận Nam Từ Liêm (họp ngày 15/10/2022)"."""
        period = period_in_sentence(self.period_label)
        return f"Giao ban {period} — {self.unit_name} (họp ngày {fmt_date(self.held_on)})"


@dataclass(frozen=True)
class Conclusion:
    id: int
    meeting_id: int
    text: str
    unit_code: str
    metric: str | None
    rule: str | None
    target_year: int | None
    communes: tuple[str, ...]
    responsible: str
    deadline: dt.date | None
    status: str
    then: dict
    created_by: str
    created_at: dt.datetime
    updated_by: str
    updated_at: dt.datetime
    missing_since: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def status_vi(self) -> str:
        return STATUS_VI[self.status]

    def overdue(self, on: dt.date) -> bool:
        """Still open after its deadline."""
        return self.is_open and self.deadline is not None and on > self.deadline

    def concerns(self, result: TargetResult) -> bool:
        """Whether this conclusion answers ``result`` (same unit, metric and rule; any year)."""
        return (self.unit_code, self.metric, self.rule) == (result.unit_code, result.metric, result.rule)


@dataclass(frozen=True)
class Event:
    id: int
    conclusion_id: int
    changed_at: dt.datetime  # UTC
    author: str
    kind: str
    status: str | None
    note: str | None
    note_date: dt.date | None


def target_key(result: TargetResult) -> tuple[str, str, str]:
    return (result.unit_code, result.metric, result.rule)


def then_figures(result: TargetResult, snapshot_id: str, as_of: dt.date | None) -> dict:
    """What is kept of a target when a conclusion about it is recorded (shown as 'then' later)."""
    kept = {name: getattr(result, name) for name in THEN_FIELDS}
    kept["snapshot_id"] = snapshot_id
    kept["as_of"] = as_of.isoformat() if as_of else None
    return kept


# --------------------------------------------------------------------------- checks


def can_write(access: Access) -> bool:
    return access.role in WRITER_ROLES


def _check_writer(access: Access, code: str, geography: Geography, what: str) -> None:
    if not can_write(access):
        raise ConclusionError("Chỉ người quản lý dữ liệu hoặc thư ký được ghi cuộc họp và kết luận.")
    if not access.allows(code, geography):
        raise ConclusionError(
            f"{what}: {geography.name(code) if geography.has(code) else code} (mã {code}) "
            "ngoài phạm vi đơn vị của bạn; không ghi được."
        )


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


# --------------------------------------------------------------------------- meetings


def _meeting(row) -> Meeting:
    return Meeting(
        id=row.id,
        unit_code=row.unit_code,
        unit_name=row.unit_name,
        year=row.year,
        grain=row.grain,
        period=row.period,
        period_label=row.period_label,
        snapshot_id=row.snapshot_id,
        filters=json.loads(row.filters),
        held_on=row.held_on,
        created_by=row.created_by,
        created_at=row.created_at,
        files=json.loads(row.files or "{}"),
    )


def open_meeting(
    engine: Engine,
    access: Access,
    geography: Geography,
    *,
    unit_code: str,
    year: int,
    grain: str,
    period: dt.date,
    period_label: str,
    snapshot_id: str,
    held_on: dt.date,
    user: str,
    filters: dict | None = None,
) -> Meeting:
    """The meeting of ``unit_code`` for the period, created on first opening (one per unit and period).

    A meeting keeps the snapshot and filters it was opened with: opening it again returns it as
    it was, so its pack stays the one the meeting saw.
    """
    if not geography.has(unit_code):
        raise ConclusionError(f"Không có đơn vị mã {unit_code!r}.")
    _check_writer(access, unit_code, geography, "Đơn vị của cuộc họp")
    found = find_meeting(engine, unit_code, grain, period)
    if found is not None:
        return found
    values = dict(
        unit_code=unit_code,
        unit_name=geography.name(unit_code),
        year=year,
        grain=grain,
        period=period,
        period_label=period_label,
        snapshot_id=snapshot_id,
        filters=json.dumps(filters or {}, ensure_ascii=False, sort_keys=True),
        held_on=held_on,
        created_by=user,
        created_at=store.utcnow(),
        files="{}",
    )
    try:
        with store.write(engine) as conn:
            conn.execute(sa.insert(store.meetings).values(**values))
    except sa.exc.IntegrityError:
        pass  # another process opened the same meeting first: it is the one
    return find_meeting(engine, unit_code, grain, period)


def find_meeting(engine: Engine, unit_code: str, grain: str, period: dt.date) -> Meeting | None:
    m = store.meetings
    query = sa.select(m).where((m.c.unit_code == unit_code) & (m.c.grain == grain) & (m.c.period == period))
    with store.read(engine) as conn:
        row = conn.execute(query).first()
    return _meeting(row) if row else None


def get_meeting(engine: Engine, access: Access, geography: Geography, meeting_id: int) -> Meeting | None:
    """A meeting the user may see (its unit, or a unit below it that is theirs), else None."""
    with store.read(engine) as conn:
        row = conn.execute(sa.select(store.meetings).where(store.meetings.c.id == meeting_id)).first()
    if row is None or not _sees(access, row.unit_code, geography):
        return None
    return _meeting(row)


def list_meetings(
    engine: Engine,
    access: Access,
    geography: Geography,
    *,
    geography_of: Callable[[Meeting], Geography] | None = None,
) -> list[Meeting]:
    """The meetings the user may see, newest period first.

    ``geography_of`` gives each meeting the unit tree of the structure it was held in (a meeting
    in the 2025 units among meetings in the old ones); by default ``geography`` for all.
    """
    m = store.meetings
    with store.read(engine) as conn:
        rows = conn.execute(sa.select(m).order_by(m.c.period.desc(), m.c.id.desc())).all()
    found = [_meeting(r) for r in rows]
    return [x for x in found if _sees(access, x.unit_code, geography_of(x) if geography_of else geography)]


def _sees(access: Access, code: str, geography: Geography) -> bool:
    """``access.touches``, refusing (not failing on) a unit or a user's unit of another structure."""
    try:
        return access.touches(code, geography)
    except KeyError:
        return False


def _within(code: str, unit: str, geography: Geography) -> bool:
    """``code`` is ``unit`` or below it (False for a code of another structure)."""
    return code == unit or (geography.has(code) and unit in geography.ancestors(code))


def freeze(engine: Engine, meeting_id: int, digests: dict[str, str], at: dt.datetime) -> dict:
    """Keep the SHA-256 of the meeting's pack files and the time they stand at, once; return what is kept.

    The first freeze wins (a second writer's is ignored): a later regeneration is compared with
    it (``frozen.regenerate``), never written over it.
    """
    with store.write(engine) as conn:
        current = conn.execute(sa.select(store.meetings.c.files).where(store.meetings.c.id == meeting_id))
        kept = json.loads(current.scalar_one() or "{}")
        if not kept.get("sha256"):
            kept = {"at": at.isoformat(), "sha256": dict(sorted(digests.items()))}
            conn.execute(
                sa.update(store.meetings)
                .where(store.meetings.c.id == meeting_id)
                .values(files=json.dumps(kept, sort_keys=True))
            )
    return kept


# --------------------------------------------------------------------------- conclusions


def _conclusion(row) -> Conclusion:
    return Conclusion(
        id=row.id,
        meeting_id=row.meeting_id,
        text=row.text,
        unit_code=row.unit_code,
        metric=row.metric,
        rule=row.rule,
        target_year=row.target_year,
        communes=tuple(json.loads(row.communes)),
        responsible=row.responsible,
        deadline=row.deadline,
        status=row.status,
        then=json.loads(row.figures_then),
        created_by=row.created_by,
        created_at=row.created_at,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
        missing_since=row.missing_since,
    )


def record(
    engine: Engine,
    access: Access,
    geography: Geography,
    meeting: Meeting,
    *,
    text: str,
    responsible: str,
    user: str,
    deadline: dt.date | None = None,
    unit_code: str | None = None,
    target: TargetResult | None = None,
    target_as_of: dt.date | None = None,
    communes: Sequence[str] = (),
    status: str = TODO,
) -> Conclusion:
    """Record a conclusion of ``meeting`` (about ``target`` when given) and its first history row."""
    text, responsible = _clean(text), _clean(responsible)
    unit_code = target.unit_code if target is not None else (unit_code or meeting.unit_code)
    problems = []
    if not text:
        problems.append("Nội dung kết luận không được để trống.")
    if not responsible:
        problems.append("Cần ghi cơ quan, đơn vị chủ trì thực hiện.")
    if deadline is not None and deadline < meeting.held_on:
        problems.append(
            f"Hạn hoàn thành {fmt_date(deadline)} trước ngày họp {fmt_date(meeting.held_on)}; "
            "hãy chọn một ngày từ ngày họp trở đi."
        )
    if status not in STATUSES:
        problems.append(f"Trạng thái không hợp lệ: {status!r}.")
    if not geography.has(unit_code):
        problems.append(f"Không có đơn vị mã {unit_code!r}.")
    if problems:
        raise ConclusionError(" ".join(problems))
    _check_writer(access, unit_code, geography, "Đơn vị của kết luận")
    for commune in communes:
        if not geography.has(commune) or unit_code not in (commune, *geography.ancestors(commune)):
            raise ConclusionError(
                f"Xã, phường mã {commune} không thuộc {geography.name(unit_code)}; không ghi được."
            )
        _check_writer(access, commune, geography, "Xã, phường của kết luận")
    now = store.utcnow()
    then = then_figures(target, meeting.snapshot_id, target_as_of) if target is not None else {}
    with store.write(engine) as conn:
        new_id = conn.execute(
            sa.insert(store.conclusions).values(
                meeting_id=meeting.id,
                text=text,
                unit_code=unit_code,
                metric=target.metric if target is not None else None,
                rule=target.rule if target is not None else None,
                target_year=target.year if target is not None else None,
                communes=json.dumps(list(communes)),
                responsible=responsible,
                deadline=deadline,
                status=status,
                figures_then=json.dumps(then, ensure_ascii=False, sort_keys=True),
                created_by=user,
                created_at=now,
                updated_by=user,
                updated_at=now,
            )
        ).inserted_primary_key[0]
        conn.execute(
            sa.insert(store.events).values(
                conclusion_id=new_id, changed_at=now, author=user, kind=CREATED, status=status, note=text,
                note_date=meeting.held_on,
            )
        )  # fmt: skip
    return get(engine, access, geography, new_id)


def progress(
    engine: Engine,
    access: Access,
    geography: Geography,
    conclusion_id: int,
    *,
    user: str,
    on: dt.date,
    note: str = "",
    status: str | None = None,
) -> Conclusion:
    """A dated progress note and/or a new status; both land in the history with who and when."""
    found = get(engine, access, geography, conclusion_id)
    if found is None:
        raise ConclusionError(f"Không có kết luận số {conclusion_id} trong phạm vi của bạn.")
    _check_writer(access, found.unit_code, geography, "Đơn vị của kết luận")
    note = _clean(note)
    if status is not None and status not in STATUSES:
        raise ConclusionError(f"Trạng thái không hợp lệ: {status!r}.")
    if not note and (status is None or status == found.status):
        raise ConclusionError("Cần ghi nội dung tiến độ hoặc chọn trạng thái mới.")
    meeting = get_meeting(engine, access, geography, found.meeting_id)
    if meeting is not None and on < meeting.held_on:
        raise ConclusionError(
            f"Ngày {fmt_date(on)} trước ngày họp {fmt_date(meeting.held_on)} đã ra kết luận này."
        )
    now = store.utcnow()
    with store.write(engine) as conn:
        changes = dict(updated_by=user, updated_at=now)
        if status is not None:
            changes["status"] = status
        conn.execute(
            sa.update(store.conclusions).where(store.conclusions.c.id == conclusion_id).values(changes)
        )
        conn.execute(
            sa.insert(store.events).values(
                conclusion_id=conclusion_id, changed_at=now, author=user, kind=PROGRESS, status=status,
                note=note or None, note_date=on,
            )
        )  # fmt: skip
    return get(engine, access, geography, conclusion_id)


def get(engine: Engine, access: Access, geography: Geography, conclusion_id: int) -> Conclusion | None:
    """One conclusion, if the user may see its unit."""
    with store.read(engine) as conn:
        row = conn.execute(
            sa.select(store.conclusions).where(store.conclusions.c.id == conclusion_id)
        ).first()
    if row is None or not access.allows(row.unit_code, geography):
        return None
    return _conclusion(row)


def list_conclusions(
    engine: Engine,
    access: Access,
    geography: Geography,
    *,
    meeting_id: int | None = None,
    units: Iterable[str] | None = None,
    at: dt.datetime | None = None,
) -> list[Conclusion]:
    """The conclusions the user may see (of one meeting, or about some units), oldest first.

    With ``at`` (UTC): as they stood then — those recorded by then, each with its status then
    (how a frozen meeting pack is made again).
    """
    c = store.conclusions
    query = sa.select(c).order_by(c.c.id)
    if meeting_id is not None:
        query = query.where(c.c.meeting_id == meeting_id)
    if units is not None:
        query = query.where(c.c.unit_code.in_(list(units)))
    if at is not None:
        query = query.where(c.c.created_at <= at)
    with store.read(engine) as conn:
        rows = conn.execute(query).all()
        found = [_conclusion(r) for r in rows if access.allows(r.unit_code, geography)]
        if at is None:
            return found
        e = store.events
        steps = conn.execute(
            sa.select(e.c.conclusion_id, e.c.status)
            .where(e.c.status.is_not(None) & (e.c.changed_at <= at))
            .order_by(e.c.changed_at, e.c.id)
        ).all()
    status_then = dict(steps)  # the last status each reached by then
    return [dataclasses.replace(x, status=status_then.get(x.id, x.status), missing_since=None) for x in found]


def history(engine: Engine, access: Access, geography: Geography, conclusion_id: int) -> list[Event]:
    """Every change to a conclusion the user may see, oldest first (empty when out of scope)."""
    if get(engine, access, geography, conclusion_id) is None:
        return []
    e = store.events
    with store.read(engine) as conn:
        rows = conn.execute(
            sa.select(e).where(e.c.conclusion_id == conclusion_id).order_by(e.c.changed_at, e.c.id)
        ).all()
    return [
        Event(r.id, r.conclusion_id, r.changed_at, r.author, r.kind, r.status, r.note, r.note_date)
        for r in rows
    ]


def for_target(conclusions: Iterable[Conclusion], result: TargetResult) -> list[Conclusion]:
    """The conclusions that answer a judged target (any year), in the order given."""
    return [c for c in conclusions if c.concerns(result)]


def mark_missing(
    engine: Engine, conclusions: Iterable[Conclusion], results: Sequence[TargetResult], snapshot_id: str
) -> list[int]:
    """Mark the target conclusions whose target is no longer in ``results`` (a newer snapshot).

    The conclusion and its history are kept; the mark says from which snapshot the target was
    missing. Returns the ids newly marked.
    """
    present = {target_key(r) for r in results}
    missing = [
        c.id
        for c in conclusions
        if c.metric is not None and c.missing_since is None and (c.unit_code, c.metric, c.rule) not in present
    ]
    if missing:
        now = store.utcnow()
        with store.write(engine) as conn:
            conn.execute(
                sa.update(store.conclusions)
                .where(store.conclusions.c.id.in_(missing) & store.conclusions.c.missing_since.is_(None))
                .values(missing_since=snapshot_id)
            )
            conn.execute(
                sa.insert(store.events),
                [
                    dict(
                        conclusion_id=i,
                        changed_at=now,
                        author="hệ thống",
                        kind=MARKED_MISSING,
                        note=f"Chỉ tiêu không còn trong bộ số liệu {snapshot_id}",
                    )
                    for i in missing
                ],  # fmt: skip
            )
    return missing


# --------------------------------------------------------------------------- follow-up


@dataclass(frozen=True)
class FollowUpItem:
    """One conclusion brought back at a later meeting, with its target then and now."""

    conclusion: Conclusion
    meeting: Meeting
    now: TargetResult | None
    overdue: bool
    missing: bool  # it answers a target the new snapshot no longer has

    @property
    def then(self) -> dict:
        return self.conclusion.then


def follow_up(
    engine: Engine,
    access: Access,
    geography: Geography,
    *,
    unit_code: str,
    period: dt.date,
    on: dt.date,
    results: Sequence[TargetResult],
    at: dt.datetime | None = None,
) -> list[FollowUpItem]:
    """What the meeting of ``unit_code`` for ``period`` (held ``on``) reviews first.

    Each conclusion about the unit or a unit below it, made at an earlier meeting (of this unit,
    or of a unit above that assigned it the task), that is still open or was closed (done or
    cancelled) after the unit's last earlier meeting was held (after its own meeting, when the
    unit has had none since); with the target now (from ``results``, the new pack's judged
    targets), overdue ones marked. ``at``: as the conclusions stood then (see ``list_conclusions``).
    """
    earlier = {m.id: m for m in list_meetings(engine, access, geography) if m.period < period}
    if not earlier:
        return []
    own = [m.held_on for m in earlier.values() if m.unit_code == unit_code]
    last_own = max(own) if own else None
    found = [
        c
        for c in list_conclusions(engine, access, geography, at=at)
        if c.meeting_id in earlier
        and (c.unit_code == unit_code or unit_code in geography.ancestors(c.unit_code))
    ]
    closed_on = _closed_dates(engine, [c.id for c in found], at)
    now_by_key = {}
    for r in results:
        now_by_key.setdefault(target_key(r), r)
    items = []
    for c in found:
        meeting = earlier[c.meeting_id]
        closed = closed_on.get(c.id)
        if not c.is_open and (closed is None or closed < (last_own or meeting.held_on)):
            continue
        now = now_by_key.get((c.unit_code, c.metric, c.rule)) if c.metric else None
        items.append(
            FollowUpItem(c, meeting, now, c.overdue(on), missing=c.metric is not None and now is None)
        )
    return items


def _closed_dates(engine: Engine, ids: Sequence[int], at: dt.datetime | None) -> dict[int, dt.date]:
    """When each conclusion last reached done or cancelled (the note's date), as recorded by ``at``."""
    if not ids:
        return {}
    e = store.events
    where = e.c.conclusion_id.in_(list(ids)) & e.c.status.in_([DONE, CANCELLED])
    if at is not None:
        where &= e.c.changed_at <= at
    query = sa.select(e.c.conclusion_id, sa.func.max(e.c.note_date)).where(where).group_by(e.c.conclusion_id)
    with store.read(engine) as conn:
        return dict(conn.execute(query).all())
