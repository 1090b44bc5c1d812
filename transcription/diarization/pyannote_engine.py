"""The optional pyannote.audio engine, loaded from a local pipeline directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import yaml

from transcription.diarization.aggregate import renumber
from transcription.diarization.base import DiarizationError, check_input
from transcription.diarization.settings import DiarizationSettings
from transcription.schema import Turn

INSTALL_HINT = (
    "the 'pyannote' diarisation engine needs the optional pyannote extra: "
    "pip install -r requirements-pyannote.txt (or pip install 'callqa[pyannote]')"
)
MODEL_KEYS = ("segmentation", "embedding", "plda")


def _import_pyannote() -> Any:
    """Return the pyannote.audio module with telemetry switched off, or raise."""
    try:
        import pyannote.audio
        from pyannote.audio.telemetry import set_telemetry_metrics
    except ImportError as exc:
        raise DiarizationError(f"{INSTALL_HINT} ({exc})") from exc
    set_telemetry_metrics(False)
    return pyannote.audio


def _local(value: Any, key: str, directory: Path) -> Any:
    """Return model reference ``value`` resolved inside ``directory``, or raise if not local."""
    if isinstance(value, str) and value.startswith("$model/"):
        value = {"checkpoint": str(directory), "subfolder": value.removeprefix("$model/")}
    if isinstance(value, dict):
        folder = Path(value.get("checkpoint", directory))
        folder = folder if folder.is_absolute() else directory / folder
        target = folder / value.get("subfolder", "")
        if not target.exists():
            raise DiarizationError(f"pipeline {key} folder {target} does not exist")
        return {"checkpoint": str(folder), "subfolder": value.get("subfolder")}
    path = Path(str(value)).expanduser()
    path = path if path.is_absolute() else directory / path
    if not path.exists():
        raise DiarizationError(
            f"pipeline {key} {value!r} is not a file or folder inside {directory}; "
            "the pyannote engine runs offline and never downloads from the hub"
        )
    return str(path)


def local_config(directory: Path) -> dict[str, Any]:
    """Return the pipeline config of ``directory`` with every model resolved locally.

    Supports the community-1 layout (``$model/segmentation`` etc. subfolders) and the 3.1
    layout (checkpoint paths, relative to the directory or absolute).
    """
    config_file = directory / "config.yaml"
    if not config_file.is_file():
        raise DiarizationError(f"{directory} is not a pyannote pipeline folder (no config.yaml)")
    try:
        config = yaml.safe_load(config_file.read_text())
        params = config["pipeline"].setdefault("params", {})
        if not isinstance(params, dict):
            raise TypeError("pipeline params must be a mapping")
    except (yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise DiarizationError(f"{config_file} is not a pyannote pipeline config: {exc}") from exc
    for key in MODEL_KEYS:
        if key in params:
            params[key] = _local(params[key], key, directory)
    if "plda" not in params:
        if params.get("clustering", "VBxClustering") == "VBxClustering":
            raise DiarizationError(f"{config_file} uses VBx clustering but names no plda")
        params["plda"] = _unused_plda()
    return config


def _unused_plda() -> Any:
    """Return an empty PLDA for pipelines whose clustering never reads one.

    pyannote.audio 4 loads community-1's PLDA from the hub even for 3.1-style agglomerative
    clustering, which does not use it; an empty instance keeps such folders offline.
    """
    from pyannote.audio.core.plda import PLDA

    return PLDA.__new__(PLDA)


def load_pipeline(settings: DiarizationSettings) -> Any:
    """Return the pyannote pipeline of ``settings.pyannote_dir`` on the configured device."""
    audio = _import_pyannote()
    if settings.pyannote_dir is None:
        raise DiarizationError(
            "the 'pyannote' engine needs DiarizationSettings.pyannote_dir: a local folder "
            "with config.yaml and the model checkpoints"
        )
    import torch

    directory = Path(settings.pyannote_dir).expanduser().resolve()
    config = local_config(directory)
    if settings.threads > 0:
        torch.set_num_threads(settings.threads)
    try:
        pipeline = audio.Pipeline.from_pretrained(config)
    except (OSError, ValueError, KeyError, RuntimeError, TypeError) as exc:
        raise DiarizationError(f"cannot load the pyannote pipeline in {directory}: {exc}") from exc
    device = settings.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    return pipeline.to(torch.device(device))


class PyannoteEngine:
    """Diarise with a pyannote.audio speaker-diarisation pipeline from a local folder."""

    name = "pyannote"

    def __init__(self, settings: DiarizationSettings | None = None) -> None:
        """Check the extra is installed; the pipeline loads on first use."""
        _import_pyannote()
        self.settings = settings or DiarizationSettings()
        self._pipeline = None

    @property
    def pipeline(self) -> Any:
        """Return the loaded pipeline, loading it once."""
        if self._pipeline is None:
            self._pipeline = load_pipeline(self.settings)
        return self._pipeline

    def diarize(
        self,
        samples: np.ndarray,
        sample_rate: int = 16000,
        num_speakers: int | None = 2,
        speech: list[tuple[float, float]] | None = None,
    ) -> list[Turn]:
        """Return speaker turns ("S0" speaks first); ``speech`` is not used by pyannote."""
        samples = check_input(samples, sample_rate, num_speakers)
        if samples.size == 0 or not np.any(samples):
            return []
        import torch

        pipeline = self.pipeline
        waveform = {"waveform": torch.from_numpy(samples)[None], "sample_rate": sample_rate}
        output = pipeline(waveform, num_speakers=num_speakers)
        annotation = getattr(output, "speaker_diarization", output)
        duration = samples.size / sample_rate
        turns = [
            Turn(round(segment.start, 3), round(min(segment.end, duration), 3), str(label))
            for segment, _, label in annotation.itertracks(yield_label=True)
            if segment.end > segment.start
        ]
        return renumber(sorted(turns, key=lambda t: (t.start, t.speaker)))
