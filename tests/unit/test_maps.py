"""The commune map: categories, colours, changes, districts, escaping, payload, boundaries, static image."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import plotly.graph_objects as go
import polars as pl
import pydeck as pdk
import pytest

from dashboard import maps, query, reform, snapshot, theme
from dashboard.geography import Geography
from dashboard.schema import DRUG_CLASSES, STATUS_SCHEMA
from tests.support.data import small_reference


def status_frame(rows: list[tuple[int, str, str, bool, bool]]) -> pl.DataFrame:
    """Status rows from (year, commune, drug_class, complex, healthy) tuples."""
    return pl.DataFrame(rows, schema=STATUS_SCHEMA, orient="row")


@pytest.fixture(scope="module")
def dien_bien(newest_demo, geography):
    return snapshot.load_snapshot(newest_demo, geography)


# ---------------------------------------------------------------------------------------------
# Categories and colours


@pytest.mark.parametrize(
    "drug_class,complex_,healthy,category,map_class",
    [
        ("trong_diem_1", False, False, "key", "key_1"),
        ("trong_diem_2", False, False, "key", "key_2"),
        ("trong_diem_3", False, False, "key", "key_3"),
        # key wins over complex
        ("trong_diem_1", True, False, "key", "key_1"),
        ("co_te_nan", True, False, "complex", "complex"),
        ("khong_ma_tuy", True, False, "complex", "complex"),
        ("khong_ma_tuy", False, True, "healthy", "healthy"),
        ("co_te_nan", False, False, "other", "other"),
        ("khong_ma_tuy", False, False, "other", "other"),
    ],
)
def test_category_precedence(drug_class, complex_, healthy, category, map_class):
    out = maps.classify(status_frame([(2020, "00001", drug_class, complex_, healthy)]))
    assert out.select("category", "map_class").row(0) == (category, map_class)


def test_every_class_has_its_category_colour_a_distinct_glyph_and_a_label_in_both_languages():
    assert set(theme.COMMUNE_CLASS_COLORS) == set(maps.MAP_CLASSES)
    assert set(theme.COMMUNE_CATEGORY_COLORS) == {*query.CATEGORIES, "no_data"}
    colours = list(theme.COMMUNE_CLASS_COLORS.values())
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours)
    # The key types share the key colour (theme.py says why); glyph and size tell them apart.
    glyphs = [theme.COMMUNE_CLASS_GLYPHS[c] for c in maps.MAP_CLASSES]
    assert len(set(glyphs)) == len(glyphs)
    assert (
        theme.COMMUNE_CLASS_SIZES["key_1"]
        > theme.COMMUNE_CLASS_SIZES["key_2"]
        > theme.COMMUNE_CLASS_SIZES["key_3"]
    )
    for cls in maps.MAP_CLASSES:
        assert theme.COMMUNE_CLASS_COLORS[cls] == theme.COMMUNE_CATEGORY_COLORS[maps.CLASS_CATEGORY[cls]]
        assert maps.class_label(cls, "vi") != maps.class_label(cls, "en")
    assert len({theme.COMMUNE_CATEGORY_COLORS[c] for c in query.CATEGORIES}) == len(query.CATEGORIES)
    assert maps.class_label("key_1") == "Trọng điểm loại I"
    assert maps.class_label("key_3") == "Trọng điểm loại III"


@pytest.mark.parametrize(
    "color,alpha,expected",
    [("#B71C1C", None, [183, 28, 28]), ("#2E7D32", 200, [46, 125, 50, 200]), ("FFFFFF", None, [255] * 3)],
)
def test_hex_to_rgb(color, alpha, expected):
    assert maps.hex_to_rgb(color, alpha) == expected


# ---------------------------------------------------------------------------------------------
# Changes against a base year

# (drug_class, complex, healthy) of a key, a complex, a healthy and an "other" commune
KEY = ("trong_diem_2", False, False)
CPX = ("co_te_nan", True, False)
HLT = ("khong_ma_tuy", False, True)
OTH = ("co_te_nan", False, False)
KEY_CPX = ("trong_diem_1", True, False)


@pytest.mark.parametrize(
    "before,after,changes,direction",
    [
        (OTH, OTH, [], "unchanged"),
        (OTH, HLT, ["became_healthy"], "better"),
        (HLT, OTH, ["left_healthy"], "worse"),
        (OTH, KEY, ["became_key"], "worse"),
        (KEY, OTH, ["left_key"], "better"),
        (OTH, CPX, ["became_complex"], "worse"),
        (CPX, OTH, ["left_complex"], "better"),
        (HLT, CPX, ["became_complex", "left_healthy"], "worse"),
        (KEY, CPX, ["left_key", "became_complex"], "mixed"),
        (CPX, HLT, ["left_complex", "became_healthy"], "better"),
        (KEY_CPX, KEY, ["left_complex"], "better"),
        (KEY, KEY_CPX, ["became_complex"], "worse"),
        (HLT, KEY_CPX, ["became_key", "became_complex", "left_healthy"], "worse"),
        # a change of key type alone is not a change of list
        (KEY, ("trong_diem_1", False, False), [], "unchanged"),
    ],
)
def test_change_classification(before, after, changes, direction):
    status = status_frame([(2016, "00001", *before), (2017, "00001", *after)])
    found = maps.classify_changes(status, 2017, 2016)
    assert found["change"].to_list() == changes
    assert maps.direction_of(changes) == direction


def test_changes_leave_out_communes_not_classified_in_both_years_and_other_communes():
    status = status_frame(
        [
            (2016, "00001", *OTH),
            (2017, "00001", *HLT),
            (2017, "00004", *KEY),  # new in 2017: nothing to compare with
            (2016, "00006", *KEY),  # gone in 2017
            (2016, "00007", *OTH),
            (2017, "00007", *KEY),
        ]
    )
    found = maps.classify_changes(status, 2017, 2016, codes=["00001", "00004", "00006"])
    assert found.rows() == [("00001", "became_healthy")]
    # A base year after the year works the other way round.
    assert maps.classify_changes(status, 2016, 2017, codes=["00001"]).rows() == [("00001", "left_healthy")]


def test_change_view_counts_and_download_list(small_geo):
    status = status_frame(
        [
            (2016, "90001", *OTH),
            (2017, "90001", *HLT),
            (2016, "90002", *KEY),
            (2017, "90002", *CPX),
            (2017, "90003", *OTH),
        ]
    )
    facts = pl.DataFrame(
        schema={"period": pl.Date, "unit_code": pl.String, "indicator": pl.String, "value": pl.Float64}
    )
    frame = maps.map_frame(query.from_facts(facts, small_geo), status, small_geo, "90", 2017)
    view = maps.change_drawing(frame, status, 2017, 2016)
    assert dict(view.frame.select("commune_code", "direction").iter_rows()) == {
        "90001": "better",
        "90002": "mixed",
        "90003": "no_data",
    }
    assert maps.change_counts(view.frame) == {
        "became_key": 0,
        "left_key": 1,
        "became_complex": 1,
        "left_complex": 0,
        "became_healthy": 1,
        "left_healthy": 0,
    }
    assert {i.key: i.count for i in view.legend} == {
        "worse": 0,
        "mixed": 1,
        "better": 1,
        "unchanged": 0,
        "no_data": 1,
    }
    table = maps.change_table(view.frame, 2016, 2017)
    assert table.columns == [
        "Mã đơn vị",
        "Xã, phường, thị trấn",
        "Quận, huyện",
        "Thay đổi",
        "Phân loại năm 2016",
        "Phân loại năm 2017",
    ]
    assert table.rows() == [
        ("90001", "Phường Một", "Quận Một", "Được công nhận lành mạnh", "Khác", "Lành mạnh"),
        ("90002", "Xã Hai", "Quận Một", "Ra khỏi danh sách trọng điểm", "Trọng điểm loại II", "Phức tạp"),
        ("90002", "Xã Hai", "Quận Một", "Trở thành xã phức tạp", "Trọng điểm loại II", "Phức tạp"),
    ]


# ---------------------------------------------------------------------------------------------
# Districts


def test_district_summary_counts_list_memberships_per_district(small_geo):
    status = status_frame(
        [
            (2017, "90001", *KEY_CPX),  # key and complex: counts in both
            (2017, "90002", *HLT),
            (2018, "90002", *KEY),  # another year: ignored
        ]
    )
    out = maps.district_summary(status, small_geo, "90", 2017)
    assert out.rows() == [
        ("901", "Quận Một", 2, 2, 1, 1, 1),
        # No list in 902: nothing classified, and its counts are unknown rather than 0.
        ("902", "Huyện Hai", 1, 0, None, None, None),
    ]
    assert out.columns == [
        "district_code",
        "district_name",
        "communes",
        "classified_communes",
        "key_communes",
        "complex_communes",
        "healthy_communes",
    ]
    # A district area summarises itself only; a commune area its district.
    assert maps.district_summary(status, small_geo, "902", 2017)["district_code"].to_list() == ["902"]
    assert maps.district_summary(status, small_geo, "90001", 2017)["district_code"].to_list() == ["901"]


def test_district_summary_of_dien_bien_matches_the_query_core(dien_bien, geography):
    out = maps.district_summary(dien_bien.status, geography, "11", 2025)
    assert out["district_code"].to_list() == geography.descendants("11", "district")
    whole = query.status_counts(dien_bien.status, geography, ["11"], (2025, 2025)).row(0, named=True)
    for column in ("key_communes", "complex_communes", "healthy_communes", "classified_communes"):
        assert out[column].sum() == whole[column]
    assert out["communes"].sum() == len(geography.descendants("11", "commune"))
    assert maps.listed_totals(out) == {
        "key": whole["key_communes"],
        "complex": whole["complex_communes"],
        "healthy": whole["healthy_communes"],
    }


def test_labels_are_districts_of_a_province_and_provinces_of_the_country(geography):
    assert maps.label_units(geography, "11")["unit_code"].to_list() == geography.descendants("11", "district")
    assert maps.label_units(geography, "VN").height == 63


@pytest.mark.parametrize(
    "layer,index,expected",
    [("c-key_2", 0, "901"), ("c-other", 0, "902"), ("c-healthy", 5, None), ("nope", 0, None)],
)
def test_selected_district_from_a_clicked_commune(layer, index, expected, small_geo):
    ids = {"c-key_2": ["90001"], "c-other": ["90003"], "c-healthy": ["90002"]}
    selection = {"selection": {"indices": {layer: [index]}, "objects": {layer: [[0, 0, "x"]]}}}
    assert maps.selected_district(selection, ids, small_geo) == expected


def test_selected_district_from_a_clicked_label(small_geo):
    selection = {
        "selection": {"indices": {"labels": [1]}, "objects": {"labels": [[105, 21, "Huyện Hai", "902"]]}}
    }
    assert maps.selected_district(selection, {}, small_geo) == "902"
    assert maps.selected_district(None, {}, small_geo) is None
    assert maps.selected_district({"selection": {"indices": {}, "objects": {}}}, {}, small_geo) is None


# ---------------------------------------------------------------------------------------------
# The map frame and its counts for Điện Biên


@pytest.mark.parametrize("year", [2015, 2020, 2025])
def test_dien_bien_frame_has_every_commune_and_counts_equal_the_query_core(dien_bien, geography, year):
    frame = maps.map_frame(
        query.from_facts(dien_bien.facts, geography),
        dien_bien.status,
        geography,
        "11",
        year,
        last_period=dien_bien.last_period,
    )
    assert frame["commune_code"].to_list() == geography.descendants("11", "commune")
    assert frame["lat"].null_count() == 0
    counts = maps.category_counts(frame)
    core = query.commune_category(
        dien_bien.status.filter(
            (pl.col("year") == year) & pl.col("commune_code").is_in(geography.descendants("11", "commune"))
        )
    )
    assert counts == {
        "key": core.filter(pl.col("category") == "key").height,
        "complex": core.filter(pl.col("category") == "complex").height,
        "healthy": core.filter(pl.col("category") == "healthy").height,
        "other": core.filter(pl.col("category") == "other").height,
        "no_data": frame.height - core.height,
    }
    whole = query.status_counts(dien_bien.status, geography, ["11"], (year, year)).row(0, named=True)
    assert counts["key"] == whole["key_communes"]
    assert counts["healthy"] == whole["healthy_communes"]
    legend = maps.category_drawing(frame).legend
    assert sum(i.count for i in legend) == frame.height
    assert sum(i.count for i in legend if i.key.startswith("key_")) == counts["key"]


def test_changing_the_year_changes_the_counts(dien_bien, geography):
    def counts(year):
        return maps.category_counts(
            maps.map_frame(
                query.from_facts(dien_bien.facts, geography), dien_bien.status, geography, "11", year
            )
        )

    assert counts(2015) != counts(2025)


def test_main_figures_are_the_year_end_stock_from_the_query_core(dien_bien, geography):
    frame = maps.map_frame(
        query.from_facts(dien_bien.facts, geography), dien_bien.status, geography, "11", 2024
    )
    code = frame.sort("addicts_managed", descending=True)["commune_code"][0]
    expected = query.summarize(
        query.from_facts(dien_bien.facts, geography),
        dien_bien.status,
        geography,
        [code],
        ["addicts_managed"],
        years=(2024, 2024),
    )["value"][0]
    assert frame.filter(pl.col("commune_code") == code)["addicts_managed"][0] == expected


def test_indicator_per_1000_population(dien_bien, geography):
    frame = maps.map_frame(
        query.from_facts(dien_bien.facts, geography),
        dien_bien.status,
        geography,
        "11",
        2025,
        indicator="addicts_managed",
        per_1000=True,
    )
    pop = maps.map_frame(
        query.from_facts(dien_bien.facts, geography),
        dien_bien.status,
        geography,
        "11",
        2025,
        indicator="population",
    )
    joined = frame.join(pop.select("commune_code", pl.col("value").alias("pop")), on="commune_code")
    expected = joined.select(
        pl.when(pl.col("pop") > 0).then(pl.col("addicts_managed") / pl.col("pop") * 1000)
    ).to_series()
    assert joined["value"].to_list() == pytest.approx(expected.to_list(), nan_ok=True)


# ---------------------------------------------------------------------------------------------
# Indicator scale


@pytest.mark.parametrize(
    "values,expected",
    [
        ([0, 0, 0], []),
        ([None, 2.0], [2.0, 2.0]),
        ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1.0, 2.8, 4.6, 6.4, 8.2, 10.0]),
        ([0.0, 0.5, 0.5, 0.5, 7.3], [0.5, 3.2, 7.3]),
        ([1, 1000, 2000, 3000, 4000], [1.0, 800.0, 1600.0, 2400.0, 3200.0, 4000.0]),
    ],
)
def test_value_breaks(values, expected):
    assert maps.value_breaks(pl.Series(values, dtype=pl.Float64)) == pytest.approx(expected)


@pytest.mark.parametrize(
    "value,expected", [(3.14159, 3.1), (0.012345, 0.012), (1234.0, 1200.0), (0.0, 0.0), (98.7, 99.0)]
)
def test_nice_number(value, expected):
    assert maps.nice_number(value) == pytest.approx(expected)


def _value_frame(values):
    n = len(values)
    return pl.DataFrame(
        {
            "commune_code": [f"{i:05d}" for i in range(n)],
            "commune_name": [f"Xã {i}" for i in range(n)],
            "district_name": ["Huyện A"] * n,
            "lat": [21.0] * n,
            "lon": [105.0 + i / 100 for i in range(n)],
            "category": ["other"] * n,
            "map_class": ["other"] * n,
            "addicts_managed": [1.0] * n,
            "drug_users": [2.0] * n,
            "prostitution_prone_businesses": [None] * n,
            "value": values,
        },
        schema_overrides={"value": pl.Float64, "prostitution_prone_businesses": pl.Float64},
    )


def test_indicator_colour_view_has_a_readable_vietnamese_scale():
    view = maps.indicator_drawing(_value_frame([0.0, 1.5, 2.25, 3.0, 4.5, None]), "Tỷ lệ", "vi")
    labels = [(i.key, i.label, i.count) for i in view.legend]
    assert labels[-2:] == [("zero", "0", 1), ("no_data", "Không có số liệu cho lựa chọn này", 1)]
    ranges = labels[:-2]
    assert sum(c for _, _, c in ranges) == 4
    # highest first, Vietnamese decimal comma
    assert ranges[0][1].endswith("4,5") and ranges[-1][1].startswith("1,5")
    assert [i.color for i in view.legend[:-2]] == sorted(
        [i.color for i in view.legend[:-2]], key=list(reversed(maps.VALUE_COLORS)).index
    )
    english = maps.indicator_drawing(_value_frame([0.0, 1.5, 2.25, 3.0, 4.5]), "Rate", "en")
    assert english.legend[0].label.endswith("4.5")


def test_indicator_size_view_scales_radius_with_the_square_root():
    frame = _value_frame([0.0, 25.0, 100.0])
    view = maps.indicator_drawing(frame, "x", encoding="size")
    radius = view.frame["radius"].to_list()
    lo, hi = maps.SIZE_RANGE_PX
    assert radius == pytest.approx([lo, lo + (hi - lo) * 0.5, hi], abs=0.05)
    assert view.size_legend[0] == (100.0, hi)
    # points keep their category colours and legend
    assert view.legend == maps.category_drawing(frame).legend
    with pytest.raises(ValueError, match="Cách thể hiện"):
        maps.indicator_drawing(_value_frame([1.0]), "x", encoding="shape")


# ---------------------------------------------------------------------------------------------
# The deck: layers, tooltip and escaping, base map, payload


def _evil_geo() -> Geography:
    ref = small_reference().with_columns(
        pl.when(pl.col("commune_code") == "90001")
        .then(pl.lit('Xã <img src=x onerror="alert(1)"> & Co'))
        .otherwise(pl.col("commune_name"))
        .alias("commune_name"),
        pl.Series("lat", [21.0, 21.1, 21.2]),
    )
    return Geography.from_frame(ref)


def _evil_view():
    geo = _evil_geo()
    status = status_frame([(2017, "90001", *KEY), (2017, "90002", *HLT), (2017, "90003", *OTH)])
    facts = pl.DataFrame(
        {
            "period": [dt.date(2017, 12, 1)],
            "unit_code": ["90001"],
            "indicator": ["addicts_managed"],
            "value": [1234.0],
        }
    )
    frame = maps.map_frame(query.from_facts(facts, geo), status, geo, "90", 2017)
    return geo, maps.category_drawing(frame)


def test_deck_has_one_layer_per_class_and_a_text_tooltip_that_never_renders_html():
    geo, view = _evil_view()
    deck = maps.build_deck(view, labels=maps.label_units(geo, "90"))
    assert isinstance(deck, pdk.Deck)
    spec = json.loads(deck.to_json())
    ids = [layer["id"] for layer in spec["layers"]]
    # least serious drawn first, so the key communes stay on top; labels last
    assert ids == ["c-other", "c-healthy", "c-key_2", "labels"]
    key_layer = spec["layers"][2]
    row = key_layer["data"][0]
    assert row[2] == 'Xã <img src=x onerror="alert(1)"> & Co\nQuận Một\nTrọng điểm loại II'
    assert row[3:] == ["1.234", "–", "–"]
    assert key_layer["getFillColor"][:3] == maps.hex_to_rgb(theme.COMMUNE_CLASS_COLORS["key_2"])
    # accessors are deck.gl expressions, literal strings are not
    assert key_layer["getPosition"] == "@@=[this[0],this[1]]"
    assert key_layer["radiusUnits"] == "pixels"
    label_layer = spec["layers"][3]
    assert (label_layer["getText"], label_layer["characterSet"], label_layer["fontFamily"]) == (
        "@@=this[2]",
        "auto",
        theme.FONT_FAMILY,
    )
    assert "@@=@@" not in deck.to_json()
    # deck.gl puts a "text" tooltip into innerText: markup in a name shows as text.
    assert set(deck._tooltip) == {"text", "style"}
    assert deck._tooltip["text"].splitlines() == [
        "{2}",
        "Người nghiện có hồ sơ quản lý: {3}",
        "Người sử dụng trái phép chất ma túy: {4}",
        "Cơ sở kinh doanh dịch vụ dễ phát sinh mại dâm: {5}",
    ]
    assert maps.layer_ids(view) == {"c-key_2": ["90001"], "c-healthy": ["90002"], "c-other": ["90003"]}


def test_static_figure_escapes_names_in_its_html_hover_text():
    _, view = _evil_view()
    fig = maps.image_figure(view, title="Phân loại xã: Tỉnh <Thử>, năm 2017")
    key_trace = next(tr for tr in fig.data if tr.legendgroup == "key_2")
    assert key_trace.hovertext[0] == (
        "<b>Xã &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co</b><br>Quận Một<br>Trọng điểm loại II"
    )
    assert fig.layout.title.text == "Phân loại xã: Tỉnh &lt;Thử&gt;, năm 2017"


def test_offline_by_default_and_a_configurable_base_map():
    _, view = _evil_view()
    spec = json.loads(maps.build_deck(view).to_json())
    # pydeck's placeholder tells Streamlit to draw no base map (map_style=None would fetch Carto tiles)
    assert spec["mapStyle"] == "__MAP_STYLE__"
    assert spec.get("mapProvider") is None
    assert maps.basemap_from_env({}) == maps.Basemap(None, None)
    basemap = maps.basemap_from_env({"DASHBOARD_MAP_PROVIDER": "carto", "DASHBOARD_MAP_STYLE": "light"})
    spec = json.loads(maps.build_deck(view, basemap=basemap).to_json())
    assert spec["mapProvider"] == "carto"
    assert "positron" in spec["mapStyle"]
    url = "https://tiles.example.vn/style.json"
    assert maps.basemap_from_env({"DASHBOARD_MAP_STYLE": url}) == maps.Basemap("carto", url)


def national_snapshot(geo: Geography, seed: int = 4) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every commune of the country with a random class and random main figures for 2025."""
    codes = geo.units_at("commune")["unit_code"].to_list()
    rng = np.random.default_rng(seed)
    n = len(codes)
    drug_class = rng.choice(DRUG_CLASSES, n)
    complex_ = rng.random(n) < 0.15
    healthy = (drug_class == "khong_ma_tuy") & ~complex_ & (rng.random(n) < 0.5)
    status = pl.DataFrame(
        {
            "year": [2025] * n,
            "commune_code": codes,
            "drug_class": drug_class,
            "complex": complex_,
            "healthy": healthy,
        },
        schema=STATUS_SCHEMA,
    )
    facts = pl.concat(
        pl.DataFrame(
            {
                "period": [dt.date(2025, 12, 1)] * n,
                "unit_code": codes,
                "indicator": [indicator] * n,
                "value": rng.integers(0, high, n).astype(float),
            }
        )
        for indicator, high in (
            ("addicts_managed", 300),
            ("drug_users", 500),
            ("prostitution_prone_businesses", 20),
            ("population", 30_000),
        )
    )
    return facts, status


