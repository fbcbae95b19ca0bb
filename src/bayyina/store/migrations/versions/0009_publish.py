"""publish: public names-list releases and French statements of reasons (issue 7)

Revision ID: 0009_publish
Revises: 0008_share
Create Date: 2026-11-26 00:50:00

Tables ``publish_releases`` (signed, numbered releases with their files and
manifest) and ``publish_translations`` (reasons in languages the designations
table has no column for). See docs/publish.md.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_publish"
down_revision = "0008_share"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publish_releases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=200), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version"),
    )
    op.create_table(
        "publish_translations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("designation_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["designation_id"], ["designations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("publish_translations", schema=None) as b:
        b.create_index(b.f("ix_publish_translations_designation_id"), ["designation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("publish_translations", schema=None) as b:
        b.drop_index(b.f("ix_publish_translations_designation_id"))
    op.drop_table("publish_translations")
    op.drop_table("publish_releases")
