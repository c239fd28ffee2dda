"""Derive the flat facts the rules test, from a draft and the rules: dates, counts, money, bands.

No finding is decided here: this module only measures. What each fact is — its name, type, label and
the draft fields it is read from — is registered in ``engine/model/facts.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import partial
from typing import Any

from quanze.engine.law.remembered import per_rules
from quanze.engine.law.versions import VersionChoice
from quanze.engine.law.workdays import WorkCalendar, Workdays, days_text
from quanze.engine.model.drafts import Approval, PenaltyDraft, distinct_officers, identity
from quanze.engine.model.facts import SECTION_FACTS
from quanze.engine.model.schema import ApproverRole, Discretion
from quanze.engine.model.text import zh

_ONE = dt.timedelta(days=1)


def number(value: Decimal | int | float) -> int | float:
    """A JSON number for durable-rules: int when integral."""
    d = value if type(value) is Decimal else Decimal(str(value))  # a Decimal as it is: its str gives it back
    return int(d) if d == d.to_integral_value() else float(d)


def full_years_before(start: dt.date, end: dt.date) -> int:
    """How many whole years after ``start`` have fully run out before ``end`` (start day not counted)."""
    years = max(end.year - start.year, 0)  # never more (a later year's day is after ``end``), one less when not yet run
    while years and _add_years(start, years) >= end:
        years -= 1
    return years


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


_SPLITS: dict[tuple[int, int, int], tuple[Discretion, dict[str, tuple[int, int]]]] = {}


def split_points(low: int, high: int, discretion: Discretion) -> dict[str, tuple[int, int]]:
    """Yuan bounds of each tier's band, rounded half up to the yuan (computed once per range and discretion)."""
    key = (low, high, id(discretion))
    hit = _SPLITS.get(key)
    if hit is not None and hit[0] is discretion:
        return dict(hit[1])
    if len(_SPLITS) > 4096:  # bounded: a few ranges per provision in practice
        _SPLITS.clear()
    _SPLITS[key] = (discretion, _split_points(low, high, discretion))
    return dict(_SPLITS[key][1])


def _split_points(low: int, high: int, discretion: Discretion) -> dict[str, tuple[int, int]]:
    out = {}
    for band in discretion.bands:
        lo = _round(low + (high - low) * Fraction(band.lower))
        hi = _round(low + (high - low) * Fraction(band.upper))
        out[band.tier] = (lo, hi)
    return out


def _round(value: Fraction) -> int:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def band_of(amount: Decimal, low: int, high: int, bands: dict[str, tuple[int, int]]) -> str:
    """The band a fine lies in: below_min, a tier, or above_max (the last band includes its top)."""
    if amount < low:
        return "below_min"
    if amount > high:
        return "above_max"
    ordered = sorted(bands.items(), key=lambda kv: kv[1][0])
    for tier, (_lo, hi) in ordered[:-1]:
        if amount < hi:
            return tier
    return ordered[-1][0]


def amount_of(sanctions: list[Any], kind: str) -> Decimal:
    """Total yuan of the sanctions of one kind (e.g. every 罚款 of a decision)."""
    total = Decimal(0)
    for s in sanctions:
        if s.kind == kind and s.amount:  # an amount not given adds nothing
            total += s.amount
    return total


NO_PENALTY = "不给予行政处罚"  # penalties_text of a decision without a penalty


def penalties_text(sanctions: list[Any], vocab: dict[str, Any]) -> str:
    """The penalties of a decision in words, amounts where given (罚款 70000 元、没收违法所得 30000 元); never "罚款 0 元"."""
    parts = []
    for s in sanctions:
        if vocab[s.kind].penalty:
            parts.append(f"{s.kind} {number(s.amount)} 元" if s.amount is not None else s.kind)
    return "、".join(parts) or NO_PENALTY


def referral_bodies(rules: Any, choice: VersionChoice, referrals: list[Any]) -> tuple[list[str], list[str]]:
    """The ``to`` of referrals the provision reserves to "本级人民政府" that name a body of another level (州,
    自治区 …: rules/vocabulary.yaml bureau.other_levels), and those naming no 人民政府 at all (a bureau)."""
    bureau = rules.vocabulary.bureau
    pen = choice.version.penalty if choice.version else None
    if bureau is None or pen is None or not referrals:
        return [], []
    own = {k for g in pen.reserved if "本级" in g.to for k in g.kinds}
    written = [_squash(r.to) for r in referrals if r.proposal in own]
    wrong = [t for t in written if any(w in t for w in bureau.other_levels)]
    return wrong, [t for t in written if t not in wrong and "政府" not in t]


def sanction_kinds(rules: Any) -> dict[str, Any]:
    """The sanction kinds of rules/vocabulary.yaml by their Chinese name (罚款 …)."""
    return per_rules(rules, "sanction_kinds", lambda r: {k.kind: k for k in r.vocabulary.sanctions})


def _sanction_facts(rules: Any) -> tuple[dict[str, bool], dict[str, str], dict[str, str]]:
    """The facts ``imposed_<key>`` of every sanction kind, then its ``referral_<key>``, all False (what a draft does not
    impose or refer), and by each kind (罚款 …) the name of its imposed_ and of its referral_ fact."""

    def build(r: Any) -> tuple[dict[str, bool], dict[str, str], dict[str, str]]:
        kinds = r.vocabulary.sanctions
        unset = {f"imposed_{k.key}": False for k in kinds} | {f"referral_{k.key}": False for k in kinds}
        return unset, {k.kind: f"imposed_{k.key}" for k in kinds}, {k.kind: f"referral_{k.key}" for k in kinds}

    return per_rules(rules, "sanction_flags", build)


