"""Export the mono diarisation networks to ONNX and check them against torch.

Runs in the optional pyannote/torch environment (``pip install -r requirements-pyannote.txt
librosa==0.11.0 onnx==1.23.2 onnxscript==0.7.2``), never at run time. Inputs are files that pip wheels ship:

* ``whisperx/assets/pytorch_model.bin`` (whisperx wheel): pyannote's original speaker
  segmentation checkpoint (PyanNet, 5 s windows, 3 local speakers, MIT licence).
* ``resemblyzer/pretrained.pt`` (Resemblyzer wheel): the GE2E speaker encoder (Apache-2.0).

Usage::

    pip download --no-deps whisperx==3.8.6 resemblyzer==0.1.4 -d wheels
    unzip -q wheels/whisperx-3.8.6-*.whl -d wheels/wx
    unzip -q wheels/Resemblyzer-0.1.4-*.whl -d wheels/rz
    python tools/export_diarization_onnx.py \
        --segmentation wheels/wx/whisperx/assets/pytorch_model.bin \
        --encoder wheels/rz/resemblyzer/pretrained.pt
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcription.diarization.features import mel_frames  # noqa: E402

ASSETS = ROOT / "transcription" / "diarization" / "assets"
OPSET = 17


class VoiceEncoder(nn.Module):
    """Resemblyzer's GE2E encoder: 3-layer LSTM, linear, ReLU, L2 norm."""

    def __init__(self) -> None:
        super().__init__()
        self.lstm = nn.LSTM(40, 256, 3, batch_first=True)
        self.linear = nn.Linear(256, 256)

    def forward(self, mels: torch.Tensor) -> torch.Tensor:
        _, (hidden, _) = self.lstm(mels)
        raw = torch.relu(self.linear(hidden[-1]))
        return raw / torch.linalg.vector_norm(raw, dim=1, keepdim=True).clamp_min(1e-8)


def export_segmentation(checkpoint: Path, target: Path) -> None:
    """Export the PyanNet segmentation model and compare ONNX with torch."""
    from pyannote.audio import Model

    model = Model.from_pretrained(checkpoint).eval()
    dummy = torch.randn(2, 1, 80000) * 0.1
    torch.onnx.export(
        model,
        (dummy,),
        str(target),
        input_names=["waveform"],
        output_names=["activations"],
        dynamic_axes={"waveform": {0: "batch", 2: "samples"}, "activations": {0: "batch"}},
        opset_version=OPSET,
        dynamo=False,
    )
    session = ort.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    test = (rng.standard_normal((3, 1, 80000)) * 0.05).astype(np.float32)
    with torch.inference_mode():
        expected = model(torch.from_numpy(test)).numpy()
    got = session.run(None, {"waveform": test})[0]
    err = float(np.abs(expected - got).max())
    print(f"segmentation: output {got.shape}, max |onnx - torch| = {err:.2e}")
    assert err < 1e-4, err


def export_encoder(checkpoint: Path, target: Path) -> None:
    """Export the Resemblyzer encoder and check features + network against the originals."""
    import librosa

    encoder = VoiceEncoder().eval()
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)["model_state"]
    encoder.load_state_dict({k: v for k, v in state.items() if not k.startswith("similarity")})
    dummy = torch.rand(2, 160, 40)
    torch.onnx.export(
        encoder,
        (dummy,),
        str(target),
        input_names=["mels"],
        output_names=["embedding"],
        dynamic_axes={"mels": {0: "batch", 1: "frames"}, "embedding": {0: "batch"}},
        opset_version=OPSET,
        dynamo=False,
    )
    rng = np.random.default_rng(1)
    wav = (rng.standard_normal(16000 * 3) * 0.05).astype(np.float32)
    reference = librosa.feature.melspectrogram(
        y=wav, sr=16000, n_fft=400, hop_length=160, n_mels=40
    ).T.astype(np.float32)
    ours = mel_frames(wav)
    rel = float(np.abs(reference - ours).max() / np.abs(reference).max())
    print(f"mel front end: max relative |ours - librosa| = {rel:.2e}")
    assert rel < 1e-4, rel
    session = ort.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    mels = reference[None, :160]
    with torch.inference_mode():
        expected = encoder(torch.from_numpy(mels)).numpy()
    got = session.run(None, {"mels": ours[None, :160]})[0]
    err = float(np.abs(expected - got).max())
    print(f"encoder: output {got.shape}, max |onnx(ours) - torch(librosa)| = {err:.2e}")
    assert err < 1e-3, err


def sha256(path: Path) -> str:
    """Return the hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    """Export both networks into the package assets and print their checksums."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segmentation", type=Path, required=True)
    parser.add_argument("--encoder", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ASSETS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    seg, enc = args.out / "segmentation.onnx", args.out / "speaker_encoder.onnx"
    export_segmentation(args.segmentation, seg)
    export_encoder(args.encoder, enc)
    for path in (seg, enc):
        print(f"{sha256(path)}  {path.name}  ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
