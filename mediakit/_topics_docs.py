"""Documents as :class:`mediakit.TopicModel` reads them, and the per-row steps of its k-means.

Whatever the user passes (an article frame, texts, token lists) becomes a :class:`_Docs`:
titles and bodies in input order with a content hash each. Fits and scores visit documents
in the order of that hash, so results do not depend on the input's row order. The functions
here work on plain arrays so that a fit in memory and a fit spread over partitions share
them.
"""

from __future__ import annotations

import hashlib
import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from mediakit.tokenize import StopWords, make_analyzer

_HASH_SEP = "\x1f"
_CHUNK = 2000  # documents tokenised per task
#: Documents (the first in content-hash order: a fixed random sample) that fit the LSA
#: projection and start k-means on a large corpus; smaller corpora use all of theirs.
_SAMPLE = 20_000
_KMEANS_STEPS = 20  # spherical k-means steps over all documents, at most
#: Representative articles kept per topic by a fit on a dask frame.
_REPRESENTATIVES = 20


@dataclass
class _Docs:
    """Documents as the model sees them, in input order."""

    index: pd.Index
    hashes: np.ndarray  # uint64 content hash per document
    titles: list[Any]  # str, list of tokens, or None
    bodies: list[Any]  # str, list of tokens, or None
    pretokenized: bool
    previews: list[str]


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _content_hash(parts: Iterable[str]) -> int:
    digest = hashlib.blake2b(_HASH_SEP.join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _numbers_error(argument: str, found: str) -> TypeError:
    return TypeError(
        f"The {argument!r} argument holds numbers, not texts: {found}. TopicModel "
        "reads an article frame, texts or lists of word tokens, so numbers would be fitted as "
        "words such as 'nan' or '1.5'. Pass the articles' texts; to cluster numeric vectors "
        "use a numeric clusterer such as sklearn.cluster.KMeans."
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number | np.bool_) and not _is_missing(value)


def _as_docs(X: Any, *, argument: str = "X") -> _Docs:
    """Read an article frame, a Series / iterable of texts, or an iterable of token lists.

    Numbers (a numeric array or column, a number among the texts or tokens) are refused:
    they have no words, and their string forms would be fitted as if they had.
    """
    if sp.issparse(X) or (isinstance(X, np.ndarray) and X.dtype.kind in "biufc"):
        found = f"got a {type(X).__name__} of {X.dtype} with shape {X.shape}"
        raise _numbers_error(argument, found)
    titles: list[Any]
    bodies: list[Any]
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise ValueError(
                f"The {argument!r} frame has no 'text' column (columns: {list(X.columns)}). Pass "
                "an article frame (see mediakit.schema.as_articles) or a list of texts."
            )
        index = X.index
        for column in ("title", "text"):
            if column in X.columns:
                numeric = next((v for v in X[column].tolist() if _is_number(v)), None)
                if numeric is not None:
                    raise _numbers_error(argument, f"its {column!r} column holds {numeric!r}")
        bodies = [None if _is_missing(v) else str(v) for v in X["text"].tolist()]
        if "title" in X.columns:
            titles = [None if _is_missing(v) else str(v) for v in X["title"].tolist()]
        else:
            titles = [None] * len(bodies)
        pretokenized = False
    else:
        if isinstance(X, str) or not isinstance(X, Iterable):
            raise TypeError(
                f"The {argument!r} argument must be an article frame, a Series or list of texts, "
                f"or a list of token lists. Got {type(X).__name__} instead."
            )
        items = list(X)
        index = X.index if isinstance(X, pd.Series) else pd.RangeIndex(len(items))
        first = next((v for v in items if not _is_missing(v)), "")
        pretokenized = isinstance(first, list | tuple | np.ndarray)
        bodies = []
        for position, value in enumerate(items):
            if _is_missing(value):
                bodies.append(None)
            elif _is_number(value):
                raise _numbers_error(argument, f"item {position} is {value!r}")
            elif pretokenized and isinstance(value, list | tuple | np.ndarray):
                number = next((t for t in value if not isinstance(t, str)), None)
                if number is not None:
                    raise _numbers_error(argument, f"item {position} holds the token {number!r}")
                bodies.append([str(t) for t in value])
            elif not pretokenized and isinstance(value, str):
                bodies.append(value)
            else:
                expected = "a list of tokens" if pretokenized else "a str"
                raise TypeError(
                    f"The {argument!r} argument mixes texts and token lists: item {position} is "
                    f"{type(value).__name__}, expected {expected} like the first item. Pass only "
                    "texts or only token lists."
                )
        titles = [None] * len(bodies)
    hashes = np.empty(len(bodies), dtype=np.uint64)
    previews = []
    for i, (title, body) in enumerate(zip(titles, bodies, strict=True)):
        if pretokenized:
            parts = list(body or [])
            previews.append(" ".join(parts[:12]))
        else:
            parts = [title or "", body or ""]
            previews.append(title if title else " ".join((body or "").split()[:12]))
        hashes[i] = _content_hash(parts)
    return _Docs(index, hashes, titles, bodies, pretokenized, previews)


def _tokenize_chunk(
    titles: list[Any], bodies: list[Any], stop_words: StopWords, pretokenized: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Tokenise documents; return token codes, lengths, title lengths and the distinct tokens."""
    tokens: list[str] = []
    lengths = np.zeros(len(bodies), dtype=np.int64)
    n_title = np.zeros(len(bodies), dtype=np.int64)
    if pretokenized:
        for i, body in enumerate(bodies):
            body = body or []
            tokens.extend(body)
            lengths[i] = len(body)
    else:
        analyze = make_analyzer(stop_words)
        for i, (title, body) in enumerate(zip(titles, bodies, strict=True)):
            head = analyze(title) if title else []
            text = analyze(body) if body else []
            tokens.extend(head)
            tokens.extend(text)
            n_title[i] = len(head)
            lengths[i] = len(head) + len(text)
    if not tokens:
        return np.zeros(0, np.int64), lengths, n_title, []
    codes, uniques = pd.factorize(np.array(tokens, dtype=object))
    return codes.astype(np.int64), lengths, n_title, [str(u) for u in uniques]


def _canonical_order(hashes: np.ndarray) -> np.ndarray:
    """Positions sorted by content hash: a row order that does not depend on the input order."""
    return np.argsort(hashes, kind="stable")


def _member_sums(labels: np.ndarray, rows: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The sum of the rows of each topic's members, and the topic sizes."""
    members = sp.csr_matrix(
        (np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(k, rows.shape[0])
    )
    sums = members @ rows
    return np.asarray(sums.todense() if sp.issparse(sums) else sums), np.bincount(
        labels, minlength=k
    )


def _spherical_step(
    Z: np.ndarray, previous: np.ndarray | None, centroids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """One spherical k-means step on the unit rows ``Z``.

    Returns the member sums and sizes of each topic under ``centroids``, and how many rows
    changed topic since the ``previous`` centroids (all rows when None). Sums, sizes and
    counts of row blocks add up, so a corpus can be stepped through block by block.
    """
    labels = np.asarray(Z @ centroids.T).argmax(axis=1)
    if previous is None:
        changed = len(labels)
    else:
        changed = int(np.count_nonzero(labels != np.asarray(Z @ previous.T).argmax(axis=1)))
    sums, sizes = _member_sums(labels, Z, centroids.shape[0])
    return sums, sizes, changed
