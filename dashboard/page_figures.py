"""Page figures: what the overview (cards, quotas), trends and comparison pages show, from query results.

Pure polars. (Not to be confused with a view, `view.py`: a snapshot loaded in one structure.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from dashboard.catalog import CATALOG, FLOW_INDICATORS, INDICATORS, Indicator
from dashboard.formatting import period_label
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.goals import quota_achievement
from dashboard.i18n import t
from dashboard.query import GRAIN_MONTHS, period_end_month
from dashboard.theme import COMMUNE_CATEGORY_COLORS

# The overview's cards, in the order the issue lists them: the catalog's headline indicators.
HEADLINE: tuple[str, ...] = tuple(i.id for i in INDICATORS if i.headline)

# Indicators whose card shows the yearly quota ("at_least" targets) and its achievement.
QUOTA_METRICS: tuple[str, ...] = ("compulsory_rehab", "home_community_rehab", "voluntary_rehab_center")
QUOTA_RULE = "at_least"

# The commune classifications charted on the overview.
COMMUNE_CATEGORIES: tuple[str, ...] = ("key_communes", "complex_communes", "healthy_communes")

# Combined selection code for query.summarize(combine_as=...).
SELECTION = "SEL"


def chartable(domain: str | None = None) -> list[Indicator]:
    """Indicators that can be drawn over time: stored facts, rates and commune counts."""
    return [
        i
        for i in INDICATORS
        if i.kind in ("stock", "flow", "rate", "status")
        and i.id != "population"
        and i.reported_for is None
        and (domain is None or i.domain == domain)
    ]


def is_additive(indicator: str) -> bool:
    """Whether values of units can be added up (stocks, flows, commune counts) — rates cannot."""
    return CATALOG[indicator].kind in ("stock", "flow", "status") and indicator != "drug_free_share"


def periods_in_year(grain: str, year: int, last_period: dt.date | None) -> list[dt.date]:
    """Start months of the periods of ``grain`` in ``year`` that have begun by ``last_period``."""
    step = GRAIN_MONTHS[grain]
    months = [1] if grain in ("9m", "year") else list(range(1, 13, step))
    starts = [dt.date(year, m, 1) for m in months]
    return [s for s in starts if last_period is None or s <= last_period]


def default_period(grain: str, year: int, last_period: dt.date | None) -> dt.date | None:
    """The newest complete period of the year, else the newest begun one, else None."""
    starts = periods_in_year(grain, year, last_period)
    complete = [s for s in starts if last_period is None or period_end_month(s, grain) <= last_period]
    if complete:
        return complete[-1]
    return starts[-1] if starts else None


def is_negligible(change: float) -> bool:
    """A change too small to show at two decimals (0,00) is no change."""
    return abs(change) < 0.005


def change_tone(indicator: str, change: float | None) -> str:
    """``good``, ``bad`` or ``neutral``: whether a change is welcome for this indicator.

    Fewer addicts is good (better = down); more people in methadone treatment is good (up).
    """
    better = CATALOG[indicator].better
    if change is None or is_negligible(change) or better == "neutral":
        return "neutral"
    return "good" if (change > 0) == (better == "up") else "bad"


@dataclass(frozen=True)
class Quota:
    """The summed yearly quota of a selection: ``covered`` of ``total`` units have one."""

    value: float
    covered: int
    total: int


def unit_quota(
    targets: pl.DataFrame, geography: Geography, code: str, metric: str, year: int
) -> float | None:
    """A unit's own ``at_least`` quota, else the sum of its children's (found the same way)."""
    own = targets.filter(
        (pl.col("unit_code") == code)
        & (pl.col("metric") == metric)
        & (pl.col("year") == year)
        & (pl.col("rule") == QUOTA_RULE)
    )
    if own.height:
        return float(own["value"].sum())
    children = [unit_quota(targets, geography, c, metric, year) for c in geography.children(code)]
    found = [c for c in children if c is not None]
    return float(sum(found)) if found else None


def selection_quota(
    targets: pl.DataFrame, geography: Geography, codes: Sequence[str], metric: str, year: int
) -> Quota | None:
    """The sum of the selected units' quotas where each has one; None when none has one."""
    # Pre-filter once: the recursion below then scans a few rows instead of the whole table.
    relevant = targets.filter(
        (pl.col("metric") == metric) & (pl.col("year") == year) & (pl.col("rule") == QUOTA_RULE)
    )
    found = [unit_quota(relevant, geography, c, metric, year) for c in codes]
    covered = [q for q in found if q is not None]
    if not covered:
        return None
    return Quota(value=float(sum(covered)), covered=len(covered), total=len(codes))


