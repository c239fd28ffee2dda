"""The one way into the engine. Every door (the CLI, the web API and form, review, cases, diff, the docx)
reads drafts, checks them and turns results into JSON through these functions, and only adapts input
and output; nothing here prints or exits.

- ``rules_folder`` / ``load`` — which rules folder (``--rules``, else ``QUANZE_RULES``, else the shipped
  rules), loaded only after it passes every check of ``rules validate`` (self-test included);
- ``read_file`` / ``read_document`` — a draft from a file or a parsed document (a request body), with
  every schema and name problem in one ``InputError``;
- ``check_file`` / ``check_document`` — a draft's ``Result``;
- ``result_json`` / ``to_json`` — the contract §4 object of a result and the JSON text every door
  prints or sends;
- ``draft_files`` — every draft file under folders (sample cases and plain drafts alike);
- ``diff`` — two rule sets over drafts;
- ``opinion`` — a draft's ``Result`` and its 法制审核意见书 (.docx bytes; ``check --format docx``, ``POST /api/v1/opinion``);
- ``document`` — a penalty draft's 行政处罚事先告知书 or 行政处罚决定书 (.docx bytes; ``quanze document``,
  ``POST /api/v1/document/{notice|decision}``);
- ``review_plan`` / ``review`` — a folder reviewed (``quanze review``): the checked options, then the run and its
  reports, returned as a ``ReviewRun`` summary the door prints.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quanze.engine.check.pipeline import (  # noqa: F401  (the entry point's own names)
    Draft,
    check_document,
    read_document,
    read_file,
)
from quanze.engine.check.pipeline import check_file as _check_file
from quanze.engine.load.loader import RuleSet, load_rules
from quanze.engine.model.errors import InputError, Problem, display_path, renamed
from quanze.engine.model.findings import Result
from quanze.engine.present.output import to_json  # noqa: F401  (the JSON text every door sends)

if TYPE_CHECKING:
    from quanze.engine.batch.run import ReviewPlan
    from quanze.engine.batch.run import run_review as review  # noqa: F401  (a lazy name: __getattr__)

    review_plan = ReviewPlan.of


# --- rules -------------------------------------------------------------------------------------


def rules_folder(option: Path | None = None) -> tuple[Path | None, str]:
    """The rules folder to use (None = the shipped rules) and how it was chosen, in words."""
    if option is not None:
        return option, "由 --rules 指定"
    from quanze.engine.model.settings import engine_settings

    env = engine_settings().rules
    if env is not None:
        return env, "由环境变量 QUANZE_RULES 指定"
    return None, "随包发布"


def load(option: Path | None = None) -> tuple[RuleSet, str]:
    """The RuleSet of ``--rules``, else of QUANZE_RULES, else the shipped one, and how it was chosen."""
    path, how = rules_folder(option)
    return load_rules(path), how


def check_file(path: Path | str, rules: RuleSet, label: str | None = None) -> Result:
    """A draft file's ``Result``; for a case file ``quanze read`` wrote, ``read_sources`` says for each finding
    where in the documents the values it rests on were read (an extension, docs/read.md)."""
    result = _check_file(path, rules, label)
    from quanze.engine.present.reading import read_sources

    result.read_sources = read_sources(Path(path), [f.code for f in result.findings], rules)
    return result


# --- output ------------------------------------------------------------------------------------


def result_json(result: Result, explain: bool = False, rules: RuleSet | None = None) -> dict[str, Any]:
    """The contract §4 object of a result; ``explain`` adds the trace (``explanation``) and the reasoning a
    person reads (``reasoning``, engine/present/reasoning.py; ``rules`` gives passing checks their 检查内容 titles)."""
    if not explain:
        return result.dump()
    from quanze.engine.model.explanation import Explanation
    from quanze.engine.present.reasoning import reasoning

    explained = Explanation.of(result.explanation)  # typed once, here: only explain builds the trace
    return result.model_copy(update={"explained": explained, "reasoning": reasoning(result, rules)}).dump()


def opinion(draft: Draft, rules: RuleSet, label: str, template: Path | None = None) -> tuple[Result, bytes]:
    """The Result of a validated draft and its 法制审核意见书 (.docx bytes; a bureau's docxtpl ``template`` when given)."""
    from quanze.engine.check.checker import check
    from quanze.engine.present.opinion import opinion_bytes

    result = check(draft, rules, label)
    return result, opinion_bytes(draft, result, rules, template)


def document(
    kind: str, draft: Draft, rules: RuleSet, label: str, template: Path | None = None
) -> tuple[Result, bytes, list[str]]:
    """The Result of a validated penalty draft, its 告知书 (``notice``) or 决定书 (``decision``) as .docx bytes,
    and what the case file lacked (left blank in the document)."""
    from quanze.engine.check.checker import check
    from quanze.engine.present.documents import document_bytes

    if kind not in ("notice", "decision") or draft.kind != "penalty":
        raise InputError([Problem.at(label, ("kind",), "文书只用于行政处罚案卷：notice 事先告知书、decision 处罚决定书")])
    result = check(draft, rules, label)
    data, blanks = document_bytes(kind, draft, result, rules, template)  # type: ignore[arg-type]
    return result, data, blanks


# --- folders of drafts -------------------------------------------------------------------------


def draft_files(roots: list[Path]) -> tuple[list[Path], list[dict[str, Any]]]:
    """Every draft file under the folders or files given (sample cases and plain drafts alike), in order,
    and the entries of what was skipped (broken links, FIFOs); InputError when a root does not exist."""
    from quanze.engine.batch.review import is_draft_name, walk

    missing = [Problem(str(r), "", "文件或目录不存在") for r in roots if not r.exists()]
    if missing:
        raise InputError(missing)
    files: list[Path] = []
    skipped: list[dict[str, Any]] = []
    for root in roots:
        if root.is_dir():
            found, lost = walk(root)
            files += found
            skipped += lost
        elif is_draft_name(root.name):
            files.append(root)
    return list(dict.fromkeys(files)), skipped


def _skipped_problems(skipped: list[dict[str, Any]]) -> list[Problem]:
    """The skipped entries of a folder walk (review.walk) as problems: the file and its one line."""
    return [p for entry in skipped for p in entry["problems"]]


def diff(base: RuleSet, changed: RuleSet, roots: list[Path]):
    """Every draft under roots checked under both rule sets (a ``DiffReport``); InputError when there is no draft.

    What the folder walk skipped (a link out of the folder, a broken link) is in ``report.skipped``."""
    from quanze.engine.batch.diff import diff_rules

    files, skipped = draft_files(roots)
    if not files:
        raise InputError([Problem("、".join(str(r) for r in roots), "", "没有找到草稿文件（.yaml、.yml 或 .json），无可比较")])
    report = diff_rules(base, changed, files)
    report.skipped = [str(p) for entry in skipped for p in entry["problems"]]
    return report


# --- deadlines (期限预警) -----------------------------------------------------------------------


def day_of(text: str, where: str, field: str = "today") -> Any:
    """A date as officers write it (``2026-08-20``, ``2026年8月20日`` …); InputError naming where it came from.

    The one bound of a day a count starts from (``--today``, ``?today=``): the years a draft's dates may
    carry (drafts.FIRST_YEAR … this year + YEARS_AHEAD), so a count of working days never walks centuries."""
    from quanze.engine.model.drafts import FIRST_YEAR, YEARS_AHEAD, _iso_date

    try:
        day = _iso_date(text)
    except ValueError as exc:
        raise InputError([Problem(where, field, str(exc))]) from None
    last = dt.date.today().year + YEARS_AHEAD
    if not FIRST_YEAR <= day.year <= last:
        raise InputError([Problem(where, field, f"日期 {day} 超出可计算的范围（{FIRST_YEAR} 年至 {last} 年），请核对年份")])
    return day


def deadlines_of(draft: Draft, rules: RuleSet, today: Any) -> dict[str, Any]:
    """``{"today", "deadlines"}`` of a validated draft (``POST /api/v1/deadlines``, ``quanze deadlines``)."""
    from quanze.engine.check.deadlines import deadlines, deadlines_json

    return deadlines_json(deadlines(draft, rules, today), today)


def deadlines_document(raw: Any, rules: RuleSet, label: str, today: Any) -> dict[str, Any]:
    """The deadlines of a parsed draft document (a request body); InputError as ``check_document``."""
    return deadlines_of(read_document(raw, rules, label), rules, today)


def deadlines_files(
    roots: list[Path], rules: RuleSet, today: Any, names: dict[str, str] | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """The deadlines of every draft under the files or folders given: ``{"today", "cases", "closed"}``,
    the open cases (a step not yet taken) sorted by their nearest last day (then file), and the problems of the
    files that could not be read (the others are still listed). ``names`` ({display path: label}) names files as
    people know them (case files read from documents into a temporary folder: their 文号 and documents)."""
    from quanze.engine.check.deadlines import deadlines, nearest
    from quanze.engine.check.stage import stage_json

    files, skipped = draft_files(roots)
    problems = _skipped_problems(skipped)  # a link out of the folder, a broken link, a FIFO: one line each
    if not files:
        raise InputError([*problems, Problem("、".join(str(r) for r in roots), "", "没有找到草稿文件（.yaml、.yml 或 .json）")])
    opened: list[tuple[Any, str, dict[str, Any]]] = []
    closed: list[dict[str, Any]] = []
    for f in files:
        label = (names or {}).get(display_path(f))
        try:
            draft = read_file(f, rules, label)
        except InputError as exc:
            problems.extend(renamed(exc.problems, display_path(f), label) if label else exc.problems)
            continue
        items = deadlines(draft, rules, today)
        entry = {"file": label or str(f), "case_id": draft.case_id, "item": draft.item, "stage": stage_json(draft), "nearest": None}
        entry |= {"pending": [d.step for d in items if d.pending], "deadlines": [d.to_json() for d in items]}
        day = nearest(items)
        if day is None:
            closed.append({k: entry[k] for k in ("file", "case_id", "item", "stage")})
        else:
            entry["nearest"] = day.isoformat()
            opened.append((day, str(f), entry))
    opened.sort(key=lambda row: row[:2])
    return {"today": today.isoformat(), "cases": [e for _, _, e in opened], "closed": closed}, problems


def sample_cases(name: str | None = None) -> dict[str, Any] | None:
    """The shipped sample cases for the form's class mode (engine/batch/cases.py case_catalog); the list is read once."""
    from importlib import resources

    from quanze.engine.batch.cases import case_catalog

    root = Path(str(resources.files("quanze.cases")))
    if name is None:
        global _CASES
        if _CASES is None:
            _CASES = case_catalog(root)
        return _CASES
    return case_catalog(root, name)


_CASES: dict[str, Any] | None = None


def reference(rules: RuleSet) -> dict[str, str]:
    """The generated reference of the rules and the shipped cases: relative path → Markdown (engine/present/reference.py)."""
    from importlib import resources

    from quanze.engine.batch.cases import list_cases
    from quanze.engine.present.reference import pages

    return pages(rules, list_cases(Path(str(resources.files("quanze.cases")))))


def write_reference(rules: RuleSet, out: Path) -> list[Path]:
    """Write the reference into ``out`` (one step, engine/model/safeio.py); a page it wrote before for a code that is
    gone is removed. The paths written."""
    from quanze.engine.model.safeio import write_all
    from quanze.engine.present.reference import HEADER

    made = reference(rules)
    written = write_all([(out / name, text.encode("utf-8")) for name, text in sorted(made.items())])
    for old in sorted((out / "findings").glob("*.md")):
        if f"findings/{old.name}" not in made and old.read_text(encoding="utf-8").startswith(HEADER):
            old.unlink()
    return written


# --- the case register (quanze.register): a submitted text, its open steps, working days -------


def parse_draft_text(text: str, label: str, as_json: bool = False) -> Any:
    """The raw document of a draft's text (YAML, or JSON); InputError on a syntax error or an oversized text."""
    from quanze.engine.model.drafts import parse_text

    return parse_text(text, label, as_json)


def check_draft(draft: Draft, rules: RuleSet, label: str) -> Result:
    """The Result of a draft already validated (``read_document``)."""
    from quanze.engine.check.checker import check

    return check(draft, rules, label)


def problem_line(problem: Problem) -> str:
    """A problem as the one line ``quanze check`` prints for it."""
    from quanze.engine.present.output import problem_text

    return problem_text(problem)


def problems_body(problems: list[Problem]) -> dict[str, Any]:
    """Problems as JSON answers them: each as its record with the officer's ``text``, and the lines ``quanze check``
    prints (``{"problems", "lines"}``)."""
    from quanze.engine.present.output import problem_record, problem_text

    return {"problems": [problem_record(p) for p in problems], "lines": [problem_text(p) for p in problems]}


def open_steps(draft: Draft, rules: RuleSet, today: Any) -> list[dict[str, Any]]:
    """The steps of a validated draft not yet taken, nearest last day first: each ``{"step", "title", "last_day"
    (the earliest possible), "basis"}`` (the register's 下一步 and its 黄牌/红牌)."""
    from quanze.engine.check.deadlines import deadlines

    steps = sorted((d for d in deadlines(draft, rules, today) if d.pending), key=lambda d: d.earliest)
    return [{"step": d.step, "title": d.title, "last_day": d.earliest.isoformat(), "basis": d.basis} for d in steps]


def workdays_until(rules: RuleSet, today: Any, day: Any) -> int:
    """Working days in (today, day] by the rules' calendar (negative when day is earlier; the fewest where uncertain)."""
    from quanze.engine.law.workdays import calendar_from

    return int(calendar_from(rules.calendar, rules.cache).count(today, day))


# --- reading documents (quanze read) -------------------------------------------------------------


def read_documents(paths: list[Path], rules: RuleSet):
    """Every case in the documents (files, folders): (``CaseReading`` list, problems of files not read, lines on
    documents not placed in one case). engine/read/, docs/read.md."""
    from quanze.engine.read.casefile import read_documents as read_all

    return read_all(paths, rules)


def read_upload(name: str, data: bytes, rules: RuleSet):
    """One uploaded document as one ``CaseReading`` (``POST /api/v1/read``); InputError when it cannot be read."""
    from quanze.engine.read.casefile import read_upload as read_one

    return read_one(name, data, rules)


def write_readings(cases: list[Any], out: Path) -> list[Path]:
    """Write each case file and its ``.sources.yaml``: to ``out`` for one case, into the folder ``out`` for several;
    every file staged first (nothing is written when one cannot be). engine/batch/documents.py."""
    from quanze.engine.batch.documents import write_readings as write

    return write(cases, out)


def read_into(paths: list[Path], rules: RuleSet, folder: Path) -> tuple[dict[str, str], list[str]]:
    """The documents under ``paths`` read into case files in ``folder`` (``review --read``, ``deadlines --read``):
    {case file path: how to name it to people (文号 and the documents)}, and the lines on documents not placed.
    InputError when a document cannot be read or there is none."""
    from quanze.engine.batch.documents import read_into as read

    return read(paths, rules, folder)


def temporary_folder() -> Path:
    """A folder for case files read from documents (``deadlines --read``), removed at exit."""
    from quanze.engine.batch.documents import temporary_folder as folder

    return folder()


# --- reviewing a folder (quanze review) ----------------------------------------------------------

# ``review_plan`` (engine/batch/run.py ``ReviewPlan.of``: a review's options, checked, InputError at once) and
# ``review`` (``run_review``: the run and its reports, a ``ReviewRun``) are engine/batch/run.py's own functions,
# imported on first use (``__getattr__``): the other doors never load the review machinery.
_LAZY = {"review_plan": ("ReviewPlan", "of"), "review": ("run_review",)}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from quanze.engine.batch import run

    found: Any = run
    for part in _LAZY[name]:
        found = getattr(found, part)
    return found
