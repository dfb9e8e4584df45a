"""Speed and memory of term statistics next to scikit-learn's bare CountVectorizer.

For AllSides 2018 (4,187 articles) and a corpus of recombined AllSides articles whose
texts all differ (100,000 by default), the script times

- ``CountVectorizer().fit_transform(texts)`` (scikit-learn's defaults, no stop words),
- ``mediakit.term_frequencies(articles)`` on the same texts (shared tokeniser, English
  stop words, tidy frame with counts, document counts, rates and tf-idf),
- ``mediakit.keyness(articles, "lean")`` (each lean against the other two),

and measures the peak memory each allocates (tracemalloc, in separate runs so tracing
does not slow the timed ones). Times are the best of ``--repeat`` runs, as wall-clock and
as CPU time of this process (CPU time is steadier on a busy machine). Prints a markdown
table and appends it to benchmarks/RESULTS.md.

Usage: python benchmarks/terms.py [--n 100000] [--repeat 2] [--no-append]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpora import recombined_allsides  # noqa: E402

import mediakit as mk  # noqa: E402

TIME_LIMIT = 1.3  # term_frequencies / CountVectorizer
KEYNESS_LIMIT = 1.5  # keyness by lean / term_frequencies


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds over ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def peak_memory(function: Callable[[], Any]) -> float:
    """Peak MiB allocated while ``function`` runs (its result included)."""
    gc.collect()
    tracemalloc.start()
    result = function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return peak / 2**20


def measure(name: str, articles: Any, repeat: int, *, with_keyness: bool) -> list[dict]:
    from sklearn.feature_extraction.text import CountVectorizer

    texts = articles["text"].fillna("").tolist()
    runs: dict[str, Callable[[], Any]] = {
        "CountVectorizer().fit_transform": lambda: CountVectorizer().fit_transform(texts),
        "term_frequencies": lambda: mk.term_frequencies(articles),
    }
    if with_keyness:
        runs["keyness(target='lean')"] = lambda: mk.keyness(articles, "lean")
    rows = []
    # alternate the runs so that a busy spell of the machine hits all of them alike
    results: dict[str, list[tuple[float, float]]] = {key: [] for key in runs}
    for _ in range(repeat):
        for key, function in runs.items():
            results[key].append(timed(function, 1))
    for key, function in runs.items():
        wall = min(r[0] for r in results[key])
        cpu = min(r[1] for r in results[key])
        rows.append(
            {
                "corpus": name,
                "articles": len(articles),
                "words": int(articles["word_count"].sum()),
                "run": key,
                "wall": wall,
                "cpu": cpu,
                "peak": peak_memory(function),
            }
        )
        print(f"  {name}: {key} {wall:.2f} s wall, {cpu:.2f} s CPU", file=sys.stderr)
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| corpus | articles | words | run | seconds (wall) | seconds (CPU) | ratio (CPU) "
        "| peak MiB (tracemalloc) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    baselines = {}
    for row in rows:
        if row["run"].startswith("CountVectorizer"):
            baselines[row["corpus"]] = row
    checks = []
    for row in rows:
        base = baselines[row["corpus"]]
        if row["run"] == "term_frequencies":
            ratio = row["cpu"] / base["cpu"]
            label = f"{ratio:.2f} of CountVectorizer (limit {TIME_LIMIT})"
            wall_ratio = row["wall"] / base["wall"]
            checks.append((row["corpus"], "term_frequencies", ratio, wall_ratio, TIME_LIMIT))
        elif row["run"].startswith("keyness"):
            tf = next(
                r for r in rows if r["corpus"] == row["corpus"] and r["run"] == "term_frequencies"
            )
            ratio = row["cpu"] / tf["cpu"]
            label = f"{ratio:.2f} of term_frequencies (limit {KEYNESS_LIMIT})"
            checks.append(
                (row["corpus"], "keyness", ratio, row["wall"] / tf["wall"], KEYNESS_LIMIT)
            )
        else:
            label = "1.00"
        lines.append(
            f"| {row['corpus']} | {row['articles']:,} | {row['words']:,} | `{row['run']}` "
            f"| {row['wall']:.2f} | {row['cpu']:.2f} | {label} | {row['peak']:.0f} |"
        )
    lines.append("")
    for corpus, what, ratio, wall_ratio, limit in checks:
        verdict = "within" if ratio <= limit else "OVER"
        lines.append(
            f"- {corpus}: {what} takes {ratio:.2f}x (CPU) / {wall_ratio:.2f}x (wall) of its "
            f"baseline: {verdict} the limit {limit}."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="recombined articles")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs, best kept")
    parser.add_argument("--no-append", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args(argv)

    rows = []
    allsides = mk.datasets.load_allsides()
    rows += measure("AllSides 2018", allsides, max(args.repeat, 3), with_keyness=True)
    del allsides
    print(f"building {args.n:,} recombined articles ...", file=sys.stderr)
    big = recombined_allsides(args.n)
    rows += measure(f"recombined AllSides ({args.n:,})", big, args.repeat, with_keyness=True)

    text = (
        "## Term statistics (`benchmarks/terms.py`)\n\n"
        "`term_frequencies` (shared tokeniser, stop words, tidy output with counts, document "
        "counts, rates, tf-idf) and `keyness` by lean, next to a bare "
        "`CountVectorizer().fit_transform` on the same texts; best of the timed runs.\n\n"
        + table(rows)
        + "\n"
    )
    print(text)
    if not args.no_append:
        with open(HERE / "RESULTS.md", "a", encoding="utf-8") as results:
            results.write("\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
