"""Chart builders: titles and notes, Vietnamese separators and grouped formats, colours by tone."""

from __future__ import annotations

import datetime as dt
import re

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard import charts, export, page_figures, query, theme

NOTE = "Nguồn: thử. Số liệu tính đến ngày 31/12/2025."


def series_frame() -> pl.DataFrame:
    rows = [
        ("019", "addicts_managed", dt.date(2020, 1, 1), 1400.0, None),
        ("019", "addicts_managed", dt.date(2021, 1, 1), 1456.0, 1400.0),
        ("008", "addicts_managed", dt.date(2020, 1, 1), 900.0, None),
        ("008", "addicts_managed", dt.date(2021, 1, 1), 850.0, 900.0),
    ]
    frame = pl.DataFrame(
        rows, schema=["unit_code", "indicator", "period", "value", "previous"], orient="row"
    ).with_columns(
        (pl.col("value") - pl.col("previous")).alias("change"),
        ((pl.col("value") - pl.col("previous")) / pl.col("previous") * 100).alias("change_pct"),
        pl.lit(True).alias("complete"),
    )
    frame = page_figures.label_periods(frame, "year", "vi")
    return page_figures.with_tone(
        page_figures.label_units(frame, {"019": "Quận Nam Từ Liêm", "008": "Quận Hoàng Mai"})
    )


def _builders():
    data = series_frame()
    matrix = page_figures.heatmap_matrix(data, "addicts_managed")
    common = dict(title="Người nghiện: Hà Nội, 2020–2021", note=NOTE)
    return {
        "line": lambda lang: charts.time_series(data, lang=lang, **common),
        "bar": lambda lang: charts.time_series(data, kind="bar", stacked=True, lang=lang, **common),
        "small_multiples": lambda lang: charts.small_multiples(data, lang=lang, **common),
        "yoy": lambda lang: charts.yoy_change(data.filter(pl.col("unit_code") == "019"), lang=lang, **common),
        "ranking": lambda lang: charts.ranking_bars(
            page_figures.ranking(data, dt.date(2021, 1, 1), "addicts_managed"), lang=lang, **common
        ),
        "heatmap": lambda lang: charts.heatmap(
            matrix, row_labels=["Quận Hoàng Mai", "Quận Nam Từ Liêm"], lang=lang, **common
        ),
    }


BUILDERS = sorted(_builders())


@pytest.mark.parametrize("name", BUILDERS)
@pytest.mark.parametrize("lang,separators", [("vi", ",."), ("en", ".,")])
def test_every_chart_is_titled_noted_and_formatted(name, lang, separators):
    fig = _builders()[name](lang)
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text == "Người nghiện: Hà Nội, 2020–2021"
    assert fig.layout.separators == separators
    assert fig.layout.title.subtitle.text == NOTE
    assert fig.layout.template.layout.font.size >= 16, "legible on a projector"
    # Grouping in every numeric format: without "," plotly prints 1400, not 1.400.
    value_axis = fig.layout.xaxis if name == "ranking" else fig.layout.yaxis
    if name != "heatmap":
        assert "," in value_axis.tickformat
    for trace in fig.data:
        template = trace.hovertemplate or ""
        assert ":,." in template or ":+,." in template, template


@pytest.mark.parametrize("name", BUILDERS)
def test_charts_draw_the_values_they_are_given(name):
    fig = _builders()[name]("vi")
    drawn = []
    for trace in fig.data:
        for attr in ("y", "x", "z"):
            values = getattr(trace, attr, None)
            if values is not None:
                flat = [v for row in values for v in (row if isinstance(row, (list, tuple)) else [row])]
                drawn += [v for v in flat if isinstance(v, float)]
    assert drawn, "no numbers drawn"
    data = series_frame()
    known = set(data["value"].to_list()) | set(data["change_pct"].drop_nulls().to_list())
    assert set(drawn) <= known


def test_percent_charts_add_a_percent_suffix_and_two_decimals():
    data = series_frame()
    fig = charts.time_series(data, lang="vi", title="x", note=NOTE, percent=True)
    assert fig.layout.yaxis.ticksuffix == "%"
    assert fig.layout.yaxis.hoverformat == ",.2f"
    assert all(tr.hovertemplate.endswith("%<extra></extra>") for tr in fig.data)


def test_year_on_year_bars_are_coloured_by_whether_the_change_is_good():
    # Addicts with records: fewer is better. Hoàng Mai went down (good), Nam Từ Liêm up (bad).
    data = series_frame().filter(pl.col("period") == dt.date(2021, 1, 1)).sort("unit_code")
    fig = charts.yoy_change(data, x="unit_name", lang="vi", title="x", note=NOTE)
    assert list(fig.data[0].x) == ["Quận Hoàng Mai", "Quận Nam Từ Liêm"]
    assert list(fig.data[0].marker.color) == [
        theme.CHANGE_TONE_COLORS["good"],
        theme.CHANGE_TONE_COLORS["bad"],
    ]


