"""One build at a time: a lock around every publish to a store (issue 16).

A publish copies the store (GeoPackage) or reads the other layers (a build's ``NEEDS``) and swaps its new
version in. Two at once lose an update: both start from the same old store and the later swap brings back
what the first one replaced. Every writer — ``geo build``, ``geo refresh``, ``geo nationaal``, analyses that
publish, the monitoring history — therefore holds the store's publish lock:

- GeoPackage: ``fcntl.flock`` on ``.<store>.gpkg.lock`` beside the file (released by the kernel when the
  process dies, so a killed build never leaves it held);
- PostGIS: ``pg_advisory_lock`` on a connection of its own (released when that connection ends).

A second writer waits with one log line naming the holder, up to ``GEO_PUBLISH_WAIT_S`` (default one hour),
then refuses in one line. The lock is re-entrant within a thread: a build holds it from reading the layers
it needs through its after-build analyses, which publish under the same lock.
"""

import fcntl
import logging
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from geo.core.errors import StoreError

log = logging.getLogger(__name__)

__all__ = ["publishing", "PublishBusyError", "lock_path"]

WAIT_ENV = "GEO_PUBLISH_WAIT_S"
POLL_S = 0.5
ADVISORY_KEY = 0x6F6D6765  # 'omge': one key per database, the database is the store
_held: dict[tuple[str, int], int] = {}
_guard = threading.Lock()


class PublishBusyError(StoreError):
    """Another build kept the store's publish lock longer than we were willing to wait."""


def lock_path(store_path: Path) -> Path:
    """The lock file of a GeoPackage store: hidden, beside it."""
    store_path = Path(store_path)
    return store_path.with_name(f".{store_path.name}.lock")


@contextmanager
def publishing(store):
    """Hold ``store``'s publish lock for the block (re-entrant in one thread); wait while another holds it."""
    key = (_identity(store), threading.get_ident())
    with _guard:
        depth = _held.get(key, 0)
        _held[key] = depth + 1
    try:
        if depth:
            yield
            return
        with _acquire(store):
            yield
    finally:
        with _guard:
            _held[key] -= 1
            if not _held[key]:
                del _held[key]


def _identity(store) -> str:
    """The same store however its path was written (relative, absolute): re-entry must recognise it."""
    from geo.store.geopackage import GeoPackageStore

    return str(lock_path(store.path).resolve()) if isinstance(store, GeoPackageStore) else str(store.path)


def _acquire(store):
    from geo.store.geopackage import GeoPackageStore

    return _file_lock(store.path, _wait_limit(store)) if isinstance(store, GeoPackageStore) else _advisory_lock(store)


def _wait_limit(store) -> float:
    """How long to wait for another build's lock: the store's ``publish_wait_s`` (``$GEO_PUBLISH_WAIT_S``)."""
    return float(getattr(store, "publish_wait_s", 3600))


@contextmanager
def _file_lock(store_path: Path, limit: float = 3600.0):
    path = lock_path(store_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        _wait_for(lambda: _try_flock(fh), store_path, lambda: _holder(path), limit)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        try:
            yield
        finally:
            fh.truncate(0)
            fcntl.flock(fh, fcntl.LOCK_UN)


def _try_flock(fh) -> bool:
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(path: Path) -> str:
    text = path.read_text().strip() if path.exists() else ""
    return f"process {text}" if text.isdigit() else "another process"


@contextmanager
def _advisory_lock(store):
    from sqlalchemy import text

    with store.engine.connect() as con:
        def attempt() -> bool:
            got = con.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar()
            con.commit()
            return bool(got)

        _wait_for(attempt, store.path, lambda: "another build", _wait_limit(store))
        try:
            yield
        finally:
            con.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            con.commit()


def _wait_for(attempt, store_name, holder, limit: float) -> None:
    """Take the lock with ``attempt()``; when busy, say so once and retry until the wait limit."""
    if attempt():
        return
    log.warning("%s: %s is publishing to this store; waiting for it to finish (at most %.0f s)",
                store_name, holder(), limit)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(POLL_S)
        if attempt():
            log.warning("%s: the other build finished; publishing now", store_name)
            return
    raise PublishBusyError(f"{store_name}: {holder()} is still publishing after {limit:.0f} s; nothing was "
                           f"published, try again later (or raise ${WAIT_ENV})")
