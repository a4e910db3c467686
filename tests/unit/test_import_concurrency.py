"""Imports started together: one write at a time per data folder, each on the one before; none lost."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import polars as pl

from dashboard import schema
from dashboard.snapshot import load_snapshot, survey, write_snapshot

BASE_ID = "2022-08-31"

# Eight units, each the subject of one report: (unit in the file, month, the code it lands on, --as-of).
# Old units before July 2025 (Hà Nội's districts and wards), new units after it; two pairs share
# an --as-of, so both the same and different dates race.
REPORTS = [
    ("00592", "09/2022", "00592", "2022-09-30"),  # Phường Cầu Diễn (old)
    ("00622", "09/2022", "00622", "2022-09-30"),  # Phường Xuân Phương (old)
    ("Quận Hoàng Mai", "10/2022", "008", "2022-10-31"),
    ("Quận Long Biên", "10/2022", "004", "2022-10-31"),
    ("019", "11/2022", "019", "2022-11-30"),  # Quận Nam Từ Liêm
    ("Quận Ba Đình", "12/2022", "001", None),  # no --as-of: the end of its month
    ("Phường Hoàng Mai, Hà Nội", "11/2026", "00331", "2026-11-30"),  # new units
    ("00592", "12/2026", "00592", "2026-12-07"),  # Phường Từ Liêm in the new units
]


def _base(root: Path) -> None:
    facts = pl.DataFrame(
        [(dt.date(2022, 8, 1), "00592", "addicts_managed", 40.0)], schema=schema.FACTS_SCHEMA, orient="row"
    )
    write_snapshot(
        root / "snapshots",
        BASE_ID,
        facts,
        pl.DataFrame(schema=schema.STATUS_SCHEMA),
        pl.DataFrame(schema=schema.TARGETS_SCHEMA),
        as_of=BASE_ID,
        created_at="2022-08-31T17:00:00+07:00",
        source="cơ sở",
        demo=False,
    )


def test_eight_imports_started_at_once_all_land_in_the_newest_snapshot(tmp_path, geography):
    data_dir = tmp_path / "data"
    _base(data_dir)
    procs = []
    for i, (unit, month, _, as_of) in enumerate(REPORTS):
        upload = tmp_path / f"bao-cao-{i}.csv"
        upload.write_text(
            f'Mã đơn vị,Kỳ báo cáo,Chỉ tiêu,Giá trị\n"{unit}",{month},addicts_managed,{100 + i}\n',
            encoding="utf-8",
        )
        args = [sys.executable, "-m", "dashboard", "import", str(upload), "--data-dir", str(data_dir)]
        args += ["--as-of", as_of] if as_of else []
        procs.append(subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert code == 0 and "Traceback" not in err, (out, err)
        assert "Đã tạo bản chụp mới" in out
    catalogue = survey(data_dir, geography)
    assert catalogue.skipped == () and len(catalogue.valid) == 1 + len(REPORTS)
    newest = load_snapshot(data_dir / "snapshots" / catalogue.valid[0], geography)
    landed = {
        (period, code): value
        for period, code, value in newest.facts.filter(pl.col("indicator") == "addicts_managed")
        .select("period", "unit_code", "value")
        .iter_rows()
    }
    for i, (_, month, code, _) in enumerate(REPORTS):
        period = dt.datetime.strptime(month, "%m/%Y").date()
        assert landed[(period, code)] == 100 + i
    assert landed[(dt.date(2022, 8, 1), "00592")] == 40  # the base's row too
    # Rows from July 2025 make the line version 2 (whichever import came first).
    assert newest.structure_from == schema.STRUCTURE_FROM
    # Each import built on the one before: every snapshot holds one row more than its base.
    rows = [
        load_snapshot(data_dir / "snapshots" / sid, geography).stats.rows for sid in reversed(catalogue.valid)
    ]
    assert rows == list(range(1, len(REPORTS) + 2))
    assert not [p for p in (data_dir / "snapshots").iterdir() if p.name.startswith(".tmp")]
