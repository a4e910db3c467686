"""Import committee reports (Excel or CSV) into a new snapshot, after checking every row.

The template has three sheets — figures (*Số liệu*), commune classifications (*Phân loại xã*)
and targets (*Chỉ tiêu*) — with Vietnamese headers. Units are given by GSO code or by name, in
the structure in force for the row's period (old units before 07/2025, new units from it);
names are matched without regard to accents or case, and an ambiguous or unknown name is
refused with the candidates listed. Nothing is written unless every row passes; then the base
snapshot plus the imported rows become a new snapshot, written atomically under the data
folder's write lock (one import at a time, each on the one before).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import fastexcel
import polars as pl

from dashboard import query, reform, schema, theme, unit_names
from dashboard.access import FULL_ACCESS, Access
from dashboard.catalog import (
    CATALOG,
    FLOW_INDICATORS,
    PARTS_OF_WHOLE,
    PARTS_OF_WHOLE_WARNED,
    REPORTED_COUNTS,
    STOCK_INDICATORS,
)
from dashboard.formatting import fmt_date, fmt_number, fmt_pct
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.schema import Problem
from dashboard.snapshot import (
    Snapshot,
    next_snapshot_id,
    snapshot_dirs,
    validate_snapshot,
    write_lock,
    write_snapshot,
)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # the same 20 MB as Streamlit's maxUploadSize in .streamlit/config.toml
JUMP_FACTOR = 5.0  # a value more than 5 times the previous period's (or under a fifth) is flagged
ACHIEVEMENT_WARNING_PCT = 150
TYPED_PCT_TOLERANCE = 0.5  # percentage points between a typed percentage and its own parts

SHEET_FACTS = "Số liệu"
SHEET_STATUS = "Phân loại xã"
SHEET_TARGETS = "Chỉ tiêu"
SHEET_HELP = "Hướng dẫn"
SHEET_UNITS_2025 = "Đơn vị mới (từ 01-7-2025)"  # Excel sheet names may not hold '/'

# Accepted headers (compared without accents and case) → internal column.
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    SHEET_FACTS: {
        "unit": ("ma don vi", "ma", "unit_code", "don vi", "ten don vi", "unit"),
        "period": ("ky bao cao", "ky", "thang", "period"),
        "indicator": ("chi tieu", "chi so", "indicator"),
        "value": ("gia tri", "so lieu", "value"),
    },
    SHEET_STATUS: {
        "year": ("nam", "year"),
        "unit": ("ma xa", "xa", "ma don vi", "ten xa", "commune_code", "commune"),
        "drug_class": ("phan loai ma tuy", "phan loai", "drug_class"),
        "complex": ("phuc tap", "xa phuc tap", "complex"),
        "healthy": ("lanh manh", "xa lanh manh", "healthy"),
    },
    SHEET_TARGETS: {
        "year": ("nam", "year"),
        "unit": ("ma don vi", "don vi", "ten don vi", "unit_code", "unit"),
        "metric": ("chi so", "chi tieu", "metric"),
        "rule": ("quy tac", "cach danh gia", "rule"),
        "value": ("gia tri", "muc tieu", "value"),
        "note": ("ghi chu", "van ban", "note"),
        "reported_pct": ("ty le dat ghi trong bao cao", "ty le dat bao cao", "reported_pct"),
    },
}
REQUIRED: dict[str, tuple[str, ...]] = {
    SHEET_FACTS: ("unit", "period", "indicator", "value"),
    SHEET_STATUS: ("year", "unit", "drug_class"),
    SHEET_TARGETS: ("year", "unit", "metric", "rule", "value"),
}
# The header written in the template for each column (the first accepted spelling, with accents).
TEMPLATE_HEADERS: dict[str, list[str]] = {
    SHEET_FACTS: ["Mã đơn vị", "Kỳ báo cáo", "Chỉ tiêu", "Giá trị"],
    SHEET_STATUS: ["Năm", "Mã xã", "Phân loại ma túy", "Phức tạp", "Lành mạnh"],
    SHEET_TARGETS: [
        "Năm",
        "Mã đơn vị",
        "Chỉ số",
        "Quy tắc",
        "Giá trị",
        "Ghi chú",
        "Tỷ lệ đạt ghi trong báo cáo",
    ],
}

DRUG_CLASS_WORDS: dict[str, str] = {
    "khong ma tuy": "khong_ma_tuy",
    "khong co ma tuy": "khong_ma_tuy",
    "co te nan": "co_te_nan",
    "co te nan ma tuy": "co_te_nan",
    "trong diem loai iii": "trong_diem_3",
    "trong diem loai ii": "trong_diem_2",
    "trong diem loai i": "trong_diem_1",
    "trong diem 3": "trong_diem_3",
    "trong diem 2": "trong_diem_2",
    "trong diem 1": "trong_diem_1",
}
RULE_WORDS: dict[str, str] = {
    "toi thieu": "at_least",
    "dat it nhat": "at_least",
    "toi da": "at_most",
    "khong vuot qua": "at_most",
    # "trên X" / "trên X%" is strictly more than X: exactly X is not enough (Điện Biên 2017).
    "tren": "more_than",
    "tren %": "more_than",
    "dat tren": "more_than",
    "cao hon": "more_than",
    "lon hon": "more_than",
    # A yearly increase: in percentage points on a share, relative on a count (dashboard.goals).
    "tang toi thieu": "increase_at_least_pct",
    "tang it nhat": "increase_at_least_pct",
    "tang tu tro len": "increase_at_least_pct",
    "tang % tro len": "increase_at_least_pct",
    "tang toi thieu %": "increase_at_least_pct",
    "tang toi thieu % moi nam": "increase_at_least_pct",
    "tang toi thieu moi nam": "increase_at_least_pct",
    "tang tren": "increase_more_than_pct",
    "tang tren %": "increase_more_than_pct",
    "giam tren": "reduce_more_than_pct",
    "giam tren %": "reduce_more_than_pct",
    "giam tu tro len": "reduce_at_least_pct",
    "giam % tro len": "reduce_at_least_pct",
    "them moi toi thieu": "new_at_least",
    "giu vung tat ca": "keep_all",
}
YES = {"co", "x", "1", "true", "yes", "dung"}
NO = {"khong", "", "0", "false", "no", "sai"}

UNIT_TYPES = ("thanh pho", "tinh", "quan", "huyen", "thi xa", "phuong", "xa", "thi tran")


def fold(text: str) -> str:
    """Lower case without accents or extra spaces: 'Phường Đức Giang' → 'phuong duc giang'."""
    text = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return re.sub(r"\s+", " ", re.sub(r"[^\w%]+", " ", text)).strip()


def _without_type(name: str) -> str:
    for prefix in UNIT_TYPES:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


# ---------------------------------------------------------------- results


@dataclass
class ImportReport:
    """What an import found and did."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    facts: pl.DataFrame | None = None
    status: pl.DataFrame | None = None
    targets: pl.DataFrame | None = None
    spans: pl.DataFrame | None = None  # every total over a span of the result (contract version 3)
    written: Path | None = None
    message: str = ""
    imported_rows: int = 0  # rows read from the file (all sheets), before merging with the base
    latest_month: dt.date | None = None  # the newest month among the imported figures
    structure_from: dt.date | None = None  # the result is contract version 2 (docs/REFORM.md)
    as_of: str | None = None  # the written snapshot's date of figures (the later of file and base)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        return [str(p) for p in (*self.errors, *self.warnings)]


class ImportRefused(Exception):
    """The input cannot be read at all (size, format, encoding); nothing is written."""


# ---------------------------------------------------------------- units


@dataclass(frozen=True)
class UnitResolver:
    """Resolve a GSO code or a name (with optional parent names after commas) to one unit.

    Names are read as reports write them (``dashboard.unit_names``): abbreviated types
    ('TP. Thái Nguyên', 'Q.1'), a type the unit has since changed ('Thị xã Phổ Yên' for Thành
    phố Phổ Yên), a former name of a renamed unit ('Tỉnh Thừa Thiên Huế'). ``history``: the
    list is the pre-July-2025 one, whose merged communes and districts the package records, so
    a name of one is refused naming the unit it went into.
    """

    geography: Geography
    catalogue: str = "danh mục hành chính"  # the list named in messages
    history: bool = False

    def _names(self) -> dict[str, list[str]]:
        cached = getattr(self, "_cache", None)
        if cached is None:
            cached = {}
            for code, name in self.geography.units.select("unit_code", "unit_name").iter_rows():
                full = fold(name)
                for key in {full, _without_type(full)}:
                    cached.setdefault(key, []).append(code)
            object.__setattr__(self, "_cache", cached)
        return cached

    def _plain_names(self) -> dict[str, list[str]]:
        """Names without their type word, lower case but with accents (for hints)."""
        cached = getattr(self, "_plain_cache", None)
        if cached is None:
            cached = {}
            for code, name in self.geography.units.select("unit_code", "unit_name").iter_rows():
                cached.setdefault(_plain(name), []).append(code)
            object.__setattr__(self, "_plain_cache", cached)
        return cached

    def path(self, code: str) -> str:
        chain = [code, *self.geography.ancestors(code)[:-1]]
        return ", ".join(self.geography.name(c) for c in chain)

    def _is(self, code: str, texts: list[str]) -> bool:
        """Whether a unit is the one a folded name (or one of its spellings) names."""
        full = fold(self.geography.name(code))
        bare = _without_type(full)
        for text in texts:
            if text in (full, bare):
                return True
            word = unit_names.type_word(text)
            if (
                word
                and text[len(word) + 1 :] == bare
                and self.geography.level(code) in unit_names.TYPE_LEVELS[word]
            ):
                return True  # the unit has changed its type since ('Thị xã Phổ Yên', now a city)
        return False

    def _match(self, parts: list[str], level: str | None) -> list[str]:
        names = self._names()
        spellings = _spellings(parts[0])
        candidates: list[str] = []
        for key in spellings:
            candidates = list(names.get(key, []))
            if candidates:
                break
        if not candidates:
            # A type the unit has since changed: the bare name among units of that type's level.
            for key in spellings:
                word = unit_names.type_word(key)
                if word:
                    candidates = [c for c in names.get(key[len(word) + 1 :], []) if self._is(c, [key])]
                    if candidates:
                        break
        if level:
            candidates = [c for c in candidates if self.geography.level(c) == level]
        for context in parts[1:]:
            texts = _spellings(context)
            candidates = [
                c for c in candidates if any(self._is(a, texts) for a in self.geography.ancestors(c)[:-1])
            ]
        return candidates

    def resolve(
        self, text: str, level: str | None = None, country: bool = False
    ) -> tuple[str | None, str | None]:
        """The unit's code, or None and a Vietnamese reason naming the candidates.

        ``country``: 'Toàn quốc' (or 'Cả nước', 'VN') names the country itself (targets); else it
        is refused, saying why.
        """
        raw = str(text).strip()
        if re.fullmatch(r"\d{2}|\d{3}|\d{5}", raw):
            if not self.geography.has(raw):
                return None, f"mã đơn vị '{raw}' không có trong {self.catalogue}"
            if level and self.geography.level(raw) != level:
                return None, f"mã '{raw}' là {self.geography.name(raw)}, không phải cấp {_LEVEL_VI[level]}"
            return raw, None
        if fold(raw) in unit_names.COUNTRY_WORDS or raw.upper() == COUNTRY_CODE:
            if country and level is None:
                return COUNTRY_CODE, None
            return None, COUNTRY_REFUSED.format(raw=raw)
        parts = [p.strip() for p in raw.split(",") if fold(p)]
        if not parts:
            return None, "thiếu mã hoặc tên đơn vị"
        candidates = self._match(parts, level)
        if len(candidates) == 1:
            return candidates[0], None
        if not candidates:
            return None, self._not_found(raw, parts, level)
        listed = "; ".join(f"{self.path(c)} (mã {c})" for c in sorted(candidates)[:6])
        return None, f"tên '{raw}' {AMBIGUOUS} {listed} — ghi thêm tên cấp trên hoặc dùng mã"

    def _not_found(self, raw: str, parts: list[str], level: str | None) -> str:
        """Why a name matches no unit: a merge, or nothing, with related names if any."""
        if self.history:
            former = self._former(parts, level)
            if former:
                went = "; hoặc ".join(f"{self.path(c)} (mã {c})" for c in former[:3])
                return (
                    f"'{raw}' là tên đơn vị cũ, đã sáp nhập vào (hoặc đổi tên thành) {went} — "
                    f"{self.catalogue} chỉ có đơn vị sau sáp nhập: ghi số liệu cho đơn vị đó, "
                    "gộp cả phần của đơn vị cũ"
                )
        hints = self._hints(parts, level)
        hint = "; gần giống: " + "; ".join(self.path(c) for c in hints) if hints else ""
        return f"không tìm thấy đơn vị '{raw}' trong {self.catalogue}{hint}"

    def _in_context(self, codes, parts: list[str], level: str | None) -> list[str]:
        out = [c for c in codes if self.geography.has(c) and (not level or self.geography.level(c) == level)]
        for context in parts[1:]:
            texts = _spellings(context)
            out = [c for c in out if any(self._is(a, texts) for a in self.geography.ancestors(c)[:-1])]
        return out

    def _former(self, parts: list[str], level: str | None) -> list[str]:
        """Units a former (merged or renamed) name went into, among those the parents allow."""
        table = unit_names.former_names()
        codes: list[str] = []
        for key in _spellings(parts[0]):
            codes += [c for c in table.get(key.replace(" ", ""), ()) if c not in codes]
        word = unit_names.type_word(_spellings(parts[0])[-1])
        if word:
            codes = [
                c
                for c in codes
                if self.geography.has(c) and self.geography.level(c) in unit_names.TYPE_LEVELS[word]
            ]
        return sorted(self._in_context(codes, parts, level))

    def _hints(self, parts: list[str], level: str | None) -> list[str]:
        """Up to four units whose names are close to the one written, of its level and within its parents.

        Compared with accents when the name was written with them ('Toàn quốc' is not close to
        'Tân Ước'), and of the level its type word says.
        """
        written = unit_names.expand_abbreviation(parts[0]) or parts[0]
        folded = fold(written)
        word = unit_names.type_word(folded)
        accented = folded != _plain(written, keep_type=True)
        key = _plain(written) if accented else _without_type(folded)
        pool = self._plain_names() if accented else self._names()
        close = difflib.get_close_matches(key, list(pool), n=8, cutoff=0.8)
        found: list[str] = []
        for name in close:
            for code in self._in_context(pool[name], parts, level):
                if word and self.geography.level(code) not in unit_names.TYPE_LEVELS[word]:
                    continue
                if code not in found:
                    found.append(code)
        return found[:4]


