"""Shared fixtures: the real reference geography, demo snapshots, and a small crafted tree."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest

from dashboard import demo
from dashboard.geography import Geography

# The figures of the five source reports the demo data must reproduce (column ``source`` names the
# report each comes from). The project keeps its own copy: nothing reads outside the repository.
SEED_FACTS = Path(__file__).resolve().parent / "data" / "seed_facts.csv"


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


def small_reference() -> pl.DataFrame:
    """Province 90 with districts 901 (communes 90001, 90002) and 902 (commune 90003)."""
    rows = [
        ("90001", "Phường Một", "Phường", "901", "Quận Một", "Quận", "90", "Tỉnh Thử"),
        ("90002", "Xã Hai", "Xã", "901", "Quận Một", "Quận", "90", "Tỉnh Thử"),
        ("90003", "Xã Ba", "Xã", "902", "Huyện Hai", "Huyện", "90", "Tỉnh Thử"),
    ]
    frame = pl.DataFrame(
        rows,
        schema=[
            "commune_code",
            "commune_name",
            "commune_type",
            "district_code",
            "district_name",
            "district_type",
            "province_code",
            "province_name",
        ],
        orient="row",
    )
    return frame.with_columns(
        pl.lit(21.0).alias("lat"),
        pl.lit(105.0).alias("lon"),
        pl.lit(21.0).alias("district_lat"),
        pl.lit(105.0).alias("district_lon"),
        pl.lit(21.0).alias("province_lat"),
        pl.lit(105.0).alias("province_lon"),
    )


@pytest.fixture(scope="session")
def small_geo() -> Geography:
    return Geography.from_frame(small_reference())


def facts_frame(rows: list[tuple[str, str, str, float]]) -> pl.DataFrame:
    """Facts from (YYYY-MM, unit, indicator, value) tuples."""
    return pl.DataFrame(
        [(dt.date(int(p[:4]), int(p[5:7]), 1), u, i, float(v)) for p, u, i, v in rows],
        schema={"period": pl.Date, "unit_code": pl.String, "indicator": pl.String, "value": pl.Float64},
        orient="row",
    )


EMPTY_STATUS = pl.DataFrame(
    schema={
        "year": pl.Int32,
        "commune_code": pl.String,
        "drug_class": pl.String,
        "complex": pl.Boolean,
        "healthy": pl.Boolean,
    }
)


@pytest.fixture(scope="session")
def demo_snapshots(demo_dir: Path, geography: Geography) -> dict:
    """Every demo snapshot, loaded and validated once per test session, by id."""
    from dashboard.snapshot import load_snapshot

    return {sid: load_snapshot(demo_dir / "snapshots" / sid, geography) for sid, _ in demo.SNAPSHOTS}
