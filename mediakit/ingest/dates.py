"""Publication dates: from a saved page, from its URL, or from a column of strings.

Three entry points:

- :func:`extract_date` finds when a page was first published, as a UTC
  :class:`pandas.Timestamp`, and says where it found it (``date_source``).
  :func:`extract_date_details` returns the same plus the date-time exactly as the
  page states it (its own offset kept), which is what to compare with a page's
  visible calendar day.
- :func:`date_from_url` reads ``/2018/03/20/`` or ``20180320`` in a URL path.
- :func:`normalize_published` turns a column of dates written in many formats into
  UTC timestamps, with a reason for each value it had to refuse.

The page search gathers the structured dates (JSON-LD ``datePublished`` /
``dateCreated`` / ``dateModified`` and ``<meta>`` publication tags), then decides
by the day a reader sees:

1. the date written just under the main headline, when a structured date agrees
   with it (the structured one gives the time and offset);
2. otherwise the day in the URL path (``/2018/03/20/``);
3. otherwise htmldate's extensive search of the markup and visible text, corrected
   by the headline date when the two are within a month of each other, and again
   matched to a structured date for the time;
4. otherwise the structured ``datePublished`` alone.

A structured value stamped in UTC may show as the day before or after on the page:
the page's own offset (from its other timestamps) decides when it has one. Nothing
here touches the network, and no function raises on malformed input: a page
without a usable date gives ``(None, "missing")``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from lxml.html import HtmlElement

__all__ = [
    "DateDetails",
    "date_from_url",
    "extract_date",
    "extract_date_details",
    "normalize_published",
    "parse_date_string",
]

#: Values of ``date_source`` that :func:`extract_date` can return.
PAGE_DATE_SOURCES = ("json-ld", "meta", "html", "url", "text", "missing")

_MIN_YEAR = 1900

# --------------------------------------------------------------------------------------
# parsing one date string
# --------------------------------------------------------------------------------------

_ISO = re.compile(
    r"""^\s*
    (?P<y>\d{4})(?P<sep>-?)(?P<m>\d{2})(?P=sep)(?P<d>\d{2})
    (?:[T\s_]+
        (?P<H>\d{1,2})(?P<tsep>:?)(?P<M>\d{2})(?:(?P=tsep)(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?
        \s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?
    )?
    \s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_YMD_SLASH = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})\s*$")
_EPOCH = re.compile(r"^\s*(\d{9,10}|\d{12,13})(?:\.\d+)?\s*$")

# common abbreviations in English-language pages; dateutil does not know them
_TZ_ABBREVIATIONS = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "MEZ": 1,
    "MESZ": 2,
    "EET": 2,
    "EEST": 3,
    "IST": 5.5,
    "JST": 9,
    "KST": 9,
    "AEST": 10,
    "AEDT": 11,
}
_TZINFOS = {name: timezone(timedelta(hours=hours)) for name, hours in _TZ_ABBREVIATIONS.items()}


