"""A rule's text with its placeholders filled: the message and the basis labels, for the finding and its trace row."""

from __future__ import annotations

import re
from typing import Any

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")


def fill(template: str, context: dict[str, Any]) -> str:
    """Fill {name} (dotted names allowed: {fine.max}) from the context; unknown names stay."""
    return PLACEHOLDER.sub(lambda m: str(context.get(m.group(1), m.group(0))), template)


def basis_labels(label: str, c: Any) -> list[str]:
    """A basis label of a rule, with {provision} and for_each bindings (a list binding gives several) filled."""
    if label == "{provision}":
        return [c.params.get("provision", "")]
    m = PLACEHOLDER.fullmatch(label)
    if m and isinstance(c.bindings.get(m.group(1)), list):
        return list(c.bindings[m.group(1)])
    return [fill(label, {**c.params, **c.bindings})] if m else [label]
