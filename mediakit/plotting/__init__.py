"""Plots in the seaborn idiom: tidy data first, keywords after, ``ax=`` last; return Axes.

Each function draws on ``ax`` if given, else on the current Axes, and passes extra
keyword arguments to matplotlib. Figure-level functions (``plot_timelines``) return a
Figure. matplotlib is imported only when a plot is drawn.
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
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mediakit.plotting' has no attribute {name!r}")
