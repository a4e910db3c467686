"""How complete a figure is over space: how many of a unit's child units reported in a period.

A total is only as good as the units behind it: a district whose one commune reported shows that
commune's count as its own. ``coverage`` answers "27/30 xã, phường đã báo cáo" for each unit from
the units that have a figure of their own in the period; ``complete`` is per unit.
Pure polars and Python sets; no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import polars as pl

from dashboard import query
from dashboard.catalog import MONTHLY_INDICATORS
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.i18n import t

COVERAGE_SCHEMA: dict[str, pl.DataType] = {
    "unit_code": pl.String,
    "child_level": pl.String,
    "reported": pl.Int64,
    "total": pl.Int64,
    "own": pl.Boolean,
    "complete": pl.Boolean,
}


def units_reporting(
    facts: pl.DataFrame | pl.LazyFrame,
    indicators: Iterable[str] | None,
    first: dt.date,
    last: dt.date,
) -> set[str]:
    """Units with a figure of their own (a stored row, not a roll-up) for ``indicators`` in
    ``first``..``last`` (months). ``facts`` is the snapshot's rows as the reader may see them (a
    scoped snapshot's scan), so units out of scope are never counted."""
    lf = facts.lazy().filter(pl.col("period").is_between(first, last))
    if indicators is not None:
        lf = lf.filter(pl.col("indicator").is_in(list(indicators)))
    return set(lf.select(pl.col("unit_code").unique()).collect()["unit_code"].to_list())


def reporting_index(
    facts: pl.DataFrame | pl.LazyFrame, indicators: Iterable[str] = MONTHLY_INDICATORS
) -> pl.DataFrame:
    """(period, unit_code) of every unit that filed a figure of ``indicators`` that month: the
    small index the pages count coverage on, read once per snapshot. By default the measured
    figures (a reported commune count is not a unit's report of the month); with
    ``REPORTED_COUNTS``' ids, the units that gave commune counts."""
    return (
        facts.lazy()
        .filter(pl.col("indicator").is_in(sorted(indicators)))
        .select("period", "unit_code")
        .unique()
        .sort("period", "unit_code")
        .collect()
    )


def coverage(geography: Geography, codes: Sequence[str], reporting: set[str]) -> pl.DataFrame:
    """For each unit in ``codes``: of its child units, how many reported (themselves or any unit
    below them), and whether its figure is complete.

    A unit is complete when it reported its own figure, or when every child unit is complete (a
    commune is complete only with its own figure). ``own`` says the unit's figure is its own
    rather than a sum of its children's. Columns: ``COVERAGE_SCHEMA``; ``child_level`` is null
    for a commune (no children).
    """
    covered: dict[str, bool] = {}
    complete: dict[str, bool] = {}
    bottom = geography.levels[-1]

    def expected(code: str) -> bool:
        # A unit with no units below it above the communes (the island districts without
        # communes) has no one to report for it: counted only when it reported itself.
        return code in reporting or geography.level(code) == bottom or bool(_children(geography, code))

    def walk(code: str) -> tuple[bool, bool]:
        """(anything reported at or below, complete) — memoised, children first."""
        if code in covered:
            return covered[code], complete[code]
        children = [c for c in _children(geography, code) if expected(c)]
        results = [walk(c) for c in children]
        own = code in reporting
        covered[code] = own or any(r[0] for r in results)
        complete[code] = own or (bool(children) and all(r[1] for r in results))
        return covered[code], complete[code]

    rows = []
    for code in dict.fromkeys(codes):
        if code != COUNTRY_CODE and not geography.has(code):
            continue
        children = [c for c in _children(geography, code) if expected(c)]
        walk(code)
        rows.append(
            (
                code,
                geography.level(children[0]) if children else None,
                sum(walk(c)[0] for c in children),
                len(children),
                code in reporting,
                complete[code],
            )
        )
    return pl.DataFrame(rows, schema=COVERAGE_SCHEMA, orient="row")


def _children(geography: Geography, code: str) -> list[str]:
    if code == COUNTRY_CODE:
        return geography.units_at(geography.levels[0])["unit_code"].sort().to_list()
    return geography.children(code)


def coverage_text(row: dict | None, lang: str = "vi") -> str:
    """ "27/30 xã, phường đã báo cáo"; the unit's own figure says so; "" for a commune or no row."""
    if row is None or row["child_level"] is None:
        return ""
    if row["own"] and row["reported"] < row["total"]:
        return t("coverage.own", lang)
    if row["child_level"] == "classified":  # the map's communes with a classification for the year
        return t("coverage.classified", lang, reported=row["reported"], total=row["total"])
    return t(
        "coverage.line",
        lang,
        reported=row["reported"],
        total=row["total"],
        children=t(f"coverage.children.{row['child_level']}", lang),
    )


