"""The commune map: classification colours, the commune frame, changes, districts, pydeck and plotly maps.

Pure: no Streamlit. The page (pages/ban_do.py) only lays these out.

Payload. Streamlit sends ``deck.to_json()`` to the browser. pydeck serialises with
``indent=2`` and ASCII escapes, and one object per point repeats every key: 10,035 communes
with five plain columns already make 2,1 MB. The deck built here is a ``CompactDeck`` (a
``pdk.Deck`` whose JSON has no whitespace and keeps Vietnamese letters as UTF-8), sends each
point as a short array ``[lon, lat, tooltip text, figures…]``, puts one layer per colour class
so no colour travels per point, and writes the labels of the figures once, in the tooltip
template. The whole country with tooltips stays under 1 MB (see tests/unit/test_maps.py).

Tooltips use deck.gl's ``text`` mode: the browser sets the tooltip's ``innerText``, so a
name is never read as HTML. The plotly figure's hover text is HTML (plotly reads ``<br>``
and ``<b>``), so names are escaped there with ``html.escape``.
"""

from __future__ import annotations

import html
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from dashboard import query
from dashboard.catalog import CATALOG
from dashboard.formatting import MISSING, fmt_number, html_text, plotly_separators
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.i18n import t
from dashboard.schema import KEY_CLASSES
from dashboard.theme import (
    BACKGROUND,
    COMMUNE_CATEGORY_COLORS,
    COMMUNE_CHANGE_COLORS,
    COMMUNE_CHANGE_GLYPHS,
    COMMUNE_CHANGE_SYMBOLS,
    COMMUNE_CLASS_COLORS,
    COMMUNE_CLASS_GLYPHS,
    COMMUNE_CLASS_SIZES,
    COMMUNE_CLASS_SYMBOLS,
    FONT_FAMILY,
    LABEL_HALO_ALPHA,
    LIGHT_LINE,
    MUTED_TEXT,
    NO_DATA_FILL,
    OUTLINE,
    RIM,
    SIZE_REFERENCE_COLOR,
    TEXT,
    TOOLTIP_BACKGROUND,
    TOOLTIP_TEXT,
    VALUE_COLORS,
    ZERO_COLOR,
    hex_to_rgb,
    text_on,
)

# Map classes: the categories with the key type split out, most serious first.
MAP_CLASSES: tuple[str, ...] = ("key_1", "key_2", "key_3", "complex", "healthy", "other", "no_data")
CLASS_CATEGORY: dict[str, str] = {
    "key_1": "key",
    "key_2": "key",
    "key_3": "key",
    "complex": "complex",
    "healthy": "healthy",
    "other": "other",
    "no_data": "no_data",
}

# Changes against a base year: entering or leaving each of the three lists.
CHANGES: tuple[str, ...] = (
    "became_key",
    "left_key",
    "became_complex",
    "left_complex",
    "became_healthy",
    "left_healthy",
)
WORSE_CHANGES: frozenset[str] = frozenset({"became_key", "became_complex", "left_healthy"})
DIRECTIONS: tuple[str, ...] = ("worse", "mixed", "better", "unchanged", "no_data")

# The figures every tooltip shows, in this order.
MAIN_FIGURES: tuple[str, ...] = ("addicts_managed", "drug_users", "prostitution_prone_businesses")

# Indicators offered in the indicator view: commune-level stocks that make sense on a map.
MAP_INDICATORS: tuple[str, ...] = (
    "addicts_managed",
    "drug_users",
    "addicts_in_community",
    "methadone_patients",
    "prostitution_prone_businesses",
    "hiv_cases",
    "drug_hotspots",
)

VIEWS: tuple[str, ...] = ("category", "change", "indicator")
ENCODINGS: tuple[str, ...] = ("color", "size")

BOUNDARIES_FILE = "commune_boundaries.geojson"
DEFAULT_REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

# Decimal places sent to the browser: 3 places of a degree are about 110 m, far finer than a
# commune; boundaries keep 4 (about 11 m).
POINT_DECIMALS = 3
BOUNDARY_DECIMALS = 4

POINT_RADIUS_PX = 5
SIZE_RANGE_PX = (3.0, 16.0)


def class_label(map_class: str, lang: str = "vi") -> str:
    """The reader's name of a map class, e.g. ``Trọng điểm loại I``."""
    return t(f"category.{map_class}", lang)


# ---------------------------------------------------------------------------------------------
# The per-commune frame


Area = str | Sequence[str]


def area_codes(area: Area) -> list[str]:
    """The unit codes an area is made of: one code, or several (e.g. the selected districts)."""
    return [area] if isinstance(area, str) else list(dict.fromkeys(area))


def group_level(geo: Geography) -> str:
    """The level communes are grouped by on the map: the district, or the province in the 2025
    structure (no districts there)."""
    return geo.levels[-2] if len(geo.levels) > 1 else geo.levels[0]


def area_communes(geo: Geography, area: Area) -> pl.DataFrame:
    """Every commune of the area (one unit or several) with its district and centroid.

    In the 2025 structure the "district" columns hold the commune's province (``group_level``).
    Columns: commune_code, commune_name, district_code, district_name, province_code, lat, lon.
    """
    codes: list[str] = []
    for code in area_codes(area):
        codes += [code] if geo.level(code) == "commune" else geo.descendants(code, "commune")
    units = geo.units
    communes = units.filter(pl.col("unit_code").is_in(codes)).select(
        pl.col("unit_code").alias("commune_code"),
        pl.col("unit_name").alias("commune_name"),
        pl.col("parent_code").alias("district_code"),
        "lat",
        "lon",
    )
    districts = units.filter(pl.col("level") == group_level(geo)).select(
        pl.col("unit_code").alias("district_code"),
        pl.col("unit_name").alias("district_name"),
        pl.when(pl.col("level") == "province")
        .then(pl.col("unit_code"))
        .otherwise(pl.col("parent_code"))
        .alias("province_code"),
    )
    return (
        communes.join(districts, on="district_code", how="left")
        .select(
            "commune_code", "commune_name", "district_code", "district_name", "province_code", "lat", "lon"
        )
        .sort("commune_code")
    )


