"""The Dask path: same results as pandas, on a 2-worker LocalCluster started once."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import mediakit as mk

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from mediakit import scale  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as dask_client:
        yield dask_client


@pytest.fixture(scope="module")
def subset(allsides):
    """Every third AllSides article: all outlets, leans and months, quick to count."""
    return allsides.iloc[::3].reset_index(drop=True)


@pytest.fixture(scope="module")
def folder(subset, tmp_path_factory):
    return mk.save_articles(subset, tmp_path_factory.mktemp("corpus"), partition_by="month")


@pytest.fixture(scope="module")
def parts(folder, client):
    return mk.read_articles(folder, engine="dask")


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("article_id").reset_index(drop=True)


# --------------------------------------------------------------------------- storage
def test_monthly_dataset_reads_back_identical(subset, folder):
    months = sorted(p.name for p in folder.iterdir())
    assert months == [f"month=2018-{m:02d}" for m in range(1, 13)]
    back = mk.read_articles(folder)  # a folder reads into pandas with pyarrow
    pd.testing.assert_frame_equal(by_id(back), by_id(subset))
    january = scale.read_articles(folder, engine="pandas", months=["2018-01"])
    expected = subset[subset["published"].dt.month == 1]
    assert len(january) == len(expected) > 0


def test_dask_frame_has_one_partition_per_file_and_same_rows(subset, folder, parts):
    files = list(folder.glob("month=*/*.parquet"))
    assert parts.npartitions == len(files)
    pd.testing.assert_frame_equal(by_id(parts.compute()), by_id(subset))


def test_dask_frame_written_from_workers(subset, parts, tmp_path, client):
    target = mk.save_articles(parts, tmp_path / "copy")  # a dask frame always partitions
    pd.testing.assert_frame_equal(by_id(mk.read_articles(target)), by_id(subset))


def test_storage_errors(subset, tmp_path):
    file = tmp_path / "one.parquet"
    mk.save_articles(subset.head(3), file)
    with pytest.raises(ValueError, match="is a file, but partition_by='month'"):
        mk.save_articles(subset.head(3), file, partition_by="month")
    with pytest.raises(ValueError, match="'partition_by' parameter of save_articles must be"):
        scale.save_articles(subset.head(3), tmp_path / "x", partition_by="year")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError, match="holds no month="):
        scale.read_articles(tmp_path)
    with pytest.raises(ValueError, match="'engine' parameter of read_articles must be"):
        scale.read_articles(tmp_path, engine="spark")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- terms
def assert_same(dask_result: pd.DataFrame, pandas_result: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(dask_result, pandas_result, check_exact=True)
    assert dask_result.attrs == pandas_result.attrs


def test_term_frequencies_equal_pandas(subset, parts):
    expected = mk.term_frequencies(subset, by="lean")
    assert len(expected) > 50_000
    assert_same(mk.term_frequencies(parts, by="lean"), expected)


def test_term_frequencies_options_equal_pandas(subset, parts):
    small = parts[parts["outlet"].isin(["CNN (Web News)", "Fox News", "Reuters"])]
    rows = subset[subset["outlet"].isin(["CNN (Web News)", "Fox News", "Reuters"])]
    assert len(rows) > 100
    kwargs = dict(by=["lean", "outlet"], ngram_range=(1, 2), min_df=2, max_df=0.5, top_n=40)
    assert_same(mk.term_frequencies(small, **kwargs), mk.term_frequencies(rows, **kwargs))
    assert_same(
        scale.term_frequencies(small, fields=["title", "text"]),
        mk.term_frequencies(rows, fields=["title", "text"]),
    )


def test_keyness_equal_pandas(subset, parts):
    assert_same(
        mk.keyness(parts, "lean", measure="chi2", min_count=10),
        mk.keyness(subset, "lean", measure="chi2", min_count=10),
    )
    outlets = ["CNN (Web News)", "Fox News", "Reuters", "Breitbart News"]
    small, rows = parts[parts["outlet"].isin(outlets)], subset[subset["outlet"].isin(outlets)]
    right_left = {"target": {"lean": "right"}, "reference": {"lean": "left"}}
    assert_same(mk.keyness(small, **right_left), mk.keyness(rows, **right_left))
    masked = mk.keyness(small, small["lean"] == "center", measure="log_ratio")
    assert_same(masked, mk.keyness(rows, rows["lean"] == "center", measure="log_ratio"))
    assert masked.attrs["target"] == "lean"


def test_keyness_errors(parts):
    with pytest.raises(ValueError, match="'target' parameter selects no article"):
        mk.keyness(parts, {"lean": "far"})
    with pytest.raises(TypeError, match="must be a .column: value. mapping"):
        scale.keyness(parts, [True, False])
    with pytest.raises(KeyError, match="'target' parameter 'colour' is not a column"):
        mk.keyness(parts, "colour")


def test_term_frequencies_errors(parts):
    with pytest.raises(KeyError, match="'by' parameter names column"):
        mk.term_frequencies(parts, by="colour")
    with pytest.raises(TypeError, match="must be a dask or pandas DataFrame, got list"):
        scale.term_frequencies(["a text"])


# --------------------------------------------------------------------------- coverage
def test_coverage_equal_pandas(subset, parts):
    for kwargs in (
        {},
        {"freq": "W", "by": "lean", "query": "Putin"},
        {"freq": "D", "by": ["lean", "outlet"], "query": {"wall": "border AND wall"}},
        {"freq": "MS", "query": ["Trump", "Mueller"], "smooth": 3, "tz": "America/New_York"},
    ):
        pd.testing.assert_frame_equal(
            mk.coverage(parts, **kwargs), mk.coverage(subset, **kwargs), check_exact=True
        )


def test_coverage_dask_mask_and_undated(subset, parts, client):
    mask = parts["text"].str.contains("Putin", regex=False)
    expected = mk.coverage(subset, query={"putin": subset["text"].str.contains("Putin")})
    pd.testing.assert_frame_equal(mk.coverage(parts, query={"putin": mask}), expected)
    undated = subset.assign(published=subset["published"].where(subset.index % 10 != 0))
    frame = dd.from_pandas(undated, npartitions=4)
    with pytest.warns(mk.timeline.UndatedArticlesWarning, match="articles have no date"):
        result = mk.coverage(frame, freq="M", by="lean")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pd.testing.assert_frame_equal(result, mk.coverage(undated, freq="M", by="lean"))
    with pytest.raises(ValueError, match="'freq' parameter of coverage must be"):
        mk.coverage(parts, freq="fortnight")


# --------------------------------------------------------------------------- loading
def write_folder(root, allsides) -> None:
    """Six raw text dumps, three saved pages (one a copy of a dump), an empty file."""
    rows = allsides.iloc[[0, 40, 80, 120, 160, 200, 240, 280]]
    for i, row in enumerate(rows.itertuples()):
        outlet = "daily" if i % 2 else "herald"
        (root / outlet).mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(str(row.text).split("\n\n")[:6])
        if i < 6:
            text = f"{row.title}\n\nBy Staff\n\n{body}\n\nSubscribe to our newsletter\n"
            (root / outlet / f"story{i}.txt").write_text(text, encoding="utf-8")
        else:
            paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            page = (
                f"<html><head><title>{row.title}</title>"
                '<meta property="article:published_time" content="2018-05-0'
                f'{i}T10:00:00Z"></head><body><nav><a href="/">Home</a></nav>'
                f"<article><h1>{row.title}</h1>{paragraphs}</article>"
                "<footer>Copyright Daily</footer></body></html>"
            )
            (root / outlet / f"page{i}.html").write_text(page, encoding="utf-8")
    first = rows.iloc[0]
    copy = f"{first.title}\n\n" + "\n\n".join(str(first.text).split("\n\n")[:6])
    (root / "daily" / "copy.txt").write_text(copy, encoding="utf-8")
    (root / "daily" / "empty.txt").write_text("", encoding="utf-8")


def test_load_articles_on_cluster_equals_pandas(allsides, tmp_path, client):
    write_folder(tmp_path / "in", allsides)
    expected, expected_report = mk.load_articles(
        tmp_path / "in", outlet=lambda p: p.parent.name, return_report=True, progress=False
    )
    articles, report = scale.load_articles(
        tmp_path / "in",
        outlet=lambda p: p.parent.name,
        return_report=True,
        progress=False,
        path=tmp_path / "out",
    )
    assert len(expected) == 9 and set(report["status"]) >= {"loaded", "duplicate", "empty"}
    pd.testing.assert_frame_equal(articles, expected)
    pd.testing.assert_frame_equal(report, expected_report)
    hooked = mk.load_articles(tmp_path / "in", outlet=lambda p: p.parent.name, client=client)
    pd.testing.assert_frame_equal(hooked, expected)
    saved = mk.read_articles(tmp_path / "out")
    pd.testing.assert_frame_equal(by_id(saved), by_id(expected))
    with pytest.raises(TypeError, match="a DataFrame has nothing to spread"):
        scale.load_articles(expected)


# --------------------------------------------------------------------------- topics
def test_streaming_topics_agree_with_pandas_fit(allsides, client):
    from sklearn.metrics import normalized_mutual_info_score

    articles = allsides.iloc[::4].reset_index(drop=True)
    params = dict(random_state=0, init_sample=600, passes=2, chunk_size=250, n_init=3)
    on_pandas = scale.StreamingTopicModel(8, **params).fit(articles)
    frame = dd.from_pandas(articles, npartitions=5)
    on_dask = mk.scale.StreamingTopicModel(8, **params).fit(frame, client=client)
    labels_dask = on_dask.predict(frame).compute()
    labels_pandas = on_pandas.predict(articles)
    assert labels_dask.index.equals(articles.index)
    nmi = normalized_mutual_info_score(labels_pandas, labels_dask)
    assert nmi >= 0.9
    topics = on_dask.topics_
    assert topics["size"].sum() == len(articles)
    assert topics["size"].is_monotonic_decreasing
    assert np.bincount(labels_dask, minlength=8).tolist() == topics["size"].tolist()
    weights = on_dask.transform(frame).compute()
    assert weights.shape == (len(articles), 8)
    assert np.allclose(weights.sum(axis=1), 1.0)
    assert (weights.to_numpy().argmax(axis=1) == labels_dask.to_numpy()).all()
    labels = " ".join(topics["label"])
    assert any(word in labels for word in ("mueller", "kavanaugh", "korea", "tariffs"))


def test_streaming_topics_errors(allsides):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(ValueError, match="'n_topics' parameter of StreamingTopicModel must"):
        scale.StreamingTopicModel(1).fit(allsides.head(20))
    with pytest.raises(ValueError, match="'method' parameter of StreamingTopicModel must"):
        scale.StreamingTopicModel(3, method="lda").fit(allsides.head(20))  # type: ignore[arg-type]
    with pytest.raises(NotFittedError, match="not fitted yet"):
        scale.StreamingTopicModel(3).predict(allsides.head(5))


# --------------------------------------------------------------------------- no dask needed
def test_import_does_not_load_dask(allsides):
    code = (
        "import sys, mediakit as mk; a = mk.datasets.load_allsides().head(50); "
        "mk.term_frequencies(a); mk.coverage(a); mk.scale.is_dask(a); "
        "print(any(m.split('.')[0] in ('dask', 'distributed') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert not scale.is_dask(allsides)
