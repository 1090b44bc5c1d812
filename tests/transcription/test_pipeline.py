"""The whole pipeline on real speech, silence and noise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.transcription.conftest import (
    JFK,
    JFK_TEXT,
    PHONE,
    STEREO,
    STEREO_TEXT,
    FixedTurns,
    write_wav,
)
from transcription.audio import decode
from transcription.errors import AudioError, TranscriptionError
from transcription.metrics import word_error_rate
from transcription.pipeline import transcribe_file
from transcription.schema import Transcript, Turn

pytestmark = pytest.mark.slow


def _words(transcript: Transcript) -> list:
    return [w for s in transcript.segments for w in s.words]


def test_stereo_channels_go_to_their_speakers(tiny_settings) -> None:
    progress: list[float] = []
    transcript = transcribe_file(STEREO, tiny_settings, lambda f, m: progress.append(f))
    assert transcript.engine["diarization"] == "channels"
    assert progress == sorted(progress) and progress[-1] == 1.0
    for speaker, reference in STEREO_TEXT.items():
        text = " ".join(s.text for s in transcript.segments if s.speaker == speaker)
        assert word_error_rate(reference, text) <= 0.15, (speaker, text)
    assert {(s.id, s.channel, s.role) for s in transcript.speakers} == {
        (("S0", 0, "agent")),
        (("S1", 1, "customer")),
    }
    assert all(s.role == transcript.role_of(s.speaker) for s in transcript.segments)
    starts = [s.start for s in transcript.segments]
    assert starts == sorted(starts) and [s.id for s in transcript.segments] == [0, 1]
    # both talk from about 0.4 s to 2.3 s: words there are marked as overlap
    overlapped = [w for w in _words(transcript) if w.overlap]
    assert overlapped and all(0.2 < w.start < 2.6 for w in overlapped)
    turns = {t.speaker: (t.start, t.end) for t in transcript.turns}
    assert turns["S1"][0] == pytest.approx(0.37, abs=0.1)
    assert turns["S1"][1] == pytest.approx(2.4, abs=0.15)
    assert turns["S0"][1] == pytest.approx(4.55, abs=0.15)


def test_agent_channel_setting(tiny_settings) -> None:
    tiny_settings.agent_channel = 1
    transcript = transcribe_file(STEREO, tiny_settings)
    assert transcript.role_of("S1") == "agent" and transcript.role_of("S0") == "customer"


def test_duplicated_stereo_goes_to_the_mono_engine(settings) -> None:
    engine = FixedTurns([Turn(0.0, 11.0, "S0")])
    transcript = transcribe_file(JFK, settings, diarizer=engine)
    assert transcript.engine["diarization"] == "fixed"
    (call,) = engine.calls
    assert call["rate"] == 16000 and call["n"] == pytest.approx(176000, abs=200)
    assert call["speech"] and call["speech"][0][0] < 1.0
    text = " ".join(s.text for s in transcript.segments)
    assert word_error_rate(JFK_TEXT, text) <= 0.05
    assert transcript.language == "en" and transcript.script is None
    assert {w.speaker for w in _words(transcript)} == {"S0"}
    assert transcript.audio["channels"] == 2 and transcript.duration == pytest.approx(11.0)


def test_mono_mix_with_hand_made_turns(tiny_settings) -> None:
    tiny_settings.engine = "mono"
    engine = FixedTurns([Turn(0.3, 4.6, "S0"), Turn(0.35, 2.4, "S1")])
    transcript = transcribe_file(STEREO, tiny_settings, diarizer=engine)
    for segment in transcript.segments:
        assert {w.speaker for w in segment.words} == {segment.speaker}
    words = _words(transcript)
    assert all(w.overlap for w in words if 0.4 < w.start and w.end < 2.3)
    assert all(w.speaker == "S0" and not w.overlap for w in words if w.start > 2.5)


def test_real_mono_engine_on_a_phone_call(tiny_settings) -> None:
    transcript = transcribe_file(PHONE, tiny_settings)  # mono: the default offline engine
    assert transcript.engine["diarization"] == "mono"
    assert {s.speaker for s in transcript.segments} == {"S0", "S1"}
    assert {s.role for s in transcript.speakers} == {"agent", "customer"}
    for segment in transcript.segments:
        assert {w.speaker for w in segment.words} == {segment.speaker}
        assert segment.role == transcript.role_of(segment.speaker)
    assert len(_words(transcript)) > 40


def test_telephone_8khz(settings, tmp_path: Path) -> None:
    mono = decode(JFK).mean(axis=0)[::2]  # 16 kHz -> 8 kHz (speech is band-limited already)
    path = write_wav(tmp_path / "phone.wav", mono, rate=8000)
    transcript = transcribe_file(path, settings, diarizer=FixedTurns([Turn(0, 11, "S0")]))
    assert word_error_rate(JFK_TEXT, " ".join(s.text for s in transcript.segments)) <= 0.1


def test_small_chunks_keep_times_and_text(tiny_settings) -> None:
    tiny_settings.chunk_seconds = 4.0
    transcript = transcribe_file(JFK, tiny_settings, diarizer=FixedTurns([Turn(0, 11, "S0")]))
    words = _words(transcript)
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert word_error_rate(JFK_TEXT, " ".join(s.text for s in transcript.segments)) <= 0.25


@pytest.mark.parametrize("kind", ["silence", "white noise", "hum and hiss"])
def test_sixty_seconds_without_speech_yield_no_words(settings, tmp_path: Path, kind: str) -> None:
    rate, rng = 16000, np.random.default_rng(3)
    n = 60 * rate
    if kind == "silence":
        samples = np.zeros(n, np.float32)
    elif kind == "white noise":
        samples = 0.1 * rng.standard_normal(n)
    else:
        samples = 0.2 * np.sin(2 * np.pi * 50 * np.arange(n) / rate) + 0.01 * rng.standard_normal(n)
    path = write_wav(tmp_path / "nothing.wav", samples.clip(-1, 1))
    transcript = transcribe_file(path, settings, diarizer=FixedTurns([]))
    assert _words(transcript) == [] and transcript.segments == []
    assert transcript.duration == pytest.approx(60.0)


def test_channels_engine_needs_stereo(settings, tmp_path: Path) -> None:
    settings.engine = "channels"
    path = write_wav(tmp_path / "mono.wav", np.zeros(16000, np.float32))
    with pytest.raises(TranscriptionError, match="stereo"):
        transcribe_file(path, settings)


def test_corrupt_file_is_an_audio_error(settings, tmp_path: Path) -> None:
    path = tmp_path / "call.wav"
    path.write_text("not audio at all")
    with pytest.raises(AudioError):
        transcribe_file(path, settings)
