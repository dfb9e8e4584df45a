"""fetch_articles and discover_urls against a local web of several hosts on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mediakit as mk
from mediakit.ingest.web import fetch as fetch_module
from mediakit.ingest.web.cache import PageCache
from mediakit.ingest.web.urls import canonical_url, url_id
from mediakit.schema import validate_articles
from tests import webserver
from tests.webserver import LocalWeb, web_articles

local_web = webserver.local_web  # fixtures
no_internet = webserver.no_internet

ROOT = Path(__file__).resolve().parents[1]
FAST = {
    "timeout": (2.0, 0.8),
    "retries": 2,
    "backoff_factor": 0.02,
    "random_state": 0,
    "progress": False,
    "engine": "trafilatura",
}
pytestmark = pytest.mark.usefixtures("no_internet")


def fetch_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("mediakit-fetch")]


def expected_status(path: str) -> str:
    kind = path.strip("/").split("/")[0 if not path.startswith("/fault/") else 1]
    return {
        "private": "robots_disallowed",
        "missing": "http_error",
        "reset": "connection_error",
        "slow": "timeout",
        "loop": "redirect_loop",
        "big": "too_large",
        "pdf": "not_html",
    }.get(kind, "ok")


def mixed_paths(n: int) -> list[str]:
    """``n`` paths: mostly articles, every fault of the local web, each page once."""
    faults = {
        1: "/fault/throttle-date/{k}",
        3: "/fault/flaky/{k}",
        5: "/fault/big/{k}",
        7: "/fault/throttle/{k}",
        9: "/fault/slow/{k}",
        11: "/fault/reset-once/{k}",
        13: "/missing/{k}",
        15: "/fault/reset/{k}",
        17: "/private/{k}.html",
        19: "/redirect/{k}",
        21: "/fault/pdf/{k}",
        23: "/fault/loop/{k}/a",
    }
    paths = []
    for k in range(n):
        pattern = faults.get(k % 25, "/news/{k}.html")
        costly = ("/fault/big/{k}", "/fault/slow/{k}", "/fault/reset/{k}", "/fault/throttle")
        if pattern.startswith(costly) and k > 25:
            pattern = "/news/{k}.html"  # the faults that take seconds, once each
        paths.append(pattern.format(k=k))
    return paths


def min_gap_by_port(web: LocalWeb) -> dict[int, float]:
    gaps = {}
    for port, hits in web.requests_by_port().items():
        times = sorted(t for t, _ in hits)
        if len(times) > 1:
            gaps[port] = min(b - a for a, b in zip(times, times[1:], strict=False))
    return gaps


def test_every_url_accounted_for_with_its_status_and_the_rate_limit_kept(allsides, tmp_path):
    web = LocalWeb(web_articles(allsides), n_hosts=6)
    try:
        paths = mixed_paths(300)
        urls = [web.url(k % 6, path) for k, path in enumerate(paths)]
        urls += ["ftp://127.0.0.1/file.txt", "not a url", urls[0]]
        before = threading.active_count()
        frame, report = mk.fetch_articles(
            urls, cache_dir=tmp_path, rate_limit=40, return_report=True, **FAST
        )
        gaps = min_gap_by_port(web)
    finally:
        web.close()
    assert len(report) == len(urls) == 303
    assert report["url"].tolist() == urls
    expected = [expected_status(p) for p in paths] + ["invalid_url", "invalid_url", "duplicate"]
    assert report["status"].tolist() == expected
    # retriable faults succeed after retries, the others end after their retries
    attempts = dict(zip(paths, report["attempts"].iloc[:300], strict=True))
    assert attempts["/fault/flaky/3"] == 3
    assert attempts["/fault/throttle/7"] == attempts["/fault/throttle-date/1"] == 2
    assert attempts["/fault/reset-once/11"] == 2
    assert attempts["/fault/slow/9"] == attempts["/fault/reset/15"] == 3
    assert attempts["/missing/13"] == attempts["/news/0.html"] == 1
    assert report.loc[report["status"] == "http_error", "http_status"].eq(404).all()
    redirected = report.iloc[19]
    assert redirected["final_url"].endswith("/news/19.html")
    assert not report["from_cache"].any()
    # one row per page fetched, titles as published
    ok = report["status"] == "ok"
    assert len(frame) == ok.sum() == 300 - 4 * 12 - 3  # 4 failing kinds every 25 + big, slow, reset
    validate_articles(frame)
    assert frame["article_id"].tolist() == report.loc[ok, "article_id"].tolist()
    numbers = [int(p.split("/")[-1].split(".")[0]) for p in pd.Series(paths)[ok[:300].values]]
    assert frame["title"].tolist() == [" ".join(str(web.row(n)["title"]).split()) for n in numbers]
    assert (frame["word_count"] > 100).mean() > 0.95
    assert frame["published"].notna().all()
    # politeness: no host was hit faster than 40 requests per second, no thread left
    assert len(gaps) == 6
    assert min(gaps.values()) >= 1 / 40 - 0.001
    assert not fetch_threads()
    assert threading.active_count() <= before


def test_rerun_reads_the_cache_and_retries_failures_only_when_asked(
    local_web, tmp_path, monkeypatch
):
    # the parser's own source is part of its fingerprint: hold it still during the test
    monkeypatch.setattr(fetch_module, "parser_fingerprint", lambda engine: f"fixed-{engine}")
    urls = [local_web.url(k % 3, f"/news/{k}.html") for k in range(20)]
    urls += [local_web.url(0, "/missing/1"), local_web.url(1, "/fault/pdf/2")]
    first, report1 = mk.fetch_articles(
        urls, cache_dir=tmp_path, rate_limit=50, return_report=True, **FAST
    )
    assert (report1["status"] == "ok").sum() == 20
    local_web.clear_log()

    def no_parsing(*args, **kwargs):
        raise AssertionError("a rerun must reuse the parsed records")

    with monkeypatch.context() as patch:
        patch.setattr("mediakit.ingest.html.parse_html", no_parsing)
        again, report2 = mk.fetch_articles(
            urls, cache_dir=tmp_path, rate_limit=50, return_report=True, **FAST
        )
    assert local_web.log == []  # nothing downloaded again, not even robots.txt
    assert report2["from_cache"].all()
    assert report2["status"].tolist() == report1["status"].tolist()
    pd.testing.assert_frame_equal(again, first)
    _, report3 = mk.fetch_articles(
        urls, cache_dir=tmp_path, rate_limit=50, retry_failed=True, return_report=True, **FAST
    )
    fetched = sorted(path for _, _, path in local_web.log)
    assert fetched == ["/fault/pdf/2", "/missing/1"]
    assert report3["from_cache"].tolist() == [True] * 20 + [False, False]


def test_keyboard_interrupt_stops_cleanly_and_the_rerun_completes(local_web, tmp_path):
    urls = [local_web.url(k % 2, f"/news/{k}.html") for k in range(40)]
    local_web.interrupt_after = 15
    with pytest.raises(KeyboardInterrupt):
        mk.fetch_articles(urls, cache_dir=tmp_path, rate_limit=40, **FAST)
    assert not fetch_threads()
    cache = PageCache(tmp_path)
    cached = {u for u in urls if cache.get(canonical_url(u)) is not None}
    assert 5 <= len(cached) < 40
    local_web.interrupt_after = None
    local_web.clear_log()
    frame, report = mk.fetch_articles(
        urls, cache_dir=tmp_path, rate_limit=40, return_report=True, **FAST
    )
    assert_resumed(local_web, urls, cached, frame, report)


def assert_resumed(web: LocalWeb, urls: list[str], cached: set[str], frame, report) -> None:
    requested = [
        f"http://127.0.0.1:{port}{path}"
        for port, hits in web.requests_by_port().items()
        for _, path in hits
        if path != "/robots.txt"
    ]
    assert not set(requested) & cached  # nothing cached was asked for again
    assert sorted(requested) == sorted(set(urls) - cached)  # the rest exactly once
    assert report["status"].eq("ok").all()
    assert report["from_cache"].sum() == len(cached)
    assert sorted(frame["article_id"]) == sorted(url_id(u) for u in urls)
    validate_articles(frame)


def test_a_killed_process_resumes_without_loss_or_duplicates(local_web, tmp_path):
    urls = [local_web.url(k % 2, f"/news/{k}.html") for k in range(60)]
    url_file = tmp_path / "urls.txt"
    url_file.write_text("\n".join(urls))
    cache_dir = tmp_path / "cache"
    script = webserver.SUBPROCESS_GUARD + textwrap.dedent(
        f"""
        from pathlib import Path
        import mediakit as mk
        urls = Path({str(url_file)!r}).read_text().split()
        mk.fetch_articles(urls, cache_dir={str(cache_dir)!r}, rate_limit=15, progress=False,
                          engine="trafilatura")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            if cache_dir.exists() and len(PageCache(cache_dir)) >= 25:
                break
            time.sleep(0.02)
        assert child.poll() is None, "the collection ended before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    cache = PageCache(cache_dir)
    cached = {u for u in urls if cache.get(canonical_url(u)) is not None}
    assert 25 <= len(cached) < 60
    local_web.clear_log()
    frame, report = mk.fetch_articles(
        urls, cache_dir=cache_dir, rate_limit=40, return_report=True, **FAST
    )
    assert_resumed(local_web, urls, cached, frame, report)


