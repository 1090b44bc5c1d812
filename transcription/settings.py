"""Settings for one transcription run; the app maps its config onto these."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ENGINES = ("auto", "channels", "mono", "pyannote")
SCRIPTS = ("traditional", "simplified")


@dataclass
class TranscriptionSettings:
    """How to transcribe: model, hardware, language and diarisation choices."""

    model: str = "base"
    device: str = "auto"  # "auto", "cpu" or "cuda"
    compute_type: str = "auto"  # "auto" = int8 on CPU, float16 on GPU
    cpu_threads: int = 0  # 0 = let CTranslate2 decide
    language: str | None = None  # None = detect per call
    languages: tuple[str, ...] = ("zh", "en")  # detection picks among these; () = any
    chinese_script: str = "traditional"
    engine: str = "auto"
    agent_channel: int | None = 0  # stereo: which channel is the agent; None = infer
    pyannote_dir: str | None = None
    cache_dir: Path = field(default_factory=lambda: Path.home() / ".cache" / "callqa" / "models")
    num_speakers: int | None = 2
    beam_size: int = 5
    online: bool = False  # allow hub downloads for unknown model names
    chunk_seconds: float = 300.0  # audio is decoded and transcribed in chunks of this length
    min_avg_logprob: float = -1.0
    max_no_speech_prob: float = 0.6
    max_compression_ratio: float = 2.4

    def __post_init__(self) -> None:
        """Check the enumerated fields."""
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, not {self.engine!r}")
        if self.chinese_script not in SCRIPTS:
            raise ValueError(
                f"chinese_script must be one of {SCRIPTS}, not {self.chinese_script!r}"
            )
        if self.agent_channel not in (None, 0, 1):
            raise ValueError("agent_channel must be 0, 1 or None")
        self.cache_dir = Path(self.cache_dir)
