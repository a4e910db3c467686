"""Cached wrappers for the Dữ liệu page (may import Streamlit, like ui.py)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import access, importing, ui
from dashboard.access import Access


@st.cache_data(show_spinner=False, max_entries=8)
def snapshot_diff(folder: str, old_id: str, new_id: str, scope: Access) -> pl.DataFrame:
    """Facts revised, added or removed from ``old_id`` to ``new_id`` (both valid), inside ``scope``."""
    return importing.compare(ui.load(folder, old_id, scope), ui.load(folder, new_id, scope))


def changes_outside(report: importing.ImportReport, base, scope: Access) -> list[str]:
    """Units outside the data manager's scope that the import would change."""
    return access.changes_outside(report, base, scope, ui.reference_geography())


@st.cache_data(show_spinner=False, max_entries=4, hash_funcs={bytes: lambda b: importing.file_digest(b)})
def check_upload(
    data: bytes, filename: str, folder: str, base_id: str | None, scope: Access
) -> importing.ImportReport:
    """Check an uploaded file against the base snapshot; writes nothing. Cached per file content.

    The base is the whole snapshot (a new snapshot is the base plus the file), so only a data
    manager's page calls this.
    """
    if not scope.can_import:
        raise PermissionError("Chỉ người quản lý dữ liệu được nhập báo cáo")
    base = ui.whole_snapshot(folder, base_id, scope) if base_id else None
    return importing.check_import(data, filename, base, ui.reference_geography(), scope=scope)