def test_pages_parse_into_the_article_frame(local_web, tmp_path):
    urls = [local_web.url(0, f"/news/{k}.html") for k in (3, 4)] + [local_web.url(1, "/redirect/5")]
    frame = mk.fetch_articles(urls, cache_dir=tmp_path, rate_limit=None, **FAST)
    rows = [local_web.row(k) for k in (3, 4, 5)]
    assert frame["title"].tolist() == [" ".join(str(r["title"]).split()) for r in rows]
    assert frame["published"].tolist() == [r["published"] for r in rows]
    assert frame["path"].tolist() == urls
    assert frame["url"].iloc[2] == local_web.url(1, "/news/5.html")
    assert frame["article_id"].iloc[2] == url_id(local_web.url(1, "/news/5.html"))
    first_paragraph = str(rows[0]["text"]).split("\n\n")[0].strip()
    assert first_paragraph[:80] in frame["text"].iloc[0]
    assert frame["fetched_at"].notna().all()
    assert frame["extractor"].str.contains("trafilatura").all()
    assert frame["outlet"].eq("127.0.0.1").all()


def test_inputs_ending_on_the_same_page_keep_the_first_in_input_order(local_web, tmp_path):
    # the first input redirects to the page of the second, and finishes after it
    late = local_web.url(2, f"/fault/late-redirect/8?to={local_web.ports[1]}")
    same_page = local_web.url(1, "/news/8.html")
    frame, report = mk.fetch_articles(
        [late, same_page], cache_dir=tmp_path, rate_limit=None, return_report=True, **FAST
    )
    assert report["final_url"].tolist() == [same_page, same_page]
    assert report["fetched_at"].iloc[0] > report["fetched_at"].iloc[1]
    assert report["status"].tolist() == ["ok", "duplicate"]
    assert report["reason"].iloc[1] == "same page as input 0"
    assert report["article_id"].iloc[0] == report["article_id"].iloc[1]
    assert frame["path"].tolist() == [late]


