"""Stereo turns stretched to where the speaker's own channel falls quiet."""

from __future__ import annotations

import numpy as np
import pytest

from transcription.activity import RATE, ChannelActivity, fit_turns
from transcription.schema import Turn


def _channel(*spans: tuple[float, float], seconds: float = 10.0) -> ChannelActivity:
    """Return a channel audible over ``spans`` (seconds)."""
    frames = np.zeros(int(seconds * RATE), dtype=bool)
    for start, end in spans:
        frames[int(round(start * RATE)) : int(round(end * RATE))] = True
    channel = ChannelActivity()
    channel.add(0.0, frames)
    return channel


def test_a_final_consonant_after_a_short_closure_joins_the_turn() -> None:
    channel = _channel((1.0, 2.0), (2.1, 2.16))  # "lef" ... 0.1 s closure ... "t"
    [turn] = fit_turns([Turn(1.0, 2.0, "S0")], {"S0": channel}, 10.0)
    assert (turn.start, turn.end) == (1.0, 2.16)


def test_sound_after_a_long_pause_is_not_taken_in() -> None:
    channel = _channel((1.0, 2.0), (2.2, 2.3))  # 0.2 s of quiet: a new sound, not this word
    [turn] = fit_turns([Turn(1.0, 2.0, "S0")], {"S0": channel}, 10.0)
    assert (turn.start, turn.end) == (1.0, 2.0)


def test_edges_move_out_at_most_the_reach_and_never_shrink() -> None:
    channel = _channel((0.0, 5.0))  # a loud channel all along: only REACH is added
    [turn] = fit_turns([Turn(2.0, 3.0, "S0")], {"S0": channel}, 10.0)
    assert (turn.start, turn.end) == (1.7, 3.3)
    quiet = _channel(seconds=10.0)
    [same] = fit_turns([Turn(2.0, 3.0, "S0")], {"S0": quiet}, 10.0)
    assert (same.start, same.end) == (2.0, 3.0)


def test_stretched_turns_stay_in_the_call_and_merge_when_they_meet() -> None:
    channel = _channel((0.0, 10.0))
    turns = fit_turns(
        [Turn(0.1, 1.0, "S0"), Turn(1.55, 2.0, "S0"), Turn(9.9, 9.95, "S0")],
        {"S0": channel},
        9.96,
    )
    assert [(t.start, t.end) for t in turns] == [(0.0, 2.3), (9.6, 9.96)]


def test_other_speakers_and_channels_are_independent() -> None:
    turns = [Turn(1.0, 2.0, "S0"), Turn(1.5, 2.5, "S1")]
    fitted = fit_turns(turns, {"S0": _channel((1.0, 2.1))}, 10.0)
    assert [(t.start, t.end, t.speaker) for t in fitted] == [
        (1.0, 2.1, "S0"),
        (1.5, 2.5, "S1"),
    ]


def test_chunks_are_placed_at_their_offsets() -> None:
    channel = ChannelActivity()
    channel.add(0.0, np.zeros(50, dtype=bool))
    channel.add(1.0, np.ones(10, dtype=bool))
    assert channel.frames.size >= 60 and channel.frames[50:60].all()
    assert not channel.frames[:50].any()
    assert channel.edge(1.0, 1) == pytest.approx(1.2)
