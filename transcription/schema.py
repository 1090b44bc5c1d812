"""The transcript document: the one contract between transcription, scoring and the app.

A transcript is plain data (dataclasses) with a stable JSON form (``to_dict`` /
``from_dict``). ``callqa transcribe --format json`` prints it, ``callqa score`` reads it,
and the app stores it as JSON. Times are seconds from the start of the recording.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = 1

ROLES = ("agent", "customer", "unknown")


@dataclass
class Word:
    """One recognised word (or one CJK character) with its timing and speaker."""

    start: float
    end: float
    text: str
    probability: float = 1.0
    speaker: str | None = None
    overlap: bool = False


@dataclass
class Segment:
    """A stretch of speech by one speaker; ``id`` is stable within the transcript."""

    id: int
    start: float
    end: float
    text: str
    speaker: str | None = None
    role: str = "unknown"
    confidence: float = 1.0
    overlap: bool = False
    words: list[Word] = field(default_factory=list)


@dataclass
class Speaker:
    """A diarised speaker and the role given to it."""

    id: str
    role: str = "unknown"
    role_confidence: float = 0.0
    channel: int | None = None


@dataclass
class Turn:
    """A diarisation turn: who speaks from ``start`` to ``end`` (RTTM material)."""

    start: float
    end: float
    speaker: str


@dataclass
class Transcript:
    """A timed, diarised transcript of one call."""

    duration: float
    language: str | None = None
    segments: list[Segment] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    script: str | None = None  # "traditional" / "simplified" for Chinese, else None
    engine: dict[str, Any] = field(default_factory=dict)
    audio: dict[str, Any] = field(default_factory=dict)
    version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        """Build a transcript from its JSON form, tolerating missing optional keys."""
        segments = [
            Segment(
                **{k: v for k, v in s.items() if k != "words"},
                words=[Word(**w) for w in s.get("words", [])],
            )
            for s in data.get("segments", [])
        ]
        return cls(
            duration=float(data.get("duration", 0.0)),
            language=data.get("language"),
            segments=segments,
            speakers=[Speaker(**s) for s in data.get("speakers", [])],
            turns=[Turn(**t) for t in data.get("turns", [])],
            script=data.get("script"),
            engine=dict(data.get("engine", {})),
            audio=dict(data.get("audio", {})),
            version=int(data.get("version", SCHEMA_VERSION)),
        )

    def role_of(self, speaker: str | None) -> str:
        """Return the role given to ``speaker`` ("unknown" when none)."""
        for s in self.speakers:
            if s.id == speaker:
                return s.role
        return "unknown"
