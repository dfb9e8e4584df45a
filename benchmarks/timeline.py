"""Speed of coverage timelines and their plots.

Weekly coverage by outlet of 1,000,000 articles whose outlets, leans and dates are
drawn from the bundled AllSides 2018 corpus (outlet frequencies as in the corpus, times
spread at random over three years), the plot of that timeline (112 lines, drawn to an
off-screen canvas), and query-based coverage on the real AllSides corpus.

Prints a markdown table and appends it to benchmarks/RESULTS.md.

Usage: .venv/bin/python benchmarks/timeline.py [--rows 1000000] [--repeat 3] [--no-append]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

os.environ.setdefault("MPLBACKEND", "Agg")

import mediakit as mk
from mediakit import datasets

LIMIT_SECONDS = 2.0
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def synthetic_articles(n: int, *, seed: int = 0) -> pd.DataFrame:
    """``n`` dated articles with AllSides outlets and leans, spread over 2016-2018."""
    source = datasets.load_allsides()
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(source), size=n)
    start = pd.Timestamp("2016-01-01", tz="UTC").value // 1000
    seconds = rng.integers(0, 3 * 365 * 24 * 3600, size=n)
    published = pd.to_datetime(start + seconds * 1_000_000, unit="us", utc=True)
    base = source.iloc[picks].reset_index(drop=True)
    return pd.DataFrame(
        {
            "article_id": pd.array([f"s{i:07d}" for i in range(n)], dtype="string"),
            "outlet": base["outlet"],
            "lean": base["lean"],
            "published": published.astype("datetime64[us, UTC]"),
        }
    )


def timed(function: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def draw(timeline: pd.DataFrame, **kwargs: object) -> object:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(12, 6))
    mk.plot_timeline(timeline, **kwargs, ax=ax)
    fig.canvas.draw()
    plt.close(fig)
    return ax


def draw_grid(timeline: pd.DataFrame, **kwargs: object) -> object:
    import matplotlib.pyplot as plt

    fig = mk.plot_timelines(timeline, **kwargs)
    fig.canvas.draw()
    plt.close(fig)
    return fig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-append", action="store_true", help="print only")
    args = parser.parse_args()

    articles = synthetic_articles(args.rows)
    allsides = datasets.load_allsides()
    rows: list[tuple[str, str, float, str]] = []

    def add(task: str, size: str, seconds: float, limit: float | None = None) -> None:
        verdict = "" if limit is None else ("yes" if seconds < limit else "**no**")
        rows.append((task, size, seconds, verdict))

    n = f"{args.rows:,} articles"
    draw(mk.coverage(articles.head(1000), freq="W", by="lean"), hue="lean")  # warm-up imports
    seconds, weekly = timed(lambda: mk.coverage(articles, freq="W", by="outlet"), args.repeat)
    assert isinstance(weekly, pd.DataFrame) and weekly["count"].sum() == args.rows
    add("weekly coverage by outlet", n, seconds, LIMIT_SECONDS)
    seconds, _ = timed(lambda: mk.coverage(articles, freq="D", by="lean"), args.repeat)
    add("daily coverage by lean", n, seconds)
    seconds, _ = timed(
        lambda: mk.coverage(articles, freq="W", by="outlet", tz="America/New_York", smooth=4),
        args.repeat,
    )
    add("weekly by outlet, New York weeks, smooth=4", n, seconds)
    seconds, _ = timed(lambda: mk.detect_spikes(weekly), args.repeat)
    add("detect_spikes on the weekly timeline", f"{len(weekly):,} rows", seconds)
    outlets = weekly["outlet"].nunique()
    weeks = weekly["period"].nunique()
    seconds, _ = timed(lambda: draw(weekly, hue="outlet"), args.repeat)
    add(f"plot_timeline by outlet ({outlets} lines x {weeks} weeks), drawn", n, seconds, 2.0)
    by_lean = mk.coverage(articles, freq="W", by="lean")
    seconds, _ = timed(lambda: draw_grid(by_lean, col="lean", y="share"), args.repeat)
    add("plot_timelines by lean (3 panels), drawn", n, seconds, LIMIT_SECONDS)

    size = f"AllSides, {len(allsides):,} articles"
    query = "Putin AND (election* OR vote*)"
    seconds, _ = timed(lambda: mk.coverage(allsides, freq="W", by="lean", query=query), args.repeat)
    add(f"weekly coverage by lean of `{query}`", size, seconds)
    queries = {"Russia": "Putin OR Kremlin OR Moscow", "trade": "tariff* OR trade war"}
    queries["immigration"] = 'immigra* OR "border wall" OR DACA'
    seconds, _ = timed(
        lambda: mk.coverage(allsides, freq="W", by="outlet", query=queries), args.repeat
    )
    add("weekly coverage by outlet of 3 named queries", size, seconds)

    table = [
        "## Coverage timelines (`benchmarks/timeline.py`)",
        "",
        f"Median of {args.repeat} runs on {os.cpu_count()} CPU(s); synthetic articles take "
        "AllSides outlets and leans with dates spread over 2016-2018.",
        "",
        f"| task | data | seconds | under {LIMIT_SECONDS:g} s |",
        "|---|---|---|---|",
        *(f"| {task} | {data} | {sec:.3f} | {verdict} |" for task, data, sec, verdict in rows),
        "",
    ]
    text = "\n".join(table)
    print(text)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
