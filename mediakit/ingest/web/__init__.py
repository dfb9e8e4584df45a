"""Collect articles from the web: polite, cached and resumable.

- :func:`fetch_articles` — URLs -> article frame (+ a report with one row per URL);
- :func:`discover_urls` — article URLs and dates from RSS/Atom feeds and sitemaps.

Both go through one polite fetcher (:mod:`mediakit.ingest.web.fetcher`): robots.txt,
a rate limit per host, Retry-After, backoff, timeouts and a size limit. Responses
are kept in an on-disk cache (:mod:`mediakit.ingest.web.cache`).
"""

from __future__ import annotations

from mediakit.ingest.web.discover import discover_urls
from mediakit.ingest.web.fetch import fetch_articles

__all__ = ["discover_urls", "fetch_articles"]
