"""Every notebook runs top to bottom with small parameters; values it computes are checked."""

from __future__ import annotations

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
            "lines": "len(fig.axes[0].lines)",
        },
    )
    assert values["by_lean"] == {"left": 1132, "center": 1360, "right": 1695}
    assert values["total"] == 4187
    assert values["lines"] == 3


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
        },
    )
    assert values["n_topics"] == 6
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
