"""Numbers, percentages, dates and period labels formatted the Vietnamese way first, English on request."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from dashboard.catalog import CATALOG, FRACTION_DECIMALS, Display, Indicator
from dashboard.i18n import LANGUAGES, t

MISSING = "–"

_EN_MONTHS: tuple[str, ...] = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip

# Vietnamese swaps the English marks: "." groups thousands and "," is the decimal mark.
_VI_MARKS = str.maketrans({",": ".", ".": ","})


# Every ASCII punctuation mark: CommonMark lets each be escaped with a backslash, which also stops
# Streamlit's own directives (":red[…]", ":material/…:", "$…$").
_MARKDOWN_MARKS = re.compile(r"([!-/:-@\[-`{-~])")
# Bare URLs and e-mail addresses are turned into links after the escapes are read (GitHub-flavoured
# autolinks), so they are broken with a zero-width space, which nobody sees.
_AUTOLINKS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def md_text(text: object) -> str:
    """``text`` for a Streamlit Markdown body (notice, caption, ``st.table`` cell), shown as typed.

    For what comes from a URL, a file name, a manifest or a cell: no link, image, heading or
    emphasis can be made from it; line breaks become spaces (a new line could start a heading).
    """
    text = _AUTOLINKS.sub("\u200b", re.sub(r"\s+", " ", str(text)))
    return _MARKDOWN_MARKS.sub(r"\\\1", text)


# A line break would end a one-line HTML block in Streamlit's Markdown, and what followed would be
# read as Markdown (a link, an image): ``html_text`` keeps every text to one line.
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


def html_text(text: str) -> str:
    """``text`` as HTML text or attribute value, on one line: shown as typed, never as markup.

    For the pieces of HTML drawn as one Markdown element (the overview's cards, the map's legend
    column): a name or a note read from a file is escaped and its line breaks become spaces.
    """
    return html.escape(_LINE_BREAKS.sub(" ", text), quote=True)


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"Ngôn ngữ không hợp lệ: {lang!r} (chọn một trong {', '.join(LANGUAGES)})")


def _rounded(value: float | int | Decimal, decimals: int) -> Decimal | None:
    """``value`` rounded half up to ``decimals`` places, or None when it is missing or not finite.

    Reports round half up (118,745 → 118,75), while Python's ``round`` and ``format`` round the
    binary float, which is often a hair below the printed value (118.745 is stored as
    118.74499…) and so gives 118,74. Going through ``str`` takes the shortest decimal that reads
    back as the same float — the number as people see it — and Decimal rounds that half up.
    """
    if value is None:
        return None
    if decimals < 0:
        raise ValueError(f"Số chữ số thập phân phải không âm: {decimals}")
    if isinstance(value, float) and not math.isfinite(value):
        return None
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return None
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    # -0.001 rounds to -0; nobody wants to read "-0".
    return abs(rounded) if rounded == 0 else rounded


def _render(number: Decimal, lang: str, decimals: int) -> str:
    text = f"{number:,.{decimals}f}"
    return text.translate(_VI_MARKS) if lang == "vi" else text


def fmt_number(value: float | int | Decimal | None, lang: str = "vi", decimals: int = 0) -> str:
    """``value`` with grouped thousands: 1456 → "1.456" (vi) or "1,456" (en); missing → "–"."""
    _check_lang(lang)
    number = _rounded(value, decimals)
    return MISSING if number is None else _render(number, lang, decimals)


def fmt_pct(value: float | int | Decimal | None, lang: str = "vi", decimals: int = 2) -> str:
    """A value already in percent: 118.75 → "118,75%" (vi) or "118.75%" (en); missing → "–"."""
    _check_lang(lang)
    number = _rounded(value, decimals)
    return MISSING if number is None else _render(number, lang, decimals) + "%"


def fmt_change_pct(value: float | int | Decimal | None, lang: str = "vi", decimals: int = 2) -> str:
    """A change in percent with its sign spelled out: 3.5 → "+3,50%", -3.5 → "-3,50%", 0 → "0,00%"."""
    _check_lang(lang)
    number = _rounded(value, decimals)
    if number is None:
        return MISSING
    sign = "+" if number > 0 else ""
    return sign + _render(number, lang, decimals) + "%"


def fmt_value(
    value: float | int | Fraction | Decimal | None, indicator: str | Indicator | Display, lang: str = "vi"
) -> str:
    """A value of an indicator as users read it, by the catalog's display facts (``Indicator.display``).

    A percentage with its places and a % sign (118,75%); a count grouped (1.456), with
    ``FRACTION_DECIMALS`` places when it is not whole (56,25); missing → ``MISSING``. An exact
    :class:`~fractions.Fraction` (the goal arithmetic) is rounded half up from its exact value.
    """
    display = indicator if isinstance(indicator, Display) else _display(indicator)
    if value is None:
        return fmt_number(None, lang)
    if isinstance(value, Fraction):
        whole = value.denominator == 1
        with localcontext() as ctx:
            ctx.prec = 50
            value = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        whole = float(value).is_integer()
    if display.percent:
        return fmt_pct(value, lang, display.decimals)
    return fmt_number(value, lang, display.decimals if whole else max(display.decimals, FRACTION_DECIMALS))


def _display(indicator: str | Indicator) -> Display:
    return (CATALOG[indicator] if isinstance(indicator, str) else indicator).display


def fmt_date(date: dt.date | None, lang: str = "vi") -> str:
    """dd/mm/yyyy in both languages (30/09/2022), as the reports write dates; missing → "–"."""
    _check_lang(lang)
    return MISSING if date is None else date.strftime("%d/%m/%Y")


def period_label(start: dt.date, grain: str, lang: str = "vi") -> str:
    """The name of the period of ``grain`` that starts at ``start``: "Quý 1/2017", "Q1 2017".

    ``grain`` is one of month, quarter, 6m, 9m, year; ``start`` must be the first month of a
    period of that grain (the day is ignored).
    """
    _check_lang(lang)
    year, month = start.year, start.month
    if grain == "month":
        return t("period.month", lang, month=month, month_abbr=_EN_MONTHS[month - 1], year=year)
    if grain == "quarter" and month in (1, 4, 7, 10):
        return t("period.quarter", lang, quarter=(month - 1) // 3 + 1, year=year)
    if grain == "6m" and month in (1, 7):
        return t("period.6m_first" if month == 1 else "period.6m_second", lang, year=year)
    if grain == "9m" and month == 1:
        return t("period.9m", lang, year=year)
    if grain == "year" and month == 1:
        return t("period.year", lang, year=year)
    raise ValueError(f"Không có kỳ {grain!r} bắt đầu từ tháng {month:02d}/{year}")


def in_sentence(text: str) -> str:
    """A label inside a sentence: its first letter lower-cased ("Xếp hạng người nghiện …", "Ranking
    of addicts …"), unless its first word is an acronym or a code ("HIV prevalence", "B93 clubs")."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and not first[1:].islower():
        return text
    return text[:1].lower() + text[1:]


def period_in_sentence(label: str, lang: str = "vi") -> str:
    """A period's name inside a sentence: "Giao ban năm 2026", "quý 1/2017", not "Giao ban Năm 2026".

    ``period_label`` capitalises a Vietnamese name to head a title or a table cell; English
    names ("Q1 2017", "Oct 2026", "H1 2026") are the same anywhere.
    """
    _check_lang(lang)
    return in_sentence(label) if lang == "vi" else label


def plotly_separators(lang: str = "vi") -> str:
    """Plotly's ``layout.separators``: the decimal mark, then the thousands mark."""
    _check_lang(lang)
    return ",." if lang == "vi" else ".,"


def tick_format(decimals: int = 0) -> str:
    """A d3 format with thousands grouping, for ``tickformat`` and ``hoverformat``.

    ``layout.separators`` only chooses the marks: without "," in the format plotly leaves
    four-digit ticks such as 1456 ungrouped.
    """
    if decimals < 0:
        raise ValueError(f"Số chữ số thập phân phải không âm: {decimals}")
    return f",.{decimals}f"
