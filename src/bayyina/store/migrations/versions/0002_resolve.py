"""incident register: incidents, members, judgements, findings, finding links, register changes

Revision ID: 0002_resolve
Revises: 0001
Create Date: 2026-11-25 23:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_resolve"
down_revision = "0001"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("chosen", sa.JSON(), nullable=False),
        sa.Column("confidence", sa.String(length=20), nullable=False),
        sa.Column("confidence_reason", sa.Text(), nullable=False),
        _ts("created_at"),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(["superseded_by"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "incident_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("incident_report_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("added_at"),
        _ts("removed_at", nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.ForeignKeyConstraint(["incident_report_id"], ["incident_reports.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_incident_members_incident_id", "incident_members", ["incident_id"])
    op.create_index("ix_incident_members_incident_report_id", "incident_members", ["incident_report_id"])
    op.create_table(
        "judgements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("left_report_id", sa.Integer(), nullable=False),
        sa.Column("right_report_id", sa.Integer(), nullable=False),
        sa.Column("left_key", sa.JSON(), nullable=False),
        sa.Column("right_key", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        _ts("at"),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["left_report_id"], ["incident_reports.id"]),
        sa.ForeignKeyConstraint(["right_report_id"], ["incident_reports.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_judgements_left_report_id", "judgements", ["left_report_id"])
    op.create_index("ix_judgements_right_report_id", "judgements", ["right_report_id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("body", sa.String(length=40), nullable=False),
        sa.Column("symbol", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.Column("party", sa.String(length=60), nullable=True),
        sa.Column("party_named", sa.Text(), nullable=True),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("incidents", sa.JSON(), nullable=False),
        _ts("loaded_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "finding_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("how", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("created_at"),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _ts("removed_at", nullable=True),
        sa.ForeignKeyConstraint(["finding_id"], ["findings.id"]),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_finding_links_finding_id", "finding_links", ["finding_id"])
    op.create_index("ix_finding_links_incident_id", "finding_links", ["incident_id"])
    op.create_table(
        "register_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _ts("at"),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("what", sa.JSON(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_register_changes_action", "register_changes", ["action"])
    op.create_index("ix_register_changes_subject", "register_changes", ["subject"])


def downgrade() -> None:
    for name in ("register_changes", "finding_links", "findings", "judgements", "incident_members", "incidents"):
        op.drop_table(name)
