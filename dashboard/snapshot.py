"""Snapshots on disk: write atomically, read, validate, and pick the newest valid one."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from dashboard import schema
from dashboard.geography import Geography
from dashboard.schema import Problem


@dataclass(frozen=True)
class Snapshot:
    """One snapshot's data as read from disk, with its manifest."""

    snapshot_id: str
    path: Path
    manifest: dict
    facts: pl.DataFrame
    status: pl.DataFrame
    targets: pl.DataFrame
    warnings: tuple[Problem, ...] = field(default=())

    @property
    def as_of(self) -> str:
        return self.manifest["as_of"]

    @property
    def demo(self) -> bool:
        return bool(self.manifest.get("demo"))

    @property
    def source(self) -> str:
        return self.manifest.get("source", "")

    @property
    def last_period(self):
        """The newest month that has any fact."""
        return self.facts.select(pl.col("period").max()).item()


class SnapshotError(Exception):
    """A snapshot that breaks the contract; ``problems`` lists every finding."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Bản chụp {path.name} không hợp lệ:\n{lines}")


def validate_snapshot(path: Path, geography: Geography) -> tuple[Snapshot | None, list[Problem]]:
    """Check a snapshot folder against the contract; return it (if it has no errors) and the findings."""
    path = Path(path)
    if not path.is_dir():
        return None, [Problem("error", str(path), "không tìm thấy thư mục bản chụp")]
    manifest, problems = schema.check_manifest(path)
    tables: dict[str, pl.DataFrame] = {}
    for name in schema.DATA_FILES:
        if not (path / name).is_file():
            if not any(p.file == name and "thiếu tệp" in p.message for p in problems):
                problems.append(Problem("error", name, "thiếu tệp"))
            continue
        frame, found = schema.read_table(path, name)
        problems += found
        if frame is not None:
            tables[name] = frame
    unit_codes = set(geography.units["unit_code"].to_list())
    commune_codes = set(geography.units_at("commune")["unit_code"].to_list())
    if schema.FACTS in tables:
        problems += schema.check_facts(tables[schema.FACTS], unit_codes)
    if schema.STATUS in tables:
        problems += schema.check_status(tables[schema.STATUS], commune_codes)
    if schema.TARGETS in tables:
        problems += schema.check_targets(tables[schema.TARGETS], unit_codes | {"VN"})
    if manifest is not None:
        for name, frame in tables.items():
            rows = manifest["files"].get(name, {}).get("rows")
            if rows is not None and rows != frame.height:
                problems.append(
                    Problem("error", name, f"số dòng {frame.height} khác với manifest.json ({rows})")
                )
    errors = [p for p in problems if p.severity == "error"]
    if errors or manifest is None:
        return None, problems
    snap = Snapshot(
        snapshot_id=manifest["snapshot_id"],
        path=path,
        manifest=manifest,
        facts=tables[schema.FACTS],
        status=tables[schema.STATUS],
        targets=tables[schema.TARGETS],
        warnings=tuple(problems),
    )
    return snap, problems


def load_snapshot(path: Path, geography: Geography) -> Snapshot:
    """Read and validate a snapshot; raise SnapshotError listing every problem."""
    snap, problems = validate_snapshot(Path(path), geography)
    if snap is None:
        raise SnapshotError(Path(path), problems)
    return snap


def snapshot_dirs(data_dir: Path) -> list[Path]:
    """Snapshot folders under ``data_dir/snapshots``, newest id first (temporary folders skipped)."""
    root = Path(data_dir) / "snapshots"
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and schema.SNAPSHOT_ID.match(p.name)]
    return sorted(found, key=_id_sort_key, reverse=True)


def _id_sort_key(path: Path) -> tuple[str, int]:
    match = schema.SNAPSHOT_ID.match(path.name)
    assert match is not None
    suffix = int(match.group(2)[1:]) if match.group(2) else 1
    return match.group(1), suffix


@dataclass(frozen=True)
class Catalogue:
    """What the app may serve: the valid snapshots (newest first) and why others were skipped."""

    valid: tuple[str, ...]
    skipped: tuple[tuple[str, tuple[Problem, ...]], ...]


def survey(data_dir: Path, geography: Geography) -> Catalogue:
    """Validate every snapshot under ``data_dir``; the valid ones, newest first, and the rejected."""
    valid: list[str] = []
    skipped: list[tuple[str, tuple[Problem, ...]]] = []
    for folder in snapshot_dirs(data_dir):
        snap, problems = validate_snapshot(folder, geography)
        if snap is None:
            skipped.append((folder.name, tuple(p for p in problems if p.severity == "error")))
        else:
            valid.append(folder.name)
    return Catalogue(tuple(valid), tuple(skipped))


def write_snapshot(
    root: Path,
    snapshot_id: str,
    facts: pl.DataFrame,
    status: pl.DataFrame,
    targets: pl.DataFrame,
    *,
    as_of: str,
    created_at: str,
    source: str,
    demo: bool,
    extra: dict | None = None,
) -> Path:
    """Write a new snapshot folder under ``root`` atomically: a temporary folder, then a rename.

    An existing snapshot is never overwritten.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    final = root / snapshot_id
    if final.exists():
        raise FileExistsError(f"Bản chụp {snapshot_id} đã có, không ghi đè: {final}")
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{snapshot_id}-", dir=root))
    try:
        tables = {
            schema.FACTS: facts.select(list(schema.FACTS_SCHEMA))
            .cast(schema.FACTS_SCHEMA)
            .sort(schema.FACTS_KEY),
            schema.STATUS: status.select(list(schema.STATUS_SCHEMA))
            .cast(schema.STATUS_SCHEMA)
            .sort(schema.STATUS_KEY),
            schema.TARGETS: targets.select(list(schema.TARGETS_SCHEMA))
            .cast(schema.TARGETS_SCHEMA)
            .sort(schema.TARGETS_KEY),
        }
        for name, frame in tables.items():
            frame.write_parquet(tmp / name, compression="zstd", statistics=True)
        manifest = schema.make_manifest(snapshot_id, as_of, created_at, source, demo, tmp)
        # Optional manifest fields (e.g. which file an import came from); the contract allows extensions.
        manifest.update({k: v for k, v in (extra or {}).items() if k not in manifest})
        (tmp / schema.MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        for name in (*tables, schema.MANIFEST):
            with (tmp / name).open("rb") as fh:
                os.fsync(fh.fileno())
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final
