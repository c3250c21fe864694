"""``geo sample``: the seeded sample registers (voorbeelddata) for the registers that have no open data."""

import click

from geo.cli.options import data_option, gemeente_option


@click.command()
@gemeente_option
@data_option
@click.option("--seed", type=int, default=None, show_default="the number of the gemeente code, 441 for GM0441",
              help="Random seed: the same seed, the same data.")
def sample(gemeente, data, seed):
    """Generate the sample registers that have no open data (BAG, stikstofbronnen, Wnb, ...) into data/generated/."""
    from samples import generate_all

    for key, path in generate_all(data, gemeente, seed).items():
        click.echo(f"generated {key}: {path}")
