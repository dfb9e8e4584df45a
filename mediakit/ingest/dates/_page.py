"""A page's publication date: the evidence gathered, and the rules that decide."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from mediakit.ingest.dates._parse import _MIN_YEAR, _date_from_url, _to_utc_timestamp
from mediakit.ingest.dates._structured import (
    _Candidate,
    _is_utc,
    _jsonld_candidates,
    _local_days,
    _markup_candidates,
    _meta_candidates,
    _page_offset,
)
from mediakit.ingest.dates._visible import _headline, _htmldate_search, _visible_dates

if TYPE_CHECKING:  # pragma: no cover
    from lxml.html import HtmlElement

#: Values of ``date_source`` that :func:`extract_date` can return.
PAGE_DATE_SOURCES = ("json-ld", "meta", "html", "url", "text", "missing")


@dataclass(frozen=True)
class DateDetails:
    """A page's publication date as found, before and after conversion to UTC.

    Attributes
    ----------
    published : pandas.Timestamp or None
        The date-time in UTC (a date-only value is midnight UTC of that day).
    local : datetime.datetime or None
        The date-time exactly as the page states it: tz-aware with the page's own
        offset when it gives one, naive otherwise.
    source : str
        ``"json-ld"``, ``"meta"``, ``"html"``, ``"url"``, ``"text"`` or ``"missing"``.
    has_time : bool
        Whether the page gave a time of day.
    modified : pandas.Timestamp or None
        The last modification in UTC, when the page gives one (``dateModified``, an
        ``article:modified_time`` tag, or a date labelled "Updated" under the headline);
        never taken for the publication.
    """

    published: pd.Timestamp | None
    local: datetime | None
    source: str
    has_time: bool = False
    modified: pd.Timestamp | None = None

    @property
    def day(self) -> date | None:
        """The calendar day the page states (no time-zone conversion)."""
        return None if self.local is None else self.local.date()


_MISSING = DateDetails(None, None, "missing", False)

# --------------------------------------------------------------------------------------
# the evidence a page gives
# --------------------------------------------------------------------------------------


def _parse_tree(text: str) -> Any:
    import lxml.html

    data = text.encode("utf-8", "replace")
    if not data.strip():
        return None
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False)
    try:
        return lxml.html.fromstring(data, parser=parser)
    except Exception:  # lxml raises its own ParserError/XMLSyntaxError on junk
        return None


def _page_url(tree: Any) -> str | None:
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = tree.xpath(xpath)
        if found:
            return str(found[0])
    return None


def _plausible(value: datetime, latest: datetime) -> bool:
    naive = value.replace(tzinfo=None)
    return _MIN_YEAR <= naive.year and naive <= latest


class Evidence:
    """Every date a page gives, gathered once; :func:`decide` picks among them.

    The structured dates, the dates next to the headline and the URL's day are read
    at once; htmldate's search of the markup (the slow part) only when a rule asks
    for it. :meth:`settle` runs everything and drops the page, so that the rules can
    be tried many times over on many pages.
    """

    def __init__(self, text: str, tree: Any, url: str | None, *, owned: bool) -> None:
        self._text: str | None = text
        self._tree: Any = tree
        self._owned = owned
        latest = datetime.now() + timedelta(days=1)
        self.structured: tuple[_Candidate, ...] = tuple(
            c
            for c in (*_jsonld_candidates(tree), *_meta_candidates(tree), *_markup_candidates(tree))
            if _plausible(c.value, latest)
        )
        # the page's own offset is only needed to read UTC stamps: find it once, if at all
        needs_offset = any(c.has_time and _is_utc(c.value) for c in self.structured)
        self.page_tz = _page_offset(text) if needs_offset else None
        self.local = {c: _local_days(c, self.page_tz) for c in self.structured}
        headline = _headline(tree)
        shown = tuple(
            d for d in headline.dates if _MIN_YEAR <= d.day.year and d.day <= latest.date()
        )
        self.headline = replace(headline, dates=shown)
        self.url_day = _date_from_url(url or _page_url(tree))
        self._found: dict[bool, tuple[date | None, str]] = {}
        self._stated: dict[date, bool] = {}

    def found(self, *, skip_header: bool = False) -> tuple[date | None, str]:
        """htmldate's day and the step that found it (``skip_header``: not the ``<head>``)."""
        if skip_header not in self._found:
            if skip_header:  # the header step leaves the tree untouched: search it first
                self.found()
            if self._tree is None:
                return None, "missing"
            if not self._owned:  # htmldate's cleaning modifies the tree: work on a copy
                from copy import deepcopy

                self._tree, self._owned = deepcopy(self._tree), True
            self._found[skip_header] = _htmldate_search(self._tree, skip_header=skip_header)
        return self._found[skip_header]

    def states(self, day: date) -> bool:
        """Whether the page writes out this very day (not just its year)."""
        if day not in self._stated:
            text = self._text or ""
            self._stated[day] = day.isoformat() in text or any(
                found == day for found in _visible_dates(text[:2_000_000])
            )
        return self._stated[day]

    def settle(self) -> Evidence:
        """Run every search now and let go of the page."""
        for skip_header in (False, True):
            day = self.found(skip_header=skip_header)[0]
            if day is not None:
                self.states(day)
        self.headline = self.headline.settled()
        self._tree = self._text = None
        return self


