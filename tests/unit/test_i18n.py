"""The Vietnamese and English user-interface strings."""

from __future__ import annotations

import string

import pytest

from dashboard.i18n import LANGUAGES, STRINGS, t


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages(key):
    entry = STRINGS[key]
    assert set(entry) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert entry[lang].strip(), f"{key} [{lang}] is empty"


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_both_languages_take_the_same_placeholders(key):
    # Except month names: English writes "Jan", Vietnamese writes the month number.
    vi, en = (_placeholders(STRINGS[key][lang]) for lang in ("vi", "en"))
    if key == "period.month":
        assert (vi, en) == ({"month", "year"}, {"month_abbr", "year"})
    else:
        assert vi == en


@pytest.mark.parametrize(
    "key,lang,expected",
    [
        ("page.overview", "vi", "Tổng quan"),
        ("page.overview", "en", "Overview"),
        ("page.districts", "vi", "So sánh địa bàn"),
        ("page.goals", "en", "Goals"),
        ("notice.demo_data", "vi", "Dữ liệu minh họa (demo), không phải số liệu thật"),
        ("scope.province", "vi", "Toàn tỉnh"),
        ("scope.all_districts", "vi", "Tất cả quận, huyện"),
        ("scope.country", "vi", "Toàn quốc"),
        ("category.key", "vi", "Trọng điểm"),
        ("category.complex", "vi", "Phức tạp"),
        ("category.healthy", "vi", "Lành mạnh"),
        ("category.other", "en", "Other"),
        ("grain.9m", "vi", "9 tháng"),
        ("change.vs_same_period_last_year", "vi", "so với cùng kỳ năm trước"),
    ],
)
def test_lookup(key, lang, expected):
    assert t(key, lang) == expected


def test_default_language_is_vietnamese():
    assert t("page.map") == "Bản đồ"


@pytest.mark.parametrize(
    "key,lang,kwargs,expected",
    [
        (
            "notice.bad_url_param",
            "vi",
            {"name": "year", "value": "abc"},
            "Tham số 'year' trên đường dẫn không hợp lệ ('abc'); dùng mặc định.",
        ),
        (
            "notice.bad_url_param",
            "en",
            {"name": "year", "value": "abc"},
            "URL parameter 'year' is not valid ('abc'); using the default.",
        ),
        (
            "caption.source",
            "vi",
            {"source": "Demo", "date": "15/09/2022"},
            "Nguồn: Demo. Số liệu tính đến ngày 15/09/2022.",
        ),
        (
            "caption.source",
            "en",
            {"source": "Demo", "date": "15/09/2022"},
            "Source: Demo. Figures as of 15/09/2022.",
        ),
        ("period.month", "vi", {"month": 1, "month_abbr": "Jan", "year": 2017}, "Tháng 01/2017"),
    ],
)
def test_formatting_with_kwargs(key, lang, kwargs, expected):
    assert t(key, lang, **kwargs) == expected


def test_unknown_key_raises_naming_it():
    with pytest.raises(KeyError, match="no.such.key"):
        t("no.such.key")


def test_missing_placeholder_raises_naming_it():
    with pytest.raises(KeyError, match="source"):
        t("caption.source", "vi", date="15/09/2022")


def test_unknown_language_raises():
    with pytest.raises(ValueError, match="fr"):
        t("page.overview", "fr")
