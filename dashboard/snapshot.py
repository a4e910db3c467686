"""Snapshots on disk: write atomically, read, validate, and pick the newest valid one."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl

from dashboard import query, schema
from dashboard.catalog import FACT_INDICATORS
from dashboard.geography import LEVELS_2025, Geography
from dashboard.schema import Problem


def is_2025(geography: Geography) -> bool:
    """Whether ``geography`` is the structure in force from 1 July 2025 (province → commune)."""
    return geography.levels == LEVELS_2025


def _structure_rows(lf: pl.LazyFrame, structure_from: dt.date | None, geography: Geography) -> pl.LazyFrame:
    """Only the rows keyed in ``geography``'s structure: a version 2 file holds both, by period."""
    if structure_from is None:
        return lf
    if is_2025(geography):
        return lf.filter(pl.col("period") >= structure_from)
    return lf.filter(pl.col("period") < structure_from)


# Public name for readers outside this module (coverage reads a scoped snapshot's own scan).
structure_rows = _structure_rows


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One valid snapshot: its manifest, the small tables in memory, and the facts on disk.

    ``facts`` reads the whole facts file on first use; ``monthly`` answers a query from the
    precomputed roll-ups (``rollups.parquet``) and the communes' own rows, read with the
    unit filter pushed down into the Parquet scan — so a national snapshot need not be held
    in memory to be shown.
    """

    snapshot_id: str
    path: Path
    manifest: dict
    status: pl.DataFrame
    targets: pl.DataFrame
    stats: schema.FactStats
    warnings: tuple[Problem, ...] = field(default=())
    _memo: dict = field(default_factory=dict, repr=False)
    # Version 3: flow totals over several months the months cannot be split from (empty before).
    spans: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=schema.SPANS_SCHEMA))

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
        """The newest month that has any fact (a month or the last month of a span)."""
        if self.spans.is_empty():
            return self.stats.last_period
        return max(d for d in (self.stats.last_period, self.spans["last_period"].max()) if d is not None)

    @property
    def first_period(self):
        if self.spans.is_empty():
            return self.stats.first_period
        return min(d for d in (self.stats.first_period, self.spans["first_period"].min()) if d is not None)

    def spans_in(self, geography: Geography) -> pl.DataFrame:
        """The spans keyed in ``geography``'s structure (version 3 on both structures: by last month)."""
        if self.spans.is_empty():
            return self.spans
        if self.structure_from is None:
            # All in the old units; the derived 2025 files (facts_2025.parquet) carry months only.
            return self.spans.clear() if is_2025(geography) else self.spans
        if is_2025(geography):
            return self.spans.filter(pl.col("first_period") >= self.structure_from)
        return self.spans.filter(pl.col("last_period") < self.structure_from)

    @property
    def structure_from(self) -> dt.date | None:
        """Version 2: the first month keyed in the 2025 units (docs/REFORM.md); None for version 1."""
        return schema.manifest_structure_from(self.manifest)

    def scan(self) -> pl.LazyFrame:
        """The facts file as a lazy scan (filters are pushed down into the reader)."""
        return pl.scan_parquet(self.path / schema.FACTS)

    @cached_property
    def facts(self) -> pl.DataFrame:
        """Every fact row, read on first use."""
        return self.scan().collect()

    def rollups(self, geography: Geography) -> pl.DataFrame:
        """Monthly values of every unit above the communes (own values win), read or computed once.

        Version 2: only the months keyed in ``geography``'s structure.
        """
        key = ("rollups", id(geography))
        if key not in self._memo:
            path = self.path / schema.ROLLUPS
            if schema.ROLLUPS in self.manifest.get("files", {}) and path.is_file():
                rolled = pl.scan_parquet(path)
            else:
                rolled = compute_rollups(
                    _structure_rows(self.facts.lazy(), self.structure_from, geography), geography
                ).lazy()
            self._memo[key] = _structure_rows(rolled, self.structure_from, geography).collect()
        return self._memo[key]

    def monthly(
        self,
        geography: Geography,
        codes: Sequence[str],
        indicators: Sequence[str],
        years: tuple[int, int] | None = None,
    ) -> pl.DataFrame:
        """Monthly values of ``indicators`` for ``codes`` (any level), as ``query.rollup_months`` gives."""
        communes = [c for c in codes if geography.has(c) and geography.level(c) == "commune"]
        others = [c for c in codes if c not in set(communes)]
        parts = []
        if others:
            lf = (
                self.rollups(geography)
                .lazy()
                .filter(pl.col("unit_code").is_in(others) & pl.col("indicator").is_in(list(indicators)))
            )
            parts.append(_in_years(lf, years).collect())
        if communes:
            lf = _structure_rows(self.scan(), self.structure_from, geography).filter(
                pl.col("unit_code").is_in(communes) & pl.col("indicator").is_in(list(indicators))
            )
            parts.append(_in_years(lf, years).select(list(schema.FACTS_SCHEMA)).collect())
        if not parts:
            return pl.DataFrame(schema=schema.FACTS_SCHEMA)
        return pl.concat(parts).cast(schema.FACTS_SCHEMA)

    def summarize(
        self,
        geography: Geography,
        codes: Sequence[str],
        indicators: Sequence[str] | None = None,
        grain: str = "year",
        years: tuple[int, int] | None = None,
        *,
        combine_as: str | None = None,
    ) -> pl.DataFrame:
        """``View.summarize`` of this snapshot read in ``geography``'s structure (``view.open_view``)."""
        return self.in_geography(geography).summarize(codes, indicators, grain, years, combine_as=combine_as)

    def in_geography(self, geography: Geography):
        """This snapshot as a ``view.View`` in ``geography``'s structure (``view.open_view``)."""
        from dashboard.view import open_view  # view.py builds on this module

        return open_view(self, geography)

    def restricted(self, access, geography: Geography):
        """This snapshot as a view in ``geography``'s structure, through an ``access.Access``."""
        return self.in_geography(geography).restricted(access)

    def allows(self, code: str) -> bool:
        """Every unit is in scope of an unrestricted snapshot (``access.ScopedView`` says otherwise)."""
        return True

    def units_with_data(self, geography: Geography, level: str) -> list[str]:
        """Units of ``level`` above the communes that have any fact (from the roll-ups)."""
        codes = set(self.rollups(geography)["unit_code"].unique().to_list())
        for unit in self.spans_in(geography)["unit_code"].unique().to_list():  # a unit with totals only
            if geography.has(unit):
                codes.update((unit, *geography.ancestors(unit)))
        return sorted(c for c in codes if geography.has(c) and geography.level(c) == level)

    @property
    def years(self) -> list[int]:
        """Every calendar year from the first to the last month with facts."""
        if self.first_period is None or self.last_period is None:
            return []
        return list(range(self.first_period.year, self.last_period.year + 1))


