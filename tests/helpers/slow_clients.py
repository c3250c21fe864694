"""Slow-client attacks for tests/test_reliability_slow_clients.py: loopback only, bounded in count and time.

Each attack opens ``count`` TCP connections from ATTACKER_ADDRESS (127.0.0.2, so a per-address limit in
front of the server tells the attacker from the probe on 127.0.0.1) to a server the test started, holds them
in a way a slow or hostile client would, and closes every one of them on exit, also on failure.
"""

from __future__ import annotations

import contextlib
import resource
import socket
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import requests

ATTACKER_ADDRESS = "127.0.0.2"
LOOPBACK = ("127.0.0.1", "127.0.0.2")
MAX_CONNECTIONS = 400  # per attack: a bound on what the test can open, whatever the caller asks
READ_ANSWERS_S = 10.0  # the keep-alive clients read their answers for at most this long, all together


def loopback_target(url: str) -> tuple[str, int]:
    """Host and port of ``url``; refuses anything but a loopback server."""
    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise ValueError(f"{url}: attacks go to loopback servers the test started only")
    return parts.hostname, parts.port


def ensure_fd_limit(needed: int) -> int:
    """Raise the soft limit of open files to ``needed`` when the hard limit allows; the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed and (hard == resource.RLIM_INFINITY or hard >= needed):
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
        soft = needed
    return soft


def _connect(target: tuple[str, int]) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(5)
    sock.bind((ATTACKER_ADDRESS, 0))
    sock.connect(target)
    return sock


def _open(target, count: int) -> list[socket.socket]:
    """``count`` connections (at most MAX_CONNECTIONS); stops early when the server refuses more."""
    socks = []
    for _ in range(min(count, MAX_CONNECTIONS)):
        try:
            socks.append(_connect(target))
        except OSError:
            break
    return socks


def _close(socks) -> None:
    for sock in socks:
        with contextlib.suppress(OSError):
            sock.close()


def _send_quietly(sock: socket.socket, data: bytes) -> bool:
    """Send ``data``; False when the server has closed the connection (which is what it should do)."""
    try:
        sock.sendall(data)
        return True
    except OSError:
        return False


def _request_head(host: str, path: str, method: str = "GET") -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: slow-client-test\r\n".encode()


def _read_response_head(sock: socket.socket, deadline: float) -> bytes:
    """What arrives until the end of a response head, or until ``deadline`` (time.monotonic)."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    return data


@contextmanager
def _trickling(socks, interval_s: float, make_bytes):
    """A thread that sends ``make_bytes(i)`` on every live socket every ``interval_s`` until the block ends."""
    stop = threading.Event()

    def trickle():
        i = 0
        while not stop.wait(interval_s):
            i += 1
            for sock in socks:
                _send_quietly(sock, make_bytes(i))

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


@contextmanager
def idle(url: str, count: int):
    """``count`` connections that never send a byte."""
    socks = _open(loopback_target(url), count)
    try:
        yield socks
    finally:
        _close(socks)


@contextmanager
def slowloris(url: str, count: int, interval_s: float = 1.0):
    """``count`` clients sending a request line, then one more header line every ``interval_s``, never the end."""
    host, port = loopback_target(url)
    socks = _open((host, port), count)
    try:
        for sock in socks:
            _send_quietly(sock, _request_head(f"{host}:{port}", "/collections"))
        with _trickling(socks, interval_s, lambda i: f"X-Slow-{i}: {'a' * 8}\r\n".encode()):
            yield socks
    finally:
        _close(socks)


@contextmanager
def slow_body(url: str, count: int, interval_s: float = 1.0):
    """``count`` POSTs declaring a 100 kB body and sending it one byte every ``interval_s``."""
    host, port = loopback_target(url)
    socks = _open((host, port), count)
    head = _request_head(f"{host}:{port}", "/collections/natura2000_gebied/items", "POST")
    head += b"Content-Type: application/query-cql-json\r\nContent-Length: 100000\r\n\r\n{"
    try:
        for sock in socks:
            _send_quietly(sock, head)
        with _trickling(socks, interval_s, lambda i: b" "):
            yield socks
    finally:
        _close(socks)


@contextmanager
def unclosed_keepalive(url: str, count: int, path: str = "/conformance?f=json"):
    """``count`` clients each sending one complete keep-alive request, reading the answer, never closing."""
    host, port = loopback_target(url)
    socks = _open((host, port), count)
    request = _request_head(f"{host}:{port}", path) + b"Connection: keep-alive\r\n\r\n"
    try:
        for sock in socks:
            _send_quietly(sock, request)
        deadline = time.monotonic() + READ_ANSWERS_S
        answered = sum(1 for sock in socks if _read_response_head(sock, deadline).startswith(b"HTTP/1.1 "))
        yield socks, answered
    finally:
        _close(socks)


def probe_times(url: str, seconds: float, every_s: float = 1.0, timeout_s: float = 5.0) -> list[tuple[float, int]]:
    """(seconds, status) of a normal request on a new connection from 127.0.0.1, every ``every_s`` for
    ``seconds``; a request that fails or takes longer than ``timeout_s`` counts as ``timeout_s`` with status 0."""
    results = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with requests.Session() as session:
                response = session.get(url, timeout=timeout_s, headers={"Connection": "close"})
            status = response.status_code if response.json().get("type") == "FeatureCollection" else -1
            results.append((time.monotonic() - started, status))
        except (requests.RequestException, ValueError):
            results.append((timeout_s, 0))
        time.sleep(max(0.0, every_s - (time.monotonic() - started)))
    return results
