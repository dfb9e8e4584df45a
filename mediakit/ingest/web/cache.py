"""An on-disk cache of raw web responses, safe to interrupt at any point.

Each URL has two files under ``<cache_dir>/pages/<2 hex>/``: ``<key>.html.gz`` (the
body exactly as the server sent it, gzip-compressed) and ``<key>.json`` (the fetch
metadata: status, HTTP status, final URL, size, time, attempts). Both are written to a
temporary file first and moved into place with :func:`os.replace`, body before
metadata, so the metadata file is the commit mark: an entry exists only once both
files are complete. A process killed half-way leaves at most a temporary file, which
is ignored and later removed. (Files are not fsync'ed: a power cut may lose the last
entries, and an empty body left by one makes its entry count as missing.)

Parsed records are kept too, under ``records/<parser fingerprint>/``, so that a rerun
neither downloads nor parses again; a new version of the parser or of the extraction
libraries has a new fingerprint and parses afresh.

Examples
--------
>>> import tempfile
>>> cache = PageCache(tempfile.mkdtemp())
>>> cache.put({"url": "https://example.org/a", "status": "ok"}, b"<html></html>")
>>> cache.get("https://example.org/a")["status"], cache.body("https://example.org/a")
('ok', b'<html></html>')
>>> cache.get("https://example.org/b") is None
True
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
import zlib
from pathlib import Path
from typing import Any

from mediakit._atomic import write_bytes_atomically

CACHE_VERSION = 1
_STALE_TEMP_SECONDS = 3600.0


def url_key(url: str) -> str:
    """The file name stem of ``url`` in the cache (SHA-256 of the URL, hex)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


class PageCache:
    """Raw responses keyed by URL in ``directory`` (created if missing).

    Parameters
    ----------
    directory : str or Path
        The cache folder. Several runs, and several processes, may share it.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.pages = self.directory / "pages"
        self.pages.mkdir(parents=True, exist_ok=True)
        self._remove_stale_temporaries()

    def _remove_stale_temporaries(self) -> None:
        cutoff = time.time() - _STALE_TEMP_SECONDS
        for tmp in self.pages.glob("*/.*.tmp"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
            except OSError:
                pass

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = url_key(url)
        folder = self.pages / key[:2]
        return folder / f"{key}.json", folder / f"{key}.html.gz"

    def get(self, url: str) -> dict[str, Any] | None:
        """The metadata stored for ``url``, or None when it was never (completely) fetched."""
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("url") != url:
            return None
        if meta.get("has_body"):
            try:
                if body_path.stat().st_size == 0:  # e.g. a power cut before the data hit disk
                    return None
            except OSError:
                return None
        return meta

    def body(self, url: str) -> bytes | None:
        """The raw body stored for ``url`` (None when there is none)."""
        _, body_path = self._paths(url)
        try:
            return gzip.decompress(body_path.read_bytes())
        except (OSError, EOFError, zlib.error):  # missing, torn or corrupted
            return None

    def put(self, meta: dict[str, Any], body: bytes | None = None) -> None:
        """Store ``body`` and ``meta`` (which must hold the ``url`` key) atomically."""
        url = meta["url"]
        meta_path, body_path = self._paths(url)
        record = {**meta, "has_body": body is not None, "cache_version": CACHE_VERSION}
        if body is not None:
            write_bytes_atomically(body_path, gzip.compress(body, compresslevel=6, mtime=0))
        write_bytes_atomically(meta_path, json.dumps(record, sort_keys=True).encode("utf-8"))

    def _record_path(self, url: str, fingerprint: str) -> Path:
        key = url_key(url)
        return self.directory / "records" / fingerprint / key[:2] / f"{key}.json"

    def record(self, url: str, fingerprint: str) -> dict[str, Any] | None:
        """The parsed record of ``url`` made by the parser ``fingerprint`` (None if none)."""
        try:
            record = json.loads(self._record_path(url, fingerprint).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) else None

    def put_record(self, url: str, fingerprint: str, record: dict[str, Any]) -> None:
        """Keep the parsed record of ``url``; a changed parser has another fingerprint."""
        data = json.dumps(record, default=str, sort_keys=True).encode("utf-8")
        write_bytes_atomically(self._record_path(url, fingerprint), data, sync=False)

    def __len__(self) -> int:
        return sum(1 for _ in self.pages.glob("*/*.json"))

    def __repr__(self) -> str:
        return f"PageCache({str(self.directory)!r})"
