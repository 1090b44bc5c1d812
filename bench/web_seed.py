"""Bulk-load a synthetic contact centre (teams, agents, calls, transcripts, scorecards).

Rows go in with SQLAlchemy Core ``executemany`` in chunks; ids are assigned here so no row
has to be read back. Used by ``bench/web.py``.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import Connection
from werkzeug.security import generate_password_hash

from qa.auth.models import Team, User
from qa.calls.models import Call, TranscriptRecord
from qa.kpis.models import KpiValue
from qa.rubrics.services import parse, published_versions
from qa.scorecards.models import ItemResultRecord, ScorecardRecord
from scoring.rubric import Rubric
from transcription.schema import Segment, Speaker, Transcript

PASSWORD = "bench-password"
CHUNK = 5000
QUEUES = ("billing", "support", "sales", "retention", "technical", "complaints")
EN_LINES = (
    (
        "agent",
        "Thank you for calling Northwind Telecom, my name is {name}. How can I help you today?",
    ),
    ("customer", "Hi, I was charged twice for the same month on my bill."),
    ("customer", "My router keeps dropping the connection every evening."),
    ("customer", "I would like to cancel my contract, the price went up again."),
    ("customer", "The parcel never arrived and the tracking number does not work."),
    ("customer", "I need to reset the password for my online account."),
    ("agent", "Could you please confirm your full name and date of birth?"),
    ("agent", "I'm sorry about that, I understand how frustrating this is."),
    ("agent", "I have refunded the duplicate charge; you will see it within five working days."),
    ("agent", "I have sent a technician; they will arrive tomorrow between nine and twelve."),
    ("agent", "I can offer you a loyalty discount of twenty percent for twelve months."),
    ("agent", "Please hold for a moment while I check the delivery with the courier."),
    ("agent", "Thanks for holding. The replacement ships today with express delivery."),
    ("customer", "Great, thanks, that solves it."),
    ("customer", "This is ridiculous, I want to speak to a manager."),
    ("agent", "Is there anything else I can help you with today?"),
    ("agent", "Thank you for calling Northwind Telecom. Have a great day, goodbye."),
)
ZH_LINES = (
    ("agent", "您好，歡迎致電北風電信，我是{name}，請問有什麼可以幫助您的嗎？"),
    ("customer", "你好，我這個月的帳單被重複扣款了。"),
    ("customer", "我家的路由器每天晚上都斷線。"),
    ("customer", "我要申請退款，訂單號碼是一二三四五。"),
    ("customer", "包裹一直沒有收到，物流單號也查不到。"),
    ("agent", "麻煩您提供一下您的姓名和出生日期，我幫您核實身份。"),
    ("agent", "不好意思，讓您久等了，我非常理解您的心情。"),
    ("agent", "退款已經處理，預計三到五個工作日到帳。"),
    ("agent", "我們會安排技術人員明天上午上門維修。"),
    ("customer", "好的，謝謝你。"),
    ("customer", "你們的服務太差了，我要投訴。"),
    ("agent", "請問還有其他可以幫到您的嗎？"),
    ("agent", "感謝您的來電，祝您生活愉快，再見。"),
)


@dataclass
class SeedCounts:
    """How many rows of each kind were written."""

    teams: int = 0
    users: int = 0
    calls: int = 0
    transcripts: int = 0
    scorecards: int = 0
    item_results: int = 0
    kpi_values: int = 0


def _chunks(rows: Iterator[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _transcript(rng: random.Random, lines: tuple, language: str, agent: str) -> dict[str, Any]:
    picked = [lines[0], *rng.sample(lines[1:-1], 5), lines[-1]]
    segments, t = [], 0.5
    for i, (role, line) in enumerate(picked):
        words = line.format(name=agent)
        length = max(len(words) / (14 if language == "en" else 4), 1.0)
        segments.append(
            Segment(
                i, round(t, 2), round(t + length, 2), words, f"S{role == 'customer':d}", role, 0.93
            )
        )
        t += length + 0.6
    speakers = [Speaker("S0", "agent", 0.9, 0), Speaker("S1", "customer", 0.9, 1)]
    return Transcript(
        round(t + 1, 2), language, segments, speakers, engine={"asr": "bench"}
    ).to_dict()


def _scorecard(rng: random.Random, rubric: Rubric, language: str) -> tuple[dict, list[dict]]:
    """Return a scorecard dict and its item rows (without ids) with plausible results.

    About 3% of scorecards carry one reviewer override (the item's ``auto_result`` differs).
    """
    critical_fail = rng.random() < 0.05
    unsure = rng.random() < 0.10
    overridden = rng.random() < 0.03
    items, earned, possible = [], 0.0, 0.0
    for section in rubric.sections:
        for item in section.items:
            failed = rng.random() < 0.12 or (critical_fail and bool(item.critical))
            max_points = float(item.weight * (item.scoring.max or 1))
            points = 0.0 if failed else max_points
            confidence = round(
                rng.uniform(0.35, 0.6) if unsure and rng.random() < 0.3 else rng.uniform(0.7, 1.0),
                3,
            )
            items.append(
                {
                    "key": item.key,
                    "title": item.title,
                    "section": section.key,
                    "stage": item.stage,
                    "result": "fail" if failed else "pass",
                    "auto_result": "fail" if failed else "pass",
                    "points": points,
                    "max_points": max_points,
                    "value": None,
                    "critical": bool(item.critical),
                    "confidence": confidence,
                    "needs_review": confidence < rubric.review_below,
                    "reason": "not found" if failed else "",
                    "evidence": [],
                }
            )
            earned, possible = earned + points, possible + max_points
    if overridden and items:
        changed = rng.choice(items)
        changed["result"] = "pass" if changed["auto_result"] == "fail" else "fail"
    auto_total = round(100.0 * earned / possible, 1) if possible else 100.0
    total = auto_total - 5.0 if overridden else auto_total
    critical_failures = [i["key"] for i in items if i["critical"] and i["result"] == "fail"]
    needs_review = any(i["needs_review"] for i in items)
    card = {
        "rubric": rubric.key,
        "rubric_name": rubric.name,
        "rubric_version": rubric.version,
        "language": language,
        "total": total,
        "passed": total >= rubric.pass_mark and not critical_failures,
        "critical_failures": critical_failures,
        "needs_review": needs_review,
        "sections": [],
        "auto_total": auto_total,
        "items": items,
        "metrics": {
            "talk_ratio_agent": round(rng.uniform(0.3, 0.75), 4),
            "dead_air_total": round(rng.uniform(0.0, 40.0), 2),
        },
    }
    return card, items


def _kpi_rows(rng: random.Random, calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return imported KPI values (CSAT, NPS, FCR, AHT) for about 30% of ``calls``."""
    rows = []
    for call in calls:
        if rng.random() < 0.3:
            values = {
                "csat": rng.randint(1, 5),
                "nps": rng.randint(0, 10),
                "fcr": rng.randint(0, 1),
                "aht": round(call["duration"] + rng.uniform(0, 120), 1),
            }
            rows += [
                {"call_id": call["id"], "kind": kind, "value": float(value), "source": "bench",
                 "imported_by_id": 1, "imported_at": call["created_at"]}
                for kind, value in values.items()
            ]  # fmt: skip
    return rows


def _reset_sequences(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    tables = ("teams", "users", "calls", "transcripts", "scorecards", "item_results", "kpi_values")
    for table in tables:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def seed(
    conn: Connection, calls: int, agents: int, now: datetime, seed_value: int = 7
) -> SeedCounts:
    """Write the synthetic data set through ``conn`` (needs an app context for the rubrics)."""
    rng = random.Random(seed_value)
    counts = SeedCounts()
    password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    n_teams = max(agents // 20, 1)
    conn.execute(
        insert(Team),
        [{"id": i + 1, "name": f"Team {i + 1:02d}", "created_at": now} for i in range(n_teams)],
    )
    counts.teams = n_teams
    users = [
        {"id": 1, "username": "qa", "name": "Bench QA", "role": "qa", "team_id": None},
        {"id": 2, "username": "admin", "name": "Bench Admin", "role": "admin", "team_id": None},
        {"id": 3, "username": "manager", "name": "Bench Manager", "role": "manager", "team_id": 1},
    ]
    users += [
        {
            "id": 4 + i,
            "username": f"agent{i:04d}",
            "name": f"Agent {i:04d}",
            "role": "agent",
            "team_id": 1 + i % n_teams,
            "agent_code": f"A{i:04d}",
        }
        for i in range(agents)
    ]
    for user in users:
        user.setdefault("agent_code", None)
        user.update(
            password_hash=password,
            active=True,
            locale="en",
            failed_logins=0,
            created_at=now,
            email=None,
        )
    conn.execute(insert(User), users)
    counts.users = len(users)
    rubrics = {lang: [(v.id, parse(v)) for v in published_versions(lang)] for lang in ("en", "zh")}
    agent_ids = [u["id"] for u in users if u["role"] == "agent"]
    variants = {
        (lang, v): _transcript(rng, EN_LINES if lang == "en" else ZH_LINES, lang, f"Agent {v:02d}")
        for lang in ("en", "zh")
        for v in range(40)
    }
    card_id = item_id = 0
    for batch in _chunks(iter(range(1, calls + 1)), 2000):
        call_rows, transcript_rows, card_rows, item_rows = [], [], [], []
        for call_id in batch:
            lang = "zh" if rng.random() < 0.3 else "en"
            started = now - timedelta(seconds=rng.randrange(90 * 86400))
            data = variants[(lang, rng.randrange(40))]
            call_rows.append(
                {
                    "id": call_id,
                    "sha256": hashlib.sha256(f"bench{call_id}".encode()).hexdigest(),
                    "original_filename": f"call{call_id:06d}.wav",
                    "format": "wav",
                    "size_bytes": 960000,
                    "duration": data["duration"] + rng.uniform(0, 600),
                    "channels": 2,
                    "sample_rate": 8000,
                    "language": lang,
                    "direction": "inbound",
                    "queue": rng.choice(QUEUES),
                    "customer_ref": None,
                    "agent_channel": 0,
                    "started_at": started,
                    "agent_id": rng.choice(agent_ids),
                    "uploaded_by_id": 1,
                    "status": "scored",
                    "error_message": None,
                    "created_at": started + timedelta(minutes=5),
                }
            )
            transcript_rows.append(
                {
                    "id": call_id,
                    "call_id": call_id,
                    "language": lang,
                    "engine": "bench",
                    "text": "\n".join(s["text"] for s in data["segments"]),
                    "data": data,
                    "created_at": started,
                }
            )
            for version_id, rubric in rubrics[lang]:
                card_id += 1
                card, items = _scorecard(rng, rubric, lang)
                card_rows.append(
                    {
                        "id": card_id,
                        "call_id": call_id,
                        "rubric_version_id": version_id,
                        "total": card["total"],
                        "auto_total": card["auto_total"],
                        "passed": card["passed"],
                        "needs_review": card["needs_review"],
                        "critical_failed": bool(card["critical_failures"]),
                        "data": card,
                        "created_at": started,
                        "updated_at": started,
                        "lock_version": 1,
                    }
                )
                for item in items:
                    item_id += 1
                    item_rows.append(
                        {
                            "id": item_id,
                            "scorecard_id": card_id,
                            "call_id": call_id,
                            "item_key": item["key"],
                            "section": item["section"],
                            "title": item["title"][:200],
                            "result": item["result"],
                            "auto_result": item["auto_result"],
                            "points": item["points"],
                            "max_points": item["max_points"],
                            "confidence": item["confidence"],
                            "needs_review": item["needs_review"],
                            "critical": item["critical"],
                            "reason": item["reason"] or None,
                        }
                    )
        kpi_rows = _kpi_rows(rng, call_rows)
        conn.execute(insert(Call), call_rows)
        conn.execute(insert(TranscriptRecord), transcript_rows)
        conn.execute(insert(ScorecardRecord), card_rows)
        for rows in _chunks(iter(item_rows)):
            conn.execute(insert(ItemResultRecord), rows)
        counts.calls += len(call_rows)
        counts.transcripts += len(transcript_rows)
        counts.scorecards += len(card_rows)
        if kpi_rows:
            conn.execute(insert(KpiValue), kpi_rows)
        counts.item_results += len(item_rows)
        counts.kpi_values += len(kpi_rows)
    _reset_sequences(conn)
    return counts
