"""The steps of a :class:`mediakit.TopicModel` fit, and the checks of its parameters.

:class:`_TopicSteps` holds what a fit does between reading documents and describing
topics: counting words, the vocabulary and idf, the LSA projection, k-means / NMF / LDA,
choosing the number of topics, numbering and naming the topics. A fit in memory runs the
steps one after the other (:meth:`_TopicSteps._fit_documents`); a fit on a dask frame runs
the same steps, each as a pass over the partitions.
"""

from __future__ import annotations

import contextlib
import numbers
import warnings
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from mediakit._npmi import NPMI_WINDOW, _window_counts, npmi_coherence
from mediakit._topics_docs import (
    _CHUNK,
    _KMEANS_STEPS,
    _SAMPLE,
    _canonical_order,
    _Docs,
    _member_sums,
    _spherical_step,
    _tokenize_chunk,
)
from mediakit.tokenize import StopWords

Method = Literal["nmf", "kmeans", "lda"]
Refine = Literal["tfidf", "lsa"]
#: Power iterations of the randomised SVD behind the LSA projection: enough for the
#: leading dimensions to converge, so that the projection hardly depends on the seed.
_LSA_ITERATIONS = 30


def _param_error(name: str, expected: str, value: Any) -> ValueError:
    return ValueError(
        f"The {name!r} parameter of TopicModel must be {expected}. Got {value!r} instead."
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _one_standard_error(score: np.ndarray, se: np.ndarray) -> int:
    """The first candidate (the fewest topics) within one standard error of the best.

    A larger number of topics must beat a smaller one by more than the noise in the
    criterion; a margin smaller than that is no reason for more topics.
    """
    valid = ~np.isnan(score)
    if not valid.any():
        return 0
    best = int(np.nanargmax(score))
    within = valid & (score >= score[best] - se[best])
    return int(np.flatnonzero(within)[0])


class _TopicSteps:
    """The fitting steps of :class:`mediakit.TopicModel` (its parameters are set there)."""

    n_topics: int | Literal["auto"]
    method: Method
    stop_words: StopWords
    min_df: float
    max_df: float
    title_weight: int
    lsa_dims: int
    refine: Refine
    n_init: int | Literal["auto"]
    n_terms: int
    candidates: Sequence[int]
    auto_sample: int
    n_jobs: int | None
    blas_threads: int | None
    random_state: Any
    n_components: int | Literal["deprecated"]
    _space: Refine  # the space of the fitted centroids: ``refine`` at fit time

    def _sample_size(self) -> int:
        """Documents that fit the LSA projection and start k-means (see ``_SAMPLE``)."""
        return _SAMPLE

    # -- validation ---------------------------------------------------------------------------

    def _check_params(self) -> None:
        n_topics = self.n_topics
        if not (n_topics == "auto" or (_is_int(n_topics) and n_topics >= 2)):
            raise _param_error("n_topics", "'auto' or an int in the range [2, inf)", n_topics)
        if self.method not in ("nmf", "kmeans", "lda"):
            raise _param_error("method", "a str among {'kmeans', 'nmf', 'lda'}", self.method)
        if self.refine not in ("tfidf", "lsa"):
            raise _param_error("refine", "a str among {'tfidf', 'lsa'}", self.refine)
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
        20,000 documents), then spherical steps over all documents (see
        :meth:`_spherical_steps`). ``step(previous, centroids)`` runs one step over all
        documents (see :func:`_spherical_step`), in memory or on a Dask cluster.
        """
        from sklearn.cluster import KMeans
        from sklearn.preprocessing import normalize

        n_init = self._resolve_n_init(n_docs, comparing)
        km = KMeans(k, n_init=n_init, random_state=seed).fit(Z_sample)
        return self._spherical_steps(normalize(km.cluster_centers_), step)

    @staticmethod
    def _spherical_steps(centroids: np.ndarray, step: Any) -> np.ndarray:
        """Spherical k-means steps from ``centroids`` until no document changes topic.

        At most ``_KMEANS_STEPS`` steps; each article then ends with its most similar
        centroid, so the assignment is exactly the argmax of the weights
        :meth:`transform` reports. ``step(previous, centroids)`` gives the member sums and
        sizes under ``centroids`` and how many documents changed topic since ``previous``.
        """
        from sklearn.preprocessing import normalize

        previous = None
        for _ in range(_KMEANS_STEPS):
            sums, sizes, changed = step(previous, centroids)
            if changed == 0:
                break
            previous, centroids = centroids, centroids.copy()
            filled = sizes > 0
            centroids[filled] = normalize(sums[filled])
        return np.asarray(centroids)

    @staticmethod
    def _tfidf_start(sums: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """Unit tf-idf centroids of the topics found on the LSA projection.

        ``sums`` and ``sizes`` are each topic's summed tf-idf rows and its size under the
        LSA centroids; a topic without members keeps a zero row until a step fills it.
        """
        from sklearn.preprocessing import normalize

        centroids = np.zeros(sums.shape)
        filled = sizes > 0
        centroids[filled] = normalize(sums[filled])
        return centroids

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
                Z[: self._sample_size()],
                k,
                seed,
                X.shape[0],
                lambda previous, current: _spherical_step(Z, previous, current),
                comparing,
            )
            scores = Z @ centroids.T
            sums, sizes = _member_sums(scores.argmax(axis=1), X, k)
            if self.refine == "tfidf":
                centroids = self._spherical_steps(
                    self._tfidf_start(sums, sizes),
                    lambda previous, current: _spherical_step(X, previous, current),
                )
                scores = np.asarray(X @ centroids.T)
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

    def _thread_limit(self) -> contextlib.AbstractContextManager[Any]:
        """Limit BLAS / OpenMP threads to ``blas_threads`` while inside, if it is set."""
        if self.blas_threads is None:
            return contextlib.nullcontext()
        from threadpoolctl import threadpool_limits

        return threadpool_limits(limits=int(self.blas_threads))

    def _fit_documents(self, docs: _Docs) -> None:
        """Fit on documents in memory: the steps below, one after the other."""
        n_docs = len(docs.hashes)
        self._check_n_docs(n_docs)
        self._space = self.refine
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
            self._fit_projection(X_tfidf[: self._sample_size()], n_docs, seed)
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

    # -- the steps of a fit, shared with the fit on partitions (mediakit._compute) -------------

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
            self._svd = TruncatedSVD(n_comp, n_iter=_LSA_ITERATIONS, random_state=seed).fit(
                X_sample
            )

    def _topic_rows(self, X: sp.csr_matrix) -> Any:
        """The rows the k-means centroids live among: tf-idf rows, or their LSA projection."""
        return X if self._space == "tfidf" else self._project(X)

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
            per_topic = npmi_coherence(top, sample_tokens, sample_offsets)
            per_topic = per_topic[~np.isnan(per_topic)]
            diversity = len(np.unique(top)) / top.size
            coherence = float(per_topic.mean()) if len(per_topic) else np.nan
            # the score is a mean over topics: its standard error is theirs
            spread = float(per_topic.std(ddof=1)) if len(per_topic) > 1 else 0.0
            se = diversity * spread / np.sqrt(max(len(per_topic), 1))
            rows.append((k, coherence, diversity, coherence * diversity, se))
        if not rows:
            raise ValueError(
                f"The 'candidates' parameter of TopicModel is {self.candidates!r}, but X holds "
                f"only {n_docs} documents. Use candidates smaller than the number of documents."
            )
        table = pd.DataFrame(rows, columns=["n_topics", "coherence", "diversity", "score", "se"])
        chosen = _one_standard_error(table["score"].to_numpy(), table["se"].to_numpy())
        table["selected"] = np.arange(len(table)) == chosen
        self.k_scores_ = table
        return int(table.loc[chosen, "n_topics"])

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
                scores = np.asarray(self._topic_rows(X) @ self._centroids.T)
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
