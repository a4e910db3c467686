"""Tổng quan's headline cards as one piece of HTML: label, value, change, sparkline, quota and notes.

The overview drew each card as Streamlit elements (a bordered container, an ``st.metric`` with
a vega sparkline, up to three caption lines): about 40 messages a run, a quarter of the server's
time with 32 sessions opening the page, and 13 charts for the browser to lay out
(docs/BENCHMARK.md, *Sức chứa*). Here the whole grid is one string, built once per distinct
cards, language and notes (``memo.remembered``) and sent as one element: Markdown that is one
line of HTML (``st.html`` would do, but its sanitiser keeps HTML only and drops the sparklines'
SVG).

Every text that comes from data, the catalog or ``i18n`` is escaped and kept to one line: a
unit's name or a note read from a file is shown as text, never as markup or Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard import coverage, page_figures, theme
from dashboard.catalog import CATALOG
from dashboard.formatting import fmt_change_pct, fmt_number, fmt_pct, fmt_value, html_text
from dashboard.i18n import t

# The class of the grid; every card is a ``div.kpi-card`` with its indicator in ``data-indicator``.
GRID_CLASS = "kpi-grid"
UP, DOWN = "▲", "▼"  # the direction of a change, besides its colour

# A sparkline's drawing box (SVG user units, stretched to the card's width).
_WIDTH, _HEIGHT, _PAD = 100.0, 40.0, 2.0


def indicator_label(indicator: str, lang: str) -> str:
    """The indicator's label with its unit: "Người nghiện có hồ sơ quản lý (người)"."""
    entry = CATALOG[indicator]
    return f"{entry.label(lang)} ({entry.unit(lang)})"


def kpi_texts(card: page_figures.Kpi, lang: str) -> dict[str, str | None]:
    """The strings of a card: value, delta ("+12 (+3,50%)"), quota line; None where there is none."""
    percent = CATALOG[card.indicator].percent
    if card.value is None and CATALOG[card.indicator].kind == "status":
        # An unknown commune count (no list, no report, or a list silent on it) is not 0.
        value = t("status.unknown", lang)
    else:
        value = fmt_value(card.value, card.indicator, lang)
    delta = None
    if card.change is not None:
        sign = "+" if card.change > 0 else ""
        if percent:
            delta = t("kpi.points", lang, value=sign + fmt_number(card.change, lang, 2))
        else:
            delta = sign + fmt_number(card.change, lang)
            if card.change_pct is not None:
                delta += f" ({fmt_change_pct(card.change_pct, lang)})"
    quota = None
    if card.indicator in page_figures.QUOTA_METRICS:
        if card.quota is None:
            quota = t("kpi.no_quota", lang)
        else:
            quota = t(
                "kpi.quota",
                lang,
                quota=fmt_number(card.quota.value, lang),
                pct=fmt_pct(card.achievement, lang),
            )
            if card.quota.covered < card.quota.total:
                quota += " " + t("kpi.quota_partial", lang, n=card.quota.covered, total=card.quota.total)
    return {"value": value, "delta": delta, "quota": quota}


def figure_note(
    card: page_figures.Kpi, cover: dict | None, source: tuple[str | None, dict | None], lang: str
) -> str:
    """The line under a headline figure: units reporting (marked when partial), or the source of a
    commune count ("theo danh sách xã" / "theo số báo cáo", marked when the lists or the reported
    counts cover part of the units); nothing under a figure that is not there."""
    indicator = card.indicator
    if card.value is None:
        return ""
    if CATALOG[indicator].kind == "status":
        origin, counted = source
        if origin is None:
            return ""
        keys = ("list", "report") if origin == "mixed" else (origin,)
        words = ", ".join(t(f"status.source.{k}", lang) for k in keys)
        mark = coverage.partial_mark(counted, lang) if origin != "mixed" else ""
        return f"{words} · {mark}" if mark else words
    mark = coverage.partial_mark(cover, lang)
    return mark or coverage.coverage_text(cover, lang)


