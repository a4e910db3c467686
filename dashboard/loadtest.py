"""Load test: N sessions open a page at once over the websocket, then change a filter, then switch page.

``python -m dashboard loadtest`` starts the app (or targets ``--url``, e.g. the replicas' proxy)
and, beside it, the reference page (``dashboard/ui/loadref.py``: six metrics and one 12-point line,
nothing cached) on a second server, and runs the same scenario against both, one after the other:

1. ``open``: N browserless sessions (``dashboard/stclient.py``) GET the page and run its script
   with the chosen filters in the URL, all at once;
2. ``filter`` (``--change province=…``): every session chooses another option in a sidebar widget,
   all at once, as a click would (the reference page reruns unchanged);
3. ``switch`` (``--switch xu-huong``): every session goes to another page through the navigation.

A step starts for every session together once all have finished the one before, so "16 sessions
rerunning at once" is what the numbers say. For each step it reports the median, 95th percentile
and maximum time per session, the time until all were done, the throughput (sessions, or steps,
per second), the app/reference ratios, and the RSS of the server processes before, at peak during
and after the sessions closed. It asserts no time: the figures go to docs/BENCHMARK.md.

Why plain asyncio and ``websockets`` (already pinned, Streamlit's own dependency) and not Locust:
Locust runs its users as gevent greenlets and monkey-patches the socket module, which fights an
asyncio websocket client; its statistics are per request, where ours are per script run (a run
is many frames until ``script_finished``); and the whole measurement (percentiles of a few dozen
runs, one process) needs a barrier and a sort, not a distributed load generator.
RSS is read from ``/proc`` (Linux).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.formatting import MISSING, fmt_number

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_SCRIPT = Path(__file__).resolve().parent / "ui" / "loadref.py"
RSS_SAMPLE_S = 0.2


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def streamlit_options(port: int) -> list[str]:
    """The options every server of the load test and the replicas runs with: localhost, headless."""
    return [
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def wait_healthy(base_url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    """Wait until ``base_url/_stcore/health`` answers 200; fail with the server's log if it died."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base_url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(
                f"máy chủ {base_url} không khởi động được:\n" + log.read_text(errors="replace")
            )
        time.sleep(0.3)


def stop(process: subprocess.Popen) -> None:
    """Terminate a process started here, then kill it if it does not stop."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_server(
    script: Path | None, log: Path, port: int, data_dir: Path | None = None, env: dict | None = None
) -> subprocess.Popen:
    """Start, without waiting, the app (``script`` None: ``python -m dashboard serve``) or another
    Streamlit script on the same server set-up (``python -m dashboard.ui.serve SCRIPT``: the
    reference page is measured on the app's footing) on 127.0.0.1:``port``, its output to ``log``."""
    environment = {**os.environ, **(env or {})}
    if data_dir is not None:
        environment["DASHBOARD_DATA_DIR"] = str(data_dir)
    if script is None:
        command = [sys.executable, "-m", "dashboard", "serve", *streamlit_options(port)]
    else:
        command = [sys.executable, "-m", "dashboard.ui.serve", str(script), *streamlit_options(port)]
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)


@contextlib.contextmanager
def serving(
    script: Path | None,
    log: Path,
    data_dir: Path | None = None,
    port: int | None = None,
    env: dict | None = None,
) -> Iterator[tuple[str, int]]:
    """A server of :func:`start_server` once healthy: yields (base URL, pid); stops it on exit."""
    port = port or free_port()
    process = start_server(script, log, port, data_dir, env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process, log)
        yield base, process.pid
    finally:
        stop(process)


def rss_mb(pids: list[int]) -> float | None:
    """Resident memory of the processes, summed, in MB (None when none can be read)."""
    total, seen = 0, False
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
                seen = True
    return total / 1024 if seen else None


def cpu_s(pids: list[int]) -> float | None:
    """CPU time (user + system) the processes have used so far, summed, in seconds.

    What a step cost the server, whatever else the machine was doing: on a shared machine the
    times per session vary with the other load, the CPU a session costs much less.
    """
    ticks, seen = 0, False
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
        seen = True
    return ticks / os.sysconf("SC_CLK_TCK") if seen else None


# --------------------------------------------------------------------------- scenario


@dataclass(frozen=True)
class Scenario:
    """What every session does: open ``page`` with ``query``, then optionally change, then switch."""

    page: str = ""
    query: str = ""
    change: tuple[str, str] | None = None  # (URL parameter of the widget, label of the new option)
    switch: str | None = None  # URL path of the page to go to

    @property
    def steps(self) -> list[str]:
        return ["open"] + (["filter"] if self.change else []) + (["switch"] if self.switch else [])


