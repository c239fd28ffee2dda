"""The facts registry: every fact the engine derives for the rules — its name, type, Chinese label and the draft
fields it is read from — and the tables that derive from it.

``fact_types(kind, rules)`` is the catalogue of fact names and types per draft kind (``quanze rules validate``
checks every condition of ``rules/`` against it, engine/load/rulechecks.py); ``fact_label`` and ``fact_source``
word a fact for the trace and ``explain``; ``SUBJECT_FACTS``, ``EVIDENCE_FACTS`` and ``SECTION_FACTS`` say which
facts a part of the draft, when left out, leaves unknown. ``registry(kind, rules)`` joins them: one ``Fact`` each.
engine/check/facts.py only measures them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

EVIDENCE_FACT_TYPES: dict[str, type] = {
    "n_elements_unevidenced": int,  # required elements no counting evidence proves
    "n_decisive_unevidenced": int,  # relied-on facts and 情节 no counting evidence proves
    "n_evidence_excluded": int,  # rows marked 以非法手段取得
}
# the draft field whose absence makes them unknown (checker: not_checked, affects_verdict false)
EVIDENCE_FACTS: dict[str, tuple[str, ...]] = {"evidence": tuple(EVIDENCE_FACT_TYPES)}

PEOPLE_FACT_TYPES: dict[str, type] = {
    # 第六十四条第（四）项
    "presider_recorded": bool,
    "presider_is_investigator": bool,  # the presider's 执法证号 is an investigating officer's
    "presider_maybe_investigator": bool,  # the same name, a 执法证号 missing on one side
    # 第四十三条第二款、第三款
    "n_recusals_undecided": int,  # outcome 未决定 when the penalty was decided
    "n_recusals_unrecorded": int,  # no outcome recorded
    "n_recusals_decided_late": int,  # decided after the penalty decision
    "n_recused_still_acting": int,  # withdrawn, yet named as obtaining evidence afterwards
    "n_recusals_by_non_head": int,  # decided by someone whose post or name places them below a 负责人
    # 第五十八条第二款
    "reviewer_unqualified": bool,  # 初次从事 and 法律职业资格 recorded as not held
    "reviewer_qualification_unrecorded": bool,  # 初次从事, qualification not recorded
    # 第五十七条第二款
    "n_collective_members": int,
    "n_collective_heads": int,  # members whose post names a 行政机关负责人
}
PEOPLE_TEXTS = frozenset({"presider_text", "presider_match", "recusals_undecided", "recusals_unrecorded"}) | frozenset(
    {"recusals_late", "recused_acting", "recusals_by_non_head", "reviewer_text", "collective_members_text"}
)

# (fact stem, what the text lists): each fact is n_<stem> (int) beside the text <stem> its message quotes
MEASURE_STEMS = (
    "coercive_unapproved",
    "coercive_report_late",
    "coercive_report_uncertain",
    "coercive_officers_short",
    "coercive_steps_missing",
    "coercive_not_delivered",
    "coercive_period_exceeded",
    "coercive_period_uncertain",
    "coercive_extension_excessive",
    "coercive_approver_below",
    "coercive_approval_pending",
    "preservation_unapproved",
    "preservation_approved_after",
    "preservation_late",
    "preservation_uncertain",
)
MEASURE_FACT_TYPES: dict[str, type] = {f"n_{s}": int for s in MEASURE_STEMS}
MEASURE_TEXTS: frozenset[str] = frozenset(MEASURE_STEMS)

_PENALTY_FACTS: dict[str, type] = {
    # basis and time
    "basis_in_force": bool,
    "version_readings_differ": bool,  # 从旧兼从轻: two crossing versions judge the draft differently
    "years_act_to_discovery": int,
    "affects_life_health_or_finance": bool,
    # the party and the act
    "party_type": str,
    "prior_violations": int,
    "harm": str,
    "minor": bool,
    "corrected": bool,
    "no_fault_proven": bool,
    "suspected_crime": bool,
    "already_fined_for_same_act": bool,
    "serious": bool,
    "production_project": bool,
    "rectification_failed": bool,
    "rectification_impossible": bool,
    "rectification_ordered": bool,
    "party_age": int,
    "party_capacity": str,
    "facts_established": bool,
    "basis_rank": str,
    # subject and conduct (issue 17 §1; rules/subjects.yaml): unknown when the draft leaves them out
    "subject_covered": bool,
    "subject_uncertain": bool,
    "subject_individual_excluded": bool,
    "subject_individual_uncertain": bool,
    "conduct_covered": bool,
    "anything_decided": bool,  # any sanction, order (责令…) or referral in the decision
    "referral_wrong_level": bool,  # a referral reserved to 本级人民政府 sent to a body of another level
    "referral_not_government": bool,  # … sent to a body that is no 人民政府
    # discretion factors
    "n_mitigating": int,
    "n_aggravating": int,
    "n_reduction_grounds": int,
    "n_mandatory_mitigating": int,
    # the decision
    "tier": str,
    "procedure": str,
    "transferred_to_judiciary": bool,
    "penalty_imposed": bool,
    "no_penalty_ground": str,
    "fine_amount": float,
    "fine_band": str,
    "band_allows_tier": bool,
    "fine_upper_half": bool,  # the fine lies above the middle of the statutory range (no split makes it 从轻)
    "range_text": str,
    "illegal_gains": float,
    "confiscated_gains": float,
    "restitution": float,
    "gains_to_confiscate": float,
    "confiscation_diff": float,
    # procedure (行政处罚法 第五章)
    "n_officers": int,
    "n_uncertified": int,
    "filed": bool,
    "notice_served": bool,
    "notice_before_filing": bool,
    "notice_rights_statement": bool,
    "notice_rights_defence": bool,
    "notice_rights_hearing": bool,
    "notice_to_decision_workdays": int,
    "fine_increase": float,
    "n_kinds_not_in_notice": int,
    "hearing_requested": bool,
    "hearing_request_workdays": int,
    "hearing_waived": bool,
    "hearing_held": bool,
    "hearing_notice_workdays": int,
    "legal_review_done": bool,
    "collective_done": bool,
    "flag_public_interest": bool,
    "flag_complex_difficult": bool,
    "flag_multi_legal": bool,
    "flag_complicated": bool,
    "flag_major": bool,
    "days_filed_to_decision": int,
    "extension_days": int,
    "days_filed_to_decision_net": int,
    "decision_to_service_workdays": int,
    # 陈述、申辩 (第四十五条, 第六十二条)
    "statement_made": bool,
    "statement_waived": bool,
    "notice_to_decision_days": int,
    # heavier than the notice (第四十五条第二款): amounts other than 罚款, and terms
    "n_terms_heavier": int,
    "hearing_notified": bool,
    # 第六十条 with 民事诉讼法 第八十五条 (period end on a day off rolls to the next working day)
    "rest_days_before_decision": int,
    "decision_period_days": int,
    "decision_period_days_net": int,
    "extension_given": bool,
    "extension_basis_named": bool,
    "extension_cap_days": int,
    "extension_approval_period_days": int,
    # order of steps (第五十八条, 第六十五条) and 当场交付 (第五十二条第一款)
    "legal_review_before_hearing": bool,
    "collective_before_hearing": bool,
    "legal_review_after_collective": bool,
    "decision_to_service_days": int,
    # 履行与执行 (行政强制法 第四十五条, 第五十四条; 行政处罚法 第七十二条): issue 26 §2
    "court_applied": bool,
    "demanded_before_court": bool,
    "demand_to_court_workdays": int,
    "surcharge_amount": float,
    "surcharge_excess": float,
}


_FILING_FACTS: dict[str, type] = {
    "basis_in_force": bool,
    "outcome": str,
    "decided": bool,
    "materials_complete": bool,
    "applicant_type": str,
    "applicant_category": str,
    "fee_charged": float,
    "submit_to_decision_workdays": int,
    "accept_to_decision_workdays": int,
    "extension_notified": bool,
    "submit_to_supplement_workdays": int,
    "accept_to_extension_notice_workdays": int,
    "accept_to_extension_approval_workdays": int,
    "registration_no_given": bool,
    "published": bool,
    "obligation_to_submit_days": int,
    "obligation_period_days": int,  # the same less the days off just before submission (民事诉讼法 第八十五条)
    "obligation_to_submit_workdays": int,
    "applicant_role_covered": bool,
    "applicant_role_uncertain": bool,
    "applicant_role_outside": bool,
    "applicant_role_individual_excluded": bool,
    "applicant_role_individual_uncertain": bool,
}

_INSPECTION_FACTS: dict[str, type] = {
    "basis": str,
    "random_targets": bool,
    "random_inspectors": bool,
    "random_required": bool,
    "publish_required": bool,
    "annual_plan": bool,
    "n_inspectors": int,
    "n_uncertified": int,
    "n_matters_outside": int,
    "n_matters_near": int,  # not a listed matter word for word, but close to one (MATTER_NEAR_RATIO)
    "target_role_covered": bool,
    "target_role_uncertain": bool,
    "target_role_individual_excluded": bool,
    "target_role_individual_uncertain": bool,
    "violations_found": bool,
    "followed_up": bool,
    "results_published": bool,
}

_COMPLAINT_FACTS: dict[str, type] = {
    "registered": bool,
    "transferred": bool,
    "complainant_informed": bool,
    "outcome": str,
    "receive_to_verify_workdays": int,
    "fee_charged": float,
    "respondent_registered_here": bool,
    "respondent_licensed": bool,
    "within_scope": bool,
}


_ROLE_TEXTS = ("written", "expected", "words", "elsewhere")

# Texts derived only for finding messages (no condition tests them): what a message may name besides the
# facts above, the params and a for_each rule's bindings (`quanze rules validate` refuses any other name,
# engine/load/rulechecks.py check_message_names).
MESSAGE_TEXTS: dict[str, frozenset[str]] = {
    "penalty": frozenset(
        {
            *(f"{p}_{t}" for p in ("subject", "conduct") for t in _ROLE_TEXTS),
            *["act_end", "band_range", "basis_reason", "collective_on", "decided_on", "discovered_on", "extension_approved_on"],
            *["extension_basis", "extension_counted_days", "factors", "filed_day", "gains_text", "hearing_on", "legal_review_on"],
            *["new_kinds", "notice_on", "penalties", "penalties_text", "proposed_text", "served_on_day", "terms_heavier", "tier_range"],
            "version_readings",
            "referral_to_written",
            "bureau_government",
            # engine/check/evidence.py: what no counting evidence proves, and the evidence that does not count
            *["elements_unevidenced", "decisive_unevidenced", "evidence_excluded"],
            # 履行与执行 (issue 26 §2)
            *["court_applied_day", "demanded_day"],
            *MEASURE_TEXTS,  # engine/check/measures.py: the 查封、扣押 and 先行登记保存 beyond each limit
            # engine/check/people.py: the people of the case file (issue 27 §3)
            *PEOPLE_TEXTS,
        }
    ),
    "filing": frozenset({"basis_reason", *(f"applicant_role_{t}" for t in _ROLE_TEXTS)}),
    "inspection": frozenset(
        {"approvals_text", "matters_near", "matters_outside", *MEASURE_TEXTS, *(f"target_role_{t}" for t in _ROLE_TEXTS)}
    ),
    "complaint": frozenset(),
}


def fact_types(kind: str, rules: Any) -> dict[str, type]:
    """Names and types of the facts derived for a draft kind (``rules`` gives the vocabularies)."""
    if kind == "penalty":
        types = dict(_PENALTY_FACTS) | EVIDENCE_FACT_TYPES | PEOPLE_FACT_TYPES | MEASURE_FACT_TYPES
        for g in rules.vocabulary.no_penalty_grounds:
            types[f"ground_{g.key}"] = bool  # made out by the facts (compile.compile_grounds)
        types["no_penalty_ground_holds"] = bool
        types["mandatory_no_penalty_ground_holds"] = bool
        types["mandatory_no_penalty_ground_made_out"] = bool
        for k in rules.vocabulary.sanctions:
            types[f"imposed_{k.key}"] = bool
            types[f"referral_{k.key}"] = bool
        return types
    if kind == "filing":
        types = dict(_FILING_FACTS)
        for filing in rules.filings.values():
            types.update({name: f.python_type for name, f in filing.facts.items()})
        return types
    if kind == "inspection":
        types = dict(_INSPECTION_FACTS) | MEASURE_FACT_TYPES
        for m in rules.vocabulary.measures:
            types[f"used_{m.key}"] = bool
            types[f"approver_{m.key}"] = str
            types[f"approval_{m.key}"] = str  # approved | unverified | missing (approval_state) | after (approved later)
        return types
    return dict(_COMPLAINT_FACTS)


# The draft fields of issue 17 §1 and the facts measured from them: left out, the facts are unknown and
# the rules testing them are listed under not_checked without changing the verdict (engine/check/checker.py).
SUBJECT_FACTS: dict[str, tuple[str, ...]] = {
    "party.role": ("subject_covered", "subject_uncertain"),
    "violation.conduct": ("conduct_covered",),
    "target.role": ("target_role_covered", "target_role_uncertain"),
    "applicant.role": ("applicant_role_covered", "applicant_role_uncertain"),
}


# Facts measured from each procedure section of a penalty draft: when the draft leaves the section
# out (drafts.unfilled_sections), these facts are unknown and the rules testing them are "未检查".
SECTION_FACTS: dict[str, tuple[str, ...]] = {
    "procedure.filed_on": (
        "filed",
        "days_filed_to_decision",
        "days_filed_to_decision_net",
        "decision_period_days",
        "decision_period_days_net",
        "extension_approval_period_days",
    ),
    "procedure.officers": ("n_officers", "n_uncertified"),
    "procedure.notice": (
        "notice_served",
        "notice_rights_statement",
        "notice_rights_defence",
        "notice_rights_hearing",
        "notice_to_decision_workdays",
        "notice_to_decision_days",
        "fine_increase",
        "n_kinds_not_in_notice",
        "n_terms_heavier",
        "hearing_request_workdays",
    ),
    "procedure.notice.rights": ("notice_rights_statement", "notice_rights_defence", "notice_rights_hearing"),
    "procedure.notice.proposed": ("fine_increase", "n_kinds_not_in_notice", "n_terms_heavier"),
    "procedure.statement_made": ("statement_made",),
    "procedure.hearing": (
        "hearing_requested",
        "hearing_request_workdays",
        "hearing_waived",
        "hearing_held",
        "hearing_notified",
        "hearing_notice_workdays",
        "legal_review_before_hearing",
        "collective_before_hearing",
    ),
    "procedure.legal_review": ("legal_review_done", "legal_review_before_hearing", "legal_review_after_collective"),
    "procedure.collective_discussion": ("collective_done", "collective_before_hearing", "legal_review_after_collective"),
    "procedure.extension": (
        "extension_days",
        "days_filed_to_decision_net",
        "decision_period_days_net",
        "extension_given",
        "extension_basis_named",
        "extension_cap_days",
        "extension_approval_period_days",
    ),
}


# fact -> (Chinese label, draft field it is read from; "" = from the rules or several fields)
FACTS: dict[str, tuple[str, str]] = {
    # 行政处罚 — 实体
    "basis_in_force": ("处罚依据有效", ""),
    "version_readings_differ": ("新旧两个版本对本案的结论不同", ""),
    "basis_reason": ("条文版本选择理由", ""),
    "act_end": ("违法行为终了日", "violation.ended_on"),
    "discovered_on": ("违法行为发现日", "violation.discovered_on"),
    "decided_on": ("决定日期", "decision.decided_on"),
    "years_act_to_discovery": ("行为终了至发现已满年数", "violation.discovered_on"),
    "affects_life_health_or_finance": ("涉及生命健康安全或金融安全且有危害后果", "violation.affects_life_health_or_finance"),
    "party_type": ("当事人类型", "party.type"),
    "prior_violations": ("当事人此前违法次数", "party.prior_violations"),
    "harm": ("危害后果", "violation.harm"),
    "minor": ("违法行为轻微", "violation.minor"),
    "corrected": ("已及时改正", "violation.corrected"),
    "no_fault_proven": ("有证据足以证明没有主观过错", "violation.no_fault_proven"),
    "suspected_crime": ("涉嫌犯罪", "violation.suspected_crime"),
    "already_fined_for_same_act": ("同一违法行为已被罚款", "violation.already_fined_for_same_act"),
    "rectification_ordered": ("已责令整改", "violation.rectification.ordered_on"),
    "party_age": ("当事人年龄", "party.age"),
    "party_capacity": ("当事人辨认或控制自己行为的能力", "party.capacity"),
    "subject_covered": ("当事人身份是所适用条文规定的主体", "party.role"),
    "subject_uncertain": ("当事人身份是否为条文规定的主体不能确定", "party.role"),
    "conduct_covered": ("违法行为是所适用条文规定的行为", "violation.conduct"),
    "anything_decided": ("决定给予处罚、责令或报请", "decision.sanctions"),
    # issue 27 §2 (engine/check/evidence.py): unknown when the draft has no evidence key
    "n_elements_unevidenced": ("未见证据证明的构成要件数", "evidence"),
    "n_decisive_unevidenced": ("未见证据证明的裁量事实数", "evidence"),
    "n_evidence_excluded": ("以非法手段取得而不计入的证据数", "evidence"),
    # issue 26 §3 (engine/check/measures.py): 查封、扣押 and 先行登记保存
    "n_coercive_unapproved": ("未经事先批准也未按紧急情况报告的查封、扣押数", "coercive_measures"),
    "n_coercive_report_late": ("超过二十四小时才报告的紧急查封、扣押数", "coercive_measures"),
    "n_coercive_report_uncertain": ("是否在二十四小时内报告不能确定的紧急查封、扣押数", "coercive_measures"),
    "n_coercive_officers_short": ("实施人员少于两名的查封、扣押数", "coercive_measures"),
    "n_coercive_steps_missing": ("未通知当事人到场或未制作现场笔录的查封、扣押数", "coercive_measures"),
    "n_coercive_not_delivered": ("决定书和清单未当场交付的查封、扣押数", "coercive_measures"),
    "n_coercive_period_exceeded": ("超过期限未处理或解除的查封、扣押数", "coercive_measures"),
    "n_coercive_period_uncertain": ("是否超过期限有两种理解的查封、扣押数", "coercive_measures"),
    "n_coercive_extension_excessive": ("延长超过三十日的查封、扣押数", "coercive_measures"),
    "n_coercive_approver_below": ("批准人写为负责人以下人员的查封、扣押和先行登记保存数", "coercive_measures"),
    "n_coercive_approval_pending": ("紧急实施后记载尚未补办批准的查封、扣押数", "coercive_measures"),
    "n_preservation_unapproved": ("未经负责人批准的先行登记保存数", "coercive_measures"),
    "n_preservation_approved_after": ("事后才经批准的先行登记保存数", "coercive_measures"),
    "n_preservation_late": ("超过七个工作日未作出处理决定的先行登记保存数", "coercive_measures"),
    "n_preservation_uncertain": ("是否超过七个工作日不能确定的先行登记保存数", "coercive_measures"),
    "target_role_covered": ("检查对象身份是本事项的检查对象", "target.role"),
    "target_role_uncertain": ("检查对象身份是否为本事项的检查对象不能确定", "target.role"),
    "applicant_role_covered": ("申请人身份是本事项的备案主体", "applicant.role"),
    "applicant_role_uncertain": ("申请人身份是否为本事项的备案主体不能确定", "applicant.role"),
    "applicant_role_outside": ("申请人写明的身份不是本事项的备案主体", "applicant.role"),
    "referral_wrong_level": ("报请的机关不是本级人民政府（另一层级）", "decision.referrals"),
    "referral_not_government": ("报请的机关不是人民政府", "decision.referrals"),
    "subject_individual_excluded": ("当事人是个人，而条文处罚的只能是企业或者机构", "party.type"),
    "subject_individual_uncertain": ("当事人是个人，而条文处罚的是单位", "party.type"),
    "target_role_individual_excluded": ("检查对象是个人，而依据检查的只能是企业或者机构", "target.type"),
    "target_role_individual_uncertain": ("检查对象是个人，而依据检查的是单位", "target.type"),
    "applicant_role_individual_excluded": ("申请人是个人，而备案主体只能是企业", "applicant.type"),
    "applicant_role_individual_uncertain": ("申请人是个人，而备案主体是单位", "applicant.type"),
    "facts_established": ("违法事实成立", "violation.facts_established"),
    "basis_rank": ("处罚依据的效力层级", ""),
    "no_penalty_ground": ("不予处罚的情形", "decision.no_penalty_ground"),
    "restitution": ("依法应当退赔的违法所得", "violation.restitution"),
    "gains_to_confiscate": ("应当没收的违法所得", "violation.illegal_gains"),
    "no_penalty_ground_holds": ("事实构成某一不予处罚情形", "violation"),
    "mandatory_no_penalty_ground_holds": ("事实构成应当不予处罚的情形", "violation"),
    "mandatory_no_penalty_ground_made_out": ("应当不予处罚的情形已查明", "violation"),
    "serious": ("情节严重", "decision.case_flags"),
    "production_project": ("生产性项目", "violation.production_project"),
    "rectification_failed": ("逾期未整改", "violation.rectification"),
    "rectification_impossible": ("不能改造", "violation.rectification.impossible"),
    "n_mitigating": ("从轻情节数", "violation.factors"),
    "n_aggravating": ("从重情节数", "violation.factors"),
    "n_reduction_grounds": ("减轻处罚情节数", "violation.factors"),
    "n_mandatory_mitigating": ("应当从轻情节数", "violation.factors"),
    "factors": ("违法情节", "violation.factors"),
    "tier": ("裁量阶次", "decision.tier"),
    "procedure": ("程序类别", "decision.procedure"),
    "transferred_to_judiciary": ("已移送司法机关", "decision.transferred_to_judiciary"),
    "penalty_imposed": ("给予了行政处罚", "decision.sanctions"),
    "penalties": ("处罚种类", "decision.sanctions"),
    "fine_amount": ("罚款数额", "decision.sanctions"),
    "fine_band": ("罚款所在阶次", "decision.sanctions"),
    "band_allows_tier": ("罚款数额与裁量阶次相符", "decision.tier"),
    "fine_upper_half": ("罚款高于法定幅度的中间数额", "decision.sanctions"),
    "range_text": ("法定罚款幅度", "decision.sanctions"),
    "band_range": ("阶次幅度", ""),
    "illegal_gains": ("违法所得", "violation.illegal_gains"),
    "confiscated_gains": ("没收违法所得数额", "decision.sanctions"),
    "confiscation_diff": ("没收数额与违法所得之差", "decision.sanctions"),
    # 行政处罚 — 程序
    "n_officers": ("执法人员人数", "procedure.officers"),
    "n_uncertified": ("无执法证件人数", "procedure.officers.certificate"),
    "filed": ("已立案", "procedure.filed_on"),
    "notice_before_filing": ("立案前即送达告知书", "procedure.notice.served_on"),
    "notice_served": ("已送达事先告知书", "procedure.notice"),
    "notice_rights_statement": ("告知陈述权", "procedure.notice.rights"),
    "notice_rights_defence": ("告知申辩权", "procedure.notice.rights"),
    "notice_rights_hearing": ("告知听证权", "procedure.notice.rights"),
    "notice_to_decision_workdays": ("告知送达至决定的工作日数", "procedure.notice.served_on"),
    "notice_to_decision_days": ("告知送达至决定的日数", "procedure.notice.served_on"),
    "statement_made": ("当事人已陈述申辩", "procedure.statement_made"),
    "statement_waived": ("当事人放弃陈述申辩", "procedure.statement_waived"),
    "n_terms_heavier": ("期限重于告知的处罚数", "procedure.notice.proposed"),
    "hearing_notified": ("已通知听证", "procedure.hearing.notified_on"),
    "rest_days_before_decision": ("办案期限内应扣除的日数", "procedure"),
    "decision_period_days": ("立案至决定的办案日数", "procedure.filed_on"),
    "decision_period_days_net": ("扣除后的办案日数", "procedure.filed_on"),
    "extension_given": ("已批准延长办案期限", "procedure.extension"),
    "extension_basis_named": ("延长写明了依据", "procedure.extension.basis"),
    "extension_cap_days": ("延长的上限日数", ""),
    "extension_approval_period_days": ("立案至批准延长的日数", "procedure.extension.approved_on"),
    "fine_increase": ("决定罚款超出告知的数额", "procedure.notice.proposed"),
    "n_kinds_not_in_notice": ("告知书未载明的处罚种类数", "procedure.notice.proposed"),
    "new_kinds": ("告知书未载明的处罚种类", "procedure.notice.proposed"),
    "proposed_fine": ("告知的罚款数额", "procedure.notice.proposed"),
    "hearing_requested": ("当事人要求听证", "procedure.hearing.requested_on"),
    "hearing_request_workdays": ("告知送达至申请听证的工作日数", "procedure.hearing.requested_on"),
    "hearing_waived": ("放弃听证", "procedure.hearing.waived"),
    "hearing_held": ("已举行听证", "procedure.hearing.held_on"),
    "legal_review_before_hearing": ("法制审核早于听证", "procedure.legal_review"),
    "collective_before_hearing": ("集体讨论早于听证", "procedure.collective_discussion"),
    "legal_review_after_collective": ("法制审核晚于集体讨论", "procedure.legal_review"),
    "decision_to_service_days": ("决定日至送达日的天数", "procedure.served_on"),
    "hearing_notice_workdays": ("听证通知至举行的工作日数", "procedure.hearing.notified_on"),
    "legal_review_done": ("已通过法制审核", "procedure.legal_review"),
    "collective_done": ("已集体讨论", "procedure.collective_discussion"),
    "flag_public_interest": ("涉及重大公共利益", "decision.case_flags"),
    "flag_complex_difficult": ("疑难复杂", "decision.case_flags"),
    "flag_multi_legal": ("涉及多个法律关系", "decision.case_flags"),
    "flag_complicated": ("情节复杂", "decision.case_flags"),
    "flag_major": ("重大违法行为", "decision.case_flags"),
    "days_filed_to_decision": ("立案至决定的日数", "procedure.filed_on"),
    "extension_days": ("批准延长的日数", "procedure.extension"),
    "days_filed_to_decision_net": ("扣除延长后立案至决定的日数", "procedure.filed_on"),
    "decision_to_service_workdays": ("决定至送达的工作日数", "procedure.served_on"),
    "court_applied": ("已申请法院强制执行", "execution.court_applied_on"),
    "demanded_before_court": ("申请前已送达催告书", "execution.demanded_on"),
    "demand_to_court_workdays": ("催告书送达至申请法院强制执行的工作日数", "execution.court_applied_on"),
    "surcharge_amount": ("加处罚款数额", "execution.surcharge"),
    "surcharge_excess": ("加处罚款超出罚款的数额", "execution.surcharge"),
    # 备案
    "outcome": ("办理结果", "decision.outcome"),
    "decided": ("已办结", "dates.decided_on"),
    "materials_complete": ("材料齐全", "materials_complete"),
    "applicant_type": ("申请人类型", "applicant.type"),
    "applicant_category": ("申请人类别", "applicant.category"),
    "fee_charged": ("收取费用", "decision.fee_charged"),
    "submit_to_decision_workdays": ("提交至办结的工作日数", "dates.submitted_on"),
    "accept_to_decision_workdays": ("受理至办结的工作日数", "dates.accepted_on"),
    "extension_notified": ("已告知延期", "decision.extension_notified_on"),
    "accept_to_extension_notice_workdays": ("受理至书面通知延期的工作日数", "decision.extension_notified_on"),
    "accept_to_extension_approval_workdays": ("受理至批准延期的工作日数", "decision.extension_approved_on"),
    "submit_to_supplement_workdays": ("提交至一次性告知补正的工作日数", "dates.supplement_notified_on"),
    "registration_no_given": ("已给予备案编号", "decision.registration_no"),
    "published": ("已公示", "decision.published_on"),
    "obligation_to_submit_days": ("义务发生至提交的日数", "dates.obligation_from"),
    "obligation_to_submit_workdays": ("义务发生至提交的工作日数", "dates.obligation_from"),
    "obligation_period_days": ("义务发生至提交的日数（期间届满日遇休息日顺延后）", "dates.obligation_from"),
    # 行政检查
    "basis": ("检查启动方式", "basis"),
    "random_targets": ("随机抽取检查对象", "random_selection.targets"),
    "random_inspectors": ("随机选派检查人员", "random_selection.inspectors"),
    "random_required": ("应当双随机抽查", "basis"),
    "publish_required": ("应当公示检查结果", "basis"),
    "annual_plan": ("列入年度检查计划", "annual_plan"),
    "n_inspectors": ("检查人员人数", "inspectors"),
    "n_matters_outside": ("超出法定事项的检查事项数", "matters"),
    "n_matters_near": ("与法定事项写法不同、内容相近的检查事项数", "matters"),
    "matters_outside": ("超出法定事项的检查事项", "matters"),
    "violations_found": ("发现违法行为", "violations_found"),
    "followed_up": ("已后续处理", "follow_up"),
    "results_published": ("已公示检查结果", "results_published_on"),
    # 投诉举报
    "registered": ("已登记", "registered"),
    "within_scope": ("属于受理范围", "within_scope"),
    "transferred": ("已移交", "transferred_to"),
    "complainant_informed": ("已告知投诉人", "complainant_informed_on"),
    "receive_to_verify_workdays": ("收到至核查的工作日数", "verified_on"),
    "respondent_registered_here": ("被投诉人在本市登记", "respondent.registered_here"),
    "respondent_licensed": ("被投诉人持有许可", "respondent.licensed"),
    # 行政处罚 — 人员（engine/check/people.py）
    "presider_recorded": ("已记载听证主持人", "procedure.hearing.presider"),
    "presider_is_investigator": ("听证主持人是本案调查人员（执法证号相同）", "procedure.hearing.presider"),
    "presider_maybe_investigator": ("听证主持人可能是本案调查人员（姓名相同，一方未记载执法证号）", "procedure.hearing.presider"),
    "n_recusals_undecided": ("作出处罚决定时尚未决定的回避申请数", "procedure.recusals"),
    "n_recusals_unrecorded": ("未记载决定结果的回避申请数", "procedure.recusals"),
    "n_recusals_decided_late": ("处罚决定之后才决定的回避申请数", "procedure.recusals"),
    "n_recused_still_acting": ("决定回避后仍列为取证人员的人数", "procedure.recusals"),
    "n_recusals_by_non_head": ("由负责人以外的人员决定的回避申请数", "procedure.recusals"),
    "reviewer_unqualified": ("初次从事法制审核的人员未取得法律职业资格", "procedure.legal_review.reviewer"),
    "reviewer_qualification_unrecorded": ("初次从事法制审核的人员未记载是否取得法律职业资格", "procedure.legal_review.reviewer"),
    "n_collective_members": ("参加集体讨论的人数", "procedure.collective_discussion.members"),
    "n_collective_heads": ("参加集体讨论的行政机关负责人人数", "procedure.collective_discussion.members"),
}

# facts made per vocabulary entry: prefix -> (label template, draft field)
FACT_FAMILIES: dict[str, tuple[str, str]] = {
    "imposed_": ("决定给予{name}", "decision.sanctions"),
    "referral_": ("报请给予{name}", "decision.referrals"),
    "used_": ("采取{name}", "measures"),
    "approver_": ("{name}的审批人", "approvals"),
    "approval_": ("{name}的审批情况", "approvals"),
    "ground_": ("事实构成不予处罚情形“{name}”", "violation"),
}


def fact_label(name: str, rules: Any = None, item: str | None = None) -> str:
    """The Chinese label of a derived fact."""
    if name in FACTS:
        return FACTS[name][0]
    for prefix, (template, _) in FACT_FAMILIES.items():
        if name.startswith(prefix) and rules is not None:
            key = name[len(prefix) :]
            entries = [*rules.vocabulary.sanctions, *rules.vocabulary.measures, *getattr(rules.vocabulary, "no_penalty_grounds", [])]
            for entry in entries:
                if entry.key == key:
                    return template.format(name=getattr(entry, "kind", None) or entry.name)
    if rules is not None:
        filing = rules.filings.get(item) if item else None
        specs = [filing] if filing else list(rules.filings.values())
        for f in specs:
            if name in f.facts:
                return re.split(r"[（(;；]", f.facts[name].meaning)[0].strip()
    return name


def fact_source(name: str, rules: Any = None, item: str | None = None) -> str:
    """The draft field a fact is read from ("" when derived from the rules)."""
    if name in FACTS:
        return FACTS[name][1]
    for prefix, (_, source) in FACT_FAMILIES.items():
        if name.startswith(prefix):
            return source
    return f"facts.{name}"


@dataclass(frozen=True)
class Fact:
    """One derived fact as the registry knows it."""

    name: str
    type: type
    label: str  # Chinese, as the trace and explain show it
    source: str  # the draft field it is read from ("" = derived from the rules or several fields)


def registry(kind: str, rules: Any, item: str | None = None) -> dict[str, Fact]:
    """Every fact of a draft kind, the rules' vocabulary-made facts included (``item``: a filing item's wording)."""
    types = fact_types(kind, rules)
    return {name: Fact(name, t, fact_label(name, rules, item), fact_source(name, rules, item)) for name, t in types.items()}