def _tz_from_text(text: str | None) -> timezone | None:
    if not text:
        return None
    text = text.upper()
    if text in _TZINFOS:
        return _TZINFOS[text]
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4]) if len(digits) >= 4 else 0
    if hours > 14 or minutes > 59:
        raise ValueError(f"offset {text!r} out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _parse_iso(text: str) -> tuple[datetime, bool] | None:
    match = _ISO.match(text)
    if match is None:
        return None
    g = match.groupdict()
    year, month, day = int(g["y"]), int(g["m"]), int(g["d"])
    if g["H"] is None:
        return datetime(year, month, day), False
    fraction = (g["f"] or "0")[:6].ljust(6, "0")
    second = int(g["S"] or 0)
    value = datetime(year, month, day, int(g["H"]), int(g["M"]), min(second, 59), int(fraction))
    tz = _tz_from_text(g["tz"])
    return (value.replace(tzinfo=tz) if tz else value), True


def parse_date_string(value: object, *, dayfirst: bool = False) -> tuple[datetime, bool] | None:
    """Parse one date or date-time written in any common format.

    Returns the date-time as written (tz-aware when the text gives an offset or a
    known zone abbreviation, naive otherwise) and whether a time of day was given;
    ``None`` when the text holds no date. Never raises.

    Parameters
    ----------
    value : object
        A string (ISO 8601, RFC 2822, "March 20, 2018", "20.03.2018", GDELT
        "20180320T101500Z", epoch seconds or milliseconds), a number (epoch seconds
        or milliseconds), or a :class:`datetime.datetime` / :class:`datetime.date`.
    dayfirst : bool, default False
        Read ambiguous numeric dates such as "03/04/2018" day first.

    Examples
    --------
    >>> parse_date_string("2018-03-20T10:05:00-04:00")
    (datetime.datetime(2018, 3, 20, 10, 5, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=72000))), True)
    >>> parse_date_string("March 20, 2018")
    (datetime.datetime(2018, 3, 20, 0, 0), False)
    >>> parse_date_string("no date here") is None
    True
    """
    try:
        return _parse_any(value, dayfirst=dayfirst)
    except (ValueError, TypeError, OverflowError, ArithmeticError, LookupError, OSError):
        return None


def _parse_any(value: object, *, dayfirst: bool) -> tuple[datetime, bool] | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime(), True
    if isinstance(value, datetime):
        return value, True
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), False
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not 1e8 <= value < 1e14:  # NaN, years, counts: not epoch seconds or ms
            return None
        return _from_epoch(float(value)), True
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 200:
        return None
    parsed = _parse_iso(text)
    if parsed is not None:
        return parsed
    match = _EPOCH.match(text)
    if match is not None:
        return _from_epoch(float(text)), True
    match = _YMD_SLASH.match(text)
    if match is not None:
        year, month, day = (int(part) for part in match.groups())
        return datetime(year, month, day), False
    if re.search(r"\d", text) is None:
        return None
    try:
        parsed_rfc = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed_rfc = None
    if parsed_rfc is not None:
        return parsed_rfc, True
    return _parse_dateutil(text, dayfirst=dayfirst)


def _from_epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    return datetime.fromtimestamp(seconds, tz=UTC)


_NO_DATE = datetime(1, 1, 1)
_NO_DATE_2 = datetime(2, 2, 2)


def _parse_dateutil(text: str, *, dayfirst: bool) -> tuple[datetime, bool] | None:
    import warnings

    from dateutil import parser as du_parser

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names: parsed as naive
            first = du_parser.parse(text, default=_NO_DATE, dayfirst=dayfirst, tzinfos=_TZINFOS)
            second = du_parser.parse(text, default=_NO_DATE_2, dayfirst=dayfirst, tzinfos=_TZINFOS)
    except (du_parser.ParserError, ValueError, OverflowError, TypeError):
        return None
    # the text must give year, month and day itself: parsing with two different
    # defaults tells a missing component apart
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None
    has_time = (first.hour, first.minute, first.second) != (0, 0, 0) or bool(
        re.search(r"\d:\d\d", text)
    )
    return first, has_time


def _to_utc_timestamp(value: datetime) -> pd.Timestamp:
    if value.tzinfo is None:
        return pd.Timestamp(value).tz_localize("UTC").as_unit("us")
    return pd.Timestamp(value).tz_convert("UTC").as_unit("us")


# --------------------------------------------------------------------------------------
# URL
# --------------------------------------------------------------------------------------

_URL_YMD = re.compile(
    # /2018/3/20/ or /2018/03/20.html: slashes, then a separator or the end
    r"(?<![0-9])((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:[/.?#]|$)"
    # 2018-03-20 or 2018_03_20: two-digit month and day
    r"|(?<![0-9])((?:19|20)\d{2})([-_])(0[1-9]|1[0-2])\5(0[1-9]|[12]\d|3[01])(?![0-9])"
)
_URL_COMPACT = re.compile(
    r"(?<![0-9])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![0-9])"
)


def _url_path(url: str) -> str:
    # drop scheme and host; keep path and query (some sites put ?date=...)
    text = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url.strip(), flags=re.IGNORECASE)
    # archive captures embed the original URL after a 14-digit timestamp
    archived = re.match(r"^/web/\d{14}[a-z_]*/(.*)$", text)
    if archived:
        return _url_path(archived.group(1))
    return text


