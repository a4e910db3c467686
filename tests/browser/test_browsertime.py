"""``browsertime`` opens a page in headless Chromium and reports when its charts are drawn."""

import os

import pytest

from dashboard import browsertime
from tests.support.browser import missing_browser


@pytest.fixture
def chromium():
    problem = missing_browser()
    if problem and os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{problem}: CI must run the browser suite (.ci/run installs chromium).")
    if problem:
        pytest.skip(f"{problem}: install it with apt-get install chromium")


def test_reports_the_time_until_every_chart_of_a_page_is_drawn(chromium, demo_dir):
    results = browsertime.run(["xu-huong"], "province=Tỉnh Điện Biên", repeat=1, data_dir=demo_dir)
    entry = results["xu-huong"]
    assert entry["url"].endswith("/xu-huong?province=T%E1%BB%89nh%20%C4%90i%E1%BB%87n%20Bi%C3%AAn")
    # Xu hướng draws two charts (values, change on a year earlier) per default indicator.
    assert entry["charts"] >= 2 and entry["charts"] % 2 == 0
    assert len(entry["times_s"]) == 1 and entry["median_s"] == entry["times_s"][0] > 0
    assert "xu-huong" in browsertime.table(results)


def test_a_returning_visitor_and_the_reference_page_are_timed_in_the_same_run(chromium, demo_dir):
    results = browsertime.run(
        [""], "province=Tỉnh Điện Biên", repeat=2, data_dir=demo_dir, returning=True, reference=True
    )
    assert set(results) == {"tong-quan", browsertime.REFERENCE_NAME}
    # The reference page draws its one plotly line; the overview its commune chart.
    assert results[browsertime.REFERENCE_NAME]["charts"] == 1
    assert results["tong-quan"]["charts"] >= 1
    for entry in results.values():
        assert len(entry["times_s"]) == 2 and all(t > 0 for t in entry["times_s"])
    assert browsertime.REFERENCE_NAME in browsertime.table(results)