def _in_years(lf: pl.LazyFrame, years: tuple[int, int] | None) -> pl.LazyFrame:
    if years is None:
        return lf
    return lf.filter(pl.col("period").is_between(dt.date(years[0], 1, 1), dt.date(years[1], 12, 1)))


def compute_rollups(facts: pl.DataFrame | pl.LazyFrame, geography: Geography) -> pl.DataFrame:
    """Every non-commune unit's monthly values (the country included), own values winning."""
    rolled = query.rollup_all(facts, geography)
    communes = geography.units_at("commune")["unit_code"]
    return rolled.filter(~pl.col("unit_code").is_in(communes.implode())).cast(schema.FACTS_SCHEMA)


def _rollups_by_structure(
    facts: pl.DataFrame,
    geography: Geography,
    structure_from: dt.date | None,
    geography_2025: Geography | None,
) -> pl.DataFrame:
    """Version 1: one roll-up. Version 2: months before ``structure_from`` rolled up the old tree,
    later months the 2025 tree (a code such as 48 names a different area in each)."""
    if structure_from is None:
        return compute_rollups(facts, geography)
    if geography_2025 is None:
        from dashboard.reform import geography_2025 as reference_2025

        geography_2025 = reference_2025()
    before = facts.filter(pl.col("period") < structure_from)
    after = facts.filter(pl.col("period") >= structure_from)
    return pl.concat([compute_rollups(before, geography), compute_rollups(after, geography_2025)])


