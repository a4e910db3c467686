"""Who may see what: Access, the scoped data path (query core, goals, map, exports), config, small counts."""

from __future__ import annotations

import ast
import datetime as dt
import io
from pathlib import Path

import docx
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from pptx import Presentation

from dashboard import goals, importing, maps, meeting, reform, report, slides, structure, tables
from dashboard.access import (
    DATA_MANAGER,
    FULL_ACCESS,
    LEGACY,
    NEW,
    PERSON_INDICATORS,
    VIEWER,
    Access,
    AccessConfigError,
    ScopedView,
    SignInThrottle,
    changes_outside,
    names_outside,
    parse_config,
    scope_geography,
    suppress_small_counts,
)
from dashboard.snapshot import load_snapshot

ROOT = Path(__file__).resolve().parents[2]
HOANG_MAI, NAM_TU_LIEM, HA_NOI, QUANG_NAM = "008", "019", "01", "49"
HOANG_MAI_VIEWER = Access(VIEWER, (HOANG_MAI,))
INDICATORS = ["addicts_managed", "compulsory_rehab", "trafficking_victims_returned", "hiv_prevalence"]


@pytest.fixture(scope="module")
def snap(demo_snapshots):
    return demo_snapshots["2025-12-31"]


@pytest.fixture(scope="module")
def scoped(snap, geography):
    return snap.restricted(HOANG_MAI_VIEWER, geography)


@pytest.mark.parametrize(
    "units,code,expected",
    [
        ((HOANG_MAI,), HOANG_MAI, True),
        ((HOANG_MAI,), "00301", True),  # Phường Thanh Trì, a ward of Hoàng Mai
        ((HOANG_MAI,), NAM_TU_LIEM, False),
        ((HOANG_MAI,), "00610", False),  # a ward of Nam Từ Liêm
        ((HOANG_MAI,), HA_NOI, False),  # the province above: not a unit of theirs
        ((HOANG_MAI,), "VN", False),
        ((HOANG_MAI,), "nonsense", False),
        ((HA_NOI,), NAM_TU_LIEM, True),
        ((HA_NOI,), QUANG_NAM, False),
        (("00301",), HOANG_MAI, False),
        (("00301",), "00301", True),
        (("VN",), QUANG_NAM, True),
        ((HOANG_MAI, "49"), "49", True),
    ],
)
def test_allows_a_unit_and_what_is_below_it(geography, units, code, expected):
    assert Access(VIEWER, units).allows(code, geography) is expected


def test_clip_denied_and_the_units_to_pick(geography):
    assert HOANG_MAI_VIEWER.clip([NAM_TU_LIEM, HOANG_MAI, HA_NOI], geography) == [HOANG_MAI]
    assert HOANG_MAI_VIEWER.denied([NAM_TU_LIEM, HOANG_MAI, HA_NOI], geography) == [NAM_TU_LIEM, HA_NOI]
    assert HOANG_MAI_VIEWER.touches(HA_NOI, geography)  # the province holds their district
    assert not HOANG_MAI_VIEWER.touches(QUANG_NAM, geography)
    assert Access(VIEWER, ("00301",)).units_within(HOANG_MAI, geography) == ["00301"]
    assert FULL_ACCESS.whole_country and FULL_ACCESS.can_import
    assert not HOANG_MAI_VIEWER.can_import


def test_full_access_is_the_snapshot_itself(snap, geography):
    assert snap.restricted(FULL_ACCESS, geography).snapshot is snap  # the whole view, not a copy
    assert isinstance(snap.restricted(HOANG_MAI_VIEWER, geography), ScopedView)


def test_another_district_gets_nothing_from_the_query_core(snap, scoped, geography):
    # By code, alone or beside the user's own, at any grain, combined or not.
    for codes in ([NAM_TU_LIEM], [HA_NOI], ["VN"], geography.descendants(NAM_TU_LIEM, "commune")):
        assert scoped.summarize(codes, INDICATORS, "year", (2021, 2022)).is_empty()
        assert scoped.monthly(codes, ["addicts_managed"], (2021, 2021)).is_empty()
    both = scoped.summarize([HOANG_MAI, NAM_TU_LIEM], INDICATORS, "9m", (2022, 2022))
    own = snap.summarize(geography, [HOANG_MAI], INDICATORS, "9m", (2022, 2022))
    assert_frame_equal(both, own)
    combined = scoped.summarize([HOANG_MAI, NAM_TU_LIEM], INDICATORS, "year", (2021, 2021),
                                combine_as="_sel")  # fmt: skip
    alone = snap.summarize(geography, [HOANG_MAI], INDICATORS, "year", (2021, 2021), combine_as="_sel")
    assert_frame_equal(combined, alone)
    counts = scoped.summarize([HA_NOI, HOANG_MAI], ["key_communes"], "year", (2021, 2021))
    assert counts["unit_code"].unique().to_list() == [HOANG_MAI]


