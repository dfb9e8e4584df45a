"""Article-body extraction: mediakit.parse_html against trafilatura and newspaper4k.

Scores every system through the same code (the benchmark's bag-of-4-gram shingle metric,
``shingles.py``) on the pages of the article-extraction benchmark, in one run, and prints
F1, precision, recall, accuracy (with bootstrap standard deviations) and pages per
second: the library call only, in this one process, after one untimed warm-up page. Speed
is reported from CPU time (one core; the figure that does not depend on what else runs on
the machine) and from wall-clock time.

    python benchmarks/extraction.py --data ../shared/benchmarks/extraction

The folder holds ``html/<id>.html.gz`` and ``ground-truth.json`` (``{id: {"articleBody",
"url"}}``). mediakit gets the page bytes and the page URL, as a crawl would give them;
the raw peers get the decoded text, as in the benchmark's own runs. The table is appended
to ``benchmarks/RESULTS.md`` unless ``--no-save``; ``--worst N`` lists the N pages with the
lowest F1 for the first system, for error analysis.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import sys
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from folds import N_FOLDS, fold_of
from shingles import bootstrap_f1_std, corpus_scores, page_scores

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
AUTHORS_GOLD = Path(__file__).resolve().parent / "data" / "authors_gold.json"

# published F1 of each system's committed output, rescored on the 121 dev pages
# (see the benchmark folder's README.md)
PUBLISHED = {
    "AutoExtract (Zyte, commercial)": 0.971,
    "rs_trafilatura (Rust port)": 0.971,
    "trafilatura 2.0.0": 0.964,
    "newspaper4k 0.9.3.1": 0.940,
    "readability-lxml 0.8.4.1": 0.932,
    "newspaper3k 0.2.8": 0.907,
    "goose3 3.1.20": 0.900,
}


def load_pages(folder: Path) -> list[dict]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(
            {
                "id": page_id,
                "url": truth[page_id].get("url"),
                "fold": fold_of(truth[page_id].get("url")),
                "truth": truth[page_id]["articleBody"],
                "bytes": raw,
                "text": raw.decode("utf-8", errors="replace"),
            }
        )
    return pages


def systems(with_url: bool) -> dict[str, Callable[[dict], str | None]]:
    import trafilatura
    from newspaper import Article

    from mediakit.ingest.html import _versions, parse_html

    versions = _versions()

    def mk(engine: str) -> Callable[[dict], str | None]:
        def run(page: dict) -> str | None:
            url = page["url"] if with_url else None
            record = parse_html(page["bytes"], url=url, engine=engine)  # type: ignore[arg-type]
            page.setdefault("authors", {})[engine] = record["authors"]
            return record["text"]

        return run

    def raw_trafilatura(page: dict) -> str | None:
        return trafilatura.extract(page["text"], include_comments=False)

    def raw_newspaper(page: dict) -> str | None:
        article = Article(page["url"] or "http://localhost/", fetch_images=False)
        article.download(input_html=page["text"])
        try:
            article.parse()
        except Exception:  # e.g. missing tokenisers for some languages
            return None
        return article.text

    return {
        "mediakit parse_html, engine='auto'": mk("auto"),
        "mediakit parse_html, engine='trafilatura'": mk("trafilatura"),
        "mediakit parse_html, engine='newspaper'": mk("newspaper"),
        f"trafilatura {versions['trafilatura']} `extract(html, include_comments=False)`": (
            raw_trafilatura
        ),
        f"newspaper4k {versions['newspaper4k']} `Article(url).download(input_html).parse()`": (
            raw_newspaper
        ),
    }


def run_system(run: Callable[[dict], str | None], pages: list[dict]) -> dict:
    run(pages[0])  # warm-up: imports, models and caches load here, untimed
    outputs, cpu, wall = {}, 0.0, 0.0
    for page in pages:
        start, start_cpu = time.perf_counter(), time.process_time()
        outputs[page["id"]] = run(page)
        cpu += time.process_time() - start_cpu
        wall += time.perf_counter() - start
    per_page = [page_scores(outputs[p["id"]], p["truth"]) for p in pages]
    scores = corpus_scores(per_page)
    scores["f1_std"] = bootstrap_f1_std(per_page)
    scores["pages_per_s"] = len(pages) / cpu
    scores["pages_per_s_wall"] = len(pages) / wall
    scores["outputs"] = outputs
    scores["per_page"] = per_page
    return scores


def table(results: dict[str, dict], n_pages: int) -> str:
    # the machine may be shared: speed is also given relative to trafilatura called
    # directly in the same run
    raw = [r["pages_per_s"] for name, r in results.items() if name.startswith("trafilatura ")]
    lines = [
        f"| system ({n_pages} dev pages) | F1 | precision | recall | accuracy | pages/s (CPU) "
        "| CPU speed / trafilatura's | pages/s (wall) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        ratio = f"{r['pages_per_s'] / raw[0]:.2f}" if raw else ""
        lines.append(
            f"| {name} | {r['f1']:.3f} ± {r['f1_std']:.3f} | {r['precision']:.3f} | "
            f"{r['recall']:.3f} | {r['accuracy']:.3f} | {r['pages_per_s']:.1f} | {ratio} | "
            f"{r['pages_per_s_wall']:.1f} |"
        )
    for name, f1 in PUBLISHED.items():
        lines.append(f"| published: {name} | {f1:.3f} | | | | | | |")
    return "\n".join(lines)


def worst(name: str, result: dict, pages: list[dict], n: int) -> str:
    def f1(s: dict) -> float:
        p, r = s["precision"] or 0.0, s["recall"] or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    order = sorted(range(len(pages)), key=lambda i: f1(result["per_page"][i]))[:n]
    rows = [f"Worst pages for {name}:"]
    for i in order:
        s = result["per_page"][i]
        rows.append(
            f"  {pages[i]['id'][:10]} F1={f1(s):.3f} P={s['precision'] or 0:.3f} "
            f"R={s['recall'] or 0:.3f} {pages[i]['url']}"
        )
    return "\n".join(rows)


def peer_authors(pages: list[dict]) -> dict[str, dict[str, list[str]]]:
    """Authors trafilatura and newspaper4k give for each page (untimed, same pages)."""
    from newspaper import Article
    from trafilatura import extract_metadata

    out: dict[str, dict[str, list[str]]] = {"trafilatura": {}, "newspaper4k": {}}
    for page in pages:
        try:
            meta = extract_metadata(page["text"], default_url=page["url"])
            found = meta.author if meta is not None else None
        except Exception:
            found = None
        out["trafilatura"][page["id"]] = [a for a in (found or "").split("; ") if a.strip()]
        article = Article(page["url"] or "http://localhost/", fetch_images=False)
        article.download(input_html=page["text"])
        try:
            article.parse()
            names = list(article.authors)
        except Exception:
            names = []
        out["newspaper4k"][page["id"]] = names
    return out


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def author_scores(predicted: dict[str, list[str]], gold: dict, pages: list[dict]) -> dict:
    """Precision, recall and F1 over names (micro-averaged), pooled and by fold."""

    def score(subset: list[dict]) -> dict[str, float]:
        tp = fp = fn = 0
        for page in subset:
            want = {_name_key(n) for n in gold[page["id"]]}
            got = {_name_key(n) for n in predicted.get(page["id"], [])}
            tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}

    by_fold = {k: score([p for p in pages if p["fold"] == k]) for k in range(N_FOLDS)}
    return {"pooled": score(pages), "per_fold": by_fold}


def fold_line(label: str, pooled: float, per_fold: dict[int, float]) -> str:
    folds = " | ".join(f"{per_fold[k]:.3f}" for k in range(N_FOLDS))
    return f"| {label} | {pooled:.3f} | {folds} |"


def fold_header(first: str, pages: list[dict]) -> list[str]:
    sizes = [sum(p["fold"] == k for p in pages) for k in range(N_FOLDS)]
    folds = " | ".join(f"fold {k} ({n})" for k, n in enumerate(sizes))
    return [f"| {first} | all | {folds} |", "|---" * (N_FOLDS + 2) + "|"]


def cross_validated_text(results: dict[str, dict], pages: list[dict], cv: dict | None) -> str:
    """Text F1 by fold: the auto engine cross-validated, next to every system's dev scores."""
    lines = fold_header("text F1 by site (5 folds by registered domain)", pages)
    if cv is not None:
        per_fold = {k: v["f1"] for k, v in cv["per_fold"].items()}
        lines.append(
            fold_line(
                "**mediakit auto, cross-validated** (combiner and gate trained on the other 4 folds)",
                cv["pooled"]["f1"],
                per_fold,
            )
        )
    for name, r in results.items():
        per_fold = {}
        for k in range(N_FOLDS):
            chosen = [s for s, p in zip(r["per_page"], pages, strict=True) if p["fold"] == k]
            per_fold[k] = corpus_scores(chosen)["f1"]
        label = f"{name} (dev: shipped weights)" if "'auto'" in name else name
        lines.append(fold_line(label, r["f1"], per_fold))
    return "\n".join(lines)


