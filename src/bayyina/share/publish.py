"""The public names list: signed, numbered releases of the published designations.

A release holds every designation in review state ``published`` (and only
those), the persons and entities they list (names in Arabic and Latin script,
aliases), their statements of reasons in Arabic, English and French, the
authorities and measures, and the incidents and official findings behind
each (with the public sources only: documents of sensitivity ``public``).

It is three content files built from one snapshot:

* ``names.json`` — ``{"type": "bayyina-names/1", "version", "released_at",
  "entities", "designations", "incidents"}`` (flat lists, sorted by id);
* ``names.csv`` — one row per designation;
* ``names.ftm.json`` — FollowTheMoney entities, one per line (Person /
  Organization and Sanction, built by :mod:`bayyina.sanctions.ftm`);

and a manifest (``manifest.json``): the canonical JSON of ``{"type":
"bayyina-release/1", "version", "created_at", "notes", "key_id", "files":
{name: {"sha256", "bytes"}}, "counts", "previous"}``, signed with the
instance's Ed25519 custody key (``manifest.sig``, hex). ``previous`` chains a
release to the SHA-256 of the manifest before it. The release is stored in
``publish_releases`` (files, manifest and signature, exactly as released) and
logged in the custody log (``publish-release``).

French statements of reasons live in ``publish_translations`` (the
``designations`` table has English and Arabic columns only); they are set with
:func:`set_translation` and logged the same way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bayyina.store.models import Document
from bayyina.store.models_actors import Actor, Designation, DesignationEvent
from bayyina.store.models_publish import PublishRelease, PublishTranslation
from bayyina.store.models_resolve import Finding, FindingLink, Incident
from bayyina.store.sensitivity import allowed, check_level
from bayyina.vault import custody
from bayyina.vault.canonical import canonical_json, iso_utc, now_utc
from bayyina.vault.keys import PUBLIC_NAME, KeysError, key_id, load_private, load_public, read_public_file

RELEASE_TYPE = "bayyina-release/1"
NAMES_TYPE = "bayyina-names/1"
CONTENT_FILES = ("names.json", "names.csv", "names.ftm.json")
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public_key.pem"
TRANSLATABLE = {"reasons": ("fr",)}
CSV_COLUMNS = (
    "entity_id", "actor_id", "kind", "name_en", "name_ar", "aliases", "rank", "nationality", "designation_id",
    "authority", "authority_name", "programme", "legal_basis", "measures", "start_date", "expiry_date", "status",
    "delisted_on", "reasons_en", "reasons_ar", "reasons_fr", "incidents",
)


class PublishError(ValueError):
    """A request the publisher refuses (unknown version, bad release directory ...); the message says why."""


# --------------------------------------------------------------------------- translations


def set_translation(session: Session, d: Designation, *, lang: str, text: str, who: str, why: str = "",
                    field_name: str = "reasons") -> PublishTranslation:
    """Record ``d``'s ``field_name`` in ``lang`` (French reasons); the newest row is the one used."""
    langs = TRANSLATABLE.get(field_name)
    if langs is None:
        raise PublishError(f"cannot translate {field_name!r} (translatable: {', '.join(TRANSLATABLE)})")
    if lang not in langs:
        raise PublishError(f"no {lang!r} translation of {field_name} is kept here (languages: {', '.join(langs)}; "
                           "English and Arabic reasons are set with `bayyina sanctions amend`)")
    if not text.strip():
        raise PublishError("the translation is empty")
    row = PublishTranslation(designation_id=d.id, field=field_name, lang=lang, text=text.strip(),
                             created_at=now_utc(), created_by=who)
    session.add(row)
    session.flush()
    custody.append(session, actor=who, action="publish-translation", subject=f"designation:{d.id}",
                   payload={"field": field_name, "lang": lang, "why": why}, rows=[row])
    return row


def translations(session: Session) -> dict[tuple[int, str, str], str]:
    """(designation id, field, lang) -> the newest text."""
    out: dict[tuple[int, str, str], str] = {}
    for t in session.scalars(select(PublishTranslation).order_by(PublishTranslation.id)):
        out[(t.designation_id, t.field, t.lang)] = t.text
    return out


# --------------------------------------------------------------------------- incidents and their sources


