"""The people of a case in the form (issue 27 §3), in Chromium against a real ``quanze serve`` process: the
presider, 回避 rows with their officer, the reviewer and the 集体讨论 members round-trip from an imported case file,
and the presider is shown only where a hearing was held (an imported value stays as imported, as for every
field of APPLIES)."""

from __future__ import annotations

import json

from test_web_form import check, import_file, page  # noqa: F401  (page is a fixture)

from conftest import CASES, needs_chromium

pytestmark = needs_chromium


def test_the_people_round_trip_and_the_presider_follows_the_hearing(page):  # noqa: F811
    import_file(page, CASES / "penalty/CF-04/people/presider_investigator.yaml")
    assert page.input_value("[data-path='procedure.hearing.presider.name']") == "张三"
    presider = page.locator("select.step[data-path='procedure.hearing.presider?']").inner_text()
    assert "已记载" in presider and "未记载" in presider and "有此环节" not in presider
    result = check(page)
    sent = json.loads(result["sent"])
    assert sent["procedure"]["hearing"]["presider"] == {"name": "张三", "certificate": "6501 0000 123"}
    assert "HEARING_PRESIDED_BY_INVESTIGATOR" in {f["code"] for f in result["body"]["findings"]}
    page.fill("[data-path='procedure.hearing.held_on']", "")
    page.dispatch_event("[data-path='procedure.hearing.held_on']", "change")
    page.wait_for_function("document.querySelector(\"[data-path='procedure.hearing.presider.name']\").closest('[hidden]') !== null")
    page.fill("[data-path='procedure.hearing.held_on']", "2026-05-19")
    page.dispatch_event("[data-path='procedure.hearing.held_on']", "change")
    page.wait_for_function("document.querySelector(\"[data-path='procedure.hearing.presider.name']\").closest('[hidden]') === null")
    for case in ("recusal_decided", "reviewer_first_time_qualified", "collective_with_heads"):
        import_file(page, CASES / f"penalty/CF-04/people/{case}.yaml")
        procedure = json.loads(check(page)["sent"])["procedure"]
        if case == "recusal_decided":
            row = procedure["recusals"][0]
            assert row["officer"] == {"name": "李四", "certificate": "65010000456"} and row["outcome"] == "不予回避"
        elif case == "reviewer_first_time_qualified":
            assert procedure["legal_review"]["reviewer"]["qualification_no"] == "A20216501000123"
        else:
            assert [m["post"] for m in procedure["collective_discussion"]["members"]] == ["局长", "副局长", "法制审核人员"]
    assert page.errors == []  # type: ignore[attr-defined]
