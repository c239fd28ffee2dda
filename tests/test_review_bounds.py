"""Issue 31 §1: a review's summary holds a bounded number of per-file entries, however many drafts: the nearest
``LIST_LIMIT`` steps due and the first ``LIST_LIMIT`` files' scores, with their counts over every file and the
lists it cut named in the summary itself. Structural bounds (sizes of what is held and printed), never timed."""

from __future__ import annotations

import json
import shutil

import pytest

import quanze.engine.batch.review as review_module
from conftest import CASES
from quanze.cli.main import app
from quanze.engine.batch.review import LIST_LIMIT, Tally, find_drafts, review, summarize
from quanze.engine.load.scoring import Scoring, score_entries

TABLE = Scoring(note="test", full_marks=100, severity={"error": 20, "warning": 5, "info": 0})


def _brief(i: int) -> dict:
    """A checked penalty case with a step due on a day that does not follow the file order."""
    day = f"2027-{1 + i * 7 % 12:02d}-{1 + i * 13 % 28:02d}"
    return {
        "file": f"d/{i:06d}.yaml",
        "checked": True,
        "case_id": f"伊市商工评〔2026〕{i}号",
        "item": ("CF-04", "CF-05")[i % 2],
        "verdict": ("pass", "fail")[i % 2],
        "handler": ("张三", "李四")[i % 2],
        "findings": [{"code": "FINE_ABOVE_MAX", "severity": "error"}] if i % 2 else [],
        "triggers": [],
        "stage": "调查取证",
        "next": {"step": "decision", "title": "作出处罚决定", "last_day": day},
    }


def _tallied(n: int, keep: int = 5) -> tuple[Tally, list[tuple], list[float]]:
    tally = Tally(table=TABLE, keep=keep)
    due, scores = [], []
    for i in range(n):
        b, score = _brief(i), 80.0 if i % 2 else 100.0
        tally.add(b, score)
        due.append((b["next"]["last_day"], b["file"], b["case_id"], b["stage"], b["next"]["title"]))
        scores.append(score)
        assert len(tally.due) < 2 * keep and len(tally.scores.first) <= keep  # held, at every step
    return tally, sorted(due), scores


def _nodes(value) -> int:
    """How many values a JSON document holds (every dict, list and scalar)."""
    if isinstance(value, dict):
        return 1 + sum(_nodes(v) for v in value.values())
    if isinstance(value, list | tuple):
        return 1 + sum(_nodes(v) for v in value)
    return 1


def test_the_summary_keeps_the_nearest_steps_due_and_the_first_scores_and_says_it_cut_them():
    tally, due, scores = _tallied(200)
    summary = tally.summary()
    assert [tuple(d.values()) for d in summary["due"]] == due[:5]  # the nearest of all, not the first seen
    assert summary["due_count"] == 200 and summary["list_limit"] == 5
    assert summary["lists_cut"] == {"due": 200, "score.files": 200}
    score = summary["score"]
    assert score["files"] == {f"d/{i:06d}.yaml": scores[i] for i in range(5)} and score["scored"] == 200
    assert score["mean"] == round(sum(scores) / len(scores), 1) == 90.0 and score["min"] == 80.0  # over every file


def test_a_summary_within_the_limit_is_whole_and_cuts_nothing():
    tally, due, _ = _tallied(5)
    summary = tally.summary()
    assert [tuple(d.values()) for d in summary["due"]] == due and summary["due_count"] == 5
    assert summary["lists_cut"] == {} and len(summary["score"]["files"]) == 5 and summary["score"]["scored"] == 5


def test_the_summary_does_not_grow_with_the_number_of_cases_beyond_the_limit():
    small, large = (json.loads(json.dumps(_tallied(n)[0].summary())) for n in (20, 2000))
    assert _nodes(small) == _nodes(large)  # the same values, only counts differ
    assert len(json.dumps(large, ensure_ascii=False)) - len(json.dumps(small, ensure_ascii=False)) < 100


def test_the_default_limit_bounds_the_sample_case_review(rules):
    """Every sample case: more cases with a step due and more files scored than the limit; the summary's lists
    hold the limit, its counts every file, and the in-memory scores (the report built in memory) every file."""
    entries = list(review(find_drafts(CASES), rules))
    summary = summarize(entries, rules)
    assert summary["due_count"] > LIST_LIMIT == len(summary["due"]) == len(summary["score"]["files"])
    assert summary["lists_cut"] == {"due": summary["due_count"], "score.files": summary["score"]["scored"]}
    whole = score_entries(entries, rules)
    assert whole["scored"] == len(whole["files"]) == summary["score"]["scored"]
    assert (whole["mean"], whole["min"]) == (summary["score"]["mean"], summary["score"]["min"])


@pytest.fixture
def open_cases(tmp_path):
    """Penalty sample cases with a step due, in a folder of their own."""
    folder = tmp_path / "files"
    folder.mkdir()
    for i, rel in enumerate(("penalty/CF-04/time_barred.yaml", "penalty/CF-05/fine_above_max.yaml") * 3):
        shutil.copy(CASES / rel, folder / f"{i}.yaml")
    return folder


