"""The served OpenAPI document, self-contained and describing what the server answers (issue 14).

pygeoapi's document ``$ref``s OGC files on schemas.opengis.net and raw.githubusercontent.com, which offline and
firewalled validators (government networks) cannot resolve. Every such reference is pointed at a component
inside the document, filled from copies shipped in ``geo/serve/openapi/`` (OGC API Features Part 1 and two OGC API
Records parameters, OGC License, see ``geo/serve/openapi/README.md``) or from our own small stand-ins
(``geo/serve/openapi/local.yaml``). Further: ``/conformance`` and ``/collections`` get their own responses (pygeoapi
gives them the landing page's), items get ``datetime``, ``crs``/``bbox-crs`` say their default and the
``Content-Crs`` header, and our vector tiles are described (``openapi_tiles``).
"""

import logging
from collections.abc import Iterable
from pathlib import Path

import yaml

from geo.core.crs import CRS84_URI
from geo.serve.openapi_tiles import add_tile_paths

log = logging.getLogger(__name__)
HERE = Path(__file__).parent / "openapi"
FEATURES_1 = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/ogcapi-features-1.yaml#"
BY_FILE = {  # the end of a remote reference -> the local component that replaces it
    "/core/openapi/parameters/sortby.yaml": "#/components/parameters/sortby",
    "/core/openapi/parameters/q.yaml": "#/components/parameters/q",
    "cql2/1.0/cql2.json": "#/components/schemas/cql2Json",
    "/responses/ExecuteAsync.yaml": "#/components/responses/ExecuteAsync",
    "/responses/ProcessList.yaml": "#/components/responses/ProcessList",
    "/responses/NotFound.yaml": "#/components/responses/ProcessNotFound",
    "/responses/ServerError.yaml": "#/components/responses/ProcessServerError",
    "/schemas/exception.yaml": "#/components/schemas/exception",
    "/schemas/execute.yaml": "#/components/schemas/execute",
    "ogcapi-coverages-1.yaml#/components/parameters/subset": "#/components/parameters/subset",
    "ogcapi-tiles-1.yaml#/components/schemas/link": "#/components/schemas/link",
}
ATTRIBUTION = ("Includes components of 'OGC API - Features - Part 1: Core' 1.0 and 'OGC API - Records' "
               "(Copyright (c) 2019-2023 Open Geospatial Consortium, OGC License, http://www.opengeospatial.org/legal/)"
               ", with modifications that have not been approved or adopted by the OGC (the Content-Crs header).")
CONTENT_CRS = {"description": "The CRS of the geometries in the response (OGC API Features Part 2), "
                              f"e.g. <{CRS84_URI}>.", "schema": {"type": "string"}}

PROBLEM_MEMBERS = {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                   "detail": {"type": "string"}}  # RFC 9457, beside OGC's code and description


def complete(doc: dict, tiled: Iterable[str] = ()) -> dict:
    """``doc`` (pygeoapi's OpenAPI document) self-contained and with the corrections above; with the vector tile
    paths of the collections ``tiled`` (``geo.serve.openapi_tiles``)."""
    doc = _localised(doc)
    components = doc.setdefault("components", {})
    for section, entries in _shipped_components().items():
        for name, value in entries.items():
            components.setdefault(section, {}).setdefault(name, value)
    _own_responses(doc["paths"])
    add_tile_paths(doc, tiled)
    _document_items(doc)
    _document_api_rules(doc)
    _one_parameter_per_name(doc)
    info = doc.setdefault("info", {})
    _contact_email(info)
    _without_unset_contact(info)
    info["description"] = (info.get("description", "") + "\n\n" + ATTRIBUTION).strip()
    return doc


def _contact_email(info: dict) -> None:
    """pygeoapi puts the contact's e-mail only in x-ogc-serviceContact; OpenAPI (and the ADR) want it in
    info.contact.email."""
    contact = info.get("contact")
    if not isinstance(contact, dict) or "email" in contact:
        return
    emails = contact.get("x-ogc-serviceContact", {}).get("emails", [])
    if emails and "@" in str(emails[0].get("value", "")):
        contact["email"] = emails[0]["value"]


def _without_unset_contact(info: dict) -> None:
    """An operator who set no e-mail or URL (``GEO_OPERATOR_EMAIL``/``_URL``) gets none in the document: "niet
    ingesteld" is no e-mail address and "" no URL (OpenAPI's schema requires both formats)."""
    contact = info.get("contact")
    if not isinstance(contact, dict):
        return
    if "@" not in str(contact.get("email", "@")):
        contact.pop("email")
    if contact.get("url") == "":
        contact.pop("url")
    service = contact.get("x-ogc-serviceContact", {})
    service["emails"] = [e for e in service.get("emails", []) if "@" in str(e.get("value", ""))]
    service["links"] = [link for link in service.get("links", []) if link.get("href")]
    if info.get("termsOfService") == "":
        info.pop("termsOfService")


