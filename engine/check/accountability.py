"""Who answers for a finding: the item's own 追责情形 numbers, the statute hook, the persons.

Which persons answer depends on what the finding concerns (``stage`` in rules/findings.yaml): the
content of the decision (attributed to the decision-makers when 集体讨论 decided it) or a step taken
before or after it (always the step's own attribution). rules/accountability.yaml names the rules.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from quanze.engine.model.drafts import identity
from quanze.engine.model.records import Accountability, Attribution, Person, Trigger
from quanze.engine.model.schema import FindingDef
from quanze.engine.model.text import zh

NOT_GIVEN = "未填写"  # a name the draft leaves out

_STAGE_WORDS = {"decision": "决定内容", "step": "办案步骤"}


class Deciders(NamedTuple):
    """What the draft says about who decided: its people, 集体讨论, a 法制审核 that passed (a tuple: made per draft, a
    frozen dataclass costs twice as much to make)."""

    people: Any  # drafts.People (handler, reviewer, approver)
    collective: bool = False
    legal_review_passed: bool = False


def rule_for(rules: Any, stage: str, deciders: Deciders, code: str = "") -> tuple[str, str]:
    """The attribution rule's name for a finding's stage (or its code), and why it applies, in words."""
    att = rules.accountability.attribution
    if code in att.codes:
        return att.codes[code], "该步骤的义务由作出决定的行政机关负责人承担（行政处罚法 第五十七条第二款）"
    if stage == "step":
        return att.step, "该结论涉及办案步骤，由作出该步骤的人员及应当发现的审核人、批准人承担（集体讨论不免除其责任）"
    if deciders.collective:
        return att.collective, "该结论涉及决定内容，且决定经集体讨论作出"
    return att.decision, "该结论涉及决定内容，决定未经集体讨论"


def persons_for(rule: Any, deciders: Deciders) -> list[Person]:
    """The persons a rule names, each person once (one officer in two roles is one entry)."""
    out: list[Person] = []
    by_name: dict[str, Person] = {}
    for p in rule.persons:
        if p.when == "legal_review_passed" and not deciders.legal_review_passed:
            continue
        name = getattr(deciders.people, p.role) or None
        key = identity(name)  # one person however the name is spaced or hides invisible characters
        if not key:
            name = None  # a name of only spaces or invisible characters is no name
        if name is not None and key in by_name:
            entry = by_name[key]
            entry.roles.append(p.role)
            entry.responsibility += f"；{p.responsibility}"
            continue
        entry = Person(
            role=p.role, roles=[p.role], name=name or NOT_GIVEN, name_given=name is not None, responsibility=p.responsibility
        )
        out.append(entry)
        if name is not None:
            by_name[key] = entry
    return out


def accountability(
    rules: Any, item: str, fdef: FindingDef, deciders: Deciders, defect: str | None = None, stage: str | None = None
) -> Accountability | None:
    """Accountability of an error finding (None for warnings and infos).

    ``defect`` and ``stage`` are the rule's own category and stage when they differ from the code's. What does not
    depend on the draft's people (the triggers, the statute, the attribution) is made once per rules and kept in
    ``rules.cache`` (its records are never changed once made); the persons are the draft's.
    """
    if fdef.severity != "error":
        return None
    key = ("accountability", item, fdef.code, defect, stage, deciders.collective)
    found = rules.cache.get(key)
    made_of = (fdef, rules.accountability, rules.catalog, rules.items)  # a RuleSet replaced with others shares the cache
    if found is None or any(a is not b for a, b in zip(found[0], made_of, strict=True)):
        found = rules.cache[key] = (made_of, _attributed(rules, item, fdef, deciders, defect, stage))
    triggers, statute, attribution, no_trigger = found[1]
    return Accountability(
        triggers=triggers,
        statute=statute,
        persons=persons_for(rules.accountability.attribution.rules[attribution.rule], deciders),
        attribution=attribution,
        no_trigger=no_trigger,
    )


def _attributed(
    rules: Any, item: str, fdef: FindingDef, deciders: Deciders, defect: str | None, stage: str | None
) -> tuple[list[Trigger], str | None, Attribution, str | None]:
    """The triggers, statute hook, attribution and no-trigger reason of an error finding: of the rules, the item, the
    finding and whether 集体讨论 decided (``rule_for``), not of the persons."""
    acc = rules.accountability
    published = {t.no: t.text for t in rules.catalog[item].triggers}
    mapping = acc.lists.get(item, {})
    category = defect or fdef.defect
    key = fdef.code if fdef.code in mapping and not defect else category
    numbers = mapping.get(key, [])
    triggers = [Trigger(list=item, no=n, text=published[n], officer_text=zh(published[n])) for n in numbers]
    if rules.items[item].kind == "penalty":
        statute = acc.hooks.get(category) if defect else acc.hooks.get(fdef.code, acc.hooks.get(category))
    else:
        statute = acc.own_hooks.get(item)  # never a 行政处罚法 hook for an inspection, filing or complaint
    concerns, marked = (stage, True) if stage else fdef.concerns
    name, why = rule_for(rules, concerns, deciders, fdef.code)
    if not marked:
        why += "（规则未标注该问题所属的环节，按追责类别推定）"
    rule = acc.attribution.rules[name]
    no_trigger = None if triggers else acc.unmatched.get(fdef.code, f"{item} 公布的追责情形中没有与该结论相符的一项")
    attribution = Attribution(rule=name, title=rule.title, source=rule.source, concerns=concerns, why=why)
    return triggers, statute, attribution, no_trigger
