"""Shared fixtures: bundled corpora loaded once per session, figures closed after each test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def allsides():
    from mediakit import datasets

    return datasets.load_allsides()


@pytest.fixture(scope="session")
def reuters():
    from mediakit import datasets

    return datasets.load_reuters()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
