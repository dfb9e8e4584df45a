"""Reading input files for load_articles: which files a source names, and their content.

:func:`_resolve` walks folders, globs and lists into files to read and other paths met (a
FIFO, a broken link, an unreadable or empty folder: each gets a report row). Each file is
opened without blocking, read only when regular, gzip-inflated in bounded steps,
ZIP archives of one file opened, identified (:func:`detect_format`) and decoded (:func:`decode_bytes`), saved pages parsed
by :func:`mediakit.parse_html` and tables by :func:`mediakit.ingest.tables.read_table`;
:func:`_map_results` does it for many files, in worker processes if asked.
"""

from __future__ import annotations

import errno
import glob
import gzip
import os
import stat
import sys
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediakit.ingest._decode import decode

#: Largest raw text file, in characters, that is cleaned.
MAX_TEXT_CHARS = 5_000_000
#: Largest size, in bytes, a gzip file may inflate to.
MAX_INFLATED_BYTES = 128 * 2**20
#: Inputs from which a progress bar is shown.
PROGRESS_FROM = 50

_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}


class _Unusable(Exception):
    """An input that gives no article: carries the report status and reason."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


# --------------------------------------------------------------------------------------
# bytes -> text, format
# --------------------------------------------------------------------------------------


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return the text and the encoding used.

    Byte-order marks first, then strict UTF-8; UTF-8 with a few broken bytes (replaced
    by U+FFFD) when the rest is UTF-8; then windows-1252 when it reads as Western text
    (accented letters are a small share of the letters); then charset-normalizer's
    guess (Cyrillic, Greek, Central European, ...); else windows-1252 as browsers read
    it. Saved pages are decoded the same way (:func:`mediakit.ingest.html.decode_html`),
    a declared ``<meta charset>`` first.

    Raises
    ------
    ValueError
        When the bytes are binary (NUL bytes or a known file signature), or no encoding
        fits and most bytes are not ASCII.

    Examples
    --------
    >>> decode_bytes("café “quoted”".encode("cp1252"))
    ('café “quoted”', 'cp1252')
    >>> decode_bytes("Zażółć gęślą jaźń, powiedział minister.".encode("cp1250"))
    ('Zażółć gęślą jaźń, powiedział minister.', 'cp1250 (detected)')
    >>> decode_bytes("\\ufeffcafé".encode("utf-8"))
    ('café', 'utf-8 (byte-order mark)')
    """
    return decode(data)


def _control_share(text: str) -> float:
    sample = text[:20_000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\v") or c == "\ufffd")
    return bad / len(sample)


def detect_format(name: str, data: bytes) -> str:
    """The format of a file from its name (``.gz`` already removed) and first bytes.

    Examples
    --------
    >>> detect_format("page.txt", b"<!DOCTYPE html><html><body>...</body></html>")
    'html'
    >>> detect_format("export", b'{"title": "A"}\\n{"title": "B"}\\n')
    'jsonl'
    >>> detect_format("notes.txt", b"Plain words.")
    'text'
    """
    if data.startswith(b"PAR1"):
        return "parquet"
    ext = Path(name.lower()).suffix
    by_name = _EXTENSIONS.get(ext)
    if by_name in ("csv", "tsv", "json", "jsonl", "parquet", "html"):
        return by_name
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) and b"<html" in (
        data[:65_536].lower()
    ):
        return "html"
    if by_name is None:
        if head.startswith(b"<") and any(t in head for t in (b"<body", b"<div", b"<p>", b"<meta")):
            return "html"
        if head.startswith((b"{", b"[")):
            lines = [ln for ln in data[:65_536].splitlines() if ln.strip()]
            if len(lines) > 1 and all(ln.lstrip().startswith(b"{") for ln in lines[:20]):
                return "jsonl"
            return "json"
    return "text"


# --------------------------------------------------------------------------------------
# one input file -> parsed content (runs in worker processes)
# --------------------------------------------------------------------------------------


