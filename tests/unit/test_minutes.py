"""The next pack opens with the follow-up; the report ends with the notice; a past pack is made again."""

from __future__ import annotations

import datetime as dt
import io
import time

import docx
import pytest
from pptx import Presentation

from dashboard import conclusions as cl
from dashboard import frozen, goals, meeting, minutes, report, slides, store
from dashboard.access import SECRETARY, Access

NAM_TU_LIEM = "019"
WRITER = Access(SECRETARY, (NAM_TU_LIEM,))


@pytest.fixture(scope="module")
def snapshot(demo_snapshots):
    return demo_snapshots["2025-12-31"]


@pytest.fixture(scope="module")
def pack(snapshot, geography):
    """December 2025's pack of Nam Từ Liêm (the newest complete month of the snapshot)."""
    return meeting.build_pack(
        snapshot.in_geography(geography), NAM_TU_LIEM, 2025, "month", ("rehab", "goals")
    )


@pytest.fixture
def history(tmp_path, snapshot, geography, pack):
    """October's meeting recorded two conclusions on a lagging target; one was done in November."""
    engine = store.connect(store.database_url(tmp_path))
    october = dt.date(2025, 10, 1)
    results = goals.evaluate(snapshot.in_geography(geography), unit=NAM_TU_LIEM, year=2025, as_of=october)
    red = next(r for r in results if r.status in (goals.NOT_MET, goals.AT_RISK))
    first = cl.open_meeting(
        engine, WRITER, geography, unit_code=NAM_TU_LIEM, year=2025, grain="month", period=october,
        period_label="Tháng 10/2025", snapshot_id=snapshot.snapshot_id, held_on=dt.date(2025, 11, 5),
        user="thu.ky",
    )  # fmt: skip
    made = [
        cl.record(
            engine,
            WRITER,
            geography,
            first,
            text=text,
            responsible=who,
            deadline=deadline,
            target=red,
            target_as_of=october,
            user="thu.ky",
        )  # fmt: skip
        for text, who, deadline in (
            (
                "Rà soát, lập hồ sơ đưa người nghiện đi cai nghiện bắt buộc",
                "Công an quận",
                dt.date(2025, 11, 30),
            ),
            ("Bổ sung cán bộ tư vấn cai nghiện", "Phòng Văn hóa - Xã hội", dt.date(2026, 1, 15)),
        )
    ]
    cl.progress(engine, WRITER, geography, made[1].id, user="thu.ky", on=dt.date(2025, 12, 2), status=cl.DONE,
                note="Đã bổ sung 2 cán bộ")  # fmt: skip
    december = cl.open_meeting(
        engine, WRITER, geography, unit_code=NAM_TU_LIEM, year=2025, grain="month", period=pack.period,
        period_label=pack.period_label, snapshot_id=snapshot.snapshot_id, held_on=dt.date(2026, 1, 6),
        user="thu.ky",
    )  # fmt: skip
    return engine, red, made, december


def deck_text(data: bytes) -> list[str]:
    prs = Presentation(io.BytesIO(data))
    return [
        "\n".join(
            [s.text_frame.text for s in slide.shapes if s.has_text_frame]
            + [c.text for s in slide.shapes if s.has_table for row in s.table.rows for c in row.cells]
        )
        for slide in prs.slides
    ]


def test_the_next_deck_and_report_open_with_both_conclusions_then_and_now(history, snapshot, geography, pack):
    engine, red, made, december = history
    files = frozen.meeting_files(engine, WRITER, december, pack, snapshot.in_geography(geography))
    now = next(r for r in pack.goals if cl.target_key(r) == cl.target_key(red))
    then_words = minutes.figures_text(made[0].then, red.metric, red.rule)
    now_words = minutes.figures_text(now, red.metric, red.rule)
    assert then_words.startswith(f"{red.actual}/{red.target:g}") and "(10 tháng 2025)" in then_words
    assert now_words.startswith(f"{now.actual}/{now.target:g}") and now_words != then_words

    shown = deck_text(files[slides.slides_file_name(pack)])
    follow = shown[1]  # right after the title slide
    assert minutes.FOLLOW_UP_TITLE in follow
    assert "Rà soát, lập hồ sơ đưa người nghiện" in follow and "Bổ sung cán bộ tư vấn" in follow
    assert "chưa thực hiện (quá hạn)" in follow  # due 30/11/2025, open at the meeting of 06/01/2026
    assert "đã hoàn thành" in follow and then_words in follow and now_words in follow

    document = docx.Document(io.BytesIO(files[frozen.report_name(pack)]))
    texts = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[1] == minutes.FOLLOW_UP_TITLE  # before the report's own sections
    assert "2 kết luận: 1 đã đóng (hoàn thành hoặc hủy), 1 chưa xong (1 quá hạn)." in texts
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "chưa thực hiện (quá hạn)" in cells and now_words in cells
    # December's meeting has no conclusions of its own yet: no notice.
    assert minutes.NOTICE_TITLE.upper() not in headings