def gather(html: str | bytes, *, url: str | None = None, tree: Any = None) -> Evidence | None:
    """The evidence of one page, or None when it is not a page at all."""
    if isinstance(html, bytes | bytearray):
        text = bytes(html).decode("utf-8", "replace")
    elif isinstance(html, str):
        text = html
    else:
        return None
    owned = tree is None
    if tree is None:
        tree = _parse_tree(text)
        if tree is None:
            return None
    elif not text.strip():
        import lxml.html

        text = lxml.html.tostring(tree, encoding="unicode")
    return Evidence(text, tree, url, owned=owned)


# --------------------------------------------------------------------------------------
# the rules that decide
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateRules:
    """The choices of the page search.

    Each default was chosen by cross-validation by site on the development pages
    (``benchmarks/dates.py`` chooses them on four folds and scores the fifth, and
    prints the choice made on all five, which is this default). Fixed by definition,
    not by choice: a structured publication date wins over a date the page writes
    without a label that no structured stamp confirms (a caption, a teaser); a date
    the page labels as an update is never the publication when the page gives one; a
    date written only above the headline (a site header's date box) yields to the
    byline date next to the headline.

    Examples
    --------
    >>> from dataclasses import replace
    >>> replace(DateRules(), headline_window_days=0).headline_window_days
    0
    """

    #: an article's own JSON-LD node and explicit publication tags before other nodes
    article_node_first: bool = True
    #: an unlabelled date under the headline that matches only ``dateModified`` is the
    #: date the page presents as its own
    headline_picks_modified: bool = True
    #: a date under the headline labelled as the publication ("Published", "Erschienen")
    #: beats the structured data
    labelled_publication_wins: bool = True
    #: dates under the headline with more words than this around them (in a sentence)
    #: are not datelines; None keeps all
    dateline_words: int | None = None
    #: a date under the headline with at most this many words around it is a byline
    #: date: it beats htmldate's date written only above the headline (a site header's
    #: date box), and the one htmldate finds near it (below)
    byline_words: int = 12
    #: without structured support, the byline date replaces htmldate's within this many
    #: days (a later edit or a teaser further off is not taken for it); 0: never
    headline_window_days: int = 30
    #: the day in the URL path comes before the structured data
    url_first: bool = True
    #: a generic ``<meta name="date">`` yields to a date written in the page
    weak_meta_yields: bool = False
    #: htmldate's last resort, a bare year read as 1 January, is dropped
    drop_bare_january_first: bool = True


#: The options benchmarks/dates.py tries for each rule, the default first.
RULE_OPTIONS: dict[str, tuple[object, ...]] = {
    "article_node_first": (True, False),
    "headline_picks_modified": (True, False),
    "labelled_publication_wins": (True, False),
    "dateline_words": (None, 12, 6),
    "byline_words": (12, 6, 30),
    "headline_window_days": (30, 0, 7, 365),
    "url_first": (True, False),
    "weak_meta_yields": (False, True),
    "drop_bare_january_first": (True, False),
}

_SOURCE_ORDER = {"json-ld": 0, "meta": 1, "html": 2}


