"""``quanze cases``: run the sample cases against their expected outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from quanze.cli.main import RulesOption, guarded, load

app = typer.Typer(help="样例案例: 运行并核对预期结论。", no_args_is_help=True)


def default_cases_dir() -> Path:
    """The sample cases shipped inside the package."""
    from importlib import resources

    return Path(str(resources.files("quanze.cases")))


@app.command("run")
def run(
    directory: Annotated[Path | None, typer.Argument(metavar="[DIR]", help="案例目录 (默认 cases/)")] = None,
    rules: RulesOption = None,
) -> None:
    """运行案例: 每个不符合预期的案例一行 (附复现命令), 最后一行 "N passed, N failed"。"""

    def body() -> int:
        from quanze.engine.cases import find_cases, run_case
        from quanze.engine.errors import InputError, Problem

        root = directory or default_cases_dir()
        if not root.exists():
            raise InputError([Problem(str(root), "", "案例目录不存在")])
        ruleset = load(rules)
        passed = failed = 0
        rules_arg = f" --rules {rules}" if rules else ""
        for draft in find_cases(root):
            outcome = run_case(draft, ruleset)
            if outcome.passed:
                passed += 1
                continue
            failed += 1
            typer.echo(f"FAIL {draft}: {'; '.join(outcome.problems)}")
            typer.echo(f"     复现: quanze explain {draft}{rules_arg}")
        typer.echo(f"{passed} passed, {failed} failed")
        return 1 if failed else 0

    guarded(body)
