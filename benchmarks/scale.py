"""Analyses of a corpus beyond memory on a Dask cluster: wall time and peak memory per worker.

Builds ``--n`` articles recombined from AllSides 2018 paragraphs (all texts different,
outlets, leans and dates spread as in the source; ``corpora.recombined_allsides``; 6-19
paragraphs each, about 3 GB of text per million articles), generated in chunks on the workers and written as a monthly Parquet dataset (never
held in memory at once), then reads it back as a dask frame and times, on a
LocalCluster of 1 and of 2 single-threaded worker processes:

- term frequencies of the whole corpus (``mediakit.term_frequencies``, map-reduce);
- weekly coverage by lean of a query (``mediakit.coverage``);
- a 10-topic fit (``mediakit.TopicModel(10).fit`` on the dask frame: k-means started
  on a 20,000-article sample, refined over all partitions).

Peak memory is the largest resident set size of any worker process, sampled every
0.2 s during each analysis. Prints a markdown table and appends it to
benchmarks/RESULTS.md.

Usage: .venv/bin/python benchmarks/scale.py --data /tmp/scale-corpus [--n 1000000]
       [--workers 1,2] [--no-append]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mediakit as mk
from mediakit import scale

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
GB = 1024**3


def make_chunk(
    index: int, size: int, first: int, paragraphs: tuple[int, int] = (6, 19)
) -> pd.DataFrame:
    """Articles ``first .. first + size - 1``: recombined paragraphs, ids and texts unique.

    With 6-19 paragraphs (12.5 on average) an article holds about 3,000 characters, so a
    million articles hold about 3 GB of text.
    """
    from corpora import recombined_allsides

    frame = recombined_allsides(size, random_state=index, paragraphs=paragraphs)
    numbers = range(first, first + size)
    frame["article_id"] = pd.array([f"r{i:08d}" for i in numbers], dtype="string")
    prefix = frame["text"].str.replace(r"^\[\d+\] ", "", regex=True)
    frame["text"] = pd.array([f"[{i}] " for i in numbers], dtype="string") + prefix
    return frame


def generate(
    folder: Path, n: int, chunk: int, client: Any, paragraphs: tuple[int, int] = (6, 19)
) -> float:
    """Write the corpus from the workers, one chunk per task; seconds taken."""
    import dask.dataframe as dd
    from dask import delayed

    started = time.perf_counter()
    sizes = [min(chunk, n - start) for start in range(0, n, chunk)]
    starts = [i * chunk for i in range(len(sizes))]
    meta = make_chunk(0, 2, 0).iloc[:0]
    parts = [
        delayed(make_chunk)(i, s, f, paragraphs)
        for i, (s, f) in enumerate(zip(sizes, starts, strict=True))
    ]
    frame = dd.from_delayed(parts, meta=meta, verify_meta=False)
    scale.save_articles(frame, folder, client=client)
    (folder / "_n").write_text(str(n))
    return time.perf_counter() - started


class PeakMemory:
    """Largest RSS of any worker while the block runs."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.peak = 0
        self._stop = threading.Event()

    def _sample(self) -> None:
        import psutil

        def rss() -> int:
            return int(psutil.Process().memory_info().rss)

        while not self._stop.is_set():
            try:
                values = self.client.run(rss)
                self.peak = max(self.peak, *values.values())
            except Exception:  # the cluster is shutting down
                return
            self._stop.wait(0.2)

    def __enter__(self) -> PeakMemory:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run(folder: Path, workers: int, topics: int) -> tuple[list[dict[str, Any]], int]:
    from distributed import Client, LocalCluster

    rows = []
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, memory_limit="8GB", dashboard_address=None
    )
    with cluster, Client(cluster) as client:
        articles = mk.read_articles(folder, engine="dask")

        def measure(name: str, call: Any) -> Any:
            client.run(lambda: __import__("gc").collect())
            with PeakMemory(client) as memory:
                started = time.perf_counter()
                result = call()
                seconds = time.perf_counter() - started
            rows.append(
                {
                    "workers": workers,
                    "analysis": name,
                    "seconds": round(seconds, 1),
                    "peak GB per worker": round(memory.peak / GB, 2),
                }
            )
            print(rows[-1], flush=True)
            return result

        counts = measure("term frequencies", lambda: mk.term_frequencies(articles))
        timeline = measure(
            "weekly coverage by lean, query 'Trump'",
            lambda: mk.coverage(articles, freq="W", by="lean", query="Trump"),
        )
        model = mk.TopicModel(topics, random_state=0)
        measure(f"topic fit (k={topics}, k-means)", lambda: model.fit(articles))
        rows[-1]["check"] = f"topic sizes {model.topics_['size'].tolist()[:3]}..."
        rows[0]["check"] = f"{len(counts):,} terms"
        rows[1]["check"] = f"{int(timeline['total'].sum()):,} articles"
        characters = int(client.compute(articles["text"].str.len().sum(), sync=True))
    return rows, characters


def markdown(frame: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |"]
    lines.append("|" + "---|" * frame.shape[1])
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder for the dataset")
    parser.add_argument("--n", type=int, default=1_000_000, help="articles generated")
    parser.add_argument("--chunk", type=int, default=20_000, help="articles per file")
    parser.add_argument(
        "--paragraphs", default="6,19", help="fewest and most paragraphs per article"
    )
    parser.add_argument("--workers", default="1,2", help="cluster sizes, comma-separated")
    parser.add_argument("--topics", type=int, default=10)
    parser.add_argument("--no-append", action="store_true", help="print only")
    args = parser.parse_args()

    folder = args.data
    built = folder / "_n"
    generated = None
    if not (built.is_file() and built.read_text() == str(args.n)):
        from distributed import Client, LocalCluster

        if folder.exists() and any(folder.iterdir()):
            sys.exit(f"{folder} holds another corpus; pass an empty or new --data folder.")
        with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
            with Client(cluster) as client:
                low, high = (int(p) for p in args.paragraphs.split(","))
                generated = generate(folder, args.n, args.chunk, client, (low, high))
    files = sorted(folder.glob("month=*/*.parquet"))
    size_gb = sum(f.stat().st_size for f in files) / GB
    rows = []
    text_gb = 0.0
    for workers in (int(w) for w in args.workers.split(",")):
        measured, characters = run(folder, workers, args.topics)
        rows.extend(measured)
        text_gb = characters / GB
    table = markdown(pd.DataFrame(rows).fillna(""))
    header = (
        f"\n## scale.py — {args.n:,} recombined AllSides articles on Dask "
        f"({time.strftime('%Y-%m-%d')})\n\n"
        f"Parquet dataset: {len(files)} files in monthly folders, {size_gb:.2f} GB on disk"
        + (f", generated from the workers in {generated:.0f} s" if generated else "")
        + (f", {text_gb:.2f} GB of text" if text_gb else "")
        + ". LocalCluster of single-threaded worker processes; peak = largest worker RSS.\n\n"
    )
    print(header + table)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(header + table + "\n")


if __name__ == "__main__":
    main()