def test_time_series_keeps_periods_in_time_order():
    fig = charts.time_series(series_frame(), lang="vi", title="x", note=NOTE)
    assert list(fig.layout.xaxis.categoryarray) == ["Năm 2020", "Năm 2021"]
    assert [tr.name for tr in fig.data] == ["Quận Hoàng Mai", "Quận Nam Từ Liêm"]


def test_ranking_puts_the_highest_at_the_top():
    ranked = page_figures.ranking(series_frame(), dt.date(2021, 1, 1), "addicts_managed")
    fig = charts.ranking_bars(ranked, lang="vi", title="x", note=NOTE)
    # Plotly draws the first category at the bottom of a horizontal bar chart.
    assert list(fig.data[0].y) == ["Quận Hoàng Mai", "Quận Nam Từ Liêm"]
    assert list(fig.data[0].x) == [850.0, 1456.0]


def test_commune_count_series_take_the_map_category_colours():
    from dashboard.catalog import CATALOG

    labels = {i: CATALOG[i].label("vi") for i in page_figures.COMMUNE_CATEGORIES}
    data = pl.DataFrame(
        {
            "period_label": ["Năm 2021"] * 3,
            "period": [1, 1, 1],
            "indicator_label": list(labels.values()),
            "value": [4.0, 2.0, 0.0],
        }
    )
    fig = charts.time_series(
        data,
        color="indicator_label",
        kind="bar",
        title="t",
        note="n",
        colors=page_figures.commune_count_colors("vi"),
    )
    got = {trace.name: trace.marker.color for trace in fig.data}
    assert got == {
        labels["key_communes"]: theme.COMMUNE_CATEGORY_COLORS["key"],
        labels["complex_communes"]: theme.COMMUNE_CATEGORY_COLORS["complex"],
        labels["healthy_communes"]: theme.COMMUNE_CATEGORY_COLORS["healthy"],
    }


def test_a_long_title_and_note_wrap_on_screen_and_make_room():
    title = (
        "Người sử dụng trái phép chất ma túy (người) – Thay đổi so với cùng kỳ năm trước (%): "
        "Thành phố Đà Nẵng, 2015–2026"
    )
    note = (
        "Dữ liệu minh họa (demo), không phải số liệu thật. Nguồn: Dữ liệu minh họa do máy sinh (demo), "
        "khớp với số liệu các báo cáo mẫu. Số liệu tính đến ngày 31/10/2026."
    )
    fig = charts.finish(go.Figure(go.Scatter(x=[1], y=[1])), lang="vi", title=title, note=note)
    shown = charts.for_screen(fig)
    head, tail = shown.layout.title.text.split("<br>")
    assert head.endswith("(%):") and tail == "Thành phố Đà Nẵng, 2015–2026"
    assert len(head) <= charts.SCREEN_TITLE_CHARS
    assert shown.layout.title.subtitle.text.replace("<br>", " ") == note
    assert shown.layout.margin.t > 110 and shown.layout.height > fig.layout.height
    # The figure itself (what the image export captions) keeps its one-line title.
    assert fig.layout.title.text == title


def test_a_short_title_is_shown_as_it_is():
    fig = charts.finish(
        go.Figure(go.Scatter(x=[1], y=[1])), lang="vi", title="Người nghiện: Hà Nội, 2020", note=NOTE
    )
    assert charts.for_screen(fig) is fig


def test_a_time_series_with_many_areas_grows_to_hold_its_legend():
    rows = [(f"Xã {i}", dt.date(2025, 1, 1), float(i)) for i in range(31)]
    frame = pl.DataFrame(rows, schema=["unit_name", "period", "value"], orient="row").with_columns(
        pl.lit("2025").alias("period_label")
    )
    many = charts.time_series(frame, kind="bar", stacked=True, lang="vi", title="t", note="n")
    few = charts.time_series(
        frame.filter(pl.col("value") < 3), kind="bar", stacked=True, lang="vi", title="t", note="n"
    )
    assert few.layout.height == 460
    # 31 names, three a row: 11 rows, 9 more than the two the default height holds.
    assert many.layout.height == 460 + 9 * charts.LEGEND_ROW_PX


def in_progress_frame(lang: str = "vi", indicator: str = "compulsory_rehab") -> pl.DataFrame:
    """Hà Nội's compulsory rehab by year, the data reaching October 2026: 2026 holds ten months."""
    years = (2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026)
    values = [900.0 + 30 * i for i in range(len(years) - 1)] + [1032.0]
    frame = pl.DataFrame(
        {
            "unit_code": ["01"] * len(years),
            "indicator": [indicator] * len(years),
            "period": [dt.date(y, 1, 1) for y in years],
            "period_end": [dt.date(y, 12, 1) for y in years],
            "value": values,
            "complete": [y < 2026 for y in years],
        }
    )
    frame = page_figures.with_tone(query.with_previous_year(frame))
    frame = page_figures.label_periods(frame, "year", lang, dt.date(2026, 10, 1))
    return page_figures.label_units(frame, {"01": "Thành phố Hà Nội"})


