"""AppTest of the map page (Bản đồ): it runs, its counts equal the query core, filters change it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import maps, query, snapshot
from dashboard.ui.loaders import DATA_DIR_ENV
from tests.support.apptest import open_menus

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "ui" / "app.py")
PAGE = "pages/ban_do.py"
COUNT = re.compile(r'data-key="([a-z_0-9]+)">([0-9.]+)<')


def open_map(data_dir, monkeypatch, province: str | None = None) -> AppTest:
    monkeypatch.setenv(DATA_DIR_ENV, str(data_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(str(ROOT / PAGE))
    at.run()
    if province is not None:
        at.sidebar.selectbox(key="province").set_value(province)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def legend_counts(at: AppTest) -> dict[str, int]:
    """The counts the legend beside the map shows, by class."""
    found: dict[str, int] = {}
    for block in at.markdown:
        for key, count in COUNT.findall(block.value):
            found[key] = int(count.replace(".", ""))
    return found


def deck_spec(at: AppTest) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


@pytest.fixture(scope="module")
def snap(newest_demo, geography):
    return snapshot.load_snapshot(newest_demo, geography)


def core_counts(snap, geography, area: str, year: int) -> dict[str, int]:
    communes = geography.descendants(area, "commune")
    cats = query.commune_category(
        snap.status.filter((pl.col("year") == year) & pl.col("commune_code").is_in(communes))
    )
    keys = cats.filter(pl.col("category") == "key")["drug_class"].str.slice(-1).value_counts()
    out = {f"key_{k}": n for k, n in keys.iter_rows()}
    for cat in ("complex", "healthy", "other"):
        out[cat] = cats.filter(pl.col("category") == cat).height
    if len(communes) > cats.height:
        out["no_data"] = len(communes) - cats.height
    return out


def test_map_page_for_dien_bien_shows_every_commune_with_the_core_counts(
    demo_dir, monkeypatch, snap, geography
):
    at = open_map(demo_dir, monkeypatch, province="11")
    assert at.title[0].value == "Bản đồ xã trọng điểm, phức tạp, lành mạnh: Tỉnh Điện Biên, năm 2025"
    shown = {k: v for k, v in legend_counts(at).items() if v}
    assert shown == {k: v for k, v in core_counts(snap, geography, "11", 2025).items() if v}
    spec = deck_spec(at)
    points = sum(len(layer["data"]) for layer in spec["layers"] if layer["@@type"] == "ScatterplotLayer")
    assert points == len(geography.descendants("11", "commune")) == 129
    assert spec["mapStyle"] == "__MAP_STYLE__"  # no tile server needed
    labels = next(layer for layer in spec["layers"] if layer["id"] == "labels")
    assert {row[2] for row in labels["data"]} == {
        geography.name(d) for d in geography.descendants("11", "district")
    }
    note = at.caption[-1].value
    assert re.search(
        r"Dữ liệu bản đồ gửi tới trình duyệt: [0-9.]+ byte \(129 điểm\); thời gian chạy trang: [0-9,]+ giây",
        note,
    )


def test_changing_the_year_changes_the_counts_and_the_map(demo_dir, monkeypatch, snap, geography):
    at = open_map(demo_dir, monkeypatch, province="11")
    before, spec_before = legend_counts(at), deck_spec(at)
    at.select_slider(key="map_year_2025").set_value(2015)
    at.run()
    assert not at.exception
    assert at.title[0].value.endswith("năm 2015")
    after = legend_counts(at)
    assert after != before
    assert {k: v for k, v in after.items() if v} == {
        k: v for k, v in core_counts(snap, geography, "11", 2015).items() if v
    }
    assert deck_spec(at)["layers"] != spec_before["layers"]


def test_change_view_lists_the_changed_communes_for_download(demo_dir, monkeypatch, snap, geography):
    at = open_map(demo_dir, monkeypatch, province="11")
    at.radio(key="map_view").set_value("change")
    at.run()
    assert not at.exception
    assert [s.value for s in at.subheader][:2] == ["Số xã thay đổi: 2024 → 2025", "Danh sách xã thay đổi"]
    counts_table = at.dataframe[0].value
    frame = maps.map_frame(query.from_facts(snap.facts, geography), snap.status, geography, "11", 2025)
    expected = maps.change_counts(maps.change_drawing(frame, snap.status, 2025, 2024).frame)
    assert counts_table.iloc[:, 1].tolist() == [expected[c] for c in maps.CHANGES]
    listed = at.dataframe[1].value
    assert len(listed) == sum(expected.values())
    assert any(b.proto.label == "Tải về CSV" for b in open_menus(at).get("download_button"))
    # a chosen base year
    at.selectbox(key="map_base").set_value(2015)
    at.run()
    assert at.subheader[0].value == "Số xã thay đổi: 2015 → 2025"


@pytest.mark.parametrize("encoding", ["color", "size"])
def test_indicator_view_runs_with_a_scale(demo_dir, monkeypatch, encoding):
    at = open_map(demo_dir, monkeypatch, province="11")
    at.radio(key="map_view").set_value("indicator")
    at.run()
    at.radio(key="map_encoding").set_value(encoding)
    at.run()
    assert not at.exception
    texts = " ".join(m.value for m in at.markdown)
    assert "Người nghiện có hồ sơ quản lý trên 1.000 dân" in texts
    spec = deck_spec(at)
    template_rows = [layer["data"][0] for layer in spec["layers"] if layer["@@type"] == "ScatterplotLayer"]
    assert all(len(row) == (8 if encoding == "size" else 7) for row in template_rows)


def test_a_district_filter_narrows_the_map_and_the_summary(demo_dir, monkeypatch, geography):
    at = open_map(demo_dir, monkeypatch, province="11")
    district = geography.descendants("11", "district")[0]
    at.sidebar.multiselect(key="district").set_value([district])
    at.run()
    assert not at.exception
    assert sum(legend_counts(at).values()) == len(geography.descendants(district, "commune"))
    summary = at.dataframe[-1].value
    assert summary.iloc[:, 0].tolist() == [district]


def test_national_view_payload_and_english(demo_dir, monkeypatch):
    at = open_map(demo_dir, monkeypatch, province="VN")
    size = len(at.get("deck_gl_json_chart")[0].proto.json.encode("utf-8"))
    assert size <= 1_000_000, size
    assert sum(legend_counts(at).values()) == 10_035
    at.sidebar.radio(key="lang").set_value("en")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Key, complex and healthy communes: Nationwide, 2025"
    assert "Map data sent to the browser" in at.caption[-1].value


def test_boundaries_in_the_reference_folder_draw_polygons(demo_dir, tmp_path, monkeypatch, geography):
    # A data folder of its own: the demo snapshots, and a GeoJSON made here for two communes.
    (tmp_path / "snapshots").symlink_to(demo_dir / "snapshots")
    (tmp_path / "reference").mkdir()
    codes = geography.descendants("11", "commune")[:2]
    features = []
    for code in codes:
        lat, lon = geography.units.filter(pl.col("unit_code") == code).select("lat", "lon").row(0)
        ring = [[lon, lat], [lon + 0.02, lat], [lon + 0.02, lat + 0.02], [lon, lat + 0.02], [lon, lat]]
        features.append(
            {
                "type": "Feature",
                "properties": {"commune_code": code},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    (tmp_path / "reference" / maps.BOUNDARIES_FILE).write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    at = open_map(tmp_path, monkeypatch, province="11")
    spec = deck_spec(at)
    polygons = [layer for layer in spec["layers"] if layer["@@type"] == "GeoJsonLayer"]
    assert sum(len(layer["data"]["features"]) for layer in polygons) == 2
    points = sum(len(layer["data"]) for layer in spec["layers"] if layer["@@type"] == "ScatterplotLayer")
    assert points == 127
    assert any(f"Ranh giới xã: {maps.BOUNDARIES_FILE}" in m.value for m in at.markdown)
