"""Ingest speed: load_articles on folders of raw text and saved pages (n_jobs 1 and 2),
tables, duplicate detection on the bundled corpora and on 100,000 recombined articles,
and Parquet round trips.

Inputs are built from the bundled AllSides corpus in a temporary folder: raw text dumps
(the article between menus, share rows and footers, as a naive scraper saves it), saved
HTML pages and a Media Cloud-style CSV export with text.

Usage: .venv/bin/python benchmarks/ingest.py [--files 400] [--pages 100] [--dedup-n 100000]
"""

from __future__ import annotations

import argparse
import html
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import mediakit as mk
from benchmarks.corpora import recombined_allsides
from mediakit import datasets
from mediakit.ingest.dedup import find_duplicates

RESULTS = Path(__file__).with_name("RESULTS.md")


def _dump(row: pd.Series) -> str:
    return "\n".join(
        [
            row["outlet"],
            "Home",
            "World",
            "Advertisement",
            "",
            row["title"],
            "",
            "FacebookTwitterEmail",
            "",
            row["text"],
            "",
            "Share this article",
            "Most Read",
            f"© 2018 {row['outlet']}. All rights reserved.",
        ]
    )


def _page(row: pd.Series) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in row["text"].split("\n\n"))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(row['title'])}</title>"
        f'<link rel="canonical" href="{html.escape(row["url"])}">'
        f'<meta property="article:published_time" content="{row["published"]:%Y-%m-%d}T09:30:00Z">'
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(row['title'])}"
        f"</h1>{body}</article><footer>© 2018</footer></body></html>"
    )


CPU: list[float] = []  # CPU seconds of this process for the last timed call


def _timed(func, *args, **kwargs):
    start, cpu = time.perf_counter(), time.process_time()
    result = func(*args, **kwargs)
    CPU.append(time.process_time() - cpu)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400, help="raw text files")
    parser.add_argument("--pages", type=int, default=100, help="saved HTML pages")
    parser.add_argument("--dedup-n", type=int, default=100_000, help="recombined articles")
    parser.add_argument(
        "--no-append", action="store_true", help="print the table without adding it to RESULTS.md"
    )
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    allsides = datasets.load_allsides()
    reuters = datasets.load_reuters()
    rows: list[tuple[str, str, float, str]] = []
    cpu: list[float] = []  # CPU seconds of this process, one per row
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        texts = root / "texts"
        pages = root / "pages"
        texts.mkdir()
        pages.mkdir()
        for i, (_, row) in enumerate(allsides.head(args.files).iterrows()):
            folder = texts / row["outlet"].replace("/", "-")
            folder.mkdir(exist_ok=True)
            (folder / f"{i:05d}.txt").write_text(_dump(row), encoding="utf-8")
        for i, (_, row) in enumerate(allsides.iloc[-args.pages :].iterrows()):
            (pages / f"{i:05d}.html").write_text(_page(row), encoding="utf-8")
        table = allsides.rename(columns={"article_id": "stories_id", "outlet": "media_name"})
        table["publish_date"] = table["published"].dt.strftime("%Y-%m-%d %H:%M:%S")
        table[["stories_id", "publish_date", "media_name", "title", "url", "text"]].to_csv(
            root / "mediacloud.csv", index=False
        )

        # warm up: first imports and the language model load are not ingest speed
        mk.load_articles([*sorted(texts.rglob("*.txt"))[:2], *sorted(pages.glob("*.html"))[:1]])
        for jobs in (1, 2):
            frame, seconds = _timed(mk.load_articles, texts, n_jobs=jobs, progress=False)
            rows.append(
                (
                    f"load_articles, raw text files, n_jobs={jobs}",
                    f"{len(frame):,} files",
                    seconds,
                    f"{len(frame) / seconds:,.0f} files/s",
                )
            )
            cpu.append(CPU[-1])
        for jobs in (1, 2):
            frame, seconds = _timed(mk.load_articles, pages, n_jobs=jobs, progress=False)
            rows.append(
                (
                    f"load_articles, saved HTML pages, n_jobs={jobs}",
                    f"{len(frame):,} files",
                    seconds,
                    f"{len(frame) / seconds:,.1f} files/s",
                )
            )
            cpu.append(CPU[-1])
        frame, seconds = _timed(mk.load_articles, root / "mediacloud.csv", progress=False)
        rows.append(
            (
                "load_articles, Media Cloud CSV with text (cleaned, deduplicated)",
                f"{len(frame):,} rows",
                seconds,
                f"{len(frame) / seconds:,.0f} rows/s",
            )
        )
        cpu.append(CPU[-1])
        for name, corpus in (("AllSides", allsides), ("Reuters-21578", reuters)):
            path = root / f"{name}.parquet"
            _, write = _timed(mk.save_articles, corpus, path)
            back, read = _timed(mk.read_articles, path)
            CPU.append(CPU.pop() + CPU.pop())
            assert back.equals(corpus)
            rows.append(
                (
                    f"save_articles + read_articles, Parquet ({name})",
                    f"{len(corpus):,} articles, {path.stat().st_size / 1e6:.1f} MB",
                    write + read,
                    "identical frame",
                )
            )
            cpu.append(CPU[-1])

    for name, corpus in (("AllSides", allsides), ("Reuters-21578", reuters)):
        groups, seconds = _timed(find_duplicates, corpus)
        rows.append(
            (
                f"find_duplicates ({name})",
                f"{len(corpus):,} articles",
                seconds,
                f"{groups.notna().sum():,} in {groups.nunique():,} groups",
            )
        )
        cpu.append(CPU[-1])
    if args.dedup_n:
        big = recombined_allsides(args.dedup_n)
        groups, seconds = _timed(find_duplicates, big)
        rows.append(
            (
                "find_duplicates (recombined AllSides paragraphs)",
                f"{len(big):,} articles",
                seconds,
                f"{groups.notna().sum():,} in {groups.nunique():,} groups",
            )
        )
        cpu.append(CPU[-1])

    lines = [
        "## Ingest (`benchmarks/ingest.py`)",
        "",
        f"One run each on {os.cpu_count()} CPU(s) (load average {load_before:.1f} before the run, "
        f"{os.getloadavg()[0]:.1f} after: other processes shared the CPUs); inputs built from "
        "the bundled AllSides corpus. CPU seconds leave out worker processes (n_jobs=2).",
        "",
        "| task | data | seconds | CPU seconds (this process) | result |",
        "|---|---|---|---|---|",
        *(
            f"| {task} | {data} | {seconds:.2f} | {used:.2f} | {result} |"
            for (task, data, seconds, result), used in zip(rows, cpu, strict=True)
        ),
        "",
    ]
    table_md = "\n".join(lines)
    print(table_md)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + table_md)


if __name__ == "__main__":
    main()
