"""The internal instance: every column of every layer, the quarantine and internal analysis results,
served only with an API key.

The public server (``geo serve``) reads ``pygeoapi-config.yml``, which holds each layer's
``public_fields`` only. The internal one (``geo serve --internal``) reads
``pygeoapi-config-internal.yml`` (``geo config --internal``) and answers only requests that carry the
key of ``GEO_API_KEY`` in the ``X-API-Key`` header; without a key it refuses to start.
"""

import hmac
from collections.abc import Iterable

from geo.core.errors import GeoError
from geo.core.registry import LayerSpec, Registry
from geo.core.settings import Settings

API_KEY_ENV = "GEO_API_KEY"
INTERNAL_ENV = "GEO_INTERNAL"
API_KEY_HEADER = "X-API-Key"
MIN_KEY_LENGTH = 16
CONFIG_NAME = "pygeoapi-config-internal.yml"
OPENAPI_NAME = "openapi-internal.yml"
QUARANTINE_COLLECTION = "geo_quarantine"


class InternalConfigError(GeoError, RuntimeError):
    """The internal instance lacks its key, or the public one was given internal collections."""


def api_key(settings: Settings | None = None) -> str:
    """The key from ``GEO_API_KEY`` (``settings.api_key``; the settings are read here when not given, by objects
    pygeoapi makes itself); InternalConfigError when it is missing or too short to be a secret."""
    key = (settings or Settings.from_env()).api_key or ""
    if len(key) < MIN_KEY_LENGTH:
        raise InternalConfigError(f"{API_KEY_ENV} is {'unset' if not key else 'too short'}: the internal server "
                                  f"needs a key of at least {MIN_KEY_LENGTH} characters, e.g. "
                                  f"export {API_KEY_ENV}=$(python -c 'import secrets; print(secrets.token_urlsafe())')")
    return key


def key_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison of the presented key with the expected one."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def is_internal(settings: Settings | None = None) -> bool:
    """``GEO_INTERNAL=1``: this server process is the internal instance (``settings.internal``)."""
    return (settings or Settings.from_env()).internal


def internal_only_collections(collections: Iterable[LayerSpec]) -> set[str]:
    """Collections that only the internal instance may serve: the internal ones among ``collections``
    (e.g. ``Registry.collections(include_internal=True).values()``) and the quarantine."""
    return {spec.name for spec in collections if spec.internal} | {QUARANTINE_COLLECTION}


def internal_processes(registry: Registry) -> set[str]:
    """Processes whose answer is internal data: only the internal instance runs them."""
    return set(registry.processes(include_internal=True)) - set(registry.processes())


def check_public(resources: dict, registry: Registry) -> None:
    """Refuse a public config that names internal collections or processes, or selects non-public fields."""
    hidden = internal_only_collections(registry.collections(include_internal=True).values())
    leaked = sorted(set(resources) & (hidden | internal_processes(registry)))
    if leaked:
        raise InternalConfigError(f"public config serves internal collections or processes {leaked}; "
                                  "use 'geo serve --internal'")
    public = {n: set(spec.public_fields) for n, spec in registry.collections().items()}
    for name, resource in resources.items():
        for provider in resource.get("providers", []):
            extra = set(provider.get("properties", [])) - public.get(name, set(provider.get("properties", [])))
            if provider.get("type") == "feature" and (extra or (name in public and not provider.get("properties"))):
                raise InternalConfigError(f"public config selects non-public fields of {name}: "
                                          f"{sorted(extra) or 'all columns'}")
