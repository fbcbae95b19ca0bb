"""The ``search_index`` table: one row per document, incident and actor.

Each row keeps a title, the record's normalised text (for snippets) and its
analysed text (:func:`bayyina.search.analyzer.analyse_norm`). The database
indexes the analysed text: FTS5 (``search_fts``, kept in step by triggers) on
SQLite, a generated ``tsv`` column with a GIN index on PostgreSQL (migration
``0004_search``). The same analyser output feeds both.

``index_document`` / ``index_incident`` / ``index_actor`` (re)index one
record when its text changed (a digest of the text is kept as ``stamp``);
``refresh`` indexes what is new or changed; ``reindex`` rebuilds everything.
Plain SQL is used (no ORM model), so the declarative metadata is untouched.

The index is kept fresh **at write time**: :func:`keep_fresh` (installed on
every session factory by ``bayyina.store.db.session_factory``) notes the
documents, incidents and actors each flush inserts, changes or deletes, and
indexes them just before the transaction commits, in that same transaction.
Ingest (serial, parallel, web upload), resolution, actor edits and
classification are covered without calling anything. Searches only read.
``refresh`` remains for stores written by older versions (``bayyina search refresh``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, event, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from bayyina.search.analyzer import analyse_norm
from bayyina.store.models import Document
from bayyina.store.models_actors import Actor
from bayyina.store.models_resolve import Incident
from bayyina.text.normalize import normalize

KINDS = ("document", "incident", "actor")


@dataclass
class IndexStats:
    """What a refresh or reindex did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0


def _stamp(title: str, body: str) -> str:
    return hashlib.sha256((title + "\x00" + body).encode("utf-8")).hexdigest()


def _strings(value: Any, skip: frozenset[str] = frozenset({"why", "reason", "reports", "sources"})) -> list[str]:
    """The string leaves of a JSON value (keys in ``skip`` left out)."""
    out: list[str] = []
    if isinstance(value, str):
        if value.strip():
            out.append(value.strip())
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in skip:
                out.extend(_strings(v, skip))
    elif isinstance(value, list):
        for v in value:
            out.extend(_strings(v, skip))
    return out


def document_record(doc: Document) -> tuple[str, str] | None:
    """(title, normalised text) of a document, or None when it is not searchable."""
    if doc.status != "active" or not (doc.norm_text or "").strip():
        return None
    return doc.original_filename or f"document {doc.id}", doc.norm_text


def incident_record(inc: Incident) -> tuple[str, str] | None:
    """(title, normalised text) of an active incident: its chosen values as text."""
    if not inc.active:
        return None
    parts = list(dict.fromkeys(_strings(inc.chosen or {})))
    body = normalize(" · ".join(parts)).text
    title = f"incident {inc.id}" + (f": {parts[0]}" if parts else "")
    return title, body


def actor_record(actor: Actor) -> tuple[str, str]:
    """(title, normalised text) of an actor: names, aliases, rank, nationality, notes."""
    names = [n for n in (actor.name_en, actor.name_ar) if n]
    parts = [*names, *(actor.aliases or []), actor.rank or "", actor.nationality or "", actor.notes or ""]
    body = normalize(" · ".join(p for p in parts if p)).text
    return " / ".join(names) or f"actor {actor.id}", body


