"""Real browser, sign-in on (password mode): the attacks of an adversarial pass, replayed.

As a signed-out visitor (forged re-login cookies), the viewer of Quận Hoàng Mai (hostile links,
a file name turned into the snapshot's source, a direct link to the overview, a copied session
after signing out), a second viewer (a dozen wrong passwords) and the data manager of Quận Hoàng
Mai (an import naming Hà Nội, Nam Từ Liêm and one of its wards). Each test fails if its attack
works again. Runs its own server with the browser tier's fixtures and ``tests/support/browser.py``'s helpers.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import io
import json
import time
import urllib.parse

import bcrypt
import openpyxl
import pytest

from dashboard import importing
from dashboard.access import ACCESS_FILE_ENV
from dashboard.i18n import t
from dashboard.snapshot import load_snapshot
from tests.support import cards
from tests.support.browser import RUN_TIMEOUT_MS, SCREENSHOTS, SCRIPT_STATE, assert_no_error_box, wait_idle

PASSWORD = "mat-khau-dung"
COOKIE = "bcd_phien"
LINK = "[bấm vào đây](http://evil.example/lua)"
IMAGE = "![](http://evil.example/anh.png)"
SOURCE_FILE = f"{LINK}.xlsx"
USERS = {"hoangmai": ("viewer", "008"), "khoa": ("viewer", "008"), "quanly": ("data_manager", "008")}


@pytest.fixture(scope="module")
def secured(serve, demo_dir, geography, tmp_path_factory):
    root = tmp_path_factory.mktemp("secured")
    (root / "snapshots").mkdir()
    for sid in ("2024-12-31", "2025-12-31"):
        (root / "snapshots" / sid).symlink_to(demo_dir / "snapshots" / sid)
    # The newest snapshot's source is a file name written as a Markdown link (issue 16, attack 4).
    base = load_snapshot(root / "snapshots" / "2025-12-31", geography)
    book = openpyxl.load_workbook(io.BytesIO(importing.template_bytes()))
    # June 2025: the old units, as the version 1 base holds them (a later month is a 2025 unit).
    book[importing.SHEET_FACTS].append(["00301", "06/2025", "compulsory_rehab", "7"])
    data = io.BytesIO()
    book.save(data)
    done = importing.import_file(data.getvalue(), SOURCE_FILE, root, "2025-06-30", base, geography)
    assert done.written is not None, done.lines()
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    users = "".join(
        f"    {u}:\n      name: {u}\n      email: {u}@example.vn\n      password: '{hashed}'\n" for u in USERS
    )
    (root / "auth.yaml").write_text(
        f"credentials:\n  usernames:\n{users}cookie:\n  name: {COOKIE}\n"
        "  key: khoa-ky-cookie-dai-it-nhat-32-ky-tu-0123456789\n  expiry_days: 1\n",
        encoding="utf-8",
    )
    access = 'mode = "password"\ncredentials = "auth.yaml"\n' + "".join(
        f'[users.{u}]\nrole = "{role}"\nunits = ["{unit}"]\n' for u, (role, unit) in USERS.items()
    )
    (root / "access.toml").write_text(access, encoding="utf-8")
    return serve(root, {ACCESS_FILE_ENV: str(root / "access.toml")})  # read by the server it starts


def settle(tab) -> None:
    """Wait for the script run to end (the sign-in page has no h1 to wait for)."""
    with contextlib.suppress(Exception):
        tab.wait_for_function(f"() => {SCRIPT_STATE} === 'running'", timeout=2_000)
    tab.wait_for_function(f"() => {SCRIPT_STATE} === 'notRunning'", timeout=RUN_TIMEOUT_MS)
    tab.wait_for_timeout(700)


def sign_in(tab, base: str, user: str, password: str = PASSWORD, path: str = "") -> None:
    tab.goto(base + path)
    settle(tab)
    tab.get_by_label(t("auth.username")).fill(user)
    tab.get_by_label(t("auth.password")).fill(password)
    tab.get_by_role("button", name=t("auth.login")).click()
    # A right password reruns the page without the form; a wrong one (or a lockout) says so.
    tab.wait_for_function(
        "() => !document.querySelector('input[type=password]')"
        " || document.querySelector('[data-testid=stAlertContentError]')",
        timeout=RUN_TIMEOUT_MS,
    )
    settle(tab)


def on_sign_in_page(tab) -> bool:
    return tab.get_by_label(t("auth.password")).count() == 1 and tab.locator(cards.CARD).count() == 0


def assert_no_markdown_from(tab, requests: list[str]) -> None:
    # (The sidebar's page links carry the query string, URL-encoded: they are not what is looked for.)
    assert tab.locator("a[href*='://evil']").count() == 0, tab.locator("a[href*='evil']").evaluate_all(
        "l => l.map(a => a.href)"
    )
    assert tab.locator("img[src*='://evil']").count() == 0
    assert not [r for r in requests if "evil" in (urllib.parse.urlsplit(r).hostname or "")], requests


def _jwt(header: dict, payload: dict, key: bytes | None) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = part(json.dumps(header).encode()) + "." + part(json.dumps(payload).encode())
    signature = hmac.new(key, head.encode(), hashlib.sha512).digest() if key else b""
    return head + "." + part(signature)


@pytest.mark.parametrize(
    "header,key",
    [({"alg": "none", "typ": "JWT"}, None), ({"alg": "HS512", "typ": "JWT"}, b"khong-phai-khoa-that")],
    ids=["alg-none", "HS512"],
)
def test_visitor_with_a_forged_cookie_gets_the_sign_in_form_and_no_traceback(secured, browser, header, key):
    context = browser.new_context(locale="vi-VN")
    payload = {"username": "quanly", "exp_date": time.time() + 86_400}
    context.add_cookies([{"name": COOKIE, "value": _jwt(header, payload, key), "url": secured}])
    tab = context.new_page()
    tab.goto(secured)
    settle(tab)
    assert on_sign_in_page(tab)
    assert tab.locator("[data-testid=stException]").count() == 0
    assert "Traceback" not in tab.inner_text("body") and "site-packages" not in tab.inner_text("body")
    context.close()


def test_sign_out_ends_the_session_and_no_cookie_signs_in_again(secured, browser, page):
    sign_in(page, secured, "hoangmai")
    assert page.locator(cards.CARD).count() > 0
    assert not [c for c in page.context.cookies() if c["name"] == COOKIE]  # no re-login token at all
    copied = page.context.cookies()
    other = browser.new_context(locale="vi-VN")
    other.add_cookies(copied)
    tab = other.new_page()
    tab.goto(secured)
    settle(tab)
    assert on_sign_in_page(tab)  # another browser with everything copied: not signed in
    other.close()
    page.get_by_role("button", name=t("auth.logout")).click()
    settle(page)
    page.reload()
    settle(page)
    assert on_sign_in_page(page)


def test_a_dozen_wrong_passwords_lock_the_user_out(secured, page):
    page.goto(secured)
    settle(page)
    for _ in range(12):
        page.get_by_label(t("auth.username")).fill("khoa")
        page.get_by_label(t("auth.password")).fill("sai-mat-khau")
        page.get_by_role("button", name=t("auth.login")).click()
        settle(page)
    page.get_by_label(t("auth.username")).fill("khoa")
    page.get_by_label(t("auth.password")).fill(PASSWORD)
    page.get_by_role("button", name=t("auth.login")).click()
    settle(page)
    assert on_sign_in_page(page)
    assert t("auth.locked", seconds=0).split(":")[0] in page.inner_text("body")


def test_viewer_hostile_link_and_crafted_source_are_shown_as_text(secured, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    query = urllib.parse.urlencode({"grain": LINK, "district": IMAGE, f"x{IMAGE}": "1"})
    sign_in(page, secured, "hoangmai", path="/?" + query)
    assert_no_error_box(page)
    text = page.inner_text("[data-testid=stMain]").replace("\u200b", "")  # the zero width spaces of md_text
    assert LINK in text and IMAGE in text  # the notices quote the link as typed
    assert SOURCE_FILE in text  # the caption names the file as typed
    assert_no_markdown_from(page, requests)
    page.screenshot(path=str(SCREENSHOTS / "bao-mat_duong-dan-doc-hai.png"))


def test_viewer_direct_link_to_the_overview_opens_without_a_dialog(secured, page):
    sign_in(page, secured, "hoangmai", path="/tong-quan")
    wait_idle(page)
    assert_no_error_box(page)  # no "Page not found" dialog either
    assert page.locator(cards.CARD).count() > 0


def test_scoped_manager_import_of_other_units_gets_only_the_refusal(secured, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, secured, "quanly", path="/du-lieu")
    wait_idle(page)
    # The newest snapshot is demo data, never the default base: the upload appears once one is chosen.
    box = page.locator("[data-testid=stSelectbox]", has_text=t("data.base"))
    box.locator("input").click()
    page.get_by_role("option").filter(has_text=t("data.base_none")).click()
    page.wait_for_selector("[data-testid=stFileUploader]", timeout=RUN_TIMEOUT_MS)
    book = openpyxl.load_workbook(io.BytesIO(importing.template_bytes()))
    for code in ("01", "019", "00610"):
        book[importing.SHEET_FACTS].append([code, "năm 2024", "compulsory_rehab", "0"])
    book[importing.SHEET_FACTS].append(["00301", "năm 2024", "compulsory_rehab", IMAGE])
    data = io.BytesIO()
    book.save(data)
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        {"name": "ngoai-pham-vi.xlsx", "mimeType": "application/octet-stream", "buffer": data.getvalue()}
    )
    page.wait_for_selector("[data-testid=stAlertContentError]", timeout=RUN_TIMEOUT_MS)
    wait_idle(page)
    table = page.locator("[data-testid=stTable]").last.inner_text()
    assert table.count("ngoài phạm vi được phân quyền") == 3, table
    assert "tổng cộng dồn" not in table and "không phải là số" not in table  # nothing else, no figure
    assert_no_markdown_from(page, requests)
    # A file of the manager's own units: its bad cell is quoted as typed, not drawn as an image.
    book = openpyxl.load_workbook(io.BytesIO(importing.template_bytes()))
    book[importing.SHEET_FACTS].append(["00301", "năm 2024", "compulsory_rehab", IMAGE])
    data = io.BytesIO()
    book.save(data)
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        {"name": "hoang-mai.xlsx", "mimeType": "application/octet-stream", "buffer": data.getvalue()}
    )
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stTable]')?.innerText.includes('anh.png')",
        timeout=RUN_TIMEOUT_MS,
    )
    wait_idle(page)
    assert IMAGE in page.locator("[data-testid=stTable]").last.inner_text().replace("\u200b", "")
    assert_no_markdown_from(page, requests)
