"""Replicas behind HAProxy: sessions spread over both, each kept on its replica by the cookie, and a
snapshot that lands in the shared data folder shown by every replica.

HAProxy is a Debian package (``.ci/run`` installs it); without it this module is skipped with a
plain message, except under ``CI=true`` where its absence is a broken setup and fails.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import urllib.request

import pytest

from dashboard import demo, loadtest, replicas
from dashboard.cli import main
from dashboard.stclient import REPLICA_HEADER, Session


@pytest.fixture(scope="module")
def data_dir(demo_dir, tmp_path_factory):
    """A data folder of its own holding only the older demo snapshot (the newer one lands in a test)."""
    root = tmp_path_factory.mktemp("replicas-data")
    first = demo.SNAPSHOTS[0][0]
    shutil.copytree(demo_dir / "snapshots" / first, root / "snapshots" / first)
    return root


def _haproxy() -> str:
    try:
        return replicas.haproxy_path()
    except replicas.ProxyMissing as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{exc}: CI must run the replica tests (.ci/run installs haproxy).")
        pytest.skip(f"{exc}: SKIPPED tests/app/test_replicas.py.")


@pytest.fixture(scope="module")
def proxy(data_dir, tmp_path_factory):
    _haproxy()
    with replicas.running(2, data_dir=data_dir, log_dir=tmp_path_factory.mktemp("replicas-logs")) as found:
        yield found


def test_printed_config_is_valid_for_haproxy(tmp_path, capsys):
    assert main(["replicas", "--count", "3", "--port", "9000", "--print-config"]) == 0
    config = tmp_path / "haproxy.cfg"
    config.write_text(capsys.readouterr().out)
    checked = subprocess.run([_haproxy(), "-c", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = config.read_text()
    assert "bind 127.0.0.1:9000" in text
    for i, port in enumerate((9001, 9002, 9003), start=1):
        assert f"server r{i} 127.0.0.1:{port} check cookie r{i}" in text


def _served_by(url: str, cookie: str | None = None) -> tuple[str, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers[REPLICA_HEADER], response.headers.get("Set-Cookie", "")


def test_requests_spread_over_replicas_and_stick_by_cookie(proxy):
    # Every request comes from 127.0.0.1: spreading them proves the choice is not by client address.
    fresh = [_served_by(proxy.url + "/") for _ in range(4)]
    assert {replica for replica, _ in fresh} == {"r1", "r2"}
    assert all(set_cookie.startswith(f"{replicas.COOKIE}={replica};") for replica, set_cookie in fresh)
    # A browser holding the cookie stays on its replica, and is not given a new cookie.
    kept = [_served_by(proxy.url + "/", cookie=f"{replicas.COOKIE}=r2") for _ in range(4)]
    assert kept == [("r2", "")] * 4


def test_small_load_test_through_the_proxy(proxy):
    scenario = loadtest.Scenario(change=("province", "Tỉnh Điện Biên"))
    (entry,) = loadtest.run([2], scenario, url=proxy.url, pids=list(proxy.pids), reference=False, settle=0.5)
    batch = entry["app"]
    assert batch["completed"] == 2
    assert [s["step"] for s in batch["steps"]] == ["open", "filter"]
    assert all(s["errors"] == [] for s in batch["steps"])
    # Two sessions opening together take two consecutive round-robin turns: one on each replica.
    # Each session's page and its websocket were served by the same replica.
    assert sorted(batch["served_by"]) == [["r1", "r1"], ["r2", "r2"]]
    assert batch["rss_mb"]["before"] > 0


def test_a_new_snapshot_is_shown_by_every_replica(proxy, data_dir, demo_dir):
    older, newer = demo.SNAPSHOTS[0][0], demo.SNAPSHOTS[1][0]

    async def offered(replica: str) -> list[str]:
        session = Session(proxy.url)
        session.set_cookie(replicas.COOKIE, replica)
        try:
            assert (await session.open()).ok
            assert session.served_by == [replica, replica]
            return session.options("snapshot")
        finally:
            await session.close()

    for replica in ("r1", "r2"):
        assert asyncio.run(offered(replica)) == [older]
    # Landed as an import lands it: written aside, then renamed into place.
    staging = data_dir / "snapshots" / ".incoming"
    shutil.copytree(demo_dir / "snapshots" / newer, staging)
    staging.rename(data_dir / "snapshots" / newer)
    for replica in ("r1", "r2"):
        assert asyncio.run(offered(replica)) == [newer, older]
