"""Goal words: every rule, status, verdict and sentence comes in both languages from one function.

Statuses, verdicts and commune changes are ids (``goals.STATUSES`` …); the engine's Vietnamese
and the page's English come from the same functions through ``dashboard.i18n``, so the two
languages cannot say different things: the same numbers appear in both, each in its own marks.
"""

from __future__ import annotations

import itertools
import re
from fractions import Fraction as F

import pytest

from dashboard import goals, minutes, schema
from dashboard.catalog import CATALOG
from dashboard.formatting import fmt_pct, fmt_value
from dashboard.goals import Commune, TargetResult
from dashboard.i18n import STRINGS, t

# Letters only Vietnamese writes (an English sentence with one of them kept a Vietnamese word).
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)

# Rule → a metric it is set on (a count, and for the level and increase rules also a share).
RULE_METRICS = {
    "at_least": ("compulsory_rehab", "pmtct_coverage"),
    "at_most": ("pregnant_hiv", "hiv_prevalence"),
    "more_than": ("methadone_patients", "pmtct_coverage"),
    "increase_at_least_pct": ("healthy_communes", "drug_free_share"),
    "increase_more_than_pct": ("healthy_communes", "drug_free_share"),
    "reduce_more_than_pct": ("key_communes",),
    "reduce_at_least_pct": ("addicts_managed",),
    "new_at_least": ("healthy_communes",),
    "keep_all": ("drug_free_communes",),
}


def _result(rule: str, metric: str, **fields) -> TargetResult:
    base = dict(
        unit_code="90",
        unit_name="Tinh Thu",
        year=2022,
        metric=metric,
        metric_label=CATALOG[metric].label_vi,
        rule=rule,
        rule_label=goals.rule_label(rule, 32, metric),
        target=32,
        previous=40,
        actual=38,
        achievement_pct=118.75 if rule in goals.QUOTA_RULES else None,
        change_pct=5.0 if rule in goals.REDUCTION_RULES | goals.INCREASE_RULES else None,
        met=True,
        status=goals.MET,
        partial=False,
        months_elapsed=12,
        elapsed_share=100.0,
        expected_so_far=None,
        on_pace=None,
    )
    return TargetResult(**(base | fields))


# The branches a sentence can take: a full year, a year in progress (with its pro-rata pace),
# no figure, no previous year, a previous year of 0, a future year with a projection, a hidden
# small count, communes that entered or left.
SCENARIOS = {
    "year": {},
    "not_met": dict(met=False, status=goals.NOT_MET, actual=41.5, change_pct=-3.75),
    "partial": dict(
        partial=True,
        months_elapsed=9,
        elapsed_share=75.0,
        expected_so_far=24,
        on_pace=False,
        status=goals.AT_RISK,
        met=False,
        actual=22,
        achievement_pct=68.75,
    ),  # fmt: skip
    "no_actual": dict(actual=None, met=None, status=goals.NO_DATA, achievement_pct=None, change_pct=None),
    "no_previous": dict(previous=None, met=None, status=goals.NO_DATA, change_pct=None),
    "previous_zero": dict(previous=0, actual=3, change_pct=None),
    "future": dict(
        months_elapsed=0,
        elapsed_share=0.0,
        actual=None,
        previous=None,
        met=None,
        status=goals.AT_RISK,
        verdict=goals.OFF_TRACK,
        achievement_pct=None,
        change_pct=None,
    ),  # fmt: skip
    "hidden": dict(actual=None, actual_shown="<5", achievement_pct=None, change_pct=None),
    "communes": dict(
        new_communes=(Commune("1", "Xa A"),),
        left_communes=(Commune("2", "Xa B"),),
        met=False,
        status=goals.NOT_MET,
    ),  # fmt: skip
}

CASES = [
    (rule, metric, scenario)
    for rule, metrics in RULE_METRICS.items()
    for metric, scenario in itertools.product(metrics, SCENARIOS)
]


def test_the_rule_table_covers_every_rule_of_the_data_contract():
    assert list(goals.RULES) == list(schema.RULES)
    assert set(RULE_METRICS) == set(goals.RULES)
    for rule in goals.RULES.values():
        assert rule.kind in (goals.LEVEL, goals.REDUCTION, goals.INCREASE, goals.LIST)
        assert rule.compare in (">=", ">", "<=", "==") and rule.direction in ("up", "down")


@pytest.mark.parametrize(
    ("key", "ids"),
    [
        ("goals.status", goals.STATUSES),
        ("goals.verdict", goals.VERDICTS),
        ("goals.change", (goals.ENTERED, goals.LEFT, goals.RELAPSED)),
        ("goals.effect", (goals.HELPFUL, goals.HARMFUL)),
        ("goals.col", goals.TABLE_COLUMNS + goals.CHANGE_COLUMNS),
    ],
)
def test_every_id_has_words_in_both_languages(key, ids):
    for id_ in ids:
        vi, en = t(f"{key}.{id_}", "vi"), t(f"{key}.{id_}", "en")
        assert vi and en and not VIETNAMESE.search(en), (key, id_)


@pytest.mark.parametrize("rule", list(goals.RULES))
def test_every_rule_is_labelled_in_both_languages_from_its_label_key(rule):
    for metric in RULE_METRICS[rule]:
        vi, en = (goals.rule_label(rule, 15, metric, lang) for lang in ("vi", "en"))
        assert STRINGS[goals.RULES[rule].label_key]  # the table names a string that exists
        assert vi != en and not VIETNAMESE.search(en)
        if rule not in goals.LIST_RULES - {"new_at_least"}:
            assert "15" in vi and "15" in en  # the number the rule sets, in both


