"""The instance's identity and the partner keys it trusts.

An instance's identity is its custody key (``HOME/keys``, made by
``bayyina init``): the same Ed25519 key signs its checkpoints and the
bundles it sends, so a receiver checks both with one trusted key. A
partner is trusted by importing its public key under a name
(``bayyina keys trust PARTNER KEYFILE``); trusting, re-naming and revoking
are rows of ``partner_keys`` and entries of the custody log.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.store.models_share import PartnerKey
from bayyina.vault import custody
from bayyina.vault.canonical import now_utc
from bayyina.vault.keys import PUBLIC_NAME, KeysError, key_id, load_public, parse_public_pem, read_public_file


class TrustError(Exception):
    """A key file or partner name was refused (the message names the file or the partner)."""


@dataclass
class Identity:
    """This instance's public identity."""

    key_id: str
    public_pem: str
    path: Path


def identity(keys_dir: Path) -> Identity:
    """The instance's key id and public key (PEM)."""
    pub = load_public(keys_dir)
    path = keys_dir / PUBLIC_NAME
    return Identity(key_id(pub), path.read_text(encoding="ascii"), path)


def load_key_file(path: Path) -> tuple[Ed25519PublicKey, str]:
    """An Ed25519 public key and its normalised PEM from a PEM file; refused with the file named."""
    try:
        return _with_pem(read_public_file(path))
    except KeysError as exc:
        raise TrustError(str(exc)) from exc


def parse_public(data: bytes, where: str) -> tuple[Ed25519PublicKey, str]:
    """An Ed25519 public key and its normalised PEM from PEM bytes."""
    try:
        return _with_pem(parse_public_pem(data, where))
    except KeysError as exc:
        raise TrustError(str(exc)) from exc


def _with_pem(key: Ed25519PublicKey) -> tuple[Ed25519PublicKey, str]:
    return key, key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                                 ).decode("ascii")


def _check_name(partner: str) -> str:
    name = partner.strip()
    if not name or len(name) > 200 or any(ord(c) < 32 for c in name):
        raise TrustError(f"partner name {partner!r}: must be 1-200 printable characters")
    return name


def trust(session: Session, partner: str, key_file: Path, *, who: str, own_key_id: str | None = None) -> PartnerKey:
    """Trust the key in ``key_file`` as ``partner`` (in the caller's transaction; logged)."""
    name = _check_name(partner)
    key, pem = load_key_file(key_file)
    kid = key_id(key)
    if own_key_id and kid == own_key_id:
        raise TrustError(f"{key_file}: this is this instance's own key")
    row = session.scalar(select(PartnerKey).where(PartnerKey.key_id == kid))
    if row is not None and row.status == "trusted" and row.partner == name:
        raise TrustError(f"key {kid[:16]}… is already trusted as {name!r}")
    before = None if row is None else {"partner": row.partner, "status": row.status}
    if row is None:
        row = PartnerKey(partner=name, key_id=kid, public_key=pem, status="trusted", trusted_at=now_utc(),
                         trusted_by=who, revoked_at=None)
        session.add(row)
    else:
        row.partner, row.status, row.trusted_at, row.trusted_by, row.revoked_at = name, "trusted", now_utc(), who, None
    session.flush()
    custody.append(session, actor=who, action="partner-key-trusted", subject=f"partner_key:{row.id}",
                   payload={"partner": name, "key_id": kid, "before": before}, rows=[row])
    return row


def untrust(session: Session, partner: str, *, who: str, key: str | None = None) -> list[PartnerKey]:
    """Revoke the trusted keys of ``partner`` (or only the one whose id starts with ``key``); logged."""
    name = _check_name(partner)
    q = select(PartnerKey).where(PartnerKey.partner == name, PartnerKey.status == "trusted")
    rows = [r for r in session.scalars(q.order_by(PartnerKey.id)) if key is None or r.key_id.startswith(key)]
    if not rows:
        raise TrustError(f"no trusted key for partner {name!r}" + (f" starting with {key!r}" if key else ""))
    for r in rows:
        r.status, r.revoked_at = "revoked", now_utc()
        session.flush()
        custody.append(session, actor=who, action="partner-key-revoked", subject=f"partner_key:{r.id}",
                       payload={"partner": name, "key_id": r.key_id}, rows=[r])
    return rows


def partners(session: Session, *, include_revoked: bool = True) -> list[PartnerKey]:
    """Every partner key (trusted first by name)."""
    q = select(PartnerKey).order_by(PartnerKey.partner, PartnerKey.id)
    if not include_revoked:
        q = q.where(PartnerKey.status == "trusted")
    return list(session.scalars(q))


def trusted_key(session: Session, kid: str) -> PartnerKey | None:
    """The partner row of a key id (any status), or None."""
    return session.scalar(select(PartnerKey).where(PartnerKey.key_id == kid))


def partner_key(session: Session, partner: str) -> PartnerKey:
    """The (newest) trusted key of a partner, or :class:`TrustError`."""
    q = (select(PartnerKey).where(PartnerKey.partner == partner.strip(), PartnerKey.status == "trusted")
         .order_by(PartnerKey.id.desc()))
    row = session.scalars(q).first()
    if row is None:
        raise TrustError(f"--for: {partner!r} is not a trusted partner (add it with `bayyina keys trust {partner} KEYFILE`)")
    return row
