"""Publication-date extraction scored on htmldate's evaluation pages (development split).

Usage: python benchmarks/dates.py --data ../shared/benchmarks/dates [--systems mediakit,...]
       [--errors] [--no-append]

Every system runs through the same loop and the same scoring, once without the page's
URL and once with it. Scoring follows the data folder's README: the predicted date is
reduced to the calendar day the page states (no time-zone conversion) and compared with
the gold day; a wrong day is a false positive, no date a false negative.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")

Extractor = Callable[[str, str | None], date | None]


def _mediakit() -> Extractor:
    from mediakit.ingest.dates import extract_date_details

    def run(html: str, url: str | None) -> date | None:
        return extract_date_details(html, url=url).day

    return run


def _htmldate(extensive: bool) -> Extractor:
    from htmldate import find_date

    def run(html: str, url: str | None) -> date | None:
        found = find_date(html, original_date=True, extensive_search=extensive, url=url)
        return date.fromisoformat(found) if found else None

    return run


def _trafilatura() -> Extractor:
    from trafilatura import extract_metadata

    def run(html: str, url: str | None) -> date | None:
        meta = extract_metadata(html, default_url=url)
        found = meta.date if meta is not None else None
        return date.fromisoformat(found[:10]) if found else None

    return run


SYSTEMS: dict[str, tuple[str, Callable[[], Extractor]]] = {
    "mediakit": ("mediakit (`extract_date_details(html, url=...).day`)", _mediakit),
    "htmldate-extensive": (
        "htmldate, extensive (`find_date(html, original_date=True)`)",
        lambda: _htmldate(True),
    ),
    "htmldate-fast": ("htmldate, fast (`extensive_search=False`)", lambda: _htmldate(False)),
    "trafilatura": ("trafilatura (`extract_metadata(html).date`)", _trafilatura),
}

# the data folder's README, measured on the same development split
PUBLISHED = {
    "htmldate-extensive": 0.949,
    "htmldate-fast": 0.923,
    "trafilatura": 0.948,
}


def load_pages(folder: Path) -> list[tuple[str, str, str | None, str | None]]:
    """(name, html, url, gold day) for every page listed in truth.json."""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    pages = []
    for name in sorted(truth):
        raw = gzip.decompress((folder / "html" / f"{name}.html.gz").read_bytes())
        pages.append(
            (name, raw.decode("utf-8", "replace"), truth[name]["url"], truth[name]["date"])
        )
    return pages


def score(predicted: dict[str, date | None], gold: dict[str, str | None]) -> dict[str, float]:
    """TP/FP/FN, precision, recall, accuracy and F as the data folder's README defines them."""
    tp = fp = fn = 0
    for name, truth in gold.items():
        found = predicted.get(name)
        if found is None:
            fn += 1
        elif truth is not None and found.isoformat() == truth:
            tp += 1
        else:
            fp += 1
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "accuracy": tp / (tp + fp + fn) if tp + fp + fn else 0.0,
        "f": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
    }


def run_system(
    extract: Extractor, pages: list[tuple[str, str, str | None, str | None]], with_url: bool
) -> tuple[dict[str, date | None], float]:
    predicted: dict[str, date | None] = {}
    start = time.perf_counter()
    for name, html, url, _ in pages:
        try:
            predicted[name] = extract(html, url if with_url else None)
        except Exception:  # a crash counts as no date, like upstream's evaluation
            predicted[name] = None
    return predicted, time.perf_counter() - start


def normalize_table(rows: int = 100_000) -> str:
    """Rows per second of ``normalize_published`` on columns of one format each."""
    import numpy as np
    import pandas as pd

    from mediakit.ingest.dates import normalize_published

    rng = np.random.default_rng(0)
    stamps = pd.Timestamp("2015-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 300_000_000, rows), unit="s"
    )
    formats = {
        "ISO 8601 with offset": pd.Series(stamps.strftime("%Y-%m-%dT%H:%M:%S+00:00")),
        'Media Cloud "2018-03-20 10:15:00"': pd.Series(stamps.strftime("%Y-%m-%d %H:%M:%S")),
        'GDELT "20180320T101500Z"': pd.Series(stamps.strftime("%Y%m%dT%H%M%SZ")),
        "RFC 2822": pd.Series(stamps.strftime("%a, %d %b %Y %H:%M:%S +0000")),
        'written "March 20, 2018" (days repeat)': pd.Series(stamps.strftime("%B %d, %Y")),
        "epoch seconds": pd.Series((stamps.asi8 // 1_000_000).astype(str)),
    }
    lines = [
        f"`normalize_published` on {rows:,} values of one format:",
        "",
        "| format | rows/s | distinct values | parsed |",
        "|---|---|---|---|",
    ]
    for label, values in formats.items():
        start = time.perf_counter()
        published, _ = normalize_published(values, now="2030-01-01")
        seconds = time.perf_counter() - start
        lines.append(
            f"| {label} | {rows / seconds:,.0f} | {values.nunique():,} "
            f"| {published.notna().mean():.1%} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with truth.json + html/")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset")
    parser.add_argument("--errors", action="store_true", help="list mediakit's wrong pages")
    parser.add_argument("--no-append", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    pages = load_pages(args.data)
    gold = {name: truth for name, _, _, truth in pages}
    rows = []
    for key in args.systems.split(","):
        label, factory = SYSTEMS[key]
        extract = factory()
        # the URL pass first also warms shared caches (dateparser's locale tables), so
        # the timed no-URL pass does not charge one system for loading them
        with_url, _ = run_system(extract, pages, with_url=True)
        no_url, seconds = run_system(extract, pages, with_url=False)
        plain, given = score(no_url, gold), score(with_url, gold)
        rows.append((key, label, plain, given, len(pages) / seconds))
        if args.errors and key == "mediakit":
            for name, _html, url, truth in pages:
                found = no_url[name]
                if found is None or found.isoformat() != truth:
                    print(f"  wrong: {name} gold={truth} found={found} {url}")

    lines = [
        f"## Publication dates (`benchmarks/dates.py`, {len(pages)} pages)",
        "",
        "| system | F (no URL) | P | R | accuracy | TP/FP/FN | F (URL given) "
        "| F published | pages/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, label, plain, given, speed in rows:
        published = PUBLISHED.get(key)
        lines.append(
            f"| {label} | {plain['f']:.3f} | {plain['precision']:.3f} | {plain['recall']:.3f} "
            f"| {plain['accuracy']:.3f} | {plain['tp']}/{plain['fp']}/{plain['fn']} "
            f"| {given['f']:.3f} | {'' if published is None else f'{published:.3f}'} "
            f"| {speed:.0f} |"
        )
    lines += [
        "",
        "F published: the data folder's README, same split. pages/s: the no-URL pass, one "
        "process, after the URL pass has warmed shared caches.",
        "",
        normalize_table(),
        "",
    ]
    table = "\n".join(lines)
    print(table)
    if not args.no_append:
        previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        with RESULTS.open("a", encoding="utf-8") as handle:
            # a blank line first, so the heading does not run into the last table
            handle.write(("" if previous.endswith("\n\n") or not previous else "\n") + table + "\n")


if __name__ == "__main__":
    main()
