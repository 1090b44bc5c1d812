"""Recognition with real Whisper models, and the guards with a scripted stand-in model."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from faster_whisper.transcribe import Segment as FwSegment
from faster_whisper.transcribe import Word as FwWord

from tests.transcription.conftest import JFK, JFK_TEXT
from transcription.asr import transcribe_chunk
from transcription.audio import decode
from transcription.chinese import convert_script
from transcription.metrics import word_error_rate
from transcription.models import load_model
from transcription.settings import TranscriptionSettings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def jfk_mono() -> np.ndarray:
    return decode(JFK).mean(axis=0)


@pytest.mark.parametrize("fixture", ["tiny_settings", "settings"])
def test_jfk_word_error_rate(request, fixture: str, jfk_mono: np.ndarray) -> None:
    settings = request.getfixturevalue(fixture)
    result = transcribe_chunk(load_model(settings), jfk_mono, 0.0, settings)
    text = " ".join(s.text for s in result.segments)
    assert word_error_rate(JFK_TEXT, text) <= 0.05, text
    assert result.language == "en"
    words = [w for s in result.segments for w in s.words]
    assert all(a.end <= b.start + 1e-6 for a, b in zip(words, words[1:], strict=False))
    assert 0.0 <= words[0].start and words[-1].end <= 11.0


def test_offset_shifts_times(tiny_settings, jfk_mono: np.ndarray) -> None:
    result = transcribe_chunk(load_model(tiny_settings), jfk_mono, 100.0, tiny_settings)
    assert result.segments[0].start >= 100.0
    assert result.speech[0][0] >= 100.0


def _fake_model(segments: list[FwSegment], language: str = "zh"):
    """Return an object shaped like WhisperModel that 'recognises' the given segments."""

    def transcribe(audio, language=None, **options):
        return iter(segments), SimpleNamespace(language=language)

    return SimpleNamespace(
        model=SimpleNamespace(is_multilingual=True),
        detect_language=lambda audio: (language, 0.9, [(language, 0.9), ("en", 0.1)]),
        transcribe=transcribe,
    )


def _fw_segment(words: list[tuple[float, float, str]], **quality) -> FwSegment:
    values = {"avg_logprob": -0.2, "no_speech_prob": 0.05, "compression_ratio": 1.2} | quality
    return FwSegment(
        id=0,
        seek=0,
        start=words[0][0],
        end=words[-1][1],
        text="".join(w for _, _, w in words),
        tokens=[],
        temperature=0.0,
        words=[FwWord(start=s, end=e, word=w, probability=0.9) for s, e, w in words],
        **values,
    )


@pytest.mark.parametrize(
    ("script", "expected"),
    [("traditional", "請問有什麼可以幫您"), ("simplified", "请问有什么可以帮您")],
)
def test_chinese_script_and_character_timing(
    jfk_mono: np.ndarray, script: str, expected: str
) -> None:
    settings = TranscriptionSettings(chinese_script=script)
    # mixed-script model output, with multi-character tokens
    segment = _fw_segment([(1.0, 1.6, "请问"), (1.6, 2.0, "有什麼"), (2.0, 2.4, "可以帮您")])
    result = transcribe_chunk(_fake_model([segment]), jfk_mono, 0.0, settings)
    (out,) = result.segments
    assert out.text == expected
    assert [w.text for w in out.words] == list(expected)
    assert all(b.start >= a.end - 1e-6 for a, b in zip(out.words, out.words[1:], strict=False))
    assert convert_script(out.text, script) == out.text
    assert result.language == "zh"


def test_guards_drop_invented_segments(jfk_mono: np.ndarray) -> None:
    settings = TranscriptionSettings(language="en")
    good = _fw_segment([(0.4, 0.6, " And"), (0.6, 0.9, " so")])
    loop = _fw_segment([(1.0 + i * 0.2, 1.2 + i * 0.2, " thank you") for i in range(8)])
    unsure = _fw_segment([(3.3, 3.6, " ask")], avg_logprob=-1.9)
    empty = _fw_segment([(4.0, 4.2, " not")], no_speech_prob=0.95, avg_logprob=-0.9)
    rep = _fw_segment([(5.0, 5.2, " what")], compression_ratio=3.0)
    silent = np.concatenate([jfk_mono, np.zeros(16000 * 3, np.float32)])
    over_silence = _fw_segment([(11.5, 12.5, " Bye.")])  # after jfk, in digital silence
    result = transcribe_chunk(
        _fake_model([good, loop, unsure, empty, rep, over_silence], "en"), silent, 0.0, settings
    )
    assert [s.text for s in result.segments] == ["And so", "thank you"]
    assert result.dropped == 4
