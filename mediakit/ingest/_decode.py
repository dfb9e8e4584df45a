"""Bytes -> text: one policy for every reader (text files, tables, saved pages).

:func:`decode` is used by :func:`mediakit.ingest.load.decode_bytes` (files) and
:func:`mediakit.ingest.html.decode_html` (pages), so that the same bytes give the same
text whichever way they come in. Steps, first that fits wins:

1. a known file signature or NUL bytes: binary, refused;
2. a byte-order mark;
3. a declared charset (``<meta charset>``, an XML declaration, an HTTP header), when it
   names an encoding web pages use (the WHATWG Encoding Standard's list) and the bytes
   decode in it: a label such as "base64", "hex", "rot13" or "undefined" names a Python
   codec that is no text encoding of the web, and is ignored;
4. strict UTF-8; UTF-8 with a few broken bytes (replaced by U+FFFD) when the rest is
   UTF-8;
5. windows-1252 when the text reads as Western text (accented letters a small share);
6. charset-normalizer's guess (Cyrillic, Greek, Central European, ...);
7. windows-1252 as browsers read it (the five bytes it leaves undefined map to U+0080-
   U+009F), unless most bytes are not ASCII: then the bytes are refused as undecodable.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from typing import Final

__all__ = ["decode", "markup_charset", "web_codec", "MAGIC"]

#: File signatures of binary formats, and what they are.
MAGIC: Final = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3", "an SQLite database"),
)
_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Python's names of the encodings of the WHATWG Encoding Standard (what browsers accept)
_WEB: Final = frozenset(
    {
        "utf-8",
        "cp866",
        *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
        "koi8-r",
        "koi8-u",
        "mac-roman",
        "mac-cyrillic",
        "cp874",
        *(f"cp{n}" for n in range(1250, 1259)),
        "gbk",
        "gb18030",
        "big5",
        "big5hkscs",
        "euc_jp",
        "iso2022_jp",
        "shift_jis",
        "cp932",
        "euc_kr",
        "cp949",
        "utf-16-le",
        "utf-16-be",
        "utf-16",
    }
)
# labels browsers read as windows-1252
_AS_CP1252: Final = frozenset({"latin-1", "iso8859-1", "ascii", "cp819"})
_SYMBOL_IN_WORD = re.compile(r"[^\W\d_][^\x00-\x7f\w\u2019\u2013\u2014][^\W\d_]")
_ASCII = bytes(range(128))
_C1_AS_CP1252 = {
    i: bytes([i]).decode("cp1252")
    for i in range(0x80, 0xA0)
    if i not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def web_codec(label: str) -> str | None:
    """The Python codec for a charset label, if it names an encoding of the web.

    Examples
    --------
    >>> web_codec("ISO-8859-1"), web_codec("Shift_JIS"), web_codec("base64")
    ('cp1252', 'shift_jis', None)
    """
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except (LookupError, ValueError):
        return None
    if name in _AS_CP1252:
        return "cp1252"
    return name if name in _WEB else None


_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")


def markup_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 8 KB: ``<meta charset>`` or an XML
    declaration.

    Examples
    --------
    >>> markup_charset(b'<html><head><meta charset="koi8-r">')
    'koi8-r'
    """
    head = data[:8192]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", errors="replace") if match else None


def _mostly_ascii_letters(text: str) -> bool:
    """True for Western text: accented letters are a small share of all letters (a
    Cyrillic or Greek text read as windows-1252 is almost all accented letters)."""
    sample = text[:50_000]
    if _SYMBOL_IN_WORD.search(sample):  # "powiedzia³": a letter of another code page
        return False
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return True
    return sum(ord(c) > 127 for c in letters) <= 0.3 * len(letters)


def _cp1252(data: bytes) -> str:
    """windows-1252 as browsers read it: the five bytes it leaves undefined stay C1 controls."""
    return data.decode("latin-1").translate(_C1_AS_CP1252)


def decode(data: bytes, *, declared: Sequence[tuple[str, str]] = ()) -> tuple[str, str]:
    """Decode bytes to text; return the text and how it was decoded.

    Parameters
    ----------
    data : bytes
        The bytes.
    declared : sequence of (label, where)
        Charsets the bytes come with, most trusted first, e.g.
        ``[("windows-1252", "http"), ("utf-8", "meta")]``; ``where`` is named in ``how``.

    Returns
    -------
    text, how : str, str
        ``how`` names the encoding and, in brackets, where it came from: "utf-8",
        "cp1252 (meta)", "utf-16-le (byte-order mark)", "koi8-r (detected)", "utf-8 (2
        undecodable byte(s) replaced)", "cp1252 (fallback)".

    Raises
    ------
    ValueError
        When the bytes are binary (a file signature, NUL bytes) or no encoding fits and
        most bytes are not ASCII; the message starts with "binary:" or "undecodable:".

    Examples
    --------
    >>> decode("café".encode("cp1252"), declared=[("base64", "meta")])
    ('café', 'cp1252')
    >>> decode(b"%PDF-1.7")
    Traceback (most recent call last):
    ...
    ValueError: binary: the bytes are a PDF document, not text
    """
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise ValueError(f"binary: the bytes are {what}, not text")
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), f"{name} (byte-order mark)"
    head = data[:65_536]
    if head.count(b"\x00") > len(head) // 100:
        raise ValueError("binary: the bytes contain NUL bytes, they are not text")
    for label, where in declared:
        codec = web_codec(label)
        # bytes that declare UTF-16 without a byte-order mark are almost always ASCII-based
        if codec is None or codec.startswith("utf-16"):
            continue
        try:
            return data.decode(codec), f"{codec} ({where})"
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    broken = replaced.count("\ufffd")
    valid_multibyte = sum(1 for c in replaced if ord(c) > 127) - broken
    if valid_multibyte > 0 and broken <= max(3, valid_multibyte // 20):
        return replaced, f"utf-8 ({broken} undecodable byte(s) replaced)"
    try:
        western: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _mostly_ascii_letters(western):
        return western, "cp1252"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
    except Exception:  # a detector failure must not stop reading
        best = None
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), f"{best.encoding} (detected)"
        except (UnicodeDecodeError, LookupError):
            pass
    sample = data[:20_000]
    if len(sample.translate(None, _ASCII)) > 0.3 * len(sample):
        raise ValueError("undecodable: no text encoding fits the bytes and most are not ASCII")
    return _cp1252(data), "cp1252 (fallback)"