@dataclass(frozen=True)
class Kpi:
    """One overview card: the value in the period and the same period a year earlier."""

    indicator: str
    value: float | None
    previous: float | None
    change: float | None
    change_pct: float | None
    tone: str
    complete: bool
    quota: Quota | None = None
    achievement: float | None = None
    history: tuple[float, ...] = ()


def kpis(
    frame: pl.DataFrame,
    period: dt.date,
    indicators: Sequence[str] = HEADLINE,
    quotas: dict[str, Quota | None] | None = None,
) -> list[Kpi]:
    """One card per indicator from a ``with_previous_year`` frame of one (combined) unit.

    ``history`` holds the indicator's values of the complete periods up to ``period`` for a
    sparkline.
    """
    quotas = quotas or {}
    cards = []
    for ind in indicators:
        rows = frame.filter((pl.col("indicator") == ind) & (pl.col("period") == period))
        history = tuple(
            frame.filter(
                (pl.col("indicator") == ind)
                & (pl.col("period") <= period)
                & pl.col("complete")
                & pl.col("value").is_not_null()  # a period a reported total straddles: no point, not 0
            )
            .sort("period")["value"]
            .to_list()
        )
        if rows.is_empty():
            cards.append(Kpi(ind, None, None, None, None, "neutral", False, quotas.get(ind), None, history))
            continue
        row = rows.row(0, named=True)
        quota = quotas.get(ind)
        cards.append(
            Kpi(
                indicator=ind,
                value=row["value"],
                previous=row.get("previous"),
                change=row.get("change"),
                change_pct=row.get("change_pct"),
                tone=change_tone(ind, row.get("change")),
                complete=bool(row["complete"]),
                quota=quota,
                achievement=quota_achievement(row["value"], quota.value if quota else None),
                history=history,
            )
        )
    return cards


def compare_units(
    geography: Geography, province: str, districts: Sequence[str], provinces: Sequence[str]
) -> list[str]:
    """The units a comparison ranks: the provinces with data nationwide, a province's units one
    level down (districts; communes in the 2025 structure), the selected units, or the communes
    of a single selected district."""
    if province == COUNTRY_CODE:
        return list(provinces)
    if len(districts) == 1 and geography.children(districts[0]):
        return geography.descendants(districts[0], "commune")
    if districts:
        return list(districts)
    return geography.descendants(province, geography.levels[1])


# A breakdown draws at most this many units (a province of the 2025 structure has up to 126
# communes: 126 small charts do not fit a slide); the others are named as left out.
BREAKDOWN_LIMIT = 30


def top_units(frame: pl.DataFrame, limit: int = BREAKDOWN_LIMIT) -> tuple[pl.DataFrame, int]:
    """The rows of the ``limit`` units with the highest value in the newest period, and how many
    units were left out. Ties keep the lower code first."""
    units = frame["unit_code"].unique()
    if units.len() <= limit:
        return frame, 0
    newest = frame.filter(pl.col("period") == pl.col("period").max())
    ranked = (
        newest.group_by("unit_code")
        .agg(pl.col("value").max().fill_null(0))
        .sort(["value", "unit_code"], descending=[True, False], nulls_last=True)
        .head(limit)["unit_code"]
    )
    return frame.filter(pl.col("unit_code").is_in(ranked.implode())), units.len() - limit


