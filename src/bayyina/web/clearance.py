"""What a reader may see: documents, incidents, designations, counts and search hits by clearance.

The clearance travels with the request's database session
(``session.info``, set by :func:`bayyina.web.deps.get_session` from the
logged-in user); a session without one is treated as ``public``. Every helper
here reads it, so a route that passes its session along cannot forget it.

The rules (``docs/web-auth.md``):

* a **document** is visible when its ``sensitivity`` is one of the reader's
  levels; anything else about it (text, file name, hash, size, custody, its
  WARC records) is as absent as if it did not exist: 404, never 403;
* an **incident** is visible when at least one of its member reports comes
  from a visible document (else 404). When some members are hidden, the
  incident is shown as if only the visible ones existed: values, reports,
  evidence spans, attributions and members from hidden documents are removed;
  a chosen value given only by hidden sources is replaced by the visible
  value most sources give (a value taken from an official finding stays), and
  the reasons that count sources (``why``, the confidence reason) are
  withheld;
* **designations** stay visible (sanctions lists are public), but their
  incident ids and evidence documents are filtered the same way;
* **actors** come from sanctions lists and analysts, not from documents, and
  stay visible;
* **counts** count only what is visible; **search** filters documents and
  incidents in the query and rebuilds the title and snippet of an incident
  with hidden members from what remains (dropping the hit when the query no
  longer matches).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from bayyina.resolve.features import norm_name
from bayyina.resolve.incidents import ResolveError
from bayyina.resolve.queries import CONFIDENCES, incident_matches, incident_row, list_incidents, parse_range
from bayyina.search.index import incident_record
from bayyina.search.service import Hit, parse_query, record_matches, snippet
from bayyina.store.models import Base, Document, IncidentReport
from bayyina.store.models_actors import Designation
from bayyina.store.models_resolve import Incident, IncidentMember
from bayyina.store.sensitivity import DEFAULT, LEVELS, visible_levels
from bayyina.text.normalize import normalize
from bayyina.vault.catalog import DocumentDetail, get_document, list_documents
from bayyina.vault.redact import (
    HiddenMarks,
    Span,
    hidden_marks,
    incident_as_seen,
    overlaps,
    redact_evidence,
    redact_report_data,
    redact_text,
)
from bayyina.vault.redact import redact_chosen as _redact_chosen
from bayyina.web.queries import FIELDS, IncidentView, MemberView, highlight

INFO_KEY = "bayyina_clearance"
_SIGHT_KEY = "bayyina_sight"
WITHHELD = "withheld: some sources are above your clearance"
ORIGINAL_REFUSED = ("the original of document {id} holds text marked {level}, above your clearance ({clearance}); "
                    "its redacted text is on the document's page")
CHUNK = 500

R = TypeVar("R", bound=Base)


def set_clearance(session: Session, clearance: str) -> Session:
    """Mark ``session`` as reading for a user cleared for ``clearance``."""
    session.info[INFO_KEY] = clearance
    session.info.pop(_SIGHT_KEY, None)
    return session


def clearance_of(session: Session) -> str:
    """The clearance a session reads with (``public`` when none was set)."""
    return str(session.info.get(INFO_KEY) or DEFAULT)


def transient_copy(row: R, **changes: Any) -> R:
    """A copy of a mapped row that no session knows (safe to change: never flushed)."""
    mapper = inspect(type(row))
    data = {attr.key: getattr(row, attr.key) for attr in mapper.column_attrs}
    data.update(changes)
    return type(row)(**data)


class Sight:
    """What one session's reader may see, with the documents' levels cached."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.levels: tuple[str, ...] = visible_levels(clearance_of(session))
        hidden = select(Document.id).where(Document.sensitivity.not_in(self.levels)).limit(1)
        cleared_for_all = set(LEVELS) <= set(self.levels)
        # span and field marks above the clearance (vault/marks.py): none to load when cleared for all
        self.marks: HiddenMarks = HiddenMarks(clearance_of(session)) if cleared_for_all \
            else hidden_marks(session, clearance_of(session))
        self.everything = cleared_for_all or (session.scalar(hidden) is None and not self.marks)
        self._level: dict[int, str] = {}

    # ----------------------------------------------------------------- documents

    def visible_docs(self, ids: Iterable[int]) -> set[int]:
        """The ids among ``ids`` of documents the reader may see (unknown ids are not visible)."""
        wanted = {int(i) for i in ids}
        missing = sorted(i for i in wanted if i not in self._level)
        for k in range(0, len(missing), CHUNK):
            part = missing[k : k + CHUNK]
            for doc_id, level in self.session.execute(
                    select(Document.id, Document.sensitivity).where(Document.id.in_(part))):
                self._level[int(doc_id)] = str(level)
            for i in part:
                self._level.setdefault(i, "")
        return {i for i in wanted if self._level.get(i) in self.levels}

    def doc(self, doc_id: int) -> bool:
        """Whether the reader may see document ``doc_id``."""
        return doc_id in self.visible_docs([doc_id])

    # ----------------------------------------------------------------- incidents

    def incident(self, inc: Incident) -> Incident | None:
        """The incident as the reader may see it: itself, a redacted transient copy, or None (hidden)."""
        chosen = inc.chosen or {}
        if self.everything:
            return inc
        ids = _doc_ids(chosen)
        visible = self.visible_docs(ids)
        members = [m for m in chosen.get("members") or [] if _int(m.get("document_id")) in visible]
        if not members:
            return None
        return incident_as_seen(self.session, inc, self.marks, visible, ids)

    def spans_of(self, doc_ids: Iterable[int]) -> dict[int, list[Span]]:
        """The hidden spans of each of ``doc_ids`` that has some."""
        return {d: self.marks.spans[d] for d in doc_ids if d in self.marks.spans}

    def incident_ids(self, ids: Iterable[int]) -> set[int]:
        """The ids among ``ids`` of active incidents the reader may see."""
        wanted = sorted({int(i) for i in ids})
        out: set[int] = set()
        for k in range(0, len(wanted), CHUNK):
            for inc in self.session.scalars(select(Incident).where(Incident.id.in_(wanted[k : k + CHUNK]))):
                if self.incident(inc) is not None:
                    out.add(inc.id)
        return out


