"""Exact and near-duplicate articles: one wire story republished by several outlets.

:func:`find_duplicates` gives every article the id of its duplicate group, the smallest
``article_id`` among the articles that repeat the same story, so the value never depends
on row order. :func:`mark_duplicates` stores it in the ``dup_group`` column and
:func:`drop_duplicates` keeps one article per group.

How it works:

1. **Exact duplicates** share the same title and text once case and whitespace are
   normalised (articles without a text are compared on title and URL).
2. **Near duplicates** are found among the articles that have a text. Each text (without
   its headline: outlets rewrite headlines of the wire stories they carry) becomes the
   set of its word 5-grams ("shingles"). 64-value MinHash
   signatures (one-permutation hashing: the smallest shingle hash in each of 64 hash
   ranges, empty ranges filled from their neighbour) are cut into bands; texts sharing a
   band are candidate pairs (locality-sensitive hashing, banded so that a pair at the
   threshold is proposed with probability >= 0.99). Every candidate pair is then checked
   with the *exact* Jaccard similarity of the two shingle sets, and kept when it reaches
   ``threshold`` (0.8 by default: a 600-word story with a dozen words changed still
   scores above 0.8; two outlets' own reports of one event score below 0.2).
3. Groups are the connected components of the kept pairs.

Everything is a function of the texts alone (hashes are keyed BLAKE2b and fixed
multipliers), so the same articles give the same groups in any order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from hashlib import blake2b

import numpy as np
import pandas as pd

__all__ = ["find_duplicates", "mark_duplicates", "drop_duplicates", "DEFAULT_THRESHOLD"]

#: Jaccard similarity of word 5-gram sets from which two texts are one story.
DEFAULT_THRESHOLD = 0.8
SHINGLE_SIZE = 5
NUM_PERM = 64

_NON_WORD = re.compile(r"\W+")
_U64 = np.uint64
_MIX = _U64(0x9E3779B97F4A7C15)
_RNG = np.random.default_rng(20180320)
_BAND_MULT = _RNG.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) | _U64(1)


def _normalised(values: pd.Series) -> pd.Series:
    """Lower-cased, whitespace-collapsed strings ("" for missing values)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    strings = [v if isinstance(v, str) else None for v in values.tolist()]
    array = pc.utf8_lower(pa.array(strings, type=pa.large_string()))
    array = pc.binary_join(pc.utf8_split_whitespace(array), pa.scalar(" ", pa.large_string()))
    array = pc.fill_null(array, "")
    return pd.Series(array.to_pylist(), index=values.index, dtype=object)


def _bands_for(threshold: float) -> tuple[int, int]:
    """Rows per band and bands: the most selective split that still proposes a pair at
    ``threshold`` with probability >= 0.99."""
    best = (1, NUM_PERM)
    for rows in range(1, NUM_PERM + 1):
        bands = NUM_PERM // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= 0.99:
            best = (rows, bands)
    return best


_EMPTY = np.iinfo(np.uint64).max
_BATCH = 5_000  # texts per signature batch
_MAX_BUCKET = 200  # members of one LSH bucket compared pairwise
_BIN_BITS = 6  # NUM_PERM == 2**_BIN_BITS bins
_VALUE_MASK = _U64((1 << (64 - _BIN_BITS)) - 1)