def test_national_payload_stays_under_one_megabyte(geography):
    facts, status = national_snapshot(geography)
    frame = maps.map_frame(query.from_facts(facts, geography), status, geography, "VN", 2025)
    assert frame.height == 10_035
    view = maps.category_drawing(frame)
    deck = maps.build_deck(view, labels=maps.label_units(geography, "VN"))
    size = maps.payload_bytes(deck)
    assert size <= 1_000_000, size
    spec = json.loads(deck.to_json())
    points = sum(len(layer["data"]) for layer in spec["layers"] if layer["@@type"] == "ScatterplotLayer")
    assert points == 10_035
    # Each point carries its tooltip: name, district, category and the three figures.
    assert all(
        len(layer["data"][0]) == 6 for layer in spec["layers"] if layer["@@type"] == "ScatterplotLayer"
    )
    # pydeck's own serialisation of the same deck is more than twice as big.
    assert len(pdk.Deck.to_json(deck).encode()) > 2 * size


# ---------------------------------------------------------------------------------------------
# Boundaries


def _square(lon: float, lat: float, d: float = 0.01) -> list:
    return [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]


def _geojson(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def test_boundaries_draw_polygons_for_communes_that_have_one(tmp_path):
    doc = _geojson(
        [
            {
                "type": "Feature",
                "properties": {"commune_code": "90001", "name": "ignored"},
                "geometry": {"type": "Polygon", "coordinates": _square(105.123456789, 21.0)},
            },
            {
                "type": "Feature",
                "properties": {"commune_code": "90002"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [_square(105.2, 21.1), _square(105.3, 21.1)],
                },
            },
        ]
    )
    path = tmp_path / maps.BOUNDARIES_FILE
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert maps.find_boundaries(tmp_path) == path
    assert maps.find_boundaries(tmp_path / "missing") is None
    boundaries = maps.load_boundaries(path)
    assert set(boundaries) == {"90001", "90002"}
    assert boundaries["90001"]["coordinates"][0][0] == [105.1235, 21.0]

    geo, view = _evil_view()
    deck = maps.build_deck(view, boundaries=boundaries)
    spec = json.loads(deck.to_json())
    kinds = {layer["id"]: layer["@@type"] for layer in spec["layers"]}
    assert kinds == {"c-other": "ScatterplotLayer", "p-healthy": "GeoJsonLayer", "p-key_2": "GeoJsonLayer"}
    feature = next(layer for layer in spec["layers"] if layer["id"] == "p-key_2")["data"]["features"][0]
    # the tooltip template's {2}… fields are found in a feature's properties
    assert feature["properties"]["2"].startswith("Xã <img")
    assert maps.layer_ids(view, boundaries) == {
        "p-key_2": ["90001"],
        "p-healthy": ["90002"],
        "c-other": ["90003"],
    }
    fig = maps.image_figure(view, title="x", boundaries=boundaries)
    filled = [tr for tr in fig.data if tr.fill == "toself"]
    assert len(filled) == 2


@pytest.mark.parametrize(
    "content,message",
    [
        ("not json", "không đọc được GeoJSON"),
        (json.dumps({"type": "Feature"}), "FeatureCollection"),
        (json.dumps(_geojson([])), "không có đối tượng"),
        (
            json.dumps(_geojson([{"properties": {"commune_code": 1}, "geometry": {"type": "Polygon"}}])),
            "5 chữ số",
        ),
        (
            json.dumps(
                _geojson(
                    [
                        {
                            "properties": {"commune_code": "90001"},
                            "geometry": {"type": "Point", "coordinates": [1, 2]},
                        }
                    ]
                )
            ),
            "Polygon hoặc MultiPolygon",
        ),
        (
            json.dumps(
                _geojson(
                    [
                        {
                            "properties": {"commune_code": "90001"},
                            "geometry": {"type": "Polygon", "coordinates": _square(1, 2)},
                        }
                    ]
                    * 2
                )
            ),
            "hai lần",
        ),
    ],
)
def test_bad_boundary_files_are_refused_with_a_reason(tmp_path, content, message):
    path = tmp_path / "b.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(maps.BoundaryError, match=message):
        maps.load_boundaries(path)


# ---------------------------------------------------------------------------------------------
# The static image


def test_static_image_of_dien_bien(dien_bien, geography):
    frame = maps.map_frame(
        query.from_facts(dien_bien.facts, geography), dien_bien.status, geography, "11", 2025
    )
    view = maps.category_drawing(frame, "vi")
    title = maps.t("map.static_title", "vi", area=geography.name("11"), year=2025)
    fig = maps.image_figure(view, title=title)
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text == "Phân loại xã, phường, thị trấn: Tỉnh Điện Biên, năm 2025"
    assert fig.layout.separators == ",."
    assert [tr.type for tr in fig.data] == ["scatter"] * len(view.legend)
    counts = maps.class_counts(frame)
    for trace, item in zip(fig.data, view.legend, strict=True):
        assert trace.name == f"{item.label} ({counts.get(item.key, 0)})"
        assert trace.marker.color == theme.COMMUNE_CLASS_COLORS[item.key]
        assert len(trace.x) == counts.get(item.key, 0)
    assert sum(len(tr.x) for tr in fig.data) == frame.height
    assert fig.layout.yaxis.scaleanchor == "x"
    english = maps.image_figure(maps.category_drawing(frame, "en"), title="x", lang="en")
    assert english.data[0].name.startswith("Key, type I (")


def test_a_province_map_opens_on_its_mainland_and_the_country_map_keeps_its_islands():
    new = reform.geography_2025()
    da_nang = maps.area_communes(new, "48")
    hoang_sa = da_nang.filter(pl.col("commune_name") == "Đặc khu Hoàng Sa")
    assert hoang_sa.height == 1
    body = maps.main_body(da_nang)
    # Only the offshore special zone is left out of the initial view; it is still on the map.
    assert set(da_nang["commune_code"]) - set(body["commune_code"]) == set(hoang_sa["commune_code"])
    fitted = maps.view_state(da_nang, whole=False)
    whole = maps.view_state(da_nang, whole=True)
    assert fitted.zoom > whole.zoom + 1
    assert body["lon"].min() <= fitted.longitude <= body["lon"].max()
    # The whole country: every island commune is inside the fitted bounds.
    country = maps.area_communes(new, "VN")
    view = maps.view_state(country, whole=True)
    assert view.longitude == pytest.approx((country["lon"].min() + country["lon"].max()) / 2, abs=1e-3)


def test_the_legend_column_is_one_block_whose_texts_are_shown_as_text():
    items = [maps.LegendItem("key_1", "Trọng điểm loại I", "#8B0000", 4, "I")]
    hostile = "ranh_gioi <img src=x onerror=alert(1)>\n\n[x](http://evil).geojson"
    body = maps.panel_html(
        [
            (maps.NOTE, "45/45 xã, phường đã có phân loại"),
            (maps.HEADING, "Số xã theo phân loại"),
            (maps.MARKUP, maps.legend_html(items, "vi", "Tổng số xã")),
            (maps.MARKUP, maps.key_total_html("Trọng điểm (cả ba loại)", 1234, "vi")),
            (maps.NOTE, f"Ranh giới xã: {hostile}"),
        ]
    )
    # One HTML block: a blank line would end it and what followed would be read as Markdown.
    assert body.startswith('<div class="map-legend">') and "\n\n" not in body
    assert "<img" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "Ranh giới xã: ranh_gioi &lt;img" in body and "[x](http://evil).geojson" in body
    # The order of the lines is kept, and the numbers are Vietnamese.
    texts = ["đã có phân loại", "Số xã theo phân loại", 'data-key="key_1">4<', "Tổng số xã", "<b>1.234</b>"]
    positions = [body.index(text) for text in texts]
    assert positions == sorted(positions)
