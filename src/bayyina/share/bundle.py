"""Partner bundles: signed BagIt bags of originals, texts, records and custody entries.

Layout of a bundle (a zip whose root is the bag)::

    bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
    signature.json                     Ed25519 signature over tagmanifest-sha256.txt
    data/manifest.json                 sender, recipient, dates, clearance, counts, withheld (hash + reason)
    data/originals/<sha256>            the originals, byte for byte
    data/text/<id>.raw.txt, <id>.norm.txt   the extracted text layers
    data/records/documents.json        covered columns of each document (texts by file)
    data/records/incidents.json        covered columns of each incident (+ a flat view)
    data/records/attributions.json     attributions (from the register's table when it exists,
                                       else from the incidents' chosen perpetrators / attributions)
    data/records/actors.json  designations.json
    data/records/entities.ftm.json     the same as FollowTheMoney entities (JSON lines)
    data/custody/entries.jsonl         every sender log entry that covers a shipped row, as hashed
    data/custody/checkpoint.json       the sender's signed checkpoint over its log head

The signature covers the SHA-256 of ``tagmanifest-sha256.txt``, which lists
the hashes of ``manifest-sha256.txt`` and ``bag-info.txt``; the payload
manifest lists every payload file. Any edit, addition or removal therefore
breaks either the BagIt check or the signature.

Import (:func:`import_bundle`) refuses, with the exact reason and without
storing anything: unsafe zip entries (absolute paths, ``..``, links,
oversized or too many entries), a missing or malformed signature, a key that
is not trusted (or revoked), a signature that does not verify, a bag that
fails BagIt validation, a bundle addressed to another instance, an expired
bundle, a bundle already imported, a broken custody chain or checkpoint, and
records whose digest differs from the sender's log. Only then are blobs
written and rows inserted, in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
import tempfile
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import bagit
from cryptography.exceptions import InvalidSignature
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bayyina.sanctions.designations import SanctionsError
from bayyina.sanctions.ftm import import_file as ftm_import_file
from bayyina.share.records import (
    Selection,
    ShareError,
    Withheld,
    actor_record,
    allowed_document_ids,
    covered_record,
    designation_record,
    incident_attributions,
    incident_record,
    select_rows,
    selection_entities,
)
from bayyina.share.trust import TrustError, parse_public, partner_key, trusted_key
from bayyina.store.models import COVERED, Base, Checkpoint, CustodyEntry, Document
from bayyina.store.models_sensitivity import SensitiveField, SensitiveSpan
from bayyina.store.models_share import ReceivedBundle, ReceivedEntry, ReceivedRecord
from bayyina.store.sensitivity import allowed, check_level, rank
from bayyina.vault import custody
from bayyina.vault.blobs import hash_file
from bayyina.vault.canonical import (
    canonical_json,
    iso_utc,
    kind_of,
    now_utc,
    row_digest,
    row_key,
    sha256_text,
)
from bayyina.vault.checkpointing import checkpoint_now
from bayyina.vault.extraction import extract_and_store
from bayyina.vault.home import Home
from bayyina.vault.keys import checkpoint_message, key_id, load_private, load_public
from bayyina.vault.marks import (
    MARKABLE_FIELDS,
    MarkError,
    apply_received_field_marks,
    from_bundle_reason,
    mark_span,
)
from bayyina.vault.redact import hidden_marks

BUNDLE_TYPE = "bayyina-bundle/1"
SIGNATURE_TYPE = "bayyina-bundle-signature/1"
SIGNATURE_NAME = "signature.json"
TAGMANIFEST = "tagmanifest-sha256.txt"

# import limits (zip bombs, runaway bundles); callers may pass smaller ones
MAX_ENTRIES = 200_000
MAX_ENTRY_BYTES = 4 << 30
MAX_TOTAL_BYTES = 32 << 30
MAX_RATIO = 200  # uncompressed / compressed, for entries above 1 MiB

logging.getLogger("bagit").setLevel(logging.WARNING)


class BundleRefused(Exception):
    """A bundle failed a check; ``str(exc)`` is the exact reason. Nothing was stored."""


# --------------------------------------------------------------------------- helpers


def _digest_of(rec: dict[str, Any], cols: Iterable[str]) -> str:
    """The row digest of a record (as :func:`bayyina.vault.canonical.row_digest` computes it)."""
    data = {}
    for c in cols:
        v = rec.get(c)
        if isinstance(v, str) and len(v) > 200:
            v = "sha256:" + sha256_text(v)
        data[c] = v
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _entry_dict(e: CustodyEntry) -> dict[str, Any]:
    return {"seq": e.seq, "prev_hash": e.prev_hash, "ts": e.ts, "actor": e.actor, "action": e.action,
            "subject": e.subject, "payload": e.payload, "entry_hash": e.entry_hash}


def parse_expiry(value: str | None) -> str | None:
    """``--expires``: a day (YYYY-MM-DD, valid through that day, UTC) in the future."""
    if value is None:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ShareError(f"--expires: {value!r} is not a date (YYYY-MM-DD)") from exc
    if day < now_utc().date():
        raise ShareError(f"--expires: {day} is in the past")
    return day.isoformat()


# --------------------------------------------------------------------------- export


@dataclass
class ExportReport:
    """What a bundle holds."""

    path: Path
    sha256: str
    bundle_id: str
    partner: str
    documents: int = 0
    incidents: int = 0
    actors: int = 0
    designations: int = 0
    entries: int = 0
    withheld: list[dict[str, str]] = field(default_factory=list)


def _covering_entries(session: Session, keys: set[str]) -> tuple[list[CustodyEntry], dict[str, str]]:
    """Entries whose rows name any of ``keys``, and the latest digest the log holds for each key."""
    out: list[CustodyEntry] = []
    latest: dict[str, str] = {}
    for e in custody.entries(session):
        rows = custody.payload_of(e).get("rows") or {}
        hit = [k for k in rows if k in keys]
        if hit:
            out.append(e)
            for k in hit:
                latest[k] = rows[k]
    return out, latest


def _check_intact(rows: list[Base], latest: dict[str, str]) -> None:
    for r in rows:
        key = row_key(kind_of(r), r.id)  # type: ignore[attr-defined]
        if key not in latest:
            raise ShareError(f"{key} is not covered by the custody log; run `bayyina verify`")
        if latest[key] != row_digest(r):
            raise ShareError(f"{key} does not match its custody log entry (edited outside bayyina); "
                             "run `bayyina verify`")


def _attribution_records(sel: Selection) -> list[dict[str, Any]]:
    if sel.attributions:
        return [{"kind": kind_of(a), "row": covered_record(a)} for a in sel.attributions]
    out = []
    for inc in sel.incidents:
        perps = ((inc.chosen or {}).get("perpetrators") or {}).get("chosen") or []
        atts = incident_attributions(inc)
        if perps or atts:
            out.append({"kind": "incident-chosen", "incident_id": inc.id, "perpetrators": perps,
                        "attributions": atts})
    return out


def withhold_marked(session: Session, sel: Selection) -> None:
    """Hold back what span and field marks above the bundle's clearance cover (``docs/share.md``).

    A bundle carries whole rows, checked at the receiver against the sender's
    custody log, and the original bytes, which hold every marked span: neither
    can be cut. So a document holding a span above the clearance (or a WARC
    original one of whose records does) is withheld, listed by its SHA-256
    and the reason; an incident with a field marked above the clearance, or
    drawing on such a document, is withheld whole, listed by its row digest.
    """
    marks = hidden_marks(session, sel.clearance)
    if not marks:
        return
    marked_docs = set(marks.spans)
    inside: dict[int, list[int]] = {}  # document id -> itself and its WARC records holding marked spans
    for doc_id, parent_id in session.execute(select(Document.id, Document.parent_id)
                                             .where(Document.id.in_(sorted(marked_docs)))):
        inside.setdefault(doc_id, []).append(doc_id)
        if parent_id is not None:
            inside.setdefault(parent_id, []).append(doc_id)
    held: set[int] = set()
    kept_docs = []
    for d in sel.documents:
        if d.id in inside:
            level = max((sp[2] for k in inside[d.id] for sp in marks.spans[k]), key=rank)
            sel.withheld.append(Withheld("document", d.sha256,
                                         f"holds a span marked {level}, above {sel.clearance}"))
            held.add(d.id)
        else:
            kept_docs.append(d)
    kept_incs = []
    for inc in sel.incidents:
        fields = marks.fields_of(inc.id)
        docs = set(sel.incident_documents.get(inc.id, []))
        if fields:
            level = max(fields.values(), key=rank)
            why = f"field {', '.join(sorted(fields))} marked {level}, above {sel.clearance}"
        elif docs & (held | marked_docs):
            why = f"draws on a document holding a span marked above {sel.clearance}"
        else:
            kept_incs.append(inc)
            continue
        sel.withheld.append(Withheld("incident", row_digest(inc), why))
    sel.documents = kept_docs
    sel.incidents = kept_incs
    shared = {i.id for i in kept_incs}
    sel.attributions = [a for a in sel.attributions if getattr(a, "incident_id", None) in shared]


def shipped_marks(session: Session, sel: Selection) -> list[SensitiveSpan | SensitiveField]:
    """The active span marks of the shipped documents and field marks of the shipped incidents.

    They travel as covered rows (offsets, level, reason, who, when; never the
    marked text), so the receiver can re-create them and hide what they cover
    from its own lower-cleared readers. Marks above the clearance never get
    here: :func:`withhold_marked` held back what holds them.
    """
    out: list[SensitiveSpan | SensitiveField] = []
    doc_ids = sorted(d.id for d in sel.documents)
    if doc_ids:
        out.extend(m for m in session.scalars(
            select(SensitiveSpan).where(SensitiveSpan.document_id.in_(doc_ids), SensitiveSpan.active.is_(True))
            .order_by(SensitiveSpan.id)) if allowed(m.level, sel.clearance))
    inc_ids = sorted(i.id for i in sel.incidents)
    if inc_ids:
        out.extend(m for m in session.scalars(
            select(SensitiveField).where(SensitiveField.incident_id.in_(inc_ids), SensitiveField.active.is_(True))
            .order_by(SensitiveField.id)) if allowed(m.level, sel.clearance))
    return out


def export_bundle(
    home: Home, out: Path, *, partner: str, incident_ids: list[int] | None = None,
    max_sensitivity: str = "partner", expires: str | None = None, who: str | None = None,
) -> ExportReport:
    """Write a signed bundle for ``partner`` to ``out`` (a zip); see the module docstring."""
    clearance = check_level(max_sensitivity)
    exp = parse_expiry(expires)
    who = who or home.settings.user
    if out.exists() and out.is_dir():
        raise ShareError(f"{out}: is a directory")
    cp = checkpoint_now(home)  # the bundle's entries are all under a fresh signed head
    with home.session() as s:
        recipient = partner_key(s, partner)
        sel = select_rows(s, clearance, incident_ids=incident_ids, all_documents=incident_ids is None)
        withhold_marked(s, sel)
        marks = shipped_marks(s, sel)
        rows: list[Base] = [*sel.documents, *sel.incidents, *sel.actors, *sel.designations, *sel.attributions,
                            *marks]
        keys = {row_key(kind_of(r), r.id) for r in rows}  # type: ignore[attr-defined]
        entries, latest = _covering_entries(s, keys)
        _check_intact(rows, latest)
        if cp is None:
            cp = s.scalars(select(Checkpoint).order_by(Checkpoint.id.desc()).limit(1)).first()
        if cp is None:
            raise ShareError("nothing to share: the custody log is empty")
        priv = load_private(home.keys_dir)
        kid = key_id(priv.public_key())
        bundle_id = str(uuid.uuid4())
        home.vault.tmp.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="bundle-", dir=home.vault.tmp) as tmpdir:
            bag_dir = Path(tmpdir) / "bag"
            payload = bag_dir  # bagit moves the content into data/
            payload.mkdir()
            doc_records = []
            for d in sel.documents:
                src = home.vault.path_for(d.sha256)
                dest = payload / "originals" / d.sha256
                if not dest.exists():
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        shutil.copyfile(src, dest)
                    except OSError as exc:
                        raise ShareError(f"document {d.id}: original {src} cannot be read ({exc})") from exc
                rec = covered_record(d)
                raw, norm = rec.pop("raw_text") or "", rec.pop("norm_text") or ""
                (payload / "text").mkdir(exist_ok=True)
                (payload / "text" / f"{d.id}.raw.txt").write_text(raw, encoding="utf-8", newline="")
                (payload / "text" / f"{d.id}.norm.txt").write_text(norm, encoding="utf-8", newline="")
                doc_records.append({"row": rec, "raw_text_file": f"text/{d.id}.raw.txt",
                                    "norm_text_file": f"text/{d.id}.norm.txt", "sensitivity": d.sensitivity,
                                    "original": f"originals/{d.sha256}"})
            _write_json(payload / "records" / "documents.json", doc_records)
            _write_json(payload / "records" / "incidents.json", [
                {"row": covered_record(i),
                 "flat": incident_record(i, sel.incident_levels[i.id], sel.incident_documents[i.id])}
                for i in sel.incidents])
            _write_json(payload / "records" / "attributions.json", _attribution_records(sel))
            _write_json(payload / "records" / "marks.json",
                        [{"kind": kind_of(m), "row": covered_record(m)} for m in marks])
            _write_json(payload / "records" / "actors.json",
                        [{"row": covered_record(a), "flat": actor_record(a)} for a in sel.actors])
            shared_inc = {i.id for i in sel.incidents}
            des_records = []
            for des in sel.designations:
                ev = allowed_document_ids(s, des.evidence or [], clearance)
                des_records.append({"row": covered_record(des), "flat": designation_record(
                    des, evidence=ev, incidents=[i for i in des.incident_ids or [] if i in shared_inc])})
            _write_json(payload / "records" / "designations.json", des_records)
            with (payload / "records" / "entities.ftm.json").open("w", encoding="utf-8") as fh:
                for ent in selection_entities(sel, s, id_prefix=f"bayyina-{kid[:16]}"):
                    fh.write(json.dumps(ent.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            (payload / "custody").mkdir()
            with (payload / "custody" / "entries.jsonl").open("w", encoding="utf-8") as fh:
                for e in entries:
                    fh.write(canonical_json(_entry_dict(e)) + "\n")
            _write_json(payload / "custody" / "checkpoint.json",
                        {"seq": cp.seq, "head_hash": cp.head_hash, "ts": cp.ts, "key_id": cp.key_id,
                         "signature": cp.signature})
            created = iso_utc(now_utc())
            manifest = {
                "type": BUNDLE_TYPE, "id": bundle_id, "created": created, "created_by": who, "expires": exp,
                "sender": {"key_id": kid}, "recipient": {"partner": recipient.partner, "key_id": recipient.key_id},
                "max_sensitivity": clearance, "incidents_requested": incident_ids,
                "counts": {"documents": len(sel.documents), "incidents": len(sel.incidents),
                           "actors": len(sel.actors), "designations": len(sel.designations),
                           "marks": len(marks), "entries": len(entries)},
                "withheld": [w.as_dict() for w in sel.withheld],
            }
            _write_json(payload / "manifest.json", manifest)
            bagit.make_bag(str(bag_dir), {
                "Source-Organization": "bayyina", "External-Identifier": bundle_id,
                "External-Description": f"bayyina partner bundle for {recipient.partner}",
                "Bundle-Sender-Key": kid, "Bundle-Recipient-Key": recipient.key_id,
                "Bundle-Expires": exp or "never",
            }, checksums=["sha256"])
            tag_sha = hash_file(bag_dir / TAGMANIFEST)[0]
            msg = _signature_message(kid, tag_sha, bundle_id)
            pub_pem = (home.keys_dir / "custody_ed25519.pub.pem").read_text(encoding="ascii")
            _write_json(bag_dir / SIGNATURE_NAME, {
                "type": SIGNATURE_TYPE, "key_id": kid, "bundle_id": bundle_id, "tagmanifest_sha256": tag_sha,
                "public_key": pub_pem, "signature": priv.sign(msg).hex()})
            _zip_dir(bag_dir, out)
    sha = hash_file(out)[0]
    return ExportReport(out, sha, bundle_id, recipient.partner, len(sel.documents), len(sel.incidents),
                        len(sel.actors), len(sel.designations), len(entries),
                        [w.as_dict() for w in sel.withheld])


def _signature_message(kid: str, tag_sha: str, bundle_id: str) -> bytes:
    return canonical_json({"type": SIGNATURE_TYPE, "key_id": kid, "bundle_id": bundle_id,
                           "tagmanifest_sha256": tag_sha}).encode("utf-8")


def _zip_dir(src: Path, out: Path) -> None:
    tmp = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(src.rglob("*")):
                if p.is_file():
                    zf.write(p, p.relative_to(src).as_posix())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ShareError(f"{out}: cannot write ({exc.strerror or exc})") from exc


# --------------------------------------------------------------------------- import: unpacking


def safe_extract(
    zip_path: Path, dest: Path, *, max_entries: int = MAX_ENTRIES, max_entry_bytes: int = MAX_ENTRY_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> None:
    """Unpack a zip refusing zip-slip names, links, duplicates and oversized entries."""
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleRefused(f"not a readable zip file ({exc})") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > max_entries:
            raise BundleRefused(f"too many entries ({len(infos)} > {max_entries})")
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            p = PurePosixPath(name)
            if (not name or "\\" in name or name.startswith("/") or p.is_absolute() or ".." in p.parts
                    or (p.parts and p.parts[0].endswith(":")) or "\x00" in name):
                raise BundleRefused(f"unsafe path in the zip: {name!r}")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise BundleRefused(f"link in the zip: {name!r}")
            if info.is_dir():
                continue
            key = name.casefold()
            if key in seen:
                raise BundleRefused(f"duplicate entry in the zip: {name!r}")
            seen.add(key)
            if info.file_size > max_entry_bytes:
                raise BundleRefused(f"oversized entry {name!r} ({info.file_size} bytes > {max_entry_bytes})")
            if info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise BundleRefused(f"entry {name!r} expands {info.file_size // max(info.compress_size, 1)}x "
                                    "(zip bomb?)")
            total += info.file_size
            if total > max_total_bytes:
                raise BundleRefused(f"bundle too large (more than {max_total_bytes} bytes unpacked)")
        for info in infos:
            if info.is_dir():
                continue
            target = dest / info.filename
            if not target.resolve().is_relative_to(dest.resolve()):
                raise BundleRefused(f"unsafe path in the zip: {info.filename!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            try:
                with zf.open(info) as src, open(target, "wb") as fh:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > info.file_size or written > max_entry_bytes:
                            raise BundleRefused(f"entry {info.filename!r} is larger than it declares")
                        fh.write(chunk)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
                raise BundleRefused(f"entry {info.filename!r} cannot be read ({exc})") from exc


# --------------------------------------------------------------------------- import: checks


@dataclass
class Checked:
    """A bundle that passed every check, ready to store."""

    bag: Path
    sha256: str
    partner: str
    key_id: str
    manifest: dict[str, Any]
    checkpoint: dict[str, Any]
    entries: list[dict[str, Any]]
    documents: list[dict[str, Any]]  # row (with texts) + sensitivity + original path
    records: dict[str, list[dict[str, Any]]]


def _load_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BundleRefused(f"{what} is missing") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BundleRefused(f"{what} is not valid JSON ({exc})") from exc


def _check_signature(session: Session, bag: Path) -> tuple[str, str, dict[str, Any]]:
    """(partner, key id, signature document) or refused."""
    sig_path = bag / SIGNATURE_NAME
    if not sig_path.is_file():
        raise BundleRefused("unsigned bundle (no signature.json)")
    sig = _load_json(sig_path, "signature.json")
    if not isinstance(sig, dict) or sig.get("type") != SIGNATURE_TYPE or not all(
            isinstance(sig.get(k), str) for k in ("key_id", "bundle_id", "tagmanifest_sha256", "signature")):
        raise BundleRefused("signature.json is malformed")
    kid = sig["key_id"]
    pk = trusted_key(session, kid)
    if pk is None:
        raise BundleRefused(f"signed by an untrusted key {kid[:16]}… (trust it with `bayyina keys trust`)")
    if pk.status != "trusted":
        raise BundleRefused(f"signed by the key of {pk.partner!r}, which was revoked")
    try:
        pub, _pem = parse_public(pk.public_key.encode("ascii"), f"stored key of {pk.partner}")
    except TrustError as exc:
        raise BundleRefused(str(exc)) from exc
    if key_id(pub) != kid:
        raise BundleRefused("stored partner key does not match its key id")
    tag = bag / TAGMANIFEST
    if not tag.is_file():
        raise BundleRefused(f"BagIt: {TAGMANIFEST} is missing")
    tag_sha = hash_file(tag)[0]
    if tag_sha != sig["tagmanifest_sha256"]:
        raise BundleRefused("signature does not verify: the tag manifest was changed after signing")
    try:
        pub.verify(bytes.fromhex(sig["signature"]), _signature_message(kid, tag_sha, sig["bundle_id"]))
    except (InvalidSignature, ValueError) as exc:
        raise BundleRefused(f"signature does not verify under the key of {pk.partner!r}") from exc
    return pk.partner, kid, sig


def _check_bag(bag: Path) -> None:
    listed: set[str] = set()
    for line in (bag / TAGMANIFEST).read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.strip().split(maxsplit=1)
        if len(parts) == 2:
            listed.add(parts[1])
    for p in bag.iterdir():
        if p.is_file() and p.name not in (SIGNATURE_NAME, TAGMANIFEST) and p.name not in listed:
            raise BundleRefused(f"BagIt: tag file {p.name} is not in the signed tag manifest")
    for need in ("manifest-sha256.txt", "bag-info.txt", "bagit.txt"):
        if need not in listed:
            raise BundleRefused(f"BagIt: {need} is not in the signed tag manifest")
    try:
        bagit.Bag(str(bag)).validate(processes=1)
    except bagit.BagValidationError as exc:
        details = "; ".join(str(d) for d in (exc.details or [])[:5])
        raise BundleRefused(f"BagIt: {exc.message}{': ' + details if details else ''}") from exc
    except bagit.BagError as exc:
        raise BundleRefused(f"BagIt: {exc}") from exc


def _check_manifest(manifest: Any, sig: dict[str, Any], own_key: str, kid: str) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("type") != BUNDLE_TYPE:
        raise BundleRefused("data/manifest.json is not a bayyina bundle manifest")
    if manifest.get("id") != sig["bundle_id"]:
        raise BundleRefused("signature.json names another bundle than data/manifest.json")
    if (manifest.get("sender") or {}).get("key_id") != kid:
        raise BundleRefused("the manifest names another sender than the signing key")
    rcpt = (manifest.get("recipient") or {}).get("key_id")
    if rcpt != own_key:
        raise BundleRefused(f"addressed to another instance (key {str(rcpt)[:16]}…), not this one")
    exp = manifest.get("expires")
    if exp is not None:
        try:
            day = date.fromisoformat(str(exp))
        except ValueError as exc:
            raise BundleRefused(f"manifest expiry {exp!r} is not a date") from exc
        if now_utc().date() > day:
            raise BundleRefused(f"expired on {day} (valid through that day, UTC)")
    return manifest


def _check_custody(bag: Path, kid: str, pub_pem: str) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, str]]:
    """Entries, checkpoint and the latest digest per row key, or refused."""
    cp = _load_json(bag / "data" / "custody" / "checkpoint.json", "data/custody/checkpoint.json")
    try:
        cp_obj = Checkpoint(seq=int(cp["seq"]), head_hash=str(cp["head_hash"]), ts=str(cp["ts"]),
                            key_id=str(cp["key_id"]), signature=str(cp["signature"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleRefused("data/custody/checkpoint.json is malformed") from exc
    pub, _ = parse_public(pub_pem.encode("ascii"), "partner key")
    if cp_obj.key_id != kid:
        raise BundleRefused("the sender's checkpoint is signed by another key than the bundle")
    try:
        pub.verify(bytes.fromhex(cp_obj.signature),
                   checkpoint_message(cp_obj.seq, cp_obj.head_hash, cp_obj.ts, cp_obj.key_id))
    except (InvalidSignature, ValueError) as exc:
        raise BundleRefused("custody: the sender's checkpoint signature does not verify") from exc
    entries: list[dict[str, Any]] = []
    path = bag / "data" / "custody" / "entries.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BundleRefused(f"data/custody/entries.jsonl cannot be read ({exc})") from exc
    prev: dict[str, Any] | None = None
    latest: dict[str, str] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            e = CustodyEntry(seq=int(d["seq"]), prev_hash=str(d["prev_hash"]), ts=str(d["ts"]),
                             actor=str(d["actor"]), action=str(d["action"]), subject=str(d["subject"]),
                             payload=str(d["payload"]), entry_hash=str(d["entry_hash"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise BundleRefused(f"custody: entries.jsonl line {n} is malformed") from exc
        if custody.compute_hash(e) != e.entry_hash:
            raise BundleRefused(f"custody: sender entry #{e.seq} does not match its hash (edited)")
        if e.seq == 1 and e.prev_hash != custody.GENESIS:
            raise BundleRefused("custody: sender entry #1 does not start the chain")
        if prev is not None:
            if e.seq <= prev["seq"]:
                raise BundleRefused(f"custody: sender entry #{e.seq} is out of order")
            if e.seq == prev["seq"] + 1 and e.prev_hash != prev["entry_hash"]:
                raise BundleRefused(f"custody: sender entry #{e.seq} does not chain to entry #{prev['seq']}")
        if e.seq > cp_obj.seq:
            raise BundleRefused(f"custody: sender entry #{e.seq} is after the signed checkpoint (#{cp_obj.seq})")
        if e.seq == cp_obj.seq and e.entry_hash != cp_obj.head_hash:
            raise BundleRefused(f"custody: sender entry #{e.seq} is not the one the checkpoint signed")
        for k, v in (custody.payload_of(e).get("rows") or {}).items():
            latest[k] = str(v)
        d = _entry_dict(e)
        entries.append(d)
        prev = d
    return entries, cp, latest


def _rows(obj: Any, what: str) -> list[dict[str, Any]]:
    if not isinstance(obj, list) or not all(isinstance(x, dict) for x in obj):
        raise BundleRefused(f"{what} is not a list of records")
    return obj


def _check_record(kind: str, row: Any, latest: dict[str, str], what: str) -> None:
    if kind not in COVERED:
        raise BundleRefused(f"{what}: unknown record kind {kind!r}")
    if not isinstance(row, dict) or not isinstance(row.get("id"), int):
        raise BundleRefused(f"{what}: malformed {kind} record")
    key = row_key(kind, row["id"])
    digest = latest.get(key)
    if digest is None:
        raise BundleRefused(f"{what}: {key} is not covered by any of the sender's custody entries")
    if _digest_of(row, COVERED[kind][1]) != digest:
        raise BundleRefused(f"{what}: {key} does not match the sender's custody log (changed)")


def check_bundle(session: Session, bag: Path, bundle_sha: str, own_key: str) -> Checked:
    """Every check of an unpacked bundle (see the module docstring); refused with the reason."""
    partner, kid, sig = _check_signature(session, bag)
    _check_bag(bag)
    data = bag / "data"
    manifest = _check_manifest(_load_json(data / "manifest.json", "data/manifest.json"), sig, own_key, kid)
    if session.scalar(select(ReceivedBundle.id).where(ReceivedBundle.bundle_sha256 == bundle_sha)) is not None:
        raise BundleRefused(f"already imported (bundle sha256 {bundle_sha[:16]}…)")
    pk = trusted_key(session, kid)
    assert pk is not None
    entries, cp, latest = _check_custody(bag, kid, pk.public_key)
    docs = []
    for rec in _rows(_load_json(data / "records" / "documents.json", "records/documents.json"), "documents.json"):
        row = dict(rec.get("row") or {})
        try:
            for col, f in (("raw_text", rec["raw_text_file"]), ("norm_text", rec["norm_text_file"])):
                p = data / str(f)
                if not p.resolve().is_relative_to(data.resolve()):
                    raise BundleRefused(f"documents.json: unsafe text path {f!r}")
                row[col] = p.read_text(encoding="utf-8")
            original = data / str(rec["original"])
            level = check_level(str(rec["sensitivity"]))
        except (KeyError, OSError, UnicodeDecodeError, ValueError) as exc:
            raise BundleRefused(f"documents.json: document {row.get('id')}: incomplete ({exc})") from exc
        _check_record("document", row, latest, "documents.json")
        if not original.resolve().is_relative_to(data.resolve()) or not original.is_file():
            raise BundleRefused(f"document {row['id']}: original {rec['original']} is missing")
        sha, size = hash_file(original)
        if sha != row.get("sha256") or size != row.get("size"):
            raise BundleRefused(f"document {row['id']}: the original's sha256 or size differs from its record")
        docs.append({"row": row, "sensitivity": level, "original": original})
    records: dict[str, list[dict[str, Any]]] = {}
    for name, kind in (("incidents", "incident"), ("actors", "actor"), ("designations", "designation")):
        recs = _rows(_load_json(data / "records" / f"{name}.json", f"records/{name}.json"), f"{name}.json")
        for r in recs:
            _check_record(kind, r.get("row"), latest, f"{name}.json")
        records[kind] = recs
    atts = _rows(_load_json(data / "records" / "attributions.json", "records/attributions.json"), "attributions.json")
    for a in atts:
        if a.get("kind") in COVERED:
            _check_record(str(a["kind"]), a.get("row"), latest, "attributions.json")
    records["attribution"] = atts
    records.update(_check_marks(data, latest, docs, records.get("incident") or [], str(manifest.get("id"))))
    return Checked(bag, bundle_sha, partner, kid, manifest, cp, entries, docs, records)


MARK_KINDS = ("sensitive_span", "sensitive_field")


def _check_marks(data: Path, latest: dict[str, str], docs: list[dict[str, Any]], incidents: list[dict[str, Any]],
                 bundle_id: str) -> dict[str, list[dict[str, Any]]]:
    """The span and field marks of ``records/marks.json`` (absent in bundles made before marks travelled),
    each checked against the sender's log and against the record it marks; refused with the bundle and
    the mark named. A field mark is kept with the dedupe keys of its incident's documents, so that it can
    find the receiver's incidents built from them (:func:`apply_received_field_marks`)."""
    path = data / "records" / "marks.json"
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in MARK_KINDS}
    if not path.exists():
        return out
    texts = {d["row"]["id"]: d["row"].get("norm_text") or "" for d in docs}
    keys = {d["row"]["id"]: d["row"].get("dedupe_key") for d in docs}
    inc_docs: dict[int, list[Any]] = {}
    for r in incidents:
        row, flat = r.get("row") or {}, r.get("flat") or {}
        if isinstance(row.get("id"), int):
            inc_docs[row["id"]] = [keys[i] for i in (flat.get("documents") or []) if i in keys]
    for m in _rows(_load_json(path, "records/marks.json"), "marks.json"):
        kind, row = m.get("kind"), m.get("row")
        if kind not in MARK_KINDS:
            raise BundleRefused(f"bundle {bundle_id}: marks.json: unknown mark kind {kind!r}")
        _check_record(str(kind), row, latest, f"bundle {bundle_id}: marks.json")
        assert isinstance(row, dict)
        what = f"bundle {bundle_id}: marks.json: {row_key(str(kind), row['id'])}"
        try:
            check_level(str(row.get("level")))
        except ValueError as exc:
            raise BundleRefused(f"{what}: {exc}") from exc
        if row.get("active") is not True:
            raise BundleRefused(f"{what}: the mark is not active")
        if kind == "sensitive_span":
            doc, start, end = row.get("document_id"), row.get("start"), row.get("end")
            if doc not in texts:
                raise BundleRefused(f"{what}: marks document {doc}, which is not in the bundle")
            n = len(texts[doc])
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n):
                raise BundleRefused(f"{what}: span [{start}, {end}) is outside document {doc}'s normalised "
                                    f"text (0 <= start < end <= {n})")
            out["sensitive_span"].append({"kind": kind, "row": row})
        else:
            inc, name = row.get("incident_id"), row.get("field")
            if name not in MARKABLE_FIELDS:
                raise BundleRefused(f"{what}: unknown field {name!r} (expected one of {', '.join(MARKABLE_FIELDS)})")
            if inc not in inc_docs:
                raise BundleRefused(f"{what}: marks incident {inc}, which is not in the bundle")
            out["sensitive_field"].append({"kind": kind, "row": row, "document_keys": inc_docs[inc]})
    return out


