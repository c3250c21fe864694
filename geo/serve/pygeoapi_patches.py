"""Every run-time patch of pygeoapi (pinned ``pygeoapi>=0.24,<0.25``), each with what it works around upstream.

``tests/test_pygeoapi_patches.py`` fails when the installed pygeoapi changes underneath a patch (the source of each
replaced function and the names its callers look up): re-check the patch against the new version then.

1. ``install_itemtypes_patches`` (called by ``geo.serve.server.create_app``) replaces three names that
   ``pygeoapi.api.itemtypes`` imported (two from ``pygeoapi.crs``, ``validate_datetime`` from ``pygeoapi.api``):

   - ``create_crs_transform_spec``: pygeoapi builds the CRS objects and the WKT of a ``CrsTransformSpec`` on every
     items/item request (~20 ms); ours caches the spec per (storage CRS, CRS list, always_xy, requested CRS), the
     only parts of the provider definition it reads. No upstream issue found (the per-request transform came with
     OGC API Features Part 2 support, geopython/pygeoapi#1128, PR #1149 and PR #1155).
   - ``transform_bbox``: pygeoapi transforms a ``bbox-crs`` box as its two corners (PR #1155), but a lon/lat box is a
     rotated quadrilateral in RD New, so features along its edges were lost or added; ours hands the providers the
     exact outline (``geo.core.crs.transform_bbox_exact``). No upstream issue found; the two-corner method was
     proposed in PR #1149's discussion and merged with PR #1155.
   - ``validate_datetime``: with a temporal extent in the config (``geo.serve.data_extents`` declares one for each
     collection with a ``time_field``), pygeoapi answers a valid ``datetime`` outside that extent with 400
     "datetime parameter out of range"; OGC API Features /req/core/fc-time-response asks for the features that
     intersect it, i.e. an empty page. Ours only writes open ends as ``..`` (the syntax is checked before pygeoapi
     runs, ``geo.serve.params``). No upstream issue found.

2. ``cache_sql_transforms`` (called by ``geo.serve.postgis_provider.PostGISProvider``) replaces
   ``pygeoapi.provider.sql.get_transform_from_spec``: the paths ``PostGISProvider`` leaves to pygeoapi's
   ``PostgreSQLProvider`` (CQL2 ``filter``, ``sortby``, ...) build a ``pyproj.Transformer`` from WKT on every request
   (~20 ms); ours builds the transform function once per CRS pair. No upstream issue found (the function came with
   PR #1149; geopython/pygeoapi#2190 is about PostGIS CRS handling, not its cost).

3. ``install_geometry_json`` (called by ``geo.serve.server.create_app``) wraps ``get_collection_items`` and
   ``get_collection_item`` of ``pygeoapi.api.itemtypes`` and replaces the ``to_json`` it imported from
   ``pygeoapi.util``: for a JSON answer (``f=json`` or no ``f``) the providers hand each geometry over as GeoJSON
   text already written (``geo.serve.geometry_json``), and ``to_json`` writes the answer with orjson, splicing that
   text in, instead of parsing it into dicts for ``json.dumps`` to write again (issue 20: the geometry is most of the
   time of a big answer). Same output otherwise: compact separators, ``<`` and ``>`` escaped as pygeoapi does,
   pygeoapi's ``json_serial`` for the types orjson does not know; non-ASCII text is written as UTF-8 rather than
   ``\\u`` escapes; ``pretty_print`` indents by 2 instead of 4. No upstream issue: pygeoapi's providers return
   dicts by contract.

4. ``install_dutch_link_titles`` (called by ``geo.serve.server.create_app``) wraps the ``render_j2_template`` that
   ``pygeoapi.api``, ``.api.itemtypes``, ``.api.coverages`` and ``.api.processes`` imported from
   ``pygeoapi.util``: pygeoapi writes the titles of its links ("Items as GeoJSON", "This document as JSON", ...) in
   Python, through ``l10n.translate``, which only picks a language out of multilingual config values, so the HTML
   pages showed them in English under Dutch headings. The wrapper translates the titles of the page's links (and of
   each collection's links on /collections) with the server's own catalogue (``geo/serve/locale``, ``LINK_TITLES``
   in ``make_nl.py``) when the page is rendered for a Dutch request; JSON answers keep pygeoapi's titles (OGC
   clients do not read them, and they stay one stable text per link). Copies of the links are translated, never
   the config's own. No upstream issue found (pygeoapi's code says "TODO: put title text in config or
   translatable files?").
"""

