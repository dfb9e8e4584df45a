"""The explorer in a real JupyterLab (headless Chromium): type a query, click a period, read.

The articles the widget lists for the clicked period must be exactly ``select(articles,
query)`` within that period, computed here with pandas. Uses Debian's Chromium through
Playwright's ``executable_path`` and is skipped, with its reason, where it is absent.
"""

from __future__ import annotations

import json
import time

import pandas as pd
import pytest

from tests.test_jupyterlab_browser import CHROMIUM, launch_chromium, start_jupyterlab

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

QUERY = "tariff*"
PERIOD = "2018-07-16T00:00:00+00:00"

CELLS = [
    "import mediakit as mk\narticles = mk.datasets.load_allsides()",
    "widget = mk.explore(articles, by='lean', progress=False)\nwidget",
]


@pytest.fixture
def explorer_lab(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": c,
                "outputs": [],
                "execution_count": None,
            }
            for c in CELLS
        ],
        "metadata": {
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (folder / "explore.ipynb").write_text(json.dumps(notebook))
    with start_jupyterlab(tmp_path, folder) as server:
        yield server


def test_query_click_and_read_in_jupyterlab(explorer_lab):
    import mediakit as mk

    sync_api = pytest.importorskip("playwright.sync_api")
    base, token = explorer_lab
    with sync_api.sync_playwright() as playwright:
        browser, page, outside = launch_chromium(playwright)
        try:
            page.goto(f"{base}/lab/tree/explore.ipynb?token={token}")
            page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()

            box = page.locator(".mk-explore-query input")
            box.wait_for(timeout=180_000)
            box.fill(QUERY)  # typed; the widget updates once typing pauses
            page.locator(f".mk-explore-timeline svg[data-query='{QUERY}']").wait_for(timeout=60_000)
            page.locator(f".mk-explore-timeline rect.mk-period[data-period='{PERIOD}']").click()
            rows = page.locator(".mk-explore-articles tr[data-article-id]")
            deadline = time.monotonic() + 60
            while rows.count() == 0:
                assert time.monotonic() < deadline, "no article was listed for the clicked period"
                time.sleep(0.5)
            listed = sorted(
                rows.nth(i).get_attribute("data-article-id") for i in range(rows.count())
            )

            errors = page.locator("[data-mime-type='application/vnd.jupyter.error']")
            assert errors.count() == 0, errors.all_inner_texts()
            assert outside == []
        finally:
            browser.close()

    articles = mk.datasets.load_allsides()
    matching = mk.select(articles, QUERY)
    start = pd.Timestamp(PERIOD)
    in_period = matching[
        (matching["published"] >= start) & (matching["published"] < start + pd.Timedelta(days=7))
    ]
    assert len(in_period) > 0
    assert listed == sorted(in_period["article_id"])
