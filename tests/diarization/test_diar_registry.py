"""Engine lookup, settings checking and the optional-extra error."""

import sys

import pytest

from transcription.diarization import ENGINES, DiarizationError, DiarizationSettings, get_engine


def test_registry_names_both_engines():
    assert {"mono", "pyannote"} <= set(ENGINES)
    engine = get_engine("mono", DiarizationSettings(threads=1))
    assert engine.name == "mono"
    assert engine.settings.threads == 1


def test_unknown_engine_lists_the_known_ones():
    with pytest.raises(DiarizationError, match="known: mono, pyannote"):
        get_engine("whisperx")


def test_settings_must_be_diarization_settings():
    with pytest.raises(DiarizationError, match="DiarizationSettings"):
        get_engine("mono", {"threads": 2})


def test_missing_pyannote_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "pyannote.audio", None)
    with pytest.raises(DiarizationError, match="requirements-pyannote.txt"):
        get_engine("pyannote", DiarizationSettings(pyannote_dir="/nowhere"))