import functools
import json
from pathlib import Path

import orjson
import pyproj

from geo.core.crs import CRS84_URI, crs_from_uri, stored_axis_order, transform_bbox_exact
from geo.serve import geometry_json


def install_itemtypes_patches(itemtypes) -> None:
    """Cached ``create_crs_transform_spec`` and exact ``transform_bbox`` in ``pygeoapi.api.itemtypes``."""
    original_spec = itemtypes.create_crs_transform_spec

    @functools.lru_cache(maxsize=256)
    def cached_spec(storage_crs, crs_list, always_xy, query_crs_uri):
        provider_def = {"storage_crs": storage_crs, "crs": list(crs_list), "always_xy": always_xy}
        return original_spec(provider_def, query_crs_uri)

    def create_crs_transform_spec(provider_def, query_crs_uri=None):
        return cached_spec(provider_def.get("storage_crs", CRS84_URI), tuple(provider_def.get("crs", ())),
                           provider_def.get("always_xy", False), query_crs_uri)

    def transform_bbox(bbox, from_crs, to_crs, always_xy=False):
        """pygeoapi transforms two corners of the box (a lon/lat box is a rotated quadrilateral in RD New, so
        features along its edges were lost or added); ours hands the providers the exact outline."""
        to_axes = stored_axis_order(crs_from_uri(str(to_crs)))
        return transform_bbox_exact(list(bbox), crs_from_uri(str(from_crs)), to_axes)

    itemtypes.create_crs_transform_spec = create_crs_transform_spec
    itemtypes.transform_bbox = transform_bbox
    itemtypes.validate_datetime = validate_datetime


def validate_datetime(resource_def: dict, datetime_: str | None = None) -> str | None:
    """``datetime`` as the providers get it: open ends as ``..``. Its syntax is checked before pygeoapi runs
    (``geo.serve.params.datetime_problem``, a 400 naming the parameter); a valid instant or interval outside the
    collection's temporal extent selects no features, where pygeoapi's answered 400 "datetime parameter out of
    range"."""
    if datetime_ is None or "/" not in datetime_:
        return datetime_
    begin, end = datetime_.split("/", 1)
    return f"{begin or '..'}/{end or '..'}"


def cache_sql_transforms() -> None:
    """``pygeoapi.provider.sql.get_transform_from_spec``, cached per CRS pair (see the module's docstring)."""
    import pygeoapi.provider.sql as parent

    parent.get_transform_from_spec = cached_transform_from_spec


def cached_transform_from_spec(spec):
    """``pygeoapi.crs.get_transform_from_spec`` with the transform function built once per CRS pair."""
    if spec is None:
        return None
    return _transform_function(spec.source_crs_wkt, spec.target_crs_wkt, spec.always_xy)


@functools.lru_cache(maxsize=64)
def _transform_function(source_wkt: str, target_wkt: str, always_xy: bool):
    from pygeoapi.crs import get_transform_from_crs

    return get_transform_from_crs(pyproj.CRS.from_wkt(source_wkt), pyproj.CRS.from_wkt(target_wkt), always_xy)


