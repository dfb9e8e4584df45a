"""The ingest report: one row per input, so nothing is dropped without a trace.

:func:`mediakit.load_articles` returns it with ``return_report=True``. An input is a
file, or a range of rows of a table when those rows differ from the rest (rows without
text, a broken CSV line, rows dropped as duplicates).

Columns: ``path``, ``part`` (NA for a whole file, else "row 5" / "rows 3-7"),
``format`` (text, html, csv, ...), ``status``, ``reason``, ``rows`` (article rows the
input contributed to the frame) and ``lines_removed`` (lines the text cleaner dropped).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Final

import pandas as pd

#: What became of an input.
STATUSES: Final = ("loaded", "duplicate", "no_text", "empty", "unreadable", "unsupported")

REPORT_COLUMNS: Final[dict[str, object]] = {
    "path": pd.StringDtype(),
    "part": pd.StringDtype(),
    "format": pd.StringDtype(),
    "status": pd.CategoricalDtype(list(STATUSES)),
    "reason": pd.StringDtype(),
    "rows": "int64",
    "lines_removed": "int64",
}


@dataclass
class ReportRow:
    """One input and what became of it."""

    path: str
    status: str
    format: str | None = None
    part: str | None = None
    reason: str | None = None
    rows: int = 0
    lines_removed: int = 0


def row_range(rows: Iterable[int]) -> list[str]:
    """Contiguous runs of row numbers as labels ("row 4", "rows 6-9").

    Examples
    --------
    >>> row_range([1, 2, 3, 7, 9, 10])
    ['rows 1-3', 'row 7', 'rows 9-10']
    """
    labels: list[str] = []
    ordered = sorted(set(rows))
    start = prev = None
    for r in [*ordered, None]:
        if start is not None and (r is None or r != prev + 1):  # type: ignore[operator]
            labels.append(f"row {start}" if start == prev else f"rows {start}-{prev}")
            start = None
        if r is not None and start is None:
            start = r
        prev = r
    return labels


def make_report(rows: Iterable[ReportRow | Mapping[str, object]]) -> pd.DataFrame:
    """The report frame, in the canonical columns and dtypes, rows in the given order.

    Examples
    --------
    >>> make_report([ReportRow("a.txt", "loaded", "text", rows=1)])[["path", "status", "rows"]]
        path  status  rows
    0  a.txt  loaded     1
    """
    records = [asdict(r) if isinstance(r, ReportRow) else dict(r) for r in rows]
    frame = pd.DataFrame(records, columns=list(REPORT_COLUMNS))
    for name, dtype in REPORT_COLUMNS.items():
        if dtype == "int64":
            frame[name] = frame[name].fillna(0)
        frame[name] = frame[name].astype(dtype)
    return frame.reset_index(drop=True)
