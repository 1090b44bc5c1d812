"""Check the committed demo calls against calls.csv, turns.csv and scripts.yaml."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import yaml

DEMO = Path(__file__).resolve().parents[2] / "demo"
SCRIPT = DEMO / "make_recordings.py"
COLUMNS = [
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
]
REFERENCE_DATE = datetime.fromisoformat("2026-11-20T00:00:00+00:00")
FRAME_S = 0.05


def read_csv(path: Path) -> list[dict[str, str]]:
    """Return the rows of a UTF-8 CSV file."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


CALLS = read_csv(DEMO / "calls.csv")
TURNS = read_csv(DEMO / "turns.csv")
SCRIPTS = {
    c["filename"]: c
    for c in yaml.safe_load((DEMO / "scripts.yaml").read_text(encoding="utf-8"))["calls"]
}
STEREO = [row for row in CALLS if row["layout"] == "stereo"]


def turns_of(filename: str) -> list[dict[str, str]]:
    """Return the timed reference turns of one call."""
    return [turn for turn in TURNS if turn["filename"] == filename]


def frame_db(channel: np.ndarray, rate: int) -> np.ndarray:
    """Return the level in dBFS of each 50 ms frame."""
    size = int(FRAME_S * rate)
    frames = channel[: len(channel) // size * size].reshape(-1, size)
    return 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)


def active(channel: np.ndarray, rate: int) -> np.ndarray:
    """Return a speech mask per frame: at least 20 dB above the channel's noise floor."""
    levels = frame_db(channel, rate)
    return levels > np.percentile(levels, 5) + 20


def test_calls_csv_has_the_documented_columns() -> None:
    with (DEMO / "calls.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == COLUMNS
    assert 6 <= len(CALLS) <= 8
    assert {row["language"] for row in CALLS} == {"en", "zh"}
    assert {row["behaviour"] for row in CALLS} == {"good", "bad"}
    assert {row["layout"] for row in CALLS} == {"stereo", "mono"}


def test_upload_formats_are_exercised_and_folder_is_small() -> None:
    suffixes = {Path(row["filename"]).suffix for row in CALLS}
    assert {".flac", ".wav"} <= suffixes and suffixes & {".mp3", ".ogg"}
    assert sum(Path(row["filename"]).suffix == ".flac" for row in CALLS) > len(CALLS) / 2
    total = sum(p.stat().st_size for p in (DEMO / "recordings").iterdir())
    assert total < 3.1e6


@pytest.mark.parametrize("row", CALLS, ids=lambda row: row["filename"])
def test_row_matches_its_recording(row: dict[str, str]) -> None:
    path = DEMO / "recordings" / row["filename"]
    assert path.is_file()
    info = sf.info(path)
    assert info.samplerate == 8000
    assert info.channels == (2 if row["layout"] == "stereo" else 1)
    assert row["agent_channel"] == ("0" if row["layout"] == "stereo" else "")
    assert 25 <= info.duration <= 60
    last_end = max(float(turn["end"]) for turn in turns_of(row["filename"]))
    assert last_end < info.duration < last_end + 1.5
    assert row["direction"] in {"inbound", "outbound"}
    assert row["agent_code"] and row["agent_name"] and row["team"] and row["queue"]
    assert row["customer_ref"] and row["description"]
    started = datetime.fromisoformat(row["started_at"])
    assert started.tzinfo is not None
    assert REFERENCE_DATE - timedelta(days=21) <= started < REFERENCE_DATE


@pytest.mark.parametrize("row", STEREO, ids=lambda row: row["filename"])
def test_stereo_channels_carry_different_speakers(row: dict[str, str]) -> None:
    audio, rate = sf.read(DEMO / "recordings" / row["filename"])
    agent, customer = (active(audio[:, channel], rate) for channel in (0, 1))
    assert agent.mean() > 0.15 and customer.mean() > 0.15
    assert np.mean(agent != customer) > 0.5
    levels = np.corrcoef(frame_db(audio[:, 0], rate), frame_db(audio[:, 1], rate))[0, 1]
    assert levels < 0.3


@pytest.mark.parametrize("row", CALLS, ids=lambda row: row["filename"])
def test_turns_are_heard_where_the_reference_puts_them(row: dict[str, str]) -> None:
    audio, rate = sf.read(DEMO / "recordings" / row["filename"])
    if audio.ndim == 1:
        masks = dict.fromkeys(("agent", "customer"), active(audio, rate))
    else:
        masks = {"agent": active(audio[:, 0], rate), "customer": active(audio[:, 1], rate)}
    turns = turns_of(row["filename"])
    for turn in turns:
        span = slice(int(float(turn["start"]) / FRAME_S), int(float(turn["end"]) / FRAME_S))
        speaking = masks[turn["role"]][span].mean()
        assert speaking > 0.4, f"little {turn['role']} speech on its channel: {turn['text']}"
    heard = masks["agent"] | masks["customer"]
    longest = 0.0
    for index in range(1, len(turns)):
        ended = max(float(t["end"]) for t in turns[:index])
        gap = float(turns[index]["start"]) - ended
        longest = max(longest, gap)
        if gap >= 2:
            assert not heard[
                int((ended + 0.2) / FRAME_S) : int((ended + gap - 0.2) / FRAME_S)
            ].any()
    if row["behaviour"] == "bad" and row["layout"] == "stereo":
        assert longest >= 8, "the bad stereo calls hold a long unexplained silence"
    else:
        assert longest < 5


@pytest.mark.parametrize("row", STEREO, ids=lambda row: row["filename"])
def test_bad_stereo_calls_talk_over_the_customer(row: dict[str, str]) -> None:
    audio, rate = sf.read(DEMO / "recordings" / row["filename"])
    both = active(audio[:, 0], rate) & active(audio[:, 1], rate)
    if row["behaviour"] == "bad":
        assert both.sum() * FRAME_S >= 1.0
    else:
        assert both.sum() * FRAME_S < 0.5


def test_scripts_cover_every_call_and_match_the_turns() -> None:
    assert set(SCRIPTS) == {row["filename"] for row in CALLS}
    for row in CALLS:
        script = SCRIPTS[row["filename"]]
        assert {turn["role"] for turn in script["turns"]} == {"agent", "customer"}
        timed = turns_of(row["filename"])
        assert [t["text"] for t in script["turns"]] == [t["text"] for t in timed]
        assert [t["role"] for t in script["turns"]] == [t["role"] for t in timed]
        for column in COLUMNS:
            if column != "agent_channel":
                assert str(script[column]) == row[column]


def test_script_fails_clearly_without_espeak(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={"PATH": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 1
    assert "espeak-ng was not found" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_script_reproduces_the_committed_recording(tmp_path: Path) -> None:
    name = "en_plan_change_bad.flac"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path), "--only", name],
        capture_output=True,
        check=True,
    )
    assert read_csv(tmp_path / "turns.csv") == turns_of(name)
    assert read_csv(tmp_path / "calls.csv") == [row for row in CALLS if row["filename"] == name]
    made, _ = sf.read(tmp_path / "recordings" / name)
    committed, _ = sf.read(DEMO / "recordings" / name)
    assert made.shape == committed.shape
    assert np.mean(np.abs(made - committed)) < 1e-4
