"""A column of dates from a table or sidecar metadata."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, overload

import numpy as np
import pandas as pd

from mediakit.ingest.dates._parse import _EPOCH, _MIN_YEAR, _to_utc_timestamp, parse_date_string

# --------------------------------------------------------------------------------------
# a column of dates from a table or sidecar metadata
# --------------------------------------------------------------------------------------

_COMPACT_NUMBER = re.compile(r"^(\d{8}|\d{14})$")
#: "03/04/2018", "3.4.18", "03-04-2018 10:15": day and month in an order the text does
#: not say, the year last
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)(.*)$", re.S)

CONFLICTING_ORDER = "conflicting day/month order"
CONFLICTING_EPOCH = "conflicting epoch units (seconds and milliseconds)"


@dataclass
class _Conventions:
    """How a column writes its dates, decided once from all its values."""

    dayfirst: bool | None = False  # None: the column shows both orders
    pivot: int = 0  # two-digit years up to this are 20yy, the others 19yy
    epoch_conflict: bool = False
    notes: dict[str, int] = field(default_factory=dict)


def _epoch_unit(value: object) -> str | None:
    """ "s" or "ms" for an epoch number (or its digits), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not 1e8 <= value < 1e14 or _COMPACT_NUMBER.match(f"{value:.0f}"):
            return None
        return "ms" if value >= 1e11 else "s"
    if isinstance(value, str) and _EPOCH.match(value):
        return "ms" if float(value) >= 1e11 else "s"
    return None


def _conventions(
    values: np.ndarray, *, dayfirst: bool | None, name: str, now_year: int
) -> _Conventions:
    """Decide the column's day/month order, century and epoch unit from its values.

    A first field above 12 ("13/04/2018") shows day-first, a second field above 12
    ("04/13/2018") month-first; a column showing both is refused as a whole, and one
    showing neither is read by ``dayfirst`` (month-first when not given, with a
    warning). Never value by value: "03/04/2018" and "13/04/2018" in one column are
    read the same way round.
    """
    found = _Conventions(pivot=(now_year + 1) % 100)
    distinct = {v for v in values if isinstance(v, str) and len(v) < 80}
    numeric = [m for m in map(_NUMERIC_DATE.match, distinct) if m is not None]
    day_first = sum(1 for m in numeric if int(m[1]) > 12 >= int(m[3]))
    month_first = sum(1 for m in numeric if int(m[3]) > 12 >= int(m[1]))
    either = [m for m in numeric if int(m[1]) <= 12 and int(m[3]) <= 12 and m[1] != m[3]]
    counts = Counter(v for v in values if isinstance(v, str))

    def count(matches: list[re.Match[str]]) -> int:
        return int(sum(counts.get(m.string, 0) for m in matches))

    if day_first and month_first:
        found.dayfirst = None
        found.notes[CONFLICTING_ORDER] = count(numeric)
        warnings.warn(
            f"normalize_published: column {name!r} writes dates day-first (e.g. "
            f"{next(m.string for m in numeric if int(m[1]) > 12)!r}) and month-first (e.g. "
            f"{next(m.string for m in numeric if int(m[3]) > 12)!r}); its {count(numeric):,} "
            "numeric dates are left empty. Split the column by source or fix the export.",
            UserWarning,
            stacklevel=3,
        )
    elif day_first or month_first:
        found.dayfirst = bool(day_first)
        if dayfirst is not None and dayfirst != found.dayfirst:
            order = "day-first" if found.dayfirst else "month-first"
            found.notes[f"day/month order read from the values ({order}), not dayfirst="] = count(
                numeric
            )
            warnings.warn(
                f"normalize_published: column {name!r} is {order} by its own values, which "
                f"contradicts dayfirst={dayfirst}; read {order}.",
                UserWarning,
                stacklevel=3,
            )
    elif either:
        found.dayfirst = bool(dayfirst)
        order = "day-first" if dayfirst else "month-first"
        if dayfirst is None:
            found.notes[f"ambiguous day/month order: read {order}"] = count(either)
            warnings.warn(
                f"normalize_published: column {name!r} has {count(either):,} dates such as "
                f"{either[0].string!r} whose day and month could be either way round, and no "
                "value that tells; read month-first. Pass dayfirst=True if they are "
                "day-first (dayfirst=False to say they are month-first).",
                UserWarning,
                stacklevel=3,
            )
        else:
            found.notes[f"ambiguous day/month order: read {order} (dayfirst={dayfirst})"] = count(
                either
            )
    two_digit = [m for m in numeric if len(m[4]) == 2]
    if two_digit:
        first = 1900 + found.pivot + 1
        span = f"{first}-{first + 99}"
        found.notes[f"two-digit years read as {span}"] = count(two_digit)
        warnings.warn(
            f"normalize_published: column {name!r} has {count(two_digit):,} dates with a "
            f"two-digit year such as {two_digit[0].string!r}; read as years {span}.",
            UserWarning,
            stacklevel=3,
        )
    units = {_epoch_unit(v) for v in distinct} | {
        _epoch_unit(v) for v in values if not isinstance(v, str)
    }
    units.discard(None)
    if len(units) > 1:
        found.epoch_conflict = True
        mixed = [v for v in values if _epoch_unit(v) is not None]
        found.notes[CONFLICTING_EPOCH] = len(mixed)
        warnings.warn(
            f"normalize_published: column {name!r} mixes epoch seconds and milliseconds; "
            f"its {len(mixed):,} epoch numbers are left empty. Convert them to one unit.",
            UserWarning,
            stacklevel=3,
        )
    return found


