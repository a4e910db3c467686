"""Real-browser run of the 2025 reform views on the demo data with the version 2 snapshot.

A user clicks the structure switch to the new units, picks Thành phố Đà Nẵng and reads one
addicts trend across July 2025 with the reform month marked; every page renders in both
structures without an error box. Screenshots go to ``artifacts/screenshots/reform_*.png``.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from dashboard.i18n import t
from tests.support.browser import (
    CHARTLESS,
    PAGES,
    SCREENSHOTS,
    assert_charts_drawn,
    assert_no_error_box,
    wait_idle,
)


@pytest.fixture(scope="module")
def reform_server(serve, reform_dir):
    return serve(reform_dir)


def _url(base: str, url_path: str, **params) -> str:
    query = urllib.parse.urlencode(params, doseq=True)
    return f"{base}/{url_path}?{query}" if query else f"{base}/{url_path}"


def _shot(tab, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"reform_{name}.png"), full_page=True)


def test_switch_to_the_new_units_and_read_da_nang_across_july_2025(reform_server, page):
    trends = next(url for path, url in PAGES if Path(path).stem == "xu_huong")
    page.goto(
        _url(
            reform_server,
            trends,
            structure=t("structure.legacy"),
            province="Tỉnh Quảng Nam",
            years=["2017", "2026"],
            grain=t("grain.month"),
        )
    )
    wait_idle(page)
    assert_no_error_box(page)
    # The switch, as a user clicks it.
    page.locator("[data-testid=stSidebar] [data-testid=stRadio]").filter(
        has_text=t("filter.structure")
    ).get_by_text(t("structure.2025")).click()
    wait_idle(page, after_action=True)
    assert_no_error_box(page)
    # Quảng Nam is part of Thành phố Đà Nẵng from 1 July 2025: the province follows, and the
    # sidebar offers its communes instead of districts.
    assert "Thành phố Đà Nẵng" in page.inner_text("[data-testid=stMain] h1")
    assert t("filter.commune") in page.inner_text("[data-testid=stSidebar]")
    assert urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)["province"] == ["Thành phố Đà Nẵng"]
    # A switch is no bad link: no warning about the address.
    assert page.locator("[data-testid=stAlertContentWarning]").count() == 0
    assert assert_charts_drawn(page) > 0
    first = page.locator("[data-testid=stPlotlyChart]").first
    # The reform month is drawn on the chart, in Vietnamese.
    assert t("chart.reform_marker") in first.inner_text()
    _shot(page, "xu_huong_da_nang")


@pytest.mark.parametrize("structure_id", ["2025", "legacy"])
@pytest.mark.parametrize("path,url_path", PAGES, ids=[Path(p[0]).stem for p in PAGES])
def test_every_page_renders_in_both_structures(reform_server, page, path, url_path, structure_id):
    province = "Thành phố Đà Nẵng" if structure_id == "2025" else "Tỉnh Quảng Nam"
    page.goto(_url(reform_server, url_path, structure=t(f"structure.{structure_id}"), province=province))
    wait_idle(page)
    assert_no_error_box(page)
    stem = Path(path).stem
    if stem == "muc_tieu" and structure_id == "legacy":
        # The year shown is 2026, whose targets are set for the new units: the page says so.
        assert t("structure.targets_new") in page.inner_text("[data-testid=stMain]")
    elif stem not in CHARTLESS:
        assert_charts_drawn(page)
    _shot(page, f"{structure_id}_{Path(path).stem}")
