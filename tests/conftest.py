"""Shared fixtures: an isolated app per test on SQLite (default) or PostgreSQL.

Set TEST_DATABASE_URL=postgresql://... to run the app tests against PostgreSQL; each
test then starts from empty tables. Without it each test gets a fresh SQLite file copied
from a migrated template.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, text

from qa import create_app
from qa.config import TestConfig, test_settings_from_env
from qa.core.migrate import upgrade
from qa.db import db, make_engine

ENV = test_settings_from_env()
DATA = Path(__file__).parent / "data"
PASSWORD = "correct horse battery"


def service_unavailable(kind: str, reason: str) -> None:
    """Skip visibly without the service, or fail when CI requires it."""
    message = f"{kind} not reachable ({reason}); these tests need it"
    if ENV["ci"]:
        pytest.fail(message + " and CI=true requires it")
    pytest.skip(message)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a migrated SQLite database file to copy for each test."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite"
    app = create_app({**_base_config(folder), "DATABASE_URL": f"sqlite:///{path}"}, str(folder))
    upgrade(app)
    app.extensions["db_engine"].dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return a migrated, empty PostgreSQL database URL (from TEST_DATABASE_URL)."""
    url = ENV["database_url"]
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as exc:  # noqa: BLE001 - any connection problem means "not reachable"
        service_unavailable("PostgreSQL", str(exc).splitlines()[0])
    finally:
        engine.dispose()
    folder = tmp_path_factory.mktemp("pg")
    app = create_app({**_base_config(folder), "DATABASE_URL": url}, str(folder))
    upgrade(app)
    app.extensions["db_engine"].dispose()
    return url


def _base_config(folder: Path) -> dict:
    return {
        **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "AUDIO_STORE": str(folder / "audio"),
        "MODEL_CACHE": str(Path.home() / ".cache" / "callqa" / "models"),
        "BROKER_URL": "memory://",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashing for tests only
        "JOBS_EAGER": False,  # tests run jobs explicitly (see ``run_jobs``)
    }


@pytest.fixture
def app_config(tmp_path: Path, request: pytest.FixtureRequest) -> dict:
    """Return the config of the test's app (tests may change it before ``app`` is built)."""
    config = _base_config(tmp_path)
    if ENV["database_url"]:
        config["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    else:
        template = request.getfixturevalue("sqlite_template")
        db_file = tmp_path / "test.sqlite"
        shutil.copy(template, db_file)
        config["DATABASE_URL"] = f"sqlite:///{db_file}"
    return config


@pytest.fixture
def app(app_config: dict, tmp_path: Path) -> Iterator[Flask]:
    """Return an app with its own database and audio store."""
    app = create_app(app_config, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        yield app
        db.session.remove()
    if ENV["database_url"]:
        from qa.models import metadata

        tables = ", ".join(t.name for t in metadata.sorted_tables)
        with app.extensions["db_engine"].begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    app.extensions["db_engine"].dispose()


@pytest.fixture
def csrf_app(app_config: dict, tmp_path: Path) -> Iterator[Flask]:
    """Return a second app on the same database with CSRF protection on."""
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True}, instance_path=str(tmp_path / "csrf"))
    with app.app_context():
        yield app
        db.session.remove()
    app.extensions["db_engine"].dispose()


