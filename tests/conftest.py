"""Shared fixtures: the shipped rules loaded once, a CLI runner, a writable copy of the rules."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quanze.engine.load.loader import RuleSet, default_rules_dir, load_rules

REPO = Path(__file__).resolve().parent.parent
# A rules cache of this test session only (subprocesses inherit it): the first load reads and self-tests the
# rules, later loads (in-process or in a `quanze` subprocess) reuse them; test_cache.py tests the cache itself.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="quanze-test-cache-")
# the case register's default SQLite file (user data folder) of this session only, for every `quanze serve` started
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="quanze-test-data-")
for _name in ("QUANZE_NO_CACHE", "QUANZE_CACHE_DIR", "QUANZE_RULES", "QUANZE_DATABASE_URL"):
    os.environ.pop(_name, None)
CASES = REPO / "cases"


def pytest_configure(config) -> None:
    """Refuse to test stale code: the installed quanze must be this work tree's (``pip install -e ".[test]"``),
    or a plain install whose files are byte for byte the work tree's (CI installs a fresh clone)."""
    import quanze.cli
    import quanze.engine
    import quanze.register
    import quanze.web

    stale = []
    for package, folder in ((quanze.engine, "engine"), (quanze.cli, "cli"), (quanze.web, "web"), (quanze.register, "register")):
        installed = Path(package.__path__[0]).resolve()
        if installed == (REPO / folder).resolve():
            continue
        for source in sorted((REPO / folder).rglob("*.py")):
            copy = installed / source.relative_to(REPO / folder)
            if not copy.is_file() or copy.read_bytes() != source.read_bytes():
                stale.append(f"{folder}/{source.relative_to(REPO / folder)}")
    if stale:
        raise pytest.UsageError(
            f"the installed quanze ({Path(quanze.engine.__path__[0]).parent}) is not this work tree: {len(stale)} files differ "
            f'({", ".join(stale[:5])}…); run pip install -e ".[test]" in {REPO}'
        )


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    """The rules shipped with the package."""
    return load_rules()


def _plain_environment(session_cache: str | None) -> bool:
    """No test has changed where or whether the rules cache is used (a CliRunner env or monkeypatch)."""
    return (
        os.environ.get("XDG_CACHE_HOME") == session_cache and "QUANZE_NO_CACHE" not in os.environ and "QUANZE_CACHE_DIR" not in os.environ
    )


@pytest.fixture(scope="session", autouse=True)
def shared_rules(rules: RuleSet):
    """In-process doors (CliRunner, the web TestClient) asking ``engine.api.load`` for the shipped rules get the session's
    RuleSet instead of re-reading and hashing the 200 rule files on each command (~8 ms, hundreds of times); any other
    folder, a changed cache setting and every subprocess load the rules as users do (test_loader, test_cache)."""
    from quanze.engine import api

    real = api.load_rules
    session_cache = os.environ.get("XDG_CACHE_HOME")  # this module may run twice (importlib mode): the cache now in use

    def load_rules_shared(root=None, **options):
        return rules if root is None and not options and _plain_environment(session_cache) else real(root, **options)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(api, "load_rules", load_rules_shared)
        yield rules


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner with a wide terminal and stderr kept apart."""
    return CliRunner(env={"COLUMNS": "200"})


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped rules folder."""
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    return target


# --- a real server and the system Chromium (the browser tests) ----------------------------------------
CHROMIUM = os.environ.get("QUANZE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"浏览器测试需要 Chromium：apt-get install chromium（未找到 {CHROMIUM}，或设置 QUANZE_CHROMIUM）"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``quanze serve`` as its own process on a free loopback port (tests/test_server_process.serving); its URL."""
    from test_server_process import QUANZE, serving

    if QUANZE is None:
        pytest.skip("quanze entry point not installed")
    with serving(tmp_path_factory.mktemp("serve")) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """The system Chromium driven by Playwright (no browser download), one per test module."""
    sync_api = pytest.importorskip("playwright.sync_api", reason='需要 playwright：pip install ".[test]"（浏览器用系统的 Chromium）')
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def form_page(context, server: str, timeout_ms: int = 60_000):
    """A page of the form in a browser context, loaded and ready; the page's script errors collect in ``page.errors``.
    (The context needs ``bypass_csp=True`` for string waits: the page's CSP forbids eval, test_form_csp_browser.py.)"""
    pg = context.new_page()
    pg.set_default_timeout(timeout_ms)  # the machine is shared: generous, never a timing assertion
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(server + "/")
    pg.wait_for_selector("body[data-ready='1']")
    return pg


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """``quanze review cases/ --out`` once per module: the JSONL entries, the HTML page and the terminal summary."""
    import json

    from quanze.cli.main import app

    out = tmp_path_factory.mktemp("review") / "评查"
    result = CliRunner().invoke(app, ["review", str(CASES), "--out", str(out)])
    assert result.exit_code in (1, 2), result.output
    entries = [json.loads(line) for line in out.with_name("评查.jsonl").read_text(encoding="utf-8").splitlines()]
    return entries, out.with_name("评查.html"), result.stdout
