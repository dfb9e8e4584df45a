"""Topic clusters: topic quality, agreement with human labels, speed and memory.

Usage (from the repository root)::

    .venv/bin/python benchmarks/topics.py --data ../shared/benchmarks/clustering

1. Topic quality on the OCTIS BBC News corpus (pre-tokenised ``corpus.tsv``, used as
   given) with the protocol of the BERTopic paper: k = 10, 20, 30, 40, 50, three seeds,
   NPMI of the top-10 words (gensim's c_npmi on the same corpus) and topic diversity,
   next to the published means.
2. Agreement with human labels (NMI, ARI; k = number of classes, mean of three seeds) on
   BBC full text (Greene & Cunningham 2006), Reuters R8 and the five largest AllSides
   2018 topics, next to scikit-learn baselines run here: KMeans on tf-idf, KMeans on
   LSA-100, NMF and LDA.
3. Fit time on AllSides 2018 with the defaults (n_topics="auto"), and time and peak memory
   on 100,000 recombined AllSides articles (a fresh process each; the resident memory is
   sampled every 20 ms during the fit, the corpus itself counts in "before fit").

Prints markdown tables and appends them to benchmarks/RESULTS.md (``--no-append`` to skip).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mediakit import datasets  # noqa: E402
from mediakit.topics import TopicModel  # noqa: E402

SEEDS = (0, 1, 2)
KS = (10, 20, 30, 40, 50)


def markdown(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


# --- 1. topic quality on OCTIS BBC News --------------------------------------------------------


def octis_quality(folder: Path, methods: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    lines = (folder / "octis_BBC_News" / "corpus.tsv").read_text(encoding="utf-8").splitlines()
    docs = [line.split("\t")[0].split() for line in lines]
    runs = []
    for method in methods:
        for k in KS:
            for seed in SEEDS:
                start = time.perf_counter()
                # the corpus is already filtered: keep every token as given
                model = TopicModel(k, method=method, min_df=1, max_df=1.0, random_state=seed)
                model.fit(docs)
                runs.append(
                    {
                        "method": method,
                        "k": k,
                        "seed": seed,
                        "npmi": model.coherence(),
                        "diversity": model.diversity(),
                        "seconds": time.perf_counter() - start,
                    }
                )
    runs_frame = pd.DataFrame(runs)
    published = pd.read_csv(folder / "bertopic2022_table1_2_from_raw_results.csv")
    published = published[published["dataset"] == "BBC News"]
    rows = [
        {
            "model": f"mediakit TopicModel(method={method!r})",
            "NPMI": f"{group['npmi'].mean():.3f}",
            "diversity": f"{group['diversity'].mean():.3f}",
            "runs": len(group),
            "fit s (mean)": f"{group['seconds'].mean():.1f}",
            "source": "this run",
        }
        for method, group in runs_frame.groupby("method", sort=False)
    ]
    for row in published.sort_values("TC_npmi_mean", ascending=False).itertuples():
        rows.append(
            {
                "model": row.model,
                "NPMI": f"{row.TC_npmi_mean:.3f}",
                "diversity": f"{row.TD_mean:.3f}",
                "runs": row.n_evals,
                "fit s (mean)": f"{row.mean_fit_s:.1f}",
                "source": "published (Grootendorst 2022)",
            }
        )
    per_k = runs_frame.groupby(["method", "k"])[["npmi", "diversity"]].mean().round(3).reset_index()
    return pd.DataFrame(rows), per_k


# --- 2. agreement with human labels -------------------------------------------------------------


def load_bbc(folder: Path) -> pd.DataFrame:
    path = folder / "bbc_greene2006" / "bbc_fulltext.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    frame = pd.DataFrame(rows)
    return frame.rename(columns={"category": "label"})[["title", "text", "label"]]


def load_allsides_top5() -> tuple[pd.DataFrame, str]:
    try:
        articles, variant = datasets.load_allsides(clean=True), "clean=True"
    except (ImportError, AttributeError, NotImplementedError):
        articles, variant = datasets.load_allsides(), "clean=False"
    top = articles["topic"].value_counts().head(5).index
    subset = articles[articles["topic"].isin(top)].reset_index(drop=True)
    return subset.assign(label=subset["topic"])[["title", "text", "label"]], variant


def baselines(frame: pd.DataFrame, k: int, seed: int) -> dict[str, np.ndarray]:
    """scikit-learn's document-clustering recipes (tf-idf max_df=0.5, min_df=5)."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import NMF, LatentDirichletAllocation, TruncatedSVD
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    texts = (frame["title"].fillna("") + "\n\n" + frame["text"].fillna("")).tolist()
    tfidf = TfidfVectorizer(max_df=0.5, min_df=5, stop_words="english").fit_transform(texts)
    lsa = make_pipeline(TruncatedSVD(100, random_state=seed), Normalizer(copy=False))
    counts = CountVectorizer(max_df=0.5, min_df=5, stop_words="english").fit_transform(texts)
    return {
        "KMeans(tf-idf)": KMeans(k, n_init=5, random_state=seed).fit_predict(tfidf),
        "KMeans(LSA-100)": KMeans(k, n_init=5, random_state=seed).fit_predict(
            lsa.fit_transform(tfidf)
        ),
        "NMF(tf-idf)": NMF(k, random_state=seed, max_iter=400).fit_transform(tfidf).argmax(1),
        "LDA(counts)": LatentDirichletAllocation(k, random_state=seed)
        .fit_transform(counts)
        .argmax(1),
    }


