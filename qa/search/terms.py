"""Split a search box entry into plain terms; operators and punctuation are never interpreted."""

from __future__ import annotations

import re

MAX_TERMS = 8
MAX_TERM_LENGTH = 64
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def search_terms(query: str | None) -> list[str]:
    """Return the distinct word terms of ``query`` (letters, digits, CJK), in order."""
    terms: list[str] = []
    for word in _WORD.findall(query or ""):
        word = word[:MAX_TERM_LENGTH]
        if word.lower() not in (t.lower() for t in terms):
            terms.append(word)
    return terms[:MAX_TERMS]


def has_cjk(term: str) -> bool:
    """Return whether ``term`` contains Chinese, Japanese or Korean characters."""
    return _CJK.search(term) is not None


def like_pattern(term: str) -> str:
    """Return a LIKE pattern matching ``term`` anywhere, with wildcards escaped (escape ``\\``)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
