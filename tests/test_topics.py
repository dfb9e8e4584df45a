"""TopicModel on real news: the scikit-learn contract, order-independence, coherence as gensim."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import estimator_checks

from mediakit import datasets
from mediakit.tokenize import make_analyzer
from mediakit.topics import TopicModel, npmi_coherence


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    # 500 AllSides articles spread over 2018 (article ids are random strings)
    frame = datasets.load_allsides()
    return frame.sort_values("article_id").head(500).reset_index(drop=True)


@pytest.fixture(scope="module")
def model(articles: pd.DataFrame) -> TopicModel:
    return TopicModel(8, random_state=0).fit(articles)


@pytest.fixture(scope="module")
def reuters_tokens() -> list[list[str]]:
    r8 = datasets.load_reuters("r8")
    texts = r8.sort_values("article_id")["text"].dropna().head(300)
    analyze = make_analyzer("english")
    return [analyze(t) for t in texts]


# --- the scikit-learn contract --------------------------------------------------------------


@pytest.mark.parametrize(
    "check",
    [
        estimator_checks.check_no_attributes_set_in_init,
        estimator_checks.check_get_params_invariance,
        estimator_checks.check_set_params,
        estimator_checks.check_parameters_default_constructible,
        estimator_checks.check_estimator_repr,
        estimator_checks.check_estimator_cloneable,
        estimator_checks.check_do_not_raise_errors_in_init_or_set_params,
    ],
    ids=lambda check: check.__name__,
)
def test_sklearn_checks(check) -> None:
    check("TopicModel", TopicModel())


def test_init_stores_parameters_unchanged() -> None:
    model = TopicModel(12, method="nmf", candidates=[3, 4], random_state=7)
    params = model.get_params()
    assert params["n_topics"] == 12 and params["method"] == "nmf"
    assert params["candidates"] == [3, 4] and params["random_state"] == 7
    assert clone(model).set_params(n_topics=5).n_topics == 5


def test_fit_returns_self_and_learns_attributes(articles: pd.DataFrame) -> None:
    model = TopicModel(5, random_state=0)
    assert model.fit(articles.head(200)) is model
    assert model.n_topics_ == 5 and model.n_documents_ == 200
    assert model.components_.shape == (5, len(model.vocabulary_))
    terms = list(model.vocabulary_)
    assert terms == sorted(terms)  # canonical (alphabetical) vocabulary order
    assert model.k_scores_ is None


def test_not_fitted_error() -> None:
    with pytest.raises(NotFittedError, match="not fitted yet"):
        TopicModel().transform(["a text"])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"n_topics": 1},
            r"The 'n_topics' parameter of TopicModel must be 'auto' or an int .* Got 1",
        ),
        ({"n_topics": "many"}, r"'n_topics' .* Got 'many' instead"),
        ({"method": "bertopic"}, r"The 'method' parameter .* among .* Got 'bertopic' instead"),
        ({"refine": "full"}, r"The 'refine' parameter .* among \{'tfidf', 'lsa'\}. Got 'full'"),
        ({"min_df": 0}, r"The 'min_df' parameter .* Got 0 instead"),
        ({"max_df": 1.5}, r"The 'max_df' parameter .* float in \(0.0, 1.0\]. Got 1.5 instead"),
        ({"candidates": []}, r"The 'candidates' parameter .* non-empty .* Got \[\] instead"),
        ({"n_jobs": 0}, r"The 'n_jobs' parameter .* Got 0 instead"),
    ],
)
def test_parameter_errors(articles: pd.DataFrame, params: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TopicModel(**params).fit(articles.head(50))


def test_input_errors(articles: pd.DataFrame) -> None:
    with pytest.raises(TypeError, match="'X' argument must be an article frame.*Got int"):
        TopicModel(3).fit(42)
    with pytest.raises(TypeError, match="mixes texts and token lists: item 1 is list"):
        TopicModel(3).fit(["a text", ["a", "list"], "more"])
    with pytest.raises(ValueError, match="no 'text' column"):
        TopicModel(3).fit(articles[["title"]])
    with pytest.raises(ValueError, match="n_topics' parameter of TopicModel is 40.*only 20"):
        TopicModel(40, min_df=1).fit(articles.head(20))


# --- reproducibility: row order does not matter ---------------------------------------------


@pytest.mark.parametrize("method", ["kmeans", "nmf"])
def test_shuffled_input_gives_identical_topics(articles: pd.DataFrame, method: str) -> None:
    sub = articles.head(300)
    first = TopicModel(6, method=method, random_state=3).fit(sub)
    shuffled = sub.sample(frac=1.0, random_state=11)
    second = TopicModel(6, method=method, random_state=3).fit(shuffled)
    pd.testing.assert_frame_equal(first.topics_, second.topics_)
    np.testing.assert_array_equal(first.components_, second.components_)
    pd.testing.assert_series_equal(first.predict(sub), second.predict(sub))
    # predictions come back aligned with the index of the frame passed in
    pd.testing.assert_series_equal(second.predict(shuffled), first.predict(sub).loc[shuffled.index])
    # and new documents are predicted the same way too
    unseen = datasets.load_allsides().sort_values("article_id").iloc[1000:1060]
    pd.testing.assert_frame_equal(
        first.assign(unseen), second.assign(unseen.iloc[::-1]).loc[unseen.index]
    )


def test_lda_is_reproducible_too(articles: pd.DataFrame) -> None:
    sub = articles.head(150)
    first = TopicModel(4, method="lda", random_state=0).fit(sub)
    second = TopicModel(4, method="lda", random_state=0).fit(sub.iloc[::-1])
    pd.testing.assert_frame_equal(first.topics_, second.topics_)
    assert first.predict(sub).between(0, 3).all()


# --- every article gets a topic ----------------------------------------------------------------


def test_every_article_gets_a_topic(model: TopicModel, articles: pd.DataFrame) -> None:
    assigned = model.assign(articles)
    assert assigned.index.equals(articles.index)
    assert assigned["topic"].notna().all() and assigned["topic"].between(0, 7).all()
    assert model.topics_["size"].sum() == len(articles)
    assert (model.topics_["size"] > 0).all()
    # sizes are the assignment counts, topics numbered by size
    counts = assigned["topic"].value_counts().sort_index()
    assert counts.tolist() == model.topics_["size"].tolist()
    assert model.topics_["size"].is_monotonic_decreasing
    assert np.isclose(model.topics_["share"].sum(), 1.0)
    # confidence is the weight share on the assigned topic
    weights = model.transform(articles)
    assert np.allclose(weights.sum(axis=1), 1.0)
    assert (weights.to_numpy().argmax(axis=1) == assigned["topic"].to_numpy()).all()
    assert np.allclose(weights.to_numpy().max(axis=1), assigned["confidence"])
    assert assigned["confidence"].between(1 / 8, 1.0).all()
    assert (assigned["label"] == model.topics_["label"].to_numpy()[assigned["topic"]]).all()


def test_article_without_known_words_gets_largest_topic(model: TopicModel) -> None:
    odd = pd.DataFrame({"title": ["Zzyzx"], "text": ["qwxv plmokn"]}, index=["odd"])
    assigned = model.assign(odd)
    assert assigned.loc["odd", "topic"] == 0 and assigned.loc["odd", "confidence"] == 0.0


def test_topics_are_recognisable_news_themes(model: TopicModel, articles: pd.DataFrame) -> None:
    labels = model.topics_["label"].tolist()
    korea = [i for i, terms in enumerate(model.topics_["terms"]) if "korea" in dict(terms)]
    assert len(korea) == 1, labels
    about_korea = articles["title"].str.contains("Korea|Kim Jong|Pyongyang", case=False, na=False)
    assert about_korea.sum() >= 10
    share = (model.predict(articles[about_korea]) == korea[0]).mean()
    assert share >= 0.8


def test_topics_frame_is_readable(model: TopicModel) -> None:
    topics = model.topics_
    assert topics.columns.tolist() == ["topic", "label", "size", "share", "terms"]
    first_terms = topics.loc[0, "terms"]
    assert len(first_terms) == 10
    assert topics.loc[0, "label"] == ", ".join(term for term, _ in first_terms[:3])
    weights = [w for _, w in first_terms]
    assert weights == sorted(weights, reverse=True)
    table = model.top_terms(4)
    assert table.columns.tolist() == ["topic", "label", "rank", "term", "weight"]
    assert len(table) == 8 * 4
    assert table[table["topic"] == 0]["term"].tolist() == [t for t, _ in first_terms[:4]]


def test_representative_articles(model: TopicModel, articles: pd.DataFrame) -> None:
    reps = model.representative_articles(2)
    assert reps.columns.tolist() == ["topic", "label", "rank", "document", "title", "score"]
    assert reps.groupby("topic").size().tolist() == [2] * 8
    predicted = model.predict(articles)
    assert (predicted.loc[reps["document"]].to_numpy() == reps["topic"].to_numpy()).all()
    assert (reps["title"].to_numpy() == articles.loc[reps["document"], "title"].to_numpy()).all()


# --- shares of coverage -----------------------------------------------------------------------


def test_topics_over_time_is_a_share_of_coverage(model: TopicModel, articles: pd.DataFrame) -> None:
    table = model.topics_over_time(articles, freq="W")
    assert table.columns.tolist() == [
        "period",
        "topic",
        "label",
        "count",
        "total",
        "share",
        "share_low",
        "share_high",
        "partial",
    ]  # periods counted as mediakit.coverage counts them, edge periods flagged
    weeks = articles["published"].dt.tz_localize(None).dt.to_period("W").dt.start_time
    expected_total = weeks.value_counts()
    totals = table.groupby("period")["total"].first()
    assert totals.to_numpy().tolist() == expected_total.loc[totals.index.tz_localize(None)].tolist()
    assert np.allclose(table.groupby("period")["share"].sum(), 1.0)
    assert (table.groupby("period").size() == 8).all()  # zeros included
    assert table["count"].sum() == articles["published"].notna().sum()
    assert str(table["period"].dt.tz) == "UTC"


def test_topics_by_group(model: TopicModel, articles: pd.DataFrame) -> None:
    table = model.topics_by(articles, by="lean")
    assert table.columns.tolist() == ["group", "topic", "label", "count", "total", "share"]
    assert table["group"].unique().tolist() == ["left", "center", "right"]
    assert table.groupby("group", observed=True)["total"].first().tolist() == [
        (articles["lean"] == lean).sum() for lean in ("left", "center", "right")
    ]
    assert np.allclose(table.groupby("group", observed=True)["share"].sum(), 1.0)
    with pytest.raises(KeyError, match="'by' parameter names column.*'party'.*columns: "):
        model.topics_by(articles, by="party")
    with pytest.raises(ValueError, match="'freq' parameter .*must be a pandas offset alias"):
        model.topics_over_time(articles, freq="fortnight")


# --- coherence as gensim computes it ---------------------------------------------------------


def _gensim_npmi(topics: list[list[str]], texts: list[list[str]]) -> list[float]:
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    cm = CoherenceModel(
        topics=topics, texts=texts, dictionary=Dictionary(texts), coherence="c_npmi", topn=10
    )
    return cm.get_coherence_per_topic()


def test_coherence_matches_gensim_on_pretokenised_input(reuters_tokens: list[list[str]]) -> None:
    model = TopicModel(6, random_state=0).fit(reuters_tokens)
    topics = model.top_terms(10).groupby("topic")["term"].apply(list).tolist()
    expected = _gensim_npmi(topics, reuters_tokens)
    assert abs(model.coherence() - float(np.mean(expected))) < 0.005
    assert np.allclose(model.coherence(per_topic=True), expected, atol=1e-9)


def test_coherence_matches_gensim_on_article_text(articles: pd.DataFrame) -> None:
    sub = articles.head(120)
    model = TopicModel(4, random_state=0).fit(sub)
    analyze = make_analyzer("english")
    # the fitted token streams: title words, then body words, stop words removed
    texts = [
        analyze(t if isinstance(t, str) else "") + analyze(x if isinstance(x, str) else "")
        for t, x in zip(sub["title"], sub["text"], strict=True)
    ]
    topics = model.top_terms(10).groupby("topic")["term"].apply(list).tolist()
    assert abs(model.coherence() - float(np.mean(_gensim_npmi(topics, texts)))) < 0.005


def test_npmi_counts_windows_like_gensim() -> None:
    # long documents slide a window of 10; the same pair far apart never co-occurs
    words = ["alpha", "beta"] + [f"w{i}" for i in range(30)]
    texts = [["alpha"] + words[2:22] + ["beta"], ["alpha", "beta"] + words[2:5], words[2:12]]
    ids = {w: i for i, w in enumerate(words)}
    tokens = np.array([ids[w] for t in texts for w in t])
    offsets = np.concatenate([[0], np.cumsum([len(t) for t in texts])])
    ours = npmi_coherence([[ids["alpha"], ids["beta"]], [ids["w2"], ids["w3"]]], tokens, offsets)
    assert np.allclose(ours, _gensim_npmi([["alpha", "beta"], ["w2", "w3"]], texts), atol=1e-12)


def test_diversity(model: TopicModel) -> None:
    terms = [t for pairs in model.topics_["terms"] for t, _ in pairs]
    assert model.diversity() == len(set(terms)) / len(terms)
    assert 0.5 < model.diversity() <= 1.0


# --- choosing the number of topics -----------------------------------------------------------


def test_auto_number_of_topics(articles: pd.DataFrame) -> None:
    model = TopicModel("auto", candidates=(2, 8), random_state=0).fit(articles.head(300))
    scores = model.k_scores_
    assert scores is not None
    assert scores["n_topics"].tolist() == [2, 8]
    assert scores.columns.tolist() == [
        "n_topics",
        "coherence",
        "diversity",
        "score",
        "se",
        "selected",
    ]
    assert np.allclose(scores["score"], scores["coherence"] * scores["diversity"])
    assert (scores["se"] > 0).all()
    # 8 topics beat 2 by more than one standard error, so the larger k is kept
    best = scores.loc[scores["score"].idxmax()]
    assert best["n_topics"] == 8 and best["score"] - scores["score"].iat[0] > best["se"]
    assert scores.loc[scores["selected"], "n_topics"].item() == model.n_topics_ == 8


def test_auto_prefers_fewer_topics_within_one_standard_error(articles: pd.DataFrame) -> None:
    # on these articles 8 topics score a little higher than 4, well inside the noise of
    # the criterion (a mean over topics): the smaller number is kept
    model = TopicModel("auto", candidates=(4, 8), random_state=0).fit(articles.head(300))
    assert model.n_topics_ == 4
    scores = model.k_scores_.set_index("n_topics")
    margin = scores.loc[8, "score"] - scores.loc[4, "score"]
    assert 0 < margin < scores.loc[8, "se"]
    assert scores["selected"].tolist() == [True, False]


# --- other inputs -----------------------------------------------------------------------------


def test_texts_and_series_input(articles: pd.DataFrame) -> None:
    texts = articles["text"].head(120)
    model = TopicModel(3, random_state=0, n_jobs=2).fit(texts.tolist())
    predicted = model.predict(texts)
    assert predicted.index.equals(texts.index) and predicted.name == "topic"
    same = TopicModel(3, random_state=0).fit(texts)
    pd.testing.assert_frame_equal(model.topics_, same.topics_)
    assert model.transform(["North Korea fires a missile"]).shape == (1, 3)


def test_input_is_not_modified(articles: pd.DataFrame) -> None:
    sub = articles.head(100)
    before = sub.copy()
    model = TopicModel(3, random_state=0).fit(sub)
    model.topics_over_time(sub)
    model.topic_map(sub)
    pd.testing.assert_frame_equal(sub, before)


def test_topic_map_is_deterministic(model: TopicModel, articles: pd.DataFrame) -> None:
    first = model.topic_map(articles)
    second = model.topic_map(articles.iloc[::-1]).loc[articles.index]
    assert first.columns.tolist() == ["x", "y", "topic", "label", "confidence"]
    assert np.allclose(first[["x", "y"]], second[["x", "y"]])
    assert (first["topic"] == model.predict(articles)).all()


# --- the scikit-learn estimator: renamed parameter, fit_*, set_output, input checks ----------


def test_n_components_is_deprecated_for_lsa_dims(articles: pd.DataFrame) -> None:
    sub = articles.head(150)
    assert "lsa_dims" in TopicModel().get_params()
    with pytest.warns(FutureWarning, match=r"'n_components' .* renamed 'lsa_dims'.*lsa_dims=30"):
        old = TopicModel(4, n_components=30, random_state=0).fit(sub)
    new = TopicModel(4, lsa_dims=30, random_state=0).fit(sub)
    pd.testing.assert_frame_equal(old.topics_, new.topics_)
    assert new._svd.n_components == 30


@pytest.mark.parametrize("method", ["kmeans", "nmf"])
def test_fit_predict_and_fit_transform_agree_with_the_fit(
    articles: pd.DataFrame, method: str
) -> None:
    sub = articles.head(200)
    model = TopicModel(4, method=method, random_state=0)
    predicted = model.fit_predict(sub)
    assert predicted.index.equals(sub.index) and predicted.name == "topic"
    # the fitted sizes are the predictions' counts: predicting the fitted articles computes
    # the scores the fit assigned them with
    counts = predicted.value_counts().reindex(range(4), fill_value=0)
    assert counts.tolist() == model.topics_["size"].tolist()
    weights = TopicModel(4, method=method, random_state=0).fit_transform(sub)
    pd.testing.assert_frame_equal(weights, model.transform(sub))


def test_refining_on_tfidf_ends_where_topics_are_their_mean_tfidf(articles: pd.DataFrame) -> None:
    from sklearn.preprocessing import normalize

    sub = articles.head(300)
    refined = TopicModel(6, random_state=0).fit(sub)
    on_lsa = TopicModel(6, refine="lsa", random_state=0).fit(sub)
    # the steps on the tf-idf rows stop when no article moves: each topic's centroid is
    # then its articles' mean tf-idf (its terms), and each article sits with the topic
    # whose centroid is most similar to it
    assert refined._centroids.shape == (6, len(refined.vocabulary_))
    np.testing.assert_allclose(normalize(refined.components_), refined._centroids, atol=1e-12)
    assert on_lsa._centroids.shape == (6, on_lsa._svd.n_components)
    for model in (refined, on_lsa):
        weights = model.transform(sub).to_numpy()
        assert (weights.argmax(axis=1) == model.predict(sub).to_numpy()).all()


@pytest.mark.parametrize("method", ["kmeans", "nmf"])
def test_transform_computes_from_the_words(articles: pd.DataFrame, method: str) -> None:
    # the fitted articles and the same words laid out differently (another content hash)
    # get the same weights: nothing is looked up by the exact text
    sub = articles.head(200)
    model = TopicModel(4, method=method, random_state=0).fit(sub)
    respaced = sub.assign(text=sub["text"].str.replace(" ", "  ", regex=False))
    np.testing.assert_allclose(model.transform(sub), model.transform(respaced), rtol=0, atol=1e-12)
    pd.testing.assert_series_equal(model.predict(sub), model.predict(respaced))


def test_set_output(articles: pd.DataFrame) -> None:
    sub = articles.head(120)
    model = TopicModel(3, random_state=0).fit(sub)
    assert model.get_feature_names_out().tolist() == ["topic0", "topic1", "topic2"]
    plain = model.transform(sub)
    named = model.set_output(transform="pandas").transform(sub)
    assert named.columns.tolist() == ["topic0", "topic1", "topic2"]
    assert np.array_equal(named.to_numpy(), plain.to_numpy()) and named.index.equals(sub.index)


@pytest.mark.parametrize(
    ("X", "where"),
    [
        (
            np.array([[0.5, 1.0], [np.nan, np.inf], [2.0, 3.0]]),
            r"got a ndarray of float64 with shape \(3, 2\)",
        ),
        (np.arange(5), r"got a ndarray of int64 with shape \(5,\)"),
        ([1.5, 2.5, np.nan, 4.0], "item 0 is 1.5"),
        (pd.Series([1, 2, 3, 4]), "item 0 is 1"),
        ([["a", "b"], ["c", 3.0], ["d", "e"]], "item 1 holds the token 3.0"),
        (pd.DataFrame({"text": [0.1, 0.2, 0.3]}), "its 'text' column holds 0.1"),
    ],
    ids=["2d-array", "1d-array", "floats", "int-series", "numeric-tokens", "numeric-column"],
)
def test_numeric_input_is_refused(X: object, where: str) -> None:
    with pytest.raises(TypeError, match=rf"'X' argument holds numbers, not texts: {where}"):
        TopicModel(2, min_df=1, max_df=1.0).fit(X)


def test_numeric_input_is_refused_by_transform(model: TopicModel) -> None:
    with pytest.raises(TypeError, match="holds numbers, not texts.*sklearn.cluster.KMeans"):
        model.transform(np.ones((3, 4)))


def test_blas_threads_are_left_alone_unless_asked(
    articles: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threadpoolctl

    calls = []

    def record(limits: object = None, **kwargs: object) -> object:
        calls.append(limits)
        return threadpoolctl.ThreadpoolController().limit(limits=limits)

    monkeypatch.setattr(threadpoolctl, "threadpool_limits", record)
    sub = articles.head(100)
    TopicModel(3, random_state=0).fit(sub).transform(sub)
    assert calls == []
    TopicModel(3, random_state=0, blas_threads=1).fit(sub).transform(sub)
    assert calls == [1, 1]
    with pytest.raises(ValueError, match="'blas_threads' parameter .* Got 0 instead"):
        TopicModel(3, blas_threads=0).fit(sub)


def test_renamed_parameters_still_work_with_a_warning(model: TopicModel, articles: pd.DataFrame):
    new = model.topics_by(articles, by="lean")
    with pytest.warns(FutureWarning, match=r"topics_by\(column=\.\.\.\) is deprecated.*by="):
        old = model.topics_by(articles, column="lean")
    pd.testing.assert_frame_equal(old, new)
    with pytest.warns(FutureWarning, match="by position is deprecated"):
        pd.testing.assert_frame_equal(model.topics_by(articles, "lean"), new)
    monthly = model.topics_over_time(articles, freq="MS", date_column="published")
    with pytest.warns(FutureWarning, match="by position is deprecated"):
        pd.testing.assert_frame_equal(model.topics_over_time(articles, "MS"), monthly)
    with pytest.warns(FutureWarning, match=r"date=\.\.\.\) is deprecated"):
        pd.testing.assert_frame_equal(
            model.topics_over_time(articles, freq="MS", date="published"), monthly
        )
    with pytest.raises(TypeError, match="both date= and date_column="):
        model.topics_over_time(articles, date="published", date_column="published")
    weekly = model.topics_over_time(articles)
    assert (weekly["period"].dt.dayofweek == 0).all()  # weeks, as coverage counts them
    with pytest.warns(FutureWarning, match=r"representative_articles\(n=\.\.\.\)"):
        reps = model.representative_articles(n=2)
    pd.testing.assert_frame_equal(reps, model.representative_articles(top_n=2))