@dataclass
class StepStats:
    """One step over all sessions: per-session times, the time until all were done, what went wrong."""

    name: str
    times: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    errors: list[str] = field(default_factory=list)
    elements: dict[str, int] = field(default_factory=dict)  # element type → count, over every session
    cpu_s: float | None = None  # CPU time the server processes used during the step

    def summary(self) -> dict:
        ordered = sorted(self.times)
        done = len(ordered)
        return {
            "step": self.name,
            "sessions": done,
            "p50_s": statistics.median(ordered) if ordered else None,
            "p95_s": ordered[min(done - 1, max(0, round(0.95 * done + 0.5) - 1))] if ordered else None,
            "max_s": ordered[-1] if ordered else None,
            "all_done_s": self.wall_s,
            "per_second": done / self.wall_s if self.wall_s > 0 else None,
            "errors": list(self.errors),
            "elements": dict(self.elements),
            "cpu_ms_per_session": self.cpu_s * 1000 / done if self.cpu_s is not None and done else None,
        }


async def _sample_rss(pids: list[int], peak: list[float], stop_event: asyncio.Event) -> None:
    while not stop_event.is_set():
        value = rss_mb(pids)
        if value is not None:
            peak[0] = max(peak[0], value)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop_event.wait(), RSS_SAMPLE_S)


async def run_batch(
    base_url: str,
    sessions: int,
    scenario: Scenario,
    pids: list[int],
    reference: bool = False,
    settle: float = 2.0,
) -> dict:
    """``sessions`` sessions through the scenario's steps, all at once per step; the report of the batch.

    ``reference``: the server is the reference page, where a filter change and a page switch are
    plain reruns (it has neither widgets nor pages).
    """
    from dashboard.stclient import Session

    clients = [Session(base_url) for _ in range(sessions)]
    before = rss_mb(pids)
    peak = [before or 0.0]
    stop_event = asyncio.Event()
    sampler = asyncio.create_task(_sample_rss(pids, peak, stop_event))
    alive = list(clients)
    stats: list[StepStats] = []
    started = time.perf_counter()
    try:
        for step in scenario.steps:

            def action(client: Session, step: str = step):
                if step == "open":
                    return client.open(
                        "" if reference else scenario.page, "" if reference else scenario.query
                    )
                if reference:
                    return client.rerun()
                if step == "filter":
                    return client.change(*scenario.change)
                return client.switch(scenario.switch)

            result = StepStats(step)
            t0, cpu0 = time.perf_counter(), cpu_s(pids)
            outcomes = await asyncio.gather(*(action(c) for c in alive), return_exceptions=True)
            result.wall_s = time.perf_counter() - t0
            cpu1 = cpu_s(pids)
            result.cpu_s = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
            still = []
            for client, outcome in zip(alive, outcomes, strict=True):
                if isinstance(outcome, BaseException):
                    result.errors.append(f"{type(outcome).__name__}: {outcome}")
                    continue
                result.times.append(outcome.seconds)
                for kind, count in outcome.elements.items():
                    result.elements[kind] = result.elements.get(kind, 0) + count
                if outcome.compile_error:
                    result.errors.append("script failed to compile")
                result.errors.extend(outcome.exceptions)
                still.append(client)
            alive = still
            stats.append(result)
        total_s = time.perf_counter() - started
    finally:
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
        during = peak[0]
        await asyncio.sleep(settle)
        stop_event.set()
        await sampler
    served = [c.served_by for c in clients]
    return {
        "url": base_url,
        "reference": reference,
        "sessions": sessions,
        "completed": len(alive),
        "total_s": total_s,
        "sessions_per_s": len(alive) / total_s if total_s > 0 else None,
        "steps": [s.summary() for s in stats],
        "rss_mb": {"before": before, "peak": max(peak[0], during), "after": rss_mb(pids)},
        "served_by": served,
    }


def ratios(app: dict, ref: dict) -> dict[str, dict[str, float | None]]:
    """App / reference, per step: of the median time, of the time until all were done and of the
    server's CPU time per session."""
    out = {}
    for a, r in zip(app["steps"], ref["steps"], strict=False):

        def div(x, y):
            return x / y if x is not None and y else None

        out[a["step"]] = {
            "p50": div(a["p50_s"], r["p50_s"]),
            "all_done": div(a["all_done_s"], r["all_done_s"]),
            "cpu": div(a.get("cpu_ms_per_session"), r.get("cpu_ms_per_session")),
        }
    return out


