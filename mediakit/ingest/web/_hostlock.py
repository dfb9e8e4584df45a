"""A lock per host in the cache folder: processes sharing a cache share its rate limits.

Before each request to a host, the fetcher takes the host's lock file
(``<cache>/hosts/<hash>.lock``, an exclusive ``flock``), waits until the interval since
the end of the last request to that host (by any process) has passed, sends the request
and, once it is finished, writes the time it ended into the file and lets go. Requests to
one host are therefore sent one at a time and spaced by the longest interval any of the
processes keeps (its rate limit or the site's ``Crawl-delay``). The operating system
releases the lock of a process that dies, so a killed process never blocks the others.

Where ``fcntl`` is missing (Windows), each process keeps its own limits.

Examples
--------
>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> lock = HostLock(folder, "https://example.org:443")
>>> lock.acquire(lambda seconds: None)
(0.0, 0.0)
>>> lock.release(finished=1000.0, interval=2.0)
>>> again = HostLock(folder, "https://example.org:443")
>>> again.acquire(lambda seconds: None)
(1000.0, 2.0)
>>> again.release(finished=None, interval=2.0)
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class HostLock:
    """One hold of the lock file of host ``key`` under ``directory`` (see the module
    docstring): make one per request, as threads of one process exclude each other too."""

    def __init__(self, directory: str | os.PathLike[str], key: str) -> None:
        name = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
        self.path = Path(directory) / "hosts" / f"{name}.lock"
        self._handle: IO[str] | None = None

    def acquire(self, sleep: Callable[[float], None]) -> tuple[float, float]:
        """Wait for the lock (``sleep`` between tries, and may raise to give up).

        Returns the wall-clock time the last request to the host ended (0 when none
        is known) and the interval the process that sent it kept.
        """
        if fcntl is None:
            return 0.0, 0.0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    sleep(0.02)
            handle.seek(0)
            try:
                state = json.loads(handle.read() or "{}")
                last, interval = float(state["finished"]), float(state["interval"])
            except (ValueError, KeyError, TypeError):
                last, interval = 0.0, 0.0
        except BaseException:
            handle.close()
            raise
        self._handle = handle
        return last, interval

    def release(self, *, finished: float | None, interval: float) -> None:
        """Record when the request ended (None: no request was sent) and let go."""
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            if finished is not None:
                handle.seek(0)
                handle.truncate()
                handle.write(json.dumps({"finished": finished, "interval": interval}))
                handle.flush()
        finally:
            handle.close()  # closing the file releases the lock
