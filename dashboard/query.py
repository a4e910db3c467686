"""The query core: roll units up, aggregate months to periods, derive rates, count communes.

Pure polars; no Streamlit. Every number the app, the CLI and the exports show comes through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import polars as pl

from dashboard.catalog import (
    CATALOG,
    FLOW_INDICATORS,
    RATE_INDICATORS,
    REPORTED_COUNTS,
    STATUS_INDICATORS,
    STOCK_INDICATORS,
)
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.schema import KEY_CLASSES

GRAINS: tuple[str, ...] = ("month", "quarter", "6m", "9m", "year")

# Months in one period of each grain.
GRAIN_MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "6m": 6, "9m": 9, "year": 12}

RESULT_SCHEMA: dict[str, pl.DataType] = {
    "unit_code": pl.String,
    "indicator": pl.String,
    "period": pl.Date,
    "period_end": pl.Date,
    "value": pl.Float64,
    "complete": pl.Boolean,
}

CATEGORIES: tuple[str, ...] = ("key", "complex", "healthy", "other")


def period_start(grain: str) -> pl.Expr:
    """Map the month in ``period`` to the first month of its period at ``grain``.

    The 9-month grain covers January to September; October to December fall outside it (null).
    The 6-month grain has two halves, January–June and July–December.
    """
    month = pl.col("period").dt.month()
    year = pl.col("period").dt.year()
    if grain == "month":
        return pl.col("period")
    if grain == "quarter":
        return pl.date(year, ((month - 1) // 3) * 3 + 1, 1)
    if grain == "6m":
        return pl.date(year, pl.when(month <= 6).then(1).otherwise(7), 1)
    if grain == "9m":
        return pl.when(month <= 9).then(pl.date(year, 1, 1)).otherwise(None)
    if grain == "year":
        return pl.date(year, 1, 1)
    raise ValueError(f"Kỳ báo cáo không hợp lệ: {grain!r} (chọn một trong {', '.join(GRAINS)})")


def period_end_month(start: dt.date, grain: str) -> dt.date:
    """The first day of the last month of the period that starts at ``start``."""
    month0 = start.year * 12 + start.month - 1 + GRAIN_MONTHS[grain] - 1
    return dt.date(month0 // 12, month0 % 12 + 1, 1)


def needed_fact_indicators(indicators: Iterable[str]) -> list[str]:
    """The stored indicators a set of requested indicators needs (rates need their parts)."""
    needed: set[str] = set()
    for ind in indicators:
        entry = CATALOG[ind]
        if entry.is_fact:
            needed.add(ind)
        elif entry.kind == "rate":
            needed.update((entry.numerator, entry.denominator))
    return sorted(needed)


def rollup_months(
    facts: pl.DataFrame | pl.LazyFrame,
    geography: Geography,
    codes: Sequence[str],
    indicators: Sequence[str],
    years: tuple[int, int] | None = None,
) -> pl.DataFrame:
    """Monthly values of ``indicators`` for each unit in ``codes``.

    A unit's own reported value for a month wins; otherwise its value is the sum of its
    children's values, each found the same way, down to the communes.
    """
    codes = list(dict.fromkeys(codes))
    subtree: set[str] = set(codes)
    for code in codes:
        subtree.update(geography.descendants(code))
    lf = facts.lazy().filter(
        pl.col("unit_code").is_in(list(subtree)) & pl.col("indicator").is_in(list(indicators))
    )
    if years is not None:
        lf = lf.filter(pl.col("period").dt.year().is_between(years[0], years[1]))
    own = lf.select("period", "unit_code", "indicator", "value").collect()

    levels = [*geography.levels]
    parents = geography.parent_map.filter(pl.col("unit_code").is_in(list(subtree)))
    level_of = dict(parents.select("unit_code", "level").iter_rows())
    parent_of = dict(parents.select("unit_code", "parent_code").iter_rows())

    empty = pl.DataFrame(
        schema={"period": pl.Date, "unit_code": pl.String, "indicator": pl.String, "value": pl.Float64}
    )
    from_children = empty
    values_by_level: list[pl.DataFrame] = []
    for level in reversed(levels):
        level_units = [u for u, lv in level_of.items() if lv == level]
        own_here = own.filter(pl.col("unit_code").is_in(level_units))
        # Own values win; children's sums fill what the unit did not report itself.
        filled = from_children.join(own_here, on=["period", "unit_code", "indicator"], how="anti")
        values = pl.concat([own_here, filled])
        values_by_level.append(values)
        from_children = (
            values.with_columns(
                pl.col("unit_code").replace_strict(parent_of, default=None).alias("unit_code")
            )
            .filter(pl.col("unit_code").is_not_null())
            .group_by("period", "unit_code", "indicator")
            .agg(pl.col("value").sum())
        )
    if COUNTRY_CODE in codes:
        country_own = own.filter(pl.col("unit_code") == COUNTRY_CODE)
        filled = from_children.filter(pl.col("unit_code") == COUNTRY_CODE).join(
            country_own, on=["period", "unit_code", "indicator"], how="anti"
        )
        values_by_level.append(pl.concat([country_own, filled]))
    everything = pl.concat(values_by_level)
    return everything.filter(pl.col("unit_code").is_in(codes))


def rollup_all(facts: pl.DataFrame | pl.LazyFrame, geography: Geography) -> pl.DataFrame:
    """Monthly values of every stored indicator for every unit of the tree and the country.

    Computed once per snapshot, it turns every later query into a filter (see ``summarize``'s
    ``rolled``). Sorted by unit code so that one unit's rows sit together.
    """
    indicators = facts.lazy().select(pl.col("indicator").unique()).collect()["indicator"].to_list()
    codes = [COUNTRY_CODE, *geography.units["unit_code"].to_list()]
    return rollup_months(facts, geography, codes, sorted(indicators)).sort("unit_code", "indicator", "period")


def to_periods(monthly: pl.DataFrame, grain: str, last_period: dt.date | None) -> pl.DataFrame:
    """Aggregate monthly values to periods: flows summed, stocks at the last month with data.

    ``complete`` says whether the snapshot reaches the period's last month.
    """
    lf = (
        monthly.lazy()
        .with_columns(period_start(grain).alias("_start"))
        .filter(pl.col("_start").is_not_null())
    )
    is_stock = pl.col("indicator").is_in(list(STOCK_INDICATORS))
    out = (
        lf.sort("period")
        .group_by("unit_code", "indicator", "_start")
        .agg(
            pl.when(is_stock.first())
            .then(pl.col("value").last())
            .otherwise(pl.col("value").sum())
            .alias("value"),
            pl.col("period").max().alias("_last"),
        )
        .rename({"_start": "period"})
        .collect()
    )
    months = GRAIN_MONTHS[grain]
    out = out.with_columns(
        pl.col("period").dt.offset_by(f"{months - 1}mo").alias("period_end"),
    )
    reach = last_period if last_period is not None else dt.date(9999, 12, 1)
    # Complete per unit: the period ends by the unit's own last month with data (a province whose
    # figures stop in August has no complete 2022), and by the snapshot's.
    unit_reach = monthly.group_by("unit_code").agg(pl.col("period").max().alias("_reach"))
    out = (
        out.join(unit_reach, on="unit_code", how="left")
        .with_columns(
            ((pl.col("period_end") <= reach) & (pl.col("period_end") <= pl.col("_reach"))).alias("complete")
        )
        .drop("_reach")
    )
    return out.select(list(RESULT_SCHEMA)).cast(RESULT_SCHEMA)


def add_rates(frame: pl.DataFrame, indicators: Iterable[str]) -> pl.DataFrame:
    """Append derived rates (× 100) from the summed numerator and denominator in ``frame``.

    A zero or missing denominator gives no row rather than a division by zero.
    """
    wanted = [r for r in RATE_INDICATORS if r.id in set(indicators)]
    if not wanted:
        return frame
    rows = []
    keys = ["unit_code", "period", "period_end", "complete"]
    gapped = "gap" in frame.columns
    for rate in wanted:
        num = frame.filter(pl.col("indicator") == rate.numerator).select(
            *keys, pl.col("value").alias("_n"), *([pl.col("gap").alias("_gn")] if gapped else [])
        )
        den = frame.filter(pl.col("indicator") == rate.denominator).select(
            *keys, pl.col("value").alias("_d"), *([pl.col("gap").alias("_gd")] if gapped else [])
        )
        joined = num.join(den, on=keys, how="inner")
        # A part with a gap leaves the rate a gap too; otherwise a zero denominator gives no row.
        gap = (pl.col("_gn") | pl.col("_gd")) if gapped else pl.lit(False)
        joined = joined.filter((pl.col("_d") > 0) | gap)
        rows.append(
            joined.select(
                "unit_code",
                pl.lit(rate.id).alias("indicator"),
                "period",
                "period_end",
                pl.when(gap).then(None).otherwise(pl.col("_n") / pl.col("_d") * 100).alias("value"),
                "complete",
                *(
                    [gap.alias("gap"), pl.lit(None, dtype=pl.Float64).alias("previous_same")]
                    if gapped
                    else []
                ),
            )
        )
    extra = {"gap": pl.Boolean, "previous_same": pl.Float64} if gapped else {}
    return pl.concat([frame, *rows]).cast(RESULT_SCHEMA | extra)


def commune_category(status: pl.DataFrame) -> pl.DataFrame:
    """One map category per commune and year: key, else complex, else healthy, else other."""
    return status.with_columns(
        pl.when(pl.col("drug_class").is_in(list(KEY_CLASSES)))
        .then(pl.lit("key"))
        .when(pl.col("complex"))
        .then(pl.lit("complex"))
        .when(pl.col("healthy"))
        .then(pl.lit("healthy"))
        .otherwise(pl.lit("other"))
        .alias("category")
    )


STATUS_SOURCES: tuple[str, ...] = ("list", "report")

# The columns of ``status_counts``: the status metrics, the list's size and the base of the share.
STATUS_COUNT_COLUMNS: tuple[str, ...] = (
    "key_communes",
    "complex_communes",
    "healthy_communes",
    "drug_free_communes",
    "drug_problem_communes",
    "classified_communes",
    "commune_total",
)


def _commune_mapping(geography: Geography, codes: Sequence[str]) -> pl.DataFrame:
    """(commune_code, unit_code) for every commune of each unit in ``geography``."""
    pairs = []
    for code in dict.fromkeys(codes):
        if code == COUNTRY_CODE:
            communes = geography.units_at("commune")["unit_code"].to_list()
        elif not geography.has(code):
            communes = []
        else:
            communes = (
                [code] if geography.level(code) == "commune" else geography.descendants(code, "commune")
            )
        pairs.append(
            pl.DataFrame(
                {"commune_code": communes, "unit_code": [code] * len(communes)},
                schema={"commune_code": pl.String, "unit_code": pl.String},
            )
        )
    if not pairs:
        return pl.DataFrame(schema={"commune_code": pl.String, "unit_code": pl.String})
    return pl.concat(pairs)


def reported_by_year(monthly: pl.DataFrame) -> pl.DataFrame:
    """Reported commune counts (``reported_*`` facts) per unit and year: the year's last figure.

    Columns: unit_code, year, one column per status count (and ``commune_total``), null where the
    report gave none.
    """
    wanted = {fact: status for status, fact in REPORTED_COUNTS.items()}
    rows = monthly.filter(pl.col("indicator").is_in(list(wanted)))
    columns = list(REPORTED_COUNTS)
    if rows.is_empty():
        return pl.DataFrame(
            schema={"unit_code": pl.String, "year": pl.Int32} | {c: pl.Float64 for c in columns}
        )
    yearly = (
        rows.sort("period")
        .group_by("unit_code", pl.col("period").dt.year().cast(pl.Int32).alias("year"), "indicator")
        .agg(pl.col("value").last())
        .with_columns(pl.col("indicator").replace_strict(wanted))
        .pivot(on="indicator", index=["unit_code", "year"], values="value")
    )
    for c in columns:
        if c not in yearly.columns:
            yearly = yearly.with_columns(pl.lit(None, dtype=pl.Float64).alias(c))
    return yearly.select("unit_code", "year", *columns).cast({c: pl.Float64 for c in columns})


def _known_sum(column: str) -> pl.Expr:
    """Communes flagged true, or null when no row of the group says anything (unknown, not 0)."""
    return pl.when(pl.col(column).is_not_null().any()).then(pl.col(column).fill_null(False).sum())


def status_counts(
    status: pl.DataFrame,
    geography: Geography,
    codes: Sequence[str],
    years: tuple[int, int] | None = None,
    reported: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Counts of communes by classification for each unit in ``codes`` and year.

    Where the commune list (``status``) names any commune of the unit that year, the counts come
    from the list (``source`` "list"); otherwise from the counts the unit's report gave
    (``reported``, as ``reported_by_year`` shapes them; ``source`` "report"). Complex and healthy
    counts are null (unknown) when nothing says anything about them. The drug-free share is over
    every commune of the unit in ``geography`` — or the report's own number of communes
    (``commune_total``) when it gave one — never over the communes a list names.

    Columns: unit_code, year, ``STATUS_COUNT_COLUMNS``, drug_free_share (%), source.
    """
    mapping = _commune_mapping(geography, codes)
    in_force = mapping.group_by("unit_code").agg(pl.len().cast(pl.Float64).alias("_in_force"))
    lf = status.lazy()
    if years is not None:
        lf = lf.filter(pl.col("year").is_between(years[0], years[1]))
    listed = (
        lf.join(mapping.lazy(), on="commune_code", how="inner")
        .group_by("unit_code", "year")
        .agg(
            pl.col("drug_class").is_in(list(KEY_CLASSES)).sum().cast(pl.Float64).alias("key_communes"),
            _known_sum("complex").cast(pl.Float64).alias("complex_communes"),
            _known_sum("healthy").cast(pl.Float64).alias("healthy_communes"),
            (pl.col("drug_class") == "khong_ma_tuy").sum().cast(pl.Float64).alias("drug_free_communes"),
            (pl.col("drug_class") != "khong_ma_tuy").sum().cast(pl.Float64).alias("drug_problem_communes"),
            pl.len().cast(pl.Float64).alias("classified_communes"),
            pl.lit("list").alias("source"),
        )
        .with_columns(pl.col("year").cast(pl.Int32))
        .collect()
    )
    reported = reported if reported is not None else reported_by_year(pl.DataFrame(schema=FACTS_LONG))
    reported = reported.filter(pl.col("unit_code").is_in(list(codes)))
    if years is not None:
        reported = reported.filter(pl.col("year").is_between(years[0], years[1]))
    # The report's denominator is the base of the share whatever the counts' source.
    totals = reported.select("unit_code", "year", pl.col("commune_total").alias("_reported_total"))
    from_report = (
        reported.join(listed.select("unit_code", "year"), on=["unit_code", "year"], how="anti")
        .filter(pl.any_horizontal(pl.exclude("unit_code", "year", "commune_total").is_not_null()))
        .with_columns(
            # A count of one side follows from the other and the report's own total.
            pl.coalesce(
                "drug_problem_communes", pl.col("commune_total") - pl.col("drug_free_communes")
            ).alias("drug_problem_communes"),
            pl.coalesce(
                "drug_free_communes", pl.col("commune_total") - pl.col("drug_problem_communes")
            ).alias("drug_free_communes"),
            pl.lit(None, dtype=pl.Float64).alias("classified_communes"),
            pl.lit("report").alias("source"),
        )
        .drop("commune_total")
    )
    columns = [c for c in STATUS_COUNT_COLUMNS if c != "commune_total"]
    both = pl.concat(
        [listed.select("unit_code", "year", *columns, "source"), from_report.select(listed.columns)],
        how="vertical_relaxed",
    )
    counted = (
        both.join(totals, on=["unit_code", "year"], how="left")
        .join(in_force, on="unit_code", how="left")
        .with_columns(pl.coalesce("_reported_total", "_in_force").alias("commune_total"))
        .with_columns(_share("drug_free_communes", "commune_total"))
        .select("unit_code", "year", *STATUS_COUNT_COLUMNS, "drug_free_share", "source")
        .sort("unit_code", "year")
    )
    return counted.with_columns(pl.col("year").cast(pl.Int32))


