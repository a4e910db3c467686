"""Reading Tổng quan's headline cards: one markdown element (``dashboard.cards.grid_html``) in an
AppTest run, or a page in the browser (the locators below).

Before, each card was an ``st.metric`` (``at.metric``: label and value) with captions beside it
(``at.caption``); these readers give the same things from the one element: ``card_values`` the
label → value, ``card_notes`` the lines under each card (no previous year, quota, coverage).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import NamedTuple

from dashboard.cards import GRID_CLASS

# Browser locators (Playwright CSS) of a card and its parts.
CARD = ".kpi-card"
LABEL = ".kpi-label"
VALUE = ".kpi-value"
DELTA = ".kpi-delta"
NOTE = ".kpi-note"
SPARK = ".kpi-spark"

_PARTS = ("kpi-label", "kpi-value", "kpi-unit", "kpi-delta", "kpi-note", "kpi-arrow")


class Card(NamedTuple):
    """One card as its HTML says it: every text unescaped, as a reader sees it."""

    indicator: str
    label: str
    value: str  # without its unit
    unit: str  # written after the value ("người"), "" for none
    delta: str | None  # without its arrow
    tone: str | None  # good, bad or neutral (the delta's colour)
    arrow: str  # ▲, ▼ or ""
    notes: tuple[str, ...]  # the lines under the figure, in order
    spark: str | None  # "line", "bars" or None (no sparkline)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[Card] = []
        self._card: dict | None = None
        self._card_depth = 0  # how many elements were open around the card's own div
        self._stack: list[str | None] = []  # the part each open element belongs to

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if "kpi-card" in classes:
            self._card_depth = len(self._stack)
            self._card = dict(
                indicator=found.get("data-indicator"), label="", value="", unit="", delta=None,
                tone=None, arrow="", notes=[], spark=None,
            )  # fmt: skip
        part = next((p for p in _PARTS if p in classes), None)
        card = self._card
        if card is not None:
            if part == "kpi-delta":
                card["delta"], card["tone"] = "", found.get("data-tone")
            elif part == "kpi-note":
                card["notes"].append("")
        self._stack.append(part or (self._stack[-1] if self._stack else None))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The sparkline's marks (<polyline/>, <rect/>): nothing opens.
        if self._card is not None and tag in ("polyline", "rect"):
            self._card["spark"] = "line" if tag == "polyline" else "bars"

    def handle_endtag(self, tag: str) -> None:
        self._stack.pop()
        if self._card is not None and len(self._stack) == self._card_depth:
            card = self._card
            self.cards.append(Card(**{**card, "notes": tuple(card["notes"])}))
            self._card = None

    def handle_data(self, data: str) -> None:
        card, part = self._card, (self._stack[-1] if self._stack else None)
        if card is None or part is None:
            return
        if part in ("kpi-label", "kpi-value", "kpi-unit", "kpi-arrow"):
            card[part[4:]] += data
        elif part == "kpi-delta":
            card["delta"] += data
        elif part == "kpi-note":
            card["notes"][-1] += data


def read_cards(body: str) -> list[Card]:
    """The cards in ``body`` (the string ``grid_html`` returns), in order."""
    reader = _Reader()
    reader.feed(body)
    reader.close()
    return reader.cards


def grids(at) -> list[str]:
    """The bodies of the card grids the last AppTest run drew (the overview draws one)."""
    return [m.value for m in at.get("markdown") if f'class="{GRID_CLASS}"' in m.value]


def cards(at) -> list[Card]:
    return [card for body in grids(at) for card in read_cards(body)]


def card_values(at) -> dict[str, str]:
    """Label → value of every card shown, as ``{m.label: m.value for m in at.metric}`` was."""
    return {card.label: card.value for card in cards(at)}


def card_notes(at) -> dict[str, tuple[str, ...]]:
    """Label → the lines under the card (no previous year, quota, units reporting or source)."""
    return {card.label: card.notes for card in cards(at)}


def all_notes(at) -> list[str]:
    """Every line under every card, in order (what ``at.caption`` and ``at.markdown`` held)."""
    return [note for card in cards(at) for note in card.notes]