def _chosen(inc: Incident, fname: str) -> Any:
    return (inc.chosen.get(fname) or {}).get("chosen")


def _chosen_text(inc: Incident, fname: str) -> str:
    return str((inc.chosen.get(fname) or {}).get("chosen_text") or "")


def evidence_by_document(inc: Incident) -> dict[int, list[dict[str, Any]]]:
    """Document id -> the distinct evidence spans (start, end, text, fields) the incident's values quote."""
    out: dict[int, dict[tuple[int, int], dict[str, Any]]] = {}
    for fname, entry in sorted(inc.chosen.items()):
        if not isinstance(entry, dict):
            continue
        for value in entry.get("values") or []:
            for rep in value.get("reports") or []:
                doc = rep.get("document_id")
                if not isinstance(doc, int):
                    continue
                for ev in rep.get("evidence") or []:
                    key = (int(ev.get("start", 0)), int(ev.get("end", 0)))
                    spans = out.setdefault(doc, {})
                    span = spans.setdefault(key, {"start": key[0], "end": key[1], "text": ev.get("text", ""),
                                                  "fields": []})
                    if fname not in span["fields"]:
                        span["fields"].append(fname)
    for members in inc.chosen.get("members") or []:
        out.setdefault(int(members["document_id"]), {})
    return {doc: [spans[k] for k in sorted(spans)] for doc, spans in sorted(out.items())}


def document_entry(doc: Document, spans: list[dict[str, Any]]) -> dict[str, Any]:
    """What a release or a dossier says about one source document."""
    return {
        "document_id": doc.id,
        "sha256": doc.sha256,
        "size": doc.size,
        "file": doc.original_filename,
        "media_type": doc.media_type,
        "language": doc.language,
        "source_url": doc.source_url,
        "ingested_at": iso_utc(doc.ingested_at),
        "sensitivity": doc.sensitivity,
        "status": doc.status,
        "quotes": spans,
    }


def current_incident(session: Session, incident_id: int) -> Incident | None:
    """The incident, or the one it was merged into (following ``superseded_by``); None when unknown."""
    inc = session.get(Incident, incident_id)
    seen: set[int] = set()
    while inc is not None and not inc.active and inc.superseded_by and inc.id not in seen:
        seen.add(inc.id)
        inc = session.get(Incident, inc.superseded_by)
    return inc


def incident_findings(session: Session, incident_id: int) -> list[Finding]:
    """The official findings linked (actively) to an incident, oldest first."""
    q = (select(Finding).join(FindingLink, FindingLink.finding_id == Finding.id)
         .where(FindingLink.incident_id == incident_id, FindingLink.active.is_(True)).order_by(Finding.date, Finding.id))
    return list(session.scalars(q))


def finding_entry(f: Finding) -> dict[str, Any]:
    """A finding as released."""
    return {"code": f.code, "body": f.body, "symbol": f.symbol, "title": f.title, "date": f.date,
            "outcome": f.outcome, "conclusion": f.conclusion, "party": f.party, "party_named": f.party_named,
            "citation": f.citation}


def incident_entry(session: Session, inc: Incident, clearance: str = "public") -> dict[str, Any]:
    """An incident summarised with its findings, attributions and the sources a reader at ``clearance`` may see."""
    clearance = check_level(clearance)
    place = _chosen(inc, "place") or {}
    date = _chosen(inc, "date") or {}
    sources = []
    withheld = 0
    visible: set[int] = set()
    for doc_id, spans in evidence_by_document(inc).items():
        doc = session.get(Document, doc_id)
        if doc is None:
            continue
        if not allowed(doc.sensitivity, clearance):
            withheld += 1
            continue
        visible.add(doc_id)
        sources.append(document_entry(doc, spans))
    attributions = [
        {"by": a.get("by"), "against": a.get("against"), "stance": a.get("stance"), "document_id": a.get("document_id")}
        for a in inc.chosen.get("attributions") or [] if a.get("document_id") in visible
    ]
    return {
        "id": inc.id,
        "status": inc.status,
        "active": inc.active,
        "place": {k: place.get(k) for k in ("name", "name_ar", "country", "lat", "lon", "geonames_id")},
        "date": {k: date.get(k) for k in ("start", "end", "precision")},
        "agents": _chosen(inc, "agents") or [],
        "means": _chosen(inc, "means") or [],
        "killed": _chosen_text(inc, "killed"),
        "injured": _chosen_text(inc, "injured"),
        "perpetrators": _chosen(inc, "perpetrators") or [],
        "choices": {f: (inc.chosen.get(f) or {}).get("why", "") for f in
                    ("place", "date", "agents", "means", "killed", "injured", "perpetrators")},
        "confidence": inc.confidence,
        "confidence_reason": inc.confidence_reason,
        "findings": [finding_entry(f) for f in incident_findings(session, inc.id)],
        "attributions": attributions,
        "sources": sources,
        "sources_withheld": withheld,
    }