def agreement(folder: Path, methods: list[str], with_baselines: bool) -> pd.DataFrame:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    allsides, variant = load_allsides_top5()
    r8 = datasets.load_reuters("r8")[["title", "text", "label"]]
    corpora = {
        "BBC (Greene 2006)": (load_bbc(folder), 0.877, 0.90),
        "Reuters R8": (r8, 0.526, 0.60),
        f"AllSides 2018 top-5 ({variant})": (allsides, 0.447, 0.50),
    }
    rows = []
    for name, (frame, best_baseline, goal) in corpora.items():
        labels = frame["label"].astype(str).to_numpy()
        k = len(np.unique(labels))
        scores: dict[str, list[tuple[float, float, float]]] = {}
        for seed in SEEDS:
            for method in methods:
                start = time.perf_counter()
                model = TopicModel(k, method=method, random_state=seed).fit(frame)
                predicted = model.predict(frame).to_numpy()
                seconds = time.perf_counter() - start
                scores.setdefault(f"mediakit TopicModel(method={method!r})", []).append(
                    (
                        normalized_mutual_info_score(labels, predicted),
                        adjusted_rand_score(labels, predicted),
                        seconds,
                    )
                )
            if with_baselines:
                for method, predicted in baselines(frame, k, seed).items():
                    scores.setdefault(method, []).append(
                        (
                            normalized_mutual_info_score(labels, predicted),
                            adjusted_rand_score(labels, predicted),
                            np.nan,
                        )
                    )
        for method, values in scores.items():
            nmi, ari, seconds = np.array(values).T
            rows.append(
                {
                    "corpus": f"{name}, {len(frame)} docs, k={k}",
                    "method": method,
                    "NMI": f"{nmi.mean():.3f} ± {nmi.std():.3f}",
                    "ARI": f"{ari.mean():.3f} ± {ari.std():.3f}",
                    "fit s": "" if np.isnan(seconds).all() else f"{np.nanmean(seconds):.1f}",
                    "best baseline (file) / goal": f"{best_baseline:.3f} / {goal:.2f}",
                }
            )
    return pd.DataFrame(rows)


# --- 2b. defaults chosen leave-one-corpus-out -------------------------------------------------

