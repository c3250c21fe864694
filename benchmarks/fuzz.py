"""Fuzzing the API: schemathesis cases for every operation of our OpenAPI document, on live servers.

Each operation gets ``--examples`` generated cases (parameters, ids, bodies, valid and invalid); a case
fails when the answer is a 5xx or its body shows internals (a traceback, a file path, SQL). The public
server and the internal one (with its API key) are both fuzzed. The test suite runs the same core with a
few cases per operation (tests/test_reliability_api.py). Exit code 1 when any case failed.

Run: .venv/bin/python benchmarks/fuzz.py [--examples 200] [--random]
"""

import argparse
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from bench_store import ensure_store  # noqa: E402  (benchmarks/ is on sys.path when run as a script)
from helpers.reliability_helpers import fuzz, start  # noqa: E402
from helpers.server import stop_server  # noqa: E402


def main() -> None:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    store = ensure_store(work)
    key = secrets.token_urlsafe(24)
    failures = 0
    for label, internal in (("public", False), ("internal", True)):
        proc, url = start(store, work / f"{label}.log", internal=internal, key=key if internal else None)
        try:
            report = fuzz(url, args.examples, {"X-API-Key": key} if internal else None, not args.random)
        finally:
            stop_server(proc)
        failures += len(report["failures"])
        print(f"{label:8}  {report['operations']} operations  {report['cases']} cases  "
              f"statuses {dict(sorted(report['statuses'].items()))}  {len(report['failures'])} failures  "
              f"{report['seconds']:.0f} s")
        kinds = {}
        for f in report["failures"]:
            kinds.setdefault((f["operation"], f["why"]), f)
        for (operation, why), f in sorted(kinds.items()):
            print(f"   {operation}: {why}  e.g. {f['url']}  {f['body']}")
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--examples", type=int, default=200, help="generated cases per operation")
    p.add_argument("--random", action="store_true", help="new random cases (default: the same cases every run)")
    return p.parse_args()


if __name__ == "__main__":
    main()
