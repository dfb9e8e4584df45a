"""Term plots: bars, labels, panels and colours checked through the artists."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit.plotting.style import LEAN_COLORS


@pytest.fixture(scope="module")
def sample(allsides):
    return allsides.iloc[::6]


@pytest.fixture(scope="module")
def by_lean(sample):
    return mk.term_frequencies(sample, by="lean")


def test_plot_terms_draws_top_terms_largest_first(sample):
    tf = mk.term_frequencies(sample)
    fig, ax1 = plt.subplots()
    ax = mk.plot_terms(tf, top_n=7, ax=ax1)
    assert ax is ax1
    assert len(ax.patches) == 7
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == tf["term"].head(7).tolist()
    widths = [p.get_width() for p in ax.patches]
    assert widths == tf["count"].head(7).astype(float).tolist()
    # the largest bar is on top
    tops = [p.get_y() for p in ax.patches]
    assert tops == sorted(tops, reverse=True)
    assert ax.get_xlabel() == "Occurrences"


def test_plot_terms_other_column_and_current_axes(sample):
    tf = mk.term_frequencies(sample)
    ax = mk.plot_terms(tf, x="per_10k", top_n=3, color="black")
    assert ax is plt.gca()
    assert ax.get_xlabel() == "Per 10,000 words"
    assert all(mpl.colors.same_color(p.get_facecolor(), "black") for p in ax.patches)


def test_plot_terms_hue_dodges_one_bar_per_level(by_lean):
    ax = mk.plot_terms(by_lean, hue="lean", top_n=4)
    assert len(ax.patches) <= 12 and len(ax.patches) >= 10
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["left", "center", "right"]
    handles = ax.get_legend_handles_labels()[0]
    for handle, lean in zip(handles, legend, strict=True):
        assert mpl.colors.same_color(handle.patches[0].get_facecolor(), LEAN_COLORS[lean])
    totals = by_lean.groupby("term")["count"].sum().sort_values(ascending=False)
    assert [t.get_text() for t in ax.get_yticklabels()][::-1] == totals.index[:4][::-1].tolist()


def test_plot_terms_small_multiples_return_a_figure(by_lean):
    fig = mk.plot_terms(by_lean, col="lean", top_n=5)
    assert isinstance(fig, mpl.figure.Figure)
    assert [a.get_title() for a in fig.axes] == ["left", "center", "right"]
    for ax, lean in zip(fig.axes, ["left", "center", "right"], strict=True):
        expected = by_lean[by_lean["lean"] == lean]["term"].head(5).tolist()
        assert [t.get_text() for t in ax.get_yticklabels()] == expected
        assert mpl.colors.same_color(ax.patches[0].get_facecolor(), LEAN_COLORS[lean])
    wrapped = mk.plot_terms(by_lean, col="lean", top_n=3, col_wrap=2)
    assert len(wrapped.axes) == 3


def test_plot_terms_errors(by_lean):
    with pytest.raises(ValueError, match="Could not interpret value `freq` for `x`"):
        mk.plot_terms(by_lean, x="freq")
    with pytest.raises(ValueError, match="appear in several rows .* col='lean'"):
        mk.plot_terms(by_lean)
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="'ax' parameter cannot be used with 'col'"):
        mk.plot_terms(by_lean, col="lean", ax=ax)
    with pytest.raises(ValueError, match="'top_n' parameter must be an int >= 1"):
        mk.plot_terms(by_lean, col="lean", top_n=0)


def test_plot_keyness_diverging_bars(sample):
    key = mk.keyness(sample, {"lean": "right"}, reference={"lean": "left"})
    ax = mk.plot_keyness(key, top_n=6)
    assert len(ax.patches) == 12
    widths = np.array([p.get_width() for p in ax.patches])
    assert (widths[:6] > 0).all() and (widths[6:] < 0).all()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    target = key[key["direction"] == "target"]["term"].head(6).tolist()
    reference = key[key["direction"] == "reference"]["term"].head(6).tolist()
    assert labels == target + reference
    assert np.allclose(widths[:6], key[key["direction"] == "target"]["statistic"].head(6))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["lean = right", "lean = left"]
    assert mpl.colors.same_color(ax.patches[0].get_facecolor(), LEAN_COLORS["right"])
    assert mpl.colors.same_color(ax.patches[-1].get_facecolor(), LEAN_COLORS["left"])
    assert ax.get_xlabel() == "Keyness (g2)"
    ratio = mk.plot_keyness(key, x="log_ratio", top_n=3, ax=plt.figure().gca())
    assert [p.get_width() > 0 for p in ratio.patches] == [True] * 3 + [False] * 3


def test_plot_keyness_groups(sample):
    key = mk.keyness(sample, "lean")
    with pytest.raises(ValueError, match="several groups .* pass group="):
        mk.plot_keyness(key)
    with pytest.raises(ValueError, match="Could not find group 'far'"):
        mk.plot_keyness(key, group="far")
    ax = mk.plot_keyness(key, group="center", top_n=4)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["center", "all others"]
    assert mpl.colors.same_color(ax.patches[0].get_facecolor(), LEAN_COLORS["center"])
    with pytest.raises(ValueError, match="Could not interpret value `direction`"):
        mk.plot_keyness(pd.DataFrame({"term": ["a"], "statistic": [1.0]}))
