"""Across the 2025 reform: the 2025 units, the crosswalk, and facts moved between the structures."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import polars as pl
import pytest

from dashboard import query, reform, schema
from dashboard.geography import COUNTRY_CODE, LEVELS_2025, Geography
from dashboard.schema import FACTS_SCHEMA, STATUS_SCHEMA
from tests.support.data import crafted_crosswalk, crafted_legacy, crafted_new

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "data" / "reference"
JUNE, JULY = dt.date(2025, 6, 1), dt.date(2025, 7, 1)


# --- the real reference tables ----------------------------------------------------------------


@pytest.fixture(scope="module")
def crosswalk() -> pl.DataFrame:
    return reform.load_crosswalk()


@pytest.fixture(scope="module")
def units_2025() -> pl.DataFrame:
    return reform.load_units_2025()


@pytest.fixture(scope="module")
def geo_2025() -> Geography:
    return reform.geography_2025()


def test_2025_structure_has_34_provinces_and_3321_communes(units_2025, geo_2025):
    assert units_2025.height == 3321
    assert units_2025["commune_code"].n_unique() == 3321
    assert units_2025["province_code"].n_unique() == 34
    assert geo_2025.levels == LEVELS_2025 == ("province", "commune")
    assert dict(geo_2025.units.group_by("level").len().iter_rows()) == {"province": 34, "commune": 3321}
    assert set(units_2025["commune_type"]) == {"Phường", "Xã", "Đặc khu"}
    # The type is the one the name carries (the source's wardType disagrees for four communes).
    assert units_2025.filter(~pl.col("commune_name").str.starts_with(pl.col("commune_type") + " ")).is_empty()
    assert units_2025.filter(pl.col("commune_type") == "Đặc khu").height == 13


def test_2025_tree_runs_province_to_commune(geo_2025):
    assert geo_2025.name("07900") == "Phường Việt Trì"
    assert geo_2025.ancestors("07900") == ["25", COUNTRY_CODE]
    assert geo_2025.name("48") == "Thành phố Đà Nẵng"
    assert not geo_2025.has("49")  # Quảng Nam is part of Đà Nẵng now
    assert len(geo_2025.descendants("01", "commune")) == 126


def test_every_old_commune_maps_exactly_once_by_default(crosswalk, geography):
    old = set(geography.units_at("commune")["unit_code"])
    assert len(old) == 10035
    rows = crosswalk.filter(pl.col("old_commune_code").is_not_null())
    assert set(rows["old_commune_code"]) == old
    defaults = rows.filter("default").group_by("old_commune_code").len()
    assert defaults.height == 10035 and defaults["len"].max() == 1
    # Every unsplit row is the default; the split communes, about 470, have one default each.
    assert rows.filter(~pl.col("split") & ~pl.col("default")).is_empty()
    split = rows.filter("split")
    assert split["old_commune_code"].n_unique() == 471
    assert split.group_by("old_commune_code").len()["len"].min() >= 2


def test_the_old_codes_in_the_crosswalk_agree_with_the_old_reference(crosswalk, geography):
    rows = crosswalk.filter(pl.col("old_commune_code").is_not_null())
    parents = rows.select(
        pl.col("old_commune_code").replace_strict(
            dict(geography.parent_map.select("unit_code", "parent_code").iter_rows())
        ),
        "old_district_code",
    )
    assert (parents["old_commune_code"] == parents["old_district_code"]).all()


def test_every_new_commune_is_reached(crosswalk, units_2025):
    new = set(units_2025["commune_code"])
    assert set(crosswalk["new_commune_code"]) == new
    assert set(crosswalk["new_province_code"]) == set(units_2025["province_code"])
    # By a default row: all but one. Phường Yên Sở (Hà Nội) is formed only from pieces of split
    # communes whose default target is elsewhere, so old-unit history gives it no figures.
    reached = set(crosswalk.filter("default")["new_commune_code"])
    assert new - reached == {"00340"}


def test_island_districts_without_communes_map_to_their_special_zone(crosswalk, units_2025):
    islands = crosswalk.filter(pl.col("old_commune_code").is_null())
    names = dict(units_2025.select("commune_code", "commune_name").iter_rows())
    got = {d: names[c] for d, c in islands.select("old_district_code", "new_commune_code").iter_rows()}
    assert got == {
        "318": "Đặc khu Bạch Long Vĩ",
        "471": "Đặc khu Cồn Cỏ",
        "498": "Đặc khu Hoàng Sa",
        "536": "Đặc khu Lý Sơn",
        "755": "Đặc khu Côn Đảo",
    }
    whole = reform.whole_districts(crosswalk)
    assert set(islands["old_district_code"]) <= set(whole["old_district_code"])
    assert whole.filter(pl.col("old_district_code") == "207")["new_commune_code"].to_list() == [
        "07192"
    ]  # Cô Tô


def test_each_old_province_lies_in_one_new_province(crosswalk):
    pmap = reform.province_map(crosswalk)
    assert pmap.height == 63
    assert dict(pmap.iter_rows())["49"] == "48"  # Quảng Nam → Thành phố Đà Nẵng
    assert pmap.group_by("new_province_code").len().height == 34


def test_3316_new_codes_are_old_codes_of_another_place(units_2025, geography, crosswalk):
    new_codes = set(units_2025["commune_code"])
    old_codes = set(geography.units_at("commune")["unit_code"])
    assert len(new_codes & old_codes) == 3316
    # Each reused code is the code of one of the old communes merged into the new one.
    lenders = crosswalk.filter(pl.col("old_commune_code") == pl.col("new_commune_code"))
    assert lenders["new_commune_code"].n_unique() == 3316


@pytest.mark.parametrize(
    ("code", "period", "structure", "level", "name"),
    [
        ("07900", dt.date(2025, 6, 1), reform.LEGACY, "commune", "Phường Gia Cẩm"),
        ("07900", dt.date(2025, 7, 1), reform.NEW, "commune", "Phường Việt Trì"),
        ("07900", dt.date(2015, 1, 1), reform.LEGACY, "commune", "Phường Gia Cẩm"),
        ("07900", 2024, reform.LEGACY, "commune", "Phường Gia Cẩm"),
        ("07900", 2025, reform.NEW, "commune", "Phường Việt Trì"),  # the 2025 list is set after the reform
        ("49", dt.date(2025, 6, 1), reform.LEGACY, "province", "Tỉnh Quảng Nam"),
        ("48", dt.date(2025, 7, 1), reform.NEW, "province", "Thành phố Đà Nẵng"),
        ("227", dt.date(2025, 6, 1), reform.LEGACY, "district", "Thành phố Việt Trì"),
    ],
)
def test_a_code_is_resolved_by_its_period(geography, geo_2025, code, period, structure, level, name):
    unit = reform.resolve_unit(code, period, geography, geo_2025)
    assert (unit.code, unit.structure, unit.level, unit.name) == (code, structure, level, name)


@pytest.mark.parametrize(
    ("code", "period"),
    [
        ("49", JULY),  # Quảng Nam: part of Đà Nẵng from July 2025
        ("227", JULY),  # no districts from July 2025
        ("26732", JUNE),  # Đặc khu Côn Đảo: one of the 5 new codes that were never old codes
        ("99999", JUNE),
    ],
)
def test_a_code_the_structure_of_its_period_lacks_is_refused(geography, geo_2025, code, period):
    with pytest.raises(KeyError, match=code):
        reform.resolve_unit(code, period, geography, geo_2025)


def test_version_1_snapshots_stay_in_the_old_structure(geography, geo_2025):
    unit = reform.resolve_unit("07900", dt.date(2025, 9, 1), geography, geo_2025, structure_from=None)
    assert unit.name == "Phường Gia Cẩm"
    assert reform.structure_of_year(2026, None) == reform.LEGACY


def test_straddling_new_communes_are_listed(crosswalk):
    placement = reform.new_commune_districts(crosswalk)
    assert placement.height == 3321
    straddling = reform.straddling_communes(crosswalk)
    assert straddling.height == 317
    yen_so = straddling.filter(pl.col("new_commune_code") == "00340").row(0, named=True)
    assert yen_so["districts"] == ["008", "020"] and yen_so["old_district_code"] == "008"  # Quận Hoàng Mai
    viet_tri = placement.filter(pl.col("new_commune_code") == "07900").row(0, named=True)
    assert viet_tri["old_district_code"] == "227" and not viet_tri["straddles"]


def test_reference_tables_are_rebuilt_identically():
    spec = importlib.util.spec_from_file_location("build_reference", ROOT / "scripts" / "build_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build_units().equals(pl.read_parquet(REFERENCE / "units.parquet"))
    assert module.build_units_2025().equals(pl.read_parquet(REFERENCE / "units_2025.parquet"))
    assert module.build_crosswalk().equals(pl.read_parquet(REFERENCE / "crosswalk_2025.parquet"))


def test_a_real_merge_is_continuous_across_july_2025(crosswalk, geo_2025):
    # Phường Việt Trì (07900 from July 2025) is five old communes of Thành phố Việt Trì, among them
    # the old 07900 (Phường Gia Cẩm): the code alone would mix Gia Cẩm's history with Việt Trì's.
    old = ["07888", "07897", "07900", "07930", "07933"]
    months = [dt.date(2025, m, 1) for m in range(1, 13)]
    rows = [(m, c, "drug_users", 10.0) for m in months if m < JULY for c in old]
    rows += [(m, "07900", "drug_users", 50.0) for m in months if m >= JULY]
    facts = pl.DataFrame(rows, schema=FACTS_SCHEMA, orient="row")
    new = reform.to_new_structure(facts, crosswalk).facts
    assert new.filter(pl.col("unit_code") == "07900")["value"].to_list() == [50.0] * 12
    monthly = query.rollup_months(new, geo_2025, ["25"], ["drug_users"]).sort("period")
    assert monthly["value"].to_list() == [50.0] * 12


# --- crafted structures: a merge, a split, an island, a straddle -------------------------------


def facts(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=FACTS_SCHEMA, orient="row")


def values(frame: pl.DataFrame) -> dict[tuple[dt.date, str], float]:
    rows = frame.sort("period", "unit_code").select("period", "unit_code", "value").iter_rows()
    return {(p, u): v for p, u, v in rows}


@pytest.mark.parametrize(
    ("old", "expected", "unplaced"),
    [
        # a merge: two old communes into one new commune add up
        ({"00001": 3, "00002": 4}, {"00001": 7}, {}),
        # a split: the whole value goes to the default new commune, none to the other piece
        ({"00003": 10}, {"00003": 10}, {}),
        # the split commune's piece and two whole communes land on new 00004 only by default rows
        ({"00003": 10, "00004": 5, "00006": 2}, {"00003": 10, "00004": 7}, {}),
        # an island district without communes goes whole to its special zone
        ({"004": 9}, {"00007": 9}, {}),
        # a district's own value cannot be placed on a commune; it stays in the province total
        ({"002": 8, "00003": 1}, {"00003": 1, "01": 8}, {"002": 8}),
        # a district that went whole into one new commune: its own value wins over its communes
        ({"001": 20, "00001": 3, "00002": 4}, {"00001": 20}, {}),
        # an old province's own value: the new province is the sum of its old provinces' totals
        ({"02": 100, "00001": 3, "00005": 1}, {"00001": 3, "00005": 1, "01": 103}, {}),
        # the country's own value stays
        ({"VN": 1000, "00005": 1}, {"00005": 1, "VN": 1000}, {}),
    ],
)
def test_re_aggregation_to_the_new_structure(old, expected, unplaced):
    got = reform.to_new_structure(
        facts([(JUNE, u, "drug_users", float(v)) for u, v in old.items()]),
        crafted_crosswalk(),
        crafted_legacy(),
    )
    assert {u: v for (_, u), v in values(got.facts).items()} == expected
    assert {u: v for (_, u), v in values(got.unplaced).items()} == unplaced
    assert set(got.unplaced["reason"]) <= {reform.REASON_DISTRICT}


def test_values_landing_on_one_new_commune_add_up_per_month_and_indicator():
    rows = [(JUNE, "00001", "drug_users", 3.0), (JUNE, "00002", "drug_users", 4.0)]
    rows += [(JUNE, "00001", "compulsory_rehab", 1.0), (JUNE, "00002", "compulsory_rehab", 2.0)]
    rows += [(dt.date(2025, 5, 1), "00002", "drug_users", 6.0)]
    got = reform.to_new_structure(facts(rows), crafted_crosswalk(), crafted_legacy()).facts
    assert got.sort("indicator", "period").rows() == [
        (JUNE, "00001", "compulsory_rehab", 3.0),
        (dt.date(2025, 5, 1), "00001", "drug_users", 6.0),
        (JUNE, "00001", "drug_users", 7.0),
    ]


def test_a_trend_across_july_2025_neither_double_counts_nor_drops():
    # Old communes report through June 2025, the new communes from July; every month the area
    # holds the same 21 people, whichever structure reports them.
    months = [dt.date(2025, m, 1) for m in range(1, 13)]
    old = {"00001": 3, "00002": 4, "00003": 5, "00004": 2, "00005": 6, "00006": 1}
    new = {"00001": 7, "00003": 5, "00004": 3, "00005": 6}
    rows = [(m, u, "drug_users", float(v)) for m in months if m < JULY for u, v in old.items()]
    rows += [(m, u, "drug_users", float(v)) for m in months if m >= JULY for u, v in new.items()]
    result = reform.to_new_structure(facts(rows), crafted_crosswalk(), crafted_legacy())
    assert result.unplaced.is_empty()
    geo = crafted_new()
    for code, series in (("00001", [7.0] * 12), ("01", [21.0] * 12), (COUNTRY_CODE, [21.0] * 12)):
        monthly = query.rollup_months(result.facts, geo, [code], ["drug_users"]).sort("period")
        assert monthly["period"].to_list() == months
        assert monthly["value"].to_list() == series, code
    # A flow over the year: each month counted once, in one structure.
    flows = [(m, u, "compulsory_rehab", 1.0) for m in months if m < JULY for u in old]
    flows += [(m, u, "compulsory_rehab", 1.0) for m in months if m >= JULY for u in new]
    flow_facts = reform.to_new_structure(facts(flows), crafted_crosswalk(), crafted_legacy()).facts
    year = query.to_periods(query.rollup_months(flow_facts, geo, ["01"], ["compulsory_rehab"]), "year", None)
    assert year["value"].to_list() == [6 * 6 + 6 * 4]


def test_months_from_july_2025_are_kept_as_they_are():
    rows = [(JULY, "00004", "drug_users", 3.0), (JULY, "01", "drug_users", 9.0)]
    got = reform.to_new_structure(facts(rows), crafted_crosswalk(), crafted_legacy())
    assert got.facts.rows() == sorted(rows)


def test_a_version_1_snapshot_is_converted_in_every_month():
    rows = [(JULY, "00002", "drug_users", 3.0)]
    got = reform.to_new_structure(facts(rows), crafted_crosswalk(), crafted_legacy(), structure_from=None)
    assert got.facts.rows() == [(JULY, "00001", "drug_users", 3.0)]


def test_unknown_codes_are_returned_not_dropped_silently():
    rows = [(JUNE, "00009", "drug_users", 3.0), (JUNE, "009", "drug_users", 1.0)]
    got = reform.to_new_structure(facts(rows), crafted_crosswalk(), crafted_legacy())
    assert got.facts.is_empty()
    assert set(got.unplaced["reason"]) == {reform.REASON_UNKNOWN}
    assert got.unplaced_count == 2


@pytest.mark.parametrize(
    ("new", "expected", "unplaced"),
    [
        ({"00001": 7}, {"001": 7}, {}),
        ({"00005": 1, "00004": 2}, {"003": 1, "002": 2}, {}),  # 00004: tie 1–1, it kept 00004's code → 002
        ({"00007": 4}, {"004": 4}, {}),  # the special zone back to its island district
        ({"01": 50, "00001": 7}, {"001": 7}, {"01": 50}),  # a new province of two old ones
        ({"VN": 70}, {"VN": 70}, {}),
    ],
)
def test_re_aggregation_to_the_old_structure(new, expected, unplaced):
    got = reform.to_old_structure(
        facts([(JULY, u, "drug_users", float(v)) for u, v in new.items()]), crafted_crosswalk()
    )
    assert {u: v for (_, u), v in values(got.facts).items()} == expected
    assert {u: v for (_, u), v in values(got.unplaced).items()} == unplaced


def test_to_old_structure_flags_the_straddling_communes_with_data():
    rows = [
        (JULY, "00004", "drug_users", 2.0),
        (JULY, "00001", "drug_users", 7.0),
        (JUNE, "00002", "drug_users", 4.0),
    ]
    got = reform.to_old_structure(facts(rows), crafted_crosswalk())
    assert got.flagged.rows() == [("00004", "002", ["002", "003"])]
    assert (JUNE, "00002", "drug_users", 4.0) in got.facts.rows()  # months before July unchanged
    legacy = crafted_legacy()
    by_district = query.rollup_months(got.facts, legacy, ["001", "002", "01"], ["drug_users"])
    assert values(by_district) == {
        (JUNE, "001"): 4.0,
        (JUNE, "01"): 4.0,
        (JULY, "001"): 7.0,
        (JULY, "002"): 2.0,
        (JULY, "01"): 9.0,
    }


def test_to_old_structure_on_a_real_merge(crosswalk):
    rows = [(JULY, "07900", "drug_users", 50.0), (JULY, "00340", "drug_users", 5.0)]
    got = reform.to_old_structure(facts(rows), crosswalk)
    assert values(got.facts) == {(JULY, "227"): 50.0, (JULY, "008"): 5.0}
    assert got.flagged["unit_code"].to_list() == ["00340"]


def test_a_new_province_that_was_one_old_province_maps_back(crosswalk):
    got = reform.to_old_structure(
        facts([(JULY, "11", "drug_users", 5.0), (JULY, "48", "drug_users", 9.0)]), crosswalk
    )
    assert values(got.facts) == {(JULY, "11"): 5.0}  # Điện Biên is unchanged
    assert got.unplaced.select("unit_code", "reason").rows() == [("48", reform.REASON_PROVINCE)]


@pytest.mark.parametrize(
    ("old", "expected"),
    [
        # (drug_class, complex, healthy) of old 00001 and 00002 → new 00001
        ((("khong_ma_tuy", False, True), ("khong_ma_tuy", False, True)), ("khong_ma_tuy", False, True)),
        ((("khong_ma_tuy", False, True), ("khong_ma_tuy", False, False)), ("khong_ma_tuy", False, False)),
        ((("co_te_nan", False, False), ("trong_diem_2", False, False)), ("trong_diem_2", False, False)),
        ((("trong_diem_1", False, False), ("trong_diem_3", True, False)), ("trong_diem_1", True, False)),
        ((("khong_ma_tuy", False, True), ("co_te_nan", True, False)), ("co_te_nan", True, False)),
    ],
)
def test_classifications_are_re_aggregated_into_new_communes(old, expected):
    status = pl.DataFrame(
        [(2024, code, *row) for code, row in zip(("00001", "00002"), old, strict=True)],
        schema=STATUS_SCHEMA,
        orient="row",
    )
    got = reform.status_to_new_structure(status, crafted_crosswalk())
    assert got.rows() == [(2024, "00001", *expected)]


def test_classifications_from_2025_are_kept_and_earlier_split_communes_go_to_the_default():
    status = pl.DataFrame(
        [(2024, "00003", "trong_diem_1", True, False), (2025, "00004", "co_te_nan", False, False)],
        schema=STATUS_SCHEMA,
        orient="row",
    )
    got = reform.status_to_new_structure(status, crafted_crosswalk())
    assert got.rows() == [
        (2024, "00003", "trong_diem_1", True, False),
        (2025, "00004", "co_te_nan", False, False),
    ]


def test_a_version_1_list_is_converted_in_every_year():
    status = pl.DataFrame([(2025, "00002", "co_te_nan", False, False)], schema=STATUS_SCHEMA, orient="row")
    got = reform.status_to_new_structure(status, crafted_crosswalk(), structure_from=None)
    assert got.rows() == [(2025, "00001", "co_te_nan", False, False)]


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ({"schema_version": 1}, None),
        ({"schema_version": 1, "structure_from": "2025-07-01"}, None),
        ({"schema_version": 2, "structure_from": "2025-07-01"}, JULY),
    ],
)
def test_the_manifest_says_where_the_new_structure_starts(manifest, expected):
    assert schema.manifest_structure_from(manifest) == expected


@pytest.mark.parametrize("value", [None, "2025-06-01", "01/07/2025"])
def test_a_version_2_manifest_must_state_the_reform_month(value):
    with pytest.raises(ValueError, match="structure_from"):
        schema.manifest_structure_from({"schema_version": 2, "structure_from": value})


def test_the_rules_are_worded_in_both_languages():
    for rule in (reform.SPLIT_RULE, reform.DISTRICT_RULE, reform.STRADDLE_RULE, reform.STATUS_RULE):
        assert set(rule) == {"vi", "en"} and all(rule.values())
    assert reform.STRUCTURE_FROM == "2025-07-01" and reform.FIRST_NEW_YEAR == 2025
