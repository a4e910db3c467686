"""The command line: summary rows, as documented in the README."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dashboard import reform
from dashboard.cli import main


def _summary(capsys, *args) -> list[dict]:
    assert main(["summary", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_summary_quang_nam_nine_months_2017(capsys, newest_demo):
    rows = _summary(
        capsys, "--snapshot", str(newest_demo), "--province", "49", "--year", "2017", "--grain", "9m"
    )
    values = {r["indicator"]: r["value"] for r in rows}
    assert values["addicts_managed"] == 1456
    assert values["drug_users"] == 1793
    assert {r["unit_code"] for r in rows} == {"49"}
    assert {r["period"] for r in rows} == {"2017-01-01"}
    assert {"hiv_prevalence", "healthy_communes"} <= set(values)
    assert set(rows[0]) >= {"unit_code", "indicator", "period", "value"}


def test_summary_by_district_adds_the_children(capsys, newest_demo, geography):
    rows = _summary(
        capsys, "--snapshot", str(newest_demo), "--province", "11", "--year", "2020", "--by", "district"
    )
    units = {r["unit_code"] for r in rows}
    assert units == {"11", *geography.children("11")}
    own = {r["indicator"]: r["value"] for r in rows if r["unit_code"] == "11"}
    children = sum(r["value"] for r in rows if r["unit_code"] != "11" and r["indicator"] == "addicts_managed")
    assert own["addicts_managed"] == children


def test_summary_district_nam_tu_liem_2021(capsys, newest_demo):
    rows = _summary(capsys, "--snapshot", str(newest_demo), "--district", "019", "--year", "2021")
    values = {r["indicator"]: r["value"] for r in rows}
    assert values["compulsory_rehab"] == 38 and values["home_community_rehab"] == 54


def test_summary_whole_country_by_default(capsys, newest_demo):
    rows = _summary(capsys, "--snapshot", str(newest_demo), "--year", "2017", "--grain", "quarter")
    assert {r["unit_code"] for r in rows} == {"VN"}
    assert len({r["period"] for r in rows}) == 4


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--district", "999"], "không có trong danh mục"),
        (["--province", "49", "--district", "019"], "không thuộc"),
    ],
)
def test_summary_rejects_bad_units(newest_demo, args, words):
    with pytest.raises(SystemExit, match=words):
        main(["summary", "--snapshot", str(newest_demo), *args, "--json"])


def test_module_entry_point_reports_a_bad_year_in_vietnamese(newest_demo):
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "summary", "--snapshot", str(newest_demo), "--year", "abc"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "năm không hợp lệ" in done.stderr


def test_serve_routes_only_through_the_entry_file(monkeypatch):
    from streamlit.runtime.pages_manager import PagesManager

    from dashboard.ui import serve

    calls = []
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)  # as in a fresh server process
    monkeypatch.setattr("streamlit.web.cli.main", lambda: calls.append(list(sys.argv)) or 0)
    monkeypatch.setattr(sys, "argv", ["python"])
    assert main(["serve", "--server.port", "8599"]) == 0
    assert calls == [["streamlit", "run", str(serve.APP), "--server.port", "8599"]]
    # What the server does first with the script it runs: no pages/ folder beside it, so
    # Streamlit's old pages-folder routing stays off with no patch, and only the entry
    # script's st.navigation routes (a copied link opens with no "Page not found").
    PagesManager(str(serve.APP))
    assert PagesManager.uses_pages_directory is False


def test_summary_of_a_version_2_snapshot_is_in_the_new_units_by_default(capsys, reform_snapshot):
    args = ("--snapshot", str(reform_snapshot), "--province", "48", "--grain", "month")
    new = {r["period"]: r["value"] for r in _summary(capsys, *args) if r["indicator"] == "addicts_managed"}
    # Before July 2025 the new Thành phố Đà Nẵng is the old Đà Nẵng (48) plus Quảng Nam (49).
    old = {}
    for province in ("48", "49"):
        legacy = _summary(
            capsys, *args[:2], "--province", province, "--grain", "month", "--structure", "legacy"
        )
        for r in legacy:
            if r["indicator"] == "addicts_managed" and r["period"] < reform.STRUCTURE_FROM:
                old[r["period"]] = old.get(r["period"], 0) + r["value"]
    assert old and all(new[p] == v for p, v in old.items())
    # From July 2025 the new province's own communes.
    assert max(new) == "2026-10-01"
    communes = _summary(capsys, *args, "--by", "commune", "--year", "2026")
    july = [r for r in communes if r["indicator"] == "addicts_managed" and r["period"] == "2026-07-01"]
    assert sum(r["value"] for r in july if r["unit_code"] != "48") == new["2026-07-01"]


def test_the_new_units_have_no_districts_on_the_command_line(capsys, reform_snapshot):
    with pytest.raises(SystemExit, match="không có cấp huyện"):
        main(["summary", "--snapshot", str(reform_snapshot), "--district", "019", "--json"])
