"""Headless Chromium checks for the agency pages: the DOM, and the console errors a page logs."""

import subprocess
import tempfile

from helpers.browser import CHROMIUM, FLAGS, OFFLINE, dom

__all__ = ["CHROMIUM", "dom", "console_errors"]


def console_errors(url: str) -> list[str]:
    """Lines of Chromium's log that report an uncaught error or a failed resource (offline)."""
    with tempfile.TemporaryDirectory() as profile:
        cmd = [CHROMIUM, *FLAGS, *OFFLINE, "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}",
               "--dump-dom", url]
        log = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stderr
    return [line for line in log.splitlines() if "Uncaught" in line or ("CONSOLE" in line and "rror" in line)]
