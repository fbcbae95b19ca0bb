"""The actor register: people, units and organisations, their relations in time, and name search.

Service layer used by the CLI (and later the web app). Every function takes
an open SQLAlchemy session; writing functions take ``who`` (the acting user)
and ``why`` and record each change with :func:`bayyina.store.changes.record`,
which also appends it to the custody log. The caller commits. Nothing is
deleted: a relation is retracted, an actor changes review state. Edits of an
existing row lock and reload it first (:func:`lock_row`), so concurrent
editors are serialised instead of the last one silently winning.

Name search (:func:`match`), duplicate suggestions (:func:`duplicates`) and
unknown-actor hints use :mod:`bayyina.resolve.names`. :func:`commanders`
answers "who commanded unit X on day D", walking up ``subordinate_to`` links
valid on that day (command responsibility at an incident's date).

:func:`merge_actors` records an analyst's judgement that two actors are one
(``actor_merges``): the merged actor becomes a redirect - its relations,
designations and names move to the kept actor, the incident links and
attributions follow at once - and :func:`unmerge_actor` moves exactly that
back. Merged actors are left out of lists, name search and duplicates.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bayyina.resolve.names import NameMatch, best_of, parse
from bayyina.resolve.spans import check_order, covers, overlaps, parse_day, require_day
from bayyina.store import changes
from bayyina.store.models_actors import Actor, ActorRelation, Designation
from bayyina.store.models_resolve import ActorMerge
from bayyina.text.normalize import fold_str
from bayyina.vault import custody
from bayyina.vault.canonical import now_utc

DATA = Path(__file__).parent / "data" / "actors.json"

MATCH_MIN = 0.85  # `actors match` lists candidates at or above this by default
DUPLICATE_MIN = 0.88  # suggested duplicates


class ActorError(ValueError):
    """Bad input about actors: unknown or ambiguous actor, bad kind, bad relation."""


@dataclass(frozen=True)
class ActorVocab:
    """Kinds, relation types and review moves (``resolve/data/actors.json``)."""

    kinds: tuple[str, ...]
    relations: dict[str, dict[str, Any]]
    review: dict[str, list[str]]


@lru_cache(maxsize=1)
def actor_vocab() -> ActorVocab:
    """Load the actor vocabularies once."""
    try:
        data = json.loads(DATA.read_text(encoding="utf-8"))
        return ActorVocab(tuple(data["kinds"]), dict(data["relations"]), dict(data["review"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ActorError(f"{DATA}: cannot load the actor vocabulary ({exc})") from exc


def names_of(a: Actor) -> list[str]:
    """Every name of an actor: English, Arabic, aliases."""
    return [n for n in [a.name_en, a.name_ar, *(a.aliases or [])] if n]


def label(a: Actor) -> str:
    """``#id name`` for messages."""
    return f"#{a.id} {a.name_en or a.name_ar or '?'}"


def check_review_move(current: str, to: str, what: str) -> None:
    """ActorError unless ``current -> to`` is an allowed review move."""
    moves = actor_vocab().review
    if to not in moves:
        raise ActorError(f"unknown review state {to!r} (one of: {', '.join(moves)})")
    if to not in moves.get(current, []):
        raise ActorError(f"{what} is {current}: it can move to {', '.join(moves.get(current, [])) or 'nothing'}, "
                         f"not {to}")


# --------------------------------------------------------------------------- lookup


@dataclass
class ActorMatch:
    """An actor and how well one of its names matched the query."""

    actor: Actor
    match: NameMatch


def match(session: Session, name: str, *, kind: str | None = None, min_score: float = MATCH_MIN,
          limit: int = 10) -> list[ActorMatch]:
    """Actors whose names match ``name``, best first, each with its explained score."""
    if not name.strip():
        raise ActorError("the name to match is empty")
    q = parse(name)
    out: list[ActorMatch] = []
    stmt = select(Actor).order_by(Actor.id)
    if kind:
        stmt = stmt.where(Actor.kind == kind)
    merged = merged_ids(session)
    for a in session.scalars(stmt):
        if a.id in merged:
            continue
        m = best_of(q, names_of(a))
        if m is not None and m.score >= min_score:
            out.append(ActorMatch(a, m))
    out.sort(key=lambda x: (-x.match.score, x.actor.id))
    return out[:limit]