def sight(session: Session) -> Sight:
    """The :class:`Sight` of a session (built once per session)."""
    found = session.info.get(_SIGHT_KEY)
    if not isinstance(found, Sight) or found.levels != visible_levels(clearance_of(session)):
        found = Sight(session)
        session.info[_SIGHT_KEY] = found
    return found


def _int(v: Any) -> int:
    try:
        return int(v or 0)
    except (TypeError, ValueError):
        return 0


def _doc_ids(chosen: dict[str, Any]) -> set[int]:
    """Every document an incident's chosen values, members and attributions cite."""
    ids = {_int(m.get("document_id")) for m in chosen.get("members") or [] if isinstance(m, dict)}
    ids |= {_int(a.get("document_id")) for a in chosen.get("attributions") or []
            if isinstance(a, dict) and a.get("document_id") is not None}
    for name in FIELDS:
        for val in (chosen.get(name) or {}).get("values") or []:
            ids |= {_int(r.get("document_id")) for r in val.get("reports") or [] if isinstance(r, dict)}
    return ids


def redact_chosen(chosen: dict[str, Any], visible: set[int]) -> dict[str, Any]:
    """``chosen`` without what documents outside ``visible`` contributed (see the module docstring)."""
    return _redact_chosen(chosen, visible)


# --------------------------------------------------------------------------- documents


def visible_documents(session: Session, *, limit: int = 100, offset: int = 0, label: str | None = None
                      ) -> list[Document]:
    """Documents by id that the reader may see (``list_documents`` when they may see everything)."""
    s = sight(session)
    if s.everything:
        return list_documents(session, limit=limit, offset=offset, label=label)
    q = select(Document).where(Document.sensitivity.in_(s.levels)).order_by(Document.id)
    if not label:
        return list(session.scalars(q.limit(limit).offset(offset)))
    docs = [d for d in session.scalars(q) if label in (d.labels or [])]
    return docs[offset : offset + limit]


def visible_document(session: Session, doc_id: int) -> DocumentDetail | None:
    """A document with what hangs off it, or None when it does not exist for this reader.

    Spans marked above the clearance are replaced by a marker in its texts, and
    the latest run's incident reports are redacted the same way (their
    evidence offsets moved into the redacted text): the returned document and
    reports are transient copies, never flushed.
    """
    s = sight(session)
    if not s.doc(doc_id):
        return None
    d = get_document(session, doc_id)
    if d is None:
        return None
    kids = s.visible_docs(c.id for c in d.children)
    d = replace(d, children=[c for c in d.children if c.id in kids])
    spans = s.spans_of([doc_id]).get(doc_id)
    if not spans:
        return d
    doc = d.document
    norm = doc.norm_text or ""
    copy = transient_copy(doc, norm_text=redact_text(norm, spans).text, raw_text=redact_raw(doc.raw_text or "", spans))
    copy.withheld_original = True  # type: ignore[attr-defined]  # the page offers no download (it would be 403)
    return replace(d, document=copy,
                   incidents=[transient_copy(r, data=redact_report_data(r.data or {}, doc_id, norm, spans))
                              for r in d.incidents])


