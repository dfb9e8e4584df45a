"""Dates a reader sees: next to the headline, and htmldate's search of the markup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Any

# --------------------------------------------------------------------------------------
# the date a reader sees next to the headline
# --------------------------------------------------------------------------------------

_MONTHS = {
    # English, German, French, Spanish, Italian, Dutch, Portuguese (full and short forms)
    1: "january jan januar jänner janvier enero gennaio januari janeiro ene gen",
    2: "february feb februar février fevrier febrero febbraio februari fevereiro fév fev",
    3: "march mar märz maerz mars marzo maart março marco mär mrz",
    4: "april apr avril abril aprile avr abr",
    5: "may mai mayo maggio mei maio mag",
    6: "june jun juni juin junio giugno junho giu",
    7: "july jul juli juillet julio luglio julho juil lug",
    8: "august aug août aout agosto augustus ago",
    9: "september sep sept septembre septiembre settembre setembro set",
    10: "october oct oktober octobre octubre ottobre outubro okt ott out",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember décembre decembre diciembre dicembre dezembro dez dic déc",
}
_MONTH_NUMBER = {name: number for number, names in _MONTHS.items() for name in names.split()}

# the month names, longest first, grouped by their first letter: "j(?:anuary|...)|f(?:...)":
# the same matches as one flat alternation, but at each word a single group is tried
# instead of every name (this pattern scans a page's whole visible text)
_BY_INITIAL: dict[str, list[str]] = {}
for _name in sorted(_MONTH_NUMBER, key=len, reverse=True):
    _BY_INITIAL.setdefault(_name[0], []).append(re.escape(_name[1:]))
_MONTH_WORD = "|".join(
    f"{re.escape(initial)}(?:{'|'.join(rests)})" for initial, rests in _BY_INITIAL.items()
)
_VISIBLE_DATE = re.compile(
    r"(?<![\d.])(?P<d1>[0-3]?\d)\.\s?(?P<m1>[01]?\d)\.\s?(?P<y1>(?:19|20)\d{2})(?!\d)"
    r"|(?<!\d)(?P<y2>(?:19|20)\d{2})-(?P<m2>[01]\d)-(?P<d2>[0-3]\d)(?!\d)"
    rf"|(?<![\d\w])(?P<d3>[0-3]?\d)(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?(?P<m3>{_MONTH_WORD})\.?,?\s+(?:de\s+)?(?P<y3>(?:19|20)\d{{2}})(?!\d)"
    rf"|(?<![\w])(?P<m4>{_MONTH_WORD})\.?\s+(?P<d4>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y4>(?:19|20)\d{{2}})(?!\d)",
    re.IGNORECASE,
)


def _match_day(match: re.Match[str]) -> date | None:
    g = match.groupdict()
    for i in "1234":
        if g[f"y{i}"]:
            month_text = g[f"m{i}"]
            month = (
                int(month_text)
                if month_text.isdigit()
                else _MONTH_NUMBER.get(month_text.lower(), 0)
            )
            try:
                return date(int(g[f"y{i}"]), month, int(g[f"d{i}"]))
            except ValueError:
                return None
    return None


def _visible_dates(text: str) -> Iterator[date]:
    for match in _VISIBLE_DATE.finditer(text):
        day = _match_day(match)
        if day is not None:
            yield day


_SKIP_TEXT = {"script", "style", "noscript", "template", "button", "option", "select"}


# a label just before a date says what it is: an update, or the publication itself
_UPDATE_LABEL = re.compile(
    r"(?:updated?|aktualisiert|stand|zuletzt|ge(?:ä|ae)ndert|editiert|modified|revised"
    r"|mise? à jour|actualizad[oa]|aggiornat[oa]|bijgewerkt|atualizad[oa])"
    r"[\s:.,]*(?:\w+[\s:.,]+){0,2}$",
    re.IGNORECASE,
)
_PUBLISHED_LABEL = re.compile(
    r"(?:published|posted|veröffentlicht|erschienen|erscheinungsdatum|publié|publicad[oa]"
    r"|pubblicat[oa]|gepubliceerd|originally|erstellt|created)"
    r"[\s:.,]*(?:\w+[\s:.,]+){0,2}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ShownDate:
    """A date written in the text that follows the headline.

    Attributes
    ----------
    day : datetime.date
    label : str
        ``"updated"`` or ``"published"`` when the words just before it say so, else ``""``.
    words_around : int
        Words in the same text node besides the date: a dateline has few, a sentence
        (a caption, a teaser) has many.
    """

    day: date
    label: str
    words_around: int


@dataclass(frozen=True)
class Headline:
    """What the page writes around its main headline.

    The days written before and after the headline are read from the visible text only
    when a rule asks for them (few pages need them, and reading them scans the whole
    page).
    """

    dates: tuple[ShownDate, ...] = ()
    #: the visible text before the headline, and from the headline on
    before_text: str = ""
    after_text: str = ""

    @cached_property
    def before(self) -> frozenset[date]:
        """Days written in the visible text before the headline (site header, date boxes)."""
        return frozenset(_visible_dates(self.before_text))

    @cached_property
    def after(self) -> frozenset[date]:
        """Days written in the visible text from the headline on."""
        return frozenset(_visible_dates(self.after_text))

    def settled(self) -> Headline:
        """The same headline with its days read, without the texts they were read from."""
        out = replace(self, before_text="", after_text="")
        out.__dict__.update(before=self.before, after=self.after)  # what cached_property stores
        return out


def _visible_chunks(tree: Any, start: Any) -> tuple[list[str], list[str]]:
    """Visible text nodes in reading order, split at ``start`` (before, from it on)."""
    from lxml import etree

    before: list[str] = []
    after: list[str] = []
    out = before
    skipping = 0
    for event, elem in etree.iterwalk(tree, events=("start", "end")):
        if elem is start and event == "start":
            out = after
        skip = not isinstance(elem.tag, str) or elem.tag in _SKIP_TEXT
        if event == "start":
            if skip:
                skipping += 1
            elif not skipping and elem.text and elem.text.strip():
                out.append(elem.text.strip())
        else:
            if skip:
                skipping -= 1
            if not skipping and elem.tail and elem.tail.strip():
                out.append(elem.tail.strip())
    return before, after


def _headline(tree: Any, *, after: int = 400) -> Headline:
    """The dates written just after the page's main headline, and the days around it."""
    headlines = [h for h in tree.iter("h1") if len(" ".join(h.itertext()).strip()) >= 8]
    if not headlines:
        return Headline()
    before_chunks, after_chunks = _visible_chunks(tree, headlines[0])
    shown: list[ShownDate] = []
    preceding = ""
    size = 0
    for chunk in after_chunks:
        if size > after:
            break
        for match in _VISIBLE_DATE.finditer(chunk):
            day = _match_day(match)
            if day is None:
                continue
            lead = (preceding + " " + chunk[: match.start()])[-40:]
            label = (
                "updated"
                if _UPDATE_LABEL.search(lead)
                else "published"
                if _PUBLISHED_LABEL.search(lead)
                else ""
            )
            rest = chunk[: match.start()] + " " + chunk[match.end() :]
            words = len(re.findall(r"[^\W\d_]{2,}", rest))
            shown.append(ShownDate(day, label, words))
        preceding = chunk
        size += len(chunk)
    return Headline(
        tuple(shown), " ".join(before_chunks)[-200_000:], " ".join(after_chunks)[:2_000_000]
    )


