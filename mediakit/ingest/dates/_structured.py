"""Structured dates in a page: JSON-LD, ``<meta>`` tags, and the page's own offset."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from mediakit.ingest.dates._parse import _tz_from_text, parse_date_string

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
    #: 0: an article's own node or an explicit publication tag; 1: another JSON-LD node;
    #: 2: a generic tag ("date", "created") or a value read from broken JSON
    tier: int = 0


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
                out.append(_Candidate(parsed[0], parsed[1], "json-ld", kind, 50 + order, 1))
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
                tier = 0 if type_rank == 0 else 1
                out.append(_Candidate(parsed[0], parsed[1], "json-ld", kind, rank, tier))
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
            weak = key in _GENERIC_META
            rank = order + (_WEAK_META if weak else 0)
            out.append(_Candidate(parsed[0], parsed[1], "meta", kind, rank, 2 if weak else 0))
            break
    return out


def _markup_candidates(tree: Any) -> list[_Candidate]:
    """``<time pubdate>`` and microdata ``itemprop="datePublished"`` outside ``<meta>``."""
    out: list[_Candidate] = []
    found = tree.xpath(
        "//time[@pubdate]|//*[@itemprop='datePublished' or @itemprop='dateModified']"
        "[not(self::meta)]"
    )
    if len(found) > 2:  # a list of teasers, each with its own date: none is the page's
        return out
    for order, elem in enumerate(found):
        kind = "modified" if elem.get("itemprop") == "dateModified" else "published"
        raw = elem.get("datetime") or elem.get("content") or elem.text_content()
        parsed = parse_date_string((raw or "").strip()[:80])
        if parsed is not None:
            out.append(_Candidate(parsed[0], parsed[1], "html", kind, order, 0))
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
