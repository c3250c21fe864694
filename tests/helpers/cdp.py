"""Headless Chromium driven over the Chrome DevTools Protocol through a pipe: no extra package needed.

``--remote-debugging-pipe`` makes Chromium read CDP commands from fd 3 and write replies and events to
fd 4, each message JSON ended by a NUL byte. That is enough to emulate a position
(``Emulation.setGeolocationOverride`` plus the geolocation permission), click a button, wait for the page,
collect console errors and uncaught exceptions, and take a screenshot.

    with Browser() as b:
        page = b.open(url, geolocation=(52.78, 4.80), mobile=True)
        page.click("#mijn-locatie"); page.wait_for("document.body.dataset.state === 'klaar'")
"""

import base64
import contextlib
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from helpers.browser import CHROMIUM, OFFLINE

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--remote-debugging-pipe"]


class CDPError(RuntimeError):
    pass


class Browser:
    def __init__(self, offline: bool = True):
        self.offline = offline
        self._id = 0
        self._buffer = b""
        self.events: list[dict] = []

    def __enter__(self) -> "Browser":
        self._profile = tempfile.TemporaryDirectory()
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds():  # the child's fd 3 reads our commands, its fd 4 writes the answers
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [CHROMIUM, *FLAGS, *(OFFLINE if self.offline else []), f"--user-data-dir={self._profile.name}",
                "about:blank"]
        self._proc = subprocess.Popen(args, preexec_fn=fds, close_fds=False,  # fds 3, 4 must survive exec
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(CDPError, OSError):
            self.send("Browser.close")
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        self._profile.cleanup()

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            reply = self._read(deadline - time.time())
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise CDPError(f"{method}: no answer in {timeout} s")

    def _read(self, timeout: float) -> dict:
        import select

        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_chrome], [], [], max(0.0, timeout))
            if not ready:
                raise CDPError("chromium sent nothing")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise CDPError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str, geolocation: tuple[float, float] | None = None, mobile: bool = False,
             size: tuple[int, int] = (1280, 900)) -> "Page":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Runtime", "Log", "Page"):
            page.send(f"{domain}.enable")
        width, height = (390, 844) if mobile else size
        page.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                         "deviceScaleFactor": 1, "mobile": mobile})
        if geolocation:
            origin = "/".join(url.split("/")[:3])
            self.send("Browser.grantPermissions", {"permissions": ["geolocation"], "origin": origin})
            page.send("Emulation.setGeolocationOverride", {"latitude": geolocation[0],
                                                           "longitude": geolocation[1], "accuracy": 10})
        page.send("Page.navigate", {"url": url})
        page.wait_for("document.readyState === 'complete'")
        return page


class Page:
    def __init__(self, browser: Browser, session: str):
        self.browser, self.session = browser, session

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise CDPError(f"{expression}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def wait_for(self, condition: str, timeout: float = 30) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"Boolean({condition})"):
                return
            time.sleep(0.2)
        raise CDPError(f"waited {timeout} s for {condition}")

    def click(self, selector: str) -> None:
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def fill(self, selector: str, value: str) -> None:
        self.evaluate(f"document.querySelector({json.dumps(selector)}).value = {json.dumps(value)}")

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def errors(self, ignore_hosts: tuple[str, ...] = ("tile.openstreetmap.org",)) -> list[str]:
        """Uncaught exceptions, console.error calls and error log entries, except failed loads of
        ``ignore_hosts`` (base tiles cannot load offline, by design)."""
        out = []
        for event in self.browser.events:
            if event.get("sessionId") != self.session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(params["exceptionDetails"].get("exception", {}).get("description")
                           or params["exceptionDetails"].get("text"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                out.append(" ".join(str(a.get("value", a.get("description"))) for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                entry = params["entry"]
                if not any(h in (entry.get("url") or "") for h in ignore_hosts):
                    out.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}")
        return out
