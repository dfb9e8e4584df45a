"""Choose one article body among the candidates several extractors give for a page.

The "auto" engine of :func:`mediakit.ingest.html.parse_html` runs trafilatura twice (a
pass tuned for precision and one tuned for recall) and newspaper4k, cleans each output,
and keeps the candidate with the highest score ``w . features(candidate)``. The features
describe each candidate by itself (length, paragraph shape) and against the others (how
much of it the others confirm, how much of them it covers, its length relative to
theirs), so the rule is the same for every site. The weights are learned from the
article-extraction benchmark's development pages by ``benchmarks/train_combiner.py``
(pairwise logistic regression: for two candidates of a page, which has the higher shingle
F1) and shipped in ``mediakit/resources/combiner.json``; the benchmark scores the rule
by cross-validation over sites.

newspaper4k takes as long as both trafilatura passes and is rarely chosen, so it runs only
when the two passes disagree: when each pass's word trigrams are found in the other for at
least a learned share (``gate_agreement``, chosen with the weights, inside the same folds),
the choice is made between the two passes alone (:func:`wants_newspaper`).

Two choices are not learned: a candidate that is no article (too few words, only short
lines) is never chosen when another one is, and the precision pass is never trusted when
it is longer than the recall pass (the extra words are then sidebars and navigation, not
story).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

#: The candidates, in the order of their one-hot features.
CANDIDATES: tuple[str, ...] = ("precision", "recall", "newspaper")

#: Names of the features of one candidate, in order.
FEATURES: tuple[str, ...] = (
    "is_precision",
    "is_recall",
    "is_newspaper",
    "log_words",
    "log_ratio_to_longest",
    "log_ratio_to_median",
    "confirmed_by_others",
    "covers_others",
    "log_mean_paragraph_words",
    "share_short_paragraphs",
    "share_link_like",
)

_WORD = re.compile(r"\w+")
_LINK_LIKE = re.compile(r"^[^.!?…]{0,120}$")


def _tokens(paragraphs: Sequence[str]) -> list[str]:
    return [t.casefold() for p in paragraphs for t in _WORD.findall(p)]


def _trigrams(tokens: list[str]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + 3]) for i in range(max(0, len(tokens) - 2)))


def features(candidates: Mapping[str, Sequence[str]]) -> dict[str, list[float]]:
    """Feature vector (:data:`FEATURES`) of each candidate, given all of a page's candidates."""
    tokens = {name: _tokens(paragraphs) for name, paragraphs in candidates.items()}
    grams = {name: _trigrams(t) for name, t in tokens.items()}
    words = {name: len(t) for name, t in tokens.items()}
    longest = max(words.values(), default=0)
    ordered = sorted(words.values())
    median = ordered[len(ordered) // 2] if ordered else 0
    out = {}
    for name, paragraphs in candidates.items():
        others = [o for o in candidates if o != name and words[o] > 0]
        own = grams[name]
        size = sum(own.values())
        confirmed = covers = 0.0
        for other in others:
            shared = sum((own & grams[other]).values())
            confirmed += shared / size if size else 0.0
            other_size = sum(grams[other].values())
            covers += shared / other_size if other_size else 0.0
        n_others = max(1, len(others))
        lengths = [len(_WORD.findall(p)) for p in paragraphs] or [0]
        n = max(1, len(paragraphs))
        out[name] = [
            float(name == "precision"),
            float(name == "recall"),
            float(name == "newspaper"),
            math.log1p(words[name]),
            math.log((words[name] + 1) / (longest + 1)),
            math.log((words[name] + 1) / (median + 1)),
            confirmed / n_others,
            covers / n_others,
            math.log1p(sum(lengths) / n),
            sum(length < 8 for length in lengths) / n,
            sum(bool(_LINK_LIKE.match(p)) and len(_WORD.findall(p)) < 15 for p in paragraphs) / n,
        ]
    return out


def eligible(candidates: Mapping[str, Sequence[str]], usable: Mapping[str, bool]) -> list[str]:
    """The candidates the model may choose from (see the module's notes)."""
    names = [name for name in candidates if usable.get(name, False)]
    if "precision" in names and "recall" in candidates:
        words = {name: len(_tokens(candidates[name])) for name in ("precision", "recall")}
        if words["precision"] > words["recall"]:
            names.remove("precision")
    return names or [name for name in CANDIDATES if name in candidates][:1]


def agreement(first: Sequence[str], second: Sequence[str]) -> float:
    """How far two candidates agree: the smaller of the shares of each one's word trigrams
    that the other holds (0 when either is empty, 1 when they hold the same words)."""
    a, b = _trigrams(_tokens(first)), _trigrams(_tokens(second))
    size_a, size_b = sum(a.values()), sum(b.values())
    if not size_a or not size_b:
        return 0.0
    shared = sum((a & b).values())
    return min(shared / size_a, shared / size_b)


def wants_newspaper(
    passes: Mapping[str, Sequence[str]],
    usable: Mapping[str, bool],
    model: Mapping[str, Any] | None = None,
) -> bool:
    """True unless trafilatura's two ``passes`` are both usable and agree at least as much
    as the model's ``gate_agreement``; then newspaper4k's body would not change the choice
    and is not computed. A model without a gate always wants it."""
    model = default_model() if model is None else model
    threshold = model.get("gate_agreement")
    if threshold is None or not all(usable.get(name, False) for name in ("precision", "recall")):
        return True
    return agreement(passes["precision"], passes["recall"]) < threshold


@lru_cache(maxsize=1)
def default_model() -> dict[str, Any]:
    """The weights shipped with mediakit (trained on all development pages)."""
    text = resources.files("mediakit").joinpath("resources", "combiner.json").read_text("utf-8")
    model: dict[str, Any] = json.loads(text)
    if tuple(model["features"]) != FEATURES:  # pragma: no cover - a stale resource file
        raise RuntimeError(
            "mediakit/resources/combiner.json was trained on other features; regenerate it "
            "with benchmarks/train_combiner.py."
        )
    return model


def scores(
    candidates: Mapping[str, Sequence[str]], model: Mapping[str, Any] | None = None
) -> dict[str, float]:
    """The model's score of each candidate (higher is better)."""
    model = default_model() if model is None else model
    weights, means, scales = model["weights"], model["means"], model["scales"]
    out = {}
    for name, vector in features(candidates).items():
        out[name] = sum(
            w * (x - m) / s for w, x, m, s in zip(weights, vector, means, scales, strict=True)
        )
    return out


def choose(
    candidates: Mapping[str, Sequence[str]],
    usable: Mapping[str, bool],
    model: Mapping[str, Any] | None = None,
) -> str:
    """Name of the candidate to keep."""
    names = eligible(candidates, usable)
    if len(names) == 1:
        return names[0]
    score = scores(candidates, model)
    return max(names, key=lambda name: (score[name], -CANDIDATES.index(name)))
