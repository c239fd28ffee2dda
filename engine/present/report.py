"""The 案卷评查 HTML report: one self-contained page a meeting can work from, on screen, phone or A4.

Header (date, folder, rules version, counts), a table of every file with filters (verdict, item,
handler, finding; a few lines of vanilla JS, nothing fetched), a section per failing file with its
findings, basis text and 追责 block, then the summary tables and a chart that scales to the page.
"""

from __future__ import annotations

import datetime as dt
import html
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from quanze.engine.model.drafts import identity
from quanze.engine.model.records import Accountability
from quanze.engine.model.text import shown, zh
from quanze.engine.present.output import SEVERITY_WORDS as _SEVERITY
from quanze.engine.present.output import UNFILLED, VERDICT_SHORT, accountability_block, problem_officer

_VERDICT = {**VERDICT_SHORT, "unchecked": "无法检查"}

_STYLE = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em auto;max-width:110em;
padding:0 1em;line-height:1.5;color:#222;overflow-wrap:anywhere}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;border-bottom:2px solid #b22222;padding-bottom:.2em;margin-top:1.6em}
h3{font-size:1.05em;margin:1.2em 0 .4em}
.meta{color:#444;margin:.2em 0}.meta span{display:inline-block;margin-right:1.5em}
nav.toc ol{margin:.3em 0;padding-left:1.5em;columns:2 16em}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.6em 0}
th,td{border:1px solid #999;padding:.25em .45em;text-align:left;vertical-align:top}
th{background:#eee;white-space:nowrap}td.num,th.num{text-align:right;white-space:nowrap}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(24em,1fr));gap:0 2em}
.grid table{width:100%}
#files{table-layout:fixed;width:100%}table.problems{table-layout:fixed;width:100%}
#files td{overflow:hidden}
td.nw,td.verdict{white-space:nowrap;overflow-wrap:normal;word-break:keep-all}
td.path{overflow-wrap:anywhere;font-size:.92em}
tr.fail td.verdict{color:#b22222;font-weight:bold}tr.warn td.verdict{color:#a86400}
.filters{display:flex;flex-wrap:wrap;gap:.5em 1em;margin:.6em 0;padding:.5em;background:#f6f6f6;border:1px solid #ddd}
.filters label{white-space:nowrap;max-width:100%}.filters select{max-width:22em}
#shown{color:#444}
.file{border:1px solid #ccc;border-left:4px solid #b22222;padding:.3em .8em;margin:.6em 0}
.file h3{margin:.2em 0}.who{font-weight:normal;margin-left:1.5em}.file p{margin:.2em 0}
.finding{margin:.3em 0 .5em}.code{font-family:monospace;color:#555}
details summary{cursor:pointer}
blockquote{margin:.3em 0 .3em 1em;padding:.2em .6em;border-left:3px solid #ccc;color:#333;background:#fafafa;white-space:pre-wrap}
.acc{margin:.2em 0 0 1em;color:#333}
svg{width:100%;height:auto;max-width:48em}
@page{size:A4 landscape;margin:8mm 9mm}
@media print{body{margin:0;max-width:none;font-size:7pt;line-height:1.2}.filters,#shown,nav.toc,.noprint,svg{display:none}
h1{font-size:13pt}h2{font-size:10pt;margin-top:.8em}h3{font-size:8.5pt}
th,td{padding:.05em .3em}
tr,.finding,.acc{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}
.file{break-inside:avoid;border-left-width:2px;padding:.1em .5em;margin:.25em 0}.finding{margin:.1em 0}
h2,h3{break-after:avoid;page-break-after:avoid}a{color:inherit;text-decoration:none}
.acc{margin-left:.5em}.acc div{display:inline}.acc div+div:before{content:"；"}.acc .a2{display:none}
#failing-list{columns:2;column-gap:1.2em;font-size:6.5pt}.file h3{font-size:7pt}.file .dir{display:none}
#files col.cpath{width:42em!important}
.find div{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}}
@media (max-width:40em){body{margin:.5em auto}th,td{padding:.25em .3em;font-size:.92em}}
"""

_SCRIPT = """
(function(){
  var sel = document.querySelectorAll('.filters select');
  var rows = document.querySelectorAll('#files tbody tr');
  var secs = document.querySelectorAll('section.file');
  function wanted(){
    var want = {};
    sel.forEach(function(s){ want[s.name] = s.value; });
    return want;
  }
  function match(el, want){
    var d = el.dataset;
    return (!want.verdict || d.verdict === want.verdict) && (!want.item || d.item === want.item) &&
           (!want.handler || d.handler === want.handler) &&
           (!want.code || (' ' + d.codes + ' ').indexOf(' ' + want.code + ' ') >= 0);
  }
  function apply(){
    var want = wanted(), n = 0, m = 0, q = [];
    rows.forEach(function(r){ var ok = match(r, want); r.hidden = !ok; if (ok) n++; });
    secs.forEach(function(s){ var ok = match(s, want); s.hidden = !ok; if (ok) m++; });
    document.getElementById('shown').textContent =
      '显示 ' + n + ' / ' + rows.length + ' 个文件，其中不通过的文件 ' + m + ' / ' + secs.length + ' 个';
    var c = document.getElementById('failing-count'); if (c) c.textContent = m + ' / ' + secs.length;
    sel.forEach(function(s){ if (s.value) q.push(encodeURIComponent(s.name) + '=' + encodeURIComponent(s.value)); });
    try { history.replaceState(null, '', location.pathname + location.search + (q.length ? '#' + q.join('&') : '')); } catch (e) {}
  }
  function fromHash(){
    var h = location.hash.slice(1);
    if (h.indexOf('=') < 0) return;
    var got = {};
    h.split('&').forEach(function(kv){
      var p = kv.split('=');
      try { got[decodeURIComponent(p[0])] = decodeURIComponent(p[1] || ''); } catch (e) {}
    });
    sel.forEach(function(s){
      var v = got[s.name] || '';
      s.value = Array.prototype.some.call(s.options, function(o){ return o.value === v; }) ? v : '';
    });
  }
  document.addEventListener('click', function(ev){
    var a = ev.target.closest && ev.target.closest('a[href^="#"]');
    if (!a) return;
    var target = document.getElementById(a.getAttribute('href').slice(1));
    if (target) { ev.preventDefault(); target.hidden = false; target.scrollIntoView(); }
  });
  function csvCell(t){
    t = t.replace(/\\s+/g, ' ').trim();
    if (/^[=+\\-@\\t\\r]/.test(t)) t = "'" + t;
    return '"' + t.replace(/"/g, '""') + '"';
  }
  var btn = document.getElementById('csv');
  if (btn) btn.addEventListener('click', function(){
    var heads = document.querySelectorAll('#files thead th');
    var lines = [Array.prototype.map.call(heads, function(th){ return csvCell(th.textContent); }).join(',')];
    rows.forEach(function(r){
      if (r.hidden) return;
      lines.push(Array.prototype.map.call(r.cells, function(td){ return csvCell(td.textContent); }).join(','));
    });
    var blob = new Blob(['\\ufeff' + lines.join('\\r\\n') + '\\r\\n'], {type: 'text/csv;charset=utf-8'});
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob); a.download = 'quanze-评查文件表.csv';
    document.body.appendChild(a); a.click(); a.remove();
  });
  sel.forEach(function(s){ s.addEventListener('change', apply); });
  window.addEventListener('hashchange', function(){ fromHash(); apply(); });
  fromHash();
  apply();
})();
"""


def _e(value: Any) -> str:
    """A text for the page that is not the engine's wording (the draft's, a file name, a title from the rules or the
    seed), typeset in full-width punctuation (``zh``): hidden characters (bidi overrides reorder what a reader sees)
    as \\uXXXX, escaped."""
    return _escaped(str(value))


def _w(text: str) -> str:
    """An officer text of a record (a finding's, a problem's, a 追责 block's), worded once by the engine: shown as it
    is, hidden characters as \\uXXXX, escaped (no ``zh``: the draft's words quoted in it stay as written)."""
    return html.escape(shown(text, "\n"))


@lru_cache(maxsize=4096)  # titles, items, handlers and messages repeat from file to file
def _escaped(text: str) -> str:
    return html.escape(_seen(text))


def _table(headers: list[str], rows: list[list[Any]], numeric: tuple[int, ...] = (), nowrap: tuple[int, ...] = (0,)) -> str:
    """A summary table; the columns of ``nowrap`` (codes, names) never break."""

    def cls(i: int) -> str:
        return " class=num" if i in numeric else " class=nw" if i in nowrap else ""

    head = "".join(f"<th{' class=num' if i in numeric else ''}>{_e(h)}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{_e(c)}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows)
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


def _anchor(i: int | str) -> str:
    return f"f{i}"


def _em(text: str) -> float:
    """The width of a one-line text in em: a wide (CJK) character 1, any other about 0.6."""
    return sum(map(_CHAR_EM.__getitem__, text))


class _CharWidths(dict):
    """The em width of each character met (a dict: its lookups cost less than a cached function's calls)."""

    def __missing__(self, c: str) -> float:
        width = 1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62
        if len(self) < 8192:  # characters: the few thousand of the 文号, items and names
            self[c] = width
        return width


_CHAR_EM = _CharWidths()


def item_label(rules: Any, item: str) -> str:
    """An item by its distinct name: the 子项名称 where items share a catalog name (CF-01..04), else the name."""
    entry = rules.catalog.get(item) if rules is not None else None
    if entry is None:
        return item
    return entry.sub_title or entry.name


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = '<option value="">全部</option>' + "".join(
        f'<option value="{html.escape(v)}" title="{_e(t)}">{_e(t if len(t) <= 36 else t[:35] + "…")}</option>' for v, t in options
    )
    return f'<label>{_e(label)}：<select name="{name}">{opts}</select></label>'


def _attrs(item: str, verdict: str, codes: Iterable[str]) -> tuple[str, str]:
    """The data attributes the filters read (a row of the table and a failing file's section alike), cut where the
    handler goes (``data-handler``: ``_who``)."""
    return (
        f'data-verdict="{verdict}" data-item="{html.escape(item)}" data-handler="',
        f'" data-codes="{html.escape(" ".join(codes))}"',
    )


def _who(e: dict[str, Any], who: str | None) -> str:
    """The ``data-handler`` of an entry: one choice per person (drafts.identity; ``who`` when the caller has it)."""
    return html.escape(identity(e.get("handler")) or UNFILLED if who is None else who)


_FIXED_LIMIT = 4096  # parts made per RuleSet and kind: the rules' items × verdicts × finding codes met, a few hundred


def _fixed(rules: Any, kind: str, key: tuple, make: Callable[..., Any]) -> Any:
    """``make(rules, *key)``: the parts of a row or section fixed by the rules' items, codes and basis labels (never a
    draft's own words), made once per RuleSet (``rules.cache``; bounded)."""
    if rules is None:
        return make(rules, *key)
    made = rules.cache.get((kind,))
    if made is None:
        made = rules.cache[(kind,)] = {}
    parts = made.get(key)
    if parts is None:
        parts = make(rules, *key)
        if len(made) < _FIXED_LIMIT:
            made[key] = parts
    return parts


def _path_cell(names: list[str]) -> str:
    """A file path (its names, split at /) that may wrap after each / (never inside a name)."""
    return "/<wbr>".join(map(_escaped, names))


def _split_path(path: str) -> str:
    """A path with its folder marked, so print can leave the folder out (the table has the whole path)."""
    folder, _, name = path.rpartition("/")
    return (f'<span class="dir">{_e(folder)}/</span>' if folder else "") + _e(name)


class _Row(NamedTuple):
    """The parts of a file table row fixed by its verdict, item and finding codes, around the file's own values."""

    head: str  # <tr …> up to the handler's data attribute
    case: str  # from there to the 文号 cell's text
    item: str  # from there to the handler cell's text
    verdict: str  # the verdict cell
    found: str  # the findings cell (a checked file's: its codes' titles)
    item_text: str
    found_text: str
    item_width: float


def _row(rules: Any, verdict: str, item: str, codes: tuple[str, ...]) -> _Row:
    shown_item = item or "—"
    data, codes_attr = _attrs(item, verdict, codes)
    titles = "；".join(f"{_title(rules, c)} [{c}]" for c in codes)
    return _Row(
        f'<tr class="{verdict}" {data}',
        f'{codes_attr}><td class="nw">',
        f'</td><td class="nw" title="{_e(item_label(rules, shown_item))}">{_e(shown_item)}</td><td class="nw">',
        f'</td><td class="verdict">{_VERDICT[verdict]}</td>',
        f'<td class="find"><div>{_e(titles) or "—"}</div></td>',
        _text(shown_item),
        _text(titles) or "—",
        _em(shown(shown_item)),
    )


def row_parts(
    e: dict[str, Any], rules: Any, scores_on: bool, score: Any, who: str | None = None
) -> tuple[tuple[str, ...], tuple[float, float, float], list[str]]:
    """One row of the file table, cut where a failing file's anchor number goes (the row is ``str(n).join(parts)``);
    the widths (em) of its 文号, item and handler for the table's columns; the text of each cell as a reader
    (or the page's CSV export) sees it. ``who``: the handler as the summary counts it (``brief``), if made already."""
    checked = e.get("checked")
    verdict = e["verdict"] if checked else "unchecked"
    codes = tuple(dict.fromkeys(f["code"] for f in e.get("findings", [])))
    fixed: _Row = _fixed(rules, "report_row", (verdict, e.get("item") or "", codes), _row)
    handler = e.get("handler") or UNFILLED
    case_id = e.get("case_id") or "—"
    widths = (_em(shown(str(case_id))), fixed.item_width, _em(shown(str(handler))))
    if checked:
        found, found_text = fixed.found, fixed.found_text
    else:  # the problems in the officer's words, as the engine wrote them
        findings = "；".join(problem_officer(p) for p in e.get("problems", []))
        found, found_text = f'<td class="find"><div>{_w(findings) or "—"}</div></td>', shown(findings, "\n") or "—"
    score_text = ("—" if score is None else str(score)) if scores_on else None
    names = e["file"].split("/")
    file_cell = _path_cell(names)
    start = (
        f"{fixed.head}{_who(e, who)}{fixed.case}{_e(case_id)}{fixed.item}{_e(handler)}{fixed.verdict}"
        + (f'<td class="num">{score_text}</td>' if score_text is not None else "")
        + f'{found}<td class="path">'
    )
    texts = [_text(case_id), fixed.item_text, _text(handler), _VERDICT[verdict], *([score_text] if score_text is not None else [])]
    texts += [found_text, "/".join(map(_seen, names))]
    if verdict == "fail":  # a failing file links to its section
        return (f'{start}<a href="#{_anchor("")}', f'">{file_cell}</a></td></tr>'), widths, texts
    return (f"{start}{file_cell}</td></tr>",), widths, texts


@lru_cache(maxsize=1024)  # article texts: the same few hundred in every review
def _quoted(text: str) -> str:
    return html.escape(zh(text))


def _text(value: Any) -> str:
    """What a reader sees of ``_e(value)``."""
    return _seen(str(value))


@lru_cache(maxsize=4096)
def _seen(text: str) -> str:
    return zh(shown(text, "\n"))


def table_open(widest: Iterable[float], verdicts: Iterable[str], scores_on: bool) -> str:
    """The file table up to its first row: fixed column widths from the longest 文号, item code and name, so none breaks."""
    headers = ["文号", "事项", "承办人", "结论"] + (["得分"] if scores_on else []) + ["发现", "文件"]
    pad = 1.3  # cell padding and border, in em
    case_w, item_w, handler_w = (max(w, _em(h)) for w, h in zip(widest, ("文号", "事项", "承办人"), strict=True))
    verdict_width = max([_em("结论"), *(_em(_VERDICT[v]) for v in verdicts)]) + pad
    widths = [case_w + pad, item_w + pad, handler_w + pad, verdict_width]
    widths += [max(_em("得分"), _em("100.0")) + pad] if scores_on else []
    widths += [0, 20]  # 发现 takes what is left; the path wraps after a /
    names = ["", "", "", "", *([""] if scores_on else []), "", ' class="cpath"']
    cols = "".join(f'<col{c} style="width:{w:.1f}em">' if w else "<col>" for c, w in zip(names, widths, strict=True))
    least = sum(widths) + 16
    head = "".join(f"<th>{h}</th>" for h in headers)
    table = f'<table id="files" style="min-width:{least:.0f}em">'
    return f'<div class="scroll">{table}<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>'


TABLE_CLOSE = "</tbody></table></div>"


def _files_table(entries: list[dict[str, Any]], rules: Any, scores: dict[str, float] | None) -> str:
    """The per-file table (every entry in memory; the streaming review writes the same rows, engine/batch/pages.py)."""
    rows, widest, n = [], [0.0, 0.0, 0.0], 0
    for e in entries:
        parts, widths, _ = row_parts(e, rules, scores is not None, (scores or {}).get(e["file"]))
        widest = [max(a, b) for a, b in zip(widest, widths, strict=True)]
        rows.append(str(n).join(parts))
        n += len(parts) - 1
    verdicts = {e["verdict"] if e.get("checked") else "unchecked" for e in entries}
    return table_open(widest, verdicts, scores is not None) + "".join(rows) + TABLE_CLOSE


def _filters(entries: list[dict[str, Any]], rules: Any) -> str:
    return filters(
        {e["item"] for e in entries if e.get("item")},
        {identity(e.get("handler")) or UNFILLED for e in entries if e.get("checked")},  # one choice per person
        {f["code"] for e in entries for f in e.get("findings", [])},
        rules,
    )


def filters(items: Iterable[str], handlers: Iterable[str], codes: Iterable[str], rules: Any) -> str:
    """The filter bar (verdict, item, handler, finding) and the CSV button over the file table."""
    items, handlers, codes = sorted(items), sorted(handlers), sorted(codes)
    return (
        '<div class="filters">'
        + _select("verdict", "结论", [(k, v) for k, v in _VERDICT.items()])
        + _select("item", "事项", [(i, f"{i} {item_label(rules, i)}") for i in items])
        + _select("handler", "承办人", [(h, h) for h in handlers])
        + _select("code", "发现", [(c, f"{_title(rules, c)} [{c}]") for c in codes])
        + '<button type="button" id="csv">导出表格（CSV）</button>'
        + '</div><p id="shown"></p>'
    )


def _failing_section(i: int, e: dict[str, Any], rules: Any) -> str:
    return str(i).join(section_parts(e, rules))


def section_parts(e: dict[str, Any], rules: Any, who: str | None = None) -> tuple[str, str]:
    """A failing file's section, cut where its anchor number goes (the section is ``str(n).join(parts)``); ``who`` as
    for ``row_parts``."""
    codes = tuple(dict.fromkeys(f["code"] for f in e["findings"]))
    head, middle, item = _fixed(rules, "report_section", (e.get("item") or "", codes), _section_head)
    handler = e.get("handler") or UNFILLED
    parts = [f"{head}{_who(e, who)}{middle}{_e(e.get('case_id') or '')}{item}{_split_path(e['file'])}"]
    parts.append(f'<span class="who">承办人：{_e(handler)}</span></h3>')
    for f in e["findings"]:
        opening, closing = _fixed(rules, "report_finding", (f["severity"], f["code"], tuple(f.get("basis", []))), _finding_block)
        parts += (opening, _w(f["text"]), closing)
        acc = f.get("accountability")
        if acc:
            block = accountability_block(Accountability.model_validate(acc))
            rows = "".join(f'<div class="a{n}"><b>{head}</b>：{_w(text)}</div>' for n, (head, text) in enumerate(block))
            parts.append(f'<div class="acc">{rows}</div>')
        parts.append("</div>")
    parts.append("</section>")
    return f'<section class="file" id="{_anchor("")}', "".join(parts)


def _section_head(rules: Any, item: str, codes: tuple[str, ...]) -> tuple[str, str, str]:
    """A failing file's section up to its handler's data attribute, from there to its 文号, and its item."""
    data, codes_attr = _attrs(item, "fail", codes)
    return f'" {data}', f"{codes_attr}><h3>", f"（{_e(item)}）："


def _finding_block(rules: Any, severity: str, code: str, basis: tuple[str, ...]) -> tuple[str, str]:
    """A finding's block in a failing file's section up to its officer text, and from there to its 追责 block: its
    line (``_finding_parts``) and the basis labels' texts to unfold (none without rules)."""
    opening, closing = _finding_parts(severity, code, basis, rules)
    details = "".join(_basis_details(rules, label) for label in basis) if rules is not None else ""
    return f'<div class="finding">{opening}', closing + details


def _finding_line(severity: str, code: str, text: str, basis: list[str], rules: Any) -> str:
    """A finding's line: severity, title and code, its officer ``text`` as the engine wrote it, the basis labels."""
    opening, closing = _finding_parts(severity, code, basis, rules)
    return opening + _w(text) + closing


def _finding_parts(severity: str, code: str, basis: Sequence[str], rules: Any) -> tuple[str, str]:
    """``_finding_line`` up to its officer text, and after it."""
    labels = "；".join(basis)
    return (
        f'<p><b>{_SEVERITY.get(severity, "")}：{_e(_title(rules, code))}</b> <span class="code">[{code}]</span> ',
        (f"（依据：{_e(labels)}）" if basis else "") + "</p>",
    )


def _basis_details(rules: Any, label: str) -> str:
    """A basis label's text to unfold (none when the rules hold no text for it)."""
    from quanze.engine.law.lawtext import basis_text

    text = basis_text(rules, label)
    quote = f"<blockquote>{_quoted(text)}</blockquote>"
    return f'<details class="noprint"><summary>依据原文：{_e(label)}</summary>{quote}</details>' if text else ""


def _pair_meta(meta: dict[str, Any]) -> str:
    """The JSONL this page was written with (engine/batch/pages.py write_reports): SHA-256 and number of lines."""
    if not meta.get("jsonl_sha256"):
        return ""
    return f'<meta name="quanze-jsonl" content="sha256={html.escape(str(meta["jsonl_sha256"]))} lines={int(meta.get("jsonl_lines", 0))}">'


def _counts_row(c: dict[str, int]) -> list[Any]:
    return [c.get("pass", 0), c.get("warn", 0), c.get("incomplete", 0), c.get("fail", 0)]


def _summary(summary: dict[str, Any], rules: Any) -> list[str]:
    """The summary a meeting starts from: top findings and 追责情形, then per item and per handler, side by side."""
    return [
        '<h2 id="top">最常见的问题与追责情形</h2><div class="grid"><div>',
        _table(["问题", "结论代码", "次数"], [[_title(rules, c), c, n] for c, n in summary["top_codes"]], numeric=(2,), nowrap=(1,)),
        "</div><div>",
        _table(
            ["事项", "追责情形", "内容", "次数"],
            [[t["list"], f"第 {t['no']} 项", t["text"], t["count"]] for t in summary["top_triggers"]],
            numeric=(3,),
            nowrap=(0, 1),
        ),
        "</div></div>",
        '<h2 id="per">按事项与按承办人</h2><div class="grid"><div>',
        _table(
            ["事项", "名称", "通过", "有警告", "未完成", "不通过"],
            [[k, item_label(rules, k), *_counts_row(c)] for k, c in summary["per_item"].items()],
            numeric=(2, 3, 4, 5),
        ),
        "</div><div>",
        _table(
            ["承办人", "通过", "有警告", "未完成", "不通过"],
            [[k, *_counts_row(c)] for k, c in summary["per_handler"].items()],
            numeric=(1, 2, 3, 4),
        ),
        "</div></div>",
        '<div class="noprint">',
        _bars([(_title(rules, code), n) for code, n in summary["top_codes"]]),
        "</div>",
    ]


def _toc(failing: int, unreadable: bool) -> str:
    links = [("top", "最常见的问题与追责情形"), ("per", "按事项与按承办人"), ("all", "全部文件")]
    if failing:
        links.append(("failing", f"不通过的文件（{failing} 个）"))
    if unreadable:
        links.append(("unreadable", "无法检查的文件"))
    return '<nav class="toc"><b>目录</b><ol>' + "".join(f'<li><a href="#{a}">{t}</a></li>' for a, t in links) + "</ol></nav>"


def html_page(
    summary: dict[str, Any], entries: list[dict[str, Any]] | None = None, meta: dict[str, Any] | None = None, rules: Any = None
) -> str:
    """The review report as one HTML page, no external files: the summary first, then the table, then each failing file."""
    entries = entries or []
    meta = meta or {}
    score = summary.get("score")
    scores = score["files"] if score else None
    failing_entries = [e for e in entries if e.get("checked") and e["verdict"] == "fail"]
    sections = report_head(summary, meta) + [_toc(len(failing_entries), bool(summary["problems"]))] + _summary(summary, rules)
    sections += ['<h2 id="all">全部文件</h2>', tables_line(meta.get("tables")), _filters(entries, rules)]
    sections.append(_files_table(entries, rules, scores))
    if failing_entries:
        sections += [failing_open(len(failing_entries)), *(_failing_section(i, e, rules) for i, e in enumerate(failing_entries)), "</div>"]
    if summary["problems"]:
        sections.append(problems_table(summary["problems"]))
    return page_open(meta) + "".join(sections) + page_close(meta)


def page_open(meta: dict[str, Any], title: str = "") -> str:
    """A report page up to its body: style, the JSONL it belongs to (meta) and its title."""
    today = meta.get("date") or dt.date.today().isoformat()
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{_pair_meta(meta)}"
        f"<title>案卷评查报告 {_e(today)}{_e(title)}</title><style>{_STYLE}</style></head><body>"
    )


def page_close(meta: dict[str, Any], script: str = "") -> str:
    """The rules line, the filters' script (and ``script``) and the end of a page."""
    rules_line = f'<p class="meta">{_e(meta["rules_line"])}</p>' if meta.get("rules_line") else ""
    return f"{rules_line}<script>{_SCRIPT}{script}</script></body></html>"


def csv_headers(scores_on: bool) -> list[str]:
    """The file table's column names (the first line of the CSV)."""
    return ["文号", "事项", "承办人", "结论"] + (["得分"] if scores_on else []) + ["发现", "文件"]


# --- a review of more than one page of files (engine/batch/pages.py) ------------------------------

# a link to another page of the report takes the filters chosen (the #verdict=…&item=… of this page) along
PAGE_SCRIPT = """
document.querySelectorAll('a.page').forEach(function(a){
  a.addEventListener('click', function(){ if (location.hash.indexOf('=') >= 0) a.href = a.href.split('#')[0] + location.hash; });
});
"""


def paged_toc(unreadable: bool) -> str:
    links = [("top", "最常见的问题与追责情形"), ("per", "按事项与按承办人"), ("pages", "文件表（分页）")]
    if unreadable:
        links.append(("unreadable", "无法检查的文件"))
    return '<nav class="toc"><b>目录</b><ol>' + "".join(f'<li><a href="#{a}">{t}</a></li>' for a, t in links) + "</ol></nav>"


def tables_line(tables: tuple[str, str] | None) -> str:
    """Links to the whole file table as CSV and xlsx files (the hrefs of ``tables``), not printed; none without."""
    if not tables:
        return ""
    csv_href, xlsx_href = (html.escape(t) for t in tables)
    return (
        f'<p class="noprint" id="tables">全部文件的表格另见 <a href="{csv_href}">CSV 文件</a>、'
        f'<a href="{xlsx_href}">Excel 文件（xlsx）</a>（可在电子表格中筛选）。</p>'
    )


def page_index(pages: list[tuple[str, int, int, int, int]], per_page: int, tables: tuple[str, str]) -> str:
    """The list of the table's pages: (href, page number, first file, last file, failing files on it)."""
    rows = "".join(
        f'<tr><td class="nw"><a class="page" href="{html.escape(href)}">第 {k} 页</a></td>'
        f'<td class="num">{first}–{last}</td><td class="num">{failing}</td></tr>'
        for href, k, first, last, failing in pages
    )
    return (
        f'<h2 id="pages">文件表（共 {len(pages)} 页，每页至多 {per_page} 个文件）</h2>'
        "<p>每页有全部文件表的筛选（结论、事项、承办人、发现），筛选条件随翻页保留。</p>"
        + tables_line(tables)
        + '<div class="scroll"><table><thead><tr><th>页</th><th class="num">文件</th><th class="num">不通过</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def page_nav(k: int, n: int, summary_href: str) -> str:
    """Links from one page of the table to the summary and the pages before and after it."""
    links = [f'<a href="{html.escape(summary_href)}#pages">汇总与页目录</a>']
    if k > 1:
        links.append(f'<a class="page" href="{k - 1:04d}.html">上一页</a>')
    if k < n:
        links.append(f'<a class="page" href="{k + 1:04d}.html">下一页</a>')
    return '<p class="noprint">' + "　".join(links) + f"　第 {k} / {n} 页</p>"


def report_head(summary: dict[str, Any], meta: dict[str, Any]) -> list[str]:
    """The title, date, folder, rules version, counts and scores of a review."""
    v = summary["verdicts"]
    score = summary.get("score")
    today = meta.get("date") or dt.date.today().isoformat()
    head = [
        "<h1>案卷评查报告</h1>",
        '<p class="meta">'
        f"<span>评查日期：{_e(today)}</span>"
        f"<span>评查目录：{_e(meta.get('folder', '—'))}</span>"
        f"<span>规则版本：{_e(meta.get('rules_version', '—'))}</span></p>",
        f'<p class="meta" id="counts"><span>共 {summary["files"]} 个文件</span><span>已检查 {summary["checked"]} 个</span>'
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
    return head


def failing_open(count: int) -> str:
    """The heading of the failing files' sections and the opening of their list (closed by ``</div>``)."""
    return (
        f'<h2 id="failing">不通过的文件（<span id="failing-count">{count}</span> 个）</h2>'
        "<p>依据原文为规则中的现行文本（点击“依据原文”展开）；行为时或决定时适用的版本见各文件的检查报告（quanze explain）。</p>"
        '<div id="failing-list">'
    )


def problems_table(problems: Iterable[dict[str, Any]]) -> str:
    """The files that could not be checked, with why."""
    return "".join(problems_parts(problems))


def problems_parts(problems: Iterable[dict[str, Any]]) -> Iterator[str]:
    """``problems_table`` in parts, for a writer that writes them as they come: its head, a row per file, its end."""
    cols = '<colgroup><col style="width:35%"><col></colgroup>'
    yield (
        f'<h2 id="unreadable">无法检查的文件</h2><div class="scroll"><table class="problems">{cols}'
        "<thead><tr><th>文件</th><th>问题</th></tr></thead><tbody>"
    )
    for p in problems:
        text = "；".join(problem_officer(q) for q in p["problems"])  # the engine's words, as they are
        yield f"<tr><td>{_e(p['file'])}</td><td>{_w(text)}</td></tr>"
    yield "</tbody></table></div>"


summary_sections = _summary  # for engine/batch/pages.py, which writes the same page from parts
contents = _toc
