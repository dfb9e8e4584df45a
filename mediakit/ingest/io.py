"""Save and read article frames: Parquet first (exact), CSV and JSON Lines for exchange.

Parquet keeps every dtype: string columns with their NA, the UTC timestamps, the
categories of ``date_source`` and of categorical extra columns (AllSides' ``lean``) and
list columns (Reuters' ``topics``), so ``read_articles(save_articles(frame, p))`` equals
the frame exactly. CSV and JSON Lines keep the values of the article columns; list
columns are written as JSON arrays and read back as lists, but CSV cannot tell an empty
string from a missing one and extra columns come back as strings.

A corpus too large for one file is saved as a *monthly dataset*: a folder with one
``month=2018-01/`` subfolder per month of publication (hive partitioning, which Dask,
pyarrow, Spark and DuckDB read), and read back whole, month by month, or lazily as a
dask frame.

Writes never destroy what was saved before: a file is written to a temporary file in
the same folder, then moved over the old one in one step (``os.replace``), so a writer
killed midway leaves the old file whole (and a stray ``.<name>.*.tmp`` file). A dataset
is written into a new folder beside the target, then swapped in; a folder that already
holds files is replaced only with ``overwrite=True``, and only if it holds nothing but
``month=`` folders.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from mediakit._atomic import write_atomically
from mediakit._compute import get_client, is_dask, require_dask
from mediakit.schema import ARTICLE_COLUMNS, as_articles, to_utc, validate_articles

__all__ = ["save_articles", "read_articles"]

IOFormat = Literal["auto", "parquet", "csv", "jsonl"]
_SUFFIXES = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
#: Name of the hive partition folders of a monthly dataset (``month=2018-01``).
PARTITION_KEY = "month"
#: Folder name of the articles without a date.
UNDATED = "undated"


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


# --------------------------------------------------------------------------- atomic files
def _write_file(articles: pd.DataFrame, target: Path, fmt: str) -> None:
    compression = "gzip" if target.suffix.lower() == ".gz" else None
    if fmt == "parquet":
        write_atomically(target, lambda tmp: articles.to_parquet(tmp, index=False))
        return
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
        write_atomically(
            target, lambda tmp: frame.to_csv(tmp, index=False, compression=compression)
        )
        return
    write_atomically(
        target,
        lambda tmp: frame.to_json(
            tmp,
            orient="records",
            lines=True,
            date_format="iso",
            date_unit="us",
            force_ascii=False,
            compression=compression,
        ),
    )


# --------------------------------------------------------------------------- datasets
def _month_labels(published: pd.Series) -> pd.Series:
    dates = to_utc(published)
    labels = dates.dt.strftime("%Y-%m").astype(object)
    return labels.where(dates.notna(), UNDATED)


def _write_months(frame: pd.DataFrame, folder: str, name: str) -> int:
    """Write one frame into ``folder/month=YYYY-MM/name.parquet`` files; rows written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if len(frame) == 0:
        return 0
    labels = _month_labels(frame["published"])
    for label, rows in frame.groupby(labels.to_numpy(), sort=True).indices.items():
        target = Path(folder) / f"{PARTITION_KEY}={label}"
        target.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(frame.iloc[rows], preserve_index=False)
        pq.write_table(table, target / f"{name}.parquet")
    return len(frame)


