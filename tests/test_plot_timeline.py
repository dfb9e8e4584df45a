"""Timeline plots, checked through their artists (no image comparison)."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.ticker import PercentFormatter

import mediakit as mk
from mediakit.plotting.style import LEAN_COLORS
from mediakit.timeline import coverage

EVENTS = [("2018-03-18", "Russian presidential election"), ("2018-07-16", "Helsinki summit")]


@pytest.fixture(scope="module")
def putin_weekly(allsides):
    return coverage(allsides, freq="W", by="lean", query="Putin")


def _lines(ax, gid=None):
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def _dates(line):
    """The x positions of a line as ISO days (matplotlib date numbers)."""
    return [mdates.num2date(v).strftime("%Y-%m-%d") for v in line.get_xdata()]


def test_weekly_putin_share_by_lean_with_events(putin_weekly):
    fig, ax = plt.subplots(figsize=(10, 4))
    out = mk.plot_timeline(putin_weekly, y="share", hue="lean", events=EVENTS, ax=ax)
    assert out is ax

    # one solid line per lean over the 52 complete weeks, in the lean colours
    lines = _lines(ax)
    assert [line.get_label() for line in lines] == ["left", "center", "right"]
    for line in lines:
        lean = line.get_label()
        series = putin_weekly[(putin_weekly["lean"] == lean) & ~putin_weekly["partial"]]
        assert to_hex(line.get_color()) == LEAN_COLORS[lean]
        assert line.get_linestyle() == "-"
        assert _dates(line)[0] == "2018-01-01" and _dates(line)[-1] == "2018-12-24"
        np.testing.assert_allclose(line.get_ydata(), series["share"], equal_nan=True)

    # the data end on Monday 31 December: that week is partial, drawn dashed from the
    # last complete week with a hollow marker on the partial point
    partial = _lines(ax, "partial")
    assert len(partial) == 3
    for line, lean in zip(partial, ["left", "center", "right"], strict=True):
        assert _dates(line) == ["2018-12-24", "2018-12-31"]
        assert line.get_linestyle() == "--"
        assert line.get_markevery() == [1]
        assert line.get_markerfacecolor() == "none"
        assert to_hex(line.get_color()) == LEAN_COLORS[lean]
        last = putin_weekly[putin_weekly["lean"] == lean].tail(2)["share"]
        np.testing.assert_allclose(line.get_ydata(), last, equal_nan=True)

    # events: a dotted vertical line and a label each
    events = _lines(ax, "event")
    assert [_dates(line)[0] for line in events] == ["2018-03-18", "2018-07-16"]
    assert all(line.get_linestyle() == ":" for line in events)
    assert [t.get_text() for t in ax.texts] == [label for _, label in EVENTS]
    assert len(ax.get_lines()) == 3 + 3 + 2

    # readable axes: concise date ticks, percent shares, labels, title, legend
    fig.canvas.draw()
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == "2018" and "Jul" in ticks
    assert set(ticks) <= {"2018", "2019", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul"} | {
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    }
    assert isinstance(ax.yaxis.get_major_formatter(), PercentFormatter)
    assert ax.get_ylim()[0] == 0
    assert ax.get_ylabel() == "Share of articles"
    assert ax.get_xlabel() == "Week"
    assert ax.get_title() == "Share of articles matching “Putin”"
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "lean"
    assert [t.get_text() for t in legend.get_texts()] == [
        "left",
        "center",
        "right",
        "partial period",
    ]


def test_draws_on_the_current_axes_and_passes_keywords(reuters):
    monthly = coverage(reuters, freq="M")
    fig, (left, right) = plt.subplots(1, 2)
    plt.sca(right)
    ax = mk.plot_timeline(monthly, linewidth=3)
    assert ax is right and not left.get_lines()
    (line,) = _lines(ax)
    assert line.get_linewidth() == 3
    assert ax.get_ylabel() == "Articles per month"
    assert ax.get_title() == ""
    # May and July-September have no stories: zeros on the line, not gaps
    assert _dates(line) == [f"1987-{m:02d}-01" for m in range(3, 10)]
    assert line.get_ydata().tolist() == [11544, 5661, 0, 2552, 0, 0, 0]
    # February (from the 26th) and October (to the 20th) are partial at both ends
    partial = _lines(ax, "partial")
    assert [_dates(p) for p in partial] == [
        ["1987-02-01", "1987-03-01"],
        ["1987-09-01", "1987-10-01"],
    ]
    assert [p.get_markevery() for p in partial] == [[0], [1]]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["partial period"]


def test_smoothing_matches_coverage_smoothing(allsides):
    raw = coverage(allsides, freq="W", by="lean", query="Putin")
    smoothed = coverage(allsides, freq="W", by="lean", query="Putin", smooth=5)
    ax = mk.plot_timeline(raw, y="share", hue="lean", smooth=5)
    for line in _lines(ax):
        expected = smoothed[(smoothed["lean"] == line.get_label()) & ~smoothed["partial"]]
        np.testing.assert_allclose(line.get_ydata(), expected["share"])


def test_events_as_frame_or_dict_and_time_zones():
    articles = mk.schema.as_articles(
        pd.DataFrame(
            {
                "article_id": ["a", "b", "c"],
                "text": ["x", "y", "z"],
                "published": pd.to_datetime(
                    ["2018-03-04 23:30", "2018-03-06 10:00", "2018-03-20 10:00"], utc=True
                ),
            }
        )
    )
    berlin = coverage(articles, freq="D", tz="Europe/Berlin")
    frame = pd.DataFrame({"date": [pd.Timestamp("2018-03-10 23:30", tz="UTC")], "label": ["X"]})
    ax = mk.plot_timeline(berlin, events=frame)
    (line,) = _lines(ax)
    assert _dates(line)[0] == "2018-03-05"  # the local day, not 4 March UTC
    (event,) = _lines(ax, "event")
    when = mdates.num2date(event.get_xdata()[0])
    assert when.strftime("%d %H:%M") == "11 00:30"
    ax2 = mk.plot_timeline(berlin, events={"2018-03-12": "Y"}, ax=plt.figure().gca())
    assert [t.get_text() for t in ax2.texts] == ["Y"]


def test_timelines_small_multiples_keep_colours_and_limits(allsides):
    data = coverage(allsides, freq="W", by="lean", query={"Putin": "Putin", "Trump": "Trump"})
    fig = mk.plot_timelines(data, col="query", hue="lean", y="share", events=EVENTS[1:])
    assert isinstance(fig, plt.Figure)
    axes = fig.axes
    assert [ax.get_title() for ax in axes] == ["Putin", "Trump"]
    for ax in axes:
        lines = _lines(ax)
        assert [to_hex(line.get_color()) for line in lines] == list(LEAN_COLORS.values())
        assert len(_lines(ax, "partial")) == 3
        assert [t.get_text() for t in ax.texts] == ["Helsinki summit"]
    # shared y axis covers the larger Trump shares, from 0
    assert axes[0].get_ylim() == axes[1].get_ylim()
    assert axes[0].get_ylim()[0] == 0
    assert axes[0].get_ylim()[1] >= data.loc[~data["partial"], "share"].max()
    assert axes[0].get_ylabel() == "Share of articles" and axes[1].get_ylabel() == ""
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "left",
        "center",
        "right",
        "partial period",
    ]


def test_timelines_wrap_and_hide_spare_panels(allsides):
    monthly = coverage(allsides, freq="M", by="outlet")
    top = monthly.groupby("outlet")["count"].sum().nlargest(5).index.tolist()
    fig = mk.plot_timelines(monthly, col="outlet", col_order=top, col_wrap=3, sharey=False)
    assert len(fig.axes) == 6
    assert [ax.get_visible() for ax in fig.axes] == [True] * 5 + [False]
    assert [ax.get_title() for ax in fig.axes[:5]] == top
    for ax, outlet in zip(fig.axes, top, strict=False):
        (line,) = _lines(ax)
        expected = monthly.loc[monthly["outlet"] == outlet, "count"].tolist()
        assert line.get_ydata().tolist() == expected
    fig.canvas.draw()
    # the third panel has no panel below it, so it shows its dates
    assert any(t.get_text() for t in fig.axes[2].get_xticklabels())
    assert not any(t.get_text() for t in fig.axes[0].get_xticklabels())


def test_plot_coverage_in_one_call(allsides):
    ax = mk.plot_coverage(
        allsides, freq="M", query={"Russia": "Putin OR Kremlin", "trade": "tariff*"}
    )
    assert [line.get_label() for line in _lines(ax)] == ["Russia", "trade"]
    assert ax.get_ylabel() == "Share of articles"
    expected = coverage(allsides, freq="M", query="tariff*")["share"]
    np.testing.assert_allclose(_lines(ax)[1].get_ydata(), expected)
    ax2 = mk.plot_coverage(allsides, freq="QS", by="lean", ax=plt.figure().gca())
    assert [line.get_ydata().sum() for line in _lines(ax2)] == [1132, 1360, 1695]
    with pytest.raises(ValueError, match=r"one line per group or per query"):
        mk.plot_coverage(allsides, by="lean", query=["Putin", "Trump"])
    with pytest.raises(ValueError, match=r"'by' parameter of plot_coverage must be one column"):
        mk.plot_coverage(allsides, by=["lean", "outlet"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"hue": "party"}, r"Could not interpret value `party` for `hue`"),
        ({"y": "query"}, r"Could not interpret value `query` for `y`: the column holds"),
        ({}, r"several rows for the same `period` value .* hue="),
        ({"hue": "lean", "events": [("someday", "X")]}, r"Could not read the date 'someday'"),
        ({"hue": "lean", "events": ["2018-07-16"]}, r"\(date, label\) pair, got '2018-07-16'"),
        ({"hue": "lean", "events": pd.DataFrame({"when": [1]})}, r"'date' and 'label' columns"),
        ({"hue": "lean", "smooth": -2}, r"'smooth' parameter .* Got -2"),
        ({"hue": "lean", "palette": {"left": "k"}}, r"no colour for the hue level"),
    ],
)
def test_plot_errors_say_what_to_do(putin_weekly, kwargs, match):
    with pytest.raises(ValueError, match=match):
        mk.plot_timeline(putin_weekly, **kwargs)


def test_a_missing_column_is_a_key_error_as_everywhere(putin_weekly):
    with pytest.raises(KeyError, match=r"`party` for `hue`.*columns: \['period'"):
        mk.plot_timeline(putin_weekly, hue="party")


def test_timelines_errors(putin_weekly):
    with pytest.raises(ValueError, match=r"Could not interpret value `place` for `col`"):
        mk.plot_timelines(putin_weekly, col="place")
    with pytest.raises(ValueError, match=r"'col_order' parameter names \['far-left'\]"):
        mk.plot_timelines(putin_weekly, col="lean", col_order=["far-left"])


def test_many_groups_get_a_legend_in_columns_beside_the_axes(allsides):
    monthly = coverage(allsides, freq="M", by="outlet")
    ax = mk.plot_timeline(monthly, hue="outlet")
    outlets = sorted(allsides["outlet"].unique())
    assert [line.get_label() for line in _lines(ax)] == outlets
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == outlets
    ax.figure.canvas.draw()
    columns = {round(t.get_window_extent().x0) for t in legend.get_texts()}
    assert len(columns) == 4  # 112 entries, at most 30 per column
    assert legend.get_window_extent().x0 > ax.get_window_extent().x1


def test_articles_without_an_outlet_are_drawn_as_their_own_group(allsides):
    articles = allsides.head(400).copy()
    articles.loc[articles.index[:40], "outlet"] = pd.NA
    monthly = coverage(articles, freq="M", by="outlet")
    ax = mk.plot_timeline(monthly, hue="outlet")
    labels = [line.get_label() for line in _lines(ax)]
    assert "(missing)" in labels and len(labels) == monthly["outlet"].nunique(dropna=False)
    missing = _lines(ax)[labels.index("(missing)")]
    assert (
        sum(missing.get_ydata())
        == 40 - monthly.loc[monthly["outlet"].isna() & monthly["partial"], "count"].sum()
    )
    assert monthly["outlet"].isna().any()  # the input frame keeps its missing values
