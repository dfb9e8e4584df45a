"""Learn the "auto" engine's choice among candidate bodies, and score it by site.

    python benchmarks/train_combiner.py --data ../shared/benchmarks/extraction [--write]

For each development page of the article-extraction benchmark, the candidates the "auto"
engine chooses from (trafilatura's precision and recall passes and newspaper4k, each
cleaned of page furniture) are computed once, with their shingle F1 against the gold
text. A linear score over the candidates' features (``mediakit/ingest/_combine.py``) is
fitted by pairwise logistic regression: for two candidates of one page, which has the
higher F1, weighted by the difference. The regularisation strength is chosen by an inner
cross-validation on the training folds only, and so is the gate that skips newspaper4k
when trafilatura's two passes agree (``gate_agreement``: the lowest agreement, from
``GATE_GRID``, at which skipping it loses no F1 on the inner folds).

The script prints the cross-validated F1 by site (5 folds by registered domain,
``folds.py``: every choice made on four folds, scored on the fifth), and ``--write`` saves
the model trained on all pages to ``mediakit/resources/combiner.json``, which
``parse_html`` uses.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from folds import N_FOLDS, fold_of
from shingles import corpus_scores, page_scores

RESOURCE = Path(__file__).resolve().parents[1] / "mediakit" / "resources" / "combiner.json"
C_GRID = (0.01, 0.1, 1.0, 10.0)
GATE_GRID = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98)


def page_candidates(page: dict) -> dict[str, Any]:
    """The candidates of one page as parse_html computes them, with their scores."""
    from mediakit.ingest import html as mh

    decoded, _ = mh.decode_html(page["bytes"])
    tree = mh._load(decoded or "")
    meta = mh._metadata(tree, page["url"])
    candidates = mh._candidates(tree, decoded or "", page["url"], meta["title"])
    out: dict[str, Any] = {"id": page["id"], "url": page["url"], "fold": fold_of(page["url"])}
    out["candidates"] = candidates
    out["usable"] = {name: mh._not_an_article(p) is None for name, p in candidates.items()}
    out["scores"] = {
        name: page_scores("\n\n".join(p) if out["usable"][name] else None, page["truth"])
        for name, p in candidates.items()
    }
    return out


def _f1(score: dict) -> float:
    p, r = score["precision"] or 0.0, score["recall"] or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def fit(pages: Sequence[dict], c: float) -> dict[str, Any]:
    """Pairwise logistic regression over the eligible candidates of the given pages."""
    from sklearn.linear_model import LogisticRegression

    from mediakit.ingest._combine import FEATURES, eligible, features

    vectors = [features(p["candidates"]) for p in pages]
    rows = np.array([v for page in vectors for v in page.values()])
    means = rows.mean(axis=0)
    scales = rows.std(axis=0)
    scales[scales == 0] = 1.0
    x, y, w = [], [], []
    for page, vector in zip(pages, vectors, strict=True):
        names = eligible(page["candidates"], page["usable"])
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                delta = _f1(page["scores"][a]) - _f1(page["scores"][b])
                if abs(delta) < 0.002:
                    continue
                diff = (np.array(vector[a]) - np.array(vector[b])) / scales
                x += [diff, -diff]
                y += [int(delta > 0), int(delta < 0)]
                w += [abs(delta)] * 2
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
    model.fit(np.array(x), np.array(y), sample_weight=np.array(w))
    return {
        "features": list(FEATURES),
        "weights": [round(float(v), 6) for v in model.coef_[0]],
        "means": [round(float(v), 6) for v in means],
        "scales": [round(float(v), 6) for v in scales],
        "C": c,
        "n_pages": len(pages),
    }


def gated(page: dict, model: dict[str, Any]) -> dict[str, list[str]]:
    """The candidates ``parse_html`` computes for the page: newspaper4k's only when the
    model's gate wants it."""
    from mediakit.ingest._combine import wants_newspaper

    candidates = page["candidates"]
    if wants_newspaper(candidates, page["usable"], model):
        return candidates
    return {name: p for name, p in candidates.items() if name != "newspaper"}


def predict(pages: Sequence[dict], model: dict[str, Any]) -> list[dict]:
    """Score of the chosen candidate on each page."""
    from mediakit.ingest._combine import choose

    return [p["scores"][choose(gated(p, model), p["usable"], model)] for p in pages]


