"""Load a rules folder: read every YAML file strictly, validate it, resolve cross-references.

``load_rules(dir)`` returns a ``RuleSet`` or raises ``RuleError`` with one problem per line
(file and line). Nothing here evaluates a draft.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, RootModel, ValidationError

from quanze.engine import facts as fact_catalogue
from quanze.engine.compile import EXPANSION_BINDINGS
from quanze.engine.errors import Problem, RuleError, describe, did_you_mean
from quanze.engine.schema import (
    AccountabilityRules,
    All,
    Any_,
    AuditRules,
    Bound,
    CalendarYear,
    CatalogItem,
    CheckFile,
    Defect,
    Discretion,
    DiscretionPolicy,
    FactorList,
    FilingItem,
    FindingDef,
    InspectionItem,
    ItemEngine,
    Law,
    LighterPolicy,
    Not,
    Param,
    ParamFile,
    Provision,
    Ref,
    Splice,
    SubjectRules,
    Test,
    Vocabulary,
)
from quanze.engine.textnumbers import day_problems, fine_problems
from quanze.engine.yamlio import YamlProblem, line_of, load_yaml


@dataclass
class RuleSet:
    """Everything in one rules folder, validated and cross-referenced."""

    root: Path
    version: str  # hash of every rule file's path and bytes (content_version)
    catalog: dict[str, CatalogItem]
    laws: dict[str, Law]
    provisions: dict[str, Provision]
    items: dict[str, ItemEngine]
    vocabulary: Vocabulary
    findings: dict[str, FindingDef]
    checks: list[CheckFile]
    factors: FactorList
    policy: DiscretionPolicy
    discretion: dict[str, Discretion]
    lighter: LighterPolicy
    accountability: AccountabilityRules
    params: dict[str, ParamFile]
    calendar: list[CalendarYear]
    inspections: dict[str, InspectionItem]
    filings: dict[str, FilingItem]
    audit: AuditRules
    definitions: dict[str, dict[str, Any]]  # draft kind -> name -> condition (from check files)
    cache: dict[Any, Any] = field(default_factory=dict)  # compiled rulesets, keyed by the compiler
    from_cache: bool = False  # read from the validated-rules cache (same version: same bytes, same code)
    subjects: SubjectRules | None = None  # subjects.yaml: party roles and conducts per item (None: no such file)

    def sanction_kind(self, kind: str):
        """The vocabulary entry of a sanction kind, or None."""
        return self._kinds.get(kind)

    def __post_init__(self) -> None:
        self._kinds = {k.kind: k for k in self.vocabulary.sanctions}

    def law_label(self, provision_id: str) -> str:
        """Human label of a provision: 节约能源法 第七十六条."""
        prov = self.provisions[provision_id]
        return f"{self.laws[prov.law].short} {prov.article}"


def default_rules_dir() -> Path:
    """The rules folder shipped inside the package."""
    return Path(str(resources.files("quanze.rules")))


class _Reader:
    """Collects problems while reading one folder."""

    def __init__(self, root: Path, files: dict[Path, bytes]) -> None:
        self.root = root
        self.files = files
        self.problems: list[Problem] = []
        self.raw: dict[str, Any] = {}
        self.failed: set[Path] = set()  # files that could not be read or did not validate

    def label(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent)) if self.root.name else str(path)
        except ValueError:
            return str(path)

    def read(self, path: Path, model: type[BaseModel]) -> Any:
        label = self.label(path)
        data = self.files.get(path)
        if data is None:
            try:
                data = path.read_bytes()
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
            self.problems.append(Problem(label, f"第 {exc.line} 行" if exc.line else "", exc.reason))
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
                self.problem(path, (key,), f"{key} {name} 与文件名 {path.stem} 不一致")
            out[name] = value
        return out

    def problem(self, path: Path, loc: tuple, message: str) -> None:
        label = self.label(path)
        raw = self.raw.get(label)
        line = line_of(raw, loc) if raw is not None else 0
        self.problems.append(Problem(label, f"第 {line} 行" if line else "", message))


def _is_tag(part: Any) -> bool:
    return isinstance(part, str) and (
        part in {"Test", "All", "Any", "Splice", "Ref", "Bound", "Not", "Param", "bool", "int", "float", "str"}
        or part.startswith("function-")
        or part.startswith("list[")
    )


def rule_files(root: Path) -> dict[Path, bytes]:
    """The bytes of every rule file (``*.yaml``) under a folder, in path order."""
    return {path: path.read_bytes() for path in sorted(root.rglob("*.yaml")) if path.is_file()}


def content_version(root: Path, files: dict[Path, bytes]) -> str:
    """The rules version: a hash of every rule file's path (relative to the folder) and bytes."""
    digest = hashlib.sha256()
    for path, data in files.items():
        rel = path.relative_to(root).as_posix().encode()
        digest.update(len(rel).to_bytes(4, "big") + rel + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:16]


_CODE_KEY: list[str] = []


MIN_ENGINE_MODULES = 20  # fewer found means the package folder is not where the key looks: refuse, never hash nothing


def engine_sources() -> list[tuple[str, bytes]]:
    """(path relative to the engine package, bytes) of every ``.py`` file of it, sorted."""
    here = Path(__file__).resolve().parent
    found = [(p.relative_to(here).as_posix(), p.read_bytes()) for p in sorted(here.rglob("*.py")) if p.is_file()]
    if len(found) < MIN_ENGINE_MODULES:
        raise RuntimeError(f"规则缓存的代码键只找到 {len(found)} 个引擎模块（{here}），少于 {MIN_ENGINE_MODULES} 个")
    return found


