"""Resolving incident reports into incidents: blocking, scoring, judgements, merge, split, review.

``resolve`` takes the reports of the latest extraction run of every active
document, blocks them by place (GeoNames id, name, ~20 km grid cell), scores
each candidate pair with :mod:`bayyina.resolve.features` and merges the pairs
that reach the threshold - unless a negative judgement separates them.
Analysts' judgements (``merge``, ``split``) are replayed on every run: each
side of a judgement is identified by its document, place and dates, so the
decision applies to the reports of a newer extraction run too. Clusters keep
the id of the incident they overlap most; an incident that lost all its
reports is retired (kept, ``active`` false). Every change goes to the journal
and the custody log.

Judgements are ``positive`` (one attack), ``negative`` (not one attack) or
``unsure``: an unsure judgement is stored and shown (``suggest`` marks the
pair) but never applied - clustering replays only positive and negative ones,
and a later merge or reject on the pair supersedes it. After the incidents,
:func:`refresh` links findings and recomputes values, then
:func:`bayyina.resolve.links.sync` ties incidents to actors and writes the
attribution rows.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bayyina.resolve import journal
from bayyina.resolve.confidence import grade, source_of
from bayyina.resolve.features import compare, config, date_range, days_apart, explain, norm_name, score
from bayyina.resolve.findings import matches, sync_register
from bayyina.resolve.links import SyncReport
from bayyina.resolve.links import sync as sync_links
from bayyina.resolve.values import ReportView, incident_values
from bayyina.store.models import Base, Document, ExtractionRun, IncidentReport
from bayyina.store.models_resolve import (
    DECISIONS,
    REVIEW_STATES,
    Finding,
    FindingLink,
    Incident,
    IncidentMember,
    Judgement,
)
from bayyina.vault import custody
from bayyina.vault.canonical import now_utc

TRANSITIONS = {
    "draft": ("in_review",),
    "in_review": ("draft", "approved"),
    "approved": ("in_review", "published"),
    "published": ("in_review",),
}


class ResolveError(ValueError):
    """A request the register refuses (unknown id, merging an incident with itself ...)."""


@dataclass
class ResolveReport:
    """What a resolve run changed."""

    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    retired: list[tuple[int, int | None]] = field(default_factory=list)
    recomputed: list[int] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)
    unlinked: list[tuple[str, int]] = field(default_factory=list)
    findings_loaded: int = 0
    conflicts: list[str] = field(default_factory=list)
    reports: int = 0
    actors: SyncReport = field(default_factory=SyncReport)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired or self.recomputed or self.links or self.unlinked
                    or self.actors.changed)


# --------------------------------------------------------------------- reports


def current_reports(session: Session) -> list[ReportView]:
    """The reports of the latest extraction run of every active document."""
    latest = (
        select(ExtractionRun.document_id, func.max(ExtractionRun.id).label("run_id"))
        .group_by(ExtractionRun.document_id)
        .subquery()
    )
    rows = session.execute(
        select(IncidentReport, Document)
        .join(latest, IncidentReport.run_id == latest.c.run_id)
        .join(Document, Document.id == IncidentReport.document_id)
        .where(Document.status == "active")
        .order_by(IncidentReport.id)
    ).all()
    sources: dict[int, str] = {}
    out: list[ReportView] = []
    for rep, doc in rows:
        if doc.id not in sources:
            sources[doc.id] = source_of(doc)
        out.append(ReportView(rep.id, doc.id, sources[doc.id], rep.data or {}))
    return out


def report_views(session: Session, report_ids: Iterable[int]) -> list[ReportView]:
    """Views of any reports (old runs included), by id."""
    ids = sorted(set(report_ids))
    if not ids:
        return []
    rows = session.execute(
        select(IncidentReport, Document).join(Document, Document.id == IncidentReport.document_id)
        .where(IncidentReport.id.in_(ids)).order_by(IncidentReport.id)
    ).all()
    return [ReportView(rep.id, doc.id, source_of(doc), rep.data or {}) for rep, doc in rows]


def report_key(rep: ReportView) -> dict[str, Any]:
    """What identifies a report across re-extraction: its document, place and dates."""
    place = rep.data.get("place") or {}
    d = rep.data.get("date") or {}
    return {
        "report_id": rep.report_id,
        "document_id": rep.document_id,
        "geonames_id": place.get("geonames_id"),
        "place": norm_name(place.get("name")) or norm_name(place.get("name_ar")),
        "start": d.get("start"),
        "end": d.get("end"),
    }


def key_matches(key: dict[str, Any], rep: ReportView) -> bool:
    """Whether a current report is the one a stored key names (same id, or same document, place and dates)."""
    if key.get("report_id") == rep.report_id:
        return True
    if key.get("document_id") != rep.document_id:
        return False
    mine = report_key(rep)
    if key.get("geonames_id") and mine["geonames_id"]:
        if key["geonames_id"] != mine["geonames_id"]:
            return False
    elif key.get("place") != mine["place"]:
        return False
    a = date_range({"start": key.get("start"), "end": key.get("end")}) if key.get("start") else None
    b = date_range(rep.data.get("date"))
    if a is None or b is None:
        return a is None and b is None
    return days_apart(a, b) == 0


def _blocks(rep: ReportView) -> set[str]:
    place = rep.data.get("place") or {}
    keys: set[str] = set()
    if place.get("geonames_id"):
        keys.add(f"gn:{place['geonames_id']}")
    for n in (place.get("name"), place.get("name_ar")):
        if norm_name(n):
            keys.add(f"name:{norm_name(n)}")
    try:
        lat, lon = float(place["lat"]), float(place["lon"])
    except (KeyError, TypeError, ValueError):
        return keys
    cy, cx = int(lat // 0.2), int(lon // 0.2)
    keys.update(f"cell:{cy + dy}:{cx + dx}" for dy in (-1, 0, 1) for dx in (-1, 0, 1))
    return keys


def candidate_pairs(reports: list[ReportView]) -> Iterable[tuple[ReportView, ReportView]]:
    """Pairs of reports that share a block (place id, name or nearby grid cell), each once."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, rep in enumerate(reports):
        for k in _blocks(rep):
            index[k].append(i)
    seen: set[tuple[int, int]] = set()
    for members in index.values():
        for i, j in itertools.combinations(members, 2):
            if (i, j) not in seen:
                seen.add((i, j))
                yield reports[i], reports[j]


