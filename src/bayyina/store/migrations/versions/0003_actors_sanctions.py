"""actors, actor relations, designations, designation events, changes

Revision ID: 0003_actors_sanctions
Revises: 0002_resolve
Create Date: 2026-11-25 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_actors_sanctions"
down_revision = "0002_resolve"
branch_labels = None
depends_on = None


def _ts(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "actors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("name_ar", sa.Text(), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("rank", sa.String(length=100), nullable=True),
        sa.Column("nationality", sa.String(length=50), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("ftm_id", sa.String(length=200), nullable=True),
        _ts("created_at"),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ftm_id"),
    )
    with op.batch_alter_table("actors", schema=None) as b:
        b.create_index(b.f("ix_actors_kind"), ["kind"], unique=False)

    op.create_table(
        "actor_relations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        _ts("created_at"),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["subject_id"], ["actors.id"]),
        sa.ForeignKeyConstraint(["object_id"], ["actors.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("actor_relations", schema=None) as b:
        b.create_index(b.f("ix_actor_relations_subject_id"), ["subject_id"], unique=False)
        b.create_index(b.f("ix_actor_relations_object_id"), ["object_id"], unique=False)

    op.create_table(
        "designations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("authority", sa.String(length=20), nullable=False),
        sa.Column("programme", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=False),
        sa.Column("duration_months", sa.Integer(), nullable=True),
        sa.Column("expiry_date", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("delisted_on", sa.String(length=10), nullable=True),
        sa.Column("reasons_en", sa.Text(), nullable=False),
        sa.Column("reasons_ar", sa.Text(), nullable=False),
        sa.Column("incident_ids", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("review_status", sa.String(length=20), nullable=False),
        sa.Column("ftm_id", sa.String(length=200), nullable=True),
        _ts("created_at"),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ftm_id"),
    )
    with op.batch_alter_table("designations", schema=None) as b:
        b.create_index(b.f("ix_designations_authority"), ["authority"], unique=False)
        b.create_index(b.f("ix_designations_actor_id"), ["actor_id"], unique=False)
        b.create_index(b.f("ix_designations_expiry_date"), ["expiry_date"], unique=False)

    op.create_table(
        "designation_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("designation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        _ts("recorded_at"),
        sa.ForeignKeyConstraint(["designation_id"], ["designations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("designation_events", schema=None) as b:
        b.create_index(b.f("ix_designation_events_designation_id"), ["designation_id"], unique=False)

    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _ts("ts"),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("what", sa.JSON(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("changes", schema=None) as b:
        b.create_index(b.f("ix_changes_kind"), ["kind"], unique=False)
        b.create_index(b.f("ix_changes_row_id"), ["row_id"], unique=False)


def downgrade() -> None:
    for table, indexes in (
        ("changes", ["ix_changes_row_id", "ix_changes_kind"]),
        ("designation_events", ["ix_designation_events_designation_id"]),
        ("designations", ["ix_designations_expiry_date", "ix_designations_actor_id", "ix_designations_authority"]),
        ("actor_relations", ["ix_actor_relations_object_id", "ix_actor_relations_subject_id"]),
        ("actors", ["ix_actors_kind"]),
    ):
        with op.batch_alter_table(table, schema=None) as b:
            for ix in indexes:
                b.drop_index(ix)
        op.drop_table(table)
