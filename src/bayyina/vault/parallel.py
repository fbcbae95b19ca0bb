"""Parallel ingest on Dask: workers do the pure work, the client writes the store.

``bayyina ingest DIR --workers N`` starts a ``dask.distributed.LocalCluster``
(N worker processes, one thread each); ``--scheduler tcp://HOST:PORT`` uses a
running cluster instead. Per file, a worker (:func:`prepare`):

1. refuses unsupported types (by name) before copying anything;
2. copies the file into the vault's temp area while hashing it (streamed);
3. if the blob is already in the vault, stops there and answers "known"
   (a rerun of a batch skips the expensive steps for what is stored);
4. reads the *staged copy* (reader → raw text; WARC pages read too);
5. moves the blob(s) to their content address (atomic rename; writing the
   same bytes twice is harmless: content addressing makes it idempotent);
6. normalises, detects the language and runs the incident extractor;

and returns a small :class:`Prepared` (texts, metadata, extraction result).
Workers write blobs straight into the vault, so the vault (and the inputs)
must be at the same path on every worker: always true for a LocalCluster;
checked at start for an external cluster (:func:`check_workers`).

The client (:func:`ingest_parallel`) keeps a bounded number of tasks in
flight (``window``), takes results as they complete, and writes them **in
input order** in batched transactions: for every file of a batch the
document row(s), their custody entries (``ingested``, ``text-extracted``) and
the extraction run with its incidents (``extracted``) commit together or not
at all. The store therefore ends up exactly as after a serial ingest of the
same files (same ids, same log entries in the same order, timestamps aside).
A batch that hits a unique-key conflict (another process stored the same
file meanwhile) is redone file by file. Memory stays flat: targets are
walked lazily, at most ``window`` results are held, and outcomes are kept
only when asked.

Killed at any point, the store holds whole batches only; blobs written for
an uncommitted batch are harmless (``verify`` checks documents against
blobs) and the rerun stores the missing files ("known" blob, no row → the
file is prepared again in full). URLs are fetched by the client, serially.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bayyina.store.models import Document
from bayyina.text.language import detect_language
from bayyina.text.normalize import normalize
from bayyina.text.readers import Reader, ReadError, ReadResult, reader_for
from bayyina.vault.blobs import Staged, Vault
from bayyina.vault.extraction import store_run
from bayyina.vault.fetch import FetchError, is_url
from bayyina.vault.home import Home
from bayyina.vault.ingest import (
    Ingestor,
    Outcome,
    _Collect,
    _log_document,
    _new_document,
    _Refused,
    read_staged,
)
from bayyina.vault.ingest import _stage_path as stage_path

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["ParallelError", "ParallelReport", "Prepared", "check_workers", "dask_client", "ingest_parallel",
           "prepare", "prepare_many"]

log = logging.getLogger("bayyina.parallel")

# LocalCluster settings. No statistical profiling on the workers (see dask_client). Tasks go to the workers
# as soon as they are submitted (no queue on the scheduler: the window already bounds them), so a worker
# that finishes a task starts the next one without a round trip to a scheduler that shares the client's GIL.
LEAN = {"distributed.worker.profile.enabled": False, "distributed.admin.system-monitor.log-length": 120,
        "distributed.scheduler.worker-saturation": "inf", "distributed.admin.low-level-log-length": 50}
# Client and scheduler keep their last `low-level-log-length` message batches and transitions for debugging
# (1,000 by default: tens of MB of pickled task messages in a long batch); 50 is plenty.
CLIENT_LEAN = {"distributed.admin.low-level-log-length": 50}
TRIM_EVERY = 20  # batches between two trims of the scheduler's span metadata (see _trim_spans)

BATCH = 50  # files per write transaction
CHUNK = 4  # files per Dask task
BATCH_AGE = 1.0  # seconds: a smaller batch is written when its first file waited this long
MAX_WARNINGS = 200


class ParallelError(Exception):
    """The cluster cannot be used (unreachable scheduler, no workers, vault not visible)."""


# --------------------------------------------------------------------------- worker side


@dataclass
class PreparedDoc:
    """One document as a worker prepared it (the original, or one page of a WARC)."""

    sha256: str
    size: int
    name: str
    result: ReadResult  # children emptied: they come as their own PreparedDoc
    norm_text: str
    language: str | None
    reader: str
    extraction: dict[str, Any] | None = None
    offset: int | None = None  # WARC record offset (children)
    url: str = ""  # WARC record URL (children)


@dataclass
class Prepared:
    """A worker's answer for one input: ``ready`` (read and extracted), ``known`` (blob stored already) or ``failed``."""

    index: int
    target: str
    status: str
    reason: str = ""
    sha256: str = ""
    size: int = 0
    main: PreparedDoc | None = None
    children: list[PreparedDoc] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_url: str | None = None  # overrides the batch's --source-url (a fetched URL)


