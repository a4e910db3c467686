"""Coverage over space ("27/30 xã, phường đã báo cáo") and completeness per unit, on a crafted tree."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard import coverage, query
from dashboard.geography import COUNTRY_CODE
from tests.support.data import EMPTY_STATUS, facts_frame

# small_geo: province 90 → district 901 (communes 90001, 90002), district 902 (commune 90003).
JAN, DEC = dt.date(2022, 1, 1), dt.date(2022, 12, 1)


def _rows(frame: pl.DataFrame) -> dict[str, tuple]:
    return {
        r["unit_code"]: (r["child_level"], r["reported"], r["total"], r["own"], r["complete"])
        for r in frame.iter_rows(named=True)
    }


@pytest.mark.parametrize(
    ("reporting", "expected"),
    [
        (  # full: every commune reported
            {"90001", "90002", "90003"},
            {
                "90": ("district", 2, 2, False, True),
                "901": ("commune", 2, 2, False, True),
                "902": ("commune", 1, 1, False, True),
                "90001": (None, 0, 0, True, True),
            },
        ),
        (  # partial: one commune of three
            {"90001"},
            {
                "90": ("district", 1, 2, False, False),
                "901": ("commune", 1, 2, False, False),
                "902": ("commune", 0, 1, False, False),
                "90001": (None, 0, 0, True, True),
            },
        ),
        (  # none
            set(),
            {
                "90": ("district", 0, 2, False, False),
                "901": ("commune", 0, 2, False, False),
                "902": ("commune", 0, 1, False, False),
                "90001": (None, 0, 0, False, False),
            },
        ),
        (  # a district's own figure makes it complete without its communes
            {"902", "90001", "90002"},
            {
                "90": ("district", 2, 2, False, True),
                "901": ("commune", 2, 2, False, True),
                "902": ("commune", 0, 1, True, True),
                "90001": (None, 0, 0, True, True),
            },
        ),
        (  # the province's own figure: complete, though only one district reported below it
            {"90", "90003"},
            {
                "90": ("district", 1, 2, True, True),
                "901": ("commune", 0, 2, False, False),
                "902": ("commune", 1, 1, False, True),
                "90001": (None, 0, 0, False, False),
            },
        ),
    ],
)
def test_coverage_counts_child_units_and_completeness_per_unit(small_geo, reporting, expected):
    out = coverage.coverage(small_geo, ["90", "901", "902", "90001"], reporting)
    assert _rows(out) == expected


def test_country_counts_its_provinces(small_geo):
    out = coverage.coverage(small_geo, [COUNTRY_CODE], {"90003"})
    assert _rows(out) == {COUNTRY_CODE: ("province", 1, 1, False, False)}


def test_units_reporting_reads_the_period_and_indicators_asked():
    facts = facts_frame(
        [
            ("2022-03", "90001", "addicts_managed", 5),
            ("2022-03", "90002", "compulsory_rehab", 1),
            ("2021-12", "90003", "addicts_managed", 7),
        ]
    )
    assert coverage.units_reporting(facts, ["addicts_managed"], JAN, DEC) == {"90001"}
    assert coverage.units_reporting(facts.lazy(), None, JAN, DEC) == {"90001", "90002"}


@pytest.mark.parametrize(
    ("row", "vi", "en", "mark"),
    [
        (
            {"child_level": "commune", "reported": 27, "total": 30, "own": False, "complete": False},
            "27/30 xã, phường đã báo cáo",
            "27 of 30 communes reported",
            "một phần: 27/30 xã, phường",
        ),
        (
            {"child_level": "district", "reported": 9, "total": 9, "own": False, "complete": True},
            "9/9 quận, huyện đã báo cáo",
            "9 of 9 districts reported",
            "",
        ),
        (
            {"child_level": "district", "reported": 1, "total": 9, "own": True, "complete": True},
            "số của chính đơn vị",
            "the unit's own figure",
            "",
        ),
        ({"child_level": None, "reported": 0, "total": 0, "own": True, "complete": True}, "", "", ""),
    ],
)
def test_coverage_words(row, vi, en, mark):
    assert coverage.coverage_text(row, "vi") == vi
    assert coverage.coverage_text(row, "en") == en
    assert coverage.partial_mark(row, "vi") == mark


def test_complete_is_per_unit_not_per_snapshot(small_geo):
    """A commune whose figures stop in August has no complete 2022, though another reaches December."""
    facts = facts_frame(
        [(f"2022-{m:02d}", "90001", "addicts_managed", 10) for m in range(1, 9)]
        + [(f"2022-{m:02d}", "90003", "addicts_managed", 20) for m in range(1, 13)]
    )
    out = query.summarize(
        query.from_facts(facts, small_geo),
        EMPTY_STATUS,
        small_geo,
        ["90001", "90003"],
        ["addicts_managed"],
        grain="year",
    )
    assert dict(out.select("unit_code", "complete").iter_rows()) == {"90001": False, "90003": True}


def test_word_report_says_how_many_units_reported_and_that_the_figures_are_partial(tmp_path, geography):
    """Export: the meeting pack's report (text and Word) carries the coverage of its unit."""
    import io

    import docx

    from dashboard import meeting, report
    from dashboard.snapshot import load_snapshot, write_snapshot
    from tests.support.data import NAM_TU_LIEM, REPORTING, partial_tables

    write_snapshot(
        tmp_path / "snapshots", "2022-12-31", *partial_tables(geography),
        as_of="2022-12-31", created_at="2023-01-05T08:00:00+07:00", source="Báo cáo thử", demo=False,
    )  # fmt: skip
    snap = load_snapshot(tmp_path / "snapshots" / "2022-12-31", geography)
    pack = meeting.build_pack(snap.in_geography(geography), NAM_TU_LIEM, 2022, "year", ["drugs"])
    assert (pack.coverage["reported"], pack.coverage["total"], pack.coverage["complete"]) == (
        REPORTING,
        10,
        False,
    )
    words = (
        f"{REPORTING}/10 xã, phường đã báo cáo. Số liệu chưa đầy đủ (một phần: {REPORTING}/10 xã, phường)."
    )
    assert words in report.report_text(pack)
    doc = docx.Document(io.BytesIO(report.report_docx(pack)))
    assert any(words in p.text for p in doc.paragraphs)


