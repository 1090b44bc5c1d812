"""Synthesise the demo contact-centre calls in demo/scripts.yaml as telephone recordings.

Run with the project virtualenv (``.venv/bin/python demo/make_recordings.py``). Each turn is
spoken by espeak-ng, resampled to 8 kHz and placed on a timeline; each line is band-limited
to 300-3400 Hz, given light noise and passed through G.711 mu-law coding. Stereo calls carry
the agent on channel 0 and the customer on channel 1; mono calls mix both. The output format
follows the file extension (.flac, .wav as 8-bit mu-law, .ogg as Vorbis, .mp3). Writes
``recordings/``, ``calls.csv`` (one row per call) and ``turns.csv`` (the timed reference
transcript). Output is deterministic (Ogg stream serial numbers aside): the pauses and the
noise come from generators seeded by the file name.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
import yaml
from scipy.signal import butter, resample_poly, sosfiltfilt

DEMO_DIR = Path(__file__).resolve().parent
RATE = 8000
ROLES = ("agent", "customer")
CALL_COLUMNS = (
    "filename",
    "agent_code",
    "agent_name",
    "team",
    "queue",
    "language",
    "direction",
    "customer_ref",
    "started_at",
    "layout",
    "agent_channel",
    "behaviour",
    "description",
)
TURN_COLUMNS = ("filename", "turn", "role", "start", "end", "text")
LEVEL_DBFS = {"agent": -20.0, "customer": -23.0}
NOISE_DBFS = -66.0
LEAD_IN_S = 0.5
TAIL_S = 0.8
# (subtype, compression level) per extension; None means the format's default.
FORMATS = {
    ".flac": ("PCM_16", 1.0),
    ".wav": ("ULAW", None),
    ".ogg": ("VORBIS", 0.9),
    ".mp3": ("MPEG_LAYER_III", 0.6),
}


class DemoError(Exception):
    """Raised when the demo recordings cannot be made."""


@dataclass
class Placed:
    """One synthesised turn placed on the call timeline."""

    role: str
    text: str
    start: float
    audio: np.ndarray

    @property
    def end(self) -> float:
        """Return the end time in seconds."""
        return self.start + len(self.audio) / RATE


def find_espeak() -> str:
    """Return the path of espeak-ng, or raise DemoError when it is not installed."""
    path = shutil.which("espeak-ng")
    if path is None:
        raise DemoError(
            "espeak-ng was not found on PATH; install it (Debian: apt-get install espeak-ng)"
        )
    return path


def synthesise(espeak: str, text: str, voice: dict[str, Any]) -> np.ndarray:
    """Return ``text`` spoken with ``voice`` as trimmed float samples at 8 kHz."""
    command = [espeak, "-v", str(voice["voice"]), "-s", str(voice.get("speed", 170))]
    command += ["-p", str(voice.get("pitch", 50)), "--stdout", text]
    result = subprocess.run(command, capture_output=True, check=False)
    if result.returncode != 0 or not result.stdout:
        message = result.stderr.decode(errors="replace").strip()
        raise DemoError(f"espeak-ng failed for voice {voice['voice']!r}: {message}")
    samples, rate = sf.read(io.BytesIO(result.stdout), dtype="float64")
    samples = resample_poly(samples, RATE, rate)
    loud = np.flatnonzero(np.abs(samples) > 0.02 * np.abs(samples).max())
    margin = int(0.03 * RATE)
    return samples[max(loud[0] - margin, 0) : loud[-1] + margin]


def set_level(samples: np.ndarray, dbfs: float) -> np.ndarray:
    """Return ``samples`` scaled so that their RMS is ``dbfs``."""
    rms = np.sqrt(np.mean(samples**2))
    return samples * (10 ** (dbfs / 20) / rms)


def place_turns(call: dict[str, Any], espeak: str, rng: np.random.Generator) -> list[Placed]:
    """Return the call's turns synthesised and placed on its timeline."""
    placed: list[Placed] = []
    cursor = LEAD_IN_S
    for turn in call["turns"]:
        role = turn["role"]
        if role not in ROLES:
            raise DemoError(f"{call['filename']}: unknown role {role!r}")
        audio = set_level(synthesise(espeak, turn["text"], call["voices"][role]), LEVEL_DBFS[role])
        gap = turn.get("gap")
        if gap is None:
            gap = round(float(rng.uniform(0.3, 1.2)), 2)
        start = cursor if not placed else max(placed[-1].end + gap, 0.0)
        placed.append(Placed(role, turn["text"], start, audio))
        cursor = max(p.end for p in placed)
    return placed