def decide(evidence: Evidence | None, rules: DateRules | None = None) -> DateDetails:
    """The publication date a page's evidence supports, under ``rules``.

    In order: a date under the headline that a structured stamp confirms; the day in
    the URL path; a date labelled as the publication; the structured publication
    date; htmldate's date (yielding to the byline date near it, or when it is written
    only above the headline); a generic structured date; whatever was found.

    Examples
    --------
    >>> page = '''<html><head><meta property="article:published_time"
    ... content="2022-05-17T06:30:00+02:00"></head><body><h1>Dry spring hits growers</h1>
    ... <p>A field near Lyon on April 28, 2022.</p></body></html>'''
    >>> decide(gather(page)).day
    datetime.date(2022, 5, 17)
    """
    if evidence is None:
        return _MISSING
    rules = DateRules() if rules is None else rules
    local = evidence.local
    ranked = sorted(
        evidence.structured,
        key=lambda c: (
            c.kind != "published",
            c.tier if rules.article_node_first else min(c.tier, 1),
            _SOURCE_ORDER[c.source],
            c.rank,
        ),
    )

    def supported(day: date, kind: str) -> _Candidate | None:
        # a candidate stating that very day first, then one whose UTC stamp allows it
        for exact in (True, False):
            for candidate in ranked:
                if candidate.kind != kind:
                    continue
                shown, possible = local[candidate]
                if (shown == day) if exact else (day in possible):
                    return candidate
        return None

    shown = [
        d
        for d in evidence.headline.dates
        if rules.dateline_words is None or d.words_around <= rules.dateline_words
    ]
    update = next((d for d in shown if d.label == "updated"), None)
    headline = next((d for d in shown if d.label != "updated"), None)
    strong = [c for c in ranked if c.kind == "published" and c.tier < 2]
    if headline is None and update is not None and not strong:
        # "Updated ..." with no publication date given elsewhere: the only date shown
        headline = update
    modified_stamps = [c for c in ranked if c.kind == "modified"]
    modified: pd.Timestamp | None = None
    if modified_stamps:
        modified = _to_utc_timestamp(modified_stamps[0].value)
    elif update is not None:
        modified = _to_utc_timestamp(datetime(update.day.year, update.day.month, update.day.day))

    def details(candidate: _Candidate, day: date) -> DateDetails:
        return _details(candidate, day, modified)

    def day_details(day: date, source: str) -> DateDetails:
        return _day_details(day, source, modified)

    # 1. the day a reader sees under the headline, when the structured data agrees
    for seen in shown if headline is not None else ():
        # any day shown there that a publication stamp confirms (a page may show the
        # last edit first and the publication after it)
        candidate = supported(seen.day, "published")
        if candidate is not None and seen.label != "updated":
            return details(candidate, seen.day)
    if headline is not None and rules.headline_picks_modified and headline.label != "published":
        candidate = supported(headline.day, "modified")
        if candidate is not None:
            return details(candidate, headline.day)

    # 2. the day in the URL path (rarely wrong), with the time from structured data
    url_day = evidence.url_day
    if url_day is not None and rules.url_first:
        candidate = supported(url_day, "published") or supported(url_day, "modified")
        return details(candidate, url_day) if candidate else day_details(url_day, "url")
    if headline is not None and headline.label == "published" and rules.labelled_publication_wins:
        return day_details(headline.day, "html")

    # 3. a structured publication date: nothing on the page says otherwise
    if strong:
        return details(strong[0], local[strong[0]][0])
    if url_day is not None:
        candidate = supported(url_day, "published") or supported(url_day, "modified")
        return details(candidate, url_day) if candidate else day_details(url_day, "url")

    # 4. htmldate's search of the markup and visible text
    found_day, found_source = evidence.found()
    if found_day is not None and found_source == "meta":
        support = [c for c in ranked if found_day in local[c][1]]
        weak = (c.kind == "modified" or (c.tier >= 2 and rules.weak_meta_yields) for c in support)
        if all(weak):
            # only a modification stamp or a generic <meta name="date"> says so (often
            # the last edit or the crawl): the date written in the page wins
            markup_day, markup_source = evidence.found(skip_header=True)
            if markup_day is not None:
                found_day, found_source = markup_day, markup_source
    if (
        rules.drop_bare_january_first
        and found_day is not None
        and found_source == "text"
        and (found_day.month, found_day.day) == (1, 1)
        and not evidence.states(found_day)
    ):
        # htmldate's last resort turns a bare year (often a copyright line) into 1 January
        found_day = None
    byline = headline if headline and headline.words_around <= rules.byline_words else None
    if byline is not None and found_day is not None and byline.day != found_day:
        # a date written only above the headline (a site header's date box, often the
        # day the page was saved) is not the article's
        above_only = (
            found_source in ("html", "text")
            and found_day in evidence.headline.before
            and found_day not in evidence.headline.after
        )
        if above_only or abs(byline.day - found_day).days <= rules.headline_window_days:
            return day_details(byline.day, "html")
    if found_day is not None:
        candidate = supported(found_day, "published") or supported(found_day, "modified")
        if candidate is not None:
            return details(candidate, found_day)

    # 5. a generic structured date, then whatever was found
    published = [c for c in ranked if c.kind == "published" and found_day is None]
    if published:
        return details(published[0], local[published[0]][0])
    if found_day is not None:
        return day_details(found_day, found_source)
    if headline is not None:
        return day_details(headline.day, "html")
    return _MISSING


