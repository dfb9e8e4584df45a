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

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from mediakit._compute import DaskRunner, is_dask
from mediakit._deprecation import positional_deprecated, renamed_parameters
from mediakit._npmi import _npmi_of, npmi_coherence
from mediakit._topics_docs import (  # the fit on partitions (mediakit._compute) uses these too
    _REPRESENTATIVES as _REPRESENTATIVES,
)
from mediakit._topics_docs import _SAMPLE as _SAMPLE
from mediakit._topics_docs import _as_docs as _read_docs
from mediakit._topics_docs import _Docs
from mediakit._topics_docs import _member_sums as _member_sums
from mediakit._topics_docs import _spherical_step as _spherical_step
from mediakit._topics_steps import Method, Refine, _is_int, _TopicSteps
from mediakit._validation import require_columns
from mediakit.tokenize import StopWords

__all__ = ["TopicModel", "npmi_coherence"]


def _is_dask(X: Any) -> bool:
    return is_dask(X)


def _check_frame(articles: Any) -> None:
    if not hasattr(articles, "columns"):
        raise TypeError(
            f"The 'articles' argument must be an article frame (a pandas or dask DataFrame); "
            f"got {type(articles).__name__}."
        )


def _map_partitions(model: TopicModel, method: str, X: Any, meta: pd.DataFrame) -> Any:
    """``model.<method>`` mapped over a dask frame's partitions, the model sent once.

    On a distributed cluster the model is scattered to the workers first (see
    :meth:`mediakit._compute.DaskRunner.share`), so the task graph holds a reference to
    it, not its vocabulary and projection.
    """
    from dask import delayed

    shared = delayed(DaskRunner(X).share(model))
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
    return _read_docs(X, argument=argument)


# ---------------------------------------------------------------------------------------------
# the estimator
# ---------------------------------------------------------------------------------------------


