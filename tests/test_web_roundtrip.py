"""The form sends the draft as the officer gave it (issue 16): import → 检查 in Chromium gives the same verdict,
findings and problems as ``quanze check --format json`` of that file, for every sample case and every hostile draft.

A real ``quanze serve`` process on a loopback port serves the form; one browser page imports every file in turn.
The expectation is one ``quanze check --format json FILE…`` run over all of them. Skipped without Chromium
(``apt-get install chromium``, or set QUANZE_CHROMIUM), like tests/test_web_browser.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import CASES, CHROMIUM, CHROMIUM_ARGS, form_page, needs_chromium
from helpers import sample
from quanze.engine.batch.cases import find_cases
from quanze.engine.model.errors import Problem
from quanze.engine.model.text import os_words

QUANZE = shutil.which("quanze", path=str(Path(sys.executable).parent)) or shutil.which("quanze")
pytestmark = [
    needs_chromium,
    pytest.mark.skipif(QUANZE is None, reason="quanze entry point not installed"),
]
TIMEOUT_MS = 60_000  # the machine is shared: generous, never a timing assertion
LAWFUL = "penalty/CF-04/lawful_general_tier.yaml"


@pytest.fixture(scope="module")
def page(server):
    """One page of the form for the whole module (reused: each import replaces the draft)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason='需要 playwright：pip install ".[test]"')
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=True)  # string waits need eval
        yield form_page(context, server, TIMEOUT_MS)
        browser.close()


# --- what the form received, what quanze check says ---------------------------------------------


def form_check(page, path: Path) -> dict:
    """Import path into the form, press 检查; the /api/v1/check answer the page received (status, body)."""
    imports = page.evaluate("window.quanze.imports")
    page.set_input_files("#import", str(path))
    page.wait_for_function(f"window.quanze.imports > {imports}")
    status = page.locator("#status").inner_text()
    assert status.startswith("已导入"), f"{path.name}: {status}"
    checks = page.evaluate("window.quanze.checks")
    page.click("#check")
    page.wait_for_function(f"window.quanze.checks > {checks}")
    last = page.evaluate("window.quanze.last")
    return {"status": last["status"], "body": json.loads(last["text"])}


def cli_check(paths: list[Path], cwd: Path) -> dict[str, dict]:
    """``quanze check --format json`` of every path at once: per path its result or its stderr lines."""
    run = subprocess.run(
        [QUANZE, "check", "--format", "json", *map(str, paths)], cwd=cwd, capture_output=True, timeout=600, env={**os.environ}
    )
    assert run.returncode in (0, 1, 2), run.stderr.decode("utf-8", "replace")[-2000:]
    results = json.loads(run.stdout.decode("utf-8")) if run.stdout.strip() else []
    results = results if isinstance(results, list) else [results]
    out: dict[str, dict] = {r["file"]: {"result": r} for r in results}
    lines = run.stderr.decode("utf-8").splitlines()
    for p in paths:
        mine = [line for line in lines if line.startswith(f"{p}: ") or line == str(p)]
        if mine:
            assert str(p) not in out, f"{p}: both a result and problems"
            out[str(p)] = {"lines": mine}
    return out


def same_as_cli(form: dict, cli: dict, path: Path) -> str | None:
    """None when the form's answer is the CLI's (problems modulo the file label 请求); else what differs."""
    from quanze.cli.render import problem_text

    body = form["body"]
    if "result" in cli:
        if form["status"] != 200:
            return f"form: {form['status']} {body.get('lines')}; cli: {cli['result']['verdict']}"
        for key in ("verdict", "findings", "not_checked"):
            mine, theirs = json.dumps(body.get(key), ensure_ascii=False), json.dumps(cli["result"].get(key), ensure_ascii=False)
            if mine != theirs:
                return f"{key}: form {mine[:300]} != cli {theirs[:300]}"
        return None
    if form["status"] == 200:
        return f"form: {body['verdict']}; cli: {cli['lines']}"
    mine = [os_words(problem_text(Problem(str(path), p["where"], p["message"], tuple(p.get("path", ()))))) for p in body["problems"]]
    return None if mine == cli["lines"] else f"form {mine} != cli {cli['lines']}"


# --- the hostile drafts (tests/test_input_hostile.py and more), as files -------------------------