def write_derived_2025(
    folder: Path,
    geography: Geography,
    structure_from: dt.date | None = None,
    geography_2025: Geography | None = None,
    crosswalk: pl.DataFrame | None = None,
) -> dict[str, int]:
    """Write ``facts_2025.parquet`` and ``rollups_2025.parquet`` beside ``folder``'s facts file.

    The facts in the 2025 units: ``reform.to_new_structure`` of the months before
    ``structure_from`` (every month for version 1), the later months as they are. Done one new
    province at a time (each old province lies wholly in one new province, and communes merge
    only within a new province), so memory stays bounded at national scale. Returns the rows
    that could not be placed at unit level, by reason.
    """
    from dashboard import reform

    geography_2025 = reform.geography_2025() if geography_2025 is None else geography_2025
    crosswalk = reform.load_crosswalk() if crosswalk is None else crosswalk
    scan = pl.scan_parquet(folder / schema.FACTS)
    before = scan if structure_from is None else scan.filter(pl.col("period") < structure_from)
    after = None if structure_from is None else scan.filter(pl.col("period") >= structure_from)
    pairs = reform.province_map(crosswalk)
    parts: list[pl.DataFrame] = []
    unplaced: dict[str, int] = {}

    def convert(old_part: pl.LazyFrame) -> None:
        moved = reform.to_new_structure(old_part, crosswalk, geography, structure_from=None)
        parts.append(moved.facts)
        for reason, n in moved.unplaced.group_by("reason").len().iter_rows():
            unplaced[reason] = unplaced.get(reason, 0) + n

    present = set(scan.select(pl.col("unit_code").unique()).collect()["unit_code"].to_list())
    placed: set[str] = set()
    for new_province in sorted(pairs["new_province_code"].unique().to_list()):
        olds = pairs.filter(pl.col("new_province_code") == new_province)["old_province_code"].to_list()
        codes = [c for old in olds if geography.has(old) for c in (old, *geography.descendants(old))]
        placed.update(codes)
        if present.isdisjoint(codes):
            continue  # no old-unit rows here (the new-unit rows below cannot be either)
        convert(before.filter(pl.col("unit_code").is_in(codes)))
    # Codes no old province holds (reported as unplaced), and the months already in new units.
    convert(before.filter(~pl.col("unit_code").is_in(list(placed))))
    if after is not None:
        parts.append(after.collect())
    facts = (
        pl.concat([p.select(list(schema.FACTS_SCHEMA)).cast(schema.FACTS_SCHEMA) for p in parts])
        .group_by(list(schema.FACTS_KEY))
        .agg(pl.col("value").sum())
        .select(list(schema.FACTS_SCHEMA))
        .sort(schema.FACTS_SORT)
    )
    facts.write_parquet(folder / schema.FACTS_2025, compression="zstd", statistics=True)
    compute_rollups(facts, geography_2025).sort(schema.FACTS_SORT).write_parquet(
        folder / schema.ROLLUPS_2025, compression="zstd", statistics=True
    )
    return unplaced


