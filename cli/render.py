"""The only place that formats output: text reports in Chinese and JSON.

Text goes through ``echo``: hidden characters of file text made visible (``engine.text.shown``: controls,
bidi overrides, zero-width characters as ``\\u202e``), full-width punctuation in Chinese sentences
(``engine.text.zh``) and lines wrapped for the terminal (80 columns unless ``COLUMNS`` says otherwise),
never inside an amount or a citation. JSON keeps them as escapes. Findings are shown by their Chinese
title with the code in brackets.
"""

from __future__ import annotations

import datetime as dt
import shutil
from typing import Any

import typer

from quanze.engine.model.findings import VERDICTS, Result
from quanze.engine.model.labels import VALUES
from quanze.engine.model.text import os_words, shown, wrap, zh
from quanze.engine.model.text import width as text_width
from quanze.engine.present.output import SEVERITY_WORDS, accountability_block, problem_text, title_of, to_json, verdict_word

__all__ = ["problem_text", "text_width", "title_of", "to_json", "verdict_word", "zh"]



def columns() -> int:
    """The terminal width to wrap at (80 when not a terminal)."""
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def typeset(text: str) -> str:
    """Chinese punctuation and wrapping of a text report."""
    return wrap(zh(text), columns())


def echo(text: str, err: bool = False) -> None:
    """Print a text report, typeset; stderr keeps its lines as the engine wrote them (one per problem, scripts read
    them) with OS messages in Chinese."""
    # text from files (case ids, names, file names) is shown with its hidden characters made visible, so a
    # draft cannot send a terminal escapes (clear the screen, set the title, write the clipboard) or hide text
    text = shown(text, "\n")
    typer.echo(os_words(text) if err else typeset(text), err=err)


def accountability_lines(f: Any, rules: Any = None, indent: str = "  ") -> list[str]:
    """The 追责 block of one finding."""
    block = accountability_block(f.accountability) if f.accountability else []
    return [f"{indent}{title_of(f.code, rules)}"] + [f"{indent}    {head}：{text}" for head, text in block]


def _decision_day(result: Result) -> dt.date | None:
    facts = result.derived_facts
    for key in ("decided_on",):
        if facts.get(key):
            try:
                return dt.date.fromisoformat(str(facts[key]))
            except ValueError:
                return None
    return None


def law_lines(labels: list[str], rules: Any, day: dt.date | None, indent: str) -> list[str]:
    """The article text of each basis label (版本 in force on the day)."""
    from quanze.engine.law.lawtext import basis_texts

    lines = []
    for label, text in basis_texts(rules, labels, day):
        if text:
            body = " ".join(part.strip() for part in text.splitlines() if part.strip())
            lines.append(f"{indent}{label}：“{body}”")
        else:
            lines.append(f"{indent}{label}：（规则中没有此条原文）")
    return lines


def field_label(path: str) -> str:
    """A draft field by its Chinese label."""
    from quanze.engine.model.labels import field_label as label

    return label(path)


def progress_lines(result: Result) -> list[str]:
    """案件阶段 and the steps due next of a penalty case (extension keys ``stage``, ``open``, ``next_steps``)."""
    if not result.stage:
        return []
    state = "办理中，尚未作出决定" if result.open else "已作出决定"
    lines = [f"案件阶段：{result.stage.name}（{state}）"]
    for step in result.next_steps or []:
        d = step.dump()
        lines.append(f"  下一步：{d['title']}，最后一日 {_last_day_words(d)}（{d['basis']}）")
    return lines


def _heading(result: Result, rules: Any) -> list[str]:
    """``== 文号（事项编号 事项名称）==`` and the file: the name left out when the rules do not know the item."""
    item = " ".join([result.item] + ([rules.catalog[result.item].name] if rules is not None and result.item in rules.catalog else []))
    return [f"== {result.case_id}（{item}）==", f"文件：{result.file}"]


