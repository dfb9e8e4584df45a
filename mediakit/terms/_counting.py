"""Counting terms: texts of a frame, the shared tokeniser's counts, checks of counting options.

Every term statistic counts the tokens of :mod:`mediakit.tokenize` through
:func:`_count`, so a term of :func:`mediakit.term_frequencies` is the term a topic is
labelled with and the word a query finds.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import pandas as pd

from mediakit._validation import as_list, require_columns
from mediakit.tokenize import StopWords, count_words, stop_word_set, tokenize

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

Fields: TypeAlias = str | Sequence[str]

_CHUNK = 2048  # documents per block of the sparse build (bounds the temporary buffers)


# --------------------------------------------------------------------------- checks
def _text_column(articles: pd.DataFrame, fields: Fields) -> pd.Series:
    """The text of each article: the ``fields`` joined by blank lines ("" where missing)."""
    names = as_list(fields)
    if not names:
        raise ValueError("The 'fields' parameter is empty; name at least one text column.")
    require_columns(articles, names, "fields")
    joined = articles[names[0]].astype("string").fillna("")
    for name in names[1:]:
        joined = (joined + "\n\n" + articles[name].astype("string").fillna("")).str.strip()
    return joined.reset_index(drop=True)


def _texts(articles: pd.DataFrame, fields: Fields) -> list[str]:
    """The texts as Python strings."""
    return _text_column(articles, fields).to_numpy(dtype=object, na_value="").tolist()


def _text_blocks(articles: pd.DataFrame, fields: Fields) -> TextBlocks:
    """The texts in blocks of Python strings, so that only one block is converted at a time."""
    column = _text_column(articles, fields)
    n = len(column)

    def blocks() -> Iterator[list[str]]:
        for start in range(0, n, _CHUNK):
            yield column.iloc[start : start + _CHUNK].to_numpy(dtype=object).tolist()

    return TextBlocks(n, blocks, column)


@dataclass
class TextBlocks:
    """``n`` texts delivered by ``blocks()`` in lists of at most ``_CHUNK`` (or as ``column``)."""

    n: int
    blocks: Callable[[], Iterator[list[str]]]
    column: pd.Series | None = None


def _check_ngram_range(ngram_range: tuple[int, int]) -> tuple[int, int]:
    try:
        low, high = (int(n) for n in ngram_range)
    except (TypeError, ValueError):
        low, high = 0, -1
    if not 1 <= low <= high:
        raise ValueError(
            "The 'ngram_range' parameter must be a pair (min_n, max_n) with "
            f"1 <= min_n <= max_n, such as (1, 2). Got {ngram_range!r} instead."
        )
    return low, high


def _check_df(value: float, name: str, n_docs: int) -> int:
    """min_df / max_df as a number of documents (ints are counts, floats proportions)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(
            f"The {name!r} parameter must be an int (a number of articles) or a float in "
            f"[0.0, 1.0] (a proportion). Got {value!r} instead."
        )
    if isinstance(value, float | np.floating):
        if not 0.0 <= value <= 1.0:
            raise ValueError(
                f"The {name!r} parameter must be a float in the range [0.0, 1.0] or an int. "
                f"Got {value!r} instead."
            )
        return int(np.ceil(value * n_docs)) if name == "min_df" else int(value * n_docs)
    if value < 0:
        raise ValueError(f"The {name!r} parameter must be >= 0. Got {value!r} instead.")
    return int(value)


# --------------------------------------------------------------------------- counting
@dataclass
class _Counts:
    """A document-term matrix with its sorted vocabulary and running words per document."""

    matrix: csr_matrix  # documents x terms, int64 counts
    terms: np.ndarray  # object array of str, sorted
    words: np.ndarray  # int64 running words per document


