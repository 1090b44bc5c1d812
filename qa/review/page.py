"""Everything the call page shows besides the call itself: scorecards, history, timeline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from qa.audit.models import AuditEntry
from qa.audit.services import history
from qa.auth.models import User
from qa.calls.models import Call
from qa.core.policy import can_review_call
from qa.review.models import Review
from qa.review.services import OVERRIDE_ACTIONS, is_busy, reviews_for_call
from qa.scorecards.models import ScorecardRecord
from qa.scorecards.services import scorecards_for_call
from scoring.metrics import compute_metrics
from transcription.schema import Transcript

METRIC_KEYS = (
    "talk_ratio_agent",
    "dead_air_total",
    "dead_air_longest",
    "overtalk_total",
    "interruptions",
    "hold_count",
    "response_latency_mean",
    "longest_agent_monologue",
)


@dataclass
class CardView:
    """One scorecard with its items grouped by section and each item's change history."""

    record: ScorecardRecord
    sections: list[tuple[dict[str, Any], list[dict[str, Any]]]]
    history: dict[str, list[AuditEntry]]
    auto_results: dict[str, str]


@dataclass
class CallPage:
    """The review side of the call page."""

    cards: list[CardView]
    reviews: list[Review]
    can_review: bool
    busy: bool
    metrics: dict[str, float]
    timeline: dict[str, Any]
    role_changes: list[AuditEntry] = field(default_factory=list)


def _union(spans: list[tuple[float, float]]) -> list[list[float]]:
    merged: list[list[float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _overlaps(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            out.append([round(lo, 3), round(hi, 3)])
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def timeline(transcript: Transcript) -> dict[str, Any]:
    """Return speech lanes per role, silences and overlaps of a transcript (for the plot)."""
    lanes: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for seg in transcript.segments:
        lanes[seg.role or "unknown"].append((seg.start, seg.end))
    merged = {role: _union(spans) for role, spans in lanes.items()}
    events = compute_metrics(transcript).events
    silences = [
        [round(e.start, 3), round(e.end, 3), e.kind]
        for e in events
        if e.kind in ("hold", "unexplained_silence")
    ]
    return {
        "duration": transcript.duration,
        "lanes": {role: [[round(s, 3), round(e, 3)] for s, e in v] for role, v in merged.items()},
        "silences": silences,
        "overlaps": _overlaps(merged.get("agent", []), merged.get("customer", [])),
        "interruptions": [round(e.start, 3) for e in events if e.kind == "interruption"],
    }


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def transcript_html(data: dict[str, Any], role_names: dict[str, str], seek_title: str) -> Markup:
    """Return the transcript as HTML: one block per segment, one span per timed word.

    Built here rather than in Jinja because an hour-long call has ~10,000 words; every
    piece of text goes through ``escape``.
    """
    chinese = str(data.get("language") or "").startswith("zh")
    sep = "" if chinese else " "
    out = []
    for seg in data.get("segments", []):
        start, end, role = float(seg["start"]), float(seg["end"]), str(seg.get("role") or "unknown")
        words = seg.get("words") or [{"start": start, "end": end, "text": seg.get("text", "")}]
        spans = sep.join(
            f'<span class="w" data-s="{float(w["start"])}" data-e="{float(w["end"])}">'
            f"{escape(str(w['text']).strip())}</span>"
            for w in words
        )
        out.append(
            f'<div class="seg role-{escape(role)}" id="seg-{int(seg["id"])}" '
            f'data-id="{int(seg["id"])}" data-start="{start}" data-end="{end}">'
            f'<button type="button" class="ts seek" data-start="{start}" '
            f'title="{escape(seek_title)}">{_clock(start)}</button> '
            f'<b class="who">{escape(role_names.get(role, role))}</b> '
            f'<span class="seg-text">{spans}</span></div>'
        )
    return Markup("\n".join(out))


def _card_view(card: ScorecardRecord, entries: list[AuditEntry]) -> CardView:
    items = card.data["items"]
    sections = [(s, [i for i in items if i["section"] == s["key"]]) for s in card.data["sections"]]
    prefix = f"{card.data['rubric']}/"
    changes: dict[str, list[AuditEntry]] = defaultdict(list)
    for entry in entries:
        if entry.action in OVERRIDE_ACTIONS and (entry.field or "").startswith(prefix):
            changes[entry.field[len(prefix) :]].append(entry)
    autos = {row.item_key: row.auto_result for row in card.items}
    return CardView(card, sections, dict(changes), autos)


def call_page(call: Call, user: User) -> CallPage:
    """Return what the call page shows ``user`` about the review of ``call``."""
    entries = history("call", call.id)
    cards = [_card_view(card, entries) for card in scorecards_for_call(call.id)]
    transcript = Transcript.from_dict(call.transcript.data) if call.transcript else None
    metrics: dict[str, float] = {}
    if cards:
        metrics = dict(cards[0].record.data.get("metrics") or {})
    elif transcript is not None:
        metrics = compute_metrics(transcript).summary()
    return CallPage(
        cards=cards,
        reviews=reviews_for_call(call.id),
        can_review=can_review_call(user, call),
        busy=is_busy(call),
        metrics={k: metrics[k] for k in METRIC_KEYS if k in metrics},
        timeline=timeline(transcript) if transcript is not None else {},
        role_changes=[e for e in entries if e.action == "swap_roles"],
    )