def result_text(result: Result, rules: Any = None, show_law: bool = False, rules_line: str = "") -> str:
    """A Chinese report of one check: verdict, warnings that affect it, findings, 追责提示."""
    lines = _heading(result, rules)
    lines.append(f"结论：{verdict_word(result.verdict)}")
    lines += progress_lines(result)
    prov = result.provision
    if prov:
        lines.append(f"适用条文：{prov.law} {prov.article}")
        lines.append(f"  版本选择：{prov.chosen_because}")
    if result.fine_range:
        lo, hi = result.fine_range
        tier = result.recommended_tier
        lines.append(f"罚款幅度：{lo}–{hi} 元" + (f"；建议阶次：{tier}" if tier else ""))
        bands = result.bands or {}
        if bands:
            lines.append("裁量阶次：" + "；".join(f"{t} {b[0]}–{b[1]} 元" for t, b in bands.items()))
        if result.recommended_because:
            lines.append(f"  {result.recommended_because}")
    elif result.recommended_tier:
        lines.append(f"建议阶次：{result.recommended_tier}")
    # what may change the findings below stands above them
    for w in result.calendar_warnings + result.rule_warnings + result.input_warnings:
        lines.append(f"注意：{w}")
    day = _decision_day(result)
    for severity in ("error", "warning", "info"):
        group = [f for f in result.findings if f.severity == severity]
        if not group:
            continue
        lines.append(f"\n{SEVERITY_WORDS[severity]}（{len(group)} 项）：")
        for f in group:
            lines.append(f"  {title_of(f.code, rules)}")
            lines.append(f"    {f.message}")
            lines.append(f"    依据：{'；'.join(f.basis)}")
            lines += [f"    文书：{where}" for where in result.read_sources.get(f.code, [])]
            if show_law and rules is not None:
                lines += law_lines(f.basis, rules, day, "    条文原文：")
    accountable = [f for f in result.findings if f.accountability]
    if accountable:
        lines.append("\n追责提示：")
        for f in accountable:
            lines += accountability_lines(f, rules)
    if result.not_checked:
        lines.append(f"\n未填写，未能检查（{len(result.not_checked)} 处）：")
        for n in result.not_checked:  # a law's uncoded parameters name no draft field
            lines.append(f"  {n.message}" if n.law else f"  {field_label(n.field)}（{n.field}）：{n.message}")
    if not result.findings and not result.not_checked:
        lines.append("\n未发现问题。")
    lines.append(f"规则版本：{result.rules_version}")
    if rules_line:
        lines.append(rules_line)
    return "\n".join(lines)


def explanation_text(result: Result, rules: Any = None, rules_line: str = "") -> str:
    """The check with its trace: every rule evaluated, its outcome, the facts it read, the law behind it."""
    from quanze.engine.check.trace import OUTCOME_WORDS

    ex = result.explanation
    trace = ex.get("trace") or {"checks": [], "counts": {}, "assumptions": []}
    counts = trace["counts"]
    total = sum(counts.values())
    lines = [result_text(result, rules, rules_line=rules_line), "", "推理过程"]
    summary = "，".join(f"{OUTCOME_WORDS[k]} {n} 项" for k, n in counts.items() if n)
    lines.append(f"已检查 {total} 项：{summary}。")
    day = _decision_day(result)
    cited: list[str] = []
    for outcome in ("fail", "overridden", "unchecked", "pass"):
        rows = [c for c in trace["checks"] if c["outcome"] == outcome]
        group = _grouped(rows)
        if not group:
            continue
        lines.append(f"\n{OUTCOME_WORDS[outcome]}（{len(rows)} 项）：")
        for row in group:
            subject = f"（{'、'.join(row['subjects'])}）" if row["subjects"] else ""
            lines.append(f"  {row['title']}{subject} [{row['code']}]")
            if row["reason"]:
                lines.append(f"    原因：{row['reason']}")
            if row["facts"]:
                lines.append("    读取：" + "；".join(f"{f['label']} = {f['value_text']}（{_source(f)}）" for f in row["facts"]))
            lines.append(f"    依据：{'；'.join(row['basis'])}")
            if outcome in ("fail", "overridden") and rules is not None:
                lines += law_lines(row["basis"], rules, day, "    条文原文：")
            cited += [b for b in row["basis"] if b not in cited]
    lines.append("\n假定与未核实的参数：")
    lines += [f"  {a}" for a in trace["assumptions"]] or ["  无"]
    derived = {title: items for title, items in ex.get("derived", {}).items() if items}  # an open case counts no workday
    if derived:
        lines.append("\n推导过程：")
        for title, items in derived.items():
            lines.append(f"  {title}：")
            lines.extend(f"    {line}" for line in items)
    if rules is not None and cited:
        lines.append("\n依据原文（按决定之日有效的版本）：")
        lines += law_lines(cited, rules, day, "  ")
    return "\n".join(lines)


