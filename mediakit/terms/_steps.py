"""The per-partition steps of term counting, shared by term frequencies and keyness.

*Map*: :func:`count_groups` counts the terms of one partition per group of articles (a
:class:`GroupCounts`). *Combine*: :func:`combine_counts` merges such partial counts by
term text and group values (no hashing, so no collisions): adding the counts of two
halves of a corpus gives the counts of the whole. The executor
(:mod:`mediakit._compute`) applies them to a pandas frame or to each partition of a
dask frame; term frequencies and keyness finalize the merged counts.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mediakit._compute.groups import group_codes
from mediakit._validation import require_columns
from mediakit.terms._counting import Fields, _count, _indicator, _text_blocks
from mediakit.tokenize import StopWords

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

#: Column names under which a boolean mask travels with the articles to the steps.
TARGET, REFERENCE = "__target__", "__reference__"


@dataclass
class GroupCounts:
    """Term counts of some articles, per group: the partial result of term counting."""

    keys: pd.DataFrame  # one row per group: its values of the grouping columns
    terms: np.ndarray  # object array of str, sorted
    count: csr_matrix  # groups x terms: occurrences
    docs: csr_matrix  # groups x terms: articles containing the term
    words: np.ndarray  # int64 running words per group
    n_docs: np.ndarray  # int64 articles per group


# --------------------------------------------------------------------------- groupings
@dataclass(frozen=True)
class ByColumns:
    """Groups are the observed combinations of values of ``columns`` (none: one group)."""

    columns: tuple[Hashable, ...]

    def members(self, part: pd.DataFrame) -> tuple[np.ndarray, csr_matrix, pd.DataFrame]:
        """Rows counted, the groups x counted rows 0/1 matrix, and the group keys."""
        codes, keys = group_codes(part, self.columns)
        return np.arange(len(part)), _indicator(codes, len(keys)), keys


def selection(articles: pd.DataFrame, value: Any, parameter: str) -> np.ndarray:
    """A boolean mask over ``articles``: from a boolean Series / array, a column holding
    one (named ``value``), or a ``{column: value(s)}`` mapping."""
    n = len(articles)
    if isinstance(value, str):
        return articles[value].fillna(False).to_numpy(dtype=bool)
    if isinstance(value, Mapping):
        if not value:
            raise ValueError(
                f"The {parameter!r} parameter is an empty mapping; pass {{column: value}}, "
                "for example {'lean': 'right'}."
            )
        require_columns(articles, list(value), parameter)
        mask = np.ones(n, dtype=bool)
        for column, wanted in value.items():
            if isinstance(wanted, str) or not isinstance(wanted, Iterable):
                wanted = [wanted]
            mask &= articles[column].isin(list(wanted)).to_numpy(dtype=bool)
        return mask
    if isinstance(value, pd.Series):
        if value.dtype != bool and not pd.api.types.is_bool_dtype(value.dtype):
            raise TypeError(
                f"The {parameter!r} parameter is a Series of dtype {value.dtype}; a mask must "
                f"be boolean, for example articles['lean'] == 'right'."
            )
        if not value.index.equals(articles.index):
            value = value.reindex(articles.index)
        return value.fillna(False).to_numpy(dtype=bool)
    array_value = np.asarray(value)
    if array_value.dtype == bool and array_value.shape == (n,):
        return array_value
    raise TypeError(
        f"The {parameter!r} parameter must be a boolean mask over the articles, a "
        "{column: value} mapping such as {'lean': 'right'}, or (for 'target') a column name. "
        f"Got {type(value).__name__} {value!r:.80} instead."
    )


@dataclass(frozen=True)
class Sides:
    """Two groups, target and reference, which may overlap.

    Each side is a ``{column: value(s)}`` mapping or the name of a boolean column that
    carries a mask; no reference means every article not in the target.
    """

    target: Any
    reference: Any = None

    def members(self, part: pd.DataFrame) -> tuple[np.ndarray, csr_matrix, pd.DataFrame]:
        in_target = selection(part, self.target, "target")
        if self.reference is None:
            in_reference = ~in_target
        else:
            in_reference = selection(part, self.reference, "reference")
        rows = np.flatnonzero(in_target | in_reference)
        side_matrix = _indicator(np.where(in_target[rows], 0, -1), 2) + _indicator(
            np.where(in_reference[rows], 1, -1), 2
        )
        return rows, side_matrix, pd.DataFrame({"side": np.array([0, 1], dtype=np.int64)})


Grouping = ByColumns | Sides


# --------------------------------------------------------------------------- map
def count_groups(
    part: pd.DataFrame,
    grouping: Grouping,
    fields: Fields,
    ngram_range: tuple[int, int],
    stop_words: StopWords,
) -> GroupCounts:
    """Map step: the terms of one partition counted per group."""
    rows, members, keys = grouping.members(part)
    counted = part if len(rows) == len(part) else part.iloc[rows]
    counts = _count(_text_blocks(counted, fields), ngram_range=ngram_range, stop_words=stop_words)
    matrix = counts.matrix
    present = type(matrix)(  # 1 where an article has the term; shares the index arrays
        (np.ones(matrix.nnz, dtype=np.int32), matrix.indices, matrix.indptr), shape=matrix.shape
    )
    totals = (members @ matrix).tocsr()
    docs = (members @ present).tocsr()
    words = np.asarray(members @ counts.words.astype(np.int64), dtype=np.int64).reshape(-1)
    n_docs = np.asarray(members.sum(axis=1), dtype=np.int64).reshape(-1)
    return GroupCounts(keys, counts.terms, totals, docs, words, n_docs)


# --------------------------------------------------------------------------- combine
def _merged_keys(parts: list[GroupCounts]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group code of every group of every part in the merged groups, and their keys."""
    columns = list(parts[0].keys.columns)
    if not columns:
        return np.zeros(sum(len(p.keys) for p in parts), dtype=np.int64), parts[0].keys
    stacked = pd.concat([p.keys for p in parts], ignore_index=True)
    for column in columns:
        dtypes = {str(p.keys[column].dtype) for p in parts}
        if len(dtypes) > 1 and all(
            isinstance(p.keys[column].dtype, pd.CategoricalDtype) for p in parts
        ):
            stacked[column] = pd.api.types.union_categoricals(
                [p.keys[column] for p in parts], ignore_order=True
            )
    return group_codes(stacked, columns)