@pytest.fixture
def csrf_client(csrf_app: Flask) -> FlaskClient:
    """Return a test client of the CSRF-protected app."""
    return csrf_app.test_client()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return a CLI runner bound to the app."""
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask):  # type: ignore[no-untyped-def]
    """Return a factory creating committed users."""
    from qa.auth.services import create_user

    counter = {"n": 0}

    def factory(role: str = "agent", team: str | None = "Team A", **kwargs: object):  # type: ignore[no-untyped-def]
        counter["n"] += 1
        username = kwargs.pop("username", f"{role}{counter['n']}")
        if role == "agent":
            kwargs.setdefault("agent_code", f"AG{counter['n']:03d}")
        user = create_user(username, PASSWORD, role, team=team, **kwargs)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def login(client: FlaskClient):  # type: ignore[no-untyped-def]
    """Return a function that signs a user in on the test client."""

    def do_login(user) -> None:  # type: ignore[no-untyped-def]
        response = client.post("/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)

    return do_login


@pytest.fixture
def audio_file() -> Path:
    """Return a short real speech recording."""
    return DATA / "audio" / "jfk.flac"


@pytest.fixture
def make_call(app: Flask, audio_file: Path):  # type: ignore[no-untyped-def]
    """Return a factory ingesting a copy of real speech (made unique) for an agent."""
    from qa.calls.services import CallMetadata, commit_and_dispatch, ingest

    counter = {"n": 0}

    def factory(agent=None, filename: str = "call.flac", **meta: str):  # type: ignore[no-untyped-def]
        counter["n"] += 1
        data = audio_file.read_bytes() + b"\0" * counter["n"]  # distinct content, still decodable
        import io

        values = {"agent_code": agent.agent_code if agent else None, **meta}
        result = ingest(io.BytesIO(data), filename, CallMetadata.from_strings(values))
        assert result.status == "accepted", result.reason
        commit_and_dispatch([result])
        from qa.calls.models import Call

        return db.session.get(Call, result.call_id)

    return factory


SCRIPT_EN = [
    (
        "agent",
        "Thank you for calling Northwind Telecom, my name is Daniel. How can I help you today?",
    ),
    ("customer", "Hi, I think I was charged twice for the same month on my bill."),
    ("agent", "I'm sorry about that. Could you please confirm your full name and date of birth?"),
    ("customer", "Laura Bennett, fourth of March nineteen eighty six."),
    ("agent", "Thank you. So you were billed twice for November, is that right?"),
    ("customer", "Yes, exactly."),
    (
        "agent",
        "I have refunded the duplicate charge; you will see it within three to five working days.",
    ),
    ("customer", "Great, thanks."),
    ("agent", "Is there anything else I can help you with today?"),
    ("customer", "No, that's all."),
    ("agent", "Thank you for calling Northwind Telecom. Have a great day, goodbye."),
]


def build_transcript(lines=SCRIPT_EN, language: str = "en", gap: float = 0.6):  # type: ignore[no-untyped-def]
    """Return a diarised transcript of ``lines`` ((role, text) pairs) with word timings."""
    from transcription.schema import Segment, Speaker, Transcript, Turn, Word

    t, segments, turns = 0.5, [], []
    speakers = {"agent": "S0", "customer": "S1"}
    for i, (role, text_) in enumerate(lines):
        words, start = [], t
        for token in text_.split():
            words.append(Word(t, t + 0.3, token, 0.95, speakers[role]))
            t += 0.35
        segments.append(Segment(i, start, t, text_, speakers[role], role, 0.95, False, words))
        turns.append(Turn(start, t, speakers[role]))
        t += gap
    return Transcript(
        duration=t + 1,
        language=language,
        segments=segments,
        speakers=[Speaker("S0", "agent", 0.9, 0), Speaker("S1", "customer", 0.9, 1)],
        turns=turns,
        engine={"asr": "test"},
    )


@pytest.fixture
def make_scored_call(app: Flask, make_call):  # type: ignore[no-untyped-def]
    """Return a factory making a call with a stored transcript and scorecards (no Whisper)."""
    from qa.calls.models import TranscriptRecord
    from qa.jobs.models import ProcessingJob
    from qa.rubrics.services import install_defaults
    from qa.scorecards.services import score_call

    def factory(agent=None, lines=SCRIPT_EN, language: str = "en", **kwargs):  # type: ignore[no-untyped-def]
        install_defaults()
        call = make_call(agent, language=language, **kwargs)
        transcript = build_transcript(lines, language)
        db.session.add(
            TranscriptRecord(
                call_id=call.id,
                language=language,
                engine="test",
                text="\n".join(s.text for s in transcript.segments),
                data=transcript.to_dict(),
            )
        )
        score_call(call, transcript)
        call.status = "scored"
        for job in db.session.scalars(
            select(ProcessingJob).where(ProcessingJob.call_id == call.id)
        ):
            job.status, job.progress = "done", 1.0
        db.session.commit()
        return call

    return factory
