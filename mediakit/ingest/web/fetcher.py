"""The polite fetcher shared by :func:`fetch_articles` and :func:`discover_urls`.

Politeness rules, all on by default:

- robots.txt is read once per host (cached on disk for a day) and honoured, including
  ``Crawl-delay``;
- requests to one host (scheme + host + port) are spaced by ``1 / rate_limit`` seconds,
  counted from the end of the previous one, and go one at a time (a redirect arriving
  from another host aside); different hosts are fetched concurrently;
- ``Retry-After`` (seconds or an HTTP date) is honoured; 429, 5xx, timeouts and
  connection resets are retried with exponential backoff and jitter;
- with a cache folder, a lock file per host in it (:mod:`._hostlock`), so that
  processes sharing the cache share the rate limits and do not fetch a page twice;
- connect and read timeouts, and one overall deadline per request (robots.txt, each
  page and each redirect) covering connect, headers and body (:mod:`._net`); a maximum
  body size (the body is streamed and the download stops once it is too large);
- only http and https; every hop of a redirect chain is checked against robots.txt
  and the rate limit of its host; a redirect loop is reported, not followed forever;
  a redirect from a public host into the local network (loopback, link-local or
  private addresses, checked on the address connected) is refused;
- the User-Agent names the toolkit and its version.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import json
import os
import queue
import random
import threading
import time
import urllib.robotparser
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from mediakit import __version__
from mediakit.ingest.web._hostlock import HostLock
from mediakit.ingest.web._net import (
    AddressRefused,
    GuardedAdapter,
    Resolver,
    Watchdog,
    address_kind,
    guarded,
    host_looks_public,
)
from mediakit.ingest.web.urls import (
    canonical_url,
    host_key,
    invalid_url_reason,
    is_html_type,
    parse_retry_after,
    strip_credentials,
    utc_now_iso,
)

#: The default User-Agent; pass ``user_agent=`` to add a contact address.
DEFAULT_USER_AGENT = (
    f"mediakit/{__version__} (+research; news collection for media research; honours robots.txt)"
)
#: Every status a fetch can end with.
STATUSES = (
    "ok",
    "http_error",
    "timeout",
    "connection_error",
    "robots_disallowed",
    "not_html",
    "too_large",
    "invalid_url",
    "redirect_loop",
    "private_address",
)
RETRIABLE_HTTP = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_REDIRECTS = 10
ROBOTS_TTL_SECONDS = 24 * 3600.0


# host key -> monotonic time its last request ended, in this process: a new fetcher (the
# next notebook cell, discover_urls then fetch_articles) keeps the spacing of the last one
_LAST_FINISHED: dict[str, float] = {}
_LAST_LOCK = threading.Lock()


class _Stopped(Exception):
    """Raised inside a worker when the run is being stopped."""


@dataclass
class Response:
    """The outcome of fetching one URL (all attempts)."""

    url: str
    status: str
    http_status: int | None = None
    final_url: str | None = None
    content: bytes | None = None
    content_type: str | None = None
    bytes: int = 0
    fetched_at: str = ""
    attempts: int = 0
    reason: str = ""
    retry_after: float | None = field(default=None, repr=False)
    retriable: bool = field(default=False, repr=False)
    address: str | None = field(default=None, repr=False)  # the IP address connected
    cached: bool = field(default=False, repr=False)  # stored meanwhile by another process

    def metadata(self) -> dict[str, Any]:
        """The JSON-ready record stored next to the body in the cache."""
        return {
            "url": strip_credentials(self.url),
            "status": self.status,
            "http_status": self.http_status,
            "final_url": strip_credentials(self.final_url or "") or None,
            "content_type": self.content_type,
            "bytes": self.bytes,
            "fetched_at": self.fetched_at,
            "attempts": self.attempts,
            "reason": self.reason,
        }


class _Host:
    """Per-host state: the rate limiter, robots.txt and the queue of pending URLs."""

    def __init__(self, key: str, interval: float) -> None:
        self.key = key
        self.interval = interval
        self.next_time = 0.0  # monotonic time of the next free request slot
        self.ready_at = 0.0  # set by backoff / Retry-After: no request before then
        self.lock = threading.Lock()
        self.robots_lock = threading.Lock()
        self.robots: urllib.robotparser.RobotFileParser | None = None
        self.robots_note = ""
        self.pending: deque[tuple[int, str, int]] = deque()
        self.busy = False

    def earliest(self) -> float:
        return max(self.next_time, self.ready_at)


class PoliteFetcher:
    """Fetches URLs politely; see the module docstring for the rules.

    Parameters are those of :func:`mediakit.fetch_articles`. ``accept`` decides from the
    Content-Type whether a body is wanted, ``check_body`` (body -> reason or None) may
    refuse a body by its content; ``state_dir`` keeps robots.txt for a day and the lock
    files of the hosts. ``recheck(url)``, when set, is asked once the host's lock is held
    whether another process has fetched ``url`` meanwhile (it returns that Response).
    """

    def __init__(
        self,
        *,
        rate_limit: float | None = 1.0,
        timeout: float | tuple[float, float] = (10.0, 30.0),
        retries: int = 3,
        respect_robots: bool = True,
        user_agent: str = DEFAULT_USER_AGENT,
        max_bytes: int = 10_000_000,
        backoff_factor: float = 1.0,
        max_wait: float = 300.0,
        accept: Callable[[str | None], bool] = is_html_type,
        check_body: Callable[[bytes], str | None] | None = None,
        state_dir: str | os.PathLike[str] | None = None,
        random_state: int | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        if isinstance(timeout, int | float):
            timeout = (float(timeout), float(timeout))
        self.connect_timeout, self.read_timeout = float(timeout[0]), float(timeout[1])
        # a slow server may trickle bytes forever within the read timeout: cap the download
        self.deadline = self.connect_timeout + 4 * self.read_timeout
        self.interval = 0.0 if not rate_limit or rate_limit == float("inf") else 1.0 / rate_limit
        self.retries = int(retries)
        self.respect_robots = respect_robots
        self.user_agent = user_agent
        self.agent_token = user_agent.split("/")[0].split()[0] if user_agent.strip() else "*"
        self.max_bytes = int(max_bytes)
        self.backoff_factor = float(backoff_factor)
        self.max_wait = float(max_wait)
        self.accept = accept
        self.check_body = check_body
        self.state_dir = Path(state_dir) if state_dir is not None else None
        self.resolver = resolver
        self.recheck: Callable[[str], Response | None] | None = None
        self._watchdog = Watchdog()
        self._rng = random.Random(random_state)
        self._rng_lock = threading.Lock()
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self.stop_event = threading.Event()

    # -- sessions, hosts, timing -------------------------------------------------------
    def session(self) -> requests.Session:
        """A new Session sending this fetcher's User-Agent (one per worker thread)."""
        session = requests.Session()
        adapter = GuardedAdapter()
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update(
            {
                "User-Agent": self.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate",
            }
        )
        return session

    def host(self, key: str) -> _Host:
        with self._hosts_lock:
            if key not in self._hosts:
                host = _Host(key, self.interval)
                with _LAST_LOCK:
                    if key in _LAST_FINISHED:
                        host.next_time = _LAST_FINISHED[key] + self.interval
                self._hosts[key] = host
            return self._hosts[key]

    def _sleep(self, seconds: float) -> None:
        if seconds > 0 and self.stop_event.wait(seconds):
            raise _Stopped
        if self.stop_event.is_set():
            raise _Stopped

    def _take_slot(self, host: _Host) -> HostLock | None:
        """Wait for the next request slot of ``host`` (the per-host rate limit).

        With a cache folder, the host's lock file is held from here until
        :meth:`_finished`, and the interval is also kept from the last request that
        any process sharing the folder sent to the host.
        """
        with host.lock:
            now = time.monotonic()
            slot = max(now, host.next_time, host.ready_at)
            host.next_time = slot + host.interval
        self._sleep(slot - time.monotonic())
        lock = None
        if self.state_dir is not None:
            lock = HostLock(self.state_dir, host.key)
            last, interval = lock.acquire(self._sleep)
            try:
                self._sleep(last + max(interval, host.interval) - time.time())
            except BaseException:
                lock.release(finished=None, interval=host.interval)
                raise
        with host.lock:  # a late wake-up must not shorten the gap to the next request
            host.next_time = max(host.next_time, time.monotonic() + host.interval)
        return lock

    def _finished(self, url: str, lock: HostLock | None, *, sent: bool = True) -> None:
        """Count the rate-limit interval from the end of a request, not only its start.

        A request sent late (a busy interpreter) then never brings the next one closer
        than ``1 / rate_limit`` seconds on the server's side.
        """
        host = self.host(host_key(url))
        if lock is not None:
            lock.release(finished=time.time() if sent else None, interval=host.interval)
        if not sent:
            return
        now = time.monotonic()
        with host.lock:
            host.next_time = max(host.next_time, now + host.interval)
        with _LAST_LOCK:
            _LAST_FINISHED[host.key] = now

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter before retry number ``attempt`` (1, 2, ...)."""
        with self._rng_lock:
            jitter = 0.5 + 0.5 * self._rng.random()
        return min(self.max_wait, self.backoff_factor * 2 ** (attempt - 1)) * jitter

    # -- robots.txt --------------------------------------------------------------------
    def _robots_file(self, key: str) -> Path | None:
        if self.state_dir is None:
            return None
        name = hashlib.sha256(key.encode()).hexdigest()[:24]
        return self.state_dir / "robots" / f"{name}.json"

    def _saved_robots(self, path: Path | None) -> dict[str, Any] | None:
        if path is None:
            return None
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if time.time() - float(record["saved"]) > ROBOTS_TTL_SECONDS:
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return record if isinstance(record, dict) else None

    def _load_robots(
        self, host: _Host, session: requests.Session, *, refuse_internal: str | None = None
    ) -> None:
        path = self._robots_file(host.key)
        record = self._saved_robots(path)
        if record is None:
            record = self._download_robots(host, session, path, refuse_internal)
            if path is not None and record.get("cacheable") and not record.get("from_disk"):
                from mediakit._atomic import write_bytes_atomically

                write_bytes_atomically(path, json.dumps(record).encode("utf-8"))
        parser = urllib.robotparser.RobotFileParser()
        mode = record["mode"]
        if mode == "allow_all":
            parser.parse(["User-agent: *", "Disallow:"])
        elif mode == "disallow_all":
            parser.parse(["User-agent: *", "Disallow: /"])
        else:
            parser.parse(record["text"].splitlines())
        host.robots = parser
        host.robots_note = record.get("note", "")
        delay = parser.crawl_delay(self.agent_token) if mode == "rules" else None
        if delay:
            with host.lock:
                host.interval = max(host.interval, min(float(delay), self.max_wait))
                with _LAST_LOCK:
                    last = _LAST_FINISHED.get(host.key)
                if last is not None:
                    host.next_time = max(host.next_time, last + host.interval)

    def _download_robots(
        self,
        host: _Host,
        session: requests.Session,
        path: Path | None = None,
        refuse_internal: str | None = None,
    ) -> dict[str, Any]:
        """robots.txt of ``host`` as a record; RFC 9309: 4xx allows all, 5xx forbids all."""
        url = host.key + "/robots.txt"
        base = {"host": host.key, "saved": time.time(), "cacheable": True, "text": ""}
        for attempt in range(1, self.retries + 2):
            lock = self._take_slot(host)
            saved = self._saved_robots(path)  # another process may have read it meanwhile
            if saved is not None:
                self._finished(url, lock, sent=False)
                return {**saved, "from_disk": True}
            try:
                with guarded(
                    self._watchdog,
                    seconds=self.deadline,
                    resolver=self.resolver,
                    refuse_internal=refuse_internal,
                ) as call:
                    try:
                        with session.get(url, timeout=self._timeouts(), stream=True) as response:
                            code = response.status_code
                            body = self._read_robots_body(response) if code < 400 else b""
                    except AddressRefused:
                        raise
                    except Exception as error:
                        # an unreachable host: the page request will report its own error
                        note = _short(error)
                        if call.expired:
                            note = f"robots.txt took longer than {self.deadline:g} s; stopped"
                        return {**base, "mode": "allow_all", "cacheable": False, "note": note}
            finally:
                self._finished(url, lock)
            if code >= 500 or code == 429:
                if attempt <= self.retries:
                    self._sleep(self.backoff(attempt))
                    continue
                note = f"robots.txt answered HTTP {code}: the site forbids crawling"
                return {**base, "mode": "disallow_all", "note": note}
            if code >= 400:
                return {**base, "mode": "allow_all"}
            return {**base, "mode": "rules", "text": (body or b"").decode("utf-8", "replace")}
        return {**base, "mode": "allow_all", "cacheable": False}

    def _read_robots_body(self, response: requests.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while size < 500_000:
            chunk = response.raw.read1(65536, decode_content=True)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)[:500_000]

    def _late(self) -> str:
        return f"request took longer than {self.deadline:g} s (connect, headers and body); stopped"

    def _timeouts(self) -> tuple[float, float]:
        return (min(self.connect_timeout, self.deadline), self.read_timeout)

    def allowed(
        self, url: str, session: requests.Session, *, refuse_internal: str | None = None
    ) -> tuple[bool, str]:
        """Whether robots.txt lets this fetcher's User-Agent fetch ``url``."""
        if not self.respect_robots:
            return True, ""
        host = self.host(host_key(url))
        with host.robots_lock:
            if host.robots is None:
                self._load_robots(host, session, refuse_internal=refuse_internal)
        assert host.robots is not None
        if host.robots.can_fetch(self.agent_token, url):
            return True, ""
        return False, host.robots_note or f"robots.txt of {host.key} disallows this path"

    # -- one attempt, redirects followed by hand -------------------------------------------
    def attempt(
        self,
        url: str,
        session: requests.Session,
        *,
        referrer: tuple[str, str | None] | None = None,
    ) -> Response:
        """Fetch ``url`` once (following redirects); the caller decides on retries.

        ``referrer`` is the URL (and the address connected) of the page that listed
        ``url``, e.g. a sitemap: like a redirect, it may not lead from a public host into
        the local network. URLs without one are fetched as given.
        """
        current = url
        seen = {canonical_url(url)}
        previous = referrer
        for hop in range(MAX_REDIRECTS + 1):
            reason = invalid_url_reason(current)
            if reason is not None:
                return Response(url, "invalid_url", final_url=current, reason=reason)
            refuse = _refusal(previous, current)
            try:
                ok, note = self.allowed(current, session, refuse_internal=refuse)
            except AddressRefused as error:
                return Response(url, "private_address", final_url=current, reason=str(error))
            if not ok:
                return Response(url, "robots_disallowed", final_url=current, reason=note)
            lock = self._take_slot(self.host(host_key(current)))
            found = None
            try:
                if hop == 0 and self.recheck is not None:
                    found = self.recheck(url)
                if found is None:
                    result, location = self._request(url, current, session, refuse)
            finally:
                self._finished(current, lock, sent=found is None)
            if found is not None:
                return found
            if location is None:
                return result
            try:
                nxt = urljoin(current, location)
                key = canonical_url(nxt)
            except ValueError as error:  # e.g. "http://[::1" in Location
                return Response(
                    url,
                    "invalid_url",
                    http_status=result.http_status,
                    final_url=current,
                    reason=f"redirect to an unusable Location {location!r:.200} ({error})",
                )
            if key in seen:
                return Response(
                    url,
                    "redirect_loop",
                    http_status=result.http_status,
                    final_url=nxt,
                    reason=f"redirected back to {strip_credentials(nxt)}",
                )
            seen.add(key)
            previous = (current, result.address)
            current = nxt
        return Response(
            url, "redirect_loop", final_url=current, reason=f"more than {MAX_REDIRECTS} redirects"
        )

    def _request(
        self, url: str, current: str, session: requests.Session, refuse: str | None = None
    ) -> tuple[Response, str | None]:
        with guarded(
            self._watchdog, seconds=self.deadline, resolver=self.resolver, refuse_internal=refuse
        ) as call:
            out, location = self._guarded_request(url, current, session)
            out.address = call.address
            if self.stop_event.is_set() and out.status != "ok":
                raise _Stopped  # interrupted by the stop, not the server's failure
            if call.expired and out.status != "ok":
                out.status, out.retriable, location = "timeout", True, None
                out.reason = self._late()
            return out, location

    def _guarded_request(
        self, url: str, current: str, session: requests.Session
    ) -> tuple[Response, str | None]:
        started = time.monotonic()
        out = Response(url, "ok", final_url=current, fetched_at=utc_now_iso())
        try:
            with session.get(
                current, timeout=self._timeouts(), stream=True, allow_redirects=False
            ) as response:
                out.http_status = response.status_code
                out.content_type = response.headers.get("Content-Type")
                if response.is_redirect and response.headers.get("Location"):
                    return out, response.headers["Location"]
                if response.status_code >= 400:
                    out.status = "http_error"
                    out.reason = f"HTTP {response.status_code} {response.reason or ''}".strip()
                    out.retriable = response.status_code in RETRIABLE_HTTP
                    out.retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    return out, None
                if not self.accept(out.content_type):
                    out.status = "not_html"
                    out.reason = f"Content-Type {out.content_type!r}"
                    return out, None
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    out.status = "too_large"
                    out.bytes = int(declared)
                    out.reason = f"Content-Length {declared} > max_bytes={self.max_bytes}"
                    return out, None
                self._read_body(response, out, started)
                if out.content is not None and self.check_body is not None:
                    refused = self.check_body(out.content)
                    if refused is not None:
                        out.status, out.content = "not_html", None
                        out.reason = f"{refused}, served as {out.content_type!r}"
                return out, None
        except AddressRefused as error:
            out.status, out.reason = "private_address", str(error)
        except requests.exceptions.Timeout as error:
            out.status, out.retriable, out.reason = "timeout", True, _short(error)
        except requests.exceptions.TooManyRedirects as error:
            out.status, out.reason = "redirect_loop", _short(error)
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.InvalidSchema,
            requests.exceptions.MissingSchema,
        ) as error:
            out.status, out.reason = "invalid_url", _short(error)
        except requests.exceptions.RequestException as error:
            inner = error.args[0] if error.args else None
            if "timed out" in str(error).lower() or type(inner).__name__ == "ReadTimeoutError":
                out.status = "timeout"
            else:
                out.status = "connection_error"
            out.retriable, out.reason = True, _short(error)
        except (ValueError, UnicodeError) as error:  # e.g. urllib3's LocationParseError
            out.status, out.reason = "invalid_url", f"{type(error).__name__}: {_short(error)}"
        except _Stopped:
            raise
        except Exception as error:  # one odd URL must not stop a collection
            out.status, out.reason = "connection_error", f"{type(error).__name__}: {_short(error)}"
        return out, None

    def _read_body(self, response: requests.Response, out: Response, started: float) -> None:
        """Stream the body into ``out``; stop at ``max_bytes`` or the overall deadline.

        ``read1`` returns whatever bytes have arrived, so a server trickling a byte at a
        time (never idle long enough for the read timeout) still meets the deadline.
        """
        import urllib3

        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                chunk = response.raw.read1(65536, decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > self.max_bytes:
                    out.status, out.bytes = "too_large", size
                    out.reason = f"body larger than max_bytes={self.max_bytes}; stopped"
                    return
                if time.monotonic() - started > self.deadline:
                    out.status, out.retriable, out.bytes = "timeout", True, size
                    out.reason = self._late()
                    return
                if self.stop_event.is_set():
                    raise _Stopped
        except urllib3.exceptions.ReadTimeoutError as error:
            out.status, out.retriable, out.reason, out.bytes = "timeout", True, _short(error), size
            return
        except (urllib3.exceptions.HTTPError, OSError) as error:
            out.status, out.retriable, out.reason = "connection_error", True, _short(error)
            out.bytes = size
            return
        if self.stop_event.is_set():
            raise _Stopped
        out.content = b"".join(chunks)
        out.bytes = size

    # -- all attempts of one URL ---------------------------------------------------------
    def _retry_delay(self, result: Response, attempt: int) -> float | None:
        """Seconds before the next attempt, or None when the URL is done."""
        if not result.retriable or attempt > self.retries:
            return None
        if result.retry_after is not None:
            if result.retry_after > self.max_wait:
                result.reason += (
                    f"; Retry-After asks for {result.retry_after:.0f} s, more than "
                    f"max_wait={self.max_wait:g} s"
                )
                return None
            return result.retry_after
        return self.backoff(attempt)

    def fetch(
        self,
        url: str,
        session: requests.Session,
        *,
        referrer: tuple[str, str | None] | None = None,
    ) -> Response:
        """Fetch ``url`` with retries, in the calling thread (``referrer``: see :meth:`attempt`)."""
        attempt = 0
        while True:
            attempt += 1
            result = self.attempt(url, session, referrer=referrer)
            result.attempts = attempt
            delay = self._retry_delay(result, attempt)
            if delay is None:
                return result
            host = self.host(host_key(url))
            with host.lock:
                host.ready_at = max(host.ready_at, time.monotonic() + delay)
            self._sleep(delay)

    # -- many URLs, concurrently across hosts -------------------------------------------
    def run(
        self,
        items: Iterable[tuple[int, str]],
        on_result: Callable[[int, Response], None],
        *,
        max_workers: int = 8,
    ) -> queue.Queue[tuple[int, Response] | BaseException]:
        """Start worker threads fetching ``items`` (index, url); returns the result queue.

        Workers call ``on_result(index, response)`` (in the worker thread, e.g. to write
        the cache) and then put ``(index, response)`` on the returned queue. Call
        :meth:`join` when done, also after an exception or KeyboardInterrupt.
        """
        hosts: dict[str, _Host] = {}
        total = 0
        for index, url in items:
            host = self.host(host_key(url))
            host.pending.append((index, url, 1))
            hosts[host.key] = host
            total += 1
        # idle hosts with work, by the time they may next be asked: (time, seq, host)
        self._seq = itertools.count()
        self._ready = [(h.earliest(), next(self._seq), h) for h in hosts.values()]
        heapq.heapify(self._ready)
        self._remaining = total
        self._cond = threading.Condition()
        results: queue.Queue[tuple[int, Response] | BaseException] = queue.Queue()
        n = max(1, min(int(max_workers), len(hosts)))
        self._threads = [
            threading.Thread(
                target=self._worker,
                args=(on_result, results),
                name=f"mediakit-fetch-{i}",
                daemon=True,
            )
            for i in range(n if total else 0)
        ]
        for thread in self._threads:
            thread.start()
        return results

    def _next_item(self) -> tuple[_Host, tuple[int, str, int]] | None:
        with self._cond:
            while True:
                if self.stop_event.is_set() or self._remaining <= 0:
                    return None
                if not self._ready:  # every host with work is busy
                    self._cond.wait(0.5)
                    continue
                _, _, host = self._ready[0]
                wait = host.earliest() - time.monotonic()
                if wait > 0.005:
                    self._cond.wait(min(wait, 0.5))
                    continue
                heapq.heappop(self._ready)
                host.busy = True
                return host, host.pending.popleft()

    def _release(self, host: _Host, requeue: tuple[int, str, int] | None, *, done: bool) -> None:
        with self._cond:
            host.busy = False
            if requeue is not None:
                host.pending.appendleft(requeue)
            if done:
                self._remaining -= 1
            if host.pending:
                heapq.heappush(self._ready, (host.earliest(), next(self._seq), host))
            self._cond.notify_all()

    def _worker(
        self,
        on_result: Callable[[int, Response], None],
        results: queue.Queue[tuple[int, Response] | BaseException],
    ) -> None:
        session = self.session()
        try:
            while True:
                picked = self._next_item()
                if picked is None:
                    return
                host, (index, url, attempt) = picked
                done = False
                requeue: tuple[int, str, int] | None = None
                try:
                    try:
                        result = self.attempt(url, session)
                    except (_Stopped, KeyboardInterrupt, SystemExit, MemoryError):
                        raise
                    except Exception as error:  # one page's odd failure is its report row
                        status = (
                            "invalid_url" if isinstance(error, ValueError) else "connection_error"
                        )
                        reason = f"{type(error).__name__}: {_short(error)}"
                        result = Response(url, status, final_url=url, reason=reason)
                    result.attempts = attempt
                    delay = self._retry_delay(result, attempt)
                    if delay is None:
                        on_result(index, result)
                        results.put((index, result))
                        done = True
                    else:
                        with host.lock:
                            host.ready_at = max(host.ready_at, time.monotonic() + delay)
                        requeue = (index, url, attempt + 1)
                except _Stopped:
                    return
                except BaseException as error:  # surfaced in the main thread
                    results.put(error)
                    self.stop_event.set()
                    return
                finally:
                    self._release(host, requeue, done=done)
        finally:
            session.close()

    def running(self) -> bool:
        """Whether any worker thread started by :meth:`run` is still alive."""
        return any(thread.is_alive() for thread in getattr(self, "_threads", []))

    def join(self, timeout: float | None = 10.0) -> None:
        """Stop the workers (if still running) and wait for every thread to end.

        Requests under way are interrupted (their sockets shut down), so this returns at
        once unless a thread is stuck where no socket can wake it (a DNS lookup); such a
        daemon thread is left behind after ``timeout`` seconds rather than waited for.
        """
        self.stop_event.set()
        self._watchdog.interrupt_all()
        cond = getattr(self, "_cond", None)
        if cond is not None:
            with cond:
                cond.notify_all()
        end = None if timeout is None else time.monotonic() + timeout
        for thread in getattr(self, "_threads", []):
            thread.join(None if end is None else max(0.0, end - time.monotonic()))
        self._watchdog.close()

    def close(self) -> None:
        """Stop the deadline thread (after :meth:`fetch` calls; :meth:`join` does it too)."""
        self._watchdog.close()


def _refusal(previous: tuple[str, str | None] | None, current: str) -> str | None:
    """Why a request to ``current`` may not reach the local network (None if it may).

    It may when it is not led there from a public host: the user's own URLs, hops
    from a local host, and a host already reached at a local address (an intranet site
    redirecting within itself).
    """
    if previous is None:
        return None
    url, address = previous
    host = urlsplit(url).hostname
    if not host_looks_public(host):
        return None
    if address is not None and address_kind(address) and urlsplit(current).hostname == host:
        return None
    return f"a move from the public host {host}"


def _short(error: BaseException) -> str:
    text = str(error)
    return text if len(text) <= 300 else text[:297] + "..."
