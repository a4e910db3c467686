"""Real-browser tests: ``streamlit run`` on a free port, driven by Playwright with Debian's Chromium.

The browser, tab and server fixtures are the tier's (``tests/browser/conftest.py``); without
Chromium the tier is skipped, except under ``CI=true``. Screenshots of every page go to
``artifacts/screenshots/`` and page timings to ``artifacts/browser_timings.json``.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from pathlib import Path

import pytest

from dashboard.i18n import t
from tests.support.browser import (
    CHARTLESS,
    PAGES,
    SCREENSHOTS,
    TIMINGS,
    assert_charts_drawn,
    assert_no_error_box,
    move_end_year_back,
    pick_district,
    wait_idle,
)
from tests.support.server import running_server


@pytest.mark.parametrize("path,url_path", PAGES, ids=[Path(p[0]).stem for p in PAGES])
def test_page_renders_and_follows_district_and_year(server, page, path, url_path):
    started = time.monotonic()
    page.goto(f"{server}/{url_path}")
    wait_idle(page)
    TIMINGS[Path(path).stem] = round(time.monotonic() - started, 2)
    assert_no_error_box(page)
    charted = Path(path).stem not in CHARTLESS
    if charted:
        assert_charts_drawn(page)
    assert t("notice.demo_data") in page.inner_text("[data-testid=stMain]")
    heading_before = page.inner_text("[data-testid=stMain] h1")

    if page.locator("[data-testid=stExpandSidebarButton]").is_visible():
        # Presentation mode opens with the sidebar collapsed (the slide alone); » opens it.
        page.locator("[data-testid=stExpandSidebarButton]").click()
        page.wait_for_timeout(500)
    pick_district(page, "Nam Từ Liêm")
    move_end_year_back(page, 4)
    assert_no_error_box(page)
    if charted:
        assert assert_charts_drawn(page) > 0
    assert "Nam Từ Liêm" in page.inner_text("[data-testid=stSidebar] [data-testid=stMultiSelect]")
    assert (
        page.locator("[data-testid=stSidebar] [data-testid=stSliderThumbValue]").last.inner_text() == "2021"
    )
    if charted:
        assert "Nam Từ Liêm" in page.inner_text("[data-testid=stMain]")
        assert page.inner_text("[data-testid=stMain] h1") != heading_before
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{Path(path).stem}.png"))


def test_acceptance_nam_tu_liem_2021_and_a_copied_link(server, browser, page):
    page.goto(server)
    wait_idle(page)
    pick_district(page, "Nam Từ Liêm")
    move_end_year_back(page, 4)
    main = page.inner_text("[data-testid=stMain]")
    assert "Chỉ tiêu 32 · tỷ lệ đạt 118,75%" in main
    assert "Năm 2021" in page.inner_text("[data-testid=stMain] h1")
    link = page.url
    assert "district=" in link and "years=" in link

    other = browser.new_context(viewport={"width": 1440, "height": 2400})
    tab = other.new_page()
    try:
        tab.goto(link)
        wait_idle(tab)
        assert_no_error_box(tab)
        assert "Chỉ tiêu 32 · tỷ lệ đạt 118,75%" in tab.inner_text("[data-testid=stMain]")
        assert tab.inner_text("[data-testid=stMain] h1") == page.inner_text("[data-testid=stMain] h1")
    finally:
        other.close()


@pytest.mark.parametrize(
    "link,title_key",
    [
        (
            "/so-sanh?"
            + urllib.parse.urlencode({"district": "Quận Nam Từ Liêm", "years": ["2015", "2021"]}, doseq=True),
            "page.districts",
        ),
        ("/tong-quan", "page.overview"),
    ],
    ids=["so-sanh-district", "tong-quan"],
)
def test_a_deep_link_is_the_first_request_of_a_fresh_server(browser, demo_dir, tmp_path, link, title_key):
    # A copied link opened in a new tab, before anyone opened the app on this server: the page
    # it names opens with no "Page not found" dialog, whatever Streamlit knows of the pages yet.
    with running_server(demo_dir, tmp_path / "server.log") as base:
        context = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="vi-VN")
        try:
            tab = context.new_page()
            tab.goto(base + link)
            wait_idle(tab)
            tab.wait_for_timeout(1500)  # the dialog, if any, comes with the page's first message
            assert_no_error_box(tab)
            current = tab.locator("[data-testid=stSidebarNav] [aria-current=page]").inner_text()
            assert current.splitlines()[-1].strip() == t(title_key)  # after the icon's name
            if "district=" in link:
                sidebar = tab.inner_text("[data-testid=stSidebar] [data-testid=stMultiSelect]")
                assert "Nam Từ Liêm" in sidebar
                assert tab.locator("[data-testid=stSliderThumbValue]").last.inner_text() == "2021"
        finally:
            context.close()


def test_bad_url_parameter_shows_the_notice(server, page):
    page.goto(f"{server}/?grain=tuan&foo=1")
    wait_idle(page)
    assert_no_error_box(page)
    text = page.inner_text("[data-testid=stMain]")
    assert t("notice.bad_url_param", "vi", name="grain", value="tuan") in text
    assert t("notice.unknown_url_param", "vi", name="foo") in text


def test_axis_ticks_group_thousands_the_vietnamese_way(server, page):
    page.goto(f"{server}/xu-huong")
    wait_idle(page)
    assert_charts_drawn(page)
    ticks = page.eval_on_selector_all(
        "[data-testid=stPlotlyChart] .ytick text", "els => els.map(e => e.textContent)"
    )
    grouped = [tick for tick in ticks if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", tick)]
    assert grouped, f"no tick written like 1.000 among {ticks[:20]}"
    assert not [tick for tick in ticks if re.fullmatch(r"\d{4,}", tick)], "ungrouped ticks"


@pytest.mark.parametrize(
    "name,params,expected",
    [
        ("dien-bien-2020", {"province": "Tỉnh Điện Biên", "years": ["2015", "2020"]}, ["Tái phát (3)"]),
        (
            "nam-tu-liem-9m-2022",
            {"district": "Quận Nam Từ Liêm", "years": ["2015", "2022"], "grain": "9 tháng"},
            ["68,75%", "106,67%", "09/2022"],
        ),
    ],
)
def test_goals_page_judges_the_seed_targets(server, page, name, params, expected):
    from urllib.parse import urlencode

    # Open the app first, as a user does (a deep link as a fresh server's first request is
    # test_a_deep_link_is_the_first_request_of_a_fresh_server).
    page.goto(server)
    wait_idle(page)
    started = time.monotonic()
    page.goto(f"{server}/muc-tieu?{urlencode(params, doseq=True)}")
    wait_idle(page)
    TIMINGS[f"muc-tieu {name}"] = round(time.monotonic() - started, 2)
    assert_no_error_box(page)
    assert assert_charts_drawn(page) >= 1
    main = page.inner_text("[data-testid=stMain]")
    assert page.inner_text("[data-testid=stMain] h1").startswith("Mục tiêu:")
    for text in expected:
        assert text in main, text
    # Status cells are coloured with goal_charts.STATUS_COLORS (from dashboard.theme).
    assert page.locator("[data-testid=stTable] td", has_text="đạt").count() > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"muc-tieu_{name}.png"))


def test_map_page_draws_dien_bien_and_its_legend_counts_follow_the_year(server, page, newest_demo, geography):
    """Issue 4: every commune of Điện Biên drawn on the canvas; legend counts equal the query core."""
    import io
    import urllib.parse

    import numpy as np
    from PIL import Image

    from dashboard import maps, query, snapshot, theme

    snap = snapshot.load_snapshot(newest_demo, geography)

    def expected(year: int) -> dict[str, int]:
        frame = maps.map_frame(query.from_facts(snap.facts, geography), snap.status, geography, "11", year)
        return {item.key: item.count for item in maps.category_drawing(frame).legend}

    def shown() -> dict[str, int]:
        pairs = page.eval_on_selector_all(
            ".map-legend-count", "els => els.map(e => [e.dataset.key, e.textContent])"
        )
        return {key: int(text.replace(".", "")) for key, text in pairs}

    def drawn_pixels() -> np.ndarray:
        deck = page.locator("[data-testid=stDeckGlJsonChart]").first
        deck.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)  # deck.gl draws on the next animation frames
        return np.asarray(Image.open(io.BytesIO(deck.screenshot())).convert("RGB")).reshape(-1, 3)

    started = time.monotonic()
    page.goto(f"{server}/ban-do?province={urllib.parse.quote('Tỉnh Điện Biên')}")
    wait_idle(page)
    TIMINGS["ban-do-dien-bien"] = round(time.monotonic() - started, 2)
    # A "Page not found" dialog (an app-shell matter, checked by the test of every page) would
    # dim the canvas under its backdrop and skew the colours: close it first.
    if page.locator("[role=dialog]").count():
        page.keyboard.press("Escape")
        page.wait_for_timeout(500)
    assert_no_error_box(page)
    assert page.inner_text("[data-testid=stMain] h1").endswith("Tỉnh Điện Biên, năm 2025")
    assert shown() == expected(2025)

    pixels = drawn_pixels()
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    background = colours[counts.argmax()]
    assert (pixels != background).any(axis=1).sum() > 2_000, "the map canvas is blank"
    # Each category with communes shows up in its legend colour (points are opaque).
    for key, count in expected(2025).items():
        if not count:
            continue
        colour = np.array(maps.hex_to_rgb(theme.COMMUNE_CLASS_COLORS[key]))
        nearest = np.abs(pixels - colour).max(axis=1).min()
        assert nearest <= 12, f"no pixel in the colour of {key}"

    slider = page.locator("[data-testid=stMain] [data-testid=stSlider] input[type=range]").first
    slider.focus()
    page.keyboard.press("Home")
    wait_idle(page)
    assert_no_error_box(page)
    assert page.inner_text("[data-testid=stMain] h1").endswith("năm 2015")
    assert shown() == expected(2015) != expected(2025)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ban-do-dien-bien-2015.png"))
