"""share: partner keys and received-bundle provenance (issue 7)

Revision ID: 0008_share
Revises: 0007_resolve_links
Create Date: 2026-11-26 00:50:00

Tables: ``partner_keys`` (trusted partner identities), ``received_bundles``,
``received_entries`` (the sender's custody entries as hashed by the sender)
and ``received_records`` (the sender's register records as received).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_share"
down_revision = "0007_resolve_links"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "partner_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partner", sa.String(length=200), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        _ts("trusted_at"),
        sa.Column("trusted_by", sa.String(length=200), nullable=False),
        _ts("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_id"),
    )
    op.create_index("ix_partner_keys_partner", "partner_keys", ["partner"])

    op.create_table(
        "received_bundles",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partner", sa.String(length=200), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("bundle_sha256", sa.String(length=64), nullable=False),
        sa.Column("bundle_name", sa.Text(), nullable=False),
        sa.Column("sender_created", sa.String(length=40), nullable=False),
        sa.Column("expires", sa.String(length=40), nullable=True),
        sa.Column("manifest", sa.JSON(), nullable=False),
        sa.Column("checkpoint", sa.JSON(), nullable=False),
        _ts("received_at"),
        sa.Column("received_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bundle_sha256"),
    )
    op.create_index("ix_received_bundles_partner", "received_bundles", ["partner"])

    op.create_table(
        "received_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("sender_key_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("ts", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["bundle_id"], ["received_bundles.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bundle_id", "seq"),
    )
    op.create_index("ix_received_entries_bundle_id", "received_entries", ["bundle_id"])
    op.create_index("ix_received_entries_sender_key_id", "received_entries", ["sender_key_id"])
    op.create_index("ix_received_entries_entry_hash", "received_entries", ["entry_hash"])

    op.create_table(
        "received_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["bundle_id"], ["received_bundles.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_received_records_bundle_id", "received_records", ["bundle_id"])
    op.create_index("ix_received_records_kind", "received_records", ["kind"])


def downgrade() -> None:
    op.drop_table("received_records")
    op.drop_table("received_entries")
    op.drop_table("received_bundles")
    op.drop_table("partner_keys")
