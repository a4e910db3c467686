"""Imports in the units in force for each period, real data apart from the demo, and bad input.

Rows of months before 07/2025 (lists and targets of years before 2025) are read in the old units,
later ones in the new units (docs/REFORM.md); a result holding new-unit rows is contract version 2.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from dashboard import cli, demo, importing, reform, schema, structure
from dashboard.geography import Geography
from dashboard.snapshot import load_snapshot, survey
from tests.support.data import BASE_ID, NAM_TU_LIEM, base_tables, workbook, write_import_base

CODE = "00592"  # Phường Cầu Diễn (Quận Nam Từ Liêm) until 30/6/2025; Phường Từ Liêm from 1/7/2025
HOANG_MAI = "00331"  # Phường Hoàng Mai, Thành phố Hà Nội (new units only)


@pytest.fixture
def v1_dir(tmp_path: Path) -> Path:
    """A version 1 snapshot with figures of 2022 only (old units)."""
    write_import_base(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def legacy() -> Geography:
    return reform.legacy_geography()


@pytest.fixture(scope="module")
def new() -> Geography:
    return reform.geography_2025()


def tree_digest(root: Path) -> dict[str, str]:
    """Every file's checksum, but the validation cache (``.validated``, not data)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".validated" not in p.parts
    }


def value_of(view, geography, unit: str, month: dt.date, indicator: str = "addicts_managed") -> float | None:
    out = view.summarize(geography, [unit], [indicator], grain="month", years=(month.year, month.year))
    found = out.filter(pl.col("period") == month)["value"].to_list()
    return found[0] if found else None


def former_district(new_commune: str) -> str:
    """The old district a new commune's figures count for in the old units (reform.STRADDLE_RULE)."""
    table = reform.new_commune_districts(reform.load_crosswalk())
    return table.filter(pl.col("new_commune_code") == new_commune)["old_district_code"].item()


def test_a_code_in_both_structures_is_read_by_the_period_and_a_v1_base_is_upgraded(v1_dir, legacy, new):
    data = workbook(
        facts=[
            (CODE, "06/2025", "addicts_managed", "11"),  # Phường Cầu Diễn
            (CODE, "07/2025", "addicts_managed", "22"),  # Phường Từ Liêm
        ]
    )
    report = importing.import_file(data, "tu-liem.xlsx", v1_dir, None, BASE_ID, legacy)
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, legacy)
    # Rows from July 2025 make the result contract version 2, with its derived 2025 files.
    assert snap.structure_from == reform.REFORM_DATE
    assert {schema.FACTS_2025, schema.ROLLUPS_2025} <= set(snap.manifest["files"])
    old_view, new_view = (
        structure.restructure(snap, structure.LEGACY),
        structure.restructure(snap, structure.NEW),
    )
    june, july = dt.date(2025, 6, 1), dt.date(2025, 7, 1)
    # Old units: June is Phường Cầu Diễn's, in Quận Nam Từ Liêm; July's new ward counts for its
    # former district.
    assert value_of(old_view, legacy, CODE, june) == 11
    assert value_of(old_view, legacy, NAM_TU_LIEM, june) == 11
    assert value_of(old_view, legacy, former_district(CODE), july) == 22
    # New units: July is Phường Từ Liêm's own; the base's 2022 history is carried into it too.
    assert new.name(CODE) == "Phường Từ Liêm"
    assert value_of(new_view, new, CODE, july) == 22
    assert value_of(new_view, new, "01", july) == 22
    assert value_of(old_view, legacy, NAM_TU_LIEM, dt.date(2022, 8, 1)) == 70  # 40 + 30, the base's