def test_every_table_of_a_scoped_snapshot_holds_in_scope_rows_only(scoped, geography):
    visible = HOANG_MAI_VIEWER.visible(geography)
    assert set(scoped.status["commune_code"]) <= visible and scoped.status.height > 0
    assert set(scoped.targets["unit_code"]) <= visible and scoped.targets.height > 0
    assert set(scoped.rollups()["unit_code"]) == {HOANG_MAI}
    assert set(scoped.scan().select("unit_code").unique().collect()["unit_code"]) <= visible
    assert scoped.units_with_data("province") == []
    with pytest.raises(AttributeError):
        scoped._inner_snapshot_that_does_not_exist  # noqa: B018 - reads nothing it does not know


def test_goals_see_only_in_scope_targets(scoped, geography):
    assert goals.evaluate(scoped, unit=NAM_TU_LIEM, year=2022) == []
    below = goals.evaluate(scoped, unit=HA_NOI, year=2022, descendants=True)
    assert below and {r.unit_code for r in below} <= HOANG_MAI_VIEWER.visible(geography)
    assert goals.project_goals(scoped, unit=NAM_TU_LIEM) == []


def test_map_of_another_district_has_no_figures(scoped, geography):
    frame = maps.map_frame(scoped.monthly, scoped.status, geography, (NAM_TU_LIEM,), 2021)
    assert frame.height > 0  # the communes are where they are: the reference geography is public
    assert frame["category"].unique().to_list() == ["no_data"]
    figures = [c for c in maps.MAIN_FIGURES if c in frame.columns]
    assert all(frame[c].null_count() == frame.height for c in figures)
    assert (
        maps.district_summary(scoped.status, geography, (NAM_TU_LIEM,), 2021)["classified_communes"].sum()
        == 0
    )


def test_export_pack_refuses_another_unit_and_builds_the_own_one(scoped, geography):
    for unit in (NAM_TU_LIEM, HA_NOI, "00610"):
        with pytest.raises(ValueError, match="quyền"):
            meeting.build_pack(scoped, unit, 2022, "9m", ("drugs",))
    pack = meeting.build_pack(scoped, HOANG_MAI, 2022, "9m", ("drugs", "goals"))
    assert pack.unit_name == "Quận Hoàng Mai" and pack.figures
    assert {r.unit_code for r in pack.goals} <= {HOANG_MAI}


def test_snapshot_comparison_is_scoped(demo_snapshots, geography):
    old, new = (
        demo_snapshots[s].restricted(HOANG_MAI_VIEWER, geography) for s in ("2024-12-31", "2025-12-31")
    )
    diff = importing.compare(old, new)
    assert set(diff["unit_code"]) <= HOANG_MAI_VIEWER.visible(geography)


def _result(rows):
    return pl.DataFrame(
        rows, schema=["unit_code", "indicator", "value", "previous", "change", "change_pct"], orient="row"
    )


@pytest.mark.parametrize(
    "row,value,previous,shown",
    [
        # commune, a count of people, 1–4: hidden, and the change that would give it away
        (("00301", "trafficking_victims_returned", 3.0, 6.0, -3.0, -50.0), None, 6.0, "<5"),
        (("00301", "trafficking_victims_returned", 4.0, 0.0, 4.0, None), None, 0.0, "<5"),
        # zero tells nobody apart; 5 is not below 5
        (("00301", "trafficking_victims_returned", 0.0, 0.0, 0.0, None), 0.0, 0.0, None),
        (("00301", "compulsory_rehab", 5.0, 7.0, -2.0, -28.6), 5.0, 7.0, None),
        # a district, a rate, a count of places: kept
        ((HOANG_MAI, "trafficking_victims_returned", 2.0, 1.0, 1.0, 100.0), 2.0, 1.0, None),
        (("00301", "hiv_prevalence", 0.2, 0.1, 0.1, 100.0), 0.2, 0.1, None),
        (("00301", "drug_hotspots", 2.0, 3.0, -1.0, -33.3), 2.0, 3.0, None),
        (("00301", "population", 3.0, 3.0, 0.0, 0.0), 3.0, 3.0, None),
    ],
)
def test_small_counts_of_people_in_a_commune_are_suppressed(geography, row, value, previous, shown):
    out = suppress_small_counts(_result([row]), geography)
    assert out["value"][0] == value
    assert out["previous"][0] == previous
    assert (out["value_shown"][0] if "value_shown" in out.columns else None) == shown
    if shown:
        assert out["change"][0] is None and out["change_pct"][0] is None


