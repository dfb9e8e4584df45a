"""Coverage timelines and spikes on the bundled corpora and small realistic frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit.schema import as_articles
from mediakit.timeline import UndatedArticlesWarning, coverage, detect_spikes


def _week_start(dates: pd.Series) -> pd.Series:
    """Monday 00:00 UTC of each date's week, written independently of mediakit."""
    days = dates.dt.tz_convert("UTC").dt.normalize()
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def _frame(dates: list[str], outlets: list[str] | None = None) -> pd.DataFrame:
    n = len(dates)
    return as_articles(
        pd.DataFrame(
            {
                "article_id": [f"a{i}" for i in range(n)],
                "outlet": outlets or ["Daily Planet"] * n,
                "title": [f"Story {i}" for i in range(n)],
                "text": [f"Body of story {i}." for i in range(n)],
                "published": pd.to_datetime(dates, utc=True, format="ISO8601"),
            }
        )
    )


# --------------------------------------------------------------------------- counts
def test_weekly_counts_by_outlet_equal_a_pandas_groupby(allsides):
    result = coverage(allsides, freq="W", by="outlet")
    expected = (
        allsides.assign(period=_week_start(allsides["published"]))
        .groupby(["period", "outlet"])
        .size()
    )
    weeks = pd.date_range("2018-01-01", "2018-12-31", freq="W-MON", tz="UTC")
    assert len(result) == len(weeks) * allsides["outlet"].nunique()
    assert result["period"].unique().tolist() == list(weeks)
    got = result.set_index(["period", "outlet"])["count"]
    nonzero = got[got > 0]
    pd.testing.assert_series_equal(
        nonzero.sort_index(), expected.sort_index(), check_names=False, check_index_type=False
    )
    assert got.sum() == len(allsides)
    assert (result["query"] == "all").all()
    assert (result["count"] == result["total"]).all()
    # every outlet has every week, with zeros where it published nothing
    assert result.groupby("outlet", observed=True).size().nunique() == 1
    assert (got == 0).sum() == len(got) - len(expected)


def test_reuters_monthly_gaps_appear_as_zero_and_edges_are_partial(reuters):
    result = coverage(reuters, freq="M")
    months = reuters["published"].dt.tz_localize(None).dt.to_period("M").value_counts()
    assert result["period"].dt.strftime("%Y-%m").tolist() == [f"1987-{m:02d}" for m in range(2, 11)]
    counts = dict(zip(result["period"].dt.strftime("%Y-%m"), result["count"], strict=True))
    for month in ("1987-05", "1987-07", "1987-08", "1987-09"):
        assert counts[month] == 0
    for period, n in months.items():
        assert counts[str(period)] == n
    # stories run from 26 February to 20 October: both edge months are partial
    assert result["partial"].tolist() == [True] + [False] * 7 + [True]
    assert result.loc[result["total"] == 0, "share"].isna().all()
    assert str(result["period"].dt.tz) == "UTC"


def test_month_aliases_agree(reuters):
    by_m = coverage(reuters, freq="M")
    pd.testing.assert_frame_equal(by_m, coverage(reuters, freq="MS"))
    pd.testing.assert_frame_equal(by_m, coverage(reuters, freq="ME"))


def test_query_counts_and_shares(allsides):
    result = coverage(allsides, freq="W", by="lean", query="Putin")
    hits = mk.matches(allsides, "Putin")
    expected = (
        allsides[hits]
        .assign(period=_week_start(allsides.loc[hits, "published"]))
        .groupby(["period", "lean"], observed=True)
        .size()
    )
    got = result.set_index(["period", "lean"])["count"]
    assert got.sum() == hits.sum() == expected.sum()
    assert (got[expected.index] == expected).all()
    totals = (
        allsides.assign(period=_week_start(allsides["published"]))
        .groupby(["period", "lean"], observed=True)
        .size()
    )
    assert (result.set_index(["period", "lean"])["total"][totals.index] == totals).all()
    np.testing.assert_allclose(result["share"], result["count"] / result["total"])
    assert (result["query"] == "Putin").all()
    assert result["lean"].cat.categories.tolist() == ["left", "center", "right"]


