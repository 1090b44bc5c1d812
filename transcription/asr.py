"""Speech recognition of one mono chunk with faster-whisper, guarded against invention."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from transcription.chinese import (
    CHINESE_LANGUAGES,
    has_cjk,
    join_words,
    normalise_words,
    split_characters,
)
from transcription.guards import EnergyGate, drop_repeats, segment_reason
from transcription.schema import Segment, Word
from transcription.settings import TranscriptionSettings

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

SAMPLE_RATE = 16000
SNAP_REACH = 0.3  # seconds a word edge may move out to meet the sound


@dataclass
class ChunkResult:
    """The guarded transcription of one chunk of one channel (absolute times)."""

    segments: list[Segment] = field(default_factory=list)
    language: str | None = None
    speech: list[tuple[float, float]] = field(default_factory=list)
    dropped: int = 0
    audible: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


def vad_options():
    """Return the Silero VAD options used for every chunk (faster-whisper's defaults)."""
    from faster_whisper.vad import VadOptions

    return VadOptions()


def whisper_options(settings: TranscriptionSettings) -> dict:
    """Return the faster-whisper decoding options the pipeline uses."""
    return {
        "beam_size": settings.beam_size,
        "word_timestamps": True,
        "condition_on_previous_text": False,
        "compression_ratio_threshold": settings.max_compression_ratio,
        "log_prob_threshold": settings.min_avg_logprob,
        "no_speech_threshold": settings.max_no_speech_prob,
    }


def detect_language(
    model: WhisperModel, speech: np.ndarray, settings: TranscriptionSettings
) -> str:
    """Return the language of ``speech``, chosen among ``settings.languages`` when set."""
    if not model.model.is_multilingual:
        return "en"
    best, _, probs = model.detect_language(audio=speech)
    if not settings.languages:
        return best
    allowed = [(lang, p) for lang, p in probs if lang in settings.languages]
    return max(allowed, key=lambda item: item[1])[0] if allowed else best


def _words(raw, offset: float, gate: EnergyGate, speaker: str | None) -> list[Word]:
    """Convert faster-whisper words, dropping those over silence and snapping edges to sound."""
    kept = [
        (float(w.start), float(w.end), w.word.strip(), float(w.probability))
        for w in raw or []
        if w.word.strip() and gate.in_speech(w.start, w.end) and gate.has_energy(w.start, w.end)
    ]
    out: list[Word] = []
    for i, (start, end, text, probability) in enumerate(kept):
        earliest = kept[i - 1][1] if i else start - SNAP_REACH
        latest = kept[i + 1][0] if i + 1 < len(kept) else end + SNAP_REACH
        start, end = gate.snap(start, end, max(earliest, start - SNAP_REACH), latest)
        if out:
            start = max(start, out[-1].end - offset)
        out.append(
            Word(
                start=round(start + offset, 3),
                end=round(max(end, start + 0.02) + offset, 3),
                text=text,
                probability=round(probability, 3),
                speaker=speaker,
            )
        )
    return out


def transcribe_chunk(
    model: WhisperModel,
    audio: np.ndarray,
    offset: float,
    settings: TranscriptionSettings,
    language: str | None = None,
    speaker: str | None = None,
) -> ChunkResult:
    """Transcribe mono ``audio`` starting at ``offset`` seconds; return guarded segments."""
    from faster_whisper.transcribe import restore_speech_timestamps
    from faster_whisper.vad import collect_chunks, get_speech_timestamps

    chunks = get_speech_timestamps(audio, vad_options())
    speech = [(c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE) for c in chunks]
    result = ChunkResult(language=language, speech=[(s + offset, e + offset) for s, e in speech])
    if not chunks:
        return result
    speech_audio = np.concatenate(collect_chunks(audio, chunks)[0])
    language = language or settings.language or detect_language(model, speech_audio, settings)
    result.language = language
    raw, _ = model.transcribe(speech_audio, language=language, **whisper_options(settings))
    gate = EnergyGate(audio, speech)
    result.audible = gate.audible
    chinese = language in CHINESE_LANGUAGES
    recent: list[str] = []
    for seg in restore_speech_timestamps(raw, chunks, SAMPLE_RATE):
        if segment_reason(seg.avg_logprob, seg.no_speech_prob, seg.compression_ratio, settings):
            result.dropped += 1
            continue
        words = _words(seg.words, offset, gate, speaker)
        if chinese or any(has_cjk(w.text) for w in words):
            words = normalise_words(split_characters(words), settings.chinese_script)
        words = drop_repeats(words)
        text = join_words([w.text for w in words])
        if not words or recent[-2:] == [text, text]:
            result.dropped += 1
            continue
        recent.append(text)
        result.segments.append(
            Segment(
                id=len(result.segments),
                start=words[0].start,
                end=words[-1].end,
                text=text,
                speaker=speaker,
                confidence=round(math.exp(seg.avg_logprob), 3),
                words=words,
            )
        )
    return result