def _tokenize(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Word hashes of all texts, concatenated, and the number of words of each text.

    Words are the lower-cased whitespace-separated tokens with punctuation removed
    ("U.S." -> "us", "Trump's" -> "trumps"); tokens of punctuation alone are skipped.
    Splitting and counting run in Arrow kernels; only the distinct tokens are cleaned
    and hashed (keyed BLAKE2b, 64 bits)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    tokens = pc.utf8_split_whitespace(pc.utf8_lower(pa.array(texts, type=pa.large_string())))
    parents = pc.list_parent_indices(tokens).to_numpy(zero_copy_only=False)
    encoded = pc.list_flatten(tokens).dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    words = [_NON_WORD.sub("", token) for token in encoded.dictionary.to_pylist()]
    table = np.fromiter(
        (
            int.from_bytes(
                blake2b(word.encode("utf-8"), digest_size=8, key=b"mediakit").digest(), "little"
            )
            for word in words
        ),
        dtype=np.uint64,
        count=len(words),
    )
    keep = np.fromiter((bool(word) for word in words), dtype=bool, count=len(words))[codes]
    lengths = np.bincount(parents[keep], minlength=len(texts)).astype(np.int64)
    return table[codes[keep]], lengths


def _mix(hashes: np.ndarray, words: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        hashes = (hashes ^ words) * _MIX
        return hashes ^ (hashes >> _U64(29))


class _Shingles:
    """Hashes of the word n-grams of many documents (a document shorter than n words gives
    one shingle of all its words), with the document each belongs to."""

    def __init__(self, texts: list[str], size: int) -> None:
        words, lengths = _tokenize(texts)
        starts = np.r_[0, np.cumsum(lengths)[:-1]].astype(np.int64)
        count = max(len(words) - size + 1, 0)
        hashes = np.zeros(count, dtype=np.uint64)
        for k in range(size):
            hashes = _mix(hashes, words[k : k + count])
        owner = np.repeat(np.arange(len(texts)), lengths)[:count]
        valid = np.arange(count) + size <= (starts + lengths)[owner]
        parts_h, parts_d = [hashes[valid]], [owner[valid]]
        for d in np.flatnonzero((lengths > 0) & (lengths < size)):
            short = np.zeros(1, dtype=np.uint64)
            for k in range(int(lengths[d])):
                short = _mix(short, words[starts[d] + k : starts[d] + k + 1])
            parts_h.append(short)
            parts_d.append(np.array([d]))
        self.hashes = np.concatenate(parts_h)
        self.owner = np.concatenate(parts_d)
        order = np.argsort(self.owner, kind="stable")
        self.hashes, self.owner = self.hashes[order], self.owner[order]
        self.bounds = np.searchsorted(self.owner, np.arange(len(texts) + 1))
        self._sets: dict[int, np.ndarray] = {}

    def set_of(self, doc: int) -> np.ndarray:
        if doc not in self._sets:
            self._sets[doc] = np.unique(self.hashes[self.bounds[doc] : self.bounds[doc + 1]])
        return self._sets[doc]

    def signatures(self, n_docs: int) -> np.ndarray:
        """One-permutation MinHash: the smallest hash in each of 64 bins (set by the top
        bits), empty bins filled from the next filled bin to the right (densification)."""
        bins = (self.hashes >> _U64(64 - _BIN_BITS)).astype(np.int64)
        flat = np.full(n_docs * NUM_PERM, _EMPTY, dtype=np.uint64)
        np.minimum.at(flat, self.owner * NUM_PERM + bins, self.hashes & _VALUE_MASK)
        sig = flat.reshape(n_docs, NUM_PERM)
        filled = sig.copy()
        for step in range(1, NUM_PERM):
            empty = filled == _EMPTY
            if not empty.any():
                break
            donor = np.roll(sig, -step, axis=1)
            take = empty & (donor != _EMPTY)
            with np.errstate(over="ignore"):
                filled[take] = donor[take] + _U64(step) * _MIX
        return filled


def _candidate_pairs(signatures: np.ndarray, rows: int, bands: int) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        cols = slice(band * rows, (band + 1) * rows)
        with np.errstate(over="ignore"):
            keys = (signatures[:, cols] * _BAND_MULT[None, cols]).sum(axis=1, dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        ends = np.r_[starts[1:], len(keys)]
        for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            members = sorted(order[s:e].tolist())
            if len(members) > _MAX_BUCKET:  # bound the work: a star and a chain
                pairs.update((members[0], m) for m in members[1:])
                pairs.update(zip(members[:-1], members[1:], strict=True))
                continue
            pairs.update(
                (members[i], members[j])
                for i in range(len(members))
                for j in range(i + 1, len(members))
            )
    return pairs


class _Components:
    """Union-find over item numbers."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def _near_groups(texts: list[str], threshold: float, shingle_size: int) -> _Components:
    components = _Components(len(texts))
    if len(texts) < 2:
        return components
    # signatures in batches, so memory stays bounded on large corpora
    signatures = np.empty((len(texts), NUM_PERM), dtype=np.uint64)
    shingles: _Shingles | None = None
    for start in range(0, len(texts), _BATCH):
        batch = texts[start : start + _BATCH]
        shingles = _Shingles(batch, shingle_size)
        signatures[start : start + len(batch)] = shingles.signatures(len(batch))
    rows, bands = _bands_for(threshold)
    pairs = _candidate_pairs(signatures, rows, bands)
    involved = sorted({d for pair in pairs for d in pair})
    sets: dict[int, np.ndarray] = {}
    if len(texts) <= _BATCH and shingles is not None:  # one batch: its shingles are at hand
        sets = {d: shingles.set_of(d) for d in involved}
        involved = []
    for start in range(0, len(involved), _BATCH):
        docs = involved[start : start + _BATCH]
        shingles = _Shingles([texts[d] for d in docs], shingle_size)
        sets.update((d, shingles.set_of(k)) for k, d in enumerate(docs))
    for i, j in sorted(pairs):
        if components.find(i) == components.find(j):
            continue
        a, b = sets[i], sets[j]
        small, large = sorted((len(a), len(b)))
        if small < threshold * large:  # Jaccard can be at most small / large
            continue
        if _jaccard(a, b) >= threshold:
            components.union(i, j)
    return components


def _check_articles(articles: object, threshold: object, shingle_size: object) -> None:
    if not isinstance(articles, pd.DataFrame):
        raise TypeError(
            f"find_duplicates expects an article frame (a pandas DataFrame), got "
            f"{type(articles).__name__}. Load articles with mediakit.load_articles(...) first."
        )
    missing = [c for c in ("article_id", "title", "text") if c not in articles.columns]
    if missing:
        raise ValueError(
            f"The 'articles' frame has no column(s) {missing}; find_duplicates needs "
            "'article_id', 'title' and 'text'. Pass the frame through "
            "mediakit.schema.as_articles(frame) first."
        )
    if articles["article_id"].isna().any() or articles["article_id"].duplicated().any():
        raise ValueError(
            "The 'article_id' column must be filled and unique to name duplicate groups. "
            "Give each article its own id (mediakit.load_articles does)."
        )
    if threshold is not None and not (
        isinstance(threshold, int | float) and 0.0 < float(threshold) <= 1.0
    ):
        raise ValueError(
            "The 'threshold' parameter of find_duplicates must be a float in (0, 1] or None "
            f"(exact duplicates only). Got {threshold!r} instead."
        )
    if not (isinstance(shingle_size, int) and shingle_size >= 1):
        raise ValueError(
            "The 'shingle_size' parameter of find_duplicates must be a positive int. "
            f"Got {shingle_size!r} instead."
        )


def find_duplicates(
    articles: pd.DataFrame,
    *,
    threshold: float | None = DEFAULT_THRESHOLD,
    shingle_size: int = SHINGLE_SIZE,
) -> pd.Series:
    """The duplicate group of every article: the smallest ``article_id`` of its group.

    Parameters
    ----------
    articles : DataFrame
        An article frame (``article_id``, ``title``, ``text`` and, if present, ``url``).
    threshold : float or None, default 0.8
        Jaccard similarity of the texts' word ``shingle_size``-gram sets (headlines left
        out) from which two articles are the same story. None finds exact duplicates only (same title and
        text after case and whitespace normalisation).
    shingle_size : int, default 5
        Words per shingle.

    Returns
    -------
    Series
        Named ``dup_group``, string dtype, indexed like ``articles``; NA for articles
        that have no duplicate.

    Examples
    --------
    >>> import pandas as pd
    >>> story = ("The Kremlin said on Tuesday that US President Donald Trump had phoned "
    ...          "Vladimir Putin to congratulate him on his victory in Sunday's election "
    ...          "and that the two men had spoken about a possible high-level meeting. "
    ...          "They agreed on the need to work together to curb a possible arms race, "
    ...          "and discussed Syria, Ukraine and North Korea, the Kremlin said. Putin "
    ...          "won 76.7 percent of the vote, the Central Election Commission said.")
    >>> articles = pd.DataFrame({
    ...     "article_id": ["b", "a", "c"],
    ...     "title": ["Trump calls Putin", "Trump congratulates Putin", "Storm closes schools"],
    ...     "text": [story, story.replace("Tuesday", "Monday"),
    ...              "Schools in three counties stayed shut on Monday after heavy snow."],
    ... })
    >>> find_duplicates(articles).tolist()
    ['a', 'a', <NA>]
    >>> find_duplicates(articles, threshold=None).tolist()
    [<NA>, <NA>, <NA>]
    """
    _check_articles(articles, threshold, shingle_size)
    ids = articles["article_id"].astype(str).to_numpy()
    head = _normalised(articles["title"])
    body = _normalised(articles["text"])
    if "url" in articles.columns:
        url = articles["url"].astype("string").str.strip().fillna("")
    else:
        url = pd.Series("", index=articles.index, dtype="string")

    # 1. exact groups on normalised title + text (title + URL when there is no text)
    has_body = (body != "").to_numpy()
    keys = (head + "\x1f" + body).where(has_body, head + "\x1f\x1f" + url)
    keys = keys.where((head != "") | (body != ""))
    codes, uniques = pd.factorize(keys.to_numpy(dtype=object), use_na_sentinel=True)
    components = _Components(len(uniques))

    # 2. near groups among one representative text per exact group, in content order
    if threshold is not None and len(uniques) > 1:
        first = pd.Series(np.arange(len(codes))).groupby(codes).first()
        reps = [int(c) for c in first.index if c >= 0 and has_body[first[c]]]
        reps.sort(key=lambda c: uniques[c])
        texts = [str(uniques[c]).split("\x1f", 1)[1] for c in reps]  # bodies only
        near = _near_groups(texts, float(threshold), shingle_size)
        for i, code in enumerate(reps):
            root = near.find(i)
            if root != i:
                components.union(code, reps[root])

    # 3. name each group by its smallest article_id; singletons get NA
    roots = np.array([components.find(c) if c >= 0 else -1 - row for row, c in enumerate(codes)])
    frame = pd.DataFrame({"root": roots, "id": ids})
    sizes = frame.groupby("root")["id"].transform("size")
    smallest = frame.groupby("root")["id"].transform("min")
    group = smallest.where(sizes > 1)
    return pd.Series(group.to_numpy(), index=articles.index, name="dup_group", dtype="string")


def mark_duplicates(
    articles: pd.DataFrame,
    *,
    threshold: float | None = DEFAULT_THRESHOLD,
    shingle_size: int = SHINGLE_SIZE,
) -> pd.DataFrame:
    """A copy of ``articles`` with ``dup_group`` filled by :func:`find_duplicates`.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["2", "1", "3"], "title": ["Same", "Same", "Other"],
    ...                          "text": ["One story.", "One  story.", "Another story."]})
    >>> mark_duplicates(articles)["dup_group"].tolist()
    ['1', '1', <NA>]
    """
    out = articles.copy()
    out["dup_group"] = find_duplicates(articles, threshold=threshold, shingle_size=shingle_size)
    return out


def drop_duplicates(
    articles: pd.DataFrame,
    *,
    threshold: float | None = DEFAULT_THRESHOLD,
    shingle_size: int = SHINGLE_SIZE,
) -> pd.DataFrame:
    """Keep one article per duplicate group: the one whose ``article_id`` names the group.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["2", "1"], "title": ["Same", "Same"],
    ...                          "text": ["One story.", "One story."]})
    >>> drop_duplicates(articles)["article_id"].tolist()
    ['1']
    """
    marked = mark_duplicates(articles, threshold=threshold, shingle_size=shingle_size)
    keep = marked["dup_group"].isna() | (marked["dup_group"] == marked["article_id"].astype(str))
    return marked[keep.to_numpy()]


def group_members(dup_group: Iterable[object]) -> dict[str, int]:
    """Size of every named group (for reports)."""
    sizes: dict[str, int] = {}
    for value in dup_group:
        if isinstance(value, str):
            sizes[value] = sizes.get(value, 0) + 1
    return sizes
