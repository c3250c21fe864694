"""Before/after snapshot of the default build, to prove a refactor changed nothing.

    python scripts/compare_build.py snapshot OUTDIR [--port 5077]
    python scripts/compare_build.py compare BEFORE AFTER

`snapshot` runs every `geo` command of the README on the default (Schagen, GM0441) build in a temporary folder
(its own copy of data/, store and output files; nothing is written to the repository's build/ or data/), records
each command's exit code, stdout and stderr and every file it wrote, then starts `geo serve` on the temporary store
and dumps the API: landing page, conformance, collections, each collection's metadata and queryables, all items
of each collection (paged with limit=1000, sorted by id), the processes and the OpenAPI document.

The CLI is started through the entry point named in pyproject.toml ([project.scripts] geo), with PYTHONPATH and
cwd = the repository root, so the same script works after the entry point moves. Run it with the project's
interpreter, e.g.

    PYTHONPATH=$PWD .venv/bin/python scripts/compare_build.py snapshot /tmp/snapshot-after
    .venv/bin/python scripts/compare_build.py compare /tmp/snapshot-before /tmp/snapshot-after

Everything that truly varies between two runs of the same code is normalised away: the temporary and repository
paths, the port, timestamps (and names of files stamped with one), today's date (file dates of the freshly generated
sample, default peildatum), durations and progress bars in CLI output, uuids and Folium's random element ids, and
the sha256 of the sample's GeoPackages (GDAL stamps them with the time of writing; their tables are dumped and
compared instead). Values, field names, geometries and the order of collections are kept. A GeoPackage or SQLite
file is dumped as one sorted CSV per table, a GeoTIFF as the sha256 of its pixels (and shape, CRS, transform), a
.qgz as its sha256 plus its normalised .qgs, other binaries as sha256.

A snapshot takes about 4 minutes on an idle 2-core machine (about 11 when two run at once) and about 100 MB.
`compare` prints same / differs / missing per file
with the start of a unified diff, and exits 1 when anything differs.
"""

import argparse
import csv
import difflib
import hashlib
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
TEXT_SUFFIXES = {".html", ".csv", ".json", ".yml", ".yaml", ".txt", ".qgs", ".sld", ".qml", ".xml", ".geojson",
                 ".log", ".md"}


# --- normalisation ------------------------------------------------------------------------------------------

class Normaliser:
    """Removes from a text only what varies between two runs of the same code."""

    def __init__(self, tmp: Path, port: int):
        self.paths = [(str(tmp.resolve()), "<TMP>"), (str(tmp), "<TMP>"), (str(ROOT), "<ROOT>")]
        self.port = port
        today = date.today()
        # today's date: file dates of the generated sample (and of a fresh checkout), the default peildatum
        self.today = [today.isoformat(), today.strftime("%d-%m-%Y"), today.strftime("%Y%m%d")]

    def hide_checksums(self, folder: Path) -> None:
        """The sample's GeoPackages differ byte-wise between runs (GDAL stamps them with the time of writing),
        their content does not (it is dumped table by table): hide their sha256 (whole and 12-digit prefix)."""
        for path in sorted(folder.rglob("*.gpkg")):
            digest = sha256(path.read_bytes())
            self.paths += [(digest, f"<SHA256 {path.name}>"), (digest[:12], f"<SHA256 {path.name}>")]

    def __call__(self, text: str, durations: bool = False) -> str:
        for path, token in self.paths:
            text = text.replace(path, token)
        text = re.sub(rf"(127\.0\.0\.1|localhost|0\.0\.0\.0)(%3A|:){self.port}\b", r"\1\2<PORT>", text)
        text = re.sub(rf"\b(port|--port)([ =:]+){self.port}\b", r"\1\2<PORT>", text)
        text = number_ids(text)
        text = re.sub(r"(?<![\d.])\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?(?!\d)",
                      "<TIME>", text)
        text = re.sub(r"(?<![\d.])20\d\d[01]\d[0-3]\dT[0-2]\d[0-5]\d[0-5]\dZ?(?!\d)", "<TIME>", text)
        text = re.sub(r"(?<![\d.:])[0-2]\d:[0-5]\d:[0-5]\d([,.]\d+)?(?![\d:])", "<TIME>", text)
        for day in self.today:
            text = re.sub(rf"(?<![\d.]){day}(?![\d.])", "<TODAY>", text)
        if durations:  # CLI output and logs only: in data and pages "5 s" is content
            text = re.sub(r"[ \t]*(?<![\d.])\d+(\.\d+)?\s?(s|ms|sec|seconds|seconden)\b", " <DURATION>", text)
            text = strip_progress(text)
        return text


