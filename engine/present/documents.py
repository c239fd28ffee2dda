"""The documents a party receives (issue 27 §4): the 行政处罚事先告知书 and the 行政处罚决定书, as Word documents.

``document_context`` gathers what the document says from the case file and ``rules/`` only: the party,
the 违法事实 verbatim (``violation.facts``), the evidence that counts, the provision and its text, the
sanctions with their amounts in words, and the statements the law requires (rules/documents.yaml: 陈述、
申辩, 听证 with its window; payment in 十五日, 加处罚款, 复议 and 诉讼 with their periods). What the case
file lacks is a visible blank (＿＿), listed in ``blanks``; nothing is guessed. ``render`` lays it out in
the A4 公文 layout of the 意见书 (engine/present/opinion_layout.py) or in a bureau's docxtpl template, the
same mechanism as the 意见书 (variables: docs/documents.md). Untrusted text is escaped as in the 意见书.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from quanze.engine.law.lawtext import basis_texts, citation
from quanze.engine.model.findings import Result
from quanze.engine.model.text import shown
from quanze.engine.present.docwords import BLANK, DATE_BLANK, money_text, zh

if TYPE_CHECKING:
    from quanze.engine.present.opinion_layout import Writer

DocumentKind = Literal["notice", "decision"]
TITLES = {"notice": "行政处罚事先告知书", "decision": "行政处罚决定书"}
MONEY_KINDS = ("罚款", "没收违法所得")


def verbatim(text: Any) -> str:
    """The officer's own words (违法事实): hidden characters escaped as \\uXXXX, nothing else changed."""
    return shown(str(text), "\n")


def cn_date(day: dt.date | None) -> str:
    """2026-05-25 → 2026年5月25日; None → the blank date."""
    return f"{day.year}年{day.month}月{day.day}日" if day else DATE_BLANK


def _sanction_line(s: Any) -> str:
    amount = f"{money_text(s.amount)}" if s.amount is not None else ""
    duration = f"，期限 {s.duration_days} 日" if s.duration_days else ""
    return zh(s.kind) + (f" {amount}" if amount else "") + duration


def _evidence_lines(draft: Any) -> list[str]:
    """The evidence rows that count (以非法手段取得 left out, 第四十六条第三款), one line each."""
    out = []
    for row in getattr(draft, "evidence", None) or []:
        if row.unlawful:
            continue
        how = "，".join(
            part
            for part in (
                f"{cn_date(row.obtained_on)}取得" if row.obtained_on else "",
                f"取证人员：{zh(row.obtained_by)}" if row.obtained_by else "",
                f"方式：{zh(row.method)}" if row.method else "",
                "先行登记保存" if row.preservation else "",
            )
            if part
        )
        out.append(f"{zh(row.kind)}：{zh(row.title)}" + (f"（{how}）" if how else ""))
    return out


def _provision(result: Result, rules: Any) -> dict[str, str]:
    prov = result.provision
    if not prov:
        return {"label": "", "text": ""}
    label = f"{prov.law} {prov.article}"
    facts = result.explanation.get("facts", {})
    day = facts.get("decided_on")
    try:
        on = dt.date.fromisoformat(str(day)) if day else None
    except ValueError:
        on = None
    texts = [" ".join(t.split()) for _l, t in basis_texts(rules, [label], on) if t]
    return {"label": citation(rules, label), "text": zh(texts[0]) if texts else ""}


def _statements(rules: Any, part: str) -> dict[str, dict[str, str]]:
    spec = getattr(rules.documents, part, {}) if rules.documents else {}
    return {k: {"text": zh(s.text), "basis": citation(rules, zh(s.basis))} for k, s in spec.items()}


def _hearing_applies(draft: Any, result: Result, rules: Any) -> bool:
    """Whether the notice states the 听证 right: as the case file's notice says it did, else as the engine
    judges the 听证资格 (有听证权, or two readings: stating the right is the safer course)."""
    from quanze.engine.check.checker import hearing_right_due

    notice = getattr(getattr(draft, "procedure", None), "notice", None)
    if notice is not None and "rights" in notice.model_fields_set:
        return "听证" in notice.rights
    return hearing_right_due(draft, result.explanation.get("facts", {}), rules) in ("yes", "both")


