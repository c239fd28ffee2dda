"""What one document states, field by field: each ``Reading`` carries the words read and where.

Patterns follow the standard layouts of 行政处罚 documents. A pattern reads only words it recognises
in full (a labelled value, a dated clause, a cited article); anything else is not read. Dates go
through the draft model's own date reading (``drafts._iso_date``), amounts through ``parse_money``,
cited articles through ``lawtext.provision_of`` (the resolver every basis label goes through).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from quanze.engine.law.lawtext import provision_of
from quanze.engine.law.textnumbers import chinese_int
from quanze.engine.model.drafts import _iso_date
from quanze.engine.model.money import MoneyError, parse_money
from quanze.engine.model.text import zh
from quanze.engine.read.extract import Text

KINDS = {
    "decision": "行政处罚决定书",
    "notice": "行政处罚事先告知书",
    "receipt": "送达回证",
    "filing": "立案审批表",
    "inspection": "现场检查笔录",
    "opinion": "法制审核意见书",
}
_TITLES = [
    ("notice", re.compile(r"^行政处罚(?:事先)?告知书$|^事先告知书$")),
    ("decision", re.compile(r"^行政处罚决定书$")),
    ("receipt", re.compile(r"^(?:行政执法)?送达回证$")),
    ("filing", re.compile(r"^立案(?:审批|登记)表$")),
    ("inspection", re.compile(r"^现场检查(?:（勘验）)?笔录$")),
    ("opinion", re.compile(r"^法制审核意见书$")),
]

_FW = str.maketrans("０１２３４５６７８９．，：；（）［］／－", "0123456789.,:;()[]/-")


def norm(text: str) -> str:
    """Full-width digits and ASCII-like punctuation made half-width, one for one (offsets are kept)."""
    return text.translate(_FW)


@dataclass(frozen=True)
class Reading:
    """One value a document states: field (a draft path or a reading key), value, where, the words read."""

    field: str
    value: Any
    document: str
    kind: str  # key of KINDS
    paragraph: int  # 1-based
    words: str

    def source(self) -> dict[str, Any]:
        return {"document": self.document, "kind": KINDS[self.kind], "paragraph": self.paragraph, "words": self.words}

    def where(self) -> str:
        """决定书 第 3 段：罚款人民币伍万元"""
        return f"{KINDS[self.kind]} 第 {self.paragraph} 段：{self.words}"


def document_kind(text: Text) -> str | None:
    """The kind of document by its title (a paragraph of its own among the first eight), or None."""
    for para in text.paragraphs[:8]:
        bare = re.sub(r"\s", "", para)
        for kind, pattern in _TITLES:
            if pattern.match(bare):
                return kind
    return None


# --- dates -----------------------------------------------------------------------------------------

_CN_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_DATE_RE = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?![\d-])"
    r"|(?P<cy>[〇零一二三四五六七八九]{4})年(?P<cm>[一二三四五六七八九十]{1,2})月(?P<cd>[一二三四五六七八九十]{1,3})日"
)


def _date(match: re.Match[str]) -> dt.date | None:
    g = match.groupdict()
    if g["y"]:
        y, m, d = g["y"], g["m"], g["d"]
    elif g["iy"]:
        y, m, d = g["iy"], g["im"], g["id"]
    else:
        y = "".join(str(_CN_VALUE[c]) for c in g["cy"])
        m, d = chinese_int(g["cm"]), chinese_int(g["cd"])
        if m is None or d is None:
            return None
    try:
        value = _iso_date(f"{int(y)}年{int(m)}月{int(d)}日")
    except ValueError:
        return None
    return value if isinstance(value, dt.date) else None


def dates_in(text: str) -> list[tuple[dt.date, re.Match[str]]]:
    out = []
    for m in _DATE_RE.finditer(norm(text)):
        d = _date(m)
        if d is not None:
            out.append((d, m))
    return out


# --- amounts ---------------------------------------------------------------------------------------

_AMOUNT = (
    r"(?:人民币)?\s*(?P<amount>[0-9][0-9,]*(?:\.[0-9]{1,2})?\s*万?元|[零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟]+元整?)"
)
_FIG = re.compile(r"[（(]\s*[¥￥]\s*([0-9][0-9,]*(?:\.[0-9]{1,2})?)\s*(?:元)?\s*[）)]")


def _money(words: str) -> int | float | None:
    try:
        value = parse_money(words)
    except MoneyError:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- the reader ------------------------------------------------------------------------------------

_LABELS = {
    "party.name": ["当事人名称", "当事人", "被处罚人", "被处罚单位", "被检查人", "被检查单位", "受送达人"],
    "party.id_code": ["统一社会信用代码", "社会信用代码", "信用代码", "公民身份号码", "身份证号码", "身份证号"],
    "party.address": ["住所地", "住所", "住址", "地址", "经营场所"],
}
_ALL_LABELS = sorted(
    {lab for labs in _LABELS.values() for lab in labs}
    | {
        "法定代表人",
        "负责人",
        "联系电话",
        "电话",
        "送达地点",
        "送达方式",
        "检查地点",
        "检查时间",
        "执法人员",
        "记录人",
        "案件来源",
        "案由",
    },
    key=len,
    reverse=True,
)
_LABEL_RE = re.compile("(" + "|".join(_ALL_LABELS) + r")\s*[:：]\s*")
_ROW_LABEL = re.compile("^(" + "|".join(_ALL_LABELS) + r")[ 　]+(?=\S)")
_CREDIT = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_IDNO = re.compile(r"^\d{17}[\dXx]$")
_ORG_NAME = re.compile(r"(公司|厂|事务所|中心|合作社|商行|门市部|经营部|协会|研究院|集团|站|店)$")
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,40}$")
_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{2,8}·[\u4e00-\u9fff]{2,8}$")
_CASE_NO = re.compile(
    r"^[\u4e00-\u9fff]{1,12}(?:罚|告|决|立|字)?[\u4e00-\u9fff]{0,3}\s*[〔\[(（]\s*\d{4}\s*[〕\])）]\s*[\u4e00-\u9fff]{0,4}\s*第?\s*\d{1,5}\s*号$"
)
_LAW_CITE = re.compile(r"《(?P<law>[^》]{2,40})》\s*(?P<article>第[一二三四五六七八九十百零〇]+条(?:第[一二三四五六七八九十]+款)?)")
_SANCTION_WORDS = [
    ("没收违法所得", re.compile(r"没收违法所得" + _AMOUNT)),
    ("罚款", re.compile(r"(?<!加处)罚款" + _AMOUNT)),
    ("罚款", re.compile(r"处以?" + _AMOUNT + r"(?:的)?罚款")),
]
_SANCTIONS_START = re.compile(r"(?:如下|以下|下列)(?:行政)?处罚")
_ORDERS = [
    ("责令限期改正", re.compile(r"责令限期改正")),
    ("责令改正", re.compile(r"责令(?:其)?改正")),
    ("警告", re.compile(r"(?<![^，。；、：:\s\d.])警告")),
]


class DocumentReader:
    """Reads one document's paragraphs into ``Reading`` objects (``readings``)."""

    def __init__(self, text: Text, kind: str, rules: Any) -> None:
        self.text = text
        self.kind = kind
        self.rules = rules
        self.readings: list[Reading] = []

    def add(self, field: str, value: Any, index: int, words: str) -> None:
        if isinstance(value, str) and re.search(r"＿|__", value):
            return  # a blank left to fill in (＿＿＿＿) states nothing
        self.readings.append(Reading(field, value, self.text.name, self.kind, index + 1, words.strip()))

    def read(self) -> list[Reading]:
        paras = self.text.paragraphs
        self._number(paras)
        if self.kind == "opinion":
            self._opinion(paras)
            return self.readings
        self._labelled(paras)
        if self.kind in ("decision", "notice"):
            self._addressee(paras)
            self._facts(paras)
            self._provisions(paras)
            self._sanctions(paras, "procedure.notice.proposed" if self.kind == "notice" else "decision.sanctions")
        if self.kind == "decision":
            self._decision_steps(paras)
            self._remedies(paras)
            self._signed(paras, "decision.decided_on")
            self._tier(paras)
        if self.kind == "notice":
            self._rights(paras)
        if self.kind == "receipt":
            self._receipt(paras)
        if self.kind == "filing":
            self._filing(paras)
        if self.kind == "inspection":
            self._inspection(paras)
        return self.readings

    # --- each part ---

    def _number(self, paras: list[str]) -> None:
        """The 文号: a paragraph of its own near the title."""
        for i, p in enumerate(paras[:10]):
            bare = norm(re.sub(r"\s", "", p))
            if _CASE_NO.match(bare):
                field = {"decision": "number.decision", "notice": "number.notice"}.get(self.kind, "number.other")
                self.add(field, p.strip(), i, p)
                return

    def _labelled(self, paras: list[str]) -> None:
        for i, p in enumerate(paras):
            p = _ROW_LABEL.sub(r"\1：", p)  # a table row copied as text: 「住所　伊宁市…」
            matches = list(_LABEL_RE.finditer(p))
            for j, m in enumerate(matches):
                end = matches[j + 1].start() if j + 1 < len(matches) else len(p)
                value = re.split(r"[；;。\n]", p[m.end() : end])[0].strip(" ，,　")
                label = m.group(1)
                field = next((f for f, labs in _LABELS.items() if label in labs), None)
                if field is None or not value:
                    continue
                if field == "party.name" and label == "受送达人" and self.kind != "receipt":
                    continue
                if field == "party.name":
                    name = re.sub(r"[（(](?:单位|个人)[）)]$", "", value)
                    if _NAME.match(name):
                        words = p[m.start() : m.end() + len(value)]
                        self.add("party.name", name, i, words)
                        self._type_from_name(name, i, words)
                        if name != value:
                            self.add("party.type", "organization" if "单位" in value[len(name) :] else "individual", i, words)
                elif field == "party.id_code":
                    code = norm(value).replace(" ", "").upper()
                    if _CREDIT.match(code) and label in ("统一社会信用代码", "社会信用代码", "信用代码"):
                        self.add("party.id_code", code, i, p[m.start() : m.end() + len(value)])
                        self.add("party.type", "organization", i, p[m.start() : m.end() + len(value)])
                    elif _IDNO.match(code) and label not in ("统一社会信用代码", "社会信用代码", "信用代码"):
                        self.add("party.id_code", code, i, p[m.start() : m.end() + len(value)])
                        self.add("party.type", "individual", i, p[m.start() : m.end() + len(value)])
                elif field == "party.address" and self.kind == "decision":
                    self.add("party.address", norm(value), i, p[m.start() : m.end() + len(value)])

    def _type_from_name(self, name: str, i: int, words: str) -> None:
        if _ORG_NAME.search(name):
            self.add("party.type", "organization", i, words)

    def _addressee(self, paras: list[str]) -> None:
        """「某某有限公司：」 — the party a 告知书 (or a 决定书 without a party block) is addressed to."""
        for i, p in enumerate(paras[:12]):
            m = re.match(r"^([\u4e00-\u9fff·]{2,40})[:：]$", p.strip())
            if m and m.group(1) not in _ALL_LABELS and (_ORG_NAME.search(m.group(1)) or _PERSON.match(m.group(1))):
                self.add("party.name", m.group(1), i, p)
                self._type_from_name(m.group(1), i, p)
                return

    def _facts(self, paras: list[str]) -> None:
        for i, p in enumerate(paras):
            n = norm(p)
            if re.match(r"^(?:经查|经查明|经调查)[，,:：]?", n):
                self.add("facts", p, i, p[:60])
                dated = [(d, m) for d, m in dates_in(p) if n[max(0, m.start() - 1) : m.start()] == "于"]
                for d, m in dated:
                    self.add("violation.committed_on", d.isoformat(), i, p[max(0, m.start() - 1) : m.end()])
                for m in re.finditer(r"(?<!没收)违法所得(?:共计|合计|为)?" + _AMOUNT, n):
                    amount = _money(m.group("amount"))
                    if amount is not None:
                        self.add("violation.illegal_gains", amount, i, p[m.start() : m.end()])
                break
        for i, p in enumerate(paras):
            m = re.search(r"(?:(?:下列|以下)证据(?:证明|证实|为证)?|证据(?:证明)?如下|主要证据|证据有)[:：](.*)$", p)
            if m:
                listed = m.group(1)
                for q in paras[i + 1 : i + 30]:  # a list continued on numbered lines, to the one ending in 。
                    if listed.rstrip().endswith("。") or not re.match(r"^\s*[（(]?\d{1,2}[.、．)）]", norm(q)):
                        break
                    listed += q
                if not listed.rstrip().endswith("。"):
                    continue  # a list whose end is not seen is not read (it may be longer)
                body = norm(listed).rstrip().rstrip("。")
                parts = re.split(r"[；;]", body) if re.search(r"[；;]", body) else body.split("、")
                items = [re.sub(r"^\s*[（(]?\d{1,2}[.、．)）]\s*", "", x).strip() for x in parts]
            else:
                m = re.search(r"(?:以上|上述)事实[，,]?有(.+?)等(?:证据)?(?:为证|证实|证明|在案佐证)", p)
                items = [x.strip() for x in m.group(1).split("、")] if m else []
            items = [x for x in items if x and len(x) <= 40]
            if items:
                self.add("evidence", items, i, m.group(0))
                return

    def _provisions(self, paras: list[str]) -> None:
        """The penalty provision cited after 依据 / 根据: a cited article that is a penalty item's provision."""
        item_of: dict[str, list[str]] = {}
        for iid, eng in self.rules.items.items():
            if getattr(eng, "provision", None):
                item_of.setdefault(eng.provision, []).append(iid)
        # 「依据上述规定，…作出如下行政处罚」: the articles cited in the paragraph before are the basis
        backref = {
            j for i, p in enumerate(paras) if re.match(r"^(?:依据|根据|依照)(?:上述|以上|前述)规定", p) for j in (i - 1, i - 2) if j >= 0
        }
        shorts = "|".join(re.escape(law.short) for law in self.rules.laws.values())
        bare = re.compile(
            r"(?<![《\w])(?P<law>" + shorts + r")\s*(?P<article>第[一二三四五六七八九十百零〇]+条(?:第[一二三四五六七八九十]+款)?)"
        )
        for i, p in enumerate(paras):
            if not re.search(r"依据|根据|依照", p) and i not in backref:
                continue
            for m in [*_LAW_CITE.finditer(p), *bare.finditer(p)]:
                law = self._law(m.group("law"))
                if law is None:
                    continue
                found = provision_of(self.rules, f"{law.short} {m.group('article')}")
                if found is None or found[0] not in item_of:
                    continue
                before = p[: m.start()]
                if i not in backref and not re.search(r"(?:依据|根据|依照)[^。]*$", before):
                    continue
                self.add("provision", found[0], i, m.group(0))
                for iid in item_of[found[0]]:
                    self.add("item", iid, i, m.group(0))

    def _law(self, title: str) -> Any:
        """The law a cited title names: its full title (as lawtext.citation writes it: full-width brackets, inner
        书名号 as 〈〉), the title without 中华人民共和国, or its short name."""
        bare = title.strip().replace("〈", "《").replace("〉", "》")
        for law in self.rules.laws.values():
            full = {law.title, zh(law.title)}
            if bare == law.short or bare in full or bare in {t.removeprefix("中华人民共和国") for t in full}:
                return law
        return None

    def _sanctions(self, paras: list[str], field: str) -> None:
        """Sanctions stated after 「如下行政处罚」: the rest of that paragraph and the numbered lines after it."""
        start = next((i for i, p in enumerate(paras) if _SANCTIONS_START.search(p)), None)
        if start is None:
            return
        zone = [(start, paras[start][_SANCTIONS_START.search(paras[start]).end() :])]
        for j in range(start + 1, min(start + 8, len(paras))):
            if re.match(r"^\s*[（(]?[0-9０-９一二三四五六七八九十]{1,2}[.、．)）]", paras[j]) and not re.search(r"附件", paras[j]):
                zone.append((j, paras[j]))
            elif zone[1:] or re.search(r"缴|复议|诉讼|附件", paras[j]):
                break
            elif not zone[0][1].strip(" ：:"):
                zone.append((j, paras[j]))
            else:
                break
        prefix = "notice.sanction." if field.startswith("procedure.notice") else "sanction."
        for i, chunk in zone:
            n = norm(chunk)
            seen: set[str] = set()
            for kind, pattern in _SANCTION_WORDS:
                for m in pattern.finditer(n):
                    words = chunk[m.start() : m.end()]
                    amount = _money(m.group("amount"))
                    tail = _FIG.match(n, m.end())
                    if tail:
                        figure = _money(tail.group(1))
                        words = chunk[m.start() : tail.end()]
                        if figure != amount:
                            self.add(prefix + kind, figure, i, words)
                    if amount is not None:
                        self.add(prefix + kind, amount, i, words)
                        seen.add(kind)
                        if kind == "没收违法所得" and prefix == "sanction.":
                            self.add("gains.confiscated", amount, i, words)
            for kind, pattern in _ORDERS:
                m = pattern.search(n)
                if m and not (kind == "责令改正" and "责令限期改正" in n):
                    self.add(prefix + kind, True, i, chunk[m.start() : m.end() + 4])

    def _decision_steps(self, paras: list[str]) -> None:
        for i, p in enumerate(paras):
            n = norm(p)
            for d, m in dates_in(p):
                after = n[m.end() : m.end() + 40]
                before = n[max(0, m.start() - 2) : m.start()]
                if before.endswith("于") and re.match(
                    r"(?:依法)?向[^，。]{0,6}(?:送达|直接送达|留置送达|邮寄送达)了?《?行政处罚(?:事先)?告知书", after
                ):
                    self.add("procedure.notice.served_on", d.isoformat(), i, p[m.start() - 1 : m.end() + 20])
                if before.endswith("于") and re.match(r"(?:提出|申请|要求)(?:了)?(?:举行)?听证", after):
                    self.add("procedure.hearing.requested_on", d.isoformat(), i, p[m.start() - 1 : m.end() + 8])
                if before.endswith("于") and re.match(r"(?:依法)?(?:举行|召开|组织)(?:了)?听证", after):
                    self.add("procedure.hearing.held_on", d.isoformat(), i, p[m.start() - 1 : m.end() + 10])
            if re.search(r"(?:未|没有)(?:提出|要求)(?:举行)?听证|也未要求听证|放弃(?:要求)?听证", n):
                m = re.search(r"(?:未|没有)(?:提出|要求)(?:举行)?听证|也未要求听证|放弃(?:要求)?听证", n)
                self.add("procedure.hearing", None, i, p[m.start() : m.end()])

    def _remedies(self, paras: list[str]) -> None:
        for i, p in enumerate(paras):
            n = norm(p)
            for field, pattern in (
                ("remedy.pay_days", r"(?:收到|送达)本(?:处罚)?决定书之日起([0-9]+|[一二三四五六七八九十]+)日内[^。]{0,50}缴"),
                ("remedy.review_days", r"([0-9]+|[一二三四五六七八九十]+)日内[^。]{0,30}(?:申请行政复议|申请复议)"),
                ("remedy.litigation_months", r"([0-9]+|[一二三四五六七八九十]+)个月内[^。]{0,30}(?:提起行政诉讼|起诉)"),
            ):
                m = re.search(pattern, n)
                if m and chinese_int(m.group(1)):
                    self.add(field, chinese_int(m.group(1)), i, p[m.start() : m.end()])

    def _signed(self, paras: list[str], field: str) -> None:
        """The 落款 date: the last paragraph that is a date and nothing else."""
        for i in range(len(paras) - 1, max(-1, len(paras) - 8), -1):
            found = dates_in(paras[i])
            if len(found) == 1 and found[0][1].group(0) == norm(paras[i]).strip():
                self.add(field, found[0][0].isoformat(), i, paras[i])
                return

    def _tier(self, paras: list[str]) -> None:
        words = [
            ("从轻", r"(?:予以|给予|决定|依法)从轻处罚"),
            ("减轻", r"(?:予以|给予|决定|依法)减轻处罚"),
            ("从重", r"(?:予以|给予|决定|依法)从重处罚"),
            ("一般", r"一般违法情形|一般处罚阶次|一般情节"),
        ]
        for i, p in enumerate(paras):
            for tier, pattern in words:
                m = re.search(pattern, p)
                if m and re.search(r"裁量|综合考虑|情节", p):
                    self.add("decision.tier", tier, i, p[m.start() : m.end()])

    def _rights(self, paras: list[str]) -> None:
        """The rights the 告知书 states, from every paragraph that says 有权 / 享有 (a notice may give each its own)."""
        rights: list[str] = []
        first = None
        for i, p in enumerate(paras):
            if re.search(r"有权|享有", p) and re.search(r"陈述|申辩|听证", p):
                rights += [r for r in ("陈述", "申辩", "听证") if r in p and r not in rights]
                first = first if first is not None else (i, p)
        if first is not None:
            i, p = first
            m = re.search(r"有权[^。]*", p) or re.search(r"享有[^。]*", p)
            self.add("procedure.notice.rights", [r for r in ("陈述", "申辩", "听证") if r in rights], i, m.group(0)[:60] if m else p[:60])

    def _receipt(self, paras: list[str]) -> None:
        served_kind = None
        for i, p in enumerate(paras):
            if re.search(r"送达文书", p):
                if "决定书" in p:
                    served_kind = ("procedure.served_on", i, p)
                elif "告知书" in p:
                    served_kind = ("procedure.notice.served_on", i, p)
                m = re.search(r"[（(]([^（）()]*?号)[）)]", p)
                if m:
                    self.add("number.served", m.group(1), i, m.group(0))
        if served_kind is None:
            return
        dated = [(i, d, m) for i, p in enumerate(paras) for d, m in dates_in(p) if re.search(r"签收|签名|送达时间|送达日期|收到", paras[i])]
        for i, d, m in dated:
            self.add(served_kind[0], d.isoformat(), i, paras[i] if len(paras[i]) <= 40 else paras[i][max(0, m.start() - 12) : m.end()])

    def _filing(self, paras: list[str]) -> None:
        for i, p in enumerate(paras):
            if re.match(r"^立案(?:日期|时间)[:：]", norm(p)):
                for d, _m in dates_in(p)[:1]:
                    self.add("procedure.filed_on", d.isoformat(), i, p)
            elif re.search(r"同意立案", p):
                for d, m in dates_in(p)[-1:]:
                    self.add("procedure.filed_on", d.isoformat(), i, p[p.find("同意立案") : m.end()])

    def _inspection(self, paras: list[str]) -> None:
        for i, p in enumerate(paras):
            if re.match(r"^检查时间[:：]", norm(p)):
                for d, m in dates_in(p)[:1]:
                    self.add("violation.discovered_on", d.isoformat(), i, p[: m.end()])
        officers: list[tuple[str, str, int, str]] = []
        for i, p in enumerate(paras):
            n = norm(p)
            for m in re.finditer(r"([\u4e00-\u9fff·]{2,12})\s*[(（]\s*(?:执法证号|执法证件号|证号)[:：]?\s*([0-9A-Za-z]{6,20})\s*[)）]", n):
                officers.append((m.group(1).removeprefix("执法人员").lstrip("：:、"), m.group(2), i, p[m.start() : m.end()]))
        header = next((i for i, p in enumerate(paras) if re.match(r"^执法人员[:：\s　]+执法证(?:件)?号$", norm(p))), None)
        if header is not None:
            for j in range(header + 1, min(header + 6, len(paras))):
                m = re.match(r"^([\u4e00-\u9fff·]{2,12})[:：\s　]+([0-9A-Za-z]{6,20})$", norm(paras[j]))
                if not m:
                    break
                officers.append((m.group(1), m.group(2), j, paras[j]))
        if officers:
            value = [{"name": name, "certificate": cert} for name, cert, _, _ in officers]
            self.add("procedure.officers", value, officers[0][2], "；".join(w for *_, w in officers))

    def _opinion(self, paras: list[str]) -> None:
        """The 法制审核意见书 quanze writes: 「标签：值」 lines with ISO dates."""
        listing = False
        for i, p in enumerate(paras):
            n = norm(p)
            if m := re.match(r"^文号:(.+)$", n):
                self.add("number.decision", p.split("：", 1)[-1].strip(), i, p)
            elif m := re.match(r"^审核事项:行政处罚决定 ([A-Z]{2}-\d{2}) ", n):
                self.add("item", m.group(1), i, p[: m.end()])
            elif m := re.match(r"^当事人:(.+?)[(（](单位|个人)[)）]$", n):
                self.add("party.name", m.group(1), i, p)
                self.add("party.type", "organization" if m.group(2) == "单位" else "individual", i, p)
            elif n.startswith("违法事实:"):
                for field, word in (("violation.committed_on", "发生于"), ("violation.discovered_on", "被发现")):
                    for d, m in dates_in(p):
                        if (word == "发生于" and n[max(0, m.start() - 4) : m.start()].strip().endswith("发生于")) or (
                            word == "被发现" and n[m.end() : m.end() + 4].strip().startswith("被发现")
                        ):
                            self.add(field, d.isoformat(), i, p)
            elif m := re.match(r"^拟作出的处罚\((普通程序|简易程序),裁量阶次:(\S+?)\):$", n):
                self.add("decision.tier", m.group(2), i, p)
                listing = True
                continue
            elif listing and (m := re.match(r"^\d+\. (\S+?)(?: ([0-9,.]+) 元.*)?$", n)):
                kind, amount = m.group(1), m.group(2)
                self.add("sanction." + kind, _money(amount) if amount else True, i, p)
                continue
            elif m := re.match(r"^拟决定日期:(\d{4}-\d{2}-\d{2})$", n):
                self.add("decision.decided_on", m.group(1), i, p)
            elif n.startswith("执法人员:"):
                found = re.findall(r"([\u4e00-\u9fff·]{2,12})\(执法证号 ([^)]+)\)", n)
                if found:
                    self.add("procedure.officers", [{"name": a, "certificate": b} for a, b in found], i, p)
            elif m := re.match(r"^适用条文:(?:《(.+?)》|(\S+) )(第[一二三四五六七八九十百零〇]+条(?:第[一二三四五六七八九十]+款)?)", n):
                law = self._law(m.group(1) or m.group(2))  # 《full title》第…条 (lawtext.citation) or the short name
                found = provision_of(self.rules, f"{law.short} {m.group(3)}") if law else None
                if found:
                    self.add("provision", found[0], i, p[: m.end()])
            listing = False
