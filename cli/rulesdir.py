"""Which rules folder a command uses, and saying so.

The folder is chosen by ``engine.api.rules_folder`` (``--rules DIR``, then ``QUANZE_RULES``, then the
rules shipped with the package). It is never picked up from the current directory silently: when the current
directory holds a ``rules/`` folder whose files differ from the folder in use, every command says so
on stderr and how to use it (a reviewer editing a clone's rules must not get the installed ones
unawares, and an unrelated ``rules/`` folder must not change a verdict unasked).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ENV = "QUANZE_RULES"  # named in the notice


def shown(root: Path) -> str:
    """A folder as a reader of the clone can open it: relative to the current directory when inside it."""
    try:
        rel = root.resolve().relative_to(Path.cwd().resolve())
        return f"{rel}/" if str(rel) != "." else "./"
    except ValueError:
        return str(root)


def describe(root: Path, how: str, version: str, shipped: bool = False) -> str:
    """One line naming the rules in use: folder, how it was chosen, version. The shipped rules are named as
    such, never by the folder they were installed in (an install path says nothing to an officer)."""
    if shipped:
        return f"规则：{how}的规则（版本 {version}）"
    return f"规则：{shown(root)}（{how}，版本 {version}）"


def _digest(root: Path) -> str:
    from quanze.engine.load.loader import MAX_RULE_FILE_BYTES
    from quanze.engine.model.safeio import TooLarge, read_limited

    h = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        try:  # bounded as the loader bounds it; a FIFO is never opened
            data = read_limited(path, MAX_RULE_FILE_BYTES) if path.is_file() else b"(not a file)"
        except (OSError, TooLarge):
            data = b"(unreadable)"
        h.update(str(path.relative_to(root)).encode() + b"\0" + data)
    return h.hexdigest()


def local_rules_notice(used: Path) -> str | None:
    """A notice when ./rules differs from the folder in use (None when absent, the same, or equal)."""
    local = Path.cwd() / "rules"
    if not (local / "findings.yaml").is_file():
        return None
    try:
        if local.resolve() == used.resolve() or _digest(local) == _digest(used):
            return None
    except OSError:
        return None
    return (
        f"注意：当前目录下的 rules/ 与本次使用的规则（{shown(used)}）不同，本次未使用它。"
        f"要使用它，请加 --rules rules，或设置环境变量 {ENV}=rules。"
    )