def install_geometry_json(itemtypes) -> None:
    """Geometries written once into JSON answers of items and items/{id} (see the module's docstring, 3.)."""
    from pygeoapi.formats import F_JSON

    def with_fragments(handler):
        @functools.wraps(handler)
        def handle(api, request, *args, **kwargs):
            if getattr(request, "format", None) not in (None, F_JSON):
                return handler(api, request, *args, **kwargs)
            with geometry_json.fragments():
                return handler(api, request, *args, **kwargs)

        handle.geo_patched = True
        return handle

    for name in ("get_collection_items", "get_collection_item"):
        if not getattr(getattr(itemtypes, name), "geo_patched", False):
            setattr(itemtypes, name, with_fragments(getattr(itemtypes, name)))
    itemtypes.to_json = to_json


def to_json(dict_: dict, pretty: bool = False) -> str:
    """``pygeoapi.util.to_json`` written by orjson, which also takes the providers' ``orjson.Fragment``s."""
    option = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY | (orjson.OPT_INDENT_2 if pretty else 0)
    try:
        text = orjson.dumps(dict_, default=_json_default, option=option)
    except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits: the standard library writes it
        text = json.dumps(dict_, default=_json_default_text, indent=4 if pretty else None,
                          separators=(",", ":")).encode()
    return text.replace(b"<", b"&lt;").replace(b">", b"&gt;").decode()


def _json_default(value):
    from pygeoapi.util import json_serial

    result = json_serial(value)
    return result.decode() if isinstance(result, bytes) else result  # base64 of binary values


def _json_default_text(value):
    if isinstance(value, orjson.Fragment):
        return orjson.loads(orjson.dumps(value))
    return _json_default(value)


# pygeoapi modules that render HTML pages with links whose titles pygeoapi wrote in English
LINK_TITLE_MODULES = ("pygeoapi.api", "pygeoapi.api.itemtypes", "pygeoapi.api.coverages", "pygeoapi.api.processes")
LOCALE_DIR = Path(__file__).parent / "locale"
# titles pygeoapi writes with a format after them (f"... as {format}")
_TITLE_PREFIXES = {"This document as ": "Dit document als ", "Items as ": "Objecten als ",
                   "Coverage data as ": "Rastergegevens als ", "Map as ": "Kaart als "}


def install_dutch_link_titles(modules) -> None:
    """Wrap ``render_j2_template`` in each of ``modules`` (see 4. above); installing twice wraps once."""
    for module in modules:
        render = module.render_j2_template
        if getattr(render, "_dutch_link_titles", False):
            continue

        @functools.wraps(render)
        def dutch(config, tpl_config, template, data, locale_=None, _render=render):
            if _is_dutch(locale_) and isinstance(data, dict):
                data = with_dutch_link_titles(data, _catalogue(str(locale_)))
            return _render(config, tpl_config, template, data, locale_)

        dutch._dutch_link_titles = True
        module.render_j2_template = dutch


def with_dutch_link_titles(data: dict, gettext) -> dict:
    """A shallow copy of a page's data whose links (and whose collections' links) carry translated titles."""
    data = dict(data)
    if isinstance(data.get("links"), list):
        data["links"] = _translated_links(data["links"], gettext)
    if isinstance(data.get("collections"), list):
        data["collections"] = [dict(c, links=_translated_links(c["links"], gettext))
                               if isinstance(c, dict) and isinstance(c.get("links"), list) else c
                               for c in data["collections"]]
    return data


def dutch_link_title(title: str, gettext) -> str:
    """The Dutch of one of pygeoapi's link titles; any other title (a layer's, a link from the config) as it is."""
    translated = gettext(title)
    if translated != title:
        return translated
    for english, dutch in _TITLE_PREFIXES.items():
        if title.startswith(english):
            return dutch + title[len(english):]
    return title


def _translated_links(links: list, gettext) -> list:
    return [dict(link, title=dutch_link_title(link["title"], gettext))
            if isinstance(link, dict) and isinstance(link.get("title"), str) else link for link in links]


def _is_dutch(locale_) -> bool:
    return str(locale_ or "").lower().replace("-", "_").split("_")[0] == "nl"


@functools.cache
def _catalogue(locale_: str):
    from babel.support import Translations

    return Translations.load(str(LOCALE_DIR), [locale_]).gettext