OTHERS = "_others"  # unit_code of the folded remainder of a stacked breakdown


def fold_others(shown: pl.DataFrame, whole: pl.DataFrame, label: str) -> pl.DataFrame:
    """``shown`` plus one series ``label`` summing, per period, the units of ``whole`` left out of
    it, so that a stack of an additive indicator still adds up to the area's total."""
    rest = whole.filter(~pl.col("unit_code").is_in(shown["unit_code"].unique().implode()))
    if rest.is_empty():
        return shown
    keys = [c for c in ("indicator", "period", "period_end", "period_label") if c in rest.columns]
    folded = (
        rest.group_by(keys)
        .agg(pl.col("value").sum())
        .with_columns(pl.lit(OTHERS).alias("unit_code"), pl.lit(label).alias("unit_name"))
    )
    return pl.concat([shown, folded], how="diagonal_relaxed")


def label_periods(
    frame: pl.DataFrame, grain: str, lang: str, last_period: dt.date | None = None
) -> pl.DataFrame:
    """Add ``period_label`` ("Quý 1/2021", "Q1 2021") for the period starts in ``frame``.

    With ``last_period`` (the snapshot's last month) a flow's period the data do not cover
    whole also gets ``period_note`` ("10 tháng": the months it holds), so a chart can draw it
    as a period in progress instead of a full-looking point beside full periods. Stocks stand
    at their last month and need no note.
    """
    starts = frame["period"].unique().to_list()
    labels = {s: period_label(s, grain, lang) for s in starts}
    out = frame.with_columns(
        pl.col("period").replace_strict(labels, return_dtype=pl.String).alias("period_label")
    )
    if last_period is None or "complete" not in out.columns:
        return out
    # Only a period the snapshot itself has not reached is "in progress" here; a unit whose own
    # figures stop earlier is marked by its ``complete`` (per unit), not by a month count.
    notes = {
        s: in_progress_note(s, last_period, lang) if period_end_month(s, grain) > last_period else None
        for s in starts
    }
    flow = pl.col("indicator").is_in(list(FLOW_INDICATORS)) if "indicator" in out.columns else pl.lit(True)
    return out.with_columns(
        pl.when(~pl.col("complete") & flow)
        .then(pl.col("period").replace_strict(notes, return_dtype=pl.String))
        .alias("period_note")
    )


def gap_note(frame: pl.DataFrame, lang: str) -> str | None:
    """The sentence under a chart naming its periods a total over several months straddles, or None.

    Those periods (``gap`` from ``query.summarize`` on version 3 data) have no value: the chart
    leaves them blank, and this says why, so that a blank is never read as zero.
    """
    if "gap" not in frame.columns or "period_label" not in frame.columns:
        return None
    gaps = frame.filter(pl.col("gap")).sort("period")["period_label"].unique(maintain_order=True).to_list()
    return t("notice.span_gap", lang, periods=", ".join(gaps)) if gaps else None


def in_progress_note(start: dt.date, last_period: dt.date, lang: str) -> str:
    """The months a period begun at ``start`` holds when the data reach ``last_period``: "10 tháng"."""
    months = (last_period.year - start.year) * 12 + last_period.month - start.month + 1
    return t("period.months_so_far", lang, n=max(months, 0))