def merged_ids(session: Session) -> dict[int, int]:
    """``merged actor id -> kept actor id`` of every active merge."""
    return {m.merged_id: m.kept_id for m in session.scalars(select(ActorMerge).where(ActorMerge.active.is_(True)))}


def merged_into(session: Session, actor_id: int) -> ActorMerge | None:
    """The active merge that made ``actor_id`` a redirect, or None."""
    return session.scalar(select(ActorMerge).where(ActorMerge.merged_id == actor_id, ActorMerge.active.is_(True)))


def get_actor(session: Session, ref: str | int, *, follow: bool = True) -> Actor:
    """An actor by id (``12`` or ``#12``) or by an exact name; ActorError names the problem.

    A merged actor's id leads to the actor it was merged into (unless ``follow`` is False).
    """
    text = str(ref).strip()
    if not text:
        raise ActorError("no actor given")
    if text.lstrip("#").isdigit():
        if len(text.lstrip("#")) > 12:
            raise ActorError(f"unknown actor #{text.lstrip('#')} (no actor has this id)")
        a = session.get(Actor, int(text.lstrip("#")))
        if a is None:
            raise ActorError(f"unknown actor #{text.lstrip('#')} (no actor has this id)")
        seen: set[int] = set()
        while follow and a.id not in seen and (m := merged_into(session, a.id)) is not None:
            seen.add(a.id)
            a = session.get(Actor, m.kept_id) or a
        return a
    key = fold_str(text)
    merged = merged_ids(session)
    exact = [a for a in session.scalars(select(Actor).order_by(Actor.id))
             if a.id not in merged and any(fold_str(n) == key for n in names_of(a))]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise ActorError(f"actor name {text!r} is ambiguous: " + ", ".join(label(a) for a in exact)
                         + "; give the id")
    near = match(session, text, min_score=MATCH_MIN, limit=3)
    hint = ("; did you mean " + ", ".join(label(m.actor) for m in near) + "?") if near else \
        "; add it with `bayyina actors add`"
    raise ActorError(f"unknown actor {text!r}{hint}")


def list_actors(session: Session, *, kind: str | None = None, status: str | None = None,
                include_merged: bool = False) -> list[Actor]:
    """Actors, oldest first, optionally of one kind or review state (merged ones when asked)."""
    stmt = select(Actor).order_by(Actor.id)
    if kind:
        stmt = stmt.where(Actor.kind == kind)
    if status:
        stmt = stmt.where(Actor.status == status)
    merged = {} if include_merged else merged_ids(session)
    return [a for a in session.scalars(stmt) if a.id not in merged]


# --------------------------------------------------------------------------- writing


@dataclass
class AddResult:
    """The new actor and the existing actors it may duplicate."""

    actor: Actor
    duplicates: list[ActorMatch]


def add_actor(
    session: Session,
    *,
    who: str,
    kind: str,
    name_en: str | None = None,
    name_ar: str | None = None,
    aliases: Iterable[str] = (),
    rank: str | None = None,
    nationality: str | None = None,
    notes: str = "",
    why: str = "",
    ftm_id: str | None = None,
) -> AddResult:
    """Add an actor (state draft). The rank is taken from the name when not given."""
    v = actor_vocab()
    if kind not in v.kinds:
        raise ActorError(f"unknown actor kind {kind!r} (one of: {', '.join(v.kinds)})")
    name_en = (name_en or "").strip() or None
    name_ar = (name_ar or "").strip() or None
    if not name_en and not name_ar:
        raise ActorError("an actor needs a name: give --name-en or --name-ar (or both)")
    alias_list = [x.strip() for x in aliases if x and x.strip()]
    if not rank and kind == "person":
        for n in (name_en, name_ar):
            if n and parse(n).rank:
                rank = parse(n).rank
                break
    candidates: list[ActorMatch] = []
    for n in [name_en, name_ar, *alias_list]:
        if n:
            candidates.extend(m for m in match(session, n, kind=kind, min_score=DUPLICATE_MIN)
                              if all(c.actor.id != m.actor.id for c in candidates))
    actor = Actor(kind=kind, name_en=name_en, name_ar=name_ar, aliases=alias_list, rank=rank or None,
                  nationality=(nationality or "").strip() or None, status="draft", notes=notes or "",
                  ftm_id=ftm_id, created_at=now_utc(), created_by=who)
    session.add(actor)
    session.flush()
    changes.record(session, who=who, row=actor, action="added", what=changes.snapshot(actor), why=why)
    candidates.sort(key=lambda m: -m.match.score)
    return AddResult(actor, candidates)


