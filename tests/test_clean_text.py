"""Tests of raw scraped text cleaning (mediakit.ingest.text) on the seed dump and real pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediakit import clean_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "samples" / "000_dcebc4dd8079f64f.txt"
KEYS = {"title", "description", "text", "removed", "status", "lines_removed", "outlet"}


@pytest.fixture(scope="module")
def seed() -> dict:
    return clean_text(SEED.read_text(encoding="utf-8"))


def test_seed_title_and_description(seed):
    assert seed["title"] == (
        "In a call, Donald Trump congratulates Vladimir Putin on election victory, says Kremlin"
    )
    assert seed["description"].startswith("The Kremlin said that Trump had phoned Vladimir Putin")
    assert seed["description"].endswith("setting up a possible high-level meeting.")
    assert seed["status"] == "ok"


def test_seed_body_is_exactly_the_twelve_paragraphs(seed):
    paragraphs = seed["text"].split("\n\n")
    assert len(paragraphs) == 12
    assert paragraphs[0].startswith("The Kremlin said on Tuesday that US President Donald Trump")
    assert paragraphs[-1].startswith('"It\'s very important to maintain this unity," said Putin')
    assert paragraphs[-1].endswith('Russia had a chance to make "a breakthrough."')
    raw_paragraphs = [
        " ".join(p.split()) for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()
    ]
    start = raw_paragraphs.index(paragraphs[0])
    assert paragraphs == raw_paragraphs[start : start + 12]


@pytest.mark.parametrize(
    "debris",
    [
        "Twitter",
        "Advertisement",
        "Latest News",
        "article-main",
        "FacebookTwitterWhatsappLinkedin",
        "Find your daily dose",
        "Follow DNA on WhatsApp",
        "Live tv",
    ],
)
def test_seed_debris_is_gone(seed, debris):
    assert debris not in seed["text"]
    assert any(debris in line for line in seed["removed"])


def test_seed_tag_line_is_removed(seed):
    lines = seed["text"].splitlines()
    assert "Donald Trump" not in lines
    assert "Donald Trump" in seed["removed"]
