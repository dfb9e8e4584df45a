"""The explorer's state equals the plain functions' results, and its code reproduces it."""

from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit.explorer import Explorer, parse_queries


@pytest.fixture(scope="module")
def articles():
    return mk.datasets.load_allsides()


@pytest.fixture(scope="module")
def explorer(articles):
    return mk.explore(articles, by="lean", query="Putin OR Kremlin", progress=False)


def in_period(frame: pd.DataFrame, start: str, days: int = 7) -> pd.DataFrame:
    begin = pd.Timestamp(start, tz="UTC")
    return frame[
        (frame["published"] >= begin) & (frame["published"] < begin + pd.Timedelta(days=days))
    ]


@pytest.mark.parametrize(
    ("query", "period"),
    [
        ("Putin OR Kremlin", "2018-07-16"),
        ("tariff* NOT China", "2018-03-05"),
        ('"North Korea"', "2018-06-11"),
    ],
)
def test_selection_is_the_query_within_the_period(articles, query, period):
    widget = mk.explore(articles, query=query, progress=False)
    widget.select_period(period)
    expected = in_period(mk.select(articles, query), period)
    assert len(expected) > 0
    assert sorted(widget.selection["article_id"]) == sorted(expected["article_id"])


def test_a_date_inside_a_period_selects_that_period(explorer):
    explorer.select_period("2018-07-18 13:00")  # a Wednesday
    assert explorer.period == pd.Timestamp("2018-07-16", tz="UTC")


def test_timeline_and_key_terms_equal_the_plain_functions(articles, explorer):
    mask = mk.matches(articles, "Putin OR Kremlin")
    expected = mk.coverage(articles, freq="W", by="lean", query={"Putin OR Kremlin": mask})
    pd.testing.assert_frame_equal(explorer.timeline, expected)
    key = mk.keyness(articles, mask.to_numpy(), min_count=5)
    key = key[key["direction"] == "target"].head(15).reset_index(drop=True)
    pd.testing.assert_frame_equal(explorer.key_terms, key)
    spikes = mk.detect_spikes(expected, value="share")
    pd.testing.assert_frame_equal(explorer.spikes, spikes)


def test_top_outlets_count_the_matching_articles(articles, explorer):
    matching = mk.select(articles, "Putin OR Kremlin")
    top = explorer.top_outlets.set_index("outlet")
    counts = matching["outlet"].value_counts()
    for outlet, row in top.iterrows():
        assert row["count"] == counts[outlet]
        assert row["share"] == pytest.approx(counts[outlet] / (articles["outlet"] == outlet).sum())
    assert top["count"].max() == counts.max()


def test_to_code_reproduces_the_figure_data_and_the_selection(articles):
    widget = mk.explore(articles, by="lean", progress=False)
    widget.set_query("Russia: Putin OR Kremlin; trade: tariff*")
    widget.select_period("2018-07-16")
    namespace = {"articles": articles}
    exec(widget.to_code(), namespace)
    pd.testing.assert_frame_equal(namespace["timeline"], widget.timeline)
    pd.testing.assert_frame_equal(namespace["spikes"], widget.spikes)
    pd.testing.assert_frame_equal(namespace["key_terms"].reset_index(drop=True), widget.key_terms)
    assert namespace["selection"]["article_id"].tolist() == widget.selection["article_id"].tolist()
    assert len(namespace["fig"].axes) >= 2  # one panel per query
    import matplotlib.pyplot as plt

    plt.close("all")


def test_named_queries_are_compared():
    assert parse_queries("Russia: Putin OR Kremlin; trade: tariff*") == {
        "Russia": "Putin OR Kremlin",
        "trade": "tariff*",
    }
    assert parse_queries('"a; b" OR c') == {'"a; b" OR c': '"a; b" OR c'}
    assert parse_queries({"x": "Putin", "empty": " "}) == {"x": "Putin"}


def test_a_malformed_query_is_shown_not_raised(articles):
    widget = mk.explore(articles, query="Putin", progress=False)
    before = widget.timeline
    widget.set_query("Putin AND (Kremlin")
    assert widget.error is not None and "^" in widget.error
    assert widget.timeline is before  # the last good result stays on screen
    assert "Putin AND (Kremlin" in widget._status_text() or "^" in widget._status_text()


def test_typing_runs_one_update_after_the_pause(articles, monkeypatch):
    widget = mk.explore(articles, progress=False)
    widget.debounce = 0.2
    calls: list[dict] = []
    compute = Explorer._compute

    def counted(self, queries):
        calls.append(queries)
        return compute(self, queries)

    monkeypatch.setattr(Explorer, "_compute", counted)
    for prefix in ("t", "ta", "tar", "tarif", "tariff*"):
        widget._on_query(prefix)
    deadline = time.monotonic() + 30
    while widget.queries != {"tariff*": "tariff*"}:
        assert time.monotonic() < deadline, "the update never ran"
        time.sleep(0.05)
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.join(5)
    assert calls == [{"tariff*": "tariff*"}]


def test_a_stale_update_does_not_overwrite_a_newer_one(articles):
    widget = mk.explore(articles, progress=False)
    widget._generation = 5
    widget._run_update("Putin", 4)  # started before the latest keystroke
    assert widget.queries == {}
    widget._run_update("Putin", 5)
    assert widget.queries == {"Putin": "Putin"}


def test_widget_shows_the_state_and_exports_a_static_snapshot(articles):
    pytest.importorskip("anywidget")
    widget = mk.explore(articles, by="lean", query="tariff*", progress=False)
    widget.select_period("2018-07-16")
    box = widget.widget
    parts = box._mk_parts
    chart = parts["chart"].data
    assert [s["name"] for s in chart["series"]] == ["left", "center", "right"]
    assert len(chart["periods"]) == widget.timeline["period"].nunique()
    left = widget.timeline[widget.timeline["lean"] == "left"]["share"].to_numpy()
    assert np.allclose([p["value"] for p in chart["series"][0]["points"]], left)
    spiked = {
        (s["name"], widget.timeline["period"].unique()[i].isoformat())
        for s in chart["series"]
        for i, p in enumerate(s["points"])
        if p["spike"]
    }
    assert spiked == {(str(r.lean), r.period.isoformat()) for r in widget.spikes.itertuples()}
    ids = set(widget.selection["article_id"])
    assert ids and all(f'data-article-id="{i}"' in parts["articles"].value for i in ids)
    bundle = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    snapshot = bundle["text/html"]
    assert '<img alt="Line chart of share of coverage per period by lean for tariff*"' in snapshot
    assert "tariffs" in snapshot  # the key-terms table
    import matplotlib.pyplot as plt

    plt.close("all")


def test_clear_errors(articles):
    with pytest.raises(KeyError, match="Available columns"):
        mk.explore(articles, by="leaning", progress=False)
    with pytest.raises(ValueError, match="'share' or 'count'"):
        mk.explore(articles, measure="percent", progress=False)
    with pytest.raises(TypeError, match="article frame"):
        mk.explore([1, 2, 3], progress=False)
    widget = mk.explore(articles, progress=False)
    with pytest.raises(ValueError, match="outside the timeline"):
        widget.select_period("1999-01-01")


def test_accessor(articles):
    widget = articles.head(300).media.explore(query="Trump", progress=False)
    assert isinstance(widget, Explorer)
    assert widget.queries == {"Trump": "Trump"}
