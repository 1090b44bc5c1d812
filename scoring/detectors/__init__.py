"""Detectors: small strategies that find things in a call, registered by type name."""

from scoring.detectors import flow, metric, phrase, regex, semantic, timing
from scoring.detectors.base import (
    DETECTORS,
    Context,
    Detection,
    Detector,
    Hit,
    build_detector,
    register,
)

__all__ = [
    "DETECTORS",
    "Context",
    "Detection",
    "Detector",
    "Hit",
    "build_detector",
    "flow",
    "metric",
    "phrase",
    "regex",
    "register",
    "semantic",
    "timing",
]