def _spellings(part: str) -> list[str]:
    """A name part folded: as written, with its abbreviated type spelt out, and a renamed unit's name now."""
    out = [fold(part)]
    expanded = unit_names.expand_abbreviation(part)
    if expanded:
        out.append(fold(expanded))
    for text in list(out):
        renamed = unit_names.RENAMED.get(text)
        if renamed:
            out.append(fold(renamed[0]))
    return list(dict.fromkeys(out))


def _plain(name: str, keep_type: bool = False) -> str:
    """Lower case with accents and without punctuation; without the type word unless ``keep_type``."""
    text = re.sub(
        r"\s+", " ", re.sub(r"[^\w%]+", " ", unicodedata.normalize("NFC", str(name)).lower())
    ).strip()
    if keep_type:
        return text
    word = unit_names.type_word(fold(text))
    return text[len(word) + 1 :] if word else text


COUNTRY_REFUSED = (
    "'{raw}' là số liệu cả nước: không nhập số liệu, danh sách xã cho toàn quốc — số cả nước là tổng "
    "các tỉnh, thành phố (dashboard tự cộng); ghi theo tỉnh, thành phố, huyện hoặc xã. Chỉ tiêu toàn quốc "
    "(ví dụ 50% xã không ma túy năm 2030) ghi được ở trang 'Chỉ tiêu' với mã VN hoặc 'Toàn quốc'"
)
AMBIGUOUS = "khớp nhiều đơn vị:"
_LEVEL_VI = {"commune": "xã", "district": "huyện", "province": "tỉnh"}
OLD_UNITS = "đơn vị hành chính cũ (đến 30/6/2025)"
NEW_UNITS = "đơn vị hành chính mới (từ 01/7/2025)"


def _when_label(when: dt.date | int) -> str:
    return f"năm {when}" if isinstance(when, int) else f"kỳ {when:%m/%Y}"


@dataclass(frozen=True)
class PeriodResolver:
    """Resolve a unit in the structure in force for its period (docs/REFORM.md).

    A month before 07/2025 (a list or target of a year before 2025) names an old unit; from
    07/2025 (from 2025) a new one. The same code or name can exist in both, naming different
    places: the period decides. A unit found only in the other structure is refused, saying so.
    """

    legacy: UnitResolver
    new: UnitResolver

    @classmethod
    def of(cls, geography: Geography, geography_2025: Geography) -> PeriodResolver:
        return cls(
            UnitResolver(geography, f"danh mục {OLD_UNITS}", history=True),
            UnitResolver(geography_2025, f"danh mục {NEW_UNITS}"),
        )

    def is_new(self, when: dt.date | int) -> bool:
        if isinstance(when, int):
            return reform.structure_of_year(when) == reform.NEW
        return reform.structure_of_period(when) == reform.NEW

    def geography(self, when: dt.date | int) -> Geography:
        return (self.new if self.is_new(when) else self.legacy).geography

    def resolve(
        self, text: str, when: dt.date | int | None, level: str | None = None, country: bool = False
    ) -> tuple[str | None, str | None]:
        """The unit's code in the structure of ``when`` (a month or a year), or None and the reason.

        ``when`` None (the period itself is unreadable): the unit is only checked to exist in
        either structure, so that its own mistake is reported too. ``country``: the country
        itself may be named (targets).
        """
        raw = str(text).strip()
        if when is None:
            code, reason = self.legacy.resolve(raw, level, country)
            if code is None and self.new.resolve(raw, level, country)[0] is not None:
                return None, None
            return (None, reason) if code is None else (None, None)
        is_new = self.is_new(when)
        own, other = (self.new, self.legacy) if is_new else (self.legacy, self.new)
        code, reason = own.resolve(raw, level, country)
        if code is not None or not raw or AMBIGUOUS in (reason or "") or reason.startswith(f"'{raw}' là"):
            return code, reason
        elsewhere, other_reason = other.resolve(raw, level, country)
        if elsewhere is None and AMBIGUOUS in (other_reason or ""):
            # Several units of the other structure have this name: it is still not one of this period's.
            return None, f"{_when_label(when)}: {reason}; '{raw}' là tên trong {other.catalogue}"
        if elsewhere is None:
            return None, f"{_when_label(when)}: {reason}"
        # An old unit in a new period: the new unit it went into is named, so the row can be rewritten.
        now = f" — {other.geography.name(elsewhere)} nay thuộc {self.successors(elsewhere)}" if is_new else ""
        named = other.path(elsewhere)
        named = f"'{raw}' là {named}" if fold(raw) != fold(named) else named
        if is_new and other.geography.level(elsewhere) == "district":
            return None, (
                f"{named} — cấp huyện đã bỏ từ 01/7/2025; {_when_label(when)} "
                f"ghi theo xã, phường, đặc khu hoặc tỉnh, thành phố mới{now}"
            )
        kind, in_force = (OLD_UNITS, NEW_UNITS) if is_new else (NEW_UNITS, OLD_UNITS)
        return None, f"{named}, {kind}; {_when_label(when)} ghi theo {in_force}{now}"

    def successors(self, old_code: str) -> str:
        """The new unit(s) an old unit went into, named with their codes (from the 2025 crosswalk).

        A province or district: the new province(s); a commune: the new commune(s), the default first.
        """
        level = self.legacy.geography.level(old_code)
        column = {"province": "old_province_code", "district": "old_district_code"}.get(
            level, "old_commune_code"
        )
        target = "new_commune_code" if level == "commune" else "new_province_code"
        rows = reform.load_crosswalk().filter(pl.col(column) == old_code).sort("default", descending=True)
        codes = [c for c in rows[target].unique(maintain_order=True).to_list() if self.new.geography.has(c)]
        if not codes:
            return "đơn vị mới không rõ"
        named = "; ".join(f"{self.new.path(c)} (mã {c})" for c in codes[:4])
        return named if len(codes) == 1 else f"các đơn vị mới: {named}"


# ---------------------------------------------------------------- reading


def read_sheets(data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, pl.DataFrame]:
    """Read an .xlsx workbook or a .csv file into string frames, one per template sheet found.

    A CSV file holds one sheet, recognised by its headers.
    """
    if len(data) > max_bytes:
        raise ImportRefused(
            f"Tệp {filename} có dung lượng {fmt_number(len(data) / 1_048_576, decimals=1)} MB, vượt giới hạn "
            f"{fmt_number(max_bytes / 1_048_576)} MB."
        )
    if not data.strip():
        raise ImportRefused(f"Tệp {filename} rỗng.")
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_workbook(data, filename)
    if suffix in (".csv", ".txt"):
        frame = _read_csv(data, filename)
        return {_guess_sheet(frame, filename): frame}
    raise ImportRefused(f"Tệp {filename}: chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).")


def _read_workbook(data: bytes, filename: str) -> dict[str, pl.DataFrame]:
    try:
        reader = fastexcel.read_excel(data)
        names = reader.sheet_names
    except Exception as exc:  # noqa: BLE001 - any reader failure means the file is not a workbook
        raise ImportRefused(f"Tệp {filename} không phải tệp Excel hợp lệ ({type(exc).__name__}).") from None
    out: dict[str, pl.DataFrame] = {}
    wanted = {fold(s): s for s in (SHEET_FACTS, SHEET_STATUS, SHEET_TARGETS)}
    for name in names:
        sheet = wanted.get(fold(name))
        if sheet is None:
            continue
        try:
            frame = reader.load_sheet(name, dtypes="string").to_polars()
        except Exception as exc:  # noqa: BLE001
            raise ImportRefused(
                f"Tệp {filename}, trang '{name}': không đọc được ({type(exc).__name__})."
            ) from None
        out[sheet] = frame
    if not out:
        raise ImportRefused(
            f"Tệp {filename} không có trang nào theo mẫu ('{SHEET_FACTS}', '{SHEET_STATUS}', "
            f"'{SHEET_TARGETS}'); các trang có: {', '.join(names) or '(không có)'}."
        )
    return out


def _read_csv(data: bytes, filename: str) -> pl.DataFrame:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            f"Tệp {filename} không phải mã UTF-8. Hãy lưu lại tệp CSV với mã UTF-8 "
            "(Excel: Lưu thành → CSV UTF-8)."
        ) from None
    if "\x00" in text:
        raise ImportRefused(f"Tệp {filename} chứa ký tự không hợp lệ (có thể là tệp nhị phân).")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise ImportRefused(
            f"Tệp {filename} không đọc được như tệp CSV: có ký tự xuống dòng hoặc dấu ngoặc kép đặt sai chỗ."
        ) from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if len(rows) < 1:
        raise ImportRefused(f"Tệp {filename} không có dòng tiêu đề.")
    header, body = rows[0], rows[1:]
    width = len(header)
    for i, row in enumerate(body, start=2):
        if len(row) != width:
            raise ImportRefused(f"Tệp {filename}, dòng {i}: có {len(row)} cột, dòng tiêu đề có {width} cột.")
    if len(set(header)) != len(header):
        raise ImportRefused(f"Tệp {filename}: dòng tiêu đề có tên cột trùng nhau.")
    return pl.DataFrame(
        [list(col) for col in zip(*body, strict=True)] if body else [[] for _ in header],
        schema=dict.fromkeys(header, pl.String),
        orient="col",
    )