def _date_from_url(url: str | None) -> date | None:
    if not url or not isinstance(url, str):
        return None
    path = _url_path(url)
    for pattern in (_URL_YMD, _URL_COMPACT):
        for match in pattern.finditer(path):
            parts = [g for g in match.groups() if g and g not in "-_"]
            try:
                return date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                continue
    return None


def date_from_url(url: str | None) -> pd.Timestamp | None:
    """The publication day written in a URL path, as midnight UTC, or None.

    Recognises ``/2018/03/20/``, ``/2018-03-20-title``, ``_2018_03_20`` and the
    compact ``20180320`` when it stands alone (not inside a longer number). The host
    name is ignored, and web-archive capture times are skipped in favour of the
    archived URL.

    Parameters
    ----------
    url : str or None
        The page address.

    Returns
    -------
    pandas.Timestamp or None

    Examples
    --------
    >>> date_from_url("https://example.org/politics/2018/03/20/vote-count/")
    Timestamp('2018-03-20 00:00:00+0000', tz='UTC')
    >>> date_from_url("https://example.org/news/20180320-vote.html")
    Timestamp('2018-03-20 00:00:00+0000', tz='UTC')
    >>> date_from_url("https://example.org/2023/10/3-questions/") is None
    True
    """
    day = _date_from_url(url)
    if day is None:
        return None
    return pd.Timestamp(day.year, day.month, day.day, tz="UTC").as_unit("us")


