"""Tổng quan with partial data: every headline says how many units reported; commune counts say
their source, and unknown ones read "chưa có số liệu", never 0."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import schema
from dashboard.catalog import CATALOG
from dashboard.geography import Geography
from dashboard.i18n import t
from dashboard.snapshot import write_snapshot
from tests.support.apptest import open_menus
from tests.support.cards import all_notes, card_notes, card_values
from tests.support.data import NAM_TU_LIEM, REPORTING, partial_tables

ROOT = Path(__file__).resolve().parents[2]
HANOI = "01"


@pytest.fixture
def partial_env(tmp_path: Path, geography: Geography, monkeypatch: pytest.MonkeyPatch) -> Path:
    facts, status, targets = partial_tables(geography)
    write_snapshot(
        tmp_path / "snapshots",
        "2022-12-31",
        facts,
        status,
        targets,
        as_of="2022-12-31",
        created_at="2023-01-05T08:00:00+07:00",
        source="Báo cáo thử",
        demo=False,
    )
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    return tmp_path


def test_overview_says_how_many_units_reported_and_marks_partial_figures(partial_env):
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=120)
    at.run()
    at.multiselect(key="district").set_value([NAM_TU_LIEM]).run()
    assert not at.exception, [e.value for e in at.exception]
    values, notes = card_values(at), card_notes(at)
    assert values[CATALOG["addicts_managed"].label("vi")] == "90"
    assert f"một phần: {REPORTING}/10 xã, phường" in notes[CATALOG["addicts_managed"].label("vi")]
    # The district's own count, said to be the report's; complex and key: unknown, not 0.
    assert values[CATALOG["healthy_communes"].label("vi")] == "4"
    assert "theo số báo cáo" in notes[CATALOG["healthy_communes"].label("vi")]
    assert values[CATALOG["complex_communes"].label("vi")] == "chưa có số liệu"
    assert values[CATALOG["key_communes"].label("vi")] == "chưa có số liệu"


def test_province_headline_is_marked_as_built_from_one_district(partial_env, geography):
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="province").value == HANOI
    districts = len(geography.children(HANOI))
    captions = all_notes(at)  # the lines under the cards
    assert f"một phần: 1/{districts} quận, huyện" in captions
    # Nam Từ Liêm's reported healthy communes are Hà Nội's only count: marked as partial too.
    assert f"theo số báo cáo · một phần: 1/{districts} quận, huyện" in captions


def test_trends_table_and_its_download_say_how_many_units_reported(partial_env):
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(str(ROOT / "pages/xu_huong.py")).run()
    at.multiselect(key="district").set_value([NAM_TU_LIEM]).run()
    assert not at.exception, [e.value for e in at.exception]
    tables_shown = [d.value for d in open_menus(at).dataframe]  # the folded tables, opened
    column = t("column.coverage", "vi")
    with_coverage = [frame for frame in tables_shown if column in frame.columns]
    assert with_coverage, [list(frame.columns) for frame in tables_shown]
    assert set(with_coverage[0][column]) == {f"một phần: {REPORTING}/10 xã, phường"}
    # The year's months are all there, but not its wards: the figure is not complete.
    assert set(with_coverage[0][t("column.complete", "vi")]) == {t("value.no", "vi")}


def test_map_legend_says_how_many_communes_have_a_figure(partial_env):
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=120)
    at.run()
    at.multiselect(key="district").set_value([NAM_TU_LIEM]).run()
    at.switch_page(str(ROOT / "pages/ban_do.py")).run()
    at.radio(key="map_view").set_value("indicator").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f">{REPORTING}/10 xã, phường đã báo cáo<" in m.value for m in at.markdown)


def test_a_province_that_reported_18_of_142_drug_free_communes_shows_12_68_percent(
    tmp_path, geography, monkeypatch
):
    """The reference lists 172 communes in Thái Nguyên; the report's own 142 is the base."""
    facts = pl.DataFrame(
        [
            (dt.date(2022, 12, 1), "19", "reported_drug_free_communes", 18.0),
            (dt.date(2022, 12, 1), "19", "reported_commune_total", 142.0),
        ],
        schema=schema.FACTS_SCHEMA,
        orient="row",
    )
    write_snapshot(
        tmp_path / "snapshots", "2022-12-31", facts,
        pl.DataFrame(schema=schema.STATUS_SCHEMA), pl.DataFrame(schema=schema.TARGETS_SCHEMA),
        as_of="2022-12-31", created_at="2023-01-05T08:00:00+07:00", source="Báo cáo thử", demo=False,
    )  # fmt: skip
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=120)
    at.query_params["province"] = "19"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    label = CATALOG["drug_free_share"].label("vi")
    assert card_values(at)[label] == "12,68%"
    assert "theo số báo cáo" in card_notes(at)[label]


def test_country_commune_counts_say_the_lists_cover_some_provinces(data_env, newest_demo, geography):
    """The demo's lists classify the communes of a few provinces: the country's counts and its
    drug-free share are theirs alone, and the cards say so (they read as the nation's before)."""
    from dashboard import reform, structure
    from dashboard.snapshot import load_snapshot
    from dashboard.view import load_view

    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=120)
    at.query_params["province"] = "VN"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # The lists as the page reads them: in the structure the sidebar opened.
    shown = at.sidebar.radio(key="structure").value
    geo = reform.geography_2025() if shown == structure.NEW else geography
    status = load_view(load_snapshot(newest_demo, geography), shown, geo).status
    year = int(status["year"].max())
    provinces = geo.children("VN")
    listed = {geo.ancestors(c)[-2] for c in status.filter(pl.col("year") == year)["commune_code"]}
    assert 0 < len(listed) < len(provinces)
    expected = f"theo danh sách xã · một phần: {len(listed)}/{len(provinces)} tỉnh, thành phố"
    notes = card_notes(at)
    for indicator in ("key_communes", "healthy_communes", "drug_free_share"):
        assert notes[CATALOG[indicator].label("vi")] == (expected,), indicator
