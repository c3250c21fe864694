"""geo.serve.pygeoapi_patches against the installed pygeoapi: each patch still fits what it replaces.

A failure here means the pinned pygeoapi changed underneath a patch. Re-read the new upstream function named in the
message, check the patch in geo/serve/pygeoapi_patches.py still does the same job (or is no longer needed), then
update the recorded hash. Fast: no store, no server.
"""

import hashlib
import inspect
import re
from pathlib import Path

import pygeoapi
import pygeoapi.api.itemtypes as itemtypes_module
import pygeoapi.crs as upstream
import pygeoapi.provider.sql as sql_module
import pygeoapi.util
import pytest
import shapely

from geo.core.crs import crs_from_uri, stored_axis_order, transform_bbox_exact
from geo.serve import pygeoapi_patches

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
RD_NEW = "http://www.opengis.net/def/crs/EPSG/0/28992"

# sha256 of the source of each function a patch replaces or wraps, in pygeoapi 0.24.0
PATCHED = {
    "create_crs_transform_spec": "303a940af5e908b596e7f5c0964f1e180cc97428931e2c72a406c836ca1bf463",
    "transform_bbox": "5d2c2b0ee8a1bd06ae6d090653ca5eeda7cc598181e4b3f37382746d4aa558e6",
    "get_transform_from_spec": "2bf804d304d665302210d2f8db9a719d6241819ad9ace88565bb1733f5b44516",
    "get_transform_from_crs": "7a83ec779e90cfb17461f071bedd3a9e54a98e211af75a834820154259fcf47a",
}


def _source(module) -> str:
    return inspect.getsource(module)


@pytest.mark.parametrize("name", sorted(PATCHED))
def test_the_patched_upstream_function_is_the_one_the_patch_was_written_for(name):
    found = hashlib.sha256(inspect.getsource(getattr(upstream, name)).encode()).hexdigest()
    assert found == PATCHED[name], (
        f"pygeoapi {pygeoapi.__version__} changed pygeoapi.crs.{name}: re-check the patch of it in "
        f"geo/serve/pygeoapi_patches.py (same arguments? same result? still needed?), then record {found}")


def test_itemtypes_still_looks_the_patched_names_up_in_its_own_namespace():
    """install_itemtypes_patches replaces module attributes of pygeoapi.api.itemtypes: that only works while
    itemtypes imports the functions by name and calls them with the arguments the replacements take."""
    source = _source(itemtypes_module)
    imported = re.search(r"from pygeoapi\.crs import \(([^)]*)\)", source)
    assert imported and {"create_crs_transform_spec", "transform_bbox"} <= set(re.findall(r"\w+", imported[1])), (
        "pygeoapi.api.itemtypes no longer imports create_crs_transform_spec and transform_bbox from pygeoapi.crs: "
        "install_itemtypes_patches in geo/serve/pygeoapi_patches.py patches nothing any more")
    assert "transform_bbox(bbox, bbox_crs, storage_crs)" in source, (
        "pygeoapi.api.itemtypes calls transform_bbox differently: re-check the exact-outline transform_bbox")
    assert source.count("create_crs_transform_spec(") == 2, (
        "pygeoapi.api.itemtypes calls create_crs_transform_spec in other places: re-check the cached spec "
        "(it keys on storage_crs, crs, always_xy and the requested CRS only)")


def test_the_sql_provider_still_looks_get_transform_from_spec_up_in_its_own_namespace():
    source = _source(sql_module)
    assert re.search(r"from pygeoapi\.crs import [^\n]*\bget_transform_from_spec\b", source), (
        "pygeoapi.provider.sql no longer imports get_transform_from_spec: cache_sql_transforms in "
        "geo/serve/pygeoapi_patches.py patches nothing any more")
    assert source.count("get_transform_from_spec(crs_transform_spec)") == 3, (
        "pygeoapi.provider.sql calls get_transform_from_spec in other places: re-check cache_sql_transforms")


def test_upstream_still_transforms_only_the_two_corners_of_a_bbox():
    """The bug the exact-outline patch works around: when pygeoapi transforms the outline itself, drop the patch."""
    box = [4.70, 52.75, 4.90, 52.85]  # around Schagen, CRS84
    theirs = shapely.box(*upstream.transform_bbox(box, CRS84, RD_NEW))
    exact = transform_bbox_exact(box, crs_from_uri(CRS84), stored_axis_order(crs_from_uri(RD_NEW)))
    missed = exact.polygon.difference(theirs).area / exact.polygon.area
    assert missed > 0.005, (  # 0.98 % in pygeoapi 0.24.0
        f"pygeoapi {pygeoapi.__version__} now transforms the bbox outline (its box misses {missed:.2%} of it): "
        "install_itemtypes_patches' transform_bbox in geo/serve/pygeoapi_patches.py may no longer be needed")


