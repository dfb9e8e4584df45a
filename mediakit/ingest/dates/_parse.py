"""Reading one date string, and the day written in a URL path."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pandas as pd

_MIN_YEAR = 1900

# --------------------------------------------------------------------------------------
# parsing one date string
# --------------------------------------------------------------------------------------

_ISO = re.compile(
    r"""^\s*
    (?P<y>\d{4})(?P<sep>-?)(?P<m>\d{2})(?P=sep)(?P<d>\d{2})
    (?:[T\s_]+
        (?P<H>\d{1,2})(?P<tsep>:?)(?P<M>\d{2})(?:(?P=tsep)(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?
        \s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?
    )?
    \s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_YMD_SLASH = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})\s*$")
_EPOCH = re.compile(r"^\s*(\d{9,10}|\d{12,13})(?:\.\d+)?\s*$")

# common abbreviations in English-language pages; dateutil does not know them
_TZ_ABBREVIATIONS = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "MEZ": 1,
    "MESZ": 2,
    "EET": 2,
    "EEST": 3,
    "IST": 5.5,
    "JST": 9,
    "KST": 9,
    "AEST": 10,
    "AEDT": 11,
}
_TZINFOS = {name: timezone(timedelta(hours=hours)) for name, hours in _TZ_ABBREVIATIONS.items()}


def _tz_from_text(text: str | None) -> timezone | None:
    if not text:
        return None
    text = text.upper()
    if text in _TZINFOS:
        return _TZINFOS[text]
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4]) if len(digits) >= 4 else 0
    if hours > 14 or minutes > 59:
        raise ValueError(f"offset {text!r} out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _parse_iso(text: str) -> tuple[datetime, bool] | None:
    match = _ISO.match(text)
    if match is None:
        return None
    g = match.groupdict()
    year, month, day = int(g["y"]), int(g["m"]), int(g["d"])
    if g["H"] is None:
        return datetime(year, month, day), False
    fraction = (g["f"] or "0")[:6].ljust(6, "0")
    second = int(g["S"] or 0)
    value = datetime(year, month, day, int(g["H"]), int(g["M"]), min(second, 59), int(fraction))
    tz = _tz_from_text(g["tz"])
    return (value.replace(tzinfo=tz) if tz else value), True


def parse_date_string(value: object, *, dayfirst: bool = False) -> tuple[datetime, bool] | None:
    """Parse one date or date-time written in any common format.

    Returns the date-time as written (tz-aware when the text gives an offset or a
    known zone abbreviation, naive otherwise) and whether a time of day was given;
    ``None`` when the text holds no date. Never raises.

    Parameters
    ----------
    value : object
        A string (ISO 8601, RFC 2822, "March 20, 2018", "20.03.2018", GDELT
        "20180320T101500Z", epoch seconds or milliseconds), a number (epoch seconds
        or milliseconds), or a :class:`datetime.datetime` / :class:`datetime.date`.
    dayfirst : bool, default False
        Read ambiguous numeric dates such as "03/04/2018" day first.

    Examples
    --------
    >>> parse_date_string("2018-03-20T10:05:00-04:00")
    (datetime.datetime(2018, 3, 20, 10, 5, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=72000))), True)
    >>> parse_date_string("March 20, 2018")
    (datetime.datetime(2018, 3, 20, 0, 0), False)
    >>> parse_date_string("no date here") is None
    True
    """
    try:
        return _parse_any(value, dayfirst=dayfirst)
    except (ValueError, TypeError, OverflowError, ArithmeticError, LookupError, OSError):
        return None


def _parse_any(value: object, *, dayfirst: bool) -> tuple[datetime, bool] | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime(), True
    if isinstance(value, datetime):
        return value, True
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), False
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not 1e8 <= value < 1e14:  # NaN, years, counts: not epoch seconds or ms
            return None
        return _from_epoch(float(value)), True
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 200:
        return None
    parsed = _parse_iso(text)
    if parsed is not None:
        return parsed
    match = _EPOCH.match(text)
    if match is not None:
        return _from_epoch(float(text)), True
    match = _YMD_SLASH.match(text)
    if match is not None:
        year, month, day = (int(part) for part in match.groups())
        return datetime(year, month, day), False
    if re.search(r"\d", text) is None:
        return None
    try:
        parsed_rfc = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed_rfc = None
    if parsed_rfc is not None:
        return parsed_rfc, True
    return _parse_dateutil(text, dayfirst=dayfirst)


