"""CQL2 (as parsed by pygeofilter) to a parameterised SQLite WHERE clause.

Values never enter the SQL text: they are bound as parameters. Attribute names must be among the
allowed (public) columns and are quoted. Spatial predicates call ``geo_relate`` (see ``geo.formats.gpkg``).
"""

import shapely
from pygeofilter import ast, values

from geo.core.errors import GeoError

GEOMETRY_NAMES = {"geom", "geometry", "shape", "the_geom"}

COMPARISONS = {
    ast.Equal: "=", ast.NotEqual: "<>", ast.LessThan: "<", ast.LessEqual: "<=",
    ast.GreaterThan: ">", ast.GreaterEqual: ">=",
}
ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mul: "*", ast.Div: "/"}
SPATIAL = {
    ast.GeometryIntersects: "intersects", ast.GeometryDisjoint: "disjoint", ast.GeometryWithin: "within",
    ast.GeometryContains: "contains", ast.GeometryTouches: "touches", ast.GeometryCrosses: "crosses",
    ast.GeometryOverlaps: "overlaps", ast.GeometryEquals: "equals",
}


class FilterError(GeoError, ValueError):
    """A filter that is valid CQL2 but cannot be applied to this collection."""


def to_sql(node, columns: set[str], geometry_column: str) -> tuple[str, list]:
    """Translate ``node`` to ``(sql, params)``; FilterError for unknown properties or operators."""
    if not isinstance(node, (ast.Node, bool)):  # a CQL2 JSON body may be any JSON value: [] or 3
        raise FilterError(f"filter: expected a CQL2 expression, got a JSON {type(node).__name__}")
    params: list = []
    sql = _visit(node, columns, geometry_column, params)
    return sql, params


def _visit(node, columns, geom, params) -> str:
    def v(n):
        return _visit(n, columns, geom, params)

    if isinstance(node, (ast.And, ast.Or)):
        return _combination(node, v)
    if isinstance(node, ast.Not):
        return f"(NOT {v(node.sub_node)})"
    if type(node) in COMPARISONS:
        return f"({v(node.lhs)} {COMPARISONS[type(node)]} {v(node.rhs)})"
    if isinstance(node, ast.Between):
        return f"({v(node.lhs)} {'NOT ' if node.not_ else ''}BETWEEN {v(node.low)} AND {v(node.high)})"
    if isinstance(node, ast.In):
        items = ", ".join(v(s) for s in node.sub_nodes)
        return f"({v(node.lhs)} {'NOT ' if node.not_ else ''}IN ({items}))"
    if isinstance(node, ast.IsNull):
        return f"({v(node.lhs)} IS {'NOT ' if node.not_ else ''}NULL)"
    if isinstance(node, ast.Like):
        params.append(_like_pattern(node))
        return f"({v(node.lhs)} {'NOT ' if node.not_ else ''}LIKE ? ESCAPE '\\')"
    if type(node) in ARITHMETIC:
        return f"({v(node.lhs)} {ARITHMETIC[type(node)]} {v(node.rhs)})"
    if type(node) in SPATIAL:
        return _spatial(SPATIAL[type(node)], node.lhs, node.rhs, columns, geom, params)
    if isinstance(node, ast.BBox):
        params.append(shapely.box(node.minx, node.miny, node.maxx, node.maxy).wkb)
        return f'geo_relate("{geom}", \'intersects\', ?)'
    if isinstance(node, ast.Attribute):
        return _attribute(node.name, columns)
    if isinstance(node, bool):
        params.append(int(node))
        return "?"
    if isinstance(node, (int, float, str)):
        params.append(node)
        return "?"
    if isinstance(node, ast.Include):
        return "1"
    if isinstance(node, getattr(ast, "Exclude", ())):  # not in every pygeofilter release
        return "0"
    raise FilterError(f"filter: {type(node).__name__} is not supported by this collection")


def _attribute(name: str, columns: set[str]) -> str:
    if name not in columns:
        raise FilterError(f"filter: unknown property {name!r}; queryables: {', '.join(sorted(columns))}")
    return '"' + name.replace('"', '""') + '"'


def _spatial(op: str, lhs, rhs, columns, geom, params) -> str:
    if isinstance(rhs, ast.Attribute) and not isinstance(lhs, ast.Attribute):
        lhs, rhs = rhs, lhs
    if not isinstance(lhs, ast.Attribute) or lhs.name not in GEOMETRY_NAMES | {geom}:
        raise FilterError("filter: a spatial predicate needs the geometry property and a literal geometry")
    params.append(_literal_geometry(rhs).wkb)
    return f'geo_relate("{geom}", \'{op}\', ?)'


def _literal_geometry(value):
    if isinstance(value, values.Geometry):
        return shapely.geometry.shape(value.geometry)
    if isinstance(value, values.Envelope):
        return shapely.box(value.x1, value.y1, value.x2, value.y2)
    raise FilterError(f"filter: expected a geometry literal, got {type(value).__name__}")


def _combination(node, v) -> str:
    """A chain of AND (or OR) as one flat list: SQLite's parser overflows on ~100 nested parentheses,
    and a filter of 100 OR'ed terms is legitimate."""
    kind, terms, todo = type(node), [], [node]
    while todo:
        current = todo.pop()
        if type(current) is kind:
            todo += [current.rhs, current.lhs]
        else:
            terms.append(v(current))
    return "(" + f" {'AND' if kind is ast.And else 'OR'} ".join(terms) + ")"


def _like_pattern(node: ast.Like) -> str:
    """CQL2 LIKE semantics ('%' any, '_' one, backslash escapes) as an SQL LIKE pattern with ESCAPE '\\'."""
    if not isinstance(node.pattern, str):  # e.g. `bouwjaar LIKE 1`, or a property as the pattern in CQL2-JSON
        raise FilterError("filter: LIKE needs a text pattern in quotes, e.g. naam LIKE 'Ma%'")
    out = []
    escaped = False
    for ch in node.pattern:
        if escaped:
            out.append("\\" + ch if ch in "%_\\" else ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            out.append(ch)
    return "".join(out)
