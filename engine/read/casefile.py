"""Documents → case files: group one folder's documents by case, settle each field, say where it came from.

A field that every document reading it states alike is **read** (its value and every source); one
that documents state differently is a **choice** (each value with its sources; the case file leaves the
field out, to be decided by a person); one no document states is **未填写** with the reason. The case
file is an ordinary draft (``quanze check`` reads it as written); ``sources`` travel beside it in
``<case>.sources.yaml`` (docs/read.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quanze.engine.model.errors import InputError, Problem, display_path
from quanze.engine.read.extract import SUFFIXES, Text, read_bytes, read_text
from quanze.engine.read.fields import KINDS, DocumentReader, Reading, document_kind, norm

MAX_FILES = 500

# fields a case file is made of, in order, with their Chinese names and the documents that usually state them
FIELDS: dict[str, tuple[str, str]] = {
    "case_id": ("文号", "决定书或告知书的文号"),
    "item": ("事项", "决定书、告知书所引的处罚条文"),
    "provision": ("适用条文", "决定书、告知书所引的处罚条文"),
    "party.name": ("当事人", "决定书、告知书"),
    "party.type": ("当事人类型", "决定书的统一社会信用代码或身份证号码，或单位名称"),
    "party.id_code": ("统一社会信用代码或身份证号码", "决定书"),
    "party.address": ("住所", "决定书"),
    "facts": ("违法事实", "决定书、告知书「经查」一段"),
    "evidence": ("证据", "决定书、告知书"),
    "violation.committed_on": ("违法行为发生日期", "决定书、告知书「经查」一段中「于某年某月某日」"),
    "violation.discovered_on": ("违法行为发现日期", "现场检查笔录的检查时间"),
    "violation.illegal_gains": ("违法所得", "决定书「经查」一段，或决定没收违法所得的数额"),
    "procedure.filed_on": ("立案日期", "立案审批表"),
    "procedure.officers": ("执法人员及执法证号", "现场检查笔录"),
    "procedure.notice.served_on": ("告知书送达日期", "告知书的送达回证，或决定书所述"),
    "procedure.notice.rights": ("告知的权利", "告知书"),
    "notice.sanctions": ("拟作出的处罚", "告知书"),
    "procedure.hearing": ("听证", "决定书所述"),
    "decision.tier": ("裁量阶次", "决定书所述的从轻、从重等"),
    "decision.sanctions": ("处罚", "决定书"),
    "decision.decided_on": ("决定日期", "决定书的落款日期"),
    "procedure.served_on": ("决定书送达日期", "决定书的送达回证"),
    "remedy.pay_days": ("缴纳罚款期限（日）", "决定书"),
    "remedy.review_days": ("申请行政复议期限（日）", "决定书"),
    "remedy.litigation_months": ("提起行政诉讼期限（月）", "决定书"),
}
# which fields make sense only once a 决定书 exists (a case at the notice stage leaves them out without a reason)
_DECISION_ONLY = {
    "decision.tier",
    "decision.sanctions",
    "decision.decided_on",
    "procedure.served_on",
    "remedy.pay_days",
    "remedy.review_days",
    "remedy.litigation_months",
    "procedure.hearing",
    "party.id_code",
    "party.address",
}


@dataclass
class Document:
    text: Text
    kind: str
    readings: list[Reading]
    folder: str = ""  # the folder it was read from: a document without a 文号 joins a case of its own folder first


@dataclass
class CaseReading:
    """One case read from its documents."""

    documents: list[Document]
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # field -> {value, sources}
    choices: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # field -> [{value, sources}]
    unread: dict[str, str] = field(default_factory=dict)  # field -> why it is 未填写 (the sidecar says 未填写：why)
    withheld: dict[str, str] = field(default_factory=dict)  # field read, not written to the case file -> why

    def written(self, key: str) -> bool:
        return key in self.values and key not in self.withheld

    def value(self, key: str, default: Any = None) -> Any:
        return self.values[key]["value"] if key in self.values else default

    def _put(self, out: dict[str, Any], key: str, name: str | None = None) -> None:
        if self.written(key):
            out[name or key.rsplit(".", 1)[-1]] = self.values[key]["value"]

    @property
    def case_id(self) -> str | None:
        return self.value("case_id")

    def draft(self) -> dict[str, Any]:
        """The case file: a penalty draft with every field read and safe to write (a field left out is 未填写)."""
        out: dict[str, Any] = {"kind": "penalty"}
        for key in ("case_id", "item"):
            self._put(out, key)
        sections: dict[str, list[tuple[str, str | None]]] = {
            "party": [("party.name", None), ("party.type", None), ("party.address", None)],
            "violation": [
                ("violation.committed_on", None),
                ("violation.discovered_on", None),
                ("violation.illegal_gains", None),
                ("facts", "facts"),
            ],
            "decision": [("decision.tier", None), ("decision.sanctions", None), ("decision.decided_on", None)],
        }
        for section, keys in sections.items():
            part: dict[str, Any] = {}
            for key, name in keys:
                self._put(part, key, name)
            if part:
                out[section] = part
        procedure: dict[str, Any] = {}
        self._put(procedure, "procedure.filed_on")
        self._put(procedure, "procedure.officers")
        notice: dict[str, Any] = {}
        self._put(notice, "procedure.notice.served_on")
        self._put(notice, "procedure.notice.rights")
        self._put(notice, "notice.sanctions", "proposed")
        if notice:
            procedure["notice"] = notice
        self._put(procedure, "procedure.hearing")
        self._put(procedure, "procedure.served_on")
        if procedure:
            out["procedure"] = procedure
        return out

    def sources(self) -> dict[str, Any]:
        """The sidecar: where every value came from, the choices left open, what is 未填写 and why."""
        return {
            "read_by": "quanze read",
            "documents": [{"document": d.text.name, "kind": KINDS[d.kind]} for d in self.documents],
            "values": self.values,
            "choices": self.choices,
            "unread": {k: f"未填写：{why}" for k, why in self.unread.items()},
            "withheld": self.withheld,
        }

    def to_json(self) -> dict[str, Any]:
        return {"case": self.draft(), **self.sources()}


def read_documents(paths: list[Path], rules: Any) -> tuple[list[CaseReading], list[Problem], list[str]]:
    """Every case the files (and the files under the folders) hold; problems name each file not read (bad
    input); the last list says which documents could not be placed in one case (not guessed, not read)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for root in paths:
        if root.is_dir():
            found = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith((".", "~$")))
            files += [p for p in found if p.suffix.lower() in (*SUFFIXES, ".doc")]
        elif root.is_file():
            files.append(root)
        else:
            problems.append(Problem(display_path(str(root)), "", "文件或目录不存在"))
    if len(files) > MAX_FILES:
        problems.append(Problem(display_path(str(paths[0])), "", f"文书过多（{len(files)} 份），一次最多读取 {MAX_FILES} 份"))
        return [], problems, []
    docs: list[Document] = []
    for path in files:
        try:
            doc = read_document(read_text(path), rules)
        except InputError as exc:
            problems += exc.problems
            continue
        doc.folder = str(path.parent)
        docs.append(doc)
    if not docs and not problems:
        problems.append(Problem("、".join(display_path(str(p)) for p in paths), "", "没有找到可读取的文书（.docx、.pdf 或 .txt）"))
    groups, unplaced = group_cases(docs)
    return [settle(group) for group in groups], problems, unplaced


