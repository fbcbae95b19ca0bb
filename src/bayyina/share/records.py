"""What leaves the store: incidents, documents, actors, designations and attributions,
selected under a clearance, as plain JSON records and as FollowTheMoney entities.

Used by partner bundles (:mod:`bayyina.share.bundle`) and by exports
(:mod:`bayyina.share.exports`).

Clearance rules (``bayyina.store.sensitivity``):

* a document is shared when its own level is allowed;
* an incident's level is the **highest** level among the documents of its
  active reports: its values (place, date, casualties, perpetrators) are
  drawn from all of them, so it is as sensitive as its most sensitive
  source. An incident above the clearance is withheld whole;
* an actor or a designation carries no level of its own; it is shared with
  the evidence it cites reduced to the documents that are allowed, and its
  incident links reduced to the incidents that are shared.

A record of a covered row holds exactly the row's covered columns (as the
custody log's row digest reads them: datetimes as ISO UTC strings), so the
receiver can recompute the digest the sender's log recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.resolve.features import norm_name
from bayyina.resolve.incidents import ResolveError
from bayyina.resolve.queries import incident_matches, parse_range
from bayyina.sanctions.ftm import actor_entity, designation_entity
from bayyina.store.models import COVERED, Base, Document, IncidentReport
from bayyina.store.models_actors import Actor, Designation
from bayyina.store.models_resolve import Incident, IncidentMember
from bayyina.store.sensitivity import LEVELS, allowed, check_level, rank
from bayyina.vault.canonical import iso_utc, kind_of, row_digest


class ShareError(Exception):
    """Bad input to an export or a bundle (the message names the problem)."""


def covered_record(row: Base) -> dict[str, Any]:
    """The covered columns of a row, JSON-ready (datetimes as ISO UTC, as the row digest reads them)."""
    _model, cols = COVERED[kind_of(row)]
    out: dict[str, Any] = {}
    for c in cols:
        v = getattr(row, c)
        out[c] = iso_utc(v) if isinstance(v, datetime) else v
    return out


@dataclass
class Withheld:
    """Something that exists but is not shared: named by hash (and kind), with the reason."""

    kind: str
    sha256: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        """The manifest form."""
        return {"kind": self.kind, "sha256": self.sha256, "reason": self.reason}


@dataclass
class Selection:
    """The rows one export or bundle may carry, and what was held back."""

    clearance: str
    documents: list[Document] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    incident_levels: dict[int, str] = field(default_factory=dict)
    incident_documents: dict[int, list[int]] = field(default_factory=dict)
    actors: list[Actor] = field(default_factory=list)
    designations: list[Designation] = field(default_factory=list)
    attributions: list[Base] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)


def _reason(level: str, clearance: str) -> str:
    return f"sensitivity {level} is above {clearance}"


def incident_sources(session: Session, incident_ids: Iterable[int]) -> dict[int, list[Document]]:
    """The documents of each incident's active reports."""
    ids = list(incident_ids)
    out: dict[int, list[Document]] = {i: [] for i in ids}
    if not ids:
        return out
    q = (select(IncidentMember.incident_id, Document)
         .join(IncidentReport, IncidentReport.id == IncidentMember.incident_report_id)
         .join(Document, Document.id == IncidentReport.document_id)
         .where(IncidentMember.incident_id.in_(ids), IncidentMember.active.is_(True))
         .order_by(IncidentMember.incident_id, Document.id))
    for inc_id, doc in session.execute(q):
        if all(d.id != doc.id for d in out[inc_id]):
            out[inc_id].append(doc)
    return out


def incident_level(docs: list[Document]) -> str:
    """The level of an incident: the highest of its source documents (public when it has none)."""
    return max((d.sensitivity or "public" for d in docs), key=rank, default="public")


def _chosen(inc: Incident, fname: str) -> Any:
    v = (inc.chosen or {}).get(fname)
    return v.get("chosen") if isinstance(v, dict) else None


def incident_attributions(inc: Incident) -> list[dict[str, Any]]:
    """The claims of who did it, as the incident's reports make them (``chosen["attributions"]``)."""
    v = (inc.chosen or {}).get("attributions")
    return [a for a in v if isinstance(a, dict)] if isinstance(v, list) else []


def filter_incidents(
    incidents: Iterable[Incident], *, place: str | None = None, date_from: str | None = None,
    date_to: str | None = None, agent: str | None = None,
) -> list[Incident]:
    """Incidents matching every given filter (as ``bayyina incidents list`` filters them)."""
    try:
        lo, hi = parse_range(date_from, date_to)
    except ResolveError as exc:  # the export's own error type, same message
        raise ShareError(str(exc)) from exc
    want_place = norm_name(place) if place else ""
    return [inc for inc in incidents if incident_matches(inc, want_place=want_place, lo=lo, hi=hi, agent=agent)]


def attribution_kinds() -> list[str]:
    """Covered kinds that say who did an incident: attribution rows and incident-actor links
    (present once the register has these tables)."""
    return [k for k, (_m, cols) in COVERED.items()
            if (k.startswith("attribution") or k == "incident_actor") and "incident_id" in cols]