# --------------------------------------------------------------------------- designations and entities


def entity_id(a: Actor) -> str:
    """The stable id of an actor in releases and FtM (its FtM id, else ``bayyina-actor-N``)."""
    return a.ftm_id or f"bayyina-actor-{a.id}"


def actor_entry(a: Actor) -> dict[str, Any]:
    """A person or entity as released (without its designations)."""
    return {"id": entity_id(a), "actor_id": a.id, "kind": a.kind, "name_en": a.name_en, "name_ar": a.name_ar,
            "aliases": list(a.aliases or []), "rank": a.rank, "nationality": a.nationality}


def designation_entry(session: Session, d: Designation, trans: dict[tuple[int, str, str], str],
                      clearance: str = "public") -> dict[str, Any]:
    """A designation as released: authority, measures, dates, reasons in three languages, incidents."""
    from bayyina.sanctions.designations import authorities, measures

    auth = authorities().get(d.authority)
    ms = measures()
    events = session.scalars(select(DesignationEvent).where(DesignationEvent.designation_id == d.id)
                             .order_by(DesignationEvent.id))
    evidence = []
    for doc_id in d.evidence or []:
        doc = session.get(Document, doc_id)
        if doc is not None and allowed(doc.sensitivity, clearance):
            evidence.append({"document_id": doc.id, "sha256": doc.sha256, "source_url": doc.source_url})
    return {
        "id": d.ftm_id or f"bayyina-designation-{d.id}",
        "designation_id": d.id,
        "entity_id": None,  # filled by the caller
        "actor_id": d.actor_id,
        "authority": {"code": d.authority, "name": auth.name if auth else d.authority,
                      "country": auth.country if auth else None},
        "programme": d.programme,
        "legal_basis": d.legal_basis,
        "measures": [{"id": m, "label": ms[m].label if m in ms else m} for m in d.measures],
        "start_date": d.start_date,
        "duration_months": d.duration_months,
        "expiry_date": d.expiry_date,
        "status": d.status,
        "delisted_on": d.delisted_on,
        "reasons": {"ar": d.reasons_ar or "", "en": d.reasons_en or "",
                    "fr": trans.get((d.id, "reasons", "fr"), "")},
        "incident_ids": sorted(d.incident_ids or []),
        "evidence": evidence,
        "events": [{"kind": e.kind, "date": e.date} for e in events],
    }


def published_designations(session: Session) -> list[Designation]:
    """Designations in review state ``published``, by id."""
    return list(session.scalars(select(Designation).where(Designation.review_status == "published")
                                .order_by(Designation.id)))


def snapshot(session: Session, *, version: int, released_at: str) -> dict[str, Any]:
    """The content of ``names.json`` for the current state of the database."""
    trans = translations(session)
    designations = []
    actors: dict[int, dict[str, Any]] = {}
    incident_ids: set[int] = set()
    for d in published_designations(session):
        a = session.get(Actor, d.actor_id)
        if a is None:
            continue
        ent = actors.setdefault(a.id, {**actor_entry(a), "designations": []})
        entry = designation_entry(session, d, trans)
        entry["entity_id"] = ent["id"]
        ent["designations"].append(entry["id"])
        designations.append(entry)
        incident_ids.update(d.incident_ids or [])
    incidents: dict[int, dict[str, Any]] = {}
    for iid in sorted(incident_ids):
        inc = current_incident(session, iid)
        if inc is not None and inc.id not in incidents:
            # as a public reader sees it: span / field marks and non-public sources' values left out
            from bayyina.share.dossier import seen_entry

            incidents[inc.id] = seen_entry(session, inc, "public")
    for entry in designations:  # a designation names the incident its incident was merged into
        entry["incident_ids"] = sorted({cur.id if (cur := current_incident(session, i)) else i
                                        for i in entry["incident_ids"]})
    return {"type": NAMES_TYPE, "version": version, "released_at": released_at,
            "entities": [actors[k] for k in sorted(actors)], "designations": designations,
            "incidents": [incidents[k] for k in sorted(incidents)]}