def test_the_notice_in_the_committees_wording(history, snapshot, geography, pack):
    engine, red, made, december = history
    cl.record(
        engine, WRITER, geography, december, text="Tổ chức ra quân cao điểm", responsible="Công an quận",
        deadline=dt.date(2026, 2, 15), user="thu.ky",
    )  # fmt: skip
    files = frozen.meeting_files(engine, WRITER, december, pack, snapshot.in_geography(geography))
    texts = [p.text for p in docx.Document(io.BytesIO(files[frozen.report_name(pack)])).paragraphs]
    start = texts.index(minutes.NOTICE_TITLE.upper())
    assert texts[start + 1].startswith(
        "Ngày 06/01/2026, Ban chỉ đạo phòng, chống tội phạm, tệ nạn ma túy, mại dâm và HIV/AIDS"
        " quận Nam Từ Liêm tổ chức họp giao ban"
    )
    assert texts[start + 2] == (
        "1. Giao Công an quận chủ trì, phối hợp các cơ quan, đơn vị liên quan: Tổ chức ra quân cao điểm;"
        " báo cáo kết quả trước ngày 15/02/2026."
    )
    assert texts[start + 3].endswith("thông báo để các cơ quan, đơn vị biết, tổ chức thực hiện./.")


def test_a_frozen_meeting_pack_is_made_again_byte_for_byte(history, snapshot, geography, pack):
    engine, red, made, december = history
    cl.record(engine, WRITER, geography, december, text="Ra quân", responsible="Công an quận", user="thu.ky")
    first = frozen.meeting_files(engine, WRITER, december, pack, snapshot.in_geography(geography))
    at = store.utcnow()
    kept = cl.freeze(engine, december.id, {n: frozen.sha256(d) for n, d in first.items()}, at)
    december = cl.get_meeting(engine, WRITER, geography, december.id)
    assert december.frozen_at == at and december.digests == kept["sha256"]
    # Later: a second past the zip's clock, a status changed, a new conclusion, a fresh pack object.
    time.sleep(1.1)
    cl.progress(
        engine, WRITER, geography, made[0].id, user="thu.ky", on=dt.date(2026, 1, 20), status=cl.DOING,
        note="Đã lập 3 hồ sơ",
    )  # fmt: skip
    cl.record(engine, WRITER, geography, december, text="Việc sau", responsible="UBND quận", user="thu.ky")
    again_pack = meeting.build_pack(
        snapshot.in_geography(geography), NAM_TU_LIEM, 2025, "month", ("rehab", "goals")
    )
    edition = frozen.Edition(
        frozen.meeting_files(engine, WRITER, december, again_pack, snapshot.in_geography(geography)),
        december.digests,
    )
    assert edition.identical and edition.differing() == []
    assert edition.files == first
    # Made as of now instead, the changes show: the files differ, and the check says which.
    now = frozen.Edition(
        frozen.meeting_files(
            engine, WRITER, december, again_pack, snapshot.in_geography(geography), at=store.utcnow()
        ),
        december.digests,
    )
    assert not now.identical and sorted(now.differing()) == sorted(first)


def test_stable_zip_fixes_the_times_and_keeps_the_content(pack):
    data = slides.build_slides(pack)
    import zipfile

    members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert {m.date_time for m in members} == {frozen.FIXED_TIME}
    assert members[0].filename == "[Content_Types].xml"
    assert frozen.stable_zip(data) == data
    assert len(Presentation(io.BytesIO(data)).slides) == len(meeting.slide_order(pack))
    assert report.report_docx(pack) == report.report_docx(pack)


def test_the_map_image_does_not_depend_on_what_else_the_process_imported(snapshot, geography):
    # Importing Streamlit changes plotly's default template; the pack's map names its own, so a
    # meeting's pack made in the app and on the command line is the same.
    import plotly.io as pio

    from dashboard import charts

    pack = meeting.build_pack(snapshot.in_geography(geography), NAM_TU_LIEM, 2025, "month", ("map",))
    assert pack.chart("map.status").figure.layout.template == pio.templates[charts.TEMPLATE_NAME]
