"""Compiled scans over the UTF-8 bytes of Arrow strings: token counts and query-term hits.

The reference tokeniser and query matcher are regular expressions run on one Python
string at a time (:func:`mediakit.tokenize.tokenize`, :meth:`mediakit.query.Term.pattern`).
The scans here apply the same rules to whole Arrow columns in code compiled by Numba,
without making a Python object per text or per token; each of several threads scans
its own share of the rows (the compiled code releases the GIL).

Characters are classified by lookup tables built from the reference's own character
classes (:mod:`mediakit._unicode`) for the first 131,072 code points. A text holding a
character the tables cannot answer for alone -- one beyond them, one that NFC
normalisation could change, or one whose lower-case form is not a single character
("İ", a capital sigma) -- is reported back, and the caller runs the reference on it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numba import njit

from mediakit._unicode import LETTER, WORD

TABLE_SIZE = 0x20000  # the Basic and Supplementary Multilingual Planes (emoji included)
# bits of the character table
_WORD = 1  # a word character (\w or a combining mark)
_START = 2  # may start a token (\w)
_LETTER = 4  # a letter, for abbreviations ("u.s.")
_UNSAFE = 8  # NFC normalisation may change a text holding it
_CASED = 16  # its lower-case form is not one character (or depends on context)
_PIECE_ROWS = 4096  # at least this many rows per thread


@cache
def tables() -> tuple[np.ndarray, np.ndarray]:
    """Per code point below ``TABLE_SIZE``: class bits, and the lower-case code point."""
    chars = "".join(map(chr, range(TABLE_SIZE)))
    flags = np.zeros(TABLE_SIZE, dtype=np.uint8)
    for bit, pattern in ((_WORD, WORD), (_START, r"\w"), (_LETTER, LETTER)):
        flags[[m.start() for m in re.finditer(pattern, chars)]] |= bit
    # one character at a time, but in C: characters joined by a private-use character,
    # which neither composes nor is cased, so no result depends on the neighbours
    separator = "\U000f0000"
    joined = separator.join(chars)
    lowered = joined.lower().split(separator)
    lower = np.array([ord(c) if len(c) == 1 else -1 for c in lowered], dtype=np.int32)
    cased = (lower < 0) | (lower >= TABLE_SIZE)
    flags[cased] |= _CASED
    lower[cased] = np.arange(TABLE_SIZE, dtype=np.int32)[cased]
    flags[0x03A3] |= _CASED  # capital sigma lowers to final sigma at the end of a word
    # NFC: a text is already normalised when every character is a starter (combining
    # class 0) that no composition can follow or change (Unicode's quick check "Yes").
    composed = unicodedata.normalize("NFC", joined).split(separator)
    unsafe = np.array(
        [a != b or unicodedata.combining(a) != 0 for a, b in zip(chars, composed, strict=True)]
    )
    decomposed = unicodedata.normalize("NFD", joined).split(separator)
    for c in (c for c, d in enumerate(decomposed) if len(d) > 1):
        parts = unicodedata.decomposition(chars[c]).split()
        if len(parts) == 2 and not parts[0].startswith("<") and int(parts[1], 16) < TABLE_SIZE:
            unsafe[int(parts[1], 16)] = True  # may compose with the character before it
    unsafe[0x1161:0x1176] = unsafe[0x11A8:0x11C3] = True  # Hangul vowels and tails
    flags[unsafe] |= _UNSAFE
    return flags, lower


# --------------------------------------------------------------------------- columns
@dataclass
class Strings:
    """One Arrow chunk as NumPy views: ``offsets`` (int64, n + 1) into ``data`` (UTF-8)."""

    offsets: np.ndarray
    data: np.ndarray

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def text(self, row: Any) -> str:
        return bytes(self.data[self.offsets[row] : self.offsets[row + 1]]).decode("utf-8")


def arrow_strings(texts: Any) -> list[Strings]:
    """The texts (a Series, an Arrow array or a sequence of str) as chunks; missing -> ""."""
    if hasattr(texts, "array") and hasattr(texts.array, "__arrow_array__"):
        column = texts.array.__arrow_array__()
    elif isinstance(texts, pa.Array | pa.ChunkedArray):
        column = texts
    else:
        column = pa.array(
            [t if isinstance(t, str) else None for t in texts], type=pa.large_string()
        )
    if isinstance(column, pa.Array):
        column = pa.chunked_array([column])
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        column = column.cast(pa.large_string())
    if column.num_chunks > 64:
        column = pa.chunked_array([column.combine_chunks()])
    out = []
    for chunk in column.chunks:
        if chunk.null_count:
            chunk = chunk.fill_null("")
        _, offsets, data = chunk.buffers()
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        view = np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
        bytes_ = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
        out.append(Strings(view.astype(np.int64), bytes_))
    return out


def _pieces(chunks: list[Strings], n_threads: int) -> list[tuple[int, int, int]]:
    """(chunk, first row, end row) pieces in row order, about one per thread."""
    total = sum(len(c) for c in chunks)
    size = max(_PIECE_ROWS, -(-total // max(n_threads, 1)))
    return [
        (k, lo, min(lo + size, len(chunk)))
        for k, chunk in enumerate(chunks)
        for lo in range(0, len(chunk), size)
    ]


def _run(jobs: Sequence[Callable[..., Any]], n_threads: int) -> list[Any]:
    if n_threads <= 1 or len(jobs) <= 1:
        return [job() for job in jobs]
    with ThreadPoolExecutor(max_workers=n_threads) as pool:
        return list(pool.map(lambda job: job(), jobs))


def thread_count(n_threads: int | None) -> int:
    """``n_threads``, or Arrow's CPU count (``pyarrow.set_cpu_count``, ``OMP_NUM_THREADS``)."""
    if n_threads is None:
        return max(1, pa.cpu_count())
    if isinstance(n_threads, bool) or not isinstance(n_threads, int) or n_threads < 1:
        raise ValueError(
            f"The 'n_threads' parameter must be a positive int or None, got {n_threads!r}."
        )
    return n_threads


