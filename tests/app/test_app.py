"""AppTest of the entry file and every page on the demo data: smoke, filters, URL parameters, caching.

AppTest shows plotly charts as unknown elements; their figure is in ``proto.spec`` (JSON).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import page_figures, query
from dashboard.catalog import CATALOG
from dashboard.formatting import fmt_number, fmt_pct, md_text
from dashboard.geography import Geography
from dashboard.i18n import t
from dashboard.snapshot import load_snapshot
from tests.support.apptest import APP, PAGE_FILES, ROOT, TIMEOUT, assert_clean, chart_specs, run_app
from tests.support.cards import card_notes, card_values

NAM_TU_LIEM = "019"


def test_every_page_file_is_routed_and_smoke_tested():
    # The smoke test below is parametrized over pages/*.py, so a new page is tested as soon as
    # it exists; it must also be reachable from the navigation in dashboard/ui/app.py.
    routed = set(re.findall(r'"(pages/[^"]+\.py)"', APP.read_text(encoding="utf-8")))
    assert PAGE_FILES, "no page files found"
    assert set(PAGE_FILES) <= routed, f"pages missing from dashboard/ui/app.py: {set(PAGE_FILES) - routed}"


@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_runs_on_demo_data(data_env, page):
    at = run_app(page)
    assert_clean(at)
    assert at.title, "the page shows no heading"
    assert any(t("notice.demo_data") in i.value for i in at.info), "demo data not labelled"
    for spec in chart_specs(at):
        assert spec["data"], "a chart without traces"
        assert spec["layout"]["title"]["text"], "a chart without a title"
        assert any((trace.get("y") or trace.get("z") or trace.get("x")) for trace in spec["data"]), (
            "an empty chart"
        )


def _expected_quota_line(demo_dir: Path, geography: Geography, district: str, year: int) -> tuple[str, str]:
    """What the overview must show for compulsory rehab, computed from the snapshot by the query core."""
    snap = load_snapshot(demo_dir / "snapshots" / "2025-12-31", geography)
    frame = query.summarize(
        query.from_facts(snap.facts, geography),
        snap.status,
        geography,
        [district],
        ["compulsory_rehab"],
        "year",
        (year, year),
    )
    actual = frame["value"][0]
    quota = page_figures.selection_quota(snap.targets, geography, [district], "compulsory_rehab", year)
    assert quota is not None
    line = t("kpi.quota", "vi", quota=fmt_number(quota.value), pct=fmt_pct(actual / quota.value * 100))
    return fmt_number(actual), line


def test_overview_nam_tu_liem_2021_shows_rehab_against_quota(data_env, geography):
    at = run_app()
    at.multiselect(key="district").set_value([NAM_TU_LIEM]).run()
    at.select_slider(key="years").set_value((2015, 2021)).run()
    assert_clean(at)
    actual, quota_line = _expected_quota_line(data_env, geography, NAM_TU_LIEM, 2021)
    # The seed report: 38 sent to compulsory rehab against a quota of 32, 118,75 %.
    assert (actual, quota_line) == ("38", "Chỉ tiêu 32 · tỷ lệ đạt 118,75%")
    assert card_values(at)[CATALOG["compulsory_rehab"].label("vi")] == actual
    assert quota_line in card_notes(at)[CATALOG["compulsory_rehab"].label("vi")]
    assert "Quận Nam Từ Liêm" in at.title[0].value and "2021" in at.title[0].value


def test_whole_province_quota_is_the_sum_of_district_quotas(data_env, geography):
    at = run_app()
    snap = load_snapshot(data_env / "snapshots" / "2025-12-31", geography)
    districts = geography.descendants("01", "district")
    expected = snap.targets.filter(
        pl.col("unit_code").is_in(districts)
        & (pl.col("metric") == "compulsory_rehab")
        & (pl.col("year") == 2025)
        & (pl.col("rule") == "at_least")
    )["value"].sum()
    rehab = card_notes(at)[CATALOG["compulsory_rehab"].label("vi")]
    assert any(note.startswith(f"Chỉ tiêu {fmt_number(expected)} ·") for note in rehab)


def test_changing_district_and_year_changes_the_overview(data_env):
    at = run_app()
    before = card_values(at)
    at.multiselect(key="district").set_value([NAM_TU_LIEM]).run()
    after_district = card_values(at)
    at.select_slider(key="years").set_value((2015, 2019)).run()
    after_year = card_values(at)
    assert_clean(at)
    assert before.keys() == after_district.keys() == after_year.keys()
    assert before != after_district != after_year


@pytest.mark.parametrize("page", ["pages/xu_huong.py", "pages/so_sanh.py"])
def test_changing_district_and_year_changes_the_charts(data_env, page):
    at = run_app(page)
    before = chart_specs(at)
    at.multiselect(key="district").set_value([NAM_TU_LIEM]).run()
    after_district = chart_specs(at)
    at.select_slider(key="years").set_value((2016, 2020)).run()
    after_year = chart_specs(at)
    assert_clean(at)
    assert before and after_district and after_year
    assert before[0]["data"] != after_district[0]["data"]
    assert after_district[0]["data"] != after_year[0]["data"]
    assert "2020" in after_year[0]["layout"]["title"]["text"]


def test_filters_survive_a_page_switch(data_env):
    at = run_app()
    at.multiselect(key="district").set_value([NAM_TU_LIEM]).run()
    at.switch_page(str(ROOT / "pages/xu_huong.py")).run()
    assert at.multiselect(key="district").value == [NAM_TU_LIEM]
    assert "Quận Nam Từ Liêm" in at.title[0].value


def test_a_copied_link_reopens_the_same_view(data_env):
    # The URL holds the labels the widgets show (Streamlit's bind="query-params").
    at = run_app(query_params={"district": "Quận Nam Từ Liêm", "years": ["2015", "2021"]})
    assert_clean(at)
    assert not at.warning
    assert at.multiselect(key="district").value == [NAM_TU_LIEM]
    assert at.select_slider(key="years").value == (2015, 2021)
    assert card_values(at)[CATALOG["compulsory_rehab"].label("vi")] == "38"


@pytest.mark.parametrize(
    "params, lang, district, grain",
    [
        # What people type and share: codes, not the widgets' labels.
        ({"lang": "en", "province": "01"}, "en", [], "year"),
        ({"lang": "en", "province": "01", "district": "019", "grain": "9m"}, "en", [NAM_TU_LIEM], "9m"),
        # Two districts by code; a label where a code could be.
        (
            {"lang": "vi", "district": ["019", "005"], "grain": "9 tháng"},
            "vi",
            [NAM_TU_LIEM, "005"],
            "9m",
        ),
    ],
)
def test_a_typed_link_may_name_filters_by_their_codes(data_env, params, lang, district, grain):
    at = run_app(query_params=params)
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.radio(key="lang").value == lang
    assert at.selectbox(key="province").value == "01"
    assert at.multiselect(key="district").value == district
    assert at.selectbox(key="grain").value == grain
    heading = at.title[0].value
    assert heading.startswith("Overview:" if lang == "en" else "Tổng quan:")
    assert "Thành phố Hà Nội" in heading or (len(district) == 1 and "Quận Nam Từ Liêm" in heading)


@pytest.mark.parametrize(
    "name,value",
    [
        ("district", "Quận Không Có"),
        ("province", "Tỉnh Không Có"),
        ("years", "hai nghìn"),
        ("grain", "tuần"),
        ("snapshot", "1999-01-01"),
        ("lang", "Klingon"),
        ("indicator", "no_such_indicator"),
    ],
)
def test_a_malformed_url_parameter_gives_a_notice_and_the_default(data_env, name, value):
    page = "pages/so_sanh.py" if name == "indicator" else None
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params[name] = value
    at.run()
    if page:
        # Page-level parameters are judged by the page; open it with the bad value in the URL.
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.run()
        at.switch_page(str(ROOT / page))
        at.query_params[name] = value
        at.run()
    assert_clean(at)
    expected = t("notice.bad_url_param", "vi", name=name, value=md_text(value))
    assert expected in [w.value for w in at.warning]
    assert at.multiselect(key="district").value == []
    assert at.selectbox(key="province").value == "01"
    assert at.select_slider(key="years").value == (2015, 2025)
    assert at.selectbox(key="grain").value == "year"
    assert at.radio(key="lang").value == "vi"


def test_an_unknown_url_parameter_gives_a_notice(data_env):
    at = run_app(query_params={"foo": "bar"})
    assert_clean(at)
    assert t("notice.unknown_url_param", "vi", name="foo") in [w.value for w in at.warning]
    assert at.title, "the page still renders"


def test_english_switch_translates_the_labels(data_env):
    at = run_app(query_params={"lang": "English"})
    assert_clean(at)
    assert at.title[0].value.startswith("Overview:")
    assert CATALOG["addicts_managed"].label("en") in card_values(at)
    assert at.selectbox(key="grain").format_func("year") == "Year"


def test_a_filter_change_never_reads_parquet_again(data_env, monkeypatch):
    at = run_app()

    def refuse(*args, **kwargs):
        raise AssertionError("Parquet read after the first load")

    monkeypatch.setattr(pl, "read_parquet", refuse)
    monkeypatch.setattr(pl, "scan_parquet", refuse)
    at.multiselect(key="district").set_value([NAM_TU_LIEM]).run()
    at.select_slider(key="years").set_value((2017, 2020)).run()
    at.selectbox(key="grain").set_value("quarter").run()
    at.switch_page(str(ROOT / "pages/xu_huong.py")).run()
    assert_clean(at)


def test_a_rejected_snapshot_is_named_and_the_valid_one_served(demo_dir, tmp_path, monkeypatch):
    root = tmp_path / "data"
    (root / "snapshots").mkdir(parents=True)
    (root / "snapshots" / "2025-12-31").symlink_to(demo_dir / "snapshots" / "2025-12-31")
    broken = root / "snapshots" / "2026-06-30"
    shutil.copytree(demo_dir / "snapshots" / "2025-12-31", broken)
    (broken / "targets.parquet").unlink()
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    at = run_app()
    assert_clean(at)
    assert any(md_text("2026-06-30") in w.value for w in at.warning)
    assert at.selectbox(key="snapshot").value == "2025-12-31"
    assert card_values(at), "the valid snapshot is served"


def test_no_snapshot_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    at = run_app()
    assert not at.exception
    assert [e.value for e in at.error] == [t("notice.no_snapshot", "vi", folder=str(tmp_path / "snapshots"))]


@pytest.mark.parametrize(
    "lang,expected",
    [
        ("vi", "Xếp hạng người nghiện có hồ sơ quản lý trên 10.000 dân: Thành phố Hà Nội, "),
        ("en", "Ranking of addicts with management records per 10,000 inhabitants: Thành phố Hà Nội, "),
    ],
)
def test_the_ranking_title_names_the_indicator_in_lower_case(data_env, lang, expected):
    at = run_app("pages/so_sanh.py", {"lang": lang})
    assert_clean(at)
    titles = [spec["layout"]["title"]["text"].replace("<br>", " ") for spec in chart_specs(at)]
    assert any(title.startswith(expected) for title in titles), titles