# --------------------------------------------------------------------------- the command


def run(
    counts: list[int],
    scenario: Scenario,
    url: str | None = None,
    replicas: int | None = None,
    pids: list[int] | None = None,
    data_dir: Path | None = None,
    reference: bool = True,
    settle: float = 2.0,
    warmup: bool = True,
) -> list[dict]:
    """For each N in ``counts``: the reference batch, then the app batch; servers started here are stopped.

    The app is ``url`` (a running server, ``pids`` its processes), else ``replicas`` replicas behind
    HAProxy (dashboard/replicas.py), else one server started here over ``data_dir``.

    ``warmup``: one session goes through the scenario on each server (each replica) first, unreported,
    so that the figures are those of a server that has read its snapshot (as at a meeting, not after
    a restart).
    """
    with contextlib.ExitStack() as stack:
        logs = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="loadtest-")))
        if url is None and replicas:
            from dashboard.replicas import running

            found = stack.enter_context(running(replicas, data_dir=data_dir, log_dir=logs))
            url, pids = found.url, list(found.pids)
        elif url is None:
            url, pid = stack.enter_context(serving(None, logs / "app.log", data_dir=data_dir))
            pids = [pid]
        ref_url = ref_pid = None
        if reference:
            ref_url, ref_pid = stack.enter_context(serving(REFERENCE_SCRIPT, logs / "reference.log"))
        if warmup:
            if reference:
                asyncio.run(run_batch(ref_url, 1, scenario, [ref_pid], True, settle=0))
            # One session per replica: consecutive sessions go round the replicas, so each is warmed.
            asyncio.run(run_batch(url, replicas or 1, scenario, list(pids or []), False, settle=0))
        results = []
        for n in counts:
            entry: dict = {"sessions": n}
            if reference:
                entry["reference"] = asyncio.run(run_batch(ref_url, n, scenario, [ref_pid], True, settle))
            entry["app"] = asyncio.run(run_batch(url, n, scenario, list(pids or []), False, settle))
            if reference:
                entry["ratios"] = ratios(entry["app"], entry["reference"])
            results.append(entry)
        return results


def _s(value: float | None) -> str:
    return MISSING if value is None else fmt_number(value, decimals=3)


def _x(value: float | None) -> str:
    return MISSING if value is None else fmt_number(value, decimals=2) + "×"


def _ms(value: float | None) -> str:
    return MISSING if value is None else fmt_number(value, decimals=1)


def _mb(value: float | None) -> str:
    return MISSING if value is None else fmt_number(value, decimals=0)


def table(results: list[dict]) -> str:
    """The report as text: one block per N, a line per step and server, the ratios and the RSS."""
    lines = []
    for entry in results:
        n = entry["sessions"]
        lines.append(f"N = {n} phiên đồng thời")
        header = f"{'p50 s':>9}{'p95 s':>9}{'max s':>9}{'xong hết s':>12}{'/giây':>8}"
        header += f"{'CPU ms/phiên':>14}  lỗi"
        lines.append(f"  {'máy chủ':<12}{'bước':<8}" + header)
        for label in ("reference", "app"):
            if label not in entry:
                continue
            batch = entry[label]
            name = "tham chiếu" if label == "reference" else "ứng dụng"
            for step in batch["steps"]:
                lines.append(
                    f"  {name:<12}{step['step']:<8}{_s(step['p50_s']):>9}{_s(step['p95_s']):>9}"
                    f"{_s(step['max_s']):>9}{_s(step['all_done_s']):>12}{_s(step['per_second']):>8}"
                    f"{_ms(step.get('cpu_ms_per_session')):>14}  {len(step['errors'])}"
                )
            rss = batch["rss_mb"]
            lines.append(
                f"  {name:<12}phiên/giây {_s(batch['sessions_per_s'])}; RSS MB trước {_mb(rss['before'])},"
                f" đỉnh {_mb(rss['peak'])}, sau {_mb(rss['after'])}"
            )
        for step, r in entry.get("ratios", {}).items():
            lines.append(
                f"  tỉ lệ ứng dụng/tham chiếu, {step}: p50 {_x(r['p50'])}, xong hết {_x(r['all_done'])},"
                f" CPU {_x(r.get('cpu'))}"
            )
        errors = [
            e
            for label in ("reference", "app")
            if label in entry
            for s in entry[label]["steps"]
            for e in s["errors"]
        ]
        for error in sorted(set(errors))[:5]:
            lines.append(f"  LỖI: {error}")
    return "\n".join(lines)
