"""Marking one span of a document, or one field of an incident, at a sensitivity of its own.

A witness's name inside a partner report, a doctor's phone number inside a
public one, the perpetrators of an incident whose sources are public: each
can be marked above the level of what holds it. What the marks mean for
readers is decided in :mod:`bayyina.vault.redact` (and ``docs/web-auth.md``).

* :func:`mark_span` marks ``[start, end)`` of ``documents.norm_text`` (the
  text evidence spans point into); :func:`find_text` finds every occurrence of
  a name there, matched on the folded text (hamza / alef forms, ta marbuta,
  alef maqsura, diacritics, tatweel, case), also after an Arabic proclitic
  (وأحمد, بأحمد);
* :func:`mark_field` marks one field of an incident (``place``, ``date``,
  ``agents``, ``means``, ``killed``, ``injured``, ``perpetrators``,
  ``attributions``);
* :func:`unmark` ends a mark (the row stays, inactive, with who and why);
* :func:`apply_received_field_marks` makes the field marks received in partner
  bundles on this instance's incidents built from the received documents.

Each change appends one custody-log entry covering the mark's row:
``span-marked`` / ``span-unmarked`` on ``document:ID``, ``field-marked`` /
``field-unmarked`` on ``incident:ID``. The entry carries offsets, level and
reason, never the marked text (the log is shown to readers of the document).
The caller commits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.resolve.values import FIELDS as VALUE_FIELDS
from bayyina.store.models import Document
from bayyina.store.models_resolve import Incident
from bayyina.store.models_sensitivity import SensitiveField, SensitiveSpan
from bayyina.store.sensitivity import SensitivityError, check_level
from bayyina.text.normalize import fold, fold_str, normalize
from bayyina.vault import custody
from bayyina.vault.canonical import now_utc

MARKABLE_FIELDS: tuple[str, ...] = (*VALUE_FIELDS, "attributions")
# one-letter Arabic proclitics a name may carry in running text (و ف ب ل ك), at most two of them
_PROCLITICS = re.compile(r"[\u0648\u0641\u0628\u0644\u0643]{1,2}")
MAX_REASON = 2000


class MarkError(ValueError):
    """A refused mark or unmark (unknown document / incident / mark, bad offsets, level or field)."""


@dataclass
class SpanMark:
    """A span mark as the CLI shows it (text included only for those who may see it)."""

    id: int
    document_id: int
    start: int
    end: int
    level: str
    reason: str
    active: bool
    created_by: str
    created_at: str
    text: str


def _level(level: str) -> str:
    try:
        return check_level(level)
    except SensitivityError as exc:
        raise MarkError(str(exc)) from exc


def _reason(reason: str) -> str:
    why = (reason or "").strip()
    if not why:
        raise MarkError("give the reason for the mark (--reason), e.g. 'witness identity'")
    if len(why) > MAX_REASON:
        raise MarkError(f"the reason is too long: {len(why)} characters (at most {MAX_REASON})")
    return why


def _document(session: Session, doc_id: int) -> Document:
    doc = session.get(Document, doc_id)
    if doc is None:
        raise MarkError(f"no document {doc_id} (see `bayyina documents list`)")
    return doc


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_text(norm_text: str, needle: str) -> list[tuple[int, int]]:
    """Every ``[start, end)`` of ``norm_text`` where ``needle`` occurs as whole words (folded match;
    an Arabic proclitic before it is allowed and left outside the span)."""
    want = fold_str(needle).strip()
    if not want:
        return []
    folded = fold(norm_text)
    hay = folded.text
    out: list[tuple[int, int]] = []
    pos = hay.find(want)
    while pos >= 0:
        end = pos + len(want)
        before_ok = pos == 0 or not _is_word(hay[pos - 1])
        if not before_ok:
            k = pos
            while k > 0 and _is_word(hay[k - 1]):
                k -= 1
            before_ok = bool(_PROCLITICS.fullmatch(hay[k:pos]))
        after_ok = end >= len(hay) or not _is_word(hay[end])
        if before_ok and after_ok:
            out.append(folded.src_span(pos, end))
        pos = hay.find(want, pos + 1)
    return out


def mark_span(session: Session, doc_id: int, start: int, end: int, level: str, reason: str, who: str
              ) -> SensitiveSpan:
    """Mark ``[start, end)`` of a document's normalised text at ``level``; logged on the document."""
    lvl, why = _level(level), _reason(reason)
    doc = _document(session, doc_id)
    n = len(doc.norm_text or "")
    if not 0 <= start < end <= n:
        raise MarkError(f"document {doc_id}: span [{start}, {end}) is outside its text "
                        f"(0 <= start < end <= {n}, offsets into the normalised text)")
    row = SensitiveSpan(document_id=doc.id, start=start, end=end, level=lvl, reason=why, active=True,
                        created_at=now_utc(), created_by=who)
    session.add(row)
    session.flush()
    custody.append(session, actor=who, action="span-marked", subject=f"document:{doc.id}",
                   payload={"mark": row.id, "start": start, "end": end, "level": lvl, "why": why}, rows=[row])
    return row


