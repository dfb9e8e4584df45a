"""Coverage over time: how much each outlet wrote about something, and when.

:func:`coverage` counts articles per period (and per group), optionally only those
matching a boolean query, and divides by all articles of the same period and group:
the *attention* measure of Media Cloud. The result is a tidy frame with one row per
period x group x query, in which

- every period between the first and the last dated article appears, with zero
  counts where nothing was published (for every group), so gaps are not hidden;
- the first and last periods are flagged ``partial`` when the data do not cover them
  fully (a collection that starts on a Wednesday has a partial first week), so a
  short last month is not read as a collapse;
- ``share`` is a proportion of the period's articles (``count / total``), not a
  normalised vector.

:func:`detect_spikes` then finds the periods where a series jumps above its own
recent past.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mediakit._compute import is_dask, runner_for
from mediakit._compute.groups import group_codes
from mediakit._periods import period_edges, period_offset, smooth_series
from mediakit._spikes import NoiseParts, baseline_and_noise
from mediakit._validation import as_list, require_columns
from mediakit.query import matches, parse_query
from mediakit.schema import to_utc

#: Columns of a coverage frame that are values rather than series keys.
VALUE_COLUMNS = ("period", "count", "total", "share", "share_low", "share_high", "partial")

#: Normal quantile of a two-sided 95% interval.
_Z95 = 1.959963984540054


class UndatedArticlesWarning(UserWarning):
    """Some articles have no publication date and were left out of a timeline."""


# --------------------------------------------------------------------------- helpers
def _queries(query: object) -> dict[str, object]:
    """Query name -> query (a string or a boolean mask)."""
    if query is None:
        return {"all": None}
    if isinstance(query, str):
        return {query: query}
    if isinstance(query, Mapping):
        if not query:
            raise ValueError(
                "The 'query' parameter of coverage is an empty dict. Give at least one "
                "{name: query} pair, or query=None to count all articles."
            )
        return {str(name): q for name, q in query.items()}
    if isinstance(query, Sequence) and all(isinstance(q, str) for q in query) and query:
        return {q: q for q in query}
    raise TypeError(
        f"The 'query' parameter of coverage must be None, a query string, a list of query "
        f"strings or a dict {{name: query}}. Got {type(query).__name__} instead."
    )


# --------------------------------------------------------------------------- steps
# Coverage is written once as two passes of steps over partitions of the articles (see
# mediakit._compute): the first finds the span of dates, hence the periods; the second
# counts articles per group, period and query; the totals are then finalized into the
# timeline. A pandas frame is one partition; a dask frame has many.
MASK = "__mask__"  # prefix of the columns that carry boolean query masks


def _local_dates(part: pd.DataFrame, date_column: Hashable, tz: str | None) -> pd.Series:
    dates = to_utc(part[date_column])
    return dates.dt.tz_convert(tz) if tz is not None else dates


def _date_span(part: pd.DataFrame, date_column: Hashable, tz: str | None) -> np.ndarray:
    """Map step of the first pass: [first local stamp, last local stamp, undated, rows]."""
    dates = _local_dates(part, date_column, tz)
    dated = dates.dropna()
    if len(dated) == 0:
        return np.array([np.iinfo(np.int64).max, np.iinfo(np.int64).min, len(part), len(part)])
    local = dated.dt.tz_localize(None).astype("datetime64[us]").to_numpy().view("int64")
    return np.array([local.min(), local.max(), len(part) - len(dated), len(part)])


def _merge_spans(spans: list[np.ndarray]) -> np.ndarray:
    """Combine step of the first pass."""
    stacked = np.vstack(spans)
    return np.array(
        [stacked[:, 0].min(), stacked[:, 1].max(), stacked[:, 2].sum(), stacked[:, 3].sum()]
    )


@dataclass
class Cells:
    """Articles per group and period: the partial result of the second pass."""

    keys: pd.DataFrame  # one row per group: its values of the ``by`` columns
    counts: np.ndarray  # groups x (1 + queries) x periods: all articles, then matches


def _count_cells(
    part: pd.DataFrame,
    edge_values: np.ndarray,
    keys: list[Hashable],
    queries: dict[str, Any],
    date_column: Hashable,
    tz: str | None,
    fields: Sequence[str] | None,
    case: bool,
) -> Cells:
    """Map step of the second pass: one partition's articles per group, period and query."""
    dates = _local_dates(part, date_column, tz)
    dated = dates.notna().to_numpy()
    rows = part if dated.all() else part.loc[dated]
    stamps = dates[dated].dt.tz_localize(None).astype("datetime64[us]").to_numpy().view("int64")
    period = np.searchsorted(edge_values, stamps, side="right") - 1
    codes, group_keys = group_codes(rows, keys)
    n_groups, n_periods = len(group_keys), len(edge_values) - 1
    cell = codes * n_periods + period
    counts = np.zeros((n_groups, 1 + len(queries), n_periods), dtype=np.int64)
    counts[:, 0, :] = np.bincount(cell, minlength=n_groups * n_periods).reshape(-1, n_periods)
    for j, query in enumerate(queries.values(), start=1):
        if query is None:
            counts[:, j, :] = counts[:, 0, :]
            continue
        if query.startswith(MASK):
            mask = part[query].to_numpy(dtype=bool, na_value=False)[dated]
        else:
            kwargs: dict[str, Any] = {"case": case}
            if fields is not None:
                kwargs["fields"] = fields
            mask = matches(rows, query, **kwargs).to_numpy(dtype=bool)
        found = np.bincount(cell[mask], minlength=n_groups * n_periods)
        counts[:, j, :] = found.reshape(-1, n_periods)
    return Cells(group_keys, counts)


