"""The Mục tiêu page's Streamlit side: cached goal judgements, and the results in the user's language.

Every number comes from :mod:`dashboard.goals` (the same objects ``python -m dashboard goals
--json`` prints); this module only caches them on plain arguments and shows them. Words come
from the goals module's own wording functions (``goals.display_table``, ``goals.explanation`` …),
which take the language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import goal_charts, goals, reform, structure, theme
from dashboard.access import Access
from dashboard.catalog import CATALOG
from dashboard.formatting import plotly_separators
from dashboard.goals import GoalProjection, TargetResult, status_label, verdict_label
from dashboard.i18n import t
from dashboard.query import period_end_month
from dashboard.ui import filters, loaders

# --------------------------------------------------------------------------- cached calls


def evaluate(
    folder: str, view_id: str, unit: str, year: int, as_of: dt.date, below: bool = False
) -> list[TargetResult]:
    """``goals.evaluate`` for one unit (and with ``below`` the units under it) and year, as of a month.

    Only the targets and figures inside the user's scope are judged.
    """
    return _evaluate(folder, view_id, loaders.access(), unit, year, as_of, below)


@st.cache_data(show_spinner=False, max_entries=256)
def _evaluate(
    folder: str, view_id: str, scope: Access, unit: str, year: int, as_of: dt.date, below: bool
) -> list[TargetResult]:
    view = loaders.load(folder, view_id, scope)  # read in its own structure's units
    return goals.evaluate(view, unit=unit, year=year, as_of=as_of, descendants=below)


def project(folder: str, view_id: str, unit: str, as_of: dt.date) -> list[GoalProjection]:
    """``goals.project_goals`` for one unit, as of a month (inside the user's scope)."""
    return _project(folder, view_id, loaders.access(), unit, as_of)


@st.cache_data(show_spinner=False, max_entries=128)
def _project(folder: str, view_id: str, scope: Access, unit: str, as_of: dt.date) -> list[GoalProjection]:
    return goals.project_goals(loaders.load(folder, view_id, scope), unit=unit, as_of=as_of)


# --------------------------------------------------------------------------- what is judged


def judgement_month(grain: str, period_start: dt.date, last_period: dt.date) -> dt.date:
    """The month targets are judged at: the end of the chosen period, never past the snapshot.

    With the grain "year" it is the snapshot's last month (as ``goals --json`` without
    ``--as-of``); with 9m/6m/quarter/month the last month of the chosen period, so 9 months of
    2022 are judged at September 2022.
    """
    if grain == "year":
        return last_period
    return min(period_end_month(period_start, grain), last_period)


def judged_units(province: str, districts: Sequence[str], commune: str | None) -> tuple[str, ...]:
    """The units whose targets the page shows: the commune, else the districts, else the province."""
    if commune:
        return (commune,)
    return tuple(districts) or (province,)


def structure_notice(f: filters.Filters, info: loaders.SnapshotInfo) -> None:
    """Say where targets of the chosen year are, when they are set in the other structure.

    Targets from 2025 are set for the 2025 units (contract version 2); earlier ones for the old.
    """
    if f.structure == structure.NEW and f.year < reform.FIRST_NEW_YEAR:
        st.info(t("structure.targets_old", f.lang), icon=":material/swap_horiz:")
    elif f.structure == structure.LEGACY and info.versioned and f.year >= reform.FIRST_NEW_YEAR:
        st.info(t("structure.targets_new", f.lang), icon=":material/swap_horiz:")


def forget_stale_choice(key: str, options: Sequence[str], default: str) -> None:
    """Reset a page-level choice whose value is no longer an option (a commune of another district).

    The URL still names the old choice too; it is dropped so that it is not reported as a bad link.
    """
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = default
        if key in st.query_params:
            del st.query_params[key]


def has_commune_targets(results: Sequence[TargetResult]) -> bool:
    """Whether any target is judged on a commune count (healthy, key, complex, drug-free communes)."""
    return any(r.metric in goals.STATUS_CATEGORY for r in results)


# --------------------------------------------------------------------------- tables


def protect(results: Sequence[TargetResult]) -> list[TargetResult]:
    """Results to show or download, communes' small counts of people hidden (``goals.hide_small_counts``)."""
    setting = loaders.small_counts()
    if not setting.exports:
        return list(results)
    return goals.hide_small_counts(results, filters.geography(), setting.threshold)


def goal_table(results: Sequence[TargetResult], lang: str) -> pl.DataFrame:
    """The goals table the page shows (``goals.display_table`` in ``lang``)."""
    return goals.display_table(results, lang)


def for_screen(table: pl.DataFrame, lang: str, units: Sequence[str]) -> pl.DataFrame:
    """The table as shown: without the area column when one unit is shown (the heading names it)."""
    return table.drop(t("goals.col.unit", lang)) if len(units) == 1 else table


def styled(table: pl.DataFrame, lang: str):
    """A pandas Styler of a goals table (or unit summary): status cells in their colours, with their glyph.

    The glyph (✓ ! ✕ –) is added to what is shown only, so a status reads without its colour
    while the table's values (and its CSV) keep the plain word.
    """
    colours = {status_label(s, lang): c for s, c in goal_charts.STATUS_COLORS.items()}
    colours |= {verdict_label(v, lang): c for v, c in goal_charts.VERDICT_COLORS.items()}
    glyphs = {status_label(s, lang): g for s, g in goal_charts.STATUS_GLYPHS.items()}
    glyphs |= {verdict_label(v, lang): g for v, g in goal_charts.VERDICT_GLYPHS.items()}
    status_cols = [
        c for c in (t("goals.col.status", lang), t("goals.col.verdict", lang)) if c in table.columns
    ]

    def paint(value: object) -> str:
        colour = colours.get(value) if isinstance(value, str) else None
        return (
            f"background-color: {colour}; color: {theme.text_on(colour)}; font-weight: 600" if colour else ""
        )

    def mark(value: object) -> str:
        return f"{glyphs[value]} {value}" if isinstance(value, str) and value in glyphs else str(value or "")

    return table.to_pandas().style.map(paint, subset=status_cols).format(mark, subset=status_cols)


def status_counts(results: Sequence[TargetResult]) -> dict[str, int]:
    """How many targets have each status, in ``goals.STATUSES`` order (zeros kept)."""
    counts = dict.fromkeys(goals.STATUSES, 0)
    for r in results:
        counts[r.status] += 1
    return counts


def summary_html(results: Sequence[TargetResult], lang: str) -> str:
    """ "8 chỉ tiêu:" then one coloured badge per status that occurs ("5 đạt", "2 có nguy cơ")."""
    badges = [
        f"<span style='background:{(c := goal_charts.STATUS_COLORS[s])};color:{theme.text_on(c)};"
        "padding:0.15rem 0.6rem;border-radius:0.4rem;margin-right:0.4rem;font-weight:600'>"
        f"{goal_charts.STATUS_GLYPHS[s]} {n} {status_label(s, lang)}</span>"
        for s, n in status_counts(results).items()
        if n
    ]
    text = t("goals.summary", lang, total=len(results), counts=" ".join(badges))
    return f"<div style='font-size:1.15rem'>{text}</div>"


def unit_summary(results: Sequence[TargetResult], lang: str) -> pl.DataFrame:
    """One row per unit judged (in order of first appearance): code, name, targets, count per status."""
    order: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}
    for r in results:
        order.setdefault(r.unit_code, r.unit_name)
        counts.setdefault(r.unit_code, dict.fromkeys(goals.STATUSES, 0))[r.status] += 1
    columns = {
        "unit_code": pl.String,
        t("goals.col.unit", lang): pl.String,
        t("goals.col.targets", lang): pl.Int64,
    } | {status_label(s, lang): pl.Int64 for s in goals.STATUSES}
    rows = [[code, name, sum(counts[code].values()), *counts[code].values()] for code, name in order.items()]
    return pl.DataFrame(rows, schema=columns, orient="row")


