"""save_articles / read_articles: Parquet round trips exactly; CSV and JSON Lines keep values."""

from __future__ import annotations

import pandas as pd
import pytest

from mediakit import ARTICLE_COLUMNS
from mediakit.ingest.io import read_articles, save_articles


@pytest.mark.parametrize("name", ["allsides", "reuters"])
def test_parquet_round_trip_is_exact(name, request, tmp_path):
    articles = request.getfixturevalue(name)
    path = save_articles(articles, tmp_path / f"{name}.parquet")
    back = read_articles(path)
    pd.testing.assert_frame_equal(back, articles)
    assert isinstance(back["date_source"].dtype, pd.CategoricalDtype)
    if name == "allsides":
        assert list(back["lean"].cat.categories) == ["left", "center", "right"]
    else:
        assert back["topics"].map(type).eq(list).all()
        assert back["title"].isna().sum() == articles["title"].isna().sum()


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "csv.gz", "jsonl.gz"])
def test_text_formats_keep_article_columns_and_lists(reuters, tmp_path, suffix):
    articles = reuters.iloc[::97].reset_index(drop=True)
    back = read_articles(save_articles(articles, tmp_path / f"reuters.{suffix}"))
    pd.testing.assert_frame_equal(back[list(ARTICLE_COLUMNS)], articles[list(ARTICLE_COLUMNS)])
    assert back["topics"].tolist() == articles["topics"].tolist()
    assert back["places"].tolist() == articles["places"].tolist()


def test_inputs_are_not_modified(allsides, tmp_path):
    sample = allsides.head(20)
    before = sample.copy()
    save_articles(sample, tmp_path / "a.csv")
    pd.testing.assert_frame_equal(sample, before)


def test_errors_name_the_problem(allsides, tmp_path):
    with pytest.raises(ValueError, match=r"cannot tell the format of .*\.xlsx"):
        save_articles(allsides.head(2), tmp_path / "articles.xlsx")
    with pytest.raises(FileNotFoundError, match=r"'nowhere\.parquet' does not exist"):
        read_articles("nowhere.parquet")
    with pytest.raises(ValueError, match=r"'format' must be .*got 'xml'"):
        save_articles(allsides.head(2), tmp_path / "a.xml", format="xml")  # type: ignore[arg-type]
    pd.DataFrame({"title": ["A"]}).to_csv(tmp_path / "plain.csv", index=False)
    with pytest.raises(ValueError, match=r"no column\(s\) \['article_id', 'path'\]"):
        read_articles(tmp_path / "plain.csv")
