"""The store every benchmark measures: the seeded sample data of Schagen, built fresh into a work folder."""

import subprocess
import sys
from pathlib import Path

GEO = str(Path(sys.executable).parent / "geo")


def ensure_store(work: Path) -> Path:
    """Generate the samples (seeded: the same files every run) and build a store in ``work``."""
    subprocess.run([GEO, "-q", "sample"], check=True, stdout=subprocess.DEVNULL)
    store = Path(work) / "store.gpkg"
    subprocess.run([GEO, "-q", "build", "--store", str(store)], check=True, stdout=subprocess.DEVNULL)
    return store
