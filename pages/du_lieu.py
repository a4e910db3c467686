"""Dữ liệu: the snapshots on disk, what changed between two of them, and the import of a report."""

import datetime as dt
from pathlib import Path

import streamlit as st

from dashboard import history, importing, tables
from dashboard.formatting import fmt_date, md_text
from dashboard.i18n import t
from dashboard.ui import data as ui_data
from dashboard.ui import filters, loaders, widgets
from dashboard.view import view_id

f = filters.current()
lang = f.lang
st.title(t("page.data_title", lang))

# --- Snapshots
st.header(t("data.history", lang))
st.caption(t("data.history_help", lang))
catalogue = loaders.catalogue(f.data_dir)
widgets.table(history.snapshot_list(Path(f.data_dir), catalogue, lang), hide_index=True, width="stretch")

# --- Compare two snapshots
st.header(t("data.compare", lang))
if len(catalogue.valid) < 2:
    st.info(t("data.compare_need_two", lang))
else:
    left, right = st.columns(2)
    old_id = left.selectbox(t("data.compare_old", lang), catalogue.valid, index=1, key="compare_old")
    new_id = right.selectbox(t("data.compare_new", lang), catalogue.valid, index=0, key="compare_new")
    # Both in the units the user is viewing (a version 2 snapshot holds the new units from July 2025).
    diff = ui_data.snapshot_diff(
        f.data_dir,
        view_id(old_id, f.structure),
        view_id(new_id, f.structure),
        loaders.access(),
    )
    if not loaders.access().can_import:  # a viewer's copy: small commune counts of people as "<5"
        diff = tables.with_shown(
            widgets.protect(diff, columns=("old_value", "new_value")), ["old_value", "new_value"]
        )
    if diff.is_empty():
        st.success(t("data.compare_same", lang))
    else:
        st.write(history.change_summary(diff, lang))
        table = history.comparison_table(diff, filters.geography(), lang)
        values = [t("data.col.old", lang), t("data.col.new", lang)]
        shown = tables.written_values(table.head(1000), values, lang)
        widgets.table(tables.escape_frame(shown), hide_index=True, width="stretch")
        widgets.downloads(table, f"so-sanh-{old_id}-{new_id}", lang, key="compare")

# --- Import: data managers only
scope = loaders.access()
if not scope.can_import:
    st.caption(t("data.import_managers_only", lang))
    st.stop()
st.header(t("data.import", lang))
limit_mb = importing.DEFAULT_MAX_BYTES // (1024 * 1024)
st.caption(t("data.import_help", lang, limit=limit_mb))
st.download_button(
    t("data.template", lang),
    importing.template_bytes(),
    file_name="mau-bao-cao.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    on_click="ignore",  # a download needs no rerun of the page
)
# The base: the newest snapshot (found again when the import runs), none, or one by id.
choices, labels, default = ui_data.base_options(f.data_dir, catalogue, scope, lang)
base_choice = st.selectbox(
    t("data.base", lang),
    choices,
    index=default,
    format_func=lambda c: labels.get(c, c),
    placeholder=t("data.base_pick", lang),
    help=t("data.base_help", lang),
    key="import_base",
)
upload = None
if base_choice is None:
    st.info(t("data.base_first", lang))  # no st.stop(): the run must reach filters.finish_run()
else:
    base_id = ui_data.base_id(base_choice, catalogue)
    upload = st.file_uploader(t("data.upload", lang), type=["xlsx", "csv"], key="upload")

if upload is not None:
    data = upload.getvalue()
    base = loaders.whole_snapshot(f.data_dir, base_id, scope) if base_id else None
    report = ui_data.check_upload(data, upload.name, f.data_dir, base_id, scope)
    outside = ui_data.changes_outside(report, base, scope)
    if outside:
        st.error(t("data.import_outside", lang, units=", ".join(outside)))
        st.stop()
    # The figures stand at the end of the newest month in the file, unless the user says otherwise.
    as_of = st.date_input(
        t("data.as_of", lang),
        value=importing.suggested_as_of(report),
        format="DD/MM/YYYY",
        key=f"import_as_of_{importing.file_digest(data)[:12]}",
    )
    problems = [*report.errors, *report.warnings]
    if report.ok:
        st.success(t("data.check_ok", lang, facts=report.imported_rows, warnings=len(report.warnings)))
    else:
        st.error(t("data.check_failed", lang, errors=len(report.errors)))
    if problems:
        # A static table: every message is read in full, wrapped, without scrolling a grid.
        st.table(tables.markdown_safe(history.problems_table(problems, lang)))
    if report.ok:
        # The same code as the command line (under the data folder's write lock, the base read
        # again), run in the button's callback so that the sidebar can switch to the new snapshot.
        st.button(
            t("data.do_import", lang),
            type="primary",
            key="do_import",
            on_click=ui_data.import_upload,
            args=(data, upload.name, f.data_dir, as_of, base_choice, scope),
        )
    done = ui_data.import_result()
    if done is not None:
        if done.written is not None:
            written_as_of = fmt_date(dt.date.fromisoformat(done.as_of), lang)
            st.success(t("data.imported", lang, snapshot=done.written.name, as_of=written_as_of))
        elif done.ok:
            st.info(md_text(done.message))
        else:
            st.error(md_text(done.message))
            st.table(tables.markdown_safe(history.problems_table(done.errors, lang)))
