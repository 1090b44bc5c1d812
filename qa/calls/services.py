"""Ingest recordings: validate, store once by content, create the call and its first job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from qa.audit.services import record
from qa.auth.models import User
from qa.calls.models import DIRECTIONS, Call
from qa.calls.storage import TooLarge, get_store
from qa.config import MB
from qa.db import db
from qa.jobs.services import start_pipeline
from transcription.audio import probe
from transcription.errors import AudioError

LANGUAGES = ("en", "zh")


class MetadataError(ValueError):
    """A metadata value is invalid; the message names the field."""


@dataclass
class CallMetadata:
    """What is known about a call besides its audio."""

    agent_code: str | None = None
    queue: str | None = None
    language: str | None = None
    direction: str | None = None
    customer_ref: str | None = None
    started_at: datetime | None = None
    agent_channel: int | None = None

    @classmethod
    def from_strings(cls, values: dict[str, str | None]) -> CallMetadata:
        """Parse text values (CSV row or form); raise :class:`MetadataError` when invalid."""

        def text(name: str) -> str | None:
            value = (values.get(name) or "").strip()
            return value or None

        language = text("language")
        if language and language not in LANGUAGES:
            raise MetadataError(
                f"language must be one of {', '.join(LANGUAGES)} (got {language!r})"
            )
        direction = text("direction")
        if direction and direction not in DIRECTIONS:
            raise MetadataError(f"direction must be inbound or outbound (got {direction!r})")
        started_at = None
        if raw := text("started_at"):
            try:
                started_at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                raise MetadataError(f"started_at is not an ISO 8601 date/time: {raw!r}") from None
            if started_at.tzinfo is not None:  # stored as naive UTC
                started_at = started_at.astimezone(UTC).replace(tzinfo=None)
        channel = None
        if raw := text("agent_channel"):
            if raw not in {"0", "1"}:
                raise MetadataError(f"agent_channel must be 0 (left) or 1 (right), got {raw!r}")
            channel = int(raw)
        return cls(
            agent_code=text("agent_code"),
            queue=text("queue"),
            language=language,
            direction=direction,
            customer_ref=text("customer_ref"),
            started_at=started_at,
            agent_channel=channel,
        )


@dataclass
class IngestResult:
    """The outcome for one file: accepted, duplicate or rejected (with the reason)."""

    filename: str
    status: str
    reason: str | None = None
    call_id: int | None = None
    job_id: int | None = None


def allowed_extension(filename: str) -> str | None:
    """Return the file's accepted extension, or None when the format is not accepted."""
    ext = Path(filename).suffix.lower().lstrip(".")
    return ext if ext in current_app.config["ALLOWED_AUDIO_EXTENSIONS"] else None


def _find_agent(code: str | None) -> User | None:
    if not code:
        return None
    agent = db.session.scalar(select(User).where(User.agent_code == code))
    if agent is None or agent.role != "agent":
        raise MetadataError(f"unknown agent code {code!r}")
    return agent


def _duplicate(sha: str) -> IngestResult | None:
    existing = db.session.scalar(select(Call).where(Call.sha256 == sha))
    if existing is None:
        return None
    return IngestResult(
        filename="",
        status="duplicate",
        reason=f"same recording as call #{existing.id} ({existing.original_filename}); not added again",
        call_id=existing.id,
    )


def ingest(
    stream: BinaryIO, filename: str, meta: CallMetadata, uploaded_by: User | None = None
) -> IngestResult:
    """Validate and store one recording; add the call and its first job (the caller commits)."""
    name = Path(filename or "").name or "upload"
    ext = allowed_extension(name)
    if ext is None:
        accepted = ", ".join(current_app.config["ALLOWED_AUDIO_EXTENSIONS"])
        return IngestResult(name, "rejected", f"unsupported file type; accepted: {accepted}")
    store = get_store()
    try:
        tmp, sha, size = store.receive(stream, current_app.config["MAX_UPLOAD_MB"] * MB)
    except TooLarge as exc:
        return IngestResult(name, "rejected", str(exc))
    try:
        if size == 0:
            return IngestResult(name, "rejected", "the file is empty")
        if dup := _duplicate(sha):
            dup.filename = name
            return dup
        try:
            info = probe(tmp)
        except AudioError as exc:
            return IngestResult(name, "rejected", f"not a readable audio recording: {exc}")
        try:
            agent = _find_agent(meta.agent_code)
            if meta.agent_channel is not None and info.channels != 2:
                raise MetadataError("agent_channel is only meaningful for stereo recordings")
        except MetadataError as exc:
            return IngestResult(name, "rejected", str(exc))
        call = Call(
            sha256=sha,
            original_filename=name,
            format=ext,
            size_bytes=size,
            duration=info.duration,
            channels=info.channels,
            sample_rate=info.sample_rate,
            language=meta.language,
            direction=meta.direction,
            queue=meta.queue,
            customer_ref=meta.customer_ref,
            started_at=meta.started_at,
            agent_channel=meta.agent_channel,
            agent=agent,
            uploaded_by=uploaded_by,
        )
        try:
            with db.session.begin_nested():
                db.session.add(call)
                db.session.flush()
        except IntegrityError:  # the same file arrived concurrently
            dup = _duplicate(sha)
            if dup is None:
                raise
            dup.filename = name
            return dup
        job = start_pipeline(call)
        store.keep(tmp, call.storage_key)
        record("create", "call", call.id, user_id=uploaded_by.id if uploaded_by else None, new=name)
        return IngestResult(name, "accepted", None, call.id, job.id)
    finally:
        tmp.unlink(missing_ok=True)


def commit_and_dispatch(results: list[IngestResult]) -> None:
    """Commit the ingested calls, then hand their first jobs to the workers."""
    from qa.jobs.services import dispatch

    db.session.commit()
    for result in results:
        if result.status == "accepted" and result.job_id is not None:
            dispatch(result.job_id)
