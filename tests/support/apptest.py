"""Running the entry script (``dashboard/ui/app.py``) through Streamlit's AppTest, and reading what it drew.

AppTest shows plotly charts as unknown elements; their figure is in ``proto.spec`` (JSON).
"""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

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
