"""The written report: a Vietnamese narrative per section from templates, and the Word document.

The committees write prose ("Tính đến ngày 30/9/2022, toàn quận có 445 người nghiện có hồ sơ
quản lý, …; đưa 22/32 người đi cai nghiện bắt buộc, đạt 68,75% chỉ tiêu"). This module writes
the same kind of text from a :class:`dashboard.meeting.Pack`: every number comes from the
pack (``query.summarize`` and ``goals.evaluate``) through ``dashboard.formatting``; no
language model, no number typed by hand. A clause whose figure is missing is left out rather
than printed as "–".

Vietnamese only, whatever the screen's language: the report is an administrative document
(Nghị định 30/2020/NĐ-CP: administrative documents are written in Vietnamese, in its layout and
its fonts) filed by the committee, and its sentences are the committees' own formulas. The
English screen says so next to the download (``export.word_vietnamese``); the slides and the
chart images follow the screen's language.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dashboard import coverage, theme
from dashboard.catalog import CATALOG
from dashboard.export import write_atomic
from dashboard.formatting import fmt_date, fmt_number, fmt_pct, fmt_value, period_label
from dashboard.frozen import stable_zip
from dashboard.geography import COUNTRY_CODE
from dashboard.goal_charts import rule_label
from dashboard.goals import AT_RISK, MET, NO_DATA, QUOTA_RULES, TargetResult
from dashboard.i18n import t
from dashboard.meeting import SECTION_LABELS, Pack, lowercase_type, scope_word

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_SIZE_PT = 13
IMAGE_WIDTH_CM = 16


@dataclass(frozen=True)
class Section:
    """One section of the report: its key (``meeting.SECTIONS``), heading and paragraphs."""

    key: str
    heading: str
    paragraphs: tuple[str, ...]


# --------------------------------------------------------------------------- phrases


def _n(value: float | None, decimals: int = 0) -> str:
    return fmt_number(value, "vi", decimals)


def _unit(indicator: str) -> str:
    return CATALOG[indicator].unit_vi


def _label(indicator: str) -> str:
    """The catalog label inside a sentence: "Người nghiện …" → "người nghiện …"."""
    return lowercase_type(CATALOG[indicator].label_vi)


def period_phrase(pack: Pack) -> str:
    """The period as a report's prose names it: "9 tháng năm 2022", "quý 3 năm 2022", "năm 2022"."""
    label = period_label(pack.period, pack.grain, "vi")
    if pack.grain == "9m":
        return f"9 tháng năm {pack.year}"
    if pack.grain == "quarter":
        return label.replace("Quý ", "quý ").replace("/", " năm ")
    return lowercase_type(label)


def _previous_year_words(pack: Pack) -> str:
    return "cùng kỳ năm trước" if pack.grain == "year" else f"cùng kỳ năm {pack.year - 1}"


def change_phrase(pack: Pack, indicator: str, unit: str | None = None) -> str:
    """ " (giảm 15 người so với cùng kỳ năm 2021, tương ứng 3,26%)", or "" without a previous value."""
    fig = pack.figures.get(indicator)
    if fig is None or fig.value is None or fig.previous is None:
        return ""
    compared = (
        f"so với {_previous_year_words(pack)}" if pack.grain != "year" else f"so với năm {pack.year - 1}"
    )
    percent = CATALOG[indicator].percent
    diff = fig.value - fig.previous
    if (abs(diff) < 0.005) if percent else diff == 0:
        return f" (bằng {_previous_year_words(pack) if pack.grain != 'year' else f'năm {pack.year - 1}'})"
    word = "tăng" if diff > 0 else "giảm"
    if percent:
        return f" ({word} {_n(abs(diff), 2)} điểm phần trăm {compared})"
    text = f" ({word} {_n(abs(diff))} {unit or _unit(indicator)} {compared}"
    if fig.change_pct is not None:
        text += f", tương ứng {fmt_pct(abs(fig.change_pct))}"
    return text + ")"


