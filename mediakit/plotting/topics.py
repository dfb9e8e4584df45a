"""Plots of topic models: top terms, a map of the articles, shares of coverage over time.

Each function takes the tidy frame a :class:`mediakit.TopicModel` method returns
(:meth:`~mediakit.TopicModel.top_terms`, :meth:`~mediakit.TopicModel.topic_map`,
:meth:`~mediakit.TopicModel.topics_over_time`) and returns the matplotlib Axes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from mediakit.plotting._core import (
    DOCS,
    check_columns,
    fit_tick_labels,
    legend_beside,
    new_axes,
)
from mediakit.plotting.style import palette

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_topics", "plot_topic_map", "plot_topics_over_time"]


_MAP_LABELS = {
    "x": "First principal component of topic weights",
    "y": "Second principal component of topic weights",
}


def _select_topics(data: pd.DataFrame, topics: Sequence[int] | None) -> pd.DataFrame:
    if topics is None:
        return data
    wanted = list(topics)
    missing = sorted(set(wanted) - set(data["topic"]))
    if missing:
        raise ValueError(
            f"The 'topics' argument names topic(s) {missing} that are not in `data` "
            f"(topics: {sorted(data['topic'].unique().tolist())}). Pick among those."
        )
    return data[data["topic"].isin(wanted)]


def _topic_palette(data: pd.DataFrame, hue: str) -> dict[Any, Any]:
    # levels in topic order, so topic 0 always gets the first colour
    levels = data.sort_values("topic")[hue] if "topic" in data.columns else data[hue]
    return palette(levels)


def plot_topics(
    data: Any,
    *,
    topics: Sequence[int] | None = None,
    n_terms: int = 5,
    hue: str = "label",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Horizontal bars of each topic's top terms, one colour per topic.

    Parameters
    ----------
    data : DataFrame or TopicModel
        The frame of :meth:`mediakit.TopicModel.top_terms` (columns ``topic``, ``term``,
        ``weight``, ``rank`` and the ``hue`` column), or a fitted TopicModel.
    topics : list of int, optional
        Topic ids to show; all by default.
    n_terms : int, default 5
        Bars per topic (the terms of rank 1 to ``n_terms``).
    hue : str, default "label"
        Column naming each topic in the legend.
    {ax}
    {kwargs}

    {returns_ax}

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides().head(300)
    >>> model = mk.TopicModel(4, random_state=0).fit(articles)
    >>> ax = mk.plot_topics(model, n_terms=3)
    >>> len(ax.patches)
    12
    """
    if hasattr(data, "top_terms") and not isinstance(data, pd.DataFrame):
        data = data.top_terms(max(n_terms, 1))
    check_columns(data, y="term", x="weight", hue=hue)
    check_columns(data, topic="topic", rank="rank")
    if not (isinstance(n_terms, int) and n_terms >= 1):
        raise ValueError(f"The 'n_terms' argument must be an int >= 1. Got {n_terms!r} instead.")
    data = _select_topics(data, topics)
    data = data[data["rank"] <= n_terms].sort_values(["topic", "rank"])
    n_rows = len(data) + data["topic"].nunique()
    ax = new_axes(ax, width=7.0, height=max(3.0, 0.16 * n_rows + 0.8))
    colors = _topic_palette(data, hue)
    positions: list[float] = []
    labels: list[str] = []
    y = 0.0
    for _, group in data.groupby("topic", sort=True):
        ys = y + np.arange(len(group))
        label = group[hue].iloc[0]
        ax.barh(ys, group["weight"], color=colors[label], label=str(label), **kwargs)
        positions.extend(ys)
        labels.extend(group["term"].astype(str))
        y += len(group) + 1  # a blank row between topics
    ax.set_yticks(positions, labels)
    if positions:
        ax.set_ylim(y - 0.5, -1.0)  # topic 0 on top
    fit_tick_labels(ax, "y", n_rows)
    ax.set_xlabel("Weight of the term in the topic")
    legend_beside(ax, title="topic")
    return ax


