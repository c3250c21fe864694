"""The layers: one module per legal theme, each with NAME, TITLE, SCHEMA, PUBLIC_FIELDS and build(base, sources).

``LAYERS`` lists them in build order: the base registration first, since later layers relate to it.
"""

from layers import (bodemverontreiniging, gemeentegebied, natura2000_gebied, nh3_concentratie,
                    omgevingsplan_functie, pand, stikstofbron, verblijfsobject, wnb_besluit)

LAYERS = {m.NAME: m for m in (gemeentegebied, pand, verblijfsobject, natura2000_gebied, stikstofbron, wnb_besluit,
                              bodemverontreiniging, omgevingsplan_functie, nh3_concentratie)}
