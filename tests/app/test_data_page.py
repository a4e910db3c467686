"""The Dữ liệu page: snapshot list, comparison, and a corrupt snapshot leaving the last good one served."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import demo, history, importing
from dashboard.formatting import md_text
from dashboard.i18n import t

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/du_lieu.py"


def run(data_dir: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(str(ROOT / PAGE)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_lists_snapshots_and_compares_them(demo_dir, demo_snapshots, monkeypatch):
    at = run(demo_dir, monkeypatch)
    listing = at.dataframe[0].value
    ids = [sid for sid, _ in reversed(demo.SNAPSHOTS)]
    assert listing[t("data.col.snapshot")].tolist() == ids
    assert set(listing[t("data.col.valid")]) == {t("common.yes")}
    old, new = (demo_snapshots[sid] for sid, _ in demo.SNAPSHOTS)
    diff = importing.compare(old, new)
    counts = history.change_counts(diff)
    assert any(history.change_summary(diff) == m.value for m in at.markdown)
    assert f"{counts['added']:,}".replace(",", ".") in history.change_summary(diff)
    assert counts["revised"] > 0 and counts["added"] > 0


def test_corrupt_newest_snapshot_is_listed_invalid_and_the_previous_one_served(
    demo_dir, tmp_path, monkeypatch
):
    data = tmp_path / "data"
    shutil.copytree(demo_dir / "snapshots", data / "snapshots")
    newest = data / "snapshots" / demo.SNAPSHOTS[-1][0]
    (newest / "facts.parquet").write_bytes(b"PAR1 broken")
    at = run(data, monkeypatch)
    listing = at.dataframe[0].value
    row = listing[listing[t("data.col.snapshot")] == newest.name].iloc[0]
    assert row[t("data.col.valid")] == t("common.no")
    assert "facts.parquet" in row[t("data.col.problems")]
    assert any(md_text(newest.name) in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.sidebar.selectbox(key="snapshot").value == demo.SNAPSHOTS[0][0]


def test_comparison_table_names_units_and_indicators(demo_snapshots, geography):
    old, new = (demo_snapshots[sid] for sid, _ in demo.SNAPSHOTS)
    table = history.comparison_table(importing.compare(old, new).head(5), geography)
    assert table.columns[:4] == [
        t("data.col.month"),
        t("data.col.unit_code"),
        t("data.col.unit"),
        t("data.col.indicator"),
    ]
    assert table[t("data.col.unit")].str.contains(r"^(Xã|Phường|Thị trấn) ").all()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_problems_table_in_both_languages(lang):
    from dashboard.schema import Problem

    table = history.problems_table(
        [Problem("error", "Số liệu", "giá trị âm", column="Giá trị", where="dòng 3")], lang
    )
    assert table.row(0) == (t("data.kind.error", lang), "Số liệu", "Giá trị", "dòng 3", "giá trị âm")
