"""Benchmark of loading the shipped rules in a fresh process: YAML, the JSON cache, and pickle for scale.

    python benchmarks/bench_rules_load.py [--runs N]

Each figure is ``load_rules()`` alone (imports excluded), in N fresh processes, min and median in ms:

- yaml: the rule files read, validated and cross-checked (``QUANZE_NO_CACHE=1``);
- json: the cache entry (content-keyed JSON, re-validated into the pydantic models);
- pickle: the same RuleSet unpickled (not used by quanze: a pickle can run code; shown for scale).

The cache lives in a temporary ``XDG_CACHE_HOME``. Figures on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = """
import pickle, sys, time
from quanze.engine.load import loader
mode = sys.argv[1]
start = time.perf_counter()
if mode == "pickle":
    root = loader.default_rules_dir()
    loader.content_version(root, loader.rule_files(root))  # the key is computed either way
    rules = pickle.loads(open(sys.argv[2], "rb").read())
else:
    rules = loader.load_rules()
    assert rules.from_cache == (mode == "json")
print((time.perf_counter() - start) * 1000)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": tmp}
        env.pop("QUANZE_NO_CACHE", None)
        pickled = Path(tmp) / "rules.pickle"
        prep = "import pickle, sys; from quanze.engine.load import loader; open(sys.argv[1], 'wb').write(pickle.dumps(loader.load_rules()))"
        subprocess.run([sys.executable, "-c", prep, str(pickled)], env=env, check=True)  # also writes the JSON entry
        for mode in ("yaml", "json", "pickle"):
            run_env = {**env, "QUANZE_NO_CACHE": "1"} if mode == "yaml" else env
            times = [
                float(
                    subprocess.run(
                        [sys.executable, "-c", _CHILD, mode, str(pickled)], env=run_env, capture_output=True, text=True, check=True
                    ).stdout
                )
                for _ in range(args.runs)
            ]
            print(f"{mode:7s} min {min(times):7.1f} ms   median {statistics.median(times):7.1f} ms   ({args.runs} processes)")


if __name__ == "__main__":
    main()