# --------------------------------------------------------------------------- compiled
@njit(nogil=True, cache=True)
def _decode(data, lo, hi, flags, lower, lowercase, out):
    """UTF-8 bytes ``data[lo:hi]`` as code points in ``out`` (lowered); -1 if unsafe."""
    bad = _UNSAFE | (_CASED if lowercase else 0)
    n = 0
    i = lo
    while i < hi:
        b = np.int32(data[i])
        if b < 0x80:
            c = b
            i += 1
        elif b < 0xE0:
            c = ((b & 0x1F) << 6) | (np.int32(data[i + 1]) & 0x3F)
            i += 2
        elif b < 0xF0:
            c = (
                ((b & 0x0F) << 12)
                | ((np.int32(data[i + 1]) & 0x3F) << 6)
                | (np.int32(data[i + 2]) & 0x3F)
            )
            i += 3
        else:
            c = (
                ((b & 0x07) << 18)
                | ((np.int32(data[i + 1]) & 0x3F) << 12)
                | ((np.int32(data[i + 2]) & 0x3F) << 6)
                | (np.int32(data[i + 3]) & 0x3F)
            )
            i += 4
            if c >= TABLE_SIZE:
                return -1  # beyond the tables
        if flags[c] & bad:
            return -1
        out[n] = lower[c] if lowercase else c
        n += 1
    return n


@njit(nogil=True, cache=True)
def _is_word(flags, c):
    return c < TABLE_SIZE and (flags[c] & _WORD) != 0


@njit(nogil=True, cache=True)
def _drop_possessives(buf, n, flags):
    """Remove each quote + s that no word character follows ("trump's" -> "trump"), in place."""
    w = 0
    i = 0
    while i < n:
        c = buf[i]
        if (
            (c == 0x27 or c == 0x2019)
            and i + 1 < n
            and (buf[i + 1] == 0x73 or buf[i + 1] == 0x53)
            and (i + 2 == n or not _is_word(flags, buf[i + 2]))
        ):
            i += 2
            continue
        buf[w] = c
        w += 1
        i += 1
    return w


