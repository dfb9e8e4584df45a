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

from mediakit.plotting._core import DOCS, check_columns, legend_beside, new_axes
from mediakit.plotting.style import palette

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
        Dated annotations drawn as a dotted vertical line with the label in a band
        above the data, clear of the lines (labels that would collide go to a second
        row): ``[("2018-07-16", "Helsinki summit")]``, ``{date: label}``, or a frame
        with ``date`` and ``label`` columns. In small multiples, a frame column named
        like ``col`` puts each event only on its panel (missing: on every panel).
        Naive dates are read in the data's time zone.""",
    "band": """band : bool, optional
        Draw each share's 95% interval (``share_low``, ``share_high`` of
        :func:`mediakit.coverage`) as a shaded band around its line. Default: when
        ``y="share"`` and the columns are there.""",
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


def _events(events: Events, tz: Any, col: str | None = None) -> list[tuple[pd.Timestamp, str, Any]]:
    """(date, label, panel) of each event; panel None means every panel."""
    if events is None:
        return []
    panels: list[Any] | None = None
    if isinstance(events, pd.DataFrame):
        if not {"date", "label"} <= set(events.columns):
            raise ValueError(
                f"The 'events' frame must have 'date' and 'label' columns, got "
                f"{list(events.columns)}. Rename them, e.g. events.rename(columns={{...}})."
            )
        pairs: list[tuple[Any, Any]] = list(zip(events["date"], events["label"], strict=True))
        if col is not None and col in events.columns:
            panels = [None if pd.isna(v) else v for v in events[col]]
    elif isinstance(events, Mapping):
        pairs = list(events.items())
    else:
        pairs = list(events)
    out = []
    for i, item in enumerate(pairs):
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
        out.append((stamp, str(label), None if panels is None else panels[i]))
    return out


def _label_events(
    ax: Axes, events: list[tuple[pd.Timestamp, str, Any]], *, raise_top: bool = True
) -> float:
    """Dotted lines at the events, labels in rows in a band above the data.

    Each label is placed in the first row where it does not collide with a label
    already there; the y range is then raised so the data stay below the band (with
    ``raise_top=False`` the caller raises it by the fraction returned).
    """
    import matplotlib.dates as mdates

    if not events:
        return 0.0
    fig: Any = ax.figure
    position = ax.get_position()
    width_pt = 0.7 * position.width * fig.get_figwidth() * 72  # after layout: smaller
    height_pt = 0.75 * position.height * fig.get_figheight() * 72
    size = 7.0
    row_pt = size * 1.5
    low, high = ax.get_xlim()
    rows: list[list[tuple[float, float]]] = []
    placed = []
    for when, label, _ in sorted(events, key=lambda e: e[0]):
        x = float(mdates.date2num(when))
        ax.axvline(x, **_EVENT_STYLE, gid="event", label=f"_event {label}")
        at = (x - low) / (high - low) if high > low else 0.5
        width = (len(label) * 0.55 * size + 4) / width_pt
        right = at + width <= 1.0
        span = (at, at + width) if right else (at - width, at)
        free = [
            i for i, taken in enumerate(rows) if all(span[1] < a or span[0] > b for a, b in taken)
        ]
        if not free:
            rows.append([])
        r = free[0] if free else len(rows) - 1
        rows[r].append(span)
        placed.append((x, label, r, right))
    band = min(len(rows) * row_pt / height_pt, 0.5)
    if raise_top:
        _raise_top(ax, band)
    for x, label, r, right in placed:
        ax.annotate(
            label,
            xy=(x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(2 if right else -2, -(r + 1) * row_pt + 2),
            textcoords="offset points",
            ha="left" if right else "right",
            va="bottom",
            fontsize=size,
            color="0.25",
            gid="event",
        )
    return band


def _raise_top(ax: Axes, band: float) -> None:
    """Raise the top of the y range so the data fill only ``1 - band`` of the height."""
    bottom, top = ax.get_ylim()
    ax.set_ylim(bottom, bottom + (top - bottom) / (1 - band))


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
    from mediakit._periods import smooth_series as _smooth

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
    band: bool = False,
) -> bool:
    """Draw one line per hue level (and its interval band); return whether any partial
    period was drawn."""
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
        if band:
            ax.fill_between(
                xs,
                series["share_low"].to_numpy(dtype="float64", na_value=np.nan),
                series["share_high"].to_numpy(dtype="float64", na_value=np.nan),
                color=line.get_color(),
                alpha=0.15,
                linewidth=0,
                label=f"_interval {label}",
                gid="interval",
            )
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
    period_name: str | None,
) -> None:
    import matplotlib.dates as mdates
    from matplotlib.ticker import PercentFormatter

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


def _use_band(data: pd.DataFrame, y: str, band: bool | None, smooth: int | None) -> bool:
    has = {"share_low", "share_high"} <= set(data.columns)
    if band and not has:
        raise ValueError(
            "The 'band' parameter needs the 'share_low' and 'share_high' columns of "
            f"mediakit.coverage(...); `data` has {list(data.columns)}. Pass band=False or "
            "recompute the timeline with coverage(...)."
        )
    if band and (y != "share" or smooth is not None):
        raise ValueError(
            f"The 'band' parameter draws the interval of unsmoothed shares; got y={y!r}, "
            f"smooth={smooth!r}. Pass y='share' without smooth=, or band=False."
        )
    return bool(band) if band is not None else (has and y == "share" and smooth is None)


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
    band: bool | None = None,
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
    {band}
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
    colors = _colors(data, hue, palette)
    columns = -(-len(colors) // 30)  # legend columns beside the axes (30 entries each)
    target = new_axes(
        ax,
        width=7.0 + 1.6 * max(columns - 1, 0),
        height=max(3.2, 0.14 * min(len(colors), 30) + 0.6),
    )
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
        band=_use_band(data, y, band, smooth),
        kwargs=dict(kwargs),
    )
    _decorate(target, data, x=x, y=y, period_name=_period_name(data[x]))
    if y in _Y_LABELS:
        target.set_ylim(bottom=0)
    _label_events(target, marked)
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
        legend_beside(target, handles, labels, title=hue)
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
    band: bool | None = None,
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
    {band}
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
    marked = _events(events, tz, col)
    period_name = _period_name(data[x])
    drew_partial = False
    use_band = _use_band(data, y, band, smooth)
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
            band=use_band,
            kwargs=dict(kwargs),
        )
        _decorate(ax, panel, x=x, y=y, period_name=period_name)
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
    bands = [
        _label_events(
            ax,
            [e for e in marked if e[2] is None or e[2] == level],
            raise_top=not sharey,
        )
        for ax, level in zip(flat, levels, strict=False)
    ]
    if sharey and max(bands, default=0.0) > 0:
        _raise_top(flat[0], max(bands))
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
