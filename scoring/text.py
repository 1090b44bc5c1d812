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
_CONTROL = "".join(map(chr, range(32))) + "\x7f"
_ASCII_PUNCT = str.maketrans(dict.fromkeys(string.punctuation + _CONTROL, " "))
_WORD = re.compile(r"[a-z0-9']+")
_SEP = "\x00"
_ASCII_SPACE = _CONTROL.replace(_SEP, "") + string.punctuation
_ASCII_TABLE = bytes.maketrans(_ASCII_SPACE.encode(), b" " * len(_ASCII_SPACE))


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
    """Return folded ``text`` without punctuation; Chinese loses its spaces.

    The result holds only alphanumeric characters (``str.isalnum``) and single spaces, so a
    word-bounded match in it always spans whole space-separated tokens.
    """
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_PUNCT).split())
    text = _SPACES.sub(" ", _PUNCT.sub(" ", fold(text))).strip()
    if has_cjk(text):
        text = _CJK_GAP.sub("", text)
    return text


def prepare(texts: list[str]) -> tuple[list[str], list[str]]:
    """Return the normalised and the single-line folded form of every text.

    Equal to ``normalize(t)`` and ``fold(t).replace("\\n", " ")`` per text; the ASCII texts
    are done together on one joined string, the others one by one (and cached).
    """
    blob = _SEP.join(texts)
    if blob.isascii() and blob.count(_SEP) == len(texts) - 1:
        return _prepare_ascii(blob)
    rest = [i for i, t in enumerate(texts) if not t.isascii() or _SEP in t]
    plain = sorted(set(range(len(texts))).difference(rest))
    norm, folded = [""] * len(texts), [""] * len(texts)
    if plain:
        for i, n, f in zip(plain, *_prepare_ascii(_SEP.join(texts[i] for i in plain)), strict=True):
            norm[i], folded[i] = n, f
    for i in rest:
        norm[i], folded[i] = normalize(texts[i]), fold(texts[i]).replace("\n", " ")
    return norm, folded


def _prepare_ascii(blob: str) -> tuple[list[str], list[str]]:
    """Return ``prepare`` of the ASCII texts joined by ``_SEP`` in ``blob``."""
    lowered = blob.lower()
    spaced = lowered.encode("ascii").translate(_ASCII_TABLE)
    while b"  " in spaced:
        spaced = spaced.replace(b"  ", b" ")
    norm = [t.strip(" ") for t in spaced.decode("ascii").split(_SEP)]
    return norm, lowered.replace("\n", " ").split(_SEP)


def strip_quoted(text: str) -> str:
    """Return ``text`` with quoted passages removed."""
    return _QUOTED.sub(" ", text)


def speech_units(text: str) -> int:
    """Return the number of words, counting each Chinese character as one."""
    folded = fold(text)
    cjk = len(_CJK.findall(folded))
    return cjk + len(_WORD.findall(folded))