def _merge_cells(parts: list[Cells]) -> Cells:
    """Combine step of the second pass: counts added up by group values."""
    if len(parts) == 1:
        return parts[0]
    columns = list(parts[0].keys.columns)
    if columns:
        group_of, keys = group_codes(pd.concat([p.keys for p in parts], ignore_index=True), columns)
    else:
        group_of, keys = np.zeros(sum(len(p.keys) for p in parts), dtype=np.int64), parts[0].keys
    counts = np.zeros((len(keys), *parts[0].counts.shape[1:]), dtype=np.int64)
    np.add.at(counts, group_of, np.concatenate([p.counts for p in parts]))
    return Cells(keys, counts)


def _check_queries(articles: Any, named: Mapping[str, object]) -> tuple[Any, dict[str, Any]]:
    """Queries as the steps read them: None, a query string, or a mask column added."""
    queries: dict[str, Any] = {}
    for j, (name, query) in enumerate(named.items()):
        column = f"{MASK}{j}"
        if query is None:
            queries[name] = None
        elif isinstance(query, str):
            parse_query(query)  # a syntax error is raised before any counting
            queries[name] = query
        elif is_dask(query):
            articles = articles.assign(**{column: query})
            queries[name] = column
        elif is_dask(articles):
            raise TypeError(
                f"The 'query' entry {name!r} must be a query string or a boolean dask Series "
                f"over the articles, got {type(query).__name__}."
            )
        elif isinstance(query, pd.Series | np.ndarray | list):
            if isinstance(query, pd.Series):
                mask = query.reindex(articles.index) if len(query) else query
            else:
                mask = pd.Series(np.asarray(query))
            if len(mask) != len(articles) or not pd.api.types.is_bool_dtype(mask.dtype):
                raise ValueError(
                    f"The 'query' entry {name!r} must be a query string or a boolean mask with "
                    f"one value per article ({len(articles)}); got {type(query).__name__} of "
                    f"length {len(query)} and dtype {mask.dtype}."
                )
            articles = articles.assign(**{column: mask.to_numpy(dtype=bool, na_value=False)})
            queries[name] = column
        else:
            raise TypeError(
                f"The 'query' entry {name!r} must be a query string or a boolean mask, got "
                f"{type(query).__name__}."
            )
    return articles, queries


