"""Which layers are generated sample data (voorbeelddata), decided in one place, and the banner that says so.

The sample generator (``geo sample``, ``samples/``) writes its files to ``<data>/generated/``; every
build records the file each layer was built from (``Store.sources``). A layer is voorbeelddata when it was
built from such a file: the same rule for the catalogue, the maps, the reports and the pages, so an operator
who points a layer at the real register export sees the banner disappear without a code change. Results
derived from voorbeelddata (the nitrogen screening, the gebiedsanalyse, the toezicht ranking) name the
generated layers they were computed from.
"""

import html
from pathlib import Path

from geo.core.registry import LayerSpec
from geo.store.geopackage import Store

__all__ = ["GENERATED_FOLDER", "is_generated", "herkomst", "describe", "generated_layers", "notice", "notice_for",
           "banner", "banner_html", "BANNER_CSS", "MAP_BANNER_CSS"]

GENERATED_FOLDER = "generated"  # where samples/ writes; geo sample --data DIR -> DIR/generated/
DATA = Path(__file__).resolve().parents[2] / "data"  # the embedded default's data (peildata.yml)


def is_generated(path: str | Path) -> bool:
    """True for a file the sample generator wrote.

    >>> is_generated("/data/generated/stikstofbronnen_GM0441.csv"), is_generated("/data/sources/kdw/kdw.csv")
    (True, False)
    """
    return GENERATED_FOLDER in Path(path).parts


def generated_layers(store: Store, layers: list[str] | None = None) -> list[str]:
    """The layers (of ``layers``; default every built layer) that the store built from generated files."""
    sources = store.sources()
    wanted = list(dict.fromkeys(sources["layer"])) if layers is None else layers
    built = {layer for layer, path in zip(sources["layer"], sources["path"]) if is_generated(path)}
    return [layer for layer in wanted if layer in built]


def herkomst(spec: LayerSpec, data_dir: Path = DATA) -> str:
    """Where a layer's default source comes from, for its collection description: generated, or the real
    register with the publisher's peildatum; "" for an analysis result (it names its inputs itself)."""
    source = spec.source
    if source is None:
        return ""
    register = spec.register or spec.name
    if is_generated(source):
        return f"Voorbeelddata: gegenereerd naar het model van {register}, geen echte registratie."
    from geo.store.catalogue import reference_date

    peildatum = reference_date(str(Path(data_dir) / source))
    return f"Echte gegevens: {register}{f', peildatum {peildatum}' if peildatum else ''}."


def describe(spec: LayerSpec) -> str:
    """The layer's description followed by its herkomst (the collection description in the config)."""
    return " ".join(t for t in (spec.description, herkomst(spec)) if t)


def notice(store: Store, layers: list[str] | None = None) -> str:
    """One Dutch sentence naming the generated layers among ``layers``, or "" when all are real.

    A layer is named by its title in the store's metadata (the spec's title when it was published)."""
    return notice_for([_title(store, layer) for layer in generated_layers(store, layers)])


def _title(store: Store, layer: str) -> str:
    info = store.info() if store.exists() else None
    titles = {} if info is None else dict(zip(info["name"], info["title"]))
    return titles.get(layer) or layer


def notice_for(titles: list[str]) -> str:
    """The sentence for these generated layers' titles ("" for none).

    >>> notice_for(["Wnb-besluiten"])[:52]
    'Voorbeelddata: Wnb-besluiten is gegenereerd en geen '
    """
    if not titles:
        return ""
    return (f"Voorbeelddata: {', '.join(titles)} {'is' if len(titles) == 1 else 'zijn'} gegenereerd en geen "
            f"echte registratie. Gebruik deze uitkomsten niet voor advies of besluiten.")


def banner(store: Store, layers: list[str] | None = None) -> str:
    """The notice as a visible HTML banner (``id="voorbeelddata"``), or "" when every layer is real."""
    return banner_html(notice(store, layers))


def banner_html(text: str) -> str:
    if not text:
        return ""
    head, rest = text.split(": ", 1)
    return (f'<div id="voorbeelddata" class="voorbeelddata" role="note"><b>{html.escape(head)}</b>: '
            f'{html.escape(rest)}</div>')


BANNER_CSS = (".voorbeelddata { background: #fff3cd; color: #533f03; border: 2px solid #e0a800; "
              "padding: 6px 12px; font: 600 13px/1.4 system-ui, sans-serif; }")
# on a full-page map: across the top, clear of the zoom buttons (left) and the layer control (right)
MAP_BANNER_CSS = (" body > .voorbeelddata { position: fixed; top: 10px; left: 60px; max-width: calc(100% - 520px); "
                  "z-index: 1000; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }")
