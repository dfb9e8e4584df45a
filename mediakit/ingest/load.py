"""load_articles: files, folders, globs and tables -> one article frame (+ a report).

Each input file is read, decompressed (``.gz``), identified by its extension and content
(text, HTML, CSV, TSV, JSON, JSON Lines, Parquet) and decoded (UTF-8 with or without
byte-order mark, windows-1252, or the encoding charset-normalizer detects; saved pages the
same way, their declared charset first). Reading is in :mod:`mediakit.ingest._files`.
Raw text goes through :func:`mediakit.clean_texts` with all texts of an outlet together
(lines that recur across an outlet's articles are furniture), saved pages through
:func:`mediakit.parse_html`, tables through :mod:`mediakit.ingest.tables`. Dates from
tables and sidecar metadata go through
:func:`mediakit.ingest.dates.normalize_published`; impossible ones become NaT with the
reason in the report. Duplicates are marked (or dropped) by
:func:`mediakit.ingest.dedup.find_duplicates`.

The report has one row per input (see :mod:`mediakit.ingest.report`): nothing is
dropped without a trace.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

import pandas as pd

from mediakit._compute import map_batches
from mediakit.ingest._files import (
    MAX_INFLATED_BYTES,
    MAX_TEXT_CHARS,
    PROGRESS_FROM,
    _map_results,
    _resolve,
    _shown,
    decode_bytes,
    detect_format,
)
from mediakit.ingest._files import (
    _read_file as _read_file,  # read by mediakit.scale
)
from mediakit.ingest._metadata import _check_columns, _match_metadata, _read_metadata
from mediakit.ingest._values import _hash_id, _joined, _string_or_none, canonical_url
from mediakit.ingest.report import ReportRow, make_report, row_range
from mediakit.schema import ARTICLE_COLUMNS, as_articles, empty_articles, validate_articles

__all__ = [
    "load_articles",
    "decode_bytes",
    "detect_format",
    "canonical_url",
    "MAX_INFLATED_BYTES",
    "MAX_TEXT_CHARS",
    "PROGRESS_FROM",
]


Format: TypeAlias = Literal["auto", "text", "html", "csv", "tsv", "json", "jsonl", "parquet"]
FORMATS: tuple[str, ...] = ("auto", "text", "html", "csv", "tsv", "json", "jsonl", "parquet")
Source: TypeAlias = "str | os.PathLike[str] | pd.DataFrame | Sequence[str | os.PathLike[str]]"
OutletArg: TypeAlias = "str | Callable[[Path], str | None] | None"

_LETTER = re.compile(r"[^\W\d_]")
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


# --------------------------------------------------------------------------------------
# assembly
# --------------------------------------------------------------------------------------


@dataclass
class _Piece:
    """Article rows from one input, with its report rows."""

    frame: pd.DataFrame
    main: ReportRow
    extra: list[ReportRow]
    notes: list[str]
    table: bool = False


def _text_pieces(
    results: list[dict[str, Any]],
    outlets: list[str | None],
    titles: list[str | None],
    extractor: str,
    n_jobs: int = 1,
    clean: bool = True,
) -> list[_Piece]:
    from mediakit.ingest.text import clean_texts

    if clean:
        records = clean_texts(
            [r["raw"] for r in results], outlets=outlets, titles=titles, n_jobs=n_jobs
        )
    else:  # the file's content is the text, paragraphs as they are
        records = [
            {"text": r["raw"].strip() or None, "title": title, "lines_removed": 0}
            for r, title in zip(results, titles, strict=True)
        ]
    pieces = []
    for result, record in zip(results, records, strict=True):
        note = [] if result["encoding"] in ("utf-8", None) else [f"decoded as {result['encoding']}"]
        removed = int(record.get("lines_removed", len(record.get("removed", []))))
        main = ReportRow(result["path"], "loaded", "text", lines_removed=removed)
        text = record.get("text") or None
        if text is None:
            main.status, main.reason = "no_text", "no article body found in the text"
            pieces.append(_Piece(pd.DataFrame(), main, [], note))
            continue
        main.rows = 1
        frame = pd.DataFrame(
            {
                "title": [record.get("title")],
                "description": [record.get("description")],
                "text": [text],
                "extractor": [extractor],
            }
        )
        pieces.append(_Piece(frame, main, [], note))
    return pieces


def _html_piece(result: dict[str, Any]) -> _Piece:
    record = result["record"]
    status = record.get("status")
    main = ReportRow(result["path"], "loaded", "html")
    if status != "ok":
        reason = str(record.get("reason") or status)
        if reason.startswith("empty"):
            main.status = "empty"
        elif reason.startswith("binary"):
            main.status = "unsupported"
        elif status == "no_text":
            main.status = "no_text"
        else:
            main.status = "unreadable"
        main.reason = reason
        return _Piece(pd.DataFrame(), main, [], [])
    main.rows = 1
    keys = ("title", "description", "text", "authors", "language", "url", "outlet", "extractor")
    frame = pd.DataFrame({k: [record.get(k)] for k in keys})
    frame["published"] = pd.Series([record.get("published")], dtype=object)
    frame["date_source"] = record.get("date_source") or "missing"
    return _Piece(frame, main, [], [])


def _table_piece(
    result: dict[str, Any],
    columns: Mapping[str, str] | None,
    now: pd.Timestamp,
    n_jobs: int = 1,
    clean: bool = True,
    dayfirst: bool | None = None,
) -> _Piece:
    from mediakit.ingest.dates import normalize_published
    from mediakit.ingest.tables import language_code, standardize_columns
    from mediakit.ingest.text import RULES_VERSION, clean_texts

    path, fmt = result["path"], result["format"]
    raw = result["frame"]
    main = ReportRow(path, "loaded", fmt)
    extra = [
        ReportRow(path, status[0] if status else "unreadable", fmt, part=part, reason=reason)
        for part, reason, *status in result["problems"]
    ]
    notes: list[str] = []
    if result.get("encoding") not in ("utf-8", None):
        notes.append(f"decoded as {result['encoding']}")
    rows = raw.pop("__row")
    frame, kind = standardize_columns(raw, columns=columns)
    frame["__row"] = rows.to_numpy()
    if fmt == "frame" and "article_id" in frame:
        source_name = dict(zip(frame.columns, raw.columns, strict=False))["article_id"]
        _check_unique_ids(frame["article_id"], source_name)
    if frame.empty:
        main.status, main.reason = "empty", "the table has no rows"
        return _Piece(pd.DataFrame(), main, extra, notes)
    label = {"media_cloud": "Media Cloud", "gdelt": "GDELT"}.get(kind, "table")
    extractor = f"{label} {fmt}"
    if "text" in frame and not clean:
        frame["text"] = frame["text"].map(_string_or_none)
    elif "text" in frame:
        texts = frame["text"].map(_string_or_none)
        has_text = texts.notna()
        outlets = frame["outlet"].map(_string_or_none) if "outlet" in frame else None
        title_given = "title" in frame
        titles = frame["title"].map(_string_or_none) if title_given else None
        records = clean_texts(
            texts.tolist(),
            outlets=None if outlets is None else outlets.tolist(),
            titles=None if titles is None else titles.tolist(),
            n_jobs=n_jobs,
        )
        # a table's text is the researcher's data: where the cleaner finds no article body
        # in it (a short or already clean text), the text is kept as given
        cleaned = pd.Series([r.get("text") or None for r in records], index=frame.index)
        frame["text"] = cleaned.where(cleaned.notna(), texts)
        if not title_given:
            frame["title"] = [r.get("title") for r in records]
        cleaned_description = pd.Series([r.get("description") for r in records], index=frame.index)
        if "description" in frame:
            frame["description"] = frame["description"].where(
                frame["description"].notna(), cleaned_description
            )
        else:
            frame["description"] = cleaned_description
        main.lines_removed = int(sum(int(r.get("lines_removed", 0)) for r in records))
        extractor += f" + mediakit.clean_text {RULES_VERSION}"
        kept = has_text & cleaned.isna()
        if kept.any():
            notes.append(f"{int(kept.sum())} text(s) kept as given: no article body found")
    frame["extractor"] = extractor
    if "published" in frame:
        published, reasons, decided = normalize_published(
            frame["published"], now=now, dayfirst=dayfirst, return_notes=True
        )
        notes.extend(f"published: {reason} ({count:,} values)" for reason, count in decided.items())
        refused = reasons.notna() & (reasons != "missing")
        for row, reason in zip(frame.loc[refused, "__row"], reasons[refused], strict=True):
            notes.append(f"row {row}: published {reason}")
        frame["published"] = published
        frame["date_source"] = "table"
    if "language" in frame:
        frame["language"] = frame["language"].map(language_code)
    if "text" not in frame or frame["text"].isna().all():
        main.status = "no_text"
        main.reason = "no row has a text" if "text" in frame else _no_text_column(raw, kind)
    return _Piece(frame, main, extra, notes, table=True)


def _no_text_column(raw: pd.DataFrame, kind: str) -> str:
    """Why a table gave no text, and what to do."""
    if "gdelt_file" in raw:  # a raw GDELT file: pages named, their text to be fetched
        records = int(raw["gdelt_records"].sum())
        return (
            f"no text: a {raw['gdelt_file'].iloc[0]} file names pages, not their text "
            f"({records:,} records, {len(raw):,} distinct source URLs); fetch the pages "
            "with mediakit.fetch_articles(articles['url'])"
        )
    if kind in ("media_cloud", "gdelt"):
        label = {"media_cloud": "Media Cloud", "gdelt": "GDELT"}[kind]
        return (
            f"no text column: {label} article lists carry no text; fetch the pages with "
            "mediakit.fetch_articles(articles['url'])"
        )
    names = [str(c) for c in raw.columns]
    shown = ", ".join(names[:12]) + (f", ... ({len(names)} in all)" if len(names) > 12 else "")
    return (
        f"no text column: none of the columns ({shown}) is named like a text column "
        "(text, body, content, article, ...); name yours with "
        "columns={'<column>': 'text'}"
    )


def _check_unique_ids(ids: pd.Series, column: str) -> None:
    """A DataFrame's ids must be unique: renaming a repeat would make up an id."""
    values = ids.map(_string_or_none)
    repeated = values[values.notna() & values.duplicated(keep=False)]
    if repeated.empty:
        return
    first = list(dict.fromkeys(repeated))[:5]
    listed = "; ".join(
        f"{value!r} (rows {', '.join(str(i + 1) for i in repeated.index[repeated == value][:4])})"
        for value in first
    )
    n = repeated.nunique()
    raise ValueError(
        f"load_articles: the DataFrame's ids in column {column!r} must be unique; {n} "
        f"repeat: {listed}{' ...' if n > len(first) else ''}. Drop the repeats "
        f"(frame.drop_duplicates({column!r})), or map another column to article_id with "
        "columns=..."
    )


