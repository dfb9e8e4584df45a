"""Plots in the seaborn idiom: tidy data first, keywords after, ``ax=`` last; return Axes.

Each function draws on ``ax`` if given, else on the current Axes, and passes extra
keyword arguments to matplotlib. Figure-level functions (``plot_timelines``) return a
Figure. matplotlib is imported only when a plot is drawn.

Colours come from one place, :func:`palette` (:mod:`mediakit.plotting.style`), which
also holds the ``mediakit`` print style (:func:`style`) and :func:`save_figure` for
journal widths; :func:`alt_text` describes a figure, and :func:`setup_notebook` makes
every figure a notebook shows carry that description.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "plot_terms": "mediakit.plotting.terms",
    "plot_keyness": "mediakit.plotting.terms",
    "plot_topics": "mediakit.plotting.topics",
    "plot_topic_map": "mediakit.plotting.topics",
    "plot_topics_over_time": "mediakit.plotting.topics",
    "plot_timeline": "mediakit.plotting.timeline",
    "plot_timelines": "mediakit.plotting.timeline",
    "plot_coverage": "mediakit.plotting.timeline",
    "palette": "mediakit.plotting.style",
    "style": "mediakit.plotting.style",
    "save_figure": "mediakit.plotting.style",
    "alt_text": "mediakit.plotting._alt",
    "setup_notebook": "mediakit.plotting.style",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mediakit.plotting' has no attribute {name!r}")
