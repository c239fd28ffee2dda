"""The cross-checks of a rules folder, one registered ``check_*`` function per thing refused (yamllint's rule modules).

``run_all`` runs every check in registration order over a read RuleSet and collects every problem
(the order of the problems is the order of the checks). Each check's docstring says what it refuses.
What durable-rules can take (list sizes, rules per ruleset, number range) is in ``engine/lang/limits.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any, get_args

from quanze.engine.lang.compile import BASE_PARAMS, EXPANSION_BINDINGS
from quanze.engine.lang.conditions import walk
from quanze.engine.lang.limits import MAX_DOCUMENT_PROPERTIES, MAX_IN_VALUES, MAX_NUMBER, MAX_RANGE_TESTS
from quanze.engine.law.textnumbers import day_problems, fine_problems
from quanze.engine.load.reader import Reader
from quanze.engine.model import facts as fact_catalogue
from quanze.engine.model.errors import did_you_mean
from quanze.engine.model.ruleset import RuleSet
from quanze.engine.model.schema import Bound, CheckFile, CheckRule, Defect, Param, Ref, Splice, Test


@dataclass
class Context:
    """What every check reads: the rules, the reader collecting problems, where each file is."""

    rules: RuleSet
    rd: Reader
    prov_paths: dict[str, Path]
    check_paths: list[Path]

    @property
    def root(self) -> Path:
        return self.rules.root

    @cached_property
    def all_rules(self) -> list[tuple[CheckFile, Path, int, CheckRule]]:
        """(check file, its path, index, rule) of every check rule."""
        pairs = zip(self.rules.checks, self.check_paths, strict=True)
        return [(cf, path, ri, rule) for cf, path in pairs for ri, rule in enumerate(cf.rules)]

    @cached_property
    def defined_in(self) -> dict[tuple[str, str], Path]:
        """(kind, name) of a named condition → the first check file defining it."""
        out: dict[tuple[str, str], Path] = {}
        for cf, path in zip(self.rules.checks, self.check_paths, strict=True):
            for name in cf.definitions:
                out.setdefault((cf.kind, name), path)
        return out


Check = Callable[[Context], None]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    """Register a check (run in the order registered)."""
    CHECKS.append(fn)
    return fn


def run_all(rules: RuleSet, rd: Reader, prov_paths: dict[str, Path], check_paths: list[Path]) -> None:
    """Run every registered check; their problems go to ``rd.problems``."""
    ctx = Context(rules, rd, prov_paths, check_paths)
    for fn in CHECKS:
        fn(ctx)


_DEFECTS = set(get_args(Defect))
_ARTICLE = re.compile(r"^(\S+) 第([一二三四五六七八九十百零]+)条")


# --- references: every reference resolves; every kind, code, fact and number exists ------------------


@check
def check_catalog_citations(ctx: Context) -> None:
    """A catalog item citing a law or provision that is not encoded, or a provision of another law."""
    rules, rd = ctx.rules, ctx.rd
    for item in rules.catalog.values():
        path = ctx.root / "catalog" / f"{item.id}.yaml"
        for column in ("bases", "responsibility_bases"):
            for ci, cit in enumerate(getattr(item, column)):
                if cit.law and cit.law not in rules.laws:
                    rd.problem(
                        path, (column, ci, "law"), f"引用的法律 {cit.law} 不存在" + did_you_mean(cit.law, rules.laws), about=(cit.law,)
                    )
                for ai, art in enumerate(cit.articles):
                    if not art.provision:
                        continue
                    if art.provision not in rules.provisions:
                        rd.problem(
                            path,
                            (column, ci, "articles", ai, "provision"),
                            f"引用的条文 {art.provision} 不存在" + did_you_mean(art.provision, rules.provisions),
                            about=(art.provision,),
                        )
                    elif cit.law and rules.provisions[art.provision].law != cit.law:
                        rd.problem(
                            path,
                            (column, ci, "articles", ai, "provision"),
                            f"条文 {art.provision} 不属于 {cit.law}",
                            about=(art.provision, cit.law),
                        )


@check
def check_provision_references(ctx: Context) -> None:
    """A provision of a law without index.yaml, an unknown sanction kind, min/max on a non-fine, a bad condition."""
    rules, rd = ctx.rules, ctx.rd
    for pid, prov in rules.provisions.items():
        path = ctx.prov_paths[pid]
        if prov.law not in rules.laws:
            rd.problem(path, ("law",), f"法律 {prov.law} 没有 index.yaml", about=(prov.law,))
        for vi, ver in enumerate(prov.versions):
            if ver.penalty is None:
                continue
            for si, s in enumerate(ver.penalty.sanctions):
                if rules.sanction_kind(s.kind) is None:
                    rd.problem(
                        path,
                        ("versions", vi, "penalty", "sanctions", si, "kind"),
                        f"未知的处罚种类「{s.kind}」" + did_you_mean(s.kind, rules._kinds),
                        about=(),
                    )
                if s.provision and s.provision not in rules.provisions:
                    rd.problem(
                        path, ("versions", vi, "penalty", "sanctions", si, "provision"), f"条文 {s.provision} 不存在", about=(s.provision,)
                    )
                if (s.min is not None or s.max is not None) and s.kind != "罚款":
                    rd.problem(path, ("versions", vi, "penalty", "sanctions", si), "只有罚款可以有 min/max", about=())
                if s.unless is not None:
                    check_condition(rules, rd, path, ("versions", vi, "penalty", "sanctions", si, "unless"), s.unless, "penalty")
            for ri, res in enumerate(ver.penalty.reserved):
                for ki, kind in enumerate(res.kinds):
                    if rules.sanction_kind(kind) is None:
                        rd.problem(
                            path,
                            ("versions", vi, "penalty", "reserved", ri, "kinds", ki),
                            f"未知的处罚种类「{kind}」" + did_you_mean(kind, rules._kinds),
                            about=(),
                        )
                loc = ("versions", vi, "penalty", "reserved", ri, "missing_when")
                check_condition(rules, rd, path, loc, res.missing_when, "penalty")


@check
def check_vocabulary(ctx: Context) -> None:
    """A 不予处罚 ground with a bad condition or basis; a sanction kind satisfying an unknown kind or citing a bad basis."""
    rules, rd = ctx.rules, ctx.rd
    voc_path = ctx.root / "vocabulary.yaml"
    for gi, g in enumerate(rules.vocabulary.no_penalty_grounds):
        check_condition(rules, rd, voc_path, ("no_penalty_grounds", gi, "holds_when"), g.holds_when, "penalty")
        for bi, label in enumerate(g.basis):
            check_label(rules, rd, voc_path, ("no_penalty_grounds", gi, "basis", bi), label)
    for vi, k in enumerate(rules.vocabulary.sanctions):
        for ti, other in enumerate(k.satisfies):
            if rules.sanction_kind(other) is None:
                rd.problem(
                    voc_path, ("sanctions", vi, "satisfies", ti), f"未知的处罚种类「{other}」" + did_you_mean(other, rules._kinds), about=()
                )
        if k.general:
            check_label(rules, rd, voc_path, ("sanctions", vi, "general", "basis"), k.general.basis)


@check
def check_finding_sanctions(ctx: Context) -> None:
    """A finding code naming (``sanction``) a sanction kind the vocabulary does not list."""
    for fi, (code, fdef) in enumerate(ctx.rules.findings.items()):
        if fdef.sanction is not None and ctx.rules.sanction_kind(fdef.sanction) is None:
            ctx.rd.problem(
                ctx.root / "findings.yaml",
                ("findings", fi, "sanction"),
                f"结论代码 {code} 的处罚种类「{fdef.sanction}」不在 vocabulary.yaml 中" + did_you_mean(fdef.sanction, ctx.rules._kinds),
                about=(code,),
            )


@check
def check_items_catalog(ctx: Context) -> None:
    """items.yaml and catalog/ disagreeing; an item of the wrong kind; a penalty item without a penalty provision."""
    rules, rd = ctx.rules, ctx.rd
    items_path = ctx.root / "items.yaml"
    for iid in rules.catalog:
        if iid not in rules.items:
            rd.problem(items_path, (), f"缺少事项 {iid} 的引擎配置", about=(iid,))
    for iid, eng in rules.items.items():
        if iid not in rules.catalog:
            rd.problem(items_path, (iid,), f"事项 {iid} 不在 catalog/ 中" + did_you_mean(iid, rules.catalog), about=(iid,))
        expected = {"CF": "penalty", "JC": "inspection"}.get(iid[:2])
        if expected and eng.kind != expected:
            rd.problem(items_path, (iid, "kind"), f"事项 {iid} 应为 {expected}, 实际为 {eng.kind}", about=(iid,))
        if eng.kind == "penalty":
            if not eng.provision or eng.provision not in rules.provisions:
                rd.problem(items_path, (iid, "provision"), f"处罚事项 {iid} 的条文 {eng.provision} 不存在", about=(iid, eng.provision))
            elif not any(v.penalty for v in rules.provisions[eng.provision].versions):
                rd.problem(items_path, (iid, "provision"), f"条文 {eng.provision} 没有 penalty (处罚种类) 设定", about=(eng.provision,))


@check
def check_inspections(ctx: Context) -> None:
    """An inspection file of a non-inspection item, citing an unknown provision or measure."""
    rules, rd = ctx.rules, ctx.rd
    measure_names = [m.name for m in rules.vocabulary.measures]
    for iid, insp in rules.inspections.items():
        path = ctx.root / "inspection" / f"{iid}.yaml"
        if rules.items.get(iid) is None or rules.items[iid].kind != "inspection":
            rd.problem(path, ("item",), f"{iid} 不是行政检查事项", about=(iid,))
        for bi, pid in enumerate(insp.basis):
            if pid not in rules.provisions:
                rd.problem(path, ("basis", bi), f"条文 {pid} 不存在" + did_you_mean(pid, rules.provisions), about=(pid,))
        for what, required in (("random", insp.random_required_for), ("publish", insp.publish_results_for)):
            source = getattr(insp, f"{what}_source")
            if required and not source:
                rd.problem(
                    path,
                    (f"{what}_source",),
                    f"写了 {'random_required_for' if what == 'random' else 'publish_results_for'}，须同时写明依据条文（{what}_source）",
                    about=(),
                )
            elif source:
                check_label(rules, rd, path, (f"{what}_source",), insp.source_label(source) or "")
        for mi, allowed in enumerate(insp.measures):
            if allowed.measure not in measure_names:
                rd.problem(
                    path,
                    ("measures", mi, "measure"),
                    f"未知的检查措施「{allowed.measure}」" + did_you_mean(allowed.measure, measure_names),
                    about=(),
                )


@check
def check_item_files(ctx: Context) -> None:
    """An inspection or filing item without its inspection/ or filing/ file."""
    rules, rd = ctx.rules, ctx.rd
    items_path = ctx.root / "items.yaml"
    for iid, eng in rules.items.items():
        if eng.kind == "inspection" and iid not in rules.inspections:
            rd.problem(items_path, (iid,), f"行政检查事项 {iid} 缺少 inspection/{iid}.yaml", about=(iid,))
        if eng.kind == "filing" and iid not in rules.filings:
            rd.problem(items_path, (iid,), f"备案事项 {iid} 缺少 filing/{iid}.yaml", about=(iid,))


@check
def check_filings(ctx: Context) -> None:
    """A filing file of a non-filing item, citing an unknown provision, or with a default of the wrong type."""
    rules, rd = ctx.rules, ctx.rd
    for iid, fil in rules.filings.items():
        path = ctx.root / "filing" / f"{iid}.yaml"
        if rules.items.get(iid) is None or rules.items[iid].kind != "filing":
            rd.problem(path, ("item",), f"{iid} 不是备案事项", about=(iid,))
        if fil.basis not in rules.provisions:
            rd.problem(path, ("basis",), f"条文 {fil.basis} 不存在" + did_you_mean(fil.basis, rules.provisions), about=(fil.basis,))
        for name, spec in fil.facts.items():
            if not spec.accepts(spec.default):
                rd.problem(path, ("facts", name, "default"), f"默认值 {spec.default!r} 不是 {spec.type}", about=())


@check
def check_subjects(ctx: Context) -> None:
    """subjects.yaml: a repeated role or conduct id, a spelling of two roles, an unknown role, item or provision."""
    rules, rd = ctx.rules, ctx.rd
    if rules.subjects is None:
        return
    from quanze.engine.law.subjects import normalise

    path = ctx.root / "subjects.yaml"
    role_ids = {r.id for r in rules.subjects.roles}
    spelled: dict[str, str] = {}
    for ri, role in enumerate(rules.subjects.roles):
        if [r.id for r in rules.subjects.roles].count(role.id) > 1:
            rd.problem(path, ("roles", ri, "id"), f"身份 id {role.id} 重复", about=(role.id,))
        for wi, other in enumerate(role.within):
            if other not in role_ids:
                rd.problem(path, ("roles", ri, "within", wi), f"未知的身份 {other}" + did_you_mean(other, role_ids), about=(other,))
        for name in (role.name, *role.synonyms):
            key = normalise(name)
            if spelled.get(key, role.id) != role.id:
                rd.problem(path, ("roles", ri), f"写法「{name}」同时属于身份 {spelled[key]} 和 {role.id}", about=(spelled[key], role.id))
            spelled[key] = role.id
    conduct_ids: set[str] = set()
    for iid, spec in rules.subjects.items.items():
        if iid not in rules.catalog:
            rd.problem(path, ("items", iid), f"事项 {iid} 不存在" + did_you_mean(iid, rules.catalog), about=(iid,))
        for ci, cov in enumerate(spec.roles):
            if cov.role not in role_ids:
                rd.problem(
                    path,
                    ("items", iid, "roles", ci, "role"),
                    f"未知的身份 {cov.role}" + did_you_mean(cov.role, role_ids),
                    about=(cov.role,),
                )
            if cov.provision not in rules.provisions:
                rd.problem(path, ("items", iid, "roles", ci, "provision"), f"条文 {cov.provision} 不存在", about=(cov.provision,))
        for ci, c in enumerate(spec.conducts):
            if c.id in conduct_ids:
                rd.problem(path, ("items", iid, "conducts", ci, "id"), f"行为 id {c.id} 重复", about=(c.id,))
            conduct_ids.add(c.id)
            if c.provision not in rules.provisions:
                rd.problem(path, ("items", iid, "conducts", ci, "provision"), f"条文 {c.provision} 不存在", about=(c.provision,))


@check
def check_elements(ctx: Context) -> None:
    """elements.yaml: words not in the article text, an unknown item or provision, a name used twice."""
    rules, rd = ctx.rules, ctx.rd
    if rules.elements is None:
        return
    path = ctx.root / "elements.yaml"

    def words_problem(loc: tuple, words: str, pid: str) -> None:
        prov = rules.provisions.get(pid)
        if prov is None:
            rd.problem(path, (*loc, "provision"), f"条文 {pid} 不存在" + did_you_mean(pid, rules.provisions), about=(pid,))
            return
        for vi, version in enumerate(prov.versions):
            if words not in version.text:
                since = version.in_force_from.isoformat() if version.in_force_from else f"第 {vi + 1} 个版本"
                rd.problem(path, (*loc, "words"), f"“{words}”不在 {rules.law_label(pid)}（{since} 起的文本）中", about=())

    factor_names = {f.name for f in rules.factors.factors}
    decisive_names: set[str] = set()
    for di, fact in enumerate(rules.elements.decisive):
        words_problem(("decisive", di), fact.words, fact.provision)
        for name in (fact.name, fact.id):
            if name in decisive_names or name in factor_names:
                rd.problem(path, ("decisive", di), f"名称 {name} 重复（与另一事实或情节同名）", about=())
            decisive_names.add(name)
    for iid, spec in rules.elements.items.items():
        engine = rules.items.get(iid)
        if engine is None or engine.kind != "penalty":
            rd.problem(path, ("items", iid), f"事项 {iid} 不是行政处罚事项" + did_you_mean(iid, rules.items), about=(iid,))
        names: set[str] = set()
        for ei, element in enumerate(spec.elements):
            words_problem(("items", iid, "elements", ei), element.words, element.provision)
            for name in dict.fromkeys((element.name, element.id)):
                if name in names or name in decisive_names or name in factor_names:
                    rd.problem(path, ("items", iid, "elements", ei), f"名称 {name} 重复（与本事项另一要件、裁量事实或情节同名）", about=())
                names.add(name)


@check
def check_documents(ctx: Context) -> None:
    """documents.yaml: a statement whose words are not in the text of its provision, an unknown provision."""
    rules, rd = ctx.rules, ctx.rd
    if rules.documents is None:
        return
    path = ctx.root / "documents.yaml"
    for part in ("notice", "decision"):
        for key, statement in getattr(rules.documents, part).items():
            pid = statement.provision
            if pid is None:
                continue
            prov = rules.provisions.get(pid)
            if prov is None:
                rd.problem(path, (part, key, "provision"), f"条文 {pid} 不存在" + did_you_mean(pid, rules.provisions), about=(pid,))
            elif not any(statement.words in v.text for v in prov.versions):
                rd.problem(path, (part, key, "words"), f"“{statement.words}”不在 {rules.law_label(pid)} 的文本中", about=())


@check
def check_discretion(ctx: Context) -> None:
    """A discretion file of an unknown provision, bands not covering 0 to 1 end to end, an unknown tier."""
    rules, rd = ctx.rules, ctx.rd
    for pid, disc in rules.discretion.items():
        path = ctx.root / "discretion" / f"{pid}.yaml"
        if pid not in rules.provisions:
            rd.problem(path, ("provision",), f"条文 {pid} 不存在" + did_you_mean(pid, rules.provisions), about=(pid,))
        edges = sorted((b.lower, b.upper) for b in disc.bands)
        if edges[0][0] != 0 or edges[-1][1] != 1 or any(a[1] != b[0] for a, b in pairwise(edges)):
            rd.problem(path, ("bands",), "阶次须首尾相接地覆盖 0 到 1", about=())
        tiers = {b.tier for b in disc.bands}
        for claimed, bands in disc.allowed.items():
            if claimed not in tiers or any(b not in tiers for b in bands):
                rd.problem(path, ("allowed", claimed), f"未知的阶次: {claimed}: {bands}", about=())


@check
def check_factors(ctx: Context) -> None:
    """Two 情节 with one name; a recommended-tier condition over unknown facts or of the wrong type."""
    rules, rd = ctx.rules, ctx.rd
    names = [f.name for f in rules.factors.factors]
    for dup in {n for n in names if names.count(n) > 1}:
        rd.problem(ctx.root / "discretion" / "factors.yaml", ("factors",), f"情节名称重复: {dup}", about=())
    for ri, row in enumerate(rules.policy.recommend):
        if row.when is not None:
            check_condition(rules, rd, ctx.root / "discretion" / "policy.yaml", ("recommend", ri, "when"), row.when, "penalty")


@check
def check_accountability_lists(ctx: Context) -> None:
    """An accountability list of an unknown item or defect, or naming a 追责情形 number the item did not publish."""
    rules, rd = ctx.rules, ctx.rd
    acc_path = ctx.root / "accountability.yaml"
    for iid, mapping in rules.accountability.lists.items():
        if iid not in rules.catalog:
            rd.problem(acc_path, ("lists", iid), f"事项 {iid} 不存在", about=(iid,))
            continue
        published = {t.no for t in rules.catalog[iid].triggers}
        for defect, nos in mapping.items():
            if defect not in _DEFECTS and defect not in rules.findings:
                rd.problem(
                    acc_path,
                    ("lists", iid, defect),
                    f"{defect} 既不是结论代码也不是追责类别" + did_you_mean(defect, list(rules.findings)),
                    about=(defect,),
                )
            for no in nos:
                if no not in published:
                    rd.problem(
                        acc_path, ("lists", iid, defect), f"{iid} 的追责情形没有第 {no} 项 (已公布: {sorted(published)})", about=(iid,)
                    )


@check
def check_audit_items(ctx: Context) -> None:
    """A known defect of audit.yaml naming an unknown item."""
    audit_path = ctx.root / "audit.yaml"
    for di, defect in enumerate(ctx.rules.audit.known_defects):
        if defect.item not in ctx.rules.catalog:
            ctx.rd.problem(audit_path, ("known_defects", di, "item"), f"事项 {defect.item} 不存在", about=(defect.item,))


@check
def check_accountability(ctx: Context) -> None:
    """Attribution rules missing or of an unregistered code; a code with no 追责情形 and no reason."""
    rules, rd = ctx.rules, ctx.rd
    acc_path = ctx.root / "accountability.yaml"
    acc = rules.accountability
    att = acc.attribution
    for stage in ("step", "decision", "collective"):
        name = getattr(att, stage)
        if name not in att.rules:
            rd.problem(acc_path, ("attribution", stage), f"归责规则 {name} 不存在" + did_you_mean(name, att.rules), about=(name,))
    for code, name in att.codes.items():
        if code not in rules.findings:
            rd.problem(
                acc_path,
                ("attribution", "codes", code),
                f"{code} 不是已登记的结论代码" + did_you_mean(code, list(rules.findings)),
                about=(code,),
            )
        if name not in att.rules:
            rd.problem(acc_path, ("attribution", "codes", code), f"归责规则 {name} 不存在" + did_you_mean(name, att.rules), about=(name,))
    for iid, mapping in acc.lists.items():
        for code, nos in mapping.items():
            if not nos and code not in acc.unmatched:
                rd.problem(acc_path, ("lists", iid, code), f"{code} 没有对应的追责情形, 须在 unmatched 中说明原因", about=(code,))
    for code in acc.unmatched:
        if code not in rules.findings:
            rd.problem(
                acc_path, ("unmatched", code), f"{code} 不是已登记的结论代码" + did_you_mean(code, list(rules.findings)), about=(code,)
            )


@check
def check_lighter_and_hooks(ctx: Context) -> None:
    """lighter.yaml naming an unknown kind or code; a hook of an unknown code; a non-penalty hook citing 行政处罚法."""
    rules, rd = ctx.rules, ctx.rd
    acc_path = ctx.root / "accountability.yaml"
    acc = rules.accountability
    lighter_path = ctx.root / "lighter.yaml"
    kinds = {k.kind for k in rules.vocabulary.sanctions}
    for kind in rules.lighter.general_when_gains:
        if kind not in kinds:
            rd.problem(lighter_path, ("general_when_gains",), f"未知的处罚种类 {kind}" + did_you_mean(kind, list(kinds)), about=())
    for code in rules.lighter.heavier_than_old:
        if code not in rules.findings:
            rd.problem(
                lighter_path,
                ("heavier_than_old",),
                f"{code} 不是已登记的结论代码" + did_you_mean(code, list(rules.findings)),
                about=(code,),
            )
    for key in acc.hooks:
        if key not in _DEFECTS and key not in rules.findings:
            rd.problem(
                acc_path, ("hooks", key), f"{key} 既不是结论代码也不是追责类别" + did_you_mean(key, list(rules.findings)), about=(key,)
            )
    for iid, hook in acc.own_hooks.items():
        item = rules.items.get(iid)
        if item is None or item.kind == "penalty":
            rd.problem(acc_path, ("own_hooks", iid), f"{iid} 不是非处罚事项 (处罚事项用 hooks)", about=(iid,))
        elif hook and "行政处罚法" in hook:
            # 行政处罚法 第七章 governs 行政处罚; an inspection, filing or complaint cites its own basis or none
            rd.problem(acc_path, ("own_hooks", iid), f"非处罚事项不得援引行政处罚法的追责条款, 实际为 {hook}", about=())


@check
def check_rules(ctx: Context) -> None:
    """A rule with a repeated id, an unregistered or other-kind code, a bad basis or condition, a missing overridden rule."""
    rules, rd = ctx.rules, ctx.rd
    seen_ids: set[str] = set()
    for cf, path in zip(rules.checks, ctx.check_paths, strict=True):
        for name, cond in cf.definitions.items():
            check_condition(rules, rd, path, ("definitions", name), cond, cf.kind)
        for ri, rule in enumerate(cf.rules):
            loc = ("rules", ri)
            if rule.id in seen_ids:
                rd.problem(path, loc + ("id",), f"规则 id {rule.id} 重复", about=(rule.id,))
            seen_ids.add(rule.id)
            fdef = rules.findings.get(rule.code)
            if fdef is None:
                rd.problem(
                    path,
                    loc + ("code",),
                    f"结论代码 {rule.code} 未在 findings.yaml 登记" + did_you_mean(rule.code, rules.findings),
                    about=(rule.code,),
                )
            elif cf.kind != fdef.kind and cf.kind not in fdef.also:
                rd.problem(path, loc + ("code",), f"{rule.code} 属于 {fdef.kind}, 不能用于 {cf.kind} 检查", about=(rule.code,))
            for bi, label in enumerate(rule.basis):
                if "{" not in label:
                    check_label(rules, rd, path, loc + ("basis", bi), label)
            check_condition(rules, rd, path, loc + ("when",), rule.when, cf.kind, templated=rule.for_each is not None)
            for other in rule.overrides:
                if not any(r.id == other for c in rules.checks for r in c.rules):
                    rd.problem(path, loc + ("overrides",), f"被覆盖的规则 {other} 不存在", about=(other,), cascade=True)


def check_label(rules: RuleSet, rd: Reader, path: Path, loc: tuple, label: str) -> None:
    """A basis label like 行政处罚法 第三十三条 must name an encoded law and article."""
    m = _ARTICLE.match(label)
    shorts = {law.short: law.id for law in rules.laws.values()}
    if not m or m.group(1) not in shorts:
        rd.problem(path, loc, f"依据「{label}」不是已编码法律的条文 (格式: 法律简称 第N条…)", about=())
        return
    law = shorts[m.group(1)]
    article = f"第{m.group(2)}条"
    if not any(p.law == law and p.article.startswith(article) for p in rules.provisions.values()):
        rd.problem(path, loc, f"依据「{label}」: {m.group(1)} {article} 没有条文文件", about=())


def check_condition(rules: RuleSet, rd: Reader, path: Path, loc: tuple, cond: Any, kind: str, templated: bool = False) -> None:
    """Every fact exists for the draft kind and every literal has the fact's type (refs checked where defined)."""
    for node in walk(cond, loc=loc):
        sub, where = node.cond, node.loc
        if isinstance(sub, Splice):
            if not templated:
                rd.problem(path, where, "splice 只能用于带 for_each 的规则", about=())
        elif isinstance(sub, Bound):
            if not templated:
                rd.problem(path, where, "bound 只能用于带 for_each 的规则", about=())
        elif isinstance(sub, Ref):
            if sub.ref not in rules.definitions.get(kind, {}):
                rd.problem(
                    path,
                    where + ("ref",),
                    f"未定义的条件 {sub.ref}" + did_you_mean(sub.ref, rules.definitions.get(kind, {})),
                    about=(sub.ref,),
                    cascade=True,
                )
        elif isinstance(sub, Test):
            _check_test(rules, rd, path, where, sub, kind, templated)