_LANGID: Any = None


def _detect_language(text: object, title: object) -> str | None:
    """ISO 639-1 code of a text (py3langid, offline) from its title and first 600
    characters; None for fewer than 20 letters."""
    global _LANGID
    sample = " ".join(s[:600] for s in (title, text) if isinstance(s, str))
    if len(_LETTER.findall(sample)) < 20:
        return None
    if _LANGID is None:
        import py3langid

        _LANGID = py3langid
    code, _ = _LANGID.classify(sample)
    return str(code)


def _check_args(
    format: object, engine: object, dedupe: object, n_jobs: object, columns: object, outlet: object
) -> int:
    if format not in FORMATS:
        raise ValueError(
            f"load_articles: 'format' must be one of {', '.join(map(repr, FORMATS))}; got "
            f"{format!r}. Leave format='auto' to detect each file's format."
        )
    if engine not in ("auto", "trafilatura", "newspaper"):
        raise ValueError(
            f"load_articles: 'engine' must be 'auto', 'trafilatura' or 'newspaper'; got "
            f"{engine!r}. Leave engine='auto' unless you need one library's output."
        )
    if dedupe not in ("mark", "drop", False, None):
        raise ValueError(
            f"load_articles: 'dedupe' must be 'mark', 'drop' or False; got {dedupe!r}. "
            "'mark' fills dup_group, 'drop' keeps one article per group."
        )
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(
            f"load_articles: 'n_jobs' must be a positive int or -1 (all cores); got {n_jobs!r}."
        )
    if columns is not None and not (
        isinstance(columns, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items())
    ):
        raise TypeError(
            f"load_articles: 'columns' must map source column names to article columns, e.g. "
            f"{{'headline': 'title'}}; got {columns!r}."
        )
    if outlet is not None and not (isinstance(outlet, str) or callable(outlet)):
        raise TypeError(
            f"load_articles: 'outlet' must be a str, a function of the file path, or None; "
            f"got {type(outlet).__name__} ({outlet!r})."
        )
    return (os.cpu_count() or 1) if n_jobs == -1 else int(n_jobs)


