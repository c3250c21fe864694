"""Seeded generators for registers that have no open data for the default area (see README: real vs generated).

``generate_all`` writes every sample into ``data/generated/`` in the format the real register delivers.
"""

from pathlib import Path

from geo.errors import GeoError
from geo.readers import read_vector

SAMPLE_GEMEENTE = "GM0441"


def generate_all(data_dir: Path, gemeente: str = SAMPLE_GEMEENTE, seed: int = 441) -> dict[str, Path]:
    """Generate the sample BAG, nitrogen sources, Wnb decisions, soil contamination and omgevingsplan."""
    from layers import (bodemverontreiniging, gemeentegebied, natura2000_gebied, omgevingsplan_functie, pand,
                        stikstofbron, wnb_besluit)
    from layers.samples.omgevingsplan import generate_omgevingsplan, write_omgevingsplan
    from layers.samples.bodem import generate_bodem, write_bodem
    from layers.samples.bag import generate_bag, write_bag
    from layers.samples.stikstof import generate_stikstofbronnen, generate_wnb_besluiten, write_vth_csv, write_wnb

    if gemeente != SAMPLE_GEMEENTE:
        raise GeoError(f"sample data exist for {SAMPLE_GEMEENTE} only; give real sources with --source KEY=PATH")
    data_dir = Path(data_dir)
    gemeenten = read_vector(data_dir / gemeentegebied.SOURCE)
    area = gemeenten[gemeenten["statcode"] == gemeente].geometry.union_all()
    natura2000 = read_vector(data_dir / natura2000_gebied.SOURCE)
    bag = generate_bag(area, natura2000.geometry.union_all(), seed=seed)
    written = {"bag": write_bag(bag, data_dir / pand.SOURCE.format(gemeente=gemeente))}
    bronnen = generate_stikstofbronnen(bag["verblijfsobject"], seed=seed)
    written["stikstofbron"] = write_vth_csv(bronnen, data_dir / stikstofbron.SOURCE.format(gemeente=gemeente))
    nearby = natura2000[(natura2000.distance(area) <= natura2000_gebied.NEARBY_M) & natura2000["stikstofgevoelig"]]
    besluiten = generate_wnb_besluiten(bronnen, nearby, bag["verblijfsobject"], seed=seed)
    written["wnb_besluit"] = write_wnb(besluiten, data_dir / wnb_besluit.SOURCE.format(gemeente=gemeente))
    bodem = generate_bodem(area, bag["pand"], bag["verblijfsobject"], seed=seed,
                           natura2000=natura2000.geometry.union_all())
    written["bodem"] = write_bodem(bodem, data_dir / bodemverontreiniging.SOURCE.format(gemeente=gemeente))
    plan = generate_omgevingsplan(area, bag["pand"], bag["verblijfsobject"], natura2000, seed=seed)
    written["omgevingsplan"] = write_omgevingsplan(
        plan, data_dir / omgevingsplan_functie.SOURCE.format(gemeente=gemeente))
    from layers.samples.vth_toezicht import generate_vth_toezicht, write_vth_toezicht
    written["vth_toezicht"] = write_vth_toezicht(generate_vth_toezicht(bronnen, bag["verblijfsobject"], seed=seed),
                                                 data_dir / "generated" / f"vth_toezicht_{gemeente}.csv")
    return written
