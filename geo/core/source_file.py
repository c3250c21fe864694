"""The record of a source file a build read: what the store keeps and ``geo refresh`` compares."""

from dataclasses import dataclass


@dataclass
class SourceFile:
    """A source file a build used, with what refresh needs to tell whether it changed."""

    layer: str
    key: str
    path: str
    sha256: str
    modified: str
