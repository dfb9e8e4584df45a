"""Character classes and normalisation shared by the tokeniser, queries and compiled scans.

One definition of "a word character" serves the reference regular expressions
(:mod:`mediakit.tokenize`, :mod:`mediakit.query`) and the lookup tables of the compiled
scans (:mod:`mediakit._kernels`), so the two cannot drift apart.

A word character is what Python's ``\\w`` matches, or a combining mark (Unicode
categories Mn, Mc, Me): a mark that survives NFC normalisation, such as the diaeresis of
"n̈" or a Devanagari vowel sign, belongs to the word it sits in instead of splitting it.
"""

from __future__ import annotations

import unicodedata

# Marks live in the Basic Multilingual Plane, the Supplementary Multilingual Plane and
# the variation selectors of plane 14 (Unicode 14-16); planes 2-3 hold ideographs only.
_MARK_PLANES = ((0, 0x20000), (0xE0000, 0xE1000))


def _mark_ranges() -> list[tuple[int, int]]:
    """The combining marks as ranges of code points."""
    category = unicodedata.category
    ranges: list[tuple[int, int]] = []
    for lo, hi in _MARK_PLANES:
        for c in range(lo, hi):
            if category(chr(c))[0] != "M":
                continue
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1] = (ranges[-1][0], c)
            else:
                ranges.append((c, c))
    return ranges


def _char_class(ranges: list[tuple[int, int]]) -> str:
    """The inside of a regex character class matching ``ranges``."""
    return "".join(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges)


_RANGES = _mark_ranges()
# Python's re looks a class up in a bitmap only when all of it lies in the first 65,536
# code points, and scans a list of ranges otherwise: the rare marks beyond get a class of
# their own, tried only on such characters, so the tokeniser keeps its speed (within 10%).
_BMP_MARKS = _char_class([r for r in _RANGES if r[1] < 0x10000])
_ASTRAL_MARKS = _char_class([r for r in _RANGES if r[0] >= 0x10000])
MARK = rf"(?:[{_BMP_MARKS}]|(?=[\U00010000-\U0010ffff])[{_ASTRAL_MARKS}])"  # one combining mark
WORD = rf"(?:\w|{MARK})"  # a word character: \w or a combining mark
NON_WORD = rf"(?:(?!{MARK})\W)"
# zero or more word characters, written so that the fast \w loop does the usual work
WORD_RUN = rf"\w*(?:{MARK}+\w*)*"
LETTER = r"[^\W\d_]"  # a letter (for abbreviations such as "U.S.")


def normalize(text: str, *, lowercase: bool = True) -> str:
    """``text`` in Unicode NFC, lower-cased unless ``lowercase=False``: what tokens are cut from.

    A page saved in decomposed form (NFD) spells "Müller" as "Mu" + a combining
    diaeresis + "ller"; NFC composes it back, so both spellings give the same word.

    Examples
    --------
    >>> normalize("Mu\\u0308ller") == "müller"
    True
    """
    text = unicodedata.normalize("NFC", text)  # returns ``text`` itself when already NFC
    return text.lower() if lowercase else text