class SnapshotError(Exception):
    """A snapshot that breaks the contract; ``problems`` lists every finding."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Bản chụp {path.name} không hợp lệ:\n{lines}")


def validate_snapshot(
    path: Path, geography: Geography, geography_2025: Geography | None = None
) -> tuple[Snapshot | None, list[Problem]]:
    """Check a snapshot folder against the contract; return it (if it has no errors) and the findings.

    ``geography``: the old structure. A version 2 snapshot is also checked against the 2025
    structure (``geography_2025``, read from the reference data when not given): each fact by
    its month, each list and target by its year.
    """
    path = Path(path)
    if not path.is_dir():
        return None, [Problem("error", str(path), "không tìm thấy thư mục bản chụp")]
    manifest, problems = schema.check_manifest(path)
    tables: dict[str, pl.DataFrame | pl.LazyFrame] = {}
    for name in schema.DATA_FILES:
        if not (path / name).is_file():
            if not any(p.file == name and "thiếu tệp" in p.message for p in problems):
                problems.append(Problem("error", name, "thiếu tệp"))
            continue
        frame, found = schema.read_table(path, name, lazy=name == schema.FACTS)
        problems += found
        if frame is not None:
            tables[name] = frame
    unit_codes = set(geography.units["unit_code"].to_list())
    commune_codes = set(geography.units_at("commune")["unit_code"].to_list())
    try:
        structure_from = schema.manifest_structure_from(manifest) if manifest is not None else None
    except ValueError:
        structure_from = None  # check_manifest has reported it: the snapshot is refused
    new_codes = new_communes = None
    if structure_from is not None:
        if geography_2025 is None:
            from dashboard.reform import geography_2025 as reference_2025  # reform builds on this module

            geography_2025 = reference_2025()
        new_codes = set(geography_2025.units["unit_code"].to_list())
        new_communes = set(geography_2025.units_at("commune")["unit_code"].to_list())
    stats = None
    cache_key = (
        _cache_key(manifest, geography, geography_2025 if structure_from is not None else None)
        if manifest is not None and not problems
        else None
    )
    cached = _cached_facts_check(path, cache_key)
    if cached is not None:
        stats, found = cached
        problems += found
    elif schema.FACTS in tables:
        found, stats = schema.check_facts_stats(tables[schema.FACTS], unit_codes, new_codes, structure_from)
        problems += found
        if cache_key is not None and not any(p.severity == "error" for p in found):
            _store_facts_check(path, cache_key, stats, found)
    if schema.STATUS in tables:
        problems += schema.check_status(tables[schema.STATUS], commune_codes, new_communes)
    spans = None
    if manifest is not None and schema.SPANS in manifest.get("files", {}):
        if manifest.get("schema_version") != schema.SCHEMA_VERSION_SPANS:
            problems.append(
                Problem(
                    "error",
                    schema.MANIFEST,
                    f"tệp {schema.SPANS} chỉ có từ hợp đồng dữ liệu phiên bản {schema.SCHEMA_VERSION_SPANS}",
                    column="schema_version",
                )
            )
        frame, found = schema.read_table(path, schema.SPANS)
        problems += found
        if frame is not None:
            spans = frame
            problems += schema.check_spans(
                spans,
                tables.get(schema.FACTS, pl.DataFrame(schema=schema.FACTS_SCHEMA)),
                unit_codes,
                new_codes,
                structure_from,
            )
            rows = (
                manifest["files"][schema.SPANS].get("rows")
                if isinstance(manifest["files"][schema.SPANS], dict)
                else None
            )
            if rows is not None and rows != spans.height:
                problems.append(
                    Problem("error", schema.SPANS, f"số dòng {spans.height} khác với manifest.json ({rows})")
                )
    if schema.TARGETS in tables:
        problems += schema.check_targets(
            tables[schema.TARGETS], unit_codes | {"VN"}, None if new_codes is None else new_codes | {"VN"}
        )
    if manifest is not None:
        for name, frame in tables.items():
            rows = manifest["files"].get(name, {}).get("rows")
            height = stats.rows if name == schema.FACTS and stats is not None else frame.height
            if rows is not None and rows != height:
                problems.append(Problem("error", name, f"số dòng {height} khác với manifest.json ({rows})"))
    errors = [p for p in problems if p.severity == "error"]
    if errors or manifest is None:
        return None, problems
    snap = Snapshot(
        snapshot_id=manifest["snapshot_id"],
        path=path,
        manifest=manifest,
        status=tables[schema.STATUS],
        targets=tables[schema.TARGETS],
        stats=stats,
        warnings=tuple(problems),
        **({"spans": spans} if spans is not None else {}),
    )
    return snap, problems


# The facts pass is the slow part of validation at national scale (seconds, for tens of millions
# of rows). Its result depends only on the file's bytes, the geography and these checks, so it is
# remembered beside the snapshots, keyed by the checksums check_manifest has just verified.
FACTS_CHECKS_VERSION = 1
VALIDATED_DIR = ".validated"


def _cache_key(manifest: dict, geography: Geography, geography_2025: Geography | None = None) -> str:
    digest = hashlib.sha256()
    digest.update(
        json.dumps(
            {
                "checks": FACTS_CHECKS_VERSION,
                "schema": manifest.get("schema_version"),
                "indicators": sorted(FACT_INDICATORS),
                "files": manifest.get("files"),
            },
            sort_keys=True,
        ).encode()
    )
    digest.update(str(geography.units.hash_rows().sum()).encode())
    if geography_2025 is not None:
        digest.update(str(geography_2025.units.hash_rows().sum()).encode())
    return digest.hexdigest()


def _cache_file(path: Path) -> Path:
    return path.parent / VALIDATED_DIR / f"{path.name}.json"


def _cached_facts_check(path: Path, key: str | None) -> tuple[schema.FactStats, list[Problem]] | None:
    if key is None:
        return None
    try:
        record = json.loads(_cache_file(path).read_text(encoding="utf-8"))
        if record.get("key") != key:
            return None
        stats = schema.FactStats(
            record["rows"],
            dt.date.fromisoformat(record["first"]) if record["first"] else None,
            dt.date.fromisoformat(record["last"]) if record["last"] else None,
        )
        warnings = [Problem(**w) for w in record.get("warnings", [])]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return stats, warnings


def _store_facts_check(path: Path, key: str, stats: schema.FactStats, warnings: list[Problem]) -> None:
    record = {
        "key": key,
        "rows": stats.rows,
        "first": stats.first_period.isoformat() if stats.first_period else None,
        "last": stats.last_period.isoformat() if stats.last_period else None,
        "warnings": [vars(w) for w in warnings],
    }
    target = _cache_file(path)
    try:
        target.parent.mkdir(exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only data folder only costs the next start the full check


def load_snapshot(path: Path, geography: Geography, geography_2025: Geography | None = None) -> Snapshot:
    """Read and validate a snapshot; raise SnapshotError listing every problem."""
    snap, problems = validate_snapshot(Path(path), geography, geography_2025)
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


def next_snapshot_id(root: Path, today: dt.date | None = None) -> str:
    """A new snapshot's id: today's date, sorting after every id under ``root``.

    The id says when the snapshot was made, not the date its figures stand at (``as_of``), so the
    newest snapshot written is always the newest id, the one the app opens. When an id of today or
    later exists (a second import today, or ids written before as dates of their figures), the
    newest such date takes the next suffix: 2026-12-04, 2026-12-04-2, 2026-12-04-3, …
    """
    day = (today or dt.date.today()).isoformat()
    root = Path(root)
    taken = [p for p in root.iterdir() if schema.SNAPSHOT_ID.match(p.name)] if root.is_dir() else []
    if not taken:
        return day
    date, suffix = max(_id_sort_key(p) for p in taken)
    if date < day:
        return day
    return f"{date}-{suffix + 1}"


@contextlib.contextmanager
def write_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data folder's write lock: one import at a time, across processes.

    An OS lock (``flock``) on the ``snapshots`` folder itself (no lock file to leave behind):
    the kernel releases it when its holder exits, however it ends, so a killed import never
    blocks the next one. Folders a killed writer left half-written are removed once it is held.
    """
    root = Path(data_dir) / "snapshots"
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _remove_orphans(root)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _remove_orphans(root: Path) -> None:
    """Remove temporary folders whose writing process no longer runs (``.tmp-<id>-<pid>-…``)."""
    for folder in root.glob(".tmp-*"):
        found = re.search(r"-pid(\d+)-", folder.name)
        if found is None or not folder.is_dir() or _alive(int(found.group(1))):
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
    geography: Geography | None = None,
    structure_from: dt.date | None = None,
    geography_2025: Geography | None = None,
    derive_2025: bool = False,
    crosswalk: pl.DataFrame | None = None,
    spans: pl.DataFrame | None = None,
) -> Path:
    """Write a new snapshot folder under ``root`` atomically: a temporary folder, then a rename.

    An existing snapshot is never overwritten. ``structure_from`` (2025-07-01) writes contract
    version 2: facts from that month, and lists and targets from 2025, keyed in the 2025 units;
    the roll-ups are then computed per structure (``geography_2025`` read from the reference
    data when not given). Non-empty ``spans`` write ``spans.parquet`` and contract version 3.
    ``derive_2025`` (with ``geography``) also derives the facts in the 2025
    units and their roll-ups (``write_derived_2025``), read when a user switches to the new units.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    final = root / snapshot_id
    if final.exists():
        raise FileExistsError(f"Bản chụp {snapshot_id} đã có, không ghi đè: {final}")
    # The writer's pid in the name: write_lock removes what a killed writer left.
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{snapshot_id}-pid{os.getpid()}-", dir=root))
    try:
        tables = {
            schema.FACTS: facts.select(list(schema.FACTS_SCHEMA))
            .cast(schema.FACTS_SCHEMA)
            .sort(schema.FACTS_SORT),
            schema.STATUS: status.select(list(schema.STATUS_SCHEMA))
            .cast(schema.STATUS_SCHEMA)
            .sort(schema.STATUS_KEY),
            schema.TARGETS: targets.select(list(schema.TARGETS_SCHEMA))
            .cast(schema.TARGETS_SCHEMA)
            .sort(schema.TARGETS_KEY),
        }
        if spans is not None and not spans.is_empty():
            tables[schema.SPANS] = (
                spans.select(list(schema.SPANS_SCHEMA)).cast(schema.SPANS_SCHEMA).sort(schema.SPANS_KEY)
            )
        if geography is not None:
            # Derived, to answer district and province queries without rolling communes up again.
            tables[schema.ROLLUPS] = _rollups_by_structure(
                tables[schema.FACTS], geography, structure_from, geography_2025
            ).sort(schema.FACTS_SORT)
        for name, frame in tables.items():
            frame.write_parquet(tmp / name, compression="zstd", statistics=True)
        derived: dict = {}
        written = list(tables)
        if derive_2025 and geography is not None:
            unplaced = write_derived_2025(tmp, geography, structure_from, geography_2025, crosswalk)
            derived[schema.DERIVED_2025] = {"unplaced": unplaced}
            written += [schema.FACTS_2025, schema.ROLLUPS_2025]
        manifest = schema.make_manifest(snapshot_id, as_of, created_at, source, demo, tmp, structure_from)
        manifest.update(derived)
        # Optional manifest fields (e.g. which file an import came from); the contract allows extensions.
        manifest.update({k: v for k, v in (extra or {}).items() if k not in manifest})
        (tmp / schema.MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        for name in (*written, schema.MANIFEST):
            with (tmp / name).open("rb") as fh:
                os.fsync(fh.fileno())
        if final.exists():  # written meanwhile by a writer outside the lock (rename would merge)
            raise FileExistsError(f"Bản chụp {snapshot_id} đã có, không ghi đè: {final}")
        try:
            os.rename(tmp, final)
        except OSError as exc:
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                raise FileExistsError(f"Bản chụp {snapshot_id} đã có, không ghi đè: {final}") from None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final
