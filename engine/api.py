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
- ``diff`` — two rule sets over drafts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quanze.engine.errors import InputError, Problem
from quanze.engine.findings import Result
from quanze.engine.loader import RuleSet, load_rules
from quanze.engine.pipeline import (  # noqa: F401  (the entry point's own names)
    Draft,
    check_document,
    check_file,
    read_document,
    read_file,
)
from quanze.engine.present import to_json  # noqa: F401  (the JSON text every door sends)

# --- rules -------------------------------------------------------------------------------------


def rules_folder(option: Path | None = None) -> tuple[Path | None, str]:
    """The rules folder to use (None = the shipped rules) and how it was chosen, in words."""
    if option is not None:
        return option, "由 --rules 指定"
    from quanze.engine.settings import settings

    env = settings().rules
    if env is not None:
        return env, "由环境变量 QUANZE_RULES 指定"
    return None, "随包发布"


def load(option: Path | None = None) -> tuple[RuleSet, str]:
    """The RuleSet of ``--rules``, else of QUANZE_RULES, else the shipped one, and how it was chosen."""
    path, how = rules_folder(option)
    return load_rules(path), how


# --- output ------------------------------------------------------------------------------------


def result_json(result: Result, explain: bool = False) -> dict[str, Any]:
    """The contract §4 object of a result; ``explain`` adds the reasoning (``quanze explain``)."""
    out = result.to_json()
    if explain:
        out["explanation"] = result.explanation
    return out


# --- folders of drafts -------------------------------------------------------------------------


def draft_files(roots: list[Path]) -> tuple[list[Path], list[dict[str, Any]]]:
    """Every draft file under the folders or files given (sample cases and plain drafts alike), in order,
    and the entries of what was skipped (broken links, FIFOs); InputError when a root does not exist."""
    from quanze.engine.review import is_draft_name, walk

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


def diff(base: RuleSet, changed: RuleSet, roots: list[Path]):
    """Every draft under roots checked under both rule sets (a ``DiffReport``); InputError when there is no draft."""
    from quanze.engine.diff import diff_rules

    files, _skipped = draft_files(roots)
    if not files:
        raise InputError([Problem("、".join(str(r) for r in roots), "", "没有找到草稿文件（.yaml、.yml 或 .json），无可比较")])
    return diff_rules(base, changed, files)


def sample_cases(name: str | None = None) -> dict[str, Any] | None:
    """The shipped sample cases for the form's class mode (engine/cases.py case_catalog); the list is read once."""
    from importlib import resources

    from quanze.engine.cases import case_catalog

    root = Path(str(resources.files("quanze.cases")))
    if name is None:
        global _CASES
        if _CASES is None:
            _CASES = case_catalog(root)
        return _CASES
    return case_catalog(root, name)


_CASES: dict[str, Any] | None = None
