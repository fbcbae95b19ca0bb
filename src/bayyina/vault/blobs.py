"""The content-addressed store of originals.

Layout: ``<vault>/sha256/ab/cd/<full hex digest>``. A file is first copied
into ``<vault>/tmp/`` while it is hashed in 1 MiB chunks (never read whole
into memory), fsynced, and only then renamed atomically to its final name;
an existing blob with the same digest is kept and the copy dropped
(deduplication). Stored blobs are made read-only and no code path alters or
deletes them.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


class VaultError(Exception):
    """A blob could not be stored or read."""


@dataclass
class Staged:
    """A copy of an incoming file in the vault's temp area, already hashed."""

    path: Path
    sha256: str
    size: int


def hash_stream(fh: BinaryIO) -> tuple[str, int]:
    """SHA-256 hex digest and length of a binary stream, read in chunks."""
    h = hashlib.sha256()
    size = 0
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    while True:
        n = fh.readinto(view)  # type: ignore[attr-defined]
        if not n:
            break
        h.update(view[:n])
        size += n
    return h.hexdigest(), size


def hash_file(path: Path) -> tuple[str, int]:
    """SHA-256 hex digest and size of a file, streamed."""
    with open(path, "rb", buffering=0) as fh:
        return hash_stream(fh)  # type: ignore[arg-type]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Vault:
    """A content-addressed blob store rooted at ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.blobs = root / "sha256"
        self.tmp = root / "tmp"

    def create(self) -> None:
        """Create the directory layout (idempotent)."""
        self.blobs.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        """Where the blob with this digest lives."""
        return self.blobs / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        """Whether the blob is present."""
        return self.path_for(sha256).is_file()

    def stage_file(self, src: Path, *, sync: bool = True) -> Staged:
        """Copy ``src`` into the temp area while hashing it."""
        with open(src, "rb") as fh:
            return self.stage_stream(fh, sync=sync)

    def stage_bytes(self, data: bytes, *, sync: bool = True) -> Staged:
        """Stage an in-memory payload (a WARC record body, a fetched response)."""
        import io

        return self.stage_stream(io.BytesIO(data), sync=sync)

    def stage_stream(self, fh: BinaryIO, *, sync: bool = True) -> Staged:
        """Copy a stream into the temp area while hashing it; fsync the copy (unless ``sync`` is
        False: then it must go through :meth:`commit_many`, never :meth:`commit`)."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix="in-")
        h = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    chunk = fh.read(CHUNK)
                    if not chunk:
                        break
                    h.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                if sync:
                    os.fsync(out.fileno())
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return Staged(Path(name), h.hexdigest(), size)

    def discard(self, staged: Staged) -> None:
        """Drop a staged copy that will not be stored (refused input)."""
        staged.path.unlink(missing_ok=True)

    def commit(self, staged: Staged) -> Path:
        """Move a staged copy to its content address (atomic; deduplicated)."""
        dest = self.path_for(staged.sha256)
        if dest.is_file():
            staged.path.unlink(missing_ok=True)
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(staged.path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(staged.path, dest)
        _fsync_dir(dest.parent)
        return dest

    def commit_many(self, staged: list[Staged]) -> None:
        """Move a batch of copies staged with ``sync=False`` to their content addresses.

        Every copy is fsynced before it is renamed (a blob at its address is
        always complete), then every directory a rename touched (and the parent
        of each directory created) is fsynced. Done for a batch, the fsyncs
        after the first mostly find their data already written: far cheaper
        than one fsync per file as it is staged.
        """
        for st in staged:
            fd = os.open(st.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        dirs: dict[Path, None] = {}
        for st in staged:
            dest = self.path_for(st.sha256)
            if dest.is_file():
                st.path.unlink(missing_ok=True)
                continue
            for d in (dest.parent.parent, dest.parent):
                if not d.is_dir():
                    d.mkdir(parents=True, exist_ok=True)
                    dirs[d.parent] = None
            os.chmod(st.path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.replace(st.path, dest)
            dirs[dest.parent] = None
        for d in dirs:
            _fsync_dir(d)

    def put_bytes(self, data: bytes) -> tuple[str, int]:
        """Store a payload; returns its digest and size."""
        staged = self.stage_bytes(data)
        self.commit(staged)
        return staged.sha256, staged.size

    def iter_blobs(self) -> Iterator[Path]:
        """Every stored blob file."""
        if self.blobs.is_dir():
            yield from (p for p in self.blobs.glob("*/*/*") if p.is_file())

    def clean_tmp(self, older_than: float = 3600.0) -> int:
        """Remove copies left by interrupted ingests (never stored blobs) older than ``older_than`` s."""
        import time

        n = 0
        cutoff = time.time() - older_than
        if self.tmp.is_dir():
            for p in self.tmp.iterdir():
                try:
                    if p.name.startswith("in-") and p.stat().st_mtime < cutoff:
                        p.unlink()
                        n += 1
                except FileNotFoundError:
                    continue
        return n
