"""What ``quanze read`` shows and writes: each value with its source, the choices, what is 未填写 and why;
the case file (YAML) and its sidecar ``<case>.sources.yaml``; a check's findings beside the words they rest on."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from quanze.engine.read.casefile import CaseReading

SIDECAR_SUFFIX = ".sources.yaml"


def _label(key: str) -> str:
    from quanze.engine.read.casefile import FIELDS  # the document reader only where a reading is shown (not on every check)

    for name, (label, _) in FIELDS.items():
        if key == name:
            return label
        if key.startswith(name + "."):
            return f"{label}（{key.removeprefix(name + '.')}）"
    return key


def _value(value: Any) -> str:
    if value is None:
        return "无（未要求听证）"
    if isinstance(value, list):
        return "；".join(_value(v) for v in value)
    if isinstance(value, dict):
        if "kind" in value:
            return value["kind"] + (f" {value['amount']} 元" if "amount" in value else "")
        if "name" in value:
            return f"{value['name']}（{value.get('certificate') or '无证号'}）"
        return "，".join(f"{_label('procedure.hearing.' + k) if k in ('requested_on', 'held_on') else k} {v}" for k, v in value.items())
    if value is True:
        return "是"
    if value in ("organization", "individual"):
        return "单位" if value == "organization" else "个人"
    return str(value)


def _where(source: dict[str, Any]) -> str:
    return f"{source['kind']}「{source['document']}」第 {source['paragraph']} 段：{source['words']}"


def reading_text(case: CaseReading, written: Path | None = None) -> str:
    """A reading as an officer reads it: 读到 (each value and where), 待选择, 未填写 (with the reason)."""
    head = (
        f"案件 {case.case_id or '（文号未读到）'}：{len(case.documents)} 份文书（"
        + "、".join(f"{d.text.name}：{_kind(d.kind)}" for d in case.documents)
        + "）"
    )
    lines = [head]
    if written:
        lines.append(f"已写出案卷：{written}（来源见 {written.name.removesuffix(written.suffix)}{SIDECAR_SUFFIX}）")
    lines.append("读到：")
    from quanze.engine.read.casefile import FIELDS

    order = list(FIELDS)
    for key, entry in sorted(case.values.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)):
        kept = "（未写入案卷，见未填写）" if key in case.withheld else ""
        lines.append(f"  {_label(key)}：{_value(entry['value'])}{kept}")
        lines += [f"      ← {_where(s)}" for s in entry["sources"][:3]]
    if case.choices:
        lines.append("待选择（文书写法不一，未替您决定）：")
        for key, options in case.choices.items():
            lines.append(f"  {_label(key)}：")
            for n, option in enumerate(options, 1):
                lines.append(f"    {n}. {_value(option['value'])} ← " + "；".join(_where(s) for s in option["sources"][:2]))
    unread = {k: v for k, v in case.unread.items() if k not in case.choices}
    if unread:
        lines.append("未填写：")
        lines += [f"  {_label(k)}：{why}" for k, why in unread.items()]
    return "\n".join(lines)


def _kind(kind: str) -> str:
    from quanze.engine.read.fields import KINDS

    return KINDS[kind]


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False, width=120)


def case_yaml(case: CaseReading) -> str:
    """The case file: a penalty draft, with comments naming what was not read and why."""
    lines = ["# 由 quanze read 从文书读出；每个值的来源见同名 .sources.yaml。未读到的字段未写入（未填写）："]
    lines += [f"#   {_label(k)}：{why}" for k, why in case.unread.items()]
    if case.choices:
        lines.append("# 待选择（选定后填入上方字段）：")
        for key, options in case.choices.items():
            for n, option in enumerate(options, 1):
                where = "；".join(_where(s) for s in option["sources"][:2])
                lines.append(f"#   {_label(key)} {n}. {_value(option['value'])} ← {where}")
    # a comment stays one line whatever the documents hold (YAML 1.1 breaks lines at \x85, U+2028 and U+2029 too)
    lines = [re.sub(r"[\r\n\x85\u2028\u2029\x00-\x1f\x7f]", " ", line) for line in lines]
    return "\n".join(lines) + "\n" + _dump(case.draft())


def sources_yaml(case: CaseReading) -> str:
    return "# quanze read：案卷中每个值的来源（文书、段落、原文），待选择的读法，未填写的原因\n" + _dump(case.sources())


def file_stem(case: CaseReading, index: int) -> str:
    """A file name for a case: its 文号 with characters unsafe in file names replaced."""
    if not case.case_id:
        return f"未读到文号-{index}"
    return re.sub(r'[\\/:*?"<>|\s]', "_", case.case_id)[:80]


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(path.suffix) + SIDECAR_SUFFIX)


# --- check findings beside the words they rest on ------------------------------------------------

# the case-file fields a finding code rests on (the rest rest on the whole case)
_FINDING_FIELDS = {
    "FINE_BELOW_MIN": ["decision.sanctions"],
    "FINE_ABOVE_MAX": ["decision.sanctions"],
    "CONFISCATION_MISMATCH": ["decision.sanctions"],
    "SANCTION_MISSING": ["decision.sanctions"],
    "SANCTION_NOT_PROVIDED": ["decision.sanctions"],
    "DOUBLE_FINE": ["decision.sanctions"],
    "TIER_MISMATCH": ["decision.tier", "decision.sanctions"],
    "MANDATORY_MITIGATION_IGNORED": ["decision.tier", "decision.sanctions"],
    "MITIGATION_WITHOUT_GROUNDS": ["decision.tier"],
    "HEAVIER_THAN_NOTICE": ["notice.sanctions", "decision.sanctions"],
    "NOTICE_MISSING": ["procedure.notice.served_on"],
    "RIGHTS_NOT_NOTIFIED": ["procedure.notice.rights"],
    "HEARING_RIGHT_NOT_NOTIFIED": ["procedure.notice.rights"],
    "NOTICE_BEFORE_FILING": ["procedure.filed_on", "procedure.notice.served_on"],
    "STATEMENT_NOT_HEARD": ["procedure.notice.served_on", "decision.decided_on"],
    "DECIDED_BEFORE_HEARING_WINDOW_CLOSED": ["procedure.notice.served_on", "decision.decided_on"],
    "SERVICE_LATE": ["decision.decided_on", "procedure.served_on"],
    "DECISION_OVERDUE": ["procedure.filed_on", "decision.decided_on"],
    "TIME_BARRED": ["violation.committed_on", "violation.discovered_on"],
    "HEARING_NOTICE_LATE": ["procedure.hearing"],
    "HEARING_NOT_HELD": ["procedure.hearing"],
    "OFFICER_UNCERTIFIED": ["procedure.officers"],
    "OFFICERS_INSUFFICIENT": ["procedure.officers"],
    "NOT_FILED": ["procedure.filed_on"],
    "BASIS_NOT_IN_FORCE": ["provision", "violation.committed_on", "decision.decided_on"],
}


def finding_sources(code: str, sources: dict[str, Any], sanction: str | None = None) -> list[str]:
    """Where the values a finding rests on were read: 「行政处罚决定书「x.docx」第 9 段：罚款人民币肆万元整」.
    ``sanction``: the sanction kind the finding is about (findings.yaml); only words naming it are shown."""
    values = sources.get("values") or {}
    out = []
    for key in _FINDING_FIELDS.get(code, []):
        for s in (values.get(key) or {}).get("sources", [])[:4]:
            if not isinstance(s, dict) or not all(k in s for k in ("kind", "document", "paragraph", "words")):
                continue
            if sanction and sanction not in str(s["words"]):
                continue  # the sanction the finding is about, not its neighbours in the list
            out.append(_where(s))
    return list(dict.fromkeys(out))


_DRAFT_PATH = {"notice.sanctions": "procedure.notice.proposed"}
MAX_SIDECAR = 5 * 1024 * 1024


def _at(data: Any, dotted: str) -> Any:
    for part in _DRAFT_PATH.get(dotted, dotted).split("."):
        if not isinstance(data, dict) or part not in data:
            return _MISSING
        data = data[part]
    return data


_MISSING = object()
_DRAFT_ROOTS = ("case_id", "item", "party", "violation", "decision", "procedure", "notice")  # the rest: sidecar only


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)


def read_sources(case_file: Path, codes: list[str], rules: Any) -> dict[str, list[str]]:
    """For a case file written by ``quanze read``: finding code → where the values it rests on were read
    (「行政处罚决定书「x.docx」第 9 段：罚款人民币肆万元整」). Only values the case file still holds as read count:
    a value edited since is no longer the words' reading. {} without a readable sidecar."""
    from quanze.engine.model.yamlio import YamlProblem, load_yaml

    sidecar = sidecar_of(case_file)
    try:
        if not sidecar.is_file() or sidecar.stat().st_size > MAX_SIDECAR:
            return {}
        data = load_yaml(sidecar.read_text(encoding="utf-8"))
        raw = load_yaml(case_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlProblem, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("read_by") != "quanze read" or not isinstance(data.get("values"), dict):
        return {}
    values = {}
    for key, entry in data["values"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("sources"), list):
            continue
        held = _at(raw, key)
        if held is _MISSING and key.split(".")[0] in _DRAFT_ROOTS:
            continue  # written to the case file and taken out since
        if held is not _MISSING and _plain(held) != _plain(entry.get("value")):
            continue
        values[key] = entry
    out = {}
    for code in dict.fromkeys(codes):
        found = finding_sources(code, {"values": values}, getattr(rules.findings.get(code), "sanction", None))
        if found:
            out[code] = found
    return out
