"""Authors of a saved page: the people its visible byline names, as printed.

Metadata readers (trafilatura's, JSON-LD, ``<meta name="author">``) give a first list of
names. It is then checked against what a reader of the page sees:

- each entry is cut to the person's name: labels before it ("By", "Analysis by",
  "Text:"), and after it roles, desks, outlets, dates and handles ("Tom Roe News reporter",
  "Jane Doe Monday", "Eric Tucker Associated Press") are dropped;
- an entry that names an organisation, a desk or the site itself ("Associated Press",
  "IGN Staff", "CNN Business", "LinkNaija") is no author;
- a name that the page does not show outside its comments is dropped (a metadata author a
  reader never sees, or a commenter picked up as the author), and a shown name is written
  as printed: with the dots of its initials, its capitals and a quoted nickname;
- a visible byline that lists more people than the metadata ("By A, B and C" where the
  metadata names only A) gives the whole list.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: Words that mark an organisation, a desk or a job title, not a person.
_NOT_A_PERSON = frozenset(
    """press associated reuters afp ap upi dpa ani efe ians pti staff staffs bureau desk
    news newsroom wire wires service services media sport sports team editors editorial
    editor reporter reporters writer writers correspondent correspondents columnist
    contributor contributors contributing producer intern freelance senior chief
    international agency agencies network networks group inc ltd llc corp company
    ministry ministries department office government prefeitura municipal admin
    administrator webmaster weekly daily times post journal magazine online digital
    business politics opinion analysis published updated posted advance""".split()
)
#: Day and month names (English, and the languages news is often saved in).
_CALENDAR = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs
    fri sat sun january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_LABEL = re.compile(
    r"^(?:(?:[\w-]+\s+)?by|written\s+by|posted\s+by|text|texto|texte|текст|автор|author"
    r"|authors|von|par|por|door|di|oleh)\b\s*:?\s*",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bи\b|\|)\s*")
_CUT = re.compile(r"\s(?:is|was|has|writes|covers)\s|\s[-–—/(]\s?|\s*@|\s\S*\d")
_TOKEN = re.compile(r"[\w.'’-]+")
_BYLINE_CLASS = re.compile(r"byline|author", re.IGNORECASE)
_COMMENT_CLASS = re.compile(r"comment|disqus", re.IGNORECASE)
#: Lower-case words a printed name may hold ("Abigail van Buren", "Maria da Silva").
_PARTICLES = frozenset(
    "van von der den de da das do dos du di del della la le bin ibn al el y".split()
)
_STARTS_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)


def _clean_entry(entry: str, site_words: frozenset[str]) -> str | None:
    """One name out of one entry of an author list, or None if it names no person."""
    entry = " ".join(entry.replace('"', " ").split())
    entry = _LABEL.sub("", entry)
    entry = _CUT.split(" " + entry, maxsplit=1)[0].strip()
    tokens = entry.split()
    kept: list[str] = []
    for token in tokens:
        word = token.strip(".,:;'’").casefold()
        if kept and (word in _NOT_A_PERSON or word in _CALENDAR or word in site_words):
            break
        kept.append(token)
    words = [t.strip(".,:;'’").casefold() for t in kept]
    if not words or any(w in _NOT_A_PERSON or w in site_words for w in words):
        return None
    if len(words) == 1 and (words[0] in _CALENDAR or len(words[0]) <= 2):
        return None
    if words[0] in {"the", "a", "an"} or not any(c.isalpha() for c in "".join(kept)):
        return None
    if any(t[0].islower() and t.casefold() not in _PARTICLES for t in kept):
        return None  # printed names are capitalised: "defense ministries" is not one
    if kept[-1].isupper() and len(kept) == 1 and len(kept[-1]) <= 5:
        return None  # an acronym: "CNN", "AS"
    return " ".join(kept).strip(" ,;:-")


def split_names(raw: str | None, site_words: frozenset[str] = frozenset()) -> list[str]:
    """Names in an author string: "By Jane Roe and John Doe, Staff" -> ["Jane Roe", "John Doe"]."""
    if not raw:
        return []
    raw = unicodedata.normalize("NFC", raw)
    raw = _LABEL.sub("", " ".join(raw.split()))
    raw = _CUT.split(" " + raw, maxsplit=1)[0].strip()
    names: list[str] = []
    for entry in _SPLIT.split(raw):
        name = _clean_entry(entry, site_words)
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    if any(" " in name for name in names):
        # co-authors are given with their full names: a single word next to them is the
        # outlet or desk the byline credits ("Sandee LaMotte, CNN")
        names = [name for name in names if " " in name]
    return names


def _visible_text(tree: Any) -> str:
    """The page's text as a reader sees it, without scripts, styles and comment threads."""
    parts: list[str] = []
    skip = {"script", "style", "noscript", "template", "head", "title", "meta"}

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in skip:
            if element.tail:
                parts.append(element.tail)
            return
        marker = f"{element.get('class', '')} {element.get('id', '')}" if tag else ""
        if marker.strip() and _COMMENT_CLASS.search(marker) and not _BYLINE_CLASS.search(marker):
            if element.tail:
                parts.append(element.tail)
            return
        if element.text and tag:
            parts.append(element.text)
        for child in element:
            walk(child)
        if element.tail:
            parts.append(element.tail)

    body = tree.find(".//body")
    walk(body if body is not None else tree)
    return unicodedata.normalize("NFC", " ".join(" ".join(parts).split()))


