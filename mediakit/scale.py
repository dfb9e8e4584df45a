"""The same analyses on Dask, for corpora larger than one machine's memory.

A corpus too large for pandas is kept as a Parquet dataset partitioned by month
(:func:`save_articles` with a folder target) and read back as a
:class:`dask.dataframe.DataFrame` (:func:`read_articles`). The analyses then accept that
frame where they accept a pandas one, and compute by map-reduce on a Dask cluster:

- :func:`term_frequencies` and :func:`keyness` count terms in each partition with the
  shared tokeniser and merge the counts by term (no hashing, so no collisions); the
  result equals the pandas one exactly, row for row;
- :func:`coverage` finds the first and last dates, then counts articles per period,
  group and query in each partition and adds the counts up; exact as well;
- :meth:`mediakit.TopicModel.fit` (:func:`fit_topics`) learns the vocabulary and idf
  in a first pass, starts k-means on the same fixed sample of documents as the
  in-memory fit, then refines it over all partitions, so memory stays bounded by a few
  partitions and its topics agree with the in-memory ones; ``transform``, ``predict``
  and ``assign`` map over the partitions;
- :func:`load_articles` reads and parses a folder of files on the workers.

``mediakit.term_frequencies``, ``keyness``, ``coverage``, ``TopicModel``,
``save_articles``, ``read_articles`` and ``load_articles`` send Dask input (or
``client=``) here, so code written for pandas runs unchanged on a cluster.

Which cluster: the ``client`` argument (any :class:`distributed.Client`, for example
``Client("tcp://scheduler:8786")``), else the current default client (the last one
created in this session), else a :class:`distributed.LocalCluster` started on first use
with one single-threaded worker process per core. Install the extra with
``pip install "mediakit[scale]"``; mediakit itself does not need Dask.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import dask.dataframe as dd
    from distributed import Client

    from mediakit.topics import TopicModel

__all__ = [
    "coverage",
    "fit_topics",
    "get_client",
    "is_dask",
    "keyness",
    "load_articles",
    "read_articles",
    "save_articles",
    "term_frequencies",
]

#: Name of the hive partition folders written by :func:`save_articles` (``month=2018-01``).
PARTITION_KEY = "month"
#: Folder name of the articles without a date.
UNDATED = "undated"
_FAN_IN = 8  # partial results merged per reduction step


# --------------------------------------------------------------------------- cluster
_LOCAL_CLIENT: Any = None


def is_dask(obj: object) -> bool:
    """Whether ``obj`` is a Dask collection (checked without importing Dask).

    Examples
    --------
    >>> import pandas as pd
    >>> is_dask(pd.DataFrame())
    False
    """
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr")


def _require_dask() -> None:
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as error:  # pragma: no cover - the extra is installed in tests
        raise ImportError(
            f"mediakit.scale needs Dask ({error.name} is missing). Install it with "
            'pip install "mediakit[scale]".'
        ) from None


def get_client(client: Client | None = None) -> Client:
    """The Dask client analyses run on.

    Parameters
    ----------
    client : distributed.Client, optional
        Returned as given. Without it, the current default client (the last
        :class:`distributed.Client` created in this session, for example
        ``Client("tcp://scheduler:8786")``) is used; without one, a
        :class:`distributed.LocalCluster` with one single-threaded worker process per core
        is started once and reused.

    Returns
    -------
    distributed.Client
    """
    global _LOCAL_CLIENT
    _require_dask()
    from distributed import Client, LocalCluster, default_client

    if client is not None:
        if not hasattr(client, "compute") or not hasattr(client, "gather"):
            raise TypeError(
                f"The 'client' parameter must be a distributed.Client, got "
                f"{type(client).__name__}. Create one with distributed.Client() or "
                "Client('tcp://scheduler:8786'), or leave client=None."
            )
        return client
    try:
        return default_client()
    except ValueError:
        pass
    if _LOCAL_CLIENT is None or _LOCAL_CLIENT.status in ("closed", "closing"):
        cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1)
        _LOCAL_CLIENT = Client(cluster)
    return _LOCAL_CLIENT


def _compute(client: Client, obj: Any) -> Any:
    return client.compute(obj, sync=True)


def _tree_reduce(parts: list[Any], combine: Callable[[list[Any]], Any]) -> Any:
    """Merge delayed partial results ``_FAN_IN`` at a time into one delayed result."""
    from dask import delayed

    if not parts:
        return delayed(combine)([])
    while len(parts) > 1:
        parts = [delayed(combine)(parts[i : i + _FAN_IN]) for i in range(0, len(parts), _FAN_IN)]
    return delayed(combine)(parts)


def _check_dask_frame(articles: object, function: str) -> dd.DataFrame:
    import dask.dataframe as dd

    if isinstance(articles, pd.DataFrame):
        return dd.from_pandas(articles, npartitions=max(1, min(os.cpu_count() or 1, 8)))
    if not isinstance(articles, dd.DataFrame):
        raise TypeError(
            f"The 'articles' parameter of mediakit.scale.{function} must be a dask or pandas "
            f"DataFrame, got {type(articles).__name__}. Read a corpus with "
            "mediakit.scale.read_articles(folder)."
        )
    return articles


def _columns(articles: dd.DataFrame, names: Sequence[Hashable], parameter: str) -> None:
    """The pandas path's column check, which only reads ``articles.columns``."""
    from mediakit.terms import _require

    _require(articles, names, parameter)  # type: ignore[arg-type]


def _as_names(value: Hashable | Sequence[Hashable] | None) -> list[Hashable]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        return [value]
    return list(value)


# --------------------------------------------------------------------------- storage
def _month_labels(published: pd.Series) -> pd.Series:
    from mediakit.schema import to_utc

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