def _store_span_marks(session: Session, c: Checked, local_ids: dict[int, int], who: str) -> int:
    """Make each received span mark again on the receiver's copy of its document (logged there).
    A span already marked here at that level or higher is left as it is, and so is one made here from
    the same sender mark (by an earlier bundle) and removed since. Returns how many were made."""
    bid = str(c.manifest.get("id"))
    texts = {d["row"]["id"]: d["row"].get("norm_text") or "" for d in c.documents}
    made = 0
    for m in c.records.get("sensitive_span") or []:
        row = m["row"]
        what = f"bundle {bid}: marks.json: {row_key('sensitive_span', row['id'])}"
        local = local_ids.get(row["document_id"])
        doc = session.get(Document, local) if local is not None else None
        if doc is None:
            raise BundleRefused(f"{what}: its document {row['document_id']} was not stored")
        start, end = int(row["start"]), int(row["end"])
        here = (doc.norm_text or "")[start:end]
        if here != texts[row["document_id"]][start:end]:
            raise BundleRefused(f"{what}: document {doc.id} is stored here with another normalised text; "
                                "the span cannot be placed on it")
        have = session.execute(select(SensitiveSpan.level, SensitiveSpan.active, SensitiveSpan.reason).where(
            SensitiveSpan.document_id == doc.id, SensitiveSpan.start == start, SensitiveSpan.end == end)).all()
        if any(active and rank(lv) >= rank(row["level"]) for lv, active, _ in have):
            continue
        earlier = tuple(from_bundle_reason(str((mf or {}).get("id")), "") for mf in session.scalars(
            select(ReceivedBundle.manifest).join(ReceivedRecord, ReceivedRecord.bundle_id == ReceivedBundle.id)
            .where(ReceivedBundle.key_id == c.key_id, ReceivedRecord.kind == "sensitive_span",
                   ReceivedRecord.ref == str(row["id"]))))
        if earlier and any(why.startswith(earlier) for _, _, why in have):
            continue  # made from this sender mark once (any bundle) and removed here since: the removal stands
        try:
            mark_span(session, doc.id, start, end, str(row["level"]), from_bundle_reason(bid, str(row["reason"])), who)
        except MarkError as exc:
            raise BundleRefused(f"{what}: {exc}") from exc
        made += 1
    return made