AMENDABLE = ("name_en", "name_ar", "aliases", "rank", "nationality", "notes")


def lock_row(session: Session, row: Any) -> None:
    """Lock ``row`` for this transaction (``SELECT … FOR UPDATE`` on PostgreSQL) and reload it.

    Read-modify-write edits call this before they check or change a row: a
    second editor of the same row waits until the first commits, then sees its
    change, so its checks run on fresh state and its diff starts from the
    committed values (nothing is silently overwritten). On SQLite every
    transaction already holds the write lock (``BEGIN IMMEDIATE``); the reload
    still replaces a copy read in an earlier transaction. Pending unflushed
    changes of ``row`` are discarded, so call it first.
    """
    session.refresh(row, with_for_update=True)


def amend_actor(session: Session, actor: Actor, *, who: str, why: str, **fields: Any) -> dict[str, list[Any]]:
    """Change some of :data:`AMENDABLE`; returns the diff (empty: nothing changed, nothing logged)."""
    bad = [k for k in fields if k not in AMENDABLE]
    if bad:
        raise ActorError(f"cannot amend {', '.join(bad)} (amendable: {', '.join(AMENDABLE)})")
    lock_row(session, actor)
    before = changes.snapshot(actor)
    for k, val in fields.items():
        setattr(actor, k, val)
    if not actor.name_en and not actor.name_ar:
        raise ActorError("an actor needs a name: cannot remove both names")
    d = changes.diff(before, changes.snapshot(actor))
    if d:
        changes.record(session, who=who, row=actor, action="amended", what=d, why=why)
    return d


def set_status(session: Session, actor: Actor, to: str, *, who: str, why: str) -> None:
    """Move an actor through review (draft → in_review → approved → published)."""
    lock_row(session, actor)
    check_review_move(actor.status, to, f"actor {label(actor)}")
    before = actor.status
    actor.status = to
    changes.record(session, who=who, row=actor, action="status", what={"status": [before, to]}, why=why)


def relate(
    session: Session,
    *,
    who: str,
    subject: Actor,
    rel_type: str,
    obj: Actor,
    start: str | None = None,
    end: str | None = None,
    source: str = "",
    why: str = "",
) -> ActorRelation:
    """Record ``subject rel_type obj`` from ``start`` to ``end`` (either may be open)."""
    v = actor_vocab()
    spec = v.relations.get(rel_type)
    if spec is None:
        raise ActorError(f"unknown relation {rel_type!r} (one of: {', '.join(v.relations)})")
    if subject.id == obj.id:
        raise ActorError(f"{label(subject)} cannot be related to itself")
    if subject.kind not in spec["subject"]:
        raise ActorError(f"a {subject.kind} cannot be the subject of {rel_type} "
                         f"({label(subject)}; allowed: {', '.join(spec['subject'])})")
    if obj.kind not in spec["object"]:
        raise ActorError(f"a {obj.kind} cannot be the object of {rel_type} "
                         f"({label(obj)}; allowed: {', '.join(spec['object'])})")
    s_day = parse_day(start, "start")
    e_day = parse_day(end, "end")
    check_order(s_day, e_day, "start", "end")
    for r in session.scalars(select(ActorRelation).where(
            ActorRelation.subject_id == subject.id, ActorRelation.object_id == obj.id,
            ActorRelation.type == rel_type, ActorRelation.status == "active")):
        if overlaps(r.start_date, r.end_date, s_day, e_day):
            raise ActorError(f"relation #{r.id} already records {label(subject)} {rel_type} {label(obj)} "
                             f"({r.start_date or '…'} to {r.end_date or '…'}), overlapping this span")
    if rel_type == "subordinate_to" and _reaches(session, obj.id, subject.id, s_day, e_day):
        raise ActorError(f"{label(obj)} is already (directly or not) subordinate to {label(subject)} in this "
                         f"span: {label(subject)} subordinate_to {label(obj)} would make a cycle")
    rel = ActorRelation(subject_id=subject.id, object_id=obj.id, type=rel_type, start_date=s_day, end_date=e_day,
                        source=source or "", status="active", created_at=now_utc(), created_by=who)
    session.add(rel)
    session.flush()
    changes.record(session, who=who, row=rel, action="added", what=changes.snapshot(rel), why=why)
    return rel