def test_only_a_flows_period_in_progress_gets_a_note_of_its_months():
    flow = in_progress_frame()
    assert flow.filter(pl.col("period_note").is_not_null())[["period_label", "period_note"]].rows() == [
        ("Năm 2026", "10 tháng")
    ]
    assert in_progress_frame("en")["period_note"].drop_nulls().to_list() == ["10 months"]
    # A stock stands at its last month: no note.
    assert in_progress_frame(indicator="addicts_managed")["period_note"].null_count() == 12


@pytest.mark.parametrize("lang, note", [("vi", "10 tháng"), ("en", "10 months")])
def test_a_line_draws_its_period_in_progress_dashed_and_hollow(lang, note):
    fig = charts.time_series(in_progress_frame(lang), lang=lang, title="T", note=NOTE)
    full, open_ = fig.data
    last_full = "Năm 2025" if lang == "vi" else "2025"
    assert full.x[-1] == last_full and full.line.dash is None
    # The dashed segment runs from the last full year to the year in progress, in the same colour.
    assert open_.x == (last_full, "Năm 2026" if lang == "vi" else "2026")
    assert open_.line.dash == "dot" and open_.line.color == full.line.color
    assert open_.marker.symbol == "circle-open" and open_.showlegend is False
    assert note in open_.customdata and "%{customdata}" in open_.hovertemplate
    assert f"2026<br>({note})" in fig.layout.xaxis.ticktext
    assert note in fig.layout.title.subtitle.text


def test_year_axes_read_2015_to_2026_upright():
    fig = charts.time_series(in_progress_frame(), title="T", note=NOTE)
    assert fig.layout.xaxis.tickangle == 0
    assert fig.layout.xaxis.ticktext[:2] == ("2015", "2016")
    assert len(fig.layout.xaxis.ticktext) == 12


@pytest.mark.parametrize("build", ["bar", "yoy"])
def test_a_bar_of_a_period_in_progress_is_hatched_and_named(build):
    data = in_progress_frame()
    if build == "bar":
        fig = charts.time_series(data, kind="bar", title="T", note=NOTE)
    else:
        fig = charts.yoy_change(data, title="T", note=NOTE)
    bar = fig.data[0]
    shapes, opacity = bar.marker.pattern.shape, bar.marker.opacity
    assert shapes[-1] == "/" and set(shapes[:-1]) == {""}
    assert opacity[-1] < 1 and set(opacity[:-1]) == {1.0}
    assert "10 tháng" in bar.customdata[-1] and "%{customdata}" in bar.hovertemplate


def test_complete_periods_draw_as_before():
    fig = charts.time_series(series_frame(), title="T", note=NOTE)
    assert len(fig.data) == 2 and all(tr.line.dash is None for tr in fig.data)
    assert "chưa trọn" not in fig.layout.title.subtitle.text


@pytest.mark.skipif(not export.probe_browser().ok, reason="no Chrome/Chromium here")
def test_the_heatmap_title_and_its_two_line_note_stay_clear_of_the_years_on_top():
    # The note as the pages write it: long enough to be wrapped onto a second line on screen.
    note = (
        "Dữ liệu minh họa (demo), không phải số liệu thật. Nguồn: Dữ liệu minh họa do máy sinh (demo), "
        "khớp với số liệu các báo cáo mẫu. Số liệu tính đến ngày 31/10/2026."
    )
    years = [str(y) for y in range(2015, 2027)]
    matrix = pl.DataFrame({"unit_code": ["01", "11"], **{y: [25.6, 31.9] for y in years}})
    fig = charts.for_screen(
        charts.heatmap(
            matrix, row_labels=["Thành phố Hà Nội", "Tỉnh Điện Biên"], title="Người nghiện", note=note
        )
    )
    assert "<br>" in fig.layout.title.subtitle.text
    svg = export.render(fig, "svg", width=1066, height=fig.layout.height, scale=1).decode()
    # Baselines as plotly writes them: the note's lines step down 1,3 em from its first one.
    note_size, tick_size = 13, 16
    first = float(re.search(r'class="gtitle-subtitle"[^>]* y="([\d.]+)"', svg).group(1))
    lines = len(
        re.findall(r'<tspan class="line"', svg.split('class="gtitle-subtitle"', 1)[1].split("</text>")[0])
    )
    note_bottom = first + (lines - 1) * 1.3 * note_size + 0.3 * note_size  # descenders
    ticks = [float(y) for y in re.findall(r'<g class="xtick"><text[^>]* y="([\d.]+)"', svg)]
    assert len(ticks) == len(years) and lines == 2
    assert min(ticks) - 0.8 * tick_size > note_bottom, (note_bottom, min(ticks))
