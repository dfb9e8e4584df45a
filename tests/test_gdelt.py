"""GDELT files as researchers download them: raw 2.0 events, mentions and GKG files
(tab-separated, no header) and DOC API article lists (JSON, CSV, and CSV with the date
split in two). The fixtures in tests/data/gdelt follow GDELT's published column layouts,
with the URLs and titles of five AllSides stories of 20 March 2018."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import mediakit as mk
from tests.conftest import TEST_DATA

GDELT = TEST_DATA / "gdelt"
ARTICLES = json.loads((GDELT / "doc_artlist.json").read_text(encoding="utf-8"))["articles"]
URLS = [a["url"] for a in ARTICLES]


def _load(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    with pytest.warns(UserWarning, match="has a text"):
        return mk.load_articles(GDELT / name, return_report=True)  # type: ignore[return-value]


def _domain(url: str) -> str:
    return url.split("/")[2].removeprefix("www.")


@pytest.mark.parametrize(
    ("name", "label", "urls", "seen", "records"),
    [
        # eight events naming five pages, all added at 10:15
        (
            "20180320101500.export.CSV",
            "GDELT 2.0 events",
            URLS,
            ["10:15"] * 5,
            8,
        ),
        # six mentions: four of web pages (two of one page, first at 10:30), two citations
        (
            "20180320120000.mentions.CSV",
            "GDELT 2.0 mentions",
            [URLS[0], URLS[1], URLS[3]],
            ["10:15", "10:30", "12:00"],
            4,
        ),
        # five GKG records: four of web pages (one page twice), one citation-only source
        ("20180320101500.gkg.csv", "GDELT 2.1 GKG", [URLS[0], URLS[2], URLS[4]], ["10:15"] * 3, 4),
    ],
)
def test_raw_gdelt_files_load_one_row_per_source_url(name, label, urls, seen, records):
    articles, report = _load(name)
    assert sorted(articles["url"]) == sorted(mk.ingest.load.canonical_url(u) for u in urls)
    by_url = articles.set_index("url")
    for url, time in zip(urls, seen, strict=True):
        row = by_url.loc[mk.ingest.load.canonical_url(url)]
        assert row["outlet"] == _domain(url)
        assert row["published"] == pd.Timestamp(f"2018-03-20 {time}", tz="UTC")
        assert row["date_source"] == "table"
    assert articles["text"].isna().all()
    assert articles["gdelt_file"].eq(label).all()
    assert articles["gdelt_records"].sum() == records
    main = report[report["part"].isna()].iloc[0]
    assert main["status"] == "no_text" and main["rows"] == len(urls)
    assert main["reason"].startswith(f"no text: a {label} file names pages, not their text")
    assert f"({records} records, {len(urls)} distinct source URLs)" in main["reason"]
    assert report["rows"].sum() == len(articles)


def test_records_that_name_no_web_page_are_reported():
    _, report = _load("20180320120000.mentions.CSV")
    skipped = report[report["part"].notna()]
    assert skipped["part"].tolist() == ["row 4", "row 6"]
    assert skipped["status"].eq("unsupported").all()
    assert skipped["reason"].str.startswith("names no web page").all()


def test_a_gdelt_1_events_file_without_urls_is_refused_with_a_reason():
    with pytest.warns(UserWarning, match="no article was loaded"):
        articles, report = mk.load_articles(GDELT / "20130301.export.CSV", return_report=True)
    assert articles.empty
    assert report["status"].tolist() == ["unreadable"]
    assert "GDELT 1.0 events file without source URLs (57 columns" in report["reason"].iloc[0]


@pytest.mark.parametrize(
    "name", ["doc_artlist.json", "doc_artlist.csv", "doc_artlist_split_date.csv"]
)
def test_doc_api_article_lists_load_with_outlet_and_full_timestamp(name):
    articles, report = _load(name)
    assert articles["url"].tolist() == [mk.ingest.load.canonical_url(u) for u in URLS]
    assert articles["title"].tolist() == [a["title"] for a in ARTICLES]
    assert articles["outlet"].tolist() == [a["domain"] for a in ARTICLES]
    assert articles["published"].tolist() == [
        pd.Timestamp(a["seendate"], tz="UTC") for a in ARTICLES
    ]
    assert articles["language"].eq("en").all()
    assert report["status"].tolist() == ["no_text"]
    assert report["reason"].iloc[0].startswith("no text column: GDELT article lists carry no text")


def test_a_split_date_read_as_numbers_keeps_its_time(tmp_path):
    # a spreadsheet reads "20180320" and "091500" as numbers: the leading zero goes
    table = pd.DataFrame(ARTICLES).drop(columns=["seendate"])
    table["date"] = 20180320
    table["time"] = 91500
    table.to_csv(tmp_path / "list.csv", index=False)
    with pytest.warns(UserWarning):
        articles = mk.load_articles(tmp_path / "list.csv")
    assert articles["published"].eq(pd.Timestamp("2018-03-20 09:15", tz="UTC")).all()
    assert articles["outlet"].tolist() == [a["domain"] for a in ARTICLES]


@pytest.mark.parametrize(
    "name", ["20180320101500.export.CSV", "20180320120000.mentions.CSV", "20180320101500.gkg.csv"]
)
def test_raw_gdelt_files_load_zipped_as_gdelt_ships_them(tmp_path, name):
    import zipfile

    archive = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(GDELT / name, arcname=name)
    zipped, zipped_report = _load(str(archive))
    plain, plain_report = _load(name)
    pd.testing.assert_frame_equal(
        zipped.drop(columns=["path", "article_id"]), plain.drop(columns=["path", "article_id"])
    )
    assert zipped_report["status"].tolist() == plain_report["status"].tolist()


def test_zip_archives_of_several_files_or_broken_are_report_rows(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "two.zip", "w") as out:
        out.writestr("a.csv", "title,text\nA,Words of a story.\n")
        out.writestr("b.csv", "title,text\nB,Words of another.\n")
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.warns(UserWarning):
        articles, report = mk.load_articles(tmp_path, return_report=True)
    assert articles.empty
    rows = report.set_index(report["path"].str.rsplit("/", n=1).str[-1])
    assert rows.loc["two.zip", "status"] == "unsupported"
    assert rows.loc["two.zip", "reason"].startswith("a ZIP archive of 2 files (a.csv, b.csv)")
    assert rows.loc["broken.zip", "status"] == "unreadable"
    assert rows.loc["broken.zip", "reason"].startswith("broken ZIP archive")
