"""The 案卷评查 HTML report: one self-contained page a meeting can work from, on screen, phone or A4.

Header (date, folder, rules version, counts), a table of every file with filters (verdict, item,
handler, finding; a few lines of vanilla JS, nothing fetched), a section per failing file with its
findings, basis text and 追责 block, then the summary tables and a chart that scales to the page.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from quanze.engine.present import SEVERITY_WORDS as _SEVERITY
from quanze.engine.present import VERDICT_SHORT, accountability_block
from quanze.engine.text import shown, zh

_VERDICT = {**VERDICT_SHORT, "unchecked": "无法检查"}

_STYLE = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em auto;max-width:62em;padding:0 1em;
line-height:1.5;color:#222;overflow-wrap:anywhere}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;border-bottom:2px solid #b22222;padding-bottom:.2em;margin-top:1.6em}
h3{font-size:1.05em;margin:1.2em 0 .4em}
.meta{color:#444;margin:.2em 0}.meta span{display:inline-block;margin-right:1.5em}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.6em 0;width:100%}
th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#eee}td.num,th.num{text-align:right;white-space:nowrap}
td.verdict,td.num{white-space:nowrap}tr.fail td.verdict{color:#b22222;font-weight:bold}tr.warn td.verdict{color:#a86400}
.filters{display:flex;flex-wrap:wrap;gap:.5em 1em;margin:.6em 0;padding:.5em;background:#f6f6f6;border:1px solid #ddd}
.filters label{white-space:nowrap;max-width:100%}.filters select{max-width:16em}
#shown{color:#444}
.file{border:1px solid #ccc;border-left:4px solid #b22222;padding:.4em .8em;margin:1em 0}
.finding{margin:.5em 0 .8em}.code{font-family:monospace;color:#555}
blockquote{margin:.3em 0 .3em 1em;padding:.2em .6em;border-left:3px solid #ccc;color:#333;background:#fafafa;white-space:pre-wrap}
.acc{margin:.3em 0 0 1em;color:#333}
svg{width:100%;height:auto;max-width:48em}
@page{size:A4;margin:15mm 12mm}
@media print{body{margin:0;max-width:none;font-size:10.5pt}.filters,#shown{display:none}
tr,.finding,blockquote,.acc{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}
.file{break-inside:auto;border-left-width:2px}h2,h3{break-after:avoid;page-break-after:avoid}a{color:inherit;text-decoration:none}}
@media (max-width:40em){body{margin:.5em auto}th,td{padding:.25em .3em;font-size:.92em}}
"""

_SCRIPT = """
(function(){
  var sel = document.querySelectorAll('.filters select');
  var rows = document.querySelectorAll('#files tbody tr');
  function apply(){
    var want = {};
    sel.forEach(function(s){ want[s.name] = s.value; });
    var n = 0;
    rows.forEach(function(r){
      var ok = (!want.verdict || r.dataset.verdict === want.verdict) &&
               (!want.item || r.dataset.item === want.item) &&
               (!want.handler || r.dataset.handler === want.handler) &&
               (!want.code || (' ' + r.dataset.codes + ' ').indexOf(' ' + want.code + ' ') >= 0);
      r.hidden = !ok; if (ok) n++;
    });
    document.getElementById('shown').textContent = '显示 ' + n + ' / ' + rows.length + ' 个文件';
  }
  sel.forEach(function(s){ s.addEventListener('change', apply); });
  apply();
})();
"""


def _e(value: Any) -> str:
    """A text for the page: hidden characters (bidi overrides reorder what a reader sees) as \\uXXXX, escaped."""
    return html.escape(zh(shown(str(value), "\n")))


