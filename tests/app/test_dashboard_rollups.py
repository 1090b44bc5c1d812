"""The per-day rollups: after any mix of writes the dashboard equals the raw-row computation."""

from __future__ import annotations

import dataclasses
import random
import threading
from datetime import date
from typing import Any

import pytest
from alembic import command
from sqlalchemy import event, select

from qa.auth.models import Team, User
from qa.auth.services import update_user
from qa.calls.models import Call
from qa.cli import cli
from qa.core.migrate import alembic_config, upgrade
from qa.dashboards import rollups
from qa.dashboards.filters import DashboardFilter
from qa.dashboards.models import AgentDay, ItemDay
from qa.dashboards.services import dashboard_data, raw_dashboard
from qa.dashboards.summaries import split_weeks
from qa.db import db
from qa.jobs.models import ProcessingJob
from qa.kpis.services import import_rows
from qa.review.services import (
    OverrideRequest,
    ReviewError,
    mark_reviewed,
    override_item,
    swap_speaker_roles,
)
from qa.scorecards.models import ScorecardRecord
from qa.scorecards.services import score_call, scorecards_for_call
from transcription.schema import Transcript

from ..conftest import SCRIPT_EN, build_transcript
from .dashboard_support import fast_rubrics  # noqa: F401

pytestmark = pytest.mark.usefixtures("fast_rubrics")

WIDE = DashboardFilter(date(2020, 1, 1), date(2030, 12, 31))
NOV = DashboardFilter(date(2026, 11, 2), date(2026, 11, 15))  # two whole ISO weeks
MID = DashboardFilter(date(2026, 11, 4), date(2026, 11, 19))  # a whole week between edge days
SHORT = DashboardFilter(date(2026, 11, 4), date(2026, 11, 12))  # no whole week
BEFORE_ROLLUPS = "5b7e2c9d41a8"


def _leaves(value: Any) -> list[Any]:
    """Return the scalar leaves of nested dataclasses, lists, tuples and dicts, in order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = [getattr(value, f.name) for f in dataclasses.fields(value)]
    if isinstance(value, dict):
        return [x for k in sorted(value, key=str) for x in [k, *_leaves(value[k])]]
    if isinstance(value, list | tuple):
        return [x for v in value for x in _leaves(v)]
    return [value]


def assert_same_as_raw(user: User, flt: DashboardFilter) -> None:
    """Assert the rollup-based dashboard of ``user`` equals the raw computation."""
    fast, raw = _leaves(dashboard_data(user, flt)), _leaves(raw_dashboard(user, flt))
    assert len(fast) == len(raw), (user.role, flt)
    for got, want in zip(fast, raw, strict=True):
        if isinstance(want, float) and isinstance(got, float):
            assert got == pytest.approx(want, abs=0.002), (user.role, flt)
        else:
            assert got == want, (user.role, flt)


def rollup_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Return every rollup row, floats rounded, sorted."""
    out = {}
    for model in rollups.TABLES:
        columns = list(model.__table__.columns)
        rows = db.session.execute(select(*columns)).all()
        out[model.__tablename__] = sorted(
            tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows
        )
    return out


@pytest.fixture
def centre(make_user):  # type: ignore[no-untyped-def]
    """Two teams, three agents (one without a team), their managers and a QA reviewer."""
    people = {
        "ann": make_user("agent", team="Harbour", name="Ann"),
        "bob": make_user("agent", team="Harbour", name="Bob"),
        "sue": make_user("agent", team="Summit", name="Sue"),
        "tim": make_user("agent", team=None, name="Tim"),
        "harbour": make_user("manager", team="Harbour"),
        "summit": make_user("manager", team="Summit"),
        "lost": make_user("manager", team=None),
        "qa": make_user("qa", team=None),
    }
    people["teams"] = {t.name: t.id for t in db.session.scalars(select(Team))}
    return people


def _views(centre: dict[str, Any]) -> list[tuple[User, DashboardFilter]]:
    harbour = centre["teams"]["Harbour"]
    views = [(centre["qa"], flt) for flt in (WIDE, NOV, MID, SHORT)]
    views.append((centre["qa"], dataclasses.replace(WIDE, team_id=harbour)))
    views.append((centre["harbour"], dataclasses.replace(MID, team_id=harbour)))
    views.append((centre["qa"], dataclasses.replace(WIDE, agent_id=centre["bob"].id)))
    for manager in ("harbour", "summit", "lost"):
        user = centre[manager]
        views.append((user, dataclasses.replace(WIDE, team_id=user.team_id)))
    views.append((centre["ann"], dataclasses.replace(WIDE, agent_id=centre["ann"].id)))
    views.append((centre["tim"], dataclasses.replace(NOV, agent_id=centre["tim"].id)))
    return views


