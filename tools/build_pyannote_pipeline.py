"""Build an offline pyannote pipeline folder (3.1 layout) from files pip wheels ship.

Segmentation: pyannote/segmentation from the whisperx wheel; embedding: Resemblyzer's
encoder wrapped as ``transcription.diarization.pyannote_resemblyzer.ResemblyzerEmbedding``.
Runs with the pyannote extra (see tools/export_diarization_onnx.py for getting the wheels)::

    python tools/build_pyannote_pipeline.py OUT_DIR \
        --segmentation wheels/wx/whisperx/assets/pytorch_model.bin \
        --encoder wheels/rz/resemblyzer/pretrained.pt
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import lightning
import torch
import yaml
from pyannote.audio.core.task import Problem, Resolution, Specifications

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcription.diarization.pyannote_resemblyzer import ResemblyzerEmbedding  # noqa: E402

CONFIG = {
    "version": "3.1.0",
    "pipeline": {
        "name": "pyannote.audio.pipelines.SpeakerDiarization",
        "params": {
            "segmentation": "segmentation.bin",
            "embedding": "embedding.bin",
            "clustering": "AgglomerativeClustering",
            "embedding_batch_size": 16,
            "embedding_exclude_overlap": True,
            "segmentation_batch_size": 16,
        },
    },
    "params": {
        "clustering": {"method": "centroid", "min_cluster_size": 12, "threshold": 0.7},
        "segmentation": {"threshold": 0.5, "min_duration_off": 0.0},
    },
}


def save_encoder(weights: Path, target: Path) -> None:
    """Write the Resemblyzer weights as a pyannote embedding checkpoint."""
    model = ResemblyzerEmbedding()
    state = torch.load(weights, map_location="cpu", weights_only=False)["model_state"]
    state = {k: v for k, v in state.items() if not k.startswith("similarity")}
    state["filterbank"] = model.filterbank
    model.load_state_dict(state)
    model.specifications = Specifications(
        problem=Problem.REPRESENTATION, resolution=Resolution.CHUNK, duration=5.0
    )
    checkpoint = {
        "state_dict": model.state_dict(),
        "hyper_parameters": dict(model.hparams),
        "pytorch-lightning_version": lightning.__version__,
    }
    model.on_save_checkpoint(checkpoint)
    torch.save(checkpoint, target)


def main() -> None:
    """Write config.yaml, segmentation.bin and embedding.bin into the output folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--segmentation", type=Path, required=True)
    parser.add_argument("--encoder", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(args.segmentation, args.out / "segmentation.bin")
    save_encoder(args.encoder, args.out / "embedding.bin")
    (args.out / "config.yaml").write_text(yaml.safe_dump(CONFIG))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
