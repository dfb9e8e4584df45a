"""Folds by site for cross-validation: a page's fold is fixed by its registered domain.

The registered domain (eTLD+1) is read offline by ``mediakit.ingest._sites`` from the
ICANN section of the Public Suffix List ("news.bbc.co.uk" -> "bbc.co.uk", "hosted.ap.org"
-> "ap.org"); the fold is ``sha256("mediakit-cv-v1:" + domain)`` modulo
the number of folds, so every page of a site lands in the same fold, whatever the other
pages are, and the split never changes between runs.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mediakit.ingest._sites import registered_domain

N_FOLDS = 5


def fold_of(url: str | None, n_folds: int = N_FOLDS) -> int:
    """The fold (0 .. n_folds - 1) of a page, from its registered domain."""
    domain = registered_domain(url) or ""
    digest = hashlib.sha256(f"mediakit-cv-v1:{domain}".encode()).hexdigest()
    return int(digest[:12], 16) % n_folds
