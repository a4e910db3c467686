"""What pages draw with: URL-bound page choices, charts with their downloads, tables' downloads,
headline cards (one element, `cards.grid_html`), and what a table or chart may show (small counts hidden).

Pages read the filters from ``filters.current()`` and their data from ``loaders``; they lay out
with these helpers.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import cards, charts, export, maps, memo, page_figures, structure, tables, theme
from dashboard.access import Access, suppress_small_counts
from dashboard.cards import indicator_label as indicator_label  # the trends page's headings use it too
from dashboard.formatting import md_text
from dashboard.i18n import t
from dashboard.ui.filters import (
    BANNER,
    Filters,
    area_name,
    current,
    geography,
    period_label_for,
    source_note,
    years_label,
)
from dashboard.ui.loaders import access, browser_probe, small_counts, snapshot_info
from dashboard.ui.notices import PAGE_PARAMS, check_url, clear_notices


def page_select(
    label: str,
    options: Sequence[Any],
    *,
    key: str,
    lang: str,
    format_func: Callable[[Any], str] = str,
    index: int = 0,
    multi: bool = False,
    default: Sequence[Any] | None = None,
    horizontal: bool = False,
) -> Any:
    """A page-level choice bound to the URL parameter ``key``, with the bad-value notice.

    ``multi`` gives a multiselect (returns a list; ``default`` preselects), ``horizontal`` a
    horizontal radio, otherwise a selectbox. The value persists when the user leaves the page
    and comes back.
    """
    PAGE_PARAMS.add(key)
    options = list(options)
    labels = [format_func(o) for o in options]
    check_url(key, labels, lang, max_values=None if multi else 1)
    common = dict(key=key, bind="query-params", persist_state="session", on_change=clear_notices)
    if multi:
        return st.multiselect(label, options, default=list(default or []), format_func=format_func, **common)
    if horizontal:
        return st.radio(label, options, index=index, format_func=format_func, horizontal=True, **common)
    return st.selectbox(label, options, index=index, format_func=format_func, **common)


def period_picker(f: Filters, key: str = "period") -> dt.date | None:
    """The period of ``f.grain`` within ``f.year`` to show (default: the newest complete one)."""
    info = snapshot_info(f.data_dir, f.view_id)
    starts = page_figures.periods_in_year(f.grain, f.year, info.last_period)
    if not starts:
        return None
    chosen_default = page_figures.default_period(f.grain, f.year, info.last_period)
    if len(starts) == 1:
        return starts[0]
    return page_select(
        t("filter.period", f.lang),
        starts,
        key=key,
        lang=f.lang,
        index=starts.index(chosen_default),
        format_func=lambda s: period_label_for(s, f),
    )


def caption(f: Filters, more: str = "") -> None:
    """The source and date line under a chart, and ``more`` (markdown) on the next line of the same
    caption: one element, not two."""
    text = md_text(source_note(f))  # the source may be an uploaded file's name
    st.caption(f"{text}  \n{more}" if more else text)


class Drawn(NamedTuple):
    """A figure as built (for the image downloads), its screen copy (``charts.for_screen``) and its
    title as plain text (what the image files are named by: read once, plotly's properties are slow)."""

    figure: go.Figure
    screen: go.Figure
    title: str = ""


class _Shown(go.Figure):
    """A remembered screen figure whose dictionary form is made once.

    ``st.plotly_chart`` asks a figure for ``to_dict()`` on every run: a deep copy of every trace
    and of the layout, 1,6 ms for one of Xu hướng's charts, more than the rest of the chart's
    cost (with ``orjson`` the JSON itself takes 0,1 ms). A remembered figure is shared and
    never changed (``chart``), so one copy, with no trace ``uid`` (what ``plotly.io.to_json``
    removes), serves every run of every session.
    """

    def to_dict(self) -> dict:
        made = self.__dict__.get("_made")
        if made is None:
            made = super().to_dict()
            for trace in made.get("data", []):
                trace.pop("uid", None)
            self.__dict__["_made"] = made
        return made


def _drawn(builder: Callable[..., go.Figure], scope: Access, *args: Any, **kwargs: Any) -> Drawn:
    figure = builder(*args, **kwargs)
    return Drawn(figure, _Shown(charts.for_screen(figure)), _plain_title(figure))


def _plain_title(fig: go.Figure) -> str:
    return (fig.layout.title.text or "").split("<")[0]


@functools.lru_cache(maxsize=1024)
def _image_name(title: str, area: str, when: str) -> str:
    """The image files' name without extension ("nguoi_nghien_tinh_dien_bien_2015_2025"), ≤ 120 characters."""
    return export.file_name(title, area, when, ext="png")[:-4][:120]


def chart(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> Drawn:
    """``builder(*args, **kwargs)`` and its screen copy, built once per distinct data and arguments.

    Remembered process-wide (``memo.remembered``): everyone opening the same view shares the
    figure. The key is the content of the frames and arguments, and the user's scope as well,
    so a figure drawn from one user's scoped data is never handed to another scope. The figures
    are shared: show them with ``plot``, never change them.
    """
    return memo.remembered(_drawn, builder, access(), *args, **kwargs)


# The user key of every folded part (a download menu, a folded table) ends so; tests open them by it.
MENU_SUFFIX = "_menu"


def _folded(kind: str, label: str, key: str, fill: Callable[[], None]) -> None:
    """A download menu (``kind`` "popover") or a folded section ("expander") whose content is drawn
    only once the user opens it.

    Closed, it is one message on the wire where a table or two or more buttons were: each
    element is a message every run of every session builds, hashes, queues and sends, the cost
    of a page above Streamlit's floor (docs/BENCHMARK.md, *Sức chứa*). Opening it reruns the
    page, which then draws the content. Not a fragment: a fragment would rerun the menu alone on
    opening, but Streamlit deep-copies the page's layout state for every fragment on every run,
    and with a menu per chart and per table that was 14% of the server's time on Xu hướng and
    Bản đồ under 32 sessions, paid by every run for a menu rarely opened.
    """
    if kind == "popover":
        fold = st.popover(label, icon=":material/download:", on_change="rerun", key=key + MENU_SUFFIX)
    else:
        fold = st.expander(label, on_change="rerun", key=key + MENU_SUFFIX)
    if fold.open:
        with fold:
            fill()


def folded(label: str, key: str, fill: Callable[[], None]) -> None:
    """A folded section (``st.expander``) whose content, ``fill()``, is drawn only when it is open."""
    _folded("expander", label, key, fill)


# On a phone a chart keeps the width its title, its legend and twelve upright years need and
# scrolls sideways in its own box: plotly neither wraps a title nor thins category ticks, so at
# 358 px the title and legend were cut at the edge and the years ran into each other. 900 px
# holds a title of charts.SCREEN_TITLE_CHARS characters, the longest line charts.for_screen
# leaves. Streamlit sizes a chart to the box inside its element, hence the minimum width on that
# box, and the element itself scrolls: no container of our own around each chart, which would be
# one more message a chart on every run (docs/BENCHMARK.md, *Sức chứa*). A chart that reads at
# the phone's width (horizontal bars) has a key ending in ``PHONE_FITS``.
# A static table (st.table) scrolls in its own frame already, but squeezed its eight columns
# into 358 px, a word to a line: it keeps the same width. Drawn once per run by the entry script.
PHONE_MIN_PX = 900
PHONE_FITS = "_fits_phone"
_SCROLLS = f".stElementContainer:not([class*='{PHONE_FITS}'])"
PHONE_CSS = (
    "<style>@media (max-width: 480px) {"
    f"{_SCROLLS}:has(> div > [data-testid=stPlotlyChart]) {{ overflow-x: auto; }}"
    f"{_SCROLLS} > div:has(> [data-testid=stPlotlyChart]) {{ min-width: {PHONE_MIN_PX}px; }}"
    f"[data-testid=stTable] table {{ min-width: {PHONE_MIN_PX}px; }}"
    "}</style>"
)


def plot(
    fig: go.Figure | Drawn, key: str | None = None, period: str | None = None, phone_scroll: bool = True
) -> None:
    """Show a figure with our template, and a download menu of PNG and SVG rendered on the server.

    ``fig`` is a figure, or a ``Drawn`` from ``chart`` (its screen copy and title are then reused).
    On a phone it keeps ``PHONE_MIN_PX`` and scrolls sideways; ``phone_scroll=False`` leaves it
    at the phone's width, for a chart that reads there (horizontal bars: a name and its value
    on one row, which a sideways scroll would part).
    The exported image carries the chart's title, the area and period (``period``, default the
    year range), the snapshot date and the source. The camera button of the chart itself saves
    a slide-ready PNG in the browser, also without a browser on the server.
    """
    if not isinstance(fig, Drawn):
        fig = Drawn(fig, charts.for_screen(fig), _plain_title(fig))
    fig, screen, title = fig
    f = current()
    info = snapshot_info(f.data_dir, f.view_id)
    area, when = area_name(f), period or years_label(f)
    name = _image_name(title or (key or "bieu-do").split("<")[0], area, when)
    # Only the chart's own key says it fits a phone; its menu keeps the caller's key.
    chart_key = key if phone_scroll else (key or name) + PHONE_FITS
    st.plotly_chart(screen, theme=None, key=chart_key, config=export.plotly_config(name))
    ctx = export.CaptionContext(area, when, info.as_of, info.source, info.demo, f.lang)

    def images() -> None:
        probe = browser_probe()
        for fmt in ("png", "svg"):
            st.download_button(
                t(f"export.{fmt}", f.lang),
                lambda fmt=fmt: export.export_image(fig, ctx, fmt),
                file_name=f"{name}.{fmt}",
                mime=export.FORMATS[fmt],
                key=f"{key or name}_{fmt}",
                disabled=not probe.ok,
                help=None if probe.ok else probe.message,
                on_click="ignore",
                icon=":material/image:",
            )

    _folded("popover", t("export.menu", f.lang), key or name, images)


class MapShown(NamedTuple):
    """A map as the page shows it: the deck, its layers' commune codes (``maps.layer_ids``, for a
    click on the map) and the bytes of its JSON (the page's note says what the browser receives)."""

    deck: Any
    ids: dict[str, list[str]]
    payload: int


def _map_shown(drawing: Any, boundaries: memo.Same | None, **options: Any) -> MapShown:
    shapes = boundaries.obj if boundaries is not None else None
    deck = maps.build_deck(drawing, boundaries=shapes, **options)
    return MapShown(deck, maps.layer_ids(drawing, shapes), maps.payload_bytes(deck))


def map_shown(drawing: Any, boundaries: dict | None, **options: Any) -> MapShown:
    """``maps.build_deck(drawing, boundaries=…, **options)``, built once per distinct drawing.

    Building the deck was more than half of the map page's run (a pydeck layer per class, the
    rows of every commune, the JSON measured for the note); everyone opening the same map now
    shares it. ``drawing`` is a remembered one (``memo.remembered``, known by identity), the
    boundary shapes the cached file's (by identity, never by content: they are large). Shared:
    never change the deck.
    """
    shapes = memo.Same(boundaries) if boundaries is not None else None
    return memo.remembered(_map_shown, drawing, shapes, **options)


def table(frame: pl.DataFrame, **options: Any) -> Any:
    """``st.dataframe`` of a polars frame handed over as its Arrow table.

    Given a polars frame, Streamlit converts it to pandas and back to Arrow on every run (3,5 ms
    for the map's 12-row district list, against 0,1 ms for the Arrow table as it is): under a
    meeting's sessions at once that was the map page's largest single cost (docs/BENCHMARK.md).
    """
    return st.dataframe(frame.to_arrow(), **options)


def downloads(frame: pl.DataFrame, name: str, lang: str, key: str) -> None:
    """A download menu of CSV and Excel for a localized table; text cells escaped against formulas.

    The files are built only when a button is clicked: a large table (a comparison of two
    snapshots can have hundreds of thousands of rows) must not slow every run of the page.
    """

    def files() -> None:
        st.download_button(
            t("download.csv", lang),
            lambda: tables.to_csv_bytes(frame),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
            on_click="ignore",
        )
        st.download_button(
            t("download.excel", lang),
            lambda: tables.to_excel_bytes(frame),
            file_name=f"{name}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"{key}_xlsx",
            icon=":material/download:",
            on_click="ignore",
        )

    _folded("popover", t("download.menu", lang), key, files)


def protect(
    frame: pl.DataFrame, indicator: str | None = None, columns: Sequence[str] = ("value", "previous")
) -> pl.DataFrame:
    """A table (or a chart's data) to show or download, small commune counts of people hidden.

    ``access.suppress_small_counts`` decides: "<5", and "×" where the district's total would
    otherwise give a small count away.
    """
    setting = small_counts()
    if not setting.exports:
        return frame
    # Remembered by content: the same view's table is suppressed once, not once per session and run.
    return memo.remembered(
        suppress_small_counts,
        frame,
        geography(),
        setting.threshold,
        columns=tuple(columns),
        indicator=indicator,
    )


def protect_chart(frame: pl.DataFrame) -> pl.DataFrame:
    """A chart's data with what ``protect`` hides taken out: a gap, so no axis, bar or hover reads it."""
    shown = protect(frame)
    companions = [c for c in shown.columns if c.endswith("_shown")]
    if not companions:
        return frame
    hidden = pl.any_horizontal(pl.col(c).is_not_null() for c in companions)
    blanked = [c for c in ("value", "previous", "change", "change_pct") if c in shown.columns]
    return shown.with_columns(pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in blanked).drop(
        companions
    )


# Presentation mode: the slide alone. The sidebar starts collapsed (the page says so), the
# banners are hidden (their words ride in the footer line), the page's top padding goes.
PRESENTATION_CSS = (
    "<style>"
    f"[class*=st-key-{BANNER}_] {{ display: none !important; }}"
    "[data-testid=stMainBlockContainer] { padding-top: 2.5rem !important; padding-bottom: 0 !important; }"
    ".st-key-slide h1 { font-size: 2.4rem !important; white-space: normal !important;"
    " overflow-wrap: anywhere; padding-top: 0 !important; }"
    f".st-key-slide_footer {{ border-top: 1px solid {theme.GRID}; padding-top: .3rem; }}"
    ".st-key-slide_footer [data-testid=stCaptionContainer] { font-size: .8rem; }"
    # Type sized by the screen's height: the same slide fits 1366×768 and fills 1920×1080.
    "[data-testid=stMetricValue] { font-size: clamp(2rem, 5.5vh, 3.4rem); }"
    "[data-testid=stMetricLabel] p { font-size: clamp(1rem, 2.3vh, 1.4rem); }"
    "[data-testid=stMetricLabel] *, [data-testid=stMetricDelta] * {"
    " white-space: normal !important; text-overflow: clip !important; }"
    "[data-testid=stMetricDelta] { font-size: clamp(.9rem, 2vh, 1.25rem); height: auto; }"
    f".slide-sub {{ font-size: 1.6rem; color: {theme.CAPTION_TEXT}; }}"
    "</style>"
)


def tone_color(tone: str) -> str:
    """Streamlit's named colour for the tone of a change (``theme.STREAMLIT_TONE_COLORS``)."""
    return theme.STREAMLIT_TONE_COLORS[tone]


def presentation_footer(f: Filters, source_line: str) -> str:
    """The one footer line of presentation mode: which units are shown and the source (with demo)."""
    info = snapshot_info(f.data_dir, f.view_id)
    parts = []
    if info.versioned or f.structure == structure.NEW:
        note = "structure.new_note" if info.structure == structure.NEW else "structure.legacy_note"
        parts.append(t(note, f.lang))
    parts.append(source_line)
    return " ".join(parts)


def kpi_cards(kpis: Sequence[page_figures.Kpi], lang: str, notes: Sequence[str] = ()) -> None:
    """The headline cards, one element (``cards.grid_html``): three to a row, each with label,
    value, change, sparkline, quota line and ``notes[i]`` (``cards.figure_note``).

    Built once per distinct cards, language and notes, process-wide: a meeting opening the same
    view shares one string. One element where there were about 40 (docs/BENCHMARK.md, *Sức chứa*).
    Markdown, not ``st.html``: the latter's sanitiser keeps HTML only and drops the sparklines'
    SVG; every text in the string is escaped by ``cards`` (nothing of a user's is markup).
    """
    st.markdown(memo.remembered(cards.grid_html, list(kpis), lang, tuple(notes)), unsafe_allow_html=True)
