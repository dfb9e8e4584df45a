"""Hostile and unlucky inputs to load_articles and parse_html: gzip bombs, pages built to
make a scanner quadratic, malformed URLs, file names that are not UTF-8, paths that are no
regular files. None may raise, block, or cost more than its stated bound; each gets a
report row."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

from tests.conftest import ROOT

STORY = (
    "The city council voted on Tuesday to extend the night bus network to the northern "
    "suburbs, after a year of petitions from shift workers who said the last train left "
    "them stranded. The extension will cost about four million a year."
)


def _page(body: str = f"<p>{STORY}</p>", head: str = "") -> str:
    return f"<html><head><title>Night buses</title>{head}</head><body>{body}</body></html>"


def _gzip_bomb(path: Path, size: int) -> None:
    """A gzip file inflating to a page of ``size`` bytes, written in steps (0.5 MB for 512 MiB)."""
    block = b" " * 2**20
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with open(path, "wb") as handle:
        handle.write(packer.compress(b"<html><body><p>"))
        for _ in range(size // len(block)):
            handle.write(packer.compress(block))
        handle.write(packer.flush())


# --------------------------------------------------------------------------------------
# decompression
# --------------------------------------------------------------------------------------


def test_a_gzip_bomb_gets_a_report_row_within_300_mb(tmp_path):
    bomb = tmp_path / "page.html.gz"
    _gzip_bomb(bomb, 512 * 2**20)
    assert bomb.stat().st_size < 600_000
    script = textwrap.dedent(
        f"""
        import resource, sys
        import mediakit as mk
        import mediakit.ingest.load, mediakit.ingest.html, mediakit.ingest.tables
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        articles, report = mk.load_articles({str(bomb)!r}, return_report=True)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(report["status"].iloc[0], (peak - baseline) // 1024, report["reason"].iloc[0])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    status, extra_mb, reason = done.stdout.strip().splitlines()[-1].split(" ", 2)
    assert int(extra_mb) <= 300
    assert status == "unreadable"
    assert reason.startswith("too large: the gzip data inflate to more than")
