"""Transcribe a call recording end to end: decode, recognise, diarise, assign roles."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from transcription.activity import ChannelActivity, fit_turns
from transcription.asr import ChunkResult, transcribe_chunk
from transcription.assign import assign_segments, mark_overlaps, renumber, turns_from_segments
from transcription.audio import SAMPLE_RATE, AudioInfo, channels_differ, iter_chunks, probe
from transcription.chinese import CHINESE_LANGUAGES
from transcription.diarization.base import DiarizationEngine
from transcription.errors import TranscriptionError
from transcription.models import load_model, resolve_device
from transcription.roles import apply_roles, infer_roles, roles_from_channel
from transcription.schema import Segment, Speaker, Transcript, Turn
from transcription.settings import TranscriptionSettings

Progress = Callable[[float, str], None]


def _quiet(fraction: float, message: str) -> None:
    """Ignore progress reports."""


def choose_mode(settings: TranscriptionSettings, first_chunk: np.ndarray) -> str:
    """Return "channels" or "mono" for the recording whose first chunk is given."""
    stereo = first_chunk.shape[0] > 1
    if settings.engine == "channels":
        if not stereo:
            raise TranscriptionError("engine 'channels' needs a stereo recording; this one is mono")
        return "channels"
    if settings.engine == "auto" and stereo and channels_differ(first_chunk):
        return "channels"
    return "mono"


def get_diarizer(settings: TranscriptionSettings) -> DiarizationEngine:
    """Return the mono diarisation engine the settings name ('auto' means 'mono')."""
    name = "pyannote" if settings.engine == "pyannote" else "mono"
    return _diarizer(
        name, settings.pyannote_dir, settings.num_speakers, settings.device, settings.cpu_threads
    )


@functools.cache
def _diarizer(
    name: str, pyannote_dir: str | None, num_speakers: int | None, device: str, threads: int
) -> DiarizationEngine:
    """Build (once per process and configuration) a diarisation engine."""
    from transcription.diarization import DiarizationSettings, get_engine

    return get_engine(
        name,
        DiarizationSettings(
            pyannote_dir=pyannote_dir, num_speakers=num_speakers, device=device, threads=threads
        ),
    )


class _MonoBuffer:
    """The whole mono signal, kept once for the diarisation engine."""

    def __init__(self, duration: float) -> None:
        """Preallocate room for ``duration`` seconds."""
        self.samples = np.zeros(int(duration * SAMPLE_RATE) + SAMPLE_RATE, dtype=np.float32)
        self.size = 0

    def add(self, block: np.ndarray) -> None:
        """Append ``block``, growing the buffer when the header under-stated the length."""
        end = self.size + len(block)
        if end > len(self.samples):
            grown = np.zeros(max(end, int(len(self.samples) * 1.25)), dtype=np.float32)
            grown[: self.size] = self.samples[: self.size]
            self.samples = grown
        self.samples[self.size : end] = block
        self.size = end


@dataclass
class _Recognition:
    """What the chunk-by-chunk recognition pass found."""

    mode: str = "mono"
    language: str | None = None
    results: list[ChunkResult] = field(default_factory=list)
    mono: _MonoBuffer | None = None
    activity: dict[str, ChannelActivity] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def segments(self) -> list[Segment]:
        """Return every chunk's segments in order."""
        return [s for r in self.results for s in r.segments]


