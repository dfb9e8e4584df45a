"""Boolean queries: parsing, token-boundary matching, errors, and the bundled corpus."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import mediakit as mk
from mediakit.query import And, Not, Or, QuerySyntaxError, Term, parse_query
from mediakit.schema import as_articles


@pytest.fixture(scope="module")
def small():
    frame = pd.DataFrame(
        {
            "article_id": ["a", "b", "c", "d", "e", "f"],
            "title": [
                "Putin's victory",
                "Voters head to the polls",
                None,
                "White House statement",
                "Trade talks",
                "Re-election campaign",
            ],
            "text": [
                "The Kremlin said the vote was fair.",
                "Turnout was high as voters cast ballots; Putinism was not on the ballot.",
                "President Putin met the U.S. envoy at the White House.",
                "The white-house lawn; no mention of the Russian leader.",
                None,
                "She announced her re-election bid. Voting starts soon.",
            ],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    return as_articles(frame)


def ids(frame, query, **kwargs):
    mask = mk.matches(frame, query, **kwargs)
    assert mask.index.equals(frame.index)
    assert mask.dtype == bool
    return frame.loc[mask, "article_id"].tolist()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Putin", ["a", "c"]),  # possessive counts, Putinism does not
        ("putin", ["a", "c"]),
        ("Putin's", ["a", "c"]),  # possessives dropped in the query too
        ("vote*", ["a", "b"]),  # vote, voters; not "Voting"
        ("vot*", ["a", "b", "f"]),
        ("election", ["f"]),  # a hyphen separates words when searching
        ("re-election", ["f"]),
        ("Putin AND Kremlin", ["a"]),
        ("Putin Kremlin", ["a"]),  # implicit AND
        ("Putin OR Trade", ["a", "c", "e"]),
        ("Putin NOT Kremlin", ["c"]),
        ("NOT Putin", ["b", "d", "e", "f"]),
        ("(Putin OR voters) AND NOT ballot*", ["a", "c"]),
        ("Putin OR voters AND ballots", ["a", "b", "c"]),  # AND binds tighter than OR
        ('"White House"', ["c", "d"]),  # also across a hyphen
        ('"white house statement"', ["d"]),
        ('"house white"', []),
        ("U.S.", ["c"]),
        ("u.s. AND envoy", ["c"]),
        ("putin and kremlin", []),  # lower-case operators are words: "and" must occur
    ],
)
def test_matches_small_fixture(small, query, expected):
    assert ids(small, query) == expected


def test_case_sensitive_and_fields(small):
    assert ids(small, "putin", case=True) == []
    assert ids(small, "Putin", case=True) == ["a", "c"]
    assert ids(small, "Putin", fields="title") == ["a"]
    assert ids(small, "Putin", fields=["text"]) == ["c"]


def test_phrase_stays_within_one_field(small):
    # title "Trade talks" and text NA; title "Putin's victory" + text "The Kremlin..."
    assert ids(small, '"victory the Kremlin"') == []


def test_select_returns_copy_and_keeps_index(small):
    before = small.copy()
    out = mk.select(small, "Putin")
    assert out.index.tolist() == [10, 12]
    out.loc[10, "title"] = "changed"
    pd.testing.assert_frame_equal(small, before)


def test_parse_tree():
    assert parse_query("a* OR NOT (b c)") == Or(
        (Term(("a",), wildcard=True), Not(And((Term(("b",)), Term(("c",))))))
    )
    assert parse_query('"Putin\'s election"') == Term(("Putin", "election"), phrase=True)


@pytest.mark.parametrize(
    ("query", "position", "problem"),
    [
        ("", 0, "the query is empty"),
        ("Putin AND", 9, "expected a term after 'AND' but the query ends"),
        ("Putin AND (election OR vote", 27, r"expected '\)' to close the '\(' at position 10"),
        ("Putin)", 5, r"this '\)' has no matching '\('"),
        ("OR Putin", 0, "expected a term but got the operator 'OR'"),
        ('Putin AND "white house', 10, "this quote is never closed"),
        ("vo*te", 2, r"a wildcard \* may only end a word"),
        ("Putin ()", 7, "empty parentheses"),
        ("Putin & Trump", 6, "unexpected character '&'"),
        ('""', 0, "this phrase has no words"),
    ],
)
def test_malformed_queries_point_at_the_error(small, query, position, problem):
    with pytest.raises(ValueError, match=problem) as info:
        mk.matches(small, query)
    error = info.value
    assert isinstance(error, QuerySyntaxError)
    assert error.position == position
    lines = str(error).splitlines()
    assert lines[1].strip() == query.strip()
    assert lines[2].index("^") - lines[1].index(query[:1] or " ") == position or query == ""


def test_missing_field_and_bad_query_type(small):
    with pytest.raises(KeyError, match="'fields' parameter names column"):
        mk.matches(small, "Putin", fields=("title", "body"))
    with pytest.raises(TypeError, match="'query' parameter must be a string"):
        mk.matches(small, 42)  # type: ignore[arg-type]


def test_matches_agree_with_token_counts_on_allsides(allsides):
    from mediakit.tokenize import tokenize

    allsides = allsides.iloc[::3]  # every third article keeps the test quick

    texts = (allsides["title"].fillna("") + "\n\n" + allsides["text"].fillna("")).tolist()
    # the tokeniser's words, and the parts of hyphenated compounds
    tokens = [{p for t in tokenize(x) for p in (t, *t.split("-"))} for x in texts]
    for word in ("putin", "kremlin", "election", "u.s."):
        expected = [word in t for t in tokens]
        assert mk.matches(allsides, word).tolist() == expected, word
    expected = [any(w.startswith("vote") for w in t) for t in tokens]
    assert mk.matches(allsides, "election").sum() > mk.matches(allsides, "re-election").sum()
    assert mk.matches(allsides, "vote*").tolist() == expected
    # boolean algebra on the real corpus
    putin = mk.matches(allsides, "Putin")
    kremlin = mk.matches(allsides, "Kremlin")
    assert (mk.matches(allsides, "Putin OR Kremlin") == (putin | kremlin)).all()
    assert (mk.matches(allsides, "Putin NOT Kremlin") == (putin & ~kremlin)).all()


def test_phrase_agrees_with_regex_on_allsides(allsides):
    pattern = re.compile(r"\bwhite[\W_]+house\b", re.IGNORECASE)
    expected = [
        bool(pattern.search(t)) or bool(pattern.search(x))
        for t, x in zip(allsides["title"].fillna(""), allsides["text"].fillna(""), strict=True)
    ]
    found = mk.matches(allsides, '"White House"').tolist()
    assert sum(found) > 1500
    assert found == expected
