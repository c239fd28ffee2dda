"""Benchmark of loading the shipped rules in a fresh process: from YAML, from the cache, and from JSON of the same content.

    python benchmarks/bench_rules_load.py [--runs N]

Each figure is the CPU time of ``load_rules()`` alone (imports excluded), in N fresh processes, min and
median in ms, and as a ratio to the cache's median in the same run:

- yaml: the rule files read, validated, cross-checked and self-tested (``QUANZE_NO_CACHE=1``);
- cache: what quanze uses, the validated objects pickled and signed (engine/load/rulecache.py);
- json: the same content (the same fields of the same RuleSet) as JSON re-validated into the pydantic
  models (``loader._Stored``), the form the cache had before.

The rules key (a hash of every rule file and engine module) is computed in every mode. The cache lives
in a temporary ``XDG_CACHE_HOME``.
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
import sys, time
from quanze.engine.load import loader
mode = sys.argv[1]
start = time.process_time()
if mode == "json":
    root = loader.default_rules_dir()
    key = f"{loader.content_version(root, loader.rule_files(root))}-{loader._code_key()}"  # computed either way
    stored = loader._Stored.model_validate_json(open(sys.argv[2], "rb").read())
    assert stored.key == key
    rules = loader.RuleSet(root=root, definitions={}, **{f: getattr(stored, f) for f in loader._STORED})
    loader._define(rules)
else:
    rules = loader.load_rules()
    assert rules.from_cache == (mode == "cache")
print((time.process_time() - start) * 1000)
"""

_PREP = """
import sys
from quanze.engine.load import loader
rules = loader.load_rules()  # also writes the cache entry
root = loader.default_rules_dir()
key = f"{loader.content_version(root, loader.rule_files(root))}-{loader._code_key()}"
stored = loader._Stored(key=key, **{f: getattr(rules, f) for f in loader._STORED})
open(sys.argv[1], "wb").write(stored.model_dump_json(by_alias=True, exclude_unset=True).encode())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": tmp, "PYDANTIC_DISABLE_PLUGINS": "__all__"}
        env.pop("QUANZE_NO_CACHE", None)
        env.pop("QUANZE_CACHE_DIR", None)
        as_json = Path(tmp) / "rules.json"
        subprocess.run([sys.executable, "-c", _PREP, str(as_json)], env=env, check=True)
        figures = {}
        for mode in ("yaml", "cache", "json"):
            run_env = {**env, "QUANZE_NO_CACHE": "1"} if mode == "yaml" else env
            figures[mode] = [
                float(
                    subprocess.run(
                        [sys.executable, "-c", _CHILD, mode, str(as_json)], env=run_env, capture_output=True, text=True, check=True
                    ).stdout
                )
                for _ in range(args.runs)
            ]
    base = statistics.median(figures["cache"])
    for mode, times in figures.items():
        med = statistics.median(times)
        print(f"{mode:6s} min {min(times):7.1f} ms   median {med:7.1f} ms CPU   {med / base:5.2f}x the cache   ({args.runs} processes)")


if __name__ == "__main__":
    main()
