"""Goal charts and tables: the figures carry the engine's numbers, Vietnamese titles and formats."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import pytest

from dashboard import formatting, goal_charts, goals
from dashboard.formatting import plotly_separators
from dashboard.i18n import t


@pytest.fixture(scope="module")
def newest(demo_snapshots):
    return demo_snapshots[max(demo_snapshots)]


@pytest.fixture(scope="module")
def nam_tu_liem_9m(newest, geography):
    return goals.evaluate(newest.in_geography(geography), unit="019", year=2022, as_of=dt.date(2022, 9, 1))


@pytest.fixture(scope="module")
def dien_bien_2021(newest, geography):
    """Điện Biên's multi-year goals as they stood at the end of 2021 (deadline 2025 still ahead)."""
    return goals.project_goals(newest.in_geography(geography), unit="11", as_of=dt.date(2021, 12, 1))


def test_quota_bullets_show_the_engine_numbers(nam_tu_liem_9m):
    fig = goal_charts.quota_bullets(nam_tu_liem_9m)
    quotas = goal_charts.quota_results(nam_tu_liem_9m)
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == len(quotas) >= 2
    for trace, result in zip(fig.data, quotas, strict=True):
        assert trace.type == "indicator" and trace.gauge.shape == "bullet"
        assert trace.value == result.achievement_pct
        assert trace.gauge.bar.color == goal_charts.STATUS_COLORS[result.status]
        # The bar (the gauge's value), the target line and the grey band share one scale: where
        # the bar ends against the line is the actual against the quota, and the band ends at
        # the pro-rata expectation after 9 months against the same line.
        line = trace.gauge.threshold.value
        assert trace.value / line == pytest.approx(result.actual / result.target, abs=1e-4)
        assert trace.gauge.steps[0].range[0] == 0
        assert trace.gauge.steps[0].range[1] / line == pytest.approx(result.expected_so_far / result.target)
        assert trace.gauge.axis.range[1] > max(trace.value, line)
        assert result.metric_label in trace.title.text
    values = {t.name: t.value for t in fig.data}
    assert values["compulsory_rehab"] == 68.75 and values["voluntary_rehab_center"] == 106.67
    assert fig.layout.separators == plotly_separators("vi")
    assert fig.layout.title.text == "Thực hiện chỉ tiêu — Quận Nam Từ Liêm, 9 tháng năm 2022"
    # Vietnamese formats in the captions: a fractional pro-rata expectation (75% of a quota that
    # is not a multiple of 4) is written with a decimal comma.
    fractional = [q for q in quotas if q.expected_so_far is not None and q.expected_so_far % 1]
    assert fractional
    for q in fractional:
        text = f"{int(q.expected_so_far)},{round(q.expected_so_far % 1 * 100):02d}"
        assert any(text in t.title.text for t in fig.data), text


def test_quota_bullets_without_quotas():
    fig = goal_charts.quota_bullets([])
    assert len(fig.data) == 0
    assert fig.layout.title.text == "Không có chỉ tiêu để hiển thị"


def test_a_full_year_has_no_pro_rata_band(newest, geography):
    results = goals.evaluate(newest.in_geography(geography), unit="019", year=2021)
    fig = goal_charts.quota_bullets(results)
    assert all(len(t.gauge.steps) == 0 for t in fig.data)
    assert {t.name: t.value for t in fig.data}["home_community_rehab"] == 180.0


@pytest.mark.parametrize("metric", ["key_communes", "complex_communes", "healthy_communes"])
def test_trajectory_chart_draws_the_paths_of_the_projection(dien_bien_2021, metric):
    (goal,) = [g for g in dien_bien_2021 if g.metric == metric]
    fig = goal_charts.trajectory_chart(goal)
    traces = {t.name: t for t in fig.data}
    assert list(traces) == [goal_charts.TRACE_REQUIRED, goal_charts.TRACE_ACTUAL, goal_charts.TRACE_PROJECTED]
    assert list(traces[goal_charts.TRACE_REQUIRED].y) == [v for _, v in goal.required]
    assert list(traces[goal_charts.TRACE_ACTUAL].x) == [y for y, _ in goal.actual]
    assert list(traces[goal_charts.TRACE_PROJECTED].y) == [v for _, v in goal.projected]
    assert traces[goal_charts.TRACE_PROJECTED].line.dash == "dash"
    assert traces[goal_charts.TRACE_PROJECTED].x[-1] == goal.deadline == 2025
    assert goal.metric_label in fig.layout.title.text and "Tỉnh Điện Biên" in fig.layout.title.text
    assert goal.verdict_text in fig.layout.title.text
    assert fig.layout.annotations[0].text == goal.method_text
    assert fig.layout.separators == ",."


