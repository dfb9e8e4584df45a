"""Coverage timelines: lines over time, with partial periods and dated events marked.

Partial first and last periods (see :func:`mediakit.coverage`) are drawn as a dashed
segment ending in a hollow marker, so a short last week does not read as a collapse;
empty periods stay on the axis; dates get matplotlib's concise date labels whatever
the span; each group keeps one colour across plots.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from mediakit.plotting._core import DOCS, check_columns, get_ax, palette

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Events: TypeAlias = Sequence[tuple[Any, str]] | Mapping[Any, str] | pd.DataFrame | None

_Y_LABELS = {"count": "Articles", "total": "All articles", "share": "Share of articles"}
_PERIOD_NAMES = (  # (largest median step in days, name)
    (1 / 24 + 1e-9, "Hour"),
    (1.0, "Day"),
    (7.0, "Week"),
    (14.0, "Fortnight"),
    (31.0, "Month"),
    (92.0, "Quarter"),
    (366.0, "Year"),
)
MISSING = "(missing)"
_EVENT_STYLE: dict[str, Any] = {"color": "0.3", "linestyle": ":", "linewidth": 1.0}

_DOC_TIMELINE = {
    **DOCS,
    "x": """x : str, default "period"
        Column of dates (the period starts of :func:`mediakit.coverage`).""",
    "y": """y : str, default "count"
        Column drawn: ``"count"`` (matching articles), ``"share"`` (of all articles in
        the period, shown in percent) or ``"total"``.""",
    "events": """events : list of (date, label), dict or DataFrame, optional
        Dated annotations drawn as a dotted vertical line with the label at the top:
        ``[("2018-07-16", "Helsinki summit")]``, ``{date: label}``, or a frame with
        ``date`` and ``label`` columns. Naive dates are read in the data's time zone.""",
    "smooth": """smooth : int, optional
        Width of a centred rolling mean over periods, per series. Partial periods are
        left out of the windows. For ``y="share"`` with ``count`` and ``total`` columns,
        the share is smoothed count over smoothed total. Prefer
        ``coverage(..., smooth=)`` when you also want the numbers.""",
    "partial": """partial : str, default "partial"
        Column flagging partial periods; they are drawn as a dashed segment ending in
        a hollow marker. Ignored when ``data`` has no such column.""",
    "palette": """palette : dict, optional
        Colour per ``hue`` level, overriding the fixed mediakit colours.""",
}


# --------------------------------------------------------------------------- helpers
def _local_dates(values: pd.Series) -> pd.Series:
    """Dates as naive wall-clock times in their own time zone (what the axis shows)."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values, format="ISO8601")


def _x_values(values: pd.Series) -> np.ndarray:
    """Positions on the x axis: matplotlib date numbers for dates (converted once, fast)."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    import matplotlib.dates as mdates

    return np.asarray(mdates.date2num(_local_dates(values).to_numpy()))


def _events(events: Events, tz: Any) -> list[tuple[pd.Timestamp, str]]:
    if events is None:
        return []
    if isinstance(events, pd.DataFrame):
        if not {"date", "label"} <= set(events.columns):
            raise ValueError(
                f"The 'events' frame must have 'date' and 'label' columns, got "
                f"{list(events.columns)}. Rename them, e.g. events.rename(columns={{...}})."
            )
        pairs: list[tuple[Any, Any]] = list(zip(events["date"], events["label"], strict=True))
    elif isinstance(events, Mapping):
        pairs = list(events.items())
    else:
        pairs = list(events)
    out = []
    for item in pairs:
        if not (isinstance(item, tuple) and len(item) == 2):
            raise ValueError(
                f"Each entry of 'events' must be a (date, label) pair, got {item!r}. Pass e.g. "
                "events=[('2018-07-16', 'Helsinki summit')]."
            )
        when, label = item
        try:
            stamp = pd.Timestamp(when)
        except (ValueError, TypeError):
            stamp = pd.NaT
        if pd.isna(stamp):
            raise ValueError(
                f"Could not read the date {when!r} of the event {label!r} in 'events'. Use "
                "an ISO date such as '2018-07-16' or a Timestamp."
            )
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert(tz or "UTC").tz_localize(None)
        out.append((stamp, str(label)))
    return out