def read_upload(name: str, data: bytes, rules: Any) -> CaseReading:
    """One uploaded document as one case (``POST /api/v1/read``, the form's 导入); InputError if not readable."""
    return settle([read_document(read_bytes(name, data), rules)])


def read_document(text: Text, rules: Any) -> Document:
    kind = document_kind(text)
    if kind is None:
        raise InputError(
            [
                Problem(
                    text.name,
                    "",
                    "不是可读取的行政处罚文书（未找到决定书、告知书、送达回证、立案审批表、现场检查笔录或法制审核意见书的标题）",
                )
            ]
        )
    return Document(text, kind, DocumentReader(text, kind, rules).read())


# --- grouping documents by case -------------------------------------------------------------------

_SEQ = re.compile(r"^(\D*?)[〔\[(（]\s*(\d{4})\s*[〕\])）](\D{0,6}?)(\d{1,5})\s*号")


def case_key(number: str) -> tuple[str, int, int] | None:
    """(bureau prefix, year, number) of a 文号, the words naming the document's kind (罚、告、决、立、字) left out:
    伊市商工罚〔2026〕7号 and 伊市商工罚告〔2026〕7号 are one case."""
    m = _SEQ.search(norm(re.sub(r"\s", "", number)))
    if not m:
        return None
    return re.sub(r"[罚告决立字第]", "", m.group(1) + m.group(3)), int(m.group(2)), int(m.group(4))


