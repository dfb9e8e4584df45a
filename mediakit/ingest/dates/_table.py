"""A column of dates from a table or sidecar metadata."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

import numpy as np
import pandas as pd

from mediakit.ingest.dates._parse import _MIN_YEAR, _to_utc_timestamp, parse_date_string

# --------------------------------------------------------------------------------------
# a column of dates from a table or sidecar metadata
# --------------------------------------------------------------------------------------

_COMPACT_NUMBER = re.compile(r"^(\d{8}|\d{14})$")


def _parse_cell(value: object) -> tuple[datetime | None, str | None]:
    """One cell -> (date-time, None) or (None, reason)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None, "missing"
    if isinstance(value, float) and value != value:
        return None, "missing"
    if isinstance(value, str) and not value.strip():
        return None, "missing"
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = f"{value:.0f}" if float(value).is_integer() else ""
        if _COMPACT_NUMBER.match(number):  # GDELT-style 20180320 or 20180320101500
            value = number
    parsed = parse_date_string(value)
    if parsed is None:
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        return None, f"unparseable: {shown}"
    return parsed[0], None


def normalize_published(
    values: pd.Series | Iterable[object], *, now: object = None
) -> tuple[pd.Series, pd.Series]:
    """Parse publication dates written in many formats to UTC timestamps, with reasons.

    Accepts ISO 8601 ("2018-03-20", "2018-03-20T10:15:00-04:00"), RFC 2822
    ("Tue, 20 Mar 2018 10:15:00 +0000"), written dates ("March 20, 2018",
    "20 March 2018"), epoch seconds or milliseconds, GDELT ("20180320T101500Z",
    20180320101500) and Media Cloud ("2018-03-20 10:15:00") stamps, and datetime
    objects. Values without an offset are taken as UTC. A value that cannot be used
    becomes NaT, and the second series says why: ``"missing"``, ``"unparseable:
    <value>"``, ``"in the future"`` (more than a day after ``now``) or
    ``"before 1900"``.

    Parameters
    ----------
    values : Series or iterable
        The dates; the index of a Series is kept.
    now : datetime-like, optional
        Reference time for the "in the future" check; the current time if omitted.

    Returns
    -------
    published : Series
        ``datetime64[us, UTC]``, NaT where a value was refused.
    reasons : Series
        String dtype, NA where the value was used, else the reason it was not.

    Examples
    --------
    >>> published, reasons = normalize_published(
    ...     ["2018-03-20T10:15:00-04:00", "March 20, 2018", "20180320T101500Z",
    ...      1521541800, "2999-01-01", "1850-06-01", "soon"],
    ...     now="2024-01-01",
    ... )
    >>> published
    0   2018-03-20 14:15:00+00:00
    1   2018-03-20 00:00:00+00:00
    2   2018-03-20 10:15:00+00:00
    3   2018-03-20 10:30:00+00:00
    4                         NaT
    5                         NaT
    6                         NaT
    dtype: datetime64[us, UTC]
    >>> reasons.tolist()
    [<NA>, <NA>, <NA>, <NA>, 'in the future', 'before 1900', "unparseable: 'soon'"]
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if now is None:
        reference = pd.Timestamp.now(tz="UTC")
    else:
        try:
            reference = pd.Timestamp(now)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"normalize_published: 'now' must be a date-time, got {now!r}. "
                "Pass a pandas.Timestamp, a datetime or an ISO 8601 string, or leave it out."
            ) from error
        if pd.isna(reference):
            raise ValueError(
                f"normalize_published: 'now' must be a date-time, got {now!r}. "
                "Pass a pandas.Timestamp, a datetime or an ISO 8601 string, or leave it out."
            )
        reference = (
            reference.tz_localize("UTC")
            if reference.tzinfo is None
            else reference.tz_convert("UTC")
        )
    latest = reference + pd.Timedelta(days=1)
    earliest = pd.Timestamp(_MIN_YEAR, 1, 1, tz="UTC")

    values = pd.Series(series.tolist(), dtype=object).to_numpy()
    published = pd.Series(pd.NaT, index=range(len(values)), dtype="datetime64[us, UTC]")
    reasons = np.full(len(values), None, dtype=object)
    done = _normalize_iso_fast(values, earliest, latest, published, reasons)

    # everything else value by value, each distinct value parsed once
    cache: dict[object, tuple[pd.Timestamp | None, str | None]] = {}
    rest_positions: list[int] = []
    rest_stamps: list[pd.Timestamp] = []
    for position in np.flatnonzero(~done):
        value = values[position]
        try:
            key: object = (type(value), value)
            hash(key)
        except TypeError:
            key = None
        if key is not None and key in cache:
            stamp, reason = cache[key]
        else:
            stamp, reason = _normalize_one(value, earliest, latest)
            if key is not None:
                cache[key] = (stamp, reason)
        reasons[position] = reason
        if stamp is not None:
            rest_positions.append(int(position))
            rest_stamps.append(stamp)
    if rest_positions:
        published.iloc[rest_positions] = pd.DatetimeIndex(rest_stamps).as_unit("us")
    published.index = series.index
    reason_series = pd.Series(reasons, index=series.index, dtype=pd.StringDtype())
    return published, reason_series


_ISO_FAST = (
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)


_GDELT_FAST = r"^\d{8}T?\d{6}Z?$"


def _normalize_iso_fast(
    values: np.ndarray,
    earliest: pd.Timestamp,
    latest: pd.Timestamp,
    published: pd.Series,
    reasons: np.ndarray,
) -> np.ndarray:
    """Parse the plain ISO 8601 strings of a column in one vectorised pass.

    Fills ``published`` and ``reasons`` for those values and returns a mask of the
    positions it settled; the others go through the value-by-value parser.
    """
    done = np.zeros(len(values), dtype=bool)
    is_text = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))
    if is_text.sum() < 64:  # not worth the set-up
        return done
    text = pd.Series(values[is_text], index=np.flatnonzero(is_text), dtype=pd.StringDtype())
    iso = text[text.str.match(_ISO_FAST).fillna(False).astype(bool)]
    # GDELT's compact stamps, "20180320T101500Z" or "20180320101500" (UTC)
    compact = text[text.str.match(_GDELT_FAST).fillna(False).astype(bool)]
    if iso.empty and compact.empty:
        return done
    parts = [
        pd.to_datetime(iso, format="ISO8601", utc=True, errors="coerce"),
        pd.to_datetime(
            compact.str.replace(r"[TZ]", "", regex=True),
            format="%Y%m%d%H%M%S",
            utc=True,
            errors="coerce",
        ),
    ]
    parsed = pd.concat([part for part in parts if not part.empty]).dropna()
    parsed = parsed.dt.as_unit("us")
    positions = parsed.index.to_numpy()
    done[positions] = True
    early = (parsed < earliest).to_numpy()
    late = (parsed > latest).to_numpy()
    reasons[positions[early]] = "before 1900"
    reasons[positions[late]] = "in the future"
    good = ~(early | late)
    published.iloc[positions[good]] = parsed.array[good]
    return done


def _normalize_one(
    value: object, earliest: pd.Timestamp, latest: pd.Timestamp
) -> tuple[pd.Timestamp | None, str | None]:
    parsed, reason = _parse_cell(value)
    if parsed is None:
        return None, reason
    if parsed.replace(tzinfo=None).year < _MIN_YEAR:
        return None, "before 1900"
    try:
        stamp = _to_utc_timestamp(parsed)
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None, f"unparseable: {value!r}"[:80]
    if stamp < earliest:
        return None, "before 1900"
    if stamp > latest:
        return None, "in the future"
    return stamp, None
