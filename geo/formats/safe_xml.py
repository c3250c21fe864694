"""Parsing XML from outside safely: no entities, no DTD, no network, bounded trees.

lxml with ``resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False`` never expands an
entity nor fetches anything; on top of that a document that declares a DTD at all (the carrier of the
"billion laughs" entity expansion and of external entities) is refused, since no register file needs one.
Every refusal is one ``SourceError`` line naming the file.
"""

import re

from lxml import etree

from geo.core.errors import SourceError

__all__ = ["parse_xml", "local_name"]

PROLOG_BYTES = 64 * 1024
_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_FIRST_MARKUP = re.compile(rb"<(?![?])[!A-Za-z_][A-Za-z]*")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, name: str) -> etree._Element:
    """The root element of ``data`` (the bytes of file ``name``); SourceError if unsafe or malformed."""
    if not data.strip():
        raise SourceError(f"{name}: file is empty")
    if _declares_doctype(data[:PROLOG_BYTES]):
        raise SourceError(f"{name}: has a DOCTYPE (DTD or entity declarations); refused, a DSO file has none")
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as err:
        raise SourceError(f"{name}: not well-formed XML, truncated or damaged ({_first_line(err)})") from err
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise SourceError(f"{name}: has a DOCTYPE (DTD or entity declarations); refused, a DSO file has none")
    return tree.getroot()


def _declares_doctype(head: bytes) -> bool:
    """Whether a DOCTYPE comes before the root element (comments and declarations skipped)."""
    head = _COMMENT.sub(b"", head)
    match = _FIRST_MARKUP.search(head)
    return bool(match) and match.group(0).upper().startswith(b"<!DOCTYPE")


def local_name(element) -> str:
    """The tag without its namespace ('' for comments and processing instructions)."""
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
