"""The ``callqa`` commands that touch the database: users, ingest, demo, db."""

from __future__ import annotations

import shutil

from sqlalchemy import func, select

from qa.auth.models import Team, User
from qa.calls.models import Call
from qa.cli import cli
from qa.db import db
from qa.jobs.models import ProcessingJob


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_users_create_first_admin(runner):
    result = runner.invoke(
        cli,
        [
            "users",
            "create",
            "boss",
            "--role",
            "admin",
            "--team",
            "Ops",
            "--password",
            "s3cret-pass",
        ],
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "boss"))
    assert user.role == "admin" and user.team.name == "Ops" and user.check_password("s3cret-pass")


def test_users_create_reports_errors(runner):
    result = runner.invoke(
        cli, ["users", "create", "a1", "--role", "agent", "--password", "s3cret-pass"]
    )
    assert result.exit_code == 1 and "agents need an agent code" in result.output


def test_ingest_folder_summarises_each_file(runner, make_user, audio_file, tmp_path):
    make_user("agent", agent_code="A9")
    folder = tmp_path / "drop"
    folder.mkdir()
    shutil.copy(audio_file, folder / "one.flac")
    shutil.copy(audio_file, folder / "same-again.flac")
    (folder / "fake.wav").write_text("not audio\n" * 100)
    (folder / "notes.txt").write_text("hello")
    meta = tmp_path / "meta.csv"
    meta.write_text("filename,agent_code,queue,language\none.flac,A9,billing,en\n")
    result = runner.invoke(cli, ["ingest", str(folder), "--metadata", str(meta)])
    assert "accepted: 1  duplicate: 1  rejected: 2" in result.output
    assert "fake.wav: not a readable audio recording" in result.output
    assert "notes.txt: unsupported file type" in result.output
    assert result.exit_code == 1  # something was rejected
    call = db.session.scalar(select(Call))
    assert (call.original_filename, call.queue, call.agent.agent_code) == (
        "one.flac",
        "billing",
        "A9",
    )
    assert _count(ProcessingJob) == 1


def test_ingest_bad_metadata_is_rejected(runner, audio_file, tmp_path):
    meta = tmp_path / "meta.csv"
    meta.write_text(f"filename,started_at\n{audio_file.name},yesterday\n")
    result = runner.invoke(cli, ["ingest", str(audio_file), "--metadata", str(meta)])
    assert "started_at is not an ISO 8601" in result.output and _count(Call) == 0


def test_demo_creates_people_and_queues_calls_idempotently(runner):
    first = runner.invoke(cli, ["demo"])
    assert first.exit_code == 0, first.output
    calls = _count(Call)
    assert calls >= 6 and _count(ProcessingJob) == calls
    assert db.session.scalar(select(User).where(User.username == "admin")).role == "admin"
    agents = db.session.scalars(select(User).where(User.role == "agent")).all()
    assert agents and all(a.team is not None for a in agents)
    assert _count(Team) >= 2
    assert all(c.agent is not None for c in db.session.scalars(select(Call)))
    second = runner.invoke(cli, ["demo"])
    assert f"accepted: 0  duplicate: {calls}" in second.output
    assert _count(Call) == calls


def test_db_upgrade_is_repeatable(runner):
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