def _check_test(rules: RuleSet, rd: Reader, path: Path, loc: tuple, cond: Test, kind: str, templated: bool) -> None:
    """One comparison: its fact exists for the kind, each literal has the fact's type, ranges only on numbers."""
    types = fact_catalogue.fact_types(kind, rules)
    name = cond.fact
    if "{" in name:
        if not templated:
            rd.problem(path, loc + ("fact",), f"事实名 {name} 含占位符, 但规则没有 for_each", about=())
            return
        samples = [rules.vocabulary.measures[0].key] if kind == "inspection" else [rules.vocabulary.sanctions[0].key]
        samples += [g.key for g in rules.vocabulary.no_penalty_grounds[:1]]  # ground_{key} (for_each: no_penalty_grounds)
        name = next((name.replace("{key}", k) for k in samples if name.replace("{key}", k) in types), name.replace("{key}", samples[0]))
    if name not in types:
        rd.problem(path, loc + ("fact",), f"未知的事实 {cond.fact}" + did_you_mean(cond.fact, types), about=())
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
            rd.problem(
                path, loc, f"事实 {cond.fact} 的类型是 {expected.__name__}, 比较值 {v!r} 类型不符 (durable-rules 会按文本比较)", about=()
            )
    if cond.op in ("gt", "gte", "lt", "lte") and expected not in (int, float):
        rd.problem(path, loc, f"事实 {cond.fact} 不是数字, 不能用 {cond.op}", about=())


