"""The benchmark: a national-scale snapshot, then timings of loading, queries and pages, and peak memory.

``python -m dashboard bench [--scale national|province|small] --json OUT``. Timings are
printed and written, never asserted: machines are shared and noisy. Beside our query core
it times the same questions asked the plain pandas way, with the ratio (``pandas_ratio``).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq

from dashboard import demo, query, reform, schema, structure
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.snapshot import compute_rollups, load_snapshot, write_derived_2025
from dashboard.view import load_view, open_view

BENCH_SEED = 42
# Which provinces each scale covers: every one, one large one, one small one (for CI).
SCALES = ("national", "province", "small")


def provinces_for(scale: str, geography: Geography) -> list[str]:
    if scale == "national":
        return geography.units_at("province")["unit_code"].to_list()
    if scale == "province":
        return [demo.HANOI]
    if scale == "small":
        return [demo.DIEN_BIEN]
    raise ValueError(f"quy mô không hợp lệ: {scale!r} (chọn {', '.join(SCALES)})")


def profile_for(code: str, seed: int) -> demo.ProvinceProfile:
    """A believable, deterministic profile for any province."""
    rng = np.random.default_rng([seed, int(code), 5])
    return demo.ProvinceProfile(
        code,
        drug_rate=float(rng.uniform(0.8, 6.0)),
        clean_share=float(rng.uniform(0.1, 0.5)),
        service_rate=float(rng.uniform(0.8, 2.5)),
        prone_share=float(rng.uniform(0.05, 0.45)),
        hiv_rate=float(rng.uniform(0.5, 5.0)),
        healthy_recognitions=float(rng.uniform(1.0, 4.0)),
    )


def generate(root: Path, scale: str, geography: Geography, seed: int = BENCH_SEED) -> Path:
    """Write a benchmark snapshot under ``root/snapshots``, one province at a time (bounded memory).

    Like ``snapshot.write_snapshot``: facts sorted by the contract's sort key, roll-ups derived.
    """
    snapshot_id = "2025-12-31"
    folder = root / "snapshots" / snapshot_id
    parts = root / "parts"
    folder.mkdir(parents=True)
    parts.mkdir()
    ref = geography.communes.filter(pl.col("commune_code").is_not_null())
    status_parts, quota_parts, rollup_parts = [], [], []
    for code in provinces_for(scale, geography):
        communes = ref.filter(pl.col("province_code") == code).sort("commune_code")
        if communes.is_empty():
            continue
        profile = profile_for(code, seed)
        series = demo.generate_province(profile, communes, seed)
        rng = np.random.default_rng([seed, int(code), 1])
        demo.split_addicts(series, rng)
        demo.add_rehab_total(series)
        facts = demo.series_to_facts(series, communes["commune_code"].to_list()).cast(schema.FACTS_SCHEMA)
        facts.write_parquet(parts / f"{code}.parquet")
        province_rollups = compute_rollups(facts, geography)
        rollup_parts.append(province_rollups)
        status_parts.append(demo.classify(series, profile, communes, rng))
        district_of = communes["district_code"].to_numpy()
        for metric in ("compulsory_rehab", "home_community_rehab", "voluntary_rehab_center"):
            yearly = series[metric].reshape(len(district_of), -1, 12).sum(axis=2)
            for district in np.unique(district_of):
                totals = yearly[district_of == district].sum(axis=0)
                for offset, total in enumerate(totals):
                    quota = max(1.0, float(np.rint(total * rng.uniform(0.8, 1.2))))
                    quota_parts.append(
                        (demo.FIRST_YEAR + offset, str(district), metric, "at_least", quota, None)
                    )
        del series, facts
        gc.collect()
    # Hà Nội's commune codes interleave with other provinces': one sort over all parts.
    pl.scan_parquet(parts / "*.parquet").sort(schema.FACTS_SORT).sink_parquet(
        folder / schema.FACTS, compression="zstd", statistics=True, row_group_size=500_000
    )
    shutil.rmtree(parts)
    rollups = pl.concat(rollup_parts)
    country = (
        rollups.filter(pl.col("unit_code") == COUNTRY_CODE)
        .group_by("period", "unit_code", "indicator")
        .agg(pl.col("value").sum())
    )
    rollups = pl.concat(
        [rollups.filter(pl.col("unit_code") != COUNTRY_CODE), country.select(rollups.columns)]
    )
    rollups.sort(schema.FACTS_SORT).write_parquet(
        folder / schema.ROLLUPS, compression="zstd", statistics=True
    )
    pl.concat(status_parts).cast(schema.STATUS_SCHEMA).write_parquet(folder / schema.STATUS)
    pl.DataFrame(quota_parts, schema=schema.TARGETS_SCHEMA, orient="row").write_parquet(
        folder / schema.TARGETS
    )
    unplaced = write_derived_2025(folder, geography)  # as write_snapshot(derive_2025=True) does
    manifest = schema.make_manifest(
        snapshot_id,
        snapshot_id,
        f"{snapshot_id}T17:00:00+07:00",
        f"Số liệu giả lập cho đo hiệu năng ({scale})",
        True,
        folder,
    )
    manifest[schema.DERIVED_2025] = {"unplaced": unplaced}
    (folder / schema.MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return folder


def _generate_child(root: str, scale: str) -> None:
    generate(Path(root), scale, Geography.from_reference())


def _generate_in_child(root: Path, scale: str) -> Path:
    code = f"from dashboard import bench; bench._generate_child({str(root)!r}, {scale!r})"
    done = subprocess.run([sys.executable, "-c", code], check=False)
    if done.returncode != 0:
        raise RuntimeError(f"sinh số liệu đo hiệu năng thất bại (mã thoát {done.returncode})")
    return root / "snapshots" / "2025-12-31"


def map_payload(view, area: str) -> int:
    """Bytes of the status map's JSON for ``area`` in the view's last year, as the map page sends it."""
    from dashboard import maps

    year, geography = view.last_period.year, view.geography
    frame = maps.map_frame(view.monthly, view.status, geography, area, year, last_period=view.last_period)
    deck = maps.build_deck(maps.category_drawing(frame), labels=maps.label_units(geography, area))
    return maps.payload_bytes(deck)


def _timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    """Median wall time in seconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_memory_mb() -> float:
    """This process's peak resident memory, MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def pandas_queries(
    facts_path: Path, geography: Geography, province: str, district: str
) -> dict[str, Callable]:
    """The same questions asked the plain pandas way: read, merge with the units, group, sum.

    Only in the benchmark, as the baseline the issue asks for; stocks at the period's last month.
    """
    import pandas as pd

    units = geography.communes.select("commune_code", "district_code", "province_code").to_pandas()
    stocks = sorted(query.STOCK_INDICATORS)

    def load() -> pd.DataFrame:
        return pd.read_parquet(facts_path)

    frame = load()

    def by_district_year(area_col: str, code: str) -> pd.DataFrame:
        df = frame.merge(units, left_on="unit_code", right_on="commune_code")
        df = df[df[area_col] == code]
        df["year"] = df["period"].astype("datetime64[ns]").dt.year
        flows = (
            df[~df["indicator"].isin(stocks)].groupby(["district_code", "year", "indicator"])["value"].sum()
        )
        last = df[df["indicator"].isin(stocks)]
        last = last[last["period"] == last.groupby("year")["period"].transform("max")]
        stock = last.groupby(["district_code", "year", "indicator"])["value"].sum()
        return pd.concat([flows, stock]).reset_index()

    def country_year() -> pd.DataFrame:
        df = frame.copy()
        df["year"] = df["period"].astype("datetime64[ns]").dt.year
        flows = df[~df["indicator"].isin(stocks)].groupby(["year", "indicator"])["value"].sum()
        last = df[df["indicator"].isin(stocks)]
        last = last[last["period"] == last.groupby("year")["period"].transform("max")]
        return pd.concat([flows, last.groupby(["year", "indicator"])["value"].sum()]).reset_index()

    return {
        "province_by_district_year": lambda: by_district_year("province_code", province),
        "district_year": lambda: by_district_year("district_code", district),
        "country_year": country_year,
    }


def run(
    scale: str, geography: Geography, workdir: Path | None = None, repeat: int = 3, pages: bool = True
) -> dict:
    """Generate, then measure. Returns the results as a JSON-ready dict."""
    results: dict = {"scale": scale, "cpu_count": os.cpu_count()}
    own_tmp = workdir is None
    root = Path(tempfile.mkdtemp(prefix="bench-")) if own_tmp else Path(workdir)
    try:
        # Generate in a child process, so that this process's peak memory is the serving side's only.
        seconds, folder = _timed(lambda: _generate_in_child(root, scale))
        results["generate_s"] = seconds
        results["size_bytes"] = folder_size(folder)
        results["fact_rows"] = pq.ParquetFile(folder / schema.FACTS).metadata.num_rows
        results["communes"] = len(
            {c for p in provinces_for(scale, geography) for c in geography.descendants(p, "commune")}
        )

        cold, snap = _timed(lambda: load_snapshot(folder, geography))
        warm, snap = _timed(lambda: load_snapshot(folder, geography))
        results["load_cold_s"], results["load_warm_s"] = cold, warm
        seconds, rollups = _timed(lambda: snap.rollups(geography))
        results["rollups_read_s"], results["rollup_rows"] = seconds, rollups.height

        province = provinces_for(scale, geography)[0]
        district = geography.children(province)[0]
        area = COUNTRY_CODE if scale == "national" else province
        communes = geography.descendants(district, "commune")
        seen = open_view(snap, geography)

        def ask(codes: list[str], grain: str = "year") -> pl.DataFrame:
            return seen.summarize(codes, grain=grain)

        ours = {
            "province_by_district_year": lambda: ask(geography.children(province)),
            "district_year": lambda: ask([district]),
            "country_year": lambda: ask([area]),
            "district_communes_month": lambda: ask(communes, "month"),
        }
        results["queries"] = {name: {"ours_s": _timed(fn, repeat)[0]} for name, fn in ours.items()}
        seconds, payload = _timed(lambda: map_payload(seen, area), repeat)
        results["map_s"], results["map_payload_bytes"] = seconds, payload
        # The snapshot seen in the 2025 units (what the app converts once when a user switches),
        # then one province-wide question over it.
        new = reform.geography_2025()
        seconds, seen = _timed(lambda: load_view(snap, structure.NEW, new))
        results["view_2025_s"], results["view_2025_rows"] = seconds, seen.snapshot.facts.height
        results["view_2025_rollups_s"] = _timed(lambda: seen.rollups())[0]
        new_province = reform.province_map(reform.load_crosswalk()).filter(
            pl.col("old_province_code") == province
        )["new_province_code"][0]
        results["view_2025_query_s"] = _timed(lambda: seen.summarize([new_province], grain="year"), repeat)[0]
        seen = None  # the view's memory is counted in the peak below, then freed
        if pages:
            selections = {
                "province": {"province": geography.name(province)},
                "district": {"province": geography.name(province), "district": geography.name(district)},
            }
            if scale == "national":
                selections = {"country": {"province": "Toàn quốc"}, **selections}
            elif scale == "small":
                selections = {
                    "district": selections["district"]
                }  # CI proves it works; one selection is enough
            results["pages"] = page_timings(root, selections)
        results["peak_memory_mb"] = peak_memory_mb()
        # The pandas baseline runs last: its own memory must not count as ours.
        baseline = pandas_queries(folder / schema.FACTS, geography, province, district)
        for name, fn in baseline.items():
            pandas_s, _ = _timed(fn, repeat)
            row = results["queries"][name]
            row["pandas_s"], row["pandas_ratio"] = pandas_s, pandas_s / row["ours_s"]
        results["peak_memory_with_pandas_mb"] = peak_memory_mb()
        return results
    finally:
        if own_tmp:
            shutil.rmtree(root, ignore_errors=True)


ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "ui" / "app.py"  # the entry script (dashboard.ui.serve.APP)


def page_files() -> list[str]:
    """The pages routed from the entry script, in navigation order."""
    import re

    return re.findall(r'"(pages/[^"]+\.py)"', APP.read_text(encoding="utf-8"))


def page_timings(
    data_dir: Path, selections: dict[str, dict[str, str]], pages: list[str] | None = None
) -> dict:
    """Each page's script run time through AppTest, cold (caches cleared) and warm, per selection.

    ``selections`` maps a selection's name to the URL parameters that select it (as a copied link would).
    """
    from streamlit.testing.v1 import AppTest

    from dashboard.ui import loaders

    os.environ["DASHBOARD_DATA_DIR"] = str(data_dir)
    out: dict[str, dict[str, float]] = {}
    first_page_s = None
    for name, params in selections.items():
        for page in pages or page_files():
            loaders.clear()
            timings = {}
            for run in ("cold", "warm"):
                at = AppTest.from_file(str(APP), default_timeout=600)
                at.query_params.update(params)
                start = time.perf_counter()
                at.run()
                at.switch_page(str(ROOT / page)).run()
                timings[f"{run}_s"] = time.perf_counter() - start
                if at.exception:
                    timings["error"] = str(at.exception[0].value)[:200]
            if first_page_s is None:
                first_page_s = timings["cold_s"]
            out[f"{name}:{Path(page).stem}"] = timings
    out["_first_page_after_start_s"] = {"cold_s": first_page_s or 0.0}
    return out


def table(results: dict) -> str:
    """The results as a plain-text table."""
    lines = [
        f"Quy mô: {results['scale']} — {results.get('communes', 0)} xã, {results.get('fact_rows', 0):,} dòng"
    ]
    for key in (
        "map_payload_bytes",
        "map_s",
        "generate_s",
        "size_bytes",
        "load_cold_s",
        "load_warm_s",
        "rollups_read_s",
        "view_2025_s",
        "view_2025_rows",
        "view_2025_rollups_s",
        "view_2025_query_s",
        "peak_memory_mb",
        "peak_memory_with_pandas_mb",
    ):
        if key in results:
            lines.append(f"  {key:<28} {results[key]:>14,.3f}")
    for name, row in results.get("queries", {}).items():
        line = f"  query {name:<26} ours {row['ours_s']:.3f} s"
        if "pandas_s" in row:
            line += f"   pandas {row['pandas_s']:.3f} s   ratio {row['pandas_ratio']:.1f}×"
        lines.append(line)
    for name, row in results.get("pages", {}).items():
        lines.append(
            f"  page {name:<30} "
            + "  ".join(f"{k} {v:.3f} s" if isinstance(v, float) else f"{k}: {v}" for k, v in row.items())
        )
    return "\n".join(lines)
