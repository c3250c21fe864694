"""The house rules, checked: the import contracts (import-linter, ``[tool.importlinter]`` in pyproject.toml), the
ruff rule set (``[tool.ruff]``), and the environment read in one place (issue 15). Fast: no store, no server."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from helpers.paths import ROOT

BIN = Path(sys.executable).parent
CONTRACTS = [c["id"] for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]]
CODE = ["geo", "layers", "analyses", "samples", "omgevingsgeo", "tests", "benchmarks"]


def _tool(name: str) -> str:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed: pip install -e .[test]")
    return str(found)


def _run(*cmd: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT), "PATH": f"{BIN}:/usr/bin:/bin"}
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.parametrize("contract", CONTRACTS)
def test_import_contract(contract):
    run = _run(_tool("lint-imports"), "--contract", contract, "--no-cache")
    if run.returncode:
        pytest.fail(f"lint-imports --contract {contract}:\n{run.stdout[-8000:]}{run.stderr[-2000:]}", pytrace=False)


@pytest.mark.parametrize("folder", CODE)
def test_ruff(folder):
    if not (ROOT / folder).exists():
        pytest.skip(f"no {folder}/")
    run = _run(_tool("ruff"), "check", "--no-cache", "--output-format", "concise", folder)
    if run.returncode:
        pytest.fail(f"ruff check {folder} (ruff check --fix fixes the [*] ones):\n{run.stdout[-8000:]}{run.stderr}",
                    pytrace=False)


def test_only_the_settings_module_reads_the_environment():
    run = subprocess.run(["grep", "-rn", "--include=*.py", "os.environ", "geo", "layers", "analyses"], cwd=ROOT,
                         capture_output=True, text=True)
    files = sorted({line.split(":", 1)[0] for line in run.stdout.splitlines()})
    assert set(files) <= {"geo/core/settings.py"}, "os.environ outside geo/core/settings.py:\n" + "\n".join(
        line for line in run.stdout.splitlines() if not re.match(r"geo/core/settings\.py:", line))


def test_every_package_is_in_git():
    """A package directory that git ignores (``build/`` once matched ``geo/build/``) breaks a fresh clone."""
    tracked = set(subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split())
    if not tracked:
        pytest.skip("not a git checkout")
    for folder in ["geo", "layers", "analyses", "samples", "omgevingsgeo"]:
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.relative_to(ROOT).as_posix()
            assert relative in tracked or "__pycache__" in relative, f"{relative} is not tracked by git (.gitignore?)"
        for module in (ROOT / folder).rglob("*.py"):
            relative = module.relative_to(ROOT).as_posix()
            assert relative in tracked, f"{relative} is not tracked by git (.gitignore?)"
