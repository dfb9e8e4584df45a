"""Convert the raw public corpora into the compact Parquet files under data/.

Usage::

    python scripts/build_datasets.py --raw PATH/TO/RAW/DATA [--out data]

``--raw`` is the folder holding ``allsides2018/allsides_2018_fulltext.jsonl.gz`` and
``reuters21578/reuters21578.jsonl.gz`` (see data/README.md for where they come from).
The Parquet files keep every source field; ``mediakit.datasets`` turns them into
article frames. Text is kept as found, except that Reuters' hard-wrapped lines are
joined into paragraphs separated by blank lines. Duplicate groups (exact and near
copies, ``mediakit.ingest.dedup.find_duplicates``) are computed once here and stored as
``dup_group``, so loading a corpus does not repeat the work.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

import pandas as pd

PARAGRAPH_BREAK = re.compile(r"\n(?=[ \t]{3,})")


def reflow(body: str | None) -> str | None:
    """Join Reuters' wrapped lines; a line indented by 3+ spaces starts a paragraph."""
    if not body or not body.strip():
        return None
    paragraphs = [" ".join(p.split()) for p in PARAGRAPH_BREAK.split(body)]
    return "\n\n".join(p for p in paragraphs if p)


def read_jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def build_allsides(raw: Path) -> pd.DataFrame:
    frame = pd.DataFrame(read_jsonl(raw / "allsides2018" / "allsides_2018_fulltext.jsonl.gz"))
    frame = frame.rename(columns={"ID": "id", "source": "outlet", "bias_text": "lean"})
    frame["authors"] = frame["authors"].replace("", None)
    return frame[
        ["id", "date", "outlet", "source_url", "url", "authors", "title", "topic", "lean", "text"]
    ]


def build_reuters(raw: Path) -> pd.DataFrame:
    frame = pd.DataFrame(read_jsonl(raw / "reuters21578" / "reuters21578.jsonl.gz"))
    frame["body"] = frame["body"].map(reflow)
    frame["title"] = frame["title"].where(frame["title"].notna(), None)
    return frame.drop(columns=["source_file"])


def add_duplicate_groups(folder: Path) -> None:
    """Store each corpus' duplicate groups, computed on its article frame."""
    import os

    os.environ["MEDIAKIT_DATA"] = str(folder)
    from mediakit import datasets
    from mediakit.ingest.dedup import find_duplicates

    for name, load in (
        ("allsides2018", datasets.load_allsides),
        ("reuters21578", datasets.load_reuters),
    ):
        target = folder / f"{name}.parquet"
        raw = pd.read_parquet(target).drop(columns="dup_group", errors="ignore")
        datasets._read.cache_clear()
        raw["dup_group"] = find_duplicates(load()).to_numpy()
        raw.to_parquet(target, compression="zstd", compression_level=19, index=False)
        print(f"{target}: {raw['dup_group'].notna().sum():,} articles in duplicate groups")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True, help="folder with the raw corpora")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "data")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build in (("allsides2018", build_allsides), ("reuters21578", build_reuters)):
        frame = build(args.raw)
        target = args.out / f"{name}.parquet"
        frame.to_parquet(target, compression="zstd", compression_level=19, index=False)
        print(f"{target}: {len(frame):,} rows, {target.stat().st_size / 1e6:.1f} MB")
    add_duplicate_groups(args.out)


if __name__ == "__main__":
    main()
