"""The front of ``geo serve``: whole requests read on an event loop, then answered by the WSGI app in a thread.

Why (issue 16): gunicorn's sync workers read each request on the worker itself, so two idle TCP
connections, a slowloris client trickling its headers, an unclosed keep-alive connection or a
``Content-Length: 1073741824`` with 13 bytes sent each hold a whole worker. ``geo serve`` runs gunicorn's
asyncio worker (``asgi``, plus a first-header deadline: ``geo.serve.gunicorn_worker``) with this module as the
application instead: the worker keeps every connection as a coroutine and hands us a request only once its
headers are complete; here the body is
read with a size limit (413 at once when the declared ``Content-Length`` is too large) and a deadline
(408), and only then does pygeoapi's Flask app (WSGI) run, in a small thread pool. A slow or silent
client therefore never holds a thread. Settings: :class:`FrontSettings`, from the environment that
``geo serve`` sets.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from geo.core.settings import Settings

log = logging.getLogger(__name__)

__all__ = ["FrontSettings", "WsgiFront", "create_app"]

MAX_BODY_ENV = "GEO_MAX_BODY_BYTES"
BODY_BUDGET_ENV = "GEO_BODY_BUDGET_BYTES"
BODY_TIMEOUT_ENV = "GEO_BODY_TIMEOUT_S"
THREADS_ENV = "GEO_THREADS"
FILE_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FrontSettings:
    """Limits of the front: the largest request body, how long a body may take to arrive, the bytes of
    bodies one worker holds at once (a flood of large slow bodies gets 503, not the memory), app threads."""

    max_body_bytes: int = 4 * 1024 * 1024
    body_timeout_s: float = 10.0
    body_budget_bytes: int = 64 * 1024 * 1024
    threads: int = 4

    @classmethod
    def from_settings(cls, settings: Settings) -> FrontSettings:
        """Defaults, or ``GEO_MAX_BODY_BYTES``, ``GEO_BODY_TIMEOUT_S``, ``GEO_BODY_BUDGET_BYTES``, ``GEO_THREADS``
        as read into ``settings``."""
        given = {"max_body_bytes": settings.max_body_bytes, "body_timeout_s": settings.body_timeout_s,
                 "body_budget_bytes": settings.body_budget_bytes, "threads": settings.threads}
        return cls(**{k: v for k, v in given.items() if v is not None})


class RequestError(Exception):
    """A request the front refuses before the app sees it: an HTTP status and a one-line message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code = status, code


class ClientGone(Exception):
    """The client closed the connection before its request body was complete."""


class BodyBudget:
    """Bytes of request bodies a worker holds in memory at once; used on the event loop only (no lock)."""

    def __init__(self, limit: int):
        self.limit, self.held = limit, 0

    def take(self, size: int) -> None:
        if self.held + size > self.limit:
            raise RequestError(503, "ServiceUnavailable", "request body: the server holds too many request "
                                                          "bodies at the moment; try again later")
        self.held += size

    def release(self, size: int) -> None:
        self.held -= size


class FileResponse:
    """``wsgi.file_wrapper``: a file the app sends (downloads) is streamed from the event loop, not a thread."""

    def __init__(self, filelike, block_size: int = FILE_CHUNK):
        self.filelike, self.block_size = filelike, block_size

    def __iter__(self):
        while chunk := self.filelike.read(self.block_size):
            yield chunk

    def close(self) -> None:
        self.filelike.close()


