"""Real news corpora bundled with mediakit, as article frames.

- :func:`load_allsides` — 4,187 US news articles from 2018, 112 outlets rated
  left / center / right by AllSides (Baly et al., EMNLP 2020).
- :func:`load_reuters` — Reuters-21578, 21,578 newswire stories from 1987 with
  topic and place labels (and the R8 classification subset).
- :func:`load_sample` — the raw scraped seed article: a page's visible text.

The files live in the repository's ``data/`` folder (see ``data/README.md`` for
sources, licences and citations); set ``MEDIAKIT_DATA`` to use another folder.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path
from typing import Literal

import pandas as pd

from mediakit._deprecation import renamed_parameters
from mediakit.schema import as_articles

R8_CLASSES = ("earn", "acq", "crude", "trade", "money-fx", "interest", "ship", "grain")
LEANS = ("left", "center", "right")


def data_dir() -> Path:
    """The folder holding the bundled corpora (``$MEDIAKIT_DATA`` or the repository's data/)."""
    folder = Path(os.environ.get("MEDIAKIT_DATA", Path(__file__).resolve().parents[1] / "data"))
    if not folder.is_dir():
        raise FileNotFoundError(
            f"The bundled data folder {str(folder)!r} does not exist. Install mediakit from a "
            "clone of its repository (pip install -e .) or set MEDIAKIT_DATA to the folder "
            "that holds allsides2018.parquet and reuters21578.parquet."
        )
    return folder


@cache
def _read(name: str) -> pd.DataFrame:
    return pd.read_parquet(data_dir() / f"{name}.parquet")


def _split_authors(authors: pd.Series) -> pd.Series:
    def join(value: object) -> object:
        if not isinstance(value, str) or not value.strip():
            return pd.NA
        names = [n.strip().strip('"').strip() for n in value.split(",")]
        return "; ".join(n for n in names if n) or pd.NA

    return authors.map(join)


def load_allsides(clean: bool = False) -> pd.DataFrame:
    """AllSides 2018: 4,187 articles from 112 outlets with the outlet's political lean.

    Parameters
    ----------
    clean : bool, default False
        False returns the body as the crawl extracted it, debris included
        ("Story Continued Below", "ADVERTISEMENT", captions). True passes every text
        through :func:`mediakit.clean_texts` with the outlet as corpus evidence; the
        cleaned corpus is computed once per process, kept in memory (one copy, thread-safe)
        and returned as a new frame on each call.

    Returns
    -------
    DataFrame
        An article frame plus ``lean`` (categorical: left, center, right — AllSides'
        rating of the outlet), ``topic`` (AllSides' topic tag) and ``source_url``.

    Examples
    --------
    >>> from mediakit import datasets
    >>> articles = datasets.load_allsides()
    >>> len(articles), articles["outlet"].nunique()
    (4187, 112)
    >>> articles["lean"].value_counts().sort_index()
    lean
    left      1132
    center    1360
    right     1695
    Name: count, dtype: int64
    """
    raw = _read("allsides2018")
    frame = pd.DataFrame(
        {
            "article_id": raw["id"],
            "outlet": raw["outlet"],
            "url": raw["url"],
            "title": raw["title"],
            "text": raw["text"],
            "published": pd.to_datetime(raw["date"], format="%Y-%m-%d", utc=True),
            "date_source": "table",
            "authors": _split_authors(raw["authors"]),
            "language": "en",
            "path": "data/allsides2018.parquet",
            "extractor": "newspaper3k (AllSides crawl)",
            "dup_group": raw.get("dup_group"),
            "lean": pd.Categorical(raw["lean"], categories=list(LEANS)),
            "topic": raw["topic"],
            "source_url": raw["source_url"],
        }
    )
    articles = as_articles(frame)
    return _cleaned("allsides2018", articles) if clean else articles


#: Cleaned bundled corpora, keyed by (file, its modification time, cleaning rules
#: version); at most one is kept, and a lock makes concurrent callers wait for one
#: computation instead of repeating it.
_CLEANED: dict[tuple[str, int, str], pd.DataFrame] = {}
_CLEANED_LOCK = threading.Lock()


def _cleaned(name: str, articles: pd.DataFrame) -> pd.DataFrame:
    """``clean_article_frame(articles)`` for the bundled file ``name``, computed once per
    process (cleaning AllSides takes tens of seconds) and returned as a copy."""
    from mediakit.ingest.text import RULES_VERSION, clean_article_frame

    path = data_dir() / f"{name}.parquet"
    key = (str(path), path.stat().st_mtime_ns, RULES_VERSION)
    with _CLEANED_LOCK:
        if key not in _CLEANED:
            _CLEANED.clear()
            _CLEANED[key] = clean_article_frame(articles)
        return _CLEANED[key].copy()


def load_reuters(subset: Literal["r8"] | None = None) -> pd.DataFrame:
    """Reuters-21578 (Distribution 1.0): newswire stories from 26 Feb to 20 Oct 1987.

    Parameters
    ----------
    subset : {None, "r8"}
        None gives all 21,578 stories. "r8" gives the 7,674 ModApte stories (train and
        test) that carry exactly one topic among the eight most frequent
        (earn, acq, crude, trade, money-fx, interest, ship, grain), with that topic in
        a ``label`` column.

    Returns
    -------
    DataFrame
        An article frame (outlet "Reuters"; title NA for unprocessed stories, text NA for
        headline-only BRIEF stories) plus the source's ``topics``, ``places``, ``people``,
        ``orgs``, ``exchanges``, ``companies`` (lists), ``dateline``, ``lewissplit``,
        ``cgisplit`` and ``text_type``.

    Examples
    --------
    >>> from mediakit import datasets
    >>> len(datasets.load_reuters())
    21578
    >>> datasets.load_reuters("r8")["label"].value_counts().head(3)
    label
    earn     3923
    acq      2292
    crude     374
    Name: count, dtype: int64
    """
    if subset not in (None, "r8"):
        raise ValueError(
            f"The 'subset' parameter of load_reuters must be None or 'r8'. Got {subset!r} instead."
        )
    raw = _read("reuters21578")
    published = pd.to_datetime(raw["date"], errors="coerce", utc=True)
    frame = pd.DataFrame(
        {
            "article_id": raw["newid"].astype(str),
            "outlet": "Reuters",
            "title": raw["title"],
            "text": raw["body"],
            "published": published,
            "date_source": "table",
            "language": "en",
            "dup_group": raw.get("dup_group"),
            "path": "data/reuters21578.parquet",
            "extractor": "Reuters-21578 SGML",
        }
    )
    for column in ("topics", "places", "people", "orgs", "exchanges", "companies"):
        frame[column] = raw[column].map(list)
    for column in ("dateline", "date_raw", "lewissplit", "cgisplit", "text_type"):
        frame[column] = raw[column].astype("string")
    articles = as_articles(frame)
    if subset == "r8":
        in_modapte = raw["lewissplit"].isin(["TRAIN", "TEST"]) & (raw["topics_attr"] == "YES")
        single = raw["topics"].map(len) == 1
        first = raw["topics"].map(lambda t: t[0] if len(t) else None)
        keep = in_modapte & single & first.isin(R8_CLASSES)
        articles = articles[keep.to_numpy()].copy()
        articles["label"] = pd.Categorical(first[keep].to_numpy(), categories=list(R8_CLASSES))
        articles = articles.reset_index(drop=True)
    return articles


@renamed_parameters("0.2", "0.4", seed="random_state")
def recombined_allsides(
    n: int, *, random_state: int = 0, paragraphs: tuple[int, int] = (5, 15), clean: bool = False
) -> pd.DataFrame:
    """A large corpus for trying analyses at scale: ``n`` articles recombined from AllSides.

    Each article is made of 5-15 paragraphs drawn from the real AllSides 2018 corpus, so
    every text differs while the vocabulary stays that of real news; outlets, leans and
    topics are those of a randomly drawn source article, and dates are spread over 2018.
    ``clean=True`` draws the paragraphs from the cleaned corpus (``load_allsides(clean=True)``).
    The same ``random_state`` gives the same corpus. Not a sample of real articles: use it for
    speed, memory and scale tests, never for findings.

    Examples
    --------
    >>> from mediakit import datasets
    >>> corpus = datasets.recombined_allsides(1000, random_state=1)
    >>> len(corpus), corpus["text"].is_unique, corpus["outlet"].nunique() > 50
    (1000, True, True)
    """
    import numpy as np

    if not isinstance(n, int) or n < 1:
        raise ValueError(
            f"The 'n' parameter of recombined_allsides must be an int >= 1. Got {n!r}."
        )
    source = load_allsides(clean=clean)
    pool = np.array(
        [p for text in source["text"].dropna() for p in text.split("\n\n") if len(p.split()) >= 8],
        dtype=object,
    )
    rng = np.random.default_rng(random_state)
    picks = rng.integers(0, len(source), size=n)
    lengths = rng.integers(paragraphs[0], paragraphs[1] + 1, size=n)
    offsets = rng.integers(0, len(pool), size=int(lengths.sum()))
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    # the leading number makes every text unique even if two draws repeat paragraphs
    texts = [f"[{i}] " + "\n\n".join(pool[offsets[bounds[i] : bounds[i + 1]]]) for i in range(n)]
    start = pd.Timestamp("2018-01-01", tz="UTC").value // 1000
    seconds = rng.integers(0, 365 * 24 * 3600, size=n)
    base = source.iloc[picks].reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "article_id": [f"r{random_state}-{i:07d}" for i in range(n)],
            "outlet": base["outlet"],
            "title": base["title"],
            "text": texts,
            "published": pd.to_datetime(start + seconds * 1_000_000, unit="us", utc=True),
            "date_source": "table",
            "language": "en",
            "path": "recombined",
            "extractor": "recombined AllSides paragraphs",
            "lean": base["lean"],
            "topic": base["topic"],
        }
    )
    return as_articles(frame)


def sample_dir() -> Path:
    """The folder of raw sample captures (``data/samples``)."""
    return data_dir() / "samples"


def load_sample() -> pd.DataFrame:
    """The raw seed article: a news page's visible text saved as .txt, debris and all.

    Returns a frame with one row per sample file: ``path`` and the raw ``text``.
    Pass it to :func:`mediakit.load_articles` or :func:`mediakit.clean_text` to clean it.

    Examples
    --------
    >>> from mediakit import datasets
    >>> sample = datasets.load_sample()
    >>> sample["text"].iloc[0].splitlines()[:2]
    ['Twitter', 'Advertisement']
    """
    paths = sorted(sample_dir().glob("*.txt"))
    return pd.DataFrame(
        {
            "path": [str(p) for p in paths],
            "text": [p.read_text(encoding="utf-8") for p in paths],
        }
    ).astype("string")
