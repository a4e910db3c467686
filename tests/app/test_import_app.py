"""The Dữ liệu page's import (AppTest): the base is chosen, never the demo by default; a report in the
new units (Phường Hoàng Mai, Hà Nội, 11/2026) lands in the newest snapshot and is seen on the overview
in the new units, with the 2025–2026 history of its base intact."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import demo, importing, reform, structure
from dashboard.catalog import CATALOG
from dashboard.geography import Geography
from dashboard.i18n import t
from dashboard.snapshot import load_snapshot, survey
from tests.support.cards import card_values

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/du_lieu.py"
HOANG_MAI = "00331"  # Phường Hoàng Mai, Thành phố Hà Nội (new units)
REPORT = 'Mã đơn vị,Kỳ báo cáo,Chỉ tiêu,Giá trị\n"Phường Hoàng Mai, Hà Nội",11/2026,addicts_managed,321\n'


@pytest.fixture
def data_dir(reform_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(reform_dir / "snapshots", tmp_path / "snapshots")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    return tmp_path


def data_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=180)
    at.run()
    at.switch_page(str(ROOT / PAGE)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_demo_is_never_the_default_base(data_dir):
    at = data_page()
    listing = at.dataframe[0].value  # when each snapshot was made, and the date of its figures
    made = dict(zip(listing[t("data.col.snapshot")], listing[t("data.col.created")], strict=True))
    as_of = dict(zip(listing[t("data.col.snapshot")], listing[t("data.col.as_of")], strict=True))
    assert made["2026-10-31"] == "31/10/2026 17:00" and as_of["2026-10-31"] == "31/10/2026"
    base = at.selectbox(key="import_base")
    assert base.value is None  # the newest snapshot is the demo: a choice must be made
    assert base.options[:2] == [
        t("data.base_newest", snapshot=demo.REFORM_SNAPSHOT[0], demo=t("data.base_demo")),
        t("data.base_none"),
    ]
    assert t("data.base_first") in [i.value for i in at.info]
    assert not at.get("file_uploader")


def test_a_new_unit_report_imported_from_the_page_is_seen_in_the_new_units(data_dir):
    geography = Geography.from_reference()
    base = load_snapshot(data_dir / "snapshots" / demo.REFORM_SNAPSHOT[0], geography)
    at = data_page()
    at.selectbox(key="import_base").set_value(importing.NEWEST).run()
    at.file_uploader(key="upload").upload("hoang-mai-11-2026.csv", REPORT.encode(), "text/csv").run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    assert at.success[0].value == t("data.check_ok", facts=1, warnings=0)
    at.button(key="do_import").click().run()
    newest = survey(data_dir, geography).valid[0]
    assert at.success[-1].value == t("data.imported", snapshot=newest, as_of="30/11/2026")
    assert at.sidebar.selectbox(key="snapshot").value == newest  # the sidebar switched to it

    # The new snapshot is version 2, still marked demo (its base was chosen), and holds every row
    # of its base plus the report's.
    snap = load_snapshot(data_dir / "snapshots" / newest, geography)
    assert snap.structure_from == reform.REFORM_DATE and snap.demo
    assert snap.manifest["base_snapshot"] == demo.REFORM_SNAPSHOT[0]
    added = snap.facts.join(base.facts, on=["period", "unit_code", "indicator", "value"], how="anti")
    assert added.rows() == [(dt.date(2026, 11, 1), HOANG_MAI, "addicts_managed", 321.0)]

    # Read back through the query core in the new units: Hà Nội's months from July 2025 unchanged,
    # November 2026 added for the ward.
    new_geo = reform.geography_2025()
    seen, was = (structure.restructure(s, structure.NEW) for s in (snap, base))
    months = (2025, 2026)
    for unit in ("01", HOANG_MAI):
        before = was.summarize(new_geo, [unit], ["addicts_managed"], grain="month", years=months)
        after = seen.summarize(new_geo, [unit], ["addicts_managed"], grain="month", years=months)
        history = after.filter(pl.col("period") <= dt.date(2026, 10, 1))
        assert history.select("period", "value").equals(before.select("period", "value"))
        assert before["period"].min() == dt.date(2025, 1, 1)  # the 2025-2026 history is there
    ward = seen.summarize(new_geo, [HOANG_MAI], ["addicts_managed"], grain="month", years=(2026, 2026))
    assert ward.filter(pl.col("period") == dt.date(2026, 11, 1))["value"].to_list() == [321]

    # And on the overview, which opens on the newest snapshot, in the new units.
    at = AppTest.from_file(str(ROOT / "dashboard" / "ui" / "app.py"), default_timeout=180)
    at.query_params.update(
        {
            "province": "Thành phố Hà Nội",
            "communes_2025": "Phường Hoàng Mai",
            "years": ["2026", "2026"],
            "grain": t("grain.month"),
        }
    )
    at.run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    assert at.selectbox(key="snapshot").value == newest
    assert at.radio(key="structure").value == structure.NEW
    assert card_values(at)[CATALOG["addicts_managed"].label("vi")] == "321"