def _code_key() -> str:
    """What the stored form depends on besides the rules: quanze, Python, pydantic and the bytes of every
    module of the engine package (found from the package's own folder, subfolders included, so a module
    added or moved is covered; the self-test stored with the rules depends on the compiler and evaluator too)."""
    if not _CODE_KEY:
        import pydantic

        try:
            from importlib.metadata import version

            quanze = version("quanze")
        except Exception:  # not installed (a source checkout): the code bytes below still key it
            quanze = "?"
        digest = hashlib.sha256(f"{quanze}\0{sys.version_info[:3]}\0{pydantic.VERSION}".encode())
        for rel, data in engine_sources():
            digest.update(rel.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
        _CODE_KEY.append(digest.hexdigest()[:16])
    return _CODE_KEY[0]


class _Stored(BaseModel):
    """The validated content of a rules folder as the cache keeps it: JSON, re-validated on load."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    key: str
    version: str
    catalog: dict[str, CatalogItem]
    laws: dict[str, Law]
    provisions: dict[str, Provision]
    items: dict[str, ItemEngine]
    vocabulary: Vocabulary
    findings: dict[str, FindingDef]
    checks: list[CheckFile]
    factors: FactorList
    policy: DiscretionPolicy
    discretion: dict[str, Discretion]
    lighter: LighterPolicy
    accountability: AccountabilityRules
    params: dict[str, ParamFile]
    calendar: list[CalendarYear]
    inspections: dict[str, InspectionItem]
    filings: dict[str, FilingItem]
    audit: AuditRules
    subjects: SubjectRules | None = None


_STORED = tuple(f for f in _Stored.model_fields if f != "key")


def _cache_dir() -> Path | None:
    """The cache folder (created 0700), or None when off (QUANZE_NO_CACHE=1) or not safely ours."""
    from quanze.engine.settings import settings

    config = settings()
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


def _read_cached(path: Path, key: str, root: Path) -> RuleSet | None:
    """The RuleSet stored under a key; None when absent, not safely ours, corrupt or of another key."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o022:
                return None  # writable by others: anyone could have put rules in it
            if hasattr(os, "getuid") and st.st_uid != os.getuid():
                return None
            stored = _Stored.model_validate_json(fh.read())
    except Exception:  # unreadable, not JSON, not valid rules: rebuilt by the caller
        return None
    if stored.key != key:
        return None
    rules = RuleSet(root=root, definitions={}, **{f: getattr(stored, f) for f in _STORED})
    _define(rules)
    rules.from_cache = True
    return rules


def _write_cached(path: Path, key: str, rules: RuleSet) -> None:
    """Store a validated RuleSet (owner-only file, written whole then renamed into place)."""
    stored = _Stored(key=key, **{f: getattr(rules, f) for f in _STORED})
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(stored.model_dump_json(by_alias=True, exclude_unset=True).encode())
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)  # no writable cache: load every time


_VERIFIED: dict[tuple[str, str], RuleSet] = {}  # (folder, content and code key) → rules that passed every check, this process
MEMO_SIZE = 8  # folders kept in _VERIFIED (a reviewer's copy beside the shipped rules); 0 turns it off


def verify(rules: RuleSet) -> list[Problem]:
    """What ``rules validate`` refuses beyond reading: the 评查 scoring table and the durable-rules self-test."""
    from quanze.engine.scoring import load_scoring
    from quanze.engine.selftest import self_test

    try:
        load_scoring(rules)
    except RuleError as exc:
        return list(exc.problems)
    return self_test(rules)


def load_rules(root: Path | str | None = None, *, use_cache: bool = True) -> RuleSet:
    """A validated, self-tested RuleSet of a rules folder; RuleError lists every problem.

    The folder is used only after it passes every check of ``rules validate``: schema and cross
    references, the 评查 scoring table, and the durable-rules self-test of every ruleset it compiles to.
    The rules version is a hash of every rule file's bytes. The cache (``settings().cache_folder()``,
    a 0700 folder; off with QUANZE_NO_CACHE=1 or ``use_cache=False``) keeps the validated, self-tested
    rules as JSON under that hash and the code's key, so an edit of any byte is read and tested again
    whatever the file times say; an entry that is corrupt, of another key, not owned by the user or
    writable by others is ignored and rebuilt. Within one process the rules of a folder whose bytes
    have not changed are reused (the files are read and hashed on every call). Rulesets compiled for
    durable-rules are never reused across processes.
    """
    root = Path(root).resolve() if root is not None else default_rules_dir()
    if not root.is_dir():
        raise RuleError([Problem(str(root), "", "规则目录不存在")])
    try:
        files = rule_files(root)
    except OSError as exc:
        raise RuleError([Problem(str(root), "", f"无法读取规则文件：{exc.strerror}（{exc.filename}）")]) from None
    version = content_version(root, files)
    key = f"{version}-{_code_key()}"
    if use_cache and MEMO_SIZE and (str(root), key) in _VERIFIED:
        return _VERIFIED[(str(root), key)]
    cache_dir = _cache_dir() if use_cache else None
    cached = cache_dir / f"rules-{key}.json" if cache_dir else None
    rules = _read_cached(cached, key, root) if cached is not None else None
    if rules is None:
        rules = _load_rules(root, files, version)
        problems = verify(rules)
        if problems:
            raise RuleError(problems)
        if cached is not None:
            _write_cached(cached, key, rules)  # only rules that passed every check are ever stored
    if use_cache and MEMO_SIZE:
        _VERIFIED[(str(root), key)] = rules
        while len(_VERIFIED) > MEMO_SIZE:
            del _VERIFIED[next(iter(_VERIFIED))]
    return rules