# --------------------------------------------------------------------- judgements


def replay_judgements(session: Session, reports: list[ReportView], *, unsure: bool = False
                      ) -> dict[frozenset[int], Judgement]:
    """The newest judgement on each pair of current reports (unsure ones only when ``unsure``:
    they are never applied, so an unsure judgement leaves the earlier decision in force)."""
    by_doc: dict[int, list[ReportView]] = defaultdict(list)
    for rep in reports:
        by_doc[rep.document_id].append(rep)
    pairs: dict[frozenset[int], Judgement] = {}
    q = select(Judgement).order_by(Judgement.at, Judgement.id)
    if not unsure:
        q = q.where(Judgement.decision != "unsure")
    for j in session.scalars(q):
        left = [r.report_id for r in by_doc.get(int(j.left_key.get("document_id") or 0), []) if key_matches(j.left_key, r)]
        right = [r.report_id for r in by_doc.get(int(j.right_key.get("document_id") or 0), []) if key_matches(j.right_key, r)]
        for a in left:
            for b in right:
                if a != b:
                    pairs[frozenset((a, b))] = j
    return pairs


def _judge(session: Session, left: ReportView, right: ReportView, decision: str, by: str, reason: str) -> Judgement:
    if decision not in DECISIONS:
        raise ResolveError(f"unknown decision {decision!r} (one of {', '.join(DECISIONS)})")
    j = Judgement(left_report_id=left.report_id, right_report_id=right.report_id, left_key=report_key(left),
                  right_key=report_key(right), decision=decision, by=by, at=now_utc(), reason=reason)
    session.add(j)
    session.flush()
    return j


