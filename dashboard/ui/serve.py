"""Start the dashboard: ``python -m dashboard serve [streamlit options]``, and its routing helper.

The same as ``streamlit run dashboard/ui/app.py [options]``, with error details off unless the
options say otherwise. The entry script is not at the repository root, so the top-level
``pages/`` folder does not wake Streamlit's old file-based routing (see dashboard/ui/app.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def open_default_page_by_its_path(url_path: str) -> None:
    """Let a link to the default page by its own path (``/tong-quan``) open it, with no dialog.

    Streamlit serves the default page at the root only (its ``url_path`` reads ""), so a
    direct link to ``/tong-quan`` names a page it does not know: it runs the default page
    anyway but first shows "Page not found". Call before ``st.navigation``: a run that asks for
    the default page by that path is told it asked for the root.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    pages = ctx.pages_manager
    if pages.intended_page_name == url_path and not pages.intended_page_script_hash:
        pages.set_script_intent("", "")


def main(options: list[str]) -> int:
    """Run the Streamlit server on the entry script in this process, with ``options`` passed through.

    Error details are off unless the options say otherwise: a visitor never reads a traceback
    (server paths, code) on the page; the server's log keeps them.
    """
    os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "none")
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *options]
    return cli.main()
