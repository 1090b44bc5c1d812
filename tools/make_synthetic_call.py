"""Make the synthetic two-voice phone call used by the diarisation tests and bench.

Two espeak-ng voices take alternating turns (one long monologue, one overlapping
back-channel), the mix is band-limited through 8 kHz and resampled back to 16 kHz, and
the exact turn times are written as RTTM. Needs ``espeak-ng`` and ``sox`` on PATH.

    python tools/make_synthetic_call.py tests/data/audio/synthetic_call
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

RATE = 16000
AGENT, CUSTOMER = ("en-us", 150), ("en-us+f3", 170)
SCRIPT = [
    (
        AGENT,
        "Thank you for calling Northwind support, my name is Alex, how can I help you today?",
        0.4,
    ),
    (CUSTOMER, "Hi, my internet has been dropping out every evening since Monday.", 0.5),
    (AGENT, "I am sorry to hear that. Can I have your account number, please?", 0.3),
    (CUSTOMER, "Sure, it is four four seven one, two nine eight.", 0.6),
    (
        AGENT,
        "Thank you. I can see your account. I am going to run a line test now, which "
        "takes about a minute, and then I will check the router settings with you.",
        -0.5,
    ),
    (CUSTOMER, "Okay.", 0.8),
    (CUSTOMER, "Should I restart the router while you do that?", 0.4),
    (AGENT, "No need yet, the test has finished and the line looks fine.", 0.5),
    (CUSTOMER, "So what is causing it then?", 0.3),
    (AGENT, "It is probably the wireless channel. I will change it remotely for you.", 0.7),
    (CUSTOMER, "Great, thanks a lot for your help.", 0.4),
    (AGENT, "You are welcome. Is there anything else I can do for you today?", 0.5),
    (CUSTOMER, "No, that is all. Goodbye.", 0.0),
]


def speak(text: str, voice: str, speed: int, tmp: Path) -> np.ndarray:
    """Return ``text`` spoken by espeak-ng as telephone-band 16 kHz float32 samples."""
    raw, out = tmp / "raw.wav", tmp / "tel.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "8000", str(tmp / "8k.wav")], check=True)
    subprocess.run(["sox", str(tmp / "8k.wav"), "-r", str(RATE), str(out)], check=True)
    samples, rate = sf.read(out, dtype="float32")
    assert rate == RATE
    voiced = np.flatnonzero(np.abs(samples) > 1e-3)
    return samples[voiced[0] : voiced[-1] + 1]


def build(stem: Path) -> None:
    """Write ``stem``.flac and ``stem``.rttm."""
    pieces, turns, cursor = [], [], 0.5
    with tempfile.TemporaryDirectory() as tmp:
        for (voice, speed), text, gap in SCRIPT:
            samples = speak(text, voice, speed, Path(tmp))
            label = "agent" if voice == AGENT[0] else "customer"
            turns.append((cursor, cursor + samples.size / RATE, label))
            pieces.append((cursor, samples))
            cursor += samples.size / RATE + gap
    total = int((cursor + 0.5) * RATE)
    mix = np.random.default_rng(7).normal(0, 0.002, total).astype(np.float32)
    for start, samples in pieces:
        at = int(round(start * RATE))
        mix[at : at + samples.size] += 0.5 * samples
    sf.write(stem.with_suffix(".flac"), mix, RATE)
    lines = [
        f"SPEAKER {stem.name} 1 {start:.3f} {end - start:.3f} <NA> <NA> {label} <NA> <NA>"
        for start, end, label in turns
    ]
    stem.with_suffix(".rttm").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stem", type=Path)
    build(parser.parse_args().stem)
