"""Write transcripts as JSON, WebVTT, SRT and RTTM."""

from __future__ import annotations

import html
import json

from transcription.schema import Segment, Transcript, Turn

FORMATS = ("json", "vtt", "srt", "rttm")


def _clock(seconds: float, separator: str) -> str:
    """Return HH:MM:SS<sep>mmm for ``seconds``."""
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _label(transcript: Transcript, segment: Segment) -> str:
    """Return the speaker label shown in subtitles, e.g. "Agent (S0)"."""
    speaker = segment.speaker or "unknown"
    role = transcript.role_of(segment.speaker)
    return speaker if role == "unknown" else f"{role.title()} ({speaker})"


def to_json(transcript: Transcript, indent: int | None = 2) -> str:
    """Return the transcript's JSON form."""
    return json.dumps(transcript.to_dict(), ensure_ascii=False, indent=indent)


def to_vtt(transcript: Transcript) -> str:
    """Return a WebVTT document with one cue per segment and <v Speaker> voice tags."""
    cues = ["WEBVTT", ""]
    for segment in transcript.segments:
        cues += [
            str(segment.id),
            f"{_clock(segment.start, '.')} --> {_clock(segment.end, '.')}",
            f"<v {html.escape(_label(transcript, segment), quote=False)}>"
            f"{html.escape(segment.text, quote=False)}",
            "",
        ]
    return "\n".join(cues)


def to_srt(transcript: Transcript) -> str:
    """Return an SRT document, the speaker label leading each cue's text."""
    cues = []
    for number, segment in enumerate(transcript.segments, start=1):
        cues += [
            str(number),
            f"{_clock(segment.start, ',')} --> {_clock(segment.end, ',')}",
            f"{_label(transcript, segment)}: {segment.text}",
            "",
        ]
    return "\n".join(cues)


def to_rttm(transcript: Transcript, file_id: str = "call") -> str:
    """Return RTTM ``SPEAKER`` lines from the turns (from the segments when there are none)."""
    turns = transcript.turns or [
        Turn(start=s.start, end=s.end, speaker=s.speaker or "unknown") for s in transcript.segments
    ]
    lines = [
        f"SPEAKER {file_id} 1 {t.start:.3f} {t.end - t.start:.3f} <NA> <NA> {t.speaker} <NA> <NA>"
        for t in sorted(turns, key=lambda t: (t.start, t.end))
        if t.end > t.start
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def export(transcript: Transcript, fmt: str, file_id: str = "call") -> str:
    """Return the transcript in format ``fmt`` (json, vtt, srt or rttm)."""
    if fmt == "json":
        return to_json(transcript)
    if fmt == "vtt":
        return to_vtt(transcript)
    if fmt == "srt":
        return to_srt(transcript)
    if fmt == "rttm":
        return to_rttm(transcript, file_id)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
