"""Print the byline region of each saved page, to read the authors' names off it by hand.

    python benchmarks/byline_candidates.py --data ../shared/benchmarks/extraction [--ids a,b]

For every page: its URL, the short texts of elements whose class, id, rel or itemprop says
author or byline, and the visible lines that start with "By" (or another language's
word for it) near the top of the page. This is the material ``data/authors_gold.json``
was read from (see README.md); it decides nothing by itself.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

from lxml import html as lxml_html

_MARKERS = re.compile(r"author|byline|by-line|writer|contributor|reporter|credit", re.I)
_BY = re.compile(r"^\s*(?:by|von|par|por|di|oleh|автор|текст)\b[\s:]", re.I)


def candidates(raw: bytes) -> list[str]:
    tree = lxml_html.fromstring(raw)
    raw_scripts = [s.text or "" for s in tree.xpath("//script[@type='application/ld+json']")]
    for bad in tree.xpath("//script|//style|//noscript|//svg"):
        bad.drop_tree()
    out: list[str] = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        attributes = " ".join(
            str(element.get(name, "")) for name in ("class", "id", "rel", "itemprop")
        )
        if _MARKERS.search(attributes):
            text = " ".join(element.text_content().split())
            if 0 < len(text) <= 160:
                out.append(f"[{element.tag} {attributes.strip()[:40]}] {text}")
    for meta in tree.xpath("//meta[contains(@name, 'author') or contains(@property, 'author')]"):
        key = meta.get("name") or meta.get("property")
        out.append(f"[meta {key}] {meta.get('content', '')[:120]}")
    for script in raw_scripts:
        for found in re.finditer(r'"author"\s*:\s*(\{[^{}]*\}|\[[^\]]*\]|"[^"]*")', script):
            out.append(f"[json-ld author] {' '.join(found.group(1).split())[:160]}")
    headings = tree.xpath("//h1")
    if headings:
        following = headings[0].xpath("following::text()")
        shown = [" ".join(t.split()) for t in following if t.strip()][:8]
        out.append(f"[after h1] {' | '.join(shown)[:300]}")
    body = tree.xpath("//body")
    lines = body[0].text_content().splitlines() if body else []
    for line in lines:
        line = " ".join(line.split())
        if _BY.match(line) and len(line) <= 120:
            out.append(f"[by-line] {line}")
    seen: set[str] = set()
    unique = []
    for item in out:
        if item not in seen:
            seen.add(item)
            unique.append(item)
    return unique[:25]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--ids", help="comma-separated id prefixes")
    args = parser.parse_args()
    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    wanted = args.ids.split(",") if args.ids else None
    for page_id in sorted(truth):
        if wanted and not any(page_id.startswith(w) for w in wanted):
            continue
        raw = gzip.decompress((args.data / "html" / f"{page_id}.html.gz").read_bytes())
        print(f"== {page_id[:10]} {truth[page_id]['url']}")
        for line in candidates(raw):
            print("   ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
