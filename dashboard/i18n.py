"""The user-interface strings in Vietnamese and English, one entry per id, and ``t`` to look them up."""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("vi", "en")

# Indicator labels and units live in dashboard/catalog.py; everything else a user reads is here.
STRINGS: dict[str, dict[str, str]] = {
    # The app and its pages
    "app.title": {
        "vi": "Ban chỉ đạo phòng, chống tội phạm, tệ nạn ma túy, mại dâm và HIV/AIDS",
        "en": "Steering committee for the prevention of crime, drugs, prostitution and HIV/AIDS",
    },
    "page.overview": {"vi": "Tổng quan", "en": "Overview"},
    "page.trends": {"vi": "Xu hướng", "en": "Trends"},
    "page.districts": {"vi": "So sánh địa bàn", "en": "District comparison"},
    "page.map": {"vi": "Bản đồ", "en": "Map"},
    "page.goals": {"vi": "Mục tiêu", "en": "Goals"},
    "page.data": {"vi": "Dữ liệu", "en": "Data"},
    # Sidebar filters
    "filter.snapshot": {"vi": "Bộ số liệu", "en": "Data snapshot"},
    "filter.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "filter.district": {"vi": "Quận, huyện", "en": "District"},
    "filter.year_range": {"vi": "Khoảng thời gian (năm)", "en": "Year range"},
    "filter.year": {"vi": "Năm", "en": "Year"},
    "filter.grain": {"vi": "Kỳ báo cáo", "en": "Reporting period"},
    "filter.indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "filter.language": {"vi": "Ngôn ngữ", "en": "Language"},
    # Language names are written in their own language, as language switches usually are.
    "language.vi": {"vi": "Tiếng Việt", "en": "Tiếng Việt"},
    "language.en": {"vi": "English", "en": "English"},
    # Reporting grains (the ids match dashboard.query.GRAINS)
    "grain.month": {"vi": "Tháng", "en": "Month"},
    "grain.quarter": {"vi": "Quý", "en": "Quarter"},
    "grain.6m": {"vi": "6 tháng", "en": "Half year"},
    "grain.9m": {"vi": "9 tháng", "en": "9 months"},
    "grain.year": {"vi": "Năm", "en": "Year"},
    # Period labels; dashboard.formatting.period_label fills them in.
    "period.month": {"vi": "Tháng {month:02d}/{year}", "en": "{month_abbr} {year}"},
    "period.quarter": {"vi": "Quý {quarter}/{year}", "en": "Q{quarter} {year}"},
    "period.6m_first": {"vi": "6 tháng đầu năm {year}", "en": "H1 {year}"},
    "period.6m_second": {"vi": "6 tháng cuối năm {year}", "en": "H2 {year}"},
    "period.9m": {"vi": "9 tháng {year}", "en": "9 months {year}"},
    "period.year": {"vi": "Năm {year}", "en": "{year}"},
    "period.incomplete": {"vi": "Kỳ chưa đủ số liệu", "en": "Incomplete period"},
    # Scopes
    "scope.country": {"vi": "Toàn quốc", "en": "Nationwide"},
    "scope.province": {"vi": "Toàn tỉnh", "en": "Whole province"},
    "scope.all_districts": {"vi": "Tất cả quận, huyện", "en": "All districts"},
    # Commune categories (the ids match dashboard.query.CATEGORIES)
    "category.key": {"vi": "Trọng điểm", "en": "Key"},
    "category.complex": {"vi": "Phức tạp", "en": "Complex"},
    "category.healthy": {"vi": "Lành mạnh", "en": "Healthy"},
    "category.other": {"vi": "Khác", "en": "Other"},
    # Comparisons and goals
    "change.vs_same_period_last_year": {
        "vi": "so với cùng kỳ năm trước",
        "en": "vs. the same period last year",
    },
    "goal.target": {"vi": "Chỉ tiêu", "en": "Target"},
    "goal.actual": {"vi": "Thực hiện", "en": "Actual"},
    "goal.achievement": {"vi": "Tỷ lệ đạt", "en": "Achievement"},
    "goal.achieved": {"vi": "Đạt", "en": "Achieved"},
    "goal.not_achieved": {"vi": "Chưa đạt", "en": "Not achieved"},
    # Table columns
    "column.unit": {"vi": "Địa bàn", "en": "Area"},
    "column.indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "column.period": {"vi": "Kỳ", "en": "Period"},
    "column.value": {"vi": "Giá trị", "en": "Value"},
    # Downloads
    "download.csv": {"vi": "Tải về CSV", "en": "Download CSV"},
    "download.excel": {"vi": "Tải về Excel", "en": "Download Excel"},
    # Notices
    "notice.demo_data": {
        "vi": "Dữ liệu minh họa (demo), không phải số liệu thật",
        "en": "Demo data, not real figures",
    },
    "notice.bad_url_param": {
        "vi": "Tham số '{name}' trên đường dẫn không hợp lệ ('{value}'); dùng mặc định.",
        "en": "URL parameter '{name}' is not valid ('{value}'); using the default.",
    },
    "notice.no_data": {
        "vi": "Không có số liệu cho lựa chọn này",
        "en": "No data for this selection",
    },
    "notice.no_snapshot": {
        "vi": "Chưa có bộ số liệu nào trong {folder}.",
        "en": "There is no data snapshot in {folder} yet.",
    },
    "caption.source": {
        "vi": "Nguồn: {source}. Số liệu tính đến ngày {date}.",
        "en": "Source: {source}. Figures as of {date}.",
    },
}


def t(key: str, lang: str = "vi", **kwargs: object) -> str:
    """The string ``key`` in ``lang``, with ``{placeholders}`` filled in from ``kwargs``.

    Raises:
        KeyError: ``key`` is not in ``STRINGS``, or a placeholder has no value in ``kwargs``.
        ValueError: ``lang`` is not one of ``LANGUAGES``.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"Ngôn ngữ không hợp lệ: {lang!r} (chọn một trong {', '.join(LANGUAGES)})")
    try:
        template = STRINGS[key][lang]
    except KeyError:
        raise KeyError(f"Không có chuỗi giao diện {key!r}") from None
    try:
        return template.format(**kwargs)
    except KeyError as exc:
        raise KeyError(f"Chuỗi {key!r} cần tham số {exc.args[0]!r}") from None