# --------------------------------------------------------------------------- import: storing


@dataclass
class ImportReport:
    """What an import stored."""

    partner: str
    bundle_sha256: str
    bundle_id: str
    documents_new: int = 0
    documents_known: int = 0
    entries: int = 0
    records: int = 0
    actors_added: int = 0
    designations_added: int = 0
    withheld: int = 0
    span_marks: int = 0
    field_marks: int = 0
    field_marks_pending: int = 0
    incidents_extracted: int = 0
    warnings: list[str] = field(default_factory=list)


def _store(session: Session, home: Home, c: Checked, who: str, bundle_name: str) -> tuple[ImportReport, list[Document]]:
    now = now_utc()
    day = now.date().isoformat()
    note = f"received from {c.partner} on {day} (bundle sha256 {c.sha256})"
    rep = ImportReport(c.partner, c.sha256, str(c.manifest.get("id")), withheld=len(c.manifest.get("withheld") or []))
    bundle = ReceivedBundle(partner=c.partner, key_id=c.key_id, bundle_sha256=c.sha256, bundle_name=bundle_name,
                            sender_created=str(c.manifest.get("created") or ""),
                            expires=c.manifest.get("expires"), manifest=c.manifest, checkpoint=c.checkpoint,
                            received_at=now, received_by=who)
    session.add(bundle)
    session.flush()
    entries = [ReceivedEntry(bundle_id=bundle.id, sender_key_id=c.key_id, **e) for e in c.entries]
    session.add_all(entries)
    records = []
    for kind, recs in c.records.items():
        for r in recs:
            ref = (r.get("row") or {}).get("id", r.get("incident_id"))
            records.append(ReceivedRecord(bundle_id=bundle.id, kind=kind, ref=str(ref), data=r))
    session.add_all(records)
    session.flush()
    custody.append(session, actor=who, action="bundle-received", subject=f"received_bundle:{bundle.id}",
                   payload={"partner": c.partner, "key_id": c.key_id, "bundle_sha256": c.sha256,
                            "bundle_id": rep.bundle_id, "note": note, "withheld": rep.withheld},
                   rows=[bundle, *entries, *records])
    rep.entries, rep.records = len(entries), len(records)

    by_sender_id = {d["row"]["id"]: d for d in c.documents}
    local_ids: dict[int, int] = {}
    new_docs: list[Document] = []
    # parents before their WARC pages
    order = sorted(c.documents, key=lambda d: (d["row"].get("parent_id") is not None, d["row"]["id"]))
    for d in order:
        row = d["row"]
        sender_entries = [e["entry_hash"] for e in c.entries
                          if row_key("document", row["id"]) in (custody.payload_of(_as_entry(e)).get("rows") or {})]
        existing = session.scalar(select(Document).where(Document.dedupe_key == row["dedupe_key"]))
        payload = {"partner": c.partner, "date": day, "bundle_sha256": c.sha256, "sender_key_id": c.key_id,
                   "sender_document": row["id"], "sha256": row["sha256"], "sender_entries": sender_entries,
                   "note": note}
        if existing is not None:
            local_ids[row["id"]] = existing.id
            rep.documents_known += 1
            custody.append(session, actor=who, action="received", subject=f"document:{existing.id}",
                           payload={**payload, "already_stored": True})
            continue
        parent = row.get("parent_id")
        if parent is not None and parent not in local_ids:
            # a WARC page whose parent was withheld by the sender: kept without its parent
            p = by_sender_id.get(parent)
            found = session.scalar(select(Document).where(Document.dedupe_key == p["row"]["dedupe_key"])) if p else None
            if found is not None:
                local_ids[parent] = found.id
        doc = Document(
            dedupe_key=row["dedupe_key"], sha256=row["sha256"], size=row["size"], media_type=row["media_type"],
            original_filename=row["original_filename"], source_url=row.get("source_url"),
            labels=sorted(set(row.get("labels") or []) | {f"received:{c.partner}"}), ingested_at=now,
            ingested_by=who, language=row.get("language"), encoding=row.get("encoding"),
            needs_ocr=bool(row.get("needs_ocr")), parent_id=local_ids.get(parent) if parent is not None else None,
            raw_text=row.get("raw_text") or "", norm_text=row.get("norm_text") or "",
            status=row.get("status") or "active", sensitivity=d["sensitivity"],
        )
        session.add(doc)
        session.flush()
        local_ids[row["id"]] = doc.id
        custody.append(session, actor=who, action="received", subject=f"document:{doc.id}", payload=payload,
                       rows=[doc])
        new_docs.append(doc)
        rep.documents_new += 1

    rep.span_marks = _store_span_marks(session, c, local_ids, who)
    try:
        rep.field_marks = len(apply_received_field_marks(session, who, bundle_ids=[bundle.id]))
    except MarkError as exc:
        raise BundleRefused(f"bundle {rep.bundle_id}: marks.json: {exc}") from exc
    rep.field_marks_pending = len(c.records.get("sensitive_field") or []) if not rep.field_marks else 0
    if rep.field_marks_pending:
        rep.warnings.append(f"{rep.field_marks_pending} received field marks wait for this instance's incidents: "
                            "they are made on them after `bayyina incidents resolve` "
                            "(vault.marks.apply_received_field_marks)")

    ftm = _sanctions_only(c.bag / "data" / "records" / "entities.ftm.json")
    if ftm is not None:
        try:
            frep = ftm_import_file(session, ftm, who=who, why=note)
        except SanctionsError as exc:
            raise BundleRefused(f"records/entities.ftm.json: {exc}") from exc
        if frep.problems:
            raise BundleRefused(f"records/entities.ftm.json: {frep.problems[0]}")
        rep.actors_added, rep.designations_added = frep.actors_added, frep.designations_added
    return rep, new_docs