def _load_rules(root: Path, files: dict[Path, bytes] | None = None, version: str | None = None) -> RuleSet:
    """Read, validate and cross-reference a rules folder (no cache); ``files`` are its bytes, read once."""
    if files is None:
        files = rule_files(root)
    rd = _Reader(root, files)

    catalog: dict[str, CatalogItem] = rd.read_folder(root / "catalog", CatalogItem, "id")

    laws: dict[str, Law] = {}
    provisions: dict[str, Provision] = {}
    prov_paths: dict[str, Path] = {}
    for folder in sorted(p for p in (root / "provisions").glob("*") if p.is_dir()):
        index = folder / "index.yaml"
        if not index.exists():
            rd.problems.append(Problem(rd.label(folder), "", "缺少 index.yaml (法律的名称与来源)"))
        else:
            law = rd.read(index, Law)
            if law is not None:
                if law.id != folder.name:
                    rd.problem(index, ("id",), f"id {law.id} 与目录名 {folder.name} 不一致")
                laws[law.id] = law
        for path in sorted(folder.glob("*.yaml")):
            if path.name == "index.yaml":
                continue
            prov = rd.read(path, Provision)
            if prov is None:
                continue
            expected = f"{folder.name}.{path.stem}"
            if prov.id != expected:
                rd.problem(path, ("id",), f"id {prov.id} 与路径应得的 {expected} 不一致")
            if prov.id in provisions:
                rd.problem(path, ("id",), f"条文 id {prov.id} 重复")
            provisions[prov.id] = prov
            prov_paths[prov.id] = path

    def single(name: str, model: type[BaseModel]) -> Any:
        path = root / name
        if not path.exists():
            rd.problems.append(Problem(rd.label(path), "", "缺少此规则文件"))
            return None
        return rd.read(path, model)

    vocabulary = single("vocabulary.yaml", Vocabulary)
    findings_file = single("findings.yaml", _FindingsFile)
    lighter = single("lighter.yaml", LighterPolicy)
    accountability = single("accountability.yaml", AccountabilityRules)
    audit_rules = single("audit.yaml", AuditRules)
    factors = single("discretion/factors.yaml", FactorList)
    policy = single("discretion/policy.yaml", DiscretionPolicy)
    items_path = root / "items.yaml"
    items: dict[str, ItemEngine] = {}
    if not items_path.exists():
        rd.problems.append(Problem(rd.label(items_path), "", "缺少此规则文件"))
    else:
        wrapped = rd.read(items_path, _ItemsFile)
        items = dict(wrapped.root) if wrapped is not None else {}

    discretion: dict[str, Discretion] = rd.read_folder(root / "discretion", Discretion, "provision", skip=("factors.yaml", "policy.yaml"))

    params: dict[str, ParamFile] = {}
    for path in sorted((root / "params").glob("*.yaml")):
        pf = rd.read(path, ParamFile)
        if pf is not None:
            params[pf.law] = pf

    inspections: dict[str, InspectionItem] = rd.read_folder(root / "inspection", InspectionItem, "item")
    subjects_path = root / "subjects.yaml"
    subjects = rd.read(subjects_path, SubjectRules) if subjects_path.exists() else None
    filings: dict[str, FilingItem] = rd.read_folder(root / "filing", FilingItem, "item")

    calendar: list[CalendarYear] = []
    for path in sorted((root / "calendar").glob("*.yaml")):
        cal = rd.read(path, CalendarYear)
        if cal is not None:
            if cal.scope == "national" and any(c.scope == "national" and c.year == cal.year for c in calendar):
                rd.problem(path, ("year",), f"{cal.year} 年的全国日历重复")
            calendar.append(cal)

    checks: list[CheckFile] = []
    check_paths: list[Path] = []
    for path in sorted((root / "checks").glob("*.yaml")):
        cf = rd.read(path, CheckFile)
        if cf is not None:
            checks.append(cf)
            check_paths.append(path)

    findings = {f.code: f for f in findings_file.findings} if findings_file else {}
    cores = (vocabulary, findings_file, lighter, accountability, audit_rules, factors, policy)
    if rd.problems and (any(c is None for c in cores) or items_path in rd.failed):
        raise RuleError(rd.problems)  # without these files nothing can be cross-checked
    read_problems = len(rd.problems)

    rules = RuleSet(
        root=root,
        version=version or content_version(root, files),
        catalog=catalog,
        laws=laws,
        provisions=provisions,
        items=items,
        vocabulary=vocabulary,
        findings=findings,
        checks=checks,
        factors=factors,
        policy=policy,
        discretion=discretion,
        lighter=lighter,
        accountability=accountability,
        params=params,
        calendar=calendar,
        inspections=inspections,
        filings=filings,
        audit=audit_rules,
        definitions={},
        subjects=subjects,
    )
    _define(rules)
    _cross_check(rules, rd, prov_paths, check_paths)
    _check_text_numbers(rules, rd, prov_paths)
    if read_problems:  # a file that did not validate: keep what the others say, not what follows from its absence
        rd.problems[read_problems:] = [p for p in rd.problems[read_problems:] if not _follows_from(p, rd.failed, root)]
    if rd.problems:
        raise RuleError(rd.problems)
    return rules


def _check_subjects(rules: RuleSet, rd: _Reader) -> None:
    """subjects.yaml: role and conduct ids unique, every spelling names one role, references resolve."""
    if rules.subjects is None:
        return
    from quanze.engine.subjects import normalise

    path = rules.root / "subjects.yaml"
    role_ids = {r.id for r in rules.subjects.roles}
    spelled: dict[str, str] = {}
    for ri, role in enumerate(rules.subjects.roles):
        if [r.id for r in rules.subjects.roles].count(role.id) > 1:
            rd.problem(path, ("roles", ri, "id"), f"身份 id {role.id} 重复")
        for wi, other in enumerate(role.within):
            if other not in role_ids:
                rd.problem(path, ("roles", ri, "within", wi), f"未知的身份 {other}" + did_you_mean(other, role_ids))
        for name in (role.name, *role.synonyms):
            key = normalise(name)
            if spelled.get(key, role.id) != role.id:
                rd.problem(path, ("roles", ri), f"写法「{name}」同时属于身份 {spelled[key]} 和 {role.id}")
            spelled[key] = role.id
    conduct_ids: set[str] = set()
    for iid, spec in rules.subjects.items.items():
        if iid not in rules.catalog:
            rd.problem(path, ("items", iid), f"事项 {iid} 不存在" + did_you_mean(iid, rules.catalog))
        for ci, cov in enumerate(spec.roles):
            if cov.role not in role_ids:
                rd.problem(path, ("items", iid, "roles", ci, "role"), f"未知的身份 {cov.role}" + did_you_mean(cov.role, role_ids))
            if cov.provision not in rules.provisions:
                rd.problem(path, ("items", iid, "roles", ci, "provision"), f"条文 {cov.provision} 不存在")
        for ci, c in enumerate(spec.conducts):
            if c.id in conduct_ids:
                rd.problem(path, ("items", iid, "conducts", ci, "id"), f"行为 id {c.id} 重复")
            conduct_ids.add(c.id)
            if c.provision not in rules.provisions:
                rd.problem(path, ("items", iid, "conducts", ci, "provision"), f"条文 {c.provision} 不存在")