# --- completeness: what `check` would otherwise meet only at check time -----------------------------

_VERSION_PARAMS = {"fine.min", "fine.max"}  # compile.version_params: only where `needs: [fine]`
_RESERVED_PROPERTIES = 3  # sid, id and q_doc of every check document (engine/lang/evaluate.py)
_EXPONENT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+$")


def durable_number_problem(value: object) -> str | None:
    """Why durable-rules cannot compare a number (exponent form, > 15 significant digits, beyond ±10^15), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        text = json.dumps(value)
        if "e" in text.lower() or "inf" in text.lower() or "nan" in text.lower():
            return f"数字 {value!r} 在 durable-rules 中会写成指数形式（{text}），无法比较；请写成普通小数"
        digits = text.lstrip("-").replace(".", "").lstrip("0").rstrip("0") if "." in text else text.lstrip("-").strip("0")
    else:
        if abs(value) > 10**100:  # before str(): a 5,000-digit int cannot even be printed
            return _range_problem(value)
        digits = str(abs(value)).rstrip("0")
    if len(digits) > 15:
        return f"数字 {value!r} 的有效数字超过 15 位，durable-rules 无法精确比较"
    if abs(value) > MAX_NUMBER:
        return _range_problem(value)
    return None


def _range_problem(value: int | float) -> str:
    sign = "-" if value < 0 else ""
    shown = f"{value:.3e}" if isinstance(value, float) else f"约 {sign}10^{value.bit_length() * 30103 // 100000}"
    return f"数字 {shown} 超出 durable-rules 可比较的范围（绝对值不超过 10^15）"


@check
def check_codes_produced(ctx: Context) -> None:
    """A registered finding code no check rule produces."""
    produced = {rule.code for _, _, _, rule in ctx.all_rules}
    for fi, code in enumerate(ctx.rules.findings):
        if code not in produced:
            ctx.rd.problem(
                ctx.root / "findings.yaml",
                ("findings", fi, "code"),
                f"结论代码 {code} 没有任何检查规则产生（rules/checks/ 中缺少产生它的规则，检查文件是否被删除或改名？）",
                about=(code,),
                cascade=True,
            )


@check
def check_items_have_rules(ctx: Context) -> None:
    """An item no check rule applies to."""
    items_path = ctx.root / "items.yaml"
    for iid, eng in ctx.rules.items.items():
        if not any(cf.kind == eng.kind and (rule.items is None or iid in rule.items) for cf, _, _, rule in ctx.all_rules):
            ctx.rd.problem(
                items_path,
                (iid,),
                f"事项 {iid}（{eng.kind}）没有任何适用的检查规则（rules/checks/ 中 kind: {eng.kind} 的检查文件是否被删除？）",
                about=(iid,),
                cascade=True,
            )


@check
def check_definitions(ctx: Context) -> None:
    """A named condition defined twice for one kind, or named conditions referring to each other in a cycle."""
    rd = ctx.rd
    for cf, path in zip(ctx.rules.checks, ctx.check_paths, strict=True):
        for name in cf.definitions:
            first = ctx.defined_in[(cf.kind, name)]
            if first != path:
                rd.problem(
                    path, ("definitions", name), f"命名条件 {name} 已在 {rd.label(first)} 中定义（同类检查共用一组命名条件）", about=(name,)
                )
    for kind, definitions in ctx.rules.definitions.items():
        for cycle in _ref_cycles(definitions):
            path = ctx.defined_in.get((kind, cycle[0]), ctx.root / "vocabulary.yaml")
            rd.problem(path, ("definitions", cycle[0]), f"命名条件循环引用：{' → '.join(cycle)}", about=cycle)


def _ref_cycles(definitions: dict[str, Any]) -> list[list[str]]:
    """Cycles of `ref` among named conditions (each once, as a path back to its start)."""
    graph = {name: [n.cond.ref for n in walk(cond) if isinstance(n.cond, Ref)] for name, cond in definitions.items()}
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


@check
def check_params_defined(ctx: Context) -> None:
    """A param a rule uses (itself or through a ref) undefined where the rule applies, or not of its fact's type."""
    rules, rd = ctx.rules, ctx.rd
    reported: set[tuple[Path, tuple, str]] = set()
    for cf, path, ri, rule in ctx.all_rules:
        covered = lambda p, rule=rule: any(p.startswith(n + ".") for n in rule.needs)  # noqa: E731
        bindings = EXPANSION_BINDINGS.get(rule.for_each, set())
        types = fact_catalogue.fact_types(cf.kind, rules)
        for node in walk(rule.when, rules.definitions.get(cf.kind, {}), ("rules", ri, "when")):
            test, where, via = node.cond, node.loc, node.via
            if not (isinstance(test, Test) and isinstance(test.value, Param)):
                continue
            param = test.value.param
            problem = _param_problem(rules, param, covered, bindings) or _param_type_problem(rules, param, types.get(test.fact))
            at = ctx.defined_in.get((cf.kind, via[-1]), path) if via else path
            if problem and (at, where, param) not in reported:
                reported.add((at, where, param))
                through = f"命名条件 {via[-1]}（规则 {rule.id} 使用）" if via else f"规则 {rule.id}"
                rd.problem(at, where, f"{through}：{problem}", about=(rule.id, *via[-1:], *_param_ids(param)))


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@check
def check_message_names(ctx: Context) -> None:
    """A {name} in a rule's message or basis that no fact, param or for_each binding fills."""
    # a message is filled from the facts (engine/model/facts.py fact_types, MESSAGE_TEXTS), the params
    # (rules/params, the provision's, compile.BASE_PARAMS) and the bindings; a basis from the last two
    rules, rd = ctx.rules, ctx.rd
    for cf, path, ri, rule in ctx.all_rules:
        bindings = EXPANSION_BINDINGS.get(rule.for_each, set())
        params = BASE_PARAMS.get(cf.kind, frozenset()) | bindings
        facts = set(fact_catalogue.fact_types(cf.kind, rules)) | fact_catalogue.MESSAGE_TEXTS.get(cf.kind, frozenset())
        covered = lambda p, rule=rule: any(p.startswith(n + ".") for n in rule.needs)  # noqa: E731
        texts = [(("message",), rule.message, facts | params)] + [(("basis", bi), b, params) for bi, b in enumerate(rule.basis)]
        for where, text, known in texts:
            for name in _PLACEHOLDER.findall(text):
                if name in known:
                    continue
                problem = _param_problem(rules, name, covered, bindings) if "." in name else None
                if "." in name and problem is None:
                    continue
                rd.problem(
                    path,
                    ("rules", ri) + where,
                    f"规则 {rule.id}：{{{name}}} 没有事实、参数或 for_each 绑定填充，会原样出现在给执法人员的文字中"
                    + (f"（{problem}）" if problem else did_you_mean(name, sorted(known))),
                    about=(rule.id, *_param_ids(name)),
                )


