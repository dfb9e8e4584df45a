"""Exported tables -> article columns: CSV, TSV, JSON, JSON Lines and Parquet.

:func:`read_table` parses the bytes of a table file and reports broken lines instead of
failing on them; :func:`standardize_columns` renames a table's columns to the article
frame's. Two export formats researchers meet most are recognised by their columns:

- **Media Cloud** story lists (``stories_id`` or ``id``, ``publish_date``,
  ``media_name``, ``media_url``, ``title``, ``url``, ``language``, ...);
- **GDELT** DOC API article lists (``url``, ``url_mobile``, ``title``, ``seendate``
  like "20180320T101500Z", ``socialimage``, ``domain``, ``language`` as an English name
  such as "English", ``sourcecountry``), also with the date split into a date and a
  time column.

Raw **GDELT** event files (tab-separated, no header) are recognised by their column
count, their id and date columns (:data:`GDELT_RAW`): 2.0 events (61 columns, the source
URL last), 1.0 events with source URLs (58), 2.0 mentions (16) and 2.1 GKG (27). They
name pages, not their text: each distinct source URL becomes one row with its first date
(when GDELT saw it, UTC) and its outlet (the URL's domain). A 1.0 events file without
source URLs (57 columns) is refused with the reason.

Other tables are mapped by common column names (``headline`` -> ``title``, ``body`` ->
``text``, ``date`` -> ``published``, ...) and by the ``columns=`` mapping the user gives,
which always wins. Columns that map to nothing are kept as they are.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

import pandas as pd

__all__ = ["read_table", "standardize_columns", "language_code", "number_rows", "TABLE_FORMATS"]

TABLE_FORMATS: Final = ("csv", "tsv", "json", "jsonl", "parquet")

#: Columns that load_articles computes itself; a table's own are kept as ``source_<name>``.
COMPUTED: Final = ("word_count", "dup_group", "path", "extractor", "date_source")
#: Bookkeeping columns load_articles adds while it works; a table's own are kept as
#: ``source_<name>``.
RESERVED: Final = ("__row", "__format")

MEDIA_CLOUD: Final[dict[str, str]] = {
    "stories_id": "article_id",
    "id": "article_id",
    "publish_date": "published",
    "media_name": "outlet",
    "title": "title",
    "url": "url",
    "language": "language",
    "story_text": "text",
    "text": "text",
    "author": "authors",
    "authors": "authors",
}

GDELT: Final[dict[str, str]] = {
    "url": "url",
    "title": "title",
    "seendate": "published",
    "domain": "outlet",
    "language": "language",
}
# columns only GDELT DOC API article lists have (as JSON names them, and as CSV headers)
_GDELT_MARKERS: Final = {"url_mobile", "mobileurl", "socialimage", "sourcecountry", "domain"}
# a DOC API date split in two: "20180320" and "101500Z" (or "2018-03-20" and "10:15:00")
_SPLIT_DATE: Final = ("seendate", "seendate_date", "seen_date", "date", "day")
_SPLIT_TIME: Final = ("seentime", "seendate_time", "seen_time", "time", "hour")
_TIME = re.compile(r"^T?(\d\d):?(\d\d)(?::?(\d\d))?Z?$")


@dataclass(frozen=True)
class GdeltLayout:
    """Where the source URL and its date stand in a raw GDELT file, 0-based."""

    label: str
    date: int
    url: int
    #: the column saying what kind of source a record names (1 = a web page), if any
    source_type: int | None = None


#: Raw GDELT files, by their number of columns (GDELT's published codebooks).
GDELT_RAW: Final[dict[int, GdeltLayout]] = {
    61: GdeltLayout("GDELT 2.0 events", date=59, url=60),  # DATEADDED, SOURCEURL
    58: GdeltLayout("GDELT 1.0 events", date=56, url=57),  # DATEADDED (a day), SOURCEURL
    16: GdeltLayout("GDELT 2.0 mentions", date=2, url=5, source_type=3),  # MentionTimeDate
    27: GdeltLayout("GDELT 2.1 GKG", date=1, url=4, source_type=2),  # V2.1DATE
}
_GDELT_ID = re.compile(r"^\d+(?:-T?\d+)?$")
_GDELT_DATE = re.compile(r"^\d{8}(?:\d{6})?$")

#: Common names of article columns in exported tables (lower-case), by canonical column.
ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "article_id": ("article_id", "id", "story_id", "stories_id", "doc_id", "document_id", "uid"),
    "title": ("title", "headline", "head", "heading", "hed", "story_title"),
    "text": (
        "text",
        "body",
        "content",
        "full_text",
        "fulltext",
        "article",
        "article_text",
        "story",
        "story_text",
        "body_text",
    ),
    "description": ("description", "summary", "dek", "standfirst", "lead", "lede", "abstract"),
    "published": (
        "published",
        "date",
        "pubdate",
        "pub_date",
        "publish_date",
        "published_at",
        "publication_date",
        "datetime",
        "timestamp",
        "seendate",
        "date_published",
    ),
    "outlet": (
        "outlet",
        "source",
        "media_name",
        "media",
        "publication",
        "publisher",
        "newspaper",
        "site",
        "source_name",
    ),
    "url": ("url", "link", "href", "article_url", "story_url", "permalink"),
    "authors": ("authors", "author", "byline", "bylines", "creator", "writer"),
    "language": ("language", "lang", "lang_code", "language_code"),
}

#: GDELT and other exports name languages in English; ISO 639-1 codes for them.
LANGUAGE_NAMES: Final[dict[str, str]] = {
    "afrikaans": "af",
    "albanian": "sq",
    "arabic": "ar",
    "armenian": "hy",
    "azerbaijani": "az",
    "basque": "eu",
    "belarusian": "be",
    "bengali": "bn",
    "bosnian": "bs",
    "bulgarian": "bg",
    "catalan": "ca",
    "chinese": "zh",
    "croatian": "hr",
    "czech": "cs",
    "danish": "da",
    "dutch": "nl",
    "english": "en",
    "estonian": "et",
    "finnish": "fi",
    "french": "fr",
    "galician": "gl",
    "georgian": "ka",
    "german": "de",
    "greek": "el",
    "gujarati": "gu",
    "hebrew": "he",
    "hindi": "hi",
    "hungarian": "hu",
    "icelandic": "is",
    "indonesian": "id",
    "irish": "ga",
    "italian": "it",
    "japanese": "ja",
    "kannada": "kn",
    "kazakh": "kk",
    "korean": "ko",
    "latvian": "lv",
    "lithuanian": "lt",
    "macedonian": "mk",
    "malay": "ms",
    "malayalam": "ml",
    "marathi": "mr",
    "mongolian": "mn",
    "nepali": "ne",
    "norwegian": "no",
    "persian": "fa",
    "farsi": "fa",
    "polish": "pl",
    "portuguese": "pt",
    "punjabi": "pa",
    "romanian": "ro",
    "russian": "ru",
    "serbian": "sr",
    "sinhala": "si",
    "sinhalese": "si",
    "slovak": "sk",
    "slovenian": "sl",
    "somali": "so",
    "spanish": "es",
    "swahili": "sw",
    "swedish": "sv",
    "tagalog": "tl",
    "tamil": "ta",
    "telugu": "te",
    "thai": "th",
    "tibetan": "bo",
    "turkish": "tr",
    "ukrainian": "uk",
    "urdu": "ur",
    "vietnamese": "vi",
    "welsh": "cy",
}

_CODE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")
_BAD_LINE = re.compile(r"Skipping line (\d+): (.*)")


def language_code(value: object) -> str | None:
    """ISO 639-1 code for a language name or tag; None when unknown.

    Examples
    --------
    >>> language_code("English"), language_code("pt-BR"), language_code("Klingon")
    ('en', 'pt', None)
    """
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[text]
    match = _CODE.match(text)
    if match and len(match.group(1)) == 2:
        return match.group(1)
    return None


def _records_from_json(payload: Any) -> list[Any]:
    """The list of article records in a JSON document (a list, or a list under a key)."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in ("articles", "stories", "results", "data", "items", "records", "docs"):
            if isinstance(payload.get(key), list):
                return list(payload[key])
        lists = [v for v in payload.values() if isinstance(v, list) and v]
        if len(lists) == 1 and all(isinstance(item, dict) for item in lists[0]):
            return list(lists[0])
        return [payload]
    raise ValueError(f"a JSON {type(payload).__name__} holds no article records")


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(text_or_bytes: str | bytes, fmt: str) -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """Parse one table file; broken lines are skipped and described.

    Parameters
    ----------
    text_or_bytes : str or bytes
        The file's content (str for the text formats, bytes for Parquet).
    fmt : {"csv", "tsv", "json", "jsonl", "parquet"}
        The format.

    Returns
    -------
    frame : DataFrame
        One row per record, with a 1-based ``__row`` column numbering the records.
    problems : list of (part, reason) or (part, reason, status)
        Lines that could not be read ("line 4", "expected 3 fields, saw 5"); records of a
        raw GDELT file that name no web page carry the status "unsupported".

    Raises
    ------
    ValueError
        When the file as a whole is not a table of this format.

    Examples
    --------
    >>> frame, problems = read_table("title,url\\nA,https://a.example\\nB,x,y\\n", "csv")
    >>> frame["title"].tolist(), problems
    (['A'], [('line 3', 'expected 2 fields, saw 3')])
    """
    problems: list[tuple[str, ...]] = []
    if fmt == "parquet":
        data = text_or_bytes if isinstance(text_or_bytes, bytes) else text_or_bytes.encode()
        frame = pd.read_parquet(io.BytesIO(data))
    elif fmt in ("csv", "tsv"):
        text = text_or_bytes if isinstance(text_or_bytes, str) else text_or_bytes.decode()
        layout = gdelt_layout(text)
        if layout is not None:  # a raw GDELT file: no header, one row per source URL
            return read_gdelt(text, layout)
        sep = "\t" if fmt == "tsv" else _sniff_delimiter(text)
        header = pd.read_csv(io.StringIO(text), sep=sep, nrows=0)
        as_text = {c: str for c in header.columns if str(c).lower() in ALIASES["article_id"]}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frame = pd.read_csv(
                io.StringIO(text), sep=sep, dtype=as_text, on_bad_lines="warn", low_memory=False
            )
        for warning in caught:
            for number, reason in _BAD_LINE.findall(str(warning.message)):
                problems.append((f"line {number}", reason.strip()))
    elif fmt == "jsonl":
        text = text_or_bytes if isinstance(text_or_bytes, str) else text_or_bytes.decode()
        records: list[Any] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append((f"line {number}", f"invalid JSON: {error.msg}"))
                continue
            if not isinstance(record, dict):
                problems.append((f"line {number}", "not a JSON object"))
                continue
            records.append(record)
        frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    elif fmt == "json":
        text = text_or_bytes if isinstance(text_or_bytes, str) else text_or_bytes.decode()
        items = _records_from_json(json.loads(text))
        good = []
        for number, item in enumerate(items, start=1):
            if isinstance(item, dict):
                good.append(item)
            else:
                problems.append((f"record {number}", "not a JSON object"))
        frame = pd.DataFrame.from_records(good) if good else pd.DataFrame()
    else:
        raise ValueError(f"unknown table format {fmt!r}; expected one of {TABLE_FORMATS}")
    return number_rows(frame), problems


