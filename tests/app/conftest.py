"""The app tier's fixtures: the app pointed at the demo data."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def data_env(demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(demo_dir))
    return demo_dir
