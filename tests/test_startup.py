"""Start-up pays only for what a command uses: the Chinese click printer is put in place when typer first needs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

QUANZE = str(Path(sys.executable).parent / "quanze")


def _modules_after(code: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.split())


def test_starting_the_cli_loads_no_rich_printer():
    loaded = _modules_after("import quanze.cli.main")
    assert "quanze.cli.main" in loaded
    assert not {"typer.rich_utils", "rich", "markdown_it", "pygments"} & loaded


def test_a_usage_error_is_still_printed_in_chinese():
    proc = subprocess.run([QUANZE, "check", "--nope", "x.yaml"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == ["用法：quanze check [选项] 文件...", "错误：没有此选项：--nope", "帮助：quanze check --help"]


def test_help_keeps_its_chinese_panels():
    proc = subprocess.run([QUANZE, "check", "--help"], capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "100"})
    assert proc.returncode == 0, proc.stderr
    assert "用法：quanze check [选项] 文件..." in proc.stdout
    for words in ("─ 参数 ", "─ 选项 ", "[必填]", "[默认：text]", "显示此帮助并退出。"):
        assert words in proc.stdout


def test_the_printer_is_patched_when_typer_was_imported_first():
    code = "import typer.rich_utils as ru\nimport quanze.cli.main\nassert ru.rich_format_error.__module__ == 'quanze.cli.zh_click'"
    _modules_after(code)


def test_starting_the_cli_leaves_the_collector_on_and_skips_the_plugin_finder():
    """cli/main.py turns the cyclic collector off only while its modules load, and with every pydantic plugin disabled
    does not import pydantic's plugin finder (importlib.metadata)."""
    code = "import os\nos.environ.pop('PYDANTIC_DISABLE_PLUGINS', None)\nimport gc\nimport quanze.cli.main\nassert gc.isenabled()"
    assert "importlib.metadata" not in _modules_after(code)


def test_a_check_ends_without_teardown_yet_with_all_its_output_and_its_status():
    """``check`` and ``explain`` end the process once their output is flushed (cli/main.py ``_exit_now``): the output is
    whole (as the app run in-process writes it) and the status is the command's."""
    import json

    from typer.testing import CliRunner

    from quanze.cli.main import app

    case = str(Path(__file__).resolve().parent.parent / "cases/penalty/CF-04/collective_fine_above_max.yaml")
    for args in (["check", case, "--format", "json"], ["explain", case], ["check", case, "nonexistent.yaml"]):
        proc = subprocess.run([QUANZE, *args], capture_output=True, text=True, timeout=120)
        inside = CliRunner().invoke(app, args)
        assert (proc.returncode, proc.stdout) == (inside.exit_code, inside.stdout), args
    assert json.loads(subprocess.run([QUANZE, "check", case, "--format", "json"], capture_output=True, text=True).stdout)


def test_a_check_imports_nothing_it_does_not_use():
    """One ``check`` (text report) loads no printer, document, web, spreadsheet or HTTP library, nor pydantic-settings,
    nor what the rules cache on a start from it does without: platformdirs (the cache folder is found without it on Linux), the zip
    reader of importlib.resources, pydantic's RootModel (the rule files' models are made only to read YAML)."""
    case = str(Path(__file__).resolve().parent.parent / "cases/penalty/CF-04/lawful_general_tier.yaml")
    code = f"from quanze.cli.main import app\ntry:\n    app(['check', {case!r}])\nexcept SystemExit:\n    pass"
    _modules_after(code)  # the first run may fill the rules cache
    loaded = _modules_after(code)
    never = {"rich", "docx", "docxtpl", "fastapi", "starlette", "uvicorn", "httpx", "openpyxl", "sqlalchemy", "psycopg"}
    never |= {"pydantic_settings"}  # the cache folder is found through engine_settings
    assert not never & loaded
    if sys.platform == "linux" and os.path.isabs(os.environ.get("HOME", "")):
        assert not {"platformdirs", "zipfile", "pydantic.root_model"} & loaded


def test_the_compiled_table_is_read_before_any_library_that_compiles_at_import():
    """cli/main.py reads the table of compiled code (cli/codecache.py) first: reading it, and finding the cache folder
    (engine_settings), import none of the libraries whose dataclasses, forward references and patterns it holds."""
    loaded = _modules_after("from quanze.cli import codecache\ncodecache.install()\nimport dataclasses\nassert 'exec' in vars(dataclasses)")
    assert not {"pydantic", "pydantic_core", "annotated_types", "typer", "yaml", "durable_rules_engine"} & loaded
    assert "pydantic" not in _modules_after("from quanze.engine.model import settings\nsettings.engine_settings().cache_folder()")
