"""The meeting pack, cached for the export and presentation pages (the Streamlit layer)."""

from __future__ import annotations

import streamlit as st

from dashboard import meeting, slides
from dashboard.access import Access
from dashboard.ui import loaders


@st.cache_resource(show_spinner=False, max_entries=8)
def pack(
    folder: str,
    view_id: str,
    scope: Access,
    unit: str,
    year: int,
    grain: str,
    sections: tuple[str, ...],
    lang: str = "vi",
) -> meeting.Pack:
    """One pack for both pages (the slides and the screen show the same), keyed by plain arguments.

    ``lang`` is the slides', the images' and the screen's; the Word report is always written from
    the Vietnamese pack (report.py says why).
    """
    setting = loaders.small_counts()
    return meeting.build_pack(
        loaders.load(folder, view_id, scope),
        unit,
        year,
        grain,
        sections,
        lang=lang,
        small_counts=setting.threshold if setting.exports else None,
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def images(
    folder: str,
    view_id: str,
    scope: Access,
    unit: str,
    year: int,
    grain: str,
    sections: tuple[str, ...],
    lang: str = "vi",
) -> dict:
    """The pack's chart images (PNG), rendered once in one browser for the slides, the ZIP and Word."""
    return slides.chart_images(pack(folder, view_id, scope, unit, year, grain, sections, lang))