def unit_status_chart(summary: pl.DataFrame, lang: str, title: str) -> go.Figure:
    """Stacked horizontal bars: per unit, how many targets are met, not met, at risk, without data."""
    names = summary[t("goals.col.unit", lang)].to_list()
    fig = go.Figure()
    for status in goals.STATUSES:
        label = status_label(status, lang)
        values = summary[label].to_list()
        if not any(values):
            continue
        fig.add_trace(
            go.Bar(
                y=names,
                x=values,
                name=label,
                orientation="h",
                marker={
                    "color": goal_charts.STATUS_COLORS[status],
                    # The second channel of a stacked bar: a hatch per status.
                    "pattern": {
                        "shape": theme.GOAL_STATUS_PATTERNS[status],
                        "fgcolor": theme.BACKGROUND,
                        "solidity": 0.15,
                    },
                },
                text=[v or "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate="%{y}: %{x} " + label + "<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        title={"text": title, "x": 0, "xanchor": "left"},
        separators=plotly_separators(lang),
        font=goal_charts.FONT,
        paper_bgcolor=theme.BACKGROUND,
        plot_bgcolor=theme.BACKGROUND,
        height=max(300, 34 * len(names) + 160),
        margin={"l": 20, "r": 30, "t": 70, "b": 40},
        xaxis={"title": {"text": t("goals.chart.count", lang)}, "gridcolor": theme.GRID, "dtick": 1},
        yaxis={"autorange": "reversed", "automargin": True, "ticksuffix": "  "},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 1, "xanchor": "right"},
    )
    return fig


def commune_table(results: Sequence[TargetResult], lang: str) -> pl.DataFrame:
    """``goals.commune_changes`` in ``lang``, the year as text."""
    frame = goals.commune_changes(results, lang)
    return frame.with_columns(pl.col(t("goals.col.year", lang)).cast(pl.String))


def commune_lines(results: Sequence[TargetResult], lang: str) -> list[str]:
    """Per commune-count target with changes: "Xã lành mạnh — Tái phát (3): A, B, C", then the new ones."""
    lines = []
    seen: set[tuple[str, str]] = set()
    for r in results:
        category = goals.STATUS_CATEGORY.get(r.metric)
        if category is None or r.met is None or (r.unit_code, r.metric) in seen:
            continue
        seen.add((r.unit_code, r.metric))
        label = CATALOG[r.metric].label(lang)
        wanted_up = category in ("healthy", "drug_free")
        if r.left_communes:
            key = "goals.relapsed" if wanted_up else "goals.left"
            names = ", ".join(c.name for c in r.left_communes)
            lines.append(f"**{label}** — " + t(key, lang, n=len(r.left_communes), names=names))
        if r.new_communes:
            names = ", ".join(c.name for c in r.new_communes)
            lines.append(f"**{label}** — " + t("goals.entered", lang, n=len(r.new_communes), names=names))
    return lines


# --------------------------------------------------------------------------- charts


def quota_figure(results: Sequence[TargetResult], lang: str, title: str) -> go.Figure:
    """``goal_charts.quota_bullets`` with its labels and captions in ``lang``."""
    return goal_charts.quota_bullets(goal_charts.quota_results(results), title=title, lang=lang)


def trajectory_figure(goal: GoalProjection, lang: str, year: int | None = None) -> go.Figure:
    """``goal_charts.trajectory_chart`` in ``lang``, with a marker on the year the page shows."""
    fig = goal_charts.trajectory_chart(goal, lang)
    if len(fig.layout.title.text.split("<br>")[0]) > 80:
        fig.update_layout(title_font_size=14)  # long labels (healthy communes) would be cut at the right
    years = [y for y, _ in goal.required] + [y for y, _ in goal.actual]
    if year is not None and years and min(years) <= year <= max(years):
        fig.add_vline(
            x=year,
            line={"color": theme.SELECTED_YEAR_COLOR, "width": 1, "dash": "dot"},
            annotation_text=t("goals.chart.selected_year", lang),
            annotation_position="top",
            annotation_font={"size": 12, "color": theme.MUTED_TEXT},
        )
    return fig


def trajectory_order(projections: Sequence[GoalProjection]) -> list[GoalProjection]:
    """Commune-count goals first (``goal_charts.COMMUNE_GOAL_ORDER``), then the others by metric."""
    order = goal_charts.COMMUNE_GOAL_ORDER
    rank = {m: i for i, m in enumerate(order)}
    return sorted(projections, key=lambda g: (rank.get(g.metric, len(order)), g.metric, g.unit_code))
