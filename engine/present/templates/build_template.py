"""Build ``opinion_template.docx``, the example of a bureau's own 意见书 template (docxtpl; docs/opinion.md).

Run from the work tree after changing the layout or the variables:
``python engine/present/templates/build_template.py``. The page, styles and fonts are those of the built-in
layout (engine/present/opinion_layout.py, GB/T 9704-2012); the text is Jinja: ``{{ party.name }}``, and
``{%p for … %}`` / ``{%p endfor %}`` paragraphs around a repeated paragraph.
"""

from __future__ import annotations

from pathlib import Path

from quanze.engine.present.opinion_layout import new_document

HERE = Path(__file__).resolve().parent
LINES = [
    ("意见书标题", "{{ title }}"),
    ("意见书附注", "{{ bureau }}"),
    ("意见书一级标题", "一、案件基本情况"),
    ("意见书正文", "文号：{{ case_id }}"),
    ("意见书正文", "审核事项：{{ kind }}　{{ item }} {{ item_name }}"),
    ("意见书正文", "{{ party.label }}：{{ party.name }}（{{ party.type }}）{% if party.role %}，身份：{{ party.role }}{% endif %}"),
    ("意见书正文", "案由：{{ cause }}"),
    ("意见书正文", "{%p for line in facts %}"),
    ("意见书正文", "{{ line }}"),
    ("意见书正文", "{%p endfor %}"),
    ("意见书正文", "{%p if sanctions %}"),
    ("意见书正文", "拟作出的处罚（{{ procedure }}，裁量阶次：{{ tier }}）："),
    ("意见书正文", "{%p for s in sanctions %}"),
    ("意见书正文", "{{ loop.index }}. {{ s.text }}"),
    ("意见书正文", "{%p endfor %}"),
    ("意见书正文", "{%p endif %}"),
    ("意见书正文", "{%p for line in decision_lines %}"),
    ("意见书正文", "{{ line }}"),
    ("意见书正文", "{%p endfor %}"),
    ("意见书正文", "承办机构：{{ handling_unit or blank }}　承办人：{{ handler or blank }}"),
    ("意见书正文", "送审日期：{{ submitted_on or date_blank }}"),
    ("意见书正文", "审核机构：{{ review_unit or blank }}　审核人：{{ reviewer or blank }}"),
    ("意见书一级标题", "二、适用的依据"),
    (
        "意见书正文",
        "{% if provision %}适用条文：{{ provision.label }}。{{ provision.reason }}{% else %}本事项不涉及处罚条文的版本选择。{% endif %}",
    ),
    ("意见书引文", "{% if provision and provision.text %}条文原文：“{{ provision.text }}”{% endif %}"),
    ("意见书一级标题", "三、审核意见"),
    ("意见书正文", "{{ conclusion }}"),
    ("意见书正文", "{%p for f in findings %}"),
    ("意见书二级标题", "（{{ f.number }}）{{ f.severity }}：{{ f.title }}"),
    ("意见书正文", "问题：{{ f.message }}"),
    ("意见书正文", "依据：{{ f.basis }}"),
    ("意见书正文", "{%p for t in f.texts %}"),
    ("意见书引文", "{{ t.label }}：“{{ t.text }}”"),
    ("意见书正文", "{%p endfor %}"),
    ("意见书正文", "修改建议：{{ f.remedy }}"),
    ("意见书正文", "{%p for line in f.accountability %}"),
    ("意见书正文", "追责提示·{{ line }}"),
    ("意见书正文", "{%p endfor %}"),
    ("意见书正文", "{%p endfor %}"),
    ("意见书正文", "{%p for line in not_checked %}"),
    ("意见书正文", "未能检查：{{ line }}"),
    ("意见书正文", "{%p endfor %}"),
    ("意见书正文", "{%p for line in assumptions %}"),
    ("意见书正文", "未核实：{{ line }}"),
    ("意见书正文", "{%p endfor %}"),
    ("意见书一级标题", "四、审核结论"),
    ("意见书正文", "审核人（签名）：{{ blank }}　　日期：{{ date_blank }}"),
    ("意见书附注", "附：结论代码{% for c in codes %}　{{ c.code }} {{ c.title }}{% endfor %}"),
    ("意见书附注", "{{ disclaimer }}规则版本：{{ rules_version }}；生成日期：{{ today }}。"),
]


def build(out: Path = HERE / "opinion_template.docx") -> Path:
    """Write the example template to ``out``."""
    doc = new_document()
    for style, text in LINES:
        doc.add_paragraph(text, style=style)
    doc.save(str(out))
    return out


if __name__ == "__main__":
    print(build())
