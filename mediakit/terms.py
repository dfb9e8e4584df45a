"""Term statistics on article frames: frequencies, keyness, keywords in context, dictionaries.

Every function takes an article frame and returns a new tidy frame. All of them count
the tokens of the shared tokeniser (:mod:`mediakit.tokenize`), so a term here is the
term a topic is labelled with and the word a query (:func:`matches`) finds.

Corpus sizes are *running words*: every token of the tokeniser, stop words included
(tokens of one character and pure numbers are not words). Rates such as ``per_10k``
are per 10,000 running words, as in corpus linguistics.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from mediakit.query import Term, matches, select
from mediakit.tokenize import POSSESSIVE, TOKEN, StopWords, count_words, stop_word_set, tokenize

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = [
    "collocations",
    "count_terms",
    "keyness",
    "kwic",
    "matches",
    "select",
    "term_frequencies",
]

Fields: TypeAlias = str | Sequence[str]
KeynessMeasure: TypeAlias = Literal["g2", "chi2", "log_ratio", "pmi"]
CollocationMeasure: TypeAlias = Literal["pmi", "g2", "t"]

_CHUNK = 2048  # documents per block of the sparse build (bounds the temporary buffers)


# --------------------------------------------------------------------------- checks
def _check_frame(articles: object) -> pd.DataFrame:
    if not isinstance(articles, pd.DataFrame):
        raise TypeError(
            "The 'articles' parameter must be a pandas DataFrame (an article frame), got "
            f"{type(articles).__name__}. Load one with mediakit.load_articles(...) or "
            "mediakit.datasets.load_allsides()."
        )
    return articles


def _require(articles: pd.DataFrame, columns: Iterable[str], parameter: str) -> None:
    missing = [c for c in columns if c not in articles.columns]
    if missing:
        raise KeyError(
            f"The {parameter!r} parameter names column(s) {missing} that the article frame "
            f"does not have (columns: {list(articles.columns)}). Pick existing columns or add "
            "them to the frame first."
        )


def _as_list(value: Fields) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _text_column(articles: pd.DataFrame, fields: Fields) -> pd.Series:
    """The text of each article: the ``fields`` joined by blank lines ("" where missing)."""
    names = _as_list(fields)
    if not names:
        raise ValueError("The 'fields' parameter is empty; name at least one text column.")
    _require(articles, names, "fields")
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


def _prune(counts: _Counts, *, min_df: float, max_df: float) -> tuple[_Counts, np.ndarray]:
    """Keep terms within the document-frequency bounds; return them with their df."""
    n_docs = counts.matrix.shape[0]
    low = _check_df(min_df, "min_df", n_docs)
    high = _check_df(max_df, "max_df", n_docs)
    df = np.bincount(counts.matrix.indices, minlength=counts.matrix.shape[1])
    keep = (df >= low) & (df <= high)
    if keep.all():
        return counts, df
    return _Counts(counts.matrix[:, keep], counts.terms[keep], counts.words), df[keep]


def _indicator(codes: np.ndarray, n_groups: int) -> csr_matrix:
    """groups x documents 0/1 matrix; documents with code -1 belong to no group."""
    from scipy import sparse

    rows = np.flatnonzero(codes >= 0)
    return sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (codes[rows], rows)),
        shape=(n_groups, len(codes)),
    )


def _groups(articles: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group code per row (missing values form their own group) and the group keys."""
    grouped = articles.groupby(by, observed=True, dropna=False, sort=True)
    codes = grouped.ngroup().to_numpy(dtype=np.int64)
    keys = grouped.size().reset_index()[by]
    for column in by:
        keys[column] = keys[column].astype(articles[column].dtype)
    return codes, keys.reset_index(drop=True)


