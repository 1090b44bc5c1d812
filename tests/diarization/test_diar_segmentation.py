"""The segmentation network run window by window in small batches."""

from __future__ import annotations

import tracemalloc

import numpy as np

import transcription.diarization.segmentation as segmentation
from tests.diarization.conftest import PHONE_WAV, load
from transcription.diarization.assets import load_session


def test_scores_do_not_depend_on_the_batch_size(monkeypatch):
    samples = load(PHONE_WAV)[: 16000 * 12]
    session = load_session("segmentation.onnx", 1)
    monkeypatch.setattr(segmentation, "BATCH", 1)
    one = segmentation.segment(samples, session, 0.5)
    monkeypatch.setattr(segmentation, "BATCH", 5)
    five = segmentation.segment(samples, session, 0.5)
    assert one.scores.shape == five.scores.shape == (len(one.starts), 293, 3)
    np.testing.assert_allclose(one.scores, five.scores, atol=1e-4)
    assert one.starts[-1] == 7.0  # the last window is flush with the end


def test_a_short_call_is_padded_to_one_window():
    session = load_session("segmentation.onnx", 1)
    seg = segmentation.segment(load(PHONE_WAV)[:8000], session, 0.5)
    assert seg.scores.shape == (1, 293, 3)


def test_memory_beyond_the_scores_stays_one_batch():
    samples = np.zeros(16000 * 60, np.float32)
    session = load_session("segmentation.onnx", 1)
    tracemalloc.start()
    seg = segmentation.segment(samples, session, 0.5)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    batch = segmentation.BATCH * segmentation.WINDOW * 4
    # no copy of the call and no stack of all its windows (111 windows, 35 MB)
    assert peak < seg.scores.nbytes + 3 * batch + 1e6
