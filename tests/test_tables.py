"""Tables: Media Cloud and GDELT exports (realistic rows from real AllSides titles and URLs),
user column mappings, every table format, rows without text, and the frame as a source."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

import mediakit as mk
from mediakit.ingest.tables import language_code, read_table, standardize_columns, table_kind


@pytest.fixture(scope="module")
def stories(allsides) -> pd.DataFrame:
    return allsides.iloc[::400].reset_index(drop=True)  # 11 stories, many outlets


def _media_cloud(stories: pd.DataFrame) -> pd.DataFrame:
    """A Media Cloud story-list export: no text, naive UTC publish dates."""
    return pd.DataFrame(
        {
            "stories_id": [str(1_500_000_000 + i) for i in range(len(stories))],
            "publish_date": (stories["published"] + pd.Timedelta(hours=10, minutes=15)).dt.strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "title": stories["title"],
            "url": stories["url"],
            "language": "en",
            "media_id": range(100, 100 + len(stories)),
            "media_name": stories["outlet"],
            "media_url": "https://www.allsides.com/news-source/" + stories["outlet"].str.lower(),
            "ap_syndicated": False,
        }
    )


def _gdelt(stories: pd.DataFrame) -> dict:
    """A GDELT DOC API article list (mode=ArtList, format=json)."""
    return {
        "articles": [
            {
                "url": row["url"],
                "url_mobile": "",
                "title": row["title"],
                "seendate": row["published"].strftime("%Y%m%dT101500Z"),
                "socialimage": "https://img.example.org/1.jpg",
                "domain": row["url"].split("/")[2].removeprefix("www."),
                "language": "English",
                "sourcecountry": "United States",
            }
            for _, row in stories.iterrows()
        ]
    }


def test_media_cloud_export(stories, tmp_path):
    export = _media_cloud(stories)
    export.to_csv(tmp_path / "mediacloud.csv", index=False)
    articles, report = mk.load_articles(tmp_path / "mediacloud.csv", return_report=True)
    assert articles["article_id"].tolist() == export["stories_id"].tolist()
    assert articles["outlet"].tolist() == stories["outlet"].tolist()
    assert articles["title"].tolist() == stories["title"].str.strip().tolist()
    expected = stories["published"] + pd.Timedelta(hours=10, minutes=15)
    assert articles["published"].tolist() == expected.tolist()
    assert str(articles["published"].dtype) == "datetime64[us, UTC]"
    assert articles["date_source"].eq("table").all()
    assert articles["text"].isna().all() and articles["word_count"].eq(0).all()
    # source columns that map to nothing are kept
    assert {"media_url", "media_id", "ap_syndicated"} <= set(articles.columns)
    assert articles["extractor"].str.startswith("Media Cloud csv").all()
    assert report["status"].tolist() == ["no_text"]
    assert report["rows"].tolist() == [len(stories)]


def test_gdelt_article_list_json_and_csv(stories, tmp_path):
    payload = _gdelt(stories)
    (tmp_path / "gdelt.json").write_text(json.dumps(payload), encoding="utf-8")
    pd.DataFrame(payload["articles"]).to_csv(tmp_path / "gdelt.csv.gz", index=False)
    articles = mk.load_articles(tmp_path / "gdelt.json")
    from_csv = mk.load_articles(tmp_path / "gdelt.csv.gz")
    assert articles["language"].eq("en").all()
    assert articles["outlet"].iloc[0] == stories["url"].iloc[0].split("/")[2].removeprefix("www.")
    expected = stories["published"].dt.normalize() + pd.Timedelta(hours=10, minutes=15)
    assert articles["published"].tolist() == expected.tolist()
    assert {"sourcecountry", "socialimage", "url_mobile"} <= set(articles.columns)
    # without an id of their own, articles are named by their URL, the same in both files
    assert articles["article_id"].str.fullmatch(r"[0-9a-f]{16}").all()
    assert sorted(articles["article_id"]) == sorted(from_csv["article_id"])


def test_columns_mapping_and_text_cleaning(stories, tmp_path):
    table = pd.DataFrame(
        {
            "hed_text": stories["title"],
            "story_body": stories["text"] + "\n\nShare this article\nFacebookTwitterEmail",
            "when": stories["published"].dt.strftime("%d %B %Y"),
            "paper": stories["outlet"],
            "section": stories["topic"],
        }
    )
    table.to_csv(tmp_path / "coded.tsv", sep="\t", index=False)
    mapping = {"hed_text": "title", "story_body": "text", "when": "published", "paper": "outlet"}
    articles = mk.load_articles(tmp_path / "coded.tsv", columns=mapping)
    assert articles["title"].tolist() == stories["title"].str.strip().tolist()
    assert articles["outlet"].tolist() == stories["outlet"].tolist()
    assert articles["published"].tolist() == stories["published"].tolist()
    assert articles["section"].tolist() == stories["topic"].tolist()
    assert not articles["text"].str.contains("FacebookTwitterEmail").any()
    # the table's own titles are kept, not re-guessed from the text
    assert articles["extractor"].str.contains("clean_text").all()
    assert articles["language"].eq("en").all()  # detected from the text


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "jsonl.gz"])
def test_other_table_formats(stories, tmp_path, fmt):
    frame = pd.DataFrame(
        {
            "id": stories["article_id"],
            "headline": stories["title"],
            "body": stories["text"],
            "date": stories["published"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "source": stories["outlet"],
        }
    )
    path = tmp_path / f"stories.{fmt}"
    if fmt == "parquet":
        frame.to_parquet(path)
    else:
        text = frame.to_json(orient="records", lines=True)
        path.write_bytes(gzip.compress(text.encode()) if fmt.endswith(".gz") else text.encode())
    articles = mk.load_articles(path)
    assert articles["article_id"].tolist() == stories["article_id"].tolist()
    assert articles.set_index("article_id").loc[stories["article_id"], "outlet"].tolist() == (
        stories["outlet"].tolist()
    )
    assert articles["published"].notna().all()


def test_rows_without_text_stay_and_are_reported(stories, tmp_path):
    table = pd.DataFrame({"title": stories["title"], "text": stories["text"]})
    table.loc[[2, 3, 7], "text"] = None
    table.to_csv(tmp_path / "partial.csv", index=False)
    articles, report = mk.load_articles(tmp_path / "partial.csv", return_report=True)
    assert len(articles) == len(stories)
    assert articles["text"].isna().sum() == 3
    no_text = report[report["status"] == "no_text"]
    assert no_text["part"].tolist() == ["rows 3-4", "row 8"]
    assert report["rows"].sum() == len(articles)


def test_impossible_table_dates_become_nat_with_a_reason(stories, tmp_path):
    table = pd.DataFrame({"title": stories["title"][:3], "text": stories["text"][:3]})
    table["date"] = ["2018-03-20", "2999-01-01", "1850-06-01"]
    table.to_csv(tmp_path / "dates.csv", index=False)
    articles, report = mk.load_articles(tmp_path / "dates.csv", return_report=True)
    assert articles["published"].notna().tolist() == [True, False, False]
    assert articles["date_source"].tolist() == ["table", "missing", "missing"]
    reason = report["reason"].iloc[0]
    assert "row 2: published in the future" in reason and "row 3: published before 1900" in reason


def test_a_dataframe_source_and_repeated_ids(stories):
    frame = pd.DataFrame({"id": ["7", "8", "9"], "title": stories["title"][:3].tolist()})
    frame["text"] = stories["text"][:3].tolist()
    before = frame.copy()
    articles = mk.load_articles(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert articles["article_id"].tolist() == ["7", "8", "9"]
    assert articles["path"].eq("<DataFrame>").all()
    # a repeated id is an error, never renamed into an id the source does not have
    frame.loc[1, "id"] = "7"
    with pytest.raises(
        ValueError, match=r"ids in column 'id' must be unique; 1 repeat: '7' \(rows 1, 2\)"
    ):
        mk.load_articles(frame)


def test_read_table_reports_broken_json_lines():
    text = '{"title": "A"}\n{"title": \n{"title": "C"}\n[1, 2]\n'
    frame, problems = read_table(text, "jsonl")
    assert frame["title"].tolist() == ["A", "C"]
    assert [p[0] for p in problems] == ["line 2", "line 4"]


def test_helpers():
    assert table_kind(["id", "publish_date", "media_name", "media_url", "title"]) == "media_cloud"
    assert table_kind(["Headline", "Body"]) == "table"
    assert language_code("Spanish") == "es" and language_code("EN") == "en"
    frame = pd.DataFrame({"path": ["x"], "title": ["T"], "headline": ["H"]})
    renamed, _ = standardize_columns(frame)
    assert renamed.columns.tolist() == ["source_path", "title", "headline"]


def test_overlapping_exports_are_duplicates(stories, tmp_path):
    export = _media_cloud(stories)
    export.iloc[:7].to_csv(tmp_path / "week1.csv", index=False)
    export.iloc[4:].to_csv(tmp_path / "week2.csv", index=False)
    marked, report = mk.load_articles(tmp_path, return_report=True)
    assert len(marked) == 7 + len(stories) - 4
    assert marked["dup_group"].notna().sum() == 6  # three stories in both exports
    assert report["rows"].sum() == len(marked)
    dropped, report = mk.load_articles(tmp_path, return_report=True, dedupe="drop")
    assert len(dropped) == len(stories)
    assert sorted(dropped["title"]) == sorted(stories["title"].str.strip())
    assert report["rows"].sum() == len(dropped)
    assert report.loc[report["status"] == "duplicate", "part"].tolist() == ["rows 1-3"]


def test_short_clean_table_texts_are_kept(reuters, tmp_path):
    short = reuters[reuters["text"].str.split().str.len().between(12, 30)].head(6)
    short[["article_id", "title", "text"]].rename(columns={"article_id": "newid"}).to_csv(
        tmp_path / "briefs.csv", index=False
    )
    articles, report = mk.load_articles(
        tmp_path / "briefs.csv", columns={"newid": "article_id"}, return_report=True
    )
    assert articles["article_id"].tolist() == short["article_id"].tolist()
    assert articles["text"].notna().all()
    assert (articles["word_count"] >= 10).all()
    assert report["status"].tolist() == ["loaded"]


def test_json_author_lists_are_joined(stories, tmp_path):
    records = [
        {"headline": row["title"], "body": row["text"], "authors": ["Ann Lee", "Bo Chan"]}
        for _, row in stories.head(2).iterrows()
    ]
    (tmp_path / "api.json").write_text(json.dumps({"results": records}), encoding="utf-8")
    articles = mk.load_articles(tmp_path / "api.json")
    assert articles["authors"].tolist() == ["Ann Lee; Bo Chan"] * 2
