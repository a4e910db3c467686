"""The data contract (versions 1, 2 and 3): file names, column types, allowed values, and its checks.

Version 3 (docs/DATA_CONTRACT.md) adds ``spans.parquet``: flow totals over several months that
the data cannot split into months (a "9 tháng" total with no monthly figures), kept as reported.

Version 2 (docs/REFORM.md) holds both administrative structures by period: facts of months before
``structure_from`` (2025-07-01) in the old units, from it in the 2025 units; classifications and
targets of years from ``FIRST_NEW_YEAR`` in the 2025 units.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from dashboard.catalog import CATALOG, FACT_INDICATORS, FLOW_INDICATORS, STATUS_INDICATORS

SCHEMA_VERSION = 1
# Version 2: both structures, split by period (manifest field ``structure_from``).
SCHEMA_VERSION_2025 = 2
# Version 3: version 1 or 2 (``structure_from`` present or not) plus the totals over spans.
SCHEMA_VERSION_SPANS = 3
SUPPORTED_VERSIONS: tuple[int, ...] = (SCHEMA_VERSION, SCHEMA_VERSION_2025, SCHEMA_VERSION_SPANS)
# The only first month of the new structure a version 2 manifest may state, and the first year
# whose commune lists and targets are keyed in the new units.
STRUCTURE_FROM = dt.date(2025, 7, 1)
FIRST_NEW_YEAR = 2025

MANIFEST = "manifest.json"
FACTS = "facts.parquet"
STATUS = "commune_status.parquet"
TARGETS = "targets.parquet"
DATA_FILES: tuple[str, ...] = (FACTS, STATUS, TARGETS)
# Optional, derived when the snapshot is written: monthly values of every unit above the
# communes, own values winning (extension of the contract; listed in the manifest when present).
ROLLUPS = "rollups.parquet"
# Optional, derived: the facts in the 2025 units (months before 1 July 2025 re-aggregated through
# the crosswalk, docs/REFORM.md) and their roll-ups, so that switching to the new units reads
# files instead of converting the whole snapshot in memory.
FACTS_2025 = "facts_2025.parquet"
ROLLUPS_2025 = "rollups_2025.parquet"
# Version 3: flow totals over more than one month that the months cannot be split from.
SPANS = "spans.parquet"
OPTIONAL_FILES: tuple[str, ...] = (ROLLUPS, FACTS_2025, ROLLUPS_2025, SPANS)
# Manifest field of the derived 2025 files: {"unplaced": {reason: rows}}.
DERIVED_2025 = "view_2025"  # the manifest key of the derived 2025 files (kept: snapshots on disk use it)

FACTS_SCHEMA: dict[str, pl.DataType] = {
    "period": pl.Date,
    "unit_code": pl.String,
    "indicator": pl.String,
    "value": pl.Float64,
}
FACTS_KEY = ("period", "unit_code", "indicator")

SPANS_SCHEMA: dict[str, pl.DataType] = {
    "first_period": pl.Date,
    "last_period": pl.Date,
    "unit_code": pl.String,
    "indicator": pl.String,
    "value": pl.Float64,
}
SPANS_KEY = ("unit_code", "indicator", "first_period")

STATUS_SCHEMA: dict[str, pl.DataType] = {
    "year": pl.Int32,
    "commune_code": pl.String,
    "drug_class": pl.String,
    "complex": pl.Boolean,
    "healthy": pl.Boolean,
}
STATUS_KEY = ("year", "commune_code")
# A list may say nothing about complex or healthy (empty = not stated): counted as unknown, never 0.
STATUS_UNKNOWN_ALLOWED: frozenset[str] = frozenset({"complex", "healthy"})

TARGETS_SCHEMA: dict[str, pl.DataType] = {
    "year": pl.Int32,
    "unit_code": pl.String,
    "metric": pl.String,
    "rule": pl.String,
    "value": pl.Float64,
    "note": pl.String,
}
TARGETS_KEY = ("year", "unit_code", "metric", "rule")

FILE_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    FACTS: FACTS_SCHEMA,
    STATUS: STATUS_SCHEMA,
    TARGETS: TARGETS_SCHEMA,
    SPANS: SPANS_SCHEMA,
}
FILE_KEYS: dict[str, tuple[str, ...]] = {
    FACTS: FACTS_KEY,
    STATUS: STATUS_KEY,
    TARGETS: TARGETS_KEY,
    SPANS: SPANS_KEY,
}

DRUG_CLASSES: tuple[str, ...] = (
    "khong_ma_tuy",
    "co_te_nan",
    "trong_diem_3",
    "trong_diem_2",
    "trong_diem_1",
)
KEY_CLASSES: tuple[str, ...] = ("trong_diem_3", "trong_diem_2", "trong_diem_1")

RULES: tuple[str, ...] = (
    "at_least",
    "at_most",
    "more_than",
    "increase_at_least_pct",
    "increase_more_than_pct",
    "reduce_more_than_pct",
    "reduce_at_least_pct",
    "new_at_least",
    "keep_all",
)
# Metrics a target may name: facts, derived rates and the status counts.
TARGET_METRICS: frozenset[str] = frozenset(
    i.id for i in CATALOG.values() if i.kind in ("stock", "flow", "rate", "status")
)

SNAPSHOT_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})(-\d+)?$")

MANIFEST_FIELDS: dict[str, type | tuple[type, ...]] = {
    "schema_version": int,
    "snapshot_id": str,
    "as_of": str,
    "created_at": str,
    "source": str,
    "demo": bool,
    "files": dict,
}

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding of a check, worded for the user in Vietnamese."""

    severity: Severity
    file: str
    message: str
    column: str | None = None
    where: str | None = None  # row number or key

    def __str__(self) -> str:
        place = self.file
        if self.column:
            place += f", cột {self.column}"
        if self.where:
            place += f", {self.where}"
        kind = "Lỗi" if self.severity == "error" else "Cảnh báo"
        return f"{kind} [{place}]: {self.message}"


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_manifest(
    snapshot_id: str,
    as_of: str,
    created_at: str,
    source: str,
    demo: bool,
    folder: Path,
    structure_from: dt.date | None = None,
) -> dict:
    """A manifest for the data files already written in ``folder`` (version 2 with ``structure_from``,
    version 3 when ``spans.parquet`` is there)."""
    files = {}
    for name in DATA_FILES + tuple(n for n in OPTIONAL_FILES if (folder / n).is_file()):
        path = folder / name
        files[name] = {
            "rows": pl.scan_parquet(path).select(pl.len()).collect().item(),
            "sha256": sha256_of(path),
        }
    version = SCHEMA_VERSION if structure_from is None else SCHEMA_VERSION_2025
    manifest = {
        "schema_version": SCHEMA_VERSION_SPANS if SPANS in files else version,
        "snapshot_id": snapshot_id,
        "as_of": as_of,
        "created_at": created_at,
        "source": source,
        "demo": demo,
        "files": files,
    }
    if structure_from is not None:
        manifest["structure_from"] = structure_from.isoformat()
    return manifest