class Operations:
    """Random writes through the app's own services, each committed."""

    def __init__(self, centre: dict[str, Any], make_call: Any, make_scored: Any, seed: int):
        self.centre, self.make_call, self.make_scored = centre, make_call, make_scored
        self.rng = random.Random(seed)
        self.agents = [centre[n] for n in ("ann", "bob", "sue", "tim")] + [None]

    def _day(self) -> str:
        return f"2026-11-{self.rng.randrange(2, 16):02d}T{self.rng.randrange(8, 18):02d}:30:00"

    def _call(self) -> Call | None:
        calls = list(db.session.scalars(select(Call).order_by(Call.id)))
        return self.rng.choice(calls) if calls else None

    def _scored(self) -> Call | None:
        ids = sorted(set(db.session.scalars(select(ScorecardRecord.call_id))))
        return db.session.get(Call, self.rng.choice(ids)) if ids else None

    def score(self) -> None:
        lines = SCRIPT_EN if self.rng.random() < 0.5 else SCRIPT_EN[1:-1]
        self.make_scored(self.rng.choice(self.agents), lines=lines, started_at=self._day())

    def unscored(self) -> None:
        self.make_call(self.rng.choice(self.agents), started_at=self._day())

    def undated(self) -> None:
        self.make_call(self.rng.choice(self.agents))

    def override(self) -> None:
        call = self._scored()
        if call is None:
            return
        card = self.rng.choice(scorecards_for_call(call.id))
        row = self.rng.choice(card.items)
        item = next(i for i in card.data["items"] if i["key"] == row.item_key)
        result = "fail" if item["result"] == "pass" else "pass"
        change = OverrideRequest(
            row.item_key, result, None, "test", card.lock_version, item["result"], item["points"]
        )
        try:
            override_item(card, change, self.centre["qa"])
        except ReviewError:
            db.session.rollback()
            return
        db.session.commit()

    def recompute(self) -> None:
        call = self._scored()
        if call is not None:
            lines = SCRIPT_EN[: self.rng.randrange(3, len(SCRIPT_EN) + 1)]
            score_call(call, build_transcript(lines))
            db.session.commit()

    def swap(self) -> None:
        call = self._scored()
        if call is None or call.transcript is None:
            return
        job = swap_speaker_roles(call, self.centre["qa"], "wrong channel")
        score_call(call, Transcript.from_dict(call.transcript.data))
        job.status, job.progress, call.status = "done", 1.0, "scored"
        db.session.commit()

    def review(self) -> None:
        call = self._scored()
        if call is not None:
            mark_reviewed(call, self.centre["qa"])
            db.session.commit()

    def delete(self) -> None:
        call = self._call()
        if call is not None:
            for job in db.session.scalars(
                select(ProcessingJob).where(ProcessingJob.call_id == call.id)
            ):
                db.session.expunge(job)
            db.session.delete(call)
            db.session.commit()

    def team(self) -> None:
        agent = self.rng.choice(self.agents[:4])
        team = self.rng.choice([*self.centre["teams"].values(), None])
        update_user(agent, actor_id=self.centre["qa"].id, team_id=team)
        db.session.commit()

    def kpi(self) -> None:
        call = self._call()
        if call is not None:
            row = {"call_id": str(call.id), "csat": str(self.rng.randint(1, 5))}
            row |= {"nps": str(self.rng.randint(0, 10)), "aht": str(self.rng.randint(60, 900))}
            row["fcr"] = str(self.rng.randint(0, 1))
            assert import_rows([row], "test", self.centre["qa"]).ok
            db.session.commit()

    def move(self) -> None:
        call = self._call()
        if call is not None:
            agent = self.rng.choice(self.agents)
            call.agent_id = agent.id if agent else None
            call.started_at = None if self.rng.random() < 0.2 else date(2026, 11, 9)
            db.session.commit()


WEIGHTS = {
    "score": 6, "unscored": 1, "undated": 1, "override": 4, "recompute": 2, "swap": 2,
    "review": 3, "delete": 2, "team": 3, "kpi": 3, "move": 2,
}  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "weeks", "edges"),
    [
        ("2026-11-02", "2026-11-15", ("2026-11-02", "2026-11-09"), []),
        ("2026-11-04", "2026-11-19", ("2026-11-09", "2026-11-09"),
         [("2026-11-04", "2026-11-08"), ("2026-11-16", "2026-11-19")]),
        ("2026-11-04", "2026-11-12", None, [("2026-11-04", "2026-11-12")]),
        ("2026-11-08", "2026-11-09", None, [("2026-11-08", "2026-11-09")]),
    ],
)  # fmt: skip
def test_split_weeks_takes_whole_iso_weeks_and_leaves_the_edge_days(start, end, weeks, edges):
    got_weeks, got_edges = split_weeks(date.fromisoformat(start), date.fromisoformat(end))
    as_dates = tuple(map(date.fromisoformat, weeks)) if weeks else None
    assert got_weeks == as_dates
    assert got_edges == [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in edges]


