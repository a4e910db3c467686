"""Unit names as reports write them: abbreviated types, former names, and the whole country.

Reports write ``TP. Thái Nguyên``, ``Q.1``, ``H. Đồng Hỷ``, ``TX. Phổ Yên``, ``TT. Hùng Sơn`` or
``P. Hoàng Văn Thụ``; name a unit by a type it has since changed (``Thị xã Phổ Yên``, now
Thành phố Phổ Yên); use a province's former name (``Tỉnh Thừa Thiên Huế``); name a commune
merged into another before the reference list was drawn; or give the country's own figure
(``Toàn quốc``). ``importing.UnitResolver`` reads names through this module.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import polars as pl

from dashboard.geography import DEFAULT_UNITS_PATH

DEFAULT_FORMER_NAMES_PATH = DEFAULT_UNITS_PATH.with_name("former_names.parquet")

# The whole country, as reports write it (compared folded: no accents, lower case).
COUNTRY_WORDS: frozenset[str] = frozenset({"toan quoc", "ca nuoc", "vn", "viet nam", "nuoc viet nam"})

# Abbreviated type words at the start of a name (or of a parent name after a comma), read on the
# text as typed. Two-letter forms are never Vietnamese syllables, so the dot may be left out; a
# single letter needs its dot ("H. Đồng Hỷ": "H'Neng" is a name), except Q and P before a number
# ("Q1", "P12", as Hồ Chí Minh City writes its districts and wards). "T." is not read as Tỉnh:
# reports do not write it, and "TT." would be ambiguous with it.
ABBREVIATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:TP|T\.P)(?:\.\s*|\s+)", re.IGNORECASE), "Thành phố "),
    (re.compile(r"^TX(?:\.\s*|\s+)", re.IGNORECASE), "Thị xã "),
    (re.compile(r"^TT(?:\.\s*|\s+)", re.IGNORECASE), "Thị trấn "),
    (re.compile(r"^Q(?:\.\s*|\s*(?=\d))", re.IGNORECASE), "Quận "),
    (re.compile(r"^P(?:\.\s*|\s*(?=\d))", re.IGNORECASE), "Phường "),
    (re.compile(r"^H\.\s*", re.IGNORECASE), "Huyện "),
    (re.compile(r"^X\.\s*", re.IGNORECASE), "Xã "),
)

# Type words (folded) → the levels a unit of that type sits at, in either structure.
TYPE_LEVELS: dict[str, frozenset[str]] = {
    "tinh": frozenset({"province"}),
    "thanh pho": frozenset({"province", "district"}),
    "quan": frozenset({"district"}),
    "huyen": frozenset({"district"}),
    "thi xa": frozenset({"district"}),
    "phuong": frozenset({"commune"}),
    "xa": frozenset({"commune"}),
    "thi tran": frozenset({"commune"}),
    "dac khu": frozenset({"commune"}),
}

# Units renamed with their territory unchanged, after the reference lists were drawn or in a way
# the package does not record (folded former name → the name in the lists, and the decision).
RENAMED: dict[str, tuple[str, str]] = {
    name: ("Thành phố Huế", "Nghị quyết 1314/NQ-UBTVQH15 ngày 30/11/2024 của Ủy ban Thường vụ Quốc hội")
    for name in ("tinh thua thien hue", "thua thien hue", "tt hue")
}


def expand_abbreviation(part: str) -> str | None:
    """``part`` with an abbreviated type word written out ('TP. Thái Nguyên' → 'Thành phố Thái Nguyên').

    None when ``part`` starts with no abbreviation.
    """
    text = part.strip()
    for pattern, words in ABBREVIATIONS:
        match = pattern.match(text)
        if match and text[match.end() :].strip():
            return words + text[match.end() :].strip()
    return None


def type_word(folded: str) -> str | None:
    """The type word a folded name starts with ('thi xa pho yen' → 'thi xa'), or None."""
    for word in sorted(TYPE_LEVELS, key=len, reverse=True):
        if folded.startswith(word + " "):
            return word
    return None


@lru_cache(maxsize=2)
def former_names(path: Path | str = DEFAULT_FORMER_NAMES_PATH) -> dict[str, tuple[str, ...]]:
    """Former names of merged or renamed communes and districts (package key → unit codes now).

    Keys are folded names without spaces ('phuongnguyentrungtruc', 'nguyentrungtruc'), the form
    the package keeps (scripts/build_reference.py).
    """
    frame = pl.read_parquet(path)
    out: dict[str, list[str]] = {}
    for key, code in frame.select("former_key", "unit_code").iter_rows():
        out.setdefault(key, []).append(code)
    return {k: tuple(sorted(v)) for k, v in out.items()}