# --------------------------------------------------------------------------- frequencies
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
    if type(articles).__module__.startswith("dask"):  # a dask frame: map-reduce on a cluster
        from mediakit import scale

        return scale.term_frequencies(
            articles,
            by=by,
            ngram_range=ngram_range,
            stop_words=stop_words,
            min_df=min_df,
            max_df=max_df,
            top_n=top_n,
            fields=fields,
        )
    articles = _check_frame(articles)
    by_list = [] if by is None else _as_list(by)
    _require(articles, by_list, "by")
    if top_n is not None and (isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1):
        raise ValueError(
            f"The 'top_n' parameter must be a positive int or None. Got {top_n!r} instead."
        )
    counts = _count(_text_blocks(articles, fields), ngram_range=ngram_range, stop_words=stop_words)
    counts, df = _prune(counts, min_df=min_df, max_df=max_df)
    n_docs = counts.matrix.shape[0]
    idf = np.log((1 + n_docs) / (1 + df)) + 1.0
    if by_list:
        codes, keys = _groups(articles, by_list)
    else:
        codes, keys = np.zeros(n_docs, dtype=np.int64), pd.DataFrame(index=range(1))
    n_groups = len(keys)
    group_matrix = _indicator(codes, n_groups)
    totals = (group_matrix @ counts.matrix).tocsr()
    matrix = counts.matrix
    present = type(matrix)(  # 1 where an article has the term; shares the index arrays
        (np.ones(matrix.nnz, dtype=np.int32), matrix.indices, matrix.indptr), shape=matrix.shape
    )
    docs = (group_matrix @ present).tocsr()
    totals.sort_indices()
    docs.sort_indices()
    group_words = np.bincount(codes, weights=counts.words, minlength=n_groups)
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
    out = keys.take(group).reset_index(drop=True)
    out["term"] = pd.array(counts.terms[term], dtype="str")
    out["count"] = count
    out["doc_count"] = doc_count
    out["per_10k"] = per_10k
    out["tfidf"] = count * idf[term]
    out.attrs = {"n_words": dict(zip(_labels(keys), group_words.astype(int).tolist(), strict=True))}
    return out


def _labels(keys: pd.DataFrame) -> list[Hashable]:
    if keys.shape[1] == 0:
        return ["all"]
    if keys.shape[1] == 1:
        return keys.iloc[:, 0].tolist()
    return list(keys.itertuples(index=False, name=None))


# --------------------------------------------------------------------------- keyness
def _selection(articles: pd.DataFrame, value: Any, parameter: str) -> np.ndarray:
    """A boolean mask from a boolean Series / array or a {column: value(s)} mapping."""
    n = len(articles)
    if isinstance(value, Mapping):
        if not value:
            raise ValueError(
                f"The {parameter!r} parameter is an empty mapping; pass {{column: value}}, "
                "for example {'lean': 'right'}."
            )
        _require(articles, list(value), parameter)
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


def _describe(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k} = {v}" for k, v in value.items())
    if isinstance(value, pd.Series) and value.name is not None:
        return str(value.name)
    return "selection"


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
    """Validate keyness' options (shared with the Dask path in :mod:`mediakit.scale`)."""
    if measure not in ("g2", "chi2", "log_ratio", "pmi"):
        raise ValueError(
            "The 'measure' parameter of keyness must be one of 'g2', 'chi2', 'log_ratio', "
            f"'pmi'. Got {measure!r} instead."
        )
    if isinstance(min_count, bool) or not isinstance(min_count, int | np.integer) or min_count < 0:
        raise ValueError(
            f"The 'min_count' parameter must be an int >= 0. Got {min_count!r} instead."
        )


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
    if type(articles).__module__.startswith("dask"):  # a dask frame: map-reduce on a cluster
        from mediakit import scale

        return scale.keyness(
            articles,
            target,
            reference=reference,
            measure=measure,
            min_count=min_count,
            stop_words=stop_words,
            ngram_range=ngram_range,
            fields=fields,
        )
    articles = _check_frame(articles)
    _check_keyness_params(measure, min_count)
    if isinstance(target, str):
        return _keyness_by_column(
            articles,
            target,
            reference=reference,
            measure=measure,
            min_count=int(min_count),
            stop_words=stop_words,
            ngram_range=ngram_range,
            fields=fields,
        )
    in_target = _selection(articles, target, "target")
    if not in_target.any():
        raise ValueError(
            f"The 'target' parameter selects no article ({_describe(target)}); check the "
            "column values, for example articles['lean'].unique()."
        )
    if reference is None:
        in_reference = ~in_target
        if not in_reference.any():
            raise ValueError(
                f"The 'target' parameter selects every article ({_describe(target)}), so "
                "nothing is left to compare with. Select fewer articles or pass reference=."
            )
        reference_label = f"not {_describe(target)}"
    else:
        in_reference = _selection(articles, reference, "reference")
        if not in_reference.any():
            raise ValueError(
                f"The 'reference' parameter selects no article ({_describe(reference)}); "
                "check the column values, or leave reference=None to use all other articles."
            )
        reference_label = _describe(reference)
    used = in_target | in_reference
    rows = np.flatnonzero(used)
    counts = _count(
        _text_blocks(articles.iloc[rows], fields), ngram_range=ngram_range, stop_words=stop_words
    )
    # one sparse product sums the target rows and the reference rows (which may overlap)
    target_rows, reference_rows = in_target[rows], in_reference[rows]
    side_matrix = _indicator(np.where(target_rows, 0, -1), 2) + _indicator(
        np.where(reference_rows, 1, -1), 2
    )
    a, b = np.asarray((side_matrix @ counts.matrix).todense())
    n_a = float(counts.words[target_rows].sum())
    n_b = float(counts.words[reference_rows].sum())
    for side, size in (("target", n_a), ("reference", n_b)):
        if size == 0:
            raise ValueError(
                f"The {side!r} articles hold no words in {_as_list(fields)}; keyness needs "
                "text on both sides. Check the 'fields' parameter or the selection."
            )
    out = _keyness_table(counts.terms, a, b, n_a, n_b, measure=measure, min_count=min_count)
    out.attrs = {
        "n_target": int(n_a),
        "n_reference": int(n_b),
        "target": _describe(target),
        "reference": reference_label,
        "measure": measure,
    }
    return out


