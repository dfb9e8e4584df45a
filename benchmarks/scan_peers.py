"""Cold text scans next to polars and DuckDB: term counting and weekly query coverage.

For corpora of recombined AllSides articles (``corpora.py``; 100,000 and 1,000,000 by
default) the script times, for mediakit, polars and DuckDB on the same texts:

- **term counting**: count and document count of every word of the text column, English
  stop words removed (``mediakit.term_frequencies(articles)``);
- **weekly coverage**: articles per week (Monday to Sunday, UTC) and how many of them
  match ``QUERY`` in their title or text (``mediakit.coverage(articles, query=QUERY)``).

The peers spell mediakit's rules out in their own regular expressions (NFC, lower case,
possessives dropped, "u.s." and "re-election" one word, words of two or more characters
that are not only digits; whole-word query terms, ``*`` prefixes, phrases across
punctuation), and the script checks that all three give the same counts, term by term and
week by week. Every timed call is cold: a new frame (a deep copy; polars and DuckDB get a
new frame / table from Arrow) made outside the timing, and nothing reused across calls.
All three use ``--threads`` threads (polars ``POLARS_MAX_THREADS``, DuckDB ``SET
threads``, mediakit ``pyarrow.set_cpu_count``). Each cell is the median wall time of
``--repeat`` runs; compilation and start-up are done once before (a small warm-up call),
and mediakit's one-off first call in a fresh process is printed apart.

Prints a markdown table and appends it to benchmarks/RESULTS.md.

Usage: python benchmarks/scan_peers.py [--n 100000 1000000] [--repeat 3] [--threads 2]
       [--only mediakit polars duckdb] [--tasks "term counting" "weekly coverage"] [--no-append]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
QUERY = 'Trump AND (election* OR vote*) AND NOT "White House"'
LIBRARIES = ("mediakit", "polars", "duckdb")
TASKS = ("term counting", "weekly coverage")

# The tokeniser's rules as portable regular expressions (RE2 / Rust regex: no look-around).
W = r"[\pL\pN\pM_]"  # a word character (Python's \w, plus combining marks)
NW = r"[^\pL\pN\pM_]"
TOKEN = rf"\pL\.(?:\pL\.)+|{W}+(?:[-'’]{W}+)*"
POSSESSIVE = rf"['’]s({NW}|$)"  # replaced by the captured character


def term_pattern(words: list[str], wildcard: bool) -> str:
    """A query term (lower case) as a regex on token boundaries, as mediakit matches it."""
    start = rf"(?:^|[^\pL\pN\pM_'’]|(?:^|{NW})['’])"
    body = r"(?:['’]s)?[^\pL\pN\pM]+".join(w.replace(".", r"\.") for w in words)
    if wildcard:
        return start + body
    end = rf"(?:$|[^\pL\pN\pM_'’]|['’](?:$|{NW})|['’]s(?:$|{NW}))"
    return start + body + end


# the terms of QUERY, and how they combine
TERMS = {
    "trump": term_pattern(["trump"], False),
    "election": term_pattern(["election"], True),
    "vote": term_pattern(["vote"], True),
    "white house": term_pattern(["white", "house"], False),
}


def combine(hit: dict[str, Any]) -> Any:
    return hit["trump"] & (hit["election"] | hit["vote"]) & ~hit["white house"]


def median_time(prepare: Callable[[], Any], run: Callable[[Any], Any], repeat: int) -> tuple:
    """Median wall seconds of ``run(prepare())`` (``prepare`` untimed), and the last result."""
    times, result = [], None
    for _ in range(repeat):
        data = prepare()
        gc.collect()
        start = time.perf_counter()
        result = run(data)
        times.append(time.perf_counter() - start)
        del data
    return statistics.median(times), result


# --------------------------------------------------------------------------- mediakit
def mediakit_terms(articles: Any) -> dict[str, tuple[int, int]]:
    import mediakit as mk

    table = mk.term_frequencies(articles)
    return dict(
        zip(table["term"], zip(table["count"], table["doc_count"], strict=True), strict=True)
    )


def mediakit_coverage(articles: Any) -> dict[Any, tuple[int, int]]:
    import mediakit as mk

    table = mk.coverage(articles, query=QUERY)
    return {
        p.tz_convert("UTC").tz_localize(None).to_pydatetime(): (int(c), int(t))
        for p, c, t in zip(table["period"], table["count"], table["total"], strict=True)
    }


# --------------------------------------------------------------------------- polars
def polars_terms(frame: Any, stop: list[str]) -> dict[str, tuple[int, int]]:
    import polars as pl

    text = pl.col("text").fill_null("").str.normalize("NFC").str.to_lowercase()
    text = text.str.replace_all(POSSESSIVE, "$1")
    table = (
        frame.lazy()
        .select(pl.int_range(pl.len()).alias("row"), text.str.extract_all(TOKEN).alias("term"))
        .explode("term")
        .filter(
            (pl.col("term").str.len_chars() > 1)
            & ~pl.col("term").str.contains(r"^\p{Nd}+$")
            & ~pl.col("term").is_in(stop)
        )
        .group_by("term")
        .agg(pl.len().alias("count"), pl.col("row").n_unique().alias("doc_count"))
        .collect()
    )
    return dict(
        zip(table["term"], zip(table["count"], table["doc_count"], strict=True), strict=True)
    )


def polars_coverage(frame: Any) -> dict[Any, tuple[int, int]]:
    import polars as pl

    def field(name: str) -> Any:
        return pl.col(name).fill_null("").str.normalize("NFC").str.to_lowercase()

    hit = {
        term: field("title").str.contains(pattern) | field("text").str.contains(pattern)
        for term, pattern in TERMS.items()
    }
    table = (
        frame.lazy()
        .group_by(pl.col("published").dt.truncate("1w").alias("week"))
        .agg(combine(hit).sum().alias("count"), pl.len().alias("total"))
        .collect()
    )
    return {
        w.replace(tzinfo=None): (int(c), int(t))
        for w, c, t in zip(table["week"], table["count"], table["total"], strict=True)
        if t
    }


# --------------------------------------------------------------------------- duckdb
def duckdb_terms(connection: Any, stop: list[str]) -> dict[str, tuple[int, int]]:
    rows = connection.execute(
        """
        WITH tokens AS (
            SELECT rid, unnest(regexp_extract_all(
                regexp_replace(lower(nfc_normalize(coalesce(text, ''))), $possessive, '\\1', 'g'),
                $token)) AS term
            FROM articles
        )
        SELECT term, count(*), count(DISTINCT rid) FROM tokens
        WHERE length(term) > 1 AND NOT regexp_full_match(term, '\\p{Nd}+')
          AND term NOT IN (SELECT unnest($stop))
        GROUP BY term
        """,
        {"possessive": POSSESSIVE, "token": TOKEN, "stop": stop},
    ).fetchall()
    return {term: (count, docs) for term, count, docs in rows}


def duckdb_coverage(connection: Any) -> dict[Any, tuple[int, int]]:
    def hit(term: str) -> str:
        pattern = TERMS[term].replace("'", "''")
        return (
            f"(regexp_matches(lower(nfc_normalize(coalesce(title, ''))), '{pattern}') OR "
            f"regexp_matches(lower(nfc_normalize(coalesce(text, ''))), '{pattern}'))"
        )

    condition = (
        f"{hit('trump')} AND ({hit('election')} OR {hit('vote')}) AND NOT {hit('white house')}"
    )
    rows = connection.execute(
        f"""
        SELECT date_trunc('week', published) AS week, count(*) FILTER (WHERE {condition}), count(*)
        FROM articles GROUP BY week
        """
    ).fetchall()
    return {week.replace(tzinfo=None): (count, total) for week, count, total in rows}


# --------------------------------------------------------------------------- runs
def corpus(n: int) -> Any:
    """``n`` recombined articles, made 100,000 at a time (seeds 0, 1, ...) to bound memory."""
    import pandas as pd
    from corpora import recombined_allsides

    parts = [
        recombined_allsides(min(100_000, n - start), random_state=k, clean=True)
        for k, start in enumerate(range(0, n, 100_000))
    ]
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def first_call_seconds() -> float:
    """mediakit's first term count in a fresh process (loading compiled code, tables)."""
    code = (
        "import time, mediakit as mk, pandas as pd; "
        "f = pd.DataFrame({'text': ['a first text']}); t = time.perf_counter(); "
        "mk.term_frequencies(f); print(time.perf_counter() - t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=HERE.parent
    )
    return float(done.stdout.strip().splitlines()[-1])