def redact_raw(raw: str, spans: list[Span]) -> str:
    """The raw text layer with the hidden spans (offsets into its normalised text) replaced by markers."""
    mapped = normalize(raw)
    return redact_text(raw, [(*mapped.src_span(a, b), lv) for a, b, lv in spans]).text


def original_refusal(session: Session, doc_id: int) -> str | None:
    """Why the reader may not download a document's original (None: they may).

    The original bytes hold every marked span: a reader not cleared for one of
    them is refused (403); the redacted text stays on the document's page. A
    WARC original is refused when one of its records holds such a span.
    """
    s = sight(session)
    if s.everything:
        return None
    ids = [doc_id, *session.scalars(select(Document.id).where(Document.parent_id == doc_id))]
    found = [sp for i in ids for sp in s.marks.spans.get(int(i), [])]
    if not found:
        return None
    level = max((sp[2] for sp in found), key=LEVELS.index)
    return ORIGINAL_REFUSED.format(id=doc_id, level=level, clearance=clearance_of(session))


def latest_visible_documents(session: Session, limit: int = 10) -> list[Document]:
    """The most recently stored documents the reader may see, newest first."""
    q = select(Document).where(Document.sensitivity.in_(sight(session).levels))
    return list(session.scalars(q.order_by(Document.id.desc()).limit(limit)))


# --------------------------------------------------------------------------- incidents


def visible_incidents(session: Session, *, place: str | None = None, date_from: str | None = None,
                      date_to: str | None = None, agent: str | None = None, perpetrator: str | None = None,
                      confidence: str | None = None) -> list[dict[str, Any]]:
    """``list_incidents`` as the reader may see them: hidden ones left out, the others redacted,
    the filters applied to what remains (ResolveError for a bad filter)."""
    s = sight(session)
    if s.everything:
        return list_incidents(session, place=place, date_from=date_from, date_to=date_to, agent=agent,
                              perpetrator=perpetrator, confidence=confidence)
    lo, hi = parse_range(date_from, date_to)
    if confidence is not None and confidence not in CONFIDENCES:
        raise ResolveError(f"--confidence: unknown grade {confidence!r} (one of {', '.join(CONFIDENCES)})")
    want_place = norm_name(place) if place else ""
    out = []
    for raw in session.scalars(select(Incident).where(Incident.active.is_(True)).order_by(Incident.id)):
        inc = s.incident(raw)
        if inc is None or (confidence and inc.confidence != confidence):
            continue
        if not incident_matches(inc, want_place=want_place, lo=lo, hi=hi, agent=agent, perpetrator=perpetrator):
            continue
        out.append(incident_row(inc))
    return out


def visible_incident(session: Session, incident_id: int) -> Incident | None:
    """One incident as the reader may see it (redacted), or None (unknown or hidden)."""
    raw = session.get(Incident, incident_id)
    return sight(session).incident(raw) if raw is not None else None


def redact_view(session: Session, v: IncidentView) -> IncidentView | None:
    """An incident view as the reader may see it, or None when none of its sources is visible.

    Besides the incident's values (``Sight.incident``): member reports of hidden
    documents are left out, a member's text and evidence quotes have their
    hidden spans replaced by markers (highlighting moved accordingly), and an
    attribution is left out when its field is withheld or its quoted span
    overlaps a hidden span.
    """
    s = sight(session)
    inc = s.incident(v.incident)
    if inc is None:
        return None
    docs = s.visible_docs([m.document_id for m in v.members] +
                          [_int(a.get("document_id")) for a in v.attributions if a.get("document_id") is not None])
    spans = s.spans_of(docs)
    if inc is v.incident and not spans:
        return v
    fields = v.fields
    if inc is not v.incident:
        chosen = inc.chosen or {}
        fields = []
        for name in FIELDS:
            f = chosen.get(name) or {}
            fields.append({"name": name, "chosen": f.get("chosen"), "chosen_text": f.get("chosen_text") or "—",
                           "why": f.get("why") or "", "values": f.get("values") or []})
    gone = s.marks.fields_of(v.incident.id)

    def att_ok(a: dict[str, Any]) -> bool:
        if "attributions" in gone:
            return False
        if a.get("document_id") is None:
            return True
        doc = _int(a.get("document_id"))
        if doc not in docs:
            return False
        start, end = a.get("span_start"), a.get("span_end")
        if start is None or end is None:
            return True
        return not overlaps(_int(start), _int(end), spans.get(doc, []))

    atts = [a for a in v.attributions if att_ok(a)]
    members = [m if m.document_id not in spans else _redact_member(session, m, spans[m.document_id])
               for m in v.members if m.document_id in docs]
    return IncidentView(inc, incident_row(inc), fields, atts, v.findings, members)