def _extract(norm: str, name: str, language: str | None) -> dict[str, Any] | None:
    """The extractor's result, or None with a warning (as :func:`bayyina.vault.extraction.call_extractor`)."""
    if not norm.strip():
        return None
    try:
        from bayyina.extract.api import extract_document

        result = extract_document(norm, source=os.path.basename(name), language=language)
    except ImportError as exc:
        log.warning("extraction unavailable, documents stored without incidents: %s", exc)
        return None
    except Exception as exc:  # noqa: BLE001 - an extractor bug must not stop ingest
        log.warning("extraction skipped for %s: %s: %s", name, exc.__class__.__name__, exc)
        return None
    if not isinstance(result, dict):
        log.warning("extraction skipped for %s: extractor returned %s", name, type(result).__name__)
        return None
    return result


def _doc(sha: str, size: int, name: str, result: ReadResult, reader: str, extract: bool) -> PreparedDoc:
    norm = normalize(result.raw_text).text if result.raw_text else ""
    language = detect_language(norm) if norm else None
    bare = ReadResult(media_type=result.media_type, raw_text=result.raw_text, encoding=result.encoding,
                      needs_ocr=result.needs_ocr)
    return PreparedDoc(sha, size, name, bare, norm, language, reader,
                       _extract(norm, name, language) if extract else None)


def prepare(index: int, target: str, path: str, vault_root: str, *, extract: bool = True,
            skip_known: bool = True, defer: list[Staged] | None = None) -> Prepared:
    """Stage, hash, read, store the blob(s), normalise and extract one file (runs on a worker,
    or in the serial ingest's own process).

    ``path`` is the path of ``target`` (absolute when sent to a worker). Never
    raises for bad input: a refused file comes back as ``status="failed"``
    with the one-line reason. ``defer``: see :func:`prepare_staged`.
    """

    def work(warnings: list[str]) -> Prepared:
        p = Path(path)
        reader = reader_for(p.name)  # refuse unsupported types before copying anything
        vault = Vault(Path(vault_root))
        staged = stage_path(vault, p, sync=defer is None)
        return prepare_staged(index, target, staged, p.name, reader, vault, extract=extract, skip_known=skip_known,
                              warnings=warnings, defer=defer)

    return guarded(index, target, work)


def guarded(index: int, target: str, work: Callable[[list[str]], Prepared]) -> Prepared:
    """Run ``work`` (given the list the warnings it logs are collected into); any failure
    becomes a ``failed`` :class:`Prepared` with a one-line reason."""
    handler = _Collect()
    logging.getLogger("bayyina").addHandler(handler)
    try:
        return work(handler.messages)
    except (_Refused, ReadError, FetchError) as exc:
        return Prepared(index, target, "failed", str(exc), warnings=handler.messages)
    except Exception as exc:  # noqa: BLE001 - one file's bug must not stop the batch
        return Prepared(index, target, "failed", f"cannot ingest ({exc.__class__.__name__}: {exc})",
                        warnings=handler.messages)
    finally:
        logging.getLogger("bayyina").removeHandler(handler)


