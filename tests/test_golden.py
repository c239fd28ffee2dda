"""Issue 31's acceptance: the outputs of ``check`` and ``review`` (JSONL, CSV, the report's rows and failing-file
sections) are byte-identical to before on every sample case. The digests of before are tests/golden/outputs.txt;
a change made on purpose writes them again: ``python tests/golden.py --update`` (tests/golden.py)."""

from __future__ import annotations

from golden import GOLDEN, KINDS, digests, read


def test_every_sample_cases_outputs_are_as_recorded():
    now, before = digests(), read(GOLDEN)
    both = sorted(now.keys() & before.keys())
    moved = [f"{name}: {', '.join(k for k in KINDS if now[name][k] != before[name].get(k))}" for name in both if now[name] != before[name]]
    new, gone = sorted(now.keys() - before.keys()), sorted(before.keys() - now.keys())
    said = [f"输出变了 {m}" for m in moved] + [f"新的样例 {n}" for n in new] + [f"已删除的样例 {g}" for g in gone]
    assert not said, "\n".join([*said, "changed on purpose? run `python tests/golden.py --update` and commit tests/golden/outputs.txt"])
