"""Safe output files: never through a planted symlink, never into another user's file, never half written.

Every report quanze writes (review's .jsonl and .html, the docx 法制审核意见书) goes through
``write_atomic``: the bytes go to a temporary file created exclusively (``O_CREAT|O_EXCL|O_NOFOLLOW``)
in the target's own folder, are flushed to disk (fsync), and the file is renamed over the target
(``os.replace``, atomic on one file system). A reader sees the previous file or the new one, never a
truncated one, and a rename replaces a symlink itself instead of writing where it points.

Refused with a Chinese reason (``InputError`` naming the path and ``--out``), before anything is
written: a target that is a symlink, a target that is not a regular file or is owned by another
user, and a folder owned by another user (who could replace or read the report). Root-owned folders
and folders with the sticky bit (such as /tmp) are fine: there others cannot rename our files.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from quanze.engine.model.errors import InputError, Problem, display_path

Content = bytes | Callable[[BinaryIO], None]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _refuse(path: Path, why: str, field: str) -> InputError:
    return InputError([Problem(display_path(path), field, why)])


def _uid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else -1


def unsafe_reason(path: Path) -> str | None:
    """Why writing ``path`` is refused (Chinese), or None when it is safe to replace or create."""
    uid = _uid()
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        return f"无法检查报告路径：{exc.strerror or exc}"
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            return "报告路径是一个符号链接，拒绝写入：他人可能借此改写或读取报告，请删除该链接或换一个路径"
        if not stat.S_ISREG(info.st_mode):
            return "报告路径已存在且不是普通文件，拒绝写入"
        if uid >= 0 and info.st_uid != uid:
            return f"报告路径已存在且属于其他用户（uid {info.st_uid}），拒绝覆盖：请换一个路径"
    try:
        folder = os.stat(path.parent)  # the folder itself may be reached through links the user made
    except OSError as exc:
        return f"报告所在目录无法访问：{exc.strerror or exc}"
    if uid >= 0 and folder.st_uid not in (uid, 0) and not folder.st_mode & stat.S_ISVTX:
        return f"报告所在目录属于其他用户（uid {folder.st_uid}），其他用户可以替换其中的报告，拒绝写入：请换一个目录"
    return None


def check_target(path: Path, field: str = "--out") -> None:
    """Create the target's folder if needed and refuse an unsafe target (InputError); nothing is written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _refuse(path, f"报告无法写入：{exc.strerror or exc}", field) from None
    why = unsafe_reason(path)
    if why:
        raise _refuse(path, why, field)


def _stage(path: Path, content: Content) -> Path:
    """Write content to a new temporary file beside path (exclusive create, no link followed, fsync)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(content):
                content(fh)
            else:
                fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be opened or synced
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_all(targets: Sequence[tuple[Path, Content]], field: str = "--out") -> list[Path]:
    """Write several files as one step: every one staged (and checked) first, then each renamed into place.

    A failure before the renames leaves every previous file as it was. The renames follow one
    another at once; a reader that must know the files belong together checks a marker one of them
    carries about the other (review's HTML names the SHA-256 of its JSONL).
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, content in targets:
            check_target(path, field)
            staged.append((_stage(path, content), path))
        for path, _content in targets:  # checked again just before the rename: a link planted meanwhile
            why = unsafe_reason(path)
            if why:
                raise _refuse(path, why, field)
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _path in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)  # only what was not renamed is still there
    for folder in dict.fromkeys(path.parent for _tmp, path in staged):
        _sync_folder(folder)
    return [path for path, _content in targets]


def write_atomic(path: Path, content: Content, field: str = "--out") -> Path:
    """Write bytes (or what ``content(fh)`` writes) to path atomically and safely; return the path."""
    return write_all([(path, content)], field)[0]
