"""Cached wrappers for the Dữ liệu page (the Streamlit layer)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import access, importing
from dashboard.access import Access
from dashboard.i18n import t
from dashboard.ui import filters, loaders


@st.cache_data(show_spinner=False, max_entries=8)
def snapshot_diff(folder: str, old_id: str, new_id: str, scope: Access) -> pl.DataFrame:
    """Facts revised, added or removed from ``old_id`` to ``new_id`` (both valid), inside ``scope``."""
    return importing.compare(loaders.load(folder, old_id, scope), loaders.load(folder, new_id, scope))


def changes_outside(report: importing.ImportReport, base, scope: Access) -> list[str]:
    """Names of the units outside the data manager's scope that the import would change.

    Months from July 2025 of a version 2 result (the base's, or one the import upgrades to
    version 2) are in the 2025 units, and named in them.
    """
    structure_from = getattr(report, "structure_from", None) or getattr(base, "structure_from", None)
    return access.names_outside(
        report, base, scope, loaders.reference_geography(), loaders.geography_2025(), structure_from
    )


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
    base = loaders.whole_snapshot(folder, base_id, scope) if base_id else None
    return importing.check_import(data, filename, base, loaders.reference_geography(), scope=scope)


def base_options(
    folder: str, catalogue, scope: Access, lang: str
) -> tuple[list[str], dict[str, str], int | None]:
    """The import's base choices, their labels, and the default (None: the user must choose).

    ``importing.NEWEST`` first (read again when the import runs, so concurrent imports build on
    each other), then ``importing.NO_BASE`` (real data from nothing), then every valid snapshot.
    The demo is never chosen by default: when the newest snapshot is demo data there is no default.
    """
    newest = catalogue.valid[0] if catalogue.valid else None
    newest_demo = newest is not None and loaders.whole_snapshot(folder, newest, scope).demo
    labels = {importing.NO_BASE: t("data.base_none", lang)}
    choices = [importing.NO_BASE, *catalogue.valid]
    if newest is not None:
        demo = t("data.base_demo", lang) if newest_demo else ""
        labels[importing.NEWEST] = t("data.base_newest", lang, snapshot=newest, demo=demo)
        choices.insert(0, importing.NEWEST)
    return choices, labels, None if newest_demo else 0


def base_id(choice: str, catalogue) -> str | None:
    """The snapshot a base choice stands for now (for checking the file before the import)."""
    if choice == importing.NEWEST:
        return catalogue.valid[0]
    return None if choice == importing.NO_BASE else choice


_IMPORT_RESULT = "_data_import_result"  # session state: the last import's report, shown once


def import_upload(data: bytes, filename: str, folder: str, as_of, base_choice: str, scope: Access) -> None:
    """Import an uploaded file as a new snapshot (``importing.import_file``, the CLI's code).

    A button callback: it runs before the next script run, so the sidebar's snapshot can be set to
    the new one (the newest, which the app opens by default). ``base_choice``:
    ``importing.NEWEST`` (read again under the write lock), ``importing.NO_BASE`` or a snapshot
    id. The data manager chose it on the page, so a demo base is accepted.
    """
    if not scope.can_import:
        raise PermissionError("Chỉ người quản lý dữ liệu được nhập báo cáo")
    done = importing.import_file(
        data,
        filename,
        Path(folder),
        as_of.isoformat(),
        base_choice,
        loaders.reference_geography(),
        demo_ok=True,
        scope=scope,
    )
    st.session_state[_IMPORT_RESULT] = done
    if done.written is not None:
        st.session_state[filters.P_SNAPSHOT] = done.written.name


def import_result() -> importing.ImportReport | None:
    """The report of the import the button just ran (once), or None."""
    return st.session_state.pop(_IMPORT_RESULT, None)
