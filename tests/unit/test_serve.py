"""The server's connections send each message at once (no Nagle wait on the browser's delayed ACK)."""

from __future__ import annotations

import socket
import sys

import pytest
from streamlit.web.server.starlette import starlette_server

from dashboard.ui import serve


@pytest.fixture
def fresh_bind(monkeypatch):
    """Streamlit's own bind function, restored after the test."""
    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)
    original = starlette_server._bind_socket
    while getattr(original, "sends_without_delay", False):  # patched earlier in this process
        original = original.__wrapped__
    monkeypatch.setattr(starlette_server, "_bind_socket", original)
    return original


def _accepted(listener: socket.socket) -> tuple[socket.socket, socket.socket]:
    client = socket.create_connection(listener.getsockname()[:2])
    listener.setblocking(True)
    conn, _ = listener.accept()
    return client, conn


def test_streamlits_own_server_connections_keep_nagle(fresh_bind):
    # Why the patch exists: a connection accepted by Streamlit's listening socket waits for ACKs.
    listener = fresh_bind("127.0.0.1", 0, 8)
    client, conn = _accepted(listener)
    with listener, client, conn:
        assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0


def test_served_connections_send_without_delay(fresh_bind):
    assert serve.send_without_delay() is True
    assert serve.send_without_delay() is True  # once: no bind wrapped twice
    patched = starlette_server._bind_socket
    assert patched is not fresh_bind and patched.__wrapped__ is fresh_bind
    listener = patched("127.0.0.1", 0, 8)
    client, conn = _accepted(listener)
    with listener, client, conn:
        assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


def test_serve_sets_it_up_before_the_server_starts(fresh_bind, monkeypatch):
    seen = []
    monkeypatch.setattr(
        "streamlit.web.cli.main",
        lambda: seen.append(getattr(starlette_server._bind_socket, "sends_without_delay", False)) or 0,
    )
    monkeypatch.setattr(sys, "argv", ["python"])
    assert serve.main(["--server.port", "8599"], serve.APP) == 0
    assert seen == [True]
