"""The article text behind a basis label (行政处罚法 第三十三条…), in the version in force on a day."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from quanze.engine.versions import version_in_force

_LABEL = re.compile(r"^(\S+) (第[一二三四五六七八九十百零]+条)(\S*)")


def provision_of(rules: Any, label: str) -> str | None:
    """The provision id a basis label names (the whole article when only a part is cited)."""
    m = _LABEL.match(label.strip())
    if not m:
        return None
    short, article, rest = m.groups()
    laws = {law.short: law.id for law in rules.laws.values()}
    law = laws.get(short)
    if law is None:
        return None
    candidates = [(pid, p) for pid, p in rules.provisions.items() if p.law == law and p.article.startswith(article)]
    if not candidates:
        return None
    exact = [pid for pid, p in candidates if p.article == article + rest]
    if exact:
        return exact[0]
    whole = [pid for pid, p in candidates if p.article == article]
    return whole[0] if whole else candidates[0][0]


def basis_text(rules: Any, label: str, day: dt.date | None = None) -> str | None:
    """The text of the provision a label names, in the version in force on ``day`` (latest when None)."""
    pid = provision_of(rules, label)
    if pid is None:
        return None
    versions = rules.provisions[pid].versions
    index = None
    if day is not None:
        index, _dated = version_in_force(versions, day)
    if index is None:
        index = next((i for i, v in enumerate(versions) if v.in_force_until is None), len(versions) - 1)
    return versions[index].text.strip()


def basis_texts(rules: Any, labels: list[str], day: dt.date | None = None) -> list[tuple[str, str | None]]:
    """(labels, text) for each provision the labels cite, each once, in order (labels of one article joined by 、)."""
    groups: dict[str, list[str]] = {}
    texts: dict[str, str | None] = {}
    for label in dict.fromkeys(labels):
        key = provision_of(rules, label) or label
        if key not in groups:
            groups[key] = []
            texts[key] = basis_text(rules, label, day)
        groups[key].append(label)
    return [("、".join(group), texts[key]) for key, group in groups.items()]
