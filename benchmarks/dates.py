"""Publication-date extraction scored on htmldate's evaluation pages (development split).

Usage: python benchmarks/dates.py --data ../shared/benchmarks/dates [--systems mediakit,...]
       [--errors] [--no-append]

Every system runs through the same loop and the same scoring, once without the page's
URL and once with it. Scoring follows the data folder's README: the predicted date is
reduced to the calendar day the page states (no time-zone conversion) and compared with
the gold day; a wrong day is a false positive, no date a false negative.

The claim is mediakit's cross-validated figure. The pages are split into 5 folds by
registered domain (the ICANN part of the public suffix list bundled with ``tld``, no
download), each domain's fold fixed by a hash of its name. For each fold, every rule of
the page search (``DateRules``: which evidence comes first, the headline window, ...) is
chosen on the other four folds: the best combination of ``RULE_OPTIONS`` there, then
every rule that helps one of those folds and hurts another is switched off. The chosen
rules are scored on the held-out fold. The same choice made on all five folds is what
``DateRules()`` ships with; the dev figure scores it on all pages (in-sample).
"""

from __future__ import annotations

import argparse
import copy
import gzip
import itertools
import json
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from folds import N_FOLDS, fold_of

from mediakit.ingest._sites import registered_domain

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


FOLDS = N_FOLDS


def site(url: str | None) -> str:
    """The registered domain of a URL, as the folds see it (see ``folds.py``)."""
    return registered_domain(url) or (url or "")


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


# --------------------------------------------------------------------------------------
# cross-validation by site
# --------------------------------------------------------------------------------------

#: The value that switches each rule off (the simpler behaviour).
RULE_OFF: dict[str, object] = {
    "article_node_first": False,
    "headline_picks_modified": False,
    "labelled_publication_wins": False,
    "dateline_words": None,
    "byline_words": 12,
    "headline_window_days": 0,
    "url_first": False,
    "weak_meta_yields": False,
    "drop_bare_january_first": False,
}


def gather_pages(pages: Sequence[tuple[str, str, str | None, str | None]]) -> tuple[list, list]:
    """Every page's date evidence, once without and once with its URL."""
    from mediakit.ingest.dates._page import gather
    from mediakit.ingest.dates._parse import _date_from_url

    plain, given = [], []
    for _, html, url, _ in pages:
        evidence = gather(html)
        if evidence is not None:
            evidence.settle()
            with_url = copy.copy(evidence)
            with_url.url_day = _date_from_url(url)
        else:
            with_url = None
        plain.append(evidence)
        given.append(with_url)
    return plain, given


class Grid:
    """Every combination of the rule options, each decided on every page once."""

    def __init__(self, evidence: list, gold: list[str | None]) -> None:
        import numpy as np

        from mediakit.ingest.dates._page import RULE_OPTIONS, DateRules, decide

        self.names = list(RULE_OPTIONS)
        self.values = list(itertools.product(*RULE_OPTIONS.values()))
        self.index = {values: i for i, values in enumerate(self.values)}
        self.rules = [DateRules(**dict(zip(self.names, v, strict=True))) for v in self.values]
        # 1 right day, 0 wrong day, -1 no day
        self.outcome = np.zeros((len(self.values), len(evidence)), dtype=np.int8)
        self.sources: list[list[str]] = []
        for i, rules in enumerate(self.rules):
            row = []
            for j, found in enumerate(evidence):
                details = decide(found, rules)
                day = details.day
                self.outcome[i, j] = -1 if day is None else int(day.isoformat() == gold[j])
                row.append(details.source)
            self.sources.append(row)

    def f(self, config: int, mask: Any) -> float:
        row = self.outcome[config][mask]
        tp, fp, fn = int((row == 1).sum()), int((row == 0).sum()), int((row == -1).sum())
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    def switched_off(self, config: int, name: str) -> int:
        values = list(self.values[config])
        values[self.names.index(name)] = RULE_OFF[name]
        return self.index[tuple(values)]

    def choose(self, folds: Any, train: Sequence[int]) -> int:
        """The best rules on the ``train`` folds among those where no rule helps one fold
        and hurts another (compared with the same rules with it switched off)."""
        import numpy as np

        def f_score(mask: Any) -> Any:
            right = (self.outcome[:, mask] == 1).sum(axis=1)
            wrong = (self.outcome[:, mask] != 1).sum(axis=1)  # FP + FN
            return 2 * right / np.maximum(2 * right + wrong, 1)

        by_fold = np.stack([f_score(folds == k) for k in train], axis=1)
        pooled = f_score(np.isin(folds, train))
        consistent = np.ones(len(self.values), dtype=bool)
        for name in self.names:
            off = np.array([self.switched_off(i, name) for i in range(len(self.values))])
            delta = by_fold - by_fold[off]
            consistent &= ~((delta > 0).any(axis=1) & (delta < 0).any(axis=1))
        # ties: the first in RULE_OPTIONS' order, the shipped default's
        return int(np.argmax(np.where(consistent, pooled, -1.0)))


