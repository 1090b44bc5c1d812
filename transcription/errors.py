"""Errors raised by the speech pipeline."""


class TranscriptionError(Exception):
    """Base class for every error the speech pipeline raises on purpose."""


class AudioError(TranscriptionError):
    """The input is not decodable audio (corrupt, truncated, empty or not audio at all)."""


class ModelError(TranscriptionError):
    """A Whisper model cannot be found, joined, verified or loaded."""
