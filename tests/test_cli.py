"""The command line: summary rows, as documented in the README."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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

    from dashboard import serve

    calls = []
    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    monkeypatch.setattr("streamlit.web.cli.main", lambda: calls.append(list(sys.argv)) or 0)
    monkeypatch.setattr(sys, "argv", ["python"])
    assert main(["serve", "--server.port", "8599"]) == 0
    assert PagesManager.uses_pages_directory is False
    assert calls == [["streamlit", "run", str(serve.APP), "--server.port", "8599"]]
