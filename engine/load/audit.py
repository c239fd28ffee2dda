"""Legal-currency audit of the catalog: what the published 权责清单 cites that is wrong or uncertain on a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from quanze.engine.law.versions import version_in_force
from quanze.engine.model.labels import PARAM_GROUPS, param_word
from quanze.engine.model.ruleset import RuleSet


@dataclass(frozen=True)
class AuditEntry:
    """One audit finding: its category, the item (if any), the text, and where it comes from."""

    category: str
    item: str | None
    text: str
    source: str

    def to_json(self) -> dict[str, str | None]:
        """A JSON object."""
        return {"category": self.category, "item": self.item, "text": self.text, "source": self.source}


CATEGORIES = (
    "依据失效",
    "引注不完整",
    "效力层级标注",
    "编号空缺",
    "已知缺陷",
    "待核实参数",
    "仅见于清单的条文",
    "未核对原文的版本",
    "无该日文本",
    "施行日期不详",
)


def _provision_file(pid: str) -> str:
    """rules/provisions/<law>/<article>.yaml of a provision id (the loader checks id and path agree)."""
    law, _, article = pid.partition(".")
    return f"rules/provisions/{law}/{article}.yaml"


def _in_clone(path: str, source: str) -> str:
    """A file of the clone a reader can open; it records the source (often under shared/, not in the clone)."""
    return f"{path}（原文出处见该文件）" if source else path


def _gaps(numbers: list[int]) -> list[int]:
    return [n for n in range(1, max(numbers, default=0) + 1) if n not in numbers]


def audit(rules: RuleSet, on: dt.date) -> list[AuditEntry]:
    """Every audit entry for the catalog on a date, in CATEGORIES order."""
    out: list[AuditEntry] = []
    undated_refs: dict[tuple[str, str], list[str]] = {}
    labels = rules.audit.rank_labels
    for item in rules.catalog.values():
        for column, citations in (("实施依据", item.bases), ("责任事项依据", item.responsibility_bases)):
            for cit in citations:
                law = rules.laws.get(cit.law) if cit.law else None
                if law and cit.rank in labels and law.rank not in labels[cit.rank]:
                    out.append(
                        AuditEntry(
                            "效力层级标注",
                            item.id,
                            f"{column}把{cit.title[:40]}标为【{cit.rank}】, 实为{law.rank}",
                            f"rules/provisions/{law.id}/index.yaml",
                        )
                    )
                for art in cit.articles:
                    if not art.provision:
                        continue
                    prov = rules.provisions[art.provision]
                    label = rules.law_label(art.provision)
                    if art.ref != prov.article and prov.article.startswith(art.ref):
                        out.append(
                            AuditEntry(
                                "引注不完整", item.id, f"{column}引作「{art.ref}」, 所引文字实为 {label}", f"rules/provisions/{prov.law}/"
                            )
                        )
                    index, dated = version_in_force(prov.versions, on)
                    if index is not None and not dated:
                        undated_refs.setdefault((item.id, prov.law), []).append(prov.article)
                    elif index is not None and not prov.versions[index].grants_power:
                        v = prov.versions[index]
                        text = f"{column}引用的 {label} 自 {v.in_force_from} 起已不含此项权力 (现行文本: 「{v.text[:40]}」)"
                        out.append(AuditEntry("依据失效", item.id, text, _in_clone(_provision_file(art.provision), v.source)))
                    elif index is None:
                        last = max((v.in_force_until for v in prov.versions if v.in_force_until), default=None)
                        first = min((v.in_force_from for v in prov.versions if v.in_force_from), default=None)
                        if last and on > last:
                            text = f"{column}引用的 {label} 在 {on} 不生效 (已于 {last} 后失效)"
                            out.append(AuditEntry("依据失效", item.id, text, f"rules/provisions/{prov.law}/"))
                        else:  # before the earliest encoded text: not yet in force, or an older text not encoded
                            text = f"{column}引用的 {label} 没有 {on} 适用的已编码文本 (最早的自 {first} 起施行; 此前尚未施行或文本未编码)"
                            out.append(AuditEntry("无该日文本", item.id, text, f"rules/provisions/{prov.law}/"))
        for title, numbers in (("追责对象", [a.no for a in item.accountable]), ("追责情形", [t.no for t in item.triggers])):
            missing = _gaps(numbers)
            if missing:
                out.append(
                    AuditEntry(
                        "编号空缺", item.id, f"{title}编号为 {numbers}, 缺 {missing} (照公布原样保留)", f"rules/catalog/{item.id}.yaml"
                    )
                )
    for (iid, law), articles in undated_refs.items():
        listed = "、".join(dict.fromkeys(articles))
        out.append(
            AuditEntry(
                "施行日期不详",
                iid,
                f"引用的《{rules.laws[law].short}》({listed}) 施行日期不详, 无法判断 {on} 是否有效",
                f"rules/provisions/{law}/index.yaml",
            )
        )
    for defect in rules.audit.known_defects:
        out.append(AuditEntry("已知缺陷", defect.item, f"{defect.column}: {defect.text}", _in_clone("rules/audit.yaml", defect.source)))
    for law, pf in sorted(rules.params.items()):
        for v in pf.versions:
            for group in v.unverified:
                values = "、".join(f"{param_word(k)} {val}" for k, val in (v.params.get(group) or {}).items())
                title = rules.laws[law].short if law in rules.laws else law
                text = f"《{title}》{PARAM_GROUPS.get(group, group)}（{values}）为默认值，未核实；说明见该文件的说明（notes.{group}）"
                out.append(AuditEntry("待核实参数", None, text, _in_clone(f"rules/params/{law}.yaml", v.source)))
    for pid, disc in sorted(rules.discretion.items()):
        if disc.default:
            text = f"{rules.law_label(pid)} 的裁量阶次为默认划分，未核实；说明见该文件的说明（note）"
            out.append(AuditEntry("待核实参数", None, text, _in_clone(f"rules/discretion/{pid}.yaml", disc.source)))
    for pid, prov in sorted(rules.provisions.items()):
        if not any(v.penalty for v in prov.versions):
            continue
        for v in prov.versions:
            if v.verified:
                continue
            span = f"{v.in_force_from or '施行日期不详'} 至 {v.in_force_until or '今'}"
            where = _in_clone(_provision_file(pid), v.source)
            if "seed" in v.source:
                out.append(AuditEntry("仅见于清单的条文", None, f"{rules.law_label(pid)} 设定处罚，其文本未与法规原文核对", where))
            else:
                text = f"{rules.law_label(pid)} 设定处罚，{span} 的版本未与原文核对（沿用后来的文本，见该版本的说明）"
                out.append(AuditEntry("未核对原文的版本", None, text, where))
    out.sort(key=lambda e: (CATEGORIES.index(e.category), e.item or "", e.text))
    return out
