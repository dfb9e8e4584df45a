"""``discover_urls``: article URLs and dates from RSS/Atom feeds and sitemaps."""

from __future__ import annotations

import calendar
import io
import re
import warnings
import zlib
from collections import deque
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

import pandas as pd

from mediakit.ingest.web._net import Resolver
from mediakit.ingest.web.fetcher import DEFAULT_USER_AGENT, PoliteFetcher
from mediakit.ingest.web.urls import canonical_url, host_key, invalid_url_reason, is_feed_type
from mediakit.schema import STRING, to_utc

DISCOVER_COLUMNS = ("url", "published", "title", "source")
_FEED_LINK = re.compile(
    r"<link\b[^>]*\btype\s*=\s*[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.I
)
_HREF = re.compile(r"\bhref\s*=\s*[\"']([^\"']+)[\"']", re.I)


_MAX_XML_BYTES = 50_000_000


def _unzip(body: bytes, *, max_bytes: int = _MAX_XML_BYTES) -> bytes:
    """``body`` inflated when it is gzip-compressed (a ``.xml.gz`` sitemap), in steps of
    1 MiB, stopping with a ValueError once it exceeds ``max_bytes``: a small file may
    inflate a thousandfold, and only the limit keeps that out of memory.

    Examples
    --------
    >>> import gzip
    >>> _unzip(gzip.compress(b"<urlset/>"))
    b'<urlset/>'
    >>> _unzip(gzip.compress(bytes(5000)), max_bytes=4096)
    Traceback (most recent call last):
    ...
    ValueError: the gzip-compressed body inflates to more than max_bytes=4096 bytes...
    """
    if body[:2] != b"\x1f\x8b":
        return body
    parts: list[bytes] = []
    size = 0
    data = body
    while data[:2] == b"\x1f\x8b":  # gzip members may follow one another
        inflater = zlib.decompressobj(wbits=31)
        try:
            while data and not inflater.eof:
                chunk = inflater.decompress(data, 1 << 20)
                size += len(chunk)
                if size > max_bytes:
                    raise ValueError(
                        f"the gzip-compressed body inflates to more than max_bytes={max_bytes} "
                        "bytes; stopped (raise max_bytes if the file is genuine)"
                    )
                parts.append(chunk)
                data = inflater.unconsumed_tail
        except zlib.error:
            return b"".join(parts) if parts else body  # damaged: keep what inflated
        data = inflater.unused_data if inflater.eof else b""
    return b"".join(parts)


def _root_name(body: bytes) -> str | None:
    """The local name of the XML root element (None when ``body`` is not XML)."""
    from lxml import etree

    if body.lstrip()[:1] not in (b"<", b"\xef"):
        return None
    try:
        for _, element in etree.iterparse(
            io.BytesIO(body), events=("start",), resolve_entities=False, no_network=True
        ):
            return str(etree.QName(element).localname)
    except etree.XMLSyntaxError:
        return None
    return None


def _text(element: Any, name: str) -> str | None:
    for child in element.iter():
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == name:
            return (child.text or "").strip() or None
    return None