def _reaches(session: Session, start_id: int, target_id: int, s_day: str | None, e_day: str | None) -> bool:
    """True when ``start_id`` is subordinate (transitively) to ``target_id`` over part of the span."""
    seen: set[int] = set()
    todo = [start_id]
    while todo:
        cur = todo.pop()
        if cur == target_id:
            return True
        if cur in seen:
            continue
        seen.add(cur)
        for r in session.scalars(select(ActorRelation).where(
                ActorRelation.subject_id == cur, ActorRelation.type == "subordinate_to",
                ActorRelation.status == "active")):
            if overlaps(r.start_date, r.end_date, s_day, e_day):
                todo.append(r.object_id)
    return False


def retract_relation(session: Session, rel_id: int, *, who: str, why: str) -> ActorRelation:
    """Mark a relation retracted (kept, no longer used)."""
    rel = session.get(ActorRelation, rel_id)
    if rel is None:
        raise ActorError(f"unknown relation #{rel_id}")
    lock_row(session, rel)
    if rel.status == "retracted":
        raise ActorError(f"relation #{rel_id} is already retracted")
    rel.status = "retracted"
    changes.record(session, who=who, row=rel, action="retracted", what={"status": ["active", "retracted"]},
                   why=why)
    return rel


def relations_of(session: Session, actor: Actor, *, include_retracted: bool = False) -> list[ActorRelation]:
    """Relations where the actor is subject or object."""
    stmt = select(ActorRelation).where(
        or_(ActorRelation.subject_id == actor.id, ActorRelation.object_id == actor.id)
    ).order_by(ActorRelation.start_date, ActorRelation.id)
    if not include_retracted:
        stmt = stmt.where(ActorRelation.status == "active")
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------- command responsibility


@dataclass
class CommandLink:
    """One level of the chain of command over a unit on a day."""

    level: int  # 0: the unit itself, 1: its superior unit, ...
    unit: Actor
    commander: Actor | None
    relation: ActorRelation | None  # the ``commands`` relation, when a commander is known


def commanders(session: Session, unit: Actor, on: str) -> list[CommandLink]:
    """Who commanded ``unit`` on day ``on``, and the units above it and their commanders that day."""
    day = require_day(on, "date")
    if unit.kind == "person":
        raise ActorError(f"{label(unit)} is a person, not a unit or organisation")
    chain: list[CommandLink] = []
    seen: set[int] = set()
    current: Actor | None = unit
    level = 0
    while current is not None and current.id not in seen:
        seen.add(current.id)
        cmds = [r for r in session.scalars(select(ActorRelation).where(
            ActorRelation.object_id == current.id, ActorRelation.type == "commands",
            ActorRelation.status == "active").order_by(ActorRelation.start_date, ActorRelation.id))
            if covers(r.start_date, r.end_date, day)]
        if cmds:
            for r in cmds:
                chain.append(CommandLink(level, current, session.get(Actor, r.subject_id), r))
        else:
            chain.append(CommandLink(level, current, None, None))
        ups = [r for r in session.scalars(select(ActorRelation).where(
            ActorRelation.subject_id == current.id, ActorRelation.type == "subordinate_to",
            ActorRelation.status == "active").order_by(ActorRelation.id))
            if covers(r.start_date, r.end_date, day)]
        current = session.get(Actor, ups[0].object_id) if ups else None
        level += 1
    return chain


