"""The layers: one module per legal theme.

Each declares ``SPEC = LayerSpec(...)`` next to its ``build(base, sources)``.

``LAYERS`` lists the specs in build order: the base registration first, since later layers relate to it.
Adding a layer is one module and one line here.
"""

from geo.core.registry import LayerSpec
from layers import (
                    activiteit_locatie,
                    bodemverontreiniging,
                    gemeentegebied,
                    natura2000_gebied,
                    nh3_concentratie,
                    omgevingsnorm,
                    omgevingsplan_functie,
                    pand,
                    stikstofbron,
                    verblijfsobject,
                    wnb_besluit,
)

LAYERS: list[LayerSpec] = [
    gemeentegebied.SPEC,
    pand.SPEC,
    verblijfsobject.SPEC,
    natura2000_gebied.SPEC,
    stikstofbron.SPEC,
    wnb_besluit.SPEC,
    bodemverontreiniging.SPEC,
    omgevingsplan_functie.SPEC,
    omgevingsnorm.SPEC,
    activiteit_locatie.SPEC,
    nh3_concentratie.SPEC,
]
