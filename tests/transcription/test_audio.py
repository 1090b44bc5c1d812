"""Decoding, probing and bad-input handling."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from tests.transcription.conftest import JFK, STEREO, write_wav
from transcription.audio import channels_differ, decode, iter_chunks, probe
from transcription.errors import AudioError


def _tone(seconds: float, rate: int, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _encode(path: Path, codec: str, samples: np.ndarray, rate: int) -> Path:
    """Encode mono ``samples`` with PyAV into ``path`` using ``codec``."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        frame_size = stream.codec_context.frame_size or 1024
        fmt = stream.codec_context.format.name
        pts = 0
        for i in range(0, len(samples), frame_size):
            block = samples[i : i + frame_size]
            if len(block) < frame_size and stream.codec_context.frame_size:
                block = np.pad(block, (0, frame_size - len(block)))
            if fmt.startswith("s16"):
                data = (block * 32767).astype(np.int16)[None, :]
            elif fmt.startswith("s32"):
                data = (block * 2147483647).astype(np.int32)[None, :]
            else:
                data = block[None, :].astype(np.float32)
            frame = av.AudioFrame.from_ndarray(data, format=fmt, layout="mono")
            frame.sample_rate, frame.pts = rate, pts
            pts += len(block)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def test_probe_real_files() -> None:
    jfk = probe(JFK)
    assert (jfk.format, jfk.channels, jfk.sample_rate) == ("flac", 2, 44100)
    assert jfk.duration == pytest.approx(11.0, abs=0.05)
    stereo = probe(STEREO)
    assert (stereo.channels, stereo.sample_rate, stereo.duration) == (2, 16000, 5.0)


def test_decode_resamples_per_channel() -> None:
    audio = decode(JFK)
    assert audio.dtype == np.float32 and audio.shape[0] == 2
    assert audio.shape[1] == pytest.approx(11.0 * 16000, abs=160)
    assert not channels_differ(audio)  # jfk is mono copied onto two channels
    assert channels_differ(decode(STEREO))


def test_telephone_8khz_mono(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "phone.wav", _tone(2.0, 8000), rate=8000)
    info = probe(path)
    assert (info.sample_rate, info.channels) == (8000, 1)
    audio = decode(path)
    assert audio.shape == (1, 32000)
    assert np.abs(audio).max() == pytest.approx(0.3, abs=0.02)


@pytest.mark.parametrize(
    ("name", "codec", "rate"),
    [
        ("call.mp3", "libmp3lame", 16000),
        ("call.ogg", "libopus", 24000),
        ("call.opus", "libopus", 48000),
        ("call.m4a", "aac", 44100),
        ("call.flac", "flac", 8000),
    ],
)
def test_compressed_formats(tmp_path: Path, name: str, codec: str, rate: int) -> None:
    try:
        path = _encode(tmp_path / name, codec, _tone(2.0, rate), rate)
    except av.error.FFmpegError as exc:  # encoder missing from this FFmpeg build
        pytest.skip(f"{codec} encoder unavailable: {exc}")
    info = probe(path)
    assert info.channels == 1 and info.duration == pytest.approx(2.0, abs=0.1)
    audio = decode(path)
    assert audio.shape[0] == 1
    assert audio.shape[1] == pytest.approx(32000, abs=1600)


def test_chunks_cut_in_quiet_places(tmp_path: Path) -> None:
    rate = 16000
    # a 1 s tone then 0.5 s of silence, 8 times over: cuts must fall in the silences
    period = np.concatenate([_tone(1.0, rate), np.zeros(rate // 2, np.float32)])
    path = write_wav(tmp_path / "beeps.wav", np.tile(period, 8))
    chunks = list(iter_chunks(path, chunk_seconds=3.0, search_seconds=1.5))
    assert len(chunks) >= 3
    assert sum(c.shape[1] for _, c in chunks) == 8 * len(period)
    for offset, _ in chunks[1:]:
        assert (offset % 1.5) > 1.0  # inside a silence
    offsets = [o for o, _ in chunks]
    assert offsets == sorted(offsets) and offsets[0] == 0.0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.wav", b""),
        ("notes.wav", b"this is a text file, not audio\n" * 20),
        ("noise.mp3", bytes(range(256)) * 8),
    ],
)
def test_bad_input_raises_audio_error(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(AudioError, match=name):
        probe(path)
    with pytest.raises(AudioError):
        decode(path)


@pytest.mark.parametrize("source", [STEREO, JFK])
def test_truncated_file_raises_audio_error(tmp_path: Path, source: Path) -> None:
    path = tmp_path / f"cut{source.suffix}"
    path.write_bytes(source.read_bytes()[: source.stat().st_size // 3])
    with pytest.raises(AudioError, match="truncated"):
        probe(path) if source.suffix == ".wav" else decode(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="no such file"):
        probe(tmp_path / "absent.wav")