def _define(rules: RuleSet) -> None:
    """The named conditions of a RuleSet, from its check files (one place for fresh and cached rules)."""
    for cf in rules.checks:
        rules.definitions.setdefault(cf.kind, {}).update(cf.definitions)


class _FindingsFile(BaseModel):
    # defer_build: built only when the rules are read from their files, not on a start from the cache
    model_config = {"extra": "forbid", "frozen": True, "defer_build": True}
    findings: list[FindingDef]


class _ItemsFile(RootModel[dict[str, ItemEngine]]):
    """items.yaml is a mapping of item id -> ItemEngine."""

    model_config = ConfigDict(defer_build=True)


_DEFECTS = set(get_args(Defect))
_ARTICLE = re.compile(r"^(\S+) 第([一二三四五六七八九十百零]+)条")


def _check_text_numbers(rules: RuleSet, rd: _Reader, prov_paths: dict[str, Path]) -> None:
    """Encoded fine ranges and day counts against the numbers the article texts state (engine/textnumbers.py)."""
    for pid, loc, message in fine_problems(rules.provisions):
        if pid in prov_paths:
            rd.problem(prov_paths[pid], loc, message)
    for law, loc, message in day_problems(rules.params, rules.provisions):
        rd.problem(rules.root / "params" / f"{law}.yaml", loc, message)


