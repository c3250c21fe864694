"""Shared by the reliability tests and benchmarks/fuzz.py, benchmarks/load.py: servers (public or internal),
the fuzzing core, checksums."""

import hashlib
import os
import re
import subprocess
import time
from pathlib import Path

import requests

from helpers.paths import GEO
from helpers.server import free_port

LEAKS = re.compile(r"Traceback \(most recent|File \"/|(?<![\w:/.~-])/(?:work|tmp|home|root|usr|opt|var|srv)/|"
                   r"site-packages|sqlite3\.|OperationalError|\bSELECT .* FROM\b")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def start(store: Path, log_path: Path, internal: bool = False, key: str | None = None,
          workers: int = 2, env: dict | None = None, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """`geo serve` (or `geo serve --internal` with ``key`` in GEO_API_KEY) on ``port`` or a free loopback port;
    ``env`` adds to the environment (e.g. shorter job limits, or the public GEO_SERVER_URL behind nginx)."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "GEO_SERVER_URL": url, **(env or {})}
    env.pop("GEO_API_KEY", None)
    if key is not None:
        env["GEO_API_KEY"] = key
    cmd = [GEO, "serve", "--port", str(port), "--workers", str(workers), "--store", str(store)]
    log = open(log_path, "w")  # noqa: SIM115  (the server writes to it while it runs)
    proc = subprocess.Popen(cmd + (["--internal"] if internal else []), env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    headers = {"X-API-Key": key} if key else {}
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {Path(log_path).read_text()}")
        try:
            if requests.get(f"{url}/conformance?f=json", headers=headers, timeout=10).status_code == 200:
                return proc, url
        except requests.RequestException:  # not listening yet, or busy starting
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server did not start: {Path(log_path).read_text()}")


# --- fuzzing ------------------------------------------------------------------------------------

def local_document(url: str, headers: dict | None = None) -> dict:
    """Our OpenAPI document with references to schemas.opengis.net cut out (no network needed)."""
    doc = requests.get(f"{url}/openapi", params={"f": "json"}, headers=headers, timeout=60).json()
    return _strip_remote_refs(doc)


def _strip_remote_refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str) and not node["$ref"].startswith("#"):
            return {}
        return {k: _strip_remote_refs(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_strip_remote_refs(v) for v in node]
    return node


def problem(response) -> str | None:
    """Why a response fails: a 5xx, or a body that shows internals (traceback, path, SQL); else None."""
    if response.status_code >= 500:
        return f"status {response.status_code}"
    leak = LEAKS.search(response.text)
    return f"shows internals: {leak.group(0)!r}" if leak else None


def fuzz(url: str, examples: int, headers: dict | None = None, derandomize: bool = True) -> dict:
    """schemathesis cases for every operation of the served OpenAPI document, ``examples`` per operation."""
    import schemathesis

    schema = schemathesis.openapi.from_dict(local_document(url, headers))
    report = {"operations": 0, "labels": set(), "cases": 0, "failures": [], "statuses": {}, "seconds": 0.0}
    start_time = time.perf_counter()
    for result in schema.get_all_operations():
        report["operations"] += 1
        report["labels"].add(result.ok().label)
        _fuzz_operation(result.ok(), url, examples, headers, derandomize, report)
    report["seconds"] = time.perf_counter() - start_time
    return report


def _fuzz_operation(operation, url, examples, headers, derandomize, report) -> None:
    from hypothesis import HealthCheck, Phase, given, settings

    @settings(max_examples=examples, deadline=None, database=None, derandomize=derandomize,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(operation.as_strategy())
    def run(case):
        response = case.call(base_url=url, headers=headers, timeout=60)
        report["cases"] += 1
        status = f"{response.status_code // 100}xx"
        report["statuses"][status] = report["statuses"].get(status, 0) + 1
        why = problem(response)
        if why:
            report["failures"].append({"operation": operation.label, "why": why, "url": response.request.url,
                                       "body": str(response.request.body)[:200]})

    run()