def _period_name(x: pd.Series) -> str | None:
    steps = np.diff(np.sort(x.dropna().unique()))
    if not len(steps):
        return None
    days = pd.Timedelta(np.median(steps)).total_seconds() / 86400
    for limit, name in _PERIOD_NAMES:
        if days <= limit:
            return name
    return None


def _name_missing(data: pd.DataFrame, column: str | None) -> pd.DataFrame:
    """Missing group values drawn as a group named "(missing)" rather than dropped."""
    if column is None or not data[column].isna().any():
        return data
    values = data[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        if MISSING not in values.cat.categories:
            values = values.cat.add_categories(MISSING)
        return data.assign(**{column: values.fillna(MISSING)})
    return data.assign(**{column: values.astype(object).where(values.notna(), MISSING)})


def _levels(data: pd.DataFrame, hue: str | None) -> list[Hashable]:
    if hue is None:
        return []
    column = data[hue]
    if isinstance(column.dtype, pd.CategoricalDtype):
        present = set(column.dropna().unique())
        return [c for c in column.cat.categories if c in present]
    return list(pd.unique(column.dropna()))


def _colors(data: pd.DataFrame, hue: str | None, given: Mapping[Hashable, Any] | None) -> dict:
    levels = _levels(data, hue)
    if hue is not None and not isinstance(data[hue].dtype, pd.CategoricalDtype):
        levels = sorted(levels, key=str)  # colours depend on the set of levels, not row order
    colors = palette(levels)
    if given is not None:
        missing = [level for level in levels if level not in given]
        if missing:
            raise ValueError(
                f"The 'palette' parameter has no colour for the hue level(s) {missing[:5]}. "
                "Give a colour for every level or leave palette=None."
            )
        colors = {level: given[level] for level in levels}
    return colors


def _smoothed(series: pd.DataFrame, y: str, partial: np.ndarray, window: int) -> np.ndarray:
    from mediakit.timeline import _smooth

    if y == "share" and {"count", "total"} <= set(series.columns):
        count = _smooth(series["count"].to_numpy(dtype="float64"), partial, window)
        total = _smooth(series["total"].to_numpy(dtype="float64"), partial, window)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, count / np.where(total > 0, total, 1), np.nan)
    values = series[y].to_numpy(dtype="float64", na_value=np.nan)
    return _smooth(values, partial, window)