# --------------------------------------------------------------------------------------
# htmldate: markup and visible text, with where the date was found
# --------------------------------------------------------------------------------------


def _htmldate_search(tree: Any, *, skip_header: bool = False) -> tuple[date | None, str]:
    """Run htmldate's extensive search step by step, to know which step found the date."""
    try:
        from htmldate import core as hd
    except ImportError:  # pragma: no cover - htmldate is a dependency
        return None, "missing"
    try:
        found, source = _htmldate_steps(hd, tree, skip_header=skip_header)
    except (AttributeError, ImportError, TypeError):  # pragma: no cover - other versions
        found, source = hd.find_date(tree, original_date=True, url="-"), "html"
    if not found:
        return None, "missing"
    try:
        return date.fromisoformat(found[:10]), source
    except ValueError:
        return None, "missing"


def _htmldate_steps(hd: Any, tree: Any, *, skip_header: bool = False) -> tuple[str | None, str]:
    # htmldate's find_date without its URL step (the URL is read by _date_from_url)
    options = hd.Extractor(True, hd.get_max_date(None), hd.get_min_date(None), True, "%Y-%m-%d")
    found = None if skip_header else hd.examine_header(tree, options)
    if found:
        return found, "meta"
    found = hd.json_search(tree, options)
    if found:
        return found, "json-ld"
    found = hd.examine_abbr_elements(tree, options)
    if found:
        return found, "html"
    search_tree = hd.discard_unwanted(hd.clean_html(tree, hd.CLEANING_LIST))
    found = (
        hd.examine_elements(hd.date_candidates(search_tree, True), options)
        or hd.examine_elements(search_tree.xpath(".//title|.//h1"), options)
        or hd.examine_time_elements(search_tree, options)
    )
    if found:
        return found, "html"
    htmlstring = hd.serialize(search_tree)
    found = (
        hd.pattern_search(htmlstring, hd.TIMESTAMP_PATTERN, options)
        or hd.img_search(search_tree, options)
        or hd.idiosyncrasies_search(htmlstring, options)
    )
    if found:
        return found, "text"
    reference = None
    for segment in hd.FREE_TEXT_EXPRESSIONS(search_tree):
        segment = segment.strip()
        if not hd.MIN_SEGMENT_LEN < len(segment) < hd.MAX_SEGMENT_LEN:
            continue
        reference = hd.compare_reference(reference, segment, options)
    found = hd.check_extracted_reference(reference, options) or hd.search_page(htmlstring, options)
    return found, "text"
