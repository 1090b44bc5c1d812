"""Probe and decode call recordings into 16 kHz float32 channels, streamed in chunks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from transcription.errors import AudioError

SAMPLE_RATE = 16000
_FRAME = SAMPLE_RATE // 10  # 100 ms, the unit used to find a quiet place to cut


@dataclass(frozen=True)
class AudioInfo:
    """What a recording is, as far as the container tells."""

    format: str
    duration: float
    channels: int
    sample_rate: int
    codec: str


def _open(path: str | Path) -> av.container.InputContainer:
    """Open ``path`` with FFmpeg, turning every failure into ``AudioError``."""
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"{path.name}: no such file")
    if path.stat().st_size == 0:
        raise AudioError(f"{path.name}: the file is empty")
    try:
        return av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise AudioError(f"{path.name}: not a readable audio file ({exc})") from exc


def _audio_stream(container: av.container.InputContainer, name: str) -> av.audio.AudioStream:
    """Return the first audio stream or raise ``AudioError``."""
    if not container.streams.audio:
        container.close()
        raise AudioError(f"{name}: the file has no audio stream")
    return container.streams.audio[0]


def _check_wav_size(path: Path) -> None:
    """Raise ``AudioError`` when a RIFF/WAVE file is shorter than its data chunk declares."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return
    pos = 12
    while pos + 8 <= len(head):
        chunk_id, size = head[pos : pos + 4], int.from_bytes(head[pos + 4 : pos + 8], "little")
        if chunk_id == b"data":
            if 0 < size < 0xFFFFFFFF and pos + 8 + size > path.stat().st_size:
                raise AudioError(
                    f"{path.name}: the file is truncated "
                    f"({path.stat().st_size - pos - 8} of {size} bytes of audio data)"
                )
            return
        pos += 8 + size + (size & 1)


def _duration(container: av.container.InputContainer, stream: av.audio.AudioStream) -> float:
    """Return the duration the container or stream header declares (0.0 when unknown)."""
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return 0.0


@contextmanager
def _audio(path: str | Path) -> Iterator[tuple[av.container.InputContainer, av.AudioStream]]:
    """Open ``path`` and yield it with its audio stream, checked; raise ``AudioError``."""
    container = _open(path)
    with container:
        stream = _audio_stream(container, Path(path).name)
        if container.format.name == "wav":
            _check_wav_size(Path(path))
        yield container, stream


def probe(path: str | Path) -> AudioInfo:
    """Return format, duration, channels and sample rate of ``path``; raise ``AudioError``."""
    name = Path(path).name
    with _audio(path) as (container, stream):
        info = AudioInfo(
            format=container.format.name,
            duration=round(_duration(container, stream), 3),
            channels=int(stream.channels or 0),
            sample_rate=int(stream.rate or 0),
            codec=stream.codec_context.name,
        )
    if info.channels < 1 or info.sample_rate < 1:
        raise AudioError(f"{name}: no decodable audio channels")
    if info.duration <= 0:
        raise AudioError(f"{name}: the audio stream is empty")
    return info


def iter_blocks(path: str | Path) -> Iterator[np.ndarray]:
    """Yield decoded audio as (channels, n) float32 blocks at 16 kHz (mono or stereo)."""
    name = Path(path).name
    with _audio(path) as (container, stream):
        expected = _duration(container, stream)
        layout = "mono" if (stream.channels or 1) == 1 else "stereo"
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
        decoded = bad = 0
        try:
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except av.error.InvalidDataError:
                    bad += 1
                    continue
                for frame in frames:
                    for out in resampler.resample(frame):
                        block = out.to_ndarray()
                        decoded += block.shape[1]
                        yield block
            for out in resampler.resample(None):
                block = out.to_ndarray()
                decoded += block.shape[1]
                yield block
        except av.error.FFmpegError as exc:
            raise AudioError(f"{name}: decoding failed ({exc})") from exc
    seconds = decoded / SAMPLE_RATE
    if decoded == 0:
        raise AudioError(f"{name}: no audio could be decoded")
    if expected > 0 and expected - seconds > max(1.0, 0.02 * expected):
        raise AudioError(
            f"{name}: the file is truncated or corrupt "
            f"(decoded {seconds:.1f} s of {expected:.1f} s; {bad} bad packets)"
        )


def _quiet_cut(audio: np.ndarray, lo: int, hi: int) -> int:
    """Return a sample index in [lo, hi) at the middle of the quietest 100 ms frame."""
    span = audio[:, lo:hi].mean(axis=0)
    n = len(span) // _FRAME
    if n == 0:
        return hi
    energy = np.square(span[: n * _FRAME]).reshape(n, _FRAME).sum(axis=1)
    return lo + int(np.argmin(energy)) * _FRAME + _FRAME // 2


def iter_chunks(
    path: str | Path, chunk_seconds: float = 300.0, search_seconds: float = 10.0
) -> Iterator[tuple[float, np.ndarray]]:
    """Yield (offset seconds, (channels, n) array) chunks cut at quiet places."""
    size = int(chunk_seconds * SAMPLE_RATE)
    search = min(int(search_seconds * SAMPLE_RATE), size // 2)
    pending: list[np.ndarray] = []
    pending_len = 0
    offset = 0
    for block in iter_blocks(path):
        pending.append(block)
        pending_len += block.shape[1]
        if pending_len < size:
            continue
        audio = np.concatenate(pending, axis=1)
        cut = _quiet_cut(audio, size - search, size)
        yield offset / SAMPLE_RATE, audio[:, :cut]
        offset += cut
        pending, pending_len = [audio[:, cut:]], audio.shape[1] - cut
    if pending_len:
        yield offset / SAMPLE_RATE, np.concatenate(pending, axis=1)


def decode(path: str | Path) -> np.ndarray:
    """Return the whole recording as a (channels, n) float32 array (short files only)."""
    return np.concatenate([chunk for _, chunk in iter_chunks(path)], axis=1)


def channels_differ(audio: np.ndarray, threshold: float = 0.01) -> bool:
    """Return True when a stereo block carries two different signals (not duplicated mono)."""
    if audio.shape[0] < 2:
        return False
    left, right = audio[0].astype(np.float64), audio[1].astype(np.float64)
    total = float(np.dot(left, left) + np.dot(right, right))
    if total == 0.0:
        return False
    diff = left - right
    return float(np.dot(diff, diff)) / total > threshold
