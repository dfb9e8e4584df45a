"""The ``mediakit`` command: collect corpora from the shell.

``mediakit fetch urls.txt -o corpus.parquet`` downloads the pages listed in a file
(one URL a line, or a CSV with a ``url`` column) politely and resumably, writes the
article frame and prints how many URLs ended with each status. ``mediakit discover``
lists article URLs from feeds and sitemaps, ready for ``fetch``; ``mediakit load``
reads folders of text files, saved pages or exported tables. ``python -m mediakit``
runs the same command.

Exit status: 0 done; 1 an unexpected error (a bug: please report the traceback); 2 a
bad command line or option value (nothing was fetched or read); 3 an input that cannot
be read (missing, a folder where a file is expected, no permission, no ``url`` column, a
feed that cannot be fetched); 4 an output or cache that cannot be written; 130
interrupted (rerun the same command to resume).

Examples
--------
>>> args = build_parser().parse_args(["fetch", "urls.txt", "-o", "corpus.parquet"])
>>> args.rate_limit, args.retries, args.timeout
(1.0, 3, (10.0, 30.0))
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from mediakit import __version__

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_OUTPUT = 4
EXIT_INTERRUPTED = 130
EXIT_STATUS_HELP = (
    "exit status: 0 done; 1 unexpected error (a bug); 2 bad command line or option value; "
    "3 an input cannot be read; 4 an output or the cache cannot be written; 130 interrupted"
)
CORPUS_SUFFIXES = (".parquet", ".pq", ".csv", ".jsonl", ".ndjson")
TABLE_SUFFIXES = (".parquet", ".csv", ".jsonl", ".json")


class CommandError(SystemExit):
    """A failure the command explains in one line, with its exit status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _os_error(error: OSError) -> str:
    """``error`` in one line: what went wrong with which path."""
    if isinstance(error, FileExistsError | NotADirectoryError) and error.filename:
        return f"{str(error.filename)!r} (or a folder above it) is a file, where a folder is needed"
    what = error.strerror or type(error).__name__
    where = f" {error.filename!r}" if error.filename else ""
    return f"{what}:{where}" if where else f"{what}: {error}"


def check_output(path: str, *, option: str, allowed: tuple[str, ...], compressed: bool) -> None:
    """Refuse an output path whose extension names no format we write, before any work.

    Examples
    --------
    >>> check_output("corpus.csv.gz", option="-o", allowed=CORPUS_SUFFIXES, compressed=True)
    >>> check_output("corpus.xlsx", option="-o", allowed=CORPUS_SUFFIXES, compressed=True)
    Traceback (most recent call last):
    ...
    mediakit.cli.CommandError: -o 'corpus.xlsx': the extension '.xlsx' names no format ...
    """
    suffixes = [s.lower() for s in Path(path).suffixes]
    if compressed and suffixes[-1:] == [".gz"]:
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix not in allowed:
        extra = " (optionally followed by .gz)" if compressed else ""
        raise CommandError(
            f"{option} {path!r}: the extension {suffix or '(none)'!r} names no format that "
            f"can be written; use {', '.join(allowed)}{extra}.",
            EXIT_USAGE,
        )
    if Path(path).is_dir():
        raise CommandError(f"{option} {path!r} is a folder; give a file name.", EXIT_OUTPUT)


