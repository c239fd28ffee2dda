"""Load a rules folder: read every YAML file strictly, validate it, resolve cross-references.

``load_rules(dir)`` returns a ``RuleSet`` or raises ``RuleError`` with one problem per line
(file and line). Nothing here evaluates a draft.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import stat
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from quanze.engine.load.reader import MAX_RULE_FILE_BYTES, Reader
from quanze.engine.load.rulecache import cache_folder
from quanze.engine.model.errors import Problem, RuleError
from quanze.engine.model.ruleset import RuleSet  # the loader's product; importers of the check layer take it from model
from quanze.engine.model.safeio import TooLarge, read_limited
from quanze.engine.model.schema import (
    AccountabilityRules,
    AuditRules,
    CalendarYear,
    CatalogItem,
    CheckFile,
    Discretion,
    DiscretionPolicy,
    DocumentRules,
    ElementRules,
    FactorList,
    FilingItem,
    FindingDef,
    InspectionItem,
    ItemEngine,
    Law,
    LighterPolicy,
    ParamFile,
    Provision,
    SubjectRules,
    Vocabulary,
)


def default_rules_dir() -> Path:
    """The rules folder shipped inside the package: the folder of the ``quanze.rules`` package, as
    ``importlib.resources.files`` gives it for a package installed as files (which imports its zip reader, ~1.5 ms)."""
    spec = importlib.util.find_spec("quanze.rules")
    if spec is None or spec.origin is None:
        raise RuntimeError("找不到随包发布的规则（quanze.rules）")
    return Path(spec.origin).parent


class RuleFiles(dict[Path, bytes]):
    """The bytes of every rule file, and the ``*.yaml`` entries that are not regular files (never opened)."""

    irregular: list[Path]


def rule_files(root: Path) -> RuleFiles:
    """The bytes of every rule file (``*.yaml``) under a folder, in path order; a FIFO, device or socket is
    listed in ``irregular``, not read (opening a FIFO blocks); a file over MAX_RULE_FILE_BYTES is refused
    before it is read (a link to a 1 GiB sparse file)."""
    out = RuleFiles()
    out.irregular = []
    for path in sorted(root.rglob("*.yaml")):
        try:
            mode = path.stat().st_mode
        except OSError:
            continue
        if stat.S_ISREG(mode):
            try:
                out[path] = read_limited(path, MAX_RULE_FILE_BYTES)
            except TooLarge as exc:
                raise RuleError([Problem(str(path.relative_to(root.parent)), "", exc.reason() + "（规则文件）")]) from None
        elif not stat.S_ISDIR(mode):
            out.irregular.append(path)
    return out


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
    here = Path(__file__).resolve().parent.parent  # the engine package (this file is in engine/load/)
    found = [(p.relative_to(here).as_posix(), p.read_bytes()) for p in sorted(here.rglob("*.py")) if p.is_file()]
    if len(found) < MIN_ENGINE_MODULES:
        raise RuntimeError(f"规则缓存的代码键只找到 {len(found)} 个引擎模块（{here}），少于 {MIN_ENGINE_MODULES} 个")
    return found


def _code_key() -> str:
    """What the stored form depends on besides the rules: Python, pydantic and the bytes of every module of
    the engine package (found from the package's own folder, subfolders included, so a module added or
    moved is covered; the self-test stored with the rules depends on the compiler and evaluator too).
    The quanze version adds nothing the engine bytes do not say, and reading it (importlib.metadata) cost
    ~10 ms of every command."""
    if not _CODE_KEY:
        import pydantic

        digest = hashlib.sha256(f"{sys.version_info[:3]}\0{pydantic.VERSION}".encode())
        for rel, data in engine_sources():
            digest.update(rel.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
        _CODE_KEY.append(digest.hexdigest()[:16])
    return _CODE_KEY[0]


# the fields of a RuleSet the cache keeps: all but where it was read from and what is made from them on reading
_STORED = tuple(f.name for f in dataclasses.fields(RuleSet) if f.name not in ("root", "definitions", "cache", "from_cache"))


def __getattr__(name: str) -> Any:
    if name == "_Stored":  # made on first use: no command uses it, and a model class costs every start ~0.5 ms
        return _stored_model()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _stored_model() -> type[BaseModel]:
    """The validated content of a rules folder (the fields the cache keeps, typed as RuleSet types them) as JSON,
    re-validated on load: the form the cache had before it kept the objects themselves, kept for
    benchmarks/bench_rules_load.py to compare."""
    import typing

    from pydantic import create_model

    hints = typing.get_type_hints(RuleSet)
    fields: dict[str, Any] = {"key": (str, ...)}
    for f in dataclasses.fields(RuleSet):
        if f.name in _STORED:
            fields[f.name] = (hints[f.name], ... if f.default is dataclasses.MISSING else f.default)
    return create_model("_Stored", __config__=ConfigDict(extra="forbid", frozen=True, defer_build=True), **fields)


def _read_cached(path: Path, key: str, root: Path) -> RuleSet | None:
    """The RuleSet stored under a key (engine/load/rulecache.py: signed, owner-only); None when absent, not
    safely ours, corrupt or of another key."""
    from quanze.engine.load.rulecache import CompiledStore, read_entry

    stored = read_entry(path, key)
    if not isinstance(stored, dict) or set(stored) != set(_STORED):
        return None
    rules = RuleSet(root=root, definitions={}, **stored)
    _define(rules)
    rules.from_cache = True
    rules.cache = CompiledStore(path.parent, key)
    return rules


def _write_cached(path: Path, key: str, rules: RuleSet) -> None:
    """Store a validated, self-tested RuleSet and the rulesets its self-test compiled (engine/load/rulecache.py)."""
    from quanze.engine.load.rulecache import CompiledStore, write_entry

    write_entry(path, key, {f: getattr(rules, f) for f in _STORED})
    store = CompiledStore(path.parent, key)
    for k, v in rules.cache.items():
        store[k] = v  # each compiled ruleset in its own entry, read by the command that needs it
    rules.cache = store


_VERIFIED: dict[tuple[str, str], RuleSet] = {}  # (folder, content and code key) → rules that passed every check, this process
MEMO_SIZE = 8  # folders kept in _VERIFIED (a reviewer's copy beside the shipped rules); 0 turns it off


def verify(rules: RuleSet) -> list[Problem]:
    """What ``rules validate`` refuses beyond reading: the 评查 scoring table and the durable-rules self-test."""
    from quanze.engine.load.scoring import load_scoring
    from quanze.engine.load.selftest import self_test

    try:
        load_scoring(rules)
    except RuleError as exc:
        return list(exc.problems)
    return self_test(rules)


def load_rules(root: Path | str | None = None, *, use_cache: bool = True) -> RuleSet:
    """A validated, self-tested RuleSet of a rules folder; RuleError lists every problem.

    The folder is used only after it passes every check of ``rules validate``: schema and cross
    references, the 评查 scoring table, and the durable-rules self-test of every ruleset it compiles to.
    The rules version is a hash of every rule file's bytes. The cache (``engine_settings().cache_folder()``,
    a 0700 folder; off with QUANZE_NO_CACHE=1 or ``use_cache=False``) keeps the validated, self-tested
    rules and the rulesets compiled from them as signed pickles under that hash and the code's key
    (engine/load/rulecache.py), so an edit of any byte is read and tested again whatever the file times
    say; an entry that is corrupt, unsigned, of another key, not owned by the user or writable by others
    is ignored and rebuilt. Within one process the rules of a folder whose bytes have not changed are
    reused (the files are read and hashed on every call). A durable-rules handle is made in each process.
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
    use_cache = use_cache and not files.irregular  # a FIFO among the rules: read and refused, never a cached pass
    if use_cache and MEMO_SIZE and (str(root), key) in _VERIFIED:
        return _VERIFIED[(str(root), key)]
    cache_dir = cache_folder() if use_cache else None
    cached = cache_dir / f"rules-{key}.pickle" if cache_dir else None
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
    rd = Reader(root, files)
    for path in getattr(files, "irregular", []):  # reported first; every listing below skips them
        rd.regular(path)

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
                    rd.problem(index, ("id",), f"id {law.id} 与目录名 {folder.name} 不一致", about=(law.id, folder.name))
                laws[law.id] = law
        for path in sorted(folder.glob("*.yaml")):
            if path.name == "index.yaml":
                continue
            prov = rd.read(path, Provision)
            if prov is None:
                continue
            expected = f"{folder.name}.{path.stem}"
            if prov.id != expected:
                rd.problem(path, ("id",), f"id {prov.id} 与路径应得的 {expected} 不一致", about=(prov.id, expected))
            if prov.id in provisions:
                rd.problem(path, ("id",), f"条文 id {prov.id} 重复", about=(prov.id,))
            provisions[prov.id] = prov
            prov_paths[prov.id] = path

    def single(name: str, model: type[BaseModel]) -> Any:
        path = root / name
        if not path.exists():
            rd.problems.append(Problem(rd.label(path), "", "缺少此规则文件"))
            return None
        return rd.read(path, model)

    vocabulary = single("vocabulary.yaml", Vocabulary)
    findings_model, items_model = _file_models()
    findings_file = single("findings.yaml", findings_model)
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
        wrapped = rd.read(items_path, items_model)
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
    elements_path = root / "elements.yaml"
    elements = rd.read(elements_path, ElementRules) if elements_path.exists() else None
    documents_path = root / "documents.yaml"
    documents = rd.read(documents_path, DocumentRules) if documents_path.exists() else None
    filings: dict[str, FilingItem] = rd.read_folder(root / "filing", FilingItem, "item")

    calendar: list[CalendarYear] = []
    for path in sorted((root / "calendar").glob("*.yaml")):
        cal = rd.read(path, CalendarYear)
        if cal is not None:
            if cal.scope == "national" and any(c.scope == "national" and c.year == cal.year for c in calendar):
                rd.problem(path, ("year",), f"{cal.year} 年的全国日历重复", about=())
            calendar.append(cal)

    checks: list[CheckFile] = []
    check_paths: list[Path] = []
    for path in sorted((root / "checks").glob("*.yaml")):
        cf = rd.read(path, CheckFile)
        if cf is not None:
            checks.append(cf)
            check_paths.append(path)
            for kind in cf.also:  # one file written once, checking several kinds (rules/checks/coercive.yaml)
                rules_ = [r.model_copy(update={"id": f"{r.id}_{kind}"}) for r in cf.rules]
                checks.append(cf.model_copy(update={"kind": kind, "also": [], "rules": rules_}))
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
        elements=elements,
        documents=documents,
    )
    _define(rules)
    from quanze.engine.load.rulechecks import run_all  # only when the files are read (not on a start from the cache)

    run_all(rules, rd, prov_paths, check_paths)
    if read_problems:  # a file that did not validate: keep what the others say, not what follows from its absence
        rd.problems[read_problems:] = [p for p in rd.problems[read_problems:] if not _follows_from(p, rd.failed, root)]
    if rd.problems:
        raise RuleError(rd.problems)
    return rules


