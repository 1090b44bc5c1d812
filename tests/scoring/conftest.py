"""Shared helpers for the scoring tests: build small scripted calls."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parents[1] / "gold"
sys.path.insert(0, str(GOLD))

from make_gold import build_call  # noqa: E402


@pytest.fixture
def make_call():
    """Return a factory: lines like ``"A|@0.5|Hello"`` -> Transcript."""

    def make(lines: list[str], language: str = "en", **extra):
        return build_call({"language": language, "lines": lines, **extra})

    return make
