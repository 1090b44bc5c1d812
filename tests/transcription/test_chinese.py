"""Chinese script normalisation and character-level timing."""

from __future__ import annotations

import pytest

from transcription.chinese import (
    convert_script,
    has_cjk,
    join_words,
    normalise_words,
    split_characters,
)
from transcription.schema import Word


@pytest.mark.parametrize(
    ("text", "script", "expected"),
    [
        ("请问有什么可以帮您", "traditional", "請問有什麼可以幫您"),
        ("請問有什麼可以幫您", "simplified", "请问有什么可以帮您"),
        ("您好，我想查询我的订单", "traditional", "您好，我想查詢我的訂單"),
        ("謝謝您的來電", "simplified", "谢谢您的来电"),
        ("請問有什麼可以幫您", "traditional", "請問有什麼可以幫您"),  # already right: unchanged
    ],
)
def test_convert_script_both_ways(text: str, script: str, expected: str) -> None:
    assert convert_script(text, script) == expected


def test_normalise_words_keeps_one_word_each() -> None:
    words = [Word(0.0, 0.4, "头发"), Word(0.4, 0.6, "发"), Word(0.6, 1.0, "财")]
    out = normalise_words(words, "traditional")
    assert [w.text for w in out] == ["頭髮", "發", "財"]  # converted in context
    assert [(w.start, w.end) for w in out] == [(0.0, 0.4), (0.4, 0.6), (0.6, 1.0)]


def test_split_characters_interpolates_times() -> None:
    words = [Word(1.0, 2.0, "您好，", probability=0.9, speaker="S0"), Word(2.0, 2.5, "OK")]
    out = split_characters(words)
    assert [w.text for w in out] == ["您", "好，", "OK"]
    assert [(w.start, w.end) for w in out] == [(1.0, 1.5), (1.5, 2.0), (2.0, 2.5)]
    assert all(w.speaker == "S0" and w.probability == 0.9 for w in out[:2])


def test_join_words_spacing() -> None:
    assert join_words(["您", "好，", "請", "問"]) == "您好，請問"
    assert join_words(["Hello,", "how", "are", "you", "?"]) == "Hello, how are you?"
    assert join_words(["我", "用", "iPhone"]) == "我用 iPhone"
    assert has_cjk("a我") and not has_cjk("abc，")
