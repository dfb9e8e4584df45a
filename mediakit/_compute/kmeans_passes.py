"""The passes of a k-means :class:`~mediakit.TopicModel` fit, run on the executor layer.

A fit of a dask frame (or with ``client=``) runs the steps of the in-memory fit, each as
a pass of map and combine steps over the partitions (see :mod:`mediakit._compute`):

1. document frequencies of every term (merged by term) fix the vocabulary and the
   idf; the same pass keeps the documents with the smallest content hashes, the sample
   the in-memory fit uses too (it does not depend on partitioning or row order);
2. on that sample, in this process: the LSA projection, the choice of
   ``n_topics="auto"`` and the k-means restarts;
3. each partition's LSA rows (50 numbers per article by default) are computed once and
   kept where they were computed; spherical k-means steps over them are map-combine
   passes (each partition sends back one summed row per topic) until no article changes
   topic;
4. with ``refine="tfidf"``, the same again on each partition's tf-idf rows, started from
   the topics of step 3 (each partition sends back one summed tf-idf row per topic);
5. a last pass adds up each topic's tf-idf rows (its terms), counts its articles and
   keeps its best-scoring articles for ``representative_articles``.

Memory per worker stays bounded by a few partitions plus the LSA rows (400 bytes per
article with 50 dimensions), then the sparse tf-idf rows (12 bytes per distinct term of
an article) of its share of the corpus, which Dask spills to disk when a worker runs
short. The model's own steps (tokenising, tf-idf, projection,
k-means) are its methods; the helpers of :mod:`mediakit.topics` these passes need come
in a :class:`TopicSteps`, so this module does not import the model's module.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from mediakit._compute.executor import runner_for


class TopicSteps(NamedTuple):
    """What the passes take from the model's module."""

    as_docs: Callable[..., Any]  # frame -> documents (index, hashes, titles, bodies, ...)
    spherical_step: Callable[..., Any]  # LSA rows, labels, centroids -> sums, sizes, changes
    member_sums: Callable[..., Any]  # labels, tf-idf rows, k -> summed rows, sizes
    sample: int  # documents of the sample that fits the projection
    representatives: int  # best articles kept per topic


