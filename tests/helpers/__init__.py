"""Helpers the tests import (``from helpers.x import ...``; ``tests/`` is on ``sys.path`` through its conftest.py).

Fixtures live in ``tests/conftest.py``; scripts that other Pythons run by path (``qgis_check.py``,
``qgis_view_extent.py``, ``ogctests_runner.py``) stay in ``tests/``.
"""