def combine_counts(parts: list[GroupCounts]) -> GroupCounts:
    """Combine step: partial counts added up by term and by group."""
    from scipy import sparse

    if len(parts) == 1:
        return parts[0]
    group_of, keys = _merged_keys(parts)
    terms, term_of = np.unique(np.concatenate([p.terms for p in parts]), return_inverse=True)
    term_of = term_of.reshape(-1)
    shape = (len(keys), len(terms))
    merged = []
    for attribute in ("count", "docs"):
        rows, columns, values = [], [], []
        g0 = t0 = 0
        for part in parts:
            coo = getattr(part, attribute).tocoo()
            rows.append(group_of[g0 + coo.row])
            columns.append(term_of[t0 + coo.col])
            values.append(coo.data.astype(np.int64))
            g0, t0 = g0 + len(part.keys), t0 + len(part.terms)
        matrix = sparse.csr_matrix(
            (np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))),
            shape=shape,
        )
        matrix.sum_duplicates()
        merged.append(matrix)
    words = np.zeros(len(keys), dtype=np.int64)
    n_docs = np.zeros(len(keys), dtype=np.int64)
    np.add.at(words, group_of, np.concatenate([p.words for p in parts]))
    np.add.at(n_docs, group_of, np.concatenate([p.n_docs for p in parts]))
    return GroupCounts(keys, terms.astype(object), merged[0], merged[1], words, n_docs)


def counts_of(
    runner: Any,
    grouping: Grouping,
    *,
    fields: Fields,
    ngram_range: tuple[int, int],
    stop_words: StopWords,
) -> GroupCounts:
    """Term counts of the runner's articles per group, map and combine on its executor.

    Only the columns the steps read are sent to them.
    """
    needed: list[Hashable] = [fields] if isinstance(fields, str) else list(fields)
    if isinstance(grouping, ByColumns):
        needed += list(grouping.columns)
    else:
        for side in (grouping.target, grouping.reference):
            needed += [side] if isinstance(side, str) else list(side or [])
    return runner.columns(needed).map_combine(
        count_groups, combine_counts, grouping, fields, ngram_range, stop_words
    )
