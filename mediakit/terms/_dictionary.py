"""Dictionary counts: words of each category of a dictionary, per article."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from mediakit._compute import runner_for
from mediakit._validation import as_list, require_columns
from mediakit.terms._counting import Fields, _count, _text_blocks
from mediakit.tokenize import POSSESSIVE, TOKEN


# --------------------------------------------------------------------------- dictionaries
def count_terms(
    articles: Any,
    dictionary: Mapping[str, Iterable[str]],
    *,
    fields: Fields = "text",
    client: Any = None,
) -> pd.DataFrame:
    """Count dictionary words per article, one column per category.

    Parameters
    ----------
    articles : DataFrame
        An article frame (needs ``article_id``).
    dictionary : mapping of str to list of str
        ``{category: [terms]}``. A term is a word of the tokeniser (case is ignored,
        possessives dropped) and may end with ``*`` to match every word that starts
        with it (``"immigra*"``). A word counts once per category even when several of
        its terms match it.
    fields : str or list of str, default "text"
        Text column(s) read.
    client : distributed.Client, optional
        Count on this Dask cluster; a dask frame is counted partition by partition on
        Dask's configured scheduler without it. The rows come back in the frame's order.

    Returns
    -------
    DataFrame
        ``article_id``, one int column per category, and ``n_words`` (running words of
        the article) for rates; one row per article, in the frame's order, so it joins
        back on ``article_id``.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides().head(200)
    >>> counts = mk.count_terms(
    ...     articles, {"economy": ["econom*", "jobs", "tax*"], "security": ["border*", "terror*"]}
    ... )
    >>> counts.columns.tolist()
    ['article_id', 'economy', 'security', 'n_words']
    >>> int(counts["economy"].sum()) > 0
    True
    """
    runner = runner_for(articles, client=client, function="count_terms")
    require_columns(runner.meta, ["article_id"], "articles")
    require_columns(runner.meta, as_list(fields), "fields")
    words = _dictionary_words(dictionary)
    dtype = runner.meta["article_id"].dtype
    return runner.columns(["article_id", *as_list(fields)]).map_combine(
        _count_dictionary, _concatenate, words, fields, dtype
    )


def _dictionary_words(dictionary: object) -> dict[str, list[tuple[str, bool]]]:
    """Category -> its words, each with whether it is a prefix (checked once, up front)."""
    if not isinstance(dictionary, Mapping) or not dictionary:
        raise ValueError(
            "The 'dictionary' parameter must be a non-empty mapping {category: [terms]}, "
            f"for example {{'economy': ['econom*', 'jobs']}}. Got {dictionary!r:.80} instead."
        )
    words: dict[str, list[tuple[str, bool]]] = {}
    for category, entries in dictionary.items():
        if isinstance(entries, str):
            entries = [entries]
        words[category] = []
        for entry in entries:
            word = str(entry).strip().lower()
            prefix = word.endswith("*")
            word = POSSESSIVE.sub("", word.rstrip("*"))
            if not word or not TOKEN.fullmatch(word):
                raise ValueError(
                    f"The 'dictionary' entry {entry!r} of category {category!r} is not a word: "
                    "write single words, optionally ending with * ('immigra*')."
                )
            words[category].append((word, prefix))
    return words


def _count_dictionary(
    part: pd.DataFrame, words: dict[str, list[tuple[str, bool]]], fields: Fields, dtype: Any
) -> pd.DataFrame:
    """Map step: the dictionary counts of one partition's articles, in their order."""
    from scipy import sparse

    counts = _count(_text_blocks(part, fields), stop_words=None)
    vocabulary = counts.terms
    rows: list[int] = []
    columns: list[int] = []
    for k, category in enumerate(words):
        matched: set[int] = set()
        for word, prefix in words[category]:
            lo = int(np.searchsorted(vocabulary, word, side="left"))
            if prefix:
                hi = int(np.searchsorted(vocabulary, word + "\U0010ffff", side="left"))
            else:
                hi = lo + int(lo < len(vocabulary) and vocabulary[lo] == word)
            matched.update(range(lo, hi))
        rows.extend(sorted(matched))
        columns.extend([k] * len(matched))
    membership = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, columns)),
        shape=(len(vocabulary), len(words)),
    )
    per_article = np.asarray((counts.matrix @ membership).todense(), dtype=np.int64)
    out = pd.DataFrame({"article_id": part["article_id"].to_numpy()})
    out["article_id"] = out["article_id"].astype(dtype)
    for k, category in enumerate(words):
        out[str(category)] = per_article[:, k]
    out["n_words"] = counts.words
    return out


def _concatenate(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Combine step: the partitions' rows, in partition order."""
    return pd.concat(parts, ignore_index=True)
