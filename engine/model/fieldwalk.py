"""The field tables of the draft models: every field's path, title, description, full label and value labels, and
a path's label from them. Given the models, it imports none, so engine/model/drafts.py (whose validators word
their problems with these labels) and engine/model/labels.py (the tables the output reads) both use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
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


def _walk(
    model: type[BaseModel], prefix: str, parent: str, values_of: Callable[[Any], dict[str, str]]
) -> Iterator[tuple[str, str, str, str, dict[str, str]]]:
    """(path, title, description, full label, value labels) of every field of a model and of the models it holds."""
    relative = getattr(model, "RELATIVE_TITLES", False)
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        title = info.title or name
        full = parent + title if relative else title
        yield path, title, info.description or "", full, values_of(info)
        for sub in _submodels(info.annotation):
            yield from _walk(sub, f"{path}.", full, values_of)


def tables(
    models: Iterable[type[BaseModel]], values_of: Callable[[Any], dict[str, str]]
) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, dict[str, str]]]:
    """(FIELDS, TITLES, DESCRIPTIONS, CHOICES), walked once from the draft models of engine/model/drafts.py.

    The one source of a field's Chinese name is its ``Field(title=…)``; a path several kinds share
    (kind, case_id, decision …) has the same title in each (tests/test_labels.py), the first kind's
    description is kept.
    """
    fields: dict[str, str] = {}
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for model in models:
        for path, title, description, full, values in _walk(model, "", "", values_of):
            fields.setdefault(path, full)
            titles.setdefault(path, title)
            descriptions.setdefault(path, description)
            if values:
                choices.setdefault(path, values)
    return fields, titles, descriptions, choices


_INDEX = re.compile(r"\[(\d+)\]")


def label_in(fields: dict[str, str], path: str) -> str:
    """``violation.factors[0]`` → 第 1 项违法情节; an unknown path: its nearest known parent·the rest."""
    if not path:
        return ""
    indices = [int(i) + 1 for i in _INDEX.findall(path)]
    bare = _INDEX.sub("", path)
    if bare.startswith("facts.") and bare not in fields:
        label = f"事项事实“{bare.split('.', 1)[1]}”"
    else:
        parts = bare.split(".")
        label = ""
        while parts:
            key = ".".join(parts)
            if key in fields:
                label = fields[key] + ("" if key == bare else f"·「{bare[len(key) + 1 :]}」")
                break
            parts.pop()
        label = label or bare
    if indices:
        label = "".join(f"第 {i} 项" for i in indices) + label
    return label
