"""The benchmark runs end to end in its small mode (CI proves it works; no time is asserted)."""

from __future__ import annotations

import json
import math

from dashboard import bench, demo
from dashboard.catalog import MONTHLY_INDICATORS
from dashboard.cli import main


def test_small_benchmark_measures_everything(geography, tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", "--scale", "small", "--repeat", "1", "--json", str(out)]) == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    communes = len(geography.descendants(demo.DIEN_BIEN, "commune"))
    assert results["communes"] == communes
    assert results["fact_rows"] == communes * len(demo.MONTHS) * len(MONTHLY_INDICATORS)
    for key in (
        "generate_s",
        "load_cold_s",
        "load_warm_s",
        "rollups_read_s",
        "peak_memory_mb",
        "map_payload_bytes",
        "view_2025_s",
        "view_2025_rows",
        "view_2025_rollups_s",
        "view_2025_query_s",
    ):
        assert results[key] > 0, key
    assert set(results["queries"]) >= {"province_by_district_year", "district_year", "country_year"}
    for name, row in results["queries"].items():
        assert row["ours_s"] > 0, name
        if "pandas_s" in row:
            assert math.isfinite(row["pandas_ratio"]) and row["pandas_ratio"] > 0, name
    pages = {k: v for k, v in results["pages"].items() if not k.startswith("_")}
    assert {k.split(":")[1] for k in pages} == {p.split("/")[1][:-3] for p in bench.page_files()}
    assert all("error" not in row and row["cold_s"] > 0 and row["warm_s"] > 0 for row in pages.values()), (
        pages
    )
    assert "Quy mô: small" in capsys.readouterr().out
