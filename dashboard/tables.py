"""Tables behind the charts: Vietnamese (or English) headers, on-screen formatting, CSV and Excel bytes."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import polars as pl

from dashboard.formatting import fmt_change_pct, fmt_number, fmt_pct, md_text
from dashboard.i18n import t

# A cell that starts with one of these is read as a formula by spreadsheet programs (OWASP
# "CSV injection"); tab and carriage return can smuggle one in too.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

# Column id → i18n key of its header.
HEADERS: dict[str, str] = {
    "rank": "column.rank",
    "unit_code": "column.unit_code",
    "unit_name": "column.unit",
    "indicator_label": "column.indicator",
    "period_label": "column.period",
    "year": "column.year",
    "value": "column.value",
    "previous": "column.previous",
    "change_pct": "column.change_pct",
    "population": "column.population",
    "per_population": "column.per_population",
    "complete": "column.complete",
    "gap": "column.gap",
    "coverage": "column.coverage",
}


def escape_formula(text: str | None) -> str | None:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe."""
    if text is None:
        return None
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def escape_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every String column escaped against formula injection; numbers are left as numbers."""
    strings = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.col(name).map_elements(escape_formula, return_dtype=pl.String) for name in strings
    )


def markdown_safe(frame: pl.DataFrame, columns: list[str] | None = None) -> pl.DataFrame:
    """``columns`` (default: every String column) as text for ``st.table``, which reads cells as Markdown."""
    names = columns if columns is not None else [n for n, d in frame.schema.items() if d == pl.String]
    return frame.with_columns(pl.col(n).map_elements(md_text, return_dtype=pl.String) for n in names)


def localize(frame: pl.DataFrame, columns: Mapping[str, str] | list[str], lang: str) -> pl.DataFrame:
    """Keep ``columns`` (ids of HEADERS, or id → i18n key) in order, renamed to headers in ``lang``.

    A column with a ``<column>_shown`` companion (``access.suppress_small_counts``) becomes text:
    the companion where it has one ("<5"), else the number.
    """
    keys = {c: HEADERS[c] for c in columns} if isinstance(columns, list) else dict(columns)
    out = with_shown(frame, list(keys)).select(list(keys))
    if "complete" in out.columns:
        out = out.with_columns(
            pl.when(pl.col("complete"))
            .then(pl.lit(t("value.yes", lang)))
            .otherwise(pl.lit(t("value.no", lang)))
            .alias("complete")
        )
    if "gap" in out.columns:
        # A period a reported total over several months straddles (contract version 3): said, not 0.
        out = out.with_columns(
            pl.when(pl.col("gap")).then(pl.lit(t("value.gap", lang))).otherwise(pl.lit("")).alias("gap")
        )
    return out.rename({c: t(k, lang) for c, k in keys.items()})


def with_shown(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Each of ``columns`` that has a ``<column>_shown`` companion as text: "<5" there, else the number."""
    shown = [c for c in columns if f"{c}_shown" in frame.columns]
    return frame.with_columns(
        pl.coalesce(pl.col(f"{c}_shown"), pl.col(c).map_elements(_plain, return_dtype=pl.String)).alias(c)
        for c in shown
    )


def _plain(value: float) -> str:
    # A whole count as "12", not "12.0"; the column is text once a cell in it reads "<5".
    return str(int(value)) if float(value).is_integer() else str(value)


def written_values(frame: pl.DataFrame, columns: Sequence[str], lang: str) -> pl.DataFrame:
    """``columns`` as text the way ``lang`` writes numbers (1.456; 0,25), a missing value as "–"
    like every other table, never Python's ``None``."""

    def write(value: object) -> str:
        if value is None:
            return fmt_number(None, lang)
        if isinstance(value, int | float):
            return fmt_number(value, lang, 0 if float(value).is_integer() else 2)
        return str(value)

    return frame.with_columns(
        pl.Series(name, [write(v) for v in frame[name].to_list()], dtype=pl.String) for name in columns
    )


def display(
    frame: pl.DataFrame, lang: str, percent_columns: tuple[str, ...] = (), decimals: int = 0
) -> pl.DataFrame:
    """A localized table with numbers written as text the way the language writes them.

    ``percent_columns`` (headers) get a % sign; the change column gets its sign spelled out.
    """
    change = t("column.change_pct", lang)
    per_pop = t("column.per_population", lang)
    out = []
    for name, dtype in frame.schema.items():
        col = frame[name]
        if not dtype.is_numeric() or name in (t("column.rank", lang), t("column.year", lang)):
            out.append(col.cast(pl.String) if dtype.is_numeric() else col)
            continue
        if name == change:
            fn = lambda v: fmt_change_pct(v, lang)  # noqa: E731
        elif name in percent_columns:
            fn = lambda v: fmt_pct(v, lang)  # noqa: E731
        elif name == per_pop:
            fn = lambda v: fmt_number(v, lang, 2)  # noqa: E731
        else:
            fn = lambda v, d=decimals: fmt_number(v, lang, d)  # noqa: E731
        out.append(pl.Series(name, [fn(v) for v in col.to_list()], dtype=pl.String))
    return pl.DataFrame(out)


def to_csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads the diacritics), text cells escaped."""
    return b"\xef\xbb\xbf" + escape_frame(frame).write_csv().encode("utf-8")


def to_excel_bytes(frame: pl.DataFrame, sheet: str = "Số liệu") -> bytes:
    """An .xlsx workbook with one sheet, text cells escaped, numbers kept as numbers."""
    buffer = io.BytesIO()
    escape_frame(frame).write_excel(buffer, worksheet=sheet[:31], autofit=True)
    return buffer.getvalue()
