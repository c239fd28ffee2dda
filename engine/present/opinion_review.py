"""The 意见书's parts added by issue 27: the 违法事实 as written, the element ↔ evidence table, and the 审核意见
grouped under the headings of 国办发〔2018〕118号 (十三) (legal-facts §12.2), as context for the layout or a template.

The headings are the document's own list of what a 法制审核 reviews; a finding goes under the one its
findings.yaml entry names (``heading``), else by its accountability category (``defect``) and stage. Where only
people can judge (证据是否充分) the section says so.
"""

from __future__ import annotations

from typing import Any

from quanze.engine.model.text import shown
from quanze.engine.present.docwords import zh

# 国办发〔2018〕118号 (十三) 明确审核内容, in its order (legal-facts §12.2)
HEADINGS = (
    ("subject", "行政执法主体是否合法，行政执法人员是否具备执法资格"),
    ("procedure", "行政执法程序是否合法"),
    ("facts", "案件事实是否清楚，证据是否合法充分"),
    ("law", "适用法律、法规、规章是否准确，裁量基准运用是否适当"),
    ("authority", "执法是否超越执法机关法定权限"),
    ("documents", "行政执法文书是否完备、规范"),
    ("crime", "违法行为是否涉嫌犯罪、需要移送司法机关"),
)
_BY_DEFECT = {"certificate": "subject", "procedure": "procedure", "transfer": "crime"}
_SAY_WHEN_CLEAR = {
    "facts": "案卷所列证据对照各构成要件见上表。证据是否经查证属实、是否充分，由审核人员判断（行政处罚法 第四十条、第四十六条）。",
}


def heading_of(code: str, rules: Any) -> str:
    """Which (十三) heading a finding belongs under: its ``heading`` in findings.yaml, else by defect and stage."""
    fdef = rules.findings.get(code)
    if getattr(fdef, "heading", None):
        return fdef.heading
    defect = getattr(fdef, "defect", "other")
    if defect in _BY_DEFECT:
        return _BY_DEFECT[defect]
    if getattr(fdef, "stage", "decision") == "step" or defect == "procedure":
        return "procedure"
    return "law"


def review_sections(
    findings: list[dict[str, Any]], rules: Any, document_blanks: list[str] | None, evidence: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The 审核意见 under the (十三) headings: each with its findings (as the 意见书 lists them) and a note."""
    out = []
    for i, (key, title) in enumerate(HEADINGS, 1):
        mine = [f for f in findings if heading_of(f["code"], rules) == key]
        note = "" if mine else "经对照规则检查，未发现问题。"
        if key == "facts" and evidence and evidence.get("applies"):
            note = note if evidence["filled"] else "案卷未填写证据，构成要件与证据未能对照。"
            unfilled = "证据是否合法充分，由审核人员判断（行政处罚法 第四十条、第四十六条）。"
            note += _SAY_WHEN_CLEAR["facts"] if evidence["filled"] else unfilled
        if key == "documents" and document_blanks is not None:
            note = (
                f"按本稿生成行政处罚决定书，尚缺：{'、'.join(document_blanks)}（须补齐，文书中留有空白）。"
                if document_blanks
                else "按本稿生成的行政处罚决定书载明第五十九条规定的各项内容。"
            )
        out.append({"key": key, "number": f"（{'一二三四五六七'[i - 1]}）", "title": title, "findings": mine, "note": note})
    return out


def evidence_table(draft: Any, rules: Any) -> dict[str, Any]:
    """Each element and relied-on fact of the draft against the evidence rows that prove it (issue 27 §2)."""
    from quanze.engine.law.elements import find_provable, required

    if draft.kind != "penalty":
        return {"filled": False, "applies": False, "rows": [], "excluded": []}
    if "evidence" not in draft.model_fields_set:
        return {"filled": False, "applies": True, "rows": [], "excluded": []}
    proving: dict[str, list[str]] = {}
    excluded = []
    for row in draft.evidence or []:
        if row.unlawful:
            excluded.append(zh(row.title))
            continue
        for name in row.proves:
            hit = find_provable(rules, draft.item, name)
            if hit:
                proving.setdefault(hit.key, []).append(f"{zh(row.kind)}：{zh(row.title)}")
    rows = [
        {
            "name": zh(p.name),
            "words": zh(p.words) if p.words else "（情节）",
            "source": zh(p.source),
            "evidence": "；".join(proving.get(p.key, [])),
            "proven": p.key in proving,
        }
        for p in required(rules, draft)
    ]
    return {"filled": True, "applies": True, "rows": rows, "excluded": excluded}


def facts_text(draft: Any) -> str:
    """The 违法事实 in the officer's words, verbatim (hidden characters escaped), or ""."""
    violation = getattr(draft, "violation", None)
    text = getattr(violation, "facts", None)
    return shown(text, "\n") if text else ""


def review_context(draft: Any, result: Any, rules: Any, findings: list[dict[str, Any]]) -> dict[str, Any]:
    """The context keys this module adds to the 意见书's (docs/opinion.md)."""
    blanks = None
    if draft.kind == "penalty" and getattr(draft, "decision", None) is not None:
        from quanze.engine.present.documents import document_context

        blanks = document_context("decision", draft, result, rules)["blanks"]
    table = evidence_table(draft, rules)
    return {"facts_text": facts_text(draft), "evidence_table": table, "review": review_sections(findings, rules, blanks, table)}
