"""The article frame: the one table every stage of mediakit reads and writes.

Every source (text files, saved HTML, exported tables, URLs) becomes a frame with
the columns below; every analysis takes such a frame. Extra columns a source
brings (AllSides' ``lean``, Reuters' ``topics``) are kept after these.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

DATE_SOURCES: Final = ("url", "meta", "json-ld", "html", "text", "sidecar", "table", "missing")

STRING = pd.StringDtype()
TIMESTAMP: Final = "datetime64[us, UTC]"

#: Column name -> pandas dtype, in the canonical order.
ARTICLE_COLUMNS: Final[dict[str, object]] = {
    "article_id": STRING,
    "outlet": STRING,
    "url": STRING,
    "title": STRING,
    "description": STRING,
    "text": STRING,
    "published": TIMESTAMP,
    "date_source": pd.CategoricalDtype(list(DATE_SOURCES)),
    "authors": STRING,
    "language": STRING,
    "word_count": "int64",
    "dup_group": STRING,
    "path": STRING,
    "extractor": STRING,
}

#: Columns that may never hold a missing value.
REQUIRED_NON_NULL: Final = ("article_id", "word_count", "path", "extractor", "date_source")


class ArticleFrameError(ValueError):
    """Raised when a frame is not a valid article frame; the message says how to fix it."""


def count_words(text: pd.Series) -> pd.Series:
    """Words per text, as whitespace-separated tokens (0 where text is missing)."""
    counts = text.astype(STRING).str.split().str.len()
    return counts.fillna(0).astype("int64")


def to_utc(values: pd.Series | list | object) -> pd.Series:
    """Parse timestamps to tz-aware UTC at microsecond resolution.

    Naive values are taken as UTC; unparseable values become NaT.

    Examples
    --------
    >>> to_utc(pd.Series(["2018-03-20", "2018-03-20T10:00:00+02:00", "not a date"]))
    0   2018-03-20 00:00:00+00:00
    1   2018-03-20 08:00:00+00:00
    2                         NaT
    dtype: datetime64[us, UTC]
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(series):
        parsed = series
    else:
        parsed = pd.to_datetime(series, errors="coerce", utc=True, format="mixed")
    if getattr(parsed.dt, "tz", None) is None:
        parsed = parsed.dt.tz_localize("UTC")
    return parsed.dt.tz_convert("UTC").astype(TIMESTAMP)


def empty_articles() -> pd.DataFrame:
    """An article frame with no rows and every canonical column."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in ARTICLE_COLUMNS.items()})


def _nfc(values: pd.Series) -> pd.Series:
    """Strings in composed form (NFC), so that "Mu\u0308ller" (decomposed, as some files
    store it) and "Müller" are one word; values already composed are left as they are."""
    import unicodedata

    def compose(value: object) -> object:
        if isinstance(value, str) and not unicodedata.is_normalized("NFC", value):
            return unicodedata.normalize("NFC", value)
        return value

    if not (values.dtype == object or isinstance(values.dtype, pd.StringDtype)):
        return values
    return values.map(compose, na_action="ignore")


def as_articles(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` with the canonical columns first, in their dtypes.

    Missing canonical columns are added (NA; ``word_count`` computed from ``text``;
    ``date_source`` "missing" where ``published`` is NaT); ``outlet``, ``title``,
    ``description``, ``text`` and ``authors`` are put in Unicode composed form (NFC);
    extra columns are kept after the canonical ones, unchanged.
    """
    out = frame.copy()
    n = len(out)
    for name in ("outlet", "url", "title", "description", "text", "authors", "language"):
        if name not in out:
            out[name] = pd.Series([pd.NA] * n, index=out.index, dtype=STRING)
    if "published" not in out:
        out["published"] = pd.Series(pd.NaT, index=out.index, dtype=TIMESTAMP)
    out["published"] = to_utc(out["published"])
    if "date_source" not in out:
        out["date_source"] = "missing"
    out["date_source"] = (
        out["date_source"].astype("object").where(out["published"].notna(), "missing")
    )
    out["date_source"] = out["date_source"].fillna("missing")
    for name in ("dup_group", "path", "extractor"):
        if name not in out:
            out[name] = pd.NA
    out["path"] = out["path"].fillna("")
    out["extractor"] = out["extractor"].fillna("")
    for name in ("outlet", "title", "description", "text", "authors"):
        out[name] = _nfc(out[name])
    out["word_count"] = count_words(out["text"])
    for name, dtype in ARTICLE_COLUMNS.items():
        if name == "published":
            continue
        out[name] = out[name].astype(dtype)
    extra = [c for c in out.columns if c not in ARTICLE_COLUMNS]
    return out[list(ARTICLE_COLUMNS) + extra]


def validate_articles(frame: pd.DataFrame) -> pd.DataFrame:
    """Check that ``frame`` is an article frame; return it unchanged if it is.

    Raises :class:`ArticleFrameError` naming the column, the problem and the fix.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides()
    >>> mk.validate_articles(articles) is articles
    True
    >>> mk.validate_articles(articles.drop(columns="text"))
    Traceback (most recent call last):
    ...
    mediakit.schema.ArticleFrameError: The article frame has no column 'text' ...
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"validate_articles expects a pandas DataFrame, got {type(frame).__name__}. "
            "Load articles with mediakit.load_articles(...) first."
        )
    for name in ARTICLE_COLUMNS:
        if name not in frame.columns:
            raise ArticleFrameError(
                f"The article frame has no column {name!r} (columns: {list(frame.columns)}). "
                "Build frames with mediakit.load_articles(...) or pass yours through "
                "mediakit.schema.as_articles(frame) to add the missing columns."
            )
        got = frame[name].dtype
        if name == "published":
            if not (isinstance(got, pd.DatetimeTZDtype) and str(got.tz) == "UTC"):
                raise ArticleFrameError(
                    f"Column 'published' must be tz-aware UTC datetimes, got dtype {got}. "
                    "Convert with mediakit.schema.to_utc(frame['published'])."
                )
        elif name == "date_source":
            if not isinstance(got, pd.CategoricalDtype):
                raise ArticleFrameError(
                    f"Column 'date_source' must be categorical, got dtype {got}. "
                    "Use mediakit.schema.as_articles(frame)."
                )
            unknown = set(frame[name].dropna().unique()) - set(DATE_SOURCES)
            if unknown:
                raise ArticleFrameError(
                    f"Column 'date_source' has unknown values {sorted(unknown)}; "
                    f"expected one of {list(DATE_SOURCES)}."
                )
        elif name == "word_count":
            if not pd.api.types.is_integer_dtype(got):
                raise ArticleFrameError(
                    f"Column 'word_count' must be integers, got dtype {got}. "
                    "Recompute it with mediakit.schema.count_words(frame['text'])."
                )
        elif not (pd.api.types.is_string_dtype(got) or pd.api.types.is_object_dtype(got)):
            raise ArticleFrameError(
                f"Column {name!r} must hold strings, got dtype {got}. "
                f"Convert with frame[{name!r}].astype('string')."
            )
    for name in REQUIRED_NON_NULL:
        missing = int(frame[name].isna().sum())
        if missing:
            raise ArticleFrameError(
                f"Column {name!r} has {missing} missing value(s); it must be filled for every row."
            )
    duplicated = frame["article_id"].duplicated()
    if duplicated.any():
        examples = frame.loc[duplicated, "article_id"].head(3).tolist()
        raise ArticleFrameError(
            f"Column 'article_id' must be unique; {int(duplicated.sum())} repeated id(s), "
            f"for example {examples}. Drop repeated rows or give each article its own id."
        )
    return frame
