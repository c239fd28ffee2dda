"""法制审核意见书 (draft) of one checked file as a Word document (python-docx), for Word or WPS.

Case and item, the applicable provision with the reasoning for its version, each finding with its
basis and the article text, the 追责提示, and the rules version and date. The document is a draft for
the legal reviewer to complete and sign: the engine's findings are its input, not its conclusion.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from quanze.engine.findings import Result
from quanze.engine.lawtext import basis_texts
from quanze.engine.present import SEVERITY_WORDS, accountability_block
from quanze.engine.text import shown
from quanze.engine.text import zh as _zh

_VERDICT = {
    "pass": "未发现违法或不当之处",
    "warn": "未发现错误，有需要注意的事项",
    "incomplete": "草稿有未填写的部分，部分审核未能进行",
    "fail": "存在问题，建议修改后再作决定",
}
_FONT = "宋体"


def zh(text: str) -> str:
    """Chinese punctuation of a text for the document, its hidden characters (controls, bidi, zero-width) as \\uXXXX.

    A control character from a draft is no valid XML: python-docx would refuse the whole document.
    """
    return _zh(shown(text, "\n"))


def _set_font(doc: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = doc.styles["Normal"]
    style.font.name = _FONT
    style.font.size = Pt(12)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), _FONT)


def _day(result: Result) -> dt.date | None:
    value = result.explanation.get("facts", {}).get("decided_on")
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def write_opinion(result: Result, rules: Any, out: Path, today: dt.date | None = None) -> Path:
    """Write the 法制审核意见书 draft of a result to ``out`` (.docx added when missing); return the path."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    out = out if out.suffix.lower() == ".docx" else out.with_name(out.name + ".docx")
    today = today or dt.date.today()
    doc = Document()
    _set_font(doc)
    title = doc.add_heading("法制审核意见书（草稿）", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER

    item = rules.catalog.get(result.item)
    doc.add_heading("一、案件基本情况", level=1)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    rows = [
        ("文号", result.case_id),
        ("事项", f"{result.item} {item.name if item else ''}".strip()),
        (
            "文书类别",
            {"penalty": "行政处罚决定", "filing": "备案", "inspection": "行政检查", "complaint": "投诉举报"}.get(result.kind, result.kind),
        ),
        ("审核的文件", result.file),
        ("审核结论", _VERDICT.get(result.verdict, result.verdict)),
    ]
    for key, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, zh(str(value))

    doc.add_heading("二、适用的依据及版本", level=1)
    prov = result.extra.get("provision")
    if prov:
        doc.add_paragraph(zh(f"适用条文：{prov['law']} {prov['article']}"))
        doc.add_paragraph(zh(f"版本选择理由：{prov['chosen_because']}"))
        if result.extra.get("fine_range"):
            lo, hi = result.extra["fine_range"]
            doc.add_paragraph(zh(f"罚款幅度：{lo}–{hi} 元；建议裁量阶次：{result.extra.get('recommended_tier')}"))
        label = f"{prov['law']} {prov['article']}"
        for _label, text in basis_texts(rules, [label], _day(result)):
            if text:
                doc.add_paragraph(zh(f"条文原文：“{' '.join(text.split())}”"))
    else:
        doc.add_paragraph("本文书不涉及处罚条文的版本选择。")
    for w in result.calendar_warnings + result.rule_warnings + result.input_warnings:
        doc.add_paragraph(zh(f"注意：{w}"))

    doc.add_heading("三、审核意见", level=1)
    if not result.findings:
        doc.add_paragraph("经对照规则检查，未发现违法或不当之处。")
    for i, f in enumerate(result.findings, 1):
        fdef = rules.findings.get(f.code)
        doc.add_heading(zh(f"（{i}）{SEVERITY_WORDS.get(f.severity, '')}：{fdef.title if fdef else f.code}（{f.code}）"), level=2)
        doc.add_paragraph(zh(f.message))
        doc.add_paragraph(zh(f"依据：{'；'.join(f.basis)}"))
        for label, text in basis_texts(rules, f.basis, _day(result)):
            if text:
                doc.add_paragraph(zh(f"{label}：“{' '.join(text.split())}”"), style="Quote")
    for n in getattr(result, "not_checked", []) or []:
        doc.add_paragraph(zh(f"未能审核：{n.get('message', '')}"))

    doc.add_heading("四、追责提示", level=1)
    accountable = [f for f in result.findings if f.accountability]
    if not accountable:
        doc.add_paragraph("无。")
    for f in accountable:
        acc = f.accountability or {}
        block = accountability_block(acc)
        fdef = rules.findings.get(f.code)
        doc.add_paragraph(zh(f"{fdef.title if fdef else ''}（{f.code}）：{block[0][1]}"))
        for head, text in block[1:]:
            doc.add_paragraph(zh(f"{head}：{text}"))

    doc.add_heading("五、说明", level=1)
    doc.add_paragraph(
        "本意见书草稿由规则引擎按已编码的法律规则生成，供法制审核人员核对、修改后签署；引擎的结论是审核的依据之一，不代替审核人员的判断。"
    )
    doc.add_paragraph(zh(f"规则版本：{result.rules_version}；生成日期：{today.isoformat()}"))
    doc.add_paragraph("法制审核人员（签名）：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿")
    import io

    from quanze.engine.safeio import write_atomic

    buffer = io.BytesIO()
    doc.save(buffer)
    return write_atomic(out, buffer.getvalue())  # never through a planted symlink, never half written
