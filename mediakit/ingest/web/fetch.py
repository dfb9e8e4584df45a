"""``fetch_articles``: a list of URLs -> an article frame, politely and resumably."""

from __future__ import annotations

import codecs
import hashlib
import os
import queue
import threading
from collections import Counter, deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal, cast, overload
from urllib.parse import urlsplit

import pandas as pd

from mediakit._deprecation import renamed_parameters
from mediakit.ingest.web._net import Resolver
from mediakit.ingest.web.cache import PageCache
from mediakit.ingest.web.fetcher import DEFAULT_USER_AGENT, PoliteFetcher, Response
from mediakit.ingest.web.urls import (
    canonical_url,
    host_key,
    invalid_url_reason,
    non_html_reason,
    strip_credentials,
    url_id,
)
from mediakit.schema import STRING, as_articles, empty_articles, to_utc

_MAX_BACKLOG = 64
_PARSER_MODULES = ("html.py", "dates")  # mediakit.ingest modules that parse_html runs
REPORT_COLUMNS = (
    "url",
    "status",
    "http_status",
    "final_url",
    "bytes",
    "fetched_at",
    "attempts",
    "from_cache",
    "article_id",
    "reason",
)


def _decoded(body: bytes, content_type: str | None) -> str | bytes:
    """``body`` decoded with the charset the server declared; bytes when it declared none.

    :func:`mediakit.parse_html` decodes bytes itself (byte-order mark, ``<meta charset>``,
    UTF-8, detection); an HTTP charset, when present and valid, comes first. A label
    that names no text encoding (``base64``, ``hex``, ``rot13`` are codecs of Python, not
    charsets) or does not fit the bytes leaves the decoding to the page.

    Examples
    --------
    >>> _decoded("<p>Café</p>".encode("cp1252"), "text/html; charset=windows-1252")
    '<p>Café</p>'
    >>> _decoded("<p>Café</p>".encode("utf-8"), "text/html")
    b'<p>Caf\\xc3\\xa9</p>'
    >>> _decoded(b"<p>Hi</p>", "text/html; charset=base64")
    b'<p>Hi</p>'
    """
    if not content_type or "charset=" not in content_type.lower():
        return body
    label = content_type.lower().split("charset=")[-1].split(";")[0].strip(" \"'")
    try:
        info = codecs.lookup(label)
    except LookupError:
        return body
    codec = info.name
    if codec in ("latin-1", "iso8859-1", "ascii"):  # browsers read these as windows-1252
        codec = "cp1252"
    try:
        return body.decode(codec)  # LookupError for codecs that are not text encodings
    except (UnicodeError, LookupError, ValueError, TypeError):
        return body