def test_trajectory_chart_in_english_from_the_same_sentences(dien_bien_2021):
    (goal,) = [g for g in dien_bien_2021 if g.metric == "key_communes"]
    fig = goal_charts.trajectory_chart(goal, "en")
    assert [tr.name for tr in fig.data] == [
        t(f"goals.trace.{k}", "en") for k in ("required", "actual", "projected")
    ]
    label = goals.CATALOG["key_communes"].label("en")
    title = t("goals.chart.trajectory", "en", metric=label, area=goal.unit_name, deadline=goal.deadline)
    assert fig.layout.title.text.startswith(title + "<br>")
    assert goals.verdict_sentence(goal, "en") in fig.layout.title.text
    window = [y for y, _ in goal.actual][-goals.TREND_YEARS :]
    assert fig.layout.annotations[0].text == goals.method_sentence(goal.method, window, goal.deadline, "en")
    assert fig.data[0].hovertemplate.startswith("Year %{x}")
    assert fig.layout.separators == ".,"
    # Nothing under the years but the legend: an axis title there was drawn over the legend.
    assert fig.layout.xaxis.title.text is None and fig.layout.legend.y < 0


def test_a_goal_whose_deadline_passed_has_no_projection(newest, geography):
    (goal,) = goals.project_goals(newest.in_geography(geography), unit="11", metric="healthy_communes")
    fig = goal_charts.trajectory_chart(goal)
    assert [t.name for t in fig.data] == [goal_charts.TRACE_REQUIRED, goal_charts.TRACE_ACTUAL]


def test_percent_goals_have_percent_ticks(newest, geography):
    (goal,) = goals.project_goals(newest.in_geography(geography), unit="11", metric="drug_free_share")
    fig = goal_charts.trajectory_chart(goal)
    assert fig.layout.yaxis.ticksuffix == "%"
    assert "%" in fig.data[0].hovertemplate


def test_commune_trajectories_in_a_fixed_order(dien_bien_2021):
    figures = goal_charts.commune_trajectories(dien_bien_2021)
    labels = [f.layout.title.text.split(" — ")[0] for f in figures]
    expected = [
        next(g.metric_label for g in dien_bien_2021 if g.metric == m)
        for m in ("key_communes", "complex_communes", "healthy_communes", "drug_free_share")
    ]
    assert labels == expected


@pytest.mark.parametrize(
    ("value", "metric", "text"),
    [
        (1456, "addicts_managed", "1.456"),
        (56.25, "home_community_rehab", "56,25"),
        (0.3, "hiv_prevalence", "0,30%"),
        (None, "addicts_managed", "–"),
    ],
)
def test_fmt_value(value, metric, text):
    assert formatting.fmt_value(value, metric) == text


def test_tables_for_the_page(newest, geography):
    results = goals.evaluate(newest.in_geography(geography), unit="11", year=2019)
    table = goals.display_table(results)
    assert table.height == len(results)
    assert set(table["Đánh giá"]) <= {goals.status_label(s, "vi") for s in goals.STATUSES}
    changes = goals.commune_changes(results)
    keep_all = next(r for r in results if r.rule == "keep_all")
    relapsed = changes.filter(changes["Thay đổi"] == "tái phát")
    assert sorted(relapsed["Mã xã"]) == sorted(c.code for c in keep_all.left_communes)
    assert set(relapsed["Ảnh hưởng"]) == {"bất lợi"}
    # A commune that joined the key list harms the reduction goal.
    key = next(r for r in results if r.metric == "key_communes")
    joined = changes.filter(
        (changes["Chỉ số"] == key.metric_label) & (changes["Thay đổi"] == "mới vào danh sách")
    )
    assert sorted(joined["Mã xã"]) == sorted(c.code for c in key.new_communes)
    assert set(joined["Ảnh hưởng"]) <= {"bất lợi"}
    frame = goals.results_frame(results)
    assert frame.height == len(results)
    assert frame["achievement_pct"].to_list() == [r.achievement_pct for r in results]
