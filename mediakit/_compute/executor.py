"""Run an analysis' steps on pandas or on Dask; the choice is made here, from the input.

An analysis is written once, as functions of one partition (a pandas frame):

- a *map* step turns a partition into a partial result;
- a *combine* step merges a list of partial results into one; it is associative and
  additive, so partial results can be merged in any grouping;
- the analysis then *finalizes* the one merged result into its tidy frame.

:func:`runner_for` looks at the input and returns the runner that applies those steps:
a :class:`PandasRunner` for a pandas frame (one partition, or row chunks of it), a
:class:`DaskRunner` for a dask frame, or for a pandas frame when a ``client`` is given.
No runner starts a cluster: Dask computes with the ``client`` passed, else with the
scheduler Dask is configured with (the current :class:`distributed.Client` once one is
created, Dask's local threads otherwise).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

if TYPE_CHECKING:
    import dask.dataframe as dd

T = TypeVar("T")

#: Partial results merged per combine step of a Dask reduction.
FAN_IN = 8


def is_dask(obj: object) -> bool:
    """Whether ``obj`` is a Dask collection (checked without importing Dask).

    Examples
    --------
    >>> import pandas as pd
    >>> is_dask(pd.DataFrame())
    False
    """
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr")


def require_dask() -> None:
    """Raise an ImportError that says how to install Dask when it is missing."""
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as error:  # pragma: no cover - the extra is installed in tests
        raise ImportError(
            f"Computing on Dask needs {error.name}, which is not installed. Install it with "
            'pip install "mediakit[scale]".'
        ) from None


def check_client(client: Any) -> None:
    """``client`` is None or something that computes like a :class:`distributed.Client`."""
    if client is not None and not (hasattr(client, "compute") and hasattr(client, "gather")):
        raise TypeError(
            f"The 'client' parameter must be a distributed.Client, got "
            f"{type(client).__name__}. Create one with distributed.Client() or "
            "Client('tcp://scheduler:8786'), or leave client=None."
        )


def get_client(client: Any = None, *, start: bool = False) -> Any:
    """The :class:`distributed.Client` to compute on.

    Parameters
    ----------
    client : distributed.Client, optional
        Returned as given.
    start : bool, default False
        When there is no ``client`` and no current client, start a
        :class:`distributed.LocalCluster` (one single-threaded worker process per core)
        and return a client of it. The caller owns it: close it with ``client.close()``.
        Without ``start``, that case raises ValueError.

    Returns
    -------
    distributed.Client
        ``client``, else the current client (``distributed.get_client()``: the last one
        created in this session), else a new one if ``start``.
    """
    check_client(client)
    if client is not None:
        return client
    require_dask()
    from distributed import Client, LocalCluster, default_client

    try:
        return default_client()
    except ValueError:
        if not start:
            raise ValueError(
                "There is no Dask client in this session. Create one (from distributed import "
                "Client; client = Client()), pass client=, or call get_client(start=True) to "
                "start a LocalCluster."
            ) from None
    cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1)
    return Client(cluster)


def _configured_client() -> Any:
    """The distributed client Dask is configured to compute on, if any (never a new one)."""
    if "distributed" not in sys.modules:
        return None
    import dask
    from distributed import default_client

    try:
        client = default_client()
    except ValueError:
        return None
    return client if dask.base.get_scheduler() == client.get else None


# --------------------------------------------------------------------------- runners
@dataclass
class PandasRunner:
    """Steps applied in this process to a pandas frame, whole or in row chunks."""

    frame: pd.DataFrame
    rows_per_chunk: int | None = None

    @property
    def partitions(self) -> list[pd.DataFrame]:
        step = self.rows_per_chunk
        if step is None or len(self.frame) <= step:
            return [self.frame]
        return [self.frame.iloc[i : i + step] for i in range(0, len(self.frame), step)]

    def columns(self, names: Sequence[Any]) -> PandasRunner:
        """The same runner on fewer columns (what the steps read)."""
        return PandasRunner(self.frame[list(dict.fromkeys(names))], self.rows_per_chunk)

    @property
    def meta(self) -> pd.DataFrame:
        """An empty frame with the columns and dtypes of the partitions."""
        return self.frame.iloc[:0]

    def map_combine(self, step: Callable[..., T], combine: Callable[[list[T]], T], *args: Any) -> T:
        """``step(partition, *args)`` on every partition, merged by ``combine``."""
        parts = [step(part, *args) for part in self.partitions]
        return parts[0] if len(parts) == 1 else combine(parts)

    def share(self, obj: T) -> T:
        """``obj`` as the steps receive it (here: itself)."""
        return obj

    def keep(self, step: Callable[..., Any], *args: Any) -> list[Any]:
        """``step(partition, *args)`` of every partition, kept for later passes."""
        return [step(part, *args) for part in self.partitions]

    def map_combine_kept(
        self, kept: list[Any], step: Callable[..., T], combine: Callable[[list[T]], T], *args: Any
    ) -> T:
        """``step(kept_value, *args)`` on every value kept by :meth:`keep`, merged."""
        parts = [step(value, *args) for value in kept]
        return parts[0] if len(parts) == 1 else combine(parts)

    def release(self, kept: list[Any]) -> None:
        kept.clear()


@dataclass
class DaskRunner:
    """Steps run as Dask tasks, one per partition, merged in a tree of combine tasks."""

    frame: dd.DataFrame
    client: Any = None

    def columns(self, names: Sequence[Any]) -> DaskRunner:
        return DaskRunner(self.frame[list(dict.fromkeys(names))], self.client)

    @property
    def meta(self) -> pd.DataFrame:
        return self.frame._meta

    def compute(self, obj: Any) -> Any:
        """Compute on the client if one was passed, else on Dask's configured scheduler."""
        if self.client is not None:
            return self.client.compute(obj, sync=True)
        import dask

        return dask.compute(obj)[0]

    def _reduce(self, parts: list[Any], combine: Callable[[list[Any]], Any]) -> Any:
        from dask import delayed

        if not parts:
            return delayed(combine)([])
        while len(parts) > FAN_IN:
            parts = [delayed(combine)(parts[i : i + FAN_IN]) for i in range(0, len(parts), FAN_IN)]
        return delayed(combine)(parts) if len(parts) > 1 else parts[0]

    def map_combine(self, step: Callable[..., T], combine: Callable[[list[T]], T], *args: Any) -> T:
        from dask import delayed

        tasks = [delayed(step)(part, *args) for part in self.frame.to_delayed()]
        return self.compute(self._reduce(tasks, combine))

    def share(self, obj: Any) -> Any:
        """``obj`` sent once: scattered to every worker of a client, else one graph node.

        Each call scatters under a new key (``hash=False``): two calls with equal content
        would otherwise share one key, and the first future's release could forget the
        data the second still needs ("lost dependencies").
        """
        client = self.client if self.client is not None else _configured_client()
        if client is not None:
            return client.scatter(obj, broadcast=True, hash=False)
        from dask import delayed

        return delayed(obj, pure=False)

    def keep(self, step: Callable[..., Any], *args: Any) -> list[Any]:
        """``step`` of every partition, computed and kept where it was computed."""
        from dask import delayed

        tasks = [delayed(step)(part, *args) for part in self.frame.to_delayed()]
        if self.client is not None:
            return list(self.client.compute(tasks))
        import dask

        return list(dask.persist(*tasks))

    def map_combine_kept(
        self, kept: list[Any], step: Callable[..., T], combine: Callable[[list[T]], T], *args: Any
    ) -> T:
        from dask import delayed

        tasks = [delayed(step)(value, *args) for value in kept]
        return self.compute(self._reduce(tasks, combine))

    def release(self, kept: list[Any]) -> None:
        """Free what :meth:`keep` holds (the workers' memory)."""
        if self.client is not None:
            self.client.cancel(kept)
        kept.clear()