def manifest_structure_from(manifest: dict) -> dt.date | None:
    """The first month in the 2025 structure a manifest declares: None for version 1 (all old).

    Version 2 must state ``structure_from`` and, for now, only ``2025-07-01`` (docs/REFORM.md);
    otherwise ValueError, its message naming the field (``check_manifest`` reports it). Version 3
    states it when it holds both structures (as version 2) and leaves it out otherwise (as version 1).
    """
    version = manifest.get("schema_version", SCHEMA_VERSION)
    if version < SCHEMA_VERSION_2025 or (
        version == SCHEMA_VERSION_SPANS and "structure_from" not in manifest
    ):
        return None
    value = manifest.get("structure_from")
    if value != STRUCTURE_FROM.isoformat():
        raise ValueError(
            f"lược đồ phiên bản {version} phải ghi tháng đầu tiên theo đơn vị hành chính mới: "
            f'structure_from = "{STRUCTURE_FROM.isoformat()}" (nhận được {value!r})'
        )
    return STRUCTURE_FROM


def check_manifest(folder: Path) -> tuple[dict | None, list[Problem]]:
    """Read and check manifest.json: fields, types, id, and each file's rows and checksum."""
    problems: list[Problem] = []
    path = folder / MANIFEST
    if not path.is_file():
        return None, [Problem("error", MANIFEST, "thiếu tệp manifest.json")]
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [Problem("error", MANIFEST, f"không đọc được JSON ({exc})")]
    if not isinstance(manifest, dict):
        return None, [Problem("error", MANIFEST, "nội dung phải là một đối tượng JSON")]
    for name, typ in MANIFEST_FIELDS.items():
        if name not in manifest:
            problems.append(Problem("error", MANIFEST, "thiếu trường", column=name))
        elif not isinstance(manifest[name], typ) or (typ is int and isinstance(manifest[name], bool)):
            problems.append(Problem("error", MANIFEST, "sai kiểu dữ liệu", column=name))
    if problems:
        return None, problems
    if manifest["schema_version"] not in SUPPORTED_VERSIONS:
        problems.append(
            Problem(
                "error",
                MANIFEST,
                f"phiên bản lược đồ {manifest['schema_version']} không được hỗ trợ "
                f"(hỗ trợ: {', '.join(str(v) for v in SUPPORTED_VERSIONS)})",
                column="schema_version",
            )
        )
    else:
        try:
            manifest_structure_from(manifest)
        except ValueError as exc:
            problems.append(Problem("error", MANIFEST, str(exc), column="structure_from"))
    if not SNAPSHOT_ID.match(manifest["snapshot_id"]):
        problems.append(
            Problem("error", MANIFEST, "mã bản chụp phải có dạng YYYY-MM-DD[-n]", column="snapshot_id")
        )
    elif manifest["snapshot_id"] != folder.name:
        problems.append(
            Problem(
                "error",
                MANIFEST,
                f"mã bản chụp '{manifest['snapshot_id']}' khác tên thư mục '{folder.name}'",
                column="snapshot_id",
            )
        )
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", manifest["as_of"]):
        problems.append(Problem("error", MANIFEST, "ngày số liệu phải có dạng YYYY-MM-DD", column="as_of"))
    optional = tuple(n for n in OPTIONAL_FILES if n in manifest["files"])
    for name in DATA_FILES + optional:
        file_path = folder / name
        entry = manifest["files"].get(name)
        if not file_path.is_file():
            problems.append(Problem("error", name, "thiếu tệp"))
            continue
        if not isinstance(entry, dict) or "sha256" not in entry or "rows" not in entry:
            problems.append(
                Problem("error", MANIFEST, f"thiếu số dòng hoặc mã băm của {name}", column="files")
            )
            continue
        if sha256_of(file_path) != entry["sha256"]:
            problems.append(
                Problem(
                    "error",
                    name,
                    "mã băm SHA-256 không khớp với manifest.json (tệp đã bị thay đổi hoặc hỏng)",
                )
            )
    return manifest, problems


