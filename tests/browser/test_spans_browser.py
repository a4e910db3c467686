"""Real-browser run of Xu hướng on a cumulative total: a gap is shown and explained, never drawn as 0.

A province's report gives "11 tháng 2022" = 883 and "riêng tháng 11/2022" = 54 (and every month of
2021). By month, January–October 2022 are a shaded, labelled band with no point; by year, 2022
is 883 marked "11 tháng" and compared with January–November 2021. Screenshots go to
``artifacts/screenshots/spans_*.png``.
"""

from __future__ import annotations

import urllib.parse

import pytest

from dashboard import importing
from dashboard.catalog import CATALOG
from dashboard.i18n import t
from tests.support.browser import SCREENSHOTS, assert_no_error_box, wait_idle
from tests.support.data import workbook

THAI_NGUYEN = "19"
REHAB = "compulsory_rehab"


@pytest.fixture(scope="module")
def spans_server(serve, geography, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("spans_data")
    rows = [(THAI_NGUYEN, f"{m:02d}/2021", REHAB, str(60 + m)) for m in range(1, 13)]
    rows += [(THAI_NGUYEN, "11 tháng 2022", REHAB, "883"), (THAI_NGUYEN, "riêng tháng 11/2022", REHAB, "54")]
    report = importing.import_file(
        workbook(facts=rows), "tn.xlsx", data_dir, None, importing.NO_BASE, geography
    )
    assert report.ok, report.lines()
    return serve(data_dir)


def _url(base: str, grain: str) -> str:
    query = urllib.parse.urlencode(
        dict(
            province="Tỉnh Thái Nguyên",
            years=["2021", "2022"],
            grain=t(f"grain.{grain}"),
            indicators=CATALOG[REHAB].label_vi,
        ),
        doseq=True,
    )
    return f"{base}/xu-huong?{query}"


def _open(tab, url: str) -> None:
    """Go to ``url`` and wait until the run is over and both charts (series, change) are drawn."""
    tab.goto(url)
    wait_idle(tab)
    tab.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2")


def _drawn(tab) -> dict:
    """The first chart's x labels of drawn points, and its shaded bands' labels."""
    return tab.evaluate(
        """() => {
            const plot = document.querySelector('.js-plotly-plot');
            const points = plot.data.flatMap(tr => tr.x.filter((x, i) => tr.y[i] !== null));
            const notes = (plot.layout.annotations || []).map(a => a.text);
            const bands = (plot.layout.shapes || []).filter(s => s.type === 'rect').length;
            return {points, notes, bands};
        }"""
    )


def test_months_the_total_cannot_be_split_into_are_a_labelled_gap(spans_server, page):
    _open(page, _url(spans_server, "month"))
    assert_no_error_box(page)
    drawn = _drawn(page)
    assert "Tháng 11/2022" in drawn["points"]
    assert not any(p.endswith("/2022") and p != "Tháng 11/2022" for p in drawn["points"])  # no fake month
    assert t("value.gap") in drawn["notes"] and drawn["bands"] >= 1
    main = page.inner_text("[data-testid=stMain]")
    assert "Tháng 10/2022: không tách được theo kỳ này" in main
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "spans_month.png"), full_page=True)


def test_the_year_is_the_reported_total_against_the_same_months(spans_server, page):
    _open(page, _url(spans_server, "year"))
    assert_no_error_box(page)
    assert "(11 tháng)" in page.inner_text("[data-testid=stMain]")  # the year is marked as 11 months
    drawn = _drawn(page)
    assert not drawn["bands"]
    change = page.evaluate(
        "() => document.querySelectorAll('.js-plotly-plot')[1].data.flatMap(tr => Array.from(tr.y))"
    )
    # 883 in 2022 against 01–11/2021 = 61 + … + 71 = 726, not the whole of 2021 (798).
    assert [round(v, 2) for v in change if v is not None] == [round((883 - 726) / 726 * 100, 2)]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "spans_year.png"), full_page=True)