def classify(status: pl.DataFrame) -> pl.DataFrame:
    """Add ``category`` (query core precedence) and ``map_class`` (the key type split out)."""
    return query.commune_category(status).with_columns(
        pl.when(pl.col("category") == "key")
        .then(pl.lit("key_") + pl.col("drug_class").str.slice(-1))
        .otherwise(pl.col("category"))
        .alias("map_class")
    )


def indicator_label(indicator: str, per_1000: bool, lang: str = "vi") -> str:
    """``Người nghiện có hồ sơ quản lý trên 1.000 dân`` or the plain label."""
    label = CATALOG[indicator].label(lang)
    return t("map.indicator_per_1000", lang, what=label) if per_1000 else label


def map_frame(
    monthly: query.MonthlySource,
    status: pl.DataFrame,
    geo: Geography,
    area: Area,
    year: int,
    *,
    last_period=None,
    indicator: str | None = None,
    per_1000: bool = False,
    spans: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per commune of the area: where it is, its category in ``year`` and its main figures.

    Columns: commune_code, commune_name, district_code, district_name, province_code, lat, lon,
    drug_class, category (key/complex/healthy/other/no_data), map_class (key_1…3 split out),
    the MAIN_FIGURES (stock at the end of the year; null where not reported) and, with
    ``indicator``, ``value`` (per 1.000 population with ``per_1000``; null without population).
    A commune with no classification row for the year is ``no_data``. ``monthly``: where the
    figures are read (a view's ``monthly``, or ``query.from_facts`` of a frame in ``geo``'s units).
    """
    communes = area_communes(geo, area)
    codes = communes["commune_code"].to_list()
    year_status = classify(
        status.filter((pl.col("year") == year) & pl.col("commune_code").is_in(codes))
    ).select("commune_code", "drug_class", "category", "map_class")
    wanted = list(MAIN_FIGURES)
    if indicator is not None:
        wanted.append(indicator)
        if per_1000:
            wanted.append("population")
    wanted = list(dict.fromkeys(wanted))
    values = (
        query.summarize(
            monthly,
            status,
            geo,
            codes,
            wanted,
            grain="year",
            years=(year, year),
            last_period=last_period,
            spans=spans,  # contract version 3: a commune's total over several months of the year
        )
        if codes
        else pl.DataFrame(schema=query.RESULT_SCHEMA)
    )
    wide = (
        values.select("unit_code", "indicator", "value")
        .pivot(on="indicator", index="unit_code", values="value")
        .rename({"unit_code": "commune_code"})
        if not values.is_empty()
        else pl.DataFrame(schema={"commune_code": pl.String})
    )
    for ind in wanted:
        if ind not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(ind))
    frame = (
        communes.join(year_status, on="commune_code", how="left")
        .with_columns(
            pl.col("category").fill_null("no_data"),
            pl.col("map_class").fill_null("no_data"),
        )
        .join(wide.select("commune_code", *wanted), on="commune_code", how="left")
    )
    if indicator is not None:
        value = (
            pl.when(pl.col("population") > 0).then(pl.col(indicator) / pl.col("population") * 1000)
            if per_1000
            else pl.col(indicator)
        )
        frame = frame.with_columns(value.cast(pl.Float64).alias("value"))
    extra = [c for c in ("value",) if c in frame.columns]
    return frame.select(
        "commune_code",
        "commune_name",
        "district_code",
        "district_name",
        "province_code",
        "lat",
        "lon",
        "drug_class",
        "category",
        "map_class",
        *MAIN_FIGURES,
        *extra,
    ).sort("commune_code")


def category_counts(frame: pl.DataFrame) -> dict[str, int]:
    """Communes per category (key, complex, healthy, other, no_data), zeros included."""
    found = dict(frame.group_by("category").len().iter_rows())
    return {cat: int(found.get(cat, 0)) for cat in COMMUNE_CATEGORY_COLORS}


def reporting_row(frame: pl.DataFrame, column: str | None = None) -> dict:
    """How many of the map's communes have a figure: a value in ``column`` (the indicator view), or
    a classification for the year (``column`` None). A row in ``coverage.COVERAGE_SCHEMA``'s shape,
    for ``coverage.coverage_text`` and ``coverage.partial_mark`` in the legend."""
    if column is not None and column not in frame.columns:
        column = "value"  # an indicator outside MAIN_FIGURES is kept only as the drawn value
    has = pl.col(column).is_not_null() if column is not None else pl.col("category") != "no_data"
    reported = int(frame.select(has.sum()).item()) if frame.height else 0
    return {
        "unit_code": None,
        "child_level": "commune" if column is not None else "classified",
        "reported": reported,
        "total": frame.height,
        "own": False,
        "complete": reported == frame.height,
    }


def class_counts(frame: pl.DataFrame, column: str = "map_class") -> dict[str, int]:
    """Communes per value of ``column`` (map class, direction or value bin)."""
    return {k: int(v) for k, v in frame.group_by(column).len().iter_rows()}


# ---------------------------------------------------------------------------------------------
# Legends and the three views


@dataclass(frozen=True)
class LegendItem:
    """One entry of a map legend: the class id, what the reader sees, its colour and count.

    ``glyph``, ``symbol`` and ``size`` are the second channel besides colour: a letter or sign
    on the legend, the plotly marker symbol and its size in pixels on the map image (the screen
    map draws points of ``size`` / 2 pixels radius).
    """

    key: str
    label: str
    color: str
    count: int
    glyph: str = ""
    symbol: str = "circle"
    size: float = 2 * POINT_RADIUS_PX


@dataclass(frozen=True)
class MapDrawing:
    """A map frame made ready to draw in one of the ``VIEWS``: ``cls`` (colour class) and ``tip`` added."""

    frame: pl.DataFrame
    legend: tuple[LegendItem, ...]
    value_label: str | None = None  # the indicator line of the tooltip, if any
    size_legend: tuple[tuple[float, float], ...] = ()  # (value, radius px) for the size view


def category_drawing(frame: pl.DataFrame, lang: str = "vi") -> MapDrawing:
    """Colour each commune by its map class; the tooltip line names the class."""
    counts = class_counts(frame)
    labels = {c: class_label(c, lang) for c in MAP_CLASSES}
    styled = frame.with_columns(
        pl.col("map_class").alias("cls"),
        pl.col("map_class").replace_strict(labels, return_dtype=pl.String).alias("tip"),
    )
    legend = tuple(
        LegendItem(
            c,
            labels[c],
            COMMUNE_CLASS_COLORS[c],
            counts.get(c, 0),
            COMMUNE_CLASS_GLYPHS[c],
            COMMUNE_CLASS_SYMBOLS[c],
            COMMUNE_CLASS_SIZES[c],
        )
        for c in MAP_CLASSES
        if c != "no_data" or counts.get(c, 0)
    )
    return MapDrawing(styled, legend)


def classify_changes(
    status: pl.DataFrame, year: int, base_year: int, codes: Sequence[str] | None = None
) -> pl.DataFrame:
    """Entering and leaving the key, complex and healthy lists between ``base_year`` and ``year``.

    One row per commune and change (a commune can have two, e.g. left healthy and became
    complex), columns commune_code, change; sorted. Communes not classified in both years are
    left out: a missing row says nothing about a change.
    """

    def flags(y: int) -> pl.DataFrame:
        frame = status.filter(pl.col("year") == y)
        if codes is not None:
            frame = frame.filter(pl.col("commune_code").is_in(list(codes)))
        return frame.select(
            "commune_code",
            pl.col("drug_class").is_in(list(KEY_CLASSES)).alias("key"),
            pl.col("complex"),
            pl.col("healthy"),
        )

    both = flags(base_year).join(flags(year), on="commune_code", how="inner", suffix="_now")
    exprs = []
    for name in ("key", "complex", "healthy"):
        before, after = pl.col(name), pl.col(f"{name}_now")
        exprs.append((~before & after).alias(f"became_{name}"))
        exprs.append((before & ~after).alias(f"left_{name}"))
    wide = both.select("commune_code", *exprs)
    order = {c: i for i, c in enumerate(CHANGES)}
    return (
        wide.unpivot(index="commune_code", on=list(CHANGES), variable_name="change", value_name="hit")
        .filter(pl.col("hit"))
        .select("commune_code", "change")
        .with_columns(pl.col("change").replace_strict(order, return_dtype=pl.Int8).alias("_o"))
        .sort("commune_code", "_o")
        .drop("_o")
    )


def direction_of(changes: Sequence[str]) -> str:
    """``worse``, ``better``, ``mixed`` or ``unchanged`` for one commune's list of changes."""
    worse = any(c in WORSE_CHANGES for c in changes)
    better = any(c not in WORSE_CHANGES for c in changes)
    if worse and better:
        return "mixed"
    return "worse" if worse else "better" if better else "unchanged"


def change_drawing(
    frame: pl.DataFrame, status: pl.DataFrame, year: int, base_year: int, lang: str = "vi"
) -> MapDrawing:
    """Colour each commune by the direction of its changes since ``base_year``.

    Adds ``changes`` (list of change ids), ``direction`` and ``base_class`` (map class in the
    base year, ``no_data`` when unclassified) to the frame.
    """
    codes = frame["commune_code"].to_list()
    changes = classify_changes(status, year, base_year, codes)
    per_commune = changes.group_by("commune_code").agg(pl.col("change").alias("changes"))
    base = classify(status.filter((pl.col("year") == base_year) & pl.col("commune_code").is_in(codes)))
    styled = (
        frame.join(per_commune, on="commune_code", how="left")
        .join(
            base.select("commune_code", pl.col("map_class").alias("base_class")),
            on="commune_code",
            how="left",
        )
        .with_columns(pl.col("base_class").fill_null("no_data"))
    )
    changes_of = {code: list(chs) for code, chs in per_commune.iter_rows()}
    directions = [
        "no_data" if "no_data" in (before, now) else direction_of(changes_of.get(code, []))
        for code, before, now in styled.select("commune_code", "base_class", "map_class").iter_rows()
    ]
    styled = styled.with_columns(
        pl.Series("direction", directions, dtype=pl.String),
        pl.col("changes").fill_null(pl.lit([], dtype=pl.List(pl.String))),
    )
    class_names = {c: class_label(c, lang) for c in MAP_CLASSES}
    change_names = {c: t(f"change.{c}", lang) for c in CHANGES}
    tips = [
        "; ".join(change_names[c] for c in chs) + f" ({class_names[b]} → {class_names[n]})"
        if chs
        else f"{t('direction.' + d, lang)} ({class_names[b]} → {class_names[n]})"
        for chs, d, b, n in styled.select("changes", "direction", "base_class", "map_class").iter_rows()
    ]
    styled = styled.with_columns(pl.col("direction").alias("cls"), pl.Series("tip", tips, dtype=pl.String))
    counts = class_counts(styled, "direction")
    legend = tuple(
        LegendItem(
            d,
            t(f"direction.{d}", lang),
            COMMUNE_CHANGE_COLORS[d],
            counts.get(d, 0),
            COMMUNE_CHANGE_GLYPHS[d],
            COMMUNE_CHANGE_SYMBOLS[d],
            COMMUNE_CLASS_SIZES["key_2" if d == "worse" else "complex"],
        )
        for d in DIRECTIONS
        if d != "no_data" or counts.get(d, 0)
    )
    return MapDrawing(styled, legend)


def change_counts(view_frame: pl.DataFrame) -> dict[str, int]:
    """Communes with each change (a commune with two changes counts in both)."""
    exploded = view_frame.select("changes").explode("changes").drop_nulls()
    found = dict(exploded.group_by("changes").len().iter_rows())
    return {c: int(found.get(c, 0)) for c in CHANGES}


def change_table(view_frame: pl.DataFrame, base_year: int, year: int, lang: str = "vi") -> pl.DataFrame:
    """The communes that changed, one row per commune and change, with Vietnamese headers, for download."""
    class_names = {c: class_label(c, lang) for c in MAP_CLASSES}
    change_names = {c: t(f"change.{c}", lang) for c in CHANGES}
    rows = (
        view_frame.filter(pl.col("changes").list.len() > 0)
        .explode("changes")
        .select(
            "commune_code",
            "commune_name",
            "district_name",
            pl.col("changes").replace_strict(change_names, return_dtype=pl.String),
            pl.col("base_class").replace_strict(class_names, return_dtype=pl.String),
            pl.col("map_class").replace_strict(class_names, return_dtype=pl.String),
        )
    )
    return rows.rename(
        {
            "commune_code": t("column.unit_code", lang),
            "commune_name": t("column.commune", lang),
            "district_name": t("column.district", lang),
            "changes": t("column.change", lang),
            "base_class": t("column.category_base", lang, year=base_year),
            "map_class": t("column.category_base", lang, year=year),
        }
    )


def nice_number(value: float) -> float:
    """``value`` rounded to two significant digits, so scale breaks read easily (3,14 → 3,1)."""
    if value == 0 or not math.isfinite(value):
        return value
    digits = 1 - int(math.floor(math.log10(abs(value))))
    return round(value, digits)


def value_breaks(values: pl.Series, classes: int = len(VALUE_COLORS)) -> list[float]:
    """Class breaks for the positive values, at quantiles rounded to two significant digits.

    ``[low, b1, …, high]``; fewer classes come out when values repeat. Zeros get a class of
    their own in the map (see ``indicator_drawing``), so they do not squash the scale. No positive
    value → ``[]``.
    """
    data = values.drop_nulls()
    if data.dtype.is_float():
        data = data.drop_nans()
    data = data.filter(data > 0)
    if data.is_empty():
        return []
    low, high = float(data.min()), float(data.max())
    if low == high:
        return [low, high]
    inner = sorted(
        {nice_number(float(data.quantile(i / classes, interpolation="linear"))) for i in range(1, classes)}
    )
    return [low, *[b for b in inner if low < b < high], high]


def _bin_expr(breaks: Sequence[float]) -> pl.Expr:
    expr = (
        pl.when(pl.col("value").is_null() | pl.col("value").is_nan())
        .then(pl.lit("no_data"))
        .when(pl.col("value") <= 0)
        .then(pl.lit("zero"))
    )
    for i, upper in enumerate(breaks[1:-1]):
        expr = expr.when(pl.col("value") < upper).then(pl.lit(f"bin_{i}"))
    return expr.otherwise(pl.lit(f"bin_{max(len(breaks) - 2, 0)}"))


def value_decimals(breaks: Sequence[float]) -> int:
    """Decimals that show the breaks apart: whole numbers stay whole."""
    if all(float(b).is_integer() for b in breaks):
        return 0
    small = min((abs(b) for b in breaks if b), default=1)
    return max(1, min(3, 1 - int(math.floor(math.log10(small))))) if small < 10 else 1


def indicator_drawing(
    frame: pl.DataFrame,
    value_label: str,
    lang: str = "vi",
    encoding: str = "color",
) -> MapDrawing:
    """Show ``value`` by colour classes (a sequential scale) or by point size (category colours).

    The legend of the colour view lists the class ranges (``0 – 1,2``); the size view keeps the
    category legend and returns reference sizes in ``size_legend``.
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"Cách thể hiện không hợp lệ: {encoding!r} (chọn {', '.join(ENCODINGS)})")
    breaks = value_breaks(frame["value"])
    decimals = value_decimals(breaks)
    tip_value = pl.col("value").map_elements(lambda v: fmt_number(v, lang, decimals), return_dtype=pl.String)
    if encoding == "size":
        drawing = category_drawing(frame, lang)
        high = breaks[-1] if breaks else 0.0
        lo_px, hi_px = SIZE_RANGE_PX
        radius = (
            pl.when(pl.col("value") > 0)
            .then(lo_px + (hi_px - lo_px) * (pl.col("value") / high).sqrt() if high > 0 else lo_px)
            .otherwise(pl.lit(lo_px))
            .round(1)
        )
        styled = drawing.frame.with_columns(radius.alias("radius"), tip_value.alias("value_text"))
        refs = [nice_number(high * f) for f in (1.0, 0.25, 0.04)] if high > 0 else []
        size_legend = tuple(
            (v, round(lo_px + (hi_px - lo_px) * math.sqrt(v / high), 1)) for v in dict.fromkeys(refs) if v > 0
        )
        return MapDrawing(styled, drawing.legend, value_label, size_legend)
    styled = frame.with_columns(_bin_expr(breaks).alias("cls"), tip_value.alias("value_text"))
    class_names = {c: class_label(c, lang) for c in MAP_CLASSES}
    styled = styled.with_columns(
        pl.col("map_class").replace_strict(class_names, return_dtype=pl.String).alias("tip")
    )
    counts = class_counts(styled, "cls")
    items = []
    for i in range(max(len(breaks) - 1, 0)):
        colour = VALUE_COLORS[round(i * (len(VALUE_COLORS) - 1) / max(len(breaks) - 2, 1))]
        label = f"{fmt_number(breaks[i], lang, decimals)} – {fmt_number(breaks[i + 1], lang, decimals)}"
        items.append(LegendItem(f"bin_{i}", label, colour, counts.get(f"bin_{i}", 0)))
    # Highest first, like the category legend: the first item is drawn on top.
    items.reverse()
    if counts.get("zero"):
        items.append(LegendItem("zero", fmt_number(0, lang), ZERO_COLOR, counts["zero"]))
    if counts.get("no_data"):
        items.append(
            LegendItem(
                "no_data",
                t("notice.no_data", lang),
                COMMUNE_CATEGORY_COLORS["no_data"],
                counts["no_data"],
                COMMUNE_CLASS_GLYPHS["no_data"],
                COMMUNE_CLASS_SYMBOLS["no_data"],
            )
        )
    return MapDrawing(styled, tuple(items), value_label)


def legend_html(items: Sequence[LegendItem], lang: str = "vi", total_label: str | None = None) -> str:
    """The legend as a small HTML list (colour swatch, label, count) for ``st.markdown``.

    Labels are escaped; each count carries ``data-key`` so a browser test can read it.
    """
    lines = []
    for item in items:
        lines.append(
            '<div class="map-legend-item" style="display:flex;align-items:center;gap:.5em;margin:.15em 0">'
            f'<span style="display:inline-block;width:1.3em;height:1.3em;border-radius:50%;'
            f"background:{item.color};border:1px solid {OUTLINE};color:{text_on(item.color)};"
            'font-size:.7em;font-weight:700;line-height:1.3em;text-align:center">'
            f"{html.escape(item.glyph)}</span>"
            f'<span style="flex:1">{html.escape(item.label)}</span>'
            f'<b class="map-legend-count" data-key="{html.escape(item.key)}">'
            f"{fmt_number(item.count, lang)}</b>"
            "</div>"
        )
    if total_label is not None:
        total = sum(i.count for i in items)
        lines.append(
            f'<div style="display:flex;border-top:1px solid {LIGHT_LINE};margin-top:.3em;padding-top:.3em">'
            f'<span style="flex:1">{html.escape(total_label)}</span><b>{fmt_number(total, lang)}</b></div>'
        )
    return "\n".join(lines)


def size_legend_html(sizes: Sequence[tuple[float, float]], lang: str = "vi") -> str:
    """Reference circles of the size view: the circle as drawn and the value it stands for."""
    lines = []
    for value, radius in sizes:
        d = 2 * radius
        lines.append(
            '<div style="display:flex;align-items:center;gap:.5em;margin:.15em 0">'
            f'<span style="display:inline-block;width:{d}px;height:{d}px;border-radius:50%;'
            f'background:{SIZE_REFERENCE_COLOR};border:1px solid {RIM}"></span>'
            f"<span>{fmt_number(value, lang, 0 if float(value).is_integer() else 1)}</span></div>"
        )
    return "\n".join(lines)


def key_total_html(label: str, count: int, lang: str = "vi") -> str:
    """The line under the category legend: the key communes of all three types, counted once."""
    return f'<div style="margin:.3em 0">{html.escape(label)}: <b>{fmt_number(count, lang)}</b></div>'


# Kinds of line in the legend column (``panel_html``): a small grey note, a bold heading, or a
# piece of HTML made in this module (``legend_html``, ``size_legend_html``), whose texts are escaped.
NOTE, HEADING, MARKUP = "note", "heading", "markup"


def panel_html(parts: Sequence[tuple[str, str]]) -> str:
    """The legend column beside the map as one HTML block: ``(kind, text)`` lines in order.

    One element where there were five to eight (headings, legend, captions), each a message to
    the browser on every run (docs/BENCHMARK.md, *Sức chứa*). Notes and headings are escaped and
    kept to one line each (a file's name is shown as text, never as markup); a blank line would
    end the HTML block and what followed would be read as Markdown.
    """
    lines = []
    for kind, text in parts:
        if kind == NOTE:
            lines.append(
                f'<div class="map-note" style="font-size:.875rem;color:{MUTED_TEXT};margin:.3em 0">'
                f"{html_text(text)}</div>"
            )
        elif kind == HEADING:
            lines.append(f'<div style="font-weight:700;margin:.6em 0 .2em">{html_text(text)}</div>')
        else:
            lines.append(text)
    return '<div class="map-legend">' + "\n".join(lines) + "</div>"


# ---------------------------------------------------------------------------------------------
# Districts


def area_districts(geo: Geography, area: Area) -> list[str]:
    """The districts the area covers: its own, its parent's (a commune) or those below it.

    In the 2025 structure, the provinces (``group_level``).
    """
    group = group_level(geo)
    found: list[str] = []
    for code in area_codes(area):
        level = geo.level(code)
        if level == group:
            found.append(code)
        elif level == "commune":
            found.append(geo.parent(code))
        else:
            found += geo.descendants(code, group)
    return sorted(dict.fromkeys(found))


def district_summary(status: pl.DataFrame, geo: Geography, area: Area, year: int) -> pl.DataFrame:
    """Per district of the area: communes, and how many are key, complex and healthy in ``year``.

    Counts come from the query core (``query.status_counts``): list memberships, so a commune
    that is both key and complex counts in both columns. Districts with no classified commune
    show zeros. Columns: district_code, district_name, communes, classified_communes,
    key_communes, complex_communes, healthy_communes.
    """
    districts = area_districts(geo, area)
    counts = query.status_counts(status, geo, districts, (year, year))
    names = geo.units.filter(pl.col("unit_code").is_in(districts)).select(
        pl.col("unit_code").alias("district_code"), pl.col("unit_name").alias("district_name")
    )
    sizes = pl.DataFrame(
        {
            "district_code": districts,
            "communes": [len(geo.descendants(d, "commune")) for d in districts],
        },
        schema={"district_code": pl.String, "communes": pl.UInt32},
    )
    columns = ["classified_communes", "key_communes", "complex_communes", "healthy_communes"]
    out = names.join(sizes, on="district_code", how="left").join(
        counts.select(pl.col("unit_code").alias("district_code"), *columns), on="district_code", how="left"
    )
    # A district without a list has 0 classified communes, but its key, complex and healthy
    # counts stay unknown (null), as do complex and healthy when its list is silent on them.
    return (
        out.with_columns(pl.col("classified_communes").fill_null(0), pl.col(columns[1:]).cast(pl.Float64))
        .cast({c: pl.UInt32 for c in columns})
        .sort("district_code")
    )


def listed_totals(summary: pl.DataFrame) -> dict[str, int | None]:
    """Key, complex and healthy communes of the whole summary, counted by list (as reports count);
    None where no district's list says anything about the category."""
    return {
        c: int(summary[f"{c}_communes"].sum()) if summary[f"{c}_communes"].is_not_null().any() else None
        for c in ("key", "complex", "healthy")
    }


def district_table(summary: pl.DataFrame, lang: str = "vi", level: str = "district") -> pl.DataFrame:
    """The district summary with the reader's column names, for display and download.

    ``level``: what the rows are (``group_level``): districts, or provinces in the 2025 structure.
    """
    unknown = t("status.unknown", lang)

    def count(column: str) -> pl.Expr:
        # An unknown count reads "chưa có số liệu", not an empty cell a reader could take for 0.
        return pl.col(column).cast(pl.String).fill_null(unknown).alias(t(f"column.{column}", lang))

    return summary.select(
        pl.col("district_code").alias(t("column.unit_code", lang)),
        pl.col("district_name").alias(t(f"column.{level}", lang)),
        pl.col("communes").alias(t("map.total", lang)),
        pl.col("classified_communes").alias(t("column.classified_communes", lang)),
        count("key_communes"),
        count("complex_communes"),
        count("healthy_communes"),
    )


def label_units(geo: Geography, area: Area) -> pl.DataFrame:
    """The units named on the map: districts of a province or district, provinces of the country.

    Columns: unit_code, unit_name, lat, lon (units without a centroid are left out).
    """
    if COUNTRY_CODE in area_codes(area):
        frame = geo.units_at("province")
    else:
        frame = geo.units.filter(pl.col("unit_code").is_in(area_districts(geo, area)))
    return frame.filter(pl.col("lat").is_not_null()).select("unit_code", "unit_name", "lat", "lon")


# ---------------------------------------------------------------------------------------------
# Boundaries


class BoundaryError(ValueError):
    """A boundary file that does not follow docs/BOUNDARIES.md."""


def _round_coords(coords, decimals: int):
    if isinstance(coords, (int, float)):
        return round(float(coords), decimals)
    return [_round_coords(c, decimals) for c in coords]


def load_boundaries(path: Path | str, decimals: int = BOUNDARY_DECIMALS) -> dict[str, dict]:
    """Read a GeoJSON FeatureCollection of commune polygons keyed by GSO code (docs/BOUNDARIES.md).

    Returns ``{commune_code: geometry}`` with coordinates rounded to ``decimals``.

    Raises:
        BoundaryError: the file is not valid JSON or does not follow the format.
    """
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(f"không đọc được GeoJSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise BoundaryError("tệp phải là một GeoJSON FeatureCollection")
    out: dict[str, dict] = {}
    for i, feature in enumerate(doc.get("features") or []):
        props = (feature or {}).get("properties") or {}
        code = props.get("commune_code")
        geometry = (feature or {}).get("geometry") or {}
        if not isinstance(code, str) or len(code) != 5 or not code.isdigit():
            raise BoundaryError(f"đối tượng thứ {i + 1}: thiếu properties.commune_code dạng 5 chữ số")
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise BoundaryError(f"xã {code}: hình phải là Polygon hoặc MultiPolygon")
        if code in out:
            raise BoundaryError(f"xã {code} xuất hiện hai lần")
        out[code] = {
            "type": geometry["type"],
            "coordinates": _round_coords(geometry["coordinates"], decimals),
        }
    if not out:
        raise BoundaryError("tệp không có đối tượng nào")
    return out


def find_boundaries(reference_dir: Path | str = DEFAULT_REFERENCE_DIR) -> Path | None:
    """The boundary file in ``data/reference/`` if one has been placed there."""
    path = Path(reference_dir) / BOUNDARIES_FILE
    return path if path.is_file() else None


# ---------------------------------------------------------------------------------------------
# The pydeck map


@dataclass(frozen=True)
class Basemap:
    """Where the base map comes from. The default draws no base map: it works offline."""

    provider: str | None = None  # "carto", "mapbox", "google_maps", "maplibre"
    style: str | None = None  # a style name of the provider ("light") or a style URL


def basemap_from_env(environ: Mapping[str, str] | None = None) -> Basemap:
    """Read ``DASHBOARD_MAP_PROVIDER`` and ``DASHBOARD_MAP_STYLE`` (both unset: no base map)."""
    env = os.environ if environ is None else environ
    provider = (env.get("DASHBOARD_MAP_PROVIDER") or "").strip() or None
    style = (env.get("DASHBOARD_MAP_STYLE") or "").strip() or None
    if style and not provider:
        provider = "carto"
    return Basemap(provider, style)


class CompactDeck(pdk.Deck):
    """A ``pdk.Deck`` whose JSON has no indentation and keeps Vietnamese letters as UTF-8.

    pydeck's own ``to_json`` indents by two spaces and escapes every non-ASCII letter to
    ``\\uXXXX``, which more than doubles what a map of communes sends to the browser.
    """

    def to_json(self) -> str:
        return json.dumps(
            self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False
        )


def payload_bytes(deck: pdk.Deck) -> int:
    """Bytes of the deck's JSON as sent to the browser (UTF-8)."""
    return len(deck.to_json().encode("utf-8"))


def _figure(value: float | None, lang: str) -> int | str:
    """A figure for a tooltip: small whole numbers as JSON numbers (shortest), others formatted."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if float(value).is_integer() and abs(value) < 1000:
        return int(value)
    return fmt_number(value, lang)


# A commune this far (degrees) from the area's median, and farther than OUTLIER_MADS median
# absolute deviations, is left out of the initial view of a province: an offshore special zone
# (Đặc khu Hoàng Sa of Thành phố Đà Nẵng lies 4° east of the city) would shrink the city to a dot.
OUTLIER_MIN_DEGREES = 1.5
OUTLIER_MADS = 5.0


def main_body(points: pl.DataFrame) -> pl.DataFrame:
    """The points of ``points`` (lat, lon) without the far outliers (``OUTLIER_MIN_DEGREES``)."""
    if points.height < 5:
        return points
    keep = pl.lit(True)
    for column in ("lat", "lon"):
        median = points[column].median()
        mad = (points[column] - median).abs().median()
        limit = max(OUTLIER_MIN_DEGREES, OUTLIER_MADS * mad)
        keep = keep & ((pl.col(column) - median).abs() <= limit)
    kept = points.filter(keep)
    return kept if not kept.is_empty() else points


def view_state(
    frame: pl.DataFrame, width_px: int = 700, height_px: int = 560, whole: bool = True
) -> pdk.ViewState:
    """A view that fits every commune of the frame (``whole``), or its main body (``main_body``)."""
    points = frame.filter(pl.col("lat").is_not_null())
    if points.is_empty():
        return pdk.ViewState(latitude=16.0, longitude=106.0, zoom=4.5)
    if not whole:
        points = main_body(points)
    lat0, lat1 = points["lat"].min(), points["lat"].max()
    lon0, lon1 = points["lon"].min(), points["lon"].max()
    lat_c, lon_c = (lat0 + lat1) / 2, (lon0 + lon1) / 2
    span_lon = max(lon1 - lon0, 0.02)
    # Web Mercator stretches latitude by 1/cos(lat).
    span_lat = max(lat1 - lat0, 0.02) / math.cos(math.radians(lat_c))
    # At zoom z deck.gl's world is 512 · 2^z pixels wide.
    zoom = min(math.log2(width_px * 360 / (512 * span_lon)), math.log2(height_px * 360 / (512 * span_lat)))
    return pdk.ViewState(
        latitude=round(lat_c, 4), longitude=round(lon_c, 4), zoom=round(max(3.0, min(zoom - 0.2, 13.0)), 2)
    )


def _rows(frame: pl.DataFrame, lang: str, with_value: bool, with_radius: bool) -> list[list]:
    columns = ["lon", "lat", "commune_name", "district_name", "tip", *MAIN_FIGURES]
    if with_value:
        columns.append("value_text")
    if with_radius:
        columns.append("radius")
    rows = []
    for rec in frame.select(columns).iter_rows():
        lon, lat, name, district, tip, *rest = rec
        figures = [_figure(v, lang) for v in rest[: len(MAIN_FIGURES)]]
        row = [round(lon, POINT_DECIMALS), round(lat, POINT_DECIMALS), f"{name}\n{district}\n{tip}", *figures]
        if with_value:
            row.append(rest[len(MAIN_FIGURES)] or MISSING)
        if with_radius:
            row.append(rest[-1])
        rows.append(row)
    return rows


def tooltip_template(lang: str = "vi", value_label: str | None = None) -> str:
    """deck.gl text tooltip: row items are ``{2}`` (name, district, class) and the figures after it."""
    lines = ["{2}"]
    for i, ind in enumerate(MAIN_FIGURES, start=3):
        lines.append(f"{CATALOG[ind].label(lang)}: {{{i}}}")
    if value_label:
        lines.append(f"{value_label}: {{{3 + len(MAIN_FIGURES)}}}")
    return "\n".join(lines)


def layer_ids(drawing: MapDrawing, boundaries: Mapping[str, dict] | None = None) -> dict[str, list[str]]:
    """Each commune layer's id and the commune codes in it, in drawing order.

    A selection on the map names a layer and indices; this maps them back to communes.
    """
    out: dict[str, list[str]] = {}
    frame = drawing.frame.filter(pl.col("lat").is_not_null())
    has_shape = (
        pl.col("commune_code").is_in(list(boundaries)) if boundaries else pl.lit(False, dtype=pl.Boolean)
    )
    for item in drawing.legend:
        part = frame.filter(pl.col("cls") == item.key)
        shaped = part.filter(has_shape)["commune_code"].to_list()
        points = part.filter(~has_shape)["commune_code"].to_list()
        if shaped:
            out[f"p-{item.key}"] = shaped
        if points:
            out[f"c-{item.key}"] = points
    return out


LABEL_LAYER = "labels"


def build_deck(
    drawing: MapDrawing,
    *,
    lang: str = "vi",
    labels: pl.DataFrame | None = None,
    boundaries: Mapping[str, dict] | None = None,
    basemap: Basemap = Basemap(),
    height: int = 560,
    whole: bool = True,
) -> pdk.Deck:
    """The map as a pydeck Deck: one layer per legend class, district labels on top.

    Communes with a boundary in ``boundaries`` are drawn as filled polygons, the others as
    points at their centroid. Without a base map provider nothing is fetched from a tile
    server: the points draw on the page's plain background. ``whole`` False opens on the main
    body of the communes (a province's offshore special zone is drawn but not fitted); the
    whole country is always shown whole, islands included.
    """
    frame = drawing.frame.filter(pl.col("lat").is_not_null())
    with_value = drawing.value_label is not None and "value_text" in frame.columns
    with_radius = "radius" in frame.columns
    ids = layer_ids(drawing, boundaries)
    by_code = {code: i for i, code in enumerate(frame["commune_code"].to_list())}
    rows = _rows(frame, lang, with_value, with_radius)
    colour_of = {item.key: item.color for item in drawing.legend}
    layers: list[pdk.Layer] = []
    # pydeck turns every plain string argument into a deck.gl expression ("@@=" + text), so
    # accessors are written without the prefix and literal strings go through pdk.types.String.
    # The legend lists the most serious class first; draw it last so it stays on top.
    for item in reversed(drawing.legend):
        colour = hex_to_rgb(colour_of[item.key])
        shaped = ids.get(f"p-{item.key}")
        if shaped and boundaries:
            features = []
            for code in shaped:
                row = rows[by_code[code]]
                props = {str(i): v for i, v in enumerate(row) if i >= 2}
                features.append({"type": "Feature", "geometry": boundaries[code], "properties": props})
            layers.append(
                pdk.Layer(
                    "GeoJsonLayer",
                    id=f"p-{item.key}",
                    data={"type": "FeatureCollection", "features": features},
                    get_fill_color=[*colour, 200],
                    get_line_color=hex_to_rgb(RIM),
                    line_width_min_pixels=0.5,
                    stroked=True,
                    filled=True,
                    pickable=True,
                )
            )
        points = ids.get(f"c-{item.key}")
        if points:
            layers.append(
                pdk.Layer(
                    "ScatterplotLayer",
                    id=f"c-{item.key}",
                    data=[rows[by_code[code]] for code in points],
                    get_position="[this[0],this[1]]",
                    get_fill_color=colour,
                    # deck.gl draws layers at 0.8 opacity by default; the colours are the legend's.
                    opacity=1.0,
                    # No data is drawn hollow (a dark ring), every other class with a white rim.
                    get_line_color=hex_to_rgb(OUTLINE if item.color == NO_DATA_FILL else RIM),
                    get_radius=f"this[{len(rows[0]) - 1}]" if with_radius else item.size / 2,
                    radius_units=pdk.types.String("pixels"),
                    line_width_min_pixels=1.0 if item.color == NO_DATA_FILL else 0.5,
                    stroked=True,
                    pickable=True,
                )
            )
    if labels is not None and not labels.is_empty():
        label_rows = [
            [round(lon, POINT_DECIMALS), round(lat, POINT_DECIMALS), name, code]
            for code, name, lat, lon in labels.select("unit_code", "unit_name", "lat", "lon").iter_rows()
        ]
        layers.append(
            pdk.Layer(
                "TextLayer",
                id=LABEL_LAYER,
                data=label_rows,
                get_position="[this[0],this[1]]",
                get_text="this[2]",
                get_size=12,
                get_color=hex_to_rgb(TEXT),
                # deck.gl draws only ASCII glyphs unless told to collect the letters it needs.
                character_set=pdk.types.String("auto"),
                font_family=pdk.types.String(FONT_FAMILY),
                background=True,
                get_background_color=hex_to_rgb(BACKGROUND, LABEL_HALO_ALPHA),
                pickable=True,
            )
        )
    tooltip = {
        "text": tooltip_template(lang, drawing.value_label if with_value else None),
        "style": {"fontSize": "13px", "backgroundColor": TOOLTIP_BACKGROUND, "color": TOOLTIP_TEXT},
    }
    deck_args: dict = {"map_provider": basemap.provider}
    if basemap.provider and basemap.style:
        deck_args["map_style"] = basemap.style
    # With no provider pydeck keeps its "__MAP_STYLE__" placeholder, which tells Streamlit to
    # draw no base map; map_style=None would make Streamlit fetch Carto tiles instead.
    return CompactDeck(
        layers=layers,
        initial_view_state=view_state(frame, height_px=height, whole=whole),
        tooltip=tooltip,
        height=height,
        **deck_args,
    )


def selected_district(selection: Mapping | None, ids: Mapping[str, list[str]], geo: Geography) -> str | None:
    """The district picked on the map: a clicked district label, or the district of a clicked commune."""
    if not selection:
        return None
    indices = (selection.get("selection") or {}).get("indices") or {}
    for layer_id, picked in indices.items():
        if not picked:
            continue
        index = picked[0]
        if layer_id == LABEL_LAYER:
            objects = (selection.get("selection") or {}).get("objects", {}).get(LABEL_LAYER) or []
            if objects and isinstance(objects[0], list) and len(objects[0]) > 3:
                code = objects[0][3]
                return code if geo.has(code) and geo.level(code) == "district" else None
            return None
        codes = ids.get(layer_id)
        if codes and 0 <= index < len(codes):
            parent = geo.parent(codes[index])
            # The 2025 structure has no districts to narrow the sidebar to.
            return parent if parent is not None and geo.level(parent) == "district" else None
    return None


# ---------------------------------------------------------------------------------------------
# The static image


def image_figure(
    drawing: MapDrawing,
    *,
    title: str,
    lang: str = "vi",
    boundaries: Mapping[str, dict] | None = None,
    width: int = 900,
    height: int = 800,
) -> go.Figure:
    """The same map as a plotly figure with no tiles and no browser canvas, ready for PNG export.

    One trace per legend class, named with its count (``Lành mạnh (44)``); longitude and
    latitude on plain axes kept in proportion for the area's latitude. Communes with a
    boundary are drawn as filled outlines under the points.
    """
    frame = drawing.frame.filter(pl.col("lat").is_not_null())
    fig = go.Figure()
    shown = frame["commune_code"].to_list()
    if boundaries:
        for item in reversed(drawing.legend):
            xs: list[float | None] = []
            ys: list[float | None] = []
            for code in frame.filter(pl.col("cls") == item.key)["commune_code"].to_list():
                geom = boundaries.get(code)
                if not geom:
                    continue
                polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
                for polygon in polygons:
                    ring = polygon[0]
                    xs += [p[0] for p in ring] + [None]
                    ys += [p[1] for p in ring] + [None]
            if xs:
                fig.add_trace(
                    go.Scatter(
                        x=xs,
                        y=ys,
                        mode="lines",
                        fill="toself",
                        fillcolor=item.color,
                        line={"color": RIM, "width": 0.5},
                        hoverinfo="skip",
                        showlegend=False,
                        legendgroup=item.key,
                    )
                )
    for item in drawing.legend:
        part = frame.filter(pl.col("cls") == item.key)
        hover = [
            f"<b>{html.escape(name)}</b><br>{html.escape(district)}<br>{html.escape(tip)}"
            for name, district, tip in part.select("commune_name", "district_name", "tip").iter_rows()
        ]
        fig.add_trace(
            go.Scatter(
                x=part["lon"].to_list(),
                y=part["lat"].to_list(),
                mode="markers",
                name=f"{item.label} ({fmt_number(item.count, lang)})",
                legendgroup=item.key,
                marker={
                    "color": OUTLINE if item.color == NO_DATA_FILL else item.color,
                    "size": item.size,
                    "symbol": item.symbol,
                    "line": {"color": RIM, "width": 0.5},
                },
                hovertext=hover,
                hoverinfo="text",
            )
        )
    mean_lat = frame["lat"].mean() if shown else 16.0
    fig.update_layout(
        title={"text": html.escape(title)},
        separators=plotly_separators(lang),
        width=width,
        height=height,
        plot_bgcolor=BACKGROUND,
        paper_bgcolor=BACKGROUND,
        font={"family": FONT_FAMILY, "size": 13},
        legend={"orientation": "v", "x": 1.01, "y": 1},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    fig.update_xaxes(visible=False)
    # One degree of latitude is 1/cos(lat) times as long on the ground as one of longitude.
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mean_lat)))
    return fig