def read_table(
    folder: Path, name: str, lazy: bool = False
) -> tuple[pl.DataFrame | pl.LazyFrame | None, list[Problem]]:
    """Read one data file (or, with ``lazy``, only its schema and a scan) and check its columns and types."""
    path = folder / name
    if not path.is_file():
        return None, [Problem("error", name, "thiếu tệp")]
    try:
        if lazy:
            frame = pl.scan_parquet(path)
            file_schema = frame.collect_schema()
            frame.head(1).collect()  # the footer and first page must decode
        else:
            frame = pl.read_parquet(path)
            file_schema = frame.schema
    except Exception as exc:  # noqa: BLE001 - any reader failure means a corrupt file
        return None, [Problem("error", name, f"không đọc được tệp Parquet ({type(exc).__name__})")]
    problems: list[Problem] = []
    expected = FILE_SCHEMAS[name]
    for column, dtype in expected.items():
        if column not in file_schema.names():
            problems.append(Problem("error", name, "thiếu cột", column=column))
        elif file_schema[column] != dtype:
            # Integer widths are interchangeable; anything else is a type error.
            if dtype.is_integer() and file_schema[column].is_integer():
                continue
            problems.append(
                Problem("error", name, f"sai kiểu dữ liệu: {file_schema[column]}, cần {dtype}", column=column)
            )
    if problems:
        return None, problems
    return frame.select(list(expected)).cast(expected), []