def names_csv(data: dict[str, Any]) -> str:
    """``names.csv``: one row per designation, entity fields repeated."""
    ents = {e["id"]: e for e in data["entities"]}
    incs = {i["id"]: i for i in data["incidents"]}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for d in data["designations"]:
        e = ents[d["entity_id"]]
        inc_text = "; ".join(
            f"{i}: {(incs.get(i) or {}).get('place', {}).get('name') or '?'} {(incs.get(i) or {}).get('date', {}).get('start') or ''}".strip()
            for i in d["incident_ids"])
        w.writerow([e["id"], e["actor_id"], e["kind"], e["name_en"] or "", e["name_ar"] or "", "; ".join(e["aliases"]),
                    e["rank"] or "", e["nationality"] or "", d["designation_id"], d["authority"]["code"],
                    d["authority"]["name"], d["programme"], d["legal_basis"], "; ".join(m["id"] for m in d["measures"]),
                    d["start_date"], d["expiry_date"] or "", d["status"], d["delisted_on"] or "", d["reasons"]["en"],
                    d["reasons"]["ar"], d["reasons"]["fr"], inc_text])
    return buf.getvalue()


def names_ftm(session: Session, data: dict[str, Any]) -> str:
    """``names.ftm.json``: Person / Organization then Sanction entities, one JSON object a line."""
    from bayyina.sanctions.ftm import actor_entity, designation_entity

    lines = []
    for e in data["entities"]:
        a = session.get(Actor, e["actor_id"])
        assert a is not None
        lines.append(actor_entity(a).to_dict())
    for dd in data["designations"]:
        d = session.get(Designation, dd["designation_id"])
        assert d is not None
        ent = designation_entity(d, dd["entity_id"])
        if dd["reasons"]["fr"]:
            ent.add("reason", dd["reasons"]["fr"])
        lines.append(ent.to_dict())
    return "".join(json.dumps(x, ensure_ascii=False, sort_keys=True) + "\n" for x in lines)


def content_files(session: Session, data: dict[str, Any]) -> dict[str, str]:
    """The three content files of a release, as text."""
    return {
        "names.json": json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        "names.csv": names_csv(data),
        "names.ftm.json": names_ftm(session, data),
    }


# --------------------------------------------------------------------------- releases


