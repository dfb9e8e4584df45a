"""Execute a notebook headless with parameters and read back values it computed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
MARKER = "__mediakit_values__"


def run_notebook(name: str, parameters: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """Run ``notebooks/name`` with ``parameters`` injected after its ``parameters`` cell.

    ``values`` maps a key to a Python expression evaluated in the notebook's namespace
    after the last cell; the evaluated (JSON-serialisable) values are returned.
    Any cell error raises ``nbclient.exceptions.CellExecutionError``.
    """
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    tagged = [i for i, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", [])]
    assert tagged, f"{name} has no cell tagged 'parameters'"
    assignments = "\n".join(f"{key} = {value!r}" for key, value in parameters.items())
    notebook.cells.insert(tagged[0] + 1, nbformat.v4.new_code_cell(assignments))
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
            return json.loads(text.split(MARKER, 1)[1])
    raise AssertionError(f"{name}: the value probe printed nothing")


def error_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    """Texts of error outputs and of stderr streams in an executed notebook."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"{output.get('ename')}: {output.get('evalue')}")
    return found
