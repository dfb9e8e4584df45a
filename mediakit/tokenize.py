"""The one tokeniser every analysis in mediakit shares.

Terms, topics and coverage queries all see the same tokens, so a word counted
by :func:`mediakit.term_frequencies` is the word a topic is labelled with.

Rules, in order:

- text is Unicode NFC-normalised first, so a word stored decomposed (NFD, "Mu" + a
  combining diaeresis + "ller") is the same word as its composed spelling ("Müller");
- abbreviations written with dots stay one token: "U.S." -> "u.s.";
- possessives are dropped: "Trump's" / "Trump’s" -> "trump";
- words may contain inner hyphens and apostrophes: "re-election", "don't";
- accented letters are letters: "Müller", "café"; a combining mark never splits a word;
- a token has at least two characters and is not only digits ("2018" is dropped,
  "1990s" and "g7" are kept);
- lower-cased unless ``lowercase=False``.

:func:`tokenize` applies these rules to one text with regular expressions; it is the
reference. :func:`count_words` applies the same rules to many texts at once in compiled
code over Arrow strings, and gives the same tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, partial
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

from mediakit._unicode import LETTER, WORD, WORD_RUN, normalize

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["count_words", "make_analyzer", "normalize", "stop_word_set", "tokenize"]

StopWords: TypeAlias = str | Iterable[str] | None

# Every token starts with a \w character; starting the pattern with the bare class \w
# (not with an alternation) lets the regex engine skip spaces and punctuation quickly.
# Same tokens as "(?:L\.){2,}|\wW*(?:[-'’]W+)*" (L a letter, W a word character).
TOKEN = re.compile(
    r"\w(?:"
    rf"(?<={LETTER})\.(?:{LETTER}\.)+"  # U.S., e.g. (a letter, a dot, more letter-dots)
    rf"|{WORD_RUN}(?:[-'’]{WORD}{WORD_RUN})*"  # words with inner hyphens / apostrophes
    r")",
)
POSSESSIVE = re.compile(rf"['’][sS](?!{WORD})")


def tokenize(text: str, *, lowercase: bool = True) -> list[str]:
    """Split ``text`` into word tokens by the rules of this module.

    Examples
    --------
    >>> tokenize("Trump's call to Putin: the U.S. re-election of Müller, 2018.")
    ['trump', 'call', 'to', 'putin', 'the', 'u.s.', 're-election', 'of', 'müller']
    """
    if not isinstance(text, str):
        return []
    text = normalize(text, lowercase=lowercase)
    # One pass of C-level regex work per text, then a cheap filter: this keeps the
    # tokeniser within a small factor of scikit-learn's default token pattern.
    return [t for t in TOKEN.findall(POSSESSIVE.sub("", text)) if len(t) > 1 and not t.isdigit()]


@cache
def _stop_words_for(language: str) -> frozenset[str]:
    if language in ("english", "en"):
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        words = set(ENGLISH_STOP_WORDS)
    else:
        import stopwordsiso

        if not stopwordsiso.has_lang(language):
            raise ValueError(
                f"The 'stop_words' parameter got {language!r}, which is neither 'english' nor an "
                "ISO 639-1 code with a stop-word list (for example 'de', 'fr', 'es'). Pass a list "
                "of words, or None to keep every word."
            )
        words = set(stopwordsiso.stopwords(language))
    # The tokeniser strips possessives and splits on the same characters: normalise the list too.
    return frozenset(t for w in words for t in tokenize(w)) | frozenset(words)


def stop_word_set(stop_words: StopWords) -> frozenset[str]:
    """Resolve a ``stop_words`` argument to a set of lower-case words.

    ``"english"`` is scikit-learn's English list; an ISO 639-1 code (``"de"``, ``"fr"``)
    uses the stopwords-iso list; an iterable is used as given; None means no stop words.

    Examples
    --------
    >>> "the" in stop_word_set("english"), "und" in stop_word_set("de"), stop_word_set(None)
    (True, True, frozenset())
    """
    if stop_words is None:
        return frozenset()
    if isinstance(stop_words, str):
        return _stop_words_for(stop_words.lower())
    try:
        return frozenset(str(w).lower() for w in stop_words)
    except TypeError:
        raise TypeError(
            "The 'stop_words' parameter must be 'english', an ISO 639-1 code, a list of words "
            f"or None. Got {type(stop_words).__name__} instead."
        ) from None


def _analyze(text: str, *, lowercase: bool, stop: frozenset[str]) -> list[str]:
    return [t for t in tokenize(text, lowercase=lowercase) if t not in stop]


def make_analyzer(
    stop_words: StopWords = "english", *, lowercase: bool = True
) -> Callable[[str], list[str]]:
    """A picklable ``str -> list[str]`` function: tokenise, then drop stop words.

    Pass it as ``analyzer=`` to scikit-learn's vectorizers to count exactly the tokens
    mediakit counts.

    Examples
    --------
    >>> analyze = make_analyzer("english")
    >>> analyze("The Kremlin said Putin's victory was no surprise")
    ['kremlin', 'said', 'putin', 'victory', 'surprise']
    """
    return partial(_analyze, lowercase=lowercase, stop=stop_word_set(stop_words))


@dataclass
class WordCounts:
    """Counts of words per document: what :func:`count_words` returns.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        Documents x terms, int32 counts, column indices sorted.
    terms : ndarray of str
        The terms of the columns, sorted.
    words : ndarray of int64
        Running words per document: every token of :func:`tokenize`, stop words included.
    """

    matrix: csr_matrix
    terms: np.ndarray
    words: np.ndarray


def count_words(
    texts: Any,
    *,
    stop_words: StopWords = "english",
    lowercase: bool = True,
    n_threads: int | None = None,
) -> WordCounts:
    """Count the tokens of many texts at once: the words of :func:`tokenize`, per document.

    The texts are scanned in compiled code over their Arrow (UTF-8) storage, in
    ``n_threads`` threads, with no Python object per text or token; the counts equal
    ``CountVectorizer(analyzer=make_analyzer(stop_words, lowercase=lowercase))`` on the same
    texts. Missing texts count as empty.

    Parameters
    ----------
    texts : Series, pyarrow array or sequence of str
        One text per document (a ``str`` column of pandas >= 3 is used without a copy).
    stop_words : "english", ISO 639-1 code, list of str or None, default "english"
        Words left out of ``matrix`` (still running words); see :func:`stop_word_set`.
    lowercase : bool, default True
        Lower-case before counting.
    n_threads : int, optional
        Threads that scan; default ``pyarrow.cpu_count()`` (set it with
        ``pyarrow.set_cpu_count`` or the ``OMP_NUM_THREADS`` variable).

    Returns
    -------
    WordCounts
        ``matrix`` (documents x ``terms``), ``terms`` and ``words`` (running words).

    Examples
    --------
    >>> counts = count_words(["Trump's call to Putin", "Putin, Putin and Mu\u0308ller"])
    >>> counts.terms.tolist()
    ['müller', 'putin', 'trump']
    >>> counts.matrix.toarray().tolist(), counts.words.tolist()
    ([[0, 1, 1], [1, 2, 0]], [4, 4])
    """
    from mediakit import _kernels

    matrix, terms, words = _kernels.count_tokens(
        texts,
        lowercase=lowercase,
        stop=stop_word_set(stop_words),
        reference=partial(_all_tokens, lowercase=lowercase),
        n_threads=n_threads,
    )
    return WordCounts(matrix, terms, words)


def _all_tokens(text: str, *, lowercase: bool) -> list[str]:
    return tokenize(text, lowercase=lowercase)
