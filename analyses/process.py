"""The OGC API Processes of the advisory analyses: thin pygeoapi wrappers over ``execute(data)``.

A process never answers with a stack trace: bad input (``GeoError``, e.g. ``InputError``) becomes a 400
with its one-line message; anything else is logged with its traceback and answered with one line that
names the process and nothing of its internals. Kept apart so that importing ``analyses`` does not import
pygeoapi.
"""

import logging
from collections.abc import Callable

from pygeoapi.process.base import BaseProcessor, ProcessorExecuteError

from analyses import gebiedsanalyse, op_locatie
from analyses.invoer import parse_address
from geo.core.errors import GeoError

log = logging.getLogger(__name__)

__all__ = ["InputRejected", "guarded", "OpLocatieProcessor", "GebiedsanalyseProcessor"]


class InputRejected(ProcessorExecuteError):
    """Input the process cannot use: HTTP 400 with the reason."""

    http_status_code = 400
    ogc_exception_code = "InvalidParameterValue"


def guarded(process_id: str, work: Callable[[], dict]) -> tuple[str, dict]:
    """Run ``work`` and answer JSON; library errors become a 400 with their one-line message."""
    try:
        return "application/json", work()
    except GeoError as err:
        raise InputRejected(user_msg=str(err)) from None
    except Exception:  # a bug: logged with its traceback, the client gets one line
        log.exception("process %s failed", process_id)
        raise ProcessorExecuteError(user_msg=f"{process_id}: internal error; see the server log") from None


class OpLocatieProcessor(BaseProcessor):
    """``wnb-op-locatie``: Wnb-besluiten around an address, BAG identificatie or coordinate."""

    def __init__(self, processor_def: dict):
        super().__init__(processor_def, op_locatie.PROCESS_METADATA)

    def check_inputs(self, data: dict) -> None:
        """The cheap checks, in the server before a child process is started (``geo.serve.jobs``)."""
        if isinstance(data, dict) and data.get("adres"):
            guarded("wnb-op-locatie", lambda: parse_address(str(data["adres"])))

    def execute(self, data: dict, outputs=None):
        return guarded("wnb-op-locatie", lambda: op_locatie.execute(data or {}))


class GebiedsanalyseProcessor(BaseProcessor):
    """``gebiedsanalyse``: findings in a municipality, function area or polygon."""

    def __init__(self, processor_def: dict):
        super().__init__(processor_def, gebiedsanalyse.PROCESS_METADATA)

    def execute(self, data: dict, outputs=None):
        return guarded("gebiedsanalyse", lambda: gebiedsanalyse.execute(data or {}))
