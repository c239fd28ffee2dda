"""Issue #20, the API contract: OpenAPI documents the answers as they are, and real answers validate against it."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

from conftest import CASES, CHROMIUM, CHROMIUM_ARGS, needs_chromium
from quanze.engine import api
from quanze.engine.batch.cases import find_cases
from quanze.web.app import create_app

DRAFT = json.loads(json.dumps(yaml.safe_load((CASES / "penalty/CF-04/fine_above_max.yaml").read_text(encoding="utf-8")), default=str))
JSON = {"Content-Type": "application/json"}
OPERATIONS = {
    ("post", "/api/v1/check"): "check",
    ("post", "/api/v1/check:batch"): "check_batch",
    ("post", "/api/v1/parse"): "parse",
    ("post", "/api/v1/yaml"): "to_yaml",
    ("get", "/api/v1/items"): "items",
    ("get", "/api/v1/items/{item}"): "item",
    ("get", "/api/v1/schema"): "schema_all",
    ("get", "/api/v1/schema/{kind}"): "schema",
    ("get", "/api/v1/basis"): "basis",
    ("get", "/healthz"): "healthz",
    ("post", "/api/v1/deadlines"): "deadlines",
    ("post", "/api/v1/opinion"): "opinion",
    ("get", "/api/v1/cases"): "sample_cases",
}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(warm_up=False)) as c:
        yield c


@pytest.fixture(scope="module")
def spec(client):
    return client.get("/openapi.json").json()


def conforms(spec: dict, path: str, method: str, status: int, body: object) -> None:
    """Validate a body against the schema the spec documents for that answer (JSON Schema 2020-12, OpenAPI 3.1)."""
    answers = spec["paths"][path][method]["responses"]
    assert str(status) in answers, f"{method} {path}: {status} not documented"
    schema = answers[str(status)]["content"]["application/json"]["schema"]
    Draft202012Validator({**schema, "components": spec["components"]}).validate(body)


def test_operation_ids_are_stable_and_tags_ascii(spec):
    for (method, path), op_id in OPERATIONS.items():
        assert spec["paths"][path][method]["operationId"] == op_id
    for operations in spec["paths"].values():
        for op in operations.values():
            assert all(tag.isascii() for tag in op["tags"])
            chinese = re.compile(r"[\u4e00-\u9fff]")
            assert chinese.search(op["summary"]) and chinese.search(op.get("description", "")), op["operationId"]


def test_errors_are_documented_as_the_problem_list(spec):
    check = spec["paths"]["/api/v1/check"]["post"]["responses"]
    assert {"200", "400", "408", "409", "413", "415", "422", "503"} <= set(check)
    assert check["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Problems"}
    assert check["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Result"}
    assert "404" in spec["paths"]["/api/v1/items/{item}"]["get"]["responses"]
    assert "HTTPValidationError" not in json.dumps(spec)
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer", "description": "QUANZE_TOKEN 的值"}


def test_with_a_token_every_api_operation_requires_bearer_and_documents_401():
    with TestClient(create_app(warm_up=False, token="s3cret")) as c:
        spec = c.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for op in operations.values():
            if path.startswith("/api/"):
                assert op["security"] == [{"bearer": []}] and "401" in op["responses"], path
            else:
                assert "security" not in op


def test_real_answers_validate_against_the_spec(client, spec):
    res = client.post("/api/v1/check?explain=true", json=DRAFT)
    conforms(spec, "/api/v1/check", "post", 200, res.json())
    bad = (CASES / "invalid/all_problems_at_once.yaml").read_bytes()
    res = client.post("/api/v1/check", content=bad, headers={"Content-Type": "text/yaml"})
    conforms(spec, "/api/v1/check", "post", 422, res.json())
    res = client.post("/api/v1/check", content=b"x", headers={"Content-Type": "text/plain"})
    conforms(spec, "/api/v1/check", "post", 415, res.json())
    res = client.post("/api/v1/check:batch", json=[DRAFT, {"kind": "penalty"}])
    conforms(spec, "/api/v1/check:batch", "post", 200, res.json())
    res = client.post("/api/v1/check?rules_version=0", json=DRAFT)
    conforms(spec, "/api/v1/check", "post", 409, res.json())
    res = client.get("/api/v1/items/CF-40")
    conforms(spec, "/api/v1/items/{item}", "get", 404, res.json())
    res = client.post("/api/v1/parse", content=b"kind: penalty\n", headers={"Content-Type": "application/yaml"})
    conforms(spec, "/api/v1/parse", "post", 200, res.json())
    conforms(spec, "/healthz", "get", 200, client.get("/healthz").json())
    with TestClient(create_app(warm_up=False, max_body=100)) as small:
        res = small.post("/api/v1/check", json=DRAFT)
        conforms(spec, "/api/v1/check", "post", 413, res.json())


def test_every_sample_result_validates_and_names_no_research_notes(client, spec, rules):
    """Every sample case's result (with its explanation) fits the Result schema; no internal file reference or note."""
    schema = {"$ref": "#/components/schemas/Result", "components": spec["components"]}
    validator = Draft202012Validator(schema)
    n = 0
    for path in find_cases(CASES):
        if "invalid" in path.parts:
            continue
        try:
            result = api.result_json(api.check_file(path, rules, path.name), explain=True)
        except Exception:  # a sample that is an input error on purpose
            continue
        body = json.loads(api.to_json(result))
        validator.validate(body)
        text = json.dumps(body, ensure_ascii=False)
        assert not re.search(r"legal-facts|fymate \d|shared/|seed/|§\d", text), path
        n += 1
    assert n > 100


def test_docs_and_redoc_fetch_nothing_from_outside(client):
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert not re.findall(r"https?://", html), page
    js = client.get("/static-docs/redoc.standalone.js")
    assert js.status_code == 200 and b"cdn.redoc.ly/redoc/logo" not in js.content




@needs_chromium
def test_docs_pages_in_chromium_request_only_the_server(tmp_path):
    from playwright.sync_api import sync_playwright
    from test_server_process import serving

    with serving(tmp_path) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(bypass_csp=True)  # wait_for_function evaluates strings; the CSP is checked in test_server_hostile.py
            outside: list[str] = []
            page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else outside.append(r.url))
            for doc in ("/docs", "/redoc"):
                page.goto(base + doc)
                page.wait_for_load_state("networkidle")
            page.goto(base + "/redoc")
            page.wait_for_function("document.body.innerText.includes('检查一份草稿')")
            assert outside == []
        finally:
            browser.close()