def gdelt_layout(text: str) -> GdeltLayout | None:
    """The layout of a raw GDELT file, judged by its first line; None for other tables.

    Raises
    ------
    ValueError
        For a GDELT 1.0 events file without source URLs (57 columns).

    Examples
    --------
    >>> event = ["737848512", "20180320"] + [""] * 57 + ["20180320101500", "https://a.org/x"]
    >>> gdelt_layout("\\t".join(event)).label
    'GDELT 2.0 events'
    >>> gdelt_layout("\\t".join(["id", "date"] + [""] * 59)) is None
    True
    """
    first = text[: text.find("\n")] if "\n" in text else text
    fields = first.rstrip("\r").split("\t")
    if len(fields) == 57 and _GDELT_ID.match(fields[0]) and _GDELT_DATE.match(fields[-1]):
        raise ValueError(
            "a GDELT 1.0 events file without source URLs (57 columns, from before April "
            "2013): it names no article to load; use a file with a SOURCEURL column"
        )
    layout = GDELT_RAW.get(len(fields))
    if layout is None or not _GDELT_ID.match(fields[0]):
        return None
    if not _GDELT_DATE.match(fields[layout.date]):
        return None
    return layout


def _gdelt_time(value: str) -> str:
    """ "20180320101500" -> "2018-03-20T10:15:00Z"; "20180320" -> "2018-03-20"."""
    day = f"{value[:4]}-{value[4:6]}-{value[6:8]}"
    return day if len(value) == 8 else f"{day}T{value[8:10]}:{value[10:12]}:{value[12:14]}Z"


