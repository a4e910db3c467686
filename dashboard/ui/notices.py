"""Notices above the page, and the check of every URL parameter a link carries.

Filters live in widgets bound to the URL (``bind="query-params"``, the widget key is the
parameter name), so a copied link reopens the same view. Streamlit silently drops a URL value
that is not one of a widget's options; ``check_url`` checks each value first and queues
``notice.bad_url_param`` for it, so the user knows the link was not followed exactly. Notices
stay above the page until the user next changes a filter.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

import streamlit as st

from dashboard.formatting import md_text
from dashboard.geography import COUNTRY_CODE, Geography
from dashboard.i18n import LANGUAGES, t

P_LANG = "lang"  # the language filter's URL parameter and key: notices are worded in it

# Streamlit's own parameters, never ours to judge.
STREAMLIT_PARAMS = frozenset({"embed", "embed_options"})

_NOTICES = "_ui_notices"  # session state: notices shown until the user changes a filter
NOTICE_BOX = "_ui_notice_box"
# Page-level URL parameters seen in this process (names only): a link to another page's view
# carries them, and they should not be called unknown there.
PAGE_PARAMS: set[str] = set()


def session_lang() -> str:
    """The language chosen in the sidebar (Vietnamese until it is drawn, or for a bad value)."""
    lang = st.session_state.get(P_LANG, "vi")
    return lang if lang in LANGUAGES else "vi"


def notice(text: str) -> None:
    """Queue a warning shown above the page until the user next changes a filter."""
    queued = st.session_state.setdefault(_NOTICES, [])
    if text not in queued:
        queued.append(text)


def clear_notices() -> None:
    """Forget the queued notices (the widgets' ``on_change``: the user changed a filter)."""
    st.session_state[_NOTICES] = []


def render_notices() -> None:
    """Show the queued notices in the notice area at the top of the main column."""
    box = st.session_state.get(NOTICE_BOX)
    target = box if box is not None else st
    for text in st.session_state.get(_NOTICES, []):
        target.warning(text, icon=":material/warning:")


def notice_denied(codes: Sequence[str], geo: Geography) -> None:
    """Queue ``notice.out_of_scope`` for each unit of ``codes`` (units the user may not see)."""
    lang = session_lang()
    for code in codes:
        name = t("scope.country", lang) if code == COUNTRY_CODE else geo.name(code)
        notice(t("notice.out_of_scope", lang, name=name))


def check_url(
    key: str,
    labels: Sequence[str],
    lang: str,
    *,
    max_values: int | None = 1,
    out_of_scope: Collection[str] = (),
    options: Sequence[Any] = (),
) -> None:
    """Queue ``notice.bad_url_param`` when the URL holds a value for ``key`` that is not a label.

    A value in ``out_of_scope`` (a unit that exists but the user may not see) gets
    ``notice.out_of_scope`` instead. Runs before the widget: the widget then drops the value
    itself and uses its default.

    ``options`` are the widget's values, in the order of ``labels``. A link may name them by
    their code (``lang=en``, ``province=01``, ``district=019``, ``grain=9m``), as people type
    and share them, not only by the label the widget writes. Streamlit seeds a bound widget
    from labels only, so on a session's first sight of the key a typed code is put in session
    state, which the widget then takes.
    """
    values = st.query_params.get_all(key)
    if not values:
        return
    if options:
        by_text = {str(o): o for o in options} | dict(zip(labels, options, strict=True))
        typed = [v for v in values if v not in labels and v in by_text]
        if typed and key not in st.session_state and all(v in by_text for v in values):
            chosen = [by_text[v] for v in values]
            st.session_state[key] = chosen if max_values is None else chosen[0]
        labels = [*labels, *by_text]
    for value in values:
        if value not in labels and value in out_of_scope:
            notice(t("notice.out_of_scope", lang, name=md_text(value)))
    bad = [v for v in values if v not in labels and v not in out_of_scope]
    if max_values is not None and len(values) > max_values:
        bad = bad or values
    if bad:
        notice(t("notice.bad_url_param", lang, name=md_text(key), value=md_text(", ".join(bad))))


def label_in(lang: str, key: str) -> Callable[[str], str]:
    """The option → label function of a choice worded by ``i18n`` keys ``<key>.<option>``."""
    return lambda option: t(f"{key}.{option}", lang)
