"""Publication dates: from a saved page, from its URL, or from a column of strings.

Three entry points:

- :func:`extract_date` finds when a page was first published, as a UTC
  :class:`pandas.Timestamp`, and says where it found it (``date_source``).
  :func:`extract_date_details` returns the same plus the date-time exactly as the
  page states it (its own offset kept), which is what to compare with a page's
  visible calendar day, and the last modification when the page gives one.
- :func:`date_from_url` reads ``/2018/03/20/`` or ``20180320`` in a URL path.
- :func:`normalize_published` turns a column of dates written in many formats into
  UTC timestamps, with a reason for each value it had to refuse. The order of day and
  month, the century of two-digit years and the unit of epoch numbers are decided
  once per column, from the column's own values.

The page search gathers the structured dates (JSON-LD ``datePublished`` /
``dateCreated`` / ``dateModified`` and ``<meta>`` publication tags), the date
written next to the headline, the day in the URL path and htmldate's search of the
markup and visible text, then decides (see :mod:`mediakit.ingest.dates._page`): a
structured publication date wins unless the page gives evidence against it, and a
date the page marks as an update is a modification, not the publication. Nothing
here touches the network, and no function raises on malformed input: a page
without a usable date gives ``(None, "missing")``.
"""

from __future__ import annotations

from mediakit.ingest.dates._page import (
    PAGE_DATE_SOURCES,
    DateDetails,
    extract_date,
    extract_date_details,
)
from mediakit.ingest.dates._parse import date_from_url, parse_date_string
from mediakit.ingest.dates._table import normalize_published

__all__ = [
    "PAGE_DATE_SOURCES",
    "DateDetails",
    "date_from_url",
    "extract_date",
    "extract_date_details",
    "normalize_published",
    "parse_date_string",
]
