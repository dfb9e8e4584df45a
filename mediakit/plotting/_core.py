"""Pieces every plot function shares: docstring snippets, Axes lookup, column checks, colours."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Shared numpydoc parameter descriptions, inserted with str.format (as seaborn's _docstrings).
DOCS = {
    "data": """data : DataFrame
        Tidy (long-form) data, one row per observation, as returned by mediakit's analyses.""",
    "hue": """hue : str, optional
        Column of ``data`` whose values get one colour each; colours are fixed per value
        (see :func:`mediakit.plotting._core.palette`) so a group keeps its colour across plots.""",
    "ax": """ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default the current Axes (``plt.gca()``).""",
    "kwargs": """**kwargs
        Passed on to the underlying matplotlib call.""",
    "returns_ax": """Returns
    -------
    matplotlib.axes.Axes
        The Axes with the plot drawn on it.""",
}

#: Fixed colours for the political leans used throughout the bundled corpora.
LEAN_COLORS = {"left": "#1f5fbf", "center": "#7f7f7f", "right": "#c8312b"}


def get_ax(ax: Axes | None) -> Axes:
    """``ax`` if given, else the current Axes."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.gca()


def check_columns(data: pd.DataFrame, **roles: str | None) -> None:
    """Raise a clear error when a column named for a role (x=, hue=, ...) is not in ``data``.

    Examples
    --------
    >>> check_columns(pd.DataFrame({"a": [1]}), x="a", hue="b")
    Traceback (most recent call last):
    ...
    ValueError: Could not interpret value `b` for `hue`. An entry with this name does not appear in `data` (columns: ['a']).
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`data` must be a pandas DataFrame, got {type(data).__name__}.")
    for role, column in roles.items():
        if column is not None and column not in data.columns:
            raise ValueError(
                f"Could not interpret value `{column}` for `{role}`. An entry with this name "
                f"does not appear in `data` (columns: {list(data.columns)})."
            )


def palette(levels: Iterable[Hashable]) -> dict[Hashable, Any]:
    """One colour per level: the lean colours for left/center/right, else tab10/tab20 in order.

    The mapping depends only on the sorted levels (categorical order kept), so the same
    groups get the same colours in every plot.
    """
    import matplotlib as mpl

    levels = list(dict.fromkeys(levels))
    if levels and all(str(level) in LEAN_COLORS for level in levels):
        return {level: LEAN_COLORS[str(level)] for level in levels}
    cmap = mpl.colormaps["tab10" if len(levels) <= 10 else "tab20"]
    return {level: cmap(i % cmap.N) for i, level in enumerate(levels)}
