"""``quanze schema [KIND]`` and ``quanze new ITEM``: the draft format for editors and for officers.

``template(item, rules)`` writes a YAML draft of an item with every field of its kind, a placeholder
value that validates, and a Chinese comment per field (what it is, the allowed values, the item's
情节 and sanction kinds from ``rules/``). The fields are walked from the pydantic models of
``engine/model/drafts.py``, so a new field shows in the template without editing this module.
"""

from __future__ import annotations

import datetime as dt
import types
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import typer
import yaml
from pydantic import BaseModel

from quanze.cli.options import RulesOption, guarded, load
from quanze.engine.model.drafts import EVIDENCE_KINDS, PLACEHOLDER_CERTIFICATE, PLACEHOLDER_OFFICERS, PLACEHOLDER_TEXT
from quanze.engine.present.draftschema import subject_choices

# a consistent timeline of placeholder dates, so that the template validates (dates in order)
DATES = {
    "violation.committed_on": "2026-01-05",
    "violation.discovered_on": "2026-02-02",
    "violation.rectification.ordered_on": "2026-01-10",
    "violation.rectification.deadline": "2026-01-31",
    "procedure.filed_on": "2026-02-03",
    "procedure.notice.served_on": "2026-03-02",
    "procedure.hearing.requested_on": "2026-03-04",
    "procedure.hearing.notified_on": "2026-03-05",
    "procedure.hearing.held_on": "2026-03-16",
    "procedure.legal_review.on": "2026-03-17",
    "procedure.collective_discussion.on": "2026-03-18",
    "procedure.extension.approved_on": "2026-03-01",
    "decision.decided_on": "2026-03-20",
    "procedure.served_on": "2026-03-23",
    "dates.obligation_from": "2026-03-01",
    "dates.submitted_on": "2026-03-02",
    "dates.accepted_on": "2026-03-02",
    "dates.decided_on": "2026-03-05",
    "decision.published_on": "2026-03-06",
    "decision.extension_notified_on": "2026-03-04",
    "performed_on": "2026-03-02",
    "approvals.on": "2026-03-01",
    "follow_up.on": "2026-03-05",
    "received_on": "2026-03-02",
    "complainant_informed_on": "2026-03-05",
    "verified_on": "2026-03-09",
}
PREFERRED = {
    "decision.tier": "一般",
    "procedure.legal_review.passed": True,
    "decision.outcome": "accepted",
    "outcome": "handled",
    "basis": "random",
    "violation.facts": PLACEHOLDER_TEXT,  # issue 27 §1: the 违法事实 in the officer's words
}
RARE = {"violation.rectification", "procedure.extension", "follow_up", "execution"}  # written as null, their fields in comments
# quanze new ITEM --stage (issue 26 §4): the fields a penalty case file has at 立案 and at 告知 (a 决定 template has all)
STAGES = {"立案": "filed", "告知": "notice", "决定": "decided", "filed": "filed", "notice": "notice", "decided": "decided"}
_STAGE_KEEP = {
    # 回避 may be asked from the start (第四十三条): its rows come with every stage
    "filed": ("kind", "case_id", "item", "party", "procedure", "procedure.filed_on", "procedure.officers", "procedure.recusals", "people"),
    "notice": (
        "kind",
        "case_id",
        "item",
        "party",
        "violation",
        "evidence",
        "procedure",
        "procedure.filed_on",
        "procedure.officers",
        "procedure.recusals",
        "procedure.notice",
        "people",
        "coercive_measures",
    ),
}
NULL_BY_DEFAULT = {
    "violation.ended_on",
    "dates.supplement_notified_on",
    "transferred_to",
    "decision.registration_no",
    "decision.results_published_on",
    "party.age",  # individuals only
    "party.capacity",
    "decision.no_penalty_ground",  # tier 不予处罚 only
    "decision.sanctions.duration_days",
}