def _keyness_by_column(
    articles: pd.DataFrame,
    column: str,
    *,
    reference: Any,
    measure: str,
    min_count: int,
    stop_words: StopWords,
    ngram_range: tuple[int, int],
    fields: Fields,
) -> pd.DataFrame:
    if column not in articles.columns:
        raise KeyError(
            f"The 'target' parameter {column!r} is not a column of the article frame (columns: "
            f"{list(articles.columns)}). Pass a column name, a boolean mask, or a mapping "
            "such as {'lean': 'right'}."
        )
    if reference is not None:
        raise ValueError(
            f"The 'reference' parameter must be None when 'target' is a column ({column!r}): "
            "each value is compared with all other articles. Pass target={column: value} "
            "to compare with a chosen reference."
        )
    codes, keys = _groups(articles, [column])
    if len(keys) < 2:
        raise ValueError(
            f"The 'target' column {column!r} has a single value {keys[column].tolist()}, so "
            "nothing is left to compare with. Pick a column with at least two values."
        )
    counts = _count(_text_blocks(articles, fields), ngram_range=ngram_range, stop_words=stop_words)
    by_group = np.asarray((_indicator(codes, len(keys)) @ counts.matrix).todense())
    words = np.bincount(codes, weights=counts.words, minlength=len(keys))
    return _each_group_against_rest(
        counts.terms,
        by_group,
        words,
        keys[column],
        column=column,
        dtype=articles[column].dtype,
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
    """Keyness of each group's counts (rows of ``by_group``) against all other groups.

    Shared by the pandas and the Dask paths, which differ only in how they count.
    """
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


# --------------------------------------------------------------------------- kwic
_WORD_PATTERN = re.compile(r"[^\W_](?:[\w.'’-]*[\w.])?\*?")


def _pattern_regex(pattern: str, *, regex: bool, case: bool) -> tuple[re.Pattern[str], str]:
    """The compiled pattern and a literal every match contains ("" when unknown)."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError(
            f"The 'pattern' parameter must be a non-empty string such as 'Putin', 'vote*' or "
            f"'White House'. Got {pattern!r} instead."
        )
    flags = 0 if case else re.IGNORECASE
    if regex:
        try:
            return re.compile(pattern, flags), ""
        except re.error as error:
            raise ValueError(
                f"The 'pattern' parameter {pattern!r} is not a valid regular expression "
                f"({error}). Fix it, or pass regex=False to search for words."
            ) from None
    text = pattern.strip().strip('"“”')
    wildcard = text.endswith("*")
    body = text[:-1] if wildcard else text
    words = tuple(TOKEN.findall(body))
    if not words or "*" in body or any(not _WORD_PATTERN.fullmatch(w) for w in words):
        raise ValueError(
            f"The 'pattern' parameter {pattern!r} is not a word or phrase: write words with "
            "an optional trailing * ('vote*', 'White House'), or pass regex=True."
        )
    term = Term(words, wildcard=wildcard, phrase=len(words) > 1)
    return re.compile(term.pattern(), flags), max(words, key=len)


def _context(text: str, start: int, end: int, window: int) -> tuple[str, str]:
    span = 40 * window
    left_from = max(0, start - span)
    left_words = text[left_from:start].split()
    if left_from and len(left_words) <= window:
        left_words = text[:start].split()
    right_to = end + span
    right_words = text[end:right_to].split()
    if right_to < len(text) and len(right_words) <= window:
        right_words = text[end:].split()
    left = " ".join(left_words[-window:]) if window else ""
    right = " ".join(right_words[:window]) if window else ""
    return left, right


def kwic(
    articles: pd.DataFrame,
    pattern: str,
    *,
    window: int = 8,
    regex: bool = False,
    case: bool = False,
    fields: Fields = "text",
) -> pd.DataFrame:
    """Keywords in context: every occurrence of ``pattern`` with the words around it.

    Parameters
    ----------
    articles : DataFrame
        An article frame (needs ``article_id``; ``outlet`` and ``published`` are copied
        when present).
    pattern : str
        A word (``"Putin"``), a word with a trailing wildcard (``"vote*"``) or a phrase
        (``"White House"``), matched on word boundaries as in :func:`matches`; or a
        regular expression with ``regex=True``.
    window : int, default 8
        Words of context on each side.
    regex : bool, default False
        Treat ``pattern`` as a Python regular expression.
    case : bool, default False
        Match case exactly.
    fields : str or list of str, default "text"
        Text column(s) searched; several are joined by a blank line.

    Returns
    -------
    DataFrame
        ``article_id, outlet, published, left, match, right``: one row per occurrence,
        in article order, then in order of position in the text.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides()
    >>> lines = mk.kwic(articles, "Putin", window=4)
    >>> len(lines)
    1139
    >>> lines[["left", "match", "right"]].head(2)
                         left  match                   right
    0     was in cahoots with  Putin        . But that’s not
    1  be careful because the  Putin  regime had a kompromat
    """
    articles = _check_frame(articles)
    _require(articles, ["article_id"], "articles")
    if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < 0:
        raise ValueError(f"The 'window' parameter must be an int >= 0. Got {window!r} instead.")
    compiled, needle = _pattern_regex(pattern, regex=regex, case=case)
    texts = _texts(articles, fields)
    if needle:
        candidates = pd.Series(texts, dtype="string[pyarrow]").str.contains(
            needle, regex=False, case=case
        )
        rows = np.flatnonzero(candidates.to_numpy(dtype=bool))
    else:
        rows = np.arange(len(texts))
    found_rows: list[int] = []
    left: list[str] = []
    hit: list[str] = []
    right: list[str] = []
    for row in rows:
        text = texts[row]
        for match in compiled.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            before, after = _context(text, start, end, int(window))
            found_rows.append(int(row))
            left.append(before)
            hit.append(match.group())
            right.append(after)
    taken = np.asarray(found_rows, dtype=np.int64)
    n = len(taken)
    out = pd.DataFrame(index=range(n))
    for column, empty in (
        ("article_id", pd.Series(pd.NA, index=range(n), dtype="string")),
        ("outlet", pd.Series(pd.NA, index=range(n), dtype="string")),
        ("published", pd.Series(pd.NaT, index=range(n), dtype="datetime64[us, UTC]")),
    ):
        out[column] = (
            articles[column].take(taken).reset_index(drop=True) if column in articles else empty
        )
    out["left"] = pd.array(left, dtype="str")
    out["match"] = pd.array(hit, dtype="str")
    out["right"] = pd.array(right, dtype="str")
    return out


# --------------------------------------------------------------------------- collocations
def collocations(
    articles: pd.DataFrame,
    *,
    min_count: int = 5,
    measure: CollocationMeasure = "pmi",
    stop_words: StopWords = "english",
    top_n: int | None = None,
    fields: Fields = "text",
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
    articles = _check_frame(articles)
    if measure not in ("pmi", "g2", "t"):
        raise ValueError(
            "The 'measure' parameter of collocations must be one of 'pmi', 'g2', 't'. "
            f"Got {measure!r} instead."
        )
    if isinstance(min_count, bool) or not isinstance(min_count, int | np.integer) or min_count < 1:
        raise ValueError(
            f"The 'min_count' parameter must be an int >= 1. Got {min_count!r} instead."
        )
    stop = stop_word_set(stop_words)
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    lookup = vocabulary.__getitem__
    ids = array("q")
    boundaries = array("q")
    for text in _texts(articles, fields):
        ids.extend(map(lookup, tokenize(text)))
        boundaries.append(len(ids))
    tokens = np.frombuffer(ids, dtype=np.int64) if len(ids) else np.zeros(0, np.int64)
    n_terms = max(len(vocabulary), 1)
    unigram = np.bincount(tokens, minlength=n_terms)
    first, second = tokens[:-1], tokens[1:]
    crosses = np.zeros(len(first), dtype=bool)
    ends = np.frombuffer(boundaries, dtype=np.int64) if len(boundaries) else np.zeros(0, np.int64)
    ends = ends[(ends > 0) & (ends < len(tokens))]
    crosses[ends - 1] = True  # the pair (last word of one article, first of the next)
    pairs, pair_count = np.unique(first[~crosses] * n_terms + second[~crosses], return_counts=True)
    n_pairs = float(pair_count.sum())
    terms = np.array(list(vocabulary), dtype=object)
    x, y = pairs // n_terms, pairs % n_terms
    is_stop = np.fromiter((t in stop for t in terms), dtype=bool, count=len(terms))
    keep = (pair_count >= min_count) & ~is_stop[x] & ~is_stop[y] if len(terms) else pair_count > 0
    x, y, observed = x[keep], y[keep], pair_count[keep].astype(np.float64)
    n_words = float(len(tokens))
    expected = unigram[x] * unigram[y] / n_words / n_words * n_pairs
    if measure == "pmi":
        statistic = np.log2(observed / expected)
    elif measure == "t":
        statistic = (observed - expected) / np.sqrt(observed)
    else:
        # 2 x 2 table: pair / first word with another second word / ... ; on pair counts
        first_total = np.bincount(pairs // n_terms, weights=pair_count, minlength=n_terms)[x]
        second_total = np.bincount(pairs % n_terms, weights=pair_count, minlength=n_terms)[y]
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


# --------------------------------------------------------------------------- dictionaries
def count_terms(
    articles: pd.DataFrame,
    dictionary: Mapping[str, Iterable[str]],
    *,
    fields: Fields = "text",
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
    articles = _check_frame(articles)
    _require(articles, ["article_id"], "articles")
    if not isinstance(dictionary, Mapping) or not dictionary:
        raise ValueError(
            "The 'dictionary' parameter must be a non-empty mapping {category: [terms]}, "
            f"for example {{'economy': ['econom*', 'jobs']}}. Got {dictionary!r:.80} instead."
        )
    from scipy import sparse

    counts = _count(_text_blocks(articles, fields), stop_words=None)
    vocabulary = counts.terms
    categories = list(dictionary)
    rows: list[int] = []
    columns: list[int] = []
    for k, category in enumerate(categories):
        entries = dictionary[category]
        if isinstance(entries, str):
            entries = [entries]
        matched: set[int] = set()
        for entry in entries:
            word = str(entry).strip().lower()
            prefix = word.endswith("*")
            word = POSSESSIVE.sub("", word.rstrip("*"))
            if not word or not TOKEN.fullmatch(word):
                raise ValueError(
                    f"The 'dictionary' entry {entry!r} of category {category!r} is not a word: "
                    "write single words, optionally ending with * ('immigra*')."
                )
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
        shape=(len(vocabulary), len(categories)),
    )
    per_article = np.asarray((counts.matrix @ membership).todense(), dtype=np.int64)
    out = pd.DataFrame({"article_id": articles["article_id"].to_numpy()})
    out["article_id"] = out["article_id"].astype(articles["article_id"].dtype)
    for k, category in enumerate(categories):
        out[str(category)] = per_article[:, k]
    out["n_words"] = counts.words
    return out
