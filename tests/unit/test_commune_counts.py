"""Commune counts as reports print them ("18/142 xã … không có tệ nạn ma túy"): import, base, source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from dashboard import goals, importing, query, schema
from dashboard.catalog import CATALOG, REPORTED_COUNTS
from dashboard.formatting import fmt_pct
from dashboard.geography import Geography
from dashboard.snapshot import load_snapshot, write_snapshot
from tests.support.data import small_reference, workbook

THAI_NGUYEN = "19"  # 172 communes in the reference (early 2025); its 2022 report counted 142
NAM_TU_LIEM = "019"  # 10 wards
CAU_DIEN, XUAN_PHUONG = "00592", "00622"
BASE_ID = "2022-12-31"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    facts = pl.DataFrame(
        [(dt.date(2022, 1, 1), CAU_DIEN, "addicts_managed", 40.0)], schema=schema.FACTS_SCHEMA, orient="row"
    )
    write_snapshot(
        tmp_path / "snapshots",
        BASE_ID,
        facts,
        pl.DataFrame(schema=schema.STATUS_SCHEMA),
        pl.DataFrame(schema=schema.TARGETS_SCHEMA),
        as_of=BASE_ID,
        created_at="2022-12-31T17:00:00+07:00",
        source="cơ sở",
        demo=False,
    )
    return tmp_path


def _import(data_dir: Path, geography, **sheets):
    base = load_snapshot(data_dir / "snapshots" / BASE_ID, geography)
    report = importing.import_file(workbook(**sheets), "bc.xlsx", data_dir, "2022-12-31", base, geography)
    return report


def _summary(snap, geography, codes, indicators, year=2022):
    out = query.summarize(
        query.from_facts(snap.facts, geography),
        snap.status,
        geography,
        codes,
        indicators,
        grain="year",
        years=(year, year),
    )
    return {(u, i): v for u, i, v in out.select("unit_code", "indicator", "value").iter_rows()}


def test_count_over_the_reports_own_total_reproduces_its_share(data_dir, geography):
    """18/142 drug-free communes is 12,676% (shown 12,68%), though the reference lists 172 communes."""
    report = _import(
        data_dir,
        geography,
        facts=[
            ("Tỉnh Thái Nguyên", "năm 2022", "Xã, phường, thị trấn không có tệ nạn ma túy", "18/142"),
            ("Tỉnh Thái Nguyên", "năm 2022", "Tỷ lệ xã, phường không có ma túy", "12,676%"),
        ],
    )
    assert report.ok, report.lines()
    assert not report.warnings, report.lines()  # the typed share matches its own parts
    snap = load_snapshot(report.written, geography)
    values = _summary(snap, geography, [THAI_NGUYEN], ["drug_free_communes", "drug_free_share"])
    assert values[(THAI_NGUYEN, "drug_free_communes")] == 18
    assert values[(THAI_NGUYEN, "drug_free_share")] == pytest.approx(18 / 142 * 100)
    assert fmt_pct(values[(THAI_NGUYEN, "drug_free_share")]) == "12,68%"
    counts = query.status_counts(
        snap.status, geography, [THAI_NGUYEN], (2022, 2022), query.reported_by_year(snap.facts)
    )
    row = counts.row(0, named=True)
    assert (row["source"], row["commune_total"]) == ("report", 142)
    # 142 − 18 communes have drug problems, by the report's own total.
    assert row["drug_problem_communes"] == 124


def test_a_typed_share_that_its_counts_contradict_is_warned(data_dir, geography):
    report = _import(
        data_dir,
        geography,
        facts=[
            (THAI_NGUYEN, "năm 2022", "drug_free_communes", "18/142"),
            (THAI_NGUYEN, "năm 2022", "drug_free_share", "15%"),
        ],
    )
    assert report.ok
    assert any("ghi 15%" in w.message and "12,68%" in w.message for w in report.warnings), report.lines()


def test_healthy_count_alone_leaves_complex_and_key_unknown(data_dir, geography):
    report = _import(data_dir, geography, facts=[(NAM_TU_LIEM, "12/2022", "Xã, phường lành mạnh", "95")])
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, geography)
    values = _summary(
        snap, geography, [NAM_TU_LIEM], ["healthy_communes", "complex_communes", "key_communes"]
    )
    assert values == {(NAM_TU_LIEM, "healthy_communes"): 95}


@pytest.mark.parametrize(
    ("typed", "metric"),
    [
        ("Xã, phường trọng điểm về ma túy", "key_communes"),
        ("complex_communes", "complex_communes"),
        ("Xã lành mạnh", "healthy_communes"),
        ("Xã, phường không có ma túy", "drug_free_communes"),
        ("Xã, phường có tệ nạn ma túy", "drug_problem_communes"),
        ("reported_drug_problem_communes", "drug_problem_communes"),
    ],
)
def test_round_trip_of_each_count_from_template_to_summary(typed, metric, data_dir, geography):
    report = _import(data_dir, geography, facts=[("Quận Nam Từ Liêm", "9 tháng 2022", typed, "7")])
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, geography)
    stored = snap.facts.filter(pl.col("unit_code") == NAM_TU_LIEM)
    assert stored.select("period", "indicator", "value").rows() == [
        (dt.date(2022, 9, 1), REPORTED_COUNTS[metric], 7.0)
    ]
    assert _summary(snap, geography, [NAM_TU_LIEM], [metric]) == {(NAM_TU_LIEM, metric): 7}


@pytest.mark.parametrize(
    ("unit", "value", "words"),
    [
        (CAU_DIEN, "1", "chỉ ghi cho tỉnh, huyện"),
        (NAM_TU_LIEM, "2,5", "không phải số nguyên"),
        (NAM_TU_LIEM, "bảy", "không phải là số"),
    ],
)
def test_counts_are_refused_on_a_commune_or_when_not_whole(unit, value, words, data_dir, geography):
    report = _import(data_dir, geography, facts=[(unit, "12/2022", "Xã không ma túy", value)])
    assert not report.ok
    assert any(words in e.message and e.where == "dòng 2" for e in report.errors), report.lines()
    assert report.written is None


def test_the_list_wins_over_the_report_and_says_so(data_dir, geography):
    report = _import(
        data_dir,
        geography,
        facts=[(NAM_TU_LIEM, "năm 2022", "Xã không ma túy", "8/10")],
        status=[
            (2022, CAU_DIEN, "Không ma túy", "Không", "Có"),
            (2022, XUAN_PHUONG, "Có tệ nạn", "Có", "Không"),
        ],
    )
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, geography)
    values = _summary(
        snap, geography, [NAM_TU_LIEM], ["drug_free_communes", "drug_free_share", "complex_communes"]
    )
    # One drug-free commune by the list; the share over the report's own 10 communes.
    assert values[(NAM_TU_LIEM, "drug_free_communes")] == 1
    assert values[(NAM_TU_LIEM, "drug_free_share")] == pytest.approx(10.0)
    assert values[(NAM_TU_LIEM, "complex_communes")] == 1
    counts = query.status_counts(snap.status, geography, [NAM_TU_LIEM], (2022, 2022))
    assert counts["source"].to_list() == ["list"]
    # The import said so, with both figures.
    assert [w.message for w in report.warnings] == [
        "Xã, phường không có ma túy của Quận Nam Từ Liêm năm 2022: báo cáo ghi 8, danh sách xã ở trang "
        "'Phân loại xã' có 1 — dùng số theo danh sách xã"
    ]


def test_a_list_silent_on_complex_and_healthy_gives_unknown_not_zero(data_dir, geography):
    report = _import(
        data_dir,
        geography,
        status=[
            (2022, CAU_DIEN, "Không ma túy", "", ""),
            (2022, XUAN_PHUONG, "Trọng điểm loại III", None, None),
        ],
    )
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, geography)
    assert snap.status["complex"].null_count() == 2 and snap.status["healthy"].null_count() == 2
    values = _summary(
        snap, geography, [NAM_TU_LIEM], ["key_communes", "complex_communes", "healthy_communes"]
    )
    assert values == {(NAM_TU_LIEM, "key_communes"): 1}


def test_one_stated_flag_makes_the_list_count_known():
    """A list that marks complex communes "Có" and leaves the others blank counts the marked ones."""
    status = pl.DataFrame(
        {
            "year": [2022] * 3,
            "commune_code": ["90001", "90002", "90003"],
            "drug_class": ["co_te_nan", "khong_ma_tuy", "khong_ma_tuy"],
            "complex": [True, None, None],
            "healthy": [None, None, None],
        },
        schema=schema.STATUS_SCHEMA,
    )
    geo = Geography.from_frame(small_reference())
    row = query.status_counts(status, geo, ["90"]).row(0, named=True)
    assert (row["complex_communes"], row["healthy_communes"]) == (1, None)


def test_share_is_over_every_commune_not_the_listed_ones(geography):
    """A recognition list naming a quarter of a district's communes (all drug-free) shows 25%, not 100%."""
    communes = geography.descendants(NAM_TU_LIEM, "commune")[:2]  # 2 of 10 wards, then 1 of 4 in a province
    status = pl.DataFrame(
        {"year": [2022, 2022], "commune_code": communes, "drug_class": ["khong_ma_tuy"] * 2,
         "complex": [None, None], "healthy": [None, None]},
        schema=schema.STATUS_SCHEMA,
    )  # fmt: skip
    out = query.summarize(_no_facts, status, geography, [NAM_TU_LIEM], ["drug_free_share"])
    assert out["value"].to_list() == [pytest.approx(20.0)]
    district_of_four = next(
        d
        for d in geography.units_at("district")["unit_code"]
        if len(geography.descendants(d, "commune")) == 4
    )
    one = geography.descendants(district_of_four, "commune")[:1]
    status = status.head(1).with_columns(pl.lit(one[0]).alias("commune_code"))
    out = query.summarize(_no_facts, status, geography, [district_of_four], ["drug_free_share"])
    assert out["value"].to_list() == [pytest.approx(25.0)]


