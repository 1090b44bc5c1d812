"""Benchmark the speech pipeline; print one JSON line of figures.

    python bench/speech.py [--quick] [--minutes 60] [--rounds 3] [--model base] [--cache-dir DIR]

Figures: real-time factors of the pipeline and of plain faster-whisper (same model, same
options, same file), their ratio, WER on jfk, DER on the stereo file (reference: each
channel's speech regions) and of the mono engine on the phone sample, words found in 60 s
of silence and of noise, and (without --quick) peak RSS and time for a long call (60 min
by default) against the same audio as 5-minute calls, each set in a fresh subprocess.
Partial figures go to stderr as each step finishes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcription.asr import vad_options, whisper_options  # noqa: E402
from transcription.audio import decode  # noqa: E402
from transcription.metrics import word_error_rate  # noqa: E402
from transcription.models import load_model  # noqa: E402
from transcription.pipeline import get_diarizer, transcribe_file  # noqa: E402
from transcription.schema import Turn  # noqa: E402
from transcription.settings import TranscriptionSettings  # noqa: E402

AUDIO = ROOT / "tests" / "data" / "audio"
JFK_TEXT = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)
RATE = 16000
CHILD_TIMEOUT = 3600
STEREO_REFERENCE = (
    "each channel's speech from its own energy alone (no ASR, no VAD): 10 ms frames at least "
    "half way in dB from the noise floor (10th percentile of audible frames) to loud speech "
    "(90th percentile), pauses up to 0.5 s bridged, regions under 0.1 s dropped; collar 0"
)


def settings_from(args: argparse.Namespace) -> TranscriptionSettings:
    """Return the pipeline settings the benchmark runs with."""
    settings = TranscriptionSettings(model=args.model, cpu_threads=args.threads)
    if args.cache_dir:
        settings.cache_dir = Path(args.cache_dir)
    return settings


class TimedEngine:
    """Wrap a diarisation engine and add up the time spent in it."""

    def __init__(self, engine) -> None:
        self.engine, self.name, self.seconds = engine, engine.name, 0.0

    def diarize(self, *args, **kwargs) -> list[Turn]:
        """Diarise and time it."""
        started = time.perf_counter()
        try:
            return self.engine.diarize(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started


def phone_call(seconds: float) -> np.ndarray:
    """Return ``seconds`` of real two-party telephone speech (the phone sample, looped)."""
    sample = decode(AUDIO / "sample.wav").mean(axis=0)
    reps = int(np.ceil(seconds * RATE / sample.size))
    return np.tile(sample, reps)[: int(seconds * RATE)]


def bare_whisper(model, path: Path, settings: TranscriptionSettings) -> float:
    """Return seconds plain faster-whisper takes on ``path`` with the pipeline's options."""
    started = time.perf_counter()
    segments, _ = model.transcribe(
        str(path), vad_filter=True, vad_parameters=vad_options(), **whisper_options(settings)
    )
    for _ in segments:
        pass
    return time.perf_counter() - started


def overhead(args: argparse.Namespace, settings: TranscriptionSettings, work: Path) -> dict:
    """Return RTF of pipeline and bare Whisper on a 2-minute real phone call."""
    path = work / "call_2min.wav"
    sf.write(path, phone_call(120.0), RATE, subtype="PCM_16")
    model = load_model(settings)
    engine = TimedEngine(get_diarizer(settings))
    transcribe_file(AUDIO / "jfk.flac", settings, diarizer=engine)  # warm up everything
    bare, piped, diarised = [], [], []
    for _ in range(args.rounds):
        bare.append(bare_whisper(model, path, settings))
        engine.seconds = 0.0
        started = time.perf_counter()
        transcribe_file(path, settings, diarizer=engine)
        piped.append(time.perf_counter() - started)
        diarised.append(engine.seconds)
    best = int(np.argmin(piped))
    return {
        "rtf_pipeline": round(piped[best] / 120.0, 4),
        "rtf_whisper_bare": round(min(bare) / 120.0, 4),
        "overhead_ratio": round(piped[best] / min(bare), 3),
        "overhead_ratio_without_diarization": round((piped[best] - diarised[best]) / min(bare), 3),
        "diarization_s_per_2min": round(diarised[best], 2),
    }


