"""``quanze schema`` and ``quanze new``: the draft format for editors, and templates that validate."""

from __future__ import annotations

import json
from typing import get_args, get_origin

import pytest

from conftest import CASES
from quanze.cli.main import app
from quanze.engine.model.drafts import PLACEHOLDER_CERTIFICATE, PLACEHOLDER_OFFICERS, PLACEHOLDER_TEXT, parse_text, validate_draft
from quanze.engine.model.errors import InputError
from quanze.engine.model.yamlio import load_yaml

ALL_ITEMS = [f"CF-0{i}" for i in range(1, 6)] + [f"JC-0{i}" for i in range(1, 9)] + [f"QT-0{i}" for i in range(1, 7)]


def test_schema_of_a_kind_is_json_schema_with_the_rules_vocabularies(runner):
    res = runner.invoke(app, ["schema", "penalty"])
    assert res.exit_code == 0, res.output
    schema = json.loads(res.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["properties"]["item"]["enum"] == ["CF-01", "CF-02", "CF-03", "CF-04", "CF-05"]
    assert "罚款" in schema["$defs"]["Sanction"]["properties"]["kind"]["enum"]
    assert "主动消除或者减轻违法行为危害后果" in schema["$defs"]["Violation"]["properties"]["factors"]["items"]["enum"]
    party_type = schema["$defs"]["Party"]["properties"]["type"]
    assert {"const": "organization", "title": "单位"} in party_type["oneOf"]
    assert "单位" in [o["const"] for o in party_type["oneOf"]]  # also accepted as written


def test_schema_of_all_kinds_and_unknown_kind(runner):
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert schema["discriminator"]["propertyName"] == "kind"
    res = runner.invoke(app, ["schema", "fine"])
    assert res.exit_code == 2 and "期望以下之一" in res.stderr


def test_sample_drafts_satisfy_the_patterns_of_the_schema(runner):
    """Dates as written in the sample cases (ISO and officer forms) match the schema's date pattern."""
    import re

    schema = json.loads(runner.invoke(app, ["schema", "penalty"]).stdout)
    decided_on = schema["$defs"]["Decision"]["properties"]["decided_on"]
    # optional since a case may be open (issue 26): the date forms, or null
    forms = [a for branch in decided_on["anyOf"] for a in branch.get("anyOf", [branch])]
    assert {"type": "string", "format": "date"} in forms and {"type": "null"} in forms
    pattern = re.compile(next(a["pattern"] for a in forms if "pattern" in a))
    for text in ("2026-08-20", "2026-8-20", "2026/08/20", "2026年8月20日"):
        assert pattern.match(text)


@pytest.mark.parametrize("item", ALL_ITEMS)
def test_new_template_validates_for_every_item_once_its_placeholders_are_filled(runner, item):
    res = runner.invoke(app, ["new", item])
    assert res.exit_code == 0, res.output
    # untouched, every problem is a placeholder left in (issue 17 §4): never a party, an officer, a certificate
    with pytest.raises(InputError) as exc:
        validate_draft(parse_text(res.stdout, f"{item}.yaml"), f"{item}.yaml")
    assert exc.value.problems and all("仍是模板的占位文字" in str(p) for p in exc.value.problems)
    filled = res.stdout.replace(PLACEHOLDER_TEXT, "某某").replace(PLACEHOLDER_OFFICERS[0], "张三").replace(PLACEHOLDER_OFFICERS[1], "李四")
    cert = f"certificate: {PLACEHOLDER_CERTIFICATE}"
    filled = filled.replace(cert, "certificate: '65010000123'", 1).replace(cert, "certificate: '65010000456'", 1)
    draft = validate_draft(parse_text(filled, f"{item}.yaml"), f"{item}.yaml")
    assert draft.item == item


def test_new_cf04_has_every_field_allowed_values_and_the_factors_in_chinese(runner):
    text = runner.invoke(app, ["new", "CF-04"]).stdout
    raw = load_yaml(text)
    top = {"kind", "case_id", "item", "party", "violation", "decision", "procedure", "people", "evidence", "execution", "coercive_measures"}
    assert set(raw) == top
    assert "可选：不予处罚 | 减轻 | 从轻 | 一般 | 从重" in text
    assert "主动消除或者减轻违法行为危害后果" in text and "节约能源法 第七十六条 规定" in text
    assert "  committed_on: 2026-01-05  # 违法行为发生日期" in text


def test_new_out_writes_a_file_and_never_overwrites(runner, tmp_path):
    out = tmp_path / "draft.yaml"
    res = runner.invoke(app, ["new", "QT-02", "--out", str(out)])
    assert res.exit_code == 0 and out.exists()
    res = runner.invoke(app, ["new", "QT-02", "--out", str(out)])
    assert res.exit_code == 2 and "文件已存在" in res.stderr


def test_new_unknown_item_suggests(runner):
    res = runner.invoke(app, ["new", "CF-40"])
    assert res.exit_code == 2 and "是否指" in res.stderr


def test_officer_wording_case_checks_like_the_iso_one(rules):
    from quanze.engine.check.checker import check
    from quanze.engine.model.drafts import read_draft

    a = check(read_draft(CASES / "penalty/CF-04/officer_wording.yaml"), rules, "a")
    b = check(read_draft(CASES / "penalty/CF-04/lawful_general_tier.yaml"), rules, "b")
    assert a.verdict == b.verdict == "pass"
    keys = ("provision", "fine_range", "bands", "recommended_tier", "version_comparison", "recommended_because", "stage", "next_steps")
    assert [getattr(a, k) for k in keys] == [getattr(b, k) for k in keys]


def _field_paths(model, prefix=""):
    from quanze.cli.drafting import _is_model, _unwrap

    for name, info in model.model_fields.items():
        path = prefix + name
        yield path
        members, _ = _unwrap(info.annotation)
        for m in members:
            if _is_model(m):
                yield from _field_paths(m, path + ".")
            elif get_origin(m) is list:
                inner = _unwrap(get_args(m)[0])[0][0]
                if _is_model(inner):
                    yield from _field_paths(inner, path + ".")


def test_every_draft_field_has_a_chinese_name():
    """The form and the template name each field in Chinese (the models' Field(title=…), engine/model/labels.py)."""
    from quanze.engine.model.drafts import MODELS
    from quanze.engine.model.fieldlabels import LABELS

    missing = sorted({p for m in MODELS.values() for p in _field_paths(m)} - set(LABELS))
    assert missing == [], f"give these fields a Field(title=…) in engine/model/drafts.py: {missing}"


def test_a_certificate_number_keeps_its_leading_zero():
    """YAML 1.1 would read 06501234 as octal (1737372); quanze reads integers in plain decimal only."""
    text = (
        (CASES / "penalty/CF-04/officer_wording.yaml")
        .read_text(encoding="utf-8")
        .replace("certificate: 65010000123", "certificate: 06501234")
    )
    draft = validate_draft(parse_text(text, "t.yaml"), "t.yaml")
    assert draft.procedure.officers[0].certificate == "06501234"
    assert parse_text("kind: penalty\nx: 0x1F\ny: 70000\n", "t.yaml") == {"kind": "penalty", "x": "0x1F", "y": 70000}
