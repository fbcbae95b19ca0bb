"""Incidents tied to actors, and attributions as rows: who says who did it.

Every resolve (:func:`bayyina.resolve.incidents.refresh`) calls :func:`sync`:

* each member report's ``perpetrators`` and each attribution's ``against``, and
  the party a linked official finding names, are matched to an actor of the
  register. Contract codes (``syrian-government``, ``isis`` ...) go through
  ``data/perpetrator_actors.json``: the first time a code is met, it is tied to
  an existing actor bearing one of the listed names exactly, else the listed
  actor is added (draft) - the choice is kept in ``actor_codes``. Other values
  are matched by name (:func:`bayyina.resolve.actors.match`). An actor merged
  into another stands for the one it was merged into.
* ``incident_actors`` gets one row per (incident, actor, role): ``perpetrator``
  (a report says it did it), ``accused`` (an attribution accuses it),
  ``finding`` (a linked finding names it);
* ``attributions`` gets one row per claim: from a report (body, stance,
  accused as said and its actor, document, report and the evidence span that
  carries it) or from a linked finding (stance ``finding``, the finding's date).

Rows are keyed so that a re-resolve changes them in place (a newer extraction
run's report, a better span) and never duplicates them; a claim or link that
no longer holds is closed (``active`` false, ``removed_at``), never deleted.
Every change is journalled (``register-incident-actors``) with the digests
of the rows it touched.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.resolve import journal
from bayyina.resolve.findings import CONFIRMING
from bayyina.resolve.values import ReportView
from bayyina.store.models import Base
from bayyina.store.models_actors import Actor
from bayyina.store.models_resolve import ActorCode, ActorMerge, Attribution, Finding, Incident, IncidentActor
from bayyina.text.normalize import fold_str
from bayyina.vault import custody
from bayyina.vault.canonical import now_utc

DATA = Path(__file__).parent / "data" / "perpetrator_actors.json"
NOT_ACTORS = ("", "unknown", "unspecified")


class LinkError(ValueError):
    """The code-to-actor file is unreadable or malformed, or a link request is refused."""


@dataclass(frozen=True)
class CodeActor:
    """The actor a contract code stands for (seeded when missing)."""

    code: str
    kind: str
    name_en: str
    name_ar: str | None
    aliases: tuple[str, ...]
    nationality: str | None
    notes: str

    @property
    def names(self) -> list[str]:
        return [n for n in (self.name_en, self.name_ar, *self.aliases) if n]


@dataclass(frozen=True)
class LinkVocab:
    """``data/perpetrator_actors.json``: codes, stances, the name-match threshold."""

    codes: dict[str, CodeActor | None]
    stances: tuple[str, ...]
    min_name_score: float


def load_vocab(path: Path = DATA) -> LinkVocab:
    """Read and check the code-to-actor file; :class:`LinkError` names the file and the problem."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LinkError(f"{path}: cannot read the code-to-actor file: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("codes"), dict):
        raise LinkError(f"{path}: expected an object with a 'codes' object")
    codes: dict[str, CodeActor | None] = {}
    for code, spec in raw["codes"].items():
        key = norm_code(code)
        if spec is None:
            codes[key] = None
            continue
        if not isinstance(spec, dict) or not spec.get("name_en") or spec.get("kind") not in (
                "person", "unit", "organization"):
            raise LinkError(f"{path}: code {code!r} needs a kind (person, unit, organization) and a name_en")
        codes[key] = CodeActor(key, spec["kind"], spec["name_en"], spec.get("name_ar"),
                               tuple(spec.get("aliases") or ()), spec.get("nationality"), spec.get("notes") or "")
    stances = raw.get("stances")
    if not isinstance(stances, list) or not stances:
        raise LinkError(f"{path}: expected a 'stances' list")
    try:
        threshold = float(raw.get("min_name_score", 0.9))
    except (TypeError, ValueError) as exc:
        raise LinkError(f"{path}: min_name_score must be a number") from exc
    return LinkVocab(codes, tuple(stances), threshold)


@lru_cache(maxsize=1)
def vocab() -> LinkVocab:
    """The shipped code-to-actor file, loaded once."""
    return load_vocab()


def norm_code(value: Any) -> str:
    """A code as the file keys it: lower case, ``_`` read as ``-``."""
    return str(value or "").strip().lower().replace("_", "-")