def test_a_declared_canonical_url_merges_variants_unless_it_names_the_home_page(
    local_web, tmp_path
):
    urls = [local_web.url(0, p) for p in ("/news/4.html", "/print/4", "/fault/home-canonical/6")]
    urls.append(local_web.url(0, "/fault/home-canonical/7"))
    frame, report = mk.fetch_articles(
        urls, cache_dir=tmp_path, rate_limit=None, return_report=True, **FAST
    )
    assert report["status"].tolist() == ["ok", "duplicate", "ok", "ok"]
    assert frame["url"].tolist() == [urls[0], urls[2], urls[3]]
    assert frame["article_id"].tolist() == [url_id(u) for u in frame["url"]]


def test_robots_can_be_ignored_and_the_user_agent_names_the_toolkit(local_web, tmp_path):
    url = local_web.url(0, "/private/7.html")
    _, report = mk.fetch_articles(
        [url], cache_dir=tmp_path / "a", return_report=True, respect_robots=True, **FAST
    )
    assert report["status"].tolist() == ["robots_disallowed"]
    _, report = mk.fetch_articles(
        [url], cache_dir=tmp_path / "b", return_report=True, respect_robots=False, **FAST
    )
    assert report["status"].tolist() == ["ok"]
    from mediakit.ingest.web.fetcher import DEFAULT_USER_AGENT

    assert DEFAULT_USER_AGENT.startswith(f"mediakit/{mk.__version__} (+research;")


