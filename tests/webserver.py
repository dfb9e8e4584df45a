"""A small local web for the fetcher's tests and benchmark: several hosts on 127.0.0.1.

Each host is a ``ThreadingHTTPServer`` on its own port serving article pages built
from real AllSides articles (``<article>``, meta tags, JSON-LD), an RSS feed, an Atom
feed, a sitemap index with monthly sitemaps, a robots.txt, and faults:

=============================  ==================================================
path                           answer
=============================  ==================================================
/news/<n>.html                 article page n
/redirect/<n>                  301 to /news/<n>.html
/print/<n>                     article n, declaring /news/<n>.html canonical (as every page)
/private/<n>.html              an article, disallowed by robots.txt
/missing/<n>                   404
/fault/flaky/<n>               500 twice, then the page
/fault/throttle/<n>            429 with ``Retry-After: 1`` once, then the page
/fault/throttle-date/<n>       429 with ``Retry-After: <HTTP date 1 s ahead>`` once
/fault/reset-once/<n>          connection reset once, then the page
/fault/reset/<n>               connection reset, always
/fault/slow/<n>                headers only after ``slow_seconds``, always
/fault/late-redirect/<n>?to=P  0.5 s, then 301 to /news/<n>.html on the host of port P
/fault/loop/<n>/a              302 to .../b, which redirects back to .../a
/fault/big/<n>                 20 MB of HTML, streamed without Content-Length
/fault/pdf/<n>                 a PDF (``application/pdf``)
/fault/home-canonical/<n>      article n, declaring the home page canonical
/fault/trickle/<n>             a byte every ``trickle_seconds``, never idle for long
/fault/header-trickle/<n>      a *header* byte every ``header_seconds`` (at most 60)
/fault/bad-canonical/<n>       article n, declaring a canonical link with port 99999
/fault/bad-location/<n>        301 to ``http://[::1`` (a malformed URL)
/fault/pdf-as-html/<n>         a PDF served as ``text/html``
/fault/charset/<name>/<n>      article n served with ``charset=<name>`` (e.g. base64)
/fault/auth/<n>                article n, declaring its canonical URL with user:pass@
/fault/to?url=U                302 to the URL U
/fault/sitemap-to?url=U        a sitemap index whose one child sitemap is U
/fault/bomb.xml.gz             ~1 MB of gzip (``application/x-gzip``) inflating to 1 GiB
/fault/bomb-encoded/<n>        the same as ``Content-Encoding: gzip`` HTML
=============================  ==================================================

robots.txt is trickled like the headers for the host numbers in ``robots_trickle``.

Every request is logged with its host, path and arrival time (``time.monotonic``).
"""

from __future__ import annotations

import _thread
import email.utils
import html
import json
import socket
import struct
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

import pandas as pd
import pytest

ROBOTS = "User-agent: *\nDisallow: /private/\n"
#: Python code that makes a child process refuse every non-loopback connection.
SUBPROCESS_GUARD = """
import ipaddress, socket
_connect = socket.socket.connect
def _loopback_only(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise ConnectionRefusedError(f"tests may not reach {address!r}: loopback only")
    return _connect(self, address)
socket.socket.connect = _loopback_only
"""
BIG_BYTES = 20_000_000
_BOMB: list[bytes] = []


def gzip_bomb() -> bytes:
    """About 1 MB of gzip inflating to 1 GiB of zeros (1,024 members of 1 MiB each)."""
    if not _BOMB:
        import gzip

        _BOMB.append(gzip.compress(bytes(1 << 20), compresslevel=9, mtime=0) * 1024)
    return _BOMB[0]


def article_page(row: pd.Series, *, url: str) -> str:
    """A realistic news page for one AllSides article."""
    title = html.escape(str(row["title"]))
    paragraphs = [p for p in str(row["text"]).split("\n\n") if p.strip()]
    description = html.escape(paragraphs[0][:160]) if paragraphs else ""
    published = row["published"].isoformat()
    authors = str(row["authors"]).split("; ") if isinstance(row["authors"], str) else []
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": str(row["title"]),
        "datePublished": published,
        "author": [{"@type": "Person", "name": a} for a in authors],
        "publisher": {"@type": "Organization", "name": str(row["outlet"])},
        "mainEntityOfPage": url,
    }
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    byline = html.escape(", ".join(authors))
    links = "".join(f'<li><a href="/news/{i}.html">Related story {i}</a></li>' for i in range(6))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {html.escape(str(row["outlet"]))}</title>
