"""The ingest service: files, directories (recursive) and URLs into the vault.

Per input, in this order:

1. find the reader for its name (unsupported type → refused);
2. copy it into the vault's temp area while hashing (streamed);
3. if a document with that SHA-256 exists: report a duplicate (and run a
   missing extraction, so a batch cut short completes on rerun);
4. read it from the *staged copy* (refused → the copy is dropped);
5. move the blob(s) to their content address (atomic rename);
6. in ONE database transaction: the document row(s) and their custody
   entries (``ingested``, ``text-extracted``);
7. extraction in its own transaction (optional, never fatal).

A SIGKILL at any point leaves at worst an unreferenced blob or a temp file;
rerunning the batch completes it without duplicates. After a batch, a signed
checkpoint is made over the log head.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
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
from bayyina.vault.fetch import FetchError, fetch_as_warc, is_url, warc_name
from bayyina.vault.home import Home

__all__ = ["IngestReport", "Outcome", "expand_targets", "ingest", "iter_targets", "reextract_stored"]

log = logging.getLogger("bayyina.ingest")


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


def _stage_path(vault: Vault, path: Path) -> Staged:
    try:
        if path.is_dir():
            raise _Refused("is a directory")
        return vault.stage_file(path)
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
        """Ingest one file path or URL; never raises for bad input."""
        try:
            if is_url(target):
                return self._ingest_url(target)
            return self._ingest_path(Path(target))
        except _Refused as exc:
            return Outcome(target, "failed", str(exc))
        except ReadError as exc:
            return Outcome(target, "failed", str(exc))
        except FetchError as exc:
            return Outcome(target, "failed", str(exc))

    def _ingest_url(self, url: str) -> Outcome:
        data = fetch_as_warc(url)
        staged = self.home.vault.stage_bytes(data)
        return self._ingest_staged(url, staged, warc_name(url), self.source_url or url, reader_name=".warc.gz")

    def _ingest_path(self, path: Path) -> Outcome:
        reader_for(path.name)  # refuse unsupported types before copying anything
        staged = _stage_path(self.home.vault, path)
        return self._ingest_staged(str(path), staged, path.name, self.source_url, reader_name=path.name)

    def _ingest_staged(
        self, target: str, staged: Staged, name: str, source_url: str | None, reader_name: str
    ) -> Outcome:
        vault = self.home.vault
        with self.home.session() as session:
            existing = session.scalars(select(Document).where(Document.dedupe_key == staged.sha256)).first()
            if existing is not None:
                vault.discard(staged)
                return self._duplicate(session, target, existing)
            session.rollback()
            reader = reader_for(reader_name)
            result, children = read_staged(vault, staged, reader)
            vault.commit(staged)
            child_blobs = [vault.put_bytes(c.data) for c, _ in children]
            try:
                doc = _new_document(
                    staged_sha=staged.sha256, size=staged.size, dedupe_key=staged.sha256, result=result,
                    name=name, source_url=source_url, labels=self.labels, actor=self.actor,
                )
                doc.sensitivity = self.sensitivity
                session.add(doc)
                session.flush()
                _log_document(session, doc, self.actor, type(reader).__name__)
                kids: list[Document] = []
                for (child, cres), (csha, csize) in zip(children, child_blobs, strict=True):
                    kid = _new_document(
                        staged_sha=csha, size=csize, dedupe_key=f"{staged.sha256}/{child.offset}", result=cres,
                        name=child.url or f"{name}#{child.offset}", source_url=child.url or source_url,
                        labels=self.labels, actor=self.actor, parent_id=doc.id,
                    )
                    kid.sensitivity = self.sensitivity
                    session.add(kid)
                    session.flush()
                    _log_document(session, kid, self.actor, "HtmlReader")
                    kids.append(kid)
                session.commit()
            except IntegrityError:
                session.rollback()  # another process stored it meanwhile
                again = session.scalars(select(Document).where(Document.dedupe_key == staged.sha256)).one()
                return self._duplicate(session, target, again)
            incidents = None
            if self.extract:
                for d in [doc, *kids]:
                    n = extract_and_store(session, d, self.actor)
                    if n is not None:
                        incidents = (incidents or 0) + n
            return Outcome(
                target, "ingested", document_id=doc.id, media_type=doc.media_type,
                language=doc.language or (kids[0].language if kids else None), size=doc.size,
                sha256=doc.sha256, children=len(kids), incidents=incidents, needs_ocr=doc.needs_ocr,
            )

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
    targets: Sequence[str],
    *,
    labels: Sequence[str] = (),
    source_url: str | None = None,
    extract: bool = True,
    on_outcome: Callable[[Outcome], None] | None = None,
    sensitivity: str = "public",
) -> IngestReport:
    """Ingest every target (already expanded, see :func:`expand_targets`), then checkpoint."""
    ing = Ingestor(home, labels=labels, source_url=source_url, extract=extract, sensitivity=sensitivity)
    home.vault.clean_tmp()  # copies orphaned by a killed earlier run
    report = IngestReport()
    handler = _Collect()
    logging.getLogger("bayyina").addHandler(handler)
    try:
        for t in targets:
            outcome = ing.ingest_target(t)
            report.outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
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