def _no_facts(codes, indicators, years):
    return pl.DataFrame(schema=schema.FACTS_SCHEMA)


@pytest.mark.parametrize(
    ("before", "after", "rule", "value", "met"),
    [
        (124, 100, "reduce_at_least_pct", 15.0, True),  # −19,35%
        (124, 120, "reduce_at_least_pct", 15.0, False),  # −3,23%
        (124, 100, "at_most", 100.0, True),
    ],
)
def test_communes_with_drug_problems_target_is_judged(before, after, rule, value, met, data_dir, geography):
    """ "Giảm số xã có tệ nạn ma túy": the reported counts of two years judged as any target."""
    report = _import(
        data_dir,
        geography,
        facts=[
            (THAI_NGUYEN, "12/2021", "Xã có tệ nạn ma túy", str(before)),
            (THAI_NGUYEN, "12/2022", "Xã có tệ nạn ma túy", str(after)),
        ],
        targets=[(2022, THAI_NGUYEN, "drug_problem_communes", rule, str(value), "KH")],
    )
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, geography)
    (result,) = [
        r
        for r in goals.evaluate_frames(
            snap.facts, snap.status, snap.targets, geography, as_of=dt.date(2022, 12, 1)
        )
        if r.metric == "drug_problem_communes"
    ]
    assert (result.actual, result.previous, result.met) == (after, before, met)
    assert CATALOG["drug_problem_communes"].better == "down"


