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
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import polars as pl

from dashboard import query
from dashboard.access import suppress_small_counts
from dashboard.catalog import CATALOG, FLOW_INDICATORS, REPORTED_COUNTS
from dashboard.formatting import fmt_number, fmt_pct
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.i18n import t
from dashboard.schema import KEY_CLASSES

# The four statuses a judged target can have, as users read them.
MET = "đạt"
NOT_MET = "chưa đạt"
AT_RISK = "có nguy cơ"
NO_DATA = "không đủ số liệu"
STATUSES: tuple[str, ...] = (MET, NOT_MET, AT_RISK, NO_DATA)

# The three verdicts of a projection.
ON_TRACK = "đúng tiến độ"
OFF_TRACK = "chệch hướng"
VERDICTS: tuple[str, ...] = (ON_TRACK, AT_RISK, OFF_TRACK)

# A projection that misses the deadline requirement by at most this share of the change the
# goal asks for (from the baseline to the deadline) is "at risk" rather than "off track".
AT_RISK_TOLERANCE = Fraction(1, 10)
# How many of the latest years of actual values the trend is fitted on.
TREND_YEARS = 5

RULE_LABELS: dict[str, str] = {
    "at_least": "Đạt ít nhất {value}",
    "at_most": "Không vượt quá {value}",
    "more_than": "Trên {value}",
    "increase_at_least_pct": "Tăng từ {value} trở lên so với năm trước",
    "increase_more_than_pct": "Tăng trên {value} so với năm trước",
    "reduce_more_than_pct": "Giảm trên {value}% so với năm trước",
    "reduce_at_least_pct": "Giảm từ {value}% trở lên so với năm trước",
    "new_at_least": "Thêm mới ít nhất {value} xã",
    "keep_all": "Giữ vững toàn bộ, không để tái phát",
}
QUOTA_RULES = frozenset({"at_least"})
REDUCTION_RULES = frozenset({"reduce_more_than_pct", "reduce_at_least_pct"})
# A yearly increase: relative (%) on a count, in percentage points on a share (unit "%"): "tăng
# tối thiểu 15% mỗi năm" on the share of drug-free communes means 15 more points each year.
INCREASE_RULES = frozenset({"increase_at_least_pct", "increase_more_than_pct"})
# Rules that are met only strictly beyond their value ("trên X%": exactly X is not enough).
STRICT_RULES = frozenset({"more_than", "reduce_more_than_pct", "increase_more_than_pct"})
# Rules on the level itself (not on a change against the year before).
LEVEL_RULES = frozenset({"at_least", "at_most", "more_than"})
LIST_RULES = frozenset({"new_at_least", "keep_all"})

