"""The executor layer: an analysis written once as steps, the same steps on every executor."""

from __future__ import annotations

import pandas as pd
import pytest

import mediakit as mk
from mediakit._compute import PandasRunner, get_client, runner_for
from mediakit.terms import _steps
from mediakit.terms._frequencies import finalize_frequencies

dd = pytest.importorskip("dask.dataframe")
dask = pytest.importorskip("dask")


@pytest.fixture(scope="module")
def sample(allsides):
    return allsides.iloc[::8].reset_index(drop=True)


def frequencies(runner, by, **kwargs):
    counts = _steps.counts_of(
        runner,
        _steps.ByColumns(tuple(by)),
        fields=kwargs.pop("fields", "text"),
        ngram_range=kwargs.pop("ngram_range", (1, 1)),
        stop_words="english",
    )
    return finalize_frequencies(counts, list(by), min_df=1, max_df=1.0, top_n=None)


def test_combining_row_chunks_equals_counting_at_once(sample):
    """The combine step adds partial counts up exactly, whatever the chunks."""
    for by in ([], ["lean"], ["lean", "outlet"]):
        whole = frequencies(PandasRunner(sample), by, ngram_range=(1, 2))
        assert whole.equals(mk.term_frequencies(sample, by=by or None, ngram_range=(1, 2)))
        for rows in (60, 250):
            chunked = frequencies(PandasRunner(sample, rows_per_chunk=rows), by, ngram_range=(1, 2))
            pd.testing.assert_frame_equal(chunked, whole, check_exact=True)
            assert chunked.attrs == whole.attrs


def test_a_patched_map_step_changes_both_executors(sample, monkeypatch):
    """Both executors run the one map step: patch it, and both results change alike."""
    parts = dd.from_pandas(sample, npartitions=3)
    with dask.config.set(scheduler="sync"):
        before_dask = mk.term_frequencies(parts, by="lean")
    before = mk.term_frequencies(sample, by="lean")
    pd.testing.assert_frame_equal(before_dask, before, check_exact=True)

    original = _steps.count_groups

    def every_article_twice(part, *args):
        return original(pd.concat([part, part]), *args)

    monkeypatch.setattr(_steps, "count_groups", every_article_twice)
    after = mk.term_frequencies(sample, by="lean")
    with dask.config.set(scheduler="sync"):
        after_dask = mk.term_frequencies(parts, by="lean")
    pd.testing.assert_frame_equal(after_dask, after, check_exact=True)
    assert after["term"].tolist() == before["term"].tolist()
    assert (after["count"] == 2 * before["count"]).all()
    assert (after["doc_count"] == 2 * before["doc_count"]).all()
    assert after.attrs["n_words"] == {k: 2 * v for k, v in before.attrs["n_words"].items()}


def test_no_cluster_is_started_without_asking(sample):
    """A dask frame computes on Dask's configured scheduler; get_client starts nothing."""
    distributed = pytest.importorskip("distributed")
    with pytest.raises(ValueError, match="No clients found"):
        distributed.default_client()
    with pytest.raises(ValueError, match="There is no Dask client in this session"):
        get_client()
    parts = dd.from_pandas(sample, npartitions=2)
    result = mk.coverage(parts, freq="MS", by="lean", query="Putin")
    pd.testing.assert_frame_equal(result, mk.coverage(sample, freq="MS", by="lean", query="Putin"))
    with pytest.raises(ValueError, match="No clients found"):
        distributed.default_client()


def test_runner_errors_name_the_argument():
    with pytest.raises(TypeError, match="'articles' parameter of f must be a dask or pandas"):
        runner_for(["a text"], function="f")
    with pytest.raises(TypeError, match="'client' parameter must be a distributed.Client"):
        runner_for(pd.DataFrame(), client="tcp://scheduler:8786", function="f")


def test_dictionary_counts_are_the_same_on_every_executor(sample):
    dictionary = {"economy": ["econom*", "jobs", "tax*"], "russia": ["putin", "russia*"]}
    expected = mk.count_terms(sample, dictionary)
    assert expected["article_id"].tolist() == sample["article_id"].tolist()
    assert expected["russia"].sum() > 0
    parts = dd.from_pandas(sample, npartitions=4)
    with dask.config.set(scheduler="sync"):
        pd.testing.assert_frame_equal(mk.count_terms(parts, dictionary), expected, check_exact=True)


@pytest.mark.parametrize("measure", ["pmi", "g2", "t"])
def test_collocations_are_the_same_on_every_executor(sample, measure):
    expected = mk.collocations(sample, min_count=3, measure=measure)
    assert "white house" in expected["ngram"].tolist()
    parts = dd.from_pandas(sample, npartitions=5)
    with dask.config.set(scheduler="sync"):
        result = mk.collocations(parts, min_count=3, measure=measure)
    pd.testing.assert_frame_equal(result, expected, check_exact=True)


def test_keywords_in_context_are_the_same_on_every_executor(sample):
    expected = mk.kwic(sample, "Putin", window=5)
    assert len(expected) > 20
    parts = dd.from_pandas(sample, npartitions=4)
    with dask.config.set(scheduler="sync"):
        pd.testing.assert_frame_equal(mk.kwic(parts, "Putin", window=5), expected)
