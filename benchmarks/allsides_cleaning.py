"""What cleaning removes from the bundled AllSides 2018 corpus, by outlet.

Usage: python benchmarks/allsides_cleaning.py [--top 20]

Runs ``datasets.load_allsides(clean=True)`` (timed, first call in this process) and prints
lines removed and words kept per outlet (the top outlets by lines removed, then the total),
debris lines left before and after, and the most frequent removed lines. The tables are
appended to RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mediakit import datasets
from mediakit.ingest.text import clean_texts

RESULTS = Path(__file__).with_name("RESULTS.md")

#: Debris lines the cleaned corpus must not contain (whole lines, case as published).
DEBRIS = {
    "Story Continued Below": re.compile(r"^Story Continued Below$", re.MULTILINE),
    "ADVERTISEMENT": re.compile(r"^ADVERTISEMENT$", re.MULTILINE),
    "Advertisement": re.compile(r"^Advertisement:?$", re.MULTILINE),
    "Sign up for ...": re.compile(r"^Sign up for\b.*$", re.MULTILINE),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=20, help="outlets to list")
    args = parser.parse_args()

    raw = datasets.load_allsides()
    start, cpu_start = time.perf_counter(), time.process_time()
    cleaned = datasets.load_allsides(clean=True)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    start = time.perf_counter()
    datasets.load_allsides(clean=True)
    cached = time.perf_counter() - start

    frame = cleaned[["outlet", "lines_removed"]].assign(
        articles=1, words_before=raw["word_count"], words_after=cleaned["word_count"]
    )
    by_outlet = frame.groupby("outlet", observed=True)[
        ["articles", "lines_removed", "words_before", "words_after"]
    ].sum()
    by_outlet = by_outlet.sort_values(["lines_removed", "articles"], ascending=[False, False])
    rows = []
    for outlet, row in by_outlet.head(args.top).iterrows():
        kept = row["words_after"] / row["words_before"] if row["words_before"] else 1.0
        rows.append(
            f"| {outlet} | {row['articles']} | {row['lines_removed']} | "
            f"{row['lines_removed'] / row['articles']:.1f} | {kept:.1%} |"
        )
    total = by_outlet.sum()
    rows.append(
        f"| **all {len(by_outlet)} outlets** | {total['articles']} | {total['lines_removed']} | "
        f"{total['lines_removed'] / total['articles']:.1f} | "
        f"{total['words_after'] / total['words_before']:.1%} |"
    )

    debris_rows = []
    for name, pattern in DEBRIS.items():
        before = int(raw["text"].fillna("").str.contains(pattern).sum())
        after = int(cleaned["text"].fillna("").str.contains(pattern).sum())
        debris_rows.append(f"| {name} | {before} | {after} |")

    records = clean_texts(
        raw["text"].tolist(), outlets=raw["outlet"].tolist(), titles=raw["title"].tolist()
    )
    removed = Counter(line for record in records for line in record["removed"])
    frequent = [
        f"| {n} | {line[:90].replace('|', '/')}{'…' if len(line) > 90 else ''} |"
        for line, n in removed.most_common(15)
    ]
    dropped = (raw["word_count"] - cleaned["word_count"]) / raw["word_count"].clip(lower=1)

    table = "\n".join(
        [
            "## AllSides 2018 cleaning (`benchmarks/allsides_cleaning.py`)",
            "",
            f"`load_allsides(clean=True)`: {seconds:.1f} s wall, {cpu:.1f} s CPU for "
            f"{len(raw):,} articles (first call; {cached:.2f} s when cached in the process; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs). Articles losing more "
            f"than 10% / 30% of their words: {int((dropped > 0.1).sum())} / "
            f"{int((dropped > 0.3).sum())}.",
            "",
            f"| outlet (top {args.top} by lines removed) | articles | lines removed | "
            "per article | words kept |",
            "|---|---|---|---|---|",
            *rows,
            "",
            "| debris line | articles before | articles after |",
            "|---|---|---|",
            *debris_rows,
            "",
            "| times removed | most frequent removed line |",
            "|---|---|",
            *frequent,
            "",
        ]
    )
    print(table)
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write("\n" + table + "\n")


if __name__ == "__main__":
    main()