def _clauses(pack: Pack, parts: Sequence[tuple[str, str]]) -> list[str]:
    """ "ở cộng đồng 232 người" for each (words, indicator) with a value."""
    out = []
    for words, indicator in parts:
        value = pack.value(indicator)
        if value is not None:
            out.append(f"{words} {_n(value)} {_unit(indicator)}")
    return out


def _quota(pack: Pack, metric: str) -> TargetResult | None:
    return next(
        (
            r
            for r in pack.goals
            if r.metric == metric and r.rule in QUOTA_RULES and r.unit_code == pack.unit_code
        ),
        None,
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    return _capital(text.strip()) + ("" if text.rstrip().endswith(".") else ".")


# --------------------------------------------------------------------------- sections


def _as_of_words(pack: Pack) -> str:
    return f"Tính đến ngày {fmt_date(pack.period_end)}"


def _scope(pack: Pack) -> str:
    return scope_word(pack.unit_name, "country" if pack.unit_code == COUNTRY_CODE else "unit")


def _drugs(pack: Pack) -> list[str]:
    scope = _scope(pack)
    paragraphs = []
    managed = pack.value("addicts_managed")
    if managed is not None:
        # "445 người nghiện có hồ sơ quản lý": the label already starts with the unit.
        text = f"{_as_of_words(pack)}, {scope} có {_n(managed)} {_label('addicts_managed')}"
        text += change_phrase(pack, "addicts_managed")
        parts = _clauses(
            pack,
            [
                ("ở cộng đồng", "addicts_in_community"),
                ("vắng mặt", "addicts_absent"),
                ("ở cơ sở cai nghiện", "addicts_in_rehab_center"),
                (
                    "đang thi hành án phạt tù, ở cơ sở giáo dục, trường giáo dưỡng",
                    "addicts_in_prison_or_school",
                ),
                ("xác định nghiện", "addicts_confirmed"),
            ],
        )
        if parts:
            text += ", trong đó " + "; ".join(parts)
        paragraphs.append(_sentence(text))
    others = []
    users = pack.value("drug_users")
    if users is not None:
        others.append(f"{_n(users)} {_label('drug_users')}{change_phrase(pack, 'drug_users')}")
    methadone = pack.value("methadone_patients")
    if methadone is not None:
        change = change_phrase(pack, "methadone_patients")
        others.append(f"{_n(methadone)} người đang điều trị thay thế bằng Methadone{change}")
    hotspots = pack.value("drug_hotspots")
    if hotspots is not None:
        others.append(
            f"{_n(hotspots)} {_label('drug_hotspots')}"
            if hotspots
            else "không có tụ điểm, điểm phức tạp về ma túy"
        )
    if others:
        paragraphs.append(_sentence(f"Trên địa bàn có {'; '.join(others)}"))
    communes = []
    for ind in ("key_communes", "complex_communes", "healthy_communes"):
        value = pack.value(ind)
        if value is not None:
            communes.append(f"{_n(value)} {_label(ind)}" if value else f"không có {_label(ind)}")
    if communes:
        paragraphs.append(_sentence(f"Năm {pack.year}, {scope} có " + "; ".join(communes)))
    return paragraphs


def _quota_clause(pack: Pack, metric: str, verb: str, words: str) -> str | None:
    """ "đưa 22/32 người đi cai nghiện bắt buộc, đạt 68,75% chỉ tiêu" (or without the quota)."""
    value = pack.value(metric)
    if value is None:
        return None
    quota = _quota(pack, metric)
    if quota is not None and quota.actual is not None and quota.target:
        text = f"{verb} {_n(quota.actual)}/{_n(quota.target)} {words}"
        if quota.achievement_pct is not None:
            text += f", đạt {fmt_pct(quota.achievement_pct)} chỉ tiêu"
    else:
        text = f"{verb} {_n(value)} {words}"
    previous = pack.figures[metric].previous
    if previous is not None:
        text += f" ({_previous_year_words(pack)}: {_n(previous)} {_unit(metric)})"
    return text


def _rehab(pack: Pack) -> list[str]:
    paragraphs = []
    clauses = [
        _quota_clause(pack, "compulsory_rehab", "đã đưa", "người đi cai nghiện bắt buộc"),
        _quota_clause(
            pack,
            "voluntary_rehab_center",
            "vận động",
            "người nghiện ma túy tham gia cai nghiện tự nguyện tại cơ sở cai nghiện",
        ),
        _quota_clause(
            pack, "home_community_rehab", "vận động", "người cai nghiện tự nguyện tại gia đình, cộng đồng"
        ),
    ]
    clauses = [c for c in clauses if c]
    if clauses:
        paragraphs.append(_sentence(f"Trong {period_phrase(pack)}, {_scope(pack)} " + "; ".join(clauses)))
    post = []
    returnees = pack.value("post_rehab_returnees")
    managed = pack.value("post_rehab_managed")
    if returnees is not None:
        text = f"có {_n(returnees)} người hoàn thành cai nghiện trở về địa phương"
        if managed is not None:
            text += f", trong đó {_n(managed)} người được quản lý sau cai nghiện"
            share = pack.value("post_rehab_managed_share")
            if share is not None:
                text += f" ({fmt_pct(share)})"
        post.append(text)
    for indicator, words in (
        ("post_rehab_supported", "được giúp đỡ, tạo việc làm, học nghề"),
        ("post_rehab_loans", "được hỗ trợ vay vốn"),
        ("vocational_training", "được dạy nghề"),
    ):
        value = pack.value(indicator)
        if value:
            post.append(f"{_n(value)} {_unit(indicator)} {words}")
    if post:
        paragraphs.append(_sentence(f"Về quản lý sau cai nghiện, {'; '.join(post)}"))
    cases = pack.value("commune_education_cases")
    if cases is not None:
        paragraphs.append(
            _sentence(
                "Công tác quản lý giáo dục tại xã, phường theo Nghị định 111 đã lập hồ sơ"
                f" {_n(cases)} trường hợp" + change_phrase(pack, "commune_education_cases", unit="trường hợp")
            )
        )
    return paragraphs


def _place_words(pack: Pack) -> str:
    """ "trên địa bàn quận" from "toàn quận"."""
    return "trên địa bàn " + _scope(pack).removeprefix("toàn ")


def _prostitution(pack: Pack) -> list[str]:
    paragraphs = []
    services = pack.value("service_businesses")
    parts = []
    if services is not None:
        parts.append(f"{_n(services)} cơ sở kinh doanh dịch vụ")
    inner = []
    for ind in ("sensitive_businesses", "prostitution_prone_businesses"):
        value = pack.value(ind)
        if value is not None:
            inner.append(f"{_n(value)} {_label(ind)}{change_phrase(pack, ind)}")
    if parts or inner:
        text = f"{_as_of_words(pack)}, {_place_words(pack)} có " + (parts[0] if parts else "")
        if inner:
            text += (", trong đó " if parts else "") + ", ".join(inner)
        paragraphs.append(_sentence(text))
    more = []
    workers = pack.value("sex_workers_managed")
    if workers is not None:
        more.append(
            f"{_n(workers)} người bán dâm được quản lý" if workers else "không có người bán dâm phải quản lý"
        )
    hotspots = pack.value("public_prostitution_hotspots")
    if hotspots is not None:
        more.append(
            f"{_n(hotspots)} tụ điểm mại dâm công cộng phức tạp"
            if hotspots
            else "không có tụ điểm mại dâm công cộng phức tạp"
        )
    wards = pack.value("prostitution_model_wards")
    if wards is not None and wards:
        more.append(f"{_n(wards)} xã, phường thực hiện mô hình phòng, chống mại dâm")
    if more:
        paragraphs.append(_sentence(_capital(_place_words(pack)) + " có " + "; ".join(more)))
    return paragraphs


def _trafficking(pack: Pack) -> list[str]:
    paragraphs = []
    victims = pack.value("trafficking_victims_returned")
    if victims is not None:
        lead = f"Trong {period_phrase(pack)}, {_scope(pack)}"
        paragraphs.append(
            _sentence(
                f"{lead} tiếp nhận {_n(victims)} nạn nhân bị mua bán trở về"
                + change_phrase(pack, "trafficking_victims_returned")
                if victims
                else f"{lead} không có nạn nhân bị mua bán trở về"
            )
        )
    missing = pack.value("missing_persons")
    if missing is not None:
        paragraphs.append(
            _sentence(
                f"{_as_of_words(pack)}, có {_n(missing)} người đi khỏi địa phương không rõ tung tích"
                + change_phrase(pack, "missing_persons")
            )
        )
    return paragraphs


def _hiv(pack: Pack) -> list[str]:
    paragraphs = []
    cases = pack.value("hiv_cases")
    if cases is not None:
        text = (
            f"{_as_of_words(pack)}, {_scope(pack)} có {_n(cases)} người nhiễm HIV còn sống"
            + change_phrase(pack, "hiv_cases")
        )
        prevalence = pack.value("hiv_prevalence")
        if prevalence is not None:
            text += f", tỷ lệ nhiễm HIV trong cộng đồng {fmt_pct(prevalence)}"
        arv = pack.value("arv_patients")
        if arv is not None:
            text += f"; {_n(arv)} bệnh nhân điều trị ARV" + change_phrase(pack, "arv_patients")
        paragraphs.append(_sentence(text))
    pregnant = pack.value("pregnant_hiv")
    treated = pack.value("pregnant_hiv_pmtct")
    if pregnant:
        text = (
            f"Trong {period_phrase(pack)}, {_n(treated)}/{_n(pregnant)} phụ nữ mang thai nhiễm HIV"
            " được điều trị dự phòng lây truyền từ mẹ sang con"
        )
        coverage = pack.value("pmtct_coverage")
        if coverage is not None:
            text += f" ({fmt_pct(coverage)})"
        paragraphs.append(_sentence(text))
    return paragraphs


def goal_standing(result: TargetResult, lang: str = "vi") -> str:
    """How a judged target stands, in words: "đã đạt", "đúng tiến độ", "có nguy cơ không đạt"…"""
    if result.met:
        return t("standing.met", lang)
    if result.status == NO_DATA or result.met is None:
        return t("standing.no_data", lang)
    if result.partial and result.status == MET:
        return t("standing.on_track", lang)
    if result.status == AT_RISK:
        return t("standing.at_risk", lang)
    return t("standing.not_met", lang)


def goal_phrase(result: TargetResult, with_standing: bool = False) -> str:
    """ "Đưa đi cai nghiện bắt buộc: 22/32 (68,75%), theo tiến độ 9 tháng cần 24" (+ the standing)."""
    text = result.metric_label
    details = []
    if result.rule in QUOTA_RULES and result.actual is not None and result.target:
        text += f": {fmt_value(result.actual, result.metric)}/{fmt_value(result.target, result.metric)}"
        if result.achievement_pct is not None:
            text += f" ({fmt_pct(result.achievement_pct)})"
        if result.expected_so_far is not None and not result.met:
            expected = fmt_value(result.expected_so_far, result.metric)
            details.append(f"theo tiến độ {result.months_elapsed} tháng cần {expected}")
    else:
        # The engine's own sentence, without its "Sau 9 tháng năm 2022: " lead.
        text += f" ({lowercase_type(result.rule_label)}): " + result.explanation.split(": ", 1)[-1].rstrip(
            "."
        )
    if with_standing:
        details.append(goal_standing(result))
    return ", ".join([text, *details])


def _goals(pack: Pack) -> list[str]:
    own = [r for r in pack.goals if r.unit_code == pack.unit_code]
    if not own:
        return [
            f"Năm {pack.year}, {lowercase_type(pack.unit_name)} chưa có chỉ tiêu được giao trong bộ số liệu."
        ]
    when = f"sau {period_phrase(pack)}" if own[0].partial else f"năm {pack.year}"
    met = [r for r in own if r.met]
    missed = [r for r in own if not r.met and r.met is not None]
    unknown = [r for r in own if r.met is None]
    paragraphs = [
        _sentence(
            f"Năm {pack.year}, {lowercase_type(pack.unit_name)} được giao {_n(len(own))} chỉ tiêu;"
            f" {when} đã đạt {_n(len(met))}/{_n(len(own))} chỉ tiêu"
        )
    ]
    if met:
        paragraphs.append(_sentence("Các chỉ tiêu đã đạt: " + "; ".join(goal_phrase(r) for r in met)))
    if missed:
        paragraphs.append(
            _sentence(
                "Các chỉ tiêu chưa đạt: " + "; ".join(goal_phrase(r, with_standing=True) for r in missed)
            )
        )
    if unknown:
        paragraphs.append(
            _sentence("Chưa đủ số liệu để đánh giá: " + "; ".join(r.metric_label for r in unknown))
        )
    return paragraphs


_WRITERS = {
    "drugs": _drugs,
    "rehab": _rehab,
    "prostitution": _prostitution,
    "trafficking": _trafficking,
    "hiv": _hiv,
    "goals": _goals,
}


def title(pack: Pack) -> str:
    return (
        f"Báo cáo kết quả công tác phòng, chống tội phạm, tệ nạn ma túy, mại dâm và HIV/AIDS"
        f" {period_phrase(pack)} — {pack.unit_name}"
    )


def preamble(pack: Pack) -> str:
    """Where the figures come from and the date they stand at."""
    text = (
        f"Số liệu tính đến ngày {fmt_date(pack.period_end)}, tổng hợp từ bộ số liệu ngày"
        f" {fmt_date(pack.as_of)} ({pack.source})."
    )
    if not pack.complete:
        text += (
            f" Kỳ {period_phrase(pack)} chưa đủ số liệu: bộ số liệu mới đến ngày {fmt_date(pack.period_end)}."
        )
    reported = coverage.coverage_text(pack.coverage, "vi")
    if reported:
        text += f" {_capital(reported)}."
        partial = coverage.partial_mark(pack.coverage, "vi")
        if partial:
            text += f" Số liệu chưa đầy đủ ({partial})."
    if pack.demo:
        text += " Đây là dữ liệu minh họa (demo), không phải số liệu thật."
    return text


def narrative(pack: Pack) -> list[Section]:
    """The report's sections, in slide order, for the sections the pack has (the map has no prose)."""
    sections = []
    for key in pack.sections:
        writer = _WRITERS.get(key)
        if writer is None:
            continue
        paragraphs = tuple(writer(pack))
        if paragraphs:
            sections.append(Section(key, SECTION_LABELS[key], paragraphs))
    return sections


def report_text(pack: Pack) -> str:
    """The whole report as plain text, for copying into a document."""
    lines = [title(pack), "", preamble(pack)]
    for number, section in enumerate(narrative(pack), start=1):
        lines += ["", f"{number}. {section.heading}", *section.paragraphs]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- Word


def report_docx(pack: Pack, images: Mapping[str, bytes] | None = None, *, follow_up=(), notice=None) -> bytes:
    """The report as a Word document (bytes): the narrative, each section's charts, the goals table.

    ``images`` maps chart keys (``Chart.key``) to PNG bytes; charts without an image are left out.
    ``follow_up`` (``conclusions.follow_up``) opens the report; ``notice``, a meeting and its
    conclusions, ends it with the *thông báo kết luận* (``minutes.py``). The same inputs give
    the same bytes (``frozen.stable_zip``).
    """
    from docx import Document
    from docx.shared import Cm, Pt

    from dashboard import minutes

    images = images or {}
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = theme.REPORT_FONT
    normal.font.size = Pt(BODY_SIZE_PT)
    # East Asian text settings would otherwise keep the theme font for some characters.
    normal.element.rPr.rFonts.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", theme.REPORT_FONT
    )
    doc.core_properties.title = title(pack)
    doc.core_properties.language = "vi-VN"
    doc.add_paragraph(pack.committee.upper()).runs[0].bold = True
    doc.add_heading(title(pack), level=1)
    doc.add_paragraph(preamble(pack)).runs[0].italic = True
    if follow_up:
        minutes.add_follow_up_section(doc, pack, follow_up)
    for number, section in enumerate(narrative(pack), start=1):
        doc.add_heading(f"{number}. {section.heading}", level=2)
        for paragraph in section.paragraphs:
            doc.add_paragraph(paragraph)
        if section.key == "goals":
            _goals_table(doc, pack)
        for chart in pack.charts:
            if chart.section == section.key and chart.key in images:
                doc.add_picture(io.BytesIO(images[chart.key]), width=Cm(IMAGE_WIDTH_CM))
    maps = [c for c in pack.charts if c.section == "map" and c.key in images]
    if maps:
        doc.add_heading(SECTION_LABELS["map"], level=2)
        if pack.map_counts:
            doc.add_paragraph(
                "Số xã theo phân loại: "
                + "; ".join(f"{k}: {_n(v)}" for k, v in pack.map_counts.items())
                + "."
            )
        for chart in maps:
            doc.add_picture(io.BytesIO(images[chart.key]), width=Cm(IMAGE_WIDTH_CM))
    if notice is not None and notice[1]:
        minutes.add_notice_section(doc, pack, *notice)
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_zip(buffer.getvalue())


