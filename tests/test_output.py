"""Officer-facing text: Chinese throughout (no English prose), full-width punctuation, 80 columns, a trace."""

import re

import pytest

from conftest import CASES
from quanze.cli.main import app
from quanze.engine.batch.cases import find_cases, read_expectation
from quanze.engine.model.facts import FACTS
from quanze.engine.model.labels import FIELDS, field_label
from quanze.engine.model.text import width, wrap, zh

ALL = find_cases(CASES)
PENALTY = [d for d in ALL if "penalty" in d.parts]

# tokens that may be ASCII in Chinese output: codes, ids, file names, paths, numbers, commands, user input
ALLOWED = [
    r"\b[a-z_]+(?:\.[a-z_]+)* 为 [a-z_]+\b",  # a field and its value
    r"\b[a-z_]+(?:\.[a-z_]+)*[:：]\s?[a-z0-9_]+\b",  # a YAML key: value
    r"\b\d+ passed, \d+ failed\b",  # the contract's last line of `cases run`
    r"[\w./\-]+\.(?:yaml|yml|json|jsonl|html|docx|md|py)\b",
    r"(?:/[\w.\-]+)+/?",
    r"\b[\w.\-]+/",  # a folder: rules/
    r"[\w.\-]+(?:/[\w.\-（）()]+)+",  # a path in a source citation
    r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b",  # finding codes, env vars
    r"\b[A-Z]{2,}\b",  # ISO, YAML, HTML, JSON, ID
    r"\b[A-Z]{2}-\d{2}\b",
    r"\b[0-9a-f]{16}\b",
    r"\bquanze(?: [a-z]+)*\b",
    r"--[a-z][a-z-]*(?:\s+[a-z]+\b)?",
    r"\b[a-z_]+(?:\[\d+\])?(?:\.[a-z_0-9]+(?:\[\d+\])?)+\b",  # a YAML field path beside its label
    r"（[a-z_]+）",
    r"'[^'\n]*'|\"[^\"\n]*\"|“[^”\n]*”",  # quoted values from the input
    r"\bkind: [a-z]+\b",
    r"实际为 [^\s，；]+",  # the value the draft gave
    r"·“[^”]*”|·「[^」]*」",
    r"\b(?:null|true|false)\b",  # YAML values an officer is told to write
    r"\b(?:none|minor|serious)\b",  # the values of violation.harm an officer writes (engine/model/drafts.py)
    r"\b(?:pass|warn|incomplete|fail)\b",  # the contract's verdicts
    r"\b[a-z]+(?:_[a-z0-9]+)+\b",  # identifiers (rule ids, parameter names)
    r"\b[a-z_]+(?:\.[a-z_]+)*\s?[:：]",  # a YAML key
    r"\b[a-z_]+(?:\.[a-z_]+)+ 为 [a-z_]+\b",  # a field and its value
    r"(?<=未填写 )[a-z_.]+",
    r"（或 [a-z_、]+）",  # the YAML spellings of the choices
    r"\bYYYY-MM-DD\b",
    r"\b(?:text|json|md|docx)\b",
    r"\bpython-docx\b|\bdurable-rules\b|\bm2\b|\bN\b",
]
_ALLOWED = re.compile("|".join(f"(?:{a})" for a in ALLOWED))
_WORD = re.compile(r"[A-Za-z]{2,}")


def english_in(text: str) -> list[str]:
    """ASCII words left after removing the allowed tokens, with their line."""
    hits = []
    for line in text.splitlines():
        rest = _ALLOWED.sub(" ", line)
        words = _WORD.findall(rest)
        if words:
            hits.append(f"{words} in: {line.strip()[:120]}")
    return hits


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def runner(cache_dir):
    """An 80-column CliRunner that keeps the validated rules in a cache (hundreds of commands run here)."""
    from typer.testing import CliRunner

    return CliRunner(env={"COLUMNS": "80", "QUANZE_NO_CACHE": None, "XDG_CACHE_HOME": str(cache_dir)})


def _run(runner, args):
    result = runner.invoke(app, args)
    assert "Traceback" not in result.output, result.output
    return result.stdout + result.stderr


@pytest.mark.parametrize("draft", ALL, ids=[str(p.relative_to(CASES)) for p in ALL])
def test_no_english_in_check_explain_and_handout(runner, draft):
    rel = str(draft.relative_to(CASES).with_suffix(""))
    out = _run(runner, ["check", "--show-law", str(draft)])
    out += _run(runner, ["explain", str(draft)])
    out += _run(runner, ["cases", "show", rel])
    hits = english_in(out)
    assert not hits, "\n".join(hits)


