"""Page furniture that article extractors keep around the story, and how to drop it.

Used by :func:`mediakit.ingest.html.parse_html` (engine "auto") on every candidate body
before one is chosen: a repeated headline and a dateline at the head, teaser links to
other stories anywhere, and at the tail share, follow and newsletter prompts, tag lists,
credits and copyright notices.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+")


def norm(text: str) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def nwords(paragraph: str) -> int:
    return len(_WORD.findall(paragraph))


# links to other stories, wherever they stand: "Related: ...", "READ MORE: ...",
# "DON'T MISS", and teaser headlines tagged like "... [VIDEO]"
_TEASER = re.compile(
    r"^(?:\[?\s*(?:related(?: posts?| articles?| stories)?|read more|see more|more|see also"
    r"|also read|read also|read next|also on [\w.]+|don'?t miss|you may also like"
    r"|you might also like|recommended|watch"
    r"|lesen sie auch|mehr zum thema|(?:à |a )?lire aussi|voir aussi|lee también|lea también"
    r"|leia também|leia mais|veja também|leggi anche)\s*(?::|\]|$)"
    r"|.*(?-i:\[[A-Z ]{3,}\])\s*\|?$)",
    re.IGNORECASE,
)
# what closes an article page after the story: comment and share prompts, newsletter and
# subscription offers, follow-us lines, tag lists, credits and copyright notices
_FURNITURE = re.compile(
    r"(?:^\d*\s*(?:comments?|kommentare?|commentaires?|comentários?|comentarios?|commenti)$"
    r"|tell us what you think|share (?:it|this)(?: story| article)? with"
    r"|^share(?: this)?(?: article| story)?:?$|like this (?:story|article)"
    r"|\bfollow (?:[\w@'’.]+ ){0,3}on (?:twitter|facebook|instagram|youtube|linkedin|x\b)"
    r"|^follow\b.{0,80}\b(?:coverage|updates)\b"
    r"|\bsubscrib(?:e|ing)\b|\bnewsletters?\b|sign up\b|\binbox\b"
    r"|delivered (?:to|through) your|non-commercial use only"
    r"|^tags?:?(?:\s|$)|^filed under|^(?:source|sources|fonte|fuente|quelle)\s*:"
    r"|contributed to this report|^additional reporting by|^contributing:|^with .{0,30}wires?$"
    r"|all rights reserved|^copyright\b|^©|무단전재|転載|版权"
    r"|you may also like|you might also like|^see more photos|^more (?:from|on|about) "
    r"|^(?:listen|download|itunes)\s*:|\bclick here\b|\bwrite to \S+ at\b)",
    re.IGNORECASE,
)
# a CMS shortcode that leaked into the text: "[button ...]Send us ...[/button]"
_SHORTCODE = re.compile(r"\[/[a-z_]+\]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_LINK = re.compile(r"https?://\S+")
# a numeric date, a clock time, or a day number followed by a year
_DATELIKE = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d\d){1,2}\b|\b\d{4}-\d\d-\d\d\b|\b\d{1,2}:\d\d\b"
    r"|\b(?:[1-9]|[12]\d|3[01])\b\D{1,20}\b(?:1[89]|20)\d\d\b"
)


def _is_furniture(paragraph: str) -> bool:
    """A short closing line that is not story: prompt, credit, notice, bare link."""
    n = nwords(paragraph)
    if n == 0:
        return True
    if n > 45 or paragraph.startswith("- "):
        return False
    return bool(
        _FURNITURE.search(paragraph)
        or _is_keyword_list(paragraph)
        or re.fullmatch(r"\W*\[[^\]]{1,60}[=:][^\]]{1,60}\]\W*", paragraph)
        or _TEASER.search(paragraph)
        or (n <= 30 and _EMAIL.search(paragraph))
        or (n <= 12 and _LINK.search(paragraph))
    )


def _is_keyword_list(paragraph: str) -> bool:
    """A tag line: "election 2018, senate race, polls, ..." (short items, no sentence)."""
    items = [i for i in paragraph.split(",") if i.strip()]
    return (
        len(items) >= 5
        and re.search(r"[.!?…]\s*$", paragraph) is None
        and max(nwords(i) for i in items) <= 5
    )


def _is_dateline(paragraph: str) -> bool:
    """A short line carrying a date or time and no sentence: "May 2, 2019 - 11:28"."""
    n = nwords(paragraph)
    return (
        0 < n <= 16
        and _DATELIKE.search(paragraph) is not None
        and re.search(r"[.!?…]\s*$", paragraph) is None
    )


def _is_headline(paragraph: str, title: str | None) -> bool:
    """The page's headline repeated (maybe without or with the site name)."""
    if not title:
        return False
    a, b = norm(paragraph), norm(title)
    if not a:
        return False
    if (
        a == b
        or (len(a) >= 20 and b.startswith(a))
        or (len(b) >= 20 and a.startswith(b) and len(a) <= len(b) + 30)
    ):
        return True
    # the same headline reworded a little (the on-page headline and the <title> differ)
    words_a, words_b = set(a.split()), set(b.split())
    shared = len(words_a & words_b)
    return (
        len(words_a) >= 4
        and shared >= 0.8 * len(words_a)
        and shared >= 0.6 * len(words_b)
        and re.search(r"[.!…][\"'”’)]*\s*$", paragraph) is None
    )


def clean_edges(paragraphs: list[str], title: str | None) -> list[str]:
    """Drop the page furniture extractors keep around the story.

    At the head: the headline repeated, then a dateline or byline-with-date. Anywhere:
    teaser links to other stories ("Related: ...") and lines without a word. At the tail:
    comment, share, follow and newsletter prompts, tag lists, credits, copyright notices.
    """
    out = [p for p in paragraphs if nwords(p)]
    for k in range(min(2, len(out))):
        if _is_headline(out[k], title):
            del out[k]
            break
    k = 0
    while k < min(2, len(out)):
        if _is_dateline(out[k]):
            del out[k]
        else:
            k += 1
    out = [
        p for p in out if not (nwords(p) <= 40 and _TEASER.search(p)) and not _SHORTCODE.search(p)
    ]
    while len(out) > 1 and _is_furniture(out[-1]):
        out.pop()
    return out