def factors_by_name(rules: Any) -> dict[str, Any]:
    """The rules' 情节 (rules/factors) by name, made once per rules (kept in ``rules.cache``)."""
    found = rules.cache.get("factors")
    if found is None or found[0] is not rules.factors:  # a RuleSet replaced with others shares the cache
        found = rules.cache["factors"] = (rules.factors, {f.name: f for f in rules.factors.factors})
    return found[1]


def penalty_facts(draft: PenaltyDraft, rules: Any, choice: VersionChoice, provision_id: str) -> dict[str, Any]:
    """Every fact the penalty checks test, plus the texts their messages quote."""
    v, d = draft.violation, draft.decision
    act_end = v.ended_on or v.committed_on
    vocab = sanction_kinds(rules)
    unset, imposed_fact, referral_fact = _sanction_facts(rules)
    wrong_level, not_government = referral_bodies(rules, choice, d.referrals)
    fine = amount_of(d.sanctions, "罚款")
    gains_taken = amount_of(d.sanctions, "没收违法所得")
    factors = factors_by_name(rules)
    named = [factors[n] for n in v.factors]
    mitigating = aggravating = reducing = mandatory = 0  # most drafts name no factor
    if named:
        mitigating = sum(f.effect == "mitigating" for f in named)
        aggravating = sum(f.effect == "aggravating" for f in named)
        reducing = sum(f.permits_reduction for f in named)
        mandatory = sum(f.effect == "mitigating" and f.mandatory for f in named)
    rect = v.rectification
    rect_failed = bool(rect and rect.ordered_on and rect.deadline and rect.deadline < d.decided_on and rect.met is False)
    penalties = [s.kind for s in d.sanctions if vocab[s.kind].penalty]
    to_confiscate = v.illegal_gains - v.restitution  # 第二十八条第二款: 除依法应当退赔的外
    gains, restitution, to_take = number(v.illegal_gains), number(v.restitution), number(to_confiscate)
    prov = rules.provisions[provision_id]

    facts: dict[str, Any] = {
        "basis_in_force": choice.in_force,
        "basis_reason": choice.reason,
        "version_readings_differ": False,  # set by engine/check/checker.py after checking under both crossing versions
        "version_readings": "",
        "act_end": act_end.isoformat(),
        "discovered_on": v.discovered_on.isoformat(),
        "decided_on": d.decided_on.isoformat(),
        "years_act_to_discovery": full_years_before(act_end, v.discovered_on),
        "affects_life_health_or_finance": v.affects_life_health_or_finance,
        "party_type": draft.party.type,
        "prior_violations": draft.party.prior_violations,
        "harm": v.harm,
        "minor": v.minor,
        "corrected": v.corrected,
        "no_fault_proven": v.no_fault_proven,
        "suspected_crime": v.suspected_crime,
        "already_fined_for_same_act": v.already_fined_for_same_act,
        "serious": "情节严重" in d.case_flags,
        "production_project": bool(v.production_project),
        "rectification_failed": rect_failed,
        "rectification_impossible": bool(rect and rect.impossible),
        "rectification_ordered": bool(rect and rect.ordered_on and rect.ordered_on <= d.decided_on),
        "party_age": draft.party.age if draft.party.age is not None else -1,
        "party_capacity": draft.party.capacity or "unknown",
        "facts_established": v.facts_established,
        "basis_rank": rules.laws[prov.law].rank,
        "n_mitigating": mitigating,
        "n_aggravating": aggravating,
        "n_reduction_grounds": reducing,
        "n_mandatory_mitigating": mandatory,
        "factors": "、".join(v.factors) or "空",
        "tier": d.tier,
        "procedure": d.procedure,
        "transferred_to_judiciary": d.transferred_to_judiciary,
        "penalty_imposed": bool(penalties),
        "n_penalty_kinds": len(set(penalties)),
        "penalties": "、".join(penalties) or "无",
        "penalties_text": penalties_text(d.sanctions, vocab),
        "proposed_text": penalties_text(draft.procedure.notice.proposed, vocab) if draft.procedure.notice else "无告知",
        "no_penalty_ground": d.no_penalty_ground or "",
        "fine_amount": number(fine),
        "illegal_gains": gains,
        "confiscated_gains": number(gains_taken),
        "restitution": restitution,
        "gains_to_confiscate": to_take,
        "referral_wrong_level": bool(wrong_level),
        "referral_not_government": bool(not_government),
        "referral_to_written": "、".join(f"「{t}」" for t in wrong_level or not_government),
        "bureau_government": bureau.government if (bureau := rules.vocabulary.bureau) else "本级人民政府",
        "gains_text": f"违法所得 {gains} 元" + (f"，依法应当退赔 {restitution} 元，应没收 {to_take} 元" if v.restitution else ""),
        "confiscation_diff": number(gains_taken - to_confiscate),
        "fine_band": "none",
        "band_allows_tier": True,
        "fine_upper_half": False,
        "range_text": "",
        "band_range": "",
        "tier_range": "",
    }
    facts |= unset
    for s in d.sanctions:
        facts[imposed_fact[s.kind]] = True
    for r in d.referrals:
        if r.proposal in referral_fact:
            facts[referral_fact[r.proposal]] = True

    fine_range = choice.version.fine_range() if choice.version else None
    disc = rules.discretion.get(provision_id)
    imposed_fine = facts["imposed_fine"]
    if fine_range and imposed_fine:
        facts["fine_upper_half"] = fine * 2 > fine_range[0] + fine_range[1]
        facts["range_text"] = f"{number(fine_range[0])}–{number(fine_range[1])} 元"
    if fine_range and imposed_fine and disc:
        bands = split_points(*fine_range, disc)
        band = band_of(fine, *fine_range, bands)
        facts["fine_band"] = band
        facts["band_allows_tier"] = band in disc.allowed.get(d.tier, [band])
        if band in bands:
            lo, hi = bands[band]
            facts["band_range"] = f"{lo}–{hi} 元"
        if d.tier in bands:
            lo, hi = bands[d.tier]
            facts["tier_range"] = f"{lo}–{hi} 元"
    return facts


