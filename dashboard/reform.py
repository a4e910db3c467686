"""Across the 2025 reform: the 2025 units, the crosswalk, and facts moved between the structures.

Until 30 June 2025: 63 provinces, about 700 districts, 10.035 communes. From 1 July 2025:
34 provinces, 3.321 communes, no districts. 3.316 of the new commune codes were also old
commune codes naming another place (07900 was Phường Gia Cẩm, Thành phố Việt Trì; it is now
Phường Việt Trì), so a code never says by itself which structure it is in: the period does
(contract version 2, ``docs/REFORM.md``). Facts of months before ``REFORM_DATE`` are in the
old units, facts from it in the new ones; classifications and targets of years from
``FIRST_NEW_YEAR`` in the new units.

Pure polars; no Streamlit. The reference tables are built by ``scripts/build_reference.py``
from the package ``vietnamadminunits`` (its conversion tables, never its address geocoder).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from dashboard import schema
from dashboard.geography import COUNTRY_CODE, DEFAULT_UNITS_2025_PATH, Geography
from dashboard.schema import DRUG_CLASSES, FACTS_KEY, FACTS_SCHEMA, STATUS_SCHEMA

# The first month in the new structure, and the same as the manifest field ``structure_from``.
REFORM_DATE = schema.STRUCTURE_FROM
STRUCTURE_FROM = REFORM_DATE.isoformat()
# Commune classifications and targets of this year and later are keyed in the new units: the
# 2025 list is set at the end of 2025, after the reform.
FIRST_NEW_YEAR = schema.FIRST_NEW_YEAR

# Structure ids.
LEGACY = "legacy"
NEW = "2025"

UNITS_2025_SCHEMA: dict[str, pl.DataType] = {
    "commune_code": pl.String,
    "commune_name": pl.String,
    "commune_type": pl.String,
    "province_code": pl.String,
    "province_name": pl.String,
    "lat": pl.Float64,
    "lon": pl.Float64,
    "area_km2": pl.Float64,
    "province_lat": pl.Float64,
    "province_lon": pl.Float64,
}

CROSSWALK_SCHEMA: dict[str, pl.DataType] = {
    "old_commune_code": pl.String,  # null for the five island districts that had no communes
    "old_district_code": pl.String,
    "old_province_code": pl.String,
    "new_commune_code": pl.String,
    "new_province_code": pl.String,
    "split": pl.Boolean,  # the old unit went to several new communes
    "default": pl.Boolean,  # the package's default target; true on every row that is not split
}

DEFAULT_CROSSWALK_PATH = DEFAULT_UNITS_2025_PATH.with_name("crosswalk_2025.parquet")

# The rules, worded for the screen (Vietnamese first) — shown wherever re-aggregated data is.
SPLIT_RULE = {
    "vi": (
        "Số liệu trước 01/7/2025 được quy đổi sang xã, phường mới theo bảng chuyển đổi: xã cũ nhập "
        "nguyên vào một xã mới thì cộng vào xã mới đó; xã cũ bị chia cho nhiều xã mới thì toàn bộ số "
        "liệu được tính cho xã mới mặc định (theo bảng chuyển đổi của gói vietnamadminunits)."
    ),
    "en": (
        "Figures before 1 July 2025 are converted to the new communes through the crosswalk: an old "
        "commune merged whole into one new commune is added to it; an old commune split between "
        "several new communes counts in full for its default new commune (the conversion table of "
        "the vietnamadminunits package)."
    ),
}
DISTRICT_RULE = {
    "vi": (
        "Số liệu báo cáo riêng ở cấp huyện trước 01/7/2025 không thể đặt vào một xã mới (trừ huyện "
        "đảo nhập nguyên vào một đặc khu); chúng vẫn được tính trong tổng của tỉnh."
    ),
    "en": (
        "Figures reported at district level before 1 July 2025 cannot be placed on a new commune "
        "(except island districts that became one special zone whole); they still count in the "
        "province total."
    ),
}
STRADDLE_RULE = {
    "vi": (
        "Từ 01/7/2025, số liệu của mỗi xã, phường mới được tính cho huyện cũ chứa các xã cũ hợp "
        "thành nó. Xã mới gồm xã cũ của nhiều huyện được đánh dấu và tính cho huyện có nhiều xã cũ "
        "nhập (mặc định) vào nó nhất; nếu bằng nhau, huyện của xã cũ mang mã mà xã mới kế thừa."
    ),
    "en": (
        "From 1 July 2025 each new commune's figures count for the former district that held the "
        "old communes it was formed from. A new commune formed from old communes of several "
        "districts is flagged and counted for the district with most old communes merged "
        "(by default) into it; on a tie, the district of the old commune whose code it kept."
    ),
}
STATUS_RULE = {
    "vi": (
        "Phân loại xã trước năm 2025 quy đổi sang xã mới: xã mới nhận mức nặng nhất của các xã cũ "
        "nhập (mặc định) vào nó; là xã phức tạp nếu có một xã cũ phức tạp; là xã lành mạnh, xã không "
        "ma túy chỉ khi mọi xã cũ đều như vậy."
    ),
    "en": (
        "Commune classifications before 2025 converted to new communes: a new commune takes the "
        "most serious class of the old communes merged (by default) into it; it is complex if any "
        "of them was; healthy or drug-free only if all of them were."
    ),
}


def structure_of_period(period: dt.date, structure_from: dt.date | None = REFORM_DATE) -> str:
    """Which structure a fact of the month ``period`` is keyed in (``structure_from`` None: version 1)."""
    return NEW if structure_from is not None and period >= structure_from else LEGACY


def structure_of_year(year: int, structure_from: dt.date | None = REFORM_DATE) -> str:
    """Which structure a classification or target of ``year`` is keyed in."""
    return NEW if structure_from is not None and year >= FIRST_NEW_YEAR else LEGACY


# --- reference tables -------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _read(path: str) -> pl.DataFrame:
    return pl.read_parquet(path)


def load_units_2025(path: Path | str = DEFAULT_UNITS_2025_PATH) -> pl.DataFrame:
    """The 2025 communes (units_2025.parquet)."""
    return _read(str(path)).cast(UNITS_2025_SCHEMA)


def load_crosswalk(path: Path | str = DEFAULT_CROSSWALK_PATH) -> pl.DataFrame:
    """Every (old unit, new commune) pair (crosswalk_2025.parquet)."""
    return _read(str(path)).cast(CROSSWALK_SCHEMA)


@lru_cache(maxsize=2)
def geography_2025(path: Path | str = DEFAULT_UNITS_2025_PATH) -> Geography:
    """The structure from 1 July 2025 as a tree: country → province → commune."""
    return Geography.from_reference_2025(path)


@lru_cache(maxsize=2)
def legacy_geography() -> Geography:
    """The structure until 30 June 2025: country → province → district → commune."""
    return Geography.from_reference()


def commune_map(crosswalk: pl.DataFrame) -> pl.DataFrame:
    """``old_commune_code`` → ``new_commune_code`` by the default row (one per old commune)."""
    return (
        crosswalk.filter(pl.col("default") & pl.col("old_commune_code").is_not_null())
        .select("old_commune_code", "new_commune_code", "new_province_code")
        .unique("old_commune_code", keep="first")
        .sort("old_commune_code")
    )


def province_map(crosswalk: pl.DataFrame) -> pl.DataFrame:
    """``old_province_code`` → ``new_province_code``: each old province lies wholly in one new one."""
    pairs = crosswalk.select("old_province_code", "new_province_code").unique()
    if pairs["old_province_code"].is_duplicated().any():
        raise ValueError("Bảng chuyển đổi: một tỉnh cũ thuộc nhiều tỉnh mới")
    return pairs.sort("old_province_code")


def whole_districts(crosswalk: pl.DataFrame) -> pl.DataFrame:
    """Old districts whose whole territory went into one new commune (every row, split pieces included).

    The five island districts without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo)
    and island districts such as Cô Tô or Phú Quý that became one special zone (*đặc khu*).
    Columns: old_district_code, new_commune_code, has_communes.
    """
    return (
        crosswalk.group_by("old_district_code")
        .agg(
            pl.col("new_commune_code").n_unique().alias("_n"),
            pl.col("new_commune_code").first(),
            pl.col("old_commune_code").is_not_null().any().alias("has_communes"),
        )
        .filter(pl.col("_n") == 1)
        .drop("_n")
        .sort("old_district_code")
    )


def new_commune_districts(crosswalk: pl.DataFrame) -> pl.DataFrame:
    """For each new commune, the former district (*huyện cũ*) it is shown under in the old structure.

    ``districts``: every old district holding an old commune (or a piece of one) that went into
    it; ``straddles``: more than one. The district chosen (``STRADDLE_RULE``): most old communes
    whose default target is this commune, then the district of the old commune whose code the
    new commune kept, then most old communes counting split pieces, then the lowest code.
    Columns: new_commune_code, old_district_code, old_province_code, districts, straddles.
    """
    per_district = (
        crosswalk.group_by("new_commune_code", "old_district_code", "old_province_code")
        .agg(
            pl.col("default").sum().alias("_n_default"),
            pl.len().alias("_n_all"),
            (pl.col("old_commune_code") == pl.col("new_commune_code")).any().alias("_lends_code"),
        )
        .with_columns(pl.col("_lends_code").fill_null(False))
        .sort(
            ["new_commune_code", "_n_default", "_lends_code", "_n_all", "old_district_code"],
            descending=[False, True, True, True, False],
        )
    )
    return (
        per_district.group_by("new_commune_code", maintain_order=True)
        .agg(
            pl.col("old_district_code").first(),
            pl.col("old_province_code").first(),
            pl.col("old_district_code").sort().alias("districts"),
        )
        .with_columns((pl.col("districts").list.len() > 1).alias("straddles"))
        .sort("new_commune_code")
    )


def straddling_communes(crosswalk: pl.DataFrame) -> pl.DataFrame:
    """New communes formed from old communes of more than one district (``new_commune_districts`` rows)."""
    return new_commune_districts(crosswalk).filter(pl.col("straddles"))


# --- which unit a code names ------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRef:
    """What a code names at a given time: the structure, the level and the name."""

    code: str
    structure: str  # LEGACY or NEW
    level: str
    name: str


def resolve_unit(
    code: str,
    period: dt.date | int,
    legacy: Geography | None = None,
    new: Geography | None = None,
    structure_from: dt.date | None = REFORM_DATE,
) -> UnitRef:
    """The unit ``code`` names in the month ``period`` (a date) or the list/target year (an int).

    07900 in June 2025 is Phường Gia Cẩm (Thành phố Việt Trì); in July 2025 Phường Việt Trì.
    Raises KeyError when the code names nothing in that structure.
    """
    if isinstance(period, int):
        structure = structure_of_year(period, structure_from)
    else:
        structure = structure_of_period(period, structure_from)
    geo = (new or geography_2025()) if structure == NEW else (legacy or legacy_geography())
    if not geo.has(code):
        when = period if isinstance(period, int) else period.strftime("%m/%Y")
        raise KeyError(f"Mã {code} không phải đơn vị hành chính nào vào {when}")
    return UnitRef(code, structure, geo.level(code), geo.name(code))


# --- facts between the structures -------------------------------------------------------------

UNPLACED_SCHEMA: dict[str, pl.DataType] = {**FACTS_SCHEMA, "reason": pl.String}

# Reasons a fact could not be placed in the other structure.
REASON_DISTRICT = "district"  # a district's own value (pre-reform), counted only in its province total
REASON_PROVINCE = "province_merged"  # a new province's own value: several old provinces
REASON_UNKNOWN = "unknown_unit"  # a code the structure of its period does not have


@dataclass(frozen=True)
class Reaggregated:
    """Facts moved into one structure, and what could not be moved."""

    facts: pl.DataFrame  # FACTS_SCHEMA, unique on (period, unit_code, indicator)
    unplaced: pl.DataFrame  # UNPLACED_SCHEMA: rows left out of ``facts`` at unit level, with why
    flagged: pl.DataFrame  # units whose figures are approximate (to_old: straddling new communes with data)

    @property
    def unplaced_count(self) -> int:
        return self.unplaced.height


def _level_by_length(code: pl.Expr) -> pl.Expr:
    """The data contract's rule: a 2-digit code is a province, 3 a district, 5 a commune."""
    length = code.str.len_chars()
    return (
        pl.when(code == COUNTRY_CODE)
        .then(pl.lit("country"))
        .when(length == 2)
        .then(pl.lit("province"))
        .when(length == 3)
        .then(pl.lit("district"))
        .when(length == 5)
        .then(pl.lit("commune"))
        .otherwise(pl.lit("unknown"))
    )