def _numbers(r: TargetResult, lang: str) -> set[str]:
    """The figures a sentence about ``r`` may quote, as ``lang`` writes them."""
    values = [r.actual, r.previous, r.target, r.expected_so_far]
    shown = {fmt_value(v, r.metric, lang) for v in values if v is not None}
    if r.achievement_pct is not None:
        shown.add(fmt_pct(r.achievement_pct, lang))
    return shown


@pytest.mark.parametrize(("rule", "metric", "scenario"), CASES)
def test_one_explanation_function_says_the_same_in_both_languages(rule, metric, scenario):
    r = _result(rule, metric, **SCENARIOS[scenario])
    vi, en = goals.explanation(r, "vi"), goals.explanation(r, "en")
    assert vi and en and vi != en
    assert not VIETNAMESE.search(en), en
    assert vi.endswith(".") and en.endswith(".")
    # The same figures are quoted in both languages, each in its own number marks.
    vi_numbers = {n for n in _numbers(r, "vi") if n in vi}
    en_numbers = {n for n in _numbers(r, "en") if n in en}
    assert len(vi_numbers) == len(en_numbers), (vi, en)
    if r.verdict:
        assert goals.verdict_label(r.verdict, "vi") in vi and goals.verdict_label(r.verdict, "en") in en


@pytest.mark.parametrize("rule", ["new_at_least", "keep_all"])
def test_one_commune_is_not_written_as_communes_in_english(rule):
    # One commune entered and one left (the "communes" scenario): "1 communes" is bad English.
    r = _result(rule, RULE_METRICS[rule][0], **SCENARIOS["communes"])
    assert not re.search(r"\b1 (new )?communes\b", goals.explanation(r, "en")), goals.explanation(r, "en")


def test_the_engine_keeps_the_vietnamese_of_the_same_function(newest_demo, demo_snapshots, geography):
    snapshot = demo_snapshots[newest_demo.name]
    results = goals.evaluate(snapshot.in_geography(geography), unit="11")
    assert {r.rule for r in results} >= {"keep_all", "new_at_least", "reduce_more_than_pct"}
    assert {r.status for r in results} <= set(goals.STATUSES)
    for r in results:
        assert r.explanation == goals.explanation(r, "vi")
        assert r.rule_label == goals.rule_label(r.rule, r.target, r.metric, "vi")
    for goal in goals.project_goals(snapshot.in_geography(geography), unit="11"):
        assert goal.verdict in goals.VERDICTS
        window = [y for y, _ in goal.actual][-goals.TREND_YEARS :]
        for lang in ("vi", "en"):
            sentence = goals.verdict_sentence(goal, lang)
            assert goals.verdict_label(goal.verdict, lang) in sentence
            assert goals.method_sentence(goal.method, window, goal.deadline, lang)
        assert goal.verdict_text == goals.verdict_sentence(goal, "vi")
        assert goal.method_text == goals.method_sentence(goal.method, window, goal.deadline, "vi")


@pytest.mark.parametrize("method", ["linear", "compound", "flat", "actual"])
def test_every_projection_method_is_told_in_both_languages(method):
    vi, en = (goals.method_sentence(method, [2020, 2021, 2022], 2030, lang) for lang in ("vi", "en"))
    assert "2030" in vi and "2030" in en and not VIETNAMESE.search(en)


def test_the_tables_word_ids_in_the_language_asked():
    results = [
        _result("keep_all", "drug_free_communes", **SCENARIOS["communes"]),
        _result("at_least", "compulsory_rehab", **SCENARIOS["partial"]),
    ]
    for lang in ("vi", "en"):
        table = goals.display_table(results, lang)
        assert table[t("goals.col.status", lang)].to_list() == [
            goals.status_label(goals.NOT_MET, lang),
            goals.status_label(goals.AT_RISK, lang),
        ]
        changes = goals.commune_changes(results, lang)
        assert changes[t("goals.col.change", lang)].to_list() == [
            t("goals.change.entered", lang),
            t("goals.change.relapsed", lang),  # a drug-free commune that lost its status
        ]
    english = goals.display_table(results, "en")
    for column in ("rule", "actual", "achievement", "status", "verdict"):
        assert not any(VIETNAMESE.search(v) for v in english[t(f"goals.col.{column}", "en")]), column


def test_worded_gives_the_cli_its_vietnamese_words():
    r = _result("at_least", "compulsory_rehab", **SCENARIOS["future"])
    row = goals.worded(r.to_dict())
    assert (row["status"], row["verdict"]) == ("có nguy cơ", "chệch hướng")
    assert r.to_dict()["status"] == goals.AT_RISK  # the result itself keeps the id


@pytest.mark.parametrize(
    ("kept", "lang", "expected"),
    [
        (goals.NOT_MET, "vi", "22/32 (68,75%), chưa đạt (9 tháng 2022)"),
        (goals.NOT_MET, "en", "22/32 (68.75%), not met (9 months 2022)"),
        ("chưa đạt", "vi", "22/32 (68,75%), chưa đạt (9 tháng 2022)"),  # kept as a word before ids
    ],
)
def test_minutes_word_a_status_kept_as_an_id_or_as_an_earlier_word(kept, lang, expected):
    then = {"status": kept, "actual": 22, "target": 32, "achievement_pct": 68.75, "year": 2022,
            "partial": True, "months_elapsed": 9}  # fmt: skip
    assert minutes.figures_text(then, "compulsory_rehab", "at_least", lang) == expected


def test_quota_achievement_is_the_exact_goal_arithmetic():
    assert 0.3 / 0.1 * 100 != 300  # binary floats
    assert goals.quota_achievement(0.3, 0.1) == 300.0
    assert goals.quota_achievement(64, 60) == float(F(6400, 60))
    assert goals.quota_achievement(5, 0) is None and goals.quota_achievement(None, 3) is None
