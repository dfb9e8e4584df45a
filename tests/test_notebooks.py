"""Every notebook runs top to bottom with small parameters; values it computes are checked."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.notebook_runner import NOTEBOOKS, run_notebook

pytestmark = pytest.mark.notebooks


def test_notebooks_are_committed_without_outputs():
    import nbformat

    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        assert notebook.metadata["kernelspec"]["display_name"] == "Python 3 (ipykernel)"
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert not cell.outputs, f"{path.name} has outputs"
                assert cell.execution_count is None, f"{path.name} has execution counts"


def test_quickstart_counts_articles_by_lean():
    values = run_notebook(
        "00_quickstart.ipynb",
        {"freq": "MS", "max_articles": None},
        {
            "by_lean": "by_lean.to_dict()",
            "total": "int(weekly['count'].sum())",
            "lines": "[l.get_label() for l in fig.axes[0].lines if not l.get_label().startswith('_')]",
            "leading": "leading.to_dict()",
        },
    )
    assert values["by_lean"] == {"left": 1132, "center": 1360, "right": 1695}
    assert values["total"] == 4187
    assert values["lines"] == ["left", "center", "right"]
    assert max(values["leading"], key=values["leading"].get) == "right"


def test_quickstart_right_leads_most_weeks(allsides):
    """00: "Right-rated outlets contribute the most articles in most weeks"."""
    import mediakit as mk

    weekly = mk.coverage(allsides, freq="W", by="lean")
    full = weekly[~weekly["partial"]]
    leading = full.loc[full.groupby("period")["count"].idxmax(), "lean"]
    assert (leading == "right").mean() > 0.5


def test_coverage_timelines_notebook():
    values = run_notebook(
        "04_coverage_timelines.ipynb",
        {"sample_size": 1500},
        {
            "total": "int(volume['count'].sum())",
            "shares_match": "bool(((russia['share'] - russia['count'] / russia['total'])"
            ".abs().fillna(0) < 1e-12).all())",
            "matched": "int(russia['count'].sum())",
            "expected_matched": "int(mk.matches(articles, query).sum())",
            "leans": "sorted(russia['lean'].astype(str).unique())",
            "panels": "[a.get_title() for a in fig.axes if a.get_visible() and a.get_title()]",
            "spike_columns": "sorted(set(spikes.columns) & {'baseline', 'excess', 'z'})",
        },
    )
    assert values["total"] == 1500
    assert values["shares_match"]
    assert values["matched"] == values["expected_matched"] > 0
    assert values["leans"] == ["center", "left", "right"]
    assert values["panels"] == ["Russia", "North Korea", "Immigration"]
    assert values["spike_columns"] == ["baseline", "excess", "z"]


def test_content_analysis_notebook():
    values = run_notebook(
        "07_content_analysis.ipynb",
        {"n_sample": 40, "random_state": 3},
        {
            "sample_size": "len(sample)",
            "coders": "sorted(codings['coder'].unique())",
            "n_codings": "len(codings)",
            "alpha": "scores.set_index('variable')['alpha'].to_dict()",
            "pearson": "float(count_scores['pearson_r'].iloc[0])",
            "macro_f1": "float(category_scores.set_index('category').loc['(macro)', 'f1'])",
        },
    )
    assert values["sample_size"] == 40
    assert values["coders"] == ["coder_a", "coder_b"]
    assert values["n_codings"] == 40 * 2 * 2  # articles x coders x variables, all coded
    assert 0.9 < values["alpha"]["russia_mentions"] <= 1.0
    assert -1.0 <= values["alpha"]["russia_salient"] <= 1.0
    assert values["pearson"] > 0.9
    assert 0 < values["macro_f1"] <= 1


def test_topic_clusters_notebook():
    values = run_notebook(
        "03_topic_clusters.ipynb",
        {"n_topics": 6, "sample_size": 800, "random_state": 1},
        {
            "n_topics": "len(model.topics_)",
            "sizes": "int(model.topics_['size'].sum())",
            "assigned": "int(assigned['topic'].notna().sum())",
            "coherence": "float(quality['coherence (NPMI)'])",
            "diversity": "float(quality['diversity'])",
            "shares": "over_time.groupby('period')['share'].sum().round(9).unique().tolist()",
            "leans": "sorted(map(str, by_lean['group'].unique()))",
            "bars": "len(fig.axes[0].patches)",
        },
    )
    assert values["n_topics"] == 6
    # "the bars show the five terms that characterise it best"
    import re

    said = re.search(r"the bars show the (\w+) terms", _prose("03_topic_clusters.ipynb"))
    words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    assert said is not None
    assert values["bars"] == values["n_topics"] * (words.index(said.group(1)) + 1)
    assert values["sizes"] == values["assigned"] == 800  # every article has a topic
    assert values["coherence"] > 0.05
    assert 0.5 < values["diversity"] <= 1.0
    assert values["shares"] == [1.0]  # each month's topic shares add up to all its articles
    assert values["leans"] == ["center", "left", "right"]


def test_term_frequencies_notebook():
    values = run_notebook(
        "02_term_frequencies.ipynb",
        {"sample_size": 600, "top_n": 10},
        {
            "leans": "sorted(map(str, freq['lean'].unique()))",
            "trump_left": "freq.query(\"lean == 'left' and term == 'trump'\")[['count', "
            "'per_10k']].iloc[0].tolist()",
            "left_words": "sum(len(mk.tokenize.tokenize(t)) for t in "
            "articles.loc[articles['lean'] == 'left', 'text'].fillna(''))",
            "key_sorted": "bool(key['statistic'].is_monotonic_decreasing)",
            "directions": "sorted(key['direction'].unique())",
            "kwic_rows": "len(putin)",
            "putin_regex": "int(articles['text'].fillna('').str.count(r'(?i)\\bputin\\b').sum())",
            "dictionary_columns": "sorted(counts.columns)",
            "selected_ok": "bool(mk.matches(selected, query).all())",
        },
    )
    assert values["leans"] == ["center", "left", "right"]
    count, per_10k = values["trump_left"]
    assert per_10k == pytest.approx(count / values["left_words"] * 1e4)  # per 10,000 running words
    assert values["key_sorted"]
    assert values["directions"] == ["reference", "target"]
    assert values["kwic_rows"] == values["putin_regex"] > 0  # every occurrence, in context
    assert {"russia", "investigation", "election", "article_id"} <= set(
        values["dictionary_columns"]
    )
    assert values["selected_ok"]


def test_scale_notebook():
    values = run_notebook(
        "06_scale.ipynb",
        {"n_articles": 3000, "n_workers": 2, "processes": False},
        {
            "months": "len(months)",
            "partitions": "articles.npartitions",
            "weekly_total": "int(weekly.groupby(['period'])['total'].sum().sum())",
            "assigned": "int(sizes.sum())",
            "topic_sizes": "model.topics_['size'].tolist()",
            "predicted_sizes": "sizes.tolist()",
            "agreement": "agreement",
            "share_sums": "shares.groupby('period')['share'].sum().round(9).unique().tolist()",
        },
    )
    assert values["months"] == 12
    assert values["partitions"] >= 12
    assert values["weekly_total"] == 3000
    assert values["assigned"] == 3000
    assert values["predicted_sizes"] == values["topic_sizes"]  # predict agrees with the fit
    assert values["agreement"] >= 0.9  # the Dask fit finds the in-memory fit's topics
    assert values["share_sums"] == [1.0]


# --------------------------------------------------------------------------- claims
# Checks named by the notebooks' prose (see tests/test_notebook_claims.py): each computes
# the claim on the bundled corpus and, where the prose names a value, compares the two.
RUSSIA = "Putin OR Russia* OR Kremlin"
SUBJECTS = {
    "Russia": RUSSIA,
    "North Korea": '"North Korea" OR Pyongyang OR "Kim Jong"',
    "Immigration": "immigra* OR migrant* OR asylum",
}


def _prose(name: str) -> str:
    import nbformat

    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


@pytest.fixture(scope="module")
def cleaned():
    from mediakit import datasets

    return datasets.load_allsides(clean=True)


def test_04_yearly_shares(cleaned):
    import mediakit as mk

    weekly = mk.coverage(cleaned, freq="W", by="lean", query={"Russia": RUSSIA})
    yearly = weekly.groupby("lean", observed=True)[["count", "total"]].sum()
    share = (yearly["count"] / yearly["total"]).to_dict()
    assert 0.25 <= share["left"] <= 0.35 and 0.25 <= share["center"] <= 0.35  # three in ten
    assert 0.2 <= share["right"] < 0.27  # about one in four


def test_04_helsinki_and_election_weeks(cleaned):
    import mediakit as mk

    summit = pd.Timestamp("2018-07-16", tz="UTC")
    election = pd.Timestamp("2018-03-12", tz="UTC")  # the week holding Sunday 18 March
    weekly = mk.coverage(cleaned, freq="W", by="lean", query={"Russia": RUSSIA})
    every = mk.detect_spikes(weekly, all_periods=True)
    spikes = every[every["spike"]]
    flagged = {(str(r.lean), r.period) for r in spikes.itertuples()}
    week_before = summit - pd.Timedelta(weeks=1)
    assert flagged == {("right", summit), ("right", week_before)}
    # "just under the threshold": center's summit and election weeks
    center = every[every["lean"] == "center"].set_index("period")["z"]
    assert 2.0 <= center[summit] < 2.5 and 2.0 <= center[election] < 2.5
    highest = weekly.loc[weekly.groupby("lean", observed=True)["share"].idxmax()]
    highest = dict(zip(highest["lean"].astype(str), highest["period"], strict=True))
    assert highest["center"] == highest["right"] == summit
    assert highest["left"].month_name() == "April"
    prose = _prose("04_coverage_timelines.ipynb")
    assert "in April" in prose and "highest share together" not in prose
    assert "for right-rated outlets only" in prose and "just under the" in prose


def test_04_subject_peaks(cleaned):
    import mediakit as mk

    monthly = mk.coverage(cleaned, freq="MS", query=SUBJECTS)
    ranked = monthly.sort_values("share", ascending=False).groupby("query")["period"]
    first = ranked.first().dt.month_name().to_dict()
    second = ranked.nth(1).dt.month_name().tolist()
    assert first["North Korea"] == "May"
    assert first["Immigration"] == "January" and "June" in second
    prose = _prose("04_coverage_timelines.ipynb")
    assert f"North Korea (highest in {first['North Korea']}" in prose
    assert f"immigration (highest in {first['Immigration']}" in prose


@pytest.fixture(scope="module")
def twelve_topics(cleaned):
    import mediakit as mk

    model = mk.TopicModel(12, random_state=0).fit(cleaned)  # the notebook's parameters
    return model, model.topics_over_time(cleaned, freq="MS")


def test_03_named_topics_exist(twelve_topics):
    import re

    model, _ = twelve_topics
    prose = _prose("03_topic_clusters.ipynb")
    bullet = next(line for line in prose.split("\n- ") if "recognisable beats" in line)
    named = re.findall(r"\*(\w+)\*", bullet)
    labels = " ".join(model.topics_["label"]).replace(",", " ").split()
    assert len(named) >= 8
    assert [term for term in named if term not in labels] == []


def test_03_event_topics_peak_when_the_prose_says(twelve_topics):
    model, over_time = twelve_topics
    months = {}
    for label, rows in over_time.groupby("label"):
        ranked = rows.sort_values("share", ascending=False)["period"].dt.month_name()
        for term in label.split(", "):  # a topic is found by any of its label terms
            months[term] = ranked.head(2).tolist()
    assert months["shutdown"] == ["January", "December"]
    assert months["gun"][0] == "February"
    assert months["kavanaugh"][0] == "September"
    assert months["border"][0] == "June"
    assert months["voters"][0] == "November"


def test_02_house_style_terms(cleaned):
    import mediakit as mk

    key = mk.keyness(cleaned, {"lean": "right"}, reference={"lean": "left"}, min_count=10)
    right = key.loc[key["direction"] == "target", "term"].tolist()
    assert right[:2] == ["mr", "u.s."] and "ms" in right[:5]
    assert '"mr", "u.s." and "ms"' in _prose("02_term_frequencies.ipynb")