def _source(fact: dict[str, Any]) -> str:
    return f"取自：{fact['field_label']}" if fact["field"] else "由规则推导"


def _grouped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of one for_each rule (one per sanction kind or measure) shown as one line."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["rule"].split("__")[0], r["outcome"], r["reason"])
        if key not in out:
            out[key] = {**r, "subjects": [], "facts": list(r["facts"])}
        else:
            seen = {f["fact"] for f in out[key]["facts"]}
            out[key]["facts"] += [f for f in r["facts"] if f["fact"] not in seen]
        if r.get("subject"):
            out[key]["subjects"].append(r["subject"])
    return list(out.values())


_CHANGE_FIELDS = {
    "in_force_until": "施行至",
    "text": "条文",
    "penalty.sanctions[罚款].min": "罚款下限（元）",
    "penalty.sanctions[罚款].max": "罚款上限（元）",
}


def _change_value(value: Any) -> str:
    return "（无）" if value is None else str(value)


def rule_change_lines(changes: list[dict[str, Any]]) -> list[str]:
    """The header of a diff: each changed provision, version and field, old → new (engine/batch/diff.py rule_changes)."""
    if not changes:
        return ["规则变更：两个规则目录的规则文件内容相同（除注释、出处外没有变化）。"]
    lines = ["规则变更（读自两个规则目录）："]
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for c in changes:
        groups.setdefault((c["file"], str(c.get("provision") or ""), str(c.get("version") or "")), []).append(c)
    for (file, provision, version), rows in groups.items():
        first = rows[0]
        name = " ".join(x for x in (provision, first.get("article") or "") if x) or file
        if first.get("removed"):
            lines.append(f"- {name}：删除了 {version} 起施行的版本（{file}）")
            continue
        what = f"新增 {version} 起施行的版本（与其前一版本相比）" if first.get("added") else (f"{version} 起施行的版本" if version else "")
        lines.append(f"- {name}{'：' + what if what else ''}（{file}）")
        for c in rows:
            label = _CHANGE_FIELDS.get(c["field"], c["field"])
            lines.append(f"    {label}：{_change_value(c['old'])} → {_change_value(c['new'])}")
    return lines