def test_the_cached_sql_transform_gives_the_same_coordinates_as_upstream():
    spec = upstream.create_crs_transform_spec({"storage_crs": RD_NEW, "crs": [CRS84, RD_NEW]}, CRS84)
    point = shapely.Point(110000, 540000)
    ours = pygeoapi_patches.cached_transform_from_spec(spec)
    assert ours is pygeoapi_patches.cached_transform_from_spec(spec)  # built once per CRS pair
    assert ours(point).equals_exact(upstream.get_transform_from_spec(spec)(point), 0)
    assert pygeoapi_patches.cached_transform_from_spec(None) is None


def test_the_itemtypes_patches_cache_the_spec_and_keep_its_value():
    class Namespace:
        create_crs_transform_spec = staticmethod(upstream.create_crs_transform_spec)
        transform_bbox = staticmethod(upstream.transform_bbox)

    pygeoapi_patches.install_itemtypes_patches(Namespace)
    provider_def = {"storage_crs": RD_NEW, "crs": [CRS84, RD_NEW], "data": "ignored"}
    spec = Namespace.create_crs_transform_spec(provider_def, CRS84)
    assert spec is Namespace.create_crs_transform_spec(dict(provider_def), CRS84)
    assert spec == upstream.create_crs_transform_spec(provider_def, CRS84)


# sha256 of the source of each function install_geometry_json wraps or replaces, in pygeoapi 0.24.0: the wrapper
# relies on get_collection_items/get_collection_item not reading a feature's geometry between the provider and
# to_json for a JSON answer, and on to_json being the last step of that answer
GEOMETRY_JSON = {
    (pygeoapi.util, "to_json"): "7f66dffc40ddf7c564387dec74d60419a970f9ac1aaaf85b67b03e9c4e515aad",
    (itemtypes_module, "get_collection_items"): "2eac86b14569f2c4240de724568461a0989697d4d975eb98a0105455e271d094",
    (itemtypes_module, "get_collection_item"): "884bcb30becc7bea07705acbbfe32f8f37c2ea7021e2387eecb5ac39b73dfd2c",
}


@pytest.mark.parametrize(("module", "name"), sorted(GEOMETRY_JSON, key=lambda k: k[1]))
def test_the_functions_the_geometry_json_patch_wraps_are_the_ones_it_was_written_for(module, name):
    function = getattr(module, name)
    function = getattr(function, "__wrapped__", function)  # when a server in this process installed the patch
    found = hashlib.sha256(inspect.getsource(function).encode()).hexdigest()
    assert found == GEOMETRY_JSON[(module, name)], (
        f"pygeoapi {pygeoapi.__version__} changed {module.__name__}.{name}: re-check install_geometry_json in "
        f"geo/serve/pygeoapi_patches.py (does a JSON answer still end in to_json, untouched geometries?), "
        f"then record {found}")


def test_json_answers_are_written_by_the_to_json_itemtypes_looks_up_and_handlers_are_looked_up_per_request():
    source = _source(itemtypes_module)
    imported = re.search(r"from pygeoapi\.util import \(([^)]*)\)", source)
    assert imported and "to_json" in re.findall(r"\w+", imported[1])
    assert source.count("to_json(content, api.pretty_print)") == 2  # items and item
    flask_source = (Path(pygeoapi.__file__).parent / "flask_app.py").read_text()  # importing it reads a config
    assert "itemtypes_api.get_collection_items," in flask_source and "itemtypes_api.get_collection_item," \
        in flask_source, "pygeoapi.flask_app no longer looks the item handlers up on the module: nothing is wrapped"


def test_orjson_to_json_writes_what_upstream_writes_and_splices_fragments():
    import datetime
    import decimal
    import json

    import orjson
    from pygeoapi.util import to_json as upstream_to_json

    content = {"type": "FeatureCollection", "timeStamp": datetime.datetime(2026, 11, 28, 12, 0, 1, 5),
               "features": [{"id": 1, "properties": {"naam": "<b>Duinen</b> é", "d": datetime.date(2026, 1, 2),
                                                     "x": decimal.Decimal("1.5"), "n": None},
                             "geometry": {"type": "Point", "coordinates": [4.1234567, 52.0]}}]}
    ours = pygeoapi_patches.to_json(content)
    assert json.loads(ours) == json.loads(upstream_to_json(content)) and "&lt;b&gt;" in ours
    content["features"][0]["geometry"] = orjson.Fragment(b'{"type":"Point","coordinates":[4.1234567,52.0]}')
    assert '"geometry":{"type":"Point","coordinates":[4.1234567,52.0]}' in pygeoapi_patches.to_json(content)
    content["features"][0]["properties"]["big"] = 2 ** 70  # beyond orjson: the standard library writes it
    assert json.loads(pygeoapi_patches.to_json(content))["features"][0]["geometry"]["coordinates"] == [4.1234567, 52.0]


# sha256 of render_j2_template in pygeoapi 0.24.0: install_dutch_link_titles relies on its signature
# (config, tpl_config, template, data, locale_) and on the templates reading the titles from data's links
RENDER_J2_TEMPLATE = "15264cf5e143940c3c2f1783aa44558e8146a4374054d36525bb2811579f7f2f"


