"""The edge of the application: wires the domain (``layers``, ``analyses``) into the machinery (``geo``).

``omgevingsgeo.registry.build_registry()`` collects every layer and analysis spec; the ``geo`` command
(``omgevingsgeo.cli``) and the WSGI app (``omgevingsgeo.wsgi``) build it once, with the settings, and hand both down.
"""