def mark_text(session: Session, doc_id: int, text: str, level: str, reason: str, who: str) -> list[SensitiveSpan]:
    """Mark every occurrence of ``text`` in a document (see :func:`find_text`); MarkError when none."""
    _level(level)
    _reason(reason)
    doc = _document(session, doc_id)
    needle = normalize(text or "").text
    if not needle.strip():
        raise MarkError("--text is empty")
    spans = find_text(doc.norm_text or "", needle)
    if not spans:
        raise MarkError(f"document {doc_id}: {text!r} does not occur in its text")
    return [mark_span(session, doc_id, s, e, level, reason, who) for s, e in spans]


def mark_field(session: Session, incident_id: int, field: str, level: str, reason: str, who: str
               ) -> SensitiveField:
    """Mark one field of an incident at ``level``; logged on the incident."""
    lvl, why = _level(level), _reason(reason)
    name = (field or "").strip().lower()
    if name not in MARKABLE_FIELDS:
        raise MarkError(f"unknown field {field!r}: expected one of {', '.join(MARKABLE_FIELDS)}")
    inc = session.get(Incident, incident_id)
    if inc is None:
        raise MarkError(f"no incident {incident_id} (see `bayyina incidents list`)")
    row = SensitiveField(incident_id=inc.id, field=name, level=lvl, reason=why, active=True,
                         created_at=now_utc(), created_by=who)
    session.add(row)
    session.flush()
    custody.append(session, actor=who, action="field-marked", subject=f"incident:{inc.id}",
                   payload={"mark": row.id, "field": name, "level": lvl, "why": why}, rows=[row])
    return row


def _parse_mark_id(mark_id: str) -> tuple[str, int]:
    """``12`` or ``span:12`` -> ("span", 12); ``field:3`` -> ("field", 3)."""
    kind, _, num = mark_id.strip().rpartition(":")
    kind = kind or "span"
    if kind not in ("span", "field") or not num.isdigit():
        raise MarkError(f"bad mark id {mark_id!r}: expected N or span:N (a span mark), field:N (a field mark)")
    return kind, int(num)


def unmark(session: Session, mark_id: str, reason: str, who: str) -> SensitiveSpan | SensitiveField:
    """End a span mark (``N`` / ``span:N``) or a field mark (``field:N``); logged like the mark."""
    why = _reason(reason)
    kind, num = _parse_mark_id(mark_id)
    row: SensitiveSpan | SensitiveField | None
    row = session.get(SensitiveSpan, num) if kind == "span" else session.get(SensitiveField, num)
    if row is None:
        raise MarkError(f"no {kind} mark {num} (see `bayyina documents marks DOC` / `incidents marks INCIDENT`)")
    if not row.active:
        raise MarkError(f"{kind} mark {num} was already removed")
    row.active, row.removed_at, row.removed_by, row.removed_reason = False, now_utc(), who, why
    session.flush()
    if isinstance(row, SensitiveSpan):
        custody.append(session, actor=who, action="span-unmarked", subject=f"document:{row.document_id}",
                       payload={"mark": row.id, "why": why}, rows=[row])
    else:
        custody.append(session, actor=who, action="field-unmarked", subject=f"incident:{row.incident_id}",
                       payload={"mark": row.id, "field": row.field, "why": why}, rows=[row])
    return row


def span_marks(session: Session, doc_id: int, *, include_removed: bool = False) -> list[SpanMark]:
    """The span marks of a document, by position (MarkError for an unknown document)."""
    doc = _document(session, doc_id)
    q = select(SensitiveSpan).where(SensitiveSpan.document_id == doc_id)
    if not include_removed:
        q = q.where(SensitiveSpan.active.is_(True))
    text = doc.norm_text or ""
    return [SpanMark(r.id, r.document_id, r.start, r.end, r.level, r.reason, r.active, r.created_by,
                     r.created_at.isoformat(timespec="seconds"), text[r.start:r.end])
            for r in session.scalars(q.order_by(SensitiveSpan.start, SensitiveSpan.id))]


def field_marks(session: Session, incident_id: int, *, include_removed: bool = False) -> list[SensitiveField]:
    """The field marks of an incident (MarkError for an unknown incident)."""
    if session.get(Incident, incident_id) is None:
        raise MarkError(f"no incident {incident_id} (see `bayyina incidents list`)")
    q = select(SensitiveField).where(SensitiveField.incident_id == incident_id)
    if not include_removed:
        q = q.where(SensitiveField.active.is_(True))
    return list(session.scalars(q.order_by(SensitiveField.id)))


