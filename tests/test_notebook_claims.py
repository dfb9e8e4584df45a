"""Claims in the notebooks' prose cannot go stale: each is tied to an output or a check.

Convention. A paragraph or list item of a notebook's markdown that states a number, a
date, a month or a superlative (most, highest, peak, ...) ends with a claim marker:

- ``<!-- printed: NAME -->``: the number is printed by a cell; NAME occurs in a code
  cell's ``print(...)``/``display(...)`` call or on its last line (the cell's output);
- ``<!-- check: TEST -->``: the claim is asserted by the test function TEST of the
  notebook tests on the bundled corpus (``tests/test_notebook*.py``), or by
  ``path::function`` of another test file. Notebooks never assert their claims
  themselves: they must also run on a researcher's own corpus.

Headings, code spans, the corpus names below and list numbering are not claims.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tests.notebook_runner import NOTEBOOKS

TESTS = Path(__file__).resolve().parent
# names, units and conventions of method, not findings about the data
NAMES = (
    "AllSides 2018",
    "Reuters-21578",
    "G²",
    "χ²",
    "ISO 639-1",
    "2 × 2",
    "per 10,000 words",
    "95%",
    "127.0.0.1",
    "robots.txt",
    "newspaper3k",
    "5-grams",
    "404",
    "429",
    "5xx",
    "0.8 for conclusions",
    "0.667 for tentative",
)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
SUPERLATIVES = (
    r"most|least|highest|lowest|largest|smallest|biggest|strongest|weakest|best|worst|"
    r"peak\w*"
)
CLAIM = re.compile(rf"\d|\b(?:{MONTHS})\b|\b(?:{SUPERLATIVES})\b", re.IGNORECASE)
MARKER = re.compile(r"<!--\s*(printed|check):\s*([^>]+?)\s*-->")


def _units(markdown: str) -> list[str]:
    """Paragraphs and list items, without headings."""
    units: list[str] = []
    for block in re.split(r"\n\s*\n", markdown):
        current: list[str] = []
        for line in block.splitlines():
            if line.lstrip().startswith("#"):
                continue
            if re.match(r"\s*(?:[-*]|\d+\.)\s", line) and current:
                units.append("\n".join(current))
                current = []
            current.append(line)
        if current:
            units.append("\n".join(current))
    return [u for u in units if u.strip()]


def _claim_text(unit: str) -> str:
    text = MARKER.sub("", unit)
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"^\s*\d+\.\s", "", text, flags=re.MULTILINE)  # list numbering
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\bat least\b", "", text)
    for name in NAMES:
        text = text.replace(name, "")
    return text


def _printed(notebook: nbformat.NotebookNode) -> str:
    shown = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        lines = [line for line in cell.source.splitlines() if line.strip()]
        shown += re.findall(r"(?:print|display)\((.*?)(?:\)\s*$)", cell.source, flags=re.S | re.M)
        if lines:
            shown.append(lines[-1])
    return "\n".join(shown)


def _checks() -> set[str]:
    names = set()
    for path in TESTS.glob("test_*.py"):
        for name in re.findall(r"^def (test_\w+)\(", path.read_text(), flags=re.M):
            names.add(name if path.name.startswith("test_notebook") else f"{path.name}::{name}")
    return names


def untied_claims(notebook: nbformat.NotebookNode, checks: set[str]) -> list[str]:
    """The claims of ``notebook`` without a valid marker, with the reason."""
    printed = _printed(notebook)
    problems = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for unit in _units(cell.source):
            markers = MARKER.findall(unit)
            for kind, name in markers:
                if kind == "check" and name not in checks:
                    problems.append(f"no test {name!r}: {unit[:80]!r}")
                if kind == "printed" and name not in printed:
                    problems.append(f"no cell prints {name!r}: {unit[:80]!r}")
            found = CLAIM.search(_claim_text(unit))
            if found and not markers:
                problems.append(f"{found.group(0)!r} untied in: {unit[:100]!r}")
    return problems


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_every_claim_is_printed_or_checked(path):
    notebook = nbformat.read(path, as_version=4)
    problems = untied_claims(notebook, _checks())
    assert not problems, "\n".join(problems)


def test_the_scanner_finds_untied_claims():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("Immigration peaks in June.\n\n## 2. A heading"),
            nbformat.v4.new_markdown_cell("Right-rated outlets publish the most."),
            nbformat.v4.new_markdown_cell("A `top_n=15` parameter and AllSides 2018."),
            nbformat.v4.new_markdown_cell("Shares sum to 1. <!-- printed: total -->"),
            nbformat.v4.new_markdown_cell("Held in 2018. <!-- check: test_not_there -->"),
            nbformat.v4.new_code_cell("total = 1\nprint(total)"),
        ]
    )
    problems = untied_claims(notebook, {"test_there"})
    assert len(problems) == 3
    assert "'peaks'" in problems[0] and "'most'" in problems[1]
    assert "no test 'test_not_there'" in problems[2]