def _from_epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    return datetime.fromtimestamp(seconds, tz=UTC)


_NO_DATE = datetime(1, 1, 1)
_NO_DATE_2 = datetime(2, 2, 2)


def _parse_dateutil(text: str, *, dayfirst: bool) -> tuple[datetime, bool] | None:
    import warnings

    from dateutil import parser as du_parser

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names: parsed as naive
            first = du_parser.parse(text, default=_NO_DATE, dayfirst=dayfirst, tzinfos=_TZINFOS)
            second = du_parser.parse(text, default=_NO_DATE_2, dayfirst=dayfirst, tzinfos=_TZINFOS)
    except (du_parser.ParserError, ValueError, OverflowError, TypeError):
        return None
    # the text must give year, month and day itself: parsing with two different
    # defaults tells a missing component apart
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None
    has_time = (first.hour, first.minute, first.second) != (0, 0, 0) or bool(
        re.search(r"\d:\d\d", text)
    )
    return first, has_time


def _to_utc_timestamp(value: datetime) -> pd.Timestamp:
    if value.tzinfo is None:
        return pd.Timestamp(value).tz_localize("UTC").as_unit("us")
    return pd.Timestamp(value).tz_convert("UTC").as_unit("us")


# --------------------------------------------------------------------------------------
# URL
# --------------------------------------------------------------------------------------

_URL_YMD = re.compile(
    # /2018/3/20/ or /2018/03/20.html: slashes, then a separator or the end
    r"(?<![0-9])((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:[/.?#]|$)"
    # 2018-03-20 or 2018_03_20: two-digit month and day
    r"|(?<![0-9])((?:19|20)\d{2})([-_])(0[1-9]|1[0-2])\5(0[1-9]|[12]\d|3[01])(?![0-9])"
)
_URL_COMPACT = re.compile(
    r"(?<![0-9])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![0-9])"
)


def _url_path(url: str) -> str:
    # drop scheme and host; keep path and query (some sites put ?date=...)
    text = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url.strip(), flags=re.IGNORECASE)
    # archive captures embed the original URL after a 14-digit timestamp
    archived = re.match(r"^/web/\d{14}[a-z_]*/(.*)$", text)
    if archived:
        return _url_path(archived.group(1))
    return text


def _date_from_url(url: str | None) -> date | None:
    if not url or not isinstance(url, str):
        return None
    path = _url_path(url)
    for pattern in (_URL_YMD, _URL_COMPACT):
        for match in pattern.finditer(path):
            parts = [g for g in match.groups() if g and g not in "-_"]
            try:
                return date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                continue
    return None


def date_from_url(url: str | None) -> pd.Timestamp | None:
    """The publication day written in a URL path, as midnight UTC, or None.

    Recognises ``/2018/03/20/``, ``/2018-03-20-title``, ``_2018_03_20`` and the
    compact ``20180320`` when it stands alone (not inside a longer number). The host
    name is ignored, and web-archive capture times are skipped in favour of the
    archived URL.

    Parameters
    ----------
    url : str or None
        The page address.

    Returns
    -------
    pandas.Timestamp or None

    Examples
    --------
    >>> date_from_url("https://example.org/politics/2018/03/20/vote-count/")
    Timestamp('2018-03-20 00:00:00+0000', tz='UTC')
    >>> date_from_url("https://example.org/news/20180320-vote.html")
    Timestamp('2018-03-20 00:00:00+0000', tz='UTC')
    >>> date_from_url("https://example.org/2023/10/3-questions/") is None
    True
    """
    day = _date_from_url(url)
    if day is None:
        return None
    return pd.Timestamp(day.year, day.month, day.day, tz="UTC").as_unit("us")