def parser_fingerprint(engine: str) -> str:
    """Identifies the parser: the engine, the extraction libraries' versions, and the
    source of the modules parse_html runs. Cached records of another fingerprint are not used.

    Examples
    --------
    >>> parser_fingerprint("auto") != parser_fingerprint("trafilatura")
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    import mediakit.ingest

    digest = hashlib.sha256(f"engine={engine}".encode())
    for name in ("trafilatura", "newspaper4k", "htmldate", "lxml", "py3langid"):
        try:
            digest.update(f"{name}={version(name)}".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    folder = Path(mediakit.ingest.__file__).parent
    for name in _PARSER_MODULES:
        path = folder / name
        files = sorted(path.glob("*.py")) if path.is_dir() else [path]
        for file in files:  # a package: each of its modules
            digest.update(name.encode() + (file.read_bytes() if file.exists() else b""))
    return digest.hexdigest()[:16]


def _check_urls(urls: object) -> list[Any]:
    if isinstance(urls, str | bytes):
        raise TypeError(
            f"urls must be a list (or Series) of URLs, got a single string {urls!r:.80}. "
            "Wrap it in a list: fetch_articles([url], ...), or read a file of URLs with "
            "Path(file).read_text().split()."
        )
    if isinstance(urls, pd.DataFrame):
        if "url" not in urls.columns:
            raise TypeError(
                f"urls is a DataFrame without a 'url' column (columns: {list(urls.columns)}). "
                "Pass the column that holds the URLs, e.g. fetch_articles(frame['link'], ...)."
            )
        return list(urls["url"])
    if not isinstance(urls, Iterable):
        raise TypeError(f"urls must be a list (or Series) of URLs, got {type(urls).__name__}.")
    return list(urls)


def _check_params(
    rate_limit: float | None,
    timeout: float | tuple[float, float],
    retries: int,
    max_bytes: int,
    n_jobs: int,
) -> None:
    if rate_limit is not None and not (isinstance(rate_limit, int | float) and rate_limit > 0):
        raise ValueError(
            f"rate_limit must be a positive number of requests per second per host (or None "
            f"for no limit), got {rate_limit!r}. The polite default is 1.0."
        )
    pair = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    if len(pair) != 2 or not all(isinstance(t, int | float) and t > 0 for t in pair):
        raise ValueError(
            f"timeout must be a positive number of seconds or a (connect, read) pair of them, "
            f"got {timeout!r}. For example timeout=(10, 30)."
        )
    if not isinstance(retries, int) or retries < 0:
        raise ValueError(
            f"retries must be an integer >= 0, got {retries!r}. The default is retries=3."
        )
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ValueError(
            f"max_bytes must be a positive integer (bytes), got {max_bytes!r}. "
            "The default, 10_000_000, holds any news article page."
        )
    if not isinstance(n_jobs, int) or n_jobs < 1:
        raise ValueError(
            f"n_jobs must be an integer >= 1, got {n_jobs!r}. The default, 8, "
            "fetches 8 hosts at a time (never more than one request per host)."
        )


def _join_authors(value: object) -> object:
    if isinstance(value, list | tuple):
        names = [str(v).strip() for v in value if str(v).strip()]
        return "; ".join(names) if names else pd.NA
    return value if isinstance(value, str) and value.strip() else pd.NA


def page_url(declared: str | None, final_url: str) -> str:
    """The page's URL: the canonical link it declares, unless that looks misconfigured.

    A declared canonical URL merges variants of one page (print, tracking, paging
    parameters), as :func:`mediakit.load_articles` does for saved pages. It is ignored
    when it names another host (syndicated copies keep their own rows) or the site's
    root for a deeper page (a template that declares the home page everywhere).

    Examples
    --------
    >>> page_url("https://example.org/a", "https://example.org/a?print=1")
    'https://example.org/a'
    >>> page_url("https://example.org/", "https://example.org/2018/03/a")
    'https://example.org/2018/03/a'
    >>> page_url("https://wire.example.com/a", "https://example.org/a")
    'https://example.org/a'
    >>> page_url("https://example.org:99999/a", "https://example.org/a?print=1")
    'https://example.org/a?print=1'
    """
    final = canonical_url(final_url)
    if not declared or invalid_url_reason(declared) is not None:
        return final  # e.g. a port out of range: a broken link names no page
    declared = canonical_url(declared)
    same_host = host_key(declared) == host_key(final)
    root_for_deeper = urlsplit(declared).path in ("", "/") and urlsplit(final).path not in ("", "/")
    return declared if same_host and not root_for_deeper else final


def _site(url: str) -> str:
    """The host name of ``url`` without a leading ``www.``: the outlet of a fetched page.

    >>> _site("https://www.Example.org/2018/a"), _site("https://news.example.org/b")
    ('example.org', 'news.example.org')
    """
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _article_row(record: dict[str, Any], *, url: str, final_url: str, fetched_at: str) -> dict:
    page = page_url(record.get("url"), final_url)
    return {
        "article_id": url_id(page),
        "outlet": _site(page),  # the same name for every page of a site
        "url": page,
        "title": record.get("title") or pd.NA,
        "description": record.get("description") or pd.NA,
        "text": record.get("text") or pd.NA,
        "published": record.get("published"),
        "date_source": record.get("date_source") or "missing",
        "authors": _join_authors(record.get("authors")),
        "language": record.get("language") or pd.NA,
        "path": strip_credentials(url),
        "extractor": record.get("extractor") or "",
        "fetched_at": fetched_at,
    }


@overload
def fetch_articles(
    urls: Iterable[str],
    *,
    cache_dir: str | os.PathLike[str],
    rate_limit: float | None = ...,
    timeout: float | tuple[float, float] = ...,
    retries: int = ...,
    respect_robots: bool = ...,
    user_agent: str = ...,
    max_bytes: int = ...,
    n_jobs: int = ...,
    retry_failed: bool = ...,
    progress: bool = ...,
    engine: str = ...,
    backoff_factor: float = ...,
    max_wait: float = ...,
    random_state: int | None = ...,
    resolver: Resolver | None = ...,
    return_report: Literal[False] = ...,
) -> pd.DataFrame: ...
@overload
def fetch_articles(
    urls: Iterable[str],
    *,
    cache_dir: str | os.PathLike[str],
    rate_limit: float | None = ...,
    timeout: float | tuple[float, float] = ...,
    retries: int = ...,
    respect_robots: bool = ...,
    user_agent: str = ...,
    max_bytes: int = ...,
    n_jobs: int = ...,
    retry_failed: bool = ...,
    progress: bool = ...,
    engine: str = ...,
    backoff_factor: float = ...,
    max_wait: float = ...,
    random_state: int | None = ...,
    resolver: Resolver | None = ...,
    return_report: Literal[True],
) -> tuple[pd.DataFrame, pd.DataFrame]: ...
@renamed_parameters("0.2", "0.4", max_workers="n_jobs")
def fetch_articles(
    urls: Iterable[str],
    *,
    cache_dir: str | os.PathLike[str],
    rate_limit: float | None = 1.0,
    timeout: float | tuple[float, float] = (10.0, 30.0),
    retries: int = 3,
    respect_robots: bool = True,
    user_agent: str = DEFAULT_USER_AGENT,
    max_bytes: int = 10_000_000,
    n_jobs: int = 8,
    retry_failed: bool = False,
    progress: bool = True,
    engine: str = "auto",
    backoff_factor: float = 1.0,
    max_wait: float = 300.0,
    random_state: int | None = None,
    resolver: Resolver | None = None,
    return_report: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Download web pages politely and parse them into an article frame.

    Every response is kept in ``cache_dir``, so a rerun downloads only what is missing
    and an interrupted run (Ctrl-C, a killed kernel) resumes where it stopped, losing
    and repeating nothing. Requests to one host are spaced by ``1 / rate_limit``
    seconds and honour robots.txt and ``Retry-After``; different hosts are fetched in
    parallel. Processes sharing ``cache_dir`` share these limits (a lock file per host)
    and do not download a page twice. A redirect from a public host into the local
    network (loopback, link-local or private addresses) is refused; the URLs you give
    are fetched as given. One bad page is one report row, never an exception.

    Parameters
    ----------
    urls : list or Series of str, or DataFrame with a ``url`` column
        The pages to fetch, e.g. a Media Cloud or GDELT export's URL column, or the
        frame :func:`discover_urls` returns. Repeated URLs are fetched once.
    cache_dir : str or Path
        Folder of the response cache (created if missing). Reuse it across runs.
    rate_limit : float or None, default 1.0
        Requests per second per host (scheme + host + port). ``None`` removes the limit
        (only for servers you run). A robots.txt ``Crawl-delay`` slows a host further.
    timeout : float or (float, float), default (10, 30)
        Connect and read timeouts in seconds. Each request (robots.txt, a page, each
        redirect) ends within ``connect + 4 * read`` seconds, however slowly the server
        sends its headers or body (status ``timeout``).
    retries : int, default 3
        Extra attempts after a 429, a 5xx, a timeout or a connection reset, with
        exponential backoff (``backoff_factor * 2**k`` seconds, jittered) or the
        server's ``Retry-After``.
    respect_robots : bool, default True
        Skip pages that robots.txt disallows for ``user_agent`` (status
        ``robots_disallowed``).
    user_agent : str
        Sent with every request; its first word is matched against robots.txt.
        The default names mediakit and its version; add a contact address for
        large collections.
    max_bytes : int, default 10_000_000
        Larger bodies are not downloaded further (status ``too_large``).
    n_jobs : int, default 8
        Hosts fetched at once (threads; ``max_workers=`` before 0.2); at most one request
        per host is in flight at any time.
    retry_failed : bool, default False
        Fetch again the URLs whose cached attempt failed (otherwise their cached
        failure is reported again).
    progress : bool, default True
        Show a progress bar.
    engine : str, default "auto"
        Passed to :func:`mediakit.parse_html`.
    backoff_factor, max_wait : float, default 1.0 and 300.0
        Backoff base in seconds, and the longest single wait accepted (a larger
        ``Retry-After`` ends the URL with its HTTP error).
    random_state : int or None
        Seeds the backoff jitter.
    resolver : callable, optional
        ``resolver(host, port)`` returns the IP addresses to connect to for a host name
        (default: the system resolver). The address policy applies to the address
        actually connected.
    return_report : bool, default False
        Also return the report.

    Returns
    -------
    DataFrame or (DataFrame, DataFrame)
        The article frame, one row per distinct page fetched, in input order;
        ``url`` is the page's canonical URL (see :func:`page_url`), ``article_id`` its
        hash (the id :func:`mediakit.load_articles` gives the same URL), ``outlet`` the
        site's host name without ``www.`` (pages do not name their publication
        reliably; map hosts to names with ``frame["outlet"].replace({...})``), ``path``
        the URL as given, and ``fetched_at`` when it was downloaded. The report has one row per input
        URL: ``url, status, http_status, final_url, bytes, fetched_at, attempts,
        from_cache, article_id, reason``. ``status`` is one of ``ok``, ``http_error``,
        ``timeout``, ``connection_error``, ``robots_disallowed``, ``not_html``,
        ``too_large``, ``invalid_url``, ``redirect_loop``, ``private_address`` (a
        redirect into the local network), ``duplicate`` (the same page as an earlier
        input) or ``parse_error``; ``not_html`` also covers a PDF, image or archive
        served as ``text/html``. URLs are stored without ``user:password@``.

    See Also
    --------
    discover_urls : article URLs from feeds and sitemaps.
    mediakit.parse_html : how one page becomes a record.

    Examples
    --------
    >>> import tempfile
    >>> import mediakit as mk
    >>> frame, report = mk.fetch_articles(
    ...     ["not a url", "ftp://example.org/a"], cache_dir=tempfile.mkdtemp(),
    ...     progress=False, return_report=True)
    >>> len(frame), report["status"].tolist()
    (0, ['invalid_url', 'invalid_url'])
    """
    items = _check_urls(urls)
    _check_params(rate_limit, timeout, retries, max_bytes, n_jobs)
    from mediakit.ingest.html import ENGINES

    if engine not in ENGINES:
        raise ValueError(
            f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}. "
            "Use engine='auto' unless you need one extraction library's output."
        )
    if cache_dir is None:
        raise ValueError(
            "cache_dir must be a folder for the response cache, got None. Pass e.g. "
            "cache_dir='web-cache' and reuse it: reruns then download only what is missing."
        )
    cache = PageCache(cache_dir)
    fetcher = PoliteFetcher(
        rate_limit=rate_limit,
        timeout=timeout,
        retries=retries,
        respect_robots=respect_robots,
        user_agent=user_agent,
        max_bytes=max_bytes,
        backoff_factor=backoff_factor,
        max_wait=max_wait,
        check_body=non_html_reason,
        state_dir=cache.directory,
        random_state=random_state,
        resolver=resolver,
    )
    report: list[dict[str, Any]] = [{} for _ in items]
    keys: dict[int, str] = {}
    first: dict[str, int] = {}
    to_fetch: list[tuple[int, str]] = []
    cached: deque[int] = deque()
    fingerprint = parser_fingerprint(engine)
    shown = [strip_credentials(raw) if isinstance(raw, str) else raw for raw in items]
    for i, raw in enumerate(items):
        url = raw.strip() if isinstance(raw, str) else raw
        reason = invalid_url_reason(url)
        if reason is not None:
            report[i] = {"url": shown[i], "status": "invalid_url", "reason": reason, "attempts": 0}
            continue
        key = canonical_url(url)
        if key in first:
            report[i] = {
                "url": shown[i],
                "status": "duplicate",
                "reason": f"same URL as input {first[key]}",
                "attempts": 0,
            }
            continue
        first[key] = i
        keys[i] = key
        meta = cache.get(key)
        if meta is not None and meta["status"] == "ok" and not _usable(cache, key, fingerprint):
            meta = None  # a torn body (a crash, a full disk) and no parsed record: fetch again
        if meta is not None and (meta["status"] == "ok" or not retry_failed):
            report[i] = {**_report_fields(meta), "url": shown[i], "from_cache": True}
            if meta["status"] == "ok":
                cached.append(i)
        else:
            to_fetch.append((i, url))

    backlog = [0]  # pages fetched, not yet parsed; beyond _MAX_BACKLOG bodies stay on disk
    backlog_lock = threading.Lock()

    key_of = {url: keys[i] for i, url in to_fetch}
    before = {key: (cache.get(key) or {}).get("fetched_at") for key in key_of.values()}

    def recheck(url: str) -> Response | None:  # another process may have fetched it meanwhile
        meta = cache.get(key_of[url])
        if meta is None or meta.get("fetched_at") == before[key_of[url]]:
            return None
        return Response(
            url,
            str(meta.get("status")),
            http_status=meta.get("http_status"),
            final_url=meta.get("final_url"),
            content_type=meta.get("content_type"),
            bytes=meta.get("bytes") or 0,
            fetched_at=meta.get("fetched_at") or "",
            attempts=meta.get("attempts") or 0,
            reason=meta.get("reason") or "",
            cached=True,
        )

    fetcher.recheck = recheck

    def store(index: int, response: Response) -> None:  # runs in the worker threads
        if not response.cached:
            meta = {
                **response.metadata(),
                "url": keys[index],
                "requested_url": strip_credentials(response.url),
            }
            cache.put(meta, response.content if response.status == "ok" else None)
        with backlog_lock:
            backlog[0] += 1
            if backlog[0] > _MAX_BACKLOG:
                response.content = None  # the main thread reads it back from the cache

    rows: dict[int, dict[str, Any]] = {}

    def parse(index: int, body: bytes | None) -> None:
        entry = report[index]
        final = entry.get("final_url") or keys[index]
        try:  # one bad page (or a bad record cached before) must not stop the collection
            record = cache.record(keys[index], fingerprint)
            if record is None:
                if body is None:
                    body = cache.body(keys[index])
                if body is None:
                    raise ValueError("the cached body is missing or unreadable")
                from mediakit.ingest.html import parse_html

                record = parse_html(
                    _decoded(body, entry.get("content_type")), url=final, engine=cast(Any, engine)
                )
                if isinstance(record.get("url"), str):  # the page's canonical link
                    record = {**record, "url": strip_credentials(record["url"])}
                cache.put_record(keys[index], fingerprint, record)
            row = _article_row(
                record, url=entry["url"], final_url=final, fetched_at=entry["fetched_at"]
            )
        except Exception as error:
            entry.update(status="parse_error", reason=f"{type(error).__name__}: {error}")
            return
        entry["article_id"] = row["article_id"]
        if record.get("status") not in (None, "ok"):
            entry["reason"] = f"parse_html: {record.get('status')} {record.get('reason') or ''}"
        rows[index] = row

    from tqdm.auto import tqdm

    bar = tqdm(total=len(items), disable=not progress, unit="url", desc="fetch", leave=True)
    bar.update(len(items) - len(to_fetch) - len(cached))
    results = fetcher.run(to_fetch, store, max_workers=n_jobs)
    waiting = len(to_fetch)
    try:
        while waiting or cached:
            try:
                got = results.get_nowait() if cached else results.get(timeout=0.25)
            except queue.Empty:
                if cached:
                    index = cached.popleft()
                    parse(index, None)
                    bar.update()
                elif not fetcher.running():
                    raise RuntimeError("the fetch workers stopped before finishing") from None
                continue
            if isinstance(got, BaseException):
                raise got
            index, response = got
            waiting -= 1
            with backlog_lock:
                backlog[0] -= 1
            report[index] = {
                **_report_fields(response.metadata()),
                "url": shown[index],
                "from_cache": response.cached,
            }
            if response.status == "ok":
                parse(index, response.content)
            bar.update()
            if progress and bar.n % 25 == 0:
                bar.set_postfix(_counts(report), refresh=False)
    finally:
        fetcher.join()
        bar.set_postfix(_counts(report), refresh=False)
        bar.close()
    # two inputs that end on the same page (a redirect, a tracking variant): the first in
    # input order keeps the row, whatever order the downloads finished in
    first_of: dict[str, int] = {}
    for index in sorted(rows):
        article_id = rows[index]["article_id"]
        if article_id in first_of:
            report[index].update(
                status="duplicate", reason=f"same page as input {first_of[article_id]}"
            )
            del rows[index]
        else:
            first_of[article_id] = index
    frame = _build_frame(rows)
    if not return_report:
        return frame
    return frame, _build_report(report)


