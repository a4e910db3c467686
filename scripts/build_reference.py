"""Build data/reference/units.parquet from the vietnamadminunits package (pre-2025 structure)."""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl
from vietnamadminunits.database import query

from dashboard.geography import UNITS_SCHEMA

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("data/reference/units.parquet"))
    args = parser.parse_args()
    units = build_units()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    units.write_parquet(args.out, statistics=True)
    print(f"{args.out}: {units.height} dòng")


if __name__ == "__main__":
    main()
