"""Plain-text cleaning benchmark: article body recovered from a page's raw visible text.

Usage: python benchmarks/text_cleaning.py --data ../shared/benchmarks/text-cleaning [--worst 10]

The folder holds ``<id>.txt`` dumps and ``truth.json`` (see its README.md). mediakit's
``clean_text`` runs one page at a time; the two text-only baselines (the raw dump, and lines
of more than 12 words) are computed in the same run through the same scoring code
(``shingles.py``). The README's published rows are printed alongside. The table is appended
to RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shingles import bootstrap_f1_std, corpus_scores, page_scores

from mediakit.ingest.text import clean_text

RESULTS = Path(__file__).with_name("RESULTS.md")

#: Rows published in the benchmark's README (dev set), for comparison.
PUBLISHED = [
    ("trafilatura-txt (published)", "dump", 0.700, 0.542, 0.989, 0.000),
    ("newspaper4k-txt (published)", "dump", 0.674, 0.519, 0.961, 0.000),
    ("trafilatura on HTML (published, ceiling)", "HTML", 0.965, 0.949, 0.981, 0.331),
    ("newspaper4k on HTML (published)", "HTML", 0.940, 0.964, 0.918, 0.339),
]


def rawdump(raw: str) -> str:
    return raw


def linefilter(raw: str) -> str:
    return "\n\n".join(line for line in raw.splitlines() if len(line.split()) > 12)


def mediakit_clean(raw: str) -> str:
    return clean_text(raw)["text"]


def run(system: Callable[[str], str], pages: dict[str, str], truth: dict) -> tuple[list, float]:
    scores = []
    start = time.process_time()
    predictions = {page_id: system(raw) for page_id, raw in pages.items()}
    elapsed = time.process_time() - start  # CPU time: wall time depends on other load
    for page_id, predicted in predictions.items():
        score = page_scores(predicted, truth[page_id]["text"])
        score["id"] = page_id
        scores.append(score)
    return scores, len(pages) / elapsed if elapsed else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the text-cleaning folder")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages")
    parser.add_argument("--no-append", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    truth = json.loads((args.data / "truth.json").read_text(encoding="utf-8"))
    pages = {
        page_id: (args.data / f"{page_id}.txt").read_text(encoding="utf-8") for page_id in truth
    }
    rows = []
    mediakit_scores: list = []
    for name, system in [
        ("mediakit clean_text", mediakit_clean),
        ("rawdump (floor)", rawdump),
        ("linefilter (> 12 words)", linefilter),
    ]:
        scores, speed = run(system, pages, truth)
        if name.startswith("mediakit"):
            mediakit_scores = scores
        s = corpus_scores(scores)
        std = bootstrap_f1_std(scores)
        rows.append(
            f"| {name} | dump | {s['f1']:.3f} ± {std:.3f} | {s['precision']:.3f} | "
            f"{s['recall']:.3f} | {s['accuracy']:.3f} | {speed:,.0f} |"
        )
    for name, source, f1, precision, recall, accuracy in PUBLISHED:
        rows.append(
            f"| {name} | {source} | {f1:.3f} | {precision:.3f} | {recall:.3f} | {accuracy:.3f} | |"
        )
    table = "\n".join(
        [
            f"## Text cleaning (`benchmarks/text_cleaning.py`, {len(pages)} dev pages)",
            "",
            "| system | input | F1 ± bootstrap sd | precision | recall | accuracy | pages/s (CPU) |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )
    print(table)
    if args.worst:

        def f1(score: dict) -> float:
            p, r = score["precision"] or 0.0, score["recall"] or 0.0
            return 2 * p * r / (p + r) if p + r else 0.0

        for score in sorted(mediakit_scores, key=f1)[: args.worst]:
            print(
                f"{score['id']}  F1 {f1(score):.3f}  P {score['precision'] or 0:.3f}  "
                f"R {score['recall'] or 0:.3f}  {truth[score['id']]['url']}"
            )
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + table + "\n")


if __name__ == "__main__":
    main()
