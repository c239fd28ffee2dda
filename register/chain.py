"""The hash chain of a case's versions: each version's hash covers what was saved and the hash of the version
before, so changing or deleting a stored version breaks every hash after it (``quanze register verify``)."""

from __future__ import annotations

import hashlib
import json

GENESIS = "0" * 64  # the "previous hash" of a case's first version


def version_hash(prev_hash: str, case_id: str, number: int, saved_at: str, saved_by: str, media: str, text: str,
                 valid: bool, result: str, rules_version: str) -> str:
    """SHA-256 of the previous hash and the version's fields (as stored: text, not re-serialised)."""
    payload = json.dumps([case_id, number, saved_at, saved_by, media, text, valid, result, rules_version],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + payload).encode("utf-8", "surrogatepass")).hexdigest()


def ledger(heads: list[tuple[str, int, str]]) -> str:
    """One hash over every case's head (case number, version count, head hash): note it down (or print it in
    the daily digest) and a later ``verify`` shows whether anything before it was taken away."""
    text = "\n".join(f"{c}\t{n}\t{h}" for c, n, h in sorted(heads))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