def _read_bytes(path: str) -> tuple[bytes, str]:
    """A file's bytes, and the name its format is told by (a ``.gz`` suffix removed; a
    ZIP archive's one member's name).

    The file is opened without blocking (a FIFO would wait for a writer forever) and
    read only when it is a regular file. Gzip data, and a ZIP archive of one file (as
    GDELT and many exports ship), are inflated in steps of 1 MiB and refused past
    :data:`MAX_INFLATED_BYTES`, so a small file that inflates to gigabytes costs no
    more memory than the cap.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise _Unusable("unreadable", f"cannot read the file: {error.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _Unusable("unsupported", f"not a regular file: {_file_kind(mode)}")
        try:
            head = handle.read(4)
            handle.seek(0)
            if path.lower().endswith(".zip") and head == b"PK\x03\x04":
                return _inflate_zip(handle)
            if not (path.lower().endswith(".gz") or head[:2] == b"\x1f\x8b"):
                return handle.read(), path
        except OSError as error:
            raise _Unusable("unreadable", f"cannot read the file: {error.strerror}") from None
        try:
            with gzip.GzipFile(fileobj=handle) as inflating:
                data = _inflate(inflating, "gzip data")
        except (EOFError, OSError, zlib.error) as error:
            raise _Unusable("unreadable", f"broken gzip data: {error}") from None
    return data, path[:-3] if path.lower().endswith(".gz") else path


def _inflate(stream: Any, what: str) -> bytes:
    """Read a decompressing stream in 1 MiB steps, refusing it past the cap."""
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(1 << 20):
        total += len(chunk)
        if total > MAX_INFLATED_BYTES:
            raise _Unusable(
                "unreadable",
                f"too large: the {what} inflate to more than {MAX_INFLATED_BYTES:_} bytes "
                "(the limit); decompress the file first if it is meant to be this large",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _inflate_zip(handle: Any) -> tuple[bytes, str]:
    """The one file of a ZIP archive, and its name; an archive of several is refused."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                names = ", ".join(m.filename for m in members[:3]) + (
                    ", ..." if len(members) > 3 else ""
                )
                raise _Unusable(
                    "unsupported",
                    f"a ZIP archive of {len(members)} files ({names}): extract it and "
                    "load the folder",
                )
            with archive.open(members[0]) as inflating:
                return _inflate(inflating, "ZIP data"), members[0].filename
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, NotImplementedError) as error:
        raise _Unusable("unreadable", f"broken ZIP archive: {error}") from None


def _file_kind(mode: int) -> str:
    """What a path that is no regular file is, in words."""
    for test, what in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return what
    return "a special file"


def _read_file(task: tuple[str, str, str, str | None]) -> dict[str, Any]:
    """Read and parse one file; never raises for bad content."""
    path, requested, engine, url = task
    result: dict[str, Any] = {"path": _shown(path), "format": None}
    try:
        result.update(_read_file_inner(path, requested, engine, url))
    except _Unusable as problem:
        result.update(kind="fail", status=problem.status, reason=problem.reason)
    except MemoryError:
        result.update(kind="fail", status="unreadable", reason="too large to read into memory")
    return result


def _read_file_inner(path: str, requested: str, engine: str, url: str | None) -> dict[str, Any]:
    data, name = _read_bytes(path)
    if not data.strip():
        raise _Unusable("empty", "the file is empty")
    fmt = detect_format(name, data) if requested == "auto" else requested
    out: dict[str, Any] = {"format": fmt}
    if fmt == "html":
        from mediakit.ingest.html import parse_html

        record = parse_html(data, url=url, engine=engine)  # type: ignore[arg-type]
        return {**out, "kind": "html", "record": record}
    if fmt == "parquet":
        from mediakit.ingest.tables import read_table

        try:
            frame, problems = read_table(data, "parquet")
        except Exception as error:
            raise _Unusable("unreadable", f"not a readable Parquet file: {error}") from None
        return {**out, "kind": "table", "frame": frame, "problems": problems, "encoding": None}
    try:
        text, encoding = decode_bytes(data)
    except ValueError as error:
        raise _Unusable("unsupported", str(error)) from None
    if _control_share(text) > 0.02:
        raise _Unusable("unsupported", "binary: the content is not text (control characters)")
    if not text.strip():
        raise _Unusable("empty", "the file holds only whitespace")
    if fmt == "text":
        if len(text) > MAX_TEXT_CHARS:
            raise _Unusable(
                "unreadable",
                f"too large: {len(text):_} characters of text, more than {MAX_TEXT_CHARS:_}",
            )
        return {**out, "kind": "text", "raw": text, "encoding": encoding}
    from mediakit.ingest.tables import read_table

    try:
        frame, problems = read_table(text, fmt)
    except Exception as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise _Unusable("unreadable", f"not a readable {fmt.upper()} table: {reason}") from None
    return {**out, "kind": "table", "frame": frame, "problems": problems, "encoding": encoding}


# --------------------------------------------------------------------------------------
# sources
# --------------------------------------------------------------------------------------


def _is_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


@dataclass
class _Sources:
    """What a ``source`` names: files to read, and paths met that give no file (a FIFO,
    a broken link, an unreadable or empty folder) as (path, status, reason)."""

    files: list[str]
    others: list[tuple[str, str, str]]


def _shown(path: str) -> str:
    """A path as text that can be stored: bytes of a file name that are not UTF-8 are
    written as escapes ("caf\\xe9.txt")."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def _not_a_file(path: str) -> tuple[str, str, str]:
    """The report entry of a path that exists as a name but is no regular file or folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if os.path.islink(path):
            if error.errno == errno.ELOOP:
                return path, "unreadable", "a symbolic link that leads back to itself (a loop)"
            return (
                path,
                "unreadable",
                f"a broken symbolic link: {os.readlink(path)!r} does not exist",
            )
        return path, "unreadable", f"cannot read it: {error.strerror}"
    return path, "unsupported", f"not a regular file: {_file_kind(mode)}"