def _sanctions_only(path: Path) -> Path | None:
    """The Sanction entities of the bundle and the actors they name (written beside it), or None.

    Only designated actors join the receiver's actor register; the sender's other
    actors (seeded from perpetrator codes, say) stay received records, so the
    receiver's own resolve does not meet duplicates of them.
    """
    if not path.is_file():
        return None
    try:
        ents = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BundleRefused(f"records/entities.ftm.json is not JSON lines ({exc})") from exc
    sanctions = [e for e in ents if isinstance(e, dict) and e.get("schema") == "Sanction"]
    if not sanctions:
        return None
    named = {v for e in sanctions for v in ((e.get("properties") or {}).get("entity") or [])}
    keep = [e for e in ents if isinstance(e, dict) and (e.get("id") in named or e.get("schema") == "Sanction")]
    out = path.with_name("sanctions.ftm.json")
    out.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in keep), encoding="utf-8")
    return out


def _as_entry(e: dict[str, Any]) -> CustodyEntry:
    return CustodyEntry(**e)


def import_bundle(
    home: Home, bundle: Path, *, who: str | None = None, extract: bool = True,
    limits: dict[str, int] | None = None,
) -> ImportReport:
    """Check a bundle and, only when every check passes, store it (see the module docstring)."""
    who = who or home.settings.user
    if not bundle.is_file():
        raise BundleRefused(f"{bundle}: no such file")
    sha = hash_file(bundle)[0]
    own = key_id(load_public(home.keys_dir))
    home.vault.tmp.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="import-", dir=home.vault.tmp) as tmpdir:
        bag = Path(tmpdir) / "bag"
        bag.mkdir()
        safe_extract(bundle, bag, **(limits or {}))
        with home.session() as s:
            try:
                checked = check_bundle(s, bag, sha, own)
                try:
                    rep, new_docs = _store(s, home, checked, who, bundle.name)
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    raise BundleRefused(f"a record is malformed ({exc.__class__.__name__}: {exc})") from exc
                s.flush()
                # blobs last, once every check and every insert has passed
                for d in checked.documents:
                    if not home.vault.exists(d["row"]["sha256"]):
                        with open(d["original"], "rb") as fh:
                            staged = home.vault.stage_stream(fh)
                        if staged.sha256 != d["row"]["sha256"]:
                            home.vault.discard(staged)
                            raise BundleRefused(f"document {d['row']['id']}: original changed while importing")
                        home.vault.commit(staged)
                s.commit()
            except IntegrityError as exc:  # the same bundle or document stored meanwhile by another process
                s.rollback()
                raise BundleRefused(f"already imported meanwhile by another process ({exc.orig})") from exc
            except BaseException:
                s.rollback()
                raise
            new_ids = [d.id for d in new_docs]
    if extract and new_ids:
        with home.session() as s:
            for i in new_ids:
                doc = s.get(Document, i)
                if doc is None:
                    continue
                try:
                    n = extract_and_store(s, doc, who)
                except Exception as exc:  # noqa: BLE001 - extraction is never fatal, as in ingest
                    rep.warnings.append(f"document {i}: extraction failed ({exc.__class__.__name__}: {exc})")
                    continue
                rep.incidents_extracted += n or 0
    checkpoint_now(home)  # sign the head over the import and its extraction runs
    return rep