def _yaml(raw: object) -> str:
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def hostile_drafts(folder: Path) -> list[Path]:
    """Every hostile draft of tests/test_input_hostile.py that is a file, and what JSON cannot carry."""
    lawful = sample(LAWFUL)
    text = (CASES / LAWFUL).read_text(encoding="utf-8")
    officers = lawful["procedure"]["officers"]
    files: dict[str, str | bytes] = {
        "dup_key.json": '{"kind": "penalty", "kind": "filing"}',
        "nan.json": '{"a": NaN}',
        "infinity.json": '{"a": Infinity}',
        "huge_float.json": '{"a": 1e999}',
        "huge_int.json": '{"a": ' + "9" * 5000 + "}",
        "surrogate.json": json.dumps({**lawful, "party": {**lawful["party"], "name": "某公司\ud800"}}, ensure_ascii=True),
        "surrogate_handler.json": json.dumps({**lawful, "people": {**lawful["people"], "handler": "\udcff张三"}}, ensure_ascii=True),
        "surrogate.yaml": 'kind: penalty\nparty: {name: "x\\ud800"}\n',
        "deep.json": '{"kind": ' + "[" * 40 + "]" * 40 + "}",
        "deep.yaml": '{"kind": ' + "[" * 5000 + "]" * 5000 + "}",
        "bomb.yaml": "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8)),
        "alias_loop.yaml": "a: &a [*a]\n",
        "python_tag.yaml": "kind: !!python/object/apply:os.system ['echo pwned']\n",
        "custom_tag.yaml": "kind: !custom x\n",
        "top_list.yaml": "- kind: penalty\n",
        "scalar.yaml": "penalty\n",
        "not_utf8.yaml": b"kind: penalty\ncase_id: \xff\xfe\n",
        "bom.yaml": "\ufeff" + text,
        # what JSON cannot carry as written: the form sends the file itself while it is not changed
        "int_key.yaml": text + "1: x\n",
        "null_key.yaml": text + "null: x\n",
        "inf_amount.yaml": text.replace("amount: 70000", "amount: .inf"),
        "binary.yaml": text.replace("case_id: ", "case_id: !!binary aGVsbG8= #", 1),
        "datetime.yaml": text.replace("decided_on: 2026-05-25", "decided_on: !!timestamp 2026-05-25 10:00:00"),
        # numbers JavaScript would round or rewrite
        "float_amount.yaml": text.replace("amount: 70000", "amount: 70000.0"),
        "big_certificate.yaml": text.replace("certificate: '65010000123'", "certificate: 12345678901234567890"),
        "numeric_certificate.json": json.dumps(
            {**lawful, "procedure": {**lawful["procedure"], "officers": [{"name": "张三", "certificate": 65010000123}, *officers[1:]]}},
            ensure_ascii=False,
        ),
        # keys, types and values the form has no control for
        "unknown_keys.yaml": text.replace("party:\n", "x_note: 备注\nparty:\n  nmae: 某公司\n", 1),
        "party_as_text.yaml": _yaml({**lawful, "party": "某节能咨询有限公司"}),
        "officers_as_names.yaml": _yaml({**lawful, "procedure": {**lawful["procedure"], "officers": ["张三", "李四"]}}),
        "nulls.yaml": _yaml({**lawful, "party": {**lawful["party"], "name": None}, "people": None}),
        "empty_texts.yaml": _yaml({**lawful, "case_id": "", "people": {**lawful["people"], "reviewer": ""}}),
        "unknown_item.yaml": _yaml({**lawful, "item": "CF-99"}),
        "no_item.yaml": _yaml({k: v for k, v in lawful.items() if k != "item"}),
        "item_as_number.yaml": _yaml({**lawful, "item": 4}),
        "huge_text.yaml": _yaml({**lawful, "case_id": "某" * 100_000}),
    }
    dates = sample(LAWFUL)
    dates["procedure"]["served_on"] = "2026-05-20"
    dates["procedure"]["hearing"]["held_on"] = "2026-05-07"
    dates["violation"]["discovered_on"] = "2026-02-01"
    dates["party"]["type"] = "company"
    files["dates_out_of_order.yaml"] = _yaml(dates)
    late = sample(LAWFUL)
    late["violation"]["committed_on"], late["violation"]["discovered_on"] = "2026-06-01", "2026-06-02"
    files["act_after_decision.yaml"] = _yaml(late)
    far = sample(LAWFUL)
    far["decision"]["decided_on"], far["procedure"]["filed_on"] = "9999-12-31", "0001-01-01"
    files["far_dates.json"] = json.dumps(far, ensure_ascii=False)
    rect = sample(LAWFUL)
    rect["violation"]["rectification"] = {"ordered_on": "2031-12-31", "deadline": "2032-01-01", "met": None}
    files["rectification_far.yaml"] = _yaml(rect)
    filing = sample("filing/QT-06/decided_overdue.yaml")
    filing["dates"]["decided_on"] = "2026-09-27"
    files["filing_order.yaml"] = _yaml(filing)
    complaint = sample("complaint/QT-01/handled_in_time.yaml")
    complaint["received_on"], complaint["verified_on"] = "2000-01-01", "1999-12-31"
    files["complaint_order.yaml"] = _yaml(complaint)
    zhang = lawful["procedure"]["officers"][0]
    files["officer_twice.yaml"] = _yaml({**lawful, "procedure": {**lawful["procedure"], "officers": [zhang, dict(zhang)]}})
    namesake = {"name": zhang["name"], "certificate": "65010000999"}
    files["namesakes.yaml"] = _yaml({**lawful, "procedure": {**lawful["procedure"], "officers": [zhang, namesake]}})
    two = sample(LAWFUL)
    two["procedure"]["officers"][1]["certificate"] = two["procedure"]["officers"][0]["certificate"]
    files["certificate_two_names.yaml"] = _yaml(two)
    out = []
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
        out.append(path)
    return out