def fit_tuned(pages: Sequence[dict]) -> dict[str, Any]:
    """Choose C, then the newspaper4k gate, by leave-one-fold-out over the folds present in
    ``pages``; then fit on all."""
    folds = sorted({p["fold"] for p in pages})
    best_c, best_f1 = C_GRID[0], -1.0
    inner: dict[float, list[dict[str, Any]]] = {}
    for c in C_GRID:
        chosen: list[dict] = []
        inner[c] = []
        for held in folds:
            model = fit([p for p in pages if p["fold"] != held], c)
            inner[c].append(model)
            chosen += predict([p for p in pages if p["fold"] == held], model)
        f1 = corpus_scores(chosen)["f1"]
        if f1 > best_f1 + 1e-9:
            best_c, best_f1 = c, f1
    gate = None
    for threshold in GATE_GRID:
        chosen = []
        for held, model in zip(folds, inner[best_c], strict=True):
            test = [p for p in pages if p["fold"] == held]
            chosen += predict(test, model | {"gate_agreement": threshold})
        if corpus_scores(chosen)["f1"] >= best_f1 - 1e-9:
            gate = threshold
            break
    return fit(pages, best_c) | {"gate_agreement": gate}


def cross_validate(pages: Sequence[dict]) -> dict[str, Any]:
    """Per-fold and pooled scores of the combiner trained on the other folds."""
    per_fold, pooled = {}, []
    for held in range(N_FOLDS):
        test = [p for p in pages if p["fold"] == held]
        model = fit_tuned([p for p in pages if p["fold"] != held])
        chosen = predict(test, model)
        pooled += chosen
        runs = sum("newspaper" in gated(p, model) for p in test)
        per_fold[held] = corpus_scores(chosen) | {
            "n": len(test),
            "C": model["C"],
            "gate": model["gate_agreement"],
            "newspaper_runs": runs,
        }
    return {"pooled": corpus_scores(pooled), "per_fold": per_fold}


def oracle(pages: Sequence[dict], names: Sequence[str]) -> dict[str, float]:
    """Best of the named candidates on each page (knowing the answer): a ceiling."""
    best = [max((p["scores"][n] for n in names), key=_f1) for p in pages]
    return corpus_scores(best)


def load_candidates(folder: Path, cache: Path | None = None) -> list[dict]:
    """Candidates of every page; ``cache`` keeps them between runs (delete it after changes)."""
    import pickle

    from extraction import load_pages

    if cache is not None and cache.exists():
        return list(pickle.loads(cache.read_bytes()))
    warnings.filterwarnings("ignore")
    pages = [page_candidates(page) for page in load_pages(folder)]
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(pages))
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="extraction benchmark folder")
    parser.add_argument("--write", action="store_true", help=f"write {RESOURCE.name}")
    parser.add_argument("--cache", type=Path, help="keep the candidates in this pickle file")
    args = parser.parse_args()
    pages = load_candidates(args.data, args.cache)
    cv = cross_validate(pages)
    print(f"cross-validated F1 by site: {cv['pooled']['f1']:.4f}")
    for fold, s in cv["per_fold"].items():
        print(
            f"  fold {fold}: {s['n']} pages, F1 {s['f1']:.4f} (C={s['C']}, gate "
            f"{s['gate']}: newspaper4k run on {s['newspaper_runs']} pages)"
        )
    for names in (("precision",), ("recall",), ("newspaper",), ("recall", "newspaper")):
        print(f"oracle {'+'.join(names)}: {oracle(pages, names)['f1']:.4f}")
    print(f"oracle all: {oracle(pages, ('precision', 'recall', 'newspaper'))['f1']:.4f}")
    model = fit_tuned(pages)
    runs = sum("newspaper" in gated(p, model) for p in pages)
    print(
        f"all pages: C={model['C']}, gate {model['gate_agreement']} (newspaper4k run on "
        f"{runs} of {len(pages)} pages), dev F1 {corpus_scores(predict(pages, model))['f1']:.4f}"
    )
    if args.write:
        RESOURCE.parent.mkdir(exist_ok=True)
        RESOURCE.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {RESOURCE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
