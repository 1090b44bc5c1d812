"""Hallucination guards: drop text Whisper invents over silence, noise or in loops."""

from __future__ import annotations

import re

import numpy as np

from transcription.schema import Word
from transcription.settings import TranscriptionSettings

SAMPLE_RATE = 16000
FRAME = SAMPLE_RATE // 50  # 20 ms
ABS_FLOOR = 10 ** (-55 / 20)  # -55 dBFS: below this a word has no energy at all
REL_FLOOR = 10 ** (-30 / 20)  # 30 dB under the loud speech of the same chunk
ONSET_FRACTION = 0.5
RELEASE_FRACTION = 0.35
NOISE_CEILING = 10 ** (-20 / 20)  # the noise floor is taken as at least 20 dB under speech
_PUNCT = re.compile(r"[^\w]+")


class EnergyGate:
    """Tell whether a stretch of a chunk carries any sound worth a word."""

    def __init__(self, audio: np.ndarray, speech: list[tuple[float, float]]) -> None:
        """Measure 20 ms frame RMS of ``audio`` and the level of its speech regions."""
        n = len(audio) // FRAME
        frames = audio[: n * FRAME].reshape(n, FRAME)
        self.rms = np.sqrt(np.einsum("ij,ij->i", frames, frames) / FRAME) if n else np.zeros(1)
        self.speech = speech
        voiced = [self.rms[int(s * 50) : int(e * 50) + 1] for s, e in speech]
        voiced = np.concatenate(voiced) if voiced else self.rms
        level = float(np.percentile(voiced, 90)) if voiced.size else 0.0
        audible = voiced[voiced > ABS_FLOOR]
        noise = float(np.percentile(audible, 10)) if audible.size else ABS_FLOOR
        noise = max(min(noise, level * NOISE_CEILING), ABS_FLOOR)
        self.floor = max(ABS_FLOOR, level * REL_FLOOR)
        # where speech starts: half way (in dB) from the noise floor to loud speech
        self.onset = max(self.floor, noise * (max(level, noise) / noise) ** ONSET_FRACTION)
        self.loud = self.rms >= self.onset
        # hysteresis: once inside a word, the sound may fall a little lower before it ends
        release = max(self.floor, noise * (max(level, noise) / noise) ** RELEASE_FRACTION)
        self.audible = self.rms >= release

    def has_energy(self, start: float, end: float) -> bool:
        """Return True when some 20 ms frame around [start, end] rises above the floor."""
        lo, hi = max(0, int((start - 0.05) * 50)), int((end + 0.05) * 50) + 1
        window = self.rms[lo:hi]
        return bool(window.size) and float(window.max()) >= self.floor

    def snap(self, start: float, end: float, earliest: float, latest: float) -> tuple[float, float]:
        """Return [start, end] moved to where the sound crosses the onset level.

        Quiet frames at the edges are cut off; sound just outside (down to the lower release
        level) is taken in, but not before ``earliest`` nor after ``latest``.
        """
        lo, hi = max(0, int(start * 50)), min(len(self.loud), int(end * 50) + 1)
        inside = np.flatnonzero(self.loud[lo:hi])
        if inside.size == 0:
            return start, end
        first, last = lo + int(inside[0]), lo + int(inside[-1]) + 1
        while first > max(0, int(earliest * 50)) and self.audible[first - 1]:
            first -= 1
        while last < min(len(self.loud), int(latest * 50)) and self.audible[last]:
            last += 1
        return first / 50, last / 50

    def in_speech(self, start: float, end: float, tolerance: float = 0.2) -> bool:
        """Return True when [start, end] touches a VAD speech region."""
        return any(s - tolerance < end and start < e + tolerance for s, e in self.speech)


def segment_reason(
    avg_logprob: float,
    no_speech_prob: float,
    compression_ratio: float,
    settings: TranscriptionSettings,
) -> str | None:
    """Return why a Whisper segment looks invented, or None when it looks real."""
    if compression_ratio > settings.max_compression_ratio:
        return "repetitive"
    if avg_logprob < settings.min_avg_logprob - 0.5:
        return "low confidence"
    if (
        no_speech_prob > settings.max_no_speech_prob
        and avg_logprob < settings.min_avg_logprob + 0.5
    ):
        return "no speech"
    return None


def _key(word: Word) -> str:
    """Return the comparison form of a word (lower case, no punctuation)."""
    return _PUNCT.sub("", word.text).lower()


def _loop_at(keys: list[str], i: int, max_n: int) -> tuple[int, int]:
    """Return (n, repeats) of an n-gram loop starting at ``i``, or (0, 0)."""
    for n in range(1, max_n + 1):
        gram = keys[i : i + n]
        if len(gram) < n or not all(gram):
            break
        reps = 1
        while keys[i + reps * n : i + (reps + 1) * n] == gram:
            reps += 1
        if reps >= (4 if n == 1 else 3):
            return n, reps
    return 0, 0


def drop_repeats(words: list[Word], max_n: int = 6) -> list[Word]:
    """Collapse repetition loops (an n-gram said again and again) to one occurrence."""
    keys = [_key(w) for w in words]
    out: list[Word] = []
    i = 0
    while i < len(words):
        n, reps = _loop_at(keys, i, max_n)
        if n:
            out.extend(words[i : i + n])
            i += n * reps
        else:
            out.append(words[i])
            i += 1
    return out