def _where_rows(frame: pl.LazyFrame, mask: pl.Expr, key: tuple[str, ...], limit: int = 5) -> str:
    rows = frame.with_row_index("_row").filter(mask).head(limit).collect()
    parts = []
    for row in rows.iter_rows(named=True):
        k = ", ".join(f"{c}={row[c]}" for c in key)
        parts.append(f"dòng {row['_row'] + 1} ({k})")
    return "; ".join(parts)


def _problem(
    frame: pl.LazyFrame,
    name: str,
    count: int,
    mask: pl.Expr,
    column: str,
    message: str,
    severity: Severity = "error",
) -> list[Problem]:
    """A finding for ``count`` rows matching ``mask``, naming the first five (looked up only on failure)."""
    if not count:
        return []
    where = _where_rows(frame, mask, FILE_KEYS[name])
    more = f" và {count - 5} dòng khác" if count > 5 else ""
    return [Problem(severity, name, f"{message} ({count} dòng)", column=column, where=where + more)]


def _count_problem(
    frame: pl.DataFrame | pl.LazyFrame,
    name: str,
    mask: pl.Expr,
    column: str,
    message: str,
    severity: Severity = "error",
) -> list[Problem]:
    lazy = frame.lazy()
    count = lazy.select(mask.sum()).collect().item()
    return _problem(lazy, name, count, mask, column, message, severity)


# Facts are written sorted by this key, so a duplicate sits next to its twin (no hash table needed).
FACTS_SORT = ("unit_code", "indicator", "period")


@dataclass(frozen=True)
class FactStats:
    """What one pass over facts.parquet learns besides the problems."""

    rows: int
    first_period: dt.date | None
    last_period: dt.date | None


def check_facts(
    facts: pl.DataFrame | pl.LazyFrame,
    unit_codes: set[str],
    new_unit_codes: set[str] | None = None,
    structure_from: dt.date | None = None,
) -> list[Problem]:
    """Contract checks on facts.parquet: nulls, units, indicators, values, duplicates."""
    return check_facts_stats(facts, unit_codes, new_unit_codes, structure_from)[0]


def _unknown_unit(
    column: pl.Expr,
    unit_codes: set[str],
    new_unit_codes: set[str] | None,
    new_from: pl.Expr | None,
) -> pl.Expr:
    """True where the code is not a unit of the structure its row is keyed in (version 2: by ``new_from``)."""
    old = ~column.is_in(list(unit_codes))
    if new_unit_codes is None or new_from is None:
        return old & column.is_not_null()
    new = ~column.is_in(list(new_unit_codes))
    return pl.when(new_from).then(new).otherwise(old) & column.is_not_null()


