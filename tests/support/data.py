"""Data built in code for the tests: crafted trees, frames, filled templates, seed figures.

Nothing here reads outside the repository; the seed report's figures are the project's own copy.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from dashboard import importing, reform, schema
from dashboard.catalog import CATALOG
from dashboard.geography import Geography
from dashboard.schema import TARGETS_SCHEMA
from dashboard.snapshot import write_snapshot

# The figures of the five source reports the demo data must reproduce (column ``source`` names the
# report each comes from). The project keeps its own copy: nothing reads outside the repository.
SEED_FACTS = Path(__file__).resolve().parents[1] / "data" / "seed_facts.csv"

# Two wards of Quận Nam Từ Liêm (019): Phường Cầu Diễn 00592, Phường Xuân Phương 00622.
CAU_DIEN, XUAN_PHUONG, NAM_TU_LIEM = "00592", "00622", "019"


# --- a small crafted tree ----------------------------------------------------------------------

# A reference row of the old structure: a commune, its district and its province.
UNIT_COLUMNS = [
    "commune_code",
    "commune_name",
    "commune_type",
    "district_code",
    "district_name",
    "district_type",
    "province_code",
    "province_name",
]


def small_reference() -> pl.DataFrame:
    """Province 90 with districts 901 (communes 90001, 90002) and 902 (commune 90003)."""
    rows = [
        ("90001", "Phường Một", "Phường", "901", "Quận Một", "Quận", "90", "Tỉnh Thử"),
        ("90002", "Xã Hai", "Xã", "901", "Quận Một", "Quận", "90", "Tỉnh Thử"),
        ("90003", "Xã Ba", "Xã", "902", "Huyện Hai", "Huyện", "90", "Tỉnh Thử"),
    ]
    frame = pl.DataFrame(
        rows,
        schema=UNIT_COLUMNS,
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


# --- frames ------------------------------------------------------------------------------------


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


def targets_frame(rows: list[tuple[int, str, str, str, float]]) -> pl.DataFrame:
    """Targets from (year, unit, metric, rule, value) tuples."""
    return pl.DataFrame(
        [(*r, None) for r in rows], schema=TARGETS_SCHEMA, orient="row"
    )  # fmt: skip


def status_frame(rows: list[tuple[int, str, str, bool, bool]]) -> pl.DataFrame:
    """Statuses from (year, commune, drug_class, complex, healthy) tuples."""
    return pl.DataFrame(rows, schema=EMPTY_STATUS.schema, orient="row")


# --- imports: the filled template and a base snapshot to import onto ----------------------------


def workbook(facts=(), status=(), targets=()) -> bytes:
    """The handed-out template, filled with the given rows."""
    book = openpyxl.load_workbook(io.BytesIO(importing.template_bytes()))
    for sheet, rows in (
        (importing.SHEET_FACTS, facts),
        (importing.SHEET_STATUS, status),
        (importing.SHEET_TARGETS, targets),
    ):
        for row in rows:
            book[sheet].append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


BASE_ID = "2022-08-31"


def base_tables():
    rows = []
    for month in range(1, 9):
        period = dt.date(2022, month, 1)
        for code, addicts, rehab in ((CAU_DIEN, 40.0, 1.0), (XUAN_PHUONG, 30.0, 1.0)):
            rows += [
                (period, code, "addicts_managed", addicts),
                (period, code, "drug_users", addicts + 10),
                (period, code, "compulsory_rehab", rehab),
            ]
    facts = pl.DataFrame(rows, schema=schema.FACTS_SCHEMA, orient="row")
    status = pl.DataFrame(
        {
            "year": [2021, 2021],
            "commune_code": [CAU_DIEN, XUAN_PHUONG],
            "drug_class": ["trong_diem_3", "khong_ma_tuy"],
            "complex": [False, False],
            "healthy": [False, True],
        },
        schema=schema.STATUS_SCHEMA,
    )
    targets = pl.DataFrame(
        {
            "year": [2022],
            "unit_code": [NAM_TU_LIEM],
            "metric": ["compulsory_rehab"],
            "rule": ["at_least"],
            "value": [32.0],
            "note": ["KH"],
        },
        schema=schema.TARGETS_SCHEMA,
    )
    return facts, status, targets


def write_import_base(root: Path, facts: pl.DataFrame | None = None, *, demo: bool = False) -> None:
    """Snapshot ``BASE_ID`` under ``root/snapshots``: ``base_tables()``, with ``facts`` instead if given."""
    base_facts, status, targets = base_tables()
    write_snapshot(
        root / "snapshots",
        BASE_ID,
        base_facts if facts is None else facts,
        status,
        targets,
        as_of=BASE_ID,
        created_at="2022-08-31T17:00:00+07:00",
        source="cơ sở",
        demo=demo,
    )


# --- crafted structures: a merge, a split, an island, a straddle -------------------------------

# Old: province 01 (districts 001: communes 00001, 00002; 002: 00003, 00004) and province 02
# (district 003: 00005, 00006; island district 004 without communes). New: province 01 takes both.
OLD_UNITS = [
    ("00001", "Xã A", "001", "01"),
    ("00002", "Xã B", "001", "01"),
    ("00003", "Xã C", "002", "01"),
    ("00004", "Xã D", "002", "01"),
    ("00005", "Xã E", "003", "02"),
    ("00006", "Xã F", "003", "02"),
    (None, None, "004", "02"),
]
# (old commune, old district, old province, new commune, split, default). New codes reuse old ones.
CROSSWALK = [
    ("00001", "001", "01", "00001", False, True),  # merge: 00001 + 00002 → new 00001
    ("00002", "001", "01", "00001", False, True),
    ("00003", "002", "01", "00003", True, True),  # split: 00003 → new 00003 (default) and new 00004
    ("00003", "002", "01", "00004", True, False),
    ("00004", "002", "01", "00004", False, True),
    ("00006", "003", "02", "00004", False, True),  # new 00004 straddles districts 002 and 003
    ("00005", "003", "02", "00005", False, True),
    (None, "004", "02", "00007", False, True),  # island district → special zone
]


def crafted_legacy() -> Geography:
    frame = pl.DataFrame(
        [
            (c, n, "Xã" if c else None, d, f"Huyện {d}", "Huyện", p, f"Tỉnh {p}", 21.0, 105.0)
            for c, n, d, p in OLD_UNITS
        ],
        schema=[*UNIT_COLUMNS, "lat", "lon"],
        orient="row",
    )
    return Geography.from_frame(frame)


def crafted_new() -> Geography:
    codes = ["00001", "00003", "00004", "00005", "00007"]
    return Geography.from_frame_2025(
        pl.DataFrame(
            {
                "commune_code": codes,
                "commune_name": [f"Xã mới {c}" for c in codes],
                "commune_type": ["Xã"] * 5,
                "province_code": ["01"] * 5,
                "province_name": ["Tỉnh Mới"] * 5,
                "lat": [21.0] * 5,
                "lon": [105.0] * 5,
            }
        )
    )


def crafted_crosswalk() -> pl.DataFrame:
    return pl.DataFrame(
        [(oc, od, op, nc, "01", s, d) for oc, od, op, nc, s, d in CROSSWALK],
        schema=reform.CROSSWALK_SCHEMA,
        orient="row",
    )


# --- the seed report's figures -----------------------------------------------------------------

SEED_ROWS = list(csv.DictReader(SEED_FACTS.open(encoding="utf-8")))

# Seed target kinds and the contract rule each one is.
TARGET_RULES = {
    "target_count": "at_least",
    "target_pct": "at_least",
    "target_min_pct": "at_least",
    "target_max_pct": "at_most",
    "target_maintain": "keep_all",
    "target_min_new_per_year": "new_at_least",
    "target_min_reduction_pct_strict": "reduce_more_than_pct",
    "target_min_reduction_pct": "reduce_at_least_pct",
}


def unit_code(geography, row: dict) -> str:
    """Resolve a seed row's province / district / commune names to a GSO code."""
    ref = geography.communes.filter(pl.col("province_name") == row["province"])
    assert ref.height, row
    if row["commune"]:
        return ref.filter(pl.col("commune_name") == row["commune"])["commune_code"].unique().item()
    if row["district"]:
        return ref.filter(pl.col("district_name") == row["district"])["district_code"].unique().item()
    return ref["province_code"].unique().item()