def test_suppressed_previous_year_and_per_population(geography):
    frame = pl.DataFrame(
        {
            "unit_code": ["00301"],
            "value": [12.0],
            "previous": [2.0],
            "population": [9000.0],
            "per_population": [13.3],
        }  # fmt: skip
    )
    kept = suppress_small_counts(frame, geography, indicator="compulsory_rehab")["per_population"]
    assert kept.to_list() == [13.3]  # this year's 12 is not small: its rate stays
    frame = frame.with_columns(pl.lit(3.0).alias("value"), pl.lit(12.0).alias("previous"))
    out = suppress_small_counts(frame, geography, indicator="compulsory_rehab")
    assert out.row(0, named=True) | {} == {
        "unit_code": "00301", "value": None, "previous": 12.0, "population": 9000.0,
        "per_population": None, "value_shown": "<5",
    }  # fmt: skip


def test_suppressed_cells_read_less_than_five_in_downloads(geography):
    out = suppress_small_counts(
        _result(
            [
                ("00301", "trafficking_victims_returned", 3.0, 8.0, -5.0, -62.5),
                ("00304", "trafficking_victims_returned", 7.0, 6.0, 1.0, 16.7),
                ("00307", "trafficking_victims_returned", 0.0, 9.0, -9.0, -100.0),
            ]
        ),  # fmt: skip
        geography,
    )
    shown = tables.localize(out, ["unit_code", "value", "previous"], "vi")
    assert shown["Giá trị"].to_list() == ["<5", "7", "<5"]
    csv = tables.to_csv_bytes(shown).decode("utf-8-sig")
    assert "00301,<5,8" in csv and "00304,7,6" in csv and "00307,<5,9" in csv
    assert tables.to_excel_bytes(shown)[:2] == b"PK"


HM = ["00301", "00304", "00307", "00310"]  # wards of Hoàng Mai: one group (their district's total is public)


@pytest.mark.parametrize(
    "values,shown",
    [
        # One small ward beside zeros: the zeros are hidden with it ("<5" is true of 0) …
        ([3, 0, 0, 0], ["<5", "<5", "<5", "<5"]),
        # … and beside counts of 5 or more only: the smallest of those is hidden too ("×").
        ([3, 20, 9, 40], ["<5", "20", "×", "40"]),
        # Hidden cells that would all be 4 (their sum 8 over two cells): a complement, ties included.
        ([4, 4, 9, 9], ["<5", "<5", "×", "×"]),
        # Two small ones whose sum (5) does not pin either: no complement.
        ([3, 2, 9, 40], ["<5", "<5", "9", "40"]),
        # Nothing small: nothing hidden, zeros shown.
        ([0, 5, 9, 40], ["0", "5", "9", "40"]),
    ],
)
def test_secondary_suppression_leaves_no_small_count_to_subtract(geography, values, shown):
    frame = _result(
        [(c, "compulsory_rehab", float(v), 10.0, v - 10.0, None) for c, v in zip(HM, values, strict=True)]
    )
    out = suppress_small_counts(frame, geography)
    cells = tables.localize(out, ["value"], "vi")["Giá trị"].to_list()
    assert [c if isinstance(c, str) else f"{c:g}" for c in cells] == shown
    assert _recoverable(values, shown) == []


def _recoverable(values: list[int], shown: list[str]) -> list[int]:
    """Hidden small counts that the public total and the shown cells pin to one value.

    Every assignment of the hidden cells consistent with what is shown ("<5": 0–4, "×": at least
    5 and at most the smallest shown count of 5 or more) and with the total is tried.
    """
    from itertools import product

    total = sum(values)
    visible = [int(s) for s in shown if s not in ("<5", "×")]
    cap = min([v for v in visible if v >= 5], default=total)
    ranges = [range(0, 5) if s == "<5" else range(5, cap + 1) for s in shown if s in ("<5", "×")]
    fits = [a for a in product(*ranges) if sum(a) + sum(visible) == total]
    hidden = [i for i, s in enumerate(shown) if s in ("<5", "×")]
    pinned = []
    for k, i in enumerate(hidden):
        options = {a[k] for a in fits}
        if 1 <= values[i] <= 4 and options == {values[i]}:
            pinned.append(values[i])
    return pinned


def test_a_hidden_row_of_a_ranking_has_no_rank_and_comes_last(geography):
    frame = _result(
        [(c, "compulsory_rehab", float(v), 10.0, 0.0, None) for c, v in zip(HM, [40, 3, 20, 9], strict=True)]
    )
    frame = frame.with_columns(pl.Series("rank", [1, 4, 2, 3]))
    out = suppress_small_counts(frame, geography)
    assert out.select("unit_code", "rank").rows() == [
        ("00301", 1),
        ("00307", 2),
        ("00304", None),
        ("00310", None),
    ]