def incident_dates(session: Session, incident_id: int) -> tuple[str, str]:
    """(first, last) day of an incident in the register (its chosen date), for command at its date."""
    from bayyina.store.models_resolve import Incident

    inc = session.get(Incident, incident_id)
    if inc is None:
        raise ActorError(f"unknown incident {incident_id} (see `bayyina incidents list`)")
    if not inc.active:
        succ = f": it was merged into incident {inc.superseded_by}" if inc.superseded_by else ""
        raise ActorError(f"incident {incident_id} is retired{succ}")
    field_ = (inc.chosen or {}).get("date") or {}
    chosen = field_.get("chosen") if isinstance(field_, dict) else None
    start = chosen.get("start") if isinstance(chosen, dict) else None
    end = (chosen.get("end") if isinstance(chosen, dict) else None) or start
    if not start:
        raise ActorError(f"incident {incident_id} has no date; give the day with --on")
    first = require_day(str(start)[:10], f"incident {incident_id} date")
    last = require_day(str(end)[:10], f"incident {incident_id} date")
    return first, max(first, last)


# --------------------------------------------------------------------------- duplicates


@dataclass
class DuplicatePair:
    """Two actors of the same kind whose names match well."""

    a: Actor
    b: Actor
    match: NameMatch


def duplicates(session: Session, *, min_score: float = DUPLICATE_MIN) -> list[DuplicatePair]:
    """Suggested duplicates: same kind, best name pair scoring at least ``min_score``."""
    actors = list_actors(session)
    parsed = {a.id: [parse(n) for n in names_of(a)] for a in actors}
    out: list[DuplicatePair] = []
    for i, a in enumerate(actors):
        for b in actors[i + 1:]:
            if a.kind != b.kind:
                continue
            best: NameMatch | None = None
            for pa in parsed[a.id]:
                m = best_of(pa, names_of(b))
                if m is not None and (best is None or m.score > best.score):
                    best = m
            if best is not None and best.score >= min_score:
                out.append(DuplicatePair(a, b, best))
    out.sort(key=lambda p: -p.match.score)
    return out


# --------------------------------------------------------------------------- merging


def _relink(session: Session, who: str, why: str) -> Any:
    """Re-derive incident links and attributions (they follow merged actors); what changed."""
    from bayyina.resolve.incidents import ResolveReport, refresh

    rep = ResolveReport()
    refresh(session, who, why, rep)
    return rep.actors


@dataclass
class MergeResult:
    """The merge judgement and what the incident links did after it."""

    merge: ActorMerge
    kept: Actor
    merged: Actor
    links: Any  # bayyina.resolve.links.SyncReport