def _quoted(names: list[str]) -> str:
    return "、".join(f"「{n}」" for n in names) or "（无）"


def _items_text(rules: Any, items: list[str]) -> str:
    return "、".join(f"{i}（{rules.catalog[i].table}：{rules.catalog[i].name}）" if i in rules.catalog else i for i in items)


_KIND_WORDS = {"inspection": "行政检查", "filing": "备案"}


def individual_facts(rules: Any, item: str, person_type: str, prefix: str) -> dict[str, bool]:
    """Whether an individual (party.type / target.type / applicant.type) can hold the subject the item's
    provision names: ``{prefix}_individual_excluded`` when every role it names is one only an organization
    holds (a 公民 is no 企业 or 机构: an exclusive status), ``{prefix}_individual_uncertain`` when a 单位 is
    among them (rules/subjects.yaml ``holder``). Never for an item whose provision names no subject."""
    named = per_rules(rules, ("holders", item), lambda r: _holders(r, item))
    individual = person_type == "individual" and bool(named) and "any" not in named
    return {
        f"{prefix}_individual_excluded": individual and named == {"organization"},
        f"{prefix}_individual_uncertain": individual and "unit" in named,
    }


def _holders(rules: Any, item: str) -> frozenset[str]:
    """Who can hold the roles the item's provision names (``any`` when it names none or covers others too)."""
    from quanze.engine.law.subjects import item_subjects, subject_rules

    spec = item_subjects(rules, item)
    holders = {r.id: r.holder for r in subject_rules(rules).roles}
    return frozenset({holders.get(r.role, "any") for r in spec.roles} if spec and spec.others != "covered" else {"any"})


def _role_texts(rules: Any, item: str) -> tuple[str, str]:
    """The roles the item's provision names, quoted, and their words in the law (the same for every draft of the item)."""
    from quanze.engine.law.subjects import item_subjects, role_name

    spec = item_subjects(rules, item)
    expected = [role_name(rules, r.role) for r in spec.roles] if spec else []
    words = "；".join(dict.fromkeys(f"“{r.words}”" for r in spec.roles)) if spec else ""
    return _quoted(expected), words or "（未列出）"


def role_facts(rules: Any, item: str, written: str | None, prefix: str) -> dict[str, Any]:
    """Whether the item's provision covers a role a draft writes, and the texts its messages quote.

    ``prefix`` is ``subject`` (party.role), ``target_role`` (target.role) or ``applicant_role`` (applicant.role). Measured from
    rules/subjects.yaml (engine/law/subjects.py); the rules decide what a mismatch means. Without a role written (most
    drafts) the facts are those of the item, made once per rule set.
    """
    if not written:
        return dict(per_rules(rules, ("role_facts", item, prefix), lambda r: _role_facts(r, item, None, prefix)))
    return _role_facts(rules, item, written, prefix)


def _role_facts(rules: Any, item: str, written: str | None, prefix: str) -> dict[str, Any]:
    from quanze.engine.law.subjects import find_role, items_for_role, role_coverage

    expected, words = per_rules(rules, ("role_texts", item), lambda r: _role_texts(r, item))
    role = find_role(rules, written) if written else None
    coverage = role_coverage(rules, item, role.id) if role else "covered"
    # a record points to records of its kind; a penalty to penalty items and inspections ("是否应适用 JC-03")
    kind = {"target_role": ("inspection",), "applicant_role": ("filing",)}.get(prefix, ("penalty", "inspection"))
    elsewhere = items_for_role(rules, role.id, item, kind) if role and coverage != "covered" else []
    return {
        f"{prefix}_covered": coverage != "error",
        f"{prefix}_uncertain": coverage == "uncertain",
        f"{prefix}_outside": coverage == "error",  # written and not covered; False when left out (never unknown)
        f"{prefix}_written": role.name if role else "",
        f"{prefix}_expected": expected,
        f"{prefix}_words": words,
        f"{prefix}_elsewhere": f"本局权责清单中以「{role.name}」为对象的事项：{_items_text(rules, elsewhere)}，是否应适用？"
        if role and elsewhere
        else f"本局权责清单中没有以此身份为对象的其他{_KIND_WORDS.get(kind[0], '') if len(kind) == 1 else ''}事项。",
    }


def decided_facts(draft: PenaltyDraft) -> dict[str, bool]:
    """Whether the decision imposes anything: a sanction, an order (责令…, not a 行政处罚) or a referral."""
    return {"anything_decided": bool(draft.decision.sanctions or draft.decision.referrals)}


def _conduct_texts(rules: Any, item: str) -> tuple[str, str]:
    """The conducts the item's provision names, quoted, and their words in the law (the same for every draft of the item)."""
    from quanze.engine.law.subjects import item_subjects

    spec = item_subjects(rules, item)
    listed = [c.text for c in spec.conducts] if spec else []
    return _quoted(listed), "；".join(f"“{c.words}”" for c in spec.conducts) if spec else "（未列出）"


def conduct_facts(rules: Any, item: str, written: str | None) -> dict[str, Any]:
    """Whether the item's provision covers the conduct a penalty draft writes, and the texts its messages quote (without
    a conduct written, most drafts: those of the item, made once per rule set)."""
    if not written:
        return dict(per_rules(rules, ("conduct_facts", item), lambda r: _conduct_facts(r, item, None)))
    return _conduct_facts(rules, item, written)


