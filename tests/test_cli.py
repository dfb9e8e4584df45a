"""The ``mediakit`` command against the local web of tests/webserver.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mediakit.cli import EXIT_INPUT, EXIT_OUTPUT, EXIT_USAGE, main, read_url_list
from mediakit.schema import validate_articles
from tests import webserver

local_web = webserver.local_web  # fixtures
no_internet = webserver.no_internet
ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.usefixtures("no_internet")


def test_fetch_writes_the_corpus_and_summarises_the_report(local_web, tmp_path, capsys):
    urls = [local_web.url(k % 3, f"/news/{k}.html") for k in range(12)]
    listing = tmp_path / "urls.txt"
    missing = local_web.url(0, "/missing/3")
    listing.write_text("# from a search export\n" + "\n".join(urls) + f"\n\n{missing}\n")
    out = tmp_path / "corpus.parquet"
    argv = ["fetch", str(listing), "-o", str(out), "--rate-limit", "50", "--quiet"]
    argv += ["--engine", "trafilatura", "--report", str(tmp_path / "report.csv")]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "13 URLs:" in printed
    assert re.search(r"\bok +12\n", printed)
    assert re.search(r"\bhttp_error +1\n", printed)
    assert "(0 read from the cache, 13 requested now)" in printed
    corpus = pd.read_parquet(out)
    assert len(corpus) == 12
    assert corpus["title"].tolist() == [
        " ".join(str(local_web.row(k)["title"]).split()) for k in range(12)
    ]
    report = pd.read_csv(tmp_path / "report.csv")
    assert report["status"].value_counts().to_dict() == {"ok": 12, "http_error": 1}
    assert (tmp_path / "corpus-cache" / "pages").is_dir()
    # the same command again reads everything from the cache
    local_web.clear_log()
    assert main(argv) == 0
    assert "(13 read from the cache, 0 requested now)" in capsys.readouterr().out
    assert local_web.log == []
    validate_articles(pd.read_parquet(out).astype({"date_source": "category"}))


def test_discover_then_fetch_in_a_subprocess(local_web, tmp_path):
    """discover in process, then the URL file fetched by a separate `mediakit fetch`."""
    found = tmp_path / "found.txt"
    feed = local_web.url(1, "/feed.rss")
    assert main(["discover", feed, "-o", str(found), "--rate-limit", "0"]) == 0
    urls = found.read_text().split()
    assert urls == [local_web.url(1, f"/news/{n}.html") for n in local_web.feed_pages("rss")]
    code = webserver.SUBPROCESS_GUARD + "import sys\nfrom mediakit.cli import main\n"
    run = [sys.executable, "-c", code + "sys.exit(main(sys.argv[1:]))"]
    out = tmp_path / "feed.csv"
    done = subprocess.run(
        [*run, "fetch", str(found), "-o", str(out), "--rate-limit", "100"]
        + ["--engine", "trafilatura", "--cache-dir", str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "fetch" in done.stderr and "30/30" in done.stderr  # the progress bar
    assert re.search(r"\bok +30\n", done.stdout)
    assert len(pd.read_csv(out)) == 30


def test_read_url_list_accepts_tables_with_a_url_column(tmp_path):
    table = tmp_path / "export.csv"
    pd.DataFrame({"url": ["https://a.example/1", None, "https://b.example/2"], "x": 1}).to_csv(
        table, index=False
    )
    assert read_url_list(str(table)) == ["https://a.example/1", "https://b.example/2"]
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"link": ["https://a.example/1"]}).to_csv(bad, index=False)
    with pytest.raises(SystemExit, match="has no 'url' column"):
        read_url_list(str(bad))
    with pytest.raises(SystemExit, match="does not exist"):
        read_url_list(str(tmp_path / "nope.txt"))


def test_bad_options_exit_with_the_argument_named(tmp_path, capsys):
    listing = tmp_path / "urls.txt"
    listing.write_text("http://127.0.0.1:9/a\n")
    argv = ["fetch", str(listing), "-o", str(tmp_path / "c.parquet"), "--rate-limit", "-2"]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "rate_limit must be a positive number" in capsys.readouterr().err


def test_load_writes_what_load_articles_returns(tmp_path, capsys):
    from mediakit.datasets import sample_dir
    from mediakit.ingest.io import read_articles
    from mediakit.ingest.load import load_articles

    out = tmp_path / "samples.parquet"
    assert main(["load", str(sample_dir()), "-o", str(out), "--quiet"]) == 0
    expected = load_articles(sample_dir(), progress=False)
    pd.testing.assert_frame_equal(read_articles(out), expected)
    printed = capsys.readouterr().out
    assert f"{len(expected)} articles written to {out}" in printed
    assert "loaded" in printed


def test_load_of_a_missing_folder_exits_with_the_path(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["load", str(tmp_path / "no-such-folder"), "-o", str(tmp_path / "x.parquet")])
    assert exit_info.value.code == EXIT_INPUT
    assert "no-such-folder" in capsys.readouterr().err


def exit_of(argv: list[str], capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    return int(exit_info.value.code), capsys.readouterr().err


def test_one_exit_status_per_kind_of_error_and_a_message_not_a_traceback(
    local_web, tmp_path, capsys
):
    listing = tmp_path / "urls.txt"
    listing.write_text(local_web.url(0, "/news/1.html") + "\n")
    out = str(tmp_path / "corpus.parquet")
    # an input that cannot be read: missing, or a folder, for fetch and for load alike
    code, err = exit_of(["fetch", str(tmp_path / "nope.txt"), "-o", out], capsys)
    assert (code, err) == (
        EXIT_INPUT,
        f"mediakit fetch: URL list {str(tmp_path / 'nope.txt')!r} does not exist.\n",
    )
    code, err = exit_of(["fetch", str(tmp_path), "-o", out], capsys)
    assert code == EXIT_INPUT and "is a folder; give a text file" in err
    # an output or a cache that cannot be written
    (tmp_path / "taken.parquet").mkdir()
    code, err = exit_of(["fetch", str(listing), "-o", str(tmp_path / "taken.parquet")], capsys)
    assert code == EXIT_OUTPUT and "is a folder; give a file name" in err
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    argv = ["fetch", str(listing), "-o", out, "--cache-dir", str(blocker / "cache"), "-q"]
    code, err = exit_of(argv, capsys)
    assert code == EXIT_OUTPUT
    assert err.startswith("mediakit fetch: ") and "a-file" in err and "Traceback" not in err
    code, err = exit_of(["load", str(listing), "-o", str(blocker / "x.csv"), "-q"], capsys)
    assert code == EXIT_OUTPUT and "is a file, where a folder is needed" in err
    assert local_web.log == []  # nothing was fetched


def test_the_output_extension_is_checked_before_fetching(local_web, tmp_path, capsys):
    listing = tmp_path / "urls.txt"
    listing.write_text(local_web.url(0, "/news/1.html") + "\n")
    code, err = exit_of(["fetch", str(listing), "-o", str(tmp_path / "corpus.xlsx")], capsys)
    assert code == EXIT_USAGE
    assert "-o " in err and "the extension '.xlsx' names no format" in err and ".parquet" in err
    argv = ["fetch", str(listing), "-o", str(tmp_path / "c.csv"), "--report", "r.xlsx"]
    assert exit_of(argv, capsys)[0] == EXIT_USAGE
    argv = ["discover", local_web.url(0, "/feed.rss"), "-o", str(tmp_path / "urls.doc")]
    assert exit_of(argv, capsys)[0] == EXIT_USAGE
    assert local_web.log == []
    assert not list(tmp_path.glob("corpus*"))


def test_python_dash_m_mediakit_runs_the_command(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "mediakit", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "usage: mediakit" in done.stdout
    assert "exit status: 0 done" in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "mediakit", "fetch", str(tmp_path / "none.txt"), "-o", "x.csv"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == EXIT_INPUT
    assert "does not exist" in done.stderr and "Traceback" not in done.stderr