def _table(headers: list[str], rows: list[list[Any]], numeric: tuple[int, ...] = ()) -> str:
    head = "".join(f"<th{' class=num' if i in numeric else ''}>{_e(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i in numeric else ''}>{_e(c)}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _bars(rows: list[tuple[str, int]]) -> str:
    """A horizontal bar chart as inline SVG that scales with the page (viewBox, width 100%)."""
    if not rows:
        return "<p>无</p>"
    top = max(n for _, n in rows) or 1
    height = 26 * len(rows) + 8
    parts = [
        f'<svg role="img" aria-label="最常见的问题" viewBox="0 0 800 {height}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, n) in enumerate(rows):
        y = 4 + 26 * i
        width = int(430 * n / top)
        parts.append(f'<text x="0" y="{y + 15}" font-size="13">{_e(label[:24])}</text>')
        parts.append(f'<rect x="330" y="{y}" width="{width}" height="18" fill="#b22222"/>')
        parts.append(f'<text x="{336 + width}" y="{y + 15}" font-size="13">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _title(rules: Any, code: str) -> str:
    fdef = rules.findings.get(code) if rules is not None else None
    return fdef.title if fdef else code


def _anchor(i: int) -> str:
    return f"f{i}"


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = '<option value="">全部</option>' + "".join(f'<option value="{html.escape(v)}">{_e(t)}</option>' for v, t in options)
    return f'<label>{_e(label)}：<select name="{name}">{opts}</select></label>'


def _files_table(entries: list[dict[str, Any]], rules: Any, scores: dict[str, float] | None, failing: dict[str, int]) -> str:
    headers = ["文号", "事项", "承办人", "结论"] + (["得分"] if scores is not None else []) + ["发现", "文件"]
    rows = []
    for e in entries:
        verdict = e["verdict"] if e.get("checked") else "unchecked"
        codes = list(dict.fromkeys(f["code"] for f in e.get("findings", [])))
        handler = e.get("handler") or "（未填写）"
        findings = "；".join(f"{_title(rules, c)} [{c}]" for c in codes) if e.get("checked") else "；".join(e.get("problems", []))
        file_cell = _e(e["file"])
        if e["file"] in failing:
            file_cell = f'<a href="#{_anchor(failing[e["file"]])}">{file_cell}</a>'
        cells = [
            f"<td>{_e(e.get('case_id') or '—')}</td>",
            f"<td>{_e(e.get('item') or '—')}</td>",
            f"<td>{_e(handler)}</td>",
            f'<td class="verdict">{_VERDICT[verdict]}</td>',
        ]
        if scores is not None:
            cells.append(f'<td class="num">{scores.get(e["file"], "—")}</td>')
        cells += [f"<td>{_e(findings) or '—'}</td>", f"<td>{file_cell}</td>"]
        attrs = (
            f'class="{verdict}" data-verdict="{verdict}" data-item="{html.escape(e.get("item") or "")}" '
            f'data-handler="{html.escape(handler)}" data-codes="{html.escape(" ".join(codes))}"'
        )
        rows.append(f"<tr {attrs}>{''.join(cells)}</tr>")
    head = "".join(f"<th>{h}</th>" for h in headers)
    return f'<div class="scroll"><table id="files"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _filters(entries: list[dict[str, Any]], rules: Any) -> str:
    items = sorted({e["item"] for e in entries if e.get("item")})
    handlers = sorted({e.get("handler") or "（未填写）" for e in entries if e.get("checked")})
    codes = sorted({f["code"] for e in entries for f in e.get("findings", [])})
    names = {i: rules.catalog[i].name for i in items} if rules is not None else {}
    return (
        '<div class="filters">'
        + _select("verdict", "结论", [(k, v) for k, v in _VERDICT.items()])
        + _select("item", "事项", [(i, f"{i} {names.get(i, '')}"[:40]) for i in items])
        + _select("handler", "承办人", [(h, h) for h in handlers])
        + _select("code", "发现", [(c, f"{_title(rules, c)} [{c}]") for c in codes])
        + '</div><p id="shown"></p>'
    )


def _failing_section(i: int, e: dict[str, Any], rules: Any) -> str:
    from quanze.engine.lawtext import basis_text

    parts = [f'<section class="file" id="{_anchor(i)}"><h3>{_e(e.get("case_id") or "")}（{_e(e.get("item") or "")}）：{_e(e["file"])}</h3>']
    parts.append(f"<p>承办人：{_e(e.get('handler') or '（未填写）')}；结论：<b>不通过</b></p>")
    for f in e["findings"]:
        parts.append('<div class="finding">')
        parts.append(
            f'<p><b>{_SEVERITY.get(f["severity"], "")}：{_e(_title(rules, f["code"]))}</b> <span class="code">[{f["code"]}]</span></p>'
        )
        parts.append(f"<p>{_e(f['message'])}</p>")
        for label in f.get("basis", []):
            text = basis_text(rules, label) if rules is not None else None
            parts.append(f"<p>依据：{_e(label)}</p>")
            if text:
                parts.append(f"<blockquote>{html.escape(text)}</blockquote>")
        acc = f.get("accountability")
        if acc:
            rows = "<br>".join(f"{head}：{_e(text)}" for head, text in accountability_block(acc))
            parts.append(f'<div class="acc">{rows}</div>')
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)


def _pair_meta(meta: dict[str, Any]) -> str:
    """The JSONL this page was written with (engine/review.py write_reports): SHA-256 and number of lines."""
    if not meta.get("jsonl_sha256"):
        return ""
    return f'<meta name="quanze-jsonl" content="sha256={html.escape(str(meta["jsonl_sha256"]))} lines={int(meta.get("jsonl_lines", 0))}">'


def html_page(
    summary: dict[str, Any], entries: list[dict[str, Any]] | None = None, meta: dict[str, Any] | None = None, rules: Any = None
) -> str:
    """The review report as one HTML page, no external files."""
    entries = entries or []
    meta = meta or {}
    v = summary["verdicts"]
    score = summary.get("score")
    scores = score["files"] if score else None
    failing_entries = [e for e in entries if e.get("checked") and e["verdict"] == "fail"]
    failing = {e["file"]: i for i, e in enumerate(failing_entries)}
    today = meta.get("date") or dt.date.today().isoformat()
    head = [
        "<h1>案卷评查报告</h1>",
        '<p class="meta">'
        f"<span>评查日期：{_e(today)}</span>"
        f"<span>评查目录：{_e(meta.get('folder', '—'))}</span>"
        f"<span>规则版本：{_e(meta.get('rules_version', '—'))}</span></p>",
        f'<p class="meta"><span>共 {summary["files"]} 个文件</span><span>已检查 {summary["checked"]} 个</span>'
        f"<span>无法检查 {summary['unreadable']} 个</span><span>通过 {v.get('pass', 0)} 个</span>"
        f"<span>有警告 {v.get('warn', 0)} 个</span><span>未完成 {v.get('incomplete', 0)} 个</span>"
        f"<span>不通过 {v.get('fail', 0)} 个</span></p>",
    ]
    if score:
        head.append(
            f'<p class="meta"><span>评分（百分制，{_e(score["table"])}）：平均 {score["mean"]} 分，最低 {score["min"]} 分</span></p>'
            if score.get("mean") is not None
            else f'<p class="meta"><span>评分（百分制，{_e(score["table"])}）：没有已检查的文件，未评分</span></p>'
        )
    sections = head + ["<h2>全部文件</h2>", _filters(entries, rules), _files_table(entries, rules, scores, failing)]
    if failing_entries:
        sections.append(f"<h2>不通过的文件（{len(failing_entries)} 个）</h2>")
        sections.append("<p>依据原文为规则中的现行文本；行为时或决定时适用的版本见各文件的检查报告（quanze explain）。</p>")
        sections += [_failing_section(i, e, rules) for i, e in enumerate(failing_entries)]
    sections += [
        "<h2>最常见的问题</h2>",
        _bars([(_title(rules, code), n) for code, n in summary["top_codes"]]),
        _table(["问题", "结论代码", "次数"], [[_title(rules, c), c, n] for c, n in summary["top_codes"]], numeric=(2,)),
        "<h2>最常触发的追责情形</h2>",
        _table(
            ["事项", "追责情形", "内容", "次数"],
            [[t["list"], f"第 {t['no']} 项", t["text"], t["count"]] for t in summary["top_triggers"]],
            numeric=(3,),
        ),
        "<h2>按事项</h2>",
        _table(
            ["事项", "通过", "有警告", "未完成", "不通过"],
            [[k, c.get("pass", 0), c.get("warn", 0), c.get("incomplete", 0), c.get("fail", 0)] for k, c in summary["per_item"].items()],
            numeric=(1, 2, 3, 4),
        ),
        "<h2>按承办人</h2>",
        _table(
            ["承办人", "通过", "有警告", "未完成", "不通过"],
            [[k, c.get("pass", 0), c.get("warn", 0), c.get("incomplete", 0), c.get("fail", 0)] for k, c in summary["per_handler"].items()],
            numeric=(1, 2, 3, 4),
        ),
    ]
    if summary["problems"]:
        sections += [
            "<h2>无法检查的文件</h2>",
            _table(["文件", "问题"], [[p["file"], "；".join(p["problems"])] for p in summary["problems"]]),
        ]
    if meta.get("rules_line"):
        sections.append(f'<p class="meta">{_e(meta["rules_line"])}</p>')
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{_pair_meta(meta)}"
        f"<title>案卷评查报告 {_e(today)}</title><style>{_STYLE}</style></head><body>"
        f"{''.join(sections)}<script>{_SCRIPT}</script></body></html>"
    )