def test_crawl_delay_and_the_spacing_between_successive_calls_are_kept(local_web, tmp_path):
    local_web.robots[2] = webserver.ROBOTS + "Crawl-delay: 1\n"
    mk.fetch_articles(
        [local_web.url(2, "/news/1.html")], cache_dir=tmp_path, rate_limit=None, **FAST
    )
    for k in (2, 3):  # two calls, as from two notebook cells
        mk.fetch_articles(
            [local_web.url(1, f"/news/{k}.html")], cache_dir=tmp_path, rate_limit=4, **FAST
        )
    hits = local_web.requests_by_port()
    crawl_delayed = [t for t, _ in hits[local_web.ports[2]]]
    assert [p for _, p in hits[local_web.ports[2]]] == ["/robots.txt", "/news/1.html"]
    assert crawl_delayed[1] - crawl_delayed[0] >= 1.0
    spaced = [t for t, _ in hits[local_web.ports[1]]]
    assert len(spaced) == 3  # robots.txt, then one page per call
    assert min(b - a for a, b in zip(spaced, spaced[1:], strict=False)) >= 0.25


def test_a_retry_after_longer_than_max_wait_ends_the_url(local_web, tmp_path):
    _, report = mk.fetch_articles(
        [local_web.url(0, "/fault/throttle/1")],
        cache_dir=tmp_path,
        rate_limit=None,
        return_report=True,
        **{**FAST, "max_wait": 0.5},
    )
    assert report[["status", "http_status", "attempts"]].values.tolist() == [["http_error", 429, 1]]
    assert "Retry-After asks for 1 s, more than max_wait=0.5 s" in report["reason"].iloc[0]


def test_a_trickling_server_cannot_hold_a_worker_past_the_deadline(local_web, tmp_path):
    _, report = mk.fetch_articles(
        [local_web.url(0, "/fault/trickle/1")],
        cache_dir=tmp_path,
        rate_limit=None,
        return_report=True,
        **{**FAST, "timeout": (0.25, 0.4), "retries": 0},
    )
    assert report["status"].tolist() == ["timeout"]
    assert "request took longer than 1.85 s" in report["reason"].iloc[0]
    assert 0 < report["bytes"].iloc[0] < 100_000  # stopped long before the whole body


def test_max_bytes_stops_large_pages(local_web, tmp_path):
    url = local_web.url(0, "/news/1.html")
    _, report = mk.fetch_articles(
        [url], cache_dir=tmp_path, max_bytes=2_000, rate_limit=None, return_report=True, **FAST
    )
    assert report["status"].tolist() == ["too_large"]
    assert "max_bytes=2000" in report["reason"].iloc[0]


def test_odd_urls_are_reported_and_do_not_stop_the_collection(local_web, tmp_path):
    urls = [
        "http://" + "a" * 70 + ".example/x",  # a host label over 63 characters
        "http://news..example/",
        "http://\u00e9xample.example\u3002/x",  # passes urlsplit, fails IDNA in the client
        "http://127.0.0.1:99999/a",
        local_web.url(0, "/news/2.html"),
    ]
    frame, report = mk.fetch_articles(
        urls, cache_dir=tmp_path, rate_limit=None, return_report=True, **FAST
    )
    assert report["status"].tolist() == ["invalid_url"] * 4 + ["ok"]
    assert "is not valid (empty or over-long label)" in report["reason"].iloc[0]
    assert "Port out of range" in report["reason"].iloc[3]
    assert len(frame) == 1


def test_tests_cannot_reach_the_internet(tmp_path):
    _, report = mk.fetch_articles(
        ["http://192.0.2.10/news"], cache_dir=tmp_path, rate_limit=None, return_report=True, **FAST
    )
    assert report["status"].tolist() == ["connection_error"]
    assert "loopback only" in report["reason"].iloc[0]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"rate_limit": 0}, ValueError, "rate_limit must be a positive number.*got 0"),
        ({"timeout": (5, -1)}, ValueError, r"timeout must be .*got \(5, -1\)"),
        ({"retries": -1}, ValueError, "retries must be an integer >= 0, got -1"),
        ({"max_bytes": 0}, ValueError, "max_bytes must be a positive integer"),
        ({"n_jobs": 0}, ValueError, "n_jobs must be an integer >= 1, got 0"),
        ({"engine": "magic"}, ValueError, "engine must be one of .*got 'magic'"),
        ({"cache_dir": None}, ValueError, "cache_dir must be a folder"),
    ],
)
def test_parameter_errors_name_the_argument(tmp_path, kwargs, error, match):
    with pytest.raises(error, match=match):
        mk.fetch_articles(["http://127.0.0.1:9/a"], **{"cache_dir": tmp_path, **kwargs})


