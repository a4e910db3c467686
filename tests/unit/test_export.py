"""Chart export: pixel size, not blank, caption in the figure, SVG parses, no-browser path, atomic writes."""

from __future__ import annotations

import datetime as dt
import io
import os
import xml.etree.ElementTree as ET
import zipfile

import plotly.graph_objects as go
import polars as pl
import pytest
from PIL import Image

from dashboard import charts, export

CTX = export.CaptionContext(
    area="Quận Nam Từ Liêm, Thành phố Hà Nội",
    period="9 tháng 2022",
    as_of=dt.date(2025, 12, 31),
    source="Phòng Lao động – Thương binh và Xã hội",
    demo=False,
)
NEEDS_BROWSER = pytest.mark.skipif(not export.probe_browser().ok, reason="no Chrome/Chromium here")


@pytest.fixture(scope="module")
def chart() -> go.Figure:
    data = pl.DataFrame(
        {
            "period_label": ["9 tháng 2021", "9 tháng 2022"],
            "period": [dt.date(2021, 1, 1), dt.date(2022, 1, 1)],
            "value": [460.0, 445.0],
            "unit_name": ["Quận Nam Từ Liêm"] * 2,
        }
    )
    return charts.time_series(
        data,
        title="Người nghiện có hồ sơ quản lý: Quận Nam Từ Liêm",
        note="Nguồn: màn hình. Số liệu tính đến ngày 31/12/2025.",
    )


def test_caption_band_holds_title_context_date_and_source(chart):
    captioned = export.with_caption(chart, CTX)
    texts = export.caption_texts(captioned)
    assert texts[0] == "Người nghiện có hồ sơ quản lý: Quận Nam Từ Liêm"
    assert texts[1] == "Quận Nam Từ Liêm, Thành phố Hà Nội · 9 tháng 2022"
    assert texts[2] == "Nguồn: Phòng Lao động – Thương binh và Xã hội. Số liệu tính đến ngày 31/12/2025."
    # The on-screen note (an annotation or the title's subtitle) is replaced by the band, not
    # printed twice; the original figure is untouched.
    assert "Nguồn: màn hình" not in repr(captioned.to_dict())
    assert "Nguồn: màn hình" in repr(chart.to_dict())


def test_demo_data_is_said_in_the_source_line():
    demo_ctx = export.CaptionContext("Hà Nội", "Năm 2024", dt.date(2025, 12, 31), "demo", demo=True)
    assert demo_ctx.source_line().startswith("Dữ liệu minh họa (demo), không phải số liệu thật. Nguồn: demo.")


@NEEDS_BROWSER
def test_png_has_the_requested_size_and_is_not_blank(chart):
    png = export.export_image(chart, CTX, "png", width=800, height=450, scale=2)
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size == (1600, 900)
    low, high = image.getextrema()
    assert high - low > 100, "the image is blank"
    dark = sum(image.histogram()[:128])
    assert dark > 1000, "too little ink for a chart with a title, axes and a line"


@NEEDS_BROWSER
def test_svg_parses_and_carries_the_caption_text(chart):
    svg = export.export_image(chart, CTX, "svg", width=800, height=450, scale=1)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = " ".join(t for t in root.itertext())
    assert "Quận Nam Từ Liêm, Thành phố Hà Nội · 9 tháng 2022" in text
    assert "Số liệu tính đến ngày 31/12/2025" in text


@NEEDS_BROWSER
def test_a_batch_uses_one_browser_and_reports_seconds_per_image(chart):
    timing = export.time_batch([chart, chart, chart], width=400, height=225, scale=1)
    assert timing["images"] == 3 and timing["pixels"] == [400, 225]
    assert timing["per_image_seconds"] > 0 and timing["batch_seconds"] >= timing["per_image_seconds"]


def test_probe_reports_a_missing_browser_path_in_vietnamese(tmp_path):
    probe = export.probe_browser({"BROWSER_PATH": str(tmp_path / "khong-co-chrome")})
    assert not probe.ok
    assert "BROWSER_PATH=" in probe.message and "apt-get install chromium" in probe.message
    assert "plotly_get_chrome" in probe.message


def test_probe_accepts_an_executable_browser_path(tmp_path):
    fake = tmp_path / "chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert export.probe_browser({"BROWSER_PATH": str(fake)}) == export.BrowserProbe(str(fake))


def test_without_a_browser_rendering_raises_the_install_message(chart, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    with pytest.raises(export.BrowserUnavailable, match="Chromium"):
        export.export_image(chart, CTX)


def test_a_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "bieu-do.png"
    export.write_atomic(target, b"old")

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        export.write_atomic(target, b"new and longer")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["bieu-do.png"]  # no temporary file left


def test_write_atomic_creates_folders_and_a_readable_file(tmp_path):
    path = export.write_atomic(tmp_path / "a" / "b.bin", b"x")
    assert path.read_bytes() == b"x" and (path.stat().st_mode & 0o777) == 0o644


@pytest.mark.parametrize(
    "parts,expected",
    [
        (("Quận Nam Từ Liêm", "9 tháng 2022"), "quan-nam-tu-liem_9-thang-2022.png"),
        (
            ("Thành phố Hà Nội", "Năm 2024", "Đưa đi cai nghiện"),
            "thanh-pho-ha-noi_nam-2024_dua-di-cai-nghien.png",
        ),
    ],
)
def test_file_names_are_ascii(parts, expected):
    assert export.file_name(*parts, ext="png") == expected


def test_zip_keeps_names_and_order():
    data = export.zip_files([("01_a.png", b"a"), ("02_b.png", b"bb")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["01_a.png", "02_b.png"]
        assert archive.read("02_b.png") == b"bb"


def test_in_browser_download_is_slide_ready():
    config = export.plotly_config("quan-nam-tu-liem_9-thang-2022")
    assert config["toImageButtonOptions"] == {
        "format": "png",
        "filename": "quan-nam-tu-liem_9-thang-2022",
        "width": 1600,
        "height": 900,
        "scale": 2,
    }


def test_font_probe_is_quiet_when_vietnamese_fonts_are_installed():
    # CI installs fonts-noto-core; the probe says nothing then.
    assert export.probe_fonts() is None


def test_unknown_format_is_refused(chart):
    with pytest.raises(ValueError, match="Định dạng"):
        export.render(chart, "gif")