@njit(nogil=True, cache=True)
def _token_end(buf, i, n, flags):
    """End of the token starting at ``i`` (the reference's TOKEN), or -1 if none starts there."""
    c = buf[i]
    if not (flags[c] & _START):
        return -1
    if (flags[c] & _LETTER) and i + 3 < n and buf[i + 1] == 0x2E:  # u.s.
        k = i + 2
        while k + 1 < n and (flags[buf[k]] & _LETTER) and buf[k + 1] == 0x2E:
            k += 2
        if k > i + 2:
            return k
    j = i + 1
    while j < n and (flags[buf[j]] & _WORD):
        j += 1
    while (
        j + 1 < n
        and (buf[j] == 0x2D or buf[j] == 0x27 or buf[j] == 0x2019)
        and (flags[buf[j + 1]] & _WORD)
    ):
        j += 2
        while j < n and (flags[buf[j]] & _WORD):
            j += 1
    return j


@njit(nogil=True, cache=True)
def _count_some(offsets, data, first, lo, hi, flags, lower, lowercase, buf, out, table, used):
    """Count rows from ``lo`` on until one might not fit in the arrays; return where it stopped.

    Rows are numbered from ``first`` in ``out``.
    ``out`` = (indptr, indices, counts, fallback), ``table`` = (slot_term, slot_hash,
    starts, lengths, seen, pool) and ``used`` = [entries, terms, pool] are filled in place.
    The arrays never change inside this loop (growing them here would slow every access).
    """
    indptr, indices, counts, fallback = out
    slot_term, slot_hash, starts, lengths, seen, pool = table
    n_entries, n_terms, pool_used = used[0], used[1], used[2]
    mask = len(slot_term) - 1
    r = lo
    while r < hi:
        size = offsets[r + 1] - offsets[r]  # at most this many code points, tokens, new terms
        if (
            n_entries + size > len(indices)
            or n_terms + size > len(starts)
            or pool_used + size > len(pool)
        ):
            break
        row = r - first
        n = _decode(data, offsets[r], offsets[r + 1], flags, lower, lowercase, buf)
        if n < 0:
            fallback[row] = True
            indptr[row + 1] = n_entries
            r += 1
            continue
        n = _drop_possessives(buf, n, flags)
        i = 0
        while i < n:
            start = i
            end = _token_end(buf, i, n, flags)
            if end < 0:
                i += 1
                continue
            i = end
            # FNV-1a over the code points, mixed so that the low bits index the slots
            h = np.uint64(14695981039346656037)
            for k in range(start, end):
                h = (h ^ np.uint64(buf[k])) * np.uint64(1099511628211)
            h ^= h >> np.uint64(32)
            s = np.int64(h & np.uint64(mask))
            term = -1
            while True:
                t = slot_term[s]
                if t < 0:
                    break
                if slot_hash[s] == h and lengths[t] == end - start:
                    p = starts[t]
                    k = 0
                    while k < end - start and pool[p + k] == buf[start + k]:
                        k += 1
                    if k == end - start:
                        term = t
                        break
                s = (s + 1) & mask
            if term < 0:
                term = n_terms
                for k in range(end - start):
                    pool[pool_used + k] = buf[start + k]
                starts[term] = pool_used
                lengths[term] = end - start
                pool_used += end - start
                slot_term[s] = term
                slot_hash[s] = h
                n_terms += 1
            if seen[term, 0] == r:
                counts[seen[term, 1]] += 1
            else:
                seen[term, 0] = r
                seen[term, 1] = n_entries
                indices[n_entries] = term
                counts[n_entries] = 1
                n_entries += 1
        indptr[row + 1] = n_entries
        r += 1
        if 2 * n_terms > len(slot_term):
            break  # the table is half full: grow it before going on
    used[0], used[1], used[2] = n_entries, n_terms, pool_used
    return r


@njit(nogil=True, cache=True)
def _grown(array, size):
    out = np.empty((size,) + array.shape[1:], dtype=array.dtype)
    out[: len(array)] = array
    return out


