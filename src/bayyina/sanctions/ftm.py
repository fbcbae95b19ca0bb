"""FollowTheMoney (FtM) import and export of actors and designations.

Import reads FtM / OpenSanctions-style JSON lines (one entity a line:
``{"id", "schema", "properties": {prop: [values]}}``). Person and
Organization-like entities become actors (Arabic-script names go to
``name_ar``, the first Latin one to ``name_en``, the rest to aliases);
Sanction entities become designations of the actor their ``entity`` property
points to, with authority and measures mapped through the sanctions
vocabularies. Entities are matched by their FtM id, so importing a file twice
adds nothing the second time. Each bad line is one problem
(``FILE:LINE: reason``) and the rest is imported.

Export writes the actors that have designations and the designations as FtM
entities (Person or Organization, and Sanction), built with the
``followthemoney`` library so every value is cleaned by its property type.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.resolve.actors import ActorError, add_actor
from bayyina.resolve.names import is_arabic
from bayyina.resolve.spans import DateError, parse_day
from bayyina.sanctions.designations import (
    SanctionsError,
    add_designation,
    authorities,
    measures,
    resolve_authority,
)
from bayyina.store.models_actors import Actor, Designation

ACTOR_SCHEMATA = {"Person": "person", "Organization": "organization", "LegalEntity": "organization",
                  "Company": "organization", "PublicBody": "organization"}


@dataclass
class ImportReport:
    """What an import did."""

    actors_added: int = 0
    actors_known: int = 0
    designations_added: int = 0
    designations_known: int = 0
    skipped: int = 0  # entities of other schemata
    problems: list[str] = field(default_factory=list)


def _values(ent: dict[str, Any], prop: str) -> list[str]:
    vals = (ent.get("properties") or {}).get(prop) or []
    if not isinstance(vals, list):
        vals = [vals]
    return [str(v).strip() for v in vals if isinstance(v, str | int | float) and str(v).strip()]


def _read(path: Path, rep: ImportReport) -> list[tuple[int, dict[str, Any]]]:
    where = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SanctionsError(f"{where}: cannot read ({exc.__class__.__name__}: {exc})") from exc
    out = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            ent = json.loads(line)
        except json.JSONDecodeError as exc:
            rep.problems.append(f"{where}:{n}: not JSON ({exc.msg})")
            continue
        if not isinstance(ent, dict) or not isinstance(ent.get("id"), str) or not isinstance(ent.get("schema"), str):
            rep.problems.append(f"{where}:{n}: not an FtM entity (needs string 'id' and 'schema')")
            continue
        if not isinstance(ent.get("properties", {}), dict):
            rep.problems.append(f"{where}:{n}: 'properties' must be an object")
            continue
        out.append((n, ent))
    return out


def _full_date(values: list[str], what: str) -> str | None:
    for v in values:
        day = parse_day(v[:10], what) if len(v) >= 10 else None
        if day:
            return day
    if values:
        raise DateError(f"{what}: {values[0]!r} is not a full date (YYYY-MM-DD)")
    return None


def import_file(session: Session, path: Path, *, who: str, why: str = "") -> ImportReport:
    """Import actors and designations from an FtM JSON-lines file (see the module docstring)."""
    rep = ImportReport()
    entities = _read(path, rep)
    for n, ent in entities:
        schema = ent["schema"]
        if schema == "Sanction":
            continue
        kind = ACTOR_SCHEMATA.get(schema)
        if kind is None:
            rep.skipped += 1
            continue
        if session.scalar(select(Actor).where(Actor.ftm_id == ent["id"])) is not None:
            rep.actors_known += 1
            continue
        names = _values(ent, "name")
        aliases = _values(ent, "alias") + _values(ent, "weakAlias")
        ar = [x for x in names if is_arabic(x)]
        en = [x for x in names if not is_arabic(x)]
        rest = ar[1:] + en[1:] + aliases
        countries = (_values(ent, "nationality") + _values(ent, "citizenship") + _values(ent, "country")
                     + _values(ent, "jurisdiction"))
        nationality = countries[0] if countries else None
        positions = _values(ent, "position") if kind == "person" else []
        rank = positions[0] if positions else None
        try:
            add_actor(session, who=who, kind=kind, name_en=en[0] if en else None, name_ar=ar[0] if ar else None,
                      aliases=rest, rank=rank, nationality=nationality,
                      notes=" ".join(_values(ent, "notes") + _values(ent, "description")),
                      why=why or f"imported from {path.name}", ftm_id=ent["id"])
        except ActorError as exc:
            rep.problems.append(f"{path}:{n}: {schema} {ent['id']}: {exc}")
            continue
        rep.actors_added += 1
    for n, ent in entities:
        if ent["schema"] != "Sanction":
            continue
        where = f"{path}:{n}: Sanction {ent['id']}"
        if session.scalar(select(Designation).where(Designation.ftm_id == ent["id"])) is not None:
            rep.designations_known += 1
            continue
        try:
            targets = _values(ent, "entity")
            if not targets:
                raise SanctionsError("no 'entity' (the sanctioned person or organisation)")
            actor = session.scalar(select(Actor).where(Actor.ftm_id == targets[0]))
            if actor is None:
                raise SanctionsError(f"entity {targets[0]!r} is unknown (not in this file nor imported before)")
            auth_text = (_values(ent, "authority") + _values(ent, "publisher") + _values(ent, "country")
                         or [""])[0]
            if not auth_text:
                raise SanctionsError("no 'authority'")
            auth = resolve_authority(auth_text)
            start = _full_date(_values(ent, "startDate") + _values(ent, "listingDate") + _values(ent, "date"),
                               "startDate")
            if start is None:
                raise SanctionsError("no startDate or listingDate")
            until = _full_date(_values(ent, "endDate"), "endDate")
            reasons = _values(ent, "reason") + _values(ent, "summary")
            add_designation(
                session, who=who, authority=auth.code,
                programme=(_values(ent, "program") + _values(ent, "programId") or ["(not given)"])[0],
                actor=actor, measure_names=_values(ent, "provisions") or ["asset_freeze"], start=start,
                until=until, legal_basis=(_values(ent, "programUrl") or [""])[0],
                reasons_en="\n".join(r for r in reasons if not is_arabic(r)),
                reasons_ar="\n".join(r for r in reasons if is_arabic(r)),
                why=why or f"imported from {path.name}", ftm_id=ent["id"],
            )
        except (SanctionsError, DateError) as exc:
            rep.problems.append(f"{where}: {exc}")
            continue
        rep.designations_added += 1
    return rep


# --------------------------------------------------------------------------- export


def actor_entity(a: Actor) -> EntityProxy:
    """The FtM Person / Organization of an actor (units are Organizations)."""
    e = model.make_entity("Person" if a.kind == "person" else "Organization")
    e.id = a.ftm_id or f"bayyina-actor-{a.id}"
    for n in (a.name_en, a.name_ar):
        if n:
            e.add("name", n)
    for n in a.aliases or []:
        e.add("alias", n)
    if a.nationality:
        e.add("nationality" if a.kind == "person" else "country", a.nationality, quiet=True)
    if a.rank and a.kind == "person":
        e.add("position", a.rank)
    if a.notes:
        e.add("notes", a.notes)
    return e


def designation_entity(d: Designation, actor_id: str) -> EntityProxy:
    """The FtM Sanction of a designation."""
    auth = authorities().get(d.authority)
    e = model.make_entity("Sanction")
    e.id = d.ftm_id or f"bayyina-designation-{d.id}"
    e.add("entity", actor_id)
    e.add("authority", auth.name if auth else d.authority)
    if auth:
        e.add("country", auth.country, quiet=True)
    e.add("program", d.programme)
    ms = measures()
    for m in d.measures:
        e.add("provisions", ms[m].label if m in ms else m)
    e.add("startDate", d.start_date)
    e.add("listingDate", d.start_date)
    end = d.delisted_on if d.status == "delisted" else d.expiry_date
    if end:
        e.add("endDate", end)
    e.add("status", d.status)
    for r in (d.reasons_en, d.reasons_ar):
        if r:
            e.add("reason", r)
    if d.duration_months:
        e.add("duration", f"{d.duration_months} months")
    return e


def export_entities(session: Session) -> Iterator[EntityProxy]:
    """Actors that have designations (first) and then the designations, as FtM entities."""
    ds = list(session.scalars(select(Designation).order_by(Designation.id)))
    ids: dict[int, str] = {}
    for aid in sorted({d.actor_id for d in ds}):
        a = session.get(Actor, aid)
        assert a is not None
        ent = actor_entity(a)
        ids[aid] = str(ent.id)
        yield ent
    for d in ds:
        yield designation_entity(d, ids[d.actor_id])


def write_export(session: Session, out: Path) -> int:
    """Write the export as JSON lines to ``out``; returns the number of entities."""
    n = 0
    tmp = out.with_name(out.name + ".tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            for ent in export_entities(session):
                fh.write(json.dumps(ent.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
                n += 1
        tmp.replace(out)
    except OSError as exc:
        raise SanctionsError(f"{out}: cannot write ({exc.__class__.__name__}: {exc})") from exc
    return n
