"""Hypothesis strategies for draft penalty decisions that are lawful by construction (issue #12 acceptance).

``lawful_penalty_drafts()`` draws a raw draft (a plain dict, as read from YAML) for any penalty item
CF-01 … CF-05 that a correct engine must pass without an error finding:

- substance: the sanctions the chosen provision version requires (orders included, one of each
  ``one_of`` group), nothing it does not provide, a fine inside the band of the claimed tier,
  没收违法所得 equal to the gains minus 退赔 (第二十八条第二款), factors that back the tier; or a
  不予处罚 decision naming a ground whose facts hold (rules/vocabulary.yaml no_penalty_grounds);
- procedure: filed, two certified officers, a notice with every right and the decided sanctions,
  statement heard, hearing waived or not requested past the request window, legal review and collective
  discussion before the decision, decided inside 90 days from the day after the hearing request window, served
  within seven working days (第六十一条); committed up to the second anniversary of its discovery (第三十六条).

- subject and conduct (issue 17 §1): ``party.role`` one spelling (id, name or synonym) of a role the
  item's provision punishes and ``violation.conduct`` one of its conducts (rules/subjects.yaml), or
  left out (then listed under not_checked, never an error); ``covered_roles`` gives the same for an
  inspection's ``target.role`` and a filing's ``applicant.role`` (tests/test_lawful.py).

Each part is its own strategy (``substance``, ``lawful_procedure``) so another helper can replace or
extend one part and keep the rest. ``timeline`` varies the procedure dates lawfully: a hearing
requested in time and held after seven working days' notice, a decision on the last day of the 90
(rolled to the next working day when that day is off, 民事诉讼法 第八十五条), or an extension
approved before the 90 days ran out (a warning, EXTENSION_UNVERIFIED: no extension rule is
encoded). Dates stay in 2022–2026, which the shipped calendar and 行政处罚法 params cover.

- facts and evidence (issue 27 §1–2): ``violation.facts`` and ``evidence`` rows proving every element of
  the provision and every fact the decision relies on (``evidence_for``), or both left out.
- the people (issue 27 §3): a hearing presider who is no investigator, a 回避 application decided before the
  decision, a qualified or not first-time reviewer, 集体讨论 members with a 负责人 (``people_for``), or left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from helpers import shipped_rules
from quanze.engine.check.facts import split_points

PENALTY_ITEMS = ("CF-01", "CF-02", "CF-03", "CF-04", "CF-05")
OFFICERS = [{"name": "张三", "certificate": "65010000123"}, {"name": "李四", "certificate": "65010000456"}]
PEOPLE = {"handler": "张三", "reviewer": "王五", "approver": "赵六"}
FIRST_DAY, LAST_DAY = dt.date(2022, 1, 1), dt.date(2027, 12, 31)
EARLIEST_ACT = dt.date(2020, 9, 1)  # every penalty item's provision is in force from here (细则 施行 2020-09-01)


def _version(item: str):
    """The provision version in force on the dates drawn here (the current one)."""
    rules = shipped_rules()
    pid = rules.items[item].provision
    return pid, rules.provisions[pid].versions[-1]


def _factors(effect: str, *, mandatory: bool | None = None, reduction: bool | None = None) -> list[str]:
    out = []
    for f in shipped_rules().factors.factors:
        if f.effect != effect or (mandatory is not None and f.mandatory != mandatory):
            continue
        if reduction is not None and f.permits_reduction != reduction:
            continue
        if "未成年人" in f.name or "精神病人" in f.name:  # individuals only; kept out for simplicity
            continue
        out.append(f.name)
    return out


@st.composite
def tier_and_fine(draw, item: str) -> tuple[str, list[str], int | None]:
    """A tier, the factors that back it, and a fine in its band (None when the provision sets no fine)."""
    rules = shipped_rules()
    pid, version = _version(item)
    fine_range = version.fine_range()
    tiers = ["一般", "从轻", "从重"] + (["减轻"] if fine_range else [])
    tier = draw(st.sampled_from(tiers))
    if tier == "从轻":
        factors = [draw(st.sampled_from(_factors("mitigating")))]
    elif tier == "减轻":
        factors = [draw(st.sampled_from(_factors("mitigating", reduction=True)))]
    elif tier == "从重":
        factors = [draw(st.sampled_from(_factors("aggravating")))]
    else:
        factors = draw(st.lists(st.sampled_from(_factors("mitigating", mandatory=False)), max_size=1))
    if not fine_range:
        return tier, factors, None
    low, high = fine_range
    if tier == "减轻":
        return tier, factors, draw(st.integers(max(1, low // 2), low - 1))
    bands = split_points(low, high, rules.discretion[pid])
    lo, hi = bands[tier]
    top = hi if tier == "从重" else hi - 1  # band_of: every band but the last excludes its top
    return tier, factors, draw(st.integers(lo, top))


@st.composite
def dates(draw, *, time_barred: bool = False) -> dict[str, dt.date]:
    """Act, discovery, filing, notice, decision (within the limitation period unless ``time_barred``)."""
    first = EARLIEST_ACT + dt.timedelta(days=3 * 366) if time_barred else FIRST_DAY
    filed = draw(st.dates(first, LAST_DAY - dt.timedelta(days=80)))
    discovered = filed - dt.timedelta(days=draw(st.integers(0, 20)))
    if time_barred:  # more than two whole years from the act to its discovery (第三十六条)
        latest = discovered - dt.timedelta(days=2 * 366 + 2)
        committed = draw(st.dates(EARLIEST_ACT, latest))
    else:  # up to the second anniversary itself: 第三十六条 二年内 includes it (never before the provision)
        committed = max(EARLIEST_ACT, draw(st.dates(_two_years_before(discovered), discovered - dt.timedelta(days=1))))
    notice = filed + dt.timedelta(days=draw(st.integers(1, 30)))
    # from the day after the fifth working day (第六十四条第（一）项, the latest end where the 调休 is unknown)
    decided = _calendar().add_workdays(notice, 5) + dt.timedelta(days=draw(st.integers(1, 30)))
    return {"committed": committed, "discovered": discovered, "filed": filed, "notice": notice, "decided": decided}


def _two_years_before(day: dt.date) -> dt.date:
    """The earliest act discovered in time on ``day``: its second anniversary is ``day`` (29 February: 1 March)."""
    try:
        return day.replace(year=day.year - 2)
    except ValueError:
        return dt.date(day.year - 2, 3, 1)


def _calendar():
    from quanze.engine.law.workdays import calendar_from

    return calendar_from(shipped_rules().calendar)


def _rolled(cal: Any, day: dt.date) -> dt.date:
    """民事诉讼法 第八十五条: a period whose last day is a day off ends on the next working day — under every
    reading where a day may or may not be off (an unknown 调休, a regional festival without its notice)."""
    while not cal.may_be_workday(day):
        day += dt.timedelta(days=1)
    return day


WAIVED = {"requested_on": None, "waived": True, "notified_on": None, "held_on": None}


@st.composite
def timeline(draw, days: dict[str, dt.date]) -> tuple[dict[str, dt.date], dict | None, dict | None]:
    """Lawful procedure dates: (days with a possibly new decision day, hearing, extension)."""
    cal = _calendar()
    days = dict(days)
    way = draw(st.sampled_from(["plain", "held", "last_day", "extended"]))
    hearing = draw(st.sampled_from([None, WAIVED]))
    extension = None
    limit = _rolled(cal, days["filed"] + dt.timedelta(days=90))
    if way == "held":  # 第六十四条: requested within 5 working days, notified 7 working days before
        requested = cal.add_workdays(days["notice"], draw(st.integers(1, 5)))
        notified = requested + dt.timedelta(days=draw(st.integers(0, 3)))
        held = cal.add_workdays(notified, draw(st.integers(7, 10)))
        hearing = {"requested_on": requested, "waived": False, "notified_on": notified, "held_on": held}
        days["decided"] = max(days["decided"], held + dt.timedelta(days=draw(st.integers(3, 10))))
    elif way == "last_day":
        days["decided"] = limit
    elif way == "extended":
        extra = draw(st.integers(10, 30))
        approved = days["filed"] + dt.timedelta(days=draw(st.integers(60, (limit - days["filed"]).days)))
        extension = {"days": extra, "approved_on": approved, "basis": "某规章 第N条"}
        days["decided"] = max(
            approved, _rolled(cal, days["filed"] + dt.timedelta(days=90 + extra)) - dt.timedelta(days=draw(st.integers(0, 5)))
        )
    if days["decided"] > _rolled(cal, days["filed"] + dt.timedelta(days=90 + (extension or {}).get("days", 0))):
        days["decided"] = limit  # a held hearing pushed it late: decide on the last day instead
        if hearing and hearing.get("held_on") and hearing["held_on"] > limit - dt.timedelta(days=3):
            hearing = WAIVED
    return days, hearing, extension


def lawful_procedure(
    days: dict[str, dt.date], sanctions: list[dict[str, Any]], hearing: dict | None = None, extension: dict | None = None
) -> dict[str, Any]:
    """A complete general procedure for a decision on ``days['decided']`` proposing exactly ``sanctions``."""
    return {
        "filed_on": days["filed"],
        "officers": OFFICERS,
        "notice": {"served_on": days["notice"], "rights": ["陈述", "申辩", "听证"], "proposed": [dict(s) for s in sanctions]},
        "statement_made": True,
        "hearing": hearing,
        "legal_review": {"on": days["decided"] - dt.timedelta(days=2), "passed": True},
        "collective_discussion": {"on": days["decided"] - dt.timedelta(days=1)},
        "extension": extension,
        "served_on": days["decided"],
    }


def _orders(draw, item: str) -> list[dict[str, Any]]:
    """The orders and non-fine sanctions the item's version requires (one of each one_of group)."""
    _, version = _version(item)
    out, groups = [], {}
    for s in version.penalty.sanctions:
        if s.kind in ("罚款", "没收违法所得"):
            continue
        if s.required == "always":
            kind = s.kind
            if kind == "责令改正":
                kind = draw(st.sampled_from(["责令改正", "责令限期改正"]))  # 限期改正 meets 责令改正 (第二十八条第一款)
            out.append({"kind": kind})
        elif s.required == "one_of":
            groups.setdefault(s.group, []).append(s.kind)
    for kinds in groups.values():
        out.append({"kind": draw(st.sampled_from(kinds))})
    return out