def _share(count: str, total: str) -> pl.Expr:
    return (
        pl.when(pl.col(total) > 0)
        .then(pl.col(count) / pl.col(total) * 100)
        .otherwise(None)
        .alias("drug_free_share")
    )


FACTS_LONG: dict[str, pl.DataType] = {
    "period": pl.Date,
    "unit_code": pl.String,
    "indicator": pl.String,
    "value": pl.Float64,
}


def status_as_facts(counts: pl.DataFrame, grain: str, last_period: dt.date | None) -> pl.DataFrame:
    """Status counts in the long result shape, one row per period of the grain within each year."""
    if counts.is_empty():
        return pl.DataFrame(schema=RESULT_SCHEMA)
    months = {"month": range(1, 13), "quarter": (1, 4, 7, 10), "6m": (1, 7), "9m": (1,), "year": (1,)}[grain]
    long = counts.unpivot(
        index=["unit_code", "year"],
        on=list(STATUS_INDICATORS),
        variable_name="indicator",
        value_name="value",
    ).filter(pl.col("value").is_not_null())
    starts = pl.DataFrame({"_m": list(months)}, schema={"_m": pl.Int8})
    out = (
        long.join(starts, how="cross")
        .with_columns(pl.date(pl.col("year"), pl.col("_m"), 1).alias("period"))
        .with_columns(pl.col("period").dt.offset_by(f"{GRAIN_MONTHS[grain] - 1}mo").alias("period_end"))
    )
    reach = last_period if last_period is not None else dt.date(9999, 12, 1)
    out = out.with_columns((pl.col("period_end") <= reach).alias("complete"))
    return out.select(list(RESULT_SCHEMA)).cast(RESULT_SCHEMA)


