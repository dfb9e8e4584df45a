"""Term statistics on article frames: frequencies, keyness, keywords in context, dictionaries.

Every function takes an article frame and returns a new tidy frame. All of them count
the tokens of the shared tokeniser (:mod:`mediakit.tokenize`), so a term here is the
term a topic is labelled with and the word a query (:func:`matches`) finds.

Corpus sizes are *running words*: every token of the tokeniser, stop words included
(tokens of one character and pure numbers are not words). Rates such as ``per_10k``
are per 10,000 running words, as in corpus linguistics.

:func:`term_frequencies` and :func:`keyness` are written once, as steps over partitions
of the articles (:mod:`mediakit.terms._steps`), and take a pandas frame or a dask frame
(or ``client=``) alike, with the same result.
"""

from __future__ import annotations

from mediakit.query import matches, select
from mediakit.terms._collocations import CollocationMeasure as CollocationMeasure
from mediakit.terms._collocations import collocations
from mediakit.terms._counting import Fields as Fields
from mediakit.terms._dictionary import count_terms
from mediakit.terms._frequencies import term_frequencies
from mediakit.terms._keyness import KeynessMeasure as KeynessMeasure
from mediakit.terms._keyness import keyness
from mediakit.terms._kwic import kwic

__all__ = [
    "collocations",
    "count_terms",
    "keyness",
    "kwic",
    "matches",
    "select",
    "term_frequencies",
]
