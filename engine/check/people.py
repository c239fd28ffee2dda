"""Facts of the people in a penalty case file (issue 27 §3): the hearing presider against the investigators,
回避 applications and their decisions, the 法制审核 reviewer's qualification, who sat in the 集体讨论.

Only measured here; rules/checks/people.yaml decides what they mean (docs/procedure.md "The people"). Two
people are the same person only by the same 执法证号 after ``drafts.identity`` (names repeat); the same name
without a number on one side is "maybe", never "certain". A field the draft does not record gives no fact
that any rule accuses on.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from quanze.engine.model.drafts import Officer, PenaltyDraft, identity

_NAMES = re.compile(r"[、，,；;/／\s]+|和|及")


def _has_number(text: str | None) -> bool:
    return any(c.isdigit() for c in identity(text))


def officer_text(o: Officer) -> str:
    """张三（执法证号 65010000123）, or 张三（未记载执法证号）."""
    return f"{o.name}（执法证号 {o.certificate}）" if o.certificate else f"{o.name}（未记载执法证号）"


def same_person(a: Officer, b: Officer) -> str:
    """``certain`` (the same 执法证号), ``maybe`` (the same name, a number missing on one side) or ``no``."""
    if _has_number(a.certificate) and _has_number(b.certificate):
        return "certain" if identity(a.certificate) == identity(b.certificate) else "no"
    return "maybe" if identity(a.name) and identity(a.name) == identity(b.name) else "no"


def presider_facts(draft: PenaltyDraft) -> dict[str, Any]:
    """Whether the recorded hearing presider is one of the case's officers (办案的执法人员 = 本案调查人员)."""
    h = draft.procedure.hearing
    presider = h.presider if h else None
    matches = [(o, same_person(presider, o)) for o in draft.procedure.officers] if presider else []
    certain = [o for o, how in matches if how == "certain"]
    maybe = [o for o, how in matches if how == "maybe"]
    return {
        "presider_recorded": presider is not None,
        "presider_is_investigator": bool(certain),
        "presider_maybe_investigator": bool(maybe) and not certain,
        "presider_text": officer_text(presider) if presider else "未记载",
        "presider_match": "、".join(officer_text(o) for o in certain or maybe) or "无",
    }


def _named_in(name: str, text: str | None) -> bool:
    return bool(text) and identity(name) in {identity(part) for part in _NAMES.split(unicodedata.normalize("NFKC", text or ""))}


def _decided(r: Any) -> str:
    return f"，{r.decided_on} 决定{r.outcome}" if r.decided_on else ""


def names_head(text: str | None, rules: Any) -> bool:
    """A post (or a 决定人 text) containing a word of rules/vocabulary.yaml ``head_titles``."""
    return bool(text) and any(t in unicodedata.normalize("NFKC", text or "") for t in rules.vocabulary.head_titles)


def below_head(text: str | None, draft: PenaltyDraft, rules: Any) -> bool:
    """A 决定人 placed below a 行政机关负责人: no head title, and either another post's title (科长, 股长 …:
    rules/vocabulary.yaml ``other_titles``) or the name of the draft's 具体承办人 or 内设机构负责人. A bare name the
    draft does not place is not below (unknown: no finding)."""
    if not text or names_head(text, rules):
        return False
    words = unicodedata.normalize("NFKC", text)
    lower = {identity(draft.people.handler), identity(draft.people.reviewer)} - {""}
    return any(t in words for t in rules.vocabulary.other_titles) or bool(lower & {identity(p) for p in _NAMES.split(words)})


def recusal_facts(draft: PenaltyDraft, rules: Any) -> dict[str, Any]:
    """The 回避 applications made before the decision: undecided, unrecorded, decided late, and a withdrawn officer
    named afterwards as obtaining evidence (``evidence[].obtained_by``, free text: a name, so "maybe")."""
    decided = draft.decision.decided_on
    rows = [r for r in draft.procedure.recusals if decided is None or r.requested_on <= decided]
    return _recusal_facts(draft, rules, decided, rows) if rows else dict(_NO_RECUSALS)