def telephone_line(track: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return ``track`` band-limited to 300-3400 Hz with light line noise added."""
    band = butter(4, [300, 3400], btype="bandpass", fs=RATE, output="sos")
    noise = rng.standard_normal(len(track)) * 10 ** (NOISE_DBFS / 20)
    return sosfiltfilt(band, track) + sosfiltfilt(band, noise)


def render(call: dict[str, Any], placed: list[Placed], rng: np.random.Generator) -> np.ndarray:
    """Return the call audio: (frames, 2) for stereo, (frames,) for mono."""
    frames = int(round((max(p.end for p in placed) + TAIL_S) * RATE))
    tracks = {role: np.zeros(frames) for role in ROLES}
    for p in placed:
        first = int(round(p.start * RATE))
        tracks[p.role][first : first + len(p.audio)] += p.audio
    if call["layout"] == "stereo":
        audio = np.stack([telephone_line(tracks[role], rng) for role in ROLES], axis=1)
    elif call["layout"] == "mono":
        audio = telephone_line(tracks["agent"] + tracks["customer"], rng)
    else:
        raise DemoError(f"{call['filename']}: layout must be stereo or mono")
    return g711(np.clip(audio, -0.99, 0.99))


def g711(audio: np.ndarray) -> np.ndarray:
    """Return ``audio`` passed through G.711 mu-law coding, as on a digital phone line."""
    buffer = io.BytesIO()
    sf.write(buffer, audio, RATE, format="WAV", subtype="ULAW")
    buffer.seek(0)
    return sf.read(buffer, dtype="float64")[0]


def write_audio(path: Path, audio: np.ndarray) -> None:
    """Write ``audio`` at 8 kHz in the format named by the file extension."""
    if path.suffix not in FORMATS:
        raise DemoError(f"{path.name}: extension must be one of {', '.join(FORMATS)}")
    subtype, level = FORMATS[path.suffix]
    with sf.SoundFile(
        path,
        "w",
        samplerate=RATE,
        channels=1 if audio.ndim == 1 else audio.shape[1],
        subtype=subtype,
        compression_level=level,
    ) as out:
        out.write(audio)


def call_row(call: dict[str, Any]) -> dict[str, str]:
    """Return the calls.csv row of ``call``."""
    row = {column: str(call.get(column, "")) for column in CALL_COLUMNS}
    row["agent_channel"] = "0" if call["layout"] == "stereo" else ""
    return row


def turn_rows(filename: str, placed: list[Placed]) -> list[dict[str, str]]:
    """Return the turns.csv rows of one call."""
    return [
        {
            "filename": filename,
            "turn": str(index),
            "role": p.role,
            "start": f"{p.start:.2f}",
            "end": f"{p.end:.2f}",
            "text": p.text,
        }
        for index, p in enumerate(placed)
    ]


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """Write ``rows`` as a UTF-8 CSV file with a header."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def make_recordings(scripts: Path, out_dir: Path, only: set[str] | None = None) -> list[Path]:
    """Synthesise the calls in ``scripts`` into ``out_dir`` and return the audio paths."""
    espeak = find_espeak()
    calls = yaml.safe_load(scripts.read_text(encoding="utf-8"))["calls"]
    if only:
        calls = [call for call in calls if call["filename"] in only]
    recordings = out_dir / "recordings"
    recordings.mkdir(parents=True, exist_ok=True)
    paths, rows, timed = [], [], []
    for call in calls:
        rng = np.random.default_rng(zlib.crc32(call["filename"].encode()))
        placed = place_turns(call, espeak, rng)
        path = recordings / call["filename"]
        write_audio(path, render(call, placed, rng))
        paths.append(path)
        rows.append(call_row(call))
        timed += turn_rows(call["filename"], placed)
    write_csv(out_dir / "calls.csv", CALL_COLUMNS, rows)
    write_csv(out_dir / "turns.csv", TURN_COLUMNS, timed)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, make the recordings and print one line per file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scripts", type=Path, default=DEMO_DIR / "scripts.yaml")
    parser.add_argument("--out", type=Path, default=DEMO_DIR, help="folder for the outputs")
    parser.add_argument("--only", action="append", help="make only this file (repeatable)")
    args = parser.parse_args(argv)
    try:
        paths = make_recordings(args.scripts, args.out, set(args.only or ()))
    except DemoError as error:
        print(f"make_recordings: {error}", file=sys.stderr)
        return 1
    for path in paths:
        info = sf.info(path)
        size = path.stat().st_size
        print(f"{path.name}: {info.duration:.1f} s, {info.channels} ch, {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