def test_review_json_and_text_say_what_the_summary_cut(runner, open_cases, tmp_path, monkeypatch):
    monkeypatch.setattr(review_module, "LIST_LIMIT", 2)
    out = tmp_path / "out" / "r"
    result = runner.invoke(app, ["review", str(open_cases), "--out", str(out), "--format", "json"])
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout)
    assert len(summary["due"]) == 2 and summary["due_count"] == 6 and summary["list_limit"] == 2
    assert summary["lists_cut"] == {"due": 6, "score.files": 6} and len(summary["score"]["files"]) == 2
    assert len(out.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines()) == 6  # every entry, with its next_steps
    text = runner.invoke(app, ["review", str(open_cases)]).stdout
    assert "…及其他 4 件" in text  # 2 shown of 6 (the terminal shows at most 10, the summary holds 2)


def test_the_walk_keeps_paths_as_text_in_the_order_of_paths(tmp_path):
    """``walk_names`` holds each draft as the text of its path, ordered part by part as ``Path`` orders them
    (``a/b`` before ``a-b``, though ``-`` sorts before ``/`` as a character)."""
    from pathlib import Path

    from quanze.engine.batch.review import walk, walk_names

    for rel in ("a/b.yaml", "a-b.yaml", "a.yaml", "a b/c.yaml", "a/c/d.yaml", "A.yaml", "a!/x.yaml", "a/b c.yaml", "ab.json"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}", encoding="utf-8")
    names, _ = walk_names(tmp_path)
    assert all(isinstance(n, str) for n in names)
    assert [Path(n) for n in names] == sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert walk(tmp_path)[0] == [Path(n) for n in names]


def _labels_before(paths):
    """distinct_labels as it was: every name's displayed form held, groups of two or more labelled."""
    import os

    from quanze.engine.batch.review import _alike, _escaped
    from quanze.engine.model.errors import display_path

    seen: dict[str, list[int]] = {}
    for i, p in enumerate(paths):
        seen.setdefault(_alike(display_path(p)), []).append(i)
    alike = [i for group in seen.values() if len(group) > 1 for i in group]
    return {i: _escaped(os.fsencode(paths[i]).decode("utf-8", "backslashreplace")) for i in alike}


def test_names_that_display_alike_are_labelled_as_before_holding_only_the_odd_ones():
    from quanze.engine.batch.review import distinct_labels

    names = [
        "d/b\u0301.yaml",  # b + combining acute (NFC keeps it): displays as written
        "d/b\u0301\u200b.yaml",  # the same with a zero-width space: displays as the one before
        "d/e\u200b\u0301.yaml",  # its displayed form is not NFC: not alike "é"
        "d/e\u0301.yaml",
        "d/\u00e9.yaml",  # é precomposed: alike the decomposed one
        "d/plain.yaml",
        "d/a\udcff.yaml",  # bytes that are not UTF-8, twice: both display as U+FFFD
        "d/a\udcfe.yaml",
        "d/a\ufffd.yaml",  # a real U+FFFD: displays as the two before
    ]
    for order in (names, names[::-1], names[4:] + names[:4]):
        assert distinct_labels(order) == _labels_before(order)
    assert distinct_labels(["d/plain.yaml", "d/other.yaml"]) == {}


def test_files_not_checked_beyond_the_limit_are_counted_said_and_in_the_report(runner, rules, tmp_path, monkeypatch):
    """The summary lists the first files not checked; stderr and the report's table have every one (spooled)."""
    import re

    monkeypatch.setattr(review_module, "LIST_LIMIT", 2)
    folder = tmp_path / "files"
    folder.mkdir()
    bad = sorted(p for p in (CASES / "invalid").glob("*.yaml") if not p.name.endswith(".expect.yaml"))[:5]
    for i, p in enumerate(bad):
        shutil.copy(p, folder / f"bad{i}.yaml")
    shutil.copy(CASES / "penalty/CF-04/lawful_general_tier.yaml", folder / "good.yaml")
    out = tmp_path / "out" / "r"
    result = runner.invoke(app, ["review", str(folder), "--out", str(out), "--format", "json"])
    assert result.exit_code == 2, result.output
    summary = json.loads(result.stdout)
    assert summary["unreadable"] == 5 and summary["checked"] == 1 and summary["files"] == 6
    assert [p["file"] for p in summary["problems"]] == [str(folder / "bad0.yaml"), str(folder / "bad1.yaml")]
    assert summary["lists_cut"]["problems"] == 5
    said = [line for line in result.stderr.splitlines() if line.startswith("跳过：")]
    assert {f"bad{i}.yaml" for i in range(5)} <= {re.search(r"bad\d\.yaml", line).group(0) for line in said}
    page = out.with_suffix(".html").read_text(encoding="utf-8")
    table = page[page.index('<h2 id="unreadable">') :]
    assert all(f"bad{i}.yaml" in table for i in range(5)) and table.count("<tr><td>") == 5
    from quanze.engine.present.report import problems_table

    entries = [e for e in review(find_drafts(folder), rules) if not e["checked"]]  # held in memory: the table as it was
    assert problems_table([{"file": e["file"], "reason": e["reason"], "problems": e["problems"]} for e in entries]) in page


def test_without_a_temporary_file_the_files_not_checked_are_held(monkeypatch):
    import tempfile

    def refuse(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    tally = Tally(keep=2)
    for i in range(5):
        tally.add({"file": f"f{i}", "checked": False, "reason": "input_error", "problems": [f"f{i}: 坏"]})
    assert [p["file"] for p in tally.every_problem()] == [f"f{i}" for i in range(5)]
    assert tally.summary()["lists_cut"] == {"problems": 5} and len(tally.summary()["problems"]) == 2