# --------------------------------------------------------------------------- coverage
def coverage(
    articles: pd.DataFrame,
    *,
    freq: str | pd.DateOffset = "W",
    by: Hashable | Sequence[Hashable] | None = None,
    query: str | Sequence[str] | Mapping[str, Any] | None = None,
    smooth: int | None = None,
    date_column: Hashable = "published",
    tz: str | None = None,
    fields: Sequence[str] | None = None,
    case: bool = False,
    client: Any = None,
) -> pd.DataFrame:
    """Articles per period (and group), and the share of them that match a query.

    Parameters
    ----------
    articles : DataFrame
        An article frame (any frame with ``date_column`` and the ``by`` columns).
    freq : str or DateOffset, default "W"
        Period length, as a pandas offset alias: "D" (days), "W" (weeks from Monday to
        Sunday), "M" or "MS" (calendar months), "QS", "YS", multiples such as "2W" or
        "14D", sub-daily "h". Weekly aliases follow pandas' periods: "W-SAT" is the week
        ending Saturday (from Sunday). Multiples of days count from the first day of data.
    by : str or list of str, optional
        Column(s) whose values get one series each, e.g. ``"outlet"`` or ``"lean"``.
        Missing values form their own group.
    query : str, list of str or dict, optional
        A boolean query (see :func:`mediakit.matches`: ``"Putin AND (election OR
        vote*)"``), several queries, or a dict ``{name: query}`` giving named series. A
        dict value may also be a boolean mask with one value per article. None counts
        all articles (``query`` is then ``"all"``).
    smooth : int, optional
        Width, in periods, of a centred rolling mean applied to ``count`` and ``total``
        of each series; ``share`` is then smoothed count over smoothed total. Partial
        periods are left out of the windows so they do not drag their neighbours down.
    date_column : str, default "published"
        Column holding the dates (tz-aware, or naive read as UTC).
    tz : str, optional
        Time zone in which periods are cut (a day runs midnight to midnight there),
        e.g. "Europe/Berlin". Default UTC.
    fields, case
        Passed on to :func:`mediakit.matches` for string queries.
    client : distributed.Client, optional
        Count on this Dask cluster. A dask frame is counted partition by partition on
        Dask's configured scheduler (the current client, if any) without it; a named
        query may then be a boolean dask Series derived from it. The result is the same
        on every executor.

    Returns
    -------
    DataFrame
        One row per period x group x query, sorted in that order, with columns

        - ``period``: start of the period (tz-aware, UTC or ``tz``);
        - the ``by`` column(s);
        - ``query``: the query's name ("all" without a query);
        - ``count``: articles matching the query in this period and group;
        - ``total``: all articles in this period and group;
        - ``share``: ``count / total``, NaN where ``total`` is 0 (nothing to share);
        - ``share_low``, ``share_high``: the 95% Wilson score interval of ``share``
          (see :func:`wilson_interval`), so that a week of 20 articles reads as less
          sure than a week of 400; with ``smooth``, computed on the smoothed counts;
        - ``partial``: True for a first or last period that the data do not cover
          entirely (the same for every group: it describes the collection).

        Without ``smooth``, ``count`` and ``total`` are integers.

    Warns
    -----
    UndatedArticlesWarning
        When some articles have no date; they are left out and counted in the message.

    See Also
    --------
    detect_spikes : periods where a series jumps.
    mediakit.plot_timeline : draw the result.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_reuters()
    >>> monthly = mk.coverage(articles, freq="M")
    >>> monthly[["period", "total", "partial"]]
                         period  total  partial
    0 1987-02-01 00:00:00+00:00    229     True
    1 1987-03-01 00:00:00+00:00  11544    False
    2 1987-04-01 00:00:00+00:00   5661    False
    3 1987-05-01 00:00:00+00:00      0    False
    4 1987-06-01 00:00:00+00:00   2552    False
    5 1987-07-01 00:00:00+00:00      0    False
    6 1987-08-01 00:00:00+00:00      0    False
    7 1987-09-01 00:00:00+00:00      0    False
    8 1987-10-01 00:00:00+00:00   1592     True

    The share of each lean's articles that mention Putin, per quarter:

    >>> allsides = mk.datasets.load_allsides()
    >>> putin = mk.coverage(allsides, freq="QS", by="lean", query="Putin")
    >>> putin.head(3)[["period", "lean", "count", "total", "share"]]
                         period    lean  count  total     share
    0 2018-01-01 00:00:00+00:00    left     24    255  0.094118
    1 2018-01-01 00:00:00+00:00  center     13    279  0.046595
    2 2018-01-01 00:00:00+00:00   right     21    417  0.050360
    """
    runner = runner_for(articles, client=client, function="coverage")
    meta = runner.meta
    if date_column not in meta.columns:
        raise KeyError(
            f"The 'date_column' parameter of coverage names {date_column!r}, which is not a "
            f"column of the article frame (columns: {list(meta.columns)}). Pass the "
            "column that holds publication dates."
        )
    keys = as_list(by)
    if "query" in keys or any(k in VALUE_COLUMNS for k in keys):
        raise ValueError(
            f"The 'by' parameter of coverage cannot use the column names "
            f"{['query', *VALUE_COLUMNS]} of the result. Got {by!r}; rename the column first."
        )
    require_columns(meta, keys, "by")
    if smooth is not None and (
        isinstance(smooth, bool) or not isinstance(smooth, (int, np.integer)) or smooth < 1
    ):
        raise ValueError(
            f"The 'smooth' parameter of coverage must be None or a positive number of "
            f"periods. Got {smooth!r} instead."
        )
    named: Mapping[str, object] = _queries(query) if not is_dask(query) else {"query": query}
    period_offset(freq)  # check freq before any work
    try:
        out_tz = _local_dates(meta, date_column, tz).dt.tz
    except (ValueError, TypeError, KeyError) as error:
        raise ValueError(
            f"The 'tz' parameter of coverage must be a time zone name such as "
            f"'Europe/Berlin' or 'UTC'. Got {tz!r} instead ({error})."
        ) from None

    # first pass: the span of dates, hence the periods
    span = runner.columns([date_column]).map_combine(_date_span, _merge_spans, date_column, tz)
    first_stamp, last_stamp, n_undated, n_rows = (int(v) for v in span)
    if n_undated:
        warnings.warn(
            f"{n_undated} of {n_rows} articles have no date in {date_column!r} and are "
            "left out of the timeline. Recover dates with mediakit.load_articles(...) or "
            "filter them out first to silence this warning.",
            UndatedArticlesWarning,
            stacklevel=2,
        )
    with_masks, queries = _check_queries(articles, named)
    if with_masks is not articles:
        runner = runner_for(with_masks, client=client, function="coverage")
    if n_undated == n_rows:  # nothing dated: no period
        period_starts = pd.DatetimeIndex([], dtype="datetime64[us]")
        partial = np.zeros(0, dtype=bool)
        empty_keys = meta[keys].reset_index(drop=True) if keys else pd.DataFrame(index=range(1))
        cells = Cells(empty_keys, np.zeros((len(empty_keys), 1 + len(queries), 0), np.int64))
    else:
        first = pd.Timestamp(np.int64(first_stamp).astype("datetime64[us]"))
        last = pd.Timestamp(np.int64(last_stamp).astype("datetime64[us]"))
        edges, sub_daily = period_edges(first, last, freq)
        period_starts = edges[:-1]
        # The data cover whole days from the first to the last dated day (exact times
        # for sub-daily periods); a period reaching outside that span is partial.
        if sub_daily:
            cover_start, cover_end = first, last + pd.Timedelta(1, "us")
        else:
            cover_start, cover_end = first.normalize(), last.normalize() + pd.Timedelta(days=1)
        partial = np.asarray((edges[:-1] < cover_start) | (edges[1:] > cover_end))
        # second pass: articles per group, period and query
        needed: list[Hashable] = [date_column, *keys]
        needed += [q for q in queries.values() if isinstance(q, str) and q.startswith(MASK)]
        if any(isinstance(q, str) and not q.startswith(MASK) for q in queries.values()):
            text_fields = list(fields) if fields is not None else ["title", "text"]
            needed += [f for f in text_fields if f in runner.meta.columns]
        cells = runner.columns(needed).map_combine(
            _count_cells,
            _merge_cells,
            edges.to_numpy().view("int64"),
            keys,
            queries,
            date_column,
            tz,
            fields,
            case,
        )
    return _timeline(cells, keys, list(queries), period_starts, partial, out_tz, smooth)