def document_context(kind: DocumentKind, draft: Any, result: Result, rules: Any, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the 告知书 or 决定书 says, as plain strings and lists (template variables: docs/documents.md)."""
    from quanze.engine.law.subjects import find_conduct

    today = today or dt.date.today()
    item = rules.catalog.get(draft.item)
    decision = getattr(draft, "decision", None)
    procedure = getattr(draft, "procedure", None)
    notice = getattr(procedure, "notice", None)
    blanks: list[str] = []

    def given(value: Any, what: str, blank: str = BLANK) -> str:
        if value in (None, ""):
            blanks.append(what)
            return blank
        return value

    party = draft.party
    violation = getattr(draft, "violation", None)  # an open case may not state the violation yet
    written_facts = violation.facts if violation is not None else None
    written_conduct = violation.conduct if violation is not None else None
    if kind == "notice" and notice is not None and "proposed" in notice.model_fields_set:
        sanctions = list(notice.proposed)
    else:
        sanctions = list(decision.sanctions) if decision is not None else []
    referrals = [f"报请{zh(r.to)}{zh(r.proposal)}" for r in decision.referrals] if decision is not None else []
    conduct_hits = find_conduct(rules, written_conduct) if written_conduct else []
    own = [h for h in conduct_hits if h.item == draft.item] or conduct_hits
    kinds = {s.kind for s in sanctions}
    decided_on = decision.decided_on if decision is not None and kind == "decision" else None
    ctx: dict[str, Any] = {
        "title": TITLES[kind],
        "kind": kind,
        "bureau": given(zh(item.subject) if item and getattr(item, "subject", None) else "", "作出决定的行政机关名称"),
        "case_id": given(zh(draft.case_id), "文号"),
        "party": {
            "name": given(zh(party.name), "当事人名称或姓名"),
            "type": "单位" if party.type == "organization" else "个人",
            "address": given(zh(party.address) if party.address else "", "当事人地址"),
        },
        "facts": given(verbatim(written_facts) if written_facts else "", "违法事实"),
        "conduct": zh(own[0].text) if own else "",
        "evidence": _evidence_lines(draft),
        "factors": [zh(f) for f in violation.factors] if violation is not None else [],
        "provision": _provision(result, rules),
        "sanctions": [_sanction_line(s) for s in sanctions],
        "referrals": referrals,
        "no_penalty": decision is not None and decision.tier == "不予处罚",
        "notice_served_on": cn_date(notice.served_on) if notice is not None else "",
        "statement_made": bool(procedure and procedure.statement_made),
        "hearing_held": bool(procedure and procedure.hearing and procedure.hearing.held_on),
        "statements": _statements(rules, kind),
        "hearing": kind == "notice" and _hearing_applies(draft, result, rules),
        "pays_money": bool(kinds & set(MONEY_KINDS)),
        "fine": "罚款" in kinds,
        "orders": [zh(s.kind) for s in sanctions if s.kind not in MONEY_KINDS],
        "date": cn_date(decided_on) if decided_on else DATE_BLANK,
        "blank": BLANK,
        "date_blank": DATE_BLANK,
        "rules_version": result.rules_version,
        "today": today.isoformat(),
    }
    if not ctx["evidence"]:
        blanks.append("证据")
    if not ctx["provision"]["label"]:
        blanks.append("适用的条文")
    if kind == "decision" and decided_on is None:
        blanks.append("作出决定的日期")
    if not sanctions and not referrals and not ctx["no_penalty"]:
        blanks.append("拟作出的行政处罚" if kind == "notice" else "行政处罚的种类")
    ctx["blanks"] = blanks
    return ctx


# --- layout --------------------------------------------------------------------------------------


def _facts_and_evidence(w: Writer, ctx: dict[str, Any]) -> None:
    for i, line in enumerate(ctx["facts"].split("\n")):
        w.p(("经查，" if i == 0 else "") + line)
    if ctx["evidence"]:
        w.p("以上事实有下列证据证明：")
        for i, line in enumerate(ctx["evidence"], 1):
            w.p(f"{i}. {line}")
    else:
        w.p(f"以上事实有下列证据证明：{ctx['blank']}")
    if ctx["factors"]:
        w.p(f"违法情节：{'、'.join(ctx['factors'])}。")


def _basis(w: Writer, ctx: dict[str, Any]) -> None:
    prov = ctx["provision"]
    if prov["label"]:
        what = f"属于{prov['label']}规定的“{ctx['conduct']}”的行为" if ctx["conduct"] else f"违反了{prov['label']}的规定"
        w.p(f"本机关认为，当事人的上述行为{what}。{prov['label']}规定：“{prov['text']}”")
    else:
        w.p(f"本机关认为，当事人的上述行为违反了{ctx['blank']}的规定。")


def _sanctions(w: Writer, ctx: dict[str, Any], lead: str) -> None:
    if ctx["no_penalty"] and not ctx["sanctions"]:
        w.p("本机关决定不予行政处罚。")
        return
    w.p(lead)
    for i, line in enumerate(ctx["sanctions"] + ctx["referrals"], 1):
        w.p(f"{i}. {line}")
    if not ctx["sanctions"] and not ctx["referrals"]:
        w.p(f"1. {ctx['blank']}")


def _close(w: Writer, ctx: dict[str, Any]) -> None:
    w.p("")
    w.right(ctx["bureau"])
    w.right("（印章）")
    w.right(ctx["date"])


def build(ctx: dict[str, Any]) -> bytes:
    """The .docx bytes of the built-in 告知书 or 决定书 (the 意见书's A4 公文 page, styles and fonts)."""
    from quanze.engine.present.opinion_layout import Writer, new_document

    doc = new_document()
    w = Writer(doc)
    w.centred(ctx["bureau"], "意见书标题")
    w.centred(ctx["title"], "意见书标题")
    w.centred(ctx["case_id"], "意见书正文")
    party = ctx["party"]
    w.p(f"当事人：{party['name']}（{party['type']}）")
    w.p(f"地址：{party['address']}")
    st = ctx["statements"]
    if ctx["kind"] == "notice":
        w.p("根据《中华人民共和国行政处罚法》第四十四条的规定，现将本机关拟作出的行政处罚内容及事实、理由、依据告知如下：")
        w.heading("违法事实和证据")
        _facts_and_evidence(w, ctx)
        w.heading("理由和依据")
        _basis(w, ctx)
        w.heading("拟作出的行政处罚")
        _sanctions(w, ctx, "依据上述规定，本机关拟对当事人作出如下行政处罚：")
        w.heading("当事人依法享有的权利")
        for key in ("statement", "no_heavier"):
            if key in st:
                w.p(f"{st[key]['text']}（{st[key]['basis']}）")
        if ctx["hearing"] and "hearing" in st:
            w.p(f"{st['hearing']['text']}（{st['hearing']['basis']}）")
        w.p(f"联系人：{ctx['blank']}　　联系电话：{ctx['blank']}")
        w.p(f"联系地址：{ctx['blank']}")
    else:
        w.heading("违反法律、法规、规章的事实和证据")
        _facts_and_evidence(w, ctx)
        if ctx["notice_served_on"]:
            w.p(
                f"本机关于{ctx['notice_served_on']}向当事人送达了行政处罚事先告知书，告知了拟作出的行政处罚内容及事实、理由、依据"
                "和当事人依法享有的陈述、申辩、要求听证等权利。"
                + ("当事人进行了陈述、申辩。" if ctx["statement_made"] else "")
                + ("本机关依当事人的要求举行了听证。" if ctx["hearing_held"] else "")
            )
        w.heading("行政处罚的种类和依据")
        _basis(w, ctx)
        _sanctions(w, ctx, "依据上述规定，本机关决定对当事人作出如下行政处罚：")
        w.heading("行政处罚的履行方式和期限")
        if ctx["pays_money"] and "payment" in st:
            w.p(f"{st['payment']['text']}（{st['payment']['basis']}）")
        if ctx["fine"] and "surcharge" in st:
            w.p(f"{st['surcharge']['text']}（{st['surcharge']['basis']}）")
        for order in ctx["orders"]:
            w.p(f"{order}：当事人应当于{ctx['date_blank']}前履行。")
        if not ctx["pays_money"] and not ctx["orders"]:
            w.p(f"{ctx['blank']}")
        w.heading("申请行政复议、提起行政诉讼的途径和期限")
        parts = [f"{st[k]['text']}（{st[k]['basis']}）" for k in ("review", "litigation") if k in st]
        w.p("".join(parts) or ctx["blank"])
    _close(w, ctx)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render(context: dict[str, Any], template: Path | None = None) -> bytes:
    """The .docx bytes: the built-in layout, or a bureau's docxtpl template (the 意见书's mechanism)."""
    if template is not None:
        from quanze.engine.present.docxtemplate import from_template

        return from_template(context, template)
    return build(context)


def document_bytes(
    kind: DocumentKind, draft: Any, result: Result, rules: Any, template: Path | None = None, today: dt.date | None = None
) -> tuple[bytes, list[str]]:
    """The 告知书 or 决定书 of a checked draft as .docx bytes, and what it left blank."""
    ctx = document_context(kind, draft, result, rules, today)
    return render(ctx, template), ctx["blanks"]
