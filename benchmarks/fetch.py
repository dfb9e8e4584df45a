"""Throughput and memory of fetch_articles against the rate-limit bound.

Serves 1,000 article pages (built from real AllSides articles, with ``<article>``,
meta tags and JSON-LD) from 10 local hosts on 127.0.0.1, run in a separate process so
that the server does not share the collector's interpreter. Then:

1. a cold run per extraction engine: every page downloaded and parsed;
2. a warm rerun on the same cache: nothing may be requested again.

For each run the table gives the wall time, pages per second, the rate-limit bound
(hosts x rate_limit pages per second, robots.txt requests included), the requests the
servers saw, the shortest gap between two requests to one host (must not be under
``1 / rate_limit``) and the peak resident memory of the collecting process.

Usage: ``.venv/bin/python benchmarks/fetch.py [--pages 1000] [--hosts 10] [--rate-limit 5]``
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def serve(n_hosts: int, conn) -> None:  # runs in the server process
    from mediakit import datasets
    from tests.webserver import LocalWeb, web_articles

    web = LocalWeb(web_articles(datasets.load_allsides()), n_hosts=n_hosts)
    conn.send(web.ports)
    while True:
        command = conn.recv()
        if command == "log":
            by_port = web.requests_by_port()
            gaps = []
            for hits in by_port.values():
                times = sorted(t for t, _ in hits)
                gaps += [b - a for a, b in zip(times, times[1:], strict=False)]
            conn.send((sum(len(h) for h in by_port.values()), min(gaps) if gaps else None))
            web.clear_log()
        else:
            web.close()
            conn.send("closed")
            return


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--rate-limit", type=float, default=5.0)
    parser.add_argument("--engines", default="trafilatura,auto")
    parser.add_argument("--no-append", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)

    import mediakit as mk
    from mediakit.ingest.web import fetch as web_fetch

    # An installed parser does not change between two runs; a working tree being edited
    # may. Pin each engine's fingerprint so the warm rerun measures the cache alone.
    pinned = {e: web_fetch.parser_fingerprint(e) for e in args.engines.split(",")}
    web_fetch.parser_fingerprint = pinned.__getitem__  # type: ignore[assignment]

    ours, theirs = mp.Pipe()
    server = mp.get_context("spawn").Process(target=serve, args=(args.hosts, theirs))
    server.start()
    ports = ours.recv()
    urls = [f"http://127.0.0.1:{ports[k % args.hosts]}/news/{k}.html" for k in range(args.pages)]
    per_host = -(-args.pages // args.hosts) + 1  # pages plus robots.txt on the busiest host
    bound_seconds = (per_host - 1) / args.rate_limit
    bound = args.pages / bound_seconds
    mk.fetch_articles(urls[:1], cache_dir=tempfile.mkdtemp(), progress=False)  # warm imports
    ours.send("log")
    ours.recv()
    base_rss = peak_rss_mb()
    rows = []
    try:
        for engine in args.engines.split(","):
            cache = tempfile.mkdtemp(prefix="mediakit-fetch-")
            for label in ("cold", "warm rerun"):
                start = time.perf_counter()
                frame, report = mk.fetch_articles(
                    urls,
                    cache_dir=cache,
                    rate_limit=args.rate_limit,
                    engine=engine,
                    progress=False,
                    return_report=True,
                )
                seconds = time.perf_counter() - start
                ours.send("log")
                requests, gap = ours.recv()
                ok = int((report["status"] == "ok").sum())
                rows.append(
                    (
                        f"{engine}, {label}",
                        ok,
                        len(frame),
                        requests,
                        seconds,
                        args.pages / seconds,
                        bound,
                        gap,
                        peak_rss_mb(),
                    )
                )
                print(rows[-1], file=sys.stderr)
    finally:
        ours.send("close")
        ours.recv()
        server.join(10)

    lines = [
        "",
        "## Web collection (`benchmarks/fetch.py`)",
        "",
        f"{args.pages} AllSides-based pages on {args.hosts} local hosts, "
        f"rate_limit={args.rate_limit:g} requests/s per host, default 8 workers. The bound is "
        f"{args.hosts} x {args.rate_limit:g} = {bound:.1f} pages/s (robots.txt included). "
        f"Peak RSS before the runs: {base_rss:.0f} MB.",
        "",
        "| run | pages ok | rows | requests | seconds | pages/s | bound pages/s | "
        "% of bound | min gap per host (s) | peak RSS (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, ok, n, requests, seconds, rate, bnd, gap, rss in rows:
        gap_text = "-" if gap is None else f"{gap:.3f} (limit {1 / args.rate_limit:.3f})"
        share = "-" if requests == 0 else f"{100 * rate / bnd:.0f}%"
        lines.append(
            f"| {name} | {ok} | {n} | {requests} | {seconds:.1f} | {rate:.1f} | {bnd:.1f} | "
            f"{share} | {gap_text} | {rss:.0f} |"
        )
    table = "\n".join(lines) + "\n"
    print(table)
    if not args.no_append:
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as handle:
            handle.write(table)


if __name__ == "__main__":
    main()