def _walk(folder: str, sources: _Sources) -> int:
    """Add the files under ``folder`` (and what else it holds) to ``sources``; the count
    of entries met. Hidden entries (names starting with ".") are skipped; linked folders
    are followed once."""
    met = 0
    seen: set[tuple[int, int]] = set()
    pending = [folder]
    while pending:
        directory = pending.pop()
        try:
            info = os.stat(directory)
            if (info.st_dev, info.st_ino) in seen:
                sources.others.append(
                    (directory, "unsupported", "a link to a folder already searched (a loop)")
                )
                met += 1
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            sources.others.append(
                (directory, "unreadable", f"cannot read the folder: {error.strerror}")
            )
            met += 1
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            met += 1
            try:
                kind = "folder" if entry.is_dir() else "file" if entry.is_file() else None
            except OSError:  # a link that leads back to itself
                kind = None
            if kind == "folder":
                pending.append(entry.path)
            elif kind == "file":
                sources.files.append(entry.path)
            else:
                sources.others.append(_not_a_file(entry.path))
    return met


def _resolve(source: object, exclude: set[Path]) -> _Sources:
    """The files a source names, as path strings, sorted and without repeats, and the
    other paths met."""
    items: Iterable[object]
    if isinstance(source, str | os.PathLike):
        items = [source]
    elif isinstance(source, Iterable) and not isinstance(source, bytes | Mapping):
        items = list(source)
    else:
        raise TypeError(
            "load_articles: 'source' must be a path, a glob pattern, a folder, a list of "
            f"these, or a DataFrame; got {type(source).__name__}. Pass for example "
            "'articles/' or ['a.txt', 'b.html']."
        )
    found = _Sources([], [])
    if not items:
        found.others.append(("<empty list>", "empty", "'source' is an empty list: no file to load"))
    for item in items:
        if not isinstance(item, str | os.PathLike):
            raise TypeError(
                f"load_articles: every entry of 'source' must be a path; got "
                f"{type(item).__name__} ({item!r}). Pass file or folder names as str or Path."
            )
        text = os.fspath(item)
        if text.startswith(("http://", "https://")):
            raise ValueError(
                f"load_articles: 'source' got a URL ({text!r}); load_articles reads local "
                "files only. Download pages with mediakit.fetch_articles(urls, ...) first."
            )
        if os.path.isdir(text):
            if _walk(text, found) == 0:
                found.others.append(
                    (
                        text,
                        "empty",
                        "the folder holds no files (names starting with '.' are skipped)",
                    )
                )
        elif os.path.isfile(text):
            found.files.append(text)
        elif os.path.lexists(text):
            found.others.append(_not_a_file(text))
        elif _is_glob(text):
            matches = sorted(glob.glob(text, recursive=True))
            files = [p for p in matches if os.path.isfile(p)]
            others = [_not_a_file(p) for p in matches if not os.path.isdir(p) and p not in files]
            found.files.extend(files)
            found.others.extend(others)
            if not files and not others:
                raise FileNotFoundError(
                    f"load_articles: the pattern {text!r} in 'source' matches no file. "
                    "Check the folder and the pattern (use '**' to search sub-folders)."
                )
        else:
            raise FileNotFoundError(
                f"load_articles: {text!r} in 'source' does not exist. Check the path "
                f"(relative paths start from {os.getcwd()!r})."
            )
    kept = {p: None for p in found.files if Path(p).resolve() not in exclude}
    odd = {p: (p, status, reason) for p, status, reason in found.others if p not in kept}
    return _Sources(sorted(kept), [odd[p] for p in sorted(odd)])


def _is_page_name(path: str) -> bool:
    name = path.lower().removesuffix(".gz")
    return Path(name).suffix in (".html", ".htm", ".xhtml", ".shtml")


def _map_results(
    tasks: list[tuple[str, str, str, str | None]], n_jobs: int, progress: bool
) -> list[dict[str, Any]]:
    """Read every file, in task order. With ``n_jobs`` > 1, saved pages (whose parsing
    is the costly step) go to worker processes; other files are read here, where
    sending their content back from a worker would cost more than reading it."""
    bar: Any = None
    if progress and len(tasks) > PROGRESS_FROM:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(tasks), desc="Reading", unit="file")
    results: dict[int, dict[str, Any]] = {}
    pooled = (
        [
            i
            for i, task in enumerate(tasks)
            if task[1] in ("auto", "html") and _is_page_name(task[0])
        ]
        if n_jobs > 1
        else []
    )
    try:
        if len(pooled) > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            method = "fork" if sys.platform == "linux" else "spawn"
            workers = min(n_jobs, len(pooled))
            chunk = max(1, min(8, len(pooled) // (workers * 4)))
            with ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context(method)
            ) as pool:
                pages = pool.map(_read_file, [tasks[i] for i in pooled], chunksize=chunk)
                for i, result in zip(pooled, pages, strict=True):
                    results[i] = result
                    if bar is not None:
                        bar.update()
        for i, task in enumerate(tasks):
            if i not in results:
                results[i] = _read_file(task)
                if bar is not None:
                    bar.update()
    finally:
        if bar is not None:
            bar.close()
    return [results[i] for i in range(len(tasks))]
