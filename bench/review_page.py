"""Time the call review page and an override on a long call; print one JSON line.

Builds a fresh SQLite app, stores a scored call of ``--minutes`` of scripted dialogue
(about 2.6 words a second), then renders the call page and saves overrides N times
through the Flask test client.

    .venv/bin/python bench/review_page.py --minutes 60
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa import create_app  # noqa: E402
from qa.auth.services import create_user  # noqa: E402
from qa.calls.models import Call, TranscriptRecord  # noqa: E402
from qa.core.migrate import upgrade  # noqa: E402
from qa.db import db  # noqa: E402
from qa.rubrics.services import install_defaults  # noqa: E402
from qa.scorecards.services import score_call, scorecards_for_call  # noqa: E402
from transcription.schema import Segment, Speaker, Transcript, Word  # noqa: E402

LINES = (
    (
        "agent",
        "Thank you for calling Northwind Telecom, my name is Daniel. How can I help you today?",
    ),
    ("customer", "Hi, I think I was charged twice for the same month on my bill."),
    ("agent", "I'm sorry about that. Could you please confirm your full name and date of birth?"),
    ("customer", "Laura Bennett, fourth of March nineteen eighty six."),
    ("agent", "I have refunded the duplicate charge; you will see it within five working days."),
    ("agent", "Is there anything else I can help you with today? Thank you, goodbye."),
)


def long_transcript(minutes: float) -> Transcript:
    """Return a diarised transcript of about ``minutes`` minutes with word timings."""
    t, segments, i = 0.5, [], 0
    while t < minutes * 60:
        role, line = LINES[i % len(LINES)]
        speaker = "S0" if role == "agent" else "S1"
        words, start = [], t
        for token in line.split():
            words.append(Word(t, t + 0.3, token, 0.95, speaker))
            t += 0.38
        segments.append(Segment(i, start, t, line, speaker, role, 0.95, False, words))
        t += 0.7
        i += 1
    speakers = [Speaker("S0", "agent", 0.9), Speaker("S1", "customer", 0.9)]
    return Transcript(t + 1, "en", segments, speakers, engine={"asr": "bench"})


def _ms(times: list[float]) -> float:
    return round(1000 * statistics.median(times), 1)


def main(minutes: float, requests: int) -> dict:
    """Return page and override timings for one long scored call."""
    folder = Path(tempfile.mkdtemp(prefix="review-bench-"))
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "BROKER_URL": "memory://",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        },
        instance_path=str(folder / "instance"),
    )
    upgrade(app)
    with app.app_context():
        install_defaults()
        create_user("bench", "bench-password", "qa", team=None)
        transcript = long_transcript(minutes)
        call = Call(
            sha256="b" * 64,
            original_filename="long.wav",
            format="wav",
            size_bytes=1,
            duration=transcript.duration,
            channels=1,
            sample_rate=8000,
            status="scored",
        )
        db.session.add(call)
        db.session.flush()
        db.session.add(TranscriptRecord(call_id=call.id, language="en", data=transcript.to_dict()))
        started = time.perf_counter()
        score_call(call, transcript)
        scoring_s = time.perf_counter() - started
        db.session.commit()
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": "bench-password"})
        pages, size = [], 0
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(f"/calls/{call.id}")
            pages.append(time.perf_counter() - started)
            size = len(response.data)
        saves = []
        for n in range(requests):
            card = scorecards_for_call(call.id)[0]
            item = card.data["items"][0]
            form = {
                "scorecard_id": card.id,
                "item_key": item["key"],
                "lock_version": card.lock_version,
                "seen_result": item["result"],
                "seen_points": item["points"],
                "result": "fail" if n % 2 == 0 else "pass",
                "reason": f"bench {n}",
            }
            started = time.perf_counter()
            response = client.post(f"/calls/{call.id}/override", data=form)
            saves.append(time.perf_counter() - started)
            assert response.status_code == 302, response.status_code
            db.session.expire_all()
    return {
        "bench": "review_page",
        "minutes": minutes,
        "segments": len(transcript.segments),
        "words": sum(len(s.words) for s in transcript.segments),
        "html_kb": round(size / 1024, 1),
        "page_ms_p50": _ms(pages),
        "override_ms_p50": _ms(saves),
        "scoring_s_incl_model_load": round(scoring_s, 2),
        "requests": requests,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    print(json.dumps(main(args.minutes, args.requests)))
