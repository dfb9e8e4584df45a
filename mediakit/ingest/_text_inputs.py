"""Checks of the arguments of :mod:`mediakit.ingest.text`'s public functions, with the
messages a researcher sees when a column or a list does not hold text."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def _check_str(raw: object, name: str) -> None:
    if not isinstance(raw, str):
        raise TypeError(
            f"clean_text expects {name!r} to be a str, got {type(raw).__name__} "
            f"({str(raw)[:60]!r}). Decode bytes first, e.g. data.decode('utf-8', "
            "errors='replace')."
        )


def _as_optional_str(value: object, name: str, position: int) -> str | None:
    """A text, title or outlet entry: str, or None for a missing value (None, NA, NaN)."""
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    raise TypeError(
        f"clean_texts expects {name}[{position}] to be a str or a missing value, got "
        f"{type(value).__name__} ({str(value)[:60]!r}). Convert the column with "
        ".astype('string') first."
    )


def _as_list(values: Iterable[object] | None, name: str, n: int) -> list[str | None]:
    if values is None:
        return [None] * n
    if isinstance(values, str):
        raise TypeError(
            f"clean_texts expects {name!r} to be a sequence with one entry per text, got a "
            f"str ({values[:60]!r}). Pass a list, e.g. {name}=[{values[:20]!r}] * len(texts)."
        )
    items = [_as_optional_str(v, name, i) for i, v in enumerate(values)]
    if len(items) != n:
        raise ValueError(
            f"clean_texts expects {name!r} to have one entry per text ({n}), got {len(items)}. "
            "Pass a sequence aligned with 'texts'."
        )
    return items


def _n_workers(n_jobs: int) -> int:
    import os

    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(
            f"The 'n_jobs' parameter of clean_texts must be a positive int or -1 (all cores). "
            f"Got {n_jobs!r} instead."
        )
    return os.cpu_count() or 1 if n_jobs == -1 else n_jobs
