"""Score a transcript against a rubric: run each item's detector and add up points."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scoring.detectors import Context, Detection
from scoring.detectors.base import EVIDENCE_HITS
from scoring.rubric import Item, Rubric
from scoring.scorecard import Evidence, ItemResult, Scorecard, SectionScore
from scoring.view import ANY, CallView, Scope
from transcription.schema import Transcript

if TYPE_CHECKING:
    from scoring.embedding import Embedder, TranscriptEmbeddings

NEAR_BAND = 0.1
QUOTE_CHARS = 240


def score(
    transcript: Transcript,
    rubric: Rubric,
    *,
    embedder: Embedder | None = None,
    embeddings: TranscriptEmbeddings | None = None,
) -> Scorecard:
    """Return the scorecard of ``transcript`` under ``rubric``.

    ``embedder`` (an :class:`~scoring.embedding.Embedder`) is loaded on demand when the rubric
    has semantic items; ``embeddings`` are segment vectors from ``Embedder.embed_transcript``.
    """
    ctx = Context(CallView(transcript), embedder, embeddings, rubric.metrics)
    items = [
        _score_item(ctx, rubric, section.key, item)
        for section in rubric.sections
        for item in section.items
    ]
    sections = []
    for section in rubric.sections:
        mine = [r for r in items if r.section == section.key and r.result != "na"]
        got, top = sum(r.points for r in mine), sum(r.max_points for r in mine)
        pct = round(100.0 * got / top, 2) if top else None
        sections.append(SectionScore(section.key, section.title, round(got, 4), round(top, 4), pct))
    got = sum(r.points for r in items if r.result != "na")
    top = sum(r.max_points for r in items if r.result != "na")
    total = round(100.0 * got / top, 2) if top else 0.0  # nothing applicable: review it
    failures = [r.key for r in items if r.critical and r.result == "fail"]
    zeroing = {i.key for i in rubric.items if i.critical == "zero"}
    if any(key in zeroing for key in failures):
        total = 0.0
    return Scorecard(
        rubric=rubric.key,
        rubric_name=rubric.name,
        rubric_version=rubric.version,
        language=transcript.language,
        total=total,
        passed=bool(top) and not failures and total >= rubric.pass_mark,
        critical_failures=failures,
        needs_review=not top or any(r.needs_review for r in items),
        sections=sections,
        items=items,
        metrics=ctx.metrics().summary(),
    )


def _score_item(ctx: Context, rubric: Rubric, section: str, item: Item) -> ItemResult:
    """Return one item's result."""
    result = ItemResult(
        key=item.key,
        title=item.title,
        section=section,
        stage=item.stage,
        result="na",
        points=0.0,
        max_points=item.weight,
        critical=item.critical is not None,
    )
    if item.role not in ctx.view.roles:
        result.reason = f"no {item.role} speech in the call"
        return result
    if item.condition is not None:
        cond = item.condition.run(ctx, Scope(ANY))
        if not cond.found:
            result.reason = (item.applies_when or {}).get("reason") or "condition not met"
            _judge(ctx, rubric, result, cond)
            return result
    found = item.detector.run(ctx, Scope(item.role))
    scoring = item.scoring
    if scoring.mode == "pass_fail":
        result.result = "pass" if found.found else "fail"
        result.points = item.weight if found.found else 0.0
    elif scoring.mode == "scale":
        if item.detector.counts_violations:
            level = max(0, scoring.max - found.count) if not found.found else scoring.max
        else:
            level = min(scoring.max, found.distinct) if found.found else 0
        result.result, result.value = "scale", float(level)
        result.points = item.weight * level / scoring.max
    else:
        faults = 0 if found.found else found.count
        cap = item.weight if scoring.cap is None else scoring.cap
        result.result = "pass" if faults == 0 else "fail"
        result.value = float(faults)
        result.points = max(0.0, item.weight - min(cap, scoring.per * faults))
    result.points = round(result.points, 4)
    result.reason = _reason(found, result.result)
    if scoring.mode == "deduction" and result.value:
        result.reason = f"{result.value:g} fault(s) found" + (
            f"; {result.reason}" if result.reason else ""
        )
    _judge(ctx, rubric, result, found)
    return result


def _reason(found: Detection, outcome: str) -> str:
    """Return a short explanation of a detection."""
    if found.note:
        return found.note
    if found.value is not None:
        return f"measured {found.value:.2f}"
    if outcome == "fail" and not found.hits:
        return "not found"
    return ""


def _judge(ctx: Context, rubric: Rubric, result: ItemResult, found: Detection) -> None:
    """Attach evidence and a confidence to ``result``; flag it for review when unsure."""
    view = ctx.view
    shown = found.hits[:EVIDENCE_HITS]
    segments, roles = view.segments, view.roles
    for hit in shown:
        segs = [segments[i] for i in hit.indices]
        role = roles[hit.indices[0]] if hit.indices else ANY
        quote = " … ".join([s.text.strip() for s in segs])[:QUOTE_CHARS]
        result.evidence.append(
            Evidence([s.id for s in segs], quote, round(hit.start, 3), round(hit.end, 3), role)
        )
    if found.score >= 1.0:  # an exact match settles it either way
        confidence = 1.0
    else:
        confidence = min(1.0, 0.5 + abs(found.score - found.threshold) / (2 * NEAR_BAND))
    indices = [i for h in shown for i in h.indices]
    if not found.found and found.near is not None:
        indices.append(found.near)
    if indices and not (found.found and not shown):
        lowest = min(map(view.asr_confidence, indices))
        if lowest < confidence:
            confidence = lowest
    result.confidence = round(confidence, 3)
    result.needs_review = confidence < rubric.review_below
