"""The review run as the engine returns it (engine/batch/run.py): a typed ``ReviewRun``, nothing printed (#25 §2)."""

from __future__ import annotations

import shutil

import pytest

from conftest import CASES
from quanze.engine import api
from quanze.engine.batch.progress import Tick, left_after, watched
from quanze.engine.batch.run import ReviewPlan, ReviewRun
from quanze.engine.model.errors import InputError


def _copy(tmp_path, *rels: str):
    folder = tmp_path / "files"
    for rel in rels:
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CASES / rel, target)
    return folder


def test_plan_checks_the_options_before_the_rules(tmp_path):
    with pytest.raises(InputError, match="期望大于 0 的秒数"):
        ReviewPlan.of(tmp_path, timeout=0)
    with pytest.raises(InputError, match="目录不存在"):
        ReviewPlan.of(tmp_path / "none")
    assert ReviewPlan.of(tmp_path, jobs=0).jobs >= 1  # 0 = every core


def test_run_returns_the_summary_writes_the_reports_and_prints_nothing(rules, tmp_path, capfd):
    folder = _copy(tmp_path, "penalty/CF-04/fine_above_max.yaml", "penalty/CF-04/lawful_general_tier.yaml", "invalid/bad_amount.yaml")
    ticks: list[Tick] = []
    said: list = []
    run = api.review(api.review_plan(folder, tmp_path / "out" / "r"), rules, "规则", ticks.append, skipped=said.append)
    assert isinstance(run, ReviewRun)
    assert run.summary["files"] == 3 and run.summary["unreadable"] == 1 and run.exit_code == 2
    assert [p.file for p in run.skipped] == [str(folder / "invalid/bad_amount.yaml")] and said == run.skipped
    assert [f["verdict"] for f in run.failing] == ["fail"]
    assert run.summary["reports"] == [str(tmp_path / "out" / f"r.{s}") for s in ("jsonl", "html", "csv", "xlsx")]
    assert ticks[-1].took is not None and ticks[-1].done == ticks[-1].total == 3
    assert capfd.readouterr() == ("", "")


def test_exit_code_from_the_summary():
    def run(unreadable=0, fail=0, failure=()):
        return ReviewRun({"unreadable": unreadable, "verdicts": {"fail": fail} if fail else {}, "problems": []}, [], list(failure))

    assert run().exit_code == 0
    assert run(fail=1).exit_code == 1
    assert run(unreadable=1, fail=1).exit_code == 2
    assert run(failure=["报告无法写入"]).exit_code == 2


def test_progress_ticks():
    seen: list[Tick] = []
    assert list(watched(range(3), 3, seen.append)) == [0, 1, 2]
    assert seen[0] == Tick(1, 3) and seen[-1].took is not None and seen[-2].percent == 100
    assert left_after(1, 10, 5.0) is None and left_after(3, 10, 0.1) is None and left_after(3, 5, 2.0) == 2.0
