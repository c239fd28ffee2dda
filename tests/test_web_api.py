"""The HTTP API of ``quanze serve`` (FastAPI TestClient): same results as the CLI, Chinese problems, limits."""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import CASES
from quanze.cli.main import app
from quanze.engine.check.checker import check
from quanze.engine.lang import evaluate
from quanze.engine.model.drafts import read_draft
from quanze.web.app import create_app

YAML = {"Content-Type": "application/yaml"}
FINE_ABOVE_MAX = CASES / "penalty/CF-04/fine_above_max.yaml"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(warm_up=False)) as c:
        yield c


def test_healthz_answers_once_rules_are_loaded(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["items"] == 19 and re.fullmatch(r"[0-9a-f]{16}", body["rules_version"])


def test_check_yaml_gives_the_same_json_as_the_cli(client, rules):
    res = client.post("/api/v1/check", content=FINE_ABOVE_MAX.read_bytes(), headers=YAML)
    assert res.status_code == 200
    body = res.json()
    expected = json.loads(json.dumps(check(read_draft(FINE_ABOVE_MAX), rules, "请求").to_json(), ensure_ascii=False, default=str))
    assert body == expected
    assert body["file"] == "请求" and body["verdict"] == "fail"
    finding = next(f for f in body["findings"] if f["code"] == "FINE_ABOVE_MAX")
    assert [t["no"] for t in finding["accountability"]["triggers"]] == [3]


def test_check_json_and_explain(client):
    raw = yaml.safe_load(FINE_ABOVE_MAX.read_text(encoding="utf-8"))
    raw = json.loads(json.dumps(raw, default=str))
    res = client.post("/api/v1/check?explain=true", json=raw)
    assert res.status_code == 200
    assert res.json()["explanation"]["facts"]["fine_amount"] == 120000


def test_bad_draft_gets_422_with_every_chinese_problem_line_at_once(client):
    res = client.post(
        "/api/v1/check", content=(CASES / "invalid/all_problems_at_once.yaml").read_bytes(), headers={"Content-Type": "text/yaml"}
    )
    assert res.status_code == 422
    path = CASES / "invalid/all_problems_at_once.yaml"
    cli = CliRunner().invoke(app, ["check", str(path)])
    assert res.json()["lines"] == cli.stderr.replace(str(path), "请求").splitlines()  # as `quanze check` prints them
    assert all(p["file"] == "请求" for p in res.json()["problems"])


def test_yaml_syntax_error_and_non_mapping_are_422(client):
    res = client.post("/api/v1/check", content=b"kind: [penalty", headers=YAML)
    assert res.status_code == 422 and "YAML 语法错误" in res.json()["lines"][0]
    res = client.post("/api/v1/check", content=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert res.status_code == 422 and res.json()["lines"][0].startswith("请求: ")


def test_unsupported_content_type_is_415(client):
    res = client.post("/api/v1/check", content=b"kind: penalty", headers={"Content-Type": "text/plain"})
    assert res.status_code == 415 and "application/yaml" in res.json()["lines"][0]


def test_body_over_the_limit_is_413_by_length_and_while_streaming():
    with TestClient(create_app(warm_up=False, max_body=1000)) as c:
        res = c.post("/api/v1/check", content=b"a: " + b"x" * 2000, headers=YAML)
        assert res.status_code == 413 and "上限" in res.json()["lines"][0]

        def chunks():  # no Content-Length: the size is counted as the body streams in
            for _ in range(10):
                yield b"# " + b"x" * 200 + b"\n"

        res = c.post("/api/v1/check", content=chunks(), headers=YAML)
        assert res.status_code == 413


def test_default_limit_is_one_mebibyte(client):
    res = client.post("/api/v1/check", content=b"#" * ((1 << 20) + 1), headers=YAML)
    assert res.status_code == 413


def test_batch_checks_each_draft_and_reports_bad_ones_in_place(client):
    docs = [
        yaml.safe_load(FINE_ABOVE_MAX.read_text(encoding="utf-8")),
        {"kind": "penalty", "item": "CF-40"},
        yaml.safe_load((CASES / "penalty/CF-04/lawful_general_tier.yaml").read_text(encoding="utf-8")),
    ]
    res = client.post(
        "/api/v1/check:batch",
        content=json.dumps(docs, default=str, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert res.status_code == 200
    results = res.json()["results"]
    assert [r.get("verdict") for r in results] == ["fail", None, "pass"]
    assert results[1]["file"] == "请求[1]" and results[1]["lines"]
    assert client.post("/api/v1/check:batch", json={"kind": "penalty"}).status_code == 422


def test_items_are_grouped_and_an_item_gives_what_its_form_needs(client):
    items = client.get("/api/v1/items").json()
    assert len(items) == 19
    assert {i["group"] for i in items} == {"行政处罚", "行政检查", "其他"}
    cf04 = client.get("/api/v1/items/CF-04").json()
    assert cf04["kind"] == "penalty" and cf04["provision"]["label"] == "节约能源法 第七十六条"
    assert "五万元以上十万元以下罚款" in cf04["provision"]["versions"][-1]["text"]
    assert any(f["name"] == "主动消除或者减轻违法行为危害后果" for f in cf04["factors"])
    assert {t["no"] for t in cf04["triggers"]} >= {3, 4}
    jc03 = client.get("/api/v1/items/JC-03").json()
    assert jc03["matters"] and jc03["measures"]
    res = client.get("/api/v1/items/CF-40")
    assert res.status_code == 404 and "是否指" in res.json()["lines"][0]


def test_schema_per_kind_and_all(client):
    for kind in ("penalty", "filing", "inspection", "complaint"):
        schema = client.get(f"/api/v1/schema/{kind}").json()
        assert schema["properties"]["kind"]["const"] == kind
    assert "oneOf" in client.get("/api/v1/schema").json()
    assert client.get("/api/v1/schema/fine").status_code == 404


def test_findings_titles_labels_vocabulary_and_basis_text(client):
    assert client.get("/api/v1/findings").json()["FINE_ABOVE_MAX"]["title"] == "罚款高于法定上限"
    assert client.get("/api/v1/labels").json()["party.type"] == "当事人类型"
    vocab = client.get("/api/v1/vocabulary").json()
    assert "罚款" in [s["kind"] for s in vocab["sanctions"]] and "一般" in vocab["tiers"]
    basis = client.get("/api/v1/basis", params={"label": "行政处罚法 第三十三条第一款", "on": "2026-05-01"}).json()
    assert basis["provision"] == "xzcf.a33" and basis["whole_article"] and "不予行政处罚" in basis["text"]
    assert client.get("/api/v1/basis", params={"label": "某法 第一条"}).status_code == 404


def test_parse_and_yaml_round_trip_a_draft(client):
    res = client.post("/api/v1/parse", content=FINE_ABOVE_MAX.read_bytes(), headers=YAML)
    draft = res.json()["draft"]
    assert draft["item"] == "CF-04" and draft["decision"]["decided_on"] == "2026-05-25"
    text = client.post("/api/v1/yaml", json=draft).text
    again = client.post("/api/v1/check", content=text.encode(), headers=YAML).json()
    assert again["verdict"] == "fail"


def test_bearer_token_protects_the_api_not_health():
    with TestClient(create_app(warm_up=False, token="s3cret")) as c:
        assert c.get("/healthz").status_code == 200
        res = c.get("/api/v1/items")
        assert res.status_code == 401 and res.headers["www-authenticate"] == "Bearer"
        assert c.get("/api/v1/items", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/v1/items", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_docs_and_form_need_no_internet(client):
    for page in ("/docs", "/redoc", "/"):
        html = client.get(page).text
        assert not re.search(r"(src|href)=[\"']?(https?:)?//", html), page
    assert client.get("/static-docs/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/form.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/api/v1/check" in spec["paths"] and "PenaltyDraft" in spec["components"]["schemas"]


def test_every_check_runs_on_one_evaluating_thread(client, monkeypatch):
    names = set()
    real = evaluate.fired_rules

    def spy(ruleset, facts):
        names.add(threading.current_thread().name)
        return real(ruleset, facts)

    monkeypatch.setattr(evaluate, "fired_rules", spy)
    body = FINE_ABOVE_MAX.read_bytes()
    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda _: client.post("/api/v1/check", content=body, headers=YAML).status_code, range(24)))
    assert codes == [200] * 24
    assert len(names) == 1 and next(iter(names)).startswith("quanze-check")


def test_nothing_a_client_sends_is_written(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    client.post("/api/v1/check", content=FINE_ABOVE_MAX.read_bytes(), headers=YAML)
    client.post("/api/v1/parse", content=b"kind: penalty\nfile: ../../etc/passwd\n", headers=YAML)
    assert list(tmp_path.iterdir()) == []
