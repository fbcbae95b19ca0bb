"""``verify``: prove that nothing changed since it reached the vault.

Checks, in order:

1. the custody public key loads;
2. the whole log chain: contiguous ``seq`` from 1, each ``prev_hash`` equal to
   the previous entry's hash, each ``entry_hash`` equal to the SHA-256 of the
   entry's canonical JSON (catches deleted, edited and reordered entries);
3. every checkpoint: Ed25519 signature valid under our key, and the entry it
   signs still present with the same hash (catches forged checkpoints and a
   truncated log tail); every line of ``HOME/checkpoints.jsonl`` matches a
   stored checkpoint (catches a wiped or rewritten checkpoints table);
4. every covered database row (documents, extraction runs, incidents): its
   digest equals the digest the latest log entry recorded for it; no row
   without a log entry, no logged row missing;
5. every original: the blob exists and its streamed SHA-256 and size match;
6. every document's sensitivity (outside its row digest by design) equals the
   level its custody log last recorded: the ``to`` of its latest
   ``classified`` (or ``reclassified``) entry (a WARC original's entry also sets its records, listed
   as ``children``), else the ``sensitivity`` of its ``ingested`` entry
   (``public`` when absent). A level changed in the database without
   ``bayyina documents classify`` is reported. Documents whose log has neither
   (received in a partner bundle and never reclassified) are not checked.

Each problem names the document or log entry concerned.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from bayyina.store.models import COVERED, Checkpoint, CustodyEntry, Document
from bayyina.store.sensitivity import DEFAULT

# actions that log a document's new level as payload "to" (``classified``: vault/classify.py)
RECLASSIFIED = ("classified", "reclassified")
from bayyina.vault import custody
from bayyina.vault.blobs import hash_file
from bayyina.vault.canonical import row_digest, row_key
from bayyina.vault.checkpointing import MIRROR_NAME, MirroredCheckpoint, mirror_path, read_mirror
from bayyina.vault.home import Home
from bayyina.vault.keys import KeysError, check_signature, load_public


@dataclass
class Problem:
    """One failed check: ``where`` names the document / entry / checkpoint."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class VerifyReport:
    """Everything verify found."""

    problems: list[Problem] = field(default_factory=list)
    documents: int = 0
    blobs: int = 0
    bytes_hashed: int = 0
    entries: int = 0
    checkpoints: int = 0
    unsigned_entries: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return not self.problems


ProgressFn = Callable[[str, int, int], None]  # (stage, done, total)


def _doc_label(doc: Document) -> str:
    return f"document {doc.id} ({doc.original_filename})"


def _note_level(e: CustodyEntry, payload: dict[str, Any], levels: dict[int, tuple[str, int]]) -> None:
    """Record the sensitivity an ``ingested`` or reclassifying entry gives its document(s): id -> (level, seq)."""
    if e.action not in ("ingested", *RECLASSIFIED) or not e.subject.startswith("document:"):
        return
    try:
        doc_id = int(e.subject.partition(":")[2])
    except ValueError:
        return
    if e.action == "ingested":
        levels[doc_id] = (str(payload.get("sensitivity") or DEFAULT), e.seq)
        return
    level = str(payload.get("to") or "")
    levels[doc_id] = (level, e.seq)
    for kid in payload.get("children") or []:
        if isinstance(kid, int) or (isinstance(kid, str) and kid.isdigit()):
            levels[int(kid)] = (level, e.seq)


