"""Shared fixtures: bundled corpora loaded once per session (figures are closed by ../conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
