"""Goal charts: quota bullets and multi-year trajectories as ``go.Figure``, in Vietnamese formats.

Every number comes from :mod:`dashboard.goals`; these functions only draw. Figures carry their
title (what, where, when) so an image pasted into a slide still says what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard import goals, theme
from dashboard.catalog import CATALOG
from dashboard.formatting import fmt_value, plotly_separators, tick_format
from dashboard.goals import (
    NO_DATA,
    STATUSES,
    VERDICTS,
    GoalProjection,
    TargetResult,
    status_label,
)
from dashboard.i18n import t

# One colour and one glyph per status (dashboard.theme); "có nguy cơ" is orange, not red.
STATUS_COLORS: dict[str, str] = {s: theme.GOAL_STATUS_COLORS[s] for s in STATUSES}
STATUS_GLYPHS: dict[str, str] = {s: theme.GOAL_STATUS_GLYPHS[s] for s in STATUS_COLORS}
VERDICT_COLORS: dict[str, str] = {v: theme.VERDICT_COLORS[v] for v in VERDICTS}
VERDICT_GLYPHS: dict[str, str] = {v: theme.VERDICT_GLYPHS[v] for v in VERDICT_COLORS}

REQUIRED_COLOR = theme.REQUIRED_COLOR
ACTUAL_COLOR = theme.ACTUAL_COLOR
PRO_RATA_COLOR = theme.PRO_RATA_COLOR
FONT = dict(family=theme.FONT_FAMILY, size=16, color=theme.TEXT)

# The traces of a trajectory chart in Vietnamese (``trajectory_chart`` names them in its ``lang``).
TRACE_REQUIRED = t("goals.trace.required", "vi")
TRACE_ACTUAL = t("goals.trace.actual", "vi")
TRACE_PROJECTED = t("goals.trace.projected", "vi")


def rule_label(r: TargetResult, lang: str) -> str:
    """The rule as set ("Giảm trên 3% so với năm trước"); Vietnamese is the engine's own label."""
    return r.rule_label if lang == "vi" else goals.rule_label(r.rule, r.target, r.metric, lang)


def status_color(status: str) -> str:
    """The colour of a status (for table cells and bars)."""
    return STATUS_COLORS[status]


def status_mark(status: str, label: str) -> str:
    """A status or verdict id's ``label`` with its glyph in front (``✓ đạt``), so it reads without colour."""
    glyph = STATUS_GLYPHS.get(status) or VERDICT_GLYPHS.get(status, "")
    return f"{glyph} {label}".strip()


def quota_results(results: Sequence[TargetResult]) -> list[TargetResult]:
    """The targets a bullet chart can show: quotas (``at_least``) with an actual value."""
    return [r for r in results if r.rule == "at_least" and r.actual is not None and r.target]


def _period_words(result: TargetResult, lang: str = "vi") -> str:
    if result.partial:
        return t("goals.chart.partial_year", lang, months=result.months_elapsed, year=result.year)
    return t("goals.chart.year", lang, year=result.year)


def quota_bullets(results: Sequence[TargetResult], title: str | None = None, lang: str = "vi") -> go.Figure:
    """One bullet per quota: the bar is the actual (coloured by status), the black line the target.

    Every row is drawn in percent of its own quota (the line at 100%), because a gauge's bar and
    its number are one value: the number is the achievement in percent, so the bar, the band and
    the line must be on that scale too (on a scale of counts a 97% bar would end at 97 people).
    For a year in progress the grey band runs to the pro-rata expectation (75% after 9 months).
    The counts themselves are in each row's caption.

    Args:
        results: judged targets; only quotas with an actual value are drawn (see ``quota_results``).
        title: the figure title; by default the unit and period of the first quota.
        lang: the language of the labels, captions and default title.

    Returns:
        A figure with one ``go.Indicator`` trace per quota, top to bottom in the given order.
    """
    quotas = quota_results(results)
    fig = go.Figure()
    n = len(quotas)
    row_height = 1 / max(n, 1)
    for i, r in enumerate(quotas):
        top = 1 - i * row_height
        domain_y = [max(0.0, top - row_height * 0.75), top - row_height * 0.1]
        achieved = float(r.achievement_pct) if r.achievement_pct is not None else None
        upper = max(100.0, achieved or 0.0) * 1.15
        steps = []
        if r.expected_so_far is not None:
            pace = float(r.expected_so_far) / float(r.target) * 100
            steps.append({"range": [0, pace], "color": PRO_RATA_COLOR})
        name = r.metric_label if lang == "vi" else CATALOG[r.metric].label(lang)
        label = f"<b>{name}</b><br><span style='font-size:13px'>{_bullet_caption(r, lang)}</span>"
        fig.add_trace(
            go.Indicator(
                mode="number+gauge",
                value=achieved,
                number={"suffix": "%", "valueformat": tick_format(2), "font": {"size": 22}},
                domain={"x": [0.42, 0.92], "y": domain_y},
                title={"text": label, "align": "left", "font": {"size": 15}},
                gauge={
                    "shape": "bullet",
                    "axis": {"range": [0, upper], "tickformat": tick_format(0), "ticksuffix": "%"},
                    "bar": {"color": STATUS_COLORS[r.status], "thickness": 0.55},
                    "threshold": {
                        "line": {"color": theme.TARGET_COLOR, "width": 3},
                        "thickness": 0.9,
                        "value": 100.0,
                    },
                    "steps": steps,
                },
                name=r.metric,
                meta={"actual": r.actual, "target": r.target, "expected_so_far": r.expected_so_far},
            )
        )
    if title is None and quotas:
        period = _period_words(quotas[0], lang)
        title = t("goals.chart.quotas", lang, area=quotas[0].unit_name, period=period)
    fig.update_layout(
        title={"text": title or t("goals.chart.no_quotas", lang), "x": 0, "xanchor": "left"},
        separators=plotly_separators(lang),
        font=FONT,
        height=max(260, 120 * n + 110),
        margin={"l": 20, "r": 30, "t": 80, "b": 30},
        paper_bgcolor=theme.BACKGROUND,
    )
    return fig


