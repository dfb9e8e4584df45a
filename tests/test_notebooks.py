"""Every notebook runs top to bottom with small parameters; values it computes are checked."""

from __future__ import annotations

import pytest

from tests.notebook_runner import NOTEBOOKS, run_notebook

pytestmark = pytest.mark.notebooks


def test_notebooks_are_committed_without_outputs():
    import nbformat

    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        assert notebook.metadata["kernelspec"]["display_name"] == "Python 3 (ipykernel)"
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert not cell.outputs, f"{path.name} has outputs"
                assert cell.execution_count is None, f"{path.name} has execution counts"


def test_quickstart_counts_articles_by_lean():
    values = run_notebook(
        "00_quickstart.ipynb",
        {"freq": "MS", "max_articles": None},
        {
            "by_lean": "by_lean.to_dict()",
            "total": "int(weekly['count'].sum())",
            "lines": "len(fig.axes[0].lines)",
        },
    )
    assert values["by_lean"] == {"left": 1132, "center": 1360, "right": 1695}
    assert values["total"] == 4187
    assert values["lines"] == 3
