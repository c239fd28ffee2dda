"""The only place that formats output: text reports in Chinese and JSON."""

from __future__ import annotations

import json
from typing import Any

from quanze.engine.findings import VERDICTS, Result

_SEVERITY_TITLE = {"error": "错误", "warning": "警告", "info": "提示"}
_VERDICT = {"pass": "通过", "warn": "通过 (有警告)", "incomplete": "未完成 (草稿有未填写的部分, 部分检查未进行)", "fail": "不通过"}
_ROLE = {"handler": "具体承办人", "reviewer": "内设机构负责人", "approver": "单位法定代表人或分管领导"}


def to_json(value: Any) -> str:
    """Pretty JSON with Chinese kept as is, always valid UTF-8 (a lone surrogate would become U+FFFD)."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    return text if text.isascii() or _encodable(text) else text.encode("utf-8", "replace").decode("utf-8")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def result_text(result: Result) -> str:
    """A Chinese report of one check: verdict, findings by severity, 追责提示."""
    lines = [f"== {result.file} ({result.case_id}, {result.item}) ==", f"结论: {_VERDICT[result.verdict]}"]
    prov = result.extra.get("provision")
    if prov:
        lines.append(f"适用条文: {prov['law']} {prov['article']} — {prov['chosen_because']}")
    if result.extra.get("fine_range"):
        lo, hi = result.extra["fine_range"]
        lines.append(f"罚款幅度: {lo}–{hi} 元; 建议阶次: {result.extra.get('recommended_tier')}")
        bands = result.extra.get("bands") or {}
        if bands:
            lines.append("裁量阶次: " + "; ".join(f"{t} {b[0]}–{b[1]} 元" for t, b in bands.items()))
    elif result.extra.get("recommended_tier"):
        lines.append(f"建议阶次: {result.extra['recommended_tier']}")
    for severity in ("error", "warning", "info"):
        group = [f for f in result.findings if f.severity == severity]
        if not group:
            continue
        lines.append(f"\n{_SEVERITY_TITLE[severity]} ({len(group)}):")
        for f in group:
            lines.append(f"  [{f.code}] {f.message}")
            lines.append(f"      依据: {'；'.join(f.basis)}")
    accountable = [f for f in result.findings if f.accountability]
    if accountable:
        lines.append("\n追责提示:")
        for f in accountable:
            acc = f.accountability or {}
            triggers = "；".join(f"{t['list']} 追责情形{t['no']}「{t['text']}」" for t in acc["triggers"])
            triggers = triggers or f"无对应的追责情形（{acc.get('no_trigger', '')}）"
            hook = f" ({acc['statute']})" if acc.get("statute") else ""
            lines.append(f"  [{f.code}] {triggers}{hook}")
            persons = "、".join(
                f"{'、'.join(_ROLE[r] for r in p.get('roles', [p['role']]))} {p['name'] or '未填写'}（{p['responsibility']}）"
                for p in acc["persons"]
            )
            att = acc["attribution"]
            lines.append(f"      责任人: {persons}")
            lines.append(f"      归责规则: {att['title']}（{att.get('why', '')}；来源：{att['source']}）")
    if result.not_checked:
        lines.append(f"\n未填写, 未能检查 ({len(result.not_checked)}):")
        lines += [f"  [{n['field']}] {n['message']}" for n in result.not_checked]
    if not result.findings and not result.not_checked:
        lines.append("\n未发现问题。")
    for w in result.calendar_warnings + result.rule_warnings:
        lines.append(f"注意: {w}")
    lines.append(f"规则版本: {result.rules_version}")
    return "\n".join(lines)


def explanation_text(result: Result) -> str:
    """The check with its reasoning: version choice, derived facts, rules fired."""
    ex = result.explanation
    lines = [result_text(result), "", "推理过程:"]
    for title, items in ex.get("derived", {}).items():
        lines.append(f"  {title}:")
        lines.extend(f"    {line}" for line in items)
    lines.append(f"  规则集: {ex.get('ruleset')} (共 {ex.get('rules_compiled')} 条规则)")
    lines.append("  触发的规则:")
    for fired in ex.get("fired", []):
        lines.append(f"    {fired['rule']} → {fired['code']} (依据: {'；'.join(fired['basis'])})")
    if not ex.get("fired"):
        lines.append("    (无)")
    lines.append("  推导出的事实:")
    for key, value in sorted(ex.get("facts", {}).items()):
        lines.append(f"    {key} = {value}")
    return "\n".join(lines)


def diff_text(report: Any, base_version: str, changed_version: str) -> str:
    """The rule-change impact report: each changed case, then a summary table."""
    lines = [f"规则变更影响 (原规则 {base_version} → 新规则 {changed_version})", ""]
    for d in report.diffs:
        mark = "结论变化" if d.verdict_changed else "发现变化"
        lines.append(f"[{mark}] {d.case}: {d.base.verdict} → {d.changed.verdict}")
        if d.added:
            lines.append(f"    新增: {', '.join(d.added)}")
        if d.removed:
            lines.append(f"    消失: {', '.join(d.removed)}")
        if d.base.provision != d.changed.provision:
            lines.append(f"    适用: {d.changed.provision}")
    if not report.diffs:
        lines.append("没有案例的结论或发现发生变化。")
    summary = report.summary()
    lines += [
        "",
        "| 项目 | 数量 |",
        "| --- | ---: |",
        f"| 案例总数 | {summary['cases']} |",
        f"| 结论变化 | {summary['verdict_changed']} |",
        f"| 仅发现变化 | {summary['findings_changed_only']} |",
        f"| 无变化 | {summary['unchanged']} |",
    ]
    for transition, n in sorted(report.transitions().items()):
        lines.append(f"| {transition} | {n} |")
    return "\n".join(lines)


def _counts(c: dict[str, int]) -> str:
    """pass/warn/incomplete/fail counts as "a/b/c/d"."""
    return "/".join(str(c.get(v, 0)) for v in VERDICTS)


def review_text(summary: dict[str, Any]) -> str:
    """The 案卷评查 summary in Chinese."""
    v = summary["verdicts"]
    lines = [
        f"案卷评查: {summary['files']} 个文件, 已检查 {summary['checked']}, 无法检查 {summary['unreadable']}",
        f"结论: 通过 {v.get('pass', 0)}, 有警告 {v.get('warn', 0)}, 未完成 {v.get('incomplete', 0)}, 不通过 {v.get('fail', 0)}",
        "",
        "最常见的问题:",
    ]
    lines += [f"  {code:<40} {n}" for code, n in summary["top_codes"]] or ["  无"]
    lines.append("最常触发的追责情形:")
    lines += [f"  {t['list']} 追责情形{t['no']}「{t['text']}」 {t['count']}" for t in summary["top_triggers"]] or ["  无"]
    lines.append("按事项 (通过/有警告/未完成/不通过):")
    lines += [f"  {k}: {_counts(c)}" for k, c in summary["per_item"].items()]
    lines.append("按承办人 (通过/有警告/未完成/不通过):")
    lines += [f"  {k}: {_counts(c)}" for k, c in summary["per_handler"].items()]
    if summary.get("not_checked"):
        from quanze.engine.review import REASONS

        lines.append("无法检查的原因: " + ", ".join(f"{REASONS.get(k, k)} {n}" for k, n in sorted(summary["not_checked"].items())))
    for path in summary.get("reports", []):
        lines.append(f"报告: {path}")
    return "\n".join(lines)
