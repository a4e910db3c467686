"""Real-browser tests: ``streamlit run`` on a free port, driven by Playwright with Debian's Chromium.

Without Chromium (or Playwright) the suite is skipped with a plain message, except under
``CI=true``, where a missing browser fails: CI installs it first (``.ci/run``), so its absence
there is a broken setup, not a reason to pass. Screenshots of every page go to
``artifacts/screenshots/`` and page timings to ``artifacts/browser_timings.json``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from dashboard import loadtest
from dashboard.i18n import t

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# (file, url path) of every routed page, read from the navigation in app.py.
_ROUTES = re.findall(
    r'page\("(pages/[^"]+\.py)",[^)]*?"([a-z0-9-]+)"(, default=True)?\)',
    (ROOT / "dashboard" / "ui" / "app.py").read_text(),
)
# The default page is served at "/", not at its url_path.
PAGES = [(path, "" if default else url_path) for path, url_path, default in _ROUTES]
# Pages that show tables or downloads only, by design: no chart is expected there.
# The presentation opens on its title slide; its charts come one at a time with "next".
CHARTLESS = {"du_lieu", "trinh_chieu", "ket_luan"}
RUN_TIMEOUT_MS = 90_000
TIMINGS: dict[str, float] = {}

pytestmark = pytest.mark.browser


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    if not CHROMIUM.is_file():
        return f"Chromium not found at {CHROMIUM}"
    return None


@pytest.fixture(scope="module")
def browser():
    problem = _missing_browser()
    if problem:
        message = f"{problem}: SKIPPED the real-browser suite (tests/test_browser.py)."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " CI must run it (.ci/run installs chromium).")
        pytest.skip(message + " Install it with: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(data_dir: Path, log: Path):
    """``python -m dashboard serve`` on a free localhost port over ``data_dir``; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "dashboard", "serve", *loadtest.streamlit_options(port)]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            loadtest.wait_healthy(base, process, log, timeout=60)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(browser, demo_dir, tmp_path_factory):
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with running_server(demo_dir, log) as base:
        yield base
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if TIMINGS:
        (ARTIFACTS / "browser_timings.json").write_text(json.dumps(TIMINGS, indent=2) + "\n")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="vi-VN")
    tab = context.new_page()
    yield tab
    context.close()


SCRIPT_STATE = "document.querySelector('[data-testid=stApp]')?.dataset.testScriptState"


def wait_idle(tab, after_action: bool = False) -> None:
    """Wait until the script run is over (``data-test-script-state``) and a heading is drawn."""
    if after_action:
        # The rerun a widget triggers may not have started yet; give it a moment to.
        with contextlib.suppress(Exception):  # a fast run may already be over
            tab.wait_for_function(f"() => {SCRIPT_STATE} === 'running'", timeout=3_000)
    tab.wait_for_function(f"() => {SCRIPT_STATE} === 'notRunning'", timeout=RUN_TIMEOUT_MS)
    tab.wait_for_selector("[data-testid=stMain] h1", timeout=RUN_TIMEOUT_MS)
    # Streamlit fades stale elements while a rerun is pending; let the last frame paint.
    tab.wait_for_timeout(700)


def assert_no_error_box(tab) -> None:
    assert tab.locator("[data-testid=stException]").count() == 0, tab.locator(
        "[data-testid=stException]"
    ).all_inner_texts()
    assert tab.locator("[data-testid=stAlertContentError]").count() == 0
    # Streamlit answers an unknown page with a "Page not found" dialog.
    assert tab.locator("[role=dialog]").count() == 0, tab.locator("[role=dialog]").all_inner_texts()


def assert_charts_drawn(tab) -> int:
    # The export page folds each chart in an expander: open the first one, as a user would
    # (once the charts are in the page; other expanders, such as the rules, stay closed).
    tab.wait_for_selector(
        "[data-testid=stPlotlyChart], [data-testid=stDeckGlJsonChart]", state="attached", timeout=60_000
    )
    folded = tab.locator(
        "[data-testid=stExpander]:has([data-testid=stPlotlyChart]) details:not([open]) > summary"
    )
    if folded.count() and not tab.locator("[data-testid=stPlotlyChart]:visible").count():
        folded.first.click()
    # Chart components are loaded lazily, a moment after the script run ends.
    tab.wait_for_selector("[data-testid=stPlotlyChart], [data-testid=stDeckGlJsonChart]", timeout=60_000)
    tab.wait_for_timeout(500)
    plotly = tab.locator("[data-testid=stPlotlyChart]:visible")
    decks = tab.locator("[data-testid=stDeckGlJsonChart]")
    assert plotly.count() + decks.count() > 0, "no chart on the page"
    for i in range(plotly.count()):
        chart = plotly.nth(i)
        chart.scroll_into_view_if_needed()
        # plotly.js is loaded lazily: wait for the first drawn trace (bars, lines or heatmap cells).
        chart.locator("g.trace, .hm image").first.wait_for(state="attached", timeout=60_000)
    for i in range(decks.count()):
        assert decks.nth(i).locator("canvas").count() > 0, f"map {i} has no canvas"
    return plotly.count() + decks.count()


def pick_district(tab, name: str) -> None:
    box = tab.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
    box.locator("input").click()
    box.locator("input").fill(name)
    tab.keyboard.press("Enter")
    tab.keyboard.press("Escape")
    wait_idle(tab, after_action=True)


def move_end_year_back(tab, steps: int) -> None:
    # The range slider's thumbs are visually hidden <input type=range>; the last one is the end year.
    end = tab.locator("[data-testid=stSidebar] [data-testid=stSlider] input[type=range]").last
    end.focus()
    for _ in range(steps):
        tab.keyboard.press("ArrowLeft")
    wait_idle(tab, after_action=True)


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

    from dashboard import maps, snapshot

    snap = snapshot.load_snapshot(newest_demo, geography)

    def expected(year: int) -> dict[str, int]:
        frame = maps.map_frame(snap.facts, snap.status, geography, "11", year)
        return {item.key: item.count for item in maps.category_view(frame).legend}

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
        colour = np.array(maps.hex_to_rgb(maps.CLASS_COLORS[key]))
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
