"""The internal instance: every column of every layer, the quarantine and internal analysis results,
served only with an API key.

The public server (``geo serve``) reads ``pygeoapi-config.yml``, which holds each layer's
``PUBLIC_FIELDS`` only. The internal one (``geo serve --internal``) reads
``pygeoapi-config-internal.yml`` (``geo config --internal``) and answers only requests that carry the
key of ``GEO_API_KEY`` in the ``X-API-Key`` header; without a key it refuses to start.
"""

import hmac
import os

from geo.core.errors import GeoError

API_KEY_ENV = "GEO_API_KEY"
INTERNAL_ENV = "GEO_INTERNAL"
API_KEY_HEADER = "X-API-Key"
MIN_KEY_LENGTH = 16
CONFIG_NAME = "pygeoapi-config-internal.yml"
OPENAPI_NAME = "openapi-internal.yml"
QUARANTINE_COLLECTION = "geo_quarantine"


class InternalConfigError(GeoError, RuntimeError):
    """The internal instance lacks its key, or the public one was given internal collections."""


def api_key(environ=os.environ) -> str:
    """The key from ``GEO_API_KEY``; InternalConfigError when it is missing or too short to be a secret."""
    key = environ.get(API_KEY_ENV, "")
    if len(key) < MIN_KEY_LENGTH:
        raise InternalConfigError(f"{API_KEY_ENV} is {'unset' if not key else 'too short'}: the internal server "
                                  f"needs a key of at least {MIN_KEY_LENGTH} characters, e.g. "
                                  f"export {API_KEY_ENV}=$(python -c 'import secrets; print(secrets.token_urlsafe())')")
    return key


def key_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison of the presented key with the expected one."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def is_internal(environ=os.environ) -> bool:
    return environ.get(INTERNAL_ENV) == "1"


def internal_processes(registry) -> set[str]:
    """Processes whose answer is internal data: only the internal instance offers them."""
    return set(registry.processes(include_internal=True)) - set(registry.processes())


def internal_only_collections() -> set[str]:
    """Collections that only the internal instance may serve."""
    from analyses import result_layers

    internal = set(result_layers(include_internal=True)) - set(result_layers())
    return internal | {QUARANTINE_COLLECTION}


def check_public(resources: dict) -> None:
    """Refuse a public config that names internal collections or processes, or selects non-public fields."""
    from analyses import result_layers
    from geo.build.builder import registry
    from omgevingsgeo.registry import build_registry  # until the registry is handed down (issue 15)

    leaked = sorted(set(resources) & (internal_only_collections() | internal_processes(build_registry())))
    if leaked:
        raise InternalConfigError(f"public config serves internal collections or processes {leaked}; "
                                  "use 'geo serve --internal'")
    public = {n: set(m.PUBLIC_FIELDS) for n, m in {**registry(), **result_layers()}.items()}
    for name, resource in resources.items():
        for provider in resource.get("providers", []):
            extra = set(provider.get("properties", [])) - public.get(name, set(provider.get("properties", [])))
            if provider.get("type") == "feature" and (extra or (name in public and not provider.get("properties"))):
                raise InternalConfigError(f"public config selects non-public fields of {name}: "
                                          f"{sorted(extra) or 'all columns'}")
