"""Dump the contract JSON of every case under cases/ (check, explain, deadlines) to a folder, one file per case.

A refactoring of the typed records must leave these dumps byte-identical:
``python tests/contract_dump.py OUT`` before and after, then ``diff -r``.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from quanze.engine import api
from quanze.engine.model.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 6, 1)


def dump(out: Path) -> int:
    """Write ``<case>.check.json``, ``.explain.json`` and ``.deadlines.json`` (or ``.problems.json``) under ``out``."""
    out = out.resolve()
    os.chdir(ROOT)  # files named relative to the work tree: two work trees' dumps compare equal
    rules, _ = api.load()
    count = 0
    for found in sorted((ROOT / "cases").rglob("*.yaml")):
        if found.name.endswith(".expect.yaml"):
            continue
        path = found.relative_to(ROOT)
        name = str(found.relative_to(ROOT / "cases")).replace("/", "__")
        label = str(path)
        try:
            result = api.check_file(path, rules, label)
        except InputError as exc:
            (out / f"{name}.problems.json").write_text(api.to_json(api.problems_body(exc.problems)))
            continue
        (out / f"{name}.check.json").write_text(api.to_json(api.result_json(result)))
        (out / f"{name}.explain.json").write_text(api.to_json(api.result_json(result, explain=True, rules=rules)))
        try:
            draft = api.read_file(path, rules)
            (out / f"{name}.deadlines.json").write_text(api.to_json(api.deadlines_of(draft, rules, TODAY)))
        except InputError:
            pass
        count += 1
    return count


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    print(dump(target), "cases checked")
