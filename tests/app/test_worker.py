"""Real workers: the embedded SQLite broker and Redis, including a killed worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile
from sqlalchemy import create_engine, text

from tests.conftest import DATA, ENV, service_unavailable

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite-broker", "redis"])
def worker_env(request, tmp_path):
    """Return the environment for CLI processes of one isolated installation."""
    if request.param == "redis":
        import redis

        try:
            redis.Redis.from_url(ENV["redis_url"], socket_connect_timeout=2).ping()
        except Exception as exc:  # noqa: BLE001
            service_unavailable("Redis", str(exc))
        broker = ENV["redis_url"]
        redis.Redis.from_url(broker).flushdb()
    else:
        broker = f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"
    database = f"sqlite:///{tmp_path / 'app.sqlite'}"
    if ENV["database_url"]:
        database = request.getfixturevalue("postgres_url")
        _truncate(database)
    env = dict(os.environ)
    env.update(
        CALLQA_INSTANCE=str(tmp_path / "instance"),
        DATABASE_URL=database,
        BROKER_URL=broker,
        WHISPER_MODEL="tiny.en",
        WHISPER_LANGUAGE="en",
        MODEL_CACHE=str(Path.home() / ".cache" / "callqa" / "models"),
        JOB_STALE_SECONDS="4",
    )
    yield env
    if ENV["database_url"]:
        _truncate(database)


def _truncate(url: str) -> None:
    from qa.models import metadata

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(t.name for t in metadata.sorted_tables)} CASCADE"))
    engine.dispose()


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_minute_stereo_call(tmp_path: Path) -> Path:
    samples, rate = soundfile.read(DATA / "audio" / "stereo_diarization.wav")
    gap = np.zeros((rate, 2))
    path = tmp_path / "long_call.wav"
    soundfile.write(path, np.concatenate([np.concatenate([samples, gap])] * 10), rate)
    return path


def _job_row(env: dict[str, str]) -> dict | None:
    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        row = (
            conn.execute(
                text("SELECT status, attempts FROM processing_jobs WHERE stage='transcribe'")
            )
            .mappings()
            .first()
        )
        count = conn.execute(text("SELECT count(*) FROM transcripts")).scalar()
    engine.dispose()
    return {**row, "transcripts": count} if row else None


def _wait(env, predicate, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = _job_row(env)
        if row and predicate(row):
            return row
        time.sleep(0.1)
    raise AssertionError(f"timed out; last job state {_job_row(env)}")


def _start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_worker_survives_being_killed_mid_job(worker_env, tmp_path):
    env = worker_env
    assert _cli(env, "db", "upgrade").returncode == 0
    ingest = _cli(env, "ingest", str(_one_minute_stereo_call(tmp_path)), "--language", "en")
    assert "accepted: 1" in ingest.stdout, ingest.stdout + ingest.stderr

    worker = _start_worker(env)
    try:
        _wait(env, lambda r: r["status"] == "running", 60)
        worker.send_signal(signal.SIGKILL)  # the worker dies in the middle of the job
        worker.wait()
        assert _job_row(env)["transcripts"] == 0
        worker = _start_worker(env)
        row = _wait(env, lambda r: r["status"] in ("done", "failed"), 180)
    finally:
        worker.kill()
        worker.wait()
    assert row == {"status": "done", "attempts": 2, "transcripts": 1}