def check_facts_stats(
    facts: pl.DataFrame | pl.LazyFrame,
    unit_codes: set[str],
    new_unit_codes: set[str] | None = None,
    structure_from: dt.date | None = None,
) -> tuple[list[Problem], FactStats]:
    """The facts checks in one streaming pass (bounded memory at national scale), and the stats.

    ``unit_codes``: the old structure's codes. Version 2 (``structure_from`` given): rows of
    months from ``structure_from`` are checked against ``new_unit_codes`` instead.
    Rows are only looked up again, to name them, for a check that failed.
    """
    lf = facts.lazy()
    u, i, p, v = pl.col("unit_code"), pl.col("indicator"), pl.col("period"), pl.col("value")
    masks: dict[str, tuple[pl.Expr, str, str, Severity]] = {}
    for column in FACTS_SCHEMA:
        masks[f"null_{column}"] = (pl.col(column).is_null(), column, "giá trị trống", "error")
    masks["day"] = (p.dt.day() != 1, "period", "kỳ phải là ngày đầu tháng", "error")
    masks["unit"] = (
        _unknown_unit(u, unit_codes, new_unit_codes, None if structure_from is None else p >= structure_from),
        "unit_code",
        "mã đơn vị hành chính không có trong danh mục"
        if structure_from is None
        else "mã đơn vị hành chính không có trong danh mục của thời kỳ (trước 01/7/2025: đơn vị cũ; "
        "từ 01/7/2025: đơn vị mới)",
        "error",
    )
    masks["indicator"] = (
        ~i.is_in(sorted(FACT_INDICATORS)) & i.is_not_null(),
        "indicator",
        "chỉ tiêu không có trong danh mục",
        "error",
    )
    masks["negative"] = (v < 0, "value", "giá trị âm", "error")
    masks["finite"] = (~v.is_finite() & v.is_not_null(), "value", "giá trị không hữu hạn", "error")
    masks["whole"] = ((v != v.round(0)) & v.is_finite(), "value", "số đếm phải là số nguyên", "warning")
    same = (u == u.shift(1)) & (i == i.shift(1)) & (p == p.shift(1))
    before = (u < u.shift(1)) | (
        (u == u.shift(1)) & ((i < i.shift(1)) | ((i == i.shift(1)) & (p < p.shift(1))))
    )
    counts = (
        lf.select(
            pl.len().alias("_rows"),
            p.min().alias("_first"),
            p.max().alias("_last"),
            *[mask.sum().alias(name) for name, (mask, *_rest) in masks.items()],
        )
        .collect(engine="streaming")
        .row(0, named=True)
    )
    counts["_unsorted"], counts["_adjacent"] = _order_counts(lf, before, same)
    out: list[Problem] = []
    for name, (mask, column, message, severity) in masks.items():
        out += _problem(lf, FACTS, counts[name], mask, column, message, severity)
    key_text, key_message = "period, unit_code, indicator", "trùng khóa (kỳ, đơn vị, chỉ tiêu)"
    if counts["_unsorted"] == 0:
        # Sorted: every duplicate is adjacent to the row it repeats.
        out += _problem(lf, FACTS, counts["_adjacent"], same, key_text, key_message)
    else:
        duplicates = counts["_rows"] - lf.select(pl.struct(FACTS_KEY).n_unique()).collect().item()
        out += _problem(lf, FACTS, duplicates, pl.struct(FACTS_KEY).is_duplicated(), key_text, key_message)
    return out, FactStats(counts["_rows"], counts["_first"], counts["_last"])


def _order_counts(
    lf: pl.LazyFrame, before: pl.Expr, same: pl.Expr, chunk: int = 1_000_000
) -> tuple[int, int]:
    """Rows out of key order, and rows equal to the row before, read a slice at a time.

    Comparing a row with the one before it does not stream, so the file is read in slices
    (bounded memory); each slice's first row is compared with the previous slice's last row.
    """
    key = list(FACTS_SORT)
    unsorted = adjacent = 0
    previous: tuple | None = None
    offset = 0
    while True:
        part = lf.slice(offset, chunk).select(key).collect()
        if part.is_empty():
            break
        inside = part.select(before.sum().alias("b"), same.sum().alias("s")).row(0)
        unsorted += inside[0] or 0
        adjacent += inside[1] or 0
        first = part.row(0)
        if previous is not None and None not in first and None not in previous:
            unsorted += first < previous
            adjacent += first == previous
        previous = part.row(part.height - 1)
        offset += part.height
        if part.height < chunk:
            break
    return unsorted, adjacent