def test_person_indicators_are_the_counts_of_people():
    assert {"trafficking_victims_returned", "addicts_managed", "hiv_cases"} <= PERSON_INDICATORS
    assert not {"population", "drug_hotspots", "hiv_prevalence", "key_communes"} & PERSON_INDICATORS


def test_config_is_parsed_and_checked(geography, tmp_path):
    cfg = parse_config(
        {
            "mode": "password",
            "credentials": "auth.yaml",
            "users": {
                "hoangmai": {"role": "viewer", "units": ["008"]},
                "hanoi": {"role": "data_manager", "units": ["01"]},
            },
            "small_counts": {"threshold": 10},
        },
        tmp_path / "access.toml",
        geography,
    )
    assert cfg.access_for("hoangmai") == Access(VIEWER, ("008",))
    assert cfg.access_for("hanoi") == Access(DATA_MANAGER, ("01",))
    assert cfg.access_for("stranger") is None and cfg.access_for("") is None
    assert cfg.credentials == tmp_path / "auth.yaml"
    assert cfg.small_counts.threshold == 10 and cfg.small_counts.exports
    oidc = parse_config(
        {"mode": "oidc", "users": {"Ban.CD@HaNoi.gov.vn": {"role": "viewer", "units": ["01"]}}}
    )
    assert oidc.access_for("ban.cd@hanoi.gov.vn") == Access(VIEWER, ("01",))


@pytest.mark.parametrize(
    "raw,message",
    [
        ({"mode": "ldap"}, "mode"),
        ({"mode": "oidc", "users": {"a": {"role": "admin", "units": ["01"]}}}, "role"),
        ({"mode": "oidc", "users": {"a": {"role": "viewer", "units": "01"}}}, "units"),
        ({"mode": "oidc", "users": {"a": {"role": "viewer", "units": []}}}, "units"),
        ({"mode": "oidc", "users": {"a": {"role": "viewer", "units": ["999"]}}}, "999"),
        ({"mode": "password", "users": {}}, "credentials"),
        ({"mode": "oidc", "small_counts": {"threshold": 0}}, "threshold"),
    ],
)
def test_bad_config_is_refused_with_a_reason(geography, raw, message):
    with pytest.raises(AccessConfigError, match=message):
        parse_config(raw, None, geography)


def test_import_outside_the_managers_units_is_found(snap, geography):
    class Report:
        facts = snap.facts.with_columns(
            pl.when(
                pl.col("unit_code").is_in(["00610", "00301"]) & (pl.col("period") == dt.date(2025, 12, 1))
            )
            .then(pl.col("value") + 1)
            .otherwise(pl.col("value"))
            .alias("value")
        )
        status, targets = snap.status, snap.targets

    manager = Access(DATA_MANAGER, (HOANG_MAI,))
    assert changes_outside(Report, snap, manager, geography) == ["00610"]
    assert changes_outside(Report, snap, Access(DATA_MANAGER, (HA_NOI,)), geography) == []
    assert changes_outside(Report, snap, FULL_ACCESS, geography) == []


def test_import_check_refuses_out_of_scope_rows_before_reading_their_figures(snap, geography):
    # A year's cumulative 0 (2024: old units, before the reform) is below what the months before
    # already hold: checked against the
    # base, the message would quote the unit's true total (Hà Nội's, a district's, a ward's).
    from tests.support.data import workbook

    outside = [(HA_NOI, "năm 2024", "compulsory_rehab", 0), (NAM_TU_LIEM, "năm 2024", "compulsory_rehab", 0),
               ("00610", "năm 2024", "compulsory_rehab", 0)]  # fmt: skip
    own_bad = [("00301", "năm 2024", "compulsory_rehab", "không phải số")]
    data = workbook(
        facts=[*outside, *own_bad], targets=[(2024, NAM_TU_LIEM, "compulsory_rehab", "Tối thiểu", 1)]
    )
    unscoped = importing.check_import(data, "bao-cao.xlsx", snap, geography)
    assert any("tổng cộng dồn 0 nhỏ hơn" in str(p) for p in unscoped.errors)  # what leaked before

    manager = Access(DATA_MANAGER, (HOANG_MAI,))
    report = importing.check_import(data, "bao-cao.xlsx", snap, geography, scope=manager)
    refused = [(p.file, p.where, p.message) for p in report.errors]
    why = "ngoài phạm vi được phân quyền: không nhập số liệu của đơn vị này"
    expected = [
        (sheet, f"dòng {row}", f"{geography.name(code)} (mã {code}) {why}")
        for sheet, row, code in (
            (importing.SHEET_FACTS, 2, HA_NOI),
            (importing.SHEET_FACTS, 3, NAM_TU_LIEM),
            (importing.SHEET_FACTS, 4, "00610"),
            (importing.SHEET_TARGETS, 2, NAM_TU_LIEM),
        )
    ]
    assert refused == expected
    # Only the refusals: no other finding (the own row's bad value included) that could quote a figure.
    assert report.warnings == [] and report.facts is None
    # A country-wide manager still gets the check against the base.
    assert importing.check_import(data, "bao-cao.xlsx", snap, geography, scope=FULL_ACCESS).errors


