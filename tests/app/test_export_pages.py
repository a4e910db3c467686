"""AppTest of the export page (Xuất báo cáo) and presentation mode (Trình chiếu) on the demo data."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.support.apptest import open_menus

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "ui" / "app.py"
EXPORT_PAGE = "pages/xuat_bao_cao.py"
PRESENT_PAGE = "pages/trinh_chieu.py"
NAM_TU_LIEM_9M_2022 = {
    "province": "Thành phố Hà Nội",
    "district": "Quận Nam Từ Liêm",
    "years": ["2015", "2022"],  # the end year is the report's year
    "grain": "9 tháng",
}
TIMEOUT = 180


def run(page: str, params: dict) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    at.switch_page(str(ROOT / page)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def download_labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_export_page_shows_the_seed_narrative_and_the_downloads(data_env):
    at = run(EXPORT_PAGE, NAM_TU_LIEM_9M_2022)
    assert at.title[0].value == "Xuất báo cáo giao ban: Quận Nam Từ Liêm, 9 tháng 2022"
    narrative = at.code[0].value
    assert "Tính đến ngày 30/09/2022, toàn quận có 445 người nghiện có hồ sơ quản lý" in narrative
    assert "đã đưa 22/32 người đi cai nghiện bắt buộc, đạt 68,75% chỉ tiêu" in narrative
    assert "Cai nghiện tự nguyện tại cơ sở cai nghiện: 64/60 (106,67%)" in narrative
    labels = download_labels(open_menus(at))
    assert labels[:3] == [
        "Tải bản trình chiếu (PowerPoint)",
        "Tải ảnh các biểu đồ (ZIP)",
        "Tải báo cáo (Word)",
    ]
    assert labels.count("Tải ảnh PNG") == labels.count("Tải ảnh SVG") == len(at.get("plotly_chart")) > 5


def test_choosing_fewer_sections_shortens_the_report(data_env):
    at = run(EXPORT_PAGE, NAM_TU_LIEM_9M_2022)
    at.multiselect(key="xb_sections").set_value(["hiv"]).run()
    narrative = at.code[0].value
    assert "người nhiễm HIV còn sống" in narrative and "cai nghiện bắt buộc" not in narrative
    assert len(at.get("plotly_chart")) == 1


def test_without_a_browser_the_page_says_what_to_install_and_keeps_working(data_env, monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chrome"))
    at = run(EXPORT_PAGE, NAM_TU_LIEM_9M_2022)
    warnings = " ".join(w.value for w in at.warning)
    assert "apt-get install chromium" in warnings and "plotly_get_chrome" in warnings
    assert "trong trình duyệt" in warnings  # the in-browser download still works
    buttons = {b.proto.label: b.proto.disabled for b in open_menus(at).get("download_button")}
    assert buttons["Tải bản trình chiếu (PowerPoint)"] and buttons["Tải ảnh PNG"]
    assert not buttons["Tải báo cáo (Word)"]  # the Word report comes without charts
    assert "445 người nghiện" in at.code[0].value


def test_presentation_walks_the_deck_order(data_env):
    at = run(PRESENT_PAGE, NAM_TU_LIEM_9M_2022)
    assert at.title[0].value.endswith("quận Nam Từ Liêm")  # the title slide names the committee
    next_button = next(b for b in at.button if b.label == "Tiếp")
    next_button.click().run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Người nghiện có hồ sơ quản lý"] == "445"
    assert metrics["Đưa đi cai nghiện bắt buộc"] == "22"
    next(b for b in at.button if b.label == "Tiếp").click().run()
    assert len(at.get("plotly_chart")) == 1
    next(b for b in at.button if b.label == "Trước").click().run()
    assert at.metric and not at.get("plotly_chart")
