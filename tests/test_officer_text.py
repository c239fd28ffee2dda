"""Officer text (issue 25): no rules path, no install path, no half-width punctuation and no field path in what an
officer reads, over every sample case and through every door that words a result for an officer: the CLI text
(``check``, ``explain``: terminal wording keeps the draft's file name, field paths and codes, never a rules path or
the install path), a finding's and a not_checked entry's ``text`` in JSON (what the form shows), the 意见书 (.docx),
the review report (HTML) and the sample cases' class-mode texts (title, 案情, 讲解). The draft's own words, quoted
in 「」, are shown as written and not examined.

The 意见书 counts the checks as ``explain`` and the form do (one per finding code)."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

from conftest import CASES
from quanze.cli.main import app
from quanze.engine import api
from quanze.engine.check.checker import check
from quanze.engine.present.opinion import opinion_bytes, opinion_context
from quanze.engine.present.reasoning import checks as grouped_checks

CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
RULES_PATH = re.compile(r"rules/|\.ya?ml\b|scoring|出处见|findings\.yaml")
HALF = re.compile(rf"[{CJK}][ ]?[(),;:!?]|[(),;:!?][ ]?[{CJK}]")
FIELD_PATH = re.compile(r"(?<![A-Za-z0-9_.{/-])[a-z]+(?:_[a-z0-9]+)+\b|(?<![A-Za-z0-9_./-])[a-z]+\.[a-z_]+(?![A-Za-z0-9_./-])|\bnull\b")
INSTALL = str(Path(api.__file__).resolve().parents[2])
QUOTED = re.compile(r"「[^「」]*」")


def _files() -> list[Path]:
    return sorted(
        p
        for p in CASES.rglob("*.yaml")
        if not p.name.endswith(".expect.yaml")
        and "invalid" not in p.relative_to(CASES).parts
        and p.with_name(p.stem + ".expect.yaml").is_file()
    )


def _defects(text: str, terminal: bool = False, files: tuple[str, ...] = ()) -> list[str]:
    """What an officer must not read in a text (the terminal may show field paths and codes)."""
    for name in files:
        text = text.replace(name, "{file}")
    text = QUOTED.sub("「」", text)
    found = []
    checks = [("rules path", RULES_PATH), ("half-width", HALF)] + ([] if terminal else [("field path", FIELD_PATH)])
    for what, rx in checks:
        found += [f"{what}: …{text[max(0, m.start() - 25) : m.end() + 25]}…" for m in rx.finditer(text)]
    if INSTALL in text:
        found.append(f"install path: {INSTALL}")
    return found


@pytest.fixture(scope="module")
def checked(rules):
    out = []
    for path in _files():
        try:
            draft = api.read_file(path, rules)
        except api.InputError:
            continue
        out.append((path, draft, check(draft, rules, str(path))))
    assert len(out) > 200
    return out


def test_cli_text(runner, checked):
    """``quanze check`` of every sample case and ``quanze explain`` of each: no rules or install path, full-width punctuation."""
    files = [str(p) for p, _, _ in checked]
    result = runner.invoke(app, ["check", *files])
    assert result.exit_code == 1 and result.stdout.count("结论：") == len(files)
    bad = _defects(result.stdout, terminal=True, files=tuple(files))
    for path in files:
        explained = runner.invoke(app, ["explain", path])
        assert explained.exit_code in (0, 1), explained.output
        bad += _defects(explained.stdout, terminal=True, files=(path,))
    assert not bad, "\n".join(dict.fromkeys(bad))


def test_json_officer_text(checked):
    """Every finding and not_checked entry carries ``text`` (the form shows it), in the officer's words; the
    version choice, the recommendation and the warnings are written that way at the source."""
    bad = []
    for path, _, result in checked:
        j = api.result_json(result)
        texts = [f["text"] for f in j["findings"]] + [n["text"] for n in j["not_checked"]]
        texts += [j["provision"]["chosen_because"]] if j.get("provision") else []
        texts += [j.get("recommended_because") or ""] + j["calendar_warnings"] + j["rule_warnings"]
        assert all(t for t in texts[: len(j["findings"]) + len(j["not_checked"])]), path
        bad += [f"{path.name}: {d}" for t in texts for d in _defects(t)]
    assert not bad, "\n".join(dict.fromkeys(bad))


def test_class_mode_texts():
    """Training (class) mode shows each sample case's title, 案情 and 讲解 as written (``quanze cases show``, the
    handout, the form's class mode through ``/api/v1/cases``): full-width punctuation and no rules path in any.
    The title and the 案情 (read aloud as the facts of a case) name no field path: the draft's own words stand in
    「」, another case by its title. The 讲解 explains the draft shown beside it to the trainer, so it may name the
    draft's keys (``people.head``), codes and other cases by file name (``recusal_decided``), like terminal text."""
    from quanze.engine.batch.cases import find_cases, read_expectation

    bad = []
    for draft in find_cases(CASES):
        expect = read_expectation(draft)
        where = draft.relative_to(CASES)
        bad += [f"{where} 标题 {d}" for d in _defects(expect.name)]
        bad += [f"{where} 案情 {d}" for d in _defects(expect.narrative)]
        bad += [f"{where} 讲解 {d}" for d in _defects(expect.teaching, terminal=True)]
    assert len(find_cases(CASES)) > 300
    assert not bad, "\n".join(bad)


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    lines += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def _context_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _context_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _context_strings(v)]
    return []


