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