def test_every_sample_case_and_hostile_draft_checks_in_the_form_as_quanze_check_does(page, tmp_path):
    """Import → 检查 in the form == ``quanze check --format json FILE`` (verdict, findings, not_checked; problem lines)."""
    samples = find_cases(CASES)
    assert len(samples) > 150 and any("invalid" in p.parts for p in samples)
    paths = samples + hostile_drafts(tmp_path)
    expected = cli_check(paths, tmp_path)
    assert set(expected) == {str(p) for p in paths}
    differ = {}
    for path in paths:
        why = same_as_cli(form_check(page, path), expected[str(path)], path)
        if why:
            differ[path.name] = why
    assert differ == {}
    assert page.errors == []  # type: ignore[attr-defined]


# --- the four defects of issue 16, each on its own ------------------------------------------------


def _roundtrip(page, tmp_path: Path, name: str, raw: dict) -> dict:
    path = tmp_path / name
    path.write_text(_yaml(raw), encoding="utf-8")
    form = form_check(page, path)
    why = same_as_cli(form, cli_check([path, CASES / LAWFUL], tmp_path)[str(path)], path)
    assert why is None, why
    return form["body"]


def test_filed_on_null_and_no_officers_stay_a_fail_not_incomplete(page, tmp_path):
    raw = sample(LAWFUL)
    raw["procedure"]["filed_on"] = None
    raw["procedure"]["officers"] = []
    body = _roundtrip(page, tmp_path, "not_filed_no_officers.yaml", raw)
    assert body["verdict"] == "fail"
    codes = {f["code"] for f in body["findings"]}
    assert {"NOT_FILED", "OFFICERS_INSUFFICIENT"} <= codes
    assert any(f.get("accountability") for f in body["findings"] if f["code"] == "NOT_FILED")
    text = page.locator("#import-note").inner_text()
    assert "procedure.filed_on" in text and "null" in text and "procedure.officers" in text and "[]" in text


def test_a_misspelt_key_is_an_input_error_not_dropped(page, tmp_path):
    raw = sample(LAWFUL)
    raw["party"]["nmae"] = raw["party"].pop("name")
    body = _roundtrip(page, tmp_path, "misspelt.yaml", raw)
    assert any(p["where"] == "party.nmae" and "是否指「name」" in p["message"] for p in body["problems"])
    assert "party.nmae" in page.locator("#import-note").inner_text()


def test_no_penalty_with_no_sanctions_stays_a_pass(page, tmp_path):
    raw = sample("penalty/CF-05/not_punished_before_in_force.yaml")
    assert raw["decision"]["tier"] == "不予处罚" and raw["decision"]["sanctions"] == []
    body = _roundtrip(page, tmp_path, "no_penalty.yaml", raw)
    assert body["verdict"] == "pass"


def test_an_empty_extension_basis_is_checked_not_refused(page, tmp_path):
    raw = sample("penalty/CF-05/extension_without_basis.yaml")
    assert raw["procedure"]["extension"]["basis"] == ""
    body = _roundtrip(page, tmp_path, "extension_basis_empty.yaml", raw)
    assert "verdict" in body  # checked (200), as quanze check does: no 422


# --- what a touched control sends -----------------------------------------------------------------


def test_a_changed_field_overwrites_its_path_and_a_cleared_one_removes_the_key(page, tmp_path):
    raw = sample(LAWFUL)
    raw["x_note"] = "导入时的备注"
    raw["procedure"]["filed_on"] = None
    path = tmp_path / "touched.yaml"
    path.write_text(_yaml(raw), encoding="utf-8")
    form_check(page, path)

    def sent() -> dict:
        with page.expect_request("**/api/v1/check*") as info:
            page.click("#check")
        return json.loads(info.value.post_data)

    page.fill("[data-path='party.name']", "另一公司")
    doc = sent()
    assert doc["party"]["name"] == "另一公司" and doc["x_note"] == "导入时的备注" and doc["procedure"]["filed_on"] is None
    assert {k: v for k, v in doc.items() if k != "party"} == {k: v for k, v in raw.items() if k != "party"}
    page.fill("[data-path='party.name']", "")
    doc = sent()
    assert "name" not in doc["party"] and doc["party"]["type"] == raw["party"]["type"]
    page.fill("[data-path='procedure.filed_on']", "2026-04-02")
    doc = sent()
    assert doc["procedure"]["filed_on"] == "2026-04-02"
    note = page.locator("#import-note").inner_text()
    assert "x_note" in note and "procedure.filed_on" not in note  # overwritten: no longer sent as imported
