"""Seeded generators for registers that have no open data for the default area (see README: real vs generated).

``generate_all`` writes every sample into ``data/generated/`` in the format the real register delivers, for
Schagen (GM0441, the default: real village names and centres) or any other of the 17 municipalities of
Noord-Holland Noord in the boundary file (generated kernen, see ``samples.kernen``). The default seed
is the number of the gemeente code (441 for GM0441), so the same code gives the same files.
"""

from pathlib import Path

from geo.core.errors import GeoError
from geo.formats.readers import read_vector

SAMPLE_GEMEENTE = "GM0441"
PLAN_GPKG = "generated/omgevingsplan_{gemeente}.gpkg"  # the same plan, IMOW-shaped, for the DSO tests' comparison


def generate_all(data_dir: Path, gemeente: str = SAMPLE_GEMEENTE, seed: int | None = None) -> dict[str, Path]:
    """Generate the sample BAG, nitrogen sources, Wnb decisions, soil contamination and omgevingsplan (as an
    IMOW-shaped GeoPackage and as a DSO delivery folder)."""
    from layers import (
        bodemverontreiniging,
        gemeentegebied,
        natura2000_gebied,
        omgevingsplan_functie,
        pand,
        stikstofbron,
        wnb_besluit,
    )
    from samples.bag import generate_bag, write_bag
    from samples.bodem import generate_bodem, write_bodem
    from samples.kernen import DWELLINGS_2022, default_seed, sample_gemeente
    from samples.omgevingsplan import generate_omgevingsplan, write_omgevingsplan
    from samples.omgevingsplan_dso import write_dso_delivery
    from samples.stikstof import generate_stikstofbronnen, generate_wnb_besluiten, write_vth_csv, write_wnb
    from samples.vth_toezicht import generate_vth_toezicht, write_vth_toezicht

    data_dir = Path(data_dir)
    gemeenten = read_vector(data_dir / gemeentegebied.SOURCE)
    row = gemeenten[gemeenten["statcode"] == gemeente]
    if row.empty or gemeente not in DWELLINGS_2022:
        known = ", ".join(sorted(set(gemeenten["statcode"]) & set(DWELLINGS_2022)))
        raise GeoError(f"sample data: no municipality {gemeente!r} in {gemeentegebied.SOURCE}; expected one of "
                       f"{known}; give real sources with --source KEY=PATH")
    seed = default_seed(gemeente) if seed is None else seed
    area = row.geometry.union_all()
    natura2000 = read_vector(data_dir / natura2000_gebied.SOURCE)
    protected = natura2000.geometry.union_all()
    spec = sample_gemeente(gemeente, str(row["statnaam"].iloc[0]), area, protected, seed)
    bag = generate_bag(area, protected, seed=seed, villages=spec.villages, gemeentecode=spec.number,
                       farms=spec.farms)
    written = {"bag": write_bag(bag, data_dir / pand.SOURCE.format(gemeente=gemeente))}
    bronnen = generate_stikstofbronnen(bag["verblijfsobject"], seed=seed, bevoegd_gezag=spec.naam)
    written["stikstofbron"] = write_vth_csv(bronnen, data_dir / stikstofbron.SOURCE.format(gemeente=gemeente))
    nearby = natura2000[(natura2000.distance(area) <= natura2000_gebied.NEARBY_M) & natura2000["stikstofgevoelig"]]
    besluiten = generate_wnb_besluiten(bronnen, nearby, bag["verblijfsobject"], seed=seed)
    written["wnb_besluit"] = write_wnb(besluiten, data_dir / wnb_besluit.SOURCE.format(gemeente=gemeente))
    bodem = generate_bodem(area, bag["pand"], bag["verblijfsobject"], seed=seed, natura2000=protected,
                           villages=spec.villages, gemeentecode=spec.number, special_sites=spec.special_sites)
    written["bodem"] = write_bodem(bodem, data_dir / bodemverontreiniging.SOURCE.format(gemeente=gemeente))
    plan = generate_omgevingsplan(area, bag["pand"], bag["verblijfsobject"], natura2000, seed=seed,
                                  **_plan_options(gemeente))
    written["omgevingsplan"] = write_omgevingsplan(
        plan, data_dir / PLAN_GPKG.format(gemeente=gemeente))
    written["omgevingsplan_dso"] = write_dso_delivery(
        plan, data_dir / omgevingsplan_functie.SOURCE.format(gemeente=gemeente), spec.naam, area,
        float(bronnen["NH3_emissie"].fillna(0).sum()), gemeente.lower(),
        set(natura2000.loc[natura2000["stikstofgevoelig"].fillna(False).astype(bool), "naam"]))
    written["vth_toezicht"] = write_vth_toezicht(generate_vth_toezicht(bronnen, bag["verblijfsobject"], seed=seed),
                                                 data_dir / "generated" / f"vth_toezicht_{gemeente}.csv")
    return written


def _plan_options(gemeente: str) -> dict:
    """Schagen keeps its canal and roads; elsewhere the plan has no routes (see samples.omgevingsplan)."""
    if gemeente == SAMPLE_GEMEENTE:
        return {}
    return {"gemeentecode": gemeente.lower(), "waterways": [], "roads": []}