def test_a_single_string_is_refused_with_the_fix(tmp_path):
    with pytest.raises(TypeError, match=r"got a single string .* Wrap it in a list"):
        mk.fetch_articles("http://127.0.0.1:9/a", cache_dir=tmp_path)
    with pytest.raises(
        TypeError, match=r"DataFrame without a 'url' column \(columns: \['link'\]\)"
    ):
        mk.fetch_articles(pd.DataFrame({"link": ["http://127.0.0.1:9/a"]}), cache_dir=tmp_path)


@given(
    scheme=st.sampled_from(["http", "HTTP", "https"]),
    host=st.from_regex(r"[a-zA-Z][a-zA-Z0-9-]{0,12}\.(org|com|de)", fullmatch=True),
    path=st.lists(st.from_regex(r"[A-Za-z0-9_.~-]{1,8}", fullmatch=True), max_size=4),
    query=st.lists(
        st.tuples(
            st.sampled_from(["id", "page", "utm_source", "fbclid"]), st.text("ab1", max_size=3)
        ),
        max_size=3,
    ),
    fragment=st.text("abc", max_size=4),
)
def test_canonical_urls_are_stable_and_ids_ignore_what_does_not_name_the_page(
    scheme, host, path, query, fragment
):
    url = f"{scheme}://{host}/" + "/".join(path)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query)
    tagged = url + (f"#{fragment}" if fragment else "")
    canonical = canonical_url(tagged)
    assert canonical_url(canonical) == canonical
    assert url_id(tagged) == url_id(url.replace(host, host.upper(), 1))
    assert "utm_source" not in canonical and "fbclid" not in canonical and "#" not in canonical
    assert canonical.startswith(scheme.lower() + "://" + host.lower() + "/")


# -- discover_urls ---------------------------------------------------------------------------


def expected_urls(web: LocalWeb, kind: str, since: str, until: str, host: int = 0) -> list[str]:
    low, high = pd.Timestamp(since, tz="UTC"), pd.Timestamp(until, tz="UTC")
    return [
        web.url(host, f"/news/{n}.html")
        for n in web.feed_pages(kind)
        if low <= web.row(n)["published"] < high
    ]


POLITE_FAST = {"rate_limit": 50, "timeout": (2.0, 1.0), "retries": 1, "backoff_factor": 0.02}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_discover_urls_reads_feeds_within_the_date_window(local_web, kind):
    pages = local_web.feed_pages(kind)
    dates = sorted(local_web.row(n)["published"] for n in pages)
    since, until = str(dates[5].date()), str(dates[-5].date())
    feed = local_web.url(0, f"/feed.{kind}")
    found = mk.discover_urls(feed, since=since, until=until, **POLITE_FAST)
    assert list(found.columns) == ["url", "published", "title", "source"]
    expected = expected_urls(local_web, kind, since, until)
    assert 5 < len(expected) < len(pages)
    assert sorted(found["url"]) == sorted(expected)
    assert found["source"].eq(feed).all()
    by_url = {local_web.url(0, f"/news/{n}.html"): local_web.row(n) for n in pages}
    assert all(
        by_url[u]["published"] == p for u, p in zip(found["url"], found["published"], strict=True)
    )
    assert all(
        by_url[u]["title"].strip() == t for u, t in zip(found["url"], found["title"], strict=True)
    )


def test_discover_urls_follows_a_sitemap_index_and_skips_old_sitemaps(local_web):
    months = sorted(local_web.sitemap_months())
    assert len(months) >= 3
    since, until = f"{months[1]}-10", f"{months[-1]}-01"
    found = mk.discover_urls(
        local_web.url(1, "/sitemap.xml"), since=since, until=until, **POLITE_FAST
    )
    assert sorted(found["url"]) == sorted(expected_urls(local_web, "sitemap", since, until, 1))
    requested = {path for _, path in local_web.requests_by_port()[local_web.ports[1]]}
    assert f"/sitemap-{months[0]}.xml" not in requested  # all older than `since`
    assert f"/sitemap-{months[1]}.xml" in requested
    assert found["title"].notna().all()


