"""Root of the ``quanze`` command: the app assembled from the command modules, nothing else.

Each command lives in its own module with a ``register(app)`` (or a group ``app``); what they share — the
--rules and --format options, loading the rules, the exit-code guard — is ``cli/options.py``.
"""

from __future__ import annotations

import copy
import gc
import os
import sys
from typing import Any, NoReturn

# Start-up (imports, the rules read from the cache) allocates ~10^5 objects that live until the command ends: the
# cyclic collector would walk them again and again (~30 ms of a check). It is off while the modules load, then those
# objects are moved out of its reach (gc.freeze: also skipped by the collection at exit) and it runs as usual.
_COLLECTING = gc.isenabled()
gc.disable()

# quanze uses no pydantic plugins; looking them up scans every installed distribution's entry points
# (~10 ms of a 200 ms command)
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
if os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__" and "pydantic.plugin._loader" not in sys.modules:
    # and even then pydantic imports its plugin finder, whose importlib.metadata costs ~14 ms: with every plugin
    # disabled the finder finds none, so it is stood in for by one that says so without the import
    import types

    _no_plugins = types.ModuleType("pydantic.plugin._loader")
    _no_plugins.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules["pydantic.plugin._loader"] = _no_plugins

# what dataclasses, typing and re compile from text on every start, read compiled (cli/codecache.py; ~35 ms of a check)
from quanze.cli import codecache  # noqa: E402

codecache.install()

import typer  # noqa: E402  (after the stand-in above)

from quanze.cli import cases, checking, deadlines, document, drafting, reading, register, reviewing, rules, server, users, zh_click  # noqa: E402

zh_click.install()



class _App(typer.Typer):
    """The ``quanze`` app; run from the command line (no arguments given to the call), it builds the click form of
    only the command or group the line names (typer builds every command's, ~10 ms of a check); any other line —
    ``--help``, a misspelt command — gets the whole app."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self._run(*args, **kwargs)
        finally:
            if not args and not kwargs:  # from the command line (a test's in-process call stores nothing)
                codecache.save()

    def _run(self, *args: Any, **kwargs: Any) -> Any:
        named = sys.argv[1] if len(sys.argv) > 1 and not args and not kwargs else None
        only = copy.copy(self)
        only.registered_commands = [c for c in self.registered_commands if _name(c) == named]
        only.registered_groups = [g for g in self.registered_groups if g.name == named]
        if not only.registered_commands and not only.registered_groups:
            return super().__call__(*args, **kwargs)
        if only.registered_commands:  # typer runs an app of one command as that command: one more keeps it a group
            only.registered_commands.append(next(c for c in self.registered_commands if _name(c) != named))
        if named not in _LEAVES_NOTHING:
            return typer.Typer.__call__(only, *args, **kwargs)
        try:
            return typer.Typer.__call__(only, *args, **kwargs)
        except SystemExit as done:
            _exit_now(done)


# commands that leave no thread, child process, atexit handler or open file behind: once their output is flushed the
# process ends without the interpreter's teardown, which frees the ~10^5 objects of the engine and its rules one by one
# (~1.4 % of a check's instructions)
_LEAVES_NOTHING = frozenset({"check", "explain"})


def _exit_now(done: SystemExit) -> NoReturn:
    """End the process with the status ``sys.exit`` gives ``done``, its output flushed; a flush that fails (a closed
    pipe) leaves the exit to the interpreter."""
    code = done.code
    try:
        if code is not None and not isinstance(code, int):
            print(code, file=sys.stderr)  # as sys.exit("…") prints it, status 1
        sys.stdout.flush()
        sys.stderr.flush()
        codecache.save()
    except BaseException:
        raise done from None
    os._exit(0 if code is None else code if isinstance(code, int) else 1)


def _name(command: Any) -> str:
    """The name typer gives a registered command (its own rule for a callback's name)."""
    return command.name or typer.main.get_command_name(command.callback.__name__)


app = _App(
    name="quanze",
    help="权责清单规则引擎：在行政处罚决定等文书作出前检查其合法性，并指出追责情形。",
    no_args_is_help=True,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    pretty_exceptions_show_locals=False,  # drafts hold names of people
    add_completion=False,
)

checking.register(app)  # check, explain, diff
reviewing.register(app)  # review
drafting.register(app)  # schema, new
server.register(app)  # serve
deadlines.register(app)  # deadlines
reading.register(app)  # read
document.register(app)  # document (issue 27 §4)
app.add_typer(rules.app, name="rules")
app.add_typer(cases.app, name="cases")
app.add_typer(register.app, name="register")
app.add_typer(users.app, name="users")

gc.freeze()
if _COLLECTING:
    gc.enable()


def main() -> None:  # pragma: no cover - for `python -m quanze.cli`
    """Entry point that never prints a traceback."""
    sys.exit(app())
