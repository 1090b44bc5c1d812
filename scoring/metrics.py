"""Conversation metrics from a diarised transcript: talk time, silence, overtalk, pace."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress

from scoring.text import speech_units
from scoring.view import CallView
from transcription.schema import Transcript

HOLD_PHRASES = (
    "please hold",
    "bear with me",
    "one moment",
    "just a moment",
    "give me a moment",
    "let me check",
    "let me look",
    "put you on hold",
    "hold on",
    "稍等",
    "稍候",
    "等一下",
    "请等一下",
    "我查一下",
    "帮您查",
)


@dataclass(frozen=True)
class MetricSettings:
    """Thresholds used by :func:`compute_metrics`."""

    dead_air_s: float = 5.0
    hold_phrase_window_s: float = 10.0
    min_interrupt_overlap_s: float = 0.5
    backchannel_max_units: int = 2
    monologue_gap_s: float = 2.0


@dataclass
class Event:
    """A timed occurrence (silence, hold, interruption) with the segments around it."""

    kind: str
    start: float
    end: float
    segment_ids: list[int]

    @property
    def duration(self) -> float:
        """Return the event's length in seconds."""
        return self.end - self.start


@dataclass
class CallMetrics:
    """Figures describing how a call was conducted."""

    duration: float = 0.0
    talk_time: dict[str, float] = field(default_factory=dict)
    talk_ratio_agent: float = 0.0
    dead_air_total: float = 0.0
    dead_air_longest: float = 0.0
    dead_air_count: int = 0
    hold_count: int = 0
    hold_total: float = 0.0
    unexplained_silence_count: int = 0
    unexplained_silence_longest: float = 0.0
    overtalk_total: float = 0.0
    interruptions: int = 0
    speech_rate: dict[str, float] = field(default_factory=dict)
    longest_agent_monologue: float = 0.0
    response_latency_mean: float = 0.0
    response_latency_max: float = 0.0
    events: list[Event] = field(default_factory=list)

    def value(self, name: str) -> float:
        """Return metric ``name``; ``talk_time_agent`` / ``speech_rate_customer`` style too."""
        for prefix in ("talk_time_", "speech_rate_"):
            if name.startswith(prefix):
                return float(getattr(self, prefix[:-1]).get(name[len(prefix) :], 0.0))
        return float(getattr(self, name))

    def events_of(self, kind: str) -> list[Event]:
        """Return the events of one kind ("dead_air", "hold", "unexplained_silence", ...)."""
        return [e for e in self.events if e.kind == kind]

    def summary(self) -> dict[str, float]:
        """Return the scalar figures, rounded, for a scorecard."""
        out: dict[str, float] = {}
        for key in self.__dataclass_fields__:
            val = getattr(self, key)
            if isinstance(val, dict):
                out.update({f"{key}_{k}": round(v, 3) for k, v in sorted(val.items())})
            elif not isinstance(val, list):
                out[key] = round(float(val), 3)
        return out


METRIC_NAMES = tuple(
    n for n in CallMetrics.__dataclass_fields__ if n not in ("events", "talk_time", "speech_rate")
) + ("talk_time_agent", "talk_time_customer", "speech_rate_agent", "speech_rate_customer")


