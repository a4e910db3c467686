"""Real browser: a conclusion from a missed target on Mục tiêu in three clicks at most, then the meeting page.

The server gets a data folder of its own (the demo snapshots linked in), so the meetings database
it writes is this module's alone.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from dashboard.i18n import t
from tests.support.browser import SCREENSHOTS, assert_no_error_box, wait_idle

VIEW = {
    "snapshot": "2025-12-31",
    "structure": "Cũ (trước 01/7/2025)",
    "district": "Quận Nam Từ Liêm",
    "years": ["2015", "2025"],
    "grain": "Tháng",
    "period": "Tháng 11/2025",
}


@pytest.fixture(scope="module")
def server(serve, demo_dir, tmp_path_factory):
    data = tmp_path_factory.mktemp("meetings_data")
    (data / "snapshots").symlink_to(demo_dir / "snapshots", target_is_directory=True)
    return serve(data), data


def test_three_clicks_from_a_missed_target_to_a_recorded_conclusion(server, page):
    base, data = server
    page.goto(f"{base}/muc-tieu?{urlencode(VIEW, doseq=True)}")
    wait_idle(page)
    assert_no_error_box(page)
    main = page.locator("[data-testid=stMain]")
    assert t("cl.section") in main.inner_text()
    card = main.locator("[class*=st-key-cl_target_]", has_text="Đưa đi cai nghiện bắt buộc").last
    assert "có nguy cơ (11 tháng 2025)" in card.inner_text() and t("cl.none_for_target") in card.inner_text()

    clicks = 0
    card.get_by_role("button", name=t("cl.record")).click()  # 1: the target's button
    clicks += 1
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=30_000)
    assert "Đưa đi cai nghiện bắt buộc — Quận Nam Từ Liêm" in dialog.inner_text()
    assert (
        "giao ban tháng 11/2025 của Quận Nam Từ Liêm" in dialog.inner_text()
    )  # the page's unit and period make the meeting
    dialog.get_by_label(t("cl.text")).fill(
        "Công an quận chủ trì rà soát, lập hồ sơ đưa 4 người đi cai nghiện"
    )
    dialog.get_by_label(t("cl.responsible")).fill("Công an quận")
    dialog.get_by_label(t("cl.responsible")).press("Tab")  # typing is not a click; Tab commits the field
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ket-luan_form.png"))
    dialog.get_by_role("button", name=t("cl.save")).click()  # 2: save
    clicks += 1
    wait_idle(page, after_action=True)
    assert clicks <= 3
    assert_no_error_box(page)
    assert page.get_by_role("dialog").count() == 0
    card = main.locator("[class*=st-key-cl_target_]", has_text="Đưa đi cai nghiện bắt buộc").last
    text = card.inner_text()
    assert "Công an quận chủ trì rà soát, lập hồ sơ đưa 4 người đi cai nghiện" in text
    assert "chưa thực hiện" in text
    assert "Đã ghi kết luận số 1" in main.inner_text()
    assert (data / "meetings.sqlite").is_file()
    page.screenshot(path=str(SCREENSHOTS / "ket-luan_muc-tieu.png"), full_page=True)

    # The meeting page lists it, with its history.
    page.goto(f"{base}/ket-luan")
    wait_idle(page)
    assert_no_error_box(page)
    shown = page.inner_text("[data-testid=stMain]")
    assert "Giao ban tháng 11/2025 — Quận Nam Từ Liêm" in shown
    assert "Công an quận chủ trì rà soát" in shown
    page.screenshot(path=str(SCREENSHOTS / "ket-luan_page.png"), full_page=True)

    # Its link reopens the meeting's view: the same unit, period and snapshot on Mục tiêu.
    link = page.get_by_role("link", name=t("mt.reopen")).get_attribute("href")
    page.goto(f"{base}/{link.removeprefix('./')}")
    wait_idle(page)
    assert_no_error_box(page)
    assert page.inner_text("[data-testid=stMain] h1") == "Mục tiêu: Quận Nam Từ Liêm, Tháng 11/2025"
    assert "Công an quận chủ trì rà soát" in page.inner_text("[data-testid=stMain]")


def test_an_empty_conclusion_is_refused_in_the_form_and_what_was_typed_stays(server, page):
    base, _ = server
    page.goto(f"{base}/muc-tieu?{urlencode(VIEW, doseq=True)}")
    wait_idle(page)
    main = page.locator("[data-testid=stMain]")
    card = main.locator("[class*=st-key-cl_target_]", has_text="Cai nghiện tự nguyện tại gia đình").last
    card.get_by_role("button", name=t("cl.record")).click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=30_000)
    dialog.get_by_label(t("cl.responsible")).fill("Phòng Lao động")
    dialog.get_by_label(t("cl.responsible")).press("Tab")
    page.wait_for_timeout(500)
    dialog.get_by_role("button", name=t("cl.save")).click()
    page.wait_for_timeout(2_000)
    wait_idle(page)
    assert "Nội dung kết luận không được để trống" in dialog.inner_text()
    assert dialog.get_by_label(t("cl.responsible")).input_value() == "Phòng Lao động"
