"""Administrative units: the reference table, the unit tree and name look-ups."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl

UNITS_SCHEMA: dict[str, pl.DataType] = {
    "commune_code": pl.String,
    "commune_name": pl.String,
    "commune_type": pl.String,
    "district_code": pl.String,
    "district_name": pl.String,
    "district_type": pl.String,
    "province_code": pl.String,
    "province_name": pl.String,
    "lat": pl.Float64,
    "lon": pl.Float64,
    "district_lat": pl.Float64,
    "district_lon": pl.Float64,
    "province_lat": pl.Float64,
    "province_lon": pl.Float64,
}

DEFAULT_UNITS_PATH = Path(__file__).resolve().parent.parent / "data" / "reference" / "units.parquet"

# Level names from the top of the tree down; the pre-2025 structure has three of them.
LEGACY_LEVELS: tuple[str, ...] = ("province", "district", "commune")
# From 1 July 2025 there are no districts: provinces and communes only.
LEVELS_2025: tuple[str, ...] = ("province", "commune")

DEFAULT_UNITS_2025_PATH = DEFAULT_UNITS_PATH.with_name("units_2025.parquet")

# The whole country is the root above every province.
COUNTRY_CODE = "VN"

UNIT_TABLE_SCHEMA: dict[str, pl.DataType] = {
    "unit_code": pl.String,
    "unit_name": pl.String,
    "level": pl.String,
    "parent_code": pl.String,
    "lat": pl.Float64,
    "lon": pl.Float64,
}


@dataclass(frozen=True)
class Geography:
    """A tree of administrative units: each unit knows its level and its parent.

    ``levels`` runs from the top (below the country) to the bottom; nothing here assumes
    there are exactly three of them.
    """

    units: pl.DataFrame  # UNIT_TABLE_SCHEMA, one row per unit, the country excluded
    levels: tuple[str, ...]
    communes: pl.DataFrame = field(repr=False)  # the reference table as read

    @classmethod
    def from_reference(cls, path: Path | str = DEFAULT_UNITS_PATH) -> Geography:
        """Read the pre-2025 reference table (data contract: units.parquet)."""
        ref = pl.read_parquet(path)
        return cls.from_frame(ref)

    @classmethod
    def from_frame(cls, ref: pl.DataFrame) -> Geography:
        """Build the tree from a frame shaped like units.parquet."""
        provinces = (
            ref.group_by("province_code")
            .agg(
                pl.col("province_name").first().alias("unit_name"),
                pl.col("province_lat").first().alias("lat")
                if "province_lat" in ref.columns
                else pl.col("lat").mean(),
                pl.col("province_lon").first().alias("lon")
                if "province_lon" in ref.columns
                else pl.col("lon").mean(),
            )
            .select(
                pl.col("province_code").alias("unit_code"),
                "unit_name",
                pl.lit("province").alias("level"),
                pl.lit(COUNTRY_CODE).alias("parent_code"),
                "lat",
                "lon",
            )
        )
        districts = (
            ref.group_by("district_code")
            .agg(
                pl.col("district_name").first().alias("unit_name"),
                pl.col("province_code").first().alias("parent_code"),
                pl.col("district_lat").first().alias("lat")
                if "district_lat" in ref.columns
                else pl.col("lat").mean(),
                pl.col("district_lon").first().alias("lon")
                if "district_lon" in ref.columns
                else pl.col("lon").mean(),
            )
            .select(
                pl.col("district_code").alias("unit_code"),
                "unit_name",
                pl.lit("district").alias("level"),
                "parent_code",
                "lat",
                "lon",
            )
        )
        communes = ref.filter(pl.col("commune_code").is_not_null()).select(
            pl.col("commune_code").alias("unit_code"),
            pl.col("commune_name").alias("unit_name"),
            pl.lit("commune").alias("level"),
            pl.col("district_code").alias("parent_code"),
            "lat",
            "lon",
        )
        units = pl.concat([provinces, districts, communes]).cast(UNIT_TABLE_SCHEMA).sort("unit_code")
        return cls(units=units, levels=LEGACY_LEVELS, communes=ref)

    @classmethod
    def from_reference_2025(cls, path: Path | str = DEFAULT_UNITS_2025_PATH) -> Geography:
        """Read the structure in force from 1 July 2025 (units_2025.parquet): province → commune."""
        return cls.from_frame_2025(pl.read_parquet(path))

    @classmethod
    def from_frame_2025(cls, ref: pl.DataFrame) -> Geography:
        """Build the two-level tree (levels ``province``, ``commune``) from a units_2025-shaped frame.

        The codes are those of the 2025 structure; most commune codes were also old commune
        codes naming another place, so this tree is never mixed with the pre-2025 one.
        """
        has_centroid = "province_lat" in ref.columns and "province_lon" in ref.columns
        provinces = (
            ref.group_by("province_code")
            .agg(
                pl.col("province_name").first().alias("unit_name"),
                pl.col("province_lat").first().alias("lat") if has_centroid else pl.col("lat").mean(),
                pl.col("province_lon").first().alias("lon") if has_centroid else pl.col("lon").mean(),
            )
            .select(
                pl.col("province_code").alias("unit_code"),
                "unit_name",
                pl.lit("province").alias("level"),
                pl.lit(COUNTRY_CODE).alias("parent_code"),
                "lat",
                "lon",
            )
        )
        communes = ref.select(
            pl.col("commune_code").alias("unit_code"),
            pl.col("commune_name").alias("unit_name"),
            pl.lit("commune").alias("level"),
            pl.col("province_code").alias("parent_code"),
            "lat",
            "lon",
        )
        units = pl.concat([provinces, communes]).cast(UNIT_TABLE_SCHEMA).sort("unit_code")
        return cls(units=units, levels=LEVELS_2025, communes=ref)

    @cached_property
    def _by_code(self) -> dict[str, tuple[str, str, str | None]]:
        return {
            code: (name, level, parent)
            for code, name, level, parent in self.units.select(
                "unit_code", "unit_name", "level", "parent_code"
            ).iter_rows()
        }

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        children: dict[str, list[str]] = {}
        for code, (_, _, parent) in self._by_code.items():
            children.setdefault(parent or COUNTRY_CODE, []).append(code)
        for kids in children.values():
            kids.sort()
        return children

    def has(self, code: str) -> bool:
        """Whether the code names a unit of this structure (the country included)."""
        return code == COUNTRY_CODE or code in self._by_code

    def name(self, code: str) -> str:
        """The unit's name with its type, e.g. ``Quận Long Biên``."""
        if code == COUNTRY_CODE:
            return "Toàn quốc"
        return self._by_code[code][0]

    def level(self, code: str) -> str:
        """The unit's level: ``country`` or one of ``levels``."""
        if code == COUNTRY_CODE:
            return "country"
        return self._by_code[code][1]

    def parent(self, code: str) -> str | None:
        """The parent's code; ``None`` for the country."""
        if code == COUNTRY_CODE:
            return None
        return self._by_code[code][2]

    def ancestors(self, code: str) -> list[str]:
        """The parent chain up to and including the country, nearest first."""
        chain: list[str] = []
        parent = self.parent(code)
        while parent is not None:
            chain.append(parent)
            parent = self.parent(parent)
        return chain

    def children(self, code: str) -> list[str]:
        """The unit's direct children, sorted by code."""
        return list(self._children.get(code, []))

    def descendants(self, code: str, level: str | None = None) -> list[str]:
        """All units below ``code`` (only those of ``level`` when given), sorted by code."""
        found: list[str] = []
        stack = [code]
        while stack:
            for child in self._children.get(stack.pop(), []):
                found.append(child)
                stack.append(child)
        if level is not None:
            found = [c for c in found if self.level(c) == level]
        return sorted(found)

    def units_at(self, level: str, within: str | None = None) -> pl.DataFrame:
        """Units of one level, optionally only those below ``within``."""
        frame = self.units.filter(pl.col("level") == level)
        if within is not None and within != COUNTRY_CODE:
            frame = frame.filter(pl.col("unit_code").is_in(self.descendants(within, level)))
        return frame

    @cached_property
    def parent_map(self) -> pl.DataFrame:
        """``unit_code`` → ``parent_code`` and ``level`` for joins."""
        return self.units.select("unit_code", "parent_code", "level")
