"""XML output through ElementTree: source text is escaped by the serializer, and characters XML
1.0 cannot carry are dropped, so a stray control character in a source cannot make a feed or
sitemap unreadable."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def text(parent: ET.Element, tag: str, value: str, **attributes: str) -> ET.Element:
    """A child element holding `value` as text."""
    element = ET.SubElement(parent, tag, attributes)
    element.text = clean(value)
    return element


def serialize(root: ET.Element) -> bytes:
    """The document. Its default namespace, if any, is the root's own `xmlns` attribute (so
    its children's names can stay unqualified)."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")
