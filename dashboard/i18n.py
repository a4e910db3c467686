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
    # Pages of issue 3: shared sidebar, overview, trends, district comparison
    "notice.unknown_url_param": {
        "vi": "Tham số '{name}' trên đường dẫn không được dùng; đã bỏ qua.",
        "en": "URL parameter '{name}' is not used; it was ignored.",
    },
    "notice.rejected_snapshot": {
        "vi": "Bộ số liệu {snapshot} không hợp lệ nên không được dùng: {problems}",
        "en": "Snapshot {snapshot} is not valid and is not used: {problems}",
    },
    "notice.incomplete_period": {
        "vi": "{period} chưa đủ số liệu: bộ số liệu chỉ đến tháng {month}.",
        "en": "{period} is incomplete: the snapshot only reaches {month}.",
    },
    "notice.not_additive": {
        "vi": "Tỷ lệ không cộng dồn được: hiển thị từng địa bàn bằng biểu đồ nhỏ.",
        "en": "Rates cannot be stacked: each area is shown in its own small chart.",
    },
    "filter.period": {"vi": "Kỳ", "en": "Period"},
    "filter.domain": {"vi": "Lĩnh vực", "en": "Domain"},
    "filter.indicators": {"vi": "Các chỉ số", "en": "Indicators"},
    "filter.chart_kind": {"vi": "Dạng biểu đồ", "en": "Chart type"},
    "filter.breakdown": {"vi": "Chia theo địa bàn", "en": "Breakdown by area"},
    "filter.per_population": {"vi": "Tính trên 10.000 dân", "en": "Per 10,000 inhabitants"},
    "chart.line": {"vi": "Đường", "en": "Line"},
    "chart.bar": {"vi": "Cột", "en": "Bar"},
    "breakdown.none": {"vi": "Không chia", "en": "None"},
    "breakdown.stacked": {"vi": "Cột chồng", "en": "Stacked bars"},
    "breakdown.small_multiples": {"vi": "Nhiều biểu đồ nhỏ", "en": "Small multiples"},
    "area.selection": {"vi": "{n} quận, huyện đã chọn", "en": "{n} selected districts"},
    "heading.overview": {"vi": "Tổng quan: {area}, {period}", "en": "Overview: {area}, {period}"},
    "heading.trends": {"vi": "Xu hướng: {area}, {years}", "en": "Trends: {area}, {years}"},
    "heading.districts": {
        "vi": "So sánh địa bàn: {area}, {period}",
        "en": "Area comparison: {area}, {period}",
    },
    "heading.data": {"vi": "Số liệu của biểu đồ", "en": "Data behind the chart"},
    "kpi.quota": {
        "vi": "Chỉ tiêu {quota} · tỷ lệ đạt {pct}",
        "en": "Quota {quota} · achievement {pct}",
    },
    "kpi.quota_partial": {
        "vi": "(chỉ tiêu của {n}/{total} đơn vị)",
        "en": "(quota of {n} of {total} units)",
    },
    "kpi.no_quota": {"vi": "chưa giao chỉ tiêu", "en": "no quota assigned"},
    "kpi.no_previous": {
        "vi": "chưa có số liệu cùng kỳ năm trước",
        "en": "no figure for the same period last year",
    },
    "chart.title": {"vi": "{what}: {where}, {when}", "en": "{what}: {where}, {when}"},
    "chart.yoy": {
        "vi": "Thay đổi so với cùng kỳ năm trước (%)",
        "en": "Change vs. the same period last year (%)",
    },
    "chart.ranking": {"vi": "Xếp hạng {what}", "en": "Ranking of {what}"},
    "chart.heatmap": {"vi": "{what} theo năm", "en": "{what} by year"},
    "chart.communes": {"vi": "Phân loại xã, phường", "en": "Commune classification"},
    "chart.per_population": {"vi": "{what} trên 10.000 dân", "en": "{what} per 10,000 inhabitants"},
    "column.previous": {"vi": "Cùng kỳ năm trước", "en": "Same period last year"},
    "column.change_pct": {"vi": "Thay đổi (%)", "en": "Change (%)"},
    "column.per_population": {"vi": "Trên 10.000 dân", "en": "Per 10,000 inhabitants"},
    "column.population": {"vi": "Dân số", "en": "Population"},
    "column.rank": {"vi": "Hạng", "en": "Rank"},
    "column.unit_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "column.year": {"vi": "Năm", "en": "Year"},
    "column.complete": {"vi": "Đủ số liệu", "en": "Complete"},
    "value.yes": {"vi": "Có", "en": "Yes"},
    "value.no": {"vi": "Không", "en": "No"},
    "axis.value": {"vi": "Giá trị", "en": "Value"},
    "kpi.points": {"vi": "{value} điểm %", "en": "{value} pp"},
    "kpi.legend": {
        "vi": "Thay đổi so với cùng kỳ năm trước: xanh là chuyển biến tốt, đỏ là xấu đi.",
        "en": "Change vs. the same period last year: green is an improvement, red a deterioration.",
    },
    # (end of the issue 3 strings)
    # Map page (issue 4)
    "category.key_1": {"vi": "Trọng điểm loại I", "en": "Key, type I"},
    "category.key_2": {"vi": "Trọng điểm loại II", "en": "Key, type II"},
    "category.key_3": {"vi": "Trọng điểm loại III", "en": "Key, type III"},
    "category.no_data": {"vi": "Chưa phân loại", "en": "Not classified"},
    "map.heading": {
        "vi": "Bản đồ xã trọng điểm, phức tạp, lành mạnh: {area}, năm {year}",
        "en": "Key, complex and healthy communes: {area}, {year}",
    },
    "map.static_title": {
        "vi": "Phân loại xã, phường, thị trấn: {area}, năm {year}",
        "en": "Commune classification: {area}, {year}",
    },
    "map.view": {"vi": "Nội dung bản đồ", "en": "Map shows"},
    "map.view.category": {"vi": "Phân loại xã", "en": "Classification"},
    "map.view.change": {"vi": "Thay đổi", "en": "Changes"},
    "map.view.indicator": {"vi": "Theo chỉ số", "en": "By indicator"},
    "map.base_year": {"vi": "So với năm", "en": "Compared with"},
    "map.encoding": {"vi": "Thể hiện bằng", "en": "Show as"},
    "map.encoding.color": {"vi": "Màu", "en": "Colour"},
    "map.encoding.size": {"vi": "Kích thước", "en": "Size"},
    "map.per_1000": {"vi": "Tính trên 1.000 dân", "en": "Per 1,000 inhabitants"},
    "map.indicator_per_1000": {"vi": "{what} trên 1.000 dân", "en": "{what} per 1,000 inhabitants"},
    "map.counts": {"vi": "Số xã theo phân loại", "en": "Communes by category"},
    "map.total": {"vi": "Tổng số xã", "en": "All communes"},
    "map.key_total": {"vi": "Trọng điểm (cả ba loại)", "en": "Key (all types)"},
    "map.change_counts": {
        "vi": "Số xã thay đổi: {base} → {year}",
        "en": "Communes that changed: {base} → {year}",
    },
    "map.change_list": {"vi": "Danh sách xã thay đổi", "en": "Communes that changed"},
    "map.no_changes": {"vi": "Không có xã nào thay đổi", "en": "No commune changed"},
    "map.scale": {"vi": "Thang giá trị: {what}", "en": "Scale: {what}"},
    "map.size_scale": {"vi": "Kích thước điểm theo {what}", "en": "Point size by {what}"},
    "map.district_summary": {"vi": "Tổng hợp theo quận, huyện", "en": "Summary by district"},
    "map.district_summary_note": {
        "vi": "Một xã có thể vừa là xã trọng điểm vừa là xã phức tạp; trên bản đồ xã đó mang màu trọng điểm.",
        "en": "A commune may be both key and complex; on the map it takes the key colour.",
    },
    "map.listed": {
        "vi": "Theo danh sách (một xã có thể ở hai danh sách): trọng điểm {key_n}, phức tạp {complex_n}, "
        "lành mạnh {healthy_n}.",
        "en": "By list (a commune can be on two lists): key {key_n}, complex {complex_n}, "
        "healthy {healthy_n}.",
    },
    "map.pick_district": {"vi": "Chọn quận, huyện", "en": "Select a district"},
    "map.pick_hint": {
        "vi": "Bấm vào một xã hoặc tên quận, huyện trên bản đồ để thu hẹp bộ lọc quận, huyện.",
        "en": "Click a commune or a district name on the map to narrow the district filter.",
    },
    "map.note": {
        "vi": "Dữ liệu bản đồ gửi tới trình duyệt: {bytes} byte ({points} điểm); thời gian chạy trang: {seconds} giây.",
        "en": "Map data sent to the browser: {bytes} bytes ({points} points); page run time: {seconds} s.",
    },
    "map.boundaries_used": {"vi": "Ranh giới xã: {file}", "en": "Commune boundaries: {file}"},
    "map.boundaries_error": {
        "vi": "Không dùng được tệp ranh giới {file}: {error}",
        "en": "Boundary file {file} cannot be used: {error}",
    },
    "map.no_status": {
        "vi": "Chưa có số liệu phân loại xã năm {year}",
        "en": "No commune classification for {year}",
    },
    "map.download_png": {"vi": "Tải ảnh bản đồ (PNG)", "en": "Download map image (PNG)"},
    "change.became_key": {"vi": "Trở thành xã trọng điểm", "en": "Became key"},
    "change.left_key": {"vi": "Ra khỏi danh sách trọng điểm", "en": "No longer key"},
    "change.became_complex": {"vi": "Trở thành xã phức tạp", "en": "Became complex"},
    "change.left_complex": {"vi": "Ra khỏi danh sách phức tạp", "en": "No longer complex"},
    "change.became_healthy": {"vi": "Được công nhận lành mạnh", "en": "Became healthy"},
    "change.left_healthy": {"vi": "Không còn lành mạnh", "en": "No longer healthy"},
    "direction.worse": {"vi": "Xấu đi", "en": "Worse"},
    "direction.better": {"vi": "Tốt lên", "en": "Better"},
    "direction.mixed": {"vi": "Vừa tốt lên vừa xấu đi", "en": "Both better and worse"},
    "direction.unchanged": {"vi": "Không thay đổi", "en": "Unchanged"},
    "direction.no_data": {
        "vi": "Thiếu phân loại một trong hai năm",
        "en": "Not classified in one of the years",
    },
    "column.commune": {"vi": "Xã, phường, thị trấn", "en": "Commune"},
    "column.district": {"vi": "Quận, huyện", "en": "District"},
    "column.category": {"vi": "Phân loại", "en": "Category"},
    "column.category_base": {"vi": "Phân loại năm {year}", "en": "Category in {year}"},
    "column.change": {"vi": "Thay đổi", "en": "Change"},
    "column.key_communes": {"vi": "Xã trọng điểm", "en": "Key communes"},
    "column.complex_communes": {"vi": "Xã phức tạp", "en": "Complex communes"},
    "column.healthy_communes": {"vi": "Xã lành mạnh", "en": "Healthy communes"},
    "column.classified_communes": {"vi": "Số xã đã phân loại", "en": "Classified communes"},
    "column.count": {"vi": "Số xã", "en": "Communes"},
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