def test_discover_urls_from_a_home_page_finds_feeds_and_sitemaps(local_web):
    found = mk.discover_urls(local_web.url(2, "/"), **POLITE_FAST)
    expected = {
        local_web.url(2, f"/news/{n}.html")
        for kind in ("rss", "atom", "sitemap")
        for n in local_web.feed_pages(kind)
    }
    assert set(found["url"]) == expected
    assert len(found) == len(expected)
    assert set(found["source"]) == {
        local_web.url(2, "/feed.rss"),
        local_web.url(2, "/feed.atom"),
        *(local_web.url(2, f"/sitemap-{m}.xml") for m in local_web.sitemap_months()),
    }


def test_discover_urls_errors_name_the_problem(local_web):
    with pytest.raises(ValueError, match="site_or_feed must be http"):
        mk.discover_urls("feed.xml")
    with pytest.raises(ValueError, match=r"site_or_feed: .*/missing/1 could not be fetched"):
        mk.discover_urls(local_web.url(0, "/missing/1"), **POLITE_FAST)
    with pytest.raises(ValueError, match="since must be a date"):
        mk.discover_urls(local_web.url(0, "/feed.rss"), since="last tuesday")


# -- hostile pages and servers -----------------------------------------------------------------


def test_a_broken_canonical_link_or_location_is_one_row_and_reruns_do_not_raise(
    local_web, tmp_path, monkeypatch
):
    monkeypatch.setattr(fetch_module, "parser_fingerprint", lambda engine: f"fixed-{engine}")
    urls = [
        local_web.url(0, "/fault/bad-canonical/3"),  # canonical link with port 99999
        local_web.url(0, "/fault/bad-location/4"),  # 301 to "http://[::1"
        local_web.url(1, "/news/5.html"),
    ]
    frame, report = mk.fetch_articles(
        urls, cache_dir=tmp_path, rate_limit=None, return_report=True, **FAST
    )
    assert report["status"].tolist() == ["ok", "invalid_url", "ok"]
    assert "Invalid IPv6 URL" in report["reason"].iloc[1]
    assert frame["url"].tolist() == [urls[0], urls[2]]  # the broken link names no page
    assert frame["title"].iloc[0] == " ".join(str(local_web.row(3)["title"]).split())
    # a record cached with an unusable URL (an older parser kept it) is a row, not a crash
    cache = PageCache(tmp_path)
    key = canonical_url(urls[2])
    record = cache.record(key, "fixed-trafilatura")
    cache.put_record(key, "fixed-trafilatura", {**record, "url": "http://[::1/story"})
    again, report2 = mk.fetch_articles(
        urls, cache_dir=tmp_path, rate_limit=None, return_report=True, **FAST
    )
    assert report2["status"].tolist() == ["ok", "invalid_url", "ok"]
    assert report2["from_cache"].all()
    assert again["url"].tolist() == [urls[0], urls[2]]


