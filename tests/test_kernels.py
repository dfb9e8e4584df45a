"""Compiled scans against the reference tokeniser and query regexes, on the bundled corpora."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import mediakit as mk
from mediakit.query import Term, _evaluate, match_query, parse_query, query_terms
from mediakit.tokenize import count_words, normalize, tokenize

# Realistic queries: phrases, wildcards, NOT, parentheses, hyphens, possessives,
# abbreviations, accents and a decomposed (NFD) spelling.
QUERIES = [
    "Trump",
    "Putin AND (election* OR vote*)",
    '"White House" NOT Trump',
    "U.S.",
    '"U.S. election*"',
    "Trump's",
    "re-election",
    "election NOT re-election",
    '"white house*"',
    "Müller OR café OR Señor",
    "Mu\u0308ller",
    "don't",
    "NOT (gun* OR NRA) AND school*",
    '"Supreme Court" AND (abortion OR "Roe v. Wade")',
    "immigra* OR migrant*",
    '"north korea*" AND (nuclear OR missile*)',
    "e.g. OR i.e.",
    '"Trump\'s tax"',
    "it's OR Kim's",
    '"health care" OR health-care OR healthcare',
    '"9/11" OR 2018',
    '"Article 5" OR "Plan B"',
]


def reference_counts(texts, *, lowercase=True):
    """Token counts per text by the reference tokeniser (missing texts are empty)."""
    return [
        Counter(tokenize(t, lowercase=lowercase)) if isinstance(t, str) else Counter()
        for t in texts
    ]


def assert_counts_equal(counts, expected, stop=frozenset()):
    terms = counts.terms
    for row, want in enumerate(expected):
        lo, hi = counts.matrix.indptr[row], counts.matrix.indptr[row + 1]
        got = dict(zip(terms[counts.matrix.indices[lo:hi]], counts.matrix.data[lo:hi], strict=True))
        assert got == {t: c for t, c in want.items() if t not in stop}, row
        assert counts.words[row] == sum(want.values()), row


def reference_mask(frame, query, *, fields=("title", "text"), case=False):
    """The query evaluated with each term's regular expression on normalised texts."""
    node = parse_query(query)
    columns = [
        [normalize(t, lowercase=not case) if isinstance(t, str) else "" for t in frame[f]]
        for f in fields
    ]
    leaves = {}
    for term in query_terms(node):
        if not case:
            term_lower = Term(tuple(w.lower() for w in term.words), term.wildcard, term.phrase)
        else:
            term_lower = term
        search = re.compile(term_lower.pattern()).search
        leaves[term] = np.array(
            [any(search(col[i]) for col in columns) for i in range(len(frame))], dtype=bool
        )
    return _evaluate(node, leaves)


@pytest.fixture(scope="module")
def clean_allsides():
    return mk.datasets.load_allsides(clean=True)


@pytest.fixture(scope="module")
def nfd_allsides(clean_allsides):
    """Every third cleaned AllSides article, stored decomposed (NFD)."""
    sample = clean_allsides.iloc[::3].copy()
    for column in ("title", "text"):
        sample[column] = [
            unicodedata.normalize("NFD", t) if isinstance(t, str) else t for t in sample[column]
        ]
    return sample


# --------------------------------------------------------------------------- regression
def test_decomposed_word_is_one_word():
    """A page stored in NFD spells Müller with a combining mark: still one word."""
    nfd = "Herr Mu\u0308ller sagte"
    assert tokenize(nfd) == ["herr", "müller", "sagte"]
    assert tokenize(nfd) == tokenize(unicodedata.normalize("NFC", nfd))
    # a mark with no composed form stays inside its word as well
    assert tokenize("the Bra\u0308n\u0308ds") == ["the", "brän̈ds"]
    counts = count_words([nfd, "Müller"], stop_words=None)
    assert counts.terms.tolist() == ["herr", "müller", "sagte"]
    assert counts.matrix.toarray().tolist() == [[1, 1, 1], [0, 1, 0]]
    assert match_query([nfd, "Mueller", "Mu ller"], "Müller").tolist() == [True, False, False]
    assert match_query(["Müller"], "Mu\u0308ller").tolist() == [True]


# --------------------------------------------------------------------------- counting
@pytest.mark.parametrize("corpus", ["allsides", "reuters"])
def test_count_words_equals_the_reference_on_the_bundled_corpora(corpus, clean_allsides, reuters):
    frame = clean_allsides if corpus == "allsides" else reuters
    texts = frame["text"]
    counts = count_words(texts, stop_words=None)
    assert counts.matrix.shape == (len(frame), len(counts.terms))
    assert list(counts.terms) == sorted(counts.terms)
    assert_counts_equal(counts, reference_counts(texts))