# How a snapshot is read for a user: dashboard.ui.loaders.load, by that name or from loaders itself.
LOAD_CALLS = ("loaders.load", "load")


def _cached_functions_reading_snapshots(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        cached = any("cache_" in ast.unparse(d) for d in node.decorator_list)
        reads = any(isinstance(c, ast.Call) and ast.unparse(c.func) in LOAD_CALLS for c in ast.walk(node))
        if cached and reads:
            yield node


@pytest.mark.parametrize(
    "path",
    sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "dashboard" / "ui").glob("*.py")]),
    ids=lambda p: p.name,
)
def test_every_cached_data_call_is_keyed_by_the_users_scope(path):
    # st.cache_* keys on the arguments only: a cached function that reads a snapshot without the
    # scope among them would hand one user's rows to the next.
    for fn in _cached_functions_reading_snapshots(path):
        params = [a.arg for a in fn.args.args]
        assert "scope" in params, f"{path.name}: {fn.name} reads a snapshot but is not keyed by scope"
        calls = [c for c in ast.walk(fn) if isinstance(c, ast.Call) and ast.unparse(c.func) in LOAD_CALLS]
        assert all("scope" in ast.unparse(c) for c in calls), f"{path.name}: {fn.name} does not pass scope on"


# --------------------------------------------------------------------------- scopes in the 2025 units

# Code 00331 is Phường Hoàng Mai in the 2025 units and, in the old ones, a ward of Quận Hoàng Mai:
# a scope answers in the tree of its own structure only.
NEW_WARD, NEW_NEIGHBOUR, DA_NANG = "00331", "00337", "48"  # Phường Hoàng Mai, Phường Hoàng Liệt
WARD_VIEWER = Access(VIEWER, (NEW_WARD,), NEW)
DA_NANG_VIEWER = Access(VIEWER, (DA_NANG,), NEW)


@pytest.fixture(scope="module")
def new_geo():
    return reform.geography_2025()


@pytest.fixture(scope="module")
def v2(reform_snapshot, geography):
    return load_snapshot(reform_snapshot, geography)


@pytest.fixture(scope="module")
def new_view(v2):
    return structure.restructure(v2, structure.NEW)


@pytest.fixture(scope="module")
def legacy_view(v2):
    return structure.restructure(v2, structure.LEGACY)


@pytest.mark.parametrize(
    "access,code,tree,expected",
    [
        (WARD_VIEWER, NEW_WARD, "new", True),
        (WARD_VIEWER, NEW_NEIGHBOUR, "new", False),
        (WARD_VIEWER, HA_NOI, "new", False),
        (WARD_VIEWER, NEW_WARD, "old", False),  # the same code in the old tree is another ward
        (DA_NANG_VIEWER, "20194", "new", True),  # a commune of the new Đà Nẵng (old Quảng Nam)
        (DA_NANG_VIEWER, HA_NOI, "new", False),
        (DA_NANG_VIEWER, QUANG_NAM, "old", False),
        (DA_NANG_VIEWER, DA_NANG, "old", False),  # the old Thành phố Đà Nẵng is not the new one
        (Access(VIEWER, (HOANG_MAI,)), NEW_WARD, "old", True),
        (Access(VIEWER, (HOANG_MAI,)), NEW_WARD, "new", False),
        (Access(VIEWER, ("VN",), LEGACY), NEW_WARD, "new", True),
    ],
)
def test_a_scope_allows_units_of_its_own_structure_only(geography, new_geo, access, code, tree, expected):
    geo = new_geo if tree == "new" else geography
    assert access.allows(code, geo) is expected
    assert (code in access.visible(geo)) is expected


def test_a_scope_in_the_other_structure_sees_nothing_and_picks_nothing(geography, new_geo):
    assert WARD_VIEWER.visible(geography) == frozenset()
    assert not WARD_VIEWER.touches(HA_NOI, geography) and WARD_VIEWER.touches(HA_NOI, new_geo)
    assert WARD_VIEWER.units_within(HA_NOI, geography) == []
    assert WARD_VIEWER.units_within(HA_NOI, new_geo) == [NEW_WARD]
    assert Access(VIEWER, (HOANG_MAI,)).visible(new_geo) == frozenset()
    assert WARD_VIEWER.visible(new_geo) == {NEW_WARD}
    assert scope_geography(WARD_VIEWER, geography, new_geo) is new_geo
    assert scope_geography(HOANG_MAI_VIEWER, geography, new_geo) is geography


