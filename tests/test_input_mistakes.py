"""A researcher's input mistakes give an error or a report row, never a silently wrong
frame: a misspelt column, repeated ids, a table without a text column, unasked cleaning.
Rows are real AllSides stories."""

from __future__ import annotations

import pandas as pd
import pytest

import mediakit as mk

FURNITURE = "\n\nShare this article\nFacebookTwitterEmail\nMost Read"


@pytest.fixture(scope="module")
def stories(allsides) -> pd.DataFrame:
    picked = allsides.iloc[::600].reset_index(drop=True)  # 7 stories, many outlets
    return pd.DataFrame(
        {
            "story_id": [f"as-{i}" for i in range(len(picked))],
            "headline": picked["title"],
            "body": picked["text"],
            "paper": picked["outlet"],
            "date": picked["published"].dt.strftime("%Y-%m-%d"),
        }
    )


def test_a_misspelt_column_is_a_key_error_listing_the_columns(stories, tmp_path):
    stories.to_csv(tmp_path / "coded.csv", index=False)
    for source in (stories, tmp_path / "coded.csv"):
        with pytest.raises(KeyError, match=r"'papr', which no table has.*'paper'.*'paper'\?"):
            mk.load_articles(source, columns={"papr": "outlet"})
    articles = mk.load_articles(stories, columns={"paper": "outlet"})
    assert articles["outlet"].tolist() == stories["paper"].tolist()


def test_a_frames_texts_are_cleaned_only_when_asked(stories):
    frame = stories.assign(body=stories["body"] + FURNITURE)
    kept = mk.load_articles(frame)
    assert kept["text"].tolist() == frame["body"].str.strip().tolist()
    assert kept["extractor"].eq("table frame").all()
    cleaned = mk.load_articles(frame, clean=True)
    assert not cleaned["text"].str.contains("FacebookTwitterEmail").any()
    assert cleaned["text"].str.len().sum() < kept["text"].str.len().sum()
    with pytest.raises(TypeError, match="'clean' must be True, False or None"):
        mk.load_articles(frame, clean="yes")  # type: ignore[arg-type]


def test_a_text_file_is_kept_as_given_with_clean_false(stories, tmp_path):
    (tmp_path / "story.txt").write_text(stories["body"].iloc[0] + FURNITURE, encoding="utf-8")
    articles = mk.load_articles(tmp_path, clean=False)
    assert articles["text"].iloc[0] == (stories["body"].iloc[0] + FURNITURE).strip()
    assert articles["extractor"].iloc[0] == "text file"


def test_ids_repeated_across_files_are_renamed_with_a_note(stories, tmp_path):
    stories.iloc[:4].to_csv(tmp_path / "week1.csv", index=False)
    stories.iloc[2:].to_csv(tmp_path / "week2.csv", index=False)
    articles, report = mk.load_articles(tmp_path, return_report=True)
    assert articles["article_id"].str.fullmatch(r"as-\d-2").sum() == 2
    week2 = report.loc[report["path"].str.endswith("week2.csv") & report["part"].isna()]
    assert "row 1: id 'as-2' was taken, renamed as-2-2" in week2["reason"].iloc[0]
    assert "row 2: id 'as-3' was taken, renamed as-3-2" in week2["reason"].iloc[0]


def test_a_table_without_a_text_column_says_so_and_warns(stories, tmp_path):
    stories.drop(columns=["body"]).to_csv(tmp_path / "titles.csv", index=False)
    with pytest.warns(UserWarning, match="none of the 7 articles has a text"):
        articles, report = mk.load_articles(tmp_path / "titles.csv", return_report=True)
    assert len(articles) == 7 and articles["text"].isna().all()
    assert report["status"].tolist() == ["no_text"]
    assert report["reason"].iloc[0] == (
        "no text column: none of the columns (story_id, headline, paper, date) is named "
        "like a text column (text, body, content, article, ...); name yours with "
        "columns={'<column>': 'text'}"
    )
