"""Making checkpoints and keeping their copy outside the database.

Each checkpoint is committed to the ``checkpoints`` table and then appended,
as one canonical JSON line, to ``HOME/checkpoints.jsonl`` (fsynced). The
copy is written after the commit, so a crash can leave a database checkpoint
without a line (harmless) but never a line without its checkpoint.
``verify`` requires every line to match a stored checkpoint, so wiping or
rewriting the ``checkpoints`` table is detected even with database access
alone. Copy the file (and the public key) off the machine for stronger
guarantees.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from bayyina.store.models import Checkpoint
from bayyina.vault.canonical import canonical_json
from bayyina.vault.home import Home
from bayyina.vault.keys import make_checkpoint

MIRROR_NAME = "checkpoints.jsonl"


@dataclass
class MirroredCheckpoint:
    """One line of the checkpoint copy."""

    line: int
    seq: int
    head_hash: str
    ts: str
    key_id: str
    signature: str


def mirror_path(home: Home) -> Path:
    """Where the copy of the checkpoints lives."""
    return home.settings.home / MIRROR_NAME


def _append(path: Path, cp: Checkpoint) -> None:
    line = canonical_json(
        {"seq": cp.seq, "head_hash": cp.head_hash, "ts": cp.ts, "key_id": cp.key_id, "signature": cp.signature}
    )
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def checkpoint_now(home: Home) -> Checkpoint | None:
    """Sign the log head, commit, then append the copy; None when the log is empty."""
    with home.session() as session:
        cp = make_checkpoint(session, home.keys_dir)
        session.commit()
    if cp is not None and not _mirrored(home, cp):
        _append(mirror_path(home), cp)
    return cp


def _mirrored(home: Home, cp: Checkpoint) -> bool:
    return any(m.signature == cp.signature for m in read_mirror(mirror_path(home)))


def read_mirror(path: Path) -> list[MirroredCheckpoint]:
    """Every line of the copy (lines that do not parse become entries with empty fields)."""
    if not path.exists():
        return []
    out: list[MirroredCheckpoint] = []
    with open(path, encoding="utf-8") as fh:
        for i, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                d = json.loads(raw)
                out.append(MirroredCheckpoint(i, int(d["seq"]), str(d["head_hash"]), str(d["ts"]),
                                              str(d["key_id"]), str(d["signature"])))
            except (ValueError, KeyError, TypeError):
                out.append(MirroredCheckpoint(i, -1, "", "", "", ""))
    return out
