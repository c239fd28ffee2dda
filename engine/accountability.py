"""Who answers for a finding: the item's own 追责情形 numbers, the statute hook, the persons."""

from __future__ import annotations

from typing import Any

from quanze.engine.schema import FindingDef


def accountability(
    rules: Any, item: str, fdef: FindingDef, people: Any, collective: bool, defect: str | None = None
) -> dict[str, Any] | None:
    """Accountability of an error finding (None for warnings and infos).

    ``defect`` is the rule's own accountability category when it differs from the code's.
    """
    if fdef.severity != "error":
        return None
    acc = rules.accountability
    published = {t.no: t.text for t in rules.catalog[item].triggers}
    mapping = acc.lists.get(item, {})
    category = defect or fdef.defect
    numbers = mapping.get(fdef.code, []) if not defect else []
    numbers = numbers or mapping.get(category, [])
    triggers = [{"list": item, "no": n, "text": published[n]} for n in numbers]
    attribution = acc.attribution
    rule_name = attribution.default
    if collective:
        rule_name = next((n for n, r in attribution.rules.items() if r.when_collective_discussion), rule_name)
    rule = attribution.rules[rule_name]
    persons = [{"role": p.role, "name": getattr(people, p.role), "responsibility": p.responsibility} for p in rule.persons]
    return {
        "triggers": triggers,
        "statute": acc.hooks.get(category) if defect else acc.hooks.get(fdef.code, acc.hooks.get(category)),
        "persons": persons,
        "attribution": {"rule": rule_name, "title": rule.title, "source": rule.source},
    }
