"""Documents read into case files for a run over a folder (``review --read``, ``deadlines --read``): the case files
in a temporary folder, and the results renamed as people know the cases (文号 and documents)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quanze.engine.load.loader import RuleSet
from quanze.engine.model.errors import InputError, Problem, display_path


def write_readings(cases: list[Any], out: Path) -> list[Path]:
    """Write each case file and its ``.sources.yaml``: to ``out`` for one case, into the folder ``out`` for several;
    every file staged first (nothing is written when one cannot be)."""
    from quanze.engine.model.safeio import write_all
    from quanze.engine.present.reading import case_yaml, file_stem, sidecar_of, sources_yaml

    if len(cases) == 1 and not out.is_dir():
        paths = [out if out.suffix else out.with_suffix(".yaml")]
    else:
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / f"{file_stem(c, i)}.yaml" for i, c in enumerate(cases, 1)]
    targets: list[tuple[Path, Any]] = []
    for case, path in zip(cases, paths, strict=True):
        targets += [(path, case_yaml(case).encode("utf-8")), (sidecar_of(path), sources_yaml(case).encode("utf-8"))]
    write_all(targets)
    return paths


def read_into(paths: list[Path], rules: RuleSet, folder: Path) -> tuple[dict[str, str], list[str]]:
    """The documents under ``paths`` read into case files in ``folder``: {case file path: how to name it to people
    (文号 and the documents)}, and the lines on documents not placed. InputError when a document cannot be read
    or there is none."""
    from quanze.engine.read.casefile import read_documents

    cases, problems, unplaced = read_documents(paths, rules)
    if problems:
        raise InputError(problems)
    if not cases:
        raise InputError([Problem("、".join(display_path(str(p)) for p in paths), "", "没有读到任何案件")])
    written = write_readings(cases, folder)
    labels = {}
    for case, path in zip(cases, written, strict=True):
        docs = "、".join(d.text.name for d in case.documents[:6]) + ("等" if len(case.documents) > 6 else "")
        labels[display_path(path)] = f"{case.case_id or '文号未读到'}（读自 {docs}）"
    return labels, unplaced


def temporary_folder() -> Path:
    """A folder for case files read from documents, removed at exit."""
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="quanze-read-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return Path(folder)