def _usable(cache: PageCache, key: str, fingerprint: str) -> bool:
    """Whether the cached page ``key`` can be turned into a row: parsed, or a readable body."""
    return cache.record(key, fingerprint) is not None or cache.body(key) is not None


def _report_fields(meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": meta.get("status"),
        "http_status": meta.get("http_status"),
        "final_url": meta.get("final_url"),
        "bytes": meta.get("bytes"),
        "fetched_at": meta.get("fetched_at"),
        "attempts": meta.get("attempts", 0),
        "reason": meta.get("reason") or "",
        "content_type": meta.get("content_type"),
    }


def _counts(report: list[dict[str, Any]]) -> dict[str, int]:
    return dict(Counter(entry["status"] for entry in report if entry.get("status")))


def _build_frame(rows: dict[int, dict[str, Any]]) -> pd.DataFrame:
    if not rows:
        frame = empty_articles()
        frame["fetched_at"] = pd.Series(dtype="datetime64[us, UTC]")
        return frame
    frame = pd.DataFrame([rows[i] for i in sorted(rows)])
    frame["published"] = to_utc(frame["published"])
    frame["fetched_at"] = to_utc(frame["fetched_at"])
    return as_articles(frame).reset_index(drop=True)


def _build_report(report: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(report, columns=list(REPORT_COLUMNS))
    for name in ("url", "status", "final_url", "article_id", "reason"):
        frame[name] = frame[name].astype("object").where(frame[name].notna(), None)
        frame[name] = frame[name].astype(STRING)
    frame["reason"] = frame["reason"].fillna("")
    for name in ("http_status", "bytes"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("Int64")
    frame["attempts"] = pd.to_numeric(frame["attempts"], errors="coerce").fillna(0).astype("int64")
    frame["from_cache"] = frame["from_cache"].astype("boolean").fillna(False).astype(bool)
    frame["fetched_at"] = to_utc(frame["fetched_at"])
    return frame