def _guess_sheet(frame: pl.DataFrame, filename: str) -> str:
    columns = {fold(c) for c in frame.columns}
    for sheet in (SHEET_STATUS, SHEET_TARGETS, SHEET_FACTS):
        required = REQUIRED[sheet]
        if all(any(a in columns for a in HEADERS[sheet][col]) for col in required):
            return sheet
    raise ImportRefused(
        f"Tệp {filename}: không nhận ra loại bảng từ dòng tiêu đề ({', '.join(frame.columns)}); "
        f"xem mẫu: {'; '.join(f'{s}: ' + ', '.join(h) for s, h in TEMPLATE_HEADERS.items())}."
    )


def _columns(frame: pl.DataFrame, sheet: str, report: ImportReport) -> dict[str, str] | None:
    """Map internal column names to the frame's headers; report missing required ones."""
    found: dict[str, str] = {}
    folded = {fold(c): c for c in frame.columns}
    for col, aliases in HEADERS[sheet].items():
        for alias in aliases:
            if alias in folded:
                found[col] = folded[alias]
                break
    missing = [c for c in REQUIRED[sheet] if c not in found]
    for col in missing:
        header = TEMPLATE_HEADERS[sheet][list(HEADERS[sheet]).index(col)]
        report.errors.append(Problem("error", sheet, "thiếu cột bắt buộc", column=header))
    return None if missing else found


# ---------------------------------------------------------------- cell parsers


def parse_number(text: str | None) -> float | None:
    """A number written the Vietnamese way (1.456 or 12,5) or plainly (1456, 12.5); None if not."""
    if text is None:
        return None
    s = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if s.endswith("%"):
        s = s[:-1]
    if not s:
        return None
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", s):
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d+,\d+", s):
        s = s.replace(",", ".")
    elif not re.fullmatch(r"-?\d+(\.\d+)?([eE][+-]?\d+)?", s):
        return None
    try:
        value = float(s)
    except ValueError:
        return None
    return value if abs(value) < 1e15 else None


def english_thousands(text: str | None) -> str | None:
    """A number typed English-style with ',' between thousands ('1,292', '12,345,678'), rewritten
    the Vietnamese way ('1.292'); None for any other text."""
    s = str(text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"\d{1,3}(,\d{3})+", s):
        return None
    return fmt_number(int(s.replace(",", "")))


def _decimals(value: float) -> int:
    """How many decimals a typed number has (up to 4): 68.75 → 2, 184 → 0."""
    decimals = 0
    while decimals < 4 and round(value, decimals) != round(value, 6):
        decimals += 1
    return decimals


def typed_pct(value: float) -> str:
    """A typed percentage with the decimals it was typed with (68.75 → '68,75%', 184 → '184%')."""
    return fmt_pct(value, decimals=_decimals(value))


def _count_problem(raw: str, value: float, indicator: str) -> str | None:
    """Why a count (a stock or flow: people, places, businesses) is not a whole number, or None."""
    if value == int(value):
        return None
    entry = CATALOG[indicator]
    comma = " (theo cách viết Việt Nam, dấu phẩy là dấu thập phân)" if "," in str(raw) else ""
    message = (
        f"giá trị '{raw}' của '{entry.label_vi}' không phải số nguyên{comma}: "
        f"số {entry.unit_vi} phải là số đếm, không có phần thập phân"
    )
    thousands = english_thousands(raw)
    if thousands is not None:
        message += f" — nếu là {thousands} {entry.unit_vi}, viết {thousands} (dấu chấm ngăn cách hàng nghìn)"
    return message


def parse_month(text: str | None) -> dt.date | None:
    """A month: '09/2022', '9/2022', '2022-09', '2022-09-01', 'tháng 9/2022' or an Excel date serial."""
    if text is None:
        return None
    s = fold(text)
    m = re.fullmatch(r"(?:thang )?(\d{1,2}) (\d{4})", s)
    if m:
        month, year = int(m.group(1)), int(m.group(2))
    else:
        m = re.fullmatch(r"(\d{4}) (\d{1,2})(?: (\d{1,2}))?(?: 00 00 00)?", s)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
        elif re.fullmatch(r"\d{5}(\.0+)?", str(text).strip()):
            serial = int(float(str(text).strip()))
            if not 20000 <= serial <= 80000:
                return None
            day = dt.date(1899, 12, 30) + dt.timedelta(days=serial)
            year, month = day.year, day.month
        else:
            return None
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None
    return dt.date(year, month, 1)


@dataclass(frozen=True)
class Period:
    """A report period as written: its first and last month, and what the words said.

    ``date`` is set when the cell was a single day that is not the first of a month ("tính đến
    ngày 15/8/2019"): a stock stands at that day's month; a flow has no period then. ``note`` says
    how a period cut on another day than the first was mapped onto months (a warning for the clerk).
    """

    first: dt.date
    last: dt.date
    date: dt.date | None = None
    note: str | None = None


ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
PERIOD_FORMS = (
    "tháng (09/2022, tháng 9/2022, T9/2022), cộng dồn từ đầu năm (9 tháng 2022, 9 tháng đầu năm 2022, "
    "01/2022-09/2022, 1-9/2022), quý (quý III/2022, quý 3/2022, Q3/2022), 6 tháng cuối năm 2022, "
    "năm (năm 2022, cả năm 2022), ngày số liệu của số tồn (15/9/2022), kỳ cắt theo ngày (từ ngày "
    "15/12/2021 đến ngày 14/6/2022)"
)


def _period_words(text: str) -> str:
    """Lower case without accents, '/' and '-' kept, spaces around them dropped: 'Quý III / 2019'."""
    s = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn").lower()
    s = s.replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    s = re.sub(r"\s*([/\-])\s*", r"\1", s)
    s = re.sub(r"[,;:()]+", " ", s)
    return re.sub(r"\s+", " ", s).strip().rstrip(".")


def _month(year: int, month: int) -> dt.date | None:
    return dt.date(year, month, 1) if 1 <= month <= 12 and 2000 <= year <= 2100 else None


def _next_month(month: dt.date, step: int = 1) -> dt.date:
    index = month.year * 12 + month.month - 1 + step
    return dt.date(index // 12, index % 12 + 1, 1)


def _day(text: str) -> dt.date | None:
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m is None:
        return None
    try:
        day = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def _last_day(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def read_period(text: str | None) -> tuple[Period | None, str | None]:
    """A report period as committees write it, or None and a Vietnamese reason quoting the cell.

    Months: '09/2022', 'tháng 9/2022', 'T9/2022', 'tháng 9 năm 2022', '2022-09', an Excel date
    serial or a date on the first of a month. Totals from January: '9 tháng 2022', '11 tháng đầu
    năm 2022', 'lũy kế 9 tháng 2022', 'năm 2022', 'cả năm 2022', '01/2022-11/2022', '1-11/2022',
    'từ đầu năm đến hết tháng 11/2022'. Other spans: 'quý III/2019' ('quý 3/2019', 'Q3/2019'),
    '6 tháng cuối năm 2022', 'từ tháng 3 đến tháng 5/2022'. A day ('15/8/2019', 'tính đến ngày
    15/8/2019', a date cell): the month of that day, marked as a date. A period cut on days ('từ
    ngày 15/12/2021 đến ngày 14/6/2022', Decree 09/2019/NĐ-CP's reporting cut-off): the months
    that hold most of its days — a start from the 15th counts from the next month, an end before
    the 14th stops at the month before — with a note naming the cut-off.
    """
    if text is None or not str(text).strip():
        return None, "thiếu kỳ báo cáo"
    raw = str(text).strip()
    s = _period_words(raw)
    s = re.sub(r"^(?:ky bao cao|ky|so lieu|luy ke|cong don|rieng) ", "", s)
    s = re.sub(r"^(?:luy ke|cong don) ", "", s)
    year, year_only = r"(?:nam )?(\d{4})", r"(\d{4})"

    def refuse(reason: str) -> tuple[None, str]:
        return None, f"kỳ báo cáo '{raw}' {reason}"

    def span(first: dt.date | None, last: dt.date | None) -> tuple[Period | None, str | None]:
        if first is None or last is None:
            return refuse(f"có tháng hoặc năm không có thật; cách ghi được nhận: {PERIOD_FORMS}")
        if first > last:
            return refuse(f"có tháng đầu ({first:%m/%Y}) sau tháng cuối ({last:%m/%Y})")
        return Period(first, last), None

    # Totals from January: "9 tháng 2022", "11 tháng đầu năm 2022", "từ đầu năm đến hết tháng 11/2022".
    m = re.fullmatch(rf"(\d{{1,2}}) thang(?: dau nam)? {year}", s) or re.fullmatch(
        rf"tu dau nam den (?:het )?thang (\d{{1,2}})(?:/| nam ){year_only}", s
    )
    if m:
        months, y = int(m.group(1)), int(m.group(2))
        return span(_month(y, 1), _month(y, months))
    m = re.fullmatch(r"(\d{1,2}) thang(?: (?:dau|cuoi) nam)?", s)
    if m:
        return refuse(f"thiếu năm (ví dụ: {raw} 2022)")
    m = re.fullmatch(rf"6 thang cuoi {year}", s)
    if m:
        y = int(m.group(1))
        return span(_month(y, 7), _month(y, 12))
    m = re.fullmatch(rf"(?:ca )?nam {year_only}", s)
    if m:
        y = int(m.group(1))
        return span(_month(y, 1), _month(y, 12))
    m = re.fullmatch(rf"(?:quy ([iv]+|\d)|q(\d))(?:/| ){year}", s)
    if m:
        quarter = ROMAN_QUARTERS.get(m.group(1) or m.group(2))
        if quarter is None:
            return refuse(f"có quý không có thật (quý I đến IV); cách ghi được nhận: {PERIOD_FORMS}")
        y = int(m.group(3))
        return span(_month(y, quarter * 3 - 2), _month(y, quarter * 3))
    # Month ranges: "01/2022-11/2022", "1-11/2022", "từ tháng 3 đến tháng 5/2022".
    m = re.fullmatch(r"(?:thang |t)?(\d{1,2})/(\d{4})-(?:thang |t)?(\d{1,2})/(\d{4})", s)
    if m:
        return span(_month(int(m.group(2)), int(m.group(1))), _month(int(m.group(4)), int(m.group(3))))
    m = re.fullmatch(r"(?:thang |t)?(\d{1,2})-(?:t|thang )?(\d{1,2})/(\d{4})", s) or re.fullmatch(
        r"tu thang (\d{1,2}) den (?:het )?thang (\d{1,2})(?:/| nam )(\d{4})", s
    )
    if m:
        y = int(m.group(3))
        return span(_month(y, int(m.group(1))), _month(y, int(m.group(2))))
    # "từ tháng 01/2022 đến tháng 11/2022": months; "từ ngày 15/12/2021 đến ngày 14/6/2022": days.
    m = re.fullmatch(r"tu (?:thang )?(\d{1,2})/(\d{4}) den (?:het )?(?:thang )?(\d{1,2})/(\d{4})", s)
    if m:
        return span(_month(int(m.group(2)), int(m.group(1))), _month(int(m.group(4)), int(m.group(3))))
    m = re.fullmatch(r"tu(?: ngay)? (\S+) den(?: het)?(?: ngay)? (\S+)", s)
    if m:
        start, end = _day(m.group(1)), _day(m.group(2))
        if start is None or end is None:
            return refuse(f"có ngày không có thật; cách ghi được nhận: {PERIOD_FORMS}")
        if start > end:
            return refuse(f"có ngày đầu ({fmt_date(start)}) sau ngày cuối ({fmt_date(end)})")
        first = (
            dt.date(start.year, start.month, 1)
            if start.day < 15
            else _next_month(dt.date(start.year, start.month, 1))
        )
        last = (
            dt.date(end.year, end.month, 1)
            if end.day >= 14
            else _next_month(dt.date(end.year, end.month, 1), -1)
        )
        found, reason = span(first, last)
        if found is None or (start.day == 1 and _last_day(end)):
            return found, reason
        note = (
            f"kỳ báo cáo '{raw}' cắt theo ngày ({fmt_date(start)}–{fmt_date(end)}) được tính là các tháng "
            f"{first:%m/%Y}–{last:%m/%Y} (tháng chứa phần lớn số ngày của kỳ; báo cáo định kỳ theo Nghị định "
            "09/2019/NĐ-CP chốt số liệu ngày 14, tính từ ngày 15 tháng trước)"
        )
        return Period(found.first, found.last, note=note), None
    # A day: "15/8/2019", "tính đến ngày 15/8/2019", a date cell "2019-08-15 00:00:00".
    m = re.fullmatch(r"(?:(?:so lieu )?tinh den |den )?(?:het )?(?:ngay )?(\d{1,2}[/.-]\d{1,2}[/.-]\d{4})", s)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]00 00 00(?:\.0+)?)?", s)
    if m or iso:
        if m:
            day = _day(m.group(1))
        else:
            try:
                day = dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
            except ValueError:
                day = None
        if day is None or not 2000 <= day.year <= 2100:
            return refuse(f"có ngày không có thật; cách ghi được nhận: {PERIOD_FORMS}")
        month = dt.date(day.year, day.month, 1)
        return Period(month, month, date=None if day.day == 1 else day), None
    m = re.fullmatch(r"(?:thang |t)(\d{1,2})(?:/| nam )(\d{4})", s)
    if m:
        return span(_month(int(m.group(2)), int(m.group(1))), _month(int(m.group(2)), int(m.group(1))))
    month = parse_month(raw)
    if month is not None:
        return Period(month, month), None
    return refuse(f"không hợp lệ; cách ghi được nhận: {PERIOD_FORMS}")


