"""Broken rules folders the tests build: every fixture of tests/fixtures/bad_rules (as tests/test_loader.py applies
it), the folders tests/test_loader.py builds, and one broken file (a YAML syntax error) of every kind a cross-check
refers to, alone, together and beside problems that do not follow from it (tests/test_rules_validate_problems.py).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAD_RULES = ROOT / "tests" / "fixtures" / "bad_rules"

Edit = Callable[[Path], None]


def header(path: Path) -> dict[str, str]:
    """The ``# key: value`` lines that head a bad_rules fixture."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        out[key] = value
    return out


def apply(fixture: Path, rules_copy: Path) -> dict[str, str]:
    """Put a fixture into a rules copy: its body as ``target``, or ``sub``/``with`` in ``target``; ``delete`` files."""
    meta = header(fixture)
    for name in meta.get("delete", "").split():
        (rules_copy / name).unlink()
    if "target" in meta:
        target = rules_copy / meta["target"]
        if "sub" in meta:
            old, new = (meta[k].strip('"') for k in ("sub", "with"))
            text = target.read_text(encoding="utf-8")
            assert old in text, old
            target.write_text(text.replace(old, new), encoding="utf-8")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(fixture.read_text(encoding="utf-8"), encoding="utf-8")
    return meta


def broken(*names: str) -> Edit:
    """Files of the folder that no longer parse (a YAML syntax error at their end)."""

    def edit(root: Path) -> None:
        for name in names:
            path = root / name
            path.write_text(path.read_text(encoding="utf-8") + "\n_broken_: [\n", encoding="utf-8")

    return edit


def both(*edits: Edit) -> Edit:
    def edit(root: Path) -> None:
        for one in edits:
            one(root)

    return edit


def fixture(name: str) -> Edit:
    return lambda root: apply(BAD_RULES / f"{name}.yaml", root)


def one_run(root: Path) -> None:
    """tests/test_loader.py test_validate_reports_every_problem_in_one_run."""
    (root / "checks" / "broken.yaml").write_text("kind: penalty\nrules: [\n", encoding="utf-8")
    fixture("unregistered_code")(root)
    fixture("renamed_param")(root)
    catalog = root / "catalog" / "CF-04.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("seq: 4", "seq: x"), encoding="utf-8")


def extra_check(root: Path) -> None:
    """tests/test_loader.py test_validate_json_reports_problems."""
    (root / "checks" / "extra.yaml").write_text("kind: penalty\nfamily: x\nrules: []\n", encoding="utf-8")


CHECK_FILES = ("coercive", "complaint", "evidence", "filing", "inspection", "penalty_procedure", "penalty_substance", "people", "subject")
ONE_BROKEN = (
    "catalog/CF-01.yaml",
    "catalog/CF-04.yaml",
    "catalog/JC-01.yaml",
    "catalog/QT-02.yaml",
    "provisions/xzcf/index.yaml",
    "provisions/jieneng/index.yaml",
    "provisions/xzcf/a28.yaml",
    "provisions/xzcf/a51.yaml",
    "provisions/jieneng/a76.yaml",
    "params/xzcf.yaml",
    "params/xzqz.yaml",
    "inspection/JC-01.yaml",
    "filing/QT-02.yaml",
    "subjects.yaml",
    "elements.yaml",
    "documents.yaml",
    "calendar/statutory-2025.yaml",
    "calendar/xinjiang-2025.yaml",
    "discretion/jieneng.a76.yaml",
    *(f"checks/{name}.yaml" for name in CHECK_FILES),
)


def scenarios() -> dict[str, Edit]:
    """Name -> how a fresh copy of the shipped rules is broken."""
    out: dict[str, Edit] = {f"fixture:{p.stem}": fixture(p.stem) for p in sorted(BAD_RULES.glob("*.yaml"))}
    out["test_loader:one_run"] = one_run
    out["test_loader:extra_check"] = extra_check
    out |= {f"broken:{name}": broken(name) for name in ONE_BROKEN}
    out["broken:every_check_file"] = broken(*(f"checks/{name}.yaml" for name in CHECK_FILES))
    out["broken:all_but_the_cores"] = broken(*ONE_BROKEN)
    # near misses: a file broken beside problems that do not follow from it (each must still be reported)
    out["near:check_file_deleted+catalog"] = both(fixture("check_file_deleted"), broken("catalog/CF-04.yaml"))
    out["near:item_without_checks+subjects"] = both(fixture("item_without_checks"), broken("subjects.yaml"))
    out["near:unregistered_code+check_file"] = both(fixture("unregistered_code"), broken("checks/complaint.yaml"))
    out["near:dangling_provision_ref+law_index"] = both(fixture("dangling_provision_ref"), broken("provisions/jieneng/index.yaml"))
    out["near:renamed_param+params"] = both(fixture("renamed_param"), broken("params/xzqz.yaml"))
    out["near:ref_cycle+other_check_file"] = both(fixture("ref_cycle"), broken("checks/people.yaml"))
    out["near:too_many_range_tests+catalog"] = both(fixture("too_many_range_tests"), broken("catalog/JC-01.yaml"))
    out["near:missing_law_index+provision"] = both(fixture("missing_law_index"), broken("provisions/xzcf/a28.yaml"))
    return out


def problems(rules_copy: Path) -> list[str]:
    """The problems ``quanze rules validate --format json`` reports for a folder (exit 2), or [] (exit 0)."""
    from typer.testing import CliRunner

    from quanze.cli.main import app

    result = CliRunner().invoke(app, ["rules", "validate", str(rules_copy), "--format", "json"])
    assert result.exit_code in (0, 2), result.output
    return json.loads(result.stdout).get("problems", []) if result.exit_code == 2 else []


def fresh_copy(into: Path) -> Path:
    """A writable copy of the shipped rules as ``into/rules`` (problems name files rules/…)."""
    from quanze.engine.load.loader import default_rules_dir

    target = into / "rules"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(default_rules_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    return target