def _sum_by_key(frame: pl.DataFrame) -> pl.DataFrame:
    return (
        frame.group_by(list(FACTS_KEY))
        .agg(pl.col("value").sum())
        .select(list(FACTS_SCHEMA))
        .cast(FACTS_SCHEMA)
        .sort(list(FACTS_KEY))
    )


def _split_at(facts: pl.DataFrame | pl.LazyFrame, structure_from: dt.date | None):
    frame = facts.lazy().select(list(FACTS_SCHEMA)).collect().cast(FACTS_SCHEMA)
    if structure_from is None:
        return frame, frame.clear()
    before = pl.col("period") < structure_from
    return frame.filter(before), frame.filter(~before)


def to_new_structure(
    facts: pl.DataFrame | pl.LazyFrame,
    crosswalk: pl.DataFrame | None = None,
    legacy: Geography | None = None,
    structure_from: dt.date | None = REFORM_DATE,
) -> Reaggregated:
    """Facts in the 2025 units: months before ``structure_from`` converted, later months as they are.

    ``structure_from`` None (a version 1 snapshot) converts every month.

    - Old communes go to their default new commune (``SPLIT_RULE``); values landing on the same
      (month, new commune, indicator) add up.
    - Old provinces' own values go to their new province. Where a new province's value is
      needed (an old province reported its own value, or a district's own value could not be
      placed), it is the sum of its old provinces' values as the old structure shows them (own
      values win, else the sum of the children), so no province total changes.
    - A district's own value goes to a new commune only when the whole district went into it
      (island districts); the district's communes' values for that month and indicator are then
      left out, as the district's own value wins in the old structure. Other districts' own
      values are returned in ``unplaced`` (``DISTRICT_RULE``).
    - The country's own values stay.
    """
    crosswalk = load_crosswalk() if crosswalk is None else crosswalk
    before, after = _split_at(facts, structure_from)
    before = before.with_columns(_level_by_length(pl.col("unit_code")).alias("_level"))
    parts = [after]
    unplaced = [pl.DataFrame(schema=UNPLACED_SCHEMA)]

    # Districts that went whole into one new commune take their own values with them.
    districts = before.filter(pl.col("_level") == "district").drop("_level")
    whole = whole_districts(crosswalk)
    placed_districts = districts.join(
        whole.select(pl.col("old_district_code").alias("unit_code"), "new_commune_code"), on="unit_code"
    )
    parts.append(
        placed_districts.select("period", pl.col("new_commune_code").alias("unit_code"), "indicator", "value")
    )
    other_districts = districts.join(
        placed_districts.select("unit_code").unique(), on="unit_code", how="anti"
    )
    known_districts = set(crosswalk["old_district_code"].unique().to_list())
    unplaced.append(
        other_districts.with_columns(
            pl.when(pl.col("unit_code").is_in(list(known_districts)))
            .then(pl.lit(REASON_DISTRICT))
            .otherwise(pl.lit(REASON_UNKNOWN))
            .alias("reason")
        )
    )

    # Communes by the default row, except those whose district's own value won above.
    communes = before.filter(pl.col("_level") == "commune").drop("_level")
    district_of = crosswalk.select(
        pl.col("old_commune_code").alias("unit_code"), pl.col("old_district_code").alias("_district")
    ).unique("unit_code")
    communes = (
        communes.join(district_of, on="unit_code", how="left")
        .join(
            placed_districts.select(pl.col("unit_code").alias("_district"), "period", "indicator"),
            on=["_district", "period", "indicator"],
            how="anti",
        )
        .drop("_district")
    )
    mapped = communes.join(
        commune_map(crosswalk).select(pl.col("old_commune_code").alias("unit_code"), "new_commune_code"),
        on="unit_code",
        how="left",
    )
    parts.append(
        mapped.filter(pl.col("new_commune_code").is_not_null()).select(
            "period", pl.col("new_commune_code").alias("unit_code"), "indicator", "value"
        )
    )
    unplaced.append(
        mapped.filter(pl.col("new_commune_code").is_null())
        .drop("new_commune_code")
        .with_columns(pl.lit(REASON_UNKNOWN).alias("reason"))
    )

    # Provinces: the old structure's province totals, wherever a province figure is needed.
    provinces = before.filter(pl.col("_level") == "province").drop("_level")
    pmap = province_map(crosswalk)
    known_provinces = pmap["old_province_code"].to_list()
    unplaced.append(
        provinces.filter(~pl.col("unit_code").is_in(known_provinces)).with_columns(
            pl.lit(REASON_UNKNOWN).alias("reason")
        )
    )
    lost_districts = other_districts.filter(pl.col("unit_code").is_in(list(known_districts)))
    district_province = crosswalk.select(
        pl.col("old_district_code").alias("unit_code"), pl.col("old_province_code").alias("_old")
    ).unique("unit_code")
    needed = (
        pl.concat(
            [
                provinces.filter(pl.col("unit_code").is_in(known_provinces)).select(
                    "period", pl.col("unit_code").alias("_old"), "indicator"
                ),
                lost_districts.join(district_province, on="unit_code").select("period", "_old", "indicator"),
            ]
        )
        .join(pmap.rename({"old_province_code": "_old", "new_province_code": "_new"}), on="_old")
        .select("period", "_new", "indicator")
        .unique()
    )
    if not needed.is_empty():
        from dashboard.query import rollup_months  # the old structure's own-values-win roll-up

        legacy = legacy_geography() if legacy is None else legacy
        olds = needed.join(pmap.rename({"old_province_code": "_old", "new_province_code": "_new"}), on="_new")
        old_codes = sorted(olds["_old"].unique().to_list())
        indicators = sorted(needed["indicator"].unique().to_list())
        rolled = rollup_months(before.drop("_level"), legacy, old_codes, indicators)
        totals = (
            rolled.rename({"unit_code": "_old"})
            .join(
                olds.select("period", "_old", "indicator", "_new").unique(),
                on=["period", "_old", "indicator"],
            )
            .select("period", pl.col("_new").alias("unit_code"), "indicator", "value")
        )
        parts.append(totals)

    parts.append(before.filter(pl.col("_level") == "country").drop("_level"))
    unplaced.append(
        before.filter(pl.col("_level") == "unknown")
        .drop("_level")
        .with_columns(pl.lit(REASON_UNKNOWN).alias("reason"))
    )
    return Reaggregated(
        facts=_sum_by_key(pl.concat([p.select(list(FACTS_SCHEMA)) for p in parts])),
        unplaced=pl.concat([u.select(list(UNPLACED_SCHEMA)).cast(UNPLACED_SCHEMA) for u in unplaced]).sort(
            list(FACTS_KEY)
        ),
        flagged=pl.DataFrame(schema={"unit_code": pl.String}),
    )


