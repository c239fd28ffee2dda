"""Every door gives the same answer: one draft, the same result through ``check --format json``,
``POST /api/v1/check`` (a real ``quanze serve`` on a loopback port), ``review`` (its JSON Lines) and
``diff`` (verdict and codes), over every sample case and the hostile drafts (issue 16).

The web form's door is tested in Chromium (tests/test_web_browser.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import httpx
import pytest
import yaml
from test_fuzz_cli import HOSTILE

from conftest import CASES
from helpers import sample
from quanze.cli.main import app
from quanze.engine.batch.diff import Outcome
from quanze.engine.load.loader import load_rules

LAWFUL = "penalty/CF-04/lawful_general_tier.yaml"


def _form_defects() -> dict[str, dict]:
    """The drafts the web form used to rewrite (issue 16): each must keep its own verdict everywhere."""
    base = sample(LAWFUL)
    out = {}
    d = copy.deepcopy(base)
    d["procedure"]["filed_on"] = None
    out["filed_on_null.yaml"] = d
    d = copy.deepcopy(base)
    d["procedure"]["officers"] = []
    out["officers_empty.yaml"] = d
    d = copy.deepcopy(base)
    d["party"]["nmae"] = d["party"].pop("name")
    out["misspelt_key.yaml"] = d
    d = copy.deepcopy(base)
    d["decision"]["tier"] = "不予处罚"
    d["decision"]["sanctions"] = []
    out["no_penalty_empty_sanctions.yaml"] = d
    d = copy.deepcopy(base)
    d["procedure"]["extension"] = {"approved_on": d["decision"]["decided_on"], "basis": ""}
    out["extension_basis_empty.yaml"] = d
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Every sample draft (valid and invalid) and the hostile drafts, as files in one folder."""
    root = tmp_path_factory.mktemp("doors")
    for path in sorted(CASES.rglob("*")):
        if path.suffix in (".yaml", ".json") and not path.name.endswith((".expect.yaml", ".hypothetical.yaml")):
            rel = path.relative_to(CASES)
            if path.with_name(path.stem + ".expect.yaml").is_file() or "invalid" in rel.parts:
                target = root / "cases" / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
    (root / "hostile").mkdir()
    for name, data in HOSTILE.items():
        if name != "deep.json":  # 200 kB of brackets: its own test; here it would only slow the form-free doors
            (root / "hostile" / name).write_bytes(data)
    for name, raw in _form_defects().items():
        (root / "hostile" / name).write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _normal(answer: dict, label: str) -> str:
    """A result or a problem list with its file label replaced, as canonical JSON."""
    text = json.dumps(answer, ensure_ascii=False, sort_keys=True)
    return text.replace(json.dumps(label, ensure_ascii=False)[1:-1], "{file}")


def _cli(runner, path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    if result.exit_code == 2:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        return 2, _normal({"lines": lines}, str(path))
    payload = json.loads(result.stdout)
    payload.pop("file")
    return result.exit_code, _normal(payload, str(path))


def _api(client: httpx.Client, base: str, path: Path) -> tuple[int, str]:
    media = "application/json" if path.suffix == ".json" else "application/yaml"
    res = client.post(f"{base}/api/v1/check", content=path.read_bytes(), headers={"Content-Type": media}, timeout=60)
    body = res.json()
    if res.status_code == 422:
        return 2, _normal({"lines": body["lines"]}, "请求")
    assert res.status_code == 200, (path, res.status_code, body)
    body.pop("file")
    return (1 if body["verdict"] == "fail" else 0), _normal(body, "请求")


def test_check_api_review_and_diff_agree_on_every_draft(folder, runner, server, tmp_path):
    files = _files(folder)
    assert len(files) > 200
    cli = {p: _cli(runner, p) for p in files}

    with httpx.Client() as client:
        api = {p: _api(client, server, p) for p in files}
    for p in files:
        assert api[p] == cli[p], p  # the same result, or the same problem lines

    out = tmp_path / "report" / "r"
    result = runner.invoke(app, ["review", str(folder), "--format", "json", "--out", str(out)])
    assert result.exit_code in (1, 2), result.output
    entries = {e["file"]: e for e in map(json.loads, out.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines())}
    for p in files:
        entry = entries[str(p)]
        code, text = cli[p]
        if code == 2:
            assert entry["checked"] is False and entry["reason"] == "input_error", (p, entry)
            continue
        entry = {k: v for k, v in entry.items() if k not in ("file", "checked", "handler", "score")}
        assert _normal(entry, str(p)) == text, p

    rules = load_rules()
    for p in files:
        code, text = cli[p]
        outcome = Outcome.of(p, rules)
        if code == 2:
            assert outcome.verdict == "input_error", p
        else:
            payload = json.loads(text)
            assert (outcome.verdict, outcome.codes) == (payload["verdict"], sorted({f["code"] for f in payload["findings"]})), p


def test_the_form_defect_drafts_keep_their_verdicts(folder, runner):
    """The verdicts the form used to change: fail stays fail, an unknown key stays an input error."""
    hostile = folder / "hostile"
    expected = {
        "filed_on_null.yaml": "NOT_FILED",
        "officers_empty.yaml": "OFFICERS_INSUFFICIENT",
    }
    for name, code in expected.items():
        result = runner.invoke(app, ["check", str(hostile / name), "--format", "json"])
        assert result.exit_code == 1 and code in result.stdout, (name, result.output)
    result = runner.invoke(app, ["check", str(hostile / "misspelt_key.yaml")])
    assert result.exit_code == 2 and "nmae" in result.stderr