def test_count_words_stop_words_case_threads_and_chunks(clean_allsides):
    texts = clean_allsides["text"].iloc[:800]
    stop = mk.tokenize.stop_word_set("english")
    expected = reference_counts(texts)
    one = count_words(texts, n_threads=1)
    assert_counts_equal(one, expected, stop)
    # several threads, and an Arrow column in several chunks, give the same matrix
    chunked = pa.chunked_array([pa.array(texts.iloc[:300]), pa.array(texts.iloc[300:])])
    for other in (count_words(texts, n_threads=2), count_words(chunked, n_threads=3)):
        assert (other.terms == one.terms).all()
        assert (other.matrix != one.matrix).nnz == 0
        assert (other.words == one.words).all()
    kept_case = count_words(texts.iloc[:200], stop_words=None, lowercase=False)
    assert_counts_equal(kept_case, reference_counts(texts.iloc[:200], lowercase=False))
    assert "Trump" in set(kept_case.terms)


def test_count_words_nfd_equals_nfc(clean_allsides, nfd_allsides):
    nfc = count_words(clean_allsides["text"].iloc[::3], stop_words=None)
    nfd = count_words(nfd_allsides["text"], stop_words=None)
    assert (nfd.terms == nfc.terms).all()
    assert (nfd.matrix != nfc.matrix).nnz == 0
    assert_counts_equal(nfd, reference_counts(nfd_allsides["text"]))


def test_texts_the_tables_cannot_answer_for_use_the_reference():
    texts = [
        "İstanbul’s ΣΟΦΊΑ ΟΔΟΣ and Ǆemal",  # lower-case forms of several characters, final sigma
        "北京 talks 😀 x\U00011001y",  # beyond the tables: ideographs, emoji, a Brahmi mark
        "Cafe\u0301 society, the Ångström (\u212b) unit",  # decomposed and singleton forms
        None,
        "",
        "plain ascii text, U.S. re-election; don't 2018",
    ]
    counts = count_words(pd.Series(texts, dtype="str"), stop_words=None)
    assert_counts_equal(counts, reference_counts(texts))
    # a capital sigma lowers to the final form at the end of a word, as str.lower() does
    assert "\u03bf\u03b4\u03bf\u03c2" in counts.terms
    assert "\u03bf\u03b4\u03bf\u03c3" not in counts.terms
    assert "x\U00011001y" in counts.terms
    for query in (
        "café",
        "istanbul",
        "\u03bf\u03b4\u03bf\u03c2 OR \u03bf\u03b4\u03bf\u03c3",
        '"x\U00011001y"',
        "ångström",
        "talks",
    ):
        frame = pd.DataFrame({"text": texts})
        expected = reference_mask(frame, query, fields=("text",))
        assert match_query(frame["text"], query).tolist() == expected.tolist(), query


def test_count_words_empty_input_and_bad_threads():
    counts = count_words([], stop_words=None)
    assert counts.matrix.shape == (0, 0) and len(counts.words) == 0
    with pytest.raises(ValueError, match="n_threads"):
        count_words(["a b"], n_threads=0)


def test_term_frequencies_use_the_same_words(clean_allsides):
    frame = clean_allsides.iloc[:400]
    table = mk.term_frequencies(frame, stop_words=None)
    expected = Counter()
    for want in reference_counts(frame["text"]):
        expected.update(want)
    assert dict(zip(table["term"], table["count"], strict=True)) == dict(expected)


# --------------------------------------------------------------------------- matching
@pytest.mark.parametrize("query", QUERIES)
def test_matches_equal_the_reference_on_allsides(query, clean_allsides):
    expected = reference_mask(clean_allsides, query)
    assert mk.matches(clean_allsides, query).to_numpy().tolist() == expected.tolist()


def test_matches_on_nfd_text_equal_nfc(clean_allsides, nfd_allsides):
    nfc = clean_allsides.iloc[::3]
    for query in QUERIES[::2]:
        found = mk.matches(nfd_allsides, query).to_numpy()
        assert found.tolist() == mk.matches(nfc, query).to_numpy().tolist(), query
        assert found.tolist() == reference_mask(nfd_allsides, query).tolist(), query


def test_case_sensitive_matching_equals_the_reference(clean_allsides):
    frame = clean_allsides.iloc[:1500]
    for query in ("Trump", "trump", '"White House"', "U.S. OR us", "Kim's NOT KIM"):
        expected = reference_mask(frame, query, case=True)
        assert mk.matches(frame, query, case=True).tolist() == expected.tolist(), query
