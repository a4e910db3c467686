"""Status colours survive colour-vision deficiency, grayscale print and projectors (from the theme)."""

from __future__ import annotations

import ast
import itertools
import os
import re
from pathlib import Path

import numpy as np
import pytest

from dashboard import theme
from tests.support.colour_vision import (
    VISIONS,
    contrast,
    delta_e,
    hex_to_srgb,
    lightness,
    simulate,
    smallest_delta_e,
)

ROOT = Path(__file__).resolve().parents[2]

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
    from tests.support.colour_vision import ciede2000

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
    assert theme.COMMUNE_CLASS_COLORS["no_data"] == theme.NO_DATA_FILL
    assert theme.COMMUNE_CLASS_SYMBOLS["no_data"].endswith("-open")
    assert contrast(theme.OUTLINE, theme.BACKGROUND) >= MIN_MARK_CONTRAST


def test_theme_contrast_agrees_with_the_reference_arithmetic():
    for colour in theme.PALETTE.values():
        assert theme.contrast(colour, theme.BACKGROUND) == pytest.approx(contrast(colour, theme.BACKGROUND))


@pytest.mark.parametrize(
    "colours, glyphs",
    [
        (theme.COMMUNE_CLASS_COLORS, theme.COMMUNE_CLASS_GLYPHS),
        (theme.COMMUNE_CHANGE_COLORS, theme.COMMUNE_CHANGE_GLYPHS),
        (theme.GOAL_STATUS_COLORS, theme.GOAL_STATUS_GLYPHS),
        (theme.VERDICT_COLORS, theme.VERDICT_GLYPHS),
        (theme.CHANGE_TONE_COLORS, theme.CHANGE_TONE_GLYPHS),
        (theme.GOAL_STATUS_COLORS, theme.GOAL_STATUS_PATTERNS),
        (theme.COMMUNE_CLASS_COLORS, theme.COMMUNE_CLASS_SYMBOLS),
    ],
)
def test_every_status_has_a_second_channel_besides_colour(colours, glyphs):
    assert set(glyphs) == set(colours)
    # Items of one colour (the key types) must differ by their glyph; every glyph is distinct
    # within a legend except plotly's solid pattern and the shared key-type symbol.
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        if ca == cb:
            assert theme.COMMUNE_CLASS_GLYPHS.get(a, glyphs[a]) != theme.COMMUNE_CLASS_GLYPHS.get(
                b, glyphs[b]
            ), (a, b)


def test_key_types_share_the_key_colour_and_differ_by_letter_and_size():
    keys = ("key_1", "key_2", "key_3")
    assert {theme.COMMUNE_CLASS_COLORS[k] for k in keys} == {theme.COMMUNE_CATEGORY_COLORS["key"]}
    assert [theme.COMMUNE_CLASS_GLYPHS[k] for k in keys] == ["I", "II", "III"]
    assert (
        theme.COMMUNE_CLASS_SIZES["key_1"]
        > theme.COMMUNE_CLASS_SIZES["key_2"]
        > theme.COMMUNE_CLASS_SIZES["key_3"]
    )


# Every colour and font family is typed in dashboard/theme.py and nowhere else in the code: a
# hex or rgb() string, a named CSS colour, an RGB triple given as a colour, a font name.


