"""Chinese labels of draft fields, derived facts and coded values: the one table the output reads.

``FIELDS`` names every field of a draft (path without list indices); it is derived from the
``Field(title=…)`` of the models in ``engine/model/drafts.py``, the one place a field's name is written. ``FACTS`` names every fact the
engine derives, with the draft field it is read from ("" = derived from the rules, not the draft).
Facts made per vocabulary entry (``imposed_<key>``, ``used_<key>`` …) and a filing item's own facts
take their label from the rules (sanction kind, measure name, the fact's ``meaning``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any, get_args

from pydantic import BaseModel


def _submodels(annotation: object) -> list[type[BaseModel]]:
    """The models a field holds (through Optional, Annotated and list)."""
    out, stack = [], [annotation]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            out.append(tp)
        else:
            stack.extend(get_args(tp))
    return out


def _walk(model: type[BaseModel], prefix: str, parent: str) -> Iterator[tuple[str, str, str, str, dict[str, str]]]:
    """(path, title, description, full label, value labels) of every field of a model and of the models it holds."""
    from quanze.engine.model.drafts import field_choices

    relative = getattr(model, "RELATIVE_TITLES", False)
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        title = info.title or name
        full = parent + title if relative else title
        yield path, title, info.description or "", full, field_choices(info)
        for sub in _submodels(info.annotation):
            yield from _walk(sub, f"{path}.", full)


@functools.cache
def field_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, dict[str, str]]]:
    """(FIELDS, TITLES, DESCRIPTIONS, CHOICES), walked once from the draft models of engine/model/drafts.py.

    The one source of a field's Chinese name is its ``Field(title=…)``; a path several kinds share
    (kind, case_id, decision …) has the same title in each (tests/test_labels.py), the first kind's
    description is kept.
    """
    from quanze.engine.model.drafts import MODELS

    fields: dict[str, str] = {}
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for model in MODELS.values():
        for path, title, description, full, values in _walk(model, "", ""):
            fields.setdefault(path, full)
            titles.setdefault(path, title)
            descriptions.setdefault(path, description)
            if values:
                choices.setdefault(path, values)
    return fields, titles, descriptions, choices


# path (without list indices) -> full label, for output (当事人名称, 执法人员姓名)
FIELDS: dict[str, str] = field_tables()[0]
# path -> the field's own title, for a form or template that shows it under its parent (名称或姓名)
TITLES: dict[str, str] = field_tables()[1]
# path -> the field's description: units, what null means
DESCRIPTIONS: dict[str, str] = field_tables()[2]
# path -> {value: Chinese label} of a field with coded values (harm: none → 无)
CHOICES: dict[str, dict[str, str]] = field_tables()[3]

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

VALUES: dict[str, str] = {
    # approval_<measure> (engine/check/facts.py approval_state)
    "approved": "已由规定的负责人批准",
    "unverified": "批准人不能确定",
    "missing": "未经规定的负责人批准",
    "organization": "单位",
    "individual": "公民",
    "general": "普通程序",
    "summary": "简易程序",
    "none": "无",
    "minor": "轻微",
    "serious": "严重",
    "below_min": "低于法定下限",
    "above_max": "高于法定上限",
    "accepted": "予以备案",
    "rejected": "不予受理",
    "supplement_requested": "要求补正",
    "handled": "已处理",
    "transferred": "已移交",
    "random": "双随机抽查",
    "complaint": "投诉举报",
    "referral": "移送",
    "ex_officio": "依职权",
    "special": "专项检查",
    "penalty": "行政处罚",
    "full": "完全",
    "partial": "部分",
    "unknown": "未记载",
    "filing": "备案",
    "inspection": "行政检查",
    "pass": "通过",
    "warn": "通过（有警告）",
    "fail": "不通过",
    "incomplete": "未完成",
}

# params of rules/params/*.yaml by group, for the assumptions a trace states
PARAM_GROUPS: dict[str, str] = {
    "hearing_threshold": "听证“较大数额”标准",
    "hearing_threshold_highest_known": "听证“较大数额”已知最高标准",
    "hearing": "听证期限",
    "limitation": "追责时效",
    "officers": "执法人员人数",
    "summary": "简易程序限额",
    "decision": "办案期限",
    "service": "送达期限",
    "filing": "备案期限",
    "verification": "核查期限",
    "supplement": "补正期限",
}

PARAM_WORDS = {
    "individual": "公民",
    "organization": "单位",
    "days": "日",
    "workdays": "个工作日",
    "years": "年",
    "min": "下限",
    "max": "上限",
}


def param_word(path: str) -> str:
    """The last part of a parameter name in words (xzcf.hearing_threshold.individual → 公民)."""
    last = path.rsplit(".", 1)[-1]
    return PARAM_WORDS.get(last, last)


_INDEX = re.compile(r"\[(\d+)\]")


def field_label(path: str) -> str:
    """``violation.factors[0]`` → 第 1 项违法情节; an unknown path: its nearest known parent·the rest."""
    if not path:
        return ""
    indices = [int(i) + 1 for i in _INDEX.findall(path)]
    bare = _INDEX.sub("", path)
    if bare.startswith("facts.") and bare not in FIELDS:
        label = f"事项事实“{bare.split('.', 1)[1]}”"
    else:
        parts = bare.split(".")
        label = ""
        while parts:
            key = ".".join(parts)
            if key in FIELDS:
                label = FIELDS[key] + ("" if key == bare else f"·「{bare[len(key) + 1 :]}」")
                break
            parts.pop()
        label = label or bare
    if indices:
        label = "".join(f"第 {i} 项" for i in indices) + label
    return label


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


MONEY_FACTS = {
    "fine_amount",
    "illegal_gains",
    "confiscated_gains",
    "confiscation_diff",
    "fine_increase",
    "proposed_fine",
    "fee_charged",
    "gains_to_confiscate",
    "restitution",
}


def unit_of(fact: str) -> str:
    """The unit a numeric fact is counted in (元, 个工作日, 日, 年, 人, 项), "" when none."""
    if fact in MONEY_FACTS:
        return "元"
    if fact.endswith("_workdays"):
        return "个工作日"
    if fact.endswith("_days") or fact.startswith("days_"):
        return "日"
    if fact.startswith("years_"):
        return "年"
    if fact in ("n_officers", "n_uncertified", "n_inspectors"):
        return "人"
    if fact.startswith("n_") or fact == "prior_violations":
        return "项" if fact != "prior_violations" else "次"
    return ""


def value_text(value: Any, fact: str = "") -> str:
    """A fact value in words: 是/否, 不适用 for -1 day counts, coded values in Chinese, numbers with units."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float) and value == -1 and fact and not fact.endswith(("_diff", "_increase")) and fact not in MONEY_FACTS:
        return "不适用"
    if isinstance(value, int | float):
        unit = unit_of(fact)
        return f"{value} {unit}" if unit else str(value)
    if isinstance(value, str):
        if value == "":
            return "（空）"
        return VALUES.get(value, value)
    return str(value)