# --------------------------------------------------------------------------- merges


def merge_map(session: Session) -> dict[int, int]:
    """``merged actor id -> kept actor id`` of every active merge."""
    return {m.merged_id: m.kept_id for m in session.scalars(select(ActorMerge).where(ActorMerge.active.is_(True)))}


def follow(merges: dict[int, int], actor_id: int) -> int:
    """The actor ``actor_id`` stands for after merges (the end of the redirect chain)."""
    seen: set[int] = set()
    while actor_id in merges and actor_id not in seen:
        seen.add(actor_id)
        actor_id = merges[actor_id]
    return actor_id


# --------------------------------------------------------------------------- matching


@dataclass
class SyncReport:
    """What one :func:`sync` changed."""

    seeded: list[tuple[str, int, bool]] = field(default_factory=list)  # (code, actor id, actor was added)
    linked: list[tuple[int, int, str]] = field(default_factory=list)  # (incident, actor, role)
    unlinked: list[tuple[int, int, str]] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    closed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.seeded or self.linked or self.unlinked or self.added or self.updated or self.closed)


class ActorFinder:
    """Finds (and seeds) the actor a code or a name stands for, caching answers for one run."""

    def __init__(self, session: Session, by: str, rep: SyncReport) -> None:
        self.session = session
        self.by = by
        self.rep = rep
        self.merges = merge_map(session)
        self.cache: dict[str, tuple[int | None, str]] = {}

    def find(self, value: Any) -> tuple[int | None, str]:
        """(actor id or None, how it was found) for a code or a name."""
        text = str(value or "").strip()
        code = norm_code(text)
        if code in NOT_ACTORS:
            return None, "no actor named"
        if code not in self.cache:
            if code in vocab().codes:
                self.cache[code] = self._code(code)
            else:
                self.cache[code] = self._name(text)
        actor_id, how = self.cache[code]
        return (follow(self.merges, actor_id) if actor_id is not None else None), how

    def _code(self, code: str) -> tuple[int | None, str]:
        spec = vocab().codes[code]
        if spec is None:
            return None, f"code {code}: no actor"
        row = self.session.scalar(select(ActorCode).where(ActorCode.code == code))
        if row is not None:
            return row.actor_id, f"code {code}"
        from bayyina.resolve.actors import add_actor, names_of

        wanted = {fold_str(n) for n in spec.names}
        existing = [a for a in self.session.scalars(select(Actor).where(Actor.kind == spec.kind).order_by(Actor.id))
                    if a.id not in self.merges and wanted & {fold_str(n) for n in names_of(a)}]
        if existing:
            actor, added = existing[0], False
        else:
            actor = add_actor(self.session, who=self.by, kind=spec.kind, name_en=spec.name_en, name_ar=spec.name_ar,
                              aliases=spec.aliases, nationality=spec.nationality, notes=spec.notes,
                              why=f"seeded for the contract code {code} ({DATA.name})").actor
            added = True
        row = ActorCode(code=code, actor_id=actor.id, created_at=now_utc(), created_by=self.by)
        self.session.add(row)
        self.session.flush()
        journal.record(self.session, by=self.by, action="actor-code", subject=f"actor:{actor.id}",
                       what={"code": code, "actor": actor.id, "added": added},
                       why=f"contract code {code} stands for this actor ({DATA.name})", rows=[row])
        self.rep.seeded.append((code, actor.id, added))
        return actor.id, f"code {code}"

    def _name(self, name: str) -> tuple[int | None, str]:
        from bayyina.resolve.actors import match

        hits = match(self.session, name, min_score=vocab().min_name_score, limit=2)
        if not hits:
            return None, f"no actor matches {name!r}"
        if len(hits) > 1 and hits[1].match.score == hits[0].match.score:
            return None, f"{name!r} matches several actors equally"
        return hits[0].actor.id, f"name match {hits[0].match.score:.2f}"


# --------------------------------------------------------------------------- spans


def _span(rep: ReportView, body: str, against: str) -> dict[str, Any] | None:
    """The evidence span of a report that carries an attribution: naming the body and the accused
    (by the extraction vocabulary), else the body, else the accused, else the first span."""
    from bayyina.extract.vocab import default_vocabulary

    ev = [e for e in (rep.data.get("evidence") or []) if isinstance(e, dict) and isinstance(e.get("text"), str)]
    if not ev:
        return None
    v = default_vocabulary()
    best, best_score = ev[0], 0
    for e in ev:
        folded = fold_str(e["text"])
        score = 2 * (body in {t.code for t in v.find("bodies", folded)})
        score += against in {t.code for t in v.find("actors", folded)}
        if score > best_score:
            best, best_score = e, score
    return best