def _param_ids(param: str) -> tuple[str, ...]:
    """The ids a param names: itself and, for law.group.name, the law (its params file)."""
    law, dot, _ = param.partition(".")
    return (param, law) if dot else (param,)


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


@check
def check_param_numbers(ctx: Context) -> None:
    """A params value durable-rules cannot compare: exponent form, > 15 significant digits, beyond ±10^15."""
    for pf in ctx.rules.params.values():
        ppath = ctx.root / "params" / f"{pf.law}.yaml"
        for vi, version in enumerate(pf.versions):
            for group, values in version.params.items():
                for name, value in values.items():
                    problem = durable_number_problem(value)
                    if problem:
                        ctx.rd.problem(ppath, ("versions", vi, "params", group, name), problem, about=())
                    elif isinstance(value, str) and _EXPONENT.match(value.strip()):
                        ctx.rd.problem(ppath, ("versions", vi, "params", group, name), f"数字不能写成指数形式（{value}）", about=())


def _conditions(ctx: Context) -> list[tuple[Path, tuple, Any]]:
    """(file, location, condition) of every named condition and rule condition of the check files."""
    out: list[tuple[Path, tuple, Any]] = []
    for cf, path in zip(ctx.rules.checks, ctx.check_paths, strict=True):
        out += [(path, ("definitions", n), c) for n, c in cf.definitions.items()]
        out += [(path, ("rules", ri, "when"), r.when) for ri, r in enumerate(cf.rules)]
    return out


