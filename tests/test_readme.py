"""The README's commands run as written."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("quanze") is None, reason="quanze entry point not on PATH")
def test_diff_example_names_the_cases_whose_verdict_changes(tmp_path):
    block = re.search(r"<!-- diff-example -->\n```\n(.*?)```", README, re.S).group(1)
    block = block.replace("/tmp/rules-76-lighter", str(tmp_path / "rules-76-lighter"))  # as written, but private to this run
    proc = subprocess.run(["bash", "-e", "-c", block], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "lawful_general_tier.yaml：通过 → 不通过" in out
    assert "fine_below_min.yaml：不通过 → 通过" in out
    assert "新增：罚款高于法定上限 [FINE_ABOVE_MAX]" in out and "| 结论变化 |" in out


def test_readme_has_exactly_two_fresh_machine_commands():
    block = re.search(r"## Two commands.*?```\n(.*?)```", README, re.S).group(1)
    assert block.strip().splitlines() == [
        "pip install . && quanze check cases/penalty/CF-04/lawful_general_tier.yaml",
        'pip install ".[test]" && python -m pytest',
    ]