# The commune category behind each status metric (data contract: commune_status.parquet).
STATUS_CATEGORY: dict[str, str] = {
    "healthy_communes": "healthy",
    "complex_communes": "complex",
    "key_communes": "key",
    "drug_free_communes": "drug_free",
    "drug_free_share": "drug_free",
    "drug_problem_communes": "drug_problem",
}
CATEGORY_LABELS: dict[str, str] = {
    "healthy": "xã lành mạnh",
    "complex": "xã phức tạp",
    "key": "xã trọng điểm",
    "drug_free": "xã không ma túy",
    "drug_problem": "xã có tệ nạn ma túy",
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


def is_share(metric: str) -> bool:
    """Whether a metric is a percentage (a rate or a share of communes): its changes are in points."""
    return CATALOG[metric].unit_vi == "%"


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
    if rule == "at_least":
        return None if actual is None else actual >= target
    if rule == "more_than":
        return None if actual is None else actual > target
    if rule == "at_most":
        return None if actual is None else actual <= target
    if rule in REDUCTION_RULES:
        if actual is None or previous is None:
            return None
        if previous == 0:
            return actual == 0
        # Cross-multiplied so that no division happens: (prev − actual) × 100 vs value × prev.
        drop, need = (previous - actual) * 100, target * previous
        return drop > need if rule == "reduce_more_than_pct" else drop >= need
    if rule in INCREASE_RULES:
        if actual is None or previous is None:
            return None
        if points:
            gain, need = actual - previous, target
        elif previous == 0:
            return actual > 0 or (actual == 0 and target == 0 and rule == "increase_at_least_pct")
        else:
            gain, need = (actual - previous) * 100, target * previous
        return gain > need if rule in STRICT_RULES else gain >= need
    if rule == "new_at_least":
        return None if new_count is None else new_count >= target
    if rule == "keep_all":
        return None if left_count is None else left_count == 0
    raise ValueError(f"Quy tắc đánh giá không hợp lệ: {rule!r}")


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

    - No data: "có nguy cơ" when a projection says the goal is at risk or off track, otherwise
      "không đủ số liệu".
    - A complete year: "đạt" or "chưa đạt".
    - A year in progress: a flow quota ("at_least" on a flow) is "đạt" once reached or while on
      pro-rata pace, else "có nguy cơ"; a flow ceiling already passed is "chưa đạt" (events
      cannot be undone), above the pro-rata pace "có nguy cơ", else "đạt"; any other rule is
      "đạt" when it holds on the figures so far, else "có nguy cơ".
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
        rule, rule_label: the rule id and its Vietnamese wording.
        target: the number in the rule (ignored by ``keep_all``).
        previous: the metric over the year before (for a year in progress, over the same months
            of the year before: *cùng kỳ*); None when unknown.
        actual: the metric over the year, or the months reported so far; None when unknown.
        achievement_pct: actual / target × 100 for ``at_least`` (quota) targets, else None.
        change_pct: the reduction achieved, (previous − actual) / previous × 100, for reduction
            rules when previous > 0; for increase rules the increase (``increase``: percentage
            points on a share, relative % on a count); else None.
        met: whether the rule holds on the figures (so far); None when data are missing.
        status: one of ``STATUSES`` (see :func:`decide_status`).
        partial: True for a year still in progress at ``as_of``.
        months_elapsed: months of the year reported (12 for a past year, 0 for a future one).
        elapsed_share: months_elapsed / 12 in percent (75.0 after 9 months).
        expected_so_far: for a flow quota or ceiling in a year in progress, the pro-rata part of
            the annual value (24 of 32 after 9 months), else None.
        on_pace: actual ≥ expected_so_far for a quota, ≤ for a ceiling; None when not relevant.
        new_communes: for status metrics, communes in the category this year and not the year before.
        left_communes: for status metrics, communes in the category the year before and not this
            year; for ``keep_all`` on healthy or drug-free communes these are the relapsed ones.
        verdict: the projection verdict of the multi-year goal the target belongs to (stocks,
            rates and commune counts), else None.
        note: the document that set the target (from targets.parquet).
        explanation: one Vietnamese sentence saying how the judgement was reached.
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
        method_text: how the projection was made, in Vietnamese, for the page to show.
        verdict: one of ``VERDICTS``; None when there are no actual values.
        verdict_text: the verdict with its numbers, in Vietnamese.
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


def _fmt(value: Fraction | None, metric: str) -> str:
    if value is None:
        return "–"
    if CATALOG[metric].unit_vi == "%":
        return fmt_pct(round_half_up(value, 2))
    return fmt_number(round_half_up(value, 2), decimals=0 if value.denominator == 1 else 2)


def _pct(value: Fraction | None) -> str:
    return fmt_pct(round_half_up(value, 2))


def _fmt_points(value: Fraction) -> str:
    """Percentage points, as reports write them ("15 điểm phần trăm")."""
    return (
        f"{fmt_number(round_half_up(value, 2), decimals=0 if value.denominator == 1 else 2)} điểm phần trăm"
    )


def _rule_label(rule: str, target: Fraction, metric: str) -> str:
    shown = fmt_number(round_half_up(target, 2), decimals=0 if target.denominator == 1 else 2)
    if rule == "new_at_least":
        return f"Thêm mới ít nhất {shown} {CATEGORY_LABELS.get(STATUS_CATEGORY.get(metric, ''), 'đơn vị')}"
    if rule in LEVEL_RULES and is_share(metric):
        shown += "%"
    if rule in INCREASE_RULES:
        shown += " điểm phần trăm" if is_share(metric) else "%"
    return RULE_LABELS[rule].format(value=shown)


def _names(codes: Iterable[str], geography: Geography) -> tuple[Commune, ...]:
    return tuple(Commune(c, geography.name(c) if geography.has(c) else c) for c in sorted(codes))


def _explain(
    rule: str,
    metric: str,
    target: Fraction,
    actual: Fraction | None,
    previous: Fraction | None,
    year: int,
    months: int,
    partial: bool,
    expected: Fraction | None,
    on_pace: bool | None,
    new: tuple[Commune, ...],
    left: tuple[Commune, ...],
    met: bool | None,
) -> str:
    """One sentence saying how the target was judged, in Vietnamese."""
    when = f"Sau {months} tháng năm {year}" if partial else f"Năm {year}"
    if months == 0:
        return f"Chưa có số liệu năm {year}."
    if rule in LIST_RULES:
        if met is None:
            return f"{when}: chưa có phân loại xã của năm {year} hoặc năm {year - 1}."
        names = ", ".join(c.name for c in (new if rule == "new_at_least" else left)) or "không có"
        if rule == "new_at_least":
            return f"{when}: {len(new)} xã mới (yêu cầu ít nhất {fmt_number(target)}): {names}."
        if not left:
            return f"{when}: giữ vững toàn bộ các xã của năm {year - 1}, không xã nào tái phát."
        return f"{when}: {len(left)} xã không giữ được so với năm {year - 1}: {names}."
    if actual is None:
        return f"{when}: không đủ số liệu để đánh giá."
    if rule in REDUCTION_RULES:
        if previous is None:
            return f"{when}: {_fmt(actual, metric)}; không có số liệu năm {year - 1} để so sánh."
        same = " (cùng kỳ)" if partial else ""
        if previous == 0:
            return (
                f"{when}: năm {year - 1}{same} là 0, năm nay {_fmt(actual, metric)}"
                f" — {'vẫn giữ ở 0' if actual == 0 else 'tăng từ 0'}."
            )
        change = reduction_pct(previous, actual)
        word = "giảm" if change >= 0 else "tăng"
        need = "trên" if rule == "reduce_more_than_pct" else "từ"
        tail = "" if rule == "reduce_more_than_pct" else " trở lên"
        return (
            f"{when}: từ {_fmt(previous, metric)} (năm {year - 1}{same}) còn {_fmt(actual, metric)},"
            f" {word} {_pct(abs(change))}; yêu cầu giảm {need} {_pct(target)}{tail}."
        )
    if rule in INCREASE_RULES:
        if previous is None:
            return f"{when}: {_fmt(actual, metric)}; không có số liệu năm {year - 1} để so sánh."
        same = " (cùng kỳ)" if partial else ""
        points = is_share(metric)
        gain = increase(previous, actual, points)
        need = "trên" if rule in STRICT_RULES else "từ"
        tail = "" if rule in STRICT_RULES else " trở lên"
        wanted = f"{_fmt_points(target)}" if points else _pct(target)
        if gain is None:
            return (
                f"{when}: năm {year - 1}{same} là 0, năm nay {_fmt(actual, metric)};"
                f" yêu cầu tăng {need} {wanted}{tail}."
            )
        word = "tăng" if gain >= 0 else "giảm"
        moved = _fmt_points(abs(gain)) if points else _pct(abs(gain))
        return (
            f"{when}: từ {_fmt(previous, metric)} (năm {year - 1}{same}) lên {_fmt(actual, metric)},"
            f" {word} {moved}; yêu cầu tăng {need} {wanted}{tail}."
        )
    text = f"{when}: thực hiện {_fmt(actual, metric)} so với chỉ tiêu {_fmt(target, metric)}"
    if rule == "more_than":
        text += " (yêu cầu trên mức này)"
    if rule == "at_least" and target > 0:
        text += f", đạt {_pct(achievement_pct(actual, target))}"
    if expected is not None:
        share = fmt_pct(months * 100 / 12, decimals=0)
        if rule == "at_least":
            pace = "đúng tiến độ" if on_pace else "chậm tiến độ"
        else:
            pace = "trong giới hạn theo tiến độ" if on_pace else "vượt mức theo tiến độ"
        text += f"; theo tiến độ ({share} năm) cần {_fmt(expected, metric)} — {pace}"
    return text + "."


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
    met = rule_met(rule, target, actual, previous, new_count, left_count, points=is_share(metric))
    if rule in LIST_RULES and category is None:
        met = None  # the rule needs communes in a category; the metric has none
    expected = on_pace = None
    if partial and flow and rule in ("at_least", "at_most") and actual is not None:
        expected = pro_rata(target, months)
        on_pace = actual >= expected if rule == "at_least" else actual <= expected
    verdict = verdicts.get((unit, metric, _direction(rule))) if rule != "keep_all" else None
    status = decide_status(
        met, rule=rule, partial=partial, flow=flow, on_pace=on_pace, verdict=verdict if months == 0 else None
    )
    if rule in REDUCTION_RULES:
        change = reduction_pct(previous, actual)
    elif rule in INCREASE_RULES:
        change = increase(previous, actual, is_share(metric))
    else:
        change = None
    explanation = _explain(
        rule, metric, target, actual, previous, year, months, partial, expected, on_pace, new, left, met
    )
    if months == 0 and verdict is not None:
        explanation += f" Dự báo: {verdict}."
    return TargetResult(
        unit_code=unit,
        unit_name=geography.name(unit) if geography.has(unit) else unit,
        year=year,
        metric=metric,
        metric_label=CATALOG[metric].label_vi,
        rule=rule,
        rule_label=_rule_label(rule, target, metric),
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
        explanation=explanation,
    )


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
    """The results as a table, one row per target (communes as ", "-joined names) for display or export."""
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


def format_value(value: float | None, metric: str) -> str:
    """A value of ``metric`` as users read it: 1.456 people, 56,25, or 118,75% for a percentage."""
    if value is None:
        return fmt_number(None)
    if CATALOG[metric].unit_vi == "%":
        return fmt_pct(value)
    return fmt_number(value, decimals=0 if float(value).is_integer() else 2)


DISPLAY_COLUMNS: tuple[str, ...] = (
    "Địa bàn", "Năm", "Chỉ số", "Chỉ tiêu", "Năm trước", "Thực hiện", "Tỷ lệ đạt", "Đánh giá",
    "Xu hướng", "Ghi chú",
)  # fmt: skip


def display_table(results: Sequence[TargetResult]) -> pl.DataFrame:
    """The goals table as the page shows it: Vietnamese headers (``DISPLAY_COLUMNS``) and number formats.

    "Đánh giá" is the status (colour it with ``goal_charts.STATUS_COLORS``), "Xu hướng" the
    verdict of the multi-year goal the target belongs to, "Ghi chú" the explanation.
    """
    rows = [
        [
            r.unit_name,
            str(r.year) + (f" ({r.months_elapsed} tháng)" if r.partial else ""),
            r.metric_label,
            r.rule_label,
            r.previous_shown or format_value(r.previous, r.metric),
            r.actual_shown or format_value(r.actual, r.metric),
            fmt_pct(r.achievement_pct),
            r.status,
            r.verdict or "",
            r.explanation,
        ]
        for r in results
    ]
    return pl.DataFrame(rows, schema=dict.fromkeys(DISPLAY_COLUMNS, pl.String), orient="row")


def commune_changes(results: Sequence[TargetResult]) -> pl.DataFrame:
    """The communes whose change made or broke a goal, one row per commune and target.

    Columns (Vietnamese headers, as the page shows them): Địa bàn, Năm, Chỉ số, Xã (name),
    Mã xã, Thay đổi ("mới vào danh sách" or "ra khỏi danh sách"; "tái phát" for a healthy or
    drug-free commune that lost its status), Ảnh hưởng ("có lợi" or "bất lợi" for the goal).
    Only commune-count targets with a judgement appear; reduction targets on key or complex
    communes count new ones as harmful and those that left as helpful.
    """
    columns = ["Địa bàn", "Năm", "Chỉ số", "Xã", "Mã xã", "Thay đổi", "Ảnh hưởng"]
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
                change = "mới vào danh sách" if entered else "tái phát" if wanted_up else "ra khỏi danh sách"
                helpful = entered == wanted_up
                rows.append(
                    [r.unit_name, r.year, r.metric_label, commune.name, commune.code, change,
                     "có lợi" if helpful else "bất lợi"]
                )  # fmt: skip
    schema = {c: pl.String for c in columns} | {"Năm": pl.Int32}
    return pl.DataFrame(rows, schema=schema, orient="row")


# --- projections -------------------------------------------------------------------------


def _direction(rule: str) -> str:
    return "down" if rule in REDUCTION_RULES or rule == "at_most" else "up"


def _goal_groups(targets: pl.DataFrame) -> dict[tuple[str, str, str], list[dict]]:
    """Targets on stocks, rates and commune counts grouped by unit, metric and direction.

    Yearly flow quotas start again each year and make no trajectory, so they are left out, as
    are groups holding only ``keep_all`` (it sets no number).
    """
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for row in targets.sort("year").iter_rows(named=True):
        if row["metric"] in FLOW_INDICATORS or row["rule"] == "keep_all":
            continue
        groups.setdefault((row["unit_code"], row["metric"], _direction(row["rule"])), []).append(row)
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
                grown = (
                    path[year - 1] + value if is_share(row["metric"]) else path[year - 1] * (1 + value / 100)
                )
                candidates.append(grown)
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


def method_sentence(method: str, window: Sequence[int], deadline: int) -> str:
    """How the projection was made, in Vietnamese, for the page to show under the chart."""
    span = f"{window[0]}–{window[-1]}" if window else ""
    if method == "linear":
        return (
            f"Dự báo theo xu hướng tuyến tính (bình phương nhỏ nhất) của {len(window)} năm gần nhất"
            f" ({span}), kéo dài từ số liệu năm {window[-1]} đến năm {deadline}."
        )
    if method == "compound":
        return (
            f"Dự báo theo tốc độ thay đổi bình quân hằng năm (lũy kế) của {len(window)} năm gần nhất"
            f" ({span}), kéo dài từ số liệu năm {window[-1]} đến năm {deadline}."
        )
    if method == "flat":
        return f"Chỉ có số liệu năm {span}: dự báo giữ nguyên mức này đến năm {deadline}."
    return f"Đã đến năm {deadline}: đánh giá theo số liệu thực tế, không cần dự báo."


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
    at_deadline = dict(actual).get(deadline) if method == "actual" else dict(projected).get(deadline)
    verdict_text = (
        f"{'Thực tế' if method == 'actual' else 'Dự báo'} năm {deadline}: {_fmt(at_deadline, metric)};"
        f" yêu cầu {'ít nhất' if direction == 'up' else 'không quá'} {_fmt(need, metric)} — {verdict}."
        if at_deadline is not None
        else f"Chưa đủ số liệu năm {deadline}."
    )
    return GoalProjection(
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
        verdict_text=verdict_text,
    )


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
