"""NPMI topic coherence as gensim's ``CoherenceModel(coherence="c_npmi")``, vectorised.

Counts of boolean sliding windows are taken once over the token streams of a corpus
(:func:`_window_counts`); a topic's coherence is then the mean NPMI of its term pairs
(:func:`_npmi_of`). :func:`npmi_coherence` is the public door, re-exported by
:mod:`mediakit.topics`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

#: Window size and epsilon of gensim's ``CoherenceModel(coherence="c_npmi")``.
NPMI_WINDOW = 10
NPMI_EPSILON = 1e-12
_NPMI_BATCH = 2_000_000  # tokens per batch of the coherence counts


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
    position = [np.searchsorted(relevant, np.asarray(t, dtype=np.int64)) for t in topics]
    return _npmi_of(occ, co, n_windows, position)


def _npmi_of(
    occ: np.ndarray, co: np.ndarray, n_windows: int, positions: Sequence[np.ndarray] | np.ndarray
) -> np.ndarray:
    """Mean NPMI over the term pairs of each topic, from window counts.

    ``positions`` holds, per topic, the positions of its terms in ``occ`` and ``co``.
    A topic with a single term has no pair and scores NaN.
    """
    scores = []
    for idx in positions:
        idx = np.asarray(idx, dtype=np.int64)
        p = occ[idx] / n_windows
        p_joint = co[np.ix_(idx, idx)] / n_windows
        with np.errstate(divide="ignore", invalid="ignore"):
            pmi = np.log((p_joint + NPMI_EPSILON) / np.outer(p, p))
            npmi = pmi / -np.log(p_joint + NPMI_EPSILON)
        pairs = ~np.eye(len(idx), dtype=bool)
        scores.append(float(npmi[pairs].mean()) if pairs.any() else np.nan)
    return np.array(scores)
