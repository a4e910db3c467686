"""The version 2 demo snapshot: old units before July 2025, the 2025 units after, and no seam."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction

import numpy as np
import polars as pl
import pytest

from dashboard import demo, goals, query, reform, schema
from dashboard.catalog import (
    CATALOG,
    FLOW_INDICATORS,
    MONTHLY_INDICATORS,
    PARTS_OF_WHOLE,
    PARTS_OF_WHOLE_WARNED,
)
from dashboard.snapshot import load_snapshot, survey
from tests.support.data import (
    ACTUAL_ROWS,
    RULE_ROWS,
    assert_seed_target,
    seed_grain,
    status_year,
    unit_code,
)

REFORM = reform.REFORM_DATE
JUNE = dt.date(2025, 6, 1)
NEW_PROVINCES = sorted(demo.REFORM_PROVINCES)


@pytest.fixture(scope="module")
def geography_2025():
    return reform.geography_2025()


@pytest.fixture(scope="module")
def v2(reform_snapshot, geography):
    return load_snapshot(reform_snapshot, geography)


@pytest.fixture(scope="module")
def v1(newest_demo, geography):
    return load_snapshot(newest_demo, geography)


@pytest.fixture(scope="module")
def reform_data(newest_demo, geography) -> demo.ReformData:
    """The version 2 tables in memory, built from the newest version 1 snapshot as reform_dir's are."""
    return demo.build_reform(
        pl.read_parquet(newest_demo / "facts.parquet"),
        pl.read_parquet(newest_demo / "commune_status.parquet"),
        pl.read_parquet(newest_demo / "targets.parquet"),
        geography,
    )


@pytest.fixture(scope="module")
def before(v2) -> pl.DataFrame:
    return v2.facts.filter(pl.col("period") < REFORM)


@pytest.fixture(scope="module")
def after(v2) -> pl.DataFrame:
    return v2.facts.filter(pl.col("period") >= REFORM)


def old_communes(geography, provinces) -> list[str]:
    return sorted(c for p in provinces for c in geography.descendants(p, "commune"))


def new_communes(geography_2025, provinces=NEW_PROVINCES) -> list[str]:
    return sorted(c for p in provinces for c in geography_2025.descendants(p, "commune"))


# --- the snapshot and its structure by period ---------------------------------------------------