class TopicModel(_TopicSteps, ClusterMixin, TransformerMixin, BaseEstimator):
    """Group articles into topics, each named by its top terms.

    Parameters
    ----------
    n_topics : "auto" or int, default "auto"
        Number of topics. ``"auto"`` fits every candidate in ``candidates`` on a sample of
        at most ``auto_sample`` documents and scores it by ``coherence × diversity`` (NPMI
        of the top terms times the share of distinct top terms), with the standard error of
        that mean over topics. It keeps the fewest topics whose score is within one standard
        error of the best score: more topics must beat fewer by more than the noise. The
        curve is in ``k_scores_``.
    method : {"kmeans", "nmf", "lda"}, default "kmeans"
        ``"kmeans"``: spherical k-means on a latent semantic (LSA) projection of tf-idf
        vectors with many restarts, refined as ``refine`` says; a topic's terms are its
        articles' mean tf-idf.
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
    lsa_dims : int, default 50
        Dimensions of the LSA projection (``method="kmeans"``). The defaults were chosen
        leave-one-corpus-out on three labelled news corpora (see ``benchmarks/README.md``).
    refine : {"tfidf", "lsa"}, default "tfidf"
        Where the last spherical k-means steps run (``method="kmeans"``). ``"tfidf"``:
        the topics found on the LSA projection are refined on the full tf-idf vectors,
        whose centroids are the topics' normalised mean tf-idf; words the projection
        blurs together can then move an article. ``"lsa"``: the steps stay on the
        projection. Either way the steps run until no article changes topic.
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
        cores. Results do not depend on it.
    blas_threads : int or None, default None
        Threads the numeric work (LSA, k-means, NMF, LDA) may use during ``fit`` and
        scoring, set with threadpoolctl for the duration of the call (it applies to the
        whole process meanwhile). None leaves the process's setting alone. On a machine
        whose cores are busy with other work, 1 can make a fit several times faster.
    random_state : int, RandomState instance or None, default None
        Seed for the LSA projection and the k-means / NMF / LDA starts. With an int the
        result does not depend on the row order of the input.
    n_components : int, optional
        Deprecated name of ``lsa_dims`` (in scikit-learn it means the number of
        components found, here it never did); gives a ``FutureWarning``.

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
        With ``n_topics="auto"``: ``n_topics``, ``coherence``, ``diversity``, ``score``,
        ``se`` (its standard error) and ``selected`` for every candidate; else None.
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
        lsa_dims: int = 50,
        refine: Refine = "tfidf",
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
        self.refine = refine
        self.n_init = n_init
        self.n_terms = n_terms
        self.candidates = candidates
        self.auto_sample = auto_sample
        self.n_jobs = n_jobs
        self.blas_threads = blas_threads
        self.random_state = random_state
        self.n_components = n_components

    def fit(self, X: Any, y: None = None, *, client: Any = None) -> TopicModel:
        """Fit topics to articles.

        Parameters
        ----------
        X : DataFrame, Series, list of str, list of lists of str, or dask DataFrame
            An article frame (title and text are used; see ``title_weight``), texts, or
            pre-tokenised documents (lists of tokens, used exactly as given: no
            lower-casing, no stop words removed). A dask article frame is fitted
            partition by partition (``method="kmeans"``): each step of the in-memory fit
            becomes a pass over the partitions, started on the same sample.
        y : None
            Ignored; present for scikit-learn compatibility.
        client : distributed.Client, optional
            The Dask cluster to fit on (a pandas frame is sent there); without it, a dask
            frame is fitted on Dask's configured scheduler.

        Returns
        -------
        TopicModel
            The fitted model.
        """
        self._check_params()
        if _is_dask(X) or client is not None:
            from mediakit._compute.kmeans_passes import TopicSteps, fit_on_partitions

            steps = TopicSteps(_as_docs, _spherical_step, _member_sums, _SAMPLE, _REPRESENTATIVES)
            return fit_on_partitions(self, X, steps, client=client)
        docs = _as_docs(X)
        with self._thread_limit():
            self._fit_documents(docs)
        return self

    def fit_transform(self, X: Any, y: None = None, *, client: Any = None) -> Any:
        """Fit topics, then give each article's topic weights (see :meth:`transform`).

        The same as ``fit(X).transform(X)``.
        """
        return self.fit(X, client=client).transform(X)

    def fit_predict(self, X: Any, y: None = None, *, client: Any = None) -> Any:
        """Fit topics, then give each article's topic (see :meth:`predict`).

        The same as ``fit(X).predict(X)``: the topics counted in ``topics_["size"]``.
        """
        return self.fit(X, client=client).predict(X)

    def _sample_size(self) -> int:
        # read here, so that the fit in memory and the fit on a dask frame share one value
        return _SAMPLE

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the columns :meth:`transform` gives: ``topic0``, ``topic1``, ...

        Used by scikit-learn's ``set_output``: with ``set_output(transform="pandas")`` (or
        ``"polars"``) the weights come with these names; by default :meth:`transform` gives
        a frame whose columns are the topic ids.
        """
        check_is_fitted(self)
        return np.asarray([f"topic{t}" for t in range(self.n_topics_)], dtype=object)

    def transform(self, X: Any) -> Any:
        """Topic weights of each article: non-negative, summing to one per article.

        For k-means the weights are the cosine similarities to the topic centroids (in
        tf-idf space, or on the LSA projection with ``refine="lsa"``; negative ones set to
        zero), for NMF the factor loadings, for LDA the topic proportions; each
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

    @renamed_parameters("0.2", "0.4", n="top_n")
    def top_terms(self, top_n: int | None = None) -> pd.DataFrame:
        """Each topic's top terms, one row per topic and term.

        Parameters
        ----------
        top_n : int, optional
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
        n = self.n_terms if top_n is None else top_n
        if not (_is_int(n) and n >= 1):
            raise ValueError(f"The 'top_n' argument must be an int >= 1. Got {n!r} instead.")
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

    @renamed_parameters("0.2", "0.4", n="top_n")
    def representative_articles(self, top_n: int = 3) -> pd.DataFrame:
        """The ``top_n`` fitted articles that most typify each topic.

        Among the articles assigned to a topic, those with the highest raw score on it
        (cosine similarity to the centroid for k-means, loading for NMF, proportion for LDA).
        A fit on a dask frame keeps the 20 best articles of each topic, so ``top_n`` gives
        at most 20 there.

        Returns
        -------
        DataFrame
            Columns ``topic``, ``label``, ``rank``, ``document`` (the article's index label
            in the fitted input), ``title`` (title, or the first words of the text) and
            ``score``.
        """
        check_is_fitted(self)
        if not (_is_int(top_n) and top_n >= 1):
            raise ValueError(f"The 'top_n' argument must be an int >= 1. Got {top_n!r} instead.")
        n = top_n
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
        scores = _npmi_of(occ, co, n_windows, np.searchsorted(relevant, self._top))
        series = pd.Series(scores, index=pd.RangeIndex(self.n_topics_, name="topic"), name="npmi")
        return series if per_topic else float(series.mean())

    def diversity(self) -> float:
        """Share of distinct words among all topics' top terms (1.0 = no term repeats)."""
        check_is_fitted(self)
        return len(np.unique(self._top)) / self._top.size

    # -- tidy tables for plots -------------------------------------------------------------------

    @positional_deprecated("0.2", "0.4", "freq")
    @renamed_parameters("0.2", "0.4", date="date_column")
    def topics_over_time(
        self, articles: pd.DataFrame, *, freq: str = "W", date_column: str = "published"
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
        freq : str, default "W"
            Period length, as in :func:`mediakit.coverage` (and with its default): "D",
            "W", "M" (or "MS"), "QS", "2W", ...
        date_column : str, default "published"
            The date column.

        Returns
        -------
        DataFrame
            Columns ``period`` (start of the period, UTC), ``topic``, ``label``, ``count``,
            ``total``, ``share``, ``partial``.
        """
        check_is_fitted(self)
        _check_frame(articles)
        require_columns(articles, [date_column], "date_column")
        from mediakit.timeline import coverage

        articles, topic = self._with_topics(articles, [date_column])
        masks = {str(k): topic == k for k in range(self.n_topics_)}
        shares = coverage(articles, freq=freq, query=masks, date_column=date_column)
        shares = shares.rename(columns={"query": "topic"})
        shares["topic"] = shares["topic"].astype(np.int64)
        shares.insert(2, "label", self.topics_["label"].to_numpy()[shares["topic"].to_numpy()])
        return shares.sort_values(["period", "topic"], kind="stable").reset_index(drop=True)

    @positional_deprecated("0.2", "0.4", "by")
    @renamed_parameters("0.2", "0.4", column="by")
    def topics_by(self, articles: pd.DataFrame, *, by: str) -> pd.DataFrame:
        """Each topic's share of the articles of each group (outlet, lean, ...) of ``by``.

        ``articles`` may be a dask frame: only the group column and the predicted topics
        are brought into memory.

        Returns
        -------
        DataFrame
            Columns ``group``, ``topic``, ``label``, ``count``, ``total`` (articles of the
            group) and ``share`` (count ÷ total). Articles with a missing group are left out.
        """
        check_is_fitted(self)
        _check_frame(articles)
        require_columns(articles, [by], "by")
        articles, topic = self._with_topics(articles, [by])
        return self._shares(articles[by], topic, "group")

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