def sha256_hex(text: str) -> str:
    """Hex SHA-256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def latest(session: Session) -> PublishRelease | None:
    """The newest release, or None."""
    return session.scalars(select(PublishRelease).order_by(PublishRelease.version.desc()).limit(1)).first()


def create_release(session: Session, keys_dir: Path, *, who: str, notes: str = "") -> PublishRelease:
    """Build, sign, store and log the next release of the published designations."""
    custody._lock_log(session)  # serialise releases as the log's appends are (two never get one version)
    prev = latest(session)
    version = 1 if prev is None else prev.version + 1
    created = now_utc()
    ts = iso_utc(created)
    data = snapshot(session, version=version, released_at=ts)
    files = content_files(session, data)
    priv = load_private(keys_dir)
    kid = key_id(priv.public_key())
    counts = {"entities": len(data["entities"]), "designations": len(data["designations"]),
              "incidents": len(data["incidents"])}
    manifest: dict[str, Any] = {
        "type": RELEASE_TYPE,
        "version": version,
        "created_at": ts,
        "notes": notes,
        "key_id": kid,
        "files": {n: {"sha256": sha256_hex(t), "bytes": len(t.encode("utf-8"))} for n, t in files.items()},
        "counts": counts,
        "previous": None if prev is None else {"version": prev.version, "manifest_sha256": sha256_hex(prev.manifest)},
    }
    text = canonical_json(manifest)
    sig = priv.sign(text.encode("utf-8")).hex()
    rel = PublishRelease(version=version, created_at=created, created_by=who, notes=notes, files=files,
                         manifest=text, signature=sig, key_id=kid)
    session.add(rel)
    session.flush()
    custody.append(session, actor=who, action="publish-release", subject=f"publish_release:{rel.id}",
                   payload={"version": version, "manifest_sha256": sha256_hex(text), **counts},
                   rows=[rel])
    return rel


def list_releases(session: Session) -> list[PublishRelease]:
    """Every release, oldest first."""
    return list(session.scalars(select(PublishRelease).order_by(PublishRelease.version)))


def get_release(session: Session, version: int | str | None = None) -> PublishRelease:
    """A release by version (the latest when None)."""
    if version is None:
        rel = latest(session)
        if rel is None:
            raise PublishError("no release yet (run `bayyina publish release`)")
        return rel
    text = str(version).strip().lstrip("v")
    if not text.isdigit():
        raise PublishError(f"{version!r} is not a release version (a number, e.g. 3 or v3)")
    rel = session.scalar(select(PublishRelease).where(PublishRelease.version == int(text)))
    if rel is None:
        n = session.scalar(select(func.max(PublishRelease.version)))
        raise PublishError(f"no release {text} (latest: {n if n else 'none'})")
    return rel


def _parsed(rel: PublishRelease, text: object, what: str) -> dict[str, Any]:
    try:
        data = json.loads(str(text))
    except ValueError as exc:
        raise PublishError(f"release {rel.version}: its stored {what} is not JSON ({exc}); "
                           "`bayyina verify` shows who changed it") from exc
    if not isinstance(data, dict):
        raise PublishError(f"release {rel.version}: its stored {what} is not a JSON object")
    return data


def manifest_of(rel: PublishRelease) -> dict[str, Any]:
    """The parsed manifest of a stored release."""
    return _parsed(rel, rel.manifest, "manifest")


def names_of(rel: PublishRelease) -> dict[str, Any]:
    """The parsed ``names.json`` of a stored release."""
    return _parsed(rel, (rel.files or {}).get("names.json"), "names.json")


def write_release(rel: PublishRelease, out: Path, keys_dir: Path | None = None) -> list[Path]:
    """Write a release's files, manifest, signature (and the public key when ``keys_dir``) into ``out``."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in {**rel.files, MANIFEST: rel.manifest, SIGNATURE: rel.signature + "\n"}.items():
            p = out / name
            p.write_bytes(text.encode("utf-8"))
            written.append(p)
        if keys_dir is not None:
            p = out / PUBLIC_KEY
            p.write_bytes((keys_dir / PUBLIC_NAME).read_bytes())
            written.append(p)
    except OSError as exc:
        raise PublishError(f"{out}: cannot write the release ({exc.__class__.__name__}: {exc})") from exc
    return written


# --------------------------------------------------------------------------- verification


@dataclass
class Verification:
    """What checking a release found (``problems`` empty: it holds)."""

    version: int | None
    key_id: str | None
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _load_pub(path: Path) -> Ed25519PublicKey:
    """The Ed25519 key in a PEM file (the one public-key reader), refusals as PublishError."""
    try:
        return read_public_file(path)
    except KeysError as exc:
        raise PublishError(str(exc)) from exc