def test_a_new_ward_viewer_gets_only_their_ward_from_the_query_core(new_view, new_geo):
    scoped = new_view.restricted(WARD_VIEWER, new_geo)
    for codes in ([NEW_NEIGHBOUR], [HA_NOI], ["VN"], [DA_NANG], new_geo.descendants(DA_NANG, "commune")[:5]):
        assert scoped.summarize(codes, INDICATORS, "year", (2017, 2026)).is_empty()
        assert scoped.monthly(codes, ["addicts_managed"], (2024, 2026)).is_empty()
    both = scoped.summarize([NEW_WARD, NEW_NEIGHBOUR, HA_NOI], INDICATORS, "month", (2024, 2026))
    own = new_view.summarize(new_geo, [NEW_WARD], INDICATORS, "month", (2024, 2026))
    assert_frame_equal(both, own)
    assert own.height > 0 and own["period"].min() < reform.REFORM_DATE <= own["period"].max()
    assert set(scoped.status["commune_code"]) == {NEW_WARD}
    assert set(scoped.targets["unit_code"]) <= {NEW_WARD}
    # Roll-ups are of the units above communes: Hà Nội's total is not the ward's to read.
    assert scoped.rollups().is_empty()
    assert set(new_view.restricted(DA_NANG_VIEWER, new_geo).rollups()["unit_code"]) == {DA_NANG}
    assert set(scoped.scan().select("unit_code").unique().collect()["unit_code"]) == {NEW_WARD}


@pytest.mark.parametrize("access", [WARD_VIEWER, DA_NANG_VIEWER])
def test_a_new_unit_scope_reads_nothing_through_the_old_units(legacy_view, geography, access):
    # Old commune 00331 and old province 48 exist, and hold figures: none reach a new-unit scope.
    scoped = legacy_view.restricted(access, geography)
    assert legacy_view.summarize(geography, [NEW_WARD, DA_NANG], INDICATORS, "year", (2020, 2021)).height > 0
    assert scoped.summarize([NEW_WARD, DA_NANG, "VN"], INDICATORS, "year", (2020, 2021)).is_empty()
    assert scoped.status.is_empty() and scoped.targets.is_empty()
    assert scoped.rollups().is_empty()
    assert scoped.scan().collect().is_empty()


def test_an_old_district_scope_reads_nothing_through_the_new_units(new_view, new_geo):
    scoped = new_view.restricted(HOANG_MAI_VIEWER, new_geo)
    assert scoped.summarize([NEW_WARD, HA_NOI], INDICATORS, "year", (2025, 2026)).is_empty()
    assert scoped.status.is_empty() and scoped.rollups().is_empty()


def test_goals_map_and_pack_of_a_new_province_viewer(new_view, new_geo):
    scoped = new_view.restricted(DA_NANG_VIEWER, new_geo)
    visible = DA_NANG_VIEWER.visible(new_geo)
    assert goals.evaluate(scoped, unit=HA_NOI, year=2026) == []
    assert goals.project_goals(scoped, unit=HA_NOI) == []
    judged = goals.evaluate(scoped, unit=DA_NANG, year=2026, descendants=True)
    assert judged and {r.unit_code for r in judged} <= visible
    # The communes that made or broke a goal (the drill-down) are Đà Nẵng's.
    for row in judged:
        assert {c.code for c in (*row.new_communes, *row.left_communes)} <= visible
    hanoi = new_geo.descendants(HA_NOI, "commune")[:20]
    frame = maps.map_frame(scoped.monthly, scoped.status, new_geo, tuple(hanoi), 2026)
    assert frame["category"].unique().to_list() == ["no_data"]
    for unit in (HA_NOI, NEW_WARD, "VN"):
        with pytest.raises(ValueError, match="quyền"):
            meeting.build_pack(scoped, unit, 2026, "9m", ("drugs",))
    pack = meeting.build_pack(scoped, DA_NANG, 2026, "9m", ("drugs", "goals"))
    assert pack.unit_name == "Thành phố Đà Nẵng" and pack.figures
    assert {r.unit_code for r in pack.goals} <= visible


def test_snapshot_comparison_of_a_new_unit_scope(demo_snapshots, v2, new_geo):
    old = structure.restructure(demo_snapshots["2025-12-31"], structure.NEW).restricted(WARD_VIEWER, new_geo)
    new = structure.restructure(v2, structure.NEW).restricted(WARD_VIEWER, new_geo)
    diff = importing.compare(old, new)
    assert diff.height > 0 and set(diff["unit_code"]) == {NEW_WARD}