def _conduct_facts(rules: Any, item: str, written: str | None) -> dict[str, Any]:
    from quanze.engine.law.subjects import find_conduct

    expected, words = per_rules(rules, ("conduct_texts", item), lambda r: _conduct_texts(r, item))
    hits = find_conduct(rules, written) if written else []
    own = [h for h in hits if h.item == item]
    others = list(dict.fromkeys(h.item for h in hits if h.item != item))
    kinds = {h.item: "违法行为" if h.conduct else "检查事项" for h in hits}
    pointer = "；".join(f"「{hits[0].text}」是 {_items_text(rules, [i])}的{kinds[i]}" for i in others)
    return {
        "conduct_covered": bool(own) or not hits,
        "conduct_written": hits[0].text if hits else "",
        "conduct_expected": expected,
        "conduct_words": words,
        "conduct_elsewhere": f"{pointer}，是否应适用 {'、'.join(others)}？" if others else "",
    }


def ground_facts(rules: Any, made_out: set[str], unknown: set[str]) -> dict[str, bool]:
    """Facts of the 不予处罚 grounds: one per ground (an unknown ground counts: no error rests on it) and whether it
    could not be judged (so no text says the facts fit it), any, any mandatory and any mandatory actually made out
    (for the recommended tier). Those of no ground made out nor unknown, most drafts', are made once per rules."""
    if made_out or unknown:
        return _ground_facts(rules, made_out, unknown)
    return dict(per_rules(rules, "no_ground_facts", lambda r: _ground_facts(r, set(), set())))


def _ground_facts(rules: Any, made_out: set[str], unknown: set[str]) -> dict[str, bool]:
    grounds = rules.vocabulary.no_penalty_grounds
    holding = made_out | unknown
    facts = {f"ground_{g.key}": g.key in holding for g in grounds}
    facts |= {f"ground_{g.key}_unknown": g.key in unknown and g.key not in made_out for g in grounds}
    facts["no_penalty_ground_holds"] = any(g.key in holding for g in grounds)
    facts["mandatory_no_penalty_ground_holds"] = any(g.key in holding for g in grounds if g.mandatory)
    facts["mandatory_no_penalty_ground_made_out"] = any(g.key in made_out for g in grounds if g.mandatory)
    return facts


Line = str | Callable[[], str]  # a line of the derived facts, or what words it when the explanation is read


def worded(derived: dict[str, list[Line]]) -> dict[str, list[str]]:
    """The derived facts with every line still to be worded (``Line``) worded, in place: only an explanation reads
    them (a review never does), so the words are made when it is built (engine/check/checker.py ``add_trace``)."""
    for lines in derived.values():
        for i, line in enumerate(lines):
            if not isinstance(line, str):
                lines[i] = line()
    return derived  # type: ignore[return-value]


def workday_counter(cal: WorkCalendar, derived: dict[str, list[Line]]):
    """A function counting working days in (start, end] (-1 when a date is missing), noting each count in words
    (unless ``noted`` is false: a count to or from an open case's stand-in decision day says nothing of the case);
    the words, with the days skipped, are made when an explanation asks for them (``worded``)."""

    def count(label: str, start: dt.date | None, end: dt.date | None, noted: bool = True) -> int:
        if start is None or end is None:
            return -1
        n = cal.count(start, end)  # a Workdays: its .high differs where the 调休 arrangement is unknown
        n.label = label
        lines = derived.setdefault("工作日计算", [])
        if noted:
            lines.append(lambda: _count_line(cal, label, start, end, n))
        return n

    return count


def _run_before(count: Any, start: dt.date | None, day: dt.date | None) -> int:
    """Working days after ``start`` wholly run before ``day`` begins (-1 when a date is missing): on a working day one
    fewer than the count to it, on a day off the same. A step on the day off after the last working day of a period
    is after that day (the period holds no day off, 第八十五条) but before the next working day: the readings differ."""
    if start is None or day is None:
        return -1
    return count("", start, day - _ONE, False) if day > start else 0


def _count_line(cal: WorkCalendar, label: str, start: dt.date, end: dt.date, n: Workdays) -> str:
    """A working-day count in words, with the days it skipped (the calendar's years are those the count read)."""
    skipped = cal.skipped_days(start, end)
    return f"{label}：{start} → {end} = {n} 个工作日" + (f"，跳过 {days_text(skipped)}" if skipped else "")


def rest_days_before(cal: WorkCalendar, day: dt.date, limit: int = 31, certain: bool = False) -> int:
    """How many days immediately before ``day`` are (or, where the 调休 arrangement is unknown, may be) days
    off in a row; ``certain``: only the days certainly off.

    A calendar-day period whose last day falls in that run ends on the first working day after it
    (民事诉讼法 第八十五条), so a step taken on ``day`` is in time for such a period.
    """
    return cal.rest_before(day, limit, certain)


def _period(days: int, rest_most: int, rest_fewest: int) -> Workdays:
    """A calendar-day count less the days off just before its end (民事诉讼法 第八十五条): a range where the
    days off depend on an unknown 调休 arrangement (the fewest days with every such day off)."""
    n = Workdays(days - rest_most, days - rest_fewest)
    n.label, n.unit = "自立案之日起的日数（期间届满日遇休息日顺延后）", "日"
    return n


def heavier_terms(decided: list[Any], proposed: list[Any]) -> list[str]:
    """Sanctions of the decision heavier than the notice's of the same kind: an amount other than 罚款
    (罚款 has its own fact) or a term (duration_days) larger than the one proposed."""
    out = []
    for kind in dict.fromkeys(s.kind for s in decided):
        told = [s for s in proposed if s.kind == kind]
        if not told:
            continue  # a kind the notice did not propose: n_kinds_not_in_notice
        amounts = [s.amount for s in told if s.amount is not None] if kind != "罚款" else None
        if amounts:
            given = amount_of(decided, kind)
            if given > sum(amounts, Decimal(0)):
                out.append(f"{kind} {number(given)} 元（告知 {number(sum(amounts, Decimal(0)))} 元）")
        terms = [s.duration_days for s in told if s.duration_days is not None]
        if terms:  # most notices give no term
            longest = max((s.duration_days or 0 for s in decided if s.kind == kind), default=0)
            if longest > max(terms):
                out.append(f"{kind} {longest} 日（告知 {max(terms)} 日）")
    return out