class MonthlySource(Protocol):
    """Where ``summarize`` reads its monthly values: ``(codes, indicators, years)`` → rows in the
    facts shape (``period, unit_code, indicator, value``), a unit's own value winning over its
    children's sum. A view's ``monthly`` is one (roll-ups and a pushed-down scan); ``from_facts``
    and ``from_rollups`` make one of a frame."""

    def __call__(
        self, codes: Sequence[str], indicators: Sequence[str], years: tuple[int, int] | None = None, /
    ) -> pl.DataFrame: ...


@dataclass(frozen=True, eq=False)
class FactsMonthly:
    """A monthly source rolled up from a facts frame on each read (``rollup_months``)."""

    facts: pl.DataFrame
    geography: Geography

    def __call__(
        self, codes: Sequence[str], indicators: Sequence[str], years: tuple[int, int] | None = None
    ) -> pl.DataFrame:
        return rollup_months(self.facts, self.geography, codes, indicators, years)

    @property
    def last_period(self) -> dt.date | None:
        """The newest month of the facts (what a period must reach to be complete)."""
        return None if self.facts.is_empty() else self.facts.select(pl.col("period").max()).item()


def from_facts(facts: pl.DataFrame, geography: Geography) -> FactsMonthly:
    """A monthly source over a facts frame in ``geography``'s units (rolled up on each read)."""
    return FactsMonthly(facts, geography)


