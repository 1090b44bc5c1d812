"""Resemblyzer's GE2E speaker encoder as a pyannote.audio embedding model.

Only pyannote.audio imports this module (named in checkpoints that
``tools/build_pyannote_pipeline.py`` writes), so torch is needed only with the extra.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from pyannote.audio.core.model import Model
from torch import nn

from transcription.diarization.features import HOP, N_FFT, N_MELS, mel_filterbank

MIN_FRAMES = 20  # masked embeddings fall back to the whole chunk below 0.2 s of speech


class ResemblyzerEmbedding(Model):
    """3-layer LSTM over 40-band power mel frames, linear + ReLU, L2-normalised (256-d)."""

    def __init__(self, sample_rate: int = 16000, num_channels: int = 1, task=None) -> None:
        """Build the layers; weights come from the checkpoint."""
        super().__init__(sample_rate=sample_rate, num_channels=num_channels, task=task)
        self.lstm = nn.LSTM(N_MELS, 256, 3, batch_first=True)
        self.linear = nn.Linear(256, 256)
        self.register_buffer("filterbank", torch.from_numpy(mel_filterbank()))

    @property
    def dimension(self) -> int:
        """Return the embedding size."""
        return 256

    def forward(self, waveforms: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
        """Return (batch, 256) embeddings, using only frames where ``weights`` > 0.5 if given."""
        window = torch.hann_window(N_FFT, device=waveforms.device)
        spectrum = torch.stft(
            waveforms[:, 0],
            n_fft=N_FFT,
            hop_length=HOP,
            window=window,
            center=True,
            pad_mode="constant",
            return_complex=True,
        )
        mels = (self.filterbank @ spectrum.abs() ** 2).transpose(1, 2)
        if weights is None:
            hidden = self.lstm(mels)[1][0][-1]
        else:
            keep = F.interpolate(weights[:, None].float(), size=mels.shape[1])[:, 0] > 0.5
            states = []
            for row, mask in zip(mels, keep, strict=True):
                frames = row[mask] if int(mask.sum()) >= MIN_FRAMES else row
                states.append(self.lstm(frames[None])[1][0][-1, 0])
            hidden = torch.stack(states)
        raw = torch.relu(self.linear(hidden))
        return raw / torch.linalg.vector_norm(raw, dim=1, keepdim=True).clamp_min(1e-8)
