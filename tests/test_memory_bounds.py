"""What a long review keeps in memory is bounded by the rules, not by the drafts (issue 31): counts, not timing."""

import datetime as dt
import re
from pathlib import Path

from quanze.engine import api
from quanze.engine.lang import evaluate
from quanze.engine.lang.compile import CompiledRuleset, param_versions

CASES = Path(__file__).resolve().parent.parent / "cases"
_DATE = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")


def _shifted(text: str, days: int) -> str:
    """The draft with every date moved back by ``days`` (its intervals kept)."""

    def back(m: re.Match[str]) -> str:
        try:
            return (dt.date(int(m[1]), int(m[2]), int(m[3])) - dt.timedelta(days=days)).isoformat()
        except ValueError:
            return m[0]

    return _DATE.sub(back, text)


def test_drafts_spread_over_years_share_params_and_durable_rulesets(tmp_path):
    """Drafts on 80 spread days: one params dict per combination of params versions (not per day), and one
    durable-rules ruleset per distinct definition (not per key of the compiled-rules cache)."""
    rules, _how = api.load(None)
    before = set(evaluate._handles)
    templates = sorted((CASES / "penalty").glob("*/*.yaml"))
    templates = [p for p in templates if not p.name.endswith(".expect.yaml")][:4]
    for i in range(80):
        source = templates[i % len(templates)]
        path = tmp_path / f"d{i}.yaml"
        path.write_text(_shifted(source.read_text(encoding="utf-8"), i * 47), encoding="utf-8")
        try:
            api.check_file(path, rules, path.name)
        except Exception:  # a draft moved before its law: refused as input, not kept
            continue
    cache = dict(rules.cache)
    days = [k[1] for k in cache if isinstance(k, tuple) and k[0] == "law_params_on"]
    dicts = {id(v) for k, v in cache.items() if isinstance(k, tuple) and k[0] == "law_params_on"}
    assert len(days) > 20
    assert len(dicts) <= len({param_versions(rules, d) for d in days}) < len(days)
    compiled = [v for v in cache.values() if isinstance(v, CompiledRuleset)]
    texts = {c.engine_form().text for c in compiled}
    assert set(evaluate._handles) - before <= texts  # a handle only for a definition compiled here, one per definition
    assert texts <= set(evaluate._handles)