def compare(name: str, results: dict[str, dict]) -> str:
    """'equal', or what differs, between the libraries' results."""
    libraries = list(results)
    if len(libraries) < 2:
        return "no peer in this run"
    first = results[libraries[0]]
    notes = []
    for other in libraries[1:]:
        theirs = results[other]
        differ = [k for k in first.keys() | theirs.keys() if first.get(k) != theirs.get(k)]
        if differ:
            notes.append(
                f"{other} differs from {libraries[0]} on {len(differ)} {name}: "
                + ", ".join(f"{k!r}: {first.get(k)} vs {theirs.get(k)}" for k in sorted(differ)[:5])
            )
    return "; ".join(notes) or f"all equal ({len(first)} {name})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", choices=LIBRARIES, nargs="+", default=list(LIBRARIES))
    parser.add_argument("--tasks", choices=TASKS, nargs="+", default=list(TASKS))
    parser.add_argument("--no-append", action="store_true", help="print only")
    args = parser.parse_args()

    os.environ["POLARS_MAX_THREADS"] = str(args.threads)
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parent))
    import duckdb
    import polars as pl
    import pyarrow as pa
    from corpora import recombined_allsides

    import mediakit as mk

    pa.set_cpu_count(args.threads)
    first_call = first_call_seconds() if "mediakit" in args.only else float("nan")
    stop = sorted(mk.tokenize.stop_word_set("english"))

    def duckdb_connection(table: pa.Table) -> Any:
        connection = duckdb.connect()
        connection.execute(f"SET threads = {args.threads}; SET TimeZone = 'UTC'")
        connection.register("articles", table)
        return connection

    def arrow_table(articles: Any) -> pa.Table:
        table = pa.Table.from_pandas(
            articles[["title", "text", "published"]], preserve_index=False
        ).combine_chunks()
        return table.append_column("rid", pa.array(range(len(articles)), pa.int64()))

    runners: dict[str, dict[str, tuple[Callable, Callable]]] = {
        "mediakit": {
            "term counting": (lambda a: a.copy(deep=True), mediakit_terms),
            "weekly coverage": (lambda a: a.copy(deep=True), mediakit_coverage),
        },
        "polars": {
            "term counting": (
                lambda a: pl.from_arrow(arrow_table(a)),
                lambda f: polars_terms(f, stop),
            ),
            "weekly coverage": (lambda a: pl.from_arrow(arrow_table(a)), polars_coverage),
        },
        "duckdb": {
            "term counting": (
                lambda a: duckdb_connection(arrow_table(a)),
                lambda c: duckdb_terms(c, stop),
            ),
            "weekly coverage": (lambda a: duckdb_connection(arrow_table(a)), duckdb_coverage),
        },
    }
    # warm-up: compile, start thread pools, load regex engines
    small = recombined_allsides(200, random_state=1, clean=True)
    for library in args.only:
        for task in args.tasks:
            prepare, run = runners[library][task]
            run(prepare(small))

    rows = []
    total = time.perf_counter()
    for n in args.n:
        articles = corpus(n)
        megabytes = articles["text"].str.len().sum() / 1e6
        for task in args.tasks:
            seconds, results = {}, {}
            for library in args.only:
                prepare, run = runners[library][task]
                seconds[library], results[library] = median_time(
                    partial(prepare, articles), run, args.repeat
                )
                print(f"{n:,} {task} {library}: {seconds[library]:.2f} s", flush=True)
            check = compare("terms" if task == "term counting" else "weeks", results)
            rows.append((n, megabytes, task, seconds, check))
            del results
            gc.collect()
        del articles
        gc.collect()

    lines = [
        "",
        f"## scan_peers.py — cold scans next to polars and DuckDB ({time.strftime('%Y-%m-%d')})",
        "",
        f"Recombined AllSides articles (cleaned paragraphs, `corpora.py`), {args.threads} threads "
        f"each, median wall seconds of {args.repeat} cold calls on a new frame. Query: `{QUERY}` "
        "over title and text. Versions: "
        f"polars {pl.__version__}, duckdb {duckdb.__version__}, pyarrow {pa.__version__}.",
        "",
        "| articles | MB of text | task | "
        + " | ".join(f"{lib} s" for lib in args.only)
        + (" | polars / mediakit | duckdb / mediakit" if len(args.only) == 3 else "")
        + " | counts |",
        "|---|---|---|"
        + "---|" * len(args.only)
        + ("---|---|" if len(args.only) == 3 else "")
        + "---|",
    ]
    for n, megabytes, task, seconds, check in rows:
        cells = [f"{seconds[lib]:.2f}" for lib in args.only]
        if len(args.only) == 3:
            cells += [
                f"{seconds['polars'] / seconds['mediakit']:.2f}x",
                f"{seconds['duckdb'] / seconds['mediakit']:.2f}x",
            ]
        lines.append(
            f"| {n:,} | {megabytes:,.0f} | {task} | " + " | ".join(cells) + f" | {check} |"
        )
    lines += [
        "",
        f"mediakit's first call in a fresh process (compiled code loaded from its cache, "
        f"character tables built): {first_call:.2f} s, not in the table. "
        f"Total benchmark time {time.perf_counter() - total:.0f} s.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