def _timeline(
    cells: Cells,
    keys: list[Hashable],
    names: list[str],
    period_starts: pd.DatetimeIndex,
    partial: np.ndarray,
    out_tz: Any,
    smooth: int | None,
) -> pd.DataFrame:
    """Finalize step: the tidy timeline of the merged counts, period x group x query."""
    n_groups, n_periods = len(cells.keys), len(period_starts)
    totals = cells.counts[:, 0, :]
    counts = np.ascontiguousarray(cells.counts[:, 1:, :])
    totals3 = np.broadcast_to(totals[:, None, :], counts.shape)
    count_values: np.ndarray = counts
    total_values: np.ndarray = totals3
    if smooth is not None and n_periods:
        count_values = smooth_series(counts, partial, int(smooth))
        total_values = smooth_series(np.ascontiguousarray(totals3), partial, int(smooth))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(
            total_values > 0, count_values / np.where(total_values > 0, total_values, 1), np.nan
        )

    # order rows period x group x query: move the period axis first
    def flat(values: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(np.moveaxis(values, 2, 0)).reshape(-1)

    n_queries = len(names)
    g_index = np.tile(np.repeat(np.arange(n_groups), n_queries), n_periods)
    period_col = pd.DatetimeIndex(period_starts).repeat(n_groups * n_queries)
    if n_periods:
        period_col = period_col.tz_localize(out_tz, ambiguous=True, nonexistent="shift_forward")
    else:
        period_col = pd.DatetimeIndex([], dtype=f"datetime64[us, {out_tz}]")
    data: dict[Hashable, Any] = {"period": period_col}
    for k in keys:
        data[k] = cells.keys[k].take(g_index).reset_index(drop=True)
    data["query"] = np.tile(np.array(names, dtype=object), n_groups * n_periods)
    data["count"] = flat(count_values)
    data["total"] = flat(np.ascontiguousarray(total_values))
    data["share"] = flat(share)
    data["partial"] = np.repeat(partial, n_groups * n_queries).astype(bool)
    out = pd.DataFrame(data)
    out["query"] = out["query"].astype("str")
    return with_share_interval(out)


# --------------------------------------------------------------------------- intervals
def wilson_interval(
    count: Any, total: Any, *, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion ``count / total``.

    Wilson's interval (1927) stays inside [0, 1] and near its nominal coverage for
    small ``total`` and shares near 0 or 1, where the normal ("Wald") interval
    collapses to a point (Brown, Cai & DasGupta 2001). It equals statsmodels'
    ``proportion_confint(count, total, method="wilson")``.

    Parameters
    ----------
    count, total : array-like
        Matching and all articles (non-integer values, as from smoothing, are used as
        they are).
    confidence : float, default 0.95
        Coverage of the interval, between 0 and 1.

    Returns
    -------
    (ndarray, ndarray)
        Lower and upper bounds; NaN where ``total`` is 0 or missing.

    Examples
    --------
    >>> low, high = wilson_interval([8, 160], [20, 400])
    >>> low.round(3).tolist(), high.round(3).tolist()
    ([0.219, 0.353], [0.613, 0.449])
    """
    if not 0 < confidence < 1:
        raise ValueError(
            f"The 'confidence' parameter of wilson_interval must be between 0 and 1 "
            f"(exclusive). Got {confidence!r} instead; use e.g. 0.95."
        )
    from scipy.stats import norm

    z = _Z95 if confidence == 0.95 else float(norm.ppf(0.5 + confidence / 2))
    k = np.asarray(count, dtype="float64")
    n = np.asarray(total, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        n_safe = np.where(n > 0, n, np.nan)
        p = k / n_safe
        denominator = 1 + z**2 / n_safe
        centre = (p + z**2 / (2 * n_safe)) / denominator
        half = z * np.sqrt(p * (1 - p) / n_safe + z**2 / (4 * n_safe**2)) / denominator
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def with_share_interval(timeline: pd.DataFrame) -> pd.DataFrame:
    """``timeline`` with ``share_low`` and ``share_high`` (a 95% Wilson interval) after ``share``.

    The finalize step of :func:`coverage`, whichever executor counted the articles: a
    week of 20 articles and a week of 400 with the same share get intervals of very
    different widths. See :func:`wilson_interval` for the method.
    """
    if not {"count", "total", "share"} <= set(timeline.columns):
        return timeline
    low, high = wilson_interval(timeline["count"], timeline["total"])
    out = timeline.drop(columns=["share_low", "share_high"], errors="ignore")
    position = list(out.columns).index("share") + 1
    out.insert(position, "share_low", low)
    out.insert(position + 1, "share_high", high)
    return out


# --------------------------------------------------------------------------- spikes
class SmoothedTimelineWarning(UserWarning):
    """A smoothed timeline was passed where raw counts are needed."""


def _measure(timeline: pd.DataFrame) -> str:
    """The column a timeline is about: shares when it counts a query, else counts."""
    if "share" in timeline.columns and "query" in timeline.columns:
        queries = set(timeline["query"].dropna().astype(str))
        if queries - {"all"}:
            return "share"
    return "count"


def _warn_if_smoothed(timeline: pd.DataFrame) -> None:
    counts = timeline["count"]
    if not pd.api.types.is_float_dtype(counts):
        return
    values = counts.to_numpy(dtype="float64", na_value=np.nan)
    values = values[np.isfinite(values)]
    if len(values) and not np.allclose(values, np.round(values)):
        warnings.warn(
            "The timeline's counts are not whole numbers: it looks smoothed "
            "(coverage(..., smooth=...)). A rolling mean spreads a busy period over its "
            "neighbours and shrinks the spread of the baseline, so z-scores come out far "
            "too large. Pass detect_spikes the timeline of coverage(...) without smooth=.",
            SmoothedTimelineWarning,
            stacklevel=3,
        )


def _series_keys(timeline: pd.DataFrame) -> list[Hashable]:
    return [c for c in timeline.columns if c not in VALUE_COLUMNS]


def detect_spikes(
    timeline: pd.DataFrame,
    *,
    value: str | None = None,
    window: int = 4,
    threshold: float = 2.5,
    min_count: int = 5,
    min_periods: int | None = None,
    all_periods: bool = False,
) -> pd.DataFrame:
    """Periods where a series of a coverage frame jumps above the periods around it.

    Each period is compared with the periods around it in the same series (same groups
    and query), by a z-score:

    ``z = (x - baseline) / noise``

    - ``baseline`` is the mean of the ``window`` periods before and the ``window``
      periods after, without the highest and lowest sixth of them, rounded down (with
      ``window=4``: the 8 neighbours less the highest and the lowest). The period itself is
      left out, so a spike does not raise its own baseline, and the trimming keeps
      another spike or a holiday dip among the neighbours from moving it; a steady rise
      or fall cancels out between the two sides. When the medians of the two sides
      differ by more than three noise sds, the level moved (a new beat, a lasting rise)
      and the baseline is the higher side's median: a lasting rise is not a spike, a
      spike is a short burst. Near the ends of a series only the side with at least
      ``min_periods`` periods is used, so the latest week is judged against the weeks
      before it.
    - ``noise`` is the standard deviation the period's value would have without a spike:
      ``sqrt(sampling + dispersion * baseline**2)``. ``sampling`` is the noise of
      counting alone, ``baseline`` for counts (Poisson) and ``baseline (1 - baseline) /
      total`` for shares (binomial); ``dispersion`` is how much the underlying rate
      itself varies from period to period (0.01 means by about 10 %), one figure per
      series, fitted to the deviations of all its periods from their baselines so that
      they have unit variance. The fit is winsorized (a deviation counts as at most 2
      sds), so spikes and level shifts barely move it. For any other ``value`` column
      the noise is one standard deviation per series, fitted the same way.

    A period is a spike when ``z >= threshold`` and its ``count`` is at least
    ``min_count``. Partial periods never enter a baseline (their counts are short).
    The rule and its defaults were chosen on synthetic weekly series with yearly
    cycles, holiday dips, level shifts, overdispersed noise and planted one-week
    spikes, and scored on separate sets generated the same way
    (``benchmarks/spikes.py``, results in ``benchmarks/RESULTS.md``): spikes of four
    noise sds and more are found with recall and precision of about .9, at about 0.3
    false alarms per 100 quiet weeks; smaller jumps are often missed.

    Parameters
    ----------
    timeline : DataFrame
        The output of :func:`coverage` (``period``, ``count``, ``partial`` and the
        ``value`` column; every other column except ``total``/``share`` and the share
        interval identifies a series).
    value : {"share", "count"} or str, optional
        Column whose jumps are measured. By default the measure the timeline is about:
        ``"share"`` when it holds shares of a query (a ``query`` column with a query
        other than "all"), so that a week counts as a spike when the subject took a
        larger part of the coverage, not when the outlet simply published more; else
        ``"count"``.
    window : int, default 4
        Number of periods on each side in the baseline.
    threshold : float, default 2.5
        Smallest z-score counted as a spike.
    min_count : int, default 5
        Smallest number of matching articles for a spike, so one article in a quiet
        series does not count.
    min_periods : int, optional
        Baseline periods needed on a side before it is used; default ``window // 2``
        (at least 2). Periods with no usable side get NaN z-scores.
    all_periods : bool, default False
        Return every period with its baseline and a boolean ``spike`` column instead of
        the spikes only.

    Returns
    -------
    DataFrame
        The timeline's rows for the spike periods, sorted by period, plus
        ``baseline`` (of ``value``), ``excess`` (``value - baseline``), ``noise``
        (the sd ``z`` divides by) and ``z``;
        ``attrs["value"]`` names the column measured.

    Warns
    -----
    SmoothedTimelineWarning
        When the counts are not whole numbers (a timeline from ``coverage(...,
        smooth=)``): a rolling mean spreads one busy week over its neighbours and
        shrinks the spread of the baseline, so z-scores come out far too large.

    Examples
    --------
    >>> import mediakit as mk
    >>> allsides = mk.datasets.load_allsides()
    >>> weekly = mk.coverage(allsides, freq="W", query="Putin")
    >>> spikes = mk.detect_spikes(weekly)
    >>> spikes.attrs["value"]
    'share'
    >>> spikes[["period", "count", "share", "baseline", "z"]].round({"share": 3, "baseline": 3, "z": 2})
                         period  count  share  baseline     z
    0 2018-07-09 00:00:00+00:00     28  0.301     0.088  3.59
    1 2018-07-16 00:00:00+00:00     41  0.461     0.095  5.73
    2 2018-10-15 00:00:00+00:00      7  0.096     0.024  3.15

    The week before the Helsinki summit (16 July 2018) is a spike too.
    """
    if not isinstance(timeline, pd.DataFrame):
        raise TypeError(
            f"The 'timeline' parameter of detect_spikes must be a DataFrame from "
            f"mediakit.coverage(...), got {type(timeline).__name__}."
        )
    if value is None:
        value = _measure(timeline)
    for column in ("period", "count", value):
        if column not in timeline.columns:
            raise KeyError(
                f"The timeline has no column {column!r} (columns: {list(timeline.columns)}). "
                "Pass the output of mediakit.coverage(...)"
                + (f" or a numeric column as value= (got {value!r})." if column == value else ".")
            )
    if not pd.api.types.is_numeric_dtype(timeline[value]):
        raise ValueError(
            f"The 'value' parameter of detect_spikes must name a numeric column such as "
            f"'count' or 'share'. Got {value!r}, of dtype {timeline[value].dtype}."
        )
    _warn_if_smoothed(timeline)
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 2:
        raise ValueError(
            f"The 'window' parameter of detect_spikes must be an integer of at least 2 "
            f"periods. Got {window!r} instead."
        )
    if min_periods is None:
        min_periods = max(2, window // 2)
    if not 1 <= min_periods <= window:
        raise ValueError(
            f"The 'min_periods' parameter of detect_spikes must be between 1 and window "
            f"({window}). Got {min_periods!r} instead."
        )
    keys = _series_keys(timeline)
    keys = [k for k in keys if k != value]
    frame = timeline.sort_values("period", kind="stable")
    partial = (
        frame["partial"].to_numpy(dtype=bool)
        if "partial" in frame
        else np.zeros(len(frame), dtype=bool)
    )
    values = frame[value].to_numpy(dtype="float64", na_value=np.nan)
    kind = value if value in ("count", "share") else "other"
    totals = frame["total"].to_numpy(dtype="float64", na_value=np.nan) if "total" in frame else None
    baseline = np.full(len(frame), np.nan)
    noise = np.full(len(frame), np.nan)
    if keys:
        groups = frame.groupby(keys, sort=False, observed=True, dropna=False).indices.values()
    else:
        groups = [np.arange(len(frame))]
    for positions in groups:
        baseline[positions], noise[positions] = baseline_and_noise(
            values[positions],
            ~partial[positions] & ~np.isnan(values[positions]),
            NoiseParts(kind, None if totals is None else totals[positions]),
            int(window),
            int(min_periods),
        )
    excess = values - baseline
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(noise > 0, excess / np.where(noise > 0, noise, 1), np.nan)
        flat = (noise == 0) & ~np.isnan(excess)
        z = np.where(flat, np.sign(excess) * np.inf, z)
        z = np.where(flat & (excess == 0), 0.0, z)
    out = frame.assign(baseline=baseline, excess=excess, noise=noise, z=z)
    counts = frame["count"].to_numpy(dtype="float64", na_value=0)
    spike = (np.nan_to_num(z, nan=-np.inf) >= threshold) & (counts >= min_count)
    out = out.assign(spike=spike) if all_periods else out.loc[spike]
    out = out.reset_index(drop=True)
    out.attrs["value"] = value
    return out
