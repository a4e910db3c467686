"""Small counts: a crafted ward of 1–4 people can be neither read nor worked out from any output.

The crafted area is Quận Hoàng Mai in 2025: for compulsory rehabilitation one ward has 3 people,
two have 20 and 9, the other eleven none; for addicts under management one ward has 2 among
wards of dozens. The district's total is public (the overview shows it), so each output's
cells for the district's wards are checked with ``recoverable``: what the total and the shown
cells pin down.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import goals, meeting
from dashboard.access import COMPLEMENT_LABEL, DEFAULT_THRESHOLD
from dashboard.snapshot import load_snapshot, write_snapshot
from dashboard.ui import goals as ui_goals
from tests.support.apptest import open_menus

ROOT = Path(__file__).resolve().parents[2]
HOANG_MAI, SMALL_WARD = "008", "00301"
REHAB = {"00301": 3, "00304": 20, "00307": 9}  # compulsory_rehab in 12/2025; every other ward 0
ADDICTS_SMALL = 2  # addicts_managed of 00301 in 2025; the other wards keep the demo's dozens
HIDDEN = (f"<{DEFAULT_THRESHOLD}", COMPLEMENT_LABEL)


def recoverable(values: list[float], shown: list[str | None]) -> list[float]:
    """The true values of 1–4 that the group's total and the shown cells pin to one value.

    ``shown`` holds, per cell, its text: a number, "<5" (0–4), "×" (5 up to the smallest shown
    count of 5 or more), or None for a cell left out (0 up to the total). A hidden cell's
    possible values given the total are an interval (the others' bounds summed); it is pinned
    when that interval is one value.
    """
    total = sum(values)
    visible = [
        float(s.replace(".", "").replace(",", ".")) for s in shown if s is not None and s not in HIDDEN
    ]
    cap = min([v for v in visible if v >= DEFAULT_THRESHOLD], default=total)
    bounds = [
        (0, DEFAULT_THRESHOLD - 1)
        if s == HIDDEN[0]
        else (DEFAULT_THRESHOLD, cap)
        if s == HIDDEN[1]
        else (0, total)
        for s in shown
        if s is None or s in HIDDEN
    ]
    rest = total - sum(visible)
    lows, highs = sum(b[0] for b in bounds), sum(b[1] for b in bounds)
    pinned, k = [], 0
    for value, s in zip(values, shown, strict=True):
        if s is not None and s not in HIDDEN:
            if 1 <= value < DEFAULT_THRESHOLD:
                pinned.append(value)  # shown as it is
            continue
        lo, hi = bounds[k]
        k += 1
        low, high = max(lo, rest - (highs - hi)), min(hi, rest - (lows - lo))
        if 1 <= value < DEFAULT_THRESHOLD and low == high:
            pinned.append(value)
    return pinned


def test_recoverable_finds_what_a_subtraction_gives():
    # Before: the ward beside zeros and the district's total (issue 16's trends CSV).
    assert recoverable([3, 0, 0, 20], ["<5", "0", "0", "20"]) == [3]
    assert recoverable([3, 20, 9], ["<5", "20", "9"]) == [3]
    assert recoverable([4, 4, 9], ["<5", "<5", "9"]) == [4, 4]
    assert recoverable([3, 0, 0, 20], ["<5", "<5", "<5", "20"]) == []
    assert recoverable([3, 20, 9], ["<5", "20", "×"]) == []


@pytest.fixture(scope="module")
def crafted(demo_dir: Path, geography, tmp_path_factory) -> Path:
    snap = load_snapshot(demo_dir / "snapshots" / "2025-12-31", geography)
    wards = geography.children(HOANG_MAI)
    year = pl.col("period").dt.year() == 2025
    rehab = (pl.col("indicator") == "compulsory_rehab") & pl.col("unit_code").is_in(wards) & year
    facts = snap.facts.filter(~rehab)
    december = dt.date(2025, 12, 1)
    facts = pl.concat(
        [
            facts,
            pl.DataFrame(
                {
                    "period": [december] * len(wards),
                    "unit_code": wards,
                    "indicator": ["compulsory_rehab"] * len(wards),
                    "value": [float(REHAB.get(w, 0)) for w in wards],
                }
            ).cast(facts.schema),
        ]
    )
    addicts = (pl.col("indicator") == "addicts_managed") & (pl.col("unit_code") == SMALL_WARD) & year
    facts = facts.with_columns(
        pl.when(addicts).then(float(ADDICTS_SMALL)).otherwise(pl.col("value")).alias("value")
    )
    targets = pl.concat(
        [
            snap.targets,
            pl.DataFrame(
                {"year": [2025, 2025], "unit_code": [SMALL_WARD, "00304"], "metric": ["compulsory_rehab"] * 2,
                 "rule": ["at_least"] * 2, "value": [1.0, 10.0], "note": [None, None]}
            ).cast(snap.targets.schema),
        ]
    )  # fmt: skip
    root = tmp_path_factory.mktemp("crafted") / "snapshots"
    write_snapshot(root, "2025-12-31", facts, snap.status, targets, as_of="2025-12-31",
                   created_at="2026-01-05T00:00:00+00:00", source="Số liệu dựng để kiểm tra", demo=True,
                   geography=geography)  # fmt: skip
    return root.parent


def _truth(crafted: Path, geography, indicator: str) -> dict[str, float]:
    """The wards' true 2025 values, from the snapshot itself."""
    snap = load_snapshot(crafted / "snapshots" / "2025-12-31", geography)
    frame = snap.summarize(geography, geography.children(HOANG_MAI), [indicator], "year", (2025, 2025))
    return dict(zip(frame["unit_code"], frame["value"], strict=True))


def _check_group(truth: dict[str, float], shown: dict[str, str | None], where: str) -> None:
    codes = sorted(truth)
    assert recoverable([truth[c] for c in codes], [shown.get(c) for c in codes]) == [], (where, shown)


def run(crafted: Path, monkeypatch, page: str, **widgets) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(crafted))
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=180)
    at.query_params.update({"district": "Quận Hoàng Mai", "grain": "Năm"})
    at.run()
    at.switch_page(str(ROOT / page)).run()
    for key, value in widgets.items():
        found = at.get("selectbox") + at.get("multiselect") + at.get("radio") + at.get("toggle")
        next(w for w in found if w.key == key).set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _names(geography) -> dict[str, str]:
    return {geography.name(w): w for w in geography.children(HOANG_MAI)}