def _cross_check(rules: RuleSet, rd: _Reader, prov_paths: dict[str, Path], check_paths: list[Path]) -> None:
    """Every reference resolves; every kind, code, fact and number exists."""
    root = rules.root
    item_files = {i: root / "catalog" / f"{i}.yaml" for i in rules.catalog}

    # catalog -> laws and provisions
    for item in rules.catalog.values():
        path = item_files[item.id]
        for column in ("bases", "responsibility_bases"):
            for ci, cit in enumerate(getattr(item, column)):
                if cit.law and cit.law not in rules.laws:
                    rd.problem(path, (column, ci, "law"), f"引用的法律 {cit.law} 不存在" + did_you_mean(cit.law, rules.laws))
                for ai, art in enumerate(cit.articles):
                    if not art.provision:
                        continue
                    if art.provision not in rules.provisions:
                        rd.problem(
                            path,
                            (column, ci, "articles", ai, "provision"),
                            f"引用的条文 {art.provision} 不存在" + did_you_mean(art.provision, rules.provisions),
                        )
                    elif cit.law and rules.provisions[art.provision].law != cit.law:
                        rd.problem(path, (column, ci, "articles", ai, "provision"), f"条文 {art.provision} 不属于 {cit.law}")

    # provisions -> laws, vocabulary
    for pid, prov in rules.provisions.items():
        path = prov_paths[pid]
        if prov.law not in rules.laws:
            rd.problem(path, ("law",), f"法律 {prov.law} 没有 index.yaml")
        for vi, ver in enumerate(prov.versions):
            if ver.penalty is None:
                continue
            for si, s in enumerate(ver.penalty.sanctions):
                if rules.sanction_kind(s.kind) is None:
                    rd.problem(
                        path,
                        ("versions", vi, "penalty", "sanctions", si, "kind"),
                        f"未知的处罚种类「{s.kind}」" + did_you_mean(s.kind, rules._kinds),
                    )
                if s.provision and s.provision not in rules.provisions:
                    rd.problem(path, ("versions", vi, "penalty", "sanctions", si, "provision"), f"条文 {s.provision} 不存在")
                if (s.min is not None or s.max is not None) and s.kind != "罚款":
                    rd.problem(path, ("versions", vi, "penalty", "sanctions", si), "只有罚款可以有 min/max")
                if s.unless is not None:
                    _check_condition(rules, rd, path, ("versions", vi, "penalty", "sanctions", si, "unless"), s.unless, "penalty")
            for ri, res in enumerate(ver.penalty.reserved):
                for ki, kind in enumerate(res.kinds):
                    if rules.sanction_kind(kind) is None:
                        rd.problem(
                            path,
                            ("versions", vi, "penalty", "reserved", ri, "kinds", ki),
                            f"未知的处罚种类「{kind}」" + did_you_mean(kind, rules._kinds),
                        )
                _check_condition(rules, rd, path, ("versions", vi, "penalty", "reserved", ri, "missing_when"), res.missing_when, "penalty")

    # vocabulary: 不予处罚 grounds, orders
    voc_path = root / "vocabulary.yaml"
    for gi, g in enumerate(rules.vocabulary.no_penalty_grounds):
        _check_condition(rules, rd, voc_path, ("no_penalty_grounds", gi, "holds_when"), g.holds_when, "penalty")
        for bi, label in enumerate(g.basis):
            _check_label(rules, rd, voc_path, ("no_penalty_grounds", gi, "basis", bi), label)
    for vi, k in enumerate(rules.vocabulary.sanctions):
        for ti, other in enumerate(k.satisfies):
            if rules.sanction_kind(other) is None:
                rd.problem(voc_path, ("sanctions", vi, "satisfies", ti), f"未知的处罚种类「{other}」" + did_you_mean(other, rules._kinds))
        if k.general:
            _check_label(rules, rd, voc_path, ("sanctions", vi, "general", "basis"), k.general.basis)

    # items.yaml <-> catalog
    items_path = root / "items.yaml"
    for iid in rules.catalog:
        if iid not in rules.items:
            rd.problem(items_path, (), f"缺少事项 {iid} 的引擎配置")
    for iid, eng in rules.items.items():
        if iid not in rules.catalog:
            rd.problem(items_path, (iid,), f"事项 {iid} 不在 catalog/ 中" + did_you_mean(iid, rules.catalog))
        expected = {"CF": "penalty", "JC": "inspection"}.get(iid[:2])
        if expected and eng.kind != expected:
            rd.problem(items_path, (iid, "kind"), f"事项 {iid} 应为 {expected}, 实际为 {eng.kind}")
        if eng.kind == "penalty":
            if not eng.provision or eng.provision not in rules.provisions:
                rd.problem(items_path, (iid, "provision"), f"处罚事项 {iid} 的条文 {eng.provision} 不存在")
            elif not any(v.penalty for v in rules.provisions[eng.provision].versions):
                rd.problem(items_path, (iid, "provision"), f"条文 {eng.provision} 没有 penalty (处罚种类) 设定")

    # inspection and filing items -> catalog, provisions, vocabulary
    measure_names = [m.name for m in rules.vocabulary.measures]
    for iid, insp in rules.inspections.items():
        path = root / "inspection" / f"{iid}.yaml"
        if rules.items.get(iid) is None or rules.items[iid].kind != "inspection":
            rd.problem(path, ("item",), f"{iid} 不是行政检查事项")
        for bi, pid in enumerate(insp.basis):
            if pid not in rules.provisions:
                rd.problem(path, ("basis", bi), f"条文 {pid} 不存在" + did_you_mean(pid, rules.provisions))
        for mi, allowed in enumerate(insp.measures):
            if allowed.measure not in measure_names:
                rd.problem(
                    path, ("measures", mi, "measure"), f"未知的检查措施「{allowed.measure}」" + did_you_mean(allowed.measure, measure_names)
                )
    for iid, eng in rules.items.items():
        if eng.kind == "inspection" and iid not in rules.inspections:
            rd.problem(items_path, (iid,), f"行政检查事项 {iid} 缺少 inspection/{iid}.yaml")
        if eng.kind == "filing" and iid not in rules.filings:
            rd.problem(items_path, (iid,), f"备案事项 {iid} 缺少 filing/{iid}.yaml")
    for iid, fil in rules.filings.items():
        path = root / "filing" / f"{iid}.yaml"
        if rules.items.get(iid) is None or rules.items[iid].kind != "filing":
            rd.problem(path, ("item",), f"{iid} 不是备案事项")
        if fil.basis not in rules.provisions:
            rd.problem(path, ("basis",), f"条文 {fil.basis} 不存在" + did_you_mean(fil.basis, rules.provisions))
        for name, spec in fil.facts.items():
            if not spec.accepts(spec.default):
                rd.problem(path, ("facts", name, "default"), f"默认值 {spec.default!r} 不是 {spec.type}")

    _check_subjects(rules, rd)

    # discretion -> provisions
    for pid, disc in rules.discretion.items():
        path = root / "discretion" / f"{pid}.yaml"
        if pid not in rules.provisions:
            rd.problem(path, ("provision",), f"条文 {pid} 不存在" + did_you_mean(pid, rules.provisions))
        edges = sorted((b.lower, b.upper) for b in disc.bands)
        if edges[0][0] != 0 or edges[-1][1] != 1 or any(a[1] != b[0] for a, b in pairwise(edges)):
            rd.problem(path, ("bands",), "阶次须首尾相接地覆盖 0 到 1")
        tiers = {b.tier for b in disc.bands}
        for claimed, bands in disc.allowed.items():
            if claimed not in tiers or any(b not in tiers for b in bands):
                rd.problem(path, ("allowed", claimed), f"未知的阶次: {claimed}: {bands}")

    # factors unique
    names = [f.name for f in rules.factors.factors]
    for dup in {n for n in names if names.count(n) > 1}:
        rd.problem(root / "discretion" / "factors.yaml", ("factors",), f"情节名称重复: {dup}")
    for ri, row in enumerate(rules.policy.recommend):
        if row.when is not None:
            _check_condition(rules, rd, root / "discretion" / "policy.yaml", ("recommend", ri, "when"), row.when, "penalty")

    # accountability lists -> catalog triggers
    acc_path = root / "accountability.yaml"
    for iid, mapping in rules.accountability.lists.items():
        if iid not in rules.catalog:
            rd.problem(acc_path, ("lists", iid), f"事项 {iid} 不存在")
            continue
        published = {t.no for t in rules.catalog[iid].triggers}
        for defect, nos in mapping.items():
            if defect not in _DEFECTS and defect not in rules.findings:
                rd.problem(
                    acc_path, ("lists", iid, defect), f"{defect} 既不是结论代码也不是追责类别" + did_you_mean(defect, list(rules.findings))
                )
            for no in nos:
                if no not in published:
                    rd.problem(acc_path, ("lists", iid, defect), f"{iid} 的追责情形没有第 {no} 项 (已公布: {sorted(published)})")
    audit_path = root / "audit.yaml"
    for di, defect in enumerate(rules.audit.known_defects):
        if defect.item not in rules.catalog:
            rd.problem(audit_path, ("known_defects", di, "item"), f"事项 {defect.item} 不存在")
    _check_accountability(rules, rd, acc_path)

    # checks -> findings, facts, params
    seen_ids: set[str] = set()
    for cf, path in zip(rules.checks, check_paths, strict=True):
        for name, cond in cf.definitions.items():
            _check_condition(rules, rd, path, ("definitions", name), cond, cf.kind)
        for ri, rule in enumerate(cf.rules):
            loc = ("rules", ri)
            if rule.id in seen_ids:
                rd.problem(path, loc + ("id",), f"规则 id {rule.id} 重复")
            seen_ids.add(rule.id)
            fdef = rules.findings.get(rule.code)
            if fdef is None:
                rd.problem(path, loc + ("code",), f"结论代码 {rule.code} 未在 findings.yaml 登记" + did_you_mean(rule.code, rules.findings))
            elif fdef.kind != cf.kind:
                rd.problem(path, loc + ("code",), f"{rule.code} 属于 {fdef.kind}, 不能用于 {cf.kind} 检查")
            for bi, label in enumerate(rule.basis):
                if "{" not in label:
                    _check_label(rules, rd, path, loc + ("basis", bi), label)
            _check_condition(rules, rd, path, loc + ("when",), rule.when, cf.kind, templated=rule.for_each is not None)
            for other in rule.overrides:
                if not any(r.id == other for c in rules.checks for r in c.rules):
                    rd.problem(path, loc + ("overrides",), f"被覆盖的规则 {other} 不存在")
    _check_complete(rules, rd, check_paths)


def _check_label(rules: RuleSet, rd: _Reader, path: Path, loc: tuple, label: str) -> None:
    """A basis label like 行政处罚法 第三十三条 must name an encoded law and article."""
    m = _ARTICLE.match(label)
    shorts = {law.short: law.id for law in rules.laws.values()}
    if not m or m.group(1) not in shorts:
        rd.problem(path, loc, f"依据「{label}」不是已编码法律的条文 (格式: 法律简称 第N条…)")
        return
    law = shorts[m.group(1)]
    article = f"第{m.group(2)}条"
    if not any(p.law == law and p.article.startswith(article) for p in rules.provisions.values()):
        rd.problem(path, loc, f"依据「{label}」: {m.group(1)} {article} 没有条文文件")