def test_no_english_in_cases_run_review_audit_diff_and_usage_errors(runner, tmp_path):
    out = _run(runner, ["cases", "run"])
    out += _run(runner, ["cases", "run", "--item", "CF-04"])
    out += _run(runner, ["review", str(CASES), "--out", str(tmp_path / "r")])
    out += _run(runner, ["rules", "audit", "--on", "2026-06-01"])
    out += _run(runner, ["rules", "validate"])
    rules_dir = str(CASES.parent / "rules")
    out += _run(runner, ["diff", "--base", rules_dir, "--changed", rules_dir, str(CASES / "penalty/CF-04")])
    for bad in (["check"], ["check", "--nope", "x.yaml"], ["check", "/nonexistent/x.yaml"], ["review"], ["nosuch"], ["explain", "a", "b"]):
        out += _run(runner, bad)
    out += _run(runner, ["review", "--jobs", "x", str(CASES)])
    hits = english_in(out)
    assert not hits, "\n".join(hits)


def _command_names() -> set[str]:
    """Every (sub)command name of the CLI: a command's own name is no English prose."""
    import typer.main

    names, stack = set(), [typer.main.get_command(app)]
    while stack:
        for name, sub in getattr(stack.pop(), "commands", {}).items():
            names.add(name)
            stack.append(sub)
    return names


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["check"],
        ["explain"],
        ["diff"],
        ["review"],
        ["rules"],
        ["rules", "list"],
        ["rules", "show"],
        ["rules", "validate"],
        ["rules", "audit"],
        ["cases"],
        ["cases", "run"],
        ["cases", "show"],
        ["cases", "new"],
        ["deadlines"],
        ["read"],
        ["register"],
        ["register", "import"],
        ["register", "export"],
        ["register", "verify"],
        ["register", "backup"],
        ["register", "restore"],
        ["register", "digest"],
        ["users"],
        ["users", "add"],
        ["users", "token"],
        ["cases", "list"],
        ["cases", "handout"],
        ["document"],
    ],
    ids=lambda c: " ".join(c) or "quanze",
)
def test_help_pages_are_chinese(runner, command):
    out = _run(runner, [*command, "--help"])
    commands = _command_names() | {"notice", "decision"}  # quanze document's two kinds
    commands |= {"SQLite", "PostgreSQL", "argon", "id", "Authorization", "Bearer", "yml"}  # products, a header (register, users)
    # command names, the contract's last line, formats and products, JSON keys named in a docstring
    # file suffixes (路径.jsonl、路径.csv、路径.xlsx) and Excel are names too
    allowed = commands | {"passed", "failed", "Markdown", "yaml", "Schema", "VS", "Code", "reason", "problems", "jsonl", "csv", "html"}
    allowed |= {"xlsx", "Excel"}
    hits = [h for h in english_in(out) if not set(re.findall(r"'(\w+)'", h.split(" in: ")[0])) <= allowed]
    assert not hits and "用法：" in out, "\n".join(hits) or out


def test_usage_errors_are_chinese_with_exit_2(runner):
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert "缺少参数" in result.stderr and "用法：quanze check" in result.stderr and "Missing" not in result.stderr
    result = runner.invoke(app, ["check", "--nope"])
    assert result.exit_code == 2 and "没有此选项：--nope" in result.stderr
    result = runner.invoke(app, ["check", "--help"])
    assert "显示此帮助并退出" in result.stdout and "Show this message" not in result.stdout


def test_text_lines_fit_80_columns_and_use_full_width_punctuation(runner):
    out = _run(runner, ["explain", str(CASES / "penalty/CF-04/fine_above_max.yaml")])
    long = [line for line in out.splitlines() if width(line) > 80 and not line.lstrip().startswith("|")]
    assert not long, long
    assert "结论：不通过" in out and ", " not in out.replace("passed, ", "")
    assert "（（" not in out  # no doubled wrapper; nested parentheses ("（跳过 2026-05-24（周末））") are kept
    assert out.count("（") == out.count("）")  # every opened parenthesis closed (wrapped lines included)


def test_wrap_never_splits_an_amount_a_date_or_a_citation():
    text = "罚款" * 30 + " 50000–100000 元，依据 行政处罚法 第七十六条第一款第（二）项，自 2018-10-26 起施行"
    for columns in range(40, 81, 3):
        joined = "".join(line.strip() for line in wrap(text, columns).splitlines())
        assert "50000–100000" in joined and "2018-10-26" in joined
        assert any("行政处罚法 第七十六条第一款第（二）项" in line for line in wrap(text, columns).splitlines()), columns