def to_old_structure(
    facts: pl.DataFrame | pl.LazyFrame,
    crosswalk: pl.DataFrame | None = None,
    structure_from: dt.date | None = REFORM_DATE,
) -> Reaggregated:
    """Facts in the pre-2025 units: months from ``structure_from`` shown by former district.

    Each new commune's values go to one former district (``new_commune_districts``,
    ``STRADDLE_RULE``) as that district's own value; values landing on the same (month,
    district, indicator) add up. A new province's own value goes to the old province when the
    new province is exactly one old province; otherwise it is returned in ``unplaced``. The
    country's own values stay; months before ``structure_from`` are unchanged.
    ``flagged``: the straddling new communes that have data (unit_code, old_district_code,
    districts), for the screen to list.
    """
    crosswalk = load_crosswalk() if crosswalk is None else crosswalk
    before, after = _split_at(facts, structure_from)
    after = after.with_columns(_level_by_length(pl.col("unit_code")).alias("_level"))
    placement = new_commune_districts(crosswalk)
    communes = after.filter(pl.col("_level") == "commune").drop("_level")
    mapped = communes.join(
        placement.select(pl.col("new_commune_code").alias("unit_code"), "old_district_code"),
        on="unit_code",
        how="left",
    )
    single = (
        province_map(crosswalk)
        .group_by("new_province_code")
        .agg(pl.col("old_province_code").first(), pl.len().alias("_n"))
        .filter(pl.col("_n") == 1)
        .select(pl.col("new_province_code").alias("unit_code"), "old_province_code")
    )
    provinces = after.filter(pl.col("_level") == "province").drop("_level")
    pmapped = provinces.join(single, on="unit_code", how="left")
    known_new_provinces = set(crosswalk["new_province_code"].unique().to_list())
    parts = [
        before,
        mapped.filter(pl.col("old_district_code").is_not_null()).select(
            "period", pl.col("old_district_code").alias("unit_code"), "indicator", "value"
        ),
        pmapped.filter(pl.col("old_province_code").is_not_null()).select(
            "period", pl.col("old_province_code").alias("unit_code"), "indicator", "value"
        ),
        after.filter(pl.col("_level") == "country").drop("_level"),
    ]
    unplaced = [
        mapped.filter(pl.col("old_district_code").is_null())
        .drop("old_district_code")
        .with_columns(pl.lit(REASON_UNKNOWN).alias("reason")),
        pmapped.filter(pl.col("old_province_code").is_null())
        .drop("old_province_code")
        .with_columns(
            pl.when(pl.col("unit_code").is_in(list(known_new_provinces)))
            .then(pl.lit(REASON_PROVINCE))
            .otherwise(pl.lit(REASON_UNKNOWN))
            .alias("reason")
        ),
        after.filter(pl.col("_level").is_in(["district", "unknown"]))
        .drop("_level")
        .with_columns(pl.lit(REASON_UNKNOWN).alias("reason")),
    ]
    with_data = communes.select(pl.col("unit_code").unique())
    flagged = (
        placement.filter(pl.col("straddles"))
        .rename({"new_commune_code": "unit_code"})
        .join(with_data, on="unit_code")
        .select("unit_code", "old_district_code", "districts")
        .sort("unit_code")
    )
    return Reaggregated(
        facts=_sum_by_key(pl.concat([p.select(list(FACTS_SCHEMA)) for p in parts])),
        unplaced=pl.concat([u.select(list(UNPLACED_SCHEMA)).cast(UNPLACED_SCHEMA) for u in unplaced]).sort(
            list(FACTS_KEY)
        ),
        flagged=flagged,
    )