def received_bundles(session: Session) -> list[ReceivedBundle]:
    """Every imported bundle, oldest first."""
    return list(session.scalars(select(ReceivedBundle).order_by(ReceivedBundle.id)))


def check_received(session: Session, bundle_id: int | None = None) -> list[str]:
    """Recheck stored bundles: the sender entries' hashes and chaining, and the sender's checkpoint
    signature under the partner key stored now. Returns one line per problem (empty: all hold)."""
    q = select(ReceivedBundle).order_by(ReceivedBundle.id)
    if bundle_id is not None:
        q = q.where(ReceivedBundle.id == bundle_id)
    problems: list[str] = []
    bundles = list(session.scalars(q))
    if bundle_id is not None and not bundles:
        return [f"no received bundle {bundle_id}"]
    for b in bundles:
        where = f"bundle {b.id} from {b.partner}"
        pk = trusted_key(session, b.key_id)
        if pk is None:
            problems.append(f"{where}: its key {b.key_id[:16]}… is no longer in the trust store")
        else:
            cp = b.checkpoint or {}
            try:
                pub, _ = parse_public(pk.public_key.encode("ascii"), "partner key")
                pub.verify(bytes.fromhex(str(cp.get("signature"))), checkpoint_message(
                    int(cp["seq"]), str(cp["head_hash"]), str(cp["ts"]), str(cp["key_id"])))
            except (InvalidSignature, ValueError, KeyError, TypeError, TrustError):
                problems.append(f"{where}: the sender's checkpoint signature does not verify")
        prev: ReceivedEntry | None = None
        q2 = select(ReceivedEntry).where(ReceivedEntry.bundle_id == b.id).order_by(ReceivedEntry.seq)
        for e in session.scalars(q2):
            body = CustodyEntry(seq=e.seq, prev_hash=e.prev_hash, ts=e.ts, actor=e.actor, action=e.action,
                                subject=e.subject, payload=e.payload, entry_hash=e.entry_hash)
            if custody.compute_hash(body) != e.entry_hash:
                problems.append(f"{where}: sender entry #{e.seq} does not match its hash (edited)")
            if prev is not None and e.seq == prev.seq + 1 and e.prev_hash != prev.entry_hash:
                problems.append(f"{where}: sender entry #{e.seq} does not chain to #{prev.seq}")
            prev = e
    return problems
