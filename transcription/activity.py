"""Fit per-channel speaker turns to the channel's own sound, beyond Whisper's word edges.

Whisper's word timestamps end early on a final stop consonant ("left." ends at the
vowel, not at the burst of the "t" after its closure). On a stereo recording each speaker
has a channel of their own, so a turn can be stretched out to where that channel's sound
really stops: across closures of up to ``CLOSURE`` seconds of quiet, as long as the sound
after the closure is audible and comes within ``REACH`` seconds of the words.
"""

from __future__ import annotations

import numpy as np

from transcription.schema import Turn

RATE = 50  # activity frames per second (the energy gate's 20 ms frames)
CLOSURE = 0.15  # seconds of quiet a word may still run on across (a stop's closure)
REACH = 0.3  # seconds a turn edge may move out past the words


class ChannelActivity:
    """A channel's audible frames over the whole call, put together chunk by chunk."""

    def __init__(self) -> None:
        """Start with no frames."""
        self.frames = np.zeros(0, dtype=bool)

    def add(self, offset: float, audible: np.ndarray) -> None:
        """Place a chunk's audible frames (at RATE per second) starting at ``offset`` seconds."""
        at = int(round(offset * RATE))
        end = at + len(audible)
        if end > len(self.frames):
            grown = np.zeros(max(end, int(len(self.frames) * 1.5)), dtype=bool)
            grown[: len(self.frames)] = self.frames
            self.frames = grown
        self.frames[at:end] = audible

    def edge(self, at: float, direction: int) -> float:
        """Return where the sound around ``at`` stops, looking forward (+1) or back (-1)."""
        frames = self.frames
        limit = int(round(REACH * RATE))
        gap = int(round(CLOSURE * RATE))
        start = int(round(at * RATE))
        best, quiet = start, 0
        for step in range(limit):
            i = start + step if direction > 0 else start - 1 - step
            if i < 0 or i >= len(frames):
                break
            if frames[i]:
                best, quiet = (i + 1 if direction > 0 else i), 0
            else:
                quiet += 1
                if quiet > gap:
                    break
        return best / RATE


def fit_turns(
    turns: list[Turn], activity: dict[str, ChannelActivity], duration: float
) -> list[Turn]:
    """Return ``turns`` with edges moved out to where their speaker's channel falls quiet.

    A turn never shrinks, never crosses the speaker's neighbouring turns and stays inside
    [0, ``duration``].
    """
    out: list[Turn] = []
    by_speaker: dict[str, list[Turn]] = {}
    for turn in sorted(turns, key=lambda t: (t.start, t.end)):
        by_speaker.setdefault(turn.speaker, []).append(turn)
    for speaker, own in by_speaker.items():
        channel = activity.get(speaker)
        for i, turn in enumerate(own):
            if channel is None:
                out.append(turn)
                continue
            before = own[i - 1].end if i else 0.0
            after = own[i + 1].start if i + 1 < len(own) else duration
            start = max(before, min(turn.start, channel.edge(turn.start, -1)))
            end = min(after, max(turn.end, channel.edge(turn.end, 1)))
            if out and out[-1].speaker == speaker and start <= out[-1].end:
                start = out.pop().start  # two stretched turns met: one turn
            out.append(Turn(start=round(start, 3), end=round(end, 3), speaker=speaker))
    return sorted(out, key=lambda t: (t.start, t.end))
