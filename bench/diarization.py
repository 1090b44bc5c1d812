"""Benchmark the diarisation engines; prints one JSON line.

    python bench/diarization.py [--pyannote-dir DIR]

der_phone_sample: offline default ('mono') on pyannote's phone-call sample (collar 0);
der_synthetic: the espeak-ng two-voice call; der_synthetic_gap: that call with a 7 s
silence after which the other voice speaks first; rtf: mono engine seconds per audio
second on this machine; der_phone_sample_pyannote: the 'pyannote' engine on a pipeline
folder given with --pyannote-dir (null, with the reason, when none is given or loadable).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcription.diarization import DiarizationError, DiarizationSettings, get_engine  # noqa: E402
from transcription.diarization.der import (  # noqa: E402
    diarization_error_rate,
    read_rttm,
    splice_silence,
)

AUDIO = ROOT / "tests" / "data" / "audio"


def load(name: str) -> np.ndarray:
    """Return 16 kHz mono float32 samples of a test file."""
    samples, rate = sf.read(AUDIO / name, dtype="float32")
    assert rate == 16000 and samples.ndim == 1
    return samples


def main() -> None:
    """Run the benchmark and print its JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyannote-dir", type=Path)
    args = parser.parse_args()
    phone, phone_ref = load("sample.wav"), read_rttm(AUDIO / "sample.rttm")
    synth, synth_ref = load("synthetic_call.flac"), read_rttm(AUDIO / "synthetic_call.rttm")
    gap, gap_ref = splice_silence(synth, synth_ref, cut=10.5, resume=36.4, gap=7.0)

    mono = get_engine("mono")
    mono.diarize(phone[:16000])  # load the networks outside the timing
    started = time.perf_counter()
    result = {"der_phone_sample": diarization_error_rate(phone_ref, mono.diarize(phone))}
    elapsed = time.perf_counter() - started
    result["der_synthetic"] = diarization_error_rate(synth_ref, mono.diarize(synth))
    result["der_synthetic_gap"] = diarization_error_rate(gap_ref, mono.diarize(gap))
    result["rtf"] = elapsed / (phone.size / 16000)

    result["der_phone_sample_pyannote"] = None
    if args.pyannote_dir is None:
        result["pyannote_reason"] = "no --pyannote-dir given"
    else:
        try:
            engine = get_engine("pyannote", DiarizationSettings(pyannote_dir=args.pyannote_dir))
            turns = engine.diarize(phone)
            result["der_phone_sample_pyannote"] = diarization_error_rate(phone_ref, turns)
        except DiarizationError as exc:
            result["pyannote_reason"] = str(exc)
    result = {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}
    result["cores"] = os.cpu_count()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
