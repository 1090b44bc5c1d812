"""Word error rate."""

from __future__ import annotations

import pytest

from transcription.metrics import edit_distance, tokens, word_error_rate


def test_tokens() -> None:
    assert tokens("And so, my fellow Americans!") == ["and", "so", "my", "fellow", "americans"]
    assert tokens("您好，請問") == ["您", "好", "請", "問"]


def test_edit_distance_and_wer() -> None:
    assert edit_distance(list("kitten"), list("sitting")) == 3
    # one substitution, one deletion, one insertion over 6 reference words
    assert word_error_rate("a b c d e f", "a x c e f g") == pytest.approx(3 / 6)
    assert word_error_rate("Hello, world.", "hello world") == 0.0
    assert word_error_rate("", "") == 0.0 and word_error_rate("", "extra") == 1.0
