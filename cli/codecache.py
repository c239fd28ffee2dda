"""What Python compiles from text on every start of the command, kept compiled in the rules cache folder.

``dataclasses`` writes the source of each method of each dataclass (``__init__``, ``__repr__``, ``__eq__``, …) and
compiles it, ``typing`` compiles every string a ``ForwardRef`` wraps (pydantic-core declares ~700 TypedDict fields as
strings), and ``re`` parses each pattern into the program its engine runs (the CJK classes of the typesetting, the
draft's date forms, gettext's and PyYAML's patterns): ~1 300 texts, ~18 % of a ``check``'s CPU. ``install()`` gives
those modules an ``exec`` / ``compile`` / pattern compiler that takes what a text compiles to from a table read from
the cache and compiles a text it lacks as they would (neither ``dataclasses`` nor ``typing`` has a ``__future__``
import, so their calls inherit no compiler flags; the table's are compiled with none; a pattern's program is made by
``re``'s own parser and code generator); ``save()`` stores the table when this run compiled a text it lacked.

What is read from the table is run, so it is kept as the rules are (engine/load/rulecache.py: the user's own 0700
folder, an owner-only file signed with the folder's HMAC key, a key inside it), under a key of this Python's version,
bytecode magic and optimisation level. Without a usable cache folder (QUANZE_NO_CACHE=1, not the user's own) nothing
is put in place. It holds texts of the code (quanze's and its libraries'), never of a draft: nothing compiles text
made from what a draft says (tests/test_codecache.py looks for a draft's names in it).
"""

from __future__ import annotations  # every compile here is dont_inherit: the flags are never this module's

import _sre
import builtins
import hashlib
import importlib.util
import marshal
import re
import sys
import warnings
from pathlib import Path
from typing import Any

SOURCE = "<string>"  # the file name both modules compile under
LAYOUT = 1  # of the table's keys and values; in its key, so a table of another layout is never read
MAX_TEXTS = 8192  # a table that would outgrow it is written with this run's texts alone (code edited many times)

_compile_regex = re._compiler.compile  # type: ignore[attr-defined]

_table: dict[tuple, Any] = {}  # (mode, text) -> code object; ("re", pattern, flags) -> the arguments of _sre.compile
_used: set[tuple] = set()
_entry: list[tuple[Path, str]] = []  # where the table is read and written, and its key, once installed
_compiled: list[bool] = []  # a text was compiled in this run


def _code(text: str, mode: str) -> Any:
    key = (mode, text)
    code = _table.get(key)
    if code is None:
        code = _table[key] = builtins.compile(text, SOURCE, mode, dont_inherit=True)
        _compiled.append(True)
    _used.add(key)
    return code


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    """``exec`` as ``dataclasses._create_fn`` calls it."""
    if globals is None:  # exec's own default: the caller's namespaces
        frame = sys._getframe(1)
        globals = frame.f_globals
        if locals is None:
            locals = frame.f_locals
    builtins.exec(_code(source, "exec") if type(source) is str else source, globals, locals)


def _compile(source: Any, filename: Any, mode: str, flags: int = 0, dont_inherit: bool = False, optimize: int = -1) -> Any:
    """``compile`` as ``typing.ForwardRef`` calls it (a SyntaxError raised as compile raises it)."""
    if type(source) is str and filename == SOURCE and flags == 0 and optimize == -1:
        return _code(source, mode)
    return builtins.compile(source, filename, mode, flags, True, optimize)


def entry(folder: Path) -> tuple[Path, str]:
    """The table's file in a cache folder and the key it is stored under (its layout; this Python's version, bytecode, -O)."""
    key = f"code\0{LAYOUT}\0{sys.version}\0{importlib.util.MAGIC_NUMBER.hex()}\0{sys.flags.optimize}"
    return folder / f"code-{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle", key


def _regex(pattern: Any, flags: int = 0) -> Any:
    """``re._compiler.compile`` for a pattern given as text: the program its parser and code generator make, kept."""
    if type(pattern) not in (str, bytes) or flags & re.DEBUG:
        return _compile_regex(pattern, flags)
    flags = int(flags)  # re.compile gives an int; a RegexFlag kept would not be stored
    key = ("re", pattern, flags)
    program = _table.get(key)
    if program is None:
        compiled = _compile_regex(pattern, flags)  # re.error and the parser's warnings as ever
        with warnings.catch_warnings(record=True) as warned:  # once per new pattern (it swaps the filters process-wide)
            warnings.simplefilter("always")
            program = _program(pattern, flags)
        if warned:
            return compiled  # a pattern that warns is compiled (and warns) every time
        _table[key] = program
        _compiled.append(True)
    _used.add(key)
    return _sre.compile(pattern, *program)


def _program(pattern: str | bytes, flags: int) -> tuple:
    """The arguments ``re._compiler.compile`` gives ``_sre.compile`` after the pattern (its own steps)."""
    parsed = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
    code = re._compiler._code(parsed, flags)  # type: ignore[attr-defined]
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    # the code's opcodes are int subclasses (named constants): kept as the ints _sre reads
    return (flags | parsed.state.flags, [int(word) for word in code], parsed.state.groups - 1, dict(groupindex), tuple(indexgroup))


def install() -> None:
    """Read the table from the cache folder and put the look-up in ``dataclasses``, ``typing`` and ``re`` (once)."""
    if _entry:
        return
    from quanze.engine.load.rulecache import cache_folder, read_entry

    folder = cache_folder()
    if folder is None:
        return
    path, key = entry(folder)
    try:
        table = marshal.loads(read_entry(path, key) or marshal.dumps({}))
    except (EOFError, ValueError, TypeError):
        table = {}  # signed yet unreadable: compiled again and rewritten
    if isinstance(table, dict):
        _table.update(table)
    _entry.append((path, key))
    import dataclasses
    import typing

    dataclasses.exec = _exec  # type: ignore[attr-defined]  (a module global shadows the builtin)
    typing.compile = _compile  # type: ignore[attr-defined]
    re._compiler.compile = _regex  # type: ignore[attr-defined]  (what re.compile calls for a pattern not in its memo)


def save() -> None:
    """Store the table when this run compiled a text it lacked (its own texts alone when it grew too large)."""
    if not _entry or not _compiled:
        return
    from quanze.engine.load.rulecache import write_entry

    table = _table if len(_table) <= MAX_TEXTS else {k: _table[k] for k in _used}
    path, key = _entry[0]
    try:
        data = marshal.dumps(table)
    except ValueError:  # never: code objects and the ints, texts, dicts and tuples of regular expressions' programs
        return
    write_entry(path, key, data)
    _compiled.clear()
