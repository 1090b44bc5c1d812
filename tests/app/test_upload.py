"""Upload validation: good file, duplicate, renamed text, empty, oversize, metadata."""

from __future__ import annotations

import io

import soundfile
from sqlalchemy import func, select

from qa.calls.models import Call
from qa.calls.storage import get_store
from qa.db import db
from qa.jobs.models import ProcessingJob


def _upload(client, data: bytes, filename: str, **fields: str):
    form = {"audio": (io.BytesIO(data), filename), **fields}
    return client.post("/calls/upload", data=form, content_type="multipart/form-data")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_good_file_creates_call_job_and_stored_audio(client, login, make_user, audio_file):
    login(make_user("qa"))
    agent = make_user("agent", agent_code="A7")
    response = _upload(
        client,
        audio_file.read_bytes(),
        "jfk.flac",
        agent_code="A7",
        queue="billing",
        language="en",
        direction="inbound",
        customer_ref="C-1",
        started_at="2026-11-20T10:30",
    )
    assert response.status_code == 302
    call = db.session.scalar(select(Call))
    assert call.agent_id == agent.id and call.queue == "billing" and call.language == "en"
    info = soundfile.info(audio_file)
    assert call.format == "flac" and call.channels == info.channels
    assert call.sample_rate == info.samplerate and abs(call.duration - info.duration) < 0.05
    assert call.started_at.isoformat() == "2026-11-20T10:30:00"
    assert get_store().path(call.storage_key).read_bytes() == audio_file.read_bytes()
    job = db.session.scalar(select(ProcessingJob))
    assert (job.call_id, job.stage, job.status) == (call.id, "transcribe", "queued")
    assert response.headers["Location"].endswith(f"/calls/{call.id}")


def test_duplicate_is_one_call(client, login, make_user, audio_file):
    login(make_user("qa"))
    _upload(client, audio_file.read_bytes(), "first.flac")
    response = _upload(client, audio_file.read_bytes(), "again.flac")
    assert response.status_code == 302
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "same recording as call" in follow
    assert _count(Call) == 1 and _count(ProcessingJob) == 1


def test_renamed_text_file_is_rejected(client, login, make_user, app):
    login(make_user("qa"))
    response = _upload(client, b"this is not audio at all\n" * 50, "notes.wav")
    assert response.status_code == 400
    assert "not a readable audio recording" in response.get_data(as_text=True)
    assert _count(Call) == 0
    assert not list((get_store().root / "tmp").glob("*"))  # nothing left behind


def test_empty_file_is_rejected(client, login, make_user):
    login(make_user("qa"))
    response = _upload(client, b"", "empty.wav")
    assert response.status_code == 400 and "empty" in response.get_data(as_text=True)
    assert _count(Call) == 0


def test_oversize_file_is_rejected(client, login, make_user, app):
    login(make_user("qa"))
    big = b"\0" * (app.config["MAX_UPLOAD_MB"] * 1024 * 1024 + 2 * 1024 * 1024)
    response = _upload(client, big, "big.wav")
    assert response.status_code == 413
    assert "limit" in response.get_data(as_text=True)
    assert _count(Call) == 0


def test_unsupported_extension_is_rejected(client, login, make_user, audio_file):
    login(make_user("qa"))
    response = _upload(client, audio_file.read_bytes(), "call.exe")
    assert response.status_code == 400 and "unsupported file type" in response.get_data(
        as_text=True
    )


def test_unknown_agent_code_is_rejected(client, login, make_user, audio_file):
    login(make_user("qa"))
    response = _upload(client, audio_file.read_bytes(), "jfk.flac", agent_code="NOPE")
    assert response.status_code == 400 and "unknown agent code" in response.get_data(as_text=True)
    assert _count(Call) == 0


def test_agent_channel_needs_stereo(client, login, make_user, audio_file):
    login(make_user("qa"))
    samples, rate = soundfile.read(audio_file)
    mono = io.BytesIO()
    soundfile.write(mono, samples.mean(axis=1), rate, format="WAV")
    response = _upload(client, mono.getvalue(), "mono.wav", agent_channel="1")
    assert response.status_code == 400 and "stereo" in response.get_data(as_text=True)


def test_started_at_with_offset_is_stored_as_utc():
    from qa.calls.services import CallMetadata

    meta = CallMetadata.from_strings({"started_at": "2026-11-12T09:48:20+08:00"})
    assert meta.started_at.isoformat() == "2026-11-12T01:48:20"