@pytest.mark.parametrize(
    ("column", "reported"),
    [("addicts_managed", 2), (None, 1)],
)
def test_map_reporting_row_counts_communes_with_a_figure(column, reported):
    from dashboard import maps

    frame = pl.DataFrame(
        {
            "commune_code": ["1", "2", "3"],
            "category": ["key", "no_data", "no_data"],
            "addicts_managed": [4.0, None, 0.0],
            "value": [None, None, None],
        }
    )
    row = maps.reporting_row(frame, column)
    assert (row["reported"], row["total"], row["complete"]) == (reported, 3, False)
    words = "đã báo cáo" if column else "đã có phân loại"
    assert coverage.coverage_text(row) == f"{reported}/3 xã, phường {words}"


def test_the_reporting_index_counts_any_measured_figure_not_a_reported_commune_count(small_geo):
    facts = facts_frame(
        [
            ("2022-01", "90001", "addicts_managed", 5),
            ("2022-01", "90001", "compulsory_rehab", 1),
            ("2022-02", "90003", "hiv_cases", 2),
            ("2022-02", "902", "reported_healthy_communes", 1),
        ]
    )
    index = coverage.reporting_index(facts)
    assert index.rows() == [(dt.date(2022, 1, 1), "90001"), (dt.date(2022, 2, 1), "90003")]
    out = coverage.by_period(
        index, small_geo, ["90"], ["addicts_managed", "drug_free_share"], "quarter", (2022, 2022)
    )
    assert out.select("indicator", "period", "reported", "total", "complete").rows() == [
        ("addicts_managed", dt.date(2022, 1, 1), 2, 2, False)
    ]