# --------------------------------------------------------------------------------------
# candidates in a page
# --------------------------------------------------------------------------------------


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
    """

    published: pd.Timestamp | None
    local: datetime | None
    source: str
    has_time: bool = False

    @property
    def day(self) -> date | None:
        """The calendar day the page states (no time-zone conversion)."""
        return None if self.local is None else self.local.date()


_MISSING = DateDetails(None, None, "missing", False)

_ARTICLE_TYPE = re.compile(r"(article|posting|report|blog|review|story|creativework)$", re.I)
_PAGE_TYPE = re.compile(r"(webpage|itempage|page)$", re.I)

# JSON-LD keys, most specific first
_JSONLD_PUBLISHED = ("datePublished", "dateCreated", "uploadDate")
_JSONLD_MODIFIED = ("dateModified",)

_META_PUBLISHED = {
    "article:published_time",
    "article:published",
    "article:publicationdate",
    "article:published_date",
    "article:post_date",
    "article.published",
    "article_date_original",
    "og:article:published_time",
    "og:article:published",
    "og:published_time",
    "og:pubdate",
    "og:publish_date",
    "og:datepublished",
    "datepublished",
    "date_published",
    "datecreated",
    "date_created",
    "dateposted",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "publish_time",
    "published_time",
    "published-date",
    "published_date",
    "publisheddate",
    "publication_date",
    "publicationdate",
    "originalpublicationdate",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "dc.date.issued",
    "dc.date.created",
    "dc.date.publication",
    "dc.created",
    "dcterms.created",
    "dcterms.issued",
    "dcterms.date",
    "dc.date",
    "dc:date",
    "dc:created",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "rnews:datepublished",
    "shareaholic:article_published_time",
    "vr:published_time",
    "bt:pubdate",
    "displaydate",
    "date",
    "created",
}
_META_MODIFIED = {
    "article:modified_time",
    "article:modified",
    "og:updated_time",
    "og:modified_time",
    "datemodified",
    "date_modified",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "lastmodified",
    "modified",
    "revised",
    "updated_time",
}


@dataclass(frozen=True)
class _Candidate:
    value: datetime
    has_time: bool
    source: str
    kind: str  # "published" or "modified"
    rank: int  # lower is better within a source


def _iter_json_nodes(node: Any, depth: int = 0) -> Iterator[tuple[dict[str, Any], int]]:
    if depth > 12:
        return
    if isinstance(node, dict):
        yield node, depth
        for key, child in node.items():
            if isinstance(child, dict | list):
                # "@graph" lists siblings: keep them at the same depth
                yield from _iter_json_nodes(child, depth if key == "@graph" else depth + 1)
    elif isinstance(node, list):
        for child in node:
            yield from _iter_json_nodes(child, depth)


def _node_types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type", "")
    if isinstance(kind, list):
        return [str(k) for k in kind]
    return [str(kind)]


def _load_json(text: str) -> Any:
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:]
    if text.endswith("-->"):
        text = text[:-3]
    text = text.strip().rstrip(";")
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        pass
    # common breakage: trailing commas, raw newlines inside strings
    repaired = re.sub(r",\s*([}\]])", r"\1", text)
    try:
        return json.loads(repaired, strict=False)
    except (ValueError, RecursionError):
        return None


_JSON_KEY_VALUE = re.compile(
    r'"(datePublished|dateCreated|dateModified|uploadDate)"\s*:\s*"([^"]{6,40})"'
)


def _jsonld_candidates(tree: Any) -> list[_Candidate]:
    out: list[_Candidate] = []
    scripts = tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]')
    for order, script in enumerate(scripts):
        text = script.text or ""
        if not text.strip():
            continue
        data = _load_json(text)
        if data is None:
            for match in _JSON_KEY_VALUE.finditer(text):
                parsed = parse_date_string(match[2])
                if parsed is None:
                    continue
                kind = "modified" if match[1] == "dateModified" else "published"
                out.append(_Candidate(parsed[0], parsed[1], "json-ld", kind, 50 + order))
            continue
        for node, depth in _iter_json_nodes(data):
            types = _node_types(node)
            if any(_ARTICLE_TYPE.search(t) for t in types):
                type_rank = 0
            elif any(_PAGE_TYPE.search(t) for t in types):
                type_rank = 1
            else:
                type_rank = 2
            for key in (*_JSONLD_PUBLISHED, *_JSONLD_MODIFIED):
                raw = node.get(key)
                if isinstance(raw, list) and raw:
                    raw = raw[0]
                if not isinstance(raw, str | int | float) or isinstance(raw, bool):
                    continue
                parsed = parse_date_string(raw)
                if parsed is None:
                    continue
                kind = "modified" if key in _JSONLD_MODIFIED else "published"
                key_rank = _JSONLD_PUBLISHED.index(key) if kind == "published" else 0
                rank = depth * 10 + type_rank * 3 + key_rank
                out.append(_Candidate(parsed[0], parsed[1], "json-ld", kind, rank))
    return out


def _meta_candidates(tree: Any) -> list[_Candidate]:
    out: list[_Candidate] = []
    for order, elem in enumerate(tree.iter("meta")):
        content = elem.get("content") or elem.get("datetime")
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (elem.get(attr) or "").strip().lower()
            if not key:
                continue
            if key in _META_PUBLISHED:
                kind = "published"
            elif key in _META_MODIFIED:
                kind = "modified"
            else:
                continue
            parsed = parse_date_string(content)
            if parsed is None:
                break
            # generic names ("date", "created") rank after the explicit ones
            rank = order + (_WEAK_META if key in _GENERIC_META else 0)
            out.append(_Candidate(parsed[0], parsed[1], "meta", kind, rank))
            break
    return out


_WEAK_META = 1000
_GENERIC_META = {"date", "created", "dc.date", "dc:date", "dcterms.date"}

# --------------------------------------------------------------------------------------
# the page's own time zone
# --------------------------------------------------------------------------------------

_ISO_OFFSET = re.compile(r"T\d\d:\d\d(?::\d\d(?:\.\d+)?)?([+-]\d\d:?\d\d)(?!\d)")
_RFC_OFFSET = re.compile(r":\d\d:\d\d ([+-]\d{4})(?!\d)")
_ISO_DAY_BEFORE = re.compile(r"\d{4}-\d\d-\d\d$")


def _page_offset(html: str) -> timezone | None:
    """The most frequent non-zero UTC offset written in the page's timestamps."""
    html = html[:2_000_000]
    counts: dict[str, int] = {}
    for pattern in (_ISO_OFFSET, _RFC_OFFSET):
        for match in pattern.finditer(html):
            if pattern is _ISO_OFFSET and not _ISO_DAY_BEFORE.search(
                html, max(0, match.start() - 10), match.start()
            ):
                continue
            raw = match[1].replace(":", "")
            if raw[1:] == "0000":
                continue
            counts[raw] = counts.get(raw, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda key: (counts[key], key))
    try:
        return _tz_from_text(best)
    except ValueError:
        return None


