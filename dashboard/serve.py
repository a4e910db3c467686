"""Start the dashboard: ``python -m dashboard serve [streamlit options]``.

Why not plain ``streamlit run app.py``: with a folder named ``pages/`` beside the entry file,
Streamlit first routes every request through its old file-based navigation, which knows the
pages only by file name. A copied link such as ``/so-sanh?district=…`` then shows a
"Page not found" dialog before ``app.py``'s own ``st.navigation`` finds the page. Telling
Streamlit, before it starts, that the app does not use the pages directory makes the entry
file's navigation the only one, so links open cleanly in a new tab.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def use_entry_file_navigation() -> None:
    """Route every page through app.py's st.navigation, never Streamlit's pages-folder routing."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def main(options: list[str]) -> int:
    """Run the Streamlit server on app.py in this process, with ``options`` passed through."""
    use_entry_file_navigation()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *options]
    return cli.main()