def cross_validate(grid: Grid, folds: Any) -> dict[str, Any]:
    """Rules chosen on four folds and scored on the fifth, for each fold."""
    import numpy as np

    chosen = {}
    outcome = np.zeros(grid.outcome.shape[1], dtype=np.int8)
    sources = [""] * grid.outcome.shape[1]
    for k in range(FOLDS):
        config = grid.choose(folds, [j for j in range(FOLDS) if j != k])
        chosen[k] = config
        held = np.flatnonzero(folds == k)
        outcome[held] = grid.outcome[config, held]
        for j in held:
            sources[j] = grid.sources[config][j]
    return {"chosen": chosen, "outcome": outcome, "sources": sources}


def counts(outcome: Any) -> dict[str, float]:
    tp, fp, fn = int((outcome == 1).sum()), int((outcome == 0).sum()), int((outcome == -1).sum())
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "accuracy": tp / (tp + fp + fn) if tp + fp + fn else 0.0,
        "f": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
    }


def outcomes(predicted: dict[str, date | None], gold: dict[str, str | None]) -> Any:
    import numpy as np

    return np.array(
        [
            -1 if predicted.get(name) is None else int(predicted[name].isoformat() == truth)
            for name, truth in gold.items()
        ],
        dtype=np.int8,
    )


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


def _fold_cells(outcome: Any, folds: Any) -> str:
    return " | ".join(f"{counts(outcome[folds == k])['f']:.3f}" for k in range(FOLDS))