def _put(session: Session, kind: str, ref_id: int, rec: tuple[str, str] | None,
         existing: dict[tuple[str, int], str] | None, stats: IndexStats) -> None:
    if existing is not None:
        old = existing.get((kind, ref_id))
    else:
        old = session.execute(text("SELECT stamp FROM search_index WHERE kind = :k AND ref_id = :r"),
                              {"k": kind, "r": ref_id}).scalar()
    if rec is None:
        if old is not None:
            session.execute(text("DELETE FROM search_index WHERE kind = :k AND ref_id = :r"), {"k": kind, "r": ref_id})
            stats.removed += 1
        return
    title, body = rec
    stamp = _stamp(title, body)
    if old == stamp:
        stats.unchanged += 1
        return
    row = {"k": kind, "r": ref_id, "t": title, "b": body, "a": analyse_norm(body), "s": stamp}
    if old is None:
        session.execute(text("INSERT INTO search_index (kind, ref_id, title, body, analysed, stamp) "
                             "VALUES (:k, :r, :t, :b, :a, :s)"), row)
        stats.added += 1
    else:
        session.execute(text("UPDATE search_index SET title = :t, body = :b, analysed = :a, stamp = :s "
                             "WHERE kind = :k AND ref_id = :r"), row)
        stats.updated += 1


def index_document(session: Session, doc: Document, stats: IndexStats | None = None) -> IndexStats:
    """(Re)index one document (removed from the index when withdrawn or empty)."""
    stats = stats or IndexStats()
    _put(session, "document", doc.id, document_record(doc), None, stats)
    return stats


def index_incident(session: Session, inc: Incident, stats: IndexStats | None = None) -> IndexStats:
    """(Re)index one incident (removed when superseded)."""
    stats = stats or IndexStats()
    _put(session, "incident", inc.id, incident_record(inc), None, stats)
    return stats


def index_actor(session: Session, actor: Actor, stats: IndexStats | None = None) -> IndexStats:
    """(Re)index one actor."""
    stats = stats or IndexStats()
    _put(session, "actor", actor.id, actor_record(actor), None, stats)
    return stats


def _existing(session: Session) -> dict[tuple[str, int], str]:
    rows = session.execute(text("SELECT kind, ref_id, stamp FROM search_index"))
    return {(str(k), int(r)): str(s) for k, r, s in rows}


def refresh(session: Session, kinds: Iterable[str] = KINDS) -> IndexStats:
    """Index new records and re-index changed ones; drop rows whose record is gone.

    Documents never change text once ingested, so only new ones (and status
    changes) are read in full; incidents and actors are compared by stamp.
    """
    stats = IndexStats()
    existing = _existing(session)
    kinds = set(kinds)
    if "document" in kinds:
        have = {r for k, r in existing if k == "document"}
        seen: set[int] = set()
        for doc_id, status in session.execute(select(Document.id, Document.status)):
            seen.add(doc_id)
            if doc_id in have and status == "active":
                stats.unchanged += 1
                continue
            doc = session.get(Document, doc_id)
            if doc is not None:
                _put(session, "document", doc_id, document_record(doc), existing, stats)
        _drop_missing(session, "document", have - seen, stats)
    if "incident" in kinds:
        have = {r for k, r in existing if k == "incident"}
        seen = set()
        for inc in session.scalars(select(Incident)):
            seen.add(inc.id)
            _put(session, "incident", inc.id, incident_record(inc), existing, stats)
        _drop_missing(session, "incident", have - seen, stats)
    if "actor" in kinds:
        have = {r for k, r in existing if k == "actor"}
        seen = set()
        for actor in session.scalars(select(Actor)):
            seen.add(actor.id)
            _put(session, "actor", actor.id, actor_record(actor), existing, stats)
        _drop_missing(session, "actor", have - seen, stats)
    return stats


def _drop_missing(session: Session, kind: str, ids: set[int], stats: IndexStats) -> None:
    for ref in ids:
        session.execute(text("DELETE FROM search_index WHERE kind = :k AND ref_id = :r"), {"k": kind, "r": ref})
        stats.removed += 1


def reindex(session: Session) -> IndexStats:
    """Rebuild the whole index from the documents, incidents and actors."""
    session.execute(text("DELETE FROM search_index"))
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    return refresh(session)


# --------------------------------------------------------------------------- indexing at write time

_PENDING = "bayyina.search.pending"  # session.info key: (kind, ref_id) -> record object, or None (deleted)
_HAS_TABLE: set[str] = set()  # engine URLs known to have ``search_index`` (migration 0004)