def covered_roles(item: str) -> list[str]:
    """Every spelling of a role the item's provision covers by name (rules/subjects.yaml)."""
    from quanze.engine.law.subjects import item_subjects, subject_rules

    rules = shipped_rules()
    spec = item_subjects(rules, item)
    by_id = {r.id: r for r in subject_rules(rules).roles}
    return [n for c in (spec.roles if spec else []) for n in (by_id[c.role].id, by_id[c.role].name, *by_id[c.role].synonyms)]


def individuals_allowed(item: str) -> bool:
    """Whether an individual may be the subject of the item's provision: it names no subject, or a role
    anyone may hold (rules/subjects.yaml ``holder``); a 公民 is no 企业 or 机构 (issue 24)."""
    from quanze.engine.law.subjects import item_subjects, subject_rules

    spec = item_subjects(shipped_rules(), item)
    holders = {r.id: r.holder for r in subject_rules(shipped_rules()).roles}
    return spec is None or spec.others == "covered" or any(holders[c.role] == "any" for c in spec.roles)


def all_roles() -> list[str]:
    """Every spelling of every role of rules/subjects.yaml: labels that can coexist with the item's own
    (a 零售商 that issues cards, a 中外合资 car maker written as 外资企业) never give an error (issue 24)."""
    from quanze.engine.law.subjects import role_names

    return role_names(shipped_rules())