def prepare_staged(index: int, target: str, staged: Staged, name: str, reader: Reader, vault: Vault, *,
                   extract: bool = True, skip_known: bool = True, warnings: list[str] | None = None,
                   defer: list[Staged] | None = None) -> Prepared:
    """:func:`prepare` from an already staged copy (a fetched URL's WARC); the copy is consumed.

    Without ``defer`` the blob(s) are moved into the vault here (fsynced).
    With it (the serial ingest), the copies, staged without fsync, are
    appended to ``defer`` instead: the caller moves a whole batch with
    :meth:`Vault.commit_many` before the transaction that records it.
    Raises :class:`ReadError` when the reader refuses it (the copy is then discarded).
    """
    warnings = [] if warnings is None else warnings
    if skip_known and vault.exists(staged.sha256):
        vault.discard(staged)
        return Prepared(index, target, "known", sha256=staged.sha256, size=staged.size)
    result, children = read_staged(vault, staged, reader)
    if defer is None:
        vault.commit(staged)
    else:
        defer.append(staged)
    kids: list[PreparedDoc] = []
    for child, cres in children:
        if defer is None:
            csha, csize = vault.put_bytes(child.data)
        else:
            cst = vault.stage_bytes(child.data, sync=False)
            defer.append(cst)
            csha, csize = cst.sha256, cst.size
        kid = _doc(csha, csize, child.url or f"{name}#{child.offset}", cres, "HtmlReader", extract)
        kid.offset, kid.url = child.offset, child.url
        kids.append(kid)
    main = _doc(staged.sha256, staged.size, name, result, type(reader).__name__, extract)
    return Prepared(index, target, "ready", sha256=staged.sha256, size=staged.size, main=main, children=kids,
                    warnings=warnings)


def prepare_many(files: list[tuple[int, str, str]], vault_root: str, *, extract: bool = True,
                 skip_known: bool = True) -> list[Prepared]:
    """:func:`prepare` for several files (one Dask task): ``files`` = (index, target, absolute path)."""
    return [prepare(i, t, p, vault_root, extract=extract, skip_known=skip_known) for i, t, p in files]


def _trim_spans(dask_scheduler: Any) -> int:
    """Run on the scheduler: drop the repeated entries of its spans' collection metadata; how many.

    Dask's spans extension appends the submission's metadata (``{"type":
    "Future"}``) to the running default span on every ``client.submit`` and
    never drops it, so a batch of a million tasks leaves a million small dicts
    on the scheduler (the client's process, for a LocalCluster). Keeping one of
    each distinct entry loses nothing.
    """
    spans = getattr(dask_scheduler, "extensions", {}).get("spans")
    dropped = 0
    for span in list(getattr(spans, "spans", {}).values()):
        meta = getattr(span, "_metadata", None)
        coll = meta.get("collections") if isinstance(meta, dict) else None
        if isinstance(coll, list) and len(coll) > 1:
            uniq: list[Any] = []
            for c in coll:
                if c not in uniq:
                    uniq.append(c)
            dropped += len(coll) - len(uniq)
            coll[:] = uniq
    return dropped


def trim_spans(client: Client) -> int:
    """:func:`_trim_spans` on the client's scheduler (0 when that fails: it is housekeeping only)."""
    try:
        return int(client.run_on_scheduler(_trim_spans))
    except Exception as exc:  # noqa: BLE001 - never fatal
        log.debug("could not trim the scheduler's span metadata: %s", exc)
        return 0


def _probe(vault_root: str) -> str:
    """Run on each worker: "" when the vault is visible and bayyina importable, else the problem."""
    root = Path(vault_root)
    if not (root / "sha256").is_dir():
        return f"the vault {root} is not visible on this worker (vault and inputs must be on a shared path)"
    if not os.access(root, os.W_OK):
        return f"the vault {root} is not writable on this worker"
    return ""


# --------------------------------------------------------------------------- the cluster


