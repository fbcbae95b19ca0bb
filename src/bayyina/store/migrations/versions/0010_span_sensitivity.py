"""span sensitivity: restricted spans and fields inside a document (issue 6)

Revision ID: 0010_span_sensitivity
Revises: 0009_publish
Create Date: 2026-11-26 03:30:00

Placeholder: filled in by the clearance work (see docs/web-auth.md).
"""

from __future__ import annotations

revision = "0010_span_sensitivity"
down_revision = "0009_publish"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
