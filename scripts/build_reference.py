"""Build the reference tables from the vietnamadminunits package (no network: its SQLite and JSON only).

- ``data/reference/units.parquet``: the pre-July-2025 structure (63 provinces, districts, communes);
- ``data/reference/units_2025.parquet``: the structure in force from 1 July 2025 (34 provinces,
  3.321 communes, no districts);
- ``data/reference/crosswalk_2025.parquet``: every old commune → its new commune(s), from the
  package's conversion tables (``converter_2025.json``), never its address geocoder;
- ``data/reference/former_names.parquet``: names of communes and districts merged into (or
  renamed as) a unit of the pre-July-2025 list before it was drawn, from the package's
  ``wardAlias``/``districtAlias`` columns, so an old report naming one gets the unit it is now in.
"""

from __future__ import annotations

import argparse
import json
from importlib.resources import files
from pathlib import Path

import polars as pl
from vietnamadminunits.database import query

from dashboard.geography import UNITS_SCHEMA
from dashboard.reform import CROSSWALK_SCHEMA, UNITS_2025_SCHEMA

SOURCE_SQL = """
SELECT DISTINCT
    wardCode AS commune_code, ward AS commune_name, wardType AS commune_type,
    districtCode AS district_code, district AS district_name, districtType AS district_type,
    provinceCode AS province_code, province AS province_name,
    wardLat AS lat, wardLon AS lon,
    districtLat AS district_lat, districtLon AS district_lon,
    provinceLat AS province_lat, provinceLon AS province_lon
FROM admin_units_legacy
"""


def build_units() -> pl.DataFrame:
    """Read the legacy (63-province) table and shape it to the data contract."""
    frame = pl.DataFrame(query(SOURCE_SQL), schema=UNITS_SCHEMA)
    # The source capitalises a few type words ("Thị Trấn Ái Tử", "Thị Xã Mường Lay",
    # "Thành Phố Bắc Kạn"); everywhere else, and in official usage, only the first word is.
    fixes = {"^Thị Trấn ": "Thị trấn ", "^Thị Xã ": "Thị xã ", "^Thành Phố ": "Thành phố "}
    for column in ("commune_name", "district_name"):
        for wrong, right in fixes.items():
            frame = frame.with_columns(pl.col(column).str.replace(wrong, right))
    return frame.select(list(UNITS_SCHEMA)).sort(
        "province_code", "district_code", "commune_code", nulls_last=False
    )


SOURCE_SQL_2025 = """
SELECT DISTINCT
    wardCode AS commune_code, ward AS commune_name, wardType AS commune_type,
    provinceCode AS province_code, province AS province_name,
    wardLat AS lat, wardLon AS lon, wardAreaKm2 AS area_km2,
    provinceLat AS province_lat, provinceLon AS province_lon
FROM admin_units
"""

# The type words a 2025 name starts with. The source's wardType disagrees with the name for four
# communes (e.g. "Phường Việt Hòa" typed "Xã"); the name is the official one, so the type is read
# from it.
TYPES_2025: tuple[str, ...] = ("Phường", "Xã", "Đặc khu")


def build_units_2025() -> pl.DataFrame:
    """Read the 2025 (34-province) table and shape it to units_2025.parquet."""
    frame = pl.DataFrame(query(SOURCE_SQL_2025), schema=UNITS_2025_SCHEMA)
    type_from_name = pl.coalesce(
        *[pl.when(pl.col("commune_name").str.starts_with(t + " ")).then(pl.lit(t)) for t in TYPES_2025]
    )
    frame = frame.with_columns(type_from_name.fill_null(pl.col("commune_type")).alias("commune_type"))
    return frame.select(list(UNITS_2025_SCHEMA)).sort("province_code", "commune_code")


