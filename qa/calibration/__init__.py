"""Calibration sessions: raters score the same calls blind and compare."""
