"""The OGC API Processes of the one-module analyses ``op_locatie`` and ``gebiedsanalyse``.

Kept apart from those modules so that importing ``analyses`` does not import pygeoapi.
"""

from analyses import gebiedsanalyse, op_locatie
from geo.serve.processing import AnalysisProcessor

__all__ = ["OpLocatieProcessor", "GebiedsanalyseProcessor"]


class OpLocatieProcessor(AnalysisProcessor):
    """``wnb-op-locatie``: Wnb-besluiten around an address, BAG identificatie or coordinate."""

    PROCESS_METADATA = op_locatie.PROCESS_METADATA

    def check(self, inputs: dict) -> None:
        if inputs.get("adres"):
            op_locatie.check_address(str(inputs["adres"]))

    def run(self, inputs: dict) -> dict:
        return op_locatie.execute(inputs)


class GebiedsanalyseProcessor(AnalysisProcessor):
    """``gebiedsanalyse``: findings in a municipality, function area or polygon."""

    PROCESS_METADATA = gebiedsanalyse.PROCESS_METADATA

    def run(self, inputs: dict) -> dict:
        return gebiedsanalyse.execute(inputs)
