"""Collocations: pairs of adjacent words that occur together more often than chance."""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from mediakit._compute import runner_for
from mediakit._validation import as_list, check_int, require_columns
from mediakit.terms._counting import Fields, _texts
from mediakit.terms._keyness import _two_by_two
from mediakit.tokenize import StopWords, stop_word_set, tokenize

CollocationMeasure: TypeAlias = Literal["pmi", "g2", "t"]


# --------------------------------------------------------------------------- collocations
def collocations(
    articles: Any,
    *,
    min_count: int = 5,
    measure: CollocationMeasure = "pmi",
    stop_words: StopWords = "english",
    top_n: int | None = None,
    fields: Fields = "text",
    client: Any = None,
) -> pd.DataFrame:
    """Pairs of adjacent words that occur together more often than chance.

    Word pairs are counted in the running text (within an article, stop words
    included), then pairs containing a stop word are dropped.

    Parameters
    ----------
    articles : DataFrame
        An article frame.
    min_count : int, default 5
        Keep pairs seen at least this often.
    measure : {"pmi", "g2", "t"}, default "pmi"
        Pointwise mutual information ``log2(p(xy) / (p(x) p(y)))``, Dunning's
        log-likelihood G² of the 2 x 2 table of first and second word, or the t-score
        ``(O - E) / sqrt(O)``.
    stop_words : "english", ISO 639-1 code, list of str or None, default "english"
        Pairs containing one of these words are left out.
    top_n : int, optional
        Keep the ``top_n`` pairs with the largest statistic.
    fields : str or list of str, default "text"
        Text column(s) read.
    client : distributed.Client, optional
        Count on this Dask cluster; a dask frame is counted partition by partition on
        Dask's configured scheduler without it. Words and pairs are added up by their
        text, so the result is the same on every executor.

    Returns
    -------
    DataFrame
        ``ngram`` ("white house"), ``count``, ``statistic``; largest statistic first.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides().head(500)
    >>> pairs = mk.collocations(articles, min_count=20, measure="g2")
    >>> "white house" in pairs.head(10)["ngram"].tolist()
    True
    """
    runner = runner_for(articles, client=client, function="collocations")
    require_columns(runner.meta, as_list(fields), "fields")
    if measure not in ("pmi", "g2", "t"):
        raise ValueError(
            "The 'measure' parameter of collocations must be one of 'pmi', 'g2', 't'. "
            f"Got {measure!r} instead."
        )
    check_int(min_count, "min_count", 1)
    stop = stop_word_set(stop_words)
    counts = runner.columns(as_list(fields)).map_combine(_count_pairs, _combine_pairs, fields)
    terms, unigram, pair_first, pair_second, pair_count = (
        counts.terms,
        counts.unigram,
        counts.first,
        counts.second,
        counts.count,
    )
    n_terms = max(len(terms), 1)
    n_pairs = float(pair_count.sum())
    is_stop = np.fromiter((t in stop for t in terms), dtype=bool, count=len(terms))
    if len(terms):
        keep = (pair_count >= min_count) & ~is_stop[pair_first] & ~is_stop[pair_second]
    else:
        keep = pair_count > 0
    x, y, observed = pair_first[keep], pair_second[keep], pair_count[keep].astype(np.float64)
    n_words = float(unigram.sum())
    expected = unigram[x] * unigram[y] / n_words / n_words * n_pairs
    if measure == "pmi":
        statistic = np.log2(observed / expected)
    elif measure == "t":
        statistic = (observed - expected) / np.sqrt(observed)
    else:
        # 2 x 2 table: pair / first word with another second word / ... ; on pair counts
        first_total = np.bincount(pair_first, weights=pair_count, minlength=n_terms)[x]
        second_total = np.bincount(pair_second, weights=pair_count, minlength=n_terms)[y]
        statistic, _ = _two_by_two(
            observed, second_total - observed, first_total, n_pairs - first_total
        )
    ngram = [f"{terms[i]} {terms[j]}" for i, j in zip(x, y, strict=True)]
    out = pd.DataFrame(
        {
            "ngram": pd.array(ngram, dtype="str"),
            "count": observed.astype(np.int64),
            "statistic": statistic,
        }
    )
    out = out.sort_values(["statistic", "ngram"], ascending=[False, True], kind="stable")
    if top_n is not None:
        out = out.head(top_n)
    return out.reset_index(drop=True)


@dataclass
class PairCounts:
    """Words and adjacent word pairs counted: the partial result of collocations."""

    terms: np.ndarray  # object array of str, sorted
    unigram: np.ndarray  # int64 occurrences of each term
    first: np.ndarray  # int64 term of the first word of each pair
    second: np.ndarray  # int64 term of the second word
    count: np.ndarray  # int64 occurrences of each pair (pairs within an article only)


def _count_pairs(part: pd.DataFrame, fields: Fields) -> PairCounts:
    """Map step: one partition's words and adjacent pairs, terms in sorted order."""
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    lookup = vocabulary.__getitem__
    ids = array("q")
    boundaries = array("q")
    for text in _texts(part, fields):
        ids.extend(map(lookup, tokenize(text)))
        boundaries.append(len(ids))
    tokens = np.frombuffer(ids, dtype=np.int64) if len(ids) else np.zeros(0, np.int64)
    n_terms = max(len(vocabulary), 1)
    unigram = np.bincount(tokens, minlength=n_terms)[: len(vocabulary)]
    first, second = tokens[:-1], tokens[1:]
    crosses = np.zeros(len(first), dtype=bool)
    ends = np.frombuffer(boundaries, dtype=np.int64) if len(boundaries) else np.zeros(0, np.int64)
    ends = ends[(ends > 0) & (ends < len(tokens))]
    crosses[ends - 1] = True  # the pair (last word of one article, first of the next)
    pairs, pair_count = np.unique(first[~crosses] * n_terms + second[~crosses], return_counts=True)
    terms = np.array(list(vocabulary), dtype=object)
    order = np.argsort(terms, kind="stable")
    rank = np.empty(len(terms), dtype=np.int64)
    rank[order] = np.arange(len(terms), dtype=np.int64)
    return PairCounts(
        terms[order],
        unigram[order].astype(np.int64),
        rank[pairs // n_terms],
        rank[pairs % n_terms],
        pair_count.astype(np.int64),
    )


def _combine_pairs(parts: list[PairCounts]) -> PairCounts:
    """Combine step: words and pairs added up by their text."""
    if len(parts) == 1:
        return parts[0]
    terms, term_of = np.unique(np.concatenate([p.terms for p in parts]), return_inverse=True)
    term_of = term_of.reshape(-1)
    unigram = np.zeros(len(terms), dtype=np.int64)
    np.add.at(unigram, term_of, np.concatenate([p.unigram for p in parts]))
    firsts, seconds, start = [], [], 0
    for part in parts:
        mapping = term_of[start : start + len(part.terms)]
        firsts.append(mapping[part.first])
        seconds.append(mapping[part.second])
        start += len(part.terms)
    n_terms = max(len(terms), 1)
    codes, inverse = np.unique(
        np.concatenate(firsts) * n_terms + np.concatenate(seconds), return_inverse=True
    )
    count = np.bincount(inverse.reshape(-1), weights=np.concatenate([p.count for p in parts]))
    return PairCounts(
        terms.astype(object), unigram, codes // n_terms, codes % n_terms, count.astype(np.int64)
    )