def _is_utc(value: datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() == timedelta(0)


def _local_days(candidate: _Candidate, page_tz: timezone | None) -> tuple[date, set[date]]:
    """The day the page most likely shows for a candidate, and every day it could show.

    A value stamped in UTC ("Z", "+00:00") says nothing about the publisher's zone:
    its local day may be the day before (the Americas) or after (Asia). When the page
    writes other timestamps with a local offset, that offset decides; otherwise a
    round hour late in the UTC day is taken as local midnight east of Greenwich
    (a date-only value stored as midnight CET/CEST), and any day within UTC-10..+14
    stays possible.
    """
    value = candidate.value
    if not (candidate.has_time and _is_utc(value)):
        return value.date(), {value.date()}
    if page_tz is not None:
        local = value.astimezone(page_tz).date()
        return local, {local}
    if value.minute == 0 and value.second == 0 and value.microsecond == 0 and value.hour >= 20:
        nxt = (value + timedelta(days=1)).date()
        return nxt, {nxt}
    possible = {(value + timedelta(hours=h)).date() for h in (-10, 0, 14)}
    return value.date(), possible


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
_MONTH_WORD = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))
_VISIBLE_DATE = re.compile(
    r"(?<![\d.])(?P<d1>[0-3]?\d)\.\s?(?P<m1>[01]?\d)\.\s?(?P<y1>(?:19|20)\d{2})(?!\d)"
    r"|(?<!\d)(?P<y2>(?:19|20)\d{2})-(?P<m2>[01]\d)-(?P<d2>[0-3]\d)(?!\d)"
    rf"|(?<![\d\w])(?P<d3>[0-3]?\d)(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?(?P<m3>{_MONTH_WORD})\.?,?\s+(?:de\s+)?(?P<y3>(?:19|20)\d{{2}})(?!\d)"
    rf"|(?<![\w])(?P<m4>{_MONTH_WORD})\.?\s+(?P<d4>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y4>(?:19|20)\d{{2}})(?!\d)",
    re.IGNORECASE,
)


def _visible_dates(text: str) -> Iterator[date]:
    for match in _VISIBLE_DATE.finditer(text):
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
                    yield date(int(g[f"y{i}"]), month, int(g[f"d{i}"]))
                except ValueError:
                    pass
                break


_SKIP_TEXT = {"script", "style", "noscript", "template", "button", "option", "select"}


def _text_after(tree: Any, start: Any, limit: int) -> str:
    """Visible text from ``start`` on, in reading order, up to about ``limit`` characters."""
    from lxml import etree

    texts: list[str] = []
    size = 0
    started = False
    skipping = 0
    for event, elem in etree.iterwalk(tree, events=("start", "end")):
        if elem is start and event == "start":
            started = True
        if not started:
            continue
        skip = not isinstance(elem.tag, str) or elem.tag in _SKIP_TEXT
        if event == "start":
            if skip:
                skipping += 1
            elif not skipping and elem.text and elem.text.strip():
                texts.append(elem.text.strip())
                size += len(elem.text)
        else:
            if skip:
                skipping -= 1
            if not skipping and elem.tail and elem.tail.strip():
                texts.append(elem.tail.strip())
                size += len(elem.tail)
        if size > limit:
            break
    return " ".join(texts)


def _headline_day(tree: Any, *, after: int = 400) -> date | None:
    """The first date written in the text that follows the page's main headline."""
    headlines = [h for h in tree.iter("h1") if len(" ".join(h.itertext()).strip()) >= 8]
    if not headlines:
        return None
    for found in _visible_dates(_text_after(tree, headlines[0], after)):
        return found
    return None


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


# --------------------------------------------------------------------------------------
# putting it together
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


def _details(candidate: _Candidate, day: date) -> DateDetails:
    value = candidate.value
    published = _to_utc_timestamp(value)
    if value.date() == day:
        return DateDetails(published, value, candidate.source, candidate.has_time)
    # the page's local day differs from the stamped one: keep the instant, give the day
    return DateDetails(published, datetime(day.year, day.month, day.day), candidate.source, False)


def _day_details(day: date, source: str) -> DateDetails:
    local = datetime(day.year, day.month, day.day)
    return DateDetails(_to_utc_timestamp(local), local, source, False)


