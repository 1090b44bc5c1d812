"""Configuration: the only module that reads the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

MB = 1024 * 1024


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def load_secret_key(instance_path: str) -> str:
    """Return the instance's secret key, generating and storing it on first run."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(key)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return key


class Config:
    """Embedded defaults: SQLite file, local audio store, broker in a SQLite file."""

    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None  # default: sqlite file in the instance folder
    BROKER_URL: str | None = None  # default: SQLite-backed broker in the instance folder
    AUDIO_STORE: str | None = None  # default: <instance>/audio
    EMBEDDING_STORE: str | None = None  # default: <instance>/embeddings (a cache)
    MAX_UPLOAD_MB = 200
    ALLOWED_AUDIO_EXTENSIONS = ("wav", "flac", "mp3", "ogg", "opus", "m4a")
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    LOGIN_MAX_FAILURES_PER_IP = 30
    JOB_MAX_ATTEMPTS = 3
    JOB_STALE_SECONDS = 300
    WEBHOOK_MAX_ATTEMPTS = 5
    WEBHOOK_BACKOFF_SECONDS = 30
    WEBHOOK_TIMEOUT_SECONDS = 10
    JOBS_EAGER = False  # run jobs in-process (tests)
    WHISPER_MODEL = "base"
    WHISPER_DEVICE = "auto"
    WHISPER_COMPUTE_TYPE = "auto"
    WHISPER_THREADS = 0
    WHISPER_LANGUAGE: str | None = None
    CHINESE_SCRIPT = "traditional"
    DIARIZATION_ENGINE = "auto"
    AGENT_CHANNEL = 0
    PYANNOTE_DIR: str | None = None
    MODEL_CACHE: str | None = None  # default: <instance>/models
    # QA workspace: call list, search and review queue
    CALL_LIST_PAGE_SIZE = 50
    CALL_LIST_COUNT_CAP = 1000  # count matches up to this many; more shows as "1000+"
    SEARCH_COUNT_CAP = 200  # the same for full-text searches (counting matches costs more)
    REVIEW_CLAIM_MINUTES = 30  # a claim on a call expires after this long
    REVIEW_SAMPLE_PER_AGENT = 2  # calls sampled per agent per ISO week for fairness
    REVIEW_SAMPLE_WEEKS = 2  # the current ISO week and the one before it
    REVIEW_SAMPLE_SEED = "callqa-review-sample"
    DISPUTE_WINDOW_DAYS = 14  # agents may dispute an item this many days after scoring
    DASHBOARD_CACHE_SECONDS = 60  # dashboard aggregates per filter set; writes invalidate


class TestConfig(Config):
    """Settings for the test suite: eager jobs, small limits, no CSRF unless asked."""

    TESTING = True
    JOBS_EAGER = True
    MAX_UPLOAD_MB = 2
    WHISPER_MODEL = "tiny.en"


def from_env() -> dict[str, Any]:
    """Return the settings given in the environment (names as in :class:`Config`)."""
    env: dict[str, Any] = {}
    for name in (
        "SECRET_KEY",
        "DATABASE_URL",
        "BROKER_URL",
        "AUDIO_STORE",
        "EMBEDDING_STORE",
        "WHISPER_MODEL",
        "WHISPER_DEVICE",
        "WHISPER_COMPUTE_TYPE",
        "WHISPER_LANGUAGE",
        "CHINESE_SCRIPT",
        "DIARIZATION_ENGINE",
        "PYANNOTE_DIR",
        "MODEL_CACHE",
    ):
        if os.environ.get(name):
            env[name] = os.environ[name]
    for name in (
        "MAX_UPLOAD_MB",
        "WHISPER_THREADS",
        "AGENT_CHANNEL",
        "JOB_MAX_ATTEMPTS",
        "JOB_STALE_SECONDS",
        "REVIEW_CLAIM_MINUTES",
        "DISPUTE_WINDOW_DAYS",
    ):
        if os.environ.get(name):
            env[name] = _env_int(name, 0)
    if os.environ.get("SECURE_COOKIES"):
        secure = _env_bool("SECURE_COOKIES", False)
        env["SESSION_COOKIE_SECURE"] = secure
        env["REMEMBER_COOKIE_SECURE"] = secure
    return env


def instance_path_from_env() -> str | None:
    """Return the instance folder named by ``CALLQA_INSTANCE``, if any."""
    return os.environ.get("CALLQA_INSTANCE") or None


def test_settings_from_env() -> dict[str, str | None]:
    """Return the external services the test suite should use (PostgreSQL, Redis)."""
    return {
        "database_url": os.environ.get("TEST_DATABASE_URL"),
        "broker_url": os.environ.get("TEST_BROKER_URL"),
        "postgres_url": os.environ.get(
            "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
        ),
        "redis_url": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
        "ci": "1" if _env_bool("CI", False) else None,
    }


def child_env(instance_path: str) -> dict[str, str]:
    """Return the environment for a child process serving the same instance."""
    env = dict(os.environ)
    env["CALLQA_INSTANCE"] = instance_path
    return env