def _recusal_facts(draft: Any, rules: Any, decided: Any, rows: list[Any]) -> dict[str, Any]:
    """``recusal_facts`` of the applications ``rows`` made by the decision day ``decided`` (None: an open case)."""
    # made on the decision day itself: before or after the decision, the record's dates do not say (RECUSAL_UNCERTAIN)
    same_day = [r for r in rows if r.outcome == "未决定" and r.requested_on == decided]
    undecided = [r for r in rows if r.outcome == "未决定" and r.requested_on != decided]
    unrecorded = [r for r in rows if r.outcome is None]
    late = [r for r in rows if r.outcome in ("回避", "不予回避") and decided and r.decided_on and r.decided_on > decided]
    acting = []
    for r in rows:
        if r.outcome != "回避" or r.decided_on is None or (decided and r.decided_on > decided):
            continue
        later = [e for e in draft.evidence or [] if e.obtained_on and e.obtained_on > r.decided_on]
        after = [e for e in later if _named_in(r.officer.name, e.obtained_by)]
        if after:
            items = "、".join(f"「{e.title}」（{e.obtained_on}）" for e in after)
            acting.append(f"{r.officer.name}（{r.decided_on} 决定回避）：{items}")

    def listed(items: list[Any]) -> str:
        return "；".join(f"{officer_text(r.officer)}，{r.requested_on} 申请" + _decided(r) for r in items)

    by_non_head = [r for r in rows if r.outcome in ("回避", "不予回避") and below_head(r.decided_by, draft, rules)]
    return {
        "n_recusals_by_non_head": len(by_non_head),
        "recusals_by_non_head": "；".join(f"{officer_text(r.officer)}：由「{r.decided_by}」决定{r.outcome}" for r in by_non_head),
        "n_recusals_undecided": len(undecided) if decided else 0,
        "n_recusals_undecided_same_day": len(same_day) if decided else 0,
        "n_recusals_unrecorded": len(unrecorded) if decided else 0,
        "n_recusals_decided_late": len(late),
        "n_recused_still_acting": len(acting),
        "recusals_undecided": listed(undecided),
        "recusals_undecided_same_day": listed(same_day),
        "recusals_unrecorded": listed(unrecorded),
        "recusals_late": listed(late),
        "recused_acting": "；".join(acting),
    }


_NO_RECUSALS = _recusal_facts(None, None, None, [])  # the facts of a case without a 回避 application (most cases; copied)


def reviewer_facts(draft: PenaltyDraft) -> dict[str, Any]:
    """The 法制审核 reviewer as recorded: 初次从事 without 法律职业资格, or 初次从事 with the qualification not recorded."""
    review = draft.procedure.legal_review
    r = review.reviewer if review else None
    first = bool(r and r.first_time)
    qualified = bool(r and (r.qualified or r.qualification_no))
    text = "未记载"
    if r:
        held = (
            "已取得法律职业资格" + (f"（证书编号 {r.qualification_no}）" if r.qualification_no else "")
            if qualified
            else ("未取得法律职业资格" if r.qualified is False else "未记载是否取得法律职业资格")
        )
        text = f"{r.name}（{'初次从事法制审核' if first else '非初次从事' if r.first_time is False else '未记载是否初次从事'}，{held}）"
    return {
        "reviewer_unqualified": first and bool(r and r.qualified is False),
        "reviewer_qualification_unrecorded": first and not qualified and bool(r and r.qualified is None),
        "reviewer_text": text,
    }


def collective_facts(draft: PenaltyDraft, rules: Any) -> dict[str, Any]:
    """Who sat in the 集体讨论, and how many of them hold a post that names a 行政机关负责人 (rules/vocabulary.yaml
    ``head_titles``): a post is read from its words only, so "none" is a warning's ground, never an error's."""
    c = draft.procedure.collective_discussion
    members = list(c.members) if c else []
    heads = [m for m in members if names_head(m.post, rules)]
    return {
        "n_collective_members": len(members),
        "n_collective_heads": len(heads),
        "collective_members_text": "、".join(f"{m.name}（{m.post or '未记载职务'}）" for m in members) or "未记载",
    }


def people_facts(draft: PenaltyDraft, rules: Any) -> dict[str, Any]:
    """Every people fact of a penalty draft, with the texts its messages quote."""
    return {**presider_facts(draft), **recusal_facts(draft, rules), **reviewer_facts(draft), **collective_facts(draft, rules)}