def select_rows(
    session: Session, clearance: str, *, incident_ids: Iterable[int] | None = None, place: str | None = None,
    date_from: str | None = None, date_to: str | None = None, agent: str | None = None,
    all_documents: bool = False,
) -> Selection:
    """What a reader cleared for ``clearance`` may receive (see the module docstring).

    ``incident_ids`` picks incidents (an unknown id is an error); otherwise
    every active incident matching the filters. Documents are those of the
    selected incidents, or every active document when ``all_documents``.
    """
    clearance = check_level(clearance)
    sel = Selection(clearance)
    if incident_ids is not None:
        wanted = sorted(set(incident_ids))
        found = {i.id: i for i in session.scalars(select(Incident).where(Incident.id.in_(wanted)))}
        missing = [i for i in wanted if i not in found]
        if missing:
            raise ShareError(f"--incident: no incident {', '.join(map(str, missing))}")
        candidates = [found[i] for i in wanted]
    else:
        candidates = list(session.scalars(select(Incident).where(Incident.active.is_(True)).order_by(Incident.id)))
    candidates = filter_incidents(candidates, place=place, date_from=date_from, date_to=date_to, agent=agent)
    sources = incident_sources(session, [i.id for i in candidates])
    docs: dict[int, Document] = {}
    withheld_docs: dict[int, Document] = {}
    for inc in candidates:
        level = incident_level(sources[inc.id])
        if not allowed(level, clearance):
            sel.withheld.append(Withheld("incident", row_digest(inc), _reason(level, clearance)))
            for d in sources[inc.id]:
                (docs if allowed(d.sensitivity, clearance) else withheld_docs)[d.id] = d
            continue
        sel.incidents.append(inc)
        sel.incident_levels[inc.id] = level
        sel.incident_documents[inc.id] = [d.id for d in sources[inc.id]]
        for d in sources[inc.id]:
            docs[d.id] = d
    if all_documents:
        for d in session.scalars(select(Document).where(Document.status == "active").order_by(Document.id)):
            (docs if allowed(d.sensitivity, clearance) else withheld_docs)[d.id] = d
    # a WARC page travels with its parent original
    for d in list(docs.values()):
        if d.parent_id is not None and d.parent_id not in docs:
            parent = session.get(Document, d.parent_id)
            if parent is not None:
                (docs if allowed(parent.sensitivity, clearance) else withheld_docs)[parent.id] = parent
    sel.documents = [docs[i] for i in sorted(docs)]
    for i in sorted(withheld_docs):
        if i not in docs:
            d = withheld_docs[i]
            sel.withheld.append(Withheld("document", d.sha256, _reason(d.sensitivity, clearance)))
    shared_incidents = {i.id for i in sel.incidents}
    q = select(Designation).order_by(Designation.id)
    for des in session.scalars(q):
        filtered = incident_ids is not None or bool(place or date_from or date_to or agent)
        if filtered and not set(des.incident_ids or []) & shared_incidents:
            continue
        sel.designations.append(des)
    for kind in attribution_kinds():
        mdl = COVERED[kind][0]
        col = mdl.__table__.c.incident_id  # type: ignore[attr-defined]
        if shared_incidents:
            sel.attributions.extend(session.scalars(select(mdl).where(col.in_(sorted(shared_incidents)))
                                                    .order_by(mdl.__table__.c.id)))  # type: ignore[attr-defined]
    actor_ids = {d.actor_id for d in sel.designations}
    actor_ids |= {a for a in (getattr(r, "actor_id", None) for r in sel.attributions) if isinstance(a, int)}
    if actor_ids:
        sel.actors = list(session.scalars(select(Actor).where(Actor.id.in_(sorted(actor_ids))).order_by(Actor.id)))
    return sel


