"""mediakit: load, clean and analyse news coverage as pandas frames.

Every stage passes a DataFrame: sources become one *article frame*
(:func:`load_articles`), analyses return tidy frames (:func:`term_frequencies`,
:class:`TopicModel`, :func:`coverage`), and ``plot_*`` functions draw them on
matplotlib Axes.

Heavy libraries (scikit-learn, trafilatura, newspaper, matplotlib, dask) are
imported only when the function that needs them is first used, so
``import mediakit`` stays fast.

Examples
--------
>>> import mediakit as mk
>>> articles = mk.datasets.load_allsides()
>>> articles.loc[0, ["outlet", "title"]].tolist()
['David Brooks', 'OPINION: The Retreat to Tribalism']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mediakit import accessor as _accessor  # noqa: F401  (registers DataFrame.media)
from mediakit.schema import ARTICLE_COLUMNS, ArticleFrameError, validate_articles

__version__ = "0.1.0"

# public name -> module that defines it; resolved on first access (PEP 562)
_LAZY: dict[str, str] = {
    # ingest
    "load_articles": "mediakit.ingest",
    "parse_html": "mediakit.ingest",
    "clean_text": "mediakit.ingest",
    "clean_texts": "mediakit.ingest",
    "save_articles": "mediakit.ingest",
    "read_articles": "mediakit.ingest",
    "fetch_articles": "mediakit.ingest",
    "discover_urls": "mediakit.ingest",
    "find_duplicates": "mediakit.ingest",
    # terms
    "select": "mediakit.terms",
    "matches": "mediakit.terms",
    "term_frequencies": "mediakit.terms",
    "keyness": "mediakit.terms",
    "kwic": "mediakit.terms",
    "collocations": "mediakit.terms",
    "count_terms": "mediakit.terms",
    # topics
    "TopicModel": "mediakit.topics",
    # timelines
    "coverage": "mediakit.timeline",
    "detect_spikes": "mediakit.timeline",
    # plots
    "plot_timeline": "mediakit.plotting",
    "plot_timelines": "mediakit.plotting",
    "plot_coverage": "mediakit.plotting",
    "plot_terms": "mediakit.plotting",
    "plot_keyness": "mediakit.plotting",
    "plot_topics": "mediakit.plotting",
    "plot_topic_map": "mediakit.plotting",
    "plot_topics_over_time": "mediakit.plotting",
    "save_figure": "mediakit.plotting",
    # interactive exploration
    "explore": "mediakit.explorer",
    # manual content analysis
    "sample_for_coding": "mediakit.coding",
    "export_coding_sheet": "mediakit.coding",
    "read_codings": "mediakit.coding",
    "reliability": "mediakit.coding",
    "validate_measure": "mediakit.coding",
}
_SUBMODULES = (
    "datasets",
    "schema",
    "tokenize",
    "ingest",
    "terms",
    "topics",
    "timeline",
    "plotting",
    "coding",
    "scale",
    "cli",
)

__all__ = ["ARTICLE_COLUMNS", "ArticleFrameError", "validate_articles", "datasets", *_LAZY]

if TYPE_CHECKING:  # pragma: no cover
    from mediakit import datasets


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"mediakit.{name}")
    raise AttributeError(f"module 'mediakit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_SUBMODULES))