def _parse_cell(
    value: object, conventions: _Conventions | None = None
) -> tuple[datetime | None, str | None]:
    """One cell -> (date-time, None) or (None, reason)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None, "missing"
    if isinstance(value, float) and value != value:
        return None, "missing"
    if isinstance(value, str) and not value.strip():
        return None, "missing"
    if conventions is not None and conventions.epoch_conflict and _epoch_unit(value):
        return None, CONFLICTING_EPOCH
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = f"{value:.0f}" if float(value).is_integer() else ""
        if _COMPACT_NUMBER.match(number):  # GDELT-style 20180320 or 20180320101500
            value = number
    match = _NUMERIC_DATE.match(value) if isinstance(value, str) else None
    if match is not None:
        conventions = conventions or _Conventions()
        if conventions.dayfirst is None:
            return None, CONFLICTING_ORDER
        first, second, year_text, rest = int(match[1]), int(match[3]), match[4], match[5]
        day, month = (first, second) if conventions.dayfirst else (second, first)
        year = int(year_text)
        if len(year_text) == 2:
            year += 2000 if year <= conventions.pivot else 1900
        parsed = parse_date_string(f"{year:04d}-{month:02d}-{day:02d}{rest}")
    else:
        parsed = parse_date_string(value)
    if parsed is None:
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        return None, f"unparseable: {shown}"
    return parsed[0], None


@overload
def normalize_published(
    values: pd.Series | Iterable[object],
    *,
    now: object = ...,
    dayfirst: bool | None = ...,
    return_notes: Literal[False] = ...,
) -> tuple[pd.Series, pd.Series]: ...


@overload
def normalize_published(
    values: pd.Series | Iterable[object],
    *,
    now: object = ...,
    dayfirst: bool | None = ...,
    return_notes: Literal[True],
) -> tuple[pd.Series, pd.Series, dict[str, int]]: ...


def normalize_published(
    values: pd.Series | Iterable[object],
    *,
    now: object = None,
    dayfirst: bool | None = None,
    return_notes: bool = False,
) -> tuple[pd.Series, pd.Series] | tuple[pd.Series, pd.Series, dict[str, int]]:
    """Parse publication dates written in many formats to UTC timestamps, with reasons.

    Accepts ISO 8601 ("2018-03-20", "2018-03-20T10:15:00-04:00"), RFC 2822
    ("Tue, 20 Mar 2018 10:15:00 +0000"), written dates ("March 20, 2018",
    "20 March 2018"), epoch seconds or milliseconds, GDELT ("20180320T101500Z",
    20180320101500) and Media Cloud ("2018-03-20 10:15:00") stamps, and datetime
    objects. Values without an offset are taken as UTC. A value that cannot be used
    becomes NaT, and the second series says why: ``"missing"``, ``"unparseable:
    <value>"``, ``"in the future"`` (more than a day after ``now``) or
    ``"before 1900"``.

    Numeric dates such as "03/04/2018" are read one way round for the whole column,
    decided from the column's values: a first field above 12 ("13/04/2018") means
    day-first, a second field above 12 ("04/13/2018") month-first. A column with no
    such value is read by ``dayfirst`` when given, else month-first with a warning
    naming the column and ``dayfirst=``; a column showing both orders gets NaT for its
    numeric dates with the reason ``"conflicting day/month order"``. Two-digit years
    ("03/04/18") are read in the hundred years up to a year after ``now``, with a
    warning; a column mixing epoch seconds and milliseconds gets NaT for them with the
    reason ``"conflicting epoch units (seconds and milliseconds)"``.

    Parameters
    ----------
    values : Series or iterable
        The dates; the index of a Series is kept (its name names it in warnings).
    now : datetime-like, optional
        Reference time for the "in the future" check; the current time if omitted.
    dayfirst : bool, optional
        How to read a column whose numeric dates could be either way round. The
        column's own values win when they show the order.
    return_notes : bool, default False
        Also return what was decided for the whole column, as a dict from reason to
        the number of values it concerns (e.g. ``{"ambiguous day/month order: read
        month-first": 120}``), for a report.

    Returns
    -------
    published : Series
        ``datetime64[us, UTC]``, NaT where a value was refused.
    reasons : Series
        String dtype, NA where the value was used, else the reason it was not.
    notes : dict, only with ``return_notes=True``

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

    One column, one order: "13/04/2018" shows that "03/04/2018" is 3 April.

    >>> published, _, notes = normalize_published(
    ...     ["03/04/2018", "13/04/2018"], now="2024-01-01", return_notes=True
    ... )
    >>> published.dt.strftime("%d %B").tolist(), notes
    (['03 April', '13 April'], {})
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

    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise TypeError(
            f"normalize_published: 'dayfirst' must be True, False or None, got {dayfirst!r}."
        )
    values = pd.Series(series.tolist(), dtype=object).to_numpy()
    published = pd.Series(pd.NaT, index=range(len(values)), dtype="datetime64[us, UTC]")
    reasons = np.full(len(values), None, dtype=object)
    done = _normalize_iso_fast(values, earliest, latest, published, reasons)
    name = "values" if series.name is None else str(series.name)
    conventions = _conventions(values[~done], dayfirst=dayfirst, name=name, now_year=reference.year)

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
            stamp, reason = _normalize_one(value, earliest, latest, conventions)
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
    if return_notes:
        return published, reason_series, conventions.notes
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
    value: object, earliest: pd.Timestamp, latest: pd.Timestamp, conventions: _Conventions
) -> tuple[pd.Timestamp | None, str | None]:
    parsed, reason = _parse_cell(value, conventions)
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
