"""Create the demo organisation and ingest the demo recordings."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from qa import ROOT
from qa.auth.models import User
from qa.auth.services import create_user
from qa.calls.services import CallMetadata, IngestResult, commit_and_dispatch, ingest
from qa.db import db

DEMO_DIR = ROOT / "demo"
DEMO_PASSWORD = "callqa-demo"
STAFF = [
    ("admin", "Ada Admin", "admin", None),
    ("qa", "Quinn Analyst", "qa", None),
    ("manager", "Morgan Lead", "manager", "Team Harbour"),
    ("manager.zh", "林經理", "manager", "Team Jade"),
]


@dataclass
class DemoReport:
    """What ``create_demo`` did."""

    users_created: list[str] = field(default_factory=list)
    results: list[IngestResult] = field(default_factory=list)


def _ensure_user(
    username: str, name: str, role: str, team: str | None, code: str | None, report: DemoReport
) -> None:
    if db.session.scalar(select(User).where(User.username == username)) is None:
        create_user(username, DEMO_PASSWORD, role, name=name, team=team, agent_code=code)
        report.users_created.append(username)


def demo_rows(demo_dir: Path = DEMO_DIR) -> list[dict[str, str]]:
    """Return the demo calls' metadata rows."""
    with (demo_dir / "calls.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def create_demo(demo_dir: Path = DEMO_DIR) -> DemoReport:
    """Create demo users and teams, ingest and queue the demo calls (idempotent)."""
    report = DemoReport()
    rows = demo_rows(demo_dir)
    for username, name, role, team in STAFF:
        _ensure_user(username, name, role, team, None, report)
    for row in rows:
        code = row["agent_code"]
        _ensure_user(f"agent.{code.lower()}", row["agent_name"], "agent", row["team"], code, report)
    db.session.commit()
    for row in rows:
        path = demo_dir / "recordings" / row["filename"]
        with path.open("rb") as fh:
            result = ingest(fh, path.name, CallMetadata.from_strings(row))
        if result.status == "rejected":
            db.session.rollback()
        report.results.append(result)
    commit_and_dispatch(report.results)
    return report
