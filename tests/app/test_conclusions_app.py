"""AppTest with sign-in: conclusions are scoped like figures on every page reading them; writers alone write.

A Hà Nội data manager's meeting assigned one task to Quận Nam Từ Liêm and one to Quận Hoàng Mai.
The Hoàng Mai viewer sees theirs only and cannot write; the Nam Từ Liêm secretary sees and updates
theirs. The data folder links the demo snapshots and holds its own meetings database.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import conclusions as cl
from dashboard import goals, store
from dashboard.access import ACCESS_FILE_ENV, DATA_MANAGER, Access
from dashboard.i18n import t
from dashboard.snapshot import load_snapshot

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "ui" / "app.py"
TIMEOUT = 120
VIEWER, SECRETARY, MANAGER = "hoangmai@example.vn", "thuky.ntl@example.vn", "hanoi@example.vn"
HOANG_MAI, NAM_TU_LIEM, HA_NOI = "008", "019", "01"
OURS, THEIRS = "Việc giao Quận Hoàng Mai", "Việc giao Quận Nam Từ Liêm"

ACCESS_TOML = f"""
mode = "oidc"

[users."{VIEWER}"]
role = "viewer"
units = ["{HOANG_MAI}"]

[users."{SECRETARY}"]
role = "secretary"
units = ["{NAM_TU_LIEM}"]

[users."{MANAGER}"]
role = "data_manager"
units = ["{HA_NOI}"]
"""
VIEW = {"snapshot": "2025-12-31", "grain": "Tháng", "years": ["2015", "2025"]}


@pytest.fixture
def data(demo_dir: Path, geography, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "snapshots").symlink_to(demo_dir / "snapshots", target_is_directory=True)
    (tmp_path / "access.toml").write_text(ACCESS_TOML, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    monkeypatch.setenv(ACCESS_FILE_ENV, str(tmp_path / "access.toml"))
    monkeypatch.delenv(store.DATABASE_URL_ENV, raising=False)
    engine = store.connect(store.database_url(folder))
    manager = Access(DATA_MANAGER, (HA_NOI,))
    snapshot = load_snapshot(demo_dir / "snapshots" / "2025-12-31", geography)
    october = dt.date(2025, 10, 1)
    red = next(
        r
        for r in goals.evaluate(snapshot.in_geography(geography), unit=NAM_TU_LIEM, year=2025, as_of=october)
        if r.metric == "compulsory_rehab"
    )
    meeting = cl.open_meeting(
        engine, manager, geography, unit_code=HA_NOI, year=2025, grain="month", period=october,
        period_label="Tháng 10/2025", snapshot_id="2025-12-31", held_on=dt.date(2025, 11, 5), user=MANAGER,
    )  # fmt: skip
    cl.record(engine, manager, geography, meeting, text=THEIRS, responsible="Công an quận", target=red,
              deadline=dt.date(2025, 11, 30), user=MANAGER)  # fmt: skip
    cl.record(engine, manager, geography, meeting, text=OURS, responsible="UBND quận", unit_code=HOANG_MAI,
              deadline=dt.date(2025, 11, 30), user=MANAGER)  # fmt: skip
    engine.dispose()
    return folder


def run_as(email: str, page: str, query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.user = {"is_logged_in": True, "email": email}
    at.query_params.update(query_params or {})
    at.run()
    at.switch_page(str(ROOT / page)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "error",
                                  "success") for e in at.get(kind)]  # fmt: skip
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [table.value.to_csv() for table in at.table]
    parts += [str(box.options) for box in at.selectbox]
    return "\n".join(str(p) for p in parts)


def test_a_viewer_sees_the_conclusions_of_their_unit_only_and_cannot_write(data):
    at = run_as(VIEWER, "pages/ket_luan.py")
    text = shown(at)
    assert "Giao ban tháng 10/2025 — Thành phố Hà Nội" in text
    assert OURS in text and THEIRS not in text
    assert t("mt.update") not in [b.label for b in at.button]
    assert t("mt.freeze") not in [b.label for b in at.button]


def test_the_secretary_records_progress_with_who_and_when(data, geography):
    at = run_as(SECRETARY, "pages/ket_luan.py")
    assert THEIRS in shown(at) and OURS not in shown(at)
    form_boxes = [b for b in at.selectbox if b.label == t("cl.col.status")]
    form_boxes[0].set_value(cl.DONE)
    [note] = [i for i in at.text_input if i.label == t("mt.note")]
    note.input("Đã lập 4 hồ sơ, chuyển Tòa án")
    [date] = [d for d in at.date_input if d.label == t("mt.on")]
    date.set_value(dt.date(2025, 12, 3))
    [submit] = [b for b in at.button if b.label == t("mt.update")]
    submit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("mt.updated", id=1) in shown(at)
    engine = store.connect(store.database_url(data))
    secretary = Access("secretary", (NAM_TU_LIEM,))
    done = cl.get(engine, secretary, geography, 1)
    assert (done.status, done.updated_by) == (cl.DONE, SECRETARY)
    last = cl.history(engine, secretary, geography, 1)[-1]
    assert (last.author, last.status, last.note, last.note_date) == (
        SECRETARY, cl.DONE, "Đã lập 4 hồ sơ, chuyển Tòa án", dt.date(2025, 12, 3)
    )  # fmt: skip
    assert "Đã lập 4 hồ sơ, chuyển Tòa án" in shown(at)  # the history view

    # A conclusion not about a target: of Hà Nội's meeting's units, only the secretary's is offered.
    [unit] = [b for b in at.selectbox if b.label == t("cl.col.unit")]
    assert unit.options == ["Quận Nam Từ Liêm"]
    unit.set_value(NAM_TU_LIEM)
    [words] = [a for a in at.text_area if a.label == t("cl.text")]
    words.input("Phường rà soát người sử dụng trái phép chất ma túy")
    [body] = [i for i in at.text_input if i.label == t("cl.responsible")]
    body.input("UBND phường")
    [save] = [b for b in at.button if b.label == t("cl.save")]
    save.click().run()
    assert not at.exception, [e.value for e in at.exception]
    added = cl.list_conclusions(engine, secretary, geography, meeting_id=1)[-1]
    assert (added.text, added.unit_code, added.metric, added.created_by) == (
        "Phường rà soát người sử dụng trái phép chất ma túy", NAM_TU_LIEM, None, SECRETARY
    )  # fmt: skip


def test_goals_page_shows_a_targets_conclusions_and_the_record_button_to_writers_only(data):
    params = VIEW | {"district": "Quận Nam Từ Liêm", "period": "Tháng 11/2025"}
    at = run_as(SECRETARY, "pages/muc_tieu.py", params)
    text = shown(at)
    assert t("cl.section") in text and THEIRS in text and OURS not in text
    assert t("cl.record") in [b.label for b in at.button]
    at = run_as(VIEWER, "pages/muc_tieu.py", VIEW | {"district": "Quận Hoàng Mai", "period": "Tháng 11/2025"})
    assert t("cl.record") not in [b.label for b in at.button]
    assert THEIRS not in shown(at)


def test_the_next_presentation_opens_with_the_follow_up_in_scope(data):
    at = run_as(VIEWER, "pages/trinh_chieu.py", VIEW | {"district": "Quận Hoàng Mai"})
    [forward] = [b for b in at.button if b.label == t("present.next")]
    forward.click().run()
    text = shown(at)
    assert t("mt.follow_up") in text
    assert OURS in text and THEIRS not in text
    assert "chưa thực hiện (quá hạn)" in text  # due 30/11/2025; today is past it