def plot_topic_map(
    data: pd.DataFrame,
    *,
    x: str = "x",
    y: str = "y",
    hue: str = "label",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Articles as points on a plane, coloured by topic.

    Parameters
    ----------
    data : DataFrame
        One row per article with coordinates and a topic, as
        :meth:`mediakit.TopicModel.topic_map` returns (``x``, ``y``, ``topic``, ``label``).
    x, y : str
        Coordinate columns.
    hue : str, default "label"
        Column whose values get one colour (and one legend entry) each.
    {ax}
    {kwargs}

    {returns_ax}

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides().head(300)
    >>> model = mk.TopicModel(4, random_state=0).fit(articles)
    >>> ax = mk.plot_topic_map(model.topic_map(articles))
    >>> len(ax.collections)
    4
    """
    check_columns(data, x=x, y=y, hue=hue)
    colors = _topic_palette(data, hue)
    ax = new_axes(ax, width=7.0, height=max(4.5, 0.19 * len(colors) + 0.8))
    options = {"s": 12, "alpha": 0.7, "linewidths": 0} | kwargs
    markers = "os^Dv<>ph*"
    for i, (level, color) in enumerate(colors.items()):
        group = data[data[hue] == level]
        marker = markers[(i // 8) % len(markers)]  # colours repeat after 8: markers differ
        ax.scatter(group[x], group[y], color=color, marker=marker, label=str(level), **options)
    ax.set_xlabel(_MAP_LABELS.get(x, x))
    ax.set_ylabel(_MAP_LABELS.get(y, y))
    legend_beside(ax, title="topic", markerscale=1.5)
    return ax


def plot_topics_over_time(
    data: pd.DataFrame,
    *,
    x: str = "period",
    y: str = "share",
    hue: str = "label",
    kind: Literal["line", "area"] = "line",
    topics: Sequence[int] | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Each topic's share of coverage per period, as lines or stacked areas.

    Parameters
    ----------
    data : DataFrame
        The frame of :meth:`mediakit.TopicModel.topics_over_time` (``period``, ``topic``,
        ``label``, ``count``, ``total``, ``share``).
    x, y : str
        Period and value columns (``y="count"`` draws article counts instead of shares).
    hue : str, default "label"
        Column whose values get one line (or area) each.
    kind : {{"line", "area"}}, default "line"
        Lines, or areas stacked so that a period's shares fill the height.
    topics : list of int, optional
        Topic ids to show; all by default.
    {ax}
    {kwargs}

    {returns_ax}

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides().head(300)
    >>> model = mk.TopicModel(4, random_state=0).fit(articles)
    >>> ax = mk.plot_topics_over_time(model.topics_over_time(articles, freq="Q"))
    >>> len(ax.lines)
    4
    """
    check_columns(data, x=x, y=y, hue=hue)
    if kind not in ("line", "area"):
        raise ValueError(f"The 'kind' argument must be 'line' or 'area'. Got {kind!r} instead.")
    if topics is not None:
        check_columns(data, topic="topic")
        data = _select_topics(data, topics)
    colors = _topic_palette(data, hue)
    ax = new_axes(ax, width=7.0, height=max(3.5, 0.19 * len(colors) + 0.8))
    wide = data.pivot_table(index=x, columns=hue, values=y, aggfunc="sum", observed=True)
    wide = wide.reindex(columns=list(colors)).fillna(0.0).sort_index()
    if kind == "line":
        for i, (level, color) in enumerate(colors.items()):
            style = ("-", "--", ":", "-.")[(i // 8) % 4]  # colours repeat after 8: dashes differ
            options = {"color": color, "linestyle": style} | kwargs
            ax.plot(wide.index, wide[level], label=str(level), **options)
    else:
        ax.stackplot(
            wide.index,
            *(wide[level] for level in colors),
            colors=list(colors.values()),
            labels=[str(level) for level in colors],
            **kwargs,
        )
    if pd.api.types.is_datetime64_any_dtype(wide.index):
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("Period" if x == "period" else x)
    ax.set_ylabel("Share of the period's articles" if y == "share" else y)
    if y == "share":
        from matplotlib.ticker import PercentFormatter

        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    legend_beside(ax, title="topic")
    return ax


for _function in (plot_topics, plot_topic_map, plot_topics_over_time):
    if _function.__doc__:
        _function.__doc__ = _function.__doc__.format(**DOCS)
