"""Rules folders: the shipped one validates; each broken fixture fails with file, line and reason."""

from pathlib import Path

import pytest

from quanze.cli.main import app
from quanze.engine.text import zh

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "bad_rules").glob("*.yaml"))


def header(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        out[key] = value
    return out


def test_shipped_rules_validate(runner):
    result = runner.invoke(app, ["rules", "validate"])
    assert result.exit_code == 0, result.output
    assert "19 个事项" in result.stdout


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_broken_rules_fail_with_file_and_line(runner, rules_copy, fixture):
    meta = header(fixture)
    target = rules_copy / meta["target"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(fixture.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules_copy)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    hit = [line for line in lines if meta["expect"] in line or zh(meta["expect"]) in line]  # stderr is typeset
    assert hit, lines
    label = "rules/" + meta["target"] if meta["line"] != "0" else "rules/" + str(Path(meta["target"]).parent)
    assert hit[0].startswith((label + ":", label + "：")), hit[0]
    if meta["line"] != "0":
        assert f"：第 {meta['line']} 行：" in hit[0] or f": 第 {meta['line']} 行:" in hit[0], hit[0]
    assert "Traceback" not in result.output


def test_validate_json_reports_problems(runner, rules_copy):
    (rules_copy / "checks" / "extra.yaml").write_text("kind: penalty\nfamily: x\nrules: []\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules_copy), "--format", "json"])
    assert result.exit_code == 2
    assert '"valid": false' in result.stdout
