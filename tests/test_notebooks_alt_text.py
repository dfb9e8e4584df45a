"""Figures shown by a notebook carry alt text through to the exported HTML."""

from __future__ import annotations

import logging

import nbformat
import pytest
from nbclient import NotebookClient

from tests.notebook_runner import NOTEBOOKS

pytestmark = pytest.mark.notebooks

CELLS = [
    "import matplotlib.pyplot as plt\nimport mediakit as mk\nmk.plotting.setup_notebook()",
    "weekly = mk.coverage(mk.datasets.load_allsides(), freq='MS', by='lean', query='Putin')\n"
    "ax = mk.plot_timeline(weekly, y='share', hue='lean', events=[('2018-07-16', 'Helsinki summit')])\n"
    "plt.show()",
    "fig, ax = plt.subplots()\nax.bar(['a', 'b'], [1, 2])\nax.set_ylabel('Articles')\nplt.show()",
]


def test_exported_html_has_alt_text_for_every_figure(caplog, monkeypatch):
    from bs4 import BeautifulSoup

    # the kernel draws with the notebook backend, as in JupyterLab and `make demo`
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    from nbconvert import HTMLExporter

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    NotebookClient(
        notebook, timeout=300, resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    with caplog.at_level(logging.WARNING):
        html, _ = HTMLExporter().from_notebook_node(notebook)
    assert "Alternative text is missing" not in caplog.text
    images = BeautifulSoup(html, features="html.parser").select("img")
    alts = [img.get("alt", "") for img in images]
    assert len(alts) == 2, alts
    assert "line chart of share of articles" in alts[0]
    assert "left, center, right" in alts[0] and "Helsinki summit" in alts[0]
    assert alts[1].startswith("bar chart of articles")
    # the PNG outputs carry the same text in their metadata
    pngs = [
        o
        for cell in notebook.cells
        for o in cell.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]
    meta = [o["metadata"].get("image/png", {}).get("alt") or o["metadata"].get("alt") for o in pngs]
    assert meta == alts