Runner = PandasRunner | DaskRunner


def runner_for(
    articles: object,
    *,
    client: Any = None,
    function: str,
    rows_per_chunk: int | None = None,
) -> Runner:
    """The runner for ``articles``: the one place the executor is chosen.

    Parameters
    ----------
    articles : pandas or dask DataFrame
        A dask frame runs on Dask. A pandas frame runs here, unless ``client`` is given:
        then it is split into one partition per worker core (at most 8) and sent there.
    client : distributed.Client, optional
        The cluster to compute on.
    function : str
        The public function's name, for error messages.
    rows_per_chunk : int, optional
        Run a pandas frame in row chunks of this size (bounds the memory of a step).
    """
    check_client(client)
    if is_dask(articles):
        require_dask()
        import dask.dataframe as dd

        if not isinstance(articles, dd.DataFrame):
            raise TypeError(
                f"The 'articles' parameter of {function} must be a dask or pandas DataFrame, "
                f"got {type(articles).__name__}."
            )
        return DaskRunner(articles, client)
    if not isinstance(articles, pd.DataFrame):
        raise TypeError(
            f"The 'articles' parameter of {function} must be a dask or pandas DataFrame, got "
            f"{type(articles).__name__}. Load an article frame with mediakit.load_articles(...) "
            "or read a saved one with mediakit.read_articles(path)."
        )
    if client is None:
        return PandasRunner(articles, rows_per_chunk)
    require_dask()
    import dask.dataframe as dd

    workers = sum(client.nthreads().values()) if hasattr(client, "nthreads") else 1
    npartitions = max(1, min(int(workers) or 1, 8, len(articles) or 1))
    return DaskRunner(dd.from_pandas(articles, npartitions=npartitions), client)


def _run_batch(batch: list[Any], function: Callable[[Any], T]) -> list[T]:
    return [function(item) for item in batch]


def map_batches(
    function: Callable[[Any], T], items: Sequence[Any], *, client: Any, batch_size: int = 64
) -> list[T]:
    """``function(item)`` for every item, in batches of ``batch_size`` on ``client``'s workers.

    Results come back in the order of ``items``.
    """
    check_client(client)
    if client is None:
        return [function(item) for item in items]
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(
            f"The 'batch_size' parameter must be a positive int. Got {batch_size!r} instead."
        )
    items = list(items)
    batches = [items[i : i + batch_size] for i in range(0, len(items), batch_size)]
    futures = client.map(_run_batch, batches, function=function, pure=False)
    return [result for batch in client.gather(futures) for result in batch]
