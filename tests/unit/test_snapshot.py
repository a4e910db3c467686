"""Every bad snapshot is named, problem by problem, and the app's loader skips it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from dashboard import schema
from dashboard.cli import main as cli_main
from dashboard.formatting import fmt_number
from dashboard.snapshot import SnapshotError, load_snapshot, survey, validate_snapshot, write_snapshot


def _good_tables():
    facts = pl.DataFrame(
        {
            "period": [dt.date(2022, 9, 1)] * 3,
            "unit_code": ["00592", "00622", "019"],
            "indicator": ["addicts_managed", "addicts_managed", "compulsory_rehab"],
            "value": [40.0, 12.0, 3.0],
        }
    )
    status = pl.DataFrame(
        {
            "year": [2022, 2022],
            "commune_code": ["00592", "00622"],
            "drug_class": ["trong_diem_2", "khong_ma_tuy"],
            "complex": [True, False],
            "healthy": [False, True],
        }
    )
    targets = pl.DataFrame(
        {
            "year": [2022],
            "unit_code": ["019"],
            "metric": ["compulsory_rehab"],
            "rule": ["at_least"],
            "value": [32.0],
            "note": [None],
        },
        schema=schema.TARGETS_SCHEMA,
    )
    return facts, status, targets


def _write(root: Path, snapshot_id: str = "2022-09-30", **replace) -> Path:
    facts, status, targets = _good_tables()
    tables = {"facts": facts, "status": status, "targets": targets} | replace
    return write_snapshot(
        root,
        snapshot_id,
        tables["facts"],
        tables["status"],
        tables["targets"],
        as_of=snapshot_id[:10],
        created_at="2022-09-30T17:00:00+07:00",
        source="thử nghiệm",
        demo=False,
    )


def _rewrite_parquet(folder: Path, name: str, frame: pl.DataFrame) -> None:
    """Replace a data file and fix its checksum, so only the content problem remains."""
    frame.write_parquet(folder / name)
    manifest = json.loads((folder / schema.MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][name] = {"rows": frame.height, "sha256": schema.sha256_of(folder / name)}
    (folder / schema.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def test_a_good_snapshot_validates(tmp_path, geography):
    folder = _write(tmp_path)
    snap, problems = validate_snapshot(folder, geography)
    assert snap is not None and problems == []
    assert snap.facts.height == 3


def _facts_with(**changes) -> pl.DataFrame:
    facts, _, _ = _good_tables()
    return facts.with_columns(**changes)


BAD_CASES = [
    # (what, breaks, expected file, expected column, words in the message)
    ("missing file", lambda f: (f / schema.STATUS).unlink(), schema.STATUS, None, "thiếu tệp"),
    (
        "wrong type",
        lambda f: _rewrite_parquet(f, schema.FACTS, _facts_with(value=pl.col("value").cast(pl.String))),
        schema.FACTS,
        "value",
        "sai kiểu dữ liệu",
    ),
    (
        "unknown unit",
        lambda f: _rewrite_parquet(f, schema.FACTS, _facts_with(unit_code=pl.lit("99999"))),
        schema.FACTS,
        "unit_code",
        "không có trong danh mục",
    ),
    (
        "unknown indicator",
        lambda f: _rewrite_parquet(f, schema.FACTS, _facts_with(indicator=pl.lit("bogus"))),
        schema.FACTS,
        "indicator",
        "không có trong danh mục",
    ),
    (
        "negative value",
        lambda f: _rewrite_parquet(f, schema.FACTS, _facts_with(value=pl.lit(-1.0))),
        schema.FACTS,
        "value",
        "giá trị âm",
    ),
    (
        "duplicate key",
        lambda f: _rewrite_parquet(f, schema.FACTS, pl.concat([_good_tables()[0]] * 2)),
        schema.FACTS,
        "period, unit_code, indicator",
        "trùng khóa",
    ),
    (
        "healthy and key",
        lambda f: _rewrite_parquet(f, schema.STATUS, _good_tables()[1].with_columns(healthy=pl.lit(True))),
        schema.STATUS,
        "healthy",
        "xã lành mạnh",
    ),
    (
        "invalid drug class",
        lambda f: _rewrite_parquet(
            f, schema.STATUS, _good_tables()[1].with_columns(drug_class=pl.lit("nang"))
        ),
        schema.STATUS,
        "drug_class",
        "không hợp lệ",
    ),
    (
        "bad rule",
        lambda f: _rewrite_parquet(f, schema.TARGETS, _good_tables()[2].with_columns(rule=pl.lit("roughly"))),
        schema.TARGETS,
        "rule",
        "không hợp lệ",
    ),
    (
        "checksum",
        lambda f: (f / schema.FACTS).write_bytes((f / schema.FACTS).read_bytes() + b"\0"),
        schema.FACTS,
        None,
        "mã băm",
    ),
    (
        "corrupt parquet",
        lambda f: _rewrite_parquet_bytes(f, schema.FACTS, b"PAR1 not really"),
        schema.FACTS,
        None,
        "không đọc được",
    ),
    ("missing manifest", lambda f: (f / schema.MANIFEST).unlink(), schema.MANIFEST, None, "thiếu tệp"),
    (
        "manifest not JSON",
        lambda f: (f / schema.MANIFEST).write_text("{", encoding="utf-8"),
        schema.MANIFEST,
        None,
        "JSON",
    ),
]


def _rewrite_parquet_bytes(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)
    manifest = json.loads((folder / schema.MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][name]["sha256"] = schema.sha256_of(folder / name)
    (folder / schema.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize(
    ("what", "breaks", "file", "column", "words"), BAD_CASES, ids=[c[0] for c in BAD_CASES]
)
def test_each_bad_input_is_named(tmp_path, geography, what, breaks, file, column, words):
    folder = _write(tmp_path)
    breaks(folder)
    snap, problems = validate_snapshot(folder, geography)
    assert snap is None
    matching = [p for p in problems if p.severity == "error" and p.file == file and words in p.message]
    assert matching, f"{what}: {[str(p) for p in problems]}"
    if column is not None:
        assert matching[0].column == column


def test_problems_name_the_row_and_key(tmp_path, geography):
    folder = _write(tmp_path)
    _rewrite_parquet(folder, schema.FACTS, _facts_with(value=pl.Series([40.0, -5.0, 3.0])))
    _, problems = validate_snapshot(folder, geography)
    (negative,) = [p for p in problems if "giá trị âm" in p.message]
    assert "dòng 2" in negative.where and "unit_code=00622" in negative.where


def test_cli_validate_exit_codes(tmp_path, geography, capsys):
    good = _write(tmp_path)
    assert cli_main(["validate", str(good)]) == 0
    rows = pl.scan_parquet(good / schema.FACTS).select(pl.len()).collect().item()
    assert f"hợp lệ ({fmt_number(rows)} dòng số liệu)" in capsys.readouterr().out
    bad = _write(tmp_path, "2022-10-31")
    _rewrite_parquet(bad, schema.FACTS, _facts_with(value=pl.lit(-1.0), unit_code=pl.lit("99999")))
    assert cli_main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "giá trị âm" in out and "không có trong danh mục" in out and "KHÔNG hợp lệ" in out


def test_loader_skips_a_bad_newer_snapshot_and_says_why(tmp_path, geography):
    _write(tmp_path / "snapshots", "2022-09-30")
    newer = _write(tmp_path / "snapshots", "2022-12-31")
    (newer / schema.TARGETS).write_bytes(b"garbage")
    catalogue = survey(tmp_path, geography)
    assert catalogue.valid == ("2022-09-30",)
    ((skipped_id, reasons),) = catalogue.skipped
    assert skipped_id == "2022-12-31"
    assert any(p.file == schema.TARGETS for p in reasons)
    with pytest.raises(SnapshotError, match="2022-12-31"):
        load_snapshot(newer, geography)


def test_write_never_overwrites_and_leaves_no_temporary_folder(tmp_path):
    folder = _write(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(FileExistsError):
        _write(tmp_path)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]


def test_a_failed_write_leaves_nothing(tmp_path):
    facts, status, targets = _good_tables()
    with pytest.raises(Exception):  # noqa: B017 - any failure of the writer
        write_snapshot(
            tmp_path,
            "2022-09-30",
            facts.drop("value"),
            status,
            targets,
            as_of="2022-09-30",
            created_at="x",
            source="x",
            demo=False,
        )
    assert list(tmp_path.iterdir()) == []


def test_snapshot_ids_sort_newest_first_with_suffixes(tmp_path, geography):
    for sid in ("2022-09-30", "2022-09-30-2", "2021-12-31"):
        _write(tmp_path / "snapshots", sid)
    shutil.rmtree(tmp_path / "snapshots" / "2021-12-31")
    assert survey(tmp_path, geography).valid == ("2022-09-30-2", "2022-09-30")


def test_rollups_are_written_listed_and_agree_with_rolling_up(tmp_path, geography):
    facts, status, targets = _good_tables()
    folder = write_snapshot(
        tmp_path,
        "2022-09-30",
        facts,
        status,
        targets,
        as_of="2022-09-30",
        created_at="x",
        source="x",
        demo=False,
        geography=geography,
    )
    manifest = json.loads((folder / schema.MANIFEST).read_text(encoding="utf-8"))
    assert schema.ROLLUPS in manifest["files"]
    snap = load_snapshot(folder, geography)
    codes = ["019", "01", "VN", "00592"]
    from dashboard import query

    expected = query.rollup_months(facts, geography, codes, ["addicts_managed", "compulsory_rehab"])
    got = snap.monthly(geography, codes, ["addicts_managed", "compulsory_rehab"])
    key = ["unit_code", "indicator", "period"]
    assert got.sort(key).equals(expected.select(got.columns).sort(key))
    # The district reported its own compulsory rehab; the wards' addicts roll up to 52.
    values = {(u, i): v for u, i, v in got.select("unit_code", "indicator", "value").iter_rows()}
    assert values[("019", "addicts_managed")] == 52 and values[("019", "compulsory_rehab")] == 3


def test_tampered_rollups_are_refused(tmp_path, geography):
    facts, status, targets = _good_tables()
    folder = write_snapshot(
        tmp_path,
        "2022-09-30",
        facts,
        status,
        targets,
        as_of="2022-09-30",
        created_at="x",
        source="x",
        demo=False,
        geography=geography,
    )
    pl.read_parquet(folder / schema.ROLLUPS).with_columns(pl.col("value") + 1).write_parquet(
        folder / schema.ROLLUPS
    )
    _, problems = validate_snapshot(folder, geography)
    assert any(p.file == schema.ROLLUPS and "mã băm" in p.message for p in problems)


def test_facts_are_written_sorted_so_duplicates_are_found_without_hashing(tmp_path, geography):
    folder = _write(tmp_path)
    written = pl.read_parquet(folder / schema.FACTS)
    assert written.equals(written.sort(schema.FACTS_SORT))


def test_facts_check_is_remembered_by_checksum_and_never_masks_a_change(tmp_path, geography, monkeypatch):
    folder = _write(tmp_path / "snapshots")
    first, _ = validate_snapshot(folder, geography)
    assert (folder.parent / ".validated" / f"{folder.name}.json").is_file()

    def must_not_run(*args, **kwargs):
        raise AssertionError("the facts pass ran again for unchanged files")

    monkeypatch.setattr(schema, "check_facts_stats", must_not_run)
    again, problems = validate_snapshot(folder, geography)
    assert again is not None and again.stats == first.stats and problems == []
    monkeypatch.undo()
    # Any change to the file changes its checksum: the manifest check refuses it.
    _rewrite_parquet(folder, schema.FACTS, _facts_with(value=pl.lit(-1.0)))
    snap, problems = validate_snapshot(folder, geography)
    assert snap is None and any("giá trị âm" in p.message for p in problems)


def test_remembered_check_is_ignored_for_another_geography(tmp_path, geography, small_geo):
    folder = _write(tmp_path / "snapshots")
    validate_snapshot(folder, geography)
    snap, problems = validate_snapshot(folder, small_geo)
    assert snap is None and any("không có trong danh mục" in p.message for p in problems)


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        (["00001", "00002", "00003", "00004", "00005"], (0, 0)),
        # a duplicate straddling two slices, and one inside a slice
        (["00001", "00002", "00002", "00003", "00003"], (0, 2)),
        # out of order across the slice boundary
        (["00001", "00003", "00002", "00004", "00005"], (1, 0)),
    ],
)
def test_order_and_duplicates_are_counted_across_slices(units, expected):
    frame = pl.DataFrame(
        {
            "period": [dt.date(2022, 1, 1)] * 5,
            "unit_code": units,
            "indicator": ["drug_users"] * 5,
            "value": [1.0] * 5,
        }
    )
    u, i, p = pl.col("unit_code"), pl.col("indicator"), pl.col("period")
    same = (u == u.shift(1)) & (i == i.shift(1)) & (p == p.shift(1))
    before = (u < u.shift(1)) | (
        (u == u.shift(1)) & ((i < i.shift(1)) | ((i == i.shift(1)) & (p < p.shift(1))))
    )
    assert schema._order_counts(frame.lazy(), before, same, chunk=2) == expected


def test_snapshot_summarize_equals_the_query_core_on_all_facts(demo_snapshots, geography):
    from dashboard import demo, query

    snap = demo_snapshots[demo.SNAPSHOTS[-1][0]]
    for codes, grain in ((["49"], "9m"), (["019", "008"], "year"), (["00124"], "quarter"), (["VN"], "6m")):
        direct = query.summarize(
            query.from_facts(snap.facts, geography),
            snap.status,
            geography,
            codes,
            grain=grain,
            years=(2017, 2022),
            last_period=snap.last_period,
        )
        fast = snap.summarize(geography, codes, grain=grain, years=(2017, 2022))
        key = ["unit_code", "indicator", "period"]
        assert fast.sort(key).equals(direct.sort(key)), (codes, grain)
    assert snap.units_with_data(geography, "province") == ["01", "11", "49"]
    assert snap.years == list(range(demo.FIRST_YEAR, demo.LAST_YEAR + 1))