def check(manifest_text: str, signature: str, files: dict[str, bytes], pub: Ed25519PublicKey,
          where: str) -> Verification:
    """Check a manifest's signature and every file's SHA-256 and size against it."""
    try:
        manifest = json.loads(manifest_text)
    except ValueError as exc:
        return Verification(None, None, problems=[f"{where}/{MANIFEST}: not JSON ({exc})"])
    if not isinstance(manifest, dict) or manifest.get("type") != RELEASE_TYPE:
        return Verification(None, None, problems=[f"{where}/{MANIFEST}: not a {RELEASE_TYPE} manifest"])
    v = Verification(manifest.get("version"), manifest.get("key_id"))
    if manifest.get("key_id") != key_id(pub):
        v.problems.append(f"{where}: signed by key {str(manifest.get('key_id'))[:16]}…, "
                          f"not by the given key {key_id(pub)[:16]}…")
    if canonical_json(manifest) != manifest_text:
        v.problems.append(f"{where}/{MANIFEST}: not in canonical form (it was edited)")
    try:
        pub.verify(bytes.fromhex(signature.strip()), manifest_text.encode("utf-8"))
    except (InvalidSignature, ValueError):
        v.problems.append(f"{where}/{SIGNATURE}: the signature does not verify")
    for name, meta in sorted((manifest.get("files") or {}).items()):
        data = files.get(name)
        if data is None:
            v.problems.append(f"{where}/{name}: missing")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != meta.get("sha256") or len(data) != meta.get("bytes"):
            v.problems.append(f"{where}/{name}: SHA-256 {digest[:16]}… differs from the manifest's "
                              f"{str(meta.get('sha256'))[:16]}…")
        else:
            v.files.append(name)
    return v


def verify_dir(path: Path, key: Path | None = None) -> Verification:
    """Check a release directory (``manifest.json``, ``manifest.sig``, content files) with ``key``.

    Without ``key`` the ``public_key.pem`` inside the directory is used: that
    proves the files are what the key's holder signed; compare the key id with
    one obtained elsewhere to know who that is.
    """
    if not path.is_dir():
        raise PublishError(f"{path}: not a directory")
    try:
        manifest_text = (path / MANIFEST).read_text(encoding="utf-8")
        signature = (path / SIGNATURE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PublishError(f"{path}: not a release directory ({exc.__class__.__name__}: {exc})") from exc
    pub = _load_pub(key or path / PUBLIC_KEY)
    files: dict[str, bytes] = {}
    for name in CONTENT_FILES:
        p = path / name
        if p.is_file():
            files[name] = p.read_bytes()
    return check(manifest_text, signature, files, pub, str(path))


def verify_release(rel: PublishRelease, keys_dir: Path) -> Verification:
    """Check a stored release against the home's public key."""
    files = {n: t.encode("utf-8") for n, t in rel.files.items()}
    return check(rel.manifest, rel.signature, files, load_public(keys_dir), f"release {rel.version}")


# --------------------------------------------------------------------------- diff


@dataclass
class ReleaseDiff:
    """What changed between two releases, per collection (entities, designations, incidents)."""

    old: int
    new: int
    added: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    removed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    amended: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.added.values()) and not any(self.removed.values()) and not any(self.amended.values())

    def as_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "added": self.added, "removed": self.removed,
                "amended": self.amended}


def _fields_diff(a: dict[str, Any], b: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [a.get(k), b.get(k)] for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}


def diff(old: dict[str, Any], new: dict[str, Any]) -> ReleaseDiff:
    """Added, removed and amended entities, designations and incidents between two ``names.json``."""
    out = ReleaseDiff(int(old.get("version") or 0), int(new.get("version") or 0))
    for coll in ("entities", "designations", "incidents"):
        a = {x["id"]: x for x in old.get(coll) or []}
        b = {x["id"]: x for x in new.get(coll) or []}
        out.added[coll] = [b[k] for k in b if k not in a]
        out.removed[coll] = [a[k] for k in a if k not in b]
        out.amended[coll] = [{"id": k, "changes": ch} for k in a if k in b
                             for ch in [_fields_diff(a[k], b[k])] if ch]
    return out


def diff_versions(session: Session, v1: int | str, v2: int | str) -> ReleaseDiff:
    """The diff between two stored releases."""
    return diff(names_of(get_release(session, v1)), names_of(get_release(session, v2)))


def describe_item(coll: str, item: dict[str, Any]) -> str:
    """One line naming an entity, designation or incident of a release."""
    if coll == "entities":
        return f"{item['id']} {item.get('name_en') or ''} / {item.get('name_ar') or ''}".strip(" /")
    if coll == "designations":
        return (f"{item['id']} {item['authority']['code']} {item['programme']} → {item['entity_id']} "
                f"({item['status']})")
    return f"incident {item['id']} {item['place'].get('name') or '?'} {item['date'].get('start') or ''}".strip()


def ids(items: Iterable[dict[str, Any]]) -> list[str]:
    """The ids of released items."""
    return [str(x["id"]) for x in items]
