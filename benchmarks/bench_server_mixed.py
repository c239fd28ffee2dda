"""Mixed load on ``quanze serve``: 32 keep-alive clients over several endpoints, p50/p95/p99 per endpoint, RSS.

Companion of bench_server.py (same server start, same sample drafts). Each client thread cycles through
the endpoints below (its own starting point), one request at a time, until the fixed number of requests
is spent. ``GET /favicon.ico`` is the do-nothing endpoint (204, no body): its latency in the same run is
the cost of HTTP and the event loop alone, so the other rows read as ratios to it. RSS is the server
process's resident memory after start-up (rules loaded, samples warmed) and after the run.

Run: ``python benchmarks/bench_server_mixed.py [--clients 32] [--requests 3200]``. A shared machine is
noisy: compare figures of one run, or runs made one after the other.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from bench_server import QUANZE, Request, percentile, run_clients, sample_bodies, start

ENDPOINTS = [  # (label, method, path, body?)
    ("GET /favicon.ico (do-nothing)", "GET", "/favicon.ico", False),
    ("GET /healthz", "GET", "/healthz", False),
    ("POST /api/v1/check", "POST", "/api/v1/check", True),
    ("POST /api/v1/deadlines", "POST", "/api/v1/deadlines?today=2026-09-01", True),
    ("GET /api/v1/schema", "GET", "/api/v1/schema", False),
    ("GET /api/v1/items", "GET", "/api/v1/items", False),
    ("GET /api/v1/cases", "GET", "/api/v1/cases", False),
]


def rss_kib(pid: int) -> int:
    """Resident memory of a process (VmRSS, KiB), or 0 where /proc is missing."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(base: str, bodies: list[bytes], clients: int, requests: int) -> dict[str, list[float]]:
    """Latencies per endpoint label of ``requests`` requests from ``clients`` threads (each client goes round the
    endpoints from its own place)."""

    def request(i: int, n: int) -> Request:
        label, method, path, with_body = ENDPOINTS[n % len(ENDPOINTS)]
        return label, method, path, bodies[i % len(bodies)] if with_body else None

    latencies = run_clients(base, requests, clients, request)[1]
    return {label: latencies.get(label, []) for label, *_ in ENDPOINTS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=3200, help="requests in all, spread over the endpoints")
    args = parser.parse_args()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if QUANZE is None:
        raise SystemExit("quanze entry point not installed (pip install .)")
    bodies = sample_bodies()
    proc, base = start(1)
    try:
        before = rss_kib(proc.pid)
        run(base, bodies, args.clients, min(len(ENDPOINTS) * args.clients, args.requests))  # warm connections and caches
        started = time.perf_counter()
        lat = run(base, bodies, args.clients, args.requests)
        elapsed = time.perf_counter() - started
        after = rss_kib(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    nothing = statistics.median(lat[ENDPOINTS[0][0]])
    print(f"{args.clients} clients, {args.requests} requests in {elapsed:.1f} s ({args.requests / elapsed:.0f}/s), one worker")
    print(f"server RSS: {before / 1024:.0f} MiB after start-up, {after / 1024:.0f} MiB after the run")
    print()
    print("| endpoint | n | p50 ms | p95 ms | p99 ms | p50 / do-nothing |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, *_ in ENDPOINTS:
        values = lat[label]
        p50, p95, p99 = (percentile(values, q) * 1000 for q in (0.5, 0.95, 0.99))
        print(f"| {label} | {len(values)} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {p50 / 1000 / nothing:.1f}× |")


if __name__ == "__main__":
    main()
