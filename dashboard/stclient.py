"""A browserless Streamlit client: one session over ``/_stcore/stream``, as the browser opens it.

The load test drives many of these at once. It speaks the protocol of Streamlit's own frontend
(``streamlit.proto``, the one thing it takes from Streamlit): GET the page (cookies, the proxy's
sticky cookie among them), open the websocket with the ``streamlit`` subprotocol and the XSRF
token, send a ``rerun_script`` ``BackMsg`` carrying the page's URL path and query string, and read
``ForwardMsg`` frames until the run's ``script_finished``. Like the browser, it tells the server
which large messages it already holds (``cached_message_hashes``), so a rerun receives references
instead of the same figures again. What it does not do: load the JavaScript bundle, draw anything,
or send widget values it was not asked to change (the server keeps the others from the last run).
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import time
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

# The header the replicas' proxy adds to every response with the name of the replica that served it
# (dashboard/replicas.py); absent when the server is reached directly.
REPLICA_HEADER = "X-Dashboard-Replica"
# Large runs (the map) send messages of a few MB; the browser accepts any size.
MAX_FRAME_BYTES = 256 * 1024 * 1024
_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}
# Widgets whose value is one option's label (selectbox and radio: ``string_value``).
_SINGLE_CHOICE = {"selectbox", "radio"}
_TEXTS = {"heading", "markdown", "alert"}


class ProtocolError(RuntimeError):
    """The server did something a browser would not accept (closed early, unknown widget, …)."""


@dataclass
class RunResult:
    """What one script run sent: how long it took, which elements, and any exception shown."""

    seconds: float
    elements: Counter = field(default_factory=Counter)
    exceptions: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # headings, markdown and alerts, in order
    compile_error: bool = False

    @property
    def ok(self) -> bool:
        return not self.exceptions and not self.compile_error


@dataclass
class _Widget:
    kind: str
    widget_id: str
    options: list[str]


class Session:
    """One browser tab on ``base_url``: :meth:`open` a page, then change a filter or switch page."""

    def __init__(self, base_url: str, timeout: float = 300.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.query_string = ""
        self.served_by: list[str] = []  # the replica named by the proxy, per HTTP response
        self.pages: dict[str, str] = {}  # URL path → page script hash, from the navigation message
        self.page_hash = ""  # the page shown, which every rerun names (as the browser does)
        self._jar = http.cookiejar.CookieJar()
        self._widgets: dict[str, _Widget] = {}  # query parameter → widget, from the last run
        self._held: dict[str, str] = {}  # hash → element type of the large messages received
        self._ws = None

    # ------------------------------------------------------------------ steps

    async def open(self, page: str = "", query: str = "") -> RunResult:
        """GET the page, connect the websocket and run the page's script with ``query`` in the URL."""
        started = time.perf_counter()
        # Written as a person types it ("province=Toàn quốc") or already encoded: encoded either way.
        query = urllib.parse.urlencode(urllib.parse.parse_qsl(query))
        url = f"{self.base_url}/{page}" + (f"?{query}" if query else "")
        await asyncio.to_thread(self._get, url)
        headers = {}
        cookie = "; ".join(f"{c.name}={c.value}" for c in self._jar)
        if cookie:
            headers["Cookie"] = cookie
        xsrf = next((c.value for c in self._jar if c.name == "_streamlit_xsrf"), "")
        ws_url = "ws" + self.base_url[len("http") :] + "/_stcore/stream"
        self._ws = await connect(
            ws_url,
            origin=self.base_url,
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
            additional_headers=headers,
            max_size=MAX_FRAME_BYTES,
            open_timeout=self.timeout,
        )
        replica = self._ws.response.headers.get(REPLICA_HEADER)
        if replica:
            self.served_by.append(replica)
        self.query_string = query
        return await self._run(started, page_name=page)

    async def change(self, param: str, label: str) -> RunResult:
        """Choose ``label`` in the widget bound to the URL parameter ``param``, as a click would."""
        widget = self._widgets.get(param)
        if widget is None:
            raise ProtocolError(
                f"the page shows no widget bound to '{param}' (have: {sorted(self._widgets)})"
            )
        if widget.kind not in _SINGLE_CHOICE:
            raise ProtocolError(f"'{param}' is a {widget.kind}; only a selectbox or radio can be changed")
        if label not in widget.options:
            raise ProtocolError(f"'{label}' is not an option of '{param}' (options: {widget.options[:10]} …)")
        started = time.perf_counter()
        # The browser writes a bound widget's new value into its address itself, then reruns.
        params = [(k, v) for k, v in urllib.parse.parse_qsl(self.query_string) if k != param]
        self.query_string = urllib.parse.urlencode([*params, (param, label)])
        msg = self._rerun_msg()
        state = msg.rerun_script.widget_states.widgets.add()
        state.id = widget.widget_id
        state.string_value = label
        return await self._run(started, msg=msg)

    async def switch(self, page: str) -> RunResult:
        """Go to the page at URL path ``page`` through the navigation, keeping the filters in the URL."""
        if page not in self.pages:
            raise ProtocolError(f"no page at '/{page}' (pages: {sorted(self.pages)})")
        started = time.perf_counter()
        msg = self._rerun_msg()
        msg.rerun_script.page_script_hash = self.pages[page]
        return await self._run(started, msg=msg)

    async def rerun(self) -> RunResult:
        """Run the current page again with nothing changed (what the reference page does for a filter)."""
        return await self._run(time.perf_counter(), msg=self._rerun_msg())

    def set_cookie(self, name: str, value: str) -> None:
        """Hold a cookie for the server before opening, as a returning browser does."""
        host = urllib.parse.urlsplit(self.base_url).hostname or ""
        self._jar.set_cookie(
            http.cookiejar.Cookie(
                0, name, value, None, False, host, False, False, "/", True, False, None, True, None, None, {}
            )
        )

    def options(self, param: str) -> list[str]:
        """The options the last run offered in the widget bound to URL parameter ``param``."""
        widget = self._widgets.get(param)
        return list(widget.options) if widget else []

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    # ------------------------------------------------------------------ protocol

    def _get(self, url: str) -> None:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self._jar))
        with opener.open(url, timeout=self.timeout) as response:
            response.read()
            replica = response.headers.get(REPLICA_HEADER)
            if replica:
                self.served_by.append(replica)

    def _rerun_msg(self) -> BackMsg:
        msg = BackMsg()
        msg.rerun_script.query_string = self.query_string
        msg.rerun_script.page_script_hash = self.page_hash
        msg.rerun_script.cached_message_hashes.extend(self._held)
        return msg

    async def _run(self, started: float, msg: BackMsg | None = None, page_name: str = "") -> RunResult:
        if self._ws is None:
            raise ProtocolError("the session is not open")
        if msg is None:
            msg = self._rerun_msg()
            msg.rerun_script.page_name = page_name
            context = msg.rerun_script.context_info
            context.url = f"{self.base_url}/{page_name}" + (
                f"?{self.query_string}" if self.query_string else ""
            )
            context.locale = "vi-VN"
            context.timezone = "Asia/Ho_Chi_Minh"
        await self._ws.send(msg.SerializeToString())
        result = RunResult(seconds=0.0)
        widgets: dict[str, _Widget] = {}
        async with asyncio.timeout(self.timeout):
            while True:
                try:
                    frame = await self._ws.recv()
                except Exception as exc:  # the connection closed: the server is gone or refused us
                    raise ProtocolError(f"the websocket closed during a run: {exc}") from exc
                fwd = ForwardMsg()
                fwd.ParseFromString(frame)
                kind = fwd.WhichOneof("type")
                if kind == "new_session":
                    # A new run (also after st.rerun): only the widgets of the last run count.
                    widgets = {}
                    result.elements.clear()
                    result.exceptions.clear()
                    result.texts.clear()
                elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    self._element(fwd, result, widgets)
                elif kind == "ref_hash":
                    result.elements[self._held.get(fwd.ref_hash, "cached")] += 1
                elif kind == "navigation":
                    self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                    self.page_hash = fwd.navigation.page_script_hash
                elif kind == "page_info_changed":
                    self.query_string = fwd.page_info_changed.query_string
                elif kind == "script_finished" and fwd.script_finished in _DONE:
                    result.compile_error = fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR
                    break
        result.seconds = time.perf_counter() - started
        self._widgets = widgets
        return result

    def _element(self, fwd: ForwardMsg, result: RunResult, widgets: dict[str, _Widget]) -> None:
        element = fwd.delta.new_element
        kind = element.WhichOneof("type")
        result.elements[kind] += 1
        if fwd.metadata.cacheable and fwd.hash:
            self._held[fwd.hash] = kind
        if kind == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}")
            return
        body = getattr(element, kind)
        if kind in _TEXTS:
            result.texts.append(body.body)
        key = getattr(body, "query_param_key", "")
        if key:
            widgets[key] = _Widget(kind, body.id, list(getattr(body, "options", [])))


def query(**params: str) -> str:
    """A URL query string from parameters (``query(province="Tỉnh Điện Biên")``)."""
    return urllib.parse.urlencode(params)
