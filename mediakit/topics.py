"""Topic clusters that can be named, reproduced and followed over time.

:class:`TopicModel` groups articles into themes and describes each theme by its
top terms. It is a scikit-learn estimator (``fit`` / ``transform`` / ``predict``,
``get_params`` / ``set_params``) that reads article frames, and its outputs are
tidy frames ready for :func:`mediakit.plot_topics`,
:func:`mediakit.plot_topic_map` and :func:`mediakit.plot_topics_over_time`.

Three promises hold for every method:

- **Reproducible.** The same ``random_state`` gives the same topics and the same
  assignments whatever the row order of the input: documents are put in the order of
  a hash of their content before fitting, the vocabulary is sorted, and topics are
  numbered by size, then label.
- **No outlier bucket.** Every article gets a topic, with a ``confidence`` (the
  share of its topic weight that falls on the assigned topic) so that weakly
  assigned articles can be set aside explicitly.
- **Shares of coverage.** :meth:`TopicModel.topics_over_time` and
  :meth:`TopicModel.topics_by` divide a topic's article count by all articles of the
  same period or group, so shares add up to one.

Words come from the shared tokeniser (:func:`mediakit.tokenize.make_analyzer`), so a
topic's terms are the words :func:`mediakit.term_frequencies` counts.
"""

from __future__ import annotations

import contextlib
import hashlib
import numbers
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from mediakit.tokenize import StopWords, make_analyzer

__all__ = ["TopicModel", "npmi_coherence"]

Method = Literal["nmf", "kmeans", "lda"]

#: Window size and epsilon of gensim's ``CoherenceModel(coherence="c_npmi")``.
NPMI_WINDOW = 10
NPMI_EPSILON = 1e-12

_HASH_SEP = "\x1f"


# ---------------------------------------------------------------------------------------------
# documents: whatever the user passes -> token streams in a canonical order
# ---------------------------------------------------------------------------------------------


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


def _is_dask(X: Any) -> bool:
    from mediakit.scale import is_dask

    return is_dask(X)


def _map_partitions(model: TopicModel, method: str, X: Any, meta: pd.DataFrame) -> Any:
    """``model.<method>`` mapped over a dask frame's partitions, the model sent once.

    On a distributed cluster the model is scattered to the workers first, so the task
    graph holds a reference to it, not its vocabulary and projection.
    """
    from dask import delayed

    try:
        from distributed import default_client

        shared = delayed(default_client().scatter(model, broadcast=True))
    except (ImportError, ValueError):  # no distributed client: local schedulers
        shared = delayed(model, pure=True)
    return X.map_partitions(_call, shared, method, meta=meta)


def _call(part: pd.DataFrame, model: TopicModel, method: str) -> Any:
    return getattr(model, method)(part)


def _check_in_memory(X: Any, argument: str = "X") -> None:
    if _is_dask(X):
        raise TypeError(
            f"The {argument!r} argument is a dask collection, which this method needs in "
            "memory. fit, transform, predict, assign, topics_over_time and topics_by take "
            "dask frames; for others, compute a sample first: X.sample(frac=0.01).compute()."
        )


def _as_docs(X: Any, *, argument: str = "X") -> _Docs:
    """Read an article frame, a Series / iterable of texts, or an iterable of token lists."""
    _check_in_memory(X, argument)
    titles: list[Any]
    bodies: list[Any]
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise ValueError(
                f"The {argument!r} frame has no 'text' column (columns: {list(X.columns)}). Pass "
                "an article frame (see mediakit.schema.as_articles) or a list of texts."
            )
        index = X.index
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
            elif pretokenized and isinstance(value, list | tuple | np.ndarray):
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


_CHUNK = 2000
_NPMI_BATCH = 2_000_000  # tokens per batch of the coherence counts
#: Documents (the first in content-hash order: a fixed random sample) that fit the LSA
#: projection and start k-means on a large corpus; smaller corpora use all of theirs.
_SAMPLE = 20_000
_KMEANS_STEPS = 20  # spherical k-means steps over all documents, at most
#: Representative articles kept per topic by a fit on a dask frame.
_REPRESENTATIVES = 20


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


# ---------------------------------------------------------------------------------------------
# the NPMI coherence of gensim's CoherenceModel(coherence="c_npmi"), vectorised
# ---------------------------------------------------------------------------------------------


def _window_counts(
    tokens: np.ndarray, offsets: np.ndarray, relevant: np.ndarray, window: int = NPMI_WINDOW
) -> tuple[np.ndarray, np.ndarray, int]:
    """Boolean sliding-window occurrence and co-occurrence counts of the ``relevant`` ids.

    Reproduces gensim's ``WordOccurrenceAccumulator``: a document of ``n`` tokens gives
    ``max(1, n - window + 1)`` windows (a short document is one window); when the window
    slides, the token that leaves it is marked absent even if it occurs again inside the
    window. Returns (occurrences per relevant term, co-occurrence matrix, number of windows).
    Documents are counted in batches of about two million tokens to bound memory.
    """
    n_rel = len(relevant)
    occ = np.zeros(n_rel)
    co = np.zeros((n_rel, n_rel))
    n_windows = 0
    first = 0
    n_docs = len(offsets) - 1
    while first < n_docs:
        last = int(np.searchsorted(offsets, offsets[first] + _NPMI_BATCH, side="right")) - 1
        last = min(max(last, first + 1), n_docs)
        o, c, w = _window_counts_batch(
            tokens[offsets[first] : offsets[last]],
            offsets[first : last + 1] - offsets[first],
            relevant,
            window,
        )
        occ += o
        co += c
        n_windows += w
        first = last
    return occ, co, n_windows


