"""The contract a case system generates from (issue 25 §3), in process: party types as one enum with the accepted
aliases, typed answers (findings' text, not_checked, reasoning, version_comparison, deadlines), a request id on every
answer, pagination of /api/v1/cases. A client generated from the served spec: tests/test_api_client.py."""

from __future__ import annotations

import json

import pytest
import yaml
from fastapi.testclient import TestClient

from conftest import CASES
from quanze.web.app import create_app

DRAFT = json.loads(json.dumps(yaml.safe_load((CASES / "penalty/CF-04/fine_above_max.yaml").read_text(encoding="utf-8")), default=str))


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(warm_up=False)) as c:
        yield c


@pytest.fixture(scope="module")
def schemas(client):
    return client.get("/openapi.json").json()["components"]["schemas"]


def test_party_type_is_one_enum_with_its_aliases(schemas):
    party_type = schemas["Party"]["properties"]["type"]
    assert party_type["enum"] == ["organization", "individual", "单位", "个人"] and "oneOf" not in party_type
    assert party_type["x-quanze-aliases"] == {"单位": "organization", "个人": "individual"}
    assert "title" not in party_type and party_type["x-title"] == "类型"
    assert "oneOf" not in json.dumps({k: v for k, v in schemas.items() if k != "Draft"})


def test_answers_are_typed(schemas):
    result = schemas["Result"]["properties"]
    for name in ("not_checked", "reasoning", "version_comparison", "recommended_because", "rule_warnings"):
        assert name in result, name
    assert schemas["Finding"]["required"] == ["code", "severity", "message", "text", "basis", "rule"]
    assert {"derivations", "checks"} <= set(schemas["Reasoning"]["properties"])
    assert set(schemas["ChecksMade"]["properties"]) == {"fail", "unknown", "pass"}
    assert {"today", "deadlines"} <= set(schemas["Deadlines"]["properties"])


def test_each_answer_shape_is_the_engine_record(schemas, client):
    """web/models.py describes no result or problem again: the spec's Result is the engine's record, its dump the body."""
    from quanze.engine.model import explanation, findings, records
    from quanze.web import models

    assert models.Result is findings.Result and models.Problems.model_fields["problems"].annotation == list[records.Problem]
    for name in ("Result", "Provision", "CaseStage", "NextStep", "Problem"):
        assert name not in vars(models) or vars(models)[name].__module__.startswith("quanze.engine"), name
    assert {"derivations", "checks"} == set(explanation.Reasoning.model_fields)
    trace = schemas["TraceRow"]["properties"]
    assert {"rule", "code", "outcome", "reason", "facts", "overridden_by"} <= set(trace)
    body = client.post("/api/v1/check?explain=true", json=DRAFT).json()
    assert list(findings.Result.model_validate(body).dump()) == list(body)  # the record's key order is the body's


def test_an_individual_draft_is_checked(client):
    for written in ("individual", "个人"):
        draft = {**DRAFT, "party": {**DRAFT["party"], "type": written, "name": "张某"}}
        res = client.post("/api/v1/check", json=draft)
        assert res.status_code == 200 and res.json()["verdict"] == "fail"


def test_every_answer_has_a_request_id(client):
    ok = client.post("/api/v1/check", json=DRAFT)
    bad = client.post("/api/v1/check", json={"kind": "penalty"})
    missing = client.get("/api/v1/nothing")
    ids = [r.headers["x-request-id"] for r in (ok, bad, missing)]
    assert [r.status_code for r in (ok, bad, missing)] == [200, 422, 404]
    assert len(set(ids)) == 3 and all(len(i) == 32 for i in ids)
    assert client.get("/healthz", headers={"X-Request-ID": "case-system-42"}).headers["x-request-id"] == "case-system-42"
    hostile = client.get("/healthz", headers={"X-Request-ID": "a b;" + "x" * 70}).headers["x-request-id"]
    assert len(hostile) == 32  # only a short plain id is taken over


def test_sample_cases_are_paged(client):
    whole = client.get("/api/v1/cases").json()
    assert whole["total"] == len(whole["cases"]) > 100 and whole["offset"] == 0 and whole["limit"] is None
    page = client.get("/api/v1/cases", params={"offset": 10, "limit": 5}).json()
    assert page["cases"] == whole["cases"][10:15] and page["total"] == whole["total"] and page["limit"] == 5
    assert client.get("/api/v1/cases", params={"limit": 0}).status_code == 422
