"""Hostile and unlucky inputs to load_articles and parse_html: gzip bombs, pages built to
make a scanner quadratic, malformed URLs, file names that are not UTF-8, paths that are no
regular files. None may raise, block, or cost more than its stated bound; each gets a
report row."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
import zlib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mediakit as mk
from mediakit.ingest.html import parse_html
from tests.conftest import ROOT

STORY = (
    "The city council voted on Tuesday to extend the night bus network to the northern "
    "suburbs, after a year of petitions from shift workers who said the last train left "
    "them stranded. The extension will cost about four million a year."
)


def _page(body: str = f"<p>{STORY}</p>", head: str = "") -> str:
    return f"<html><head><title>Night buses</title>{head}</head><body>{body}</body></html>"


def _gzip_bomb(path: Path, size: int) -> None:
    """A gzip file inflating to a page of ``size`` bytes, written in steps (0.5 MB for 512 MiB)."""
    block = b" " * 2**20
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with open(path, "wb") as handle:
        handle.write(packer.compress(b"<html><body><p>"))
        for _ in range(size // len(block)):
            handle.write(packer.compress(block))
        handle.write(packer.flush())


# --------------------------------------------------------------------------------------
# decompression
# --------------------------------------------------------------------------------------


def test_a_gzip_bomb_gets_a_report_row_within_300_mb(tmp_path):
    bomb = tmp_path / "page.html.gz"
    _gzip_bomb(bomb, 512 * 2**20)
    assert bomb.stat().st_size < 600_000
    script = textwrap.dedent(
        f"""
        import resource, sys
        import mediakit as mk
        import mediakit.ingest.load, mediakit.ingest.html, mediakit.ingest.tables
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        articles, report = mk.load_articles({str(bomb)!r}, return_report=True)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(report["status"].iloc[0], (peak - baseline) // 1024, report["reason"].iloc[0])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    status, extra_mb, reason = done.stdout.strip().splitlines()[-1].split(" ", 2)
    assert int(extra_mb) <= 300
    assert status == "unreadable"
    assert reason.startswith("too large: the gzip data inflate to more than")


def test_a_zip_bomb_gets_a_report_row(tmp_path):
    import zipfile

    bomb = tmp_path / "export.csv.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        with out.open("export.csv", "w", force_zip64=True) as member:
            member.write(b"title,text\n")
            for _ in range(160):
                member.write(b" " * 2**20)
    assert bomb.stat().st_size < 600_000
    with pytest.warns(UserWarning, match="no article was loaded"):
        articles, report = mk.load_articles(bomb, return_report=True)
    assert articles.empty
    assert report["status"].iloc[0] == "unreadable"
    assert report["reason"].iloc[0].startswith("too large: the ZIP data inflate to more than")


# --------------------------------------------------------------------------------------
# pre-processing in linear time
# --------------------------------------------------------------------------------------


class _CountingPattern:
    """A compiled pattern that records where each search starts and ends."""

    def __init__(self, pattern):
        self.pattern = pattern
        self.spans: list[tuple[int, int]] = []

    def search(self, text, pos=0):
        found = self.pattern.search(text, pos)
        self.spans.append((pos, found.end() if found else len(text)))
        return found


@pytest.mark.parametrize("opening", ["<script>", "<STYLE>", "<!--", "<svg>", "<noscript>"])
def test_cutting_unclosed_elements_scans_the_page_once(monkeypatch, opening):
    from mediakit.ingest import html as html_module

    counting = _CountingPattern(html_module._HEAVY_OPEN)
    monkeypatch.setattr(html_module, "_HEAVY_OPEN", counting)
    page = _page() + f"{opening}x " * 4_000
    shrunk = html_module._shrink(page)
    # an unclosed element runs to the end of the page, as a browser reads it
    assert shrunk == page[: page.index(opening)]
    # every search starts where the previous one ended: no character is scanned twice
    starts = [start for start, _ in counting.spans]
    assert len(counting.spans) <= 2
    assert all(b >= a_end for (_, a_end), b in zip(counting.spans, starts[1:], strict=False))


def test_cutting_keeps_the_text_between_closed_elements():
    from mediakit.ingest.html import _shrink

    page = (
        "<p>one</p><SCRIPT type='text/javascript'>var p = '</p>';</script ><p>two</p>"
        "<!-- <p>hidden</p> --><p>three</p><svg/><p>four</p><style>p {}</style>"
        "<img src='data:image/png;base64,iVBORw0KGgo='><scripts>five</scripts>"
    )
    assert _shrink(page) == (
        "<p>one</p><p>two</p><p>three</p><p>four</p><img src=''><scripts>five</scripts>"
    )


def test_a_page_over_max_size_with_thousands_of_unclosed_scripts_is_parsed():
    story = _page().replace("</body></html>", "")
    page = story + "<script>x " * 16_000
    record = parse_html(page, max_size=len(story) + 100)
    assert record["status"] == "ok"
    assert record["text"] == STORY


# --------------------------------------------------------------------------------------
# malformed URLs
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://[::1", "http://host:99999/x", "https://[v1.x]:-1/"])
def test_a_malformed_url_given_with_a_page_does_not_raise(url):
    assert parse_html(b"\x01", url=url)["status"] in ("no_text", "unusable")
    record = parse_html(_page(), url=url)
    assert record["status"] == "ok" and record["text"] == STORY
    assert record["url"] == url  # kept as given: it names where the page came from


@pytest.mark.parametrize("canonical", ["http://[::1/story", "https://example.org:99999/story"])
def test_a_malformed_canonical_link_does_not_abort_the_folder(tmp_path, canonical):
    (tmp_path / "bad.html").write_text(_page(head=f'<link rel="canonical" href="{canonical}">'))
    (tmp_path / "good.html").write_text(
        _page(head='<link rel="canonical" href="https://example.org/news/night-buses">')
    )
    articles, report = mk.load_articles(tmp_path, return_report=True, dedupe=False)
    assert report["status"].tolist() == ["loaded", "loaded"]
    assert articles["url"].isna().tolist() == [True, False]
    assert articles["url"].iloc[1] == "https://example.org/news/night-buses"
    given = parse_html(
        _page(head=f'<link rel="canonical" href="{canonical}">'), url="https://a.org/x"
    )
    assert given["url"] == "https://a.org/x"


# --------------------------------------------------------------------------------------
# every path met gets a report row
# --------------------------------------------------------------------------------------


def _story_file(path: Path) -> None:
    path.write_text(f"Night buses reach the suburbs\n\n{STORY}\n", encoding="utf-8")


def _load_within(source, seconds: float = 60, **options):
    """load_articles in a thread, so that a call that blocks fails instead of hanging."""
    import threading

    out: dict[str, object] = {}

    def run() -> None:
        try:
            out["result"] = mk.load_articles(source, return_report=True, **options)
        except BaseException as error:  # handed to the test
            out["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "load_articles blocked"
    if "error" in out:
        raise out["error"]  # type: ignore[misc]
    return out["result"]


def test_a_file_name_that_is_not_utf8_is_loaded(tmp_path):
    _story_file(Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"))))
    _story_file(tmp_path / "plain.txt")
    articles, report = _load_within(tmp_path, dedupe=False)
    assert report["status"].tolist() == ["loaded", "loaded"]
    assert report["path"].str.endswith("caf\\xe9.txt").sum() == 1
    assert articles["path"].str.endswith("caf\\xe9.txt").sum() == 1
    assert articles["text"].eq(STORY).all()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_links_pipes_and_unreadable_folders_each_get_a_report_row(tmp_path, monkeypatch):
    _story_file(tmp_path / "story.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (tmp_path / "back").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(tmp_path / "pipe.txt")
    locked = tmp_path / "locked"
    locked.mkdir()
    _story_file(locked / "inside.txt")
    scandir = os.scandir

    def refusing(path="."):
        if os.fspath(path).rstrip("/") == str(locked):  # as chmod 000 does for other users
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    articles, report = _load_within(tmp_path)
    reasons = dict(zip(report["path"].map(lambda p: Path(p).name), report["reason"], strict=True))
    status = dict(zip(report["path"].map(lambda p: Path(p).name), report["status"], strict=True))
    assert set(status) == {"story.txt", "gone.txt", "self.txt", "back", "pipe.txt", "locked"}
    assert status["story.txt"] == "loaded" and len(articles) == 1
    assert reasons["gone.txt"].startswith("a broken symbolic link")
    assert "loop" in reasons["self.txt"] and "loop" in reasons["back"]
    assert status["pipe.txt"] == "unsupported" and "named pipe" in reasons["pipe.txt"]
    assert status["locked"] == "unreadable" and "Permission denied" in reasons["locked"]
    # a pipe named directly is reported, not waited on
    articles, report = _load_within([tmp_path / "pipe.txt", tmp_path / "story.txt"])
    assert report["status"].tolist() == ["unsupported", "loaded"]


def test_an_empty_input_warns_and_gets_a_report_row(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".hidden.txt").write_text(STORY)
    with pytest.warns(UserWarning, match="no article was loaded from 1 input"):
        articles, report = mk.load_articles(tmp_path / "empty", return_report=True)
    assert articles.empty
    assert report["status"].tolist() == ["empty"]
    assert "holds no files" in report["reason"].iloc[0]
    with pytest.warns(UserWarning, match="no article was loaded"):
        articles, report = mk.load_articles([], return_report=True)
    assert report["reason"].tolist() == ["'source' is an empty list: no file to load"]


# --------------------------------------------------------------------------------------
# tables and encodings
# --------------------------------------------------------------------------------------


def test_table_columns_named_like_bookkeeping_ones_are_kept(tmp_path):
    table = pd.DataFrame(
        {"title": ["Night buses"], "text": [STORY], "__row": ["r-17"], "__format": ["wire"]}
    )
    table.to_csv(tmp_path / "coded.csv", index=False)
    for source in (tmp_path / "coded.csv", table):
        articles = mk.load_articles(source)
        assert articles["source___row"].tolist() == ["r-17"]
        assert articles["source___format"].tolist() == ["wire"]


@pytest.mark.parametrize(
    "label", ["base64", "hex", "rot13", "undefined", "unicode_escape", "cp037"]
)
def test_a_charset_that_is_no_web_encoding_is_ignored(tmp_path, label):
    page = _page(head=f'<meta charset="{label}">').replace("voted", "voted at the café")
    record = parse_html(page.encode("utf-8"))
    assert record["status"] == "ok"
    assert "voted at the café" in record["text"]
    (tmp_path / "page.html").write_bytes(page.encode("utf-8"))
    articles, report = mk.load_articles(tmp_path, return_report=True)
    assert report["status"].tolist() == ["loaded"]
    assert "voted at the café" in articles["text"].iloc[0]


def test_files_and_pages_are_decoded_by_one_policy():
    from mediakit.ingest.html import decode_html
    from mediakit.ingest.load import decode_bytes

    samples = [
        "Zażółć gęślą jaźń, powiedział minister w poniedziałek.".encode("cp1250"),
        "Президент заявил в понедельник, что переговоры продолжатся.".encode("koi8-r"),
        "Le café « Régence » a rouvert — “un lieu historique”.".encode("cp1252"),
        ("Der Bürgermeister sagte am Montag, dass die Brücke öffnet. " * 3).encode()
        + b"\xff Ende.",
    ]
    for data in samples:
        assert decode_html(data)[0] == decode_bytes(data)[0]


# --------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------

_URL_PARTS = st.sampled_from(
    [
        "http://",
        "https://",
        "ftp://",
        "//",
        "[",
        "]",
        "::1",
        "[::1",
        "host",
        ":",
        ":99999",
        ":-1",
        "/",
        "?q=",
        "#",
        "@",
        "user:pass@",
        "%",
        "%zz",
        " ",
        "\\",
        "é",
        "xn--",
        "\x00",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    url=st.one_of(st.text(max_size=40), st.lists(_URL_PARTS, max_size=8).map("".join)),
    canonical=st.one_of(st.text(max_size=40), st.lists(_URL_PARTS, max_size=8).map("".join)),
)
def test_parse_html_never_raises_on_any_url(url, canonical):
    import html as html_lib

    link = f'<link rel="canonical" href="{html_lib.escape(canonical)}">'
    for page in (b"\x01", _page(head=link)):
        record = parse_html(page, url=url)
        assert record["status"] in ("ok", "no_text", "unusable")
        assert record["url"] is None or isinstance(record["url"], str)


_NAME = st.tuples(
    st.binary(min_size=1, max_size=24).filter(lambda b: b"/" not in b and b"\x00" not in b),
    st.sampled_from([b"", b".txt", b".html", b".csv", b".json", b".jsonl", b".gz", b".txt.gz"]),
).map(lambda parts: parts[0] + parts[1])
_CONTENT = st.tuples(
    st.sampled_from(
        [b"", b"\x1f\x8b", b"<html><body><p>", b"PAR1", b"{", b"title,text\n", STORY.encode()]
    ),
    st.binary(max_size=600),
).map(lambda parts: parts[0] + parts[1])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.dictionaries(_NAME, _CONTENT, min_size=1, max_size=6))
def test_load_articles_gives_one_report_row_per_file_whatever_names_and_bytes(files):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        written = 0
        for name, content in files.items():
            if name.startswith(b".") or name in (b".", b".."):
                continue  # hidden files are skipped by design
            with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
                handle.write(content)
            written += 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            articles, report = mk.load_articles(folder, return_report=True, progress=False)
    whole_files = report[report["part"].isna()]
    assert len(whole_files) == written
    assert whole_files["path"].is_unique
    assert int(report["rows"].sum()) == len(articles)


@pytest.mark.parametrize("label", ["base64", "hex", "rot13", "undefined"])
def test_an_http_charset_that_is_no_web_encoding_is_ignored(label):
    from mediakit.ingest.html import decode_html

    page = _page(head='<meta charset="windows-1252">').replace("voted", "voted at the café")
    text, how = decode_html(page.encode("cp1252"), charset=label)
    assert text == page and how == "cp1252 (meta)"
    text, how = decode_html(page.encode("cp1252"), charset="windows-1252")
    assert text == page and how == "cp1252 (http)"
