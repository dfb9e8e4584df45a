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

from folds import N_FOLDS, fold_of
from shingles import bootstrap_f1_std, corpus_scores, page_scores

from mediakit.ingest import text as cleaning
from mediakit.ingest.text import clean_text

#: The thresholds chosen inside the folds, and the values tried for each.
GRID = {
    "PROSE_MIN_WORDS": (6, 8, 10),
    "UNFINISHED_WEIGHT": (0.25, 0.5, 0.75),
    "FURNITURE_WEIGHT": (-4.0, -6.0, -8.0),
}

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
        score["fold"] = fold_of(truth[page_id]["url"])
        scores.append(score)
    return scores, len(pages) / elapsed if elapsed else float("inf")


def grid_scores(pages: dict[str, str], truth: dict) -> dict[tuple, dict[str, dict]]:
    """Per-page scores of clean_text under every combination of the GRID thresholds."""
    import itertools

    names = list(GRID)
    shipped = {name: getattr(cleaning, name) for name in names}
    out = {}
    try:
        for values in itertools.product(*GRID.values()):
            for name, value in zip(names, values, strict=True):
                setattr(cleaning, name, value)
            out[values] = {
                page_id: page_scores(mediakit_clean(raw), truth[page_id]["text"])
                for page_id, raw in pages.items()
            }
    finally:
        for name, value in shipped.items():
            setattr(cleaning, name, value)
    return out


def cross_validate(pages: dict[str, str], truth: dict) -> dict:
    """Thresholds chosen on four folds of sites (best F1 there), scored on the fifth."""
    scores = grid_scores(pages, truth)
    fold = {page_id: fold_of(truth[page_id]["url"]) for page_id in pages}
    shipped = tuple(getattr(cleaning, name) for name in GRID)
    per_fold, pooled = {}, []
    for held in range(N_FOLDS):
        train = [p for p in pages if fold[p] != held]
        test = [p for p in pages if fold[p] == held]

        def train_f1(values: tuple, train: list[str] = train) -> float:
            return corpus_scores(scores[values][p] for p in train)["f1"]

        # ties go to the shipped values, then to the first in the grid
        best = max(scores, key=lambda v: (round(train_f1(v), 6), v == shipped))
        chosen = [scores[best][p] for p in test]
        pooled += chosen
        per_fold[held] = {
            "f1": corpus_scores(chosen)["f1"],
            "n": len(test),
            "values": dict(zip(GRID, best, strict=True)),
            "dev_f1": corpus_scores(scores[shipped][p] for p in test)["f1"],
        }
    all_f1 = {v: corpus_scores(scores[v].values())["f1"] for v in scores}
    return {
        "pooled": corpus_scores(pooled)["f1"],
        "per_fold": per_fold,
        "best_on_all": max(all_f1, key=lambda v: (round(all_f1[v], 6), v == shipped)),
    }


def cv_table(cv: dict, baselines: dict[str, list]) -> str:
    sizes = " | ".join(f"fold {k} ({cv['per_fold'][k]['n']})" for k in range(N_FOLDS))
    lines = [
        f"| text F1 by site (5 folds by registered domain) | all | {sizes} |",
        "|---" * (N_FOLDS + 2) + "|",
    ]
    folds = " | ".join(f"{cv['per_fold'][k]['f1']:.3f}" for k in range(N_FOLDS))
    lines.append(
        f"| **mediakit clean_text, cross-validated** (thresholds chosen on the other 4 folds) "
        f"| {cv['pooled']:.3f} | {folds} |"
    )
    for name, scores in baselines.items():
        by_fold = []
        for k in range(N_FOLDS):
            chosen = [s for s in scores if s["fold"] == k]
            by_fold.append(f"{corpus_scores(chosen)['f1']:.3f}")
        lines.append(f"| {name} | {corpus_scores(scores)['f1']:.3f} | {' | '.join(by_fold)} |")
    chosen = "; ".join(
        f"fold {k}: "
        + ", ".join(f"{name}={value:g}" for name, value in cv["per_fold"][k]["values"].items())
        for k in range(N_FOLDS)
    )
    best = ", ".join(f"{n}={v:g}" for n, v in zip(GRID, cv["best_on_all"], strict=True))
    return (
        "\n".join(lines)
        + f"\n\nThresholds chosen in each fold: {chosen}. Best on all pages: {best}.\n"
    )


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
    every: dict[str, list] = {}
    for name, system in [
        ("mediakit clean_text", mediakit_clean),
        ("rawdump (floor)", rawdump),
        ("linefilter (> 12 words)", linefilter),
    ]:
        scores, speed = run(system, pages, truth)
        every[f"{name} (dev: shipped thresholds)" if name.startswith("mediakit") else name] = scores
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
            cv_table(cross_validate(pages, truth), every),
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
