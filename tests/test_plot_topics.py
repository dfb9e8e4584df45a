"""Topic plots, checked through their artists."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit import datasets
from mediakit.topics import TopicModel


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    frame = datasets.load_allsides()
    return frame.sort_values("article_id").head(300).reset_index(drop=True)


@pytest.fixture(scope="module")
def model(articles: pd.DataFrame) -> TopicModel:
    return TopicModel(5, random_state=0).fit(articles)


def _legend_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_topics_bars_and_labels(model: TopicModel) -> None:
    terms = model.top_terms(4)
    fig, ax = plt.subplots()
    out = mk.plot_topics(terms, n_terms=4, ax=ax)
    assert out is ax
    assert len(ax.patches) == 5 * 4
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == terms["term"].tolist()
    assert _legend_texts(ax) == model.topics_["label"].tolist()
    widths = [p.get_width() for p in ax.patches]
    assert np.allclose(widths, terms["weight"])
    # one colour per topic
    colours = {tuple(p.get_facecolor()) for p in ax.patches}
    assert len(colours) == 5


def test_plot_topics_from_model_and_selection(model: TopicModel) -> None:
    ax = mk.plot_topics(model, topics=[1, 3], n_terms=3)
    assert ax is plt.gca()
    assert len(ax.patches) == 6
    assert _legend_texts(ax) == model.topics_["label"].iloc[[1, 3]].tolist()
    with pytest.raises(ValueError, match=r"'topics' argument names topic\(s\) \[9\]"):
        mk.plot_topics(model, topics=[9])
    with pytest.raises(ValueError, match="Could not interpret value `weight` for `x`"):
        mk.plot_topics(model.top_terms().drop(columns="weight"))


def test_plot_topic_map(model: TopicModel, articles: pd.DataFrame) -> None:
    points = model.topic_map(articles)
    ax = mk.plot_topic_map(points)
    assert len(ax.collections) == 5
    assert _legend_texts(ax) == model.topics_["label"].tolist()
    sizes = [len(c.get_offsets()) for c in ax.collections]
    assert sizes == model.topics_["size"].tolist()
    first = np.asarray(ax.collections[0].get_offsets())
    expected = points.loc[points["topic"] == 0, ["x", "y"]].to_numpy()
    assert np.allclose(first, expected)


def test_plot_topics_over_time_lines_and_areas(model: TopicModel, articles: pd.DataFrame) -> None:
    table = model.topics_over_time(articles, freq="Q")
    ax = mk.plot_topics_over_time(table)
    assert len(ax.lines) == 5
    assert _legend_texts(ax) == model.topics_["label"].tolist()
    periods = table["period"].nunique()
    assert all(len(line.get_xdata()) == periods for line in ax.lines)
    top = table[table["topic"] == 0].sort_values("period")["share"].to_numpy()
    assert np.allclose(ax.lines[0].get_ydata(), top)
    assert ax.get_ylabel() == "Share of the period's articles"

    fig, ax2 = plt.subplots()
    mk.plot_topics_over_time(table, kind="area", topics=[0, 1], ax=ax2)
    assert len(ax2.collections) == 2
    assert _legend_texts(ax2) == model.topics_["label"].iloc[:2].tolist()
    with pytest.raises(ValueError, match="'kind' argument must be 'line' or 'area'. Got 'bar'"):
        mk.plot_topics_over_time(table, kind="bar")
    with pytest.raises(ValueError, match="Could not interpret value `when` for `x`"):
        mk.plot_topics_over_time(table, x="when")
