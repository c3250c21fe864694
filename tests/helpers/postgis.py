"""SQL on the session's PostGIS store (tests/test_postgis*.py)."""


def pg_sql(store, sql: str, **params) -> list[tuple]:
    """Run ``sql`` on a PostGIS store in one transaction; its rows, if it returns any."""
    from sqlalchemy import text

    with store.engine.begin() as con:
        result = con.execute(text(sql), params)
        return [tuple(r) for r in result] if result.returns_rows else []
