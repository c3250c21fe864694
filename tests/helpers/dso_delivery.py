"""DSO deliveries for tests, derived in tmp_path from the real Geonovum examples in tests/data/dso/.

The examples are validation test content: their code-list values are placeholders (``…/id/waardelijst/
Omgevingsnormgroep`` as a functie groep). ``with_tpod_codes`` copies a delivery and puts real TPOD values in
those elements, so the happy path (functies, norms with labels) can be tested on real geometry and structure.
"""

import re
import shutil
import zipfile
from pathlib import Path

DSO = Path(__file__).resolve().parents[1] / "data" / "dso"
GEMEENTESTAD_OW = DSO / "gemeentestad_ow"
GEMEENTESTAD_TPOD1880 = DSO / "gemeentestad_tpod1880"

TPOD = "http://standaarden.omgevingswet.overheid.nl"
WONEN = f"{TPOD}/functie/id/concept/Wonen"
MAXIMUM_BOUWHOOGTE = f"{TPOD}/typenorm/id/concept/MaximumBouwhoogte"
MAATVOERING_BOUWEN = f"{TPOD}/omgevingsnorm/id/concept/MaatvoeringBouwen"
METER = f"{TPOD}/eenheid/id/concept/Meter"
VERGUNNINGPLICHT = f"{TPOD}/activiteitregelkwalificatie/id/concept/Vergunningplicht"
TPOD_VALUES = {"ga:groep": WONEN, "rol:type": MAXIMUM_BOUWHOOGTE, "rol:eenheid": METER,
               "r:activiteitregelkwalificatie": VERGUNNINGPLICHT}
# a GeometrieRef to a geometry that is in no GIO of the example, pointed at one that is (area 1 of Geometrie.gml)
MISSING_GEOMETRY = "50EA019E-3C96-4631-A76C-35BCF4D7AB6D"
PRESENT_GEOMETRY = "A0EA019E-3C96-4631-A76C-35BCF4D7AB11GEBIED"


def with_tpod_codes(source: Path, target: Path) -> Path:
    """A copy of the delivery ``source`` in ``target`` with real TPOD values for the placeholder codes: every
    gebiedsaanwijzing groep Wonen, every norm type maximum bouwhoogte in meters, norm groepen maatvoering bouwen,
    activities vergunningplicht; and the one GeometrieRef that points nowhere pointed at an area of the GIO."""
    shutil.copytree(source, target)
    for ow in target.glob("*.xml"):
        text = ow.read_text(encoding="utf-8")
        for tag, uri in TPOD_VALUES.items():
            text = re.sub(rf"<{tag}>[^<]*</{tag}>", f"<{tag}>{uri}</{tag}>", text)
        text = re.sub(r"<rol:(Omgevingsnorm|Omgevingswaarde)>.*?</rol:\1>", _norm_codes, text, flags=re.S)
        text = text.replace(f'"{MISSING_GEOMETRY}"', f'"{PRESENT_GEOMETRY}"')
        ow.write_text(text, encoding="utf-8")
    return target


def _norm_codes(match: re.Match) -> str:
    """A norm's groep maatvoering bouwen, and an eenheid (meter) after its type where it has none."""
    norm = re.sub(r"<rol:groep>[^<]*</rol:groep>", f"<rol:groep>{MAATVOERING_BOUWEN}</rol:groep>", match.group(0))
    if "<rol:eenheid>" not in norm:
        norm = norm.replace("</rol:type>", f"</rol:type><rol:eenheid>{METER}</rol:eenheid>", 1)
    return norm


def zipped(folder: Path, target: Path) -> Path:
    """The folder's files as a .zip (in a subfolder, as a zip from a download often is)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            archive.write(file, f"levering/{file.relative_to(folder)}")
    return target
