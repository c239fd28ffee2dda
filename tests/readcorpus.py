"""A corpus of 行政处罚 documents for ``quanze read``, generated with the truth of every field beside it.

Written before the reader's patterns, from how bureaus lay these documents out (not from the reader):
several bureaus' headers and numbering styles (〔2026〕7号, [2026]第007号, （2026）罚决字第12号),
half-width, full-width and 汉字 digits, amounts in figures, in 万元 and in capitals (柒万元整), the party
as lines or as a table, scanned-style hard line breaks in .txt, 附件 lists, page furniture (第 1 页 共 2
页, 联系电话, 银行账号), procedural citations that are not the penalty provision (行政处罚法 第四十四条),
and documents stating what the rules find unlawful (a fine below the range, a late service).

``corpus(seed, n)`` gives ``n`` cases: each ``Case`` has ``truth`` (flat field → value, the keys the
benchmark scores) and ``documents`` (file name → blocks: a ``str`` paragraph or a table, a list of rows).
``write_case(case, folder, fmt)`` writes them as .txt or .docx. Nothing here imports the reader.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Block = str | list[list[str]]

ITEMS = {
    "CF-04": {
        "law": "中华人民共和国节约能源法",
        "article": "第七十六条",
        "provision": "jieneng.a76",
        "range": (50000, 100000),
        "conduct": "在为{client}提供节能审计服务时，出具的节能审计报告中提供虚假的能源消费数据",
        "gains": True,
        "order": "责令改正",
    },
    "CF-05": {
        "law": "报废机动车回收管理办法实施细则",
        "article": "第四十条第二款",
        "provision": "baofei_xize.a40.k2",
        "range": (10000, 30000),
        "conduct": "作为机动车生产企业，未按照国家有关规定向{client}提供报废机动车拆解所需的相关技术支持",
        "gains": False,
        "order": "责令改正",
    },
}

BUREAUS = [
    {"name": "伊宁市商务和工业信息化局", "prefix": "伊市商工罚", "style": "bracket"},
    {"name": "伊宁市商务和工业信息化局", "prefix": "伊商工罚字", "style": "square"},
    {"name": "伊宁县工业和信息化局", "prefix": "伊县工信", "style": "paren"},
    {"name": "霍城县商务和工业信息化局", "prefix": "霍商工罚", "style": "bracket_fw"},
]

COMPANIES = [
    "天山节能咨询有限公司",
    "伊犁河谷能源审计事务所有限公司",
    "新源汽车制造有限公司",
    "伊宁市恒达节能技术服务有限公司",
    "霍城县北方汽车有限责任公司",
    "伊犁绿源能效评估有限公司",
    "察布查尔县金穗节能科技有限公司",
]
PEOPLE = ["张三", "李四", "王五", "赵六", "马建国", "艾尔肯·吐尔逊", "古丽米热", "刘晓燕", "陈志强", "热合曼"]
INDIVIDUALS = ["阿不都热合曼·买买提", "周海涛", "孙丽娟"]
CLIENTS = ["伊宁市某热电有限公司", "伊犁某水泥有限公司", "某报废机动车回收拆解有限公司", "霍城县某铁合金厂"]
STREETS = ["伊宁市解放西路218号", "伊宁市斯大林街1巷12号", "霍城县清水河镇江苏路9号", "伊宁县吉里于孜镇工业园区3号"]
EVIDENCE = [
    "现场检查笔录",
    "询问笔录",
    "节能审计报告复印件",
    "营业执照复印件",
    "法定代表人身份证明",
    "现场照片",
    "委托合同复印件",
    "银行转账凭证",
]

_CN_DIGIT = "〇一二三四五六七八九"
_FW = str.maketrans("0123456789", "０１２３４５６７８９")
_CAPS = "零壹贰叁肆伍陆柒捌玖"


@dataclass
class Case:
    name: str
    truth: dict[str, Any]
    documents: dict[str, list[Block]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the case states that the rules find unlawful
    key: tuple[str, int] = ("", 0)  # bureau and number


def cn_date(d: dt.date) -> str:
    """二〇二六年五月二十五日: the 落款 date of official documents."""

    def small(n: int) -> str:
        if n < 10:
            return "〇一二三四五六七八九"[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else "〇一二三四五六七八九"[tens]) + "十" + ("" if ones == 0 else "〇一二三四五六七八九"[ones])

    return "".join(_CN_DIGIT[int(c)] for c in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"


def caps(n: int) -> str:
    """柒万元整, 壹万伍仟元整, 叁万元整: an amount in capitals (whole yuan, below 亿)."""

    def section(v: int) -> str:
        out, zero = "", False
        for unit, size in (("仟", 1000), ("佰", 100), ("拾", 10), ("", 1)):
            d, v = divmod(v, size)
            if d:
                out += ("零" if zero and out else "") + _CAPS[d] + unit
                zero = False
            else:
                zero = True
        return out

    high, low = divmod(n, 10000)
    text = (section(high) + "万" if high else "") + (("零" if high and low < 1000 else "") + section(low) if low else "")
    return text + "元整"


class Style:
    """One bureau's way of writing: digits, amounts, party layout, line breaks."""

    def __init__(self, rng: random.Random, bureau: dict[str, str]) -> None:
        self.rng = rng
        self.bureau = bureau
        self.digits = rng.choice(["half", "half", "full"])
        self.amounts = rng.choice(["figures", "wan", "caps", "caps_fig"])
        self.party_table = rng.random() < 0.4
        self.signature_cn = rng.random() < 0.6

    def num(self, text: str) -> str:
        return text.translate(_FW) if self.digits == "full" else text

    def date(self, d: dt.date) -> str:
        return self.num(f"{d.year}年{d.month}月{d.day}日")

    def signed(self, d: dt.date) -> str:
        return cn_date(d) if self.signature_cn else self.date(d)

    def money(self, n: int) -> str:
        if self.amounts == "figures":
            return self.num(f"{n}元") if self.rng.random() < 0.5 else self.num(f"{n:,}.00元")
        if self.amounts == "wan" and n % 1000 == 0:
            w = n / 10000
            return self.num(f"{w:g}万元")
        if self.amounts == "caps_fig":
            return f"{caps(n)}（¥{n:,}.00）"
        return caps(n)

    def doc_no(self, seq: int, year: int, kind: str) -> str:
        """文号 of a 决定书 (kind ""), 告知书 ("告") or 立案 ("立")."""
        p, style = self.bureau["prefix"], self.bureau["style"]
        if style == "bracket":
            return f"{p}{kind}〔{year}〕{seq}号"
        if style == "square":
            return f"{p}{kind}[{year}]第{seq:03d}号"
        if style == "paren":
            word = {"": "罚决字", "告": "罚告字", "立": "立字"}[kind]
            return f"{p}（{year}）{word}第{seq}号"
        return self.num(f"{p}{kind}〔{year}〕{seq:02d}号")


