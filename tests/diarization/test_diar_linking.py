"""The speaker-embedding step of the mono engine: bounded work per speaker colour."""

from __future__ import annotations

import numpy as np

from transcription.diarization.linking import MAX_PARTIALS, MIN_FRAMES, PARTIAL, embed


class FakeEncoder:
    """Stand-in for the ONNX speaker encoder: records the partials it is given."""

    def __init__(self) -> None:
        self.partials: list[np.ndarray] = []

    def run(self, _outputs, feeds):
        batch = feeds["mels"]
        self.partials.extend(batch)
        return [np.ones((len(batch), 4), dtype=np.float32)]


def test_long_speech_is_sampled_evenly_into_a_bounded_number_of_partials():
    mels = np.arange(60_000 * 2, dtype=np.float32).reshape(60_000, 2)  # ten minutes alone
    encoder = FakeEncoder()
    vector = embed(mels, encoder)
    assert len(encoder.partials) == MAX_PARTIALS
    firsts = [int(p[0, 0]) // 2 for p in encoder.partials]
    assert firsts[0] == 0 and firsts[-1] > 50_000  # spread over the whole stretch
    assert all(b - a >= PARTIAL // 2 for a, b in zip(firsts, firsts[1:], strict=False))
    assert np.isclose(np.linalg.norm(vector), 1.0)


def test_short_speech_uses_every_overlapping_partial_and_too_little_none():
    encoder = FakeEncoder()
    embed(np.zeros((PARTIAL * 3, 2), dtype=np.float32), encoder)
    assert len(encoder.partials) == 5  # hop of half a partial
    assert embed(np.zeros((MIN_FRAMES - 1, 2), dtype=np.float32), FakeEncoder()) is None
