"""Term frequencies: how often each term occurs, overall or per group.

Written once as steps (:mod:`mediakit.terms._steps`): each partition is counted per
group, the partial counts are added up, and :func:`finalize_frequencies` turns the
totals into the tidy frame, whether the articles are one pandas frame or the
partitions of a dask frame.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mediakit._compute import runner_for
from mediakit._validation import as_list, check_top_n, require_columns
from mediakit.terms._counting import Fields, _check_df, _check_ngram_range
from mediakit.terms._steps import ByColumns, GroupCounts, counts_of
from mediakit.tokenize import StopWords


def term_frequencies(
    articles: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    ngram_range: tuple[int, int] = (1, 1),
    stop_words: StopWords = "english",
    min_df: float = 1,
    max_df: float = 1.0,
    top_n: int | None = None,
    fields: Fields = "text",
    client: Any = None,
) -> pd.DataFrame:
    """How often each term occurs, overall or per group, as a tidy frame.

    Parameters
    ----------
    articles : DataFrame
        An article frame.
    by : str or list of str, optional
        Column(s) to count per group (``"lean"``, ``["outlet", "lean"]``). Categorical
        columns keep their categories and order; missing values form their own group.
    ngram_range : (int, int), default (1, 1)
        Lengths of the n-grams counted, as in scikit-learn; n-grams are built after
        stop words are removed and joined by spaces ("white house").
    stop_words : "english", ISO 639-1 code, list of str or None, default "english"
        Words not counted (see :func:`mediakit.tokenize.stop_word_set`).
    min_df, max_df : int or float, default 1 and 1.0
        Keep terms that occur in at least ``min_df`` and at most ``max_df`` articles
        (a float is a proportion of all articles), as in scikit-learn.
    top_n : int, optional
        Keep the ``top_n`` most frequent terms of each group.
    fields : str or list of str, default "text"
    client : distributed.Client, optional
        Count on this Dask cluster. A dask frame is counted partition by partition on
        Dask's configured scheduler (the current client, if any) without it. The result
        is the same on every executor.
        Text column(s) counted; several are joined.

    Returns
    -------
    DataFrame
        One row per (group, term) that occurs: the ``by`` columns, ``term``, ``count``,
        ``doc_count`` (articles of the group containing the term), ``per_10k`` (per
        10,000 running words of the group) and ``tfidf`` (count times scikit-learn's
        smoothed idf over all articles, ``ln((1 + n) / (1 + df)) + 1``). Sorted by group,
        then by count (descending), then term.

    See Also
    --------
    keyness : which terms distinguish one set of articles from another.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides().head(300)
    >>> mk.term_frequencies(articles, top_n=3)[["term", "count", "doc_count"]]
            term  count  doc_count
    0      trump   3109        266
    1       said   1590        252
    2  president   1259        258
    >>> by_lean = mk.term_frequencies(articles, by="lean", top_n=2)
    >>> by_lean[["lean", "term", "count"]]
         lean       term  count
    0    left      trump   1020
    1    left  president    394
    2  center      trump   1071
    3  center       said    710
    4   right      trump   1018
    5   right       said    550
    >>> by_lean["lean"].cat.categories.tolist()
    ['left', 'center', 'right']
    """
    runner = runner_for(articles, client=client, function="term_frequencies")
    by_list = as_list(by)
    require_columns(runner.meta, by_list, "by")
    require_columns(runner.meta, as_list(fields), "fields")
    check_top_n(top_n)
    _check_ngram_range(ngram_range)
    counts = counts_of(
        runner,
        ByColumns(tuple(by_list)),
        fields=fields,
        ngram_range=ngram_range,
        stop_words=stop_words,
    )
    return finalize_frequencies(counts, by_list, min_df=min_df, max_df=max_df, top_n=top_n)


def labels(keys: pd.DataFrame) -> list[Hashable]:
    """How a group is named in ``attrs``: its value, a tuple of values, or "all"."""
    if keys.shape[1] == 0:
        return ["all"]
    if keys.shape[1] == 1:
        return keys.iloc[:, 0].tolist()
    return list(keys.itertuples(index=False, name=None))


def finalize_frequencies(
    counts: GroupCounts,
    by: list[Hashable],
    *,
    min_df: float,
    max_df: float,
    top_n: int | None,
) -> pd.DataFrame:
    """Finalize step: the tidy frequency table of the merged counts."""
    n_docs = int(counts.n_docs.sum())
    low = _check_df(min_df, "min_df", n_docs)
    high = _check_df(max_df, "max_df", n_docs)
    # groups partition the articles, so a term's articles add up over the groups
    df = np.asarray(counts.docs.sum(axis=0), dtype=np.int64).reshape(-1)
    keep_term = (df >= low) & (df <= high)
    totals, docs, terms = counts.count, counts.docs, counts.terms
    if not keep_term.all():
        totals, docs = totals[:, keep_term].tocsr(), docs[:, keep_term].tocsr()
        terms, df = terms[keep_term], df[keep_term]
    idf = np.log((1 + n_docs) / (1 + df)) + 1.0
    totals.sort_indices()
    docs.sort_indices()
    n_groups = totals.shape[0]
    group_words = counts.words.astype(np.float64)
    group = np.repeat(np.arange(n_groups), np.diff(totals.indptr))
    term = totals.indices.astype(np.int64)
    count = totals.data.astype(np.int64)
    doc_count = docs.data.astype(np.int64)
    order = np.lexsort((term, -count, group))
    group, term, count, doc_count = group[order], term[order], count[order], doc_count[order]
    if top_n is not None:
        starts = np.searchsorted(group, group)  # group is sorted: first row of each group
        keep = np.arange(len(group)) - starts < top_n
        group, term, count, doc_count = group[keep], term[keep], count[keep], doc_count[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        per_10k = np.where(group_words[group] > 0, count / group_words[group] * 1e4, 0.0)
    keys = counts.keys if by else pd.DataFrame(index=range(n_groups))
    out = keys.take(group).reset_index(drop=True)
    out["term"] = pd.array(terms[term], dtype="str")
    out["count"] = count
    out["doc_count"] = doc_count
    out["per_10k"] = per_10k
    out["tfidf"] = count * idf[term]
    out.attrs = {"n_words": dict(zip(labels(keys), counts.words.astype(int).tolist(), strict=True))}
    return out