def _sum_by(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    merged = pd.concat(frames, ignore_index=True)
    if len(frames) == 1:
        return merged
    return merged.groupby(keys, observed=True, dropna=False, sort=False).sum().reset_index()


def _topic_vocabulary(
    part: pd.DataFrame, model: Any, steps: TopicSteps, sample: int, ceiling: int
) -> tuple[pd.DataFrame, int, pd.DataFrame]:
    """A partition's document frequencies, its size, and its texts of smallest content hash.

    Only hashes below ``ceiling`` are candidates for the sample: set so that about four
    times ``sample`` documents of the whole corpus fall below it, it keeps what partitions
    send back small.
    """
    docs = steps.as_docs(part)
    counts, _, _, vocab = model._encode(docs, np.arange(len(docs.hashes)), None)
    df = np.bincount(counts.indices, minlength=counts.shape[1])[: len(vocab)]
    frequencies = pd.DataFrame(
        {"term": np.array(list(vocab), dtype=object), "doc_count": df.astype(np.int64)}
    )
    keep = np.argsort(docs.hashes, kind="stable")[:sample]
    keep = keep[docs.hashes[keep] < np.uint64(ceiling)]
    chosen = pd.DataFrame(
        {
            "hash": docs.hashes[keep],
            "title": [docs.titles[i] for i in keep],
            "text": [docs.bodies[i] for i in keep],
        }
    )
    return frequencies, len(docs.hashes), chosen


def _merge_topic_vocabulary(
    parts: list[tuple[pd.DataFrame, int, pd.DataFrame]], sample: int
) -> tuple[pd.DataFrame, int, pd.DataFrame]:
    frequencies = _sum_by([p[0] for p in parts], ["term"])
    chosen = pd.concat([p[2] for p in parts], ignore_index=True)
    # equal hashes mean equal texts, so the order among them does not matter
    chosen = chosen.sort_values("hash", kind="stable").head(sample)
    return frequencies, sum(p[1] for p in parts), chosen.reset_index(drop=True)


def _topic_rows(part: pd.DataFrame, model: Any, steps: TopicSteps) -> tuple[Any, Any, Any]:
    """Documents, tf-idf rows and unit LSA rows of a partition, on the fitted vocabulary."""
    docs = steps.as_docs(part)
    counts, _, _, _ = model._encode(docs, np.arange(len(docs.hashes)), model.vocabulary_)
    X = model._tfidf(counts)
    return docs, X, model._project(X)


def _lsa_rows(part: pd.DataFrame, model: Any, steps: TopicSteps) -> np.ndarray:
    return np.asarray(_topic_rows(part, model, steps)[2])


def _tfidf_rows(part: pd.DataFrame, model: Any, steps: TopicSteps) -> Any:
    return _topic_rows(part, model, steps)[1]


def _add_steps(
    parts: list[tuple[np.ndarray, np.ndarray, int]],
) -> tuple[np.ndarray, np.ndarray, int]:
    return (
        np.sum([p[0] for p in parts], axis=0),
        np.sum([p[1] for p in parts], axis=0),
        sum(p[2] for p in parts),
    )


def _topic_members(
    part: pd.DataFrame, model: Any, steps: TopicSteps, best: int
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Summed tf-idf rows and sizes of each topic, and its ``best`` best-scoring articles."""
    docs, X, Z = _topic_rows(part, model, steps)
    scores = np.asarray((X if model._space == "tfidf" else Z) @ model._centroids.T)
    labels = scores.argmax(axis=1)
    k = scores.shape[1]
    sums, sizes = steps.member_sums(labels, X, k)
    own = scores[np.arange(len(labels)), labels]
    order = np.lexsort((docs.hashes, -own, labels))  # by topic, then best score first
    rank = np.arange(len(order)) - np.searchsorted(labels[order], labels[order])
    keep = order[rank < best]
    candidates = pd.DataFrame(
        {
            "hash": docs.hashes[keep],
            "topic": labels[keep],
            "score": own[keep],
            "document": np.asarray(docs.index, dtype=object)[keep],
            "title": np.asarray(docs.previews, dtype=object)[keep],
            "scores": list(scores[keep]),
        }
    )
    return sums, sizes, candidates


def _merge_members(
    parts: list[tuple[np.ndarray, np.ndarray, pd.DataFrame]], best: int
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    candidates = pd.concat([p[2] for p in parts], ignore_index=True)
    candidates = candidates.sort_values(
        ["topic", "score", "hash"], ascending=[True, False, True], kind="stable"
    )
    candidates = candidates.groupby("topic", sort=False).head(best).reset_index(drop=True)
    return np.sum([p[0] for p in parts], axis=0), np.sum([p[1] for p in parts], axis=0), candidates


def _length(part: pd.DataFrame) -> int:
    return len(part)


def _total(lengths: list[int]) -> int:
    return sum(lengths)


def _spherical_pass(rows: np.ndarray, step: Callable[..., Any], *args: Any) -> Any:
    return step(rows, *args)


def fit_on_partitions(model: Any, X: Any, steps: TopicSteps, *, client: Any = None) -> Any:
    """Fit ``model`` (``method="kmeans"``) to the articles ``X`` pass by pass.

    Parameters
    ----------
    model : TopicModel
        With ``method="kmeans"``; its parameters are used as given.
    X : dask or pandas DataFrame
        Articles with a ``text`` column (and ``title``, weighted as in the in-memory fit).
        A pandas frame is sent to ``client``'s workers.
    steps : TopicSteps
        The helpers of the model's module.
    client : distributed.Client, optional
        The cluster to fit on; without it, Dask's configured scheduler.

    Returns
    -------
    TopicModel
        ``model``, fitted.
    """
    model._check_params()
    if model.method != "kmeans":
        raise ValueError(
            f"TopicModel(method={model.method!r}) fits in memory only; on a dask frame use "
            "method='kmeans', or fit a sample: model.fit(frame.sample(frac=0.1).compute())."
        )
    runner = runner_for(X, client=client, function="TopicModel.fit")
    if "text" not in runner.meta.columns:
        raise ValueError(
            f"The 'X' frame has no 'text' column (columns: {list(runner.meta.columns)}). Pass "
            "an article frame."
        )
    runner = runner.columns([c for c in ("title", "text") if c in runner.meta.columns])
    n_rows = int(runner.map_combine(_length, _total))
    sample = max(steps.sample, int(model.auto_sample))

    def shared(state: Any) -> Any:
        """The model as the steps see it: one copy per worker, tokenising in one process."""
        worker_model = copy.copy(state)
        worker_model.n_jobs = None
        return runner.share(worker_model)

    # 1. vocabulary, idf and the sample
    ceiling = min(2**64 - 1, int(2**64 * 4 * sample / max(n_rows, 1)))
    frequencies, n_docs, chosen = runner.map_combine(
        _topic_vocabulary,
        partial(_merge_topic_vocabulary, sample=sample),
        shared(model),
        steps,
        sample,
        ceiling,
    )
    model._check_n_docs(n_docs)
    model._space = "lsa"  # until the steps on the tf-idf rows (step 4) have run
    seed = model._seed()
    model._set_vocabulary(
        frequencies["term"].to_numpy(dtype=object),
        frequencies["doc_count"].to_numpy(dtype=np.int64),
        n_docs,
    )

    # 2. on the sample, in this process, as the in-memory fit does
    docs = steps.as_docs(chosen[["title", "text"]])
    counts, tokens, offsets, _ = model._encode(docs, np.arange(len(docs.hashes)), model.vocabulary_)
    X_sample = model._tfidf(counts)
    model._fit_projection(X_sample[: steps.sample], n_docs, seed)
    Z_sample = model._project(X_sample)
    k = model._number_of_topics(X_sample, counts, Z_sample, tokens, offsets, seed, n_docs)

    # 3. LSA rows kept where they were computed, k-means steps over them
    projected = runner.keep(_lsa_rows, shared(model), steps)

    def step(previous: np.ndarray | None, centroids: np.ndarray) -> Any:
        return runner.map_combine_kept(
            projected, _spherical_pass, _add_steps, steps.spherical_step, previous, centroids
        )

    try:
        model._centroids = model._kmeans(Z_sample[: steps.sample], k, seed, n_docs, step)
    finally:
        runner.release(projected)  # free the workers' memory

    # 4. the same steps on the tf-idf rows, started from the topics of step 3
    if model.refine == "tfidf":
        sums, sizes, _ = runner.map_combine(
            _topic_members, partial(_merge_members, best=0), shared(model), steps, 0
        )
        start = model._tfidf_start(sums, sizes)
        rows = runner.keep(_tfidf_rows, shared(model), steps)

        def tfidf_step(previous: np.ndarray | None, centroids: np.ndarray) -> Any:
            return runner.map_combine_kept(
                rows, _spherical_pass, _add_steps, steps.spherical_step, previous, centroids
            )

        try:
            model._centroids = model._spherical_steps(start, tfidf_step)
        finally:
            runner.release(rows)
        model._space = "tfidf"

    # 5. topic terms, sizes and representative articles
    sums, sizes, candidates = runner.map_combine(
        _topic_members,
        partial(_merge_members, best=steps.representatives),
        shared(model),
        steps,
        steps.representatives,
    )
    perm = model._name_topics(sums / np.maximum(sizes, 1)[:, None], sizes, n_docs)
    candidates = candidates.sort_values("hash", kind="stable")
    scores = np.array(candidates["scores"].tolist(), dtype=np.float64).reshape(-1, k)
    model._keep_fitted(
        candidates["hash"].to_numpy(dtype=np.uint64),
        scores[:, perm],
        np.argsort(perm)[candidates["topic"].to_numpy(dtype=np.int64)],
        candidates["document"].to_numpy(dtype=object),
        candidates["title"].to_numpy(dtype=object),
    )
    model._count_windows(tokens, offsets)
    return model