def _unwrap(tp: Any) -> tuple[list[Any], bool]:
    """The non-None members of a type (Annotated and unions opened) and whether None is allowed."""
    if get_origin(tp) is Annotated:
        return _unwrap(get_args(tp)[0])
    if get_origin(tp) in (Union, types.UnionType):
        members, optional = [], False
        for arg in get_args(tp):
            if arg is type(None):
                optional = True
            else:
                inner, opt = _unwrap(arg)
                members += inner
                optional = optional or opt
        return members, optional
    return [tp], False


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _scalar(value: Any) -> str:
    """One YAML scalar, as the draft files write it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return value
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip().removesuffix("...").strip()


class _Writer:
    def __init__(self, rules: Any, item: str, stage: str = "all") -> None:
        self.rules = rules
        self.item = item
        self.stage = stage
        self.lines: list[str] = []

    def skip(self, path: str) -> bool:
        """A field the case file does not have yet at the template's stage (a top-level field or a procedure step)."""
        keep = _STAGE_KEEP.get(self.stage)
        top = path.split(".")[0] if path.count(".") == 0 or not path.startswith("procedure.") else ".".join(path.split(".")[:2])
        return keep is not None and top not in keep

    def comment(self, path: str, info: Any, extra: str = "") -> str:
        """The comment of a field: its title and description (from the model), its allowed values."""
        from quanze.engine.model.drafts import field_choices

        members, _ = _unwrap(info.annotation)
        parts = [f"{info.title}：{info.description}" if info.description else info.title or ""]
        literals = [a for m in members if get_origin(m) is Literal for a in get_args(m)]
        if len(literals) > 1:
            names = field_choices(info)
            parts.append("可选：" + " | ".join(f"{a} {names[a]}" if str(a).isascii() and a in names else str(a) for a in literals))
        if path.endswith(".type") and "organization" in literals:
            parts[-1] = "可选：单位 | 个人（或 organization | individual）"
        if extra:
            parts.append(extra)
        text = "；".join(p for p in parts if p)
        return f"  # {text}" if text else ""

    def model(self, model: type[BaseModel], indent: int, prefix: str) -> None:
        for name, info in model.model_fields.items():
            path = f"{prefix}{name}"
            if not self.skip(path):
                self.field(name, path, info, indent)

    def value_for(self, path: str, tp: Any, info: Any) -> Any:
        members, optional = _unwrap(tp)
        first = members[0]
        if path == "kind":
            return self.rules.items[self.item].kind
        if path == "item":
            return self.item
        if path in PREFERRED:
            return PREFERRED[path]
        if self.stage == "decided" and path == "procedure.served_on":
            return None  # a decision just made: not yet served
        if optional and (path in NULL_BY_DEFAULT or (path not in DATES and info is not None and info.default is None)):
            return None
        if path in DATES or first is dt.date:
            return DATES.get(path, "2026-03-02")
        if get_origin(first) is Literal:
            default = info.default if info and info.default is not None and not _is_undefined(info.default) else None
            return default if default in get_args(first) else get_args(first)[0]
        if info is not None and not _is_undefined(info.default) and info.default is not None and not isinstance(info.default, BaseModel):
            default = info.default
            return int(default) if isinstance(default, Decimal) else default
        if first is bool:
            return False
        if first is int:
            return 1 if path == "procedure.extension.days" else 0
        if first is Decimal:
            return 0
        if path.endswith("case_id"):
            prefix = {"penalty": "罚", "filing": "备", "inspection": "查", "complaint": "投"}[self.rules.items[self.item].kind]
            return f"伊市商工{prefix}〔2026〕1号"
        return PLACEHOLDER_TEXT

    def field(self, name: str, path: str, info: Any, indent: int) -> None:
        pad = "  " * indent
        tp = info.annotation
        members, optional = _unwrap(tp)
        first = members[0]
        sub = next((m for m in members if _is_model(m)), None)
        if sub is not None:
            note = "无此环节写 null" if optional and "null" not in (info.description or "") else ""
            if path in RARE:
                self.lines.append(f"{pad}{name}: null{self.comment(path, info, note)}")
                start = len(self.lines)
                self.model(sub, indent + 1, path + ".")
                self.lines[start:] = [f"{pad}  # {line.strip()}" for line in self.lines[start:]]
                return
            self.lines.append(f"{pad}{name}:{self.comment(path, info, note)}")
            self.model(sub, indent + 1, path + ".")
            return
        if get_origin(first) is list:
            self.list_field(name, path, info, first, indent)
            return
        if get_origin(first) is dict:
            self.facts(name, path, indent)
            return
        value = self.value_for(path, tp, info)
        self.lines.append(f"{pad}{name}: {_scalar(value)}{self.comment(path, info, self.hint(path, value))}")

    def hint(self, path: str, value: Any) -> str:
        if path == "decision.no_penalty_ground":
            grounds = getattr(self.rules.vocabulary, "no_penalty_grounds", [])
            return "不予处罚时写明情形，可选：" + " | ".join(g.name for g in grounds) if grounds else ""
        if path == "item":
            cat = self.rules.catalog[self.item]
            return f"{cat.sub_name or cat.name}"
        choices = subject_choices(self.rules, self.item).get(path)
        if choices:
            return "请填写，本事项可选：" + " | ".join(choices) + "（rules/subjects.yaml）"
        if value == PLACEHOLDER_TEXT:
            return "请填写"
        return ""

    def list_field(self, name: str, path: str, info: Any, list_tp: Any, indent: int) -> None:
        pad = "  " * indent
        inner_members, _ = _unwrap(get_args(list_tp)[0])
        inner = inner_members[0]
        if _is_model(inner):
            rows = self.rows(path, inner)
            self.lines.append(f"{pad}{name}:{self.comment(path, info)}")
            for row in rows:
                self.lines.append(f"{pad}  - {self.flow(row)}")
            if not rows:
                self.lines[-1] = f"{pad}{name}: []{self.comment(path, info)}"
            for line in self.list_notes(path):
                self.lines.append(f"{pad}  # {line}")
            return
        allowed = [str(a) for a in get_args(inner)] if get_origin(inner) is Literal else []
        values: list[Any] = []
        if path == "procedure.notice.rights":
            values = allowed
        self.lines.append(f"{pad}{name}: {_scalar(values) if values else '[]'}{self.comment(path, info)}")
        for line in self.list_notes(path):
            self.lines.append(f"{pad}  # {line}")

    def flow(self, row: dict[str, Any]) -> str:
        return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in row.items()) + "}"

    def rows(self, path: str, model: type[BaseModel]) -> list[dict[str, Any]]:
        if path in ("decision.sanctions", "procedure.notice.proposed"):
            return self.sanctions()
        if path in ("procedure.officers", "inspectors"):
            return [{"name": name, "certificate": PLACEHOLDER_CERTIFICATE} for name in PLACEHOLDER_OFFICERS]
        if path == "evidence":
            return self.evidence()
        return []

    def evidence(self) -> list[dict[str, Any]]:
        """One row per element of the item's provision that always applies (issue 27 §1), to be rewritten."""
        from quanze.engine.law.elements import item_elements

        return [
            {
                "kind": "书证",
                "title": PLACEHOLDER_TEXT,
                "obtained_on": "2026-02-05",
                "obtained_by": PLACEHOLDER_OFFICERS[0],
                "method": "调取",
                "proves": [e.name],
            }
            for e in item_elements(self.rules, self.item)
            if e.applies == "always"
        ]

    def sanctions(self) -> list[dict[str, Any]]:
        pid = self.rules.items[self.item].provision
        if not pid:
            return []
        version = self.rules.provisions[pid].versions[-1]
        rows = []
        for s in version.penalty.sanctions if version.penalty else []:
            if s.required == "always":
                row: dict[str, Any] = {"kind": s.kind}
                if s.kind == "罚款":
                    row["amount"] = s.min or 0
                rows.append(row)
        return rows

    def list_notes(self, path: str) -> list[str]:
        rules = self.rules
        if path == "violation.factors":
            out = ["可写的情节（rules/discretion/factors.yaml）："]
            effect = {"mitigating": "从轻或减轻", "aggravating": "从重"}
            for f in rules.factors.factors:
                must = "，应当" if f.mandatory else ""
                out.append(f"  - {f.name}（{effect[f.effect]}{must}；{f.source}）")
            return out
        if path in ("decision.sanctions", "procedure.notice.proposed"):
            pid = rules.items[self.item].provision
            lines = []
            if pid:
                v = rules.provisions[pid].versions[-1]
                provided = (
                    "、".join(
                        f"{s.kind}" + (f"（{s.min}–{s.max} 元）" if s.min is not None or s.max is not None else "")
                        for s in v.penalty.sanctions
                    )
                    if v.penalty
                    else ""
                )
                lines.append(f"{rules.law_label(pid)} 规定：{provided}")
            lines.append("种类（rules/vocabulary.yaml）：" + "、".join(k.kind for k in rules.vocabulary.sanctions))
            return lines if path == "decision.sanctions" else []
        if path == "evidence":
            from quanze.engine.law.elements import provables

            kinds = "、".join(EVIDENCE_KINDS)
            out = [
                f"种类（行政处罚法第四十六条）：{kinds}；以非法手段取得的写 unlawful: true（不计入证明）",
                "先行登记保存的加 preservation: {approved_on: 负责人批准日期, decided_on: 处理决定日期}（第五十六条）",
                "证明的事项（proves）可写：",
            ]
            for p in provables(rules, self.item):
                if p.key.startswith("factor:"):
                    continue
                out.append(f"  - {p.name}（{p.source}：“{p.words}”）")
            out.append("  - violation.factors 中写的情节（写情节原文）")
            return out
        if path == "coercive_measures":
            return [
                "查封、扣押（行政强制法 第十八、十九、二十四、二十五条）或先行登记保存（行政处罚法 第五十六条），每项一行，如：",
                "- kind: 扣押                      # 查封、扣押、先行登记保存",
                "  objects: 某某物品 3 件",
                "  taken_on: 2026-02-05",
                "  taken_at: '10:30'               # 时刻可不填；情况紧急的二十四小时按时刻核对",
                "  approval: {by: 局长某某, on: 2026-02-05, at: '09:00'}   # 事先批准；没有写 null",
                "  urgent: null                    # 情况紧急当场实施的：",
                "  #   {reported_on: 报告日期, reported_at: '时刻', approved_on: 补办批准日期}",
                "  officers: [{name: 张三, certificate: '执法证号'}, {name: 李四, certificate: '执法证号'}]",
                "  party_present: true             # 当事人到场；不到场的请见证人",
                "  party_notified: true            # 通知当事人到场（第十八条第（四）项）",
                "  record_made: true               # 制作现场笔录（第十八条第（七）项）",
                "  documents_delivered_on: 2026-02-05   # 查封、扣押决定书和清单交付日期（应当场交付）",
                "  extension: null                 # 经负责人批准延长的：{days: 不超过30, approved_on: 日期}",
                "  ended_on: null                  # 处理或解除日期（查封、扣押三十日内；先行登记保存七个工作日内）",
            ]
        if path == "procedure.recusals":  # issue 27 §3: 行政处罚法 第四十三条
            return [
                "当事人申请回避的，每项一行，如：",
                "- {officer: {name: 李四, certificate: '65010000456'}, requested_by: 当事人, requested_on: 2026-02-10,",
                "   decided_by: 赵六（局长）, decided_on: 2026-02-11, outcome: 不予回避}   # outcome：回避 | 不予回避 | 未决定",
            ]
        if path == "procedure.collective_discussion.members":  # issue 27 §3: 第五十七条第二款
            return ["每人一行，如：- {name: 赵六, post: 局长}；职务写明局长、副局长、分管领导等"]
        if path == "measures":
            spec = rules.inspections.get(self.item)
            allowed = "、".join(m.measure for m in spec.measures) if spec else ""
            return [
                f"本事项依据规定的措施：{allowed}",
                "全部措施（rules/vocabulary.yaml）：" + "、".join(m.name for m in rules.vocabulary.measures),
            ]
        if path == "matters":
            spec = rules.inspections.get(self.item)
            return ["本事项可检查的事项："] + [f"  - {m.text}（{m.source}）" for m in spec.matters] if spec else []
        return []

    def facts(self, name: str, path: str, indent: int) -> None:
        from quanze.engine.model.labels import TITLES

        pad = "  " * indent
        spec = self.rules.filings.get(self.item)
        facts = spec.facts if spec else {}
        if not facts:
            self.lines.append(f"{pad}{name}: {{}}  # {TITLES.get(path, '')}：本事项没有")
            return
        self.lines.append(f"{pad}{name}:  # {TITLES.get(path, '')}（rules/filing/{self.item}.yaml）")
        for key, f in facts.items():
            choices = f"；可选：{' | '.join(c or '（空）' for c in f.choices)}" if f.choices else ""
            self.lines.append(f"{pad}  {key}: {_scalar(f.default)}  # {f.meaning}{choices}")


