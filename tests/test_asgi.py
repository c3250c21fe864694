"""geo.serve.asgi without a server: the PEP 3333 environ it builds, and the per-worker budget of buffered bodies.

(The front under real clients and attacks: tests/test_reliability_slow_clients.py.)"""

import asyncio
import json

from geo.serve.asgi import FrontSettings, WsgiFront, wsgi_environ


def scope(path="/", headers=(), method="GET", query=b"", root_path=""):
    return {"type": "http", "method": method, "path": path, "root_path": root_path, "query_string": query,
            "headers": list(headers), "http_version": "1.1", "scheme": "http",
            "server": ("127.0.0.1", 5000), "client": ("127.0.0.9", 40000)}


def test_environ_follows_pep_3333():
    environ = wsgi_environ(scope("/geo/collections/straat é", root_path="/geo", query=b"f=json&q=%C3%A9",
                                 headers=[(b"content-type", b"application/json"), (b"content-length", b"99"),
                                          (b"accept", b"text/html"), (b"accept", b"application/json"),
                                          (b"x-forwarded-proto", b"https")], method="POST"), b'{"a": 1}')
    assert environ["SCRIPT_NAME"] == "/geo"
    assert environ["PATH_INFO"] == "/collections/straat \xc3\xa9"  # UTF-8 bytes as latin-1 characters
    assert environ["QUERY_STRING"] == "f=json&q=%C3%A9"
    assert environ["CONTENT_TYPE"] == "application/json"
    assert environ["CONTENT_LENGTH"] == "8"  # the body read, not what the client declared
    assert environ["HTTP_ACCEPT"] == "text/html,application/json"
    assert environ["HTTP_X_FORWARDED_PROTO"] == "https"
    assert "HTTP_CONTENT_LENGTH" not in environ and "HTTP_CONTENT_TYPE" not in environ
    assert environ["wsgi.input"].read() == b'{"a": 1}'
    assert (environ["REMOTE_ADDR"], environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("127.0.0.9", "127.0.0.1",
                                                                                        "5000")


def echo_length(environ, start_response):
    body = json.dumps({"length": len(environ["wsgi.input"].read())}).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]


class Client:
    """One request's ASGI channels: body chunks are fed by the test, what the front sends is kept."""

    def __init__(self):
        self.incoming: asyncio.Queue = asyncio.Queue()
        self.sent: list[dict] = []

    async def receive(self):
        return await self.incoming.get()

    async def send(self, message):
        self.sent.append(message)

    def status(self):
        return next(m["status"] for m in self.sent if m["type"] == "http.response.start")


def test_body_budget_refuses_bodies_past_it_and_is_given_back():
    """Budget 15 bytes: while one request holds 8, another's 8 get 503; once done, the bytes are free again."""
    front = WsgiFront(echo_length, FrontSettings(max_body_bytes=10, body_budget_bytes=15, threads=1))
    post = scope("/x", [(b"content-length", b"10")], method="POST")

    async def run():
        first, second = Client(), Client()
        task = asyncio.create_task(front(post, first.receive, first.send))
        await first.incoming.put({"type": "http.request", "body": b"12345678", "more_body": True})
        await asyncio.sleep(0.05)
        assert front.budget.held == 8
        await second.incoming.put({"type": "http.request", "body": b"12345678", "more_body": True})
        await front(post, second.receive, second.send)
        await first.incoming.put({"type": "http.request", "body": b"90", "more_body": False})
        await task
        third = Client()
        await third.incoming.put({"type": "http.request", "body": b"1234567890", "more_body": False})
        await front(post, third.receive, third.send)
        return first, second, third

    first, second, third = asyncio.run(run())
    front.pool.shutdown()
    assert second.status() == 503
    assert b"too many request bodies" in second.sent[-1]["body"]
    assert (first.status(), third.status()) == (200, 200)
    assert json.loads(b"".join(m.get("body", b"") for m in first.sent[1:])) == {"length": 10}
    assert front.budget.held == 0
