"""Plots of term statistics: top terms (:func:`plot_terms`) and keyness (:func:`plot_keyness`).

Both take the tidy frames of :mod:`mediakit.terms` and draw horizontal bars, so long
terms stay readable. :func:`plot_terms` with ``col=`` draws small multiples, one panel
per group with its own top terms, and returns the Figure; otherwise the Axes is returned.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mediakit._validation import check_int
from mediakit.plotting._core import (
    DOCS,
    check_columns,
    fit_tick_labels,
    legend_beside,
    new_axes,
)
from mediakit.plotting.style import ACCENT, LEAN_COLORS, NEUTRAL
from mediakit.plotting.style import palette as group_palette

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_LABELS = {
    "count": "Occurrences",
    "doc_count": "Articles containing the term",
    "per_10k": "Per 10,000 words",
    "tfidf": "tf-idf",
    "statistic": "Keyness",
    "log_ratio": "Log ratio (binary log of the ratio of rates)",
}


def _levels(values: pd.Series) -> list[Hashable]:
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values.dropna().unique())
        return [c for c in values.cat.categories if c in present]
    return list(pd.unique(values.dropna()))


def _top(data: pd.DataFrame, x: str, y: str, top_n: int) -> pd.DataFrame:
    """The ``top_n`` rows with the largest ``x`` (ties by ``y``)."""
    return data.sort_values([x, y], ascending=[False, True], kind="stable").head(top_n)


def _bars(
    ax: Axes,
    rows: pd.DataFrame,
    x: str,
    y: str,
    color: Any,
    **kwargs: Any,
) -> None:
    positions = np.arange(len(rows))[::-1]  # largest at the top
    ax.barh(positions, rows[x].to_numpy(dtype=float), color=color, **kwargs)
    ax.set_yticks(positions, [str(t) for t in rows[y]])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    fit_tick_labels(ax, "y", len(rows))
    ax.set_xlabel(_LABELS.get(x, x))
    ax.set_ylabel("")


def plot_terms(
    data: pd.DataFrame,
    *,
    x: str = "count",
    y: str = "term",
    hue: str | None = None,
    col: str | None = None,
    top_n: int = 15,
    col_wrap: int | None = None,
    height: float = 3.5,
    aspect: float = 1.0,
    palette: Mapping[Hashable, Any] | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes | Figure:
    """Horizontal bars of the most frequent terms, overall, by ``hue`` or in panels by ``col``.

    Parameters
    ----------
    {data}
        Typically the output of :func:`mediakit.term_frequencies`.
    x : str, default "count"
        Column giving bar lengths (``"count"``, ``"per_10k"``, ``"tfidf"``, ...).
    y : str, default "term"
        Column of bar labels.
    {hue}
        The ``top_n`` terms by total ``x`` are drawn with one bar per level, side by side.
    col : str, optional
        Draw one panel per value of this column, each with its own top terms, and
        return the Figure (small multiples).
    top_n : int, default 15
        Terms shown (per panel).
    col_wrap : int, optional
        Panels per row (default: all in one row up to 4).
    height, aspect : float
        Height of each panel in inches, and its width as a multiple of the height.
    palette : dict, optional
        Colour per ``hue`` / ``col`` level, overriding the fixed mediakit colours.
    {ax}
        Not allowed with ``col`` (the panels get their own Axes).
    {kwargs}

    Returns
    -------
    matplotlib.axes.Axes or matplotlib.figure.Figure
        The Axes drawn on; the Figure when ``col`` is given.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides().head(300)
    >>> ax = mk.plot_terms(mk.term_frequencies(articles), top_n=5)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['trump', 'said', 'president', 'house', 'democrats']
    >>> fig = mk.plot_terms(mk.term_frequencies(articles, by="lean"), col="lean", top_n=5)
    >>> [a.get_title() for a in fig.axes]
    ['left', 'center', 'right']
    """
    check_columns(data, x=x, y=y, hue=hue, col=col)
    check_int(top_n, "top_n", 1)
    if col is not None:
        if ax is not None:
            raise ValueError(
                "The 'ax' parameter cannot be used with 'col': small multiples draw their own "
                "Axes. Leave ax=None, or filter the data to one group and drop col=."
            )
        return _plot_term_panels(
            data,
            x=x,
            y=y,
            col=col,
            top_n=top_n,
            col_wrap=col_wrap,
            height=height,
            aspect=aspect,
            colors=palette,
            **kwargs,
        )
    ax = new_axes(ax, width=7.0, height=max(3.0, 0.2 * top_n * (1 + (hue is not None)) + 0.8))
    if hue is None:
        if data[y].duplicated().any():
            raise ValueError(
                f"Some values of `{y}` appear in several rows (one per group?). Pass hue= or "
                "col= the group column (for example col='lean'), or filter the data to one group."
            )
        _bars(ax, _top(data, x, y, top_n), x, y, kwargs.pop("color", ACCENT), **kwargs)
        return ax
    levels = _levels(data[hue])
    colors = {**palette_for(levels), **(palette or {})}
    totals = data.groupby(y, observed=True, sort=False)[x].sum()
    terms = totals.sort_values(ascending=False, kind="stable").index[:top_n].tolist()
    rows = data[data[y].isin(terms)]
    positions = {term: len(terms) - 1 - i for i, term in enumerate(terms)}
    width = 0.8 / max(len(levels), 1)
    for k, level in enumerate(levels):
        part = rows[rows[hue] == level]
        offsets = np.array([positions[t] for t in part[y]], dtype=float)
        offsets += 0.4 - width * (k + 0.5)  # first level on top within each term
        ax.barh(
            offsets,
            part[x].to_numpy(dtype=float),
            height=width,
            color=colors[level],
            label=str(level),
            **kwargs,
        )
    ax.set_yticks(list(positions.values()), list(positions))
    ax.set_ylim(-0.6, len(terms) - 0.4)
    fit_tick_labels(ax, "y", len(terms) * max(len(levels), 1) * 0.6)
    ax.set_xlabel(_LABELS.get(x, x))
    ax.set_ylabel("")
    legend_beside(ax, title=hue)
    return ax


def palette_for(levels: list[Hashable]) -> dict[Hashable, Any]:
    """The fixed mediakit colour of each level (lean colours for left / center / right)."""
    return group_palette(levels)


def _plot_term_panels(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    col: str,
    top_n: int,
    col_wrap: int | None,
    height: float,
    aspect: float,
    colors: Mapping[Hashable, Any] | None,
    **kwargs: Any,
) -> Figure:
    import matplotlib.pyplot as plt

    levels = _levels(data[col])
    if not levels:
        raise ValueError(f"The `col` column `{col}` of `data` has no values to draw panels for.")
    colours = {**palette_for(levels), **(colors or {})}
    ncols = col_wrap or min(len(levels), 4)
    nrows = -(-len(levels) // ncols)
    height = max(height, 0.2 * top_n + 0.9)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(ncols * height * aspect * 1.3, nrows * height),
        squeeze=False,
        sharex=False,
        layout="constrained",
    )
    for panel, level in zip(axes.flat, levels, strict=False):
        rows = _top(data[data[col] == level], x, y, top_n)
        _bars(panel, rows, x, y, kwargs.get("color", colours[level]), **_without_color(kwargs))
        panel.set_title(str(level))
    for panel in list(axes.flat)[len(levels) :]:
        panel.remove()
    return fig


def _without_color(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if k != "color"}


def _side_colors(target: str, reference: str) -> tuple[Any, Any]:
    """Lean colours when the labels name a lean ("lean = right", "right-rated outlets"),
    else the accent colour and grey."""

    def lean(label: str) -> str | None:
        words = re.findall(r"[a-z]+", label.split("=")[-1].lower())
        named = {w for w in words if w in LEAN_COLORS}
        return named.pop() if len(named) == 1 else None

    target_lean, reference_lean = lean(target), lean(reference)
    target_color = LEAN_COLORS[target_lean] if target_lean else ACCENT
    if reference_lean and reference_lean != target_lean:
        return target_color, LEAN_COLORS[reference_lean]
    return target_color, NEUTRAL


def plot_keyness(
    data: pd.DataFrame,
    *,
    x: str = "statistic",
    top_n: int = 15,
    group: Hashable | None = None,
    target_label: str | None = None,
    reference_label: str | None = None,
    colors: tuple[Any, Any] | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Diverging bars: the terms most key to the target (right) and to the reference (left).

    Parameters
    ----------
    data : DataFrame
        The output of :func:`mediakit.keyness` (``term``, ``direction`` and ``x``).
    x : str, default "statistic"
        Bar length: the keyness statistic, drawn to the left for terms leaning to the
        reference, or ``"log_ratio"`` (already signed).
    top_n : int, default 15
        Terms shown on each side, the ``top_n`` with the largest ``statistic``.
    group : optional
        With keyness by a column (a ``group`` column), the group to draw.
    target_label, reference_label : str, optional
        Legend labels; by default taken from ``data.attrs`` ("lean = right").
    colors : (colour, colour), optional
        Target and reference colours; by default the lean colours when the labels name a
        lean, else blue and grey.
    {ax}
    {kwargs}

    {returns_ax}

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides().head(600)
    >>> key = mk.keyness(articles, {{"lean": "right"}}, reference={{"lean": "left"}})
    >>> ax = mk.plot_keyness(key, top_n=5)
    >>> len(ax.patches), [t.get_text() for t in ax.get_legend().get_texts()]
    (10, ['lean = right', 'lean = left'])
    """
    check_columns(data, x=x, y="term", hue="direction")
    check_int(top_n, "top_n", 1)
    frame = data
    target = target_label or str(data.attrs.get("target", "target"))
    reference = reference_label or str(data.attrs.get("reference", "reference"))
    if "group" in data.columns:
        levels = _levels(data["group"])
        if group is None and len(levels) > 1:
            raise ValueError(
                f"`data` holds keyness for several groups {levels}; pass group= one of them, "
                f"for example group={levels[0]!r}."
            )
        chosen = levels[0] if group is None else group
        if chosen not in levels:
            raise ValueError(
                f"Could not find group {chosen!r} in `data` (groups: {levels}). Pass one of them."
            )
        frame = data[data["group"] == chosen]
        target = target_label or str(chosen)
        reference = reference_label or "all others"
    elif group is not None:
        raise ValueError(
            "The 'group' parameter needs keyness by a column (a 'group' column in `data`)."
        )
    order = ["statistic", "term"] if "statistic" in frame else [x, "term"]
    ranked = frame.sort_values(order, ascending=[False, True], kind="stable")
    toward_target = ranked[ranked["direction"] == "target"].head(top_n)
    toward_reference = ranked[ranked["direction"] == "reference"].head(top_n)
    target_color, reference_color = colors or _side_colors(target, reference)
    n_rows = len(toward_target) + len(toward_reference) + 1
    ax = new_axes(ax, width=7.0, height=max(3.0, 0.17 * n_rows + 1.0))

    def signed(rows: pd.DataFrame, sign: float) -> np.ndarray:
        values = rows[x].to_numpy(dtype=float)
        return values if x == "log_ratio" else sign * np.abs(values)

    n_target, n_reference = len(toward_target), len(toward_reference)
    target_y = np.arange(n_target)[::-1] + n_reference + 1  # top block, largest first
    reference_y = np.arange(n_reference)  # bottom block, largest at the bottom
    ax.barh(target_y, signed(toward_target, 1.0), color=target_color, label=target, **kwargs)
    ax.barh(
        reference_y,
        signed(toward_reference, -1.0),
        color=reference_color,
        label=reference,
        **kwargs,
    )
    ticks = np.concatenate([target_y, reference_y])
    labels = [str(t) for t in toward_target["term"]] + [str(t) for t in toward_reference["term"]]
    ax.set_yticks(ticks, labels)
    ax.axvline(0, color="0.2", linewidth=0.8)
    ax.set_ylim(-0.6, n_target + n_reference + 0.6)
    fit_tick_labels(ax, "y", n_rows)
    label = _LABELS.get(x, x)
    ax.set_xlabel(f"{label} ({data.attrs.get('measure', 'g2')})" if x == "statistic" else label)
    ax.set_ylabel("")
    legend_beside(ax)
    return ax


plot_terms.__doc__ = (plot_terms.__doc__ or "").format(**DOCS)
plot_keyness.__doc__ = (plot_keyness.__doc__ or "").format(**DOCS)
