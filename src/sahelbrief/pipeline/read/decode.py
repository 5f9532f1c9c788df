"""Source bytes -> lines of text. Sources are scraped or machine-written, so every byte is suspect:
anything that is not text we can read with certainty is reported, never guessed at.

- UTF-8, with or without a BOM, is read as it is.
- UTF-16 and UTF-32 with a BOM are decoded: the BOM says exactly how (Windows editors save
  "Unicode" text this way), so there is nothing to guess.
- UTF-16 without a BOM, NUL and other control characters, and binary files are reported: the
  byte order of BOM-less UTF-16 can only be guessed, and a wrong guess would publish mojibake.
- CRLF, lone CR and LF all end lines.
- Invisible characters that reorder or hide text (bidirectional overrides and isolates, zero-width
  spaces) are removed: in a headline they can make the page show something else than the words
  (Trojan Source), and they make repeated paragraphs look different to the dedupe stage.
"""

from __future__ import annotations

import codecs
import re

from sahelbrief.errors import SourceError

# A news article is a few kilobytes; a source this big is a scraper's dump, not an article.
MAX_BYTES = 10_000_000
_LINE_END = re.compile(r"\r\n|\r|\n")
# U+202A-U+202E (embeddings, overrides), U+2066-U+2069 (isolates), U+200B zero-width space,
# U+2060 word joiner, U+FEFF (a BOM in mid-text). Zero-width (non-)joiners stay: Persian, Arabic
# script and emoji need them.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
# C0 and C1 control characters other than tab and line ends: not text (C1 ones are the mark of
# Windows-1252 text decoded as Latin-1), and XML feeds cannot carry them at all. Vertical tab and
# form feed (page breaks from PDF extraction) are read as spaces.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ASCII_ALLOWED = bytes(c for c in range(128) if not _CONTROL.match(chr(c)))
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY = (
    "is {kind}, not text; remove it from the folder or replace it with the article's text "
    "saved as UTF-8"
)
_BINARY_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"\x1f\x8b": "a gzip archive",
    b"RIFF": "a RIFF file (WebP image, WAV audio)",
}


def decode(data: bytes, path: str) -> list[str]:
    """The lines of a source file, or a SourceError saying exactly what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise SourceError(
            f"is larger than {MAX_BYTES // 1_000_000} MB, the limit for one source; "
            "split it into one file per article",
            path,
            1,
        )
    text = _text(data, path).replace("\v", " ").replace("\f", " ")
    plain = text.isascii()  # most sources: then nothing invisible can be in it, and ...
    # ... a control character only if deleting every byte allowed leaves some: a twentieth of
    # the search's time (decoding was a sixth of reading a source, half of it in regexes).
    control = (
        _CONTROL.search(text)
        if not plain or text.encode("ascii").translate(None, _ASCII_ALLOWED)
        else None
    )
    if control:
        before = _LINE_END.split(text[: control.start()])
        column = len(before[-1]) + 1
        what = (
            "a NUL character, so it is not plain text"
            if control.group() == "\0"
            else f"the control character U+{ord(control.group()):04X} (column {column})"
        )
        raise SourceError(
            f"contains {what}; remove it or save the file again as UTF-8 text",
            path,
            len(before),
        )
    if not plain:
        text = _INVISIBLE.sub("", text)
    return _LINE_END.split(text) if "\r" in text else text.split("\n")


def _text(data: bytes, path: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise SourceError(
                    f"starts with a {encoding.upper().removesuffix('-SIG')} byte order mark but "
                    f"is not valid {encoding.upper().removesuffix('-SIG')} (byte offset "
                    f"{exc.start}); save the file as UTF-8",
                    path,
                    1,
                ) from exc
    problem = _not_text(data)
    if problem:
        raise SourceError(problem, path, 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\0" in data[:4096]:
            raise SourceError(_BINARY.format(kind="a binary file"), path, 1) from exc
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"is not valid UTF-8 (byte offset {exc.start}, byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8",
            path,
            line,
        ) from exc


def _not_text(data: bytes) -> str | None:
    """What is wrong when `data` is plainly not UTF-8 text, else None."""
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return _BINARY.format(kind=kind)
    head = data[:4096]
    if len(head) >= 4 and head.count(0) * 4 >= len(head):
        # Latin text in UTF-16 without a BOM: every other byte is NUL (and valid UTF-8).
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) * 3 >= len(head) and min(even, odd) * 10 < len(head):
            return (
                "looks like UTF-16 text without a byte order mark, whose byte order can only be "
                "guessed; save the file as UTF-8"
            )
    return None
