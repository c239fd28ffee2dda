"""The 法制审核意见书 of one checked draft as a Word document, for Word or WPS and a meeting's file.

``opinion_context`` gathers what the document says (case, party, 案由 and facts, the proposed
sanctions with their amounts in words, who handled and who reviews, the provision, each finding
with its article text and how to correct it, what was and was not checked) as plain strings;
``render`` lays it out either in the built-in 公文 layout (python-docx) or in a bureau's own template
(docxtpl; the variables: docs/opinion.md). Text from the draft is untrusted: every string goes through
``shown`` (controls and hidden characters as \\uXXXX: XML has no place for them), and a template
renders with autoescape in a sandbox. The document is the reviewer's draft to complete and sign: the
engine's findings are its input, not its conclusion.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from quanze.engine.law.lawtext import basis_texts, citation
from quanze.engine.model.findings import Result
from quanze.engine.present.docwords import BLANK, DATE_BLANK, amount_words, as_written, chinese_number, money_text, zh
from quanze.engine.present.docxtemplate import from_template
from quanze.engine.present.output import SEVERITY_WORDS, accountability_block
from quanze.engine.present.reasoning import checks as checks_by_code

TITLE = "法制审核意见书"
KIND_WORDS = {"penalty": "行政处罚决定", "filing": "备案", "inspection": "行政检查", "complaint": "投诉举报处置"}
CONCLUSIONS = {
    "pass": "经对照规则逐项检查，未发现违法或者不当之处。",
    "warn": "经对照规则逐项检查，未发现错误，但有下列需要注意的事项，请审核确认。",
    "incomplete": "草稿有未填写的部分，依赖这些部分的审核未能进行；已进行的检查未发现错误。请补填后重新审核。",
    "fail": "经对照规则逐项检查，草稿存在下列问题，建议修改后再作决定。",
}
DISCLAIMER = "本意见书由规则引擎按已编码的法律规则生成，供法制审核人员核对、修改后签署；引擎的结论是审核的依据之一，不代替审核人员的判断。"


@cache
def _remedies() -> dict[str, Any]:
    import yaml

    return yaml.safe_load(resources.files("quanze.engine.present").joinpath("templates/remedies.yaml").read_text("utf-8"))


def remedy(code: str) -> str:
    """How to correct a draft with this finding (engine/present/templates/remedies.yaml)."""
    table = _remedies()
    return table["remedies"].get(code, table["default"])


# --- content -------------------------------------------------------------------------------------


def _choice(model: Any, name: str, value: Any) -> str:
    """A coded value in words ("" when the draft has none yet: an open case)."""
    from quanze.engine.model.drafts import field_choices

    if value is None:
        return ""
    return field_choices(type(model).model_fields[name]).get(value, str(value))


def _date(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else ""


def _party(draft: Any, rules: Any) -> dict[str, str]:
    from quanze.engine.law.subjects import find_role

    who = {"penalty": ("当事人", "party"), "filing": ("申请人", "applicant"), "inspection": ("检查对象", "target")}
    label, attr = who.get(draft.kind, ("被投诉举报人", "respondent"))
    party = getattr(draft, attr)
    written = getattr(party, "role", None)
    role = find_role(rules, written) if written else None
    return {
        "label": label,
        "name": zh(party.name),
        "type": _choice(party, "type", party.type),
        "role": zh(role.name if role else written or ""),
    }


def _conduct(draft: Any, rules: Any) -> str:
    from quanze.engine.law.subjects import find_conduct

    written = getattr(getattr(draft, "violation", None), "conduct", None)
    if not written:
        return ""
    hits = [h for h in find_conduct(rules, written) if h.item == draft.item] or find_conduct(rules, written)
    return zh(hits[0].text if hits else written)


def _sanctions(sanctions: list[Any]) -> list[dict[str, str]]:
    out = []
    for s in sanctions:
        amount = money_text(s.amount) if s.amount is not None else ""
        duration = f"{s.duration_days} 日" if s.duration_days else ""
        text = "".join(part for part in (zh(s.kind), f" {amount}" if amount else "", f"，期限 {duration}" if duration else ""))
        out.append(
            {
                "kind": zh(s.kind),
                "amount": amount,
                "amount_words": amount_words(s.amount) if s.amount else "",
                "duration": duration,
                "text": text,
            }
        )
    return out


def _penalty_facts(draft: Any) -> list[str]:
    v = draft.violation
    if v is None:  # an open case before the facts are written (立案 only)
        return ["草稿尚未记载违法事实。"]
    when = f"违法行为发生于 {_date(v.committed_on)}" + (f"，持续至 {_date(v.ended_on)}" if v.ended_on else "")
    lines = [f"{when}，于 {_date(v.discovered_on)} 被发现。"]
    if v.illegal_gains:
        lines.append(
            f"违法所得 {money_text(v.illegal_gains)}" + (f"，其中依法应当退赔 {money_text(v.restitution)}" if v.restitution else "") + "。"
        )
    lines.append(f"危害后果：{_choice(v, 'harm', v.harm)}。")
    if v.factors:
        lines.append(f"违法情节：{'、'.join(zh(f) for f in v.factors)}。")
    if draft.party.prior_violations:
        lines.append(f"此前因同类违法行为受到处罚 {draft.party.prior_violations} 次。")
    return lines


def _record_lines(draft: Any) -> list[str]:
    """What a filing, inspection or complaint record decides, in lines."""
    if draft.kind == "filing":
        d = draft.decision
        lines = [f"办理结果：{_choice(d, 'outcome', d.outcome)}。", f"提交日期：{_date(draft.dates.submitted_on)}。"]
        return lines + ([f"理由：{zh(d.reasons)}。"] if d.reasons else [])
    if draft.kind == "inspection":
        lines = [f"检查日期：{_date(draft.performed_on)}。"]
        if draft.matters:
            lines.append(f"检查事项：{'、'.join(zh(m) for m in draft.matters)}。")
        if draft.measures:
            lines.append(f"检查措施：{'、'.join(zh(m) for m in draft.measures)}。")
        return lines
    lines = [f"收到投诉举报日期：{_date(draft.received_on)}。", f"办理结果：{_choice(draft, 'outcome', draft.outcome)}。"]
    return lines + ([f"移交机关：{zh(draft.transferred_to)}。"] if draft.transferred_to else [])


def _officers(draft: Any) -> list[str]:
    people = getattr(getattr(draft, "procedure", None), "officers", None) or getattr(draft, "inspectors", [])
    return [_officer(o, "（无执法证号）") for o in people]


def _officer(o: Any, missing: str = "（未记载执法证号）") -> str:
    """张三（执法证号 65010000123）; without a number, ``missing``."""
    return zh(o.name) + (f"（执法证号 {zh(o.certificate)}）" if o.certificate else missing)


def _reviewer(draft: Any) -> Any:
    review = getattr(getattr(draft, "procedure", None), "legal_review", None)
    return getattr(review, "reviewer", None)


def _case_people(draft: Any) -> list[str]:
    """The people the case file records (issue 27 §3): hearing presider, 回避, 法制审核 reviewer, 集体讨论 members."""
    p = getattr(draft, "procedure", None)
    if p is None or not hasattr(p, "recusals"):
        return []
    lines = []
    if p.hearing and p.hearing.presider:
        lines.append(f"听证主持人：{_officer(p.hearing.presider)}。")
    for r in p.recusals:
        decided = f"，{zh(r.decided_by or '（未记载决定人）')}于{_date(r.decided_on)}决定" if r.decided_on else ""
        outcome = _choice(r, "outcome", r.outcome) if r.outcome else "未记载决定结果"
        who = f"{zh(r.requested_by)}于" if r.requested_by else ""
        lines.append(f"回避申请：{who}{_date(r.requested_on)}申请{_officer(r.officer)}回避{decided}：{outcome}。")
    reviewer = _reviewer(draft)
    if reviewer:
        first = {True: "初次从事法制审核", False: "非初次从事法制审核", None: "未记载是否初次从事"}[reviewer.first_time]
        held = reviewer.qualified or reviewer.qualification_no
        qualified = "已取得法律职业资格" if held else "未取得法律职业资格" if reviewer.qualified is False else "未记载法律职业资格"
        number = f"（证书编号 {zh(reviewer.qualification_no)}）" if reviewer.qualification_no else ""
        lines.append(f"法制审核人员：{zh(reviewer.name)}，{first}，{qualified}{number}。")
    if p.collective_discussion and p.collective_discussion.members:
        members = "、".join(zh(m.name) + f"（{zh(m.post or '未记载职务')}）" for m in p.collective_discussion.members)
        lines.append(f"集体讨论参加人员：{members}。")
    return lines


def _day(result: Result) -> dt.date | None:
    value = result.explanation.get("facts", {}).get("decided_on")
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _provision(result: Result, rules: Any) -> dict[str, Any] | None:
    prov = result.provision
    if not prov:
        return None
    label = f"{prov.law} {prov.article}"
    texts = [" ".join(text.split()) for _label, text in basis_texts(rules, [label], _day(result)) if text]
    fine = result.fine_range
    return {
        "label": citation(rules, label),
        "reason": zh(prov.chosen_because or ""),
        "text": zh(texts[0]) if texts else "",
        "fine_range": f"{money_text(fine[0])}至{money_text(fine[1])}" if fine else "",
        "recommendation": zh(result.recommended_because or ""),
    }


def _finding(i: int, f: Any, result: Result, rules: Any) -> dict[str, Any]:
    fdef = rules.findings.get(f.code)
    acc = [f"{head}：{as_written(text)}" for head, text in accountability_block(f.accountability)] if f.accountability else []
    return {
        "no": i,
        "number": chinese_number(i),
        "severity": SEVERITY_WORDS.get(f.severity, f.severity),
        "title": zh(fdef.title if fdef else f.code),
        "code": f.code,
        "message": as_written(f.text),
        "basis": zh("；".join(f.basis)),
        "texts": [
            {"label": zh(label), "text": zh(" ".join(text.split()))} for label, text in basis_texts(rules, f.basis, _day(result)) if text
        ],
        "remedy": zh(remedy(f.code)),
        "accountability": acc,
    }


def opinion_context(draft: Any, result: Result, rules: Any, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the 意见书 says, as plain strings and lists (the template variables of docs/opinion.md)."""
    today = today or dt.date.today()
    item = rules.catalog.get(result.item)
    trace = result.explanation.get("trace", {})
    checks = trace.get("checks", [])
    fired = {f.code for f in result.findings}
    passed = [c for c in checks if c["outcome"] == "pass" and c["code"] not in fired]
    unchecked = [c for c in checks if c["outcome"] == "unchecked"]
    people = draft.people
    penalty = draft.kind == "penalty"
    sanctions = _sanctions(draft.decision.sanctions) if penalty else []
    lines = [] if penalty else _record_lines(draft)
    if penalty:
        lines += [f"报请{zh(r.to)}：{zh(r.proposal)}。" for r in draft.decision.referrals]
    conduct = _conduct(draft, rules)
    sub_name = item.sub_title if item else ""
    # without a stated conduct the 案由 names the power (事项), said as such: its name cut to a noun would read as a party
    cause = conduct or zh(f"{sub_name or (item.name if item else result.item)}（草稿未写明违法行为）")
    not_checked = [as_written(n.text) for n in result.not_checked]
    codes_not_checked = {code for n in result.not_checked for code in n.codes}
    not_checked += [f"{zh(c['title'])}：{zh(c['reason'])}" for c in unchecked if c["code"] not in codes_not_checked and c["reason"]]
    assumptions = list(dict.fromkeys(zh(a) for a in trace.get("assumptions", [])))
    warnings = result.calendar_warnings + result.rule_warnings + result.input_warnings
    notes = [n for n in dict.fromkeys(zh(w) for w in warnings) if n not in assumptions]
    ctx = {
        "title": TITLE,
        "bureau": zh(item.subject) if item and getattr(item, "subject", None) else "",
        "blank": BLANK,
        "date_blank": DATE_BLANK,
        "case_id": zh(result.case_id),
        "kind": KIND_WORDS.get(result.kind, result.kind),
        "item": result.item,
        "item_name": zh(f"{item.name}（{sub_name}）" if item and sub_name else item.name if item else ""),
        "party": _party(draft, rules),
        "cause": cause,
        "conduct": conduct,
        "facts": _penalty_facts(draft) if penalty else [],
        "procedure": _choice(draft.decision, "procedure", draft.decision.procedure) if penalty else "",
        "tier": _choice(draft.decision, "tier", draft.decision.tier) if penalty else "",
        "sanctions": sanctions,
        "open": bool(result.open),
        "decision_lines": lines,
        "decided_on": _date(draft.decision.decided_on) if penalty else _date(getattr(getattr(draft, "dates", None), "decided_on", None)),
        # the office the published 权责清单 names for this power; blank (to fill in) where the list left it out ([缺失])
        "handling_unit": zh(item.office) if item and getattr(item, "office", None) and "缺失" not in item.office else "",
        "handler": zh(people.handler or ""),
        "officers": _officers(draft),
        "case_people": _case_people(draft),  # issue 27 §3
        "submitted_on": "",
        "review_unit": "",
        "reviewer": zh(reviewer.name) if (reviewer := _reviewer(draft)) else "",
        "provision": _provision(result, rules),
        "verdict": result.verdict,
        "conclusion": CONCLUSIONS.get(result.verdict, ""),
        "findings": [_finding(i, f, result, rules) for i, f in enumerate(result.findings, 1)],
        "checked": list(dict.fromkeys(zh(c["title"]) for c in passed)),
        "n_checks": sum(len(group) for group in checks_by_code(result, rules).values()),  # as explain and the form count
        "not_checked": not_checked,
        "assumptions": assumptions,
        "notes": notes,
        "codes": [
            {"code": f.code, "title": zh(rules.findings[f.code].title if f.code in rules.findings else f.code)} for f in result.findings
        ],
        "rules_version": result.rules_version,
        "today": today.isoformat(),
        "disclaimer": DISCLAIMER,
    }
    from quanze.engine.present.opinion_review import review_context

    ctx.update(review_context(draft, result, rules, ctx["findings"]))  # issue 27: facts, evidence, (十三) headings
    return ctx


# --- rendering -----------------------------------------------------------------------------------


def render(context: dict[str, Any], template: Path | None = None) -> bytes:
    """The .docx bytes of a context: the built-in 公文 layout, or a bureau's docxtpl template."""
    if template is not None:
        return from_template(context, template)
    from quanze.engine.present.opinion_layout import build

    return build(context)


def opinion_bytes(draft: Any, result: Result, rules: Any, template: Path | None = None, today: dt.date | None = None) -> bytes:
    """The 意见书 of a checked draft as .docx bytes."""
    return render(opinion_context(draft, result, rules, today), template)


def docx_path(out: Path) -> Path:
    """The output path with .docx added when missing."""
    return out if out.suffix.lower() == ".docx" else out.with_name(out.name + ".docx")


def write_opinion(data: bytes, out: Path) -> Path:
    """Write 意见书 bytes to ``out`` (.docx added when missing), atomically and never through a planted symlink."""
    from quanze.engine.model.safeio import write_atomic

    return write_atomic(docx_path(out), data)
