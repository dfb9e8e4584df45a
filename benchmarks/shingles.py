"""The shingle metric of the article-extraction benchmark, shared by the scoring scripts.

Tokens are ``\\w+`` runs (case kept); a text becomes a bag of 4-token shingles (a text of
1-3 tokens gives one shorter shingle). Per page: precision and recall of the bags'
multiset intersection. Corpus precision is the mean over pages whose prediction has a
shingle, corpus recall the mean over pages whose truth has one; F1 is the harmonic mean of
those two means; accuracy is the share of pages whose token sequence equals the truth.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping

WORD = re.compile(r"\w+")


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = WORD.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_scores(predicted: str | None, truth: str | None) -> dict[str, float | bool | None]:
    """Precision (None if the prediction is empty), recall (None if the truth is empty), exact."""
    pred, gold = shingles(predicted), shingles(truth)
    tp = sum((pred & gold).values())
    return {
        "precision": tp / sum(pred.values()) if pred else None,
        "recall": tp / sum(gold.values()) if gold else None,
        "exact": WORD.findall(predicted or "") == WORD.findall(truth or ""),
    }


def corpus_scores(pages: Iterable[Mapping[str, float | bool | None]]) -> dict[str, float]:
    pages = list(pages)
    precisions = [p["precision"] for p in pages if p["precision"] is not None]
    recalls = [p["recall"] for p in pages if p["recall"] is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(bool(p["exact"]) for p in pages) / len(pages) if pages else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "accuracy": accuracy}


def bootstrap_f1_std(pages: list[Mapping], rounds: int = 200, seed: int = 0) -> float:
    """Standard deviation of F1 over pages resampled with replacement."""
    rng = random.Random(seed)
    values = []
    for _ in range(rounds):
        sample = [pages[rng.randrange(len(pages))] for _ in pages]
        values.append(corpus_scores(sample)["f1"])
    mean = sum(values) / len(values)
    return (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
