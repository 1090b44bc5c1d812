"""Metric detector: a conversation metric must stay within bounds."""

from __future__ import annotations

from typing import Any

from scoring.detectors.base import Context, Detection, Detector, Hit, register
from scoring.errors import RubricError
from scoring.metrics import METRIC_NAMES
from scoring.view import Scope

EVENT_KINDS = {
    "interruptions": "interruption",
    "dead_air_count": "dead_air",
    "dead_air_longest": "dead_air",
    "dead_air_total": "dead_air",
    "hold_count": "hold",
    "hold_total": "hold",
    "unexplained_silence_count": "unexplained_silence",
    "unexplained_silence_longest": "unexplained_silence",
}
RELATIVE_BAND = 0.2
COUNTS = frozenset({"interruptions", "dead_air_count", "hold_count", "unexplained_silence_count"})


@register("metric")
class MetricDetector(Detector):
    """Check ``metric`` against ``max`` / ``min``; violating events are the hits."""

    fields = frozenset({"metric", "max", "min"})
    violations = True

    def setup(self, config: dict[str, Any]) -> None:
        self.metric = config.get("metric")
        if self.metric not in METRIC_NAMES:
            raise RubricError(
                f"unknown metric {self.metric!r} (known: {', '.join(METRIC_NAMES)})",
                f"{self.path}.metric",
            )
        self.max = self.number(config, "max", None, -1e9, 1e9)
        self.min = self.number(config, "min", None, -1e9, 1e9)
        if self.max is None and self.min is None:
            raise RubricError("needs max or min", self.path)

    def detect(self, ctx: Context, scope: Scope) -> Detection:
        metrics = ctx.metrics()
        value = metrics.value(self.metric)
        too_high = self.max is not None and value > self.max
        too_low = self.min is not None and value < self.min
        bound = self.max if too_high or self.min is None else self.min
        margin = abs(value - bound) / max(abs(bound), 1.0)
        if self.metric in COUNTS:
            margin = RELATIVE_BAND
        score = 0.5 + min(margin, RELATIVE_BAND) * (-1 if too_high or too_low else 1)
        hits = self._violations(ctx, metrics) if too_high or too_low else []
        count = len(hits) or int(too_high or too_low)
        return Detection(not (too_high or too_low), hits, score, 0.5, count, value=value)

    def _violations(self, ctx: Context, metrics) -> list[Hit]:
        """Return the events behind a violated bound, as hits."""
        kind = EVENT_KINDS.get(self.metric)
        if kind is None:
            return []
        events = metrics.events_of(kind)
        if self.metric.endswith("_longest") and self.max is not None:
            events = [e for e in events if e.duration > self.max]
        by_id = ctx.view.position
        return [
            Hit(tuple([by_id[i] for i in e.segment_ids if i in by_id]), e.start, e.end, 1.0)
            for e in events
        ]