def arrow(change: float | None) -> str:
    """▲ for a rise, ▼ for a fall, nothing for no change (none, or too small to show)."""
    if change is None or page_figures.is_negligible(change):
        return ""
    return UP if change > 0 else DOWN


def sparkline(history: Sequence[float], bars: bool, color: str) -> str:
    """An inline SVG of ``history``: bars from zero (a flow: what each period added), or a line
    over the values' own range (a stock: its course). Nothing for fewer than two points."""
    if len(history) < 2:
        return ""
    n = len(history)
    inner = _HEIGHT - 2 * _PAD
    if bars:
        top = max(max(history), 0.0)
        slot = _WIDTH / n
        rects = []
        for i, value in enumerate(history):
            h = inner * max(value, 0.0) / top if top > 0 else 0.0
            rects.append(
                f'<rect x="{i * slot + slot * 0.3:.2f}" y="{_HEIGHT - h:.2f}" '
                f'width="{slot * 0.4:.2f}" height="{h:.2f}"/>'
            )
        marks = f'<g fill="{color}">{"".join(rects)}</g>'
    else:
        low, high = min(history), max(history)
        span = high - low
        step = _WIDTH / (n - 1)
        points = " ".join(
            f"{i * step:.2f},{_PAD + (inner * (high - v) / span if span else inner / 2):.2f}"
            for i, v in enumerate(history)
        )
        marks = (
            f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2" '
            'stroke-linejoin="round" vector-effect="non-scaling-stroke"/>'
        )
    return (
        f'<svg class="kpi-spark" viewBox="0 0 {_WIDTH:g} {_HEIGHT:g}" preserveAspectRatio="none" '
        f'aria-hidden="true" focusable="false">{marks}</svg>'
    )


def unit_shown(card: page_figures.Kpi, lang: str) -> str:
    """The unit written after a card's value ("người", "xã"): none after a percentage (its "%" is
    in the value) or a figure that is not there."""
    entry = CATALOG[card.indicator]
    return "" if entry.percent or card.value is None else entry.unit(lang)


def card_html(card: page_figures.Kpi, lang: str, note: str = "") -> str:
    """One card: label (whole, wrapped: nothing is left to a tooltip, which a touch screen cannot
    open), value with its unit, change against a year earlier in its tone's colour with ▲/▼,
    sparkline of the complete periods, the "no previous year" line, the quota line and ``note``
    (``figure_note``). What the change compares is said once above the grid (``kpi.legend``)."""
    texts = kpi_texts(card, lang)
    label = CATALOG[card.indicator].label(lang)
    unit = unit_shown(card, lang)
    parts = [
        f'<div class="kpi-card" data-indicator="{html_text(card.indicator)}">',
        f'<div class="kpi-label">{html_text(label)}</div>',
        f'<div class="kpi-figure"><div class="kpi-value">{html_text(texts["value"] or "")}</div>'
        + (f'<div class="kpi-unit">{html_text(unit)}</div>' if unit else "")
        + "</div>",
    ]
    if texts["delta"] is None:
        parts.append(f'<div class="kpi-note kpi-none">{html_text(t("kpi.no_previous", lang))}</div>')
    else:
        mark = arrow(card.change)
        glyph = f'<span class="kpi-arrow" aria-hidden="true">{mark}</span>' if mark else ""
        parts.append(
            f'<div class="kpi-delta kpi-{html_text(card.tone)}" data-tone="{html_text(card.tone)}">'
            f"{glyph}{html_text(texts['delta'])}</div>"
        )
    parts.append(sparkline(card.history, CATALOG[card.indicator].kind == "flow", _tone_color(card.tone)))
    if texts["quota"] is not None:
        parts.append(f'<div class="kpi-note kpi-quota"><strong>{html_text(texts["quota"])}</strong></div>')
    if note:
        parts.append(f'<div class="kpi-note">{html_text(note)}</div>')
    parts.append("</div>")
    return "".join(parts)