def group_cases(docs: list[Document]) -> tuple[list[list[Document]], list[str]]:
    """Documents grouped by their 文号 (``case_key``). A document without one joins the case with its party's
    name — the one in its own folder when the party has several cases; with no numbered case at all,
    documents group by party name. A document that fits several cases or none is not placed (a line each)."""
    groups: dict[Any, list[Document]] = {}
    unplaced: list[str] = []
    loose: list[Document] = []
    for d in docs:
        numbers = [r.value for r in d.readings if r.field.startswith("number.")]
        key = next((k for k in map(case_key, numbers) if k), None)
        if key is None:
            loose.append(d)
        else:
            groups.setdefault(key, []).append(d)
    for d in loose:
        names = {r.value for r in d.readings if r.field == "party.name"}
        numbered = [k for k in groups if k[0] != "party"]
        matches = [k for k in numbered if names & {r.value for x in groups[k] for r in x.readings if r.field == "party.name"}]
        if len(matches) > 1:
            matches = [k for k in matches if any(x.folder == d.folder for x in groups[k])]
        if len(matches) == 1:
            groups[matches[0]].append(d)
        elif len(numbered) == 1 and not names:
            groups[numbered[0]].append(d)
        elif not numbered and names:
            groups.setdefault(("party", tuple(sorted(names))), []).append(d)
        else:
            why = f"当事人「{'、'.join(sorted(names))}」有 {len(matches)} 件案件" if names else "文书中没有文号，也没有读到当事人"
            unplaced.append(f"{d.text.name}：无法确定属于哪一件案件（{why}），未读取")
    return list(groups.values()), unplaced


# --- settling each field ------------------------------------------------------------------------


def _options(readings: list[Reading]) -> list[dict[str, Any]]:
    by_value: dict[str, dict[str, Any]] = {}
    for r in readings:
        key = json.dumps(r.value, ensure_ascii=False, sort_keys=True)
        by_value.setdefault(key, {"value": r.value, "sources": []})["sources"].append(r.source())
    return list(by_value.values())


def settle(docs: list[Document]) -> CaseReading:
    case = CaseReading(docs)
    readings = [r for d in docs for r in d.readings]
    by_field: dict[str, list[Reading]] = {}
    for r in readings:
        by_field.setdefault(r.field, []).append(r)
    # the 文号: the 决定书's, else the 告知书's
    numbers = by_field.get("number.decision") or by_field.get("number.notice") or []
    if numbers:
        by_field["case_id"] = numbers
    # the facts and the evidence as the 决定书 states them (the 告知书 words them before the case is decided)
    for name in ("facts", "evidence"):
        decided = [r for r in by_field.get(name, []) if r.kind in ("decision", "opinion")]
        if decided:
            by_field[name] = decided
    # 违法所得: as the facts state it, else the amount the 决定书 confiscates as 违法所得 (its own statement of the
    # gains; without it the case file's default, 0, would make a lawful confiscation a CONFISCATION_MISMATCH)
    confiscated = by_field.pop("gains.confiscated", [])
    if "violation.illegal_gains" not in by_field and confiscated:
        by_field["violation.illegal_gains"] = confiscated
    # a hearing: dates read make it {requested_on, held_on}; 未要求听证 makes it null
    hearing = {k: by_field.pop(f"procedure.hearing.{k}") for k in ("requested_on", "held_on") if f"procedure.hearing.{k}" in by_field}
    for name, options in ((k, _options(rs)) for k, rs in by_field.items()):
        if name.startswith(("number.", "sanction.", "notice.sanction.")) or name in ("procedure.hearing",):
            continue
        if len(options) == 1:
            case.values[name] = options[0]
        else:
            case.choices[name] = options
    _hearing(case, hearing, by_field.get("procedure.hearing", []))
    for prefix, key in (("sanction.", "decision.sanctions"), ("notice.sanction.", "notice.sanctions")):
        _sanctions(case, by_field, prefix, key)
    kinds = {d.kind for d in docs}
    for name, (label, where) in FIELDS.items():
        if name in case.values or any(c == name or c.startswith(name + ".") for c in case.choices):
            continue
        if name in _DECISION_ONLY and "decision" not in kinds and "opinion" not in kinds:
            case.unread[name] = f"没有决定书（{label}通常载明于决定书）"
        elif name == "violation.illegal_gains":
            case.unread[name] = "文书中未读到违法所得（案卷按草稿格式视为 0 元，有违法所得的请补填）"
        else:
            case.unread[name] = f"文书中未读到{label}（通常载明于{where}）"
    _withhold(case)
    for name in case.choices:
        label = next((lab for f, (lab, _) in FIELDS.items() if name == f or name.startswith(f + ".")), name)
        case.unread[name] = f"文书中{label}有 {len(case.choices[name])} 种不同的写法，请选定（见待选择）"
    return case


