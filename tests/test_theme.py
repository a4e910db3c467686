"""Status colours survive colour-vision deficiency, grayscale print and projectors (from the theme)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest

from dashboard import theme
from tests.colour_vision import (
    VISIONS,
    contrast,
    delta_e,
    hex_to_srgb,
    lab,
    lightness,
    simulate,
    smallest_delta_e,
)

ROOT = Path(__file__).resolve().parent.parent

MIN_DELTA_E = 20  # CIEDE2000; about 2 is just noticeable
MIN_MARK_CONTRAST = 3.0  # WCAG 2.1, 1.4.11 non-text contrast
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.1, 1.4.3 text contrast
MIN_LIGHTNESS_GAP = 10  # CIELAB L*, what is left in grayscale print


# Sharma, Wu & Dalal (2005), "The CIEDE2000 colour-difference formula", table 1: pairs 1, 7, 19,
# 20 and 25 (including the hue wrap-around and the achromatic cases).
@pytest.mark.parametrize(
    "lab1, lab2, expected",
    [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((50.0, 2.5, 0.0), (50.0, 0.0, -2.5), 4.3065),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_sharma_2005(lab1, lab2, expected):
    assert delta_e_lab(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def delta_e_lab(lab1, lab2) -> float:
    from tests.colour_vision import ciede2000

    return ciede2000(np.array(lab1), np.array(lab2))


# The measurements of the colours used before (Machado 2009 + CIEDE2000): the same
# arithmetic must find the same numbers, or the checks below measure something else.
@pytest.mark.parametrize(
    "colours, expected, contrasts",
    [
        (
            {"key": "#B71C1C", "complex": "#F57C00", "healthy": "#2E7D32"},
            {"normal": 31.4, "protanopia": 12.2, "deuteranopia": 6.0, "tritanopia": 20.8},
            [6.57, 2.70, 5.13],
        ),
        (
            {"worse": "#C62828", "better": "#2E7D32", "mixed": "#8E24AA"},
            {"normal": 35.7, "protanopia": 13.0, "deuteranopia": 6.6, "tritanopia": 23.7},
            [5.62, 5.13, 7.04],
        ),
    ],
)
def test_the_simulation_reproduces_the_measured_old_palette(colours, expected, contrasts):
    assert {v: round(smallest_delta_e(colours, v)[0], 1) for v in VISIONS} == expected
    assert [round(contrast(c, "#FFFFFF"), 2) for c in colours.values()] == contrasts


def test_simulation_leaves_grey_grey_and_confuses_red_and_green_for_deuteranopes():
    grey = hex_to_srgb("#808080")
    for vision in VISIONS:
        assert np.allclose(simulate(grey, vision), grey, atol=0.01)
    assert delta_e("#FF0000", "#00A000", "deuteranopia") < delta_e("#FF0000", "#00A000", "normal") / 3


LEGEND_CASES = [(name, vision) for name in theme.LEGENDS for vision in VISIONS]


@pytest.mark.parametrize("legend, vision", LEGEND_CASES, ids=[f"{n}-{v}" for n, v in LEGEND_CASES])
def test_every_legend_stays_apart_under_colour_vision_deficiency(legend, vision):
    distance, first, second = smallest_delta_e(theme.LEGENDS[legend], vision)
    assert distance >= MIN_DELTA_E, f"{legend}: {first} vs {second} only {distance:.1f} apart ({vision})"


@pytest.mark.parametrize("legend", theme.LEGENDS)
def test_every_legend_stays_apart_in_grayscale(legend):
    colours = theme.LEGENDS[legend]
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        gap = abs(lightness(ca) - lightness(cb))
        assert gap >= MIN_LIGHTNESS_GAP, f"{legend}: {a} vs {b} L* only {gap:.1f} apart"


@pytest.mark.parametrize(
    "name, colour", sorted({(k, v) for lg in theme.LEGENDS.values() for k, v in lg.items()})
)
def test_every_status_mark_and_its_text_read_on_white(name, colour):
    assert contrast(colour, theme.BACKGROUND) >= MIN_MARK_CONTRAST, name
    # Written in its colour (deck, report, verdict line) and written on it (badges, table cells).
    assert contrast(theme.text_color(colour), theme.BACKGROUND) >= MIN_TEXT_CONTRAST, name
    assert contrast(theme.text_on(colour), colour) >= MIN_TEXT_CONTRAST, name


def test_no_data_is_a_ring_that_reads_on_white():
    assert theme.CLASS_COLORS["no_data"] == theme.NO_DATA_FILL
    assert theme.CLASS_SYMBOLS["no_data"].endswith("-open")
    assert contrast(theme.OUTLINE, theme.BACKGROUND) >= MIN_MARK_CONTRAST


def test_theme_contrast_agrees_with_the_reference_arithmetic():
    for colour in theme.STATUS_PALETTE.values():
        assert theme.contrast(colour, theme.BACKGROUND) == pytest.approx(contrast(colour, theme.BACKGROUND))


@pytest.mark.parametrize(
    "colours, glyphs",
    [
        (theme.CLASS_COLORS, theme.CLASS_GLYPHS),
        (theme.DIRECTION_COLORS, theme.DIRECTION_GLYPHS),
        (theme.GOAL_STATUS_COLORS, theme.GOAL_STATUS_GLYPHS),
        (theme.VERDICT_COLORS, theme.VERDICT_GLYPHS),
        (theme.TONE_COLORS, theme.TONE_GLYPHS),
        (theme.GOAL_STATUS_COLORS, theme.GOAL_STATUS_PATTERNS),
        (theme.CLASS_COLORS, theme.CLASS_SYMBOLS),
    ],
)
def test_every_status_has_a_second_channel_besides_colour(colours, glyphs):
    assert set(glyphs) == set(colours)
    # Items of one colour (the key types) must differ by their glyph; every glyph is distinct
    # within a legend except plotly's solid pattern and the shared key-type symbol.
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        if ca == cb:
            assert theme.CLASS_GLYPHS.get(a, glyphs[a]) != theme.CLASS_GLYPHS.get(b, glyphs[b]), (a, b)


def test_key_types_share_the_key_colour_and_differ_by_letter_and_size():
    keys = ("key_1", "key_2", "key_3")
    assert {theme.CLASS_COLORS[k] for k in keys} == {theme.CATEGORY_COLORS["key"]}
    assert [theme.CLASS_GLYPHS[k] for k in keys] == ["I", "II", "III"]
    assert theme.CLASS_SIZES["key_1"] > theme.CLASS_SIZES["key_2"] > theme.CLASS_SIZES["key_3"]


# Modules that draw status; their own colour literals may only be near-greys (C* < 12), so a
# status colour cannot be typed outside the theme again.
DRAWING_MODULES = sorted(
    p
    for p in [*ROOT.joinpath("dashboard").rglob("*.py"), *ROOT.joinpath("pages").glob("*.py")]
    if p.name not in {"theme.py", "demo.py"}
)


@pytest.mark.parametrize("path", DRAWING_MODULES, ids=[p.name for p in DRAWING_MODULES])
def test_status_colours_live_only_in_the_theme(path):
    for literal in re.findall(r"#[0-9A-Fa-f]{6}\b", path.read_text(encoding="utf-8")):
        a, b = lab(hex_to_srgb(literal))[1:]
        assert np.hypot(a, b) < 12, f"{path.name}: {literal} is a colour; put it in dashboard/theme.py"


def test_streamlits_own_colours_and_code_font_are_the_themes():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    assert config["codeFont"] == theme.MONO_FONT_FAMILY
    # DejaVu Sans Mono sets the second mark of ố beside the letter (tests/test_readability_browser.py).
    assert "DejaVu Sans Mono" not in theme.MONO_FONT_FAMILY
    assert {name: config[f"{name}Color"] for name in theme.STREAMLIT_COLORS} == theme.STREAMLIT_COLORS
    assert set(theme.STREAMLIT_TONE_COLORS.values()) <= set(theme.STREAMLIT_COLORS)
