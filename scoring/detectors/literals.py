"""Required literals of a regular expression: a cheap prefilter before running it."""

from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as C
    from re import _parser as parser
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as C
    import sre_parse as parser


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Return strings one of which every match of ``pattern`` contains (None: no such set)."""
    try:
        parsed = parser.parse(pattern, flags)
    except re.error:
        return None
    found = _sequence(list(parsed))
    if not found or any(not s for s in found):
        return None
    return frozenset(s.lower() for s in found)


def _best(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """Return the more selective of two literal sets (longest shortest member)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if min(map(len, a)) >= min(map(len, b)) else b


def _sequence(items: list) -> frozenset[str] | None:
    best, run = None, ""
    for op, arg in items:
        if op is C.LITERAL:
            run += chr(arg)
            continue
        if run:
            best, run = _best(best, frozenset({run})), ""
        best = _best(best, _item(op, arg))
    if run:
        best = _best(best, frozenset({run}))
    return best


def _item(op, arg) -> frozenset[str] | None:
    if op is C.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is C.BRANCH:
        alternatives = [_sequence(list(alt)) for alt in arg[1]]
        if any(a is None for a in alternatives):
            return None
        return frozenset().union(*alternatives)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and arg[0] >= 1:
        return _sequence(list(arg[2]))
    return None


def case_free(pattern: str, flags: int = 0) -> bool:
    """Return whether ``pattern`` matches lower-case ASCII text alike with or without re.I.

    True when every literal is ASCII and not an upper-case letter and every character range
    is ASCII and holds the lower-case form of each upper-case letter in it.
    """
    try:
        parsed = parser.parse(pattern, flags)
    except re.error:
        return False
    return _case_free(list(parsed))


def _plain_char(code: int) -> bool:
    return code < 128 and not 65 <= code <= 90


def _plain_range(lo: int, hi: int) -> bool:
    return hi < 128 and all(lo <= u + 32 <= hi for u in range(max(lo, 65), min(hi, 90) + 1))


def _plain_set(items) -> bool:
    for op, arg in items:
        if op is C.LITERAL:
            if not _plain_char(arg):
                return False
        elif op is C.RANGE:
            if not _plain_range(*arg):
                return False
        elif op not in (C.CATEGORY, C.NEGATE):
            return False
    return True


def _case_free(items) -> bool:
    for op, arg in items:
        if op in (C.LITERAL, C.NOT_LITERAL):
            ok = _plain_char(arg)
        elif op is C.IN:
            ok = _plain_set(arg)
        elif op in (C.ANY, C.AT, C.GROUPREF):
            ok = True
        elif op is C.BRANCH:
            ok = all(_case_free(list(alt)) for alt in arg[1])
        elif op is C.SUBPATTERN or op is C.ATOMIC_GROUP:
            ok = _case_free(list(arg[-1] if op is C.SUBPATTERN else arg))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            ok = _case_free(list(arg[2]))
        elif op in (C.ASSERT, C.ASSERT_NOT):
            ok = _case_free(list(arg[1]))
        elif op is C.GROUPREF_EXISTS:
            ok = all(_case_free(list(sub)) for sub in arg[1:] if sub is not None)
        else:
            ok = False
        if not ok:
            return False
    return True
