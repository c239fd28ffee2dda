"""Rules folders: the shipped one validates; each broken fixture fails with file, line and reason."""

import json
import re
from pathlib import Path

import pytest
from broken_rules import apply

from quanze.cli.main import app
from quanze.engine.model.text import zh

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "bad_rules").glob("*.yaml"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_broken_rules_fail_with_file_and_line(runner, rules_copy, fixture):
    meta = apply(fixture, rules_copy)
    result = runner.invoke(app, ["rules", "validate", str(rules_copy)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    hit = [line for line in lines if meta["expect"] in line or zh(meta["expect"]) in line]  # stderr is typeset
    assert hit, lines
    file = meta.get("file", meta.get("target"))
    label = "rules/" + file if meta["line"] != "0" else "rules/" + str(Path(file).parent)
    assert hit[0].startswith((label + ":", label + "：")), hit[0]
    line = meta["line"]
    if line.startswith("of "):  # "line: of TEXT": the line of the shipped file that holds TEXT
        text = (rules_copy / file).read_text(encoding="utf-8").splitlines()
        line = str(next(n for n, row in enumerate(text, 1) if line[3:] in row))
    if line != "0":
        assert re.search(rf"[:：] ?第 {line} 行[:：]", hit[0]), hit[0]
    assert "Traceback" not in result.output


def test_validate_json_reports_problems(runner, rules_copy):
    (rules_copy / "checks" / "extra.yaml").write_text("kind: penalty\nfamily: x\nrules: []\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules_copy), "--format", "json"])
    assert result.exit_code == 2
    assert '"valid": false' in result.stdout


def test_validate_reports_every_problem_in_one_run(runner, rules_copy):
    """A file that does not parse does not hide the cross-reference problems of the others."""
    (rules_copy / "checks" / "broken.yaml").write_text("kind: penalty\nrules: [\n", encoding="utf-8")
    for name in ("unregistered_code.yaml", "renamed_param.yaml"):
        apply(Path(__file__).parent / "fixtures" / "bad_rules" / name, rules_copy)
    catalog = rules_copy / "catalog" / "CF-04.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("seq: 4", "seq: x"), encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules_copy)])
    assert result.exit_code == 2
    err = result.stderr
    assert "rules/checks/broken.yaml: 第 3 行: YAML 语法错误" in err
    assert "rules/catalog/CF-04.yaml" in err
    assert "结论代码 FINE_TOO_HIGH 未在 findings.yaml 登记" in err
    assert "参数 xzcf.hearing_threshold.organization" in err
    assert "CF-04 不在 catalog/" not in err and "缺少事项 CF-04" not in err  # follows from CF-04.yaml, not repeated
    assert "没有任何检查规则产生" not in err  # a check file did not parse: not reported as missing checks


def test_version_overlap_names_both_versions(runner, rules_copy):
    apply(Path(__file__).parent / "fixtures" / "bad_rules" / "version_overlap.yaml", rules_copy)
    result = runner.invoke(app, ["rules", "validate", str(rules_copy)])
    assert "第 1 个版本（2018-10-26 至 2024-12-31）与第 2 个版本（2024-06-01 起）" in result.stderr


def test_fine_bounds_accept_money_texts(runner, rules_copy):
    path = rules_copy / "provisions" / "jieneng" / "a76.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("min: 50000", "min: 5万元").replace("max: 100000", "max: 壹拾万元"), encoding="utf-8")
    from quanze.engine.load.loader import load_rules

    fine = load_rules(rules_copy).provisions["jieneng.a76"].versions[-1].fine_range()
    assert fine == (50000, 100000)


def test_fine_bound_in_fen_or_unreadable_is_a_rule_error(runner, rules_copy):
    path = rules_copy / "provisions" / "jieneng" / "a76.yaml"
    text = path.read_text(encoding="utf-8").replace("min: 50000", "min: 五万多")
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "min: 五万多" in row)
    result = runner.invoke(app, ["rules", "validate", str(rules_copy)])
    assert result.exit_code == 2 and f"rules/provisions/jieneng/a76.yaml: 第 {line} 行:" in result.stderr, result.stderr


def test_self_test_finds_error_303_that_durable_rules_raises_only_at_assert(rules_copy, monkeypatch, runner):
    """70 range tests that one document satisfies: durable-rules accepts the ruleset, then fails the check.
    The self-test finds it, and every door that loads the folder refuses it with the reason (check, serve)."""
    from quanze.engine.load import loader, rulechecks
    from quanze.engine.model.errors import RuleError

    lines = ["kind: penalty", "family: wide", "rules:"]
    for i in range(70):
        lines += [f"  - id: wide_{i}", "    code: FINE_ABOVE_MAX", "    items: [CF-04]"]
        lines += [f"    when: {{fact: fine_amount, gt: {i * 1000}}}", "    message: 测试", '    basis: ["{provision}"]']
    (rules_copy / "checks" / "wide.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(rulechecks, "MAX_RANGE_TESTS", 1000)  # past the static bound, to reach durable-rules
    with pytest.raises(RuleError) as refused:
        loader.load_rules(rules_copy, use_cache=False)
    problems = refused.value.problems
    assert problems and all("CF-04" in p.message for p in problems)
    assert any("303" in p.message for p in problems), problems
    result = runner.invoke(app, ["check", str(LAWFUL_CF04), "--rules", str(rules_copy)])
    assert result.exit_code == 2 and "303" in result.stderr and result.stdout == ""
    # serve refuses it before binding a port, named by --rules or by QUANZE_RULES alike
    doors = ((["serve", "--port", "1", "--rules", str(rules_copy)], {}), (["serve", "--port", "1"], {"QUANZE_RULES": str(rules_copy)}))
    for args, env in doors:
        served = runner.invoke(app, args, env=env)
        assert served.exit_code == 2 and "303" in served.stderr and "CF-04" in served.stderr, served.output


LAWFUL_CF04 = Path(__file__).resolve().parent.parent / "cases" / "penalty" / "CF-04" / "lawful_general_tier.yaml"


def test_renamed_param_is_refused_by_check_never_a_silent_unchecked_rule(runner, rules_copy):
    apply(Path(__file__).parent / "fixtures" / "bad_rules" / "renamed_param.yaml", rules_copy)
    result = runner.invoke(app, ["check", str(LAWFUL_CF04), "--rules", str(rules_copy), "--format", "json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "参数 xzcf.hearing_threshold.organization" in result.stderr


def test_step_before_the_first_params_version_stays_a_rule_warning(runner, tmp_path):
    """立案 before 2021-07-15: no 行政处罚法 params version is encoded for that day; said, not an error of the rules."""
    draft = tmp_path / "early.yaml"
    draft.write_text(LAWFUL_CF04.read_text(encoding="utf-8").replace("filed_on: 2026-04-03", "filed_on: 2021-07-01"), encoding="utf-8")
    result = runner.invoke(app, ["check", str(draft), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    warnings = json.loads(result.stdout)["rule_warnings"]
    assert any("立案日没有已编码的《行政处罚法》参数版本" in w and "未检查" in w for w in warnings), warnings


def test_every_cross_check_is_a_registered_check_with_a_one_line_docstring():
    """engine/load/rulechecks.py: the loader's cross-checks are small registered functions, each saying what it refuses."""
    import inspect

    from quanze.engine.load import rulechecks

    assert len(rulechecks.CHECKS) >= 20
    names = [fn.__name__ for fn in rulechecks.CHECKS]
    assert len(set(names)) == len(names) and all(n.startswith("check_") for n in names)
    for fn in rulechecks.CHECKS:
        doc = inspect.getdoc(fn) or ""
        assert doc and "\n" not in doc, fn.__name__
        assert len(inspect.getsource(fn).splitlines()) <= 45, f"{fn.__name__} is not small"
    unregistered = [n for n, f in vars(rulechecks).items() if n.startswith("check_") and callable(f) and f not in rulechecks.CHECKS]
    assert set(unregistered) <= {"check_condition", "check_label"}  # helpers the checks call
