"""Audit log: who changed what, when, old and new value, and why."""
