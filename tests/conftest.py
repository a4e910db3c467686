"""Shared fixtures (the real reference geography, demo snapshots, a small crafted tree) and the tier
markers. Builders the tests import live in ``tests/support``."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from dashboard import demo
from dashboard.geography import Geography

pytest.register_assert_rewrite("tests.support")
from tests.support import TIERS  # noqa: E402  (after the rewrite hook)
from tests.support.data import small_reference  # noqa: E402

TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its tier, the folder it sits in: ``pytest -m unit`` runs ``tests/unit``."""
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0] if item.path.is_relative_to(TESTS) else None
        if folder in TIERS:
            item.add_marker(folder)


@pytest.fixture(scope="session")
def geography() -> Geography:
    return Geography.from_reference()


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory, geography: Geography) -> Path:
    """A data folder with the two version 1 demo snapshots, generated once per test session."""
    root = tmp_path_factory.mktemp("data")
    demo.write_demo(root / "snapshots", geography, reform=False)
    return root


@pytest.fixture(scope="session")
def newest_demo(demo_dir: Path) -> Path:
    return demo_dir / "snapshots" / demo.SNAPSHOTS[-1][0]


@pytest.fixture(scope="session")
def reform_dir(tmp_path_factory: pytest.TempPathFactory, demo_dir: Path, geography: Geography) -> Path:
    """A data folder with every demo snapshot: the two of version 1 and the version 2 one.

    The version 1 folders are copied from ``demo_dir``; the version 2 snapshot is built from the
    newest of them, as ``demo.write_demo`` builds it from the same tables in memory.
    """
    root = tmp_path_factory.mktemp("reform")
    snapshots = root / "snapshots"
    for sid, _ in demo.SNAPSHOTS:
        shutil.copytree(demo_dir / "snapshots" / sid, snapshots / sid)
    newest = snapshots / demo.SNAPSHOTS[-1][0]
    data = demo.build_reform(
        pl.read_parquet(newest / "facts.parquet"),
        pl.read_parquet(newest / "commune_status.parquet"),
        pl.read_parquet(newest / "targets.parquet"),
        geography,
    )
    demo.write_reform_snapshot(snapshots, data, geography)
    return root


@pytest.fixture(scope="session")
def reform_snapshot(reform_dir: Path) -> Path:
    """The version 2 demo snapshot (``demo.REFORM_SNAPSHOT``)."""
    return reform_dir / "snapshots" / demo.REFORM_SNAPSHOT[0]


@pytest.fixture(scope="session")
def small_geo() -> Geography:
    return Geography.from_frame(small_reference())


@pytest.fixture(scope="session")
def demo_snapshots(demo_dir: Path, geography: Geography) -> dict:
    """Every demo snapshot, loaded and validated once per test session, by id."""
    from dashboard.snapshot import load_snapshot

    return {sid: load_snapshot(demo_dir / "snapshots" / sid, geography) for sid, _ in demo.SNAPSHOTS}
