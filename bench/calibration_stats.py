"""Time the calibration figures for a large session; print one JSON line.

Run from the repository root: ``python -m bench.calibration_stats``.
"""

from __future__ import annotations

import json
import random
import time

from qa.calibration.stats import AUTO, session_stats
from scoring.defaults import load_default_rubrics


def main(calls: int = 50, raters: int = 8, seed: int = 7) -> dict:
    """Return timings of ``session_stats`` for ``calls`` calls rated by ``raters`` raters."""
    rubric = next(r for r in load_default_rubrics() if r.key == "script_en")
    rng = random.Random(seed)
    truth = {
        (c, i.key): rng.choice(["pass", "pass", "fail", "na"])
        for c in range(calls)
        for i in rubric.items
    }
    answers = {}
    for r in [*range(raters), AUTO]:
        answers[r] = {
            u: (v if rng.random() < 0.85 else rng.choice(["pass", "fail", "na"]))
            for u, v in truth.items()
        }
    start = time.perf_counter()
    stats = session_stats(rubric, list(range(calls)), answers)
    elapsed = time.perf_counter() - start
    return {
        "bench": "calibration_stats",
        "calls": calls,
        "raters_incl_auto": raters + 1,
        "units": len(truth),
        "seconds": round(elapsed, 4),
        "fleiss": round(stats.fleiss, 4),
        "pairwise_agreement": round(stats.agreement, 4),
    }


if __name__ == "__main__":
    print(json.dumps(main()))
