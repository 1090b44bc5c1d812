"""Find a diarisation engine by name."""

from __future__ import annotations

from collections.abc import Callable

from transcription.diarization.base import DiarizationEngine, DiarizationError
from transcription.diarization.settings import DiarizationSettings


def _mono(settings: DiarizationSettings) -> DiarizationEngine:
    """Return the offline default engine."""
    from transcription.diarization.mono import MonoEngine

    return MonoEngine(settings)


def _pyannote(settings: DiarizationSettings) -> DiarizationEngine:
    """Return the pyannote.audio engine (optional extra)."""
    from transcription.diarization.pyannote_engine import PyannoteEngine

    return PyannoteEngine(settings)


ENGINES: dict[str, Callable[[DiarizationSettings], DiarizationEngine]] = {
    "mono": _mono,
    "pyannote": _pyannote,
}


def get_engine(name: str, settings: DiarizationSettings | None = None) -> DiarizationEngine:
    """Return the diarisation engine called ``name`` built with ``settings``."""
    if settings is not None and not isinstance(settings, DiarizationSettings):
        raise DiarizationError(
            f"diarisation settings must be a DiarizationSettings, got {type(settings).__name__}"
        )
    try:
        factory = ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise DiarizationError(f"unknown diarisation engine {name!r} (known: {known})") from None
    return factory(settings or DiarizationSettings())
