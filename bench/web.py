"""Time the QA workspace pages on a large synthetic data set; print one JSON line.

Seeds 100,000 calls / 500 agents / ~2 million item results (20 per call: the two default
rubrics of the call's language plus bench/complaints_rubric.yaml; ``--quick``: 10,000 calls) into
a fresh SQLite file (and into PostgreSQL with ``--postgres URL``: that database's public
schema is dropped first), then requests each page N times through the Flask test client and
reports server-side p50/p95 in milliseconds.

    .venv/bin/python bench/web.py --quick
    .venv/bin/python bench/web.py --postgres postgresql://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.web_seed import PASSWORD, seed  # noqa: E402
from qa import create_app  # noqa: E402
from qa.core.migrate import upgrade  # noqa: E402
from qa.dashboards.rollups import rebuild  # noqa: E402
from qa.dashboards.services import invalidate  # noqa: E402
from qa.db import db  # noqa: E402
from qa.rubrics.services import add_version, install_defaults, publish  # noqa: E402

COMPLAINTS = Path(__file__).resolve().parent / "complaints_rubric.yaml"


def _pages(calls: int, rng: random.Random, has_dashboard: bool) -> dict[str, Any]:
    """Return the URL (or URL maker) timed for each figure.

    Dashboard figures are cold: the aggregate cache is dropped before every request, as any
    score, override or KPI import in a live centre drops it.
    """
    year_ago = (datetime.now(UTC) - timedelta(weeks=51)).date()
    year_ago -= timedelta(days=year_ago.weekday())
    return {
        "call_list": lambda: "/",
        "call_list_filtered": lambda: "/?critical=1&language=en&sort=score&order=asc",
        "call_list_page_10": lambda: "/?page=10",
        "search_en": lambda: "/?q=" + quote("refunded duplicate"),
        "search_zh": lambda: "/?q=" + quote("申請退款"),
        "search_zh_2chars": lambda: "/?q=" + quote("退款"),
        "call_page": lambda: f"/calls/{rng.randrange(1, calls + 1)}",
        "dashboard": (lambda: "/dashboard") if has_dashboard else None,
        "dashboard_52w": (lambda: f"/dashboard?start={year_ago}") if has_dashboard else None,
        "review_queue": lambda: "/queue/",
    }


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return round(statistics.median(times), 1), round(p95, 1)


def _time_page(client: Any, make_url: Any, requests: int, cold: bool = False) -> dict[str, float]:
    """Return wall-clock and CPU (this process: app + SQLite) percentiles of one page.

    With ``cold`` the dashboard cache is dropped before each request (outside the timing).
    """
    client.get(make_url())  # warm caches once
    wall, cpu = [], []
    for _ in range(requests):
        url = make_url()
        if cold:
            invalidate()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        if response.status_code != 200:
            return {"error": f"{url} answered HTTP {response.status_code}"}
    p50, p95 = _percentiles(wall)
    cpu50, cpu95 = _percentiles(cpu)
    return {"p50_ms": p50, "p95_ms": p95, "cpu_p50_ms": cpu50, "cpu_p95_ms": cpu95}


def _fresh_postgres(url: str) -> None:
    from qa.db import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _analyze(engine: Any) -> None:
    """Refresh planner statistics (and, on PostgreSQL, the visibility map, as autovacuum would)."""
    statement = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(statement))


def run(
    url: str, folder: Path, calls: int, agents: int, requests: int, reuse: bool = False
) -> dict[str, Any]:
    """Seed the database at ``url`` (unless ``reuse``) and time every page; return the figures."""
    config = {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "WTF_CSRF_ENABLED": False,
        "BROKER_URL": "memory://",
        "AUDIO_STORE": str(folder / "audio"),
    }
    app = create_app(config, instance_path=str(folder / "instance"))
    upgrade(app)
    figures: dict[str, Any] = {}
    with app.app_context():
        if reuse:
            figures["seed_s"] = None  # seeded by an earlier run
        else:
            install_defaults()
            publish(add_version(COMPLAINTS.read_text(encoding="utf-8")))
            db.session.commit()
            start = time.perf_counter()
            with db.engine.begin() as conn:
                counts = seed(conn, calls, agents, datetime.now(UTC).replace(tzinfo=None))
            figures["seed_s"] = round(time.perf_counter() - start, 1)
            figures["rows"] = counts.__dict__
            start = time.perf_counter()
            figures["rows"] |= rebuild(db.session)
            db.session.commit()
            figures["rollup_rebuild_s"] = round(time.perf_counter() - start, 1)
            db.session.remove()  # an open snapshot would keep VACUUM from marking pages visible
            _analyze(db.engine)
        rng = random.Random(1)
        gc.collect()
        gc.freeze()  # as `callqa serve` does once the app is up
        has_dashboard = any(r.rule == "/dashboard" for r in app.url_map.iter_rules())
        client = app.test_client()
        login = client.post("/login", data={"username": "qa", "password": PASSWORD})
        if login.status_code != 302:
            raise RuntimeError("could not sign in as the bench QA user")
        for name, make_url in _pages(calls, rng, has_dashboard).items():
            cold = name.startswith("dashboard")
            figures[name] = (
                None if make_url is None else _time_page(client, make_url, requests, cold)
            )
        agent = app.test_client()
        agent.post("/login", data={"username": "agent0007", "password": PASSWORD})
        figures["call_list_as_agent"] = _time_page(agent, lambda: "/", requests)
        if has_dashboard:
            page = _time_page(agent, lambda: "/dashboard", requests, cold=True)
            figures["dashboard_as_agent"] = page
            manager = app.test_client()
            manager.post("/login", data={"username": "manager", "password": PASSWORD})
            page = _time_page(manager, lambda: "/dashboard", requests, cold=True)
            figures["dashboard_as_manager"] = page
    app.extensions["db_engine"].dispose()
    return figures


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, run the backends asked for and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 calls instead of 100,000")
    parser.add_argument("--calls", type=int, help="number of calls (overrides --quick)")
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL database")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the SQLite file in DIR and reuse it (and the PostgreSQL data) when there",
    )
    args = parser.parse_args(argv)
    calls = args.calls or (10_000 if args.quick else 100_000)
    result: dict[str, Any] = {
        "calls": calls,
        "agents": args.agents,
        "requests": args.requests,
        "load_avg_1m": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
    }
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if not args.no_sqlite:
            db_file = folder / f"bench-{calls}.sqlite"
            reuse = bool(args.keep) and db_file.exists()
            result["sqlite"] = run(
                f"sqlite:///{db_file}", folder / "sqlite", calls, args.agents, args.requests, reuse
            )
        if args.postgres:
            marker = folder / f"bench-{calls}.postgres"
            reuse = bool(args.keep) and marker.exists() and marker.read_text() == args.postgres
            if not reuse:
                _fresh_postgres(args.postgres)
            result["postgresql"] = run(
                args.postgres, folder / "pg", calls, args.agents, args.requests, reuse
            )
            if args.keep:
                marker.write_text(args.postgres)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
