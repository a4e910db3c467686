"""AppTest of the 2025 reform views on the demo data with the version 2 snapshot (2026-10-31).

The user switches to the new units, picks Thành phố Đà Nẵng and sees one addicts trend from
2017 to 2026 joining the old Quảng Nam and Đà Nẵng history to the new communes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from dashboard import demo, page_figures, reform, structure
from dashboard.formatting import md_text, period_label
from dashboard.geography import Geography
from dashboard.i18n import t
from dashboard.snapshot import load_snapshot
from tests.support.apptest import PAGE_FILES, assert_clean, chart_specs, run_app
from tests.support.cards import all_notes, card_values

DA_NANG, QUANG_NAM = "48", "49"  # new 48 = old 48 (Đà Nẵng) + old 49 (Quảng Nam)


@pytest.fixture
def reform_env(reform_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(reform_dir))
    return reform_dir


@pytest.fixture(scope="module")
def raw(reform_snapshot: Path):
    return load_snapshot(reform_snapshot, Geography.from_reference())


def expected_addicts(raw) -> list[tuple[dt.date, str, float]]:
    """(month, label, addicts with records) of new Đà Nẵng, from the snapshot without the app:
    old 48 + old 49 totals (old tree) before July 2025, the new communes' sum from then on."""
    legacy, new = Geography.from_reference(), reform.geography_2025()
    before = (
        raw.monthly(legacy, [DA_NANG, QUANG_NAM], ["addicts_managed"])
        .group_by("period")
        .agg(pl.col("value").sum())
    )
    communes = new.descendants(DA_NANG, "commune")
    after = raw.monthly(new, communes, ["addicts_managed"]).group_by("period").agg(pl.col("value").sum())
    rows = pl.concat([before, after]).sort("period")
    return [(p, period_label(p, "month", "vi"), v) for p, v in rows.iter_rows()]


@pytest.mark.parametrize(
    ("structure_id", "province"),
    [(structure.NEW, "Thành phố Đà Nẵng"), (structure.LEGACY, "Tỉnh Quảng Nam")],
)
@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_runs_in_both_structures_of_a_version_2_snapshot(reform_env, page, structure_id, province):
    at = run_app(page, {"structure": t(f"structure.{structure_id}"), "province": province})
    assert_clean(at)
    assert at.radio(key="structure").value == structure_id
    for spec in chart_specs(at):
        assert spec["data"], "a chart without traces"
        # Lines and bars carry x/y, heatmaps z, gauges (type "indicator") a value.
        assert any(
            trace.get("y") or trace.get("z") or trace.get("x") or trace.get("value") is not None
            for trace in spec["data"]
        ), "an empty chart"


def test_a_version_2_snapshot_opens_in_the_new_units(reform_env):
    at = run_app()
    assert_clean(at)
    assert at.selectbox(key="snapshot").value == demo.REFORM_SNAPSHOT[0]
    assert at.radio(key="structure").value == structure.NEW
    # Provinces of the new structure (AppTest lists the options' labels): Quảng Nam is no longer one.
    labels = at.selectbox(key="province").options
    assert "Thành phố Đà Nẵng" in labels and "Tỉnh Quảng Nam" not in labels


def test_switching_to_the_new_units_gives_one_da_nang_addicts_trend_2017_to_2026(reform_env, raw):
    # A user in the old units on Quảng Nam switches to the new ones: the province becomes
    # Thành phố Đà Nẵng, which now holds Quảng Nam.
    at = run_app("pages/xu_huong.py", {"structure": t("structure.legacy"), "province": "Tỉnh Quảng Nam"})
    assert_clean(at)
    at.radio(key="structure").set_value(structure.NEW).run()
    assert at.selectbox(key="province").value == DA_NANG
    at.select_slider(key="years").set_value((2017, 2026)).run()
    at.selectbox(key="grain").set_value("month").run()
    at.multiselect(key="indicators").set_value(["addicts_managed"]).run()
    assert_clean(at)

    series = chart_specs(at)[0]
    assert len(series["data"]) == 1, "one trend, not one line per structure"
    trace = series["data"][0]
    expected = [row for row in expected_addicts(raw) if row[0].year >= 2017]
    assert trace["x"] == [label for _, label, _ in expected]
    assert trace["y"] == [value for _, _, value in expected]
    # No jump at July 2025: the step into the new communes is no larger than the largest
    # month-to-month step of the old history.
    values = [value for _, _, value in expected]
    july = [p for p, _, _ in expected].index(reform.REFORM_DATE)
    steps = [abs(b - a) for a, b in zip(values[: july - 1], values[1:july], strict=True)]
    assert abs(values[july] - values[july - 1]) <= max(steps)
    # The reform month is marked between June and July 2025.
    lines = [s for s in series["layout"].get("shapes", []) if s.get("type") == "line"]
    assert lines and lines[0]["x0"] == july - 0.5
    # The split rule is stated on screen.
    rules = " ".join(m.value for m in at.markdown)
    assert reform.SPLIT_RULE["vi"] in rules


def test_the_new_units_offer_communes_not_districts(reform_env):
    at = run_app(None, {"structure": t("structure.2025"), "province": "Thành phố Đà Nẵng"})
    assert_clean(at)
    communes = at.multiselect(key="communes_2025")
    new = reform.geography_2025()
    assert set(communes.options) == {new.name(c) for c in new.descendants(DA_NANG, "commune")}
    assert not [w for w in at.multiselect if w.key == "district"]