def _define(rules: RuleSet) -> None:
    """The named conditions of a RuleSet, from its check files (one place for fresh and cached rules)."""
    for cf in rules.checks:
        rules.definitions.setdefault(cf.kind, {}).update(cf.definitions)


@functools.cache
def _file_models() -> tuple[type[BaseModel], type[BaseModel]]:
    """The models of findings.yaml and items.yaml, made when the rules are read from their files, not on a start from
    the cache (a generic RootModel costs its import and its class)."""
    from pydantic import RootModel

    class _FindingsFile(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
        findings: list[FindingDef]

    class _ItemsFile(RootModel[dict[str, ItemEngine]]):
        """items.yaml is a mapping of item id -> ItemEngine."""

        model_config = ConfigDict(defer_build=True)

    return _FindingsFile, _ItemsFile


def _follows_from(problem: Problem, failed: set[Path], root: Path) -> bool:
    """Whether a cross-check problem may only repeat that a file failed to validate: it names (``about``) an id that
    file defines, or it says a check rule or named condition is absent (``cascade``) and a check file failed."""
    ids: set[str] = set()
    for path in failed:
        parts = path.relative_to(root).parts
        if parts[0] == "checks":
            if problem.cascade:
                return True
        elif parts[0] == "provisions" and len(parts) == 3:
            ids.add(parts[1] if path.name == "index.yaml" else f"{parts[1]}.{path.stem}")
        else:
            ids.add(path.stem)
    return not ids.isdisjoint(problem.about)
