"""load_articles on folders of raw text and saved pages built from real AllSides articles,
on bad inputs, and on the seed sample."""

from __future__ import annotations

import gzip
import html
import random
from pathlib import Path

import pandas as pd
import pytest

import mediakit as mk
from mediakit.datasets import sample_dir

SEED_TITLE = (
    "In a call, Donald Trump congratulates Vladimir Putin on election victory, says Kremlin"
)


def _raw_dump(title: str, text: str, outlet: str) -> str:
    """A page's visible text as a naive scraper saves it: menus, share rows, footer."""
    return "\n".join(
        [
            outlet,
            "Home",
            "World",
            "Politics",
            "Advertisement",
            "",
            title,
            "",
            "FacebookTwitterEmail",
            "",
            text,
            "",
            "Share this article",
            "Most Read",
            f"© 2018 {outlet}. All rights reserved.",
        ]
    )


def _page(row: pd.Series) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in row["text"].split("\n\n"))
    day = row["published"].strftime("%Y-%m-%d")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(row["title"])} | {html.escape(row["outlet"])}</title>
<link rel="canonical" href="{html.escape(row["url"])}">
<meta property="article:published_time" content="{day}T09:30:00Z">
<meta name="author" content="Staff Reporter"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{html.escape(row["title"])}</h1>{paragraphs}</article>
<footer>© 2018 {html.escape(row["outlet"])}</footer></body></html>"""


@pytest.fixture(scope="module")
def corpus(allsides, tmp_path_factory) -> Path:
    """Two outlets' raw text dumps (one cp1252, one with BOM, one gzipped), saved pages,
    an edited wire copy, and a folder of bad inputs."""
    root = tmp_path_factory.mktemp("corpus")
    rows = allsides[allsides["outlet"].isin(["Reuters", "Politico"])].groupby("outlet").head(3)
    for i, (_, row) in enumerate(rows.iterrows()):
        folder = root / row["outlet"].lower()
        folder.mkdir(exist_ok=True)
        dump = _raw_dump(row["title"], row["text"], row["outlet"])
        if i == 0:
            (folder / f"{i:02d}.txt").write_bytes(
                dump.encode("cp1252", errors="replace").replace(b"?", b"?")
            )
        elif i == 1:
            (folder / f"{i:02d}.txt").write_bytes(b"\xef\xbb\xbf" + dump.encode("utf-8"))
        elif i == 2:
            (folder / f"{i:02d}.txt.gz").write_bytes(gzip.compress(dump.encode("utf-8")))
        else:
            (folder / f"{i:02d}.txt").write_text(dump, encoding="utf-8")
    wire = rows.iloc[0]
    words = wire["text"].split(" ")
    for k in (15, 70, 140):
        words[k] = "reportedly"
    (root / "politico" / "wire_copy.txt").write_text(
        _raw_dump("A different headline on the same story", " ".join(words), "Politico"),
        encoding="utf-8",
    )
    pages = root / "pages"
    pages.mkdir()
    for i, (_, row) in enumerate(
        allsides[allsides["outlet"] == "CNN (Web News)"].head(2).iterrows()
    ):
        (pages / f"page{i}.html").write_text(_page(row), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory, allsides) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.bin").write_bytes(random.Random(0).randbytes(4096))
    story = allsides["text"].iloc[0].encode("utf-8")
    (folder / "truncated.txt.gz").write_bytes(gzip.compress(story)[:200])
    (folder / "undecodable.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d\x00\xff" * 300)
    text = allsides["text"].iloc[10].replace("\u2019", "'") + " Caf\u00e9 au lait."
    (folder / "mostly_utf8.txt").write_bytes(
        (allsides["title"].iloc[10] + "\n\n" + text).encode("utf-8").replace(b". ", b".\xff ", 2)
    )
    (folder / "no_article.html").write_text(
        "<html><head><title>Page not found</title></head><body><nav>Home | World</nav>"
        "<p>404</p></body></html>",
        encoding="utf-8",
    )
    good = allsides.head(3)
    lines = ["title,url,published,text"]
    for _, row in good.iterrows():
        lines.append(
            ",".join(
                [
                    f'"{row["title"]}"',
                    row["url"],
                    row["published"].strftime("%Y-%m-%d"),
                    '"' + row["text"].replace('"', '""') + '"',
                ]
            )
        )
    lines.insert(2, 'Broken row,https://example.org/x,2018-01-01,"text",extra,fields')
    (folder / "broken.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_folder_loads_every_file_with_a_report_row(corpus):
    articles, report = mk.load_articles(corpus, return_report=True, dedupe="mark")
    files = sorted(str(p) for p in corpus.rglob("*") if p.is_file())
    assert sorted(report["path"]) == files
    assert (report["status"].isin(["loaded", "duplicate"])).all(), report
    assert report["rows"].sum() == len(articles) == len(files)
    mk.validate_articles(articles)
    assert articles["path"].is_monotonic_increasing
    # text cleaned: title found, menus and footers gone, encodings decoded
    assert (
        articles["text"].str.contains("All rights reserved|FacebookTwitter|Advertisement").sum()
        == 0
    )
    assert articles["language"].eq("en").all()
    assert (report["lines_removed"][report["format"] == "text"] > 0).all()
    # saved pages keep their metadata
    pages = articles[articles["path"].str.endswith(".html")]
    assert pages["date_source"].isin(["meta", "json-ld", "html", "url"]).all()
    assert pages["url"].str.startswith("http").all()
    assert pages["authors"].eq("Staff Reporter").all()


def test_encodings_are_decoded(corpus, allsides):
    articles = mk.load_articles(corpus, dedupe=False)
    reuters = articles[articles["path"].str.contains("reuters")]
    for _, row in reuters.iterrows():
        assert "\ufffd" not in row["text"]
        assert "Ã" not in row["text"]  # no UTF-8 read as cp1252
    gz = articles[articles["path"].str.endswith(".gz")]
    assert len(gz) == 1 and gz["word_count"].iloc[0] > 100


def test_wire_copy_is_grouped_with_its_source(corpus):
    articles, report = mk.load_articles(corpus, return_report=True)
    copy = articles[articles["path"].str.endswith("wire_copy.txt")].iloc[0]
    assert pd.notna(copy["dup_group"])
    group = articles[articles["dup_group"] == copy["dup_group"]]
    assert len(group) == 2
    assert group["outlet"].isna().all()
    assert (report["status"] == "duplicate").sum() == 1
    dropped, report_drop = mk.load_articles(corpus, return_report=True, dedupe="drop")
    assert len(dropped) == len(articles) - 1
    assert report_drop["rows"].sum() == len(dropped)


def test_same_folder_any_order_any_jobs_gives_identical_frames(corpus):
    expected, report = mk.load_articles(corpus, return_report=True, progress=False)
    files = [str(p) for p in corpus.rglob("*") if p.is_file()]
    random.Random(1).shuffle(files)
    shuffled = mk.load_articles(files, progress=False)
    pd.testing.assert_frame_equal(shuffled, expected)
    parallel, parallel_report = mk.load_articles(
        list(reversed(files)), n_jobs=2, return_report=True, progress=False
    )
    pd.testing.assert_frame_equal(parallel, expected)
    pd.testing.assert_frame_equal(parallel_report, report)


def test_outlet_argument_and_glob(corpus):
    by_folder = mk.load_articles(corpus / "*" / "*.txt*", outlet=lambda p: p.parent.name)
    assert set(by_folder["outlet"]) == {"reuters", "politico"}
    fixed = mk.load_articles(str(corpus / "reuters"), outlet="Reuters")
    assert fixed["outlet"].eq("Reuters").all()


def test_bad_inputs_each_give_a_report_row(bad_inputs, allsides):
    articles, report = mk.load_articles(bad_inputs, return_report=True)
    status = report.set_index(
        report["path"]
        .map(lambda p: Path(p).name)
        .where(
            report["part"].isna(), report["path"].map(lambda p: Path(p).name) + ":" + report["part"]
        )
    )["status"]
    assert status["empty.txt"] == "empty"
    assert status["binary.bin"] == "unsupported"
    assert status["truncated.txt.gz"] == "unreadable"
    assert status["undecodable.txt"] == "unsupported"
    assert status["mostly_utf8.txt"] == "loaded"
    reason = report.loc[report["path"].str.endswith("mostly_utf8.txt"), "reason"].iloc[0]
    assert "2 undecodable byte(s) replaced" in reason
    assert status["no_article.html"] in ("no_text", "unreadable")
    assert status["broken.csv"] == "loaded"
    assert status["broken.csv:line 3"] == "unreadable"
    assert "expected 4 fields, saw 6" in report.loc[report["part"] == "line 3", "reason"].iloc[0]
    # the good rows of the broken CSV load, with their table dates
    assert articles["text"].str.contains("Café au lait.").sum() == 1
    articles = articles[articles["path"].str.endswith(".csv")]
    assert len(articles) == 3
    assert articles["title"].tolist() == allsides["title"].head(3).str.strip().tolist()
    assert articles["date_source"].eq("table").all()
    assert articles["published"].dt.strftime("%Y-%m-%d").tolist() == (
        allsides["published"].head(3).dt.strftime("%Y-%m-%d").tolist()
    )


def test_a_50_megabyte_page_is_reported_not_parsed(tmp_path, allsides):
    paragraph = "<p>" + html.escape(allsides["text"].iloc[0][:1000]) + "</p>\n"
    with open(tmp_path / "huge.html", "w", encoding="utf-8") as handle:
        handle.write("<html><body><article>")
        for _ in range(50_000_000 // len(paragraph) + 1):
            handle.write(paragraph)
        handle.write("</article></body></html>")
    assert (tmp_path / "huge.html").stat().st_size > 50_000_000
    articles, report = mk.load_articles(tmp_path, return_report=True)
    assert len(articles) == 0
    assert report["status"].tolist() == ["unreadable"]
    assert "too_large" in report["reason"].iloc[0]


def test_seed_sample_loads_cleaned_without_an_invented_date():
    articles, report = mk.load_articles(sample_dir(), return_report=True)
    assert len(articles) == 1
    seed = articles.iloc[0]
    assert seed["title"] == SEED_TITLE
    assert seed["text"].startswith("The Kremlin said on Tuesday that US President Donald Trump")
    assert seed["text"].endswith('Russia had a chance to make "a breakthrough."')
    for debris in (
        "FacebookTwitterWhatsappLinkedin",
        "article-main",
        "Latest News",
        "Advertisement",
    ):
        assert debris not in seed["text"]
    assert pd.isna(seed["published"]) and seed["date_source"] == "missing"
    assert report["lines_removed"].iloc[0] >= 5


def test_seed_sample_with_sidecar_gets_its_date_and_outlet(tmp_path):
    sidecar = tmp_path / "meta.csv"
    sidecar.write_text(
        "file,published,outlet,url,section\n"
        "000_dcebc4dd8079f64f.txt,2018-03-20,WION,https://www.wionews.com/world/x?utm_source=t,World\n",
        encoding="utf-8",
    )
    articles = mk.load_articles(sample_dir(), metadata=sidecar)
    seed = articles.iloc[0]
    assert seed["published"] == pd.Timestamp("2018-03-20", tz="UTC")
    assert seed["date_source"] == "sidecar"
    assert seed["outlet"] == "WION"
    assert seed["url"] == "https://www.wionews.com/world/x"
    assert seed["section"] == "World"
    # the id follows the URL the sidecar gave
    assert seed["article_id"] != mk.load_articles(sample_dir()).loc[0, "article_id"]


def test_sidecar_dates_follow_the_column_convention_and_dayfirst(tmp_path):
    folder = tmp_path / "captures"
    folder.mkdir()
    seed = sample_dir() / "000_dcebc4dd8079f64f.txt"
    for name in ("a.txt", "b.txt"):
        (folder / name).write_bytes(seed.read_bytes().replace(b"Russia", name.encode()))
    frame = pd.DataFrame({"file": ["a.txt", "b.txt"], "published": ["03/04/2018", "07/08/2018"]})
    with pytest.warns(UserWarning, match=r"'sidecar published'.*dayfirst=True"):
        articles, report = mk.load_articles(folder, metadata=frame, return_report=True)
    assert articles["published"].dt.strftime("%m-%d").tolist() == ["03-04", "07-08"]
    assert report["reason"].str.contains("sidecar published: ambiguous day/month order").all()
    articles = mk.load_articles(folder, metadata=frame, dayfirst=True)
    assert articles["published"].dt.strftime("%m-%d").tolist() == ["04-03", "08-07"]


def test_sidecar_impossible_date_is_refused_with_a_reason(tmp_path):
    frame = pd.DataFrame({"file": ["000_dcebc4dd8079f64f.txt"], "published": ["2999-01-01"]})
    articles, report = mk.load_articles(sample_dir(), metadata=frame, return_report=True)
    assert pd.isna(articles.loc[0, "published"])
    assert "in the future" in report.loc[0, "reason"]


def test_missing_source_and_bad_arguments_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"'no/such/folder' in 'source' does not exist"):
        mk.load_articles("no/such/folder")
    with pytest.raises(FileNotFoundError, match=r"pattern .*\*\.txt.* matches no file"):
        mk.load_articles(str(tmp_path / "*.txt"))
    with pytest.raises(ValueError, match=r"'dedupe' must be 'mark', 'drop' or False; got 'yes'"):
        mk.load_articles(sample_dir(), dedupe="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'format' must be one of .*got 'pdf'"):
        mk.load_articles(sample_dir(), format="pdf")  # type: ignore[arg-type]
    with pytest.raises(
        ValueError, match=r"'n_jobs' must be a positive int or -1 \(all cores\); got 0"
    ):
        mk.load_articles(sample_dir(), n_jobs=0)
    with pytest.raises(ValueError, match=r"'engine' must be .*got 'lxml'"):
        mk.load_articles(sample_dir(), engine="lxml")
    with pytest.raises(ValueError, match="reads local files only"):
        mk.load_articles("https://example.org/news")


def test_hidden_files_and_folders_are_skipped(tmp_path, allsides):
    row = allsides.iloc[5]
    dump = _raw_dump(row["title"], row["text"], row["outlet"])
    (tmp_path / "story.txt").write_text(dump, encoding="utf-8")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "story-checkpoint.txt").write_text(dump, encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" * 50)
    articles, report = mk.load_articles(tmp_path, return_report=True)
    assert report["path"].tolist() == [str(tmp_path / "story.txt")]
    assert len(articles) == 1 and articles["dup_group"].isna().all()


def test_sidecar_keyed_by_url(corpus, allsides):
    pages = allsides[allsides["outlet"] == "CNN (Web News)"].head(2)
    sidecar = pd.DataFrame(
        {
            "url": pages["url"],
            "outlet": "CNN",
            "date": ["2018-05-01T12:00:00-04:00", "2018-05-02"],
            "coder_note": ["check", "ok"],
        }
    )
    articles = mk.load_articles(corpus / "pages", metadata=sidecar)
    assert articles["outlet"].eq("CNN").all()
    assert articles["date_source"].eq("sidecar").all()
    assert articles["published"].tolist() == [
        pd.Timestamp("2018-05-01 16:00", tz="UTC"),
        pd.Timestamp("2018-05-02", tz="UTC"),
    ]
    assert articles["coder_note"].tolist() == ["check", "ok"]


def test_progress_bar_on_long_runs_only(tmp_path, allsides, capsys):
    for i, (_, row) in enumerate(allsides.head(60).iterrows()):
        (tmp_path / f"{i:02d}.txt").write_text(f"{row['title']}\n\n{row['text']}", encoding="utf-8")
    articles = mk.load_articles(tmp_path, dedupe=False)
    assert len(articles) == 60
    assert "Reading" in capsys.readouterr().err
    mk.load_articles(tmp_path, dedupe=False, progress=False)
    assert "Reading" not in capsys.readouterr().err


def test_saved_pages_get_their_site_name_as_outlet():
    examples = Path(__file__).resolve().parents[1] / "data" / "examples"
    articles = mk.load_articles(examples / "pages", progress=False)
    stems = articles["path"].map(lambda p: Path(p).stem)
    by_file = dict(zip(stems, articles["outlet"], strict=True))
    assert by_file == {
        "foxnews_spy_poisoning": "Fox Online News",
        "guardian_diplomats_expelled": "The Guardian",
        "guardian_diplomats_expelled_amp": "The Guardian",
        "usatoday_putin_reelection": "USA TODAY",
    }
    renamed = mk.load_articles(examples / "pages", outlet="Press", progress=False)
    assert renamed["outlet"].eq("Press").all()  # the argument still wins
