"""The one processor base class of every analysis's OGC API Process.

A process never answers with a stack trace: an input the analysis cannot use (any ``GeoError``, e.g.
``InputError``, whose message names the input) becomes a 400 with that one-line message; anything else is
logged with its traceback and answered with one line that names the process and nothing of its internals.
An analysis subclasses ``AnalysisProcessor`` with its ``PROCESS_METADATA`` and a ``run(inputs)``.
"""

import logging
from collections.abc import Callable

from pygeoapi.process.base import BaseProcessor, ProcessorExecuteError

from geo.core.errors import GeoError
from geo.serve import internal

log = logging.getLogger(__name__)

__all__ = ["AnalysisProcessor", "InputRejected", "OnlyInternal"]

JSON = "application/json"


class InputRejected(ProcessorExecuteError):
    """Input the process cannot use: HTTP 400 with the reason."""

    http_status_code = 400
    ogc_exception_code = "InvalidParameterValue"


class OnlyInternal(ProcessorExecuteError):
    """An internal process was reached on the public instance: refused, whatever its config says."""

    http_status_code = 403
    ogc_exception_code = "Forbidden"


class AnalysisProcessor(BaseProcessor):
    """pygeoapi processor of an analysis: ``run(inputs) -> dict`` answered as JSON, input errors as 400."""

    PROCESS_METADATA: dict = {}
    only_internal = False  # refuse to run on the public instance (its answer holds internal data)

    def __init__(self, processor_def: dict):
        super().__init__(processor_def, self.PROCESS_METADATA)

    @property
    def process_id(self) -> str:
        return self.PROCESS_METADATA["id"]

    def run(self, inputs: dict) -> dict:
        """The answer to ``inputs``; raises a ``GeoError`` naming the input it cannot use."""
        raise NotImplementedError

    def check(self, inputs: dict) -> None:
        """Cheap checks run in the server before a child process is started (``geo.serve.jobs``)."""

    def check_inputs(self, data: dict) -> None:
        self._guarded(lambda: self.check(data if isinstance(data, dict) else {}))

    def execute(self, data: dict, outputs=None):
        if self.only_internal and not internal.is_internal():
            raise OnlyInternal(user_msg=f"{self.process_id} is offered by the internal server only "
                                        "(geo serve --internal)")
        return JSON, self._guarded(lambda: self.run(data or {}))

    def _guarded(self, work: Callable[[], dict | None]):
        try:
            return work()
        except GeoError as err:
            raise InputRejected(user_msg=str(err)) from None
        except Exception:  # a bug: logged with its traceback, the client gets one line
            log.exception("process %s failed", self.process_id)
            raise ProcessorExecuteError(user_msg=f"{self.process_id}: internal error; see the server log") from None

    def __repr__(self):
        return f"<{type(self).__name__}>"