def _plausible(value: datetime, latest: datetime) -> bool:
    naive = value.replace(tzinfo=None)
    return _MIN_YEAR <= naive.year and naive <= latest


def _states_day(text: str, day: date) -> bool:
    """Whether the page writes out this very day (not just its year)."""
    if day.isoformat() in text:
        return True
    return any(found == day for found in _visible_dates(text[:2_000_000]))


#: A date written next to the headline but further than this from every other date the
#: page gives is taken for a teaser or sidebar date, not the article's.
_HEADLINE_WINDOW = timedelta(days=30)


def _extract(html: str | bytes, url: str | None, tree: Any) -> DateDetails:
    if isinstance(html, bytes | bytearray):
        text = bytes(html).decode("utf-8", "replace")
    elif isinstance(html, str):
        text = html
    else:
        return _MISSING
    owned = tree is None
    if tree is None:
        tree = _parse_tree(text)
        if tree is None:
            return _MISSING
    elif not text.strip():
        import lxml.html

        text = lxml.html.tostring(tree, encoding="unicode")
    latest = datetime.now() + timedelta(days=1)
    structured = [
        c
        for c in (*_jsonld_candidates(tree), *_meta_candidates(tree))
        if _plausible(c.value, latest)
    ]
    # published before modified, JSON-LD before meta, the article's own node first
    order = {"json-ld": 0, "meta": 1}
    ranked = sorted(structured, key=lambda c: (c.kind != "published", order[c.source], c.rank))
    # the page's own offset is only needed to read UTC stamps: find it once, if at all
    needs_offset = any(c.has_time and _is_utc(c.value) for c in structured)
    page_tz = _page_offset(text) if needs_offset else None

    def supported(day: date) -> _Candidate | None:
        # a candidate stating that very day first, then one whose UTC stamp allows it
        for exact in (True, False):
            for candidate in ranked:
                local, possible = _local_days(candidate, page_tz)
                if (local == day) if exact else (day in possible):
                    return candidate
        return None

    # 1. the day a reader sees under the headline, when the structured data agrees
    headline_day = _headline_day(tree)
    if headline_day is not None and not (
        headline_day.year < _MIN_YEAR or headline_day > latest.date()
    ):
        candidate = supported(headline_day)
        if candidate is not None:
            return _details(candidate, headline_day)
    else:
        headline_day = None

    # 2. the day in the URL path (rarely wrong), with the time from structured data
    url_day = _date_from_url(url or _page_url(tree))
    if url_day is not None:
        candidate = supported(url_day)
        if candidate is not None:
            return _details(candidate, url_day)
        return _day_details(url_day, "url")

    # 3. htmldate's search of the markup and visible text (modifies the tree: copy it)
    from copy import deepcopy

    work_tree = tree if owned else deepcopy(tree)
    found_day, found_source = _htmldate_search(work_tree)
    if found_day is not None and found_source == "meta":
        support = [c for c in ranked if found_day in _local_days(c, page_tz)[1]]
        if all(c.rank >= _WEAK_META for c in support):
            # only a generic <meta name="date"> says so (often the last edit or the
            # crawl): the date written in the page itself wins when there is one
            # (the header step leaves the tree untouched, so it can be searched again)
            markup_day, markup_source = _htmldate_search(work_tree, skip_header=True)
            if markup_day is not None:
                found_day, found_source = markup_day, markup_source
    if (
        found_day is not None
        and found_source == "text"
        and (found_day.month, found_day.day) == (1, 1)
        and not _states_day(text, found_day)
    ):
        # htmldate's last resort turns a bare year (often a copyright line) into 1 January
        found_day = None
    if (
        headline_day is not None
        and found_day is not None
        and headline_day != found_day
        and abs(headline_day - found_day) <= _HEADLINE_WINDOW
    ):
        return _day_details(headline_day, "html")
    if found_day is not None:
        candidate = supported(found_day)
        if candidate is not None:
            return _details(candidate, found_day)

    # 4. structured data alone, then whatever was found
    published = [
        c for c in ranked if c.kind == "published" and (found_day is None or c.rank < _WEAK_META)
    ]
    if published:
        return _details(published[0], _local_days(published[0], page_tz)[0])
    if found_day is not None:
        return _day_details(found_day, found_source)
    if headline_day is not None:
        return _day_details(headline_day, "html")
    return _MISSING


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
        return _extract(html, url, tree)
    except Exception:  # a date is never worth a crash: report it missing
        return _MISSING


