"""parse_html on pages built to make pre-processing slow: many unclosed openings.

Usage: python benchmarks/html_hostile.py [--repeat 3]

Each page holds one short story, then N openings of one kind that are never closed
(``<script>``, ``<style>``, ``<!--``, ``<svg>``), N = 1k, 4k, 16k, 64k. Two timings per
page: ``parse_html`` with its defaults, and with ``max_size`` below the page's length,
which makes it cut scripts, styles, SVG and comments first (the path a page over 8 million
characters takes). Time should grow about as fast as N (at most 5x per 4x more openings),
and 16k openings take under 0.5 s.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
OPENINGS = ("<script>", "<style>", "<!--", "<svg>")
COUNTS = (1_000, 4_000, 16_000, 64_000)
STORY = (
    "The city council voted on Tuesday to extend the night bus network to the northern "
    "suburbs, after a year of petitions from shift workers who said the last train left "
    "them stranded. "
) * 3


def page(opening: str, n: int) -> str:
    """A story, then ``n`` unclosed openings, each followed by a few characters of text."""
    return f"<html><body><article><p>{STORY}</p></article>" + f"{opening}x " * n


def best_time(html: str, repeat: int, **options: object) -> float:
    """Seconds per call: calls are looped until a run takes 0.2 s (as timeit does, so
    that millisecond timings are not noise), best of ``repeat`` runs."""
    from mediakit.ingest.html import parse_html

    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            parse_html(html, **options)  # type: ignore[arg-type]
        took = time.perf_counter() - start
        if took >= 0.2:
            break
        loops *= 2 if took > 0.05 else 8
    best = took / loops
    for _ in range(repeat - 1):
        start = time.perf_counter()
        for _ in range(loops):
            parse_html(html, **options)  # type: ignore[arg-type]
        best = min(best, (time.perf_counter() - start) / loops)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from mediakit.ingest.html import parse_html

    parse_html(page("<p>", 10))  # import the extraction libraries before timing
    lines = [
        "## parse_html on hostile pages (`benchmarks/html_hostile.py`)",
        "",
        f"Seconds per call, best of {args.repeat} runs of calls looped to at least 0.2 s. 'cut first': max_size below the page's length, "
        "so scripts, styles, SVG and comments are cut before parsing. Growth: time ratio to "
        "the previous row (4x more openings; limit 5x). Limit for 16k openings: 0.5 s.",
        "",
        "| opening | N | characters | parse s | growth | cut first s | growth |",
        "|---|---|---|---|---|---|---|",
    ]
    worst_growth, worst_16k = 0.0, 0.0
    for opening in OPENINGS:
        previous: tuple[float, float] | None = None
        for n in COUNTS:
            html = page(opening, n)
            plain = best_time(html, args.repeat)
            cut = best_time(html, args.repeat, max_size=len(html) - 1)
            growth = ("", "")
            if previous is not None:
                ratios = (plain / previous[0], cut / previous[1])
                growth = (f"{ratios[0]:.1f}x", f"{ratios[1]:.1f}x")
                worst_growth = max(worst_growth, *ratios)
            if n == 16_000:
                worst_16k = max(worst_16k, plain, cut)
            previous = (plain, cut)
            lines.append(
                f"| `{opening}` | {n:,} | {len(html):,} | {plain:.4f} | {growth[0]} "
                f"| {cut:.4f} | {growth[1]} |"
            )
    lines += [
        "",
        f"Largest growth per 4x more openings: {worst_growth:.1f}x (limit 5x); slowest page "
        f"of 16k openings: {worst_16k:.3f} s (limit 0.5 s).",
        "",
    ]
    table = "\n".join(lines)
    print(table)
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(table + "\n")


if __name__ == "__main__":
    main()
