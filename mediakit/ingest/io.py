"""Save and read article frames: Parquet first (exact), CSV and JSON Lines for exchange.

Parquet keeps every dtype: string columns with their NA, the UTC timestamps, the
categories of ``date_source`` and of categorical extra columns (AllSides' ``lean``) and
list columns (Reuters' ``topics``), so ``read_articles(save_articles(frame, p))`` equals
the frame exactly. CSV and JSON Lines keep the values of the article columns; list
columns are written as JSON arrays and read back as lists, but CSV cannot tell an empty
string from a missing one and extra columns come back as strings.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from mediakit.schema import ARTICLE_COLUMNS, as_articles, validate_articles

__all__ = ["save_articles", "read_articles"]

IOFormat = Literal["auto", "parquet", "csv", "jsonl"]
_SUFFIXES = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def _format_of(path: Path, format: str, action: str) -> str:
    if format != "auto":
        if format not in ("parquet", "csv", "jsonl"):
            raise ValueError(
                f"{action}: 'format' must be 'auto', 'parquet', 'csv' or 'jsonl'; got {format!r}."
            )
        return format
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    fmt = _SUFFIXES.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        raise ValueError(
            f"{action}: cannot tell the format of {str(path)!r} from its extension; use "
            ".parquet, .csv or .jsonl (optionally .gz), or pass format='parquet'."
        )
    return fmt


def _is_list_column(values: pd.Series) -> bool:
    if values.dtype != object:
        return False
    sample = values.dropna()
    return len(sample) > 0 and all(isinstance(v, list | tuple) for v in sample.head(100))


def save_articles(
    articles: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    format: IOFormat = "auto",
    partition_by: Literal["month"] | None = None,
) -> Path:
    """Write an article frame to Parquet, CSV or JSON Lines (by extension).

    Parameters
    ----------
    articles : DataFrame
        An article frame (validated first).
    path : str or PathLike
        Where to write; ``.parquet``, ``.csv`` or ``.jsonl``, optionally ``.gz``
        for the text formats. Parent folders are created.
    format : {"auto", "parquet", "csv", "jsonl"}
        "auto" goes by the extension.
    partition_by : {"month"}, optional
        Write a folder of Parquet files instead, one subfolder per month of
        publication (``month=2018-01/``), for corpora read back piecewise or as a dask
        frame; see :func:`mediakit.scale.save_articles`. A dask frame is always
        written so.

    Returns
    -------
    Path
        The file (or folder) written.

    Examples
    --------
    >>> import tempfile, mediakit as mk
    >>> articles = mk.datasets.load_allsides().head(3)
    >>> folder = tempfile.mkdtemp()
    >>> path = mk.save_articles(articles, f"{folder}/articles.parquet")
    >>> mk.read_articles(path).equals(articles)
    True
    """
    if partition_by is not None or type(articles).__module__.startswith("dask"):
        from mediakit import scale

        return scale.save_articles(articles, path, partition_by=partition_by or "month")
    validate_articles(articles)
    target = Path(path)
    fmt = _format_of(target, format, "save_articles")
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        articles.to_parquet(target, index=False)
        return target
    frame = articles.copy()
    for name in frame.columns if fmt == "csv" else []:
        if _is_list_column(frame[name]):
            frame[name] = frame[name].map(
                lambda v: (
                    json.dumps(list(v), ensure_ascii=False) if isinstance(v, list | tuple) else v
                )
            )
    if fmt == "csv":
        frame["published"] = frame["published"].map(
            lambda t: t.isoformat() if pd.notna(t) else None
        )
        frame.to_csv(target, index=False)
    else:
        frame.to_json(
            target,
            orient="records",
            lines=True,
            date_format="iso",
            date_unit="us",
            force_ascii=False,
        )
    return target


def _list_from_json(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            return value
        if isinstance(parsed, list):
            return parsed
    return value


def read_articles(
    path: str | os.PathLike[str],
    *,
    format: IOFormat = "auto",
    engine: Literal["pandas", "dask"] = "pandas",
) -> Any:
    """Read an article frame written by :func:`save_articles` (or any such table).

    Parameters
    ----------
    path : str or PathLike
        A ``.parquet``, ``.csv`` or ``.jsonl`` file (``.gz`` too for the text formats),
        or a folder written with ``partition_by="month"``.
    format : {"auto", "parquet", "csv", "jsonl"}
        "auto" goes by the extension.
    engine : {"pandas", "dask"}, default "pandas"
        "dask" reads a folder as a lazy dask frame, one partition per file (see
        :func:`mediakit.scale.read_articles`).

    Returns
    -------
    DataFrame
        The article frame; from Parquet exactly as saved.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> import tempfile, mediakit as mk
    >>> articles = mk.datasets.load_reuters().head(5)
    >>> path = mk.save_articles(articles, f"{tempfile.mkdtemp()}/reuters.jsonl")
    >>> back = mk.read_articles(path)
    >>> back["topics"].tolist() == articles["topics"].tolist()
    True
    """
    if engine != "pandas" or Path(path).is_dir():
        from mediakit import scale

        return scale.read_articles(path, engine=engine)
    source = Path(path)
    if not source.is_file():
        raise FileNotFoundError(
            f"read_articles: {os.fspath(path)!r} does not exist. Pass the path of a file "
            "written by mediakit.save_articles (.parquet, .csv or .jsonl)."
        )
    fmt = _format_of(source, format, "read_articles")
    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(source)
        frame = table.to_pandas()
        import pyarrow as pa

        for field in table.schema:
            if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
                frame[field.name] = pd.Series(
                    table.column(field.name).to_pylist(), index=frame.index, dtype=object
                )
        return frame
    if fmt == "csv":
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, na_values=[""])
    else:
        frame = pd.read_json(source, lines=True, dtype=False)
    for name in frame.columns:
        values = frame[name]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            strings = values.dropna().astype(str)
            if len(strings) and strings.str.startswith("[").all():
                frame[name] = values.map(_list_from_json).astype(object)
    frame = frame.astype({c: "string" for c in ("article_id",) if c in frame})
    missing = [c for c in ("article_id", "path") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"read_articles: {os.fspath(path)!r} has no column(s) {missing}, so it is not an "
            "article frame. Load raw tables with mediakit.load_articles(path) instead."
        )
    if "word_count" in frame:
        frame = frame.drop(columns="word_count")
    out = as_articles(frame)
    return out[[c for c in ARTICLE_COLUMNS] + [c for c in out.columns if c not in ARTICLE_COLUMNS]]