def _domain(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def read_gdelt(text: str, layout: GdeltLayout) -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """One row per distinct source URL of a raw GDELT file.

    Returns ``url``, ``published`` (the first time GDELT saw the URL, UTC, ISO text),
    ``outlet`` (the URL's domain), ``gdelt_file`` (the kind of file), ``gdelt_records``
    (records naming the URL) and ``__row`` (the line of its first record). Records that
    name no web page (citation-only and other collections) are listed in ``problems``
    as ``(part, reason, "unsupported")``.
    """
    columns = [layout.date, layout.url] + (
        [layout.source_type] if layout.source_type is not None else []
    )
    problems: list[tuple[str, ...]] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        raw = pd.read_csv(
            io.StringIO(text),
            sep="\t",
            header=None,
            usecols=columns,
            dtype=str,
            quoting=csv.QUOTE_NONE,
            keep_default_na=False,
            on_bad_lines="warn",
        )
    for warning in caught:
        for number, reason in _BAD_LINE.findall(str(warning.message)):
            problems.append((f"line {number}", reason.strip()))
    raw["__row"] = range(1, len(raw) + 1)
    urls = raw[layout.url].str.strip()
    web = urls.str.match(r"https?://[^\s/]+") & raw[layout.date].str.match(_GDELT_DATE.pattern)
    if layout.source_type is not None:
        web &= raw[layout.source_type].str.strip() == "1"
    skipped = raw.loc[~web, "__row"].tolist()
    if skipped:
        from mediakit.ingest.report import row_range

        for part in row_range(skipped):
            problems.append(
                (part, "names no web page (a citation-only or other source)", "unsupported")
            )
    kept = raw[web].assign(url=urls[web])
    frame = (
        kept.groupby("url", sort=False)
        .agg(
            published=(layout.date, "min"),
            gdelt_records=("__row", "size"),
            first=("__row", "min"),
        )
        .reset_index()
        .rename(columns={"first": "__row"})
    )
    frame["published"] = frame["published"].map(_gdelt_time)
    frame.insert(2, "outlet", frame["url"].map(_domain))
    frame.insert(3, "gdelt_file", layout.label)
    return frame.sort_values("__row", kind="stable").reset_index(drop=True), problems


def number_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with a 1-based ``__row`` column; its own columns named like the
    bookkeeping ones (``__row``, ``__format``) are kept as ``source_<name>``.

    Examples
    --------
    >>> number_rows(pd.DataFrame({"__row": ["a"], "title": ["T"]})).columns.tolist()
    ['source___row', 'title', '__row']
    """
    out = frame.reset_index(drop=True)
    out.columns = [str(c) for c in out.columns]
    out = out.rename(columns={name: f"source_{name}" for name in RESERVED if name in out})
    out["__row"] = range(1, len(out) + 1)
    return out


def table_kind(columns: list[str]) -> str:
    """ "media_cloud", "gdelt" or "table", judged by the column names.

    Examples
    --------
    >>> table_kind(["stories_id", "publish_date", "media_name", "title", "url"])
    'media_cloud'
    >>> table_kind(["url", "url_mobile", "title", "seendate", "domain", "language"])
    'gdelt'
    """
    names = {c.lower() for c in columns}
    if "gdelt_file" in names:  # read from a raw GDELT file
        return "gdelt"
    dated = "seendate" in names or bool(names & set(_SPLIT_DATE) and names & set(_SPLIT_TIME))
    if dated and len(names & _GDELT_MARKERS) >= (1 if "seendate" in names else 2):
        return "gdelt"
    if "stories_id" in names or {"publish_date", "media_name"} <= names:
        return "media_cloud"
    return "table"


def _join_day_time(day: object, time: object) -> str | None:
    """A GDELT date split in two, joined: ("20180320", "101500Z") -> "2018-03-20T10:15:00Z".

    Spreadsheets read "20180320" and "091500" as numbers (dropping the leading zero), so
    numbers are read back as digits. GDELT's times are UTC.
    """
    if day is None or (isinstance(day, float) and day != day):
        return None
    text = str(int(day)) if isinstance(day, int | float) else str(day).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:8]}"
    if isinstance(time, int | float) and time == time:
        time = str(int(time)).zfill(6)
    match = _TIME.match(str(time).strip()) if isinstance(time, str) else None
    if match is None:
        return text
    hh, mm, ss = match.group(1), match.group(2), match.group(3) or "00"
    return f"{text}T{hh}:{mm}:{ss}Z"


def standardize_columns(
    frame: pd.DataFrame, *, columns: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame, str]:
    """Rename a table's columns to article-frame names; return the frame and its kind.

    ``columns`` (source name -> article column) is applied first; then the Media Cloud
    or GDELT mapping when the table is one; then common aliases for the columns still
    missing. Columns that load_articles computes (``path``, ``word_count``, ...) are
    kept as ``source_<name>``; other unmapped columns are kept unchanged.

    Examples
    --------
    >>> frame = pd.DataFrame({"Headline": ["A"], "Body": ["Text."], "section": ["World"]})
    >>> standardize_columns(frame)[0].columns.tolist()
    ['title', 'text', 'section']
    >>> standardize_columns(frame, columns={"section": "outlet"})[0].columns.tolist()
    ['title', 'text', 'outlet']
    """
    out = frame.copy()
    renames: dict[str, str] = {}
    taken: set[str] = set()
    for source, target in (columns or {}).items():
        if source in out.columns:
            renames[source] = target
            taken.add(target)
    kind = table_kind([c for c in out.columns if c not in renames])
    known = {"media_cloud": MEDIA_CLOUD, "gdelt": GDELT}.get(kind, {})
    by_lower = {c.lower(): c for c in out.columns if c not in renames}
    if kind == "gdelt" and "seendate" not in by_lower and "published" not in taken:
        day = next((by_lower[n] for n in _SPLIT_DATE if n in by_lower), None)
        hour = next((by_lower[n] for n in _SPLIT_TIME if n in by_lower), None)
        if day is not None and hour is not None:  # the date split into two columns
            out["seendate"] = [
                _join_day_time(d, t) for d, t in zip(out[day], out[hour], strict=True)
            ]
            by_lower["seendate"] = "seendate"
    for source_lower, target in known.items():
        if target in taken or source_lower not in by_lower:
            continue
        renames[by_lower.pop(source_lower)] = target
        taken.add(target)
    for target, aliases in ALIASES.items():
        if target in taken:
            continue
        for alias in aliases:
            if alias in by_lower:
                renames[by_lower.pop(alias)] = target
                taken.add(target)
                break
    for name in list(out.columns):
        if name in renames:
            continue
        if name in taken or name in COMPUTED:  # an unmapped column under a name in use
            renames[name] = f"source_{name}"
    out = out.rename(columns=renames)
    return out, kind