def test_wrap_never_splits_a_rules_version_that_starts_with_digits():
    """A hash whose head is digits (22cdffd95ed5d202) is one run of ASCII, not a number and a word: it was cut after its
    first digit when the line ended there (the rules version of ``rules validate`` under a longer install path)."""
    for head in ("规则有效（fv/lib/python3.11/site-packages/quanze/rules/，版本 ", "版本 ", "规则" * 20 + "，版本 "):
        text = head + "22cdffd95ed5d202）：19 个事项，30 部法律，130 个条文，179 条检查规则，104 个结论代码"
        for columns in range(40, 81):
            assert any("22cdffd95ed5d202" in line for line in wrap(text, columns).splitlines()), (head, columns)


def test_zh_converts_half_width_punctuation_in_chinese_sentences_only():
    assert zh('草稿称"一般", 但罚款 7 元 (较低): 见下') == "草稿称“一般”，但罚款 7 元（较低）：见下"
    assert zh("FINE_ABOVE_MAX, TIER_MISMATCH") == "FINE_ABOVE_MAX, TIER_MISMATCH"
    assert zh("No such file or directory") == "文件或目录不存在"


def test_explain_traces_every_check_with_outcome_facts_and_fields(runner):
    out = _run(runner, ["explain", str(CASES / "penalty/CF-04/fine_above_max.yaml"), "--full"])
    assert re.search(r"已检查 \d+ 项：通过 \d+ 项，不通过 1 项", out)
    assert "不通过（1 项）：\n  罚款高于法定上限 [FINE_ABOVE_MAX]" in out
    assert "罚款数额 = 120000 元（取自：处罚）" in out
    assert "执法人员少于两人 [OFFICERS_INSUFFICIENT]" in out  # a check that passed is listed too
    assert "并处五万元以上十万元以下罚款" in re.sub(r"\n\s*", "", out)  # the article text of the basis


def test_trace_outcomes_come_from_the_evaluation(rules):
    from helpers import sample
    from quanze.engine.check.checker import check
    from quanze.engine.model.drafts import validate_draft

    result = check(validate_draft(sample("penalty/CF-04/fine_above_max.yaml"), "x"), rules, "x")
    trace = result.explanation["trace"]
    failed = {c["code"] for c in trace["checks"] if c["outcome"] == "fail"}
    assert failed == {f.code for f in result.findings}
    assert trace["counts"]["pass"] == len([c for c in trace["checks"] if c["outcome"] == "pass"]) > 20


def test_hearing_line_is_stated_as_an_assumption(runner):
    out = _run(runner, ["explain", str(CASES / "penalty/CF-04/hearing_not_held.yaml")])
    assert "按默认值适用（未核实）" in out and "听证“较大数额”标准" in out


def test_every_fact_and_draft_field_has_a_chinese_label(rules):
    from pydantic import BaseModel

    from quanze.engine.model import drafts
    from quanze.engine.model.facts import registry
    from quanze.engine.model.fieldwalk import tables

    for kind in ("penalty", "filing", "inspection", "complaint"):
        for fact in registry(kind, rules).values():  # every fact of the registry: type, label, source field
            assert not re.search(r"[A-Za-z]", fact.label), (kind, fact.name)

    def walk(model: type[BaseModel], prefix: str = "") -> list[str]:
        out = []
        for name, info in model.model_fields.items():
            path = f"{prefix}.{name}" if prefix else name
            out.append(path)
            for arg in [info.annotation, *getattr(info.annotation, "__args__", ())]:
                for inner in [arg, *getattr(arg, "__args__", ())]:
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        out += walk(inner, path)
        return out

    for model in (drafts.PenaltyDraft, drafts.FilingDraft, drafts.InspectionDraft, drafts.ComplaintDraft):
        for path in walk(model):
            assert path in FIELDS, path
            assert field_label(path) == FIELDS[path]
    # a fact's source field is a field of each draft kind it is derived for (a complaint's outcome is top-level)
    own = {kind: tables([model], drafts.field_choices)[0] for kind, model in drafts.MODELS.items()}
    assert not [(f.name, k, f.source_in(k)) for f in FACTS for k in f.kinds if f.source_in(k) and f.source_in(k) not in own[k]]
    # the registry: one entry a fact, and the draft parts whose absence leaves a fact unknown are draft fields
    assert len({f.name for f in FACTS}) == len(FACTS)
    assert all(part in FIELDS for f in FACTS for part in f.unknown_without)


def test_no_case_narrative_says_same_as_above():
    for draft in ALL:
        assert "同上" not in read_expectation(draft).narrative, draft
