"""Explore a corpus interactively in JupyterLab: query, attention over time, key terms, articles.

:func:`explore` returns an :class:`Explorer`, a widget in which a researcher types a boolean
query (the syntax of :func:`mediakit.select`), sees the attention it gets over time as a
share of coverage by group (partial periods hollow, spikes ringed, 95% Wilson band when the
timeline has one), the key terms of the matching articles against the rest and the outlets
that carry them, and clicks a period to read the matching articles of that period.

Everything on screen is also an attribute, computed by the plain functions of mediakit, so
an exploration becomes code: :attr:`Explorer.timeline`, :attr:`Explorer.spikes`,
:attr:`Explorer.key_terms`, :attr:`Explorer.top_outlets`, :attr:`Explorer.selection` and
:meth:`Explorer.to_code`, which gives the calls that reproduce them. Exported with
nbconvert, the widget leaves a static snapshot (the figure and the tables) behind.

Examples
--------
>>> import mediakit as mk
>>> articles = mk.datasets.load_allsides()
>>> widget = mk.explore(articles, by="lean", query="Putin OR Kremlin", progress=False)
>>> widget.select_period("2018-07-16")
>>> matching = mk.select(articles, "Putin OR Kremlin")
>>> week = matching["published"].between("2018-07-16", "2018-07-23", inclusive="left")
>>> widget.selection["article_id"].tolist() == matching[week]["article_id"].tolist()
True
>>> print(widget.to_code().splitlines()[1])
queries = {'Putin OR Kremlin': 'Putin OR Kremlin'}
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mediakit._periods import period_offset
from mediakit.query import QuerySyntaxError, matches, parse_query, query_terms
from mediakit.schema import to_utc

__all__ = ["Explorer", "explore", "parse_queries"]

_JS = Path(__file__).with_name("resources") / "explore_timeline.js"
_LABEL = re.compile(r"^\s*([\w][\w .'-]{0,40}?)\s*:\s*(\S.*)$")


def parse_queries(text: str | Mapping[str, str] | Sequence[str] | None) -> dict[str, str]:
    """Named queries from the explorer's query box: ``"label: query; label: query"``.

    Queries are separated by ``;`` outside double quotes; a query may start with a label
    and a colon, else the query is its own label.

    Examples
    --------
    >>> parse_queries('Russia: Putin OR Kremlin; tariff* AND "trade war"')
    {'Russia': 'Putin OR Kremlin', 'tariff* AND "trade war"': 'tariff* AND "trade war"'}
    """
    if text is None:
        return {}
    if isinstance(text, Mapping):
        return {str(k): str(v) for k, v in text.items() if str(v).strip()}
    if not isinstance(text, str):
        return {q.strip(): q.strip() for q in text if q.strip()}
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    out: dict[str, str] = {}
    for part in (p.strip() for p in parts):
        if not part:
            continue
        labelled = _LABEL.match(part)
        name, query = (labelled.group(1), labelled.group(2).strip()) if labelled else (part, part)
        out[name] = query
    return out


def _wilson_columns(timeline: pd.DataFrame) -> tuple[str, str] | None:
    for low, high in (("share_low", "share_high"), ("share_lower", "share_upper")):
        if low in timeline and high in timeline:
            return low, high
    return None


class Explorer:
    """The state and the widget of an exploration; see :func:`explore`.

    Attributes
    ----------
    queries : dict
        Label -> query of the series shown.
    timeline : DataFrame
        :func:`mediakit.coverage` of the queries (by group when ``by`` is given).
    spikes : DataFrame
        :func:`mediakit.detect_spikes` of that timeline, on the measure shown.
    key_terms : DataFrame
        :func:`mediakit.keyness` of the articles matching any query against the rest.
    top_outlets : DataFrame
        Matching articles per outlet: ``outlet, count, total, share``.
    period : Timestamp or None
        The period clicked (or set with :meth:`select_period`).
    selection : DataFrame
        The articles matching the queries in the selected period, as an article frame.
    """

    def __init__(
        self,
        articles: pd.DataFrame,
        *,
        query: str | Mapping[str, str] | Sequence[str] | None = None,
        by: Hashable | None = None,
        freq: str = "W",
        measure: str = "share",
        fields: Sequence[str] = ("title", "text"),
        top_n: int = 15,
        n_articles: int = 50,
        debounce: float = 0.3,
        progress: bool = True,
    ) -> None:
        from mediakit.schema import validate_articles
        from mediakit.terms._counting import _count, _text_blocks

        if not isinstance(articles, pd.DataFrame):
            raise TypeError(
                f"explore() takes an article frame (a pandas DataFrame); got "
                f"{type(articles).__name__}. Load one with mk.load_articles(...)."
            )
        validate_articles(articles)
        if by is not None and by not in articles.columns:
            raise KeyError(
                f"The 'by' parameter names a column that is not in the articles: {by!r}. "
                f"Available columns: {', '.join(map(str, articles.columns))}."
            )
        if measure not in ("share", "count"):
            raise ValueError(
                f"The 'measure' parameter of explore must be 'share' or 'count'. Got {measure!r}."
            )
        self.articles = articles
        self.by, self.freq, self.measure = by, freq, measure
        self.fields = list(fields)
        self.top_n, self.n_articles, self.debounce = top_n, n_articles, debounce
        self.progress = progress
        # The explicit index that makes each update fast: term counts per article,
        # computed once here, summed over the matching articles on every update.
        self._counts = _count(_text_blocks(articles, "text"), stop_words="english")
        self._published = to_utc(articles["published"]).reset_index(drop=True)
        self.queries: dict[str, str] = {}
        self.error: str | None = None
        self.period: pd.Timestamp | None = None
        self.timeline = pd.DataFrame()
        self.spikes = pd.DataFrame()
        self.key_terms = pd.DataFrame()
        self.top_outlets = pd.DataFrame()
        self._masks: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._generation = 0
        self._timer: threading.Timer | None = None
        self._widget: Any = None
        self._query_text = (
            query
            if isinstance(query, str)
            else "; ".join(f"{k}: {v}" for k, v in parse_queries(query).items())
        )
        self._update(parse_queries(query))

    # ----------------------------------------------------------------- computation
    def _compute(self, queries: dict[str, str]) -> dict[str, Any]:
        """Everything an update shows, from the queries alone (no widget state touched)."""
        from mediakit.terms._keyness import _keyness_table
        from mediakit.timeline import coverage, detect_spikes

        masks = {
            name: matches(self.articles, q, fields=self.fields).to_numpy()
            for name, q in queries.items()
        }
        any_match = np.zeros(len(self.articles), dtype=bool)
        for mask in masks.values():
            any_match |= mask
        query_arg: Any = dict(masks) if masks else None
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # undated articles: counted in the status line
            timeline = coverage(self.articles, freq=self.freq, by=self.by, query=query_arg)
            value = self.measure if masks else "count"
            spikes = detect_spikes(timeline, value=value) if len(timeline) else timeline
        key_terms = pd.DataFrame()
        if any_match.any() and not any_match.all():
            counts = self._counts
            a = np.asarray(counts.matrix[any_match].sum(axis=0)).ravel()
            b = np.asarray(counts.matrix[~any_match].sum(axis=0)).ravel()
            n_a = float(counts.words[any_match].sum())
            n_b = float(counts.words[~any_match].sum())
            if n_a and n_b:
                key_terms = _keyness_table(counts.terms, a, b, n_a, n_b, measure="g2", min_count=5)
                key_terms = key_terms[key_terms["direction"] == "target"].head(self.top_n)
                key_terms = key_terms.reset_index(drop=True)
        outlets = self.articles["outlet"].astype("str").fillna("(no outlet)")
        totals = outlets.value_counts()
        hits = outlets[any_match].value_counts()
        top_outlets = (
            pd.DataFrame({"count": hits, "total": totals.reindex(hits.index)})
            .assign(share=lambda d: d["count"] / d["total"])
            .rename_axis("outlet")
            .reset_index()
            .sort_values(["count", "outlet"], ascending=[False, True], kind="stable")
            .head(self.top_n)
            .reset_index(drop=True)
        )
        return {
            "queries": queries,
            "masks": masks,
            "timeline": timeline,
            "spikes": spikes,
            "key_terms": key_terms,
            "top_outlets": top_outlets,
        }

    def _update(self, queries: dict[str, str]) -> None:
        try:
            for q in queries.values():
                parse_query(q)
        except QuerySyntaxError as error:
            self.error = str(error)
            self._refresh_widget()
            return
        result = self._compute(queries)
        self._apply(result)

    def _apply(self, result: dict[str, Any]) -> None:
        self.error = None
        self.queries = result["queries"]
        self._masks = result["masks"]
        self.timeline = result["timeline"]
        self.spikes = result["spikes"]
        self.key_terms = result["key_terms"]
        self.top_outlets = result["top_outlets"]
        periods = self.timeline["period"] if len(self.timeline) else pd.Series([], dtype=object)
        if self.period is not None and not (periods == self.period).any():
            self.period = None
        self._refresh_widget()

    # ----------------------------------------------------------------- public actions
    def set_query(self, text: str | Mapping[str, str] | Sequence[str] | None) -> None:
        """Show these queries (the box's syntax: ``"label: query; label: query"``), now."""
        self._query_text = text if isinstance(text, str) else self._query_text
        self._update(parse_queries(text))

    def select_period(self, period: str | pd.Timestamp | None) -> None:
        """Select the period that starts at (or holds) ``period``; None clears it."""
        if period is None:
            self.period = None
        else:
            when = pd.Timestamp(period)
            when = when.tz_localize("UTC") if when.tzinfo is None else when.tz_convert("UTC")
            starts = pd.DatetimeIndex(self.timeline["period"].unique()).sort_values()
            at = starts.searchsorted(when, side="right") - 1
            if not len(starts) or at < 0:
                raise ValueError(
                    f"The period {period!r} is outside the timeline, which starts "
                    f"{starts[0] if len(starts) else 'nowhere (no dated article)'}."
                )
            self.period = starts[at]
        self._refresh_widget()

    def _period_bounds(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """Start and end of the selected period, as coverage cut it."""
        if self.period is None:
            return None
        step, _ = period_offset(self.freq)
        return self.period, self.period + step

    @property
    def selection(self) -> pd.DataFrame:
        """The articles matching the queries in the selected period (all periods if none)."""
        mask = np.zeros(len(self.articles), dtype=bool)
        for m in self._masks.values():
            mask |= m
        bounds = self._period_bounds()
        if bounds is not None:
            published = self._published.dt.tz_convert(None).to_numpy()
            start, end = (b.tz_convert(None).to_datetime64() for b in bounds)
            mask &= (published >= start) & (published < end)
        return self.articles[mask].sort_values("published", kind="stable")

    def to_code(self, articles: str = "articles") -> str:
        """The mediakit calls that reproduce what is on screen, as Python source.

        Run it where ``articles`` is the frame you explored: it defines ``timeline``,
        ``spikes``, ``key_terms`` and ``selection``, and draws the figure.
        """
        value = self.measure if self.queries else "count"
        by = f", by={self.by!r}" if self.by is not None else ""
        lines = [
            "import mediakit as mk",
            f"queries = {self.queries!r}",
            f"masks = {{name: mk.matches({articles}, q) for name, q in queries.items()}}",
            f"timeline = mk.coverage({articles}, freq={self.freq!r}{by}, query=masks or None)",
            f"spikes = mk.detect_spikes(timeline, value={value!r})",
        ]
        if self.by is not None and len(self.queries) > 1:
            lines.append(
                f"fig = mk.plot_timelines(timeline, col='query', y={value!r}, hue={self.by!r})"
            )
        else:
            hue = self.by if self.by is not None else ("query" if len(self.queries) > 1 else None)
            lines.append(f"ax = mk.plot_timeline(timeline, y={value!r}, hue={hue!r})")
        if self.queries:
            lines += [
                "matching = sum(mask.to_numpy() for mask in masks.values()) > 0",
                f"key_terms = mk.keyness({articles}, matching, min_count=5)",
                f"key_terms = key_terms[key_terms['direction'] == 'target'].head({self.top_n})",
                f"selection = {articles}[matching]",
            ]
        else:
            lines.append(f"selection = {articles}")
        bounds = self._period_bounds()
        if bounds is not None:
            start, end = (b.isoformat() for b in bounds)
            lines.append(
                f"selection = selection[(selection['published'] >= {start!r}) "
                f"& (selection['published'] < {end!r})]"
            )
        lines.append("selection = selection.sort_values('published', kind='stable')")
        return "\n".join(lines) + "\n"

    # ----------------------------------------------------------------- drawing
    def plot(self, ax: Any = None) -> Any:
        """Draw the timeline with mediakit's plotting functions, as :meth:`to_code` does.

        One query, or no groups: :func:`mediakit.plot_timeline` on ``ax`` (returns the
        Axes). Several queries by group: :func:`mediakit.plot_timelines`, a panel per
        query (returns the Figure; ``ax`` must be None).
        """
        from mediakit.plotting import plot_timeline, plot_timelines
        from mediakit.plotting.style import HIGHLIGHT

        value = self.measure if self.queries else "count"
        if self.by is not None and len(self.queries) > 1:
            if ax is not None:
                raise ValueError(
                    "Several queries by group are drawn as small multiples, one panel per "
                    "query: call plot() without ax=."
                )
            fig = plot_timelines(self.timeline, col="query", y=value, hue=self.by)
            axes = [a for a in fig.axes if a.get_visible()]
        else:
            hue = self.by if self.by is not None else ("query" if len(self.queries) > 1 else None)
            axes = [plot_timeline(self.timeline, y=value, hue=hue, ax=ax)]
            fig = axes[0]
        bounds = self._period_bounds()
        if bounds is not None:
            for axis in axes:
                axis.axvspan(bounds[0], bounds[1], color=HIGHLIGHT, zorder=0)
        return fig

    def _series_payload(self) -> dict[str, Any]:
        """The timeline as the chart's JSON: periods and one series per query x group."""
        from mediakit.plotting.style import HIGHLIGHT, palette

        timeline = self.timeline
        if not len(timeline):
            return {"periods": [], "series": [], "empty_reason": "no dated articles"}
        value = self.measure if self.queries else "count"
        starts = pd.DatetimeIndex(timeline["period"].unique()).sort_values()
        periods = [{"start": s.isoformat(), "label": s.strftime("%d %b %Y")} for s in starts]
        keys = [k for k in (self.by, "query") if k is not None and k in timeline]
        if "query" in keys and timeline["query"].nunique() == 1 and self.by is not None:
            keys = [self.by]
        spiked = set()
        if len(self.spikes):
            for row in self.spikes[[*keys, "period"]].itertuples(index=False, name=None):
                spiked.add(tuple(row))
        band = _wilson_columns(timeline) if value == "share" else None
        groups = timeline.groupby(keys, sort=False, observed=True) if keys else [((), timeline)]
        labels = [" / ".join(map(str, k if isinstance(k, tuple) else (k,))) for k, _ in groups]
        colours = palette(labels)
        series = []
        for (key, rows), label in zip(groups, labels, strict=True):
            key = key if isinstance(key, tuple) else (key,)
            rows = rows.set_index("period").reindex(starts)
            points = []
            for start, row in rows.iterrows():
                point = {
                    "value": float(row[value]) if pd.notna(row[value]) else 0.0,
                    "count": int(row["count"]) if pd.notna(row["count"]) else 0,
                    "total": int(row["total"]) if pd.notna(row["total"]) else 0,
                    "partial": bool(row["partial"]) if pd.notna(row["partial"]) else False,
                    "spike": (*key, start) in spiked,
                }
                if band is not None:
                    point["low"] = float(row[band[0]]) if pd.notna(row[band[0]]) else 0.0
                    point["high"] = float(row[band[1]]) if pd.notna(row[band[1]]) else 0.0
                points.append(point)
            series.append({"name": label, "color": _hex(colours[label]), "points": points})
        what = "share of coverage" if value == "share" else "articles"
        groups_text = f" by {self.by}" if self.by is not None else ""
        return {
            "periods": periods,
            "series": series,
            "highlight": HIGHLIGHT,
            "description": f"Line chart of {what} per period{groups_text} for "
            + (", ".join(self.queries) or "all articles"),
        }

    def _articles_html(self) -> str:
        if self.period is None:
            return "<p><i>Click a period on the timeline to list its matching articles.</i></p>"
        selection = self.selection
        shown = selection.head(self.n_articles)
        terms = [t.pattern() for q in self.queries.values() for t in query_terms(parse_query(q))]
        context = _first_context(shown, terms)
        rows = []
        for article_id, row in shown.iterrows():
            title = html.escape(
                str(row.get("title") if pd.notna(row.get("title")) else "(no title)")
            )
            url = row.get("url")
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                title = f'<a href="{html.escape(url)}" target="_blank" rel="noopener">{title}</a>'
            date = row["published"].strftime("%Y-%m-%d") if pd.notna(row["published"]) else ""
            rows.append(
                f'<tr data-article-id="{html.escape(str(row["article_id"]))}"><td>{date}</td>'
                f"<td>{html.escape(str(row.get('outlet')))}</td><td>{title}"
                f"<br><small>{html.escape(context.get(article_id, ''))}</small></td></tr>"
            )
        bounds = self._period_bounds()
        assert bounds is not None
        head = (
            f"<p><b>{len(selection)}</b> matching articles from {bounds[0]:%Y-%m-%d} to "
            f"{bounds[1] - pd.Timedelta(microseconds=1):%Y-%m-%d}"
            + (f", the first {len(shown)} shown" if len(shown) < len(selection) else "")
            + "</p>"
        )
        return head + '<table class="mk-articles">' + "".join(rows) + "</table>"

    def _status_text(self) -> str:
        if self.error:
            return f'<pre style="color:#a00">{html.escape(self.error)}</pre>'
        n = (
            int(np.logical_or.reduce(list(self._masks.values())).sum())
            if self._masks
            else len(self.articles)
        )
        undated = int(self._published.isna().sum())
        return (
            f"<span>{n} of {len(self.articles)} articles match"
            + (f"; {undated} undated articles left out of the timeline" if undated else "")
            + "</span>"
        )

    # ----------------------------------------------------------------- the widget
    @property
    def widget(self) -> Any:
        """The ipywidgets box shown in the notebook (built on first use)."""
        if self._widget is None:
            self._widget = _build_widget(self)
        return self._widget

    def _refresh_widget(self) -> None:
        if self._widget is None:
            return
        parts = self._widget._mk_parts
        parts["status"].value = self._status_text()
        parts["chart"].data = self._series_payload()
        parts["chart"].selected = (
            {"period": self.period.isoformat()} if self.period is not None else {}
        )
        parts["chart"].query_text = self._query_text or ""
        parts["chart"].measure = self.measure if self.queries else "count"
        parts["terms"].value = _table_html(
            self.key_terms,
            ["term", "count_target", "count_reference", "statistic"],
            "Key terms (G², matching vs rest)",
        )
        parts["outlets"].value = _table_html(
            self.top_outlets, ["outlet", "count", "share"], "Top outlets"
        )
        parts["articles"].value = self._articles_html()
        parts["chart"].version = parts["chart"].version + 1

    def _on_query(self, text: str) -> None:
        """Debounced: the update runs once typing pauses; a stale one is dropped."""
        with self._lock:
            self._generation += 1
            generation = self._generation
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.debounce, self._run_update, args=(text, generation))
            self._timer.daemon = True
            self._timer.start()

    def _run_update(self, text: str, generation: int) -> None:
        parts = self._widget._mk_parts if self._widget is not None else None
        if parts is not None:
            parts["busy"].layout.visibility = "visible"
        try:
            queries = parse_queries(text)
            for q in queries.values():
                parse_query(q)
        except QuerySyntaxError as error:
            with self._lock:
                if generation == self._generation:
                    self.error = str(error)
                    self._refresh_widget()
            if parts is not None:
                parts["busy"].layout.visibility = "hidden"
            return
        result = self._compute(queries)
        with self._lock:
            if generation == self._generation:  # a newer keystroke wins; this one is stale
                self._query_text = text
                self._apply(result)
                if parts is not None:
                    parts["busy"].layout.visibility = "hidden"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The widget, plus a static snapshot (figure and tables) for exported notebooks."""
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/html"] = self._snapshot_html()
        return bundle

    def _snapshot_html(self) -> str:
        import base64
        import io

        import matplotlib.pyplot as plt

        several = self.by is not None and len(self.queries) > 1
        if several:
            drawn = self.plot()
            fig = drawn
        else:
            fig, ax = plt.subplots(figsize=(8, 3.2), layout="constrained")
            self.plot(ax=ax)
        try:
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=90)
        finally:
            plt.close(fig)
        description = html.escape(self._series_payload().get("description", "timeline"))
        image = base64.b64encode(buffer.getvalue()).decode()
        return (
            f'<div class="mk-explore-snapshot"><img alt="{description}" '
            f'src="data:image/png;base64,{image}"/>'
            + _table_html(
                self.key_terms,
                ["term", "count_target", "count_reference", "statistic"],
                "Key terms",
            )
            + _table_html(self.top_outlets, ["outlet", "count", "share"], "Top outlets")
            + self._articles_html()
            + "</div>"
        )


def _hex(colour: Any) -> str:
    from matplotlib.colors import to_hex

    return to_hex(colour)


def _first_context(articles: pd.DataFrame, patterns: list[str], window: int = 8) -> dict[Any, str]:
    """A keyword-in-context line for each article: the first occurrence of a query term."""
    from mediakit.terms import kwic

    out: dict[Any, str] = {}
    if not len(articles) or not patterns:
        return out
    for pattern in patterns:
        pending = articles[~articles.index.isin(list(out))]
        if not len(pending):
            break
        try:
            hits = kwic(pending, pattern, regex=True, window=window)
        except (ValueError, KeyError):
            continue
        for row in hits.drop_duplicates("article_id").itertuples(index=False):
            index = pending.index[pending["article_id"] == row.article_id]
            if len(index) and index[0] not in out:
                out[index[0]] = f"…{row.left} [{row.match}] {row.right}…"
    return out


def _table_html(frame: pd.DataFrame, columns: list[str], caption: str) -> str:
    if not len(frame):
        return f"<p><b>{html.escape(caption)}</b>: none</p>"
    shown = frame[[c for c in columns if c in frame]].copy()
    for column in shown.select_dtypes("float").columns:
        shown[column] = shown[column].map(lambda v: f"{v:.3g}")
    body = shown.to_html(index=False, escape=True, border=0)
    return f"<div><b>{html.escape(caption)}</b>{body}</div>"


def _build_widget(explorer: Explorer) -> Any:
    import anywidget
    import ipywidgets as widgets
    import traitlets

    class TimelineChart(anywidget.AnyWidget):
        _esm = _JS
        data = traitlets.Dict().tag(sync=True)
        selected = traitlets.Dict().tag(sync=True)
        measure = traitlets.Unicode("share").tag(sync=True)
        query_text = traitlets.Unicode("").tag(sync=True)
        version = traitlets.Int(0).tag(sync=True)

    box = widgets.Text(
        value=explorer._query_text or "",
        placeholder="a boolean query, e.g. Putin AND (election* OR vote*); label: another query",
        description="Query",
        continuous_update=True,
        layout=widgets.Layout(width="95%"),
    )
    box.add_class("mk-explore-query")
    chart = TimelineChart(measure=explorer.measure if explorer.queries else "count")
    busy = widgets.HTML("<i>updating…</i>", layout=widgets.Layout(visibility="hidden"))
    parts = {
        "query": box,
        "chart": chart,
        "busy": busy,
        "status": widgets.HTML(),
        "terms": widgets.HTML(),
        "outlets": widgets.HTML(),
        "articles": widgets.HTML(),
    }
    parts["articles"].add_class("mk-explore-articles")
    parts["terms"].layout.margin = "0 2em 0 0"
    box.observe(lambda change: explorer._on_query(change["new"]), names="value")

    def on_select(change: dict[str, Any]) -> None:
        period = (change["new"] or {}).get("period")
        current = explorer.period.isoformat() if explorer.period is not None else None
        if period != current:
            explorer.select_period(period)

    chart.observe(on_select, names="selected")
    layout = widgets.VBox(
        [
            widgets.HBox([box, busy]),
            parts["status"],
            chart,
            widgets.HBox([parts["terms"], parts["outlets"]]),
            parts["articles"],
        ]
    )
    layout._mk_parts = parts
    explorer._widget = layout
    explorer._refresh_widget()
    return layout


def explore(
    articles: pd.DataFrame,
    *,
    query: str | Mapping[str, str] | Sequence[str] | None = None,
    by: Hashable | None = None,
    freq: str = "W",
    measure: str = "share",
    fields: Sequence[str] = ("title", "text"),
    top_n: int = 15,
    n_articles: int = 50,
    progress: bool = True,
) -> Explorer:
    """An interactive exploration of an article frame, for JupyterLab.

    Type a boolean query (several as ``"label: query; label: query"``), read the
    attention it gets over time as a share of coverage (by ``by`` when given), the key
    terms of the matching articles against the rest and the outlets carrying them, and
    click a period to list its matching articles. What is on screen is also available
    as frames (``timeline``, ``spikes``, ``key_terms``, ``top_outlets``, ``selection``)
    and as code (:meth:`Explorer.to_code`).

    Parameters
    ----------
    articles : DataFrame
        An article frame.
    query : str, list or dict, optional
        The first query (or named queries) to show.
    by : str, optional
        A column to split the timeline by, such as ``"lean"`` or ``"outlet"``.
    freq : str, default "W"
        The period, as in :func:`mediakit.coverage`.
    measure : {"share", "count"}, default "share"
        Attention as the share of each period's articles, or as counts.
    fields : sequence of str, default ("title", "text")
        The columns queries search.
    top_n : int, default 15
        Key terms and outlets listed.
    n_articles : int, default 50
        Articles listed for a selected period (``selection`` holds them all).
    progress : bool, default True
        Say what is being prepared while the term index is built.

    Returns
    -------
    Explorer
        Shows itself as a widget when it is the last value of a cell.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides()
    >>> widget = mk.explore(articles, query="tariff*", progress=False)
    >>> widget.key_terms["term"].head(3).tolist()
    ['tariffs', 'trade', 'china']
    """
    if progress:
        print(f"Indexing the terms of {len(articles):,} articles…", flush=True)
    return Explorer(
        articles,
        query=query,
        by=by,
        freq=freq,
        measure=measure,
        fields=fields,
        top_n=top_n,
        n_articles=n_articles,
        progress=progress,
    )
