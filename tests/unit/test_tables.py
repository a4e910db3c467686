"""Tables behind the charts: headers in both languages, on-screen formats, CSV/Excel with formula escaping."""

from __future__ import annotations

import io

import polars as pl
import pytest

from dashboard import tables


@pytest.mark.parametrize(
    "text,expected",
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Quận Nam Từ Liêm", "Quận Nam Từ Liêm"),
        ("", ""),
        (None, None),
    ],
)
def test_escape_formula(text, expected):
    assert tables.escape_formula(text) == expected


FRAME = pl.DataFrame(
    {
        "unit_name": ["=cmd|' /C calc'!A0", "Quận Nam Từ Liêm"],
        "period_label": ["Năm 2021", "Năm 2021"],
        "value": [1456.0, -38.0],
        "change_pct": [3.5, -18.75],
        "complete": [True, False],
    }
)


@pytest.mark.parametrize(
    "lang,headers",
    [
        ("vi", ["Địa bàn", "Kỳ", "Giá trị", "Thay đổi (%)", "Đủ số liệu"]),
        ("en", ["Area", "Period", "Value", "Change (%)", "Complete"]),
    ],
)
def test_localize_headers(lang, headers):
    out = tables.localize(FRAME, ["unit_name", "period_label", "value", "change_pct", "complete"], lang)
    assert out.columns == headers
    assert out[headers[-1]].to_list() == (["Có", "Không"] if lang == "vi" else ["Yes", "No"])


def test_display_writes_numbers_the_vietnamese_way():
    shown = tables.display(tables.localize(FRAME, ["value", "change_pct"], "vi"), "vi")
    assert shown.rows() == [("1.456", "+3,50%"), ("-38", "-18,75%")]


def test_csv_escapes_text_but_keeps_numbers():
    data = tables.to_csv_bytes(tables.localize(FRAME, ["unit_name", "value"], "vi"))
    assert data.startswith(b"\xef\xbb\xbf"), "BOM so that Excel reads the diacritics"
    back = pl.read_csv(io.BytesIO(data[3:]))
    assert back.columns == ["Địa bàn", "Giá trị"]
    assert back["Địa bàn"].to_list() == ["'=cmd|' /C calc'!A0", "Quận Nam Từ Liêm"]
    assert back["Giá trị"].to_list() == [1456.0, -38.0]


def test_excel_escapes_text_but_keeps_numbers():
    data = tables.to_excel_bytes(tables.localize(FRAME, ["unit_name", "value"], "vi"))
    back = pl.read_excel(io.BytesIO(data))
    assert back.columns == ["Địa bàn", "Giá trị"]
    assert back["Địa bàn"][0].startswith("'=")
    assert back["Giá trị"].to_list() == [1456.0, -38.0]


@pytest.mark.parametrize(
    "values, lang, expected",
    [
        ([None, 1456.0, 0.25], "vi", ["–", "1.456", "0,25"]),
        ([None, 1456.0, 0.25], "en", ["–", "1,456", "0.25"]),
        (["<5", None, "12"], "vi", ["<5", "–", "12"]),  # a viewer's copy, small counts already text
    ],
)
def test_a_missing_value_is_written_as_a_dash_not_none(values, lang, expected):
    frame = pl.DataFrame({"Giá trị cũ": values, "other": [1, 2, 3]})
    out = tables.written_values(frame, ["Giá trị cũ"], lang)
    assert out["Giá trị cũ"].to_list() == expected
    assert out["other"].to_list() == [1, 2, 3]