def _is_undefined(value: Any) -> bool:
    return type(value).__name__ == "PydanticUndefinedType"


_STAGE_WORDS = {
    "filed": "# 案件阶段：立案（尚未作出决定：不写 decision；调查取证、告知等环节办理后再补写，或用 quanze new ITEM --stage 告知）",
    "notice": "# 案件阶段：告知（尚未作出决定：不写 decision.decided_on；陈述申辩、听证、法制审核等环节办理后再补写）",
    "decided": "# 案件阶段：决定（决定书尚未送达：送达后写 procedure.served_on；缴纳、执行写在 execution）",
}


def template(item: str, rules: Any, stage: str = "all") -> str:
    """A commented YAML draft of an item: every field, placeholder values that validate, allowed values; a penalty
    item's case file at ``stage`` (filed / notice: only the fields it has by then; decided: all, not yet served)."""
    from quanze.engine.model.drafts import MODELS

    kind = rules.items[item].kind
    cat = rules.catalog[item]
    writer = _Writer(rules, item, stage)
    writer.lines += [
        f"# quanze 草稿模板：{item} {cat.sub_name or cat.name}",
        "# 由 quanze new 生成。占位值不是案情：请逐项改为本案的事实；",
        f"# “{PLACEHOLDER_TEXT}”“{PLACEHOLDER_OFFICERS[0]}”“{PLACEHOLDER_CERTIFICATE}”等占位文字必须改写，留在草稿中的作为输入错误拒绝。",
        "# 日期可写 2026-08-20、2026-8-20、2026/08/20 或 2026年8月20日；",
        "# 金额可写数字或“7万元”；检查：quanze check 本文件。",
        f"# 编辑器校验（VS Code YAML 扩展）：quanze schema {kind} > quanze-{kind}.schema.json，与本文件放在同一目录",
        f"# yaml-language-server: $schema=quanze-{kind}.schema.json",
    ]
    if stage in _STAGE_WORDS:
        writer.lines.insert(1, _STAGE_WORDS[stage])
    writer.model(MODELS[kind], 0, "")
    return "\n".join(writer.lines) + "\n"


