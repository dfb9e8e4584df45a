"""Notebooks 01 (collect and clean) and 05 (case study) run with small parameters and
compute what their text says."""

from __future__ import annotations

import pytest

from tests.notebook_runner import run_notebook

pytestmark = pytest.mark.notebooks


def test_collect_and_clean_notebook():
    values = run_notebook(
        "01_collect_and_clean.ipynb",
        {"n_fetch": 3, "top_outlets": 5},
        {
            "statuses": "report['status'].astype(str).value_counts().to_dict()",
            "reasons": "dict(zip(report['path'].str.rsplit('/', n=1).str[-1], "
            "report['reason'].fillna('')))",
            "dup_groups": "articles['dup_group'].dropna().tolist()",
            "seed": "[str(seed['published'].date()), seed['date_source'], seed['outlet']]",
            "seed_clean": "'FacebookTwitterWhatsappLinkedin' not in seed['text'] "
            "and seed['text'].startswith('The Kremlin said on Tuesday')",
            "seed_removed": "record['lines_removed']",
            "fetch_statuses": "fetch_report['status'].tolist()",
            "http_statuses": "fetch_report['http_status'].tolist()",
            "fetched": "len(fetched)",
            "fetched_titles": "fetched['title'].tolist() == served['title'].tolist()",
            "rerun_cached": "rerun_report['from_cache'].tolist()",
            "server_closed": "server.socket.fileno() == -1",
            "lines_total": "int(by_outlet['lines_removed'].sum()) == "
            "int(cleaned['lines_removed'].sum())",
            "example_gone": "bool(example_removed) and not any(line in "
            "cleaned.set_index('article_id').loc[example_id, 'text'].splitlines() "
            "for line in example_removed)",
            "example_outlet": "cleaned.set_index('article_id').loc[example_id, 'outlet']",
            "bars": "len(fig.axes[0].patches)",
            "undated": "int(table['published'].isna().sum())",
            "undated_by_outlet": "int(missing_dates['missing'].sum())",
            "table_rows": "len(table)",
            "no_text_part": "table_report.loc[table_report['status'] == 'no_text', 'part'].tolist()",
            "dup_named_by_smallest": "bool((dups.groupby('dup_group')['article_id'].min() "
            "== dups.groupby('dup_group')['article_id'].min().index).all())",
            "dup_sizes": "dups['dup_group'].value_counts().min()",
            "n_groups": "len(shared)",
        },
    )
    # every input file has a report row with what became of it
    assert values["statuses"] == {"loaded": 4, "duplicate": 1, "empty": 1, "unsupported": 1}
    assert "PDF" in values["reasons"]["kremlin_statement.pdf"]
    assert values["reasons"]["reuters_wire_failed_download.html"] == "the file is empty"
    assert len(values["dup_groups"]) == 2 and len(set(values["dup_groups"])) == 1
    # the sidecar dates and names the copied seed, which the cleaner stripped of furniture
    assert values["seed"] == ["2018-03-20", "sidecar", "DNA India"]
    assert values["seed_clean"] and values["seed_removed"] >= 5
    # the local site: every page fetched, the missing one reported, the rerun from cache
    assert values["fetch_statuses"] == ["ok"] * 3 + ["http_error"]
    assert values["http_statuses"] == [200, 200, 200, 404]
    assert values["fetched"] == 3 and values["fetched_titles"]
    assert values["rerun_cached"] == [True] * 4
    assert values["server_closed"]
    # cleaning: per-outlet totals add up, the example's removed lines are really gone
    assert values["lines_total"]
    assert values["example_gone"] and values["example_outlet"] == "USA TODAY"
    assert values["bars"] == 5
    # date audit: 4 empty cells and 3 refused values are NaT, none invented
    assert values["undated"] == values["undated_by_outlet"] == 7
    assert values["table_rows"] == 48
    assert values["no_text_part"] == ["row 14"]
    # duplicate groups are named by their smallest id and have at least two members
    assert values["dup_named_by_smallest"]
    assert values["dup_sizes"] >= 2 and values["n_groups"] >= 1


def test_case_study_notebook():
    values = run_notebook(
        "05_case_study_trump_putin_call.ipynb",
        {"keyness_until": "2018-04-01", "min_count": 3},
        {
            "seed_in": "seed['article_id'].iloc[0] in on_call_ids",
            "titles": "on_call['title'].tolist()",
            "first_day": "str(on_call['published'].min().date())",
            "n_candidates": "len(candidates)",
            "n_on_call": "len(on_call)",
            "all_match": "bool(mk.matches(on_call, call_query).all())",
            "checked": "bool(lines.loc[lines['article_id'].isin(on_call_ids), 'about_the_call']"
            ".groupby(lines['article_id']).any().all())",
            "leans": "sorted(map(str, near_terms['lean'].unique()))",
            "key_sides": "sorted(key['direction'].unique())",
            "right_articles": "int((putin['lean'] == 'right').sum())",
            "passages_shared": "bool((passages['n_outlets'] >= 2).all())",
            "passage_in_texts": "all(any(p in ' '.join(words(t)) for t in on_call['text']) "
            "for p in passages['passage'].head(5))",
            "days_total": "int(daily['total'].sum())",
            "days_rows": "len(days)",
            "calls_total": "int(calls['count'].sum())",
            "calls_in_window": "int(days['on_call'].sum())",
            "n_days": "int(daily['period'].nunique())",
            "lines_drawn": "len(fig.axes[0].lines)",
            "key_colors": "[__import__('matplotlib').colors.to_hex(key_ax.patches[i].get_facecolor()) "
            "for i in (0, -1)]",
        },
    )
    # right-rated outlets keep their colour from notebook to notebook (right, then left bars)
    from mediakit.plotting.style import LEAN_COLORS

    assert values["key_colors"] == [LEAN_COLORS["right"], LEAN_COLORS["left"]]
    assert values["seed_in"]
    assert (
        "Trump congratulates Putin after Russian president's re-election victory"
        in (values["titles"])
    )
    # no article can report the call before it happened: the KWIC check keeps only real ones
    assert values["first_day"] == "2018-03-20"
    assert values["n_candidates"] > values["n_on_call"] >= 8
    assert values["all_match"] and values["checked"]
    assert values["leans"] == ["center", "left", "right"]
    assert values["key_sides"] == ["reference", "target"]
    assert values["right_articles"] > 0
    assert values["passages_shared"] and values["passage_in_texts"]
    assert values["days_total"] == values["days_rows"]
    assert values["calls_total"] == values["calls_in_window"] > 0
    assert values["n_days"] == 17  # 15 to 31 March, empty days included
    assert values["lines_drawn"] >= 2