def diff_text(report: Any, base_version: str, changed_version: str, rules: Any = None) -> str:
    """The rule-change impact report: the rule changes, each changed case, what no draft exercises, a summary table."""
    lines = [f"规则变更影响（原规则 {base_version} → 新规则 {changed_version}）"]
    lines += rule_change_lines(getattr(report, "changes", []))
    lines += ["", f"比较了 {report.cases} 份草稿：每份在两套规则下各检查一次。"]
    applied = list(
        dict.fromkeys(d.changed.provision for d in report.diffs if d.changed.provision and d.base.provision != d.changed.provision)
    )
    if len(applied) == 1:
        n = sum(d.changed.provision == applied[0] and d.base.provision != d.changed.provision for d in report.diffs)
        lines.append(f"新规则下适用（{n} 份草稿相同）：{applied[0]}")
    elif applied:
        lines.append("新规则下适用：")
        lines += [f"  [适用{i}] {text}" for i, text in enumerate(applied, 1)]
    lines.append("")
    for d in report.diffs:
        mark = "结论变化" if d.verdict_changed else "发现变化"
        lines.append(f"[{mark}] {d.case}：{verdict_word(d.base.verdict)} → {verdict_word(d.changed.verdict)}")
        if d.added:
            lines.append(f"    新增：{'、'.join(title_of(c, rules) for c in d.added)}")
        if d.removed:
            lines.append(f"    消失：{'、'.join(title_of(c, rules) for c in d.removed)}")
        if d.base.provision != d.changed.provision and len(applied) > 1:
            lines.append(f"    适用：[适用{applied.index(d.changed.provision) + 1}]")
    if not report.diffs:
        lines.append(f"这 {report.cases} 份草稿的结论和发现都没有变化。")
    uncovered = getattr(report, "uncovered", [])
    if uncovered:
        lines += ["", "覆盖说明：以下变更没有草稿检验到（其结果未经本次比较验证）："] + [f"- {u}" for u in uncovered]
    elif getattr(report, "changes", []):
        lines += ["", "覆盖说明：每个变更的版本都有草稿适用。"]
    summary = report.summary()
    lines += [
        "",
        "| 项目 | 数量 |",
        "| --- | ---: |",
        f"| 草稿总数 | {summary['cases']} |",
        f"| 其中：样例案例 | {summary['sample_cases']} |",
        f"| 其中：普通草稿 | {summary['plain_drafts']} |",
        f"| 结论变化 | {summary['verdict_changed']} |",
        f"| 仅发现变化 | {summary['findings_changed_only']} |",
        f"| 无变化 | {summary['unchanged']} |",
    ]
    for (before, after), n in sorted(report.moves().items()):
        lines.append(f"| {VALUES[before]} → {VALUES[after]} | {n} |")
    return "\n".join(lines)


def _counts(c: dict[str, int]) -> str:
    """pass/warn/incomplete/fail counts as "a/b/c/d"."""
    return "/".join(str(c.get(v, 0)) for v in VERDICTS)


def review_text(
    summary: dict[str, Any], entries: list[dict[str, Any]] | None = None, rules: Any = None, limit: int = 10, rules_line: str = ""
) -> str:
    """The 案卷评查 summary in Chinese, naming the failing files (up to ``limit``)."""
    v = summary["verdicts"]
    lines = [
        f"案卷评查：共 {summary['files']} 个文件，已检查 {summary['checked']} 个，无法检查 {summary['unreadable']} 个",
        f"结论：通过 {v.get('pass', 0)} 个，有警告 {v.get('warn', 0)} 个，未完成 {v.get('incomplete', 0)} 个，不通过 {v.get('fail', 0)} 个",
    ]
    if summary.get("score"):
        s = summary["score"]
        if s.get("mean") is None:
            lines.append(f"评分（百分制，{s['table']}）：没有已检查的文件，未评分")
        else:
            lines.append(f"评分（百分制，{s['table']}）：平均 {s['mean']} 分，最低 {s['min']} 分")
    failing = [e for e in entries or [] if e.get("checked") and e.get("verdict") == "fail"]
    if failing:
        lines.append("不通过的文件：")
        for e in failing[:limit]:
            titles = "、".join(dict.fromkeys(title_of(f["code"], rules) for f in e["findings"] if f["severity"] == "error"))
            lines.append(f"  {e['file']}（{e.get('case_id', '')}）：{titles}")
        more = max(len(failing), v.get("fail", 0)) - limit  # entries may hold only the first failing files
        if more > 0:
            lines.append(f"  …及其他 {more} 个")
    if summary.get("stages"):
        lines.append("行政处罚案件按阶段：" + "，".join(f"{k} {n} 件" for k, n in summary["stages"].items()))
    due = summary.get("due") or []
    if due:
        lines.append("最近的期限（按日期，尚未办理的环节）：")
        for d in due[:limit]:
            lines.append(f"  {d['last_day']} {d['title']}：{d['file']}（{d['case_id']}，{d['stage']}）")
        more = summary.get("due_count", len(due)) - min(limit, len(due))  # the summary holds only the nearest
        if more > 0:
            lines.append(f"  …及其他 {more} 件")
    lines += ["", "最常见的问题："]
    lines += [f"  {title_of(code, rules)}：{n} 次" for code, n in summary["top_codes"]] or ["  无"]
    lines.append("最常触发的追责情形：")
    lines += [f"  {t['list']} 追责情形第 {t['no']} 项“{t['text']}”：{t['count']} 次" for t in summary["top_triggers"]] or ["  无"]
    lines.append("按事项（通过/有警告/未完成/不通过）：")
    lines += [f"  {k}：{_counts(c)}" for k, c in summary["per_item"].items()]
    lines.append("按承办人（通过/有警告/未完成/不通过）：")
    lines += [f"  {k}：{_counts(c)}" for k, c in summary["per_handler"].items()]
    if summary.get("not_checked"):
        from quanze.engine.batch.review import REASONS

        lines.append("无法检查的原因：" + "，".join(f"{REASONS.get(k, k)} {n} 个" for k, n in sorted(summary["not_checked"].items())))
    for path in summary.get("reports", []):
        lines.append(f"报告：{path}")
    if rules_line:
        lines.append(rules_line)
    return "\n".join(lines)


