"""Cases in and out of the register as plain files: ``quanze register import DIR`` and ``export DIR``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quanze.engine import api
from quanze.register.assess import assess
from quanze.register.store import Register

UNSAFE = '/\\:*?"<>|'


@dataclass
class Imported:
    added: list[str] = field(default_factory=list)  # case numbers saved as a new version
    same: list[str] = field(default_factory=list)  # already held with the same text
    invalid: list[str] = field(default_factory=list)  # stored with their problems
    problems: list[Any] = field(default_factory=list)  # files that could not be read at all


def import_folder(register: Register, roots: list[Path], rules: Any, who: str, today: dt.date | None = None,
                  progress: Callable[[int, int], None] | None = None) -> Imported:
    """Every case file under roots saved as a version of its case (by case number); a file whose text one of
    the case's versions already holds is skipped, so importing twice adds nothing."""
    files, _skipped = api.draft_files(roots)
    out = Imported()
    today = today or dt.date.today()
    for i, path in enumerate(files, 1):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            why = "不是 UTF-8 编码的文本" if isinstance(exc, UnicodeDecodeError) else f"无法读取（{exc.strerror or exc}）"
            out.problems.append(api.Problem(str(path), "", why))
            continue
        media = "json" if path.suffix.lower() == ".json" else "yaml"
        a = assess(text, media, rules, path.name, today)
        if register.holds(a.case_id, text):
            out.same.append(a.case_id)
        else:
            register.save(a, text, media, who)
            out.added.append(a.case_id)
            if not a.valid:
                out.invalid.append(a.case_id)
        if progress:
            progress(i, len(files))
    return out


def file_name(case_id: str, media: str, taken: set[str]) -> str:
    """A file name for a case number: no path separators or hidden characters, unique in the folder."""
    stem = "".join("_" if c in UNSAFE or not c.isprintable() else c for c in case_id).strip(". ") or "case"
    stem = stem[:120]
    name, n = f"{stem}.{media}", 1
    while name.lower() in taken:
        n += 1
        name = f"{stem}-{n}.{media}"
    taken.add(name.lower())
    return name


def export_folder(register: Register, folder: Path) -> list[Path]:
    """Every case's latest version as a plain case file in folder (created when missing); the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    taken = {p.name.lower() for p in folder.iterdir()}
    written = []
    for head in register.heads():
        path = folder / file_name(head["case_id"], "json" if head["media"] == "json" else "yaml", taken)
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(head["text"], encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written