def test_config_with_scopes_in_the_new_units(geography, new_geo):
    cfg = parse_config(
        {
            "mode": "oidc",
            "users": {
                "phuong@hn.vn": {"role": "viewer", "structure": "2025", "units": [NEW_WARD]},
                "danang@dn.vn": {"role": "data_manager", "structure": "2025", "units": [DA_NANG]},
                "quan@hn.vn": {"role": "viewer", "structure": "legacy", "units": [HOANG_MAI]},
                "all@vn.vn": {"role": "viewer", "structure": "2025", "units": ["VN"]},
            },
        },
        None,
        geography,
        new_geo,
    )
    assert cfg.access_for("phuong@hn.vn") == WARD_VIEWER
    assert cfg.access_for("danang@dn.vn") == Access(DATA_MANAGER, (DA_NANG,), NEW)
    assert cfg.access_for("quan@hn.vn") == HOANG_MAI_VIEWER
    assert cfg.access_for("all@vn.vn") == Access(VIEWER, ("VN",))  # the country is one in both


@pytest.mark.parametrize(
    "entry,message",
    [
        # A district in a scope of new units: districts are gone; old and new units do not mix.
        ({"structure": "2025", "units": [HOANG_MAI]}, r"008 \(Quận Hoàng Mai\) là đơn vị cũ.*một cơ cấu"),
        ({"structure": "2025", "units": [NEW_WARD, HOANG_MAI]}, r"008 \(Quận Hoàng Mai\) là đơn vị cũ"),
        # A code of the new units only (Đặc khu Hoàng Sa, Đà Nẵng), declared without structure = "2025".
        ({"units": ["20333"]}, r"20333 \(Đặc khu Hoàng Sa\) là đơn vị hành chính mới.*structure = \"2025\""),
        ({"structure": "2025", "units": ["99999"]}, "không có đơn vị mã 99999"),
        ({"structure": "2024", "units": [HA_NOI]}, "structure phải là"),
    ],
)
def test_bad_new_unit_scopes_are_refused_with_a_reason(geography, new_geo, entry, message):
    raw = {"mode": "oidc", "users": {"a@b.vn": {"role": "viewer", **entry}}}
    with pytest.raises(AccessConfigError, match=message):
        parse_config(raw, None, geography, new_geo)


def test_an_import_by_a_new_unit_manager_is_judged_in_the_units_of_each_month(v2, geography, new_geo):
    # A version 2 base: months from July 2025 in the 2025 units, the earlier ones in the old units.
    later = dt.date(2026, 5, 1)

    class Report:
        facts = v2.facts.with_columns(
            pl.when(
                (pl.col("unit_code").is_in([NEW_WARD, NEW_NEIGHBOUR]) & (pl.col("period") == later))
                | ((pl.col("unit_code") == "00301") & (pl.col("period") == dt.date(2020, 5, 1)))
            )
            .then(pl.col("value") + 1)
            .otherwise(pl.col("value"))
            .alias("value")
        )
        status, targets = v2.status, v2.targets

    sf = v2.structure_from
    manager = Access(DATA_MANAGER, (NEW_WARD,), NEW)
    # The neighbour ward of 2026, and the old ward 00301 of 2020 (old units: not the manager's).
    assert changes_outside(Report, v2, manager, geography, new_geo, sf) == ["00301", NEW_NEIGHBOUR]
    assert names_outside(Report, v2, manager, geography, new_geo, sf) == [
        geography.name("00301"),
        "Phường Hoàng Liệt",
    ]
    # An old district manager of Hoàng Mai may not change the new wards' months.
    old_manager = Access(DATA_MANAGER, (HOANG_MAI,))
    assert changes_outside(Report, v2, old_manager, geography, new_geo, sf) == [NEW_WARD, NEW_NEIGHBOUR]
    assert changes_outside(Report, v2, Access(DATA_MANAGER, (HA_NOI,), NEW), geography, new_geo, sf) == [
        "00301"
    ]


