"""Clean raw scraped text: recover the article from a page's visible text.

Researchers often keep only what a browser showed (select-all-and-copy, or a naive
scraper): the article plus menus, share buttons, ad labels, related links, cookie notes
and footers, one item per line. :func:`clean_text` finds the article in such a dump from
the text alone, :func:`clean_texts` adds corpus evidence (lines that recur across many
articles of the same outlet are boilerplate) and :func:`clean_article_frame` cleans the
``text`` column of an article frame.

How one dump is cleaned, step by step (each step is a small function below; step 1 and
the vocabulary of page furniture live in ``_lines.py``):

1. :func:`_measure` describes every line: its length, whether it reads as a sentence,
   whether it is furniture by vocabulary (share/subscribe/advertisement/cookie/copyright,
   photo credits, "More: ..." links), by shape (CSS-class-like tokens, fused button labels,
   tag lists, datelines and bylines) or by position (a block of lines that mostly are not
   sentences: a menu or a teaser column).
2. :func:`_line_weight` turns that description into a score: prose scores its length,
   furniture scores below zero; :func:`_add_barriers` makes long furniture stretches
   impassable.
3. :func:`_find_body` takes the contiguous run of lines with the highest total score
   (:func:`_best_span`, the main block of prose), then ends it where readers' comments
   (:func:`_comments_start`), a related-stories river (:func:`_river_start`) or a closing
   teaser column (:func:`_trailing_teasers`) begins.
4. :func:`_find_title`, :func:`_find_description` and :func:`_find_standfirst` look just
   above the first paragraph for the headline and the standfirst.
5. :func:`_prune_span` drops the furniture inside the body (ad labels, share rows, lists
   of headline-like links, captions) and keeps subheadings and short paragraphs.

Every dropped line is returned in ``removed`` so the result can be audited.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from mediakit.ingest._lines import (
    _CLOSERS,
    _Line,
    _measure,
    _normalise,
    _same_words,
    _units,
)
from mediakit.ingest._text_inputs import _as_list, _as_optional_str, _check_str, _n_workers

__all__ = ["clean_text", "clean_texts", "clean_article_frame"]

#: Version of the cleaning rules, recorded in the ``extractor`` column.
RULES_VERSION = "2"

#: Lines of an outlet seen in at least this many different articles are boilerplate;
#: long sentences need more repeats (a background paragraph can recur in a story series).
MIN_REPEATS = 3
MIN_REPEATS_PROSE = 5

#: Thresholds of the line scores (steps 2-3 below), chosen by cross-validation over sites
#: on the text-cleaning benchmark (``benchmarks/text_cleaning.py``): the fewest words of a
#: sentence that counts as prose, the weight per word of a long line that does not end
#: like a sentence, and the score of a furniture line.
PROSE_MIN_WORDS = 8
UNFINISHED_WEIGHT = 0.25
FURNITURE_WEIGHT = -8.0

# --------------------------------------------------------------------------------------
# Step 2-3: score lines, find the main block of prose
# --------------------------------------------------------------------------------------


def _is_prose(line: _Line) -> bool:
    """A line that reads as article prose: long enough and shaped like a sentence."""
    if line.boiler or line.dateline or line.listing or line.in_list:
        return False
    if line.sentence:
        return line.units >= PROSE_MIN_WORDS
    return line.units >= 25


def _line_weight(line: _Line) -> float:
    """Prose counts its length; labels and furniture count against the span.

    Long lines that do not end like a sentence (teasers, captions, truncated summaries)
    count half, so that a column of teasers does not outweigh a short article.
    """
    if line.boiler or line.listing:
        return FURNITURE_WEIGHT
    if line.section_end or line.comments:
        return -10.0
    if _is_prose(line):
        return float(line.units) if line.sentence else UNFINISHED_WEIGHT * line.units
    if line.dateline:
        return -3.0
    if line.sentence and line.units >= 4:
        return 1.0
    return -1.5 if line.units >= 4 else -2.0


def _in_button_row(lines: list[_Line], i: int) -> bool:
    """True when a line sits in a block with other furniture: a row of buttons
    ("Facebook / Twitter / Comments / Print") rather than a section header."""
    block = lines[i].block
    neighbours = [
        line for line in lines[max(0, i - 6) : i + 7] if line.block == block and line.index != i
    ]
    return any(line.boiler for line in neighbours)


def _clean_tail(lines: list[_Line], end: int) -> int:
    """Extend the span to the end of the text when hardly anything after it is furniture.

    Tables, rankings and tour dates after the last paragraph score below zero line by
    line; on a page they are followed by share rows, tags or a footer, but in text that
    was already extracted (a corpus's body column) they run to the end undisturbed.
    """
    tail = lines[end:]
    for line in tail:
        if line.section_end or line.comments or line.listing or line.commenter:
            return end
    # a few inline links or ad labels may sit among the rows; a page ends with a footer
    if not tail or tail[-1].boiler or 20 * sum(line.boiler for line in tail) > len(tail):
        return end
    return len(lines)


def _comments_start(lines: list[_Line], start: int, end: int) -> int | None:
    """Where readers' comments begin inside the span, once some article prose came before."""
    prose = 0
    commenters = [line.index for line in lines[start:end] if line.commenter]
    for line in lines[start:end]:
        if prose >= 30:
            if line.comments and not _in_button_row(lines, line.index):
                return line.index
            # "jdoe says:" opens a comment when three or more follow from here
            if line.commenter and len([i for i in commenters if i >= line.index]) >= 3:
                return line.index
        if _is_prose(line):
            prose += line.units
    return None


def _river_start(lines: list[_Line], start: int, end: int) -> int:
    """Where a "more stories" section begins inside the span, or ``end``.

    After a header such as "Related" or "More World", teasers alternate headline, byline
    or date, and summary, so prose lines come one at a time. An inline box inside the
    article ("Trending News" and five links) is followed instead by the rest of the body:
    a run of consecutive prose paragraphs, or by a last paragraph or two.
    """
    # suffix statistics, so that each header is judged in constant time
    n = end - start
    run_after = [False] * (n + 1)  # a run of three prose lines lies after position k
    prose_after = [0] * (n + 1)
    plain_after = [0] * (n + 1)  # non-furniture lines after position k
    run = 0
    runs = [0] * n
    for k in range(n):
        line = lines[start + k]
        transparent = line.boiler and not line.section_end  # ad labels inside the body
        run = run + 1 if _is_prose(line) else (run if transparent else 0)
        runs[k] = run
    for k in range(n - 1, -1, -1):
        line = lines[start + k]
        run_after[k] = run_after[k + 1] or runs[k] >= 3
        prose_after[k] = prose_after[k + 1] + _is_prose(line)
        plain_after[k] = plain_after[k + 1] + (not line.boiler)
    prose = 0
    for k in range(n):
        line = lines[start + k]
        if line.section_end and prose >= 40 and not _in_button_row(lines, start + k):
            if not run_after[k + 1]:  # runs restart at every header
                n_prose, n_plain = prose_after[k + 1], plain_after[k + 1]
                if n_plain - n_prose >= n_prose and n_plain >= 3:
                    return start + k
        if _is_prose(line):
            prose += line.units
    return end


def _trailing_teasers(lines: list[_Line], start: int, end: int, *, min_run: int = 3) -> int:
    """Cut a run of teasers that closes the span even without a header.

    A teaser is a short prose summary (under 60 words) preceded by two or more lines that
    are not sentences (kicker, headline, source, date). Body paragraphs are longer or sit one
    subheading apart. Returns the new end: just after the last body paragraph when the
    span ends with ``min_run`` or more teasers.
    """
    # a one-line headline with a full stop counts as a headline, not as a summary
    prose = [i for i in range(start, end) if _is_prose(lines[i]) and lines[i].units >= 12]
    teasers = 0
    for k in range(len(prose) - 1, 0, -1):
        between = lines[prose[k - 1] + 1 : prose[k]]
        # kicker, headline, source; one furniture label ("| SPONSORED") may be the kicker
        gap = sum(1 for line in between if not line.boiler and not line.sentence)
        gap += any(line.boiler for line in between)
        if lines[prose[k]].units < 60 and gap >= 2:
            teasers += 1
        else:
            break
    if teasers >= min_run:
        return prose[len(prose) - 1 - teasers] + 1
    return end


def _continues(line: _Line) -> bool:
    """A line cut off mid-sentence that the next line continues."""
    return not (line.boiler or line.dateline or line.sentence) and line.units >= 8


def _add_barriers(lines: list[_Line], weights: list[float]) -> None:
    """Make long stretches of furniture impassable for the span.

    Fifteen or more lines in a row without prose, five of them furniture, separate the
    article from whatever prose the page shows elsewhere (comment rules, an "about us"
    blurb, teasers); no single article holds such a stretch between two of its paragraphs.
    """
    run: list[int] = []
    for i, line in enumerate([*lines, None]):
        if line is not None and not _is_prose(line):
            run.append(i)
            continue
        furniture = sum(
            1 for j in run if lines[j].boiler or lines[j].section_end or lines[j].comments
        )
        if len(run) >= 15 and furniture >= 5:
            weights[run[len(run) // 2]] = -1e9
        run = []


def _best_span(weights: Sequence[float]) -> tuple[int, int]:
    """The contiguous run with the largest total weight (start, end exclusive); Kadane."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, w in enumerate(weights):
        if total <= 0:
            total, start = 0.0, i
        total += w
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


# --------------------------------------------------------------------------------------
# Step 4: title and description
# --------------------------------------------------------------------------------------


def _headline_like(line: _Line) -> bool:
    """Shaped like a headline: 3-30 words, not furniture, no final full stop."""
    if line.boiler or line.dateline or line.section_end:
        return False
    if not 3 <= line.units <= 30 or line.text.count(":") > 1 or "www." in line.text:
        return False
    letters = sum(ch.isalpha() for ch in line.text)
    if letters < 0.6 * len(line.text.replace(" ", "")):  # scores, prices, dates
        return False
    return not line.text.rstrip(_CLOSERS).endswith(".")


def _find_title(lines: list[_Line], start: int, end: int) -> int | None:
    """The headline: the nearest headline-like line before the first paragraph of the
    body, preferring one the page repeats (headlines recur in breadcrumbs, share text
    and page titles) and one of five words or more. The span may open with it."""
    first = next((i for i in range(start, end) if _is_prose(lines[i])), start)
    counts = Counter(line.key for line in lines)
    best: tuple[float, int] | None = None
    for i in range(first - 1, max(-1, first - 25), -1):
        line = lines[i]
        if not _headline_like(line):
            continue
        score = -(first - i) + (3.0 if counts[line.key] > 1 else 0.0)
        score += 2.0 if line.units >= 5 else (-3.0 if line.units < 4 else 0.0)
        if best is None or score > best[0]:
            best = (score, i)
    return best[1] if best else None


def _title_repeats(lines: list[_Line], title: str) -> list[int]:
    """Lines that repeat the headline (same words, any case or punctuation)."""
    key, units = _normalise(title), _units(title)
    return [
        line.index
        for line in lines
        if abs(line.units - units) <= 2 and (line.key == key or _same_words(line.text, title))
    ]


def _find_description(lines: list[_Line], title: int | None, start: int, end: int) -> int | None:
    """The standfirst: a prose line right after the headline, cut off from the body by
    furniture (share rows, bylines, captions)."""
    if title is None:
        return None
    candidate = title + 1
    if candidate >= len(lines) or candidate >= end:
        return None
    line = lines[candidate]
    # a standfirst is one or two sentences; a long first paragraph is body
    if not (_is_prose(line) or (line.sentence and line.units >= 6)) or line.units > 50:
        return None
    following = candidate + 1
    if following >= len(lines):
        return None
    # the body must go on after a break of non-prose lines
    gap = 0
    j = following
    while j < end and not _is_prose(lines[j]):
        gap += 1
        j += 1
    if gap == 0 or j >= end:
        return None
    return candidate


def _find_standfirst(
    lines: list[_Line], start: int, end: int, *, exclude: int | None
) -> int | None:
    """A summary line that sits just above the body with only captions, credits or
    bylines in between, when no headline was found above it: 12 to 50 words, not
    furniture. Corpora often store the standfirst as the first line of the text."""
    first = next((i for i in range(start, end) if _is_prose(lines[i])), None)
    if first is None or lines[first].text[0].islower():
        return None
    i = first - 1
    while i >= 0 and (lines[i].boiler or lines[i].dateline):
        i -= 1
    if i < 0 or i == exclude:
        return None
    line = lines[i]
    if line.section_end or line.comments or line.listing or line.in_list:
        return None
    if not 12 <= line.units <= 50 or _is_prose(line):
        return None
    return i


# --------------------------------------------------------------------------------------
# Step 5: debris inside the body
# --------------------------------------------------------------------------------------


def _is_link_list(lines: list[_Line], i: int, start: int, end: int) -> bool:
    """Part of a run of three or more headline-like lines with no blank line between
    them and no sentence among them: a list of related links, not body text."""
    block = lines[i].block
    members = [line for line in lines[max(start, i - 12) : min(end, i + 13)] if line.block == block]
    if len(members) < 3:
        return False
    return not any(_is_prose(line) for line in members)


def _prune_span(lines: list[_Line], start: int, end: int, drop: set[int]) -> list[int]:
    """Keep body lines of the span; debris lines inside it go to ``drop``."""
    kept: list[int] = []
    for i in range(start, end):
        line = lines[i]
        if i in drop:
            continue
        if line.boiler or line.section_end or line.dateline or line.repeated:
            drop.add(i)
        elif not _is_prose(line) and _is_link_list(lines, i, start, end):
            drop.add(i)
        else:
            kept.append(i)
    # trailing short non-sentence lines after the last prose paragraph are credits or labels
    while kept and not _is_prose(lines[kept[-1]]) and not lines[kept[-1]].sentence:
        drop.add(kept.pop())
    while kept and not _is_prose(lines[kept[0]]) and not lines[kept[0]].sentence:
        drop.add(kept.pop(0))
    return kept


def _join(lines: list[_Line], kept: Iterable[int]) -> str:
    """Body lines, joined by blank lines between blocks and newlines within a block."""
    parts: list[str] = []
    previous: _Line | None = None
    for i in kept:
        line = lines[i]
        if previous is not None:
            parts.append("\n" if line.block == previous.block else "\n\n")
        parts.append(line.text)
        previous = line
    return "".join(parts)


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def _record(
    title: str | None, description: str | None, text: str, removed: list[str], status: str
) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "text": text,
        "removed": removed,
        "status": status,
        "lines_removed": len(removed),
    }


def _mark_repeats(lines: list[_Line]) -> None:
    """Headline-like lines shown twice on a page are link cards (image alt text and title,
    a teaser in two layouts), not subheadings; the headline itself is kept apart later.
    Prose shown three times or more, twice in a row, is a gallery caption (a pull quote
    repeats once, a questionnaire's questions sit between answers)."""
    places: defaultdict[str, list[int]] = defaultdict(list)
    for line in lines:
        if line.units >= 6:
            places[line.key].append(line.index)
    for line in lines:
        seen = places.get(line.key, ()) if line.units >= 6 else ()
        if len(seen) < 2:
            continue
        if _is_prose(line):
            close = any(b - a <= 2 for a, b in zip(seen, seen[1:], strict=False))
            line.boiler = line.boiler or (len(seen) >= 3 and close)
        elif not line.sentence:
            line.repeated = True


def _find_body(lines: list[_Line], weights: list[float]) -> tuple[int, int]:
    """The span of the article body: the best run of prose, stopped before comments, a
    related-stories river or a closing teaser column, extended over a data tail."""
    _add_barriers(lines, weights)
    start, end = _best_span(weights)
    cut = _comments_start(lines, start, end)
    if cut is not None:
        start, end = _best_span(weights[:cut])
    else:
        end = _clean_tail(lines, end)
    end = _river_start(lines, start, end)
    for _ in range(20):  # teaser columns can be interrupted by an odd item; cut run by run
        cut_end = _trailing_teasers(lines, start, end)
        if cut_end == end:
            break
        end = cut_end
    # a body that opens in lower case continues the line before it ("... He" / "did it")
    while start < end and start > 0 and lines[start].text[0].islower():
        if not _continues(lines[start - 1]):
            break
        start -= 1
    return start, end


def _clean(raw: str, title: str | None, known: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Steps 1-5 of the module docstring on one text; ``known`` are corpus boilerplate keys."""
    lines = _measure(raw)
    if not lines:
        return _record(title, None, "", [], "empty")
    # known furniture: lines repeated across the outlet, and repeats of a given headline
    drop: set[int] = set()
    title_lines = _title_repeats(lines, title) if title else []
    for line in lines:
        if line.key in known or line.index in title_lines:
            line.boiler = True
            drop.add(line.index)
    _mark_repeats(lines)
    weights = [_line_weight(line) for line in lines]
    start, end = _find_body(lines, weights)
    if start == end:
        return _record(title, None, "", [line.text for line in lines], "no_body")

    # headline and standfirst just above the first paragraph
    title_index = None
    if title is None:
        title_index = _find_title(lines, start, end)
        if title_index is not None:
            title = lines[title_index].text
            title_lines = _title_repeats(lines, title)
            drop.update(i for i in title_lines if i != title_index)
    anchor = title_index
    if anchor is None and title_lines:
        first = next((i for i in range(start, end) if _is_prose(lines[i])), start)
        anchor = max((i for i in title_lines if i < first), default=None)
    description_index = _find_description(lines, anchor, start, end)
    if description_index is None:
        description_index = _find_standfirst(lines, start, end, exclude=title_index)
    description = None
    if description_index is not None:
        description = lines[description_index].text
        start = max(start, description_index + 1)
    if title_index is not None and start <= title_index < end:
        start = title_index + 1

    kept = _prune_span(lines, start, end, drop)
    text = _join(lines, kept)
    keep = set(kept) | {title_index, description_index}
    removed = [line.text for line in lines if line.index not in keep]
    return _record(title, description, text, removed, "ok" if text else "no_body")


def clean_text(raw: str, *, title: str | None = None, outlet: str | None = None) -> dict[str, Any]:
    """Recover the article (title, standfirst, body) from a page's raw visible text.

    Parameters
    ----------
    raw : str
        The page's text as a browser shows it, one item per line: menus, share buttons,
        ad labels and footers around the article.
    title : str, optional
        The headline when known (from a table or metadata). It is used as is, and lines
        repeating it are removed from the body.
    outlet : str, optional
        The publication; recorded only. Pass many texts to :func:`clean_texts` to use
        lines that recur across an outlet's articles as evidence.

    Returns
    -------
    dict
        ``title`` (str or None), ``description`` (the standfirst, str or None), ``text``
        (body paragraphs separated by blank lines; "" when no body was found),
        ``removed`` (the dropped lines, in order, for auditing), ``lines_removed``,
        ``status`` ("ok", "no_body" or "empty") and ``outlet``.

    Raises
    ------
    TypeError
        If ``raw`` is not a str.

    Examples
    --------
    >>> raw = '''Home
    ... World
    ... Advertisement
    ...
    ... Storm closes schools across the region
    ...
    ... Schools in three counties stayed shut on Monday after heavy snow blocked roads
    ... and cut power to thousands of homes, officials said.
    ...
    ... "We will reopen as soon as the buses can run safely," the district said.
    ...
    ... Share this article
    ... FacebookTwitterEmail'''
    >>> record = clean_text(raw)
    >>> record["title"]
    'Storm closes schools across the region'
    >>> print(record["text"])
    Schools in three counties stayed shut on Monday after heavy snow blocked roads
    and cut power to thousands of homes, officials said.
    <BLANKLINE>
    "We will reopen as soon as the buses can run safely," the district said.
    >>> record["removed"]
    ['Home', 'World', 'Advertisement', 'Share this article', 'FacebookTwitterEmail']
    """
    _check_str(raw, "raw")
    if title is not None and not isinstance(title, str):
        raise TypeError(
            f"clean_text expects 'title' to be a str or None, got {type(title).__name__} "
            f"({title!r}). Pass the headline as text, or title=None to detect it."
        )
    return _safe_clean(raw, title or None, frozenset(), outlet)


def _safe_clean(
    raw: str, title: str | None, known: frozenset[str], outlet: str | None
) -> dict[str, Any]:
    """Clean, and never raise on text: an unexpected failure becomes a status."""
    # text enters in composed form (NFC), so "Mu\u0308ller" and "Müller" are one word
    raw = unicodedata.normalize("NFC", raw)
    title = unicodedata.normalize("NFC", title) if title else title
    try:
        record = _clean(raw, title, known)
    except Exception as error:  # pragma: no cover - defensive, every str must give a record
        record = _record(title, None, "", [], f"error: {type(error).__name__}")
    record["outlet"] = outlet
    return record


# --------------------------------------------------------------------------------------
# Many texts: corpus evidence
# --------------------------------------------------------------------------------------


def _repeated_lines(texts: Sequence[str]) -> frozenset[str]:
    """Normalised lines found in several different texts of one outlet.

    Identical texts (the same article stored twice) count once, so that duplicates do not
    turn an article's own paragraphs into boilerplate. Short lines need
    :data:`MIN_REPEATS` articles, prose sentences :data:`MIN_REPEATS_PROSE`.
    """
    seen: Counter[str] = Counter()
    for text in set(texts):
        keys = set()
        for piece in unicodedata.normalize("NFC", text).splitlines():
            key = _normalise(piece)
            if key:
                keys.add(key)
        seen.update(keys)
    repeated = set()
    for key, count in seen.items():
        if count < MIN_REPEATS:
            continue
        if count >= MIN_REPEATS_PROSE or len(key.split()) < 15:
            repeated.add(key)
    return frozenset(repeated)


def _clean_one(args: tuple[str | None, str | None, frozenset[str], str | None]) -> dict[str, Any]:
    raw, title, known, outlet = args
    if raw is None:
        record = _record(title, None, "", [], "missing")
        record["text"] = None
        record["outlet"] = outlet
        return record
    return _safe_clean(raw, title, known, outlet)


def clean_texts(
    texts: Iterable[str | None],
    *,
    outlets: Iterable[str | None] | None = None,
    titles: Iterable[str | None] | None = None,
    n_jobs: int = 1,
) -> list[dict[str, Any]]:
    r"""Clean many raw texts, using lines that recur across an outlet's articles as evidence.

    A line found in several different articles of the same outlet ("Story Continued
    Below", a newsletter prompt, a copyright footer) is page furniture, even when nothing
    in the line itself gives it away. Each text is then cleaned as by :func:`clean_text`.

    Parameters
    ----------
    texts : iterable of str or None
        Raw texts; a missing entry (None, NA) gives a record with status "missing" and
        ``text`` None.
    outlets : iterable of str or None, optional
        The outlet of each text. Repeated lines are counted within each outlet; texts
        without an outlet form one group.
    titles : iterable of str or None, optional
        Known headlines, used as by :func:`clean_text`.
    n_jobs : int, default 1
        Processes to use; -1 for all cores. Results do not depend on it.

    Returns
    -------
    list of dict
        One record per text, in input order, as :func:`clean_text` returns. The result
        for a text does not depend on the order of the texts.

    Examples
    --------
    >>> body = [
    ...     "Officials confirmed the bridge will close for repairs next spring.",
    ...     "The council approved the budget after a long and heated debate.",
    ...     "Teachers voted to accept the new contract on Thursday evening.",
    ... ]
    >>> texts = [f"{b}\n\nThe Daily Brief is sent to readers every weekday at six." for b in body]
    >>> clean_text(texts[0])["removed"]
    []
    >>> records = clean_texts(texts, outlets=["Daily"] * 3)
    >>> records[0]["text"]
    'Officials confirmed the bridge will close for repairs next spring.'
    >>> records[0]["removed"]
    ['The Daily Brief is sent to readers every weekday at six.']
    """
    if isinstance(texts, str):
        raise TypeError(
            "clean_texts expects 'texts' to be a sequence of str, got a single str. "
            "Use clean_text(raw) for one text, or pass [raw]."
        )
    raws = [_as_optional_str(v, "texts", i) for i, v in enumerate(texts)]
    n = len(raws)
    outlet_list = _as_list(outlets, "outlets", n)
    title_list = _as_list(titles, "titles", n)
    groups: defaultdict[str | None, list[str]] = defaultdict(list)
    for raw, outlet in zip(raws, outlet_list, strict=True):
        if raw is not None:
            groups[outlet].append(raw)
    known = {outlet: _repeated_lines(group) for outlet, group in groups.items()}
    jobs = [
        (raw, title or None, known.get(outlet, frozenset()), outlet)
        for raw, title, outlet in zip(raws, title_list, outlet_list, strict=True)
    ]
    workers = _n_workers(n_jobs)
    if workers == 1 or n < 200:
        return [_clean_one(job) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_clean_one, jobs, chunksize=max(1, n // (workers * 4))))


# --------------------------------------------------------------------------------------
# Article frames
# --------------------------------------------------------------------------------------


def clean_article_frame(articles: pd.DataFrame) -> pd.DataFrame:
    """Clean the ``text`` column of an article frame, outlet by outlet.

    Runs :func:`clean_texts` on ``text`` with ``outlet`` as corpus evidence and the
    frame's own ``title`` as the known headline. Returns a new article frame: ``text``
    cleaned (kept as given where no article body is found in it, e.g. a one-line text),
    ``description`` filled where it was missing and a standfirst was found, ``word_count``
    recomputed, " + mediakit.clean_text <rules version>" added to ``extractor`` and a new
    int column ``lines_removed``. The input is not modified. Nothing is cached here:
    ``mediakit.datasets.load_allsides(clean=True)`` keeps its one cleaned corpus.

    Examples
    --------
    >>> import mediakit as mk
    >>> raw = mk.datasets.load_allsides()
    >>> cleaned = clean_article_frame(raw)
    >>> int(raw["text"].str.contains("Story Continued Below").sum())
    124
    >>> int(cleaned["text"].str.contains("Story Continued Below").sum())
    0
    """
    if not isinstance(articles, pd.DataFrame) or "text" not in articles:
        got = type(articles).__name__
        raise TypeError(
            f"clean_article_frame expects an article frame with a 'text' column, got {got}. "
            "Load articles with mediakit.load_articles(...) or mediakit.datasets."
        )
    return _clean_frame(articles)


def _clean_frame(articles: pd.DataFrame) -> pd.DataFrame:
    from mediakit.schema import as_articles

    out = articles.copy()
    n = len(out)

    def column(name: str) -> list[str | None]:
        if name not in out:
            return [None] * n
        return [v if isinstance(v, str) else None for v in out[name].tolist()]

    given = column("text")
    records = clean_texts(given, outlets=column("outlet"), titles=column("title"))
    texts: list[str | None] = []
    removed: list[int] = []
    for raw, record in zip(given, records, strict=True):
        if record["text"]:
            texts.append(record["text"])
            removed.append(record["lines_removed"])
        else:
            # the table's text is the researcher's data: when no article body is found in
            # it (a one-line text, say), it is kept as given rather than dropped
            texts.append(raw if raw and raw.strip() else None)
            removed.append(0)
    out["text"] = pd.array(texts, dtype="string")
    found = pd.Series([r["description"] for r in records], index=out.index, dtype="string")
    if "description" in out:
        out["description"] = out["description"].astype("string").fillna(found)
    else:
        out["description"] = found
    step = f"mediakit.clean_text {RULES_VERSION}"
    if "extractor" in out:
        previous = out["extractor"].astype("string").fillna("")
        out["extractor"] = (previous + " + " + step).where(previous != "", step)
    else:
        out["extractor"] = step
    out["lines_removed"] = pd.array(removed, dtype="int64")
    return as_articles(out)
