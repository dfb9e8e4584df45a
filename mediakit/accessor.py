"""The ``df.media`` accessor: a stateless door from any article frame to mediakit.

pandas rebuilds an accessor on every attribute access, so this class holds nothing
but the frame; each method calls the plain function of the same name with the
frame as its first argument.

Examples
--------
>>> import mediakit as mk
>>> articles = mk.datasets.load_allsides()
>>> articles.media.validate() is articles
True
"""

from __future__ import annotations

from typing import Any

import pandas as pd


@pd.api.extensions.register_dataframe_accessor("media")
class MediaAccessor:
    """mediakit's analyses as methods of an article frame (``articles.media.terms()``)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def validate(self) -> pd.DataFrame:
        """:func:`mediakit.validate_articles` on this frame."""
        from mediakit.schema import validate_articles

        return validate_articles(self._frame)

    def select(self, query: str, **kwargs: Any) -> pd.DataFrame:
        """:func:`mediakit.select`: the articles matching a boolean query."""
        from mediakit.terms import select

        return select(self._frame, query, **kwargs)

    def terms(self, **kwargs: Any) -> pd.DataFrame:
        """:func:`mediakit.term_frequencies` on this frame."""
        from mediakit.terms import term_frequencies

        return term_frequencies(self._frame, **kwargs)

    def keyness(self, target: Any, **kwargs: Any) -> pd.DataFrame:
        """:func:`mediakit.keyness` on this frame."""
        from mediakit.terms import keyness

        return keyness(self._frame, target, **kwargs)

    def kwic(self, pattern: str, **kwargs: Any) -> pd.DataFrame:
        """:func:`mediakit.kwic` on this frame."""
        from mediakit.terms import kwic

        return kwic(self._frame, pattern, **kwargs)

    def explore(self, **kwargs: Any) -> Any:
        """:func:`mediakit.explore`: an interactive exploration of this frame."""
        from mediakit.explorer import explore

        return explore(self._frame, **kwargs)

    def coverage(self, **kwargs: Any) -> pd.DataFrame:
        """:func:`mediakit.coverage` on this frame."""
        from mediakit.timeline import coverage

        return coverage(self._frame, **kwargs)
