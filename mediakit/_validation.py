"""Checks shared by the analyses, so that one mistake gets one message everywhere."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np


def as_list(value: Hashable | Sequence[Hashable] | None) -> list[Any]:
    """``None`` -> ``[]``, one name -> ``[name]``, a sequence of names -> a list of them.

    A string is one name, not a sequence of letters.

    Examples
    --------
    >>> as_list(None), as_list("lean"), as_list(("lean", "outlet"))
    ([], ['lean'], ['lean', 'outlet'])
    """
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        return [value]
    return list(value)


def require_columns(articles: Any, columns: Iterable[Hashable], parameter: str) -> None:
    """Raise a KeyError naming the missing columns and the ones the frame has.

    ``articles`` is anything with a ``columns`` attribute (a pandas or a dask frame), so
    a lazy frame is checked without computing it.
    """
    missing = [c for c in columns if c not in articles.columns]
    if missing:
        raise KeyError(
            f"The {parameter!r} parameter names column(s) {missing} that the article frame "
            f"does not have (columns: {list(articles.columns)}). Pick existing columns or add "
            "them to the frame first."
        )


def check_int(value: object, name: str, minimum: int) -> None:
    """``value`` is an int (not a bool) of at least ``minimum``, else a ValueError naming it.

    Examples
    --------
    >>> check_int(3, "window", 0)
    >>> check_int(0, "min_count", 1)
    Traceback (most recent call last):
    ...
    ValueError: The 'min_count' parameter must be an int >= 1. Got 0 instead.
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(
            f"The {name!r} parameter must be an int >= {minimum}. Got {value!r} instead."
        )


def check_top_n(top_n: object) -> None:
    """``top_n`` is None or a positive int."""
    if top_n is not None and (
        isinstance(top_n, bool) or not isinstance(top_n, int | np.integer) or top_n < 1
    ):
        raise ValueError(
            f"The 'top_n' parameter must be a positive int or None. Got {top_n!r} instead."
        )
