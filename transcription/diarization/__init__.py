"""Speaker diarisation engines for mono recordings.

``get_engine("mono")`` is the offline default (ONNX networks shipped in ``assets/``);
``get_engine("pyannote", settings)`` runs a local pyannote.audio pipeline directory and
needs the optional ``pyannote`` extra.
"""

from transcription.diarization.base import DiarizationEngine, DiarizationError
from transcription.diarization.registry import ENGINES, get_engine
from transcription.diarization.settings import DiarizationSettings

__all__ = ["ENGINES", "DiarizationEngine", "DiarizationError", "DiarizationSettings", "get_engine"]