def merge_actors(session: Session, kept: Actor, merged: Actor, *, who: str, why: str) -> MergeResult:
    """Judge ``merged`` to be ``kept``: its relations, designations and names move to ``kept``,
    it becomes a redirect, incident links and attributions follow. Logged; see :func:`unmerge_actor`."""
    if kept.id == merged.id:
        raise ActorError(f"cannot merge actor {label(kept)} with itself")
    if not why.strip():
        raise ActorError("a merge needs --why (it is kept with the judgement)")
    custody._lock_log(session)  # one writer at a time: two merges of one actor never both pass the checks
    for a in (kept, merged):
        lock_row(session, a)  # read after the lock: names and kind as committed
    for a in (kept, merged):
        m = merged_into(session, a.id)
        if m is not None:
            raise ActorError(f"actor {label(a)} was already merged into #{m.kept_id} (judgement #{m.id}); "
                             f"use #{m.kept_id}, or `bayyina actors unmerge {a.id}` first")
    if kept.kind != merged.kind:
        raise ActorError(f"{label(kept)} is a {kept.kind} and {label(merged)} a {merged.kind}: only actors of "
                         f"one kind can be merged")
    between = [r for r in relations_of(session, merged) if kept.id in (r.subject_id, r.object_id)]
    if between:
        raise ActorError(f"{label(merged)} and {label(kept)} are related (relation "
                         + ", ".join(f"#{r.id} {r.type}" for r in between)
                         + "): they are not one actor; retract it with `bayyina actors unrelate` if it is wrong")
    moved: dict[str, Any] = {"relations": [], "designations": [], "aliases": []}
    rows: list[Any] = []
    for r in relations_of(session, merged, include_retracted=True):
        sides = []
        if r.subject_id == merged.id:
            r.subject_id = kept.id
            sides.append("subject")
        if r.object_id == merged.id:
            r.object_id = kept.id
            sides.append("object")
        moved["relations"].append([r.id, sides])
        rows.append(r)
    for d in session.scalars(select(Designation).where(Designation.actor_id == merged.id).order_by(Designation.id)):
        d.actor_id = kept.id
        moved["designations"].append(d.id)
        rows.append(d)
    have = {fold_str(n) for n in names_of(kept)}
    for n in names_of(merged):
        if fold_str(n) not in have:
            moved["aliases"].append(n)
            have.add(fold_str(n))
    before = list(kept.aliases or [])
    kept.aliases = [*before, *moved["aliases"]]
    m = ActorMerge(kept_id=kept.id, merged_id=merged.id, moved=moved, reason=why, by=who, at=now_utc(), active=True)
    session.add(m)
    session.flush()
    changes.record(session, who=who, row=kept, action="merged",
                   what={"merged": merged.id, "judgement": m.id, "moved": moved,
                         "aliases": [before, list(kept.aliases)]}, why=why, also=[m, *rows])
    changes.record(session, who=who, row=merged, action="merged-into",
                   what={"kept": kept.id, "judgement": m.id}, why=why)
    return MergeResult(m, kept, merged, _relink(session, who, f"actor {merged.id} merged into {kept.id}: {why}"))


def unmerge_actor(session: Session, merged: Actor, *, who: str, why: str) -> MergeResult:
    """Undo the merge that made ``merged`` a redirect: move back what moved, re-derive links."""
    custody._lock_log(session)
    m = merged_into(session, merged.id)
    if m is None:
        raise ActorError(f"actor {label(merged)} is not merged into another actor")
    if not why.strip():
        raise ActorError("an unmerge needs --why")
    kept = session.get(Actor, m.kept_id)
    if kept is None:  # pragma: no cover - foreign key
        raise ActorError(f"merge #{m.id} names a missing actor #{m.kept_id}")
    later = merged_into(session, kept.id)
    if later is not None:
        raise ActorError(f"actor {label(kept)} was itself merged into #{later.kept_id} since; "
                         f"`bayyina actors unmerge {kept.id}` first")
    rows: list[Any] = []
    for rel_id, sides in m.moved.get("relations", []):
        r = session.get(ActorRelation, rel_id)
        if r is None:
            continue
        if "subject" in sides and r.subject_id == kept.id:
            r.subject_id = merged.id
        if "object" in sides and r.object_id == kept.id:
            r.object_id = merged.id
        rows.append(r)
    for d_id in m.moved.get("designations", []):
        d = session.get(Designation, d_id)
        if d is not None and d.actor_id == kept.id:
            d.actor_id = merged.id
            rows.append(d)
    before = list(kept.aliases or [])
    added = set(m.moved.get("aliases", []))
    kept.aliases = [a for a in before if a not in added]
    m.active, m.undone_at, m.undone_by, m.undo_reason = False, now_utc(), who, why
    session.flush()
    changes.record(session, who=who, row=kept, action="unmerged",
                   what={"merged": merged.id, "judgement": m.id, "aliases": [before, list(kept.aliases)]},
                   why=why, also=[m, *rows])
    changes.record(session, who=who, row=merged, action="unmerged", what={"kept": kept.id, "judgement": m.id},
                   why=why)
    return MergeResult(m, kept, merged, _relink(session, who, f"actor {merged.id} unmerged from {kept.id}: {why}"))
