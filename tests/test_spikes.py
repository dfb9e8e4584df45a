"""detect_spikes on the bundled corpus, on known series and on planted spikes; Wilson
intervals of coverage shares."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mediakit as mk
from mediakit.timeline import (
    SmoothedTimelineWarning,
    coverage,
    detect_spikes,
    wilson_interval,
)

SUMMIT = pd.Timestamp("2018-07-16", tz="UTC")


def _series(counts, totals=None, partial=None):
    n = len(counts)
    totals = counts if totals is None else totals
    return pd.DataFrame(
        {
            "period": pd.date_range("2018-01-01", periods=n, freq="W-MON", tz="UTC"),
            "query": "all",
            "count": counts,
            "total": totals,
            "share": np.asarray(counts, dtype=float) / np.asarray(totals, dtype=float),
            "partial": [False] * n if partial is None else partial,
        }
    )


# --------------------------------------------------------------------------- measure
def test_spikes_of_a_query_are_measured_on_shares(allsides):
    weekly = coverage(allsides, freq="W", by="lean", query={"Putin": "Putin"})
    spikes = detect_spikes(weekly)
    assert spikes.attrs["value"] == "share"
    # the Helsinki summit moved every lean's share of coverage
    summit = spikes[spikes["period"] == SUMMIT]
    assert summit["lean"].tolist() == ["left", "center", "right"]
    assert (summit["excess"] == summit["share"] - summit["baseline"]).all()
    # counts stay available on request, and without a query counts are the measure
    assert detect_spikes(weekly, value="count").attrs["value"] == "count"
    assert detect_spikes(coverage(allsides, freq="W")).attrs["value"] == "count"


def test_top_spike_of_a_lean_is_not_its_usual_level(allsides):
    """A week at the lean's yearly share is no spike (counts flagged 3 December 2018)."""
    articles = mk.datasets.load_allsides(clean=True)
    weekly = coverage(articles, freq="W", by="lean", query="Putin OR Russia* OR Kremlin")
    spikes = detect_spikes(weekly)
    yearly = weekly.groupby("lean", observed=True)[["count", "total"]].sum()
    yearly = yearly["count"] / yearly["total"]
    for lean, rows in spikes.groupby("lean", observed=True):
        assert (rows["share"] > yearly[lean] + 0.1).all(), lean
    left = spikes[spikes["lean"] == "left"]
    assert pd.Timestamp("2018-12-03", tz="UTC") not in set(left["period"])
    assert SUMMIT in set(spikes["period"])


def test_smoothed_timelines_warn(allsides):
    smoothed = coverage(allsides, freq="W", query="Putin", smooth=4)
    with pytest.warns(SmoothedTimelineWarning, match="smooth="):
        detect_spikes(smoothed)
    raw = coverage(allsides, freq="W", query="Putin")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", SmoothedTimelineWarning)
        detect_spikes(raw)


# --------------------------------------------------------------------------- rule
def test_spike_rule_on_a_known_series():
    counts = [30, 34, 31, 35, 33, 30, 34, 31, 80, 32, 30, 34, 31, 33, 35, 30]
    timeline = _series(counts, partial=[False] * 15 + [True])
    every = detect_spikes(timeline, value="count", all_periods=True)
    spikes = every[every["spike"]]
    assert spikes["period"].tolist() == [pd.Timestamp("2018-02-26", tz="UTC")]
    i = 8
    # the 8 neighbours without the highest and the lowest
    neighbours = sorted(counts[i - 4 : i] + counts[i + 1 : i + 5])
    baseline = np.mean(neighbours[1:-1])
    assert spikes["baseline"].iloc[0] == pytest.approx(baseline)
    # the noise is never below Poisson noise of the baseline, and z divides by it
    assert (every["noise"] >= np.sqrt(every["baseline"]) - 1e-9).all()
    z = spikes["z"].iloc[0]
    assert z == pytest.approx((80 - baseline) / spikes["noise"].iloc[0])
    assert z <= (80 - baseline) / np.sqrt(baseline) + 1e-9
    assert detect_spikes(timeline, value="count", min_count=81).empty
    assert detect_spikes(timeline, value="count", threshold=z + 0.01).empty
    # the partial last week is never judged a spike nor enters a baseline
    assert not every["spike"].iloc[-1]


