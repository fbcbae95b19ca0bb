"""Trusted partner keys and the provenance of received bundles (issue 7).

* ``partner_keys`` — a partner's Ed25519 public key and whether we trust it
  (``trusted`` / ``revoked``; a revoked key keeps its row).
* ``received_bundles`` — one imported bundle: who sent it, its SHA-256, the
  sender's signed manifest and checkpoint, when and by whom it was received.
* ``received_entries`` — the sender's custody-log entries shipped in a
  bundle, kept exactly as hashed by the sender (so they can be checked
  against the sender's chain and checkpoint signature).
* ``received_records`` — the sender's incident / attribution / actor /
  designation records, kept as received (JSON), beside our own register.

Every row is covered by the custody log (kinds registered in ``COVERED``).
Tables register on :class:`bayyina.store.models.Base`; their migration is
``0008_share``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bayyina.store.models import COVERED, Base


class PartnerKey(Base):
    """A partner instance's public key (its identity) and our trust in it."""

    __tablename__ = "partner_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    partner: Mapped[str] = mapped_column(String(200), index=True)
    key_id: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the raw public key
    public_key: Mapped[str] = mapped_column(Text)  # PEM (SubjectPublicKeyInfo)
    status: Mapped[str] = mapped_column(String(20), default="trusted")  # trusted | revoked
    trusted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    trusted_by: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ReceivedBundle(Base):
    """One partner bundle that passed every check and was imported."""

    __tablename__ = "received_bundles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    partner: Mapped[str] = mapped_column(String(200), index=True)
    key_id: Mapped[str] = mapped_column(String(64))
    bundle_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    bundle_name: Mapped[str] = mapped_column(Text)
    sender_created: Mapped[str] = mapped_column(String(40))
    expires: Mapped[str | None] = mapped_column(String(40), nullable=True)
    manifest: Mapped[dict[str, Any]] = mapped_column(JSON)  # the signed manifest.json as received
    checkpoint: Mapped[dict[str, Any]] = mapped_column(JSON)  # the sender's signed checkpoint
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_by: Mapped[str] = mapped_column(String(200))


class ReceivedEntry(Base):
    """A custody-log entry of the sender, kept byte for byte as the sender hashed it."""

    __tablename__ = "received_entries"
    __table_args__ = (UniqueConstraint("bundle_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("received_bundles.id"), index=True)
    sender_key_id: Mapped[str] = mapped_column(String(64), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    ts: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly as the sender hashed it
    entry_hash: Mapped[str] = mapped_column(String(64), index=True)


class ReceivedRecord(Base):
    """A record of the sender's register (incident, attribution, actor, designation), as received."""

    __tablename__ = "received_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("received_bundles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    ref: Mapped[str] = mapped_column(String(200))  # the sender's id of the record
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


COVERED.update(
    {
        "partner_key": (
            PartnerKey, ("id", "partner", "key_id", "public_key", "status", "trusted_at", "trusted_by", "revoked_at"),
        ),
        "received_bundle": (
            ReceivedBundle,
            ("id", "partner", "key_id", "bundle_sha256", "bundle_name", "sender_created", "expires", "manifest",
             "checkpoint", "received_at", "received_by"),
        ),
        "received_entry": (
            ReceivedEntry,
            ("id", "bundle_id", "sender_key_id", "seq", "prev_hash", "ts", "actor", "action", "subject", "payload",
             "entry_hash"),
        ),
        "received_record": (ReceivedRecord, ("id", "bundle_id", "kind", "ref", "data")),
    }
)