def test_the_guide_sheet_explains_counts_and_unknown_flags():
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(importing.template_bytes()))
    guide = "\n".join(str(c.value) for c in book[importing.SHEET_HELP]["A"] if c.value)
    assert "18/142" in guide and "chưa có số liệu, không phải 0" in guide
    # The guide lists each count by id and label: the words the figures sheet now accepts.
    for status_id in REPORTED_COUNTS:
        if status_id in CATALOG:
            assert f"{status_id} — {CATALOG[status_id].label_vi}" in guide


@pytest.mark.parametrize(
    ("complex_", "healthy", "expected"),
    [
        ([None, None, None], [None, None, None], (None, None)),  # nothing said: unknown
        ([True, None, None], [False, None, None], (True, False)),  # one settles it
        ([False, None, False], [True, True, None], (None, None)),  # one silent: unknown
        ([False, False, False], [True, True, True], (False, True)),
    ],
)
def test_merged_communes_keep_unknown_flags_unknown(complex_, healthy, expected):
    """Old communes 18622, 18628 and 18637 became one 2025 commune (18628)."""
    from dashboard import reform

    status = pl.DataFrame(
        {
            "year": [2022] * 3,
            "commune_code": ["18622", "18628", "18637"],
            "drug_class": ["khong_ma_tuy"] * 3,
            "complex": complex_,
            "healthy": healthy,
        },
        schema=schema.STATUS_SCHEMA,
    )
    out = reform.status_to_new_structure(status, reform.load_crosswalk(), structure_from=None)
    assert out.select("commune_code", "complex", "healthy").rows() == [("18628", *expected)]


def test_a_goal_on_communes_with_drug_problems_is_projected_and_drawn(data_dir, geography):
    from dashboard import goal_charts

    report = _import(
        data_dir,
        geography,
        facts=[
            (THAI_NGUYEN, f"12/{year}", "Xã có tệ nạn ma túy", str(count))
            for year, count in ((2020, 140), (2021, 130), (2022, 124))
        ],
        targets=[(2024, THAI_NGUYEN, "drug_problem_communes", "at_most", "100", "KH")],
    )
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, geography)
    (goal,) = goals.project_goals(
        snap.in_geography(geography), unit=THAI_NGUYEN, metric="drug_problem_communes"
    )
    assert goal.deadline == 2024 and goal.verdict in goals.VERDICTS
    (figure,) = goal_charts.commune_trajectories([goal])
    drawn = [v for trace in figure.data for v in (trace.y or ()) if v is not None]
    assert {140, 130, 124} <= set(drawn)