def _bullet_caption(r: TargetResult, lang: str = "vi") -> str:
    value = lambda v: fmt_value(v, r.metric, lang)  # noqa: E731
    text = f"{value(r.actual)} / {value(r.target)} — {status_mark(r.status, status_label(r.status, lang))}"
    if r.expected_so_far is not None:
        text += "; " + t("goals.pro_rata", lang, months=r.months_elapsed, expected=value(r.expected_so_far))
    return text


def trajectory_chart(goal: GoalProjection, lang: str = "vi") -> go.Figure:
    """A multi-year goal: the required path (dotted), the actual values (solid), the projection (dashed).

    The subtitle says the verdict with its numbers (``goals.verdict_sentence``), in its colour;
    the note under the chart how the projection is made (``goals.method_sentence``). Every word
    is in ``lang``.

    Returns:
        A figure with up to three ``go.Scatter`` traces named ``TRACE_REQUIRED``,
        ``TRACE_ACTUAL`` and ``TRACE_PROJECTED`` in Vietnamese (the last only when the deadline
        is ahead), ``goals.trace.*`` in another language.
    """
    pct = CATALOG[goal.metric].percent
    hover = (
        t("goals.axis.year", lang)
        + " %{x}: %{y:"
        + tick_format(2 if pct else 0)
        + "}"
        + ("%" if pct else "")
        + "<extra>%{fullData.name}</extra>"
    )
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[y for y, _ in goal.required],
            y=[v for _, v in goal.required],
            name=t("goals.trace.required", lang),
            mode="lines",
            line={"color": REQUIRED_COLOR, "dash": "dot", "width": 3},
            hovertemplate=hover,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[y for y, _ in goal.actual],
            y=[v for _, v in goal.actual],
            name=t("goals.trace.actual", lang),
            mode="lines+markers",
            line={"color": ACTUAL_COLOR, "width": 4},
            marker={"size": 9},
            hovertemplate=hover,
        )
    )
    if goal.projected:
        color = VERDICT_COLORS.get(goal.verdict or "", REQUIRED_COLOR)
        fig.add_trace(
            go.Scatter(
                x=[y for y, _ in goal.projected],
                y=[v for _, v in goal.projected],
                name=t("goals.trace.projected", lang),
                mode="lines",
                line={"color": color, "dash": "dash", "width": 3},
                hovertemplate=hover,
            )
        )
    verdict_color = theme.text_color(VERDICT_COLORS.get(goal.verdict or "", STATUS_COLORS[NO_DATA]))
    label = goal.metric_label if lang == "vi" else CATALOG[goal.metric].label(lang)
    title = t("goals.chart.trajectory", lang, metric=label, area=goal.unit_name, deadline=goal.deadline)
    glyph = VERDICT_GLYPHS.get(goal.verdict or "", STATUS_GLYPHS[NO_DATA])
    verdict = goals.verdict_sentence(goal, lang)
    subtitle = f"<span style='color:{verdict_color}'><b>{glyph} {verdict}</b></span>"
    window = [y for y, _ in goal.actual][-goals.TREND_YEARS :]
    fig.update_layout(
        title={
            "text": f"{title}<br><span style='font-size:14px'>{subtitle}</span>",
            "x": 0,
            "xanchor": "left",
        },
        separators=plotly_separators(lang),
        font=FONT,
        paper_bgcolor=theme.BACKGROUND,
        plot_bgcolor=theme.BACKGROUND,
        # No axis title: the ticks are plainly years (the hover says "Năm 2026"), and a title
        # there was drawn on the legend's row, over the last legend entry.
        xaxis={
            "dtick": 1,
            "tickformat": "d",
            "showgrid": False,
            "linecolor": theme.AXIS,
        },
        yaxis={
            "title": {"text": CATALOG[goal.metric].unit(lang)},
            "tickformat": ",~f",
            "ticksuffix": "%" if pct else "",
            "gridcolor": theme.GRID,
            "rangemode": "tozero",
        },
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
        margin={"l": 70, "r": 30, "t": 100, "b": 150},
        annotations=[
            {
                "text": goals.method_sentence(goal.method, window, goal.deadline, lang),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.36,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 12, "color": theme.MUTED_TEXT},
                "align": "left",
            }
        ],
    )
    return fig


# The commune-count goals in the order they are shown (key, complex, healthy, drug-free, problems).
COMMUNE_GOAL_ORDER = (
    "key_communes",
    "complex_communes",
    "healthy_communes",
    "drug_free_communes",
    "drug_free_share",
    "drug_problem_communes",
)


def commune_trajectories(goals: Sequence[GoalProjection]) -> list[go.Figure]:
    """Trajectory charts of the commune-count goals, in ``COMMUNE_GOAL_ORDER``."""
    order = COMMUNE_GOAL_ORDER
    chosen = sorted(
        (g for g in goals if g.metric in order), key=lambda g: (order.index(g.metric), g.unit_code)
    )
    return [trajectory_chart(g) for g in chosen]