def _union(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    lo = hi = None
    for s, e in sorted(spans):
        if hi is not None and s <= hi:
            if e > hi:
                hi = e
            continue
        if hi is not None:
            merged.append((lo, hi))
        lo, hi = s, e
    if hi is not None:
        merged.append((lo, hi))
    return merged


def _intersection(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> float:
    total, i, j, na, nb = 0.0, 0, 0, len(a), len(b)
    while i < na and j < nb:
        (a0, a1), (b0, b1) = a[i], b[j]
        lo, hi = (b0 if b0 > a0 else a0), (b1 if b1 < a1 else a1)
        if hi > lo:
            total += hi - lo
        if a1 < b1:
            i += 1
        else:
            j += 1
    return total


def compute_metrics(
    transcript: Transcript | CallView, settings: MetricSettings | None = None
) -> CallMetrics:
    """Return the conversation metrics of a call."""
    view = transcript if isinstance(transcript, CallView) else CallView(transcript)
    cfg = settings or MetricSettings()
    segs, roles = view.segments, view.roles
    m = CallMetrics(duration=view.transcript.duration)
    units = [len(s.words) if s.words else speech_units(s.text) for s in segs]
    starts = [s.start for s in segs]
    ends = [s.end for s in segs]
    spans, spoken = {}, {}
    for role in set(roles):
        mine = [r == role for r in roles]
        spans[role] = _union(list(zip(compress(starts, mine), compress(ends, mine), strict=True)))
        spoken[role] = sum(compress(units, mine))
    m.talk_time = {r: round(sum([e - s for s, e in v]), 3) for r, v in sorted(spans.items())}
    talked = m.talk_time.get("agent", 0.0) + m.talk_time.get("customer", 0.0)
    m.talk_ratio_agent = m.talk_time.get("agent", 0.0) / talked if talked else 0.0
    m.overtalk_total = _intersection(spans.get("agent", []), spans.get("customer", []))
    _silences(view, cfg, m, starts, ends)
    _turn_taking(view, cfg, m, units, starts, ends)
    for role in ("agent", "customer"):
        minutes = m.talk_time.get(role, 0.0) / 60.0
        m.speech_rate[role] = spoken.get(role, 0) / minutes if minutes > 0 else 0.0
    return m


def _silences(
    view: CallView, cfg: MetricSettings, m: CallMetrics, starts: list[float], ends: list[float]
) -> None:
    """Find gaps with nobody speaking; sort them into announced holds and dead air."""
    segs, gap_s = view.segments, cfg.dead_air_s
    reach, last = None, None
    dead, holds, quiet = [], [], []
    for i, start in enumerate(starts):
        if reach is not None and start - reach >= gap_s:
            ids = [segs[last].id, segs[i].id]
            dead.append(Event("dead_air", reach, start, ids))
            kind = "hold" if _announced(view, last, reach, cfg) else "unexplained_silence"
            event = Event(kind, reach, start, ids)
            (holds if kind == "hold" else quiet).append(event)
            m.events += (dead[-1], event)
        end = ends[i]
        if reach is None or end > reach:
            reach, last = end, i
    m.dead_air_count = len(dead)
    m.dead_air_total = sum(e.duration for e in dead)
    m.dead_air_longest = max((e.duration for e in dead), default=0.0)
    m.hold_count, m.hold_total = len(holds), sum(e.duration for e in holds)
    m.unexplained_silence_count = len(quiet)
    m.unexplained_silence_longest = max((e.duration for e in quiet), default=0.0)


def _announced(view: CallView, last: int, at: float, cfg: MetricSettings) -> bool:
    """Return whether the agent announced a hold shortly before a silence at ``at``."""
    segs, roles, norm = view.segments, view.roles, view.norm
    since = at - cfg.hold_phrase_window_s
    for i in range(last, -1, -1):
        if segs[i].end < since:
            return False
        if roles[i] == "agent" and any(map(norm[i].__contains__, HOLD_PHRASES)):
            return True
    return False


def _turn_taking(
    view: CallView,
    cfg: MetricSettings,
    m: CallMetrics,
    units: list[int],
    starts: list[float],
    ends: list[float],
) -> None:
    """Measure interruptions, monologues and agent response latency."""
    segs, roles = view.segments, view.roles
    gap_s, overlap_s, backchannel = (
        cfg.monologue_gap_s,
        cfg.min_interrupt_overlap_s,
        cfg.backchannel_max_units,
    )
    open_customer: list[int] = []
    longest = 0.0
    mono_start = mono_end = None
    for i, role in enumerate(roles):
        start = starts[i]
        if role == "customer":
            if mono_start is not None:
                if mono_end - mono_start > longest:
                    longest = mono_end - mono_start
                mono_start = None
            if open_customer:
                open_customer = [c for c in open_customer if ends[c] > start]
            open_customer.append(i)
            continue
        if role != "agent":
            continue
        end = ends[i]
        if mono_start is None or start - mono_end > gap_s:
            if mono_start is not None and mono_end - mono_start > longest:
                longest = mono_end - mono_start
            mono_start, mono_end = start, end
        elif end > mono_end:
            mono_end = end
        if units[i] <= backchannel:
            continue
        for c in open_customer:
            cust_end = ends[c]
            if cust_end > start and cust_end - start >= overlap_s and starts[c] < start:
                m.interruptions += 1
                m.events.append(
                    Event(
                        "interruption",
                        start,
                        min(end, cust_end),
                        [segs[c].id, segs[i].id],
                    )
                )
                break
    if mono_start is not None and mono_end - mono_start > longest:
        longest = mono_end - mono_start
    m.longest_agent_monologue = longest
    latencies = [
        gap if (gap := start - end) > 0.0 else 0.0
        for end, start, was, role in zip(ends, starts[1:], roles, roles[1:], strict=False)
        if role == "agent" and was == "customer"
    ]
    if latencies:
        m.response_latency_mean = sum(latencies) / len(latencies)
        m.response_latency_max = max(latencies)
