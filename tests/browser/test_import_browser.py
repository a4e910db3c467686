"""Real browser, as a new user on the Dữ liệu page: the base chosen, the template filled for a new
unit (Phường Hoàng Mai, Hà Nội, 11/2026) → import → seen on the overview in the new units with the
2025–2026 history; a broken file is refused with row-level messages and nothing changes on disk.

Runs its own server on a copy of every demo snapshot (an import writes a snapshot), with the
browser tier's fixtures and ``tests/support/browser.py``'s helpers.
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

from tests.support import cards
from tests.support.browser import (
    RUN_TIMEOUT_MS,
    SCREENSHOTS,
    assert_charts_drawn,
    assert_no_error_box,
    wait_idle,
)


@pytest.fixture(scope="module")
def data_copy(reform_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("import-data")
    shutil.copytree(reform_dir / "snapshots", root / "snapshots")
    return root


@pytest.fixture(scope="module")
def import_server(serve, data_copy):
    return serve(data_copy)


def tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "snapshots").rglob("*"))
        if p.is_file() and ".validated" not in p.parts
    }


def open_data_page(tab, base: str) -> None:
    """The Dữ liệu page, with the newest snapshot (the demo) chosen on purpose as the import's base."""
    tab.goto(base + "/du-lieu")
    wait_idle(tab)
    assert_no_error_box(tab)
    # The demo is never the default base: the upload appears once a base is chosen.
    assert tab.locator("[data-testid=stFileUploader]").count() == 0
    box = tab.locator("[data-testid=stSelectbox]", has_text="Bản chụp nền")
    box.locator("input").click()
    tab.get_by_role("option", name="Bản chụp mới nhất (hiện là 2026-10-31 — dữ liệu minh họa)").click()
    wait_idle(tab, after_action=True)
    tab.wait_for_selector("[data-testid=stFileUploader]", timeout=RUN_TIMEOUT_MS)


def upload(tab, name: str, data: bytes, mime: str) -> None:
    tab.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )
    # The check's verdict (a success or an error box) is what the user waits for.
    tab.wait_for_selector(
        "[data-testid=stAlertContentSuccess], [data-testid=stAlertContentError]",
        timeout=RUN_TIMEOUT_MS,
    )
    wait_idle(tab)


def test_a_broken_file_is_refused_row_by_row_and_nothing_changes(import_server, page, data_copy):
    before = tree(data_copy)
    open_data_page(page, import_server)
    csv = (
        "Mã đơn vị,Kỳ báo cáo,Chỉ tiêu,Giá trị\n"
        "019,11/2026,compulsory_rehab,-4\n"  # a district after 07/2025, a negative value
        "Phường Cầu Diễn,11/2026,drug_users,3\n"  # an old ward after 07/2025
    )
    upload(page, "hong.csv", csv.encode("utf-8"), "text/csv")
    errors = page.locator("[data-testid=stAlertContentError]")
    assert errors.count() == 1 and "3 lỗi" in errors.inner_text()
    table = page.locator("[data-testid=stTable]").last.inner_text()
    assert "dòng 2" in table and "dòng 3" in table
    assert "cấp huyện đã bỏ từ 01/7/2025" in table and "đơn vị hành chính cũ" in table
    assert page.get_by_role("button", name="Nhập thành bản chụp mới").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "du-lieu_tep-loi.png"))
    assert tree(data_copy) == before


def test_template_filled_for_a_new_ward_imported_and_seen_on_the_overview(import_server, page, data_copy):
    open_data_page(page, import_server)
    with page.expect_download(timeout=60_000) as event:
        page.get_by_role("button", name="Tải mẫu báo cáo (Excel)").click()
    book = openpyxl.load_workbook(io.BytesIO(event.value.path().read_bytes()))
    # The template lists the new units: the clerk finds the ward there.
    units = {
        row[1]: row[0] for row in book["Đơn vị mới (từ 01-7-2025)"].iter_rows(min_row=2, values_only=True)
    }
    assert units["Phường Hoàng Mai"] in ("00331", "17110")
    sheet = book["Số liệu"]
    sheet.append(["Phường Hoàng Mai, Hà Nội", "11/2026", "Người nghiện có hồ sơ quản lý", "321"])
    filled = io.BytesIO()
    book.save(filled)

    upload(
        page,
        "hoang-mai-11-2026.xlsx",
        filled.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert page.locator("[data-testid=stAlertContentError]").count() == 0
    # The date the figures stand at is proposed from the file: the end of November 2026.
    page.screenshot(path=str(SCREENSHOTS / "du-lieu_kiem-tra-tep.png"))
    assert page.locator("[data-testid=stDateInput] input").first.input_value() in ("30/11/2026", "2026-11-30")
    page.get_by_role("button", name="Nhập thành bản chụp mới").click()
    wait_idle(page, after_action=True)
    created = sorted(p.name for p in (data_copy / "snapshots").iterdir() if not p.name.startswith("."))[-1]
    assert (
        f"Đã tạo bản chụp {created} (số liệu tính đến ngày 30/11/2026)"
        in page.locator("[data-testid=stMain]").inner_text()
    )
    page.screenshot(path=str(SCREENSHOTS / "du-lieu_da-nhap.png"))

    # A new visit opens the newest snapshot, in the new units.
    query = urllib.parse.urlencode(
        [
            ("province", "Thành phố Hà Nội"),
            ("communes_2025", "Phường Hoàng Mai"),
            ("years", "2025"),
            ("years", "2026"),
            ("grain", "Tháng"),
        ]
    )
    page.goto(f"{import_server}/?{query}")
    wait_idle(page)
    assert_no_error_box(page)
    page.screenshot(path=str(SCREENSHOTS / "tong-quan_sau-khi-nhap.png"))
    assert "Mới (từ 01/7/2025)" in page.locator("[data-testid=stSidebar]").inner_text()
    main = page.locator("[data-testid=stMain]").inner_text()
    assert "Tổng quan: Phường Hoàng Mai, Tháng 11/2026" in main
    # The source line names the new snapshot's file and base.
    assert "Nhập từ tệp hoang-mai-11-2026.xlsx (số liệu tính đến ngày 30/11/2026)" in main
    label = page.locator(cards.LABEL, has_text="Người nghiện có hồ sơ quản lý")
    addicts = page.locator(cards.CARD, has=label)
    assert addicts.first.locator(cards.VALUE).inner_text().strip() == "321"
    # The 2025–2026 history is there: the trend from 2025 is drawn.
    assert assert_charts_drawn(page) > 0
    page.screenshot(path=str(SCREENSHOTS / "tong-quan_sau-khi-nhap.png"))
