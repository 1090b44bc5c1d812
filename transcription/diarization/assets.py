"""Load the ONNX networks the mono engine ships, checking their checksums."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import onnxruntime as ort

from transcription.diarization.base import DiarizationError

ASSETS = Path(__file__).parent / "assets"

# Produced by tools/export_diarization_onnx.py; see assets/NOTICE.md for provenance.
CHECKSUMS = {
    "segmentation.onnx": "b419115c1ac094fa3ebf438a0dce124471c7ecb55ab74d13ddbd3f3b488e0cdd",
    "speaker_encoder.onnx": "354fcfe6543a5a0742ef69bf1e9f0cbd7b280068849d3a983bdc94c7584cab52",
}


@lru_cache(maxsize=8)
def _verified_bytes(name: str) -> bytes:
    """Return the bytes of asset ``name`` after checking its sha256."""
    path = ASSETS / name
    if not path.is_file():
        raise DiarizationError(f"diarisation model {path} is missing; reinstall the package")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != CHECKSUMS[name]:
        raise DiarizationError(f"diarisation model {path} is corrupt (sha256 {digest})")
    return data


def load_session(name: str, threads: int = 0) -> ort.InferenceSession:
    """Return an onnxruntime CPU session for asset ``name``."""
    options = ort.SessionOptions()
    options.log_severity_level = 3
    if threads > 0:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    return ort.InferenceSession(_verified_bytes(name), options, providers=["CPUExecutionProvider"])
