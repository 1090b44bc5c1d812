"""The detector protocol: config parsing, the registry and what a detector returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from scoring.errors import RubricError
from scoring.view import ANY, CallView, Scope

DETECTORS: dict[str, type[Detector]] = {}
ROLES = ("agent", "customer", ANY)
EVIDENCE_HITS = 5  # hits a result shows; a detector that need not count may stop there


def register(name: str):
    """Register a detector class under ``name`` (the ``type`` used in rubrics)."""

    def decorate(cls: type[Detector]) -> type[Detector]:
        cls.type = name
        DETECTORS[name] = cls
        return cls

    return decorate


def build_detector(config: Any, path: str) -> Detector:
    """Return the detector a rubric ``config`` mapping describes."""
    if not isinstance(config, dict):
        raise RubricError("must be a mapping with a 'type'", path)
    kind = config.get("type")
    if kind not in DETECTORS:
        known = ", ".join(sorted(DETECTORS))
        raise RubricError(f"unknown detector type {kind!r} (known: {known})", f"{path}.type")
    return DETECTORS[kind](config, path)


@dataclass
class Hit:
    """One place a detector matched: segment indices in the view, span and match score."""

    indices: tuple[int, ...]
    start: float
    end: float
    score: float = 1.0


@dataclass
class Detection:
    """What a detector found: whether it matched, where, and how strongly."""

    found: bool
    hits: list[Hit] = field(default_factory=list)
    score: float = 1.0
    threshold: float = 1.0
    count: int = 0
    distinct: int = 0
    value: float | None = None
    near: int | None = None
    note: str = ""


class Detector:
    """A strategy that looks for one thing in a call; subclasses implement ``detect``."""

    type: ClassVar[str] = ""
    fields: ClassVar[frozenset[str]] = frozenset()
    default_role: ClassVar[str | None] = None
    default_negate: ClassVar[bool] = False
    violations: ClassVar[bool] = False
    exhaustive: bool = False  # count every occurrence (scale/deduction items need it)

    def __init__(self, config: dict[str, Any], path: str) -> None:
        self.config = config
        self.path = path
        unknown = set(config) - self.fields - {"type", "role", "negate"}
        if unknown:
            raise RubricError(f"unknown field {sorted(unknown)[0]!r}", path)
        self.role = config.get("role", self.default_role)
        if self.role is not None and self.role not in ROLES:
            raise RubricError(f"role must be one of {', '.join(ROLES)}", f"{path}.role")
        self.negate = bool(config.get("negate", self.default_negate))
        self.setup(config)

    @property
    def counts_violations(self) -> bool:
        """Return whether hits are faults (so an item may deduct per occurrence)."""
        return self.negate or self.violations

    def setup(self, config: dict[str, Any]) -> None:
        """Parse the detector-specific part of ``config``."""

    def children(self) -> list[Detector]:
        """Return the detectors this one combines (none for a leaf)."""
        return []

    def walk(self) -> list[Detector]:
        """Return this detector and every one inside it."""
        return [self, *(d for child in self.children() for d in child.walk())]

    def count_all(self) -> None:
        """Make this detector and every one inside it count each occurrence."""
        self.exhaustive = True
        for child in self.children():
            child.count_all()

    def run(self, ctx: Context, scope: Scope) -> Detection:
        """Return the detection in ``scope``, honouring ``role`` and ``negate``."""
        if self.role is not None:
            scope = Scope(self.role, scope.start, scope.end)
        found = self.detect(ctx, scope)
        if self.negate:
            found.found = not found.found
        return found

    def detect(self, ctx: Context, scope: Scope) -> Detection:
        """Look for the configured thing in ``scope``."""
        raise NotImplementedError

    def strings(self, config: dict[str, Any], key: str) -> list[str]:
        """Return the non-empty list of strings at ``key``."""
        value = config.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise RubricError("must be a non-empty list of strings", f"{self.path}.{key}")
        return value

    def number(self, config: dict[str, Any], key: str, default: float | None, lo: float, hi: float):
        """Return the number at ``key`` checked to lie in ``lo``..``hi``."""
        value = config.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise RubricError(f"must be a number from {lo} to {hi}", f"{self.path}.{key}")
        return float(value)

    def child(self, config: dict[str, Any], key: str) -> Detector:
        """Build the nested detector at ``key``."""
        if key not in config:
            raise RubricError("is required", f"{self.path}.{key}")
        return build_detector(config[key], f"{self.path}.{key}")


class Context:
    """Everything detectors share while scoring one call: the view, metrics, embeddings."""

    def __init__(self, view: CallView, embedder=None, embeddings=None, metric_settings=None):
        self.view = view
        self._embedder = embedder
        self.embeddings = embeddings
        self.metric_settings = metric_settings
        self._metrics = None

    def metrics(self):
        """Return the call's conversation metrics (computed once)."""
        if self._metrics is None:
            from scoring.metrics import compute_metrics

            self._metrics = compute_metrics(self.view, self.metric_settings)
        return self._metrics

    @property
    def embedder(self):
        """Return the embedder, loading the default one on first use."""
        if self._embedder is None:
            from scoring.embedding import default_embedder

            self._embedder = default_embedder()
        return self._embedder

    @property
    def backend(self) -> str:
        """Return the embedding backend used for this call's language."""
        if self.embeddings is not None:
            return self.embeddings.backend
        return self.embedder.backend_for(self.view.transcript.language, self.view.chinese)

    def vectors(self, indices: list[int]):
        """Return embeddings of the segments at ``indices`` (precomputed ones when given)."""
        segs = self.view.segments
        if self.embeddings is not None:
            ids = [segs[i].id for i in indices]
            if self.embeddings.has(ids):
                return self.embeddings.matrix(ids)
        return self.embedder.encode([segs[i].text for i in indices], self.backend)
