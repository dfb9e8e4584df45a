"""Checks of load_articles' arguments against the tables, and sidecar metadata: read it,
and match its rows to the articles by file name or URL."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from mediakit.ingest._values import _string_or_none, canonical_url


def _check_columns(
    columns: Mapping[str, str] | None, tables: list[list[str]], meta: pd.DataFrame | None
) -> None:
    """Every column ``columns`` names must be in a table (or the metadata): a misspelt
    name would leave its article column empty without a word."""
    if not columns or (not tables and meta is None):
        return
    available: dict[str, None] = {}
    for names in [*tables, list(meta.columns) if meta is not None else []]:
        available.update((str(n), None) for n in names if n not in ("__row", "__format"))
    missing = [name for name in columns if name not in available]
    if not missing:
        return
    import difflib

    close = difflib.get_close_matches(missing[0], list(available), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise KeyError(
        f"load_articles: 'columns' names {', '.join(map(repr, missing))}, which no table "
        f"has; the columns are {list(available)}.{hint} Use the names as they are spelt "
        "in the table's header."
    )


def _read_metadata(metadata: object) -> pd.DataFrame | None:
    if metadata is None:
        return None
    if isinstance(metadata, pd.DataFrame):
        frame = metadata.copy()
    elif isinstance(metadata, str | os.PathLike):
        path = Path(metadata)
        if not path.is_file():
            raise FileNotFoundError(
                f"load_articles: the 'metadata' file {os.fspath(metadata)!r} does not exist. "
                "Pass the path of a CSV with a 'file' or 'url' column, or a DataFrame."
            )
        frame = pd.read_csv(path, dtype=str, keep_default_na=True)
    else:
        raise TypeError(
            f"load_articles: 'metadata' must be a CSV path or a DataFrame; got "
            f"{type(metadata).__name__}."
        )
    frame.columns = [str(c) for c in frame.columns]
    lower = {c.lower(): c for c in frame.columns}
    if not any(k in lower for k in ("file", "filename", "file_name", "path", "url")):
        raise ValueError(
            "load_articles: the 'metadata' table needs a 'file' (file name or path) or "
            f"'url' column to match articles; its columns are {list(frame.columns)}. "
            "Rename the key column to 'file' or 'url'."
        )
    return frame


def _split_metadata(
    frame: pd.DataFrame, columns: Mapping[str, str] | None
) -> tuple[pd.Series | None, pd.Series | None, pd.DataFrame]:
    from mediakit.ingest.tables import standardize_columns

    lower = {c.lower(): c for c in frame.columns}
    file_col = next(
        (lower[k] for k in ("file", "filename", "file_name", "path") if k in lower), None
    )
    files = frame[file_col].map(_string_or_none) if file_col else None
    values = frame.drop(columns=[file_col]) if file_col else frame
    values, _ = standardize_columns(values, columns=columns)
    urls = values["url"].map(canonical_url) if "url" in values else None
    return files, urls, values.drop(columns=[c for c in ("article_id",) if c in values])


def _match_metadata(
    paths: pd.Series, urls: pd.Series, meta: pd.DataFrame, columns: Mapping[str, str] | None
) -> pd.DataFrame:
    """Sidecar values for every row (NA where none matches), indexed like ``paths``."""
    files, meta_urls, values = _split_metadata(meta, columns)
    position = pd.Series(pd.NA, index=paths.index, dtype="Int64")
    if files is not None:
        lookup: dict[str, int] = {}
        for i, key in enumerate(files):
            if key is not None:
                lookup.setdefault(key.replace("\\", "/"), i)
        for idx, path in paths.items():
            text = str(path).replace("\\", "/")
            parts = text.split("/")
            candidates = ["/".join(parts[k:]) for k in range(len(parts))]
            name = parts[-1]
            candidates.append(name[:-3] if name.endswith(".gz") else name)
            for candidate in candidates:
                if candidate in lookup:
                    position[idx] = lookup[candidate]
                    break
    if meta_urls is not None:
        by_url: dict[str, int] = {}
        for i, key in enumerate(meta_urls):
            if isinstance(key, str):
                by_url.setdefault(key, i)
        for idx, url in urls.items():
            if pd.isna(position[idx]) and isinstance(url, str) and url in by_url:
                position[idx] = by_url[url]
    matched = position.notna()
    out = pd.DataFrame(index=paths.index, columns=values.columns, dtype=object)
    if matched.any():
        picked = values.iloc[position[matched].astype(int).to_numpy()]
        out.loc[matched, :] = picked.to_numpy()
    return out
