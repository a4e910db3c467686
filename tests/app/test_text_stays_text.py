"""Text from a URL, a file name or a cell is shown as typed: never a Markdown link, image or heading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import history, importing, tables
from dashboard.formatting import md_text
from dashboard.snapshot import load_snapshot
from tests.support.data import workbook

ROOT = Path(__file__).resolve().parents[2]
LINK, IMAGE = "[x](http://evil)", "![](http://evil/img.png)"
# What Streamlit's Markdown would turn into a link or an image (GitHub-flavoured: bare URLs too).
ACTIVE = ("](", "![", "://", "www.", "@evil")
ZW = "\u200b"


def assert_plain(body: str) -> None:
    assert not [m for m in ACTIVE if m in body], body


def markdown_bodies(at: AppTest) -> list[str]:
    """Every element body Streamlit renders as Markdown, and every st.table cell."""
    kinds = ("markdown", "caption", "warning", "info", "error", "success", "title", "header", "subheader")
    bodies = [e.value for kind in kinds for e in at.get(kind)]
    bodies += [str(cell) for table in at.table for cell in table.value.to_numpy().ravel()]
    return bodies


@pytest.mark.parametrize(
    "text,shown",
    [
        # A zero-width space (ZW) breaks the bare-URL links the escapes do not stop.
        (LINK, r"\[x\]\(http\:" + ZW + r"\/\/evil\)"),
        (IMAGE, r"\!\[\]\(http\:" + ZW + r"\/\/evil\/img\.png\)"),
        ("www.evil.vn", "www" + ZW + r"\.evil\.vn"),
        ("ai@evil.vn", r"ai\@" + ZW + r"evil\.vn"),
        ("# tiêu đề\n- mục", r"\# tiêu đề \- mục"),
        (":red[đỏ] $x$ <b>", r"\:red\[đỏ\] \$x\$ \<b\>"),
        ("Phường Đức Giang 1.175", r"Phường Đức Giang 1\.175"),
    ],
)
def test_md_text_escapes_every_mark(text, shown):
    assert md_text(text) == shown
    assert_plain(md_text(text))


def test_a_markdown_link_in_url_parameters_is_shown_as_text(demo_dir, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(demo_dir))
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=120)
    at.query_params.update({"grain": LINK, "district": IMAGE, f"x{IMAGE}": "1", "years": "www.evil.vn"})
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    # The notices are there, naming what was asked for, as text.
    assert any(md_text(LINK) in w for w in warnings) and any(md_text(IMAGE) in w for w in warnings), warnings
    for body in markdown_bodies(at):
        assert_plain(body)


@pytest.fixture
def imported_from_a_crafted_name(demo_dir, geography, tmp_path) -> Path:
    data = tmp_path / "data"
    base_id = "2024-12-31"
    shutil.copytree(demo_dir / "snapshots" / base_id, data / "snapshots" / base_id)
    base = load_snapshot(data / "snapshots" / base_id, geography)
    book = workbook(facts=[("00301", "01/2025", "compulsory_rehab", 7)])
    done = importing.import_file(book, f"{LINK}.xlsx", data, "2025-01-31", base, geography)
    assert done.written is not None, done.lines()
    return data


@pytest.mark.parametrize("page", [None, "pages/xu_huong.py", "pages/xuat_bao_cao.py", "pages/trinh_chieu.py"])
def test_a_file_name_as_snapshot_source_is_shown_as_text(imported_from_a_crafted_name, monkeypatch, page):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(imported_from_a_crafted_name))
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=120)
    at.run()
    if page:
        at.switch_page(str(ROOT / page)).run()
    assert not at.exception
    bodies = markdown_bodies(at)
    assert any(md_text(LINK) in b for b in bodies), "the source (the file's name) is shown"
    for body in bodies:
        assert_plain(body)


def test_a_cell_in_the_import_problems_table_is_shown_as_text(demo_snapshots, geography):
    book = workbook(facts=[("00301", "01/2025", "compulsory_rehab", IMAGE), (LINK, "01/2025", "x", 1)])
    report = importing.check_import(book, f"{LINK}.xlsx", demo_snapshots["2024-12-31"], geography)
    raw = history.problems_table(report.errors, "vi")
    assert any(IMAGE in c for c in raw.to_numpy().ravel()), "the crafted cell is quoted"
    shown = tables.markdown_safe(raw)
    assert shown.height == raw.height
    for cell in shown.to_numpy().ravel():
        assert_plain(cell)
