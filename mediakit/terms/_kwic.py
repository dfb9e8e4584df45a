"""Keywords in context: every occurrence of a word, phrase or pattern with the words around it."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from mediakit._compute import runner_for
from mediakit._validation import as_list, check_int, require_columns
from mediakit.query import Term
from mediakit.terms._counting import Fields, _texts
from mediakit.tokenize import TOKEN

# --------------------------------------------------------------------------- kwic
_WORD_PATTERN = re.compile(r"[^\W_](?:[\w.'’-]*[\w.])?\*?")


def _pattern_regex(pattern: str, *, regex: bool, case: bool) -> tuple[re.Pattern[str], str]:
    """The compiled pattern and a literal every match contains ("" when unknown)."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError(
            f"The 'pattern' parameter must be a non-empty string such as 'Putin', 'vote*' or "
            f"'White House'. Got {pattern!r} instead."
        )
    flags = 0 if case else re.IGNORECASE
    if regex:
        try:
            return re.compile(pattern, flags), ""
        except re.error as error:
            raise ValueError(
                f"The 'pattern' parameter {pattern!r} is not a valid regular expression "
                f"({error}). Fix it, or pass regex=False to search for words."
            ) from None
    text = pattern.strip().strip('"“”')
    wildcard = text.endswith("*")
    body = text[:-1] if wildcard else text
    words = tuple(TOKEN.findall(body))
    if not words or "*" in body or any(not _WORD_PATTERN.fullmatch(w) for w in words):
        raise ValueError(
            f"The 'pattern' parameter {pattern!r} is not a word or phrase: write words with "
            "an optional trailing * ('vote*', 'White House'), or pass regex=True."
        )
    term = Term(words, wildcard=wildcard, phrase=len(words) > 1)
    return re.compile(term.pattern(), flags), max(words, key=len)


def _context(text: str, start: int, end: int, window: int) -> tuple[str, str]:
    span = 40 * window
    left_from = max(0, start - span)
    left_words = text[left_from:start].split()
    if left_from and len(left_words) <= window:
        left_words = text[:start].split()
    right_to = end + span
    right_words = text[end:right_to].split()
    if right_to < len(text) and len(right_words) <= window:
        right_words = text[end:].split()
    left = " ".join(left_words[-window:]) if window else ""
    right = " ".join(right_words[:window]) if window else ""
    return left, right


def kwic(
    articles: Any,
    pattern: str,
    *,
    window: int = 8,
    regex: bool = False,
    case: bool = False,
    fields: Fields = "text",
    client: Any = None,
) -> pd.DataFrame:
    """Keywords in context: every occurrence of ``pattern`` with the words around it.

    Parameters
    ----------
    articles : DataFrame
        An article frame (needs ``article_id``; ``outlet`` and ``published`` are copied
        when present).
    pattern : str
        A word (``"Putin"``), a word with a trailing wildcard (``"vote*"``) or a phrase
        (``"White House"``), matched on word boundaries as in :func:`matches`; or a
        regular expression with ``regex=True``.
    window : int, default 8
        Words of context on each side.
    regex : bool, default False
        Treat ``pattern`` as a Python regular expression.
    case : bool, default False
        Match case exactly.
    fields : str or list of str, default "text"
        Text column(s) searched; several are joined by a blank line.
    client : distributed.Client, optional
        Search on this Dask cluster; a dask frame is searched partition by partition on
        Dask's configured scheduler without it.

    Returns
    -------
    DataFrame
        ``article_id, outlet, published, left, match, right``: one row per occurrence,
        in article order, then in order of position in the text.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides()
    >>> lines = mk.kwic(articles, "Putin", window=4)
    >>> len(lines)
    1139
    >>> lines[["left", "match", "right"]].head(2)
                         left  match                   right
    0     was in cahoots with  Putin        . But that’s not
    1  be careful because the  Putin  regime had a kompromat
    """
    runner = runner_for(articles, client=client, function="kwic")
    require_columns(runner.meta, ["article_id"], "articles")
    require_columns(runner.meta, as_list(fields), "fields")
    check_int(window, "window", 0)
    compiled, needle = _pattern_regex(pattern, regex=regex, case=case)
    copied = [c for c in ("article_id", "outlet", "published") if c in runner.meta.columns]
    return runner.columns([*copied, *as_list(fields)]).map_combine(
        _kwic_lines, _concatenate, compiled, needle, case, int(window), fields
    )


def _concatenate(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Combine step: the partitions' lines, in partition order."""
    return pd.concat(parts, ignore_index=True)


def _kwic_lines(
    articles: pd.DataFrame,
    compiled: re.Pattern[str],
    needle: str,
    case: bool,
    window: int,
    fields: Fields,
) -> pd.DataFrame:
    """Map step: the lines of one partition's articles."""
    texts = _texts(articles, fields)
    if needle:
        candidates = pd.Series(texts, dtype="string[pyarrow]").str.contains(
            needle, regex=False, case=case
        )
        rows = np.flatnonzero(candidates.to_numpy(dtype=bool))
    else:
        rows = np.arange(len(texts))
    found_rows: list[int] = []
    left: list[str] = []
    hit: list[str] = []
    right: list[str] = []
    for row in rows:
        text = texts[row]
        for match in compiled.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            before, after = _context(text, start, end, int(window))
            found_rows.append(int(row))
            left.append(before)
            hit.append(match.group())
            right.append(after)
    taken = np.asarray(found_rows, dtype=np.int64)
    n = len(taken)
    out = pd.DataFrame(index=range(n))
    for column, empty in (
        ("article_id", pd.Series(pd.NA, index=range(n), dtype="string")),
        ("outlet", pd.Series(pd.NA, index=range(n), dtype="string")),
        ("published", pd.Series(pd.NaT, index=range(n), dtype="datetime64[us, UTC]")),
    ):
        out[column] = (
            articles[column].take(taken).reset_index(drop=True) if column in articles else empty
        )
    out["left"] = pd.array(left, dtype="str")
    out["match"] = pd.array(hit, dtype="str")
    out["right"] = pd.array(right, dtype="str")
    return out