def parse_period(text: str | None) -> tuple[dt.date, dt.date] | None:
    """A period's (first month, last month) in any form ``read_period`` accepts, else None."""
    period, _ = read_period(text)
    return (period.first, period.last) if period else None


# Commune counts as reports word them (folded), beside the catalog's own labels and ids.
_COUNT_WORDS: dict[str, str] = {
    fold(words): status_id
    for words, status_id in (
        ("Xã, phường, thị trấn không có tệ nạn ma túy", "drug_free_communes"),
        ("Xã không có tệ nạn ma túy", "drug_free_communes"),
        ("Xã không ma túy", "drug_free_communes"),
        ("Xã, phường, thị trấn có tệ nạn ma túy", "drug_problem_communes"),
        ("Xã có tệ nạn ma túy", "drug_problem_communes"),
        ("Xã, phường lành mạnh", "healthy_communes"),
        ("Xã, phường, thị trấn lành mạnh", "healthy_communes"),
        ("Xã lành mạnh", "healthy_communes"),
        ("Xã, phường phức tạp", "complex_communes"),
        ("Xã phức tạp", "complex_communes"),
        ("Xã, phường trọng điểm", "key_communes"),
        ("Xã trọng điểm", "key_communes"),
        ("Tổng số xã, phường, thị trấn", "commune_total"),
        ("Số xã, phường, thị trấn", "commune_total"),
    )
}


def _count_over_total(text) -> tuple[str, float] | None:
    """'18/142' → ('18', 142.0): a count and the report's number of communes; None otherwise."""
    m = re.fullmatch(r"\s*(\d[\d.]*)\s*/\s*(\d[\d.]*)\s*", str(text or ""))
    if m is None:
        return None
    total = parse_number(m.group(2))
    return (m.group(1), total) if total is not None else None


def _yes_no(text: str | None) -> bool | None:
    s = fold(text or "")
    if s in YES:
        return True
    if s in NO:
        return False
    return None


def _code_or_words(text: str | None, allowed: tuple[str, ...], words: dict[str, str]) -> str | None:
    if text is None:
        return None
    raw = str(text).strip()
    if raw in allowed:
        return raw
    return words.get(fold(raw))


def _indicator(text: str | None, kinds: tuple[str, ...]) -> str | None:
    if text is None:
        return None
    raw = str(text).strip()
    if raw in CATALOG and CATALOG[raw].kind in kinds:
        return raw
    folded = fold(raw)
    for ind in CATALOG.values():
        if ind.kind in kinds and folded in (fold(ind.label_vi), fold(ind.label_en)):
            return ind.id
    return None


# ---------------------------------------------------------------- sheets to rows


def _where(sheet: str, row: int) -> str:
    return f"dòng {row}"


def parse_facts(
    frame: pl.DataFrame,
    resolver: PeriodResolver,
    report: ImportReport,
    base_monthly,
    base_spans: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, list[tuple]]:
    """Rows of the figures sheet → monthly facts and totals over spans; also the typed rates to check."""
    base_spans = pl.DataFrame(schema=schema.SPANS_SCHEMA) if base_spans is None else base_spans
    cols = _columns(frame, SHEET_FACTS, report)
    rows: list[tuple] = []
    typed_rates: list[tuple] = []
    if cols is None:
        return _empty_facts(), base_spans, typed_rates
    header = {k: v for k, v in cols.items()}
    for i, rec in enumerate(frame.iter_rows(named=True), start=2):
        where = _where(SHEET_FACTS, i)
        bad = False
        reading, period_reason = read_period(rec[header["period"]])
        period = (reading.first, reading.last) if reading else None
        # The unit is read in the structure of the period's last month (a stock stands there, and
        # a flow's months must all be in one structure, checked below).
        code, reason = resolver.resolve(rec[header["unit"]] or "", period[1] if period else None)
        if reason is not None:
            report.errors.append(Problem("error", SHEET_FACTS, reason, column=header["unit"], where=where))
            bad = True
        if period is None:
            report.errors.append(
                Problem("error", SHEET_FACTS, period_reason, column=header["period"], where=where)
            )
            bad = True
        indicator = _indicator(rec[header["indicator"]], ("stock", "flow", "rate", "status"))
        indicator = _COUNT_WORDS.get(fold(str(rec[header["indicator"]] or "")), indicator)
        raw_value = rec[header["value"]]
        count_total = None
        if indicator in CATALOG and CATALOG[indicator].reported_for is not None:
            indicator = CATALOG[indicator].reported_for
        if indicator in REPORTED_COUNTS:
            # A commune count as printed: "18/142" is 18 communes out of the report's 142.
            indicator = REPORTED_COUNTS[indicator]
            count_total = _count_over_total(raw_value)
            if count_total is not None:
                raw_value = count_total[0]
        if indicator is None:
            report.errors.append(
                Problem(
                    "error",
                    SHEET_FACTS,
                    f"chỉ tiêu '{rec[header['indicator']]}' không có trong danh mục",
                    column=header["indicator"],
                    where=where,
                )
            )
            bad = True
        value = parse_number(raw_value)
        if value is None:
            thousands = english_thousands(raw_value)
            report.errors.append(
                Problem(
                    "error",
                    SHEET_FACTS,
                    f"giá trị '{raw_value}' không phải là số"
                    + (f" (viết {thousands}: dấu chấm ngăn cách hàng nghìn)" if thousands else ""),
                    column=header["value"],
                    where=where,
                )
            )
            bad = True
        elif value < 0:
            report.errors.append(
                Problem(
                    "error", SHEET_FACTS, f"giá trị âm ({raw_value})", column=header["value"], where=where
                )
            )
            bad = True
        elif (
            indicator is not None
            and CATALOG[indicator].is_fact
            and (why := _count_problem(raw_value, value, indicator))
        ):
            report.errors.append(Problem("error", SHEET_FACTS, why, column=header["value"], where=where))
            bad = True
        if not bad and indicator in FLOW_INDICATORS and period[0] < schema.STRUCTURE_FROM <= period[1]:
            report.errors.append(
                Problem(
                    "error",
                    SHEET_FACTS,
                    f"kỳ báo cáo '{rec[header['period']]}' vắt qua ngày 01/7/2025: số phát sinh trước đó "
                    f"tính theo {OLD_UNITS}, từ đó theo {NEW_UNITS} — ghi hai dòng, đến 06/2025 và "
                    "từ 07/2025 (ví dụ 01/2025-06/2025 và 07/2025-09/2025)",
                    column=header["period"],
                    where=where,
                )
            )
            bad = True
        if not bad and indicator in FLOW_INDICATORS and reading.date is not None:
            report.errors.append(
                Problem(
                    "error",
                    SHEET_FACTS,
                    f"kỳ báo cáo '{rec[header['period']]}' là một ngày ({fmt_date(reading.date)}): chỉ dùng "
                    "cho số tồn (số liệu tính đến ngày); số phát sinh ghi tháng hoặc kỳ cộng dồn (ví dụ: "
                    f"tháng {reading.date.month}/{reading.date.year}, {reading.date.month} tháng "
                    f"{reading.date.year})",
                    column=header["period"],
                    where=where,
                )
            )
            bad = True
        if bad or code is None:
            continue
        if reading.note is not None:
            report.warnings.append(
                Problem("warning", SHEET_FACTS, reading.note, column=header["period"], where=where)
            )
        first, last = period
        if CATALOG[indicator].kind in ("rate", "status"):
            typed_rates.append((i, code, indicator, first, last, value))
            continue
        if CATALOG[indicator].reported_for is not None and code is not None:
            if resolver.geography(last).level(code) == "commune":
                report.errors.append(
                    Problem(
                        "error",
                        SHEET_FACTS,
                        f"số xã '{rec[header['indicator']]}' chỉ ghi cho tỉnh, huyện; phân loại của một xã "
                        f"ghi ở trang '{SHEET_STATUS}'",
                        column=header["indicator"],
                        where=where,
                    )
                )
                continue
            if value != int(value):
                report.errors.append(
                    Problem(
                        "error",
                        SHEET_FACTS,
                        f"số xã '{rec[header['value']]}' phải là số nguyên",
                        column=header["value"],
                        where=where,
                    )
                )
                continue
            if count_total is not None:
                rows.append((i, code, REPORTED_COUNTS["commune_total"], first, last, count_total[1]))
        rows.append((i, code, indicator, first, last, value))
    facts, spans = _settle_ranges(rows, report, base_monthly, base_spans)
    return facts, spans, typed_rates


def _empty_facts() -> pl.DataFrame:
    return pl.DataFrame(schema=schema.FACTS_SCHEMA | {"_row": pl.Int64})


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], first
    while month <= last:
        out.append(month)
        month = _next_month(month)
    return out


