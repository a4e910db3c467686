"""Conclusions in the meeting pack: the follow-up opening the next meeting, the *thông báo kết luận*.

The presentation (``slides.build_slides``) gets the follow-up slides after its title slide; the Word report
(``report.report_docx``) opens with the follow-up and ends with the notice of the meeting's own
conclusions, in the wording the standing offices use. Presentation mode shows the same rows. Every
figure comes from the conclusion's kept figures (then) and the pack's judged targets (now).
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard import theme
from dashboard.catalog import CATALOG
from dashboard.conclusions import STATUS_VI, Conclusion, FollowUpItem, Meeting
from dashboard.formatting import fmt_date, fmt_pct, fmt_value
from dashboard.goals import QUOTA_RULES, STATUSES, TargetResult, status_label
from dashboard.i18n import t

FOLLOW_UP_TITLE = "Kết quả thực hiện kết luận các cuộc họp trước"
FOLLOW_UP_COLUMNS: tuple[str, ...] = (
    "Kết luận",
    "Chủ trì",
    "Hạn",
    "Trạng thái",
    "Chỉ tiêu khi kết luận",
    "Hiện nay",
)
OVERDUE = "quá hạn"
NOTICE_TITLE = "Thông báo kết luận"
ROWS_PER_SLIDE = 5


def _status_words(status: str, lang: str) -> str:
    """A target's status in ``lang``. Conclusions recorded before statuses became ids kept the
    Vietnamese word itself (``then``), which is shown as it was kept."""
    return status_label(status, lang) if status in STATUSES else status


def figures_text(
    figures: dict | TargetResult | None, metric: str | None, rule: str | None, lang: str = "vi"
) -> str:
    """A target's standing in a few words: "25/34 (73,53%), chưa đạt (10 tháng 2025)"; "" without one.

    ``figures`` is what a conclusion kept (a dict, then) or a judged target (now). Vietnamese in
    the minutes; the screen passes its language.
    """
    if figures is None or metric is None:
        return ""
    get = figures.get if isinstance(figures, dict) else lambda name: getattr(figures, name)
    if not get("status"):
        return ""
    if rule in QUOTA_RULES:
        text = f"{fmt_value(get('actual'), metric, lang)}/{fmt_value(get('target'), metric, lang)}"
        if get("achievement_pct") is not None:
            text += f" ({fmt_pct(get('achievement_pct'), lang)})"
    else:
        text = fmt_value(get("actual"), metric, lang)
    months = get("months_elapsed")
    if get("partial") and months:
        when = t("goals.months_of", lang, months=months, year=get("year"))
    else:
        when = str(get("year"))
    return f"{text}, {_status_words(get('status'), lang)} ({when})"


def target_words(conclusion: Conclusion) -> str:
    """ "Đưa đi cai nghiện bắt buộc — Quận Nam Từ Liêm" (the target it answers), or ""."""
    if conclusion.metric is None:
        return ""
    label = conclusion.then.get("metric_label") or CATALOG[conclusion.metric].label_vi
    return f"{label} — {conclusion.then.get('unit_name', '')}".rstrip(" —")


def status_words(item: FollowUpItem) -> str:
    text = STATUS_VI[item.conclusion.status]
    if item.overdue:
        text += f" ({OVERDUE})"
    return text


def follow_up_rows(items: Sequence[FollowUpItem]) -> list[tuple[str, ...]]:
    """One row per conclusion (``FOLLOW_UP_COLUMNS``): overdue ones say so in the status."""
    rows = []
    for item in items:
        c = item.conclusion
        what = c.text
        target = target_words(c)
        if target:
            what += f" [{target}]"
        what += f" (giao ban {item.meeting.period_label})"
        if item.missing:
            now = "chỉ tiêu không còn trong bộ số liệu"
        else:
            now = figures_text(item.now, c.metric, c.rule)
        rows.append(
            (
                what,
                c.responsible,
                fmt_date(c.deadline),
                status_words(item),
                figures_text(c.then, c.metric, c.rule),
                now,
            )
        )
    return rows


def follow_up_summary(items: Sequence[FollowUpItem]) -> str:
    """ "3 kết luận: 1 đã hoàn thành, 2 đang thực hiện hoặc chưa thực hiện (1 quá hạn)."."""
    done = sum(1 for i in items if not i.conclusion.is_open)
    overdue = sum(1 for i in items if i.overdue)
    text = f"{len(items)} kết luận: {done} đã đóng (hoàn thành hoặc hủy), {len(items) - done} chưa xong"
    if overdue:
        text += f" ({overdue} {OVERDUE})"
    return text + "."


# --------------------------------------------------------------------------- slides


def add_follow_up_slides(prs, pack, items: Sequence[FollowUpItem]) -> None:
    """Slides of the follow-up table after the title slide, a few rows each; overdue rows in red."""
    from pptx.util import Emu, Inches

    from dashboard import slides

    rows = follow_up_rows(items)
    shares = (0.34, 0.14, 0.09, 0.13, 0.15, 0.15)
    for start in range(0, len(rows), ROWS_PER_SLIDE):
        chunk = rows[start : start + ROWS_PER_SLIDE]
        slide = slides._title_only(prs, f"{FOLLOW_UP_TITLE}: {pack.unit_name}")
        width = slides.SLIDE_WIDTH - Inches(0.8)
        table = slide.shapes.add_table(
            len(chunk) + 1, len(FOLLOW_UP_COLUMNS), Inches(0.4), Inches(1.2), width, Inches(0.5)
        ).table
        for column, share in zip(table.columns, shares, strict=True):
            column.width = Emu(int(width * share))
        for j, header in enumerate(FOLLOW_UP_COLUMNS):
            slides._text(
                table.cell(0, j).text_frame, header, 13, bold=True, color=slides.rgb(theme.BACKGROUND)
            )
        for i, row in enumerate(chunk, start=1):
            late = OVERDUE in row[3]
            for j, text in enumerate(row):
                colour = slides.TONE_RGB["bad"] if late and j == 3 else slides.DARK
                slides._text(table.cell(i, j).text_frame, text, 12, bold=late and j == 3, color=colour)
        slides._footer(slide, pack)


# --------------------------------------------------------------------------- Word


def add_follow_up_section(doc, pack, items: Sequence[FollowUpItem]) -> None:
    """The report's opening section: what became of earlier conclusions, then and now."""
    doc.add_heading(FOLLOW_UP_TITLE, level=2)
    doc.add_paragraph(follow_up_summary(items))
    table = doc.add_table(rows=1, cols=len(FOLLOW_UP_COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, FOLLOW_UP_COLUMNS, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in follow_up_rows(items):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def notice_paragraphs(pack, meeting: Meeting, conclusions: Sequence[Conclusion]) -> list[str]:
    """The *thông báo kết luận* of a meeting in the standing offices' wording, one paragraph each."""
    committee = pack.committee
    paragraphs = [
        f"Ngày {fmt_date(meeting.held_on)}, {committee} tổ chức họp giao ban công tác phòng, chống tội phạm, "
        f"tệ nạn ma túy, mại dâm và HIV/AIDS {meeting.period_label.lower()}. Sau khi nghe báo cáo kết quả "
        "thực hiện và ý kiến của các thành viên, đồng chí chủ trì cuộc họp kết luận, giao nhiệm vụ như sau:"
    ]
    for number, c in enumerate(conclusions, start=1):
        text = c.text.rstrip(".")
        line = f"{number}. Giao {c.responsible} chủ trì, phối hợp các cơ quan, đơn vị liên quan: {text}"
        if c.metric is not None:
            line += f" (chỉ tiêu {target_words(c)}: {figures_text(c.then, c.metric, c.rule)})"
        if c.deadline is not None:
            line += f"; báo cáo kết quả trước ngày {fmt_date(c.deadline)}"
        paragraphs.append(line + ".")
    paragraphs.append(
        f"Cơ quan Thường trực {committee} thông báo để các cơ quan, đơn vị biết, tổ chức thực hiện./."
    )
    return paragraphs


def add_notice_section(doc, pack, meeting: Meeting, conclusions: Sequence[Conclusion]) -> None:
    doc.add_heading(NOTICE_TITLE.upper(), level=2)
    for paragraph in notice_paragraphs(pack, meeting, conclusions):
        doc.add_paragraph(paragraph)
