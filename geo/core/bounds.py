"""Bounded work per request (issue 16): sizes checked before anything is parsed.

A CQL2 filter of 1 MB, a polygon of 100,000 vertices, a JSON body nested 100,000 deep or a body that is
not UTF-8 cost the server seconds or a 500 before any parser says no. These checks are linear scans of the
raw text, run before pygeoapi sees the request, and answer 400 with one line naming the parameter.
A legitimate filter — 100 AND/OR terms, a drawn polygon of a few thousand vertices — stays well inside.
"""

import json
import re
from itertools import accumulate

from flask import jsonify, request

__all__ = ["register", "check_filter", "check_json_body", "json_depth", "BoundsError",
           "MAX_FILTER_CHARS", "MAX_DEPTH", "MAX_TERMS", "MAX_VERTICES", "MAX_BODY_BYTES"]

MAX_FILTER_CHARS = 64 * 1024  # a filter, text or JSON
MAX_BODY_BYTES = 2**20  # an execute request or a CQL2-JSON body
MAX_DEPTH = 32  # brackets and braces: a multipolygon in a filter needs 4, an execute request ~8
MAX_TERMS = 500  # AND/OR terms of one filter
MAX_VERTICES = 5000  # coordinate pairs in the geometries of one filter or one execute request

ITEMS_PATH = re.compile(r"^/collections/[^/]+/items/?$")
EXECUTION_PATH = re.compile(r"^/processes/[^/]+/execution/?$")
TERMS = re.compile(r"\b(?:and|or)\b", re.IGNORECASE)
# A string runs to its closing quote or to the end of the text: every match moves on, so the scan is
# linear even for an unterminated string (a pattern that needs the closing quote retries from each
# quote and is quadratic: 64 KB of '"a\\' took minutes).
PIECES = re.compile(r"\"(?:[^\"\\]|\\.)*\"?|'(?:[^']|'')*'?|[^\"']+")
NOT_BRACKETS = re.compile(r"[^\[\]{}()]+")
NESTING = {"[": 1, "{": 1, "(": 1, "]": -1, "}": -1, ")": -1}
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


class BoundsError(ValueError):
    """Input larger or deeper than this server accepts; the message names the parameter."""


def register(app) -> None:
    """Check every items query and execute request before pygeoapi parses it (registered first)."""
    app.before_request(_check_request)


def _check_request():
    try:
        if ITEMS_PATH.match(request.path):
            _check_items_request()
        elif request.method == "POST" and EXECUTION_PATH.match(request.path):
            check_json_body(request.get_data(cache=True), "execute request")
    except BoundsError as err:
        response = jsonify({"code": "InvalidParameterValue", "type": "InvalidParameterValue",
                            "description": str(err)})
        response.status_code = 400
        return response
    return None


def _check_items_request() -> None:
    """(bbox numbers are checked before, by geo.serve.server with geo.serve.params.bbox_problem)"""
    text = request.args.get("filter")
    if text is not None:
        check_filter(text, "filter")
    if request.method == "POST" and request.content_length:
        if request.content_length > MAX_FILTER_CHARS:
            raise BoundsError(f"filter (CQL2-JSON body): {request.content_length:,} bytes; at most "
                              f"{MAX_FILTER_CHARS:,}")
        body = request.get_data(cache=True)
        check_json_body(body, "filter (CQL2-JSON body)")
        check_filter(body.decode(), "filter (CQL2-JSON body)")


def check_json_body(body: bytes, name: str) -> None:
    """A JSON body: at most MAX_BODY_BYTES, UTF-8, nested at most MAX_DEPTH deep."""
    if len(body) > MAX_BODY_BYTES:
        raise BoundsError(f"{name}: {len(body):,} bytes; at most {MAX_BODY_BYTES:,}")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BoundsError(f"{name}: the body is not UTF-8 text; send JSON in UTF-8") from None
    if json_depth(text) > MAX_DEPTH:
        raise BoundsError(f"{name}: JSON nested deeper than {MAX_DEPTH} levels")
    vertices = _vertices(text)
    if vertices > MAX_VERTICES:
        raise BoundsError(f"{name}: geometries with about {vertices:,} vertices; at most {MAX_VERTICES:,} "
                          "(simplify the polygon)")
    _parses(text, name)


def _parses(text: str, name: str) -> None:
    """Python's json refuses an integer of more than 4,300 digits with a ValueError that pygeoapi's execute turns
    into a 500; parsed here (bounded by the checks above) it is a 400 naming the body."""
    try:
        json.loads(text)
    except ValueError as err:
        first = str(err).split(":")[0][:80]
        raise BoundsError(f"{name}: not valid JSON ({first})") from None


def check_filter(text: str, name: str = "filter") -> None:
    """A CQL2 filter (text or JSON): length, nesting, AND/OR terms and vertices within the bounds."""
    if len(text) > MAX_FILTER_CHARS:
        raise BoundsError(f"{name}: {len(text):,} characters; at most {MAX_FILTER_CHARS:,}")
    if json_depth(text) > MAX_DEPTH:
        raise BoundsError(f"{name}: brackets nested deeper than {MAX_DEPTH} levels")
    terms = len(TERMS.findall(_outside_quotes(text))) + 1
    if terms > MAX_TERMS:
        raise BoundsError(f"{name}: {terms:,} AND/OR terms; at most {MAX_TERMS}")
    vertices = _vertices(text)
    if vertices > MAX_VERTICES:
        raise BoundsError(f"{name}: geometries with about {vertices:,} vertices; at most {MAX_VERTICES:,} "
                          "(simplify the polygon)")


def json_depth(text: str) -> int:
    """The deepest nesting of ``[ { (`` outside quoted strings, at C speed (no parser, no recursion)."""
    brackets = NOT_BRACKETS.sub("", _outside_quotes(text))
    return max(accumulate(map(NESTING.__getitem__, brackets), initial=0))


def _outside_quotes(text: str) -> str:
    """``text`` without its quoted strings (single-quoted CQL2 text, double-quoted JSON)."""
    return "".join(piece for piece in PIECES.findall(text) if piece[0] not in "\"'")


def _vertices(text: str) -> int:
    """Coordinate pairs, counted as numbers / 2: an upper bound that needs no parsing."""
    return sum(1 for _ in NUMBER.finditer(text)) // 2
