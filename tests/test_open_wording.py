"""An open case (no ``decision.decided_on``) is worded as what it is, through every door that shows its reasoning:
the version is chosen as of the latest date the file holds, named as such (立案日, 告知书送达日 …), never called
决定时; the hearing line speaks of the penalty the notice proposes (拟作出), never 不给予行政处罚 when nothing is
decided (docs/procedure.md, 行政处罚法 第六十三条)."""

from __future__ import annotations

import io
import json

import pytest
import yaml
from docx import Document

from conftest import CASES
from quanze.cli.main import app
from quanze.engine import api
from quanze.engine.check.checker import check
from quanze.engine.present.opinion import opinion_bytes
from quanze.web.service import check_raw

OPEN = CASES / "penalty" / "CF-05" / "open"
FILED_ONLY = OPEN / "filed_only.yaml"  # 立案 2026-08-25, nothing else
NOTICED = OPEN / "notice_hearing_window_open.yaml"  # 告知 2026-09-28, proposes 罚款 20000 元
FALSE_WORDS = ("决定时（", "不给予行政处罚", "草稿未填写“决定日期”")


def _doors(runner, rules, path) -> dict[str, str]:
    """The reasoning as each door shows it."""
    draft = api.read_file(path, rules)
    result = check(draft, rules, str(path))
    doc = Document(io.BytesIO(opinion_bytes(draft, result, rules)))
    return {
        "check": runner.invoke(app, ["check", str(path)]).stdout,
        "check json": runner.invoke(app, ["check", str(path), "--format", "json"]).stdout,
        "explain": runner.invoke(app, ["explain", str(path)]).stdout,
        "form": json.dumps(check_raw(yaml.safe_load(path.read_text(encoding="utf-8")), rules, path.name, explain=True), ensure_ascii=False),
        "意见书": "\n".join(p.text for p in doc.paragraphs),
    }


@pytest.mark.parametrize(("path", "day"), [(FILED_ONLY, "2026-08-25（立案日）"), (NOTICED, "2026-09-28（告知书送达日）")])
def test_open_case_names_the_day_its_version_is_chosen_at(runner, rules, path, day):
    for door, text in _doors(runner, rules, path).items():
        flat = text.replace("\n", "").replace(" ", "")
        assert not [w for w in FALSE_WORDS if w.replace(" ", "") in flat], (door, text)
        if door != "check":  # the check text shows findings only
            assert f"尚未作出决定，以案卷所载最晚日期{day.replace(' ', '')}代替决定之日" in flat, (door, text)


def test_open_hearing_line_speaks_of_the_proposed_penalty(rules):
    def hearing(path):
        result = check(api.read_file(path, rules), rules, str(path))
        reasoning = api.result_json(result, explain=True)["reasoning"]["derivations"]
        return next(" ".join(d["lines"]) for d in reasoning if d["title"] == "听证资格")

    assert "拟作出的处罚：罚款 20000 元" in hearing(NOTICED)
    assert hearing(FILED_ONLY).startswith("尚未告知拟作出的行政处罚")


def test_a_decided_case_keeps_its_decision_day(runner, rules):
    path = CASES / "penalty" / "CF-04" / "lawful_general_tier.yaml"
    text = runner.invoke(app, ["explain", str(path)]).stdout.replace("\n", "").replace(" ", "")
    assert "决定时（" in text and "尚未作出决定，以" not in text


def test_a_notice_proposing_no_penalty_is_not_read_as_a_decision_not_to_punish(rules):
    raw = yaml.safe_load(NOTICED.read_text(encoding="utf-8"))
    raw["procedure"]["notice"]["proposed"] = []
    reasoning = api.result_json(api.check_document(raw, rules, "x.yaml"), True, rules)["reasoning"]["derivations"]
    line = next(" ".join(d["lines"]) for d in reasoning if d["title"] == "听证资格")
    assert line.startswith("告知书未记载拟作出的行政处罚") and "不给予行政处罚" not in line


def test_a_step_not_yet_recorded_is_not_called_passed(runner, rules):
    """An open case at 告知 has no hearing, review or measure yet: their checks are 尚未进行, not 通过 (听证主持人不是本案
    调查人员 would say a hearing was held); a decided case without them names them once as 不适用."""
    out = runner.invoke(app, ["explain", str(NOTICED)]).stdout
    passed = out.split("\n通过（", 1)[1] if "\n通过（" in out else ""
    assert "尚未进行的环节" in out
    for title in ("听证主持人不是本案调查人员", "初次从事法制审核的人员取得了法律职业资格", "查封、扣押由两名以上行政执法人员实施"):
        assert title not in passed, title
    result = check(api.read_file(NOTICED, rules), rules, str(NOTICED))
    rows = [r for r in result.explanation["trace"]["checks"] if r["code"] == "HEARING_PRESIDED_BY_INVESTIGATOR"]
    assert rows and all(r["outcome"] == "unchecked" for r in rows)  # every door reads the trace: not "pass"
    decided = runner.invoke(app, ["explain", str(CASES / "penalty" / "CF-04" / "lawful_general_tier.yaml")]).stdout
    assert "案卷没有的环节，不适用" in decided and "查封、扣押" in decided.split("案卷没有的环节，不适用", 1)[1]