def test_comparison_ranking_table_and_heatmap(crafted, geography, monkeypatch):
    at = run(crafted, monkeypatch, "pages/so_sanh.py", indicator="compulsory_rehab", per_pop=False)
    names = _names(geography)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    bars = next(s["data"][0] for s in specs if s["data"][0]["type"] == "bar")
    shown = {names[n]: str(t) for n, t in zip(bars["y"], bars["text"], strict=True)}
    _check_group(_truth(crafted, geography, "compulsory_rehab"), shown, "biểu đồ xếp hạng")
    assert shown[SMALL_WARD] == "<5"
    table = at.dataframe[0].value
    shown = dict(zip(table["Mã đơn vị"], table["Giá trị"].astype(str), strict=True))
    _check_group(_truth(crafted, geography, "compulsory_rehab"), shown, "bảng xếp hạng")
    heat = next(s["data"][0] for s in specs if s["data"][0]["type"] == "heatmap")
    column = [str(y) for y in heat["x"]].index("2025")
    cells = {names[n]: row[column] for n, row in zip(heat["y"], heat["z"], strict=True)}
    shown = {c: None if v is None else f"{v:g}" for c, v in cells.items()}
    _check_group(_truth(crafted, geography, "compulsory_rehab"), shown, "bản đồ nhiệt")
    # A hidden cell says so, as the ranking does, instead of reading as a ward without figures;
    # the cells' texts give away no more than their colours.
    texts = {names[n]: row[column] for n, row in zip(heat["y"], heat["text"], strict=True)}
    assert texts[SMALL_WARD] == "<5" and cells[SMALL_WARD] is None
    assert {texts[c] for c, v in cells.items() if v is None} <= set(HIDDEN)
    _check_group(_truth(crafted, geography, "compulsory_rehab"), texts, "chữ trong bản đồ nhiệt")


