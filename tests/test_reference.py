"""The generated reference (docs/reference/, issue #25 §4) is fresh: regenerated from the rules and cases it equals the
committed pages. When this fails, run ``quanze rules reference --out docs/reference`` and commit the pages."""

from __future__ import annotations

from pathlib import Path

from conftest import CASES
from quanze.cli.main import app
from quanze.engine import api

COMMITTED = CASES.parent / "docs" / "reference"
REGENERATE = "quanze rules reference --out docs/reference"


def _pages(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.md"))}


def test_the_committed_reference_is_what_the_rules_and_cases_generate(runner, tmp_path):
    res = runner.invoke(app, ["rules", "reference", "--out", str(tmp_path / "ref")])
    assert res.exit_code == 0, res.stderr
    fresh, committed = _pages(tmp_path / "ref"), _pages(COMMITTED)
    assert sorted(fresh) == sorted(committed), f"pages added or gone: run {REGENERATE}"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert stale == [], f"{len(stale)} stale pages ({', '.join(stale[:5])}): run {REGENERATE}"


def test_every_finding_code_has_its_page_with_its_rules_and_cases(tmp_path):
    rules, _how = api.load(None)
    pages = api.reference(rules)
    assert set(pages) == {f"findings/{code}.md" for code in rules.findings} | {"index.md", "validate.md"}
    page = pages["findings/COMPLAINT_FEE_CHARGED.md"]
    assert "`complaint_fee_charged`（rules/checks/complaint.yaml）" in page
    assert "> 受理部门和处置部门及其工作人员应严格按照法定权限和程序履行职责" in page  # the article text, from the rules
    assert "[complaint/QT-01/fee_charged](../../../cases/complaint/QT-01/fee_charged.yaml)" in page.split("## 避开")[0]
    assert "complaint/QT-01/handled_in_time" in page.split("## 避开")[1]  # the near miss
    assert "## `check_catalog_citations`" in pages["validate.md"]


def test_a_page_of_a_code_that_is_gone_is_removed_and_others_are_kept(tmp_path):
    rules, _how = api.load(None)
    out = tmp_path / "ref"
    api.write_reference(rules, out)
    (out / "findings" / "GONE_CODE.md").write_text((out / "index.md").read_text(encoding="utf-8"), encoding="utf-8")
    (out / "findings" / "NOTES.md").write_text("hand-written\n", encoding="utf-8")
    api.write_reference(rules, out)
    assert not (out / "findings" / "GONE_CODE.md").exists() and (out / "findings" / "NOTES.md").exists()
