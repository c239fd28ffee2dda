"""The catalog says what the published 权责清单 says, and provision texts say what their sources say.

Needs ../shared (the seed and legal facts), which CI has beside the clone; skipped elsewhere.
"""

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = next(iter(sorted((SHARED / "seed").glob("*.txt"))), None) if SHARED.is_dir() else None
FACTS = SHARED / "legal" / "legal-facts.md"
MARKS = ("[缺失]", "[…]")  # explicit marks of text the PDF extraction lost (explained in notes:)
pytestmark = pytest.mark.skipif(SEED is None or not FACTS.exists(), reason="shared/ not beside this checkout")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def strings(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("notes", "provision", "law", "id", "table", "role", "seq", "no"):
                yield from strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from strings(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def test_every_catalog_text_is_in_the_seed():
    seed = squeeze(SEED.read_text(encoding="utf-8"))
    missing = []
    for path in sorted((REPO / "rules" / "catalog").glob("*.yaml")):
        for where, text in strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if any(mark in text for mark in MARKS):
                continue
            pieces = [squeeze(p) for p in text.split("\n") if p.strip()]
            missing += [f"{path.name}{where}: {p[:40]}" for p in pieces if p not in seed]
    assert not missing, missing


def test_unverified_provision_texts_are_in_the_seed_and_verified_ones_in_the_legal_facts():
    seed = squeeze(SEED.read_text(encoding="utf-8"))
    facts = squeeze(FACTS.read_text(encoding="utf-8").replace("> ", "").replace(">", ""))
    missing = []
    for path in sorted((REPO / "rules" / "provisions").glob("*/a*.yaml")):
        for i, version in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["versions"]):
            if any(mark in version["text"] for mark in MARKS):
                continue
            source = facts if version["verified"] else seed
            if version["verified"] and "stated identical" in version["source"]:
                source = seed  # legal-facts states the seed's quotation is verbatim (e.g. 报废机动车回收管理办法)
            pieces = [squeeze(p) for p in version["text"].split("\n") if p.strip()]
            missing += [f"{path.parent.name}/{path.name}[{i}]: {p[:40]}" for p in pieces if p not in source]
    assert not missing, missing


def test_every_article_text_quoted_in_the_vocabulary_is_in_the_legal_facts():
    """不予处罚 grounds and the general requirements of 第二十八条 quote 行政处罚法 verbatim."""
    facts = squeeze(FACTS.read_text(encoding="utf-8"))
    vocab = yaml.safe_load((REPO / "rules" / "vocabulary.yaml").read_text(encoding="utf-8"))
    quoted = [g["text"] for g in vocab["no_penalty_grounds"]] + [k["general"]["text"] for k in vocab["sanctions"] if k.get("general")]
    missing = [t for t in quoted if squeeze(t) not in facts]
    assert not missing, missing
