"""``python -m dashboard serve`` on a free localhost port, for the app and browser tiers."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import loadtest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(data_dir: Path, log: Path, env: dict[str, str] | None = None):
    """``python -m dashboard serve`` on a free localhost port over ``data_dir``; yields its base URL.

    ``env`` adds to the server's environment (an access file, say) without touching this process's.
    """
    port = free_port()
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data_dir), **(env or {})}
    command = [sys.executable, "-m", "dashboard", "serve", *loadtest.streamlit_options(port)]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            loadtest.wait_healthy(base, process, log, timeout=60)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
