"""Dutch API Design Rules (ADR 2.x, Logius) where they fit an OGC API; see docs/api-rules.md for the rest.

- ``/openapi.json``: the OpenAPI document at the address the ADR linter and its clients expect
  (/core/doc-openapi), besides OGC's ``/openapi?f=json``.
"""

import json

from flask import Response

OPENAPI_JSON = "application/vnd.oai.openapi+json;version=3.0"


def register(app, api) -> None:
    app.add_url_rule("/openapi.json", "openapi_json", lambda: _openapi_json(api))


def _openapi_json(api) -> Response:
    return Response(json.dumps(api.openapi, ensure_ascii=False), content_type=OPENAPI_JSON)
