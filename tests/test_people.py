"""The people of a penalty case (issue 27 §3): presider, 回避, 法制审核 reviewer, 集体讨论 members."""

from __future__ import annotations

import copy

import pytest

from helpers import draft, sample, shipped_rules
from quanze.engine.check.checker import check
from quanze.engine.check.people import people_facts, same_person
from quanze.engine.model.drafts import Officer
from quanze.engine.model.errors import InputError

BASE = "penalty/CF-04/hearing_review_then_collective.yaml"


def _codes(raw: dict) -> dict[str, str]:
    return {f.code: f.severity for f in check(draft(raw), shipped_rules(), "t.yaml").findings}


def _with(**procedure) -> dict:
    raw = sample(BASE)
    for key, value in procedure.items():
        if key == "presider":
            raw["procedure"]["hearing"]["presider"] = value
        else:
            raw["procedure"][key] = value
    return raw


@pytest.mark.parametrize(
    ("a", "b", "how"),
    [
        (("张三", "65010000123"), ("张三", "6501 0000 123"), "certain"),  # blanks stripped
        (("张三", "65010000123"), ("张三", "６５０１００００１２３"), "certain"),  # full-width digits (NFKC)
        (("张三", "65010000123"), ("张三", "650100\u200b00123"), "certain"),  # a zero-width space
        (("张三", "65010000123"), ("张三", "65010000999"), "no"),  # the same name, two numbers: two people
        (("张三", None), ("张 三", "65010000123"), "maybe"),  # a number missing on one side
        (("孙八", None), ("张三", "65010000123"), "no"),
    ],
)
def test_same_person_is_the_same_certificate_after_identity(a, b, how):
    assert same_person(Officer(name=a[0], certificate=a[1]), Officer(name=b[0], certificate=b[1])) == how


def test_a_presider_holding_an_investigators_number_with_hidden_glyphs_is_an_error_with_accountability():
    raw = _with(presider={"name": "张三", "certificate": "65010\u200b000123"})
    result = check(draft(raw), shipped_rules(), "t.yaml")
    found = {f.code: f for f in result.findings}
    assert found["HEARING_PRESIDED_BY_INVESTIGATOR"].severity == "error"
    assert [t.no for t in found["HEARING_PRESIDED_BY_INVESTIGATOR"].accountability.triggers] == [4]
    assert any("procedure.hearing.presider.certificate" in w for w in result.input_warnings)  # the hidden glyph is shown


def test_a_presider_number_under_another_name_is_an_input_error():
    raw = _with(presider={"name": "孙八", "certificate": "65010000123"})
    with pytest.raises(InputError) as e:
        draft(raw)
    assert "procedure.hearing.presider.certificate" in str(e.value) and "张三" in str(e.value)


def test_a_hearing_not_held_is_no_ground_for_a_presider_finding():
    raw = _with(presider={"name": "张三", "certificate": "65010000123"})
    raw["procedure"]["hearing"]["held_on"] = None
    codes = _codes(raw)
    assert not {"HEARING_PRESIDED_BY_INVESTIGATOR", "HEARING_PRESIDER_UNCERTAIN"} & set(codes)


def test_without_a_certain_hearing_right_an_investigator_presiding_is_a_warning():
    raw = _with(presider={"name": "张三", "certificate": "65010000123"})
    for sanctions in (raw["decision"]["sanctions"], raw["procedure"]["notice"]["proposed"]):
        sanctions[:] = [s for s in sanctions if s["kind"] != "没收违法所得"]
        for s in sanctions:
            if s["kind"] == "罚款":
                s["amount"] = 30000  # between the known 较大数额 lines (公民/单位 20000 … 50000)
    raw["violation"]["illegal_gains"] = 0
    codes = _codes(raw)
    assert codes.get("HEARING_PRESIDER_UNCERTAIN") == "warning"
    assert "HEARING_PRESIDED_BY_INVESTIGATOR" not in codes


def _recusal(**kw) -> list[dict]:
    row = {"officer": {"name": "李四", "certificate": "65010000456"}, "requested_on": "2026-05-05"}
    return [row | kw]


def test_recusal_outcomes():
    assert _codes(_with(recusals=_recusal(outcome="未决定"))).get("RECUSAL_UNDECIDED") == "error"
    assert _codes(_with(recusals=_recusal())).get("RECUSAL_UNCERTAIN") == "warning"
    decided = _recusal(decided_by="赵六（局长）", decided_on="2026-05-06", outcome="回避")
    assert not {"RECUSAL_UNDECIDED", "RECUSAL_UNCERTAIN"} & set(_codes(_with(recusals=decided)))
    # an application made after the decision is not the decision's concern
    late = _recusal(outcome="未决定")
    late[0]["requested_on"] = "2026-05-26"
    assert not {"RECUSAL_UNDECIDED", "RECUSAL_UNCERTAIN"} & set(_codes(_with(recusals=late)))


def test_recusal_rules_wait_for_the_2021_law_a_decision_before_it_is_not_checked():
    """第四十三条第三款 (由行政机关负责人决定) is in force from 2021-07-15: an earlier decision is a gap, never an error."""
    raw = sample("penalty/CF-04/people/recusal_undecided_before_2021.yaml")
    result = check(draft(raw), shipped_rules(), "t.yaml")
    assert not {f.code for f in result.findings} & {"RECUSAL_UNDECIDED", "RECUSAL_UNCERTAIN"}
    assert any("回避申请未经负责人决定" in w and "未检查" in w for w in result.gap_warnings)


