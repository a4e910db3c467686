"""The unit tier's fixtures: the base snapshot the import tests import onto."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.snapshot import load_snapshot
from tests.support.data import BASE_ID, write_import_base


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder holding snapshot ``BASE_ID`` (``tests.support.data.base_tables``)."""
    write_import_base(tmp_path)
    return tmp_path


@pytest.fixture
def base(data_dir, geography):
    return load_snapshot(data_dir / "snapshots" / BASE_ID, geography)