def register(app: typer.Typer) -> None:
    """Add ``schema`` and ``new`` to the quanze command."""

    @app.command()
    def schema(
        kind: Annotated[
            str | None, typer.Argument(metavar="[KIND]", help="草稿种类：penalty、filing、inspection、complaint（默认：全部）")
        ] = None,
        rules: RulesOption = None,
    ) -> None:
        """打印草稿的 JSON Schema（供编辑器校验草稿，如 VS Code 的 YAML 扩展）。"""

        def body() -> int:
            from quanze.engine.model.drafts import KINDS
            from quanze.engine.model.errors import InputError, Problem
            from quanze.engine.present.draftschema import draft_schema

            if kind is not None and kind not in KINDS:
                raise InputError([Problem("KIND", "", f"期望以下之一：{'、'.join(KINDS)}，实际为 {kind!r}")])
            from quanze.engine import api

            typer.echo(api.to_json(draft_schema(kind, load(rules))))  # a reviewer's rules text: hidden characters escaped
            return 0

        guarded(body)

    @app.command()
    def new(
        item: Annotated[str, typer.Argument(metavar="ITEM", help="权责清单事项编号，如 CF-04")],
        out: Annotated[Path | None, typer.Option("--out", help="写入此文件（默认：打印）；文件已存在时拒绝覆盖", dir_okay=False)] = None,
        stage: Annotated[
            str | None, typer.Option("--stage", metavar="阶段", help="行政处罚案卷的阶段：立案、告知 或 决定（默认：决定，全部字段）")
        ] = None,
        rules: RulesOption = None,
    ) -> None:
        """生成事项的草稿模板（YAML）：全部字段、可选值和本事项的情节，附中文注释；--stage 立案|告知 只写该阶段已有的字段。"""

        def body() -> int:
            from quanze.engine.model.errors import InputError, Problem, did_you_mean

            ruleset = load(rules)
            if item not in ruleset.items:
                raise InputError([Problem("ITEM", "", f"未知的事项编号 {item!r}" + did_you_mean(item, ruleset.items))])
            if stage is not None and stage not in STAGES:
                raise InputError([Problem("--stage", "", f"期望以下之一：立案、告知、决定，实际为 {stage!r}")])
            if stage is not None and ruleset.items[item].kind != "penalty":
                raise InputError([Problem("--stage", "", f"{item} 不是行政处罚事项：只有行政处罚案卷（CF-01…CF-05）分阶段")])
            text = template(item, ruleset, STAGES[stage] if stage else "all")
            if out is None:
                typer.echo(text, nl=False)
                return 0
            from quanze.engine.model.safeio import write_atomic

            write_atomic(out, text.encode("utf-8"), new=True)  # never over a file or through a (dangling) link
            typer.echo(f"已写出 {out}", err=True)
            return 0

        guarded(body)
