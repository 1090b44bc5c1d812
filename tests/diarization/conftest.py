"""Fixtures for the diarisation tests: the phone sample, the synthetic call, engines and
small untrained pyannote pipeline folders (built only when pyannote.audio is installed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import yaml

from transcription.diarization import DiarizationEngine, get_engine
from transcription.diarization.der import read_rttm, splice_silence
from transcription.schema import Turn

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
PHONE_WAV, PHONE_RTTM = AUDIO / "sample.wav", AUDIO / "sample.rttm"
SYNTH_AUDIO, SYNTH_RTTM = AUDIO / "synthetic_call.flac", AUDIO / "synthetic_call.rttm"
EMBEDDING_DIM = 32
LDA_DIM = 16

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
PHONE_WAV, PHONE_RTTM = AUDIO / "sample.wav", AUDIO / "sample.rttm"
SYNTH_AUDIO, SYNTH_RTTM = AUDIO / "synthetic_call.flac", AUDIO / "synthetic_call.rttm"


def load(path: Path) -> np.ndarray:
    """Return the 16 kHz mono float32 samples of a test file."""
    samples, rate = sf.read(path, dtype="float32")
    assert rate == 16000 and samples.ndim == 1
    return samples


@pytest.fixture(scope="session")
def mono() -> DiarizationEngine:
    """Return one offline default engine for the session."""
    return get_engine("mono")


@pytest.fixture(scope="session")
def phone() -> tuple[np.ndarray, list[Turn]]:
    """Return pyannote's two-party phone call sample and its reference turns."""
    return load(PHONE_WAV), read_rttm(PHONE_RTTM)


@pytest.fixture(scope="session")
def synthetic() -> tuple[np.ndarray, list[Turn]]:
    """Return the espeak-ng two-voice call and its reference turns."""
    return load(SYNTH_AUDIO), read_rttm(SYNTH_RTTM)


