"""Where the repository, its data, the test data and the ``geo`` command are."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
TESTDATA = ROOT / "tests" / "data"
GEO = str(Path(sys.executable).parent / "geo")