# --------------------------------------------------------------------------- sync


def _desired(finder: ActorFinder, reports: list[ReportView], findings: list[Finding]
             ) -> tuple[dict[tuple[int, str], dict[str, Any]], dict[str, dict[str, Any]]]:
    links: dict[tuple[int, str], dict[str, Any]] = {}
    atts: dict[str, dict[str, Any]] = {}

    def link(actor_id: int | None, role: str, said: str, how: str, source: str) -> None:
        if actor_id is None:
            return
        d = links.setdefault((actor_id, role), {"said": set(), "how": set(), "sources": set()})
        d["said"].add(said)
        d["how"].add(how)
        d["sources"].add(source)

    for rep in sorted(reports, key=lambda r: r.report_id):
        for p in rep.data.get("perpetrators") or []:
            if isinstance(p, str):
                actor_id, how = finder.find(p)
                link(actor_id, "perpetrator", p, how, f"report:{rep.report_id}")
        for a in rep.data.get("attributions") or []:
            if not isinstance(a, dict):
                continue
            body, stance, against = str(a.get("by") or "unknown"), str(a.get("stance") or "allegation"), a.get("against")
            against_s = str(against) if against is not None else None
            actor_id, how = finder.find(against_s) if against_s else (None, "no accused")
            link(actor_id, "accused", against_s or "", how, f"report:{rep.report_id}")
            key = f"document:{rep.document_id}|{body}|{norm_code(against_s)}|{stance}"
            if key in atts:
                continue
            span = _span(rep, body, norm_code(against_s))
            atts[key] = {"body": body[:60], "stance": stance[:20], "against": against_s, "actor_id": actor_id,
                         "date": None, "document_id": rep.document_id, "report_id": rep.report_id,
                         "finding_id": None,
                         "span_start": span.get("start") if span else None,
                         "span_end": span.get("end") if span else None,
                         "span_text": span.get("text") if span else None}
    for f in findings:
        if f.outcome not in CONFIRMING:  # use not established: no claim about who did it
            continue
        actor_id, how = None, ""
        said = (f.party_named or f.party) if f.party else None  # no party: use established, nobody named
        if f.party and f.party_named and norm_code(f.party_named) not in vocab().codes:
            actor_id, how = finder.find(f.party_named)
        if actor_id is None and f.party:
            actor_id, how = finder.find(f.party)
        link(actor_id, "finding", said or "", how, f"finding:{f.id}")
        atts[f"finding:{f.code}"] = {"body": f.body, "stance": "finding", "against": said, "actor_id": actor_id,
                                     "date": f.date, "document_id": None, "report_id": None, "finding_id": f.id,
                                     "span_start": None, "span_end": None, "span_text": None}
    flat = {k: {"said": sorted(v["said"]), "how": "; ".join(sorted(v["how"])), "sources": sorted(v["sources"])}
            for k, v in links.items()}
    return flat, atts


