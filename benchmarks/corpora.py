"""Large synthetic-but-real corpora for speed and memory benchmarks.

``recombined_allsides(n)`` builds ``n`` articles whose texts all differ, each made of
paragraphs drawn from the real AllSides 2018 corpus, with outlets, leans and dates
spread as in the source. Deterministic for a given ``seed``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mediakit import datasets
from mediakit.schema import as_articles


def recombined_allsides(
    n: int, *, seed: int = 0, paragraphs: tuple[int, int] = (5, 15)
) -> pd.DataFrame:
    """An article frame of ``n`` recombined AllSides articles (all texts different)."""
    source = datasets.load_allsides()
    pool = [
        p for text in source["text"].dropna() for p in text.split("\n\n") if len(p.split()) >= 8
    ]
    pool_array = np.array(pool, dtype=object)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(source), size=n)
    lengths = rng.integers(paragraphs[0], paragraphs[1] + 1, size=n)
    offsets = rng.integers(0, len(pool_array), size=lengths.sum())
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    texts = [
        f"[{i}] " + "\n\n".join(pool_array[offsets[bounds[i] : bounds[i + 1]]]) for i in range(n)
    ]
    # spread dates over 2018 at random times so that daily/weekly bins are all populated
    start = pd.Timestamp("2018-01-01", tz="UTC").value // 1000
    seconds = rng.integers(0, 365 * 24 * 3600, size=n)
    published = pd.to_datetime(start + seconds * 1_000_000, unit="us", utc=True)
    base = source.iloc[picks].reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "article_id": [f"r{i:07d}" for i in range(n)],
            "outlet": base["outlet"],
            "title": base["title"],
            "text": texts,
            "published": published,
            "date_source": "table",
            "language": "en",
            "path": "recombined",
            "extractor": "recombined AllSides paragraphs",
            "lean": base["lean"],
            "topic": base["topic"],
        }
    )
    return as_articles(frame)
