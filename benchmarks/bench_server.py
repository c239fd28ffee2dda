"""Benchmark of ``quanze serve``: checks/s and p50/p95 latency of POST /api/v1/check, against an in-process check().

Drafts: every valid sample case under cases/ (full procedure timelines), sent as JSON, cycled.
For each worker count (default 1 and 2) a real ``quanze serve --workers N`` is started on a free
loopback port; a bounded load generator (a fixed number of client threads with keep-alive
connections, a fixed number of requests) measures:

- latency at concurrency 1 (one request at a time: the cost of one check over HTTP), p50 / p95;
- throughput at concurrency C (default 2 per worker), checks/s and p50 / p95 under that load.

The in-process baseline is parse + validate + check() of the same JSON bodies in this process, one
evaluating thread, no HTTP. Figures on a shared machine are noisy: run it when the machine is quiet,
and read them as orders of magnitude. Run: ``python benchmarks/bench_server.py [--requests N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from quanze.engine.batch.cases import find_cases, read_expectation
from quanze.engine.load.loader import load_rules
from quanze.engine.model.drafts import parse_text
from quanze.web.app import _plain, check_raw

REPO = Path(__file__).resolve().parent.parent
QUANZE = shutil.which("quanze", path=str(Path(sys.executable).parent)) or shutil.which("quanze")


def sample_bodies() -> list[bytes]:
    """Every sample case that is a valid draft (no input_error expectation), as a JSON body."""
    out = []
    for path in find_cases(REPO / "cases"):
        if read_expectation(path).input_error is not None:
            continue
        raw = _plain(parse_text(path.read_text(encoding="utf-8"), str(path), as_json=path.suffix == ".json"))
        out.append(json.dumps(raw, ensure_ascii=False).encode())
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def in_process(bodies: list[bytes], rounds: int) -> float:
    """Median seconds per parse + validate + check() of one body, in this process."""
    rules = load_rules()
    for b in bodies:  # compile every ruleset first, as the server does at start-up
        check_raw(parse_text(b.decode(), "b", as_json=True), rules, "b")
    per = []
    for _ in range(rounds):
        start = time.perf_counter()
        for b in bodies:
            check_raw(parse_text(b.decode(), "b", as_json=True), rules, "b")
        per.append((time.perf_counter() - start) / len(bodies))
    return statistics.median(per)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()  # noqa: SIM115 - kept open for the server's lifetime
    proc = subprocess.Popen([QUANZE, "serve", "--port", str(port), "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise SystemExit(f"quanze serve exited: {log.read().decode(errors='replace')}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    else:
        proc.kill()
        raise SystemExit("quanze serve did not become ready in 120 s")
    if workers > 1:  # every worker process must have loaded its rules: wait until all answer
        time.sleep(2.0 * workers)
    return proc, base


def load(base: str, bodies: list[bytes] | None, requests: int, concurrency: int) -> tuple[float, list[float]]:
    """(elapsed seconds, latencies) of `requests` checks from `concurrency` client threads (``bodies`` None: GET /healthz,
    the do-nothing endpoint: answered on the event loop)."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    failures: list[str] = []

    def client() -> None:
        with httpx.Client(base_url=base, timeout=60, headers={"Content-Type": "application/json"}) as c:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                t = time.perf_counter()
                res = c.get("/healthz") if bodies is None else c.post("/api/v1/check", content=bodies[i % len(bodies)])
                dt = time.perf_counter() - t
                if res.status_code != 200:
                    failures.append(f"{res.status_code} {res.text[:200]}")
                with lock:
                    latencies.append(dt)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start_t = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start_t
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[0]}")
    return elapsed, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per measurement")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure, comma-separated")
    parser.add_argument("--concurrency-per-worker", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the in-process baseline")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients of the one-worker latency figure")
    args = parser.parse_args()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if QUANZE is None:
        raise SystemExit("quanze entry point not installed (pip install .)")

    bodies = sample_bodies()
    print(f"drafts: {len(bodies)} valid sample cases (JSON bodies, mean {statistics.mean(map(len, bodies)):.0f} bytes), cycled")
    base_s = in_process(bodies, args.rounds)
    print(f"in-process parse + validate + check(): {base_s * 1000:.2f} ms/check ({1 / base_s:.0f} checks/s, one thread)")
    print()
    print("| workers | concurrency | requests | checks/s | checks/s per worker | p50 ms | p95 ms | p50 / in-process |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for workers in [int(w) for w in args.workers.split(",")]:
        proc, base = start(workers)
        try:
            load(base, bodies, min(200, args.requests), workers * args.concurrency_per_worker)  # warm connections and workers
            for concurrency in (1, workers * args.concurrency_per_worker):
                elapsed, lat = load(base, bodies, args.requests, concurrency)
                rate = len(lat) / elapsed
                p50, p95 = percentile(lat, 0.5), percentile(lat, 0.95)
                print(
                    f"| {workers} | {concurrency} | {len(lat)} | {rate:.0f} | {rate / workers:.0f} | {p50 * 1000:.2f} | {p95 * 1000:.2f} |"
                    f" {p50 / base_s:.1f}× |"
                )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    print()
    print(f"targets: p95 ≤ 20 ms, ≥ 300 checks/s per worker; machine: {os.cpu_count()} cores (shared), load average {os.getloadavg()}")
    print()
    clients = args.clients
    proc, base = start(1)
    try:
        load(base, bodies, min(200, args.requests), clients)  # warm
        _, idle = load(base, None, args.requests, clients)
        _, alone = load(base, None, args.requests // 4, 1)
        _, checks = load(base, bodies, args.requests, clients)
        during: list[float] = []
        background = threading.Thread(target=lambda: during.extend(load(base, None, args.requests // 4, 1)[1]))
        background.start()
        load(base, bodies, args.requests, clients)
        background.join()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    floor = percentile(idle, 0.95)
    print(
        f"one worker, {clients} clients: check p95 {percentile(checks, 0.95) * 1000:.1f} ms = "
        f"{percentile(checks, 0.95) / floor:.1f}x the do-nothing endpoint's p95 ({floor * 1000:.1f} ms, GET /healthz, "
        f"{clients} clients, same server and run; target ≤ 3x)"
    )
    print(
        f"event loop under that load: /healthz p95 {percentile(during, 0.95) * 1000:.1f} ms while {clients} clients check "
        f"= {percentile(during, 0.95) / percentile(alone, 0.95):.1f}x its p95 with one client and no checks "
        f"({percentile(alone, 0.95) * 1000:.1f} ms; a check never runs on the event loop)"
    )


if __name__ == "__main__":
    main()