def extract_date(
    html: str | bytes, *, url: str | None = None, tree: HtmlElement | None = None
) -> tuple[pd.Timestamp | None, str]:
    """The publication date-time of a saved page, in UTC, and where it was found.

    Looks at JSON-LD (``datePublished``, ``dateCreated``), ``<meta>`` tags
    (``article:published_time``, Open Graph, Dublin Core, Parse.ly, Sailthru and
    more), the date under the headline, the URL and the rest of the markup and
    visible text (through htmldate's extensive search), and returns the day the page
    shows as its date, which is the first publication unless the page shows an update
    instead. A time with an offset is converted to UTC; a date without a time becomes
    midnight UTC of that day, so its calendar day is kept. Never uses the network and
    never raises.

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


# --------------------------------------------------------------------------------------
# a column of dates from a table or sidecar metadata
# --------------------------------------------------------------------------------------

_COMPACT_NUMBER = re.compile(r"^(\d{8}|\d{14})$")


def _parse_cell(value: object) -> tuple[datetime | None, str | None]:
    """One cell -> (date-time, None) or (None, reason)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None, "missing"
    if isinstance(value, float) and value != value:
        return None, "missing"
    if isinstance(value, str) and not value.strip():
        return None, "missing"
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = f"{value:.0f}" if float(value).is_integer() else ""
        if _COMPACT_NUMBER.match(number):  # GDELT-style 20180320 or 20180320101500
            value = number
    parsed = parse_date_string(value)
    if parsed is None:
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        return None, f"unparseable: {shown}"
    return parsed[0], None