def _partial_runs(partial: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of partial periods, widened by one full neighbour each side."""
    runs = []
    i, n = 0, len(partial)
    while i < n:
        if partial[i]:
            j = i
            while j < n and partial[j]:
                j += 1
            runs.append((max(i - 1, 0), min(j + 1, n)))
            i = j
        else:
            i += 1
    return runs


def _partial_handle(**kwargs: Any) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([], [], color="0.4", linestyle="--", marker="o", markerfacecolor="none", **kwargs)


def _title(data: pd.DataFrame, y: str) -> str:
    if "query" not in data.columns:
        return ""
    queries = [q for q in pd.unique(data["query"].dropna()) if q != "all"]
    if len(queries) != 1:
        return ""
    if y == "share":
        return f"Share of articles matching “{queries[0]}”"
    return f"Articles matching “{queries[0]}”"


def _draw(
    data: pd.DataFrame,
    *,
    ax: Axes,
    x: str,
    y: str,
    hue: str | None,
    colors: Mapping[Hashable, Any],
    smooth: int | None,
    partial: str,
    kwargs: dict[str, Any],
) -> bool:
    """Draw one line per hue level; return whether any partial period was drawn."""
    has_partial = partial in data.columns
    groups: Iterable[tuple[Hashable, pd.DataFrame]]
    if hue is None:
        groups = [(None, data)]
    else:
        by_level = dict(iter(data.groupby(hue, sort=False, observed=True, dropna=False)))
        groups = [(level, by_level[level]) for level in colors if level in by_level]
    drew_partial = False
    base_color = kwargs.pop("color", kwargs.pop("c", None))
    for level, series in groups:
        series = series.sort_values(x, kind="stable")
        dup = series[x].duplicated()
        if dup.any():
            raise ValueError(
                f"`data` has several rows for the same `{x}` value "
                f"{series.loc[dup, x].iloc[0]!r}"
                + (f" and `{hue}` = {level!r}" if hue is not None else "")
                + ". Give each series its own colour with hue= (e.g. hue='outlet'), draw "
                "them in separate panels with plot_timelines(col=...), or filter the rows."
            )
        xs = _x_values(series[x])
        flags = (
            series[partial].to_numpy(dtype=bool, na_value=False)
            if has_partial
            else np.zeros(len(series), dtype=bool)
        )
        if smooth is not None:
            ys = _smoothed(series, y, flags, int(smooth))
        else:
            ys = series[y].to_numpy(dtype="float64", na_value=np.nan)
        color = colors.get(level, base_color) if hue is not None else base_color
        label = str(level) if hue is not None else y
        style = {"color": color, **kwargs}
        (line,) = ax.plot(xs[~flags], ys[~flags], label=label, **style)
        style["color"] = line.get_color()
        for start, stop in _partial_runs(flags):
            local = flags[start:stop]
            ax.plot(
                xs[start:stop],
                ys[start:stop],
                **{**style, "linestyle": "--", "marker": "o", "markerfacecolor": "none"},
                markevery=list(np.flatnonzero(local)),
                label=f"_partial {label}",
                gid="partial",
            )
            drew_partial = True
    return drew_partial


def _decorate(
    ax: Axes,
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    events: list[tuple[pd.Timestamp, str]],
    period_name: str | None,
) -> None:
    import matplotlib.dates as mdates
    from matplotlib.ticker import PercentFormatter

    for when, label in events:
        position = float(mdates.date2num(when))
        ax.axvline(position, **_EVENT_STYLE, gid="event", label=f"_event {label}")
        ax.annotate(
            label,
            xy=(position, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -4),
            textcoords="offset points",
            rotation=90,
            ha="left",
            va="top",
            fontsize="small",
            color="0.25",
            gid="event",
        )
    if not pd.api.types.is_numeric_dtype(data[x]) or pd.api.types.is_datetime64_any_dtype(data[x]):
        ax.xaxis_date()
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if y == "share":
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    ylabel = _Y_LABELS.get(y, y)
    if y in ("count", "total") and period_name:
        ylabel += f" per {period_name.lower()}"
    ax.set_ylabel(ylabel)
    ax.set_xlabel(period_name or x if x == "period" else x)


def _check(data: pd.DataFrame, x: str, y: str, hue: str | None, smooth: int | None) -> None:
    check_columns(data, x=x, y=y, hue=hue)
    if not pd.api.types.is_numeric_dtype(data[y]):
        raise ValueError(
            f"Could not interpret value `{y}` for `y`: the column holds {data[y].dtype}, not "
            "numbers. Pass y='count' or y='share'."
        )
    if smooth is not None and (
        isinstance(smooth, bool) or not isinstance(smooth, (int, np.integer)) or smooth < 1
    ):
        raise ValueError(
            f"The 'smooth' parameter must be None or a positive number of periods. Got "
            f"{smooth!r} instead."
        )


def _legend(ax: Axes, handles: list[Any], labels: list[str], *, title: str | None) -> None:
    """A legend inside the Axes for a few entries, else in columns beside it (readable, and
    cheap: placing a long legend at the "best" spot costs seconds)."""
    if len(labels) <= 10:
        ax.legend(handles, labels, title=title, fontsize="small")
        return
    ax.legend(
        handles,
        labels,
        title=title,
        fontsize="x-small",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        ncols=-(-len(labels) // 30),
        borderaxespad=0.0,
    )


# --------------------------------------------------------------------------- public
def plot_timeline(
    data: pd.DataFrame,
    *,
    x: str = "period",
    y: str = "count",
    hue: str | None = None,
    events: Events = None,
    smooth: int | None = None,
    partial: str = "partial",
    palette: Mapping[Hashable, Any] | None = None,
    legend: bool = True,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Coverage over time as lines, one per ``hue`` level.

    Parameters
    ----------
    {data}
    {x}
    {y}
    {hue}
    {events}
    {smooth}
    {partial}
    {palette}
    legend : bool, default True
        Draw a legend (hue levels, and "partial period" when one is drawn).
    {ax}
    {kwargs}

    {returns_ax}

    See Also
    --------
    mediakit.coverage : the tidy frame this draws.
    plot_timelines : one panel per group.
    plot_coverage : count and draw in one call.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides()
    >>> weekly = mk.coverage(articles, freq="W", by="lean", query="Putin")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(8, 3))
    >>> ax = mk.plot_timeline(weekly, y="share", hue="lean", ax=ax,
    ...                       events=[("2018-07-16", "Helsinki summit")])
    >>> [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    ['left', 'center', 'right']
    >>> ax.get_ylabel(), ax.get_title()
    ('Share of articles', 'Share of articles matching “Putin”')
    """
    _check(data, x, y, hue, smooth)
    data = _name_missing(data, hue)
    target = get_ax(ax)
    colors = _colors(data, hue, palette)
    tz = data[x].dt.tz if isinstance(data[x].dtype, pd.DatetimeTZDtype) else None
    marked = _events(events, tz)
    drew_partial = _draw(
        data,
        ax=target,
        x=x,
        y=y,
        hue=hue,
        colors=colors,
        smooth=smooth,
        partial=partial,
        kwargs=dict(kwargs),
    )
    _decorate(target, data, x=x, y=y, events=marked, period_name=_period_name(data[x]))
    if y in _Y_LABELS:
        target.set_ylim(bottom=0)
    title = _title(data, y)
    if title and not target.get_title():
        target.set_title(title)
    if legend and (hue is not None or drew_partial):
        handles, labels = target.get_legend_handles_labels()
        if hue is None:
            handles, labels = [], []
        if drew_partial:
            handles.append(_partial_handle())
            labels.append("partial period")
        _legend(target, handles, labels, title=hue)
    return target


def plot_timelines(
    data: pd.DataFrame,
    *,
    col: str,
    x: str = "period",
    y: str = "count",
    hue: str | None = None,
    col_wrap: int | None = None,
    col_order: Sequence[Hashable] | None = None,
    sharey: bool = True,
    height: float = 2.5,
    aspect: float = 2.0,
    events: Events = None,
    smooth: int | None = None,
    partial: str = "partial",
    palette: Mapping[Hashable, Any] | None = None,
    **kwargs: Any,
) -> Figure:
    """Small multiples: one timeline panel per value of ``col``, on shared date axes.

    Parameters
    ----------
    {data}
    col : str
        Column whose values get one panel each (e.g. "outlet", "lean", "query").
    {x}
    {y}
    {hue}
        Colours are fixed over the whole figure, so a level has the same colour in
        every panel.
    col_wrap : int, optional
        Panels per row; by default all in one row up to 4, then rows of 4.
    col_order : list, optional
        Panel order; by default the categorical order, else the order of appearance.
    sharey : bool, default True
        One y scale for all panels (compare volumes) or one each (compare shapes).
    height, aspect : float
        Height of each panel in inches, and its width as a multiple of the height.
    {events}
    {smooth}
    {partial}
    {palette}
    {kwargs}

    Returns
    -------
    matplotlib.figure.Figure
        The figure; its panels are ``fig.axes`` in ``col_order``, titled with their value.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides()
    >>> monthly = mk.coverage(articles, freq="M", by="lean", query="Putin")
    >>> fig = mk.plot_timelines(monthly, col="lean", y="share")
    >>> [ax.get_title() for ax in fig.axes]
    ['left', 'center', 'right']
    """
    import matplotlib.pyplot as plt

    _check(data, x, y, hue, smooth)
    check_columns(data, col=col)
    data = _name_missing(_name_missing(data, hue), col)
    levels = _levels(data, col) if col_order is None else list(col_order)
    unknown = [level for level in levels if level not in set(data[col].dropna().unique())]
    if unknown:
        raise ValueError(
            f"The 'col_order' parameter names {unknown[:5]}, which do not appear in "
            f"`data[{col!r}]`. Use values of that column."
        )
    if not levels:
        raise ValueError(f"`data[{col!r}]` has no values to draw panels for.")
    ncols = col_wrap or (len(levels) if len(levels) <= 4 else 4)
    nrows = -(-len(levels) // ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        sharex=True,
        sharey=sharey,
        squeeze=False,
        figsize=(ncols * height * aspect, nrows * height),
        layout="constrained",
    )
    colors = _colors(data, hue, palette)
    tz = data[x].dt.tz if isinstance(data[x].dtype, pd.DatetimeTZDtype) else None
    marked = _events(events, tz)
    period_name = _period_name(data[x])
    drew_partial = False
    flat = axes.ravel()
    for ax, level in zip(flat, levels, strict=False):
        panel = data[data[col] == level]
        drew_partial |= _draw(
            panel,
            ax=ax,
            x=x,
            y=y,
            hue=hue,
            colors=colors,
            smooth=smooth,
            partial=partial,
            kwargs=dict(kwargs),
        )
        _decorate(ax, panel, x=x, y=y, events=marked, period_name=period_name)
        ax.set_title(str(level))
    for i, ax in enumerate(flat):
        if i >= len(levels):
            ax.set_visible(False)
            continue
        column = i % ncols
        if column:
            ax.set_ylabel("")
        if i + ncols < len(levels):
            ax.set_xlabel("")
        else:  # the lowest panel of its column shows dates even when the row below is short
            ax.xaxis.set_tick_params(labelbottom=True)
    if y in _Y_LABELS:  # after all panels are drawn, so shared limits cover them all
        for ax in flat[: len(levels)]:
            ax.set_ylim(bottom=0)
    title = _title(data, y)
    if title:
        fig.suptitle(title)
    if hue is not None or drew_partial:
        from matplotlib.lines import Line2D

        handles: list[Any] = []
        labels: list[str] = []
        if hue is not None:
            present = set(data[hue].dropna().unique())
            for level, color in colors.items():
                if level in present:
                    handles.append(Line2D([], [], color=color, **kwargs))
                    labels.append(str(level))
        if drew_partial:
            handles.append(_partial_handle())
            labels.append("partial period")
        fig.legend(handles, labels, title=hue, loc="outside right upper", fontsize="small")
    return fig


def plot_coverage(
    articles: pd.DataFrame,
    *,
    freq: str = "W",
    by: str | None = None,
    query: str | Sequence[str] | Mapping[str, Any] | None = None,
    y: str | None = None,
    smooth: int | None = None,
    events: Events = None,
    date_column: str = "published",
    tz: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Count and draw coverage in one call: :func:`mediakit.coverage` then :func:`plot_timeline`.

    Parameters
    ----------
    articles : DataFrame
        An article frame.
    freq, by, query, smooth, date_column, tz
        As in :func:`mediakit.coverage` (``by`` is one column here: its values get one
        line each; several queries get one line each when ``by`` is None).
    y : {{"count", "share"}}, optional
        Default ``"share"`` with a query, else ``"count"``.
    {events}
    {ax}
    {kwargs}

    {returns_ax}

    Examples
    --------
    >>> import mediakit as mk
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = mk.plot_coverage(mk.datasets.load_reuters(), freq="M", ax=ax)
    >>> ax.get_ylabel()
    'Articles per month'
    """
    from mediakit.timeline import coverage

    if by is not None and not isinstance(by, str):
        raise ValueError(
            f"The 'by' parameter of plot_coverage must be one column name, got {by!r}. For "
            "several columns, use mediakit.coverage(...) and plot_timelines(col=..., hue=...)."
        )
    several = query is not None and not isinstance(query, str) and len(query) > 1
    if by is not None and several:
        raise ValueError(
            "plot_coverage draws one line per group or per query, not both (got by="
            f"{by!r} and {len(query)} queries). Use mediakit.coverage(...) and "  # type: ignore[arg-type]
            "plot_timelines(data, col='query', hue=by)."
        )
    timeline = coverage(
        articles, freq=freq, by=by, query=query, smooth=smooth, date_column=date_column, tz=tz
    )
    hue = by if by is not None else ("query" if several else None)
    y = y or ("share" if query is not None else "count")
    return plot_timeline(timeline, y=y, hue=hue, events=events, ax=ax, **kwargs)


for _function in (plot_timeline, plot_timelines, plot_coverage):
    _function.__doc__ = (_function.__doc__ or "").format(**_DOC_TIMELINE)