def test_the_data_page_names_the_units_outside_in_their_own_structure(v2, demo_snapshots):
    from dashboard.ui import data as ui_data

    def report_changing(snap, code: str, period: dt.date):
        class Report:
            facts = snap.facts.with_columns(
                pl.when((pl.col("unit_code") == code) & (pl.col("period") == period))
                .then(pl.col("value") + 1)
                .otherwise(pl.col("value"))
                .alias("value")
            )
            status, targets = snap.status, snap.targets

        return Report

    manager = Access(DATA_MANAGER, (NEW_WARD,), NEW)
    # A version 1 base holds the old units only: old 00331 is Phường Thịnh Liệt, not the manager's.
    v1 = demo_snapshots["2025-12-31"]
    assert ui_data.changes_outside(report_changing(v1, NEW_WARD, dt.date(2025, 11, 1)), v1, manager) == [
        "Phường Thịnh Liệt"
    ]
    # On the version 2 base the months from July 2025 are new units: the ward's own is allowed.
    assert ui_data.changes_outside(report_changing(v2, NEW_WARD, dt.date(2026, 3, 1)), v2, manager) == []
    assert ui_data.changes_outside(report_changing(v2, NEW_NEIGHBOUR, dt.date(2026, 3, 1)), v2, manager) == [
        "Phường Hoàng Liệt"
    ]


def test_sign_in_throttle_locks_after_the_limit_and_doubles_the_wait():
    now = [0.0]
    throttle = SignInThrottle(limit=3, base_seconds=30, max_seconds=100, clock=lambda: now[0])
    user, other = ("user", "hoangmai"), ("user", "hanoi")
    for _ in range(2):
        throttle.record([user], ok=False)
    assert throttle.wait([user]) == 0  # two failures: not yet
    throttle.record([user], ok=False)
    assert throttle.wait([user]) == 30 and throttle.wait([other]) == 0
    now[0] = 31.0
    assert throttle.wait([user]) == 0
    throttle.record([user], ok=False)  # a failure after a lock: twice as long
    assert throttle.wait([user, other]) == 60
    now[0] = 200.0
    throttle.record([user], ok=False)
    throttle.record([user], ok=False)
    assert throttle.wait([user]) == 100  # capped
    now[0] = 301.0
    throttle.record([user], ok=True)  # a success clears the count
    throttle.record([user], ok=False)
    assert throttle.wait([user]) == 0


def test_the_meeting_pack_files_of_a_new_province_viewer_hold_their_units_only(new_view, new_geo):
    scoped = new_view.restricted(DA_NANG_VIEWER, new_geo)
    pack = meeting.build_pack(scoped, DA_NANG, 2026, "9m")
    shown = Presentation(io.BytesIO(slides.build_slides(pack)))
    texts = [s.text_frame.text for slide in shown.slides for s in slide.shapes if s.has_text_frame]
    document = docx.Document(io.BytesIO(report.report_docx(pack)))
    written = "\n".join([*texts, *(p.text for p in document.paragraphs), report.report_text(pack)])
    assert "Thành phố Đà Nẵng" in written
    others = {new_geo.name(c) for p in (HA_NOI, "11") for c in [p, *new_geo.descendants(p, "commune")]}
    assert not [n for n in others if n in written]


def test_a_new_unit_data_manager_imports_their_ward_and_nothing_else(reform_dir, tmp_path, geography):
    """A scope in the 2025 units imports a November 2026 report of its ward onto the version 2 demo;
    a row for the neighbouring ward is refused before anything is looked up, and nothing is written."""
    import shutil

    from tests.support.data import tree_digest, workbook

    data_dir = tmp_path / "data"
    shutil.copytree(reform_dir / "snapshots", data_dir / "snapshots")
    manager = Access(DATA_MANAGER, (NEW_WARD,), NEW)
    new_geo = reform.geography_2025()

    def stored() -> dict[str, str]:  # the snapshots, not the validation memo (.validated/)
        return {k: v for k, v in tree_digest(data_dir).items() if "/.validated/" not in k}

    before = stored()
    neighbour = workbook(facts=[(NEW_NEIGHBOUR, "11/2026", "addicts_managed", 7)])
    refused = importing.import_file(
        neighbour, "bao-cao.xlsx", data_dir, None, importing.NEWEST, geography, demo_ok=True, scope=manager
    )
    assert refused.written is None and stored() == before
    assert [p.message for p in refused.errors] == [
        f"{new_geo.name(NEW_NEIGHBOUR)} (mã {NEW_NEIGHBOUR}) ngoài phạm vi được phân quyền: "
        "không nhập số liệu của đơn vị này"
    ]

    own = workbook(facts=[(NEW_WARD, "11/2026", "addicts_managed", 7)])
    done = importing.import_file(
        own, "bao-cao.xlsx", data_dir, None, importing.NEWEST, geography, demo_ok=True, scope=manager
    )
    assert done.written is not None, done.errors
    written = load_snapshot(done.written, geography)
    assert written.structure_from is not None
    row = written.facts.filter(
        (pl.col("unit_code") == NEW_WARD)
        & (pl.col("period") == dt.date(2026, 11, 1))
        & (pl.col("indicator") == "addicts_managed")
    )
    assert row["value"].to_list() == [7]
