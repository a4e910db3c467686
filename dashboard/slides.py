"""The meeting slides (python-pptx): title, KPIs, one slide per chart, the goals table, the map.

The slides follow :func:`dashboard.meeting.slide_order`, the order presentation mode walks.
Charts arrive as PNG bytes (``export.export_images``); a chart without an image gets a slide
that says so instead of a hole.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard import theme
from dashboard.catalog import CATALOG
from dashboard.export import export_images, file_name, write_atomic, zip_files
from dashboard.formatting import fmt_change_pct, fmt_date, fmt_number, fmt_value, period_in_sentence
from dashboard.frozen import stable_zip
from dashboard.i18n import t
from dashboard.meeting import Pack, slide_order
from dashboard.report import GOAL_COLUMN_KEYS, goal_columns, goal_rows, own_goals

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)


def rgb(colour: str) -> RGBColor:
    """A theme colour (``#RRGGBB``) as python-pptx wants it."""
    return RGBColor.from_string(colour.lstrip("#"))


DARK = rgb(theme.TEXT)
GREY = rgb(theme.MUTED_TEXT)
TONE_RGB = {tone: rgb(theme.text_color(colour)) for tone, colour in theme.CHANGE_TONE_COLORS.items()}
KPI_COLUMNS = 4
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5


def kpi_texts(pack: Pack, indicator: str, lang: str | None = None) -> tuple[str, str, str]:
    """(label, value, change) of a KPI card in ``lang`` (by default the pack's).

    E.g. ("Người nghiện có hồ sơ quản lý", "445", "-15 (-3,26%) so với cùng kỳ"); the value through
    ``formatting.fmt_value``.
    """
    lang = lang or pack.lang
    fig = pack.figures[indicator]
    percent = CATALOG[indicator].percent
    value = fmt_value(fig.value, indicator, lang)
    sign = "+" if fig.change is not None and fig.change > 0 else ""
    if fig.change is None:
        return CATALOG[indicator].label(lang), value, t("slides.no_previous", lang)
    if percent:
        change = t("slides.points", lang, value=sign + fmt_number(fig.change, lang, decimals=2))
    else:
        change = sign + fmt_number(fig.change, lang)
        if fig.change_pct is not None:
            change += f" ({fmt_change_pct(fig.change_pct, lang)})"
    return CATALOG[indicator].label(lang), value, f"{change} {t('slides.vs_same_period', lang)}"


def committee(pack: Pack) -> str:
    """The title of the slides: the committee's name in Vietnamese, the app's title and unit in English."""
    return pack.committee if pack.lang == "vi" else f"{t('app.title', pack.lang)} — {pack.unit_name}"


def _text(frame, text: str, size: int, *, bold: bool = False, color: RGBColor = DARK, align=None) -> None:
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    if align is not None:
        paragraph.alignment = align
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = theme.SLIDES_FONT
        run.font.color.rgb = color


def _add_line(frame, text: str, size: int, *, bold: bool = False, color: RGBColor = DARK) -> None:
    paragraph = frame.add_paragraph()
    paragraph.text = text
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = theme.SLIDES_FONT
        run.font.color.rgb = color


def _title_only(prs, title: str):
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = (
        Inches(0.4),
        Inches(0.2),
        SLIDE_WIDTH - Inches(0.8),
        Inches(0.9),
    )
    _text(shape.text_frame, title, 26, bold=True)
    return slide


def _title_slide(prs, pack: Pack) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    _text(slide.shapes.title.text_frame, committee(pack), 30, bold=True)
    lang = pack.lang
    lines = [
        t("slides.meeting", lang, period=period_in_sentence(pack.period_label, lang), unit=pack.unit_name),
        t("slides.as_of", lang, date=fmt_date(pack.period_end, lang), snapshot=fmt_date(pack.as_of, lang)),
        pack.area,
    ]
    if pack.demo:
        lines.append(t("slides.demo", lang))
    body = slide.placeholders[1].text_frame
    _text(body, lines[0], 24, bold=True)
    for line in lines[1:]:
        _add_line(body, line, 18, color=GREY)


def _kpi_slide(prs, pack: Pack) -> None:
    slide = _title_only(prs, f"{t('present.kpis', pack.lang)}: {pack.unit_name}, {pack.period_label}")
    rows = (len(pack.kpis) + KPI_COLUMNS - 1) // KPI_COLUMNS
    left0, top0 = Inches(0.4), Inches(1.3)
    gap = Inches(0.2)
    width = Emu(int((SLIDE_WIDTH - 2 * left0 - (KPI_COLUMNS - 1) * gap) / KPI_COLUMNS))
    height = Emu(int((SLIDE_HEIGHT - top0 - Inches(0.6) - (rows - 1) * gap) / max(rows, 1)))
    for i, indicator in enumerate(pack.kpis):
        label, value, change = kpi_texts(pack, indicator)
        left = left0 + (i % KPI_COLUMNS) * (width + gap)
        top = top0 + (i // KPI_COLUMNS) * (height + gap)
        box = slide.shapes.add_shape(1, left, top, width, height)  # 1: rectangle
        box.fill.solid()
        box.fill.fore_color.rgb = rgb(theme.CARD_FILL)
        box.line.color.rgb = rgb(theme.CARD_LINE)
        frame = box.text_frame
        _text(frame, label, 13, color=GREY)
        _add_line(frame, value, 32, bold=True)
        tone = pack.figures[indicator].tone
        # The glyph (✓ better, ✕ worse) carries the tone without its colour.
        _add_line(frame, f"{theme.CHANGE_TONE_GLYPHS[tone]} {change}", 12, color=TONE_RGB[tone])
    _footer(slide, pack)


def _footer(slide, pack: Pack) -> None:
    box = slide.shapes.add_textbox(
        Inches(0.4), SLIDE_HEIGHT - Inches(0.5), SLIDE_WIDTH - Inches(0.8), Inches(0.4)
    )
    _text(box.text_frame, pack.caption.source_line(), 11, color=GREY)


def _chart_slide(prs, pack: Pack, key: str, images: Mapping[str, bytes], missing: str | None) -> None:
    chart = pack.chart(key)
    slide = _title_only(prs, chart.title)
    notes = slide.notes_slide.notes_text_frame
    notes.text = chart.title
    top = Inches(1.15)
    if key in images:
        height = SLIDE_HEIGHT - top - Inches(0.1)
        width = Emu(int(height * 16 / 9))
        slide.shapes.add_picture(io.BytesIO(images[key]), int((SLIDE_WIDTH - width) / 2), top, width, height)
    else:
        box = slide.shapes.add_textbox(Inches(1), Inches(3), SLIDE_WIDTH - Inches(2), Inches(1.5))
        _text(
            box.text_frame,
            missing or t("slides.no_image", pack.lang),
            18,
            color=GREY,
            align=PP_ALIGN.CENTER,
        )
        _footer(slide, pack)
    if chart.section == "map" and pack.map_counts:
        notes.text += "\nSố xã theo phân loại: " + "; ".join(
            f"{k}: {fmt_number(v)}" for k, v in pack.map_counts.items()
        )


def _goals_slide(prs, pack: Pack) -> None:
    slide = _title_only(prs, f"{t('present.goals', pack.lang)}: {pack.unit_name}, {pack.period_label}")
    rows = goal_rows(pack, pack.lang)
    if not rows:
        box = slide.shapes.add_textbox(Inches(1), Inches(3), SLIDE_WIDTH - Inches(2), Inches(1))
        _text(box.text_frame, t("slides.no_goals", pack.lang), 18, color=GREY)
        return
    width = SLIDE_WIDTH - Inches(0.8)
    shape = slide.shapes.add_table(
        len(rows) + 1, len(GOAL_COLUMN_KEYS), Inches(0.4), Inches(1.3), width, Inches(0.5)
    )
    table = shape.table
    shares = (0.32, 0.22, 0.14, 0.12, 0.20)
    for column, share in zip(table.columns, shares, strict=True):
        column.width = Emu(int(width * share))
    for j, header in enumerate(goal_columns(pack.lang)):
        _text(table.cell(0, j).text_frame, header, 16, bold=True, color=rgb(theme.BACKGROUND))
    for i, (row, result) in enumerate(zip(rows, own_goals(pack), strict=True), start=1):
        for j, text in enumerate(row):
            _text(table.cell(i, j).text_frame, text, 16)
        status = theme.text_color(theme.GOAL_STATUS_COLORS[result.status])
        _text(table.cell(i, len(row) - 1).text_frame, row[-1], 16, bold=True, color=rgb(status))
    _footer(slide, pack)


def build_slides(
    pack: Pack, images: Mapping[str, bytes] | None = None, missing: str | None = None, *, follow_up=()
) -> bytes:
    """The slides as .pptx bytes. ``images`` maps chart keys to PNG bytes; ``missing`` is the
    message shown on a chart slide that has no image (e.g. why no browser could render it);
    ``follow_up`` (``conclusions.follow_up``) opens the slides after the title slide.

    The same pack gives the same bytes (``frozen.stable_zip``): a meeting's slides can be made again."""
    images = images or {}
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    prs.core_properties.title = f"{pack.committee} — {pack.period_label}"
    prs.core_properties.language = "vi-VN" if pack.lang == "vi" else "en-GB"
    for kind, key in slide_order(pack):
        if kind == "title":
            _title_slide(prs, pack)
            if follow_up:
                from dashboard import minutes

                minutes.add_follow_up_slides(prs, pack, follow_up)
        elif kind == "kpis":
            _kpi_slide(prs, pack)
        elif kind == "goals":
            _goals_slide(prs, pack)
        else:
            _chart_slide(prs, pack, key, images, missing)
    buffer = io.BytesIO()
    prs.save(buffer)
    return stable_zip(buffer.getvalue())


def write_slides(pack: Pack, path: Path | str, images: Mapping[str, bytes] | None = None) -> Path:
    """Write the slides atomically (a failed export leaves no half-written file)."""
    return write_atomic(path, build_slides(pack, images))


def chart_images(pack: Pack, **size) -> dict[str, bytes]:
    """Every chart of the pack as a captioned PNG, rendered in one browser, by chart key."""
    figures = [c.figure for c in pack.charts]
    return dict(zip([c.key for c in pack.charts], export_images(figures, pack.caption, **size), strict=True))


def image_names(pack: Pack) -> dict[str, str]:
    """Chart key → file name in slide order: "01_nguoi-nghien-..._quan-nam-tu-liem_9-thang-2022.png"."""
    return {
        c.key: file_name(f"{i:02d}", c.key.replace(".", "-"), pack.unit_name, pack.period_label, ext="png")
        for i, c in enumerate(pack.charts, start=1)
    }


def images_zip(pack: Pack, images: Mapping[str, bytes]) -> bytes:
    """The ZIP of all the chart PNGs, named in slide order."""
    names = image_names(pack)
    return zip_files([(names[key], data) for key, data in images.items() if key in names])


def slides_file_name(pack: Pack, ext: str = "pptx") -> str:
    return file_name("giao-ban", pack.unit_name, pack.period_label, ext=ext)