def test_new_unit_rows_onto_the_v2_demo_read_back_in_both_structures(reform_dir, tmp_path, legacy, new):
    shutil.copytree(reform_dir / "snapshots", tmp_path / "snapshots")
    base = load_snapshot(tmp_path / "snapshots" / demo.REFORM_SNAPSHOT[0], legacy)
    data = workbook(
        facts=[
            ("Phường Hoàng Mai, Hà Nội", "11/2026", "addicts_managed", "321"),
            ("Phường Cầu Diễn, Nam Từ Liêm", "06/2025", "drug_users", "77"),
        ]
    )
    report = importing.import_file(data, "hn.xlsx", tmp_path, "2026-11-30", demo.REFORM_SNAPSHOT[0], legacy)
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, legacy)
    assert snap.structure_from == reform.REFORM_DATE and snap.demo  # the demo was chosen by id
    assert survey(tmp_path, legacy).valid[0] == snap.snapshot_id
    # Nothing of the base is lost; exactly the two rows change.
    changed = snap.facts.join(base.facts, on=["period", "unit_code", "indicator", "value"], how="anti")
    assert sorted(changed.rows()) == [
        (dt.date(2025, 6, 1), CODE, "drug_users", 77.0),
        (dt.date(2026, 11, 1), HOANG_MAI, "addicts_managed", 321.0),
    ]
    assert snap.stats.rows == base.stats.rows + 1  # June 2025 replaced a value; November 2026 added
    nov = dt.date(2026, 11, 1)
    assert value_of(structure.restructure(snap, structure.NEW), new, HOANG_MAI, nov) == 321
    assert (
        value_of(structure.restructure(snap, structure.LEGACY), legacy, former_district(HOANG_MAI), nov)
        == 321
    )
    assert (
        value_of(
            structure.restructure(snap, structure.LEGACY), legacy, CODE, dt.date(2025, 6, 1), "drug_users"
        )
        == 77
    )


def test_lists_and_targets_from_2025_are_keyed_by_new_units_and_judged_in_them(v1_dir, legacy, capsys):
    data = workbook(
        facts=[("Phường Hoàng Mai, Hà Nội", "03/2026", "compulsory_rehab", "12")],
        status=[("2025", "Phường Hoàng Mai, Hà Nội", "Không ma túy", "Không", "Có")],
        targets=[("2026", "Thành phố Hà Nội", "compulsory_rehab", "Tối thiểu", "30", "KH 2026")],
    )
    report = importing.import_file(data, "hn-2026.xlsx", v1_dir, None, BASE_ID, legacy)
    assert report.ok, report.lines()
    snap = load_snapshot(report.written, legacy)
    assert snap.status.filter(pl.col("year") == 2025)["commune_code"].to_list() == [HOANG_MAI]
    assert cli.main(["goals", "--snapshot", str(report.written), "--structure", "2025", "--json"]) == 0
    judged = json.loads(capsys.readouterr().out)
    assert [(r["unit_code"], r["year"], r["metric"], r["target"], r["actual"]) for r in judged] == [
        ("01", 2026, "compulsory_rehab", 30.0, 12.0)
    ]


def test_a_v1_base_holding_old_units_after_the_reform_is_not_upgraded(tmp_path, legacy):
    facts = pl.concat(
        [
            base_tables()[0],
            pl.DataFrame(
                [(dt.date(2025, 8, 1), CODE, "addicts_managed", 5.0)],
                schema=schema.FACTS_SCHEMA,
                orient="row",
            ),
        ]
    )
    write_import_base(tmp_path, facts)
    before = tree_digest(tmp_path)
    data = workbook(facts=[("Phường Hoàng Mai, Hà Nội", "11/2026", "addicts_managed", "321")])
    report = importing.import_file(data, "hm.xlsx", tmp_path, None, BASE_ID, legacy)
    assert not report.ok and report.written is None
    assert "1 dòng số liệu từ 07/2025" in report.errors[0].message
    assert tree_digest(tmp_path) == before


# ---------------------------------------------------------------- bad input: named, nothing written