def _ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    out = tokens if low == 1 else []
    for n in range(max(low, 2), high + 1):
        out = out + [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return out


def _new_terms(vocabulary: dict[str, int], known: int) -> list[str]:
    """Terms added to the (insertion-ordered) vocabulary after the first ``known``."""
    fresh = list(islice(reversed(vocabulary), len(vocabulary) - known))
    fresh.reverse()
    return fresh


def _count(
    texts: TextBlocks | Sequence[str],
    *,
    ngram_range: tuple[int, int] = (1, 1),
    stop_words: StopWords = "english",
    lowercase: bool = True,
) -> _Counts:
    """Count terms per document; the same matrix as ``CountVectorizer(analyzer=...)``.

    Texts are read block by block; each block becomes a small CSR matrix whose stop
    words, one-letter tokens and numbers are dropped at once, so memory stays close to
    the final matrix.
    """
    from scipy import sparse

    low, high = _check_ngram_range(ngram_range)
    if (low, high) == (1, 1):  # words: one compiled scan over the Arrow strings
        column = texts.column if isinstance(texts, TextBlocks) else texts
        if column is not None:
            counted = count_words(column, stop_words=stop_words, lowercase=lowercase)
            return _Counts(counted.matrix, counted.terms, counted.words)
    if not isinstance(texts, TextBlocks):
        plain = list(texts)
        texts = TextBlocks(
            len(plain),
            lambda: (plain[i : i + _CHUNK] for i in range(0, len(plain), _CHUNK)),
        )
    stop = stop_word_set(stop_words)
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__  # a new term gets the next id
    lookup = vocabulary.__getitem__
    is_word = np.zeros(0, dtype=bool)  # per term id: counts as a running word
    keep = np.zeros(0, dtype=bool)  # per term id: kept as a term
    data_blocks: list[np.ndarray] = []
    index_blocks: list[np.ndarray] = []
    lengths: list[np.ndarray] = []
    words: list[np.ndarray] = []
    for block in texts.blocks():
        ids = array("i")
        indptr = array("q", [0])
        block_words = array("q")
        for text in block:
            tokens = tokenize(text, lowercase=lowercase)
            block_words.append(len(tokens))
            kept = [t for t in tokens if t not in stop]
            ids.extend(map(lookup, _ngrams(kept, low, high)))
            indptr.append(len(ids))
        fresh = _new_terms(vocabulary, len(keep))
        fresh_word = fresh_keep = np.ones(len(fresh), dtype=bool)
        is_word = np.concatenate([is_word, fresh_word])
        keep = np.concatenate([keep, fresh_keep])
        matrix = sparse.csr_matrix(
            (
                np.ones(len(ids), dtype=np.int32),
                np.frombuffer(ids, dtype=np.int32) if len(ids) else np.zeros(0, np.int32),
                np.frombuffer(indptr, dtype=np.int64),
            ),
            shape=(len(indptr) - 1, max(len(vocabulary), 1)),
        )
        matrix.sum_duplicates()  # one entry per (document, term)
        del ids
        rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
        words.append(np.frombuffer(block_words, dtype=np.int64).astype(np.float64))
        kept_entries = keep[matrix.indices]
        data_blocks.append(matrix.data[kept_entries])
        index_blocks.append(matrix.indices[kept_entries])
        lengths.append(np.bincount(rows[kept_entries], minlength=matrix.shape[0]))
    terms = np.array(list(vocabulary), dtype=object)
    kept_ids = np.flatnonzero(keep)
    order = kept_ids[np.argsort(terms[kept_ids], kind="stable")]
    rank = np.zeros(len(terms), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    indptr_all = np.zeros(texts.n + 1, dtype=np.int64)
    if lengths:
        np.cumsum(np.concatenate(lengths), out=indptr_all[1:])
    matrix = sparse.csr_matrix(
        (
            np.concatenate(data_blocks) if data_blocks else np.zeros(0, np.int32),
            rank[np.concatenate(index_blocks)] if index_blocks else np.zeros(0, np.int32),
            indptr_all,
        ),
        shape=(texts.n, len(order)),
    )
    matrix.has_sorted_indices = False
    matrix.sort_indices()  # in place: columns now follow the sorted vocabulary
    running_words = np.concatenate(words).astype(np.int64) if words else np.zeros(0, np.int64)
    return _Counts(matrix, terms[order], running_words)


def _indicator(codes: np.ndarray, n_groups: int) -> csr_matrix:
    """groups x documents 0/1 matrix; documents with code -1 belong to no group."""
    from scipy import sparse

    rows = np.flatnonzero(codes >= 0)
    return sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (codes[rows], rows)),
        shape=(n_groups, len(codes)),
    )