@check
def check_condition_numbers(ctx: Context) -> None:
    """A number in a check condition durable-rules cannot compare (as for params)."""
    for path, loc, cond in _conditions(ctx):
        for node in walk(cond, loc=loc):
            sub = node.cond
            if not isinstance(sub, Test):
                continue
            for v in sub.value if isinstance(sub.value, list) else [sub.value]:
                problem = durable_number_problem(v)
                if problem:
                    ctx.rd.problem(path, node.loc, problem, about=())


@check
def check_range_tests(ctx: Context) -> None:
    """An item whose rules can compile to more range tests than durable-rules takes on one document (error 303)."""
    rules = ctx.rules
    items_path = ctx.root / "items.yaml"
    for iid, eng in rules.items.items():
        ranges: set[tuple[str, str, str]] = set()
        for cf, _, _, rule in ctx.all_rules:
            if cf.kind != eng.kind or (rule.items is not None and iid not in rule.items):
                continue
            ranges |= _range_tests(rule.when, rules.definitions.get(cf.kind, {}), _expansion_keys(rules, cf.kind, rule.for_each))
        if len(ranges) > MAX_RANGE_TESTS:
            ctx.rd.problem(
                items_path,
                (iid,),
                f"事项 {iid} 的检查规则共有 {len(ranges)} 个不同的范围比较（gt/gte/lt/lte），超过 {MAX_RANGE_TESTS}："
                "durable-rules 在一份文档同时满足 64 个以上时于检查时报错 303；请合并条件或拆分规则",
                about=(iid,),
                cascade=True,
            )


