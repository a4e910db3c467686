"""Every chart of the analysis pages offers PNG and SVG made on the server, in one download menu drawn
when opened; without a browser they say why."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import export
from dashboard.i18n import t
from tests.support.apptest import menus, open_menus

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["pages/tong_quan.py", "pages/xu_huong.py", "pages/so_sanh.py"]


def run(page: str, demo_dir: Path, monkeypatch, browser_path: str | None = None) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(demo_dir))
    if browser_path is not None:
        monkeypatch.setenv("BROWSER_PATH", browser_path)
    st.cache_resource.clear()  # the browser probe is cached per process
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(str(ROOT / page)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def buttons(at: AppTest) -> list:
    return [b.proto for b in at.get("download_button")]


@pytest.mark.parametrize("page", PAGES)
def test_each_chart_has_png_and_svg_buttons(page, demo_dir, monkeypatch):
    at = run(page, demo_dir, monkeypatch)
    charts = at.get("plotly_chart")
    assert charts
    images = [m for m in menus(at) if m.type == "popover" and m.proto.popover.label == t("export.menu")]
    assert len(images) == len(charts)
    # Closed, a menu sends no buttons; opened, each holds its chart's two.
    assert not [b for b in buttons(at) if b.label in (t("export.png"), t("export.svg"))]
    open_menus(at)
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.label for b in buttons(at)]
    assert labels.count(t("export.png")) == len(charts)
    assert labels.count(t("export.svg")) == len(charts)


def test_without_a_browser_the_buttons_say_what_to_install(demo_dir, monkeypatch, tmp_path):
    missing = str(tmp_path / "no-chromium")
    at = open_menus(run(PAGES[0], demo_dir, monkeypatch, browser_path=missing))
    images = [b for b in buttons(at) if b.label in (t("export.png"), t("export.svg"))]
    assert images and all(b.disabled for b in images)
    assert all("apt-get install chromium" in b.help for b in images)
    assert export.probe_browser({"BROWSER_PATH": missing}).ok is False
    st.cache_resource.clear()