def load_articles(
    source: Any,
    *,
    format: Format = "auto",
    engine: str = "auto",
    outlet: OutletArg = None,
    metadata: str | os.PathLike[str] | pd.DataFrame | None = None,
    columns: Mapping[str, str] | None = None,
    clean: bool | None = None,
    dedupe: Literal["mark", "drop", False] = "mark",
    n_jobs: int = 1,
    progress: bool = True,
    return_report: bool = False,
    client: Any = None,
    dayfirst: bool | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Load text files, saved pages and exported tables into one article frame.

    Parameters
    ----------
    source : path, glob, folder, list of these, or DataFrame
        What to load. A folder is searched recursively (hidden files and folders, whose
        names start with ".", such as ``.ipynb_checkpoints``, are skipped); ``.gz`` files
        are decompressed.
        A DataFrame is loaded like a table (its columns mapped as below).
    format : {"auto", "text", "html", "csv", "tsv", "json", "jsonl", "parquet"}
        "auto" detects each file's format from its extension and content (a ``.txt``
        holding a web page is read as HTML).
    engine : {"auto", "trafilatura", "newspaper"}
        Extractor for saved pages, passed to :func:`mediakit.parse_html`.
    outlet : str or callable, optional
        The outlet of every article (it replaces what the sources say), or a function
        of the file's :class:`~pathlib.Path` returning it, e.g.
        ``lambda p: p.parent.name`` for one folder per outlet. Sidecar metadata still
        wins for the files it names. Without it, a table's outlet column and a saved
        page's site name (``og:site_name``, JSON-LD publisher) are used; text files
        have none.
    metadata : CSV path or DataFrame, optional
        Sidecar metadata keyed by a ``file`` column (file name or path) or a ``url``
        column; its ``outlet``, ``url``, ``published``, ``title``, ``authors`` and any
        other columns fill or replace the articles' values. Its dates get
        ``date_source`` "sidecar".
    columns : mapping, optional
        Source column -> article column for tables, e.g. ``{"headline": "title"}``.
        Media Cloud and GDELT exports and common names are mapped without it. A name
        that no table (nor the metadata) has raises a KeyError listing the columns.
    clean : bool, optional
        Run :func:`mediakit.clean_texts` on the texts of text files and tables (menus,
        share rows, bylines and other page furniture removed). By default the texts of
        files are cleaned and a DataFrame's are kept as given (a frame is usually a
        corpus prepared already); True cleans both, False neither (a text file's
        content is then its text).
    dedupe : {"mark", "drop", False}, default "mark"
        "mark" fills ``dup_group`` (see :func:`mediakit.ingest.dedup.find_duplicates`);
        "drop" also keeps only the first article of each group (smallest id); False
        leaves ``dup_group`` empty.
    n_jobs : int, default 1
        Processes reading and parsing files; -1 for all cores. The result does not
        depend on it.
    progress : bool, default True
        Show a progress bar when there are more than 50 files.
    return_report : bool, default False
        Also return the ingest report (one row per input; see
        :mod:`mediakit.ingest.report`).
    client : distributed.Client, optional
        Read and parse the files on this Dask cluster instead, in batches of 64 files
        (reading, decompressing, decoding and parsing saved pages, the costly steps). The
        parsed records come back and are cleaned, dated and de-duplicated here, as
        without it (the text cleaner needs all texts of an outlet at once), so the frame
        and the report are the same.
    dayfirst : bool, optional
        How to read a table's (or the ``metadata`` sidecar's) date column whose values
        could be day or month first ("03/04/2018") and do not show which; see
        :func:`mediakit.ingest.dates.normalize_published`. Without it such a column is
        read month-first, with a warning and a note in the file's report row.

    Returns
    -------
    DataFrame or (DataFrame, DataFrame)
        The article frame, sorted by path then row, and the report if asked.

    Raises
    ------
    FileNotFoundError
        If a path in ``source`` (or the ``metadata`` file) does not exist.

    Examples
    --------
    >>> import mediakit as mk
    >>> from mediakit.datasets import sample_dir
    >>> articles, report = mk.load_articles(sample_dir(), return_report=True)
    >>> articles.loc[0, ["published", "date_source", "language"]].tolist()
    [NaT, 'missing', 'en']
    >>> report.loc[0, "status"], int(report.loc[0, "rows"])
    ('loaded', 1)
    """
    workers = _check_args(format, engine, dedupe, n_jobs, columns, outlet)
    if client is not None and isinstance(source, pd.DataFrame):
        raise TypeError(
            "The 'source' parameter of load_articles must be files, a folder or a glob when "
            "client= is given: a DataFrame has nothing to spread over workers. Call "
            "load_articles(frame) without client."
        )
    if clean not in (None, True, False):
        raise TypeError(
            f"load_articles: 'clean' must be True, False or None (the default: clean the "
            f"texts of files, keep a DataFrame's as given); got {clean!r}."
        )
    now = pd.Timestamp.now(tz="UTC")
    meta = _read_metadata(metadata)
    pieces: list[_Piece] = []
    file_rows: dict[str, ReportRow] = {}

    if isinstance(source, pd.DataFrame):
        from mediakit.ingest.tables import number_rows

        frame = number_rows(source)
        _check_columns(columns, [list(frame.columns)], meta)
        result = {"path": "<DataFrame>", "format": "frame", "frame": frame, "problems": []}
        pieces.append(
            _table_piece(result, columns, now, workers, clean=bool(clean), dayfirst=dayfirst)
        )
    else:
        exclude = {Path(metadata).resolve()} if isinstance(metadata, str | os.PathLike) else set()
        sources = _resolve(source, exclude)
        paths = sources.files
        for path, status, reason in sources.others:
            pieces.append(
                _Piece(pd.DataFrame(), ReportRow(_shown(path), status, reason=reason), [], [])
            )
        sidecar_urls: dict[str, str | None] = dict.fromkeys(paths)
        if meta is not None:
            matched = _match_metadata(
                pd.Series(paths, dtype=object),
                pd.Series([None] * len(paths), dtype=object),
                meta,
                columns,
            )
            if "url" in matched:
                sidecar_urls = {
                    p: _string_or_none(u) for p, u in zip(paths, matched["url"], strict=True)
                }
        tasks = [(p, str(format), engine, sidecar_urls[p]) for p in paths]
        texts: list[dict[str, Any]] = []
        if client is not None:  # files read and parsed on a Dask cluster
            results = map_batches(_read_file, tasks, client=client)
        else:
            results = _map_results(tasks, workers, progress)
        _check_columns(
            columns, [list(r["frame"].columns) for r in results if r["kind"] == "table"], meta
        )
        for result in results:
            if result["kind"] == "fail":
                row = ReportRow(result["path"], result["status"], result["format"])
                row.reason = result["reason"]
                pieces.append(_Piece(pd.DataFrame(), row, [], []))
            elif result["kind"] == "text":
                texts.append(result)
            elif result["kind"] == "html":
                pieces.append(_html_piece(result))
            else:
                pieces.append(
                    _table_piece(
                        result, columns, now, workers, clean=clean is not False, dayfirst=dayfirst
                    )
                )
        if texts:
            text_paths = [r["path"] for r in texts]
            outlets: list[str | None] = [None] * len(texts)
            titles: list[str | None] = [None] * len(texts)
            if isinstance(outlet, str):
                outlets = [outlet] * len(texts)
            elif callable(outlet):
                outlets = [_string_or_none(outlet(Path(p))) for p in text_paths]
            if meta is not None:
                side = _match_metadata(
                    pd.Series(text_paths, dtype=object),
                    pd.Series([None] * len(texts), dtype=object),
                    meta,
                    columns,
                )
                if "outlet" in side:
                    outlets = [
                        _string_or_none(o) or d
                        for o, d in zip(side["outlet"], outlets, strict=True)
                    ]
                if "title" in side:
                    titles = [_string_or_none(t) for t in side["title"]]
            from mediakit.ingest.text import RULES_VERSION

            pieces.extend(
                _text_pieces(
                    texts,
                    outlets,
                    titles,
                    f"mediakit.clean_text {RULES_VERSION}" if clean is not False else "text file",
                    workers,
                    clean=clean is not False,
                )
            )

    # one frame, rows keyed by (path, row)
    frames = []
    for piece in pieces:
        file_rows[piece.main.path] = piece.main
        if piece.frame.empty:
            continue
        frame = piece.frame.copy()
        frame["path"] = piece.main.path
        if "__row" not in frame:
            frame["__row"] = 1
        frame["__format"] = piece.main.format
        frames.append(frame)
    articles = _assemble(frames, meta, columns, outlet, now, pieces, dayfirst=dayfirst)

    duplicates: list[ReportRow] = []
    if dedupe and len(articles):
        from mediakit.ingest.dedup import find_duplicates

        articles["dup_group"] = find_duplicates(articles)
        articles, duplicates = _apply_dedupe(articles, file_rows, drop=dedupe == "drop")
    _finish_tables(articles, pieces)
    report_rows = _report_rows(pieces, duplicates)
    articles = articles.drop(columns=["__row", "__format"]).reset_index(drop=True)
    articles = validate_articles(as_articles(articles))
    _warn_if_empty(articles, report_rows)
    if return_report:
        return articles, make_report(report_rows)
    return articles


def _warn_if_empty(articles: pd.DataFrame, rows: list[ReportRow]) -> None:
    """Warn when nothing usable came in: an analysis of an empty frame (or of articles
    without text) returns empty results, which must not pass unnoticed."""
    inputs = [r for r in rows if r.part is None]
    counts: dict[str, int] = {}
    for row in inputs:
        counts[row.status] = counts.get(row.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    first = next((r for r in inputs if r.reason), None)
    example = f"; e.g. {first.path}: {first.reason}" if first is not None else ""
    if articles.empty:
        message = f"no article was loaded from {len(inputs)} input(s) ({summary}){example}"
    elif articles["text"].isna().all():
        message = f"none of the {len(articles):,} articles has a text ({summary}){example}"
    else:
        return
    warnings.warn(
        f"load_articles: {message}. See the report: load_articles(..., return_report=True).",
        UserWarning,
        stacklevel=3,
    )


def _assemble(
    frames: list[pd.DataFrame],
    meta: pd.DataFrame | None,
    columns: Mapping[str, str] | None,
    outlet: OutletArg,
    now: pd.Timestamp,
    pieces: list[_Piece],
    *,
    dayfirst: bool | None,
) -> pd.DataFrame:
    from mediakit.ingest.dates import normalize_published

    if not frames:
        empty = empty_articles()
        empty["__row"] = pd.Series(dtype="int64")
        empty["__format"] = pd.Series(dtype=object)
        return empty
    for frame in frames:
        if "published" in frame:
            frame["published"] = frame["published"].astype(object)
    articles = pd.concat(frames, ignore_index=True, sort=False)
    for name in ("title", "description", "text", "authors", "language", "url", "outlet"):
        if name not in articles:
            articles[name] = None
        articles[name] = articles[name].map(_joined if name == "authors" else _string_or_none)
        articles[name] = articles[name].astype(object)
    if "published" not in articles:
        articles["published"] = pd.NaT
    articles["published"] = pd.to_datetime(articles["published"], utc=True).astype(
        ARTICLE_COLUMNS["published"]
    )
    if "date_source" not in articles:
        articles["date_source"] = "missing"
    articles["url"] = articles["url"].map(canonical_url)

    notes: dict[str, list[str]] = {p.main.path: p.notes for p in pieces}
    tables = {p.main.path for p in pieces if p.table}
    # a fixed or per-file outlet replaces what the sources say
    if isinstance(outlet, str):
        articles["outlet"] = outlet
    elif callable(outlet):
        by_path = {p: _string_or_none(outlet(Path(p))) for p in articles["path"].unique()}
        articles["outlet"] = (
            articles["path"]
            .map(by_path)
            .where(articles["path"].map(by_path).notna(), articles["outlet"])
        )
    if meta is not None:
        side = _match_metadata(articles["path"], articles["url"], meta, columns)
        for name in side.columns:
            given = side[name].notna()
            if not given.any():
                continue
            if name == "published":
                published, reasons, decided = normalize_published(
                    side[name].rename("sidecar published"),
                    now=now,
                    dayfirst=dayfirst,
                    return_notes=True,
                )
                for path in articles.loc[given, "path"]:
                    notes[path].extend(
                        f"sidecar published: {reason} ({count:,} values)"
                        for reason, count in decided.items()
                    )
                refused = given & published.isna()
                for path, reason in zip(
                    articles.loc[refused, "path"], reasons[refused], strict=True
                ):
                    notes[path].append(f"sidecar published {reason}")
                use = published.notna()
                articles.loc[use, "published"] = published[use]
                articles.loc[use, "date_source"] = "sidecar"
            elif name == "url":
                articles.loc[given, "url"] = side.loc[given, name].map(canonical_url)
            else:
                if name not in articles:
                    articles[name] = None
                    articles[name] = articles[name].astype(object)
                articles.loc[given, name] = side.loc[given, name]
    missing_lang = articles["language"].isna()
    if missing_lang.any():
        articles.loc[missing_lang, "language"] = [
            _detect_language(text, title)
            for text, title in zip(
                articles.loc[missing_lang, "text"], articles.loc[missing_lang, "title"], strict=True
            )
        ]

    # identifiers: the source's own, else the canonical URL's hash, else path + row + text
    own = (
        articles["article_id"].map(_string_or_none)
        if "article_id" in articles
        else pd.Series(None, index=articles.index, dtype=object)
    )
    names = articles["path"].map(lambda p: Path(str(p)).name)
    hashed = [
        _hash_id("url", url) if url is not None else _hash_id("file", name, row, text)
        for url, name, row, text in zip(
            articles["url"], names, articles["__row"], articles["text"], strict=True
        )
    ]
    articles["article_id"] = own.where(own.notna(), pd.Series(hashed, index=articles.index))
    articles = articles.sort_values(["path", "__row"], kind="stable").reset_index(drop=True)
    seen: dict[str, int] = {}
    unique_ids = []
    for value, path, row in zip(
        articles["article_id"], articles["path"], articles["__row"], strict=True
    ):
        count = seen.get(value, 0) + 1
        seen[value] = count
        unique_ids.append(value if count == 1 else f"{value}-{count}")
        if count > 1:  # files may overlap (two exports of one week): said, not hidden
            where = f"row {row}: " if str(path) in tables else ""
            notes[path].append(f"{where}id {value!r} was taken, renamed {value}-{count}")
    articles["article_id"] = unique_ids
    for piece in pieces:
        piece.notes = notes.get(piece.main.path, piece.notes)
    return articles


def _report_rows(pieces: list[_Piece], duplicates: list[ReportRow]) -> list[ReportRow]:
    """Report rows by path: the input's own row, then its parts in order."""
    extra: dict[str, list[ReportRow]] = {}
    for row in duplicates:
        extra.setdefault(row.path, []).append(row)
    rows: list[ReportRow] = []
    for piece in sorted(pieces, key=lambda p: p.main.path):
        if piece.notes:
            shown = piece.notes if len(piece.notes) <= 12 else piece.notes[:10]
            note = "; ".join(shown)
            if len(shown) < len(piece.notes):
                note += f"; and {len(piece.notes) - len(shown):,} more"
            piece.main.reason = f"{piece.main.reason}; {note}" if piece.main.reason else note
        rows.append(piece.main)
        parts = piece.extra + extra.get(piece.main.path, [])
        rows.extend(sorted(parts, key=_part_order))
    return rows


