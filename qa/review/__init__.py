"""Reviewing a scored call: overrides, role corrections and the reviewed mark."""