def _window_counts_batch(
    tokens: np.ndarray, offsets: np.ndarray, relevant: np.ndarray, window: int
) -> tuple[np.ndarray, np.ndarray, int]:
    n_rel = len(relevant)
    lengths = np.diff(offsets)
    n_windows_doc = np.maximum(1, lengths - window + 1)
    n_windows = int(n_windows_doc.sum())
    if n_rel == 0 or len(tokens) == 0:
        return np.zeros(n_rel), np.zeros((n_rel, n_rel)), n_windows
    lookup = np.full(int(max(tokens.max(), relevant.max())) + 2, -1, dtype=np.int64)
    lookup[relevant] = np.arange(n_rel)
    word = lookup[tokens]  # tokens == -1 map to the last slot, which stays -1
    where = np.flatnonzero(word >= 0)
    if len(where) == 0:
        return np.zeros(n_rel), np.zeros((n_rel, n_rel)), n_windows
    word = word[where]
    doc = np.searchsorted(offsets, where, side="right") - 1
    pos = where - offsets[doc]
    short = lengths[doc] < window
    # sort occurrences by (doc, word, position)
    order = np.lexsort((pos, word, doc))
    word, doc, pos, short = word[order], doc[order], pos[order], short[order]
    group = doc * n_rel + word
    start = np.maximum(0, pos - window + 1)
    # presence lasts until the first occurrence at or after the window start leaves the window
    stride = int(lengths.max()) + window + 1
    first = np.searchsorted(group * stride + pos, group * stride + start)
    end = np.minimum(pos[first], n_windows_doc[doc] - 1)
    start = np.where(short, 0, start)
    end = np.where(short, 0, end)
    span = end - start + 1
    window_base = np.concatenate([[0], np.cumsum(n_windows_doc)[:-1]])
    rep = np.repeat(np.arange(len(span)), span)
    step = np.arange(len(rep)) - np.repeat(np.cumsum(span) - span, span)
    global_window = window_base[doc[rep]] + start[rep] + step
    code = np.sort(global_window.astype(np.int64) * n_rel + word[rep])
    code = code[np.concatenate([[True], code[1:] != code[:-1]])]
    window_id = code // n_rel
    rows = np.cumsum(np.concatenate([[0], window_id[1:] != window_id[:-1]]))
    indicator = sp.csr_matrix(
        (np.ones(len(code), dtype=np.float64), (rows, code % n_rel)),
        shape=(int(rows.max()) + 1, n_rel),
    )
    co = (indicator.T @ indicator).toarray()
    return np.diag(co).copy(), co, n_windows


def npmi_coherence(
    topics: Sequence[Sequence[int]] | np.ndarray,
    tokens: np.ndarray,
    offsets: np.ndarray,
    *,
    window: int = NPMI_WINDOW,
) -> np.ndarray:
    """NPMI of each topic's top terms, as gensim's ``CoherenceModel(coherence="c_npmi")``.

    ``tokens`` holds the term ids of all documents one after the other (-1 for a token
    that is not a term), ``offsets`` where each document starts (and the end). Word
    probabilities are shares of boolean sliding windows of ``window`` tokens; each pair
    of a topic's terms scores ``log((p(a, b) + eps) / (p(a) p(b))) / -log(p(a, b) + eps)``
    with ``eps = 1e-12``; a topic's coherence is the mean over its pairs.

    Examples
    --------
    >>> tokens = np.array([0, 1, 2, 0, 1, 3, 2, 3])
    >>> offsets = np.array([0, 3, 5, 8])
    >>> npmi_coherence([[0, 1], [2, 3]], tokens, offsets).round(3)
    array([1.   , 0.369])
    """
    relevant = np.unique(np.concatenate([np.asarray(t, dtype=np.int64) for t in topics]))
    occ, co, n_windows = _window_counts(
        np.asarray(tokens, dtype=np.int64), np.asarray(offsets, dtype=np.int64), relevant, window
    )
    position = {int(term): i for i, term in enumerate(relevant)}
    scores = []
    for topic in topics:
        idx = np.array([position[int(t)] for t in topic])
        p = occ[idx] / n_windows
        p_joint = co[np.ix_(idx, idx)] / n_windows
        with np.errstate(divide="ignore", invalid="ignore"):
            pmi = np.log((p_joint + NPMI_EPSILON) / np.outer(p, p))
            npmi = pmi / -np.log(p_joint + NPMI_EPSILON)
        pairs = ~np.eye(len(idx), dtype=bool)
        scores.append(float(npmi[pairs].mean()) if pairs.any() else np.nan)
    return np.array(scores)


# ---------------------------------------------------------------------------------------------
# parameter checks with scikit-learn's wording
# ---------------------------------------------------------------------------------------------


