"""The analyses on Dask, for corpora larger than one machine's memory (names kept for old code).

Every analysis takes a dask frame (or ``client=``) where it takes a pandas one, and
gives the same result: it is written once, as steps over partitions, and the executor
is chosen from the input (:mod:`mediakit._compute`). Save a corpus as a monthly Parquet
dataset with :func:`save_articles` (``partition_by="month"``) and read it back lazily
with :func:`read_articles` (``engine="dask"``). Install the extra with
``pip install "mediakit[scale]"``; mediakit itself does not need Dask.
"""

from __future__ import annotations

from mediakit._compute import get_client, is_dask
from mediakit.ingest.io import read_articles, save_articles
from mediakit.ingest.load import load_articles
from mediakit.terms import keyness, term_frequencies
from mediakit.timeline import coverage

__all__ = [
    "coverage",
    "get_client",
    "is_dask",
    "keyness",
    "load_articles",
    "read_articles",
    "save_articles",
    "term_frequencies",
]
