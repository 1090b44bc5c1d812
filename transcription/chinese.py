"""Chinese text handling: script normalisation and character-level word timing."""

from __future__ import annotations

import functools
import re

from transcription.schema import Word

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
# one CJK character with any punctuation that follows it, or a run of other non-space text
_PIECE = re.compile(f"[{_CJK}][^\\w\\s]*|[^{_CJK}\\s]+")
_CJK_OR_WIDE = re.compile(f"[{_CJK}\u3000-\u303f\uff00-\uffef]")
_NO_SPACE_BEFORE = re.compile(r"^[^\w\s]")
_OPENCC_CONFIG = {"traditional": "s2tw", "simplified": "tw2s"}
CHINESE_LANGUAGES = ("zh", "yue")


def has_cjk(text: str) -> bool:
    """Return True when ``text`` contains a CJK ideograph."""
    return _CJK_CHAR.search(text) is not None


def join_words(texts: list[str]) -> str:
    """Join word texts: no space between CJK characters or before punctuation."""
    out = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        glue = out and not (
            (_CJK_OR_WIDE.match(out[-1]) and _CJK_OR_WIDE.match(text[0]))
            or _NO_SPACE_BEFORE.match(text)
        )
        out += (" " if glue else "") + text
    return out


def split_characters(words: list[Word]) -> list[Word]:
    """Split words holding several CJK characters into one Word per character.

    Times are interpolated evenly across the characters of the original word.
    """
    out: list[Word] = []
    for word in words:
        text = word.text.strip()
        pieces = _PIECE.findall(text) if has_cjk(text) else [text]
        if len(pieces) <= 1:
            out.append(word)
            continue
        step = (word.end - word.start) / len(pieces)
        for i, piece in enumerate(pieces):
            out.append(
                Word(
                    start=round(word.start + i * step, 3),
                    end=round(word.start + (i + 1) * step, 3),
                    text=piece,
                    probability=word.probability,
                    speaker=word.speaker,
                    overlap=word.overlap,
                )
            )
    return out


@functools.cache
def _converter(script: str):
    """Return the (cached) OpenCC converter for ``script``."""
    import opencc

    return opencc.OpenCC(_OPENCC_CONFIG[script])


def convert_script(text: str, script: str) -> str:
    """Return ``text`` in the Traditional or Simplified script."""
    return _converter(script).convert(text)


def normalise_words(words: list[Word], script: str) -> list[Word]:
    """Convert word texts to ``script`` in context, keeping one Word per original word."""
    texts = [w.text for w in words]
    joined = "".join(texts)
    converted = convert_script(joined, script)
    if len(converted) == len(joined):
        pos = 0
        for word, text in zip(words, texts, strict=True):
            word.text = converted[pos : pos + len(text)]
            pos += len(text)
    else:
        for word in words:
            word.text = convert_script(word.text, script)
    return words
