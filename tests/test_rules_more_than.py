"""'Trên X%' is strictly more than X; a share's yearly increase is in percentage points."""

from __future__ import annotations

from fractions import Fraction

import pytest
from conftest import EMPTY_STATUS, facts_frame

from dashboard import goal_charts, goals, i18n, importing, schema
from dashboard.goals import evaluate_frames, rule_met
from dashboard.ui import goals as ui_goals
from tests.test_goals import status_frame, targets_frame
from tests.test_importing import workbook

F = Fraction


@pytest.mark.parametrize(
    ("rule", "target", "actual", "previous", "points", "expected"),
    [
        # "trên 20%": exactly 20% is not met, on a level and on a share alike.
        ("more_than", 20, 20, None, False, False),
        ("more_than", 20, 21, None, False, True),
        ("more_than", 20, F(1, 5) * 100, None, True, False),  # 1 of 5 communes: exactly 20%
        ("more_than", 20, F(2001, 100), None, True, True),
        ("more_than", 20, None, None, True, None),
        # A share's increase in percentage points: 20% → 35% is +15 points.
        ("increase_at_least_pct", 15, 35, 20, True, True),
        ("increase_at_least_pct", 15, F(3499, 100), 20, True, False),
        ("increase_more_than_pct", 15, 35, 20, True, False),  # exactly 15 points: not "more than"
        ("increase_more_than_pct", 15, F(3501, 100), 20, True, True),
        # A count's increase stays relative: 100 → 115 is 15%; 20 → 35 is 75%.
        ("increase_at_least_pct", 15, 115, 100, False, True),
        ("increase_at_least_pct", 15, 114, 100, False, False),
        ("increase_more_than_pct", 15, 115, 100, False, False),
        ("increase_at_least_pct", 15, 35, 20, False, True),
        # From 0, any rise of a count meets an increase; no rise does not.
        ("increase_at_least_pct", 15, 1, 0, False, True),
        ("increase_at_least_pct", 15, 0, 0, False, False),
        ("increase_at_least_pct", 15, 30, None, True, None),
    ],
)
def test_more_than_and_increases_at_the_boundaries(rule, target, actual, previous, points, expected):
    assert rule_met(rule, F(target), actual, previous, points=points) is expected


def _coverage(year_values: dict[int, tuple[int, int]]) -> list[tuple[str, str, str, float]]:
    """Pregnant women with HIV and those given prevention treatment, per year (a share metric)."""
    rows = []
    for year, (treated, pregnant) in year_values.items():
        rows += [
            (f"{year}-12", "90001", "pregnant_hiv", pregnant),
            (f"{year}-12", "90001", "pregnant_hiv_pmtct", treated),
        ]
    return rows


@pytest.mark.parametrize(
    ("treated", "rule", "value", "met"),
    [
        (1, "more_than", 20.0, False),  # 1/5 = 20%: "trên 20%" not met
        (2, "more_than", 20.0, True),  # 40%
        (1, "at_least", 20.0, True),  # the same 20% meets "ít nhất 20%"
    ],
)
def test_more_than_on_a_share_is_strict(small_geo, treated, rule, value, met):
    facts = facts_frame(_coverage({2020: (treated, 5)}))
    targets = targets_frame([(2020, "90001", "pmtct_coverage", rule, value)])
    (result,) = evaluate_frames(facts, EMPTY_STATUS, targets, small_geo, with_verdicts=False)
    assert result.met is met
    if rule == "more_than":
        assert result.rule_label == "Trên 20%"
        assert goal_charts.rule_label(result, "en") == "More than 20%"


@pytest.mark.parametrize(("after", "met"), [(100, False), (101, True)])
def test_more_than_on_a_level_is_strict(small_geo, after, met):
    facts = facts_frame([("2020-12", "90001", "methadone_patients", after)])
    targets = targets_frame([(2020, "90001", "methadone_patients", "more_than", 100.0)])
    (result,) = evaluate_frames(facts, EMPTY_STATUS, targets, small_geo, with_verdicts=False)
    assert (result.actual, result.met) == (after, met)
    assert result.explanation == f"Năm 2020: thực hiện {after} so với chỉ tiêu 100 (yêu cầu trên mức này)."
    assert ui_goals.explanation(result, "en") == (
        f"2020: {after}; required: more than 100 (exactly 100 is not enough)."
    )