def test_the_old_units_flag_communes_that_straddle_former_districts(reform_env, raw):
    at = run_app(None, {"structure": t("structure.legacy"), "province": "Thành phố Hà Nội"})
    assert_clean(at)
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert reform.STRADDLE_RULE["vi"] in text
    seen = structure.restructure(raw, structure.LEGACY)
    # Those counted for a district of Hà Nội, the area shown.
    hanoi = Geography.from_reference().descendants("01", "district")
    n = seen.flagged.filter(pl.col("old_district_code").is_in(hanoi)).height
    assert 0 < n < seen.flagged.height
    assert t("structure.flagged", "vi", n=f"{n:,}".replace(",", ".")) in text


def test_quotas_set_for_the_other_units_are_explained_on_the_overview(reform_env):
    # 2026 in the old units: its quotas are the new provinces'; the overview says where they are.
    at = run_app(None, {"structure": t("structure.legacy"), "province": "Tỉnh Quảng Nam"})
    assert_clean(at)
    assert t("structure.targets_new") in [i.value for i in at.info]
    assert t("kpi.no_quota") in all_notes(at)
    # 2026 in the new units: the quotas are there, and no such notice.
    at = run_app(None, {"structure": t("structure.2025"), "province": "Thành phố Đà Nẵng"})
    assert_clean(at)
    assert t("structure.targets_new") not in [i.value for i in at.info]
    assert card_values(at) and not [n for n in all_notes(at) if t("kpi.no_quota") in n]


def test_the_data_page_says_which_units_each_snapshot_holds(reform_env):
    at = run_app("pages/du_lieu.py")
    assert_clean(at)
    listing = at.dataframe[0].value
    units = dict(zip(listing[t("data.col.snapshot")], listing[t("data.col.units")], strict=True))
    assert units[demo.REFORM_SNAPSHOT[0]] == t("data.units_v2")
    assert {units[sid] for sid, _ in demo.SNAPSHOTS} == {t("data.units_v1")}
    # Every snapshot can be an import's base, whatever its version (rows are read in the units of
    # their period); the newest is offered first, then starting from nothing.
    base = at.selectbox(key="import_base")
    ids = [demo.REFORM_SNAPSHOT[0], *(sid for sid, _ in reversed(demo.SNAPSHOTS))]
    assert base.options[2:] == ids


def test_a_breakdown_by_commune_of_a_new_province_stays_readable(reform_env):
    # Hà Nội has 126 new communes: the stack shows the 30 highest and folds the rest into one
    # series, so that it still adds up to the city's total.
    at = run_app(
        "pages/xu_huong.py",
        {"structure": t("structure.2025"), "province": "Thành phố Hà Nội", "years": ["2026", "2026"]},
    )
    at.multiselect(key="indicators").set_value(["drug_users"]).run()
    at.radio(key="breakdown").set_value("stacked").run()
    assert_clean(at)
    communes = len(reform.geography_2025().descendants("01", "commune"))
    left = communes - page_figures.BREAKDOWN_LIMIT
    assert t("notice.breakdown_limit", n=page_figures.BREAKDOWN_LIMIT, left=left) in [
        c.value for c in at.caption
    ]
    total, stack = chart_specs(at)[0], chart_specs(at)[2]
    assert len(stack["data"]) == page_figures.BREAKDOWN_LIMIT + 1
    assert t("breakdown.others", n=left) in [trace["name"] for trace in stack["data"]]
    assert sum(trace["y"][0] for trace in stack["data"]) == total["data"][0]["y"][0]


@pytest.mark.parametrize(
    ("params", "name", "value"),
    [
        ({"structure": "Năm 1975"}, "structure", "Năm 1975"),
        ({"structure": t("structure.2025"), "communes_2025": "Xã Không Có"}, "communes_2025", "Xã Không Có"),
        # A district is no unit of the new structure.
        ({"structure": t("structure.2025"), "district": "Quận Nam Từ Liêm"}, "district", "Quận Nam Từ Liêm"),
    ],
)
def test_an_odd_structure_link_falls_back_with_a_notice(reform_env, params, name, value):
    at = run_app(None, {"province": "Thành phố Hà Nội", **params})
    assert_clean(at)
    warnings = [w.value for w in at.warning]
    assert t("notice.bad_url_param", name=md_text(name), value=md_text(value)) in warnings, warnings
    assert at.radio(key="structure").value == structure.NEW  # the snapshot's default


@pytest.mark.parametrize(
    "lang,expected",
    [
        ("vi", "Năm 2026 chưa đủ số liệu: bộ số liệu chỉ đến tháng 10/2026."),
        ("en", "2026 is incomplete: the snapshot only reaches 10/2026."),
    ],
)
def test_the_export_page_says_how_far_an_incomplete_period_reaches(reform_env, lang, expected):
    # The demo's version 2 snapshot stands at 31/10/2026: the year 2026 holds ten months.
    at = run_app("pages/xuat_bao_cao.py", {"province": "Thành phố Đà Nẵng", "lang": lang})
    assert_clean(at)
    assert expected in [w.value for w in at.warning]


def test_a_link_naming_a_district_opens_the_old_units_of_a_version_2_snapshot(reform_env):
    # The newest snapshot opens in the new units, which have no districts: the README's typed link
    # (district by code, no structure) must still open Quận Nam Từ Liêm.
    at = run_app(None, {"district": "019", "grain": "9m"})
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.radio(key="structure").value == structure.LEGACY
    assert at.multiselect(key="district").value == ["019"]
    assert "Quận Nam Từ Liêm" in at.title[0].value
    # Without a district the same snapshot still opens in the new units.
    assert run_app(None, {"grain": "9m"}).radio(key="structure").value == structure.NEW
