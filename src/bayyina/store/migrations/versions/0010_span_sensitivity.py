"""span sensitivity: restricted spans and fields inside a document (issue 6)

Revision ID: 0010_span_sensitivity
Revises: 0009_publish
Create Date: 2026-11-26 03:30:00

Tables ``sensitive_spans`` (a span of a document's normalised text at a
level) and ``sensitive_fields`` (one field of an incident at a level); both
covered by the custody log (``store/models_sensitivity.py``, service
``vault/marks.py``, rules in ``docs/web-auth.md``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_span_sensitivity"
down_revision = "0009_publish"
branch_labels = None
depends_on = None


def _common() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sa.String(length=200), nullable=True),
        sa.Column("removed_reason", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "sensitive_spans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sensitive_spans_document_id", "sensitive_spans", ["document_id"])
    op.create_index("ix_sensitive_spans_active", "sensitive_spans", ["active"])
    op.create_table(
        "sensitive_fields",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), sa.ForeignKey("incidents.id"), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sensitive_fields_incident_id", "sensitive_fields", ["incident_id"])
    op.create_index("ix_sensitive_fields_active", "sensitive_fields", ["active"])


def downgrade() -> None:
    op.drop_index("ix_sensitive_fields_active", table_name="sensitive_fields")
    op.drop_index("ix_sensitive_fields_incident_id", table_name="sensitive_fields")
    op.drop_table("sensitive_fields")
    op.drop_index("ix_sensitive_spans_active", table_name="sensitive_spans")
    op.drop_index("ix_sensitive_spans_document_id", table_name="sensitive_spans")
    op.drop_table("sensitive_spans")
