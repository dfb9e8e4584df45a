"""The exploration notebook runs under nbconvert; its export shows a static snapshot."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.notebook_runner import MARKER, NOTEBOOKS, measure_figures

pytestmark = pytest.mark.notebooks


def test_explore_notebook_runs_and_exports_a_snapshot():
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import ExecutePreprocessor

    import mediakit as mk

    notebook = nbformat.read(NOTEBOOKS / "08_explore.ipynb", as_version=4)
    probe = (
        "import json as _json\n"
        f"print({MARKER!r} + _json.dumps({{'ids': explorer.selection['article_id'].tolist(), "
        "'period': str(explorer.period), 'queries': explorer.queries, "
        "'illegible_figures': _figure_faults}))"
    )
    notebook.cells.append(nbformat.v4.new_code_cell(probe))
    measure_figures(notebook)
    # Widget state left out, as `make demo` does: the export then shows the static snapshot.
    ExecutePreprocessor(timeout=600, kernel_name="python3", store_widget_state=False).preprocess(
        notebook, {"metadata": {"path": str(NOTEBOOKS)}}
    )
    texts = ["".join(o.get("text", "")) for c in notebook.cells for o in c.get("outputs", [])]
    values = json.loads(next(t for t in texts if MARKER in t).split(MARKER, 1)[1])
    errors = [
        o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert errors == []
    assert values["illegible_figures"] == {}

    articles = mk.datasets.load_allsides()
    assert values["queries"] == {"Russia": "Putin OR Kremlin", "trade": "tariff*"}
    start = pd.Timestamp(values["period"])
    matching = articles[mk.matches(articles, "Putin OR Kremlin") | mk.matches(articles, "tariff*")]
    expected = matching[
        (matching["published"] >= start) & (matching["published"] < start + pd.Timedelta(days=7))
    ]
    assert sorted(values["ids"]) == sorted(expected["article_id"]) and values["ids"]
    printed = "".join(texts)
    assert "same timeline: True" in printed and "same selection: True" in printed

    body, _ = HTMLExporter().from_notebook_node(notebook)
    assert 'class="mk-explore-snapshot"' in body
    assert '<img alt="Line chart of share of coverage per period by lean for Russia, trade"' in body
