"""Execute a notebook headless with parameters and read back values it computed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
MARKER = "__mediakit_values__"

# Runs first in the kernel: every figure the notebook renders (shown inline, or saved) is
# measured by tests/legibility.py just before it is rendered, as the reader sees it. The
# notebook backend is used, as in JupyterLab and `make demo` (not the test run's Agg).
LEGIBILITY_HOOK = """
get_ipython().run_line_magic("matplotlib", "inline")
import sys as _sys
_sys.path.insert(0, {root!r})
from matplotlib.backend_bases import FigureCanvasBase as _Canvas
from tests.legibility import legibility as _legibility

_figure_faults = {{}}
_print_figure = _Canvas.print_figure

def _measured_print_figure(self, *args, **kwargs):
    _fig = self.figure
    _found = _legibility(_fig)
    _bad = {{k: v for k, v in _found.items() if isinstance(v, int) and v}}
    _title = next((ax.get_title() for ax in _fig.axes if ax.get_title()), "")
    _key = f"figure {{id(_fig)}} ({{_title}})"
    if _bad:
        _bad.update({{k: _found[k] for k in ("overlap_pairs", "outside_texts") if _found[k]}})
        _bad["cell"] = get_ipython().user_ns["In"][-1].strip()[:80]
        _figure_faults[_key] = _bad
    else:
        _figure_faults.pop(_key, None)
    return _print_figure(self, *args, **kwargs)

_Canvas.print_figure = _measured_print_figure
"""


def measure_figures(notebook: nbformat.NotebookNode) -> None:
    """Make ``notebook`` measure its figures: its namespace gets ``_figure_faults``, a dict
    of each illegible figure's faults (empty when every figure is legible)."""
    hook = LEGIBILITY_HOOK.format(root=str(NOTEBOOKS.parent))
    notebook.cells.insert(0, nbformat.v4.new_code_cell(hook))


def run_notebook(name: str, parameters: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """Run ``notebooks/name`` with ``parameters`` injected after its ``parameters`` cell.

    ``values`` maps a key to a Python expression evaluated in the notebook's namespace
    after the last cell; the evaluated (JSON-serialisable) values are returned.
    Any cell error raises ``nbclient.exceptions.CellExecutionError``. Every figure the
    notebook draws is measured by :mod:`tests.legibility`; a figure with overlapping
    labels, data under its legend, placeholder axis labels or text cut off fails the run.
    """
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    tagged = [i for i, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", [])]
    assert tagged, f"{name} has no cell tagged 'parameters'"
    assignments = "\n".join(f"{key} = {value!r}" for key, value in parameters.items())
    notebook.cells.insert(tagged[0] + 1, nbformat.v4.new_code_cell(assignments))
    measure_figures(notebook)
    values = {**values, "_figure_faults": "_figure_faults"}
    probe = "import json as _json\nprint({!r} + _json.dumps({{{}}}, default=str))".format(
        MARKER, ", ".join(f"{key!r}: ({expr})" for key, expr in values.items())
    )
    notebook.cells.append(nbformat.v4.new_code_cell(probe))
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    for output in notebook.cells[-1].outputs:
        text = output.get("text", "")
        if MARKER in text:
            found = json.loads(text.split(MARKER, 1)[1])
            illegible = found.pop("_figure_faults")
            assert not illegible, f"{name}: illegible figures: {illegible}"
            return found
    raise AssertionError(f"{name}: the value probe printed nothing")


def error_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    """Texts of error outputs and of stderr streams in an executed notebook."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"{output.get('ename')}: {output.get('evalue')}")
    return found