def test_named_queries_give_one_series_each(allsides):
    queries = {"Russia": "Putin OR Kremlin OR Moscow", "trade": "tariff*"}
    result = coverage(allsides, freq="MS", query=queries)
    assert result["query"].unique().tolist() == ["Russia", "trade"]
    for name, query in queries.items():
        series = result[result["query"] == name]
        assert series["count"].sum() == mk.matches(allsides, query).sum()
        assert (series["total"].to_numpy() <= series["total"].max()).all()
    # both series share the totals of the period
    pivot = result.pivot(index="period", columns="query", values="total")
    assert (pivot["Russia"] == pivot["trade"]).all()
    assert result.groupby("query")["total"].sum().eq(len(allsides)).all()


def test_a_query_mask_can_stand_for_a_query(allsides):
    mask = allsides["topic"].eq("elections")
    result = coverage(allsides, freq="QS", query={"elections": mask})
    assert result["count"].sum() == mask.sum()
    assert result["period"].dt.month.tolist() == [1, 4, 7, 10]


def test_masks_missing_groups_and_undated_rows_together():
    articles = _frame(
        ["2018-01-03", "2018-01-04", "2018-01-05", "2018-01-20"],
        outlets=["Daily Planet", None, "Daily Planet", "Bugle"],
    )
    articles.loc[2, "published"] = pd.NaT
    planet = articles["outlet"].eq("Daily Planet")
    with pytest.warns(UndatedArticlesWarning, match="1 of 4"):
        result = coverage(articles, by="outlet", query={"planet": planet, "story": "story"})
    # outlets sorted, a missing outlet is its own group, last
    assert result["outlet"].iloc[:6].tolist()[::2] == ["Bugle", "Daily Planet", pd.NA]
    first_week = result[result["period"] == pd.Timestamp("2018-01-01", tz="UTC")]
    assert first_week["count"].tolist() == [0, 0, 1, 1, 0, 1]
    assert first_week["total"].tolist() == [0, 0, 1, 1, 1, 1]
    assert result["count"].sum() == 1 + 3
    with (
        pytest.raises(ValueError, match=r"'query' entry 'short' .* length 2"),
        pytest.warns(UndatedArticlesWarning),
    ):
        coverage(articles, query={"short": [True, False]})


def test_no_dated_articles_give_an_empty_frame():
    articles = _frame(["2018-01-03"]).assign(published=pd.NaT)
    with pytest.warns(UndatedArticlesWarning, match="1 of 1"):
        result = coverage(articles, by="outlet")
    assert result.empty
    assert result.columns.tolist() == ["period", "outlet", "query", "count", "total"] + [
        "share",
        "share_low",
        "share_high",
        "partial",
    ]


def test_groups_by_several_columns_keep_observed_combinations(allsides):
    result = coverage(allsides, freq="MS", by=["lean", "outlet"])
    pairs = allsides[["lean", "outlet"]].drop_duplicates()
    assert len(result) == 12 * len(pairs)
    assert result["count"].sum() == len(allsides)
    check = result.groupby(["lean", "outlet"], observed=True)["count"].sum()
    expected = allsides.groupby(["lean", "outlet"], observed=True).size()
    assert (check.sort_index() == expected.sort_index()).all()


def test_result_does_not_depend_on_row_order_and_input_is_untouched(allsides):
    before = allsides.copy()
    shuffled = allsides.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(
        coverage(allsides, by="outlet", freq="W"), coverage(shuffled, by="outlet", freq="W")
    )
    pd.testing.assert_frame_equal(allsides, before)


# --------------------------------------------------------------------------- partial periods
def test_data_starting_mid_week_make_a_partial_first_week():
    # Wednesday 2018-03-07 to Sunday 2018-03-25: first week partial, last week complete
    articles = _frame(["2018-03-07 09:00", "2018-03-14 12:00", "2018-03-20 08:00", "2018-03-25"])
    result = coverage(articles, freq="W")
    assert result["period"].dt.strftime("%m-%d").tolist() == ["03-05", "03-12", "03-19"]
    assert result["partial"].tolist() == [True, False, False]
    assert result["count"].tolist() == [1, 1, 2]


def test_whole_days_are_not_partial_but_a_short_last_month_is():
    articles = _frame(["2018-01-01 10:00", "2018-01-02 23:59", "2018-02-10 13:00"])
    daily = coverage(articles, freq="D")
    assert len(daily) == 41
    assert not daily["partial"].any()
    assert daily["count"].sum() == 3
    assert (daily["count"] == 0).sum() == 38
    monthly = coverage(articles, freq="M")
    assert monthly["partial"].tolist() == [False, True]


