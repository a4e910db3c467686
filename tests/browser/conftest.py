"""The browser tier's fixtures: one Chromium per module, a fresh tab per test, and servers.

Without Chromium (or Playwright) the tier is skipped with a plain message, except under
``CI=true``, where a missing browser fails: CI installs it first (``.ci/run``), so its absence
there is a broken setup, not a reason to pass.
"""

from __future__ import annotations

import contextlib
import json
import os

import pytest

from tests.support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, TIMINGS, missing_browser
from tests.support.server import running_server


@pytest.fixture(scope="module")
def browser():
    problem = missing_browser()
    if problem:
        message = f"{problem}: SKIPPED the real-browser suite (tests/browser)."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " CI must run it (.ci/run installs chromium).")
        pytest.skip(message + " Install it with: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def serve(browser, tmp_path_factory):
    """``serve(data_dir, env=None)`` starts the app over ``data_dir`` and returns its base URL;
    every server a module starts stops when its tests are done (``env`` as in ``running_server``)."""
    with contextlib.ExitStack() as servers:

        def start(data_dir, env: dict[str, str] | None = None) -> str:
            log = tmp_path_factory.mktemp("streamlit") / "server.log"
            return servers.enter_context(running_server(data_dir, log, env))

        yield start


@pytest.fixture(scope="module")
def server(serve, demo_dir):
    """The app over the demo data."""
    yield serve(demo_dir)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if TIMINGS:
        (ARTIFACTS / "browser_timings.json").write_text(json.dumps(TIMINGS, indent=2) + "\n")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="vi-VN")
    tab = context.new_page()
    yield tab
    context.close()