# --- deadlines (期限预警) -----------------------------------------------------------------------

_DEADLINE_MARKS = {"late": "【逾期】", "due_today": "【今日】", "open": "", "met": ""}


def _last_day_words(d: dict[str, Any]) -> str:
    if d["last_day_range"]:
        a, b = d["last_day_range"]
        return f"{a} 至 {b}（调休未知，期限为一范围）"
    return d["last_day"] or "无法计算"


def deadline_lines(items: list[dict[str, Any]], indent: str = "  ") -> list[str]:
    """One block per step: title, last day, where it stands, basis, what was counted, days skipped."""
    lines: list[str] = []
    for d in items:
        lines.append(f"{indent}{_DEADLINE_MARKS.get(d['status'], '')}{d['title']}：{_last_day_words(d)}，{d['words']}")
        lines.append(f"{indent}    依据：{d['basis']}")
        lines.append(f"{indent}    计算：{d['counted']}")
        if d["skipped"]:
            lines.append(f"{indent}    跳过：{'、'.join(d['skipped'])}")
    return lines


def deadlines_text(items: list[dict[str, Any]], today: dt.date, how: str, file: str, rules_line: str = "") -> str:
    """``quanze deadlines FILE``: every step's last lawful day against today."""
    lines = [f"期限预警：{file}", f"今天：{today}（{how}）"]
    lines += deadline_lines(items) or ["  本草稿没有有时限的环节。"]
    if rules_line:
        lines.append(rules_line)
    return "\n".join(lines)


def register_text(register: dict[str, Any], today: dt.date, how: str, rules_line: str = "") -> str:
    """``quanze deadlines DIR``: the open cases, nearest deadline first, then the closed ones counted."""
    cases = register["cases"]
    lines = [f"期限预警：未办结的案件 {len(cases)} 件，按最近的期限排序；今天：{today}（{how}）"]
    for c in cases:
        pending = [d for d in c["deadlines"] if d["step"] in c["pending"]]
        stage = f"阶段：{c['stage']['name']}，" if c.get("stage") else ""
        lines.append(f"\n== {c['case_id']}（{c['item']}）{stage}最近期限 {c['nearest']} ==")
        lines.append(f"文件：{c['file']}")
        lines += deadline_lines(pending)
    if register["closed"]:
        shown_ids = "、".join(c["case_id"] for c in register["closed"][:10])
        lines.append(f"\n另有 {len(register['closed'])} 件没有未办理的有时限环节：{shown_ids}")
        if len(register["closed"]) > 10:
            lines[-1] += f" …及其他 {len(register['closed']) - 10} 件"
    if rules_line:
        lines.append(rules_line)
    return "\n".join(lines)


