"""The meeting pack: the figures, charts, goals and map of one unit and period, in slide order.

The slides (``slides.py``), the written report (``report.py``), the export page and presentation
mode all read one :class:`Pack`, so the slides, the prose and the screen show the same numbers,
and those numbers come from ``query.summarize`` and ``goals.evaluate`` only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from dashboard import charts, coverage, goal_charts, maps, page_figures, query
from dashboard.access import suppress_small_counts
from dashboard.catalog import CATALOG, MONTHLY_INDICATORS
from dashboard.export import CaptionContext
from dashboard.formatting import period_label
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.goals import TargetResult, evaluate, hide_small_counts
from dashboard.i18n import t

# The sections a user can choose, in slide order.
SECTIONS: tuple[str, ...] = ("drugs", "rehab", "prostitution", "trafficking", "hiv", "goals", "map")
SECTION_LABELS: dict[str, str] = {
    "drugs": "Tình hình ma túy",
    "rehab": "Cai nghiện và quản lý sau cai",
    "prostitution": "Phòng, chống mại dâm",
    "trafficking": "Phòng, chống mua bán người",
    "hiv": "Phòng, chống HIV/AIDS",
    "goals": "Thực hiện chỉ tiêu",
    "map": "Bản đồ phân loại xã, phường",
}

# The cards of the KPI slide, per section.
SECTION_KPIS: dict[str, tuple[str, ...]] = {
    "drugs": ("addicts_managed", "drug_users", "methadone_patients", "key_communes"),
    "rehab": ("compulsory_rehab", "voluntary_rehab_center", "home_community_rehab"),
    "prostitution": ("prostitution_prone_businesses", "sex_workers_managed"),
    "trafficking": ("trafficking_victims_returned",),
    "hiv": ("hiv_cases", "hiv_prevalence"),
}

ADDICT_PLACES: tuple[str, ...] = (
    "addicts_in_community",
    "addicts_absent",
    "addicts_in_rehab_center",
    "addicts_in_prison_or_school",
)
REHAB_FLOWS: tuple[str, ...] = (
    "compulsory_rehab",
    "voluntary_rehab_center",
    "home_community_rehab",
    "post_rehab_managed",
)

# Communes are named on the map image up to this many.
MAP_LABEL_LIMIT = 40

# Trends show the same period of this many years, ending with the chosen one.
TREND_YEARS = 5


@dataclass(frozen=True)
class Figure:
    """One indicator in the period, the same period a year earlier, and the change."""

    indicator: str
    value: float | None
    previous: float | None
    change: float | None
    change_pct: float | None
    complete: bool
    tone: str

    @property
    def label(self) -> str:
        return CATALOG[self.indicator].label_vi


@dataclass(frozen=True)
class Chart:
    """One chart of the pack: a stable key (file names, widget keys), its section and figure."""

    key: str
    section: str
    title: str
    figure: go.Figure = field(repr=False, compare=False)


@dataclass(frozen=True)
class Pack:
    """Everything a meeting about one unit and one period is shown."""

    unit_code: str
    unit_name: str
    area: str  # the unit with its parents: "Quận Nam Từ Liêm, Thành phố Hà Nội"
    year: int
    grain: str
    period: dt.date  # the first month of the period
    period_label: str  # "9 tháng 2022"
    period_end: dt.date  # the last day of the period, or of the last month with data
    complete: bool  # the snapshot reaches the end of the period
    snapshot_id: str
    as_of: dt.date
    source: str
    demo: bool
    sections: tuple[str, ...]
    figures: dict[str, Figure] = field(repr=False)
    kpis: tuple[str, ...]
    charts: tuple[Chart, ...] = field(repr=False)
    goals: tuple[TargetResult, ...] = field(repr=False)
    map_counts: dict[str, int] = field(default_factory=dict)
    lang: str = "vi"
    # How many of the unit's child units reported any figure in the period (coverage.coverage row).
    coverage: dict | None = None

    @property
    def caption(self) -> CaptionContext:
        return CaptionContext(self.area, self.period_label, self.as_of, self.source, self.demo, self.lang)

    @property
    def committee(self) -> str:
        """ "Ban chỉ đạo phòng, chống … HIV/AIDS quận Nam Từ Liêm"."""
        if self.unit_code == COUNTRY_CODE:
            return t("app.title", "vi")
        return f"{t('app.title', 'vi')} {lowercase_type(self.unit_name)}"

    def value(self, indicator: str) -> float | None:
        found = self.figures.get(indicator)
        return found.value if found else None

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


def lowercase_type(name: str) -> str:
    """ "Quận Nam Từ Liêm" → "quận Nam Từ Liêm": the type word inside a sentence."""
    return name[:1].lower() + name[1:] if name else name


def scope_word(unit_name: str, level: str) -> str:
    """How reports name the whole unit: "toàn quận", "toàn huyện", "toàn tỉnh", "toàn thành phố"."""
    if level == "country":
        return "toàn quốc"
    for prefix in ("Thành phố", "Thị xã", "Thị trấn", "Quận", "Huyện", "Tỉnh", "Phường", "Xã"):
        if unit_name.startswith(prefix + " "):
            return "toàn " + prefix.lower()
    return "toàn địa bàn"


def area_name(geography: Geography, code: str) -> str:
    """The unit and its parents below the country: "Quận Nam Từ Liêm, Thành phố Hà Nội"."""
    chain = [code, *geography.ancestors(code)]
    return ", ".join(geography.name(c) for c in chain if c != COUNTRY_CODE) or geography.name(code)


def chosen_period(grain: str, year: int, last_period: dt.date | None) -> dt.date | None:
    """The period of ``grain`` in ``year`` a meeting reviews: the newest complete one, else the newest."""
    return page_figures.default_period(grain, year, last_period)


def _last_day(month_start: dt.date) -> dt.date:
    following = dt.date(month_start.year + month_start.month // 12, month_start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _figures(frame: pl.DataFrame, unit: str, period: dt.date) -> dict[str, Figure]:
    rows = frame.filter((pl.col("unit_code") == unit) & (pl.col("period") == period))
    found = {}
    for row in rows.iter_rows(named=True):
        ind = row["indicator"]
        found[ind] = Figure(
            indicator=ind,
            value=row["value"],
            previous=row["previous"],
            change=row["change"],
            change_pct=row["change_pct"],
            complete=bool(row["complete"]),
            tone=page_figures.change_tone(ind, row["change"]),
        )
    return found


def build_pack(
    view,
    unit: str,
    year: int,
    grain: str = "year",
    sections: Sequence[str] = SECTIONS,
    *,
    lang: str = "vi",
    small_counts: int | None = None,
    period: dt.date | None = None,
) -> Pack:
    """Assemble the pack of ``unit`` for the period of ``grain`` in ``year`` from a view.

    Args:
        view: a loaded :class:`dashboard.view.View` (read in its own unit tree, scoped or not).
        unit: a province, district or commune code, or ``VN``.
        grain: ``year``, ``9m``, ``6m``, ``quarter`` or ``month``; the period is the newest
            complete one of the year (the newest begun one if none is complete).
        sections: which of :data:`SECTIONS` to include, in any order (slide order is kept).
        small_counts: a threshold: a commune's counts of people below it are left out of the
            figures and charts (``access.suppress_small_counts``); None keeps them.
        period: the first month of the period to review instead of the newest one (a past
            meeting's period, when its pack is made again).

    Raises:
        ValueError: unknown unit, grain or section, no data for the year, or a unit outside
            the scope of a restricted view (``access.ScopedView``).
    """
    geography = view.geography
    if not geography.has(unit):
        raise ValueError(f"Không có đơn vị mã {unit!r}")
    if not view.allows(unit):
        raise ValueError(f"Không có quyền xem số liệu của {geography.name(unit)}")
    if grain not in query.GRAINS:
        raise ValueError(f"Kỳ báo cáo không hợp lệ: {grain!r} (chọn một trong {', '.join(query.GRAINS)})")
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise ValueError(f"Phần không có: {', '.join(unknown)} (chọn trong {', '.join(SECTIONS)})")
    chosen = tuple(s for s in SECTIONS if s in sections)
    last_period = view.last_period
    period = period or chosen_period(grain, year, last_period)
    if period is None:
        raise ValueError(f"Bộ số liệu {view.snapshot_id} chưa có số liệu năm {year}")
    end_month = query.period_end_month(period, grain)
    complete = last_period is not None and end_month <= last_period
    reach = end_month if complete else last_period
    # Counted on the rows the view lets this reader see (a scoped view's own scan).
    reporting = coverage.units_reporting(
        view.scan(),  # the view's rows: its structure, its scope
        MONTHLY_INDICATORS,  # a reported commune count is not the unit's own figure of the period
        period,
        end_month,
    )
    covered = coverage.coverage(geography, [unit], reporting)
    cover = covered.row(0, named=True) if not covered.is_empty() else None

    years = (year - TREND_YEARS + 1, year)
    frame = query.summarize(
        view.monthly,
        view.status,
        geography,
        [unit],
        None,
        grain,
        (years[0] - 1, year),
        last_period=last_period,
        spans=view.spans,
    )
    frame = query.with_previous_year(frame).filter(pl.col("period").dt.year() >= years[0])
    if small_counts is not None:
        frame = suppress_small_counts(frame, geography, small_counts)
    # Same period each year: the trend of "9 tháng" compares nine months with nine months.
    same_period = frame.filter(pl.col("period").dt.month() == period.month)
    figures = _figures(frame, unit, period)
    # Complete per unit: the unit's own figures must reach the period's end, not only the snapshot's.
    complete = complete and any(f.complete for f in figures.values() if CATALOG[f.indicator].is_fact)
    results = evaluate(view, unit=unit, year=year, as_of=reach)
    if small_counts is not None:
        results = hide_small_counts(results, geography, small_counts)

    unit_name = geography.name(unit)
    label = period_label(period, grain, lang)
    pack = Pack(
        unit_code=unit,
        unit_name=unit_name,
        area=area_name(geography, unit),
        year=year,
        grain=grain,
        period=period,
        period_label=label,
        period_end=_last_day(reach),
        complete=complete,
        snapshot_id=view.snapshot_id,
        as_of=dt.date.fromisoformat(view.as_of),
        source=view.source,
        demo=view.demo,
        sections=chosen,
        figures=figures,
        kpis=tuple(ind for s in chosen for ind in SECTION_KPIS.get(s, ()) if ind in figures),
        charts=(),
        goals=tuple(results),
        lang=lang,
        coverage=cover,
    )
    built: list[Chart] = []
    note = pack.caption.source_line()
    for section in chosen:
        built += _section_charts(section, pack, same_period, view, geography, note, small_counts)
    counts: dict[str, int] = {}
    if "map" in chosen:
        map_chart, counts = _map_chart(pack, view, geography)
        built.append(map_chart)
    return _replace(pack, charts=tuple(built), map_counts=counts)


def _replace(pack: Pack, **changes) -> Pack:
    from dataclasses import replace

    return replace(pack, **changes)


def _title(pack: Pack, what: str, when: str | None = None) -> str:
    return t("chart.title", pack.lang, what=what, where=pack.unit_name, when=when or pack.period_label)


def _years_label(pack: Pack) -> str:
    first = pack.year - TREND_YEARS + 1
    return (
        f"{period_label(dt.date(first, pack.period.month, 1), pack.grain, pack.lang)} – {pack.period_label}"
    )


def _trend(
    pack: Pack,
    same_period: pl.DataFrame,
    indicators: Sequence[str],
    key: str,
    section: str,
    what: str,
    note: str,
) -> Chart | None:
    rows = same_period.filter(pl.col("indicator").is_in(list(indicators)))
    if rows.is_empty():
        return None
    rows = page_figures.label_indicators(
        page_figures.label_periods(rows, pack.grain, pack.lang, pack.period_end), pack.lang
    )
    percent = all(CATALOG[i].percent for i in indicators)
    title = _title(pack, what, _years_label(pack))
    fig = charts.time_series(
        rows, color="indicator_label", kind="line", lang=pack.lang, title=title, note=note, percent=percent
    )
    return Chart(key, section, title, fig)


def _this_vs_last(
    pack: Pack, indicators: Sequence[str], key: str, section: str, what: str, note: str
) -> Chart | None:
    """Grouped bars: each indicator in the period and in the same period a year earlier."""
    rows = []
    previous_label = period_label(dt.date(pack.year - 1, pack.period.month, 1), pack.grain, pack.lang)
    for order, ind in enumerate(indicators):
        fig = pack.figures.get(ind)
        if fig is None:
            continue
        label = CATALOG[ind].label(pack.lang)
        # One sort key orders the bars (indicator by indicator) and, within each, last year first.
        if fig.previous is not None:
            rows.append((previous_label, label, 2 * order, fig.previous))
        if fig.value is not None:
            rows.append((pack.period_label, label, 2 * order + 1, fig.value))
    if not rows:
        return None
    data = pl.DataFrame(rows, schema=["period_label", "indicator_label", "order", "value"], orient="row")
    title = _title(pack, what, f"{pack.period_label} {t('change.vs_same_period_last_year', pack.lang)}")
    fig = charts.time_series(
        data,
        x="indicator_label",
        color="period_label",
        order_by="order",
        kind="bar",
        lang=pack.lang,
        title=title,
        note=note,
    )
    fig.update_traces(texttemplate="%{y:,.0f}", textposition="outside")
    fig.update_layout(showlegend=True)
    return Chart(key, section, title, fig)


def _ranking(pack: Pack, view, geography: Geography, note: str, small_counts: int | None) -> Chart | None:
    children = geography.children(pack.unit_code)
    if not children:
        return None
    frame = query.summarize(
        view.monthly,
        view.status,
        geography,
        children,
        ["addicts_managed"],
        pack.grain,
        (pack.year, pack.year),
        last_period=view.last_period,
        spans=view.spans,
    )
    ranked = page_figures.ranking(frame, pack.period, "addicts_managed")
    if ranked.is_empty():
        return None
    if small_counts is not None:  # the communes of a district: the chart prints each bar's value
        ranked = suppress_small_counts(ranked, geography, small_counts)
    ranked = page_figures.label_units(ranked, {c: geography.name(c) for c in children})
    what = t("chart.ranking", pack.lang, what=CATALOG["addicts_managed"].label(pack.lang).lower())
    title = _title(pack, what)
    fig = charts.ranking_bars(ranked, lang=pack.lang, title=title, note=note)
    return Chart("drugs.ranking", "drugs", title, fig)


def _commune_classes(pack: Pack, same_period: pl.DataFrame, note: str) -> Chart | None:
    rows = same_period.filter(pl.col("indicator").is_in(list(page_figures.COMMUNE_CATEGORIES)))
    if rows.is_empty():
        return None
    rows = page_figures.label_indicators(
        page_figures.label_periods(rows, pack.grain, pack.lang, pack.period_end), pack.lang
    )
    rows = rows.with_columns(pl.col("period").dt.year().cast(pl.String).alias("year_label"))
    # Classifications are yearly, whatever the grain: the title names years.
    title = _title(pack, t("chart.communes", pack.lang), f"{pack.year - TREND_YEARS + 1}–{pack.year}")
    fig = charts.time_series(
        rows, x="year_label", color="indicator_label", kind="bar", lang=pack.lang, title=title, note=note
    )
    return Chart("drugs.communes", "drugs", title, fig)


def _section_charts(
    section: str,
    pack: Pack,
    same_period: pl.DataFrame,
    view,
    geography: Geography,
    note: str,
    small_counts: int | None = None,
) -> list[Chart]:
    found: list[Chart | None] = []
    if section == "drugs":
        found = [
            _trend(pack, same_period, ["addicts_managed", "drug_users"], "drugs.trend", section,
                   t("pack.drugs.trend", pack.lang), note),
            _this_vs_last(pack, ADDICT_PLACES, "drugs.places", section,
                          t("pack.drugs.places", pack.lang), note),
            _ranking(pack, view, geography, note, small_counts),
            _commune_classes(pack, same_period, note),
        ]  # fmt: skip
    elif section == "rehab":
        found = [
            _this_vs_last(pack, REHAB_FLOWS, "rehab.flows", section, t("pack.rehab.flows", pack.lang), note),
            _trend(pack, same_period, ["compulsory_rehab", "voluntary_rehab_center", "home_community_rehab"],
                   "rehab.trend", section, t("pack.rehab.trend", pack.lang), note),
        ]  # fmt: skip
    elif section == "prostitution":
        found = [
            _trend(pack, same_period, ["prostitution_prone_businesses", "sex_workers_managed"],
                   "prostitution.trend", section,
                   t("pack.prostitution.trend", pack.lang), note),
        ]  # fmt: skip
    elif section == "trafficking":
        found = [
            _trend(pack, same_period, ["trafficking_victims_returned", "missing_persons"],
                   "trafficking.trend", section,
                   t("pack.trafficking.trend", pack.lang), note),
        ]  # fmt: skip
    elif section == "hiv":
        found = [
            _trend(pack, same_period, ["hiv_cases", "arv_patients"], "hiv.trend", section,
                   t("pack.hiv.trend", pack.lang), note),
        ]  # fmt: skip
    elif section == "goals":
        quotas = goal_charts.quota_results(pack.goals)
        if quotas:
            title = t("pack.goals_title", pack.lang, unit=pack.unit_name, period=pack.period_label)
            chart = goal_charts.quota_bullets(quotas, title=title, lang=pack.lang)
            found = [Chart("goals.quotas", section, title, chart)]
    return [c for c in found if c is not None]


def _map_chart(pack: Pack, view, geography: Geography) -> tuple[Chart, dict[str, int]]:
    frame = maps.map_frame(
        view.monthly,
        view.status,
        geography,
        pack.unit_code,
        pack.year,
        last_period=view.last_period,
    )
    drawing = maps.category_drawing(frame, pack.lang)
    title = t("map.static_title", pack.lang, area=pack.unit_name, year=pack.year)
    boundaries_file = maps.find_boundaries()
    boundaries = maps.load_boundaries(boundaries_file) if boundaries_file else None
    fig = maps.image_figure(drawing, title=title, lang=pack.lang, boundaries=boundaries)
    # A slide is seen from across a room: bigger points, a bigger legend, and the communes'
    # names when there are few enough to read.
    few = drawing.frame.height <= MAP_LABEL_LIMIT
    for trace in fig.data:
        if trace.mode == "markers":
            trace.marker.size = 16 if few else 9
            if few:
                names = drawing.frame.filter(pl.col("cls") == trace.legendgroup)["commune_name"].to_list()
                trace.update(mode="markers+text", text=names, textposition="top center")
    # The project's template, named: left to plotly's default, the image would depend on whether
    # Streamlit (which changes that default) was imported, and a meeting's pack would not remake.
    fig.update_layout(template=charts.TEMPLATE_NAME, legend=dict(font=dict(size=18)))
    counts = {item.label: item.count for item in drawing.legend}
    return Chart("map.status", "map", title, fig), counts


def slide_order(pack: Pack) -> list[tuple[str, str | None]]:
    """The slides in order as (kind, chart key): title, KPIs, each chart, goals table.

    The map is the last chart. Presentation mode walks the same list.
    """
    order: list[tuple[str, str | None]] = [("title", None)]
    if pack.kpis:
        order.append(("kpis", None))
    charts_but_map = [c for c in pack.charts if c.section != "map"]
    order += [("chart", c.key) for c in charts_but_map]
    if "goals" in pack.sections and pack.goals:
        order.append(("goals", None))
    order += [("chart", c.key) for c in pack.charts if c.section == "map"]
    return order


def projector_figure(fig: go.Figure, height: int = 600, font_size: int = 22) -> go.Figure:
    """A copy of a chart for the projector: large type throughout, a long title wrapped, not cut.

    600 px tall, so the slide and its footer line fit a 1366×768 screen as well as 1920×1080.
    """
    out = go.Figure(fig)
    out.update_layout(height=height, font=dict(size=font_size), title=dict(font=dict(size=font_size + 10)))
    return charts.for_screen(out, title_chars=PROJECTOR_TITLE_CHARS, title_line_px=font_size + 18)


# A title in 32 px type longer than this wraps (about 1.300 px of a 1366 px screen).
PROJECTOR_TITLE_CHARS = 70