def _expansion_keys(rules: RuleSet, kind: str, for_each: str | None) -> list[str]:
    """Every value {key} can take in a for_each rule (an upper bound: all vocabulary keys)."""
    if for_each is None:
        return [""]
    if for_each.startswith("measures"):
        return [m.key for m in rules.vocabulary.measures]
    if for_each == "no_penalty_grounds":
        return [g.key for g in rules.vocabulary.no_penalty_grounds]
    return [k.key for k in rules.vocabulary.sanctions]


def _range_tests(cond: Any, definitions: dict[str, Any], keys: list[str]) -> set[tuple[str, str, str]]:
    """Distinct (fact, operator, value) range tests a rule can compile to (params by name), through refs."""
    out: set[tuple[str, str, str]] = set()
    for node in walk(cond, definitions):
        sub = node.cond
        if isinstance(sub, Test) and sub.op in ("gt", "gte", "lt", "lte"):
            value = f"param:{sub.value.param}" if isinstance(sub.value, Param) else repr(sub.value)
            for key in keys if "{" in sub.fact else [""]:
                out.add((sub.fact.replace("{key}", key), sub.op, value))
    return out


@check
def check_document_width(ctx: Context) -> None:
    """A draft kind whose check document would have more properties than durable-rules takes (error 302)."""
    rules = ctx.rules
    for kind in sorted({cf.kind for cf in rules.checks}):
        width = len(fact_catalogue.fact_types(kind, rules)) + _RESERVED_PROPERTIES + 1  # + basis_reason (filing)
        if width > MAX_DOCUMENT_PROPERTIES:
            ctx.rd.problem(
                ctx.root / "vocabulary.yaml",
                (),
                f"{kind} 检查文档有 {width} 个属性，超过 durable-rules 的上限 {MAX_DOCUMENT_PROPERTIES}（错误 302）；"
                "请减少处罚种类、检查措施或备案事实",
                about=(),
            )


