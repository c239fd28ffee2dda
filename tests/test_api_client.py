"""The API as an integrator uses it (issue 25 §3): a client generated from the served OpenAPI spec
(openapi-python-client, in a virtual environment of its own: it pins versions of typer and others that the
project's environment must not take) builds drafts for an organisation and for an individual (``individual`` and
its alias ``个人``) from dicts, and calls check, batch and deadlines against a real ``quanze serve``.

Needs the network (PyPI) once per run to install the generator; skipped with that message without it."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import httpx
import pytest
import yaml

from conftest import CASES

GENERATOR = "openapi-python-client==0.29.1"

USE_CLIENT = r'''
import json, sys
from quanze_client import Client
from quanze_client.api.check import check, check_batch, deadlines
from quanze_client.models import BatchResults, Deadlines, PenaltyDraft, Result

base, draft_file = sys.argv[1], sys.argv[2]
organisation = json.loads(open(draft_file, encoding="utf-8").read())
individual = json.loads(json.dumps(organisation))
individual["party"].update({"type": "individual", "name": "张某"})
alias = json.loads(json.dumps(individual))
alias["party"]["type"] = "个人"
client = Client(base_url=base, timeout=60, raise_on_unexpected_status=True)
out = {}
for name, raw in (("organization", organisation), ("individual", individual), ("alias", alias)):
    draft = PenaltyDraft.from_dict(raw)
    res = check.sync_detailed(client=client, body=draft, explain=True)
    assert isinstance(res.parsed, Result), (name, res.status_code, res.content[:300])
    r = res.parsed
    dl = deadlines.sync(client=client, body=draft, today="2026-06-01")
    assert isinstance(dl, Deadlines), (name, dl)
    out[name] = {
        "party_type": str(draft.party.type_),
        "verdict": str(r.verdict),
        "codes": [f.code for f in r.findings],
        "texts": [f.text for f in r.findings],
        "not_checked": [n.text for n in r.not_checked],
        "derivations": [d.title for d in r.reasoning.derivations],
        "request_id": res.headers.get("x-request-id"),
        "deadlines": [d.step for d in dl.deadlines],
    }
batch = check_batch.sync(client=client, body=[PenaltyDraft.from_dict(organisation), PenaltyDraft.from_dict(individual)])
assert isinstance(batch, BatchResults), batch
out["batch"] = [str(r.verdict) for r in batch.results]
print(json.dumps(out, ensure_ascii=False))
'''


@pytest.fixture(scope="module")
def generator(tmp_path_factory) -> Path:
    """A virtual environment holding the generator (and what its clients need: httpx, attrs, dateutil)."""
    root = tmp_path_factory.mktemp("generator")
    venv.create(root, with_pip=True)
    python = root / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    try:
        subprocess.run([python, "-m", "pip", "install", "-q", GENERATOR], check=True, capture_output=True, timeout=300)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"无法安装 {GENERATOR}（需要网络访问 PyPI）：{getattr(exc, 'stderr', b'')[-300:]!r}")
    return python


def test_a_generated_client_checks_drafts_of_an_organisation_and_an_individual(generator, server, tmp_path):
    spec = tmp_path / "openapi.json"
    spec.write_text(httpx.get(f"{server}/openapi.json", timeout=30).text, encoding="utf-8")
    out = tmp_path / "client" / "quanze_client"
    tool = generator.parent / "openapi-python-client"
    made = subprocess.run([tool, "generate", "--path", spec, "--output-path", out, "--meta", "none"], capture_output=True, timeout=300)
    assert made.returncode == 0 and (out / "models" / "penalty_draft.py").is_file(), made.stdout[-2000:] + made.stderr[-2000:]
    assert (out / "models" / "party_type.py").is_file()  # one enum, named for the field (not Party类型)
    draft = tmp_path / "draft.json"
    raw = yaml.safe_load((CASES / "penalty/CF-04/fine_above_max.yaml").read_text(encoding="utf-8"))
    draft.write_text(json.dumps(raw, ensure_ascii=False, default=str), encoding="utf-8")
    script = tmp_path / "use_client.py"
    script.write_text(USE_CLIENT, encoding="utf-8")
    env = {"PYTHONPATH": str(out.parent), "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"}
    run = subprocess.run([generator, script, server, draft], capture_output=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")[-3000:]
    answers = json.loads(run.stdout)
    assert answers["batch"] == ["fail", "fail"]
    ids = set()
    for name, party_type in (("organization", "organization"), ("individual", "individual"), ("alias", "个人")):
        a = answers[name]
        # 第七十六条 punishes an 机构: an individual party is also SUBJECT_NOT_COVERED (issue 24 §2)
        expected = ["FINE_ABOVE_MAX"] if party_type == "organization" else ["FINE_ABOVE_MAX", "SUBJECT_NOT_COVERED"]
        assert a["party_type"] == party_type and a["verdict"] == "fail" and sorted(a["codes"]) == expected, a
        assert a["texts"][a["codes"].index("FINE_ABOVE_MAX")] == "罚款 120000 元高于《节约能源法》第七十六条规定的上限 100000 元"
        assert a["not_checked"] and all("." not in t for t in a["not_checked"])  # the officer's words, no field path
        assert "罚款幅度与裁量阶次" in a["derivations"] and a["deadlines"]
        assert a["request_id"] and len(a["request_id"]) == 32
        ids.add(a["request_id"])
    assert len(ids) == 3