GOAL_COLUMN_KEYS: tuple[str, ...] = ("metric", "rule", "actual", "achievement", "status")
GOAL_COLUMNS: tuple[str, ...] = tuple(t(f"goals.col.{c}", "vi") for c in GOAL_COLUMN_KEYS)


def goal_columns(lang: str = "vi") -> tuple[str, ...]:
    """The headers of the goals table of the slides, the report and presentation mode."""
    return tuple(t(f"goals.col.{c}", lang) for c in GOAL_COLUMN_KEYS)


def own_goals(pack: Pack) -> list[TargetResult]:
    """The targets of the pack's own unit, in the pack's order (the rows of the goals table)."""
    return [r for r in pack.goals if r.unit_code == pack.unit_code]


def goal_rows(pack: Pack, lang: str = "vi") -> list[tuple[str, ...]]:
    """The goals table (own targets of the unit): label, rule, actual, achievement, standing.

    The standing starts with its status glyph (✓ ! ✕ –), so it reads in grayscale print too.
    """
    rows = []
    for r in own_goals(pack):
        # A small count, suppressed (access.suppress_small_counts), shows its label.
        actual = r.actual_shown or fmt_value(r.actual, r.metric, lang)
        label = r.metric_label if lang == "vi" else CATALOG[r.metric].label(lang)
        standing = f"{theme.GOAL_STATUS_GLYPHS[r.status]} {goal_standing(r, lang)}"
        rows.append((label, rule_label(r, lang), actual, fmt_pct(r.achievement_pct, lang), standing))
    return rows


def goals_markdown(pack: Pack, lang: str = "vi") -> str:
    """The goals table as a Markdown table (presentation mode), in ``lang``."""
    columns = goal_columns(lang)
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += [
        "| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in goal_rows(pack, lang)
    ]
    return "\n".join(lines)


def _goals_table(doc, pack: Pack) -> None:
    rows = goal_rows(pack)
    if not rows:
        return
    table = doc.add_table(rows=1, cols=len(GOAL_COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, GOAL_COLUMNS, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    from docx.shared import RGBColor

    for row, result in zip(rows, own_goals(pack), strict=True):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
        standing = cell.paragraphs[0].runs[0]
        standing.bold = True
        colour = theme.text_color(theme.GOAL_STATUS_COLORS[result.status])
        standing.font.color.rgb = RGBColor.from_string(colour[1:])


def write_report(pack: Pack, path: Path | str, images: Mapping[str, bytes] | None = None) -> Path:
    """Write the Word report atomically (a failed write leaves no half file)."""
    return write_atomic(path, report_docx(pack, images))