def test_coverage_of_a_scoped_reader_counts_only_units_in_scope(tmp_path, geography):
    """A viewer of Nam Từ Liêm: the index holds its wards only, so no count reveals another district."""
    from dashboard.access import Access
    from dashboard.snapshot import load_snapshot, write_snapshot
    from tests.support.data import NAM_TU_LIEM, REPORTING, partial_tables

    facts, status, targets = partial_tables(geography)
    other = geography.descendants("005", "commune")[:2]
    extra = facts_frame([("2022-05", c, "addicts_managed", 9) for c in other])
    write_snapshot(
        tmp_path / "snapshots", "2022-12-31", pl.concat([facts, extra]), status, targets,
        as_of="2022-12-31", created_at="2023-01-05T08:00:00+07:00", source="Báo cáo thử", demo=False,
    )  # fmt: skip
    snap = load_snapshot(tmp_path / "snapshots" / "2022-12-31", geography)
    scoped = snap.restricted(Access(role="viewer", units=(NAM_TU_LIEM,)), geography)
    index = coverage.reporting_index(scoped.scan())
    assert set(index["unit_code"]) == set(geography.descendants(NAM_TU_LIEM, "commune")[:REPORTING])
    assert not scoped.allows("01") and not scoped.allows("005")
    whole = coverage.coverage(geography, ["01"], set(coverage.reporting_index(snap.scan())["unit_code"]))
    assert whole["reported"].item() == 2  # what the whole snapshot would say about Hà Nội


def test_a_district_without_communes_is_not_waited_for(geography):
    """Five island districts have no communes: the country is complete when every commune reported."""
    communes = set(geography.units_at("commune")["unit_code"].to_list())
    row = coverage.coverage(geography, [COUNTRY_CODE], communes).row(0, named=True)
    assert (row["reported"], row["total"], row["complete"]) == (63, 63, True)
    islands = [d for d in geography.units_at("district")["unit_code"].to_list() if not geography.children(d)]
    assert len(islands) == 5
    province = geography.parent(islands[0])
    districts = [d for d in geography.children(province) if d not in islands]
    row = coverage.coverage(geography, [province], communes).row(0, named=True)
    assert (row["reported"], row["total"]) == (len(districts), len(districts))
    # An island district that reports its own figure is counted.
    row = coverage.coverage(geography, [province], communes | {islands[0]}).row(0, named=True)
    assert row["total"] == len(districts) + 1


def test_a_unit_that_stops_early_gets_no_false_months_note(small_geo):
    """Per-unit completeness must not write "12 tháng" under a full year the snapshot covers."""
    from dashboard import page_figures

    facts = facts_frame(
        [(f"2022-{m:02d}", "90001", "compulsory_rehab", 1) for m in range(1, 9)]
        + [(f"2022-{m:02d}", "90003", "compulsory_rehab", 1) for m in range(1, 13)]
        + [(f"2023-{m:02d}", "90003", "compulsory_rehab", 1) for m in range(1, 4)]
    )
    out = query.summarize(
        query.from_facts(facts, small_geo),
        EMPTY_STATUS,
        small_geo,
        ["90001", "90003"],
        ["compulsory_rehab"],
        grain="year",
    )
    labelled = page_figures.label_periods(out, "year", "vi", dt.date(2023, 3, 1))
    notes = {(u, p.year): n for u, p, n in labelled.select("unit_code", "period", "period_note").iter_rows()}
    assert notes == {("90001", 2022): None, ("90003", 2022): None, ("90003", 2023): "3 tháng"}
    assert dict(
        out.filter(pl.col("period") == dt.date(2022, 1, 1)).select("unit_code", "complete").iter_rows()
    ) == {"90001": False, "90003": True}
