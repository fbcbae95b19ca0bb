"""resolve_links: perpetrator-actor links, attributions, actor merges (issue 5)

Revision ID: 0007_resolve_links
Revises: 0006_auth
Create Date: 2026-11-26 00:50:00

Tables ``actor_codes`` (the actor a contract code stands for),
``incident_actors`` (actors tied to an incident), ``attributions`` (claims:
body -> accused, stance, source span) and ``actor_merges`` (actor B is actor A).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_resolve_links"
down_revision = "0006_auth"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "actor_codes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        _ts("created_at"),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("actor_codes", schema=None) as b:
        b.create_index(b.f("ix_actor_codes_actor_id"), ["actor_id"], unique=False)

    op.create_table(
        "incident_actors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("said", sa.JSON(), nullable=False),
        sa.Column("how", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("created_at"),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _ts("removed_at", nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("incident_actors", schema=None) as b:
        b.create_index(b.f("ix_incident_actors_incident_id"), ["incident_id"], unique=False)
        b.create_index(b.f("ix_incident_actors_actor_id"), ["actor_id"], unique=False)

    op.create_table(
        "attributions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("body", sa.String(length=60), nullable=False),
        sa.Column("stance", sa.String(length=20), nullable=False),
        sa.Column("against", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("span_text", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("created_at"),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _ts("removed_at", nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.ForeignKeyConstraint(["report_id"], ["incident_reports.id"]),
        sa.ForeignKeyConstraint(["finding_id"], ["findings.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("attributions", schema=None) as b:
        b.create_index(b.f("ix_attributions_incident_id"), ["incident_id"], unique=False)
        b.create_index(b.f("ix_attributions_key"), ["key"], unique=False)
        b.create_index(b.f("ix_attributions_actor_id"), ["actor_id"], unique=False)
        b.create_index(b.f("ix_attributions_document_id"), ["document_id"], unique=False)

    op.create_table(
        "actor_merges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        _ts("at"),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("undone_at", nullable=True),
        sa.Column("undone_by", sa.String(length=200), nullable=True),
        sa.Column("undo_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["kept_id"], ["actors.id"]),
        sa.ForeignKeyConstraint(["merged_id"], ["actors.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("actor_merges", schema=None) as b:
        b.create_index(b.f("ix_actor_merges_kept_id"), ["kept_id"], unique=False)
        b.create_index(b.f("ix_actor_merges_merged_id"), ["merged_id"], unique=False)


def downgrade() -> None:
    for table in ("actor_merges", "attributions", "incident_actors", "actor_codes"):
        op.drop_table(table)