def test_a_withdrawn_officer_named_in_later_evidence_is_found_by_name_in_free_text():
    raw = sample("penalty/CF-04/evidence_every_element.yaml")
    raw["procedure"]["recusals"] = _recusal(requested_on="2026-04-06", decided_on="2026-04-07", outcome="回避")
    facts = people_facts(draft(raw), shipped_rules())
    assert facts["n_recused_still_acting"] == 1 and "服务费收款凭证" in facts["recused_acting"]
    raw["evidence"] = [dict(e, obtained_by="张三和孙八") for e in raw["evidence"]]
    assert people_facts(draft(raw), shipped_rules())["n_recused_still_acting"] == 0  # 李四 named nowhere


def _reviewer(**kw) -> dict:
    return {"on": "2026-05-21", "passed": True, "reviewer": {"name": "王五", **kw}}


def test_reviewer_qualification():
    assert _codes(_with(legal_review=_reviewer(first_time=True, qualified=False))).get("LEGAL_REVIEWER_UNQUALIFIED") == "error"
    assert _codes(_with(legal_review=_reviewer(first_time=True))).get("LEGAL_REVIEWER_QUALIFICATION_UNCERTAIN") == "warning"
    quiet = {"LEGAL_REVIEWER_UNQUALIFIED", "LEGAL_REVIEWER_QUALIFICATION_UNCERTAIN"}
    for ok in (_reviewer(first_time=True, qualification_no="A1"), _reviewer(first_time=False), _reviewer()):
        assert not quiet & set(_codes(_with(legal_review=ok))), ok
    # a review that did not pass is no review: its reviewer is not judged
    failed = _reviewer(first_time=True, qualified=False) | {"passed": False}
    assert "LEGAL_REVIEWER_UNQUALIFIED" not in _codes(_with(legal_review=failed))


def test_a_certificate_number_with_qualified_false_is_an_input_error():
    with pytest.raises(InputError) as e:
        draft(_with(legal_review=_reviewer(first_time=True, qualified=False, qualification_no="A1")))
    assert "qualification_no" in str(e.value)


def test_collective_heads_are_read_from_the_post_words():
    def heads(*posts):
        raw = _with(collective_discussion={"on": "2026-05-22", "members": [{"name": f"人{i}", "post": p} for i, p in enumerate(posts)]})
        return people_facts(draft(raw), shipped_rules())["n_collective_heads"]

    assert heads("局长", "副局长", "分管领导", "法制审核人员") == 3
    assert heads("内设机构负责人", "科长", None) == 0  # a 科室 head is no 行政机关负责人
    assert heads("党组书记、局长") == 1


def test_collective_without_members_or_not_required_gives_no_finding():
    members = [{"name": "张三", "post": "科长"}]
    raw = _with(collective_discussion={"on": "2026-05-22", "members": members})
    assert _codes(raw).get("COLLECTIVE_WITHOUT_HEAD") == "warning"
    unrequired = copy.deepcopy(raw)
    unrequired["decision"]["case_flags"] = []
    assert "COLLECTIVE_WITHOUT_HEAD" not in _codes(unrequired)
    assert "COLLECTIVE_WITHOUT_HEAD" not in _codes(_with(collective_discussion={"on": "2026-05-22", "members": []}))


def test_the_opinion_lists_the_people():
    from quanze.engine.present.opinion import opinion_context

    raw = _with(
        presider={"name": "孙八", "certificate": "65010000789"},
        recusals=_recusal(requested_by="当事人", decided_by="赵六（局长）", decided_on="2026-05-06", outcome="不予回避"),
        legal_review=_reviewer(first_time=True, qualified=True, qualification_no="A1"),
        collective_discussion={"on": "2026-05-22", "members": [{"name": "赵六", "post": "局长"}]},
    )
    d = draft(raw)
    ctx = opinion_context(d, check(d, shipped_rules(), "t.yaml"), shipped_rules())
    text = "\n".join(ctx["case_people"])
    expected = (
        "听证主持人：孙八（执法证号 65010000789）",
        "决定不予回避",
        "已取得法律职业资格（证书编号 A1）",
        "集体讨论参加人员：赵六（局长）",
    )
    for words in expected:
        assert words in text, text
    assert ctx["reviewer"] == "王五"


def test_a_recusal_decided_below_a_head_is_placed_by_post_words_or_the_drafts_people():
    def codes(decided_by):
        return _codes(_with(recusals=_recusal(decided_by=decided_by, decided_on="2026-05-06", outcome="不予回避")))

    assert codes("王五（科长）").get("RECUSAL_UNCERTAIN") == "warning"
    assert codes("张三").get("RECUSAL_UNCERTAIN") == "warning"  # the draft's 具体承办人
    for head in ("赵六（局长）", "钱七，分管副局长", "赵六", None):  # a bare name nothing places: no finding
        assert "RECUSAL_UNCERTAIN" not in codes(head), head