def carry_field_marks(session: Session, from_id: int, to_ids: list[int], who: str, why: str) -> list[SensitiveField]:
    """When a resolve retires incident ``from_id`` and its reports go on in ``to_ids``, its active
    field marks are made again on each of them (logged there), unless one already has that field
    marked at the same level or higher: a re-clustering never brings a withheld value back."""
    from bayyina.store.sensitivity import rank

    made: list[SensitiveField] = []
    marks = field_marks(session, from_id)
    for to_id in to_ids:
        if to_id == from_id:
            continue
        have = {m.field: rank(m.level) for m in field_marks(session, to_id)}
        for m in marks:
            if have.get(m.field, -1) >= rank(m.level):
                continue
            made.append(mark_field(session, to_id, m.field, m.level,
                                   f"carried from incident {from_id} (mark field:{m.id}: {m.reason}); {why}", who))
            have[m.field] = rank(m.level)
    return made


def from_bundle_reason(bundle_id: str, reason: str) -> str:
    """The reason of a mark made again from a partner bundle: ``from bundle ID: <sender's reason>``."""
    why = f"from bundle {bundle_id}: {reason}"
    return why if len(why) <= MAX_REASON else why[: MAX_REASON - 1] + "…"


def apply_received_field_marks(session: Session, who: str, *, bundle_ids: Iterable[int] | None = None
                               ) -> list[SensitiveField]:
    """Make the field marks of received bundles on the receiver's incidents.

    The sender's incidents stay received records; the receiver's own incidents
    come from ``bayyina incidents resolve`` over the received documents. So a
    received field mark is made on every active incident here whose active
    reports come from the documents of the sender's incident (matched by
    dedupe key), unless that incident already has the field marked at that
    level or higher (so running it again adds nothing), or had it made once
    from the same sender mark (through any bundle of that sender) and
    removed since (an analyst's unmark stands). Logged on each
    incident (``field-marked``); the caller commits. Run at import
    (:func:`bayyina.share.bundle.import_bundle`) and after a resolve.
    """
    from bayyina.store.models import IncidentReport
    from bayyina.store.models_resolve import IncidentMember
    from bayyina.store.models_share import ReceivedBundle, ReceivedRecord
    from bayyina.store.sensitivity import rank

    q = (select(ReceivedRecord, ReceivedBundle).join(ReceivedBundle, ReceivedBundle.id == ReceivedRecord.bundle_id)
         .where(ReceivedRecord.kind == "sensitive_field").order_by(ReceivedRecord.id))
    if bundle_ids is not None:
        q = q.where(ReceivedRecord.bundle_id.in_(sorted(set(bundle_ids))))
    # the bundles that carried each sender mark (a sender's key and its mark id)
    carried: dict[tuple[str, str], list[str]] = {}
    for ref, key, manifest in session.execute(
            select(ReceivedRecord.ref, ReceivedBundle.key_id, ReceivedBundle.manifest)
            .join(ReceivedBundle, ReceivedBundle.id == ReceivedRecord.bundle_id)
            .where(ReceivedRecord.kind == "sensitive_field")):
        carried.setdefault((key, ref), []).append(from_bundle_reason(str((manifest or {}).get("id")), ""))
    made: list[SensitiveField] = []
    for rec, bundle in session.execute(q).all():
        data = rec.data or {}
        row = data.get("row") or {}
        dkeys = [k for k in data.get("document_keys") or [] if isinstance(k, str)]
        if not dkeys:
            continue
        doc_ids = list(session.scalars(select(Document.id).where(Document.dedupe_key.in_(dkeys))))
        if not doc_ids:
            continue
        inc_ids = sorted(set(session.scalars(
            select(IncidentMember.incident_id)
            .join(IncidentReport, IncidentReport.id == IncidentMember.incident_report_id)
            .join(Incident, Incident.id == IncidentMember.incident_id)
            .where(IncidentReport.document_id.in_(doc_ids), IncidentMember.active.is_(True),
                   Incident.active.is_(True)))))
        bid = str((bundle.manifest or {}).get("id"))
        prefixes = tuple(carried.get((bundle.key_id, rec.ref), []))
        for inc_id in inc_ids:
            have = session.execute(select(SensitiveField.level, SensitiveField.active, SensitiveField.reason).where(
                SensitiveField.incident_id == inc_id, SensitiveField.field == row.get("field"))).all()
            if any(active and rank(lv) >= rank(str(row.get("level"))) for lv, active, _ in have):
                continue
            if prefixes and any(why.startswith(prefixes) for _, _, why in have):
                continue  # made from this sender mark once (any bundle) and removed here since: the removal stands
            made.append(mark_field(session, inc_id, str(row.get("field")), str(row.get("level")),
                                   from_bundle_reason(bid, str(row.get("reason"))), who))
    return made
