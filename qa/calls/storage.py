"""Content-addressed audio store: files named by their sha256 under one folder."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import Flask, current_app

CHUNK = 1024 * 1024


class TooLarge(Exception):
    """The upload is over the size limit."""


class AudioStore:
    """Keep recordings as ``<root>/ab/cd/<sha256>.<ext>``."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """Return the file path for a storage key (``<sha256>.<ext>``)."""
        if "/" in key or key.startswith("."):
            raise ValueError(f"bad storage key {key!r}")
        return self.root / key[:2] / key[2:4] / key

    def receive(self, stream: BinaryIO, max_bytes: int) -> tuple[Path, str, int]:
        """Copy ``stream`` to a temporary file while hashing; return (path, sha256, size)."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir, suffix=".part")
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(f"file is over the {max_bytes // CHUNK} MB limit")
                    digest.update(chunk)
                    out.write(chunk)
        except BaseException:
            os.unlink(name)
            raise
        return Path(name), digest.hexdigest(), size

    def keep(self, tmp: Path, key: str) -> Path:
        """Move a received file to its final place (a no-op when already stored)."""
        final = self.path(key)
        if final.exists():
            tmp.unlink(missing_ok=True)
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        return final

    def exists(self, key: str) -> bool:
        """Return whether the store holds ``key``."""
        return self.path(key).exists()


def get_store(app: Flask | None = None) -> AudioStore:
    """Return the audio store of ``app`` (or the current app)."""
    app = app or current_app
    return AudioStore(app.config["AUDIO_STORE"])