def partial_mark(row: dict | None, lang: str = "vi") -> str:
    """ "một phần: 1/9 quận, huyện" for a figure summed from part of its units; "" otherwise."""
    if row is None or row["complete"] or row["child_level"] is None:
        return ""
    return t(
        "coverage.partial",
        lang,
        reported=row["reported"],
        total=row["total"],
        children=t(f"coverage.children.{row['child_level']}", lang),
    )


def by_period(
    facts: pl.DataFrame | pl.LazyFrame,
    geography: Geography,
    codes: Sequence[str],
    indicators: Sequence[str],
    grain: str,
    years: tuple[int, int],
    combine_as: str | None = None,
) -> pl.DataFrame:
    """``coverage`` of each unit (or, with ``combine_as``, of the units together) for each
    indicator and period of ``grain`` in ``years``; a rate counts the units that reported either
    of its parts. Columns: indicator, period, and ``COVERAGE_SCHEMA``. Commune counts (status
    metrics) have no rows: their source is said instead."""
    parts = {ind: query.needed_fact_indicators([ind]) for ind in indicators}
    needed = sorted({p for ps in parts.values() for p in ps})
    schema = {"indicator": pl.String, "period": pl.Date} | COVERAGE_SCHEMA
    if not needed:
        return pl.DataFrame(schema=schema)
    lf = facts.lazy().filter(pl.col("period").is_between(dt.date(years[0], 1, 1), dt.date(years[1], 12, 1)))
    if COUNTRY_CODE not in codes:
        # Only the units' own subtrees matter: a province's periods need not carry the country.
        subtree = {u for c in codes if geography.has(c) for u in (c, *geography.descendants(c))}
        lf = lf.filter(pl.col("unit_code").is_in(sorted(subtree)))
    # A ``reporting_index`` (no indicator column) counts a unit that filed any figure in the period.
    per_indicator = "indicator" in lf.collect_schema().names()
    if per_indicator:
        lf = lf.filter(pl.col("indicator").is_in(needed))
    else:
        lf = lf.with_columns(pl.lit(None, dtype=pl.String).alias("indicator"))
    grouped = (
        lf.with_columns(query.period_start(grain).alias("_start"))
        .filter(pl.col("_start").is_not_null())
        .group_by("indicator", "_start")
        .agg(pl.col("unit_code").unique())
        .collect()
    )
    units: dict[tuple[str | None, dt.date], set[str]] = {(i, p): set(u) for i, p, u in grouped.iter_rows()}
    starts = sorted({p for _, p in units})
    rows: list[dict] = []
    for ind, ps in parts.items():
        if not ps:
            continue
        for start in starts:
            keys = ps if per_indicator else (None,)
            reporting = set().union(*(units.get((p, start), set()) for p in keys))
            if not reporting:
                continue
            frame = coverage(geography, codes, reporting)
            found = [combined(frame) | {"unit_code": combine_as}] if combine_as else frame.to_dicts()
            rows += [r | {"indicator": ind, "period": start} for r in found if r is not None]
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(rows, schema=schema)


def with_text(frame: pl.DataFrame, cover: pl.DataFrame, lang: str = "vi") -> pl.DataFrame:
    """``frame`` (unit_code, indicator, period, …) with a ``coverage`` text column: the partial
    mark where a figure is partial, else how many units reported; empty where none applies.
    A ``complete`` column becomes false where the figure is partial over space as well as time."""
    texts = pl.DataFrame(
        [
            (
                r["unit_code"],
                r["indicator"],
                r["period"],
                partial_mark(r, lang) or coverage_text(r, lang),
                r["complete"],
            )
            for r in cover.iter_rows(named=True)
        ],
        schema={
            "unit_code": pl.String,
            "indicator": pl.String,
            "period": pl.Date,
            "coverage": pl.String,
            "_whole": pl.Boolean,
        },
        orient="row",
    )
    out = frame.join(texts, on=["unit_code", "indicator", "period"], how="left").with_columns(
        pl.col("coverage").fill_null("")
    )
    if "complete" in out.columns:
        out = out.with_columns((pl.col("complete") & pl.col("_whole").fill_null(True)).alias("complete"))
    return out.drop("_whole")


def combined(frame: pl.DataFrame) -> dict | None:
    """One coverage row for several units added up (the selection on a page): children summed,
    complete only if every unit is; ``child_level`` "unit" when the units' children differ."""
    if frame.is_empty():
        return None
    levels = set(frame["child_level"].to_list())
    return {
        "unit_code": ",".join(frame["unit_code"].to_list()),
        "child_level": levels.pop() if len(levels) == 1 else "unit",
        "reported": int(frame["reported"].sum()),
        "total": int(frame["total"].sum()),
        "own": bool(frame["own"].all()),
        "complete": bool(frame["complete"].all()),
    }


def by_unit(frame: pl.DataFrame) -> dict[str, dict]:
    """Coverage rows keyed by unit code, for lookups while rendering."""
    return {row["unit_code"]: row for row in frame.iter_rows(named=True)}
