"""What span and field marks hide from a clearance, and the redaction itself.

The marks (:mod:`bayyina.vault.marks`) are read here for one clearance:

* :func:`hidden_marks` loads the active marks above a clearance: spans per
  document, fields per incident;
* :func:`redact_text` replaces each hidden span of a text by a visible marker
  (``█████ [restricted]``) and maps offsets of the original text into the
  redacted one, so evidence highlighting stays right around the marker;
* :func:`redact_chosen` removes from an incident's chosen values what the
  reader may not see: contributions of hidden documents, contributions whose
  evidence overlaps a hidden span (a field left without any becomes
  withheld, unless an official finding gave it), and marked fields (always
  withheld). Used by the web app (:mod:`bayyina.web.clearance`), exports and
  dossiers;
* :func:`regrade` recomputes an incident's confidence from the sources the
  reader may see (``docs/web-auth.md`` says why).

Nothing here writes.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.resolve.confidence import grade
from bayyina.resolve.values import FIELDS
from bayyina.store.models import IncidentReport
from bayyina.store.models_resolve import Finding, FindingLink, Incident
from bayyina.store.models_sensitivity import SensitiveField, SensitiveSpan
from bayyina.store.sensitivity import rank, visible_levels

MARKER = "█████ [{level}]"
WITHHELD = "withheld: some sources are above your clearance"
FIELD_WITHHELD = "withheld: above your clearance"
# marking perpetrators also withholds who-says-who-did-it (attributions name perpetrators)
ALSO_WITHHELD = {"perpetrators": ("attributions",)}

Span = tuple[int, int, str]  # start, end, level


@dataclass
class HiddenMarks:
    """The active marks one clearance may not see."""

    clearance: str
    spans: dict[int, list[Span]] = field(default_factory=dict)  # document id -> spans, by start
    fields: dict[int, dict[str, str]] = field(default_factory=dict)  # incident id -> field -> level

    def __bool__(self) -> bool:
        return bool(self.spans or self.fields)

    def fields_of(self, incident_id: int) -> dict[str, str]:
        """The withheld fields of an incident (marking perpetrators withholds attributions too)."""
        out = dict(self.fields.get(incident_id, {}))
        for name, level in list(out.items()):
            for extra in ALSO_WITHHELD.get(name, ()):
                out.setdefault(extra, level)
        return out

    def level_of_document(self, doc_id: int, level: str) -> str:
        """The highest of a document's own level and its hidden spans' levels."""
        return max([level, *(s[2] for s in self.spans.get(doc_id, []))], key=rank)


def hidden_marks(session: Session, clearance: str) -> HiddenMarks:
    """Every active span and field mark above ``clearance``."""
    seen = visible_levels(clearance)
    out = HiddenMarks(clearance)
    q = (select(SensitiveSpan.document_id, SensitiveSpan.start, SensitiveSpan.end, SensitiveSpan.level)
         .where(SensitiveSpan.active.is_(True), SensitiveSpan.level.not_in(seen))
         .order_by(SensitiveSpan.document_id, SensitiveSpan.start))
    for doc_id, start, end, level in session.execute(q):
        out.spans.setdefault(int(doc_id), []).append((int(start), int(end), str(level)))
    fq = (select(SensitiveField.incident_id, SensitiveField.field, SensitiveField.level)
          .where(SensitiveField.active.is_(True), SensitiveField.level.not_in(seen)))
    for inc_id, name, level in session.execute(fq):
        have = out.fields.setdefault(int(inc_id), {})
        have[str(name)] = max(have.get(str(name), "public"), str(level), key=rank)
    return out


def overlaps(start: int, end: int, spans: Iterable[Span]) -> bool:
    """Whether ``[start, end)`` shares a character with one of ``spans``."""
    return any(s < end and start < e for s, e, _l in spans)


def evidence_overlaps(evidence: Any, spans: list[Span]) -> bool:
    """Whether any evidence item (``{"start", "end"}``) overlaps a hidden span."""
    if not spans:
        return False
    for e in evidence or []:
        if isinstance(e, dict) and overlaps(_int(e.get("start")), _int(e.get("end")), spans):
            return True
    return False


def _merge(spans: Iterable[Span], n: int) -> list[Span]:
    merged: list[list[Any]] = []
    for s, e, lv in sorted((max(0, min(s, n)), max(0, min(e, n)), lv) for s, e, lv in spans):
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
            merged[-1][2] = max(merged[-1][2], lv, key=rank)
        else:
            merged.append([s, e, lv])
    return [(int(a), int(b), str(c)) for a, b, c in merged]


@dataclass
class RedactedText:
    """A text with hidden spans replaced by markers, and the map from old offsets to new ones."""

    text: str
    cuts: list[tuple[int, int, int, int]]  # (old start, old end, new start, new end) per marker

    def pos(self, i: int, *, end: bool = False) -> int:
        """Where offset ``i`` of the original text lands (inside a marker: its start, or its end when ``end``)."""
        k = bisect_right([c[0] for c in self.cuts], i) - 1
        if k < 0:
            return i
        os_, oe, ns, ne = self.cuts[k]
        if i >= oe:
            return ne + (i - oe)
        if i == os_:
            return ns
        return ne if end else ns

    def span(self, start: int, end: int) -> tuple[int, int]:
        """An original ``[start, end)`` in the redacted text."""
        return self.pos(start), self.pos(end, end=True)


def redact_text(text: str, spans: Iterable[Span]) -> RedactedText:
    """``text`` with each hidden span replaced by :data:`MARKER` (naming its level)."""
    parts: list[str] = []
    cuts: list[tuple[int, int, int, int]] = []
    pos = 0
    new = 0
    for s, e, lv in _merge(spans, len(text)):
        parts.append(text[pos:s])
        new += s - pos
        marker = MARKER.format(level=lv)
        parts.append(marker)
        cuts.append((s, e, new, new + len(marker)))
        new += len(marker)
        pos = e
    parts.append(text[pos:])
    return RedactedText("".join(parts), cuts)


def redact_evidence(evidence: Any, text: str, spans: list[Span]) -> list[dict[str, Any]]:
    """Evidence items with their quoted text redacted and offsets moved into the redacted text."""
    red = redact_text(text, spans)
    out = []
    for e in evidence or []:
        if not isinstance(e, dict):
            continue
        a, b = _int(e.get("start")), _int(e.get("end"))
        na, nb = red.span(a, b)
        out.append({**e, "start": na, "end": nb, "text": red.text[na:nb]})
    return out


def _int(v: Any) -> int:
    try:
        return int(v or 0)
    except (TypeError, ValueError):
        return 0


def withheld_field(f: Any) -> dict[str, Any]:
    """A field as a reader not cleared for it sees it."""
    base = f if isinstance(f, dict) else {}
    return {**base, "values": [], "chosen": None, "chosen_text": "withheld", "why": FIELD_WITHHELD}


def redact_chosen(chosen: dict[str, Any], visible: set[int] | None, *, spans: dict[int, list[Span]] | None = None,
                  fields: Iterable[str] = ()) -> dict[str, Any]:
    """``chosen`` without what the reader may not see (see the module docstring).

    ``visible``: the documents the reader may see (None: all); ``spans``: hidden
    spans per document; ``fields``: withheld field names.
    """
    spans = spans or {}
    gone = set(fields)
    out = dict(chosen)
    members = [m for m in chosen.get("members") or [] if isinstance(m, dict)]
    seen_members = members if visible is None else [m for m in members if _int(m.get("document_id")) in visible]
    sources_hidden = len(seen_members) < len(members)  # every count of sources is then withheld

    def keep(r: Any) -> bool:
        if not isinstance(r, dict):
            return False
        doc = _int(r.get("document_id"))
        if visible is not None and doc not in visible:
            return False
        return not evidence_overlaps(r.get("evidence"), spans.get(doc, []))

    for name in FIELDS:
        f = chosen.get(name)
        if name in gone:
            out[name] = withheld_field(f)
            continue
        if not isinstance(f, dict):
            continue
        kept = []
        changed = False
        for val in f.get("values") or []:
            reps = [r for r in val.get("reports") or [] if keep(r)]
            changed = changed or len(reps) != len(val.get("reports") or [])
            if reps:
                kept.append({**val, "reports": reps})
        why = str(f.get("why") or "")
        nf = {**f, "values": kept}
        if (changed or sources_hidden) and not why.startswith("official finding"):
            nf["why"] = WITHHELD
            if f.get("chosen") not in [v.get("value") for v in kept]:
                best = max(kept, key=lambda v: len(v["reports"]), default=None)
                nf["chosen"] = best.get("value") if best else None
                nf["chosen_text"] = str(best.get("text") or "—") if best else "—"
        out[name] = nf
    out["members"] = seen_members
    if "attributions" in gone:
        out["attributions"] = []
    elif visible is not None:
        out["attributions"] = [a for a in chosen.get("attributions") or [] if isinstance(a, dict) and (
            a.get("document_id") is None or _int(a.get("document_id")) in visible)]
    return out


def chosen_is_touched(chosen: dict[str, Any], spans: dict[int, list[Span]]) -> bool:
    """Whether any contribution to ``chosen`` quotes evidence overlapping a hidden span."""
    if not spans:
        return False
    for name in FIELDS:
        f = chosen.get(name)
        if not isinstance(f, dict):
            continue
        for val in f.get("values") or []:
            for r in val.get("reports") or []:
                if isinstance(r, dict) and evidence_overlaps(r.get("evidence"), spans.get(_int(r.get("document_id")), [])):
                    return True
    return False


def regrade(session: Session, inc: Incident, chosen: dict[str, Any]) -> str:
    """The confidence grade of ``inc`` from the members left in ``chosen`` (and its linked findings)."""
    members = [m for m in chosen.get("members") or [] if isinstance(m, dict)]
    report_ids = [_int(m.get("report_id")) for m in members]
    datas = [r.data or {} for r in session.scalars(select(IncidentReport).where(IncidentReport.id.in_(report_ids)))] \
        if report_ids else []
    sources = {_int(m.get("document_id")): str(m.get("source") or f"document:{_int(m.get('document_id'))}")
               for m in members}
    fq = (select(Finding).join(FindingLink, FindingLink.finding_id == Finding.id)
          .where(FindingLink.incident_id == inc.id, FindingLink.active.is_(True)).order_by(Finding.id))
    return grade(datas, sources, list(session.scalars(fq))).grade


def redact_report_data(data: dict[str, Any], document_id: int, norm_text: str, spans: list[Span]) -> dict[str, Any]:
    """One incident report's contract data as a reader who may not see ``spans`` sees it.

    A field whose evidence (the spans that show its value, as the register
    picks them) overlaps a hidden span is withheld (None, named in
    ``withheld``); evidence quotes are redacted and their offsets moved into
    the redacted text.
    """
    if not spans:
        return data
    from bayyina.resolve.values import ReportView, _spans

    out = dict(data)
    view = ReportView(0, document_id, "", data)
    gone: list[str] = []
    for name in FIELDS:
        value = data.get(name)
        if value is None or value == []:
            continue
        if evidence_overlaps(_spans(view, name, value), spans):
            out[name] = None
            gone.append(name)
    if "perpetrators" in gone:
        out["attributions"] = []
        gone.append("attributions")
    if gone:
        out["withheld"] = gone
    out["evidence"] = redact_evidence(data.get("evidence"), norm_text, spans)
    return out


def incident_copy(inc: Incident, **changes: Any) -> Incident:
    """A copy of an incident row that no session knows (safe to change: never flushed)."""
    from sqlalchemy import inspect

    data = {a.key: getattr(inc, a.key) for a in inspect(Incident).column_attrs}
    data.update(changes)
    return Incident(**data)


def withheld_fields_of(chosen: dict[str, Any]) -> list[str]:
    """The fields a redacted ``chosen`` withholds (marked, or left without a visible contribution)."""
    out = []
    for name in FIELDS:
        f = chosen.get(name)
        if isinstance(f, dict) and (str(f.get("why") or "").startswith(FIELD_WITHHELD)
                                    or (str(f.get("why") or "") == WITHHELD and f.get("chosen") is None)):
            out.append(name)
    return out


def cited_documents(chosen: dict[str, Any]) -> set[int]:
    """Every document an incident's chosen values, members and attributions cite."""
    ids = {_int(m.get("document_id")) for m in chosen.get("members") or [] if isinstance(m, dict)}
    ids |= {_int(a.get("document_id")) for a in chosen.get("attributions") or []
            if isinstance(a, dict) and a.get("document_id") is not None}
    for name in FIELDS:
        f = chosen.get(name)
        for val in (f.get("values") or [] if isinstance(f, dict) else []):
            ids |= {_int(r.get("document_id")) for r in val.get("reports") or [] if isinstance(r, dict)}
    return ids