def label_units(frame: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    """Add ``unit_name`` from a code → name mapping (unknown codes keep their code)."""
    return frame.with_columns(
        pl.col("unit_code")
        .replace_strict(names, default=pl.col("unit_code"), return_dtype=pl.String)
        .alias("unit_name")
    )


def ranking(frame: pl.DataFrame, period: dt.date, indicator: str, by: str = "value") -> pl.DataFrame:
    """Units ordered by ``by`` (``value`` or ``per_population``) in one period, highest first, with rank."""
    rows = frame.filter((pl.col("indicator") == indicator) & (pl.col("period") == period))
    rows = rows.filter(pl.col(by).is_not_null()).sort([by, "unit_code"], descending=[True, False])
    return rows.with_columns(pl.int_range(1, pl.len() + 1).alias("rank"))


def heatmap_matrix(frame: pl.DataFrame, indicator: str, by: str = "value") -> pl.DataFrame:
    """Units × years: one row per unit, one column per year (yearly values), units in code order."""
    rows = frame.filter(pl.col("indicator") == indicator).with_columns(
        pl.col("period").dt.year().cast(pl.String).alias("year")
    )
    if rows.is_empty():
        return pl.DataFrame(schema={"unit_code": pl.String})
    wide = rows.pivot(on="year", index="unit_code", values=by, aggregate_function="first", sort_columns=True)
    return wide.sort("unit_code")


def heatmap_hidden(frame: pl.DataFrame, indicator: str) -> pl.DataFrame | None:
    """The labels of the hidden cells ("<5", "×") in ``heatmap_matrix``'s shape; None when the
    frame had nothing hidden (``access.suppress_small_counts`` adds ``value_shown`` then)."""
    if "value_shown" not in frame.columns:
        return None
    return heatmap_matrix(frame, indicator, by="value_shown")


def commune_count_colors(lang: str) -> dict[str, str]:
    """The map's category colours for the commune-count series, by their label in ``lang``."""
    category = {"key_communes": "key", "complex_communes": "complex", "healthy_communes": "healthy"}
    return {CATALOG[i].label(lang): COMMUNE_CATEGORY_COLORS[category[i]] for i in COMMUNE_CATEGORIES}


def commune_counts(frame: pl.DataFrame) -> pl.DataFrame:
    """Counts of key, complex and healthy communes, long (period, indicator, value)."""
    return frame.filter(pl.col("indicator").is_in(COMMUNE_CATEGORIES)).sort("period", "indicator")


def commune_count_series(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The overview's chart data: ``commune_counts`` by year, periods and classifications labelled."""
    return label_indicators(label_periods(commune_counts(frame), "year", lang), lang)


def label_indicators(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Add ``indicator_label`` from the catalog in ``lang``."""
    labels = {i: CATALOG[i].label(lang) for i in frame["indicator"].unique().to_list()}
    return frame.with_columns(
        pl.col("indicator").replace_strict(labels, return_dtype=pl.String).alias("indicator_label")
    )


def default_indicators(domain: str) -> list[str]:
    """Indicators preselected on the trends page: the domain's headline ones, else its first two."""
    found = [i.id for i in chartable(domain) if i.headline]
    return found[:3] or [i.id for i in chartable(domain)][:2]


def with_tone(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``tone`` (good, bad, neutral) to a ``with_previous_year`` frame, per row."""
    tones = [change_tone(i, c) for i, c in zip(frame["indicator"], frame["change"], strict=True)]
    return frame.with_columns(pl.Series("tone", tones, dtype=pl.String))


def stack_tables(*frames: pl.DataFrame) -> pl.DataFrame:
    """Rows of several result frames in one table, on their common columns."""
    common = [c for c in frames[0].columns if all(c in f.columns for f in frames)]
    return pl.concat([f.select(common) for f in frames])


def is_per_population_meaningful(indicator: str) -> bool:
    """Counts of people, businesses or places scale with population; rates and commune counts do not."""
    return CATALOG[indicator].kind in ("stock", "flow")


def trend_frame(
    frame: pl.DataFrame, grain: str, lang: str, last_period: dt.date | None, area: str
) -> pl.DataFrame:
    """Xu hướng's data: tone of each change, periods labelled, the selection named ``area``."""
    return label_units(label_periods(with_tone(frame), grain, lang, last_period), {SELECTION: area})


def indicator_rows(frame: pl.DataFrame, indicator: str) -> pl.DataFrame:
    """The rows of one indicator (a function, so that the result can be remembered by ``memo``)."""
    return frame.filter(pl.col("indicator") == indicator)