def _workdays_after(d: dt.date, n: int) -> dt.date:
    while n:
        d += dt.timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def make_case(rng: random.Random, index: int) -> Case:
    item = rng.choice(list(ITEMS))
    spec = ITEMS[item]
    bureau = rng.choice(BUREAUS)
    st = Style(rng, bureau)
    year = 2026
    seq = rng.randint(1, 60)
    individual = item == "CF-04" and rng.random() < 0.15
    party = rng.choice(INDIVIDUALS) if individual else rng.choice(COMPANIES)
    if individual:
        id_code = f"65400219{rng.randint(70, 99)}0{rng.randint(1, 9)}1{rng.randint(0, 2)}{rng.randint(1000, 9999)}"
    else:
        id_code = "91654002" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(10))
    address = rng.choice(STREETS)
    committed = dt.date(year, rng.randint(1, 3), rng.randint(1, 28))
    discovered = committed + dt.timedelta(days=rng.randint(20, 50))
    filed = _workdays_after(discovered, rng.randint(1, 5))
    notice_served = filed + dt.timedelta(days=rng.randint(15, 30))
    hearing = rng.random() < 0.4
    requested = notice_served + dt.timedelta(days=rng.randint(1, 4))
    held = requested + dt.timedelta(days=rng.randint(8, 14))
    decided = (held if hearing else notice_served) + dt.timedelta(days=rng.randint(6, 12))
    late_service = rng.random() < 0.12
    served = _workdays_after(decided, rng.randint(8, 12) if late_service else rng.randint(1, 5))
    lo, hi = spec["range"]
    below = rng.random() < 0.12
    fine = rng.choice([lo - lo // 5, lo - 1000]) if below else rng.randrange(lo, hi + 1, 5000)
    third = (hi - lo) / 3
    tier = "一般" if below or lo + third <= fine <= hi - third else ("从轻" if fine < lo + third else "从重")
    tier_stated = rng.random() < 0.7
    gains_said = rng.random() < 0.5
    gains = rng.choice([8000, 12000, 30000, 45000]) if spec["gains"] else 0
    officers = rng.sample(PEOPLE, 2)
    certs = [f"6540{rng.randint(10000000, 99999999)}" for _ in officers]
    evidence = rng.sample(EVIDENCE, rng.randint(3, 6))
    client = rng.choice(CLIENTS)
    stage = rng.choice(["full", "full", "full", "notice", "decision_only"])
    notes = []
    if below:
        notes.append("罚款低于法定幅度")
    if late_service:
        notes.append("决定书送达可能超过七日")
    truth: dict[str, Any] = {
        "party.name": party,
        "party.type": "individual" if individual else "organization",
        "item": item,
        "provision": spec["provision"],
        "violation.committed_on": committed.isoformat(),
        "evidence": evidence,
    }
    case = Case(f"case{index:03d}", truth, notes=notes, key=(bureau["name"], seq))
    sanctions = {"责令改正": True, "罚款": fine}
    if gains:
        sanctions["没收违法所得"] = gains
    decision_no = st.doc_no(seq, year, "")
    notice_no = st.doc_no(seq, year, "告")
    docs = case.documents
    if stage != "decision_only":
        docs["现场检查笔录"] = _inspection_record(st, party, address, discovered, officers, certs, individual)
        truth["violation.discovered_on"] = discovered.isoformat()
        truth["procedure.officers"] = [f"{n}/{c}" for n, c in zip(officers, certs, strict=True)]
        docs["立案审批表"] = _filing_form(st, party, filed, discovered, officers)
        truth["procedure.filed_on"] = filed.isoformat()
        docs["行政处罚事先告知书"] = _notice(st, spec, notice_no, party, individual, committed, sanctions, evidence, client, notice_served)
        truth["procedure.notice.rights"] = ["陈述", "申辩", "听证"]
        docs["送达回证（告知书）"] = _receipt(st, "行政处罚事先告知书", notice_no, party, notice_served, officers)
        truth["procedure.notice.served_on"] = notice_served.isoformat()
        truth["notice.sanction.罚款"] = fine
        if gains:
            truth["notice.sanction.没收违法所得"] = gains
        truth["notice.sanction.责令改正"] = True
    if stage != "notice":
        docs["行政处罚决定书"] = _decision(
            st,
            spec,
            decision_no,
            party,
            individual,
            id_code,
            address,
            committed,
            sanctions,
            evidence,
            client,
            notice_served,
            (requested, held) if hearing else None,
            decided,
            tier if tier_stated else None,
            gains_said,
        )
        if gains:
            truth["violation.illegal_gains"] = gains  # stated in the facts, or as the amount of 没收违法所得
        if tier_stated:
            truth["decision.tier"] = tier
        truth["case_id"] = decision_no
        truth["party.id_code"] = id_code  # only the 决定书 states the party's number and address
        truth["party.address"] = address
        truth["decision.decided_on"] = decided.isoformat()
        truth["procedure.notice.served_on"] = notice_served.isoformat()
        for kind, value in sanctions.items():
            truth[f"sanction.{kind}"] = value
        truth["remedy.pay_days"] = 15
        truth["remedy.review_days"] = 60
        truth["remedy.litigation_months"] = 6
        if hearing:
            truth["procedure.hearing.requested_on"] = requested.isoformat()
            truth["procedure.hearing.held_on"] = held.isoformat()
        if stage == "full":
            docs["送达回证（决定书）"] = _receipt(st, "行政处罚决定书", decision_no, party, served, officers)
            truth["procedure.served_on"] = served.isoformat()
    else:
        truth["case_id"] = notice_no
    return case


def _party_blocks(st: Style, party: str, individual: bool, id_code: str | None, address: str) -> list[Block]:
    id_label = "身份证号码" if individual else st.rng.choice(["统一社会信用代码", "社会信用代码", "统一社会信用代码"])
    name_label = "当事人" if st.rng.random() < 0.7 else ("被处罚人" if individual else "被处罚单位")
    addr_label = "住址" if individual else st.rng.choice(["住所", "地址", "住所地"])
    rows = [[name_label, party]]
    if id_code:
        rows.append([id_label, st.num(id_code)])
    rows.append([addr_label, st.num(address)])
    if not individual:
        rows.append(["法定代表人", st.rng.choice(PEOPLE[4:])])
    if st.party_table:
        return [rows]
    if st.rng.random() < 0.5:
        return [f"{k}：{v}" for k, v in rows]
    return ["；".join(f"{k}：{v}" for k, v in rows) + "。"]


def _sanction_words(st: Style, sanctions: dict[str, Any]) -> list[str]:
    out = []
    if "责令改正" in sanctions:
        out.append("责令改正违法行为")
    if "没收违法所得" in sanctions:
        out.append(f"没收违法所得人民币{st.money(sanctions['没收违法所得'])}")
    out.append(f"罚款人民币{st.money(sanctions['罚款'])}")
    return out


def _cite(spec: dict[str, Any]) -> str:
    return f"《{spec['law']}》{spec['article']}"


def _notice(st, spec, number, party, individual, committed, sanctions, evidence, client, served) -> list[Block]:
    you = "你" if individual else "你单位"
    words = _sanction_words(st, sanctions)
    listed = "：" + "；".join(f"{i}.{w}" for i, w in enumerate(words, 1)) if st.rng.random() < 0.5 else "：" + "，".join(words)
    return [
        st.bureau["name"],
        "行政处罚事先告知书",
        number,
        f"{party}：",
        f"经查，{you}于{st.date(committed)}{spec['conduct'].format(client=client)}。",
        "以上事实有" + "、".join(evidence) + "等证据为证。",
        f"{you}的上述行为违反了{_cite(spec)}的规定。依据{_cite(spec)}的规定，本局拟对{you}作出如下行政处罚{listed}。",
        f"根据《中华人民共和国行政处罚法》第四十四条、第四十五条、第六十三条、第六十四条的规定，{you}有权进行陈述和申辩，"
        f"并有权要求举行听证。{you}如需陈述、申辩或者要求听证，应当在收到本告知书之日起五个工作日内向本局提出，逾期视为放弃。",
        st.num("联系人：王五　联系电话：0999-8031234"),
        st.bureau["name"],
        st.signed(served - dt.timedelta(days=st.rng.randint(1, 3))),
    ]


def _decision(
    st, spec, number, party, individual, id_code, address, committed, sanctions, evidence, client, notice_served, hearing, decided, tier,
    gains_said=False,
) -> list[Block]:
    you = "你" if individual else "你单位"
    numbered = st.rng.random() < 0.5
    ev = (
        ("以上事实有下列证据证明：" + "；".join(f"{i}.{e}" for i, e in enumerate(evidence, 1)) + "。")
        if numbered
        else ("上述事实，有" + "、".join(evidence) + "等证据证实。")
    )
    procedure = (
        f"本局于{st.date(notice_served)}向{you}送达了《行政处罚事先告知书》，"
        f"告知了拟作出行政处罚的事实、理由、依据及{you}依法享有的陈述、申辩和要求听证的权利。"
    )
    if hearing:
        procedure += f"{you}于{st.date(hearing[0])}提出听证申请，本局于{st.date(hearing[1])}依法举行了听证。"
    else:
        procedure += f"{you}在规定期限内未提出陈述、申辩，也未要求听证。"
    words = _sanction_words(st, sanctions)
    blocks: list[Block] = [
        st.bureau["name"],
        "行政处罚决定书",
        number,
    ]
    blocks += _party_blocks(st, party, individual, id_code, address)
    blocks += [
        f"{you}{spec['conduct'].format(client=client)}一案，本局依法进行了调查，现已调查终结。",
        f"经查明：{you}于{st.date(committed)}{spec['conduct'].format(client=client)}"
        + (f"，违法所得人民币{st.money(sanctions['没收违法所得'])}。" if "没收违法所得" in sanctions and gains_said else "。"),
        ev,
        procedure,
        f"本局认为，{you}的上述行为违反了{_cite(spec)}的规定。依据{_cite(spec)}的规定，本局决定对{you}作出如下行政处罚：",
    ]
    if tier:
        said = {"一般": "属于一般违法情形，按一般处罚阶次裁量", "从轻": "依法予以从轻处罚", "从重": "依法予以从重处罚"}[tier]
        blocks.insert(-1, f"综合考虑{you}违法行为的事实、性质、情节和社会危害程度，{said}。")
    if st.rng.random() < 0.5:
        blocks += [f"{i}.{w}；" for i, w in enumerate(words, 1)]
    else:
        blocks.append("，".join(words) + "。")
    blocks += [
        st.num(f"{you}应当自收到本决定书之日起15日内，将罚没款缴至指定银行。")
        if st.rng.random() < 0.5
        else f"{you}应自收到本决定书之日起十五日内缴纳罚没款。",
        st.num("收款单位：伊宁市财政局　开户银行：中国农业银行伊宁市分行　账号：30045601040012345"),
        st.num("到期不缴纳罚款的，本局可以每日按罚款数额的3%加处罚款。"),
        f"{you}如不服本决定，可以在收到本决定书之日起六十日内向伊宁市人民政府申请行政复议，"
        f"或者在六个月内依法向伊宁市人民法院提起行政诉讼。",
        st.num("附件：1.行政处罚事先告知书；2.送达回证"),
        st.bureau["name"],
        st.signed(decided),
        st.num("第 1 页 共 1 页"),
    ]
    return blocks


def _receipt(st, title, number, party, served, officers) -> list[Block]:
    rows = [
        ["送达文书名称及文号", f"《{title}》（{number}）"],
        ["受送达人", party],
        ["送达地点", st.rng.choice(STREETS)],
        ["送达方式", "直接送达"],
        ["收件人签名", f"{st.rng.choice(PEOPLE)}　{st.date(served)}"],
        ["送达人", "、".join(officers)],
    ]
    if st.rng.random() < 0.5:
        return [st.bureau["name"], "送达回证", rows]
    return [st.bureau["name"], "送 达 回 证"] + [f"{k}：{v}" for k, v in rows]


def _filing_form(st, party, filed, discovered, officers) -> list[Block]:
    rows = [
        ["案件来源", "监督检查"],
        ["案由", "涉嫌违法案"],
        ["当事人", party],
        ["简要案情", f"{st.date(discovered)}，执法人员在检查中发现当事人涉嫌违法。"],
        ["承办人意见", f"建议立案调查。承办人：{'、'.join(officers)}"],
        ["负责人审批意见", f"同意立案。赵六　{st.date(filed)}"],
        ["立案日期", st.date(filed)],
    ]
    return [st.bureau["name"], "立案审批表", rows]


def _inspection_record(st, party, address, discovered, officers, certs, individual) -> list[Block]:
    hour = st.rng.randint(9, 16)
    people = "、".join(f"{n}（执法证号：{st.num(c)}）" for n, c in zip(officers, certs, strict=True))
    blocks: list[Block] = [
        st.bureau["name"],
        "现场检查笔录",
        st.num(f"检查时间：{discovered.year}年{discovered.month}月{discovered.day}日{hour}时00分至{hour + 1}时30分"),
        f"检查地点：{address}",
        f"被检查人：{party}",
    ]
    if st.rng.random() < 0.5:
        blocks.append(f"执法人员：{people}")
    else:
        blocks.append([["执法人员", "执法证号"]] + [[n, st.num(c)] for n, c in zip(officers, certs, strict=True)])
    blocks += [
        "记录人：" + officers[1],
        "我们是" + st.bureau["name"] + "的执法人员，已向你出示了执法证件，你是否看清楚？答：看清楚了。",
        "检查情况：现场调取了相关资料，当事人对检查情况无异议。",
        "被检查人签名：" + ("本人" if individual else "某某") + "　执法人员签名：" + "、".join(officers),
    ]
    return blocks


def corpus(seed: int = 29, n: int = 60) -> list[Case]:
    """n cases; no two of one bureau share a 文号 (as in life)."""
    rng = random.Random(seed)
    out: list[Case] = []
    while len(out) < n:
        case = make_case(rng, len(out))
        if case.truth["case_id"] not in {c.truth["case_id"] for c in out} and case.key not in {c.key for c in out}:
            out.append(case)
    return out


def _scan_breaks(text: str, rng: random.Random) -> str:
    """Hard line breaks every 26–34 characters, as text copied from a scan."""
    width = rng.randint(26, 34)
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def render_txt(blocks: list[Block], rng: random.Random, scanned: bool) -> str:
    lines = []
    for b in blocks:
        if isinstance(b, list):
            lines += ["　".join(row) if rng.random() < 0.5 else "：".join(row) for row in b]
        else:
            lines.append(_scan_breaks(b, rng) if scanned and len(b) > 34 else b)
        if scanned and rng.random() < 0.2:
            lines.append("")
    return "\n".join(lines) + "\n"


def render_docx(blocks: list[Block], path: Path) -> None:
    import docx

    doc = docx.Document()
    for b in blocks:
        if isinstance(b, list):
            table = doc.add_table(rows=len(b), cols=max(len(r) for r in b))
            for r, row in enumerate(b):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        else:
            doc.add_paragraph(b)
    doc.save(str(path))


def write_case(case: Case, folder: Path, fmt: str, seed: int = 0) -> list[Path]:
    """Write a case's documents into ``folder`` as ``fmt`` (txt, txt-scan or docx); the paths written."""
    rng = random.Random(f"{seed}-{case.name}")
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for title, blocks in case.documents.items():
        if fmt == "docx":
            path = folder / f"{case.name}-{title}.docx"
            render_docx(blocks, path)
        else:
            path = folder / f"{case.name}-{title}.txt"
            path.write_text(render_txt(blocks, rng, fmt == "txt-scan"), encoding="utf-8")
        out.append(path)
    return out
