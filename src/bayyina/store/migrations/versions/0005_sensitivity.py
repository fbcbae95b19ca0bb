"""sensitivity: every document carries a sensitivity (public | partner | restricted)

Revision ID: 0005_sensitivity
Revises: 0004_search
Create Date: 2026-11-26 00:50:00

What a user (or a partner bundle) is not cleared for never leaves the store:
the web app, search, exports and bundles filter on ``documents.sensitivity``.
Existing documents become ``public``; reclassification is a logged change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_sensitivity"
down_revision = "0004_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("sensitivity", sa.String(length=20), nullable=False, server_default="public"))
        batch.create_index("ix_documents_sensitivity", ["sensitivity"])


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_sensitivity")
        batch.drop_column("sensitivity")
