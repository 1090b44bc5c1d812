"""Model resolution: the joined base model, bundled tiny.en, local dirs, offline names."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from transcription import models
from transcription.errors import ModelError
from transcription.models import join_base_model, load_model, resolve_device, resolve_model
from transcription.settings import TranscriptionSettings


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_join_base_model_once_with_checksum(tmp_path: Path) -> None:
    target = join_base_model(tmp_path)
    model = target / "model.bin"
    parts = [models._package_data(pkg, "data", part) for pkg, part in models.BASE_PARTS]
    assert model.stat().st_size == sum(p.stat().st_size for p in parts)
    recorded = (target / "model.bin.sha256").read_text().split()[0]
    assert recorded == _sha(model)
    for name in models.BASE_FILES:
        assert (target / name).is_file()
    assert not [p for p in target.iterdir() if p.name.startswith(".")]  # no temp files left
    mtime = model.stat().st_mtime_ns
    assert join_base_model(tmp_path) == target
    assert model.stat().st_mtime_ns == mtime  # valid: not rebuilt


@pytest.mark.parametrize("damage", ["corrupt", "partial", "no checksum"])
def test_damaged_join_is_rebuilt(tmp_path: Path, damage: str) -> None:
    target = join_base_model(tmp_path)
    model, checksum = target / "model.bin", target / "model.bin.sha256"
    good = checksum.read_text()
    if damage == "corrupt":
        with model.open("r+b") as fh:
            fh.seek(1000)
            fh.write(b"\xff" * 64)
    elif damage == "partial":
        with model.open("r+b") as fh:
            fh.truncate(model.stat().st_size // 2)
    else:
        checksum.unlink()
    join_base_model(tmp_path)
    assert checksum.read_text() == good
    assert _sha(model) == good.split()[0]


def test_resolve_names(tmp_path: Path) -> None:
    tiny = resolve_model("tiny.en", tmp_path)
    assert (tiny / "model.bin").is_file()
    assert resolve_model(str(tiny), tmp_path) == tiny  # any local CTranslate2 dir
    assert resolve_model("large-v3", tmp_path) is None  # a hub name
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model(str(tmp_path / "nowhere"), tmp_path)
    with pytest.raises(ModelError, match="no model.bin"):
        resolve_model(str(tmp_path), tmp_path)


def test_offline_unknown_name_is_a_clear_error(tmp_path: Path) -> None:
    settings = TranscriptionSettings(model="no-such-model-xyz", cache_dir=tmp_path)
    with pytest.raises(ModelError, match="not available offline"):
        load_model(settings)


def test_device_defaults() -> None:
    assert resolve_device(TranscriptionSettings(device="cpu")) == ("cpu", "int8")
    assert resolve_device(TranscriptionSettings(device="cuda")) == ("cuda", "float16")
    assert resolve_device(TranscriptionSettings(device="cpu", compute_type="float32"))[1] == (
        "float32"
    )


def test_loaded_model_is_cached(tiny_settings: TranscriptionSettings) -> None:
    first = load_model(tiny_settings)
    assert load_model(tiny_settings) is first
    assert not first.model.is_multilingual


def test_settings_validate() -> None:
    with pytest.raises(ValueError, match="engine"):
        TranscriptionSettings(engine="magic")
    with pytest.raises(ValueError, match="chinese_script"):
        TranscriptionSettings(chinese_script="klingon")
