"""The call pipeline: transcribe, then score."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import delete

from qa.calls.models import Call, TranscriptRecord
from qa.calls.storage import get_store
from qa.db import db
from qa.jobs.stages import Progress, Stage, StageInputError, StageUnavailable, register


def transcription_settings(app: Flask, call: Call):  # type: ignore[no-untyped-def]
    """Return the transcription settings for ``call`` from the app's config."""
    from transcription.settings import TranscriptionSettings

    cfg = app.config
    agent_channel = call.agent_channel if call.agent_channel is not None else cfg["AGENT_CHANNEL"]
    return TranscriptionSettings(
        model=cfg["WHISPER_MODEL"],
        device=cfg["WHISPER_DEVICE"],
        compute_type=cfg["WHISPER_COMPUTE_TYPE"],
        cpu_threads=cfg["WHISPER_THREADS"],
        language=call.language or cfg["WHISPER_LANGUAGE"],
        chinese_script=cfg["CHINESE_SCRIPT"],
        engine=cfg["DIARIZATION_ENGINE"],
        agent_channel=agent_channel,
        pyannote_dir=cfg["PYANNOTE_DIR"],
        cache_dir=Path(cfg["MODEL_CACHE"]),
    )


@register
class TranscribeStage(Stage):
    """Turn the recording into a diarised transcript with speaker roles."""

    name = "transcribe"

    def check_available(self, app: Flask) -> None:
        try:
            import transcription.pipeline  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise StageUnavailable(f"speech pipeline not installed: {exc}") from exc

    def run(self, app: Flask, call: Call, progress: Progress) -> list[str]:
        from transcription.errors import AudioError, ModelError
        from transcription.pipeline import transcribe_file

        call.status = "transcribing"
        db.session.commit()
        path = get_store(app).path(call.storage_key)
        if not path.exists():
            raise StageInputError(f"the recording is missing from the audio store ({path.name})")
        try:
            transcript = transcribe_file(path, transcription_settings(app, call), progress=progress)
        except AudioError as exc:
            raise StageInputError(str(exc)) from exc
        except ModelError as exc:
            raise StageUnavailable(str(exc)) from exc
        db.session.execute(delete(TranscriptRecord).where(TranscriptRecord.call_id == call.id))
        db.session.add(
            TranscriptRecord(
                call_id=call.id,
                language=transcript.language,
                engine=", ".join(f"{k}={v}" for k, v in sorted(transcript.engine.items()))[:120],
                text="\n".join(s.text for s in transcript.segments),
                data=transcript.to_dict(),
            )
        )
        if not call.language and transcript.language in ("en", "zh"):
            call.language = transcript.language
        call.status = "scoring"
        call.error_message = None
        return ["score"]


@register
class ScoreStage(Stage):
    """Score the transcript against every published rubric for its language."""

    name = "score"

    def run(self, app: Flask, call: Call, progress: Progress) -> list[str]:
        from qa.scorecards.services import score_call
        from scoring.errors import RubricError
        from transcription.schema import Transcript

        if call.transcript is None:
            raise StageInputError("the call has no transcript to score")
        transcript = Transcript.from_dict(call.transcript.data)
        progress(0.1, "scoring")
        try:
            cards = score_call(call, transcript)
        except RubricError as exc:
            raise StageInputError(f"a published rubric is invalid: {exc}") from exc
        if not cards:
            raise StageUnavailable(
                f"no published rubric for language {transcript.language or call.language or '?'}"
            )
        call.status = "scored"
        from qa.api.webhooks import on_call_scored

        on_call_scored(call.id)
        return []
