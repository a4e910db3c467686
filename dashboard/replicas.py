"""K replicas of the dashboard behind HAProxy: sticky sessions by cookie, websockets, one data folder.

One Streamlit process runs its scripts on one core, so a meeting that opens the link at once
waits in line on one process however many cores the server has. ``python -m dashboard replicas
--count K`` starts K ``dashboard serve`` processes on free 127.0.0.1 ports, all reading the same
data folder, and HAProxy in front of them on ``--port``:

- **sticky by cookie**: the first response names the replica in the cookie ``DASHBOARD_REPLICA``
  and HAProxy sends every later request of that browser (the websocket, uploads, media) to it. A
  Streamlit session lives in one process's memory, so it must; balancing by client address would
  not do, since behind a NAT or on one machine every client has the same one;
- **websockets**: HAProxy passes the upgrade through; ``timeout tunnel`` keeps an idle dashboard
  connected through a long meeting;
- **one cookie secret** for every replica (generated per start, passed in the environment, never on
  the command line), so a cookie one replica signed is good on another when HAProxy redispatches;
- each response carries ``X-Dashboard-Replica`` (the replica's name) for the load test.

New snapshots: each replica re-reads the list of snapshots when the folder listing changes
(``loaders.catalogue`` is keyed by the names and modification times of ``data/snapshots/*``), and a
snapshot once written never changes, so every replica shows a new one at its next run. HAProxy
must be installed (Debian: ``apt-get install haproxy``).
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dashboard.loadtest import free_port, start_server, stop, wait_healthy
from dashboard.stclient import REPLICA_HEADER

COOKIE = "DASHBOARD_REPLICA"


class ProxyMissing(RuntimeError):
    """HAProxy is not installed."""


@dataclass(frozen=True)
class Replicas:
    """The running set: the proxy's URL, each replica's URL and process id, the proxy's process id."""

    url: str
    replica_urls: tuple[str, ...]
    pids: tuple[int, ...]
    proxy_pid: int


def haproxy_config(front_port: int, replica_ports: list[int]) -> str:
    """HAProxy's configuration: one frontend on 127.0.0.1:``front_port``, the replicas as ``r1``…``rK``."""
    servers = "\n".join(
        f"    server r{i} 127.0.0.1:{port} check cookie r{i}" for i, port in enumerate(replica_ports, start=1)
    )
    return f"""global
    maxconn 4096

defaults
    mode http
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    # A websocket is a tunnel once upgraded: an open dashboard stays connected through a meeting.
    timeout tunnel 8h
    timeout http-request 30s
    option redispatch

frontend dashboard
    bind 127.0.0.1:{front_port}
    default_backend replicas

backend replicas
    balance roundrobin
    # Sticky by cookie, never by client address (every client behind a NAT shares one).
    cookie {COOKIE} insert indirect nocache httponly attr "SameSite=Lax"
    option httpchk GET /_stcore/health
    # A replica running 30 scripts at once answers its health check late, not never: judged on a
    # few slow checks it would be taken out and its new visitors refused (503) in the busiest minute.
    default-server inter 5s fall 3 rise 2
    timeout check 10s
    http-response set-header {REPLICA_HEADER} %[srv_name]
{servers}
"""


def haproxy_path() -> str:
    found = shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if Path(p).is_file()), None
    )
    if found is None:
        raise ProxyMissing("Không tìm thấy HAProxy. Cài đặt: apt-get install haproxy")
    return found


@contextlib.contextmanager
def running(
    count: int, port: int | None = None, data_dir: Path | None = None, log_dir: Path | None = None
) -> Iterator[Replicas]:
    """``count`` replicas and HAProxy on ``port`` (default: a free one), stopped on exit."""
    if count < 1:
        raise ValueError("cần ít nhất một bản sao (--count ≥ 1)")
    haproxy = haproxy_path()
    with contextlib.ExitStack() as stack:
        logs = log_dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="replicas-")))
        env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32)}
        ports = [free_port() for _ in range(count)]
        processes = []
        for i, replica_port in enumerate(ports, start=1):
            process = start_server(None, logs / f"r{i}.log", replica_port, data_dir, env)
            stack.callback(stop, process)
            processes.append(process)
        urls = tuple(f"http://127.0.0.1:{p}" for p in ports)
        for i, (url, process) in enumerate(zip(urls, processes, strict=True), start=1):
            wait_healthy(url, process, logs / f"r{i}.log")
        front = port or free_port()
        config = logs / "haproxy.cfg"
        config.write_text(haproxy_config(front, ports))
        checked = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError("Cấu hình HAProxy không hợp lệ:\n" + checked.stdout + checked.stderr)
        with (logs / "haproxy.log").open("w") as out:
            proxy = subprocess.Popen(
                [haproxy, "-db", "-f", str(config)], stdout=out, stderr=subprocess.STDOUT
            )
        stack.callback(stop, proxy)
        base = f"http://127.0.0.1:{front}"
        wait_healthy(base, proxy, logs / "haproxy.log")
        yield Replicas(base, urls, tuple(p.pid for p in processes), proxy.pid)


def serve(count: int, port: int, data_dir: Path | None = None) -> int:
    """Run ``count`` replicas behind HAProxy on ``port`` until interrupted (Ctrl-C or SIGTERM)."""
    # SIGTERM (systemd, docker stop) unwinds like Ctrl-C, so every process started here is stopped;
    # SIGINT too when a shell started this in the background with it ignored.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with running(count, port, data_dir) as found:
            print(
                f"Bảng điều khiển: {found.url} ({count} bản sao sau HAProxy, phiên gắn theo cookie {COOKIE})"
            )
            for url, pid in zip(found.replica_urls, found.pids, strict=True):
                print(f"  bản sao {url} (pid {pid})")
            print("Nhấn Ctrl-C để dừng.", flush=True)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        print("Đã dừng các bản sao và HAProxy.")
        return 0
    except ProxyMissing as exc:
        print(f"Lỗi: {exc}")
        return 1