def seed_grain(period: str) -> tuple[str, int]:
    """How the report aggregated a figure: the grain and the year (a month means year to date)."""
    if ".." in period:
        start, end = period.split("..")
        assert start.endswith("-01"), period
        period = end
    if len(period) == 4:
        return "year", int(period)
    month = int(period[5:7])
    return {6: "6m", 9: "9m", 12: "year"}[month], int(period[:4])


def status_year(period: str) -> int:
    """A list of communes is set at the end of a year: a date before December falls under last year's."""
    year, month = int(period[:4]), int(period[5:7]) if len(period) > 4 else 12
    return year if month == 12 else year - 1


ACTUAL_ROWS = [r for r in SEED_ROWS if r["kind"] == "actual"]


RULE_ROWS = [r for r in SEED_ROWS if r["kind"] in TARGET_RULES and CATALOG[r["indicator"]].kind != "rating"]


def assert_seed_target(targets: pl.DataFrame, row: dict, code: str, year: int) -> None:
    """The seed report's target ``row`` stands once in ``targets`` for ``code`` and ``year``."""
    rule = TARGET_RULES[row["kind"]]
    found = targets.filter(
        (pl.col("year") == year)
        & (pl.col("unit_code") == code)
        & (pl.col("metric") == row["indicator"])
        & (pl.col("rule") == rule)
    )
    assert found.height == 1, (year, row)
    if rule != "keep_all":
        assert found["value"].item() == pytest.approx(float(row["value"]))


# --- a district that reported in part ----------------------------------------------------------

REPORTING = 3  # wards of Nam Từ Liêm with figures


def partial_tables(geography: Geography) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Three of Nam Từ Liêm's ten wards report for 2022; the district reports 4 healthy communes
    and no commune list exists."""
    wards = geography.descendants(NAM_TU_LIEM, "commune")[:REPORTING]
    rows = [
        (dt.date(2022, m, 1), ward, indicator, value)
        for m in range(1, 13)
        for ward in wards
        for indicator, value in (("addicts_managed", 30.0), ("compulsory_rehab", 1.0), ("drug_users", 40.0))
    ]
    rows.append((dt.date(2022, 12, 1), NAM_TU_LIEM, "reported_healthy_communes", 4.0))
    facts = pl.DataFrame(rows, schema=schema.FACTS_SCHEMA, orient="row")
    return facts, pl.DataFrame(schema=schema.STATUS_SCHEMA), pl.DataFrame(schema=schema.TARGETS_SCHEMA)
