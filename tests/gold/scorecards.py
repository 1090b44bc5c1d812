"""Dump every gold and synthetic-bench scorecard, or compare two dumps (for refactors).

Score the gold transcripts under each default rubric and the bench's synthetic calls under
its rule-only rubric, then write ``{name: Scorecard.to_dict()}`` as JSON. A change that must
not alter results (a speed-up, a clean-up) is checked by dumping before and after:

    .venv/bin/python tests/gold/scorecards.py dump /tmp/before.json
    .venv/bin/python tests/gold/scorecards.py dump /tmp/after.json
    .venv/bin/python tests/gold/scorecards.py compare /tmp/before.json /tmp/after.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from scoring import load_default_rubrics, score  # noqa: E402
from transcription.schema import Transcript  # noqa: E402


def _bench():
    """Return the bench module (its synthetic calls and rubrics)."""
    spec = importlib.util.spec_from_file_location("bench_scoring", ROOT / "bench" / "scoring.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scorecards(synthetic: int = 20) -> dict[str, dict]:
    """Return the scorecards of the gold set and of ``synthetic`` bench calls, by name."""
    out = {}
    rubrics = load_default_rubrics()
    for path in sorted((HERE / "transcripts").glob("*.json")):
        transcript = Transcript.from_dict(json.loads(path.read_text(encoding="utf-8")))
        for rubric in rubrics:
            out[f"gold/{path.stem}/{rubric.key}"] = score(transcript, rubric).to_dict()
    bench = _bench()
    rule, _ = bench.bench_rubrics()
    for seed in range(synthetic):
        out[f"bench/{seed}/{rule.key}"] = score(bench.synthetic_call(seed), rule).to_dict()
    return out


def compare(before: dict, after: dict) -> list[str]:
    """Return the names whose scorecards differ (or exist in only one dump)."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def main() -> None:
    """Dump or compare scorecards."""
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("dump").add_argument("out", type=Path)
    cmp = sub.add_parser("compare")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        cards = scorecards()
        args.out.write_text(json.dumps(cards, sort_keys=True), encoding="utf-8")
        print(f"{len(cards)} scorecards written to {args.out}")
        return
    before, after = (json.loads(p.read_text(encoding="utf-8")) for p in (args.before, args.after))
    changed = compare(before, after)
    print(f"{len(before)} scorecards compared, {len(changed)} differ: {changed[:10]}")
    sys.exit(1 if changed else 0)


if __name__ == "__main__":
    main()
