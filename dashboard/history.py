"""Snapshot history for the Dữ liệu page: the list of snapshots and the table of what changed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl

from dashboard import schema
from dashboard.catalog import CATALOG
from dashboard.formatting import MISSING, fmt_date, fmt_number
from dashboard.geography import Geography
from dashboard.i18n import t
from dashboard.snapshot import Catalogue, snapshot_dirs


def _manifest(folder: Path) -> dict:
    try:
        data = json.loads((folder / schema.MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def manifest_dates(manifest: dict, lang: str = "vi") -> tuple[str, str]:
    """When a snapshot was made ("04/12/2026 09:15") and the date its figures stand at ("30/11/2026")."""
    try:
        as_of = fmt_date(dt.date.fromisoformat(str(manifest.get("as_of"))), lang)
    except ValueError:
        as_of = MISSING
    try:
        created = dt.datetime.fromisoformat(str(manifest.get("created_at")))
        made = f"{fmt_date(created.date(), lang)} {created:%H:%M}"
    except ValueError:
        made = MISSING
    return made, as_of


def snapshot_list(data_dir: Path, catalogue: Catalogue, lang: str = "vi") -> pl.DataFrame:
    """Every snapshot folder, newest first: date, source, rows, demo or not, valid or not (and why)."""
    reasons = {sid: problems for sid, problems in catalogue.skipped}
    rows = []
    for folder in snapshot_dirs(Path(data_dir)):
        manifest = _manifest(folder)
        files = manifest.get("files") if isinstance(manifest.get("files"), dict) else {}
        facts_rows = (
            files.get(schema.FACTS, {}).get("rows") if isinstance(files.get(schema.FACTS), dict) else None
        )
        made, as_of = manifest_dates(manifest, lang)
        valid = folder.name in catalogue.valid
        problems = reasons.get(folder.name, ())
        rows.append(
            {
                t("data.col.snapshot", lang): folder.name,
                t("data.col.created", lang): made,
                t("data.col.as_of", lang): as_of,
                t("data.col.source", lang): str(manifest.get("source", MISSING)),
                t("data.col.rows", lang): fmt_number(facts_rows, lang)
                if isinstance(facts_rows, int)
                else MISSING,
                # Contract version 2 holds the 2025 units from July 2025 (docs/REFORM.md).
                t("data.col.units", lang): t(
                    "data.units_v2"
                    if manifest.get("schema_version") == schema.SCHEMA_VERSION_2025
                    else "data.units_v1",
                    lang,
                ),
                t("data.col.demo", lang): t("common.yes" if manifest.get("demo") else "common.no", lang),
                t("data.col.valid", lang): t("common.yes" if valid else "common.no", lang),
                t("data.col.problems", lang): "; ".join(str(p) for p in problems[:3])
                + (f" (+{len(problems) - 3})" if len(problems) > 3 else ""),
            }
        )
    return pl.DataFrame(rows) if rows else pl.DataFrame()


def comparison_table(diff: pl.DataFrame, geography: Geography, lang: str = "vi") -> pl.DataFrame:
    """``importing.compare`` output with unit names, indicator labels and the kind of change in words."""
    names = {
        code: geography.name(code) if geography.has(code) else code for code in diff["unit_code"].unique()
    }
    labels = {ind: CATALOG[ind].label(lang) if ind in CATALOG else ind for ind in diff["indicator"].unique()}
    return diff.select(
        pl.col("period").dt.strftime("%m/%Y").alias(t("data.col.month", lang)),
        pl.col("unit_code").alias(t("data.col.unit_code", lang)),
        pl.col("unit_code").replace_strict(names, return_dtype=pl.String).alias(t("data.col.unit", lang)),
        pl.col("indicator")
        .replace_strict(labels, return_dtype=pl.String)
        .alias(t("data.col.indicator", lang)),
        pl.col("old_value").alias(t("data.col.old", lang)),
        pl.col("new_value").alias(t("data.col.new", lang)),
        pl.col("change")
        .replace_strict(
            {k: t(f"data.change.{k}", lang) for k in ("added", "removed", "revised")}, return_dtype=pl.String
        )
        .alias(t("data.col.change", lang)),
    )


def change_counts(diff: pl.DataFrame) -> dict[str, int]:
    """How many values were revised, added and removed."""
    counts = dict(diff.group_by("change").len().iter_rows())
    return {k: int(counts.get(k, 0)) for k in ("revised", "added", "removed")}


def change_summary(diff: pl.DataFrame, lang: str = "vi") -> str:
    """ "159 giá trị được sửa, 351.648 giá trị thêm mới, 0 giá trị bị bỏ." """
    counts = change_counts(diff)
    return t("data.compare_counts", lang, **{k: fmt_number(v, lang) for k, v in counts.items()})


def problems_table(problems, lang: str = "vi") -> pl.DataFrame:
    """An import's errors and warnings as a table: kind, sheet, column, row, message."""
    return pl.DataFrame(
        [
            {
                t("data.col.kind", lang): t(
                    "data.kind.error" if p.severity == "error" else "data.kind.warning", lang
                ),
                t("data.col.sheet", lang): p.file,
                t("data.col.column", lang): p.column or "",
                t("data.col.row", lang): p.where or "",
                t("data.col.message", lang): p.message,
            }
            for p in problems
        ],
        schema=[
            t(k, lang)
            for k in (
                "data.col.kind",
                "data.col.sheet",
                "data.col.column",
                "data.col.row",
                "data.col.message",
            )
        ],
        orient="row",
    )