def sync(session: Session, by: str, why: str, incidents: dict[int, tuple[list[ReportView], list[Finding]]]
         ) -> SyncReport:
    """Bring ``incident_actors`` and ``attributions`` in line with the active incidents given
    (``incident id -> (member reports, linked findings)``); rows of other incidents are closed."""
    custody._lock_log(session)  # one writer at a time: two runs never seed the same code twice
    rep = SyncReport()
    finder = ActorFinder(session, by, rep)
    now = now_utc()
    links: dict[int, list[IncidentActor]] = defaultdict(list)
    for row in session.scalars(select(IncidentActor).where(IncidentActor.active.is_(True)).order_by(IncidentActor.id)):
        links[row.incident_id].append(row)
    atts: dict[int, list[Attribution]] = defaultdict(list)
    for att in session.scalars(select(Attribution).where(Attribution.active.is_(True)).order_by(Attribution.id)):
        atts[att.incident_id].append(att)
    for inc_id in sorted(set(incidents) | set(links) | set(atts)):
        reports, findings = incidents.get(inc_id, ([], []))
        want_links, want_atts = _desired(finder, reports, findings) if inc_id in incidents else ({}, {})
        touched: list[Base] = []
        what: dict[str, Any] = {"linked": [], "unlinked": [], "attributions_added": [], "attributions_updated": [],
                                "attributions_closed": []}
        have: dict[tuple[int, str], IncidentActor] = {}
        for row in links.get(inc_id, []):
            pair = (row.actor_id, row.role)
            w = want_links.get(pair)
            if w is None or pair in have:
                row.active, row.removed_at = False, now
                touched.append(row)
                rep.unlinked.append((inc_id, row.actor_id, row.role))
                what["unlinked"].append([row.actor_id, row.role])
                continue
            have[pair] = row
            if (row.said, row.how, row.sources) != (w["said"], w["how"], w["sources"]):
                row.said, row.how, row.sources = w["said"], w["how"], w["sources"]
                touched.append(row)
        for (actor_id, role), w in sorted(want_links.items()):
            if (actor_id, role) in have:
                continue
            row = IncidentActor(incident_id=inc_id, actor_id=actor_id, role=role, said=w["said"], how=w["how"],
                                sources=w["sources"], active=True, created_at=now, created_by=by)
            session.add(row)
            touched.append(row)
            rep.linked.append((inc_id, actor_id, role))
            what["linked"].append([actor_id, role])
        have_atts: dict[str, Attribution] = {}
        for att in atts.get(inc_id, []):
            wa = want_atts.get(att.key)
            if wa is None or att.key in have_atts:
                att.active, att.removed_at = False, now
                touched.append(att)
                rep.closed += 1
                what["attributions_closed"].append(att.id)
                continue
            have_atts[att.key] = att
            if any(getattr(att, col) != v for col, v in wa.items()):
                for col, v in wa.items():
                    setattr(att, col, v)
                touched.append(att)
                rep.updated += 1
                what["attributions_updated"].append(att.id)
        new_atts = [Attribution(incident_id=inc_id, key=k, active=True, created_at=now, created_by=by, **wa)
                    for k, wa in want_atts.items() if k not in have_atts]
        session.add_all(new_atts)
        touched.extend(new_atts)
        if not touched:
            continue
        session.flush()
        rep.added += len(new_atts)
        what["attributions_added"] = [a.id for a in new_atts]
        journal.record(session, by=by, action="incident-actors", subject=f"incident:{inc_id}",
                       what={k: v for k, v in what.items() if v}, why=why, rows=touched)
    return rep


# --------------------------------------------------------------------------- reading


def stances() -> tuple[str, ...]:
    """The attribution stances of the contract."""
    return vocab().stances


def incident_actors(session: Session, incident_id: int) -> list[tuple[IncidentActor, Actor]]:
    """The actors linked to an incident now, by role then actor."""
    q = (select(IncidentActor, Actor).join(Actor, Actor.id == IncidentActor.actor_id)
         .where(IncidentActor.incident_id == incident_id, IncidentActor.active.is_(True))
         .order_by(IncidentActor.role, IncidentActor.actor_id))
    return [(row, actor) for row, actor in session.execute(q)]


def actor_incidents(session: Session, actor_id: int) -> list[tuple[IncidentActor, Incident]]:
    """The incidents an actor is linked to now, by incident then role."""
    q = (select(IncidentActor, Incident).join(Incident, Incident.id == IncidentActor.incident_id)
         .where(IncidentActor.actor_id == actor_id, IncidentActor.active.is_(True))
         .order_by(IncidentActor.incident_id, IncidentActor.role))
    return [(row, inc) for row, inc in session.execute(q)]


def list_attributions(session: Session, *, incident_id: int | None = None, actor_id: int | None = None,
                      stance: str | None = None, include_closed: bool = False) -> list[Attribution]:
    """Attribution rows matching every given filter (current ones unless ``include_closed``)."""
    if stance is not None and stance not in stances():
        raise LinkError(f"--stance: unknown stance {stance!r} (one of {', '.join(stances())})")
    q = select(Attribution).order_by(Attribution.incident_id, Attribution.id)
    if incident_id is not None:
        q = q.where(Attribution.incident_id == incident_id)
    if actor_id is not None:
        q = q.where(Attribution.actor_id == actor_id)
    if stance is not None:
        q = q.where(Attribution.stance == stance)
    if not include_closed:
        q = q.where(Attribution.active.is_(True))
    return list(session.scalars(q))