def test_a_torn_cache_body_is_fetched_again(local_web, tmp_path):
    url = local_web.url(0, "/news/6.html")
    mk.fetch_articles([url], cache_dir=tmp_path, rate_limit=None, **FAST)
    body = next((tmp_path / "pages").glob("*/*.html.gz"))
    body.write_bytes(body.read_bytes()[: body.stat().st_size // 2])  # a crash mid-write
    for record in (tmp_path / "records").rglob("*.json"):
        record.unlink()  # e.g. a new parser version: the body has to be parsed again
    local_web.clear_log()
    frame, report = mk.fetch_articles(
        [url], cache_dir=tmp_path, rate_limit=None, retry_failed=True, return_report=True, **FAST
    )
    assert report[["status", "from_cache"]].values.tolist() == [["ok", False]]
    assert [path for _, _, path in local_web.log] == ["/news/6.html"]
    assert frame["title"].tolist() == [" ".join(str(local_web.row(6)["title"]).split())]
    assert PageCache(tmp_path).body(canonical_url(url)) is not None  # repaired


@pytest.mark.parametrize("charset", ["base64", "hex", "rot13"])
def test_a_charset_that_is_no_text_encoding_falls_back_to_the_page(local_web, tmp_path, charset):
    url = local_web.url(0, f"/fault/charset/{charset}/7")
    frame, report = mk.fetch_articles(
        [url], cache_dir=tmp_path, rate_limit=None, return_report=True, **FAST
    )
    assert report["status"].tolist() == ["ok"]
    assert frame["title"].tolist() == [" ".join(str(local_web.row(7)["title"]).split())]
    assert str(local_web.row(7)["text"]).split("\n\n")[0].strip()[:60] in frame["text"].iloc[0]


def test_a_pdf_served_as_html_is_not_html_with_the_reason(local_web, tmp_path):
    _, report = mk.fetch_articles(
        [local_web.url(0, "/fault/pdf-as-html/1")],
        cache_dir=tmp_path,
        rate_limit=None,
        return_report=True,
        **FAST,
    )
    assert report["status"].tolist() == ["not_html"]
    assert report["reason"].iloc[0] == "the body is a PDF document, not HTML, served as 'text/html'"


def test_credentials_in_urls_are_not_stored(local_web, tmp_path):
    url = local_web.url(0, "/fault/auth/8").replace("http://", "http://ann:secret@")
    clean = local_web.url(0, "/fault/auth/8")
    frame, report = mk.fetch_articles(
        [url, url.replace("/8", "/9")],
        cache_dir=tmp_path,
        rate_limit=None,
        return_report=True,
        **FAST,
    )
    assert report["status"].tolist() == ["ok", "ok"]
    assert report["url"].iloc[0] == clean
    assert report["final_url"].iloc[0] == clean
    assert frame["path"].iloc[0] == clean
    assert frame["url"].iloc[0] == local_web.url(0, "/news/8.html")  # the canonical link's
    stored = [frame.to_json(date_format="iso"), report.to_json(date_format="iso")]
    stored += [p.read_bytes().decode("latin-1") for p in tmp_path.rglob("*.json")]
    stored += [PageCache(tmp_path).body(canonical_url(clean)).decode("utf-8")]
    assert all("secret" not in text for text in stored[:-1])
    assert "ann:secret@" in stored[-1]  # the page's own bytes are kept as sent


def test_one_deadline_covers_trickled_headers_and_robots_txt(local_web, tmp_path):
    local_web.robots_trickle = {1}
    urls = [local_web.url(0, "/fault/header-trickle/1"), local_web.url(1, "/news/2.html")]
    started = time.monotonic()
    frame, report = mk.fetch_articles(
        urls, cache_dir=tmp_path, return_report=True, **{**FAST, "timeout": (1, 2), "retries": 0}
    )
    elapsed = time.monotonic() - started
    cap = 1 + 4 * 2  # connect + 4 x read, per request (robots.txt, then the page)
    assert elapsed < 3 * cap  # the server would go on for 60 s
    assert report["status"].tolist() == ["timeout", "ok"]
    assert "request took longer than 9 s (connect, headers and body)" in report["reason"].iloc[0]
    assert len(frame) == 1  # robots.txt gave up; the page itself was fetched


def test_ctrl_c_does_not_wait_for_a_stuck_request(local_web, tmp_path):
    url = local_web.url(0, "/fault/header-trickle/3")
    script = webserver.SUBPROCESS_GUARD + textwrap.dedent(
        f"""
        import mediakit as mk
        mk.fetch_articles([{url!r}], cache_dir={str(tmp_path)!r}, progress=False,
                          respect_robots=False, engine="trafilatura")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", script], env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not local_web.log and child.poll() is None:
            time.sleep(0.05)
        assert local_web.log, "the request never arrived"
        time.sleep(0.5)
        interrupted = time.monotonic()
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=45)
        waited = time.monotonic() - interrupted
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
    assert "KeyboardInterrupt" in stderr
    assert waited < 15  # the server sends a header byte a second for 60 s; the cap is 130 s


def resolve_to_loopback(host: str, port: int) -> list[str]:
    """A resolver for tests: public-looking names of the local web are at 127.0.0.1."""
    if host.endswith(".example"):
        return ["127.0.0.1"]
    raise OSError(f"unknown host {host!r}")


def test_redirects_from_a_public_host_into_the_local_network_are_refused(local_web, tmp_path):
    public, other = local_web.ports[0], local_web.ports[1]
    start = f"http://news.example:{public}"
    targets = {
        "loopback literal": f"http://127.0.0.1:{other}/news/2.html",
        "name at loopback": f"http://intranet.example:{other}/news/3.html",
        "same host": f"http://news.example:{public}/news/4.html",
    }
    urls = [f"{start}/news/1.html"]  # a URL given directly is fetched as given
    urls += [f"{start}/fault/to?url={target}" for target in targets.values()]
    urls.append(local_web.url(2, f"/fault/to?url={local_web.url(1, '/news/5.html')}"))
    frame, report = mk.fetch_articles(
        urls,
        cache_dir=tmp_path,
        rate_limit=None,
        return_report=True,
        resolver=resolve_to_loopback,
        **FAST,
    )
    assert report["status"].tolist() == ["ok", "private_address", "private_address", "ok", "ok"]
    assert (
        "public host news.example to 127.0.0.1, which is at 127.0.0.1 (a loopback"
        in (report["reason"].iloc[1])
    )
    assert (
        "to intranet.example, which is at 127.0.0.1 (a loopback address), is refused"
        in (report["reason"].iloc[2])
    )
    requested = local_web.requests_by_port().get(other, [])
    assert [path for _, path in requested] == ["/robots.txt", "/news/5.html"]  # from 127.0.0.1
    assert len(frame) == 3


def test_discover_urls_refuses_sitemap_children_in_the_local_network(local_web):
    public, other = local_web.ports[0], local_web.ports[1]
    index = f"http://news.example:{public}/fault/sitemap-to?url="
    with pytest.warns(UserWarning, match=r"private_address .*intranet\.example.* loopback"):
        found = mk.discover_urls(
            index + f"http://intranet.example:{other}/sitemap.xml",
            resolver=resolve_to_loopback,
            **POLITE_FAST,
        )
    assert found.empty
    assert other not in local_web.requests_by_port()
    given = mk.discover_urls(  # given directly, the same feed is read
        f"http://intranet.example:{other}/feed.rss", resolver=resolve_to_loopback, **POLITE_FAST
    )
    assert len(given) == len(local_web.feed_pages("rss"))


GZIP_SCRIPT = """
import json, resource, warnings
import mediakit as mk, lxml.etree, feedparser, requests, pandas
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
baseline = peak()
out = {}
try:
    mk.discover_urls(BOMB, rate_limit=None)
    out["discover"] = "no error"
except ValueError as error:
    out["discover"] = str(error)
_, report = mk.fetch_articles([ENCODED], cache_dir=CACHE, rate_limit=None, progress=False,
                              engine="trafilatura", return_report=True)
out["fetch"] = report[["status", "reason"]].values.tolist()
out["peak_mb"] = (peak() - baseline) / 1e6
print(json.dumps(out))
"""


def test_gzip_bombs_end_with_a_clear_error_in_bounded_memory(local_web, tmp_path):
    webserver.gzip_bomb()  # build it before the child starts
    bomb, encoded = (
        local_web.url(0, "/fault/bomb.xml.gz"),
        local_web.url(1, "/fault/bomb-encoded/1"),
    )
    script = webserver.SUBPROCESS_GUARD + GZIP_SCRIPT.replace("BOMB", repr(bomb))
    script = script.replace("ENCODED", repr(encoded)).replace("CACHE", repr(str(tmp_path)))
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "inflates to more than max_bytes=50000000 bytes" in out["discover"]
    assert out["fetch"] == [["too_large", "body larger than max_bytes=10000000; stopped"]]
    assert out["peak_mb"] < 300  # 1 GiB once inflated


def test_processes_sharing_a_cache_share_the_crawl_delay_and_fetch_each_page_once(
    local_web, tmp_path
):
    local_web.robots[2] = webserver.ROBOTS + "Crawl-delay: 2\n"
    urls = [local_web.url(2, f"/news/{k}.html") for k in (1, 2, 3)]
    script = webserver.SUBPROCESS_GUARD + textwrap.dedent(
        f"""
        import mediakit as mk
        _, report = mk.fetch_articles({urls!r}, cache_dir={str(tmp_path)!r}, rate_limit=50,
                                      progress=False, engine="trafilatura", return_report=True)
        print(report["status"].tolist())
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=120)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0]
    assert all("['ok', 'ok', 'ok']" in out for out in outputs)
    hits = local_web.requests_by_port()[local_web.ports[2]]
    assert sorted(path for _, path in hits) == [
        "/news/1.html",
        "/news/2.html",
        "/news/3.html",
        "/robots.txt",
    ]
    times = [when for when, _ in hits]
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 1.9
