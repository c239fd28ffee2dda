"""Measure the durable-rules limits behind engine/lang/limits.py: where a ruleset stops building or crashes.

Each probe runs in its own process with a timeout (past a limit durable-rules spins, segfaults or
raises), driving the C extension as engine/lang/evaluate.py does. Prints one line per probe:

    python benchmarks/bench_durable_limits.py            # ~1 min, most of it the timeouts
"""

from __future__ import annotations

import subprocess
import sys

PROBE = r"""
import json, sys, time
import durable_rules_engine as dre
mode, n = sys.argv[1], int(sys.argv[2])
d = {"sentinel": {"all": [{"m": {"q_doc": 1}}]}}
if mode == "distinct":   # n rules, each one distinct equality test
    for i in range(n):
        d[f"r{i}"] = {"all": [{"m": {"$and": [{"q_doc": 1}, {"f": f"v{i}"}]}}]}
elif mode == "in":       # one rule, an in-list of n values (as conditions.to_durable writes it)
    d["r"] = {"all": [{"m": {"$and": [{"q_doc": 1}, {"$or": [{"f": f"v{i}"} for i in range(n)]}]}}]}
elif mode == "same":     # n rules with one shared condition
    for i in range(n):
        d[f"r{i}"] = {"all": [{"m": {"$and": [{"q_doc": 1}, {"f": "v0"}]}}]}
t = time.perf_counter()
h = dre.create_ruleset(f"p{mode}{n}", json.dumps(d))
code, state = dre.assert_fact(h, json.dumps({"sid": "s1", "id": "d", "q_doc": 1, "f": "v0"}))
r = dre.start_action_for_state(h, state)
while r:
    r = (None, 1) if dre.complete_and_start_action(h, state) else None
dre.delete_state(h, "s1")
print(f"{time.perf_counter() - t:.3f} s")
"""

PROBES = [("distinct", 511), ("distinct", 512), ("in", 511), ("in", 512), ("same", 255), ("same", 256), ("same", 257), ("same", 300)]


def main() -> None:
    for mode, n in PROBES:
        try:
            proc = subprocess.run([sys.executable, "-c", PROBE, mode, str(n)], capture_output=True, text=True, timeout=10)
            outcome = proc.stdout.strip() if proc.returncode == 0 else f"exit {proc.returncode} {proc.stderr.strip()[-120:]}"
        except subprocess.TimeoutExpired:
            outcome = "no answer in 10 s"
        print(f"{mode:>8} {n:>4}: {outcome}", flush=True)


if __name__ == "__main__":
    main()
