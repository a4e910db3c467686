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
    "page.districts": {"vi": "So sánh địa bàn", "en": "Area comparison"},
    "page.map": {"vi": "Bản đồ", "en": "Map"},
    "page.goals": {"vi": "Mục tiêu", "en": "Goals"},
    "page.data": {"vi": "Dữ liệu", "en": "Data"},
    "page.export": {"vi": "Xuất báo cáo", "en": "Export"},
    "page.present": {"vi": "Trình chiếu", "en": "Presentation"},
    # Sidebar filters
    "filter.snapshot": {"vi": "Bộ số liệu", "en": "Data snapshot"},
    "filter.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "filter.district": {"vi": "Quận, huyện", "en": "District"},
    "filter.commune": {"vi": "Xã, phường, đặc khu", "en": "Commune, ward, special zone"},
    "filter.structure": {"vi": "Đơn vị hành chính", "en": "Administrative units"},
    "structure.2025": {"vi": "Mới (từ 01/7/2025)", "en": "New (from 1 Jul 2025)"},
    "structure.legacy": {"vi": "Cũ (trước 01/7/2025)", "en": "Former (before 1 Jul 2025)"},
    "structure.help": {
        "vi": "Từ 01/7/2025 cả nước có 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu, không còn cấp "
        "huyện. Chọn cơ cấu đơn vị để xem số liệu; số liệu của cơ cấu kia được quy đổi theo bảng chuyển đổi.",
        "en": "From 1 July 2025 Vietnam has 34 provinces and 3,321 communes and no districts. Choose "
        "the units to view; figures kept in the other structure are converted through the crosswalk.",
    },
    "structure.new_note": {
        "vi": "Đang xem theo đơn vị hành chính mới (từ 01/7/2025).",
        "en": "Viewing the new administrative units (from 1 July 2025).",
    },
    "structure.legacy_note": {
        "vi": "Đang xem theo đơn vị hành chính cũ (trước 01/7/2025); số liệu từ 01/7/2025 được tính theo huyện cũ.",
        "en": "Viewing the former administrative units (before 1 July 2025); figures from 1 July 2025 "
        "are shown by former district.",
    },
    "structure.rules": {"vi": "Quy tắc quy đổi số liệu", "en": "How figures are converted"},
    "structure.unplaced": {
        "vi": "{n} dòng số liệu báo cáo riêng ở cấp huyện không đặt được vào xã mới; chúng vẫn được "
        "tính trong tổng của tỉnh.",
        "en": "{n} figures reported at district level could not be placed on a new commune; they "
        "still count in the province total.",
    },
    "structure.flagged": {
        "vi": "{n} xã, phường mới gồm xã cũ của nhiều huyện (số liệu theo huyện cũ là gần đúng):",
        "en": "{n} new communes were formed from old communes of several districts (figures by "
        "former district are approximate):",
    },
    "structure.restricted": {
        "vi": "Tài khoản được phân quyền theo đơn vị cũ ({units}): số liệu hiển thị theo đơn vị hành chính "
        "cũ. Không có cách xem theo đơn vị mới vì từ 01/7/2025 không còn cấp huyện và một xã mới có thể "
        "gồm một phần địa bàn ngoài phạm vi của bạn. Muốn xem theo đơn vị mới, đề nghị người quản trị "
        'phân quyền theo xã hoặc tỉnh mới (structure = "2025" trong tệp phân quyền).',
        "en": "Your account is scoped to former units ({units}): figures are shown in the former units. "
        "The new units are not offered because districts no longer exist from 1 July 2025 and a new "
        "commune may take in ground outside your scope. To work in the new units, ask the administrator "
        'for a scope of new communes or provinces (structure = "2025" in the access file).',
    },
    "notice.structure_fixed": {
        "vi": "Đường dẫn chọn đơn vị hành chính '{name}'; tài khoản của bạn chỉ xem theo đơn vị {own}.",
        "en": "The link asks for the units '{name}'; your account sees the units {own} only.",
    },
    "structure.fixed_new": {
        "vi": "Tài khoản được phân quyền theo đơn vị hành chính mới ({units}): số liệu hiển thị theo "
        "đơn vị mới; các tháng trước 01/7/2025 được quy đổi về xã mới theo quy tắc bên dưới.",
        "en": "Your account is scoped to the new administrative units ({units}): figures are shown in "
        "the new units; months before 1 July 2025 are converted to the new communes by the rules below.",
    },
    "structure.targets_new": {
        "vi": 'Mục tiêu từ năm 2025 được giao cho đơn vị hành chính mới: chọn "Đơn vị hành chính: Mới" để xem.',
        "en": 'Targets from 2025 are set for the new units: choose "Administrative units: New" to see them.',
    },
    "structure.targets_old": {
        "vi": 'Mục tiêu trước năm 2025 được giao cho đơn vị hành chính cũ: chọn "Đơn vị hành chính: Cũ" để xem.',
        "en": 'Targets before 2025 were set for the former units: choose "Administrative units: '
        'Former" to see them.',
    },
    "structure.no_lists": {
        "vi": 'Phân loại xã từ năm 2025 theo đơn vị hành chính mới: chọn "Đơn vị hành chính: Mới" để xem bản đồ năm {year}.',
        "en": 'Commune classifications from 2025 are in the new units: choose "Administrative units: '
        'New" to see the {year} map.',
    },
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
    # How a target stands, in the slides, the report and presentation mode (dashboard/report.py).
    "standing.met": {"vi": "đã đạt", "en": "achieved"},
    "standing.no_data": {"vi": "chưa đủ số liệu để đánh giá", "en": "not enough data to judge"},
    "standing.on_track": {"vi": "đúng tiến độ", "en": "on track"},
    "standing.at_risk": {"vi": "có nguy cơ không hoàn thành", "en": "at risk of not being achieved"},
    "standing.not_met": {"vi": "không đạt", "en": "not achieved"},
    # The meeting slides (dashboard/slides.py) and presentation mode.
    "slides.meeting": {"vi": "Giao ban {period} — {unit}", "en": "Meeting review, {period} — {unit}"},
    "slides.as_of": {
        "vi": "Số liệu tính đến ngày {date} · bộ số liệu ngày {snapshot}",
        "en": "Figures as of {date} · data set of {snapshot}",
    },
    "slides.demo": {
        "vi": "Dữ liệu minh họa (demo), không phải số liệu thật",
        "en": "Illustrative (demo) data, not real figures",
    },
    "slides.vs_same_period": {"vi": "so với cùng kỳ", "en": "vs. a year earlier"},
    "slides.no_previous": {
        "vi": "chưa có số liệu cùng kỳ năm trước",
        "en": "no figure for the same period last year",
    },
    "slides.points": {"vi": "{value} điểm %", "en": "{value} percentage points"},
    "slides.no_goals": {
        "vi": "Chưa có chỉ tiêu được giao trong bộ số liệu.",
        "en": "No targets are set in this data.",
    },
    "slides.no_image": {
        "vi": "Chưa xuất được ảnh biểu đồ này.",
        "en": "This chart could not be exported as an image.",
    },
    # Chart titles of the meeting pack (dashboard/meeting.py), by chart key.
    "pack.drugs.trend": {
        "vi": "Người nghiện, người sử dụng trái phép chất ma túy",
        "en": "Drug addicts and illegal drug users",
    },
    "pack.drugs.places": {
        "vi": "Người nghiện có hồ sơ quản lý theo nơi ở",
        "en": "Registered drug addicts by place of residence",
    },
    "pack.rehab.flows": {"vi": "Cai nghiện và quản lý sau cai", "en": "Rehabilitation and aftercare"},
    "pack.rehab.trend": {"vi": "Số người cai nghiện", "en": "People in rehabilitation"},
    "pack.prostitution.trend": {
        "vi": "Cơ sở dễ phát sinh mại dâm, người bán dâm được quản lý",
        "en": "Businesses prone to prostitution, sex workers under management",
    },
    "pack.trafficking.trend": {
        "vi": "Nạn nhân bị mua bán trở về, người đi khỏi địa phương",
        "en": "Returned trafficking victims, people who left the locality",
    },
    "pack.hiv.trend": {
        "vi": "Người nhiễm HIV còn sống, bệnh nhân điều trị ARV",
        "en": "People living with HIV, patients on ARV treatment",
    },
    "pack.goals_title": {"vi": "Thực hiện chỉ tiêu: {unit}, {period}", "en": "Targets: {unit}, {period}"},
    "period.months_so_far": {"vi": "{n} tháng", "en": "{n} months"},
    "chart.in_progress": {
        "vi": "Kỳ chưa trọn (nét đứt, điểm rỗng): {notes}",
        "en": "Period in progress (dashed, hollow): {notes}",
    },
    # Scopes
    "scope.country": {"vi": "Toàn quốc", "en": "Nationwide"},
    "scope.province": {"vi": "Toàn tỉnh", "en": "Whole province"},
    "scope.all_districts": {"vi": "Tất cả quận, huyện", "en": "All districts"},
    "scope.all_communes": {"vi": "Tất cả xã, phường", "en": "All communes"},
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
    # Goals (dashboard/goals.py words its ids and sentences through these, in both languages;
    # the Mục tiêu page, the report, the slides and the CLI show them). Rules: goals.RULES.
    "goals.heading": {"vi": "Mục tiêu: {area}, {period}", "en": "Goals: {area}, {period}"},
    "goals.as_of": {
        "vi": "Đánh giá trên số liệu đến hết tháng {month}.",
        "en": "Judged on the figures up to the end of {month}.",
    },
    "goals.in_progress": {
        "vi": "Năm {year} mới có số liệu {months} tháng: chỉ tiêu cả năm được so với tiến độ {share} năm.",
        "en": "{year} has {months} months of figures so far: yearly quotas are compared with {share} of the "
        "year.",
    },
    "goals.commune": {"vi": "Xã, phường, thị trấn", "en": "Commune"},
    "goals.whole_district": {"vi": "Cả quận, huyện", "en": "Whole district"},
    "goals.drill_hint": {
        "vi": "Bấm vào một quận, huyện trong bảng (hoặc chọn ở thanh bên) để xem chỉ tiêu của quận, huyện "
        "đó và từng xã.",
        "en": "Click a district in the table (or pick it in the sidebar) to see its targets and those of "
        "its communes.",
    },
    "goals.one_district_hint": {
        "vi": "Chọn một quận, huyện duy nhất ở thanh bên để xem chỉ tiêu của từng xã.",
        "en": "Pick a single district in the sidebar to see the targets of its communes.",
    },
    "goals.choose_province": {
        "vi": "Chỉ tiêu do tỉnh, huyện, xã đặt ra: chọn một tỉnh, thành phố ở thanh bên.",
        "en": "Targets are set by provinces, districts and communes: pick a province in the sidebar.",
    },
    "goals.no_targets": {
        "vi": "{area} không có chỉ tiêu nào cho năm {year} trong bộ số liệu.",
        "en": "{area} has no target for {year} in the snapshot.",
    },
    "goals.summary": {
        "vi": "{total} chỉ tiêu: {counts}",
        "en": "{total} targets: {counts}",
    },
    "goals.section.table": {"vi": "Kết quả thực hiện chỉ tiêu", "en": "Targets and results"},
    "goals.section.quotas": {"vi": "Tỷ lệ hoàn thành chỉ tiêu", "en": "Quota achievement"},
    "goals.section.trajectories": {
        "vi": "Lộ trình các mục tiêu nhiều năm",
        "en": "Multi-year goals: required path, actual values and trend",
    },
    "goals.section.communes": {
        "vi": "Xã làm thay đổi kết quả chỉ tiêu",
        "en": "Communes that made or broke a goal",
    },
    "goals.section.districts": {"vi": "Chỉ tiêu của các quận, huyện", "en": "Targets of the districts"},
    "goals.section.below": {
        "vi": "Chi tiết chỉ tiêu của các đơn vị cấp dưới",
        "en": "Targets of the units below, in detail",
    },
    "goals.no_trajectories": {
        "vi": "{area} không có mục tiêu nhiều năm (về số xã, tỷ lệ hoặc số người tại một thời điểm).",
        "en": "{area} has no multi-year goal (on commune counts, rates or stocks).",
    },
    "goals.no_commune_changes": {
        "vi": "Năm {year} không có xã nào vào hoặc ra khỏi danh sách được dùng để đánh giá chỉ tiêu.",
        "en": "In {year} no commune entered or left a list that a target is judged on.",
    },
    "goals.method": {"vi": "Cách dự báo: {text}", "en": "How the projection is made: {text}"},
    "goals.relapsed": {"vi": "Tái phát ({n}): {names}", "en": "Relapsed ({n}): {names}"},
    "goals.entered": {"vi": "Mới vào danh sách ({n}): {names}", "en": "Newly listed ({n}): {names}"},
    "goals.left": {"vi": "Ra khỏi danh sách ({n}): {names}", "en": "Left the list ({n}): {names}"},
    "goals.months": {"vi": "{year} ({months} tháng)", "en": "{year} ({months} months)"},
    "goals.months_of": {"vi": "{months} tháng {year}", "en": "{months} months {year}"},
    "goals.status.met": {"vi": "đạt", "en": "met"},
    "goals.status.not_met": {"vi": "chưa đạt", "en": "not met"},
    "goals.status.at_risk": {"vi": "có nguy cơ", "en": "at risk"},
    "goals.status.no_data": {"vi": "không đủ số liệu", "en": "not enough data"},
    "goals.verdict.on_track": {"vi": "đúng tiến độ", "en": "on track"},
    "goals.verdict.at_risk": {"vi": "có nguy cơ", "en": "at risk"},
    "goals.verdict.off_track": {"vi": "chệch hướng", "en": "off track"},
    "goals.col.unit": {"vi": "Địa bàn", "en": "Area"},
    "goals.col.year": {"vi": "Năm", "en": "Year"},
    "goals.col.metric": {"vi": "Chỉ số", "en": "Indicator"},
    "goals.col.rule": {"vi": "Chỉ tiêu", "en": "Target"},
    "goals.col.previous": {"vi": "Năm trước", "en": "Previous year"},
    "goals.col.actual": {"vi": "Thực hiện", "en": "Actual"},
    "goals.col.achievement": {"vi": "Tỷ lệ đạt", "en": "Achievement"},
    "goals.col.status": {"vi": "Đánh giá", "en": "Status"},
    "goals.col.verdict": {"vi": "Xu hướng", "en": "Trend verdict"},
    "goals.col.note": {"vi": "Ghi chú", "en": "Note"},
    "goals.col.commune": {"vi": "Xã", "en": "Commune"},
    "goals.col.commune_code": {"vi": "Mã xã", "en": "Commune code"},
    "goals.col.change": {"vi": "Thay đổi", "en": "Change"},
    "goals.col.effect": {"vi": "Ảnh hưởng", "en": "Effect on the goal"},
    "goals.col.targets": {"vi": "Số chỉ tiêu", "en": "Targets"},
    "goals.change.entered": {"vi": "mới vào danh sách", "en": "newly listed"},
    "goals.change.left": {"vi": "ra khỏi danh sách", "en": "left the list"},
    "goals.change.relapsed": {"vi": "tái phát", "en": "relapsed"},
    "goals.effect.helpful": {"vi": "có lợi", "en": "helps"},
    "goals.effect.harmful": {"vi": "bất lợi", "en": "hurts"},
    "goals.rule.at_least": {"vi": "Đạt ít nhất {value}", "en": "At least {value}"},
    "goals.rule.at_most": {"vi": "Không vượt quá {value}", "en": "At most {value}"},
    "goals.rule.more_than": {"vi": "Trên {value}", "en": "More than {value}"},
    "goals.rule.increase_at_least_pct": {
        "vi": "Tăng từ {value} trở lên so với năm trước",
        "en": "Up by {value} or more on the previous year",
    },
    "goals.rule.increase_more_than_pct": {
        "vi": "Tăng trên {value} so với năm trước",
        "en": "Up by more than {value} on the previous year",
    },
    "goals.points": {"vi": "{value} điểm phần trăm", "en": "{value} percentage points"},
    "goals.rule.reduce_more_than_pct": {
        "vi": "Giảm trên {value}% so với năm trước",
        "en": "Down by more than {value}% on the previous year",
    },
    "goals.rule.reduce_at_least_pct": {
        "vi": "Giảm từ {value}% trở lên so với năm trước",
        "en": "Down by {value}% or more on the previous year",
    },
    "goals.rule.new_at_least": {"vi": "Thêm mới ít nhất {value} {what}", "en": "At least {value} new {what}"},
    "goals.rule.keep_all": {"vi": "Giữ vững toàn bộ, không để tái phát", "en": "Keep them all, no relapse"},
    "goals.category.healthy": {"vi": "xã lành mạnh", "en": "healthy communes"},
    "goals.category.complex": {"vi": "xã phức tạp", "en": "complex communes"},
    "goals.category.key": {"vi": "xã trọng điểm", "en": "key communes"},
    "goals.category.drug_free": {"vi": "xã không ma túy", "en": "drug-free communes"},
    "goals.category.drug_problem": {"vi": "xã có tệ nạn ma túy", "en": "communes with drug problems"},
    "goals.category.other": {"vi": "đơn vị", "en": "units"},
    "goals.chart.quotas": {
        "vi": "Thực hiện chỉ tiêu — {area}, {period}",
        "en": "Quota achievement — {area}, {period}",
    },
    "goals.chart.no_quotas": {"vi": "Không có chỉ tiêu để hiển thị", "en": "No quota to show"},
    "goals.chart.partial_year": {"vi": "{months} tháng năm {year}", "en": "{months} months of {year}"},
    "goals.chart.year": {"vi": "năm {year}", "en": "{year}"},
    "goals.chart.by_district": {
        "vi": "Kết quả chỉ tiêu theo quận, huyện — {area}, {period}",
        "en": "Targets by district — {area}, {period}",
    },
    "goals.chart.trajectory": {
        "vi": "{metric} — {area}, mục tiêu đến năm {deadline}",
        "en": "{metric} — {area}, goal for {deadline}",
    },
    "goals.chart.selected_year": {"vi": "Năm đang xem", "en": "Year shown"},
    "goals.chart.count": {"vi": "Số chỉ tiêu", "en": "Targets"},
    "goals.trace.required": {"vi": "Lộ trình yêu cầu", "en": "Required path"},
    "goals.trace.actual": {"vi": "Thực hiện", "en": "Actual"},
    "goals.trace.projected": {"vi": "Dự báo", "en": "Projection"},
    "goals.axis.year": {"vi": "Năm", "en": "Year"},
    "goals.bound.up": {"vi": "ít nhất", "en": "at least"},
    "goals.bound.down": {"vi": "không quá", "en": "at most"},
    "goals.verdict_text.actual": {
        "vi": "Thực tế năm {year}: {value}; yêu cầu {bound} {need} — {verdict}.",
        "en": "Actual {year}: {value}; required {bound} {need} — {verdict}.",
    },
    "goals.verdict_text.projected": {
        "vi": "Dự báo năm {year}: {value}; yêu cầu {bound} {need} — {verdict}.",
        "en": "Projected {year}: {value}; required {bound} {need} — {verdict}.",
    },
    "goals.verdict_text.missing": {"vi": "Chưa đủ số liệu năm {year}.", "en": "Not enough data for {year}."},
    "goals.method.linear": {
        "vi": "Dự báo theo xu hướng tuyến tính (bình phương nhỏ nhất) của {n} năm gần nhất ({span}), kéo "
        "dài từ số liệu năm {last} đến năm {deadline}.",
        "en": "A least-squares linear trend over the last {n} years ({span}), extended from {last} to "
        "{deadline}.",
    },
    "goals.method.compound": {
        "vi": "Dự báo theo tốc độ thay đổi bình quân hằng năm (lũy kế) của {n} năm gần nhất ({span}), kéo "
        "dài từ số liệu năm {last} đến năm {deadline}.",
        "en": "The average yearly rate of change over the last {n} years ({span}), compounded from {last} "
        "to {deadline}.",
    },
    "goals.method.flat": {
        "vi": "Chỉ có số liệu năm {span}: dự báo giữ nguyên mức này đến năm {deadline}.",
        "en": "Only {span} has figures: the projection holds that level until {deadline}.",
    },
    "goals.method.actual": {
        "vi": "Đã đến năm {deadline}: đánh giá theo số liệu thực tế, không cần dự báo.",
        "en": "{deadline} has been reached: judged on the actual figures, no projection needed.",
    },
    "goals.explain.when_year": {"vi": "Năm {year}", "en": "{year}"},
    "goals.explain.when_partial": {
        "vi": "Sau {months} tháng năm {year}",
        "en": "After {months} months of {year}",
    },
    "goals.explain.no_year": {"vi": "Chưa có số liệu năm {year}.", "en": "No figures for {year} yet."},
    "goals.explain.no_status": {
        "vi": "{when}: chưa có phân loại xã của năm {year} hoặc năm {prev}.",
        "en": "{when}: no commune classification for {year} or {prev}.",
    },
    "goals.explain.new": {
        "vi": "{when}: {n} xã mới (yêu cầu ít nhất {target}): {names}.",
        "en": "{when}: {n} new commune(s) (at least {target} required): {names}.",
    },
    "goals.explain.kept": {
        "vi": "{when}: giữ vững toàn bộ các xã của năm {prev}, không xã nào tái phát.",
        "en": "{when}: every commune of {prev} was kept, none relapsed.",
    },
    "goals.explain.lost": {
        "vi": "{when}: {n} xã không giữ được so với năm {prev}: {names}.",
        "en": "{when}: {n} commune(s) of {prev} not kept: {names}.",
    },
    "goals.explain.none": {"vi": "không có", "en": "none"},
    "goals.explain.no_data": {
        "vi": "{when}: không đủ số liệu để đánh giá.",
        "en": "{when}: not enough data to judge.",
    },
    "goals.explain.no_previous": {
        "vi": "{when}: {actual}; không có số liệu năm {prev} để so sánh.",
        "en": "{when}: {actual}; no figures for {prev} to compare with.",
    },
    "goals.explain.same_period": {"vi": " (cùng kỳ)", "en": ", same months"},
    "goals.explain.reduction": {
        "vi": "{when}: từ {previous} (năm {prev}{same}) còn {actual}, {moved}; yêu cầu giảm {need}.",
        "en": "{when}: from {previous} ({prev}{same}) to {actual}, {moved}; required: down by {need}.",
    },
    "goals.explain.increase": {
        "vi": "{when}: từ {previous} (năm {prev}{same}) lên {actual}, {moved}; yêu cầu tăng {need}.",
        "en": "{when}: from {previous} ({prev}{same}) to {actual}, {moved}; required: up by {need}.",
    },
    "goals.moved.down": {"vi": "giảm {value}", "en": "down {value}"},
    "goals.moved.up": {"vi": "tăng {value}", "en": "up {value}"},
    "goals.explain.reduction_from_zero": {
        "vi": "{when}: năm {prev}{same} là 0, năm nay {actual} — {moved}.",
        "en": "{when}: {prev}{same} was 0, this year {actual} — {moved}.",
    },
    "goals.explain.still_zero": {"vi": "vẫn giữ ở 0", "en": "still 0"},
    "goals.explain.up_from_zero": {"vi": "tăng từ 0", "en": "up from 0"},
    "goals.explain.increase_from_zero": {
        "vi": "{when}: năm {prev}{same} là 0, năm nay {actual}; yêu cầu tăng {need}.",
        "en": "{when}: {prev}{same} was 0, this year {actual}; required: up by {need}.",
    },
    "goals.explain.level": {
        "vi": "{when}: thực hiện {actual} so với chỉ tiêu {target}",
        "en": "{when}: {actual} against a target of {target}",
    },
    "goals.explain.above": {
        "vi": " (yêu cầu trên mức này)",
        "en": " (more than this is required: exactly the target is not enough)",
    },
    "goals.explain.achieved": {"vi": ", đạt {pct}", "en": ", {pct} achieved"},
    "goals.explain.pace": {
        "vi": "; theo tiến độ ({share} năm) cần {expected} — {pace}",
        "en": "; pro rata ({share} of the year): {expected} — {pace}",
    },
    "goals.explain.forecast": {"vi": " Dự báo: {verdict}.", "en": " Projection: {verdict}."},
    "goals.pro_rata": {
        "vi": "theo tiến độ {months} tháng: {expected}",
        "en": "pro rata after {months} months: {expected}",
    },
    "goals.pace.on": {"vi": "đúng tiến độ", "en": "on pace"},
    "goals.pace.behind": {"vi": "chậm tiến độ", "en": "behind pace"},
    "goals.pace.within": {"vi": "trong giới hạn theo tiến độ", "en": "within the pro-rata limit"},
    "goals.pace.over": {"vi": "vượt mức theo tiến độ", "en": "above the pro-rata limit"},
    "goals.more_than": {"vi": "trên {value}", "en": "more than {value}"},
    "goals.or_more": {"vi": "từ {value} trở lên", "en": "{value} or more"},
    # Table columns
    "column.unit": {"vi": "Địa bàn", "en": "Area"},
    "column.indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "column.period": {"vi": "Kỳ", "en": "Period"},
    "column.value": {"vi": "Giá trị", "en": "Value"},
    # Downloads
    "download.csv": {"vi": "Tải về CSV", "en": "Download CSV"},
    "download.excel": {"vi": "Tải về Excel", "en": "Download Excel"},
    "download.menu": {"vi": "Tải bảng", "en": "Download table"},
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
    "goals.explain.hidden": {
        "vi": "Số liệu nhỏ của xã được ẩn để bảo vệ người trong số liệu.",
        "en": "A commune's small count is hidden to protect the people in it.",
    },
    "notice.rejected_snapshot_scoped": {
        "vi": "Bộ số liệu {snapshot} không hợp lệ nên không được dùng; người quản trị xem chi tiết lỗi.",
        "en": "Snapshot {snapshot} is not valid and is not used; the administrator sees what is wrong.",
    },
    "notice.rejected_snapshot": {
        "vi": "Bộ số liệu {snapshot} không hợp lệ nên không được dùng: {problems}",
        "en": "Snapshot {snapshot} is not valid and is not used: {problems}",
    },
    "notice.incomplete_period": {
        "vi": "{period} chưa đủ số liệu: bộ số liệu chỉ đến tháng {month}.",
        "en": "{period} is incomplete: the snapshot only reaches {month}.",
    },
    "notice.span_gap": {
        "vi": "{periods}: không tách được theo kỳ này — báo cáo chỉ cho tổng cộng dồn của nhiều tháng, "
        "không có số riêng của kỳ này, nên để trống (không vẽ bằng 0). Chọn kỳ dài hơn (9 tháng, năm) "
        "để xem tổng đã báo cáo.",
        "en": "{periods}: cannot be split by this period — the report gives only a cumulative total over "
        "several months, with no figure of its own for this period, so it is left blank (not drawn as 0). "
        "Choose a longer period (9 months, year) to see the reported total.",
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
    "chart.reform_marker": {"vi": "Sắp xếp ĐVHC 01/7/2025", "en": "Administrative reform 1 Jul 2025"},
    "chart.reform_facets": {
        "vi": "Đường chấm: sắp xếp đơn vị hành chính 01/7/2025",
        "en": "Dotted line: administrative reform, 1 July 2025",
    },
    "chart.bar": {"vi": "Cột", "en": "Bar"},
    "breakdown.none": {"vi": "Không chia", "en": "None"},
    "breakdown.stacked": {"vi": "Cột chồng", "en": "Stacked bars"},
    "breakdown.small_multiples": {"vi": "Nhiều biểu đồ nhỏ", "en": "Small multiples"},
    "breakdown.others": {"vi": "{n} địa bàn khác", "en": "{n} other areas"},
    "notice.breakdown_limit": {
        "vi": "Hiển thị {n} địa bàn có số liệu kỳ mới nhất cao nhất; {left} địa bàn khác có trong bảng số liệu bên dưới.",
        "en": "Showing the {n} areas with the highest figure in the newest period; {left} more are in the data table below.",
    },
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
    "column.gap": {"vi": "Ghi chú kỳ", "en": "Period note"},
    "value.gap": {"vi": "không tách được theo kỳ này", "en": "cannot be split by this period"},
    "value.yes": {"vi": "Có", "en": "Yes"},
    "value.no": {"vi": "Không", "en": "No"},
    "axis.value": {"vi": "Giá trị", "en": "Value"},
    "kpi.points": {"vi": "{value} điểm %", "en": "{value} pp"},
    "kpi.legend": {
        "vi": "Thay đổi so với cùng kỳ năm trước: xanh lam là chuyển biến tốt, đỏ là xấu đi.",
        "en": "Change vs. the same period last year: blue is an improvement, red a deterioration.",
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
    "map.province_summary": {"vi": "Tổng hợp theo tỉnh, thành phố", "en": "Summary by province"},
    "map.pick_hint_2025": {
        "vi": "Đơn vị hành chính mới không có cấp huyện: chọn xã, phường ở thanh bên để thu hẹp bản đồ.",
        "en": "The new units have no districts: choose communes in the sidebar to narrow the map.",
    },
    "map.district_summary_note": {
        "vi": "Một xã có thể vừa là xã trọng điểm vừa là xã phức tạp; trên bản đồ xã đó mang màu trọng điểm.",
        "en": "A commune may be both key and complex; on the map it takes the key colour.",
    },
    "status.unknown": {"vi": "chưa có số liệu", "en": "no figures yet"},
    "status.source.list": {"vi": "theo danh sách xã", "en": "from the commune list"},
    "status.source.report": {"vi": "theo số báo cáo", "en": "as reported"},
    "coverage.line": {
        "vi": "{reported}/{total} {children} đã báo cáo",
        "en": "{reported} of {total} {children} reported",
    },
    "coverage.partial": {
        "vi": "một phần: {reported}/{total} {children}",
        "en": "partial: {reported}/{total} {children}",
    },
    "coverage.classified": {
        "vi": "{reported}/{total} xã, phường đã có phân loại",
        "en": "{reported} of {total} communes classified",
    },
    "coverage.own": {"vi": "số của chính đơn vị", "en": "the unit's own figure"},
    "coverage.hidden": {
        "vi": "số đơn vị đã báo cáo không hiển thị (ngoài phạm vi được xem)",
        "en": "units reporting not shown (outside your scope)",
    },
    "coverage.children.district": {"vi": "quận, huyện", "en": "districts"},
    "coverage.children.commune": {"vi": "xã, phường", "en": "communes"},
    "coverage.children.province": {"vi": "tỉnh, thành phố", "en": "provinces"},
    "coverage.children.unit": {"vi": "đơn vị", "en": "units"},
    "column.coverage": {"vi": "Đơn vị đã báo cáo", "en": "Units reporting"},
    "column.status_source": {"vi": "Nguồn số xã", "en": "Source of commune counts"},
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
    "column.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "column.category": {"vi": "Phân loại", "en": "Category"},
    "column.category_base": {"vi": "Phân loại năm {year}", "en": "Category in {year}"},
    "column.change": {"vi": "Thay đổi", "en": "Change"},
    "column.key_communes": {"vi": "Xã trọng điểm", "en": "Key communes"},
    "column.complex_communes": {"vi": "Xã phức tạp", "en": "Complex communes"},
    "column.healthy_communes": {"vi": "Xã lành mạnh", "en": "Healthy communes"},
    "column.classified_communes": {"vi": "Số xã đã phân loại", "en": "Classified communes"},
    "column.count": {"vi": "Số xã", "en": "Communes"},
    # Dữ liệu page: snapshot history, comparison, import
    "page.data_title": {
        "vi": "Dữ liệu: bản chụp, so sánh và nhập báo cáo",
        "en": "Data: snapshots, comparison and import",
    },
    "common.yes": {"vi": "Có", "en": "Yes"},
    "common.no": {"vi": "Không", "en": "No"},
    "data.history": {"vi": "Các bản chụp số liệu", "en": "Snapshots"},
    "data.history_help": {
        "vi": "Bản chụp không bao giờ bị sửa: mỗi lần nhập tạo bản chụp mới, gồm bản chụp nền và tệp. Mã bản "
        'chụp là ngày tạo (bản mới nhất đứng đầu, được mở mặc định); cột "Số liệu tính đến" là ngày số liệu.',
        "en": "Snapshots are never changed: each import makes a new one, its base plus the file. A snapshot's id "
        'is the day it was made (the newest first, opened by default); "Data as of" is the figures\' date.',
    },
    "data.col.snapshot": {"vi": "Bản chụp", "en": "Snapshot"},
    "data.col.created": {"vi": "Tạo lúc", "en": "Created"},
    "data.col.base": {"vi": "Bản chụp nền", "en": "Base"},
    "data.base_newest": {
        "vi": "Bản chụp mới nhất (hiện là {snapshot}{demo})",
        "en": "The newest snapshot (now {snapshot}{demo})",
    },
    "data.base_demo": {"vi": " — dữ liệu minh họa", "en": " — demo data"},
    "data.base_none": {
        "vi": "Không dùng bản chụp nền: bắt đầu dữ liệu thật từ đầu",
        "en": "No base: start real data from nothing",
    },
    "data.base_pick": {"vi": "Chọn bản chụp nền…", "en": "Choose a base snapshot…"},
    "data.base_help": {
        "vi": "Bản chụp mới = bản chụp nền + tệp. Dữ liệu minh họa chỉ được làm nền khi chọn rõ (bản chụp mới "
        'vẫn ghi là minh họa); dữ liệu thật của đơn vị bắt đầu bằng "Không dùng bản chụp nền".',
        "en": "New snapshot = base + file. Demo data is a base only when chosen explicitly (the new snapshot stays "
        'marked demo); a committee\'s real data starts with "No base".',
    },
    "data.base_first": {
        "vi": "Bản chụp mới nhất là dữ liệu minh họa: chọn bản chụp nền trước khi tải tệp lên.",
        "en": "The newest snapshot is demo data: choose a base before uploading a file.",
    },
    "data.col.as_of": {"vi": "Số liệu tính đến", "en": "Data as of"},
    "data.col.source": {"vi": "Nguồn", "en": "Source"},
    "data.col.rows": {"vi": "Số dòng số liệu", "en": "Fact rows"},
    "data.col.demo": {"vi": "Minh họa", "en": "Demo"},
    "data.col.units": {"vi": "Đơn vị hành chính", "en": "Administrative units"},
    "data.units_v1": {"vi": "Đơn vị cũ", "en": "Former units"},
    "data.units_v2": {
        "vi": "Đơn vị cũ đến 30/6/2025, đơn vị mới từ 01/7/2025",
        "en": "Former units to 30 Jun 2025, new units from 1 Jul 2025",
    },
    "data.col.valid": {"vi": "Hợp lệ", "en": "Valid"},
    "data.col.problems": {"vi": "Lỗi", "en": "Problems"},
    "data.compare": {"vi": "So sánh hai bản chụp", "en": "Compare two snapshots"},
    "data.compare_old": {"vi": "Bản chụp cũ", "en": "Older snapshot"},
    "data.compare_new": {"vi": "Bản chụp mới", "en": "Newer snapshot"},
    "data.compare_counts": {
        "vi": "{revised} giá trị được sửa, {added} giá trị thêm mới, {removed} giá trị bị bỏ.",
        "en": "{revised} values revised, {added} added, {removed} removed.",
    },
    "data.compare_same": {
        "vi": "Hai bản chụp có số liệu giống nhau.",
        "en": "The two snapshots hold the same figures.",
    },
    "data.compare_need_two": {
        "vi": "Cần ít nhất hai bản chụp hợp lệ để so sánh.",
        "en": "At least two valid snapshots are needed to compare.",
    },
    "data.col.month": {"vi": "Tháng", "en": "Month"},
    "data.col.unit_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "data.col.unit": {"vi": "Đơn vị", "en": "Unit"},
    "data.col.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "data.col.old": {"vi": "Giá trị cũ", "en": "Old value"},
    "data.col.new": {"vi": "Giá trị mới", "en": "New value"},
    "data.col.change": {"vi": "Thay đổi", "en": "Change"},
    "data.change.added": {"vi": "thêm mới", "en": "added"},
    "data.change.removed": {"vi": "bị bỏ", "en": "removed"},
    "data.change.revised": {"vi": "được sửa", "en": "revised"},
    "data.import": {"vi": "Nhập báo cáo", "en": "Import a report"},
    "data.import_help": {
        "vi": "Tải mẫu, điền số liệu, rồi tải tệp lên. Mọi dòng được kiểm tra trước; có lỗi thì không ghi gì. "
        "Giới hạn dung lượng: {limit} MB.",
        "en": "Download the template, fill it in, then upload it. Every row is checked first; nothing is written "
        "if there is an error. Size limit: {limit} MB.",
    },
    "data.template": {"vi": "Tải mẫu báo cáo (Excel)", "en": "Download the report template (Excel)"},
    "data.upload": {"vi": "Tệp báo cáo (.xlsx hoặc .csv)", "en": "Report file (.xlsx or .csv)"},
    "data.as_of": {"vi": "Số liệu tính đến ngày", "en": "Data as of"},
    "data.base": {"vi": "Bản chụp nền", "en": "Base snapshot"},
    "data.check": {"vi": "Kiểm tra tệp", "en": "Check the file"},
    "data.do_import": {"vi": "Nhập thành bản chụp mới", "en": "Import as a new snapshot"},
    "data.check_ok": {
        "vi": 'Tệp hợp lệ: {facts} dòng được đọc, {warnings} cảnh báo. Bấm "Nhập" để tạo bản chụp mới.',
        "en": 'The file is valid: {facts} rows read, {warnings} warnings. Press "Import" to make a new snapshot.',
    },
    "data.check_failed": {
        "vi": "Tệp có {errors} lỗi: không ghi gì. Sửa các dòng dưới đây rồi tải lên lại.",
        "en": "The file has {errors} errors: nothing was written. Fix the rows below and upload again.",
    },
    "data.imported": {
        "vi": "Đã tạo bản chụp {snapshot} (số liệu tính đến ngày {as_of}). Đây là bản chụp mới nhất, được mở "
        "mặc định và đã được chọn ở thanh bên.",
        "en": "Snapshot {snapshot} was created (data as of {as_of}). It is the newest, opened by default, and "
        "is now selected in the sidebar.",
    },
    "data.col.kind": {"vi": "Loại", "en": "Kind"},
    "data.col.sheet": {"vi": "Trang", "en": "Sheet"},
    "data.col.column": {"vi": "Cột", "en": "Column"},
    "data.col.row": {"vi": "Dòng", "en": "Row"},
    "data.col.message": {"vi": "Nội dung", "en": "Message"},
    "data.kind.error": {"vi": "Lỗi", "en": "Error"},
    "data.kind.warning": {"vi": "Cảnh báo", "en": "Warning"},
    # Export and presentation pages (issue 6)
    "export.heading": {
        "vi": "Xuất báo cáo giao ban: {area}, {period}",
        "en": "Meeting pack: {area}, {period}",
    },
    "export.unit": {"vi": "Đơn vị", "en": "Unit"},
    "export.sections": {"vi": "Nội dung", "en": "Sections"},
    "export.one_unit": {
        "vi": "Bộ lọc đang chọn nhiều quận, huyện: báo cáo được lập cho {name}. Chọn một quận, huyện để lập báo cáo của quận, huyện đó.",
        "en": "Several districts are selected: the pack is made for {name}. Select one district for its own pack.",
    },
    "export.slides": {"vi": "Tải bản trình chiếu (PowerPoint)", "en": "Download the slides (PowerPoint)"},
    "export.zip": {"vi": "Tải ảnh các biểu đồ (ZIP)", "en": "Download chart images (ZIP)"},
    "export.word": {"vi": "Tải báo cáo (Word)", "en": "Download the report (Word)"},
    "export.png": {"vi": "Tải ảnh PNG", "en": "Download PNG"},
    "export.svg": {"vi": "Tải ảnh SVG", "en": "Download SVG"},
    "export.menu": {"vi": "Tải ảnh", "en": "Download image"},
    "export.narrative": {"vi": "Báo cáo bằng chữ (để sao chép)", "en": "Written report (to copy)"},
    "export.charts": {"vi": "Các biểu đồ", "en": "Charts"},
    "export.word_vietnamese": {
        "vi": "Báo cáo Word và báo cáo bằng chữ là văn bản hành chính, viết bằng tiếng Việt.",
        "en": "The Word report and the written report are administrative documents "
        "(Decree 30/2020/NĐ-CP) and are written in Vietnamese; the slides and the images are in English.",
    },
    "export.word_no_charts": {
        "vi": "Không có trình duyệt trên máy chủ: báo cáo Word không kèm biểu đồ.",
        "en": "No browser on the server: the Word report comes without charts.",
    },
    "export.in_browser": {
        "vi": "Nút máy ảnh trên mỗi biểu đồ vẫn tải được ảnh PNG ngay trong trình duyệt.",
        "en": "The camera button on each chart still downloads a PNG in your browser.",
    },
    "present.choose": {"vi": "Chọn nội dung trình chiếu", "en": "Choose what to present"},
    "present.previous": {"vi": "Trước", "en": "Previous"},
    "present.next": {"vi": "Tiếp", "en": "Next"},
    "present.position": {"vi": "Trang {i}/{n}", "en": "Slide {i} of {n}"},
    "present.kpis": {"vi": "Số liệu chính", "en": "Key figures"},
    "present.goals": {"vi": "Bảng thực hiện chỉ tiêu", "en": "Goals table"},
    "section.drugs": {"vi": "Tình hình ma túy", "en": "Drugs"},
    "section.rehab": {"vi": "Cai nghiện và quản lý sau cai", "en": "Rehab and aftercare"},
    "section.prostitution": {"vi": "Phòng, chống mại dâm", "en": "Prostitution"},
    "section.trafficking": {"vi": "Phòng, chống mua bán người", "en": "Human trafficking"},
    "section.hiv": {"vi": "Phòng, chống HIV/AIDS", "en": "HIV/AIDS"},
    "section.goals": {"vi": "Thực hiện chỉ tiêu", "en": "Goals"},
    "section.map": {"vi": "Bản đồ phân loại xã, phường", "en": "Commune map"},
    # Sign-in and access (issue 9)
    "auth.title": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth.intro": {
        "vi": "Bảng điều khiển chỉ dành cho người được cấp quyền. Vui lòng đăng nhập.",
        "en": "The dashboard is for authorised users only. Please sign in.",
    },
    "auth.login": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth.logout": {"vi": "Đăng xuất", "en": "Sign out"},
    "auth.username": {"vi": "Tên đăng nhập", "en": "User name"},
    "auth.password": {"vi": "Mật khẩu", "en": "Password"},
    "auth.wrong_password": {
        "vi": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "en": "Wrong user name or password.",
    },
    "auth.locked": {
        "vi": "Đăng nhập sai quá nhiều lần: tạm khóa, hãy thử lại sau {seconds} giây.",
        "en": "Too many failed sign-ins: locked for now, try again in {seconds} seconds.",
    },
    "auth.failed": {
        "vi": "Không đăng nhập được. Hãy tải lại trang và đăng nhập lại; nếu vẫn lỗi, liên hệ người quản trị.",
        "en": "Signing in failed. Reload the page and sign in again; if it persists, contact the administrator.",
    },
    "auth.not_listed": {
        "vi": "Tài khoản {user} chưa được phân quyền xem bảng điều khiển. Liên hệ người quản trị.",
        "en": "Account {user} has no access to the dashboard. Contact the administrator.",
    },
    "auth.signed_in": {"vi": "Đăng nhập: {user}", "en": "Signed in: {user}"},
    "auth.scope": {"vi": "{role} · Phạm vi: {units}", "en": "{role} · Scope: {units}"},
    "auth.role.viewer": {"vi": "Người xem", "en": "Viewer"},
    "auth.role.data_manager": {"vi": "Quản lý dữ liệu", "en": "Data manager"},
    "auth.role.secretary": {"vi": "Thư ký", "en": "Secretary"},
    "auth.config_error": {
        "vi": "Cấu hình đăng nhập không dùng được: {error}",
        "en": "The sign-in configuration cannot be used: {error}",
    },
    "notice.out_of_scope": {
        "vi": "Bạn không có quyền xem {name}; đang hiển thị địa bàn được phân quyền.",
        "en": "You may not see {name}; showing the area you are assigned.",
    },
    "notice.small_counts": {
        "vi": 'Số liệu cấp xã về số người dưới {threshold} được ẩn (ghi "<{threshold}") trong bảng tải về.',
        "en": 'Commune-level counts of people below {threshold} are hidden (shown as "<{threshold}") in downloads.',
    },
    "data.import_outside": {
        "vi": "Tệp có số liệu của đơn vị ngoài phạm vi được phân quyền: {units}. Không nhập.",
        "en": "The file has figures for units outside your scope: {units}. Not imported.",
    },
    "data.import_managers_only": {
        "vi": "Chỉ người quản lý dữ liệu được nhập báo cáo.",
        "en": "Only data managers may import reports.",
    },
    # Meetings and conclusions (ui/conclusions.py, pages/ket_luan.py)
    "page.meetings": {"vi": "Kết luận giao ban", "en": "Meeting conclusions"},
    "cl.section": {"vi": "Kết luận giao ban về các chỉ tiêu", "en": "Meeting conclusions on the targets"},
    "cl.section_help": {
        "vi": "Các chỉ tiêu chưa đạt, có nguy cơ hoặc đã có kết luận, với kết luận của các cuộc họp giao ban.",
        "en": "Targets missed, at risk or with a conclusion, with what the meetings concluded about them.",
    },
    "cl.record": {"vi": "Ghi kết luận", "en": "Record a conclusion"},
    "cl.none_for_target": {"vi": "Chưa có kết luận.", "en": "No conclusion yet."},
    "cl.text": {"vi": "Nội dung kết luận", "en": "Conclusion"},
    "cl.text_help": {
        "vi": "Ví dụ: Rà soát 5 xã phức tạp chưa chuyển hóa, báo cáo kết quả.",
        "en": "For example: review the 5 complex communes not yet turned around and report.",
    },
    "cl.responsible": {"vi": "Cơ quan, đơn vị chủ trì", "en": "Responsible body"},
    "cl.deadline": {"vi": "Hạn hoàn thành", "en": "Deadline"},
    "cl.held_on": {"vi": "Ngày họp", "en": "Meeting date"},
    "cl.communes": {"vi": "Xã, phường liên quan (không bắt buộc)", "en": "Communes concerned (optional)"},
    "cl.save": {"vi": "Lưu kết luận", "en": "Save the conclusion"},
    "cl.saved": {
        "vi": "Đã ghi kết luận số {id} ({meeting}).",
        "en": "Conclusion no. {id} recorded ({meeting}).",
    },
    "cl.meeting": {"vi": "Cuộc họp: {title}", "en": "Meeting: {title}"},
    "cl.new_meeting": {
        "vi": "Kết luận sẽ thuộc cuộc họp giao ban {period} của {unit} (mở khi lưu).",
        "en": "The conclusion goes to the {period} meeting of {unit} (opened when saved).",
    },
    "cl.target": {"vi": "Chỉ tiêu: {target}", "en": "Target: {target}"},
    "cl.overdue": {"vi": "quá hạn", "en": "overdue"},
    "cl.missing": {
        "vi": "chỉ tiêu không còn trong bộ số liệu {snapshot}",
        "en": "target no longer in snapshot {snapshot}",
    },
    "cl.due": {"vi": "hạn {date}", "en": "due {date}"},
    "cl.status.todo": {"vi": "chưa thực hiện", "en": "not started"},
    "cl.status.doing": {"vi": "đang thực hiện", "en": "in progress"},
    "cl.status.done": {"vi": "đã hoàn thành", "en": "done"},
    "cl.status.cancelled": {"vi": "hủy", "en": "cancelled"},
    "cl.db_error": {
        "vi": "Không mở được cơ sở dữ liệu cuộc họp ({error}). Kiểm tra thư mục dữ liệu hoặc DASHBOARD_DATABASE_URL.",
        "en": "The meetings database cannot be opened ({error}). Check the data folder or DASHBOARD_DATABASE_URL.",
    },
    "cl.anonymous": {"vi": "người dùng (chưa bật đăng nhập)", "en": "user (sign-in off)"},
    "cl.col.id": {"vi": "Số", "en": "No."},
    "cl.col.text": {"vi": "Nội dung", "en": "Conclusion"},
    "cl.col.target": {"vi": "Chỉ tiêu", "en": "Target"},
    "cl.col.unit": {"vi": "Đơn vị", "en": "Unit"},
    "cl.col.responsible": {"vi": "Chủ trì", "en": "Responsible"},
    "cl.col.deadline": {"vi": "Hạn", "en": "Deadline"},
    "cl.col.status": {"vi": "Trạng thái", "en": "Status"},
    "cl.col.then": {"vi": "Chỉ tiêu khi kết luận", "en": "Target then"},
    "cl.col.updated": {"vi": "Cập nhật", "en": "Updated"},
    "cl.col.when": {"vi": "Thời điểm ghi", "en": "Recorded at"},
    "cl.col.who": {"vi": "Người ghi", "en": "By"},
    "cl.col.what": {"vi": "Thay đổi", "en": "Change"},
    "cl.col.date": {"vi": "Ngày", "en": "Date"},
    "cl.kind.created": {"vi": "Ghi kết luận", "en": "Recorded"},
    "cl.kind.progress": {"vi": "Tiến độ", "en": "Progress"},
    "cl.kind.missing": {"vi": "Đánh dấu", "en": "Marked"},
    "mt.choose": {"vi": "Cuộc họp", "en": "Meeting"},
    "mt.none": {
        "vi": "Chưa có cuộc họp nào. Mở cuộc họp ở trang Xuất báo cáo, hoặc ghi kết luận từ một chỉ tiêu trên trang Mục tiêu.",
        "en": "No meeting yet. Open one on the Export page, or record a conclusion from a target on the Goals page.",
    },
    "mt.facts": {
        "vi": "Bộ số liệu {snapshot} · họp ngày {held} · mở bởi {user}",
        "en": "Snapshot {snapshot} · held on {held} · opened by {user}",
    },
    "mt.reopen": {"vi": "Mở lại màn hình Mục tiêu của cuộc họp", "en": "Reopen the meeting's Goals view"},
    "mt.follow_up": {
        "vi": "Kết quả thực hiện kết luận các cuộc họp trước",
        "en": "Follow-up of earlier conclusions",
    },
    "mt.no_follow_up": {
        "vi": "Không có kết luận nào của các cuộc họp trước cần theo dõi.",
        "en": "No conclusion of an earlier meeting to follow up.",
    },
    "mt.conclusions": {"vi": "Kết luận của cuộc họp", "en": "The meeting's conclusions"},
    "mt.no_conclusions": {"vi": "Cuộc họp chưa có kết luận.", "en": "The meeting has no conclusion yet."},
    "mt.progress": {"vi": "Cập nhật tiến độ", "en": "Record progress"},
    "mt.add": {
        "vi": "Thêm kết luận khác (không gắn với chỉ tiêu)",
        "en": "Add another conclusion (not about a target)",
    },
    "mt.which": {"vi": "Kết luận", "en": "Conclusion"},
    "mt.note": {"vi": "Nội dung tiến độ", "en": "Progress note"},
    "mt.on": {"vi": "Ngày", "en": "Date"},
    "mt.update": {"vi": "Cập nhật", "en": "Update"},
    "mt.updated": {"vi": "Đã cập nhật kết luận số {id}.", "en": "Conclusion no. {id} updated."},
    "mt.history": {"vi": "Lịch sử thay đổi", "en": "History of changes"},
    "mt.open": {"vi": "Mở cuộc họp giao ban {period}", "en": "Open the {period} meeting"},
    "mt.opened": {"vi": "Cuộc họp: {title}.", "en": "Meeting: {title}."},
    "mt.files": {"vi": "Bộ tài liệu của cuộc họp", "en": "The meeting's pack"},
    "mt.freeze": {"vi": "Chốt bộ tài liệu", "en": "Freeze the pack"},
    "mt.frozen_at": {"vi": "Đã chốt lúc {at} (giờ UTC).", "en": "Frozen at {at} (UTC)."},
    "mt.not_frozen": {
        "vi": "Chưa chốt. Sau cuộc họp, bấm Chốt bộ tài liệu để giữ bản của cuộc họp (mã SHA-256 của từng tệp).",
        "en": "Not frozen. After the meeting, freeze the pack to keep its edition (each file's SHA-256).",
    },
    "mt.regenerate": {"vi": "Tạo lại bộ tài liệu", "en": "Make the pack again"},
    "mt.identical": {
        "vi": "Tạo lại khớp từng byte với bản đã chốt (SHA-256).",
        "en": "Made again byte for byte as frozen (SHA-256).",
    },
    "mt.differs": {
        "vi": "Tạo lại không khớp bản đã chốt: {files}.",
        "en": "Made again, it differs from the frozen edition: {files}.",
    },
    "mt.snapshot_gone": {
        "vi": "Không còn bộ số liệu {snapshot} mà cuộc họp đã dùng; không tạo lại được bộ tài liệu.",
        "en": "Snapshot {snapshot}, which the meeting used, is gone; the pack cannot be made again.",
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
