"""Totals over several months (contract version 3): stored as reported, answered without a fake month."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from dashboard import importing, page_figures, query, schema
from dashboard.snapshot import load_snapshot, validate_snapshot, write_snapshot
from tests.support.data import workbook

THAI_NGUYEN = "19"  # Tỉnh Thái Nguyên (old units)
TP_THAI_NGUYEN = "164"  # Thành phố Thái Nguyên, one of its districts
SONG_CONG = "165"
REHAB = "compulsory_rehab"


def month(m: int, y: int = 2022) -> dt.date:
    return dt.date(y, m, 1)


def imported(tmp_path: Path, geography, rows, base=importing.NO_BASE, name="bao-cao.xlsx"):
    report = importing.import_file(workbook(facts=rows), name, tmp_path, None, base, geography)
    assert report.ok, report.lines()
    return report, load_snapshot(report.written, geography)


def answer(snap, geography, grain, codes=(THAI_NGUYEN,), years=(2022, 2022), indicator=REHAB):
    out = snap.summarize(geography, list(codes), [indicator], grain, years)
    if "gap" not in out.columns:  # no span concerns these units: the version 1 and 2 result
        out = out.with_columns(pl.lit(False).alias("gap"))
    return {(u, p): (v, g) for u, p, v, g in out.select("unit_code", "period", "value", "gap").iter_rows()}


@pytest.fixture
def thai_nguyen(tmp_path, geography):
    """'Từ đầu năm đến hết tháng 11 … 883 người; riêng tháng 11 … 54 người', nothing else."""
    return imported(
        tmp_path,
        geography,
        [(THAI_NGUYEN, "11 tháng 2022", REHAB, "883"), (THAI_NGUYEN, "tháng 11/2022", REHAB, "54")],
    )[1]


def test_thai_nguyen_is_stored_as_a_span_and_a_month(thai_nguyen):
    assert thai_nguyen.manifest["schema_version"] == schema.SCHEMA_VERSION_SPANS
    assert thai_nguyen.spans.rows() == [(month(1), month(10), THAI_NGUYEN, REHAB, 829.0)]
    assert thai_nguyen.facts.select("period", "unit_code", "indicator", "value").rows() == [
        (month(11), THAI_NGUYEN, REHAB, 54.0)
    ]
    assert thai_nguyen.last_period == month(11)


def test_thai_nguyen_by_month_november_alone_and_january_to_october_a_marked_gap(thai_nguyen, geography):
    got = answer(thai_nguyen, geography, "month")
    assert got[(THAI_NGUYEN, month(11))] == (54.0, False)
    assert [got[(THAI_NGUYEN, month(m))] for m in range(1, 11)] == [(None, True)] * 10
    assert (THAI_NGUYEN, month(12)) not in got  # nothing invented after the report either


def test_thai_nguyen_by_quarter_every_quarter_the_span_touches_is_a_gap(thai_nguyen, geography):
    got = answer(thai_nguyen, geography, "quarter")
    # October lies in the span: the fourth quarter cannot be split either.
    assert got == {(THAI_NGUYEN, month(q)): (None, True) for q in (1, 4, 7, 10)}


def test_thai_nguyen_by_year_is_the_reported_total_marked_as_eleven_months(thai_nguyen, geography):
    out = thai_nguyen.summarize(geography, [THAI_NGUYEN], [REHAB], "year", (2022, 2022))
    assert out.select("value", "gap", "complete").rows() == [(883.0, False, False)]
    labelled = page_figures.label_periods(out, "year", "vi", thai_nguyen.last_period)
    assert labelled["period_note"].to_list() == ["11 tháng"]


@pytest.mark.parametrize(
    ("grain", "expected"),
    [
        ("6m", {month(1): (None, True), month(7): (None, True)}),
        ("9m", {month(1): (None, True)}),
    ],
)
def test_thai_nguyen_half_years_and_nine_months_are_gaps(thai_nguyen, geography, grain, expected):
    got = answer(thai_nguyen, geography, grain)
    assert {p: v for (_u, p), v in got.items()} == expected


def test_a_nine_month_total_alone_gives_no_fake_january_to_june(tmp_path, geography):
    _, snap = imported(tmp_path, geography, [(THAI_NGUYEN, "9 tháng 2021", REHAB, "120")])
    months = answer(snap, geography, "month", years=(2021, 2021))
    assert {p: v for (_u, p), v in months.items()} == {month(m, 2021): (None, True) for m in range(1, 10)}
    assert snap.facts.is_empty()
    nine = answer(snap, geography, "9m", years=(2021, 2021))
    assert nine == {(THAI_NGUYEN, month(1, 2021)): (120.0, False)}


def test_two_cumulative_totals_of_a_year_give_the_months_between(tmp_path, geography):
    first, snap = imported(tmp_path, geography, [(THAI_NGUYEN, "9 tháng 2021", REHAB, "120")])
    _, snap = imported(
        tmp_path, geography, [(THAI_NGUYEN, "1-11/2021", REHAB, "150")], base=snap, name="bao-cao-11.xlsx"
    )
    assert sorted(snap.spans.rows()) == [
        (month(1, 2021), month(9, 2021), THAI_NGUYEN, REHAB, 120.0),
        (month(10, 2021), month(11, 2021), THAI_NGUYEN, REHAB, 30.0),
    ]
    quarters = answer(snap, geography, "quarter", years=(2021, 2021))
    # October–November lie wholly in the fourth quarter: 30, the rest cannot be split.
    assert quarters[(THAI_NGUYEN, month(10, 2021))] == (30.0, False)
    assert quarters[(THAI_NGUYEN, month(1, 2021))] == (None, True)
    assert answer(snap, geography, "9m", years=(2021, 2021))[(THAI_NGUYEN, month(1, 2021))] == (120.0, False)


def test_two_totals_in_one_file_are_settled_in_order(tmp_path, geography):
    _, snap = imported(
        tmp_path,
        geography,
        [(THAI_NGUYEN, "11 tháng đầu năm 2022", REHAB, "150"), (THAI_NGUYEN, "quý I/2022", REHAB, "40")],
    )
    assert sorted(snap.spans.rows()) == [
        (month(1), month(3), THAI_NGUYEN, REHAB, 40.0),
        (month(4), month(11), THAI_NGUYEN, REHAB, 110.0),
    ]
    assert answer(snap, geography, "quarter")[(THAI_NGUYEN, month(1))] == (40.0, False)


def test_a_remainder_of_one_month_is_that_month(tmp_path, geography):
    _, snap = imported(
        tmp_path,
        geography,
        [(THAI_NGUYEN, "6 tháng 2022", REHAB, "60"), (THAI_NGUYEN, "7 tháng đầu năm 2022", REHAB, "75")],
    )
    assert snap.facts.select("period", "value").rows() == [(month(7), 15.0)]
    assert snap.spans.rows() == [(month(1), month(6), THAI_NGUYEN, REHAB, 60.0)]


def test_every_earlier_month_known_books_the_rest_in_the_last_month(tmp_path, geography):
    rows = [(THAI_NGUYEN, f"{m:02d}/2022", REHAB, "10") for m in range(1, 9)]
    _, snap = imported(tmp_path, geography, [*rows, (THAI_NGUYEN, "9 tháng 2022", REHAB, "95")])
    assert snap.spans.is_empty() and snap.manifest["schema_version"] == schema.SCHEMA_VERSION
    assert snap.facts.filter(pl.col("period") == month(9))["value"].to_list() == [15.0]


def test_a_month_imported_later_at_a_span_end_shortens_it(tmp_path, geography):
    _, snap = imported(tmp_path, geography, [(THAI_NGUYEN, "9 tháng 2021", REHAB, "120")])
    _, snap = imported(
        tmp_path, geography, [(THAI_NGUYEN, "T9/2021", REHAB, "20")], base=snap, name="t9.xlsx"
    )
    assert snap.spans.rows() == [(month(1, 2021), month(8, 2021), THAI_NGUYEN, REHAB, 100.0)]
    assert snap.facts.select("period", "value").rows() == [(month(9, 2021), 20.0)]


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (
            [(THAI_NGUYEN, "9 tháng 2021", REHAB, "120"), (THAI_NGUYEN, "05/2021", REHAB, "5")],
            "không tách được",
        ),
        ([(THAI_NGUYEN, "9 tháng 2021", REHAB, "20"), (THAI_NGUYEN, "09/2021", REHAB, "30")], "nhỏ hơn"),
        ([(THAI_NGUYEN, "15/9/2021", REHAB, "20")], "chỉ dùng cho số tồn"),
    ],
)
def test_totals_that_cannot_be_settled_are_refused(tmp_path, geography, rows, words):
    report = importing.import_file(
        workbook(facts=rows), "x.xlsx", tmp_path, None, importing.NO_BASE, geography
    )
    assert not report.ok and report.written is None
    assert any(words in p.message for p in report.errors), report.lines()


def test_a_month_inside_a_stored_span_is_refused_with_the_span_named(tmp_path, geography):
    _, snap = imported(tmp_path, geography, [(THAI_NGUYEN, "9 tháng 2021", REHAB, "120")])
    report = importing.import_file(
        workbook(facts=[(THAI_NGUYEN, "tháng 5/2021", REHAB, "5")]),
        "t5.xlsx",
        tmp_path,
        None,
        snap,
        geography,
    )
    assert [p.message for p in report.errors] == [
        "tháng 05/2021 nằm trong kỳ 01/2021–09/2021 đã có tổng 120 không tách được theo tháng; chỉ nhập "
        "được tháng đầu hoặc tháng cuối của kỳ đó, không lớn hơn tổng"
    ]


def test_spans_roll_up_through_the_tree_like_months(tmp_path, geography):
    _, snap = imported(
        tmp_path,
        geography,
        [
            (TP_THAI_NGUYEN, "9 tháng 2022", REHAB, "90"),
            (SONG_CONG, "01/2022", REHAB, "4"),
            (SONG_CONG, "02/2022", REHAB, "6"),
        ],
    )
    province = answer(snap, geography, "9m")
    assert province == {(THAI_NGUYEN, month(1)): (100.0, False)}
    by_month = answer(snap, geography, "month")
    assert by_month[(THAI_NGUYEN, month(1))] == (None, True)  # one district's January is unknown
    assert answer(snap, geography, "month", codes=(SONG_CONG,))[(SONG_CONG, month(1))] == (4.0, False)
    combined = snap.summarize(
        geography, [TP_THAI_NGUYEN, SONG_CONG], [REHAB], "9m", (2022, 2022), combine_as="x"
    )
    assert combined.select("value", "gap").rows() == [(100.0, False)]
    combined = snap.summarize(
        geography, [TP_THAI_NGUYEN, SONG_CONG], [REHAB], "month", (2022, 2022), combine_as="x"
    )
    assert combined.filter(pl.col("period") == month(1)).select("value", "gap").rows() == [(None, True)]


def test_a_units_own_span_wins_over_its_childrens_months(tmp_path, geography):
    _, snap = imported(
        tmp_path,
        geography,
        [(THAI_NGUYEN, "quý I/2022", REHAB, "50"), (SONG_CONG, "02/2022", REHAB, "6")],
    )
    assert answer(snap, geography, "quarter")[(THAI_NGUYEN, month(1))] == (50.0, False)
    assert answer(snap, geography, "month")[(THAI_NGUYEN, month(2))] == (None, True)


def test_same_period_last_year_compares_the_same_months(tmp_path, geography):
    rows = [(THAI_NGUYEN, f"{m:02d}/2021", REHAB, "10") for m in range(1, 13)]
    _, snap = imported(tmp_path, geography, [*rows, (THAI_NGUYEN, "11 tháng 2022", REHAB, "150")])
    out = query.with_previous_year(snap.summarize(geography, [THAI_NGUYEN], [REHAB], "year", (2021, 2022)))
    year = out.filter(pl.col("period") == month(1)).row(0, named=True)
    # 01–11/2022 against 01–11/2021 (110), not the whole of 2021 (120).
    assert (year["value"], year["previous"], year["change"]) == (150.0, 110.0, 40.0)


def test_same_period_last_year_is_unknown_when_the_year_before_cannot_be_cut(tmp_path, geography):
    _, snap = imported(
        tmp_path,
        geography,
        [(THAI_NGUYEN, "cả năm 2021", REHAB, "120"), (THAI_NGUYEN, "1-11/2022", REHAB, "150")],
    )
    out = query.with_previous_year(snap.summarize(geography, [THAI_NGUYEN], [REHAB], "year", (2021, 2022)))
    year = out.filter(pl.col("period") == month(1)).row(0, named=True)
    assert (year["value"], year["previous"], year["change"]) == (150.0, None, None)


def test_rates_over_a_span_are_gaps_where_a_part_is(tmp_path, geography):
    _, snap = imported(
        tmp_path,
        geography,
        [
            (THAI_NGUYEN, "6 tháng 2022", "post_rehab_returnees", "40"),
            (THAI_NGUYEN, "6 tháng 2022", "post_rehab_managed", "30"),
        ],
    )
    half = snap.summarize(geography, [THAI_NGUYEN], ["post_rehab_managed_share"], "6m", (2022, 2022))
    assert half.select("period", "value", "gap").rows() == [(month(1), 75.0, False)]
    quarter = snap.summarize(geography, [THAI_NGUYEN], ["post_rehab_managed_share"], "quarter", (2022, 2022))
    assert quarter.select("period", "value", "gap").rows() == [(month(1), None, True), (month(4), None, True)]


def test_round_trip_template_import_summary(tmp_path, geography):
    """Every form a clerk types, through the handed-out template, back in a summary."""
    report, snap = imported(
        tmp_path,
        geography,
        [
            (THAI_NGUYEN, "Lũy kế 11 tháng năm 2022", REHAB, "883"),
            (THAI_NGUYEN, "riêng tháng 11/2022", REHAB, "54"),
            (THAI_NGUYEN, "15/11/2022", "addicts_managed", "1.661"),
            (THAI_NGUYEN, "từ ngày 15/12/2020 đến ngày 14/6/2021", REHAB, "300"),
        ],
    )
    assert any("09/2019/NĐ-CP" in p.message for p in report.warnings)
    year = snap.summarize(geography, [THAI_NGUYEN], [REHAB, "addicts_managed"], "year", (2021, 2022))
    assert {(i, p.year): v for i, p, v in year.select("indicator", "period", "value").iter_rows()} == {
        (REHAB, 2021): 300.0,
        (REHAB, 2022): 883.0,
        ("addicts_managed", 2022): 1661.0,
    }
    half = snap.summarize(geography, [THAI_NGUYEN], [REHAB], "6m", (2021, 2021))
    assert half.select("period", "value", "gap").rows() == [(month(1, 2021), 300.0, False)]


# ---------------------------------------------------------------- the contract


def test_version_1_and_2_snapshots_read_unchanged(demo_snapshots, reform_snapshot, geography):
    for snap in demo_snapshots.values():
        assert snap.spans.is_empty() and snap.manifest["schema_version"] == schema.SCHEMA_VERSION
        out = snap.summarize(geography, ["01"], ["compulsory_rehab"], "quarter", (2022, 2022))
        assert out.columns == list(query.RESULT_SCHEMA)  # no gap column: nothing changed
    v2, problems = validate_snapshot(reform_snapshot, geography)
    assert v2 is not None and v2.manifest["schema_version"] == schema.SCHEMA_VERSION_2025
    assert v2.spans.is_empty()


def write_with_spans(root: Path, geography, facts: pl.DataFrame, spans: pl.DataFrame) -> Path:
    return write_snapshot(
        root,
        "2022-12-01",
        facts,
        pl.DataFrame(schema=schema.STATUS_SCHEMA),
        pl.DataFrame(schema=schema.TARGETS_SCHEMA),
        as_of="2022-11-30",
        created_at="2022-12-01T00:00:00+07:00",
        source="test",
        demo=False,
        spans=spans,
    )


def span_rows(*rows) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=schema.SPANS_SCHEMA, orient="row")


FACT_NOV = pl.DataFrame([(month(11), THAI_NGUYEN, REHAB, 54.0)], schema=schema.FACTS_SCHEMA, orient="row")


@pytest.mark.parametrize(
    ("spans", "words"),
    [
        (span_rows((month(1), month(10), THAI_NGUYEN, "addicts_managed", 5.0)), "không phải số phát sinh"),
        (span_rows((month(5), month(3), THAI_NGUYEN, REHAB, 5.0)), "tháng đầu phải trước tháng cuối"),
        (span_rows((month(1), month(11), THAI_NGUYEN, REHAB, 5.0)), "tháng đó bị tính hai lần"),
        (span_rows((month(1), month(3), THAI_NGUYEN, REHAB, -1.0)), "giá trị âm"),
        (
            span_rows(
                (month(1), month(3), THAI_NGUYEN, REHAB, 1.0), (month(3), month(6), THAI_NGUYEN, REHAB, 1.0)
            ),
            "chồng lên nhau",
        ),
        (span_rows((month(1), month(3), "99", REHAB, 1.0)), "không có trong danh mục"),
    ],
)
def test_validate_checks_spans(tmp_path, geography, spans, words):
    folder = write_with_spans(tmp_path, geography, FACT_NOV, spans)
    snap, problems = validate_snapshot(folder, geography)
    assert snap is None
    assert any(p.file == schema.SPANS and words in p.message for p in problems), [str(p) for p in problems]


def test_a_valid_version_3_snapshot_and_spans_only_in_version_3(tmp_path, geography):
    folder = write_with_spans(
        tmp_path, geography, FACT_NOV, span_rows((month(1), month(10), THAI_NGUYEN, REHAB, 829.0))
    )
    snap, problems = validate_snapshot(folder, geography)
    assert snap is not None and not problems
    manifest = json.loads((folder / schema.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["schema_version"] == 3 and "structure_from" not in manifest
    manifest["schema_version"] = 1
    copy = tmp_path / "copy" / folder.name
    shutil.copytree(folder, copy)
    (copy / schema.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    snap, problems = validate_snapshot(copy, geography)
    assert snap is None and any("chỉ có từ hợp đồng dữ liệu phiên bản 3" in p.message for p in problems)


def test_goals_count_a_total_over_months_in_its_year(tmp_path, geography):
    from dashboard import goals

    data = workbook(
        facts=[(THAI_NGUYEN, "11 tháng 2022", REHAB, "883"), (THAI_NGUYEN, "tháng 11/2022", REHAB, "54")],
        targets=[("2022", THAI_NGUYEN, REHAB, "Tối thiểu", "1000")],
    )
    report = importing.import_file(data, "tn.xlsx", tmp_path, None, importing.NO_BASE, geography)
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, geography)
    (result,) = goals.evaluate(snap.in_geography(geography), unit=THAI_NGUYEN, year=2022)
    assert (result.actual, result.target) == (883, 1000)  # not November's 54 alone
    (before,) = goals.evaluate(snap.in_geography(geography), unit=THAI_NGUYEN, year=2022, as_of=month(10))
    assert before.actual == 829  # as of October, the span 01–10 has ended; November's 54 not yet


def test_the_command_line_summary_and_validate_show_the_spans(thai_nguyen, capsys):
    from dashboard.cli import main

    assert main(["validate", str(thai_nguyen.path)]) == 0
    assert "(1 dòng số liệu, 1 tổng theo kỳ nhiều tháng)" in capsys.readouterr().out
    args = ["summary", "--snapshot", str(thai_nguyen.path), "--province", THAI_NGUYEN, "--year", "2022"]
    for grain, expected in (("year", [(883.0, False)]), ("9m", [(None, True)])):
        assert main([*args, "--grain", grain, "--json"]) == 0
        rows = [r for r in json.loads(capsys.readouterr().out) if r["indicator"] == REHAB]
        assert [(r["value"], r["gap"]) for r in rows] == expected


def test_the_map_gives_a_communes_total_over_months_in_its_year(tmp_path, geography):

    from dashboard import maps

    commune = geography.descendants(TP_THAI_NGUYEN, "commune")[0]
    _, snap = imported(tmp_path, geography, [(commune, "9 tháng 2022", REHAB, "7")])
    seen = snap.in_geography(geography)
    frame = maps.map_frame(
        seen.monthly,
        seen.status,
        geography,
        (TP_THAI_NGUYEN,),
        2022,
        last_period=seen.last_period,
        indicator=REHAB,
        spans=seen.spans,
    )
    assert frame.filter(pl.col("value").is_not_null()).select("commune_code", "value").rows() == [
        (commune, 7.0)
    ]


def test_a_districts_own_span_shadows_its_communes_up_to_the_country(tmp_path, geography):
    commune = geography.descendants(TP_THAI_NGUYEN, "commune")[0]
    _, snap = imported(
        tmp_path,
        geography,
        [(TP_THAI_NGUYEN, "quý I/2022", REHAB, "50"), (commune, "1-2/2022", REHAB, "20")],
    )
    for code in (TP_THAI_NGUYEN, THAI_NGUYEN, "VN"):
        assert answer(snap, geography, "quarter", codes=(code,))[(code, month(1))] == (50.0, False), code
    assert answer(snap, geography, "quarter", codes=(commune,))[(commune, month(1))] == (20.0, False)


def test_a_span_on_a_version_2_base_gives_version_3_with_both_structures(
    tmp_path, geography, reform_snapshot
):
    base = load_snapshot(reform_snapshot, geography)
    report = importing.import_file(
        workbook(facts=[(THAI_NGUYEN, "quý I/2024", REHAB, "30")]), "tn.xlsx", tmp_path, None, base, geography
    )
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, geography)
    assert snap.manifest["schema_version"] == 3 and snap.structure_from == schema.STRUCTURE_FROM
    assert snap.spans.rows() == [(month(1, 2024), month(3, 2024), THAI_NGUYEN, REHAB, 30.0)]
    assert answer(snap, geography, "quarter", years=(2024, 2024))[(THAI_NGUYEN, month(1, 2024))] == (
        30.0,
        False,
    )