def test_opinion_docx(rules, checked):
    """The 意见书 of every sample case: officer text only (finding codes stand in its appendix); it counts the checks
    as explain and the form do. Every case's content (``opinion_context``); the built document of one case in six
    (python-docx costs about half a second a document)."""
    bad = []
    for i, (path, draft, result) in enumerate(checked):
        context = opinion_context(draft, result, rules)
        codes = {f.code for f in result.findings} | {c for n in result.not_checked for c in n.codes}
        n = sum(len(group) for group in grouped_checks(result, rules).values())
        assert context["n_checks"] == n, path
        if i % 6:
            text = "\n".join(_context_strings({k: v for k, v in context.items() if k not in ("codes", "item", "verdict")}))
        else:
            text = _docx_text(opinion_bytes(draft, result, rules))
            assert not context["checked"] or f"共 {n} 项检查" in text, path
        for code in codes:
            text = text.replace(code, "")
        text = text.replace(result.rules_version, "")
        bad += [f"{path.name}: {d}" for d in _defects(text)]
    assert not bad, "\n".join(dict.fromkeys(bad))


def _report_text(report, problems: bool) -> tuple[str, tuple[str, ...]]:
    from quanze.engine.model.text import zh

    entries, page, _stdout = report
    text = html.unescape(re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", page.read_text(encoding="utf-8"), flags=re.S))
    if not problems:  # the bad-input lines of the files that could not be read: test_review_report_problems
        joined = {"；".join(e["problems"]) for e in entries if e.get("problems")}
        for line in sorted(joined | {p for e in entries for p in e.get("problems", [])}, key=len, reverse=True):
            text = text.replace(zh(line), "")
    names = {e["file"] for e in entries} | {str(CASES)} | {part for e in entries for part in e["file"].rpartition("/")[::2]}
    text = re.sub(r"\[[A-Z][A-Z0-9_]+\]|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", "", text)
    return text, tuple(sorted(names, key=len, reverse=True))


def test_review_report(report):
    """The review report (HTML) of every sample case: the officer's words, the file names as they are."""
    text, files = _report_text(report, problems=False)
    bad = _defects(text, terminal=True, files=files)
    assert not bad, "\n".join(dict.fromkeys(bad))


def test_review_report_problems(report):
    """The bad-input lines in the report name the field by its label, in full-width punctuation."""
    text, files = _report_text(report, problems=True)
    assert not _defects(text, terminal=False, files=files)


def test_json_problems_and_deadlines_carry_officer_text(rules, checked):
    """A bad draft's problems in JSON carry ``text`` (what the form shows beside the field's label) and a deadline its
    ``title_text`` and ``counted_text``: the officer's words, the contract's fields unchanged beside them."""
    import datetime as dt

    from quanze.engine.check.deadlines import deadlines

    bad = []
    for path in sorted((CASES / "invalid").glob("*.yaml")):
        if path.name.endswith(".expect.yaml"):
            continue
        try:
            api.read_file(path, rules)
        except api.InputError as exc:
            body = api.problems_body(exc.problems)
            assert [p["message"] for p in body["problems"]] == [p.message for p in exc.problems]
            bad += [f"{path.name}: {d}" for p in body["problems"] for d in _defects(p["text"], files=(str(path),))]
    for path, draft, _ in checked:
        for d in deadlines(draft, rules, dt.date(2026, 9, 1)):
            j = d.to_json()
            bad += [f"{path.name}: {x}" for x in _defects(j["title_text"] + "\n" + j["counted_text"])]
    assert not bad, "\n".join(dict.fromkeys(bad))


# a problem's or finding's message searched for what it says: `in x.message`, x.message.startswith(…), re.search(…,
# x.message), x["message"] likewise, and the JavaScript forms (includes, startsWith, match, a regex's test)
_MESSAGE = r"""(\.message|\[["']message["']\])"""
_MESSAGE_SEARCH = re.compile(
    rf"\bin [\w.]+{_MESSAGE}\b|\bre\.\w+\([^\n]*{_MESSAGE}\b|\.test\([^)\n]*\.message\)"
    rf"|{_MESSAGE}\.(startswith|endswith|find|index|count|split|partition|includes|startsWith|endsWith|match|indexOf|search)\("
)


def test_no_engine_text_is_parsed_back():
    """Engine text is worded once per audience from records: the helpers that parsed a problem line back
    (``_PROBLEM_LINE``, ``_FIELD_PATH``) or rewrote engine messages in the form (``formWords``, ``keyLabel``), read a
    trace row's reason (``in row["reason"]``, the reason -> why table ``PENDING``), a line position out of a problem
    (``第 \\d+ 行``), English verdicts out of a diff key (``_transition_words``) or the reader's 未填写 prefix back
    are gone from the project's source (engine, CLI, web and its scripts); so is grouping findings by matching
    their code names (the 审核意见 heading, the sanction a finding is about: findings.yaml fields) and renaming a read
    case's temporary path in every text afterwards, or deciding what a rules problem is about from its message (what
    a failed rules file explains: ``about``/``cascade``). The review report shows a record's officer text (a finding's
    ``text``, a problem's and a 追责 block's wording) as the engine wrote it: ``zh`` typesets only what is not engine
    wording (the draft's, the titles of rules and seed), so a draft's words quoted in 「」 stay as written."""
    root = Path(api.__file__).resolve().parents[1]
    sources = [p for d in ("engine", "cli", "web", "register") for p in (root / d).rglob("*") if p.suffix in (".py", ".js")]
    assert len(sources) > 50
    found = [
        f"{p.relative_to(root)}: {name}"
        for p in sources
        for name in (
            "_PROBLEM_LINE",
            "_FIELD_PATH",
            "formWords",
            "keyLabel",
            'in row["reason"]',
            "PENDING = {",
            "第 \\d+ 行",
            "_transition_words",
            "removeprefix('未填写：')",
            '"AUTHORITY" in code',  # a finding's 审核意见 heading: findings.yaml ``heading``
            '"OFFICER" in code',
            'startswith("FINE_")',  # the sanction a finding is about: findings.yaml ``sanction``
            'startswith("CONFISCATION")',
            "def relabel(",  # a read case's name: given to the records (review names=, deadlines_files names=)
            "value.replace(path, label)",
            "_CASCADE",  # what a failed rules file explains: a problem's ``about`` and ``cascade`` (engine/load/loader.py)
        )
        if name in p.read_text(encoding="utf-8")
    ]
    found += [f"{p.relative_to(root)}: {m.group(0)}" for p in sources for m in _MESSAGE_SEARCH.finditer(p.read_text(encoding="utf-8"))]
    assert not found, found
    _report_shows_officer_text_as_worded()


def _report_shows_officer_text_as_worded() -> None:
    """engine/present/report.py: a finding is rendered from its ``text``, problems and 追责 blocks by ``_w`` (no
    ``zh``); a half-width comma the draft wrote inside 「」 is shown as it is, hidden characters still escaped."""
    import inspect

    from quanze.engine.model.errors import Problem
    from quanze.engine.present import report

    source = inspect.getsource(report)
    assert list(inspect.signature(report._finding_line).parameters)[:3] == ["severity", "code", "text"]
    for engine_wording in ("_w(text)", "_w(findings)"):
        assert engine_wording in source, engine_wording
    for scrubbed in ("_e(f.get('text')", '_e(f["text"])', "_e(f['message'])", "{_e(text)}</div>", "_e(findings) or"):
        assert scrubbed not in source, scrubbed
    draft = "「案情复杂, 经负责人批准延长三十日\u202e」"
    line = report._finding_line("warning", "DECISION_EXTENSION_UNVERIFIED", f"依赖按{draft}批准延长", [], None)
    assert "「案情复杂, 经负责人批准延长三十日\\u202e」" in line
    table = report.problems_table([{"file": "a.yaml", "problems": [Problem("a.yaml", "", f"读取失败{draft}<b>")]}])
    assert "「案情复杂, 经负责人批准延长三十日\\u202e」" in table and "&lt;b&gt;" in table and "<b>" not in table


def test_a_surcharge_reads_in_yuan(runner, rules):
    """加处罚款 is money: the officer reads 「4000 元」 in ``explain --full`` and the JSON ``value_text``, as every other
    amount (a -1 is an amount too, never 「不适用」)."""
    from quanze.engine.model.labels import value_text

    path = str(CASES / "penalty/CF-05/execution/surcharge_above_fine.yaml")
    full = runner.invoke(app, ["explain", path, "--full"]).stdout
    assert "加处罚款超出罚款的数额 = 4000 元" in re.sub(r"\n\s*", "", full)
    assert value_text(-1, "surcharge_excess") == "-1 元" and value_text(500, "surcharge_amount") == "500 元"


def test_review_headings_are_the_registered_ones():
    """The 意见书's (十三) headings and the ``heading`` a findings.yaml entry may name are one list."""
    from typing import get_args

    from quanze.engine.model.schema import ReviewHeading
    from quanze.engine.present.opinion_review import HEADINGS, heading_of

    assert [key for key, _ in HEADINGS] == list(get_args(ReviewHeading))
    rules, _ = api.load()
    assert heading_of("BEYOND_AUTHORITY", rules) == "authority"
    assert heading_of("OFFICER_UNCERTIFIED", rules) == "subject"
    assert heading_of("EVIDENCE_EXCLUDED", rules) == "facts"
