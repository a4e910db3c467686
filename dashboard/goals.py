"""Goals: judge every target of targets.parquet with exact arithmetic, and project multi-year goals.

Two entry points:

- :func:`evaluate` judges each target (one :class:`TargetResult` per row of targets.parquet):
  the actual value of the metric over the year for the unit, the previous year's value, the
  achievement of a quota, whether the rule is met, and for a year still in progress the share
  of the year elapsed and the pro-rata expectation.
- :func:`project_goals` follows each multi-year goal (one :class:`GoalProjection` per unit,
  metric and direction): the path required from the baseline, the actual path, the trend
  projected to the deadline and a verdict.

Every boundary is decided on :class:`fractions.Fraction` values, never on floats: 100 → 97 is
exactly a 3% reduction and does not meet "more than 3%"; 50 → 49 is exactly 2% and meets
"2% or more". Counts stored as whole floats convert exactly; rates are recomputed from their
summed numerator and denominator.

Each rule is one row of :data:`RULES` (what it compares, how, its direction, its label key).
Statuses, verdicts and commune changes are ids; they become words only through the string
table (:mod:`dashboard.i18n`), by one function each for both languages (``status_label``,
``verdict_label``, ``rule_label``, ``explanation``, ``method_sentence``, ``verdict_sentence``).
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import polars as pl

from dashboard import query
from dashboard.access import suppress_small_counts
from dashboard.catalog import CATALOG, FLOW_INDICATORS, REPORTED_COUNTS
from dashboard.formatting import fmt_number, fmt_pct, fmt_value
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.i18n import t
from dashboard.schema import KEY_CLASSES

# The four statuses a judged target can have (ids; users read them through ``status_label``).
MET = "met"
NOT_MET = "not_met"
AT_RISK = "at_risk"
NO_DATA = "no_data"
STATUSES: tuple[str, ...] = (MET, NOT_MET, AT_RISK, NO_DATA)

# The three verdicts of a projection (ids; ``verdict_label``). "at_risk" is both a status and a verdict.
ON_TRACK = "on_track"
OFF_TRACK = "off_track"
VERDICTS: tuple[str, ...] = (ON_TRACK, AT_RISK, OFF_TRACK)

# What happened to a commune in a category list between two years (``commune_changes``), and
# what it did to the goal.
ENTERED, LEFT, RELAPSED = "entered", "left", "relapsed"
HELPFUL, HARMFUL = "helpful", "harmful"

# A projection that misses the deadline requirement by at most this share of the change the
# goal asks for (from the baseline to the deadline) is "at risk" rather than "off track".
AT_RISK_TOLERANCE = Fraction(1, 10)
# How many of the latest years of actual values the trend is fitted on.
TREND_YEARS = 5


# --- the rule table -------------------------------------------------------------------------

# What a rule compares: the level itself, the drop on the year before (in %), the rise on the
# year before (relative % on a count, percentage points on a share), or communes in a list.
LEVEL, REDUCTION, INCREASE, LIST = "level", "reduction", "increase", "list"


@dataclass(frozen=True)
class Rule:
    """One rule a target can set (targets.parquet ``rule``).

    Fields:
        id: the rule as stored.
        kind: ``LEVEL``, ``REDUCTION``, ``INCREASE`` or ``LIST`` (what is compared, see
            :func:`rule_met`).
        compare: how the compared number must stand against the required one: ``>=``, ``>``
            (strict: "trên X%", exactly X is not enough), ``<=``, or ``==`` (``keep_all``: no
            commune may leave).
        direction: "up" when more is better for the goal, "down" when less is.
        label_key: its wording in :data:`dashboard.i18n.STRINGS` ({value}, and {what} for lists).
    """

    id: str
    kind: str
    compare: str
    direction: str

    @property
    def label_key(self) -> str:
        return f"goals.rule.{self.id}"

    @property
    def strict(self) -> bool:
        return self.compare == ">"

    def holds(self, have: Fraction | int, need: Fraction | int) -> bool:
        """``have`` against ``need`` by ``compare``, exactly."""
        return _COMPARE[self.compare](have, need)


_COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "==": operator.eq}

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("at_least", LEVEL, ">=", "up"),  # a quota: actual ≥ value
        Rule("at_most", LEVEL, "<=", "down"),  # a ceiling: actual ≤ value
        Rule("more_than", LEVEL, ">", "up"),  # actual > value
        Rule("increase_at_least_pct", INCREASE, ">=", "up"),  # rise ≥ value
        Rule("increase_more_than_pct", INCREASE, ">", "up"),  # rise > value
        Rule("reduce_more_than_pct", REDUCTION, ">", "down"),  # (prev − actual) / prev × 100 > value
        Rule("reduce_at_least_pct", REDUCTION, ">=", "down"),  # … ≥ value
        Rule("new_at_least", LIST, ">=", "up"),  # communes new to the category ≥ value
        Rule("keep_all", LIST, "==", "up"),  # communes that left the category == 0
    )
}


def _rules(test) -> frozenset[str]:
    return frozenset(r.id for r in RULES.values() if test(r))


QUOTA_RULES = frozenset({"at_least"})
REDUCTION_RULES = _rules(lambda r: r.kind == REDUCTION)
# A yearly increase: relative (%) on a count, in percentage points on a share (unit "%"): "tăng
# tối thiểu 15% mỗi năm" on the share of drug-free communes means 15 more points each year.
INCREASE_RULES = _rules(lambda r: r.kind == INCREASE)
# Rules that are met only strictly beyond their value ("trên X%": exactly X is not enough).
STRICT_RULES = _rules(lambda r: r.strict)
# Rules on the level itself (not on a change against the year before).
LEVEL_RULES = _rules(lambda r: r.kind == LEVEL)
LIST_RULES = _rules(lambda r: r.kind == LIST)

# The commune category behind each status metric (data contract: commune_status.parquet).
STATUS_CATEGORY: dict[str, str] = {
    "healthy_communes": "healthy",
    "complex_communes": "complex",
    "key_communes": "key",
    "drug_free_communes": "drug_free",
    "drug_free_share": "drug_free",
    "drug_problem_communes": "drug_problem",
}


# --- exact arithmetic -------------------------------------------------------------------


def to_fraction(value: float | int | Fraction | Decimal | None) -> Fraction | None:
    """An exact Fraction for a stored value: whole floats exactly, others through their decimal text.

    Rates such as 0.3 are stored as the nearest binary float; going through ``round(x, 10)`` and
    ``str`` gives back the number as written (3/10), not 5404319552844595/18014398509481984.
    """
    if value is None:
        return None
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(value)
    if not math.isfinite(value):
        return None
    if float(value).is_integer():
        return Fraction(int(value))
    return Fraction(str(round(value, 10)))


def round_half_up(value: Fraction | None, decimals: int = 2) -> float | None:
    """``value`` rounded half up to ``decimals`` places, as a float (the number reports print)."""
    if value is None:
        return None
    with localcontext() as ctx:
        ctx.prec = 50
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return float(rounded)


def as_number(value: Fraction | None) -> int | float | None:
    """A JSON-friendly number: whole values as int, others as the nearest float."""
    if value is None:
        return None
    if value.denominator == 1:
        return int(value)
    return float(value)


def achievement_pct(actual: Fraction | None, target: Fraction | None) -> Fraction | None:
    """Quota achievement, actual / target × 100; None when either is missing or the target is 0."""
    if actual is None or target is None or target == 0:
        return None
    return actual / target * 100


def reduction_pct(previous: Fraction | None, actual: Fraction | None) -> Fraction | None:
    """(previous − actual) / previous × 100; None when previous is missing or 0 (no division by zero)."""
    if previous is None or actual is None or previous == 0:
        return None
    return (previous - actual) / previous * 100


def quota_achievement(actual: float | None, quota: float | None) -> float | None:
    """:func:`achievement_pct` of stored numbers, decided exactly, as a float (the overview's cards)."""
    exact = achievement_pct(to_fraction(actual), to_fraction(quota))
    return None if exact is None else float(exact)


def increase(previous: Fraction | None, actual: Fraction | None, points: bool) -> Fraction | None:
    """The yearly increase: actual − previous in percentage points for a share, else relative in %.

    None when either is missing, or (relative) when previous is 0.
    """
    if previous is None or actual is None:
        return None
    if points:
        return actual - previous
    return None if previous == 0 else (actual - previous) / previous * 100


def rule_met(
    rule: str,
    target: Fraction,
    actual: Fraction | None = None,
    previous: Fraction | None = None,
    new_count: int | None = None,
    left_count: int | None = None,
    points: bool = False,
) -> bool | None:
    """Whether ``rule`` holds, decided exactly; None when the numbers it needs are missing.

    ``new_count`` is the number of communes in the category this year that were not the year
    before (``new_at_least``); ``left_count`` the number that were in it and are no longer
    (``keep_all``). A reduction from a previous value of 0 is met only when actual is 0 too.
    ``points``: the metric is a share, so an increase rule's value is in percentage points; on a
    count it is relative, and any rise from 0 meets it.
    """
    spec = RULES.get(rule)
    if spec is None:
        raise ValueError(f"Quy tắc đánh giá không hợp lệ: {rule!r}")
    if spec.kind == LEVEL:
        return None if actual is None else spec.holds(actual, target)
    if spec.kind == REDUCTION:
        if actual is None or previous is None:
            return None
        if previous == 0:
            return actual == 0
        # Cross-multiplied so that no division happens: (prev − actual) × 100 vs value × prev.
        return spec.holds((previous - actual) * 100, target * previous)
    if spec.kind == INCREASE:
        if actual is None or previous is None:
            return None
        if points:
            return spec.holds(actual - previous, target)
        if previous == 0:
            return actual > 0 or (actual == 0 and target == 0 and not spec.strict)
        return spec.holds((actual - previous) * 100, target * previous)
    if rule == "new_at_least":
        return None if new_count is None else spec.holds(new_count, target)
    return None if left_count is None else spec.holds(left_count, 0)


def pro_rata(target: Fraction, months_elapsed: int) -> Fraction:
    """The part of an annual quota expected after ``months_elapsed`` months (9 months → 75%)."""
    return target * Fraction(months_elapsed, 12)


def decide_status(
    met: bool | None,
    *,
    rule: str,
    partial: bool,
    flow: bool,
    on_pace: bool | None = None,
    verdict: str | None = None,
) -> str:
    """The status users see, from the judgement, the pace and (for a year not reached) the projection.

    - No data: ``AT_RISK`` ("có nguy cơ") when a projection says the goal is at risk or off
      track, otherwise ``NO_DATA`` ("không đủ số liệu").
    - A complete year: ``MET`` ("đạt") or ``NOT_MET`` ("chưa đạt").
    - A year in progress: a flow quota ("at_least" on a flow) is met once reached or while on
      pro-rata pace, else at risk; a flow ceiling already passed is not met (events cannot be
      undone), above the pro-rata pace at risk, else met; any other rule is met when it holds
      on the figures so far, else at risk.
    """
    if met is None:
        return AT_RISK if verdict in (AT_RISK, OFF_TRACK) else NO_DATA
    if not partial:
        return MET if met else NOT_MET
    if flow and rule == "at_least":
        return MET if met or on_pace else AT_RISK
    if flow and rule == "at_most":
        if not met:
            return NOT_MET
        return MET if on_pace is not False else AT_RISK
    return MET if met else AT_RISK


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    """A commune named in a judgement (one that is new to a category or left it)."""

    code: str
    name: str


@dataclass(frozen=True)
class TargetResult:
    """One judged target. Numbers are as shown: counts exact, percentages rounded half up to 2 places.

    Fields:
        unit_code, unit_name: the unit that owns the target.
        year: the year the target is judged in.
        metric, metric_label: the metric id and its Vietnamese label.
        rule, rule_label: the rule id (``RULES``) and its Vietnamese wording (``rule_label``).
        target: the number in the rule (ignored by ``keep_all``).
        previous: the metric over the year before (for a year in progress, over the same months
            of the year before: *cùng kỳ*); None when unknown.
        actual: the metric over the year, or the months reported so far; None when unknown.
        achievement_pct: actual / target × 100 for ``at_least`` (quota) targets, else None.
        change_pct: the reduction achieved, (previous − actual) / previous × 100, for reduction
            rules when previous > 0; for increase rules the increase (``increase``: percentage
            points on a share, relative % on a count); else None.
        met: whether the rule holds on the figures (so far); None when data are missing.
        status: one of the ids ``STATUSES`` (see :func:`decide_status`; words: ``status_label``).
        partial: True for a year still in progress at ``as_of``.
        months_elapsed: months of the year reported (12 for a past year, 0 for a future one).
        elapsed_share: months_elapsed / 12 in percent (75.0 after 9 months).
        expected_so_far: for a flow quota or ceiling in a year in progress, the pro-rata part of
            the annual value (24 of 32 after 9 months), else None.
        on_pace: actual ≥ expected_so_far for a quota, ≤ for a ceiling; None when not relevant.
        new_communes: for status metrics, communes in the category this year and not the year before.
        left_communes: for status metrics, communes in the category the year before and not this
            year; for ``keep_all`` on healthy or drug-free communes these are the relapsed ones.
        verdict: the projection verdict id (``VERDICTS``) of the multi-year goal the target
            belongs to (stocks, rates and commune counts), else None.
        note: the document that set the target (from targets.parquet).
        explanation: one Vietnamese sentence saying how the judgement was reached
            (:func:`explanation` in "vi"; the page asks it for the user's language).
    """

    unit_code: str
    unit_name: str
    year: int
    metric: str
    metric_label: str
    rule: str
    rule_label: str
    target: int | float
    previous: int | float | None
    actual: int | float | None
    achievement_pct: float | None
    change_pct: float | None
    met: bool | None
    status: str
    partial: bool
    months_elapsed: int
    elapsed_share: float
    expected_so_far: int | float | None
    on_pace: bool | None
    new_communes: tuple[Commune, ...] = ()
    left_communes: tuple[Commune, ...] = ()
    verdict: str | None = None
    note: str | None = None
    explanation: str = ""
    actual_shown: str | None = None  # "<5" or "×" where a small count was hidden (hide_small_counts)
    previous_shown: str | None = None

    def to_dict(self) -> dict:
        """A JSON-ready dict (communes as lists of {"code", "name"})."""
        out = asdict(self)
        out["new_communes"] = [asdict(c) for c in self.new_communes]
        out["left_communes"] = [asdict(c) for c in self.left_communes]
        return out


@dataclass(frozen=True)
class GoalProjection:
    """A multi-year goal of one unit and metric: required path, actual path, projection, verdict.

    Fields:
        unit_code, unit_name, metric, metric_label: what the goal is about.
        direction: "up" (the value must reach at least the path) or "down" (at most).
        rules: the rules of the targets in the goal, e.g. ("keep_all", "new_at_least").
        baseline_year, baseline_value: where the required path starts.
        deadline, deadline_value: the last target year and the value required then.
        required: (year, value) from the baseline year to the deadline.
        actual: (year, value) of the actual values over the years shown (≤ as_of).
        projected: (year, value) from the last actual year to the deadline; empty when the
            deadline has passed.
        method: "linear", "compound", "flat" or "actual" (deadline passed: no projection).
        method_text: how the projection was made, in Vietnamese (:func:`method_sentence`).
        verdict: one of the ids ``VERDICTS``; None when there are no actual values.
        verdict_text: the verdict with its numbers, in Vietnamese (:func:`verdict_sentence`).
    """

    unit_code: str
    unit_name: str
    metric: str
    metric_label: str
    direction: str
    rules: tuple[str, ...]
    baseline_year: int
    baseline_value: float | None
    deadline: int
    deadline_value: float | None
    required: tuple[tuple[int, float], ...]
    actual: tuple[tuple[int, float], ...]
    projected: tuple[tuple[int, float], ...]
    method: str
    method_text: str
    verdict: str | None
    verdict_text: str

    def to_dict(self) -> dict:
        """A JSON-ready dict ((year, value) pairs as lists)."""
        out = asdict(self)
        for key in ("required", "actual", "projected", "rules"):
            out[key] = [list(p) if isinstance(p, tuple) else p for p in out[key]]
        return out


# --- the values the rules are judged on ----------------------------------------------------


def _month_start(value: dt.date) -> dt.date:
    return dt.date(value.year, value.month, 1)


def months_elapsed(year: int, as_of: dt.date) -> int:
    """Months of ``year`` reported by ``as_of`` (a month): 12 before its year, 0 after."""
    if year < as_of.year:
        return 12
    if year > as_of.year:
        return 0
    return as_of.month


def _category_mask(category: str) -> pl.Expr:
    if category == "healthy":
        return pl.col("healthy")
    if category == "complex":
        return pl.col("complex")
    if category == "key":
        return pl.col("drug_class").is_in(list(KEY_CLASSES))
    if category == "drug_free":
        return pl.col("drug_class") == "khong_ma_tuy"
    if category == "drug_problem":
        return pl.col("drug_class") != "khong_ma_tuy"
    raise ValueError(f"Nhóm xã không hợp lệ: {category!r}")


@dataclass
class _Values:
    """Yearly values of the metrics for the units, computed once per evaluation."""

    facts: dict[tuple[str, str, int], Fraction] = field(default_factory=dict)
    same_period: dict[tuple[str, str], Fraction] = field(default_factory=dict)  # prev year, months ≤ as_of
    classified: dict[tuple[str, int], int] = field(default_factory=dict)
    members: dict[tuple[str, str, int], frozenset[str]] = field(default_factory=dict)
    # Status metrics per (unit, metric, year) from query.status_counts: the list, else the report.
    counts: dict[tuple[str, str, int], Fraction] = field(default_factory=dict)

    def value(self, unit: str, metric: str, year: int) -> Fraction | None:
        entry = CATALOG[metric]
        if entry.kind == "status":
            return self._status_value(unit, metric, year)
        if entry.kind == "rate":
            return _rate(
                self.facts.get((unit, entry.numerator, year)), self.facts.get((unit, entry.denominator, year))
            )
        return self.facts.get((unit, metric, year))

    def same_period_value(self, unit: str, metric: str) -> Fraction | None:
        entry = CATALOG[metric]
        if entry.kind == "rate":
            return _rate(
                self.same_period.get((unit, entry.numerator)), self.same_period.get((unit, entry.denominator))
            )
        return self.same_period.get((unit, metric))

    def _status_value(self, unit: str, metric: str, year: int) -> Fraction | None:
        return self.counts.get((unit, metric, year))


def _rate(numerator: Fraction | None, denominator: Fraction | None) -> Fraction | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator * 100


def _collect_values(
    facts: pl.DataFrame,
    status: pl.DataFrame,
    geography: Geography,
    units: Sequence[str],
    metrics: Iterable[str],
    years: tuple[int, int],
    as_of: dt.date,
    spans: pl.DataFrame | None = None,
) -> _Values:
    """The yearly values the targets need, from facts up to ``as_of`` and the yearly statuses.

    ``spans`` (contract version 3): flow totals over several months; those ended by ``as_of``
    count in their year (a year a span straddles has no value).
    """
    values = _Values()
    known = None if spans is None else spans.filter(pl.col("last_period") <= as_of)
    metrics = set(metrics)
    fact_ids = query.needed_fact_indicators(
        m for m in metrics if CATALOG[m].kind in ("stock", "flow", "rate")
    )
    if fact_ids and units:
        prev = as_of.year - 1
        if callable(facts):
            # A snapshot's monthly source (roll-ups and a pushed-down scan), cut at ``as_of``.
            def upto(codes, ids, yrs):
                return facts(codes, ids, yrs).filter(pl.col("period") <= as_of)

            def same_months(codes, ids, yrs):
                return facts(codes, ids, (prev, prev)).filter(pl.col("period").dt.month() <= as_of.month)

            yearly = query.summarize(
                upto,
                status,
                geography,
                units,
                fact_ids,
                grain="year",
                years=years,
                last_period=as_of,
                spans=known,
            )
        else:
            cut = facts.filter(pl.col("period") <= as_of)
            yearly = query.summarize(
                query.from_facts(cut, geography),
                status,
                geography,
                units,
                fact_ids,
                grain="year",
                years=years,
                last_period=as_of,
                spans=known,
            )
        for unit, indicator, period, value in yearly.select(
            "unit_code", "indicator", "period", "value"
        ).iter_rows():
            values.facts[(unit, indicator, period.year)] = to_fraction(value)
        if as_of.month < 12 and years[0] <= prev <= years[1]:
            # For a year in progress, the year before is taken over the same months (cùng kỳ).
            if callable(facts):
                frame = query.summarize(
                    same_months,
                    status,
                    geography,
                    units,
                    fact_ids,
                    grain="year",
                    years=(prev, prev),
                    last_period=dt.date(prev, as_of.month, 1),
                    spans=_same_months_spans(known, prev, as_of.month),
                )
            else:
                same = cut.filter(
                    (pl.col("period").dt.year() == prev) & (pl.col("period").dt.month() <= as_of.month)
                )
                frame = query.summarize(
                    query.from_facts(same, geography), status, geography, units, fact_ids,
                    grain="year", years=(prev, prev),
                    last_period=dt.date(prev, as_of.month, 1),
                    spans=_same_months_spans(known, prev, as_of.month),
                )  # fmt: skip
            frame = frame.filter(pl.col("period").dt.year() == prev)  # not the next year a span reaches
            for unit, indicator, value in frame.select("unit_code", "indicator", "value").iter_rows():
                values.same_period[(unit, indicator)] = to_fraction(value)
    status_metrics = [m for m in metrics if CATALOG[m].kind == "status"]
    last_year = min(years[1], as_of.year)
    if status_metrics and units and years[0] <= last_year:
        _collect_counts(values, facts, status, geography, units, (years[0], last_year), as_of)
    categories = {STATUS_CATEGORY[m] for m in metrics if m in STATUS_CATEGORY}
    if categories and units:
        in_years = status.filter(pl.col("year").is_between(years[0], min(years[1], as_of.year)))
        for unit in units:
            if unit == COUNTRY_CODE:
                communes = None
            elif geography.level(unit) == "commune":
                communes = [unit]
            else:
                communes = geography.descendants(unit, "commune")
            mine = in_years if communes is None else in_years.filter(pl.col("commune_code").is_in(communes))
            for (year,), group in mine.group_by("year"):
                values.classified[(unit, year)] = group.height
                for category in categories:
                    codes = group.filter(_category_mask(category))["commune_code"].to_list()
                    values.members[(unit, category, year)] = frozenset(codes)
    return values


def _collect_counts(
    values: _Values,
    facts,
    status: pl.DataFrame,
    geography: Geography,
    units: Sequence[str],
    years: tuple[int, int],
    as_of: dt.date,
) -> None:
    """Status metrics as exact fractions, through ``query.status_counts`` (one rule for the list
    and the report's own counts, and for the share's base)."""
    reported_ids = sorted(REPORTED_COUNTS.values())
    if callable(facts):
        monthly = facts(list(units), reported_ids, years)
    else:
        monthly = query.rollup_months(facts, geography, units, reported_ids, years)
    monthly = monthly.filter(pl.col("period") <= as_of)
    counts = query.status_counts(status, geography, units, years, query.reported_by_year(monthly))
    for row in counts.iter_rows(named=True):
        unit, year = row["unit_code"], int(row["year"])
        for metric in STATUS_CATEGORY:
            if metric == "drug_free_share":
                free, total = row["drug_free_communes"], row["commune_total"]
                if free is not None and total:
                    values.counts[(unit, metric, year)] = to_fraction(free) * 100 / to_fraction(total)
            elif row[metric] is not None:
                values.counts[(unit, metric, year)] = to_fraction(row[metric])


# --- judging targets -----------------------------------------------------------------------


def status_label(status: str, lang: str = "vi") -> str:
    """A status id (``STATUSES``) in ``lang``: "đạt", "not met"."""
    return t(f"goals.status.{status}", lang)


def verdict_label(verdict: str | None, lang: str = "vi") -> str:
    """A verdict id (``VERDICTS``) in ``lang``; "" when there is none."""
    return t(f"goals.verdict.{verdict}", lang) if verdict else ""


def rule_label(rule: str, target: float | Fraction, metric: str, lang: str = "vi") -> str:
    """The rule as set, through its ``Rule.label_key``: "Giảm trên 3% so với năm trước", "Trên 20%"."""
    exact = to_fraction(target)
    shown = fmt_number(round_half_up(exact, 2), lang, 0 if exact.denominator == 1 else 2)
    if rule in LEVEL_RULES and CATALOG[metric].percent:
        shown += "%"
    if rule in INCREASE_RULES:
        shown = t("goals.points", lang, value=shown) if CATALOG[metric].percent else shown + "%"
    what = t(f"goals.category.{STATUS_CATEGORY.get(metric, 'other')}", lang)
    return t(RULES[rule].label_key, lang, value=shown, what=what)


def worded(row: dict, lang: str = "vi") -> dict:
    """A ``to_dict`` of a result or projection with its status and verdict ids as words in ``lang``."""
    out = dict(row)
    if "status" in out:
        out["status"] = status_label(out["status"], lang)
    out["verdict"] = verdict_label(out["verdict"], lang) or None
    return out


def explanation(r: TargetResult, lang: str = "vi") -> str:
    """How the target was judged, in one sentence, from the result's own fields (both languages).

    The engine keeps the Vietnamese one in ``TargetResult.explanation``; the page asks for the
    user's language.
    """
    if r.actual_shown or r.previous_shown:
        return t("goals.explain.hidden", lang)
    year, prev, months = r.year, r.year - 1, r.months_elapsed
    if months == 0:
        text = t("goals.explain.no_year", lang, year=year)
        if r.verdict:
            text += t("goals.explain.forecast", lang, verdict=verdict_label(r.verdict, lang))
        return text
    when = (
        t("goals.explain.when_partial", lang, months=months, year=year)
        if r.partial
        else t("goals.explain.when_year", lang, year=year)
    )
    spec = RULES[r.rule]

    def value(v):
        return fmt_value(v, r.metric, lang)

    def need(wanted: str) -> str:
        return t("goals.more_than" if spec.strict else "goals.or_more", lang, value=wanted)

    if spec.kind == LIST:
        if r.met is None:
            return t("goals.explain.no_status", lang, when=when, year=year, prev=prev)
        if r.rule == "new_at_least":
            names = ", ".join(c.name for c in r.new_communes) or t("goals.explain.none", lang)
            target = fmt_number(r.target, lang)
            return t("goals.explain.new", lang, when=when, n=len(r.new_communes), target=target, names=names)
        if not r.left_communes:
            return t("goals.explain.kept", lang, when=when, prev=prev)
        names = ", ".join(c.name for c in r.left_communes)
        return t("goals.explain.lost", lang, when=when, n=len(r.left_communes), prev=prev, names=names)
    if r.actual is None:
        return t("goals.explain.no_data", lang, when=when)
    if spec.kind in (REDUCTION, INCREASE):
        if r.previous is None:
            return t("goals.explain.no_previous", lang, when=when, actual=value(r.actual), prev=prev)
        same = t("goals.explain.same_period", lang) if r.partial else ""
        points = spec.kind == INCREASE and CATALOG[r.metric].percent
        if points:
            places = 0 if float(r.target).is_integer() else 2
            wanted = t("goals.points", lang, value=fmt_number(r.target, lang, places))
        else:
            wanted = fmt_pct(r.target, lang)
        if r.change_pct is None:  # from 0: no relative change
            if spec.kind == REDUCTION:
                moved = t("goals.explain.still_zero" if r.actual == 0 else "goals.explain.up_from_zero", lang)
                return t("goals.explain.reduction_from_zero", lang, when=when, prev=prev, same=same,
                         actual=value(r.actual), moved=moved)  # fmt: skip
            return t("goals.explain.increase_from_zero", lang, when=when, prev=prev, same=same,
                     actual=value(r.actual), need=need(wanted))  # fmt: skip
        change = abs(r.change_pct)
        if points:
            size = t("goals.points", lang, value=fmt_number(change, lang, 0 if change.is_integer() else 2))
        else:
            size = fmt_pct(change, lang)
        down = r.actual <= r.previous if spec.kind == REDUCTION else r.actual < r.previous
        key = "goals.explain.reduction" if spec.kind == REDUCTION else "goals.explain.increase"
        moved = t("goals.moved.down" if down else "goals.moved.up", lang, value=size)
        return t(key, lang, when=when, previous=value(r.previous), prev=prev, same=same,
                 actual=value(r.actual), moved=moved, need=need(wanted))  # fmt: skip
    text = t("goals.explain.level", lang, when=when, actual=value(r.actual), target=value(r.target))
    if r.rule == "more_than":
        text += t("goals.explain.above", lang)
    if r.achievement_pct is not None:
        text += t("goals.explain.achieved", lang, pct=fmt_pct(r.achievement_pct, lang))
    if r.expected_so_far is not None:
        if r.rule == "at_least":
            pace = t("goals.pace.on" if r.on_pace else "goals.pace.behind", lang)
        else:
            pace = t("goals.pace.within" if r.on_pace else "goals.pace.over", lang)
        share = fmt_pct(r.elapsed_share, lang, 0)
        text += t("goals.explain.pace", lang, share=share, expected=value(r.expected_so_far), pace=pace)
    return text + "."


def _names(codes: Iterable[str], geography: Geography) -> tuple[Commune, ...]:
    return tuple(Commune(c, geography.name(c) if geography.has(c) else c) for c in sorted(codes))


def _same_months_spans(spans: pl.DataFrame | None, year: int, month: int) -> pl.DataFrame | None:
    """The spans of ``year`` up to ``month``; one crossing that month's end makes the value a gap."""
    if spans is None:
        return None
    cut = dt.date(year, month, 1)
    inside = spans.filter((pl.col("first_period").dt.year() == year) & (pl.col("first_period") <= cut))
    # A span over the cut cannot be split at it: kept whole, it straddles the year cut there and
    # the earlier year's same months stay unknown instead of counting months after the cut.
    return inside.with_columns(
        pl.when(pl.col("last_period") > cut)
        .then(dt.date(year + 1, 1, 1))
        .otherwise(pl.col("last_period"))
        .alias("last_period")
    )


def evaluate_frames(
    facts: pl.DataFrame,
    status: pl.DataFrame,
    targets: pl.DataFrame,
    geography: Geography,
    *,
    as_of: dt.date | None = None,
    unit: str | None = None,
    year: int | None = None,
    descendants: bool = False,
    with_verdicts: bool = True,
    spans: pl.DataFrame | None = None,
) -> list[TargetResult]:
    """Judge targets against facts and commune statuses shaped as in the data contract.

    Args:
        facts, status, targets: the snapshot's three tables.
        geography: the unit tree.
        as_of: the month the judgement stands at (any day of it); only facts of months up to it
            count. Default: the newest month in ``facts``.
        unit: only targets of this unit (and of the units below it when ``descendants``).
        year: only targets of this year.
        with_verdicts: attach each stock, rate or commune-count target's projection verdict.
        spans: the snapshot's flow totals over several months (contract version 3), if any.

    Returns:
        One :class:`TargetResult` per target, sorted by unit, year, metric and rule.
    """
    as_of = _default_as_of(facts, as_of)
    chosen = _select_targets(targets, geography, unit, year, descendants)
    if chosen.is_empty():
        return []
    units = chosen["unit_code"].unique().sort().to_list()
    # Projections look back over the trend window before the first target or the as_of year.
    first_year = min(chosen["year"].min(), as_of.year) - 1 - (TREND_YEARS if with_verdicts else 0)
    last_year = max(chosen["year"].max(), as_of.year)
    values = _collect_values(
        facts,
        status,
        geography,
        units,
        chosen["metric"].unique().to_list(),
        (first_year, last_year),
        as_of,
        spans,
    )
    verdicts: dict[tuple[str, str, str], str | None] = {}
    if with_verdicts:
        metrics = chosen["metric"].unique().to_list()
        groups = _goal_groups(
            targets.filter(pl.col("unit_code").is_in(units) & pl.col("metric").is_in(metrics))
        )
        for key, rows in groups.items():
            projection = _project_group(key, rows, values, geography, as_of)
            verdicts[key] = projection.verdict if projection else None
    results = []
    for row in chosen.iter_rows(named=True):
        results.append(_judge(row, values, geography, as_of, verdicts))
    return results


def _default_as_of(facts, as_of: dt.date | None) -> dt.date:
    """``as_of`` as the first of its month; by default the newest month in ``facts`` (a frame)."""
    if as_of is None:
        if facts.is_empty():
            raise ValueError("Không có số liệu: cần chỉ rõ tháng đánh giá (as_of)")
        as_of = facts.select(pl.col("period").max()).item()
    return _month_start(as_of)


def _select_targets(
    targets: pl.DataFrame, geography: Geography, unit: str | None, year: int | None, descendants: bool
) -> pl.DataFrame:
    chosen = targets
    if unit is not None:
        codes = [unit, *geography.descendants(unit)] if descendants else [unit]
        chosen = chosen.filter(pl.col("unit_code").is_in(codes))
    if year is not None:
        chosen = chosen.filter(pl.col("year") == year)
    return chosen.sort("unit_code", "year", "metric", "rule")


def _judge(row: dict, values: _Values, geography: Geography, as_of: dt.date, verdicts: dict) -> TargetResult:
    unit, year, metric, rule = row["unit_code"], int(row["year"]), row["metric"], row["rule"]
    target = to_fraction(row["value"])
    months = months_elapsed(year, as_of)
    partial = 0 < months < 12
    flow = metric in FLOW_INDICATORS
    actual = values.value(unit, metric, year) if months else None
    if partial and CATALOG[metric].kind != "status":
        previous = values.same_period_value(unit, metric)
    else:
        previous = values.value(unit, metric, year - 1) if months else None
    new: tuple[Commune, ...] = ()
    left: tuple[Commune, ...] = ()
    new_count = left_count = None
    category = STATUS_CATEGORY.get(metric)
    if category and months:
        now = values.members.get((unit, category, year))
        before = values.members.get((unit, category, year - 1))
        if now is not None and before is not None:
            new, left = _names(now - before, geography), _names(before - now, geography)
            new_count, left_count = len(new), len(left)
    met = rule_met(rule, target, actual, previous, new_count, left_count, points=CATALOG[metric].percent)
    if rule in LIST_RULES and category is None:
        met = None  # the rule needs communes in a category; the metric has none
    expected = on_pace = None
    if partial and flow and rule in ("at_least", "at_most") and actual is not None:
        expected = pro_rata(target, months)
        on_pace = actual >= expected if rule == "at_least" else actual <= expected
    verdict = verdicts.get((unit, metric, RULES[rule].direction)) if rule != "keep_all" else None
    status = decide_status(
        met, rule=rule, partial=partial, flow=flow, on_pace=on_pace, verdict=verdict if months == 0 else None
    )
    if rule in REDUCTION_RULES:
        change = reduction_pct(previous, actual)
    elif rule in INCREASE_RULES:
        change = increase(previous, actual, CATALOG[metric].percent)
    else:
        change = None
    result = TargetResult(
        unit_code=unit,
        unit_name=geography.name(unit) if geography.has(unit) else unit,
        year=year,
        metric=metric,
        metric_label=CATALOG[metric].label_vi,
        rule=rule,
        rule_label=rule_label(rule, target, metric),
        target=as_number(target),
        previous=as_number(previous),
        actual=as_number(actual),
        achievement_pct=round_half_up(achievement_pct(actual, target)) if rule in QUOTA_RULES else None,
        change_pct=round_half_up(change),
        met=met,
        status=status,
        partial=partial,
        months_elapsed=months,
        elapsed_share=round_half_up(Fraction(months * 100, 12)),
        expected_so_far=as_number(expected),
        on_pace=on_pace,
        new_communes=new,
        left_communes=left,
        verdict=verdict,
        note=row.get("note"),
    )
    return replace(result, explanation=explanation(result, "vi"))


def evaluate(
    view,
    *,
    unit: str | None = None,
    year: int | None = None,
    as_of: dt.date | None = None,
    descendants: bool = False,
) -> list[TargetResult]:
    """Judge a view's targets (``view.View``, see :func:`evaluate_frames`); ``as_of``: its last month."""
    return evaluate_frames(
        view.monthly,
        view.status,
        view.targets,
        view.geography,
        as_of=as_of or view.last_period,
        unit=unit,
        year=year,
        descendants=descendants,
        spans=None if view.spans.is_empty() else view.spans,
    )


def results_frame(results: Sequence[TargetResult]) -> pl.DataFrame:
    """The results as a table, one row per target (communes as ", "-joined names) for analysis or export.

    ``status`` and ``verdict`` hold the ids (``STATUSES``, ``VERDICTS``); ``display_table`` words them.
    """
    schema = {
        "unit_code": pl.String,
        "unit_name": pl.String,
        "year": pl.Int32,
        "metric": pl.String,
        "metric_label": pl.String,
        "rule": pl.String,
        "rule_label": pl.String,
        "target": pl.Float64,
        "previous": pl.Float64,
        "actual": pl.Float64,
        "achievement_pct": pl.Float64,
        "change_pct": pl.Float64,
        "met": pl.Boolean,
        "status": pl.String,
        "partial": pl.Boolean,
        "months_elapsed": pl.Int32,
        "elapsed_share": pl.Float64,
        "expected_so_far": pl.Float64,
        "on_pace": pl.Boolean,
        "new_communes": pl.String,
        "left_communes": pl.String,
        "verdict": pl.String,
        "note": pl.String,
        "explanation": pl.String,
    }
    rows = []
    for r in results:
        d = r.to_dict()
        d["new_communes"] = ", ".join(c.name for c in r.new_communes)
        d["left_communes"] = ", ".join(c.name for c in r.left_communes)
        rows.append(d)
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def hide_small_counts(
    results: Sequence[TargetResult], geography: Geography, threshold: int
) -> list[TargetResult]:
    """The results with communes' small counts of people hidden by ``access.suppress_small_counts``.

    A hidden actual or previous value becomes None with its label in ``actual_shown`` or
    ``previous_shown``; the achievement, the change and the explanation, which would give it
    away, go too.
    """
    if not results:
        return []
    frame = pl.DataFrame(
        {
            "unit_code": [r.unit_code for r in results],
            "indicator": [r.metric for r in results],
            "year": [r.year for r in results],
            "value": [r.actual for r in results],
            "previous": [r.previous for r in results],
        },
        schema={"unit_code": pl.String, "indicator": pl.String, "year": pl.Int64, "value": pl.Float64,
                "previous": pl.Float64},
    )  # fmt: skip
    out = suppress_small_counts(frame, geography, threshold)
    shown = {c: out[f"{c}_shown"].to_list() if f"{c}_shown" in out.columns else [None] * out.height
             for c in ("value", "previous")}  # fmt: skip
    hidden = []
    for r, actual, previous in zip(results, shown["value"], shown["previous"], strict=True):
        if actual is None and previous is None:
            hidden.append(r)
            continue
        hidden.append(
            replace(
                r,
                actual=None if actual else r.actual,
                previous=None if previous else r.previous,
                achievement_pct=None,
                change_pct=None,
                expected_so_far=None,
                on_pace=None,
                explanation=t("goals.explain.hidden", "vi"),
                actual_shown=actual,
                previous_shown=previous,
            )
        )
    return hidden


# The goals table's columns (ids; headers are ``goals.col.<id>`` in the string table).
TABLE_COLUMNS: tuple[str, ...] = (
    "unit", "year", "metric", "rule", "previous", "actual", "achievement", "status", "verdict", "note",
)  # fmt: skip
CHANGE_COLUMNS: tuple[str, ...] = ("unit", "year", "metric", "commune", "commune_code", "change", "effect")
# The Vietnamese headers, as exports and the CLI's users know them.
DISPLAY_COLUMNS: tuple[str, ...] = tuple(t(f"goals.col.{c}", "vi") for c in TABLE_COLUMNS)


def year_label(r: TargetResult, lang: str = "vi") -> str:
    """ "2022", or "2022 (9 tháng)" for a year in progress."""
    return t("goals.months", lang, year=r.year, months=r.months_elapsed) if r.partial else str(r.year)


def display_table(results: Sequence[TargetResult], lang: str = "vi") -> pl.DataFrame:
    """The goals table as the page shows it, headers and words in ``lang`` (``TABLE_COLUMNS``).

    "Đánh giá" is the status (colour it with ``theme.GOAL_STATUS_COLORS``), "Xu hướng" the
    verdict of the multi-year goal the target belongs to, "Ghi chú" the explanation.
    """
    rows = [
        [
            r.unit_name,
            year_label(r, lang),
            CATALOG[r.metric].label(lang) if lang != "vi" else r.metric_label,
            rule_label(r.rule, r.target, r.metric, lang) if lang != "vi" else r.rule_label,
            r.previous_shown or fmt_value(r.previous, r.metric, lang),
            r.actual_shown or fmt_value(r.actual, r.metric, lang),
            fmt_pct(r.achievement_pct, lang),
            status_label(r.status, lang),
            verdict_label(r.verdict, lang),
            explanation(r, lang) if lang != "vi" else r.explanation,
        ]
        for r in results
    ]
    headers = [t(f"goals.col.{c}", lang) for c in TABLE_COLUMNS]
    return pl.DataFrame(rows, schema=dict.fromkeys(headers, pl.String), orient="row")


def commune_change_rows(results: Sequence[TargetResult]) -> list[tuple[TargetResult, Commune, str, str]]:
    """The communes whose change made or broke a goal: (result, commune, change id, effect id).

    The change is ``ENTERED`` or ``LEFT``, ``RELAPSED`` for a healthy or drug-free commune that lost
    its status; the effect ``HELPFUL`` or ``HARMFUL`` for the goal. Only commune-count targets
    with a judgement appear; reduction targets on key or complex communes count new ones as
    harmful and those that left as helpful. One row per commune, unit, year and category.
    """
    rows = []
    seen: set[tuple[str, int, str, str]] = set()
    for r in results:
        category = STATUS_CATEGORY.get(r.metric)
        if category is None or r.met is None:
            continue
        wanted_up = category in ("healthy", "drug_free")
        for communes, entered in ((r.new_communes, True), (r.left_communes, False)):
            for commune in communes:
                key = (r.unit_code, r.year, category, commune.code)
                if key in seen:
                    continue  # keep_all and new_at_least on one metric name the same communes
                seen.add(key)
                change = ENTERED if entered else RELAPSED if wanted_up else LEFT
                rows.append((r, commune, change, HELPFUL if entered == wanted_up else HARMFUL))
    return rows


def commune_changes(results: Sequence[TargetResult], lang: str = "vi") -> pl.DataFrame:
    """``commune_change_rows`` as the page shows them, headers (``CHANGE_COLUMNS``) and words in ``lang``.

    In Vietnamese: Địa bàn, Năm, Chỉ số, Xã (name), Mã xã, Thay đổi ("mới vào danh sách", "ra
    khỏi danh sách", "tái phát"), Ảnh hưởng ("có lợi", "bất lợi").
    """
    rows = [
        [r.unit_name, r.year, CATALOG[r.metric].label(lang) if lang != "vi" else r.metric_label, commune.name,
         commune.code, t(f"goals.change.{change}", lang), t(f"goals.effect.{effect}", lang)]
        for r, commune, change, effect in commune_change_rows(results)
    ]  # fmt: skip
    columns = [t(f"goals.col.{c}", lang) for c in CHANGE_COLUMNS]
    schema = {c: pl.String for c in columns} | {columns[1]: pl.Int32}
    return pl.DataFrame(rows, schema=schema, orient="row")


# --- projections -------------------------------------------------------------------------


def _goal_groups(targets: pl.DataFrame) -> dict[tuple[str, str, str], list[dict]]:
    """Targets on stocks, rates and commune counts grouped by unit, metric and direction.

    Yearly flow quotas start again each year and make no trajectory, so they are left out, as
    are groups holding only ``keep_all`` (it sets no number).
    """
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for row in targets.sort("year").iter_rows(named=True):
        if row["metric"] in FLOW_INDICATORS or row["rule"] == "keep_all":
            continue
        groups.setdefault((row["unit_code"], row["metric"], RULES[row["rule"]].direction), []).append(row)
    return groups


def required_path(
    rows: Sequence[dict], baseline_year: int, baseline_value: Fraction, direction: str
) -> list[tuple[int, Fraction]]:
    """The value required each year from the baseline to the last target year.

    Each target year asks for: ``at_least``/``at_most``/``more_than`` v → v; ``new_at_least`` n →
    last year's required value + n; a reduction of p% → last year's required value × (1 − p/100);
    an increase of p → + p points on a share, × (1 + p/100) on a count.
    Several rules in one year: the strictest. Years without a target before an absolute target
    approach it in a straight line when the path is behind it (50% drug-free by 2030 from 40% in
    2025 → 42%, 44%, …) and sit at its level when the path is already there; before a relative
    target they carry the requirement forward.
    """
    by_year: dict[int, list[dict]] = {}
    for row in rows:
        by_year.setdefault(int(row["year"]), []).append(row)
    path: dict[int, Fraction] = {baseline_year: baseline_value}
    last_year, last_value = baseline_year, baseline_value
    stricter = max if direction == "up" else min
    for year in sorted(y for y in by_year if y > baseline_year):
        candidates = []
        absolute = None
        for row in by_year[year]:
            if row["rule"] in LEVEL_RULES:
                value = to_fraction(row["value"])
                absolute = value if absolute is None else stricter(absolute, value)
        behind = absolute is not None and (
            last_value < absolute if direction == "up" else last_value > absolute
        )
        for k, gap in enumerate(range(last_year + 1, year), start=1):
            if behind:
                path[gap] = last_value + (absolute - last_value) * k / (year - last_year)
            elif absolute is not None:
                path[gap] = absolute  # already there: the path is the target level itself
            else:
                path[gap] = last_value
        for row in by_year[year]:
            value = to_fraction(row["value"])
            if row["rule"] in LEVEL_RULES:
                candidates.append(value)
            elif row["rule"] == "new_at_least":
                candidates.append(path[year - 1] + value)
            elif row["rule"] in REDUCTION_RULES:
                candidates.append(path[year - 1] * (1 - value / 100))
            elif row["rule"] in INCREASE_RULES:
                points = CATALOG[row["metric"]].percent
                candidates.append(path[year - 1] + value if points else path[year - 1] * (1 + value / 100))
        need = stricter(candidates) if candidates else path[year - 1]
        path[year] = need
        last_year, last_value = year, need
    return sorted(path.items())


def linear_trend(points: Sequence[tuple[int, Fraction]]) -> tuple[Fraction, Fraction]:
    """Least-squares line through (year, value) points, exactly: (slope, value at year 0)."""
    n = len(points)
    if n == 0:
        raise ValueError("cần ít nhất một điểm số liệu")
    mean_x = Fraction(sum(x for x, _ in points), n)
    mean_y = sum((y for _, y in points), Fraction(0)) / n
    sxx = sum(((x - mean_x) ** 2 for x, _ in points), Fraction(0))
    if sxx == 0:
        return Fraction(0), mean_y
    slope = sum(((x - mean_x) * (y - mean_y) for x, y in points), Fraction(0)) / sxx
    return slope, mean_y - slope * mean_x


def project(
    points: Sequence[tuple[int, Fraction]], deadline: int, method: str
) -> tuple[str, list[tuple[int, Fraction]]]:
    """Extend the latest up-to-``TREND_YEARS`` points to ``deadline``.

    ``method`` "linear": the least-squares straight line through those points, started from the
    last actual value (so the projected line joins the actual one) and following the fitted
    slope. "compound": the average yearly rate of change between the first and last of those
    points, (last / first)^(1 / years) − 1, compounded from the last value — the natural reading
    of "reduce by X% a year". Compound falls back to linear when the first value is 0, and
    either falls back to "flat" (the last value held) with a single point.

    Returns the method actually used and (year, value) from the last point to the deadline.
    """
    window = sorted(points)[-TREND_YEARS:]
    last_year, last_value = window[-1]
    years = range(last_year, deadline + 1)
    if len(window) < 2:
        return "flat", [(y, last_value) for y in years]
    first_year, first_value = window[0]
    if method == "compound" and first_value > 0:
        if last_value == 0:
            return "compound", [(y, Fraction(0)) for y in years]
        rate = (float(last_value) / float(first_value)) ** (1 / (last_year - first_year))
        return "compound", [(y, last_value * to_fraction(rate ** (y - last_year))) for y in years]
    slope, _ = linear_trend(window)
    return "linear", [(y, max(Fraction(0), last_value + slope * (y - last_year))) for y in years]


def method_sentence(method: str, window: Sequence[int], deadline: int, lang: str = "vi") -> str:
    """How the projection was made (``goals.method.<method>``), for the page to show under the chart."""
    span = f"{window[0]}–{window[-1]}" if window else ""
    last = window[-1] if window else ""
    return t(f"goals.method.{method}", lang, n=len(window), span=span, last=last, deadline=deadline)


def verdict_sentence(goal: GoalProjection, lang: str = "vi") -> str:
    """The verdict with its numbers: "Dự báo năm 2030: 45,00%; yêu cầu ít nhất 50,00% — chệch hướng."."""
    points = goal.actual if goal.method == "actual" else goal.projected
    at_deadline = dict(points).get(goal.deadline)
    if at_deadline is None:
        return t("goals.verdict_text.missing", lang, year=goal.deadline)
    return t(
        f"goals.verdict_text.{'actual' if goal.method == 'actual' else 'projected'}",
        lang,
        year=goal.deadline,
        value=fmt_value(at_deadline, goal.metric, lang),
        bound=t(f"goals.bound.{goal.direction}", lang),
        need=fmt_value(goal.deadline_value, goal.metric, lang),
        verdict=verdict_label(goal.verdict, lang),
    )


def judge_trajectory(
    required: Sequence[tuple[int, Fraction]],
    actual: Sequence[tuple[int, Fraction]],
    projected: Sequence[tuple[int, Fraction]],
    deadline: int,
    direction: str,
    reached: bool = False,
) -> str | None:
    """The verdict of a multi-year goal.

    - Deadline reached (``reached``: there are data for the deadline year or later): "đúng tiến
      độ" when the deadline year's value meets the requirement, else "chệch hướng"; None when
      the deadline year itself has no value.
    - Otherwise, with ``need`` the required value at the deadline and ``shortfall`` how far the
      projected value falls short of it: "đúng tiến độ" when the projection meets ``need`` and
      the latest actual value meets the required path in its year; "có nguy cơ" when the
      projection meets ``need`` but the latest value is behind the path, or the shortfall is at
      most ``AT_RISK_TOLERANCE`` (10%) of the change asked for from the baseline to the
      deadline; "chệch hướng" when it falls short by more.

    Comparisons are not strict (a projection is not precise enough for "more than 3%").
    """
    if not actual:
        return None
    req = dict(required)
    need = req[deadline]

    def meets(value: Fraction, bound: Fraction) -> bool:
        return value >= bound if direction == "up" else value <= bound

    actual_by_year = dict(actual)
    if reached or deadline in actual_by_year:
        if deadline not in actual_by_year:
            return None
        return ON_TRACK if meets(actual_by_year[deadline], need) else OFF_TRACK
    last_year, last_value = max(actual)
    behind_now = last_year in req and not meets(last_value, req[last_year])
    at_deadline = dict(projected).get(deadline, last_value)
    if meets(at_deadline, need):
        return AT_RISK if behind_now else ON_TRACK
    shortfall = need - at_deadline if direction == "up" else at_deadline - need
    span = abs(need - required[0][1])
    return AT_RISK if shortfall <= AT_RISK_TOLERANCE * span else OFF_TRACK


def _project_group(
    key: tuple[str, str, str], rows: list[dict], values: _Values, geography: Geography, as_of: dt.date
) -> GoalProjection | None:
    unit, metric, direction = key
    first_target = min(int(r["year"]) for r in rows)
    years_with_data = [
        y
        for y in range(min(first_target - 1, as_of.year) - TREND_YEARS, as_of.year + 1)
        if values.value(unit, metric, y) is not None
    ]
    if not years_with_data:
        return None
    deadline = max(int(r["year"]) for r in rows)
    last_data = years_with_data[-1]
    # The baseline is the year before the first target, or the latest year with data when the
    # first target lies beyond it (a goal for 2030 is followed from where things stand now).
    baseline_year = min(first_target - 1, last_data)
    earlier = [y for y in years_with_data if y <= baseline_year]
    if not earlier:
        baseline_year = years_with_data[0]
    elif baseline_year not in years_with_data:
        baseline_year = earlier[-1]
    baseline_value = values.value(unit, metric, baseline_year)
    required = required_path(rows, baseline_year, baseline_value, direction)
    shown_from = min(baseline_year, last_data - TREND_YEARS + 1)
    actual = [(y, values.value(unit, metric, y)) for y in years_with_data if shown_from <= y <= deadline]
    rules = tuple(dict.fromkeys(r["rule"] for r in rows))
    if deadline <= last_data:
        method, projected = "actual", []
    else:
        wanted = "compound" if set(rules) <= REDUCTION_RULES else "linear"
        method, projected = project(actual, deadline, wanted)
    window = [y for y, _ in actual][-TREND_YEARS:]
    verdict = judge_trajectory(required, actual, projected, deadline, direction, reached=method == "actual")
    need = dict(required)[deadline]
    goal = GoalProjection(
        unit_code=unit,
        unit_name=geography.name(unit) if geography.has(unit) else unit,
        metric=metric,
        metric_label=CATALOG[metric].label_vi,
        direction=direction,
        rules=rules,
        baseline_year=baseline_year,
        baseline_value=as_number(baseline_value),
        deadline=deadline,
        deadline_value=float(need),
        required=tuple((y, float(v)) for y, v in required),
        actual=tuple((y, float(v)) for y, v in actual),
        projected=tuple((y, float(v)) for y, v in projected),
        method=method,
        method_text=method_sentence(method, window, deadline),
        verdict=verdict,
        verdict_text="",
    )
    return replace(goal, verdict_text=verdict_sentence(goal, "vi"))


def project_goals_frames(
    facts: pl.DataFrame,
    status: pl.DataFrame,
    targets: pl.DataFrame,
    geography: Geography,
    *,
    as_of: dt.date | None = None,
    unit: str | None = None,
    metric: str | None = None,
    descendants: bool = False,
) -> list[GoalProjection]:
    """The multi-year goals of the targets (see :class:`GoalProjection`), sorted by unit and metric.

    A goal is every target of one unit on one stock, rate or commune count with the same
    direction, across years: e.g. Điện Biên's yearly "reduce complex communes by more than 3%"
    from 2017 to 2025, or "50% drug-free communes" in 2030.
    """
    as_of = _default_as_of(facts, as_of)
    chosen = _select_targets(targets, geography, unit, None, descendants)
    if metric is not None:
        chosen = chosen.filter(pl.col("metric") == metric)
    groups = _goal_groups(chosen)
    if not groups:
        return []
    units = sorted({k[0] for k in groups})
    first = min(min(int(r["year"]) for rows in groups.values() for r in rows) - 1, as_of.year) - TREND_YEARS
    values = _collect_values(
        facts, status, geography, units, {k[1] for k in groups}, (first, as_of.year), as_of
    )
    out = []
    for key in sorted(groups):
        projection = _project_group(key, groups[key], values, geography, as_of)
        if projection is not None:
            out.append(projection)
    return out


def project_goals(
    view,
    *,
    unit: str | None = None,
    metric: str | None = None,
    as_of: dt.date | None = None,
    descendants: bool = False,
) -> list[GoalProjection]:
    """The multi-year goals of a view (``view.View``; see :func:`project_goals_frames`)."""
    return project_goals_frames(
        view.monthly,
        view.status,
        view.targets,
        view.geography,
        as_of=as_of or view.last_period,
        unit=unit,
        metric=metric,
        descendants=descendants,
    )
