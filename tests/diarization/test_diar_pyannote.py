"""The pyannote engine's offline loader: config resolution always, real loading with the extra."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from transcription.diarization import DiarizationError, DiarizationSettings, get_engine
from transcription.diarization.pyannote_engine import local_config


def write_config(folder: Path, params: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pipeline = {"name": "pyannote.audio.pipelines.SpeakerDiarization", "params": params}
    (folder / "config.yaml").write_text(yaml.safe_dump({"pipeline": pipeline}))
    return folder


def test_community1_subfolders_resolve_inside_the_folder(tmp_path: Path):
    for sub in ("segmentation", "embedding", "plda"):
        (tmp_path / sub).mkdir()
    params = {k: f"$model/{k}" for k in ("segmentation", "embedding", "plda")}
    config = local_config(write_config(tmp_path, params))
    resolved = config["pipeline"]["params"]
    assert resolved["plda"] == {"checkpoint": str(tmp_path), "subfolder": "plda"}


def test_v31_relative_checkpoint_paths_resolve_inside_the_folder(tmp_path: Path):
    (tmp_path / "seg.bin").write_bytes(b"x")
    (tmp_path / "emb.bin").write_bytes(b"x")
    params = {"segmentation": "seg.bin", "embedding": "emb.bin", "plda": "seg.bin"}
    resolved = local_config(write_config(tmp_path, params))["pipeline"]["params"]
    assert resolved["segmentation"] == str(tmp_path / "seg.bin")


def test_hub_model_ids_are_refused(tmp_path: Path):
    params = {"segmentation": "pyannote/segmentation-3.0", "embedding": "x", "plda": "y"}
    with pytest.raises(DiarizationError, match="never downloads from the hub"):
        local_config(write_config(tmp_path, params))


def test_folder_without_config_is_refused(tmp_path: Path):
    with pytest.raises(DiarizationError, match="no config.yaml"):
        local_config(tmp_path)
    (tmp_path / "config.yaml").write_text("just text")
    with pytest.raises(DiarizationError, match="not a pyannote pipeline config"):
        local_config(tmp_path)


@pytest.mark.pyannote
@pytest.mark.parametrize("layout", ["community-1", "3.1", "3.1-resemblyzer"])
def test_pipeline_folder_loads_offline_and_diarises(
    layout: str, tiny_pipelines, phone, monkeypatch: pytest.MonkeyPatch
):
    from pyannote.audio.telemetry.metrics import is_metrics_enabled
    from pyannote.audio.utils import hf_hub

    def no_hub(*args, **kwargs):
        raise AssertionError(f"pyannote tried the hub: {args}")

    monkeypatch.setattr(hf_hub, "hf_hub_download", no_hub)
    settings = DiarizationSettings(pyannote_dir=tiny_pipelines[layout], threads=2)
    engine = get_engine("pyannote", settings)
    assert not is_metrics_enabled()
    samples = phone[0][: 8 * 16000]
    turns = engine.diarize(samples, num_speakers=2)
    assert turns, "an untrained pipeline still marks speech on a phone call"
    assert {t.speaker for t in turns} <= {"S0", "S1"}
    assert all(0 <= t.start < t.end <= 8.0 for t in turns)
    assert engine.diarize(np.zeros(16000, np.float32)) == []


@pytest.mark.pyannote
def test_missing_pipeline_folder_setting_is_explained(tiny_pipelines, phone):
    engine = get_engine("pyannote", DiarizationSettings(pyannote_dir=None))
    with pytest.raises(DiarizationError, match="pyannote_dir"):
        engine.diarize(phone[0][:16000])


@pytest.mark.pyannote
def test_resemblyzer_wrapper_uses_the_same_mel_front_end(tiny_pipelines, phone):
    import torch

    from transcription.diarization.features import mel_frames
    from transcription.diarization.pyannote_resemblyzer import ResemblyzerEmbedding

    model = ResemblyzerEmbedding().eval()
    samples = phone[0][16000 * 8 : 16000 * 10]
    spectrum = torch.stft(
        torch.from_numpy(samples),
        n_fft=400,
        hop_length=160,
        window=torch.hann_window(400),
        center=True,
        pad_mode="constant",
        return_complex=True,
    )
    ours = (model.filterbank @ spectrum.abs() ** 2).T.numpy()
    np.testing.assert_allclose(ours, mel_frames(samples), rtol=1e-3, atol=1e-6)
    with torch.inference_mode():
        masked = model(torch.from_numpy(samples)[None, None], weights=torch.ones(1, 100))
    assert masked.shape == (1, 256)
    assert torch.allclose(masked.norm(dim=1), torch.ones(1))
