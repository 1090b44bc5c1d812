"""Build the gold transcripts (schema JSON) from the hand-written conversation scripts.

Each call in ``calls_*.yaml`` lists lines ``ROLE|START|TEXT[|p=PROB]``: ROLE is A (agent) or C
(customer); START is ``+s`` (seconds after the previous line ends), ``-s`` (starts ``s`` seconds
before the previous line ends: talking over it) or ``@s`` (absolute). Word timings are spread
evenly over the line (0.38 s per English word, 0.22 s per Chinese character).
Run: ``.venv/bin/python tests/gold/make_gold.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from transcription.schema import Segment, Speaker, Transcript, Turn, Word

HERE = Path(__file__).resolve().parent
TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3400-\u9fff\uf900-\ufaff]+")
SPEAKERS = {"A": ("S0", "agent", 0), "C": ("S1", "customer", 1)}


def build_call(call: dict) -> Transcript:
    """Return the transcript of one scripted call."""
    chinese = call["language"].startswith("zh")
    step = 0.22 if chinese else 0.38
    segments, turns, end = [], [], 0.0
    for n, line in enumerate(call["lines"]):
        parts = line.split("|")
        who, start, text = parts[0].strip(), parts[1].strip(), parts[2].strip()
        prob = float(parts[3].split("=")[1]) if len(parts) > 3 else 0.95
        if start.startswith("@"):
            begin = float(start[1:])
        elif start.startswith("-"):
            begin = end - float(start[1:])
        else:
            begin = end + float(start.lstrip("+"))
        tokens = TOKEN.findall(text)
        duration = 0.3 + step * len(tokens)
        speaker, role, _ = SPEAKERS[who]
        words = [
            Word(
                round(begin + 0.15 + i * step, 3),
                round(begin + 0.15 + (i + 1) * step, 3),
                t,
                prob,
                speaker,
            )
            for i, t in enumerate(tokens)
        ]
        seg = Segment(
            n, round(begin, 3), round(begin + duration, 3), text, speaker, role, prob, False, words
        )
        segments.append(seg)
        turns.append(Turn(seg.start, seg.end, speaker))
        end = max(end, seg.end) if start.startswith("-") else seg.end
    return Transcript(
        duration=round(max(s.end for s in segments) + call.get("tail", 1.0), 3),
        language=call["language"],
        segments=segments,
        speakers=[Speaker(sid, role, 0.99, ch) for sid, role, ch in SPEAKERS.values()],
        turns=turns,
        script=call.get("script"),
        engine={"name": "gold-set", "note": "hand-written call script"},
        audio={"channels": 2, "sample_rate": 8000},
    )


def load_calls() -> list[dict]:
    """Return every scripted call with its expected labels."""
    calls = []
    for path in sorted(HERE.glob("calls_*.yaml")):
        calls.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return calls


def main() -> None:
    """Write one transcript JSON per call into ``transcripts/``."""
    out = HERE / "transcripts"
    out.mkdir(exist_ok=True)
    for call in load_calls():
        data = build_call(call).to_dict()
        text = json.dumps(data, ensure_ascii=False, indent=1)
        (out / f"{call['id']}.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
