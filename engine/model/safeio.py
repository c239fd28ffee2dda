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
``new=True`` (``quanze new --out``, ``cases new``) also refuses any existing name, a dangling link
included, and puts the file in place with ``link(2)``, which never follows or replaces a name.

A SIGTERM or SIGHUP while a file is staged removes the temporary file before the process ends
(the default action would leave a hidden ``.tmp`` beside the report).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import stat
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from quanze.engine.model.errors import InputError, Problem, display_path

Content = bytes | Callable[[BinaryIO], None]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _refuse(path: Path, why: str, field: str) -> InputError:
    return InputError([Problem(display_path(path), field, why)])


def os_reason(exc: OSError, writing: bool = True) -> str:
    """An OS error on a file in Chinese, a missing permission named as a write or a read problem."""
    import errno

    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有写入权限" if writing else "没有读取权限"
    from quanze.engine.model.text import os_words

    return os_words(exc.strerror or str(exc))


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


def _exists(path: Path) -> bool:
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return True


def check_target(path: Path, field: str = "--out", new: bool = False) -> None:
    """Create the target's folder if needed and refuse an unsafe target (InputError); nothing is written.

    ``new``: any existing name is refused too (a dangling symlink included)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _refuse(path, f"无法写入：{os_reason(exc)}", field) from None
    if new and _exists(path):
        raise _refuse(path, "文件已存在（或是一个符号链接），未覆盖", field)
    why = unsafe_reason(path)
    if why:
        raise _refuse(path, why, field)


_staged: set[str] = set()  # temporary files of this process not yet renamed or removed
_previous: dict[int, object] = {}
_TERM_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


def _on_signal(signum: int, frame: object) -> None:
    """Remove every staged file, then end as the signal would have (or as the previous handler does)."""
    for tmp in list(_staged):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _staged.clear()
    previous = _previous.get(signum, signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _track(tmp: Path) -> None:
    if not _staged and threading.current_thread() is threading.main_thread():
        for sig in _TERM_SIGNALS:
            with contextlib.suppress(ValueError, OSError):
                current = signal.getsignal(sig)
                if current is not signal.SIG_IGN and current is not _on_signal:
                    _previous[sig] = current
                    signal.signal(sig, _on_signal)
    _staged.add(str(tmp))


def _untrack(tmp: Path) -> None:
    _staged.discard(str(tmp))
    if not _staged and threading.current_thread() is threading.main_thread():
        for sig, previous in list(_previous.items()):
            with contextlib.suppress(ValueError, OSError, TypeError):
                if signal.getsignal(sig) is _on_signal:
                    signal.signal(sig, previous)  # type: ignore[arg-type]
            _previous.pop(sig, None)


def _stage(path: Path, content: Content) -> Path:
    """Write content to a new temporary file beside path (exclusive create, no link followed, fsync)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    _track(tmp)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o666)
    except BaseException:
        _untrack(tmp)
        raise
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
        _untrack(tmp)
        raise
    return tmp


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be opened or synced
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _place(tmp: Path, path: Path, new: bool, field: str) -> None:
    """Rename tmp over path; a new file is linked instead, so an existing name (a planted link) fails."""
    if not new:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise _refuse(path, "文件已存在（或是一个符号链接），未覆盖", field) from None
    except OSError:  # a file system without hard links: checked just before, renamed
        if _exists(path):
            raise _refuse(path, "文件已存在（或是一个符号链接），未覆盖", field) from None
        os.replace(tmp, path)


def write_all(targets: Sequence[tuple[Path, Content]], field: str = "--out", new: bool = False) -> list[Path]:
    """Write several files as one step: every one staged (and checked) first, then each renamed into place.

    A failure before the renames leaves every previous file as it was. The renames follow one
    another at once; a reader that must know the files belong together checks a marker one of them
    carries about the other (review's HTML names the SHA-256 of its JSONL). ``new``: refuse existing
    names (nothing is replaced). An OS error (no permission, disk full) is an InputError in Chinese.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, content in targets:
            check_target(path, field, new)
            try:
                staged.append((_stage(path, content), path))
            except OSError as exc:
                raise _refuse(path, f"无法写入：{os_reason(exc)}", field) from None
        for path, _content in targets:  # checked again just before the rename: a link planted meanwhile
            why = unsafe_reason(path)
            if why:
                raise _refuse(path, why, field)
        for tmp, path in staged:
            _place(tmp, path, new, field)
    finally:
        for tmp, _path in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)  # only what was not renamed (or was linked) is still there
            _untrack(tmp)
    for folder in dict.fromkeys(path.parent for _tmp, path in staged):
        _sync_folder(folder)
    return [path for path, _content in targets]


class TooLarge(Exception):
    """A file larger than the bound its reader set (``read_limited``)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(size)
        self.size = size
        self.limit = limit

    def reason(self) -> str:
        """Why it was not read, in Chinese."""
        return f"文件大小 {self.size} 字节，超过上限 {self.limit} 字节，拒绝读取"


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a file of at most ``limit`` bytes: the size is checked before reading (a link to a 1 GiB
    sparse file is never read) and the read itself stops past the bound (a file that grows meanwhile)."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise TooLarge(size, limit)
        data = fh.read(size + 1)  # a buffer the file's size, not the bound's (229 rule files: ~5 ms of every command)
        if len(data) > size:  # it grew since: read on to the bound
            data += fh.read(limit + 1 - len(data))
    if len(data) > limit:
        raise TooLarge(len(data), limit)
    return data


def write_atomic(path: Path, content: Content, field: str = "--out", new: bool = False) -> Path:
    """Write bytes (or what ``content(fh)`` writes) to path atomically and safely; return the path.

    The one way quanze writes a file a user named (every ``--out``); ``new`` refuses an existing name."""
    return write_all([(path, content)], field, new)[0]
