"""Browser-felt time: from navigation to the page's charts drawn, in headless Chromium, one user.

``python -m dashboard browsertime`` starts the app (or targets ``--url``), opens each chosen page
in a fresh browser context (a new session, as a person opening the shared link), and times from
``goto`` until every chart of the page is drawn: each plotly chart has a drawn trace, each map a
canvas, and Streamlit's script run is over. One unreported visit per page warms the server first
(as at a meeting, not after a restart). Times are reported, never asserted (docs/BENCHMARK.md).

``--returning`` keeps one browser profile per page, each visit a new tab (a new session): a member
who has opened the dashboard before, whose browser holds Streamlit's scripts in its cache.
``--reference`` measures, in the same run, the load test's reference page (six metrics and one
plotly line, ``dashboard/ui/loadref.py``): what any Streamlit page with a chart takes to show in
this browser on this machine.

Chromium is ``/usr/bin/chromium`` (``CHROMIUM_PATH``), driven by Playwright as in the browser tests.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from dashboard import loadtest
from dashboard.formatting import fmt_number

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PAGES = ("", "xu-huong", "ban-do")
SETTLE_S = 1.0  # Tổng quan (the default page, at "/"), Xu hướng, Bản đồ
VIEWPORT = {"width": 1440, "height": 1000}
REFERENCE_NAME = "tham-chieu"  # the reference page's row in the results
CHARTS = "[data-testid=stPlotlyChart], [data-testid=stDeckGlJsonChart]"
# Every chart drawn: plotly has drawn a trace (lines, bars or heatmap cells), a map its canvas,
# and the script run that placed them is over (no chart still to come).
DRAWN_JS = (
    "() => {"
    " const app = document.querySelector('[data-testid=stApp]');"
    " if (!app || app.dataset.testScriptState === 'running') return false;"
    f" const charts = [...document.querySelectorAll('{CHARTS}')];"
    " if (!charts.length) return false;"
    " return charts.every(c => c.querySelector('g.trace, .hm image, canvas'));"
    " }"
)


def page_url(base: str, path: str, query: str) -> str:
    """``base/path?query`` with the query's values encoded as a copied link has them."""
    pairs = [p.split("=", 1) for p in query.split("&") if "=" in p]
    encoded = "&".join(f"{k}={quote(v)}" for k, v in pairs)
    return f"{base}/{path}" + (f"?{encoded}" if encoded else "")


def time_page(browser, url: str, timeout_s: float = 120, context=None) -> tuple[float, int]:
    """Seconds from navigation to every chart drawn, and how many charts: in a new context, or
    in a new tab of ``context`` (a returning visitor: the browser's cache is kept)."""
    own = context is None
    if own:
        context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    tab = context.new_page()
    try:
        start = time.perf_counter()
        tab.goto(url)
        # Charts arrive one after another: the time counts once every chart there is drawn and
        # no other has come for SETTLE_S (the wait for a late one is not counted).
        while True:
            tab.wait_for_function(DRAWN_JS, timeout=timeout_s * 1000, polling=25)
            seconds, charts = time.perf_counter() - start, tab.locator(CHARTS).count()
            tab.wait_for_timeout(SETTLE_S * 1000)
            if tab.locator(CHARTS).count() == charts and tab.evaluate(DRAWN_JS):
                return seconds, charts
    finally:
        tab.close()
        if own:
            context.close()


def _measure(browser, target: str, repeat: int, returning: bool) -> dict:
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN") if returning else None
    try:
        time_page(browser, target, context=context)  # warm-up, unreported
        times, charts = [], 0
        for _ in range(repeat):
            seconds, charts = time_page(browser, target, context=context)
            times.append(seconds)
    finally:
        if context is not None:
            context.close()
    return {"url": target, "times_s": times, "median_s": statistics.median(times), "charts": charts}


def run(
    pages: list[str],
    query: str,
    repeat: int = 3,
    url: str | None = None,
    data_dir: Path | None = None,
    returning: bool = False,
    reference: bool = False,
) -> dict[str, dict]:
    """For each page: every time measured, the median and the number of charts; with
    ``reference``, the reference page's too (under ``REFERENCE_NAME``)."""
    from playwright.sync_api import sync_playwright

    with contextlib.ExitStack() as stack:
        logs = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="browsertime-")))
        if url is None:
            url, _pid = stack.enter_context(loadtest.serving(None, logs / "app.log", data_dir=data_dir))
        play = stack.enter_context(sync_playwright())
        browser = play.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        results = {}
        for path in pages:
            results[path or "tong-quan"] = _measure(browser, page_url(url, path, query), repeat, returning)
        if reference:
            ref_url, _pid = stack.enter_context(
                loadtest.serving(loadtest.REFERENCE_SCRIPT, logs / "reference.log")
            )
            results[REFERENCE_NAME] = _measure(browser, ref_url + "/", repeat, returning)
        return results


def table(results: dict[str, dict]) -> str:
    lines = ["  trang          biểu đồ   trung vị s   các lần s"]
    for page, entry in results.items():
        each = ", ".join(fmt_number(t, "vi", 2) for t in entry["times_s"])
        median = fmt_number(entry["median_s"], "vi", 2)
        lines.append(f"  {page:<14} {entry['charts']:>7}   {median:>10}   {each}")
    return "\n".join(lines)
