"""Cached wrappers for the Dữ liệu page (may import Streamlit, like ui.py)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import importing, ui


@st.cache_data(show_spinner=False, max_entries=8)
def snapshot_diff(folder: str, old_id: str, new_id: str) -> pl.DataFrame:
    """Facts revised, added or removed from ``old_id`` to ``new_id`` (both valid snapshots)."""
    return importing.compare(ui.load(folder, old_id), ui.load(folder, new_id))


@st.cache_data(show_spinner=False, max_entries=4, hash_funcs={bytes: lambda b: importing.file_digest(b)})
def check_upload(data: bytes, filename: str, folder: str, base_id: str | None) -> importing.ImportReport:
    """Check an uploaded file against the base snapshot; writes nothing. Cached per file content."""
    base = ui.load(folder, base_id) if base_id else None
    return importing.check_import(data, filename, base, ui.geography())
