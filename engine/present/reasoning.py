"""The reasoning of one check, for a person to read (``quanze explain``, the form's 推理过程 panel).

Built from the trace (``engine.trace``) and the derived facts of the result, nothing evaluated again:
``derivations`` first (dates and day counts with the days skipped, the version chosen and why, the fine
band, the hearing line, what was assumed), then ``checks`` grouped by outcome, each finding code once: the
rules that test one code (one per sanction kind, per 不予处罚 ground, per reading) are one check with their
``variants``. A passing check is titled by what was checked (``checked`` in rules/findings.yaml), a failing or
unknown one by its defect. Shape: briefs/shapes.md (``result_json(result, explain=True)["reasoning"]``).
"""

from __future__ import annotations

from typing import Any

from quanze.engine.model.explanation import CheckMade, ChecksMade, Derivation, Reasoning

# derived sections in reading order; the others follow as the check wrote them
_ORDER = ("自然日计算", "工作日计算", "条文版本", "版本比较（从旧兼从轻，对本案当事人）", "罚款幅度与裁量阶次", "建议阶次", "听证资格")


_OUTSIDE = {"above_max": "高于法定罚款幅度的上限", "below_min": "低于法定罚款幅度的下限"}  # fine_band outside every tier


def _fine_lines(result: Any) -> list[str]:
    facts = result.explanation.get("facts", {})
    fine_range = result.fine_range
    if not fine_range:
        return []
    lines = [f"法定罚款幅度 {fine_range[0]}–{fine_range[1]} 元"]
    bands = result.bands or {}
    if bands:
        lines.append("裁量阶次：" + "；".join(f"{t} {b[0]}–{b[1]} 元" for t, b in bands.items()))
    band = facts.get("fine_band")
    fine = f"{'本案拟罚款' if result.open else '本案罚款'} {facts.get('fine_amount')} 元"  # open: the notice's proposal
    if facts.get("fine_amount") and band in _OUTSIDE:
        lines.append(f"{fine}，{_OUTSIDE[band]}")
    elif facts.get("fine_amount") and band not in (None, "none"):
        lines.append(f"{fine}，落在“{band}”阶次（{facts.get('band_range', '')}）")
    return lines


def derivations(result: Any) -> list[Derivation]:
    """The measured facts in words: day counts, version, fine band, hearing line, assumptions."""
    derived: dict[str, list[str]] = dict(result.explanation.get("derived", {}))
    prov = result.provision
    if prov and "条文版本" not in derived and "备案依据" not in derived:
        derived["条文版本"] = [f"{prov.law} {prov.article}：{prov.chosen_because}"]
    fine = _fine_lines(result)
    if fine:
        derived["罚款幅度与裁量阶次"] = fine
    out = [Derivation.model_construct(title=t, lines=list(derived[t])) for t in _ORDER if derived.get(t)]
    out += [Derivation.model_construct(title=t, lines=list(lines)) for t, lines in derived.items() if t not in _ORDER and lines]
    trace = result.explanation.get("trace") or {}
    assumed = list(trace.get("assumptions", [])) + list(result.calendar_warnings)
    if assumed:
        out.append(Derivation.model_construct(title="假定与未核实的参数", lines=assumed))
    return out


def _title(rules: Any, code: str, passed: bool, fallback: str) -> str:
    fdef = rules.findings.get(code) if rules is not None else None
    if fdef is None:
        return fallback
    if passed:
        return getattr(fdef, "checked", None) or f"未发现“{fdef.title}”"
    return fdef.title


def checks(result: Any, rules: Any = None) -> dict[str, list[dict[str, Any]]]:
    """One entry per finding code, under fail / unknown / pass; a code's rules are its variants."""
    return _grouped(result, rules)[0]


def pending(result: Any) -> dict[str, str]:
    """Finding code -> why its check settled nothing yet (``Result.waits``: decision, step, absent), for the codes
    where every reading says the same; the rest are not listed."""
    return _grouped(result, None)[1]


def _grouped(result: Any, rules: Any) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    rows = (result.explanation.get("trace") or {}).get("checks", [])  # builds the trace, and with it result.waits
    by_code: dict[str, list[dict[str, Any]]] = {}
    rule_code = {r["rule"]: r["code"] for r in rows}
    replaced: dict[str, list[str]] = {}  # code of the rule that displaced others -> titles displaced
    for r in rows:
        if r["outcome"] == "overridden":
            by = rule_code.get(r.get("overridden_by", ""), "")
            if by and by != r["code"]:
                replaced.setdefault(by, []).append(r["title"])
                continue
        by_code.setdefault(r["code"], []).append(r)
    out: dict[str, list[dict[str, Any]]] = {"fail": [], "unknown": [], "pass": []}
    pending: dict[str, str] = {}
    for code, group in by_code.items():
        outcomes = {r["outcome"] for r in group}
        outcome = "fail" if outcomes & {"fail", "overridden"} else "unknown" if "unchecked" in outcomes else "pass"
        shown = [r for r in group if _bucket(r["outcome"]) == outcome]
        variants: list[str] = []
        for r in shown:
            words = r["subject"] or ""
            if r["reason"] and (outcome != "pass" or all(x["reason"] == r["reason"] for x in shown)):
                words = f"{words}：{r['reason']}" if words else r["reason"]
            if words and words not in variants:
                variants.append(words)
        variants += [f"并入：{t}（同时成立，以此项为准）" for t in dict.fromkeys(replaced.get(code, []))]
        basis = list(dict.fromkeys(b for r in shown for b in r["basis"]))
        out[outcome].append(
            {"code": code, "title": _title(rules, code, outcome == "pass", group[0]["title"]), "variants": variants, "basis": basis}
        )
        waits = {result.waits.get(r["rule"]) for r in shown}
        if waits == {"decision", "step"}:  # some readings wait for a step, others for the decision: the decision
            waits = {"decision"}
        if len(waits) == 1 and None not in waits:  # every reading waits for the same thing
            pending[code] = waits.pop()
    return out, pending


def _bucket(outcome: str) -> str:
    return {"fail": "fail", "overridden": "fail", "unchecked": "unknown"}.get(outcome, "pass")


def reasoning(result: Any, rules: Any = None) -> Reasoning:
    """The ``Reasoning`` record of a result: ``derivations``, and ``checks`` under fail / unknown / pass (briefs/shapes.md)."""
    grouped = {outcome: [CheckMade.model_construct(**c) for c in made] for outcome, made in checks(result, rules).items()}
    made = ChecksMade.model_construct(fail=grouped["fail"], unknown=grouped["unknown"], passed=grouped["pass"])
    return Reasoning.model_construct(derivations=derivations(result), checks=made)
