"""Alternative text for figures, read from what the figure shows.

:func:`alt_text` describes any matplotlib figure from its artists: the chart type, the
measure on the value axis, the groups in the legend, the period covered, the events
marked and the panels. :func:`figure_html` and :func:`figure_png` are the notebook
display formatters that attach it (see :func:`mediakit.plotting.setup_notebook`).
"""

from __future__ import annotations

import base64
import html
import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_MAX_NAMES = 8
_PNG: weakref.WeakKeyDictionary[Any, bytes] = weakref.WeakKeyDictionary()


def _names(values: list[str]) -> str:
    values = [v for v in values if v and not v.startswith("_")]
    if len(values) <= _MAX_NAMES:
        return ", ".join(values)
    return ", ".join(values[:_MAX_NAMES]) + f" and {len(values) - _MAX_NAMES} more"


def _kind(ax: Axes) -> tuple[str, bool]:
    """Chart type, and whether its bars are horizontal (values on the x axis)."""
    from matplotlib.collections import PathCollection, PolyCollection
    from matplotlib.patches import Rectangle

    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    if bars:
        horizontal = sum(b.get_height() for b in bars) < sum(abs(b.get_width()) for b in bars)
        return ("horizontal bar chart" if horizontal else "bar chart"), horizontal
    if any(isinstance(c, PathCollection) for c in ax.collections):
        return "scatter plot", False
    lines = [line for line in ax.get_lines() if line.get_gid() != "event"]
    if not lines and any(isinstance(c, PolyCollection) for c in ax.collections):
        return "stacked area chart", False
    if lines:
        return "line chart", False
    return "chart", False


def _dates(ax: Axes) -> str:
    import matplotlib.dates as mdates

    if not isinstance(
        ax.xaxis.get_major_formatter(),
        mdates.ConciseDateFormatter | mdates.AutoDateFormatter | mdates.DateFormatter,
    ):
        return ""
    low, high = ax.get_xlim()
    start, end = mdates.num2date(low), mdates.num2date(high)
    return f" from {start:%B %Y} to {end:%B %Y}"


def _describe(ax: Axes) -> str:
    kind, horizontal = _kind(ax)
    measure = ax.get_xlabel() if horizontal else ax.get_ylabel()
    across = ax.get_ylabel() if horizontal else ax.get_xlabel()
    text = kind
    if measure:
        text += f" of {measure.lower() if measure[:1].isupper() and measure[1:2].islower() else measure}"
    if across and not horizontal:
        text += f" by {across.lower()}"
    text += _dates(ax)
    legend = ax.get_legend()
    if legend is not None:
        groups = [t.get_text() for t in legend.get_texts()]
        title = legend.get_title().get_text()
        text += f"; {title + ': ' if title else ''}{_names(groups)}"
    if horizontal:
        labels = [t.get_text() for t in ax.get_yticklabels()]
        text += f"; {len(labels)} bars labelled {_names(labels)}"
    events = [t.get_text() for t in ax.texts if t.get_gid() == "event"]
    if events:
        text += f"; events marked: {_names(events)}"
    return text


def alt_text(fig: Figure) -> str:
    """A short description of ``fig`` for readers who cannot see it.

    Built from the figure itself: title, chart type, the measure and what it is
    plotted against, the period, the groups of the legend, bar labels and events.

    Examples
    --------
    >>> import mediakit as mk
    >>> weekly = mk.coverage(mk.datasets.load_allsides(), freq="MS", by="lean", query="Putin")
    >>> ax = mk.plot_timeline(weekly, y="share", hue="lean")
    >>> alt_text(ax.figure)  # doctest: +ELLIPSIS
    'Share of articles matching “Putin”: line chart of share of articles by month from ... 2018...; lean: left, center, right'
    """
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.has_data()]
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    if not axes:
        return suptitle or "An empty figure."
    if len(axes) == 1:
        ax = axes[0]
        title = ax.get_title() or suptitle
        return (f"{title}: " if title else "") + _describe(ax)
    panels = [ax.get_title() for ax in axes]
    text = f"{suptitle + ': ' if suptitle else ''}{len(axes)} panels"
    if any(panels):
        text += f" ({_names(panels)})"
    text += f", each a {_describe(axes[0])}"
    groups = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    if groups:
        text += f"; groups: {_names(groups)}"
    return text


def figure_png(fig: Figure) -> tuple[bytes, dict[str, str]]:
    """The figure as PNG, with its alt text as display metadata."""
    from IPython.core.pylabtools import print_figure

    data = _PNG.pop(fig, None)
    if data is None:
        data = print_figure(fig, "png", bbox_inches="tight")
    return data, {"alt": alt_text(fig)}


def figure_html(fig: Figure) -> str:
    """The figure as an ``<img>`` with its alt text (what HTML exports keep)."""
    from IPython.core.pylabtools import print_figure

    data = print_figure(fig, "png", bbox_inches="tight")
    _PNG[fig] = data
    source = base64.b64encode(data).decode("ascii")
    return f'<img src="data:image/png;base64,{source}" alt="{html.escape(alt_text(fig))}">'
