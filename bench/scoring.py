"""Benchmark the scorer on synthetic 10-minute calls; print one JSON line of figures.

Run: ``.venv/bin/python bench/scoring.py [--calls N]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "gold"))

from scoring import Rubric, cohen_kappa, load_default_rubrics, score  # noqa: E402
from scoring.agreement import accuracy  # noqa: E402
from scoring.embedding import Embedder, TranscriptEmbeddings  # noqa: E402
from scoring.text import fold, normalize  # noqa: E402
from transcription.schema import Segment, Speaker, Transcript, Word  # noqa: E402

AGENT = [
    "Hello, thank you for calling Acme, this is Anna. How can I help you today?",
    "Could I have your full name and the last four digits of the account, please?",
    "Thank you. So you were charged twice this month, is that right?",
    "Let me have a look at that for you.",
    "I can see the payment here on the twelfth.",
    "I've raised a refund and it will reach your card within five business days.",
    "That plan includes unlimited calls and ten gigabytes of data.",
    "I understand, that must be frustrating.",
    "The engineer can come on Saturday between eight and twelve.",
    "Is there anything else I can help you with today?",
    "Okay, I've made a note of that on your account.",
    "Sure, I can explain how the new tariff works.",
    "Thank you for calling Acme, have a great day. Goodbye.",
]
CUSTOMER = [
    "Hi, I was charged twice on my bill this month.",
    "Sure, it's Mark Evans and the digits are four four seven one.",
    "Yes, exactly, and I'm not happy about it.",
    "Okay.",
    "How long will that take?",
    "And what about my data allowance, does it roll over?",
    "Right, that makes sense.",
    "Can I also change my payment date?",
    "No, that's all, thank you.",
    "Hmm, I see.",
]
FILLERS = ["Um,", "So,", "Well,", "Right,", "Okay,", "Yeah,", "Actually,", "Alright,"]
TAILS = ["reference", "number", "ticket", "case", "item", "line"]
EXTRA_ITEMS = [
    {"key": "talk_ratio", "metric": "talk_ratio_agent", "max": 0.7},
    {"key": "pace", "metric": "speech_rate_agent", "max": 190},
    {"key": "latency", "metric": "response_latency_max", "max": 5},
    {"key": "monologue", "metric": "longest_agent_monologue", "max": 60},
    {"key": "overtalk", "metric": "overtalk_total", "max": 10},
]


def synthetic_call(seed: int, minutes: float = 10.0) -> Transcript:
    """Return a random but plausible call of about ``minutes`` minutes."""
    rng = random.Random(seed)
    segments, t, n = [], 0.5, 0
    while t < minutes * 60:
        role = "agent" if n % 2 == 0 else "customer"
        pool = AGENT if role == "agent" else CUSTOMER
        text = (
            pool[0]
            if n == 0
            else (AGENT[-1] if t > minutes * 60 - 20 and role == "agent" else rng.choice(pool))
        )
        if rng.random() < 0.7:
            text = f"{rng.choice(FILLERS)} {text} {rng.choice(TAILS)} {rng.randint(2, 9999)}."
        words = text.split()
        dur = 0.3 + 0.36 * len(words)
        start = t
        ws = [
            Word(start + i * 0.36, start + (i + 1) * 0.36, w, rng.uniform(0.7, 1.0), f"S{n % 2}")
            for i, w in enumerate(words)
        ]
        segments.append(
            Segment(
                n, round(start, 3), round(start + dur, 3), text, f"S{n % 2}", role, 0.9, False, ws
            )
        )
        gap = rng.choice([0.3, 0.5, 0.8, 1.2, -0.6]) if rng.random() > 0.03 else rng.uniform(6, 15)
        t = start + dur + gap
        n += 1
    return Transcript(
        duration=round(t + 1, 3),
        language="en",
        segments=segments,
        speakers=[Speaker("S0", "agent", 0.9, 0), Speaker("S1", "customer", 0.9, 1)],
    )


def _strip_semantic(config):
    """Return a detector config without semantic parts (rule-only)."""
    if config.get("type") == "any":
        parts = [_strip_semantic(p) for p in config["of"] if p["type"] != "semantic"]
        return parts[0] if len(parts) == 1 else {"type": "any", "of": parts}
    return config


def bench_rubrics() -> tuple[Rubric, Rubric]:
    """Return 20-item rule-only and semantic rubrics built from the English defaults."""
    base = {r.key: r for r in load_default_rubrics()}
    items = [i.to_dict() for key in ("script_en", "etiquette_en") for i in base[key].items]
    rule_items = [dict(i, detector=_strip_semantic(i["detector"])) for i in items]
    for extra in EXTRA_ITEMS:
        rule_items.append(
            {
                "key": extra["key"],
                "title": extra["key"],
                "stage": "etiquette",
                "detector": {"type": "metric", "metric": extra["metric"], "max": extra["max"]},
            }
        )
    rule_items.append(
        {
            "key": "jargon",
            "title": "No jargon",
            "stage": "etiquette",
            "detector": {
                "type": "forbidden",
                "phrases": ["provisioning", "backend", "ticket queue", "escalation matrix"],
            },
        }
    )
    rule_items.append(
        {
            "key": "thanks",
            "title": "Thanks",
            "stage": "closing",
            "detector": {"type": "regex", "patterns": [r"\bthank(s| you)\b"]},
        }
    )
    semantic = {
        "key": "customer_need",
        "title": "Explains the plan",
        "stage": "resolution",
        "detector": {
            "type": "semantic",
            "examples": [
                "Let me explain how your new plan works.",
                "Your tariff includes calls and data.",
            ],
        },
    }
    semantic_items = [dict(i) for i in items] + rule_items[len(items) : len(items) + 6] + [semantic]
    rule = Rubric.from_dict(
        {
            "key": "bench_rule",
            "name": "Bench rule-only",
            "version": 1,
            "languages": ["en"],
            "sections": [{"key": "all", "title": "All", "items": rule_items}],
        }
    )
    sem = Rubric.from_dict(
        {
            "key": "bench_semantic",
            "name": "Bench semantic",
            "version": 1,
            "languages": ["en"],
            "sections": [{"key": "all", "title": "All", "items": semantic_items}],
        }
    )
    return rule, sem


def _rate(calls, fn, min_seconds: float = 2.0, clock=time.perf_counter) -> float:
    """Return calls per second of ``fn`` over ``calls`` (repeated for ``min_seconds``)."""
    done, start = 0, clock()
    while True:
        for call in calls:
            fn(call)
        done += len(calls)
        elapsed = clock() - start
        if elapsed >= min_seconds:
            return done / elapsed


def score_cold(call: Transcript, rubric: Rubric, **kwargs):
    """Score with the text-normalisation caches emptied, as for a call never seen before."""
    normalize.cache_clear()
    fold.cache_clear()
    return score(call, rubric, **kwargs)


def _worker(args) -> float:
    seeds, seconds = args
    rule, _ = bench_rubrics()
    calls = [synthetic_call(s) for s in seeds]
    return _rate(calls, lambda c: score_cold(c, rule), seconds)


def gold_agreement() -> tuple[float, float]:
    """Return item accuracy and Cohen's kappa of the scorer on the gold set."""
    from make_gold import load_calls

    rubrics = {r.key: r for r in load_default_rubrics()}
    expected, got = [], []
    for call in load_calls():
        path = ROOT / "tests" / "gold" / "transcripts" / f"{call['id']}.json"
        transcript = Transcript.from_dict(json.loads(path.read_text(encoding="utf-8")))
        lang = "zh" if call["language"].startswith("zh") else "en"
        results = {}
        for kind in ("script", "etiquette"):
            results.update(
                {i.key: i.result for i in score(transcript, rubrics[f"{kind}_{lang}"]).items}
            )
        for key, want in call["expect"].items():
            expected.append(want)
            got.append(results[key])
    return accuracy(expected, got), cohen_kappa(expected, got)