def test_the_render_function_the_link_title_patch_wraps_is_the_one_it_was_written_for():
    found = hashlib.sha256(inspect.getsource(pygeoapi.util.render_j2_template).encode()).hexdigest()
    assert found == RENDER_J2_TEMPLATE, (
        f"pygeoapi {pygeoapi.__version__} changed pygeoapi.util.render_j2_template: re-check "
        f"install_dutch_link_titles in geo/serve/pygeoapi_patches.py (same arguments? does it translate link titles "
        f"itself now?), then record {found}")


@pytest.mark.parametrize("name", pygeoapi_patches.LINK_TITLE_MODULES)
def test_the_page_modules_still_look_render_j2_template_up_in_their_own_namespace(name):
    path = Path(pygeoapi.__file__).parent / (name.removeprefix("pygeoapi.").replace(".", "/"))
    source = (path / "__init__.py" if path.is_dir() else path.with_suffix(".py")).read_text()
    assert re.search(r"from pygeoapi\.util import \(?[^)]*?\brender_j2_template\b", source), (
        f"{name} no longer imports render_j2_template from pygeoapi.util: install_dutch_link_titles in "
        "geo/serve/pygeoapi_patches.py translates nothing there any more")
    assert "render_j2_template(" in source


def test_link_titles_are_translated_on_a_copy_and_other_titles_kept():
    gettext = pygeoapi_patches._catalogue("nl")
    links = [{"rel": "items", "title": "Items as GeoJSON"}, {"rel": "alternate", "title": "This document as CSV"},
             {"rel": "license", "title": "CC-BY-4.0"}, {"rel": "self"}]
    data = {"links": links, "collections": [{"id": "a", "links": [{"title": "This document as JSON"}]}]}
    dutch = pygeoapi_patches.with_dutch_link_titles(data, gettext)
    assert [link.get("title") for link in dutch["links"]] == [
        "Objecten als GeoJSON", "Dit document als CSV", "CC-BY-4.0", None]
    assert dutch["collections"][0]["links"][0]["title"] == "Dit document als JSON"
    assert links[0]["title"] == "Items as GeoJSON" and data["collections"][0]["links"][0]["title"] == \
        "This document as JSON"  # the config's and pygeoapi's own dicts untouched


def test_link_titles_are_translated_only_for_a_dutch_page():
    seen = []

    class Module:
        @staticmethod
        def render_j2_template(config, tpl_config, template, data, locale_=None):
            seen.append(data["links"][0]["title"])
            return ""

    pygeoapi_patches.install_dutch_link_titles([Module])
    pygeoapi_patches.install_dutch_link_titles([Module])  # once only
    for locale_ in ("nl", "nl_NL", "en_US", None):
        Module.render_j2_template({}, {}, "x.html", {"links": [{"title": "Queryables for this collection as JSON"}]},
                                  locale_)
    dutch, english = "Doorzoekbare velden van deze collectie als JSON", "Queryables for this collection as JSON"
    assert seen == [dutch, dutch, english, english]


# sha256 of pygeoapi.api.validate_datetime in pygeoapi 0.24.0: install_itemtypes_patches replaces it in itemtypes
VALIDATE_DATETIME = "c5bb76142c378e422ebada9aa789c59ff4f4193703df41c266e4ced9df42cb4c"


def test_the_datetime_validation_the_patch_replaces_is_the_one_it_was_written_for():
    import pygeoapi.api

    found = hashlib.sha256(inspect.getsource(pygeoapi.api.validate_datetime).encode()).hexdigest()
    assert found == VALIDATE_DATETIME, (
        f"pygeoapi {pygeoapi.__version__} changed pygeoapi.api.validate_datetime: re-check validate_datetime in "
        f"geo/serve/pygeoapi_patches.py (does a datetime outside the temporal extent still answer 400? does it "
        f"still write open ends as '..'?), then record {found}")
    source = _source(itemtypes_module)
    assert re.search(r"from \. import [^\n]*\bvalidate_datetime\b", source) and source.count(
        "validate_datetime(") == 1, "pygeoapi.api.itemtypes looks validate_datetime up differently: re-check the patch"


@pytest.mark.parametrize(("given", "expected"), [
    (None, None), ("2018-01-01", "2018-01-01"), ("2018-01-01/", "2018-01-01/.."), ("/2019-01-01", "../2019-01-01"),
    ("../..", "../.."), ("2030-01-01T00:00:00Z/..", "2030-01-01T00:00:00Z/..")])
def test_datetime_is_passed_on_with_open_ends_as_two_dots_and_never_out_of_range(given, expected):
    extents = {"temporal": {"begin": "2018-01-01T00:00:00Z", "end": "2019-12-31T00:00:00Z"}}
    assert pygeoapi_patches.validate_datetime(extents, given) == expected