def _settle_ranges(
    rows: list[tuple], report: ImportReport, base_monthly, base_spans: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Turn (row, unit, indicator, first, last, value) into monthly facts and totals over spans.

    A stock stands at the range's last month. A flow over several months is a total the months
    may not split (contract version 3, docs/DATA_CONTRACT.md): what the unit already has at the
    range's ends — months, earlier totals starting or ending there — is taken off, and the rest
    is booked over the months left. So '11 tháng 2022' after '9 tháng 2022' leaves October and
    November together; 'riêng tháng 11' beside '11 tháng 2022' leaves January to October together;
    a rest of one month is that month. Where every month before the last is known, the last takes
    the rest (as before version 3). A month imported inside an earlier span shortens it when it
    lies at one of its ends. Returns the facts and every span of the result (the base's kept).
    """
    out: list[tuple] = []
    spans: dict[tuple[str, str], dict[tuple[dt.date, dt.date], tuple[float, int | None]]] = {}
    for code, ind, first, last, value in base_spans.select(
        "unit_code", "indicator", "first_period", "last_period", "value"
    ).iter_rows():
        spans.setdefault((code, ind), {})[(first, last)] = (value, None)
    singles: dict[tuple[str, str], dict[dt.date, float]] = {}
    ranges: dict[tuple[str, str], list[tuple]] = {}
    for row, code, indicator, first, last, value in rows:
        if indicator in STOCK_INDICATORS or first == last:
            out.append((last, code, indicator, value, row))
            if indicator in FLOW_INDICATORS:
                singles.setdefault((code, indicator), {})[last] = value
        else:
            ranges.setdefault((code, indicator), []).append((row, first, last, value))

    def error(row: int | None, message: str) -> None:
        report.errors.append(Problem("error", SHEET_FACTS, message, column="Giá trị", where=f"dòng {row}"))

    # A month imported inside an earlier total: taken off at an end, refused in the middle.
    for key, months in singles.items():
        held = spans.get(key, {})
        for month, amount in sorted(months.items()):
            for (first, last), (total, row) in list(held.items()):
                if not first <= month <= last:
                    continue
                del held[(first, last)]
                rest = total - amount
                if month not in (first, last) or rest < 0:
                    error(
                        next(r for r, c, i, f, la, _v in rows if (c, i) == key and f == la == month),
                        f"tháng {month:%m/%Y} nằm trong kỳ {first:%m/%Y}–{last:%m/%Y} đã có tổng "
                        f"{fmt_number(total)} không tách được theo tháng; chỉ nhập được tháng đầu hoặc tháng "
                        "cuối của kỳ đó, không lớn hơn tổng",
                    )
                    continue
                first, last = (_next_month(first), last) if month == first else (first, _next_month(last, -1))
                if first == last:
                    out.append((first, key[0], key[1], rest, row or 0))
                    singles[key][first] = rest
                else:
                    held[(first, last)] = (rest, row)
    for key, items in ranges.items():
        code, indicator = key
        held = spans.setdefault(key, {})
        lo = min(i[1] for i in items)
        hi = max(i[2] for i in items)
        known = dict(base_monthly(code, indicator, lo, hi))
        known.update(singles.get(key, {}))
        booked = set(singles.get(key, {}))  # months this import writes for the unit already
        for row, first, last, value in sorted(items, key=lambda i: (i[1], i[2])):
            held.pop((first, last), None)  # the same period again: a revised total
            acc, pos, used = 0.0, first, []
            while pos <= last:
                starting = [(f, la) for f, la in held if f == pos and la <= last]
                if pos in known and pos < last:
                    acc += known[pos]
                    used.append(pos)
                    pos = _next_month(pos)
                elif starting:
                    acc += held[starting[0]][0]
                    pos = _next_month(starting[0][1])
                else:
                    break
            if pos == last and last not in booked:
                # Every month before the last is known: the last takes the rest.
                rest = value - acc
                if rest < 0:
                    error(
                        row,
                        f"tổng cộng dồn {fmt_number(value)} nhỏ hơn số đã báo cáo của các tháng trước "
                        f"({fmt_number(acc)})",
                    )
                    continue
                out.extend(
                    (month, code, indicator, known[month], row) for month in used if month not in booked
                )
                out.append((last, code, indicator, rest, row))
                known[last] = rest
                booked.update((*used, last))
                continue
            back = last
            while back >= pos:
                ending = [(f, la) for f, la in held if la == back and f >= pos]
                if back in known:
                    acc += known[back]
                    back = _next_month(back, -1)
                elif ending:
                    acc += held[ending[0]][0]
                    back = _next_month(ending[0][0], -1)
                else:
                    break
            rest = value - acc
            if back < pos:
                if abs(rest) > 1e-9:
                    error(
                        row,
                        f"tổng {fmt_number(value)} của kỳ {first:%m/%Y}–{last:%m/%Y} khác tổng các tháng, kỳ "
                        f"đã có ({fmt_number(acc)})",
                    )
                continue
            if rest < 0:
                error(
                    row,
                    f"tổng cộng dồn {fmt_number(value)} nhỏ hơn số đã báo cáo của các tháng trước "
                    f"({fmt_number(acc)})",
                )
                continue
            inside = [m for m in _months_between(pos, back) if m in known]
            crossing = [(f, la) for f, la in held if f <= back and la >= pos]
            if inside or crossing:
                what = (
                    f"tháng {inside[0]:%m/%Y}"
                    if inside
                    else f"kỳ {crossing[0][0]:%m/%Y}–{crossing[0][1]:%m/%Y}"
                )
                error(
                    row,
                    f"tổng {fmt_number(value)} của kỳ {first:%m/%Y}–{last:%m/%Y}: {what} đã có số riêng nằm "
                    f"giữa các tháng {pos:%m/%Y}–{back:%m/%Y} chưa có số, nên không tách được phần còn lại",
                )
                continue
            if pos == back:
                out.append((pos, code, indicator, rest, row))
                known[pos] = rest
                booked.add(pos)
            else:
                held[(pos, back)] = (rest, row)
    facts = (
        pl.DataFrame(out, schema=["period", "unit_code", "indicator", "value", "_row"], orient="row").cast(
            schema.FACTS_SCHEMA | {"_row": pl.Int64}
        )
        if out
        else _empty_facts()
    )
    span_rows = [
        (first, last, code, ind, value)
        for (code, ind), held in spans.items()
        for (first, last), (value, _row) in held.items()
    ]
    return facts, pl.DataFrame(span_rows, schema=schema.SPANS_SCHEMA, orient="row")


def _year_cell(rec: dict, cols: dict[str, str], sheet: str, where: str, report: ImportReport) -> int | None:
    """The row's year (2000–2100, a whole number), or None with the error reported."""
    year = parse_number(rec[cols["year"]])
    if year is None or year != int(year) or not 2000 <= year <= 2100:
        report.errors.append(
            Problem(
                "error", sheet, f"năm '{rec[cols['year']]}' không hợp lệ", column=cols["year"], where=where
            )
        )
        return None
    return int(year)


def parse_status(frame: pl.DataFrame, resolver: PeriodResolver, report: ImportReport) -> pl.DataFrame:
    cols = _columns(frame, SHEET_STATUS, report)
    rows = []
    if cols is not None:
        for i, rec in enumerate(frame.iter_rows(named=True), start=2):
            where = _where(SHEET_STATUS, i)
            year = _year_cell(rec, cols, SHEET_STATUS, where, report)
            bad = year is None
            code, reason = resolver.resolve(rec[cols["unit"]] or "", year, level="commune")
            if reason is not None:
                report.errors.append(Problem("error", SHEET_STATUS, reason, column=cols["unit"], where=where))
                bad = True
            drug_class = _code_or_words(rec[cols["drug_class"]], schema.DRUG_CLASSES, DRUG_CLASS_WORDS)
            if drug_class is None:
                report.errors.append(
                    Problem(
                        "error",
                        SHEET_STATUS,
                        f"phân loại '{rec[cols['drug_class']]}' không hợp lệ (Không ma túy, "
                        "Có tệ nạn, Trọng điểm loại I/II/III)",
                        column=cols["drug_class"],
                        where=where,
                    )
                )
                bad = True
            flags = {}
            for name in ("complex", "healthy"):
                cell = rec[cols[name]] if name in cols else None
                # An empty cell (or no column) says nothing: unknown, not "Không" (query.status_counts).
                if cell is None or not str(cell).strip():
                    flags[name] = None
                    continue
                flags[name] = _yes_no(cell)
                if flags[name] is None:
                    report.errors.append(
                        Problem(
                            "error",
                            SHEET_STATUS,
                            f"'{rec[cols[name]]}' phải là Có hoặc Không",
                            column=cols[name],
                            where=where,
                        )
                    )
                    bad = True
            if not bad and flags["healthy"] and (flags["complex"] or drug_class != "khong_ma_tuy"):
                report.errors.append(
                    Problem(
                        "error",
                        SHEET_STATUS,
                        "xã lành mạnh không thể đồng thời là xã trọng điểm, phức tạp hoặc có tệ nạn ma túy",
                        column=cols["healthy"],
                        where=where,
                    )
                )
                bad = True
            if not bad and code is not None:
                rows.append((int(year), code, drug_class, flags["complex"], flags["healthy"], i))
    return pl.DataFrame(rows, schema=schema.STATUS_SCHEMA | {"_row": pl.Int64}, orient="row")


def parse_targets(frame: pl.DataFrame, resolver: PeriodResolver, report: ImportReport) -> pl.DataFrame:
    cols = _columns(frame, SHEET_TARGETS, report)
    rows = []
    if cols is not None:
        for i, rec in enumerate(frame.iter_rows(named=True), start=2):
            where = _where(SHEET_TARGETS, i)
            year = _year_cell(rec, cols, SHEET_TARGETS, where, report)
            bad = year is None
            code, reason = resolver.resolve(rec[cols["unit"]] or "", year, country=True)
            if reason is not None:
                report.errors.append(
                    Problem("error", SHEET_TARGETS, reason, column=cols["unit"], where=where)
                )
                bad = True
            metric = _indicator(rec[cols["metric"]], ("stock", "flow", "rate", "status"))
            if metric is None:
                report.errors.append(
                    Problem(
                        "error",
                        SHEET_TARGETS,
                        f"chỉ số '{rec[cols['metric']]}' không có trong danh mục",
                        column=cols["metric"],
                        where=where,
                    )
                )
                bad = True
            rule = _code_or_words(rec[cols["rule"]], schema.RULES, RULE_WORDS)
            if rule is None:
                report.errors.append(
                    Problem(
                        "error",
                        SHEET_TARGETS,
                        f"quy tắc '{rec[cols['rule']]}' không hợp lệ",
                        column=cols["rule"],
                        where=where,
                    )
                )
                bad = True
            value = parse_number(rec[cols["value"]])
            if value is None or value < 0:
                report.errors.append(
                    Problem(
                        "error",
                        SHEET_TARGETS,
                        f"giá trị '{rec[cols['value']]}' phải là số không âm",
                        column=cols["value"],
                        where=where,
                    )
                )
                bad = True
            note = rec.get(cols["note"]) if "note" in cols else None
            reported = parse_number(rec.get(cols["reported_pct"])) if "reported_pct" in cols else None
            if not bad and code is not None:
                rows.append((int(year), code, metric, rule, value, note, reported, i))
    return pl.DataFrame(
        rows, schema=schema.TARGETS_SCHEMA | {"reported_pct": pl.Float64, "_row": pl.Int64}, orient="row"
    )


def _duplicates(frame: pl.DataFrame, key: tuple[str, ...], sheet: str, report: ImportReport) -> None:
    dup = frame.filter(pl.struct(key).is_duplicated())
    for group in dup.group_by(key, maintain_order=True).agg(pl.col("_row")).iter_rows(named=True):
        label = ", ".join(f"{k}={group[k]}" for k in key)
        rows = ", ".join(str(r) for r in sorted(set(group["_row"])))
        report.errors.append(Problem("error", sheet, f"trùng khóa ({label})", where=f"các dòng {rows}"))


# ---------------------------------------------------------------- checks against the data


def _merge_facts(base: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    kept = base.join(new.select(schema.FACTS_KEY), on=list(schema.FACTS_KEY), how="anti")
    return pl.concat([kept, new.select(list(schema.FACTS_SCHEMA))])


def _check_parts(merged: pl.DataFrame, imported: pl.DataFrame, report: ImportReport) -> None:
    """Parts may not exceed their whole, for every unit and month the import touches.

    Addicts above drug users is only a warning: the catalog's drug users include addicts, but a
    police-style report counts them as two groups and may have been typed with its second group
    as the total (catalog.DRUG_USERS_NOTE_VI); such a report imports, with the definition quoted.
    """
    touched = imported.select("period", "unit_code").unique()
    wide = merged.join(touched, on=["period", "unit_code"], how="semi").pivot(
        on="indicator", index=["period", "unit_code"], values="value"
    )
    rows = imported.group_by("period", "unit_code").agg(pl.col("_row").min())
    wide = wide.join(rows, on=["period", "unit_code"], how="left")
    checks = [(p, w, "error") for p, w in PARTS_OF_WHOLE] + [
        (p, w, "warning") for p, w in PARTS_OF_WHOLE_WARNED
    ]
    for parts, whole, severity in checks:
        if whole not in wide.columns or not any(p in wide.columns for p in parts):
            continue
        present = [p for p in parts if p in wide.columns]
        total = pl.sum_horizontal([pl.col(p).fill_null(0) for p in present])
        bad = wide.filter(total > pl.col(whole))
        for rec in bad.iter_rows(named=True):
            names = " + ".join(CATALOG[p].label_vi for p in present)
            value = sum(rec[p] or 0 for p in present)
            message = (
                f"{names} = {fmt_number(value)} lớn hơn "
                f"{CATALOG[whole].label_vi} = {fmt_number(rec[whole])} "
                f"(đơn vị {rec['unit_code']}, tháng {rec['period']:%m/%Y})"
            )
            if severity == "warning":
                message += (
                    f"; vẫn nhập — lưu ý: '{CATALOG[whole].label_vi}' là {CATALOG[whole].note_vi[0].lower()}"
                    f"{CATALOG[whole].note_vi[1:]}"
                )
            target = report.errors if severity == "error" else report.warnings
            target.append(Problem(severity, SHEET_FACTS, message, where=f"dòng {rec['_row']}"))


def _check_jumps(base: pl.DataFrame, imported: pl.DataFrame, report: ImportReport) -> None:
    """A value more than JUMP_FACTOR times the same unit's previous month (or under 1/JUMP_FACTOR)."""
    prev = base.select(
        pl.col("period").dt.offset_by("1mo").alias("period"),
        "unit_code",
        "indicator",
        pl.col("value").alias("_prev"),
    )
    joined = imported.filter(pl.col("indicator").is_in(list(STOCK_INDICATORS))).join(
        prev, on=["period", "unit_code", "indicator"], how="inner"
    )
    jumps = joined.filter(
        (pl.col("_prev") > 0)
        & (
            (pl.col("value") > pl.col("_prev") * JUMP_FACTOR)
            | (pl.col("value") * JUMP_FACTOR < pl.col("_prev"))
        )
    )
    for rec in jumps.iter_rows(named=True):
        report.warnings.append(
            Problem(
                "warning",
                SHEET_FACTS,
                f"{CATALOG[rec['indicator']].label_vi} của {rec['unit_code']} thay đổi bất thường: "
                f"{fmt_number(rec['_prev'])} → {fmt_number(rec['value'])} "
                f"(gấp hơn {JUMP_FACTOR:g} lần so với tháng trước)",
                where=f"dòng {rec['_row']}",
            )
        )


def _check_parent_sums(
    merged: pl.DataFrame, imported: pl.DataFrame, geography: Geography, report: ImportReport
) -> None:
    """A parent's own figure that differs from the sum of its children's (a warning)."""
    parents = imported.filter(pl.col("unit_code").str.len_chars() < 5)
    for rec in parents.iter_rows(named=True):
        children = geography.children(rec["unit_code"])
        if not children:
            continue
        rolled = query.rollup_months(
            merged.filter(pl.col("unit_code") != rec["unit_code"]).filter(pl.col("period") == rec["period"]),
            geography,
            children,
            [rec["indicator"]],
        )
        if rolled.is_empty():
            continue
        total = rolled["value"].sum()
        if total != rec["value"]:
            report.warnings.append(
                Problem(
                    "warning",
                    SHEET_FACTS,
                    f"{CATALOG[rec['indicator']].label_vi} của {geography.name(rec['unit_code'])} tháng "
                    f"{rec['period']:%m/%Y} là {fmt_number(rec['value'])}, "
                    f"khác tổng của các đơn vị trực thuộc ({fmt_number(total)})",
                    where=f"dòng {rec['_row']}",
                )
            )


def _check_typed_rates(
    typed: list[tuple],
    merged: pl.DataFrame,
    status: pl.DataFrame,
    geography: Geography,
    report: ImportReport,
    spans: pl.DataFrame | None = None,
) -> None:
    for row, code, indicator, first, last, value in typed:
        grain = {1: "month", 3: "quarter", 6: "6m", 9: "9m", 12: "year"}.get(last.month - first.month + 1)
        if grain is None or (grain in ("6m", "9m", "year") and first.month != 1):
            continue
        out = query.summarize(
            query.from_facts(merged, geography),
            status,
            geography,
            [code],
            [indicator],
            grain=grain,
            years=(first.year, first.year),
            spans=spans,
        )
        out = out.filter((pl.col("period") == first) & pl.col("value").is_not_null())
        if out.is_empty():
            continue
        computed = out["value"].item()
        if abs(computed - value) > TYPED_PCT_TOLERANCE:
            entry = CATALOG[indicator]
            parts = (
                f"{entry.numerator} / {entry.denominator}"
                if entry.kind == "rate"
                else "số xã không có tệ nạn ma túy / tổng số xã"
            )
            report.warnings.append(
                Problem(
                    "warning",
                    SHEET_FACTS,
                    f"{entry.label_vi} ghi {typed_pct(value)} nhưng tính từ số liệu "
                    f"({parts}) là {fmt_pct(computed)}",
                    where=f"dòng {row}",
                )
            )


def _check_counts_against_lists(
    imported: pl.DataFrame, status: pl.DataFrame, geography: Geography, report: ImportReport
) -> None:
    """A reported commune count for a unit and year that a commune list also covers: the list
    wins (query.status_counts), so a count that differs from it is named, with both figures."""
    reported_ids = {fact: status_id for status_id, fact in REPORTED_COUNTS.items()}
    rows = imported.filter(pl.col("indicator").is_in(list(reported_ids)))
    if rows.is_empty() or status.is_empty():
        return
    for (code, year), part in rows.group_by(
        "unit_code", pl.col("period").dt.year().alias("year"), maintain_order=True
    ):
        counts = query.status_counts(status, geography, [code], (year, year))
        if counts.is_empty():
            continue
        listed = counts.row(0, named=True)
        for indicator, value, row in part.sort("period").select("indicator", "value", "_row").iter_rows():
            status_id = reported_ids[indicator]
            if status_id == "commune_total" or listed[status_id] is None or listed[status_id] == value:
                continue
            report.warnings.append(
                Problem(
                    "warning",
                    SHEET_FACTS,
                    f"{CATALOG[status_id].label_vi} của {geography.name(code)} năm {year}: báo cáo ghi "
                    f"{fmt_number(value)}, danh sách xã ở trang '{SHEET_STATUS}' có "
                    f"{fmt_number(listed[status_id])} — dùng số theo danh sách xã",
                    where=f"dòng {row}",
                )
            )


def _check_achievement(
    targets: pl.DataFrame,
    merged: pl.DataFrame,
    status: pl.DataFrame,
    geography: Geography,
    report: ImportReport,
    spans: pl.DataFrame | None = None,
) -> None:
    """Quotas over 150% achieved, and typed achievement percentages that do not match their own parts."""
    quotas = targets.filter((pl.col("rule") == "at_least") & (pl.col("value") > 0))
    for rec in quotas.iter_rows(named=True):
        out = query.summarize(
            query.from_facts(merged, geography),
            status,
            geography,
            [rec["unit_code"]],
            [rec["metric"]],
            grain="year",
            years=(rec["year"], rec["year"]),
            spans=spans,
        )
        out = out.filter(pl.col("value").is_not_null())
        if out.is_empty():
            continue
        actual = out["value"].item()
        pct = actual / rec["value"] * 100
        label = CATALOG[rec["metric"]].label_vi
        if pct > ACHIEVEMENT_WARNING_PCT:
            report.warnings.append(
                Problem(
                    "warning",
                    SHEET_TARGETS,
                    f"{label} năm {rec['year']}: đạt {fmt_pct(pct)} chỉ tiêu ({fmt_number(actual)}/"
                    f"{fmt_number(rec['value'])}), trên {ACHIEVEMENT_WARNING_PCT}%",
                    where=f"dòng {rec['_row']}",
                )
            )
        typed = rec.get("reported_pct")
        if typed is not None and abs(typed - pct) > TYPED_PCT_TOLERANCE:
            report.warnings.append(
                Problem(
                    "warning",
                    SHEET_TARGETS,
                    f"{label} năm {rec['year']}: báo cáo ghi đạt {typed_pct(typed)} nhưng "
                    f"{fmt_number(actual)}/{fmt_number(rec['value'])} = {fmt_pct(pct)}",
                    where=f"dòng {rec['_row']}",
                )
            )


# ---------------------------------------------------------------- the import


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_import(
    data: bytes,
    filename: str,
    base: Snapshot | None,
    geography: Geography,
    max_bytes: int = DEFAULT_MAX_BYTES,
    geography_2025: Geography | None = None,
    scope: Access = FULL_ACCESS,
) -> ImportReport:
    """Read and check a report file against the base snapshot; write nothing.

    Each row's unit is read in the structure of its period (``PeriodResolver``). The result is
    contract version 2 (``report.structure_from``) when the base is, or when the file has rows
    from 07/2025 (lists and targets from 2025); a version 1 base is then carried over unchanged,
    provided it holds nothing of those periods in the old units.

    A file with a row for a unit outside ``scope`` is refused before anything in the base is
    looked up: the report then holds only those refusals, so no check can quote a figure of a
    unit the user may not see.
    """
    report = ImportReport()
    try:
        sheets = read_sheets(data, filename, max_bytes)
    except ImportRefused as exc:
        report.errors.append(Problem("error", filename, str(exc)))
        return report
    geo_new = reform.geography_2025() if geography_2025 is None else geography_2025
    resolver = PeriodResolver.of(geography, geo_new)
    report.errors.extend(rows_outside(sheets, resolver, scope))
    if report.errors:
        return report
    base_facts = base.facts if base is not None else pl.DataFrame(schema=schema.FACTS_SCHEMA)
    base_status = base.status if base is not None else pl.DataFrame(schema=schema.STATUS_SCHEMA)
    base_targets = base.targets if base is not None else pl.DataFrame(schema=schema.TARGETS_SCHEMA)

    def base_monthly(code: str, indicator: str, first: dt.date, last: dt.date) -> dict[dt.date, float]:
        # A range lies in one structure (parse_facts refuses flows across 07/2025).
        if not scope.allows(code, resolver.geography(first)):  # rows_outside refused such rows
            raise PermissionError(f"đơn vị {code} ngoài phạm vi được phân quyền")
        months = query.rollup_months(
            base_facts.filter(pl.col("period").is_between(first, last)),
            resolver.geography(first),
            [code],
            [indicator],
        )
        return {p: v for p, v in months.select("period", "value").sort("period").iter_rows()}

    typed: list[tuple] = []
    facts = _empty_facts()
    base_spans = base.spans if base is not None else pl.DataFrame(schema=schema.SPANS_SCHEMA)
    spans = base_spans
    if SHEET_FACTS in sheets:
        facts, spans, typed = parse_facts(sheets[SHEET_FACTS], resolver, report, base_monthly, base_spans)
        _duplicates(facts, schema.FACTS_KEY, SHEET_FACTS, report)
    status = pl.DataFrame(schema=schema.STATUS_SCHEMA | {"_row": pl.Int64})
    if SHEET_STATUS in sheets:
        status = parse_status(sheets[SHEET_STATUS], resolver, report)
        _duplicates(status, schema.STATUS_KEY, SHEET_STATUS, report)
    targets = pl.DataFrame(schema=schema.TARGETS_SCHEMA | {"reported_pct": pl.Float64, "_row": pl.Int64})
    if SHEET_TARGETS in sheets:
        targets = parse_targets(sheets[SHEET_TARGETS], resolver, report)
        _duplicates(targets, schema.TARGETS_KEY, SHEET_TARGETS, report)
    new_spans = spans.join(base_spans, on=list(schema.SPANS_SCHEMA), how="anti", nulls_equal=True).height
    report.imported_rows = facts.height + status.height + targets.height + new_spans
    newest = [d for d in (facts["period"].max(), spans["last_period"].max()) if d is not None]
    if newest:
        report.latest_month = max(newest)
    if not report.imported_rows and not typed and not report.errors:
        report.errors.append(Problem("error", filename, "tệp không có dòng số liệu nào"))
    if report.errors:
        return report

    new_rows = (
        facts.filter(pl.col("period") >= schema.STRUCTURE_FROM).height
        + spans.filter(pl.col("first_period") >= schema.STRUCTURE_FROM).height
        + status.filter(pl.col("year") >= schema.FIRST_NEW_YEAR).height
        + targets.filter(pl.col("year") >= schema.FIRST_NEW_YEAR).height
        + sum(last >= schema.STRUCTURE_FROM for *_, last, _ in typed)
    )
    versioned = (base is not None and base.structure_from is not None) or new_rows > 0
    if versioned and base is not None and base.structure_from is None:
        held = _old_units_after_reform(base)
        if held:
            report.errors.append(
                Problem(
                    "error",
                    filename,
                    f"tệp có {fmt_number(new_rows)} dòng từ 07/2025 (danh sách, chỉ tiêu từ năm 2025) theo "
                    f"{NEW_UNITS}, nên bản chụp mới theo hợp đồng dữ liệu phiên bản 2; nhưng bản chụp nền "
                    f"{base.snapshot_id} (phiên bản 1) giữ {held} theo {OLD_UNITS}, không chuyển được mà "
                    "không mất số liệu — chọn bản chụp nền phiên bản 2 hoặc không dùng bản chụp nền",
                )
            )
            return report
    report.structure_from = schema.STRUCTURE_FROM if versioned else None

    merged = _merge_facts(base_facts, facts)
    merged_status = pl.concat(
        [
            base_status.join(status.select(schema.STATUS_KEY), on=list(schema.STATUS_KEY), how="anti"),
            status.select(list(schema.STATUS_SCHEMA)),
        ]
    )
    merged_targets = pl.concat(
        [
            base_targets.join(targets.select(schema.TARGETS_KEY), on=list(schema.TARGETS_KEY), how="anti"),
            targets.select(list(schema.TARGETS_SCHEMA)),
        ]
    )
    # Checks that read the unit tree run in each structure on that structure's rows only.
    for is_new, geo in ((False, geography), (True, geo_new)):
        if is_new and not versioned:
            continue
        in_months = _in_structure("period", schema.STRUCTURE_FROM, is_new, versioned)
        in_years = _in_structure("year", schema.FIRST_NEW_YEAR, is_new, versioned)
        part, imported = merged.filter(in_months), facts.filter(in_months)
        part_status = merged_status.filter(in_years)
        part_spans = spans.filter(_in_structure("first_period", schema.STRUCTURE_FROM, is_new, versioned))
        if not imported.is_empty():
            _check_parent_sums(part, imported, geo, report)
            _check_counts_against_lists(imported, part_status, geo, report)
        _check_typed_rates(
            [r for r in typed if not versioned or _typed_in(r, is_new)],
            part,
            part_status,
            geo,
            report,
            part_spans,
        )
        # A 2025 target in the new units is judged on the whole year, converted (the goals page
        # does it); the months from July alone would understate it, so it is not checked here.
        judged = targets.filter(in_years)
        if is_new:
            judged = judged.filter(pl.col("year") > schema.FIRST_NEW_YEAR)
        if not judged.is_empty():
            _check_achievement(judged, part, part_status, geo, report, part_spans)
    if not facts.is_empty():
        _check_parts(merged, facts, report)
        # June 2025 and July 2025 name different units under one code: no jump across them.
        _check_jumps(
            base_facts,
            facts.filter(pl.col("period") != schema.STRUCTURE_FROM) if versioned else facts,
            report,
        )
    report.facts, report.status, report.targets = merged, merged_status, merged_targets
    report.spans = spans
    return report


def _typed_in(typed_rate: tuple, is_new: bool) -> bool:
    """Whether a typed rate's months all lie in the new (or all in the old) structure."""
    first, last = typed_rate[3], typed_rate[4]
    if first < schema.STRUCTURE_FROM <= last:
        return False  # straddles the reform: not compared with one structure's figures
    return (first >= schema.STRUCTURE_FROM) == is_new


def _in_structure(column: str, cut, is_new: bool, versioned: bool) -> pl.Expr:
    if not versioned:
        return pl.lit(True)
    return pl.col(column) >= cut if is_new else pl.col(column) < cut


def _old_units_after_reform(base: Snapshot) -> str:
    """What a version 1 snapshot holds of the periods a version 2 one keys in the new units ('' if none)."""
    facts = base.scan().filter(pl.col("period") >= schema.STRUCTURE_FROM).select(pl.len()).collect().item()
    lists = base.status.filter(pl.col("year") >= schema.FIRST_NEW_YEAR).height
    targets = base.targets.filter(pl.col("year") >= schema.FIRST_NEW_YEAR).height
    held = [
        f"{fmt_number(n)} {what}"
        for n, what in (
            (facts, "dòng số liệu từ 07/2025"),
            (lists, "dòng phân loại xã từ năm 2025"),
            (targets, "chỉ tiêu từ năm 2025"),
        )
        if n
    ]
    return ", ".join(held)


def rows_outside(sheets: dict[str, pl.DataFrame], resolver: PeriodResolver, scope: Access) -> list[Problem]:
    """One refusal per row naming a unit outside ``scope``, read from the unit and period cells only.

    The unit is read in the structure of the row's period (a scope answers in its own structure
    only, so a row of the other structure is outside it). A row whose period cannot be read is
    refused when every unit its cell names, in either structure, is outside the scope.
    """
    if scope.whole_country:
        return []
    refused: list[Problem] = []
    for sheet, frame in sheets.items():
        folded = {fold(c): c for c in frame.columns}

        def column(key: str, sheet: str = sheet, folded: dict = folded) -> str | None:
            return next((folded[a] for a in HEADERS[sheet].get(key, ()) if a in folded), None)

        unit_col = column("unit")
        when_col = column("period" if sheet == SHEET_FACTS else "year")
        if unit_col is None:
            continue
        level = "commune" if sheet == SHEET_STATUS else None
        for i, rec in enumerate(frame.iter_rows(named=True), start=2):
            when = _row_when(sheet, rec[when_col] if when_col else None)
            outside = _outside_scope(
                str(rec[unit_col] or ""), when, resolver, scope, level, country=sheet == SHEET_TARGETS
            )
            if outside is not None:
                code, geography = outside
                refused.append(
                    Problem(
                        "error",
                        sheet,
                        f"{geography.name(code)} (mã {code}) ngoài phạm vi được phân quyền: "
                        "không nhập số liệu của đơn vị này",
                        column=unit_col,
                        where=_where(sheet, i),
                    )
                )
    return refused


def _row_when(sheet: str, cell) -> dt.date | int | None:
    """The month (figures: the period's last) or year (lists, targets) a row's unit is read in."""
    if sheet == SHEET_FACTS:
        period = parse_period(cell)
        return period[1] if period else None
    year = parse_number(cell)
    return int(year) if year is not None and year == int(year) and 2000 <= year <= 2100 else None


def _outside_scope(
    cell: str, when, resolver: PeriodResolver, scope: Access, level: str | None, country: bool = False
) -> tuple[str, Geography] | None:
    """The unit (code and its tree) a row names outside ``scope``, or None."""
    if when is not None:
        code, _ = resolver.resolve(cell, when, level, country)
        tree = resolver.geography(when)
        return (code, tree) if code is not None and not scope.allows(code, tree) else None
    found = [
        (code, r.geography)
        for r in (resolver.legacy, resolver.new)
        if (code := r.resolve(cell, level, country)[0])
    ]
    if found and not any(scope.allows(code, tree) for code, tree in found):
        return found[0]
    return None


def suggested_as_of(report: ImportReport, today: dt.date | None = None) -> dt.date:
    """The date an import's figures stand at: the last day of its newest month (else today)."""
    if report.latest_month is None:
        return today or dt.date.today()
    month = report.latest_month
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _same(a: pl.DataFrame, b: pl.DataFrame, key: tuple[str, ...]) -> bool:
    return a.height == b.height and a.sort(key).equals(b.select(a.columns).sort(key))


# ``import_file``'s base: the newest valid snapshot, found once the write lock is held (so an
# import waiting for another builds on it), or none at all (real data started from nothing).
NEWEST = "newest"
NO_BASE = "none"


def _refused(filename: str, message: str) -> ImportReport:
    report = ImportReport()
    report.errors.append(Problem("error", filename, message))
    report.message = "Không ghi gì."
    return report


def newest_snapshot(data_dir: Path, geography: Geography) -> Snapshot | None:
    """The newest valid snapshot under ``data_dir`` (the one the app opens), or None."""
    for folder in snapshot_dirs(data_dir):
        snap, _ = validate_snapshot(folder, geography)
        if snap is not None:
            return snap
    return None


def _find_base(
    base: Snapshot | str | None, data_dir: Path, geography: Geography, filename: str, demo_ok: bool
) -> tuple[Snapshot | None, ImportReport | None]:
    """The base snapshot ``base`` stands for, or a refusal naming why."""
    if base is None or base == NO_BASE or isinstance(base, Snapshot):
        return (None if base == NO_BASE else base), None
    root = Path(data_dir) / "snapshots"
    if base == NEWEST:
        found = newest_snapshot(data_dir, geography)
        if found is not None and found.demo and not demo_ok:
            return None, _refused(
                filename,
                f"bản chụp mới nhất {found.snapshot_id} là dữ liệu minh họa (demo); số liệu thật không "
                "được trộn vào đó nếu không chọn rõ — chọn không dùng bản chụp nền (dòng lệnh: --base "
                "none) để bắt đầu dữ liệu thật, hoặc chọn rõ bản chụp mới nhất làm nền (dòng lệnh: --base "
                "newest; bản chụp mới vẫn ghi là minh họa)",
            )
        return found, None
    if not schema.SNAPSHOT_ID.match(str(base)) or not (root / str(base)).is_dir():
        listed = ", ".join(p.name for p in snapshot_dirs(data_dir)[:5]) or "(chưa có bản chụp nào)"
        return None, _refused(
            filename, f"bản chụp nền '{base}' không có trong {root} (các bản chụp có: {listed})"
        )
    snap, problems = validate_snapshot(root / str(base), geography)
    if snap is None:
        errors = "; ".join(str(p) for p in problems if p.severity == "error")
        return None, _refused(filename, f"bản chụp nền {base} không hợp lệ: {errors}")
    return snap, None


def import_file(
    data: bytes,
    filename: str,
    data_dir: Path,
    as_of: str | None = None,
    base: Snapshot | str | None = NEWEST,
    geography: Geography | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    geography_2025: Geography | None = None,
    demo_ok: bool = False,
    today: dt.date | None = None,
    scope: Access = FULL_ACCESS,
) -> ImportReport:
    """Check a report file and, if it has no errors, write base + imported rows as a new snapshot.

    ``base``: ``NEWEST`` (the newest valid snapshot, whatever its version — refused when it is
    the demo unless ``demo_ok``, so real figures are never mixed into it by default), a snapshot
    id or ``Snapshot`` (chosen on purpose), or ``NO_BASE``/None (start from nothing). ``as_of``:
    the date the file's figures stand at (default: the end of its newest month); the snapshot's
    own ``as_of`` is the later of it and its base's, as it holds both. The new snapshot's id is the
    day it is made (``next_snapshot_id``), so it is the newest one whatever period it fills in.

    Everything from choosing the base to renaming the new folder happens under the data folder's
    write lock: concurrent imports (CLI or app) run one after another, each on the previous one.
    """
    geography = reform.legacy_geography() if geography is None else geography
    if as_of is not None:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of):
            return _refused(filename, f"ngày số liệu '{as_of}' phải có dạng YYYY-MM-DD")
        try:
            dt.date.fromisoformat(as_of)
        except ValueError:
            return _refused(filename, f"ngày số liệu '{as_of}' không có thật")
    with write_lock(data_dir):
        chosen, refusal = _find_base(base, data_dir, geography, filename, demo_ok)
        if refusal is not None:
            return refusal
        return _import_locked(
            data, filename, Path(data_dir), as_of, chosen, geography, max_bytes, geography_2025, today, scope
        )


def _import_locked(
    data: bytes,
    filename: str,
    data_dir: Path,
    as_of: str | None,
    base: Snapshot | None,
    geography: Geography,
    max_bytes: int,
    geography_2025: Geography | None,
    today: dt.date | None,
    scope: Access = FULL_ACCESS,
) -> ImportReport:
    report = check_import(data, filename, base, geography, max_bytes, geography_2025, scope)
    if not report.ok:
        report.message = f"Không ghi gì: tệp có {len(report.errors)} lỗi, xem danh sách lỗi."
        return report
    digest = file_digest(data)
    root = data_dir / "snapshots"
    for folder in snapshot_dirs(data_dir):
        try:
            manifest = json.loads((folder / schema.MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and manifest.get("import_sha256") == digest:
            report.message = f"Tệp này đã được nhập vào bản chụp {folder.name}; không tạo bản chụp mới."
            return report
    if (
        base is not None
        and _same(base.facts, report.facts, schema.FACTS_KEY)
        and _same(base.status, report.status, schema.STATUS_KEY)
        and _same(base.targets, report.targets, schema.TARGETS_KEY)
        and _same(base.spans, report.spans, schema.SPANS_KEY)
    ):
        report.message = (
            f"Tệp không làm thay đổi số liệu của bản chụp {base.snapshot_id}; không tạo bản chụp mới."
        )
        return report
    file_as_of = as_of or suggested_as_of(report, today).isoformat()
    snap_as_of = max(file_as_of, base.as_of) if base is not None else file_as_of
    created = dt.datetime.now().astimezone().replace(microsecond=0)
    file_date = fmt_date(dt.date.fromisoformat(file_as_of))
    source = f"Nhập từ tệp {filename} (số liệu tính đến ngày {file_date})" + (
        f" trên nền bản chụp {base.snapshot_id}" if base else ", không dùng bản chụp nền"
    )
    for _attempt in range(20):
        snapshot_id = next_snapshot_id(root, today)
        try:
            path = write_snapshot(
                root,
                snapshot_id,
                report.facts,
                report.status,
                report.targets,
                as_of=snap_as_of,
                created_at=created.isoformat(),
                source=source,
                demo=bool(base.demo) if base is not None else False,
                extra={
                    "import_sha256": digest,
                    "import_file": filename,
                    "import_as_of": file_as_of,
                    "base_snapshot": base.snapshot_id if base else None,
                },
                geography=geography,
                structure_from=report.structure_from,
                geography_2025=geography_2025,
                derive_2025=True,  # the figures in the 2025 units too, for the structure switch
                spans=report.spans,
            )
            break
        except FileExistsError:
            continue  # an id taken by a writer outside the lock (the demo): the next one
    else:
        report.errors.append(Problem("error", filename, f"không chọn được mã bản chụp mới trong {root}"))
        report.message = "Không ghi gì."
        return report
    report.written, report.as_of = path, snap_as_of
    report.message = (
        f"Đã tạo bản chụp mới {snapshot_id} (tạo lúc {created:%H:%M} ngày {fmt_date(created.date())}; "
        f"số liệu tính đến ngày {fmt_date(dt.date.fromisoformat(snap_as_of))}; "
        + (f"nền: bản chụp {base.snapshot_id}" if base else "không dùng bản chụp nền")
        + ")."
    )
    return report


# ---------------------------------------------------------------- comparing snapshots


def compare(old: Snapshot, new: Snapshot) -> pl.DataFrame:
    """Facts revised, added or removed between two snapshots: one row each, with both values."""
    key = list(schema.FACTS_KEY)
    joined = old.facts.join(new.facts, on=key, how="full", coalesce=True, suffix="_new")
    changed = joined.filter(
        pl.col("value").is_null() | pl.col("value_new").is_null() | (pl.col("value") != pl.col("value_new"))
    )
    return changed.select(
        *key,
        pl.col("value").alias("old_value"),
        pl.col("value_new").alias("new_value"),
        pl.when(pl.col("value").is_null())
        .then(pl.lit("added"))
        .when(pl.col("value_new").is_null())
        .then(pl.lit("removed"))
        .otherwise(pl.lit("revised"))
        .alias("change"),
    ).sort(key)


# ---------------------------------------------------------------- the template


@lru_cache(maxsize=1)  # the same bytes each time; the Dữ liệu page offers it on every run
def template_bytes() -> bytes:
    """The Excel template handed out by the app and the CLI (with the list of the new units)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": theme.TEMPLATE_HEADER_FILL, "border": 1})
    text = book.add_format({"num_format": "@"})
    for sheet, headers in TEMPLATE_HEADERS.items():
        ws = book.add_worksheet(sheet)
        ws.write_row(0, 0, headers, bold)
        ws.set_column(0, len(headers) - 1, 24, text)
        ws.freeze_panes(1, 0)
    ws = book.add_worksheet(SHEET_HELP)
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    ws.set_column(0, 0, 110, wrap)
    lines = [
        "MẪU BÁO CÁO SỐ LIỆU — Ban chỉ đạo phòng, chống tội phạm, tệ nạn ma túy, mại dâm và HIV/AIDS",
        "",
        "Đơn vị hành chính theo kỳ báo cáo: từ tháng 07/2025 (danh sách, chỉ tiêu từ năm 2025) ghi theo "
        "đơn vị hành chính mới — tỉnh, thành phố và xã, phường, đặc khu, không còn cấp huyện; danh mục ở "
        f"trang '{SHEET_UNITS_2025}'. Các tháng trước 07/2025 (năm trước 2025) ghi theo đơn vị cũ "
        "(tỉnh, huyện, xã trước sáp nhập). Cùng một mã hoặc tên có thể là hai đơn vị khác nhau ở hai thời "
        "kỳ: kỳ báo cáo quyết định là đơn vị nào. Số phát sinh cộng dồn không được vắt qua 01/7/2025.",
        "",
        f"Trang '{SHEET_FACTS}': mỗi dòng một số liệu. Mã đơn vị: mã GSO (tỉnh 2 số, huyện 3 số, xã 5 số) "
        "hoặc tên, có thể ghi thêm tên cấp trên sau dấu phẩy (ví dụ: 'Phường Đức Giang, Long Biên'); "
        "tên viết tắt được: TP., Tp, Q. (Q.1, Q1), H., TX., TT., P. (P.12), X. (ví dụ 'P. Hoàng Văn Thụ, "
        "TP. Thái Nguyên'); tên cũ 'Tỉnh Thừa Thiên Huế' đọc là Thành phố Huế. Không nhập số liệu "
        "'Toàn quốc' (số cả nước do dashboard tự cộng); chỉ tiêu toàn quốc ghi mã VN. "
        "Kỳ báo cáo ghi như trong báo cáo: một tháng (09/2022, tháng 9/2022, T9/2022, riêng tháng "
        "11/2022); cộng dồn từ đầu năm ('9 tháng 2022', '11 tháng đầu năm 2022', '01/2022-11/2022', "
        "'1-11/2022', 'năm 2022', 'cả năm 2022'); quý ('quý III/2022', 'Q3/2022'); '6 tháng cuối năm "
        "2022'; ngày số liệu của số tồn ('15/9/2022', 'tính đến ngày 15/9/2022', hoặc ô kiểu ngày); kỳ "
        "cắt theo ngày ('từ ngày 15/12/2021 đến ngày 14/6/2022' tính là 01/2022–06/2022). Số tồn (ví "
        "dụ người nghiện có hồ sơ) tính tại tháng cuối kỳ; số phát sinh (ví dụ đưa đi cai nghiện bắt "
        "buộc) là tổng cả kỳ, giữ nguyên là tổng của các tháng đó khi không tách được theo tháng (ghi "
        "thêm 'riêng tháng 11/2022' nếu báo cáo có). Giá trị: số không âm, "
        "viết 1.456 hoặc 1456; số người, số cơ sở, số điểm là số nguyên ('1,292' là một phẩy hai trăm "
        "chín mươi hai, bị từ chối: viết 1.292).",
        "Người sử dụng trái phép chất ma túy (drug_users) là TỔNG số người sử dụng, KỂ CẢ người nghiện. "
        "Luật Phòng, chống ma túy 2021 tách hai tình trạng (người sử dụng trái phép và người nghiện); báo "
        "cáo của công an thường đếm riêng hai nhóm — khi đó ghi tổng của hai nhóm (ví dụ 539 người nghiện "
        "và 1.122 người sử dụng: ghi 1.661). Tổng số người cai nghiện (rehab_total) gồm mọi hình thức; "
        "kế hoạch năm của nó ghi ở trang Chỉ tiêu, quy tắc Tối thiểu.",
        "Số xã theo báo cáo (cho tỉnh, huyện; không cho một xã): ghi ở trang này tên chỉ số đếm số xã "
        "(ví dụ 'Xã, phường, thị trấn không có tệ nạn ma túy', 'Xã, phường lành mạnh', 'Xã có tệ nạn "
        "ma túy', 'Tổng số xã, phường, thị trấn') với giá trị là số xã (95) hoặc số xã/tổng số xã "
        f"của báo cáo (18/142). Nếu trang '{SHEET_STATUS}' có danh sách xã của đơn vị trong năm thì "
        "danh sách được dùng.",
        f"Trang '{SHEET_STATUS}': Năm; Mã xã; Phân loại ma túy (Không ma túy / Có tệ nạn / "
        "Trọng điểm loại I, II, III); Phức tạp (Có/Không); Lành mạnh (Có/Không). Để trống Phức tạp "
        "hoặc Lành mạnh khi báo cáo không nói: số xã đó được ghi là chưa có số liệu, không phải 0.",
        f"Trang '{SHEET_TARGETS}': Năm; Mã đơn vị; Chỉ số; Quy tắc (Tối thiểu, Tối đa, Trên (%) — "
        "'trên 20%' là phải hơn 20%, đúng 20% là chưa đạt —, Tăng tối thiểu (%), Tăng trên (%), "
        "Giảm trên (%), Giảm (%) trở lên, Thêm mới tối thiểu, Giữ vững tất cả); Giá trị; Ghi chú; Tỷ lệ "
        "đạt ghi trong báo cáo (%) nếu có, để đối chiếu. Mức tăng hằng năm của một tỷ lệ (%) tính bằng "
        "điểm phần trăm ('tăng tối thiểu 15% mỗi năm' tỷ lệ xã không ma túy: 20% → 35%); của một số đếm "
        "tính theo phần trăm của năm trước.",
        "",
        "Danh mục chỉ tiêu (ghi mã hoặc tên tiếng Việt):",
    ]
    kinds = {"stock": "số tồn", "flow": "số phát sinh", "rate": "tỷ lệ %", "status": "đếm số xã"}
    lines += [
        f"  {ind.id} — {ind.label_vi} ({ind.unit_vi}; {kinds[ind.kind]})"
        + (f": {ind.note_vi}" if ind.note_vi else "")
        for ind in CATALOG.values()
        if ind.kind in kinds
    ]
    for i, line in enumerate(lines):
        ws.write(i, 0, line)
    # The new units, so that a clerk of a new commune finds its code without the old lists.
    ws = book.add_worksheet(SHEET_UNITS_2025)
    ws.write_row(0, 0, ["Mã", "Tên đơn vị", "Cấp", "Thuộc tỉnh, thành phố"], bold)
    ws.set_column(0, 0, 10, text)
    ws.set_column(1, 3, 34)
    ws.freeze_panes(1, 0)
    geo = reform.geography_2025()
    level_names = {"province": "Tỉnh, thành phố", "commune": "Xã, phường, đặc khu"}
    row = 1
    for province, name in (
        geo.units_at("province").sort("unit_code").select("unit_code", "unit_name").iter_rows()
    ):
        ws.write_row(row, 0, [province, name, level_names["province"], ""], text)
        row += 1
        communes = geo.units_at("commune", within=province).sort("unit_code")
        for code, commune in communes.select("unit_code", "unit_name").iter_rows():
            ws.write_row(row, 0, [code, commune, level_names["commune"], name], text)
            row += 1
    book.close()
    return buffer.getvalue()


FLOW_INDICATOR_IDS = FLOW_INDICATORS