def code_files() -> list[Path]:
    """Every Python file of the project but the tests and the theme, wherever pages and scripts live."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and d not in {"tests", "data", "__pycache__"}
        )
        found += [Path(folder) / f for f in sorted(files) if f.endswith(".py")]
    return [p for p in found if p != ROOT / "dashboard" / "theme.py"]


CODE_FILES = code_files()
HEX_COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3,4})(?![0-9A-Za-z_])")
COLOUR_FUNCTION = re.compile(r"\b(?:rgba?|hsla?)\(", re.IGNORECASE)
NAMED_COLOURS = r"white|black|gr[ae]y|silver|red|green|blue|orange|yellow|purple|pink|brown|navy|transparent"
NAMED_COLOUR = re.compile(rf"^(?:light|dark)?(?:{NAMED_COLOURS})$|colou?r\s*:\s*(?:{NAMED_COLOURS})\b", re.I)
GENERIC_FAMILIES = ("sans-serif", "serif", "monospace", "cursive", "fantasy", "system-ui")
FONT_NAMES = sorted(
    {
        name.strip().strip("'\"")
        for spec in (theme.FONT_FAMILY, theme.MONO_FONT_FAMILY, theme.SLIDES_FONT, theme.REPORT_FONT)
        for name in spec.split(",")
    }
    | set(theme.VIETNAMESE_FONTS)
    | set(GENERIC_FAMILIES),
    key=len,
    reverse=True,
)
FONT_NAME = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, FONT_NAMES)) + r")(?![\w-])", re.IGNORECASE)
COLOUR_NAME = re.compile(r"colou?r|rgb|fill", re.IGNORECASE)
COLOUR_CALL = re.compile(r"rgb|from_string$", re.IGNORECASE)  # RGBColor(…), RGBColor.from_string(…)


def _is_rgb_triple(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.List | ast.Tuple)
        and len(node.elts) in (3, 4)
        and all(
            isinstance(e, ast.Constant) and type(e.value) is int and 0 <= e.value <= 255 for e in node.elts
        )
    )


def typed_styles(source: str) -> list[str]:
    """The colours and font families typed in ``source`` (docstrings aside), as ``line: text``."""
    tree = ast.parse(source)
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            text = node.value
            if HEX_COLOUR.search(text) or COLOUR_FUNCTION.search(text) or NAMED_COLOUR.search(text.strip()):
                found.append(f"{node.lineno}: colour {text!r}")
            if FONT_NAME.search(text):
                found.append(f"{node.lineno}: font {text!r}")
        # An RGB triple given as a colour: a keyword, a dict entry or a name that says colour.
        pairs: list[tuple[str, ast.AST]] = []
        if isinstance(node, ast.keyword) and node.arg:
            pairs.append((node.arg, node.value))
        elif isinstance(node, ast.Dict):
            pairs += [
                (k.value, v)
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            ]
        elif isinstance(node, ast.Assign):
            pairs += [(t.id, node.value) for t in node.targets if isinstance(t, ast.Name)]
        found += [
            f"{v.lineno}: colour {ast.unparse(v)}"
            for k, v in pairs
            if COLOUR_NAME.search(k) and _is_rgb_triple(v)
        ]
        # A colour built from numbers: RGBColor(0xFF, 0xFF, 0xFF), RGBColor.from_string("FFFFFF").
        if isinstance(node, ast.Call) and COLOUR_CALL.search(ast.unparse(node.func)):
            texts = [a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            numbers = [a for a in node.args if isinstance(a, ast.Constant) and type(a.value) is int]
            if texts or len(numbers) >= 3:
                found.append(f"{node.lineno}: colour {ast.unparse(node)}")
    return sorted(set(found), key=lambda f: int(f.split(":")[0]))


@pytest.mark.parametrize(
    "source",
    [
        'fig.update_layout(paper_bgcolor="#FFFFFF")',
        'line = dict(color="#999")',
        "css = f\"<span style='background:#90A4AE'>{x}</span>\"",
        'annotation = dict(bgcolor="rgba(255,255,255,0.8)")',
        'fig.update_layout(plot_bgcolor="white")',
        "html = \"<b style='color: grey'>x</b>\"",
        "layer = Layer(get_line_color=[255, 255, 255])",
        'style = {"fillColor": [33, 33, 33, 170]}',
        "HALO_COLOUR = (255, 255, 255)",
        "run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)",
        'run.font.color.rgb = RGBColor.from_string("A50026")',
        'FONT = "Times New Roman"',
        'layer = Layer(font_family="sans-serif")',
        "MONO = \"'Noto Sans Mono', monospace\"",
    ],
)
def test_the_style_scan_finds_a_typed_colour_or_font(source):
    assert typed_styles(source), source


def test_the_style_scan_leaves_layout_numbers_docstrings_and_theme_names_alone():
    source = '''"""A module that speaks of #FFFFFF and Noto Sans in its docstring."""
left, middle, right = st.columns([1, 3, 1])
frame = dict(color=theme.BAD, font=dict(family=theme.FONT_FAMILY, size=13))
layer = Layer(get_line_color=hex_to_rgb(theme.RIM), get_color=hex_to_rgb(theme.TEXT, 170))
cell.rgb = rgb(theme.CARD_FILL)
title = "Số liệu #1 · sheet Xã, dòng 12"
'''
    assert typed_styles(source) == []


@pytest.mark.parametrize("path", CODE_FILES, ids=[str(p.relative_to(ROOT)) for p in CODE_FILES])
def test_colours_and_fonts_are_typed_only_in_the_theme(path):
    found = typed_styles(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)} types a style; name it in dashboard/theme.py: {found}"


def test_streamlits_own_colours_and_code_font_are_the_themes():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    assert config["codeFont"] == theme.MONO_FONT_FAMILY
    assert config["primaryColor"] == theme.ACCENT
    # DejaVu Sans Mono sets the second mark of ố beside the letter (test_readability_browser.py).
    assert "DejaVu Sans Mono" not in theme.MONO_FONT_FAMILY
    assert {name: config[f"{name}Color"] for name in theme.STREAMLIT_COLORS} == theme.STREAMLIT_COLORS
    assert set(theme.STREAMLIT_TONE_COLORS.values()) <= set(theme.STREAMLIT_COLORS)