def test_trends_table_of_the_wards(crafted, geography, monkeypatch):
    at = run(crafted, monkeypatch, "pages/xu_huong.py", indicators=["compulsory_rehab"],
             breakdown="small_multiples")  # fmt: skip
    names = _names(geography)
    table = open_menus(at).dataframe[0].value  # the table folded under the chart, opened
    rows = table[(table["Kỳ"] == "Năm 2025") & table["Địa bàn"].isin(names)]
    shown = {names[n]: v for n, v in zip(rows["Địa bàn"], rows["Giá trị"], strict=True)}
    assert len(shown) == len(names)
    _check_group(_truth(crafted, geography, "compulsory_rehab"), shown, "bảng xu hướng")
    # The small multiples of the wards (what a PNG/SVG of them draws): a hidden count is a gap.
    drawn: dict[str, str | None] = {}
    for spec in (json.loads(c.proto.spec) for c in at.get("plotly_chart")):
        for trace in spec["data"]:
            if trace.get("name") in names and "Năm 2025" in trace.get("x", []):
                y = trace["y"][trace["x"].index("Năm 2025")]
                drawn[names[trace["name"]]] = None if y is None else f"{y:g}"
    assert len(drawn) == len(names)
    _check_group(_truth(crafted, geography, "compulsory_rehab"), drawn, "biểu đồ các phường")
    assert drawn[SMALL_WARD] is None


def test_goals_of_the_wards(crafted, geography):
    snap = load_snapshot(crafted / "snapshots" / "2025-12-31", geography)
    results = goals.evaluate(snap.in_geography(geography), unit=HOANG_MAI, year=2025, descendants=True)
    shown = goals.hide_small_counts(results, geography, DEFAULT_THRESHOLD)
    small = next(r for r in shown if r.unit_code == SMALL_WARD and r.metric == "compulsory_rehab")
    assert small.actual is None and small.actual_shown == "<5" and small.achievement_pct is None
    table = ui_goals.goal_table(shown, "vi")
    assert "3" not in table.filter(table["Địa bàn"] == geography.name(SMALL_WARD)).to_pandas().to_csv()
    assert (
        goals.display_table(shown).filter(pl.col("Địa bàn") == geography.name(SMALL_WARD))["Thực hiện"][0]
        == "<5"
    )


@pytest.mark.parametrize("unit", [HOANG_MAI, SMALL_WARD])
def test_export_pack(crafted, geography, unit):
    snap = load_snapshot(crafted / "snapshots" / "2025-12-31", geography)
    pack = meeting.build_pack(
        snap.in_geography(geography), unit, 2025, "year", small_counts=DEFAULT_THRESHOLD
    )
    if unit == SMALL_WARD:
        assert pack.figures["compulsory_rehab"].value is None
        assert pack.figures["addicts_managed"].value is None
        assert all(r.actual is None for r in pack.goals if r.metric == "compulsory_rehab")
        return
    ranking = next(c for c in pack.charts if c.key == "drugs.ranking").figure.data[0]
    names = _names(geography)
    shown = {names[n]: t for n, t in zip(ranking.y, ranking.text, strict=True)}
    assert shown[SMALL_WARD] == "<5"
    _check_group(_truth(crafted, geography, "addicts_managed"), shown, "biểu đồ xếp hạng của bộ báo cáo")