def _swap_in(written: Path, folder: Path, *, overwrite: bool) -> None:
    """Move the dataset ``written`` beside ``folder`` into its place."""
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    if not folder.exists():
        os.rename(written, folder)
        return
    if not overwrite:
        raise FileExistsError(
            f"save_articles: {str(folder)!r} already holds files. Pass overwrite=True to "
            "replace the dataset there, or save to a new folder."
        )
    old = folder.with_name(f".{folder.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(folder, old)
    os.rename(written, folder)
    shutil.rmtree(old, ignore_errors=True)


def _check_replaceable(folder: Path, overwrite: bool) -> None:
    """Refuse early a target that is a file, or a folder that holds other things."""
    if folder.exists() and not folder.is_dir():
        raise ValueError(
            f"save_articles: {str(folder)!r} is a file, but partition_by='month' writes a "
            "folder of Parquet files. Pass a folder path, or drop partition_by to write "
            "one file."
        )
    entries = list(folder.iterdir()) if folder.is_dir() else []
    if entries and not overwrite:
        raise FileExistsError(
            f"save_articles: {str(folder)!r} already holds files. Pass overwrite=True to "
            "replace the dataset there, or save to a new folder."
        )
    strangers = [p.name for p in entries if not p.name.startswith(f"{PARTITION_KEY}=")]
    if strangers:
        raise FileExistsError(
            f"save_articles: {str(folder)!r} holds {strangers[:3]}, which are not part of a "
            "monthly dataset, so it is not replaced even with overwrite=True. Save to a new "
            "folder."
        )


def _save_dataset(
    articles: Any, folder: Path, *, rows_per_file: int, overwrite: bool, client: Any
) -> Path:
    if isinstance(rows_per_file, bool) or not isinstance(rows_per_file, int) or rows_per_file < 1:
        raise ValueError(
            f"The 'rows_per_file' parameter of save_articles must be a positive int. Got "
            f"{rows_per_file!r} instead."
        )
    _check_replaceable(folder, overwrite)
    if "published" not in getattr(articles, "columns", []):
        raise KeyError(
            "save_articles: partition_by='month' needs a 'published' column; the frame has "
            f"{list(getattr(articles, 'columns', []))}."
        )
    if not is_dask(articles):
        validate_articles(articles)
    folder.parent.mkdir(parents=True, exist_ok=True)
    written = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        if is_dask(articles):
            from dask import delayed

            tasks = [
                delayed(_write_months)(part, str(written), f"part-{i:05d}")
                for i, part in enumerate(articles.to_delayed())
            ]
            if client is not None:
                get_client(client).compute(tasks, sync=True)
            else:
                import dask

                dask.compute(tasks)
        else:
            for i, start in enumerate(range(0, len(articles), rows_per_file)):
                part = articles.iloc[start : start + rows_per_file]
                _write_months(part, str(written), f"part-{i:05d}")
        _swap_in(written, folder, overwrite=overwrite)
    except BaseException:
        shutil.rmtree(written, ignore_errors=True)
        raise
    return folder


def save_articles(
    articles: Any,
    path: str | os.PathLike[str],
    *,
    format: IOFormat = "auto",
    partition_by: Literal["month"] | None = None,
    overwrite: bool = False,
    rows_per_file: int = 50_000,
    client: Any = None,
) -> Path:
    """Write an article frame to Parquet, CSV or JSON Lines, or as a monthly dataset.

    Parameters
    ----------
    articles : DataFrame or dask DataFrame
        An article frame (validated first). A dask frame is always written as a monthly
        dataset, from the workers, one file per partition and month, never gathered.
    path : str or PathLike
        Where to write; ``.parquet``, ``.csv`` or ``.jsonl``, optionally ``.gz``
        for the text formats. Parent folders are created. An existing file is replaced
        in one step: until then it stays whole, even if the writer is killed.
    format : {"auto", "parquet", "csv", "jsonl"}
        "auto" goes by the extension.
    partition_by : {"month"}, optional
        Write a folder instead, with one subfolder per month of ``published`` in UTC
        (``month=2018-01/part-00000.parquet``; ``month=undated`` for articles without a
        date), for corpora read back piecewise or as a dask frame. Every dtype is kept,
        as with a single Parquet file.
    overwrite : bool, default False
        Replace a monthly dataset already in ``path``. The new one is written beside it
        and swapped in when complete. Without it, a folder that holds anything is
        refused; a folder that holds anything but ``month=`` folders is always refused.
    rows_per_file : int, default 50,000
        Largest number of rows of a pandas frame per file of a monthly dataset (each
        file is one partition when read back).
    client : distributed.Client, optional
        Write a dask frame on this cluster; without it, Dask's configured scheduler.

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

    A monthly dataset:

    >>> articles = mk.datasets.load_allsides().iloc[::20]
    >>> corpus = mk.save_articles(articles, f"{folder}/corpus", partition_by="month")
    >>> sorted(p.name for p in corpus.iterdir())[:3]
    ['month=2018-01', 'month=2018-02', 'month=2018-03']
    >>> back = mk.read_articles(corpus)
    >>> back.sort_values("article_id").reset_index(drop=True).equals(
    ...     articles.sort_values("article_id").reset_index(drop=True))
    True
    """
    if partition_by is not None and partition_by != "month":
        raise ValueError(
            f"The 'partition_by' parameter of save_articles must be 'month' or None. Got "
            f"{partition_by!r} instead."
        )
    if partition_by is not None or is_dask(articles):
        return _save_dataset(
            articles, Path(path), rows_per_file=rows_per_file, overwrite=overwrite, client=client
        )
    validate_articles(articles)
    target = Path(path)
    fmt = _format_of(target, format, "save_articles")
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_file(articles, target, fmt)
    return target


# --------------------------------------------------------------------------- reading
def _lists_from_arrow(frame: pd.DataFrame, schema: Any, table: Any = None) -> pd.DataFrame:
    """List columns of a Parquet table as Python lists (pyarrow gives numpy arrays)."""
    import pyarrow as pa

    for field in schema:
        if field.name in frame and (
            pa.types.is_list(field.type) or pa.types.is_large_list(field.type)
        ):
            values = (
                table.column(field.name).to_pylist()
                if table is not None
                else [None if v is None else list(v) for v in frame[field.name]]
            )
            frame[field.name] = pd.Series(values, index=frame.index, dtype=object)
    return frame


def _read_parquet(file: str | Path, columns: list[str] | None) -> pd.DataFrame:
    import pyarrow.parquet as pq

    table = pq.read_table(file, columns=columns)
    return _lists_from_arrow(table.to_pandas(), table.schema, table)


def _dataset_files(folder: Path, months: Sequence[str] | None) -> list[str]:
    if months is not None:
        names = [f"{PARTITION_KEY}={m}" for m in months]
        files = [str(f) for n in names for f in sorted((folder / n).glob("*.parquet"))]
    else:
        files = [str(f) for f in sorted(folder.glob(f"{PARTITION_KEY}=*/*.parquet"))]
    if not files:
        raise FileNotFoundError(
            f"read_articles: {str(folder)!r} holds no {PARTITION_KEY}=*/*.parquet files"
            + (f" for months {list(months)}" if months is not None else "")
            + ". Pass a folder written by save_articles(frame, folder, partition_by='month')."
        )
    return files


def _read_lazily(files: list[str], columns: list[str] | None) -> Any:
    """A dask frame of Parquet files, one partition per file, dtypes as saved."""
    require_dask()
    import dask
    import dask.dataframe as dd
    import pyarrow.parquet as pq

    schema = pq.read_schema(files[0])
    with dask.config.set({"dataframe.convert-string": False}):
        frame = dd.read_parquet(files, columns=columns, split_row_groups=False)
    if PARTITION_KEY in frame.columns and PARTITION_KEY not in schema.names:
        frame = frame.drop(columns=PARTITION_KEY)  # the folder key, not a saved column
    if any(
        f.name in frame.columns and str(f.type).startswith(("list", "large_list")) for f in schema
    ):
        frame = frame.map_partitions(_lists_from_arrow, schema, meta=frame._meta)
    return frame


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
    columns: Sequence[str] | None = None,
    months: Sequence[str] | None = None,
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
        "dask" reads Parquet (a dataset folder or a file) as a lazy dask frame, one
        partition per file: nothing is read until computed.
    columns : list of str, optional
        Read only these columns of Parquet (``["published", "outlet", "text"]``): the
        fastest way to a smaller frame.
    months : list of str, optional
        Of a dataset folder, read only these months (``["2018-01", "2018-02"]``).

    Returns
    -------
    DataFrame or dask DataFrame
        The article frame; from Parquet exactly as saved (a dataset month by month, rows
        of a month in the order written; the ``month`` folder key is not a column).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist, or a folder holds no dataset.

    Examples
    --------
    >>> import tempfile, mediakit as mk
    >>> articles = mk.datasets.load_reuters().head(5)
    >>> path = mk.save_articles(articles, f"{tempfile.mkdtemp()}/reuters.jsonl")
    >>> back = mk.read_articles(path)
    >>> back["topics"].tolist() == articles["topics"].tolist()
    True
    """
    if engine not in ("dask", "pandas"):
        raise ValueError(
            f"The 'engine' parameter of read_articles must be 'dask' or 'pandas'. Got "
            f"{engine!r} instead."
        )
    source = Path(path)
    wanted = None if columns is None else list(columns)
    if source.is_dir():
        files = _dataset_files(source, months)
        if engine == "dask":
            return _read_lazily(files, wanted)
        return pd.concat([_read_parquet(file, wanted) for file in files], ignore_index=True)
    if not source.is_file():
        raise FileNotFoundError(
            f"read_articles: {os.fspath(path)!r} does not exist. Pass the path of a file "
            "written by mediakit.save_articles (.parquet, .csv or .jsonl), or a folder "
            "written with partition_by='month'."
        )
    fmt = _format_of(source, format, "read_articles")
    if fmt == "parquet":
        return (
            _read_lazily([str(source)], wanted)
            if engine == "dask"
            else _read_parquet(source, wanted)
        )
    if engine == "dask":
        raise ValueError(
            f"read_articles: engine='dask' reads Parquet; {str(source)!r} is {fmt}. Read it "
            "with engine='pandas', or save it as a monthly dataset first."
        )
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
    out = out[[c for c in ARTICLE_COLUMNS] + [c for c in out.columns if c not in ARTICLE_COLUMNS]]
    return out if wanted is None else out[wanted]
