"""The ingest service: files, directories (recursive) and URLs into the vault.

Per input, outside any transaction (:func:`bayyina.vault.parallel.prepare`,
the same code a Dask worker runs):

1. find the reader for its name (unsupported type → refused);
2. copy it into the vault's temp area while hashing (streamed);
3. if its blob is stored and a document with that SHA-256 exists: a
   duplicate (a missing extraction is run, so a batch cut short completes on
   rerun);
4. read it from the *staged copy* (refused → the copy is dropped);
5. normalise, detect the language, extract (never fatal).

Then, per batch of :data:`BATCH` files: the copies are fsynced and moved to
their content addresses (:meth:`Vault.commit_many`), and ONE database
transaction writes every file's document row(s), custody entries
(``ingested``, ``text-extracted``), extraction run and ``extracted`` entry
(the Dask client's writer, :class:`bayyina.vault.parallel._Writer`).

A SIGKILL at any point leaves whole batches plus at worst unreferenced
blobs or temp files; rerunning completes it without duplicates. After a
batch, a signed checkpoint is made over the log head.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.store.models import Document
from bayyina.store.sensitivity import check_level
from bayyina.text.language import detect_language
from bayyina.text.normalize import normalize
from bayyina.text.readers import ChildRecord, Reader, ReadError, ReadResult, reader_for, reader_for_media
from bayyina.vault import custody
from bayyina.vault.blobs import Staged, Vault
from bayyina.vault.canonical import now_utc, sha256_text
from bayyina.vault.checkpointing import checkpoint_now
from bayyina.vault.extraction import extract_and_store, has_run, reextract_stored
from bayyina.vault.fetch import fetch_as_warc, is_url, warc_name
from bayyina.vault.home import Home

if TYPE_CHECKING:
    from bayyina.vault.parallel import Prepared

__all__ = ["IngestReport", "Outcome", "expand_targets", "ingest", "iter_targets", "reextract_stored"]

log = logging.getLogger("bayyina.ingest")

BATCH = 20  # files per write transaction of a serial ingest
BATCH_AGE = 1.0  # seconds: a smaller batch is written when its first file waited this long


@dataclass
class Outcome:
    """The result for one input (file or URL)."""

    target: str
    status: str  # ingested | duplicate | failed
    reason: str = ""
    document_id: int | None = None
    media_type: str = ""
    language: str | None = None
    size: int = 0
    sha256: str = ""
    children: int = 0
    incidents: int | None = None
    needs_ocr: bool = False


@dataclass
class IngestReport:
    """Every outcome of a batch, plus the checkpoint made at its end."""

    outcomes: list[Outcome] = field(default_factory=list)
    checkpoint_seq: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        """Inputs that were refused."""
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed


def expand_targets(targets: Sequence[str], exclude: Sequence[Path] = ()) -> list[str]:
    """Files of directories (recursive, sorted, hidden entries skipped), files and URLs as given.

    Directories in ``exclude`` (the bayyina home) are never walked into.
    """
    return list(iter_targets(targets, exclude))


def iter_targets(targets: Sequence[str], exclude: Sequence[Path] = ()) -> Iterator[str]:
    """:func:`expand_targets` as a generator (same order), for batches too big to list."""
    skip = {p.resolve() for p in exclude}
    for t in targets:
        if is_url(t):
            yield t
            continue
        p = Path(t)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith(".") and (Path(root) / d).resolve() not in skip
                )
                yield from (str(Path(root) / f) for f in sorted(files) if not f.startswith("."))
        else:
            yield t


class _Refused(Exception):
    """An input was refused; ``str(exc)`` is the one-line reason."""


def _stage_path(vault: Vault, path: Path, *, sync: bool = True) -> Staged:
    try:
        if path.is_dir():
            raise _Refused("is a directory")
        return vault.stage_file(path, sync=sync)
    except FileNotFoundError as exc:
        raise _Refused("no such file (missing or vanished)") from exc
    except PermissionError as exc:
        raise _Refused("permission denied") from exc
    except IsADirectoryError as exc:
        raise _Refused("is a directory") from exc
    except OSError as exc:
        raise _Refused(f"cannot read ({exc.strerror or exc})") from exc


def _new_document(
    *,
    staged_sha: str,
    size: int,
    dedupe_key: str,
    result: ReadResult,
    name: str,
    source_url: str | None,
    labels: list[str],
    actor: str,
    parent_id: int | None = None,
    texts: tuple[str, str | None] | None = None,
) -> Document:
    """The row of a new document; ``texts`` = (norm_text, language) when already computed (parallel ingest)."""
    if texts is None:
        norm = normalize(result.raw_text).text if result.raw_text else ""
        language = detect_language(norm) if norm else None
    else:
        norm, language = texts
    return Document(
        dedupe_key=dedupe_key,
        sha256=staged_sha,
        size=size,
        media_type=result.media_type,
        original_filename=name,
        source_url=source_url,
        labels=sorted(set(labels)),
        ingested_at=now_utc(),
        ingested_by=actor,
        language=language,
        encoding=result.encoding,
        needs_ocr=result.needs_ocr,
        parent_id=parent_id,
        raw_text=result.raw_text,
        norm_text=norm,
        status="active",
    )


def _log_document(session: Session, doc: Document, actor: str, reader: str) -> None:
    subject = f"document:{doc.id}"
    custody.append(
        session,
        actor=actor,
        action="ingested",
        subject=subject,
        payload={
            "sha256": doc.sha256,
            "size": doc.size,
            "media_type": doc.media_type,
            "original_filename": doc.original_filename,
            "source_url": doc.source_url,
            "labels": doc.labels,
            "parent_id": doc.parent_id,
            **({"sensitivity": doc.sensitivity} if doc.sensitivity not in (None, "public") else {}),
        },
        rows=[doc],
    )
    custody.append(
        session,
        actor=actor,
        action="text-extracted",
        subject=subject,
        payload={
            "reader": reader,
            "encoding": doc.encoding,
            "language": doc.language,
            "needs_ocr": doc.needs_ocr,
            "raw_text_sha256": sha256_text(doc.raw_text),
            "norm_text_sha256": sha256_text(doc.norm_text),
        },
        rows=[doc],
    )


def read_staged(vault: Vault, staged: Staged, reader: Reader) -> tuple[ReadResult, list[tuple[ChildRecord, ReadResult]]]:
    """Read a staged original and its child records (WARC pages); on any failure the
    staged copy is discarded and a :class:`ReadError` names the problem (a reader bug
    must not kill the batch)."""
    try:
        result = reader.read(staged.path)
    except ReadError:
        vault.discard(staged)
        raise
    except Exception as exc:
        vault.discard(staged)
        raise ReadError(f"cannot read ({exc.__class__.__name__}: {exc})") from exc
    return result, [(c, _read_child(c)) for c in result.children]


def _read_child(child: ChildRecord) -> ReadResult:
    try:
        return reader_for_media(child.media_type).read_bytes(child.data)
    except ReadError as exc:
        log.warning("WARC record %s kept without text: %s", child.url, exc)
        return ReadResult(media_type=child.media_type, raw_text="")


class Ingestor:
    """Ingests inputs one by one into an opened home."""

    def __init__(
        self,
        home: Home,
        *,
        labels: Sequence[str] = (),
        source_url: str | None = None,
        extract: bool = True,
        sensitivity: str = "public",
    ) -> None:
        self.home = home
        self.labels = list(labels)
        self.sensitivity = check_level(sensitivity)  # of new documents (duplicates keep theirs)
        self.source_url = source_url
        self.extract = extract
        self.actor = home.settings.user

    def ingest_target(self, target: str) -> Outcome:
        """Ingest one file path or URL in its own transaction; never raises for bad input."""
        from bayyina.vault.parallel import _Writer

        return _Writer(self.home, self).write([self.prepare(0, target)])[0]

    def prepare(self, index: int, target: str) -> Prepared:
        """Stage, read and extract one file or URL in this process (what a Dask worker does).

        A blob already in the vault whose document row is missing (left by a
        killed run) is prepared again in full.
        """
        p = self._prepare(index, target, skip_known=True)
        if p.status == "known" and not self.stored(p.sha256):
            p = self._prepare(index, target, skip_known=False)
        return p

    def _prepare(self, index: int, target: str, *, skip_known: bool, defer: list[Staged] | None = None) -> Prepared:
        from bayyina.vault.parallel import guarded, prepare, prepare_staged

        vault = self.home.vault
        if not is_url(target):
            return prepare(index, target, target, str(vault.root), extract=self.extract, skip_known=skip_known,
                           defer=defer)

        def fetched(warnings: list[str]) -> Prepared:
            staged = vault.stage_bytes(fetch_as_warc(target), sync=defer is None)
            p = prepare_staged(index, target, staged, warc_name(target), reader_for(".warc.gz"), vault,
                               extract=self.extract, skip_known=skip_known, warnings=warnings, defer=defer)
            p.source_url = self.source_url or target
            return p

        return guarded(index, target, fetched)

    def stored(self, sha256: str) -> bool:
        """Whether a document with these bytes is in the store."""
        with self.home.session() as s:
            return s.scalar(select(Document.id).where(Document.dedupe_key == sha256).limit(1)) is not None

    def _add_labels(self, session: Session, doc: Document) -> None:
        """Give an already stored document the batch's new labels (a logged change)."""
        new = sorted(set(doc.labels or []) | set(self.labels))
        if new == sorted(doc.labels or []):
            return
        session.rollback()
        try:
            fresh = session.get(Document, doc.id, with_for_update=True)
            assert fresh is not None
            added = sorted(set(new) - set(fresh.labels or []))
            fresh.labels = new
            session.flush()
            custody.append(
                session, actor=self.actor, action="labelled", subject=f"document:{doc.id}",
                payload={"added": added}, rows=[fresh],
            )
            session.commit()
        except BaseException:
            session.rollback()
            raise

    def _duplicate(self, session: Session, target: str, doc: Document) -> Outcome:
        incidents = None
        if self.labels:
            self._add_labels(session, doc)
        if self.extract:  # complete a batch that was cut short between commit and extraction
            family = [doc, *session.scalars(select(Document).where(Document.parent_id == doc.id))]
            session.rollback()
            for d in family:
                if d.norm_text.strip() and not has_run(session, d.id):
                    session.rollback()
                    n = extract_and_store(session, d, self.actor)
                    if n is not None:
                        incidents = (incidents or 0) + n
        return Outcome(
            target, "duplicate", reason=f"already ingested as document {doc.id}", document_id=doc.id,
            media_type=doc.media_type, language=doc.language, size=doc.size, sha256=doc.sha256,
            incidents=incidents, needs_ocr=doc.needs_ocr,
        )

    def checkpoint(self) -> int | None:
        """Sign the log head; returns the seq it covers."""
        cp = checkpoint_now(self.home)
        return cp.seq if cp else None