def test_time_zone_moves_late_evening_articles_to_the_next_local_day():
    # 23:30 UTC on Sunday 4 March is 00:30 on Monday 5 March in Berlin
    articles = _frame(["2018-03-01 12:00", "2018-03-04 23:30", "2018-03-06 12:00"])
    utc = coverage(articles, freq="W")
    assert utc["count"].tolist() == [2, 1]
    berlin = coverage(articles, freq="W", tz="Europe/Berlin")
    assert berlin["count"].tolist() == [1, 2]
    assert str(berlin["period"].dt.tz) == "Europe/Berlin"
    assert berlin["period"].iloc[1] == pd.Timestamp("2018-03-05", tz="Europe/Berlin")


def test_multiples_and_sub_daily_frequencies():
    articles = _frame(["2018-03-05 00:10", "2018-03-05 05:50", "2018-03-05 06:00", "2018-03-19"])
    fortnights = coverage(articles, freq="2W")
    assert fortnights["period"].dt.strftime("%m-%d").tolist() == ["03-05", "03-19"]
    assert fortnights["count"].tolist() == [3, 1]
    six_hours = coverage(articles.iloc[:3], freq="6h")
    assert six_hours["count"].tolist() == [2, 1]
    assert six_hours["period"].dt.hour.tolist() == [0, 6]


def test_undated_articles_are_left_out_with_a_warning(allsides):
    undated = allsides.copy()
    undated.loc[undated.index[:25], "published"] = pd.NaT
    with pytest.warns(UndatedArticlesWarning, match=r"25 of 4187 articles have no date"):
        result = coverage(undated, freq="MS", by="lean")
    assert result["count"].sum() == len(allsides) - 25
    dated = coverage(undated.iloc[25:], freq="MS", by="lean")
    pd.testing.assert_frame_equal(result, dated)


def test_smoothing_is_a_centred_mean_that_skips_partial_periods():
    dates = (
        ["2018-01-03"]  # partial first week (starts Wednesday)
        + ["2018-01-08"] * 4
        + ["2018-01-15"] * 8
        + ["2018-01-22"] * 2
        + ["2018-01-29"] * 6
        + ["2018-02-05"]  # partial last week (ends Monday)
    )
    raw = coverage(_frame(dates), freq="W")
    assert raw["count"].tolist() == [1, 4, 8, 2, 6, 1]
    assert raw["partial"].tolist() == [True, False, False, False, False, True]
    smoothed = coverage(_frame(dates), freq="W", smooth=3)
    np.testing.assert_allclose(smoothed["count"], [4, 6, 14 / 3, 16 / 3, 4, 6])
    np.testing.assert_allclose(smoothed["share"], 1.0)


def test_accessor_matches_the_function(reuters):
    pd.testing.assert_frame_equal(reuters.media.coverage(freq="D"), coverage(reuters, freq="D"))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"freq": "fortnightly"}, ValueError, r"'freq' parameter .* Got 'fortnightly'"),
        ({"freq": "7min"}, ValueError, r"divide a day evenly .* Got '7min'"),
        ({"by": "owner"}, KeyError, r"'by' parameter .* \['owner'\]"),
        ({"by": "count"}, ValueError, r"cannot use the column names"),
        ({"date_column": "date"}, KeyError, r"'date_column' .* 'date'"),
        ({"smooth": 0}, ValueError, r"'smooth' parameter .* Got 0"),
        ({"tz": "Mars/Olympus"}, ValueError, r"'tz' parameter .* 'Mars/Olympus'"),
        ({"query": {}}, ValueError, r"empty dict"),
        ({"query": 5}, TypeError, r"'query' parameter .* Got int"),
        ({"query": "Putin AND"}, ValueError, r"Could not parse the 'query'"),
    ],
)
def test_errors_name_the_argument(reuters, kwargs, error, match):
    with pytest.raises(error, match=match):
        coverage(reuters.head(50), **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"value": "volume"}, KeyError, r"no column 'volume'"),
        ({"value": "query"}, ValueError, r"'value' parameter .* 'query'"),
        ({"window": 1}, ValueError, r"'window' parameter .* Got 1"),
        ({"min_periods": 20}, ValueError, r"'min_periods' .* Got 20"),
    ],
)
def test_spike_errors_name_the_argument(reuters, kwargs, error, match):
    with pytest.raises(error, match=match):
        detect_spikes(coverage(reuters, freq="W"), **kwargs)
