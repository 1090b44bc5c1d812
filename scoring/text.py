"""Normalise text for matching: case, punctuation, Traditional/Simplified Chinese."""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PUNCT = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<![a-z0-9]) | (?![a-z0-9])")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|「[^」]*」|『[^』]*』")
_ASCII_PUNCT = str.maketrans(dict.fromkeys(string.punctuation, " "))
_WORD = re.compile(r"[a-z0-9']+")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def has_cjk(text: str) -> bool:
    """Return whether ``text`` contains a Chinese character."""
    return _CJK.search(text) is not None


def is_chinese(language: str | None) -> bool:
    """Return whether a language code names Chinese."""
    return bool(language) and language.lower().split("-")[0] in {"zh", "cmn", "yue"}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Return ``text`` in NFKC form, lower-cased, with Traditional folded to Simplified."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).lower()
    if has_cjk(text):
        text = _converter().convert(text)
    return text


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Return folded ``text`` without punctuation; Chinese loses its spaces."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_PUNCT).split())
    text = _SPACES.sub(" ", _PUNCT.sub(" ", fold(text))).strip()
    if has_cjk(text):
        text = _CJK_GAP.sub("", text)
    return text


def strip_quoted(text: str) -> str:
    """Return ``text`` with quoted passages removed."""
    return _QUOTED.sub(" ", text)


def speech_units(text: str) -> int:
    """Return the number of words, counting each Chinese character as one."""
    folded = fold(text)
    cjk = len(_CJK.findall(folded))
    return cjk + len(_WORD.findall(folded))
