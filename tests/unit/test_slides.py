"""The meeting deck: slide count and Vietnamese titles, KPIs and goals; the CLI export on the demo data."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from PIL import Image
from pptx import Presentation

from dashboard import cli, export, meeting, report, slides, theme
from dashboard import goals as goals_
from dashboard.catalog import CATALOG
from dashboard.i18n import t

NAM_TU_LIEM = "019"


@pytest.fixture(scope="module")
def pack(demo_snapshots, geography):
    return meeting.build_pack(demo_snapshots["2025-12-31"].in_geography(geography), NAM_TU_LIEM, 2022, "9m")


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def slide_texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) + "\n".join(
        cell.text
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    )


def test_slide_order_is_title_kpis_charts_goals_map(pack):
    order = meeting.slide_order(pack)
    assert order[:2] == [("title", None), ("kpis", None)]
    assert order[-2:] == [("goals", None), ("chart", "map.status")]
    assert [k for kind, k in order if kind == "chart"][:-1] == [
        c.key for c in pack.charts if c.section != "map"
    ]


def test_slides_open_with_one_slide_per_chart_and_vietnamese_titles(pack, tmp_path):
    images = {c.key: tiny_png() for c in pack.charts}
    path = slides.write_slides(pack, tmp_path / "giao-ban.pptx", images)
    prs = Presentation(str(path))
    shown = list(prs.slides)
    assert len(shown) == 1 + 1 + len(pack.charts) + 1  # title, KPIs, charts (map included), goals table
    titles = [s.shapes.title.text for s in shown]
    assert titles[0] == (
        "Ban chỉ đạo phòng, chống tội phạm, tệ nạn ma túy, mại dâm và HIV/AIDS quận Nam Từ Liêm"
    )
    assert titles[1] == "Số liệu chính: Quận Nam Từ Liêm, 9 tháng 2022"
    assert "Bảng thực hiện chỉ tiêu: Quận Nam Từ Liêm, 9 tháng 2022" in titles
    assert titles[-1] == "Phân loại xã, phường, thị trấn: Quận Nam Từ Liêm, năm 2022"
    assert {c.title for c in pack.charts} <= set(titles)
    assert "Giao ban 9 tháng 2022 — Quận Nam Từ Liêm" in slide_texts(shown[0])
    assert "Số liệu tính đến ngày 30/09/2022" in slide_texts(shown[0])
    pictures = sum(1 for s in shown for shape in s.shapes if shape.shape_type == 13)
    assert pictures == len(pack.charts)


def test_kpi_and_goals_slides_carry_the_numbers(pack):
    prs = Presentation(io.BytesIO(slides.build_slides(pack, {})))
    shown = list(prs.slides)
    kpis = slide_texts(shown[1])
    # Fewer addicts under management than a year earlier is better: ✓ says so without the colour.
    assert "Người nghiện có hồ sơ quản lý\n445\n✓ -15 (-3,26%) so với cùng kỳ" in kpis
    goals = next(s for s in shown if s.shapes.title.text.startswith("Bảng thực hiện chỉ tiêu"))
    text = slide_texts(goals)
    assert "Đưa đi cai nghiện bắt buộc" in text and "68,75%" in text and "106,67%" in text
    table = next(shape.table for shape in goals.shapes if shape.has_table)
    results = report.own_goals(pack)
    for i, result in enumerate(results, start=1):
        run = table.cell(i, len(report.GOAL_COLUMNS) - 1).text_frame.paragraphs[0].runs[0]
        assert run.text.startswith(theme.GOAL_STATUS_GLYPHS[result.status] + " ")
        assert str(run.font.color.rgb) == theme.text_color(theme.GOAL_STATUS_COLORS[result.status])[1:]
    assert {r.status for r in results} >= {goals_.MET, goals_.AT_RISK}


def test_a_chart_without_an_image_says_why(pack):
    prs = Presentation(io.BytesIO(slides.build_slides(pack, {}, missing="Không tìm thấy Chrome/Chromium")))
    chart_slide = list(prs.slides)[2]
    assert "Không tìm thấy Chrome/Chromium" in slide_texts(chart_slide)


def test_zip_names_follow_the_deck(pack):
    images = {c.key: tiny_png() for c in pack.charts}
    with zipfile.ZipFile(io.BytesIO(slides.images_zip(pack, images))) as archive:
        names = archive.namelist()
    assert names[0] == "01_drugs-trend_quan-nam-tu-liem_9-thang-2022.png"
    assert len(names) == len(pack.charts) and names[-1].endswith(
        "map-status_quan-nam-tu-liem_9-thang-2022.png"
    )


@pytest.mark.skipif(not export.probe_browser().ok, reason="no Chrome/Chromium here")
def test_cli_export_on_the_demo_data(newest_demo, tmp_path, capsys):
    out, word = tmp_path / "deck.pptx", tmp_path / "bao-cao.docx"
    code = cli.main(
        ["export", "--snapshot", str(newest_demo), "--unit", NAM_TU_LIEM, "--year", "2022", "--grain", "9m",
         "--out", str(out), "--report", str(word)]
    )  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0, printed
    prs = Presentation(str(out))
    assert len(prs.slides) == 14
    assert prs.slides[0].shapes.title.text.endswith("quận Nam Từ Liêm")
    body = "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    assert "22/32 người đi cai nghiện bắt buộc, đạt 68,75% chỉ tiêu" in body and "64/60" in body
    assert "giây/ảnh" in printed and "Quận Nam Từ Liêm, 9 tháng 2022" in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.docx", "deck.pptx"]  # no temporary files


def test_cli_export_without_a_browser_fails_clearly_and_writes_nothing(
    newest_demo, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chrome"))
    out = tmp_path / "deck.pptx"
    code = cli.main(["export", "--snapshot", str(newest_demo), "--unit", NAM_TU_LIEM, "--year", "2022",
                     "--out", str(out)])  # fmt: skip
    assert code == 1
    assert "apt-get install chromium" in capsys.readouterr().err
    assert not out.exists()


def test_cli_export_rejects_an_unknown_unit(newest_demo, tmp_path, capsys):
    code = cli.main(["export", "--snapshot", str(newest_demo), "--unit", "999", "--year", "2022",
                     "--out", str(tmp_path / "d.pptx")])  # fmt: skip
    assert code == 1 and "999" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "expected"), [([], 5), (["--small-count-threshold", "10"], 10), (["--show-small-counts"], None)]
)
def test_cli_export_hides_small_counts_by_default(newest_demo, tmp_path, monkeypatch, extra, expected):
    seen = {}

    class Stop(Exception):
        pass

    def capture(*args, **kwargs):
        seen.update(kwargs)
        raise Stop

    monkeypatch.setattr(meeting, "build_pack", capture)
    # The wiring is under test, not the browser: a machine without one must reach build_pack too.
    monkeypatch.setattr(export, "probe_browser", lambda: export.BrowserProbe("/bin/true"))
    with pytest.raises(Stop):
        cli.main(
            [
                "export",
                "--snapshot",
                str(newest_demo),
                "--unit",
                NAM_TU_LIEM,
                "--year",
                "2022",
                "--out",
                str(tmp_path / "d.pptx"),
                *extra,
            ]
        )
    assert seen["small_counts"] == expected


@pytest.fixture(scope="module")
def pack_en(demo_snapshots, geography):
    return meeting.build_pack(
        demo_snapshots["2025-12-31"].in_geography(geography), NAM_TU_LIEM, 2022, "9m", lang="en"
    )


def test_an_english_deck_speaks_english(pack_en):
    prs = Presentation(io.BytesIO(slides.build_slides(pack_en, {})))
    shown = list(prs.slides)
    assert shown[0].shapes.title.text.startswith(t("app.title", "en"))
    assert "Meeting review, 9 months 2022 — Quận Nam Từ Liêm" in slide_texts(shown[0])
    kpis = slide_texts(shown[1])
    assert shown[1].shapes.title.text.startswith("Key figures: Quận Nam Từ Liêm")
    assert CATALOG["addicts_managed"].label("en") in kpis
    assert "✓ -15 (-3.26%) vs. a year earlier" in kpis
    goals = next(s for s in shown if s.shapes.title.text.startswith("Goals table"))
    table = next(shape.table for shape in goals.shapes if shape.has_table)
    assert [c.text for c in table.rows[0].cells] == list(report.goal_columns("en"))
    body = slide_texts(goals)
    assert "68.75%" in body and "at risk of not being achieved" in body
    # The fixed words of the deck are all English: none of the Vietnamese ones is left.
    vietnamese = [
        t(k, "vi") for k in ("present.kpis", "present.goals", "slides.vs_same_period", "standing.met")
    ]
    for slide in shown:
        text = slide_texts(slide)
        assert not [w for w in vietnamese if w in text], slide.shapes.title.text


def test_kpi_texts_follow_the_packs_language(pack, pack_en):
    assert slides.kpi_texts(pack, "addicts_managed")[2] == "-15 (-3,26%) so với cùng kỳ"
    assert slides.kpi_texts(pack_en, "addicts_managed") == (
        CATALOG["addicts_managed"].label("en"),
        "445",
        "-15 (-3.26%) vs. a year earlier",
    )