class WsgiFront:
    """An ASGI app that buffers each request and runs the WSGI ``app`` on it in a bounded thread pool."""

    def __init__(self, app, settings: FrontSettings):
        self.app, self.settings = app, settings
        self.pool = ThreadPoolExecutor(settings.threads, thread_name_prefix="wsgi")
        self.budget = BodyBudget(settings.body_budget_bytes)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.pool.shutdown(wait=False)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope, receive, send) -> None:
        body = bytearray()
        try:
            await self._read_body(scope, receive, body)
            await self._answer(scope, bytes(body), send)
        except RequestError as e:
            await _send_error(send, e)
        except ClientGone:
            pass
        finally:
            self.budget.release(len(body))

    async def _answer(self, scope, body: bytes, send) -> None:
        loop = asyncio.get_running_loop()
        try:
            status, headers, content = await loop.run_in_executor(self.pool, self._call_app, scope, body)
        except Exception:  # the Flask app answers its own errors; this is a bug below it
            log.exception("unhandled error in the WSGI app")
            await _send_error(send, RequestError(500, "NoApplicableCode", "internal server error"))
            return
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for chunk in content:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if isinstance(content, FileResponse):
            content.close()
        await send({"type": "http.response.body", "body": b""})

    async def _read_body(self, scope, receive, body: bytearray) -> None:
        """Read the whole request body into ``body``: 413 when it is (or is declared) too large, 408 when it
        arrives too slowly, 503 when the worker holds too many bodies already."""
        limit = self.settings.max_body_bytes
        declared = declared_length(scope)
        if declared is not None and declared > limit:
            raise RequestError(413, "PayloadTooLarge", f"request body: Content-Length {declared} is over the "
                                                       f"limit of {limit} bytes")
        try:
            await asyncio.wait_for(self._receive_body(receive, body), self.settings.body_timeout_s)
        except TimeoutError:
            raise RequestError(408, "RequestTimeout", f"request body: not complete within "
                                                      f"{self.settings.body_timeout_s:g} s") from None

    async def _receive_body(self, receive, body: bytearray) -> None:
        """Append the body's chunks to ``body`` (taken from the budget); 413 as soon as it passes the limit."""
        limit = self.settings.max_body_bytes
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientGone()
            chunk = message.get("body", b"")
            self.budget.take(len(chunk))
            body += chunk
            if len(body) > limit:
                raise RequestError(413, "PayloadTooLarge", f"request body: over the limit of {limit} bytes")
            if not message.get("more_body", False):
                return

    def _call_app(self, scope, body: bytes) -> tuple[int, list, object]:
        """Run the WSGI app (in a pool thread): status, headers and the body chunks (or a file to stream)."""
        started = {}

        def start_response(status, headers, exc_info=None):
            started["status"], started["headers"] = status, headers
            return chunks.append

        chunks: list[bytes] = []
        result = self.app(wsgi_environ(scope, body), start_response)
        if isinstance(result, FileResponse):
            return _status_code(started["status"]), _encode_headers(started["headers"]), result
        try:
            chunks.extend(chunk for chunk in result if chunk)
        finally:
            if hasattr(result, "close"):
                result.close()
        return _status_code(started["status"]), _encode_headers(started["headers"]), chunks


def declared_length(scope) -> int | None:
    """The request's ``Content-Length``, None without one; 400 when it is not a number."""
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            if not value.strip().isdigit():
                raise RequestError(400, "InvalidParameterValue", "Content-Length: expected a number of bytes")
            return int(value)
    return None


def wsgi_environ(scope, body: bytes) -> dict:
    """The PEP 3333 environ of an ASGI HTTP request whose whole ``body`` has been read."""
    server = scope.get("server") or ("127.0.0.1", 80)
    client = scope.get("client") or ("", 0)
    root_path = scope.get("root_path", "")
    path = scope["path"][len(root_path):] if scope["path"].startswith(root_path) else scope["path"]
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": _latin1(root_path),
        "PATH_INFO": _latin1(path),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": str(client[0]),
        "REMOTE_PORT": str(client[1]),
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.file_wrapper": FileResponse,
    }
    environ.update(_header_variables(scope["headers"]))
    return environ


def _header_variables(headers) -> dict[str, str]:
    """Request headers as ``HTTP_*`` variables (repeated ones joined with commas), plus ``CONTENT_TYPE``."""
    variables: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        if name in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
            continue  # the body is read whole: CONTENT_LENGTH is its real length
        key = name if name == "CONTENT_TYPE" else f"HTTP_{name}"
        value = raw_value.decode("latin-1")
        variables[key] = f"{variables[key]},{value}" if key in variables else value
    return variables


def _latin1(text: str) -> str:
    """A decoded ASGI path as WSGI wants it: its UTF-8 bytes as a latin-1 string."""
    return text.encode("utf-8").decode("latin-1")


def _status_code(status: str) -> int:
    return int(status.split(" ", 1)[0])


def _encode_headers(headers) -> list[tuple[bytes, bytes]]:
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]


async def _send_error(send, error: RequestError) -> None:
    """The app's JSON error shape; the connection is closed since the body may be unread."""
    body = json.dumps({"code": error.code, "type": error.code, "description": str(error)}).encode()
    await send({"type": "http.response.start", "status": error.status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def create_app(wsgi_app, settings: Settings) -> WsgiFront:
    """The ASGI app ``geo serve`` gives gunicorn: a WSGI app (pygeoapi's Flask app) behind the buffering front."""
    return WsgiFront(wsgi_app, FrontSettings.from_settings(settings))
