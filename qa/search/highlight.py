"""Snippets of transcript text around the search terms, matches wrapped in ``<mark>``."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

CONTEXT_CHARS = 90


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternatives = sorted((re.escape(t) for t in terms), key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def snippet(text: str, terms: list[str], context: int = CONTEXT_CHARS) -> Markup:
    """Return an escaped excerpt of ``text`` around the first match, every match marked."""
    text = " ".join((text or "").split())
    pattern = _pattern(terms)
    first = pattern.search(text) if pattern else None
    if first is None:
        excerpt = text[: 2 * context]
        return escape(excerpt + ("…" if len(text) > len(excerpt) else ""))
    start = max(first.start() - context, 0)
    end = min(first.end() + context, len(text))
    excerpt = text[start:end]
    parts: list[str] = ["…" if start else ""]
    last = 0
    for match in pattern.finditer(excerpt):
        parts.append(escape(excerpt[last : match.start()]))
        parts.append(Markup("<mark>%s</mark>") % match.group())
        last = match.end()
    parts.append(escape(excerpt[last:]))
    parts.append("…" if end < len(text) else "")
    return Markup("").join(parts)