def local_ref(ref: str) -> str:
    """The reference inside the document that replaces ``ref``; ``ref`` itself when it is local or unknown."""
    if ref.startswith("#"):
        return ref
    if ref.startswith(FEATURES_1):
        return "#" + ref[len(FEATURES_1):]
    for end, local in BY_FILE.items():
        if ref.endswith(end):
            return local
    log.warning("OpenAPI: no local copy for %s", ref)
    return ref


def _localised(node):
    if isinstance(node, dict):
        out = {k: _localised(v) for k, v in node.items()}
        if isinstance(out.get("$ref"), str):
            out["$ref"] = local_ref(out["$ref"])
        return out
    if isinstance(node, list):
        return [_localised(v) for v in node]
    return node


def _shipped_components() -> dict:
    """Components from the shipped OGC copies and our stand-ins, by section."""
    features = yaml.safe_load((HERE / "ogcapi-features-1.yaml").read_text(encoding="utf-8"))["components"]
    local = yaml.safe_load((HERE / "local.yaml").read_text(encoding="utf-8"))
    records = {name: yaml.safe_load((HERE / f"ogcapi-records-{name}.yaml").read_text(encoding="utf-8"))
               for name in ("sortby", "q")}
    merged = {section: dict(entries) for section, entries in features.items()}
    for section, entries in local.items():
        merged.setdefault(section, {}).update(entries)
    merged["parameters"].update(records)
    for name in ("Features", "Feature"):
        merged["responses"][name] = {**merged["responses"][name], "headers": {"Content-Crs": CONTENT_CRS}}
    return merged


def _own_responses(paths: dict) -> None:
    """pygeoapi describes /conformance and /collections with the landing page's response."""
    for path, response in (("/conformance", "ConformanceDeclaration"), ("/collections", "Collections")):
        get = paths.get(path, {}).get("get")
        if get and "200" in get.get("responses", {}):
            get["responses"]["200"] = {"$ref": f"#/components/responses/{response}"}


def _document_api_rules(doc: dict) -> None:
    """What geo.serve.api_rules answers: API-Version on every response, errors as problem+json, 400 everywhere."""
    header = {"API-Version": {"description": "The version of this API (semantic versioning).",
                              "schema": {"type": "string"}}}
    for response in doc["components"].get("responses", {}).values():
        response["headers"] = {**response.get("headers", {}), **header}
        content = response.get("content", {})
        if content.get("application/json", {}).get("schema", {}).get("$ref", "").endswith("/exception"):
            response["content"] = {("application/problem+json" if k == "application/json" else k): v
                                   for k, v in content.items()}
    exception = doc["components"].get("schemas", {}).get("exception")
    if exception is not None:
        exception["properties"] = {**exception.get("properties", {}), **PROBLEM_MEMBERS}
    for operations in doc["paths"].values():
        for operation in operations.values():
            responses = operation.get("responses") if isinstance(operation, dict) else None
            if responses is None:
                continue
            responses.setdefault("400", {"$ref": "#/components/responses/InvalidParameter"})
            for _code, response in responses.items():
                if "$ref" not in response:
                    response["headers"] = {**response.get("headers", {}), **header}


def _one_parameter_per_name(doc: dict) -> None:
    """OpenAPI allows each (name, in) once per operation; pygeoapi lists ``crs`` twice on a records collection's
    items (its own and the features one), which makes the document invalid for validators."""
    shared = doc.get("components", {}).get("parameters", {})
    for operations in doc["paths"].values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "parameters" not in operation:
                continue
            seen, kept = set(), []
            for parameter in operation["parameters"]:
                resolved = shared.get(parameter.get("$ref", "").rsplit("/", 1)[-1], parameter)
                key = (resolved.get("name"), resolved.get("in"))
                if key not in seen or key == (None, None):
                    seen.add(key)
                    kept.append(parameter)
            operation["parameters"] = kept


def _document_items(doc: dict) -> None:
    """``datetime`` on every items GET; the defaults of ``crs`` and ``bbox-crs``."""
    for path, operations in doc["paths"].items():
        get = operations.get("get") if path.endswith("/items") else None
        if get is None:
            continue
        names = {p.get("name") or p.get("$ref", "").rsplit("/", 1)[-1] for p in get.get("parameters", [])}
        if "datetime" not in names:
            get.setdefault("parameters", []).append({"$ref": "#/components/parameters/datetime"})
    parameters = doc["components"].get("parameters", {})
    for name, what in (("crs", "the geometries in the response"), ("bbox-crs", "the bbox parameter")):
        if name in parameters:
            parameters[name]["description"] = (f"The CRS of {what}; default {CRS84_URI} (longitude, latitude). "
                                               "The collection's 'crs' list names the others; the response "
                                               "says its CRS in the Content-Crs header.")
            parameters[name]["schema"] = {**parameters[name].get("schema", {}), "default": CRS84_URI}
