"""Which version of a provision applies: 从旧兼从轻 (行政处罚法 第三十七条) for substance.

The comparison of "lighter" is data (``rules/lighter.yaml``); this module only applies it and says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from quanze.engine.schema import LighterPolicy, ProvisionVersion, Vocabulary


@dataclass(frozen=True)
class VersionChoice:
    """The version chosen (None: no version applies) and the reason, in Chinese."""

    index: int | None
    version: ProvisionVersion | None
    reason: str

    @property
    def in_force(self) -> bool:
        """True when a version applies."""
        return self.version is not None


def in_force_on(version: ProvisionVersion, day: dt.date) -> bool:
    """Whether a version is in force on a day (both bounds inclusive; unknown start = never)."""
    if version.in_force_from is None or day < version.in_force_from:
        return False
    return version.in_force_until is None or day <= version.in_force_until


def version_in_force(versions: list[ProvisionVersion], day: dt.date) -> tuple[int | None, bool]:
    """The version in force on a day and whether its dates are known.

    A version whose start is unknown (and has not ended by the day) stands in, with False, when no
    dated version covers the day; (None, True) when nothing does.
    """
    index = _version_on(versions, day)
    if index is not None:
        return index, True
    undated = next(
        (i for i, v in enumerate(versions) if v.in_force_from is None and (v.in_force_until is None or day <= v.in_force_until)),
        None,
    )
    return undated, undated is None


def _version_on(versions: list[ProvisionVersion], day: dt.date) -> int | None:
    return next((i for i, v in enumerate(versions) if in_force_on(v, day)), None)


def severity(version: ProvisionVersion, policy: LighterPolicy, vocabulary: Vocabulary) -> dict[str, int]:
    """The comparison values of a version, one per criterion named in the policy."""
    ranks = {k.kind: k.rank for k in vocabulary.sanctions}
    pen = version.penalty
    kinds = [s.kind for s in pen.sanctions] + [k for r in pen.reserved for k in r.kinds] if pen else []
    fine = version.fine()
    values = {
        "most_severe_kind": max((ranks.get(k, 0) for k in kinds), default=0),
        "fine_max": fine.max if fine and fine.max is not None else 0,
        "fine_min": fine.min if fine and fine.min is not None else 0,
        "kind_count": len(set(kinds)),
    }
    return {c: values[c] for c in policy.criteria}


_CRITERION_LABEL = {
    "most_severe_kind": "最重处罚种类",
    "fine_max": "罚款上限",
    "fine_min": "罚款下限",
    "kind_count": "处罚种类数",
}


def compare(new: ProvisionVersion, old: ProvisionVersion, policy: LighterPolicy, vocabulary: Vocabulary) -> tuple[int, str]:
    """-1 if new is lighter, 1 if heavier, 0 if equal; with the deciding criterion in words."""
    a, b = severity(new, policy, vocabulary), severity(old, policy, vocabulary)
    for criterion in policy.criteria:
        if a[criterion] != b[criterion]:
            sign = -1 if a[criterion] < b[criterion] else 1
            word = "较轻" if sign < 0 else "较重"
            return sign, f"{_CRITERION_LABEL[criterion]} {a[criterion]} 对 {b[criterion]}, 新规定{word}"
    return 0, "各项比较标准均相同, 新规定不较轻"


def _since(v: ProvisionVersion) -> str:
    return f"自 {v.in_force_from} 起施行" if v.in_force_from else "施行日期不详"


def choose_version(
    versions: list[ProvisionVersion], act_end: dt.date, decided_on: dt.date, policy: LighterPolicy, vocabulary: Vocabulary
) -> VersionChoice:
    """Apply 第三十七条: the law at the act, unless the law at decision is lighter or repeals it."""
    at_act = _version_on(versions, act_end)
    at_decision = _version_on(versions, decided_on)
    dated = [v for v in versions if v.in_force_from]
    if at_act is None:
        if dated and act_end < min(v.in_force_from for v in dated):  # type: ignore[type-var]
            first = min(v.in_force_from for v in dated)  # type: ignore[type-var]
            why = f"违法行为于 {act_end} 发生或终了时, 该条文尚未施行 (最早版本自 {first} 起施行), 不溯及既往"
        else:
            why = f"违法行为于 {act_end} 发生或终了时, 没有已编码的有效版本"
        return VersionChoice(None, None, why)
    old = versions[at_act]
    if at_decision is None:
        why = f"行为时适用的版本 ({_since(old)}) 在决定日 {decided_on} 已不再施行, 新规定不再处罚该行为 (从旧兼从轻)"
        return VersionChoice(None, None, why)
    if at_decision == at_act:
        return VersionChoice(at_act, old, f"行为时 ({act_end}) 与决定时 ({decided_on}) 适用同一版本 ({_since(old)})")
    new = versions[at_decision]
    sign, detail = compare(new, old, policy, vocabulary)
    if sign < 0:
        why = f"决定时的版本 ({_since(new)}) 处罚较轻 ({detail}), 依从旧兼从轻适用新规定"
        return VersionChoice(at_decision, new, why)
    why = f"适用行为时的版本 ({_since(old)}); 决定时的版本 ({_since(new)}) 不较轻 ({detail})"
    return VersionChoice(at_act, old, why)
