"""Benchmark of ``quanze serve``: checks/s and p50/p95 latency of POST /api/v1/check, against an in-process check().

Drafts: every valid sample case under cases/ (full procedure timelines), sent as JSON, cycled.
For each worker count (default 1 and 2) a real ``quanze serve --workers N`` is started on a free
loopback port; a bounded load generator (a fixed number of client threads with keep-alive
connections, a fixed number of requests) measures:

- latency at concurrency 1 (one request at a time: the cost of one check over HTTP), p50 / p95;
- throughput at concurrency C (default 2 per worker), checks/s and p50 / p95 under that load.

The in-process baseline is parse + validate + check() of the same JSON bodies in this process, one
evaluating thread, no HTTP.

The case register (docs/register.md), SQLite in a temporary folder, one worker: saves/s of
``POST /api/v1/register/cases`` (new cases, each checked and stored as a hash-chained version, one durable
commit each) at concurrency 1 and 4, and the latency of the register page's call (``GET /api/v1/register/cases``,
first page of 50, sorted by nearest last day, with cards) over registers of 1,000 and 10,000 cases
(``--register-cases``; seeded directly, one transaction). ``--only-register`` skips the check figures.

The latency figure of issue 31 (``--only-latency`` alone): one worker, 16 clients, for each ``--check-processes``
value (default ``0,auto``: the checking thread of the server process, and the default pool, in one run): check p95
÷ the do-nothing endpoint's p95 (GET /healthz, the same 16 clients and server); a probe in its own process
(one /healthz every 5 ms) alone and while the 16 clients check: the event loop waits on no check when the two
agree; and CPU milliseconds per request of the server process and of its checking processes (CPU accounting,
which the load of other programs changes much less than latencies).

Figures on a shared machine are noisy: run it when the machine is quiet, and read them as orders of magnitude.
Run: ``python benchmarks/bench_server.py [--requests N]``.
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from quanze.engine.batch.cases import find_cases, read_expectation
from quanze.engine.load.loader import load_rules
from quanze.engine.model.drafts import parse_text
from quanze.engine.model.settings import default_check_processes
from quanze.web.bodies import plain
from quanze.web.service import check_raw

REPO = Path(__file__).resolve().parent.parent
QUANZE = shutil.which("quanze", path=str(Path(sys.executable).parent)) or shutil.which("quanze")


def sample_bodies() -> list[bytes]:
    """Every sample case that is a valid draft (no input_error expectation), as a JSON body."""
    out = []
    for path in find_cases(REPO / "cases"):
        if read_expectation(path).input_error is not None:
            continue
        raw = plain(parse_text(path.read_text(encoding="utf-8"), str(path), as_json=path.suffix == ".json"))
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


def start(workers: int, env: dict[str, str] | None = None, options: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()  # noqa: SIM115 - kept open for the server's lifetime
    proc = subprocess.Popen([QUANZE, "serve", "--port", str(port), "--workers", str(workers), *options], stdout=subprocess.DEVNULL,
                            stderr=log, env={**os.environ, **(env or {})})
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


Request = tuple[str, str, str, bytes | None]  # (label, method, path, JSON body or None)
JSON = {"Content-Type": "application/json"}


def run_clients(
    base: str, requests: int, clients: int, request: Callable[[int, int], Request], expect: Callable[[int], bool] = lambda s: s < 400
) -> tuple[float, dict[str, list[float]]]:
    """``requests`` requests from ``clients`` threads, each with its own keep-alive connection: the elapsed seconds and
    the latencies per label. ``request(i, n)`` makes the i-th request of the run (n: the client's own count, starting
    at the client's number), outside the timing; an answer ``expect`` refuses ends the run once every thread is done."""
    latencies: dict[str, list[float]] = {}
    failures: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def client(k: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as c:
            n = k
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                label, method, path, body = request(i, n)
                n += 1
                t = time.perf_counter()
                res = c.request(method, path, content=body, headers=JSON) if body is not None else c.request(method, path)
                took = time.perf_counter() - t
                with lock:
                    if not expect(res.status_code):
                        failures.append(f"{label}: {res.status_code} {res.text[:200]}")
                    latencies.setdefault(label, []).append(took)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    start_t = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start_t
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[0]}")
    return elapsed, latencies


def load(base: str, bodies: list[bytes] | None, requests: int, concurrency: int) -> tuple[float, list[float]]:
    """(elapsed seconds, latencies) of `requests` checks from `concurrency` client threads (``bodies`` None: GET /healthz,
    the do-nothing endpoint: answered on the event loop)."""

    def request(i: int, _n: int) -> Request:
        return ("healthz", "GET", "/healthz", None) if bodies is None else ("check", "POST", "/api/v1/check", bodies[i % len(bodies)])

    elapsed, latencies = run_clients(base, requests, concurrency, request, lambda status: status == 200)
    return elapsed, [t for values in latencies.values() for t in values]


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def timed(c: httpx.Client, method: str, url: str, **kw) -> tuple[float, httpx.Response]:
    t = time.perf_counter()
    res = c.request(method, url, **kw)
    return time.perf_counter() - t, res


def register_saves(bodies: list[bytes], saves: int, concurrency: int, folder: Path) -> tuple[float, list[float]]:
    """(saves/s, latencies) of new cases saved into a fresh SQLite register."""
    url = f"sqlite:///{folder / f'saves-{concurrency}.sqlite3'}"
    proc, base = start(1, {"QUANZE_DATABASE_URL": url})

    def request(i: int, _n: int) -> Request:
        doc = json.loads(bodies[i % len(bodies)])
        doc["case_id"] = f"伊市商工罚〔2026〕B{concurrency}-{i}号"
        return "save", "POST", "/api/v1/register/cases", json.dumps(doc, ensure_ascii=False).encode()

    try:
        elapsed, latencies = run_clients(base, saves, concurrency, request, lambda status: status == 201)
    finally:
        stop_server(proc)
    return saves / elapsed, latencies["save"]


def seed_register(url: str, n: int) -> None:
    """n cases of one version each, inserted in one transaction (hash-chained as saves chain them)."""
    import datetime as dt

    from sqlalchemy import insert

    from quanze.register.chain import GENESIS, version_hash
    from quanze.register.db import writing
    from quanze.register.store import Register, now
    from quanze.register.tables import cases, versions

    reg = Register(url)
    at = now()
    handlers, departments = ["张三", "李四", "王五", "赵六"], ["工业信息化科", "商务科", "经济运行科"]
    text = "kind: penalty\n"
    with writing(reg.engine) as conn:
        case_rows, version_rows = [], []
        for i in range(n):
            case_id = f"伊市商工罚〔2026〕S{i}号"
            digest = version_hash(GENESIS, case_id, 1, at, "种子", "yaml", text, False, "{}", "seed")
            nearest = dt.date(2026, 4, 1) + dt.timedelta(days=i % 120) if i % 5 else None
            case_rows.append({"id": i + 1, "case_id": case_id, "kind": "penalty", "item": f"CF-0{1 + i % 5}",
                              "department": departments[i % 3], "handler": handlers[i % 4], "stage": "已决定",
                              "next_step": "决定书送达期限", "nearest": nearest, "valid": True, "head": 1, "head_hash": digest,
                              "updated_at": at, "updated_by": "种子", "personal": False, "due": nearest})
            version_rows.append({"case": i + 1, "number": 1, "saved_at": at, "saved_by": "种子", "media": "yaml", "text": text,
                                 "valid": False, "result": "{}", "rules_version": "seed", "prev_hash": GENESIS, "hash": digest})
        conn.execute(insert(cases), case_rows)
        conn.execute(insert(versions), version_rows)
    reg.close()


def register_page(n: int, requests: int, folder: Path) -> dict[str, tuple[float, float]]:
    """p50/p95 seconds of the register's first page (all, and filtered by 承办人) over n cases."""
    url = f"sqlite:///{folder / f'page-{n}.sqlite3'}"
    seed_register(url, n)
    proc, base = start(1, {"QUANZE_DATABASE_URL": url})
    out = {}
    try:
        with httpx.Client(base_url=base, timeout=60) as c:
            for name, params in (("first page", {"today": "2026-04-20"}), ("承办人 filter", {"today": "2026-04-20", "handler": "李四"})):
                lat = []
                for _ in range(requests):
                    took, res = timed(c, "GET", "/api/v1/register/cases", params=params)
                    if res.status_code != 200 or res.json()["total"] == 0:
                        raise SystemExit(f"register page failed: {res.status_code} {res.text[:200]}")
                    lat.append(took)
                out[name] = (percentile(lat, 0.5), percentile(lat, 0.95))
    finally:
        stop_server(proc)
    return out


def register_bench(bodies: list[bytes], saves: int, sizes: list[int], page_requests: int) -> None:
    print()
    print("case register (SQLite, WAL, synchronous=FULL; one worker):")
    print()
    print("| saves | concurrency | saves/s | p50 ms | p95 ms |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="quanze-bench-register-") as tmp:
        for concurrency in (1, 4):
            rate, lat = register_saves(bodies, saves, concurrency, Path(tmp))
            print(f"| {len(lat)} | {concurrency} | {rate:.0f} | {percentile(lat, 0.5) * 1000:.1f} | {percentile(lat, 0.95) * 1000:.1f} |")
        print()
        print("| cases in the register | request | p50 ms | p95 ms |")
        print("| ---: | --- | ---: | ---: |")
        for n in sizes:
            for name, (p50, p95) in register_page(n, page_requests, Path(tmp)).items():
                print(f"| {n:,} | {name} (50 rows, cards) | {p50 * 1000:.1f} | {p95 * 1000:.1f} |")


def _probe(base: str, started: Any, stop: Any, out: Any) -> None:
    """In its own process (not sharing the load generator's interpreter lock): GET /healthz every 5 ms until stopped."""
    latencies = []
    with httpx.Client(base_url=base, timeout=60) as c:
        while not stop.is_set():
            t = time.perf_counter()
            if c.get("/healthz").status_code != 200:
                raise SystemExit("/healthz failed during the probe")
            latencies.append(time.perf_counter() - t)
            started.set()
            time.sleep(0.005)
    out.put(latencies)


def probed(base: str, meanwhile: Callable[[], object]) -> list[float]:
    """The latencies of a one-client /healthz probe in a separate process while ``meanwhile()`` runs."""
    ctx = multiprocessing.get_context("spawn")
    started, stop, out = ctx.Event(), ctx.Event(), ctx.Queue()
    probe = ctx.Process(target=_probe, args=(base, started, stop, out))
    probe.start()
    started.wait(60)
    meanwhile()
    stop.set()
    latencies = out.get(timeout=120)
    probe.join(30)
    return latencies


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) so far of a process, and of its living children (the checking processes)."""
    tick = os.sysconf("SC_CLK_TCK")

    def used(p: int | str) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    children = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        children.update(task.read_text().split())
    return used(pid), sum(used(c) for c in children)


def accounted(pid: int, run: Callable[[], tuple[float, list[float]]]) -> tuple[float, list[float], float, float]:
    """``run()``'s elapsed seconds and latencies, and the CPU milliseconds per request of the server process and of
    its checking processes (CPU accounting: what the load of other programs on the machine does not change much)."""
    own0, kids0 = cpu_seconds(pid)
    elapsed, latencies = run()
    own1, kids1 = cpu_seconds(pid)
    n = len(latencies)
    return elapsed, latencies, (own1 - own0) * 1000 / n, (kids1 - kids0) * 1000 / n


ROUNDS = 2  # do-nothing and check rounds of the latency figure, alternated (each opens 16 connections: not more)


def loop_bench(bodies: list[bytes], requests: int, clients: int, processes: list[str]) -> None:
    """One worker, ``clients`` clients, for each --check-processes value (``auto``: the default): check p95 against the
    do-nothing endpoint's p95 (GET /healthz, answered on the event loop, same clients; ROUNDS rounds of each, alternated),
    and whether the loop waits on
    the checks: a probe in its own process, one /healthz every 5 ms, alone and while the clients check."""
    print()
    print(f"one worker, {clients} clients (target: check p95 ≤ 3x the do-nothing p95 of the same server and run):")
    print()
    print("| check processes | checks/s | check p95 ms | do-nothing p95 ms | check ÷ do-nothing | probe p95 alone ms |"
          f" probe p95 while {clients} clients check ms | probe under checks ÷ alone | server CPU ms per do-nothing |"
          " server CPU ms per check | checking processes' CPU ms per check |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in processes:
        proc, base = start(1, options=() if n == "auto" else ("--check-processes", n))
        try:
            load(base, bodies, min(200, requests), clients)  # warm connections and processes
            idle, checks, elapsed, idle_cpu, server_cpu, checkers_cpu = [], [], 0.0, 0.0, 0.0, 0.0
            for _ in range(ROUNDS):  # interleaved, so that both see the same load of the machine
                _, lat, cpu, _ = accounted(proc.pid, functools.partial(load, base, None, requests // ROUNDS, clients))
                idle += lat
                idle_cpu += cpu / ROUNDS
                took, lat, cpu, kids = accounted(proc.pid, functools.partial(load, base, bodies, requests // ROUNDS, clients))
                checks += lat
                elapsed, server_cpu, checkers_cpu = elapsed + took, server_cpu + cpu / ROUNDS, checkers_cpu + kids / ROUNDS
            alone = probed(base, lambda: time.sleep(3))
            during = probed(base, functools.partial(load, base, bodies, requests, clients))
        finally:
            stop_server(proc)
        floor, p95 = percentile(idle, 0.95), percentile(checks, 0.95)
        calm, busy = percentile(alone, 0.95), percentile(during, 0.95)
        label = f"{n} (thread in the server process)" if n == "0" else n if n != "auto" else f"auto ({default_check_processes()})"
        print(f"| {label} | {len(checks) / elapsed:.0f} | {p95 * 1000:.1f} | {floor * 1000:.1f} | {p95 / floor:.2f}x |"
              f" {calm * 1000:.2f} | {busy * 1000:.2f} | {busy / calm:.1f}x | {idle_cpu:.2f} | {server_cpu:.2f} | {checkers_cpu:.2f} |")
    print()
    print(f"machine: {os.cpu_count()} cores (shared), load average {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per measurement")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure, comma-separated")
    parser.add_argument("--concurrency-per-worker", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the in-process baseline")
    parser.add_argument("--register-saves", type=int, default=300, help="saves per register measurement")
    parser.add_argument("--register-cases", default="1000,10000", help="register sizes for the page latency, comma-separated")
    parser.add_argument("--register-requests", type=int, default=100, help="page requests per register size")
    parser.add_argument("--only-register", action="store_true", help="measure the case register only")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients of the one-worker latency figure")
    parser.add_argument("--check-processes", default="0,auto", help="--check-processes values of the latency figure (auto: default)")
    parser.add_argument("--only-latency", action="store_true", help="measure the one-worker latency figure only")
    args = parser.parse_args()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if QUANZE is None:
        raise SystemExit("quanze entry point not installed (pip install .)")

    bodies = sample_bodies()
    if args.only_register:
        register_bench(bodies, args.register_saves, [int(n) for n in args.register_cases.split(",")], args.register_requests)
        return
    if args.only_latency:
        loop_bench(bodies, args.requests, args.clients, args.check_processes.split(","))
        return
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
    loop_bench(bodies, args.requests, args.clients, args.check_processes.split(","))
    register_bench(bodies, args.register_saves, [int(n) for n in args.register_cases.split(",")], args.register_requests)


if __name__ == "__main__":
    main()
