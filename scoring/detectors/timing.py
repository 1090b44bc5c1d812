"""Position detector: the wrapped detector must match early or late in the call."""

from __future__ import annotations

from typing import Any

from scoring.detectors.base import Context, Detection, Detector, register
from scoring.errors import RubricError
from scoring.view import ANY, Scope


@register("position")
class PositionDetector(Detector):
    """Look for ``match`` within the first ``first_s`` seconds of a role's speech, or the
    last ``last_s`` seconds of the call's speech."""

    fields = frozenset({"match", "first_s", "last_s", "anchor"})

    def setup(self, config: dict[str, Any]) -> None:
        self.inner = self.child(config, "match")
        self.first_s = self.number(config, "first_s", None, 0.0, 86400.0)
        self.last_s = self.number(config, "last_s", None, 0.0, 86400.0)
        if (self.first_s is None) == (self.last_s is None):
            raise RubricError("needs exactly one of first_s and last_s", self.path)
        self.anchor = config.get("anchor")
        if self.anchor not in (None, "agent", "customer", ANY):
            raise RubricError("must be agent, customer or any", f"{self.path}.anchor")

    def children(self) -> list[Detector]:
        return [self.inner]

    def detect(self, ctx: Context, scope: Scope) -> Detection:
        view = ctx.view
        if self.first_s is not None:
            _, until = view.speech_window(self.anchor or scope.role, self.first_s)
            window = scope.narrowed(scope.start, until)
        else:
            window = scope.narrowed(view.speech_end - self.last_s, scope.end)
        return self.inner.run(ctx, window)
