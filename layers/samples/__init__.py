"""Seeded generators for registers that have no open data for the default area (see README: real vs generated)."""
