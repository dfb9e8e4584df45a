"""The Dask executor: same results as pandas, on a 2-worker LocalCluster started once."""

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

# frames made with dd.from_pandas carry their rows in the task graph
pytestmark = pytest.mark.filterwarnings("ignore:Sending large graph:UserWarning")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
    with cluster, distributed.Client(cluster) as dask_client:
        yield dask_client


@pytest.fixture(scope="module")
def corpus(allsides):
    """All of AllSides 2018 as the pandas path sees it."""
    return allsides


@pytest.fixture(scope="module")
def folder(corpus, tmp_path_factory):
    return mk.save_articles(corpus, tmp_path_factory.mktemp("corpus"), partition_by="month")


@pytest.fixture(scope="module")
def parts(folder, client):
    return mk.read_articles(folder, engine="dask")


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("article_id").reset_index(drop=True)


# --------------------------------------------------------------------------- storage
def test_monthly_dataset_reads_back_identical(corpus, folder):
    months = sorted(p.name for p in folder.iterdir())
    assert months == [f"month=2018-{m:02d}" for m in range(1, 13)]
    back = mk.read_articles(folder)  # a folder reads into pandas with pyarrow
    pd.testing.assert_frame_equal(by_id(back), by_id(corpus))
    january = scale.read_articles(folder, engine="pandas", months=["2018-01"])
    expected = corpus[corpus["published"].dt.month == 1]
    assert len(january) == len(expected) > 0


def test_dask_frame_has_one_partition_per_file_and_same_rows(corpus, folder, parts):
    files = list(folder.glob("month=*/*.parquet"))
    assert parts.npartitions == len(files)
    pd.testing.assert_frame_equal(by_id(parts.compute()), by_id(corpus))


def test_dask_frame_written_from_workers(corpus, parts, tmp_path, client):
    target = mk.save_articles(parts, tmp_path / "copy")  # a dask frame always partitions
    pd.testing.assert_frame_equal(by_id(mk.read_articles(target)), by_id(corpus))


def test_storage_errors(corpus, tmp_path):
    file = tmp_path / "one.parquet"
    mk.save_articles(corpus.head(3), file)
    with pytest.raises(ValueError, match="is a file, but partition_by='month'"):
        mk.save_articles(corpus.head(3), file, partition_by="month")
    with pytest.raises(ValueError, match="'partition_by' parameter of save_articles must be"):
        scale.save_articles(corpus.head(3), tmp_path / "x", partition_by="year")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError, match="holds no month="):
        scale.read_articles(tmp_path)
    with pytest.raises(ValueError, match="'engine' parameter of read_articles must be"):
        scale.read_articles(tmp_path, engine="spark")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- terms