def _withhold(case: CaseReading) -> None:
    """Values read but left out of the case file, because the draft format would read what is *not* read as "not
    done" and a check would then find fault that the documents do not show (a false error is the worst defect)."""
    tier = case.value("decision.tier")
    if tier in ("减轻", "不予处罚"):
        case.withheld["decision.tier"] = (
            f"决定书写明{tier}处罚，但其所依据的法定情形未读取；只写阶次会被当作没有法定情形，请核对情节后填写裁量阶次"
        )
    hearing = case.value("procedure.hearing")
    if isinstance(hearing, dict) and not {"requested_on", "notified_on", "held_on"} <= set(hearing):
        got = "、".join(_HEARING_WORDS[k] for k in hearing)
        lacking = "、".join(w for k, w in _HEARING_WORDS.items() if k not in hearing)
        case.withheld["procedure.hearing"] = f"读到{got}，未读到{lacking}；只写读到的部分会被当作未办理，请补全听证情况后填写"
    if "evidence" in case.values:
        case.withheld["evidence"] = (
            "证据清单已读出（名称及出处见来源）；每项证据的种类（行政处罚法第四十六条）和所证明的事项须人工填写，"
            "只写名称会被当作未证明任何要件"
        )
    case.unread.update(case.withheld)


_HEARING_WORDS = {"requested_on": "听证申请日期", "notified_on": "听证通知日期", "held_on": "听证举行日期"}


def _hearing(case: CaseReading, dates: dict[str, list[Reading]], none: list[Reading]) -> None:
    settled: dict[str, Any] = {}
    sources: list[dict[str, Any]] = []
    for k, rs in dates.items():
        options = _options(rs)
        if len(options) > 1:
            case.choices[f"procedure.hearing.{k}"] = options
            return
        settled[k] = options[0]["value"]
        sources += options[0]["sources"]
    if settled and none:
        case.choices["procedure.hearing"] = [{"value": settled, "sources": sources}, {"value": None, "sources": [r.source() for r in none]}]
    elif settled:
        case.values["procedure.hearing"] = {"value": settled, "sources": sources}
    elif none:
        case.values["procedure.hearing"] = {"value": None, "sources": [r.source() for r in none]}


_ORDER = ["责令改正", "责令限期改正", "警告", "没收违法所得", "罚款"]


def _sanctions(case: CaseReading, by_field: dict[str, list[Reading]], prefix: str, key: str) -> None:
    kinds = sorted({f.removeprefix(prefix) for f in by_field if f.startswith(prefix)}, key=lambda k: _ORDER.index(k) if k in _ORDER else 99)
    if not kinds:
        return
    settled: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    for kind in kinds:
        options = _options(by_field[prefix + kind])
        if len(options) > 1:
            case.choices[f"{key}.{kind}"] = [{"value": _sanction(kind, o["value"]), "sources": o["sources"]} for o in options]
            continue
        settled.append(_sanction(kind, options[0]["value"]))
        sources += options[0]["sources"]
    if any(f"{key}.{kind}" in case.choices for kind in kinds):
        return  # the list is not settled while one of its amounts is open
    case.values[key] = {"value": settled, "sources": sources}


def _sanction(kind: str, value: Any) -> dict[str, Any]:
    return {"kind": kind} if value is True else {"kind": kind, "amount": value}
