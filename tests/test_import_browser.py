"""Real browser, as a new user on the Dữ liệu page: template → filled 9-month figures → import →
seen on the overview; a broken file is refused with row-level messages and nothing changes on disk.

Runs its own server on a copy of the demo data (an import writes a snapshot), with the browser
fixtures and helpers of ``tests/test_browser.py``.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import openpyxl
import pytest

test_browser = pytest.importorskip("test_browser", reason="tests/test_browser.py is not there")
browser = test_browser.browser
page = test_browser.page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def data_copy(demo_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("import-data")
    shutil.copytree(demo_dir / "snapshots", root / "snapshots")
    return root


@pytest.fixture(scope="module")
def import_server(browser, data_copy, tmp_path_factory):
    log = tmp_path_factory.mktemp("streamlit-import") / "server.log"
    with test_browser.running_server(data_copy, log) as base:
        yield base


def tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "snapshots").rglob("*"))
        if p.is_file() and ".validated" not in p.parts
    }


def open_data_page(tab, base: str) -> None:
    tab.goto(base + "/du-lieu")
    test_browser.wait_idle(tab)
    test_browser.assert_no_error_box(tab)


def upload(tab, name: str, data: bytes, mime: str) -> None:
    tab.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )
    # The check's verdict (a success or an error box) is what the user waits for.
    tab.wait_for_selector(
        "[data-testid=stAlertContentSuccess], [data-testid=stAlertContentError]",
        timeout=test_browser.RUN_TIMEOUT_MS,
    )
    test_browser.wait_idle(tab)


def test_a_broken_file_is_refused_row_by_row_and_nothing_changes(import_server, page, data_copy):
    before = tree(data_copy)
    open_data_page(page, import_server)
    csv = (
        "Mã đơn vị,Kỳ báo cáo,Chỉ tiêu,Giá trị\n"
        "019,9 tháng 2026,compulsory_rehab,-4\n"
        "Hoàng Mai,09/2026,drug_users,3\n"
    )
    upload(page, "hong.csv", csv.encode("utf-8"), "text/csv")
    errors = page.locator("[data-testid=stAlertContentError]")
    assert errors.count() == 1 and "2 lỗi" in errors.inner_text()
    table = page.locator("[data-testid=stTable]").last.inner_text()
    assert "dòng 2" in table and "dòng 3" in table
    assert page.get_by_role("button", name="Nhập thành bản chụp mới").count() == 0
    test_browser.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(test_browser.SCREENSHOTS / "du-lieu_tep-loi.png"))
    assert tree(data_copy) == before


def test_template_filled_imported_and_seen_on_the_overview(import_server, page, data_copy):
    open_data_page(page, import_server)
    with page.expect_download(timeout=60_000) as event:
        page.get_by_role("button", name="Tải mẫu báo cáo (Excel)").click()
    book = openpyxl.load_workbook(io.BytesIO(event.value.path().read_bytes()))
    sheet = book["Số liệu"]
    sheet.append(["Quận Nam Từ Liêm", "9 tháng 2026", "Đưa đi cai nghiện bắt buộc", "27"])
    sheet.append(["019", "09/2026", "Người nghiện có hồ sơ quản lý", "431"])
    filled = io.BytesIO()
    book.save(filled)

    upload(
        page,
        "nam-tu-liem-9-thang-2026.xlsx",
        filled.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert page.locator("[data-testid=stAlertContentError]").count() == 0
    # The date the figures stand at is proposed from the file: the end of September 2026.
    page.screenshot(path=str(test_browser.SCREENSHOTS / "du-lieu_kiem-tra-tep.png"))
    assert page.locator("[data-testid=stDateInput] input").first.input_value() in ("30/09/2026", "2026-09-30")
    page.get_by_role("button", name="Nhập thành bản chụp mới").click()
    test_browser.wait_idle(page, after_action=True)
    assert "Đã tạo bản chụp 2026-09-30" in page.locator("[data-testid=stMain]").inner_text()
    assert (data_copy / "snapshots" / "2026-09-30" / "manifest.json").is_file()

    query = urllib.parse.urlencode(
        [
            ("snapshot", "2026-09-30"),
            ("district", "Quận Nam Từ Liêm"),
            ("years", "2025"),
            ("years", "2026"),
            ("grain", "9 tháng"),
        ]
    )
    page.goto(f"{import_server}/?{query}")
    test_browser.wait_idle(page)
    test_browser.assert_no_error_box(page)
    main = page.locator("[data-testid=stMain]").inner_text()
    assert "Quận Nam Từ Liêm" in main and "9 tháng 2026" in main
    metric = page.locator("[data-testid=stMetric]", has_text="Đưa đi cai nghiện bắt buộc")
    assert metric.locator("[data-testid=stMetricValue]").inner_text().strip() == "27"
    addicts = page.locator("[data-testid=stMetric]", has_text="Người nghiện có hồ sơ quản lý")
    assert addicts.locator("[data-testid=stMetricValue]").inner_text().strip() == "431"
    page.screenshot(path=str(test_browser.SCREENSHOTS / "tong-quan_sau-khi-nhap.png"))
