"""The reference geography is the complete pre-2025 structure from vietnamadminunits."""

import polars as pl

from dashboard.geography import COUNTRY_CODE


def test_counts_match_the_source(geography):
    levels = dict(geography.units.group_by("level").len().iter_rows())
    assert levels == {"province": 63, "district": 696, "commune": 10035}


def test_island_districts_without_communes_are_present(geography):
    ref = geography.communes
    islands = ref.filter(pl.col("commune_code").is_null())
    assert islands.height == 5
    assert "Huyện Côn Đảo" in islands["district_name"].to_list()


def test_codes_are_unique_and_shaped_by_level(geography):
    units = geography.units
    assert units["unit_code"].n_unique() == units.height
    lengths = dict(units.group_by("level").agg(pl.col("unit_code").str.len_chars().unique()).iter_rows())
    assert lengths == {"province": [2], "district": [3], "commune": [5]}


def test_every_commune_in_exactly_one_district_and_province(geography):
    ref = geography.communes.filter(pl.col("commune_code").is_not_null())
    per_commune = ref.group_by("commune_code").agg(
        pl.col("district_code").n_unique(), pl.col("province_code").n_unique()
    )
    assert per_commune["district_code"].max() == 1
    assert per_commune["province_code"].max() == 1
    per_district = ref.group_by("district_code").agg(pl.col("province_code").n_unique())
    assert per_district["province_code"].max() == 1


def test_parent_chain_reaches_the_country(geography):
    assert geography.ancestors("00592") == ["019", "01", COUNTRY_CODE]
    assert geography.name("019") == "Quận Nam Từ Liêm"
    assert geography.name("00124") == "Phường Đức Giang"
    assert len(geography.descendants("11", "commune")) == 129


def test_names_carry_their_type(geography):
    communes = geography.units_at("commune")
    assert communes["unit_name"].str.contains(r"^(Xã|Phường|Thị trấn) ").all()


def test_centroids_present_for_every_commune(geography):
    communes = geography.units_at("commune")
    assert communes["lat"].null_count() == 0
    assert communes["lat"].is_between(8.0, 23.5).all()
    assert communes["lon"].is_between(102.0, 110.0).all()


def test_type_words_are_spelled_consistently(geography):
    names = geography.units["unit_name"]
    assert not names.str.contains(r"^(Thị Trấn|Thị Xã|Thành Phố) ").any()
    assert geography.name("11") == "Tỉnh Điện Biên"