# --------------------------------------------------------------------- clustering


class _Clusters:
    """Union-find over report ids that refuses joins a negative judgement forbids."""

    def __init__(self, ids: Iterable[int], negative: set[frozenset[int]]) -> None:
        self.parent = {i: i for i in ids}
        self.members = {i: {i} for i in self.parent}
        self.negative = negative
        self.reasons: dict[int, list[str]] = {i: [] for i in self.parent}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def forbidden(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        return any(frozenset((x, y)) in self.negative for x in self.members[ra] for y in self.members[rb])

    def join(self, a: int, b: int, reason: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.forbidden(a, b):
            return False
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        self.reasons[ra] += self.reasons.pop(rb) + [reason]
        return True

    def groups(self) -> list[tuple[set[int], list[str]]]:
        return [(m, self.reasons[r]) for r, m in sorted(self.members.items())]


def cluster(session: Session, reports: list[ReportView], conflicts: list[str] | None = None
            ) -> list[tuple[set[int], list[str]]]:
    """Groups of report ids that are one incident, with the reasons they were joined."""
    judged = replay_judgements(session, reports)
    negative = {p for p, j in judged.items() if j.decision == "negative"}
    cl = _Clusters((r.report_id for r in reports), negative)
    for pair, j in sorted(judged.items(), key=lambda kv: (kv[1].at, kv[1].id, sorted(kv[0]))):
        if j.decision != "positive":
            continue
        a, b = sorted(pair)
        reason = f"reports {a}+{b}: judgement #{j.id} by {j.by}: {j.reason}"
        if not cl.join(a, b, reason) and cl.find(a) != cl.find(b) and conflicts is not None:
            conflicts.append(f"judgement #{j.id} (reports {a}+{b}) not applied: a negative judgement separates them")
    cfg = config()
    scored = []
    for ra, rb in candidate_pairs(reports):
        if frozenset((ra.report_id, rb.report_id)) in judged:
            continue
        feats = compare(ra.data, rb.data)
        s = score(feats)
        if s >= cfg.merge_threshold:
            scored.append((s, ra.report_id, rb.report_id, feats))
    for s, a_id, b_id, feats in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        cl.join(a_id, b_id, f"reports {a_id}+{b_id}: score {s:g} ≥ {cfg.merge_threshold:g}: {explain(feats)}")
    return cl.groups()


# --------------------------------------------------------------------- resolve


def _active_members(session: Session) -> dict[int, list[IncidentMember]]:
    out: dict[int, list[IncidentMember]] = defaultdict(list)
    q = (select(IncidentMember).join(Incident, Incident.id == IncidentMember.incident_id)
         .where(IncidentMember.active.is_(True), Incident.active.is_(True)).order_by(IncidentMember.id))
    for m in session.scalars(q):
        out[m.incident_id].append(m)
    return out


def resolve(session: Session, by: str, *, why: str = "resolve run",
            prefer: dict[int, set[int]] | None = None) -> ResolveReport:
    """Rebuild the incidents from the current reports (in the caller's transaction).

    Runs under the custody log's lock (taken before reading), so two resolves
    on one PostgreSQL database never build the same incident twice.
    """
    custody._lock_log(session)  # the log's writer lock serialises register writers too
    rep = ResolveReport()
    rep.findings_loaded = len(sync_register(session, by))
    reports = current_reports(session)
    rep.reports = len(reports)
    views = {r.report_id: r for r in reports}
    groups = cluster(session, reports, rep.conflicts)

    # which current reports each existing incident holds (directly or through an older run's report)
    members = _active_members(session)
    old_views = {v.report_id: v for v in report_views(session, [m.incident_report_id for ms in members.values() for m in ms])}
    by_doc: dict[int, list[ReportView]] = defaultdict(list)
    for r in reports:
        by_doc[r.document_id].append(r)
    holds: dict[int, set[int]] = {}
    for inc_id, ms in members.items():
        held: set[int] = set()
        for m in ms:
            ov = old_views.get(m.incident_report_id)
            if ov is None:
                continue
            key = report_key(ov)
            held |= {r.report_id for r in by_doc.get(ov.document_id, []) if key_matches(key, r)}
        holds[inc_id] = held

    prefer = prefer or {}
    options = []
    for gi, (ids, _reasons) in enumerate(groups):
        for inc_id, held in holds.items():
            overlap = len(ids & held)
            if overlap:
                bonus = len(ids & prefer.get(inc_id, set()))
                options.append((bonus, overlap, -inc_id, gi, inc_id))
    assigned: dict[int, int] = {}
    taken: set[int] = set()
    for _b, _o, _neg, gi, inc_id in sorted(options, reverse=True):
        if gi in assigned or inc_id in taken:
            continue
        assigned[gi] = inc_id
        taken.add(inc_id)

    now = now_utc()
    incidents = {i.id: i for i in session.scalars(select(Incident).where(Incident.active.is_(True)))}
    group_of_report: dict[int, int] = {}
    created_for: dict[int, int] = {}
    for gi, (ids, reasons) in enumerate(groups):
        for rid in ids:
            group_of_report[rid] = gi
        target = assigned.get(gi)
        if target is None:
            inc = Incident(status="draft", active=True, chosen={}, confidence="single-source", confidence_reason="",
                           created_at=now, created_by=by, updated_at=now)
            session.add(inc)
            session.flush()
            new_members = [IncidentMember(incident_id=inc.id, incident_report_id=rid, active=True, added_at=now)
                           for rid in sorted(ids)]
            session.add_all(new_members)
            session.flush()
            incidents[inc.id] = inc
            created_for[gi] = inc.id
            rep.created.append(inc.id)
            journal.record(session, by=by, action="incident-created", subject=f"incident:{inc.id}",
                           what={"reports": sorted(ids), "documents": sorted({views[r].document_id for r in ids}),
                                 "joined_by": reasons}, why=why, rows=[inc, *new_members])
            continue
        inc_id = target
        inc = incidents[inc_id]
        current = {m.incident_report_id: m for m in members.get(inc_id, [])}
        leaving = [m for rid, m in current.items() if rid not in ids]
        arriving = sorted(ids - set(current))
        if not leaving and not arriving:
            continue
        for m in leaving:
            m.active, m.removed_at = False, now
        new_members = [IncidentMember(incident_id=inc_id, incident_report_id=rid, active=True, added_at=now)
                       for rid in arriving]
        session.add_all(new_members)
        inc.updated_at = now
        session.flush()
        rep.updated.append(inc_id)
        journal.record(session, by=by, action="incident-members", subject=f"incident:{inc_id}",
                       what={"added": arriving, "removed": sorted(m.incident_report_id for m in leaving),
                             "reports": sorted(ids), "joined_by": reasons},
                       why=why, rows=[inc, *leaving, *new_members])

    # incidents that hold no cluster any more are retired, never deleted
    for inc_id in sorted(set(members) - taken):
        inc = incidents[inc_id]
        counts: dict[int, int] = defaultdict(int)
        for rid in holds.get(inc_id, set()):
            g = group_of_report.get(rid)
            if g is not None and g in assigned:
                counts[assigned[g]] += 1
            elif g is not None and g in created_for:
                counts[created_for[g]] += 1
        successor: int | None = max(counts, key=lambda k: (counts[k], -k)) if counts else None
        leaving = members.get(inc_id, [])
        for m in leaving:
            m.active, m.removed_at = False, now
        inc.active, inc.superseded_by, inc.updated_at = False, successor, now
        session.flush()
        rep.retired.append((inc_id, successor))
        journal.record(session, by=by, action="incident-retired", subject=f"incident:{inc_id}",
                       what={"superseded_by": successor, "removed": [m.incident_report_id for m in leaving]},
                       why=why, rows=[inc, *leaving])
    _carry_marks(session, holds, group_of_report, assigned, created_for, by, why)
    # field marks received in share bundles land on the incidents built here from their documents
    from bayyina.vault.marks import apply_received_field_marks

    apply_received_field_marks(session, by)
    refresh(session, by, why, rep)
    return rep


def _carry_marks(session: Session, holds: dict[int, set[int]], group_of_report: dict[int, int],
                 assigned: dict[int, int], created_for: dict[int, int], by: str, why: str) -> None:
    """A field marked above its sources' level (``incidents mark-field``) stays marked wherever
    the incident's reports went: merged into another incident, split off, re-clustered."""
    from bayyina.store.models_sensitivity import SensitiveField
    from bayyina.vault.marks import carry_field_marks

    marked = set(session.scalars(select(SensitiveField.incident_id).where(SensitiveField.active.is_(True))))
    for inc_id in sorted(marked & set(holds)):
        dest = set()
        for rid in holds[inc_id]:
            g = group_of_report.get(rid)
            target = None if g is None else assigned.get(g, created_for.get(g))
            if target is not None and target != inc_id:
                dest.add(target)
        if dest:
            carry_field_marks(session, inc_id, sorted(dest), by, why)


def refresh(session: Session, by: str, why: str, rep: ResolveReport) -> None:
    """Link findings, recompute values and confidence of every active incident; log what changed."""
    findings = list(session.scalars(select(Finding).order_by(Finding.id)))
    members = _active_members(session)
    views = {v.report_id: v for v in report_views(session, [m.incident_report_id for ms in members.values() for m in ms])}
    links: dict[int, list[FindingLink]] = defaultdict(list)
    refused: set[tuple[int, int]] = set()  # (finding, incident) pairs an analyst unlinked
    for link in session.scalars(select(FindingLink)):
        if link.active:
            links[link.incident_id].append(link)
        elif link.how == "manual":
            refused.add((link.finding_id, link.incident_id))
    by_id = {f.id: f for f in findings}
    now = now_utc()
    current: dict[int, tuple[list[ReportView], list[Finding]]] = {}
    for inc in session.scalars(select(Incident).where(Incident.active.is_(True)).order_by(Incident.id)):
        reps = [views[m.incident_report_id] for m in members.get(inc.id, []) if m.incident_report_id in views]
        touched: list[Base] = []
        linked = {lk.finding_id: lk for lk in links.get(inc.id, [])}
        for f in findings:
            reason = matches(f, [r.data for r in reps])
            lk = linked.get(f.id)
            if reason and lk is None and (f.id, inc.id) not in refused:
                lk = FindingLink(finding_id=f.id, incident_id=inc.id, how="auto", reason=reason, active=True,
                                 created_at=now, created_by=by)
                session.add(lk)
                linked[f.id] = lk
                touched.append(lk)
                rep.links.append((f.code, inc.id))
            elif not reason and lk is not None and lk.how == "auto":
                lk.active, lk.removed_at = False, now
                del linked[f.id]
                touched.append(lk)
                rep.unlinked.append((f.code, inc.id))
        fs = [by_id[fid] for fid in sorted(linked)]
        current[inc.id] = (reps, fs)
        values = incident_values(reps, fs)
        values["members"] = [{"report_id": r.report_id, "document_id": r.document_id, "source": r.source} for r in reps]
        g = grade([r.data for r in reps], {r.document_id: r.source for r in reps}, fs)
        if values != inc.chosen or g.grade != inc.confidence or g.reason != inc.confidence_reason:
            inc.chosen, inc.confidence, inc.confidence_reason, inc.updated_at = values, g.grade, g.reason, now
            touched.insert(0, inc)
        if touched:
            session.flush()
            if inc.id not in rep.created and inc.id not in rep.updated:
                rep.recomputed.append(inc.id)
            journal.record(session, by=by, action="incident-recomputed", subject=f"incident:{inc.id}",
                           what={"confidence": g.grade,
                                 "linked": [by_id[lk.finding_id].code for lk in touched if isinstance(lk, FindingLink) and lk.active],
                                 "unlinked": [by_id[lk.finding_id].code for lk in touched if isinstance(lk, FindingLink) and not lk.active]},
                           why=why, rows=touched)
    found = sync_links(session, by, why, current)
    for name in ("seeded", "linked", "unlinked"):
        getattr(rep.actors, name).extend(getattr(found, name))
    for name in ("added", "updated", "closed"):
        setattr(rep.actors, name, getattr(rep.actors, name) + getattr(found, name))


# --------------------------------------------------------------------- analyst actions


def get_incident(session: Session, incident_id: int, *, active: bool = True) -> Incident:
    """An incident by id; unknown (or retired, when ``active``) ids raise :class:`ResolveError`."""
    if not 0 < incident_id < 2**31:  # ids are 32-bit: PostgreSQL would refuse the query itself
        raise ResolveError(f"no incident {incident_id}")
    inc = session.get(Incident, incident_id)
    if inc is None:
        raise ResolveError(f"no incident {incident_id}")
    if active and not inc.active:
        succ = f": it was merged into incident {inc.superseded_by}" if inc.superseded_by else ""
        raise ResolveError(f"incident {incident_id} is retired{succ}")
    return inc


def member_reports(session: Session, incident_id: int) -> list[ReportView]:
    """The reports an incident is made of now."""
    ids = [m.incident_report_id for m in session.scalars(
        select(IncidentMember).where(IncidentMember.incident_id == incident_id, IncidentMember.active.is_(True)))]
    return report_views(session, ids)


VERBS = {"positive": "merge", "negative": "reject", "unsure": "mark unsure"}


def judge_incidents(session: Session, a: int, b: int, decision: str, by: str, reason: str) -> ResolveReport:
    """Judge incidents ``a`` and ``b``: ``positive`` (one attack: merged, B joins A), ``negative``
    (different attacks: never merged, no longer suggested) or ``unsure`` (stored and shown, not
    applied); a judgement on every pair of their reports, then a resolve."""
    verb = VERBS.get(decision)
    if verb is None:
        raise ResolveError(f"unknown decision {decision!r} (one of {', '.join(DECISIONS)})")
    if not reason.strip():
        raise ResolveError(f"a {verb} needs a reason" if decision != "unsure" else "an unsure judgement needs a reason")
    custody._lock_log(session)
    if a == b:
        raise ResolveError(f"cannot {verb} incident {a} with itself")
    get_incident(session, a)
    get_incident(session, b)
    left, right = member_reports(session, a), member_reports(session, b)
    if not left or not right:
        raise ResolveError(f"incident {a if not left else b} has no reports; run `bayyina incidents resolve`")
    made = [_judge(session, x, y, decision, by, reason) for x in left for y in right]
    journal.record(session, by=by, action="judgement", subject=f"incident:{a}",
                   what={"decision": decision, "incidents": [a, b], "judgements": [j.id for j in made]},
                   why=reason, rows=made)
    if decision != "positive":  # the other incident's history shows it too
        journal.record(session, by=by, action="judgement", subject=f"incident:{b}",
                       what={"decision": decision, "incidents": [a, b], "judgements": [j.id for j in made]},
                       why=reason)
    keep = {r.report_id for r in left}
    return resolve(session, by, why=f"{verb} {a}+{b}: {reason}", prefer={a: keep})


def merge(session: Session, a: int, b: int, by: str, reason: str) -> ResolveReport:
    """Judge incidents ``a`` and ``b`` one attack (positive judgements on their reports) and resolve."""
    return judge_incidents(session, a, b, "positive", by, reason)


def split(session: Session, incident_id: int, report_ids: list[int], by: str, reason: str) -> ResolveReport:
    """Judge ``report_ids`` a different attack from the rest of the incident (negative judgements) and resolve."""
    if not reason.strip():
        raise ResolveError("a split needs a reason")
    custody._lock_log(session)
    get_incident(session, incident_id)
    reps = member_reports(session, incident_id)
    ids = {r.report_id for r in reps}
    if not report_ids:
        raise ResolveError("name the reports to split off (--reports R1,R2)")
    unknown = sorted(set(report_ids) - ids)
    if unknown:
        raise ResolveError(f"report(s) {', '.join(map(str, unknown))} are not members of incident {incident_id} "
                           f"(members: {', '.join(map(str, sorted(ids)))})")
    out = [r for r in reps if r.report_id in set(report_ids)]
    rest = [r for r in reps if r.report_id not in set(report_ids)]
    if not rest:
        raise ResolveError(f"splitting off every report of incident {incident_id} leaves nothing; name fewer reports")
    made = [_judge(session, x, y, "negative", by, reason) for x in out for y in rest]
    made += [_judge(session, x, y, "positive", by, reason) for x, y in itertools.combinations(out, 2)]
    journal.record(session, by=by, action="judgement", subject=f"incident:{incident_id}",
                   what={"decision": "negative", "split_off": sorted(report_ids), "judgements": [j.id for j in made]},
                   why=reason, rows=made)
    return resolve(session, by, why=f"split {incident_id}: {reason}",
                   prefer={incident_id: {r.report_id for r in rest}})


def review(session: Session, incident_id: int, state: str, by: str, reason: str) -> Incident:
    """Move an incident through draft → in_review → approved → published (logged)."""
    if state not in REVIEW_STATES:
        raise ResolveError(f"unknown state {state!r} (one of {', '.join(REVIEW_STATES)})")
    if not reason.strip():
        raise ResolveError("a review step needs a reason")
    custody._lock_log(session)
    inc = get_incident(session, incident_id)
    if state not in TRANSITIONS[inc.status]:
        raise ResolveError(f"incident {incident_id} is {inc.status}: it can go to {', '.join(TRANSITIONS[inc.status])}, "
                           f"not {state}")
    old = inc.status
    inc.status, inc.updated_at = state, now_utc()
    session.flush()
    journal.record(session, by=by, action="incident-review", subject=f"incident:{incident_id}",
                   what={"from": old, "to": state}, why=reason, rows=[inc])
    return inc


# --------------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class Suggestion:
    """Two incidents that may be one attack, with the best pair of their reports."""

    left: int
    right: int
    score: float
    reasons: str
    left_report: int
    right_report: int
    unsure: str = ""  # "judgement #12 by X: why" when an analyst marked the pair unsure


def suggest(session: Session) -> list[Suggestion]:
    """Pairs of active incidents scoring between the suggest and merge thresholds, not yet decided
    (pairs whose newest judgement is ``unsure`` are still suggested, marked)."""
    members = _active_members(session)
    owner = {m.incident_report_id: inc for inc, ms in members.items() for m in ms}
    reports = report_views(session, owner)
    judged = replay_judgements(session, reports, unsure=True)
    cfg = config()
    best: dict[tuple[int, int], Suggestion] = {}
    for a, b in candidate_pairs(reports):
        ia, ib = owner[a.report_id], owner[b.report_id]
        j = judged.get(frozenset((a.report_id, b.report_id)))
        if ia == ib or (j is not None and j.decision != "unsure"):
            continue
        feats = compare(a.data, b.data)
        s = score(feats)
        if s < cfg.suggest_threshold:
            continue
        ra, rb = a.report_id, b.report_id
        if (ia, ra) > (ib, rb):
            ia, ib, ra, rb = ib, ia, rb, ra
        sug = Suggestion(ia, ib, s, explain(feats), ra, rb,
                         f"judgement #{j.id} by {j.by}: {j.reason}" if j is not None else "")
        if (ia, ib) not in best or s > best[(ia, ib)].score:
            best[(ia, ib)] = sug
    return sorted(best.values(), key=lambda x: (-x.score, x.left, x.right))