# what a change of these attributes means for the index (other columns, e.g. labels, never show in it)
_WATCHED: dict[type, tuple[str, frozenset[str]]] = {
    Document: ("document", frozenset({"status", "norm_text", "original_filename"})),
    Incident: ("incident", frozenset({"active", "chosen"})),
    Actor: ("actor", frozenset({"name_en", "name_ar", "aliases", "rank", "nationality", "notes"})),
}


def _changed(obj: object, names: frozenset[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[n].history.has_changes() for n in names if n in state.attrs)


def _note_flush(session: Session, _ctx: UOWTransaction) -> None:
    """After each flush: note the searchable rows it inserted, changed or deleted (ids are known now)."""
    pending: dict[tuple[str, int], object | None] | None = None
    for group, deleted in ((session.new, False), (session.dirty, False), (session.deleted, True)):
        for obj in group:
            watched = _WATCHED.get(type(obj))
            if watched is None:
                continue
            kind, names = watched
            if group is session.dirty and not _changed(obj, names):
                continue
            ref = getattr(obj, "id", None)
            if ref is None:
                continue
            if pending is None:
                pending = session.info.setdefault(_PENDING, {})
            pending[(kind, int(ref))] = None if deleted else obj


def _has_index(session: Session) -> bool:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    key = str(engine.url)
    if key not in _HAS_TABLE:  # only "yes" is remembered: a store may be migrated later
        if not inspect(session.connection()).has_table("search_index"):
            return False
        _HAS_TABLE.add(key)
    return True


def _index_pending(session: Session) -> None:
    """Before a commit: index what this transaction's flushes changed, in the same transaction."""
    session.flush()  # the last changes are noted too
    pending = session.info.pop(_PENDING, None)
    if not pending or not _has_index(session):
        return
    stats = IndexStats()
    existing = _stamps(session, list(pending))
    for (kind, ref), obj in pending.items():
        if obj is None:  # deleted
            _put(session, kind, ref, None, existing, stats)
            continue
        if not inspect(obj).persistent:  # its insert was rolled back (a savepoint)
            continue
        if isinstance(obj, Document):
            rec = document_record(obj)
        elif isinstance(obj, Incident):
            rec = incident_record(obj)
        else:
            assert isinstance(obj, Actor)
            rec = actor_record(obj)
        _put(session, kind, ref, rec, existing, stats)


def _stamps(session: Session, keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The stamps of these index rows that exist (one query per kind and 500 ids)."""
    found: dict[tuple[str, int], str] = {}
    q = text("SELECT ref_id, stamp FROM search_index WHERE kind = :k AND ref_id IN :ids").bindparams(
        bindparam("ids", expanding=True))
    for kind in sorted({k for k, _ in keys}):
        ids = [r for k, r in keys if k == kind]
        for i in range(0, len(ids), 500):
            for ref, stamp in session.execute(q, {"k": kind, "ids": ids[i:i + 500]}):
                found[(kind, int(ref))] = str(stamp)
    return found


def _forget(session: Session, transaction: Any) -> None:
    """A transaction ended (committed or rolled back): nothing stays pending."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def keep_fresh(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Have the sessions of ``factory`` index their changed documents, incidents and actors at commit."""
    if not event.contains(factory, "after_flush", _note_flush):
        event.listen(factory, "after_flush", _note_flush)
        event.listen(factory, "before_commit", _index_pending)
        event.listen(factory, "after_transaction_end", _forget)
    return factory


def stop_fresh(factory: sessionmaker[Session]) -> None:
    """Undo :func:`keep_fresh` (benchmarks compare ingest with and without it)."""
    if event.contains(factory, "after_flush", _note_flush):
        event.remove(factory, "after_flush", _note_flush)
        event.remove(factory, "before_commit", _index_pending)
        event.remove(factory, "after_transaction_end", _forget)
