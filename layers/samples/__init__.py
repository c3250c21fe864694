"""Seeded generators for registers that have no open data for the default area (see README: real vs generated).

``generate_all`` writes every sample into ``data/generated/`` in the format the real register delivers.
"""

from pathlib import Path

from geo.errors import GeoError
from geo.readers import read_vector

SAMPLE_GEMEENTE = "GM0441"


def generate_all(data_dir: Path, gemeente: str = SAMPLE_GEMEENTE, seed: int = 441) -> dict[str, Path]:
    """Generate the sample BAG, nitrogen sources and Wnb decisions (and what else is registered below)."""
    from layers import gemeentegebied, natura2000_gebied, pand, stikstofbron, wnb_besluit
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
    return written
