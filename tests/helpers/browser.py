"""Headless Chromium (Debian package) for tests: the DOM after scripts ran, and screenshots."""

import shutil
import subprocess
import tempfile

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--virtual-time-budget=15000"]
OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def _run(args: list[str], url: str, offline: bool) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        cmd = [CHROMIUM, *FLAGS, *(OFFLINE if offline else []), f"--user-data-dir={profile}", *args, url]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def dom(url: str, offline: bool = True) -> str:
    """The page's DOM after its scripts ran (no network beyond loopback when ``offline``)."""
    return _run(["--dump-dom"], url, offline).stdout


def screenshot(url: str, path, size: str = "1280,900", offline: bool = True) -> None:
    _run([f"--screenshot={path}", f"--window-size={size}"], url, offline)
