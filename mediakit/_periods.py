"""Periods of a timeline: where each period starts, which are partial, and smoothing.

Shared by :func:`mediakit.coverage` and the timeline plots, so that a period means the
same thing in a table and in a figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Aliases pandas 3 no longer reads as offsets, mapped to their period-start spelling.
FREQ_ALIASES = {"M": "MS", "Q": "QS", "Y": "YS", "A": "YS"}


def period_offset(freq: object) -> tuple[pd.DateOffset, bool]:
    """The offset stepping from one period start to the next, and whether it is sub-daily.

    End-anchored aliases become their start-anchored twins ("ME" -> "MS",
    "QE-DEC" -> "QS-JAN") and weekly aliases follow pandas' periods: "W" (= "W-SUN")
    is the week *ending* Sunday, so its periods start on Monday.
    """
    from pandas.tseries import offsets
    from pandas.tseries.frequencies import to_offset

    alias = FREQ_ALIASES.get(freq, freq) if isinstance(freq, str) else freq
    try:
        offset = to_offset(alias)
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"The 'freq' parameter of coverage must be a pandas offset alias such as 'D', 'W', "
            f"'M' (month), 'QS' or '2W'. Got {freq!r} instead ({error})."
        ) from None
    n = offset.n
    if n < 1:
        raise ValueError(
            f"The 'freq' parameter of coverage must step forward in time. Got {freq!r} instead."
        )
    if isinstance(offset, offsets.Week):
        if offset.weekday is None:
            return offsets.Day(7 * n), False
        return offsets.Week(n=n, weekday=(offset.weekday + 1) % 7), False
    if isinstance(offset, offsets.MonthEnd):
        return offsets.MonthBegin(n), False
    if isinstance(offset, offsets.QuarterEnd):
        return offsets.QuarterBegin(n, startingMonth=offset.startingMonth % 12 + 1), False
    if isinstance(offset, offsets.YearEnd):
        return offsets.YearBegin(n, month=offset.month % 12 + 1), False
    if isinstance(offset, offsets.Tick):
        if pd.Timedelta(offset) <= pd.Timedelta(0) or pd.Timedelta(days=1) % pd.Timedelta(offset):
            raise ValueError(
                f"The 'freq' parameter of coverage must divide a day evenly when it is shorter "
                f"than a day (like 'h', '6h', '30min'). Got {freq!r} instead."
            )
        return offset, True
    return offset, False


def first_start(first: pd.Timestamp, step: pd.DateOffset, sub_daily: bool) -> pd.Timestamp:
    """The start of the period holding ``first`` (naive wall-clock time)."""
    from pandas.tseries import offsets

    day = first.normalize()
    if sub_daily:
        tick = pd.Timedelta(step)
        return day + ((first - day) // tick) * tick
    if isinstance(step, offsets.Day):
        return day
    single = step.base  # same anchor, n=1: multiples count from the period holding `first`
    return single.rollback(day)


def period_edges(
    first: pd.Timestamp, last: pd.Timestamp, freq: object
) -> tuple[pd.DatetimeIndex, bool]:
    """Period starts from the one holding ``first`` to one past the one holding ``last``."""
    step, sub_daily = period_offset(freq)
    start = first_start(first, step, sub_daily)
    edges = pd.date_range(start, last, freq=step, unit="us")
    if len(edges) == 0 or edges[0] != start:
        edges = pd.DatetimeIndex([start]).as_unit("us").append(edges)
    return edges.append(pd.DatetimeIndex([edges[-1] + step]).as_unit("us")), sub_daily


def smooth_series(values: np.ndarray, partial: np.ndarray, window: int) -> np.ndarray:
    """Centred rolling mean along the last axis, leaving partial periods out of the windows."""
    flat = values.reshape(-1, values.shape[-1]).astype("float64")
    masked = np.where(partial[None, :], np.nan, flat)
    rolled = pd.DataFrame(masked.T).rolling(window, center=True, min_periods=1).mean().to_numpy().T
    rolled = np.where(np.isnan(rolled), flat, rolled)  # no full period in the window: keep raw
    return rolled.reshape(values.shape)