def test_a_share_increase_is_judged_in_percentage_points(small_geo):
    # Drug-free communes of Tỉnh Thử: 1 of 3 in 2021 (33,33%), 2 of 3 in 2022 (66,67%): +33⅓ points.
    rows = []
    for year, free in ((2021, {"90001"}), (2022, {"90001", "90002"})):
        for code in ("90001", "90002", "90003"):
            rows.append((year, code, "khong_ma_tuy" if code in free else "co_te_nan", False, False))
    status = status_frame(rows)
    facts = facts_frame([("2022-12", "90001", "population", 1000)])
    targets = targets_frame(
        [
            (2022, "90", "drug_free_share", "increase_at_least_pct", 33.33),
            (2022, "90", "drug_free_communes", "increase_at_least_pct", 100.0),  # a count: 1 → 2 is +100%
        ]
    )
    share, count = sorted(evaluate_frames(facts, status, targets, small_geo), key=lambda r: r.metric)[::-1]
    assert share.metric == "drug_free_share" and share.met is True
    assert share.change_pct == 33.33  # points, rounded for display; judged on the exact 100/3
    assert share.rule_label == "Tăng từ 33,33 điểm phần trăm trở lên so với năm trước"
    assert goal_charts.rule_label(share, "en") == "Up by 33.33 percentage points or more on the previous year"
    assert share.explanation == (
        "Năm 2022: từ 33,33% (năm 2021) lên 66,67%, tăng 33,33 điểm phần trăm; "
        "yêu cầu tăng từ 33,33 điểm phần trăm trở lên."
    )
    assert ui_goals.explanation(share, "en") == (
        "2022: from 33.33% (2021) to 66.67%, a change of 33.33 percentage points; "
        "required: up by 33.33 percentage points or more."
    )
    assert count.metric == "drug_free_communes" and count.met is True and count.change_pct == 100.0
    assert count.rule_label == "Tăng từ 100% trở lên so với năm trước"
    # 33,34 points is more than the exact 33⅓: not met.
    strict = targets_frame([(2022, "90", "drug_free_share", "increase_at_least_pct", 33.34)])
    (result,) = evaluate_frames(facts, status, strict, small_geo)
    assert result.met is False


def test_the_required_path_of_a_share_grows_by_points():
    rows = [
        {"year": 2026, "metric": "drug_free_share", "rule": "increase_at_least_pct", "value": 15.0},
        {"year": 2027, "metric": "drug_free_share", "rule": "increase_at_least_pct", "value": 15.0},
    ]
    assert goals.required_path(rows, 2025, F(20), "up") == [(2025, 20), (2026, 35), (2027, 50)]
    counts = [{**r, "metric": "healthy_communes", "value": 10.0} for r in rows]
    assert goals.required_path(counts, 2025, F(100), "up") == [(2025, 100), (2026, 110), (2027, 121)]


@pytest.mark.parametrize(
    ("words", "rule"),
    [
        ("Trên (%)", "more_than"),
        ("trên", "more_than"),
        ("Đạt trên", "more_than"),
        ("Tăng tối thiểu (%)", "increase_at_least_pct"),
        ("Tăng tối thiểu % mỗi năm", "increase_at_least_pct"),
        ("Tăng (%) trở lên", "increase_at_least_pct"),
        ("Tăng trên (%)", "increase_more_than_pct"),
        ("more_than", "more_than"),
    ],
)
def test_the_rule_words_are_accepted_at_import(geography, words, rule):
    data = workbook(targets=[("2021", "Quận Nam Từ Liêm", "home_rehab_share", words, "20")])
    report = importing.check_import(data, "bao-cao.xlsx", None, geography)
    assert report.ok, report.lines()
    assert report.targets["rule"].to_list() == [rule]


def test_every_rule_has_labels_in_both_languages():
    for rule in schema.RULES:
        assert rule in goals.RULE_LABELS
        entry = i18n.STRINGS[f"goals.rule.{rule}"]
        assert entry["vi"] and entry["en"] and entry["vi"] != entry["en"]