def ingest(
    home: Home,
    targets: Iterable[str],
    *,
    labels: Sequence[str] = (),
    source_url: str | None = None,
    extract: bool = True,
    on_outcome: Callable[[Outcome], None] | None = None,
    sensitivity: str = "public",
    batch: int = BATCH,
) -> IngestReport:
    """Ingest every target (see :func:`expand_targets`) in this process, then checkpoint.

    Each file is prepared (staged, read, extracted) outside any transaction,
    then up to ``batch`` prepared files are written in one transaction (a
    smaller batch once its first file has waited :data:`BATCH_AGE` seconds):
    the parallel path's writer, so the store is the same either way.
    ``on_outcome`` is called, in input order, once a file's batch committed.
    """
    from bayyina.vault.parallel import _Writer

    ing = Ingestor(home, labels=labels, source_url=source_url, extract=extract, sensitivity=sensitivity)
    writer = _Writer(home, ing)
    home.vault.clean_tmp()  # copies orphaned by a killed earlier run
    report = IngestReport()
    handler = _Collect()
    logging.getLogger("bayyina").addHandler(handler)
    pending: list[Prepared] = []
    shas: set[str] = set()
    blobs: list[Staged] = []  # the batch's copies, moved into the vault (fsynced) just before it is written
    started = 0.0

    def flush() -> None:
        if not pending:
            return
        home.vault.commit_many(blobs)
        blobs.clear()
        outcomes = writer.write(pending)
        pending.clear()
        shas.clear()
        for o in outcomes:
            report.outcomes.append(o)
            if on_outcome:
                on_outcome(o)

    try:
        for i, t in enumerate(targets):
            mine: list[Staged] = []
            p = ing._prepare(i, t, skip_known=True, defer=mine)
            if p.status == "known" and p.sha256 not in shas and not ing.stored(p.sha256):
                p = ing._prepare(i, t, skip_known=False, defer=mine)  # blob of a killed run, row missing: in full
            if p.status == "ready":
                blobs.extend(mine)
            else:
                for st in mine:  # a file that failed after staging: nothing of it is kept
                    home.vault.discard(st)
            if not pending:
                started = time.monotonic()
            pending.append(p)
            if p.sha256:
                shas.add(p.sha256)
            if len(pending) >= batch or time.monotonic() - started > BATCH_AGE:
                flush()
        flush()
        report.checkpoint_seq = ing.checkpoint()
    finally:
        logging.getLogger("bayyina").removeHandler(handler)
    report.warnings = list(dict.fromkeys(handler.messages))
    return report


class _Collect(logging.Handler):
    """Collects warnings raised during a batch (shown once each by the CLI)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
