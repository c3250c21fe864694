"""The files of a DSO delivery (a folder or a .zip): OW files and GIO files, parsed safely.

A delivery holds OW files (root ``ow-dc:owBestand``), GIO files (root ``geo:GeoInformatieObjectVaststelling``,
or that element inside a wrapper such as an aanlevering) and other files (manifest, STOP text, metadata) that
are parsed — a malformed one still stops the build, since a damaged delivery is not half-read — but not used.
A .zip is read in memory, member by member, within size limits: nothing is extracted to disk.
"""

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from geo.core.errors import SourceError
from geo.formats.readers import require_file
from geo.formats.safe_xml import local_name, parse_xml

__all__ = ["DeliveryFiles", "read_files"]

SUFFIXES = (".xml", ".gml")
MAX_FILE_BYTES = 2 * 1024**3  # one GIO of a large municipality is hundreds of MB; more is not a delivery
MAX_DELIVERY_BYTES = 8 * 1024**3
MAX_ZIP_RATIO = 200  # XML compresses 10-30x; a far higher ratio is a zip bomb


@dataclass
class DeliveryFiles:
    """The parsed OW roots and GIO elements of one delivery, each with the name of its file."""

    source: str
    ow: list[tuple[str, object]] = field(default_factory=list)
    gio: list[tuple[str, object]] = field(default_factory=list)


def read_files(path: Path | str) -> DeliveryFiles:
    """Every OW and GIO file of the delivery at ``path``; SourceError naming the file that cannot be read."""
    path = require_file(Path(path))
    files = DeliveryFiles(str(path))
    for name, data in _members(path):
        root = parse_xml(data, name)
        if local_name(root) == "owBestand":
            files.ow.append((name, root))
        else:
            files.gio += [(name, el) for el in root.iter() if local_name(el) == "GeoInformatieObjectVaststelling"]
    if not files.ow:
        raise SourceError(f"{path}: no OW file (root ow-dc:owBestand) in this delivery; is it a STOP/TPOD delivery?")
    return files


def _members(path: Path):
    """(name, bytes) of each XML/GML file of a folder or a zip, in name order."""
    if path.is_dir():
        yield from _folder_members(path)
    elif zipfile.is_zipfile(path):
        yield from _zip_members(path)
    else:
        raise SourceError(f"{path}: not a folder or a .zip; a DSO delivery is one of these")


def _folder_members(folder: Path):
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    for file in files:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise SourceError(f"{file}: larger than {MAX_FILE_BYTES:,} bytes; not a DSO file")
        yield str(file), file.read_bytes()


def _zip_members(path: Path):
    try:
        with zipfile.ZipFile(path) as archive:
            infos = sorted((i for i in archive.infolist() if i.filename.lower().endswith(SUFFIXES)),
                           key=lambda i: i.filename)
            _check_sizes(path, infos)
            for info in infos:
                yield f"{path}!{info.filename}", _read_member(archive, info, path)
    except (zipfile.BadZipFile, EOFError) as err:
        raise SourceError(f"{path}: damaged or truncated zip ({err})") from err


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    total = sum(i.file_size for i in infos)
    if total > MAX_DELIVERY_BYTES:
        raise SourceError(f"{path}: unpacks to {total:,} bytes; at most {MAX_DELIVERY_BYTES:,}")
    for info in infos:
        if info.file_size > MAX_FILE_BYTES or info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1024):
            raise SourceError(f"{path}!{info.filename}: unpacks to {info.file_size:,} bytes from "
                              f"{info.compress_size:,}; refused (zip bomb?)")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> bytes:
    with archive.open(info) as member:
        data = member.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise SourceError(f"{path}!{info.filename}: larger than its zip header says; refused")
    return data
