"""Machinery without domain rules: CRS, schemas, register readers, the store, the pygeoapi provider, the CLI."""
