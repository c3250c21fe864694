"""Building one layer in a test: the base layers come from the session store."""

import geopandas as gpd

from geo.build.inputs import Base, Sources
from geo.core.schema import check

BASE_LAYERS = ("gemeentegebied", "pand", "verblijfsobject", "natura2000_gebied")


def base_from(store, names=BASE_LAYERS) -> Base:
    layers = {n: gpd.read_file(store, layer=n).drop(columns="fid", errors="ignore") for n in names}
    return Base(gemeentecode="GM0441", layers=layers)


def build_layer(module, store, root, **overrides):
    """(gdf, sources) after building ``module`` with the given source overrides; the result is schema-checked."""
    sources = Sources(root=root, gemeentecode="GM0441", overrides=overrides)
    gdf = module.SPEC.build(base_from(store), sources)
    check(gdf, module.SPEC.schema, module.SPEC.name)
    return gdf, sources


def reasons(sources, layer) -> list[str]:
    return sorted(sources.quarantine.frame(layer)["reason"])
