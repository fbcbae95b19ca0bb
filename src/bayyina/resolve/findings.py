"""The official-findings register: formal investigations (OPCW-UN JIM, OPCW IIT,
OPCW FFM, UN Secretary-General's mission, UN Commission of Inquiry) shipped as
``data/official_findings.json`` - facts with citations - loaded into the
``findings`` table and linked to incidents by place (name or ≤ 15 km) and date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.resolve import journal
from bayyina.resolve.features import config, date_range, days_apart, distance_km, place_names
from bayyina.store.models_resolve import Finding
from bayyina.vault.canonical import now_utc

REGISTER = Path(__file__).parent / "data" / "official_findings.json"
BODIES = ("opcw-un-jim", "opcw-iit", "opcw-ffm", "un-sg", "un-coi")
OUTCOMES = ("use-attributed", "use-confirmed", "use-likely", "use-not-established")
CONFIRMING = ("use-attributed", "use-confirmed", "use-likely")
ACTORS = ("syrian-government", "isis", "russia", "syrian-opposition", "unknown")
FIELDS = ("body", "symbol", "title", "date", "outcome", "conclusion", "party", "party_named", "citation", "incidents")


class RegisterError(ValueError):
    """The register file is unreadable or an entry is malformed."""


def _publication_date(value: Any) -> bool:
    """A finding's date: a real day, or a month / year when the day is not known."""
    text = str(value or "")
    if len(text) == 4 and text.isdigit():
        return True
    if len(text) == 7:
        text += "-01"
    return date_range({"start": text}) is not None


def load_register(path: Path = REGISTER) -> list[dict[str, Any]]:
    """The register's entries, checked; a bad file or entry raises :class:`RegisterError` naming it."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RegisterError(f"{path}: cannot read the findings register: {exc}") from exc
    entries = raw.get("findings") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise RegisterError(f"{path}: expected an object with a 'findings' list")
    seen: set[str] = set()
    for i, e in enumerate(entries):
        where = f"{path}: finding #{i + 1} ({e.get('id') if isinstance(e, dict) else '?'})"
        if not isinstance(e, dict) or not isinstance(e.get("id"), str) or not e["id"]:
            raise RegisterError(f"{where}: needs a string 'id'")
        if e["id"] in seen:
            raise RegisterError(f"{where}: duplicate id")
        seen.add(e["id"])
        missing = [k for k in FIELDS if k not in e]
        if missing:
            raise RegisterError(f"{where}: missing {', '.join(missing)}")
        if e["body"] not in BODIES:
            raise RegisterError(f"{where}: unknown body {e['body']!r} (one of {', '.join(BODIES)})")
        if e["outcome"] not in OUTCOMES:
            raise RegisterError(f"{where}: unknown outcome {e['outcome']!r} (one of {', '.join(OUTCOMES)})")
        if e["party"] is not None and e["party"] not in ACTORS:
            raise RegisterError(f"{where}: unknown party {e['party']!r}")
        if not _publication_date(e["date"]):
            raise RegisterError(f"{where}: bad date {e['date']!r} (YYYY-MM-DD, or YYYY-MM / YYYY when only "
                                f"that much is known)")
        if not isinstance(e["incidents"], list) or not e["incidents"]:
            raise RegisterError(f"{where}: needs at least one incident")
        for inc in e["incidents"]:
            if not isinstance(inc, dict) or not inc.get("place") or date_range(inc) is None:
                raise RegisterError(f"{where}: an incident needs a place and valid start/end dates")
    return entries


def sync_register(session: Session, by: str, path: Path = REGISTER) -> list[Finding]:
    """Insert new findings and update changed ones (logged); the rows that changed."""
    changed: list[Finding] = []
    existing = {f.code: f for f in session.scalars(select(Finding))}
    for e in load_register(path):
        row = existing.get(e["id"])
        values = {k: e[k] for k in FIELDS}
        if row is not None and all(getattr(row, k) == v for k, v in values.items()):
            continue
        action = "finding-loaded" if row is None else "finding-updated"
        if row is None:
            row = Finding(code=e["id"], loaded_at=now_utc(), **values)
            session.add(row)
        else:
            for k, v in values.items():
                setattr(row, k, v)
            row.loaded_at = now_utc()
        session.flush()
        journal.record(session, by=by, action=action, subject=f"finding:{row.id}",
                       what={"code": row.code, "symbol": row.symbol}, why=f"register file {path.name}", rows=[row])
        changed.append(row)
    return changed


@dataclass(frozen=True)
class FindingMatch:
    """Why a finding covers an incident (one of the finding's incidents matched)."""

    finding: Finding
    reason: str


def covers(finding_incident: dict[str, Any], report: dict[str, Any]) -> str | None:
    """Why a finding's incident covers a report (same place name or ≤ 15 km, and overlapping dates), or None."""
    fplace = {"name": finding_incident.get("place"), "name_ar": finding_incident.get("name_ar"),
              "aliases": finding_incident.get("aliases") or [], "lat": finding_incident.get("lat"),
              "lon": finding_incident.get("lon")}
    rplace = report.get("place")
    if not rplace:
        return None
    fr, rr = date_range(finding_incident), date_range(report.get("date"))
    if fr is None or rr is None or days_apart(fr, rr) != 0:
        return None
    if place_names(fplace) & place_names(rplace):
        where = f"same place name {fplace['name']}"
    else:
        km = distance_km(fplace, rplace)
        if km is None or km > config().near_km:
            return None
        where = f"{rplace.get('name')} is {km:.1f} km from {fplace['name']}"
    return f"{where}, dates overlap ({fr[0]}..{fr[1]})"


def matches(finding: Finding, reports: list[dict[str, Any]]) -> str | None:
    """Why ``finding`` covers any of an incident's reports, or None."""
    for fi in finding.incidents:
        for rep in reports:
            why = covers(fi, rep)
            if why:
                return f"{finding.symbol}: {why}"
    return None
