"""Keyness: terms that occur unusually often in one set of articles compared with another.

Counted with the steps of :mod:`mediakit.terms._steps` (target and reference are two
groups of articles), so a pandas frame and the partitions of a dask frame give the same
table.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from mediakit._compute import is_dask, runner_for
from mediakit._validation import as_list, check_int, require_columns
from mediakit.terms._counting import Fields, _check_ngram_range
from mediakit.terms._steps import REFERENCE, TARGET, ByColumns, Sides, counts_of, selection
from mediakit.tokenize import StopWords

KeynessMeasure: TypeAlias = Literal["g2", "chi2", "log_ratio", "pmi"]


def _describe(value: Any) -> str:
    """How a selection is named: a mapping by its pairs, a mask by its Series name."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k} = {v}" for k, v in value.items())
    name = getattr(value, "name", None) if isinstance(value, pd.Series) or is_dask(value) else None
    return "selection" if name is None else str(name)


def _two_by_two(
    a: np.ndarray, b: np.ndarray, n_a: np.ndarray | float, n_b: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """G² and χ² (no continuity correction) of the tables [[a, b], [n_a - a, n_b - b]]."""
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    total = n_a + n_b
    observed = (a, b, n_a - a, n_b - b)
    row_term = a + b
    row_rest = total - row_term
    expected = (
        row_term * n_a / total,
        row_term * n_b / total,
        row_rest * n_a / total,
        row_rest * n_b / total,
    )
    g2 = np.zeros_like(a)
    chi2 = np.zeros_like(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, expected, strict=True):
            g2 += np.where(o > 0, o * np.log(o / e), 0.0)
            chi2 += np.where(e > 0, (o - e) ** 2 / e, 0.0)
    return 2.0 * g2, chi2


def _keyness_table(
    terms: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    n_a: float,
    n_b: float,
    *,
    measure: str,
    min_count: int,
) -> pd.DataFrame:
    from scipy.stats import chi2 as chi2_distribution

    keep = (a + b) >= min_count
    terms, a, b = terms[keep], a[keep], b[keep]
    g2, chi2 = _two_by_two(a, b, n_a, n_b)
    # Hardie's log ratio: binary log of the ratio of relative frequencies, a zero count
    # replaced by 0.5 so that the ratio stays finite.
    rate_a = np.where(a > 0, a, 0.5) / n_a
    rate_b = np.where(b > 0, b, 0.5) / n_b
    log_ratio = np.log2(rate_a / rate_b)
    if measure == "g2":
        statistic = g2
    elif measure == "chi2":
        statistic = chi2
    elif measure == "log_ratio":
        statistic = np.abs(log_ratio)
    else:  # pmi of the term with the side it leans to
        pooled = (a + b) / (n_a + n_b)
        statistic = np.abs(np.log2(np.where(a / n_a >= b / n_b, rate_a, rate_b) / pooled))
    p_value = chi2_distribution.sf(chi2 if measure == "chi2" else g2, 1)
    lean = a / n_a - b / n_b
    direction = np.where(lean > 0, "target", np.where(lean < 0, "reference", "neither"))
    order = np.lexsort((terms, -statistic))
    return pd.DataFrame(
        {
            "term": pd.array(terms[order], dtype="str"),
            "count_target": a[order].astype(np.int64),
            "count_reference": b[order].astype(np.int64),
            "per_10k_target": a[order] / n_a * 1e4 if n_a else 0.0,
            "per_10k_reference": b[order] / n_b * 1e4 if n_b else 0.0,
            "statistic": statistic[order],
            "p_value": p_value[order],
            "log_ratio": log_ratio[order],
            "direction": pd.Categorical(
                direction[order], categories=["target", "reference", "neither"]
            ),
        }
    )


def _check_keyness_params(measure: object, min_count: object) -> None:
    """Validate keyness' options before any counting."""
    if measure not in ("g2", "chi2", "log_ratio", "pmi"):
        raise ValueError(
            "The 'measure' parameter of keyness must be one of 'g2', 'chi2', 'log_ratio', "
            f"'pmi'. Got {measure!r} instead."
        )
    check_int(min_count, "min_count", 0)


def keyness(
    articles: pd.DataFrame,
    target: Any,
    *,
    reference: Any = None,
    measure: KeynessMeasure = "g2",
    min_count: int = 5,
    stop_words: StopWords = "english",
    ngram_range: tuple[int, int] = (1, 1),
    fields: Fields = "text",
    client: Any = None,
) -> pd.DataFrame:
    """Terms that occur unusually often in one set of articles compared with another.

    Each term gets the 2 x 2 table (term / other words) x (target / reference), with
    corpus sizes in running words.

    Parameters
    ----------
    articles : DataFrame
        An article frame.
    target : boolean mask, {column: value(s)} or str
        The target articles: a boolean Series or array (``articles["lean"] == "right"``),
        a mapping such as ``{"lean": "right"}`` or ``{"outlet": ["CNN", "Fox News"]}``, or
        the name of a column: then each of its values is compared with all other articles
        and the result has a ``group`` column.
    reference : boolean mask or {column: value(s)}, optional
        The reference articles; by default every article not in the target.
    measure : {"g2", "chi2", "log_ratio", "pmi"}, default "g2"
        What ``statistic`` holds and the rows are sorted by: Dunning's log-likelihood
        G², Pearson's χ² (without continuity correction), the absolute log ratio, or the
        absolute pointwise mutual information of the term with the side it leans to.
    min_count : int, default 5
        Keep terms occurring at least this often in target and reference together.
    stop_words, ngram_range, fields
        As in :func:`term_frequencies`.
    client : distributed.Client, optional
        Count on this Dask cluster (see :func:`term_frequencies`). On a dask frame a
        mask must be a boolean dask Series derived from it
        (``articles["lean"] == "right"``).

    Returns
    -------
    DataFrame
        ``[group,] term, count_target, count_reference, per_10k_target,
        per_10k_reference, statistic, p_value, log_ratio, direction``: ``statistic`` is
        unsigned and ``direction`` ("target" or "reference") says which side the term
        leans to; ``p_value`` is that of χ² for ``measure="chi2"`` and of G² otherwise
        (one degree of freedom); ``log_ratio`` is the binary log of the ratio of
        relative frequencies (Hardie 2014; a zero count counts as 0.5). Sorted by
        ``statistic``, largest first (within each group). ``attrs`` holds the corpus
        sizes ``n_target`` and ``n_reference`` in running words (dicts by group when
        ``target`` is a column) and the ``target`` / ``reference`` labels.

    Raises
    ------
    ValueError
        If the target or reference selects no article, or the target selects every
        article and no reference is given.
    KeyError
        If a named column does not exist.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides().head(600)
    >>> key = mk.keyness(articles, {"lean": "right"}, reference={"lean": "left"})
    >>> key[["term", "count_target", "count_reference", "direction"]].head(3)
                term  count_target  count_reference  direction
    0  advertisement           472                9     target
    1           daca           140              315  reference
    2        dossier           260               35     target
    >>> key.attrs["target"], key.attrs["reference"]
    ('lean = right', 'lean = left')
    >>> by_lean = mk.keyness(articles, "lean")
    >>> by_lean["group"].unique().tolist()
    ['left', 'center', 'right']
    """
    runner = runner_for(articles, client=client, function="keyness")
    _check_keyness_params(measure, min_count)
    _check_ngram_range(ngram_range)
    require_columns(runner.meta, as_list(fields), "fields")
    if isinstance(target, str):
        return _keyness_by_column(
            runner,
            target,
            reference=reference,
            measure=measure,
            min_count=int(min_count),
            stop_words=stop_words,
            ngram_range=ngram_range,
            fields=fields,
        )
    articles, target_side = _side(articles, target, TARGET)
    reference_side = None
    if reference is not None:
        articles, reference_side = _side(articles, reference, REFERENCE)
    runner = runner_for(articles, client=client, function="keyness")
    counts = counts_of(
        runner,
        Sides(target_side, reference_side),
        fields=fields,
        ngram_range=ngram_range,
        stop_words=stop_words,
    )
    docs_target, docs_reference = (int(n) for n in counts.n_docs)
    if docs_target == 0:
        raise ValueError(
            f"The 'target' parameter selects no article ({_describe(target)}); check the "
            "column values, for example articles['lean'].unique()."
        )
    if docs_reference == 0:
        if reference is None:
            raise ValueError(
                f"The 'target' parameter selects every article ({_describe(target)}), so "
                "nothing is left to compare with. Select fewer articles or pass reference=."
            )
        raise ValueError(
            f"The 'reference' parameter selects no article ({_describe(reference)}); "
            "check the column values, or leave reference=None to use all other articles."
        )
    n_a, n_b = (float(w) for w in counts.words)
    for side, size in (("target", n_a), ("reference", n_b)):
        if size == 0:
            raise ValueError(
                f"The {side!r} articles hold no words in {as_list(fields)}; keyness needs "
                "text on both sides. Check the 'fields' parameter or the selection."
            )
    a, b = counts.count.toarray()
    out = _keyness_table(counts.terms, a, b, n_a, n_b, measure=measure, min_count=min_count)
    out.attrs = {
        "n_target": int(n_a),
        "n_reference": int(n_b),
        "target": _describe(target),
        "reference": f"not {_describe(target)}" if reference is None else _describe(reference),
        "measure": measure,
    }
    return out


def _side(articles: Any, value: Any, column: str) -> tuple[Any, Any]:
    """The articles and how the steps find a side: a mapping, or a mask column added."""
    name = "target" if column == TARGET else "reference"
    if isinstance(value, Mapping):
        selection(articles.iloc[:0] if not is_dask(articles) else articles._meta, value, name)
        return articles, dict(value)
    if is_dask(value):
        if getattr(value, "dtype", None) is None or not pd.api.types.is_bool_dtype(value.dtype):
            raise TypeError(
                f"The {name!r} parameter is a dask Series of dtype "
                f"{getattr(value, 'dtype', None)}; a mask must be boolean, for example "
                "articles['lean'] == 'right'."
            )
        return articles.assign(**{column: value}), column
    if is_dask(articles):
        raise TypeError(
            f"The {name!r} parameter of keyness on a dask frame must be a {{column: value}} "
            "mapping such as {'lean': 'right'}, a boolean dask Series over the articles, or (for "
            f"'target') a column name. Got {type(value).__name__} instead."
        )
    return articles.assign(**{column: selection(articles, value, name)}), column


def _keyness_by_column(
    runner: Any,
    column: str,
    *,
    reference: Any,
    measure: str,
    min_count: int,
    stop_words: StopWords,
    ngram_range: tuple[int, int],
    fields: Fields,
) -> pd.DataFrame:
    if column not in runner.meta.columns:
        raise KeyError(
            f"The 'target' parameter {column!r} is not a column of the article frame (columns: "
            f"{list(runner.meta.columns)}). Pass a column name, a boolean mask, or a mapping "
            "such as {'lean': 'right'}."
        )
    if reference is not None:
        raise ValueError(
            f"The 'reference' parameter must be None when 'target' is a column ({column!r}): "
            "each value is compared with all other articles. Pass target={column: value} "
            "to compare with a chosen reference."
        )
    counts = counts_of(
        runner,
        ByColumns((column,)),
        fields=fields,
        ngram_range=ngram_range,
        stop_words=stop_words,
    )
    values = counts.keys[column]
    if len(values) < 2:
        raise ValueError(
            f"The 'target' column {column!r} has a single value {values.tolist()}, so "
            "nothing is left to compare with. Pick a column with at least two values."
        )
    return _each_group_against_rest(
        counts.terms,
        counts.count.toarray(),
        counts.words,
        values,
        column=column,
        dtype=values.dtype,
        measure=measure,
        min_count=min_count,
    )


def _each_group_against_rest(
    terms: Any,
    by_group: np.ndarray,
    words: np.ndarray,
    labels: pd.Series,
    *,
    column: Hashable,
    dtype: Any,
    measure: str,
    min_count: int,
) -> pd.DataFrame:
    """Keyness of each group's counts (rows of ``by_group``) against all other groups."""
    total = by_group.sum(axis=0)
    words = np.asarray(words, dtype=np.float64)
    frames = []
    for g in range(len(labels)):
        table = _keyness_table(
            terms,
            by_group[g],
            total - by_group[g],
            float(words[g]),
            float(words.sum() - words[g]),
            measure=measure,
            min_count=min_count,
        )
        table.insert(0, "group", g)
        frames.append(table)
    out = pd.concat(frames, ignore_index=True)
    out["group"] = labels.take(out["group"].to_numpy()).reset_index(drop=True).astype(dtype)
    names = labels.tolist()
    out.attrs = {
        "n_target": {name: int(w) for name, w in zip(names, words, strict=True)},
        "n_reference": {name: int(words.sum() - w) for name, w in zip(names, words, strict=True)},
        "target": column,
        "reference": "all other articles",
        "measure": measure,
    }
    return out
