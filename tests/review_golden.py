"""Digests of what `check` and `review` write for every sample case, kept in tests/golden/review_digests.json.

A speed-up must leave them as they are (tests/test_perf_equivalence.py compares). A change that means to change
what is written (a rule, a message, a column) regenerates them and says so in its commit:

    python tests/review_golden.py --update

Per case: the contract JSON of ``check``, and the review's parts as a worker renders them (engine/batch/pages.py
``render_entry``): the JSONL line, the CSV row, the table row and a failing file's section. The one text that moves
with the calendar (the last year a date may carry, today's year + YEARS_AHEAD) and the rules version (a hash of the
rules files' bytes, which any edit of rules/ moves) are written as placeholders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "review_digests.json"


def digests() -> dict[str, str]:
    """{case path: SHA-256 of its check JSON and review parts} for every case under cases/."""
    from quanze.engine import api
    from quanze.engine.batch.pages import render_entry
    from quanze.engine.batch.review import review_one
    from quanze.engine.model.drafts import YEARS_AHEAD
    from quanze.engine.model.errors import InputError

    here = Path.cwd()
    os.chdir(ROOT)  # files named relative to the work tree, as the review of ``cases`` names them
    try:
        rules, _ = api.load()
        moving = f"至 {dt.date.today().year + YEARS_AHEAD} 年"
        out = {}
        for found in sorted((ROOT / "cases").rglob("*.yaml")):
            if found.name.endswith((".expect.yaml", ".hypothetical.yaml", ".sources.yaml")):
                continue
            path = found.relative_to(ROOT)
            try:
                checked = api.to_json(api.result_json(api.check_file(path, rules, str(path))))
            except InputError as exc:
                checked = api.to_json(api.problems_body(exc.problems))
            done = render_entry(review_one(path, rules), rules)
            parts = [checked.encode(), done.line, done.csv, b"\0".join(done.row), b"\0".join(done.section)]
            text = b"\1".join(parts).decode("utf-8").replace(moving, "至 {today+YEARS_AHEAD} 年")
            text = text.replace(rules.version, "{rules_version}")
            out[str(path)] = hashlib.sha256(text.encode()).hexdigest()
        return out
    finally:
        os.chdir(here)


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/review_golden.py --update")
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(digests(), ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{GOLDEN.relative_to(ROOT)} written")