# --- classifications --------------------------------------------------------------------------

# Drug classes from the least to the most serious: a merged commune takes the most serious.
_CLASS_RANK = {name: rank for rank, name in enumerate(DRUG_CLASSES)}


def status_to_new_structure(
    status: pl.DataFrame,
    crosswalk: pl.DataFrame | None = None,
    structure_from: dt.date | None = REFORM_DATE,
) -> pl.DataFrame:
    """Old-unit classifications (years before ``FIRST_NEW_YEAR``) re-aggregated into new communes.

    ``STATUS_RULE``: through the default rows, a new commune takes the most serious drug class
    of its old communes, is complex if any was, and healthy only if all were. Only the old
    communes that have a row for that year count. Rows of later years are returned as they are;
    with ``structure_from`` None (a version 1 snapshot) every year is converted.
    """
    crosswalk = load_crosswalk() if crosswalk is None else crosswalk
    status = status.select(list(STATUS_SCHEMA)).cast(STATUS_SCHEMA)
    is_old = pl.lit(True) if structure_from is None else pl.col("year") < FIRST_NEW_YEAR
    old = status.filter(is_old)
    later = status.filter(~is_old)
    ranks = pl.DataFrame(
        {"drug_class": list(_CLASS_RANK), "_rank": list(_CLASS_RANK.values())},
        schema={"drug_class": pl.String, "_rank": pl.Int32},
    )
    converted = (
        old.join(
            commune_map(crosswalk).select(
                pl.col("old_commune_code").alias("commune_code"), "new_commune_code"
            ),
            on="commune_code",
        )
        .join(ranks, on="drug_class", how="left")
        .group_by("year", "new_commune_code")
        .agg(
            pl.col("drug_class").sort_by("_rank").last(),
            # Three-valued: an old commune that said nothing (null) leaves the merged one unknown
            # unless another settles it (one complex makes it complex; one not healthy, not healthy).
            pl.when(pl.col("complex").fill_null(False).any())
            .then(True)
            .when(pl.col("complex").is_null().any())
            .then(None)
            .otherwise(False)
            .alias("complex"),
            pl.when((~pl.col("healthy")).fill_null(False).any())
            .then(False)
            .when(pl.col("healthy").is_null().any())
            .then(None)
            .otherwise(True)
            .alias("healthy"),
        )
        .rename({"new_commune_code": "commune_code"})
    )
    return pl.concat([converted.select(list(STATUS_SCHEMA)).cast(STATUS_SCHEMA), later]).sort(
        "year", "commune_code"
    )