def _tone_color(tone: str) -> str:
    return theme.CHANGE_TONE_COLORS.get(tone, theme.NEUTRAL)


# Behind a change, a wash of its tone's colour as Streamlit draws a metric's delta; none behind
# the neutral grey, which reads at 4,5:1 on white only (tests/unit/test_cards.py checks each).
DELTA_BACKGROUNDS: dict[str, str] = {
    tone: "none" if tone == "neutral" else theme.wash(color, theme.CHANGE_WASH_ALPHA)
    for tone, color in theme.CHANGE_TONE_COLORS.items()
}

# Three cards to a row at every width. On a phone (≤ 480 px) the type is smaller and the
# sparklines go, so that a unit's figures fit on one screen; the page heading shrinks with them.
_CSS = (
    f".{GRID_CLASS} {{ display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 1rem;"
    f" font-family: inherit; color: {theme.TEXT}; }}"
    ".kpi-card { display: flex; flex-direction: column; gap: .35rem; min-width: 0;"
    f" border: 1px solid {theme.SCREEN_CARD_LINE}; border-radius: .5rem; padding: calc(1rem - 1px); }}"
    # The whole label, on two lines kept for it so the values of a row stay level.
    ".kpi-label { font-size: .875rem; line-height: 1.4; min-height: 2.8em; overflow-wrap: anywhere; }"
    ".kpi-figure { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: .35rem; }"
    ".kpi-value { font-size: 2.25rem; line-height: 1.2; overflow-wrap: anywhere; min-width: 0; }"
    f".kpi-unit {{ font-size: 1rem; color: {theme.MUTED_TEXT}; }}"
    ".kpi-delta { align-self: flex-start; font-size: .875rem; line-height: 1.4; border-radius: .5rem;"
    " padding: .1rem .5rem; }"
    ".kpi-arrow { margin-right: .3rem; }"
    + "".join(
        f".kpi-delta.kpi-{tone} {{ color: {color}; background: {DELTA_BACKGROUNDS[tone]};"
        + (" padding-left: 0;" if DELTA_BACKGROUNDS[tone] == "none" else "")
        + " }"
        for tone, color in theme.CHANGE_TONE_COLORS.items()
    )
    + ".kpi-spark { display: block; width: 100%; height: 3.2rem; margin: .4rem 0; overflow: visible; }"
    f".kpi-note {{ font-size: .875rem; line-height: 1.4; color: {theme.MUTED_TEXT}; }}"
    f".kpi-quota {{ color: {theme.TEXT}; }}"
    "@media (max-width: 480px) {"
    f" .{GRID_CLASS} {{ gap: .3rem; }}"
    " .kpi-card { padding: .35rem; gap: .2rem; }"
    " .kpi-label { font-size: .7rem; line-height: 1.15; min-height: 0; }"
    " .kpi-value { font-size: 1.4rem; }"
    " .kpi-figure { column-gap: .2rem; }"
    " .kpi-unit { font-size: .68rem; }"
    " .kpi-delta { font-size: .68rem; padding: 0 .25rem; }"
    " .kpi-note { font-size: .68rem; line-height: 1.25; }"
    " .kpi-spark { display: none; }"
    " [data-testid=stMain] h1 { font-size: 1.6rem !important; }"
    "}"
)


def grid_html(cards: Sequence[page_figures.Kpi], lang: str, notes: Sequence[str] = ()) -> str:
    """The whole grid of ``cards`` with its style sheet, one string; ``notes[i]`` goes under card i."""
    notes = list(notes) + [""] * (len(cards) - len(notes))
    body = "".join(card_html(card, lang, note) for card, note in zip(cards, notes, strict=True))
    return f'<style>{_CSS}</style><div class="{GRID_CLASS}" lang="{html_text(lang)}">{body}</div>'
