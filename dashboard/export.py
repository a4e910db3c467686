"""Chart images: the caption band, kaleido renders through one shared browser, atomic files, ZIPs.

Kaleido ≥ 1 drives a Chrome or Chromium installed on the machine. It finds Debian's
``/usr/bin/chromium`` by itself; the environment variable ``BROWSER_PATH`` points it at another
executable; on a machine with internet ``plotly_get_chrome`` downloads one. Without a browser
:func:`probe_browser` says, in Vietnamese, what to install, and every render raises
:class:`BrowserUnavailable` with that message — the app keeps working and the in-browser
plotly download (:func:`plotly_config`) still does.

One browser process serves every image (:class:`_Browser`, started on first use and kept
for the process): a lone ``plotly.io.to_image`` starts and stops Chromium each time (2–4 s),
a render in the running browser takes a fraction of a second. Calls are thread-safe, so
Streamlit sessions can share it.

No Streamlit here.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import datetime as dt
import html
import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from dashboard import theme
from dashboard.formatting import fmt_date
from dashboard.i18n import t

DEFAULT_WIDTH = 1600
DEFAULT_HEIGHT = 900
DEFAULT_SCALE = 2
FORMATS: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml"}

# The caption band: title and filter context at the top, snapshot date and source at the bottom.
TITLE_BAND_PX = 130
SOURCE_BAND_PX = 50
TITLE_SIZE = 26
CONTEXT_SIZE = 18
SOURCE_SIZE = 15
CAPTION_COLOR = theme.CAPTION_TEXT
# Each render may take this long before it counts as failed (a wedged browser is restarted).
RENDER_TIMEOUT_S = 60
# Tabs of the one browser. On the 2-core server a second tab was no faster (10 images: 2,85 s
# with two, 2,93 s with one) and costs memory.
TABS = 1

INSTALL_HINT = (
    "Cài Chromium và phông chữ tiếng Việt trên máy chủ: `apt-get install chromium fonts-noto-core`"
    " (Debian/Ubuntu); hoặc, nếu máy có Internet, chạy `plotly_get_chrome`; hoặc đặt biến môi"
    " trường BROWSER_PATH trỏ tới tệp chạy Chrome/Chromium. Nút tải ảnh trên biểu đồ (trong trình"
    " duyệt) vẫn dùng được."
)
NO_BROWSER = "Không tìm thấy Chrome/Chromium trên máy chủ nên chưa xuất được ảnh, bản trình chiếu và báo cáo."
BAD_BROWSER_PATH = "BROWSER_PATH={path} không phải là tệp chạy được của Chrome/Chromium."
NO_FONTS = (
    f"Máy chủ thiếu phông chữ có đủ dấu tiếng Việt ({' hoặc '.join(theme.VIETNAMESE_FONTS)}): chữ trong"
    " ảnh có thể hiện sai. Cài `fonts-noto-core` (Debian/Ubuntu)."
)


class BrowserUnavailable(RuntimeError):
    """No usable Chrome/Chromium: the message (Vietnamese) says what to install."""


class ExportError(RuntimeError):
    """A render that failed although a browser was found."""


# --------------------------------------------------------------------------- the browser


@dataclass(frozen=True)
class BrowserProbe:
    """Where the browser is (``path``), or why there is none (``message``, Vietnamese)."""

    path: str | None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.path is not None


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def probe_browser(environ: Mapping[str, str] | None = None) -> BrowserProbe:
    """Find the Chrome/Chromium kaleido will use: ``BROWSER_PATH`` if set, else where kaleido looks.

    A ``BROWSER_PATH`` that is not an executable is reported rather than silently ignored, so
    a typo does not leave the user with a browser they did not choose.
    """
    env = os.environ if environ is None else environ
    explicit = env.get("BROWSER_PATH")
    if explicit:
        if _is_executable(explicit):
            return BrowserProbe(explicit)
        return BrowserProbe(None, BAD_BROWSER_PATH.format(path=explicit) + " " + INSTALL_HINT)
    from choreographer.browsers.chromium import Chromium

    found = Chromium.find_browser(skip_local=False)
    if found and _is_executable(found):
        return BrowserProbe(found)
    return BrowserProbe(None, NO_BROWSER + " " + INSTALL_HINT)


def probe_fonts() -> str | None:
    """A Vietnamese warning when neither Noto Sans nor DejaVu Sans is installed; None when fine.

    Chromium falls back to any font it has, and a font without Vietnamese glyphs prints boxes
    for ư, ơ, đ and the tone marks. Without ``fc-list`` (not Linux) nothing can be said.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        families = subprocess.run(
            [fc_list, ":lang=vi", "family"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return None if any(f in families for f in theme.VIETNAMESE_FONTS) else NO_FONTS


class _Browser:
    """One Kaleido (one Chromium process) on its own event-loop thread, shared by every caller."""

    def __init__(self, path: str):
        self.path = path
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True)
        self._thread.start()
        try:
            self._kaleido = self._run(self._open(path), timeout=RENDER_TIMEOUT_S)
        except BaseException:
            self._stop_loop()
            raise

    def _run(self, coroutine, timeout: float):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    @staticmethod
    async def _open(path: str):
        import kaleido

        # mathjax=False: kaleido would otherwise load MathJax from a CDN, which hangs offline.
        k = kaleido.Kaleido(path=path, mathjax=False, n=TABS, timeout=RENDER_TIMEOUT_S)
        await k.open()
        return k

    def render(self, specs: Sequence[tuple[dict, dict]]) -> list[bytes]:
        """Images for (figure dict, opts) pairs, in order."""

        async def all_of():
            return await asyncio.gather(*(self._kaleido.calc_fig(fig, opts=opts) for fig, opts in specs))

        return self._run(all_of(), timeout=RENDER_TIMEOUT_S * max(1, len(specs)))

    def close(self) -> None:
        # Closing a dead browser is not an error worth raising.
        with contextlib.suppress(Exception):
            self._run(self._kaleido.close(), timeout=30)
        self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


_browser: _Browser | None = None
_browser_lock = threading.Lock()


def _shared_browser(path: str) -> _Browser:
    global _browser
    if _browser is not None and _browser.path != path:
        _browser.close()
        _browser = None
    if _browser is None:
        _browser = _Browser(path)
        # Registered after the browser's temporary profile, so it runs before that is cleaned up.
        atexit.register(close_browser)
    return _browser


def close_browser() -> None:
    """Stop the shared browser (it restarts on the next render)."""
    global _browser
    with _browser_lock:
        if _browser is not None:
            _browser.close()
            _browser = None


def render_many(
    figures: Sequence[go.Figure | dict],
    fmt: str = "png",
    *,
    width: int = DEFAULT_WIDTH,
    height: int = DEFAULT_HEIGHT,
    scale: float = DEFAULT_SCALE,
) -> list[bytes]:
    """Render figures as they are (no caption band) in the one shared browser.

    Raises:
        BrowserUnavailable: no Chrome/Chromium (message says what to install).
        ExportError: the browser failed twice (it is restarted once in between).
    """
    if fmt not in FORMATS:
        raise ValueError(f"Định dạng ảnh không hỗ trợ: {fmt!r} (chọn {', '.join(FORMATS)})")
    probe = probe_browser()
    if not probe.ok:
        raise BrowserUnavailable(probe.message)
    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    specs = [(f.to_dict() if isinstance(f, go.Figure) else f, opts) for f in figures]
    if not specs:
        return []
    global _browser
    with _browser_lock:
        last_error: Exception | None = None
        for _attempt in range(2):
            try:
                return _shared_browser(probe.path).render(specs)
            except Exception as exc:  # noqa: BLE001 - a crashed or wedged browser: restart once
                last_error = exc
                if _browser is not None:
                    _browser.close()
                    _browser = None
        raise ExportError(f"Xuất ảnh thất bại: {last_error}") from last_error


def render(fig: go.Figure | dict, fmt: str = "png", **size) -> bytes:
    """One figure as PNG or SVG bytes (see :func:`render_many`)."""
    return render_many([fig], fmt, **size)[0]


# --------------------------------------------------------------------------- the caption band


@dataclass(frozen=True)
class CaptionContext:
    """What every exported image says besides its chart: where, when, as of when, from where.

    ``area`` names the unit with its parents ("Quận Nam Từ Liêm, Thành phố Hà Nội"),
    ``period`` the period ("9 tháng 2022"), ``as_of`` the snapshot's date.
    """

    area: str
    period: str
    as_of: dt.date
    source: str
    demo: bool = False
    lang: str = "vi"

    def context_line(self) -> str:
        return f"{self.area} · {self.period}"

    def source_line(self) -> str:
        """The same words as the pages' captions: "Nguồn: …. Số liệu tính đến ngày 31/12/2025."."""
        note = t("caption.source", self.lang, source=self.source, date=fmt_date(self.as_of, self.lang))
        return (t("notice.demo_data", self.lang) + ". " + note) if self.demo else note


def _is_screen_note(annotation: go.layout.Annotation) -> bool:
    """The source note ``charts.finish`` writes under a plot (paper (0, 0), shifted down)."""
    return (
        annotation.xref == "paper"
        and annotation.yref == "paper"
        and annotation.y == 0
        and (annotation.yshift or 0) < -40
        and not annotation.showarrow
    )


def with_caption(
    fig: go.Figure,
    ctx: CaptionContext,
    *,
    title: str | None = None,
    height: int = DEFAULT_HEIGHT,
) -> go.Figure:
    """A copy of ``fig`` with the caption band an image needs once it leaves the app.

    At the top the chart's title (bold) and the filter context (area, period); at the bottom
    the source and the snapshot date. The on-screen note of ``charts.finish`` is replaced by
    the band rather than printed twice. Positions are in pixels from the top of the image and
    from the bottom of the plot area, so they hold at any export size.
    """
    out = go.Figure(fig)
    text = title if title is not None else (out.layout.title.text or "")
    # Plotly reads titles as HTML-ish text; a name with "<" must stay a name.
    text = re.sub(r"</?b>", "", text)
    # Assigned, not passed to update_layout: update merges lists element by element.
    out.layout.annotations = [a for a in out.layout.annotations if not _is_screen_note(a)]
    margin = out.layout.margin
    axis_room = max((margin.b if margin.b is not None else 110) - 20, 70)
    out.update_layout(
        title=dict(
            text=f"<b>{html.escape(text)}</b>",
            subtitle=dict(
                text=html.escape(ctx.context_line()), font=dict(size=CONTEXT_SIZE, color=CAPTION_COLOR)
            ),
            font=dict(size=TITLE_SIZE),
            x=0.02,
            xref="container",
            xanchor="left",
            y=1 - 24 / height,
            yref="container",
            yanchor="top",
        ),
        margin=dict(t=TITLE_BAND_PX, b=axis_room + SOURCE_BAND_PX),
        paper_bgcolor=theme.BACKGROUND,
    )
    out.add_annotation(
        text=html.escape(ctx.source_line()),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-axis_room,
        showarrow=False,
        align="left",
        font=dict(size=SOURCE_SIZE, color=CAPTION_COLOR),
        name="caption_source",
    )
    return out


def caption_texts(fig: go.Figure) -> list[str]:
    """Every text of the caption band in a captioned figure: title, context line, source line."""
    texts = [fig.layout.title.text or "", fig.layout.title.subtitle.text or ""]
    texts += [a.text for a in fig.layout.annotations if a.name == "caption_source"]
    return [html.unescape(re.sub(r"</?b>", "", s)) for s in texts]


def export_image(
    fig: go.Figure,
    ctx: CaptionContext,
    fmt: str = "png",
    *,
    title: str | None = None,
    width: int = DEFAULT_WIDTH,
    height: int = DEFAULT_HEIGHT,
    scale: float = DEFAULT_SCALE,
) -> bytes:
    """``fig`` with its caption band as PNG (``width``×``height`` at ``scale``) or SVG bytes."""
    captioned = with_caption(fig, ctx, title=title, height=height)
    return render(captioned, fmt, width=width, height=height, scale=scale)


def export_images(
    figures: Sequence[go.Figure],
    ctx: CaptionContext,
    fmt: str = "png",
    *,
    width: int = DEFAULT_WIDTH,
    height: int = DEFAULT_HEIGHT,
    scale: float = DEFAULT_SCALE,
) -> list[bytes]:
    """Many figures with their caption bands, rendered in one browser."""
    captioned = [with_caption(f, ctx, height=height) for f in figures]
    return render_many(captioned, fmt, width=width, height=height, scale=scale)


# --------------------------------------------------------------------------- files


def write_atomic(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A failed or interrupted write leaves the old file (or none), never half a file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); a report is an ordinary document.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def slug(text: str) -> str:
    """An ASCII file-name part: "Quận Nam Từ Liêm" → "quan-nam-tu-liem"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def file_name(*parts: str, ext: str) -> str:
    """ "quan-nam-tu-liem_9-thang-2022_nguoi-nghien.png" from readable parts."""
    return "_".join(slug(p) for p in parts if p) + f".{ext}"


def zip_files(files: Mapping[str, bytes] | Iterable[tuple[str, bytes]]) -> bytes:
    """A ZIP archive (deflated) of name → bytes, in the given order."""
    items = files.items() if isinstance(files, Mapping) else files
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            archive.writestr(name, data)
    return buffer.getvalue()


def plotly_config(filename: str, *, width: int = DEFAULT_WIDTH, height: int = DEFAULT_HEIGHT) -> dict:
    """The ``config`` of an on-screen chart: its camera button saves a slide-ready PNG at scale 2.

    This download works in the user's browser and needs nothing on the server.
    """
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": width,
            "height": height,
            "scale": DEFAULT_SCALE,
        },
    }


# --------------------------------------------------------------------------- timing


def time_batch(
    figures: Sequence[go.Figure],
    fmt: str = "png",
    *,
    width: int = DEFAULT_WIDTH,
    height: int = DEFAULT_HEIGHT,
    scale: float = DEFAULT_SCALE,
) -> dict:
    """Seconds to render ``figures`` in the shared browser: startup, whole batch, per image.

    ``startup_seconds`` is the time to have a running browser (0 when it already ran);
    ``batch_seconds`` the batch itself; ``per_image_seconds`` their ratio. Reported, never
    asserted: machines are shared and noisy.
    """
    started = time.perf_counter()
    render_many([go.Figure()], fmt, width=64, height=64, scale=1)  # starts the browser if needed
    ready = time.perf_counter()
    images = render_many(figures, fmt, width=width, height=height, scale=scale)
    done = time.perf_counter()
    n = len(images)
    return {
        "images": n,
        "format": fmt,
        "pixels": [int(width * scale), int(height * scale)],
        "startup_seconds": round(ready - started, 3),
        "batch_seconds": round(done - ready, 3),
        "per_image_seconds": round((done - ready) / n, 3) if n else None,
        "bytes": sum(len(b) for b in images),
    }
