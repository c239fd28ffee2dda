"""What is the same for every draft checked against one rule set (look-up tables, texts of an item), made once.

Kept in ``rules.cache`` (a RuleSet does not change once loaded), keyed by the rules' own names (an item id, a
table's name), never by a draft's content: bounded by the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def per_rules(rules: Any, key: Any, build: Callable[[Any], Any]) -> Any:
    """``build(rules)``, made on the first call for these rules and given again afterwards (made every time for rules
    without a ``cache``)."""
    cache = getattr(rules, "cache", None)
    if cache is None:
        return build(rules)
    key = ("per_rules", key)
    found = cache.get(key)
    if found is None:
        found = cache[key] = build(rules)
    return found


def stored_get(cache: Any, key: Any) -> Any:
    """``cache.get(key)``; for the rules' cache kept on disk (engine/load/rulecache.py ``CompiledStore``), a compiled
    ruleset or computed days missing in memory is looked up in its folder."""
    stored = getattr(cache, "stored", None)
    return cache.get(key) if stored is None else stored(key)
