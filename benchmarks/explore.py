"""How long the explorer takes to answer a query, on AllSides and on a large corpus.

For AllSides 2018 (4,187 articles) and ``--n`` recombined AllSides articles (100,000 by
default), the script builds an explorer by lean (the term index is built once, its time
reported apart), then times each update a researcher triggers: a new query (matching,
weekly coverage by lean with spikes, key terms against the rest, top outlets) and a click
on a period (the articles listed, with their keyword-in-context lines). Times are medians
over the queries below, wall-clock, one update at a time. Memory: the term index the
explorer keeps (counts matrix and running words), and the process's peak resident size,
corpus building included. Prints a markdown table and appends
it to benchmarks/RESULTS.md. Bars: <= 0.3 s per query on AllSides, <= 2 s on 100,000.

Usage: python benchmarks/explore.py [--n 100000] [--no-append]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpora import recombined_allsides  # noqa: E402

import mediakit as mk  # noqa: E402

QUERIES = [
    "Putin OR Kremlin",
    "tariff* AND China",
    '"North Korea" NOT Trump',
    "immigra* OR border",
    "(Mueller OR Comey) AND FBI",
]
PERIOD = "2018-07-16"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def index_mb(widget) -> float:
    """Memory of the explorer's term index: the counts matrix and running words."""
    counts = widget._counts
    matrix = counts.matrix
    parts = (matrix.data, matrix.indices, matrix.indptr, counts.words, counts.terms)
    return sum(p.nbytes for p in parts) / 2**20


def measure(name: str, articles) -> dict[str, object]:
    start = time.perf_counter()
    widget = mk.explore(articles, by="lean", progress=False)
    build = time.perf_counter() - start
    query_times, click_times = [], []
    for query in QUERIES:
        start = time.perf_counter()
        widget.set_query(query)
        query_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        widget.select_period(PERIOD)
        widget._articles_html()  # what a click lists
        click_times.append(time.perf_counter() - start)
    return {
        "corpus": name,
        "articles": len(articles),
        "index build s": round(build, 2),
        "query update s (median)": round(statistics.median(query_times), 3),
        "query update s (max)": round(max(query_times), 3),
        "period click s (median)": round(statistics.median(click_times), 3),
        "term index MB": round(index_mb(widget)),
        "process peak RSS MB": round(peak_rss_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    rows = [measure("AllSides 2018", mk.datasets.load_allsides())]
    rows.append(
        measure(f"recombined AllSides ({args.n:,})", recombined_allsides(args.n, random_state=0))
    )
    columns = list(rows[0])
    lines = [
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
        *("| " + " | ".join(str(r[c]) for c in columns) + " |" for r in rows),
    ]
    table = "\n".join(lines)
    print(table)
    if not args.no_append:
        with open(HERE / "RESULTS.md", "a") as results:
            results.write(
                f"\n## Explorer updates (benchmarks/explore.py, {time.strftime('%Y-%m-%d')})\n\n"
                f"Queries: {', '.join(QUERIES)}; click on the week of {PERIOD}. "
                "Bars: <= 0.3 s per query on AllSides, <= 2 s on 100,000 articles.\n\n"
                f"{table}\n"
            )


if __name__ == "__main__":
    main()
