"""Pipeline stages: small classes in a registry, each calling into a library."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from flask import Flask

from qa.calls.models import Call

Progress = Callable[[float, str], None]


class StageUnavailable(Exception):
    """The stage cannot run on this installation (shown as 'unavailable', not retried)."""


class StageInputError(Exception):
    """The call's input is unusable (shown as a failure with this message, not retried)."""


class Stage:
    """One step of the call pipeline."""

    name: ClassVar[str]

    def check_available(self, app: Flask) -> None:
        """Raise :class:`StageUnavailable` when the stage cannot run here."""

    def run(self, app: Flask, call: Call, progress: Progress) -> list[str]:
        """Do the work for ``call`` in the session (uncommitted); return the next stages."""
        raise NotImplementedError


STAGES: dict[str, type[Stage]] = {}


def register(cls: type[Stage]) -> type[Stage]:
    """Add a stage class to the registry."""
    STAGES[cls.name] = cls
    return cls


def get_stage(name: str) -> Stage:
    """Return a stage instance by name."""
    import qa.jobs.pipeline  # noqa: F401  (registers the stages)

    try:
        return STAGES[name]()
    except KeyError:
        raise StageUnavailable(f"unknown stage {name!r}") from None
