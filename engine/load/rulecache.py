"""The on-disk cache of validated rules and of compiled rulesets: pickles, signed, read only when safely ours.

Validated rules are stored as the objects they are (a pickle: no re-validation on load, ~7 ms instead of
~35 ms for the same content as JSON validated into the models), keyed by the rules' bytes and the code
(engine/load/loader.py ``load_rules``). Unpickling runs code, so an entry is read only when every one of
these holds, and otherwise ignored and rebuilt:

- it is in the user's own 0700 cache folder (``cache_folder``), a regular file (not a link), owned by
  the user and writable by no one else;
- its HMAC-SHA256 (the first bytes of the file) is right under a random key kept in the same folder
  (``hmac.key``, 0600, the user's own): an entry copied from another machine, another user or a backup
  made with another key is never unpickled, whatever its name says;
- the key stored inside it is the key asked for.

A compiled ruleset (engine/lang/compile.py) is stored the same way, one file per combination it was
compiled for, beside the rules it was compiled from (``CompiledStore``): a command that checks one draft
reads the one ruleset it needs instead of compiling it. Its name is made from its content on reading, so two
different rulesets never share a name in one process (what checker.py keeps per name; durable-rules itself is given
one ruleset per distinct definition, engine/lang/evaluate.py). The 法定节假日
a 放假办法 text gives for a year the packaged calendar lacks (lunar dates, engine/law/workdays.py) are kept the
same way, so a command does not import the lunar calendar to count days it counted before.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import stat
from pathlib import Path
from typing import Any

MAGIC = b"QZP1"
_TAG = 32  # bytes of HMAC-SHA256
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_KEYS: dict[str, bytes] = {}  # folder -> its HMAC key, once read


def cache_folder() -> Path | None:
    """The cache folder (created 0700), or None when off (QUANZE_NO_CACHE=1) or not safely ours."""
    from quanze.engine.model.settings import engine_settings

    config = engine_settings()
    if config.no_cache:
        return None
    folder = config.cache_folder()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.lstat()
        if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            return None  # a symlink or someone else's folder: never read from it, never write to it
        if st.st_mode & 0o077:
            os.chmod(folder, 0o700)
    except OSError:
        return None
    return folder


def _private(fd: int, owner_only: bool = False) -> bool:
    """Whether an open file is a regular file of this user that no one else may write (or, owner_only, read)."""
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_mode & (0o077 if owner_only else 0o022):
        return False
    return not (hasattr(os, "getuid") and st.st_uid != os.getuid())


def hmac_key(folder: Path) -> bytes | None:
    """The folder's signing key (made on first use, 0600); None when it is not safely the user's own."""
    cached = _KEYS.get(str(folder))
    if cached is not None:
        return cached
    path = folder / "hmac.key"
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        return _new_key(path, folder)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        key = fh.read(64) if _private(fh.fileno(), owner_only=True) else b""
    if len(key) != 32:
        return _new_key(path, folder)  # someone else's, loose or damaged: a new key (every entry is rebuilt)
    _KEYS[str(folder)] = key
    return key


def _new_key(path: Path, folder: Path) -> bytes | None:
    key = secrets.token_bytes(32)
    tmp = path.with_name(f"hmac.key.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return None
    _KEYS[str(folder)] = key
    return key


def read_entry(path: Path, key: str) -> Any:
    """The object stored under ``key`` at path, or None when absent, not safely ours, unsigned, corrupt or of another key."""
    secret = hmac_key(path.parent)
    if secret is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            if not _private(fh.fileno()):
                return None  # writable by others, or not ours: anyone could have put rules in it
            data = fh.read()
    except OSError:
        return None
    tag, body = data[len(MAGIC) : len(MAGIC) + _TAG], data[len(MAGIC) + _TAG :]
    if not data.startswith(MAGIC) or not hmac.compare_digest(tag, hmac.new(secret, MAGIC + body, hashlib.sha256).digest()):
        return None  # not written here with this folder's key: never unpickled
    try:
        stored_key, value = pickle.loads(body)
    except Exception:  # signed by us yet unreadable (a module renamed since): rebuilt by the caller
        return None
    return value if stored_key == key else None


def write_entry(path: Path, key: str, value: Any) -> None:
    """Store an object under ``key`` (owner-only, signed, written whole then renamed); nothing when the cache cannot be written."""
    secret = hmac_key(path.parent)
    if secret is None:
        return
    body = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + hmac.new(secret, MAGIC + body, hashlib.sha256).digest() + body)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()  # no writable cache: compiled or loaded every time


_COMPILED_KINDS = ("penalty", "inspection", "filing", "complaint", "grounds")
_DAYS = "statutory_days"  # the 法定节假日 of a year computed from a 放假办法 text (engine/law/workdays.py): a list


class CompiledStore(dict):
    """``RuleSet.cache`` backed by the disk for compiled rulesets: a miss of ``stored`` is looked up in the cache folder,
    a new ruleset stored there. Other entries (the facts each rule tests, resolved conditions) stay in memory."""

    def __init__(self, folder: Path, key: str) -> None:
        super().__init__()
        self.folder = folder
        self.key = key

    def _path(self, k: tuple) -> Path:
        digest = hashlib.sha256(f"{self.key}\0{k!r}".encode()).hexdigest()[:32]
        return self.folder / f"compiled-{digest}.pickle"

    @staticmethod
    def _compiled(k: Any) -> bool:
        return isinstance(k, tuple) and bool(k) and k[0] in _COMPILED_KINDS

    @classmethod
    def _stored(cls, k: Any) -> bool:
        return cls._compiled(k) or (isinstance(k, tuple) and bool(k) and k[0] == _DAYS)

    # ``get`` is dict's own (in C): the per-rules entries a check looks up ~20 times a draft never go to disk
    def stored(self, k: Any, default: Any = None) -> Any:
        """``get`` for a compiled ruleset or computed days: a miss is looked up in the cache folder (``stored_get``)."""
        found = super().get(k)
        if found is not None or not self._stored(k):
            return default if found is None else found
        from quanze.engine.lang.compile import CompiledRuleset

        stored = read_entry(self._path(k), f"{self.key}\0{k!r}")
        if not self._compiled(k):  # computed days
            if not isinstance(stored, list):
                return default
            super().__setitem__(k, stored)
            return stored
        if not isinstance(stored, CompiledRuleset):
            return default
        # its name is of its key (compile._name), as the one compiled in this process would be: kept as stored
        super().__setitem__(k, stored)
        return stored

    def __setitem__(self, k: Any, value: Any) -> None:
        super().__setitem__(k, value)
        if self._compiled(k):
            from quanze.engine.lang.compile import CompiledRuleset

            if isinstance(value, CompiledRuleset):
                write_entry(self._path(k), f"{self.key}\0{k!r}", value)
        elif self._stored(k) and isinstance(value, list):
            write_entry(self._path(k), f"{self.key}\0{k!r}", value)

    def __reduce__(self):  # pickled (review's spawn workers) as a plain dict of what it holds
        return (dict, (dict(self),))
