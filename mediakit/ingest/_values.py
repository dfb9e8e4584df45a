"""Values load_articles computes for every row: canonical URLs, hashed ids, clean strings."""

from __future__ import annotations

from hashlib import blake2b
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import pandas as pd

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


# --------------------------------------------------------------------------------------
# identifiers and URLs
# --------------------------------------------------------------------------------------


def canonical_url(url: object) -> str | None:
    """A URL in the form that keys articles: the same page, the same string.

    Scheme and host lower-cased, the default port, the fragment, tracking parameters and
    credentials (``user:password@``, never stored) dropped. Loaded exports and fetched
    pages both use it, so one URL gets one ``article_id`` whichever way it came in.

    Examples
    --------
    >>> canonical_url("HTTPS://News.Example.com/a/b?utm_source=x&id=3#top")
    'https://news.example.com/a/b?id=3'
    >>> canonical_url("HTTPS://Example.ORG:443/News/Story?id=7&utm_source=x#top")
    'https://example.org/News/Story?id=7'
    >>> canonical_url("https://ann:Secret@example.org/a")
    'https://example.org/a'
    """
    if not isinstance(url, str) or not url.strip():
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    if not parts.scheme or not parts.netloc:
        return text
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]
    netloc = parts.netloc.rpartition("@")[2].lower()
    for scheme, port in (("http", ":80"), ("https", ":443")):
        if parts.scheme.lower() == scheme and netloc.endswith(port):
            netloc = netloc[: -len(port)]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def _hash_id(*parts: object) -> str:
    joined = "\n".join("" if p is None or p is pd.NA else str(p) for p in parts)
    return blake2b(joined.encode("utf-8"), digest_size=8).hexdigest()


def _string_or_none(value: object) -> str | None:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    text = str(value).strip()
    return text or None


def _joined(value: object) -> str | None:
    """Authors as one string: a list (JSON exports) is "; "-joined."""
    if isinstance(value, list | tuple | np.ndarray):
        names = [_string_or_none(v) for v in value]
        return "; ".join(n for n in names if n) or None
    return _string_or_none(value)
