"""gunicorn's asyncio worker with a deadline for a connection's first request header (issue 16).

gunicorn 27's ASGI worker closes a kept-alive connection whose next request has not arrived within
``keepalive`` seconds, but waits for the *first* request of a new connection without limit, so an idle or
slowloris connection stays open until the client gives up (upstream: benoitc/gunicorn#3735 leaves "a fresh
connection that stays silent before its first request" open on purpose). This worker closes a connection
whose first request header is not complete HEADER_TIMEOUT_S after it opened, as nginx's
``client_header_timeout`` does. The one patch of gunicorn internals (``ASGIProtocol``) is here.
"""

from gunicorn.asgi.protocol import ASGIProtocol
from gunicorn.workers import gasgi

__all__ = ["HEADER_TIMEOUT_S", "HeaderDeadlineWorker"]

HEADER_TIMEOUT_S = 10.0


class HeaderDeadlineProtocol(ASGIProtocol):
    """``ASGIProtocol`` that closes the connection when its first request header is late."""

    _header_deadline = None

    def _start_http1(self, buffered=b""):
        self._header_deadline = self.worker.loop.call_later(HEADER_TIMEOUT_S, self._header_too_late)
        super()._start_http1(buffered)

    def _on_headers_complete(self):
        self._cancel_header_deadline()
        return super()._on_headers_complete()

    def connection_lost(self, exc):
        self._cancel_header_deadline()
        super().connection_lost(exc)

    def _header_too_late(self) -> None:
        self._header_deadline = None
        self._keepalive_timeout()  # gunicorn's own way out: close the transport, wake the connection loop

    def _cancel_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None


class HeaderDeadlineWorker(gasgi.ASGIWorker):
    """gunicorn's ``asgi`` worker serving connections with :class:`HeaderDeadlineProtocol`."""

    def init_process(self):
        gasgi.ASGIProtocol = HeaderDeadlineProtocol  # _serve() builds its protocol from this module name
        super().init_process()