def assert_same(dask_result: pd.DataFrame, pandas_result: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(dask_result, pandas_result, check_exact=True)
    assert dask_result.attrs == pandas_result.attrs


def test_term_frequencies_equal_pandas(corpus, parts):
    expected = mk.term_frequencies(corpus, by="lean")
    assert len(expected) > 50_000
    assert_same(mk.term_frequencies(parts, by="lean"), expected)


def test_term_frequencies_options_equal_pandas(corpus, parts):
    small = parts[parts["outlet"].isin(["CNN (Web News)", "Fox News", "Reuters"])]
    rows = corpus[corpus["outlet"].isin(["CNN (Web News)", "Fox News", "Reuters"])]
    assert len(rows) > 100
    kwargs = dict(by=["lean", "outlet"], ngram_range=(1, 2), min_df=2, max_df=0.5, top_n=40)
    assert_same(mk.term_frequencies(small, **kwargs), mk.term_frequencies(rows, **kwargs))
    assert_same(
        scale.term_frequencies(small, fields=["title", "text"]),
        mk.term_frequencies(rows, fields=["title", "text"]),
    )


def test_keyness_equal_pandas(corpus, parts):
    assert_same(
        mk.keyness(parts, "lean", measure="chi2", min_count=10),
        mk.keyness(corpus, "lean", measure="chi2", min_count=10),
    )
    outlets = ["CNN (Web News)", "Fox News", "Reuters", "Breitbart News"]
    small, rows = parts[parts["outlet"].isin(outlets)], corpus[corpus["outlet"].isin(outlets)]
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
def test_coverage_equal_pandas(corpus, parts):
    for kwargs in (
        {},
        {"freq": "W", "by": "lean", "query": "Putin"},
        {"freq": "D", "by": ["lean", "outlet"], "query": {"wall": "border AND wall"}},
        {"freq": "MS", "query": ["Trump", "Mueller"], "smooth": 3, "tz": "America/New_York"},
    ):
        pd.testing.assert_frame_equal(
            mk.coverage(parts, **kwargs), mk.coverage(corpus, **kwargs), check_exact=True
        )


def test_coverage_dask_mask_and_undated(corpus, parts, client):
    mask = parts["text"].str.contains("Putin", regex=False)
    expected = mk.coverage(corpus, query={"putin": corpus["text"].str.contains("Putin")})
    pd.testing.assert_frame_equal(mk.coverage(parts, query={"putin": mask}), expected)
    undated = corpus.assign(published=corpus["published"].where(corpus.index % 10 != 0))
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
    articles, report = mk.load_articles(
        tmp_path / "in",
        outlet=lambda p: p.parent.name,
        return_report=True,
        progress=False,
        client=client,
    )
    mk.save_articles(articles, tmp_path / "out", partition_by="month")
    assert len(expected) == 9 and set(report["status"]) >= {"loaded", "duplicate", "empty"}
    pd.testing.assert_frame_equal(articles, expected)
    pd.testing.assert_frame_equal(report, expected_report)
    hooked = mk.load_articles(tmp_path / "in", outlet=lambda p: p.parent.name, client=client)
    pd.testing.assert_frame_equal(hooked, expected)
    saved = mk.read_articles(tmp_path / "out")
    pd.testing.assert_frame_equal(by_id(saved), by_id(expected))
    with pytest.raises(TypeError, match="a DataFrame has nothing to spread"):
        mk.load_articles(expected, client=client)


# --------------------------------------------------------------------------- topics
@pytest.fixture(scope="module")
def topic_fits(allsides, client):
    """TopicModel(10) fitted on all of AllSides in memory and on a 6-partition dask frame."""
    frame = dd.from_pandas(allsides, npartitions=6)
    on_pandas = mk.TopicModel(10, random_state=0).fit(allsides)
    on_dask = mk.TopicModel(10, random_state=0).fit(frame, client=client)
    return on_pandas, on_dask, frame


def test_topic_fit_on_cluster_agrees_with_pandas_fit(allsides, topic_fits):
    from sklearn.metrics import normalized_mutual_info_score

    on_pandas, on_dask, frame = topic_fits
    labels_dask = on_dask.predict(frame).compute()
    labels_pandas = on_pandas.predict(allsides)
    assert labels_dask.index.equals(allsides.index)
    assert normalized_mutual_info_score(labels_pandas, labels_dask) >= 0.9
    topics = on_dask.topics_
    assert topics["size"].sum() == len(allsides) == on_dask.n_documents_
    assert topics["size"].is_monotonic_decreasing
    assert np.bincount(labels_dask, minlength=10).tolist() == topics["size"].tolist()
    assert len(set(topics["label"]) & set(on_pandas.topics_["label"])) >= 8
    labels = " ".join(topics["label"])
    assert all(word in labels for word in ("mueller", "kavanaugh", "korea", "tariffs"))
    # the same model predicts a pandas frame the same way
    pd.testing.assert_series_equal(on_dask.predict(allsides), labels_dask)


def test_topic_transform_and_assign_map_over_partitions(allsides, topic_fits):
    _, on_dask, frame = topic_fits
    weights = on_dask.transform(frame)
    assigned = on_dask.assign(frame)
    assert weights.npartitions == assigned.npartitions == frame.npartitions
    weights, assigned = weights.compute(), assigned.compute()
    assert weights.shape == (len(allsides), 10)
    assert np.allclose(weights.sum(axis=1), 1.0)
    assert (weights.to_numpy().argmax(axis=1) == assigned["topic"].to_numpy()).all()
    labels = on_dask.topics_["label"].to_numpy()
    assert (assigned["label"].to_numpy() == labels[assigned["topic"]]).all()


def test_topic_tables_of_dask_frame_equal_pandas(allsides, topic_fits):
    _, on_dask, frame = topic_fits
    pd.testing.assert_frame_equal(
        on_dask.topics_over_time(frame, freq="M"), on_dask.topics_over_time(allsides, freq="M")
    )
    pd.testing.assert_frame_equal(
        on_dask.topics_by(frame, by="lean"), on_dask.topics_by(allsides, by="lean")
    )
    best = on_dask.representative_articles(3)
    assert best.groupby("topic").size().tolist() == [3] * 10
    topic_of = on_dask.predict(allsides)
    assert (topic_of.loc[best["document"].tolist()].to_numpy() == best["topic"].to_numpy()).all()
    assert best.groupby("topic")["score"].apply(lambda s: s.is_monotonic_decreasing).all()
    assert 0.05 < on_dask.coherence() < 0.5


def test_topic_fit_on_cluster_samples_like_pandas(corpus, parts, client, monkeypatch):
    """A corpus larger than the sample: started on the same documents, refined on all."""
    from sklearn.metrics import normalized_mutual_info_score

    from mediakit import topics

    monkeypatch.setattr(topics, "_SAMPLE", 400)
    on_pandas = mk.TopicModel(random_state=1, candidates=(5, 8), auto_sample=300).fit(corpus)
    on_dask = mk.TopicModel(random_state=1, candidates=(5, 8), auto_sample=300)
    on_dask.fit(parts, client=client)
    pd.testing.assert_frame_equal(on_dask.k_scores_, on_pandas.k_scores_)
    assert on_dask.vocabulary_ == on_pandas.vocabulary_
    labels_dask = on_dask.predict(parts).compute()
    labels_pandas = on_pandas.predict(corpus.set_index(corpus["article_id"].to_numpy()))
    nmi = normalized_mutual_info_score(
        labels_pandas.loc[parts["article_id"].compute().to_numpy()], labels_dask
    )
    assert nmi >= 0.9


def test_topic_errors_on_dask(allsides, parts, topic_fits):
    _, on_dask, frame = topic_fits
    with pytest.raises(ValueError, match="method='nmf'.* fits in memory only"):
        mk.TopicModel(5, method="nmf").fit(parts)
    with pytest.raises(ValueError, match="has no 'text' column"):
        mk.TopicModel(5).fit(parts[["title", "outlet"]])
    with pytest.raises(TypeError, match="is a dask collection.*compute a sample"):
        on_dask.topic_map(frame)


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
