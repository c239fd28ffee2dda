"""Which version of a provision applies: 从旧兼从轻 (行政处罚法 第三十七条) for substance.

The comparison of "lighter" is data (``rules/lighter.yaml``); this module only applies it and says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from quanze.engine.model.findings import Finding
from quanze.engine.model.schema import LighterPolicy, ProvisionVersion, Reserved, Vocabulary

Applies = Callable[[Reserved], bool]  # whether a reserved group's precondition can hold for this party


@dataclass(frozen=True)
class VersionChoice:
    """The version chosen (None: no version applies) and the reason, in Chinese."""

    index: int | None
    version: ProvisionVersion | None
    reason: str
    comparison: tuple[str, ...] = ()  # the two versions and each criterion, in words (for explain)
    crossing: tuple[int, int] | None = None  # (act-time, decision-time) indexes when they cross for this party
    outcome: str = "same"  # same | not_in_force | repealed | new_lighter | old_kept | crossing

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
    for i, v in enumerate(versions):
        if in_force_on(v, day):
            return i
    return None


_STATUS = {2: "应当", 1: "可以", 0: "无"}


def party_profile(
    version: ProvisionVersion, policy: LighterPolicy, vocabulary: Vocabulary, gains: bool, applies: Applies | None = None
) -> dict[str, int]:
    """How each 行政处罚 kind applies to this party under a version: 2 应当, 1 可以 (or 报请), 0 not at all.

    A kind reserved to 本级人民政府 counts as 可以 unless ``applies`` says its precondition fails on the facts.
    """
    penalties = {k.kind for k in vocabulary.sanctions if k.penalty}
    status: dict[str, int] = {}
    pen = version.penalty
    for s in pen.sanctions if pen else []:
        if s.kind not in penalties:
            continue
        level = 2 if s.required == "always" or (s.required == "when_gains" and gains) else 1 if s.required == "optional" else 0
        status[s.kind] = max(status.get(s.kind, 0), level)
    for group in pen.reserved if pen else []:
        if applies is not None and not applies(group):
            continue
        for kind in group.kinds:
            if kind in penalties:
                status[kind] = max(status.get(kind, 0), 1)
    if gains:
        for kind in policy.general_when_gains:  # 第二十八条第二款: kept whatever the provision lists
            status[kind] = 2
    return {k: v for k, v in status.items() if v}


@dataclass(frozen=True)
class Comparison:
    """The new version against the old one for this party: criteria where it is lighter, heavier, and all in words."""

    lighter: tuple[str, ...]
    heavier: tuple[str, ...]
    lines: tuple[str, ...]

    @property
    def crossing(self) -> bool:
        """Lighter on one criterion and heavier on another."""
        return bool(self.lighter and self.heavier)


def compare(
    new: ProvisionVersion,
    old: ProvisionVersion,
    policy: LighterPolicy,
    vocabulary: Vocabulary,
    gains: bool = False,
    applies: Applies | None = None,
) -> Comparison:
    """Compare two versions criterion by criterion, as they apply to this party."""
    a, b = party_profile(new, policy, vocabulary, gains, applies), party_profile(old, policy, vocabulary, gains, applies)
    fa, fb = new.fine_range(), old.fine_range()
    lighter: list[str] = []
    heavier: list[str] = []
    lines: list[str] = []

    def judge(name: str, n: int, o: int, shown: str) -> None:
        word = "较轻" if n < o else "较重" if n > o else "相同"
        (lighter if n < o else heavier if n > o else []).append(name)
        lines.append(f"{name}：新 {shown}，{word}")

    for criterion in policy.criteria:
        if criterion == "kinds":
            for kind in sorted(set(a) | set(b), key=lambda k: (-max(a.get(k, 0), b.get(k, 0)), k)):
                n, o = a.get(kind, 0), b.get(kind, 0)
                judge(kind, n, o, f"{_STATUS[n]}，旧 {_STATUS[o]}")
        elif fa and fb:
            i = 1 if criterion == "fine_max" else 0
            label = "罚款上限" if i else "罚款下限"
            judge(label, fa[i], fb[i], f"{fa[i]} 元，旧 {fb[i]} 元")
    return Comparison(tuple(lighter), tuple(heavier), tuple(lines))


def describe(version: ProvisionVersion, policy: LighterPolicy, vocabulary: Vocabulary, gains: bool, applies: Applies | None = None) -> str:
    """A version for this party in words: when in force, required and optional kinds, fine range."""
    prof = party_profile(version, policy, vocabulary, gains, applies)
    parts = [since(version)]
    for level in (2, 1):
        kinds = [k for k, v in prof.items() if v == level]
        if kinds:
            parts.append(f"{_STATUS[level]}：{'、'.join(kinds)}")
    fine = version.fine_range()
    if fine:
        parts.append(f"罚款 {fine[0]}–{fine[1]} 元")
    return "，".join(parts)


def since(v: ProvisionVersion) -> str:
    return f"自 {v.in_force_from} 起施行" if v.in_force_from else "施行日期不详"


def choose_version(
    versions: list[ProvisionVersion],
    act_end: dt.date,
    decided_on: dt.date,
    policy: LighterPolicy,
    vocabulary: Vocabulary,
    gains: bool = False,
    applies: Applies | None = None,
) -> VersionChoice:
    """Apply 第三十七条: the law at the act, unless the law at decision is lighter for this party or repeals it.

    Where the two cross (lighter on one criterion, heavier on another), the act-time version is returned
    with ``crossing`` set: the draft is then checked under both (``engine/check/checker.py``).
    """
    at_act = _version_on(versions, act_end)
    at_decision = _version_on(versions, decided_on)
    if at_act is None:
        dated = [v for v in versions if v.in_force_from]
        if dated and act_end < min(v.in_force_from for v in dated):  # type: ignore[type-var]
            first = min(v.in_force_from for v in dated)  # type: ignore[type-var]
            why = f"违法行为于 {act_end} 发生或终了时，该条文尚未施行（最早版本自 {first} 起施行），不溯及既往"
        else:
            why = f"违法行为于 {act_end} 发生或终了时，没有已编码的有效版本"
        return VersionChoice(None, None, why, outcome="not_in_force")
    old = versions[at_act]
    if at_decision is None:
        why = f"行为时适用的版本（{since(old)}）在决定日 {decided_on} 已不再施行，新规定不再处罚该行为（从旧兼从轻）"
        return VersionChoice(None, None, why, outcome="repealed")
    if at_decision == at_act:
        return VersionChoice(at_act, old, f"行为时（{act_end}）与决定时（{decided_on}）适用同一版本（{since(old)}）")
    new = versions[at_decision]
    cmp = compare(new, old, policy, vocabulary, gains, applies)
    said_old, said_new = describe(old, policy, vocabulary, gains, applies), describe(new, policy, vocabulary, gains, applies)
    both = f"行为时的版本（{said_old}）；决定时的版本（{said_new}）"
    lines = (both, *cmp.lines)
    if cmp.crossing:
        why = (
            f"{both}：对本案当事人轻重交叉（较轻：{'、'.join(cmp.lighter)}；较重：{'、'.join(cmp.heavier)}），"
            "按两种读法都成立的结论判断草稿（从旧兼从轻，行政处罚法 第三十七条）"
        )
        return VersionChoice(at_act, old, why, lines, (at_act, at_decision), "crossing")
    if cmp.lighter:
        why = f"决定时的版本（{since(new)}）对本案当事人处罚较轻（{'、'.join(cmp.lighter)}较轻，其余不重），依从旧兼从轻适用新规定"
        return VersionChoice(at_decision, new, why, lines, outcome="new_lighter")
    detail = f"{'、'.join(cmp.heavier)}较重" if cmp.heavier else "各项比较标准均相同"
    why = f"适用行为时的版本（{since(old)}）；决定时的版本（{since(new)}）对本案当事人不较轻（{detail}）"
    return VersionChoice(at_act, old, why, lines, outcome="old_kept")


# --- judging a draft under two crossing versions ---------------------------------------


def _heavier_than_old(finding: Finding, old: ProvisionVersion, policy: LighterPolicy, vocabulary: Vocabulary) -> bool:
    """Whether a finding under the act-time version shows the draft heavier than that version allows."""
    if finding.severity != "error" or finding.code not in policy.heavier_than_old:
        return False
    if finding.code != "SANCTION_NOT_PROVIDED":
        return True
    by_key = {k.key: k for k in vocabulary.sanctions}
    ranks = {k.kind: k.rank for k in vocabulary.sanctions}
    kind = by_key.get(finding.rule.partition("__")[2])
    pen = old.penalty
    provided = [s.kind for s in pen.sanctions] + [k for r in pen.reserved for k in r.kinds] if pen else []
    return kind is None or kind.rank > max((ranks.get(k, 0) for k in provided), default=0)


@dataclass(frozen=True)
class Readings:
    """The findings every reading agrees on, and the statement of both readings where they differ."""

    findings: list[Finding]
    differ: str | None  # the text of VERSION_READINGS_DIFFER, or None
    differ_text: str | None = None  # the same in the officer's words (the findings' ``text``)


def combine_readings(
    old: list[Finding],
    new: list[Finding],
    labels: tuple[str, str],
    old_version: ProvisionVersion,
    policy: LighterPolicy,
    vocabulary: Vocabulary,
    comparison: Comparison,
) -> Readings:
    """Combine the findings of a draft checked under the act-time (old) and decision-time (new) versions.

    Findings both give alike stand. Of the rest: an error where the draft is unlawful under the old
    version and also unlawful under the new one or heavier than the old allows; where the readings
    differ, no error but the text of a warning stating both.
    """
    key = {id(f): (f.rule, f.message) for f in old + new}
    new_keys = {key[id(f)] for f in new}
    old_keys = {key[id(f)] for f in old}
    common = [f for f in old if key[id(f)] in new_keys]
    only_old = [f for f in old if key[id(f)] not in new_keys]
    only_new = [f for f in new if key[id(f)] not in old_keys]
    err_old = [f for f in only_old if f.severity == "error"]
    err_new = [f for f in only_new if f.severity == "error"]
    tag_old, tag_new = (f"按{labels[0]}：", f"按{labels[1]}：")

    def tagged(f: Finding, tag: str) -> Finding:
        return f.model_copy(update={"message": tag + f.message, "text": tag + f.text})

    others = [tagged(f, tag_old) for f in only_old if f.severity != "error"]
    others += [tagged(f, tag_new) for f in only_new if f.severity != "error"]
    heavier = any(_heavier_than_old(f, old_version, policy, vocabulary) for f in err_old)
    if err_old and (err_new or heavier):
        new_by_rule = {f.rule: f for f in err_new}
        errors = []
        for f in err_old:
            twin = new_by_rule.pop(f.rule, None)
            msg = tag_old + f.message + (f"；{tag_new}{twin.message}" if twin else "")
            text = tag_old + f.text + (f"；{tag_new}{twin.text}" if twin else "")
            if not twin and heavier and not err_new:
                why = f"（{labels[1]}虽然允许，但新规定不得对当事人从重适用：从旧兼从轻，行政处罚法 第三十七条）"
                msg, text = msg + why, text + why
            errors.append(f.model_copy(update={"message": msg, "text": text}))
        errors += [tagged(f, tag_new) for f in new_by_rule.values()]
        return Readings(common + errors + others, None)
    if not err_old and not err_new:
        return Readings(common + others, None)

    def both(said_old: str, said_new: str) -> str:
        return (
            f"两个版本对本案当事人轻重交叉，草稿的合法性取决于采用哪种读法：{tag_old}{said_old}。{tag_new}{said_new}。"
            f"若以{'、'.join(comparison.lighter)}较轻认为新规定对当事人较轻，适用决定时的版本；"
            f"若以{'、'.join(comparison.heavier)}较重认为新规定不较轻（刑法 第十二条的审判实践先比较最重的处罚），适用行为时的版本。"
            "请法制审核在两种读法中作出判断并说明理由"
        )

    text = both("；".join(f.message for f in err_old) or "合法", "；".join(f.message for f in err_new) or "合法")
    officer = both("；".join(f.text for f in err_old) or "合法", "；".join(f.text for f in err_new) or "合法")
    return Readings(common + others, text, officer)