def _new_from_year(versioned: bool) -> pl.Expr | None:
    return pl.col("year") >= FIRST_NEW_YEAR if versioned else None


def check_status(
    status: pl.DataFrame, commune_codes: set[str], new_commune_codes: set[str] | None = None
) -> list[Problem]:
    """Contract checks on commune_status.parquet (version 2: lists from 2025 in the new communes)."""
    out: list[Problem] = []
    for column in STATUS_SCHEMA:
        if column in STATUS_UNKNOWN_ALLOWED:
            continue
        out += _count_problem(status, STATUS, pl.col(column).is_null(), column, "giá trị trống")
    versioned = new_commune_codes is not None
    out += _count_problem(
        status,
        STATUS,
        _unknown_unit(pl.col("commune_code"), commune_codes, new_commune_codes, _new_from_year(versioned)),
        "commune_code",
        "mã xã không có trong danh mục"
        if not versioned
        else "mã xã không có trong danh mục của năm (trước 2025: xã cũ; từ 2025: xã, phường mới)",
    )
    out += _count_problem(
        status,
        STATUS,
        ~pl.col("drug_class").is_in(list(DRUG_CLASSES)) & pl.col("drug_class").is_not_null(),
        "drug_class",
        "phân loại ma túy không hợp lệ (khong_ma_tuy, co_te_nan, trong_diem_1..3)",
    )
    out += _count_problem(
        status,
        STATUS,
        pl.col("healthy") & (pl.col("complex") | (pl.col("drug_class") != "khong_ma_tuy")),
        "healthy",
        "xã lành mạnh không thể đồng thời là xã trọng điểm, phức tạp hoặc có tệ nạn ma túy",
    )
    out += _count_problem(
        status, STATUS, pl.struct(STATUS_KEY).is_duplicated(), "year, commune_code", "trùng khóa (năm, xã)"
    )
    return out


def check_targets(
    targets: pl.DataFrame, unit_codes: set[str], new_unit_codes: set[str] | None = None
) -> list[Problem]:
    """Contract checks on targets.parquet (version 2: targets from 2025 for the new units)."""
    out: list[Problem] = []
    for column in ("year", "unit_code", "metric", "rule", "value"):
        out += _count_problem(targets, TARGETS, pl.col(column).is_null(), column, "giá trị trống")
    versioned = new_unit_codes is not None
    out += _count_problem(
        targets,
        TARGETS,
        _unknown_unit(pl.col("unit_code"), unit_codes, new_unit_codes, _new_from_year(versioned)),
        "unit_code",
        "mã đơn vị hành chính không có trong danh mục"
        if not versioned
        else "mã đơn vị hành chính không có trong danh mục của năm "
        "(trước 2025: đơn vị cũ; từ 2025: đơn vị mới)",
    )
    out += _count_problem(
        targets,
        TARGETS,
        ~pl.col("metric").is_in(list(TARGET_METRICS)) & pl.col("metric").is_not_null(),
        "metric",
        "chỉ số mục tiêu không có trong danh mục",
    )
    out += _count_problem(
        targets,
        TARGETS,
        ~pl.col("rule").is_in(list(RULES)) & pl.col("rule").is_not_null(),
        "rule",
        "quy tắc đánh giá không hợp lệ",
    )
    out += _count_problem(targets, TARGETS, pl.col("value") < 0, "value", "giá trị âm")
    out += _count_problem(
        targets,
        TARGETS,
        pl.struct(TARGETS_KEY).is_duplicated(),
        "year, unit_code, metric, rule",
        "trùng khóa (năm, đơn vị, chỉ số, quy tắc)",
    )
    return out


STATUS_METRICS = STATUS_INDICATORS


