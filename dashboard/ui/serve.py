"""Start the dashboard: ``python -m dashboard serve [streamlit options]``, and its routing helper.

The same as ``streamlit run dashboard/ui/app.py [options]``, with error details off unless the
options say otherwise and connections that send each message at once (``send_without_delay``).
The entry script is not at the repository root, so the top-level
``pages/`` folder does not wake Streamlit's old file-based routing (see dashboard/ui/app.py).
"""

from __future__ import annotations

import functools
import os
import socket
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


def send_without_delay() -> bool:
    """Have the server's connections send each message at once (``TCP_NODELAY``); True if done.

    Streamlit binds its listening socket itself, with protocol 0, and asyncio switches Nagle's
    algorithm off only for sockets that say TCP: every connection kept it. A run's first message
    left at once and the rest waited for its acknowledgement, which the browser (any Linux
    receiver) delays by 40 ms: every click, every page, paid 40 ms doing nothing
    (docs/BENCHMARK.md, *Không chờ 40 ms*). The option is set on the listening socket; on Linux
    the accepted connections inherit it. A Streamlit whose server no longer binds this way is
    left as it is.
    """
    try:
        from streamlit.web.server.starlette import starlette_server
    except ImportError:
        return False
    bind = getattr(starlette_server, "_bind_socket", None)
    if bind is None or getattr(bind, "sends_without_delay", False):
        return bind is not None

    @functools.wraps(bind)  # Streamlit's own stays at ``__wrapped__``
    def bind_without_delay(*args, **kwargs) -> socket.socket:
        sock = bind(*args, **kwargs)
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    bind_without_delay.sends_without_delay = True  # type: ignore[attr-defined]
    starlette_server._bind_socket = bind_without_delay
    return True


def main(options: list[str], script: Path = APP) -> int:
    """Run the Streamlit server on ``script`` (the entry script) in this process, with ``options``
    passed through, its connections sending without delay (``send_without_delay``).

    Error details are off unless the options say otherwise: a visitor never reads a traceback
    (server paths, code) on the page; the server's log keeps them.
    """
    os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "none")
    from streamlit.web import cli

    send_without_delay()
    sys.argv = ["streamlit", "run", str(script), *options]
    return cli.main()


if __name__ == "__main__":
    # ``python -m dashboard.ui.serve SCRIPT [options]``: another script on the same server set-up
    # (the load test's reference page, so that it is measured on the same footing as the app).
    sys.exit(main(sys.argv[2:], Path(sys.argv[1])))
