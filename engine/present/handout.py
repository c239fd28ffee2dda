"""A sample case as an HTML handout for a projector and for print: 案情, the draft as a table, the result, 讲解.

Everything from the case files is escaped; the page is self-contained (no external files, no script).
"""

from __future__ import annotations

import html
from typing import Any

from quanze.engine.model.text import shown, zh
from quanze.engine.present.output import SEVERITY_WORDS, VERDICT_WORDS, accountability_block, problem_officer

_STYLE = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei","PingFang SC",sans-serif;margin:1em auto;max-width:60em;
padding:0 1em;font-size:20px;line-height:1.6;color:#111;overflow-wrap:anywhere}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;border-bottom:3px solid #b22222;margin:1.2em 0 .4em}
.path{color:#555;font-family:monospace;font-size:.8em}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#eee;width:14em;font-weight:normal}
.verdict{font-size:1.3em;font-weight:bold}.fail{color:#b22222}.warn,.incomplete{color:#a86400}.pass{color:#1b6e20}
.finding{margin:.6em 0;padding:.3em .6em;border-left:5px solid #b22222;background:#fafafa}.code{font-family:monospace;color:#555}
.acc{margin:.2em 0 0 1em;font-size:.9em}.teach{white-space:pre-wrap}.narr{white-space:pre-wrap}
@page{size:A4;margin:15mm}
@media print{body{font-size:11pt;max-width:none;margin:0}tr,.finding{break-inside:avoid}h2{break-after:avoid}}
"""


def _e(value: Any) -> str:
    """Text from a case file, safe on the page (hidden characters shown as \\uXXXX)."""
    return html.escape(zh(shown(str(value), "\n")))


def handout_html(
    shown_path: str, expect: Any, rows: list[tuple[str, str]], outcome: Any, rules: Any, labels: dict[str, str] | None = None
) -> str:
    """The handout page. ``rows`` are the draft's (Chinese label, value) rows; ``outcome`` a ``CaseOutcome``."""
    from quanze.engine.law.lawtext import basis_text

    parts = [f"<h1>{_e(expect.name)}</h1>", f'<p class="path">{_e(shown_path)}</p>']
    parts += ["<h2>案情</h2>", f'<p class="narr">{_e(expect.narrative.strip())}</p>', "<h2>草稿</h2>"]
    parts.append("<table>" + "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows) + "</table>")
    parts.append("<h2>检查结论</h2>")
    if outcome.input_error is not None:
        parts.append('<p class="verdict fail">输入错误（退出码 2）</p><ul>')
        parts += [f"<li>{_e(problem_officer(p))}</li>" for p in outcome.input_problems]
        parts.append("</ul>")
    elif outcome.result is not None:
        result = outcome.result
        parts.append(f'<p class="verdict {result.verdict}">{_e(VERDICT_WORDS.get(result.verdict, result.verdict))}</p>')
        for f in result.findings:
            fdef = rules.findings.get(f.code) if rules is not None else None
            title = fdef.title if fdef else f.code
            parts.append(
                f'<div class="finding"><b>{SEVERITY_WORDS.get(f.severity, "")}：{_e(title)}</b> <span class="code">[{_e(f.code)}]</span>'
                f"<br>{_e(f.text)}<br>依据：{_e('；'.join(f.basis))}"
            )
            for label in f.basis:
                text = basis_text(rules, label) if rules is not None else None
                if text:
                    parts.append(f'<div class="acc">{_e(label)}：{html.escape(text)}</div>')
            if f.accountability:
                block = "<br>".join(f"{head}：{_e(text)}" for head, text in accountability_block(f.accountability))
                parts.append(f'<div class="acc">{block}</div>')
            parts.append("</div>")
        for n in result.not_checked:
            parts.append(f"<p>{_e(n.text or n.message)}</p>")
        if not result.findings and not result.not_checked:
            parts.append("<p>未发现问题</p>")
    parts += ["<h2>讲解</h2>", f'<p class="teach">{_e(expect.teaching.strip())}</p>']
    if not outcome.passed:
        parts.append("<h2>注意：本案例当前不符合其预期</h2><ul>" + "".join(f"<li>{_e(p)}</li>" for p in outcome.problems) + "</ul>")
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(expect.name)}</title><style>{_STYLE}</style></head><body>{''.join(parts)}</body></html>"
    )