def _check_condition(rules: RuleSet, rd: _Reader, path: Path, loc: tuple, cond: Any, kind: str, templated: bool = False) -> None:
    """Every fact exists for the draft kind and every literal has the fact's type."""
    if isinstance(cond, All):
        for i, c in enumerate(cond.all):
            _check_condition(rules, rd, path, loc + ("all", i), c, kind, templated)
        return
    if isinstance(cond, Any_):
        for i, c in enumerate(cond.any):
            _check_condition(rules, rd, path, loc + ("any", i), c, kind, templated)
        return
    if isinstance(cond, Not):
        _check_condition(rules, rd, path, loc + ("not",), cond.not_, kind, templated)
        return
    if isinstance(cond, Splice):
        if not templated:
            rd.problem(path, loc, "splice 只能用于带 for_each 的规则")
        return
    if isinstance(cond, Bound):
        if not templated:
            rd.problem(path, loc, "bound 只能用于带 for_each 的规则")
        return
    if isinstance(cond, Ref):
        if cond.ref not in rules.definitions.get(kind, {}):
            rd.problem(path, loc + ("ref",), f"未定义的条件 {cond.ref}" + did_you_mean(cond.ref, rules.definitions.get(kind, {})))
        return
    assert isinstance(cond, Test)
    types = fact_catalogue.fact_types(kind, rules)
    name = cond.fact
    if "{" in name:
        if not templated:
            rd.problem(path, loc + ("fact",), f"事实名 {name} 含占位符, 但规则没有 for_each")
            return
        samples = [rules.vocabulary.measures[0].key] if kind == "inspection" else [rules.vocabulary.sanctions[0].key]
        samples += [g.key for g in rules.vocabulary.no_penalty_grounds[:1]]  # ground_{key} (for_each: no_penalty_grounds)
        name = next((name.replace("{key}", k) for k in samples if name.replace("{key}", k) in types), name.replace("{key}", samples[0]))
    if name not in types:
        rd.problem(path, loc + ("fact",), f"未知的事实 {cond.fact}" + did_you_mean(cond.fact, types))
        return
    expected = types[name]
    values = cond.value if isinstance(cond.value, list) else [cond.value]
    for v in values:
        if isinstance(v, Param):
            continue
        ok = (
            (isinstance(v, bool) and expected is bool)
            or (not isinstance(v, bool) and isinstance(v, (int, float)) and expected in (int, float))
            or (isinstance(v, str) and expected is str)
        )
        if not ok:
            rd.problem(path, loc, f"事实 {cond.fact} 的类型是 {expected.__name__}, 比较值 {v!r} 类型不符 (durable-rules 会按文本比较)")
    if cond.op in ("gt", "gte", "lt", "lte") and expected not in (int, float):
        rd.problem(path, loc, f"事实 {cond.fact} 不是数字, 不能用 {cond.op}")


def _check_accountability(rules: RuleSet, rd: _Reader, acc_path: Path) -> None:
    """Attribution rules exist; a code with no fitting 追责情形 says why; non-penalty hooks stay off 行政处罚."""
    acc = rules.accountability
    att = acc.attribution
    for stage in ("step", "decision", "collective"):
        name = getattr(att, stage)
        if name not in att.rules:
            rd.problem(acc_path, ("attribution", stage), f"归责规则 {name} 不存在" + did_you_mean(name, att.rules))
    for code, name in att.codes.items():
        if code not in rules.findings:
            rd.problem(acc_path, ("attribution", "codes", code), f"{code} 不是已登记的结论代码" + did_you_mean(code, list(rules.findings)))
        if name not in att.rules:
            rd.problem(acc_path, ("attribution", "codes", code), f"归责规则 {name} 不存在" + did_you_mean(name, att.rules))
    for iid, mapping in acc.lists.items():
        for code, nos in mapping.items():
            if not nos and code not in acc.unmatched:
                rd.problem(acc_path, ("lists", iid, code), f"{code} 没有对应的追责情形, 须在 unmatched 中说明原因")
    for code in acc.unmatched:
        if code not in rules.findings:
            rd.problem(acc_path, ("unmatched", code), f"{code} 不是已登记的结论代码" + did_you_mean(code, list(rules.findings)))
    lighter_path = rules.root / "lighter.yaml"
    kinds = {k.kind for k in rules.vocabulary.sanctions}
    for kind in rules.lighter.general_when_gains:
        if kind not in kinds:
            rd.problem(lighter_path, ("general_when_gains",), f"未知的处罚种类 {kind}" + did_you_mean(kind, list(kinds)))
    for code in rules.lighter.heavier_than_old:
        if code not in rules.findings:
            rd.problem(lighter_path, ("heavier_than_old",), f"{code} 不是已登记的结论代码" + did_you_mean(code, list(rules.findings)))
    for key in acc.hooks:
        if key not in _DEFECTS and key not in rules.findings:
            rd.problem(acc_path, ("hooks", key), f"{key} 既不是结论代码也不是追责类别" + did_you_mean(key, list(rules.findings)))
    for iid, hook in acc.own_hooks.items():
        item = rules.items.get(iid)
        if item is None or item.kind == "penalty":
            rd.problem(acc_path, ("own_hooks", iid), f"{iid} 不是非处罚事项 (处罚事项用 hooks)")
        elif hook and "行政处罚法" in hook:
            # 行政处罚法 第七章 governs 行政处罚; an inspection, filing or complaint cites its own basis or none
            rd.problem(acc_path, ("own_hooks", iid), f"非处罚事项不得援引行政处罚法的追责条款, 实际为 {hook}")


# --- completeness: what `check` would otherwise meet only at check time -----------------------------

_VERSION_PARAMS = {"fine.min", "fine.max"}  # compile.version_params: only where `needs: [fine]`
MAX_DOCUMENT_PROPERTIES = 254  # durable-rules: 255 properties and more fail with error 302 (measured)
MAX_RANGE_TESTS = 60  # durable-rules: more than 64 range tests matching one document fail with error 303
_RESERVED_PROPERTIES = 3  # sid, id and q_doc of every check document (engine/evaluate.py)
_EXPONENT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+$")