def _param_error(name: str, expected: str, value: Any) -> ValueError:
    return ValueError(
        f"The {name!r} parameter of TopicModel must be {expected}. Got {value!r} instead."
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


# ---------------------------------------------------------------------------------------------
# the estimator
# ---------------------------------------------------------------------------------------------


class TopicModel(BaseEstimator):
    """Group articles into topics, each named by its top terms.

    Parameters
    ----------
    n_topics : "auto" or int, default "auto"
        Number of topics. ``"auto"`` fits every candidate in ``candidates`` on a sample of
        at most ``auto_sample`` documents and keeps the one with the highest
        ``coherence × diversity`` (NPMI of the top terms times the share of distinct top
        terms); the scores compared are in ``k_scores_``.
    method : {"kmeans", "nmf", "lda"}, default "kmeans"
        ``"kmeans"``: spherical k-means on a latent semantic (LSA) projection of tf-idf
        vectors with many restarts; a topic's terms are its articles' mean tf-idf.
        ``"nmf"``: non-negative matrix factorisation of the tf-idf matrix (NNDSVDa start).
        ``"lda"``: latent Dirichlet allocation on term counts.
    stop_words : "english", ISO 639-1 code, list of words or None, default "english"
        Words left out, as in :func:`mediakit.tokenize.make_analyzer`. Not applied to
        pre-tokenised input, which is used as given.
    min_df : int or float, default 2
        Terms in fewer documents (int) or a smaller share of documents (float) are dropped.
    max_df : int or float, default 0.5
        Terms in more documents (int) or a larger share of documents (float) are dropped.
    title_weight : int, default 2
        How many times a title's words count next to the body's (article frames only).
    n_components : int, default 100
        Dimensions of the LSA projection (``method="kmeans"``).
    n_init : "auto" or int, default "auto"
        k-means restarts; the best (lowest inertia) wins. ``"auto"`` uses 10 on corpora of
        up to 20,000 documents, 4 on larger ones, and 3 when comparing the candidates of
        ``n_topics="auto"``.
    n_terms : int, default 10
        Terms listed per topic in ``topics_`` and used by :meth:`coherence` and
        :meth:`diversity`.
    candidates : sequence of int, default (5, 10, 15, 20, 25, 30)
        Numbers of topics compared when ``n_topics="auto"``.
    auto_sample : int, default 2000
        At most this many documents (a sample fixed by content hash) are used to compare
        the candidates.
    n_jobs : int or None, default None
        Processes that tokenise the documents (chunks of 2,000); None means 1, -1 all
        cores. Results do not depend on it. The numeric work (LSA, k-means, NMF, LDA) runs
        on one thread: threaded BLAS / OpenMP made typical fits several times slower.
    random_state : int, RandomState instance or None, default None
        Seed for the LSA projection and the k-means / NMF / LDA starts. With an int the
        result does not depend on the row order of the input.

    Attributes
    ----------
    topics_ : DataFrame
        One row per topic: ``topic`` (0 = largest), ``label`` (top three terms),
        ``size`` (articles assigned), ``share`` (size ÷ all articles) and ``terms`` (the
        ``n_terms`` top terms with their weights, see :meth:`top_terms`).
    n_topics_ : int
        The number of topics fitted.
    vocabulary_ : dict of str to int
        Term -> column of ``components_``; terms in alphabetical order.
    components_ : ndarray of shape (n_topics_, n_terms_in_vocabulary)
        Topic-term weights (mean tf-idf for k-means, the factor matrix for NMF, normalised
        topic-word distributions for LDA).
    k_scores_ : DataFrame or None
        With ``n_topics="auto"``: ``n_topics``, ``coherence``, ``diversity``, ``score`` and
        ``selected`` for every candidate; else None.
    n_documents_ : int
        Documents seen in ``fit``.

    See Also
    --------
    mediakit.plot_topics, mediakit.plot_topic_map, mediakit.plot_topics_over_time

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides().head(400)
    >>> model = mk.TopicModel(8, random_state=0).fit(articles)
    >>> model.topics_.columns.tolist()
    ['topic', 'label', 'size', 'share', 'terms']
    >>> int(model.topics_["size"].sum())
    400
    >>> assigned = model.assign(articles)
    >>> assigned.columns.tolist(), bool(assigned.index.equals(articles.index))
    (['topic', 'label', 'confidence'], True)
    """

    def __init__(
        self,
        n_topics: int | Literal["auto"] = "auto",
        *,
        method: Method = "kmeans",
        stop_words: StopWords = "english",
        min_df: float = 2,
        max_df: float = 0.5,
        title_weight: int = 2,
        lsa_dims: int = 100,
        n_init: int | Literal["auto"] = "auto",
        n_terms: int = 10,
        candidates: Sequence[int] = (5, 10, 15, 20, 25, 30),
        auto_sample: int = 2000,
        n_jobs: int | None = None,
        blas_threads: int | None = None,
        random_state: Any = None,
        n_components: int | Literal["deprecated"] = "deprecated",
    ) -> None:
        self.n_topics = n_topics
        self.method = method
        self.stop_words = stop_words
        self.min_df = min_df
        self.max_df = max_df
        self.title_weight = title_weight
        self.lsa_dims = lsa_dims
        self.n_init = n_init
        self.n_terms = n_terms
        self.candidates = candidates
        self.auto_sample = auto_sample
        self.n_jobs = n_jobs
        self.blas_threads = blas_threads
        self.random_state = random_state
        self.n_components = n_components

    # -- validation ---------------------------------------------------------------------------

    def _check_params(self) -> None:
        n_topics = self.n_topics
        if not (n_topics == "auto" or (_is_int(n_topics) and n_topics >= 2)):
            raise _param_error("n_topics", "'auto' or an int in the range [2, inf)", n_topics)
        if self.method not in ("nmf", "kmeans", "lda"):
            raise _param_error("method", "a str among {'kmeans', 'nmf', 'lda'}", self.method)
        for name in ("min_df", "max_df"):
            value = getattr(self, name)
            if _is_int(value):
                if value < 1:
                    raise _param_error(
                        name, "an int in the range [1, inf) or a float in (0.0, 1.0]", value
                    )
            elif not (_is_real(value) and 0.0 < value <= 1.0):
                raise _param_error(
                    name, "an int in the range [1, inf) or a float in (0.0, 1.0]", value
                )
        if self.n_components != "deprecated":
            warnings.warn(
                "The 'n_components' parameter of TopicModel was renamed 'lsa_dims' (it sets the "
                "dimensions of the LSA projection, not the number of topics) and will be removed "
                f"in mediakit 1.0. Use TopicModel(lsa_dims={self.n_components!r}) instead.",
                FutureWarning,
                stacklevel=3,
            )
            if not (_is_int(self.n_components) and self.n_components >= 2):
                raise _param_error(
                    "n_components", "an int in the range [2, inf)", self.n_components
                )
        for name, low in (("title_weight", 0), ("lsa_dims", 2), ("n_terms", 1)):
            value = getattr(self, name)
            if not (_is_int(value) and value >= low):
                raise _param_error(name, f"an int in the range [{low}, inf)", value)
        if not (self.n_init == "auto" or (_is_int(self.n_init) and self.n_init >= 1)):
            raise _param_error("n_init", "'auto' or an int in the range [1, inf)", self.n_init)
        candidates = self.candidates
        if (
            isinstance(candidates, str)
            or not isinstance(candidates, Iterable)
            or not list(candidates)
            or not all(_is_int(k) and k >= 2 for k in candidates)
        ):
            raise _param_error(
                "candidates", "a non-empty sequence of ints in the range [2, inf)", candidates
            )
        if not (self.n_jobs is None or (_is_int(self.n_jobs) and self.n_jobs != 0)):
            raise _param_error("n_jobs", "None or a non-zero int", self.n_jobs)
        if not (
            self.blas_threads is None or (_is_int(self.blas_threads) and self.blas_threads >= 1)
        ):
            raise _param_error(
                "blas_threads", "None or an int in the range [1, inf)", self.blas_threads
            )
        if not (_is_int(self.auto_sample) and self.auto_sample >= 10):
            raise _param_error("auto_sample", "an int in the range [10, inf)", self.auto_sample)

    # -- tokens -> matrices ---------------------------------------------------------------------

    def _encode(
        self, docs: _Docs, order: np.ndarray, vocabulary: dict[str, int] | None
    ) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, dict[str, int]]:
        """Counts (title words weighted), token-id streams and offsets, in ``order``.

        With ``vocabulary=None`` a new vocabulary is grown (ids in order of first sight);
        else unknown tokens get id -1. Documents are tokenised in chunks, in parallel when
        ``n_jobs`` asks for it.
        """
        grow = vocabulary is None
        vocab: dict[str, int] = {} if vocabulary is None else vocabulary
        weight = 1 if docs.pretokenized else self.title_weight
        chunks = [order[i : i + _CHUNK] for i in range(0, len(order), _CHUNK)]
        jobs = (
            (
                [docs.titles[i] for i in chunk],
                [docs.bodies[i] for i in chunk],
                self.stop_words,
                docs.pretokenized,
            )
            for chunk in chunks
        )
        n_jobs = 1 if self.n_jobs is None else int(self.n_jobs)
        if n_jobs != 1 and len(chunks) > 1:
            from joblib import Parallel, delayed

            results: Iterable[Any] = Parallel(n_jobs=n_jobs, return_as="generator")(
                delayed(_tokenize_chunk)(*job) for job in jobs
            )
        else:
            results = (_tokenize_chunk(*job) for job in jobs)
        pieces, lengths_all, parts = [], [], []
        for codes, lengths, n_title, uniques in results:
            if grow:
                ids = np.fromiter(
                    (vocab.setdefault(u, len(vocab)) for u in uniques), np.int64, len(uniques)
                )
            else:
                ids = np.fromiter((vocab.get(u, -1) for u in uniques), np.int64, len(uniques))
            stream = ids[codes].astype(np.int32) if len(codes) else np.zeros(0, np.int32)
            pieces.append(stream)
            lengths_all.append(lengths)
            # counts of this chunk: rows = documents, title tokens weighted
            row = np.repeat(np.arange(len(lengths)), lengths)
            starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
            in_title = (np.arange(len(stream)) - starts) < np.repeat(n_title, lengths)
            value = np.where(in_title, float(weight), 1.0)
            known = stream >= 0
            block = sp.coo_matrix(
                (value[known], (row[known], stream[known])),
                shape=(len(lengths), max(len(vocab), 1)),
            ).tocsr()
            block.sum_duplicates()
            parts.append(block)
        n_cols = len(vocab)
        for block in parts:
            block.resize((block.shape[0], n_cols))
        counts = sp.vstack(parts, format="csr") if parts else sp.csr_matrix((0, n_cols))
        lengths = np.concatenate(lengths_all) if lengths_all else np.zeros(0, np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        tokens = np.concatenate(pieces) if pieces else np.zeros(0, np.int32)
        return counts, tokens, offsets, vocab

    def _tfidf(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        from sklearn.preprocessing import normalize

        X = counts.astype(np.float64, copy=True)
        X.data = 1.0 + np.log(X.data)
        X = X @ sp.diags(self._idf)
        return normalize(X.tocsr(), norm="l2", copy=False)

    # -- fitting ---------------------------------------------------------------------------------

    def _resolve_n_init(self, n_docs: int, comparing: bool = False) -> int:
        if self.n_init != "auto":
            return int(self.n_init)
        if comparing:  # candidates of n_topics="auto": a rough fit is enough to compare
            return 3
        return 10 if n_docs <= 20_000 else 4

    def _kmeans(
        self,
        Z_sample: np.ndarray,
        k: int,
        seed: int,
        n_docs: int,
        step: Any,
        comparing: bool = False,
    ) -> np.ndarray:
        """Unit centroids of spherical k-means on the LSA rows.

        k-means with ``n_init`` restarts on ``Z_sample`` (all rows of a corpus of up to
        20,000 documents), then spherical steps over all documents until none changes topic
        (at most 20): each article ends with its most similar centroid, so the assignment
        is exactly the argmax of the weights :meth:`transform` reports. ``step(previous,
        centroids)`` runs one step over all documents (see :func:`_spherical_step`), in
        memory or on a Dask cluster.
        """
        from sklearn.cluster import KMeans
        from sklearn.preprocessing import normalize

        n_init = self._resolve_n_init(n_docs, comparing)
        km = KMeans(k, n_init=n_init, random_state=seed).fit(Z_sample)
        centroids = normalize(km.cluster_centers_)
        previous = None
        for _ in range(_KMEANS_STEPS):
            sums, sizes, changed = step(previous, centroids)
            if changed == 0:
                break
            previous, centroids = centroids, centroids.copy()
            filled = sizes > 0
            centroids[filled] = normalize(sums[filled])
        return np.asarray(centroids)

    def _fit_method(
        self,
        X: sp.csr_matrix,
        counts: sp.csr_matrix,
        Z: np.ndarray | None,
        k: int,
        seed: int,
        comparing: bool = False,
    ) -> dict[str, Any]:
        """Fit one method with ``k`` topics. Returns scores, term weights and fitted parts."""
        if self.method == "kmeans":
            assert Z is not None
            centroids = self._kmeans(
                Z[:_SAMPLE],
                k,
                seed,
                X.shape[0],
                lambda previous, current: _spherical_step(Z, previous, current),
                comparing,
            )
            scores = Z @ centroids.T
            sums, sizes = _member_sums(scores.argmax(axis=1), X, k)
            components = sums / np.maximum(sizes, 1)[:, None]
            return {"scores": scores, "components": components, "centroids": centroids}
        if self.method == "nmf":
            from sklearn.decomposition import NMF

            nmf = NMF(k, init="nndsvda", random_state=seed, max_iter=400, tol=1e-4).fit(X)
            # the loadings transform gives, so that predicting the fitted articles agrees
            W = nmf.transform(X)
            return {"scores": W, "components": nmf.components_, "estimator": nmf}
        from sklearn.decomposition import LatentDirichletAllocation

        lda = LatentDirichletAllocation(
            k, learning_method="batch", max_iter=30, random_state=seed, n_jobs=None
        )
        W = lda.fit_transform(counts)
        components = lda.components_ / lda.components_.sum(axis=1, keepdims=True)
        return {"scores": W, "components": components, "estimator": lda}

    @staticmethod
    def _relevance(components: np.ndarray) -> np.ndarray:
        """Term weight x sqrt(exclusivity): the share of the term's weight on this topic.

        Ranking by weight alone lists the same frequent words under many topics; the
        exclusivity factor prefers the words that set a topic apart.
        """
        totals = components.sum(axis=0, keepdims=True)
        share = np.divide(components, totals, out=np.zeros_like(components), where=totals > 0)
        return components * np.sqrt(share)

    def _top_terms(self, components: np.ndarray, n: int | None = None) -> np.ndarray:
        n = min(self.n_terms if n is None else n, components.shape[1])
        # stable sort on the negated scores: ties go to the alphabetically first term
        return np.argsort(-self._relevance(components), axis=1, kind="stable")[:, :n]

    def fit(self, X: Any, y: None = None, *, client: Any = None) -> TopicModel:
        """Fit topics to articles.

        Parameters
        ----------
        X : DataFrame, Series, list of str, list of lists of str, or dask DataFrame
            An article frame (title and text are used; see ``title_weight``), texts, or
            pre-tokenised documents (lists of tokens, used exactly as given: no
            lower-casing, no stop words removed). A dask article frame is fitted on its
            Dask cluster, partition by partition (``method="kmeans"``; see
            :func:`mediakit.scale.fit_topics`).
        y : None
            Ignored; present for scikit-learn compatibility.
        client : distributed.Client, optional
            The cluster a dask frame is fitted on; see :func:`mediakit.scale.get_client`.

        Returns
        -------
        TopicModel
            The fitted model.
        """
        self._check_params()
        if _is_dask(X):
            from mediakit.scale import fit_topics

            return fit_topics(self, X, client=client)
        with self._thread_limit():
            return self._fit(X)

    def _thread_limit(self) -> contextlib.AbstractContextManager[Any]:
        """Limit BLAS / OpenMP threads to ``blas_threads`` while inside, if it is set."""
        if self.blas_threads is None:
            return contextlib.nullcontext()
        from threadpoolctl import threadpool_limits

        return threadpool_limits(limits=int(self.blas_threads))

    def _fit(self, X: Any) -> TopicModel:
        docs = _as_docs(X)
        n_docs = len(docs.hashes)
        self._check_n_docs(n_docs)
        seed = self._seed()
        order = _canonical_order(docs.hashes)
        counts, tokens, offsets, vocab = self._encode(docs, order, None)

        names = np.array(list(vocab), dtype=object)
        df = np.bincount(counts.indices, minlength=counts.shape[1])[: len(names)]
        alphabetical = self._set_vocabulary(names, df, n_docs)
        remap = np.full(len(vocab) + 1, -1, dtype=np.int32)
        remap[alphabetical] = np.arange(len(alphabetical), dtype=np.int32)
        counts = counts[:, alphabetical].tocsr()
        tokens = remap[tokens]  # -1 stays -1 (last slot)
        X_tfidf = self._tfidf(counts)

        Z = None
        if self.method == "kmeans":
            # rows are in content-hash order, so the first rows are a fixed random sample
            self._fit_projection(X_tfidf[:_SAMPLE], n_docs, seed)
            Z = self._project(X_tfidf)
        k = self._number_of_topics(X_tfidf, counts, Z, tokens, offsets, seed, n_docs)
        fitted = self._fit_method(X_tfidf, counts, Z, k, seed)
        if self.method != "kmeans":
            self._estimator = fitted["estimator"]
        else:
            self._centroids = fitted["centroids"]
        scores = np.asarray(fitted["scores"], dtype=np.float64)
        labels = self._assign_from(scores)
        perm = self._name_topics(
            np.asarray(fitted["components"], dtype=np.float64),
            np.bincount(labels, minlength=k),
            n_docs,
        )

        # the fitted documents, kept by content hash so that predicting them is a lookup
        self._keep_fitted(
            docs.hashes[order],
            scores[:, perm],
            np.argsort(perm)[labels],
            np.asarray(docs.index, dtype=object)[order],
            np.asarray(docs.previews, dtype=object)[order],
        )
        self._count_windows(tokens, offsets)
        return self

    # -- the steps of a fit, shared with the fit on a dask frame (mediakit.scale) ---------------

    def _check_n_docs(self, n_docs: int) -> None:
        if n_docs < 3:
            raise ValueError(
                f"The 'X' argument holds {n_docs} document(s); TopicModel needs at least 3. "
                "Pass more articles."
            )

    def _seed(self) -> int:
        from sklearn.utils import check_random_state

        return int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))

    def _set_vocabulary(self, names: np.ndarray, df: np.ndarray, n_docs: int) -> np.ndarray:
        """Keep the terms inside the document-frequency limits, in alphabetical order.

        ``df`` counts the documents of each term of ``names``. Sets ``vocabulary_`` and the
        idf; returns the positions in ``names`` of the terms kept.
        """
        low = self.min_df if _is_int(self.min_df) else np.ceil(self.min_df * n_docs)
        high = self.max_df if _is_int(self.max_df) else np.floor(self.max_df * n_docs)
        keep = (df >= low) & (df <= high)
        if not keep.any():
            raise ValueError(
                f"No term is left after min_df={self.min_df!r} and max_df={self.max_df!r} on "
                f"{n_docs} documents (document frequencies range {df.min(initial=0)}-"
                f"{df.max(initial=0)}). Lower min_df or raise max_df."
            )
        kept = np.flatnonzero(keep)
        alphabetical = kept[np.argsort(names[kept].astype(str), kind="stable")]
        self.vocabulary_ = {str(names[i]): position for position, i in enumerate(alphabetical)}
        self._terms = names[alphabetical].astype(str)
        self._idf = np.log((1 + n_docs) / (1 + df[alphabetical])) + 1.0
        return alphabetical

    def _lsa_dims(self) -> int:
        """``lsa_dims``, or the value given under its deprecated name ``n_components``."""
        return int(self.lsa_dims if self.n_components == "deprecated" else self.n_components)

    def _fit_projection(self, X_sample: sp.csr_matrix, n_docs: int, seed: int) -> None:
        """Fit the LSA projection of ``method="kmeans"`` on (a sample of) the tf-idf rows."""
        from sklearn.decomposition import TruncatedSVD

        n_comp = int(min(self._lsa_dims(), X_sample.shape[1] - 1, n_docs - 1))
        self._svd = None
        if n_comp >= 2:
            self._svd = TruncatedSVD(n_comp, n_iter=7, random_state=seed).fit(X_sample)

    def _project(self, X: sp.csr_matrix) -> np.ndarray:
        """Unit-length LSA coordinates of tf-idf rows (the rows themselves on tiny corpora)."""
        from sklearn.preprocessing import normalize

        return np.asarray(
            normalize(self._svd.transform(X) if self._svd is not None else X.toarray())
        )

    def _number_of_topics(
        self,
        X: sp.csr_matrix,
        counts: sp.csr_matrix,
        Z: np.ndarray | None,
        tokens: np.ndarray,
        offsets: np.ndarray,
        seed: int,
        n_docs: int,
    ) -> int:
        """``n_topics``, or the best candidate on the first rows when it is "auto"."""
        self.k_scores_: pd.DataFrame | None = None
        if self.n_topics == "auto":
            k = self._choose_k(X, counts, Z, tokens, offsets, seed)
        else:
            k = int(self.n_topics)
        if k > n_docs - 1:
            raise ValueError(
                f"The 'n_topics' parameter of TopicModel is {k}, but X holds only {n_docs} "
                f"documents. Use n_topics <= {n_docs - 1} or pass more articles."
            )
        return k

    def _name_topics(self, components: np.ndarray, sizes: np.ndarray, n_docs: int) -> np.ndarray:
        """Number the topics canonically (by size, then label) and describe them.

        Sets ``components_``, ``topics_`` and the other fitted attributes; returns the
        permutation: new topic ``t`` is fitted topic ``perm[t]``.
        """
        k = len(sizes)
        top = self._top_terms(components)
        label_text = [", ".join(self._terms[t[:3]]) for t in top]
        perm = np.array(sorted(range(k), key=lambda t: (-sizes[t], label_text[t])))
        if self.method == "kmeans":
            self._centroids = self._centroids[perm]
        self._perm = perm
        self.components_ = components[perm]
        self.n_topics_ = k
        self.n_documents_ = int(n_docs)
        top = top[perm]
        sizes = sizes[perm]
        weights = self._relevance(self.components_)[np.arange(k)[:, None], top]
        self.topics_ = pd.DataFrame(
            {
                "topic": np.arange(k),
                "label": [", ".join(self._terms[t[:3]]) for t in top],
                "size": sizes.astype(np.int64),
                "share": sizes / n_docs,
                "terms": [
                    [(str(self._terms[i]), round(float(w), 4)) for i, w in zip(t, ws, strict=True)]
                    for t, ws in zip(top, weights, strict=True)
                ],
            }
        )
        self._top = top
        return perm

    def _keep_fitted(
        self,
        hashes: np.ndarray,
        scores: np.ndarray,
        labels: np.ndarray,
        documents: np.ndarray,
        previews: np.ndarray,
    ) -> None:
        """Keep fitted documents (sorted by hash): looked up by predict, listed as representatives."""
        self._fit_hashes = hashes
        self._fit_scores = scores.astype(np.float32)
        self._fit_labels = labels
        self._fit_docs = pd.DataFrame({"document": documents, "title": previews})

    def _count_windows(self, tokens: np.ndarray, offsets: np.ndarray) -> None:
        """Window counts of the top terms in these token streams, for :meth:`coherence`."""
        relevant = np.unique(self._top)
        occ, co, n_windows = _window_counts(tokens.astype(np.int64), offsets, relevant, NPMI_WINDOW)
        self._npmi_stats = (relevant, occ, co, n_windows)

    def _choose_k(
        self,
        X: sp.csr_matrix,
        counts: sp.csr_matrix,
        Z: np.ndarray | None,
        tokens: np.ndarray,
        offsets: np.ndarray,
        seed: int,
    ) -> int:
        n_docs = X.shape[0]
        m = min(n_docs, int(self.auto_sample))  # rows are in content-hash order: a fixed sample
        Xs, cs = X[:m], counts[:m]
        Zs = None if Z is None else Z[:m]
        sample_tokens = tokens[: offsets[m]].astype(np.int64)
        sample_offsets = offsets[: m + 1]
        rows = []
        for k in sorted({int(k) for k in self.candidates if int(k) < m}):
            fitted = self._fit_method(Xs, cs, Zs, k, seed, comparing=True)
            top = self._top_terms(np.asarray(fitted["components"]))
            coherence = float(np.nanmean(npmi_coherence(top, sample_tokens, sample_offsets)))
            diversity = len(np.unique(top)) / top.size
            rows.append((k, coherence, diversity, coherence * diversity))
        if not rows:
            raise ValueError(
                f"The 'candidates' parameter of TopicModel is {self.candidates!r}, but X holds "
                f"only {n_docs} documents. Use candidates smaller than the number of documents."
            )
        table = pd.DataFrame(rows, columns=["n_topics", "coherence", "diversity", "score"])
        best = int(table["score"].to_numpy().argmax())  # first maximum: the smallest k
        table["selected"] = np.arange(len(table)) == best
        self.k_scores_ = table
        return int(table.loc[best, "n_topics"])

    # -- applying --------------------------------------------------------------------------------

    @staticmethod
    def _assign_from(scores: np.ndarray) -> np.ndarray:
        """Topic per row: the highest weight; rows without weight go to topic 0 (stable)."""
        return np.asarray(scores).argmax(axis=1)

    def _scores(self, docs: _Docs) -> np.ndarray:
        """Raw topic scores for ``docs`` in input order, computed from their words.

        Documents are scored in content-hash order, as in :meth:`fit`, so a fitted corpus
        passed again gets the scores it was fitted with, whatever its row order.
        """
        with self._thread_limit():
            order = _canonical_order(docs.hashes)
            counts, _, _, _ = self._encode(docs, order, self.vocabulary_)
            X = self._tfidf(counts)
            if self.method == "kmeans":
                scores = self._project(X) @ self._centroids.T
            elif self.method == "nmf":
                scores = self._estimator.transform(X)[:, self._perm]
            else:
                scores = self._estimator.transform(counts)[:, self._perm]
            out = np.zeros((len(order), self.n_topics_), dtype=np.float64)
            out[order] = scores
        return out

    @staticmethod
    def _normalise(scores: np.ndarray) -> np.ndarray:
        weights = np.clip(scores, 0.0, None)
        totals = weights.sum(axis=1, keepdims=True)
        return np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)

    def transform(self, X: Any) -> Any:
        """Topic weights of each article: non-negative, summing to one per article.

        For k-means the weights are the cosine similarities to the topic centroids (negative
        ones set to zero), for NMF the factor loadings, for LDA the topic proportions; each
        row is divided by its sum. An article without a single known term gets all zeros.

        Parameters
        ----------
        X : DataFrame, Series, list of str, list of lists of str, or dask DataFrame
            Articles in the form passed to :meth:`fit`. A dask frame gives a lazy dask
            frame, computed partition by partition.

        Returns
        -------
        DataFrame
            Index as ``X`` (a RangeIndex for lists), one column per topic id.
        """
        check_is_fitted(self)
        if _is_dask(X):
            meta = pd.DataFrame({t: pd.Series(dtype="float64") for t in range(self.n_topics_)})
            return _map_partitions(self, "transform", X, meta)
        docs = _as_docs(X)
        weights = self._normalise(self._scores(docs))
        frame = pd.DataFrame(weights, index=docs.index, columns=pd.RangeIndex(self.n_topics_))
        frame.columns.name = "topic"
        return frame

    def predict(self, X: Any) -> Any:
        """The topic id of each article (the topic with the highest weight).

        Returns
        -------
        Series
            Named ``topic``, index as ``X`` (a lazy dask Series for a dask frame). See
            :meth:`assign` for labels and confidence.
        """
        return self.assign(X)["topic"]

    def assign(self, X: Any) -> Any:
        """The topic of each article, its label and how clearly the article belongs to it.

        Every article gets a topic: there is no outlier bucket. ``confidence`` is the share
        of the article's topic weight (see :meth:`transform`) that falls on the assigned
        topic: 1.0 means all of it, ``1 / n_topics_`` means the article is spread evenly.
        An article without any known term gets topic 0 (the largest) with confidence 0.

        Returns
        -------
        DataFrame
            Columns ``topic`` (int), ``label`` and ``confidence``, index as ``X`` (a lazy
            dask frame for a dask frame).
        """
        check_is_fitted(self)
        if _is_dask(X):
            meta = pd.DataFrame(
                {
                    "topic": pd.Series(dtype="int64"),
                    "label": pd.Series(dtype=object),
                    "confidence": pd.Series(dtype="float64"),
                }
            )
            return _map_partitions(self, "assign", X, meta)
        docs = _as_docs(X)
        weights = self._normalise(self._scores(docs))
        topic = self._assign_from(weights)
        return pd.DataFrame(
            {
                "topic": topic.astype(np.int64),
                "label": self.topics_["label"].to_numpy()[topic],
                "confidence": weights[np.arange(len(topic)), topic],
            },
            index=docs.index,
        )

    # -- describing ----------------------------------------------------------------------------

    def top_terms(self, n: int | None = None) -> pd.DataFrame:
        """Each topic's top terms, one row per topic and term.

        Parameters
        ----------
        n : int, optional
            Terms per topic; default ``n_terms``.

        Returns
        -------
        DataFrame
            Columns ``topic``, ``label``, ``rank`` (1 = strongest), ``term`` and ``weight``:
            the term's weight in the topic times the square root of its exclusivity (the
            share of the term's total weight that falls on this topic), the score terms are
            ranked by.
        """
        check_is_fitted(self)
        n = self.n_terms if n is None else n
        if not (_is_int(n) and n >= 1):
            raise ValueError(f"The 'n' argument must be an int >= 1. Got {n!r} instead.")
        top = self._top_terms(self.components_, n)
        n = top.shape[1]
        k = self.n_topics_
        return pd.DataFrame(
            {
                "topic": np.repeat(np.arange(k), n),
                "label": np.repeat(self.topics_["label"].to_numpy(), n),
                "rank": np.tile(np.arange(1, n + 1), k),
                "term": self._terms[top].ravel(),
                "weight": self._relevance(self.components_)[np.arange(k)[:, None], top].ravel(),
            }
        )

    def representative_articles(self, n: int = 3) -> pd.DataFrame:
        """The ``n`` fitted articles that most typify each topic.

        Among the articles assigned to a topic, those with the highest raw score on it
        (cosine similarity to the centroid for k-means, loading for NMF, proportion for LDA).
        A fit on a dask frame keeps the 20 best articles of each topic, so ``n`` gives at
        most 20 there.

        Returns
        -------
        DataFrame
            Columns ``topic``, ``label``, ``rank``, ``document`` (the article's index label
            in the fitted input), ``title`` (title, or the first words of the text) and
            ``score``.
        """
        check_is_fitted(self)
        if not (_is_int(n) and n >= 1):
            raise ValueError(f"The 'n' argument must be an int >= 1. Got {n!r} instead.")
        rows = []
        labels = self.topics_["label"].to_numpy()
        for topic in range(self.n_topics_):
            members = np.flatnonzero(self._fit_labels == topic)
            score = self._fit_scores[members, topic]
            best = members[np.argsort(-score, kind="stable")[:n]]
            for rank, i in enumerate(best, start=1):
                rows.append(
                    (
                        topic,
                        labels[topic],
                        rank,
                        self._fit_docs["document"].iat[i],
                        self._fit_docs["title"].iat[i],
                        float(self._fit_scores[i, topic]),
                    )
                )
        return pd.DataFrame(rows, columns=["topic", "label", "rank", "document", "title", "score"])

    def coherence(self, *, per_topic: bool = False) -> float | pd.Series:
        """NPMI coherence of the topics' top terms on the fitted documents.

        Computed as gensim's ``CoherenceModel(coherence="c_npmi")`` with the fitted token
        streams as reference texts: boolean sliding windows of 10 tokens, epsilon 1e-12,
        the mean over each topic's term pairs, then over topics. Ranges from -1 to 1;
        news topics usually score 0.05-0.25.

        Parameters
        ----------
        per_topic : bool, default False
            Return one value per topic instead of the mean.
        """
        check_is_fitted(self)
        relevant, occ, co, n_windows = self._npmi_stats
        position = np.searchsorted(relevant, self._top)
        scores = []
        for idx in position:
            p = occ[idx] / n_windows
            p_joint = co[np.ix_(idx, idx)] / n_windows
            with np.errstate(divide="ignore", invalid="ignore"):
                npmi = np.log((p_joint + NPMI_EPSILON) / np.outer(p, p)) / -np.log(
                    p_joint + NPMI_EPSILON
                )
            pairs = ~np.eye(len(idx), dtype=bool)
            scores.append(float(npmi[pairs].mean()) if pairs.any() else np.nan)
        series = pd.Series(scores, index=pd.RangeIndex(self.n_topics_, name="topic"), name="npmi")
        return series if per_topic else float(series.mean())

    def diversity(self) -> float:
        """Share of distinct words among all topics' top terms (1.0 = no term repeats)."""
        check_is_fitted(self)
        return len(np.unique(self._top)) / self._top.size

    # -- tidy tables for plots -------------------------------------------------------------------

    def topics_over_time(
        self, articles: pd.DataFrame, freq: str = "M", *, date: str = "published"
    ) -> pd.DataFrame:
        """Each topic's share of coverage per period, counted as :func:`mediakit.coverage` does.

        ``share`` is the topic's articles ÷ all articles of the period, so the shares of a
        period add up to one. Every period x topic pair is present: periods without any
        article appear with count and total 0 (share NaN), and the first and last periods
        are flagged ``partial`` when the data cover them only in part. Articles without a
        date are left out, with an :class:`~mediakit.timeline.UndatedArticlesWarning`.

        Parameters
        ----------
        articles : DataFrame or dask DataFrame
            An article frame with a date column. Of a dask frame only the dates and the
            predicted topics are brought into memory.
        freq : str, default "M"
            Period length, as in :func:`mediakit.coverage`: "D", "W", "M" (or "MS"), "QS",
            "2W", ...
        date : str, default "published"
            The date column.

        Returns
        -------
        DataFrame
            Columns ``period`` (start of the period, UTC), ``topic``, ``label``, ``count``,
            ``total``, ``share``, ``partial``.
        """
        check_is_fitted(self)
        if not hasattr(articles, "columns") or date not in articles.columns:
            raise ValueError(
                f"The 'articles' argument must be an article frame with a {date!r} column. "
                "Pass the articles with their dates, or name the column with date=."
            )
        from mediakit.timeline import coverage

        articles, topic = self._with_topics(articles, [date])
        masks = {str(k): topic == k for k in range(self.n_topics_)}
        shares = coverage(articles, freq=freq, query=masks, date_column=date)
        shares = shares.rename(columns={"query": "topic"})
        shares["topic"] = shares["topic"].astype(np.int64)
        shares.insert(2, "label", self.topics_["label"].to_numpy()[shares["topic"].to_numpy()])
        return shares.sort_values(["period", "topic"], kind="stable").reset_index(drop=True)

    def topics_by(self, articles: pd.DataFrame, column: str) -> pd.DataFrame:
        """Each topic's share of the articles of each group (outlet, lean, ...).

        ``articles`` may be a dask frame: only the group column and the predicted topics
        are brought into memory.

        Returns
        -------
        DataFrame
            Columns ``group``, ``topic``, ``label``, ``count``, ``total`` (articles of the
            group) and ``share`` (count ÷ total). Articles with a missing group are left out.
        """
        check_is_fitted(self)
        if not hasattr(articles, "columns") or column not in articles.columns:
            columns = list(articles.columns) if hasattr(articles, "columns") else None
            raise ValueError(
                f"The 'column' argument is {column!r}, which is not a column of 'articles' "
                f"(columns: {columns}). Pass the name of a grouping column such as 'outlet'."
            )
        articles, topic = self._with_topics(articles, [column])
        return self._shares(articles[column], topic, "group")

    def _with_topics(self, articles: Any, columns: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
        """The articles and their predicted topics; of a dask frame, just ``columns``."""
        if not _is_dask(articles):
            return articles, self.predict(articles).to_numpy()
        small = articles[columns].assign(_topic=self.predict(articles)).compute()
        return small[columns], small["_topic"].to_numpy()

    def _shares(self, key: pd.Series, topic: np.ndarray, name: str) -> pd.DataFrame:
        frame = pd.DataFrame({name: key.to_numpy(), "topic": topic}).dropna()
        levels = (
            key.cat.categories
            if isinstance(key.dtype, pd.CategoricalDtype)
            else pd.Index(sorted(frame[name].unique()))
        )
        grid = pd.MultiIndex.from_product([levels, range(self.n_topics_)], names=[name, "topic"])
        count = frame.groupby([name, "topic"], observed=True).size().reindex(grid, fill_value=0)
        out = count.rename("count").reset_index()
        out["total"] = out.groupby(name, observed=True)["count"].transform("sum")
        out = out[out["total"] > 0].reset_index(drop=True)
        out.insert(2, "label", self.topics_["label"].to_numpy()[out["topic"].to_numpy()])
        out["topic"] = out["topic"].astype(np.int64)
        out["count"] = out["count"].astype(np.int64)
        out["total"] = out["total"].astype(np.int64)
        out["share"] = out["count"] / out["total"]
        if isinstance(key.dtype, pd.CategoricalDtype):
            out[name] = pd.Categorical(out[name], categories=key.cat.categories)
        return out

    def topic_map(self, X: Any) -> pd.DataFrame:
        """Articles placed on a plane by their topic weights, for :func:`plot_topic_map`.

        The two coordinates are the first two principal components of the weights
        (:meth:`transform`), with signs fixed so the largest loading is positive: the same
        articles always land in the same place.

        Returns
        -------
        DataFrame
            Columns ``x``, ``y``, ``topic``, ``label``, ``confidence``; index as ``X``.
        """
        check_is_fitted(self)
        _check_in_memory(X)
        weights = self.transform(X)
        values = weights.to_numpy()
        centred = values - values.mean(axis=0)
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
        axes = vt[:2]
        signs = np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])
        coords = centred @ (axes * signs[:, None]).T
        if coords.shape[1] < 2:
            coords = np.column_stack([coords, np.zeros(len(coords))])
        topic = self._assign_from(values)
        return pd.DataFrame(
            {
                "x": coords[:, 0],
                "y": coords[:, 1],
                "topic": topic.astype(np.int64),
                "label": self.topics_["label"].to_numpy()[topic],
                "confidence": values[np.arange(len(topic)), topic],
            },
            index=weights.index,
        )

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags
