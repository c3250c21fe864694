"""Private, bounded process jobs: pygeoapi's process manager as this server needs it (issue 16).

pygeoapi 0.24's managers (``pygeoapi/process/manager/base.py``, ``tinydb_.py``) store every execution —
sync ones too — in one job store that ``GET /jobs`` lists to anyone, name jobs with ``uuid1`` (time and
host, guessable), keep results forever, run async jobs in unbounded threads of the worker and have no time
limit. ``PrivateJobManager`` (named in the config: ``manager: name: geo.serve.jobs.PrivateJobManager``) replaces
that behaviour, without patching pygeoapi:

- the job id is a ``uuid4``, the only key to a job: ``GET /jobs`` lists nothing; status, results and
  ``DELETE`` need the id;
- one job store per instance by construction: ``<store>-jobs/public`` or ``<store>-jobs/internal`` beside the
  store (PostGIS: in ``$GEO_OUTPUT``), chosen by ``geo serve`` itself, never a shared default;
- inputs are never stored (they may hold an address or a position); results expire after ``expiry_s``
  (default 24 h) and the store is bounded in jobs and bytes; a sync execution stores nothing;
- every execution runs in a child process with a wall-clock limit (``time_limit_s``), so a runaway process
  is killed and its memory returns to the system; at most ``max_async_jobs`` async jobs run at once per
  instance (across workers): beyond that ``429`` (``Retry-After`` is added by ``geo.serve.server``).
"""

import json
import logging
import math
import multiprocessing
import signal
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pygeoapi.process.base import (
    BaseProcessor,
    JobNotFoundError,
    JobResultNotFoundError,
    ProcessorExecuteError,
    UnknownProcessError,
)
from pygeoapi.process.manager.base import BaseManager
from pygeoapi.util import JobStatus, ProcessExecutionMode, RequestedProcessExecutionMode

from geo.core.settings import Settings
from geo.store import Store, open_store

log = logging.getLogger(__name__)

LOCATION = "beside-the-store"  # the config's connection/output_dir: the only place is the instance's own folder
__all__ = ["PrivateJobManager", "JobSettings", "JobStore", "TooManyJobs", "job_folder", "job_folder_path",
           "run_limited"]

JSON = "application/json"
ACTIVE = (JobStatus.accepted.value, JobStatus.running.value)
RETRY_AFTER_S = 30


class TooManyJobs(ProcessorExecuteError):
    """The instance already runs its maximum of async jobs: 429, try again later."""

    http_status_code = 429
    ogc_exception_code = "TooManyJobs"


class TimeLimitExceeded(ProcessorExecuteError):
    """The execution ran past the wall-clock limit and was stopped."""

    http_status_code = 503
    ogc_exception_code = "TimeLimitExceeded"


class NotHere(ProcessorExecuteError):
    """An internal process asked of the public instance."""

    http_status_code = 404
    ogc_exception_code = "NoSuchProcess"


@dataclass(frozen=True)
class JobSettings:
    """The manager's limits, from its config entry (``${GEO_...:-default}`` there lets tests shorten them)."""

    time_limit_s: float = 120.0
    max_async_jobs: int = 4
    max_sync_jobs: int = 2  # per worker, of its 4 app threads: the others keep answering reads
    expiry_s: float = 24 * 3600.0
    max_jobs: int = 1000
    max_store_mb: float = 256.0

    @classmethod
    def from_config(cls, manager_def: dict) -> "JobSettings":
        fields = cls.__dataclass_fields__
        return cls(**{k: fields[k].type(manager_def[k]) for k in fields if manager_def.get(k) is not None})


def job_folder_path(store: Store, internal: bool) -> Path:
    """Where an instance keeps its jobs (not created): one folder per store and instance."""
    return store.output_dir / f"{store.stem}-jobs" / ("internal" if internal else "public")


def job_folder(store: Store, internal: bool) -> Path:
    """Where an instance keeps its jobs: one folder per store and instance, private to the server's user."""
    folder = job_folder_path(store, internal)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _now() -> float:
    return time.time()


def _iso(seconds: float | None) -> str | None:
    return None if seconds is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


class JobStore:
    """Jobs and their results in one SQLite file (shared by the instance's workers), bounded and expiring.

    A row holds what a client may see of its job — process, status, message, times, the result — and never
    the inputs."""

    SCHEMA = ("CREATE TABLE IF NOT EXISTS job (identifier TEXT PRIMARY KEY, process_id TEXT NOT NULL, "
              "status TEXT NOT NULL, message TEXT, progress INTEGER, created REAL NOT NULL, started REAL, "
              "finished REAL, updated REAL, mimetype TEXT, result BLOB)")

    def __init__(self, path: Path, settings: JobSettings):
        self.path, self.settings = Path(path), settings
        with self._transaction() as con:
            con.execute(self.SCHEMA)

    @contextmanager
    def _transaction(self):
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            con.execute("PRAGMA secure_delete=ON")  # an expired result leaves no bytes behind in the file
            con.execute("BEGIN IMMEDIATE")
            yield con
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    def add_if_room(self, job_id: str, process_id: str) -> None:
        """Register an accepted async job, or TooManyJobs when the instance runs its maximum already."""
        now = _now()
        with self._transaction() as con:
            self._expire(con, now)
            stale = now - self.settings.time_limit_s - 60  # a worker that died leaves its job 'running'
            running = con.execute(f"SELECT count(*) FROM job WHERE status IN {ACTIVE} AND created > ?",
                                  (stale,)).fetchone()[0]
            if running >= self.settings.max_async_jobs:
                raise TooManyJobs(user_msg=f"this server runs {running} jobs already (at most "
                                           f"{self.settings.max_async_jobs} at once); try again in "
                                           f"{RETRY_AFTER_S} s")
            con.execute("INSERT INTO job (identifier, process_id, status, message, progress, created, updated) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (job_id, process_id, JobStatus.accepted.value, "job accepted", 5, now, now))

    def start(self, job_id: str) -> None:
        self._update(job_id, status=JobStatus.running.value, message="job running", progress=10, started=_now())

    def finish(self, job_id: str, mimetype: str, result: bytes) -> None:
        """Store the result, then drop the oldest jobs until the store is within its bounds again."""
        limit = self.settings.max_store_mb * 2**20
        if len(result) > limit:
            return self.fail(job_id, f"the result ({len(result) / 2**20:.0f} MB) exceeds the job store's "
                                     f"limit of {self.settings.max_store_mb:.0f} MB; ask for a smaller area")
        self._update(job_id, status=JobStatus.successful.value, message="job complete", progress=100,
                     finished=_now(), mimetype=mimetype, result=result)
        with self._transaction() as con:
            self._bound(con, limit)

    def fail(self, job_id: str, message: str) -> None:
        self._update(job_id, status=JobStatus.failed.value, message=message, progress=100, finished=_now())

    def _update(self, job_id: str, **values) -> None:
        values["updated"] = _now()
        with self._transaction() as con:
            con.execute(f"UPDATE job SET {', '.join(f'{k} = ?' for k in values)} WHERE identifier = ?",
                        (*values.values(), job_id))

    def get(self, job_id: str) -> dict:
        """The job as pygeoapi's API reads it; JobNotFoundError when unknown or expired."""
        with self._transaction() as con:
            self._expire(con, _now())
            row = con.execute("SELECT identifier, process_id, status, message, progress, created, started, "
                              "finished, updated, mimetype FROM job WHERE identifier = ?", (str(job_id),)).fetchone()
        if row is None:
            raise JobNotFoundError()
        job = dict(zip(("identifier", "process_id", "status", "message", "progress", "created", "started",
                        "finished", "updated", "mimetype"), row))
        if job["status"] in ACTIVE and job["created"] < _now() - self.settings.time_limit_s - 60:
            job.update(status=JobStatus.failed.value, message="the job was stopped (server restarted)")
        for key in ("created", "started", "finished", "updated"):
            job[key] = _iso(job[key])
        job["mimetype"] = job["mimetype"] or JSON
        job["location"] = None
        return job

    def result(self, job_id: str) -> tuple[str, bytes]:
        with self._transaction() as con:
            row = con.execute("SELECT mimetype, result FROM job WHERE identifier = ? AND result IS NOT NULL",
                              (str(job_id),)).fetchone()
        if row is None:
            raise JobResultNotFoundError()
        return row[0], row[1]

    def delete(self, job_id: str) -> bool:
        with self._transaction() as con:
            removed = con.execute("DELETE FROM job WHERE identifier = ?", (str(job_id),)).rowcount
        if not removed:
            raise JobNotFoundError()
        return True

    def _expire(self, con, now: float) -> None:
        con.execute("DELETE FROM job WHERE created < ?", (now - self.settings.expiry_s,))

    def _bound(self, con, limit_bytes: float) -> None:
        """Oldest finished jobs go first when the store holds too many jobs or too many bytes."""
        while True:
            count, size = con.execute("SELECT count(*), coalesce(sum(length(result)), 0) FROM job").fetchone()
            if count <= self.settings.max_jobs and size <= limit_bytes:
                return
            oldest = con.execute(f"SELECT identifier FROM job WHERE status NOT IN {ACTIVE} "
                                 "ORDER BY created LIMIT 1").fetchone()
            if oldest is None:
                return
            con.execute("DELETE FROM job WHERE identifier = ?", oldest)


# --- running a process in a child with a wall-clock limit ----------------------------------------

_CONTEXT = multiprocessing.get_context("forkserver")


_SYNC_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SYNC_SLOTS_LOCK = threading.Lock()


@contextmanager
def _sync_slot(limit: int):
    """One of the worker's ``limit`` places for a sync execution, or 429 at once: a sync execution holds an app
    thread for as long as it runs, so a handful of them would otherwise stall every read of this worker."""
    with _SYNC_SLOTS_LOCK:
        slots = _SYNC_SLOTS.setdefault(limit, threading.BoundedSemaphore(limit))
    if not slots.acquire(blocking=False):
        raise TooManyJobs(user_msg=f"{limit} executions are already running here; try again shortly, or ask "
                                   "for an async job (Prefer: respond-async)")
    try:
        yield
    finally:
        slots.release()


def start_fork_server(modules: list[str]) -> None:
    """Start the fork server now (at worker start), with ``modules`` imported once: each execution then
    starts in milliseconds, the first one too."""
    from multiprocessing import forkserver

    _CONTEXT.set_forkserver_preload(modules)
    forkserver.ensure_running()
    warm_up = _CONTEXT.Process(target=_nothing, daemon=True)  # returns once the modules are imported
    warm_up.start()
    warm_up.join()
    warm_up.close()


def _nothing() -> None:
    pass


def run_limited(processor: BaseProcessor, data: dict, outputs, time_limit_s: float) -> tuple[str, Any]:
    """``processor.execute(data)`` in a child process; killed when it passes ``time_limit_s``.

    The child's memory goes back to the system when it ends, whatever the process allocated.
    """
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_execute_in_child, args=(sender, processor, data, outputs, time_limit_s),
                             daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(time_limit_s):
            raise TimeLimitExceeded(user_msg=f"{processor.metadata['id']}: stopped after the wall-clock limit "
                                             f"of {time_limit_s:g} s; ask for a smaller area")
        kind, *payload = receiver.recv()
    except EOFError:
        raise ProcessorExecuteError(user_msg=f"{processor.metadata['id']}: the execution stopped unexpectedly "
                                             "(out of memory?); see the server log") from None
    finally:
        receiver.close()
        _end(child)
    if kind == "error":
        status, code, message = payload
        error = ProcessorExecuteError(user_msg=message)
        error.http_status_code, error.ogc_exception_code = status, code
        raise error
    return payload[0], payload[1]


def _end(child) -> None:
    child.join(timeout=1)
    if child.is_alive():
        child.kill()
        child.join(timeout=5)
    child.close()


def _execute_in_child(sender, processor: BaseProcessor, data: dict, outputs, time_limit_s: float) -> None:
    signal.alarm(math.ceil(time_limit_s) + 5)  # ends the child even when its parent is gone
    try:
        kwargs = {"outputs": outputs} if processor.supports_outputs else {}
        mimetype, result = processor.execute(data, **kwargs)
        sender.send(("ok", mimetype, result))
    except ProcessorExecuteError as err:
        sender.send(("error", int(err.http_status_code), err.ogc_exception_code, err.message))
    except Exception:  # a bug in a processor: the traceback to the log, one line to the client
        log.exception("process %s failed", processor.metadata.get("id"))
        sender.send(("error", 500, "NoApplicableCode", f"{processor.metadata.get('id')}: internal error"))
    finally:
        sender.close()


# --- the manager ------------------------------------------------------------------------------------

class PrivateJobManager(BaseManager):
    """pygeoapi process manager: private capability-URL jobs, one store per instance, bounded (module doc)."""

    def __init__(self, manager_def: dict):
        from geo.serve import internal

        if {manager_def.get("connection"), manager_def.get("output_dir")} != {LOCATION}:
            raise ValueError(f"manager: connection and output_dir must be {LOCATION!r}; each instance keeps its "
                             "jobs in its own folder beside the store (geo.serve.jobs.job_folder)")
        super().__init__(manager_def)
        self.is_async = True
        self.supports_subscribing = False
        settings = Settings.from_env()  # pygeoapi makes the manager from its config: this is its edge
        self.internal = internal.is_internal(settings)
        self.refused: set[str] = set()  # the public instance's internal processes: set by register()
        self.settings = JobSettings.from_config(manager_def)
        self._geo_settings = settings
        self._job_store: JobStore | None = None

    @property
    def store(self) -> JobStore:
        """The instance's job store, made on first use: writing the OpenAPI document (which makes a manager)
        creates no job folder."""
        if self._job_store is None:
            store = open_store(self._geo_settings.store_location, self._geo_settings)
            self._job_store = JobStore(job_folder(store, self.internal) / "jobs.sqlite", self.settings)
        return self._job_store

    def start(self) -> None:
        """Ready to execute at once: the fork server runs with the analyses imported, and so does this worker
        (a processor's cheap checks run here, before a child is started)."""
        start_fork_server(sorted({p["processor"]["name"].rsplit(".", 1)[0] for k, p in self.processes.items()
                                  if k not in self.refused}))
        for process_id in set(self.processes) - self.refused:
            self.get_processor(process_id)

    def get_jobs(self, status=None, limit=None, offset=None) -> dict:
        """No job list: a job is reached only through its id, which only its creator knows."""
        return {"jobs": [], "numberMatched": 0}

    def get_job(self, job_id: str) -> dict:
        return self.store.get(job_id)

    def get_job_result(self, job_id: str) -> tuple[str, Any]:
        mimetype, blob = self.store.result(job_id)
        return mimetype, json.loads(blob) if mimetype == JSON else blob

    def delete_job(self, job_id: str) -> bool:
        return self.store.delete(job_id)

    def add_job(self, job_metadata: dict) -> str:
        raise NotImplementedError("PrivateJobManager registers jobs in execute_process")

    def update_job(self, job_id: str, update_dict: dict) -> bool:
        raise NotImplementedError("PrivateJobManager updates jobs itself")

    def execute_process(self, process_id: str, data_dict: dict, execution_mode=None, requested_outputs=None,
                        subscriber=None, requested_response="raw"):
        """Sync: run now and store nothing. Async: register the job (or 429) and run it in the background."""
        processor = self.get_processor(process_id)
        if hasattr(processor, "check_inputs"):  # cheap checks of a processor, before a child is started
            processor.check_inputs(data_dict)
        job_id = str(uuid.uuid4())
        if self._runs_async(processor, execution_mode):
            self.store.add_if_room(job_id, process_id)
            threading.Thread(target=self._run_job, args=(job_id, processor, data_dict, requested_outputs,
                                                         requested_response), daemon=True).start()
            headers = {"Preference-Applied": RequestedProcessExecutionMode.respond_async.value}
            return job_id, JSON, None, JobStatus.accepted, headers
        with _sync_slot(self.settings.max_sync_jobs):
            mimetype, outputs = run_limited(processor, data_dict, requested_outputs, self.settings.time_limit_s)
        headers = None if execution_mode == RequestedProcessExecutionMode.wait else {
            "Preference-Applied": RequestedProcessExecutionMode.wait.value}
        return job_id, mimetype, _as_document(outputs, requested_response), JobStatus.successful, headers

    def get_processor(self, process_id: str) -> BaseProcessor:
        if process_id not in self.processes:
            raise UnknownProcessError("Invalid process identifier")
        if process_id in self.refused:  # whatever the config says (geo serve refuses such a config anyway)
            raise NotHere(user_msg=f"process {process_id!r} runs on the internal instance only")
        return super().get_processor(process_id)

    @staticmethod
    def _runs_async(processor: BaseProcessor, execution_mode) -> bool:
        options = processor.metadata.get("jobControlOptions", [])
        if ProcessExecutionMode.sync_execute.value not in options:
            return True
        return (execution_mode == RequestedProcessExecutionMode.respond_async
                and ProcessExecutionMode.async_execute.value in options)

    def _run_job(self, job_id: str, processor: BaseProcessor, data: dict, outputs, requested_response) -> None:
        try:
            self.store.start(job_id)
            mimetype, result = run_limited(processor, data, outputs, self.settings.time_limit_s)
            result = _as_document(result, requested_response)
            blob = json.dumps(result).encode() if mimetype == JSON else _as_bytes(result)
            self.store.finish(job_id, mimetype, blob)
        except ProcessorExecuteError as err:
            self.store.fail(job_id, err.message)
        except Exception:  # the job store itself failed: log it, the job shows as failed
            log.exception("job of process %s failed", processor.metadata.get("id"))
            try:
                self.store.fail(job_id, "internal error; see the server log")
            except Exception:
                log.exception("could not record the failure of a job")

    def __repr__(self):
        return f"<PrivateJobManager> {self.store.path.parent.name}"


def register(app, manager, internal_processes: set[str]) -> None:
    """The server's part: start the fork server and import the processors now, in the worker (not when
    pygeoapi builds a manager for its OpenAPI document); and the HTTP details pygeoapi's API cannot express:
    ``Retry-After`` on a 429, no ``Location`` of a job that was never stored (pygeoapi adds one to every
    execution when the manager is async). ``internal_processes``: refused by the public instance."""
    if isinstance(manager, PrivateJobManager):
        manager.refused = set() if manager.internal else set(internal_processes)  # public: public processes only
        manager.store  # noqa: B018 -- the job folder exists (private, 0700) from the server's start
        manager.start()
    logging.getLogger("pygeoapi.api").addFilter(_without_process_inputs)

    def job_headers(response):
        if response.status_code == 429:
            response.headers.setdefault("Retry-After", str(RETRY_AFTER_S))
        if response.status_code != 201 and "/jobs/" in response.headers.get("Location", ""):
            del response.headers["Location"]
        return response

    app.after_request(job_headers)


def _without_process_inputs(record: logging.LogRecord) -> bool:
    """pygeoapi logs every error answer with its description and traceback; a refused process input may
    quote an address or a position, which must not reach the log (AVG). Keep the line, drop the input."""
    error = record.exc_info[1] if record.exc_info else None
    if isinstance(error, ProcessorExecuteError):
        record.msg, record.args, record.exc_info, record.exc_text = (
            f"process execution answered {int(error.http_status_code)} ({type(error).__name__})", (), None, None)
    return True


def _as_document(outputs, requested_response: str):
    return {"outputs": [outputs]} if requested_response == "document" else outputs


def _as_bytes(result) -> bytes:
    return result.encode() if isinstance(result, str) else bytes(result)