def verify(home: Home, on_progress: ProgressFn | None = None, workers: int | None = None) -> VerifyReport:
    """Run every check; see the module docstring."""
    t0 = time.perf_counter()
    rep = VerifyReport()
    progress = on_progress or (lambda _s, _d, _t: None)
    pub = None
    try:
        pub = load_public(home.keys_dir)
    except KeysError as exc:
        rep.problems.append(Problem("keys", str(exc)))

    with home.session() as session:
        checkpoints = list(session.scalars(select(Checkpoint).order_by(Checkpoint.id)))
        mirror = read_mirror(mirror_path(home))
        wanted = {cp.seq for cp in checkpoints}
        seen_hash: dict[int, str] = {}
        latest: dict[str, tuple[str, int]] = {}
        levels: dict[int, tuple[str, int]] = {}  # document id -> (sensitivity last logged, entry seq)
        total_entries = custody.count(session)
        progress("log", 0, total_entries)
        last_seq = 0
        for i, e in enumerate(custody.entries(session), 1):
            if e.seq in wanted:
                seen_hash[e.seq] = e.entry_hash
            payload = custody.payload_of(e)
            for key, digest in (payload.get("rows") or {}).items():
                latest[key] = (digest, e.seq)
            _note_level(e, payload, levels)
            last_seq = e.seq
            rep.entries = i
            if i % 1000 == 0:
                progress("log", i, total_entries)
        for prob in custody.check_chain(custody.entries(session)):
            rep.problems.append(Problem(f"log entry #{prob.seq}", prob.reason))
        progress("log", rep.entries, total_entries)

        rep.checkpoints = len(checkpoints)
        for cp in checkpoints:
            where = f"checkpoint {cp.id} (entry #{cp.seq})"
            if pub is not None:
                why = check_signature(cp, pub)
                if why:
                    rep.problems.append(Problem(where, why))
            if cp.seq not in seen_hash:
                rep.problems.append(Problem(where, f"signed log entry #{cp.seq} is missing from the log"))
            elif seen_hash[cp.seq] != cp.head_hash:
                rep.problems.append(Problem(where, f"log entry #{cp.seq} differs from the signed head"))
        _check_mirror(checkpoints, mirror, rep)
        if checkpoints:
            rep.unsigned_entries = max(0, last_seq - max(cp.seq for cp in checkpoints))

        docs: list[_Orig] = []
        for kind, (model, _cols) in COVERED.items():
            row: Any
            for row in session.scalars(
                select(model).order_by(model.id).execution_options(yield_per=500)  # type: ignore[attr-defined]
            ):
                key = row_key(kind, row.id)
                label = _doc_label(row) if isinstance(row, Document) else f"{kind.replace('_', ' ')} {row.id}"
                if isinstance(row, Document):
                    docs.append(_Orig(label, row.sha256, row.size))
                    logged = levels.get(row.id)
                    if logged is not None and row.sensitivity != logged[0]:
                        rep.problems.append(Problem(label, (
                            f"sensitivity is {row.sensitivity!r} but log entry #{logged[1]} recorded "
                            f"{logged[0]!r}: changed without `bayyina documents classify`")))
                rec = latest.pop(key, None)
                if rec is None:
                    rep.problems.append(Problem(label, "database row not covered by any custody-log entry"))
                elif row_digest(row) != rec[0]:
                    rep.problems.append(
                        Problem(label, f"database row differs from what log entry #{rec[1]} recorded")
                    )
        for key, (_digest, seq) in latest.items():
            rep.problems.append(Problem(key.replace(":", " ").replace("_", " "),
                                        f"row recorded by log entry #{seq} is missing from the database"))
        session.rollback()

    rep.documents = len(docs)
    _check_originals(home, docs, rep, progress, workers)
    rep.seconds = time.perf_counter() - t0
    return rep


def _check_mirror(checkpoints: list[Checkpoint], mirror: list[MirroredCheckpoint], rep: VerifyReport) -> None:
    """Every line of the out-of-database copy must match a stored checkpoint."""
    by_sig = {cp.signature: cp for cp in checkpoints}
    for m in mirror:
        where = f"{MIRROR_NAME} line {m.line}"
        if m.seq < 0:
            rep.problems.append(Problem(where, "unreadable line"))
            continue
        cp = by_sig.get(m.signature)
        if cp is None:
            rep.problems.append(Problem(where, f"checkpoint of log entry #{m.seq} is missing from the database"))
        elif (cp.seq, cp.head_hash, cp.ts, cp.key_id) != (m.seq, m.head_hash, m.ts, m.key_id):
            rep.problems.append(Problem(where, f"differs from database checkpoint {cp.id}"))


@dataclass
class _Orig:
    label: str
    sha256: str
    size: int


def _check_originals(
    home: Home, docs: list[_Orig], rep: VerifyReport, progress: ProgressFn, workers: int | None
) -> None:
    by_sha: dict[str, list[_Orig]] = {}
    for d in docs:
        by_sha.setdefault(d.sha256, []).append(d)
    total = sum(ds[0].size for ds in by_sha.values())
    progress("originals", 0, total)

    def check(sha: str) -> tuple[str, str | None, int]:
        expected = by_sha[sha][0].size
        path = home.vault.path_for(sha)
        try:
            got, size = hash_file(path)
        except FileNotFoundError:
            return sha, f"original missing from the vault ({path})", expected
        except OSError as exc:
            return sha, f"original unreadable ({exc.strerror})", expected
        if got != sha:
            return sha, f"original altered: its SHA-256 is now {got[:16]}…, recorded {sha[:16]}…", size
        if size != expected:
            return sha, f"original size {size} differs from the recorded {expected}", size
        return sha, None, size

    done = 0
    with ThreadPoolExecutor(max_workers=workers or min(8, os.cpu_count() or 2)) as pool:
        for sha, why, size in pool.map(check, sorted(by_sha)):
            done += by_sha[sha][0].size
            rep.blobs += 1
            rep.bytes_hashed += size
            if why:
                for d in by_sha[sha]:
                    rep.problems.append(Problem(d.label, why))
            progress("originals", done, total)