def _details(candidate: _Candidate, day: date, modified: pd.Timestamp | None) -> DateDetails:
    value = candidate.value
    published = _to_utc_timestamp(value)
    if value.date() == day:
        return DateDetails(published, value, candidate.source, candidate.has_time, modified)
    # the page's local day differs from the stamped one: keep the instant, give the day
    local = datetime(day.year, day.month, day.day)
    return DateDetails(published, local, candidate.source, False, modified)


def _day_details(day: date, source: str, modified: pd.Timestamp | None) -> DateDetails:
    local = datetime(day.year, day.month, day.day)
    return DateDetails(_to_utc_timestamp(local), local, source, False, modified)


def extract_date_details(
    html: str | bytes, *, url: str | None = None, tree: HtmlElement | None = None
) -> DateDetails:
    """Find a page's publication date; keep the date-time as the page states it.

    Same search as :func:`extract_date`, returning a :class:`DateDetails` with the
    UTC timestamp, the local date-time (the page's own offset kept), the source and
    whether a time of day was given. Compare ``details.day`` with the calendar day a
    reader sees on the page.

    Parameters
    ----------
    html : str or bytes
        The page (bytes are read as UTF-8).
    url : str, optional
        The page's address; its path may hold the date.
    tree : lxml.html.HtmlElement, optional
        The page already parsed with lxml, to save parsing it again. Not modified.

    Returns
    -------
    DateDetails

    Examples
    --------
    >>> page = '''<html><head><script type="application/ld+json">
    ... {"@type": "NewsArticle", "datePublished": "2018-03-20T22:05:00-04:00"}
    ... </script></head><body><p>Story</p></body></html>'''
    >>> details = extract_date_details(page)
    >>> details.day, details.source, details.has_time
    (datetime.date(2018, 3, 20), 'json-ld', True)
    >>> details.published
    Timestamp('2018-03-21 02:05:00+0000', tz='UTC')
    """
    try:
        return decide(gather(html, url=url, tree=tree))
    except Exception:  # a date is never worth a crash: report it missing
        return _MISSING


def extract_date(
    html: str | bytes, *, url: str | None = None, tree: HtmlElement | None = None
) -> tuple[pd.Timestamp | None, str]:
    """The publication date-time of a saved page, in UTC, and where it was found.

    Looks at JSON-LD (``datePublished``, ``dateCreated``), ``<meta>`` tags
    (``article:published_time``, Open Graph, Dublin Core, Parse.ly, Sailthru and
    more), the date under the headline, the URL and the rest of the markup and
    visible text (through htmldate's extensive search), and returns the first
    publication: a structured publication date wins unless the page gives evidence
    against it, and a date the page labels as an update ("Updated", "Aktualisiert")
    is a modification (see :attr:`DateDetails.modified`), not the publication, when
    the page gives one. A time with an offset is converted to UTC; a date without a
    time becomes midnight UTC of that day, so its calendar day is kept. Never uses the
    network and never raises.

    Parameters
    ----------
    html : str or bytes
        The page (bytes are read as UTF-8).
    url : str, optional
        The page's address; its path may hold the date (``/2018/03/20/``).
    tree : lxml.html.HtmlElement, optional
        The page already parsed with lxml, to save parsing it again. Not modified.

    Returns
    -------
    published : pandas.Timestamp or None
        Tz-aware UTC timestamp, or None when the page gives no usable date.
    date_source : str
        ``"json-ld"``, ``"meta"``, ``"html"`` (markup such as ``<time>``),
        ``"url"``, ``"text"`` (visible text patterns) or ``"missing"``.

    See Also
    --------
    extract_date_details : the same, keeping the page's own offset.
    normalize_published : parse a column of date strings.

    Examples
    --------
    >>> page = '''<html><head>
    ... <meta property="article:published_time" content="2018-03-20T10:05:00-04:00">
    ... </head><body><p>Story</p></body></html>'''
    >>> extract_date(page)
    (Timestamp('2018-03-20 14:05:00+0000', tz='UTC'), 'meta')
    >>> extract_date("<html><body><p>Posted 20 March 2018</p></body></html>")
    (Timestamp('2018-03-20 00:00:00+0000', tz='UTC'), 'text')
    >>> extract_date("not html at all")
    (None, 'missing')
    """
    details = extract_date_details(html, url=url, tree=tree)
    return details.published, details.source
