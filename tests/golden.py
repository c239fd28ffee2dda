"""Digests of what every sample case gives: the JSON ``quanze check --format json`` prints, and what ``quanze review
--out`` writes of it (its JSONL line, its CSV row, its row and failing-file section of the report page).

tests/test_golden.py compares them with ``tests/golden/outputs.txt``: a change made for speed (issue 31) must leave
every byte as it was. When a rule, a message or a case changes on purpose, write the file again and commit it
with that change (its diff names each case whose output moved, and which output):

    python tests/golden.py --update

The rules' version (a digest of the rules) is left out, so a change to one rule moves only the cases it touches.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "outputs.txt"
KINDS = ("check", "jsonl", "csv", "page")
_VERSION = re.compile(rb'"rules_version": "[^"]*"')


def _digest(data: bytes) -> str:
    return hashlib.sha256(_VERSION.sub(b"", data)).hexdigest()[:16]


def digests() -> dict[str, dict[str, str]]:
    """Each sample case (its path from the work tree) and the digest of each of its outputs (``KINDS``)."""
    from quanze.engine import api
    from quanze.engine.batch.pages import render_entry
    from quanze.engine.batch.review import find_drafts, review
    from quanze.engine.model.errors import InputError

    here = Path.cwd()
    os.chdir(ROOT)  # files named relative to the work tree: any work tree gives the same bytes
    try:
        rules, _ = api.load()
        paths = find_drafts(Path("cases"))
        out: dict[str, dict[str, str]] = {}
        for path, entry in zip(paths, review(paths, rules), strict=True):
            try:
                check = api.to_json(api.result_json(api.check_file(path, rules, str(path))))
            except InputError as exc:
                check = api.to_json(api.problems_body(exc.problems))
            done = render_entry(entry, rules)
            page = b"\0".join(done.row) + b"\1" + b"\0".join(done.section)
            parts = (check.encode("utf-8"), done.line, done.csv, page)
            out[str(path)] = dict(zip(KINDS, (_digest(p) for p in parts), strict=True))
        return out
    finally:
        os.chdir(here)


def render(table: dict[str, dict[str, str]]) -> str:
    lines = [f"{name} " + " ".join(f"{k}={d[k]}" for k in KINDS) for name, d in sorted(table.items())]
    return "# written by `python tests/golden.py --update` (see its docstring)\n" + "\n".join(lines) + "\n"


def read(path: Path = GOLDEN) -> dict[str, dict[str, str]]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, *fields = line.rsplit(" ", len(KINDS))
            table[name] = dict(f.split("=", 1) for f in fields)
    return table


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/golden.py --update")
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(render(digests()), encoding="utf-8")
    print(f"{GOLDEN.relative_to(ROOT)}: {len(read())} cases")
