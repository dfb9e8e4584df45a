"""Term statistics on article frames: frequencies, keyness, keywords in context, dictionaries.

Every function takes an article frame and returns a tidy frame; all of them count the
tokens of the shared tokeniser (:mod:`mediakit.tokenize`).
"""

from __future__ import annotations

from mediakit.query import matches, select

__all__ = ["matches", "select"]