BAD_INPUT = [
    (
        "unit not in its period's structure",
        dict(facts=[("Phường Không Có", "11/2026", "drug_users", "1")]),
        "Số liệu",
        "kỳ 11/2026: không tìm thấy đơn vị 'Phường Không Có' trong danh mục đơn vị hành chính mới",
    ),
    (
        "new unit before 07/2025",
        dict(facts=[("Phường Hoàng Mai, Hà Nội", "03/2025", "drug_users", "1")]),
        "Số liệu",
        "'Phường Hoàng Mai, Hà Nội' là Phường Hoàng Mai, Thành phố Hà Nội, đơn vị hành chính mới "
        "(từ 01/7/2025); kỳ 03/2025 ghi theo đơn vị hành chính cũ (đến 30/6/2025)",
    ),
    (
        "new-only code before 07/2025",
        dict(facts=[("26732", "01/2024", "drug_users", "1")]),
        "Số liệu",
        "'26732' là Đặc khu Côn Đảo, Thành phố Hồ Chí Minh, đơn vị hành chính mới",
    ),
    (
        "old unit after 07/2025",
        dict(facts=[("Phường Cầu Diễn", "09/2025", "drug_users", "1")]),
        "Số liệu",
        "'Phường Cầu Diễn' là Phường Cầu Diễn, Quận Nam Từ Liêm, Thành phố Hà Nội, đơn vị hành chính cũ "
        "(đến 30/6/2025); kỳ 09/2025 ghi theo đơn vị hành chính mới (từ 01/7/2025)",
    ),
    (
        "district code after 07/2025",
        dict(facts=[("019", "09/2025", "drug_users", "1")]),
        "Số liệu",
        "'019' là Quận Nam Từ Liêm, Thành phố Hà Nội — cấp huyện đã bỏ từ 01/7/2025",
    ),
    (
        "district target from 2025",
        dict(targets=[("2026", "Quận Nam Từ Liêm", "compulsory_rehab", "Tối thiểu", "30")]),
        "Chỉ tiêu",
        "'Quận Nam Từ Liêm' là Quận Nam Từ Liêm, Thành phố Hà Nội — cấp huyện đã bỏ từ 01/7/2025; năm 2026",
    ),
    (
        "old commune in a 2025 list",
        dict(status=[("2025", "Phường Cầu Diễn", "Không ma túy", "Không", "Không")]),
        "Phân loại xã",
        "'Phường Cầu Diễn' là Phường Cầu Diễn, Quận Nam Từ Liêm, Thành phố Hà Nội, đơn vị hành chính cũ",
    ),
    (
        "flow across the reform",
        dict(facts=[("01", "9 tháng 2025", "compulsory_rehab", "10")]),
        "Số liệu",
        "kỳ báo cáo '9 tháng 2025' vắt qua ngày 01/7/2025",
    ),
]