def incident_as_seen(session: Session, inc: Incident, marks: HiddenMarks, visible: set[int],
                     cited: set[int] | None = None) -> Incident:
    """An incident as a reader who may see the documents ``visible`` (and not ``marks``) sees it.

    Itself when nothing is hidden; else a transient copy whose chosen values
    are redacted (:func:`redact_chosen`); with some sources hidden its grade
    is recomputed from the visible ones (:func:`regrade`) and its reason,
    which counts and names sources, is withheld, as it is when the
    perpetrators or attributions are withheld. The caller checks that at least
    one member is visible.
    """
    chosen = inc.chosen or {}
    cited = cited_documents(chosen) if cited is None else cited
    fields = marks.fields_of(inc.id)
    spans = {d: marks.spans[d] for d in visible if d in marks.spans}
    all_sources = visible >= cited
    if all_sources and not fields and not chosen_is_touched(chosen, spans):
        return inc
    red = redact_chosen(chosen, visible, spans=spans, fields=fields)
    confidence = inc.confidence if all_sources else regrade(session, inc, red)
    reason = inc.confidence_reason
    if not all_sources or {"perpetrators", "attributions"} & set(fields):
        reason = WITHHELD
    return incident_copy(inc, chosen=red, confidence=confidence, confidence_reason=reason)


def incident_for_clearance(session: Session, inc: Incident, clearance: str) -> Incident:
    """An incident as a reader cleared for ``clearance`` sees it outside the web app (dossiers, the
    public names list): :func:`incident_as_seen` with the documents of the allowed levels visible."""
    from bayyina.store.models import Document

    chosen = inc.chosen or {}
    cited = cited_documents(chosen)
    visible: set[int] = set()
    if cited:
        q = select(Document.id).where(Document.id.in_(sorted(cited)),
                                      Document.sensitivity.in_(visible_levels(clearance)))
        visible = {int(i) for i in session.scalars(q)}
    return incident_as_seen(session, inc, hidden_marks(session, clearance), visible, cited)
