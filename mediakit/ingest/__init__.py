"""Sources -> article frame: raw text, saved HTML, exported tables and the web.

Submodules: ``load`` (load_articles and the ingest report), ``text`` (clean_text,
clean_texts), ``html`` (parse_html), ``dates``, ``tables``, ``dedup``, ``io``
(save_articles, read_articles) and ``web`` (fetch_articles, discover_urls). Names
are resolved lazily so that importing mediakit does not import the extractors.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "load_articles": "mediakit.ingest.load",
    "clean_text": "mediakit.ingest.text",
    "clean_texts": "mediakit.ingest.text",
    "parse_html": "mediakit.ingest.html",
    "save_articles": "mediakit.ingest.io",
    "read_articles": "mediakit.ingest.io",
    "fetch_articles": "mediakit.ingest.web",
    "discover_urls": "mediakit.ingest.web",
    "find_duplicates": "mediakit.ingest.dedup",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mediakit.ingest' has no attribute {name!r}")
