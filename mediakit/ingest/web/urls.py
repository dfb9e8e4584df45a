"""URLs, content types and body kinds, as the fetcher judges them.

Examples
--------
>>> host_key("https://user:pw@Example.org/a")
'https://example.org:443'
>>> non_html_reason(b"%PDF-1.7 ...")
'the body is a PDF document, not HTML'
"""

from __future__ import annotations

import email.utils
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from mediakit.ingest._values import _hash_id
from mediakit.ingest._values import canonical_url as _canonical


def canonical_url(url: str) -> str:
    """``url`` in the form that keys the cache and the article id (the loader's form).

    Examples
    --------
    >>> canonical_url("https://ann:secret@Example.org:443/a#top")
    'https://example.org/a'
    """
    return _canonical(url) or url


# the first bytes of documents that are not web pages, whatever the server calls them
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%!PS", "a PostScript document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "a program"),
    (b"OggS", "an audio or video file"),
    (b"ID3", "an MP3 file"),
    (b"{\\rtf", "an RTF document"),
)


def invalid_url_reason(url: object) -> str | None:
    """Why ``url`` cannot be fetched (None when it can).

    Examples
    --------
    >>> invalid_url_reason("https://example.org/a") is None
    True
    >>> invalid_url_reason("ftp://example.org/a")
    "scheme 'ftp' is not http or https"
    """
    if not isinstance(url, str) or not url.strip():
        return "empty URL"
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        return f"malformed URL ({error})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"scheme {parts.scheme!r} is not http or https" if parts.scheme else "no scheme"
    if not parts.hostname:
        return "no host name"
    if not parts.hostname.startswith("[") and ":" not in parts.hostname:
        try:
            parts.hostname.encode("idna")
        except UnicodeError:
            return f"host name {parts.hostname!r} is not valid (empty or over-long label)"
    if port == 0:
        return "port 0"
    if any(c.isspace() for c in url.strip()):
        return "URL contains white space"
    return None


def strip_credentials(url: str) -> str:
    """``url`` without a ``user:password@`` part: URLs are stored, passwords must not be.

    Examples
    --------
    >>> strip_credentials("https://ann:secret@example.org/a?b=1")
    'https://example.org/a?b=1'
    >>> strip_credentials("not a url")
    'not a url'
    """
    if not isinstance(url, str) or "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def url_id(url: str) -> str:
    """The article id of the page at ``url``: the hash load_articles gives a URL.

    Examples
    --------
    >>> url_id("https://example.org/a") == url_id("https://EXAMPLE.org/a#comments")
    True
    >>> import pandas as pd, mediakit as mk
    >>> table = pd.DataFrame({"url": ["https://example.org/a"], "text": ["Some text."]})
    >>> mk.load_articles(table, progress=False)["article_id"].iloc[0] == url_id("https://example.org/a")
    True
    """
    return _hash_id("url", canonical_url(url))


def host_key(url: str) -> str:
    """The host a URL belongs to for rate limiting: scheme://host:port.

    Examples
    --------
    >>> host_key("https://example.org/a"), host_key("http://127.0.0.1:8001/b")
    ('https://example.org:443', 'http://127.0.0.1:8001')
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    Examples
    --------
    >>> parse_retry_after("3")
    3.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0)
    10.0
    >>> parse_retry_after("soon") is None
    True
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def is_html_type(content_type: str | None) -> bool:
    """True for HTML content types (and when the server gave none)."""
    if not content_type:
        return True
    media = content_type.split(";")[0].strip().lower()
    return media in ("text/html", "application/xhtml+xml", "application/html", "text/xhtml")


def is_feed_type(content_type: str | None) -> bool:
    """True for types a feed, a sitemap or a site's home page may be served as."""
    if not content_type:
        return True
    media = content_type.split(";")[0].strip().lower()
    return (
        is_html_type(media)
        or media.endswith("xml")
        or media.endswith("+xml")
        or media in ("text/plain", "application/gzip", "application/x-gzip")
        or media in ("application/octet-stream", "application/json", "application/feed+json")
    )


def non_html_reason(body: bytes) -> str | None:
    """Why ``body`` is not a web page, by its first bytes (None when it may be one).

    Servers label downloads ``text/html`` by mistake; a PDF parsed as HTML would give an
    empty or garbled article instead of a clear status.

    Examples
    --------
    >>> non_html_reason(b"<!DOCTYPE html><p>Hi</p>") is None
    True
    >>> non_html_reason(b"\\x89PNG\\r\\n\\x1a\\n...")
    'the body is a PNG image, not HTML'
    """
    head = body[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return f"the body is {kind}, not HTML"
    if head[4:8] == b"ftyp":
        return "the body is an audio or video file, not HTML"
    return None