def _recognise(
    path: str | Path, settings: TranscriptionSettings, info: AudioInfo, report: Progress
) -> _Recognition:
    """Decode and transcribe ``path`` chunk by chunk, each channel on its own in stereo mode."""
    model = load_model(settings)
    run = _Recognition(language=settings.language)
    mode = None
    for offset, chunk in iter_chunks(path, settings.chunk_seconds):
        mode = mode or choose_mode(settings, chunk)
        if mode == "channels":
            channels = [(chunk[0], "S0"), (chunk[1], "S1")]
        else:
            signal = chunk.mean(axis=0) if chunk.shape[0] > 1 else chunk[0]
            run.mono = run.mono or _MonoBuffer(info.duration)
            run.mono.add(signal)
            channels = [(signal, None)]
        for samples, speaker in channels:
            result = transcribe_chunk(model, samples, offset, settings, run.language, speaker)
            run.language = run.language or result.language
            run.results.append(result)
            if speaker is not None:
                run.activity.setdefault(speaker, ChannelActivity()).add(offset, result.audible)
        run.seconds = offset + chunk.shape[1] / SAMPLE_RATE
        done = 0.85 * run.seconds / max(info.duration, run.seconds)
        report(min(0.85, done), f"transcribed {run.seconds:.0f} s")
    run.mode = mode or "mono"
    return run


def _diarise(
    run: _Recognition, settings: TranscriptionSettings, diarizer: DiarizationEngine | None
) -> tuple[list[Segment], list[Turn], str]:
    """Return (segments with one speaker each, turns, diarisation engine name)."""
    segments = run.segments
    if run.mode == "channels":
        segments = renumber(segments)
        turns = fit_turns(turns_from_segments(segments), run.activity, run.seconds)
        mark_overlaps(segments, turns)
        return segments, turns, "channels"
    diarizer = diarizer or get_diarizer(settings)
    if not segments or run.mono is None:  # nothing was said: nobody to find
        return [], [], diarizer.name
    speech = [(s.start, s.end) for s in segments]
    samples = run.mono.samples[: run.mono.size]
    found = diarizer.diarize(samples, SAMPLE_RATE, settings.num_speakers, speech=speech)
    turns = [Turn(float(t.start), float(t.end), t.speaker) for t in found]
    return assign_segments(segments, turns), turns, diarizer.name


def _speakers(segments: list[Segment], turns: list[Turn], mode: str) -> list[Speaker]:
    """Return the speakers found in turns and segments (channel recorded for stereo)."""
    ids = sorted({t.speaker for t in turns} | {s.speaker for s in segments if s.speaker})
    if mode == "channels":
        ids = sorted(set(ids) | {"S0", "S1"})
    return [Speaker(id=i, channel=int(i[1:]) if mode == "channels" else None) for i in ids]


def transcribe_file(
    path: str | Path,
    settings: TranscriptionSettings,
    progress: Progress | None = None,
    diarizer: DiarizationEngine | None = None,
) -> Transcript:
    """Return the diarised, role-labelled transcript of the recording at ``path``.

    ``progress(fraction, message)`` is called as work advances; ``diarizer`` overrides the
    mono engine the settings name.
    """
    report = progress or _quiet
    started = time.perf_counter()
    info = probe(path)
    report(0.0, "loading model")
    run = _recognise(path, settings, info, report)
    report(0.85, "diarising")
    segments, turns, diarizer_name = _diarise(run, settings, diarizer)
    run.mono = None
    speakers = _speakers(segments, turns, run.mode)
    if run.mode == "channels" and settings.agent_channel is not None:
        roles_from_channel(speakers, settings.agent_channel)
    else:
        infer_roles(segments, speakers)
    device, compute_type = resolve_device(settings)
    transcript = Transcript(
        duration=round(run.seconds, 3),
        language=run.language,
        segments=segments,
        speakers=speakers,
        turns=turns,
        script=settings.chinese_script if run.language in CHINESE_LANGUAGES else None,
        engine={
            "diarization": diarizer_name,
            "model": settings.model,
            "device": device,
            "compute_type": compute_type,
            "dropped_segments": sum(r.dropped for r in run.results),
            "seconds": round(time.perf_counter() - started, 2),
        },
        audio=_audio_dict(info),
    )
    report(1.0, "done")
    return apply_roles(transcript)


def _audio_dict(info: AudioInfo) -> dict:
    """Return the recording facts stored with the transcript."""
    return {
        "format": info.format,
        "codec": info.codec,
        "channels": info.channels,
        "sample_rate": info.sample_rate,
        "duration": info.duration,
    }
