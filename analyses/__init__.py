"""Analyses: one module per analysis; each reads layers from the store (never raw sources) and returns
result GeoDataFrames that the store publishes like any layer."""