@check
def check_text_numbers(ctx: Context) -> None:
    """Encoded fine ranges and day counts that differ from the numbers the article texts state (engine/law/textnumbers.py)."""
    for pid, loc, message in fine_problems(ctx.rules.provisions):
        if pid in ctx.prov_paths:
            ctx.rd.problem(ctx.prov_paths[pid], loc, message, about=())
    for law, loc, message in day_problems(ctx.rules.params, ctx.rules.provisions):
        ctx.rd.problem(ctx.root / "params" / f"{law}.yaml", loc, message, about=(law,))


# --- bounds: what would hang or crash durable-rules (engine/lang/limits.py) --------------------------------


@check
def check_list_sizes(ctx: Context) -> None:
    """An `in` / `not_in` list longer than durable-rules takes (each value is one comparison of the ruleset)."""
    for path, loc, cond in _conditions(ctx):
        for node in walk(cond, loc=loc):
            sub = node.cond
            if isinstance(sub, Test) and isinstance(sub.value, list) and len(sub.value) > MAX_IN_VALUES:
                op = "in" if sub.op == "in_" else sub.op
                ctx.rd.problem(
                    path,
                    node.loc + (op,),
                    f"事实 {sub.fact} 的 {op} 列表有 {len(sub.value)} 个值，超过上限 {MAX_IN_VALUES}"
                    "（durable-rules 一个规则集有 512 个不同比较起不再返回）；请改用事实或拆分规则",
                    about=(),
                )


@check
def check_fine_numbers(ctx: Context) -> None:
    """A fine bound (provisions: min / max) durable-rules cannot compare (beyond ±10^15, > 15 significant digits)."""
    for pid, prov in ctx.rules.provisions.items():
        for vi, ver in enumerate(prov.versions):
            if ver.penalty is None:
                continue
            for si, s in enumerate(ver.penalty.sanctions):
                for bound in ("min", "max"):
                    value = getattr(s, bound)
                    problem = durable_number_problem(getattr(value, "amount", value))
                    if problem:
                        ctx.rd.problem(ctx.prov_paths[pid], ("versions", vi, "penalty", "sanctions", si, bound), problem, about=())