def save_articles(
    articles: pd.DataFrame | dd.DataFrame,
    path: str | os.PathLike[str],
    *,
    partition_by: Literal["month"] = "month",
    rows_per_file: int = 50_000,
    client: Client | None = None,
) -> Path:
    """Write articles as a Parquet dataset, one folder per month of publication.

    The folder gets ``month=2018-01/part-00000.parquet`` files (hive partitioning, which
    Dask, pyarrow, Spark and DuckDB read), ``month=undated`` for articles without a date.
    Every dtype is kept, as with a single Parquet file.

    Parameters
    ----------
    articles : pandas or dask DataFrame
        An article frame. A pandas frame is written from this process; a dask frame
        from the workers, one file per partition and month, never gathered.
    path : str or PathLike
        The dataset folder (created). Files already there with the same names are
        replaced; write new corpora to a new folder.
    partition_by : {"month"}
        Month of ``published`` in UTC.
    rows_per_file : int, default 50,000
        Largest number of rows of a pandas frame per file (each file is one partition
        when read back).
    client : distributed.Client, optional
        For a dask frame; see :func:`get_client`.

    Returns
    -------
    Path
        The folder.

    Examples
    --------
    >>> import tempfile, mediakit as mk
    >>> articles = mk.datasets.load_allsides().iloc[::20]
    >>> folder = mk.save_articles(articles, f"{tempfile.mkdtemp()}/corpus", partition_by="month")
    >>> sorted(p.name for p in folder.iterdir())[:3]
    ['month=2018-01', 'month=2018-02', 'month=2018-03']
    >>> back = mk.read_articles(folder)
    >>> back.sort_values("article_id").reset_index(drop=True).equals(
    ...     articles.sort_values("article_id").reset_index(drop=True))
    True
    """
    if partition_by != "month":
        raise ValueError(
            f"The 'partition_by' parameter of save_articles must be 'month'. Got "
            f"{partition_by!r} instead."
        )
    if isinstance(rows_per_file, bool) or not isinstance(rows_per_file, int) or rows_per_file < 1:
        raise ValueError(
            f"The 'rows_per_file' parameter of save_articles must be a positive int. Got "
            f"{rows_per_file!r} instead."
        )
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ValueError(
            f"save_articles: {os.fspath(path)!r} is a file, but partition_by='month' writes a "
            "folder of Parquet files. Pass a folder path, or drop partition_by to write "
            "one file."
        )
    if "published" not in getattr(articles, "columns", []):
        raise KeyError(
            "save_articles: partition_by='month' needs a 'published' column; the frame has "
            f"{list(getattr(articles, 'columns', []))}."
        )
    folder.mkdir(parents=True, exist_ok=True)
    if is_dask(articles):
        from dask import delayed

        parts = articles.to_delayed()
        tasks = [
            delayed(_write_months)(part, str(folder), f"part-{i:05d}")
            for i, part in enumerate(parts)
        ]
        _compute(get_client(client), tasks)
        return folder
    from mediakit.schema import validate_articles

    validate_articles(articles)
    for i, start in enumerate(range(0, len(articles), rows_per_file)):
        _write_months(articles.iloc[start : start + rows_per_file], str(folder), f"part-{i:05d}")
    return folder


def _list_columns(frame: pd.DataFrame, schema: Any) -> pd.DataFrame:
    import pyarrow as pa

    for field in schema:
        if field.name in frame and (
            pa.types.is_list(field.type) or pa.types.is_large_list(field.type)
        ):
            frame[field.name] = pd.Series(
                [None if v is None else list(v) for v in frame[field.name]],
                index=frame.index,
                dtype=object,
            )
    return frame


def _read_pandas(folder: Path, columns: list[str] | None) -> pd.DataFrame:
    """A partitioned dataset read into pandas with pyarrow (no Dask needed)."""
    import pyarrow.parquet as pq

    files = sorted(folder.glob(f"{PARTITION_KEY}=*/*.parquet"))
    if not files:
        raise FileNotFoundError(
            f"read_articles: {str(folder)!r} holds no {PARTITION_KEY}=*/*.parquet files. Pass "
            "a folder written by mediakit.save_articles(frame, folder, partition_by='month')."
        )
    frames = []
    for file in files:
        table = pq.read_table(file, columns=columns)
        frames.append(_list_columns(table.to_pandas(), table.schema))
    return pd.concat(frames, ignore_index=True)


def read_articles(
    path: str | os.PathLike[str],
    *,
    engine: Literal["dask", "pandas"] = "dask",
    columns: Sequence[str] | None = None,
    months: Sequence[str] | None = None,
) -> pd.DataFrame | dd.DataFrame:
    """Read a dataset written by :func:`save_articles` (a folder of monthly Parquet files).

    Parameters
    ----------
    path : str or PathLike
        The dataset folder.
    engine : {"dask", "pandas"}, default "dask"
        ``"dask"`` returns a lazy :class:`dask.dataframe.DataFrame` with one partition
        per file (nothing is read until computed); ``"pandas"`` reads everything into a
        pandas frame with pyarrow.
    columns : list of str, optional
        Read only these columns (``["published", "outlet", "text"]``): the fastest way to
        a smaller frame.
    months : list of str, optional
        Read only these months (``["2018-01", "2018-02"]``); other folders are skipped.

    Returns
    -------
    dask or pandas DataFrame
        The articles with the dtypes they were saved with, month by month (rows of a
        month in the order written). The ``month`` folder key is not a column.

    Examples
    --------
    >>> import tempfile, mediakit as mk
    >>> folder = mk.save_articles(
    ...     mk.datasets.load_allsides().head(300), f"{tempfile.mkdtemp()}/c", partition_by="month"
    ... )
    >>> frame = read_articles(folder, engine="pandas", columns=["article_id", "lean"])
    >>> frame.shape, str(frame["lean"].dtype)
    ((300, 2), 'category')
    """
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(
            f"read_articles: {os.fspath(path)!r} is not a folder. Pass a folder written by "
            "mediakit.save_articles(frame, folder, partition_by='month'), or a single file "
            "to mediakit.read_articles."
        )
    if engine not in ("dask", "pandas"):
        raise ValueError(
            f"The 'engine' parameter of read_articles must be 'dask' or 'pandas'. Got "
            f"{engine!r} instead."
        )
    wanted = None if columns is None else list(columns)
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
    if engine == "pandas":
        import pyarrow.parquet as pq

        frames = []
        for file in files:
            table = pq.read_table(file, columns=wanted)
            frames.append(_list_columns(table.to_pandas(), table.schema))
        return pd.concat(frames, ignore_index=True)
    _require_dask()
    import dask
    import dask.dataframe as dd
    import pyarrow.parquet as pq

    stored = pq.read_schema(files[0]).names
    with dask.config.set({"dataframe.convert-string": False}):
        frame = dd.read_parquet(files, columns=wanted, split_row_groups=False)
    if PARTITION_KEY in frame.columns and PARTITION_KEY not in stored:
        frame = frame.drop(columns=PARTITION_KEY)  # the folder key, not a saved column
    return frame


