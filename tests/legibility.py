"""Measure what makes a rendered figure hard to read, so tests can demand zero of it.

:func:`legibility` draws a figure and counts, in display coordinates:

- ``overlaps``: pairs of visible text labels (tick labels, axis labels, titles, legend
  entries, annotations) whose boxes intersect;
- ``under_legend``: data drawn under a legend box: line vertices (data points) and
  scatter points inside it, bars and areas whose box intersects it;
- ``on_data``: annotations (event labels, notes) drawn over data, counted as line
  points (sampled every 2 pixels along each segment) or markers inside their box;
- ``placeholders``: axis labels that only repeat a coordinate's name ("x", "y");
- ``outside``: text that reaches outside the figure, and is cut off when saved.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

PLACEHOLDERS = {"x", "y", "X", "Y", "value", "index"}
_SHRINK = 0.5  # pixels: boxes that only touch do not overlap


def _text_box(text: Text, renderer: Any) -> Bbox | None:
    if not text.get_visible() or not text.get_text().strip():
        return None
    if text.axes is not None and not text.axes.get_visible():
        return None
    box = text.get_window_extent(renderer)
    if box.width <= 0 or box.height <= 0:
        return None
    return Bbox.from_extents(box.x0 + _SHRINK, box.y0 + _SHRINK, box.x1 - _SHRINK, box.y1 - _SHRINK)


def _ticks_in_view(axis: Any) -> list[Text]:
    """Tick labels matplotlib actually draws (inside the view limits)."""
    low, high = sorted(axis.get_view_interval())
    span = high - low
    out = []
    for tick in axis.get_major_ticks() + axis.get_minor_ticks():
        if not (low - 1e-9 * span <= tick.get_loc() <= high + 1e-9 * span):
            continue
        for label in (tick.label1, tick.label2):
            if label.get_visible():
                out.append(label)
    return out


def _texts(fig: Figure) -> tuple[list[Text], list[Text]]:
    """All visible texts, and the subset that are annotations drawn inside an Axes."""
    texts: list[Text] = []
    notes: list[Text] = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += _ticks_in_view(ax.xaxis) + _ticks_in_view(ax.yaxis)
        texts += [ax.xaxis.label, ax.yaxis.label, ax.title, ax._left_title, ax._right_title]
        texts += [ax.xaxis.get_offset_text(), ax.yaxis.get_offset_text()]
        for child in ax.texts:
            texts.append(child)
            notes.append(child)
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            texts += list(legend.get_texts()) + [legend.get_title()]
    for legend in fig.legends:
        texts += list(legend.get_texts()) + [legend.get_title()]
    texts += list(fig.texts)  # a suptitle is one of them
    for label in (fig._suptitle, fig._supxlabel, fig._supylabel):
        if label is not None and label not in texts:
            texts.append(label)
    return texts, notes


def _line_points(line: Line2D, step: float = 2.0) -> np.ndarray:
    """Display points along a line, one every ``step`` pixels, plus its vertices."""
    xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
    xy = xy[np.all(np.isfinite(xy), axis=1)]
    if line.get_linestyle() in ("None", "none", "", " ") or len(xy) < 2 or not np.isfinite(step):
        return xy
    pieces = [xy]
    for a, b in zip(xy[:-1], xy[1:], strict=True):
        n = int(np.hypot(*(b - a)) // step)
        if n > 1:
            t = np.linspace(0, 1, n + 1)[1:-1, None]
            pieces.append(a + t * (b - a))
    return np.concatenate(pieces)


def _data(ax: Any, *, along: bool) -> tuple[list[np.ndarray], list[Bbox]]:
    """Points (line vertices, or points ``along`` lines; scatter markers) and boxes (bars,
    areas) of an Axes' data, in display units."""
    points: list[np.ndarray] = []
    boxes: list[Bbox] = []
    for line in ax.get_lines():
        if not line.get_visible() or line.get_gid() == "event":  # event rules are not data
            continue
        points.append(_line_points(line, step=2.0 if along else np.inf))
    for collection in ax.collections:
        if not collection.get_visible():
            continue
        if isinstance(collection, PathCollection):
            offsets = np.asarray(collection.get_offsets(), dtype=float)
            if len(offsets):
                points.append(collection.get_offset_transform().transform(offsets))
        elif isinstance(collection, PolyCollection):  # bands, stacked areas
            for path in collection.get_paths():
                boxes.append(path.get_extents(collection.get_transform()))
    for patch in ax.patches:
        if (
            isinstance(patch, Rectangle)
            and patch.get_visible()
            and patch.get_width()
            and patch.get_height()
        ):
            boxes.append(patch.get_window_extent())
    return points, boxes


def _legends(fig: Figure) -> list[Legend]:
    found = [ax.get_legend() for ax in fig.axes if ax.get_visible() and ax.get_legend()]
    return [legend for legend in found + list(fig.legends) if legend.get_visible()]


def legibility(fig: Figure) -> dict[str, Any]:
    """Render ``fig`` and count its legibility faults (see the module docstring)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts, notes = _texts(fig)
    boxes = [(t, _text_box(t, renderer)) for t in texts]
    boxes = [(t, b) for t, b in boxes if b is not None]
    pairs = []
    for (t1, b1), (t2, b2) in combinations(boxes, 2):
        if b1.overlaps(b2):
            pairs.append((t1.get_text(), t2.get_text()))

    under = 0
    legend_boxes = [legend.get_window_extent(renderer) for legend in _legends(fig)]
    on_data = 0
    note_boxes = [_text_box(t, renderer) for t in notes]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        points, bars = _data(ax, along=False)
        for box in legend_boxes:
            for xy in points:
                under += int(np.sum(_inside(xy, box)))
            under += sum(1 for bar in bars if _intersect(bar, box))
        points, _ = _data(ax, along=True)
        for note, box in zip(notes, note_boxes, strict=True):
            if box is None or note.axes is not ax:
                continue
            for xy in points:
                on_data += int(np.sum(_inside(xy, box)))

    placeholders = [
        label
        for ax in fig.axes
        if ax.get_visible()
        for label in (ax.get_xlabel(), ax.get_ylabel())
        if label.strip() in PLACEHOLDERS
    ]
    figure_box = fig.bbox
    outside = [
        t.get_text()
        for t, b in boxes
        if b.x0 < figure_box.x0 - 1
        or b.y0 < figure_box.y0 - 1
        or b.x1 > figure_box.x1 + 1
        or b.y1 > figure_box.y1 + 1
    ]
    return {
        "overlaps": len(pairs),
        "under_legend": under,
        "on_data": on_data,
        "placeholders": len(placeholders),
        "outside": len(outside),
        "overlap_pairs": pairs,
        "outside_texts": outside,
        "placeholder_labels": placeholders,
    }


def faults(fig: Figure) -> dict[str, int]:
    """The counts of :func:`legibility` only (what a test asserts to be zero)."""
    counts = legibility(fig)
    return {
        k: counts[k] for k in ("overlaps", "under_legend", "on_data", "placeholders", "outside")
    }


def _inside(xy: np.ndarray, box: Bbox) -> np.ndarray:
    if not len(xy):
        return np.zeros(0, dtype=bool)
    return (xy[:, 0] > box.x0) & (xy[:, 0] < box.x1) & (xy[:, 1] > box.y0) & (xy[:, 1] < box.y1)


def _intersect(a: Bbox, b: Bbox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1
