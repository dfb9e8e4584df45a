"""Connections of the polite fetcher: one deadline per request, and where a request may go.

``requests`` bounds each socket operation (connect, one read), not a request: a server
that sends a header byte every second is never idle long enough for the read timeout.
Each request therefore runs inside :func:`guarded`, which registers its connections with
a :class:`Watchdog` thread; once the request's deadline passes, the watchdog shuts the
socket down, which wakes the blocked read at once, whatever phase it is in (connect,
headers, body). The same shutdown frees a worker stuck on a slow server when the run is
stopped (Ctrl-C).

The connection classes also resolve host names through an injectable resolver and check
the address actually connected (not only the URL), so that a redirect or a sitemap entry
cannot lead from a public site into the local network, also through a public-looking name
whose DNS answer points there.

Examples
--------
>>> address_kind("127.0.0.1"), address_kind("10.1.2.3"), address_kind("93.184.216.34")
('loopback', 'private', None)
>>> host_looks_public("news.example.org"), host_looks_public("127.0.0.1")
(True, False)
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import requests
import urllib3
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

#: ``resolver(host, port)`` -> the IP addresses of ``host``, first preferred.
Resolver = Callable[[str, int], Sequence[str]]

_LOCAL = threading.local()
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet")


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses of ``host`` from the system resolver (``socket.getaddrinfo``)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def address_kind(address: str) -> str | None:
    """What kind of non-public address ``address`` is (None for a public one).

    Examples
    --------
    >>> [address_kind(a) for a in ("169.254.169.254", "::1", "::ffff:192.168.0.1", "1.1.1.1")]
    ['link-local', 'loopback', 'private', None]
    """
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "unparsable"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "unspecified", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "non-public"


def host_looks_public(host: str | None) -> bool:
    """Whether a URL's host names a public site: a dotted name outside the local
    suffixes (``.local``, ``.internal``, ...), or a public IP address."""
    host = (host or "").strip("[]").lower().rstrip(".")
    if not host:
        return False
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return "." in host and host != "localhost" and not host.endswith(_LOCAL_SUFFIXES)
    return address_kind(host) is None


class AddressRefused(Exception):  # not an OSError: urllib3 and requests let it through
    """A connection was refused by the address policy of the request."""


class Call:
    """One HTTP request under way: its deadline, its address policy, its connections."""

    def __init__(self, seconds: float, resolver: Resolver, refuse_internal: str | None) -> None:
        self.deadline = time.monotonic() + seconds
        self.resolver = resolver
        self.refuse_internal = refuse_internal  # why internal addresses are refused, if they are
        self.connections: list[Any] = []
        self.expired = False
        self.address: str | None = None  # the address connected

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check(self, host: str, address: str) -> None:
        """Refuse ``address`` (of ``host``) when the policy keeps requests out of the local network."""
        kind = address_kind(address)
        if self.refuse_internal and kind is not None:
            raise AddressRefused(
                f"{self.refuse_internal} to {host}, which is at {address} (a {kind} address), "
                "is refused; give this URL directly to fetch it"
            )

    def interrupt(self) -> None:
        """Shut the sockets down: a read blocked on them returns at once."""
        self.expired = True
        for connection in list(self.connections):
            sock = getattr(connection, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Watchdog:
    """A thread that interrupts every request still running past its deadline."""

    def __init__(self, name: str = "mediakit-fetch-watchdog") -> None:
        self.name = name
        self._calls: set[Call] = set()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def watch(self, call: Call) -> None:
        with self._cond:
            self._calls.add(call)
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def unwatch(self, call: Call) -> None:
        with self._cond:
            self._calls.discard(call)

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                late = [call for call in self._calls if call.deadline <= now]
                for call in late:  # again every 0.1 s: a socket may still have been connecting
                    call.interrupt()
                waits = [call.deadline - now for call in self._calls if call.deadline > now]
                self._cond.wait(0.1 if late else min(waits, default=1.0))

    def interrupt_all(self) -> None:
        """Interrupt every request now (the run is being stopped)."""
        with self._cond:
            for call in self._calls:
                call.deadline = min(call.deadline, time.monotonic())
            self._cond.notify_all()

    def close(self) -> None:
        """Interrupt what is left and end the thread."""
        with self._cond:
            self._closed = True
            for call in self._calls:
                call.interrupt()
            self._cond.notify_all()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(5)
        with self._cond:  # a later request starts a new thread
            self._closed = False


@contextlib.contextmanager
def guarded(
    watchdog: Watchdog,
    *,
    seconds: float,
    resolver: Resolver | None = None,
    refuse_internal: str | None = None,
) -> Iterator[Call]:
    """Run the requests of this thread inside the block under one deadline and policy."""
    call = Call(seconds, resolver or system_resolver, refuse_internal)
    _LOCAL.call = call
    watchdog.watch(call)
    try:
        yield call
    finally:
        watchdog.unwatch(call)
        _LOCAL.call = None


def _current() -> Call | None:
    return getattr(_LOCAL, "call", None)


class _GuardedConnection:
    """Mixed into urllib3's connections: resolve, check and register with the call."""

    host: str
    port: int
    sock: Any
    timeout: Any
    _dns_host: str

    def _new_conn(self) -> socket.socket:
        call = _current()
        if call is None:
            return super()._new_conn()  # type: ignore[misc]
        call.connections.append(self)
        original = self._dns_host
        name = original.strip("[]")
        try:
            ipaddress.ip_address(name.split("%")[0])
            addresses: Sequence[str] = [name]
        except ValueError:
            try:
                addresses = call.resolver(name, self.port)
            except OSError as error:
                raise urllib3.exceptions.NameResolutionError(self.host, self, error) from error  # type: ignore[arg-type]
        if not addresses:
            empty = socket.gaierror(f"no address for {name!r}")
            raise urllib3.exceptions.NameResolutionError(self.host, self, empty)  # type: ignore[arg-type]
        if isinstance(self.timeout, int | float):
            self.timeout = max(0.001, min(float(self.timeout), call.remaining()))
        last: Exception | None = None
        for address in addresses:
            call.check(self.host, address)
            self._dns_host = address
            try:
                sock = super()._new_conn()  # type: ignore[misc]
            except urllib3.exceptions.NewConnectionError as error:
                last = error
                continue
            finally:
                self._dns_host = original
            return self._checked(call, sock)
        assert last is not None
        raise last

    def _checked(self, call: Call, sock: socket.socket) -> socket.socket:
        try:
            address = str(sock.getpeername()[0])
            call.check(self.host, address)
        except BaseException:
            sock.close()
            raise
        call.address = address
        return sock

    def request(self, *args: Any, **kwargs: Any) -> Any:
        call = _current()
        if call is not None and self.sock is not None:  # a kept-alive connection
            if self not in call.connections:
                call.connections.append(self)
            self._checked(call, self.sock)
        return super().request(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_GuardedConnection, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_GuardedConnection, urllib3.connection.HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class GuardedAdapter(requests.adapters.HTTPAdapter):
    """A requests adapter whose connections obey :func:`guarded` (mount it for http and https).

    Requests through a proxy (``HTTP_PROXY``...) connect to the proxy: their deadline and
    address checks are those of ``requests`` alone.
    """

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
