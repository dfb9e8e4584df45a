"""Import time of mediakit next to pandas alone, each in fresh interpreters.

Usage: python benchmarks/import_time.py [--repeat 7]

mediakit imports pandas itself, so the difference of the medians is what mediakit adds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def time_import(module: str, repeat: int) -> float:
    """Median wall time of ``python -c 'import module'`` minus a bare interpreter start."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    run(f"import {module}")  # warm the file cache
    bare = statistics.median(run("pass") for _ in range(repeat))
    return statistics.median(run(f"import {module}") for _ in range(repeat)) - bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    pandas_s = time_import("pandas", args.repeat)
    mediakit_s = time_import("mediakit", args.repeat)
    table = "\n".join(
        [
            "## Import time (`benchmarks/import_time.py`)",
            "",
            "| import | seconds (median) |",
            "|---|---|",
            f"| pandas | {pandas_s:.3f} |",
            f"| mediakit (includes pandas) | {mediakit_s:.3f} |",
            f"| added by mediakit | {mediakit_s - pandas_s:.3f} (limit 0.150) |",
            "",
        ]
    )
    print(table)
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(table + "\n")


if __name__ == "__main__":
    main()
