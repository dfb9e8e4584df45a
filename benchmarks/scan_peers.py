"""Cold text scans next to polars and DuckDB: term counting and weekly query coverage.

For corpora of recombined AllSides articles (``corpora.py``; 100,000 and 1,000,000 by
default, made 100,000 articles at a time) the script times, for mediakit, polars and DuckDB
on the same texts:

- **term counting**: count and document count of every word of the text column, English
  stop words removed (``mediakit.term_frequencies(articles)``);
- **weekly coverage**: articles per week (Monday to Sunday, UTC) and how many of them
  match ``QUERY`` in their title or text (``mediakit.coverage(articles, query=QUERY)``).

The peers spell mediakit's rules out in their own regular expressions (NFC, lower case,
possessives dropped, "u.s." and "re-election" one word, words of two or more characters
that are not only digits; whole-word query terms, ``*`` prefixes, phrases across
punctuation), and the script checks that all three give the same counts, term by term and
week by week.

The peers count terms the way their manuals advise for data larger than memory: in
batches of ``BATCH`` rows whose partial counts are summed (rows of different batches are
different documents, so document counts add up too), polars with its streaming engine
(``collect(engine="streaming")``) and DuckDB with a ``memory_limit`` and a
``temp_directory`` to spill to. Exploding every token of a million articles at once would
need about 60 GB. The same batch size is used at every corpus size.

Every (corpus size, task, library) cell runs in a process of its own that reads the corpus
from an Arrow file: its peak resident memory during the timed calls (``VmHWM``, reset after
loading and warm-up) is printed next to its time, with the memory the process held before
its first timed call (the corpus and one cold frame). A parent process stops a child whose resident memory passes
``--memory-limit`` GB and records that memory as the cell's outcome. Every timed call is
cold: a new frame (a deep copy; polars and DuckDB get a new frame / table from Arrow) made
outside the timing, and nothing reused across calls. All three use ``--threads`` threads
(polars ``POLARS_MAX_THREADS``, DuckDB ``SET threads``, mediakit ``pyarrow.set_cpu_count``).
Each cell is the median wall time of ``--repeat`` runs; compilation and start-up are done
once before (a small warm-up call), and mediakit's one-off first call in a fresh process is
printed apart.

Prints a markdown table and appends it to benchmarks/RESULTS.md.

Usage: python benchmarks/scan_peers.py [--n 100000 1000000] [--repeat 3] [--threads 2]
       [--only mediakit polars duckdb] [--tasks "term counting" "weekly coverage"]
       [--memory-limit 12] [--no-append]
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
QUERY = 'Trump AND (election* OR vote*) AND NOT "White House"'
LIBRARIES = ("mediakit", "polars", "duckdb")
TASKS = ("term counting", "weekly coverage")
BATCH = 100_000  # rows per batch in the peers' term counting
PAGE = os.sysconf("SC_PAGE_SIZE")

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
    parts = [
        frame.slice(start, BATCH)
        .lazy()
        .select(pl.int_range(pl.len()).alias("row"), text.str.extract_all(TOKEN).alias("term"))
        .explode("term")
        .filter(
            (pl.col("term").str.len_chars() > 1)
            & ~pl.col("term").str.contains(r"^\p{Nd}+$")
            & ~pl.col("term").is_in(stop)
        )
        .group_by("term")
        .agg(pl.len().alias("count"), pl.col("row").n_unique().alias("doc_count"))
        .collect(engine="streaming")
        for start in range(0, frame.height, BATCH)
    ]
    table = pl.concat(parts).group_by("term").agg(pl.col("count").sum(), pl.col("doc_count").sum())
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
    (rows,) = connection.execute("SELECT count(*) FROM articles").fetchone()
    counts: dict[str, tuple[int, int]] = {}
    for start in range(0, rows, BATCH):
        batch = connection.execute(
            """
            WITH tokens AS (
                SELECT rid, unnest(regexp_extract_all(
                    regexp_replace(lower(nfc_normalize(coalesce(text, ''))), $possessive, '\\1', 'g'),
                    $token)) AS term
                FROM articles WHERE rid >= $start AND rid < $stop_row
            )
            SELECT term, count(*), count(DISTINCT rid) FROM tokens
            WHERE length(term) > 1 AND NOT regexp_full_match(term, '\\p{Nd}+')
              AND term NOT IN (SELECT unnest($stop))
            GROUP BY term
            """,
            {
                "possessive": POSSESSIVE,
                "token": TOKEN,
                "stop": stop,
                "start": start,
                "stop_row": start + BATCH,
            },
        ).fetchall()
        for term, count, docs in batch:
            before = counts.get(term, (0, 0))
            counts[term] = (before[0] + count, before[1] + docs)
    return counts


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
def write_corpus(n: int, path: Path) -> float:
    """Write ``n`` recombined articles to an Arrow file; megabytes of text.

    Made 100,000 at a time (seeds 0, 1, ...) to bound memory.
    """
    import pyarrow as pa
    import pyarrow.feather as feather
    from corpora import recombined_allsides

    parts, megabytes = [], 0.0
    for k, start in enumerate(range(0, n, 100_000)):
        articles = recombined_allsides(min(100_000, n - start), random_state=k, clean=True)
        megabytes += articles["text"].str.len().sum() / 1e6
        parts.append(pa.Table.from_pandas(articles, preserve_index=False))
        del articles
    feather.write_feather(pa.concat_tables(parts), path, compression="uncompressed")
    return megabytes


def rss_bytes(pid: int | str = "self") -> int:
    """Resident memory of a process (0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (FileNotFoundError, ProcessLookupError):
        return 0


def peak_rss() -> int:
    """This process's peak resident memory in bytes (VmHWM: unlike ``getrusage``, not
    inherited from the parent that started it, and can be reset)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def run_cell(
    path: Path, library: str, task: str, args: argparse.Namespace, out: Path
) -> dict[str, Any]:
    """One cell in a process of its own: times, results and peak memory, or how it failed."""
    command = [sys.executable, __file__, "--child", str(path), library, task, str(out)]
    command += ["--repeat", str(args.repeat), "--threads", str(args.threads)]
    child = subprocess.Popen(command, cwd=HERE.parent)
    limit, stopped, sampled = args.memory_limit * 1e9, 0, 0
    while True:
        pid, status, _ = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        resident = rss_bytes(child.pid)
        sampled = max(sampled, resident)
        if resident > limit and not stopped:
            stopped = resident
            os.kill(child.pid, signal.SIGKILL)
        time.sleep(0.2)
    child.returncode = os.waitstatus_to_exitcode(status)
    if stopped:
        return {"failed": f"stopped at {stopped / 1e9:.1f} GB resident", "peak": sampled}
    if child.returncode:
        return {"failed": f"exit code {child.returncode}", "peak": sampled}
    with out.open("rb") as handle:
        return pickle.load(handle)


def child(path: str, library: str, task: str, out: str, repeat: int, threads: int) -> None:
    """Run one cell: warm up, then ``repeat`` cold calls; pickle times and the last result."""
    import duckdb
    import polars as pl
    import pyarrow as pa
    import pyarrow.feather as feather

    import mediakit as mk

    pa.set_cpu_count(threads)
    stop = sorted(mk.tokenize.stop_word_set("english"))
    spill = tempfile.mkdtemp(prefix="scan_peers_duckdb_")

    def duckdb_connection(table: pa.Table) -> Any:
        connection = duckdb.connect()
        connection.execute(
            f"SET threads = {threads}; SET TimeZone = 'UTC'; SET memory_limit = '6GB'; "
            f"SET temp_directory = '{spill}'"
        )
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
    prepare, run = runners[library][task]
    articles = feather.read_table(path, memory_map=False).to_pandas()
    # warm-up on the same column types: compile, start thread pools, load regex engines
    run(prepare(articles.head(200)))
    gc.collect()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
        handle.write("5")  # the peak (VmHWM) restarts here: the timed calls' own peak
    times, result, before = [], None, 0
    for _ in range(repeat):
        data = prepare(articles)
        gc.collect()
        before = before or rss_bytes()
        start = time.perf_counter()
        result = run(data)
        times.append(time.perf_counter() - start)
        del data
    shutil.rmtree(spill, ignore_errors=True)
    with open(out, "wb") as handle:
        pickle.dump(
            {
                "seconds": statistics.median(times),
                "before": before,
                "peak": peak_rss(),
                "result": result,
            },
            handle,
        )


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
        return "no peer to compare" if libraries else "no result"
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
    compared = " and ".join(libraries)
    return "; ".join(notes) or f"equal in {compared} ({len(first)} {name})"


def load_average() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", choices=LIBRARIES, nargs="+", default=list(LIBRARIES))
    parser.add_argument("--tasks", choices=TASKS, nargs="+", default=list(TASKS))
    parser.add_argument(
        "--memory-limit", type=float, default=12.0, help="GB of resident memory per cell"
    )
    parser.add_argument("--no-append", action="store_true", help="print only")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()

    os.environ["POLARS_MAX_THREADS"] = str(args.threads)
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parent))
    if args.child:
        path, library, task, out = args.child
        child(path, library, task, out, args.repeat, args.threads)
        return
    import duckdb
    import polars as pl
    import pyarrow as pa

    first_call = first_call_seconds() if "mediakit" in args.only else float("nan")
    rows, loads = [], [load_average()]
    total = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="scan_peers_"))
    try:
        for n in args.n:
            path = work / f"corpus_{n}.arrow"
            megabytes = write_corpus(n, path)
            for task in args.tasks:
                cells, results = {}, {}
                for library in args.only:
                    cell = run_cell(path, library, task, args, work / "cell.pickle")
                    if "result" in cell:
                        results[library] = cell.pop("result")
                    cells[library] = cell
                    shown = cell.get("failed") or f"{cell['seconds']:.2f} s"
                    print(
                        f"{n:,} {task} {library}: {shown}, peak {cell['peak'] / 1e9:.2f} GB "
                        f"(load average {load_average()})",
                        flush=True,
                    )
                    loads.append(load_average())
                check = compare("terms" if task == "term counting" else "weeks", results)
                rows.append((n, megabytes, task, cells, check))
                del results
                gc.collect()
            path.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def seconds(cell: dict) -> str:
        return cell.get("failed") or f"{cell['seconds']:.2f}"

    def memory(cell: dict) -> str:
        held = f" ({cell['before'] / 1e9:.1f})" if "before" in cell else ""
        return f"{cell['peak'] / 1e9:.1f}{held}"

    def ratio(cells: dict, library: str) -> str:
        if "seconds" in cells[library] and "seconds" in cells["mediakit"]:
            return f"{cells[library]['seconds'] / cells['mediakit']['seconds']:.2f}x"
        return ""

    three = len(args.only) == 3
    lines = [
        "",
        f"## scan_peers.py — cold scans next to polars and DuckDB ({time.strftime('%Y-%m-%d')})",
        "",
        f"Recombined AllSides articles (cleaned paragraphs, `corpora.py`), {args.threads} threads "
        f"each, median wall seconds of {args.repeat} cold calls on a new frame. Query: `{QUERY}` "
        f"over title and text. Peers count terms in batches of {BATCH:,} rows (polars' "
        "streaming engine; DuckDB with memory_limit 6GB and a temp_directory). Peak GB: the "
        "cell's process at its peak during the timed calls (VmHWM), in brackets what it "
        "held before the first one (the corpus and one cold frame). Versions: "
        f"polars {pl.__version__}, duckdb {duckdb.__version__}, pyarrow {pa.__version__}.",
        "",
        "| articles | MB of text | task | "
        + " | ".join(f"{lib} s" for lib in args.only)
        + " | "
        + " | ".join(f"{lib} peak GB" for lib in args.only)
        + (" | polars / mediakit | duckdb / mediakit" if three else "")
        + " | counts |",
        "|---|---|---|" + "---|" * (2 * len(args.only)) + ("---|---|" if three else "") + "---|",
    ]
    for n, megabytes, task, cells, check in rows:
        columns = [seconds(cells[lib]) for lib in args.only]
        columns += [memory(cells[lib]) for lib in args.only]
        if three:
            columns += [ratio(cells, "polars"), ratio(cells, "duckdb")]
        lines.append(
            f"| {n:,} | {megabytes:,.0f} | {task} | " + " | ".join(columns) + f" | {check} |"
        )
    lines += [
        "",
        f"mediakit's first call in a fresh process (compiled code loaded from its cache, "
        f"character tables built): {first_call:.2f} s, not in the table. "
        f"Total benchmark time {time.perf_counter() - total:.0f} s. "
        f"Load average (1 / 5 / 15 min) at the start and after each cell: {'; '.join(loads)}.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