@pytest.mark.parametrize("seed", [1, 2])
def test_random_writes_keep_the_rollups_equal_to_the_raw_rows(
    centre, make_call, make_scored_call, seed
):
    ops = Operations(centre, make_call, make_scored_call, seed)
    for _ in range(4):
        ops.score()
    names = list(WEIGHTS)
    for _step in range(24):
        name = ops.rng.choices(names, weights=[WEIGHTS[n] for n in names])[0]
        getattr(ops, name)()
        db.session.expire_all()
        for user, flt in _views(centre):
            assert_same_as_raw(user, flt)
    maintained = rollup_rows()
    assert maintained["dashboard_agent_days"] and maintained["dashboard_item_days"]
    rollups.rebuild(db.session)
    db.session.commit()
    assert rollup_rows() == maintained


def test_a_rolled_back_write_leaves_the_rollups_alone(centre, make_scored_call):
    make_scored_call(centre["ann"], started_at="2026-11-03T10:00:00")
    before = rollup_rows()
    card = db.session.scalars(select(ScorecardRecord)).first()
    card.total = 1.0
    db.session.flush()
    db.session.rollback()
    card.items[0].result = "fail"  # a later, unrelated commit must not pick up stale keys
    db.session.rollback()
    db.session.commit()
    assert rollup_rows() == before


def test_team_change_moves_the_agents_item_rows(centre, make_scored_call):
    ann = centre["ann"]
    make_scored_call(ann, started_at="2026-11-03T10:00:00")
    teams = centre["teams"]
    owners = {t for (t,) in db.session.execute(select(ItemDay.team_id).distinct())}
    assert owners == {teams["Harbour"]}
    update_user(ann, actor_id=None, team_id=teams["Summit"])
    db.session.commit()
    owners = {t for (t,) in db.session.execute(select(ItemDay.team_id).distinct())}
    assert owners == {teams["Summit"]}
    assert_same_as_raw(centre["summit"], dataclasses.replace(WIDE, team_id=teams["Summit"]))


def test_migration_backfills_the_rollups_from_existing_rows(app, centre, make_scored_call):
    ops = Operations(centre, None, make_scored_call, 3)
    for _ in range(5):
        ops.score()
    ops.review()
    ops.kpi()
    ops.override()
    maintained = rollup_rows()
    db.session.close()
    config = alembic_config(app)
    command.downgrade(config, BEFORE_ROLLUPS)
    upgrade(app)
    assert rollup_rows() == maintained
    for user, flt in _views(centre):
        assert_same_as_raw(user, flt)


def test_rebuild_command_recomputes_and_reports_rows(runner, centre, make_scored_call):
    make_scored_call(centre["sue"], started_at="2026-11-04T10:00:00")
    maintained = rollup_rows()
    db.session.execute(AgentDay.__table__.delete())
    db.session.commit()
    result = runner.invoke(cli, ["dashboards", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "dashboard_agent_days: 1 rows" in result.output
    assert "dashboard_item_days:" in result.output
    assert rollup_rows() == maintained


def _fail_first_item(app: Any, call_id: int, done: list[str]) -> None:
    """Fail the first item of one of the call's scorecards and commit, in its own session."""
    with app.app_context():
        card = db.session.scalars(
            select(ScorecardRecord).where(ScorecardRecord.call_id == call_id)
        ).first()
        card.items[0].result = "fail" if card.items[0].result != "fail" else "pass"
        card.total -= 1.0
        db.session.commit()
        done.append(threading.current_thread().name)


def test_concurrent_writers_of_one_team_day_lose_nothing(app, centre, make_scored_call):
    """The first writer stops between its rollup refresh and COMMIT; the second must wait."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time; this race needs PostgreSQL")
    ann = make_scored_call(centre["ann"], started_at="2026-11-03T10:00:00")
    bob = make_scored_call(centre["bob"], started_at="2026-11-03T15:00:00")
    paused, go, done = threading.Event(), threading.Event(), []

    def hold_first_commit(_conn: Any) -> None:
        if threading.current_thread().name == "first":
            paused.set()
            go.wait(10)

    event.listen(db.engine, "commit", hold_first_commit)
    try:
        first = threading.Thread(target=_fail_first_item, args=(app, ann.id, done), name="first")
        second = threading.Thread(target=_fail_first_item, args=(app, bob.id, done), name="second")
        first.start()
        assert paused.wait(10)
        second.start()
        second.join(1.0)  # blocked on the first writer's group lock
        assert second.is_alive()
        go.set()
        first.join(10)
        second.join(10)
    finally:
        go.set()
        event.remove(db.engine, "commit", hold_first_commit)
    assert done == ["first", "second"]
    db.session.expire_all()
    maintained = rollup_rows()
    rollups.rebuild(db.session)
    db.session.commit()
    assert rollup_rows() == maintained
    assert_same_as_raw(centre["harbour"], dataclasses.replace(WIDE, team_id=ann.agent.team_id))