def allowed_document_ids(session: Session, ids: Iterable[int], clearance: str) -> list[int]:
    """The ids among ``ids`` of documents a reader cleared for ``clearance`` may see."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    levels = LEVELS[: rank(clearance) + 1]
    q = select(Document.id).where(Document.id.in_(wanted), Document.sensitivity.in_(levels))
    return sorted(session.scalars(q))


# --------------------------------------------------------------------------- flat records


def incident_record(inc: Incident, level: str, documents: list[int]) -> dict[str, Any]:
    """The flat, readable form of an incident (exports, the FtM Event, GeoJSON properties)."""
    place = _chosen(inc, "place") or {}
    d = _chosen(inc, "date") or {}

    def text(fname: str) -> str:
        v = inc.chosen.get(fname) or {}
        return str(v.get("chosen_text") or "") if isinstance(v, dict) else ""

    def rng(fname: str) -> tuple[Any, Any]:
        v = _chosen(inc, fname) or {}
        return (v.get("low"), v.get("high")) if isinstance(v, dict) else (None, None)

    killed, injured = rng("killed"), rng("injured")
    return {
        "id": inc.id,
        "status": inc.status,
        "place": place.get("name"),
        "place_ar": place.get("name_ar"),
        "country": place.get("country"),
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "geonames_id": place.get("geonames_id"),
        "date_start": d.get("start"),
        "date_end": d.get("end"),
        "date_precision": d.get("precision"),
        "agents": _chosen(inc, "agents") or [],
        "means": _chosen(inc, "means") or [],
        "killed_low": killed[0], "killed_high": killed[1], "killed_text": text("killed"),
        "injured_low": injured[0], "injured_high": injured[1], "injured_text": text("injured"),
        "perpetrators": _chosen(inc, "perpetrators") or [],
        "attributions": incident_attributions(inc),
        "confidence": inc.confidence,
        "confidence_reason": inc.confidence_reason,
        "sensitivity": level,
        "documents": documents,
    }


def actor_record(a: Actor) -> dict[str, Any]:
    """The flat form of an actor."""
    return {"id": a.id, "kind": a.kind, "name_en": a.name_en, "name_ar": a.name_ar, "aliases": a.aliases or [],
            "rank": a.rank, "nationality": a.nationality, "status": a.status, "ftm_id": a.ftm_id}


def designation_record(d: Designation, *, evidence: list[int], incidents: list[int]) -> dict[str, Any]:
    """The flat form of a designation (evidence and incidents reduced to what is shared)."""
    return {"id": d.id, "authority": d.authority, "programme": d.programme, "legal_basis": d.legal_basis,
            "actor_id": d.actor_id, "measures": d.measures or [], "start_date": d.start_date,
            "expiry_date": d.expiry_date, "status": d.status, "delisted_on": d.delisted_on,
            "reasons_en": d.reasons_en, "reasons_ar": d.reasons_ar, "incident_ids": incidents,
            "evidence": evidence, "review_status": d.review_status, "ftm_id": d.ftm_id}


# --------------------------------------------------------------------------- FollowTheMoney


def incident_entities(rec: dict[str, Any], actor_ids: dict[str, str] | None = None,
                      id_prefix: str = "bayyina") -> list[EntityProxy]:
    """An incident as an FtM ``Event`` (and an ``Address`` holding its coordinates)."""
    ev = model.make_entity("Event")
    ev.id = f"{id_prefix}-incident-{rec['id']}"
    title = " / ".join(x for x in (rec.get("place"), rec.get("place_ar")) if x) or "unknown place"
    agents = ", ".join(rec.get("agents") or [])
    ev.add("name", f"{agents or 'chemical'} attack, {title}, {rec.get('date_start') or 'date unknown'}")
    if rec.get("date_start"):
        ev.add("startDate", rec["date_start"])
        ev.add("date", rec["date_start"])
    if rec.get("date_end"):
        ev.add("endDate", rec["date_end"])
    for n in (rec.get("place"), rec.get("place_ar")):
        if n:
            ev.add("location", n)
    if rec.get("country"):
        ev.add("country", rec["country"], quiet=True)
    summary = []
    for k in ("killed", "injured"):
        if rec.get(f"{k}_text"):
            summary.append(f"{k}: {rec[f'{k}_text']}")
    summary.append(f"confidence: {rec.get('confidence')}")
    ev.add("summary", "; ".join(summary))
    for p in rec.get("perpetrators") or []:
        ev.add("keywords", f"perpetrator:{p}")
    for a in rec.get("agents") or []:
        ev.add("keywords", f"agent:{a}")
    for aid in (actor_ids or {}).values():
        ev.add("involved", aid)
    out = [ev]
    if rec.get("lat") is not None and rec.get("lon") is not None:
        ad = model.make_entity("Address")
        ad.id = f"bayyina-place-{rec.get('geonames_id') or rec['id']}"
        ad.add("full", title)
        ad.add("latitude", str(rec["lat"]))
        ad.add("longitude", str(rec["lon"]))
        if rec.get("country"):
            ad.add("country", rec["country"], quiet=True)
        ev.add("addressEntity", ad.id)
        out.append(ad)
    return out


def selection_entities(sel: Selection, session: Session, id_prefix: str = "bayyina") -> list[EntityProxy]:
    """Every shared record as FtM entities: Events (+ Addresses), Persons / Organizations, Sanctions.

    Records without an FtM id of their own get ``{id_prefix}-actor-N`` / ``{id_prefix}-designation-N``
    (a bundle passes its sender's key id, so two senders' actor 1 never collide at the receiver).
    """
    out: list[EntityProxy] = []
    seen: set[str] = set()
    for inc in sel.incidents:
        rec = incident_record(inc, sel.incident_levels[inc.id], sel.incident_documents[inc.id])
        for e in incident_entities(rec, id_prefix=id_prefix):
            if str(e.id) not in seen:
                seen.add(str(e.id))
                out.append(e)
    ids: dict[int, str] = {}
    for a in sel.actors:
        e = actor_entity(a)
        if not a.ftm_id:
            e.id = f"{id_prefix}-actor-{a.id}"
        ids[a.id] = str(e.id)
        out.append(e)
    for d in sel.designations:
        e = designation_entity(d, ids[d.actor_id])
        if not d.ftm_id:
            e.id = f"{id_prefix}-designation-{d.id}"
        out.append(e)
    return out
