"""Term statistics: hand-counted fixtures, scikit-learn and scipy as references, real corpora."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit.schema import as_articles
from mediakit.tokenize import make_analyzer, stop_word_set, tokenize

BOILERPLATE = {"advertisement", "newsletter", "subscribe", "continued", "getty"}


@pytest.fixture(scope="module")
def tiny():
    frame = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "a3", "a4"],
            "outlet": ["Daily", "Daily", "Herald", "Herald"],
            "title": ["Vote", "Votes", "Tax", None],
            "text": [
                "The vote was close. Voters voted; the vote count took days.",
                "Putin's party won the vote. Putin said the vote was fair.",
                "Taxes rose. The tax bill passed; taxpayers paid the tax.",
                None,
            ],
            "lean": pd.Categorical(
                ["left", "left", "right", "right"], categories=["left", "center", "right"]
            ),
        }
    )
    return as_articles(frame)


# ----------------------------------------------------------------- term_frequencies
def test_counts_equal_hand_counts(tiny):
    tf = mk.term_frequencies(tiny)
    counts = dict(zip(tf["term"], tf["count"], strict=True))
    # stop words (the, was) are gone; "Putin's" is "putin"; "vote" 4x in two articles
    assert counts["vote"] == 4
    assert counts["putin"] == 2
    assert counts["tax"] == 2
    assert "the" not in counts and "was" not in counts
    row = tf.set_index("term").loc["vote"]
    assert row["doc_count"] == 2
    # running words: a1 11 words, a2 11, a3 10 (stop words included) -> 32
    assert tf.attrs["n_words"] == {"all": 32}
    assert row["per_10k"] == pytest.approx(4 / 32 * 1e4)
    # scikit-learn's smoothed idf over the 4 articles
    assert row["tfidf"] == pytest.approx(4 * (np.log(5 / 3) + 1))
    assert tf["count"].is_monotonic_decreasing
    assert list(tf.columns) == ["term", "count", "doc_count", "per_10k", "tfidf"]


def test_by_categorical_group_keeps_categories(tiny):
    tf = mk.term_frequencies(tiny, by="lean")
    assert isinstance(tf["lean"].dtype, pd.CategoricalDtype)
    assert tf["lean"].cat.categories.tolist() == ["left", "center", "right"]
    assert tf["lean"].unique().tolist() == ["left", "right"]  # order of the categories
    left = tf[tf["lean"] == "left"].set_index("term")
    right = tf[tf["lean"] == "right"].set_index("term")
    assert left.loc["vote", "count"] == 4 and "vote" not in right.index
    assert right.loc["tax", "count"] == 2 and right.loc["tax", "doc_count"] == 1
    assert tf.attrs["n_words"] == {"left": 22, "right": 10}
    assert right.loc["tax", "per_10k"] == pytest.approx(2 / 10 * 1e4)


def test_by_several_columns_top_n_and_df_bounds(tiny):
    tf = mk.term_frequencies(tiny, by=["lean", "outlet"], top_n=2)
    assert list(tf.columns[:3]) == ["lean", "outlet", "term"]
    assert tf.groupby(["lean", "outlet"], observed=True).size().tolist() == [2, 2]
    assert tf["term"].iloc[0] == "vote"
    only_shared = mk.term_frequencies(tiny, min_df=2)
    assert only_shared["term"].tolist() == ["vote"]
    assert "vote" not in mk.term_frequencies(tiny, max_df=0.25)["term"].tolist()


def test_ngrams_are_built_after_stop_words(tiny):
    tf = mk.term_frequencies(tiny, ngram_range=(2, 2))
    counts = dict(zip(tf["term"], tf["count"], strict=True))
    assert counts["putin party"] == 1  # "Putin's party"
    assert counts["vote count"] == 1
    assert all(len(t.split()) == 2 for t in tf["term"])


def test_counts_equal_countvectorizer(allsides):
    from sklearn.feature_extraction.text import CountVectorizer

    sample = allsides.iloc[::10]
    texts = sample["text"].fillna("").tolist()
    reference = CountVectorizer(analyzer=make_analyzer("english"))
    matrix = reference.fit_transform(texts)
    expected = pd.Series(
        np.asarray(matrix.sum(axis=0)).ravel(), index=reference.get_feature_names_out()
    )
    doc_counts = pd.Series(
        np.asarray((matrix > 0).sum(axis=0)).ravel(), index=reference.get_feature_names_out()
    )
    tf = mk.term_frequencies(sample).set_index("term")
    assert len(tf) == len(expected)
    pd.testing.assert_series_equal(
        tf["count"].sort_index(), expected.sort_index(), check_names=False, check_index_type=False
    )
    assert (tf["doc_count"].sort_index().to_numpy() == doc_counts.sort_index().to_numpy()).all()


def test_ngram_counts_and_df_bounds_equal_countvectorizer(allsides):
    from sklearn.feature_extraction.text import CountVectorizer

    sample = allsides.iloc[::20]
    texts = sample["text"].fillna("").tolist()
    reference = CountVectorizer(
        tokenizer=tokenize,
        token_pattern=None,
        lowercase=False,
        stop_words=sorted(stop_word_set("english")),
        ngram_range=(1, 3),
        min_df=3,
        max_df=0.5,
    )
    matrix = reference.fit_transform(texts)
    expected = dict(
        zip(reference.get_feature_names_out(), np.asarray(matrix.sum(axis=0)).ravel(), strict=True)
    )
    tf = mk.term_frequencies(sample, ngram_range=(1, 3), min_df=3, max_df=0.5)
    assert dict(zip(tf["term"], tf["count"], strict=True)) == expected


def test_input_not_mutated_and_errors(tiny):
    before = tiny.copy()
    mk.term_frequencies(tiny, by="lean")
    mk.keyness(tiny, {"lean": "left"}, min_count=1)
    pd.testing.assert_frame_equal(tiny, before)
    with pytest.raises(KeyError, match=r"'by' parameter names column\(s\) \['party'\]"):
        mk.term_frequencies(tiny, by="party")
    with pytest.raises(KeyError, match=r"'fields' parameter names column\(s\) \['body'\]"):
        mk.term_frequencies(tiny, fields="body")
    with pytest.raises(ValueError, match=r"'max_df' parameter .* Got 2.5 instead"):
        mk.term_frequencies(tiny, max_df=2.5)
    with pytest.raises(ValueError, match=r"'ngram_range' .* Got \(2, 1\) instead"):
        mk.term_frequencies(tiny, ngram_range=(2, 1))
    with pytest.raises(ValueError, match="'top_n' parameter must be a positive int"):
        mk.term_frequencies(tiny, top_n=0)


# ----------------------------------------------------------------- keyness
def test_keyness_equals_scipy(allsides):
    from scipy.stats import chi2_contingency, power_divergence

    sample = allsides.iloc[::4]
    target = sample["lean"] == "right"
    reference = sample["lean"] == "left"
    g2 = mk.keyness(sample, target, reference=reference, measure="g2")
    chi2 = mk.keyness(sample, target, reference=reference, measure="chi2").set_index("term")
    n_t, n_r = g2.attrs["n_target"], g2.attrs["n_reference"]
    words = [tokenize(t) for t in sample["text"].fillna("")]
    assert n_t == sum(len(w) for w, m in zip(words, target, strict=True) if m)
    assert n_r == sum(len(w) for w, m in zip(words, reference, strict=True) if m)
    rows = pd.concat([g2.head(20), g2.iloc[len(g2) // 2 :].head(10), g2.tail(10)])
    for row in rows.itertuples():
        a, b = row.count_target, row.count_reference
        table = np.array([[a, b], [n_t - a, n_r - b]], dtype=float)
        expected_g2, p_g2, _, expected = chi2_contingency(
            table, correction=False, lambda_="log-likelihood"
        )
        by_cells = power_divergence(
            table.ravel(), expected.ravel(), ddof=2, lambda_="log-likelihood"
        )
        assert row.statistic == pytest.approx(expected_g2, rel=1e-9, abs=1e-9)
        assert row.statistic == pytest.approx(by_cells.statistic, rel=1e-9, abs=1e-9)
        assert row.p_value == pytest.approx(p_g2, rel=1e-9, abs=1e-12)
        expected_chi2, p_chi2, _, _ = chi2_contingency(table, correction=False)
        assert chi2.loc[row.term, "statistic"] == pytest.approx(expected_chi2, rel=1e-9, abs=1e-9)
        assert chi2.loc[row.term, "p_value"] == pytest.approx(p_chi2, rel=1e-9, abs=1e-12)
        leans = "target" if a / n_t > b / n_r else "reference"
        assert row.direction == leans
        assert row.log_ratio == pytest.approx(np.log2((max(a, 0.5) / n_t) / (max(b, 0.5) / n_r)))
    assert g2["statistic"].is_monotonic_decreasing
    assert ((g2["count_target"] + g2["count_reference"]) >= 5).all()


def test_keyness_forms_of_target_agree(tiny):
    mask = mk.keyness(tiny, tiny["lean"] == "left", min_count=1)
    mapping = mk.keyness(tiny, {"lean": "left"}, min_count=1)
    pd.testing.assert_frame_equal(mask, mapping)
    by_column = mk.keyness(tiny, "lean", min_count=1)
    assert by_column.columns[0] == "group"
    assert by_column["group"].cat.categories.tolist() == ["left", "center", "right"]
    left = by_column[by_column["group"] == "left"].drop(columns="group").reset_index(drop=True)
    pd.testing.assert_frame_equal(left, mapping)
    assert by_column.attrs["n_target"] == {"left": 22, "right": 10}
    top = mapping.set_index("term")
    assert top.loc["vote", "direction"] == "target"
    assert top.loc["tax", "direction"] == "reference"


def test_keyness_measures_sort_by_their_statistic(allsides):
    sample = allsides.iloc[::8]
    for measure in ("log_ratio", "pmi"):
        result = mk.keyness(sample, {"lean": "right"}, measure=measure, min_count=10)
        assert result["statistic"].is_monotonic_decreasing
        assert (result["statistic"] >= 0).all()
    ratio = mk.keyness(sample, {"lean": "right"}, measure="log_ratio", min_count=10)
    assert np.allclose(ratio["statistic"], ratio["log_ratio"].abs())


def test_keyness_errors(tiny):
    with pytest.raises(KeyError, match=r"'target' parameter names column\(s\) \['party'\]"):
        mk.keyness(tiny, {"party": "left"})
    with pytest.raises(KeyError, match="'target' parameter 'party' is not a column"):
        mk.keyness(tiny, "party")
    with pytest.raises(ValueError, match=r"'target' parameter selects no article \(lean = far"):
        mk.keyness(tiny, {"lean": "far"})
    with pytest.raises(ValueError, match="'target' parameter selects every article"):
        mk.keyness(tiny, {"lean": ["left", "right"]})
    with pytest.raises(ValueError, match="'reference' parameter selects no article"):
        mk.keyness(tiny, {"lean": "left"}, reference={"outlet": "Nobody"})
    with pytest.raises(ValueError, match="'measure' parameter of keyness must be one of"):
        mk.keyness(tiny, {"lean": "left"}, measure="z")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'reference' articles hold no words in \\['text'\\]"):
        mk.keyness(tiny, {"article_id": "a1"}, reference={"article_id": "a4"})
    with pytest.raises(TypeError, match="dtype string; a mask must be boolean"):
        mk.keyness(tiny, tiny["outlet"])


@pytest.fixture(scope="module")
def allsides_clean():
    from mediakit import datasets

    return datasets.load_allsides(clean=True)


def test_keyness_right_vs_left_on_cleaned_allsides_has_no_boilerplate(allsides_clean):
    result = mk.keyness(allsides_clean, {"lean": "right"}, reference={"lean": "left"})
    top = set(result.head(50)["term"])
    assert not top & BOILERPLATE
    assert len(result) > 5000
    assert result.attrs["n_target"] > 1_000_000 and result.attrs["n_reference"] > 800_000


# ----------------------------------------------------------------- kwic
def test_kwic_finds_every_occurrence(allsides):
    lines = mk.kwic(allsides, "Putin")
    expected = int(allsides["text"].fillna("").str.count(r"(?i)\bputin\b").sum())
    assert len(lines) == expected > 1000
    assert list(lines.columns) == ["article_id", "outlet", "published", "left", "match", "right"]
    assert set(lines["match"].str.lower()) == {"putin"}
    assert lines["published"].dtype == allsides["published"].dtype
    per_article = lines.groupby("article_id").size()
    counts = allsides.set_index("article_id")["text"].str.count(r"(?i)\bputin\b")
    assert (per_article == counts.loc[per_article.index]).all()


def test_kwic_context_windows_and_regex(tiny):
    lines = mk.kwic(tiny, "vote", window=2)
    assert lines["article_id"].tolist() == ["a1", "a1", "a2", "a2"]
    assert lines.iloc[0][["left", "match", "right"]].tolist() == ["The", "vote", "was close."]
    assert lines.iloc[1][["left", "match", "right"]].tolist() == [
        "voted; the",
        "vote",
        "count took",
    ]
    assert mk.kwic(tiny, "vot*")["match"].tolist() == [
        "vote",
        "Voters",
        "voted",
        "vote",
        "vote",
        "vote",
    ]
    assert mk.kwic(tiny, "vote", case=True)["match"].tolist() == ["vote"] * 4
    phrase = mk.kwic(tiny, "party won")
    assert phrase["match"].tolist() == ["party won"]
    assert phrase["left"].tolist() == ["Putin's"]
    assert len(mk.kwic(tiny, r"tax\w*", regex=True)) == 4
    with pytest.raises(ValueError, match="not a valid regular expression"):
        mk.kwic(tiny, "tax(", regex=True)
    with pytest.raises(ValueError, match="'pattern' parameter must be a non-empty string"):
        mk.kwic(tiny, " ")
    with pytest.raises(ValueError, match="'window' parameter must be an int >= 0"):
        mk.kwic(tiny, "vote", window=-1)


# ----------------------------------------------------------------- collocations
def test_collocations_hand_computed():
    texts = ["new york city", "new york state", "new jersey", "york new"]
    frame = as_articles(pd.DataFrame({"article_id": list("abcd"), "text": texts}))
    pairs = mk.collocations(frame, min_count=1, stop_words=None).set_index("ngram")
    # pairs never cross articles: "state new" / "jersey york" do not exist
    assert set(pairs.index) == {"new york", "york city", "york state", "new jersey", "york new"}
    assert pairs.loc["new york", "count"] == 2
    # 10 words, 6 pairs; p(new york) = 2/6, p(new) = 4/10, p(york) = 3/10
    assert pairs.loc["new york", "statistic"] == pytest.approx(np.log2((2 / 6) / (0.4 * 0.3)))
    assert pairs.loc["york city", "statistic"] == pytest.approx(np.log2((1 / 6) / (0.3 * 0.1)))
    t_score = mk.collocations(frame, min_count=2, measure="t", stop_words=None)
    assert t_score["ngram"].tolist() == ["new york"]
    assert t_score["statistic"].iloc[0] == pytest.approx((2 - 6 * 0.4 * 0.3) / np.sqrt(2))


def test_collocations_on_allsides(allsides):
    pairs = mk.collocations(allsides.iloc[::4], min_count=20, measure="g2", top_n=30)
    assert len(pairs) == 30
    top = pairs["ngram"].tolist()
    assert "white house" in top[:5]
    assert all(not set(p.split()) & stop_word_set("english") for p in top)
    with pytest.raises(ValueError, match="'measure' parameter of collocations"):
        mk.collocations(allsides.head(5), measure="dice")  # type: ignore[arg-type]


# ----------------------------------------------------------------- count_terms
def test_count_terms_hand_counts(tiny):
    dictionary = {"voting": ["vote*", "ballot"], "tax": ["tax*"], "russia": ["putin", "kremlin"]}
    counts = mk.count_terms(tiny, dictionary)
    assert counts.columns.tolist() == ["article_id", "voting", "tax", "russia", "n_words"]
    table = counts.set_index("article_id")
    assert table["voting"].tolist() == [4, 2, 0, 0]  # vote x2, voters, voted | vote x2
    assert table["tax"].tolist() == [0, 0, 4, 0]  # taxes, tax, taxpayers, tax
    assert table["russia"].tolist() == [0, 2, 0, 0]
    assert table["n_words"].tolist() == [11, 11, 10, 0]
    joined = tiny.merge(counts, on="article_id")
    assert len(joined) == len(tiny)
    with pytest.raises(ValueError, match="entry 'tax bill' of category 'tax' is not a word"):
        mk.count_terms(tiny, {"tax": ["tax bill"]})
    with pytest.raises(ValueError, match="'dictionary' parameter must be a non-empty mapping"):
        mk.count_terms(tiny, {})


def test_count_terms_on_allsides_match_token_counts(allsides):
    sample = allsides.iloc[::25]
    counts = mk.count_terms(sample, {"migration": ["immigra*", "migrant*", "border"]})
    expected = [
        sum(t.startswith(("immigra", "migrant")) or t == "border" for t in tokenize(text))
        for text in sample["text"].fillna("")
    ]
    assert counts["migration"].tolist() == expected
    assert sum(expected) > 100


def test_accessor_calls_the_functions(tiny):
    pd.testing.assert_frame_equal(tiny.media.terms(by="lean"), mk.term_frequencies(tiny, by="lean"))
    pd.testing.assert_frame_equal(tiny.media.kwic("vote"), mk.kwic(tiny, "vote"))
    pd.testing.assert_frame_equal(tiny.media.select("Putin"), mk.select(tiny, "Putin"))
    assert re.fullmatch(r"left", str(tiny.media.keyness("lean", min_count=1)["group"].iloc[0]))