def _redact_member(session: Session, m: MemberView, spans: list[Span]) -> MemberView:
    """A member report with its document's hidden spans replaced by markers (evidence moved along)."""
    doc = session.get(Document, m.document_id)
    norm = (doc.norm_text if doc is not None else "") or ""
    red = redact_text(norm, spans)
    evidence = redact_evidence(m.evidence, norm, spans)
    segs = highlight(red.text, [(_int(e.get("start")), _int(e.get("end"))) for e in evidence])
    return replace(m, evidence=evidence, segments=segs)


def latest_visible_incidents(session: Session, limit: int = 10) -> list[dict[str, Any]]:
    """The most recently changed active incidents the reader may see (flat rows), newest first."""
    s = sight(session)
    q = select(Incident).where(Incident.active.is_(True)).order_by(Incident.updated_at.desc(), Incident.id.desc())
    out: list[dict[str, Any]] = []
    for raw in session.scalars(q.execution_options(yield_per=200)):
        inc = s.incident(raw)
        if inc is not None:
            out.append(incident_row(inc))
            if len(out) >= limit:
                break
    return out


# --------------------------------------------------------------------------- counts and designations


def visible_counts(session: Session, base: dict[str, int]) -> dict[str, int]:
    """Dashboard counts (``base``: the unfiltered ones) with documents and incidents counted as the reader sees them."""
    s = sight(session)
    if s.everything:
        return base
    docs = session.scalar(select(func.count()).select_from(Document).where(Document.sensitivity.in_(s.levels)))
    q = (select(func.count(func.distinct(IncidentMember.incident_id)))
         .select_from(IncidentMember)
         .join(IncidentReport, IncidentReport.id == IncidentMember.incident_report_id)
         .join(Document, Document.id == IncidentReport.document_id)
         .join(Incident, Incident.id == IncidentMember.incident_id)
         .where(Incident.active.is_(True), IncidentMember.active.is_(True), Document.sensitivity.in_(s.levels)))
    return {**base, "documents": int(docs or 0), "incidents": int(session.scalar(q) or 0)}


def visible_designation(session: Session, d: Designation) -> Designation:
    """A designation with the incidents and evidence documents the reader may not see left out."""
    s = sight(session)
    if s.everything:
        return d
    incs = list(d.incident_ids or [])
    evidence = list(d.evidence or [])
    ok_incs = s.incident_ids(incs) if incs else set()
    ok_docs = s.visible_docs(evidence) if evidence else set()
    if len(ok_incs) == len(set(incs)) and len(ok_docs) == len(set(evidence)):
        return d
    return transient_copy(d, incident_ids=[i for i in incs if i in ok_incs],
                          evidence=[e for e in evidence if e in ok_docs])


# --------------------------------------------------------------------------- search


def visible_hits(session: Session, hits: Sequence[Hit], query: str, *, highlight: str = "html") -> list[Hit]:
    """Search hits as the reader may see them.

    The search query already left out hidden documents and incidents without a
    visible source (``search(..., levels=...)``); an incident with some hidden
    members gets its title and snippet rebuilt from its redacted values, and
    is dropped when the query no longer matches them.
    """
    s = sight(session)
    if s.everything:
        return list(hits)
    terms = parse_query(query)
    out = []
    for h in hits:
        if h.kind == "document":
            if not s.doc(h.id):
                continue  # the query filtered these already; belt and braces
            spans = s.spans_of([h.id]).get(h.id)
            if not spans:
                out.append(h)
                continue
            doc = session.get(Document, h.id)
            if doc is None:
                continue
            body = redact_text(doc.norm_text or "", spans).text
            if not record_matches(body, terms) and not record_matches(h.title, terms):
                continue  # the query matched only inside a hidden span
            out.append(Hit(h.kind, h.id, h.title, h.score, snippet(body, terms, highlight=highlight)))
            continue
        if h.kind != "incident":
            out.append(h)
            continue
        raw = session.get(Incident, h.id)
        inc = s.incident(raw) if raw is not None else None
        if inc is None:
            continue
        if inc is raw:
            out.append(h)
            continue
        rec = incident_record(inc)
        if rec is None:
            continue
        title, body = rec
        if not record_matches(body, terms):
            continue
        out.append(Hit(h.kind, h.id, title, h.score, snippet(body, terms, highlight=highlight)))
    return out
