"""Field-by-field precision and recall of ``quanze read`` over the generated corpus (tests/readcorpus.py).

    python benchmarks/bench_read.py [--cases 60] [--seed 29] [--pdf]

Each case's documents are written as .txt, scanned-style .txt (hard line breaks) and .docx (and, with
``--pdf`` and LibreOffice installed, as .pdf converted from the .docx), each case in its own folder and
all of them together in one folder (grouping by 文号). Precision: of the values read, the share equal
to the truth; recall: of the values the documents state, the share read. A choice offered is counted
as neither read nor wrong (it is shown as "choice"). Targets: precision ≥ 99 %, recall ≥ 90 %.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import readcorpus

from quanze.engine.load.loader import load_rules
from quanze.engine.read.casefile import CaseReading, read_documents


def flat(case: CaseReading) -> tuple[dict[str, Any], set[str]]:
    """The reading as the truth's flat keys, and the keys offered as choices."""
    out: dict[str, Any] = {}
    for key in (
        "case_id",
        "party.name",
        "party.type",
        "party.id_code",
        "party.address",
        "item",
        "provision",
        "evidence",
        "violation.committed_on",
        "violation.discovered_on",
        "violation.illegal_gains",
        "procedure.filed_on",
        "procedure.notice.served_on",
        "procedure.notice.rights",
        "decision.decided_on",
        "procedure.served_on",
        "decision.tier",
        "remedy.pay_days",
        "remedy.review_days",
        "remedy.litigation_months",
    ):
        if key in case.values:
            out[key] = case.values[key]["value"]
    hearing = case.value("procedure.hearing")
    if isinstance(hearing, dict):
        for k, v in hearing.items():
            out[f"procedure.hearing.{k}"] = v
    if "procedure.officers" in case.values:
        out["procedure.officers"] = [f"{o['name']}/{o['certificate']}" for o in case.value("procedure.officers")]
    for key, prefix in (("decision.sanctions", "sanction."), ("notice.sanctions", "notice.sanction.")):
        for s in case.value(key, []):
            out[prefix + s["kind"]] = s.get("amount", True)
    choices = set()
    for key in case.choices:
        for prefix, short in (
            ("decision.sanctions.", "sanction."),
            ("notice.sanctions.", "notice.sanction."),
            ("procedure.hearing.", "procedure.hearing."),
        ):
            if key.startswith(prefix):
                key = short + key.removeprefix(prefix)
        choices.add(key)
    return out, choices


def score(
    truth: dict[str, Any], read: dict[str, Any], choices: set[str], tally: dict[str, list[int]], wrong: list[str], label: str
) -> None:
    """tally[field] = [right, wrong, missed, choice]."""
    for key in set(truth) | set(read):
        t = tally.setdefault(key, [0, 0, 0, 0])
        if key in read:
            if key in truth and read[key] == truth[key]:
                t[0] += 1
            else:
                t[1] += 1
                wrong.append(f"{label}: {key}: read {read[key]!r}, truth {truth.get(key)!r}")
        elif key in truth:
            if key in choices:
                t[3] += 1
            else:
                t[2] += 1


def run(cases: int, seed: int, pdf: bool, verbose: bool) -> tuple[dict[str, list[int]], list[str]]:
    rules = load_rules()
    corpus = readcorpus.corpus(seed, cases)
    tally: dict[str, list[int]] = {}
    wrong: list[str] = []
    formats = ["txt", "txt-scan", "docx"] + (["pdf"] if pdf and shutil.which("soffice") else [])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for fmt in formats:
            together = root / f"all-{fmt}"
            for case in corpus:
                readcorpus.write_case(case, root / fmt / case.name, "docx" if fmt == "pdf" else fmt, seed)
                if fmt != "pdf":
                    readcorpus.write_case(case, together, fmt, seed)
            if fmt == "pdf":
                to_pdf(root / fmt, corpus)
            for case in corpus:
                found, problems, _ = read_documents([root / fmt / case.name], rules)
                t = tally.setdefault("(one case per folder)", [0, 0, 0, 0])
                if problems or len(found) != 1:
                    wrong.append(f"{fmt}/{case.name}: {len(found)} cases, problems {[str(p) for p in problems]}")
                    t[1] += 1
                    continue
                t[0] += 1
                read, choices = flat(found[0])
                score(case.truth, read, choices, tally, wrong, f"{fmt}/{case.name}")
            group_score(read_documents([root / fmt], rules), corpus, tally, wrong, fmt, "(grouping: many cases, a subfolder each)")
            if fmt != "pdf":
                group_score(read_documents([together], rules), corpus, tally, wrong, fmt, "(grouping: many cases in one folder)")
    return tally, wrong


