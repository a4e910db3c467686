"""Playwright with Debian's Chromium: where the browser is, which pages there are, and how a test
waits for a script run and checks what the page shows.

Screenshots go to ``artifacts/screenshots/`` and page timings to ``artifacts/browser_timings.json``.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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
# (file, url path) of every routed page, read from the navigation in dashboard/ui/app.py.
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
# Seconds until a page was drawn, by page; written out when a module's ``server`` fixture stops.
TIMINGS: dict[str, float] = {}


def missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    if not CHROMIUM.is_file():
        return f"Chromium not found at {CHROMIUM}"
    return None


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
    # A click while the page is still being drawn can be lost with the element it hit: try again
    # until a chart shows (at most three times).
    for _ in range(3):
        if not folded.count() or tab.locator("[data-testid=stPlotlyChart]:visible").count():
            break
        folded.first.click()
        tab.wait_for_timeout(1000)
    # Chart components are loaded lazily, a moment after the script run ends. Wait for one that
    # shows (the first in the page may still be folded).
    tab.wait_for_selector(
        "[data-testid=stPlotlyChart]:visible, [data-testid=stDeckGlJsonChart]:visible", timeout=60_000
    )
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
