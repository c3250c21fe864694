"""One root for every error the library raises; each also inherits the matching builtin.

Callers catch ``GeoError`` (or the builtin); the CLI turns it into one line.
"""


class GeoError(Exception):
    """Root of all errors of this package."""


class SourceError(GeoError, OSError):
    """A source file is missing, empty, truncated or in the wrong format."""


class SchemaError(GeoError, ValueError):
    """A layer does not match its declared schema."""


class CRSMismatchError(GeoError, ValueError):
    """Coordinates are not in the expected coordinate reference system."""


class StoreError(GeoError, OSError):
    """The store cannot be read or written."""


class LayerNotFoundError(GeoError, KeyError):
    """A layer name that the registry does not know."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