def _part_order(row: ReportRow) -> tuple[int, str]:
    digits = "".join(ch if ch.isdigit() else " " for ch in row.part or "").split()
    return (int(digits[0]) if digits else 0, row.part or "")


def _apply_dedupe(
    articles: pd.DataFrame, file_rows: dict[str, ReportRow], *, drop: bool
) -> tuple[pd.DataFrame, list[ReportRow]]:
    """Report (and with ``drop`` remove) the articles that repeat another one."""
    group = articles["dup_group"]
    copies = group.notna() & (group != articles["article_id"])
    extra: list[ReportRow] = []
    for path, sub in articles[copies].groupby("path", sort=True):
        row = file_rows[str(path)]
        fmt = str(sub["__format"].iloc[0])
        if fmt in ("text", "html"):
            row.status = "duplicate"
            row.reason = f"same story as article {sub['dup_group'].iloc[0]}" + (
                f"; {row.reason}" if row.reason else ""
            )
            if drop:
                row.rows = 0
            continue
        verb = "dropped" if drop else "marked"
        note = f"{len(sub)} row(s) {verb} as duplicates"
        row.reason = f"{row.reason}; {note}" if row.reason else note
        if drop:
            extra.extend(
                ReportRow(str(path), "duplicate", fmt, part=part, reason="same story as another")
                for part in row_range(sub["__row"].tolist())
            )
    if drop:
        articles = articles[~copies.to_numpy()]
    return articles, extra


def _finish_tables(articles: pd.DataFrame, pieces: list[_Piece]) -> None:
    """Rows each table contributes, and the ranges of its rows without text."""
    by_path = {path: sub for path, sub in articles.groupby("path", sort=False)}
    for piece in pieces:
        if not piece.table:
            continue
        main = piece.main
        sub = by_path.get(main.path)
        if sub is None:
            continue
        no_text = sub["text"].isna()
        if main.status == "no_text":
            main.rows = len(sub)
            continue
        main.rows = int((~no_text).sum())
        for part in row_range(sub.loc[no_text, "__row"].tolist()):
            bounds = part.removeprefix("rows ").removeprefix("row ").split("-")
            n = int(bounds[-1]) - int(bounds[0]) + 1
            piece.extra.append(
                ReportRow(main.path, "no_text", main.format, part=part, reason="no text", rows=n)
            )
