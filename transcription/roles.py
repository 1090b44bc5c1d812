"""Decide which speaker is the agent and which the customer."""

from __future__ import annotations

import re

from transcription.chinese import convert_script, has_cjk
from transcription.schema import Segment, Speaker, Transcript

OPENING_SECONDS = 60.0
FIRST_SPEAKER_WEIGHT = 0.5
# Agent script lines (English lower case; Chinese in Traditional script).
AGENT_PATTERNS = [
    re.compile(p)
    for p in (
        r"thank(s| you) for (calling|contacting|holding|waiting)",
        r"how (can|may|could) i (help|assist)",
        r"what can i (do|help)",
        r"my name is \w+.{0,30}(help|assist|speaking|service)",
        r"\b(speaking|this is \w+ (from|at|with))\b",
        r"(customer|client) (service|support|care)",
        r"(welcome to|you've reached|you have reached)",
        r"is there anything else",
        r"(verify|confirm) your (identity|account|name|number)",
        r"有什麼(可以|能)(幫|為)",
        r"很高興(為您|為你)服務",
        r"(感謝|謝謝)(您|你)的來電",
        r"歡迎(致電|來電)",
        r"工號",
        r"客服(中心|專員|人員)?",
        r"還有(什麼|其他)",
        r"請問(您|你)",
    )
]
CUSTOMER_PATTERNS = [
    re.compile(p)
    for p in (
        r"\bi('m| am) calling (about|because|to)",
        r"\bi (want|need|would like) to (complain|cancel|return|know)",
        r"\bmy (order|account|bill|package|phone)\b",
        r"我(想|要)(問|投訴|退|取消|查)",
        r"我的(訂單|帳戶|賬戶|帳單|手機)",
    )
]


def _hits(text: str, patterns: list[re.Pattern]) -> int:
    """Return how many of ``patterns`` occur in ``text``."""
    return sum(1 for p in patterns if p.search(text))


def role_scores(segments: list[Segment]) -> dict[str, float]:
    """Return an agent-likeness score per speaker from the opening of the call."""
    scores: dict[str, float] = {}
    opening: dict[str, list[str]] = {}
    first = None
    for segment in sorted(segments, key=lambda s: s.start):
        if segment.speaker is None:
            continue
        scores.setdefault(segment.speaker, 0.0)
        first = first or segment.speaker
        if segment.start <= OPENING_SECONDS:
            opening.setdefault(segment.speaker, []).append(segment.text)
    for speaker, texts in opening.items():
        text = " ".join(texts)
        text = convert_script(text, "traditional") if has_cjk(text) else text.lower()
        scores[speaker] += 2.0 * _hits(text, AGENT_PATTERNS)
        for other in scores:
            if other != speaker:
                scores[other] += 1.0 * _hits(text, CUSTOMER_PATTERNS)
    if first is not None:
        scores[first] += FIRST_SPEAKER_WEIGHT
    return scores


def infer_roles(segments: list[Segment], speakers: list[Speaker]) -> None:
    """Give roles to ``speakers`` from who speaks the opening script lines and who speaks first."""
    scores = role_scores(segments)
    ranked = sorted((s for s in speakers if s.id in scores), key=lambda s: -scores[s.id])
    for speaker in speakers:
        speaker.role, speaker.role_confidence = "unknown", 0.0
    if not ranked:
        return
    best = scores[ranked[0].id]
    runner_up = scores[ranked[1].id] if len(ranked) > 1 else 0.0
    if len(ranked) == 1 and best <= FIRST_SPEAKER_WEIGHT:
        return
    confidence = round(0.5 + 0.5 * (best - runner_up) / (best + runner_up + 1.0), 3)
    ranked[0].role, ranked[0].role_confidence = "agent", confidence
    for speaker in ranked[1:]:
        speaker.role, speaker.role_confidence = "customer", confidence


def roles_from_channel(speakers: list[Speaker], agent_channel: int) -> None:
    """Give roles from the recording's channel layout (certain)."""
    for speaker in speakers:
        if speaker.channel is None:
            continue
        speaker.role = "agent" if speaker.channel == agent_channel else "customer"
        speaker.role_confidence = 1.0


def apply_roles(transcript: Transcript) -> Transcript:
    """Copy each speaker's role onto its segments."""
    for segment in transcript.segments:
        segment.role = transcript.role_of(segment.speaker)
    return transcript


def swap_roles(transcript: Transcript) -> Transcript:
    """Swap agent and customer (a person's correction); the result is certain."""
    swap = {"agent": "customer", "customer": "agent"}
    for speaker in transcript.speakers:
        if speaker.role in swap:
            speaker.role = swap[speaker.role]
            speaker.role_confidence = 1.0
    return apply_roles(transcript)


def set_agent(transcript: Transcript, speaker_id: str) -> Transcript:
    """Make ``speaker_id`` the agent and every other speaker a customer (a person's choice)."""
    if all(s.id != speaker_id for s in transcript.speakers):
        raise ValueError(f"no speaker {speaker_id!r} in this transcript")
    for speaker in transcript.speakers:
        speaker.role = "agent" if speaker.id == speaker_id else "customer"
        speaker.role_confidence = 1.0
    return apply_roles(transcript)
