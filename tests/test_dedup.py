"""Exact and near-duplicate groups on the bundled corpora and on edited copies of real stories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mediakit.ingest.dedup import drop_duplicates, find_duplicates, mark_duplicates


def _normalised(values: pd.Series) -> pd.Series:
    return values.fillna("").str.lower().str.split().str.join(" ")


def test_reuters_exact_duplicates_match_a_groupby_on_title_and_text(reuters):
    groups = find_duplicates(reuters, threshold=None)
    key = _normalised(reuters["title"]) + "\x1f" + _normalised(reuters["text"])
    has_content = (reuters["title"].notna() | reuters["text"].notna()).to_numpy()
    sizes = key.groupby(key).transform("size")
    expected = has_content & (sizes > 1).to_numpy()
    assert groups.notna().to_numpy().tolist() == expected.tolist()
    assert groups.nunique() == key[expected].nunique()
    # a group is named by the smallest id of its members
    smallest = reuters["article_id"][expected].groupby(key[expected]).transform("min")
    assert (groups[expected] == smallest).all()


def test_reuters_near_duplicates_contain_the_exact_groups(reuters):
    exact = find_duplicates(reuters, threshold=None)
    near = find_duplicates(reuters)
    assert near.notna().sum() > exact.notna().sum()
    # every exact group sits inside one near group
    assert near[exact.notna()].notna().all()
    assert (near[exact.notna()].groupby(exact[exact.notna()]).nunique() == 1).all()


def test_allsides_copied_opinion_pieces_are_grouped(allsides):
    groups = find_duplicates(allsides)
    same_text = allsides["text"].duplicated(keep=False)
    assert same_text.sum() == 4
    assert groups[same_text].notna().all()
    assert groups[same_text].nunique() == 2
    # wire stories republished with edits: AP by CBN, Bloomberg by Newsmax
    pairs = {
        frozenset(sub) for _, sub in allsides["outlet"][groups.notna()].groupby(groups.dropna())
    }
    assert frozenset({"Associated Press", "CBN"}) in pairs
    assert frozenset({"Bloomberg", "Newsmax"}) in pairs
    # few duplicates overall: separate reporting of one event is not duplication
    assert groups.notna().sum() < 40


def test_groups_do_not_depend_on_row_order(allsides):
    sample = allsides.iloc[:800]
    edited = sample.iloc[:30].copy()
    edited["article_id"] = "copy-" + edited["article_id"]
    edited["text"] = edited["text"].str.replace(" the ", " a ", n=1, regex=False)
    frame = pd.concat([sample, edited], ignore_index=True)
    expected = find_duplicates(frame)
    assert expected.notna().sum() >= 60
    for seed in (0, 1):
        order = np.random.default_rng(seed).permutation(len(frame))
        shuffled = frame.iloc[order].reset_index(drop=True)
        got = find_duplicates(shuffled)
        pd.testing.assert_series_equal(
            got.set_axis(shuffled["article_id"]).sort_index(),
            expected.set_axis(frame["article_id"]).sort_index(),
        )


def test_near_duplicate_pair_grouped_and_distinct_stories_not(allsides):
    story = allsides.loc[allsides["outlet"] == "Reuters"].iloc[0]
    other = allsides.loc[allsides["outlet"] == "Reuters"].iloc[1]
    words = story["text"].split(" ")
    for i in (10, 60, 120, 200):  # a wire copy with four words changed
        words[i] = "edited"
    frame = pd.DataFrame(
        {
            "article_id": ["wire-1", "copy-1", "other-1"],
            "title": [story["title"], "Outlet headline for the same story", other["title"]],
            "text": [story["text"], " ".join(words), other["text"]],
        }
    )
    groups = find_duplicates(frame)
    assert groups.tolist()[:2] == ["copy-1", "copy-1"]
    assert pd.isna(groups.iloc[2])
    # exact-only mode does not group the edited copy
    assert find_duplicates(frame, threshold=None).isna().all()


def test_articles_without_text_or_title_are_never_grouped():
    frame = pd.DataFrame(
        {
            "article_id": ["1", "2", "3", "4"],
            "title": [pd.NA, pd.NA, "Brief", "Brief"],
            "text": [pd.NA, pd.NA, pd.NA, pd.NA],
            "url": [pd.NA, pd.NA, "https://a.example/1", "https://b.example/2"],
        }
    )
    assert find_duplicates(frame).isna().all()


def test_mark_and_drop_keep_the_input_unchanged(allsides):
    sample = allsides[allsides["text"].duplicated(keep=False)]
    before = sample.copy()
    marked = mark_duplicates(sample)
    dropped = drop_duplicates(sample)
    pd.testing.assert_frame_equal(sample, before)
    assert marked["dup_group"].notna().all()
    assert len(dropped) == 2
    assert set(dropped["article_id"]) == set(marked["dup_group"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"threshold": 1.5}, r"'threshold'.*\(0, 1\].*Got 1.5"),
        ({"shingle_size": 0}, r"'shingle_size'.*positive int.*Got 0"),
    ],
)
def test_bad_parameters_are_named(allsides, kwargs, match):
    with pytest.raises(ValueError, match=match):
        find_duplicates(allsides.head(3), **kwargs)


def test_missing_columns_and_repeated_ids_are_explained():
    with pytest.raises(ValueError, match=r"no column\(s\) \['text'\]"):
        find_duplicates(pd.DataFrame({"article_id": ["1"], "title": ["t"]}))
    frame = pd.DataFrame({"article_id": ["1", "1"], "title": ["a", "b"], "text": ["x", "y"]})
    with pytest.raises(ValueError, match="'article_id' column must be filled and unique"):
        find_duplicates(frame)
