"""Running the entry script (``dashboard/ui/app.py``) through Streamlit's AppTest, and reading what it drew.

AppTest shows plotly charts as unknown elements; their figure is in ``proto.spec`` (JSON).
"""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.testing.v1 import AppTest

from dashboard.ui.widgets import MENU_SUFFIX

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "ui" / "app.py"
PAGE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
TIMEOUT = 120


def run_app(page: str | None = None, query_params: dict | None = None, user: dict | None = None) -> AppTest:
    """The entry file run once (as ``user`` when given, what ``st.user`` reads), then ``page``."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if user is not None:
        at.user = user
    if query_params:
        at.query_params.update(query_params)
    at.run()
    if page is not None:
        at.switch_page(str(ROOT / page)).run()  # AppTest reads a path from the entry script's folder
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _menu_key(node) -> str | None:
    if getattr(node, "type", None) not in ("popover", "expander") or not node.proto.id:
        return None
    key = user_key_from_element_id(node.proto.id)
    return key if key and key.endswith(MENU_SUFFIX) else None


def menus(at: AppTest) -> list:
    """The folded parts the last run drew (``widgets``' download menus and folded tables: popovers
    and expanders whose keys end ``MENU_SUFFIX``), in order."""
    found, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        if _menu_key(node):
            found.append(node)
        stack.extend(reversed(list(getattr(node, "children", {}).values())))
    return found


def open_menus(at: AppTest) -> AppTest:
    """Open every folded part (download menus, folded tables) and rerun until none is left closed,
    so their buttons and tables are drawn (a folded table holds a menu of its own).

    A fold draws its content only once opened; a test of what a download or table offers opens them first.
    """
    for _ in range(3):
        closed = [key for key in map(_menu_key, menus(at)) if not at.session_state[key]]
        if not closed:
            break
        for key in closed:
            at.session_state[key] = True
        at.run()
    return at
