"""Boolean queries over article frames: ``"Putin AND (election OR vote*)"``.

The language is the one media researchers know from Media Cloud and Solr:

- ``AND``, ``OR``, ``NOT`` combine terms. Operators are written in capitals, as in
  Media Cloud; lower-case ``and`` / ``or`` / ``not`` are ordinary words.
- Adjacent terms are joined by an implicit ``AND``: ``Putin election`` means
  ``Putin AND election`` (a narrower, more predictable default than Solr's OR).
- Precedence, tightest first: ``NOT``, ``AND``, ``OR``; parentheses group.
- ``"exact phrases"`` match their words in order, separated only by spaces or
  punctuation (``"white house"`` matches "White House" and "white-house").
- A trailing ``*`` is a prefix wildcard: ``vote*`` matches vote, votes, voters, voting.
- Matching ignores case unless ``case=True``.

Terms match whole words as the shared tokeniser (:mod:`mediakit.tokenize`) sees them:
``Putin`` matches "Putin" and "Putin's" (possessives are dropped) but not "Putinism";
``U.S.`` is one word; apostrophes stay inside words ("don't"). As in Media Cloud and
Solr, a hyphen separates words when searching, so ``Putin`` also finds "Trump-Putin
summit" and ``election`` finds "re-election"; ``re-election`` finds only the compound.

Text and query are NFC-normalised first, so "Müller" finds the word whether a page stores
it composed or decomposed; a combining mark never splits a word. Matching runs in compiled
code over the Arrow strings of the columns (:mod:`mediakit._kernels`); the regular
expression of each term (:meth:`Term.pattern`) is the reference it is tested against.

A malformed query raises :class:`QuerySyntaxError` (a ``ValueError``) whose message
points at the position of the error with a caret.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from mediakit._unicode import MARK, NON_WORD, WORD, WORD_RUN, normalize
from mediakit._validation import require_columns
from mediakit.tokenize import POSSESSIVE, TOKEN

OPERATORS = ("AND", "OR", "NOT")

# Word boundaries of the shared tokeniser, except that a hyphen also separates words: a
# word never starts right after a word character (or a word character plus an inner
# apostrophe) and never stops before one; a possessive "'s" / "’s" is not part of it.
_END = rf"(?!{WORD})(?![’'](?![sS](?!{WORD})){WORD})"
_ABBREVIATION_END = r"(?![^\W\d_]\.)"
_WILDCARD_TAIL = rf"{WORD_RUN}(?:['’]{WORD}{WORD_RUN})*"
# separator between the words of a phrase: an optional possessive, then non-word characters
_PHRASE_GAP = rf"(?:['’][sS])?(?:{NON_WORD}|_)+"
_VALID_WORD = re.compile(rf"[^\W_](?:(?:[\w.'’-]|{MARK})*(?:[\w.]|{MARK}))?\*?|[^\W_]\*")


class QuerySyntaxError(ValueError):
    """A query that cannot be parsed; the message shows where, with a caret."""

    def __init__(self, query: str, position: int, problem: str) -> None:
        self.query = query
        self.position = position
        self.problem = problem
        super().__init__(
            f"Could not parse the 'query' parameter: {problem} at position {position}:\n"
            f"    {query}\n"
            f"    {' ' * position}^\n"
            'Write terms joined by AND / OR / NOT (capitals), group with ( ), quote "exact '
            'phrases" and put * only at the end of a word (vote*).'
        )


@dataclass(frozen=True)
class Term:
    """One word (``wildcard`` if it ended in ``*``) or an exact phrase of words."""

    words: tuple[str, ...]
    wildcard: bool = False
    phrase: bool = False

    def pattern(self) -> str:
        """The regular expression matching this term on token boundaries."""
        parts = [re.escape(w) for w in self.words]
        # The start boundary is checked after the first word (a look-behind over it) so
        # that the pattern begins with a literal, which Python's re scans for quickly.
        first = parts[0]
        parts[0] = rf"{first}(?<!{WORD}{first})(?<!{WORD}['’]{first})"
        if self.wildcard:
            parts[-1] += _WILDCARD_TAIL
        # an abbreviation ("U.S.") ends at its last dot, unless another letter-dot follows
        end = _ABBREVIATION_END if self.words[-1].endswith(".") else _END
        return _PHRASE_GAP.join(parts) + end


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node: TypeAlias = Term | Not | And | Or


# --------------------------------------------------------------------------- lexing
@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "OP", "WORD", "PHRASE", "END"
    text: str
    position: int


def _lex(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, char, i))
            i += 1
        elif char in '"“”':
            end = min((j for j in (query.find(q, i + 1) for q in '"“”') if j != -1), default=-1)
            if end == -1:
                raise QuerySyntaxError(query, i, "this quote is never closed")
            tokens.append(_Token("PHRASE", query[i + 1 : end], i))
            i = end + 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()"“”':
                j += 1
            word = query[i:j]
            kind = "OP" if word in OPERATORS else "WORD"
            tokens.append(_Token(kind, word, i))
            i = j
    tokens.append(_Token("END", "", n))
    return tokens


def _word_term(query: str, token: _Token) -> Term:
    word = token.text
    if not _VALID_WORD.fullmatch(word):
        bad = next(
            (
                k
                for k, c in enumerate(word)
                if not (c.isalnum() or c in ".'’-*" or unicodedata.category(c)[0] == "M")
            ),
            None,
        )
        if bad is not None:
            problem = f"unexpected character {word[bad]!r} in the word {word!r}"
        elif "*" in word[:-1]:
            bad = word.index("*")
            problem = f"a wildcard * may only end a word, got {word!r}"
        else:
            bad = 0
            problem = f"{word!r} is not a word (a word starts with a letter or digit)"
        raise QuerySyntaxError(query, token.position + bad, problem)
    wildcard = word.endswith("*")
    # the tokeniser drops possessives: "Putin's" searches for "Putin" (and so finds both)
    return Term((POSSESSIVE.sub("", word.rstrip("*")),), wildcard=wildcard)


def _phrase_term(query: str, token: _Token) -> Term:
    text = token.text
    star = text.find("*")
    if star != -1 and (star != len(text.rstrip()) - 1):
        raise QuerySyntaxError(
            query, token.position + 1 + star, "a wildcard * may only end a phrase"
        )
    wildcard = star != -1
    # the tokeniser's words, keeping one-letter words and numbers ("Article 5", "Plan B")
    words = tuple(TOKEN.findall(text.replace("*", "")))
    words = tuple(re.sub(r"['’][sS]$", "", w) for w in words)
    if not words:
        raise QuerySyntaxError(query, token.position, "this phrase has no words")
    return Term(words, wildcard=wildcard, phrase=True)


# --------------------------------------------------------------------------- parsing
class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _lex(query)
        self.i = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.i]

    def error(self, problem: str, token: _Token | None = None) -> QuerySyntaxError:
        token = token or self.current
        return QuerySyntaxError(self.query, token.position, problem)

    def parse(self) -> Node:
        if self.current.kind == "END":
            raise self.error("the query is empty")
        node = self.parse_or()
        if self.current.kind == ")":
            raise self.error("this ')' has no matching '('")
        if self.current.kind != "END":  # pragma: no cover - parse_or consumes all else
            raise self.error(f"unexpected {self.current.text!r}")
        return node

    def parse_or(self) -> Node:
        operands = [self.parse_and()]
        while self.current.kind == "OP" and self.current.text == "OR":
            self.i += 1
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self) -> Node:
        operands = [self.parse_not()]
        while True:
            token = self.current
            if token.kind == "OP" and token.text == "AND":
                self.i += 1
            elif token.kind in ("WORD", "PHRASE", "(") or (
                token.kind == "OP" and token.text == "NOT"
            ):
                pass  # implicit AND
            else:
                break
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_not(self) -> Node:
        if self.current.kind == "OP" and self.current.text == "NOT":
            self.i += 1
            return Not(self.parse_not())
        return self.parse_atom()

    def parse_atom(self) -> Node:
        token = self.current
        if token.kind == "(":
            self.i += 1
            if self.current.kind == ")":
                raise self.error("empty parentheses")
            node = self.parse_or()
            if self.current.kind != ")":
                raise self.error(f"expected ')' to close the '(' at position {token.position}")
            self.i += 1
            return node
        if token.kind == "WORD":
            self.i += 1
            return _word_term(self.query, token)
        if token.kind == "PHRASE":
            self.i += 1
            return _phrase_term(self.query, token)
        if token.kind == "END":
            previous = self.tokens[self.i - 1] if self.i else None
            after = f" after {previous.text!r}" if previous is not None else ""
            raise self.error(f"expected a term{after} but the query ends")
        if token.kind == ")":
            raise self.error("expected a term before ')'")
        raise self.error(f"expected a term but got the operator {token.text!r}")


def parse_query(query: str) -> Node:
    """Parse ``query`` into a tree of :class:`Term`, :class:`Not`, :class:`And`, :class:`Or`.

    Examples
    --------
    >>> parse_query('Putin AND (election OR vote*)')
    And(operands=(Term(words=('Putin',), wildcard=False, phrase=False), Or(operands=(Term(words=('election',), wildcard=False, phrase=False), Term(words=('vote',), wildcard=True, phrase=False)))))
    >>> parse_query("Putin AND (election OR")
    Traceback (most recent call last):
    ...
    mediakit.query.QuerySyntaxError: Could not parse the 'query' parameter: expected a term after 'OR' but the query ends at position 22:
        Putin AND (election OR
                              ^
    Write terms joined by AND / OR / NOT ...
    """
    if not isinstance(query, str):
        raise TypeError(
            f"The 'query' parameter must be a string such as 'Putin AND vote*', "
            f"got {type(query).__name__} instead."
        )
    return _Parser(normalize(query, lowercase=False)).parse()


def query_terms(node: Node) -> list[Term]:
    """The distinct terms of a parsed query, in order of appearance."""
    if isinstance(node, Term):
        return [node]
    children: Iterable[Node] = (node.operand,) if isinstance(node, Not) else node.operands
    return list(dict.fromkeys(t for child in children for t in query_terms(child)))


# --------------------------------------------------------------------------- matching
def _field_columns(articles: pd.DataFrame, fields: Sequence[str]) -> list[pd.Series]:
    require_columns(articles, fields, "fields")
    return [articles[f].astype("string[pyarrow]") for f in fields]


def _term_hits(columns: list[pd.Series], terms: list[Term], *, case: bool) -> np.ndarray:
    """hits[term, row]: whether each term occurs in any of the columns (compiled scan)."""
    from mediakit import _kernels

    if not case:  # lower-case words on lower-cased texts
        terms = [Term(tuple(w.lower() for w in t.words), t.wildcard, t.phrase) for t in terms]
    searches = [re.compile(term.pattern()).search for term in terms]

    def reference(t: int, text: str) -> bool:
        return searches[t](normalize(text, lowercase=not case)) is not None

    spec = [(term.words, term.wildcard) for term in terms]
    n = len(columns[0]) if columns else 0
    hits = np.zeros((len(terms), n), dtype=bool)
    for column in columns:
        hits |= _kernels.term_hits(column, spec, lowercase=not case, reference=reference)
    return hits


def match_query(texts: Any, query: str | Node, *, case: bool = False) -> np.ndarray:
    """Which of ``texts`` match a boolean ``query``: a boolean array, one value per text.

    The vectorised core of :func:`matches` for one column of texts (a Series, a pyarrow
    array or a sequence of str; missing texts match nothing but ``NOT`` terms).

    Examples
    --------
    >>> match_query(["Putin's election", "re-election of Mu\u0308ller", None], "election NOT müller")
    array([ True, False, False])
    """
    node = parse_query(query) if isinstance(query, str) else query
    column = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype="str")
    terms = query_terms(node)
    leaves = dict(zip(terms, _term_hits([column], terms, case=case), strict=True))
    return _evaluate(node, leaves)


def _evaluate(node: Node, leaves: dict[Term, np.ndarray]) -> np.ndarray:
    if isinstance(node, Term):
        return leaves[node]
    if isinstance(node, Not):
        return ~_evaluate(node.operand, leaves)
    parts = [_evaluate(child, leaves) for child in node.operands]
    if isinstance(node, And):
        return np.logical_and.reduce(parts)
    return np.logical_or.reduce(parts)


def matches(
    articles: pd.DataFrame,
    query: str,
    *,
    fields: str | Sequence[str] = ("title", "text"),
    case: bool = False,
) -> pd.Series:
    """Which articles match a boolean ``query``, as a boolean Series on the frame's index.

    Parameters
    ----------
    articles : DataFrame
        An article frame (any frame with the ``fields`` columns).
    query : str
        ``AND`` / ``OR`` / ``NOT`` (capitals; adjacent terms are joined by AND),
        parentheses, ``"exact phrases"`` and trailing ``*`` wildcards. See
        :mod:`mediakit.query` for the full rules.
    fields : str or sequence of str, default ("title", "text")
        Columns searched. A term matches an article when it occurs in any of them; a
        phrase must occur within one field.
    case : bool, default False
        Match case exactly (``case=True``) or ignore it.

    Returns
    -------
    Series of bool
        Aligned with ``articles.index``.

    Raises
    ------
    QuerySyntaxError
        A ``ValueError`` pointing at the position of the syntax error.
    KeyError
        If a column of ``fields`` is missing.

    See Also
    --------
    select : the matching rows themselves.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides()
    >>> hits = mk.matches(articles, 'Putin AND (election* OR vote*)')
    >>> int(hits.sum())
    225
    >>> int(mk.matches(articles, '"White House" NOT Trump').sum())
    57
    """
    node = parse_query(query)
    if isinstance(fields, str):
        fields = (fields,)
    if not isinstance(articles, pd.DataFrame):
        raise TypeError(
            f"The 'articles' parameter must be a pandas DataFrame, got {type(articles).__name__}."
        )
    columns = _field_columns(articles, list(fields))
    terms = query_terms(node)
    leaves = dict(zip(terms, _term_hits(columns, terms, case=case), strict=True))
    return pd.Series(_evaluate(node, leaves), index=articles.index, name="matches")


def select(
    articles: pd.DataFrame,
    query: str,
    *,
    fields: str | Sequence[str] = ("title", "text"),
    case: bool = False,
) -> pd.DataFrame:
    """The articles matching a boolean ``query`` (a new frame, index kept).

    Takes the same parameters as :func:`matches`.

    Examples
    --------
    >>> import mediakit as mk
    >>> articles = mk.datasets.load_allsides()
    >>> putin = mk.select(articles, "Putin OR Kremlin")
    >>> len(putin), putin["title"].str.contains("Putin").any()
    (357, np.True_)
    """
    mask = matches(articles, query, fields=fields, case=case)
    return articles.loc[mask.to_numpy()].copy()