def durable_number_problem(value: object) -> str | None:
    """Why durable-rules cannot compare a number exactly (exponent form, > 15 significant digits), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        text = json.dumps(value)
        if "e" in text.lower() or "inf" in text.lower() or "nan" in text.lower():
            return f"数字 {value!r} 在 durable-rules 中会写成指数形式（{text}），无法比较；请写成普通小数"
        digits = text.lstrip("-").replace(".", "").lstrip("0").rstrip("0") if "." in text else text.lstrip("-").strip("0")
    else:
        digits = str(abs(value)).rstrip("0")
    if len(digits) > 15:
        return f"数字 {value!r} 的有效数字超过 15 位，durable-rules 无法精确比较"
    return None


def _walk(cond: Any, loc: tuple) -> Iterator[tuple[tuple, Any]]:
    """Every (location, sub-condition) of a condition, itself first."""
    yield loc, cond
    if isinstance(cond, All):
        for i, c in enumerate(cond.all):
            yield from _walk(c, loc + ("all", i))
    elif isinstance(cond, Any_):
        for i, c in enumerate(cond.any):
            yield from _walk(c, loc + ("any", i))
    elif isinstance(cond, Not):
        yield from _walk(cond.not_, loc + ("not",))


def _params_used(cond: Any, loc: tuple, definitions: dict[str, Any], via: tuple[str, ...] = ()) -> Iterator[tuple[tuple, Test, tuple]]:
    """(location, test, definitions passed through) of every {param: …} test a condition uses."""
    for where, sub in _walk(cond, loc):
        if isinstance(sub, Test) and isinstance(sub.value, Param):
            yield where, sub, via
        elif isinstance(sub, Ref) and sub.ref in definitions and sub.ref not in via:
            yield from _params_used(definitions[sub.ref], ("definitions", sub.ref), definitions, via + (sub.ref,))


def _ref_cycles(definitions: dict[str, Any]) -> list[list[str]]:
    """Cycles of `ref` among named conditions (each once, as a path back to its start)."""
    graph = {name: [s.ref for _, s in _walk(cond, ()) if isinstance(s, Ref)] for name, cond in definitions.items()}
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def visit(name: str, path: list[str]) -> None:
        for nxt in graph.get(name, []):
            if nxt in path:
                cycle = path[path.index(nxt) :] + [nxt]
                if frozenset(cycle) not in seen:
                    seen.add(frozenset(cycle))
                    cycles.append(cycle)
            elif nxt in graph and len(path) < len(graph):
                visit(nxt, path + [nxt])

    for name in graph:
        visit(name, [name])
    return cycles


def _check_complete(rules: RuleSet, rd: _Reader, check_paths: list[Path]) -> None:
    """Every code produced, every item checked, every param defined, every number comparable, no ref cycles."""
    root = rules.root
    all_rules = [(cf, path, ri, rule) for cf, path in zip(rules.checks, check_paths, strict=True) for ri, rule in enumerate(cf.rules)]

    produced = {rule.code for _, _, _, rule in all_rules}
    for fi, code in enumerate(rules.findings):
        if code not in produced:
            rd.problem(
                root / "findings.yaml",
                ("findings", fi, "code"),
                f"结论代码 {code} 没有任何检查规则产生（rules/checks/ 中缺少产生它的规则，检查文件是否被删除或改名？）",
            )
    items_path = root / "items.yaml"
    for iid, eng in rules.items.items():
        if not any(cf.kind == eng.kind and (rule.items is None or iid in rule.items) for cf, _, _, rule in all_rules):
            rd.problem(
                items_path,
                (iid,),
                f"事项 {iid}（{eng.kind}）没有任何适用的检查规则（rules/checks/ 中 kind: {eng.kind} 的检查文件是否被删除？）",
            )

    # named conditions: defined once per kind, no cycles
    defined_in: dict[tuple[str, str], Path] = {}
    for cf, path in zip(rules.checks, check_paths, strict=True):
        for name in cf.definitions:
            first = defined_in.setdefault((cf.kind, name), path)
            if first != path:
                rd.problem(path, ("definitions", name), f"命名条件 {name} 已在 {rd.label(first)} 中定义（同类检查共用一组命名条件）")
    for kind, definitions in rules.definitions.items():
        for cycle in _ref_cycles(definitions):
            path = defined_in.get((kind, cycle[0]), root / "vocabulary.yaml")
            rd.problem(path, ("definitions", cycle[0]), f"命名条件循环引用：{' → '.join(cycle)}")

    # params: every {param: …} defined wherever the rule applies
    reported: set[tuple[Path, tuple, str]] = set()
    for cf, path, ri, rule in all_rules:
        covered = lambda p, rule=rule: any(p.startswith(n + ".") for n in rule.needs)  # noqa: E731
        bindings = EXPANSION_BINDINGS.get(rule.for_each, set())
        types = fact_catalogue.fact_types(cf.kind, rules)
        for where, test, via in _params_used(rule.when, ("rules", ri, "when"), rules.definitions.get(cf.kind, {})):
            param = test.value.param  # type: ignore[union-attr]
            problem = _param_problem(rules, param, covered, bindings) or _param_type_problem(rules, param, types.get(test.fact))
            at = defined_in.get((cf.kind, via[-1]), path) if via else path
            if problem and (at, where, param) not in reported:
                reported.add((at, where, param))
                through = f"命名条件 {via[-1]}（规则 {rule.id} 使用）" if via else f"规则 {rule.id}"
                rd.problem(at, where, f"{through}：{problem}")

    # numbers durable-rules cannot compare
    conditions: list[tuple[Path, tuple, Any]] = []
    for cf, path in zip(rules.checks, check_paths, strict=True):
        conditions += [(path, ("definitions", n), c) for n, c in cf.definitions.items()]
        conditions += [(path, ("rules", ri, "when"), r.when) for ri, r in enumerate(cf.rules)]
    for pf in rules.params.values():
        ppath = root / "params" / f"{pf.law}.yaml"
        for vi, version in enumerate(pf.versions):
            for group, values in version.params.items():
                for name, value in values.items():
                    problem = durable_number_problem(value)
                    if problem:
                        rd.problem(ppath, ("versions", vi, "params", group, name), problem)
                    elif isinstance(value, str) and _EXPONENT.match(value.strip()):
                        rd.problem(ppath, ("versions", vi, "params", group, name), f"数字不能写成指数形式（{value}）")
    for path, loc, cond in conditions:
        for where, sub in _walk(cond, loc):
            if not isinstance(sub, Test):
                continue
            for v in sub.value if isinstance(sub.value, list) else [sub.value]:
                problem = durable_number_problem(v)
                if problem:
                    rd.problem(path, where, problem)

    # range tests under one node: an upper bound per item over every version and expansion
    items_path = root / "items.yaml"
    for iid, eng in rules.items.items():
        ranges: set[tuple[str, str, str]] = set()
        for cf, _, _, rule in all_rules:
            if cf.kind != eng.kind or (rule.items is not None and iid not in rule.items):
                continue
            ranges |= _range_tests(rule.when, rules.definitions.get(cf.kind, {}), _expansion_keys(rules, cf.kind, rule.for_each))
        if len(ranges) > MAX_RANGE_TESTS:
            rd.problem(
                items_path,
                (iid,),
                f"事项 {iid} 的检查规则共有 {len(ranges)} 个不同的范围比较（gt/gte/lt/lte），超过 {MAX_RANGE_TESTS}："
                "durable-rules 在一份文档同时满足 64 个以上时于检查时报错 303；请合并条件或拆分规则",
            )

    # width of a check document
    for kind in sorted({cf.kind for cf in rules.checks}):
        width = len(fact_catalogue.fact_types(kind, rules)) + _RESERVED_PROPERTIES + 1  # + basis_reason (filing)
        if width > MAX_DOCUMENT_PROPERTIES:
            rd.problem(
                root / "vocabulary.yaml",
                (),
                f"{kind} 检查文档有 {width} 个属性，超过 durable-rules 的上限 {MAX_DOCUMENT_PROPERTIES}（错误 302）；"
                "请减少处罚种类、检查措施或备案事实",
            )


def _param_problem(rules: RuleSet, param: str, covered: Any, bindings: set[str]) -> str | None:
    """Why a param a rule uses may be undefined where the rule applies, or None."""
    if param in bindings:
        return None
    if param in _VERSION_PARAMS:
        return None if covered(param) else f"参数 {param} 只在设有罚款幅度的条文版本中存在，规则须声明 needs: [fine]"
    law = param.split(".")[0]
    pf = rules.params.get(law)
    if pf is None:
        return f"参数 {param} 未定义（rules/params/ 中没有 {law}.yaml）" + did_you_mean(law, rules.params)
    group, _, name = param[len(law) + 1 :].partition(".")
    for v in pf.versions:
        if name not in v.params.get(group, {}) and not covered(param):
            period = f"{v.in_force_from or '施行日期不详'} 至 {v.in_force_until or '今'}"
            known = [f"{law}.{g}.{n}" for g, values in v.params.items() for n in values]
            return f"参数 {param} 在 rules/params/{law}.yaml 的版本（{period}）中没有定义" + did_you_mean(param, known)
    return None


def _expansion_keys(rules: RuleSet, kind: str, for_each: str | None) -> list[str]:
    """Every value {key} can take in a for_each rule (an upper bound: all vocabulary keys)."""
    if for_each is None:
        return [""]
    if for_each.startswith("measures"):
        return [m.key for m in rules.vocabulary.measures]
    if for_each == "no_penalty_grounds":
        return [g.key for g in rules.vocabulary.no_penalty_grounds]
    return [k.key for k in rules.vocabulary.sanctions]


def _range_tests(cond: Any, definitions: dict[str, Any], keys: list[str], via: tuple[str, ...] = ()) -> set[tuple[str, str, str]]:
    """Distinct (fact, operator, value) range tests a rule can compile to (params by name)."""
    out: set[tuple[str, str, str]] = set()
    for _, sub in _walk(cond, ()):
        if isinstance(sub, Ref) and sub.ref in definitions and sub.ref not in via:
            out |= _range_tests(definitions[sub.ref], definitions, keys, via + (sub.ref,))
        elif isinstance(sub, Test) and sub.op in ("gt", "gte", "lt", "lte"):
            value = f"param:{sub.value.param}" if isinstance(sub.value, Param) else repr(sub.value)
            for key in keys if "{" in sub.fact else [""]:
                out.add((sub.fact.replace("{key}", key), sub.op, value))
    return out


def _param_type_problem(rules: RuleSet, param: str, expected: type | None) -> str | None:
    """Why a law param's value in some version does not have the type of the fact it is compared with."""
    law, _, rest = param.partition(".")
    group, _, name = rest.partition(".")
    pf = rules.params.get(law)
    if pf is None or expected is None:
        return None
    for v in pf.versions:
        value = v.params.get(group, {}).get(name)
        if value is None:
            continue
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if (
            (expected in (int, float) and not number)
            or (expected is bool) != isinstance(value, bool)
            or (expected is str) != isinstance(value, str)
        ):
            return (
                f"参数 {param} 的值 {value!r}（rules/params/{law}.yaml）与事实的类型 {expected.__name__} 不符，durable-rules 会按文本比较"
            )
    return None


_CASCADE = ("没有任何检查规则产生", "没有任何适用的检查规则", "被覆盖的规则", "未定义的条件", "范围比较")


def _follows_from(problem: Problem, failed: set[Path], root: Path) -> bool:
    """Whether a cross-check problem may only repeat that a file failed to validate (it names its id)."""
    ids: set[str] = set()
    for path in failed:
        parts = path.relative_to(root).parts
        if parts[0] == "checks":
            if any(c in problem.message for c in _CASCADE):
                return True
        elif parts[0] == "provisions" and len(parts) == 3:
            ids.add(parts[1] if path.name == "index.yaml" else f"{parts[1]}.{path.stem}")
        else:
            ids.add(path.stem)
    return any(re.search(rf"(?<![\w.]){re.escape(i)}(?![\w])", problem.message) for i in ids)
