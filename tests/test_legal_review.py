"""Issue 17 §2–§4 (second legal review): posts not words, matters as meaning, the words of findings,
placeholders, and article texts against encoded numbers."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers import CASES, draft, sample, shipped_rules
from quanze.engine.check.checker import check
from quanze.engine.check.facts import approval_state, matter_key
from quanze.engine.law.textnumbers import chinese_int, day_counts, fine_ranges
from quanze.engine.load.loader import load_rules
from quanze.engine.model.drafts import PLACEHOLDER_MARKS, PLACEHOLDER_TEXT, placeholder_problems, read_draft
from quanze.engine.model.errors import InputError, RuleError


def _role():
    rules = shipped_rules()
    return next(r for r in rules.vocabulary.approver_roles if r.role == "主要负责人"), rules.vocabulary.other_titles


def _people(head=None):
    return SimpleNamespace(handler="张三", reviewer="王五", approver="孙八", head=head)


@pytest.mark.parametrize(
    ("approvals", "head", "state"),
    [
        (["局长"], None, "approved"),
        (["主要负责人（局长赵六）"], None, "approved"),
        (["赵六"], "赵六", "approved"),
        (["分管副局长", "局长"], None, "approved"),  # every approval counts
        (["分管副局长"], None, "missing"),
        (["局长助理"], None, "missing"),
        (["科长"], None, "missing"),
        (["王五"], None, "missing"),  # the 内设机构负责人 of the draft's people
        (["主持工作的副局长"], None, "unverified"),
        (["钱七"], None, "unverified"),  # a name the draft does not place
        ([], None, "missing"),
    ],
)
def test_approver_compared_as_a_post(approvals, head, state):
    role, others = _role()
    assert approval_state(approvals, role, others, _people(head))[0] == state


def test_matter_compared_without_marks():
    assert matter_key("资质认定书 使用合规情况") == matter_key("《资质认定书》使用合规情况")
    assert matter_key("五大总成及其他零部件处置情况") == matter_key("“五大总成”及其他零部件处置情况")


def test_heavier_than_notice_names_the_heavier_fine():
    result = check(draft(sample("penalty/CF-05/heavier_than_notice.yaml")), shipped_rules(), "t.yaml")
    finding = next(f for f in result.findings if f.code == "HEAVIER_THAN_NOTICE")
    assert "数额或期限加重的：罚款 25000 元（告知 20000 元）" in finding.message
    assert "加重的：无" not in finding.message


def test_recommendation_says_why_and_that_it_is_advice():
    raw = sample("penalty/CF-04/lawful_general_tier.yaml")
    raw["violation"]["factors"] = ["初次违法"]  # 可以从轻 only
    result = check(draft(raw), shipped_rules(), "t.yaml")
    why = result.recommended_because
    assert result.recommended_tier == "从轻" and "建议" in why and "不是法定要求" in why
    assert "可以从轻的情节：初次违法" in why and "按一般处罚同样合法" in why and "阶次（" in why
    assert "TIER_MISMATCH" not in {f.code for f in result.findings}


def test_placeholders_are_input_problems_naming_the_field():
    raw = sample("penalty/CF-04/lawful_general_tier.yaml")
    raw["party"]["name"] = PLACEHOLDER_TEXT
    raw["procedure"]["officers"][0]["certificate"] = " (执法证号) "  # half-width, spaces: still the placeholder
    where = [p.where for p in placeholder_problems(raw, "t.yaml")]
    assert where == ["party.name", "procedure.officers[0].certificate"]


def test_no_character_normalises_to_a_placeholder_mark():
    """placeholder_problems skips a text without 请 or 执: NFKC makes neither from any other character."""
    others = [
        c for c in map(chr, range(sys.maxunicode + 1))
        if unicodedata.decomposition(c) and any(m in unicodedata.normalize("NFKC", c) for m in PLACEHOLDER_MARKS)
    ]
    assert others == []


def test_a_placeholder_written_with_escapes_is_found_in_a_file(tmp_path):
    """read_draft skips the look for placeholders in a text without 请, 执 or a backslash: an escaped one is seen."""
    text = (CASES / "penalty/CF-04/lawful_general_tier.yaml").read_text(encoding="utf-8")
    escaped = '"' + "".join(f"\\u{ord(c):04x}" for c in PLACEHOLDER_TEXT) + '"'
    path = tmp_path / "d.yaml"
    path.write_text(text.replace(f"name: {sample('penalty/CF-04/lawful_general_tier.yaml')['party']['name']}", f"name: {escaped}", 1))
    assert "请" not in path.read_text(encoding="utf-8") and "\\u" in path.read_text(encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_draft(path)
    assert "party.name" in [p.where for p in caught.value.problems]


def test_text_numbers():
    assert [chinese_int(t) for t in ("十", "九十", "十五", "两", "120", "六十")] == [10, 90, 15, 2, 120, 60]
    assert fine_ranges("并处1万元以上3万元以下的罚款") == [(10000, 30000)]
    assert fine_ranges("并处五万元以上十万元以下罚款") == [(50000, 100000)]
    assert day_counts("应在收到材料后两个工作日内一次性告知；九十日内；15日内") == {2, 90, 15}


def test_rules_validate_refuses_numbers_the_text_does_not_state(rules_copy: Path):
    prov = rules_copy / "provisions" / "baofei_xize" / "a40.k2.yaml"
    prov.write_text(prov.read_text(encoding="utf-8").replace("min: 10000", "min: 15000"), encoding="utf-8")
    params = rules_copy / "params" / "xj_touzi_beian.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace("workdays: 2 ", "workdays: 3 "), encoding="utf-8")
    with pytest.raises(RuleError) as exc:
        load_rules(rules_copy, use_cache=False)
    text = "\n".join(str(p) for p in exc.value.problems)
    assert "min: 15000" in text and "10000–30000 元" in text
    assert "supplement.workdays 编码为 3 日" in text and "2、7、10" in text


@pytest.mark.parametrize(
    ("text", "typeset"),
    [
        ("依据（第三十二条第（四））", "依据（第三十二条第（四））"),  # nested: both kept (was "…第（四）")
        ("（第五十七条第一款第（三））", "（第五十七条第一款第（三））"),
        ("见((行政处罚法))说明", "见（行政处罚法）说明"),  # a doubled wrapper loses one pair
        ("(（依据）)", "（依据）"),
        ("（（甲）（乙））", "（（甲）（乙））"),  # two groups inside one: not a doubled wrapper
    ],
)
def test_zh_keeps_nested_parentheses_and_undoubles_wrappers(text, typeset):
    from quanze.engine.model.text import zh

    assert zh(text) == typeset


@pytest.mark.parametrize(
    ("item", "field", "choice"),
    [
        ("CF-05", "party.role", "机动车生产企业"),
        ("CF-05", "violation.conduct", "未按照国家有关规定承担生产者责任向回收拆解企业提供相关技术支持"),
        ("JC-03", "target.role", "报废机动车回收拆解企业"),
        ("QT-02", "applicant.role", "发卡企业"),
    ],
)
def test_new_and_schema_offer_the_items_roles_and_conducts(item, field, choice):
    """issue 17 §1: `quanze new`, the schema and the form ask for role and conduct with the item's choices."""
    from quanze.cli.drafting import template
    from quanze.engine.model.yamlio import load_yaml
    from quanze.engine.present.draftschema import SUBJECT_FIELDS, draft_schema

    rules = shipped_rules()
    text = template(item, rules)
    name = field.split(".")[1]
    line = next(x for x in text.splitlines() if x.strip().startswith(f"{name}:") and "rules/subjects.yaml" in x and "本事项可选" in x)
    assert choice in line and line.split(":")[1].strip().startswith("null")
    written = load_yaml(text)
    for part in field.split("."):
        written = written[part]
    assert written is None  # left null until filled in: not_checked, never a guess
    kind = rules.items[item].kind
    model, prop = SUBJECT_FIELDS[field]
    schema = draft_schema(kind, rules)["$defs"][model]["properties"][prop]
    assert choice in schema["x-quanze-by-item"][item]
    assert "enum" not in schema  # a role outside the item is a finding, not an input error