LOCO_SEEDS = tuple(range(10))
#: The settings compared, declared before any run: the defaults as they were (k-means on
#: an LSA-50 projection, its spherical steps on the projection), then one setting changed
#: at a time: the last steps on the full tf-idf vectors, LSA dimensions, the upper
#: vocabulary limit. ``n_init=10`` is what "auto" gives corpora of this size. Every setting
#: uses the converged LSA projection (30 power iterations of the randomised SVD).
LOCO_BASE: dict[str, object] = {
    "method": "kmeans",
    "lsa_dims": 50,
    "refine": "lsa",
    "min_df": 2,
    "max_df": 0.5,
    "title_weight": 2,
    "n_init": 10,
}
LOCO_CHANGES: tuple[dict[str, object], ...] = (
    {},
    {"refine": "tfidf"},
    {"lsa_dims": 100},
    {"max_df": 0.9},
)


def _config_name(change: dict[str, object]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in change.items()) or "as before"


def _labelled_corpora(folder: Path) -> dict[str, pd.DataFrame]:
    allsides, variant = load_allsides_top5()
    return {
        "BBC": load_bbc(folder),
        "R8": datasets.load_reuters("r8")[["title", "text", "label"]],
        f"AllSides top-5 ({variant})": allsides,
    }


def _scores(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import normalized_mutual_info_score, v_measure_score

    return {
        "nmi": normalized_mutual_info_score(labels, predicted),
        "v_measure": v_measure_score(labels, predicted),
    }


def loco_runs(corpora: dict[str, pd.DataFrame], cache: Path | None) -> pd.DataFrame:
    """NMI and V-measure of every setting and recipe on every corpus and seed.

    Runs already in ``cache`` (a CSV written by an earlier call) are not repeated.
    """
    done = pd.read_csv(cache) if cache is not None and cache.exists() else pd.DataFrame()
    have = (
        set() if done.empty else set(zip(done["corpus"], done["model"], done["seed"], strict=True))
    )
    rows = [] if done.empty else done.to_dict("records")

    def save() -> None:
        if cache is not None:
            pd.DataFrame(rows).to_csv(cache, index=False)

    for corpus, frame in corpora.items():
        labels = frame["label"].astype(str).to_numpy()
        k = len(np.unique(labels))
        for seed in LOCO_SEEDS:
            for change in LOCO_CHANGES:
                name = _config_name(change)
                if (corpus, name, seed) in have:
                    continue
                params = {**LOCO_BASE, **change}
                start = time.perf_counter()
                model = TopicModel(k, random_state=seed, **params)  # type: ignore[arg-type]
                predicted = model.fit(frame).predict(frame).to_numpy()
                rows.append(
                    {
                        "corpus": corpus,
                        "kind": "mediakit",
                        "model": name,
                        "seed": seed,
                        **_scores(labels, predicted),
                        "seconds": time.perf_counter() - start,
                    }
                )
                save()
            if (corpus, "KMeans(tf-idf)", seed) not in have:
                for recipe, predicted in baselines(frame, k, seed).items():
                    rows.append(
                        {
                            "corpus": corpus,
                            "kind": "scikit-learn",
                            "model": recipe,
                            "seed": seed,
                            **_scores(labels, predicted),
                            "seconds": np.nan,
                        }
                    )
                save()
    runs = pd.DataFrame(rows)
    return runs[runs["seed"].isin(LOCO_SEEDS) & runs["corpus"].isin(list(corpora))]


def _choose(runs: pd.DataFrame, corpora: list[str]) -> str:
    """The setting with the highest NMI (mean over seeds, then over ``corpora``).

    Ties go to the setting declared first.
    """
    ours = runs[(runs["kind"] == "mediakit") & runs["corpus"].isin(corpora)]
    means = ours.groupby(["model", "corpus"])["nmi"].mean().groupby("model").mean()
    order = [_config_name(change) for change in LOCO_CHANGES]
    means = means.reindex(order)
    return str(means.idxmax())


def loco(folder: Path, cache: Path | None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Per-fold table, the grid of mean NMI, and the setting chosen on all three corpora."""
    from threadpoolctl import threadpool_limits

    corpora = _labelled_corpora(folder)
    # one BLAS / OpenMP thread for every model alike: the machine's cores are shared
    with threadpool_limits(limits=1):
        runs = loco_runs(corpora, cache)
    names = list(corpora)
    fmt = "{:.3f} ± {:.3f}".format
    rows = []
    for left_out in names:
        chosen = _choose(runs, [c for c in names if c != left_out])
        here = runs[runs["corpus"] == left_out]
        ours = here[(here["kind"] == "mediakit") & (here["model"] == chosen)]
        recipes = here[here["kind"] == "scikit-learn"]
        best = str(recipes.groupby("model")["nmi"].mean().idxmax())
        theirs = recipes[recipes["model"] == best]
        gap = ours["nmi"].mean() - theirs["nmi"].mean()
        # the sd of the difference of one run of each (sd over seeds, ddof=1)
        sd = float(np.hypot(ours["nmi"].std(), theirs["nmi"].std()))
        rows.append(
            {
                "left-out corpus": left_out,
                "setting chosen on the other two": chosen,
                "seeds": len(ours),
                "mediakit NMI": fmt(ours["nmi"].mean(), ours["nmi"].std()),
                "mediakit V-measure": fmt(ours["v_measure"].mean(), ours["v_measure"].std()),
                "best scikit-learn recipe": best,
                "its NMI": fmt(theirs["nmi"].mean(), theirs["nmi"].std()),
                "its V-measure": fmt(theirs["v_measure"].mean(), theirs["v_measure"].std()),
                "NMI gap": f"{gap:+.3f}",
                "gap / sd of difference": f"{gap / sd:.1f}" if sd > 0 else "inf",
                "ahead by > 2 sd": "yes" if gap > 2 * sd else "NO",
            }
        )
    grid = (
        runs.groupby(["model", "corpus"], sort=False)["nmi"]
        .agg(lambda v: fmt(v.mean(), v.std()))
        .unstack("corpus")[names]
        .reset_index()
    )
    return pd.DataFrame(rows), grid, _choose(runs, names)


# --- 3. speed and memory ------------------------------------------------------------------------

_SPEED_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
from mediakit import datasets
from mediakit.topics import TopicModel
n = {n}
if n == 0:
    articles = datasets.load_allsides()
else:
    from corpora import recombined_allsides
    articles = recombined_allsides(n)
import gc, threading, psutil
gc.collect()
process = psutil.Process()
before = process.memory_info().rss
peak = before
running = True
def watch():
    global peak
    while running:
        try:  # the fit's own memory plus its tokenising worker processes
            rss = process.memory_info().rss + sum(
                child.memory_info().rss for child in process.children(recursive=True)
            )
        except psutil.Error:
            continue
        peak = max(peak, rss)
        time.sleep(0.02)
watcher = threading.Thread(target=watch, daemon=True)
watcher.start()
start = time.perf_counter()
model = TopicModel(random_state=0, n_jobs={n_jobs}).fit(articles)
seconds = time.perf_counter() - start
running = False
watcher.join()
mb = 1024 * 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak / mb, "before_mb": before / mb,
                  "n_topics": model.n_topics_, "coherence": model.coherence(),
                  "diversity": model.diversity(), "docs": len(articles)}}))
"""


def speed(sizes: list[int], n_jobs: int) -> pd.DataFrame:
    rows = []
    for n in sizes:
        code = _SPEED_CHILD.format(
            root=str(ROOT), bench=str(ROOT / "benchmarks"), n=n, n_jobs=n_jobs
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        limit = 15 if n == 0 else 180
        rows.append(
            {
                "corpus": "AllSides 2018" if n == 0 else f"recombined AllSides ({n:,})",
                "documents": f"{result['docs']:,}",
                "fit s": f"{result['seconds']:.1f} (limit {limit})",
                "RSS MB before fit": f"{result['before_mb']:.0f}",
                "peak RSS MB during fit": f"{result['peak_mb']:.0f}",
                "added by fit MB": f"{result['peak_mb'] - result['before_mb']:.0f}",
                "topics (auto)": result["n_topics"],
                "NPMI": f"{result['coherence']:.3f}",
                "diversity": f"{result['diversity']:.3f}",
            }
        )
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the clustering benchmark folder")
    parser.add_argument("--methods", default="kmeans,nmf", help="TopicModel methods to score")
    parser.add_argument("--no-baselines", action="store_true", help="skip scikit-learn baselines")
    parser.add_argument("--sizes", default="0,100000", help="0 = AllSides 2018, else recombined")
    parser.add_argument("--n-jobs", type=int, default=2, help="tokenising processes for speed")
    parser.add_argument("--no-append", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument(
        "--loco-only", action="store_true", help="only the leave-one-corpus-out defaults"
    )
    parser.add_argument(
        "--cache", type=Path, help="CSV keeping the leave-one-corpus-out runs between calls"
    )
    parser.add_argument(
        "--runs-only",
        metavar="CORPUS",
        help="only fill --cache with the leave-one-corpus-out runs of one corpus (BBC, R8, "
        "AllSides), to spread them over processes; a last call without it prints the tables",
    )
    args = parser.parse_args()
    if args.runs_only:
        from threadpoolctl import threadpool_limits

        corpora = {
            name: frame
            for name, frame in _labelled_corpora(args.data).items()
            if name.startswith(args.runs_only)
        }
        with threadpool_limits(limits=1):
            loco_runs(corpora, args.cache)
        return
    methods = [m for m in args.methods.split(",") if m]
    sizes = [int(s) for s in args.sizes.split(",") if s]

    started = time.perf_counter()
    folds, grid, chosen = loco(args.data, args.cache)
    loco_text = [
        "## Topic defaults chosen leave-one-corpus-out (`benchmarks/topics.py`)",
        "",
        f"For each corpus left out, the setting with the best mean NMI on the other two "
        f"(k = number of classes, seeds {', '.join(map(str, LOCO_SEEDS))}), scored on the "
        "corpus left out next to the best of scikit-learn's four recipes (KMeans on tf-idf, "
        "KMeans on LSA-100 normalised, NMF, LDA) on the same seeds; mean ± sd over seeds "
        "(ddof=1). The bar: the NMI gap exceeds twice the sd of the difference of two "
        "single runs, sqrt(sd_mediakit² + sd_recipe²).",
        "",
        markdown(folds),
        "",
        f"Changes from {LOCO_BASE} compared (NMI, mean ± sd over seeds; every setting "
        "uses the converged LSA projection, 30 power iterations of the randomised SVD):",
        "",
        markdown(grid),
        "",
        f"Chosen on all three corpora (the shipped default): {chosen}.",
        "",
    ]
    if args.loco_only:
        text = "\n".join(loco_text)
        print(text)
        if not args.no_append:
            with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as handle:
                handle.write("\n" + text)
        return
    quality, per_k = octis_quality(args.data, methods)
    labels = agreement(args.data, methods, not args.no_baselines)
    timing = speed(sizes, args.n_jobs) if sizes else pd.DataFrame()
    total = time.perf_counter() - started

    text = "\n".join(
        [
            *loco_text,
            "## Topic clusters (`benchmarks/topics.py`)",
            "",
            "Topic quality on OCTIS BBC News (k = 10-50, 3 seeds, top-10 words, NPMI as gensim "
            "c_npmi on the same corpus; goal NPMI >= 0.18 with diversity >= 0.85):",
            "",
            markdown(quality),
            "",
            "Per number of topics (mean of 3 seeds):",
            "",
            markdown(per_k),
            "",
            "Agreement with human labels (k = number of classes, mean ± sd of 3 seeds; "
            "baselines are scikit-learn's recipes run in this script):",
            "",
            markdown(labels),
            "",
            "Fit time with the defaults (n_topics='auto'), fresh process each, "
            f"n_jobs={args.n_jobs}:",
            "",
            markdown(timing) if len(timing) else "(skipped)",
            "",
            f"Total benchmark time {total:.0f} s; max RSS of this process "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB.",
            "",
        ]
    )
    print(text)
    if not args.no_append:
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