def read_url_list(path: str) -> list[str]:
    """URLs from a text file (one a line; blank lines and ``#`` comments skipped),
    a CSV/TSV/Parquet table with a ``url`` column, or ``-`` for standard input."""
    if path == "-":
        lines = sys.stdin.read().splitlines()
    else:
        file = Path(path)
        if file.is_dir():
            raise CommandError(
                f"URL list {path!r} is a folder; give a text file with one "
                "URL a line, or a CSV with a 'url' column.",
                EXIT_INPUT,
            )
        if not file.is_file():
            raise CommandError(f"URL list {path!r} does not exist.", EXIT_INPUT)
        suffix = file.suffix.lower()
        if suffix in (".csv", ".tsv", ".parquet"):
            if suffix == ".parquet":
                table = pd.read_parquet(file)
            else:
                table = pd.read_csv(file, sep="\t" if suffix == ".tsv" else ",", dtype=str)
            if "url" not in table.columns:
                raise CommandError(
                    f"{path!r} has no 'url' column (columns: "
                    f"{list(table.columns)}). Name the URL column 'url' or pass a text file "
                    "with one URL a line.",
                    EXIT_INPUT,
                )
            return [str(u) for u in table["url"].dropna()]
        lines = file.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def write_frame(frame: pd.DataFrame, path: str) -> None:
    """Write ``frame`` to Parquet, CSV or JSON Lines, by the file's suffix."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    from mediakit.schema import ARTICLE_COLUMNS

    is_corpus = all(name in frame.columns for name in ARTICLE_COLUMNS)
    if is_corpus and importlib.util.find_spec("mediakit.ingest.io") is not None:
        from mediakit.ingest.io import save_articles  # type: ignore[import-not-found,unused-ignore]

        save_articles(frame, target)
        return
    suffix = target.suffix.lower()
    if suffix == ".csv":
        frame.to_csv(target, index=False)
    elif suffix in (".jsonl", ".json"):
        frame.to_json(target, orient="records", lines=True, date_format="iso")
    elif suffix == ".txt" and "url" in frame.columns:
        target.write_text("".join(f"{u}\n" for u in frame["url"]), encoding="utf-8")
    else:
        frame.to_parquet(target, index=False)


def _summary(report: pd.DataFrame) -> str:
    counts = report["status"].value_counts()
    width = max(len(s) for s in counts.index) if len(counts) else 6
    lines = [f"{len(report)} URLs:"]
    lines += [f"  {status:<{width}}  {n:>6}" for status, n in counts.items()]
    cached = int(report["from_cache"].sum())
    lines.append(f"  ({cached} read from the cache, {len(report) - cached} requested now)")
    return "\n".join(lines)


def _fetch(args: argparse.Namespace) -> int:
    from mediakit.ingest.web import fetch_articles

    check_output(args.output, option="-o", allowed=CORPUS_SUFFIXES, compressed=True)
    if args.report:
        check_output(args.report, option="--report", allowed=TABLE_SUFFIXES, compressed=False)
    urls = read_url_list(args.urls)
    cache_dir = args.cache_dir or str(Path(args.output).with_suffix("")) + "-cache"
    frame, report = fetch_articles(
        urls,
        cache_dir=cache_dir,
        rate_limit=None if args.rate_limit == 0 else args.rate_limit,
        timeout=(args.timeout[0], args.timeout[1]),
        retries=args.retries,
        respect_robots=not args.ignore_robots,
        user_agent=args.user_agent,
        max_bytes=args.max_bytes,
        n_jobs=args.n_jobs,
        retry_failed=args.retry_failed,
        progress=not args.quiet,
        engine=args.engine,
        return_report=True,
    )
    write_frame(frame, args.output)
    if args.report:
        write_frame(report, args.report)
    print(_summary(report))
    print(f"{len(frame)} articles written to {args.output} (cache: {cache_dir})")
    return 0


def _discover(args: argparse.Namespace) -> int:
    from mediakit.ingest.web import discover_urls

    if args.output:
        allowed = (".txt", *TABLE_SUFFIXES)
        check_output(args.output, option="-o", allowed=allowed, compressed=False)
    found = discover_urls(
        args.sources,
        since=args.since,
        until=args.until,
        rate_limit=None if args.rate_limit == 0 else args.rate_limit,
        respect_robots=not args.ignore_robots,
        user_agent=args.user_agent,
    )
    if args.output:
        write_frame(found, args.output)
        print(f"{len(found)} URLs written to {args.output}")
    else:
        for url in found["url"]:
            print(url)
    return 0


def _load(args: argparse.Namespace) -> int:
    from mediakit.ingest.load import load_articles

    check_output(args.output, option="-o", allowed=CORPUS_SUFFIXES, compressed=True)
    if args.report:
        check_output(args.report, option="--report", allowed=TABLE_SUFFIXES, compressed=False)
    frame, report = load_articles(
        args.sources if len(args.sources) > 1 else args.sources[0],
        format=args.format,
        engine=args.engine,
        outlet=args.outlet,
        metadata=args.metadata,
        dedupe=False if args.dedupe == "none" else args.dedupe,
        n_jobs=args.n_jobs,
        progress=not args.quiet,
        return_report=True,
    )
    write_frame(frame, args.output)
    if args.report:
        write_frame(report, args.report)
    counts = report["status"].value_counts()
    print(f"{len(report)} inputs: " + ", ".join(f"{s} {n}" for s, n in counts.items() if n))
    print(f"{len(frame)} articles written to {args.output}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from mediakit.ingest.web.fetcher import DEFAULT_USER_AGENT

    parser = argparse.ArgumentParser(
        prog="mediakit",
        description="Collect and prepare news corpora as article frames.",
        epilog=EXIT_STATUS_HELP,
    )
    parser.add_argument("--version", action="version", version=f"mediakit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def polite(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--rate-limit",
            type=float,
            default=1.0,
            metavar="R",
            help="requests per second per host (default 1; 0 = no limit, own servers only)",
        )
        sub.add_argument("--ignore-robots", action="store_true", help="do not honour robots.txt")
        sub.add_argument(
            "--user-agent", default=DEFAULT_USER_AGENT, help="add a contact address here"
        )

    fetch = commands.add_parser(
        "fetch",
        help="download pages listed in a file into an article frame",
        description="Download the pages listed in URLS politely (robots.txt, a rate limit "
        "per host, retries) into an article frame. Responses are cached: a rerun only "
        "downloads what is missing, and an interrupted run resumes.",
        epilog=EXIT_STATUS_HELP,
    )
    fetch.add_argument(
        "urls", help="text file with one URL a line, a CSV with a 'url' column, or -"
    )
    fetch.add_argument("-o", "--output", required=True, help="output .parquet, .csv or .jsonl")
    fetch.add_argument("--cache-dir", help="response cache (default: <output>-cache)")
    polite(fetch)
    fetch.add_argument(
        "--timeout",
        type=float,
        nargs=2,
        default=(10.0, 30.0),
        metavar=("CONNECT", "READ"),
        help="timeouts in seconds (default 10 30)",
    )
    fetch.add_argument("--retries", type=int, default=3, help="retries per URL (default 3)")
    fetch.add_argument(
        "--n-jobs",
        "--max-workers",  # the name before 0.2
        dest="n_jobs",
        type=int,
        default=8,
        help="hosts fetched at once, in threads (default 8)",
    )
    fetch.add_argument(
        "--max-bytes", type=int, default=10_000_000, help="largest page in bytes (default 10 MB)"
    )
    fetch.add_argument("--retry-failed", action="store_true", help="retry cached failures")
    fetch.add_argument(
        "--engine", default="auto", choices=("auto", "trafilatura", "newspaper"), help="extractor"
    )
    fetch.add_argument("--report", help="also write the per-URL report (.csv or .parquet)")
    fetch.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    fetch.set_defaults(run=_fetch)

    discover = commands.add_parser(
        "discover",
        help="list article URLs from feeds and sitemaps",
        description="List article URLs with dates from RSS/Atom feeds, sitemaps or a site's "
        "home page (its feeds and sitemaps).",
        epilog=EXIT_STATUS_HELP,
    )
    discover.add_argument("sources", nargs="+", help="feed, sitemap or home page URLs")
    discover.add_argument("--since", help="keep entries published on or after this date")
    discover.add_argument("--until", help="keep entries published before this date")
    discover.add_argument(
        "-o", "--output", help="write .txt (URLs), .csv or .parquet; default: print the URLs"
    )
    polite(discover)
    discover.set_defaults(run=_discover)

    load = commands.add_parser(
        "load",
        help="read text files, saved pages or exported tables into an article frame",
        description="Read folders, globs or files (text, saved HTML, Media Cloud / GDELT / "
        "CSV / JSON Lines / Parquet tables) into one article frame.",
        epilog=EXIT_STATUS_HELP,
    )
    load.add_argument("sources", nargs="+", help="files, folders or glob patterns")
    load.add_argument("-o", "--output", required=True, help="output .parquet, .csv or .jsonl")
    load.add_argument(
        "--format",
        default="auto",
        choices=("auto", "text", "html", "csv", "tsv", "json", "jsonl", "parquet"),
    )
    load.add_argument(
        "--engine", default="auto", choices=("auto", "trafilatura", "newspaper"), help="extractor"
    )
    load.add_argument("--outlet", help="the outlet of every article")
    load.add_argument("--metadata", help="sidecar CSV keyed by a 'file' or 'url' column")
    load.add_argument("--dedupe", default="mark", choices=("mark", "drop", "none"))
    load.add_argument("--n-jobs", type=int, default=1, help="processes (-1: all cores)")
    load.add_argument("--report", help="also write the per-input report (.csv or .parquet)")
    load.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    load.set_defaults(run=_load)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``mediakit`` command with ``argv`` (default: ``sys.argv[1:]``).

    Errors the user can fix end with one line on standard error and the exit status of
    their kind (see the module docstring and ``mediakit --help``), never a traceback.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print(
            "\nInterrupted. Everything downloaded so far is in the cache; run the same "
            "command again to resume.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except CommandError as error:
        message, status = error.message, error.status
    except OSError as error:  # missing, no permission, a folder where a file belongs, full
        message = _os_error(error)
        status = EXIT_OUTPUT if _is_under_output(error, args) else EXIT_INPUT
    except (ValueError, TypeError) as error:
        message, status = str(error), EXIT_USAGE
    parser.exit(status, f"mediakit {args.command}: {message}\n")


def _is_under_output(error: OSError, args: argparse.Namespace) -> bool:
    """Whether ``error`` concerns a path the command writes (the output, report, cache)."""
    if not error.filename:
        return False
    failed = Path(str(error.filename)).resolve()
    written = [getattr(args, name, None) for name in ("output", "report", "cache_dir")]
    for path in filter(None, written):
        target = Path(path).resolve()
        if failed == target or target in failed.parents or failed in target.parents:
            return True
    return False


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
