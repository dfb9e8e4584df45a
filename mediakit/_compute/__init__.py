"""Executors: each analysis is map -> combine -> finalize, run on pandas or on Dask.

See :mod:`mediakit._compute.executor`. Importing this package does not import Dask.
"""

from __future__ import annotations

from mediakit._compute.executor import (
    DaskRunner,
    PandasRunner,
    Runner,
    get_client,
    is_dask,
    map_batches,
    require_dask,
    runner_for,
)

__all__ = [
    "DaskRunner",
    "PandasRunner",
    "Runner",
    "get_client",
    "is_dask",
    "map_batches",
    "require_dask",
    "runner_for",
]
