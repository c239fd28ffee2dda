"""The register's cards and the daily digest: 红牌 when a step's last day has passed, 黄牌 when it falls within
N working days (QUANZE_YELLOW_DAYS, default 3), counted on the rules' calendar (engine/api.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

from quanze.engine import api
from quanze.register.settings import Smtp
from quanze.register.store import MAX_PAGE, Register

RED, YELLOW = "red", "yellow"
CARD_NAMES = {RED: "红牌", YELLOW: "黄牌"}
NO_HANDLER = "（未填承办人）"


def card(nearest: str | None, today: dt.date, rules: Any, yellow_days: int) -> tuple[str | None, str]:
    """The card of a case's nearest last day, and the words for it."""
    if nearest is None:
        return None, ""
    day = dt.date.fromisoformat(nearest)
    if day < today:
        return RED, f"已逾期 {(today - day).days} 日"
    if day == today:
        return YELLOW, "今日到期"
    left = api.workdays_until(rules, today, day)
    return (YELLOW if left <= yellow_days else None), f"剩余 {left} 个工作日"


def with_cards(rows: list[dict[str, Any]], today: dt.date, rules: Any, yellow_days: int) -> list[dict[str, Any]]:
    """Register entries with their ``card`` (red, yellow or null) and ``remaining`` (words)."""
    out = []
    for row in rows:
        colour, words = card(row["nearest"], today, rules, yellow_days)
        out.append({**row, "card": colour, "remaining": words})
    return out


def carded(register: Register, today: dt.date, rules: Any, yellow_days: int) -> Iterator[dict[str, Any]]:
    """Every open case with a card, nearest first (the list is read in pages and stops at the first without one)."""
    offset = 0
    while True:
        _total, rows = register.listing(offset=offset, limit=MAX_PAGE)
        for row in with_cards(rows, today, rules, yellow_days):
            if row["nearest"] is None:
                return
            if row["card"] is None:
                return  # sorted by last day: every later case has as many working days left or more
            yield row
        if len(rows) < MAX_PAGE:
            return
        offset += MAX_PAGE


def digest(register: Register, today: dt.date, rules: Any, yellow_days: int) -> dict[str, list[dict[str, Any]]]:
    """The cards of each 承办人 (red first, then by last day)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in carded(register, today, rules, yellow_days):
        out.setdefault(row["handler"] or NO_HANDLER, []).append(row)
    for rows in out.values():
        rows.sort(key=lambda r: (r["card"] != RED, r["nearest"]))
    return dict(sorted(out.items()))


def card_line(row: dict[str, Any]) -> str:
    parts = [CARD_NAMES[row["card"]], row["case_id"], row["item"] or "", row["stage"] or ""]
    step = f"下一步：{row['next_step']}，最后期限 {row['nearest']}（{row['remaining']}）"
    return "  ".join(p for p in parts if p) + "  " + step


def digest_text(officer: str, rows: list[dict[str, Any]], today: dt.date) -> str:
    reds = sum(r["card"] == RED for r in rows)
    head = f"{officer}：截至 {today}，红牌 {reds} 件，黄牌 {len(rows) - reds} 件"
    return "\n".join([head, *("  " + card_line(r) for r in rows)])


def send(smtp: Smtp, messages: list[tuple[str, str, str]], today: dt.date) -> None:
    """Send (officer, address, text) messages through the configured server, one connection."""
    import smtplib

    with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
        if smtp.starttls:
            server.starttls()
        if smtp.user:
            server.login(smtp.user, smtp.password or "")
        for officer, address, text in messages:
            msg = EmailMessage()
            msg["Subject"] = f"案件期限提醒（{today}）：{officer}"
            msg["From"] = smtp.sender
            msg["To"] = address
            msg.set_content(text + "\n\n（quanze 案件登记库每日提醒）\n")
            server.send_message(msg)
