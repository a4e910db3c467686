"""Real browser: on the Xuất báo cáo page a click on a download button delivers the file.

It uses the browser tier's fixtures (``tests/browser/conftest.py``: headless Chromium through
Playwright, ``streamlit run`` on a free port); without a browser it is skipped the same way the
tier is.
"""

from __future__ import annotations

import io

from tests.support.browser import (
    SCREENSHOTS,
    assert_no_error_box,
    move_end_year_back,
    pick_district,
    wait_idle,
)


def test_word_report_download_delivers_a_document_with_the_seed_figures(server, page):
    import docx

    page.goto(server)
    wait_idle(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Xuất báo cáo").click()
    wait_idle(page, after_action=True)
    # A new user's choices: Quận Nam Từ Liêm, 9 months of 2022.
    pick_district(page, "Nam Từ Liêm")
    move_end_year_back(page, 3)
    grain = page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").last
    grain.click()
    page.get_by_role("option", name="9 tháng").click()
    wait_idle(page, after_action=True)
    assert_no_error_box(page)
    heading = page.inner_text("[data-testid=stMain] h1")
    assert heading == "Xuất báo cáo giao ban: Quận Nam Từ Liêm, 9 tháng 2022"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "xuat-bao-cao-nam-tu-liem-9-thang-2022.png"))
    button = page.get_by_role("button", name="Tải báo cáo (Word)")
    with page.expect_download(timeout=120_000) as event:
        button.click()
    download = event.value
    assert download.suggested_filename == "bao-cao_quan-nam-tu-liem_9-thang-2022.docx"
    document = docx.Document(io.BytesIO(download.path().read_bytes()))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Đưa đi cai nghiện bắt buộc: 22/32 (68,75%)" in body
    assert "Cai nghiện tự nguyện tại cơ sở cai nghiện: 64/60 (106,67%)" in body