def authors_table(pages: list[dict], gold: dict, systems_authors: dict[str, dict]) -> str:
    lines = [
        "| authors (94 names on 121 pages) | precision | recall | F1 | "
        + " | ".join(f"F1 fold {k}" for k in range(N_FOLDS))
        + " |",
        "|---" * (N_FOLDS + 4) + "|",
    ]
    for name, predicted in systems_authors.items():
        s = author_scores(predicted, gold, pages)
        pooled = s["pooled"]
        folds = " | ".join(f"{s['per_fold'][k]['f1']:.3f}" for k in range(N_FOLDS))
        lines.append(
            f"| {name} | {pooled['precision']:.3f} | {pooled['recall']:.3f} | "
            f"{pooled['f1']:.3f} | {folds} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="benchmark folder")
    parser.add_argument("--no-url", action="store_true", help="do not give parse_html the URL")
    parser.add_argument("--only", help="run only the systems whose name contains this text")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages")
    parser.add_argument("--no-save", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validated figure")
    parser.add_argument("--no-peers", action="store_true", help="skip the peers' authors")
    parser.add_argument("--cache", type=Path, help="candidate cache for the cross-validation")
    args = parser.parse_args(argv)

    warnings.filterwarnings("ignore")
    pages = load_pages(args.data)
    results = {}
    for name, run in systems(with_url=not args.no_url).items():
        if args.only and args.only not in name:
            continue
        results[name] = run_system(run, pages)
        r = results[name]
        print(f"{name}: F1 {r['f1']:.4f} ({r['pages_per_s']:.1f} pages/s)", file=sys.stderr)
    text = table(results, len(pages))
    cv = None
    if not args.no_cv:
        from train_combiner import cross_validate, load_candidates

        cv = cross_validate(load_candidates(args.data, args.cache))
    text += "\n\n" + cross_validated_text(results, pages, cv)
    gold = json.loads(AUTHORS_GOLD.read_text(encoding="utf-8"))
    systems_authors = {}
    for engine in ("auto", "trafilatura", "newspaper"):
        if any(engine in p.get("authors", {}) for p in pages):
            systems_authors[f"mediakit parse_html, engine='{engine}'"] = {
                p["id"]: [a for a in (p["authors"][engine] or "").split("; ") if a] for p in pages
            }
    if not args.no_peers:
        for name, found in peer_authors(pages).items():
            systems_authors[f"{name} (its own author field)"] = found
    text += "\n\n" + authors_table(pages, gold, systems_authors)
    print(text)
    if args.worst:
        for name, result in results.items():
            print(worst(name, result, pages, args.worst))
    if not args.no_save:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        header = (
            f"\n## Article extraction (`benchmarks/extraction.py`)\n\n"
            f"{stamp}, Python {platform.python_version()}, one process; "
            f"URL given to parse_html: {'no' if args.no_url else 'yes'}. "
            "pages/s counts the library call only (CPU time of this one process, and wall-clock), "
            "after one warm-up page; the machine may be shared, so CPU speed is also given as a "
            "ratio to trafilatura's in the same run. The claim is the cross-validated row: the "
            "auto engine's combiner (and the gate that decides when newspaper4k runs) trained "
            "on four folds of sites and scored on the fifth; the byline rules "
            "have no fitted parameter, so their folds only show the spread.\n\n"
        )
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(header + text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