# --- explain: the reasoning a person reads -----------------------------------------------------


# an open case: the decision settles these, or a step not recorded yet; a decided case: a step not in the file
_PENDING_WORDS = {
    "decision": "作出决定时检查（{n} 项）",
    "step": "尚未进行的环节（{n} 项，记载后检查）",
    "absent": "案卷没有的环节，不适用（{n} 项）",
}


def _variants(variants: list[str], limit: int = 3) -> str:
    if not variants:
        return ""
    shown_v = "、".join(variants[:limit]) + (f" 等 {len(variants)} 项" if len(variants) > limit else "")
    return f"（{shown_v}）"


def reasoning_text(result: Result, rules: Any = None, rules_line: str = "") -> str:
    """``quanze explain``: the derivations, then each check once by outcome (``--full`` keeps every rule)."""
    from quanze.engine.present.reasoning import pending, reasoning

    r = reasoning(result, rules).dump()
    waits = pending(result)
    lines = _heading(result, rules)
    lines.append(f"结论：{verdict_word(result.verdict)}")
    # a warning about one rule is said under that check (无法检查); the others stand above
    said = {x for d in r["derivations"] for x in d["lines"]}  # an assumption listed below is not repeated here
    general = [w for w in result.rule_warnings if w not in result.gap_warnings and w not in said]
    for w in [w for w in result.calendar_warnings if w not in said] + general + result.input_warnings:
        lines.append(f"注意：{w}")
    lines.append("\n推导：")
    for d in r["derivations"]:
        lines.append(f"  {d['title']}：")
        lines += [f"    {x}" for x in d["lines"]]
    groups = r["checks"]
    total = sum(len(v) for v in groups.values())
    counts = "，".join(f"{w} {len(groups[k])} 项" for k, w in (("fail", "不通过"), ("unknown", "无法检查"), ("pass", "通过")) if groups[k])
    lines.append(f"\n检查了 {total} 项：{counts}。")
    messages = {f.code: f for f in result.findings}
    for key, word in (("fail", "不通过"), ("unknown", "无法检查"), ("pass", "通过")):
        if not groups[key]:
            continue
        lines.append(f"\n{word}（{len(groups[key])} 项）：")
        # checks that settled nothing yet (reasoning ``pending``) are named once per reason, not one by one
        waiting = {why: [c for c in groups[key] if waits.get(c["code"]) == why and c["code"] not in messages] for why in _PENDING_WORDS}
        if key == "pass":  # one paragraph: what passed is named, what failed or could not be checked is explained
            done = [c for c in groups[key] if waits.get(c["code"]) != "absent"]
            if done:
                lines.append("  " + "；".join(f"{c['title']}{_variants(c['variants'])}" for c in done))
        for why, words in _PENDING_WORDS.items():
            if waiting[why]:
                lines.append(f"  {words.format(n=len(waiting[why]))}：{'、'.join(c['title'] for c in waiting[why])}")
        if key == "pass":
            continue
        for c in groups[key]:
            if waits.get(c["code"]) in _PENDING_WORDS and c["code"] not in messages:
                continue
            lines.append(f"  {c['title']} [{c['code']}]")
            f = messages.get(c["code"])
            if f is not None:
                lines.append(f"    {f.message}")
            elif c["variants"]:
                lines.append(f"    {'；'.join(c['variants'][:3])}")
            if key == "fail":
                lines.append(f"    依据：{'；'.join(c['basis'])}")
    accountable = [f for f in result.findings if f.accountability]
    if accountable:
        lines.append("\n追责提示：")
        for f in accountable:
            lines += accountability_lines(f, rules)
    lines.append(f"\n规则版本：{result.rules_version}")
    lines.append("每项检查读取的事实、来源字段和条文原文：quanze explain --full")
    if rules_line:
        lines.append(rules_line)
    return "\n".join(lines)