def to_pdf(folder: Path, corpus: list[readcorpus.Case]) -> None:
    """Every .docx under folder as a .pdf beside it (one LibreOffice run for all), the .docx removed."""
    staging = folder / "_pdf"
    staging.mkdir()
    docs = [d for case in corpus for d in (folder / case.name).glob("*.docx")]
    for start in range(0, len(docs), 40):  # LibreOffice stops converting somewhere past a hundred files in one run
        chunk = docs[start : start + 40]
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(staging), *map(str, chunk)],
            capture_output=True,
            timeout=900,
            check=False,
        )
    for d in docs:
        pdf = staging / (d.stem + ".pdf")
        if pdf.exists():
            shutil.move(str(pdf), d.with_suffix(".pdf"))
        d.unlink()
    shutil.rmtree(staging)


def group_score(outcome, corpus, tally, wrong, fmt, key) -> None:
    """A folder of many cases: a case is right when its documents, and only they, make one case with its 文号."""
    found, _problems, _unplaced = outcome
    by_id = {str(c.case_id): c for c in found}
    t = tally.setdefault(key, [0, 0, 0, 0])
    for case in corpus:
        got = by_id.get(case.truth["case_id"])
        if got is None:
            t[2] += 1
            continue
        own = all(d.text.name.startswith(case.name + "-") for d in got.documents)
        if own and len(got.documents) == len(case.documents):
            t[0] += 1
        elif own:
            t[2] += 1  # some documents not placed (said so), none misplaced
        else:
            t[1] += 1
            wrong.append(f"all-{fmt}: {case.name} grouped with {[d.text.name for d in got.documents]}")


def report(tally: dict[str, list[int]]) -> tuple[float, float]:
    """Print the table; return precision and recall over the fields (the grouping rows, in brackets, apart)."""
    print(f"{'field':40} {'right':>6} {'wrong':>6} {'missed':>6} {'choice':>6} {'precision':>10} {'recall':>8}")
    total = [0, 0, 0, 0]
    for key in sorted(tally):
        r, w, m, c = tally[key]
        if not key.startswith("("):
            total = [a + b for a, b in zip(total, (r, w, m, c), strict=True)]
        p = r / (r + w) if r + w else 1.0
        rc = r / (r + m + c) if r + m + c else 1.0
        print(f"{key:40} {r:6} {w:6} {m:6} {c:6} {p:10.1%} {rc:8.1%}")
    r, w, m, c = total
    p, rc = r / (r + w), r / (r + m + c)
    print(f"{'ALL FIELDS':40} {r:6} {w:6} {m:6} {c:6} {p:10.1%} {rc:8.1%}")
    return p, rc


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=60)
    ap.add_argument("--seed", type=int, default=29)
    ap.add_argument("--pdf", action="store_true")
    ap.add_argument("-v", action="store_true", help="list every wrong value")
    args = ap.parse_args()
    start = time.perf_counter()
    tally, wrong = run(args.cases, args.seed, args.pdf, args.v)
    p, rc = report(tally)
    print(f"{args.cases} cases, seed {args.seed}, {time.perf_counter() - start:.1f} s; targets: precision ≥ 99 %, recall ≥ 90 %")
    for line in wrong[: 200 if args.v else 10]:
        print("  " + line)
    sys.exit(0 if p >= 0.99 and rc >= 0.90 else 1)


if __name__ == "__main__":
    main()
