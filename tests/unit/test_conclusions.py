"""Meetings and conclusions: the checks, scope on every read, the history, the follow-up."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
import sqlalchemy as sa

from dashboard import conclusions as cl
from dashboard import goals, store
from dashboard.access import DATA_MANAGER, SECRETARY, VIEWER, Access

NAM_TU_LIEM, BAC_TU_LIEM, HA_NOI = "019", "021", "01"
OCT, NOV = dt.date(2025, 10, 1), dt.date(2025, 11, 1)
HELD = dt.date(2025, 11, 5)
SECRETARY_NTL = Access(SECRETARY, (NAM_TU_LIEM,))


@pytest.fixture
def engine(tmp_path):
    return store.connect(store.database_url(tmp_path))


@pytest.fixture(scope="module")
def results(demo_snapshots, geography):
    """The judged 2025 targets of Nam Từ Liêm after October 2025 (the demo lags on its rehab quotas)."""
    snapshot = demo_snapshots["2025-12-31"]
    return goals.evaluate(
        snapshot.in_geography(geography), unit=NAM_TU_LIEM, year=2025, as_of=dt.date(2025, 10, 1)
    )


@pytest.fixture
def red(results):
    return next(r for r in results if r.status in (goals.NOT_MET, goals.AT_RISK))


def open_meeting(engine, geography, period=OCT, held=HELD, access=SECRETARY_NTL, unit=NAM_TU_LIEM):
    return cl.open_meeting(
        engine, access, geography, unit_code=unit, year=period.year, grain="month", period=period,
        period_label=f"Tháng {period:%m/%Y}", snapshot_id="2025-12-31", held_on=held, user="thu.ky",
    )  # fmt: skip


def count(engine, table) -> int:
    with store.read(engine) as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def test_a_meeting_is_opened_once_per_unit_and_period(engine, geography):
    first = open_meeting(engine, geography)
    again = open_meeting(engine, geography, held=dt.date(2025, 11, 20))
    assert again == first
    assert (first.unit_name, first.period_label, first.held_on) == ("Quận Nam Từ Liêm", "Tháng 10/2025", HELD)
    assert count(engine, store.meetings) == 1


def test_a_conclusion_keeps_its_target_then_and_who_recorded_it(engine, geography, red):
    meeting = open_meeting(engine, geography)
    made = cl.record(
        engine, SECRETARY_NTL, geography, meeting, text="  Công an quận chủ trì rà soát   5 xã ",
        responsible="Công an quận", deadline=dt.date(2025, 12, 15), target=red,
        target_as_of=dt.date(2025, 10, 1), user="thu.ky",
    )  # fmt: skip
    assert made.text == "Công an quận chủ trì rà soát 5 xã"
    assert (made.unit_code, made.metric, made.rule, made.target_year) == (
        NAM_TU_LIEM,
        red.metric,
        red.rule,
        2025,
    )
    assert made.then["actual"] == red.actual and made.then["target"] == red.target
    assert (
        made.then["status"] == red.status in (goals.NOT_MET, goals.AT_RISK)
        and made.then["snapshot_id"] == "2025-12-31"
    )
    assert made.status_vi == "chưa thực hiện"
    [event] = cl.history(engine, SECRETARY_NTL, geography, made.id)
    assert (event.kind, event.author, event.status) == (cl.CREATED, "thu.ky", cl.TODO)


BAD = [
    (dict(text="   "), "Nội dung kết luận không được để trống"),
    (dict(responsible=""), "Cần ghi cơ quan, đơn vị chủ trì"),
    (dict(deadline=dt.date(2025, 11, 4)), "Hạn hoàn thành 04/11/2025 trước ngày họp 05/11/2025"),
    (dict(unit_code=BAC_TU_LIEM), "Quận Bắc Từ Liêm (mã 021) ngoài phạm vi đơn vị của bạn"),
    (dict(communes=["00595"]), "không thuộc Quận Nam Từ Liêm"),
    (dict(access=Access(VIEWER, (NAM_TU_LIEM,))), "Chỉ người quản lý dữ liệu hoặc thư ký"),
]


@pytest.mark.parametrize("change,message", BAD)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_written(engine, geography, change, message):
    meeting = open_meeting(engine, geography)
    cl.record(engine, SECRETARY_NTL, geography, meeting, text="Việc đã có", responsible="UBND quận", user="a")
    before = (count(engine, store.conclusions), count(engine, store.events))
    args = dict(text="Rà soát", responsible="Công an quận", user="b") | change
    access = args.pop("access", SECRETARY_NTL)
    with pytest.raises(cl.ConclusionError, match=re.escape(message)):
        cl.record(engine, access, geography, meeting, **args)
    assert (count(engine, store.conclusions), count(engine, store.events)) == before
    [kept] = cl.list_conclusions(engine, SECRETARY_NTL, geography)
    assert kept.text == "Việc đã có"


def test_a_meeting_outside_the_writers_units_is_refused(engine, geography):
    with pytest.raises(cl.ConclusionError, match="Đơn vị của cuộc họp: Quận Bắc Từ Liêm"):
        open_meeting(engine, geography, unit=BAC_TU_LIEM)
    assert count(engine, store.meetings) == 0


def test_viewers_see_the_conclusions_of_their_units_only(engine, geography):
    hanoi = Access(DATA_MANAGER, (HA_NOI,))
    meeting = open_meeting(engine, geography, access=hanoi, unit=HA_NOI)
    ours = cl.record(
        engine, hanoi, geography, meeting, text="A", responsible="X", unit_code=NAM_TU_LIEM, user="a"
    )
    theirs = cl.record(
        engine, hanoi, geography, meeting, text="B", responsible="X", unit_code=BAC_TU_LIEM, user="a"
    )
    viewer = Access(VIEWER, (NAM_TU_LIEM,))
    assert [c.text for c in cl.list_conclusions(engine, viewer, geography)] == ["A"]
    assert [c.text for c in cl.list_conclusions(engine, hanoi, geography)] == ["A", "B"]
    assert cl.get(engine, viewer, geography, theirs.id) is None
    assert cl.history(engine, viewer, geography, theirs.id) == []
    assert cl.history(engine, viewer, geography, ours.id) != []
    # The province's meeting is listed for the district viewer (it holds their conclusion),
    # not for a viewer in another province.
    assert [m.id for m in cl.list_meetings(engine, viewer, geography)] == [meeting.id]
    assert cl.list_meetings(engine, Access(VIEWER, ("79",)), geography) == []
    with pytest.raises(cl.ConclusionError, match="Chỉ người quản lý dữ liệu hoặc thư ký"):
        cl.progress(engine, viewer, geography, ours.id, user="v", on=HELD, note="xem")


def test_progress_notes_and_status_changes_are_dated_history(engine, geography):
    meeting = open_meeting(engine, geography)
    made = cl.record(engine, SECRETARY_NTL, geography, meeting, text="Rà soát", responsible="CA", user="a")
    cl.progress(engine, SECRETARY_NTL, geography, made.id, user="b", on=dt.date(2025, 11, 20),
                note="Đã rà soát 3/5 xã", status=cl.DOING)  # fmt: skip
    done = cl.progress(
        engine, SECRETARY_NTL, geography, made.id, user="c", on=dt.date(2025, 12, 5), status=cl.DONE
    )
    assert (done.status, done.updated_by, done.is_open) == (cl.DONE, "c", False)
    steps = [
        (e.kind, e.author, e.status, e.note, e.note_date)
        for e in cl.history(engine, SECRETARY_NTL, geography, made.id)
    ]
    assert steps == [
        (cl.CREATED, "a", cl.TODO, "Rà soát", HELD),
        (cl.PROGRESS, "b", cl.DOING, "Đã rà soát 3/5 xã", dt.date(2025, 11, 20)),
        (cl.PROGRESS, "c", cl.DONE, None, dt.date(2025, 12, 5)),
    ]
    with pytest.raises(cl.ConclusionError, match="Cần ghi nội dung tiến độ"):
        cl.progress(engine, SECRETARY_NTL, geography, made.id, user="c", on=dt.date(2025, 12, 6))
    with pytest.raises(cl.ConclusionError, match="trước ngày họp 05/11/2025"):
        cl.progress(engine, SECRETARY_NTL, geography, made.id, user="c", on=dt.date(2025, 11, 1), note="x")


def test_a_target_missing_from_a_newer_snapshot_is_kept_and_marked(engine, geography, red, results):
    meeting = open_meeting(engine, geography)
    made = cl.record(
        engine, SECRETARY_NTL, geography, meeting, text="Rà soát", responsible="CA", target=red, user="a"
    )
    others = [r for r in results if cl.target_key(r) != cl.target_key(red)]
    assert cl.mark_missing(engine, [made], others, "2026-10-31") == [made.id]
    assert cl.mark_missing(engine, cl.list_conclusions(engine, SECRETARY_NTL, geography), others, "x") == []
    kept = cl.get(engine, SECRETARY_NTL, geography, made.id)
    assert (kept.text, kept.missing_since, kept.then["actual"]) == ("Rà soát", "2026-10-31", red.actual)
    assert cl.history(engine, SECRETARY_NTL, geography, made.id)[-1].kind == cl.MARKED_MISSING


def test_follow_up_from_a_crafted_history(engine, geography, red, results):
    """October's meeting: two tasks on a red target and one closed before November's meeting…"""
    september = open_meeting(engine, geography, period=dt.date(2025, 9, 1), held=dt.date(2025, 10, 3))
    old = cl.record(engine, SECRETARY_NTL, geography, september, text="Việc cũ", responsible="CA", user="a")
    cl.progress(engine, SECRETARY_NTL, geography, old.id, user="a", on=dt.date(2025, 10, 20), status=cl.DONE)
    october = open_meeting(engine, geography, period=OCT, held=HELD)
    first = cl.record(
        engine, SECRETARY_NTL, geography, october, text="Rà soát 5 xã", responsible="Công an quận",
        deadline=dt.date(2025, 11, 30), target=red, user="a",
    )  # fmt: skip
    second = cl.record(
        engine, SECRETARY_NTL, geography, october, text="Bổ sung hồ sơ", responsible="Phòng LĐTBXH",
        deadline=dt.date(2025, 12, 20), target=red, user="a",
    )  # fmt: skip
    cl.progress(
        engine, SECRETARY_NTL, geography, second.id, user="b", on=dt.date(2025, 12, 1), status=cl.DONE
    )
    now = [dataclasses.replace(r, actual=(r.actual or 0) + 5) for r in results]
    items = cl.follow_up(
        engine,
        SECRETARY_NTL,
        geography,
        unit_code=NAM_TU_LIEM,
        period=NOV,
        on=dt.date(2025, 12, 5),
        results=now,
    )
    # "Việc cũ" was closed before October's meeting, reported then: not brought back.
    assert [(i.conclusion.text, i.overdue, i.missing) for i in items] == [
        ("Rà soát 5 xã", True, False),
        ("Bổ sung hồ sơ", False, False),
    ]
    assert items[0].then["actual"] == red.actual
    assert items[0].now.actual == red.actual + 5
    assert items[0].meeting.id == october.id == items[1].meeting.id
    # A province meeting reviews its districts' conclusions; another district's does not. The
    # province has held no meeting since September's, so the task closed in October is news to it.
    assert (
        cl.follow_up(engine, Access(), geography, unit_code=BAC_TU_LIEM, period=NOV, on=HELD, results=now)
        == []
    )
    province = cl.follow_up(engine, Access(), geography, unit_code=HA_NOI, period=NOV, on=HELD, results=now)
    assert [i.conclusion.text for i in province] == ["Việc cũ", "Rà soát 5 xã", "Bổ sung hồ sơ"]
    # A viewer of another district is shown none of it.
    other = Access(VIEWER, (BAC_TU_LIEM,))
    assert cl.follow_up(engine, other, geography, unit_code=HA_NOI, period=NOV, on=HELD, results=now) == []
    # Without the target in the new figures: kept and marked missing.
    [gone, _] = cl.follow_up(
        engine, SECRETARY_NTL, geography, unit_code=NAM_TU_LIEM, period=NOV, on=HELD, results=[]
    )
    assert (gone.now, gone.missing, gone.overdue) == (None, True, False)
    assert first.id == gone.conclusion.id
