"""Chart builders: tidy polars frames in, ``go.Figure`` out, one template, Vietnamese number formats.

Every figure carries its title (what, where, when) and a note with the source and the date
the figures stand at, so an image pasted into a slide still says where it came from.
Numbers on axes, hover labels and cell texts follow ``layout.separators`` (1.456; 118,75%),
and every format string groups thousands: without "," plotly prints 1400, not 1.400.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
from plotly.subplots import make_subplots

from dashboard import theme
from dashboard.formatting import fmt_number, fmt_pct, plotly_separators, tick_format
from dashboard.i18n import t
from dashboard.schema import STRUCTURE_FROM

# The month the 2025 administrative reform took effect: charts that run across it mark it.
REFORM_MONTH: dt.date = STRUCTURE_FROM
REFORM_COLOR = theme.REFORM_COLOR

TEMPLATE_NAME = "ban_chi_dao"

# Colours come from dashboard.theme, the one source for screen, images, slides and report.
COLORWAY: tuple[str, ...] = theme.COLORWAY
HEATMAP_SCALE = theme.HEATMAP_SCALE

# d3 formats: ticks trim insignificant zeros (so 0,5 steps do not print "1" twice), hovers fix decimals.
AXIS_FORMAT = ",~f"


def _template() -> go.layout.Template:
    return go.layout.Template(
        layout=go.Layout(
            font=dict(family=theme.FONT_FAMILY, size=16, color=theme.TEXT),
            title=dict(font=dict(size=20), x=0.0, xanchor="left"),
            colorway=list(COLORWAY),
            paper_bgcolor=theme.BACKGROUND,
            plot_bgcolor=theme.BACKGROUND,
            xaxis=dict(showgrid=False, linecolor=theme.AXIS, ticks="outside", automargin=True),
            yaxis=dict(
                gridcolor=theme.GRID, zerolinecolor=theme.ZERO_LINE, automargin=True, rangemode="tozero"
            ),
            legend=dict(orientation="h", yanchor="top", y=-0.2, x=0, title=dict(text="")),
            hoverlabel=dict(font=dict(size=15)),
            margin=dict(l=70, r=30, t=110, b=80),
        )
    )


pio.templates[TEMPLATE_NAME] = _template()


def decimals_for(percent: bool) -> int:
    """Decimals shown in hovers and texts: 2 for percentages and per-population rates, else 0."""
    return 2 if percent else 0


def value_hover(percent: bool = False, decimals: int | None = None, field: str = "y") -> str:
    """The hovertemplate fragment for a value: ``%{y:,.0f}`` or ``%{y:,.2f}%``."""
    decimals = decimals_for(percent) if decimals is None else decimals
    return "%{" + field + ":" + tick_format(decimals) + "}" + ("%" if percent else "")


def finish(
    fig: go.Figure,
    *,
    lang: str,
    title: str,
    note: str,
    percent: bool = False,
    decimals: int | None = None,
    height: int = 460,
) -> go.Figure:
    """Apply the template, the language's separators, number formats, title and source note.

    Args:
        fig: the figure to finish (changed in place and returned).
        lang: ``vi`` or ``en``.
        title: what, where and when.
        note: source and date, written under the title.
        percent: values are percentages (adds a % suffix to ticks and hovers).
        decimals: decimals in hover labels (default: 2 for percentages, else 0).
        height: figure height in pixels.
    """
    decimals = decimals_for(percent) if decimals is None else decimals
    fig.update_layout(
        template=TEMPLATE_NAME,
        separators=plotly_separators(lang),
        # The note rides under the title, so an exported image keeps its source and date.
        title=dict(text=title, subtitle=dict(text=note, font=dict(size=13, color=theme.MUTED_TEXT))),
        height=height,
    )
    fig.update_yaxes(
        tickformat=AXIS_FORMAT,
        hoverformat=tick_format(decimals),
        ticksuffix="%" if percent else "",
    )
    return fig


# On screen (about 1.100 px wide) a title longer than this, or a note longer than that, is
# broken onto a second line instead of being cut at the right edge. Exported images are wider
# and carry their own caption band (export.with_caption), so only the screen copy is wrapped.
LEGEND_ROW_PX = 24
SCREEN_TITLE_CHARS = 90
SCREEN_NOTE_CHARS = 150
_TITLE_LINE_PX = 26
_NOTE_LINE_PX = 18


def _break_once(text: str, limit: int, separators: Sequence[str]) -> str | None:
    """``text`` with one line break after the last separator that leaves the first line within
    ``limit`` (or the first separator at all); None when it fits or cannot be broken."""
    if len(text) <= limit or "<br>" in text:
        return None
    # The first separator (in order of preference) that keeps the first line within the limit;
    # failing that, the first place any separator occurs.
    cuts = [(text.rfind(sep, 0, limit), sep) for sep in separators]
    cuts += [(text.find(sep), sep) for sep in separators]
    for cut, separator in cuts:
        if cut > 0:
            head, tail = text[: cut + len(separator)].rstrip(), text[cut + len(separator) :].lstrip()
            if tail:
                return f"{head}<br>{tail}"
    return None


def for_screen(
    fig: go.Figure, title_chars: int = SCREEN_TITLE_CHARS, title_line_px: int = _TITLE_LINE_PX
) -> go.Figure:
    """A copy of ``fig`` whose long title and note wrap onto a second line, with room made above.

    ``title_chars`` and ``title_line_px`` suit the title's type size (larger on a projector).
    """
    title = fig.layout.title.text or ""
    note = fig.layout.title.subtitle.text if fig.layout.title.subtitle else None
    new_title = _break_once(title, title_chars, (": ", " – ", ", ", " "))
    new_note = _break_once(note or "", SCREEN_NOTE_CHARS, (". ", ", ", " "))
    if new_title is None and new_note is None:
        return fig
    out = go.Figure(fig)
    extra = 0
    if new_title is not None:
        out.layout.title.text = new_title
        extra += title_line_px
    if new_note is not None:
        out.layout.title.subtitle.text = new_note
        extra += _NOTE_LINE_PX
    top = out.layout.margin.t if out.layout.margin.t is not None else 110
    out.update_layout(margin=dict(t=top + extra), height=(out.layout.height or 460) + extra)
    return out


def _ordered(data: pl.DataFrame, x: str, order_by: str) -> list[str]:
    return data.sort(order_by).unique(subset=[x], maintain_order=True)[x].to_list()


# ---------------------------------------------------------------------------------------------
# Periods in progress and year axes

# With more periods than this the axis keeps plotly's own ticks (it thins them); the period in
# progress is then named in the hover and the note only.
TICK_TEXT_LIMIT = 24


def in_progress_notes(data: pl.DataFrame, x: str = "period_label") -> dict[str, str]:
    """Period label → "10 tháng" for periods in progress (``page_figures.label_periods``' ``period_note``)."""
    if "period_note" not in data.columns or x not in data.columns:
        return {}
    rows = (
        data.filter(pl.col("period_note").is_not_null()).select(x, "period_note").unique(maintain_order=True)
    )
    return dict(rows.iter_rows())


def _is_yearly(data: pl.DataFrame, order_by: str) -> bool:
    if data.is_empty() or order_by not in data.columns or "period_end" not in data.columns:
        return False
    return bool(
        data.select(
            ((pl.col(order_by).dt.month() == 1) & (pl.col("period_end").dt.month() == 12)).all()
        ).item()
    )


def period_axis(fig: go.Figure, data: pl.DataFrame, x: str, order_by: str, *, row=None, col=None) -> None:
    """Name the periods on the x axis so they read at 1.024 px and up: "2015 … 2026" for years,
    never rotated, and the months a period in progress holds under its name ("2026 (10 tháng)")."""
    categories = _ordered(data, x, order_by) if x in data.columns and order_by in data.columns else []
    notes = in_progress_notes(data, x)
    yearly = _is_yearly(data, order_by)
    if not categories or len(categories) > TICK_TEXT_LIMIT or not (yearly or notes):
        return
    years = dict(data.select(x, pl.col(order_by).dt.year()).unique(maintain_order=True).iter_rows())
    text = []
    for label in categories:
        shown = str(years[label]) if yearly else label
        text.append(f"{shown}<br>({notes[label]})" if label in notes else shown)
    fig.update_xaxes(tickmode="array", tickvals=categories, ticktext=text, tickangle=0, row=row, col=col)


def _split_in_progress(part: pl.DataFrame, x: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(full periods, the periods in progress with the last full one before them) of one series."""
    if "period_note" not in part.columns:
        return part, part.clear()
    is_open = pl.col("period_note").is_not_null()
    done = part.filter(~is_open)
    open_ = part.filter(is_open)
    if open_.is_empty():
        return part, open_
    return done, pl.concat([done.tail(1), open_], how="diagonal_relaxed")


def _in_progress_trace(
    open_: pl.DataFrame, x: str, y: str, name: str, colour: str, hover: str, width: float
) -> go.Scatter:
    """The dashed last segment and hollow marker of a series whose last period is in progress."""
    notes = [n or "" for n in open_["period_note"].to_list()]
    return go.Scatter(
        x=open_[x].to_list(),
        y=open_[y].to_list(),
        name=name,
        legendgroup=name,
        showlegend=False,
        mode="lines+markers",
        line=dict(width=width, color=colour, dash="dot"),
        marker=dict(
            size=[0 if not n else 11 for n in notes],
            symbol="circle-open",
            color=colour,
            line=dict(width=2.5, color=colour),
        ),
        customdata=notes,
        hovertemplate=hover.replace("%{x}", "%{x} (%{customdata})"),
    )


def _in_progress_subtitle(note: str, data: pl.DataFrame, x: str, lang: str) -> str:
    notes = in_progress_notes(data, x)
    if not notes:
        return note
    listed = ", ".join(f"{label} – {months}" for label, months in notes.items())
    return f"{note} {t('chart.in_progress', lang, notes=listed)}."


def reform_position(data: pl.DataFrame, x: str = "period_label", order_by: str = "period") -> float | None:
    """Where the reform month falls on a category axis of periods, or None when the data do not span it.

    Periods start at ``order_by`` (and end at ``period_end`` when the frame has it). A period
    starting in July 2025 puts the mark between it and the one before (index − 0,5); a period
    containing July 2025 (the year 2025, 9 months of 2025) puts it on that period.
    """
    if data.is_empty() or order_by not in data.columns or x not in data.columns:
        return None
    periods = data.sort(order_by).unique(subset=[x], maintain_order=True)
    starts = periods[order_by].to_list()
    if not isinstance(starts[0], dt.date):
        return None
    ends = periods["period_end"].to_list() if "period_end" in periods.columns else starts
    if starts[0] >= REFORM_MONTH or ends[-1] < REFORM_MONTH:
        return None
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if start == REFORM_MONTH:
            return index - 0.5
        if start < REFORM_MONTH <= end:
            return float(index)
        if start > REFORM_MONTH:
            return index - 0.5
    return None


def mark_reform(
    fig: go.Figure,
    data: pl.DataFrame,
    lang: str,
    x: str = "period_label",
    order_by: str = "period",
    facets: bool = False,
) -> go.Figure:
    """A dotted vertical line labelled "Sắp xếp ĐVHC 01/7/2025" where the periods cross the reform.

    ``facets``: a line in every subplot of a small-multiples figure, the label once in the note.
    """
    position = reform_position(data, x, order_by)
    if position is not None and facets:
        fig.add_vline(x=position, line=dict(color=REFORM_COLOR, width=1, dash="dot"), row="all", col="all")
    elif position is not None:
        fig.add_vline(
            x=position,
            line=dict(color=REFORM_COLOR, width=2, dash="dot"),
            annotation=dict(
                text=t("chart.reform_marker", lang),
                font=dict(size=13, color=REFORM_COLOR),
                bgcolor=theme.MARKER_LABEL_BACKGROUND,
            ),
            annotation_position="top left",
        )
    return fig


def mark_gaps(
    fig: go.Figure, data: pl.DataFrame, categories: list[str], lang: str, x: str = "period_label"
) -> None:
    """Shade the periods a reported total over several months straddles (``gap``), labelled once.

    Their values are unknown, not zero: the line breaks there and the band says why.
    """
    if "gap" not in data.columns:
        return
    gaps = set(data.filter(pl.col("gap"))[x].to_list())
    runs: list[list[int]] = []
    for i, category in enumerate(categories):
        if category in gaps:
            if runs and runs[-1][1] == i - 1:
                runs[-1][1] = i
            else:
                runs.append([i, i])
    for n, (first, last) in enumerate(runs):
        fig.add_vrect(
            x0=first - 0.5,
            x1=last + 0.5,
            fillcolor=theme.MUTED_TEXT,
            opacity=0.12,
            layer="below",
            line_width=0,
            annotation_text=t("value.gap", lang) if n == 0 else None,
            annotation_position="top left",
            annotation_font=dict(size=12, color=theme.MUTED_TEXT),
        )


def time_series(
    data: pl.DataFrame,
    *,
    x: str = "period_label",
    y: str = "value",
    color: str = "unit_name",
    order_by: str = "period",
    kind: str = "line",
    stacked: bool = False,
    lang: str = "vi",
    title: str,
    note: str,
    percent: bool = False,
    decimals: int | None = None,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Values over time, one trace per ``color`` group, as lines or (grouped or stacked) bars.

    Args:
        data: tidy frame with the columns named by ``x``, ``y``, ``color`` and ``order_by``.
        x: category labels of the periods ("Quý 1/2021"), ordered by ``order_by``.
        kind: ``line`` or ``bar``.
        stacked: stack the bars (only meaningful for additive indicators).
        colors: a fixed colour per ``color`` group (e.g. the map's category colours); others
            take the template's colorway.
    Returns:
        The finished figure.
    """
    fig = go.Figure()
    categories = _ordered(data, x, order_by)
    hover = "%{fullData.name}<br>%{x}: " + value_hover(percent, decimals) + "<extra></extra>"
    names = data.sort(order_by, color)[color].unique(maintain_order=True).to_list()
    for i, name in enumerate(names):
        part = data.filter(pl.col(color) == name).sort(order_by)
        # The colour is fixed here so a period in progress draws in its series' colour.
        colour = (colors or {}).get(name) or COLORWAY[i % len(COLORWAY)]
        notes = [n or "" for n in part["period_note"].to_list()] if "period_note" in part.columns else []
        if kind == "bar":
            fig.add_trace(
                go.Bar(
                    x=part[x].to_list(),
                    y=part[y].to_list(),
                    name=name,
                    hovertemplate=hover.replace("%{x}", "%{x} %{customdata}") if any(notes) else hover,
                    customdata=[f"({n})" if n else "" for n in notes] or None,
                    marker=dict(
                        color=colour,
                        # A period in progress is hatched and paler: not a full bar beside full ones.
                        pattern=dict(shape=["/" if n else "" for n in notes], fgcolor=theme.BACKGROUND)
                        if any(notes)
                        else None,
                        opacity=[0.55 if n else 1.0 for n in notes] if any(notes) else None,
                    ),
                )
            )
        else:
            done, open_ = _split_in_progress(part, x)
            fig.add_trace(
                go.Scatter(
                    x=done[x].to_list(),
                    y=done[y].to_list(),
                    name=name,
                    legendgroup=name,
                    mode="lines+markers",
                    line=dict(width=3, color=colour),
                    marker=dict(size=6, color=colour),
                    hovertemplate=hover,
                )
            )
            if not open_.is_empty():
                fig.add_trace(_in_progress_trace(open_, x, y, name, colour, hover, 3))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=categories)
    period_axis(fig, data, x, order_by)
    if kind == "bar":
        fig.update_layout(barmode="stack" if stacked else "group")
    fig.update_layout(showlegend=len(names) > 1)
    mark_reform(fig, data, lang, x, order_by)
    mark_gaps(fig, data, categories, lang, x)
    # The legend sits under the plot, about three names a row: room for every row of it, so a
    # breakdown into 30 areas does not squeeze the plot to a strip.
    legend_rows = -(-len(names) // 3) if len(names) > 1 else 0
    height = 460 + max(0, legend_rows - 2) * LEGEND_ROW_PX
    note = _in_progress_subtitle(note, data, x, lang)
    return finish(fig, lang=lang, title=title, note=note, percent=percent, decimals=decimals, height=height)


def small_multiples(
    data: pl.DataFrame,
    *,
    x: str = "period_label",
    y: str = "value",
    facet: str = "unit_name",
    order_by: str = "period",
    kind: str = "line",
    columns: int = 3,
    lang: str = "vi",
    title: str,
    note: str,
    percent: bool = False,
    decimals: int | None = None,
) -> go.Figure:
    """One small chart per ``facet`` group on a grid sharing the y axis."""
    names = data.sort(facet)[facet].unique(maintain_order=True).to_list()
    rows = max(1, math.ceil(len(names) / columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=names,
        shared_yaxes=True,
        vertical_spacing=min(0.12, 0.6 / rows),
        horizontal_spacing=0.04,
    )
    categories = _ordered(data, x, order_by)
    hover = "%{fullData.name}<br>%{x}: " + value_hover(percent, decimals) + "<extra></extra>"
    for i, name in enumerate(names):
        part = data.filter(pl.col(facet) == name).sort(order_by)
        trace_cls = go.Bar if kind == "bar" else go.Scatter
        extra = {} if kind == "bar" else {"mode": "lines", "line": dict(width=2)}
        done, open_ = _split_in_progress(part, x) if kind != "bar" else (part, part.clear())
        fig.add_trace(
            trace_cls(
                x=done[x].to_list(),
                y=done[y].to_list(),
                name=name,
                hovertemplate=hover,
                marker=dict(color=COLORWAY[0]),
                showlegend=False,
                **extra,
            ),
            row=i // columns + 1,
            col=i % columns + 1,
        )
        if not open_.is_empty():
            fig.add_trace(
                _in_progress_trace(open_, x, y, name, COLORWAY[0], hover, 2),
                row=i // columns + 1,
                col=i % columns + 1,
            )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=categories, showticklabels=False)
    fig.update_annotations(font=dict(size=13))
    if reform_position(data, x, order_by) is not None:
        # Lines in every facet; their meaning said once, beside the source.
        mark_reform(fig, data, lang, x, order_by, facets=True)
        note = f"{note} {t('chart.reform_facets', lang)}."
    note = _in_progress_subtitle(note, data, x, lang)
    finish(
        fig,
        lang=lang,
        title=title,
        note=note,
        percent=percent,
        decimals=decimals,
        height=max(360, 190 * rows + 150),
    )
    return fig


def yoy_change(
    data: pl.DataFrame,
    *,
    x: str = "period_label",
    y: str = "change_pct",
    tone: str = "tone",
    order_by: str = "period",
    lang: str = "vi",
    title: str,
    note: str,
) -> go.Figure:
    """Change against the same period a year earlier (%), bars coloured good/bad for the indicator."""
    part = data.filter(pl.col(y).is_not_null()).sort(order_by)
    notes = [n or "" for n in part["period_note"].to_list()] if "period_note" in part.columns else []
    fig = go.Figure(
        go.Bar(
            x=part[x].to_list(),
            y=part[y].to_list(),
            marker=dict(
                color=[theme.CHANGE_TONE_COLORS[v] for v in part[tone].to_list()],
                # A period in progress set against a whole year a year earlier: hatched and pale.
                pattern=dict(shape=["/" if n else "" for n in notes], fgcolor=theme.BACKGROUND)
                if any(notes)
                else None,
                opacity=[0.55 if n else 1.0 for n in notes] if any(notes) else None,
            ),
            # ✓ better, ✕ worse: the tone reads without its colour (print, colour-vision deficiency).
            text=[theme.CHANGE_TONE_GLYPHS[v] for v in part[tone].to_list()],
            textposition="outside",
            cliponaxis=False,
            customdata=[f" ({n})" if n else "" for n in notes] or None,
            hovertemplate="%{x}" + ("%{customdata}" if any(notes) else "") + ": %{y:+,.2f}%<extra></extra>",
            name=t("column.change_pct", lang),
        )
    )
    fig.update_xaxes(type="category")
    period_axis(fig, part, x, order_by)
    note = _in_progress_subtitle(note, part, x, lang)
    fig.update_yaxes(rangemode="normal")
    mark_reform(fig, part, lang, x, order_by)
    return finish(fig, lang=lang, title=title, note=note, percent=True, height=380)


def ranking_bars(
    data: pl.DataFrame,
    *,
    label: str = "unit_name",
    value: str = "value",
    lang: str = "vi",
    title: str,
    note: str,
    percent: bool = False,
    decimals: int | None = None,
) -> go.Figure:
    """Horizontal bars, highest at the top, each labelled with its value.

    A row whose value was hidden (``access.suppress_small_counts``: a ``value_shown`` label and
    no value) has a bar of zero length labelled "<5" (or "×"), at the bottom.
    """
    decimals = decimals_for(percent) if decimals is None else decimals
    part = data.sort(value, descending=False, nulls_last=False)
    texts = None
    if "value_shown" in part.columns:
        number = (
            (lambda v: fmt_pct(v, lang, decimals)) if percent else (lambda v: fmt_number(v, lang, decimals))
        )
        texts = [
            s if s is not None else number(v) for s, v in zip(part["value_shown"], part[value], strict=True)
        ]
    template = value_hover(percent, decimals, field="x") if texts is None else "%{text}"
    # Plotly writes no label beside a missing bar: a hidden value stands at zero with its label.
    fig = go.Figure(
        go.Bar(
            x=part[value].to_list() if texts is None else part[value].fill_null(0).to_list(),
            y=part[label].to_list(),
            orientation="h",
            marker=dict(color=COLORWAY[0]),
            text=texts,
            texttemplate=template,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: " + template + "<extra></extra>",
        )
    )
    fig.update_yaxes(type="category", tickformat="", hoverformat="", ticksuffix="")
    fig.update_xaxes(
        tickformat=AXIS_FORMAT,
        hoverformat=tick_format(decimals),
        ticksuffix="%" if percent else "",
        gridcolor=theme.GRID,
        showgrid=True,
    )
    height = max(360, 28 * part.height + 200)
    finish(fig, lang=lang, title=title, note=note, percent=percent, decimals=decimals, height=height)
    # finish() formats the y axis for values; here the values are on x.
    fig.update_yaxes(tickformat="", hoverformat="", ticksuffix="")
    return fig


HEATMAP_TOP_MARGIN = 110
HEATMAP_TITLE_PAD = 14


def heatmap(
    matrix: pl.DataFrame,
    *,
    row_labels: Sequence[str],
    lang: str = "vi",
    title: str,
    note: str,
    percent: bool = False,
    decimals: int | None = None,
    hidden: pl.DataFrame | None = None,
) -> go.Figure:
    """Units (rows) × years (columns) from a wide frame whose first column is the unit code.

    ``hidden``, of the same shape, holds the label of each cell whose value was hidden
    (``access.suppress_small_counts``: "<5" or "×"), as the ranking writes it: such a cell is
    uncoloured but says why, instead of reading as a unit without figures.
    """
    decimals = decimals_for(percent) if decimals is None else decimals
    years = [c for c in matrix.columns if c != "unit_code"]
    z = [list(r) for r in matrix.select(years).rows()]
    fmt = value_hover(percent, decimals, field="z")
    texts = None
    if hidden is not None:
        number = (
            (lambda v: fmt_pct(v, lang, decimals)) if percent else (lambda v: fmt_number(v, lang, decimals))
        )
        labels = hidden.select(
            [pl.col(y).cast(pl.String) if y in hidden.columns else pl.lit(None) for y in years]
        )
        texts = [
            [
                s if s is not None else ("" if v is None else number(v))
                for s, v in zip(srow, zrow, strict=True)
            ]
            for srow, zrow in zip(labels.rows(), z, strict=True)
        ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=years,
            y=list(row_labels),
            colorscale=HEATMAP_SCALE,
            text=texts,
            texttemplate=fmt if texts is None else "%{text}",
            hovertemplate="%{y}<br>%{x}: " + fmt + "<extra></extra>",
            colorbar=dict(tickformat=AXIS_FORMAT, ticksuffix="%" if percent else ""),
            xgap=1,
            ygap=1,
        )
    )
    height = max(360, 30 * len(row_labels) + 200)
    finish(fig, lang=lang, title=title, note=note, percent=percent, decimals=decimals, height=height)
    fig.update_xaxes(type="category", side="top")
    fig.update_yaxes(type="category", autorange="reversed", tickformat="", hoverformat="", ticksuffix="")
    # The years sit on top, inside the top margin. Plotly centres the title there by default, so a
    # note on two lines ran into them: the title hangs from the top edge instead, and the margin
    # holds the title, a two-line note and the years.
    fig.update_layout(
        margin=dict(t=HEATMAP_TOP_MARGIN),
        title=dict(y=1, yref="container", yanchor="top", pad=dict(t=HEATMAP_TITLE_PAD)),
    )
    return fig
