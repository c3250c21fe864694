"""OW files (IMOW v3.1.0): ``ow-dc:owBestand`` documents and the ``manifest-ow.xml`` of a DSO delivery.

The helpers build IMOW objects as ElementTree elements in the namespaces of the official schemas
(``IMOW_Deelbestand.xsd``): references are ``xlink:href`` attributes holding the target's ``identificatie``.
"""

import xml.etree.ElementTree as ET
from pathlib import Path

IMOW_VERSIE = "3.1.0"
NS = {
    "ow-dc": "http://www.geostandaarden.nl/imow/bestanden/deelbestand",
    "sl": "http://www.geostandaarden.nl/bestanden-ow/standlevering-generiek",
    "ga": "http://www.geostandaarden.nl/imow/gebiedsaanwijzing",
    "l": "http://www.geostandaarden.nl/imow/locatie",
    "r": "http://www.geostandaarden.nl/imow/regels",
    "rol": "http://www.geostandaarden.nl/imow/regelsoplocatie",
    "xlink": "http://www.w3.org/1999/xlink",
    "mow": "http://www.geostandaarden.nl/bestanden-ow/manifest-ow",
}
WAARDELIJST = "http://standaarden.omgevingswet.overheid.nl"


def concept(lijst: str, waarde: str) -> str:
    """The URI of a value of a TPOD waardelijst, e.g. ``concept("functie", "Wonen")``."""
    return f"{WAARDELIJST}/{lijst}/id/concept/{waarde}"


def q(prefix: str, name: str) -> str:
    """The Clark name ``{namespace}name`` of a prefixed name."""
    return f"{{{NS[prefix]}}}{name}"


def element(prefix: str, name: str, *children: ET.Element | None, text: str | None = None,
            attrib: dict[str, str] | None = None) -> ET.Element:
    """An element with children (``None`` children are skipped) or text."""
    node = ET.Element(q(prefix, name), attrib or {})
    node.extend(child for child in children if child is not None)
    if text is not None:
        node.text = text
    return node


def value(prefix: str, name: str, text: str) -> ET.Element:
    return element(prefix, name, text=text)


def ref(prefix: str, name: str, target: str) -> ET.Element:
    """A reference such as ``<l:LocatieRef xlink:href="nl.imow-gm0441.gebied.0001"/>``."""
    return element(prefix, name, attrib={q("xlink", "href"): target})


def refs(prefix: str, wrapper_prefix: str, wrapper: str, name: str, targets: list[str]) -> ET.Element | None:
    """A wrapper element holding one reference per target (``None`` when there are none)."""
    if not targets:
        return None
    return element(wrapper_prefix, wrapper, *(ref(prefix, name, t) for t in targets))


def write_ow_bestand(path: Path, dataset: str, gebied: str, levering: str, objects: list[ET.Element]) -> Path:
    """One ``ow-dc:owBestand`` with a ``sl:stand`` per object; ``objectTypen`` lists their types in order."""
    types = list(dict.fromkeys(obj.tag.split("}")[1] for obj in objects))
    inhoud = element("sl", "inhoud", value("sl", "gebied", gebied), value("sl", "leveringsId", levering),
                     element("sl", "objectTypen", *(value("sl", "objectType", t) for t in types)))
    stand = [element("sl", "stand", element("ow-dc", "owObject", obj)) for obj in objects]
    root = element("ow-dc", "owBestand", element("sl", "standBestand", value("sl", "dataset", dataset), inhoud, *stand),
                   attrib={"schemaversie": IMOW_VERSIE})
    return _write(root, path)


def write_manifest(path: Path, work_id: str, expression_id: str, files: dict[str, list[str]]) -> Path:
    """``manifest-ow.xml``: the regeling's work and expression and, per OW file, the object types it holds."""
    bestanden = [element("mow", "Bestand", value("mow", "naam", name), *(value("mow", "objecttype", t) for t in types))
                 for name, types in files.items()]
    aanlevering = element("mow", "Aanlevering", value("mow", "WorkIDRegeling", work_id),
                          value("mow", "ExpressionIDRegeling", expression_id), *bestanden)
    root = element("mow", "Aanleveringen", value("mow", "domein", "omgevingswet"),
                   value("mow", "IMOWversie", IMOW_VERSIE), aanlevering, attrib={"schemaversie": IMOW_VERSIE})
    return _write(root, path)


def object_types(path: Path) -> list[str]:
    """The ``sl:objectType`` values of an OW file this module wrote (for the manifest)."""
    return [e.text or "" for e in ET.parse(path).getroot().iter(q("sl", "objectType"))]


def _write(root: ET.Element, path: Path) -> Path:
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    ET.indent(root, space=" ")
    ET.ElementTree(root).write(path, encoding="UTF-8", xml_declaration=True)
    return path