def main() -> None:
    import numpy as np

    from mediakit.ingest.dates._page import DateRules

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with truth.json + html/")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset")
    parser.add_argument("--errors", action="store_true", help="list mediakit's wrong pages")
    parser.add_argument("--no-append", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    pages = load_pages(args.data)
    gold = {name: truth for name, _, _, truth in pages}
    folds = np.array([fold_of(url) for _, _, url, _ in pages])
    sizes = ", ".join(
        f"{int((folds == k).sum())} pages / {len({site(p[2]) for p, f in zip(pages, folds, strict=True) if f == k})} sites"
        for k in range(FOLDS)
    )
    header = (
        "| system | **F (no URL), cross-validated** | P | R | TP/FP/FN | "
        + " | ".join(f"fold {k}" for k in range(FOLDS))
        + " | F dev (in-sample) | F (URL given), cross-validated | pages/s |"
    )
    lines = [
        f"## Publication dates (`benchmarks/dates.py`, {len(pages)} pages, 5 folds by site)",
        "",
        f"Folds: {sizes}.",
        "",
        header,
        "|---" * (8 + FOLDS) + "|",
    ]
    extra: list[str] = []
    for key in args.systems.split(","):
        label, factory = SYSTEMS[key]
        extract = factory()
        # the URL pass first also warms shared caches (dateparser's locale tables), so
        # the timed no-URL pass does not charge one system for loading them
        with_url, _ = run_system(extract, pages, with_url=True)
        no_url, seconds = run_system(extract, pages, with_url=False)
        plain, given = outcomes(no_url, gold), outcomes(with_url, gold)
        dev = counts(plain)
        if key == "mediakit":
            evidence, evidence_url = gather_pages(pages)
            truths = list(gold.values())
            grid = Grid(evidence, truths)
            shipped = grid.index[tuple(getattr(DateRules(), name) for name in grid.names)]
            if not (grid.outcome[shipped] == plain).all():
                raise SystemExit("the evidence path and extract_date_details disagree")
            cv = cross_validate(grid, folds)
            cv_url = cross_validate(Grid(evidence_url, truths), folds)
            plain_cv, given_cv = cv["outcome"], cv_url["outcome"]
            extra = _mediakit_tables(grid, cv, folds, shipped, pages)
            if args.errors:
                for (name, _html, url, truth), result in zip(pages, plain_cv, strict=True):
                    if result != 1:
                        print(f"  wrong: {name} gold={truth} found={no_url[name]} {url}")
        else:  # no choice is made on the pages: the dev figure is the cross-validated one
            plain_cv, given_cv = plain, given
        claim = counts(plain_cv)
        lines.append(
            f"| {label} | **{claim['f']:.3f}** | {claim['precision']:.3f} "
            f"| {claim['recall']:.3f} | {claim['tp']}/{claim['fp']}/{claim['fn']} "
            f"| {_fold_cells(plain_cv, folds)} | {dev['f']:.3f} | {counts(given_cv)['f']:.3f} "
            f"| {len(pages) / seconds:.0f} |"
        )
    lines += [
        "",
        "Cross-validated: mediakit's rules chosen on four folds, scored on the fifth (the "
        "peers make no choice on these pages, so their two figures are one). Published "
        f"figures on the same split: {', '.join(f'{k} {v:.3f}' for k, v in PUBLISHED.items())}. "
        "pages/s: the no-URL pass, one process, after the URL pass has warmed shared caches.",
        "",
        *extra,
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


def _mediakit_tables(
    grid: Grid, cv: dict[str, Any], folds: Any, shipped: int, pages: list
) -> list[str]:
    """Rules chosen per fold, precision by date source, and each shipped rule per fold."""
    import numpy as np

    everything = grid.choose(folds, list(range(FOLDS)))
    lines = [
        "mediakit's rules chosen on the other four folds (`DateRules`; the last column is the "
        "choice on all five folds, which `DateRules()` ships with"
        + ("" if everything == shipped else ": **NOT the shipped default**")
        + "):",
        "",
        "| rule | " + " | ".join(f"fold {k}" for k in range(FOLDS)) + " | all folds |",
        "|---" * (FOLDS + 2) + "|",
    ]
    for i, name in enumerate(grid.names):
        cells = [str(grid.values[cv["chosen"][k]][i]) for k in range(FOLDS)]
        lines.append(f"| {name} | {' | '.join(cells)} | {grid.values[everything][i]} |")
    lines += [
        "",
        "Precision by date source, cross-validated (the source of each held-out page's date):",
        "",
        "| source | pages | right day | precision |",
        "|---|---|---|---|",
    ]
    sources = np.array(cv["sources"])
    for source in ("json-ld", "meta", "html", "url", "text"):
        picked = cv["outcome"][sources == source]
        right = int((picked == 1).sum())
        share = f"{right / len(picked):.3f}" if len(picked) else ""
        lines.append(f"| {source} | {len(picked)} | {right} | {share} |")
    missing = int((sources == "missing").sum())
    lines += [
        f"| (no date) | {missing} | | |",
        "",
        "Each rule of the shipped default, per fold: F with the rule minus F with it switched "
        "off (a rule that helps one fold and hurts another is dropped by the choice):",
        "",
        "| rule (shipped value) | " + " | ".join(f"fold {k}" for k in range(FOLDS)) + " |",
        "|---" * (FOLDS + 1) + "|",
    ]
    for name in grid.names:
        off = grid.switched_off(shipped, name)
        if off == shipped:
            continue
        deltas = [grid.f(shipped, folds == k) - grid.f(off, folds == k) for k in range(FOLDS)]
        value = grid.values[shipped][grid.names.index(name)]
        lines.append(f"| {name} ({value}) | " + " | ".join(f"{d:+.3f}" for d in deltas) + " |")
    lines.append("")
    return lines


if __name__ == "__main__":
    main()