def normalize_published(
    values: pd.Series | Iterable[object], *, now: object = None
) -> tuple[pd.Series, pd.Series]:
    """Parse publication dates written in many formats to UTC timestamps, with reasons.

    Accepts ISO 8601 ("2018-03-20", "2018-03-20T10:15:00-04:00"), RFC 2822
    ("Tue, 20 Mar 2018 10:15:00 +0000"), written dates ("March 20, 2018",
    "20 March 2018"), epoch seconds or milliseconds, GDELT ("20180320T101500Z",
    20180320101500) and Media Cloud ("2018-03-20 10:15:00") stamps, and datetime
    objects. Values without an offset are taken as UTC. A value that cannot be used
    becomes NaT, and the second series says why: ``"missing"``, ``"unparseable:
    <value>"``, ``"in the future"`` (more than a day after ``now``) or
    ``"before 1900"``.

    Parameters
    ----------
    values : Series or iterable
        The dates; the index of a Series is kept.
    now : datetime-like, optional
        Reference time for the "in the future" check; the current time if omitted.

    Returns
    -------
    published : Series
        ``datetime64[us, UTC]``, NaT where a value was refused.
    reasons : Series
        String dtype, NA where the value was used, else the reason it was not.

    Examples
    --------
    >>> published, reasons = normalize_published(
    ...     ["2018-03-20T10:15:00-04:00", "March 20, 2018", "20180320T101500Z",
    ...      1521541800, "2999-01-01", "1850-06-01", "soon"],
    ...     now="2024-01-01",
    ... )
    >>> published
    0   2018-03-20 14:15:00+00:00
    1   2018-03-20 00:00:00+00:00
    2   2018-03-20 10:15:00+00:00
    3   2018-03-20 10:30:00+00:00
    4                         NaT
    5                         NaT
    6                         NaT
    dtype: datetime64[us, UTC]
    >>> reasons.tolist()
    [<NA>, <NA>, <NA>, <NA>, 'in the future', 'before 1900', "unparseable: 'soon'"]
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if now is None:
        reference = pd.Timestamp.now(tz="UTC")
    else:
        try:
            reference = pd.Timestamp(now)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"normalize_published: 'now' must be a date-time, got {now!r}. "
                "Pass a pandas.Timestamp, a datetime or an ISO 8601 string, or leave it out."
            ) from error
        if pd.isna(reference):
            raise ValueError(
                f"normalize_published: 'now' must be a date-time, got {now!r}. "
                "Pass a pandas.Timestamp, a datetime or an ISO 8601 string, or leave it out."
            )
        reference = (
            reference.tz_localize("UTC")
            if reference.tzinfo is None
            else reference.tz_convert("UTC")
        )
    latest = reference + pd.Timedelta(days=1)
    earliest = pd.Timestamp(_MIN_YEAR, 1, 1, tz="UTC")

    values = pd.Series(series.tolist(), dtype=object).to_numpy()
    published = pd.Series(pd.NaT, index=range(len(values)), dtype="datetime64[us, UTC]")
    reasons = np.full(len(values), None, dtype=object)
    done = _normalize_iso_fast(values, earliest, latest, published, reasons)

    # everything else value by value, each distinct value parsed once
    cache: dict[object, tuple[pd.Timestamp | None, str | None]] = {}
    rest_positions: list[int] = []
    rest_stamps: list[pd.Timestamp] = []
    for position in np.flatnonzero(~done):
        value = values[position]
        try:
            key: object = (type(value), value)
            hash(key)
        except TypeError:
            key = None
        if key is not None and key in cache:
            stamp, reason = cache[key]
        else:
            stamp, reason = _normalize_one(value, earliest, latest)
            if key is not None:
                cache[key] = (stamp, reason)
        reasons[position] = reason
        if stamp is not None:
            rest_positions.append(int(position))
            rest_stamps.append(stamp)
    if rest_positions:
        published.iloc[rest_positions] = pd.DatetimeIndex(rest_stamps).as_unit("us")
    published.index = series.index
    reason_series = pd.Series(reasons, index=series.index, dtype=pd.StringDtype())
    return published, reason_series


_ISO_FAST = (
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)


_GDELT_FAST = r"^\d{8}T?\d{6}Z?$"


def _normalize_iso_fast(
    values: np.ndarray,
    earliest: pd.Timestamp,
    latest: pd.Timestamp,
    published: pd.Series,
    reasons: np.ndarray,
) -> np.ndarray:
    """Parse the plain ISO 8601 strings of a column in one vectorised pass.

    Fills ``published`` and ``reasons`` for those values and returns a mask of the
    positions it settled; the others go through the value-by-value parser.
    """
    done = np.zeros(len(values), dtype=bool)
    is_text = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))
    if is_text.sum() < 64:  # not worth the set-up
        return done
    text = pd.Series(values[is_text], index=np.flatnonzero(is_text), dtype=pd.StringDtype())
    iso = text[text.str.match(_ISO_FAST).fillna(False).astype(bool)]
    # GDELT's compact stamps, "20180320T101500Z" or "20180320101500" (UTC)
    compact = text[text.str.match(_GDELT_FAST).fillna(False).astype(bool)]
    if iso.empty and compact.empty:
        return done
    parts = [
        pd.to_datetime(iso, format="ISO8601", utc=True, errors="coerce"),
        pd.to_datetime(
            compact.str.replace(r"[TZ]", "", regex=True),
            format="%Y%m%d%H%M%S",
            utc=True,
            errors="coerce",
        ),
    ]
    parsed = pd.concat([part for part in parts if not part.empty]).dropna()
    parsed = parsed.dt.as_unit("us")
    positions = parsed.index.to_numpy()
    done[positions] = True
    early = (parsed < earliest).to_numpy()
    late = (parsed > latest).to_numpy()
    reasons[positions[early]] = "before 1900"
    reasons[positions[late]] = "in the future"
    good = ~(early | late)
    published.iloc[positions[good]] = parsed.array[good]
    return done


def _normalize_one(
    value: object, earliest: pd.Timestamp, latest: pd.Timestamp
) -> tuple[pd.Timestamp | None, str | None]:
    parsed, reason = _parse_cell(value)
    if parsed is None:
        return None, reason
    if parsed.replace(tzinfo=None).year < _MIN_YEAR:
        return None, "before 1900"
    try:
        stamp = _to_utc_timestamp(parsed)
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None, f"unparseable: {value!r}"[:80]
    if stamp < earliest:
        return None, "before 1900"
    if stamp > latest:
        return None, "in the future"
    return stamp, None