@contextmanager
def dask_client(workers: int = 2, scheduler: str | None = None, *, timeout: float = 30.0) -> Iterator[Client]:
    """A client of a new LocalCluster (``workers`` processes) or of the scheduler at ``scheduler``."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a dependency of bayyina
        raise ParallelError(f"dask.distributed is not installed ({exc})") from exc
    if scheduler:
        try:
            with dask.config.set(CLIENT_LEAN):
                client = Client(scheduler, timeout=timeout)
        except ValueError as exc:  # e.g. no port
            raise ParallelError(f"bad Dask scheduler address {scheduler!r} ({exc}); "
                                "expected tcp://HOST:PORT") from exc
        except (OSError, TimeoutError) as exc:
            raise ParallelError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        try:
            try:
                client.wait_for_workers(1, timeout=timeout)
            except TimeoutError as exc:
                raise ParallelError(f"the Dask scheduler at {scheduler} has no workers "
                                    f"(start some with `dask worker {scheduler}`)") from exc
            yield client
        finally:
            client.close()
        return
    # The scheduler's HTTP server (dashboard, if bokeh is installed) on a free port of the loopback only.
    # No statistical profiling on the workers: its history (one tree a second, 1,000 kept) made their
    # memory grow for the first ~17 minutes of a batch. The nannies pass this config on to the workers.
    with dask.config.set(LEAN):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
    try:
        with dask.config.set(CLIENT_LEAN):
            client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def check_workers(client: Client, vault: Vault) -> int:
    """Raise :class:`ParallelError` unless every worker sees the vault; the number of worker threads."""
    try:
        answers = client.run(_probe, str(vault.root.resolve()))
    except Exception as exc:
        raise ParallelError(f"the Dask workers cannot run bayyina: {exc.__class__.__name__}: {exc}") from exc
    bad = {w: msg for w, msg in answers.items() if msg}
    if bad:
        raise ParallelError("; ".join(f"worker {w}: {m}" for w, m in sorted(bad.items())))
    return max(1, sum(client.nthreads().values()))


# --------------------------------------------------------------------------- client side


@dataclass
class ParallelReport:
    """Counts of a parallel batch, its refused inputs, and (when kept) every outcome."""

    ingested: int = 0
    duplicates: int = 0
    failed: list[Outcome] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    checkpoint_seq: int | None = None
    warnings: list[str] = field(default_factory=list)
    workers: int = 0
    batches: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed


class _Writer:
    """Writes prepared files to the store, in batched transactions."""

    def __init__(self, home: Home, ing: Ingestor) -> None:
        self.home = home
        self.ing = ing

    def write(self, items: list[Prepared]) -> list[Outcome]:
        """Write a batch in one transaction (file by file when it conflicts with another writer)."""
        dups: list[tuple[int, Document]] = []
        with self.home.session() as session:
            try:
                known = self._known(session, items)
                outcomes = [self._one(session, p, dups, i, known) for i, p in enumerate(items)]
                session.commit()
            except (IntegrityError, OperationalError) as exc:
                session.rollback()
                if isinstance(exc, OperationalError) and not _is_conflict(exc):
                    raise
                outcomes, dups = self._one_by_one(session, items)
            for i, doc in dups:
                session.rollback()
                outcomes[i] = self.ing._duplicate(session, items[i].target, doc)
        return outcomes

    def _one_by_one(self, session: Session, items: list[Prepared]) -> tuple[list[Outcome], list[tuple[int, Document]]]:
        outcomes: list[Outcome] = []
        dups: list[tuple[int, Document]] = []
        for i, p in enumerate(items):
            for attempt in range(3):
                mark = len(dups)
                try:
                    o = self._one(session, p, dups, i)
                    session.commit()
                    break
                except (IntegrityError, OperationalError) as exc:
                    session.rollback()
                    del dups[mark:]
                    if isinstance(exc, OperationalError) and not _is_conflict(exc) or attempt == 2:
                        raise
            outcomes.append(o)
        return outcomes, dups

    @staticmethod
    def _known(session: Session, items: list[Prepared]) -> dict[str, Document]:
        """The stored documents of a batch's files, by SHA-256 (one query for the batch)."""
        shas = sorted({p.sha256 for p in items if p.status != "failed" and p.sha256})
        if not shas:
            return {}
        return {d.dedupe_key: d for d in session.scalars(select(Document).where(Document.dedupe_key.in_(shas)))}

    def _one(self, session: Session, p: Prepared, dups: list[tuple[int, Document]], i: int,
             known: dict[str, Document] | None = None) -> Outcome:
        """Add one file's rows and log entries to the open transaction (or note a duplicate).

        ``known``: the batch's stored documents by SHA-256 (:meth:`_known`), completed here
        with the ones this transaction adds; without it, the file is looked up on its own.
        """
        if p.status == "failed":
            return Outcome(p.target, "failed", p.reason)
        if known is None:
            existing = session.scalars(select(Document).where(Document.dedupe_key == p.sha256)).first()
        else:
            existing = known.get(p.sha256)
        if existing is None and p.main is None:  # "known" blob, no row: the drain resubmits these
            return Outcome(p.target, "failed", "stored blob without a document row; run the batch again")
        if existing is not None or p.main is None:
            assert existing is not None
            dups.append((i, existing))
            return Outcome(p.target, "duplicate")  # replaced after the commit
        ing, m = self.ing, p.main
        source_url = p.source_url or ing.source_url
        doc = _new_document(staged_sha=m.sha256, size=m.size, dedupe_key=p.sha256, result=m.result, name=m.name,
                            source_url=source_url, labels=ing.labels, actor=ing.actor,
                            texts=(m.norm_text, m.language))
        doc.sensitivity = ing.sensitivity
        session.add(doc)
        session.flush()
        if known is not None:
            known[p.sha256] = doc  # the same bytes again later in this batch: a duplicate
        _log_document(session, doc, ing.actor, m.reader)
        kids: list[Document] = []
        for k in p.children:
            kid = _new_document(staged_sha=k.sha256, size=k.size, dedupe_key=f"{p.sha256}/{k.offset}",
                                result=k.result, name=k.name, source_url=k.url or source_url,
                                labels=ing.labels, actor=ing.actor, parent_id=doc.id,
                                texts=(k.norm_text, k.language))
            kid.sensitivity = ing.sensitivity
            session.add(kid)
            session.flush()
            _log_document(session, kid, ing.actor, k.reader)
            kids.append(kid)
        incidents = None
        if ing.extract:
            for d, prep in zip([doc, *kids], [m, *p.children], strict=True):
                if prep.extraction is None or not d.norm_text.strip():
                    continue
                store_run(session, d, prep.extraction, ing.actor)
                n = prep.extraction.get("incidents")
                incidents = (incidents or 0) + (len(n) if isinstance(n, list) else 0)
        return Outcome(
            p.target, "ingested", document_id=doc.id, media_type=doc.media_type,
            language=doc.language or (kids[0].language if kids else None), size=doc.size,
            sha256=doc.sha256, children=len(kids), incidents=incidents, needs_ocr=doc.needs_ocr,
        )