def test_reform_snapshot_is_a_valid_version_2_demo_snapshot(reform_dir, reform_snapshot, geography, v2):
    manifest = json.loads((reform_snapshot / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == 2
    assert manifest["structure_from"] == reform.STRUCTURE_FROM
    assert schema.manifest_structure_from(manifest) == REFORM
    assert manifest["demo"] is True
    assert manifest["as_of"] == demo.REFORM_SNAPSHOT[0]
    assert v2.last_period == demo.REFORM_SNAPSHOT[1]
    assert v2.stats.first_period == dt.date(demo.FIRST_YEAR, 1, 1)
    assert not [p for p in v2.warnings if p.severity == "error"]
    catalogue = survey(reform_dir, geography)
    assert catalogue.skipped == ()
    assert set(catalogue.valid) == {sid for sid, _ in demo.SNAPSHOTS} | {demo.REFORM_SNAPSHOT[0]}


def test_months_before_july_2025_use_old_codes_and_later_months_2025_codes(
    before, after, geography, geography_2025
):
    old_demo = old_communes(geography, [p for olds in demo.REFORM_PROVINCES.values() for p in olds])
    assert set(before["unit_code"].unique().to_list()) == set(old_demo)
    assert set(after["unit_code"].unique().to_list()) == set(new_communes(geography_2025))
    # Every code is a commune of the structure of its month (most codes exist in both, naming other places).
    assert all(geography.level(c) == "commune" for c in before["unit_code"].unique().to_list())
    assert all(geography_2025.level(c) == "commune" for c in after["unit_code"].unique().to_list())
    months = sorted(after["period"].unique().to_list())
    assert months == list(demo.NEW_MONTHS)
    assert months[0] == REFORM and months[-1] == demo.REFORM_SNAPSHOT[1]
    assert before["period"].max() == JUNE


def test_every_new_commune_has_every_indicator_in_every_month_from_july_2025(after, geography_2025):
    communes = new_communes(geography_2025)
    stored = MONTHLY_INDICATORS  # every indicator measured month by month (not reported commune counts)
    assert after.height == len(communes) * len(stored) * len(demo.NEW_MONTHS)
    assert after.select(pl.struct(schema.FACTS_KEY).is_unique().all()).item()
    assert set(after["indicator"].unique().to_list()) == stored
    # Phường Yên Sở is formed only from pieces of split communes whose default is elsewhere.
    assert "00340" in communes
    yen_so = after.filter((pl.col("unit_code") == "00340") & (pl.col("indicator") == "population"))
    assert yen_so.height == len(demo.NEW_MONTHS) and yen_so["value"].min() > 0


def test_old_months_are_exactly_the_newest_version_1_rows(before, v1, geography):
    old = v1.facts.filter(pl.col("period") < REFORM)
    same = before.join(old, on=list(schema.FACTS_KEY), how="inner", suffix="_v1")
    assert same.height == old.height
    assert same.filter(pl.col("value") != pl.col("value_v1")).is_empty()
    # The rest is the old Thành phố Đà Nẵng, every commune, indicator and month since 2015.
    extra = before.join(old, on=list(schema.FACTS_KEY), how="anti")
    da_nang = old_communes(geography, [demo.DA_NANG])
    assert set(extra["unit_code"].unique().to_list()) == set(da_nang)
    months = (JUNE.year - demo.FIRST_YEAR) * 12 + JUNE.month
    assert extra.height == len(da_nang) * len(MONTHLY_INDICATORS) * months


def test_old_da_nang_is_a_city_of_about_1_2_million(before, geography):
    da_nang = old_communes(geography, [demo.DA_NANG])
    june = before.filter(
        (pl.col("period") == JUNE)
        & pl.col("unit_code").is_in(da_nang)
        & (pl.col("indicator") == "population")
    )
    assert 1_000_000 < june["value"].sum() < 1_400_000


# --- seed figures still hold in the old months ----------------------------------------------------


@pytest.mark.parametrize("row", ACTUAL_ROWS, ids=[f"{r['indicator']}@{r['period']}" for r in ACTUAL_ROWS])
def test_seed_figures_still_hold_in_the_old_months(row, v2, before, geography):
    code = unit_code(geography, row)
    status = v2.status.filter(pl.col("year") < reform.FIRST_NEW_YEAR)
    indicator = row["indicator"]
    if CATALOG[indicator].kind == "status":
        year, grain = status_year(row["period"]), "year"
    else:
        grain, year = seed_grain(row["period"])
    assert dt.date(year, 12, 1) < REFORM
    out = query.summarize(
        query.from_facts(before, geography),
        status,
        geography,
        [code],
        [indicator],
        grain=grain,
        years=(year, year),
    )
    assert out["value"].to_list() == [float(row["value"])]


@pytest.mark.parametrize("row", RULE_ROWS, ids=[f"{r['indicator']}@{r['period']}" for r in RULE_ROWS])
def test_seed_targets_are_kept_and_ongoing_plans_run_on_in_the_new_units(row, v2, geography, geography_2025):
    code = unit_code(geography, row)
    first = int(row["period"][:4])
    last = demo.REFORM_SNAPSHOT[1].year if row["period"].endswith("+") else first
    for year in range(first, last + 1):
        unit = reform.resolve_unit(code, year, legacy=geography, new=geography_2025)
        if year >= reform.FIRST_NEW_YEAR:
            # A plan running on past the reform belongs to the unit of the same name in the new structure.
            assert unit.name == geography.name(code)
        assert_seed_target(v2.targets, row, code, year)


# --- no seam at the reform ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def province_totals(v2, geography, geography_2025) -> dict[tuple[str, str], pl.DataFrame]:
    """Monthly totals of each new province and indicator: its old provinces rolled up in the old
    tree until June 2025, itself in the 2025 tree from July (period, value)."""
    indicators = sorted(MONTHLY_INDICATORS)
    out = {}
    for province in NEW_PROVINCES:
        old = query.rollup_months(
            v2.facts.filter(pl.col("period") < REFORM), geography, demo.REFORM_PROVINCES[province], indicators
        )
        new = query.rollup_months(
            v2.facts.filter(pl.col("period") >= REFORM), geography_2025, [province], indicators
        )
        totals = pl.concat([old, new]).group_by("indicator", "period").agg(pl.col("value").sum())
        for (indicator,), part in totals.partition_by("indicator", as_dict=True).items():
            out[province, indicator] = part.select("period", "value").sort("period")
    return out


def seam_tolerance(series: pl.DataFrame, last: dt.date, months: int = 24) -> float:
    """The largest month-to-month change of the ``months`` months up to ``last``."""
    window = series.filter(pl.col("period") <= last).tail(months + 1)["value"].to_numpy()
    return float(np.abs(np.diff(window)).max())


@pytest.mark.parametrize("province", NEW_PROVINCES)
@pytest.mark.parametrize("indicator", ["addicts_managed", "drug_users", "voluntary_rehab_center"])
def test_no_jump_at_the_reform_or_where_the_series_is_continued(province, indicator, province_totals):
    series = province_totals[province, indicator]
    values = dict(series.iter_rows())
    assert (
        sorted(values)
        == [dt.date(y, m, 1) for y in range(demo.FIRST_YEAR, 2027) for m in range(1, 13)][: len(values)]
    )
    # July 2025 (new communes) against June 2025 (old communes), then January 2026 (the first
    # month continued past the generated history) against December 2025.
    for month, previous in ((REFORM, JUNE), (dt.date(2026, 1, 1), dt.date(2025, 12, 1))):
        tolerance = seam_tolerance(series, previous)
        assert tolerance > 0
        assert abs(values[month] - values[previous]) <= tolerance, (month, values[month], values[previous])
    if indicator in FLOW_INDICATORS:
        # A flow keeps its level: the new months' mean is within the range of the last year's months.
        last_year = series.filter(pl.col("period").is_between(dt.date(2024, 7, 1), JUNE))["value"]
        new_months = series.filter(pl.col("period") >= REFORM)["value"]
        assert last_year.min() <= new_months.mean() <= last_year.max()


@pytest.mark.parametrize("province", NEW_PROVINCES)
def test_every_indicator_runs_on_past_december_2025_at_its_own_pace(province, province_totals):
    """The months after the generated history: a stock's first step is an ordinary one (within
    four standard deviations of the last two years' steps), a flow keeps its level."""
    for indicator in sorted(MONTHLY_INDICATORS):
        series = province_totals[province, indicator]
        december = dt.date(2025, 12, 1)
        steps = np.diff(series.filter(pl.col("period") <= december).tail(25)["value"].to_numpy())
        values = dict(series.iter_rows())
        if indicator in FLOW_INDICATORS:
            last_year = series.filter(pl.col("period").is_between(dt.date(2025, 1, 1), december))["value"]
            ahead = series.filter(pl.col("period") > december)["value"]
            assert last_year.min() <= ahead.mean() <= last_year.max(), indicator
        else:
            step = values[dt.date(2026, 1, 1)] - values[december]
            assert abs(step - steps.mean()) <= 4 * steps.std() + 1, (
                indicator,
                step,
                steps.mean(),
                steps.std(),
            )


def test_no_person_is_lost_or_counted_twice(reform_data, after, geography, geography_2025):
    continued, pieces = reform_data.continued, reform_data.pieces
    # Each old commune's continued value is exactly what its pieces hold.
    given = pieces.group_by("old_commune_code", "period", "indicator").agg(pl.col("value").sum())
    check = continued.join(
        given.rename({"old_commune_code": "unit_code", "value": "given"}),
        on=["unit_code", "period", "indicator"],
        how="full",
        coalesce=True,
    )
    assert check.filter(pl.col("value") != pl.col("given")).is_empty()
    assert check.filter(pl.col("value").is_null() | pl.col("given").is_null()).is_empty()
    # Each new commune's value is exactly what its pieces bring.
    brought = pieces.group_by("new_commune_code", "period", "indicator").agg(pl.col("value").sum())
    joined = after.join(
        brought.rename({"new_commune_code": "unit_code", "value": "brought"}),
        on=["unit_code", "period", "indicator"],
        how="left",
    )
    reached = joined.filter(pl.col("brought").is_not_null())
    assert reached.filter(pl.col("value") != pl.col("brought")).is_empty()
    # Only a new commune no old commune reaches (Đặc khu Hoàng Sa: an island district without
    # communes) has nothing brought, and it reports zeros.
    unreached = joined.filter(pl.col("brought").is_null())
    assert unreached["value"].max() == 0
    crosswalk = reform.load_crosswalk()
    without = crosswalk.filter(
        pl.col("old_commune_code").is_null() & pl.col("new_province_code").is_in(NEW_PROVINCES)
    )
    assert set(unreached["unit_code"].unique().to_list()) == set(without["new_commune_code"].to_list())
    # So every new province's total is its old provinces' continued total, every month.
    old_province = dict(geography.communes.select("commune_code", "province_code").drop_nulls().iter_rows())
    new_province = dict(reform.province_map(crosswalk).iter_rows())
    parent_2025 = {c: geography_2025.parent(c) for c in new_communes(geography_2025)}
    left = continued.with_columns(
        pl.col("unit_code").replace_strict(old_province).replace_strict(new_province).alias("province")
    )
    right = after.with_columns(pl.col("unit_code").replace_strict(parent_2025).alias("province"))
    totals = [
        frame.group_by("province", "period", "indicator").agg(pl.col("value").sum())
        for frame in (left, right)
    ]
    both = totals[0].join(totals[1], on=["province", "period", "indicator"], how="full", coalesce=True)
    assert both.height == len(NEW_PROVINCES) * len(demo.NEW_MONTHS) * len(MONTHLY_INDICATORS)
    assert both.filter(pl.col("value") != pl.col("value_right")).is_empty()


def test_split_communes_are_divided_between_every_piece(reform_data):
    crosswalk = reform.load_crosswalk()
    pieces = reform_data.pieces.filter(
        (pl.col("indicator") == "population") & (pl.col("period") == REFORM)
    ).join(
        crosswalk.select("old_commune_code", "new_commune_code", "split"),
        on=["old_commune_code", "new_commune_code"],
    )
    split = pieces.filter(pl.col("split"))
    assert split.height > 0
    # Every piece of a split commune gets a share of its people, not only the default one.
    assert split["value"].min() > 0
    per_commune = split.group_by("old_commune_code").agg(
        pl.len().alias("n"), pl.col("value").max().alias("top")
    )
    total = split.group_by("old_commune_code").agg(pl.col("value").sum().alias("total"))
    shares = per_commune.join(total, on="old_commune_code")
    assert shares.filter(pl.col("top") >= pl.col("total")).is_empty()


def test_counts_are_whole_and_parts_never_exceed_their_whole_in_the_new_months(after):
    assert after["value"].min() >= 0
    assert after.filter(pl.col("value") != pl.col("value").round(0)).is_empty()
    wide = after.pivot(on="indicator", index=["period", "unit_code"], values="value")
    for parts, whole in PARTS_OF_WHOLE + PARTS_OF_WHOLE_WARNED:
        total = pl.sum_horizontal([pl.col(p) for p in parts])
        assert wide.filter(total > pl.col(whole)).is_empty(), (parts, whole)
    for part, (whole, earlier) in demo.SPLIT_WITHIN.items():
        total = pl.sum_horizontal([pl.col(p) for p in (*earlier, part)])
        assert wide.filter(total > pl.col(whole)).is_empty(), (part, whole)


def test_divide_keeps_every_unit_and_each_piece_within_its_weight():
    rng = np.random.default_rng(5)
    for _ in range(50):
        groups = int(rng.integers(1, 6))
        group = np.sort(rng.integers(0, groups, int(rng.integers(groups, 15))))
        group = np.concatenate([np.arange(groups), group])
        group.sort()
        weights = rng.integers(0, 20, (group.size, 3))
        room = np.zeros((groups, 3), dtype=np.int64)
        np.add.at(room, group, weights)
        values = np.floor(room * rng.random((groups, 3))).astype(np.int64)
        out = demo.divide(values, group, weights)
        added = np.zeros_like(values)
        np.add.at(added, group, out)
        assert (added == values).all()
        assert (out <= weights).all() and (out >= 0).all()


# --- classifications and targets ------------------------------------------------------------------


def test_lists_before_2025_name_old_communes_and_from_2025_new_ones(v2, geography, geography_2025):
    old = v2.status.filter(pl.col("year") < reform.FIRST_NEW_YEAR)
    new = v2.status.filter(pl.col("year") >= reform.FIRST_NEW_YEAR)
    old_codes = set(old_communes(geography, [p for olds in demo.REFORM_PROVINCES.values() for p in olds]))
    per_year = old.group_by("year").agg(pl.col("commune_code").n_unique().alias("n"), pl.len())
    assert per_year["year"].sort().to_list() == list(range(demo.FIRST_YEAR, reform.FIRST_NEW_YEAR))
    assert set(per_year["n"].to_list()) == set(per_year["len"].to_list()) == {len(old_codes)}
    assert set(old["commune_code"].to_list()) == old_codes
    codes = new_communes(geography_2025)
    for year in (2025, 2026):
        assert sorted(new.filter(pl.col("year") == year)["commune_code"].to_list()) == codes
    assert sorted(new["year"].unique().to_list()) == [2025, 2026]
    assert schema.check_status(old, old_codes) == []
    assert schema.check_status(new, set(codes)) == []
    healthy = v2.status.filter(pl.col("healthy"))
    assert healthy.filter(pl.col("complex") | (pl.col("drug_class") != "khong_ma_tuy")).is_empty()
    key = v2.status.filter(pl.col("drug_class").is_in(schema.KEY_CLASSES))
    assert key.filter(pl.col("healthy")).is_empty()


def test_2025_list_moves_on_from_the_converted_2024_list(v2):
    converted = reform.status_to_new_structure(v2.status.filter(pl.col("year") == reform.FIRST_NEW_YEAR - 1))
    rank = {name: i for i, name in enumerate(schema.DRUG_CLASSES)}
    pairs = converted.join(v2.status.filter(pl.col("year") == 2025), on="commune_code", suffix="_2025")
    assert pairs.height == converted.height
    steps = [rank[b] - rank[a] for a, b in pairs.select("drug_class", "drug_class_2025").rows()]
    # A class moves by at most one step, except to drug-free when the drug users are gone.
    for (_a, b), step in zip(pairs.select("drug_class", "drug_class_2025").rows(), steps, strict=True):
        assert abs(step) <= 1 or b == "khong_ma_tuy"
    assert 0 < sum(s != 0 for s in steps) < len(steps) / 2
    # Healthy in 2025 only if healthy in 2024 (converted) or newly recognised; most complex communes stay.
    complex_before = pairs.filter(pl.col("complex"))
    stayed = complex_before.filter(pl.col("complex_2025")).height
    assert complex_before.height / 2 < stayed <= complex_before.height


def year_end_figures(after: pl.DataFrame, year: int) -> pl.DataFrame:
    """One row per new commune: its figures at the end of ``year`` (October for 2026), wide."""
    month = max(m for m in demo.NEW_MONTHS if m.year == year)
    return (
        after.filter(pl.col("period") == month)
        .pivot(on="indicator", index="unit_code", values="value")
        .rename({"unit_code": "commune_code"})
    )


@pytest.mark.parametrize("year", [2025, 2026])
def test_lists_agree_with_the_figures(v2, after, year):
    """Drug-free: every commune without drug users, and only communes with no place of drug use that
    are neither key nor complex (the demo's recognition rule, ``demo._recognise``); healthy: drug-free
    and without a prostitution trade (no public hotspot, at most one sex worker under management)."""
    lists = v2.status.filter(pl.col("year") == year)
    joined = lists.join(year_end_figures(after, year), on="commune_code")
    assert joined.height == lists.height
    free = joined.filter(pl.col("drug_class") == "khong_ma_tuy")
    assert joined.filter((pl.col("drug_users") == 0) & (pl.col("drug_class") != "khong_ma_tuy")).is_empty()
    assert free.filter(
        (pl.col("drug_users") > 0) & ((pl.col("drug_hotspots") > 0) | pl.col("complex"))
    ).is_empty()
    healthy = joined.filter(pl.col("healthy"))
    assert healthy.filter(pl.col("drug_class") != "khong_ma_tuy").is_empty()
    assert healthy.filter(
        (pl.col("sex_workers_managed") > 1) | (pl.col("public_prostitution_hotspots") > 0)
    ).is_empty()


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize("province", NEW_PROVINCES)
def test_each_new_province_has_healthy_and_drug_free_communes(v2, geography_2025, province, year):
    """As a real province's list would: some communes recognised drug-free and some healthy, none of
    them key or complex (the merge rule alone left Hà Nội with no healthy commune)."""
    lists = v2.status.filter(
        (pl.col("year") == year)
        & pl.col("commune_code").is_in(geography_2025.descendants(province, "commune"))
    )
    free = lists.filter(pl.col("drug_class") == "khong_ma_tuy")
    healthy = lists.filter(pl.col("healthy"))
    assert free.height > 0 and healthy.height > 0, (free.height, healthy.height)
    # A minority, on the road to the 2030 goal of half of the communes.
    assert free.height < lists.height / 2
    both = healthy.filter(pl.col("complex") | pl.col("drug_class").is_in(schema.KEY_CLASSES))
    assert both.is_empty()
    assert schema.check_status(lists, set(lists["commune_code"].to_list())) == []


def test_recognition_takes_the_fewest_users_per_resident_among_communes_that_qualify():
    # Communes: a key one, a complex one, one with a drug den, three with drug problems only (users
    # per resident 5, 1 and 3 in 1.000), one without any user; a plan of 3 drug-free out of 7.
    codes = [f"0000{i}" for i in range(7)]
    graded = pl.DataFrame(
        {
            "year": [2025] * 7,
            "commune_code": codes,
            "drug_class": [
                "trong_diem_2",
                "co_te_nan",
                "co_te_nan",
                "co_te_nan",
                "co_te_nan",
                "co_te_nan",
                "khong_ma_tuy",
            ],  # fmt: skip
            "complex": [False, True, False, False, False, False, False],
            "healthy": [False] * 7,
        },
        schema=schema.STATUS_SCHEMA,
    )
    figures = {
        "drug_users": np.array([1, 1, 1, 5, 1, 3, 0]),
        "population": np.array([1000] * 7),
        "drug_hotspots": np.array([0, 0, 2, 0, 0, 0, 0]),
        "sex_workers_managed": np.array([0, 0, 0, 0, 1, 0, 2]),
        "public_prostitution_hotspots": np.array([0] * 7),
    }
    # Healthy last year: communes 4 and 6 (6 has since taken in two sex workers' trade).
    previous = graded.with_columns(pl.Series("healthy", [False, False, False, False, True, False, True]))
    out = demo._recognise(graded, previous, figures, np.random.default_rng(1), 3 / 7, 0.0)
    assert out["drug_class"].to_list() == ["trong_diem_2", "co_te_nan", "co_te_nan", "co_te_nan",
                                           "khong_ma_tuy", "khong_ma_tuy", "khong_ma_tuy"]  # fmt: skip
    assert out["healthy"].to_list() == [False, False, False, False, True, False, False]
    assert out.select("year", "commune_code", "complex").equals(
        graded.select("year", "commune_code", "complex")
    )
    # A drug-free commune keeps it while it qualifies: the plan share is a floor, not a quota.
    again = demo._recognise(graded, out, figures, np.random.default_rng(2), 0.0, 0.0)
    assert again["drug_class"].to_list() == out["drug_class"].to_list()


def complex_counts(v2, geography_2025, province: str) -> tuple[int, int]:
    codes = geography_2025.descendants(province, "commune")
    mine = v2.status.filter(pl.col("commune_code").is_in(codes) & pl.col("complex"))
    return tuple(mine.filter(pl.col("year") == y).height for y in (2025, 2026))


def test_complex_commune_targets_of_2026_are_met_somewhere_and_missed_elsewhere(v2, geography_2025):
    targets = v2.targets.filter(
        (pl.col("year") == 2026)
        & (pl.col("metric") == "complex_communes")
        & (pl.col("rule") == "reduce_more_than_pct")
    )
    assert demo.DA_NANG in targets["unit_code"].to_list()
    verdicts = {}
    for province, value in targets.select("unit_code", "value").rows():
        previous, actual = complex_counts(v2, geography_2025, province)
        verdicts[province] = goals.rule_met(
            "reduce_more_than_pct", Fraction(value), Fraction(actual), Fraction(previous)
        )
    assert verdicts[demo.DA_NANG] is True
    assert False in verdicts.values()


def test_targets_from_2025_are_keyed_to_new_units(v2, v1, geography, geography_2025):
    old = v2.targets.filter(pl.col("year") < reform.FIRST_NEW_YEAR)
    new = v2.targets.filter(pl.col("year") >= reform.FIRST_NEW_YEAR)
    old_units = set(geography.units["unit_code"].to_list()) | {"VN"}
    new_units = set(geography_2025.units["unit_code"].to_list()) | {"VN"}
    assert schema.check_targets(old, old_units) == []
    assert schema.check_targets(new, new_units) == []
    # Before 2025: version 1's targets, and the old Đà Nẵng's district quotas.
    v1_old = v1.targets.filter(pl.col("year") < reform.FIRST_NEW_YEAR)
    assert v1_old.join(old, on=list(schema.TARGETS_KEY), how="anti").is_empty()
    extra = old.join(v1_old, on=list(schema.TARGETS_KEY), how="anti")
    assert {geography.parent(u) for u in extra["unit_code"].unique().to_list()} == {demo.DA_NANG}
    # From 2025: the new provinces only (no districts any more).
    assert set(new["unit_code"].unique().to_list()) == set(NEW_PROVINCES)
    for year in (2025, 2026):
        for province in NEW_PROVINCES:
            quotas = new.filter(
                (pl.col("year") == year) & (pl.col("unit_code") == province) & (pl.col("rule") == "at_least")
            )
            assert set(demo.QUOTA_METRICS) <= set(quotas["metric"].to_list()), (year, province)
        healthy = new.filter((pl.col("year") == year) & (pl.col("metric") == "healthy_communes"))
        assert {demo.DA_NANG, demo.DIEN_BIEN} <= set(
            healthy.filter(pl.col("rule") == "new_at_least")["unit_code"].to_list()
        )
    goals_2030 = new.filter((pl.col("year") == 2030) & (pl.col("metric") == "drug_free_share"))
    assert sorted(goals_2030["unit_code"].to_list()) == NEW_PROVINCES


def test_2025_district_quotas_are_restated_for_the_new_province(v2, v1, geography):
    """Hà Nội and Điện Biên kept their borders: their 2025 quota is the sum of their old districts'."""
    for province in (demo.HANOI, demo.DIEN_BIEN):
        districts = geography.units_at("district", province)["unit_code"].to_list()
        for metric in demo.QUOTA_METRICS:
            assigned = v1.targets.filter(
                (pl.col("year") == 2025) & (pl.col("metric") == metric) & pl.col("unit_code").is_in(districts)
            )["value"].sum()
            restated = v2.targets.filter(
                (pl.col("year") == 2025) & (pl.col("metric") == metric) & (pl.col("unit_code") == province)
            )["value"]
            assert restated.to_list() == [assigned]
    # Đà Nẵng's also holds Quảng Nam's.
    quang_nam = geography.units_at("district", demo.QUANG_NAM)["unit_code"].to_list()
    for metric in demo.QUOTA_METRICS:
        assigned = v1.targets.filter(
            (pl.col("year") == 2025) & (pl.col("metric") == metric) & pl.col("unit_code").is_in(quang_nam)
        )["value"].sum()
        restated = v2.targets.filter(
            (pl.col("year") == 2025) & (pl.col("metric") == metric) & (pl.col("unit_code") == demo.DA_NANG)
        )["value"].item()
        assert restated > assigned


# --- determinism ---------------------------------------------------------------------------------


def test_write_demo_gives_the_same_bytes_as_the_fixtures(tmp_path, geography, demo_dir, reform_snapshot):
    """Same seed, same bytes: the version 1 snapshots do not change with the reform one beside them,
    and the reform snapshot built in memory is the one built from the version 1 files."""
    written = demo.write_demo(tmp_path, geography)
    assert [p.name for p in written] == [sid for sid, _ in demo.SNAPSHOTS] + [demo.REFORM_SNAPSHOT[0]]
    for sid, _ in demo.SNAPSHOTS:
        for path in sorted((tmp_path / sid).iterdir()):
            assert path.read_bytes() == (demo_dir / "snapshots" / sid / path.name).read_bytes(), (
                sid,
                path.name,
            )
    for path in sorted((tmp_path / demo.REFORM_SNAPSHOT[0]).iterdir()):
        assert path.read_bytes() == (reform_snapshot / path.name).read_bytes(), path.name
