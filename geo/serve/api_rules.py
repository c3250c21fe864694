"""Dutch API Design Rules (ADR 2.x, Logius) where they fit an OGC API; docs/api-rules.md explains the rest.

- ``/openapi.json``: the OpenAPI document where the ADR expects it (/core/doc-openapi), besides ``/openapi``.
- Errors as ``application/problem+json`` (RFC 9457, /core/error-handling/problem-details; OGC API Features is
  adopting it too): ``type``, ``title``, ``status``, ``detail``, keeping OGC's ``code`` and ``description`` for
  the clients that read those.
- ``API-Version`` on every response (/core/version-header; pygeoapi's ``api_rules`` only sets it on its own
  answers, not on our routes and errors), and no ``X-Powered-By`` (it tells attackers the software and version).
"""

import json
from http import HTTPStatus

from flask import Response
from werkzeug.datastructures import Headers

OPENAPI_JSON = "application/vnd.oai.openapi+json;version=3.0"
PROBLEM_JSON = "application/problem+json"


def register(app, api, version: str) -> None:
    app.add_url_rule("/openapi.json", "openapi_json", lambda: _openapi_json(api))
    app.after_request(lambda response: _headers(response, version))
    app.after_request(_problem_details)


def _openapi_json(api) -> Response:
    return Response(json.dumps(api.openapi, ensure_ascii=False), content_type=OPENAPI_JSON)


def _headers(response, version: str):
    response.headers.pop("X-Powered-By", None)
    response.headers["API-Version"] = version
    return response


def _problem_details(response):
    """A JSON error body (OGC's ``{"code", "description"}``) as RFC 9457 problem details."""
    if not isinstance(response.headers, Headers):
        response.headers = Headers(response.headers)
    if response.status_code < 400 or response.mimetype != "application/json" or response.is_streamed:
        return response
    try:
        body = json.loads(response.get_data())
    except ValueError:
        return response
    if not isinstance(body, dict) or "description" not in body:
        return response
    response.set_data(json.dumps(problem(response.status_code, body), ensure_ascii=False))
    response.headers["Content-Type"] = PROBLEM_JSON
    return response


def problem(status: int, body: dict) -> dict:
    """RFC 9457 members from an OGC exception body; the OGC members stay."""
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return {"type": "about:blank", "title": title, "status": status, "detail": body.get("description"),
            **{k: v for k, v in body.items() if k not in ("type", "title", "status", "detail")}}
