"""The numbers behind :func:`mediakit.detect_spikes`: each period's baseline and noise.

One series at a time (one group and query of a coverage frame, in period order):

- the *baseline* of a period is a trimmed mean of the ``window`` usable periods before it
  and the ``window`` after it (the period itself left out, so a spike never raises its own
  baseline; the highest and lowest sixth of the neighbours dropped, so another spike or a
  holiday dip among them does not move it). When the medians of the two sides differ by
  more than :data:`SHIFT` noise sds, the level moved: the baseline is the higher side's
  median, so a lasting rise is not a spike;
- the *noise* of a period is ``sqrt(sampling + dispersion * baseline**2)``: sampling noise
  (Poisson for counts, binomial for shares) plus a relative noise of the underlying rate,
  ``dispersion`` estimated once per series from all its periods' deviations from their
  baselines by a winsorized fit (deviations beyond :data:`WINSOR` sds count as that many),
  so spikes, level shifts and holiday dips barely move it. One figure per series is far
  steadier than a spread measured on a few neighbouring periods.

The constants were chosen on the tuning set of ``benchmarks/spikes.py``.
"""

from __future__ import annotations

import math

import numpy as np

#: Side medians further apart than this many noise sds mark a level shift.
SHIFT = 3.0
#: Deviations are counted as at most this many noise sds when the dispersion is fitted.
WINSOR = 2.0
#: Share of the neighbours dropped at each end before their mean is taken.
TRIM = 1 / 6


def _winsorized_square_mean(c: float) -> float:
    """E[min(Z**2, c**2)] for a standard normal Z."""
    tail = math.erfc(c / math.sqrt(2))
    density = math.exp(-c * c / 2) / math.sqrt(2 * math.pi)
    return (1 - tail) - 2 * c * density + c * c * tail


_TARGET = _winsorized_square_mean(WINSOR)


def _windows(values: np.ndarray, window: int) -> np.ndarray:
    """Row i holds the ``window`` values before i (NaN where absent)."""
    padded = np.concatenate([np.full(window, np.nan), values])
    return np.lib.stride_tricks.sliding_window_view(padded, window)[: len(values)].copy()


def _trimmed_mean(rows: np.ndarray) -> np.ndarray:
    """Mean of each row's non-NaN values without the highest and lowest :data:`TRIM`."""
    ordered = np.sort(rows, axis=1)  # NaN sort last
    n = np.sum(~np.isnan(rows), axis=1)
    cut = np.floor(n * TRIM).astype(int)
    rank = np.arange(rows.shape[1])[None, :]
    keep = (rank >= cut[:, None]) & (rank < (n - cut)[:, None])
    total = np.where(keep, ordered, 0.0).sum(axis=1)
    kept = keep.sum(axis=1)
    return np.where(kept > 0, total / np.where(kept > 0, kept, 1), np.nan)


def neighbour_levels(
    values: np.ndarray, usable: np.ndarray, window: int, min_periods: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median of the periods before, median of the periods after, trimmed mean of both.

    A side counts only with at least ``min_periods`` usable periods; periods that are not
    ``usable`` (partial or missing) never count.
    """
    history = np.where(usable, values, np.nan).astype("float64")
    before = _windows(history, window)
    after = _windows(history[::-1], window)[::-1]
    sides = []
    for rows in (before, after):
        rows[np.sum(~np.isnan(rows), axis=1) < min_periods] = np.nan  # too few: side unused
        sides.append(_nanmedian(rows))
    pooled = _trimmed_mean(np.concatenate([before, after], axis=1))
    return sides[0], sides[1], pooled


def _nanmedian(rows: np.ndarray) -> np.ndarray:
    out = np.full(rows.shape[0], np.nan)
    some = ~np.all(np.isnan(rows), axis=1)
    if some.any():
        out[some] = np.nanmedian(rows[some], axis=1)
    return out


def fit_dispersion(deviations: np.ndarray, sampling: np.ndarray, relative: np.ndarray) -> float:
    """The ``phi >= 0`` for which deviations have variance ``sampling + phi * relative``.

    Winsorized moment fit: the mean of ``min(d**2 / var, WINSOR**2)`` is set to its value
    for normal noise, by bisection. 0 when sampling noise alone explains the deviations;
    NaN when no period has a deviation.
    """
    ok = ~np.isnan(deviations) & ~np.isnan(sampling) & (relative > 0)
    if not ok.any():
        return float("nan")
    d2, v, m = deviations[ok] ** 2, sampling[ok], relative[ok]
    cap = WINSOR * WINSOR

    def stat(phi: float) -> float:
        var = v + phi * m
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(var > 0, d2 / np.where(var > 0, var, 1), np.where(d2 > 0, cap, 0))
        return float(np.mean(np.minimum(ratio, cap)))

    if stat(0.0) <= _TARGET:
        return 0.0
    low, high = 0.0, float(np.max(d2 / m)) / _TARGET + 1e-300
    for _ in range(60):
        middle = (low + high) / 2
        if stat(middle) > _TARGET:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def baseline_and_noise(
    values: np.ndarray,
    usable: np.ndarray,
    noise_parts: NoiseParts,
    window: int,
    min_periods: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Baseline and noise sd of each period of one series (see the module docstring)."""
    before, after, pooled = neighbour_levels(values, usable, window, min_periods)
    deviations = np.where(usable, values - pooled, np.nan)
    sampling, relative = noise_parts(pooled)
    phi = fit_dispersion(deviations, sampling, relative)
    if np.isnan(phi):  # no deviation to fit: sampling noise only
        phi = 0.0
    noise = np.sqrt(sampling + phi * relative)
    with np.errstate(invalid="ignore"):
        shifted = np.abs(before - after) > SHIFT * noise
    baseline = np.where(shifted, np.fmax(before, after), pooled)
    sampling, relative = noise_parts(baseline)
    return baseline, np.sqrt(sampling + phi * relative)


class NoiseParts:
    """Sampling variance and the multiplier of the dispersion at a given baseline.

    Counts: ``(baseline, baseline**2)`` (Poisson plus a relative noise of the rate);
    shares: ``(p (1 - p) / total, p**2)`` (binomial plus a relative noise); any other
    column: ``(0, 1)`` (one noise variance for the series).
    """

    def __init__(self, kind: str, total: np.ndarray | None = None) -> None:
        self.kind = kind
        self.total = total

    def __call__(self, baseline: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.kind == "count":
                level = np.clip(baseline, 0, None)
                return level, level**2
            if self.kind == "share" and self.total is not None:
                p = np.clip(baseline, 0, 1)
                total = np.where(self.total > 0, self.total, np.nan)
                return p * (1 - p) / total, p**2
        return np.zeros_like(baseline), np.ones_like(baseline)
