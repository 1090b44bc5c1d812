"""Fixtures for the speech pipeline tests: test audio, settings and a stand-in engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from transcription.schema import Turn
from transcription.settings import TranscriptionSettings

AUDIO = Path(__file__).parent.parent / "data" / "audio"
JFK = AUDIO / "jfk.flac"
STEREO = AUDIO / "stereo_diarization.wav"
PHONE = AUDIO / "sample.wav"  # pyannote's two-party phone call sample (diarisation's test data)
JFK_TEXT = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)
STEREO_TEXT = {
    "S0": "He began a confused complaint against the wizard, who had vanished behind the "
    "curtain on the left.",
    "S1": "The horizon seems extremely distant.",
}


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a cache dir shared by the tests that load the joined ``base`` model."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture
def settings(model_cache: Path) -> TranscriptionSettings:
    """Return settings for the multilingual base model with a private cache."""
    return TranscriptionSettings(model="base", cache_dir=model_cache, cpu_threads=2)


@pytest.fixture
def tiny_settings(model_cache: Path) -> TranscriptionSettings:
    """Return settings for the small English-only model."""
    return TranscriptionSettings(model="tiny.en", cache_dir=model_cache, cpu_threads=2)


class FixedTurns:
    """A diarisation engine that returns the turns it was built with."""

    name = "fixed"

    def __init__(self, turns: list[Turn]) -> None:
        self.turns = turns
        self.calls: list[dict] = []

    def diarize(self, samples, sample_rate=16000, num_speakers=2, speech=None) -> list[Turn]:
        """Return the fixed turns, recording what was asked."""
        self.calls.append({"n": len(samples), "rate": sample_rate, "speech": speech})
        return list(self.turns)


def write_wav(path: Path, samples: np.ndarray, rate: int = 16000) -> Path:
    """Write float samples ((n,) or (n, channels)) as 16-bit PCM WAV and return the path."""
    sf.write(path, samples, rate, subtype="PCM_16")
    return path
