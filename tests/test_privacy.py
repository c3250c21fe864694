"""AVG: no private field name or value reaches a public response, page or map."""

import geopandas as gpd
import pytest
import requests

from omgevingsgeo.registry import build_registry

REGISTRY = build_registry()


PRIVATE = {name: [c for c in m.schema.columns if c not in m.public_fields]
           for name, m in REGISTRY.layers.items() if not m.is_raster}


def private_values(store) -> set[str]:
    values = set()
    for name, columns in PRIVATE.items():
        if columns:
            gdf = gpd.read_file(store, layer=name)
            for c in columns:
                values |= {str(v) for v in gdf[c].dropna().unique() if len(str(v)) > 5}
    return values


def test_some_layers_do_have_private_fields():
    assert PRIVATE["wnb_besluit"] == ["aanvrager_naam", "aanvrager_contact"]
    assert set(PRIVATE["stikstofbron"]) == {"naam", "adres"}


@pytest.mark.parametrize("name", [n for n, cols in PRIVATE.items() if cols])
def test_no_private_field_or_value_in_public_responses(server, store, name):
    secrets = private_values(store)
    assert secrets, "the sample should hold private values to test against"
    pages = [
        requests.get(f"{server}/collections/{name}/items", params={"limit": 10000, "f": "json"}, timeout=60),
        requests.get(f"{server}/collections/{name}/items", params={"limit": 10000, "f": "html"}, timeout=60),
        requests.get(f"{server}/collections/{name}/queryables", params={"f": "json"}, timeout=60),
        requests.get(f"{server}/collections/{name}", params={"f": "json"}, timeout=60),
        requests.get(f"{server}/openapi", params={"f": "json"}, timeout=60),
    ]
    first = pages[0].json()["features"][0]["id"]
    pages.append(requests.get(f"{server}/collections/{name}/items/{first}", params={"f": "json"}, timeout=60))
    for page in pages:
        assert page.status_code == 200
        own = page.text if "/openapi" not in page.url else _collection_part(page.json(), name)
        for field in PRIVATE[name]:
            assert f'"{field}"' not in own and f">{field}<" not in own
        leaked = [s for s in secrets if s in page.text]
        assert not leaked, f"{page.url} shows private values, e.g. {leaked[:3]}"


def _collection_part(openapi: dict, name: str) -> str:
    """The OpenAPI paths of one collection (other collections may publicly use the same field names)."""
    import json

    return json.dumps({p: v for p, v in openapi["paths"].items() if f"/collections/{name}/" in p + "/"})


@pytest.mark.parametrize("params", [{"aanvrager_naam": "x"}, {"filter": "aanvrager_naam LIKE 'A%'"},
                                    {"sortby": "aanvrager_naam"}, {"properties": "aanvrager_contact"}])
def test_private_fields_cannot_be_queried(server, params):
    r = requests.get(f"{server}/collections/wnb_besluit/items", params={**params, "f": "json"}, timeout=30)
    assert r.status_code == 400