def _is_conflict(exc: OperationalError) -> bool:
    """A deadlock or serialisation failure (PostgreSQL): the transaction can be retried."""
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in ("40001", "40P01")


def _task_failure(index: int, target: str, res: Any) -> Prepared:
    """A task that raised, was cancelled or lost its worker: that one file is refused."""
    exc = res[1] if isinstance(res, tuple) and len(res) == 3 else res
    what = f"{exc.__class__.__name__}: {exc}" if isinstance(exc, BaseException) else repr(exc)
    return Prepared(index, target, "failed", f"worker error ({what})")


@dataclass
class _Url:
    target: str


def ingest_parallel(
    home: Home,
    targets: Iterable[str],
    client: Client,
    *,
    labels: Iterable[str] = (),
    source_url: str | None = None,
    extract: bool = True,
    on_outcome: Callable[[Outcome], None] | None = None,
    keep_outcomes: bool = True,
    sensitivity: str = "public",
    window: int | None = None,
    batch: int = BATCH,
    chunk: int = CHUNK,
) -> ParallelReport:
    """Ingest ``targets`` (see :func:`bayyina.vault.ingest.iter_targets`) on ``client``'s workers, then checkpoint.

    At most ``window`` files (default: a batch plus 32 per worker thread) are
    in flight or waiting to be written; each Dask task prepares up to
    ``chunk`` consecutive files (fewer tasks: less scheduler work per file). Outcomes are passed to
    ``on_outcome`` once their batch is committed, in input order.
    """
    ing = Ingestor(home, labels=list(labels), source_url=source_url, extract=extract, sensitivity=sensitivity)
    writer = _Writer(home, ing)
    home.vault.clean_tmp()
    threads = check_workers(client, home.vault)
    window = window or batch + 32 * threads  # workers keep busy while the client writes a batch
    vault_root = str(home.vault.root.resolve())
    report = ParallelReport(workers=threads)
    seen_warnings: dict[str, None] = {}
    handler = _Collect()
    logging.getLogger("bayyina").addHandler(handler)

    from distributed import as_completed

    it = enumerate(targets)
    futures: dict[Any, list[tuple[int, str]]] = {}
    inflight = 0  # files in submitted tasks
    ready: dict[int, Prepared | _Url] = {}
    pending: list[Prepared] = []
    pending_shas: set[str] = set()
    started = 0.0
    next_write = 0
    exhausted = False
    ac = as_completed(with_results=True, raise_errors=False)  # results fetched by the client's event loop

    def submit(files: list[tuple[int, str]], skip_known: bool) -> None:
        nonlocal inflight
        fut = client.submit(prepare_many, [(i, t, os.path.abspath(t)) for i, t in files], vault_root,
                            extract=extract, skip_known=skip_known, pure=False,
                            key=f"bayyina-prepare-{uuid.uuid4().hex}")
        futures[fut] = files
        inflight += len(files)
        ac.add(fut)

    def fill() -> None:
        nonlocal exhausted
        files: list[tuple[int, str]] = []
        while not exhausted and inflight + len(ready) + len(files) < window:
            nxt = next(it, None)
            if nxt is None:
                exhausted = True
                break
            idx, target = nxt
            if is_url(target):
                ready[idx] = _Url(target)
                continue
            files.append((idx, target))
            if len(files) == chunk:
                submit(files, True)
                files = []
        if files:
            submit(files, True)

    def emit(o: Outcome) -> None:
        if o.status == "ingested":
            report.ingested += 1
        elif o.status == "duplicate":
            report.duplicates += 1
        else:
            report.failed.append(o)
        if keep_outcomes:
            report.outcomes.append(o)
        if on_outcome:
            on_outcome(o)

    def flush() -> None:
        nonlocal started
        if not pending:
            return
        outcomes = writer.write(pending)
        report.batches += 1
        if report.batches % TRIM_EVERY == 0:
            trim_spans(client)
        pending.clear()
        pending_shas.clear()
        for o in outcomes:
            emit(o)

    def stored(sha: str) -> bool:
        with home.session() as s:
            return s.scalar(select(Document.id).where(Document.dedupe_key == sha).limit(1)) is not None

    def drain() -> None:
        nonlocal next_write, started
        while next_write in ready:
            item = ready[next_write]
            if isinstance(item, _Url):
                flush()
                emit(ing.ingest_target(item.target))
            else:
                for w in item.warnings:
                    if len(seen_warnings) < MAX_WARNINGS:
                        seen_warnings.setdefault(w, None)
                if item.status == "known" and item.sha256 not in pending_shas and not stored(item.sha256):
                    del ready[next_write]  # blob stored by an interrupted run, row missing: prepare in full
                    submit([(next_write, item.target)], False)
                    return
                if not pending:
                    started = time.monotonic()
                pending.append(item)
                if item.sha256:
                    pending_shas.add(item.sha256)
            del ready[next_write]
            next_write += 1
            if len(pending) >= batch or time.monotonic() - started > BATCH_AGE:
                flush()

    try:
        fill()
        drain()
        while futures or ready:
            if futures:
                for fut, res in ac.next_batch(block=True):
                    files = futures.pop(fut)
                    inflight -= len(files)
                    fut.release()
                    if isinstance(res, list) and len(res) == len(files):
                        ready.update((p.index, p) for p in res)
                    elif len(files) > 1:  # a worker died or the task failed: retry its files one by one
                        for f in files:
                            submit([f], True)
                    else:
                        ready[files[0][0]] = _task_failure(*files[0], res)
            drain()
            fill()
            drain()
            if not futures and ready and next_write not in ready:  # pragma: no cover - defensive
                raise RuntimeError(f"parallel ingest lost track of input #{next_write}")
        flush()
        report.checkpoint_seq = ing.checkpoint()
    finally:
        logging.getLogger("bayyina").removeHandler(handler)
        for fut in list(futures):
            fut.cancel()
    for w in handler.messages:
        if len(seen_warnings) < MAX_WARNINGS:
            seen_warnings.setdefault(w, None)
    report.warnings = list(seen_warnings)
    return report
