"""Reading the files of one rules folder strictly: each validated against its model, every problem kept with
its file and line (``engine/load/loader.py`` reads a folder with it, ``engine/load/rulechecks.py`` reports with it)."""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from quanze.engine.model.errors import Problem, describe
from quanze.engine.model.safeio import TooLarge, read_limited
from quanze.engine.model.yamlio import TOO_MANY_DIGITS, YamlProblem, line_of, load_yaml

MAX_RULE_FILE_BYTES = 1024 * 1024  # one rules file (the largest shipped is about 30 KB); checked before reading


class Reader:
    """Collects problems while reading one folder."""

    def __init__(self, root: Path, files: dict[Path, bytes]) -> None:
        self.root = root
        self.files = files
        self.problems: list[Problem] = []
        self.raw: dict[str, Any] = {}
        self.failed: set[Path] = set()  # files that could not be read or did not validate
        self.irregular: set[Path] = set()  # *.yaml entries that are not regular files (reported, skipped)

    def label(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent)) if self.root.name else str(path)
        except ValueError:
            return str(path)

    def read(self, path: Path, model: type[BaseModel]) -> Any:
        label = self.label(path)
        data = self.files.get(path)
        if data is None:
            if not self.regular(path):
                return None
            try:
                data = read_limited(path, MAX_RULE_FILE_BYTES)
            except TooLarge as exc:
                self.problems.append(Problem(label, "", exc.reason()))
                self.failed.add(path)
                return None
            except OSError as exc:
                self.problems.append(Problem(label, "", f"无法读取：{exc.strerror}"))
                self.failed.add(path)
                return None
        self.failed.add(path)  # until it validates
        try:
            raw = load_yaml(data.decode("utf-8"))
        except UnicodeDecodeError:
            self.problems.append(Problem(label, "", "不是 UTF-8 编码的文本"))
            return None
        except YamlProblem as exc:
            reason = exc.reason + ("；规则中的数字绝对值不超过 10^15" if exc.reason == TOO_MANY_DIGITS else "")
            self.problems.append(Problem(label, f"第 {exc.line} 行" if exc.line else "", reason))
            return None
        self.raw[label] = raw
        try:
            value = model.model_validate(raw)
            self.failed.discard(path)
            return value
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = tuple(p for p in err["loc"] if not _is_tag(p))
                path_text = ".".join(str(p) for p in loc)
                where = f"第 {line_of(raw, loc)} 行"
                msg = describe(err)
                self.problems.append(Problem(label, where, f"{path_text}: {msg}" if path_text else msg))
            return None

    def regular(self, path: Path) -> bool:
        """Whether a path is a regular file; a FIFO, device or socket is reported once and never opened (it could block)."""
        try:
            regular = stat.S_ISREG(path.stat().st_mode)
        except OSError:
            return True  # gone or unreadable: read() says why
        if not regular and path not in self.irregular and not path.is_dir():
            self.irregular.add(path)
            message = "不是普通文件（命名管道、设备或套接字），已跳过，未读取；规则目录中只能有普通文件"
            self.problems.append(Problem(self.label(path), "", message))
        return regular

    def read_folder(self, folder: Path, model: type[BaseModel], key: str, skip: tuple[str, ...] = ()) -> dict[str, Any]:
        """Every file of a folder, keyed by the field ``key``, which must equal the file name."""
        out: dict[str, Any] = {}
        for path in sorted(folder.glob("*.yaml")):
            if path.name in skip:
                continue
            value = self.read(path, model)
            if value is None:
                continue
            name = getattr(value, key)
            if name != path.stem:
                self.problem(path, (key,), f"{key} {name} 与文件名 {path.stem} 不一致", about=(name, path.stem))
            out[name] = value
        return out

    def problem(self, path: Path, loc: tuple, message: str, *, about: Iterable[str | None], cascade: bool = False) -> None:
        """A problem at ``loc`` of a read file; ``about`` the ids the message names (every call says, () for none),
        ``cascade`` whether it says a check rule or named condition is absent (errors.Problem)."""
        label = self.label(path)
        raw = self.raw.get(label)
        line = line_of(raw, loc) if raw is not None else 0
        ids = tuple(dict.fromkeys(str(i) for i in about if i))
        self.problems.append(Problem(label, f"第 {line} 行" if line else "", message, about=ids, cascade=cascade))


def _is_tag(part: Any) -> bool:
    return isinstance(part, str) and (
        part in {"Test", "All", "Any", "Splice", "Ref", "Bound", "Not", "Param", "bool", "int", "float", "str"}
        or part.startswith("function-")
        or part.startswith("list[")
    )