def from_rollups(rolled: pl.DataFrame) -> MonthlySource:
    """A monthly source over ``rollup_all(facts, geography)``: the same numbers, read by a filter."""

    def read(codes: Sequence[str], indicators: Sequence[str], years: tuple[int, int] | None = None):
        lf = rolled.lazy().filter(
            pl.col("unit_code").is_in(list(codes)) & pl.col("indicator").is_in(list(indicators))
        )
        if years is not None:
            lf = lf.filter(pl.col("period").dt.year().is_between(years[0], years[1]))
        return lf.collect()

    return read


def summarize(
    monthly: MonthlySource,
    status: pl.DataFrame,
    geography: Geography,
    codes: Sequence[str],
    indicators: Sequence[str] | None = None,
    grain: str = "year",
    years: tuple[int, int] | None = None,
    *,
    combine_as: str | None = None,
    last_period: dt.date | None = None,
    spans: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Values of ``indicators`` for each unit in ``codes`` at ``grain``, in the long result shape.

    ``monthly`` is the one source of monthly values (``MonthlySource``): a view's ``monthly``
    (``View.summarize`` passes it), or ``from_facts(facts, geography)`` for a frame in memory.
    ``last_period``: the newest month of the data, which a period must reach to be complete
    (a ``from_facts`` source knows its own).

    With ``combine_as`` the units (which must not overlap) are added up into one row per
    indicator and period under that code; rates are then derived from the combined parts.

    ``spans`` (contract version 3): flow totals over several months. A span lying wholly inside a
    period adds to it; a period a span straddles gets no value and ``gap`` true (the column is
    there only when some span concerns the query, so results of version 1 and 2 are unchanged).
    """
    if grain not in GRAINS:
        period_start(grain)  # raises the worded error
    if indicators is None:
        indicators = [i.id for i in CATALOG.values() if i.kind in ("stock", "flow", "rate", "status")]
    unknown = [i for i in indicators if i not in CATALOG]
    if unknown:
        raise KeyError(f"Chỉ tiêu không có trong danh mục: {', '.join(unknown)}")
    status_ids = [i for i in indicators if CATALOG[i].kind == "status"]
    fact_ids = needed_fact_indicators(indicators)
    if status_ids:
        # Reported commune counts stand in for a missing commune list (status_counts).
        fact_ids = sorted({*fact_ids, *REPORTED_COUNTS.values()})
    monthly_rows = monthly(list(codes), fact_ids, years)
    if last_period is None and isinstance(monthly, FactsMonthly):
        last_period = monthly.last_period
    held = None
    if spans is not None and not spans.is_empty():
        held = effective_spans(spans, geography, codes, fact_ids)
        if years is not None:
            held = held.filter(
                (pl.col("last_period").dt.year() >= years[0]) & (pl.col("first_period").dt.year() <= years[1])
            )
        held = None if held.is_empty() else held
    if held is not None:
        months_only, (monthly_rows, gaps) = monthly_rows, apply_spans(monthly_rows, held, grain)
    periods = to_periods(monthly_rows, grain, last_period)
    if held is not None:
        periods = mark_gaps(periods, gaps, grain, last_period)
        before = same_months_before(periods, months_only, held, last_period)
        periods = periods.join(before, on=["unit_code", "indicator", "period"], how="left")
    counts = (
        status_counts(status, geography, codes, years, reported_by_year(monthly_rows)) if status_ids else None
    )
    if combine_as is not None:
        gapped = "gap" in periods.columns
        periods = (
            periods.group_by("indicator", "period", "period_end")
            .agg(
                # One unit's straddled period leaves the sum unknown (never a partial sum).
                pl.when(pl.col("gap").any()).then(None).otherwise(pl.col("value").sum()).alias("value")
                if gapped
                else pl.col("value").sum(),
                pl.col("complete").all(),
                *([pl.col("gap").any()] if gapped else []),
                *(
                    [
                        pl.when(pl.col("previous_same").is_null().any())
                        .then(None)
                        .otherwise(pl.col("previous_same").sum())
                        .alias("previous_same")
                    ]
                    if gapped
                    else []
                ),
            )
            .with_columns(pl.lit(combine_as).alias("unit_code"))
            .select(*RESULT_SCHEMA, *(["gap", "previous_same"] if gapped else []))
        )
        if counts is not None:
            # A count unknown in one of the units is unknown for the selection (not a smaller sum).
            counts = (
                counts.group_by("year")
                .agg(
                    pl.when(pl.col(c).null_count() == 0).then(pl.col(c).sum()).alias(c)
                    for c in STATUS_COUNT_COLUMNS
                )
                .with_columns(
                    pl.lit(combine_as).alias("unit_code"), _share("drug_free_communes", "commune_total")
                )
            )
    result = add_rates(periods, indicators)
    if counts is not None:
        counted = status_as_facts(counts, grain, last_period)
        if "gap" in result.columns:
            counted = counted.with_columns(
                pl.lit(False).alias("gap"), pl.lit(None, dtype=pl.Float64).alias("previous_same")
            )
        result = pl.concat([result, counted])
    return result.filter(pl.col("indicator").is_in(list(indicators))).sort("unit_code", "indicator", "period")


def with_previous_year(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the same period a year earlier: ``previous``, ``change`` and ``change_pct`` (null if 0).

    With ``previous_same`` (``summarize`` on version 3 data) a flow's period in progress takes the
    same months of the year before instead of that whole period.
    """
    prev = frame.select(
        "unit_code",
        "indicator",
        pl.col("period").dt.offset_by("1y").alias("period"),
        pl.col("value").alias("previous"),
    )
    out = frame.join(prev, on=["unit_code", "indicator", "period"], how="left")
    if "previous_same" in out.columns:
        # Version 3 results: a flow's period in progress is compared over the same months (cùng kỳ).
        same = ~pl.col("complete") & pl.col("indicator").is_in(list(FLOW_INDICATORS))
        out = out.with_columns(
            pl.when(same).then(pl.col("previous_same")).otherwise(pl.col("previous")).alias("previous")
        ).drop("previous_same")
    return out.with_columns(
        (pl.col("value") - pl.col("previous")).alias("change"),
        pl.when(pl.col("previous") > 0)
        .then((pl.col("value") - pl.col("previous")) / pl.col("previous") * 100)
        .alias("change_pct"),
    )


def per_population(frame: pl.DataFrame, population: pl.DataFrame, per: int = 10_000) -> pl.DataFrame:
    """Add ``per_population``: value per ``per`` inhabitants where the unit's population is known."""
    pop = population.filter(pl.col("indicator") == "population").select(
        "unit_code", "period", pl.col("value").alias("_pop")
    )
    out = frame.join(pop, on=["unit_code", "period"], how="left")
    return out.with_columns(
        pl.when(pl.col("_pop") > 0).then(pl.col("value") / pl.col("_pop") * per).alias("per_population")
    ).drop("_pop")


def is_flow(indicator: str) -> bool:
    return indicator in FLOW_INDICATORS


def _bucket(month: dt.date, grain: str) -> dt.date | None:
    """The first month of ``month``'s period at ``grain`` (``period_start`` for one date)."""
    if grain == "month":
        return month
    if grain == "quarter":
        return dt.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
    if grain == "6m":
        return dt.date(month.year, 1 if month.month <= 6 else 7, 1)
    if grain == "9m":
        return dt.date(month.year, 1, 1) if month.month <= 9 else None
    return dt.date(month.year, 1, 1)


def effective_spans(
    spans: pl.DataFrame, geography: Geography, codes: Sequence[str], indicators: Sequence[str]
) -> pl.DataFrame:
    """The totals over spans each unit in ``codes`` holds: its own, and its descendants' rolled up.

    Like months, a unit's own total wins: a descendant's span is left out where a unit between
    them (or the unit itself) has its own span over any of the same months. Columns: the span
    columns, ``unit_code`` being the unit of ``codes`` it counts for, and ``own``.
    """
    wanted = spans.filter(pl.col("indicator").is_in(list(indicators)))
    out_schema = {**dict(wanted.schema), "own": pl.Boolean}
    if wanted.is_empty():
        return pl.DataFrame(schema=out_schema)
    by_unit: dict[str, list[dict]] = {}
    for row in wanted.iter_rows(named=True):
        by_unit.setdefault(row["unit_code"], []).append(row)
    wanted_codes = set(codes)
    out = []
    # One walk up from each unit holding spans (not one pass over the spans per queried unit).
    for unit, held in by_unit.items():
        chain = (
            [unit, *(a for a in geography.ancestors(unit) if a != COUNTRY_CODE)]
            if geography.has(unit)
            else [unit]
        )
        if unit != COUNTRY_CODE:
            chain.append(COUNTRY_CODE)
        for depth, code in enumerate(chain):
            if code not in wanted_codes:
                continue
            path = chain[1 : depth + 1]  # the units above ``unit`` up to ``code``
            for row in held:
                shadowed = any(
                    other["indicator"] == row["indicator"]
                    and other["first_period"] <= row["last_period"]
                    and row["first_period"] <= other["last_period"]
                    for above in path
                    for other in by_unit.get(above, [])
                )
                if not shadowed:
                    out.append({**row, "unit_code": code, "own": depth == 0})
    return pl.DataFrame(out, schema=out_schema, orient="row") if out else pl.DataFrame(schema=out_schema)


def apply_spans(monthly: pl.DataFrame, spans: pl.DataFrame, grain: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Monthly rows with each span lying wholly inside one period of ``grain`` added at its last
    month, and the periods a span straddles (``unit_code``, ``indicator``, ``period``): those have
    no value, never a value booked in a month the report did not give.

    ``spans`` is ``effective_spans``' result; months a unit's own span covers are dropped from
    ``monthly`` (they came from its children, and its own total wins).
    """
    gaps: list[tuple] = []
    inside: list[tuple] = []
    own = spans.filter(pl.col("own"))
    kept = monthly
    if not own.is_empty():
        covered = kept.join(
            own.select("unit_code", "indicator", "first_period", "last_period"), on=["unit_code", "indicator"]
        ).filter(pl.col("period").is_between(pl.col("first_period"), pl.col("last_period")))
        kept = kept.join(
            covered.select("period", "unit_code", "indicator"),
            on=["period", "unit_code", "indicator"],
            how="anti",
        )
    for row in spans.iter_rows(named=True):
        first, last = _bucket(row["first_period"], grain), _bucket(row["last_period"], grain)
        if first is not None and first == last:
            inside.append((row["last_period"], row["unit_code"], row["indicator"], row["value"]))
            continue
        month = row["first_period"]
        starts = set()
        while month <= row["last_period"]:
            start = _bucket(month, grain)
            if start is not None:
                starts.add(start)
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        gaps.extend((row["unit_code"], row["indicator"], start) for start in starts)
    added = pl.DataFrame(inside, schema=["period", "unit_code", "indicator", "value"], orient="row")
    monthly_out = pl.concat(
        [
            kept.select("period", "unit_code", "indicator", "value"),
            added.cast(kept.select("period", "unit_code", "indicator", "value").schema),
        ]
    )
    gap_frame = pl.DataFrame(
        gaps, schema={"unit_code": pl.String, "indicator": pl.String, "period": pl.Date}, orient="row"
    ).unique()
    return monthly_out, gap_frame


def mark_gaps(
    periods: pl.DataFrame, gaps: pl.DataFrame, grain: str, last_period: dt.date | None
) -> pl.DataFrame:
    """``periods`` with a ``gap`` column: the periods in ``gaps`` get no value and ``gap`` true."""
    months = GRAIN_MONTHS[grain]
    reach = last_period if last_period is not None else dt.date(9999, 12, 1)
    flagged = gaps.with_columns(pl.lit(True).alias("gap"))
    out = periods.join(flagged, on=["unit_code", "indicator", "period"], how="left").with_columns(
        pl.col("gap").fill_null(False)
    )
    missing = flagged.join(periods, on=["unit_code", "indicator", "period"], how="anti").with_columns(
        pl.col("period").dt.offset_by(f"{months - 1}mo").alias("period_end"),
        pl.lit(None, dtype=pl.Float64).alias("value"),
    )
    missing = missing.with_columns((pl.col("period_end") <= reach).alias("complete"))
    out = pl.concat([out, missing.select(out.columns)], how="vertical_relaxed")
    return (
        out.with_columns(pl.when(pl.col("gap")).then(None).otherwise(pl.col("value")).alias("value"))
        .select(*RESULT_SCHEMA, "gap")
        .cast(RESULT_SCHEMA | {"gap": pl.Boolean})
    )


def same_months_before(
    periods: pl.DataFrame, monthly: pl.DataFrame, spans: pl.DataFrame, last_period: dt.date | None
) -> pl.DataFrame:
    """For each flow's period the data do not reach to its end, the same months a year earlier.

    01–11/2022 is compared with 01–11/2021, never with the whole of 2021; a span of the earlier
    year that crosses the cut leaves it unknown. Columns: unit_code, indicator, period,
    ``previous_same`` (null when unknown).
    """
    out_schema = {
        "unit_code": pl.String,
        "indicator": pl.String,
        "period": pl.Date,
        "previous_same": pl.Float64,
    }
    if last_period is None:
        return pl.DataFrame(schema=out_schema)
    open_ = periods.filter(~pl.col("complete") & pl.col("indicator").is_in(list(FLOW_INDICATORS)))
    rows = []
    for unit, indicator, start in open_.select("unit_code", "indicator", "period").unique().iter_rows():
        if start > last_period:
            continue
        begin, cut = (
            dt.date(start.year - 1, start.month, 1),
            dt.date(last_period.year - 1, last_period.month, 1),
        )
        months = monthly.filter(
            (pl.col("unit_code") == unit)
            & (pl.col("indicator") == indicator)
            & pl.col("period").is_between(begin, cut)
        )
        held = spans.filter(
            (pl.col("unit_code") == unit)
            & (pl.col("indicator") == indicator)
            & (pl.col("first_period") <= cut)
            & (pl.col("last_period") >= begin)
        )
        crossing = held.filter((pl.col("first_period") < begin) | (pl.col("last_period") > cut))
        if not crossing.is_empty() or (months.is_empty() and held.is_empty()):
            value = None
        else:
            value = float(months["value"].sum() + held["value"].sum())
        rows.append((unit, indicator, start, value))
    return pl.DataFrame(rows, schema=out_schema, orient="row")