def number_ids(text: str) -> str:
    """Replace each uuid (dashed anywhere; undashed after '_' as in Folium's element ids map_<hex>) by <ID n>,
    numbered in order of first appearance, so references between elements stay checkable."""
    seen: dict[str, str] = {}

    def sub(match: re.Match) -> str:
        return seen.setdefault(match.group(0), f"<ID{len(seen) + 1}>")

    text = re.sub(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", sub, text)
    return re.sub(r"(?<=_)[0-9a-f]{32}(?![0-9a-f])", sub, text)


def strip_progress(text: str) -> str:
    """tqdm bars redraw as often as time allows: drop them, keep one line with each bar's final state."""
    final: dict[str, str] = {}
    kept = []
    for line in re.split(r"\n", text):
        bars = [part for part in line.split("\r") if re.search(r"\d+%\|", part)]
        rest = [part for part in line.split("\r") if part.strip() and not re.search(r"\d+%\|", part)]
        for bar in bars:
            m = re.match(r"\s*(.*?):?\s*\d+%\|.*?\|\s*(\S+)", bar)
            if m:
                final[m.group(1)] = m.group(2)
        if not bars:
            kept.append(line)
        else:
            kept.extend(rest)
    return "\n".join(kept + [f"<PROGRESS {desc}: {state}>" for desc, state in final.items()])


# --- the CLI --------------------------------------------------------------------------------------------------

def entry_point() -> str:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["scripts"]["geo"]


LAUNCH = ("import importlib,sys; m,f=sys.argv.pop(1).split(':'); sys.argv[0]='geo'; "
          "getattr(importlib.import_module(m),f)()")


def run_geo(name: str, args: list[str], env: dict, out: Path, norm: Normaliser) -> int:
    """Run `geo ARGS`; write exit code, stdout and stderr (normalised) to OUT/cli/NAME.txt."""
    started = time.time()
    proc = subprocess.run([sys.executable, "-c", LAUNCH, entry_point(), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    shown = " ".join(a if " " not in a else repr(a) for a in args)
    print(f"  geo {shown}: exit {proc.returncode} ({time.time() - started:.0f} s)", flush=True)
    write(out / "cli" / f"{name}.txt",
          norm(f"$ geo {shown}\nexit: {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}",
               durations=True))
    return proc.returncode


def cli_commands(tmp: Path) -> list[tuple[str, list[str]]]:
    store, res = str(tmp / "build" / "store.gpkg"), tmp / "out"
    layers = layer_names()
    return [
        ("01_sample", ["sample"]),
        ("02_build", ["build", "--store", store]),
        ("03_config", ["config", "--store", store, "--out", str(res / "pygeoapi-config.yml"),
                       "--openapi", str(res / "openapi.yml")]),
        ("04_config_internal", ["config", "--internal", "--store", store,
                                "--out", str(res / "pygeoapi-config-internal.yml"),
                                "--openapi", str(res / "openapi-internal.yml")]),
        ("05_config_postgis", ["config", "--store", "postgresql://geo@localhost:5432/omgevingsgeo",
                               "--out", str(res / "pygeoapi-config-postgis.yml"),
                               "--openapi", str(res / "openapi-postgis.yml")]),
        ("06_config_postgis_internal", ["config", "--internal",
                                        "--store", "postgresql://geo@localhost:5432/omgevingsgeo",
                                        "--out", str(res / "pygeoapi-config-postgis-internal.yml"),
                                        "--openapi", str(res / "openapi-postgis-internal.yml")]),
        ("07_info", ["info", "--store", store]),
        *[(f"08_info_{layer}", ["info", layer, "--store", store]) for layer in layers],
        ("09_map", ["map", "--store", store, "--out", str(res / "overzicht.html")]),
        ("10_analyse_stikstof", ["analyse", "stikstof", "--store", store, "--maps", str(res / "maps")]),
        ("11_op_locatie", ["op-locatie", "--adres", "1746 XP 182", "--store", store,
                           "--out", str(res / "op_locatie.html")]),
        ("12_gebiedsanalyse", ["gebiedsanalyse", "--gemeente", "GM0441", "--store", store,
                               "--out", str(res / "gebiedsanalyse.html")]),
        ("13_toezicht", ["toezicht", "--store", store, "--out", str(res / "toezicht.csv")]),
        ("14_kwaliteit", ["kwaliteit", "--store", store, "--out", str(res / "kwaliteit.html")]),
        ("15_monitoring", ["monitoring", "--store", store, "--out", str(res / "monitoring.html")]),
        ("16_qgis_project", ["qgis-project", "--store", store, "--url", "http://127.0.0.1:5000",
                             "--out", str(res / "omgevingsgeo.qgz")]),
        ("17_qgis_project_gpkg", ["qgis-project", "--store", store, "--source", "gpkg",
                                  "--out", str(res / "omgevingsgeo-gpkg.qgs")]),
    ]


def layer_names() -> list[str]:
    """The layers of the default build (README, Layers), for `geo info LAYER`. A fixed list, not an import of
    the registry, so a refactor that moves the registry cannot change what is asked; the registry's own list is in
    the output of `geo build` and `geo info`."""
    return ["gemeentegebied", "pand", "verblijfsobject", "natura2000_gebied", "stikstofbron", "wnb_besluit",
            "bodemverontreiniging", "omgevingsplan_functie", "nh3_concentratie"]


# --- files written by the commands ---------------------------------------------------------------------------

def dump_files(tmp: Path, out: Path, norm: Normaliser) -> None:
    """Each file under TMP/build, TMP/out and the sample (TMP/data/generated), comparable, under OUT/files/."""
    for base in ("data/generated", "build", "out"):
        for path in sorted((tmp / base).rglob("*")):
            if not path.is_file() or path.suffix in {".lock"} or path.name.startswith(".store."):
                continue
            rel = norm(str(path.relative_to(tmp)))
            target = out / "files" / rel
            suffix = path.suffix.lower()
            if suffix in (".gpkg", ".sqlite"):
                dump_gpkg(path, target, norm)
            elif suffix == ".tif":
                write(target.with_name(target.name + ".txt"), raster_digest(path))
            elif suffix == ".qgz":
                # not the zip's own sha256: it holds each member's time of writing; each member instead
                with zipfile.ZipFile(path) as z:
                    for member in sorted(z.namelist()):
                        data = z.read(member)
                        name = target.with_name(target.name + "." + member.replace("/", "_"))
                        if member.endswith(".qgs"):
                            write(name, norm(data.decode("utf-8")))
                        else:
                            write(name.with_name(name.name + ".sha256"), sha256(data) + "\n")
            elif suffix in TEXT_SUFFIXES:
                write(target, norm(path.read_text(encoding="utf-8", errors="replace")))
            else:
                write(target.with_name(target.name + ".sha256"), sha256(path.read_bytes()) + "\n")


def dump_gpkg(path: Path, target: Path, norm: Normaliser) -> None:
    """One CSV per table (rows sorted); blobs as hex; R-tree shadow tables left out (the R-tree is dumped)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        schema = "\n".join(r[0] or "" for r in con.execute(
            "SELECT sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"))
        write(target / "_schema.sql", norm(schema) + "\n")
        for table in tables:
            if re.search(r"^rtree_.*_(node|parent|rowid)$", table) or table.startswith("sqlite_"):
                continue
            cur = con.execute(f'SELECT * FROM "{table}"')
            header = [d[0] for d in cur.description]
            rows = [[r.hex() if isinstance(r, bytes) else r for r in row] for row in cur]
            rows.sort(key=lambda row: [("" if v is None else str(type(v).__name__), str(v)) for v in row])
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
            write(target / f"{table}.csv", norm(buf.getvalue()))
    finally:
        con.close()


def raster_digest(path: Path) -> str:
    import rasterio  # only needed here

    with rasterio.open(path) as src:
        pixels = src.read()
        return (f"shape: {pixels.shape}\ndtype: {pixels.dtype}\ncrs: {src.crs}\ntransform: {tuple(src.transform)}\n"
                f"nodata: {src.nodata}\npixels sha256: {sha256(pixels.tobytes())}\n")


# --- the server ----------------------------------------------------------------------------------------------

def dump_server(tmp: Path, port: int, env: dict, out: Path, norm: Normaliser) -> None:
    url = f"http://127.0.0.1:{port}"
    with open(tmp / "server.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "-c", LAUNCH, entry_point(), "serve", "--port", str(port),
                                 "--workers", "1", "--store", str(tmp / "build" / "store.gpkg")],
                                cwd=ROOT, env={**env, "GEO_SERVER_URL": url}, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        wait_for(url, proc, tmp / "server.log")
        dump_api(url, out, norm)
    finally:  # always stop the server (its whole process group: gunicorn and its worker)
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def dump_api(url: str, out: Path, norm: Normaliser) -> None:
    http = requests.Session()

    def get(path: str, name: str, **params) -> dict | list | str:
        r = http.get(url + path, params={"f": "json", **params}, timeout=300)
        try:
            body = r.json()
        except ValueError:
            body = r.text
        text = json.dumps({"status": r.status_code, "content_type": r.headers.get("Content-Type"), "body": body},
                          indent=1, ensure_ascii=False)
        write(out / "api" / f"{name}.json", norm(text) + "\n")
        return body

    get("/", "landing")
    get("/conformance", "conformance")
    collections = get("/collections", "collections")["collections"]
    for c in collections:  # in the order served
        cid = c["id"]
        get(f"/collections/{cid}", f"collections/{cid}")
        get(f"/collections/{cid}/queryables", f"collections/{cid}.queryables")
        if c.get("itemType") in ("feature", "record"):  # not the coverage nh3_concentratie
            dump_items(http, url, cid, out, norm)
    processes = get("/processes", "processes")
    for p in processes.get("processes", []):
        get(f"/processes/{p['id']}", f"processes/{p['id']}")
    get("/openapi", "openapi")


def wait_for(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            if requests.get(f"{url}/conformance?f=json", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server did not start within 120 s: {log.read_text()}")


def dump_items(http: requests.Session, url: str, cid: str, out: Path, norm: Normaliser) -> None:
    """All items of a collection, paged with limit=1000, sorted by id; plus the first page as served."""
    features, offset, first, matched = [], 0, None, None
    while True:
        r = http.get(f"{url}/collections/{cid}/items", params={"f": "json", "limit": 1000, "offset": offset},
                     timeout=300)
        page = r.json() if r.headers.get("Content-Type", "").split(";")[0].endswith("json") else {"text": r.text}
        if first is None:
            first = {"status": r.status_code, "content_type": r.headers.get("Content-Type"),
                     "body": {k: v for k, v in page.items() if k != "features"}}
            matched = page.get("numberMatched")
        batch = page.get("features") or []
        features.extend(batch)
        offset += len(batch)
        if r.status_code != 200 or len(batch) < 1000:
            break
    features.sort(key=lambda f: (str(type(f.get("id")).__name__), f.get("id")))
    text = json.dumps({"first_page": first, "numberMatched": matched, "count": len(features), "features": features},
                      indent=1, ensure_ascii=False)
    write(out / "api" / "collections" / f"{cid}.items.json", norm(text) + "\n")


# --- snapshot and compare ------------------------------------------------------------------------------------

def snapshot(outdir: Path, port: int) -> None:
    started = time.time()
    if outdir.exists() and any(outdir.iterdir()):
        sys.exit(f"{outdir} exists and is not empty")
    outdir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="compare_build-"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # killed: still stop the server and remove tmp
    norm = Normaliser(tmp, port)
    try:
        shutil.copytree(ROOT / "data", tmp / "data", ignore=shutil.ignore_patterns("generated", "cache"))
        (tmp / "build").mkdir()
        (tmp / "out").mkdir()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "GEO_DATA": str(tmp / "data"), "GEO_OUTPUT": str(tmp / "build"),
               "GEO_STORE": str(tmp / "build" / "store.gpkg"), "GEO_SERVER_URL": "http://127.0.0.1:5000",
               "TZ": "UTC"}
        print(f"snapshot of {ROOT} (entry point {entry_point()}) in {tmp}", flush=True)
        for name, args in cli_commands(tmp):
            run_geo(name, args, env, outdir, norm)
            if args[0] == "sample":
                norm.hide_checksums(tmp / "data" / "generated")
        print("  files", flush=True)
        dump_files(tmp, outdir, norm)
        print("  server", flush=True)
        dump_server(tmp, port, env, outdir, norm)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n = sum(1 for p in outdir.rglob("*") if p.is_file())
    print(f"{n} files in {outdir} ({time.time() - started:.0f} s)")


def compare(before: Path, after: Path, context_lines: int = 20) -> int:
    names = sorted({str(p.relative_to(d)) for d in (before, after) for p in d.rglob("*") if p.is_file()})
    same, differs, missing = 0, [], []
    for name in names:
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            missing.append(f"{name} (only in {'AFTER' if not a.exists() else 'BEFORE'})")
        elif a.read_bytes() == b.read_bytes():
            same += 1
        else:
            differs.append(name)
            x, y = a.read_text(errors="replace").splitlines(), b.read_text(errors="replace").splitlines()
            first = next((i for i, (u, v) in enumerate(zip(x, y)) if u != v), min(len(x), len(y)))
            start = max(0, first - 2)  # items files have a million lines: diff a window from the first change
            diff = difflib.unified_diff(x[start:start + 500], y[start:start + 500],
                                        f"before/{name}", f"after/{name}", lineterm="", n=1)
            print(f"DIFFERS {name} (first at line {first + 1})")
            for i, line in enumerate(diff):
                if i >= context_lines:
                    print("  ...")
                    break
                print("  " + line[:300])
    for name in missing:
        print(f"MISSING {name}")
    print(f"\n{same} same, {len(differs)} differ, {len(missing)} missing (of {len(names)} files)")
    return 1 if differs or missing else 0


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("snapshot", help="run the CLI and the server on a temporary build; write OUTDIR")
    p.add_argument("outdir", type=Path)
    p.add_argument("--port", type=int, default=5077)
    p = sub.add_parser("compare", help="diff two snapshots; exit 1 when anything differs")
    p.add_argument("before", type=Path)
    p.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.outdir, args.port)
    else:
        sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