# --------------------------------------------------------------------------- term counts
def _all_key(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(__all__=np.zeros(len(frame), dtype=np.int64))


def _group_codes(frame: pd.DataFrame, keys: list[Hashable]) -> np.ndarray:
    grouped = frame.groupby(keys, observed=True, dropna=False, sort=True)
    return grouped.ngroup().to_numpy(dtype=np.int64)


def _tf_partition(
    part: pd.DataFrame,
    keys: list[Hashable],
    fields: Any,
    ngram_range: tuple[int, int],
    stop_words: Any,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts of one partition: (keys, term, count, doc_count) and (keys, n_words, n_docs)."""
    from mediakit.terms import _count, _groups, _indicator, _texts

    if not keys:
        part, keys = _all_key(part), ["__all__"]
    counts = _count(_texts(part, fields), ngram_range=ngram_range, stop_words=stop_words)
    codes, group_keys = _groups(part, [str(k) for k in keys])
    n_groups = len(group_keys)
    group_matrix = _indicator(codes, n_groups)
    totals = (group_matrix @ counts.matrix).tocsr()
    present = counts.matrix.copy()
    present.data = np.ones_like(present.data)
    docs = (group_matrix @ present).tocsr()
    totals.sort_indices()
    docs.sort_indices()
    group = np.repeat(np.arange(n_groups), np.diff(totals.indptr))
    terms = group_keys.take(group).reset_index(drop=True)
    terms["term"] = counts.terms[totals.indices]
    terms["count"] = totals.data.astype(np.int64)
    terms["doc_count"] = docs.data.astype(np.int64)
    words = group_keys.copy()
    words["n_words"] = np.bincount(codes, weights=counts.words, minlength=n_groups).astype(np.int64)
    words["n_docs"] = np.bincount(codes, minlength=n_groups).astype(np.int64)
    return terms, words


def _sum_by(frames: list[pd.DataFrame], keys: list[Hashable]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    if not frames:
        return pd.DataFrame()
    merged = pd.concat(frames, ignore_index=True)
    if len(frames) == 1:
        return merged
    return merged.groupby(keys, observed=True, dropna=False, sort=False).sum().reset_index()


def _merge_tf(parts: list[tuple[pd.DataFrame, pd.DataFrame]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    keys = [c for c in parts[0][1].columns if c not in ("n_words", "n_docs")]
    terms = _sum_by([p[0] for p in parts], [*keys, "term"])
    words = _sum_by([p[1] for p in parts], keys)
    return terms, words


def _count_terms(
    articles: dd.DataFrame,
    keys: list[Hashable],
    fields: Any,
    ngram_range: tuple[int, int],
    stop_words: Any,
    client: Client | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from dask import delayed

    field_list = [fields] if isinstance(fields, str) else list(fields)
    _columns(articles, field_list, "fields")
    needed = list(dict.fromkeys([*keys, *field_list]))
    parts = [
        delayed(_tf_partition)(part, keys, fields, ngram_range, stop_words)
        for part in articles[needed].to_delayed()
    ]
    return _compute(get_client(client), _tree_reduce(parts, _merge_tf))


def term_frequencies(
    articles: dd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    ngram_range: tuple[int, int] = (1, 1),
    stop_words: Any = "english",
    min_df: float = 1,
    max_df: float = 1.0,
    top_n: int | None = None,
    fields: Any = "text",
    client: Client | None = None,
) -> pd.DataFrame:
    """:func:`mediakit.term_frequencies` of a dask frame, by map-reduce.

    Each partition is counted on a worker (the same tokeniser, stop words and n-grams);
    the counts per (group, term), documents per term and running words per group are
    added up in a tree of merges, then ``min_df``/``max_df``, ``top_n``, ``per_10k`` and
    ``tfidf`` are applied to the totals. Terms are merged by their text (no hashing), so
    the result equals the pandas one exactly: same columns, values and order. Only the
    merged counts come back to this process (one row per group and term).

    Parameters
    ----------
    articles : dask DataFrame
        An article frame, e.g. from :func:`read_articles`.
    by, ngram_range, stop_words, min_df, max_df, top_n, fields
        As in :func:`mediakit.term_frequencies`.
    client : distributed.Client, optional
        See :func:`get_client`.

    Returns
    -------
    DataFrame
        A pandas frame, as :func:`mediakit.term_frequencies` returns.

    Examples
    --------
    >>> import dask.dataframe as dd, mediakit as mk
    >>> articles = mk.datasets.load_allsides().head(300)
    >>> parts = dd.from_pandas(articles, npartitions=3)
    >>> with dask.config.set(scheduler="sync"):  # doctest: +SKIP
    ...     counts = mk.term_frequencies(parts, top_n=3)
    """
    from mediakit.terms import _check_df, _labels

    frame = _check_dask_frame(articles, "term_frequencies")
    keys = _as_names(by)
    _columns(frame, keys, "by")
    if top_n is not None and (isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1):
        raise ValueError(
            f"The 'top_n' parameter must be a positive int or None. Got {top_n!r} instead."
        )
    terms, words = _count_terms(frame, keys, fields, ngram_range, stop_words, client)
    group_keys = keys or ["__all__"]
    n_docs = int(words["n_docs"].sum())
    low = _check_df(min_df, "min_df", n_docs)
    high = _check_df(max_df, "max_df", n_docs)

    vocabulary, term_codes = np.unique(
        terms["term"].to_numpy(dtype=object).astype(str).astype(object), return_inverse=True
    )
    df = np.bincount(term_codes, weights=terms["doc_count"].to_numpy(), minlength=len(vocabulary))
    df = df.astype(np.int64)
    keep_term = (df >= low) & (df <= high)
    rows = keep_term[term_codes]
    terms = terms.loc[rows].reset_index(drop=True)
    term_codes = term_codes[rows]
    idf = np.log((1 + n_docs) / (1 + df)) + 1.0

    # group codes shared by the words table (every group) and the term rows
    both = pd.concat([words[group_keys], terms[group_keys]], ignore_index=True)
    codes = _group_codes(both, group_keys)
    word_codes, group = codes[: len(words)], codes[len(words) :]
    n_groups = int(word_codes.max()) + 1 if len(word_codes) else 0
    group_words = np.bincount(word_codes, weights=words["n_words"], minlength=n_groups)
    count = terms["count"].to_numpy(dtype=np.int64)
    doc_count = terms["doc_count"].to_numpy(dtype=np.int64)
    order = np.lexsort((term_codes, -count, group))
    group, term_codes, count, doc_count = (
        group[order],
        term_codes[order],
        count[order],
        doc_count[order],
    )
    key_rows = terms[group_keys].take(order).reset_index(drop=True)
    if top_n is not None:
        starts = np.searchsorted(group, group)
        keep = np.arange(len(group)) - starts < top_n
        group, term_codes, count, doc_count = (
            group[keep],
            term_codes[keep],
            count[keep],
            doc_count[keep],
        )
        key_rows = key_rows.loc[keep].reset_index(drop=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_10k = np.where(group_words[group] > 0, count / group_words[group] * 1e4, 0.0)
    out = key_rows[keys].copy() if keys else pd.DataFrame(index=range(len(group)))
    for column in keys:
        out[column] = out[column].astype(words[column].dtype)
    out["term"] = pd.array(vocabulary[term_codes], dtype="str")
    out["count"] = count
    out["doc_count"] = doc_count
    out["per_10k"] = per_10k
    out["tfidf"] = count * idf[term_codes]
    sorted_words = words.iloc[np.argsort(word_codes, kind="stable")].reset_index(drop=True)
    labels = _labels(sorted_words[keys]) if keys else ["all"]
    out.attrs = {
        "n_words": dict(zip(labels, sorted_words["n_words"].astype(int).tolist(), strict=True))
    }
    return out


# --------------------------------------------------------------------------- keyness
def _mask_column(frame: dd.DataFrame, value: Any, name: str) -> tuple[dd.DataFrame, Any]:
    """Add a dask boolean Series selection as a column; mappings stay as they are."""
    if is_dask(value):
        if getattr(value, "dtype", None) is None or not pd.api.types.is_bool_dtype(value.dtype):
            raise TypeError(
                f"The {name!r} parameter is a dask Series of dtype "
                f"{getattr(value, 'dtype', None)}; a mask must be boolean, for example "
                "articles['lean'] == 'right'."
            )
        column = f"__{name}__"
        return frame.assign(**{column: value}), column
    if isinstance(value, Mapping):
        return frame, value
    raise TypeError(
        f"The {name!r} parameter of keyness on a dask frame must be a {{column: value}} "
        "mapping such as {'lean': 'right'}, a boolean dask Series over the articles, or (for "
        f"'target') a column name. Got {type(value).__name__} instead."
    )


def _label(selection: Any) -> str:
    """How :func:`mediakit.keyness` names a selection (a mask by its Series name)."""
    from mediakit.terms import _describe

    if is_dask(selection):
        name = getattr(selection, "name", None)
        return "selection" if name is None else str(name)
    return _describe(selection)


def _side(part: pd.DataFrame, selection: Any, name: str) -> np.ndarray:
    from mediakit.terms import _selection

    if isinstance(selection, str):
        return part[selection].fillna(False).to_numpy(dtype=bool)
    return _selection(part, selection, name)


def _keyness_partition(
    part: pd.DataFrame,
    target: Any,
    reference: Any,
    fields: Any,
    ngram_range: tuple[int, int],
    stop_words: Any,
) -> tuple[pd.DataFrame, np.ndarray]:
    from mediakit.terms import _count, _texts

    in_target = _side(part, target, "target")
    in_reference = ~in_target if reference is None else _side(part, reference, "reference")
    rows = np.flatnonzero(in_target | in_reference)
    counts = _count(_texts(part.iloc[rows], fields), ngram_range=ngram_range, stop_words=stop_words)
    t, r = in_target[rows], in_reference[rows]
    a = np.asarray(counts.matrix[t].sum(axis=0)).ravel().astype(np.int64)
    b = np.asarray(counts.matrix[r].sum(axis=0)).ravel().astype(np.int64)
    frame = pd.DataFrame({"term": counts.terms, "a": a, "b": b})
    sizes = np.array(
        [counts.words[t].sum(), counts.words[r].sum(), t.sum(), r.sum()], dtype=np.int64
    )
    return frame, sizes


def _merge_keyness(parts: list[tuple[pd.DataFrame, np.ndarray]]) -> tuple[pd.DataFrame, np.ndarray]:
    frame = _sum_by([p[0] for p in parts], ["term"])
    return frame, np.sum([p[1] for p in parts], axis=0)


def keyness(
    articles: dd.DataFrame,
    target: Any,
    *,
    reference: Any = None,
    measure: str = "g2",
    min_count: int = 5,
    stop_words: Any = "english",
    ngram_range: tuple[int, int] = (1, 1),
    fields: Any = "text",
    client: Client | None = None,
) -> pd.DataFrame:
    """:func:`mediakit.keyness` of a dask frame, by map-reduce.

    Each partition counts its target and reference terms; the counts are merged by term
    and the statistics computed once on the totals, so the result equals the pandas one
    exactly.

    Parameters
    ----------
    articles : dask DataFrame
        An article frame.
    target : {column: value(s)}, boolean dask Series or str
        As in :func:`mediakit.keyness`; a mask must be a dask Series derived from
        ``articles`` (``articles["lean"] == "right"``).
    reference : {column: value(s)} or boolean dask Series, optional
        Default: every article not in the target.
    measure, min_count, stop_words, ngram_range, fields
        As in :func:`mediakit.keyness`.
    client : distributed.Client, optional
        See :func:`get_client`.

    Returns
    -------
    DataFrame
        A pandas frame, as :func:`mediakit.keyness` returns.
    """
    from dask import delayed

    from mediakit.terms import _check_keyness_params, _keyness_table

    frame = _check_dask_frame(articles, "keyness")
    _check_keyness_params(measure, min_count)
    if isinstance(target, str):
        return _keyness_by_column(
            frame,
            target,
            reference,
            measure,
            int(min_count),
            stop_words,
            ngram_range,
            fields,
            client,
        )
    frame, target_sel = _mask_column(frame, target, "target")
    reference_sel = None
    if reference is not None:
        frame, reference_sel = _mask_column(frame, reference, "reference")
    field_list = [fields] if isinstance(fields, str) else list(fields)
    _columns(frame, field_list, "fields")
    needed: list[Hashable] = list(field_list)
    for sel, name in ((target_sel, "target"), (reference_sel, "reference")):
        if isinstance(sel, str):
            needed.append(sel)
        elif isinstance(sel, Mapping):
            _columns(frame, list(sel), name)
            needed.extend(sel)
    needed = list(dict.fromkeys(needed))
    parts = [
        delayed(_keyness_partition)(
            part, target_sel, reference_sel, fields, ngram_range, stop_words
        )
        for part in frame[needed].to_delayed()
    ]
    counts, sizes = _compute(get_client(client), _tree_reduce(parts, _merge_keyness))
    n_a, n_b, docs_a, docs_b = (int(s) for s in sizes)
    if docs_a == 0:
        raise ValueError(
            f"The 'target' parameter selects no article ({_label(target)}); check the "
            "column values, for example articles['lean'].unique().compute()."
        )
    if docs_b == 0:
        if reference is None:
            raise ValueError(
                f"The 'target' parameter selects every article ({_label(target)}), so "
                "nothing is left to compare with. Select fewer articles or pass reference=."
            )
        raise ValueError(
            f"The 'reference' parameter selects no article ({_label(reference)}); "
            "check the column values, or leave reference=None to use all other articles."
        )
    terms = counts["term"].to_numpy(dtype=object)
    order = np.argsort(terms, kind="stable")
    out = _keyness_table(
        terms[order],
        counts["a"].to_numpy(dtype=np.int64)[order],
        counts["b"].to_numpy(dtype=np.int64)[order],
        float(n_a),
        float(n_b),
        measure=measure,
        min_count=int(min_count),
    )
    target_label, reference_label = _label(target), _label(reference)
    out.attrs = {
        "n_target": n_a,
        "n_reference": n_b,
        "target": target_label,
        "reference": f"not {target_label}" if reference is None else reference_label,
        "measure": measure,
    }
    return out


def _keyness_by_column(
    frame: dd.DataFrame,
    column: str,
    reference: Any,
    measure: str,
    min_count: int,
    stop_words: Any,
    ngram_range: tuple[int, int],
    fields: Any,
    client: Client | None,
) -> pd.DataFrame:
    from mediakit.terms import _each_group_against_rest

    if column not in frame.columns:
        raise KeyError(
            f"The 'target' parameter {column!r} is not a column of the article frame (columns: "
            f"{list(frame.columns)}). Pass a column name, a boolean mask, or a mapping "
            "such as {'lean': 'right'}."
        )
    if reference is not None:
        raise ValueError(
            f"The 'reference' parameter must be None when 'target' is a column ({column!r}): "
            "each value is compared with all other articles. Pass target={column: value} "
            "to compare with a chosen reference."
        )
    terms, words = _count_terms(frame, [column], fields, ngram_range, stop_words, client)
    word_codes = _group_codes(words, [column])
    words = words.iloc[np.argsort(word_codes, kind="stable")].reset_index(drop=True)
    if len(words) < 2:
        raise ValueError(
            f"The 'target' column {column!r} has a single value {words[column].tolist()}, so "
            "nothing is left to compare with. Pick a column with at least two values."
        )
    vocabulary, term_codes = np.unique(
        terms["term"].to_numpy(dtype=object).astype(str).astype(object), return_inverse=True
    )
    both = pd.concat([words[[column]], terms[[column]]], ignore_index=True)
    group = _group_codes(both, [column])[len(words) :]
    by_group = np.zeros((len(words), len(vocabulary)), dtype=np.int64)
    np.add.at(by_group, (group, term_codes), terms["count"].to_numpy(dtype=np.int64))
    return _each_group_against_rest(
        vocabulary,
        by_group,
        words["n_words"].to_numpy(dtype=np.float64),
        words[column],
        column=column,
        dtype=words[column].dtype,
        measure=measure,
        min_count=min_count,
    )


# --------------------------------------------------------------------------- coverage
def _local_dates(part: pd.DataFrame, date_column: Hashable, tz: str | None) -> pd.Series:
    from mediakit.schema import to_utc

    dates = to_utc(part[date_column])
    if tz is not None:
        dates = dates.dt.tz_convert(tz)
    return dates


def _date_span(part: pd.DataFrame, date_column: Hashable, tz: str | None) -> np.ndarray:
    """[first local stamp, last local stamp, undated rows, rows] of one partition."""
    dates = _local_dates(part, date_column, tz)
    dated = dates.dropna()
    if len(dated) == 0:
        return np.array([np.iinfo(np.int64).max, np.iinfo(np.int64).min, len(part), len(part)])
    local = dated.dt.tz_localize(None).astype("datetime64[us]").to_numpy().view("int64")
    return np.array([local.min(), local.max(), len(part) - len(dated), len(part)])


def _merge_spans(spans: list[np.ndarray]) -> np.ndarray:
    stacked = np.vstack(spans)
    return np.array(
        [stacked[:, 0].min(), stacked[:, 1].max(), stacked[:, 2].sum(), stacked[:, 3].sum()]
    )


def _coverage_partition(
    part: pd.DataFrame,
    edge_values: np.ndarray,
    keys: list[Hashable],
    queries: dict[str, Any],
    date_column: Hashable,
    tz: str | None,
    fields: Sequence[str] | None,
    case: bool,
) -> pd.DataFrame:
    """Articles per (group, period) and matches per query, for one partition."""
    from mediakit.timeline import _query_mask

    dates = _local_dates(part, date_column, tz)
    dated = dates.notna().to_numpy()
    rows = part.loc[dated] if not dated.all() else part
    local = dates[dated].dt.tz_localize(None).astype("datetime64[us]")
    stamps = local.to_numpy().view("int64")
    cells = rows[keys].reset_index(drop=True) if keys else pd.DataFrame(index=range(len(rows)))
    cells["__period"] = np.searchsorted(edge_values, stamps, side="right") - 1
    cells["__total"] = 1
    for j, (name, query) in enumerate(queries.items()):
        if query is None:
            continue
        if isinstance(query, str) and query.startswith("__mask__"):
            mask = part[query].fillna(False).to_numpy(dtype=bool)[dated]
        else:
            mask = _query_mask(part, dated, name, query, fields, case)
        cells[f"__q{j}"] = mask.astype(np.int64)
    group = [*keys, "__period"]
    return cells.groupby(group, observed=True, dropna=False, sort=False).sum().reset_index()


def _merge_cells(parts: list[pd.DataFrame]) -> pd.DataFrame:
    group = [c for c in parts[0].columns if c == "__period" or not str(c).startswith("__")]
    return _sum_by(list(parts), group)


def coverage(
    articles: dd.DataFrame,
    *,
    freq: str | pd.DateOffset = "W",
    by: Hashable | Sequence[Hashable] | None = None,
    query: str | Sequence[str] | Mapping[str, Any] | None = None,
    smooth: int | None = None,
    date_column: Hashable = "published",
    tz: str | None = None,
    fields: Sequence[str] | None = None,
    case: bool = False,
    client: Client | None = None,
) -> pd.DataFrame:
    """:func:`mediakit.coverage` of a dask frame, by map-reduce.

    A first pass over the date column finds the first and last dates (and so the
    periods); a second counts, in each partition, the articles per period and group and
    those matching each query; the counts are added up and the timeline built from the
    totals, so the result equals the pandas one exactly.

    Parameters
    ----------
    articles : dask DataFrame
        An article frame.
    freq, by, query, smooth, date_column, tz, fields, case
        As in :func:`mediakit.coverage`. A named query may be a boolean dask Series
        derived from ``articles``.
    client : distributed.Client, optional
        See :func:`get_client`.

    Returns
    -------
    DataFrame
        A pandas frame, as :func:`mediakit.coverage` returns.
    """
    from dask import delayed

    from mediakit import timeline
    from mediakit.timeline import UndatedArticlesWarning

    frame = _check_dask_frame(articles, "coverage")
    if date_column not in frame.columns:
        raise KeyError(
            f"The 'date_column' parameter of coverage names {date_column!r}, which is not a "
            f"column of the article frame (columns: {list(frame.columns)}). Pass the "
            "column that holds publication dates."
        )
    keys = timeline._as_list(by)
    if "query" in keys or any(k in timeline.VALUE_COLUMNS for k in keys):
        raise ValueError(
            f"The 'by' parameter of coverage cannot use the column names "
            f"{['query', *timeline.VALUE_COLUMNS]} of the result. Got {by!r}; rename the "
            "column first."
        )
    _columns(frame, keys, "by")
    if smooth is not None and (
        isinstance(smooth, bool) or not isinstance(smooth, int | np.integer) or smooth < 1
    ):
        raise ValueError(
            f"The 'smooth' parameter of coverage must be None or a positive number of "
            f"periods. Got {smooth!r} instead."
        )
    timeline._period_offset(freq)  # check freq before any work
    if tz is not None:
        try:
            pd.Series(pd.DatetimeIndex([], tz="UTC")).dt.tz_convert(tz)
        except (ValueError, TypeError, KeyError) as error:
            raise ValueError(
                f"The 'tz' parameter of coverage must be a time zone name such as "
                f"'Europe/Berlin' or 'UTC'. Got {tz!r} instead ({error})."
            ) from None
    named = timeline._queries(query) if not is_dask(query) else {"query": query}
    queries: dict[str, Any] = {}
    for j, (name, q) in enumerate(named.items()):
        if is_dask(q):
            column = f"__mask__{j}"
            frame = frame.assign(**{column: q})
            queries[name] = column
        elif q is None or isinstance(q, str):
            queries[name] = q
        else:
            raise TypeError(
                f"The 'query' entry {name!r} must be a query string or a boolean dask Series "
                f"over the articles, got {type(q).__name__}."
            )
    text_fields = list(fields) if fields is not None else ["title", "text"]
    needs_text = any(isinstance(q, str) and not q.startswith("__mask__") for q in queries.values())
    needed = [
        date_column,
        *keys,
        *[q for q in queries.values() if isinstance(q, str) and q.startswith("__mask__")],
    ]
    if needs_text:
        needed += [f for f in text_fields if f in frame.columns]
    needed = list(dict.fromkeys(needed))
    subset = frame[needed]
    dask_client = get_client(client)

    spans = [delayed(_date_span)(p, date_column, tz) for p in subset[[date_column]].to_delayed()]
    first_stamp, last_stamp, n_undated, n_rows = (
        int(v) for v in _compute(dask_client, _tree_reduce(spans, _merge_spans))
    )
    if n_undated:
        warnings.warn(
            f"{n_undated} of {n_rows} articles have no date in {date_column!r} and are "
            "left out of the timeline. Recover dates with mediakit.load_articles(...) or "
            "filter them out first to silence this warning.",
            UndatedArticlesWarning,
            stacklevel=2,
        )
    meta = subset._meta
    out_tz = _local_dates(meta, date_column, tz).dt.tz
    if n_undated == n_rows:  # nothing dated: the pandas path on an empty frame
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndatedArticlesWarning)
            return timeline.coverage(
                meta,
                freq=freq,
                by=by,
                query=query if not is_dask(query) else None,
                smooth=smooth,
                date_column=date_column,
                tz=tz,
                fields=fields,
                case=case,
            )
    first = pd.Timestamp(np.int64(first_stamp).astype("datetime64[us]"))
    last = pd.Timestamp(np.int64(last_stamp).astype("datetime64[us]"))
    edges, sub_daily = timeline._period_edges(first, last, freq)
    edge_values = edges.to_numpy().view("int64")
    period_starts = edges[:-1]
    if sub_daily:
        cover_start, cover_end = first, last + pd.Timedelta(1, "us")
    else:
        cover_start, cover_end = first.normalize(), last.normalize() + pd.Timedelta(days=1)
    partial = np.asarray((edges[:-1] < cover_start) | (edges[1:] > cover_end))

    parts = [
        delayed(_coverage_partition)(p, edge_values, keys, queries, date_column, tz, fields, case)
        for p in subset.to_delayed()
    ]
    cells = _compute(dask_client, _tree_reduce(parts, _merge_cells))
    group_codes, group_columns = timeline._groups(cells, keys)
    n_groups = len(group_columns[0]) if keys else 1
    n_periods = len(period_starts)
    size = n_groups * n_periods
    cell = group_codes * n_periods + cells["__period"].to_numpy(dtype=np.int64)
    totals = np.bincount(cell, weights=cells["__total"], minlength=size)
    totals = totals.astype(np.int64).reshape(n_groups, n_periods)
    counts = np.empty((n_groups, len(queries), n_periods), dtype="int64")
    for j, q in enumerate(queries.values()):
        if q is None:
            counts[:, j, :] = totals
            continue
        values = np.bincount(cell, weights=cells[f"__q{j}"], minlength=size)
        counts[:, j, :] = values.astype(np.int64).reshape(n_groups, n_periods)
    totals3 = np.broadcast_to(totals[:, None, :], counts.shape)

    count_values: np.ndarray = counts
    total_values: np.ndarray = totals3
    if smooth is not None and n_periods:
        count_values = timeline._smooth(counts, partial, int(smooth))
        total_values = timeline._smooth(np.ascontiguousarray(totals3), partial, int(smooth))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(
            total_values > 0, count_values / np.where(total_values > 0, total_values, 1), np.nan
        )

    def flat(values: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(np.moveaxis(values, 2, 0)).reshape(-1)

    n_queries = len(queries)
    g_index = np.tile(np.repeat(np.arange(n_groups), n_queries), n_periods)
    period_col = pd.DatetimeIndex(period_starts).repeat(n_groups * n_queries)
    period_col = period_col.tz_localize(out_tz, ambiguous=True, nonexistent="shift_forward")
    data: dict[Hashable, Any] = {"period": period_col}
    for k, values in zip(keys, group_columns, strict=True):
        data[k] = pd.Series(values.take(g_index), dtype=cells[k].dtype)
    data["query"] = np.tile(np.array(list(queries), dtype=object), n_groups * n_periods)
    data["count"] = flat(count_values)
    data["total"] = flat(np.ascontiguousarray(total_values))
    data["share"] = flat(share)
    data["partial"] = np.repeat(partial, n_groups * n_queries).astype(bool)
    out = pd.DataFrame(data)
    out["query"] = out["query"].astype("str")
    return out


# --------------------------------------------------------------------------- topics
def _topic_vocabulary(
    part: pd.DataFrame, model: TopicModel, sample: int, ceiling: int
) -> tuple[pd.DataFrame, int, pd.DataFrame]:
    """A partition's document frequencies, its size, and its texts of smallest content hash.

    Only hashes below ``ceiling`` are candidates for the sample: set so that about four
    times ``sample`` documents of the whole corpus fall below it, it keeps what partitions
    send back small.
    """
    from mediakit.topics import _as_docs

    docs = _as_docs(part)
    counts, _, _, vocab = model._encode(docs, np.arange(len(docs.hashes)), None)
    df = np.bincount(counts.indices, minlength=counts.shape[1])[: len(vocab)]
    frequencies = pd.DataFrame(
        {"term": np.array(list(vocab), dtype=object), "doc_count": df.astype(np.int64)}
    )
    keep = np.argsort(docs.hashes, kind="stable")[:sample]
    keep = keep[docs.hashes[keep] < np.uint64(ceiling)]
    chosen = pd.DataFrame(
        {
            "hash": docs.hashes[keep],
            "title": [docs.titles[i] for i in keep],
            "text": [docs.bodies[i] for i in keep],
        }
    )
    return frequencies, len(docs.hashes), chosen


def _merge_topic_vocabulary(
    parts: list[tuple[pd.DataFrame, int, pd.DataFrame]], sample: int
) -> tuple[pd.DataFrame, int, pd.DataFrame]:
    frequencies = _sum_by([p[0] for p in parts], ["term"])
    chosen = pd.concat([p[2] for p in parts], ignore_index=True)
    # equal hashes mean equal texts, so the order among them does not matter
    chosen = chosen.sort_values("hash", kind="stable").head(sample)
    return frequencies, sum(p[1] for p in parts), chosen.reset_index(drop=True)


def _topic_rows(part: pd.DataFrame, model: TopicModel) -> tuple[Any, Any, Any]:
    """Documents, tf-idf rows and unit LSA rows of a partition, on the fitted vocabulary."""
    from mediakit.topics import _as_docs

    docs = _as_docs(part)
    counts, _, _, _ = model._encode(docs, np.arange(len(docs.hashes)), model.vocabulary_)
    X = model._tfidf(counts)
    return docs, X, model._project(X)


def _lsa_rows(part: pd.DataFrame, model: TopicModel) -> np.ndarray:
    return np.asarray(_topic_rows(part, model)[2])


def _add_steps(
    parts: list[tuple[np.ndarray, np.ndarray, int]],
) -> tuple[np.ndarray, np.ndarray, int]:
    return (
        np.sum([p[0] for p in parts], axis=0),
        np.sum([p[1] for p in parts], axis=0),
        sum(p[2] for p in parts),
    )


def _topic_members(
    part: pd.DataFrame, model: TopicModel, best: int
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Summed tf-idf rows and sizes of each topic, and its ``best`` best-scoring articles."""
    from mediakit.topics import _member_sums

    docs, X, Z = _topic_rows(part, model)
    scores = np.asarray(Z @ model._centroids.T)
    labels = scores.argmax(axis=1)
    k = scores.shape[1]
    sums, sizes = _member_sums(labels, X, k)
    own = scores[np.arange(len(labels)), labels]
    order = np.lexsort((docs.hashes, -own, labels))  # by topic, then best score first
    rank = np.arange(len(order)) - np.searchsorted(labels[order], labels[order])
    keep = order[rank < best]
    candidates = pd.DataFrame(
        {
            "hash": docs.hashes[keep],
            "topic": labels[keep],
            "score": own[keep],
            "document": np.asarray(docs.index, dtype=object)[keep],
            "title": np.asarray(docs.previews, dtype=object)[keep],
            "scores": list(scores[keep]),
        }
    )
    return sums, sizes, candidates


def _merge_members(
    parts: list[tuple[np.ndarray, np.ndarray, pd.DataFrame]], best: int
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    candidates = pd.concat([p[2] for p in parts], ignore_index=True)
    candidates = candidates.sort_values(
        ["topic", "score", "hash"], ascending=[True, False, True], kind="stable"
    )
    candidates = candidates.groupby("topic", sort=False).head(best).reset_index(drop=True)
    return np.sum([p[0] for p in parts], axis=0), np.sum([p[1] for p in parts], axis=0), candidates


def fit_topics(model: TopicModel, X: Any, *, client: Client | None = None) -> TopicModel:
    """:meth:`mediakit.TopicModel.fit` on a dask article frame, partition by partition.

    Runs the steps of the in-memory fit, each as a pass over the partitions, so a fit on
    a corpus small enough for pandas gives the same topics (up to the order floating-point
    sums are taken in):

    1. document frequencies of every term (merged by term) fix the vocabulary and the
       idf; the same pass keeps the 20,000 documents with the smallest content hashes,
       the sample the in-memory fit uses too (it does not depend on partitioning or row
       order);
    2. on that sample, here: the LSA projection, the choice of ``n_topics="auto"`` and
       the k-means restarts;
    3. each partition's LSA rows (100 numbers per article) are computed once and kept on
       the workers; spherical k-means steps over them are map-reduces (each partition
       sends back one summed row per topic) until no article changes topic;
    4. a last pass adds up each topic's tf-idf rows (its terms), counts its articles and
       keeps its best-scoring articles (at most 20, for
       :meth:`~mediakit.TopicModel.representative_articles`).

    Memory per worker stays bounded by a few partitions plus the LSA rows of its share of
    the corpus (800 bytes per article with the default 100 dimensions), which Dask
    spills to disk when a worker runs short.
    :meth:`~mediakit.TopicModel.coherence` is computed on the sample's token streams.
    ``transform``, ``predict`` and ``assign`` then map over the partitions of a dask frame.

    Parameters
    ----------
    model : TopicModel
        With ``method="kmeans"``; its parameters are used as given.
    X : dask.dataframe.DataFrame
        Articles with a ``text`` column (and ``title``, weighted as in the in-memory fit).
    client : distributed.Client, optional
        See :func:`get_client`.

    Returns
    -------
    TopicModel
        ``model``, fitted.
    """
    import copy
    from functools import partial

    import dask
    from dask import delayed
    from threadpoolctl import threadpool_limits

    from mediakit.topics import _REPRESENTATIVES, _SAMPLE, _as_docs, _spherical_step

    model._check_params()
    if model.method != "kmeans":
        raise ValueError(
            f"TopicModel(method={model.method!r}) fits in memory only; on a dask frame use "
            "method='kmeans', or fit a sample: model.fit(frame.sample(frac=0.1).compute())."
        )
    frame = _check_dask_frame(X, "TopicModel.fit")
    if "text" not in frame.columns:
        raise ValueError(
            f"The 'X' frame has no 'text' column (columns: {list(frame.columns)}). Pass an "
            "article frame."
        )
    dask_client = get_client(client)
    parts = frame[[c for c in ("title", "text") if c in frame.columns]].to_delayed()
    with dask.config.set(scheduler=dask_client):
        n_rows = len(frame)
    sample = max(_SAMPLE, int(model.auto_sample))

    def on_workers(state: TopicModel) -> Any:
        """The model as the tasks see it: one copy per worker, tokenising in one process."""
        worker_model = copy.copy(state)
        worker_model.n_jobs = None
        return dask_client.scatter(worker_model, broadcast=True)

    def map_reduce(
        func: Callable[..., Any], combine: Callable[[list[Any]], Any], *args: Any
    ) -> Any:
        tasks = [delayed(func)(part, *args) for part in parts]
        return _compute(dask_client, _tree_reduce(tasks, combine))

    # 1. vocabulary, idf and the sample
    ceiling = min(2**64 - 1, int(2**64 * 4 * sample / max(n_rows, 1)))
    frequencies, n_docs, chosen = map_reduce(
        _topic_vocabulary,
        partial(_merge_topic_vocabulary, sample=sample),
        on_workers(model),
        sample,
        ceiling,
    )
    model._check_n_docs(n_docs)
    seed = model._seed()
    model._set_vocabulary(
        frequencies["term"].to_numpy(dtype=object),
        frequencies["doc_count"].to_numpy(dtype=np.int64),
        n_docs,
    )

    with threadpool_limits(limits=1):
        # 2. on the sample, in this process, as the in-memory fit does
        docs = _as_docs(chosen[["title", "text"]])
        counts, tokens, offsets, _ = model._encode(
            docs, np.arange(len(docs.hashes)), model.vocabulary_
        )
        X_sample = model._tfidf(counts)
        model._fit_projection(X_sample[:_SAMPLE], n_docs, seed)
        Z_sample = model._project(X_sample)
        k = model._number_of_topics(X_sample, counts, Z_sample, tokens, offsets, seed, n_docs)

        # 3. LSA rows kept on the workers, k-means steps over them
        shared = on_workers(model)
        projected = dask_client.compute([delayed(_lsa_rows)(part, shared) for part in parts])

        def step(previous: np.ndarray | None, centroids: np.ndarray) -> Any:
            tasks = [delayed(_spherical_step)(block, previous, centroids) for block in projected]
            return _compute(dask_client, _tree_reduce(tasks, _add_steps))

        try:
            model._centroids = model._kmeans(Z_sample[:_SAMPLE], k, seed, n_docs, step)
        finally:
            dask_client.cancel(projected)  # free the workers' memory

    # 4. topic terms, sizes and representative articles
    sums, sizes, candidates = map_reduce(
        _topic_members,
        partial(_merge_members, best=_REPRESENTATIVES),
        on_workers(model),
        _REPRESENTATIVES,
    )
    perm = model._name_topics(sums / np.maximum(sizes, 1)[:, None], sizes, n_docs)
    candidates = candidates.sort_values("hash", kind="stable")
    scores = np.array(candidates["scores"].tolist(), dtype=np.float64).reshape(-1, k)
    model._keep_fitted(
        candidates["hash"].to_numpy(dtype=np.uint64),
        scores[:, perm],
        np.argsort(perm)[candidates["topic"].to_numpy(dtype=np.int64)],
        candidates["document"].to_numpy(dtype=object),
        candidates["title"].to_numpy(dtype=object),
    )
    model._count_windows(tokens, offsets)
    return model


# --------------------------------------------------------------------------- loading
def _read_batch(tasks: list[tuple[str, str, str, str | None]]) -> list[dict[str, Any]]:
    from mediakit.ingest.load import _read_file

    return [_read_file(task) for task in tasks]


def read_files(
    tasks: Sequence[tuple[str, str, str, str | None]],
    *,
    client: Client | None = None,
    files_per_task: int = 64,
) -> list[dict[str, Any]]:
    """Read and parse files on the cluster for :func:`mediakit.load_articles`, in task order.

    Each task of ``files_per_task`` files runs the per-file reader of
    :mod:`mediakit.ingest.load` (read, decompress, detect the format, decode, parse saved
    pages) on a worker; only the parsed records come back.
    """
    if (
        isinstance(files_per_task, bool)
        or not isinstance(files_per_task, int)
        or files_per_task < 1
    ):
        raise ValueError(
            f"The 'files_per_task' parameter must be a positive int. Got {files_per_task!r} "
            "instead."
        )
    dask_client = get_client(client)
    tasks = list(tasks)
    batches = [tasks[i : i + files_per_task] for i in range(0, len(tasks), files_per_task)]
    futures = dask_client.map(_read_batch, batches, pure=False)
    return [result for batch in dask_client.gather(futures) for result in batch]


def load_articles(
    source: Any,
    *,
    client: Client | None = None,
    path: str | os.PathLike[str] | None = None,
    return_report: bool = False,
    **kwargs: Any,
) -> Any:
    """:func:`mediakit.load_articles` with the files read and parsed on a Dask cluster.

    The files are sent to the workers in batches (see :func:`read_files`); reading,
    decompressing, decoding and parsing saved pages, the costly steps, run there. The
    parsed records come back and are cleaned, dated, identified and de-duplicated here
    exactly as :func:`mediakit.load_articles` does (the text cleaner needs all texts of
    an outlet at once), so the frame and the report equal the ones it returns. With
    ``path``, the articles are also written as a monthly Parquet dataset
    (:func:`save_articles`), ready for :func:`read_articles`.

    Parameters
    ----------
    source : path, glob, folder or list of these
        What to load.
    client : distributed.Client, optional
        See :func:`get_client`.
    path : str or PathLike, optional
        A folder to write the articles to, partitioned by month.
    return_report : bool, default False
        Also return the ingest report.
    **kwargs
        ``format``, ``engine``, ``outlet``, ``metadata``, ``columns``, ``dedupe`` and
        ``progress`` of :func:`mediakit.load_articles`.

    Returns
    -------
    DataFrame or (DataFrame, DataFrame)
        The article frame, and the ingest report if asked.
    """
    from mediakit.ingest.load import load_articles as load

    if isinstance(source, pd.DataFrame):
        raise TypeError(
            "The 'source' parameter of mediakit.scale.load_articles must be files, a folder "
            "or a glob; a DataFrame has nothing to spread over workers. Call "
            "mediakit.load_articles(frame) instead."
        )
    result = load(source, client=get_client(client), return_report=True, **kwargs)
    articles, report = result
    if path is not None:
        save_articles(articles, path)
    return (articles, report) if return_report else articles