def channel_speech(samples: np.ndarray) -> list[tuple[float, float]]:
    """Return one channel's speech regions as STEREO_REFERENCE defines them."""
    frames = samples[: samples.size // 160 * 160].reshape(-1, 160)
    level = 20 * np.log10(np.sqrt((frames**2).mean(axis=1)) + 1e-10)
    audible = level[level > -70]
    noise, loud = np.percentile(audible, 10), np.percentile(audible, 90)
    active = level >= noise + 0.5 * (loud - noise)
    regions: list[list[float]] = []
    for i in np.flatnonzero(active):
        t = i / 100
        if regions and t - regions[-1][1] <= 0.5:
            regions[-1][1] = t + 0.01
        else:
            regions.append([t, t + 0.01])
    return [(s, e) for s, e in regions if e - s >= 0.1]


def der_figures(args: argparse.Namespace, settings: TranscriptionSettings, work: Path) -> dict:
    """Return DER on the stereo file and the mono engine's DER on the phone sample."""
    try:
        from transcription.diarization.der import diarization_error_rate, read_rttm
    except ImportError:
        return {"der_stereo": None, "der_phone_sample": None}
    stereo_path = AUDIO / "stereo_diarization.wav"
    stereo = decode(stereo_path)
    reference = [Turn(s, e, f"S{ch}") for ch in range(2) for s, e in channel_speech(stereo[ch])]
    transcript = transcribe_file(stereo_path, settings)
    figures = {
        "der_stereo": round(diarization_error_rate(reference, transcript.turns), 4),
        "der_stereo_reference": STEREO_REFERENCE,
    }
    phone = AUDIO / "sample.wav"
    if phone.exists():
        turns = get_diarizer(settings).diarize(decode(phone).mean(axis=0), RATE, 2)
        figures["der_phone_sample"] = round(
            diarization_error_rate(read_rttm(AUDIO / "sample.rttm"), turns), 4
        )
    else:
        figures["der_phone_sample"] = None
    return figures


def quality(args: argparse.Namespace, settings: TranscriptionSettings, work: Path) -> dict:
    """Return WER on jfk and the number of words found in 60 s of silence and of noise."""
    jfk = transcribe_file(AUDIO / "jfk.flac", settings)
    rng = np.random.default_rng(0)
    words = 0
    for name, samples in (
        ("silence", np.zeros(60 * RATE)),
        ("noise", 0.1 * rng.standard_normal(60 * RATE)),
    ):
        path = work / f"{name}.wav"
        sf.write(path, samples.clip(-1, 1), RATE, subtype="PCM_16")
        words += sum(len(s.words) for s in transcribe_file(path, settings).segments)
    return {
        "wer_jfk": round(word_error_rate(JFK_TEXT, " ".join(s.text for s in jfk.segments)), 4),
        "silence_words": words,
    }


def write_call(path: Path, seconds: float, block_seconds: float = 300.0) -> None:
    """Write a long call of looped real speech and pauses, block by block."""
    rng = np.random.default_rng(1)
    speech = phone_call(30.0)
    with sf.SoundFile(path, "w", RATE, 1, subtype="PCM_16") as out:
        written = 0
        while written < seconds * RATE:
            pause = np.zeros(int(rng.uniform(0.5, 4.0) * RATE), np.float32)
            piece = np.concatenate([speech, pause])[: int(seconds * RATE) - written]
            out.write(piece)
            written += piece.size


def child(args: argparse.Namespace) -> None:
    """Transcribe the given files after loading the model; print seconds and peak RSS."""
    settings = settings_from(args)
    load_model(settings)
    get_diarizer(settings)
    seconds = []
    for path in args.child:
        started = time.perf_counter()
        transcribe_file(path, settings)
        seconds.append(time.perf_counter() - started)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
                "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            }
        )
    )


def run_child(args: argparse.Namespace, files: list[Path]) -> dict:
    """Run ``child`` in a fresh interpreter and return what it printed."""
    command = [sys.executable, __file__, "--model", args.model, "--threads", str(args.threads)]
    if args.cache_dir:
        command += ["--cache-dir", args.cache_dir]
    out = subprocess.run(
        [*command, "--child", *map(str, files)],
        check=True,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def long_call(args: argparse.Namespace, settings: TranscriptionSettings, work: Path) -> dict:
    """Return peak RSS and time of a long call against 5-minute calls of the same audio."""
    parts = max(1, args.minutes // 5)
    long_path = work / "call_long.wav"
    write_call(long_path, parts * 300.0)
    short_paths = []
    with sf.SoundFile(long_path) as whole:
        for i in range(parts):
            path = work / f"call_5min_{i:02d}.wav"
            sf.write(path, whole.read(300 * RATE, dtype="float32"), RATE, subtype="PCM_16")
            short_paths.append(path)
    try:
        long_run = run_child(args, [long_path])
        short_run = run_child(args, short_paths)
    except (subprocess.SubprocessError, ValueError) as exc:
        detail = getattr(exc, "stderr", "") or ""
        return {"long_call_error": f"{exc} {detail[-500:]}"}
    tag = f"{parts * 5}min"
    return {
        f"peak_rss_mb_{tag}": long_run["peak_rss_mb"],
        f"seconds_{tag}": round(long_run["seconds"][0], 1),
        f"seconds_{parts}x5min": round(sum(short_run["seconds"]), 1),
        f"ratio_{tag}_vs_{parts}x5min": round(
            long_run["seconds"][0] / sum(short_run["seconds"]), 3
        ),
        "peak_rss_mb_5min": short_run["peak_rss_mb"],
    }


def main() -> None:
    """Parse arguments, run the measurements and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 60-minute run")
    parser.add_argument("--model", default="base")
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds (best is kept)")
    parser.add_argument("--minutes", type=int, default=60, help="length of the long call")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    settings = settings_from(args)
    figures: dict = {"model": args.model, "cores": os.cpu_count(), "quick": args.quick}
    with tempfile.TemporaryDirectory(prefix="speech-bench-") as tmp:
        work = Path(tmp)
        steps = [overhead, der_figures, quality]
        if not args.quick:
            steps.append(long_call)
        for step in steps:
            found = step(args, settings, work)
            print(json.dumps(found), file=sys.stderr, flush=True)  # partial figures as they come
            figures |= found
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
