"""The article text behind a basis label (行政处罚法 第三十三条…), in the version in force on a day: the one
resolver that text output, the HTML report, the 意见书 and ``GET /api/v1/basis`` share."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from quanze.engine.law.versions import version_in_force
from quanze.engine.model.text import zh

_LABEL = re.compile(r"^(\S+) (第[一二三四五六七八九十百零〇]+条)(\S*)")


@dataclass(frozen=True)
class BasisText:
    """What a basis label resolves to: the provision, how the label relates to it, the version shown."""

    label: str
    provision: str  # provision id in rules/provisions
    cites: str  # "exact"; "whole_article": the label names a 款/项 the rules hold only as the whole article;
    # "part": the label names the whole article, the rules hold only this 款
    version: Any  # the ProvisionVersion in force on the day asked (else the current one)

    @property
    def text(self) -> str:
        """The verbatim text of the version shown."""
        return self.version.text.strip()


def provision_of(rules: Any, label: str) -> tuple[str, str] | None:
    """(provision id, how the label cites it) for a basis label; None when the rules hold no such text.

    Remembered per label in ``rules.cache`` (a RuleSet does not change once loaded; a review cites the same few labels)."""
    cache = getattr(rules, "cache", None)
    if cache is None:
        return _provision_of(rules, label)
    key = ("provision_of", label)
    if key not in cache:
        cache[key] = _provision_of(rules, label)
    return cache[key]


def _provision_of(rules: Any, label: str) -> tuple[str, str] | None:
    m = _LABEL.match(label.strip())
    if not m:
        return None
    short, article, rest = m.groups()
    law = next((law.id for law in rules.laws.values() if law.short == short), None)
    if law is None:
        return None
    candidates = sorted(pid for pid, p in rules.provisions.items() if p.law == law and p.article.startswith(article))
    exact = [pid for pid in candidates if rules.provisions[pid].article == article + rest]
    if exact:
        return exact[0], "exact"
    whole = [pid for pid in candidates if rules.provisions[pid].article == article]
    if whole:
        return whole[0], "whole_article"
    if not rest and candidates:  # the article cited whole, only some of its 款 encoded
        return candidates[0], "part"
    return None  # another 款 of an article the rules hold only in part


def citation(rules: Any, label: str) -> str:
    """A basis label as a 公文 cites it: the law's full title as rules/provisions/<law>/index.yaml gives it
    (``title``), in 书名号, then the article — 《中华人民共和国节约能源法》第七十六条; 书名号 inside the title nest
    as 〈〉. A label whose law the rules do not hold is returned as it is."""
    m = _LABEL.match(label.strip())
    law = next((law for law in rules.laws.values() if law.short == m.group(1)), None) if m else None
    if m is None or law is None:
        return label
    title = zh(law.title).replace("《", "〈").replace("》", "〉")
    return f"《{title}》{label.strip()[len(m.group(1)) :].strip()}"


def resolve(rules: Any, label: str, day: dt.date | None = None) -> BasisText | None:
    """The text a label names, in the version in force on ``day`` (the current version when None or before the first)."""
    found = provision_of(rules, label)
    if found is None:
        return None
    pid, cites = found
    versions = rules.provisions[pid].versions
    index = version_in_force(versions, day)[0] if day is not None else None
    if index is None:
        index = next((i for i, v in enumerate(versions) if v.in_force_until is None), len(versions) - 1)
    return BasisText(label, pid, cites, versions[index])


def basis_text(rules: Any, label: str, day: dt.date | None = None) -> str | None:
    """The text of the provision a label names (see ``resolve``), marked when it is only part of the article cited."""
    found = resolve(rules, label, day)
    if found is None:
        return None
    if found.cites == "part":
        return f"（规则中仅有{rules.provisions[found.provision].article}）{found.text}"
    return found.text


def basis_texts(rules: Any, labels: list[str], day: dt.date | None = None) -> list[tuple[str, str | None]]:
    """(labels, text) for each provision the labels cite, each once, in order (labels of one article joined by 、)."""
    groups: dict[str, list[str]] = {}
    texts: dict[str, str | None] = {}
    for label in dict.fromkeys(labels):
        found = provision_of(rules, label)
        key = found[0] if found else label
        if key not in groups:
            groups[key] = []
            texts[key] = basis_text(rules, label, day)
        groups[key].append(label)
    return [("、".join(group), texts[key]) for key, group in groups.items()]