@pytest.fixture(scope="session")
def tiny_pipelines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return small untrained pipeline folders in both supported layouts."""
    pytest.importorskip("pyannote.audio", reason="the optional pyannote extra is not installed")
    root = tmp_path_factory.mktemp("pipelines")
    return {
        "community-1": build_community1(root / "community-1"),
        "3.1": build_v31(root / "v3.1"),
        "3.1-resemblyzer": build_v31(root / "resemblyzer", _resemblyzer_model()),
    }


def _save(model, path: Path) -> None:
    """Save ``model`` as a pyannote/lightning checkpoint (what Model.from_pretrained reads)."""
    import lightning
    import torch

    checkpoint = {
        "state_dict": model.state_dict(),
        "hyper_parameters": dict(model.hparams),
        "pytorch-lightning_version": lightning.__version__,
    }
    model.on_save_checkpoint(checkpoint)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(checkpoint, path)


def _segmentation_model():
    """Return a tiny powerset PyanNet (3 speakers, at most 2 at once, 5 s chunks)."""
    import torch
    from pyannote.audio.core.task import Problem, Resolution, Specifications
    from pyannote.audio.models.segmentation import PyanNet

    torch.manual_seed(0)
    model = PyanNet(
        lstm={"hidden_size": 16, "num_layers": 1, "bidirectional": True, "monolithic": True},
        linear={"hidden_size": 16, "num_layers": 1},
    )
    model.specifications = Specifications(
        problem=Problem.MONO_LABEL_CLASSIFICATION,
        resolution=Resolution.FRAME,
        duration=5.0,
        classes=["speaker#1", "speaker#2", "speaker#3"],
        powerset_max_classes=2,
        permutation_invariant=True,
    )
    model.build()
    return model.eval()


def _embedding_model():
    """Return a tiny x-vector model (SincNet front end, 32-d embeddings)."""
    import torch
    from pyannote.audio.core.task import Problem, Resolution, Specifications
    from pyannote.audio.models.embedding import XVectorSincNet

    torch.manual_seed(1)
    model = XVectorSincNet(dimension=EMBEDDING_DIM)
    model.specifications = Specifications(
        problem=Problem.REPRESENTATION, resolution=Resolution.CHUNK, duration=2.0
    )
    model.build()
    return model.eval()


def _resemblyzer_model():
    """Return the Resemblyzer embedding wrapper with random weights."""
    import torch
    from pyannote.audio.core.task import Problem, Resolution, Specifications

    from transcription.diarization.pyannote_resemblyzer import ResemblyzerEmbedding

    torch.manual_seed(3)
    model = ResemblyzerEmbedding()
    model.specifications = Specifications(
        problem=Problem.REPRESENTATION, resolution=Resolution.CHUNK, duration=5.0
    )
    return model.eval()


def _write_plda(folder: Path) -> None:
    """Write a random but well-formed VBx PLDA (xvec_transform.npz + plda.npz)."""
    rng = np.random.default_rng(2)
    folder.mkdir(parents=True, exist_ok=True)
    lda = np.linalg.qr(rng.standard_normal((EMBEDDING_DIM, EMBEDDING_DIM)))[0][:, :LDA_DIM]
    np.savez(
        folder / "xvec_transform.npz",
        mean1=rng.standard_normal(EMBEDDING_DIM) * 0.01,
        mean2=np.zeros(LDA_DIM),
        lda=lda,
    )
    tr = np.linalg.qr(rng.standard_normal((LDA_DIM, LDA_DIM)))[0]
    np.savez(folder / "plda.npz", mu=np.zeros(LDA_DIM), tr=tr, psi=np.linspace(5, 0.5, LDA_DIM))


def build_community1(root: Path) -> Path:
    """Write a community-1 style folder: $model/ subfolders, VBx clustering with PLDA."""
    _save(_segmentation_model(), root / "segmentation" / "pytorch_model.bin")
    _save(_embedding_model(), root / "embedding" / "pytorch_model.bin")
    _write_plda(root / "plda")
    config = {
        "dependencies": {"pyannote.audio": "4.0.0"},
        "pipeline": {
            "name": "pyannote.audio.pipelines.SpeakerDiarization",
            "params": {
                "segmentation": "$model/segmentation",
                "embedding": "$model/embedding",
                "plda": "$model/plda",
                "clustering": "VBxClustering",
                "segmentation_step": 0.1,
                "embedding_batch_size": 8,
                "segmentation_batch_size": 8,
            },
        },
        "params": {
            "segmentation": {"min_duration_off": 0.0},
            "clustering": {"threshold": 0.6, "Fa": 0.07, "Fb": 0.8},
        },
    }
    (root / "config.yaml").write_text(yaml.safe_dump(config))
    return root


def build_v31(root: Path, embedding=None) -> Path:
    """Write a 3.1 style folder: checkpoint file paths, agglomerative clustering, no PLDA."""
    _save(_segmentation_model(), root / "models" / "segmentation.bin")
    _save(embedding or _embedding_model(), root / "models" / "embedding.bin")
    config = {
        "version": "3.1.0",
        "pipeline": {
            "name": "pyannote.audio.pipelines.SpeakerDiarization",
            "params": {
                "segmentation": "models/segmentation.bin",
                "embedding": "models/embedding.bin",
                "clustering": "AgglomerativeClustering",
                "embedding_batch_size": 8,
                "embedding_exclude_overlap": True,
                "segmentation_batch_size": 8,
            },
        },
        "params": {
            "clustering": {"method": "centroid", "min_cluster_size": 2, "threshold": 0.7},
            "segmentation": {"min_duration_off": 0.0},
        },
    }
    (root / "config.yaml").write_text(yaml.safe_dump(config))
    return root


@pytest.fixture(scope="session")
def with_gap(phone, synthetic):
    """Return a builder of (audio with a 7 s silent gap, reference turns) from a test call."""
    calls = {"phone": phone, "synthetic": synthetic}

    def build(name: str, cut: float, resume: float) -> tuple[np.ndarray, list[Turn]]:
        samples, reference = calls[name]
        return splice_silence(samples, reference, cut, resume, gap=7.0)

    return build
