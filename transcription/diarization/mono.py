"""The offline default engine: ONNX speaker segmentation stitched into two speakers."""

from __future__ import annotations

import numpy as np

from transcription.diarization.aggregate import global_activity, renumber, to_turns
from transcription.diarization.assets import load_session
from transcription.diarization.base import DiarizationError, check_input
from transcription.diarization.linking import link_components
from transcription.diarization.segmentation import SAMPLE_RATE, segment
from transcription.diarization.settings import DiarizationSettings
from transcription.diarization.stitching import components, nodes_of, signed_graph, two_colour
from transcription.schema import Turn

MAX_SPEAKERS = 2


class MonoEngine:
    """Diarise a mono call into at most two speakers with no torch at run time.

    A PyanNet segmentation network (exported to ONNX) finds up to three local speakers
    in overlapping 5 s windows; local speakers are linked across windows by how their
    activity agrees where windows overlap, coloured into two speakers, and stretches
    cut apart by long silences are joined with a GE2E speaker encoder.
    """

    name = "mono"

    def __init__(self, settings: DiarizationSettings | None = None) -> None:
        """Keep the settings; the networks load on first use."""
        self.settings = settings or DiarizationSettings()
        self._segmenter = None
        self._encoder = None

    def _sessions(self) -> tuple:
        """Return the (segmentation, encoder) sessions, loading them once."""
        if self._segmenter is None:
            self._segmenter = load_session("segmentation.onnx", self.settings.threads)
            self._encoder = load_session("speaker_encoder.onnx", self.settings.threads)
        return self._segmenter, self._encoder

    def diarize(
        self,
        samples: np.ndarray,
        sample_rate: int = SAMPLE_RATE,
        num_speakers: int | None = 2,
        speech: list[tuple[float, float]] | None = None,
    ) -> list[Turn]:
        """Return speaker turns ("S0" speaks first) for 16 kHz mono ``samples``.

        ``speech`` is accepted for the engine interface; the segmentation network finds
        speech itself. ``num_speakers`` may be 1, 2 or None (at most two).
        """
        samples = check_input(samples, sample_rate, num_speakers)
        if num_speakers is not None and num_speakers > MAX_SPEAKERS:
            raise DiarizationError(
                f"the mono engine separates at most {MAX_SPEAKERS} speakers, "
                f"{num_speakers} were asked for; use the 'pyannote' engine"
            )
        duration = samples.size / SAMPLE_RATE
        if samples.size == 0 or not np.any(samples):
            return []
        segmenter, encoder = self._sessions()
        onset = self.settings.onset
        seg = segment(samples, segmenter, self.settings.window_step)
        nodes = nodes_of(seg, onset)
        if not nodes:
            return []
        if num_speakers == 1:
            labels = np.zeros(len(nodes), dtype=int)
        else:
            graph = signed_graph(seg, nodes, onset)
            labels = two_colour(graph)
            labels = link_components(samples, seg, nodes, labels, components(graph), encoder, onset)
        active = global_activity(seg, nodes, labels, num_speakers or MAX_SPEAKERS, onset)
        return renumber(to_turns(active, duration))