def _printed(name: str, text: str) -> str | None:
    """The name as the page prints it (dots, capitals, nickname), or None if not shown."""
    tokens = [t.strip(".") for t in _TOKEN.findall(name) if t.strip(".")]
    if not tokens:
        return None
    gap = r"""(?:\.?\s+(?:["“‘'][^"”’']{1,25}["”’']\s+)?|\.)"""
    pattern = gap.join(
        "[\"“‘']?" + re.escape(t) + (r"\.?" if len(t) == 1 else "") + "[\"”’']?" for t in tokens
    )
    found = re.search(r"(?<!\w)" + pattern + r"(?!\w)", text, re.IGNORECASE)
    if found is None:
        return None
    printed = " ".join(found.group(0).split())
    if printed.isupper() and not name.isupper() and "." not in printed:
        return name  # a byline set in capitals: the metadata's "Jane Roe" says more
    return printed


def _is_publisher(name: str, text: str) -> bool:
    """True when the page names ``name`` in its copyright line: the publisher, not an author."""
    notice = r"(?:©|\(c\)|copyright)\W{0,3}(?:\d{4}\W{0,3})?(?:[\w.,-]+\s){0,3}"
    return re.search(notice + re.escape(name), text, re.IGNORECASE) is not None


_ASCII_LOWER = str.maketrans("BYLINEAUTHOR", "bylineauthor")


def _first_byline(tree: Any, site_words: frozenset[str]) -> list[str]:
    """Names of the page's first visible "By ..." byline (an element marked author or
    byline, outside comments); later ones belong to teasers of other stories."""
    marked = []
    for value in tree.xpath("//@class"):  # reading the attributes is faster than an XPath test
        folded = value.translate(_ASCII_LOWER)
        if "byline" in folded or "author" in folded:
            marked.append(value.getparent())
    for element in marked[:60]:
        marker = f"{element.get('class', '')} {element.get('id', '')}"
        if _COMMENT_CLASS.search(marker):
            continue
        text = " ".join(element.text_content().split())
        if 3 < len(text) <= 160 and _STARTS_BY.match(text):
            return split_names(text, site_words)
    return []


def page_authors(
    found: str | None, tree: Any, *, site_names: tuple[str | None, ...] = ()
) -> str | None:
    """The page's authors, "; "-joined, from the metadata's ``found`` string and the page."""
    site_words = frozenset(
        word.casefold()
        for site in site_names
        if site
        for word in re.findall(r"[\w']+", site)
        if len(word) > 2 and word.casefold() not in {"the", "www", "com", "net", "org"}
    )
    names = split_names(found, site_words)
    listed = _first_byline(tree, site_words) if tree is not None else []
    # the page's text (a walk over the whole page) only when there is a name to look up
    text = _visible_text(tree) if tree is not None and (names or listed) else ""
    shown: list[str] = []
    for name in names:
        printed = _printed(name, text)
        if (
            printed is not None
            and printed.casefold() not in {s.casefold() for s in shown}
            and not _is_publisher(printed, text)
        ):
            shown.append(printed)
    folded = {n.casefold() for n in listed}
    if len(listed) > len(shown) and (not shown or shown[0].casefold() in folded):
        shown = [_printed(n, text) or n for n in listed]
    return "; ".join(shown) or None