def test_a_lasting_rise_is_not_a_spike():
    rng = np.random.default_rng(0)
    low, high = rng.poisson(40, 20), rng.poisson(90, 20)
    shifted = _series(np.concatenate([low, high]).tolist())
    spikes = detect_spikes(shifted, value="count")
    assert spikes.empty, spikes[["period", "count", "baseline", "z"]]
    with_spike = np.concatenate([low, high])
    with_spike[30] = 160
    found = detect_spikes(_series(with_spike.tolist()), value="count")
    assert found["period"].tolist() == [shifted["period"].iloc[30]]


def test_planted_spikes_are_found():
    """The acceptance bar on the benchmark's series, a fresh seed (not the scoring set):
    spikes of +4 sigma and more found with recall and precision of at least .9, at most
    one false alarm per 100 quiet weeks."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from spikes import score, synthetic_series

    timeline, planted = synthetic_series(120, seed=7)
    table = score(timeline, planted).set_index("spike size")
    assert table.loc["+4 sigma and more", "recall"] >= 0.9
    assert table.loc["+4 sigma and more", "precision"] >= 0.9
    assert 100 * table.attrs["false_alarms"] / table.attrs["quiet"] <= 1.0
    # bigger spikes are found more often
    recall = table["recall"]
    assert recall["+3 sigma"] < recall["+4 sigma"] < recall["+5 sigma"]


def test_noise_is_one_dispersion_per_series_fitted_robustly():
    """A series with a few big spikes gets about the dispersion it was drawn with."""
    rng = np.random.default_rng(11)
    mu = np.full(150, 200.0)
    counts = rng.negative_binomial(50, 50 / (50 + mu)).astype(float)  # var mu + mu^2 / 50
    counts[[30, 70, 110]] += 300
    every = detect_spikes(_series(counts.astype(int).tolist()), value="count", all_periods=True)
    dispersion = (every["noise"] ** 2 - every["baseline"]) / every["baseline"] ** 2
    assert dispersion.round(10).nunique() == 1  # one figure per series
    assert 0.6 / 50 < dispersion.iloc[0] < 1.6 / 50
    assert (
        every.loc[every["spike"], "period"].tolist() == every["period"].iloc[[30, 70, 110]].tolist()
    )


def test_spikes_of_shares_use_binomial_noise():
    """Shares: the noise is never below the binomial noise of the week's total."""
    rng = np.random.default_rng(3)
    totals = rng.integers(80, 400, 60)
    counts = rng.binomial(totals, 0.2)
    counts[40] = int(totals[40] * 0.45)
    timeline = _series(counts.tolist(), totals=totals.tolist())
    every = detect_spikes(timeline, value="share", all_periods=True)
    p = every["baseline"]
    assert (every["noise"] >= np.sqrt(p * (1 - p) / every["total"]) - 1e-12).all()
    assert every["spike"].iloc[40] and every["z"].idxmax() == 40
    # binomial noise explains these shares: little dispersion is left
    dispersion = (every["noise"] ** 2 - p * (1 - p) / every["total"]) / p**2
    assert dispersion.max() < 0.005


# --------------------------------------------------------------------------- intervals
def test_wilson_intervals_equal_statsmodels(allsides):
    from statsmodels.stats.proportion import proportion_confint

    weekly = coverage(allsides, freq="W", by="lean", query="Putin")
    assert list(weekly.columns[weekly.columns.get_loc("share") :][:3]) == [
        "share",
        "share_low",
        "share_high",
    ]
    rows = weekly[weekly["total"] > 0]
    low, high = proportion_confint(rows["count"], rows["total"], alpha=0.05, method="wilson")
    np.testing.assert_allclose(rows["share_low"], low, rtol=0, atol=1e-12)
    np.testing.assert_allclose(rows["share_high"], high, rtol=0, atol=1e-12)
    assert weekly.loc[weekly["total"] == 0, ["share_low", "share_high"]].isna().all().all()
    # a week of 20 articles is less sure than a week of 400 with the same share
    (small_low, big_low), (small_high, big_high) = wilson_interval([8, 160], [20, 400])
    assert small_high - small_low > 2 * (big_high - big_low)


def test_wilson_interval_checks_confidence():
    with pytest.raises(ValueError, match=r"'confidence' .* Got 95"):
        wilson_interval([1], [2], confidence=95)
    from statsmodels.stats.proportion import proportion_confint

    low, high = wilson_interval([3, 0, 10], [10, 10, 10], confidence=0.9)
    expected = proportion_confint([3, 0, 10], [10, 10, 10], alpha=0.1, method="wilson")
    np.testing.assert_allclose(low, expected[0], atol=1e-12)
    np.testing.assert_allclose(high, expected[1], atol=1e-12)
