"""The load test's small mode, as CI runs it: two sessions against the app and the reference page.

Times are reported, never asserted (docs/BENCHMARK.md has the figures); these tests check that
every step ran in every session without an exception, that the report says what it should, and
that the client's filter change and page switch reach the server as a browser's would.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.page_figures import HEADLINE
from dashboard.stclient import ProtocolError, Session
from tests.support.cards import read_cards
from tests.support.server import running_server

ROOT = Path(__file__).resolve().parents[2]
STEPS = ["open", "filter", "switch"]


def test_small_mode_reports_every_step_of_both_servers(demo_dir, tmp_path):
    out = tmp_path / "load.json"
    command = [
        sys.executable,
        "-m",
        "dashboard",
        "loadtest",
        "-n",
        "2",
        "--data-dir",
        str(demo_dir),
        "--query",
        "province=Toàn quốc",  # typed as a person would: the client encodes it
        "--change",
        "province=Tỉnh Điện Biên",
        "--switch",
        "xu-huong",
        "--settle",
        "0.5",
        "--json",
        str(out),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    (entry,) = json.loads(out.read_text())
    assert entry["sessions"] == 2
    for server in ("app", "reference"):
        batch = entry[server]
        assert batch["completed"] == 2
        assert [s["step"] for s in batch["steps"]] == STEPS
        for step in batch["steps"]:
            assert step["sessions"] == 2 and step["errors"] == []
            assert 0 < step["p50_s"] <= step["p95_s"] <= step["max_s"] <= step["all_done_s"]
            assert step["cpu_ms_per_session"] >= 0  # read from the server's /proc (ticks of 10 ms)
        rss = batch["rss_mb"]
        assert rss["before"] > 0 and rss["peak"] >= rss["before"] and rss["after"] > 0
    app, ref = entry["app"]["steps"], entry["reference"]["steps"]
    # What each session was sent: the overview's cards (one markdown element) and charts, then the
    # trends' charts.
    assert app[0]["elements"]["markdown"] > 0 and app[0]["elements"]["plotly_chart"] > 0
    assert app[2]["elements"]["plotly_chart"] > app[0]["elements"]["plotly_chart"]
    assert ref[0]["elements"] == {"heading": 2, "metric": 12, "plotly_chart": 2}
    assert set(entry["ratios"]) == set(STEPS)
    for step in STEPS:
        assert entry["ratios"][step]["p50"] > 0
    assert "tỉ lệ ứng dụng/tham chiếu, open" in done.stdout and "CPU ms/phiên" in done.stdout


def test_a_filter_change_and_a_page_switch_reach_the_server(demo_dir, tmp_path):
    async def scenario(base: str) -> None:
        session = Session(base)
        try:
            opened = await session.open("", "")
            assert opened.ok
            assert any("Thành phố Hà Nội" in text for text in opened.texts)
            assert len([card for text in opened.texts for card in read_cards(text)]) == len(HEADLINE)
            changed = await session.change("province", "Tỉnh Điện Biên")
            assert changed.ok
            assert any("Tỉnh Điện Biên" in text for text in changed.texts)
            assert not any("Thành phố Hà Nội" in text for text in changed.texts)
            switched = await session.switch("xu-huong")
            assert switched.ok and switched.elements["plotly_chart"] > 0
            assert any("Tỉnh Điện Biên" in text for text in switched.texts)
            with pytest.raises(ProtocolError, match="no widget bound to 'nowhere'"):
                await session.change("nowhere", "x")
            with pytest.raises(ProtocolError, match="not an option"):
                await session.change("province", "Tỉnh Không Có")
        finally:
            await session.close()

    async def on_another_page(base: str) -> None:
        # A filter change on a page other than the default one reruns that page, not the default.
        session = Session(base)
        try:
            opened = await session.open("xu-huong", "province=Tỉnh Điện Biên")
            assert opened.ok and session.page_hash == session.pages["xu-huong"]
            changed = await session.change("province", "Thành phố Hà Nội")
            assert changed.ok and session.page_hash == session.pages["xu-huong"]
            assert changed.elements["plotly_chart"] == opened.elements["plotly_chart"] > 0
            assert any("Thành phố Hà Nội" in text for text in changed.texts)
        finally:
            await session.close()

    with running_server(demo_dir, tmp_path / "server.log") as base:
        asyncio.run(scenario(base))
        asyncio.run(on_another_page(base))