# Approvals of a 查封/扣押 (JC-08, 食盐专营办法 第二十三条第二款) that do not prove the post either way: the
# approver on file or any bare name with people.head blank, a presiding or acting deputy (issue 24). Each
# gives MEASURE_APPROVER_UNVERIFIED, never MEASURE_APPROVAL_MISSING with 追责.
UNPLACED_APPROVERS = ["赵六", "钱七", "孙八", "副局长（主持全面工作）", "主持工作的副局长", "代理局长", "副局长(主持工作)赵六"]


def item_conducts(item: str) -> list[str]:
    """Every spelling of a conduct the item's provision covers (rules/subjects.yaml)."""
    from quanze.engine.law.subjects import item_subjects

    spec = item_subjects(shipped_rules(), item)
    return [n for c in (spec.conducts if spec else []) for n in (c.id, c.text, *c.synonyms)]


@st.composite
def subject(draw, item: str, party: dict[str, Any], violation: dict[str, Any]) -> None:
    """Add a covered party.role and violation.conduct of the item (each may be left out)."""
    roles, conducts = covered_roles(item), item_conducts(item)
    if roles and draw(st.booleans()):
        party["role"] = draw(st.sampled_from(roles))
    if conducts and draw(st.booleans()):
        violation["conduct"] = draw(st.sampled_from(conducts))