def main() -> None:
    """Run the benchmark and print one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    rule, sem = bench_rubrics()
    calls = [synthetic_call(s) for s in range(args.calls)]
    per_core = _rate(calls, lambda c: score_cold(c, rule), args.seconds)
    per_cpu_s = _rate(calls, lambda c: score_cold(c, rule), args.seconds, time.process_time)
    seeds = [list(range(args.calls)) for _ in range(cores)]
    with multiprocessing.get_context("spawn").Pool(cores) as pool:
        parallel = sum(pool.map(_worker, [(s, args.seconds) for s in seeds]))
    embedder = Embedder()
    stored = [embedder.embed_transcript(c).to_bytes() for c in calls]  # as the app keeps them
    pairs = list(zip(calls, stored, strict=True))

    def score_stored(pair):
        vectors = TranscriptEmbeddings.from_bytes(pair[1])
        return score_cold(pair[0], sem, embedder=embedder, embeddings=vectors)

    score_stored(pairs[0])
    cached = _rate(pairs, score_stored, args.seconds)
    cached_cpu = _rate(pairs, score_stored, args.seconds, time.process_time)
    start = time.perf_counter()
    fresh = Embedder()
    fresh.model("minilm")
    model_load_s = time.perf_counter() - start
    cold_calls = calls[:5]
    start, cpu_start = time.perf_counter(), time.process_time()
    for call in cold_calls:
        fresh._cache.clear()
        score_cold(call, sem, embedder=fresh)
    cold = len(cold_calls) / (time.perf_counter() - start)
    cold_cpu = len(cold_calls) / (time.process_time() - cpu_start)
    acc, kappa = gold_agreement()
    print(
        json.dumps(
            {
                "calls_per_s_rule_only": round(parallel, 1),
                "calls_per_s_per_core_rule_only": round(per_core, 1),
                "calls_per_cpu_s_rule_only": round(per_cpu_s, 1),
                "load_average_1m": round(os.getloadavg()[0], 2),
                "calls_per_s_semantic": round(cached, 1),
                "calls_per_cpu_s_semantic": round(cached_cpu, 1),
                "calls_per_s_semantic_cold": round(cold, 3),
                "calls_per_cpu_s_semantic_cold": round(cold_cpu, 3),
                "model_load_s": round(model_load_s, 2),
                "cores": cores,
                "items_accuracy": round(acc, 4),
                "kappa": round(kappa, 4),
                "rubric_items": len(rule.items),
                "segments_per_call": round(sum(len(c.segments) for c in calls) / len(calls), 1),
                "call_minutes": 10,
                "timing_note": (
                    "rule_only: score() per call incl. text normalisation (caches emptied per "
                    "call), metrics and scorecard; per_core: one process, total: one process per "
                    "core in parallel; semantic: score() with the segment embeddings read from the "
                    ".npz bytes the app keeps per transcript (EMBEDDING_STORE, computed on first "
                    "scoring) and example embeddings cached per rubric; semantic_cold: model "
                    "loaded once (model_load_s), "
                    "text cache emptied per call, so embedding the agent segments the semantic "
                    "items look at is included"
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