@njit(nogil=True, cache=True)
def _count_rows(offsets, data, lo, hi, flags, lower, lowercase):
    """Token counts of rows ``lo:hi``: a CSR block over a vocabulary of its own."""
    longest = 1
    for r in range(lo, hi):
        longest = max(longest, offsets[r + 1] - offsets[r])
    buf = np.empty(longest, dtype=np.int32)
    indptr = np.zeros(hi - lo + 1, dtype=np.int64)
    fallback = np.zeros(hi - lo, dtype=np.bool_)
    n_entries = max(1 << 16, (offsets[hi] - offsets[lo]) // 16, 2 * longest)
    indices = np.empty(n_entries, dtype=np.int32)
    counts = np.empty(n_entries, dtype=np.int32)
    n_slots = 1 << 16
    while n_slots < 4 * longest:
        n_slots *= 2
    slot_term = np.full(n_slots, -1, dtype=np.int32)
    slot_hash = np.zeros(n_slots, dtype=np.uint64)
    starts = np.empty(n_slots // 2, dtype=np.int64)
    lengths = np.empty(n_slots // 2, dtype=np.int64)
    seen = np.full((n_slots // 2, 2), -1, dtype=np.int64)
    pool = np.empty(max(1 << 20, 2 * longest), dtype=np.int32)
    used = np.zeros(3, dtype=np.int64)
    r = lo
    while True:
        r = _count_some(
            offsets,
            data,
            lo,
            r,
            hi,
            flags,
            lower,
            lowercase,
            buf,
            (indptr, indices, counts, fallback),
            (slot_term, slot_hash, starts, lengths, seen, pool),
            used,
        )
        if r >= hi:
            break
        size = offsets[r + 1] - offsets[r]
        if used[0] + size > len(indices):
            indices = _grown(indices, 2 * len(indices) + size)
            counts = _grown(counts, len(indices))
        if used[2] + size > len(pool):
            pool = _grown(pool, 2 * len(pool) + size)
        if used[1] + size > len(starts) or 2 * used[1] > len(slot_term):
            n_slots = 2 * len(slot_term)
            while n_slots < 2 * (used[1] + size):
                n_slots *= 2
            starts = _grown(starts, n_slots // 2)
            lengths = _grown(lengths, n_slots // 2)
            seen = _grown(seen, n_slots // 2)
            seen[used[1] :] = -1
            old_term, old_hash = slot_term, slot_hash
            slot_term = np.full(n_slots, -1, dtype=np.int32)
            slot_hash = np.zeros(n_slots, dtype=np.uint64)
            mask = n_slots - 1
            for s in range(len(old_term)):
                if old_term[s] >= 0:
                    s2 = np.int64(old_hash[s] & np.uint64(mask))
                    while slot_term[s2] >= 0:
                        s2 = (s2 + 1) & mask
                    slot_term[s2] = old_term[s]
                    slot_hash[s2] = old_hash[s]
    n_entries, n_terms, pool_used = used[0], used[1], used[2]
    return (
        indptr,
        indices[:n_entries].copy(),
        counts[:n_entries].copy(),
        fallback,
        pool[:pool_used].copy(),
        starts[:n_terms].copy(),
        lengths[:n_terms].copy(),
    )


@njit(nogil=True, cache=True)
def _finish_rows(indptr, indices, counts, is_word, keep, rank):
    """Running words per row, and the kept entries renumbered by ``rank`` and sorted."""
    n_rows = len(indptr) - 1
    words = np.zeros(n_rows, dtype=np.int64)
    out_ptr = np.zeros(n_rows + 1, dtype=np.int64)
    out_idx = np.empty(len(indices), dtype=np.int32)
    out_cnt = np.empty(len(indices), dtype=np.int32)
    k = 0
    for r in range(n_rows):
        first = k
        for e in range(indptr[r], indptr[r + 1]):
            term = indices[e]
            if is_word[term]:
                words[r] += counts[e]
            if keep[term]:
                out_idx[k] = rank[term]
                out_cnt[k] = counts[e]
                k += 1
        if k - first > 1:
            order = np.argsort(out_idx[first:k])
            out_idx[first:k] = out_idx[first:k][order]
            out_cnt[first:k] = out_cnt[first:k][order]
        out_ptr[r + 1] = k
    return out_ptr, out_idx[:k].copy(), out_cnt[:k].copy(), words


@njit(nogil=True, cache=True)
def _occurs(buf, n, flags, cps, word_ptr, first_word, last_word, wildcard, scratch):
    """Whether the term (words ``first_word:last_word`` of ``cps``) occurs in ``buf[:n]``.

    The term's regular expression (:meth:`mediakit.query.Term.pattern`) step by step:
    the first word on a word boundary, each next word after an optional possessive and
    at least one separator, then the end boundary; every way through is followed.
    Returns 1 (found), 0 (not found) or -1 (too many ways: ask the reference).
    """
    w0 = cps[word_ptr[first_word] : word_ptr[first_word + 1]]
    len0 = len(w0)
    last = cps[word_ptr[last_word - 1] : word_ptr[last_word]]
    abbreviation = last[len(last) - 1] == 0x2E
    cap = len(scratch) // 2
    for p in range(n - len0 + 1):
        if buf[p] != w0[0]:
            continue
        same = True
        for k in range(1, len0):
            if buf[p + k] != w0[k]:
                same = False
                break
        if not same:
            continue
        if p > 0 and _is_word(flags, buf[p - 1]):
            continue
        if p > 1 and (buf[p - 1] == 0x27 or buf[p - 1] == 0x2019) and _is_word(flags, buf[p - 2]):
            continue
        # positions reached after each word
        n_cur = 1
        scratch[0] = p + len0
        for wi in range(first_word + 1, last_word):
            word = cps[word_ptr[wi] : word_ptr[wi + 1]]
            n_next = 0
            for q_i in range(n_cur):
                q = scratch[q_i]
                for possessive in range(2):
                    g = q
                    if possessive == 1:
                        if (
                            q + 1 < n
                            and (buf[q] == 0x27 or buf[q] == 0x2019)
                            and (buf[q + 1] == 0x73 or buf[q + 1] == 0x53)
                        ):
                            g = q + 2
                        else:
                            continue
                    r = g
                    while r < n and (buf[r] == 0x5F or not _is_word(flags, buf[r])):
                        r += 1
                    for t in range(g + 1, r + 1):
                        if t + len(word) > n:
                            break
                        ok = True
                        for k in range(len(word)):
                            if buf[t + k] != word[k]:
                                ok = False
                                break
                        if ok:
                            if n_next == cap:
                                return -1
                            scratch[cap + n_next] = t + len(word)
                            n_next += 1
            for k in range(n_next):
                scratch[k] = scratch[cap + k]
            n_cur = n_next
            if n_cur == 0:
                break
        for q_i in range(n_cur):
            e = scratch[q_i]
            if wildcard:
                return 1
            if abbreviation:
                if e + 1 < n and (flags[buf[e]] & _LETTER) and buf[e + 1] == 0x2E:
                    continue
                return 1
            if e < n and _is_word(flags, buf[e]):
                continue
            if (
                e + 1 < n
                and (buf[e] == 0x27 or buf[e] == 0x2019)
                and _is_word(flags, buf[e + 1])
                and not (
                    (buf[e + 1] == 0x73 or buf[e + 1] == 0x53)
                    and (e + 2 == n or not _is_word(flags, buf[e + 2]))
                )
            ):
                continue
            return 1
    return 0


@njit(nogil=True, cache=True)
def _match_rows(offsets, data, lo, hi, flags, lower, lowercase, cps, word_ptr, term_ptr, wildcard):
    """hits[term, row] for rows ``lo:hi``; rows the tables cannot answer for are marked."""
    n_terms = len(term_ptr) - 1
    hits = np.zeros((n_terms, hi - lo), dtype=np.bool_)
    fallback = np.zeros(hi - lo, dtype=np.bool_)
    longest = 1
    for r in range(lo, hi):
        longest = max(longest, offsets[r + 1] - offsets[r])
    buf = np.empty(longest, dtype=np.int32)
    scratch = np.empty(512, dtype=np.int64)
    for r in range(lo, hi):
        n = _decode(data, offsets[r], offsets[r + 1], flags, lower, lowercase, buf)
        if n < 0:
            fallback[r - lo] = True
            continue
        for t in range(n_terms):
            found = _occurs(
                buf, n, flags, cps, word_ptr, term_ptr[t], term_ptr[t + 1], wildcard[t], scratch
            )
            if found < 0:
                fallback[r - lo] = True
                break
            hits[t, r - lo] = found == 1
    return hits, fallback


# --------------------------------------------------------------------------- counting
@njit(nogil=True, cache=True)
def _utf8(pool, starts, lengths):
    """The terms (code-point slices of ``pool``) as UTF-8: Arrow offsets and bytes."""
    offsets = np.zeros(len(starts) + 1, dtype=np.int64)
    out = np.empty(4 * max(1, len(pool)), dtype=np.uint8)
    n = 0
    for t in range(len(starts)):
        for k in range(starts[t], starts[t] + lengths[t]):
            c = pool[k]
            if c < 0x80:
                out[n] = c
                n += 1
            elif c < 0x800:
                out[n] = 0xC0 | (c >> 6)
                out[n + 1] = 0x80 | (c & 0x3F)
                n += 2
            elif c < 0x10000:
                out[n] = 0xE0 | (c >> 12)
                out[n + 1] = 0x80 | ((c >> 6) & 0x3F)
                out[n + 2] = 0x80 | (c & 0x3F)
                n += 3
            else:
                out[n] = 0xF0 | (c >> 18)
                out[n + 1] = 0x80 | ((c >> 12) & 0x3F)
                out[n + 2] = 0x80 | ((c >> 6) & 0x3F)
                out[n + 3] = 0x80 | (c & 0x3F)
                n += 4
        offsets[t + 1] = n
    return offsets, out[:n].copy()


def _terms_of(pool: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> pa.Array:
    offsets, data = _utf8(pool, starts, lengths)
    return pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(offsets), pa.py_buffer(data))


def count_tokens(
    texts: Any,
    *,
    lowercase: bool,
    stop: frozenset[str],
    reference: Callable[[str], list[str]],
    n_threads: int | None = None,
) -> tuple[Any, np.ndarray, np.ndarray]:
    """Documents x terms counts of the words not in ``stop``, the sorted terms, running words.

    ``reference`` tokenises the texts the tables cannot answer for.
    """
    from scipy import sparse

    threads = thread_count(n_threads)
    chunks = arrow_strings(texts)
    flags, lower = tables()
    pieces = _pieces(chunks, threads)
    jobs = [
        partial(_count_rows, chunks[k].offsets, chunks[k].data, lo, hi, flags, lower, lowercase)
        for k, lo, hi in pieces
    ]
    results = _run(jobs, threads)
    # rows the tables cannot answer for: the reference's tokens
    extra = []
    for (k, lo, _), result in zip(pieces, results, strict=True):
        rows = np.flatnonzero(result[3])
        extra.append((rows, [reference(chunks[k].text(lo + r)) for r in rows]))
    # one vocabulary for all pieces (Arrow's hash kernels, no Python object per term)
    local = [_terms_of(*result[4:]) for result in results]
    extra_terms = pa.array(
        sorted({t for _, tokens in extra for ts in tokens for t in ts}), pa.large_string()
    )
    vocabulary = pc.unique(pa.chunked_array([*local, extra_terms], type=pa.large_string()))
    blocks = []
    for result, terms_here, (rows, tokens) in zip(results, local, extra, strict=True):
        remap = pc.index_in(terms_here, value_set=vocabulary).to_numpy(zero_copy_only=False)
        block = (result[0], remap.astype(np.int32)[result[1]], result[2])
        if len(rows):
            block = _with_rows(*block, rows, tokens, vocabulary)
        blocks.append(block)
    del results, local
    terms = vocabulary.to_numpy(zero_copy_only=False)
    is_word = np.fromiter((len(t) > 1 and not t.isdigit() for t in terms), bool, len(terms))
    keep = is_word & np.fromiter((t not in stop for t in terms), bool, len(terms))
    kept = np.flatnonzero(keep)
    order = kept[np.argsort(terms[kept], kind="stable")]
    rank = np.zeros(len(terms), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    finished = _run([partial(_finish_rows, *b, is_word, keep, rank) for b in blocks], threads)
    del blocks
    ends = np.cumsum([0] + [f[0][-1] for f in finished])
    indptr = np.concatenate(
        [np.zeros(1, np.int64)] + [f[0][1:] + end for f, end in zip(finished, ends, strict=False)]
    )
    matrix = sparse.csr_matrix(
        (
            np.concatenate([f[2] for f in finished] or [np.zeros(0, np.int32)]),
            np.concatenate([f[1] for f in finished] or [np.zeros(0, np.int32)]),
            indptr,
        ),
        shape=(len(indptr) - 1, len(order)),
    )
    words = np.concatenate([f[3] for f in finished] or [np.zeros(0, np.int64)])
    matrix.has_sorted_indices = True
    return matrix, terms[order], words


def _with_rows(
    indptr: np.ndarray,
    indices: np.ndarray,
    counts: np.ndarray,
    rows: np.ndarray,
    tokens: list[list[str]],
    vocabulary: pa.Array,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The CSR block with its (empty) ``rows`` filled from their token lists."""
    flat = pa.array([t for ts in tokens for t in ts], pa.large_string())
    ids = pc.index_in(flat, value_set=vocabulary).to_numpy(zero_copy_only=False).astype(np.int64)
    owner = np.repeat(np.arange(len(rows)), [len(ts) for ts in tokens])
    keys, new_counts = np.unique(owner * len(vocabulary) + ids, return_counts=True)
    new_rows, new_ids = np.divmod(keys, len(vocabulary))
    sizes = np.diff(indptr)
    sizes[rows] = np.bincount(new_rows, minlength=len(rows))
    new_ptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    out_idx = np.empty(new_ptr[-1], dtype=np.int32)
    out_cnt = np.empty(new_ptr[-1], dtype=np.int32)
    # entries already there move by the room made before their row
    old_sizes = np.diff(indptr)
    shift = np.repeat(new_ptr[:-1] - indptr[:-1], old_sizes)
    where = np.arange(len(indices)) + shift
    out_idx[where] = indices
    out_cnt[where] = counts
    # the filled rows: their entries follow the start of their row
    first = np.concatenate([[0], np.cumsum(np.bincount(new_rows, minlength=len(rows)))])
    where = new_ptr[rows[new_rows]] + np.arange(len(keys)) - first[new_rows]
    out_idx[where] = new_ids
    out_cnt[where] = new_counts
    return new_ptr, out_idx, out_cnt


# --------------------------------------------------------------------------- matching
def term_hits(
    texts: Any,
    terms: Sequence[tuple[Sequence[str], bool]],
    *,
    lowercase: bool,
    reference: Callable[[int, str], bool],
    n_threads: int | None = None,
) -> np.ndarray:
    """hits[term, row]: whether each term (its words, whether it ends in ``*``) occurs.

    ``terms`` hold normalised words (lower-cased when ``lowercase``); ``reference(t, text)``
    answers for term ``t`` on a text the tables cannot answer for.
    """
    threads = thread_count(n_threads)
    chunks = arrow_strings(texts)
    flags, lower = tables()
    words = [w for ws, _ in terms for w in ws]
    cps = np.array([ord(c) for w in words for c in w], dtype=np.int32)
    word_ptr = np.concatenate([[0], np.cumsum([len(w) for w in words])]).astype(np.int64)
    term_ptr = np.concatenate([[0], np.cumsum([len(ws) for ws, _ in terms])]).astype(np.int64)
    wildcard = np.array([w for _, w in terms], dtype=np.bool_)
    pieces = _pieces(chunks, threads)
    jobs = [
        partial(
            _match_rows,
            *(chunks[k].offsets, chunks[k].data, lo, hi, flags, lower, lowercase),
            *(cps, word_ptr, term_ptr, wildcard),
        )
        for k, lo, hi in pieces
    ]
    results = _run(jobs, threads) if terms else []
    total = sum(len(c) for c in chunks)
    if not terms:
        return np.zeros((0, total), dtype=bool)
    out = np.empty((len(terms), total), dtype=bool)
    base = np.cumsum([0] + [len(c) for c in chunks])
    for (k, lo, hi), (hits, fallback) in zip(pieces, results, strict=True):
        for r in np.flatnonzero(fallback):
            text = chunks[k].text(lo + r)
            hits[:, r] = [reference(t, text) for t in range(len(terms))]
        out[:, base[k] + lo : base[k] + hi] = hits
    return out


def warm_up() -> None:
    """Compile (or load from the cache) the scans, build the tables."""
    count_tokens(["a b"], lowercase=True, stop=frozenset(), reference=lambda t: [], n_threads=1)
    term_hits(["a b"], [(("a",), False)], lowercase=True, reference=lambda t, s: False, n_threads=1)


__all__ = ["Strings", "arrow_strings", "count_tokens", "tables", "term_hits"]
