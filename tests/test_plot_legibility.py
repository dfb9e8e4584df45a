"""Every plot_* drawn with its defaults on the bundled corpora is legible as drawn.

The figures are measured by :func:`tests.legibility.faults` (overlapping labels, data
under a legend, labels over data, placeholder axis labels, text cut off at the figure's
edge) and must score 0 on each, without any topic, term or event label left out.

``python -m tests.test_plot_legibility`` prints the counts of every case.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import mediakit as mk
from mediakit import datasets
from tests.legibility import faults, legibility

EVENTS = [("2018-03-18", "Russian presidential election"), ("2018-07-16", "Helsinki summit")]
SUBJECTS = {
    "Russia": "Putin OR Russia* OR Kremlin",
    "North Korea": '"North Korea" OR Pyongyang OR "Kim Jong"',
    "Immigration": "immigra* OR migrant* OR asylum",
}


@functools.cache
def _articles() -> pd.DataFrame:
    return datasets.load_allsides(clean=True)


@functools.cache
def _model(n_topics: int) -> Any:
    return mk.TopicModel(n_topics, random_state=0).fit(_articles())


@functools.cache
def _keyness() -> pd.DataFrame:
    return mk.keyness(_articles(), {"lean": "right"}, reference={"lean": "left"}, min_count=10)


def _fig(result: Any) -> Any:
    return result if hasattr(result, "savefig") else result.figure


def _topics(n_topics: int) -> Any:
    return _fig(mk.plot_topics(_model(n_topics)))


def _topic_map(n_topics: int) -> Any:
    return _fig(mk.plot_topic_map(_model(n_topics).topic_map(_articles())))


def _topics_over_time(n_topics: int) -> Any:
    return _fig(mk.plot_topics_over_time(_model(n_topics).topics_over_time(_articles(), freq="MS")))


def _keyness_plot(top_n: int) -> Any:
    return _fig(mk.plot_keyness(_keyness(), top_n=top_n))


def _terms_panels() -> Any:
    return _fig(mk.plot_terms(mk.term_frequencies(_articles(), by="lean"), col="lean"))


def _terms_hue() -> Any:
    return _fig(mk.plot_terms(mk.term_frequencies(_articles(), by="lean"), hue="lean"))


def _timeline_events() -> Any:
    weekly = mk.coverage(_articles(), freq="W", by="lean", query=SUBJECTS["Russia"])
    return _fig(mk.plot_timeline(weekly, y="share", hue="lean", events=EVENTS))


def _timeline_on_own_axes() -> Any:
    """On an Axes the researcher made, with no layout engine: the legend must still fit."""
    weekly = mk.coverage(_articles(), freq="W", by="lean", query=SUBJECTS["Russia"])
    _, ax = plt.subplots(figsize=(10, 4))
    return _fig(mk.plot_timeline(weekly, y="share", hue="lean", ax=ax))


def _small_multiples() -> Any:
    monthly = mk.coverage(_articles(), freq="MS", by="lean", query=SUBJECTS)
    events = pd.DataFrame(
        {"date": [d for d, _ in EVENTS], "label": [e for _, e in EVENTS], "query": "Russia"}
    )
    return _fig(mk.plot_timelines(monthly, col="query", y="share", hue="lean", events=events))


def _coverage() -> Any:
    return _fig(mk.plot_coverage(_articles(), by="lean", query="Putin"))


CASES: dict[str, Callable[[], Any]] = {
    "plot_topics, 10 topics": functools.partial(_topics, 10),
    "plot_topics, 25 topics": functools.partial(_topics, 25),
    "plot_topic_map, 10 topics": functools.partial(_topic_map, 10),
    "plot_topic_map, 25 topics": functools.partial(_topic_map, 25),
    "plot_topics_over_time, 10 topics": functools.partial(_topics_over_time, 10),
    "plot_topics_over_time, 25 topics": functools.partial(_topics_over_time, 25),
    "plot_keyness, top 15": functools.partial(_keyness_plot, 15),
    "plot_keyness, top 30": functools.partial(_keyness_plot, 30),
    "plot_terms, col=lean": _terms_panels,
    "plot_terms, hue=lean": _terms_hue,
    "plot_timeline, events": _timeline_events,
    "plot_timeline, on plt.subplots() axes": _timeline_on_own_axes,
    "plot_timelines, small multiples with events": _small_multiples,
    "plot_coverage": _coverage,
}


def _expected_labels(name: str) -> set[str]:
    """The topic, term or event labels a case must show (none may be dropped)."""
    if name.startswith("plot_topics,"):
        n = int(name.split()[1])
        return set(_model(n).top_terms(5)["term"].astype(str))
    if name.startswith("plot_keyness"):
        top_n = int(name.split()[-1])
        key = _keyness()
        return set(key.groupby("direction").head(top_n)["term"].astype(str))
    if "events" in name:
        return {label for _, label in EVENTS}
    return set()


def _shown(fig: Any) -> set[str]:
    texts = set()
    for ax in fig.axes:
        texts |= {t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()}
        texts |= {t.get_text() for t in ax.texts}
    return {t for text in texts for t in (text, *text.split("\n"))}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_default_figures_are_legible(name: str) -> None:
    fig = CASES[name]()
    try:
        counts = faults(fig)
        assert counts == dict.fromkeys(counts, 0), legibility(fig)
        missing = _expected_labels(name) - _shown(fig)
        assert not missing, f"labels dropped: {sorted(missing)[:10]}"
    finally:
        plt.close(fig)


def test_the_helper_counts_what_it_should() -> None:
    """Two labels drawn on each other, a legend over the data, an "x" axis label."""
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([0, 2, 4], [5, 7, 9], label="a line")
    ax.scatter([9.2], [0.5], label="a point")
    ax.set(xlim=(0, 10), ylim=(0, 10))
    ax.legend(loc="lower right")
    ax.set_xlabel("x")
    ax.text(2.5, 7.8, "a note on the line")
    ax.text(0.3, 2, "one label")
    ax.text(0.35, 2, "another label")
    counts = faults(fig)
    plt.close(fig)
    assert counts["overlaps"] == 1
    assert counts["under_legend"] == 1  # the point; the line stays clear of the legend
    assert counts["on_data"] > 0
    assert counts["placeholders"] == 1


def main() -> None:
    rows = []
    for name, build in CASES.items():
        fig = build()
        counts = faults(fig)
        missing = _expected_labels(name) - _shown(fig)
        rows.append({"case": name, **counts, "labels dropped": len(missing)})
        plt.close(fig)
    table = pd.DataFrame(rows)
    print("| " + " | ".join(table.columns) + " |")
    print("|" + "---|" * len(table.columns))
    for row in table.itertuples(index=False):
        print("| " + " | ".join(map(str, row)) + " |")


if __name__ == "__main__":
    main()


def test_save_figure_writes_vector_files_with_embedded_fonts(tmp_path) -> None:
    weekly = mk.coverage(_articles(), freq="MS", by="lean", query="Putin")
    ax = mk.plot_timeline(weekly, y="share", hue="lean", events=EVENTS)
    pdf = mk.save_figure(ax.figure, tmp_path / "f.pdf", width="single")
    assert ax.figure.get_size_inches()[0] == 3.5
    data = pdf.read_bytes()
    assert b"/FontFile2" in data  # TrueType embedded, not a Type 3 bitmap font
    assert b"/Subtype /Type3" not in data
    svg = mk.save_figure(ax.figure, tmp_path / "f.svg", width="double").read_text()
    assert "<text" in svg  # text kept as text
    assert ax.figure.get_size_inches()[0] == 7.0
    with pytest.raises(ValueError, match=r"'width' parameter .* Got 'wide'"):
        mk.save_figure(ax.figure, tmp_path / "g.pdf", width="wide")
    with pytest.raises(ValueError, match=r"'path' parameter must end in .pdf"):
        mk.save_figure(ax.figure, tmp_path / "g.jpg")


def test_one_palette_everywhere() -> None:
    from mediakit.plotting.style import GROUP_COLORS, LEAN_COLORS, palette

    assert palette(["right", "center", "left"]) == {
        "right": LEAN_COLORS["right"],
        "center": LEAN_COLORS["center"],
        "left": LEAN_COLORS["left"],
    }
    assert list(palette(["a", "b", "c"]).values()) == list(GROUP_COLORS[:3])
    # the package names colours nowhere else
    import re
    from pathlib import Path

    root = Path(mk.__file__).parent
    for path in root.rglob("*.py"):
        if path.name == "style.py":
            continue
        assert not re.search(r"#[0-9a-fA-F]{6}\b", path.read_text()), path


def test_alt_text_is_generated_from_the_figure() -> None:
    from mediakit.plotting import alt_text

    fig = _small_multiples()
    text = alt_text(fig)
    plt.close(fig)
    assert "3 panels (Russia, North Korea, Immigration)" in text
    assert "line chart of share of articles" in text
    assert "left, center, right" in text
    fig = _keyness_plot(15)
    text = alt_text(fig)
    plt.close(fig)
    assert "horizontal bar chart" in text and "31 bars" not in text and "30 bars" in text


def test_small_multiples_put_events_only_on_their_panel() -> None:
    fig = _small_multiples()
    events = {ax.get_title(): [t.get_text() for t in ax.texts] for ax in fig.axes}
    rules = {ax.get_title(): sum(line.get_gid() == "event" for line in ax.lines) for ax in fig.axes}
    plt.close(fig)
    assert events == {
        "Russia": ["Russian presidential election", "Helsinki summit"],
        "North Korea": [],
        "Immigration": [],
    }
    assert rules == {"Russia": 2, "North Korea": 0, "Immigration": 0}
