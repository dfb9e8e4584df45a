"""Pieces every plot function shares: docstring snippets, Axes lookup, column checks,
figure sizes from content and legends that never cover data."""

from __future__ import annotations

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
        (see :func:`mediakit.plotting.style.palette`) so a group keeps its colour across plots.""",
    "ax": """ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default the current Axes (``plt.gca()``). When the current
        figure is still empty, it is sized to the content and laid out with
        ``constrained_layout``, so labels neither overlap nor get cut off.""",
    "kwargs": """**kwargs
        Passed on to the underlying matplotlib call.""",
    "returns_ax": """Returns
    -------
    matplotlib.axes.Axes
        The Axes with the plot drawn on it.""",
}


def get_ax(ax: Axes | None) -> Axes:
    """``ax`` if given, else the current Axes."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.gca()


class MissingColumnError(KeyError, ValueError):
    """A column named for a role (x=, hue=, ...) is not in ``data``.

    A ``KeyError``, as everywhere in mediakit for a missing column, and a ``ValueError``
    as in seaborn, whose plot signatures these follow, so either ``except`` catches it.
    """

    def __str__(self) -> str:  # the message, not KeyError's quoted repr of it
        return str(self.args[0]) if self.args else ""


def check_columns(data: pd.DataFrame, **roles: str | None) -> None:
    """Raise a clear error when a column named for a role (x=, hue=, ...) is not in ``data``.

    Examples
    --------
    >>> check_columns(pd.DataFrame({"a": [1]}), x="a", hue="b")
    Traceback (most recent call last):
    ...
    mediakit.plotting._core.MissingColumnError: Could not interpret value `b` for `hue`. An entry with this name does not appear in `data` (columns: ['a']).
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`data` must be a pandas DataFrame, got {type(data).__name__}.")
    for role, column in roles.items():
        if column is not None and column not in data.columns:
            raise MissingColumnError(
                f"Could not interpret value `{column}` for `{role}`. An entry with this name "
                f"does not appear in `data` (columns: {list(data.columns)})."
            )


def new_axes(ax: Axes | None, *, width: float, height: float) -> Axes:
    """``ax`` if given; else a new Axes on the current figure, sized ``width`` x ``height``
    inches with constrained layout when that figure is still empty (else ``plt.gca()``)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    fig = plt.gcf()
    if fig.axes:
        return plt.gca()
    fig.set_size_inches(width, height)
    fig.set_layout_engine("constrained")
    return fig.add_subplot()


def legend_beside(
    ax: Axes, handles: list[Any] | None = None, labels: list[str] | None = None, **kwargs: Any
) -> Any:
    """A legend to the right of the Axes, outside the data area, in as many columns as
    its entries need to fit the Axes' height.

    A figure without a layout engine (``plt.subplots()`` with no ``layout=``) is given
    constrained layout, which makes room for the legend: else it is cut off at the
    figure's edge when saved."""
    if handles is None or labels is None:
        handles, labels = ax.get_legend_handles_labels()
    fig: Any = ax.figure
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    many = len(labels) > 30
    rows = max(int(0.9 * fig.get_figheight() * 72 / (10.0 if many else 12.5)), 30 if many else 1)
    options: dict[str, Any] = {
        "loc": "upper left",
        "bbox_to_anchor": (1.01, 1.0),
        "borderaxespad": 0.0,
        "frameon": False,
        "fontsize": "x-small" if many else "small",
        "ncols": -(-len(labels) // rows),
    } | kwargs
    return ax.legend(handles, labels, **options)


def fit_tick_labels(ax: Axes, axis: str, n_rows: float, *, largest: float = 9.0) -> None:
    """Shrink the tick labels of ``axis`` ("y" or "x") so ``n_rows`` rows fit the Axes
    without overlapping (never below 5 pt: the figure should be taller instead)."""
    fig: Any = ax.figure
    position = ax.get_position()
    span = (
        position.height * fig.get_figheight()
        if axis == "y"
        else position.width * fig.get_figwidth()
    )
    size = max(min(largest, 0.8 * span * 72 / max(n_rows, 1)), 5.0)
    ax.tick_params(axis="y" if axis == "y" else "x", labelsize=size)