def _package_keys() -> tuple[dict[str, tuple[str, str, str | None]], dict[tuple[str, str], tuple[str, str]]]:
    """The package's text keys → GSO codes, for both structures.

    Old units are keyed ``province_district_ward`` (island districts without communes:
    ``province_district_``); new communes by (province key, ward key).
    """
    old = {
        f"{p}_{d}_{w or ''}": (pc, dc, wc)
        for p, d, w, pc, dc, wc in (
            (
                r["provinceKey"],
                r["districtKey"],
                r["wardKey"],
                r["provinceCode"],
                r["districtCode"],
                r["wardCode"],
            )
            for r in query(
                "SELECT provinceKey, districtKey, wardKey, provinceCode, districtCode, wardCode "
                "FROM admin_units_legacy"
            )
        )
    }
    new = {
        (r["provinceKey"], r["wardKey"]): (r["provinceCode"], r["wardCode"])
        for r in query("SELECT provinceKey, wardKey, provinceCode, wardCode FROM admin_units")
    }
    return old, new


def build_crosswalk() -> pl.DataFrame:
    """One row per (old unit, new commune) pair of the package's conversion tables.

    ``DICT_PROVINCE_WARD_NO_DIVIDED`` lists, for each new commune, the old communes that went
    wholly into it; ``DICT_PROVINCE_WARD_DIVIDED`` lists, for each old commune split between
    several new ones, every piece with the package's default (``isDefaultNewWard``). The five
    island districts without communes appear with a null ``old_commune_code``.
    """
    table = json.loads(files("vietnamadminunits").joinpath("data/converter_2025.json").read_text("utf-8"))
    old, new = _package_keys()
    rows: list[tuple] = []

    def row(old_key: str, new_province_key: str, new_ward_key: str, split: bool, default: bool) -> tuple:
        old_province, old_district, old_commune = old[old_key]
        new_province, new_commune = new[(new_province_key, new_ward_key)]
        return (old_commune, old_district, old_province, new_commune, new_province, split, default)

    for province_key, wards in table["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            rows.extend(row(k, province_key, ward_key, False, True) for k in old_keys)
    for province_key, old_keys in table["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, pieces in old_keys.items():
            rows.extend(
                row(old_key, province_key, p["newWardKey"], True, bool(p["isDefaultNewWard"])) for p in pieces
            )
    frame = pl.DataFrame(rows, schema=CROSSWALK_SCHEMA, orient="row")
    return frame.sort("old_province_code", "old_district_code", "old_commune_code", "new_commune_code")


FORMER_NAMES_SCHEMA: dict[str, pl.DataType] = {
    "former_key": pl.String,  # the package's key: the name folded, without accents or spaces
    "unit_code": pl.String,  # the unit of units.parquet the former unit is now part of
    "level": pl.String,  # commune or district
}


def build_former_names() -> pl.DataFrame:
    """One row per former name (with and without its type word) and the unit it went into."""
    rows: set[tuple[str, str, str]] = set()
    sql = (
        "SELECT DISTINCT wardCode, wardAlias, districtCode, districtAlias FROM admin_units_legacy "
        "WHERE (wardAlias IS NOT NULL AND wardAlias != '') "
        "OR (districtAlias IS NOT NULL AND districtAlias != '')"
    )
    for r in query(sql):
        for code, aliases, level in (
            (r["wardCode"], r["wardAlias"], "commune"),
            (r["districtCode"], r["districtAlias"], "district"),
        ):
            if code and aliases:
                rows.update((key, code, level) for key in json.loads(aliases))
    frame = pl.DataFrame(sorted(rows), schema=FORMER_NAMES_SCHEMA, orient="row")
    return frame.sort("former_key", "unit_code")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("data/reference/units.parquet"))
    parser.add_argument("--out-2025", type=Path, default=Path("data/reference/units_2025.parquet"))
    parser.add_argument("--crosswalk", type=Path, default=Path("data/reference/crosswalk_2025.parquet"))
    parser.add_argument("--former-names", type=Path, default=Path("data/reference/former_names.parquet"))
    args = parser.parse_args()
    units = build_units()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    units.write_parquet(args.out, statistics=True)
    print(f"{args.out}: {units.height} dòng")
    for path, frame in (
        (args.out_2025, build_units_2025()),
        (args.crosswalk, build_crosswalk()),
        (args.former_names, build_former_names()),
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.write_parquet(path, statistics=True)
        print(f"{path}: {frame.height} dòng")


if __name__ == "__main__":
    main()