@pytest.mark.parametrize(("what", "rows", "sheet", "words"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_named_and_nothing_is_written(what, rows, sheet, words, v1_dir, legacy):
    before = tree_digest(v1_dir)
    report = importing.import_file(workbook(**rows), "bao-cao.xlsx", v1_dir, None, BASE_ID, legacy)
    assert not report.ok and report.written is None
    assert [(p.file, p.where) for p in report.errors] == [(sheet, "dòng 2")], report.lines()
    assert words in report.errors[0].message, report.lines()
    assert tree_digest(v1_dir) == before


def test_a_base_that_does_not_exist_is_named(v1_dir, legacy, capsys):
    before = tree_digest(v1_dir)
    upload = v1_dir / "bao-cao.xlsx"
    upload.write_bytes(workbook(facts=[(CODE, "09/2022", "addicts_managed", "41")]))
    assert cli.main(["import", str(upload), "--data-dir", str(v1_dir), "--base", "2019-01-01"]) == 1
    out = capsys.readouterr().out
    assert "bao-cao.xlsx" in out and "bản chụp nền '2019-01-01' không có trong" in out, out
    assert f"các bản chụp có: {BASE_ID}" in out
    upload.unlink()
    assert tree_digest(v1_dir) == before


# ---------------------------------------------------------------- real data apart from the demo


@pytest.fixture
def demo_only(tmp_path: Path) -> Path:
    """A data folder whose only snapshot is demo data (a fresh install)."""
    write_import_base(tmp_path, demo=True)
    return tmp_path


def test_real_data_starts_from_nothing_with_base_none(demo_only, legacy, tmp_path_factory, capsys):
    upload = tmp_path_factory.mktemp("upload") / "hm.csv"
    upload.write_text(
        'Mã đơn vị,Kỳ báo cáo,Chỉ tiêu,Giá trị\n"Phường Hoàng Mai, Hà Nội",11/2026,addicts_managed,321\n',
        encoding="utf-8",
    )
    before = tree_digest(demo_only)
    # The default base is the newest snapshot; when it is the demo, the import says so and stops.
    assert cli.main(["import", str(upload), "--data-dir", str(demo_only)]) == 1
    out = capsys.readouterr().out
    assert "hm.csv: Lỗi [hm.csv]: bản chụp mới nhất 2022-08-31 là dữ liệu minh họa (demo)" in out
    assert "--base none" in out and "--base newest" in out
    assert tree_digest(demo_only) == before

    assert cli.main(["import", str(upload), "--data-dir", str(demo_only), "--base", "none"]) == 0
    newest = survey(demo_only, legacy).valid[0]
    snap = load_snapshot(demo_only / "snapshots" / newest, legacy)
    assert not snap.demo and snap.manifest["base_snapshot"] is None
    assert "không dùng bản chụp nền" in snap.source
    assert snap.facts.rows() == [(dt.date(2026, 11, 1), HOANG_MAI, "addicts_managed", 321.0)]
    assert snap.status.is_empty() and snap.targets.is_empty()
    # The snapshot's id is the day it was made; the date of its figures is said apart.
    capsys.readouterr()
    assert cli.main(["validate", str(snap.path)]) == 0
    made = dt.datetime.fromisoformat(snap.manifest["created_at"])
    assert (
        f"Tạo lúc {made:%d/%m/%Y %H:%M}; số liệu tính đến ngày 30/11/2026; bản chụp nền: không có."
        in capsys.readouterr().out
    )
    assert newest.startswith(made.date().isoformat())


def test_the_demo_as_a_base_chosen_on_purpose_stays_marked_demo(demo_only, legacy):
    data = workbook(facts=[(CODE, "09/2022", "addicts_managed", "41")])
    report = importing.import_file(data, "a.xlsx", demo_only, None, BASE_ID, legacy)
    assert report.ok and load_snapshot(report.written, legacy).demo
    # The page's explicit choice of "the newest" (importing.NEWEST with demo_ok) does the same.
    data = workbook(facts=[(CODE, "10/2022", "addicts_managed", "42")])
    report = importing.import_file(data, "b.xlsx", demo_only, None, importing.NEWEST, legacy, demo_ok=True)
    snap = load_snapshot(report.written, legacy)
    assert snap.demo and snap.stats.rows == 48 + 2
    # So does the command line's "--base newest".
    upload = demo_only / "c.xlsx"
    upload.write_bytes(workbook(facts=[(CODE, "11/2022", "addicts_managed", "43")]))
    assert cli.main(["import", str(upload), "--data-dir", str(demo_only), "--base", "newest"]) == 0
    newest = load_snapshot(demo_only / "snapshots" / survey(demo_only, legacy).valid[0], legacy)
    assert newest.demo and newest.stats.rows == 48 + 3


def test_the_template_lists_every_new_province_and_commune(new):
    book = openpyxl.load_workbook(io.BytesIO(importing.template_bytes()), read_only=True)
    rows = list(book[importing.SHEET_UNITS_2025].iter_rows(min_row=2, values_only=True))
    listed = {code: name for code, name, *_ in rows}
    assert len(listed) == new.units.filter(pl.col("level") != "country").height == 34 + 3321
    assert listed[HOANG_MAI] == "Phường Hoàng Mai" and listed["01"] == "Thành phố Hà Nội"
    assert (HOANG_MAI, "Phường Hoàng Mai", "Xã, phường, đặc khu", "Thành phố Hà Nội") in rows