_CAPS = "xzcf.extension_caps."


def extension_caps(rules: Any, compiled: Any) -> dict[str, int]:
    """The rules allowing the decision limit to be extended, each with its cap in days, among a compiled ruleset's params
    (rules/params/xzcf.yaml ``extension_caps``): made once per compiled ruleset (read only)."""
    return per_rules(rules, ("extension_caps", compiled.name), lambda r: caps_in(compiled.params))


def caps_in(params: dict[str, Any]) -> dict[str, int]:
    """The extension caps (rule name -> days) among a set of params (rules/params/xzcf.yaml ``extension_caps``)."""
    return {k[len(_CAPS) :]: v for k, v in params.items() if k.startswith(_CAPS) and isinstance(v, int)}


def extension_cap(basis: str, caps: dict[str, int]) -> int:
    """The cap in days of the rule an extension cites (a key of the caps contained in its basis), or -1."""
    found = [days for name, days in caps.items() if name and name in basis]
    return min(found) if found else -1


def procedure_facts(
    draft: PenaltyDraft, rules: Any, cal: WorkCalendar, extension_caps: dict[str, int] | None = None, decision_made: bool = True
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Facts of the procedure steps (day counts in working days where 第八十五条 says so).

    Returns the facts and, for explanations, the day counts in words with the days skipped.
    A count that does not apply is -1. ``extension_caps`` maps the rules that allow extending the
    decision limit (rules/params/xzcf.yaml ``extension_caps``) to their cap in days. ``decision_made`` false (an open
    case, judged on a stand-in decision day): the counts to and from that day are not noted in words.
    """
    p, d = draft.procedure, draft.decision
    vocab = sanction_kinds(rules)
    decided = d.decided_on
    officers = distinct_officers(p.officers)  # the same officer listed twice is one officer (第四十二条: 不得少于两人)
    derived: dict[str, list[str]] = {}

    count = workday_counter(cal, derived)

    notice = p.notice if p.notice and p.notice.served_on <= decided else None
    fine = amount_of(d.sanctions, "罚款")
    proposed_fine = amount_of(notice.proposed, "罚款") if notice else Decimal(0)
    proposed_kinds = {s.kind for s in notice.proposed} if notice else set()
    new_kinds = [s.kind for s in d.sanctions if vocab[s.kind].penalty and s.kind not in proposed_kinds]
    heavier = heavier_terms(d.sanctions, notice.proposed) if notice else []
    fine_heavier = []
    if notice and "罚款" in proposed_kinds and fine > proposed_fine:
        fine_heavier.append(f"罚款 {number(fine)} 元（告知 {number(proposed_fine)} 元）")
    h = p.hearing
    requested = bool(h and h.requested_on)
    held = bool(h and h.held_on and h.held_on <= decided)
    flags = set(d.case_flags)
    days_filed = (decided - p.filed_on).days if p.filed_on else -1
    ext = p.extension if p.extension and p.extension.approved_on <= decided else None
    extension = ext.days if ext else 0
    cap = extension_cap(ext.basis, extension_caps or {}) if ext else -1
    counted = min(extension, cap) if cap >= 0 else extension
    rest = rest_days_before(cal, decided) if p.filed_on else 0
    period: int = _period(days_filed, rest, rest_days_before(cal, decided, certain=True)) if p.filed_on else -1
    approval_period, approval_rest = -1, 0
    if ext and p.filed_on:
        approval_rest = rest_days_before(cal, ext.approved_on)
        approval_period = _period((ext.approved_on - p.filed_on).days, approval_rest, rest_days_before(cal, ext.approved_on, certain=True))
    if p.filed_on:
        lines = derived.setdefault("自然日计算", [])
        lines.append(f"立案 {p.filed_on} → 决定 {decided} = {days_filed} 日")
        if rest:
            lines.append(
                f"决定日前连续 {rest} 日为休息日：期限最后一日落在其中的，"
                f"顺延至其后第一个工作日（民事诉讼法 第八十五条），按第 {period} 日计"
            )
        if ext:
            approved = f"立案后第 {(ext.approved_on - p.filed_on).days} 日" + (
                f"，顺延后按第 {approval_period} 日计" if approval_rest else ""
            )
            limit = f"该依据的上限 {cap} 日" if cap >= 0 else "规则未编码该依据允许延长的上限，上限无法核实"
            lines.append(f"延长 {ext.days} 日，{ext.approved_on} 批准（{approved}），依据「{ext.basis or '未写明'}」：{limit}")
    facts = {
        "n_officers": len(officers),
        "n_uncertified": sum(1 for o in officers if not identity(o.certificate)),
        "filed": p.filed_on is not None and p.filed_on <= decided,
        "notice_served": notice is not None,
        "notice_before_filing": bool(notice and p.filed_on and p.filed_on <= decided and notice.served_on < p.filed_on),
        "notice_on": notice.served_on.isoformat() if notice else "",
        "filed_day": p.filed_on.isoformat() if p.filed_on else "",
        "notice_rights_statement": bool(notice and "陈述" in notice.rights),
        "notice_rights_defence": bool(notice and "申辩" in notice.rights),
        "notice_rights_hearing": bool(notice and "听证" in notice.rights),
        "notice_to_decision_workdays": count("告知送达至决定", notice.served_on if notice else None, decided, decision_made),
        "notice_to_decision_eve_workdays": _run_before(count, notice.served_on if notice else None, decided),
        "notice_to_decision_days": (decided - notice.served_on).days if notice else -1,
        "statement_made": p.statement_made,
        "statement_waived": p.statement_waived,
        "fine_increase": number(fine - proposed_fine) if notice else 0,
        "n_kinds_not_in_notice": len(new_kinds) if notice else 0,
        "new_kinds": "、".join(new_kinds) or "无",
        "n_terms_heavier": len(heavier),
        # every heavier amount or term in words, the 罚款 first (its increase is fine_increase)
        "terms_heavier": "；".join(fine_heavier + heavier) or "无",
        "proposed_fine": number(proposed_fine),
        "hearing_requested": requested,
        "hearing_request_workdays": count("告知送达至申请听证", notice.served_on if notice else None, h.requested_on if h else None),
        "hearing_request_eve_workdays": _run_before(count, notice.served_on if notice else None, h.requested_on if h else None),
        "hearing_waived": bool(h and h.waived),
        "hearing_held": held,
        "hearing_notified": bool(h and h.notified_on),
        "hearing_notice_workdays": count("听证通知至举行", h.notified_on if h else None, h.held_on if h else None),
        "legal_review_done": bool(p.legal_review and p.legal_review.passed and p.legal_review.on <= decided),
        "collective_done": bool(p.collective_discussion and p.collective_discussion.on <= decided),
        "flag_public_interest": "涉及重大公共利益" in flags,
        "flag_complex_difficult": "疑难复杂" in flags,
        "flag_multi_legal": "涉及多个法律关系" in flags,
        "flag_complicated": "情节复杂" in flags,
        "flag_major": "重大违法行为" in flags,
        "days_filed_to_decision": days_filed,
        "extension_days": extension,
        "days_filed_to_decision_net": days_filed - extension if p.filed_on else -1,
        "rest_days_before_decision": rest,
        "decision_period_days": period,
        "decision_period_days_net": _period(period.high - counted, period.high - int(period), 0) if p.filed_on else -1,
        "extension_given": ext is not None,
        "extension_basis_named": bool(ext and ext.basis.strip()),
        "extension_basis": (ext.basis.strip() if ext else "") or "未写明",
        "extension_approved_on": ext.approved_on.isoformat() if ext else "",
        "extension_cap_days": cap,
        "extension_counted_days": counted,
        "extension_approval_period_days": approval_period,
        "decision_to_service_workdays": count("决定至送达", decided, p.served_on, decision_made),
        "decision_to_service_days": (p.served_on - decided).days if p.served_on else -1,
        "decision_to_service_eve_workdays": _run_before(count, decided, p.served_on),
        "served_on_day": p.served_on.isoformat() if p.served_on else "",
    }
    facts |= execution_facts(draft, count)
    review = p.legal_review if facts["legal_review_done"] else None
    collective = p.collective_discussion if facts["collective_done"] else None
    hearing_day = h.held_on if held and h else None
    facts |= {
        "legal_review_before_hearing": bool(review and hearing_day and review.on < hearing_day),
        "collective_before_hearing": bool(collective and hearing_day and collective.on < hearing_day),
        "legal_review_after_collective": bool(review and collective and review.on > collective.on),
        "legal_review_on": review.on.isoformat() if review else "",
        "collective_on": collective.on.isoformat() if collective else "",
        "hearing_on": hearing_day.isoformat() if hearing_day else "",
    }
    return facts, derived


def execution_facts(draft: PenaltyDraft, count: Any) -> dict[str, Any]:
    """Facts of 履行与执行 (issue 26 §2): the court application against the 催告 before it, the 加处罚款."""
    ex = draft.execution
    court = ex.court_applied_on if ex else None
    demanded = ex.demanded_on if ex else None
    before = bool(court and demanded and demanded <= court)
    surcharge = ex.surcharge if ex and ex.surcharge is not None else Decimal(0)
    return {
        "court_applied": court is not None,
        "demanded_before_court": before,
        "demand_to_court_workdays": count("催告书送达至申请法院强制执行", demanded, court) if before else -1,
        "demand_to_court_eve_workdays": _run_before(count, demanded, court) if before else -1,
        "surcharge_amount": number(surcharge),
        "surcharge_excess": number(surcharge - amount_of(draft.decision.sanctions, "罚款")) if surcharge else 0,
        "court_applied_day": court.isoformat() if court else "",
        "demanded_day": demanded.isoformat() if demanded else "",
    }


def unknown_facts(sections: list[str]) -> dict[str, str]:
    """Fact name -> the unfilled section it comes from ("procedure" = the whole section left out)."""
    out: dict[str, str] = {}
    for section in sections:
        for key, names in SECTION_FACTS.items():
            if section == "procedure" or key == section:
                for name in names:
                    out.setdefault(name, section)
    return out


def step_days(draft: PenaltyDraft) -> dict[str, dt.date | None]:
    """The day each procedure step was taken (None when the draft does not record it)."""
    p = draft.procedure
    hearing = p.hearing.notified_on or p.hearing.held_on if p.hearing else None
    return {
        "decision": draft.decision.decided_on,
        "filed": p.filed_on,
        "notice": p.notice.served_on if p.notice else None,
        "hearing": hearing,
        "served": p.served_on,
    }


def _days(start: dt.date | None, end: dt.date | None) -> int:
    return (end - start).days if start and end else -1


def filing_facts(draft: Any, rules: Any, basis_in_force: bool, cal: WorkCalendar) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Facts of a 备案 decision: dates in calendar and working days, fees, publication, item facts."""
    dates, dec = draft.dates, draft.decision
    derived: dict[str, list[str]] = {}

    count = workday_counter(cal, derived)

    obligation_days = _days(dates.obligation_from, dates.submitted_on)
    obligation_period: int = -1
    if obligation_days >= 0:
        # the applicant's calendar-day period ends as the bureau's does (民事诉讼法 第八十五条): a last day off rolls over
        rest = rest_days_before(cal, dates.submitted_on)
        obligation_period = _period(obligation_days, rest, rest_days_before(cal, dates.submitted_on, certain=True))
        obligation_period.label = "义务发生至提交的日数（期间届满日遇休息日顺延后）"
        derived.setdefault("自然日计算", []).append(
            f"义务发生 {dates.obligation_from} → 提交 {dates.submitted_on} = {obligation_days} 日"
            + (f"；提交日前连续 {rest} 日为休息日，期间届满日落在其中的顺延（民事诉讼法 第八十五条），按第 {obligation_period} 日计" if rest else "")  # noqa: E501
        )
    accept_to_decision = count("受理至办结", dates.accepted_on, dates.decided_on)
    facts: dict[str, Any] = {
        "outcome": dec.outcome,
        "decided": dates.decided_on is not None,
        "materials_complete": draft.materials_complete,
        "applicant_type": draft.applicant.type,
        "applicant_category": draft.applicant.category or "",
        "fee_charged": number(dec.fee_charged),
        "submit_to_decision_workdays": count("提交至办结", dates.submitted_on, dates.decided_on),
        "accept_to_decision_workdays": accept_to_decision,
        "extension_notified": bool(
            dec.extension_notified_on and (dates.decided_on is None or dec.extension_notified_on <= dates.decided_on)
        ),
        "submit_to_supplement_workdays": count("提交至一次性告知补正", dates.submitted_on, dates.supplement_notified_on),
        "accept_to_extension_notice_workdays": count("受理至书面通知延期", dates.accepted_on, dec.extension_notified_on),
        "accept_to_extension_approval_workdays": count("受理至批准延期", dates.accepted_on, dec.extension_approved_on),
        "registration_no_given": bool(dec.registration_no),
        "published": dec.published_on is not None,
        "obligation_to_submit_days": obligation_days,
        "obligation_period_days": obligation_period,
        "obligation_to_submit_workdays": count("义务发生至提交", dates.obligation_from, dates.submitted_on),
        "basis_in_force": basis_in_force,
    }
    filing = rules.filings.get(draft.item)
    for name, spec in filing.facts.items() if filing else []:
        value = draft.facts.get(name, spec.default)
        facts[name] = number(value) if spec.type == "number" else value
    return facts, derived


# A matter written differently from a listed one, yet this close to it (difflib ratio of the normalised
# texts, or one containing the other), is at most a warning naming the closest matter — never
# 擅自扩大检查范围. Judgement call: 0.6 is difflib's own default cutoff for "close".
MATTER_NEAR_RATIO = 0.6
_MATTER_MARKS = re.compile(r"[\s《》〈〉<>“”‘’\"'「」『』【】\[\]()（）、，,。.；;：:·•!！?？]+")


def matter_key(text: str) -> str:
    """An inspection matter without the marks that do not change it (《》, quotes, spaces; NFKC first)."""
    return _MATTER_MARKS.sub("", unicodedata.normalize("NFKC", text))


def inspection_facts(draft: Any, rules: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Facts of an inspection record: who, how chosen, what was inspected and done, what followed."""
    import difflib

    spec = rules.inspections[draft.item]
    inspectors = distinct_officers(draft.inspectors)
    listed, keys, posts = per_rules(rules, ("inspection", draft.item), lambda r: _inspection_tables(r, draft.item))
    outside, near, described, near_text = [], [], [], []
    for m in draft.matters:
        key = matter_key(m)
        if key in keys:
            continue
        ratios = sorted(((difflib.SequenceMatcher(None, key, k).ratio(), k) for k in keys), reverse=True)
        ratio, closest = ratios[0] if ratios else (0.0, "")
        is_near = bool(closest) and (ratio >= MATTER_NEAR_RATIO or (bool(key) and (key in closest or closest in key)))
        (near if is_near else outside).append(m)
        text = f"「{m}」（最接近的法定事项：「{keys[closest]}」）" if closest else f"「{m}」"
        (near_text if is_near else described).append(text)
    facts: dict[str, Any] = {
        "basis": draft.basis,
        "random_targets": draft.random_selection.targets,
        "random_inspectors": draft.random_selection.inspectors,
        "random_required": draft.basis in spec.random_required_for,
        "publish_required": draft.basis in spec.publish_results_for,
        "annual_plan": draft.annual_plan,
        "n_inspectors": len(inspectors),
        "n_uncertified": sum(1 for o in inspectors if not identity(o.certificate)),
        "n_matters_outside": len(outside),
        "matters_outside": "、".join(described),
        "n_matters_near": len(near),
        "matters_near": "、".join(near_text),
        "violations_found": draft.violations_found,
        "followed_up": draft.follow_up is not None,
        "results_published": draft.results_published_on is not None,
    }
    given = all_approvals(draft)
    used, performed, others, people = set(draft.measures), draft.performed_on, rules.vocabulary.other_titles, draft.people
    for name, role, used_fact, approver_fact, approval_fact in posts:
        facts[used_fact] = name in used
        # every approval given on or before the day counts (a 分管副局长's signature, then the 主要负责人's)
        state, by = approval_state([a.approved_by for a in given if a.measure == name and a.on <= performed], role, others, people)
        if state == "missing":  # approved only after the day: 第二款 says before; the same article defers to 行政强制法
            later = [a for a in given if a.measure == name and a.on > performed]
            if later and approval_state([a.approved_by for a in later], role, others, people)[0] == "approved":
                state, by = "after", "；".join(f"{a.approved_by}（{a.on}）" for a in later)
        facts[approver_fact] = by
        facts[approval_fact] = state
    facts["approvals_text"] = "；".join(f"{a.measure}由「{a.approved_by}」于 {a.on} 批准" for a in given) or "无"
    derived = {
        "检查事项": [f"法定事项：{'；'.join(listed)}"]
        + ([f"超出的事项：{facts['matters_outside']}"] if outside else [])
        + ([f"与法定事项写法不同、内容相近的事项：{facts['matters_near']}"] if near else [])
    }
    # worded when an explanation is read (``worded``): a review never reads them
    derived["检查措施"] = [partial(_measure_line, rules, spec, name) for name in draft.measures]
    return facts, derived


def _inspection_tables(rules: Any, item: str) -> tuple[list[str], dict[str, str], list[tuple[str, ApproverRole | None, str, str, str]]]:
    """What every record of an inspection item is compared with: its listed matters, each by its ``matter_key``,
    and each measure of rules/vocabulary.yaml with the post whose approval the item requires (None: none) and the
    names of its facts (used_, approver_, approval_)."""
    spec = rules.inspections[item]
    listed = [m.text for m in spec.matters]
    # compared as meaning, not punctuation: 《》, quotes, spaces, full/half-width marks do not count
    keys = {matter_key(t): t for t in listed}
    needed = {a.measure: a.approval_by for a in spec.measures if a.approval_by}
    roles = {r.role: r for r in rules.vocabulary.approver_roles}
    posts = []
    for m in rules.vocabulary.measures:
        post = needed.get(m.name)
        # a post rules/vocabulary.yaml does not describe is named by its own words
        role = roles.get(post) or (ApproverRole(role=post, titles=[post], source="approval_by") if post else None)
        posts.append((m.name, role, f"used_{m.key}", f"approver_{m.key}", f"approval_{m.key}"))
    return listed, keys, posts


def _measure_line(rules: Any, spec: Any, name: str) -> str:
    """A measure of an inspection record and what it rests on, in words."""
    sources = {a.measure: a.source for a in spec.measures}
    if name in sources:
        return f"{name}：依据 {zh(sources[name])}"
    record_only = next(m.record_only for m in rules.vocabulary.measures if m.name == name)
    return f"{name}：{'记录手段' if record_only else '依据未规定'}"


_CUT = re.compile(r"[（）()【】\[\]〔〕<>《》「」、，,；;：:/／|｜\s]+")


def _post_parts(text: str) -> list[str]:
    """The parts of an approved_by text (NFKC, cut at brackets and separators): 主要负责人（局长赵六） -> 主要负责人, 局长赵六."""
    return [p for p in _CUT.split(unicodedata.normalize("NFKC", text)) if p]


def approval_state(approved_by: list[str], role: Any, other_titles: list[str], people: Any) -> tuple[str, str]:
    """Whether the approvals name the post ``role`` requires: (approved | unverified | missing, who).

    A part of an approval naming one of the role's titles (without a ``not_with`` word), or the
    name of ``people.head``, names the post. A part naming another title names another post; so do the
    handler and reviewer of the draft's people (seed 追责对象 1 具体承办人, 2 内设机构负责人), and the approver
    only when ``people.head`` is written: 追责对象 3 is "单位法定代表人或分管领导", so the approver on file may be
    the 局长. An approval naming neither cannot be placed: unverified (a warning, never 追责 on a guess).
    """
    if role is None:  # the measure needs no approval
        return ("approved", approved_by[0] if approved_by else "")
    head = _squash(people.head)
    posts = ("handler", "reviewer", "approver") if head else ("handler", "reviewer")
    others = {_squash(getattr(people, f)) for f in posts} - {"", head}
    unplaced = ""
    for text in approved_by:
        parts = _post_parts(text)
        unsure = any(w in p for p in parts for w in role.unsure_with)  # 代理局长, 副局长（主持全面工作）: not decided
        if (not unsure and any(_names_title(p, role.titles, role.not_with) for p in parts)) or any(head and p == head for p in parts):
            return ("approved", role.role)
        placed = not unsure and any(any(t in p for t in other_titles) or p in others for p in parts)
        if not placed:
            unplaced = unplaced or text
    if unplaced:
        return ("unverified", unplaced)
    return ("missing", approved_by[0] if approved_by else "")


def _names_title(part: str, titles: list[str], not_with: list[str]) -> bool:
    return any(t in part for t in titles) and not any(w in part for w in not_with)


def _squash(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()) if text else ""


def complaint_facts(draft: Any, rules: Any, cal: WorkCalendar) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Facts of a complaint record: registration, transfer and notice, verification in working days."""
    derived: dict[str, list[str]] = {}
    verify = workday_counter(cal, derived)("收到至核查", draft.received_on, draft.verified_on)
    facts = {
        "registered": draft.registered,
        "transferred": draft.transferred_to is not None,
        "complainant_informed": draft.complainant_informed_on is not None,
        "complainant_anonymous": any(w in draft.complainant.name for w in rules.vocabulary.anonymous_words),
        "outcome": draft.outcome,
        "receive_to_verify_workdays": verify,
        "fee_charged": number(draft.fee_charged),
        "respondent_registered_here": draft.respondent.registered_here,
        "respondent_licensed": draft.respondent.licensed,
        "within_scope": draft.within_scope,
    }
    return facts, derived


def all_approvals(draft: Any) -> list[Approval]:
    """The approvals of an inspection record: ``approvals``, and each named prior approval of a 查封 or 扣押 written under
    ``coercive_measures`` (one given before a measure taken after the inspection day counts as given by that day)."""
    out = list(draft.approvals)
    for cm in draft.coercive_measures:
        a = cm.approval
        if a is None or not a.by or cm.kind not in ("查封", "扣押"):
            continue
        on = min(a.on, draft.performed_on) if a.on <= cm.taken_on else a.on
        out.append(Approval(measure=cm.kind, approved_by=a.by, on=on))
    return out
