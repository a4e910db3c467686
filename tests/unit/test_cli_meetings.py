"""CLI: meetings and conclusions listed within a scope; a meeting's pack made again byte for byte."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard import cli, store
from dashboard import conclusions as cl
from dashboard.access import FULL_ACCESS

HA_NOI, NAM_TU_LIEM, HOANG_MAI = "01", "019", "008"


@pytest.fixture
def data(demo_dir: Path, geography, tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.delenv(store.DATABASE_URL_ENV, raising=False)
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "snapshots").symlink_to(demo_dir / "snapshots", target_is_directory=True)
    engine = store.connect(store.database_url(folder))
    meeting = cl.open_meeting(
        engine, FULL_ACCESS, geography, unit_code=NAM_TU_LIEM, year=2025, grain="month",
        period=dt.date(2025, 11, 1), period_label="Tháng 11/2025", snapshot_id="2025-12-31",
        held_on=dt.date(2025, 12, 5), user="thu.ky",
        filters={"view": "2025-12-31", "sections": ["rehab", "goals"]},
    )  # fmt: skip
    cl.record(engine, FULL_ACCESS, geography, meeting, text="Rà soát 5 xã", responsible="Công an quận",
              deadline=dt.date(2025, 12, 20), user="thu.ky")  # fmt: skip
    province = cl.open_meeting(
        engine, FULL_ACCESS, geography, unit_code=HA_NOI, year=2025, grain="month",
        period=dt.date(2025, 11, 1), period_label="Tháng 11/2025", snapshot_id="2025-12-31",
        held_on=dt.date(2025, 12, 8), user="vp",
    )  # fmt: skip
    cl.record(engine, FULL_ACCESS, geography, province, text="Việc của Hoàng Mai", responsible="UBND quận",
              unit_code=HOANG_MAI, user="vp")  # fmt: skip
    engine.dispose()
    return folder


def test_meetings_are_listed_within_the_scope(data, capsys):
    assert cli.main(["meetings", "--data", str(data), "--on", "06/01/2026"]) == 0
    everything = capsys.readouterr().out
    assert "Rà soát 5 xã — Công an quận, hạn 20/12/2025: chưa thực hiện (quá hạn)" in everything
    assert "Việc của Hoàng Mai" in everything
    assert cli.main(["meetings", "--data", str(data), "--scope", HOANG_MAI]) == 0
    scoped = capsys.readouterr().out
    assert "Việc của Hoàng Mai" in scoped and "Rà soát 5 xã" not in scoped
    assert "Quận Nam Từ Liêm" not in scoped  # nor the title of a meeting of another district
    assert cli.main(["meetings", "--data", str(data), "--scope", "999"]) == 1
    assert "không có đơn vị mã 999" in capsys.readouterr().err


def test_a_meeting_pack_is_frozen_then_made_again_byte_for_byte(data, tmp_path, capsys):
    first = ["meeting-pack", "--data", str(data), "--id", "1", "--no-images", "--out", str(tmp_path / "a")]
    assert cli.main([*first, "--freeze"]) == 0
    out = capsys.readouterr().out
    assert "Đã chốt bộ tài liệu của cuộc họp." in out
    # The meeting's own period, not the snapshot's newest month.
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == [
        "bao-cao_quan-nam-tu-liem_thang-11-2025.docx",
        "giao-ban_quan-nam-tu-liem_thang-11-2025.pptx",
    ]
    again = ["meeting-pack", "--data", str(data), "--id", "1", "--no-images", "--out", str(tmp_path / "b")]
    assert cli.main(again) == 0
    assert "Khớp từng byte với bản đã chốt" in capsys.readouterr().out
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert cli.main(["meeting-pack", "--data", str(data), "--id", "9", "--out", str(tmp_path / "c")]) == 1
    assert "không có cuộc họp số 9" in capsys.readouterr().err