<meta name="description" content="{description}">
<meta property="og:title" content="{title}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{published}">
<meta name="author" content="{byline}">
<link rel="canonical" href="{url}">
<link rel="alternate" type="application/rss+xml" title="Latest" href="/feed.rss">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/world">World</a>
<a href="/opinion">Opinion</a> <a href="/subscribe">Subscribe</a></nav></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By {byline}</p>
<time datetime="{published}">{row["published"]:%B %d, %Y}</time>
{body}
</article>
<aside><h2>Most read</h2><ul>{links}</ul></aside></main>
<footer><p>Copyright 2018. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that reset or drop connections are part of the tests


class LocalWeb:
    """``n_hosts`` servers on 127.0.0.1 sharing one request log (see the module docstring)."""

    def __init__(self, articles: pd.DataFrame, *, n_hosts: int = 3, slow_seconds: float = 2.5):
        self.articles = articles.reset_index(drop=True)
        self.slow_seconds = slow_seconds
        self.trickle_seconds = 0.02
        self.header_seconds = 1.0
        self.robots_trickle: set[int] = set()
        self.log: list[tuple[float, int, str]] = []
        self.hits: Counter[tuple[int, str]] = Counter()
        self.lock = threading.Lock()
        self.interrupt_after: int | None = None  # KeyboardInterrupt the main thread then
        self.robots: dict[int, str] = {}  # host number -> robots.txt (default ROBOTS)
        self.servers: list[_Server] = []
        self.threads: list[threading.Thread] = []
        handler = self._handler()
        for _ in range(n_hosts):
            server = _Server(("127.0.0.1", 0), handler)
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
            thread.daemon = True
            thread.start()
            self.servers.append(server)
            self.threads.append(thread)

    # -- addresses and expectations --------------------------------------------------------
    @property
    def ports(self) -> list[int]:
        return [server.server_address[1] for server in self.servers]

    def base(self, host: int) -> str:
        return f"http://127.0.0.1:{self.ports[host]}"

    def url(self, host: int, path: str) -> str:
        return self.base(host) + path

    def row(self, n: int) -> pd.Series:
        return self.articles.iloc[n % len(self.articles)]

    def feed_pages(self, kind: str) -> list[int]:
        """Article numbers listed by the RSS feed, the Atom feed or the sitemaps."""
        return {"rss": list(range(0, 30)), "atom": list(range(30, 60))}.get(
            kind, list(range(60, 160))
        )

    def sitemap_months(self) -> dict[str, list[int]]:
        months: dict[str, list[int]] = {}
        for n in self.feed_pages("sitemap"):
            months.setdefault(f"{self.row(n)['published']:%Y-%m}", []).append(n)
        return months

    def requests_by_port(self) -> dict[int, list[tuple[float, str]]]:
        with self.lock:
            out: dict[int, list[tuple[float, str]]] = {}
            for when, port, path in self.log:
                out.setdefault(port, []).append((when, path))
        return out

    def clear_log(self) -> None:
        with self.lock:
            self.log.clear()

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
        for thread in self.threads:
            thread.join(5)

    # -- feeds -----------------------------------------------------------------------------
    def rss(self, host: int) -> str:
        items = "".join(
            f"<item><title>{html.escape(str(self.row(n)['title']))}</title>"
            f"<link>{self.url(host, f'/news/{n}.html')}</link>"
            f"<guid>{self.url(host, f'/news/{n}.html')}</guid>"
            f"<pubDate>{email.utils.format_datetime(self.row(n)['published'])}</pubDate></item>"
            for n in self.feed_pages("rss")
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Local news</title><link>{self.base(host)}/</link>"
            f"<description>Latest</description>{items}</channel></rss>"
        )

    def atom(self, host: int) -> str:
        entries = "".join(
            f"<entry><title>{html.escape(str(self.row(n)['title']))}</title>"
            f'<link rel="alternate" href="/news/{n}.html"/>'
            f"<id>tag:local,2018:{n}</id>"
            f"<published>{self.row(n)['published'].isoformat()}</published>"
            f"<updated>{(self.row(n)['published'] + pd.Timedelta(days=2)).isoformat()}</updated>"
            "</entry>"
            for n in self.feed_pages("atom")
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
            f'xml:base="{self.base(host)}/"><title>Local news</title><id>tag:local,2018</id>'
            f"<updated>2018-12-31T00:00:00Z</updated>{entries}</feed>"
        )

    def sitemap_index(self, host: int) -> str:
        items = "".join(
            f"<sitemap><loc>{self.url(host, f'/sitemap-{month}.xml')}</loc>"
            f"<lastmod>{max(self.row(n)['published'] for n in pages).isoformat()}</lastmod>"
            "</sitemap>"
            for month, pages in sorted(self.sitemap_months().items())
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}'
            "</sitemapindex>"
        )

    def sitemap(self, host: int, month: str) -> str | None:
        pages = self.sitemap_months().get(month)
        if pages is None:
            return None
        items = "".join(
            f"<url><loc>{self.url(host, f'/news/{n}.html')}</loc>"
            f"<news:news><news:publication>"
            f"<news:name>{html.escape(str(self.row(n)['outlet']))}</news:name>"
            "<news:language>en</news:language></news:publication>"
            f"<news:publication_date>{self.row(n)['published'].isoformat()}"
            "</news:publication_date>"
            f"<news:title>{html.escape(str(self.row(n)['title']))}</news:title></news:news>"
            "</url>"
            for n in pages
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{items}</urlset>"
        )

    def home(self, host: int) -> str:
        return (
            '<!DOCTYPE html><html lang="en"><head><title>Local news</title>'
            '<link rel="alternate" type="application/rss+xml" href="/feed.rss">'
            '<link rel="alternate" type="application/atom+xml" href="/feed.atom">'
            "</head><body><h1>Local news</h1></body></html>"
        )

    # -- the request handler ---------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def send(self, code: int, body: str | bytes, ctype: str, **headers: str) -> None:
                data = body.encode("utf-8") if isinstance(body, str) else body
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.end_headers()
                self.wfile.write(data)

            def page(
                self, n: int, canonical: str | None = None, ctype: str = "text/html; charset=utf-8"
            ) -> None:
                host = web.ports.index(cast(Any, self.server).server_port)
                url = canonical if "://" in (canonical or "") else None
                url = url or web.url(host, canonical or f"/news/{n}.html")
                self.send(200, article_page(web.row(n), url=url), ctype)

            def trickle_headers(self, body: bytes) -> None:
                self.close_connection = True
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Pad: ")
                self.wfile.flush()
                for _ in range(60):  # bounded: a client that gives up ends it sooner
                    time.sleep(web.header_seconds)
                    self.wfile.write(b"a")
                    self.wfile.flush()
                self.wfile.write(b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)

            def reset(self) -> None:
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                self.close_connection = True

            def do_GET(self) -> None:
                port = cast(Any, self.server).server_port
                host = web.ports.index(port)
                path = self.path.split("?")[0]
                with web.lock:
                    web.log.append((time.monotonic(), port, path))
                    web.hits[(port, path)] += 1
                    hits = web.hits[(port, path)]
                    pages = sum(1 for _, _, p in web.log if p.startswith("/news/"))
                if (
                    web.interrupt_after is not None
                    and path.startswith("/news/")
                    and pages == web.interrupt_after
                ):
                    _thread.interrupt_main()
                parts = path.strip("/").split("/")
                number = next((int(p.split(".")[0]) for p in parts if p[:1].isdigit()), 0)
                try:
                    self.route(path, parts, number, hits, host)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def route(self, path: str, parts: list[str], n: int, hits: int, host: int) -> None:
                kind = parts[1] if parts[0] == "fault" and len(parts) > 1 else parts[0]
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                target = query.get("url", [""])[0]
                if path == "/robots.txt" and host in web.robots_trickle:
                    self.trickle_headers(web.robots.get(host, ROBOTS).encode())
                elif path == "/robots.txt":
                    self.send(200, web.robots.get(host, ROBOTS), "text/plain")
                elif path == "/":
                    self.send(200, web.home(host), "text/html; charset=utf-8")
                elif path == "/feed.rss":
                    self.send(200, web.rss(host), "application/rss+xml; charset=utf-8")
                elif path == "/feed.atom":
                    self.send(200, web.atom(host), "application/atom+xml")
                elif path == "/sitemap.xml":
                    self.send(200, web.sitemap_index(host), "application/xml")
                elif path.startswith("/sitemap-") and web.sitemap(host, path[9:-4]) is not None:
                    self.send(200, web.sitemap(host, path[9:-4]) or "", "application/xml")
                elif parts[0] in ("news", "private", "print") and len(parts) == 2:
                    self.page(n)
                elif parts[0] == "redirect":
                    self.send(301, "", "text/html", Location=f"/news/{n}.html")
                elif kind == "flaky" and hits <= 2:
                    self.send(500, "<h1>Internal Server Error</h1>", "text/html")
                elif kind == "throttle" and hits == 1:
                    self.send(429, "<h1>Too Many Requests</h1>", "text/html", Retry_After="1")
                elif kind == "throttle-date" and hits == 1:
                    when = email.utils.formatdate(time.time() + 1.0, usegmt=True)
                    self.send(429, "<h1>Too Many Requests</h1>", "text/html", Retry_After=when)
                elif kind == "reset" or (kind == "reset-once" and hits == 1):
                    self.reset()
                elif kind == "late-redirect":  # ?to=PORT: another host's page, 0.5 s late
                    time.sleep(0.5)
                    port = self.path.split("?to=")[-1]
                    target = f"http://127.0.0.1:{port}/news/{n}.html"
                    self.send(301, "", "text/html", Location=target)
                elif kind == "home-canonical":
                    self.page(n, canonical="/")
                elif kind == "slow":
                    time.sleep(web.slow_seconds)
                    self.page(n)
                elif kind == "loop":
                    target = parts[-1] == "a" and "b" or "a"
                    self.send(302, "", "text/html", Location=f"/fault/loop/{n}/{target}")
                elif kind == "big":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.close_connection = True
                    chunk = b"<p>" + b"news " * 13_000 + b"</p>\n"
                    sent = 0
                    while sent < BIG_BYTES:
                        self.wfile.write(chunk)
                        sent += len(chunk)
                elif kind == "trickle":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    self.close_connection = True
                    for _ in range(100000):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(web.trickle_seconds)
                elif kind == "header-trickle":
                    self.trickle_headers(b"<html><body><p>late</p></body></html>")
                elif kind == "bad-canonical":
                    self.page(n, canonical=f"http://127.0.0.1:99999/news/{n}.html")
                elif kind == "auth":
                    port = cast(Any, self.server).server_port
                    self.page(n, canonical=f"http://ann:secret@127.0.0.1:{port}/news/{n}.html")
                elif kind == "bad-location":
                    self.send(301, "", "text/html", Location="http://[::1")
                elif kind == "pdf-as-html":
                    self.send(200, b"%PDF-1.4\n% a report\n" + b"0" * 2000, "text/html")
                elif kind == "charset":
                    self.page(n, ctype=f"text/html; charset={parts[2]}")
                elif kind == "to":
                    self.send(302, "", "text/html", Location=target)
                elif kind == "sitemap-to":
                    index = (
                        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns='
                        f'"http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{target}'
                        "</loc></sitemap></sitemapindex>"
                    )
                    self.send(200, index, "application/xml")
                elif kind == "bomb.xml.gz":
                    self.send(200, gzip_bomb(), "application/x-gzip")
                elif kind == "bomb-encoded":
                    self.send(200, gzip_bomb(), "text/html", Content_Encoding="gzip")
                elif kind == "pdf":
                    self.send(200, b"%PDF-1.4\n% a report\n" + b"0" * 2000, "application/pdf")
                elif kind in ("flaky", "throttle", "throttle-date", "reset-once"):
                    self.page(n)
                else:
                    self.send(404, "<h1>Not Found</h1>", "text/html")

        return Handler


def web_articles(allsides: pd.DataFrame, n: int = 200) -> pd.DataFrame:
    """``n`` AllSides articles of 1,500-6,000 characters spread over 2018."""
    articles = allsides[allsides["text"].str.len().between(1500, 6000)]
    step = max(1, len(articles) // n)
    return articles.iloc[::step].head(n)


@pytest.fixture
def no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Refuse every connection that is not to a loopback address during the test."""
    import ipaddress

    def check(address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        try:
            loopback = host == "localhost" or ipaddress.ip_address(str(host)).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ConnectionRefusedError(f"tests may not reach {address!r}: loopback only")

    real_connect = socket.socket.connect
    real_create = socket.create_connection

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            check(address)
        return real_connect(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        check(address)
        return real_create(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    yield


@pytest.fixture
def local_web(allsides: pd.DataFrame) -> Iterator[LocalWeb]:
    """Three hosts serving pages built from 200 real AllSides articles."""
    web = LocalWeb(web_articles(allsides), n_hosts=3)
    yield web
    web.close()
