"""The dashboard's colours, glyphs and fonts: one source for screen charts, map, images, slides and report.

The legend colours come from Paul Tol's colour-blind-safe schemes (Tol 2021, "Colour Schemes",
SRON/EPS/TN/09-002, https://personal.sron.nl/~pault/): the red and the indigo ends of the
*sunset* and *muted* schemes for bad and good, the orange of *YlOrBr* for "watch this", and a
grey for neutral. Red still means bad. Four colours are all a legend ever needs (a goal's
status, a commune's category or change, the tone of a change), so every legend is a subset of
them and tests/unit/test_theme.py checks every legend at once: smallest CIEDE2000 distance ≥ 20
under simulated protanopia, deuteranopia and tritanopia (Machado 2009, severity 1), marks
≥ 3:1 and text ≥ 4,5:1 against their background, and L* ≥ 10 apart in grayscale print.
No published palette gives six colours that pass all of that while keeping
red for bad (see docs/THEME.md), so the three key-commune types share the key colour and are
told apart by their glyph (I, II, III) and marker size, as every legend item is: a second channel
besides colour (✓ ! ✕ – on goals, ▲ ▼ on changes, shapes on the map image).
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# The four colours of every legend (Paul Tol) and the neutrals around them.

BAD = "#A50026"  # Tol sunset, darkest red
WARN = "#EC7014"  # Tol YlOrBr, orange
GOOD = "#332288"  # Tol muted, indigo
NEUTRAL = "#767676"  # the darkest grey that still takes white text at 4,5:1

# Orange is a mark colour only (3:1 on white); written in "watch this", text takes the
# darker brown of the same YlOrBr scheme.
WARN_TEXT = "#993404"

BACKGROUND = "#FFFFFF"
TEXT = "#1A1A1A"
MUTED_TEXT = "#555555"
GRID = "#DDDDDD"
AXIS = "#444444"
OUTLINE = "#37474F"  # the ring of a "no data" marker and of light legend swatches
NO_DATA_FILL = "#FFFFFF"  # no data is drawn hollow: a ring, not a colour
LIGHT_LINE = "#CFD8DC"  # the rule above a legend's total
ZERO_LINE = "#999999"  # the zero line of a chart's value axis
RIM = BACKGROUND  # the edge between neighbouring marks and polygons of the map
CAPTION_TEXT = AXIS  # the context and source lines of an image, the subtitle of a presented slide

# The four colours every legend draws from: bad, "watch this", good, neither.
PALETTE: dict[str, str] = {"bad": BAD, "warn": WARN, "good": GOOD, "neutral": NEUTRAL}

# ---------------------------------------------------------------------------------------------
# A commune's classification (the map, the commune-count charts): the one colour table is by
# category; the map's classes split the key type out (I, II, III) and share the key colour.

COMMUNE_CATEGORY_COLORS: dict[str, str] = {
    "key": BAD,
    "complex": WARN,
    "healthy": GOOD,
    "other": NEUTRAL,
    "no_data": NO_DATA_FILL,
}
# What tells a class apart besides its colour: a letter on the legend and in the tooltip, a
# plotly marker symbol and size on the map image, a pixel radius on the screen map.
COMMUNE_CLASS_GLYPHS: dict[str, str] = {
    "key_1": "I",
    "key_2": "II",
    "key_3": "III",
    "complex": "◆",
    "healthy": "●",
    "other": "·",
    "no_data": "○",
}
COMMUNE_CLASS_COLORS: dict[str, str] = {
    c: COMMUNE_CATEGORY_COLORS["key" if c.startswith("key_") else c] for c in COMMUNE_CLASS_GLYPHS
}
COMMUNE_CLASS_SYMBOLS: dict[str, str] = {
    "key_1": "triangle-up",
    "key_2": "triangle-up",
    "key_3": "triangle-up",
    "complex": "diamond",
    "healthy": "circle",
    "other": "circle",
    "no_data": "circle-open",
}
# Type I is the most serious: the largest mark.
COMMUNE_CLASS_SIZES: dict[str, float] = {
    "key_1": 14,
    "key_2": 12,
    "key_3": 10,
    "complex": 10,
    "healthy": 8,
    "other": 6,
    "no_data": 7,
}

# A commune's change of classification against a base year (the map's change view).
COMMUNE_CHANGE_COLORS: dict[str, str] = {
    "worse": BAD,
    "mixed": WARN,
    "better": GOOD,
    "unchanged": NEUTRAL,
    "no_data": NO_DATA_FILL,
}
COMMUNE_CHANGE_GLYPHS: dict[str, str] = {
    "worse": "▲",
    "mixed": "◆",
    "better": "▼",
    "unchanged": "=",
    "no_data": "○",
}
COMMUNE_CHANGE_SYMBOLS: dict[str, str] = {
    "worse": "triangle-up",
    "mixed": "diamond",
    "better": "triangle-down",
    "unchanged": "circle",
    "no_data": "circle-open",
}

# ---------------------------------------------------------------------------------------------
# Goals: the status of a target and the verdict of a multi-year goal (keys are goals.MET …).

GOAL_STATUS_COLORS: dict[str, str] = {
    "met": GOOD,
    "at_risk": WARN,
    "not_met": BAD,
    "no_data": NEUTRAL,
}
GOAL_STATUS_GLYPHS: dict[str, str] = {"met": "✓", "at_risk": "!", "not_met": "✕", "no_data": "–"}
# Stacked bars of statuses carry a hatch too (plotly pattern shapes; "" is solid).
GOAL_STATUS_PATTERNS: dict[str, str] = {
    "met": "",
    "at_risk": "/",
    "not_met": "x",
    "no_data": ".",
}
VERDICT_COLORS: dict[str, str] = {"on_track": GOOD, "at_risk": WARN, "off_track": BAD}
VERDICT_GLYPHS: dict[str, str] = {"on_track": "✓", "at_risk": "!", "off_track": "✕"}

# The tone of a figure's change (KPI cards, year-on-year bars, slides): better, worse or
# neither for the indicator's direction.
CHANGE_TONE_COLORS: dict[str, str] = {"good": GOOD, "bad": BAD, "neutral": NEUTRAL}
CHANGE_TONE_GLYPHS: dict[str, str] = {"good": "✓", "bad": "✕", "neutral": "–"}

# Every legend a reader sees, by name: the colour tests walk this.
LEGENDS: dict[str, dict[str, str]] = {
    "commune categories": {k: v for k, v in COMMUNE_CATEGORY_COLORS.items() if k != "no_data"},
    "commune changes": {k: v for k, v in COMMUNE_CHANGE_COLORS.items() if k != "no_data"},
    "goal status": GOAL_STATUS_COLORS,
    "goal verdict": VERDICT_COLORS,
    "change tone": CHANGE_TONE_COLORS,
}
# Legends whose items share a colour on purpose, and the channel that tells them apart.
SHARED_COLOUR_GLYPHS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "commune classes": (COMMUNE_CLASS_COLORS, COMMUNE_CLASS_GLYPHS),
}

# ---------------------------------------------------------------------------------------------
# Series, scales and marks that carry no status.

# Lines of several series (Okabe–Ito based; strong enough for a washed-out projector).
COLORWAY: tuple[str, ...] = (
    "#0B5394",
    "#E69F00",
    "#009E73",
    "#B71C1C",
    "#56B4E9",
    "#CC79A7",
    "#6A3D9A",
    "#8C6D31",
    "#000000",
    "#F0E442",
)
REFORM_COLOR = "#6A3D9A"
# Goal charts: the required path, the actual line and the pro-rata band of a quota bullet.
REQUIRED_COLOR = MUTED_TEXT
ACTUAL_COLOR = "#0B5394"
PRO_RATA_COLOR = "#D9D9D9"
# A sequential scale (ColorBrewer YlOrRd, 5 classes) for the indicator view of the map.
VALUE_COLORS: tuple[str, ...] = ("#FFFFB2", "#FECC5C", "#FD8D3C", "#F03B20", "#BD0026")
ZERO_COLOR = "#B0BEC5"
HEATMAP_SCALE = "Reds"
# The reference circles of the map's size view (the points keep their class colours).
SIZE_REFERENCE_COLOR = "#90A4AE"
# The map's hover box, and the halo behind district labels (white, alpha 0–255 as deck.gl wants).
TOOLTIP_BACKGROUND = "#263238"
TOOLTIP_TEXT = BACKGROUND
LABEL_HALO_ALPHA = 170
# The label of the reform marker sits on a white, 80 % opaque band.
MARKER_LABEL_BACKGROUND = "rgba(255, 255, 255, 0.8)"
# Goal charts: the target mark of a quota bullet; the dotted line at the year chosen.
TARGET_COLOR = "#000000"
SELECTED_YEAR_COLOR = "#888888"
# A KPI card on a slide.
CARD_FILL = "#F4F6F8"
CARD_LINE = "#CCCCCC"
# A headline card on the screen (Tổng quan, dashboard/cards.py): the hairline of Streamlit's
# bordered containers (its text colour at 20 % on white), and how strong the wash behind a change
# is (the tone's own colour at 10 %, as Streamlit draws a metric's delta).
SCREEN_CARD_LINE = "#D6D6D9"
CHANGE_WASH_ALPHA = 0.1
# The header row of the Excel import template.
TEMPLATE_HEADER_FILL = "#F2DCDB"

# ---------------------------------------------------------------------------------------------
# Fonts: Noto covers every Vietnamese letter; the monospace one is for copyable text blocks.

# The families that draw every Vietnamese letter; chart images need one of them installed
# (export.probe_fonts), so the screen and the images ask for them first.
VIETNAMESE_FONTS: tuple[str, ...] = ("Noto Sans", "DejaVu Sans")
FONT_FAMILY = ", ".join((*VIETNAMESE_FONTS, "Arial", "sans-serif"))  # charts, map, images
# Same list as .streamlit/config.toml codeFont (why there); never DejaVu Sans Mono, which
# misplaces the second mark of ố, ầ, ử.
MONO_FONT_FAMILY = "'Source Code Pro', 'Noto Sans Mono', Consolas, 'Courier New', monospace"
# Streamlit's named colours (metric deltas) as set in .streamlit/config.toml, by tone.
STREAMLIT_TONE_COLORS: dict[str, str] = {"good": "blue", "bad": "red", "neutral": "gray"}
STREAMLIT_COLORS: dict[str, str] = {"red": BAD, "blue": GOOD, "orange": WARN, "gray": NEUTRAL}
STREAMLIT_DIVIDER = "gray"  # the rule under a section header
# Streamlit's accent (config.toml primaryColor): the bad red, strong on a projector.
ACCENT = BAD
SLIDES_FONT = VIETNAMESE_FONTS[0]  # the PowerPoint slides
# The Word report: the font of Vietnamese administrative documents.
REPORT_FONT = "Times New Roman"


def hex_to_rgb(color: str, alpha: int | None = None) -> list[int]:
    """``#RRGGBB`` → ``[r, g, b]`` (with ``alpha`` appended when given), as deck.gl wants colours."""
    value = color.lstrip("#")
    rgb = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    return [*rgb, alpha] if alpha is not None else rgb


def wash(color: str, alpha: float) -> str:
    """``#RRGGBB`` at opacity ``alpha`` as CSS ``rgba(…)``: a light wash behind text written in it."""
    r, g, b = hex_to_rgb(color)
    return f"rgba({r}, {g}, {b}, {alpha:g})"


def _luminance(color: str) -> float:
    channels = [c / 255 for c in hex_to_rgb(color)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(color1: str, color2: str) -> float:
    """WCAG contrast ratio of two colours (1…21)."""
    high, low = sorted((_luminance(color1), _luminance(color2)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(fill: str) -> str:
    """The text colour for a label written on ``fill``: white or near-black, whichever reads better."""
    return BACKGROUND if contrast(BACKGROUND, fill) >= contrast(TEXT, fill) else TEXT


def text_color(status_color: str) -> str:
    """The colour to write a status in on white: the status colour, or its darker twin for orange."""
    return WARN_TEXT if status_color == WARN else status_color