def parse_sitemap(body: bytes, *, source: str) -> tuple[list[dict[str, Any]], list[dict]]:
    """Entries of a sitemap: (pages, child sitemaps), each a list of dicts.

    Pages carry ``url``, ``published`` (the Google News ``publication_date``, else
    ``lastmod``) and ``title`` (``news:title``); child sitemaps carry ``url`` and
    ``lastmod``.

    Examples
    --------
    >>> xml = b'''<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    ... <url><loc>https://example.org/a</loc><lastmod>2018-03-01</lastmod></url></urlset>'''
    >>> pages, children = parse_sitemap(xml, source="https://example.org/sitemap.xml")
    >>> pages[0]["url"], pages[0]["published"], children
    ('https://example.org/a', '2018-03-01', [])
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, recover=True)
    root = etree.fromstring(_unzip(body), parser=parser)
    pages: list[dict[str, Any]] = []
    children: list[dict[str, Any]] = []
    if root is None:
        return pages, children
    for element in root:
        if not isinstance(element.tag, str):
            continue
        name = element.tag.rsplit("}", 1)[-1]
        loc = _join(source, _text(element, "loc"))
        if not loc:
            continue
        if name == "sitemap":
            children.append({"url": loc, "lastmod": _text(element, "lastmod")})
        elif name == "url":
            published = _text(element, "publication_date") or _text(element, "lastmod")
            pages.append({"url": loc, "published": published, "title": _text(element, "title")})
    return pages, children


def parse_feed(body: bytes, *, source: str, content_type: str | None = None) -> list[dict]:
    """Entries of an RSS or Atom feed as dicts with ``url``, ``published`` and ``title``.

    The date is the entry's published date, else its updated date.

    Examples
    --------
    >>> rss = b'''<rss version="2.0"><channel><title>T</title><item><title>A story</title>
    ... <link>https://example.org/a</link><pubDate>Tue, 06 Mar 2018 14:05:00 GMT</pubDate>
    ... </item></channel></rss>'''
    >>> parse_feed(rss, source="https://example.org/feed")
    [{'url': 'https://example.org/a', 'published': '2018-03-06T14:05:00+00:00', 'title': 'A story'}]
    """
    import feedparser

    headers = {"content-location": source}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(_unzip(body), response_headers=headers)
    out = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = None
        if stamp is not None:
            published = pd.Timestamp(calendar.timegm(stamp), unit="s", tz="UTC").isoformat()
        title = entry.get("title")
        url = _join(source, link)
        if url:
            out.append({"url": url, "published": published, "title": title or None})
    return out


def _feed_links(html: bytes, base: str) -> list[str]:
    text = html[:500_000].decode("utf-8", errors="replace")
    links = []
    for tag in _FEED_LINK.findall(text):
        href = _HREF.search(tag)
        link = _join(base, href.group(1).replace("&amp;", "&")) if href else None
        if link and "alternate" in tag.lower():
            links.append(link)
    return links


def _join(base: str, link: str | None) -> str | None:
    """``link`` resolved against ``base``; None for a malformed one (``http://[::1``)."""
    if not link:
        return None
    try:
        return urljoin(base, link)
    except ValueError:
        return None


def _bound(value: object, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    stamp = to_utc(pd.Series([value])).iloc[0]
    if pd.isna(stamp):
        raise ValueError(
            f"{name} must be a date or timestamp (e.g. '2018-03-01' or a pandas Timestamp), "
            f"got {value!r}, which could not be parsed."
        )
    return stamp


def discover_urls(
    site_or_feed: str | Iterable[str],
    *,
    since: object = None,
    until: object = None,
    keep_undated: bool = False,
    max_sitemaps: int = 500,
    rate_limit: float | None = 1.0,
    timeout: float | tuple[float, float] = (10.0, 30.0),
    retries: int = 3,
    respect_robots: bool = True,
    user_agent: str = DEFAULT_USER_AGENT,
    max_bytes: int = _MAX_XML_BYTES,
    backoff_factor: float = 1.0,
    resolver: Resolver | None = None,
) -> pd.DataFrame:
    """Article URLs with their dates from RSS/Atom feeds and sitemaps.

    Parameters
    ----------
    site_or_feed : str or list of str
        A feed URL (RSS or Atom), a sitemap or sitemap index URL (``.xml`` or
        ``.xml.gz``), or a site's home page: then the feeds it links to
        (``<link rel="alternate">``) and the sitemaps named in its robots.txt (else
        ``/sitemap.xml``) are read.
    since, until : date-like, optional
        Keep entries published at or after ``since`` and strictly before ``until``
        (naive values are UTC), so ``until="2018-04-01"`` keeps all of March. Child
        sitemaps whose ``lastmod`` is before ``since`` are not downloaded.
    keep_undated : bool, default False
        With a date window, also keep entries that carry no date.
    max_sitemaps : int, default 500
        Stop following a sitemap index after this many sitemaps (a warning says so).
    rate_limit, timeout, retries, respect_robots, user_agent, backoff_factor, resolver
        As in :func:`fetch_articles`: every request goes through the same polite
        fetcher. Feeds are always downloaded afresh (they change). A feed or sitemap
        listed by a public host that leads into the local network (loopback,
        link-local or private addresses) is refused with a warning.
    max_bytes : int, default 50_000_000
        The largest feed or sitemap, downloaded and once inflated (``.xml.gz``).

    Returns
    -------
    DataFrame
        ``url, published, title, source`` (the feed or sitemap the URL came from), one
        row per distinct URL, in document order. ``published`` is UTC: the entry's
        publication date, else its update date or sitemap ``lastmod``.

    Raises
    ------
    ValueError
        When a starting URL is invalid, cannot be fetched, or is neither a feed, a
        sitemap nor an HTML page.

    See Also
    --------
    fetch_articles : download the pages found.

    Examples
    --------
    >>> import mediakit as mk
    >>> mk.discover_urls("file:///tmp/feed.xml")
    Traceback (most recent call last):
    ...
    ValueError: site_or_feed must be http(s) URLs; 'file:///tmp/feed.xml' is invalid ...
    """
    starts = [site_or_feed] if isinstance(site_or_feed, str) else list(site_or_feed)
    for url in starts:
        reason = invalid_url_reason(url)
        if reason is not None:
            raise ValueError(
                f"site_or_feed must be http(s) URLs; {url!r} is invalid ({reason}). "
                "Pass a feed, sitemap or home page URL such as 'https://example.org/feed'."
            )
    low, high = _bound(since, "since"), _bound(until, "until")
    fetcher = PoliteFetcher(
        rate_limit=rate_limit,
        timeout=timeout,
        retries=retries,
        respect_robots=respect_robots,
        user_agent=user_agent,
        max_bytes=max_bytes,
        backoff_factor=backoff_factor,
        accept=is_feed_type,
        resolver=resolver,
    )
    session = fetcher.session()
    entries: list[dict[str, Any]] = []
    # (URL, given by the user, may be a home page, the page that listed it and its address)
    todo: deque[tuple[str, bool, bool, tuple[str, str | None] | None]] = deque(
        (url.strip(), True, True, None) for url in starts
    )
    seen: set[str] = set()
    sitemaps = 0
    try:
        while todo:
            url, top, may_be_site, referrer = todo.popleft()
            if canonical_url(url) in seen:
                continue
            seen.add(canonical_url(url))
            response = fetcher.fetch(url, session, referrer=referrer)
            if response.status != "ok" or response.content is None:
                _fail(f"{url} could not be fetched: {response.status} {response.reason}", top)
                continue
            try:
                body = _unzip(response.content, max_bytes=max_bytes)
            except ValueError as error:
                _fail(f"{url} could not be read: {error}", top)
                continue
            root = _root_name(body)
            source = response.final_url or url
            listed_by = (source, response.address)
            if root in ("rss", "feed", "RDF"):
                entries += [
                    {**e, "source": url}
                    for e in parse_feed(body, source=source, content_type=response.content_type)
                ]
            elif root in ("urlset", "sitemapindex"):
                sitemaps += 1
                pages, children = parse_sitemap(body, source=source)
                entries += [{**e, "source": url} for e in pages]
                for child in children:
                    lastmod = to_utc(pd.Series([child["lastmod"]])).iloc[0]
                    if low is not None and pd.notna(lastmod) and lastmod < low:
                        continue
                    if sitemaps + len(todo) >= max_sitemaps:
                        warnings.warn(
                            f"Stopped following the sitemap index {url} after "
                            f"max_sitemaps={max_sitemaps} sitemaps; raise max_sitemaps to "
                            "read them all.",
                            stacklevel=2,
                        )
                        break
                    todo.append((child["url"], False, False, listed_by))
            elif may_be_site and (root is None or root.lower() == "html"):
                todo.extend((link, False, False, listed_by) for link in _feed_links(body, source))
                maps = _site_maps(fetcher, source, session)
                todo.extend((m, False, False, listed_by) for m in maps)
            else:
                _fail(f"{url} is neither an RSS/Atom feed nor a sitemap (root {root!r})", top)
    finally:
        session.close()
        fetcher.close()
    return _discovered_frame(entries, low, high, keep_undated)


def _site_maps(fetcher: PoliteFetcher, url: str, session: Any) -> list[str]:
    host = fetcher.host(host_key(url))
    with host.robots_lock:
        if host.robots is None:
            fetcher._load_robots(host, session)
    listed = host.robots.site_maps() if host.robots is not None else None
    return list(listed) if listed else [host_key(url) + "/sitemap.xml"]


def _fail(message: str, top: bool) -> None:
    if top:
        raise ValueError(
            f"site_or_feed: {message}. Check the URL in a browser, or pass the feed or "
            "sitemap URL directly."
        )
    warnings.warn(message, stacklevel=3)


def _discovered_frame(
    entries: list[dict[str, Any]],
    low: pd.Timestamp | None,
    high: pd.Timestamp | None,
    keep_undated: bool,
) -> pd.DataFrame:
    frame = pd.DataFrame(entries, columns=list(DISCOVER_COLUMNS))
    frame["published"] = to_utc(frame["published"])
    for name in ("url", "title", "source"):
        frame[name] = frame[name].astype("object").where(frame[name].notna(), None)
        frame[name] = frame[name].astype(STRING)
    inside = pd.Series(True, index=frame.index)
    if low is not None:
        inside &= frame["published"] >= low
    if high is not None:
        inside &= frame["published"] < high
    if low is not None or high is not None:
        inside = inside.fillna(False) | (keep_undated & frame["published"].isna())
    frame = frame[inside.astype(bool)]
    canonical = frame["url"].map(canonical_url)
    frame = frame[~canonical.duplicated()]
    return frame.reset_index(drop=True)