def check_spans(
    spans: pl.DataFrame,
    facts: pl.DataFrame | pl.LazyFrame,
    unit_codes: set[str],
    new_unit_codes: set[str] | None = None,
    structure_from: dt.date | None = None,
) -> list[Problem]:
    """Contract checks on spans.parquet (version 3): flows only, first ≤ last, ≥ 0, no overlap.

    A span may overlap neither another span nor a month of ``facts`` of the same unit and
    indicator: a month inside a span would be counted twice.
    """
    out: list[Problem] = []
    first, last = pl.col("first_period"), pl.col("last_period")
    for column in SPANS_SCHEMA:
        out += _count_problem(spans, SPANS, pl.col(column).is_null(), column, "giá trị trống")
    out += _count_problem(
        spans,
        SPANS,
        (first.dt.day() != 1) | (last.dt.day() != 1),
        "first_period, last_period",
        "tháng đầu và tháng cuối phải là ngày đầu tháng",
    )
    out += _count_problem(
        spans, SPANS, first >= last, "first_period, last_period", "tháng đầu phải trước tháng cuối"
    )
    new_from = None if structure_from is None or new_unit_codes is None else last >= structure_from
    out += _count_problem(
        spans,
        SPANS,
        _unknown_unit(pl.col("unit_code"), unit_codes, new_unit_codes, new_from),
        "unit_code",
        "mã đơn vị hành chính không có trong danh mục",
    )
    if structure_from is not None:
        out += _count_problem(
            spans,
            SPANS,
            (first < structure_from) & (last >= structure_from),
            "first_period, last_period",
            "kỳ vắt qua ngày 01/7/2025 (hai cấu trúc đơn vị hành chính)",
        )
    out += _count_problem(
        spans,
        SPANS,
        ~pl.col("indicator").is_in(sorted(FLOW_INDICATORS)) & pl.col("indicator").is_not_null(),
        "indicator",
        "chỉ tiêu không phải số phát sinh (chỉ số phát sinh mới có tổng theo kỳ nhiều tháng)",
    )
    out += _count_problem(spans, SPANS, pl.col("value") < 0, "value", "giá trị âm")
    out += _count_problem(
        spans,
        SPANS,
        ~pl.col("value").is_finite() & pl.col("value").is_not_null(),
        "value",
        "giá trị không hữu hạn",
    )
    clean = spans.drop_nulls()
    pairs = clean.with_row_index("_a").join(clean.with_row_index("_b"), on=["unit_code", "indicator"])
    overlapping = pairs.filter(
        (pl.col("_a") < pl.col("_b"))
        & (pl.col("first_period") <= pl.col("last_period_right"))
        & (pl.col("first_period_right") <= pl.col("last_period"))
    )
    bad = set(overlapping["_a"].to_list()) | set(overlapping["_b"].to_list())
    out += _count_problem(
        spans.with_row_index("_i"),
        SPANS,
        pl.col("_i").is_in(sorted(bad)),
        "unit_code, indicator, first_period, last_period",
        "các kỳ của cùng đơn vị và chỉ tiêu chồng lên nhau",
    )
    months = (
        facts.lazy()
        .join(clean.lazy().select("unit_code", "indicator").unique(), on=["unit_code", "indicator"])
        .select("period", "unit_code", "indicator")
        .collect()
    )
    inside = (
        clean.with_row_index("_i")
        .join(months, on=["unit_code", "indicator"])
        .filter(pl.col("period").is_between(pl.col("first_period"), pl.col("last_period")))
    )
    out += _count_problem(
        spans.with_row_index("_i"),
        SPANS,
        pl.col("_i").is_in(inside["_i"].unique().to_list()),
        "first_period, last_period",
        "kỳ chứa tháng đã có số liệu riêng trong facts.parquet (cùng đơn vị, chỉ tiêu): "
        "tháng đó bị tính hai lần",
    )
    return out
