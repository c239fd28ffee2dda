"""The built-in 公文 layout of the 法制审核意见书 (python-docx), from the context of ``engine/present/opinion.py``.

Page and type follow GB/T 9704-2012《党政机关公文格式》: A4 (210 mm × 297 mm); 天头 (top margin) 37 mm,
订口 (left margin) 28 mm, 版心 156 mm × 225 mm, so the bottom margin is 35 mm and the right 26 mm;
标题 2号小标宋体, 正文 3号仿宋体, 一级标题 黑体, 二级标题 楷体, page numbers 4号 “— 1 —”. The styles are
our own (black, no Word-default blue headings); the fonts are named with east-Asian fallbacks in the
file's font table (``w:altName``), for machines without the 方正 or _GB2312 fonts.
"""

from __future__ import annotations

import io
from typing import Any

from quanze.engine.present.docwords import chinese_number

# font → the fallback a word processor substitutes when it is missing (written into fontTable.xml)
TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
FALLBACKS = {
    TITLE_FONT: "宋体",  # SimSun
    BODY_FONT: "仿宋",  # FangSong
    HEADING_FONT: "SimHei",
    SUBHEADING_FONT: "楷体",  # KaiTi
    "仿宋": "FangSong",
    "宋体": "SimSun",
}
# GB/T 9704-2012: A4 and the 版心 margins, in cm
PAGE = {"width": 21.0, "height": 29.7, "top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
SIZES = {"title": 22, "body": 16, "small": 10.5, "page_number": 14}  # pt: 二号, 三号, 五号, 四号


def _fonts(style_or_run: Any, name: str) -> None:
    from docx.oxml.ns import qn

    style_or_run.font.name = name
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _styles(doc: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    black = RGBColor(0, 0, 0)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT)
    normal.font.size, normal.font.color.rgb = Pt(SIZES["body"]), black
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)  # 22 lines to the 225 mm 版心
    fmt.space_before = fmt.space_after = Pt(0)
    specs = {
        "意见书标题": (TITLE_FONT, SIZES["title"], WD_ALIGN_PARAGRAPH.CENTER, 0),
        "意见书一级标题": (HEADING_FONT, SIZES["body"], WD_ALIGN_PARAGRAPH.LEFT, 2),
        "意见书二级标题": (SUBHEADING_FONT, SIZES["body"], WD_ALIGN_PARAGRAPH.LEFT, 2),
        "意见书正文": (BODY_FONT, SIZES["body"], WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
        "意见书引文": (BODY_FONT, 14, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
        "意见书附注": (BODY_FONT, SIZES["small"], WD_ALIGN_PARAGRAPH.LEFT, 0),
    }
    for name, (font, size, align, indent) in specs.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _fonts(style, font)
        style.font.size, style.font.color.rgb, style.font.bold = Pt(size), black, False
        style.paragraph_format.alignment = align
        style.paragraph_format.first_line_indent = Pt(size * indent) if indent else None
        if name == "意见书标题":
            style.paragraph_format.line_spacing = Pt(36)
            style.paragraph_format.space_after = Pt(14)
        if name in ("意见书引文", "意见书附注"):
            style.paragraph_format.line_spacing = Pt(size * 1.5)


def _font_table(doc: Any) -> None:
    """Name each font and its fallback (``w:altName``) in fontTable.xml."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype == RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for name, alt in FALLBACKS.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})  # GB2312
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": "roman" if name != HEADING_FONT else "modern"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(section: Any) -> None:
    """A centred “— N —” footer (GB/T 9704-2012: 4号 page numbers)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("— ").font.size = Pt(SIZES["page_number"])
    run = p.add_run()
    run.font.size = Pt(SIZES["page_number"])
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    p.add_run(" —").font.size = Pt(SIZES["page_number"])


def new_document() -> Any:
    """An empty document with the page, styles, fonts and footer of the 意见书 (also the template's base)."""
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(PAGE["width"]), Cm(PAGE["height"])
    section.top_margin, section.bottom_margin = Cm(PAGE["top"]), Cm(PAGE["bottom"])
    section.left_margin, section.right_margin = Cm(PAGE["left"]), Cm(PAGE["right"])
    _styles(doc)
    _font_table(doc)
    _page_number(section)
    return doc


class Writer:
    """Paragraphs in the 意见书's styles, sections numbered 一、二、 (the 意见书, 告知书 and 决定书 alike)."""

    def __init__(self, doc: Any) -> None:
        self.doc, self.sections = doc, 0

    def p(self, text: str, style: str = "意见书正文") -> Any:
        return self.doc.add_paragraph(text, style=style)

    def heading(self, text: str) -> None:
        self.p(f"{chinese_number(self.sections + 1)}、{text}", "意见书一级标题")
        self.sections += 1

    def field(self, label: str, value: str, blank: str) -> None:
        self.p(f"{label}：{value or blank}")

    def centred(self, text: str, style: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.p(text, style).alignment = WD_ALIGN_PARAGRAPH.CENTER

    def right(self, text: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        para = self.p(text)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.first_line_indent = None


def write_evidence(w: Any, doc: Any, ctx: dict[str, Any]) -> None:
    """The 事实与证据 section of the built-in layout: the element ↔ evidence table."""
    table = ctx.get("evidence_table") or {}
    if not table.get("applies"):
        return
    w.heading("事实与证据")
    if not table["filled"]:
        w.p("案卷未填写证据，构成要件与证据未能对照（不影响结论，请补填）。")
        return
    if not table["rows"]:
        w.p("本事项没有列出构成要件。")
        return
    grid = doc.add_table(rows=1, cols=3)
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, ("构成要件或事实", "条文用语", "证明的证据"), strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text)
        cell.paragraphs[0].style = doc.styles["意见书附注"]
    for row in table["rows"]:
        cells = grid.add_row().cells
        texts = (row["name"], f"{row['source']}：“{row['words']}”", row["evidence"] or "案卷未列出证据")
        for cell, text in zip(cells, texts, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text)
            cell.paragraphs[0].style = doc.styles["意见书附注"]
    if table["excluded"]:
        w.p(f"以非法手段取得、不计入的证据：{'、'.join(table['excluded'])}（行政处罚法 第四十六条第三款）。")


def build(ctx: dict[str, Any]) -> bytes:
    """The .docx bytes of the built-in 意见书."""
    doc = new_document()
    w = Writer(doc)
    w.p(ctx["title"], "意见书标题")
    if ctx["bureau"]:
        w.p(ctx["bureau"], "意见书附注").alignment = 1
    party, blank = ctx["party"], ctx["blank"]

    w.heading("案件基本情况")
    w.field("文号", ctx["case_id"], blank)
    w.field("审核事项", f"{ctx['kind']}　{ctx['item']} {ctx['item_name']}", blank)
    w.field(party["label"], f"{party['name']}（{party['type']}）", blank)
    if party["role"]:
        w.field(f"{party['label']}身份", party["role"], blank)
    w.field("案由", ctx["cause"], blank)
    if ctx.get("facts_text"):
        w.p(f"违法事实：{ctx['facts_text']}")  # the officer's words, verbatim
    for line in ctx["facts"]:
        lead = "案件要素：" if ctx.get("facts_text") else "违法事实："
        w.p(f"{lead}{line}" if line is ctx["facts"][0] else line)
    if ctx["sanctions"] or ctx["tier"]:
        w.p(f"拟作出的处罚（{ctx['procedure']}，裁量阶次：{ctx['tier'] or '未定'}）：")
        for i, s in enumerate(ctx["sanctions"], 1):
            w.p(f"{i}. {s['text']}")
        if not ctx["sanctions"]:
            w.p("尚未拟定处罚。" if ctx.get("open") else "不给予行政处罚。")  # an open case has decided nothing
    for line in ctx["decision_lines"]:
        w.p(line)
    if ctx["decided_on"]:
        w.field("拟决定日期", ctx["decided_on"], blank)
    w.field("承办机构", ctx["handling_unit"], blank)
    w.field("承办人", ctx["handler"], blank)
    if ctx["officers"]:
        w.field("执法人员", "、".join(ctx["officers"]), blank)
    for line in ctx.get("case_people", []):  # 听证主持人, 回避, 法制审核人员, 集体讨论参加人员 (issue 27 §3)
        w.p(line)
    w.field("送审日期", ctx["submitted_on"], ctx["date_blank"])
    w.field("审核机构", ctx["review_unit"], blank)
    w.field("审核人", ctx["reviewer"], blank)

    write_evidence(w, doc, ctx)  # 事实与证据: element ↔ evidence (issue 27)

    prov = ctx["provision"]
    w.heading("适用的依据")
    if prov:
        w.p(f"适用条文：{prov['label']}。{prov['reason']}")
        if prov["text"]:
            w.p(f"条文原文：“{prov['text']}”", "意见书引文")
        if prov["fine_range"]:
            w.p(f"罚款幅度：{prov['fine_range']}。")
        if prov["recommendation"]:
            w.p(prov["recommendation"])
    else:
        w.p("本事项不涉及处罚条文的版本选择。")

    w.heading("审核意见")
    w.p(ctx["conclusion"])
    # under the headings of 国办发〔2018〕118号 (十三) (engine/present/opinion_review.py)
    for section in ctx.get("review") or [{"number": "", "title": "", "findings": ctx["findings"], "note": ""}]:
        if section["title"]:
            w.p(f"{section['number']}{section['title']}", "意见书二级标题")
        if section["note"]:
            w.p(section["note"])
        for f in section["findings"]:
            w.p(f"{f['no']}. {f['severity']}：{f['title']}")
            w.p(f"问题：{f['message']}")
            w.p(f"依据：{f['basis']}")
            for t in f["texts"]:
                w.p(f"{t['label']}：“{t['text']}”", "意见书引文")
            w.p(f"修改建议：{f['remedy']}")
            if f["accountability"]:
                w.p("如按本稿作出，将涉及下列追责情形：")
            for line in f["accountability"]:
                w.p(f"追责提示·{line}")
    if ctx["checked"]:
        which = "其余已检查的事项" if ctx["findings"] else "已检查的事项"
        w.p(f"{which}（共 {ctx['n_checks']} 项检查），未发现下列情形：{'；'.join(ctx['checked'])}。")
    if ctx["not_checked"]:
        w.p("未能检查的事项：")
        for line in ctx["not_checked"]:
            w.p(line)
    if ctx["assumptions"]:
        w.p("假定与未核实的参数（请审核核实）：")
        for line in ctx["assumptions"]:
            w.p(line)
    for line in ctx["notes"]:
        w.p(f"注意：{line}")

    w.heading("审核结论")
    w.p("审核意见：□ 同意　□ 修改后同意　□ 不同意")
    w.p(f"审核人（签名）：{blank}　　日期：{ctx['date_blank']}")
    w.p(f"审核机构负责人（签名）：{blank}　　日期：{ctx['date_blank']}")

    w.p("")
    w.p("附：结论代码", "意见书附注")
    if ctx["codes"]:
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for c in ctx["codes"]:
            cells = table.add_row().cells
            for cell, text in zip(cells, (c["code"], c["title"]), strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(text)
                cell.paragraphs[0].style = doc.styles["意见书附注"]
    else:
        w.p("无。", "意见书附注")
    w.p(f"{ctx['disclaimer']}规则版本：{ctx['rules_version']}；生成日期：{ctx['today']}。", "意见书附注")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
