"""The goals command: the JSON it prints is the engine's judgement, the same the page shows."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard import goals
from dashboard.cli import main

REQUIRED_FIELDS = {
    "unit_code",
    "year",
    "metric",
    "rule",
    "target",
    "previous",
    "actual",
    "achievement_pct",
    "met",
}


def _goals(capsys, *args) -> list[dict]:
    assert main(["goals", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("args", "as_of", "year", "expected"),
    [
        ([], None, 2021, {"compulsory_rehab": 118.75, "home_community_rehab": 180.0}),
        (
            ["--as-of", "2022-09"],
            dt.date(2022, 9, 1),
            2022,
            {"compulsory_rehab": 68.75, "voluntary_rehab_center": 106.67},
        ),
    ],
)
def test_nam_tu_liem_quotas(capsys, newest_demo, geography, demo_snapshots, args, as_of, year, expected):
    rows = _goals(capsys, "--snapshot", str(newest_demo), "--unit", "019", "--year", str(year), *args)
    assert rows and all(set(r) >= REQUIRED_FIELDS for r in rows)
    got = {r["metric"]: r["achievement_pct"] for r in rows}
    assert {m: got[m] for m in expected} == expected
    # The same objects as the engine gives the page.
    snapshot = demo_snapshots[newest_demo.name]
    engine = goals.evaluate(snapshot.in_geography(geography), unit="019", year=year, as_of=as_of)
    assert rows == [goals.worded(r.to_dict()) for r in engine]
    # Statuses and verdicts as the README documents them: Vietnamese words, not the engine's ids.
    assert {r["status"] for r in rows} <= {"đạt", "chưa đạt", "có nguy cơ", "không đủ số liệu"}
    assert {r["status"] for r in rows} & {"đạt", "có nguy cơ"}
    assert {e.status for e in engine} <= set(goals.STATUSES)
    assert all(r["partial"] is (as_of is not None) for r in rows)


def test_dien_bien_without_a_year_lists_every_year(capsys, newest_demo):
    rows = _goals(capsys, "--snapshot", str(newest_demo), "--unit", "11")
    years = {r["year"] for r in rows}
    assert set(range(2017, 2026)) <= years
    relapse_rows = [r for r in rows if r["rule"] == "keep_all" and r["met"] is False]
    assert relapse_rows and all(r["left_communes"] for r in relapse_rows)
    assert all({"code", "name"} == set(c) for r in relapse_rows for c in r["left_communes"])


def test_projections(capsys, newest_demo):
    rows = _goals(capsys, "--snapshot", str(newest_demo), "--unit", "11", "--projections")
    by_metric = {r["metric"]: r for r in rows}
    assert by_metric["drug_free_share"]["deadline"] == 2030
    assert by_metric["drug_free_share"]["verdict"] in {"đúng tiến độ", "có nguy cơ", "chệch hướng"}
    assert by_metric["drug_free_share"]["method_text"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--unit", "999"], "không có trong danh mục"),
        (["--as-of", "2022-13"], "tháng đánh giá không hợp lệ"),
        (["--as-of", "09/2022"], "tháng đánh giá không hợp lệ"),
    ],
)
def test_bad_arguments_are_refused_in_vietnamese(newest_demo, args, words):
    with pytest.raises(SystemExit, match=words):
        main(["goals", "--snapshot", str(newest_demo), *args, "--json"])


def test_text_output(capsys, newest_demo):
    assert main(["goals", "--snapshot", str(newest_demo), "--unit", "019", "--year", "2021"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("compulsory_rehab" in line and "118,75%" in line for line in lines)