@st.composite
def substance(draw, item: str) -> dict[str, Any]:
    """Party, violation and decision of a lawful decision imposing what the provision requires."""
    days = draw(dates())
    tier, factors, fine = draw(tier_and_fine(item))
    gains = draw(st.sampled_from([0, 0, 5000, 30000]))
    restitution = draw(st.sampled_from([0, gains // 2, gains])) if gains else 0
    sanctions = _orders(draw, item)
    if gains - restitution > 0:
        sanctions.append({"kind": "没收违法所得", "amount": gains - restitution})
    if fine is not None:
        sanctions.append({"kind": "罚款", "amount": fine})
    harm = draw(st.sampled_from(["minor", "serious"]))  # not 轻微+改正+无危害后果: a penalty is due
    party = {"name": "某有限公司", "type": "organization", "prior_violations": draw(st.integers(0, 2))}
    violation = {
        "committed_on": days["committed"],
        "discovered_on": days["discovered"],
        "illegal_gains": gains,
        "restitution": restitution,
        "harm": harm,
        "minor": draw(st.booleans()),
        "corrected": draw(st.booleans()),
        "factors": factors,
    }
    draw(subject(item, party, violation))
    return {
        "days": days,
        "party": party,
        "violation": violation,
        "decision": {"procedure": "general", "tier": tier, "sanctions": sanctions, "decided_on": days["decided"]},
    }


@st.composite
def no_penalty(draw, item: str) -> dict[str, Any]:
    """Party, violation and decision of a 不予处罚 naming a ground whose facts hold."""
    grounds = {g.key: g.name for g in shipped_rules().vocabulary.no_penalty_grounds}
    personal = {"under_fourteen", "incapable"}  # grounds of an individual: only where one may be the party
    key = draw(st.sampled_from(sorted(k for k in grounds if individuals_allowed(item) or k not in personal)))
    days = draw(dates(time_barred=key == "time_barred"))
    party: dict[str, Any] = {"name": "某有限公司", "type": "organization", "prior_violations": draw(st.integers(0, 2))}
    violation: dict[str, Any] = {
        "committed_on": days["committed"],
        "discovered_on": days["discovered"],
        "harm": draw(st.sampled_from(["none", "minor", "serious"])),
        "minor": draw(st.booleans()),
        "corrected": draw(st.booleans()),
    }
    decision: dict[str, Any] = {"procedure": "general", "tier": "不予处罚", "no_penalty_ground": grounds[key]}
    if key == "under_fourteen":
        party.update(type="individual", name="马某", age=draw(st.integers(8, 13)))
    elif key == "incapable":
        party.update(type="individual", name="李某", capacity="none")
    elif key == "minor_corrected":
        violation.update(minor=True, corrected=True, harm="none")
    elif key == "first_offense":
        party["prior_violations"] = 0
        violation.update(corrected=True, harm=draw(st.sampled_from(["none", "minor"])))
    elif key == "no_fault":
        violation["no_fault_proven"] = True
    elif key == "not_established":
        violation["facts_established"] = False
    elif key == "transferred":
        violation["suspected_crime"] = True
        decision["transferred_to_judiciary"] = True
    draw(subject(item, party, violation))
    decision["sanctions"] = draw(st.sampled_from([[], [{"kind": "责令改正"}], [{"kind": "责令限期改正"}]]))
    decision["decided_on"] = days["decided"]
    return {"days": days, "party": party, "violation": violation, "decision": decision}


EVIDENCE_KINDS = ["书证", "物证", "视听资料", "电子数据", "证人证言", "当事人的陈述", "鉴定意见", "勘验笔录", "现场笔录"]


@st.composite
def evidence_for(draw, raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Evidence rows (issue 27 §1) proving every element and relied-on fact of a raw draft (rules/elements.yaml):
    each named by name or id, spread over one to three rows, with an unlawfully obtained row that proves
    only what lawful rows prove too, and rows of any of the eight kinds."""
    from helpers import draft
    from quanze.engine.law.elements import required

    needed = required(shipped_rules(), draft(raw))
    rows: list[dict[str, Any]] = []
    n = draw(st.integers(1, 3))
    for i in range(n):
        rows.append({"kind": draw(st.sampled_from(EVIDENCE_KINDS)), "title": f"证据{i + 1}", "proves": []})
    for p in needed:
        spelling = p.name if not p.key.startswith(("element:", "decisive:")) else draw(st.sampled_from([p.name, p.key.split(":", 1)[1]]))
        rows[draw(st.integers(0, n - 1))]["proves"].append(spelling)
    if needed and draw(st.booleans()):
        rows.append({"kind": "视听资料", "title": "以非法手段取得的录像", "proves": [needed[0].name], "unlawful": True})
    if draw(st.booleans()):
        rows[0].update(obtained_on=raw["violation"]["discovered_on"], obtained_by="张三、李四", method="调取")
    return rows


# a hearing presider who is no officer of the case: another number, the same name under another number,
# the same number written with blanks and full-width digits (drafts.identity) is NOT drawn: that one is an officer
PRESIDERS = [{"name": "孙八", "certificate": "65010000789"}, {"name": "张三", "certificate": "６５０１ ０００ ０９９９"}]
HEADS = ["局长", "副局长", "分管副局长", "党组书记、局长"]


@st.composite
def people_for(draw, raw: dict[str, Any]) -> None:
    """The people of a lawful case file (issue 27 §3), written into ``raw``: a hearing presider who is not an
    investigator, a 回避 application decided by the 局长 before the decision (不予回避, or 回避 of a third officer
    who obtained nothing), a 法制审核 reviewer qualified or not first-time, 集体讨论 members with a 负责人."""
    p, decided = raw["procedure"], raw["decision"]["decided_on"]
    if p.get("hearing") and p["hearing"].get("held_on"):
        p["hearing"]["presider"] = dict(draw(st.sampled_from(PRESIDERS)))
    if draw(st.booleans()):
        requested = p["filed_on"] + dt.timedelta(days=draw(st.integers(0, max(0, (decided - p["filed_on"]).days - 1))))
        answered = requested + dt.timedelta(days=draw(st.integers(0, (decided - requested).days)))
        withdrawn = draw(st.booleans())
        officer = {"name": "周九", "certificate": "65010000321"} if withdrawn else dict(OFFICERS[1])
        if withdrawn:
            p["officers"] = [*p["officers"], officer]
        p["recusals"] = [
            {
                "officer": officer,
                "requested_by": "当事人",
                "requested_on": requested,
                "decided_by": "赵六（局长）",
                "decided_on": answered,
                "outcome": "回避" if withdrawn else "不予回避",
            }
        ]
    reviewer = draw(
        st.sampled_from(
            [
                {"name": "王五", "first_time": True, "qualified": True, "qualification_no": "A20216501000123"},
                {"name": "王五", "first_time": True, "qualification_no": "A20216501000123"},
                {"name": "王五", "first_time": False, "qualified": False},
                {"name": "王五", "first_time": False},
            ]
        )
    )
    p["legal_review"] = {**p["legal_review"], "reviewer": reviewer}
    members = [
        {"name": "赵六", "post": draw(st.sampled_from(HEADS))},
        {"name": "王五", "post": draw(st.sampled_from(["法制审核人员", None]))},
    ]
    p["collective_discussion"] = {**p["collective_discussion"], "members": members[: draw(st.integers(1, 2))]}


# 行政机关负责人 as officers write them (行政强制法 第十八条第（一）项; 行政处罚法 第五十六条)
HEADS = ("局长赵六", "党组书记、局长赵六", "副局长钱七", "分管副局长钱七", "赵六", None)


@st.composite
def measures_for(draw, raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Lawful 查封、扣押 and 先行登记保存 of the investigation (issue 26 §3): approved by the 局长 before, two officers, the
    party notified and present, a 现场笔录, the 决定书 and 清单 handed over on the spot, handled within 29 calendar days
    (a 查封、扣押, under both readings of 第二十五条) or seven working days (a 先行登记保存, 第五十六条)."""
    cal = _calendar()
    filed, last = raw["procedure"]["filed_on"], raw["procedure"]["notice"]["served_on"]
    out = []
    for kind in draw(st.lists(st.sampled_from(["查封", "扣押", "先行登记保存"]), min_size=1, max_size=3)):
        taken = draw(st.dates(filed, max(filed, last)))
        row: dict[str, Any] = {
            "kind": kind,
            "taken_on": taken,
            "approval": {"by": draw(st.sampled_from(HEADS)), "on": taken - dt.timedelta(days=draw(st.integers(0, 1)))},
            "officers": OFFICERS,
            "party_present": True,
            "party_notified": True,
            "record_made": True,
        }
        if kind == "先行登记保存":
            row["ended_on"] = cal.add_workdays_range(taken, draw(st.integers(1, 7)))[0]
        else:
            row["documents_delivered_on"] = taken
            tested = draw(st.integers(0, 20))  # 第二十五条第三款: a testing period, not counted
            row["ended_on"] = taken + dt.timedelta(days=draw(st.integers(1, 29)) + tested)
            if tested:
                row["testing"] = {"days": tested}
        out.append(row)
    return out


@st.composite
def lawful_penalty_drafts(
    draw,
    items: tuple[str, ...] = PENALTY_ITEMS,
    evidence: bool | None = None,
    people: bool | None = None,
    measures: bool | None = None,
) -> dict[str, Any]:
    """A raw draft penalty decision, lawful by construction, for one of ``items``; with ``evidence`` (drawn
    when None) the case file lists evidence for every element and relied-on fact, and its 违法事实; with
    ``people`` (drawn when None) its hearing presider, 回避, reviewer and 集体讨论 members (``people_for``); with
    ``measures`` (drawn when None) lawful 查封、扣押 and 先行登记保存 (``measures_for``)."""
    item = draw(st.sampled_from(items))
    parts = draw(st.one_of(substance(item), no_penalty(item)))
    days, hearing, extension = draw(timeline(parts.pop("days")))
    parts["decision"]["decided_on"] = days["decided"]
    sanctions = parts["decision"]["sanctions"]
    raw = {
        "kind": "penalty",
        "case_id": "伊市商工罚〔2026〕99号",
        "item": item,
        **parts,
        "procedure": lawful_procedure(days, sanctions, hearing, extension),
        "people": dict(PEOPLE),
    }
    # 第六十一条: served on the decision day or within seven working days (under every reading of an unknown 调休)
    raw["procedure"]["served_on"] = _calendar().add_workdays_range(days["decided"], draw(st.integers(0, 7)))[0]
    if evidence if evidence is not None else draw(st.booleans()):
        raw["violation"]["facts"] = "当事人<违法事实>照录 & 不解析"
        raw["evidence"] = draw(evidence_for(raw))
    if people if people is not None else draw(st.booleans()):
        draw(people_for(raw))
    if measures if measures is not None else draw(st.booleans()):
        raw["coercive_measures"] = draw(measures_for(raw))
    return raw


def cut_at(raw: dict[str, Any], day: dt.date, keep_violation: bool = True) -> dict[str, Any]:
    """The lawful draft ``raw`` as its record stood at the end of ``day`` (issue 26 §1): every step dated after
    it left out, the decision not yet taken (its tier and sanctions may stay, as a proposal)."""
    import copy

    out = copy.deepcopy(raw)
    p, d = out["procedure"], out["decision"]
    d.pop("decided_on", None)
    p.pop("served_on", None)
    notice = p.get("notice")
    if notice and notice["served_on"] > day:
        for key in ("notice", "hearing", "statement_made"):
            p.pop(key, None)
    hearing = p.get("hearing")
    if hearing:
        for key in ("requested_on", "notified_on", "held_on"):
            if hearing.get(key) and hearing[key] > day:
                hearing[key] = None
        if not hearing["waived"] and hearing.get("requested_on") is None:
            p.pop("hearing")
    for key in ("legal_review", "collective_discussion"):
        if p.get(key) and p[key]["on"] > day:
            p.pop(key)
    recusals = [dict(r) for r in p.get("recusals", []) if r["requested_on"] <= day]
    for r in recusals:
        if r["decided_on"] > day:
            r.update(decided_by=None, decided_on=None, outcome="未决定")
    if "recusals" in p:
        p["recusals"] = recusals
    if p.get("extension") and p["extension"]["approved_on"] > day:
        p.pop("extension")
    if "coercive_measures" in out:  # a measure not yet taken is left out; one not yet handled has ended_on: null
        out["coercive_measures"] = [m for m in out["coercive_measures"] if m["taken_on"] <= day]
        for m in out["coercive_measures"]:
            if m["ended_on"] > day:
                m["ended_on"] = None
    if not keep_violation and "notice" not in p:
        out.pop("violation")
    return out


@st.composite
def lawful_open_drafts(draw, items: tuple[str, ...] = PENALTY_ITEMS) -> dict[str, Any]:
    """A lawful draft cut at any day from its 立案 to the day before its decision: an open case, lawful so far."""
    raw = draw(lawful_penalty_drafts(items))
    filed, decided = raw["procedure"]["filed_on"], raw["decision"]["decided_on"]
    day = draw(st.dates(filed, max(filed, decided - dt.timedelta(days=1))))
    out = cut_at(raw, day, keep_violation=draw(st.booleans()))
    if draw(st.booleans()):  # the decision section not written at all yet
        out.pop("decision")
    return out


@st.composite
def lawful_executed_drafts(draw, items: tuple[str, ...] = PENALTY_ITEMS) -> dict[str, Any]:
    """A lawful decided draft followed by a lawful 履行与执行 (issue 26 §2): paid in time, or a deferral approved, or
    unpaid and demanded, the court applied to from the eleventh working day after the 催告书, a surcharge at most the fine."""
    raw = draw(lawful_penalty_drafts(items))
    served = raw["procedure"]["served_on"]
    fine = sum(int(s.get("amount") or 0) for s in raw["decision"]["sanctions"] if s["kind"] == "罚款")
    way = draw(st.sampled_from(["paid", "deferral", "enforced"]))
    if way == "paid":
        execution: dict[str, Any] = {"paid_on": served + dt.timedelta(days=draw(st.integers(0, 15)))}
    elif way == "deferral":
        approved = served + dt.timedelta(days=draw(st.integers(0, 15)))
        execution = {
            "deferral": {
                "kind": draw(st.sampled_from(["延期", "分期"])),
                "approved_on": approved,
                "until": approved + dt.timedelta(days=draw(st.integers(1, 180))),
            }
        }
    else:
        demanded = served + dt.timedelta(days=draw(st.integers(16, 200)))
        applied = _calendar().add_workdays(demanded, draw(st.integers(11, 30)))
        execution = {"demanded_on": demanded, "court_applied_on": applied}
        if fine:
            execution["surcharge"] = draw(st.integers(0, fine))
    if draw(st.booleans()) and "paid_on" in execution:
        execution["closed_on"] = execution["paid_on"] + dt.timedelta(days=draw(st.integers(0, 10)))
    raw["execution"] = execution
    return raw
