"""Time the dashboard and weekly-report queries on 100k calls / 2M item results.

Run from the repository root: ``python -m bench.dashboard [--calls N] [--database-url URL]``.
Builds a fresh database (SQLite in a temporary folder unless a URL is given), fills it with
bulk inserts and rebuilds the dashboard rollups from them, then prints one JSON line of
timings in seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date, datetime, timedelta

from sqlalchemy import insert

from qa import create_app
from qa.auth.models import Team, User
from qa.calls.models import Call
from qa.core.migrate import upgrade
from qa.dashboards.filters import DashboardFilter
from qa.dashboards.rollups import rebuild
from qa.dashboards.services import dashboard_data
from qa.db import db
from qa.kpis.models import KpiValue
from qa.reports.services import weekly_report
from qa.rubrics.models import RubricRecord, RubricVersion
from qa.scorecards.models import ItemResultRecord, ScorecardRecord

TEAMS, AGENTS_PER_TEAM, ITEMS, CHUNK = 10, 20, 20, 20_000
END = date(2026, 11, 22)


def _chunks(rows: list[dict], size: int = CHUNK):  # type: ignore[no-untyped-def]
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _fill(calls: int, seed: int) -> None:
    rng = random.Random(seed)
    db.session.execute(insert(Team), [{"id": t + 1, "name": f"Team {t + 1}"} for t in range(TEAMS)])
    agents = [
        {"id": a + 1, "username": f"agent{a + 1}", "name": f"Agent {a + 1}", "role": "agent",
         "team_id": a // AGENTS_PER_TEAM + 1, "agent_code": f"A{a + 1}", "password_hash": "-",
         "locale": "en"}
        for a in range(TEAMS * AGENTS_PER_TEAM)
    ]  # fmt: skip
    db.session.execute(insert(User), agents)
    rubric = RubricRecord(key="bench", name="Bench", languages=["en"])
    db.session.add(rubric)
    db.session.flush()
    version = RubricVersion(rubric_id=rubric.id, version=1, document="{}", status="published")
    db.session.add(version)
    db.session.flush()
    start = datetime.combine(END - timedelta(days=364), datetime.min.time())
    call_rows, card_rows, item_rows, kpi_rows = [], [], [], []
    for c in range(1, calls + 1):
        when = start + timedelta(seconds=rng.randrange(365 * 86400))
        call_rows.append(
            {"id": c, "sha256": f"{c:064x}", "original_filename": f"{c}.wav", "format": "wav",
             "size_bytes": 1, "duration": rng.uniform(60, 900), "channels": 1,
             "sample_rate": 8000, "started_at": when, "created_at": when,
             "agent_id": rng.randrange(len(agents)) + 1, "status": "scored", "language": "en"}
        )  # fmt: skip
        results = [rng.choice(("pass", "pass", "pass", "fail", "na")) for _ in range(ITEMS)]
        auto = [r if rng.random() < 0.95 else "pass" for r in results]
        total = 100.0 * results.count("pass") / max(1, ITEMS - results.count("na"))
        metrics = {"talk_ratio_agent": rng.random(), "dead_air_total": rng.uniform(0, 60)}
        card_rows.append(
            {"id": c, "call_id": c, "rubric_version_id": version.id, "total": total,
             "auto_total": total if results == auto else total - 5, "passed": total >= 80,
             "data": {"metrics": metrics}, "created_at": when, "updated_at": when,
             "lock_version": 1}
        )  # fmt: skip
        for i, (res, a) in enumerate(zip(results, auto, strict=True)):
            item_rows.append(
                {"scorecard_id": c, "call_id": c, "item_key": f"item{i}", "section": f"s{i // 5}",
                 "title": f"Item {i}", "result": res, "auto_result": a, "points": 1.0,
                 "max_points": 1.0, "confidence": 0.9}
            )  # fmt: skip
        if rng.random() < 0.3:
            kpi_rows += [
                {"call_id": c, "kind": "csat", "value": rng.randint(1, 5), "source": "b"},
                {"call_id": c, "kind": "nps", "value": rng.randint(0, 10), "source": "b"},
                {"call_id": c, "kind": "fcr", "value": rng.randint(0, 1), "source": "b"},
            ]
    for table, rows in ((Call, call_rows), (ScorecardRecord, card_rows),
                        (ItemResultRecord, item_rows), (KpiValue, kpi_rows)):  # fmt: skip
        for chunk in _chunks(rows):
            db.session.execute(insert(table), chunk)
    db.session.commit()


def _timed(fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return round(time.perf_counter() - t0, 3)


def main(calls: int, database_url: str | None, seed: int = 7) -> dict:
    """Return build and query timings for ``calls`` calls."""
    folder = tempfile.mkdtemp(prefix="dashbench")
    url = database_url or f"sqlite:///{folder}/bench.sqlite"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"}, instance_path=folder)
    upgrade(app)
    with app.app_context(), app.test_request_context():
        build = _timed(lambda: _fill(calls, seed))
        rollups = _timed(lambda: (rebuild(db.session), db.session.commit()))
        qa = User(id=10_000, role="qa", username="qa", name="QA", password_hash="-")
        manager = User(id=10_001, role="manager", username="m", name="M", team_id=1,
                       password_hash="-")  # fmt: skip
        quarter = DashboardFilter(END - timedelta(weeks=12), END)
        year = DashboardFilter(END - timedelta(days=364), END)
        figures = {
            "calls": calls,
            "item_results": calls * ITEMS,
            "dialect": db.engine.dialect.name,
            "build_s": build,
            "rollup_rebuild_s": rollups,
            "dashboard_all_12w_s": _timed(lambda: dashboard_data(qa, quarter)),
            "dashboard_all_52w_s": _timed(lambda: dashboard_data(qa, year)),
            "dashboard_team_12w_s": _timed(lambda: dashboard_data(manager, quarter)),
            "dashboard_cached_s": _timed(lambda: [dashboard_data(qa, year, 60) for _ in range(2)]),
            "weekly_report_team_s": _timed(lambda: weekly_report(qa, 1, END - timedelta(days=7))),
        }
    app.extensions["db_engine"].dispose()
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(json.dumps(main(args.calls, args.database_url)))
